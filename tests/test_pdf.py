"""The rendered sample read back with independent PDF readers (pikepdf, pdfplumber)."""

from __future__ import annotations

import subprocess
import sys

import pdfplumber
import pikepdf
import pytest

from .conftest import ROOT

MM = 72 / 25.4


def test_pages_size_and_boxes(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            media = [float(v) for v in page.MediaBox]
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            assert (trim[2] - trim[0]) / MM >= 250
            assert media[0] <= bleed[0] <= trim[0] and trim[2] <= bleed[2] <= media[2]
            assert media[1] <= bleed[1] <= trim[1] and trim[3] <= bleed[3] <= media[3]


def test_every_font_embedded_and_subset(sample_pdf):
    seen = 0
    with pikepdf.open(sample_pdf) as pdf:
        for page in pdf.pages:
            for name, font in page.Resources.Font.items():
                seen += 1
                base = str(font.BaseFont)
                descriptor = font.get("/FontDescriptor")
                if descriptor is None and "/DescendantFonts" in font:
                    descriptor = font.DescendantFonts[0].FontDescriptor
                assert descriptor is not None, base
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), base
                assert "+" in base[:8], f"{base} not subset"
                assert "Helvetica" not in base
    assert seen > 0


def test_pdfx_keys_and_no_rgb(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        assert pdf.pdf_version == "1.3"
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFX"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1:2001"
        assert pdf.docinfo["/Trapped"] == pikepdf.Name("/False")
        assert "/ID" in pdf.trailer
        for page in pdf.pages:
            content = page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array) \
                else b"".join(c.read_bytes() for c in page.Contents)
            assert b" rg" not in content and b" RG" not in content
            for _, xobj in page.Resources.get("/XObject", {}).items():
                assert xobj.ColorSpace in ("/DeviceCMYK", "/DeviceGray")


def test_written_in_one_pass_with_clean_syntax_and_an_id(sample_pdf):
    """The PDF/X keys are written with the pages, not patched in afterwards: qpdf
    finds nothing to repair, and the ID is the file's digest, not a placeholder."""
    with pikepdf.open(sample_pdf) as pdf:
        assert pdf.check_pdf_syntax() == [] and pdf.get_warnings() == []
        first, second = (bytes(part) for part in pdf.trailer.ID)
        assert first == second and len(first) == 16 and first != bytes(16)
        assert str(pdf.docinfo["/Title"]).startswith("江川日报")       # UTF-16, read back
        assert "/Keywords" not in pdf.docinfo


def test_text_and_jump_lines_readable(sample_pdf):
    with pdfplumber.open(sample_pdf) as pdf:
        first = pdf.pages[0].extract_text()
        second = pdf.pages[1].extract_text()
    assert "江川日报" in first
    assert "江川跨江大桥主桥合龙" in first
    assert "（下转第二版）" in first
    assert "（上接第一版）" in second


def test_same_spec_gives_identical_bytes(sample_pdf, tmp_path, sample_spec):
    again = tmp_path / "again.pdf"
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(sample_spec),
                             "-o", str(again)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == sample_pdf.read_bytes()


def test_every_jump_has_its_counterpart_and_the_index_is_right(sample_pdf, sample_loaded):
    """Read back: 下转第X版 on page p ↔ 上接第p版 on page X; ■N版 where the article is."""
    import re

    from layout.units import chinese_numeral

    with pdfplumber.open(sample_pdf) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    numerals = {chinese_numeral(n): n for n in range(1, 40)}
    to_jumps = [(p, numerals[m]) for p, t in enumerate(texts, 1)
                for m in re.findall(r"（下转第(.+?)版）", t)]
    assert len(to_jumps) >= 3            # two continued stories, one over two jumps
    for page, target in to_jumps:
        assert f"（上接第{chinese_numeral(page)}版）" in texts[target - 1]
    heads = {a.id: (a.headline if isinstance(a.headline, str) else a.headline.text)
             for p in sample_loaded.spec.pages for a in p.articles}
    refs = {i.text: i.ref for p in sample_loaded.spec.pages if p.index for i in p.index.items}
    found = re.findall(r"(\S+)\s*■(\d+)版", texts[0])
    assert len(found) == len(refs)
    for text, page in found:
        ref = next(r for t, r in refs.items() if t.endswith(text) or text.endswith(t[-6:]))
        head = re.sub(r"\s", "", heads[ref])[:5]      # a head may be broken over lines
        assert head in re.sub(r"\s", "", texts[int(page) - 1]), (ref, page)


@pytest.mark.parametrize("marks, media_is_bleed, bars", [
    ("false", True, False),
    ("{color_bars: false}", False, False),
    ("true", False, True),
])
def test_marks_are_settings(tmp_path, marks, media_is_bleed, bars):
    from .conftest import MINIMAL_SPEC, write
    write(tmp_path / "copy" / "a.txt", "本报讯　测试。\n")
    spec = write(tmp_path / "s.yaml", MINIMAL_SPEC + f"geometry: {{marks: {marks}}}\n")
    out = tmp_path / "s.pdf"
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec), "-o",
                             str(out)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0]
        assert (list(page.MediaBox) == list(page.BleedBox)) == media_is_bleed
        content = page.Contents.read_bytes()
        # the colour bar's cyan patch: "1 0 0 0 k" before a filled rectangle
        assert (b"1 0 0 0 k" in content) == bars
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    assert ("s.yaml" in text) == (not media_is_bleed)      # the slug line


def test_what_is_byte_identical_and_what_only_decodes_the_same(sample_loaded, monkeypatch):
    """The promise in the README: everything but the compressed bytes is ours to fix.
    Compressed with zlib instead of ISA-L (as another ISA-L build or CPU family may
    compress), every object decodes to the same data; only the streams' compressed
    bytes, their /Length and the file ID differ."""
    import io
    import zlib

    import pikepdf

    from layout.app.render import typeset
    from layout.paint import fontembed, streams

    _, ours = typeset(sample_loaded)
    monkeypatch.setattr(streams, "deflate", lambda data: zlib.compress(data, 6))
    monkeypatch.setattr(fontembed, "deflate", lambda data: zlib.compress(data, 6))
    _, other = typeset(sample_loaded)
    assert other != ours

    def text(value):
        return value.unparse() if isinstance(value, pikepdf.Object) else repr(value)

    def decoded(pdf_bytes):
        with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
            out = []
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    entries = {k: text(v) for k, v in obj.items() if k != "/Length"}
                    if obj.get("/Filter") == pikepdf.Name.FlateDecode:
                        data = obj.read_bytes()
                    else:                   # a photo's JPEG: passed through as it is
                        data = obj.read_raw_bytes()
                    out.append((obj.objgen, entries, data))
                else:
                    out.append((obj.objgen, text(obj)))
            return out
    assert decoded(other) == decoded(ours)
