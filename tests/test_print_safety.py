"""Print-safe by construction: text that copies out as written, ink within the
limit, output conditions that conform, complete PDF/X-4 metadata."""

from __future__ import annotations

import subprocess
import sys

import pypdfium2 as pdfium

from .conftest import ROOT, write

def spec(top: str = "", headline: str = "测试", article: str = "") -> str:
    """A one-article page; `top` adds top-level keys, `article` keys of the article."""
    return f"""\
paper: {{name: 测试日报}}
edition: {{date: 2026-11-25}}
{top}
pages:
  - articles:
      - id: a
        headline: {headline}
        body: "本报讯　正文。"
        box: {{col: 1, cols: 4, line: 1, lines: 40}}
{article}
"""


VERTICAL = spec(headline='{text: "“江川”：白鹭来了！", vertical: true, size: 小初}')


def render(path, out, *extra):
    return subprocess.run([sys.executable, "-m", "layout.cli", "render", str(path), "-o",
                           str(out), *extra], capture_output=True, text=True, cwd=ROOT)


def test_a_vertical_headline_copies_out_as_written(tmp_path):
    """The head is drawn in vertical forms (﹁江川﹂︓), and reads back as the
    editor wrote it (ActualText), in PDFium's text extraction."""
    path = write(tmp_path / "v.yaml", VERTICAL)
    assert render(path, tmp_path / "v.pdf").returncode == 0
    document = pdfium.PdfDocument(str(tmp_path / "v.pdf"))
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "“江川”：白鹭来了！" in text
    assert "﹁" not in text and "︓" not in text


def _pdf_with_image(path, image) -> None:
    """A one-page PDF placing `image` (CMYK, Flate) over the page, made with pikepdf."""
    import zlib

    import pikepdf
    pdf = pikepdf.new()
    w, h = image.size
    xobject = pikepdf.Stream(pdf, zlib.compress(image.tobytes()))
    for key, value in dict(Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=w,
                           Height=h, ColorSpace=pikepdf.Name.DeviceCMYK, BitsPerComponent=8,
                           Filter=pikepdf.Name.FlateDecode).items():
        xobject[f"/{key}"] = value
    page = pdf.add_blank_page(page_size=(400, 400))
    page.Resources.XObject = pikepdf.Dictionary(Im0=xobject)
    page.obj.Contents = pdf.make_stream(b"q 400 0 0 400 0 0 cm /Im0 Do Q")
    pdf.save(path)


def test_a_thin_stripe_of_heavy_ink_is_not_averaged_away(tmp_path):
    """2000 × 2000 pixels at 100% ink with a 3-pixel stripe at 300%: check finds 300%."""
    from PIL import Image, ImageDraw

    from layout.prepress.check import check_pdf
    image = Image.new("CMYK", (2000, 2000), (0, 0, 0, 255))
    ImageDraw.Draw(image).rectangle([0, 1000, 1999, 1002], fill=(255, 255, 0, 255))
    _pdf_with_image(tmp_path / "stripe.pdf", image)
    tac = [f for f in check_pdf(tmp_path / "stripe.pdf") if f.code == "ink.tac"]
    assert len(tac) == 1 and "300%" in tac[0].message, tac


def test_pdfx4_metadata_identifies_the_document_and_agrees_with_the_info(tmp_path):
    import pikepdf
    path = write(tmp_path / "x4.yaml", spec("prepress: {pdfx: X-4}"))
    assert render(path, tmp_path / "x4.pdf").returncode == 0
    with pikepdf.open(tmp_path / "x4.pdf") as pdf:
        info = pdf.docinfo
        meta = pdf.open_metadata()
        assert meta["xmpMM:DocumentID"].startswith("uuid:")
        assert meta["xmpMM:InstanceID"].startswith("uuid:")
        assert meta["xmpMM:DocumentID"] != meta["xmpMM:InstanceID"]
        assert meta["xmpMM:VersionID"] == "1" and meta["xmpMM:RenditionClass"] == "default"
        assert meta["dc:title"] == str(info["/Title"])
        assert meta["dc:creator"] == [str(info["/Author"])]
        assert meta["pdf:Producer"] == str(info["/Producer"])
        assert meta["xmp:CreatorTool"] == str(info["/Creator"])
        assert meta["pdfxid:GTS_PDFXVersion"] == str(info["/GTS_PDFXVersion"])
        assert meta["xmp:CreateDate"].startswith("2026-11-25")
        assert str(info["/CreationDate"]).startswith("D:20261125")


def test_the_bundled_profile_carries_every_intent_and_a_gamut_tag():
    import struct

    from PIL import ImageCms

    from layout.pdfx import PROFILE_PATH
    data = PROFILE_PATH.read_bytes()
    count = struct.unpack(">I", data[128:132])[0]
    tags = {data[132 + 12 * k:136 + 12 * k] for k in range(count)}
    assert {b"A2B0", b"A2B1", b"A2B2", b"B2A0", b"B2A1", b"B2A2", b"gamt", b"desc",
            b"wtpt", b"cprt"} <= tags
    profile = ImageCms.getOpenProfile(str(PROFILE_PATH))
    for intent in (ImageCms.Intent.PERCEPTUAL, ImageCms.Intent.RELATIVE_COLORIMETRIC,
                   ImageCms.Intent.SATURATION):
        assert ImageCms.isIntentSupported(profile, intent, ImageCms.Direction.OUTPUT)
        assert ImageCms.isIntentSupported(profile, intent, ImageCms.Direction.INPUT)


