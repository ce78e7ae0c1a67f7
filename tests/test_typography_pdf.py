"""The sample's body text read back from the PDF with pdfplumber, line by line, and
held to what a proof-reader checks: 禁则, justification, 孤字, shared baselines."""

from __future__ import annotations

from collections import defaultdict

import pdfplumber
import pytest

from layout.compose import classes as C

BODY_FONTS = ("NotoSerifCJKsc-Regular", "NotoSansCJKsc-Bold")
TRAILING_BLANK = C.CLOSE | C.PAUSE | C.STOP


@pytest.fixture(scope="module")
def pdf_lines(sample_pdf, sample_layout):
    """{page: [(column, baseline, [chars])]} for 9-pt body text in the columns."""
    out = {}
    with pdfplumber.open(sample_pdf) as pdf:
        for page_no, page in enumerate(pdf.pages, start=1):
            grid = sample_layout.pages[page_no - 1].grid
            slug = grid.slug_pt
            rows = defaultdict(list)
            for ch in page.chars:
                if abs(ch["size"] - grid.body_size_pt) > 0.05 or \
                        not any(f in ch["fontname"] for f in BODY_FONTS):
                    continue
                x = ch["x0"] - slug
                col = int((x - grid.left_pt + grid.gutter_pt / 2) //
                          (grid.col_w_pt + grid.gutter_pt)) + 1
                baseline = float(page.height) - ch["matrix"][5]   # the text origin's y
                rows[(col, round(baseline - slug, 2))].append(ch)
            lines = []
            for (col, base), chars in sorted(rows.items()):
                if not any(BODY_FONTS[0] in c["fontname"] for c in chars):
                    continue   # bold sans alone is furniture (masthead), not a dateline
                chars.sort(key=lambda c: c["x0"])
                lines.append((col, base, chars))
            out[page_no] = (grid, lines)
    return out


def _by_column(lines):
    columns = defaultdict(list)
    for col, base, chars in lines:
        columns[col].append((base, chars))
    return columns


def test_no_forbidden_character_at_line_start_or_end(pdf_lines):
    not_start, not_end = C.KINSOKU["strict"]
    bad = []
    for page, (grid, lines) in pdf_lines.items():
        for col, base, chars in lines:
            text = "".join(c["text"] for c in chars)
            if text[0] in not_start or text[-1] in not_end:
                bad.append((page, col, text))
    assert bad == []


def test_lines_are_justified_or_paragraph_final(pdf_lines):
    total, ragged = 0, []
    for page, (grid, lines) in pdf_lines.items():
        for col, column in _by_column(lines).items():
            left = grid.slug_pt + grid.col_x(col)
            right = left + grid.col_w_pt
            for k, (base, chars) in enumerate(column):
                total += 1
                last = chars[-1]
                end = last["x1"] - (grid.body_size_pt / 2 if last["text"] in TRAILING_BLANK else 0)
                justified = abs(end - right) < 0.35
                following = column[k + 1][1] if k + 1 < len(column) else None
                next_indented = following is not None and \
                    following[0]["x0"] - left > 1.5 * grid.body_size_pt
                paragraph_final = following is None or next_indented or \
                    column[k + 1][0] - base > grid.pitch_pt * 1.5
                if not justified and not paragraph_final:
                    ragged.append((page, col, "".join(c["text"] for c in chars)))
    assert total > 500
    assert len(ragged) <= 0.01 * total, ragged[:10]


def test_no_one_character_last_lines(pdf_lines):
    bad = []
    for page, (grid, lines) in pdf_lines.items():
        for col, base, chars in lines:
            text = "".join(c["text"] for c in chars)
            body = [ch for ch in text if ch not in C.FULLWIDTH_PUNCT]
            if len(body) <= 1:
                bad.append((page, col, text))
    assert bad == []


def test_baselines_are_shared_across_columns(pdf_lines):
    for page, (grid, lines) in pdf_lines.items():
        grid_baselines = [grid.baseline(k) for k in range(1, grid.lines + 1)]
        for col, base, chars in lines:
            assert min(abs(base - b) for b in grid_baselines) < 0.02, (page, col, base)
