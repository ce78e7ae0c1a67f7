"""Text wrapped round a photo (图文绕排), read back from the PDF: pdfplumber finds the
picture and every body character; none enters the stand-off, the lines beside it
end on whole characters at its edge and keep the grid, and no character is lost."""

from __future__ import annotations

import pdfplumber
import pytest

from .conftest import ROOT, one_story_spec, refused_in_one_line, run_cli

BODY_PT, PITCH_PT = 9.0, 13.0
COPY = "".join(
    f"第{k}段。江川市今年持续推进城市更新行动，老旧小区改造、背街小巷整治和公园绿地建设同步推进，"
    f"居民生活环境明显改善，市民满意度持续提升。\n" for k in range(1, 31))


cli = run_cli


def wrapped(tmp_path, wrap="{x: 8, chars: 24}", box="{line: 6, lines: 14}"):
    return one_story_spec(tmp_path, COPY, f"""\
        headline: 图文绕排
        copy: a.txt
        box: {{col: 1, cols: 4, line: 1, lines: 80}}
        photos:
          - file: {ROOT}/samples/photos/bridge.jpg
            box: {box}
            caption: ▲图片说明文字。
            wrap: {wrap}
""")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wrap")
    spec = wrapped(tmp)
    result = cli("render", spec, "-o", tmp / "s.pdf")
    assert result.returncode == 0, result.stderr
    assert "layout.wrap" not in result.stderr
    with pdfplumber.open(tmp / "s.pdf") as pdf:
        yield pdf.pages[0]


OPENING, CLOSING = set("“‘（《「『【"), set("，。、；：）》」』】”’")


def ink(c):
    """A character's ink across: a closing mark's blank half (行末半角) or an
    opening one's at the other side is not ink."""
    x0, x1 = c["x0"], c["x1"]
    if c["text"] in CLOSING:
        x1 -= BODY_PT / 2
    if c["text"] in OPENING:
        x0 += BODY_PT / 2
    return x0, x1


def body_chars(page):
    return [c for c in page.chars if abs(c["size"] - BODY_PT) < 0.01 and "Serif" in c["fontname"]]


def test_no_character_enters_the_stand_off(page):
    (image,) = page.images
    captions = [c for c in page.chars if "Kai" in c["fontname"] and c["top"] > image["bottom"]
                and c["top"] < image["bottom"] + 2 * PITCH_PT]
    bottom = max([image["bottom"], *(c["bottom"] for c in captions)])
    # one character beside it, one line above and below
    x0, x1 = image["x0"] - BODY_PT, image["x1"] + BODY_PT
    y0, y1 = image["top"] - PITCH_PT, bottom + PITCH_PT
    inside = [c["text"] for c in body_chars(page)
              if ink(c)[0] < x1 - 0.01 and ink(c)[1] > x0 + 0.01
              and c["bottom"] > y0 and c["top"] < y1]
    assert inside == []
    # …and the text does run beside it on both sides, not only above and below
    beside = [c for c in body_chars(page) if image["top"] < c["top"] < image["bottom"]]
    assert any(c["x1"] <= x0 + 0.01 for c in beside) and any(c["x0"] >= x1 - 0.01 for c in beside)


def test_lines_beside_the_photo_end_at_its_stand_off_and_keep_the_grid(page):
    (image,) = page.images
    chars = body_chars(page)
    rows: dict[float, list] = {}
    for c in chars:
        rows.setdefault(round(c["bottom"], 1), []).append(c)
    left_of = [max((c for c in row if c["x1"] <= image["x0"]), key=lambda c: c["x1"], default=None)
               for top, row in rows.items() if image["top"] < top < image["bottom"]]
    ends = {round(c["x1"] - (BODY_PT / 2 if c["text"] in "，。、；：" else 0), 1)
            for c in left_of if c is not None}
    # the lines on the left end one character clear of the photo (last lines of
    # paragraphs may stop short)
    assert round(image["x0"] - BODY_PT, 1) in ends
    assert all(e <= image["x0"] - BODY_PT + 0.35 for e in ends)
    # on the grid: whole pitches from the first body line
    first = min(c["bottom"] for c in chars)
    near = {c["bottom"] for c in chars if c["x1"] <= image["x0"]
            and image["top"] < c["top"] < image["bottom"]}
    assert near
    assert all(abs((b - first) / PITCH_PT - round((b - first) / PITCH_PT)) < 0.01 for b in near)


def test_every_character_is_set_once(page):
    text = "".join(c["text"] for c in body_chars(page))
    assert sorted(text) == sorted(COPY.replace("\n", ""))


def refused(tmp_path, spec):
    return refused_in_one_line(cli("render", spec, "-o", tmp_path / "s.pdf"), tmp_path / "s.pdf")


def test_a_wrap_wider_than_its_story_is_refused(tmp_path):
    message = refused(tmp_path, wrapped(tmp_path, wrap="{x: 30, chars: 30}"))
    assert "s.yaml:14:19" in message and "wider than its story" in message


def test_a_wrapped_photo_without_lines_is_refused(tmp_path):
    message = refused(tmp_path, wrapped(tmp_path, box="{line: 6}"))
    assert "s.yaml:12:18" in message and "needs its lines" in message


def test_a_wrapped_photo_deeper_than_its_story_is_refused(tmp_path):
    message = refused(tmp_path, wrapped(tmp_path, box="{line: 70, lines: 20}"))
    assert "s.yaml:12:18" in message and "deeper" in message
