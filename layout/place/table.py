"""Tables (天气预报, 股市行情, 电视节目表, 积分榜): rows on the page grid, cells set by
the composer, numbers aligned on the decimal point, rules as the house draws them.

A row takes as many body lines as its tallest cell; each cell line sits on a
baseline of the grid.  Rows that do not fit the box are not drawn and are
reported as overset, by count — never dropped silently.
"""

from __future__ import annotations

from ..errors import BroadsheetError
from ..findings import Finding
from ..spec.model import Table
from ..units import PT_PER_MM
from .article import resolve_box
from .findings import char_findings
from .result import PageGrid, RuleItem, TableReport, TextLine
from .typesetter import Typesetter

HEAVY_RULE_PT = 1.0       # above and below a table
LIGHT_RULE_PT = 0.5       # under the heading row, between rows and columns
FRAME_THIN_PT = 0.5       # the inner line of a 文武线 frame
FRAME_THICK_PT = 1.5


def column_widths(table: Table, width_pt: float, body_pt: float, place) -> list[float]:
    """Each column's width: its `chars` (body characters) or `width`, the rest of
    the box shared equally by the columns that give neither."""
    fixed = [c.chars * body_pt if c.chars is not None else c.width_pt for c in table.columns]
    taken = sum(w for w in fixed if w is not None)
    free = [k for k, w in enumerate(fixed) if w is None]
    if taken > width_pt + 0.01 or (free and taken >= width_pt):
        raise BroadsheetError(
            f"table {table.id!r}: its columns need {taken / PT_PER_MM:.1f} mm, its box is "
            f"{width_pt / PT_PER_MM:.1f} mm wide", place)
    share = (width_pt - taken) / len(free) if free else 0.0
    widths = [w if w is not None else share for w in fixed]
    if not free:                      # the last column takes what the others leave
        widths[-1] += width_pt - taken
    return widths


def place_table(table: Table, rows: tuple, grid: PageGrid, ts: Typesetter, place,
                page: int = 1) -> tuple[list, list[Finding], TableReport]:
    """The table's items (cell lines, rules), findings (overset rows, fallbacks) and
    how it filled its box."""
    col, cols, line, lines = resolve_box(table.box, grid)
    x0, width = grid.col_x(col), grid.span_w(cols)
    last_line = line + lines - 1
    size = table.size_pt or ts.body_size_pt
    font = table.font or ts.style.body_font
    pad = size / 2
    widths = column_widths(table, width, ts.body_size_pt, place)
    lefts = [x0 + sum(widths[:k]) for k in range(len(widths))]
    color = table.rule_color or "K"
    items: list = []
    notes: list = []
    line_no = line
    if table.title:
        title = ts.block(table.title, ts.bold("hei"), size * 1.15, width, "center")
        notes.extend(title.notes)
        for composed in title.lines:
            items.append(TextLine(composed, x0, grid.baseline(line_no, size * 1.15),
                                  "table-title", grid_line=line_no))
            line_no += 1
    top = grid.line_top(line_no)
    decimal = _decimal_tabs(table, rows, widths, lefts, pad, font, size, ts)
    body = [(True, tuple(c.title for c in table.columns))] if table.header else []
    body += [(False, row) for row in rows]
    row_bottoms: list[float] = []
    header_bottom = None
    placed_rows = 0
    for heading, cells in body:
        cell_lines = []
        for k, text in enumerate(cells):
            column = table.columns[k]
            cell_font = ts.bold(font) if heading else font
            if column.align == "decimal" and not heading:
                typeset = ts.block(text, cell_font, size, 1e6, "left")
            else:
                align = "right" if column.align == "decimal" else column.align
                typeset = ts.block(text, cell_font, size, widths[k] - 2 * pad,
                                   "justify" if align == "left" else align)
            notes.extend(typeset.notes)
            cell_lines.append(typeset.lines)
        depth = max(1, max(len(c) for c in cell_lines))
        if line_no + depth - 1 > last_line:
            break
        for k, composed_lines in enumerate(cell_lines):
            for j, composed in enumerate(composed_lines):
                if table.columns[k].align == "decimal" and not heading:
                    x = decimal[k] - _integer_width(cells[k], composed)
                else:
                    x = lefts[k] + pad
                items.append(TextLine(composed, x, grid.baseline(line_no + j, size),
                                      "table-head" if heading else "table",
                                      grid_line=line_no + j, column=k + 1))
        line_no += depth
        row_bottoms.append(grid.line_top(line_no))
        if heading:
            header_bottom = row_bottoms[-1]
        else:
            placed_rows += 1
    bottom = row_bottoms[-1] if row_bottoms else top
    items.extend(_rules(table, x0, width, lefts, top, bottom, header_bottom, row_bottoms,
                        color, grid.line_top(line)))
    findings = char_findings(tuple(notes), element=f"table {table.id}")
    if placed_rows < len(rows):
        missing = len(rows) - placed_rows
        findings.append(Finding(
            "layout.overset", f"table {table.id!r} is overset by {missing} rows of "
                              f"{len(rows)} (its box holds {placed_rows})",
            "give the table more lines, a smaller size, or fewer rows",
            element=f"table {table.id}", source=place))
    report = TableReport(table.id, page, len(rows), placed_rows, lines, line_no - line)
    return items, findings, report


