"""Vertical body text (竖排), read back from the PDF with pdfplumber: lines run top
to bottom and follow right to left, marks are the face's vertical forms in the
upper right of their cells yet copy out as the characters written, Latin is
turned, a short number stands upright (纵中横), and nothing is lost."""

from __future__ import annotations

from itertools import pairwise

import pdfplumber
import pytest

from .conftest import ROOT, one_story_spec, refused_in_one_line, run_cli

BODY_PT, PITCH_PT = 9.0, 13.0
BODY = ("我小时候住在老运河边。每到傍晚，河面上的灯一盏一盏亮起来，母亲就在码头上等父亲的船回来。"
        "那时候没有手机，也没有GPS，父亲说，看见灯就知道家在哪里。\n"
        "后来我去外地读书，坐的是第3班轮渡。“你要常回来看看。”母亲说。\n"
        "二〇二六年冬天，我回到江川。运河整治好了，两岸修了步道，灯比以前多了十几倍，"
        "可我还是一眼就认出了家门口那一盏——它还是那样，亮在河湾最深的地方。\n") * 3


cli = run_cli


def vertical_spec(tmp_path, box="{col: 1, cols: 4, line: 1, lines: 40}", extra=""):
    return one_story_spec(tmp_path, BODY, f"""\
        direction: vertical
        headline: 运河边的灯
        copy: a.txt
        box: {box}{extra}
""", story="essay")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vertical")
    spec = vertical_spec(tmp, box="{col: 1, cols: 3, line: 1, lines: 40}",
                         extra="\n        tiers: 2")
    result = cli("render", spec, "-o", tmp / "s.pdf")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp / "s.pdf") as pdf:
        yield pdf.pages[0]


def body(page):
    """The story's body characters: song, body size (a turned one reports its advance)."""
    return [c for c in page.chars if "Serif" in c["fontname"] and "Black" not in c["fontname"]
            and c["size"] < BODY_PT + 0.01]


def reading_order(chars):
    """Bands top down; in a band, lines right to left; in a line, top down."""
    tops = sorted({round(c["top"]) for c in chars})
    band_gap = [b for a, b in pairwise(tops) if b - a > 2 * BODY_PT]
    def band(c):
        return sum(1 for g in band_gap if c["top"] >= g - 0.5)
    def line_x(c):                # a line's centre, counted in pitches from the right
        return round((right - (c["x0"] + c["x1"]) / 2) / PITCH_PT)
    right = max((c["x0"] + c["x1"]) / 2 for c in chars)
    return sorted(chars, key=lambda c: (band(c), line_x(c), c["top"]))


def test_the_text_copies_out_in_reading_order_as_written(page):
    chars = body(page)
    text = "".join(c["text"] for c in reading_order(chars))
    assert text == BODY.replace("\n", "")
    assert not any("\ufe10" <= c["text"] <= "\ufe4f" for c in chars)   # no presentation forms


def test_lines_run_down_and_follow_right_to_left_in_two_bands(page):
    ideographs = [c for c in body(page) if "\u4e00" <= c["text"] <= "\u9fff"]
    assert all(c["upright"] for c in ideographs)
    columns: dict[float, list] = {}
    for c in ideographs:                          # upright: each in its cell, centred
        columns.setdefault(round(c["x0"], 1), []).append(c)
    xs = sorted(columns, reverse=True)
    assert len(xs) >= 6
    for a, b in pairwise(xs):                  # lines one pitch apart, right to left
        assert abs(a - b - PITCH_PT) < 0.05, (a, b)
    for chars in columns.values():                # within a line: a cell a step, down
        tops = sorted(c["top"] for c in chars)
        assert all(b - a > BODY_PT * 0.45 for a, b in pairwise(tops))
    tops = sorted(c["top"] for c in ideographs)   # two bands, a gap between them
    gaps = [b - a for a, b in pairwise(tops)]
    assert max(gaps) > 2 * BODY_PT


