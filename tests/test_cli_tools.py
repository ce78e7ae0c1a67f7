"""The desk's everyday commands: batch render, preview, watch, schema, init, fonts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import jsonschema
import pytest
from PIL import Image

from layout.spec.yamlsource import load_yaml

from .conftest import MINIMAL_SPEC, ROOT, write


def cli(*args, cwd=ROOT, timeout=300):
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=timeout)


def test_batch_with_a_broken_spec_fails_alone(tmp_path):
    broken = write(tmp_path / "broken.yaml", MINIMAL_SPEC.replace("cols: 2", "cols: [2"))
    out = tmp_path / "out"
    summary = tmp_path / "summary.json"
    result = cli("render", "specs/*.yaml", broken, "-o", out, "--jobs", "2",
                 "--summary", summary)
    assert result.returncode == 2
    assert (out / "sample.pdf").stat().st_size > 100_000
    assert (out / "tabloid.pdf").stat().st_size > 10_000
    assert not (out / "broken.pdf").exists()
    errors = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert len([l for l in errors if "broken.yaml:" in l]) == 1
    rows = {os.path.basename(r["spec"]): r for r in json.loads(summary.read_text())}
    assert rows["sample.yaml"]["status"] == "ok" and rows["sample.yaml"]["pages"] == 3
    assert rows["broken.yaml"]["status"] == "error"
    # The night edition renders too, its plates in a folder; its placeholder ad is a
    # finding (an error finding, not an unusable spec).
    assert rows["night.yaml"]["status"] == "findings" and len(rows["night.yaml"]["plates"]) == 4
    assert [f["code"] for f in rows["night.yaml"]["findings"] if f["severity"] == "error"] \
        == ["ad.missing"]
    assert "sample.yaml" in result.stdout and "specs in" in result.stdout   # summary table


def test_up_to_date_outputs_are_skipped_unless_forced(spec_dir):
    out = spec_dir / "out"
    assert cli("render", spec_dir / "spec.yaml", "-o", out).returncode == 0
    first = (out / "spec.pdf").stat().st_mtime_ns
    again = cli("render", spec_dir / "spec.yaml", "-o", out)
    assert "up to date" in again.stdout
    assert (out / "spec.pdf").stat().st_mtime_ns == first
    time.sleep(0.01)
    (spec_dir / "copy" / "a.txt").write_text("本报讯　稿件改了。\n", encoding="utf-8")
    changed = cli("render", spec_dir / "spec.yaml", "-o", out)
    assert "up to date" not in changed.stdout
    assert (out / "spec.pdf").stat().st_mtime_ns > first
    forced = cli("render", spec_dir / "spec.yaml", "-o", out, "--force")
    assert "up to date" not in forced.stdout


def test_preview_writes_one_png_per_page_with_overlays(tmp_path):
    result = cli("preview", "specs/sample.yaml", "-o", tmp_path, "--grid", "--frames",
                 "--baselines", "--dpi", "30")
    assert result.returncode == 0, result.stderr
    pngs = sorted(tmp_path.glob("sample-p*.png"))
    assert [p.name for p in pngs] == ["sample-p1.png", "sample-p2.png", "sample-p3.png"]
    with Image.open(pngs[0]) as image:
        assert image.size[0] > 400
        # The grid overlay tints the columns blue: some pixel is bluish.
        colors = image.convert("RGB").getcolors(1 << 20)
        assert any(b > r + 20 and b > g for _, (r, g, b) in colors)


def test_preview_of_any_pdf_one_page(tmp_path, sample_pdf):
    result = cli("preview", sample_pdf, "-o", tmp_path, "--page", "2", "--dpi", "20")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.glob("*.png")] == [f"{sample_pdf.stem}-p2.png"]


def test_schema_validates_the_samples_and_rejects_unknown_keys():
    result = cli("schema")
    schema = json.loads(result.stdout)
    for name in ("sample.yaml", "tabloid.yaml"):
        data, _ = load_yaml(ROOT / "specs" / name)
        jsonschema.validate(data, schema)
    data, _ = load_yaml(ROOT / "specs" / "sample.yaml")
    data["pages"][0]["articles"][0]["hedline"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_init_makes_an_edition_that_renders(tmp_path):
    folder = tmp_path / "tonight"
    assert cli("init", folder).returncode == 0
    assert (folder / "spec.yaml").exists() and (folder / "copy").is_dir()
    result = cli("render", folder / "spec.yaml", "-o", folder / "out")
    assert result.returncode == 0, result.stderr
    assert (folder / "out" / "spec.pdf").exists()
    assert cli("init", folder).returncode == 2          # never over an existing edition


def test_fonts_lists_coverage_and_what_a_spec_lacks(tmp_path):
    result = cli("fonts", "--json")
    rows = {r["alias"]: r for r in json.loads(result.stdout)}
    assert set(rows) >= {"song", "song-bold", "song-black", "hei", "hei-bold", "kai"}
    assert rows["song"]["gb2312"] == 6763
    spec = write(tmp_path / "s.yaml", MINIMAL_SPEC.replace("copy: copy/a.txt",
                                                           "body: 记者王\U0002003E报道"))
    result = cli("fonts", "--spec", spec, "--json")
    assert all("\U0002003E" in r["missing"] for r in json.loads(result.stdout))


def test_watch_rerenders_when_the_copy_changes(spec_dir):
    out = spec_dir / "out"
    proc = subprocess.Popen([sys.executable, "-m", "layout.cli", "watch",
                             str(spec_dir / "spec.yaml"), "-o", str(out), "--no-preview",
                             "--interval", "0.1", "--max-renders", "2"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        target = out / "spec.pdf"
        deadline = time.time() + 60
        while not target.exists() and time.time() < deadline:
            time.sleep(0.1)
        first = target.read_bytes()
        time.sleep(0.05)
        (spec_dir / "copy" / "a.txt").write_text("本报讯　新的稿件内容。\n", encoding="utf-8")
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert target.read_bytes() != first


@pytest.mark.parametrize("command", ["render", "preview", "watch", "schema", "init", "fonts"])
def test_every_command_has_help_with_an_example(command):
    result = cli(command, "--help")
    assert result.returncode == 0 and "Example" in result.stdout


def test_watch_redraws_only_the_previews_of_pages_that_changed(sample_pdf, sample_layout,
                                                                tmp_path):
    import dataclasses
    from pathlib import Path

    from layout.place.result import ImageItem
    from layout.app.watch import _refresh_previews
    pdf = sample_pdf.read_bytes()
    previewed: dict = {}
    assert _refresh_previews(pdf, sample_layout, tmp_path, "s", "fonts", previewed) == [1, 2, 3]
    assert _refresh_previews(pdf, sample_layout, tmp_path, "s", "fonts", previewed) == []
    pages = list(sample_layout.pages)
    pages[1] = pages[1]._replace(items=pages[1].items[:-1])   # an edit on page 2
    edited = dataclasses.replace(sample_layout, pages=tuple(pages))
    assert _refresh_previews(pdf, edited, tmp_path, "s", "fonts", previewed) == [2]
    photo = next(Path(i.file) for i in pages[2].items if isinstance(i, ImageItem))
    stamp = photo.stat()
    try:
        os.utime(photo, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))
        assert _refresh_previews(pdf, edited, tmp_path, "s", "fonts", previewed) == [3]
    finally:
        os.utime(photo, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert _refresh_previews(pdf, edited, tmp_path, "s", "fonts", previewed) == [3]  # back
    (tmp_path / "s-p1.png").unlink()                         # a preview someone deleted
    assert _refresh_previews(pdf, edited, tmp_path, "s", "fonts", previewed) == [1]
    assert _refresh_previews(pdf, edited, tmp_path, "s", "other fonts", previewed) == [1, 2, 3]
    shorter = dataclasses.replace(edited, pages=tuple(pages[:2]))
    assert _refresh_previews(pdf, shorter, tmp_path, "s", "other fonts", previewed) == []
    assert not (tmp_path / "s-p3.png").exists()
