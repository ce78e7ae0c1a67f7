"""Layout integrity: after placement, every element where the spec put it.

What a make-up editor checks on the 大样 before anything else: no two elements
share the same part of the page (unless the spec says one is meant to sit over
the other), every story's deck, lines, photos and captions inside its own box,
and nothing past the trim.  Each fault is an error finding with both names and
its size in mm — the page still prints, so the desk can see it.
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import SourcePlace
from ..findings import Finding
from ..spec import LoadedSpec
from ..units import PT_PER_MM
from .ads import Slot, ad_slot, grid_box
from .result import ImageItem, Page, PageGrid, TextLine

TOLERANCE_PT = 0.5        # drawing slack: half a point is no fault


class Element(NamedTuple):
    """One element of a page on the grid: what it is, where, and whether the spec
    means it to sit over (a panel: under) what it meets."""

    name: str                 # "article 'a'", "the continuation of 'a'", "ad 'tea'" …
    page: int
    slot: Slot
    over: bool
    source: SourcePlace | None
    story: str | None = None  # the article a box or continuation holds
    kind: str = ""            # article, continuation, masthead, index, panel, ad


def page_elements(loaded: LoadedSpec, grids: dict[int, PageGrid]) -> list[Element]:
    """Every boxed element of the edition, page by page, in spec order."""
    out: list[Element] = []
    for p, page in enumerate(loaded.spec.pages, start=1):
        grid = grids[p]
        where = ("pages", p - 1)
        if page.masthead is not None:
            out.append(Element("the masthead", p, grid_box(page.masthead.box, grid, 16,
                                                             grid.columns),
                               page.masthead.over, loaded.place(*where, "masthead", "box"),
                               kind="masthead"))
        if page.index is not None:
            out.append(Element("the index box", p, grid_box(page.index.box, grid, cols=1),
                               page.index.over, loaded.place(*where, "index", "box"),
                               kind="index"))
        for k, panel in enumerate(page.panels):
            out.append(Element(f"panel {k + 1}", p, grid_box(panel.box, grid), panel.over,
                               loaded.place(*where, "panels", k, "box"), kind="panel"))
        for a, article in enumerate(page.articles):
            out.append(Element(f"article {article.id!r}", p, grid_box(article.box, grid),
                               article.over, loaded.place(*where, "articles", a, "box"),
                               article.id, "article"))
            for k, rect in enumerate(article.shape):     # the rest of a shaped story
                out.append(Element(f"article {article.id!r}", p, grid_box(rect, grid),
                                   article.over, loaded.place(*where, "articles", a, "shape", k),
                                   article.id, "article"))
            for c, box in enumerate(article.continues):
                out.append(Element(f"the continuation of {article.id!r}", box.page,
                                   grid_box(box, grids[box.page]), article.over,
                                   loaded.place(*where, "articles", a, "continues", c),
                                   article.id, "continuation"))
        for t, table in enumerate(page.tables):
            out.append(Element(f"table {table.id!r}", p, grid_box(table.box, grid), table.over,
                               loaded.place(*where, "tables", t, "box"), kind="table"))
        for a, ad in enumerate(page.ads):
            out.append(Element(f"ad {ad.id!r}", p, ad_slot(ad, loaded, grid), False,
                               loaded.place(*where, "ads", a, "box"), kind="ad"))
    return out


def shared_cells(a: Slot, b: Slot) -> Slot | None:
    """The grid cells two slots share, if any."""
    col, line = max(a.col, b.col), max(a.line, b.line)
    cols = min(a.col + a.cols, b.col + b.cols) - col
    lines = min(a.line + a.lines, b.line + b.lines) - line
    return Slot(col, cols, line, lines) if cols > 0 and lines > 0 else None


def overlaps(elements: list[Element], grids: dict[int, PageGrid]) -> list[Finding]:
    """Two elements on the same cells print over each other: an error naming both,
    unless either is marked `over: true` (a tint panel behind a group, a photo
    story set over another on purpose)."""
    out = []
    for i, a in enumerate(elements):
        for b in elements[i + 1:]:
            if a.page != b.page or a.over or b.over or (a.story and a.story == b.story):
                continue
            cells = shared_cells(a.slot, b.slot)
            if cells is None:
                continue
            grid = grids[a.page]
            w = grid.span_w(cells.cols) / PT_PER_MM
            h = cells.lines * grid.pitch_pt / PT_PER_MM
            last_col, last_line = cells.col + cells.cols - 1, cells.line + cells.lines - 1
            out.append(Finding(
                "layout.overlap",
                f"{a.name} and {b.name} overlap by {w:.0f} × {h:.0f} mm (columns "
                f"{cells.col}–{last_col}, lines {cells.line}–{last_line})",
                "move or resize one of them, or mark the one meant to sit over the other "
                "with over: true", page=a.page, story=a.story or b.story,
                x_mm=grid.col_x(cells.col) / PT_PER_MM,
                y_mm=grid.line_top(cells.line) / PT_PER_MM, source=b.source))
    return out


def _rect(grid: PageGrid, slot: Slot) -> tuple[float, float, float, float]:
    """A slot's cells in points (x0, y0, x1, y1), out to half a gutter either side
    (hanging punctuation and frames may use it), never past the type area."""
    x0, x1 = grid.box_edges(slot.col, slot.col + slot.cols - 1)
    return x0, grid.line_top(slot.line), x1, grid.line_top(slot.line + slot.lines)


def item_extent(item) -> tuple[float, float, float, float] | None:
    """What an item covers on the page, in points (x0, y0, x1, y1)."""
    if isinstance(item, ImageItem):
        return item.x_pt, item.y_pt, item.x_pt + item.width_pt, item.y_pt + item.height_pt
    if isinstance(item, TextLine) and item.line.glyphs and item.turned:   # runs down
        size = max(g.size_pt for g in item.line.glyphs)
        return (item.x_pt - 0.12 * size, item.baseline_pt,
                item.x_pt + 0.88 * size, item.baseline_pt + item.line.width_pt)
    if isinstance(item, TextLine) and item.line.glyphs:
        size = max(g.size_pt for g in item.line.glyphs)
        left = min(g.x_pt for g in item.line.glyphs)
        return (item.x_pt + min(0.0, left), item.baseline_pt - 0.88 * size,
                item.x_pt + item.line.width_pt, item.baseline_pt + 0.12 * size)
    return None


_STORY_ROLES = frozenset(("body", "byline", "subhead", "kicker", "headline", "subtitle",
                          "drop-cap", "note",
                          "caption", "jump", "jump-head", "kicker-vertical",
                          "headline-vertical", "subtitle-vertical", "body-vertical",
                          "byline-vertical", "subhead-vertical", "jump-vertical"))


def strays(pages: tuple[Page, ...], elements: list[Element]) -> list[Finding]:
    """A story's deck, lines, photos and captions outside its own boxes (a photo
    deeper than its article, a caption pushed off the page), and anything past
    the trim: one finding per story, kind of item and page, with how far out."""
    boxes: dict[tuple[str, int], list[tuple]] = {}
    for element in elements:
        if element.story is not None:
            grid = pages[element.page - 1].grid
            boxes.setdefault((element.story, element.page), []).append(
                (_rect(grid, element.slot), element.source))
    out: list[Finding] = []
    seen: set[tuple] = set()
    for page in pages:
        grid = page.grid
        for item in page.items:
            extent = item_extent(item)
            if extent is None:
                continue
            x0, y0, x1, y1 = extent
            if x0 < -TOLERANCE_PT or y0 < -TOLERANCE_PT or x1 > grid.trim_w_pt + TOLERANCE_PT \
                    or y1 > grid.trim_h_pt + TOLERANCE_PT:
                key = ("trim", page.number, _what(item), getattr(item, "story", None))
                if key not in seen:
                    seen.add(key)
                    out.append(Finding(
                        "layout.outside", f"{_what(item)} runs past the trim",
                        "give it a box inside the page", page=page.number,
                        story=getattr(item, "story", None),
                        x_mm=max(0.0, x0) / PT_PER_MM, y_mm=max(0.0, y0) / PT_PER_MM,
                        context=_text(item)))
                continue
            story = getattr(item, "story", None)
            if story is None or (isinstance(item, TextLine) and item.role not in _STORY_ROLES):
                continue
            own = boxes.get((story, page.number))
            if not own:
                continue
            beyond = min(_beyond(extent, rect) for rect, _ in own)
            if beyond <= TOLERANCE_PT:
                continue
            key = (story, page.number, _what(item))
            if key in seen:
                continue
            seen.add(key)
            out.append(Finding(
                "layout.outside",
                f"{_what(item)} of story {story!r} reaches {beyond / PT_PER_MM:.0f} mm "
                f"outside its box",
                "give it fewer lines (a photo: its box's lines), or its article more room",
                page=page.number, story=story, x_mm=x0 / PT_PER_MM, y_mm=y0 / PT_PER_MM,
                source=own[0][1], context=_text(item)))
    return out


def _beyond(extent, rect) -> float:
    """How far an extent reaches outside a rectangle (0 when inside)."""
    x0, y0, x1, y1 = extent
    r0, s0, r1, s1 = rect
    return max(0.0, r0 - x0, s0 - y0, x1 - r1, y1 - s1)


def _what(item) -> str:
    if isinstance(item, ImageItem):
        return "a photo"
    return {"body": "a body line", "byline": "the byline", "subhead": "a subhead",
            "caption": "a caption", "jump": "a jump line", "jump-head": "the jump head"}.get(
        item.role, f"the {item.role.split('-')[0]}" if item.role else "a line")


def _text(item) -> str:
    return item.line.text if isinstance(item, TextLine) else ""


def check_integrity(loaded: LoadedSpec, pages: tuple[Page, ...],
                    grids: dict[int, PageGrid]) -> list[Finding]:
    """The integrity pass over the laid-out edition (render and check run it)."""
    elements = [e for e in page_elements(loaded, grids) if e.kind != "ad"]
    # Ads are kept clear before placement (an ad over anything is refused); here
    # the rest of the page: stories, continuations, masthead, index, panels.
    return overlaps(elements, grids) + strays(pages, elements)
