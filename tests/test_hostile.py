"""Hostile and broken input, round two: files made to break a confined render,
values that cannot lie on a page, and text that would drive a terminal."""

from __future__ import annotations

import math
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from .conftest import MINIMAL_SPEC, ROOT, limited_memory, write

PHOTO_SPEC = MINIMAL_SPEC + """\
        photos:
          - {file: photo.jpg, box: {col: 1, cols: 2, line: 1, lines: 10}}
"""


def cli(*args, timeout=60):
    """The command, as a hostile case: bounded in time and in memory."""
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          preexec_fn=limited_memory)


def one_line_error(result, *expected):
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


@pytest.mark.parametrize("postscript", [
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n{ } loop\n",
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n(/etc/passwd) (r) file\n",
])
def test_an_eps_named_jpg_never_reaches_ghostscript(spec_dir, postscript):
    """Photos are decoded only as JPEG, PNG or TIFF, by content: PostScript inside a
    .jpg is refused at its place, at once (no loop, no file read)."""
    (spec_dir / "copy" / "photo.jpg").write_bytes(postscript)
    spec = write(spec_dir / "spec.yaml", PHOTO_SPEC.replace("photo.jpg", "copy/photo.jpg"))
    started = time.perf_counter()
    result = cli("render", spec, "-o", spec_dir / "out.pdf", "--root", spec_dir)
    assert time.perf_counter() - started < 20
    one_line_error(result, "spec.yaml:", "photo.jpg")
    assert not (spec_dir / "out.pdf").exists()


def test_control_characters_from_copy_are_escaped_in_messages(spec_dir):
    """An ESC sequence or NUL in a story reaches the terminal as \\x1b, \\x00."""
    (spec_dir / "copy" / "a.txt").write_text("本报讯\x1b[2J\x1b]0;pwned\x07正文" * 300,
                                             encoding="utf-8")
    result = cli("render", spec_dir / "spec.yaml", "-o", spec_dir / "out.pdf")
    assert "\x1b" not in result.stderr + result.stdout and "\x07" not in result.stderr
    assert "\\x1b" in result.stderr or result.returncode == 0


NUMBERS = {
    "pitch": ("geometry: {pitch: 0}", "pitch must be at least"),
    "nan pitch": ("geometry: {pitch: .nan}", "not a length"),
    "infinite margin": ("geometry: {top: .inf}", "not a length"),
    "huge bleed": ("geometry: {bleed: 1e308}", "length"),
    "nan body size": ("geometry: {body_size: .nan}", "not a length"),
    "negative bleed": ("geometry: {bleed: -3}", "not a length"),
    "no columns": ("geometry: {columns: 0}", ">= 1"),
    "tint": ("colors: {heavy: K100000}", "each ink from 0 to 100"),
    "margins eat the page": ("geometry: {top: 300mm, bottom: 300mm}", "leave no body line"),
    "columns wider than the page": ("geometry: {columns: 40, gutter_chars: 20}",
                                    "do not fit a page"),
}


@pytest.mark.parametrize("case", sorted(NUMBERS))
def test_values_that_cannot_be_printed_are_refused_at_their_place(spec_dir, case):
    top, expected = NUMBERS[case]
    spec = write(spec_dir / "spec.yaml", MINIMAL_SPEC + top + "\n")
    one_line_error(cli("render", spec, "-o", spec_dir / "out.pdf"), "spec.yaml:", expected)
    assert not (spec_dir / "out.pdf").exists()


@pytest.mark.parametrize("box", ["{col: 1, cols: 2, line: 1000000000000000000, lines: 30}",
                                 "{col: 1, cols: 2, line: 1, lines: 1000000000}",
                                 "{col: -3, cols: 2, line: 1, lines: 30}"])
def test_grid_positions_beyond_any_page_are_refused_at_once(spec_dir, box):
    spec = write(spec_dir / "spec.yaml",
                 MINIMAL_SPEC.replace("{col: 1, cols: 2, line: 1, lines: 30}", box))
    started = time.perf_counter()
    one_line_error(cli("render", spec, "-o", spec_dir / "out.pdf"), "spec.yaml:")
    assert time.perf_counter() - started < 20


def test_a_spec_that_is_a_device_or_a_fifo_is_refused_unread(tmp_path):
    import os
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    for path in ("/dev/zero", fifo):
        started = time.perf_counter()
        one_line_error(cli("render", path, "-o", tmp_path / "out.pdf"), "not a regular file")
        assert time.perf_counter() - started < 20


