"""Findings the layout makes about itself: photos below press resolution,
lone last lines at column tops (孤行), characters no font has."""

from __future__ import annotations

from pathlib import Path

from .result import Finding, ImageItem, TextLine

MIN_PHOTO_PPI = 150      # newsprint: photos at 170–200 ppi; warn below 150


def photo_resolution(page_items, page: int, story: str) -> list[Finding]:
    """Photos whose pixels, cropped to the frame, fall below press resolution."""
    from PIL import Image

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
            out.append(Finding("warning", f"photo {Path(item.file).name} is {ppi:.0f} ppi at its "
                                          f"placed size (newsprint wants 150 or more): use a "
                                          f"larger original or a smaller frame", page, story))
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
                out.append(Finding("warning", f"lone last line “{item.line.text}” at the top of "
                                              f"column {column} (孤行): cut or add a few "
                                              f"characters in its paragraph", page.number, story))
    return out


def missing_findings(missing, page: int, story: str | None) -> list[Finding]:
    """Characters no font has: reported with where they are, never printed as boxes."""
    out = []
    for ch, font, context in missing:
        out.append(Finding("error", f"character {ch} (U+{ord(ch):04X}) is in no font "
                                    f"(tried {font} and the fallbacks), near “{context}”; "
                                    f"add a fallback font that has it", page, story))
    return out
