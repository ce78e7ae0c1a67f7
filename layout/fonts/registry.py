"""The font book: aliases → font files, metrics and coverage, loaded lazily.

Bundled aliases (all SIL OFL, in the repository's fonts/ folder):

| alias      | face                          | use                         |
|------------|-------------------------------|-----------------------------|
| song       | Noto Serif CJK SC Regular     | body text (宋体)             |
| song-bold  | Noto Serif CJK SC Bold        | subheads, heads             |
| song-black | Noto Serif CJK SC Black       | main heads, masthead (标宋)  |
| hei        | Noto Sans CJK SC Regular      | folios, small labels (黑体)  |
| hei-bold   | Noto Sans CJK SC Bold         | datelines, heads            |
| kai        | Broadsheet Kai (LXGW WenKai)  | bylines, captions (楷体)     |
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import tempfile
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import BroadsheetError, SourcePlace
from ..files import cache_dir
from ..spec.model import font_file
from .sfnt import TrueTypeFile
from .vertical import VERTICAL_SUFFIX, base_alias

# fontTools (21 ms to import, `python -X importtime`) is imported only where a
# font is read for the first time or converted: a render whose metrics are
# cached never needs it.

BUNDLED = {
    "song": "NotoSerifSC-Regular.ttf",
    "song-bold": "NotoSerifSC-Bold.ttf",
    "song-black": "NotoSerifSC-Black.ttf",
    "hei": "NotoSansSC-Regular.ttf",
    "hei-bold": "NotoSansSC-Bold.ttf",
    "kai": "BroadsheetKai-Regular.ttf",
}


def bundled_dir() -> Path:
    return Path(str(resources.files("layout.bundled_fonts")))


@dataclass(frozen=True)
class FaceInfo:
    """What a PDF font descriptor says about a face (lengths in em)."""

    ps_name: str
    units_per_em: int
    bbox_em: tuple[float, float, float, float]
    cap_height_em: float
    serif: bool
    embedding: int = 0          # OS/2 fsType: what the font's licence lets a PDF embed

    @property
    def embedding_refused(self) -> str | None:
        """Why the licence bars embedding this face in a PDF, or None."""
        if self.embedding & 0x0200:
            return "its licence allows embedding bitmaps only (OS/2 fsType bit 9)"
        if self.embedding & 0x000F == 0x0002:
            return "its licence restricts embedding (OS/2 fsType 0x0002)"
        return None

    @property
    def no_subsetting(self) -> bool:
        """The licence lets the font be embedded only whole (OS/2 fsType bit 8)."""
        return bool(self.embedding & 0x0100)


@dataclass
class FontFace:
    """One font file: the characters it covers, their glyphs and advances.

    Held as three parallel arrays sorted by code point (8 bytes a character,
    200 KB for a 23,000-character CJK face, loaded from the cache without
    building a Python object per character); a character is looked up once
    by bisection and remembered.
    """

    alias: str
    path: Path
    ascent_em: float
    descent_em: float
    info: FaceInfo
    code_points: array = field(repr=False)       # sorted
    glyph_ids: array = field(repr=False)
    advance_units: array = field(repr=False)      # in font units
    _looked_up: dict = field(default_factory=dict, repr=False)
    known_covered: set = field(default_factory=set, repr=False)   # characters seen covered

    def lookup(self, cp: int) -> tuple[int, float] | None:
        """(glyph id, advance in em) of a code point, or None if the face lacks it."""
        try:
            return self._looked_up[cp]
        except KeyError:
            pass
        points = self.code_points
        i = bisect_left(points, cp)
        found = None
        if i < len(points) and points[i] == cp:
            found = (self.glyph_ids[i], self.advance_units[i] / self.info.units_per_em)
            self.known_covered.add(chr(cp))
        self._looked_up[cp] = found
        return found

    def advance(self, ch: str) -> float:
        """In em; 1 em for a character the face lacks."""
        found = self.lookup(ord(ch))
        return found[1] if found is not None else 1.0

    def covers(self, ch: str) -> bool:
        return self.lookup(ord(ch)) is not None

    def glyph_id(self, ch: str) -> int:
        return self.lookup(ord(ch))[0]


class FontBook:
    """Resolves aliases to faces; a spec may add aliases for its own fonts."""

    def __init__(self, extra: dict[str, Path] | None = None,
                 places: dict[str, SourcePlace] | None = None):
        self._files: dict[str, Path] = {a: bundled_dir() / f for a, f in BUNDLED.items()}
        self._places = places or {}
        for alias, path in (extra or {}).items():
            self._files[alias] = Path(path)
        self._faces: dict[str, FontFace] = {}

    @classmethod
    def for_spec(cls, loaded) -> FontBook:
        """The bundled fonts plus a loaded spec's own, with places for their errors; a
        face of a collection past the first is taken out into a font file of its own."""
        files = {}
        for alias, value in loaded.spec.fonts.items():
            name, face = font_file(value)
            path = loaded.base_dir / name
            files[alias] = collection_face(path, face, loaded.place("fonts", alias, "face")) \
                if face else path
        return cls(files, {a: loaded.place("fonts", a) for a in loaded.spec.fonts})

    @property
    def aliases(self) -> list[str]:
        return sorted(self._files)

    def knows(self, alias: str) -> bool:
        return base_alias(alias) in self._files

    def face(self, alias: str) -> FontFace:
        """The face of an alias; "song@v" is song's face, its glyphs set vertical."""
        face = self._faces.get(alias)
        if face is None and alias.endswith(VERTICAL_SUFFIX):
            face = self._faces[alias] = self.face(base_alias(alias))
        if face is None:
            if alias not in self._files:
                raise BroadsheetError(
                    f"unknown font {alias!r}; known: {', '.join(self.aliases)}",
                    self._places.get(alias))
            face = _load_face(alias, self._files[alias], self._places.get(alias))
            refused = face.info.embedding_refused
            if refused:
                # The plant needs every font embedded: such a face cannot be used.
                raise BroadsheetError(f"font {self._files[alias].name} cannot be embedded in "
                                      f"a PDF: {refused}", self._places.get(alias))
            self._faces[alias] = face
        return face

    def fingerprint(self) -> str:
        """The font files behind every alias (path, size, modification time), and the
        version of how metrics are read from them."""
        parts = [f"metrics {METRICS_VERSION}"]
        for alias, path in sorted(self._files.items()):
            try:
                stat = path.stat()
                parts.append(f"{alias}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}")
            except OSError:
                parts.append(f"{alias}|{path}|missing")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def advance(self, alias: str, ch: str) -> float:
        """In em; 1 em for a character the face lacks.  (The composer's hottest call.)"""
        face = self._faces.get(alias) or self.face(alias)
        found = face._looked_up.get(ord(ch), False)
        if found is False:
            found = face.lookup(ord(ch))
        return found[1] if found is not None else 1.0


METRICS_VERSION = 6          # 6: the tables under a checksum of their contents


def _metrics_cache_path(path: Path) -> Path:
    stat = path.stat()
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|"
                         f"{METRICS_VERSION}|{sys.byteorder}".encode()).hexdigest()[:32]
    return cache_dir() / "metrics" / f"{key}.marshal"


def _checksum(data: dict) -> bytes:
    """A digest of a metrics entry's contents (all but the checksum itself).  Not of
    marshal's output: that depends on which objects happen to be shared, so the
    same entry read back would not match what was written."""
    digest = hashlib.sha256()
    for key in sorted(k for k in data if k != "checksum"):
        value = data[key]
        digest.update(key.encode() + b"=")
        digest.update(value if isinstance(value, bytes) else repr(value).encode())
        digest.update(b";")
    return digest.digest()


def _load_face(alias: str, path: Path, place: SourcePlace | None) -> FontFace:
    """A face's metrics: from the disk cache (keyed by file, size and mtime) when there,
    else read with fontTools and cached atomically."""
    try:
        cached = _metrics_cache_path(path)
        data = marshal.loads(cached.read_bytes())
        # One flipped bit would print the wrong glyph (迚 for 这): checked first.
        if data["checksum"] != _checksum(data):
            raise ValueError("damaged metrics")
        face_path = Path(data["path"])
        # A converted (CFF → TrueType) copy must still be whole to be trusted.
        if face_path == path or _valid_truetype(face_path):
            return FontFace(alias, face_path, data["ascent"], data["descent"],
                            FaceInfo(*data["info"]), _array("I", data["code_points"]),
                            _array("H", data["glyph_ids"]), _array("H", data["advances"]))
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass                      # no cache yet, or a damaged one: read the font
    face = _read_face(alias, path, place)
    try:
        target = _metrics_cache_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            data = {"path": str(face.path), "ascent": face.ascent_em,
                    "descent": face.descent_em, "info": tuple(vars(face.info).values()),
                    "code_points": face.code_points.tobytes(),
                    "glyph_ids": face.glyph_ids.tobytes(),
                    "advances": face.advance_units.tobytes()}
            data["checksum"] = _checksum(data)
            handle.write(marshal.dumps(data))
        os.replace(tmp, target)
    except OSError:
        pass                      # a read-only cache only costs speed
    return face


