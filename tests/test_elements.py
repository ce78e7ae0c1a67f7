"""The small elements of a week of pages — tables, kicker lists, drop caps, verse,
editor's notes, the house palette, rule styles and a spot colour — read back
from the PDF with pdfplumber and pikepdf, and the spot plate separated by
Ghostscript.  Most read the weekend sample (specs/weekend.yaml, page 4); the
bad-input cases write small specs of their own."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from itertools import pairwise

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from .conftest import ROOT, one_story_spec, refused_in_one_line, run_cli, write

HOUSE_RED = (0.0, 0.95, 0.85, 0.05)       # specs/weekend.yaml's colours
HOUSE_BLUE = (1.0, 0.6, 0.0, 0.2)
BODY_PT, PITCH_PT = 9.0, 13.0              # the broadsheet defaults (小五 on 13 pt)
GS = shutil.which("gs")


cli = run_cli


@pytest.fixture(scope="module")
def weekend(tmp_path_factory):
    """The weekend sample rendered through the command line: (pdf, report)."""
    out = tmp_path_factory.mktemp("weekend")
    result = cli("render", "specs/weekend.yaml", "-o", out / "weekend.pdf",
                 "--report", out / "weekend.json")
    assert result.returncode == 0, result.stderr
    return out / "weekend.pdf", json.loads((out / "weekend.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def page4(weekend):
    with pdfplumber.open(weekend[0]) as pdf:
        page = pdf.pages[3]
        yield page


def text_lines(chars, size=BODY_PT):
    """Characters of one size grouped into printed lines: {top: chars left to right}."""
    lines = defaultdict(list)
    for c in chars:
        if abs(c["size"] - size) < 0.01:
            lines[round(c["top"], 1)].append(c)
    return {top: sorted(cs, key=lambda c: c["x0"]) for top, cs in sorted(lines.items())}


def column_left(page, col):
    """The left edge of grid column `col` on the printed page: column 1 is where the
    lead story's drop cap stands; columns are 13 characters and a gutter apart."""
    cap = next(c for c in page.chars if c["text"] == "老" and c["size"] > 20)
    return cap["x0"] + (col - 1) * 14 * BODY_PT


def row_with(page, first, col=6, width=41 * BODY_PT):
    """A table row: the chars on the line whose first cell, at grid column `col`,
    is `first`, across the table's width."""
    left = column_left(page, col)
    for chars in text_lines(page.chars).values():
        cells = [c for c in chars if left - 0.01 <= c["x0"] and c["x1"] <= left + width + 0.01]
        if "".join(c["text"] for c in cells).startswith(first):
            return cells
    raise AssertionError(f"no row starts with {first!r}")


def line_with(page, text, size=BODY_PT):
    """The printed line (its chars) that starts with `text`, in any column."""
    for chars in text_lines(page.chars, size).values():
        # a row across the page holds several columns: split at gaps wider than an em
        run = [chars[0]]
        for a, b in pairwise(chars):
            if b["x0"] - a["x1"] > size:
                if "".join(c["text"] for c in run).startswith(text):
                    return run
                run = []
            run.append(b)
        if "".join(c["text"] for c in run).startswith(text):
            return run
    raise AssertionError(f"no line starts with {text!r}")


# -- the weekend page as a whole ------------------------------------------------------

