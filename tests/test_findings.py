"""One kind of finding: codes documented once, findings placed against the element
that holds them, the same through --report, --summary, check --json and the
render server."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pdfplumber
import pytest

from layout.errors import SourcePlace
from layout.findings import CODES, Finding

from .conftest import ROOT, write
from .test_fonts import make_cff_font

# Four characters of CJK Extension B that no bundled face has, one for each element.
IN_MASTHEAD, IN_FOLIO, IN_INDEX, IN_STORY = "\U0002003E", "\U00020041", "\U00020042", "\U00020043"

SPEC = f"""\
paper: {{name: 测试日报, publisher: 中共江川{IN_MASTHEAD}委主办}}
edition: {{date: 2026-11-25}}
fonts: {{square: square.otf}}
style: {{fallback_fonts: [square]}}
pages:
  - section: 要闻
    masthead: {{box: {{col: 1, cols: 4, line: 1, lines: 15}}}}
    index:
      box: {{col: 5, cols: 2, line: 1, lines: 15}}
      items:
        - {{text: 导读{IN_INDEX}一条, ref: names}}
    articles:
      - id: names
        headline: 测试
        body: "记者王{IN_STORY}报道：今天天气很好。"
        box: {{col: 1, cols: 2, line: 16, lines: 20}}
  - section: 经济{IN_FOLIO}
"""


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def fallback_edition(tmp_path_factory):
    """Rendered through the command line, with its report, summary and check."""
    d = tmp_path_factory.mktemp("fallbacks")
    make_cff_font(d / "square.otf", IN_MASTHEAD + IN_FOLIO + IN_INDEX + IN_STORY)
    spec = write(d / "s.yaml", SPEC)
    render = cli("render", spec, "-o", d / "s.pdf", "--report", d / "s.json",
                 "--summary", d / "summary.json")
    assert render.returncode == 0, render.stderr
    return d, render


def test_fallback_characters_are_reported_once_each_against_their_element(fallback_edition):
    d, _ = fallback_edition
    findings = [Finding.from_json(f) for f in
                json.loads((d / "s.json").read_text(encoding="utf-8"))["findings"]]
    fallbacks = sorted((_rare_in(f.context), f.element, f.story, f.page)
                       for f in findings if f.code == "font.fallback")
    assert fallbacks == sorted([
        (IN_MASTHEAD, "masthead", None, 1),
        (IN_FOLIO, "folio", None, 2),      # a front page has no folio of its own
        (IN_INDEX, "index", None, 1),
        (IN_STORY, None, "names", 1),
    ])
    by_char = {_rare_in(f.context): f for f in findings if f.code == "font.fallback"}
    # Each points at the spec's lines for its element.
    assert by_char[IN_MASTHEAD].source.line == 7       # pages[0].masthead
    assert by_char[IN_INDEX].source.line == 9          # pages[0].index
    assert by_char[IN_STORY].source.line == 13         # the article
    # Independently: each character is on the page, drawn in the fallback face.
    with pdfplumber.open(d / "s.pdf") as pdf:
        drawn = {c["text"]: c["fontname"] for page in pdf.pages for c in page.chars}
    for ch in (IN_MASTHEAD, IN_FOLIO, IN_INDEX, IN_STORY):
        assert "TestSquare" in drawn[ch], (ch, drawn.get(ch))


def _rare_in(text: str) -> str:
    return next(ch for ch in text if ord(ch) >= 0x20000)


def test_summary_and_check_carry_the_same_codes(fallback_edition):
    d, _ = fallback_edition
    summary = json.loads((d / "summary.json").read_text(encoding="utf-8"))
    report = json.loads((d / "s.json").read_text(encoding="utf-8"))
    assert summary[0]["findings"] == report["findings"]
    checked = json.loads(cli("check", d / "s.yaml", "--json").stdout)["findings"]
    assert sorted(f["code"] for f in checked if f["code"] == "font.fallback") == \
        ["font.fallback"] * 4


def test_warnings_are_printed_one_line_each_with_their_code(fallback_edition):
    _, render = fallback_edition
    lines = [line for line in render.stderr.splitlines() if "[font.fallback]" in line]
    assert len(lines) == 4
    assert any(line.startswith("warning: ") and "masthead" in line for line in lines)


def test_every_code_is_documented_once_in_the_codes_table():
    table = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z]+\.[a-z-]+)` \|", table, flags=re.M)
    assert sorted(documented) == sorted(CODES), "docs/findings.md and layout.findings.CODES"
    assert len(documented) == len(set(documented))


def test_every_code_the_engine_makes_is_in_the_table():
    """Every code written in the package is a known one (a typo fails here, not at
    the desk)."""
    used = set()
    for path in (ROOT / "layout").rglob("*.py"):
        used |= set(re.findall(r"""(?:Finding|_finding|_proof)\(\s*["']([a-z]+\.[a-z-]+)["']""",
                               path.read_text(encoding="utf-8")))
    assert used and used <= set(CODES), used - set(CODES)


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown finding code"):
        Finding("layout.typo", "message")


def test_a_finding_survives_json():
    finding = Finding("ink.tac", "fill of 300% total ink", "keep it within 220%", page=3,
                      x_mm=41.5, y_mm=12.0, source=SourcePlace("a:b/spec.yaml", 12, 5))
    again = Finding.from_json(json.loads(json.dumps(finding.to_json())))
    assert again == finding and again.severity == "error"


def test_nothing_selects_findings_by_their_wording():
    """Findings are told apart by code: no module but layout/findings.py looks into
    a finding's message."""
    pattern = re.compile(r"""["'][^"']+["']\s+(?:not\s+)?in\s+\w+\.message\b"""
                         r"""|\.message\.(?:split|startswith|find)""")
    offenders = [f"{path.relative_to(ROOT)}:{n}"
                 for path in (ROOT / "layout").rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []
