"""The fonts of one PDF: glyph codes handed out as text is painted, programs embedded at save.

Each face becomes one composite font (Type0, Identity-H) over a CIDFontType2:
a whole page of CJK text in one font resource.  Codes are handed out in order
of first use; the program holds the glyphs in the font's own order (which
compresses better, and stays the same while the glyph set does), and
CIDToGIDMap joins the two.  (ReportLab's own TrueType fonts split a face into
256-glyph simple fonts: 26 font objects for an edition's body face, a text
origin for every split, and a subsetter in Python.)  The embedded program is
the subset from layout.fonts.subset; widths (W) and a ToUnicode CMap let
readers measure and extract the text.

ReportLab stays the writer: this object joins the document's delayed fonts,
and ReportLab calls `addObjects` when it saves, once every page is painted.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from array import array
from dataclasses import dataclass, field

from ..fonts import FontBook
from ..fonts.registry import FontFace, bundled_dir
from ..fonts.sfnt import FontFileError, TrueTypeFile
from ..fonts.subset import subset_truetype
from ..fonts.vertical import vertical_gids
from . import reportlab_door as rl
from .deflate import deflate
from .reportlab_door import PDFArray, PDFDictionary, PDFName, PDFObject
from .streams import compressed_stream, flate_stream

DEFAULT_WIDTH = 1000            # DW: the full-width advance of a CJK face, in 1/1000 em


class _Raw(PDFObject):
    """Bytes written as they are: arrays too long for ReportLab's per-element formatting."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document):
        return self.data


@dataclass
class _UsedFace:
    name: str                       # resource name, e.g. "BF1"
    face: FontFace
    codes: dict[str, str] = field(default_factory=dict)     # character -> 4 hex digits
    order: list[int] = field(default_factory=list)          # code - 1 -> glyph id
    numbers: dict[int, int] = field(default_factory=dict)   # glyph id -> code
    text: dict[int, str] = field(default_factory=dict)      # code -> character


def _code(used: _UsedFace, gid: int, ch: str) -> str:
    """The code a glyph is written under (a new one the first time), which the
    ToUnicode CMap maps back to `ch`."""
    number = used.numbers.get(gid)
    if number is None:
        used.order.append(gid)
        number = used.numbers[gid] = len(used.order)
        used.text[number] = ch
    return f"{number:04X}"


