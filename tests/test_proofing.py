"""Proofing for the desk: planted faults found at their places and nothing else;
copy-fit counts exact; dumps stable; diffs name only what changed."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from PIL import Image

from layout.place import layout_edition
from layout.spec import load_spec

from .conftest import ROOT, write

FAULTY = """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
pages:
  - section: 要闻
    index:
      box: {col: 7, cols: 2, line: 1, lines: 12}
      items:
        - {text: 内页新闻, ref: inside, page: 3}
    articles:
      - id: faults
        headline: 有错的稿件
        copy: faults.txt
        box: {col: 1, cols: 3, line: 1, lines: 40}
      - id: over
        headline: 超长稿件
        copy: over.txt
        box: {col: 4, cols: 1, line: 1, lines: 30}
  - section: 综合
    articles:
      - id: inside
        headline: 内页新闻
        body: 这是一条放在第二版的新闻，内容完整，没有任何差错。
        box: {col: 1, cols: 2, line: 1, lines: 20}
"""

FAULT_COPY = ("今天,我们在会上听取了报告。大家认真学习了《人民日报的社论，讨论十分热烈。"
              "会议在下午五点结束。。来自各地的代表共三百人参加了会议，其中第３组的发言最为精彩。")


def planted(tmp_path, over_by: int):
    write(tmp_path / "faults.txt", FAULT_COPY + "\n")
    write(tmp_path / "over.txt", "国" * 20 + "\n")
    spec = write(tmp_path / "e.yaml", FAULTY)
    capacity_lines = layout_edition(load_spec(spec)).story("over").frames[0].lines_capacity
    capacity_chars = 11 + 13 * (capacity_lines - 1)   # one paragraph of ideographs
    write(tmp_path / "over.txt", "国" * (capacity_chars + over_by) + "\n")
    return spec


def cli(*args):
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_check_reports_each_planted_fault_and_nothing_else(tmp_path):
    spec = planted(tmp_path, 37)
    result = cli("check", spec, "--json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    summary = sorted((f["code"], f["page"], f["story"]) for f in findings)
    assert summary == sorted([
        ("copy.half-width", 1, "faults"),      # half-width comma
        ("copy.unmatched", 1, "faults"),       # unmatched 《
        ("copy.doubled", 1, "faults"),         # doubled 。
        ("copy.full-width", 1, "faults"),      # full-width digit
        ("index.page", 1, "inside"),           # ■3版 typed, the article is on page 2
        ("layout.overset", 1, "over"),         # overset
    ]), json.dumps(findings, ensure_ascii=False, indent=1)
    text = " ".join(f["message"] for f in findings)
    for expected in ("half-width “,”", "“《” is never closed", "doubled “。。”", "full-width “３”",
                     "names page 3; its article 'inside' is on page 2", "overset by"):
        assert expected in text, expected
    copy_lines = [f for f in findings if f["code"].startswith("copy.")]
    assert all(f["line"] for f in copy_lines)   # each placed on a story line


def test_fit_gives_the_planted_amount_exactly(tmp_path):
    spec = planted(tmp_path, 37)
    rows = {r["story"]: r for r in json.loads(cli("fit", spec, "--json").stdout)}
    assert rows["over"]["over_chars"] == 37
    assert rows["over"]["verdict"] == "需删 37 字"
    human = cli("fit", spec).stdout
    assert "需删 37 字" in human
    assert rows["inside"]["verdict"].startswith("可加")


def test_the_sample_has_no_typographic_errors():
    result = cli("check", "specs/sample.yaml", "--json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["declared"] == "PDF/X-1a:2001"


def test_dump_is_byte_identical_across_runs():
    first = cli("dump", "specs/sample.yaml").stdout
    second = cli("dump", "specs/sample.yaml").stdout
    assert first == second and first.count("\n") > 1000
    assert re.search(r"^p1 body bridge f0 c\d+ l\d+ y[\d.]+ \| ", first, re.M)


def _edited_sample(tmp_path):
    """The sample with absolute paths, and a copy of it with one story edited."""
    spec = (ROOT / "specs" / "sample.yaml").read_text(encoding="utf-8")
    spec = spec.replace("../samples/", str(ROOT / "samples") + "/")
    before = write(tmp_path / "before.yaml", spec)
    clinic = (ROOT / "samples" / "copy" / "clinic.txt").read_text(encoding="utf-8")
    edited = clinic.replace("张桂兰说。", "张桂兰笑着说，现在看病再也不用跑远路了。", 1)
    write(tmp_path / "clinic.txt", edited)
    after = write(tmp_path / "after.yaml", spec.replace(
        str(ROOT / "samples") + "/copy/clinic.txt", str(tmp_path / "clinic.txt")))
    return before, after


def test_diff_names_only_the_edited_story_and_marks_only_its_region(tmp_path, sample_layout):
    before, after = _edited_sample(tmp_path)
    out = tmp_path / "diff"
    result = cli("diff", before, after, "-o", out, "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["reflowed"] == ["clinic"]
    assert {m["story"] for m in report["moved"]} <= {"clinic"}
    assert report["pages"] == [1]
    assert [p.split("/")[-1] for p in report["pictures"]] == ["after-p1.png"]
    # The red boxes lie inside the clinic story's box on page 1.
    grid = sample_layout.pages[0].grid
    frame = sample_layout.story("clinic").frames[0]
    scale = 40 / 72
    left = (grid.slug_pt + grid.col_x(frame.col) - grid.gutter_pt) * scale
    right = (grid.slug_pt + grid.col_x(frame.col + frame.cols - 1) + grid.col_w_pt
             + grid.gutter_pt) * scale
    top = (grid.slug_pt + grid.line_top(frame.line)) * scale
    bottom = (grid.slug_pt + grid.line_top(frame.line + frame.lines)) * scale
    with Image.open(report["pictures"][0]) as image:
        rgb = image.convert("RGB")
        red = [(x, y) for y in range(0, rgb.height, 2) for x in range(0, rgb.width, 2)
               if rgb.getpixel((x, y)) == (230, 0, 0)]
    assert red
    slack = 14       # the dilation that joins nearby changes, and the outline width
    assert all(left - slack <= x <= right + slack and top - slack <= y <= bottom + slack
               for x, y in red)


def test_diff_of_dumps_and_of_identical_specs(tmp_path):
    before, after = _edited_sample(tmp_path)
    a, b = tmp_path / "a.dump", tmp_path / "b.dump"
    assert cli("dump", before, "-o", a).returncode == 0
    assert cli("dump", after, "-o", b).returncode == 0
    report = json.loads(cli("diff", a, b, "--json").stdout)
    assert report["reflowed"] == ["clinic"] and report["pictures"] == []
    same = cli("diff", a, a)
    assert same.returncode == 0 and "no changes" in same.stdout


def test_diff_says_what_the_desk_changed(tmp_path):
    """A cut paragraph and a changed head, as the desk names them — not as lines."""
    spec = (ROOT / "specs" / "sample.yaml").read_text(encoding="utf-8")
    spec = spec.replace("../samples/", str(ROOT / "samples") + "/")
    before = write(tmp_path / "before.yaml", spec)
    clinic = (ROOT / "samples" / "copy" / "clinic.txt").read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(clinic) if i >= 2 and len(line) > 30
             and not line.startswith("#"))
    cut = clinic.pop(k)                                     # a paragraph, whole
    write(tmp_path / "clinic.txt", "\n".join(clinic) + "\n")
    after = write(tmp_path / "after.yaml", spec.replace(
        str(ROOT / "samples") + "/copy/clinic.txt", str(tmp_path / "clinic.txt")).replace(
        "headline: 家门口的养老服务暖人心", "headline: 家门口的养老服务更暖心"))
    report = json.loads(cli("diff", before, after, "-o", tmp_path / "d", "--json").stdout)
    assert f"cut {len(cut.strip())} characters: “{cut.strip()[:16]}…”" in report["edits"]["clinic"]
    assert "headline changed from “家门口的养老服务暖人心” to “家门口的养老服务更暖心”" \
        in report["edits"]["elderly"]
    text = cli("diff", before, after, "-o", tmp_path / "d").stdout
    assert "story clinic:" in text and "lines moved (pages" in text and "“" in text
    assert text.count("\n") < 20                           # a summary, not every line
    detail = cli("diff", before, after, "-o", tmp_path / "d", "--lines").stdout
    assert detail.count("\n") > text.count("\n")