def test_marks_stand_in_the_upper_right_of_their_cells(page):
    """The full stop's ink in the upper right: pdfplumber gives each mark its cell
    (the vertical alternate has a full advance); the ink is measured on the page."""
    import pypdfium2 as pdfium
    chars = body(page)
    stop = next(c for c in chars if c["text"] == "。")
    scale = 8
    pdf = pdfium.PdfDocument(page.pdf.stream.name)
    image = pdf[0].render(scale=scale, crop=(0, 0, 0, 0)).to_pil().convert("L")
    cell = [int(v * scale) for v in (stop["x0"], stop["top"], stop["x0"] + BODY_PT,
                                     stop["top"] + BODY_PT)]
    crop = image.crop(cell)
    inked = [(x, y) for x in range(crop.width) for y in range(crop.height)
             if crop.getpixel((x, y)) < 128]
    assert inked
    mid_x = sum(x for x, _ in inked) / len(inked) / crop.width
    mid_y = sum(y for _, y in inked) / len(inked) / crop.height
    assert mid_x > 0.5 and mid_y < 0.5, (mid_x, mid_y)


def test_latin_is_turned_and_a_short_number_stands_upright(page):
    chars = body(page)
    gps = [c for c in chars if c["text"] in "GPS"]
    assert len(gps) == 9 and not any(c["upright"] for c in gps)       # turned 90°
    threes = [c for c in chars if c["text"] == "3"]
    assert threes and all(c["upright"] for c in threes)                # 纵中横


def refused(tmp_path, spec, where):
    message = refused_in_one_line(cli("render", spec, "-o", tmp_path / "s.pdf"),
                                  tmp_path / "s.pdf")
    assert where in message
    return message


def test_a_vertical_story_narrower_than_a_character_is_refused(tmp_path):
    spec = vertical_spec(tmp_path, box="{col: 1, cols: 1, line: 1, lines: 40}")
    assert "less than one character" in refused(tmp_path, spec, "s.yaml:10:14")


def test_a_vertical_story_too_long_is_overset_not_cut(tmp_path):
    spec = vertical_spec(tmp_path, box="{col: 1, cols: 2, line: 1, lines: 20}")
    result = cli("render", spec, "-o", tmp_path / "s.pdf")
    assert result.returncode == 1 and "[layout.overset]" in result.stderr
    assert "overset by" in result.stderr


def test_the_weekend_essay_reads_as_written(tmp_path):
    """specs/weekend.yaml's vertical essay, among horizontal stories on page 4."""
    result = cli("render", "specs/weekend.yaml", "-o", tmp_path / "w.pdf")
    assert result.returncode == 0, result.stderr
    copy = (ROOT / "samples/copy/lamp.txt").read_text(encoding="utf-8").replace("\n", "")
    with pdfplumber.open(tmp_path / "w.pdf") as pdf:
        page = pdf.pages[3]
        head = next(c for c in page.chars if c["text"] == "运" and c["size"] > 15
                    and c["x0"] < page.width / 3)           # the essay's deck, lower left
        essay = [c for c in body(page) if c["x1"] < head["x0"] and c["top"] > head["top"] - 20
                 and c["x0"] > head["x0"] - 20 * PITCH_PT]
        byline = [c for c in page.chars if "Kai" in c["fontname"] and c["x1"] < head["x0"]
                  and abs(c["top"] - head["top"]) < 30 and c["x0"] > head["x0"] - 6 * PITCH_PT]
    assert "".join(c["text"] for c in reading_order(essay)) == copy     # the body, song
    assert "".join(c["text"] for c in sorted(byline, key=lambda c: c["top"])) == "□叶青"