def test_the_weekend_page_renders_and_checks_clean(weekend):
    _, report = weekend
    faults = [f for f in report["findings"] if f["severity"] in ("error", "warning")]
    assert faults == []
    result = cli("check", "specs/weekend.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_page_added_to_a_base_edition_follows_its_pages(weekend, sample_pdf):
    """Its stories as the base set them; only the page count (今日四版) and the 报尾,
    now on the added last page, differ."""
    def body(page):
        return "".join(c["text"] for c in page.chars
                       if abs(c["size"] - BODY_PT) < 0.01 and "Serif" in c["fontname"])
    with pdfplumber.open(weekend[0]) as ours, pdfplumber.open(sample_pdf) as base:
        assert len(ours.pages) == 4
        for k in range(3):
            assert body(ours.pages[k]) == body(base.pages[k])
        assert "今日四版" in ours.pages[0].extract_text()
        assert "社址" in ours.pages[3].extract_text() and "社址" not in ours.pages[2].extract_text()


# -- tables ---------------------------------------------------------------------------

def test_table_columns_sit_where_their_widths_put_them(page4):
    """Weather: 城市 8 characters wide, 天气 12, 气温 10 (centred), 风力 the rest (right)."""
    rows = [row_with(page4, city) for city in ("江川多云", "南城晴", "西岭多云", "长滩晴")]
    lefts = [row[0]["x0"] for row in rows]
    assert max(lefts) - min(lefts) < 0.01                      # city names flush left
    weather = [next(c for c in row if c["text"] in "多晴阴小") for row in rows]
    assert {round(c["x0"] - row[0]["x0"], 2) for c, row in zip(weather, rows)} \
        == {8 * BODY_PT}                                        # the next column, 8 chars on
    # 气温 centred: the middle of "3～12" and of "-2～7" in the same place
    left = rows[0][0]["x0"] - BODY_PT / 2          # cells stand half a character in
    band = (left + 20 * BODY_PT, left + 30 * BODY_PT)
    temps = [[c for c in row if band[0] <= c["x0"] and c["x1"] <= band[1]] for row in rows]
    assert ["".join(c["text"] for c in t) for t in temps] == ["3～12", "4～13", "-2～7", "3～12"]
    middles = [(t[0]["x0"] + t[-1]["x1"]) / 2 for t in temps]
    assert max(middles) - min(middles) < 0.01
    assert abs(middles[0] - (left + (20 + 5) * BODY_PT)) < 0.01
    ends = [row[-1]["x1"] for row in rows]                     # 风力 flush right
    assert max(ends) - min(ends) < 0.01


def test_numbers_align_on_the_decimal_point(page4):
    rows = [row_with(page4, name) for name in ("菠菜", "大白菜", "土豆", "猪肉", "豆腐")]
    points = [[c for c in row if c["text"] == "."] for row in rows]
    assert [len(p) for p in points] == [3, 2, 3, 3, 2]        # "0" has no point
    for column in range(2):                                    # 本周, 上周: every row has one
        xs = [p[column]["x0"] for p in points]
        assert max(xs) - min(xs) < 0.01, xs
    # 涨跌: "0" (no point) ends where the points of "+0.30" and "-0.05" are
    change_points = [p[2]["x0"] for p in points if len(p) == 3]
    zero = rows[1][-1]
    assert zero["text"] == "0" and abs(zero["x1"] - change_points[0]) < 0.01
    assert max(change_points) - min(change_points) < 0.01


def test_a_csv_heading_row_is_the_tables_heading_not_a_row(page4):
    assert len(re.findall("城市 +天气", page4.extract_text())) == 1


def test_table_rules_in_the_table_colour_and_a_wen_wu_frame(page4):
    blue = [r for r in page4.lines + page4.rects if r.get("stroking_color") == HOUSE_BLUE]
    widths = {round(r["linewidth"], 1) for r in blue}
    assert {1.5, 0.5} <= widths                              # 文武线: thick outside, thin in


TABLE_SPEC = """\
paper: {{name: 测试日报}}
edition: {{date: 2026-11-25}}
geometry: {{marks: false}}
pages:
  - tables:
      - id: t
        box: {{col: 1, cols: 3, line: 1, lines: {lines}}}
        columns: [{{title: 名称}}, {{title: 数值, align: right}}]
{source}
"""


def test_rows_past_the_box_are_overset_by_count(tmp_path):
    rows = "\n".join(f"          - [第{k}行, {k}]" for k in range(1, 9))
    spec = write(tmp_path / "s.yaml", TABLE_SPEC.format(lines=5, source="        rows:\n" + rows))
    result = cli("render", spec, "-o", tmp_path / "s.pdf", "--report", tmp_path / "s.json")
    assert result.returncode == 1
    findings = json.loads((tmp_path / "s.json").read_text("utf-8"))["findings"]
    overset = [f for f in findings if f["code"] == "layout.overset"]
    assert len(overset) == 1 and "overset by 4 rows of 8" in overset[0]["message"]
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        text = pdf.pages[0].extract_text()
    assert "第4行" in text and "第5行" not in text           # whole rows, in order
    report = json.loads((tmp_path / "s.json").read_text("utf-8"))["tables"]
    assert [(t["id"], t["rows"], t["rows_set"], t["rows_over"]) for t in report] \
        == [("t", 8, 4, 4)]
    fit = cli("fit", spec)                                     # copy-fitting says it too
    assert fit.returncode == 1 and re.search(r"t +1 +需删 4 行数据", fit.stdout)
    checked = cli("check", spec)
    assert checked.returncode == 1 and "overset by 4 rows" in checked.stdout + checked.stderr


refused = refused_in_one_line


def test_a_csv_that_is_not_utf8_is_refused_naming_it(tmp_path):
    (tmp_path / "t.csv").write_bytes("名称,数值\n江川,12\n".encode("gb18030"))
    spec = write(tmp_path / "s.yaml", TABLE_SPEC.format(lines=20, source="        csv: t.csv"))
    message = refused(cli("render", spec, "-o", tmp_path / "s.pdf"), tmp_path / "s.pdf")
    assert "s.yaml:9:" in message and "t.csv is not UTF-8" in message and "line 1" in message


def test_a_csv_row_with_too_many_cells_names_its_line(tmp_path):
    write(tmp_path / "t.csv", "江川,12\n南城,13\n临江,14,多余\n")
    spec = write(tmp_path / "s.yaml", TABLE_SPEC.format(lines=20, source="        csv: t.csv"))
    message = refused(cli("render", spec, "-o", tmp_path / "s.pdf"), tmp_path / "s.pdf")
    assert "t.csv:3" in message and "3 cells" in message and "2 columns" in message


def test_an_inline_row_with_too_many_cells_names_its_place(tmp_path):
    spec = write(tmp_path / "s.yaml", TABLE_SPEC.format(
        lines=20, source="        rows:\n          - [江川, 12]\n          - [南城, 13, 多余]"))
    message = refused(cli("render", spec, "-o", tmp_path / "s.pdf"), tmp_path / "s.pdf")
    assert "s.yaml:11:" in message and "3 cells" in message


# -- the deck: kicker lines of their own -----------------------------------------------

def test_each_kicker_line_keeps_its_own_style(page4):
    slogan = line_with(page4, "行走江川", 15.0)
    kicker = line_with(page4, "沿着六百年的老运河", 15.0)
    assert {c["non_stroking_color"] for c in slogan} == {HOUSE_RED}
    assert {c["non_stroking_color"] for c in kicker} == {(0.0, 0.0, 0.0, 1.0)}
    assert all("Bold" in c["fontname"] for c in slogan)
    assert not any("Bold" in c["fontname"] for c in kicker)
    assert slogan[0]["top"] < kicker[0]["top"]                # the slogan over the 引题
    headline = [c for c in page4.chars if c["size"] > 30 and c["text"] in "一条河半座城的记忆"]
    assert len(headline) >= 9 and {c["non_stroking_color"] for c in headline} == {HOUSE_BLUE}


# -- drop cap -------------------------------------------------------------------------

def test_the_drop_cap_spans_its_three_lines(weekend, page4):
    cap = next(c for c in page4.chars if c["text"] == "老" and c["size"] > 20)
    assert cap["non_stroking_color"] == HOUSE_RED
    assert abs(cap["size"] - (2 * PITCH_PT + BODY_PT)) < 0.01     # 3 lines deep
    column = [c for c in page4.chars if abs(c["size"] - BODY_PT) < 0.01
              and cap["x0"] - 1 < c["x0"] < cap["x0"] + 13 * BODY_PT
              and cap["top"] - 6 < c["top"] < cap["bottom"] + 2 * PITCH_PT]
    lines = list(text_lines(column).values())[:4]
    assert "".join(c["text"] for c in lines[0]).startswith("运河穿城而过")  # 老 taken out
    for line in lines[:3]:                   # beside the cap, clear of it
        assert line[0]["x0"] >= cap["x1"] + 0.2 * BODY_PT
        assert abs(line[-1]["x1"] - (cap["x0"] + 13 * BODY_PT)) < 0.6   # justified
    assert abs(lines[3][0]["x0"] - cap["x0"]) < 0.01         # the fourth line under it
    # On the printed page: the cap's ink from the first line's ink top to the third's foot.
    scale = 4                                                  # 288 dpi
    pdf = pdfium.PdfDocument(weekend[0])
    image = pdf[3].render(scale=scale).to_pil().convert("RGB")
    box = [int(v * scale) for v in (cap["x0"] - 2, cap["top"] - 7,
                                    cap["x0"] + 13 * BODY_PT, cap["bottom"] + 12)]
    crop = image.crop(box)
    split = int((cap["x1"] + 2 - cap["x0"] + 2) * scale)      # cap | text
    red_rows = [y for y in range(crop.height) if any(
        r > 150 and g < 90 for r, g, _ in (crop.getpixel((x, y)) for x in range(split)))]
    text_rows = [y for y in range(crop.height) if any(
        max(crop.getpixel((x, y))) < 100 for x in range(split, crop.width))]
    assert red_rows and text_rows
    pt = 1 / scale
    assert abs(red_rows[0] - text_rows[0]) * pt < 3.0          # tops level
    third_foot = max(y for y in text_rows if y * pt < 3 * PITCH_PT + 1)
    assert abs(red_rows[-1] - third_foot) * pt < 3.0           # feet level, three lines down


def drop_cap_spec(tmp_path, copy, extra=""):
    return one_story_spec(tmp_path, copy, f"""\
        headline: 首字下沉
        copy: a.txt
        box: {{col: 1, cols: 3, line: 1, lines: 30}}
        drop_cap: {{lines: 3}}{extra}
""")


def test_a_drop_cap_deeper_than_its_paragraph_is_refused(tmp_path):
    spec = drop_cap_spec(tmp_path, "江川大桥今日合龙。\n第二段。")
    message = refused(cli("render", spec, "-o", tmp_path / "s.pdf"), tmp_path / "s.pdf")
    assert "s.yaml:" in message and "drop cap is 3 lines deep" in message


def test_a_drop_cap_with_a_dateline_is_refused(tmp_path):
    spec = drop_cap_spec(tmp_path, "江川大桥今日合龙。" * 10, "\n        dateline: 本报讯")
    message = refused(cli("render", spec, "-o", tmp_path / "s.pdf"), tmp_path / "s.pdf")
    assert "s.yaml:" in message and "dateline" in message


# -- verse ----------------------------------------------------------------------------

def test_verse_is_set_line_by_line_unjustified_with_stanza_gaps(page4):
    copy = (ROOT / "samples/copy/poem.txt").read_text("utf-8").splitlines()
    verses = [line[1:].strip() for line in copy if line.startswith("|") and line[1:].strip()]
    hung = "无论你走出多远都还亮着的灯"
    for verse in verses:
        chars = line_with(page4, verse if verse != hung else "无论你走出")
        text = "".join(c["text"] for c in chars)
        assert text == verse or verse == hung, (text, verse)
        gaps = [b["x0"] - a["x1"] for a, b in pairwise(chars)]
        assert max(gaps) < 0.01, (verse, gaps)                 # set solid, not spread
    first = line_with(page4, "江水把灯火")
    # a line too long for the column goes on below itself, hung one character further
    long = line_with(page4, "无论你走出")
    rest = line_with(page4, "的灯")
    assert "".join(c["text"] for c in long + rest) == hung
    assert abs(rest[0]["x0"] - long[0]["x0"] - BODY_PT) < 0.01
    assert abs(long[0]["x0"] - first[0]["x0"]) < 0.01 or long[0]["x0"] > first[0]["x0"] + 10
    # a stanza break is one blank line: two pitches from the last verse to the next
    last, next_ = line_with(page4, "像一棵不肯落叶的树"), line_with(page4, "我背着行囊上了船")
    within = line_with(page4, "母亲在码头上站着")
    assert abs(next_[0]["top"] - last[0]["top"] - 2 * PITCH_PT) < 0.01
    assert abs(last[0]["top"] - within[0]["top"] - PITCH_PT) < 0.01


# -- editor's notes -------------------------------------------------------------------

def test_an_editors_note_is_set_in_kai_inside_its_frame(page4):
    label = line_with(page4, "【编者按】")
    column = [c for c in page4.chars if label[0]["x0"] - 1 < c["x0"] < label[0]["x0"] + 13 * BODY_PT]
    note, top = [], label[0]["top"]
    for line_top, chars in text_lines(column).items():   # the note's lines, one pitch apart
        if line_top < top - 0.1:
            continue
        if abs(line_top - top) > 0.1 or not all("Kai" in c["fontname"] for c in chars):
            break
        note.extend(chars)
        top += PITCH_PT
    assert "".join(c["text"] for c in note).startswith("【编者按】老运河是江川的“母亲河”")
    e = 0.05
    frames = [r for r in page4.rects if r["stroke"]
              and r["x0"] <= min(c["x0"] for c in note) + e
              and r["x1"] >= max(c["x1"] for c in note) - e
              and r["top"] <= min(c["top"] for c in note) + e
              and r["bottom"] >= max(c["bottom"] for c in note) - e]
    assert frames, "no frame around the note"


def test_a_note_without_a_label_is_a_comment_in_its_own_tint(page4):
    text = page4.extract_text()
    assert "【】" not in text
    start = line_with(page4, "南城老街改造完工，青")
    assert all("Kai" in c["fontname"] for c in start)
    tints = [r for r in page4.rects if r["fill"] and r["non_stroking_color"] == (0, 0, 0, 0.08)
             and r["x0"] <= start[0]["x0"] and r["top"] <= start[0]["top"] <= r["bottom"]]
    assert tints


# -- rules: palette, dotted, wavy -------------------------------------------------------

def strokes(pdf_path, page_index):
    """Every stroked path on a page as (dash array, line cap, colour, points), read
    from the content stream with pikepdf."""
    with pikepdf.open(pdf_path) as pdf:
        ops = pikepdf.parse_content_stream(pdf.pages[page_index])
    dash, cap, color, points, out, stack = [], 0, None, [], [], []
    for operands, op in ops:
        op = str(op)
        if op == "q":
            stack.append((dash, cap, color))
        elif op == "Q":
            dash, cap, color = stack.pop()
        elif op == "d":
            dash = [float(x) for x in operands[0]]
        elif op == "J":
            cap = int(operands[0])
        elif op == "K":
            color = tuple(round(float(x), 3) for x in operands)
        elif op in ("m", "l", "c"):
            points.extend(float(x) for x in operands)
        elif op == "S":
            out.append((dash, cap, color, points))
            points = []
        elif op in ("f", "B", "n", "re"):
            points = []
    return out


def test_dotted_and_wavy_rules_are_drawn_as_such(weekend):
    paths = strokes(weekend[0], 3)
    dotted = [p for p in paths if p[0] and p[0][0] == 0 and p[1] == 1]
    assert len(dotted) == 4                        # round dots: 0-length dashes, round caps
    wavy = [p for p in paths if p[2] == HOUSE_RED and len(p[3]) > 40]
    assert len(wavy) == 1
    ys = wavy[0][3][1::2]
    assert 1.5 < max(ys) - min(ys) < 6             # it waves, a few points high
    solid = [p for p in paths if not p[0] and len(p[3]) == 4]
    assert solid                                   # and the other rules stay solid


# -- spot colour ----------------------------------------------------------------------

SPOT_SPEC = """\
paper: {{name: 测试日报}}
edition: {{date: 2026-11-25}}
geometry: {{marks: false}}
colors: {{spot-red: "C0 M100 Y100 K0"}}
{prepress}
pages:
  - articles:
      - id: a
        headline: {{text: 专色标题测试, color: spot-red, size: 初号}}
        body: 江川大桥今日合龙。
        box: {{col: 1, cols: 4, line: 1, lines: 20}}
"""


def separations_in(pdf_path):
    names = set()
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Array) and len(obj) == 4 \
                    and obj[0] == pikepdf.Name.Separation:
                assert obj[2] == pikepdf.Name.DeviceCMYK
                names.add(str(obj[1])[1:])
    return names


