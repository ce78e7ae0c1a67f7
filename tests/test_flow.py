"""Stories through chains of frames: jump lines, page references, overset, conservation."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import pytest

from layout.place import layout_edition
from layout.place.result import TextLine
from layout.spec import load_spec

from .conftest import ROOT, write

PARA = "江川市今年持续推进城市更新行动，老旧小区改造、背街小巷整治和公园绿地建设同步推进，居民生活环境明显改善。"


def edition(tmp_path, body_chars: int, continues: str, pages: int = 3, index_page_ref=True):
    rnd = random.Random(body_chars)
    paras, total = [], 0
    while total < body_chars:
        p = PARA[: rnd.randrange(10, len(PARA))] + "。"
        paras.append(p)
        total += len(p)
    write(tmp_path / "copy.txt", "\n".join(paras))
    page_specs = "\n".join(f"  - section: 第{k}版\n    articles: []" for k in range(2, pages + 1))
    text = f"""\
paper: {{name: 测试日报}}
edition: {{date: 2026-11-25}}
pages:
  - section: 要闻
    index:
      box: {{col: 7, cols: 2, line: 1, lines: 12}}
      items: [{{text: 城市更新, ref: story}}]
    articles:
      - id: story
        headline: 城市更新让生活更美好
        dateline: 本报讯
        copy: copy.txt
        box: {{col: 1, cols: 2, line: 1, lines: 20}}
        continues:
{continues}
{page_specs}
"""
    return write(tmp_path / "e.yaml", text)


def jumps(layout):
    return [(page.number, item.line.text) for page in layout.pages for item in page.items
            if isinstance(item, TextLine) and item.role == "jump"]


def body_text(layout, story="story"):
    return "".join(item.line.text for page in layout.pages for item in page.items
                   if isinstance(item, TextLine) and item.story == story and item.role == "body")


def test_three_frames_two_jumps(tmp_path):
    spec = edition(tmp_path, 1400, "          - {page: 2, col: 1, cols: 2, line: 1, lines: 20}\n"
                                   "          - {page: 3, col: 3, cols: 3, line: 1, lines: 40}")
    layout = layout_edition(load_spec(spec))
    assert jumps(layout) == [(1, "（下转第二版）"), (2, "（上接第一版）"),
                             (2, "（下转第三版）"), (3, "（上接第二版）")]
    report = layout.story("story")
    assert [f.page for f in report.frames] == [1, 2, 3]
    assert report.overset_lines == 0 and report.jumps_to == (2, 3)


def test_moving_a_continuation_box_updates_every_jump_line(tmp_path):
    spec = edition(tmp_path, 1400, "          - {page: 2, col: 1, cols: 2, line: 1, lines: 20}\n"
                                   "          - {page: 3, col: 3, cols: 3, line: 1, lines: 40}",
                   pages=4)
    before = jumps(layout_edition(load_spec(spec)))
    spec.write_text(spec.read_text(encoding="utf-8").replace("{page: 3, col: 3", "{page: 4, col: 3"),
                    encoding="utf-8")
    after = jumps(layout_edition(load_spec(spec)))
    assert before[2:] == [(2, "（下转第三版）"), (3, "（上接第二版）")]
    assert after[2:] == [(2, "（下转第四版）"), (4, "（上接第二版）")]


@pytest.mark.parametrize("seed", range(8))
def test_character_conservation_for_random_lengths(tmp_path, seed):
    length = random.Random(seed).randrange(20, 2500)
    spec = edition(tmp_path, length, "          - {page: 2, col: 1, cols: 4, line: 1, lines: 50}")
    loaded = load_spec(spec)
    layout = layout_edition(loaded)
    source = "本报讯" + re.sub(r"\s", "", loaded.copy["story"])
    report = layout.story("story")
    if report.overset_lines == 0:
        assert body_text(layout).replace("\u3000", "") == source
    else:   # what is not on the page is counted, never lost
        assert len(body_text(layout).replace("\u3000", "")) + report.overset_chars == len(source)


def test_index_takes_the_page_where_the_story_lands(tmp_path):
    spec = edition(tmp_path, 300, "          - {page: 2, col: 1, cols: 2, line: 1, lines: 20}")
    layout = layout_edition(load_spec(spec))
    index = [item.line.text for page in layout.pages for item in page.items
             if isinstance(item, TextLine) and item.role == "index"]
    assert any("■1版" in t for t in index)


def test_overset_exits_1_names_the_story_and_agrees_with_the_report(tmp_path):
    spec = edition(tmp_path, 1500, "          []", pages=1)
    out, report = tmp_path / "e.pdf", tmp_path / "e.json"
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(out), "--report", str(report)], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 1
    story = json.loads(report.read_text(encoding="utf-8"))["stories"][0]
    assert story["overset_lines"] > 0
    assert f"overset by {story['overset_lines']} lines ({story['overset_chars']} characters)" \
        in result.stderr and "'story'" in result.stderr
    assert out.exists()   # the proof is still written, with the overset mark on the frame
    layout = layout_edition(load_spec(spec))
    marks = [i for i in layout.pages[0].items if getattr(i, "role", "") == "overset"]
    assert len(marks) == 1
    assert len(body_text(layout).replace("\u3000", "")) == story["chars_set"]


def test_underset_is_reported_as_characters_it_could_take(tmp_path):
    """What the report says the story could take, it takes: a new paragraph of that
    many characters (less its two-character indent) fills the frame exactly, and
    one character more is overset by a line."""
    spec = edition(tmp_path, 100, "          []", pages=1)
    report = layout_edition(load_spec(spec)).story("story")
    assert report.underset_lines > 0
    copy = tmp_path / "copy.txt"
    original = copy.read_text(encoding="utf-8")

    def with_paragraph(n: int):
        copy.write_text(original + "\n" + "国" * n, encoding="utf-8")
        return layout_edition(load_spec(spec)).story("story")
    exact = with_paragraph(report.underset_chars - 2)
    assert (exact.overset_lines, exact.underset_lines) == (0, 0)
    assert with_paragraph(report.underset_chars - 1).overset_lines == 1


def test_cross_reference_in_copy_follows_the_article(tmp_path):
    spec = edition(tmp_path, 300, "          []", pages=3)
    write(tmp_path / "copy.txt", "本条新闻另有详细报道，详见第{page:other}版。\n")
    other = """
    articles:
      - id: other
        headline: 详细报道
        body: 这里是详细报道的正文。
        box: {col: 1, cols: 2, line: 1, lines: 20}"""
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("  - section: 第3版\n    articles: []",
                                 "  - section: 第3版" + other), encoding="utf-8")
    assert "详见第三版" in body_text(layout_edition(load_spec(spec)))
    spec.write_text(text.replace("  - section: 第2版\n    articles: []",
                                 "  - section: 第2版" + other), encoding="utf-8")
    assert "详见第二版" in body_text(layout_edition(load_spec(spec)))


def test_cross_reference_to_an_unknown_article_is_a_user_error(tmp_path):
    from layout.errors import BroadsheetError
    spec = edition(tmp_path, 300, "          []", pages=1)
    write(tmp_path / "copy.txt", "详见第{page:nobody}版。\n")
    with pytest.raises(BroadsheetError, match="unknown article 'nobody'"):
        layout_edition(load_spec(spec))
