"""`diff`: what changed between two proofs — two specs, two dumps or two PDFs."""

from __future__ import annotations

from pathlib import Path

from ..errors import BroadsheetError
from ..paint.text import dump_layout
from ..prepress.diff import LayoutDiff, Row, diff_rows, parse_dump, picture_diff
from ..spec import load_spec
from ..spec.yamlsource import read_text
from .preview import refuse_unsafe
from .render import typeset


def diff_sources(before: Path, after: Path, pictures: Path) -> LayoutDiff:
    """Stories reflowed, lines moved and pages changed; for specs and PDFs, a picture
    of each changed page with the changes boxed, written into `pictures`."""
    rows_a, pdf_a = _proof(before)
    rows_b, pdf_b = _proof(after)
    result = diff_rows(rows_a, rows_b) if rows_a is not None and rows_b is not None \
        else LayoutDiff()
    if pdf_a is not None and pdf_b is not None:
        pages, result.pictures = picture_diff(pdf_a, pdf_b, None, pictures, after.stem)
        result.pages = sorted(set(result.pages) | set(pages))
    return result


def _proof(path: Path) -> tuple[list[Row] | None, bytes | Path | None]:
    """A proof's lines (from a spec or a dump) and its PDF (from a spec or a PDF)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        if not path.is_file():
            raise BroadsheetError(f"PDF not found: {path}")
        refuse_unsafe(path)
        return None, path
    if suffix in (".yaml", ".yml"):
        layout, pdf = typeset(load_spec(path), proof=True)
        return parse_dump(dump_layout(layout)), pdf
    return parse_dump(read_text(path, "dump")), None