def _read_face(alias: str, path: Path, place: SourcePlace | None) -> FontFace:
    from fontTools.ttLib import TTFont, TTLibError  # 21 ms: see the top

    try:
        font = TTFont(path, lazy=True, fontNumber=0)
        source = path
        if "CFF " in font or "CFF2" in font:
            path = _truetype_copy(path, font, place)
            font = TTFont(path, lazy=True)
        head = font["head"]
        upm = float(head.unitsPerEm)
        hhea = font["hhea"]
        points, glyph_ids, advances = _character_metrics(path, font)
        if not points:
            raise BroadsheetError(f"font has no Unicode character map: {path}", place)
        return FontFace(alias, path, hhea.ascent / upm, -hhea.descent / upm,
                        _face_info(font, source, upm), points, glyph_ids, advances)
    except BroadsheetError:
        raise
    except (TTLibError, KeyError, AssertionError, ValueError, OSError, IndexError,
            struct.error) as exc:
        raise BroadsheetError(f"cannot read font {path}: {exc.__class__.__name__}: {exc}",
                              place or SourcePlace(str(path))) from None


def _character_metrics(path: Path, font) -> tuple[array, array, array]:
    """(code points, glyph ids, advances in font units), sorted by code point.

    Read from the raw cmap and hmtx tables (layout.fonts.sfnt); fontTools, for
    a font whose character map is in neither format 4 nor 12.
    """
    raw = TrueTypeFile.from_bytes(path.read_bytes())
    mapping = raw.character_map()
    if mapping is None:
        # Glyphs named by number: fontTools need not read all the post table's names.
        font.setGlyphOrder([f"g{gid}" for gid in range(font["maxp"].numGlyphs)])
        by_name = font.getBestCmap() or {}
        ids = font.getReverseGlyphMap()
        mapping = {cp: ids[name] for cp, name in by_name.items()
                   if 0 < ids.get(name, 0) < raw.num_glyphs}
    points = sorted(mapping)
    glyph_ids = array("H", (mapping[cp] for cp in points))
    widths = raw.advance_widths()
    return array("I", points), glyph_ids, array("H", (widths[gid] for gid in glyph_ids))


def _array(typecode: str, data: bytes) -> array:
    out = array(typecode)
    out.frombytes(data)
    return out


def _face_info(font, source: Path, upm: float) -> FaceInfo:
    """`source` is the file the user named (a converted copy has a hashed name)."""
    head = font["head"]
    os2 = font["OS/2"] if "OS/2" in font else None
    names = font["name"] if "name" in font else None
    name = names and (names.getDebugName(6) or names.getDebugName(4) or names.getDebugName(1))
    # PostScript names are printable ASCII without delimiters (PDF name syntax).
    ps_name = "".join(c for c in (name or source.stem) if 33 <= ord(c) <= 126
                      and c not in "()<>[]{}/%#") or "Font"
    cap = getattr(os2, "sCapHeight", 0) if os2 is not None else 0
    family_class = getattr(os2, "sFamilyClass", 0) >> 8 if os2 is not None else 0
    return FaceInfo(ps_name, int(upm),
                    (head.xMin / upm, head.yMin / upm, head.xMax / upm, head.yMax / upm),
                    (cap or font["hhea"].ascent) / upm, 1 <= family_class <= 7,
                    getattr(os2, "fsType", 0) if os2 is not None else 0)


def _valid_truetype(path: Path) -> bool:
    """A cached conversion is trusted only if it opens as a complete TrueType font."""
    from fontTools.ttLib import TTFont  # 21 ms: see the top
    try:
        font = TTFont(path, lazy=True)
        return "glyf" in font and "loca" in font and bool(font.getBestCmap())
    except Exception:           # any damage: rebuild it
        return False


def collection_face(path: Path, face: int, place: SourcePlace | None) -> Path:
    """Face `face` of a font collection (.ttc/.otc) as a font file of its own, made
    once and cached by the collection's content."""
    with open(path, "rb") as f:
        head = f.read(12)
    count = struct.unpack(">I", head[8:12])[0] if head[:4] == b"ttcf" and len(head) == 12 \
        else 1
    if face >= count:
        raise BroadsheetError(f"{path.name} has {count} face{'s' if count > 1 else ''} "
                              f"(0–{count - 1}): there is no face {face}", place)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    target = cache_dir() / "fonts" / f"{digest}-{face}.sfnt"   # TrueType or CFF, as it is
    if target.is_file():
        return target
    from fontTools.ttLib import TTFont  # 21 ms: see the top
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        TTFont(path, fontNumber=face).save(tmp)
        os.replace(tmp, target)          # atomic: a killed run leaves no half file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _truetype_copy(path: Path, font, place) -> Path:
    """An OpenType/CFF font converted once to TrueType outlines, cached by content hash."""
    from .convert import cff_to_truetype  # fontTools: 21 ms, see the top

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    target = cache_dir() / "fonts" / f"{digest}.ttf"
    if target.is_file() and _valid_truetype(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    from fontTools.ttLib import TTFont  # 21 ms: see the top
    full = TTFont(path, fontNumber=0)
    cff_to_truetype(full)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        full.save(tmp)
        os.replace(tmp, target)          # atomic: a killed run leaves no half file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
