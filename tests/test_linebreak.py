"""UAX #14 conformance and the Chinese tailoring on top of it."""

from __future__ import annotations

from pathlib import Path

from layout.compose.linebreak import break_opportunities

TEST_FILE = Path(__file__).resolve().parent / "data" / "unicode" / "LineBreakTest-17.0.0.txt"


def _cases():
    for raw in TEST_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#")[0].strip()
        if not line:
            continue
        cps, expected = [], []
        for token in line.split():
            if token in ("÷", "×"):
                expected.append(token == "÷")
            else:
                cps.append(int(token, 16))
        expected[0] = False   # we never report a break before the first character
        yield raw, "".join(map(chr, cps)), expected


def test_every_conformance_case():
    """All 19,338 cases of Unicode 17's LineBreakTest, none excluded."""
    failures = [raw for raw, text, expected in _cases() if break_opportunities(text) != expected]
    total = sum(1 for _ in _cases())
    assert total == 19338
    assert failures == []


def test_cjk_breaks_between_ideographs_not_before_closing_marks():
    allowed = break_opportunities("我们，“你好”。")
    # 我|们，|“你|好”。|
    assert allowed == [False, True, False, True, False, True, False, False, True]
