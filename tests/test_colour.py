"""Colour for newsprint: the bundled ICC profile, the plant's own, and PDF/X-4."""

from __future__ import annotations

import subprocess
import sys

import pikepdf
from PIL import Image, ImageCms

from layout.paint.images import to_newsprint_cmyk
from layout.prepress.check import check_pdf
from layout.pdfx.profile import PROFILE_PATH, build_profile

from .conftest import ROOT, write

SPEC = """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
prepress: %s
pages:
  - articles:
      - id: a
        headline: 测试
        body: "记者王明报道：今天天气很好。"
        box: {col: 1, cols: 2, line: 1, lines: 30}
        photos:
          - {file: photo.png, box: {col: 1, cols: 2, line: 1, lines: 12}}
"""


def render(tmp_path, prepress: str):
    Image.new("RGB", (600, 400), (230, 30, 30)).save(tmp_path / "photo.png")
    spec = write(tmp_path / "s.yaml", SPEC % prepress)
    out = tmp_path / "s.pdf"
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(out)], capture_output=True, text=True, cwd=ROOT)
    return result, out


def test_the_bundled_profile_is_what_its_builder_makes_and_littlecms_reads():
    assert PROFILE_PATH.read_bytes() == build_profile()
    profile = ImageCms.getOpenProfile(str(PROFILE_PATH))
    assert profile.profile.xcolor_space.strip() == "CMYK"


def test_photos_are_separated_through_the_icc_profile_within_the_ink_limit():
    colours = [(230, 30, 30), (20, 60, 200), (128, 128, 128), (10, 10, 10), (250, 240, 200)]
    image = Image.new("RGB", (len(colours), 1))
    for x, c in enumerate(colours):
        image.putpixel((x, 0), c)
    cmyk = to_newsprint_cmyk(image)
    red, blue, grey, black, cream = (cmyk.getpixel((x, 0)) for x in range(len(colours)))
    assert red[1] > 180 and red[2] > 180 and red[0] < 30            # magenta + yellow
    assert blue[0] > 140 and blue[1] > 100 and blue[2] < 30        # cyan + magenta
    assert grey[3] > 80 and max(grey[:3]) < 15                      # grey on K alone (GCR)
    assert black[3] > 230
    assert all(sum(p) / 255 * 100 <= 220 for p in (red, blue, grey, black, cream))


def test_pdfx4_embeds_the_profile_and_passes_check(tmp_path):
    result, out = render(tmp_path, "{pdfx: X-4}")
    assert result.returncode == 0, result.stderr
    with pikepdf.open(out) as pdf:
        assert pdf.pdf_version == "1.6"
        intent = pdf.Root.OutputIntents[0]
        assert intent.DestOutputProfile.read_bytes() == PROFILE_PATH.read_bytes()
        assert int(intent.DestOutputProfile.N) == 4
        assert pdf.open_metadata()["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
    assert check_pdf(out) == []


def test_the_plants_profile_is_used_and_a_non_cmyk_one_refused(tmp_path):
    plant = tmp_path / "plant.icc"
    plant.write_bytes(PROFILE_PATH.read_bytes())
    result, out = render(tmp_path, "{pdfx: X-4, profile: plant.icc}")
    assert result.returncode == 0, result.stderr
    with pikepdf.open(out) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "IFRA26"        # as the spec says
        assert intent.DestOutputProfile.read_bytes() == plant.read_bytes()
        assert "plant.icc" in str(intent.Info)
    rgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    (tmp_path / "rgb.icc").write_bytes(rgb.tobytes())
    result, out = render(tmp_path, "{profile: rgb.icc}")
    assert result.returncode == 2
    assert "must be CMYK" in result.stderr and "s.yaml:3" in result.stderr


def test_a_low_resolution_photo_is_reported_at_layout_time(tmp_path):
    Image.new("RGB", (60, 40), (230, 30, 30)).save(tmp_path / "photo.png")
    spec = write(tmp_path / "s.yaml", SPEC % "{}")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "check", str(spec), "--json"],
                            capture_output=True, text=True, cwd=ROOT)
    import json
    findings = json.loads(result.stdout)["findings"]
    low = [f for f in findings if f["code"] == "image.resolution"]
    assert [(f["object"], f["story"], f["page"]) for f in low] == [("photo.png", "a", 1)], low


