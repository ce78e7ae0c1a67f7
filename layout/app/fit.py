"""`fit` (copy-fitting): per story, how many characters to cut or may add (需删 / 可加);
per table, how many rows are over or lines to spare."""

from __future__ import annotations

from ..place.result import Layout, StoryReport, TableReport, TextLine
from ..spec import LoadedSpec


def fit_rows(loaded: LoadedSpec, layout: Layout) -> list[dict]:
    """One row per story, then per table: pages, characters (rows for a table),
    lines over or under, and the verdict."""
    return [*(_fit_row(loaded, layout, story) for story in layout.stories),
            *(_table_row(table) for table in layout.tables)]


def _table_row(table: TableReport) -> dict:
    spare = table.lines_capacity - table.lines_used
    if table.rows_over:
        verdict = f"需删 {table.rows_over} 行数据"
    elif spare:
        verdict = f"可加 {spare} 行"
    else:
        verdict = "正好"
    return {"story": table.id, "table": True, "pages": str(table.page), "chars": 0,
            "rows": table.rows, "over_rows": table.rows_over, "over_chars": 0,
            "over_lines": 0, "can_add_chars": 0, "under_lines": 0 if table.rows_over else spare,
            "lines_over": table.rows_over or -spare, "verdict": verdict}


def _fit_row(loaded: LoadedSpec, layout: Layout, story: StoryReport) -> dict:
    em = loaded.spec.geometry.body_size_pt
    spare_on_last_line = 0
    last = None
    for page in layout.pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.story == story.id and item.role == "body":
                last = item
    if last is not None and not story.overset_lines:
        spare_on_last_line = int((last.line.measure_pt - last.line.width_pt) // em + 1e-6)
    can_add = story.underset_chars + spare_on_last_line if not story.overset_lines else 0
    if story.overset_chars:
        verdict = f"需删 {story.overset_chars} 字"
    elif can_add:
        verdict = f"可加 {can_add} 字"
    else:
        verdict = "正好"
    pages = sorted({f.page for f in story.frames})
    return {"story": story.id, "pages": ",".join(map(str, pages)), "chars": story.chars,
            "over_chars": story.overset_chars, "over_lines": story.overset_lines,
            "can_add_chars": can_add, "under_lines": story.underset_lines,
            "lines_over": story.overset_lines or -story.underset_lines, "verdict": verdict}
