"""A night's edition: supplied ads placed untouched, one PDF/X file per plate with
versions, zoned editions — each read back with pikepdf and pdfplumber."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from layout.app.render import lay_out
from layout.place.result import AdItem
from layout.spec import load_spec

from .conftest import ROOT, write

MM = 72 / 25.4
SAMPLES = ROOT / "samples"


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """The night edition and its 南城版, rendered per plate as the README says."""
    out = tmp_path_factory.mktemp("plates")
    result = cli("render", "specs/night.yaml", "specs/night-south.yaml", "-o", out)
    assert result.returncode == 1, result.stderr       # the 半版 placeholder is a finding
    return out


def plates(folder: Path) -> dict[str, Path]:
    return {p.stem.rsplit("-", 1)[1]: p for p in sorted(folder.glob("*.pdf"))}


def test_each_plate_is_a_complete_pdfx_file(night):
    manifest = json.loads((night / "night" / "night.plates.json").read_text(encoding="utf-8"))
    assert [(e["page"], e["plate"], e["version"]) for e in manifest["plates"]] == \
        [(1, "A01", 1), (2, "A02", 1), (3, "A03", 1), (4, "A04", 1)]
    for entry in manifest["plates"]:
        path = night / "night" / entry["file"]
        assert sha(path) == entry["sha256"]
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) == 1
            assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1:2001"
            assert str(pdf.docinfo["/Version"]) == "1"
            assert entry["plate"] in str(pdf.docinfo["/Title"])
            intents = pdf.Root.OutputIntents
            assert len(intents) == 1 and intents[0].S == pikepdf.Name.GTS_PDFX
            page = pdf.pages[0].obj
            assert "/TrimBox" in page and "/BleedBox" in page
            for font in _fonts(pdf.pages[0].Resources):
                descriptor = font.get("/FontDescriptor") or \
                    font.DescendantFonts[0].FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        checked = cli("check", path, "--json")
        codes = [f["code"] for f in json.loads(checked.stdout)["findings"]]
        # Each plate passes preflight, but for the 半版 without artwork: its
        # placeholder is marked in the plate, so the plant's check sees it too.
        assert codes == (["ad.missing"] if entry["plate"] == "A02" else []), path


def _fonts(resources, depth=0):
    """Every font of a page, the fonts of its forms (a supplied ad's) included."""
    for font in (resources.get("/Font") or {}).values():
        yield font
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == pikepdf.Name.Form and depth < 4:
            yield from _fonts(xobject.get("/Resources") or {}, depth + 1)


def test_the_vector_ad_is_placed_untouched_at_its_slot(night):
    plate = plates(night / "night")["A01"]
    layout = lay_out(load_spec(ROOT / "specs" / "night.yaml"))
    slot = next(i for i in layout.pages[0].items if isinstance(i, AdItem) and i.ad == "bank")
    grid = layout.pages[0].grid
    with pdfplumber.open(SAMPLES / "ads" / "bank-tonglan.pdf") as ad:
        trim = ad.pages[0].trimbox      # (x0, top, x1, bottom) from the top-left
        mark = next(c for c in ad.pages[0].chars if c["text"] == "江")     # its 54 pt slogan
        offset = (mark["x0"] - trim[0], mark["top"] - trim[1])
    with pdfplumber.open(plate) as pdf:
        page = pdf.pages[0]
        text = "".join(c["text"] for c in page.chars)
        assert "江川银行" in text and "安心理财" in text          # text, not pixels
        marks = [c for c in page.chars if c["text"] == "江" and abs(c["size"] - 54) < 0.01]
        assert len(marks) == 1
        placed = (marks[0]["x0"] - grid.slug_pt, marks[0]["top"] - grid.slug_pt)
    assert placed[0] == pytest.approx(slot.x_pt + offset[0], abs=0.1 * MM)
    assert placed[1] == pytest.approx(slot.y_pt + offset[1], abs=0.1 * MM)
    with pikepdf.open(plate) as pdf:
        forms = [x for x in pdf.pages[0].Resources.XObject.values()
                 if x.get("/Subtype") == pikepdf.Name.Form]
        assert len(forms) == 1
        assert [float(v) for v in forms[0].BBox] == pytest.approx(
            [3 * MM, 3 * MM, 3 * MM + 999, 3 * MM + 260], abs=0.01)   # the ad's TrimBox


def test_a_cmyk_jpeg_ad_goes_in_as_supplied(night):
    supplied = (SAMPLES / "ads" / "tea-baoyan.jpg").read_bytes()
    with pikepdf.open(plates(night / "night")["A01"]) as pdf:
        images = [x for x in pdf.pages[0].Resources.XObject.values()
                  if x.get("/Subtype") == pikepdf.Name.Image]
        assert any(x.read_raw_bytes() == supplied for x in images)


def test_a_placeholder_prints_and_check_reports_it(night):
    with pdfplumber.open(plates(night / "night")["A02"]) as pdf:
        text = "".join(c["text"] for c in pdf.pages[0].chars)
    assert "广告" in text and "江川汽车城" in text and "GG-20261125-07" in text
    found = json.loads(cli("check", "specs/night.yaml", "--json").stdout)["findings"]
    missing = [f for f in found if f["code"] == "ad.missing"]
    assert [(f["page"], f["element"], f["severity"]) for f in missing] == \
        [(2, "ad car", "error")]


def test_zones_share_their_common_plates_byte_for_byte(night):
    city, south = plates(night / "night"), plates(night / "night-south")
    assert sorted(south) == ["A01", "A02", "A03S", "A04"]
    for name in ("A01", "A02", "A04"):
        assert city[name].read_bytes() == south[name].read_bytes(), name
    with pdfplumber.open(south["A03S"]) as pdf:
        text = "".join(c["text"] for c in pdf.pages[0].chars)
    assert "南城老街焕新颜" in text and "南城版" in text        # its slug names the zone
    with pdfplumber.open(city["A03"]) as pdf:
        assert "南城" not in "".join(c["text"] for c in pdf.pages[0].chars)


@pytest.fixture
def night_tree(tmp_path):
    """The night edition in a folder of its own, to change at will."""
    shutil.copytree(SAMPLES / "copy", tmp_path / "samples" / "copy")
    shutil.copytree(SAMPLES / "ads", tmp_path / "samples" / "ads")
    shutil.copytree(SAMPLES / "photos", tmp_path / "samples" / "photos")
    (tmp_path / "specs").mkdir()
    shutil.copy(ROOT / "specs" / "night.yaml", tmp_path / "specs")
    return tmp_path


def test_a_late_change_rewrites_only_its_plate(night_tree):
    out = night_tree / "out"
    spec = night_tree / "specs" / "night.yaml"
    assert cli("render", spec, "-o", out).returncode == 1
    folder = out / "night"
    before = {name: (p.read_bytes(), p.stat().st_mtime_ns) for name, p in plates(folder).items()}
    copy = night_tree / "samples" / "copy" / "elderly.txt"        # a story on page 3
    copy.write_text(copy.read_text(encoding="utf-8").replace("长者食堂", "老年食堂", 1),
                    encoding="utf-8")
    again = cli("render", spec, "-o", out)
    assert again.returncode == 1
    after = plates(folder)
    for name in ("A01", "A02", "A04"):
        assert after[name].read_bytes() == before[name][0]
        assert after[name].stat().st_mtime_ns == before[name][1]        # not written again
    assert after["A03"].read_bytes() != before["A03"][0]
    assert "A03  v2  written" in again.stdout and again.stdout.count("unchanged") == 3
    with pikepdf.open(after["A03"]) as pdf:
        assert str(pdf.docinfo["/Version"]) == "2"
    with pdfplumber.open(after["A03"]) as pdf:
        assert "A03 v2" in pdf.pages[0].extract_text()              # the slug says so
    manifest = json.loads((folder / "night.plates.json").read_text(encoding="utf-8"))
    assert {e["plate"]: e["version"] for e in manifest["plates"]} == \
        {"A01": 1, "A02": 1, "A03": 2, "A04": 1}
    assert {e["plate"]: e["sha256"] for e in manifest["plates"]} == \
        {name: sha(p) for name, p in after.items()}
    still = cli("render", spec, "-o", out)
    assert still.stdout.count("unchanged") == 4


def test_only_the_chosen_plates_are_painted(night_tree, tmp_path):
    out = tmp_path / "chosen"
    result = cli("render", night_tree / "specs" / "night.yaml", "--per-page", "-o", out,
                 "--pages", "2,4")
    assert result.returncode == 1, result.stderr
    assert sorted(plates(out)) == ["A02", "A04"]
    # Laid out whole: page 4's jump and index numbers are those of the full edition.
    bad = cli("render", night_tree / "specs" / "night.yaml", "--per-page", "-o", out,
              "--pages", "2-9")
    assert bad.returncode == 2 and "1–4" in bad.stderr


# ---------------------------------------------------------------- supplied ads, one at a time

SPEC = """\
paper: {{name: 测试日报}}
edition: {{date: 2026-11-25}}
ad_sizes:
  通栏: {{cols: 8, lines: 20}}
pages:
  - articles:
      - id: a
        headline: 测试
        body: "本报讯　今天天气很好。"
        box: {{col: 1, cols: 4, line: 1, lines: 30}}
    ads:
      - {{id: ad, size: 通栏, box: {{col: 1, line: {line}}}, file: {file}{extra}}}
"""


def ad_spec(tmp_path, file: str, line: int = 89, extra: str = "") -> Path:
    return write(tmp_path / "s.yaml", SPEC.format(file=file, line=line, extra=extra))


def tonglan_pdf(path: Path, width=999.0, height=260.0, rgb=False, trim=None) -> Path:
    pdfmetrics.registerFont(TTFont("TestHei", str(ROOT / "fonts" / "NotoSansSC-Regular.ttf")))
    c = Canvas(str(path), pagesize=(width, height), initialFontName="TestHei")
    if trim is not None:
        c.setTrimBox(trim)
    if rgb:
        c.setFillColorRGB(0.9, 0.1, 0.1)
    else:
        c.setFillColor(CMYKColor(0, 1, 1, 0, alpha=None))
    c.rect(0, 0, width, height, stroke=0, fill=1)
    c.setFont("TestHei", 40)
    c.drawString(40, 100, "测试广告")
    c.showPage()
    c.save()
    return path


def render_ad(tmp_path, spec: Path):
    out = tmp_path / "out.pdf"
    return cli("render", spec, "-o", out), out


def test_an_rgb_pdf_ad_is_refused_for_a_pdfx1a_plate(tmp_path):
    tonglan_pdf(tmp_path / "rgb.pdf", rgb=True)
    result, out = render_ad(tmp_path, ad_spec(tmp_path, "rgb.pdf"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "s.yaml:12:" in lines[0] and "rgb.pdf" in lines[0]
    assert "DeviceRGB" in lines[0] and "PDF/X-1a" in lines[0]
    assert not out.exists()


def test_a_cmyk_pdf_ad_of_the_slots_size_renders_clean(tmp_path):
    tonglan_pdf(tmp_path / "ok.pdf")
    result, out = render_ad(tmp_path, ad_spec(tmp_path, "ok.pdf"))
    assert result.returncode == 0, result.stderr
    assert cli("check", out).returncode == 0


def test_a_wrong_size_names_both_sizes_or_fits_when_asked(tmp_path):
    tonglan_pdf(tmp_path / "small.pdf", height=240)
    result, out = render_ad(tmp_path, ad_spec(tmp_path, "small.pdf"))
    assert result.returncode == 2 and not out.exists()
    assert "352.4 × 84.7 mm" in result.stderr and "352.4 × 91.7 mm" in result.stderr
    result, out = render_ad(tmp_path, ad_spec(tmp_path, "small.pdf", extra=", fit: contain"))
    assert result.returncode == 0, result.stderr


def test_an_rgb_image_ad_is_separated_and_reported(tmp_path):
    shutil.copy(SAMPLES / "ads" / "rgb-tonglan.png", tmp_path)
    spec = ad_spec(tmp_path, "rgb-tonglan.png")
    result, out = render_ad(tmp_path, spec)
    assert result.returncode == 0, result.stderr
    assert "[ad.separated]" in result.stderr
    with pikepdf.open(out) as pdf:
        spaces = {str(x.get("/ColorSpace")) for x in pdf.pages[0].Resources.XObject.values()
                  if x.get("/Subtype") == pikepdf.Name.Image}
    assert spaces == {"/DeviceCMYK"}


def _encrypted(path: Path) -> None:
    tonglan_pdf(path.with_suffix(".plain.pdf"))
    with pikepdf.open(path.with_suffix(".plain.pdf")) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="u"))


BROKEN = {
    "missing": (lambda d: None, "not found"),
    "encrypted": (lambda d: _encrypted(d / "ad.pdf"), "encrypted"),
    "corrupt": (lambda d: (d / "ad.pdf").write_bytes(b"%PDF-1.4\n garbage " * 20),
                "not a readable PDF"),
    "no_such_page": (lambda d: tonglan_pdf(d / "ad.pdf"), "has no page 3"),
    "zero_trim": (lambda d: tonglan_pdf(d / "ad.pdf", trim=(10, 10, 10, 10)), "no size"),
    "overlap": (lambda d: tonglan_pdf(d / "ad.pdf"), "overlaps article 'a'"),
    "rule_across": (lambda d: tonglan_pdf(d / "ad.pdf"), "a rule on page 1 runs across ad"),
    "no_resolution": (lambda d: Image.new("CMYK", (2000, 520)).save(d / "ad.pdf", "JPEG"),
                      "states no resolution"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_ad_is_one_line_at_its_place_and_nothing_written(tmp_path, case):
    make, expected = BROKEN[case]
    make(tmp_path)
    extra = ", page: 3" if case == "no_such_page" else ""
    spec = ad_spec(tmp_path, "ad.pdf", line=20 if case == "overlap" else 89, extra=extra)
    if case == "rule_across":
        spec.write_text(spec.read_text(encoding="utf-8")
                        + "    rules: [{line: 95, col: 1, cols: 8}]\n", encoding="utf-8")
    result, out = render_ad(tmp_path, spec)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "s.yaml:12:" in lines[0] and expected in lines[0], lines[0]
    assert not out.exists()


def test_zone_errors_are_placed(tmp_path):
    write(tmp_path / "z.yaml", "base: nowhere.yaml\nedition: {zone: 北区}\n")
    result = cli("render", tmp_path / "z.yaml", "-o", tmp_path / "out")
    assert result.returncode == 2 and "z.yaml:1:" in result.stderr and "not found" in result.stderr
    shutil.copy(ROOT / "tests" / "data" / "zone-base.yaml", tmp_path / "b.yaml")
    write(tmp_path / "z.yaml", "base: b.yaml\npages:\n  - replaces: 5\n    articles: []\n")
    result = cli("render", tmp_path / "z.yaml", "-o", tmp_path / "out")
    assert result.returncode == 2 and "z.yaml:3:" in result.stderr and "1–1" in result.stderr
