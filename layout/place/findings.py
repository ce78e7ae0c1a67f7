"""Findings the layout makes about itself: photos below press resolution,
lone last lines at column tops (孤行), characters set in a fallback font or in
none."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

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
        try:
            with Image.open(item.file) as im:
                w, h = im.size
        except OSError:
            continue
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
    """Characters set in a fallback font, or in none (never printed as boxes)."""
    out = []
    for ch, font, fallback, context in notes:
        if fallback is None:
            out.append(Finding(
                "font.missing", f"character {ch} (U+{ord(ch):04X}) is in no font "
                                f"(tried {font} and the fallbacks)",
                "add a fallback font that has it (style: fallback_fonts)",
                context=context, **where))
        else:
            out.append(Finding(
                "font.fallback", f"character {ch} (U+{ord(ch):04X}) set in the fallback "
                                 f"font {fallback}",
                "check the character is right; the fallback face may not match the type "
                "around it", context=context, **where))
    return out
