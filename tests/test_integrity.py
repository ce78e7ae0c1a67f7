"""The integrity pass and the placement faults it was built for: overlaps, photos
and lines outside their article, a typed index page that is wrong, a story that
jumps when it fits; and the page defaults a layout editor would send back.
Findings are read from the report the command line writes; what is printed is
read back from the PDF with pdfplumber."""

from __future__ import annotations

import json
import subprocess
import sys

import pdfplumber
import pytest
from PIL import Image

from layout.place import layout_edition
from layout.place.result import TextLine
from layout.spec import load_spec

from .conftest import ROOT, write

PT_PER_MM = 72 / 25.4
PARA = "江川市今年持续推进城市更新行动，老旧小区改造、背街小巷整治和公园绿地建设同步推进，居民生活环境明显改善。"


def render(spec, *extra):
    out, report = spec.with_suffix(".pdf"), spec.with_suffix(".json")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(out), "--report", str(report), *map(str, extra)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"] \
        if report.exists() else []
    return result, findings, out


def spec_with(tmp_path, pages: str, style: str = "{}", copy: dict | None = None):
    for name, text in (copy or {"a": PARA * 3, "b": PARA * 3}).items():
        write(tmp_path / f"{name}.txt", text)
    return write(tmp_path / "s.yaml", f"""\
paper: {{name: 测试日报}}
edition: {{date: 2026-11-25}}
geometry: {{marks: false}}
style: {style}
pages:
{pages}""")


def codes(findings, severity=None):
    return [f["code"] for f in findings if severity is None or f["severity"] == severity]


TWO_ARTICLES = """\
  - section: 要闻
    articles:
      - {{id: a, headline: 第一条, copy: a.txt, box: {{col: 1, cols: 4, line: 1, lines: 30}}}}
      - {{id: b, headline: 第二条, copy: b.txt, box: {{col: 3, cols: 4, line: 20, lines: 20}}{b_extra}}}
"""


def test_overlapping_articles_are_an_error_naming_both_and_the_overlap_in_mm(tmp_path):
    result, findings, out = render(spec_with(tmp_path, TWO_ARTICLES.format(b_extra="")))
    assert result.returncode == 1 and out.exists()       # the proof shows the fault
    overlap = [f for f in findings if f["code"] == "layout.overlap"]
    assert len(overlap) == 1 and overlap[0]["severity"] == "error"
    message = overlap[0]["message"]
    assert "'a'" in message and "'b'" in message and "columns 3–4, lines 20–30" in message
    grid = layout_edition(load_spec(tmp_path / "s.yaml")).pages[0].grid
    width_mm = (2 * grid.col_w_pt + grid.gutter_pt) / PT_PER_MM
    height_mm = 11 * grid.pitch_pt / PT_PER_MM
    assert f"{width_mm:.0f} × {height_mm:.0f} mm" in message
    assert ":9:" in overlap[0]["source"]                # the second article's box
    assert "layout.overlap" in result.stderr


def test_an_element_marked_over_may_sit_over_another(tmp_path):
    result, findings, _ = render(spec_with(tmp_path, TWO_ARTICLES.format(b_extra=", over: true")))
    assert "layout.overlap" not in codes(findings)


def _trim_top(page) -> float:
    """Where the trim's top edge is in pdfplumber's coordinates (from the media box's
    top), as the PDF's own TrimBox says."""
    return page.trimbox[1]


def _photo(tmp_path, name="p.jpg", size=(600, 900)):
    Image.new("RGB", size, (120, 140, 160)).save(tmp_path / name, quality=90)


def test_a_photo_deeper_than_its_article_is_reported_with_its_story(tmp_path):
    _photo(tmp_path)
    pages = """\
  - section: 要闻
    articles:
      - id: a
        headline: 第一条
        copy: a.txt
        box: {col: 1, cols: 4, line: 1, lines: 20}
        photos: [{file: p.jpg, box: {col: 1, cols: 2, line: 1, lines: 30}, caption: 图片说明}]
"""
    result, findings, _ = render(spec_with(tmp_path, pages))
    outside = [f for f in findings if f["code"] == "layout.outside"]
    assert result.returncode == 1
    assert {f["story"] for f in outside} == {"a"}
    assert any("photo" in f["message"] for f in outside)
    assert any("caption" in f["message"] for f in outside)


def test_a_photo_sized_by_the_flow_stays_in_its_article_when_the_story_jumps(tmp_path):
    _photo(tmp_path, size=(600, 2400))         # tall: its own aspect wants the whole box
    pages = """\
  - section: 要闻
    articles:
      - id: a
        headline: 第一条
        copy: a.txt
        box: {col: 1, cols: 4, line: 1, lines: 40}
        photos: [{file: p.jpg, box: {col: 1, cols: 2, line: 1}, caption: 图片说明}]
        continues: [{page: 2, col: 1, cols: 8, line: 1, lines: 60}]
  - section: 第二版
"""
    result, findings, out = render(spec_with(tmp_path, pages, copy={"a": PARA * 30}))
    assert "layout.outside" not in codes(findings) and "layout.overlap" not in codes(findings)
    layout = layout_edition(load_spec(tmp_path / "s.yaml"))
    grid = layout.pages[0].grid
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        box_bottom = grid.line_top(41) + _trim_top(page)
        images = page.images
        assert len(images) == 1
        assert images[0]["bottom"] <= box_bottom + 0.5
        captions = [c for c in page.chars if c["size"] < 8]          # 六号 captions
        assert captions and max(c["bottom"] for c in captions) <= box_bottom + 0.5


