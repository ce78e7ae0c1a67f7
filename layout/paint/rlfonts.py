"""ReportLab TrueType fonts, with their parsed tables cached on disk.

ReportLab parses a whole font on registration: for a 23,000-glyph CJK face
that is about 85 ms and the same work every run.  We keep what its parser
produces (character map, widths, glyph offsets, metrics) in a marshal file
keyed by the font file and the ReportLab version, and rebuild the face from
it.  Anything unexpected falls back to ReportLab's own constructor, so the
cache can only save time, never change the output.
"""

from __future__ import annotations

import hashlib
import marshal
import mmap
import os
import tempfile
from pathlib import Path

CACHE_VERSION = 1


def _key(path: Path) -> str:
    import reportlab
    stat = path.stat()
    return hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|"
                          f"{reportlab.Version}|{CACHE_VERSION}".encode()).hexdigest()[:32]


def load_ttfont(name: str, path: Path):
    """A ReportLab TTFont for `path`, from the parse cache when it is there."""
    from reportlab.pdfbase.ttfonts import TTFont

    from ..fonts.registry import cache_dir

    cached = cache_dir() / "reportlab" / f"{_key(path)}.marshal"
    try:
        return _restore(name, path, marshal.loads(cached.read_bytes()))
    except Exception:           # no cache, an old or damaged one: parse the font
        pass
    font = TTFont(name, str(path))
    try:
        data = _snapshot(font.face)
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(marshal.dumps(data))
        os.replace(tmp, cached)
    except (OSError, ValueError, TypeError):
        pass                    # a cache we cannot write only costs time
    return font


def _snapshot(face) -> dict:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    out = {}
    for key, value in vars(face).items():
        if key in ("_ttf_data", "_pdfScale"):
            continue
        if isinstance(value, TTFNameBytes):
            out[key] = ("TTFNameBytes", bytes(value), value.ustr)
        elif isinstance(value, (int, float, str, bytes, list, dict, tuple, type(None))):
            out[key] = ("plain", value)
        else:
            raise TypeError(f"unexpected {key}: {type(value).__name__}")
    return out


def _restore(name: str, path: Path, data: dict):
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

    face = TTFontFace.__new__(TTFontFace)
    for key, entry in data.items():
        if entry[0] == "TTFNameBytes":
            value = bytes.__new__(TTFNameBytes, entry[1])
            value.ustr = entry[2]
        else:
            value = entry[1]
        setattr(face, key, value)
    from ..fonts.registry import bundled_dir
    if path.resolve().parent == bundled_dir().resolve():
        # Mapped, not read: the subsetter touches only the glyphs a page uses, so
        # the rest of a 10 MB CJK face never becomes this process's memory.  Only
        # for our own fonts, which nobody rewrites under a running process.
        with open(path, "rb") as handle:
            face._ttf_data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    else:
        face._ttf_data = path.read_bytes()
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
    font = TTFont.__new__(TTFont)
    # What TTFont.__init__ sets, with the face rebuilt instead of parsed.
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    from fnmatch import fnmatch

    from reportlab.pdfbase.ttfonts import unShapedFontGlob
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
    return font
