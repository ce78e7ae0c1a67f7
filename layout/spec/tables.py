"""Tables' rows as the spec gives them: inline, or read from a UTF-8 CSV file,
checked against the table's columns (a row with more cells than columns is an
error naming its line)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import BroadsheetError, SourcePlace
from .model import Spec
from .yamlsource import NotUtf8Error, Positions, read_text

Rows = tuple[tuple[str, ...], ...]


def table_rows(spec: Spec, positions: Positions, base: Path) -> dict[str, Rows]:
    """Every table's rows, as text, by table id."""
    out: dict[str, Rows] = {}
    for p, page in enumerate(spec.pages):
        for t, table in enumerate(page.tables):
            where = ("pages", p, "tables", t)
            if table.csv is not None and table.rows:
                raise BroadsheetError(f"table {table.id!r} has both rows and csv; keep one",
                                      positions.place(where + ("csv",)))
            if table.csv is not None:
                numbered = _csv_rows(base / table.csv, positions.place(where + ("csv",)))
                titles = tuple(c.title for c in table.columns)
                if numbered and numbered[0][1] == titles:    # the sheet's own heading row
                    numbered = numbered[1:]
                rows = [row for _, row in numbered]
                places = [SourcePlace(table.csv, line) for line, _ in numbered]
            else:
                rows = [tuple(_cell(v) for v in row) for row in table.rows]
                places = [positions.place(where + ("rows", k)) for k in range(len(rows))]
            n = len(table.columns)
            for row, place in zip(rows, places):
                if len(row) > n:
                    raise BroadsheetError(
                        f"table {table.id!r}: a row of {len(row)} cells, but the table has "
                        f"{n} columns: {', '.join(row)}", place)
            out[table.id] = tuple(tuple(row) + ("",) * (n - len(row)) for row in rows)
    return out


def _cell(value) -> str:
    return (repr(value) if isinstance(value, float) else str(value)).strip()


def _csv_rows(path: Path, place: SourcePlace) -> list[tuple[int, tuple[str, ...]]]:
    """(line number, cells) for each non-empty row."""
    try:
        text = read_text(path, "CSV file", place)
    except NotUtf8Error as exc:
        where = f", line {exc.place.line}" if exc.place and exc.place.line else ""
        raise BroadsheetError(f"CSV file {path.name} is not UTF-8 (GB18030 or GBK from a "
                              f"spreadsheet?{where}): save it as UTF-8 (CSV UTF-8)",
                              place) from None
    reader = csv.reader(io.StringIO(text))
    return [(reader.line_num, tuple(cell.strip() for cell in row))
            for row in reader if any(cell.strip() for cell in row)]