INDEX_PAGES = """\
  - section: 要闻
    index:
      box: {{col: 7, cols: 2, line: 1, lines: 12}}
      items:
        - {{text: 第一条新闻, ref: a, page: {typed}}}
    articles:
      - {{id: a, headline: 第一条, copy: a.txt, box: {{col: 1, cols: 4, line: 1, lines: 30}}}}
  - section: 第二版
"""


def test_a_typed_index_page_that_disagrees_with_the_layout_is_an_error_at_render(tmp_path):
    result, findings, _ = render(spec_with(tmp_path, INDEX_PAGES.format(typed=3)))
    wrong = [f for f in findings if f["code"] == "index.page"]
    assert result.returncode == 1 and len(wrong) == 1 and wrong[0]["severity"] == "error"
    assert wrong[0]["source"].endswith(":10:39")          # the typed page itself
    result, findings, _ = render(spec_with(tmp_path, INDEX_PAGES.format(typed=1)))
    assert "index.page" not in codes(findings)


JUMPING = """\
  - section: 要闻
    articles:
      - id: a
        headline: 第一条
        copy: a.txt
        box: {{col: 1, cols: 6, line: 1, lines: 40}}
        photos: [{{file: p.jpg, box: {{col: 1, cols: 3, line: 1, lines: 30}}}}]
{continues}
  - section: 第二版
"""


@pytest.mark.parametrize("balance", [True, False])
def test_a_story_that_fits_its_first_box_never_jumps(tmp_path, balance):
    _photo(tmp_path)
    style = f"{{balance: {str(balance).lower()}}}"
    # Columns of unequal depth beside the photo: about 60 % of the room the box leaves.
    copy = {"a": "\n".join([PARA * 2] * 4)}
    spec = spec_with(tmp_path, JUMPING.format(
        continues="        continues: [{page: 2, col: 1, cols: 4, line: 1, lines: 30}]"),
        style, copy)
    result, findings, out = render(spec)
    with pdfplumber.open(out) as pdf:
        first, second = (page.extract_text() or "" for page in pdf.pages)
    assert "下转" not in first and "上接" not in second
    assert PARA[:6] not in second
    layout = layout_edition(load_spec(spec))
    assert [use.lines_used for use in layout.story("a").frames][1] == 0


def test_a_story_that_jumps_fills_its_first_box_first(tmp_path):
    _photo(tmp_path)
    copy = {"a": "\n".join([PARA * 2] * 40)}
    spec = spec_with(tmp_path, JUMPING.format(
        continues="        continues: [{page: 2, col: 1, cols: 4, line: 1, lines: 60}]"),
        copy=copy)
    layout = layout_edition(load_spec(spec))
    first, second = layout.story("a").frames
    assert second.lines_used > 0
    assert first.lines_capacity - first.lines_used <= 2     # the jump line and a 孤行 at most


def test_headline_colour_and_rule_styles_are_drawn(tmp_path):
    pages = """\
  - section: 要闻
    articles:
      - id: a
        headline: {text: 红色标题, color: red}
        copy: a.txt
        box: {col: 1, cols: 4, line: 1, lines: 30}
    rules:
      - {line: 40, col: 1, cols: 8, weight: 1.5pt, style: double}
      - {line: 50, col: 1, cols: 8, weight: 2pt, style: thick-thin}
"""
    result, findings, out = render(spec_with(tmp_path, pages))
    assert result.returncode == 0, result.stderr
    grid = layout_edition(load_spec(tmp_path / "s.yaml")).pages[0].grid
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        head = [c for c in page.chars if c["text"] in "红色标题"]
        assert head and all(tuple(c["non_stroking_color"]) == pytest.approx((0, 1, 1, 0.05))
                            for c in head)
        body = [c for c in page.chars if c["text"] == "江"]
        assert body and all(tuple(c["non_stroking_color"]) != (0, 1, 1, 0.05) for c in body)

        def rules_near(y):
            return sorted(((round(edge["linewidth"], 2), edge["top"]) for edge in page.lines
                           if abs(edge["top"] - y) < 6 and edge["width"] > 500),
                          key=lambda rule: rule[1])           # top down
        double = rules_near(grid.line_top(41) + _trim_top(page))
        thick_thin = rules_near(grid.line_top(51) + _trim_top(page))
    assert [w for w, _ in double] == [1.5, 1.5]
    assert [w for w, _ in thick_thin] == [2.0, 0.5]       # the thick line above the thin


def _head_size(out, text, page=0):
    with pdfplumber.open(out) as pdf:
        sizes = {round(c["size"], 1) for c in pdf.pages[page].chars if c["text"] in text}
    return max(sizes)


