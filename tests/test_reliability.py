"""Hostile and broken input: exit 2 within seconds, one line, nothing written."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from .conftest import MINIMAL_SPEC, ROOT, limited_memory, write


def cli(*args, timeout=60):
    """The command, as a hostile case: bounded in time and in memory."""
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          preexec_fn=limited_memory)


def png_header_only(path, width, height):
    """A PNG that declares width × height pixels and holds none (a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                     chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


PHOTO_SPEC = MINIMAL_SPEC + """\
        photos:
          - {file: photo.img, box: {col: 1, cols: 2, line: 1, lines: 10}}
"""


def case_syntax(d):
    write(d / "spec.yaml", MINIMAL_SPEC.replace("headline: 测试标题", "headline: [测试标题"))


def case_alias_bomb(d):
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for k in range(1, 10):
        prev, name = "abcdefghij"[k - 1], "abcdefghij"[k]
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    write(d / "spec.yaml", text)


def case_empty(d):
    write(d / "spec.yaml", "")


def case_binary(d):
    (d / "spec.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64))


def case_list(d):
    write(d / "spec.yaml", "- paper\n- pages\n")


def case_unknown_key(d):
    write(d / "spec.yaml", MINIMAL_SPEC.replace("section: 要闻", "section: 要闻\n    colour: red"))


def case_wrong_type(d):
    write(d / "spec.yaml", MINIMAL_SPEC.replace("line: 1,", "line: first,"))


def case_gb18030_copy(d):
    (d / "copy" / "a.txt").write_bytes("本报讯　这是用GB18030保存的稿件。".encode("gb18030"))


def case_missing_image(d):
    write(d / "spec.yaml", PHOTO_SPEC)


def case_truncated_jpeg(d):
    from PIL import Image
    Image.new("RGB", (600, 400), (200, 30, 30)).save(d / "full.jpg", quality=90)
    data = (d / "full.jpg").read_bytes()
    (d / "photo.img").write_bytes(data[: len(data) // 3])
    write(d / "spec.yaml", PHOTO_SPEC)


def case_huge_image(d):
    png_header_only(d / "photo.img", 40000, 40000)
    write(d / "spec.yaml", PHOTO_SPEC)


def case_corrupt_font(d):
    (d / "bad.ttf").write_bytes(b"\x00\x01\x00\x00" + os.urandom(2000))
    write(d / "spec.yaml", MINIMAL_SPEC + "fonts: {bad: bad.ttf}\nstyle: {body_font: bad}\n")


def case_escape_root(d):
    outside = d.parent / "outside.txt"
    outside.write_text("本报讯　不该读到这里。", encoding="utf-8")
    write(d / "spec.yaml", MINIMAL_SPEC.replace("copy/a.txt", "../outside.txt"))


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_exits_2_with_one_line_and_writes_nothing(name, spec_dir):
    CASES[name](spec_dir)
    out = spec_dir / "out"
    extra = ["--root", spec_dir] if name == "escape_root" else []
    start = time.time()
    result = cli("render", spec_dir / "spec.yaml", "-o", out, *extra)
    assert time.time() - start < 30
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and ("spec.yaml" in lines[0] or "photo" in lines[0])
    assert not out.exists() or not any(out.iterdir())


def test_gb18030_copy_is_accepted_when_asked_for_with_a_warning(spec_dir):
    case_gb18030_copy(spec_dir)
    spec = spec_dir / "spec.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "style: {copy_encoding: auto}\n",
                    encoding="utf-8")
    result = cli("render", spec, "-o", spec_dir / "out")
    assert result.returncode == 0, result.stderr
    assert "GB18030" in result.stderr


def test_debug_shows_the_traceback(spec_dir):
    case_list(spec_dir)
    result = cli("--debug", "render", spec_dir / "spec.yaml", "-o", spec_dir / "out")
    assert result.returncode != 0 and "Traceback" in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_render_leaves_the_previous_output_intact(tmp_path, sig, sample_spec):
    target = tmp_path / "edition.pdf"
    assert cli("render", sample_spec, "-o", target).returncode == 0
    before = target.read_bytes()

    def start(output: Path, cache: str) -> subprocess.Popen:
        # Each from empty caches (about a second here), so the kill lands mid-render.
        return subprocess.Popen([sys.executable, "-m", "layout.cli", "render", str(sample_spec),
                                 "-o", str(output), "--force"], cwd=ROOT,
                                env={**os.environ, "BROADSHEET_CACHE": str(tmp_path / cache)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    began = time.perf_counter()
    assert start(tmp_path / "timing.pdf", "timing").wait(timeout=120) == 0
    whole = time.perf_counter() - began
    killed = {-signal.SIGKILL} if sig == signal.SIGKILL else {-signal.SIGTERM, 128 + signal.SIGTERM}
    for k, fraction in enumerate((0.2, 0.45, 0.7)):   # margin for a busy machine
        proc = start(target, f"cache-{k}")
        time.sleep(whole * fraction)
        proc.send_signal(sig)
        proc.wait(timeout=60)
        assert proc.returncode in killed, (fraction, proc.returncode)   # the kill landed first
        data = target.read_bytes()
        assert data == before                     # same spec, same bytes: never half a file
        with pikepdf.open(target) as pdf:
            assert len(pdf.pages) == 3
        if sig == signal.SIGTERM:
            assert not list(tmp_path.glob(".edition.pdf.*.part"))


# Property: any spec the generator makes either renders or gives a clean error;
# when it renders, every character of every story is on a page or counted as overset.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF),
               max_size=400)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(copy=st.lists(TEXT, min_size=1, max_size=3),
       col=st.integers(-1, 9), cols=st.integers(0, 9), line=st.integers(0, 120),
       lines=st.integers(0, 120), head=TEXT, big_paragraph=st.booleans())
def test_random_specs_render_or_fail_cleanly(tmp_path_factory, copy, col, cols, line, lines,
                                             head, big_paragraph):
    import yaml

    from layout.errors import BroadsheetError
    from layout.place import layout_edition
    from layout.app.render import paint_to_bytes
    from layout.spec import load_spec

    d = tmp_path_factory.mktemp("random")
    if col % 3:                    # mostly a box on the grid, sometimes any numbers at all
        col = max(1, min(col, 8))
        cols = max(1, min(cols, 9 - col))
        line = max(1, min(line, 100))
        lines = max(1, min(lines, 108 - line + 1))
    if big_paragraph:
        copy = copy + ["国" * 5000]
    articles = [{"id": f"s{k}", "headline": head or "标题", "body": "\n".join([c]),
                 "box": {"col": col, "cols": cols, "line": line, "lines": lines}}
                for k, c in enumerate(copy)]
    spec = {"paper": {"name": "测试"}, "edition": {"date": "2026-11-25"},
            "pages": [{"articles": articles}]}
    path = d / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    try:
        loaded = load_spec(path)
        layout = layout_edition(loaded)
        paint_to_bytes(loaded, layout)
    except BroadsheetError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    import re

    from layout.place.result import TextLine
    for story in layout.stories:
        assert story.chars_set + story.overset_chars == story.chars
        if story.overset_lines:
            continue
        source = "".join(l.strip()[3:] if l.strip().startswith("## ")
                         else l.strip()[2:] if l.strip().startswith("> ") else l.strip()
                         for l in loaded.copy[story.id].splitlines())
        placed = "".join(item.line.text for page in layout.pages for item in page.items
                         if isinstance(item, TextLine) and item.story == story.id
                         and item.role in ("body", "subhead"))
        assert re.sub(r"\s", "", placed) == re.sub(r"\s", "", source)


def test_pixel_limit_is_a_setting(spec_dir):
    from PIL import Image
    Image.new("RGB", (400, 300), (10, 120, 200)).save(spec_dir / "photo.img", "JPEG")
    write(spec_dir / "spec.yaml", PHOTO_SPEC)
    ok = cli("render", spec_dir / "spec.yaml", "-o", spec_dir / "out")
    assert ok.returncode == 0, ok.stderr
    refused = cli("render", spec_dir / "spec.yaml", "-o", spec_dir / "out2",
                  "--max-image-pixels", "100000")
    assert refused.returncode == 2 and "too large" in refused.stderr


def test_cmyk_jpeg_with_adobe_inversion_keeps_its_inks(spec_dir):
    """A CMYK JPEG (Adobe-inverted, as Photoshop writes them) keeps its ink values."""
    import io

    from PIL import Image
    Image.new("CMYK", (600, 400), (0, 255, 255, 0)).save(spec_dir / "photo.img", "JPEG",
                                                       quality=95)
    write(spec_dir / "spec.yaml", PHOTO_SPEC)
    out = spec_dir / "out" / "e.pdf"
    assert cli("render", spec_dir / "spec.yaml", "-o", out).returncode == 0
    with pikepdf.open(out) as pdf:
        xobj = next(iter(pdf.pages[0].Resources.XObject.values()))
        assert xobj.ColorSpace == "/DeviceCMYK"
        data = xobj.read_raw_bytes()
        decode = [float(v) for v in xobj.get("/Decode", [0, 1] * 4)]
    image = Image.open(io.BytesIO(data))
    c, m, y, k = image.getpixel((300, 200))
    adobe = "adobe" in image.info
    if adobe != (decode[0] > decode[1]):      # what a RIP sees after /Decode
        c, m, y, k = 255 - c, 255 - m, 255 - y, 255 - k
    assert c < 20 and m > 230 and y > 230 and k < 20      # red stays red: M100 Y100


def test_half_written_font_cache_is_rebuilt(tmp_path):
    from layout.fonts.registry import FontBook
    from .test_fonts import RARE, make_cff_font
    make_cff_font(tmp_path / "square.otf", RARE)
    cache = tmp_path / "cache"
    env_before = os.environ.get("BROADSHEET_CACHE")
    os.environ["BROADSHEET_CACHE"] = str(cache)
    try:
        FontBook({"sq": tmp_path / "square.otf"}).face("sq")
        cached = next((cache / "fonts").glob("*.ttf"))
        cached.write_bytes(cached.read_bytes()[:100])          # a killed run's leftovers
        face = FontBook({"sq": tmp_path / "square.otf"}).face("sq")
        assert face.covers(RARE)
        assert cached.stat().st_size > 100
    finally:
        if env_before is None:
            del os.environ["BROADSHEET_CACHE"]
        else:
            os.environ["BROADSHEET_CACHE"] = env_before


def test_a_stopped_batch_resumes_with_only_the_missing_outputs(tmp_path):
    out = tmp_path / "out"
    first = cli("render", "specs/tabloid.yaml", "-o", out)
    assert first.returncode == 0
    again = cli("render", "specs/tabloid.yaml", "specs/sample.yaml", "-o", out, "--jobs", "1")
    assert again.returncode == 0
    assert "skipped" in again.stdout and (out / "sample.pdf").exists()
