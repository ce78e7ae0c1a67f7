"""Print-safe by construction: text that copies out as written, ink within the
limit, output conditions that conform, complete PDF/X-4 metadata."""

from __future__ import annotations

import subprocess
import sys

import pypdfium2 as pdfium

from .conftest import ROOT, write

VERTICAL = """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
pages:
  - articles:
      - id: v
        headline: {text: "“江川”：白鹭来了！", vertical: true, size: 小初}
        body: "本报讯　正文。"
        box: {col: 1, cols: 4, line: 1, lines: 40}
"""


def render(spec, out, *extra):
    return subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                           str(out), *extra], capture_output=True, text=True, cwd=ROOT)


def test_a_vertical_headline_copies_out_as_written(tmp_path):
    """The head is drawn in vertical forms (﹁江川﹂︓), and reads back as the
    editor wrote it (ActualText), in PDFium's text extraction."""
    spec = write(tmp_path / "v.yaml", VERTICAL)
    assert render(spec, tmp_path / "v.pdf").returncode == 0
    document = pdfium.PdfDocument(str(tmp_path / "v.pdf"))
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "“江川”：白鹭来了！" in text
    assert "﹁" not in text and "︓" not in text