WIDTHS = """\
  - section: 要闻
    articles:
      - {id: a, headline: 全版宽的头条标题, copy: a.txt, box: {col: 1, cols: 8, line: 1, lines: 30}}
      - {id: b, headline: 三栏的稿件标题, copy: b.txt, box: {col: 1, cols: 3, line: 31, lines: 30}}
"""


def test_default_deck_sizes_follow_the_columns_the_deck_spans(tmp_path):
    result, _, out = render(spec_with(tmp_path, WIDTHS))
    assert _head_size(out, "全版宽头条") > _head_size(out, "三栏稿件") + 6
    result, _, out = render(spec_with(tmp_path, WIDTHS, style="{deck_sizes: {3: {headline: 小初}}}"))
    assert _head_size(out, "三栏稿件") == 36.0          # the house's own size for 3 columns up


def test_the_front_page_has_no_folio_of_its_own(tmp_path):
    pages = """\
  - section: 要闻
    masthead: {box: {col: 1, cols: 8, line: 1, lines: 12}}
    credits: {editor: 陈思远}
    articles:
      - {id: a, headline: 第一条, copy: a.txt, box: {col: 1, cols: 4, line: 13, lines: 30}}
  - section: 经济
    credits: {editor: 李明}
"""
    result, findings, out = render(spec_with(tmp_path, pages))
    with pdfplumber.open(out) as pdf:
        front, inside = (page.extract_text() or "" for page in pdf.pages)
        type_bottom = max(c["bottom"] for c in pdf.pages[0].chars if c["text"] == "江")
        credit = [c for c in pdf.pages[0].chars if c["text"] == "远"]
    assert "第1版" not in front.replace(" ", "") and "测试日报　2026" not in front.replace(" ", "　")
    assert front.count("测试日报") == 1                     # the masthead's name only
    assert "第2版" in inside.replace(" ", "") and "责任编辑：李明" in inside.replace(" ", "")
    assert "责任编辑：陈思远" in front.replace(" ", "")
    assert credit and credit[0]["top"] > type_bottom        # in the foot margin


def test_subheads_break_where_the_editor_says_and_at_phrase_spaces(tmp_path):
    copy = {"a": PARA + "\n## 跑出加速度\\滴灌到田间\n" + PARA + "\n## 科技小院建起来　助农增收见实效\n" + PARA}
    pages = """\
  - section: 要闻
    articles:
      - {id: a, headline: 第一条, copy: a.txt, box: {col: 1, cols: 4, line: 1, lines: 40}}
"""
    spec = spec_with(tmp_path, pages, copy=copy)
    layout = layout_edition(load_spec(spec))
    subheads = [item.line.text for item in layout.pages[0].items
                if isinstance(item, TextLine) and item.role == "subhead"]
    assert subheads[:2] == ["跑出加速度", "滴灌到田间"]
    assert subheads[2:] == ["科技小院建起来", "助农增收见实效"]


def test_furniture_text_its_box_cannot_hold_is_reported(tmp_path):
    pages = """\
  - section: 要闻
    masthead: {box: {col: 1, cols: 3, line: 1, lines: 12}}
    index:
      box: {col: 7, cols: 2, line: 1, lines: 6}
      items:
        - {text: 第一条新闻的导读文字比较长需要好几行才能排完, ref: a}
        - {text: 第二条新闻的导读, ref: a}
    articles:
      - {id: a, headline: 第一条, copy: a.txt, box: {col: 1, cols: 4, line: 13, lines: 30}}
"""
    write(tmp_path / "pub.txt", "")
    spec = spec_with(tmp_path, pages)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "paper: {name: 测试日报}",
        "paper: {name: 测试日报, publisher: 中共江川市委主办的一份很长很长很长很长很长的机关报纸名称}"),
        encoding="utf-8")
    result, findings, _ = render(spec)
    cut = [f for f in findings if f["code"] == "layout.cut"]
    assert result.returncode == 1
    assert {f["element"] for f in cut} == {"masthead", "index"}


def test_the_colophon_is_on_the_last_page_only(tmp_path):
    pages = """\
  - section: 要闻
    articles:
      - {id: a, headline: 第一条, copy: a.txt, box: {col: 1, cols: 4, line: 1, lines: 30}}
  - section: 经济
"""
    spec = spec_with(tmp_path, pages)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "paper: {name: 测试日报}",
        "paper: {name: 测试日报, address: 江川市滨江路1号, printer: 江川印务, price: 1.50元}"),
        encoding="utf-8")
    result, findings, out = render(spec)
    with pdfplumber.open(out) as pdf:
        first, last = ((page.extract_text() or "").replace(" ", "") for page in pdf.pages)
        type_bottom = max(c["bottom"] for c in pdf.pages[0].chars if c["text"] == "江")
        line = [c for c in pdf.pages[1].chars if c["text"] == "址"]
    assert "社址：江川市滨江路1号" in last and "印刷：江川印务" in last and "定价：1.50元" in last
    assert "社址" not in first
    assert line and line[0]["top"] > type_bottom
