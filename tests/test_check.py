"""Preflight: our sample passes; a PDF made elsewhere with planted faults fails with
each fault named."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

from layout.prepress.check import check_pdf

from .conftest import ROOT


def cli(*args):
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def foreign_pdf(tmp_path_factory):
    """A page from an office tool: RGB, a non-embedded font, no boxes, no PDF/X."""
    d = tmp_path_factory.mktemp("foreign")
    Image.new("RGB", (60, 40), (200, 40, 40)).save(d / "rgb.png")
    Image.new("CMYK", (900, 600), (255, 255, 255, 255)).save(d / "heavy.jpg", quality=95)
    path = d / "foreign.pdf"
    c = Canvas(str(path), pagesize=(595, 842))
    c.setFont("Helvetica", 12)
    c.setFillColorRGB(0.8, 0.1, 0.1)
    c.drawString(72, 760, "Headline set in RGB red")
    c.rect(72, 700, 200, 40, fill=1, stroke=0)
    c.drawImage(str(d / "rgb.png"), 72, 500, width=300, height=200)      # 14 ppi, RGB
    c.drawImage(str(d / "heavy.jpg"), 72, 250, width=216, height=144)    # 300 ppi, 400% ink
    c.setLineWidth(0.1)
    c.line(72, 200, 300, 200)                                             # a hairline
    c.setFillColor(CMYKColor(0, 0, 0, 0, alpha=None))
    c.setFont("Helvetica", 6)
    c.drawString(72, 180, "tiny reversed type")
    c.save()
    return path


def test_the_sample_is_ready_for_the_plant(sample_pdf):
    assert check_pdf(sample_pdf) == []
    result = cli("check", sample_pdf)
    assert result.returncode == 0, result.stdout


def test_foreign_pdf_fails_naming_each_fault(foreign_pdf):
    findings = check_pdf(foreign_pdf)
    messages = " | ".join(f"{f.code}: {f.message}" for f in findings)
    codes = {f.code for f in findings}
    assert {"font.not-embedded", "colour.space", "image.resolution", "ink.tac", "boxes.trim",
            "pdfx.output-intent", "rules.hairline", "text.reversed"} <= codes, messages
    assert any(f.code == "font.not-embedded" and f.object == "/F1" for f in findings), messages
    # The RGB fill and the RGB image, each placed: the operator, and the image's XObject.
    rgb = [f for f in findings if f.code == "colour.space"]
    assert any(f.object == "rg operator" for f in rgb) and any(f.x_mm is not None for f in rgb)
    assert [round(float(f.message.split("%")[0].split()[-1])) for f in findings
            if f.code == "ink.tac"] == [400], messages
    assert all(f.hint for f in findings)
    result = cli("check", foreign_pdf, "--json")
    assert result.returncode == 1
    assert len(json.loads(result.stdout)["findings"]) == len(findings)
    human = cli("check", foreign_pdf)
    assert "not embedded" in human.stdout and "DeviceRGB" in human.stdout


def test_check_a_spec_reports_layout_findings(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text("""\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
pages:
  - articles:
      - id: long
        headline: 太长的稿件
        body: "%s"
        box: {col: 1, cols: 1, line: 1, lines: 10}
""" % ("国" * 600), encoding="utf-8")
    result = cli("check", spec, "--json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    overset = [f for f in findings if f["code"] == "layout.overset"]
    assert [(f["story"], f["page"], f["severity"]) for f in overset] == [("long", 1, "error")]
    assert overset[0]["source"].endswith(":5:9")       # the article in the spec


def test_unusable_input_exits_2(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    result = cli("check", bad)
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_kinsoku_is_read_from_any_pdf(tmp_path):
    """A PDF made elsewhere with a line ending in “（” and one starting with “，”."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    pdfmetrics.registerFont(TTFont("ProofSong", str(ROOT / "fonts" / "NotoSerifSC-Regular.ttf")))
    path = tmp_path / "kinsoku.pdf"
    c = Canvas(str(path))
    c.setFont("ProofSong", 10)
    c.drawString(72, 700, "今天我们开会讨论（")
    c.drawString(72, 686, "，大家都很认真地学习")
    c.drawString(72, 672, "这一行完全符合规范。")
    c.save()
    result = cli("check", path, "--json")
    kinsoku = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "type.kinsoku"]
    assert sorted(f["message"] for f in kinsoku) == \
        ["line ends with “（”", "line starts with “，”"]
