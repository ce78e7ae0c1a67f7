"""The page grid from the spec's geometry (all in points)."""

from __future__ import annotations

from ..findings import Finding
from ..spec.model import Geometry, Marks
from ..spec.presets import page_size_pt
from ..units import PT_PER_MM
from .result import PageGrid

MARK_SLUG_PT = 12 * PT_PER_MM   # room outside the trim for bleed and crop marks


def marks_of(geometry: Geometry) -> Marks | None:
    """The marks to draw, or None for a page at bleed size with no marks."""
    if geometry.marks is True:
        return Marks()
    if geometry.marks is False:
        return None
    m = geometry.marks
    return m if (m.crop or m.registration or m.color_bars or m.slug) else None


def make_grid(geometry: Geometry, size: str | None = None) -> tuple[PageGrid, list[Finding]]:
    """Columns a whole number of body characters wide, centred on the page; and
    where the spec's geometry had to give way."""
    findings: list[Finding] = []
    trim_w, trim_h = page_size_pt(size or geometry.size)
    em = geometry.body_size_pt
    col_w = geometry.column_chars * em
    gutter = geometry.gutter_chars * em
    columns = geometry.columns
    type_w = columns * col_w + (columns - 1) * gutter
    if type_w > trim_w - 2 * 8 * PT_PER_MM:
        # Too wide for the page: fit the most whole characters that leave 8 mm margins.
        chars = int(((trim_w - 16 * PT_PER_MM) / em - (columns - 1) * geometry.gutter_chars)
                    // columns)
        findings.append(Finding("layout.grid", f"{geometry.column_chars} characters per "
                                               f"column do not fit the page; using {chars}",
                                "give fewer columns, characters or gutter"))
        col_w = chars * em
        type_w = columns * col_w + (columns - 1) * gutter
    left = (trim_w - type_w) / 2
    top = geometry.top_pt
    available = trim_h - top - geometry.bottom_pt
    lines = geometry.lines or int(available // geometry.pitch_pt)
    if geometry.lines and lines * geometry.pitch_pt > available + 0.01:
        findings.append(Finding("layout.grid", f"{geometry.lines} lines do not fit between "
                                               f"the margins",
                                "give fewer lines, a smaller pitch or smaller margins"))
    slug = MARK_SLUG_PT if marks_of(geometry) is not None else geometry.bleed_pt
    return PageGrid(trim_w, trim_h, geometry.bleed_pt, slug, left, top, columns, col_w,
                    gutter, geometry.pitch_pt, lines, em), findings
