"""check as good as the plant's: each fault a supplied PDF can carry, planted alone
in an otherwise clean file (built with pikepdf), is reported with its code; clean
files from other producers pass, and the standard found is stated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from layout.prepress.check import preflight

from .conftest import ROOT, limited_memory, write

X4 = """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
prepress: {pdfx: X-4}
pages:
  - articles:
      - id: a
        headline: 测试
        body: "本报讯　正文。"
        box: {col: 1, cols: 4, line: 1, lines: 40}
"""


def _render(spec: Path, out: Path) -> Path:
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(out)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, Path]:
    """Our tabloid page (PDF/X-1a) and a small PDF/X-4 page, both clean."""
    d = tmp_path_factory.mktemp("clean")
    plates = {"x1a": _render(ROOT / "specs" / "tabloid.yaml", d / "tabloid.pdf"),
              "x4": _render(write(d / "x4.yaml", X4), d / "x4.pdf")}
    for path in plates.values():
        assert preflight(path).findings == [], path
    return plates


def _content(pdf, page, data: bytes) -> None:
    page.contents_add(pdf.make_stream(data), prepend=False)


def _inside(page) -> tuple[float, float]:
    trim = [float(v) for v in page.obj.TrimBox]
    return trim[0] + 100, trim[1] + 100


def _rgb_inline_image(pdf, page):
    x, y = _inside(page)
    _content(pdf, page, f"q 20 0 0 20 {x} {y} cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID ".encode()
             + b"\xff\x00\x00 EI Q")


def _function(pdf, outputs: list[float]):
    return pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0] * len(outputs),
                              C1=outputs, N=1)


def _rgb_shading(pdf, page):
    shading = pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB,
                                 Coords=[0, 0, 100, 0], Function=_function(pdf, [1, 0, 0]))
    page.Resources.Shading = pikepdf.Dictionary(Sh9=shading)
    x, y = _inside(page)
    _content(pdf, page, f"q 1 0 0 1 {x} {y} cm /Sh9 sh Q".encode())


def _page_group(pdf, page):
    page.obj.Group = pikepdf.Dictionary(Type=pikepdf.Name.Group, S=pikepdf.Name.Transparency,
                                        CS=pikepdf.Name.DeviceCMYK)


def _form_group(pdf, page):
    form = pdf.make_stream(b"0 0 0 1 k 0 0 10 10 re f")
    form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    form.BBox = [0, 0, 10, 10]
    form.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency)
    page.Resources.XObject = pikepdf.Dictionary(Fm9=form)
    x, y = _inside(page)
    _content(pdf, page, f"q 1 0 0 1 {x} {y} cm /Fm9 Do Q".encode())


def _ink_path(pdf, page):
    x, y = _inside(page)
    _content(pdf, page, f"q 0.9 0.9 0.9 0.9 k {x} {y} m {x + 50} {y} l {x + 50} {y + 50} l "
                        f"f Q".encode())


def _ink_stroke(pdf, page):
    x, y = _inside(page)
    _content(pdf, page, f"q 2 w 0.9 0.9 0.9 0.9 K {x} {y} m {x + 50} {y + 50} l S Q".encode())


def _ink_text(pdf, page):
    font = next(iter(page.Resources.Font.keys()))
    x, y = _inside(page)
    _content(pdf, page, f"q BT {font} 24 Tf 0.9 0.9 0.9 0.9 k 1 0 0 1 {x} {y} Tm <0001> Tj "
                        f"ET Q".encode())


def _spot(pdf, page):
    space = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/PANTONE 185 C"),
                           pikepdf.Name.DeviceCMYK, _function(pdf, [0, 1, 0.8, 0])])
    page.Resources.ColorSpace = pikepdf.Dictionary(Cs9=space)
    x, y = _inside(page)
    _content(pdf, page, f"q /Cs9 cs 1 scn {x} {y} 40 40 re f Q".encode())


def _devicen_rgb(pdf, page):
    space = pikepdf.Array([pikepdf.Name.DeviceN, [pikepdf.Name.Cyan], pikepdf.Name.DeviceRGB,
                           _function(pdf, [0, 1, 1])])
    page.Resources.ColorSpace = pikepdf.Dictionary(Cs9=space)
    x, y = _inside(page)
    _content(pdf, page, f"q /Cs9 cs 0.5 scn {x} {y} 40 40 re f Q".encode())


def _page_javascript(pdf, page):
    page.obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                          JS=pikepdf.String("app.alert(1)")))


def _link_javascript(pdf, page):
    media = [float(v) for v in page.obj.MediaBox]        # in the slug, outside the trim
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[media[0] + 1, media[1] + 1,
                                                                  media[0] + 9, media[1] + 9],
        A=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))]))


def _note_in_trim(pdf, page):
    x, y = _inside(page)
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[x, y, x + 20, y + 20],
        Contents=pikepdf.String("check the head"))]))


def _form_field(pdf, page):
    x, y = _inside(page)
    field = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx,
        T=pikepdf.String("name"), Rect=[x, y, x + 80, y + 20]))
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field])


def _postscript(pdf, page):
    ps = pdf.make_stream(b"0 0 moveto 10 10 lineto stroke")
    ps.Type, ps.Subtype = pikepdf.Name.XObject, pikepdf.Name.PS
    page.Resources.XObject = pikepdf.Dictionary(Ps9=ps)
    _content(pdf, page, b"/Ps9 Do")


def _knockout_black(pdf, page):
    page.Resources.ExtGState = pikepdf.Dictionary(Gs9=pikepdf.Dictionary(
        Type=pikepdf.Name.ExtGState, OP=True, op=True))
    x, y = _inside(page)
    _content(pdf, page, f"q /Gs9 gs 0 0 0 1 k {x} {y} 10 10 re f Q".encode())


def _info(key, value):
    def plant(pdf, page):
        if value is None:
            del pdf.docinfo[key]
        else:
            pdf.docinfo[key] = value
    return plant


# name: (clean file, planting, save with this PDF version, the code expected)
FAULTS = {
    "rgb inline image": ("x1a", _rgb_inline_image, None, "colour.space"),
    "rgb shading": ("x1a", _rgb_shading, None, "colour.space"),
    "transparency group on the page": ("x1a", _page_group, None, "colour.transparency"),
    "transparency group on a form": ("x1a", _form_group, None, "colour.transparency"),
    "300% ink in a path": ("x1a", _ink_path, None, "ink.tac"),
    "300% ink in a stroke": ("x1a", _ink_stroke, None, "ink.tac"),
    "300% ink in text": ("x1a", _ink_text, None, "ink.tac"),
    "a spot colour": ("x1a", _spot, None, "colour.spot"),
    "DeviceN with an RGB alternate": ("x1a", _devicen_rgb, None, "colour.space"),
    "JavaScript in a page action": ("x1a", _page_javascript, None, "pdfx.action"),
    "JavaScript in a link": ("x1a", _link_javascript, None, "pdfx.action"),
    "a note inside the trim": ("x1a", _note_in_trim, None, "pdfx.annotation"),
    "a form field": ("x1a", _form_field, None, "pdfx.annotation"),
    "no GTS_PDFXConformance": ("x1a", _info("/GTS_PDFXConformance", None), None,
                               "pdfx.version"),
    "PDF 1.4 claiming X-1a:2001": ("x1a", lambda pdf, page: None, "1.4", "pdfx.version"),
    "X-4 as PDF 1.7": ("x4", lambda pdf, page: None, "1.7", "pdfx.version"),
    "not a PDF/X version": ("x1a", _info("/GTS_PDFXVersion", pikepdf.String("PDF/X-9")), None,
                            "pdfx.version"),
    "a bad date": ("x1a", _info("/CreationDate", pikepdf.String("yesterday")), None,
                   "pdfx.metadata"),
    "a PostScript XObject": ("x1a", _postscript, None, "pdf.postscript"),
    "XMP disagreeing with the info": ("x4", _info("/Title", pikepdf.String("another title")),
                                      None, "pdfx.metadata"),
    "overprint without OPM 1": ("x1a", _knockout_black, None, "colour.overprint-mode"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_planted_fault_is_reported_with_its_code(clean, tmp_path, fault):
    base, plant, version, code = FAULTS[fault]
    target = tmp_path / "faulty.pdf"
    with pikepdf.open(clean[base]) as pdf:
        plant(pdf, pdf.pages[0])
        pdf.save(target, force_version=version) if version else pdf.save(target)
    codes = sorted({f.code for f in preflight(target).findings})
    assert codes == [code], (fault, codes)


def _clean_x1a_from_reportlab(path: Path) -> Path:
    """Another producer: ReportLab's own TrueType embedding, CMYK, the PDF/X-1a keys
    added with pikepdf."""
    pdfmetrics.registerFont(TTFont("OtherHei", str(ROOT / "fonts" / "NotoSansSC-Regular.ttf")))
    plain = path.with_suffix(".plain.pdf")
    c = Canvas(str(plain), pagesize=(400, 400), initialFontName="OtherHei")
    c.setTrimBox((10, 10, 390, 390))
    c.setBleedBox((5, 5, 395, 395))
    c.setFillColor(CMYKColor(0.2, 0, 0.4, 0, alpha=None))
    c.rect(10, 10, 380, 100, stroke=0, fill=1)
    c.setFillColor(CMYKColor(0, 0, 0, 1, alpha=None))
    c.setFont("OtherHei", 14)
    c.drawString(40, 300, "别家软件做的一页")
    c.showPage()
    c.save()
    with pikepdf.open(plain) as pdf:
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String("IFRA26"),
            RegistryName=pikepdf.String("http://www.color.org"))])
        info = pdf.docinfo
        info.Title = pikepdf.String("another producer")
        info.CreationDate = info.ModDate = pikepdf.String("D:20261125080000+08'00'")
        info.GTS_PDFXVersion = pikepdf.String("PDF/X-1:2001")
        info.GTS_PDFXConformance = pikepdf.String("PDF/X-1a:2001")
        info.Trapped = pikepdf.Name("/False")
        pdf.save(path, force_version="1.3", fix_metadata_version=False)
    return path


def test_a_clean_file_from_another_producer_passes(tmp_path):
    result = preflight(_clean_x1a_from_reportlab(tmp_path / "other.pdf"))
    assert (result.declared, result.findings) == ("PDF/X-1a:2001", [])


def test_a_clean_pdfx3_passes_and_is_named(tmp_path):
    other = _clean_x1a_from_reportlab(tmp_path / "other.pdf")
    with pikepdf.open(other) as pdf:
        pdf.docinfo.GTS_PDFXVersion = pikepdf.String("PDF/X-3:2003")
        del pdf.docinfo["/GTS_PDFXConformance"]
        pdf.save(tmp_path / "x3.pdf", force_version="1.4")
    result = preflight(tmp_path / "x3.pdf")
    assert (result.declared, result.checked_as, result.findings) == \
        ("PDF/X-3:2003", "PDF/X-3:2003", [])
    # Held to X-1a instead, the same file is fine too (all CMYK); held to nothing
    # else it states what it found.
    assert preflight(tmp_path / "x3.pdf", standard="X-1a").checked_as == "PDF/X-1a:2001"


def test_check_states_the_standard_first(clean):
    result = subprocess.run([sys.executable, "-m", "layout.cli", "check", str(clean["x4"])],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].endswith("declares PDF/X-4; checked as PDF/X-4")


def test_the_ink_limit_is_the_files_own_conditions(clean, tmp_path):
    """230% ink is over IFRA26's 220% and within IFRA30's 240%."""
    for condition, expected in (("IFRA26", ["ink.tac"]), ("IFRA30", [])):
        target = tmp_path / f"{condition}.pdf"
        with pikepdf.open(clean["x1a"]) as pdf:
            page = pdf.pages[0]
            x, y = _inside(page)
            _content(pdf, page, f"q 0.8 0.5 0.5 0.5 k {x} {y} 40 40 re f Q".encode())
            pdf.Root.OutputIntents[0].OutputConditionIdentifier = pikepdf.String(condition)
            pdf.save(target)
        assert sorted({f.code for f in preflight(target).findings}) == expected, condition


# ---------------------------------------------------------------- files made to break check

def _self_calling_form(pdf, page):
    form = pdf.make_stream(b"/Fm9 Do /Fm9 Do /Fm9 Do")
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 9, 9]
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm9=form))
    page.Resources.XObject = pikepdf.Dictionary(Fm9=form)
    _content(pdf, page, b"/Fm9 Do")


def _flate_bomb(pdf, page):
    import zlib
    bomb = pdf.make_stream(b"")
    bomb.write(zlib.compress(b" " * (80 * 2**20), 9), filter=pikepdf.Name.FlateDecode)
    page.contents_add(bomb, prepend=False)


def _deep_states(pdf, page):
    _content(pdf, page, b"q " * 5000 + b"Q " * 5000)


def _malformed_operands(pdf, page):
    _content(pdf, page, b"(abc) k 1 2 re f /Nope 7 cm (x) w")


def _not_a_font(pdf, page):
    page.Resources.Font = pikepdf.Dictionary(F9=pikepdf.Array([1, 2, 3]))


def _nan_coordinates(pdf, page):
    _content(pdf, page, b"q nan 0 0 1 0 0 cm 0 0 m inf 10 l S Q")


def _negative_media_box(pdf, page):
    page.MediaBox = pikepdf.Array([0, 0, -500, -700])


BREAKERS = {
    "a form that draws itself": (_self_calling_form, "pdf.too-complex"),
    "a Flate bomb": (_flate_bomb, "pdf.too-complex"),
    "5,000 nested q": (_deep_states, "pdf.too-complex"),
    "malformed operands": (_malformed_operands, "pdf.syntax"),
    "a font that is not a dictionary": (_not_a_font, "pdf.syntax"),
    "NaN coordinates": (_nan_coordinates, "pdf.syntax"),
    "a negative MediaBox": (_negative_media_box, "boxes.media"),
}


@pytest.mark.parametrize("case", sorted(BREAKERS))
def test_a_file_made_to_break_check_is_a_finding_in_bounded_time(clean, tmp_path, case):
    import time
    plant, code = BREAKERS[case]
    target = tmp_path / "hostile.pdf"
    with pikepdf.open(clean["x1a"]) as pdf:
        plant(pdf, pdf.pages[0])
        pdf.save(target)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "layout.cli", "check", str(target), "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120,
                            preexec_fn=limited_memory)
    assert time.perf_counter() - started < 60
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    import json
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert code in codes, codes


def test_a_self_drawing_form_is_refused_by_preview_not_handed_to_pdfium(clean, tmp_path):
    target = tmp_path / "hostile.pdf"
    with pikepdf.open(clean["x1a"]) as pdf:
        _self_calling_form(pdf, pdf.pages[0])
        pdf.save(target)
    result = subprocess.run([sys.executable, "-m", "layout.cli", "preview", str(target), "-o",
                             str(tmp_path / "png")], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 2 and "draws itself" in result.stderr
    assert result.stderr.count("\n") == 1 and not (tmp_path / "png").exists()


@pytest.mark.parametrize("cut", ["no xref", "no trailer"])
def test_a_damaged_file_is_a_finding_or_one_line_never_ready(clean, tmp_path, cut):
    """A file cut before its cross-reference table reads only by rebuilding it
    (pdf.damaged); one cut in half cannot be read at all (one line, exit 2)."""
    data = clean["x1a"].read_bytes()
    target = tmp_path / "damaged.pdf"
    target.write_bytes(data[:data.rfind(b"xref")] if cut == "no xref" else data[:len(data) // 2])
    result = subprocess.run([sys.executable, "-m", "layout.cli", "check", str(target)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "Traceback" not in result.stderr and "ready for the plant" not in result.stdout
    if cut == "no xref":
        assert result.returncode == 1 and "[pdf.damaged]" in result.stdout, result.stdout
    else:
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
