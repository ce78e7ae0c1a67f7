"""Findings the layout makes about itself: photos below press resolution,
lone last lines at column tops (孤行), characters set in a fallback font or in
none."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ..colors import image_ink_percent
from ..limits import PHOTO_FORMATS
from ..findings import Finding
from .result import ImageItem, TextLine
from .typesetter import CharNote

MIN_PHOTO_PPI = 150      # newsprint: photos at 170–200 ppi; warn below 150


def photo_resolution(page_items, page: int, story: str) -> list[Finding]:
    """Photos whose pixels, cropped to the frame, fall below press resolution."""
    out = []
    for item in page_items:
        if not isinstance(item, ImageItem):
            continue
        header = photo_header(item.file)
        if header is None:
            continue
        w, h, _ = header
        if item.fit == "fill":       # the frame's shape is cut from the picture
            scale = max(item.width_pt / w, item.height_pt / h)
        else:
            scale = min(item.width_pt / w, item.height_pt / h)
        ppi = 72 / scale
        if ppi < MIN_PHOTO_PPI:
            out.append(Finding(
                "image.resolution",
                f"photo {Path(item.file).name} is {ppi:.0f} ppi at its placed size "
                f"(newsprint wants {MIN_PHOTO_PPI} or more)",
                "use a larger original or a smaller frame", page=page, story=story,
                object=Path(item.file).name))
    return out


def photo_ink(page_items, page: int, story: str, limit: float,
              reseparate: bool) -> list[Finding]:
    """CMYK photos over the ink limit: re-separated when painted (a warning), or, as
    the spec may choose, left and reported (an error: the plate would carry it)."""
    out = []
    for item in page_items:
        if not isinstance(item, ImageItem):
            continue
        ink = _cmyk_ink(item.file)
        if ink is None or ink <= limit + 0.5:
            continue
        name = Path(item.file).name
        if reseparate:
            out.append(Finding("ink.reseparated",
                               f"photo {name} reaches {ink:.0f}% ink: re-separated through "
                               f"the output profile, within {limit:.0f}%",
                               "have photos separated for newsprint before they are supplied",
                               page=page, story=story, object=name))
        else:
            out.append(Finding("ink.tac", f"photo {name} reaches {ink:.0f}% ink, over the "
                                          f"{limit:.0f}% limit",
                               "separate it for newsprint, or let the render re-separate it "
                               "(prepress: over_limit_photos: reseparate)",
                               page=page, story=story, object=name))
    return out


# Per file version (path, size, mtime): a layout is laid out several times, and
# asks the same photos again; a CMYK photo's ink needs it decoded whole.
_HEADERS: dict[tuple, tuple[int, int, str] | None] = {}
_INK: dict[tuple, float | None] = {}


def _version(file: str) -> tuple | None:
    try:
        stat = Path(file).stat()
    except OSError:
        return None
    return file, stat.st_size, stat.st_mtime_ns


def photo_header(file: str) -> tuple[int, int, str] | None:
    """A photo's width, height (pixels) and mode, read once per file version."""
    key = _version(file)
    if key is None:
        return None
    if key not in _HEADERS:
        try:
            with Image.open(file, formats=PHOTO_FORMATS) as im:
                _HEADERS[key] = (*im.size, im.mode)
        except OSError:
            _HEADERS[key] = None
    return _HEADERS[key]


def _cmyk_ink(file: str) -> float | None:
    """The highest ink of a CMYK photo (None for any other), once per file version."""
    header = photo_header(file)
    if header is None or header[2] != "CMYK":
        return None
    key = _version(file)
    if key not in _INK:
        try:
            with Image.open(file, formats=PHOTO_FORMATS) as im:
                _INK[key] = image_ink_percent(im)
        except OSError:
            _INK[key] = None
    return _INK[key]


def lone_lines_at_column_tops(pages) -> list[Finding]:
    """孤行: a paragraph's last line alone at the top of a column (the flow avoids
    it where the story has a spare line; what remains is for the desk to fix)."""
    out = []
    for page in pages:
        tops: dict[tuple, TextLine] = {}
        for item in page.items:
            if isinstance(item, TextLine) and item.role == "body":
                key = (item.story, item.column)
                if key not in tops or item.grid_line < tops[key].grid_line:
                    tops[key] = item
        for (story, column), item in sorted(tops.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            if item.line.last and item.line.start > 0:
                out.append(Finding(
                    "layout.orphan", f"lone last line at the top of column {column} (孤行)",
                    "cut or add a few characters in its paragraph", page=page.number,
                    story=story, context=item.line.text))
    return out


def char_findings(notes: tuple[CharNote, ...], **where) -> list[Finding]:
    """Characters set in a fallback font, or in none (never printed as boxes): one
    finding for each kind and font, naming each character once, with a count (3,000
    missing emoji are one line, not 3,000)."""
    groups: dict[tuple, list[CharNote]] = {}
    for note in notes:
        groups.setdefault((note.fallback is None, note.font, note.fallback), []).append(note)
    out = []
    for (missing, font, fallback), found in groups.items():
        chars = list(dict.fromkeys(note.ch for note in found))
        named = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars[:MAX_NAMED_CHARS])
        if len(chars) > MAX_NAMED_CHARS:
            named += f" and {len(chars) - MAX_NAMED_CHARS} more"
        count = f" ({len(found):,} in all)" if len(found) > 1 else ""
        what = f"character {named}" if len(chars) == 1 else f"characters {named}"
        if missing:
            out.append(Finding(
                "font.missing", f"{what} {'is' if len(chars) == 1 else 'are'} in no font "
                                f"(tried {font} and the fallbacks){count}",
                "add a fallback font that has it (style: fallback_fonts)",
                context=found[0].context, **where))
        else:
            out.append(Finding(
                "font.fallback", f"{what} set in the fallback font {fallback}{count}",
                "check the character is right; the fallback face may not match the type "
                "around it", context=found[0].context, **where))
    return out


MAX_NAMED_CHARS = 12      # characters a grouped finding names; the rest are counted
