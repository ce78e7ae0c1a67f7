"""Shaped stories (刀把型, 倒凸型, L and Z): one story through several rectangles on
its page, read back from the PDF with pdfplumber — every character present, in
reading order column by column, inside the shape, with no jump lines and one head."""

from __future__ import annotations

import pdfplumber
import pytest

from .conftest import one_story_spec, refused_in_one_line, run_cli, write

BODY_PT, PITCH_PT, COLUMN_CHARS = 9.0, 13.0, 13
COPY = "".join(
    f"第{k}段。江川市今年持续推进城市更新行动，老旧小区改造、背街小巷整治和公园绿地建设同步推进，"
    f"居民生活环境明显改善，市民满意度持续提升。\n" for k in range(1, 16))


cli = run_cli


def shaped(tmp_path, box: str, shape: str, extra: str = ""):
    return one_story_spec(tmp_path, COPY, f"""\
        headline: 刀把型稿件的标题
        copy: a.txt
        box: {box}
        shape:
{shape}{extra}
""")


L_SHAPE = ("{col: 1, cols: 5, line: 1, lines: 20}",
           "          - {col: 1, cols: 2, line: 21, lines: 20}")
INVERTED_T = ("{col: 3, cols: 2, line: 1, lines: 30}",           # 倒凸型: the head on top
              "          - {col: 1, cols: 6, line: 31, lines: 25}")


def body_columns(pdf_path):
    """Body characters per printed column, top down; columns left to right."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if abs(c["size"] - BODY_PT) < 0.01
                 and "Serif" in c["fontname"]]
        heads = [c for c in page.chars if c["size"] > 20]
        text = page.extract_text()
    left = min(c["x0"] for c in chars)
    step = (COLUMN_CHARS + 1) * BODY_PT
    columns: dict[int, list] = {}
    for c in chars:
        columns.setdefault(int((c["x0"] - left + BODY_PT / 2) // step) + 1, []).append(c)
    for col in columns.values():
        col.sort(key=lambda c: (round(c["top"], 1), c["x0"]))
    return columns, heads, text, left


@pytest.mark.parametrize("box,shape", [L_SHAPE, INVERTED_T], ids=["L", "inverted-T"])
def test_a_shaped_story_reads_column_by_column_through_its_rectangles(tmp_path, box, shape):
    spec = shaped(tmp_path, box, shape)
    result = cli("render", spec, "-o", tmp_path / "s.pdf")
    assert result.returncode == 0, result.stderr
    columns, heads, text, _ = body_columns(tmp_path / "s.pdf")
    read = "".join(c["text"] for k in sorted(columns) for c in columns[k])
    assert read == COPY.replace("\n", "")                     # every character, in order
    assert "上接" not in text and "下转" not in text           # one piece: no jump lines
    assert "".join(c["text"] for c in heads) == "刀把型稿件的标题"   # and one head
    # every line inside the shape: a column's lines only where a rectangle has it
    import yaml
    spec_data = yaml.safe_load(spec.read_text(encoding="utf-8"))["pages"][0]["articles"][0]
    rects = [spec_data["box"], *spec_data["shape"]]
    top = min(c["top"] for c in heads) - 0.35 * PITCH_PT - 0.5 * PITCH_PT  # line 1, about
    for k, chars in columns.items():
        rows = {round((c["top"] - top) / PITCH_PT) + 1 for c in chars}
        allowed = {ln for r in rects if r["col"] <= k < r["col"] + r["cols"]
                   for ln in range(r["line"], r["line"] + r["lines"] + 1)}
        assert rows <= allowed, (k, sorted(rows - allowed))


def test_an_l_shape_runs_its_left_columns_down_the_whole_height(tmp_path):
    spec = shaped(tmp_path, *L_SHAPE)
    assert cli("render", spec, "-o", tmp_path / "s.pdf").returncode == 0
    columns, _, _, _ = body_columns(tmp_path / "s.pdf")
    depth = {k: max(c["bottom"] for c in chars) for k, chars in columns.items()}
    # columns 1–2 go on below the box (level within a line: a 孤行 may cost one)
    assert min(depth[1], depth[2]) > max(depth[3], depth[4], depth[5]) + PITCH_PT
    assert abs(depth[1] - depth[2]) <= PITCH_PT + 0.01
    first_of_col2 = columns[2][0]["text"] + columns[2][1]["text"]
    last_of_col1 = columns[1][-2]["text"] + columns[1][-1]["text"]
    assert COPY.replace("\n", "").index(last_of_col1) < COPY.replace("\n", "").index(first_of_col2)


def test_a_framed_shape_is_outlined_as_one_piece(tmp_path):
    spec = shaped(tmp_path, *L_SHAPE, extra="\n        frame: true")
    assert cli("render", spec, "-o", tmp_path / "s.pdf").returncode == 0
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        edges = [e for e in pdf.pages[0].lines if e["stroking_color"] == (0, 0, 0, 1)
                 and abs(e["linewidth"] - 0.5) < 0.01]
    horizontal = [e for e in edges if abs(e["top"] - e["bottom"]) < 0.01]
    vertical = [e for e in edges if abs(e["x0"] - e["x1"]) < 0.01]
    assert (len(horizontal), len(vertical)) == (3, 3)      # an L has six sides


def refused(tmp_path, spec):
    return refused_in_one_line(cli("render", spec, "-o", tmp_path / "s.pdf"), tmp_path / "s.pdf")


def test_rectangles_that_do_not_touch_are_refused(tmp_path):
    spec = shaped(tmp_path, "{col: 1, cols: 4, line: 1, lines: 30}",
                  "          - {col: 6, cols: 2, line: 40, lines: 20}")
    message = refused(tmp_path, spec)
    assert "s.yaml:11:13" in message and "does not touch" in message


def test_rectangles_over_each_other_are_refused(tmp_path):
    spec = shaped(tmp_path, "{col: 1, cols: 4, line: 1, lines: 30}",
                  "          - {col: 3, cols: 4, line: 20, lines: 20}")
    message = refused(tmp_path, spec)
    assert "s.yaml:11:13" in message and "lies over" in message


def test_a_shape_too_small_for_its_text_is_overset_not_cut(tmp_path):
    spec = shaped(tmp_path, "{col: 1, cols: 2, line: 1, lines: 20}",
                  "          - {col: 1, cols: 1, line: 21, lines: 5}")
    result = cli("render", spec, "-o", tmp_path / "s.pdf")
    assert result.returncode == 1 and "overset" in result.stderr


def test_a_continuation_on_the_storys_own_page_is_refused_for_a_shape(tmp_path):
    """The old way to an L: a `continues` box on page 1 printed the head again and
    （上接第一版） on page 1 itself."""
    write(tmp_path / "a.txt", COPY)
    spec = write(tmp_path / "s.yaml", """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
pages:
  - articles:
      - id: a
        headline: 刀把型稿件的标题
        copy: a.txt
        box: {col: 1, cols: 5, line: 1, lines: 20}
        continues:
          - {page: 1, col: 1, cols: 2, line: 21, lines: 20}
""")
    message = refused(tmp_path, spec)
    assert "s.yaml:10:" in message and "shape" in message
