"""User fonts (an OTF with CFF outlines is converted), fallbacks and missing glyphs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.ttCollection import TTCollection

from layout.fonts.registry import bundled_dir

from .conftest import ROOT, write

RARE = "\U0002003E"   # 𠀾, CJK Extension B: not in the bundled fonts


def square_font(chars: str, family: str, *, cff: bool):
    """A tiny font whose every glyph is a square: CFF (OpenType) or TrueType outlines."""
    names = [".notdef"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    corners = ((100, -100), (900, -100), (900, 700), (100, 700))
    if cff:
        strings = {}
        for name in names:
            pen = T2CharStringPen(1000, None)
            pen.moveTo(corners[0])
            for corner in corners[1:]:
                pen.lineTo(corner)
            pen.closePath()
            strings[name] = pen.getCharString()
        fb.setupCFF(family.replace(" ", ""), {"FullName": family}, strings, {})
    else:
        glyphs = {}
        for name in names:
            pen = TTGlyphPen(None)
            pen.moveTo(corners[0])
            for corner in reversed(corners[1:]):     # TrueType contours run clockwise
                pen.lineTo(corner)
            pen.closePath()
            glyphs[name] = pen.glyph()
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    return fb.font


def make_cff_font(path, chars: str) -> None:
    square_font(chars, "Test Square", cff=True).save(str(path))


SPEC = """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
%s
pages:
  - articles:
      - id: names
        headline: 测试
        body: "记者王%s报道：今天天气很好。"
        box: {col: 1, cols: 2, line: 1, lines: 20}