def tinted(top: str, tint: str) -> str:
    return spec(top, article=f"        tint: {tint}")


def test_a_colour_over_the_ink_limit_is_refused_at_load_unless_allowed(tmp_path):
    path = write(tmp_path / "s.yaml", tinted('colors: {rich: "C100 M100 Y100 K100"}', "rich"))
    result = render(path, tmp_path / "s.pdf")
    assert result.returncode == 2 and not (tmp_path / "s.pdf").exists()
    assert "s.yaml:3:" in result.stderr and "400% ink" in result.stderr \
        and "220% limit of IFRA26" in result.stderr
    allowed = write(tmp_path / "s.yaml", tinted(
        'colors: {rich: "C100 M100 Y100 K100"}\nprepress: {over_limit_colors: [rich]}', "rich"))
    assert render(allowed, tmp_path / "s.pdf").returncode == 0
    tint = write(tmp_path / "s.yaml", tinted("prepress: {tac: 180}", '"C60 M60 Y60 K10"'))
    result = render(tint, tmp_path / "s.pdf")
    assert result.returncode == 2 and "s.yaml:10:" in result.stderr and "190% ink" in result.stderr


def test_the_plants_own_condition_needs_and_embeds_its_profile(tmp_path):
    import pikepdf

    from layout.pdfx import PROFILE_PATH
    path = write(tmp_path / "s.yaml", tinted("prepress: {output_condition: MyPlantNewsprint}",
                                               "K10"))
    result = render(path, tmp_path / "s.pdf")
    assert result.returncode == 2 and "s.yaml:3:" in result.stderr and "profile" in result.stderr
    (tmp_path / "plant.icc").write_bytes(PROFILE_PATH.read_bytes())
    path = write(tmp_path / "s.yaml", tinted(
        "prepress: {output_condition: MyPlantNewsprint, profile: plant.icc}", "K10"))
    assert render(path, tmp_path / "s.pdf").returncode == 0
    with pikepdf.open(tmp_path / "s.pdf") as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "MyPlantNewsprint"
        assert "/RegistryName" not in intent and "IFRA" not in str(intent.Info)
        assert intent.DestOutputProfile.read_bytes() == PROFILE_PATH.read_bytes()
        assert str(pdf.docinfo["/GTS_PDFXConformance"]) == "PDF/X-1a:2001"


def with_photo(top: str) -> str:
    return spec("geometry: {marks: false}\n" + top, article="""\
        photos:
          - {file: heavy.jpg, box: {col: 1, cols: 4, line: 1, lines: 30}}""")


def _heavy_photo(path) -> None:
    """A supplied CMYK photo at 380% ink (C95 M95 Y95 K95), with a lighter band."""
    from PIL import Image, ImageDraw
    image = Image.new("CMYK", (1200, 900), (242, 242, 242, 242))
    ImageDraw.Draw(image).rectangle([0, 600, 1199, 899], fill=(60, 40, 40, 0))
    image.save(path, "JPEG", quality=95, dpi=(300, 300))


def test_a_cmyk_photo_over_the_limit_is_reseparated_within_it(tmp_path):
    import shutil

    import pytest
    from PIL import ImageMath
    gs = shutil.which("gs")
    if gs is None:
        pytest.skip("Ghostscript (gs) is not installed: apt-get install ghostscript")
    _heavy_photo(tmp_path / "heavy.jpg")
    path = write(tmp_path / "s.yaml", with_photo(""))
    result = render(path, tmp_path / "s.pdf")
    assert result.returncode == 0 and "[ink.reseparated]" in result.stderr, result.stderr
    assert "380%" in result.stderr
    # The plates as a RIP makes them: no pixel over the limit (a little for JPEG noise).
    subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", "-r50",
                    f"-sOutputFile={tmp_path}/sep.tif", str(tmp_path / "s.pdf")], check=True)
    from PIL import Image
    plates = {ink: Image.open(tmp_path / f"sep({ink}).tif").convert("L")
              for ink in ("Cyan", "Magenta", "Yellow", "Black")}
    total = ImageMath.lambda_eval(
        lambda a: 1020 - a["c"] - a["m"] - a["y"] - a["k"], c=plates["Cyan"],
        m=plates["Magenta"], y=plates["Yellow"], k=plates["Black"])
    assert total.getextrema()[1] / 255 * 100 <= 225
    # Or, as the spec may choose, reported (and the plate would carry it).
    path = write(tmp_path / "s.yaml", with_photo("prepress: {over_limit_photos: report}"))
    result = render(path, tmp_path / "s.pdf")
    assert result.returncode == 1 and "[ink.tac]" in result.stderr
