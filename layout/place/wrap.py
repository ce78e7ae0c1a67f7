"""图文绕排: a photo standing inside a story's columns, the text running round it.

The photo's stand-off (its width plus whole characters each side, its lines plus
whole lines above and below) leaves each line beside it a shorter measure on
the grid.  The story's lines are composed again to the measures of the places
the flow put them in (`wrap_landed`), until each line sits where it was set
for; a line that still runs into the stand-off is an error, never silent.
"""

from __future__ import annotations

from typing import NamedTuple

from ..findings import Finding
from ..spec.model import Article
from ..units import PT_PER_MM
from .article import FramePlan
from .result import PageGrid, TextLine

MIN_WRAP_CHARS = 3        # fewer characters beside a photo than this: the line stays empty


class WrapZone(NamedTuple):
    """A wrapped photo with its stand-off, in points on the page (x0, y0, x1, y1),
    and the grid lines it covers."""

    x0: float
    y0: float
    x1: float
    y1: float
    first_line: int
    last_line: int


def wrap_zones(article: Article, grid: PageGrid, col: int, body_line: int,
               last_line: int) -> list[WrapZone]:
    """The stand-off area round each wrapped photo (图文绕排): its width plus
    `standoff` characters each side, its lines plus `standoff_lines` above and below."""
    em = grid.body_size_pt
    out = []
    for photo in article.photos:
        if photo.wrap is None:
            continue
        w = photo.wrap
        top = body_line + photo.box.line - 1
        first = max(body_line, top - w.standoff_lines)
        last = min(last_line, top + (photo.box.lines or 1) - 1 + w.standoff_lines)
        x0 = grid.col_x(col) + (w.x - w.standoff) * em
        x1 = grid.col_x(col) + (w.x + w.chars + w.standoff) * em
        out.append(WrapZone(x0, grid.line_top(first), x1, grid.line_top(last + 1), first, last))
    return out


def wrap_slots(zones: list[WrapZone], grid: PageGrid, col: int, cols: int
               ) -> tuple[dict[tuple[int, int], tuple[float, float]], dict[int, list]]:
    """What the zones leave of each line beside them: (column, grid line) → (left,
    right) inset in whole characters' points, the text kept on the wider side; and
    the lines a zone leaves too little of (fewer than MIN_WRAP_CHARS), as blocked spans."""
    em = grid.body_size_pt
    insets: dict[tuple[int, int], tuple[float, float]] = {}
    blocked: dict[int, list] = {}
    for c in range(col, col + cols):
        c0, c1 = grid.col_x(c), grid.col_x(c) + grid.col_w_pt
        for zone in zones:
            if zone.x1 <= c0 + 0.01 or zone.x0 >= c1 - 0.01:
                continue
            left_room = int(max(0.0, zone.x0 - c0) / em + 1e-6)
            right_room = int(max(0.0, c1 - zone.x1) / em + 1e-6)
            chars = round(grid.col_w_pt / em)
            if max(left_room, right_room) < MIN_WRAP_CHARS:
                blocked.setdefault(c, []).append((zone.first_line, zone.last_line))
                continue
            inset = (0.0, (chars - left_room) * em) if left_room >= right_room \
                else ((chars - right_room) * em, 0.0)
            for ln in range(zone.first_line, zone.last_line + 1):
                old = insets.get((c, ln), (0.0, 0.0))
                insets[(c, ln)] = (max(old[0], inset[0]), max(old[1], inset[1]))
    return insets, blocked


WRAP_PASSES = 8


def wrap_landed(frame: FramePlan, items, lines) -> dict[int, tuple[float, float]]:
    """Where the flow put each line beside a wrapped photo: line index → the
    slot's (left, right) insets."""
    insets = dict(frame.insets)
    index = {id(fl.line): k for k, fl in enumerate(lines) if fl.line is not None}
    out = {}
    for item in items:
        if isinstance(item, TextLine) and item.frame == 0 and id(item.line) in index:
            slot = insets.get((item.column, item.grid_line))
            if slot is not None:
                out[index[id(item.line)]] = slot
    return out


def into_standoff(story: str, frame: FramePlan, items, page: int, where) -> list[Finding]:
    """A line that runs into a wrapped photo's stand-off (set for another place than
    the one it landed in): an error with its place, never printed silently."""
    out = []
    for item in items:
        if not (isinstance(item, TextLine) and item.frame == 0 and item.line.glyphs):
            continue
        x0 = item.x_pt + min(g.x_pt for g in item.line.glyphs)
        x1 = item.x_pt + item.line.width_pt
        for zone in frame.zones:
            if zone.first_line <= (item.grid_line or 0) <= zone.last_line \
                    and x0 < zone.x1 - 0.5 and x1 > zone.x0 + 0.5:
                out.append(Finding("layout.wrap", f"a line of story {story!r} runs into "
                                   f"the stand-off of its wrapped photo: "
                                   f"{item.line.text[:12]}…",
                                   "move the photo a line, or give it more stand-off",
                                   page=page, story=story, source=where,
                                   x_mm=x0 / PT_PER_MM, y_mm=item.baseline_pt / PT_PER_MM))
                break
    return out
