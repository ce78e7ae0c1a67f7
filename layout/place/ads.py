"""Advertising: each ad's slot on the grid, its artwork checked against the slot,
and a placeholder (a frame with 广告, the size and the order) where none is
supplied yet."""

from __future__ import annotations

import math
from typing import NamedTuple

from ..errors import BroadsheetError
from ..findings import Finding
from ..spec import LoadedSpec
from ..spec.artwork import MM, STANDARD_SIZES
from ..spec.model import Ad
from ..units import type_size_pt
from .findings import char_findings
from .result import AdItem, PageGrid, RectItem, TextLine
from .typesetter import Typesetter

MIN_AD_PPI = 150


class Slot(NamedTuple):
    """An ad's place on the grid (columns and body lines, 1-based)."""

    col: int
    cols: int
    line: int
    lines: int


def ad_slot(ad: Ad, loaded: LoadedSpec, grid: PageGrid) -> Slot:
    """The ad's columns and lines: from its box, else its named size."""
    cols, lines = ad.box.cols, ad.box.lines
    if ad.size is not None:
        named = loaded.spec.ad_sizes.get(ad.size)
        if named is not None:
            size_cols, size_lines = named.cols, named.lines
        else:
            share_cols, share_lines = STANDARD_SIZES[ad.size]
            size_cols = round(grid.columns * share_cols)
            size_lines = math.floor(grid.lines * share_lines)
        cols = cols if cols is not None else size_cols
        lines = lines if lines is not None else size_lines
    return Slot(ad.box.col, cols, ad.box.line, lines)


def place_ads(loaded: LoadedSpec, p: int, grid: PageGrid,
              ts: Typesetter) -> tuple[list, list[Finding]]:
    """The page's ads: artwork items, or placeholders; and what placing them found."""
    items: list = []
    findings: list[Finding] = []
    for a, ad in enumerate(loaded.spec.pages[p - 1].ads):
        where = ("pages", p - 1, "ads", a)
        slot = ad_slot(ad, loaded, grid)
        if slot.col + slot.cols - 1 > grid.columns or slot.line + slot.lines - 1 > grid.lines \
                or slot.cols < 1 or slot.lines < 1:
            raise BroadsheetError(
                f"ad {ad.id!r} ({slot.cols} columns × {slot.lines} lines from column "
                f"{slot.col}, line {slot.line}) runs past the page's {grid.columns} columns "
                f"and {grid.lines} lines", loaded.place(*where, "box"))
        x, y = grid.col_x(slot.col), grid.line_top(slot.line)
        w, h = grid.span_w(slot.cols), slot.lines * grid.pitch_pt
        art = (loaded.artwork or {}).get(ad.id)
        if art is None:
            placeholder, notes = _placeholder(ad, x, y, w, h, ts)
            items.extend(placeholder)
            findings.extend(char_findings(notes, page=p, element=f"ad {ad.id}",
                                          source=loaded.place(*where)))
            findings.append(Finding(
                "ad.missing", f"ad {ad.id!r} has no artwork yet: a placeholder is printed "
                              f"({w / MM:.1f} × {h / MM:.1f} mm"
                              + (f", {ad.client}" if ad.client else "")
                              + (f", order {ad.order}" if ad.order else "") + ")",
                "give the ad its file before the page goes to the plant",
                page=p, element=f"ad {ad.id}", source=loaded.place(*where)))
            continue
        tolerance = loaded.spec.prepress.ad_tolerance_pt
        if ad.fit == "exact" and (abs(art.width_pt - w) > tolerance
                                  or abs(art.height_pt - h) > tolerance):
            unstated = "" if art.ppi_stated else " (the file states no resolution: read " \
                                                  "at 72 ppi)"
            raise BroadsheetError(
                f"ad {ad.id!r}: {art.path.name} is {art.size_mm()}{unstated}, its slot "
                f"{w / MM:.1f} × {h / MM:.1f} mm ({slot.cols} columns × {slot.lines} lines): "
                f"supply it at the slot's size, or set fit: contain or cover",
                loaded.place(*where, "file"))
        items.append(AdItem(ad.id, art, x, y, w, h, ad.fit))
        findings.extend(_image_findings(ad, art, w, h, p, loaded.place(*where, "file")))
    return items, findings


def _image_findings(ad: Ad, art, w: float, h: float, p: int, source) -> list[Finding]:
    if art.kind != "image":
        return []
    out = []
    scale = max(w / art.width_pt, h / art.height_pt) if ad.fit == "cover" else \
        min(w / art.width_pt, h / art.height_pt)
    ppi = art.ppi / scale
    if ppi < MIN_AD_PPI - 0.5:
        out.append(Finding("image.resolution",
                           f"ad {art.path.name} is {ppi:.0f} ppi at its placed size",
                           "ask the ad department for a larger original", page=p,
                           element=f"ad {ad.id}", object=art.path.name, source=source))
    if art.mode != "CMYK":
        out.append(Finding("ad.separated",
                           f"ad {art.path.name} is {art.mode}, not CMYK: separated for "
                           f"newsprint here",
                           "ask for CMYK artwork made for newsprint", page=p,
                           element=f"ad {ad.id}", object=art.path.name, source=source))
    return out