def test_copy_and_photos_must_be_regular_files_within_their_limits(spec_dir):
    (spec_dir / "copy" / "a.txt").unlink()
    (spec_dir / "copy" / "a.txt").symlink_to("/dev/urandom")
    one_line_error(cli("render", spec_dir / "spec.yaml", "-o", spec_dir / "out.pdf"),
                   "spec.yaml:", "not a regular file")
    write(spec_dir / "copy" / "b.txt", "本报讯　正文。")
    with open(spec_dir / "copy" / "photo.jpg", "wb") as handle:   # sparse: 300 MB, no disk
        handle.truncate(300 * 2**20)
    spec = write(spec_dir / "spec.yaml", PHOTO_SPEC.replace("copy/a.txt", "copy/b.txt")
                 .replace("photo.jpg", "copy/photo.jpg"))
    one_line_error(cli("render", spec, "-o", spec_dir / "out.pdf"), "larger than 256 MiB")


def test_outputs_that_cannot_be_written_are_one_line_and_nothing_is_lost(spec_dir, tmp_path):
    spec = spec_dir / "spec.yaml"
    (tmp_path / "folder.pdf").mkdir()
    one_line_error(cli("render", spec, "-o", tmp_path / "folder.pdf"), "folder.pdf")
    before = spec.read_bytes()
    one_line_error(cli("render", spec, "-o", spec), "spec.yaml")      # the spec itself
    assert spec.read_bytes() == before
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    one_line_error(cli("init", tmp_path / "afile"), "is a file")