def test_a_photo_turned_by_its_exif_orientation_is_cropped_upright(tmp_path):
    """A camera's portrait JPEG is stored on its side with Orientation 6 (turn 90°)."""
    from layout.paint.images import prepare_image
    stored = Image.new("RGB", (600, 400), (0, 0, 255))          # blue, stored sideways
    for x in range(300):
        for y in range(400):
            stored.putpixel((x, y), (255, 0, 0))                   # left half red
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(tmp_path / "side.jpg", exif=exif, quality=95)
    prepared = prepare_image(tmp_path / "side.jpg", 200, 300, "fill", (0.5, 0.5), tmp_path)
    with Image.open(prepared.path) as out:
        assert out.mode == "CMYK" and out.height > out.width       # upright: portrait
        top, bottom = out.getpixel((out.width // 2, 5)), out.getpixel((out.width // 2,
                                                                       out.height - 5))
    assert top[1] > 150 and top[0] < 60            # red (magenta) on top after turning 90°
    assert bottom[0] > 150                          # blue (cyan) below


def test_a_camera_size_photo_is_decoded_reduced_and_cropped_where_the_focus_is(
        tmp_path, monkeypatch):
    """A 24-megapixel JPEG in a 4-column frame needs a quarter of its pixels: the
    decoder scales it down (DCT scaling) instead of decoding it whole, and the
    crop still lands on the focal point, upright, at press resolution."""
    from PIL import JpegImagePlugin

    from layout.paint.images import MAX_PPI, prepare_image
    stored = Image.new("RGB", (6000, 4000), (0, 0, 255))          # blue …
    stored.paste((255, 0, 0), (0, 0, 2000, 4000))                  # … left third red
    stored.paste((0, 160, 0), (2000, 0, 4000, 4000))               # … middle green
    stored.save(tmp_path / "camera.jpg", quality=90)
    decoded = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = real_draft(self, mode, size)
        decoded.append(self.size)
        return result
    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    # A tall narrow frame (about 35 x 71 mm) on the right-hand part of the picture.
    prepared = prepare_image(tmp_path / "camera.jpg", 100, 200, "fill", (0.9, 0.5), tmp_path)
    assert decoded and decoded[0][0] < 6000                       # not decoded whole
    with Image.open(prepared.path) as out:
        assert out.size == (round(100 / 72 * MAX_PPI), round(200 / 72 * MAX_PPI))
        c, m, y, k = out.getpixel((out.width // 2, out.height // 2))
    assert c > 150 and y < 60                                      # blue: the right third
    assert prepared.ppi == MAX_PPI


def test_a_camera_size_photo_stored_sideways_is_reduced_and_turned(tmp_path):
    from layout.paint.images import prepare_image
    stored = Image.new("RGB", (6000, 4000), (0, 0, 255))          # blue, stored sideways
    stored.paste((255, 0, 0), (0, 0, 3000, 4000))                  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(tmp_path / "side.jpg", exif=exif, quality=90)
    prepared = prepare_image(tmp_path / "side.jpg", 200, 300, "fill", (0.5, 0.5), tmp_path)
    with Image.open(prepared.path) as out:
        assert out.height > out.width                               # upright: portrait
        assert out.size == (round(200 / 72 * 300), round(300 / 72 * 300))
        top, bottom = out.getpixel((out.width // 2, 5)), out.getpixel((out.width // 2,
                                                                       out.height - 5))
    assert top[1] > 150 and top[0] < 60            # red (magenta) on top after turning 90°
    assert bottom[0] > 150                          # blue (cyan) below


def test_a_changed_plant_profile_makes_the_output_stale(tmp_path):
    """The plant's profile changes the PDF's bytes (X-4 embeds it), so a newer one
    is rendered again rather than called up to date."""
    import os
    import time

    plant = tmp_path / "plant.icc"
    plant.write_bytes(PROFILE_PATH.read_bytes())
    result, out = render(tmp_path, "{pdfx: X-4, profile: plant.icc}")
    assert result.returncode == 0, result.stderr
    again = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(tmp_path / "s.yaml"),
                            "-o", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert "up to date" in again.stdout
    data = bytearray(plant.read_bytes())
    data[24:36] = bytes([7, 234, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0])   # its creation date: 2026-12-01
    plant.write_bytes(bytes(data))
    later = time.time() + 5
    os.utime(plant, (later, later))
    changed = subprocess.run([sys.executable, "-m", "layout.cli", "render",
                              str(tmp_path / "s.yaml"), "-o", str(out)],
                             capture_output=True, text=True, cwd=ROOT)
    assert changed.returncode == 0 and "up to date" not in changed.stdout, changed.stdout
    with pikepdf.open(out) as pdf:
        embedded = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
    assert embedded == bytes(data)
