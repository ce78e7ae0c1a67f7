"""The desk's everyday commands: batch render, preview, watch, schema, init, fonts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

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


def test_up_to_date_is_keyed_on_what_the_output_was_made_from(spec_dir):
    """An output made from another spec, or from copy changed behind an old mtime,
    is rendered again: only the inputs it was made from vouch for it."""
    import os
    other = spec_dir / "other"
    write(other / "copy" / "a.txt", "本报讯　另一家的稿件，完全不同。" * 10 + "\n")
    write(other / "spec.yaml", MINIMAL_SPEC)
    out = spec_dir / "out.pdf"
    assert cli("render", other / "spec.yaml", "-o", out).returncode == 0
    made_by_other = out.read_bytes()
    for path in (spec_dir / "spec.yaml", spec_dir / "copy" / "a.txt"):
        os.utime(path, (1_000_000_000, 1_000_000_000))        # older than the output
    mine = cli("render", spec_dir / "spec.yaml", "-o", out)
    assert mine.returncode == 0 and "up to date" not in mine.stdout, mine.stdout
    assert out.read_bytes() != made_by_other
    # The copy changes but keeps its old mtime (restored from a backup, an rsync -t …).
    copy = spec_dir / "copy" / "a.txt"
    copy.write_text("本报讯　改过的稿件。\n" * 5, encoding="utf-8")
    os.utime(copy, (1_000_000_000, 1_000_000_000))
    before = out.read_bytes()
    again = cli("render", spec_dir / "spec.yaml", "-o", out)
    assert "up to date" not in again.stdout and out.read_bytes() != before
    assert "up to date" in cli("render", spec_dir / "spec.yaml", "-o", out).stdout


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
    for name in ("sample.yaml", "tabloid.yaml", "night.yaml", "weekend.yaml"):
        data, _ = load_yaml(ROOT / "specs" / name)
        jsonschema.validate(data, schema)
    data, _ = load_yaml(ROOT / "specs" / "sample.yaml")
    data["pages"][0]["articles"][0]["hedline"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data, _ = load_yaml(ROOT / "specs" / "sample.yaml")
    del data["paper"]              # only a zoned edition (base:) may leave it to its base
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


def test_watch_memory_stays_flat_over_many_saves(tmp_path):
    """160 saves of a story in the sample edition: the watcher's resident memory
    (from /proc, not from its own accounting) at its highest in renders 121–159 is
    less than 8 MiB above its highest in renders 11–50 (it grew by about 0.35 MiB a
    save).  Peaks, not single readings: the allocator gives memory back and takes it
    again, and one reading can sit 10 MiB either way."""
    import shutil
    for folder in ("specs", "samples"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    copy = tmp_path / "samples" / "copy" / "bridge.txt"
    text = copy.read_text(encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "layout.cli", "watch",
                             str(tmp_path / "specs" / "sample.yaml"), "-o", str(tmp_path / "out"),
                             "--no-preview", "--interval", "0.005", "--max-renders", "160"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def resident_mib() -> float:
        status = Path(f"/proc/{proc.pid}/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024

    sizes = {}
    try:
        for render in range(1, 161):
            line = proc.stdout.readline()
            assert "→" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
            if render < 160:        # after its 160th render the watcher ends at once
                sizes[render] = resident_mib()
                copy.write_text(text.replace("。", f"。第{render}次改稿", 1), encoding="utf-8")
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0
    early = max(sizes[r] for r in range(11, 51))
    late = max(sizes[r] for r in range(121, 160))
    assert late - early < 8, (early, late)


@pytest.mark.parametrize("command", ["render", "preview", "watch", "schema", "init", "fonts"])
def test_every_command_has_help_with_an_example(command):
    result = cli(command, "--help")
    assert result.returncode == 0 and "Example" in result.stdout


def test_watch_redraws_only_the_previews_of_pages_that_changed(sample_pdf, sample_layout,
                                                                tmp_path):
    import dataclasses
    from pathlib import Path

    from layout.app.watch import _refresh_previews
    from layout.place.result import ImageItem
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


def test_a_skipped_render_reports_what_the_render_that_made_it_found(tmp_path):
    """An overset story is not exit 0 on the second run: the skip reports the first
    run's findings, with its exit code; a file changed since is rendered again."""
    write(tmp_path / "copy" / "a.txt", "本报讯　这是一段很长的测试正文。" * 120)
    spec = write(tmp_path / "spec.yaml", MINIMAL_SPEC)
    out = tmp_path / "out.pdf"
    first = cli("render", spec, "-o", out)
    assert first.returncode == 1 and "[layout.overset]" in first.stderr
    again = cli("render", spec, "-o", out)
    assert again.returncode == 1 and "up to date" in again.stdout
    assert "[layout.overset]" in again.stderr
    out.write_bytes(out.read_bytes() + b"\n")          # not the file that render made
    third = cli("render", spec, "-o", out)
    assert third.returncode == 1 and "up to date" not in third.stdout