def test_a_vertical_story_goes_on_across_in_its_continuation(tmp_path):
    """转版: the vertical part ends with a vertical （下转第二版）; the rest, set across
    on page 2 under （上接第一版）, starts where the vertical part stopped."""
    spec = one_story_spec(tmp_path, BODY, """\
        direction: vertical
        headline: 运河边的灯
        copy: a.txt
        box: {col: 1, cols: 3, line: 1, lines: 18}
        continues:
          - {page: 2, col: 1, cols: 2, line: 1, lines: 60}
  - articles: []
""", story="essay")
    result = cli("render", spec, "-o", tmp_path / "s.pdf")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        first, second = pdf.pages[0], pdf.pages[1]
        ordered = reading_order(body(first))
        jump = ordered[-len("（下转第二版）"):]
        down = "".join(c["text"] for c in ordered)
        across = [c for c in second.chars if abs(c["size"] - BODY_PT) < 0.01
                  and "Serif" in c["fontname"]]
        rows: dict[float, list] = {}
        for c in across:
            rows.setdefault(round(c["top"], 1), []).append(c)
        left = min(c["x0"] for c in across)
        def column(c):
            return int((c["x0"] - left + BODY_PT / 2) // (14 * BODY_PT))
        across_text = "".join(c["text"] for c in sorted(
            across, key=lambda c: (column(c), round(c["top"], 1), c["x0"])))
    assert len({round((c["x0"] + c["x1"]) / 2) for c in jump}) == 1   # one vertical line
    assert all(b["top"] > a["top"] for a, b in pairwise(jump))          # running down
    assert down.endswith("（下转第二版）")
    assert across_text.startswith("（上接第一版）")
    assert down[:-len("（下转第二版）")] + across_text[len("（上接第一版）"):] \
        == BODY.replace("\n", "")


def test_the_house_may_turn_every_number(tmp_path):
    spec = vertical_spec(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "geometry:", "style: {upright_digits: 0}\ngeometry:"), encoding="utf-8")
    assert cli("render", spec, "-o", tmp_path / "s.pdf").returncode == 0
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        threes = [c for c in body(pdf.pages[0]) if c["text"] == "3"]
    assert threes and not any(c["upright"] for c in threes)


def test_a_story_set_across_goes_on_vertically_and_back(tmp_path):
    """The other way: a story set across on page 1 continues in a vertical box on
    page 2, opening with a vertical （上接第一版） beside its vertical jump head."""
    spec = one_story_spec(tmp_path, BODY, """\
        headline: 运河边的灯
        copy: a.txt
        box: {col: 1, cols: 2, line: 1, lines: 20}
        continues:
          - {page: 2, col: 1, cols: 4, line: 1, lines: 40, direction: vertical}
  - articles: []
""", story="essay")
    result = cli("render", spec, "-o", tmp_path / "s.pdf")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        across = [c for c in body(pdf.pages[0]) if abs(c["size"] - BODY_PT) < 0.01]
        left = min(c["x0"] for c in across)
        across_text = "".join(c["text"] for c in sorted(across, key=lambda c: (
            int((c["x0"] - left + BODY_PT / 2) // (14 * BODY_PT)), round(c["top"], 1),
            c["x0"])))
        down_chars = reading_order(body(pdf.pages[1]))
        down = "".join(c["text"] for c in down_chars)
        heads = "".join(c["text"] for c in sorted(pdf.pages[1].chars, key=lambda c: c["top"])
                        if c["size"] > 15)
    assert across_text.endswith("（下转第二版）")
    assert down.startswith("（上接第一版）") and heads == "运河边的灯"
    opener = down_chars[:len("（上接第一版）")]
    assert len({round((c["x0"] + c["x1"]) / 2) for c in opener}) == 1   # a vertical line
    assert across_text[:-len("（下转第二版）")] + down[len("（上接第一版）"):] \
        == BODY.replace("\n", "")


@pytest.mark.parametrize("box,message", [
    ("{col: 1, cols: 4, line: 1, lines: 40, direction: vertical}", "direction belongs"),
])
def test_direction_on_a_box_that_is_no_continuation_is_refused(tmp_path, box, message):
    spec = vertical_spec(tmp_path, box=box)
    assert message in refused(tmp_path, spec, "s.yaml:10:")