class EmbeddedFonts:
    """Per document: which glyphs of which faces the pages use."""

    def __init__(self, fonts: FontBook, doc):
        self._fonts = fonts
        self._by_path: dict[str, _UsedFace] = {}
        self._by_alias: dict[str, _UsedFace] = {}
        # ReportLab calls addObjects(doc) when it writes the file.  No reference
        # back to the document: a cycle through it would keep the font book and
        # every composed line alive until the cyclic collector came round.
        rl.defer_fonts(doc, self)

    def resource(self, alias: str) -> _UsedFace:
        used = self._by_alias.get(alias)
        if used is None:
            used = self._by_alias[alias] = self._face_resource(alias)
        return used

    def _face_resource(self, alias: str) -> _UsedFace:
        face = self._fonts.face(alias)
        key = str(face.path)
        used = self._by_path.get(key)
        if used is None:
            used = self._by_path[key] = _UsedFace(f"BF{len(self._by_path) + 1}", face)
        return used

    def encode(self, used: _UsedFace, text: str) -> str:
        """The characters of `text` as hex glyph codes (every one covered by the face)."""
        codes = used.codes
        try:
            return "".join(map(codes.__getitem__, text))     # all seen before: the usual case
        except KeyError:
            pass
        out = []
        for ch in text:
            code = codes.get(ch)
            if code is None:
                code = codes[ch] = _code(used, used.face.glyph_id(ch), ch)
            out.append(code)
        return "".join(out)

    def encode_vertical(self, used: _UsedFace, text: str) -> str:
        """As `encode`, with each character's vertical alternate (the face's vert
        feature) where it has one, written under the character's own code."""
        turned = vertical_gids(used.face.path)
        codes = used.codes
        out = []
        for ch in text:
            key = "\x01" + ch                      # never a character of the text
            code = codes.get(key)
            if code is None:
                plain = used.face.glyph_id(ch)
                code = codes[key] = _code(used, turned.get(plain, plain), ch)
            out.append(code)
        return "".join(out)

    def addObjects(self, doc) -> None:
        fonts = rl.font_resources(doc)
        for used in self._by_path.values():
            fonts[used.name] = rl.reference(doc, self._font_object(doc, used), used.name)

    def _font_object(self, doc, used: _UsedFace):
        face = used.face
        if len(used.order) > 0xFFFE:
            raise ValueError(f"{face.path.name}: more than 65,534 glyphs on the pages")
        program_file = _truetype(face)
        program, compressed, new_ids = _program(face, program_file, used.order,
                                                whole=face.info.no_subsetting)
        info = face.info
        # A subset's name carries a tag; a font embedded whole keeps its own name.
        base = info.ps_name if info.no_subsetting else \
            f"{_subset_tag(face.path.name, used.order)}+{info.ps_name}"
        scale = 1000 / info.units_per_em
        widths = [program_file.metric(gid)[0] * scale for gid in used.order]
        bbox = " ".join(_num(v * 1000) for v in info.bbox_em)
        descriptor = PDFDictionary({
            "Type": PDFName("FontDescriptor"),
            "FontName": PDFName(base),
            "Flags": 6 if info.serif else 4,            # symbolic (+ serif)
            "FontBBox": _Raw(f"[{bbox}]".encode()),
            "ItalicAngle": 0,
            "Ascent": _num(face.ascent_em * 1000),
            "Descent": _num(-face.descent_em * 1000),
            "CapHeight": _num(info.cap_height_em * 1000),
            "StemV": 80,
            "FontFile2": rl.reference(doc, compressed_stream(compressed, Length1=len(program))),
        })
        cid_font = PDFDictionary({
            "Type": PDFName("Font"),
            "Subtype": PDFName("CIDFontType2"),
            "BaseFont": PDFName(base),
            "CIDSystemInfo": _Raw(b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"),
            "FontDescriptor": rl.reference(doc, descriptor),
            "DW": DEFAULT_WIDTH,
            "W": _Raw(_width_array(widths)),
            "CIDToGIDMap": _cid_to_gid(doc, [new_ids[gid] for gid in used.order]),
        })
        return PDFDictionary({
            "Type": PDFName("Font"),
            "Subtype": PDFName("Type0"),
            "BaseFont": PDFName(base),
            "Encoding": PDFName("Identity-H"),
            "DescendantFonts": PDFArray([rl.reference(doc, cid_font)]),
            "ToUnicode": rl.reference(doc, flate_stream(_to_unicode(used.text))),
        })


_PROGRAMS: dict[str, TrueTypeFile] = {}
_LAST_SUBSET: dict[str, tuple] = {}


def _program(face: FontFace, font: TrueTypeFile, order: list[int],
             whole: bool = False) -> tuple[bytes, bytes, dict[int, int]]:
    """The face's subset program, its compression, and each used glyph's id in it.

    `whole`: the font's licence forbids subsetting, so every glyph goes in.
    The program holds the glyph set in the font's own order, whatever order the
    pages first used them in (the codes; CIDToGIDMap joins the two), so the
    last program made for each face serves again while the set is unchanged:
    a long-lived process re-rendering after an edit that brings no new
    characters reuses it.
    """
    key = str(face.path)
    # A licence that forbids subsetting gets every glyph of the font.
    glyph_set = list(range(font.num_glyphs)) if whole else sorted(set(order))
    last = _LAST_SUBSET.get(key)
    if last is not None and last[0] == glyph_set and last[1] is font:
        return last[2], last[3], last[4]
    program, full_order = subset_truetype(font, glyph_set)
    new_ids = {gid: k for k, gid in enumerate(full_order)}   # components follow the set
    compressed = deflate(program)
    _LAST_SUBSET[key] = (glyph_set, font, program, compressed, new_ids)
    return program, compressed, new_ids


def _cid_to_gid(doc, glyph_of_code: list[int]):
    """CIDToGIDMap: code k (from 1) → glyph id in the subset; /Identity when equal."""
    if all(gid == code for code, gid in enumerate(glyph_of_code, start=1)):
        return PDFName("Identity")
    table = array("H", [0, *glyph_of_code])
    if sys.byteorder == "little":
        table.byteswap()                    # big-endian, two bytes a code
    return rl.reference(doc, flate_stream(table.tobytes()))


def _truetype(face: FontFace) -> TrueTypeFile:
    """The face's font file.  Our own fonts are opened once per process and their
    glyphs read as a subset needs them (a page uses a few thousand of a face's
    23,000); a user's font is read whole each time, since it may be rewritten
    under a long-lived process."""
    key = str(face.path)
    parsed = _PROGRAMS.get(key)
    if parsed is None:
        try:
            if face.path.resolve().parent == bundled_dir().resolve():
                parsed = _PROGRAMS[key] = TrueTypeFile.from_file(face.path)
            else:
                parsed = TrueTypeFile.from_bytes(face.path.read_bytes())
        except (FontFileError, OSError, struct.error) as exc:
            raise ValueError(f"cannot embed font {face.path}: {exc}") from None
    return parsed


def _subset_tag(name: str, order: list[int]) -> str:
    """Six capitals from the glyph set: the same pages give the same tag (deterministic)."""
    digest = hashlib.sha256(name.encode() + b"|" + ",".join(map(str, order)).encode()).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def _num(value: float) -> str:
    value = round(value, 3)
    return str(int(value)) if value == int(value) else f"{value:.3f}".rstrip("0")


def _width_array(widths: list[float]) -> bytes:
    """W: runs of codes whose width is not the default, as `first [w w …]`."""
    parts = []
    run: list[str] = []
    start = 0
    for code, width in enumerate(widths, start=1):
        if abs(width - DEFAULT_WIDTH) < 1e-9:
            if run:
                parts.append(f"{start} [{' '.join(run)}]")
                run = []
            continue
        if not run:
            start = code
        run.append(_num(width))
    if run:
        parts.append(f"{start} [{' '.join(run)}]")
    return ("[" + "\n".join(parts) + "]").encode()


def _to_unicode(text: dict[int, str]) -> bytes:
    """A ToUnicode CMap: each code to its character (UTF-16BE)."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    items = sorted(text.items())
    for k in range(0, len(items), 100):             # at most 100 entries a block
        chunk = items[k:k + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{code:04X}> <{ch.encode('utf-16-be').hex().upper()}>"
                     for code, ch in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