"""


def render(spec_path, out):
    return subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec_path),
                           "-o", str(out)], capture_output=True, text=True, cwd=ROOT,
                          env={"BROADSHEET_CACHE": str(out.parent / "cache"),
                               "PATH": "/usr/bin:/bin"})


def render_with_fallback(tmp_path, font_file: str):
    """The test spec with `font_file` as the fallback face for the rare character."""
    spec = write(tmp_path / "s.yaml", SPEC % (
        f"fonts: {{square: {font_file}}}\nstyle: {{fallback_fonts: [square]}}", RARE))
    return render(spec, tmp_path / "s.pdf")


def test_missing_character_is_reported_with_story_and_context(tmp_path):
    spec = write(tmp_path / "s.yaml", SPEC % ("", RARE))
    result = render(spec, tmp_path / "s.pdf")
    assert result.returncode == 1
    assert "U+2003E" in result.stderr and "story names" in result.stderr \
        and "[font.missing]" in result.stderr
    assert "记者王" in result.stderr
    # The PDF is still written, and the character is not drawn (no empty box in its place).
    import pdfplumber
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        chars = [c["text"] for c in pdf.pages[0].chars]
    assert RARE not in chars and "记" in chars and "报" in chars


def test_fallback_font_from_a_cff_otf_is_converted_and_embedded(tmp_path):
    make_cff_font(tmp_path / "square.otf", RARE)
    result = render_with_fallback(tmp_path, "square.otf")
    assert result.returncode == 0, result.stderr
    cached = list((tmp_path / "cache" / "fonts").glob("*.ttf"))
    assert len(cached) == 1
    with pikepdf.open(tmp_path / "s.pdf") as pdf:
        fonts = [str(f.BaseFont) for f in pdf.pages[0].Resources.Font.values()]
    assert any("TestSquare" in name or "square" in name.lower() for name in fonts), fonts


def test_corrupt_font_is_a_user_error(tmp_path):
    (tmp_path / "bad.ttf").write_bytes(b"not a font at all" * 10)
    spec = write(tmp_path / "s.yaml", SPEC % (
        "fonts: {bad: bad.ttf}\nstyle: {body_font: bad}", "明"))
    result = render(spec, tmp_path / "s.pdf")
    assert result.returncode == 2
    assert "bad.ttf" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "s.pdf").exists()


def make_ttc(path, chars: str) -> None:
    """A TrueType collection of two tiny square fonts (as Windows ships SimSun)."""
    from fontTools.ttLib import TTCollection
    collection = TTCollection()
    collection.fonts = [square_font(chars, "Test Collection", cff=False),
                        square_font(chars, "Test Collection Two", cff=False)]
    collection.save(str(path))


def test_fallback_font_from_a_truetype_collection_is_embedded(tmp_path):
    import pdfplumber
    make_ttc(tmp_path / "square.ttc", RARE)
    result = render_with_fallback(tmp_path, "square.ttc")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        rare = [c for c in pdf.pages[0].chars if c["text"] == RARE]
    assert rare and all("TestCollection" in c["fontname"] for c in rare)


def _with_fs_type(path, fs_type: int) -> None:
    from fontTools.ttLib import TTFont
    font = TTFont(str(path))
    font["OS/2"].fsType = fs_type
    font.save(str(path))


def test_font_whose_licence_restricts_embedding_is_refused_at_its_place(tmp_path):
    make_cff_font(tmp_path / "square.otf", RARE)
    _with_fs_type(tmp_path / "square.otf", 0x0002)
    result = render_with_fallback(tmp_path, "square.otf")
    assert result.returncode == 2
    assert "s.yaml:3:" in result.stderr and "square.otf cannot be embedded" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "s.pdf").exists()


def test_font_whose_licence_forbids_subsetting_is_embedded_whole(tmp_path):
    make_ttc(tmp_path / "square.ttc", RARE + "测试")
    from fontTools.ttLib import TTCollection
    collection = TTCollection(str(tmp_path / "square.ttc"))
    collection.fonts[0]["OS/2"].fsType = 0x0100
    collection.save(str(tmp_path / "square.ttc"))
    result = render_with_fallback(tmp_path, "square.ttc")
    assert result.returncode == 0, result.stderr
    from io import BytesIO

    from fontTools.ttLib import TTFont
    with pikepdf.open(tmp_path / "s.pdf") as pdf:
        whole = [f for f in pdf.pages[0].Resources.Font.values()
                 if "TestCollection" in str(f.BaseFont)]
        assert len(whole) == 1 and "+" not in str(whole[0].BaseFont)   # no subset tag
        program = whole[0].DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
    assert TTFont(BytesIO(program))["maxp"].numGlyphs == 4    # .notdef and all three


def test_installed_fonts_are_listed_with_coverage_and_whether_a_spec_can_use_them(tmp_path):
    """A folder with a font and a two-face collection: each face with its GB 2312 /
    GBK / GB 18030 coverage (read with fontTools) and how a spec names it."""
    shutil.copy(bundled_dir() / "NotoSansSC-Regular.ttf", tmp_path / "hei.ttf")
    collection = TTCollection()
    collection.fonts = [TTFont(bundled_dir() / "BroadsheetKai-Regular.ttf"),
                        TTFont(bundled_dir() / "NotoSansSC-Regular.ttf")]
    collection.save(tmp_path / "two.ttc")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "fonts", "--installed",
                             "--dir", str(tmp_path), "--json"], capture_output=True, text=True,
                            cwd=ROOT, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    rows = {(Path(r["file"]).name, r["face"]): r for r in json.loads(result.stdout)}
    assert set(rows) == {("hei.ttf", 0), ("two.ttc", 0), ("two.ttc", 1)}
    assert all(r["gb2312"] == 6763 and r["gbk"] == 20923 for r in rows.values())
    assert all(r["usable"] for r in rows.values())
    assert rows[("two.ttc", 1)]["why"] == "usable as {file: two.ttc, face: 1}"
    text = subprocess.run([sys.executable, "-m", "layout.cli", "fonts", "--installed", "--dir",
                           str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, check=False).stdout
    assert len(text.strip().splitlines()) == 3 and "GB18030" in text


def test_a_face_of_a_collection_past_the_first_is_used_by_its_number(tmp_path):
    """fonts: {second: {file: two.ttc, face: 1}}: the byline is set in that face (its
    name in the PDF); a face the collection lacks is refused at its place."""
    collection = TTCollection()
    collection.fonts = [TTFont(bundled_dir() / "BroadsheetKai-Regular.ttf"),
                        TTFont(bundled_dir() / "NotoSansSC-Regular.ttf")]
    collection.save(tmp_path / "two.ttc")
    spec = write(tmp_path / "s.yaml", """\
paper: {name: 测试日报}
edition: {date: 2026-11-25}
geometry: {marks: false}
fonts:
  second: {file: two.ttc, face: 1}
style: {byline_font: second}
pages:
  - articles:
      - id: a
        headline: 标题
        byline: 本报记者　王明
        body: 正文。
        box: {col: 1, cols: 2, line: 1, lines: 10}
""")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(tmp_path / "s.pdf")], capture_output=True, text=True, cwd=ROOT,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        byline = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars if c["text"] in "王明"}
    assert byline == {"NotoSansCJKsc-Regular"}       # face 1; face 0 would be the Kai
    spec.write_text(spec.read_text(encoding="utf-8").replace("face: 1", "face: 5"),
                    encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                          str(tmp_path / "t.pdf")], capture_output=True, text=True, cwd=ROOT,
                         timeout=300, check=False)
    assert bad.returncode == 2 and "s.yaml:5:" in bad.stderr and "no face 5" in bad.stderr