def test_overset_marks_are_proof_marks(tmp_path):
    """The plant's file has no red overset mark; a proof has it, and check of the
    proof says the page is overset; with overset: refuse no plant file is written."""
    import json

    write(tmp_path / "copy" / "a.txt", "本报讯　这是一段很长的测试正文。" * 120)
    spec = write(tmp_path / "spec.yaml", MINIMAL_SPEC + "geometry: {marks: false}\n")
    plant, proof = tmp_path / "plant.pdf", tmp_path / "proof.pdf"
    assert cli("render", spec, "-o", plant).returncode == 1
    assert cli("render", spec, "-o", proof, "--proof").returncode == 1

    def red_pixels(path) -> int:
        """Pure red on the page as PDFium draws it (no marks, no masthead here)."""
        import pypdfium2 as pdfium
        document = pdfium.PdfDocument(str(path))
        try:
            image = document[0].render(scale=3).to_pil().convert("RGB")
        finally:
            document.close()
        data = image.tobytes()
        return sum(1 for k in range(0, len(data), 3)
                   if data[k] > 200 and data[k + 1] < 80 and data[k + 2] < 80)
    assert red_pixels(plant) == 0 and red_pixels(proof) > 60
    plant_check = json.loads(cli("check", plant, "--json").stdout)["findings"]
    proof_check = json.loads(cli("check", proof, "--json").stdout)["findings"]
    assert "layout.overset" not in {f["code"] for f in plant_check}
    assert "layout.overset" in {f["code"] for f in proof_check}
    refused = write(tmp_path / "refuse.yaml", MINIMAL_SPEC + "prepress: {overset: refuse}\n")
    result = cli("render", refused, "-o", tmp_path / "refused.pdf")
    assert result.returncode == 2 and "not written for the plant" in result.stderr
    assert not (tmp_path / "refused.pdf").exists()


def test_a_killed_worker_fails_only_its_own_spec(tmp_path):
    """--jobs 2: a worker killed under one spec (as the out-of-memory killer would)
    takes its pool down; the other specs are rendered again and succeed, and the
    spec that kills its worker each time is the only one that fails."""
    specs = []
    for name in ("one", "two", "three", "killer"):
        write(tmp_path / name / "copy" / "a.txt", "本报讯　这是一段测试用的新闻正文。")
        specs.append(write(tmp_path / name / f"{name}.yaml", MINIMAL_SPEC))
    # The killer's copy file is a FIFO that a helper fills with a kill -9 of its reader.
    hook = tmp_path / "sitecustomize.py"
    hook.write_text(
        "import os, signal, sys\n"
        "from layout.app import batch\n"
        "_real = batch._run_job\n"
        "def _run_job(job, queue):\n"
        "    if 'killer' in str(job.spec):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return _real(job, queue)\n"
        "batch._run_job = _run_job\n", encoding="utf-8")
    import os
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", *map(str, specs),
                             "-o", str(tmp_path / "out"), "--jobs", "2"], capture_output=True,
                            text=True, cwd=ROOT, env=env, timeout=180)
    assert result.returncode == 2
    for name in ("one", "two", "three"):
        assert (tmp_path / "out" / f"{name}.pdf").stat().st_size > 0, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "killer" in errors[0] and "died twice" in errors[0]


@pytest.mark.parametrize("cache", ["file", "/proc/self/broadsheet-cache"])
def test_an_unusable_cache_folder_renders_without_it_with_one_warning(tmp_path, cache):
    """A cache folder that cannot be written (a file in the way; a read-only
    filesystem) costs speed, not the edition: the same PDF, one warning."""
    spec = ROOT / "specs" / "tabloid.yaml"
    if cache == "file":
        cache = tmp_path / "cache"
        cache.write_text("not a folder")
    env = {**os.environ, "BROADSHEET_CACHE": str(cache)}
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", spec,
                             "-o", tmp_path / "a.pdf"], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: cache folder"), result.stderr
    assert "Traceback" not in result.stderr
    usual = subprocess.run([sys.executable, "-m", "layout.cli", "render", spec,
                            "-o", tmp_path / "b.pdf"], capture_output=True, text=True,
                           cwd=ROOT, timeout=120)
    assert usual.returncode == 0 and "cache" not in usual.stderr
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_watch_sees_a_save_made_while_it_renders(tmp_path):
    """A save that lands while a render runs (here: while its line is printed) is
    rendered next; the watcher once took its file times after rendering, missed
    the save and waited for ever."""
    import threading

    from layout.app.watch import watch_spec
    for folder in ("specs", "samples"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    copy = tmp_path / "samples" / "copy" / "bridge.txt"
    said = []

    def say(line):
        said.append(line)
        if len(said) == 1:                    # the editor saves as the first render ends
            copy.write_text(copy.read_text(encoding="utf-8") + "\n补记一段。", encoding="utf-8")

    watcher = threading.Thread(target=watch_spec, daemon=True, args=(
        tmp_path / "specs" / "sample.yaml", tmp_path / "out", False, 0.005, 2, say))
    watcher.start()
    watcher.join(timeout=60)
    assert not watcher.is_alive(), f"the save was not seen: {said}"
    assert len(said) == 2 and all("→" in line for line in said)


def test_an_up_to_date_render_still_writes_the_report_asked_for(tmp_path):
    """The PDF is current, the report asked for is missing: it is written, not
    skipped with the render."""
    out, report = tmp_path / "s.pdf", tmp_path / "s.json"
    assert cli("render", "specs/tabloid.yaml", "-o", out).returncode == 0
    again = cli("render", "specs/tabloid.yaml", "-o", out, "--report", report)
    assert again.returncode == 0 and report.is_file()
    assert json.loads(report.read_text(encoding="utf-8"))["stories"]
    third = cli("render", "specs/tabloid.yaml", "-o", out, "--report", report)
    assert "up to date" in third.stdout + third.stderr       # and then it is skipped


def test_every_key_of_the_schema_has_hover_help_in_english_and_chinese():
    """Every property of every definition: a description with both languages, as an
    editor (yamlls, VS Code) shows it while typing."""
    schema = json.loads(cli("schema").stdout)
    keys = missing = 0
    for name, definition in schema["$defs"].items():
        for key, prop in definition.get("properties", {}).items():
            keys += 1
            text = prop.get("description", "")
            english, _, chinese = text.partition("\n")
            if not (re.search("[A-Za-z]{3}", english) and re.search("[\u4e00-\u9fff]", chinese)):
                missing += 1
                print("no help in both languages:", name, key)
    assert keys > 180 and missing == 0
