"""Make the night edition's supplied ads, as an ad department would deliver them
(original, for the sample; run once, results committed).

    python samples/make_ads.py

- ads/bank-tonglan.pdf: a 通栏 (8 columns × 20 lines: 999 × 260 pt) as a vector
  PDF/X-1a page in CMYK, its own font embedded (the bundled Kai, subset), TrimBox
  the ad's size, 3 mm bleed on the MediaBox.
- ads/sports-shop.pdf: 4 columns × 42 lines (495 × 546 pt), vector, CMYK.
- ads/tea-baoyan.jpg: a 报眼 (3 columns × 15 lines: 369 × 195 pt) as a CMYK
  JPEG at 300 ppi.
- ads/rgb-tonglan.png: an RGB image, for the tests of what intake refuses or
  separates.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from layout.paint.images import to_newsprint_cmyk

HERE = Path(__file__).resolve().parent
ADS = HERE / "ads"
FONTS = HERE.parent / "fonts"
BLEED = 3 * 72 / 25.4


def bank_tonglan(path: Path, width: float = 999.0, height: float = 260.0) -> None:
    """A bank's 通栏: deep blue ground, a gold rule, a slogan and an address."""
    pdfmetrics.registerFont(TTFont("AdKai", str(FONTS / "BroadsheetKai-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("AdHei", str(FONTS / "NotoSansSC-Bold.ttf")))
    media = (width + 2 * BLEED, height + 2 * BLEED)
    # The initial font one of the ad's own: ReportLab's default is a Helvetica it
    # does not embed, which intake would (rightly) refuse.
    c = Canvas(str(path), pagesize=media, invariant=1, enforceColorSpace="cmyk",
               initialFontName="AdKai")
    c.setTrimBox((BLEED, BLEED, BLEED + width, BLEED + height))
    c.setBleedBox((0, 0, *media))
    blue = CMYKColor(1, 0.7, 0, 0.25, alpha=None)          # 195% ink
    gold = CMYKColor(0, 0.25, 0.9, 0.05, alpha=None)
    paper = CMYKColor(0, 0, 0, 0, alpha=None)
    c.setFillColor(blue)
    c.rect(0, 0, *media, stroke=0, fill=1)                   # to the bleed
    c.setFillColor(gold)
    c.rect(BLEED + 24, BLEED + height * 0.30, width - 48, 3, stroke=0, fill=1)
    c.setFillColor(paper)
    c.setFont("AdHei", 54)
    c.drawString(BLEED + 36, BLEED + height * 0.50, "江川银行　安心理财")
    c.setFont("AdKai", 24)
    c.drawString(BLEED + 36, BLEED + height * 0.12, "稳健收益　守护您的每一分钱　热线 0000-0000000")
    c.setFillColor(gold)
    c.setFont("AdHei", 30)
    c.drawRightString(BLEED + width - 36, BLEED + height * 0.55, "年化参考 3.2%")
    c.showPage()
    c.save()


def sports_quarter(path: Path, width: float = 495.0, height: float = 546.0) -> None:
    """A sports shop's ad (4 columns × 42 lines): black type on white, a red band."""
    pdfmetrics.registerFont(TTFont("AdSong", str(FONTS / "NotoSerifSC-Black.ttf")))
    pdfmetrics.registerFont(TTFont("AdHei", str(FONTS / "NotoSansSC-Bold.ttf")))
    c = Canvas(str(path), pagesize=(width, height), invariant=1, enforceColorSpace="cmyk",
               initialFontName="AdHei")
    c.setTrimBox((0, 0, width, height))
    black = CMYKColor(0, 0, 0, 1, alpha=None)
    red = CMYKColor(0, 1, 1, 0, alpha=None)
    c.setStrokeColor(black)
    c.setLineWidth(1)
    c.rect(0.5, 0.5, width - 1, height - 1, stroke=1, fill=0)
    c.setFillColor(red)
    c.rect(0, height * 0.62, width, height * 0.16, stroke=0, fill=1)
    c.setFillColor(CMYKColor(0, 0, 0, 0, alpha=None))
    c.setFont("AdSong", 44)
    c.drawCentredString(width / 2, height * 0.66, "跑出你的江川")
    c.setFillColor(black)
    c.setFont("AdHei", 30)
    c.drawCentredString(width / 2, height * 0.86, "江川体育用品商店")
    c.setFont("AdHei", 20)
    for k, line in enumerate(("马拉松装备全场八折", "凭参赛号码布再享九五折", "东门街28号　0000-0000000")):
        c.drawCentredString(width / 2, height * (0.46 - 0.1 * k), line)
    c.showPage()
    c.save()


def tea_baoyan(path: Path, width_pt: float = 369.0, height_pt: float = 195.0,
               ppi: int = 300) -> None:
    """A tea house's 报眼 in CMYK: a green ground and its name, at 300 ppi."""
    w, h = round(width_pt / 72 * ppi), round(height_pt / 72 * ppi)
    rgb = Image.new("RGB", (w, h), (34, 110, 70))
    draw = ImageDraw.Draw(rgb)
    font = ImageFont.truetype(str(FONTS / "NotoSerifSC-Black.ttf"), int(h * 0.28))
    small = ImageFont.truetype(str(FONTS / "NotoSansSC-Regular.ttf"), int(h * 0.10))
    draw.rectangle([int(w * 0.04), int(h * 0.08), int(w * 0.96), int(h * 0.92)],
                   outline=(236, 214, 150), width=int(h * 0.02))
    draw.text((w * 0.10, h * 0.18), "江川茶社", font=font, fill=(250, 244, 226))
    draw.text((w * 0.10, h * 0.62), "新茶上市　东门街18号", font=small, fill=(236, 214, 150))
    # Separated for newsprint (the bundled profile: full GCR, within 220% ink), as
    # an ad department's newsprint preset would.
    to_newsprint_cmyk(rgb).save(path, "JPEG", quality=92, dpi=(ppi, ppi))


def rgb_tonglan(path: Path, width_pt: float = 999.0, height_pt: float = 260.0,
                ppi: int = 200) -> None:
    w, h = round(width_pt / 72 * ppi), round(height_pt / 72 * ppi)
    Image.new("RGB", (w, h), (220, 40, 40)).save(path, "PNG", dpi=(ppi, ppi))


def main() -> None:
    ADS.mkdir(exist_ok=True)
    bank_tonglan(ADS / "bank-tonglan.pdf")
    sports_quarter(ADS / "sports-shop.pdf")
    tea_baoyan(ADS / "tea-baoyan.jpg")
    rgb_tonglan(ADS / "rgb-tonglan.png")


if __name__ == "__main__":
    main()
