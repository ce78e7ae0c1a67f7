"""The layout result: pages of positioned items, and the per-story report.

Coordinates are points from the top-left corner of the trim, y pointing down
(the desk's view of a page); the painter converts to PDF space.  Inspect a
layout here without reading any PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..compose.text import Line
from ..findings import Finding
from ..spec.artwork import Artwork


class TextLine(NamedTuple):
    """A typeset line at a place on the page."""

    line: Line
    x_pt: float               # left edge of the line's measure
    baseline_pt: float        # from the trim top
    role: str                 # body, head, kicker, subtitle, byline, caption, jump, folio …
    story: str | None = None  # the article id, for body text
    frame: int | None = None  # which frame of the story's chain (0-based)
    column: int | None = None  # page column (1-based) for body lines
    grid_line: int | None = None  # body line on the page grid (1-based)
    color: str = "K"
    actual: str | None = None  # the text as written, where glyphs stand for other
                               # characters (a vertical head's ﹁ for “): ActualText
    turned: bool = False       # 竖排: set running down the page from (x, baseline),
                               # its glyphs turned 90° clockwise (Latin in vertical text)


class ImageItem(NamedTuple):
    file: str
    x_pt: float
    y_pt: float
    width_pt: float
    height_pt: float
    fit: str = "fill"
    focus: tuple[float, float] = (0.5, 0.5)
    story: str | None = None


class AdItem(NamedTuple):
    """Supplied ad artwork in its slot: painted untouched (a PDF as a form, an image
    as supplied), its trim on the slot, scaled only when `fit` asks."""

    ad: str                   # the ad's id
    artwork: Artwork
    x_pt: float               # the slot
    y_pt: float
    width_pt: float
    height_pt: float
    fit: str = "exact"        # exact, contain, cover


class RuleItem(NamedTuple):
    x1_pt: float
    y1_pt: float
    x2_pt: float
    y2_pt: float
    weight_pt: float = 0.5
    color: str = "K"
    style: str = "solid"      # solid, dotted (点线), wavy (花线)


class RectItem(NamedTuple):
    x_pt: float
    y_pt: float
    width_pt: float
    height_pt: float
    fill: str | None = None       # a colour name or "K10"-style tint
    stroke: str | None = None
    stroke_pt: float = 0.5
    role: str = "panel"


class PageGrid(NamedTuple):
    """The page's geometry: trim, bleed and the column/baseline grid."""

    trim_w_pt: float
    trim_h_pt: float
    bleed_pt: float
    slug_pt: float            # room outside the bleed for marks (0: none)
    left_pt: float            # type area from the trim's left edge
    top_pt: float             # type area from the trim's top edge
    columns: int
    col_w_pt: float
    gutter_pt: float
    pitch_pt: float
    lines: int
    body_size_pt: float

    @property
    def type_w_pt(self) -> float:
        return self.columns * self.col_w_pt + (self.columns - 1) * self.gutter_pt

    @property
    def type_h_pt(self) -> float:
        return self.lines * self.pitch_pt

    def col_x(self, col: int) -> float:
        """Left edge of column `col` (1-based)."""
        return self.left_pt + (col - 1) * (self.col_w_pt + self.gutter_pt)

    def span_w(self, cols: int) -> float:
        return cols * self.col_w_pt + (cols - 1) * self.gutter_pt

    def box_edges(self, col: int, last: int) -> tuple[float, float]:
        """Left and right of a box over columns col–last: half a gutter beyond the
        text each side (frames, hanging marks), never past the type area."""
        return (self.col_x(col) - (self.gutter_pt / 2 if col > 1 else 0.0),
                self.col_x(last) + self.col_w_pt
                + (self.gutter_pt / 2 if last < self.columns else 0.0))

    def line_top(self, line: int) -> float:
        """Top of body line `line` (1-based)."""
        return self.top_pt + (line - 1) * self.pitch_pt

    def baseline(self, line: int, size_pt: float | None = None) -> float:
        """Baseline of body line `line`: the em box centred in the line's pitch."""
        size = size_pt or self.body_size_pt
        return self.line_top(line) + (self.pitch_pt - size) / 2 + 0.88 * size


class Page(NamedTuple):
    number: int               # 1-based
    section: str
    grid: PageGrid
    items: tuple = ()


@dataclass(frozen=True)
class FrameUse:
    """How much of one frame of a story's chain was used."""

    page: int
    col: int
    cols: int
    line: int
    lines: int
    lines_capacity: int       # body lines available to text in this frame
    lines_used: int
    chars: int                # body characters set in this frame


@dataclass(frozen=True)
class StoryReport:
    id: str
    frames: tuple[FrameUse, ...]
    chars: int                # body characters in the copy
    chars_set: int            # body characters on the pages
    overset_lines: int
    overset_chars: int
    underset_lines: int       # empty body lines left in the last frame used
    underset_chars: int       # about how many characters those lines would take
    jumps_to: tuple[int, ...] = ()    # page numbers the jump lines name
    page: int = 1             # where the story starts


@dataclass(frozen=True)
class TableReport:
    """How a table filled its box: rows set and over, body lines used and spare."""

    id: str
    page: int
    rows: int                 # data rows, the heading not counted
    rows_set: int
    lines_capacity: int
    lines_used: int

    @property
    def rows_over(self) -> int:
        return self.rows - self.rows_set


@dataclass(frozen=True)
class Layout:
    """The edition laid out: its pages, a report per story and per table, and what
    laying it out found (passes: how many layouts page references took to settle)."""

    pages: tuple[Page, ...]
    stories: tuple[StoryReport, ...]
    findings: tuple[Finding, ...] = ()
    passes: int = 1
    tables: tuple[TableReport, ...] = ()

    def story(self, story_id: str) -> StoryReport:
        for s in self.stories:
            if s.id == story_id:
                return s
        raise KeyError(story_id)
