"""Black that really overprints, checked on the plates: Ghostscript's tiffsep
separates our PDF with overprint simulated, as a plant's RIP would.

Ghostscript comes from Debian's packages (`apt-get install ghostscript`; .ci/run
installs it); without it these tests are skipped and say so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from PIL import Image

from .conftest import ROOT, write

GS = shutil.which("gs")
needs_gs = pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed: "
                                                 "apt-get install ghostscript")

SPEC = """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
geometry: {marks: false}
pages:
  - articles:
      - id: tinted
        headline: 彩色底纹上的黑字
        body: "%s"
        box: {col: 1, cols: 4, line: 1, lines: 40}
        tint: "C40 Y80"
"""


def separations(pdf, folder, dpi=100) -> dict[str, Image.Image]:
    subprocess.run([GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep",
                    "-dOverprint=/simulate", f"-r{dpi}", f"-sOutputFile={folder}/sep.tif",
                    str(pdf)], check=True)
    return {ink: Image.open(folder / f"sep({ink}).tif").convert("L")
            for ink in ("Cyan", "Magenta", "Yellow", "Black")}


@needs_gs
def test_black_text_on_a_tint_leaves_the_cyan_plate_solid(tmp_path):
    spec = write(tmp_path / "s.yaml", SPEC % ("本报讯　这是一段印在彩色底纹上的正文，" * 40))
    pdf = tmp_path / "s.pdf"
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(pdf)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    plates = separations(pdf, tmp_path)
    # The body text's area: well inside the tinted box (tiffsep: 255 is no ink).
    black = plates["Black"]
    w, h = black.size
    box = (int(w * 0.06), int(h * 0.10), int(w * 0.48), int(h * 0.20))
    text = black.crop(box)
    assert text.getextrema()[0] < 60, "no black type in the sampled area"
    cyan, yellow = plates["Cyan"].crop(box), plates["Yellow"].crop(box)
    # 40% cyan and 80% yellow everywhere under the text: no knocked-out glyph shapes.
    assert cyan.getextrema() == pytest.approx((153, 153), abs=3), cyan.getextrema()
    assert yellow.getextrema() == pytest.approx((51, 51), abs=3), yellow.getextrema()


@needs_gs
def test_reversed_text_still_knocks_out(tmp_path):
    """White (paper) type on the black folio box is a hole in the black plate, as it
    must be: only black overprints."""
    spec = write(tmp_path / "s.yaml", SPEC % "本报讯　正文。")
    pdf = tmp_path / "s.pdf"
    assert subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                           str(pdf)], capture_output=True, cwd=ROOT).returncode == 0
    black = separations(pdf, tmp_path, dpi=200)["Black"]
    w, h = black.size
    folio = black.crop((int(w * 0.80), int(h * 0.025), int(w * 0.97), int(h * 0.05)))
    low, high = folio.getextrema()
    assert low < 40 and high > 215, (low, high)       # solid black, and white letters in it