def _decimal_tabs(table: Table, rows, widths, lefts, pad, font, size, ts) -> dict[int, float]:
    """For each decimal column, the x of its decimal point: the widest fraction
    (".5", ".25%") sets flush with the column's right padding."""
    tabs = {}
    for k, column in enumerate(table.columns):
        if column.align != "decimal":
            continue
        fractions = [ts.natural_width(_fraction(row[k]), font, size) for row in rows
                     if _fraction(row[k])]
        tabs[k] = lefts[k] + widths[k] - pad - max(fractions, default=0.0)
    return tabs


def _fraction(text: str) -> str:
    """What follows the integer part: ".25%" of "13.25%", "" of "23℃" (no point)."""
    i = 1 if text[:1] in "+-−±" else 0
    while i < len(text) and (text[i].isdigit() or text[i] == ","):
        i += 1
    return text[i:] if i < len(text) and text[i] == "." else ""


def _integer_width(text: str, composed) -> float:
    """Where the cell's decimal point sits in its composed line (its width if none)."""
    frac = _fraction(text)
    if not frac:
        return composed.width_pt
    index = len(text) - len(frac)
    return composed.glyphs[index].x_pt if index < len(composed.glyphs) else composed.width_pt


def _rules(table: Table, x0: float, width: float, lefts: list[float], top: float,
           bottom: float, header_bottom, row_bottoms: list[float], color: str,
           box_top: float) -> list:
    """The rules of the table's style; a frame goes round the title too (box_top)."""
    if table.rules == "none" or bottom <= top:
        return []
    x1 = x0 + width

    def across(y: float, weight: float) -> RuleItem:
        return RuleItem(x0, y, x1, y, weight, color)
    out: list = []
    if table.rules in ("header", "all"):
        out += [across(top, HEAVY_RULE_PT), across(bottom, HEAVY_RULE_PT)]
    if header_bottom is not None and header_bottom < bottom:
        out.append(across(header_bottom, LIGHT_RULE_PT))
    if table.rules == "all":
        out += [across(y, LIGHT_RULE_PT) for y in row_bottoms[:-1] if y != header_bottom]
    if table.rules in ("all", "frame"):
        out += [RuleItem(x, top, x, bottom, LIGHT_RULE_PT, color) for x in lefts[1:]]
    if table.rules == "frame" and top > box_top:      # the title stands apart from the rows
        out.append(across(top, LIGHT_RULE_PT))
    if table.rules == "frame":       # 文武线: a heavy outer line, a thin one inside it
        gap = 1.5
        for inset, weight in ((0.0, FRAME_THICK_PT), (gap + FRAME_THICK_PT / 2, FRAME_THIN_PT)):
            a, b = x0 - 2 - FRAME_THICK_PT / 2 + inset, x1 + 2 + FRAME_THICK_PT / 2 - inset
            t, u = box_top - 2 + inset, bottom + 2 - inset
            out += [RuleItem(a, t, b, t, weight, color), RuleItem(a, u, b, u, weight, color),
                    RuleItem(a, t, a, u, weight, color), RuleItem(b, t, b, u, weight, color)]
    return out
