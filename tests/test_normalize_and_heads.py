"""Copy normalisation (reported) and heads that fit their width."""

from __future__ import annotations

from layout.place import layout_edition
from layout.place.result import TextLine
from layout.spec import load_spec

from .conftest import write

SPEC = """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
style: {normalize: %s}
pages:
  - articles:
      - id: a
        headline: {text: 短标题, fit: true}
        body: "今天,我们去(北京)开会.增长１５%%"
        box: {col: 1, cols: 4, line: 1, lines: 30}
"""


def _layout(tmp_path, normalize: bool):
    return layout_edition(load_spec(write(tmp_path / "s.yaml", SPEC % str(normalize).lower())))


def test_normalisation_is_opt_in_and_reports_each_change(tmp_path):
    untouched = _layout(tmp_path, False)
    assert not [f for f in untouched.findings if f.code == "copy.normalized"]
    layout = _layout(tmp_path, True)
    body = "".join(i.line.text for i in layout.pages[0].items
                   if isinstance(i, TextLine) and i.role == "body")
    assert body == "今天，我们去（北京）开会。增长15%"
    notes = [f for f in layout.findings if f.code == "copy.normalized"]
    assert len(notes) == 6 and all(f.severity == "info" for f in notes)


def test_fit_head_fills_the_width(tmp_path):
    layout = _layout(tmp_path, False)
    head = [i for i in layout.pages[0].items if isinstance(i, TextLine) and i.role == "headline"]
    grid = layout.pages[0].grid
    assert len(head) == 1
    line = head[0].line
    assert abs(line.width_pt - grid.span_w(4)) < 0.5