def _placeholder(ad: Ad, x: float, y: float, w: float, h: float,
                 ts: Typesetter) -> tuple[list, tuple]:
    """版样: a framed, tinted box with 广告 in its middle, the size and the order;
    and the characters that needed another font."""
    items: list = [RectItem(x, y, w, h, fill="K10", stroke="K100", stroke_pt=0.5,
                            role="ad-placeholder")]
    big = min(type_size_pt("一号", ts.style.size_table), h * 0.4, w / 3)
    small = type_size_pt("小五", ts.style.size_table)
    label = [("广告", "hei-bold", big)]
    detail = f"{ad.size + '　' if ad.size else ''}{w / MM:.0f} × {h / MM:.0f} mm"
    if h > big * 1.3 + small * 1.6:
        label.append((detail, "hei", small))
    owner = "　".join(filter(None, (ad.client, f"订单 {ad.order}" if ad.order else "")))
    if owner and h > big * 1.3 + small * 3.2:
        label.append((owner, "hei", small))
    total = sum(size * 1.45 for _, _, size in label)
    baseline = y + (h - total) / 2
    notes: tuple = ()
    for text, font, size in label:
        baseline += size * 1.2
        typeset = ts.block(text, font, size, w, "center")
        notes += typeset.notes
        for line in typeset.lines[:1]:
            items.append(TextLine(line, x, baseline, "ad-placeholder", ad.id))
        baseline += size * 0.25
    return items, notes


def check_ads_clear(loaded: LoadedSpec, grids: dict[int, PageGrid]) -> None:
    """An ad shares its grid cells with nothing: not a story's box or continuation,
    the masthead, the index box or another ad (its artwork would print over them)."""
    spec = loaded.spec
    taken: dict[int, list[tuple[Slot, str]]] = {p: [] for p in grids}
    for p, page in enumerate(spec.pages, start=1):
        grid = grids[p]
        for article in page.articles:
            for box in (article.box, *article.shape):
                taken[p].append((grid_box(box, grid), f"article {article.id!r}"))
            for box in article.continues:
                taken[box.page].append((grid_box(box, grids[box.page]),
                                        f"the continuation of {article.id!r}"))
        if page.masthead is not None:
            taken[p].append((grid_box(page.masthead.box, grid, 16, grid.columns),
                             "the masthead"))
        if page.index is not None:
            taken[p].append((grid_box(page.index.box, grid, cols=1), "the index box"))
        for panel in page.panels:
            taken[p].append((grid_box(panel.box, grid), "a tint panel"))
        for table in page.tables:
            taken[p].append((grid_box(table.box, grid), f"table {table.id!r}"))
    for p, page in enumerate(spec.pages, start=1):
        for a, ad in enumerate(page.ads):
            slot = ad_slot(ad, loaded, grids[p])
            where = loaded.place("pages", p - 1, "ads", a, "box")
            for other, name in taken[p]:
                if _overlap(slot, other):
                    raise BroadsheetError(f"ad {ad.id!r} overlaps {name} on page {p}", where)
            for rule in page.rules:
                if _crosses(rule, slot, grids[p]):
                    raise BroadsheetError(f"a rule on page {p} runs across ad {ad.id!r}", where)
            taken[p].append((slot, f"ad {ad.id!r}"))


def _crosses(rule, slot: Slot, grid: PageGrid) -> bool:
    """A rule drawn through the inside of the slot (one along its edge is fine)."""
    if rule.direction == "horizontal":          # under body line `line`
        cols = rule.cols or grid.columns - rule.col + 1
        return slot.line <= rule.line < slot.line + slot.lines - 1 and \
            rule.col < slot.col + slot.cols and slot.col < rule.col + cols
    lines = rule.lines or grid.lines - rule.line + 1      # in the gutter before `col`
    return slot.col < rule.col < slot.col + slot.cols and \
        rule.line < slot.line + slot.lines and slot.line < rule.line + lines


def grid_box(box, grid: PageGrid, lines: int | None = None, cols: int | None = None) -> Slot:
    """A spec box as a slot, with the defaults its element uses for missing sizes."""
    c = box.cols if box.cols is not None else (cols or grid.columns - box.col + 1)
    n = box.lines if box.lines is not None else (lines or grid.lines - box.line + 1)
    return Slot(box.col, c, box.line, n)


def _overlap(a: Slot, b: Slot) -> bool:
    return a.col < b.col + b.cols and b.col < a.col + a.cols and \
        a.line < b.line + b.lines and b.line < a.line + a.lines