def test_a_spot_colour_is_a_separation_only_when_the_plant_prints_it(tmp_path):
    off = write(tmp_path / "off.yaml", SPOT_SPEC.format(prepress=""))
    on = write(tmp_path / "on.yaml", SPOT_SPEC.format(prepress="prepress: {spot_colors: [spot-red]}"))
    for spec in (off, on):
        assert cli("render", spec, "-o", spec.with_suffix(".pdf")).returncode == 0
    assert separations_in(off.with_suffix(".pdf")) == set()
    assert separations_in(on.with_suffix(".pdf")) == {"spot-red"}
    result = cli("check", on)
    assert result.returncode == 0 and "spot-red" in result.stdout + result.stderr
    assert "spot-red" not in cli("check", off).stdout


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed: "
                                       "apt-get install ghostscript")
def test_the_spot_headline_is_on_its_own_plate(tmp_path):
    spec = write(tmp_path / "on.yaml", SPOT_SPEC.format(
        prepress="prepress: {spot_colors: [spot-red]}"))
    assert cli("render", spec, "-o", tmp_path / "on.pdf").returncode == 0
    subprocess.run([GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", "-r50",
                    f"-sOutputFile={tmp_path}/sep.tif", str(tmp_path / "on.pdf")], check=True)
    plates = {name: Image.open(tmp_path / f"sep({name}).tif").convert("L")
              for name in ("spot-red", "Magenta", "Yellow", "Black")}
    inked = {name: sum(im.histogram()[:128]) for name, im in plates.items()}   # dark pixels
    assert inked["spot-red"] > 500                   # the headline, on the spot plate
    assert inked["Magenta"] == inked["Yellow"] == 0  # not separated into process inks
    assert inked["Black"] > 0                        # the body text


# -- colour names ---------------------------------------------------------------------

def test_an_unknown_colour_name_is_refused_with_a_suggestion(tmp_path):
    spec = write(tmp_path / "s.yaml", SPOT_SPEC.format(prepress="").replace(
        "color: spot-red", "color: spot-rde"))
    message = refused(cli("render", spec, "-o", tmp_path / "s.pdf"), tmp_path / "s.pdf")
    assert re.search(r"s\.yaml:9:\d+", message) and "did you mean 'spot-red'" in message


# -- balanced columns under a photo -----------------------------------------------------

def test_columns_end_level_beside_a_photo(page4):
    """The lead story's five columns (a photo over four of them) end on one line."""
    bottoms = defaultdict(float)
    for c in page4.chars:
        if abs(c["size"] - BODY_PT) < 0.01 and c["top"] < 800 and c["x0"] < 700 \
                and "Serif" in c["fontname"]:
            column = int((c["x0"] - 87.27) // (14 * BODY_PT))
            bottoms[column] = max(bottoms[column], c["bottom"])
    assert len(bottoms) == 5
    assert max(bottoms.values()) - min(bottoms.values()) < 0.01, bottoms