def test_two_specs_of_one_name_never_write_one_output(spec_dir, tmp_path):
    other = tmp_path / "b"
    (other / "copy").mkdir(parents=True)
    (other / "copy" / "a.txt").write_text("本报讯　另一份。", encoding="utf-8")
    (other / "spec.yaml").write_text((spec_dir / "spec.yaml").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    result = cli("render", spec_dir / "spec.yaml", other / "spec.yaml", "-o", tmp_path / "out")
    one_line_error(result, "would both write")
    assert not (tmp_path / "out").exists()


def test_broken_inputs_seen_to_traceback_are_one_line_or_rendered(spec_dir, tmp_path):
    """A one-line box with a one-line second part; an RGB photo tagged with a CMYK profile;
    a damaged plant profile; a head of 100,000 characters (358 s before)."""
    from PIL import Image

    from layout.pdfx import PROFILE_PATH
    spec = spec_dir / "spec.yaml"
    base = spec.read_text(encoding="utf-8")
    tiny = base.replace("box: {col: 1, cols: 2, line: 1, lines: 30}",
                        "box: {col: 1, cols: 2, line: 1, lines: 1}\n"
                        "        shape: [{col: 3, cols: 2, line: 1, lines: 1}]")
    result = cli("render", write(spec, tiny), "-o", tmp_path / "a.pdf")
    assert result.returncode == 1 and "[layout.overset]" in result.stderr
    assert "Traceback" not in result.stderr
    Image.new("RGB", (400, 300), (200, 30, 30)).save(spec_dir / "p.jpg",
                                                     icc_profile=PROFILE_PATH.read_bytes())
    photo = base + "        photos: [{file: p.jpg, box: {col: 1, cols: 2, line: 1, lines: 10}}]\n"
    result = cli("render", write(spec, photo), "-o", tmp_path / "b.pdf")
    assert result.returncode == 0, result.stderr
    (spec_dir / "bad.icc").write_bytes(PROFILE_PATH.read_bytes()[:500])
    one_line_error(cli("render", write(spec, photo + "prepress: {profile: bad.icc}\n"), "-o",
                       tmp_path / "c.pdf"), "spec.yaml:", "bad.icc")
    long_head = base.replace("headline: 测试标题", "headline: " + "本" * 100_000)
    started = time.perf_counter()
    one_line_error(cli("render", write(spec, long_head), "-o", tmp_path / "d.pdf"),
                   "spec.yaml:", "100,000 characters")
    assert time.perf_counter() - started < 20


def test_thousands_of_missing_characters_are_one_line(spec_dir, tmp_path):
    emoji = "".join(chr(0x1F600 + k % 80) for k in range(3000))
    (spec_dir / "copy" / "a.txt").write_text("本报讯　" + emoji, encoding="utf-8")
    result = cli("render", spec_dir / "spec.yaml", "-o", tmp_path / "e.pdf")
    missing = [line for line in result.stderr.splitlines() if "[font.missing]" in line]
    assert len(missing) == 1 and "3,000 in all" in missing[0] and "68 more" in missing[0]


def _jpeg(path, colour):
    from PIL import Image
    Image.new("RGB", (40, 30), colour).save(path, "JPEG")
    return path.read_bytes()


def test_under_root_the_render_reads_only_what_was_checked(spec_dir, tmp_path_factory):
    """A photo swapped for a link to a file outside the root after the spec was
    loaded: the render reads its confined copy, so the outside file never reaches it."""
    from layout.app.render import render
    from layout.spec.load import load_spec

    inside = _jpeg(spec_dir / "photo.jpg", "white")
    secret = tmp_path_factory.mktemp("outside") / "secret.jpg"
    _jpeg(secret, "red")
    spec = write(spec_dir / "spec.yaml", PHOTO_SPEC)
    loaded = load_spec(spec, spec_dir)
    (spec_dir / "photo.jpg").unlink()
    (spec_dir / "photo.jpg").symlink_to(secret)                  # the swap, after the check
    assert (loaded.base_dir / "photo.jpg").read_bytes() == inside
    assert spec_dir not in loaded.base_dir.parents               # a private copy
    render(spec, spec_dir / "out.pdf", root=spec_dir, loaded=loaded)
    import pikepdf
    with pikepdf.open(spec_dir / "out.pdf") as pdf:
        from pikepdf import PdfImage
        images = [PdfImage(obj).as_pil_image() for obj in pdf.objects
                  if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
    assert images
    for im in images:                                             # white paper, not red ink
        assert max(im.convert("CMYK").getpixel((5, 5))[:3]) < 30


def test_a_file_swapped_for_a_link_while_loading_is_refused_or_read_inside(
        spec_dir, tmp_path_factory):
    """Swapping the photo between a regular file and a link to an outside file
    while specs load, 40 times: every load either refuses in one line or holds the
    inside photo, never the outside one."""
    import threading

    from layout.errors import BroadsheetError
    from layout.spec.load import load_spec

    inside = _jpeg(spec_dir / "real.jpg", "white")
    secret = tmp_path_factory.mktemp("outside") / "secret.jpg"
    _jpeg(secret, "red")
    spec = write(spec_dir / "spec.yaml", PHOTO_SPEC)
    stop = threading.Event()

    def swap():
        link = spec_dir / "photo.jpg"
        while not stop.is_set():
            for target in (spec_dir / "real.jpg", secret):
                tmp = spec_dir / "photo.tmp"
                tmp.unlink(missing_ok=True)
                if target == secret:
                    tmp.symlink_to(target)
                else:
                    tmp.write_bytes(inside)
                tmp.replace(link)

    swapper = threading.Thread(target=swap)
    swapper.start()
    held = refused = 0
    try:
        for _ in range(40):
            try:
                loaded = load_spec(spec, spec_dir)
            except BroadsheetError as exc:
                assert "photo" in str(exc), str(exc)
                refused += 1
                continue
            copied = (loaded.base_dir / "photo.jpg").read_bytes()
            assert copied == inside, (len(copied), len(inside))
            held += 1
    finally:
        stop.set()
        swapper.join()
    assert held + refused == 40


# Every numeric value a spec holds, with V where a generated value goes.
NUMERIC_FIELDS = {
    "pitch": ("top", "geometry: {pitch: V}"),
    "body size": ("top", "geometry: {body_size: V}"),
    "top margin": ("top", "geometry: {top: V}"),
    "bottom margin": ("top", "geometry: {bottom: V}"),
    "bleed": ("top", "geometry: {bleed: V}"),
    "columns": ("top", "geometry: {columns: V}"),
    "column chars": ("top", "geometry: {column_chars: V}"),
    "gutter": ("top", "geometry: {gutter_chars: V}"),
    "body lines": ("top", "geometry: {lines: V}"),
    "ink limit": ("top", "prepress: {tac: V}"),
    "ad tolerance": ("top", "prepress: {ad_tolerance: V}"),
    "issue number": ("edition", "  number: V"),
    "version": ("edition", "  version: V"),
    "headline size": ("head", "headline: {text: 测试标题, size: V}"),
    "head columns": ("article", "        head_cols: V"),
    "box col": ("box", "{col: V, cols: 2, line: 1, lines: 30}"),
    "box cols": ("box", "{col: 1, cols: V, line: 1, lines: 30}"),
    "box line": ("box", "{col: 1, cols: 2, line: V, lines: 30}"),
    "box lines": ("box", "{col: 1, cols: 2, line: 1, lines: V}"),
    "photo focus": ("photo", "[V, 0.5]"),
    "ad line": ("ad", "{id: x, box: {col: 5, cols: 2, line: V, lines: 10}}"),
    "ad columns": ("ad", "{id: x, box: {col: 5, cols: V, line: 40, lines: 10}}"),
    "ad page": ("ad", "{id: x, page: V, box: {col: 5, cols: 2, line: 40, lines: 10}}"),
}


def _yaml_number(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return "-.inf" if value < 0 else ".inf"
    return repr(value)


def _spec_with(field: str, value: str) -> str:
    where, template = NUMERIC_FIELDS[field]
    text = template.replace("V", value)
    spec = MINIMAL_SPEC
    if where == "top":
        return spec + text + "\n"
    if where == "edition":
        return spec.replace("  date: 2026-11-25\n", "  date: 2026-11-25\n" + text + "\n")
    if where == "head":
        return spec.replace("headline: 测试标题", text)
    if where == "article":
        return spec.replace("        copy: copy/a.txt\n", "        copy: copy/a.txt\n" + text + "\n")
    if where == "box":
        return spec.replace("{col: 1, cols: 2, line: 1, lines: 30}", text)
    if where == "ad":
        return spec.replace("    articles:\n", f"    ads:\n      - {text}\n    articles:\n", 1)
    return spec + ("        photos:\n          - {file: photo.jpg, box: {col: 1, cols: 2, "
                   f"line: 1, lines: 10}}, focus: {text}}}\n")


NUMBERS_TRIED = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**20, max_value=10**20),
    st.sampled_from([0, -1, 1, 0.0, -0.0, 1e308, -1e308, 5e-324, 2**63, 1000, 1001]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(sorted(NUMERIC_FIELDS)),
       value=NUMBERS_TRIED)
def test_any_number_in_any_numeric_field_is_refused_at_its_place_or_printed_finite(
        tmp_path_factory, field, value):
    """NaN, infinities, huge, negative and zero values in every numeric field: a
    one-line error at the value's file:line, or a page whose PDF holds only
    finite numbers and lies on its page — never a traceback."""
    from layout.app.render import render
    from layout.errors import BroadsheetError
    from layout.spec.load import load_spec

    folder = tmp_path_factory.mktemp("numbers")
    write(folder / "copy" / "a.txt", "本报讯　这是一段测试用的新闻正文。" * 12 + "\n")
    _jpeg(folder / "photo.jpg", "gray")
    spec = write(folder / "spec.yaml", _spec_with(field, _yaml_number(value)))
    try:
        loaded = load_spec(spec)
    except BroadsheetError as exc:
        assert str(exc).startswith(str(spec) + ":"), str(exc)
        assert "\n" not in str(exc)
        event("refused at load")
        return
    try:
        render(spec, folder / "out.pdf", loaded=loaded)
    except BroadsheetError as exc:       # e.g. a grid with no room for the story
        assert "\n" not in str(exc), str(exc)
        assert not (folder / "out.pdf").exists()
        event("refused at render: " + str(exc)[-90:])
        return
    event("rendered")
    import pikepdf
    with pikepdf.open(folder / "out.pdf") as pdf:
        for page in pdf.pages:
            box = [float(v) for v in page.mediabox]
            assert all(abs(v) < 14400 for v in box) and box[2] > box[0] and box[3] > box[1]
            data = page.Contents.read_bytes() if "/Contents" in page else b""
            assert b"nan" not in data.lower() and b"inf" not in data.lower()


@pytest.mark.parametrize("where", ["report", "summary"])
@pytest.mark.parametrize("bad", ["a folder", "no such place"])
def test_an_unwritable_report_or_summary_is_one_line_and_the_earlier_pdf_stays(
        spec_dir, where, bad):
    """--report or --summary that cannot be written: exit 2, one line, and the PDF
    of the earlier run is the one still there (the new one was not put in its place)."""
    out = spec_dir / "out.pdf"
    assert cli("render", spec_dir / "spec.yaml", "-o", out).returncode == 0
    before = out.read_bytes()
    (spec_dir / "copy" / "a.txt").write_text("本报讯　改过的稿件。\n" * 4, encoding="utf-8")
    target = spec_dir / "folder.json" if bad == "a folder" else Path("/proc/none/r.json")
    if bad == "a folder":
        target.mkdir()
    result = cli("render", spec_dir / "spec.yaml", "-o", out, f"--{where}", target, "--force")
    one_line_error(result, "cannot write")
    assert out.read_bytes() == before
    assert not [p for p in spec_dir.iterdir() if p.name.endswith(".part")]


def test_a_link_swapped_for_a_file_mid_resolve_is_a_clean_refusal(spec_dir, monkeypatch):
    """Path.resolve() reads a link with readlink after lstat saw one; a file swapped in
    between makes readlink fail (EINVAL).  Naming inputs survives it; a confined read
    refuses in one line."""
    import errno
    import os

    from layout.errors import BroadsheetError
    from layout.files import resolved
    from layout.spec.confined import read_confined

    target = spec_dir / "copy" / "a.txt"
    link = spec_dir / "swapped.txt"
    link.symlink_to(target)

    def readlink(path, *args, **kwargs):
        raise OSError(errno.EINVAL, "Invalid argument", str(path))
    monkeypatch.setattr(os, "readlink", readlink)
    assert resolved(link) == link.absolute()
    with pytest.raises(BroadsheetError, match="changed while it was read"):
        read_confined(spec_dir, link, "copy", None)
