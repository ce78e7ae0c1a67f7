"""Whole-process render benchmark: 8- and 32-page broadsheet editions.

    python benchmarks/render_bench.py            # generate, then time (median of 5)
    python benchmarks/render_bench.py --runs 3 --skip-32

Generates benchmarks/out/edition-8p.yaml (8 pages, 8 columns, about 7,000
characters of body text a page in 32 stories, at least 3,000 distinct
characters, 8 photos, headline decks, 4 jumps) and edition-32p.yaml, then
times `broadsheet render` as a whole process:

- cold:   a new process with empty caches (font metrics, converted photos,
          composed paragraphs);
- cached: a new process with the disk caches filled (every paragraph
          unchanged since the last render); also with one story edited since
          (a desk's next render), and with the compose store emptied (every
          paragraph composed afresh: a first render of new copy);
- warm:   a long-lived process (as `watch` runs) re-rendering after one story
          changed, fonts and metrics kept in memory;
- jobs:   4 different editions with --jobs 1 and --jobs 2, caches filled
          (throughput ratio); 8-page editions, and 32-page ones unless
          --skip-32; and the 8-page ones again on a `broadsheet serve`.

For each: median wall time, CPU time, peak memory (RSS) and PDF size.  A first
render of the 8-page edition is also timed with its photos at a camera's
6000 x 4000 pixels (made from the samples into benchmarks/out/camera/).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
PHOTOS = sorted((ROOT / "samples" / "photos").glob("*.jpg"))


def hanzi_pool() -> list[str]:
    """The 3,755 Hanzi of GB 2312 level 1 (rows 16–55), the common characters that
    make up 99.7% of running newspaper text.  Level 2 (rare characters) would make
    every page carry 6,000+ glyphs a face, which no real edition does."""
    sys.path.insert(0, str(ROOT))
    from layout.fonts.coverage import gb2312_hanzi
    return sorted(gb2312_hanzi(1), key=lambda ch: ch.encode("gb2312"))   # in GB order


def sample_sentences() -> list[str]:
    return [line.strip() for path in sorted((ROOT / "samples" / "copy").glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith(("## ", "> ", "|")) and "{page:" not in line]


def head(rnd: random.Random, sentences: list[str], n: int) -> str:
    """A headline-like phrase: n characters of a real sentence, without punctuation."""
    while True:
        text = "".join(ch for ch in rnd.choice(sentences) if "\u4e00" <= ch <= "\u9fff")
        if len(text) >= n:
            start = rnd.randrange(len(text) - n + 1)
            return text[start:start + n]


def copy_text(rnd: random.Random, pool: list[str], n_chars: int) -> str:
    """Paragraphs of pseudo-news: real sentences of the sample mixed with random Hanzi."""
    sample = sample_sentences()
    out, total = [], 0
    while total < n_chars:
        if rnd.random() < 0.5:
            para = rnd.choice(sample)
        else:
            words = []
            for _ in range(rnd.randrange(4, 12)):
                words.append("".join(rnd.choice(pool) for _ in range(rnd.randrange(2, 9))))
                words.append(rnd.choice("，，，、。；"))
            para = "".join(words[:-1]) + "。"
        if rnd.random() < 0.08:
            out.append("## " + head(rnd, sample, rnd.randrange(5, 10)))
        out.append(para)
        total += len(para)
    return "\n".join(out) + "\n"


def camera_photos() -> list[Path]:
    """The sample photos at a camera's 6000 x 4000 pixels (24 megapixels, as a
    desk receives them), made once into benchmarks/out/camera/.

    Made in a child process: a child's peak memory counts the memory of this
    process at the fork, so holding the big pictures here would inflate every
    figure measured after."""
    folder = OUT / "camera"
    targets = [folder / photo.name for photo in PHOTOS[:8]]
    if not all(t.is_file() for t in targets):
        folder.mkdir(parents=True, exist_ok=True)
        code = ("import sys\nfrom PIL import Image\n"
                "for src, dst in zip(sys.argv[1::2], sys.argv[2::2]):\n"
                "    with Image.open(src) as im:\n"
                "        im.convert('RGB').resize((6000, 4000), Image.Resampling.BICUBIC)"
                ".save(dst, quality=92)\n")
        pairs = [str(p) for photo, t in zip(PHOTOS, targets) for p in (photo, t)]
        subprocess.run([sys.executable, "-c", code, *pairs], check=True)
    return targets


def generate(pages: int, seed: int = 1, name: str | None = None,
             photos: list[Path] | None = None) -> Path:
    photos = photos or PHOTOS
    rnd = random.Random(seed)
    pool = hanzi_pool()
    sentences = sample_sentences()
    name = name or f"edition-{pages}p"
    folder = OUT / name
    copy_dir = folder / "copy"
    copy_dir.mkdir(parents=True, exist_ok=True)
    lines = ["paper: {name: 基准日报, cn: CN 00-0000, post_code: 00-00}",
             "edition: {date: 2026-11-25, number: 1}", "pages:"]
    jumps_left = max(4, pages // 2)
    for p in range(1, pages + 1):
        lines.append(f"  - section: 第{p}版")
        lines.append("    articles:")
        boxes = [(1, 4, 1, 54), (5, 4, 1, 54), (1, 4, 56, 53), (5, 4, 56, 53)]
        for k, (col, cols, line, depth) in enumerate(boxes):
            sid = f"p{p}s{k}"
            continuing = k == 0 and jumps_left > 0 and p < pages
            n = 1850 if k else (900 if continuing else 600)
            (copy_dir / f"{sid}.txt").write_text(copy_text(rnd, pool, n), encoding="utf-8")
            lines += [f"      - id: {sid}",
                      f"        kicker: {head(rnd, sentences, 10)}",
                      f"        headline: {head(rnd, sentences, 9)}",
                      f"        subtitle: {head(rnd, sentences, 12)}",
                      "        byline: □本报记者　王明", "        dateline: 本报讯",
                      f"        copy: {name}/copy/{sid}.txt"]
            if k == 0:
                # The first story of each page has a photo; its body is a box short,
                # so it jumps to a small box at the foot of a later page.
                photo = photos[(p - 1) % len(photos)]
                lines += [f"        box: {{col: {col}, cols: {cols}, line: {line}, "
                          f"lines: {depth - 12}}}",
                          "        photos:",
                          f"          - file: {os.path.relpath(photo, OUT)}",
                          "            box: {col: 1, cols: 3, line: 1, lines: 20}",
                          "            caption: ▲基准测试用图片。"]
                if jumps_left > 0 and p < pages:
                    target = p + 1
                    lines += ["        continues:",
                              f"          - {{page: {target}, col: 1, cols: 4, line: 109, "
                              f"lines: 0}}"]
                    jumps_left -= 1
            else:
                lines.append(f"        box: {{col: {col}, cols: {cols}, line: {line}, "
                             f"lines: {depth}}}")
    spec = "\n".join(lines) + "\n"
    # Continuation boxes: the foot of the next page's first column block.
    spec = spec.replace("line: 109, lines: 0}", "line: 43, lines: 12}")
    path = OUT / f"{name}.yaml"
    path.write_text(spec, encoding="utf-8")
    return path


def run_measured(args: list[str], env: dict) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"render failed: {proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def pdf_contents(path: Path) -> tuple[float, int]:
    """(MiB of photo streams, glyphs embedded over all fonts) of a rendered PDF."""
    import pikepdf
    photos, glyphs = 0, 0
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                photos += len(obj.read_raw_bytes())
            elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType2":
                glyphs += _num_glyphs(obj.FontDescriptor.FontFile2.read_bytes())
    return photos / 2 ** 20, glyphs


def _num_glyphs(program: bytes) -> int:
    import io

    from fontTools.ttLib import TTFont
    return TTFont(io.BytesIO(program), lazy=True)["maxp"].numGlyphs


def render_cmd(spec: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "layout.cli", "-q", "render", str(spec), "-o", str(out),
            "--force", *extra]


def median_of(runs: int, fn) -> tuple[float, float, float]:
    results = [fn() for _ in range(runs)]
    return tuple(statistics.median(r[i] for r in results) for i in range(3))


def warm(spec: Path, runs: int) -> float:
    """In one process: render, change one story, re-render (as watch does)."""
    code = f"""
import statistics, sys, time
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from layout.app.render import Warm, typeset
from layout.spec import load_spec
spec = Path({str(spec)!r})
loaded = load_spec(spec)
warm = Warm.for_spec(loaded)
typeset(loaded, warm)
story = next(iter(loaded.copy))
path = spec.parent / loaded.spec.pages[0].articles[0].copy
original = path.read_text(encoding="utf-8")
times = []
try:
    for k in range({runs}):
        path.write_text(original.replace("。", "，", k + 1), encoding="utf-8")
        start = time.perf_counter()
        loaded = load_spec(spec)
        pdf = typeset(loaded, warm)[1]
        Path({str(OUT / 'warm.pdf')!r}).write_bytes(pdf)
        times.append(time.perf_counter() - start)
finally:
    path.write_text(original, encoding="utf-8")
print(statistics.median(times))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return float(result.stdout.strip().splitlines()[-1])


def jobs_throughput(pages: int, runs: int, env: dict, served: bool = False) -> None:
    """`--jobs 2` against `--jobs 1` on four different editions (different copy),
    caches filled by a first run.  `served`: rendered by a `broadsheet serve` with
    two workers (`render --server`), whose start-up is paid before the timing."""
    batch = OUT / f"batch-{pages}p"
    batch.mkdir(exist_ok=True)
    name = "batch" if pages == 8 else f"batch{pages}"
    editions = [str(generate(pages, seed=(10 if pages == 8 else 20) + k, name=f"{name}-{k}"))
                for k in range(4)]
    cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    batch_env = dict(env, BROADSHEET_CACHE=str(cache))
    server = None
    extra: list[str] = []
    if served:
        socket_path = cache / "bench.sock"
        server = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", "--socket",
                                   str(socket_path), "--jobs", "2"], env=batch_env,
                                  stdout=subprocess.PIPE, text=True)
        server.stdout.readline()                    # ready: its workers are started
        extra = ["--server", str(socket_path)]

    def batch_run(jobs: int) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "layout.cli", "-q", "render", *editions, "-o",
                        str(batch), "--force", "--jobs", str(jobs), *extra], env=batch_env,
                       check=False)
        return time.perf_counter() - start

    try:
        batch_run(1)
        # Interleaved, so that a machine getting faster or slower during the runs
        # (shared hosts do) moves both sides alike; twice the runs, since each is short.
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(2 * runs):
            for jobs in (1, 2):
                times[jobs].append(batch_run(jobs))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    median = {jobs: statistics.median(t) for jobs, t in times.items()}
    shutil.rmtree(cache, ignore_errors=True)
    how = " on `broadsheet serve` (2 workers)" if served else ""
    print(f"4 editions of {pages} pages{how}: --jobs 1 {median[1]:.2f} s, --jobs 2 "
          f"{median[2]:.2f} s → {median[1] / median[2]:.2f}× throughput")


def night_plates(runs: int, env: dict) -> None:
    """The night edition (specs/night.yaml: four plates, three supplied ads) rendered
    one PDF per plate as whole processes: into an empty folder from empty caches
    and from filled ones, again with nothing changed, and after a late change to
    one story on page 3 — each with the plates it wrote."""
    tree = OUT / "night-tree"
    shutil.rmtree(tree, ignore_errors=True)
    for part in ("copy", "ads", "photos"):
        shutil.copytree(ROOT / "samples" / part, tree / "samples" / part)
    (tree / "specs").mkdir(parents=True)
    shutil.copy(ROOT / "specs" / "night.yaml", tree / "specs")
    spec, out = tree / "specs" / "night.yaml", tree / "out"
    cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    child_env = dict(env, BROADSHEET_CACHE=str(cache))

    def plates_run() -> tuple[float, int]:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(spec),
                                 "-o", str(out)], env=child_env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if result.returncode not in (0, 1):
            raise SystemExit(f"render failed: {result.stderr}")
        return wall, result.stdout.count("  written  ")   # one line a plate written

    def fresh(empty_cache: bool):
        def run():
            shutil.rmtree(out, ignore_errors=True)
            if empty_cache:
                shutil.rmtree(cache, ignore_errors=True)
            return plates_run()
        return run
    story = tree / "samples" / "copy" / "elderly.txt"
    original = story.read_text(encoding="utf-8")
    edits = iter(range(1, 10_000))

    def late_change():
        story.write_text(original.replace("。", "，", next(edits) % 7 + 1), encoding="utf-8")
        return plates_run()
    rows = [("into an empty folder, empty caches", fresh(True)),
            ("into an empty folder, filled caches", fresh(False))]
    for label, fn in rows:
        results = [fn() for _ in range(runs)]
        print(f"night edition per plate, {label}: "
              f"{statistics.median(r[0] for r in results):.2f} s, "
              f"{results[0][1]} plates written")
    plates_run()
    results = [plates_run() for _ in range(runs)]
    print(f"night edition per plate, nothing changed: "
          f"{statistics.median(r[0] for r in results):.2f} s, {results[0][1]} plates written")
    results = [late_change() for _ in range(runs)]
    print(f"night edition per plate, one page-3 story changed: "
          f"{statistics.median(r[0] for r in results):.2f} s, "
          f"{sorted({r[1] for r in results})} plates written")
    shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-32", action="store_true")
    parser.add_argument("--only-plates", action="store_true",
                        help="only the night edition, one PDF per plate")
    args = parser.parse_args()
    if args.only_plates:
        night_plates(args.runs, dict(os.environ, PYTHONPATH=str(ROOT)))
        return
    # Bytecode written first, as an installed package has it: where
    # PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile the
    # modules changed since their .pyc was written (some ms each).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "layout")], check=True,
                   stdout=subprocess.DEVNULL)
    specs = {8: generate(8)}
    if not args.skip_32:
        specs[32] = generate(32, seed=2)
    distinct = set("".join(p.read_text(encoding="utf-8")
                           for p in (OUT / "edition-8p" / "copy").glob("*.txt")))
    body = sum(len(p.read_text(encoding="utf-8"))
               for p in (OUT / "edition-8p" / "copy").glob("*.txt"))
    print(f"edition-8p: {body:,} characters of copy, {len(distinct):,} distinct")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    results = {}
    for pages, spec in specs.items():
        pdf_dir = OUT / "pdf"
        cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))

        def cold():
            shutil.rmtree(cache, ignore_errors=True)
            return run_measured(render_cmd(spec, pdf_dir), dict(env, BROADSHEET_CACHE=str(cache)))

        def cached():
            return run_measured(render_cmd(spec, pdf_dir), dict(env, BROADSHEET_CACHE=str(cache)))

        def recomposed():
            shutil.rmtree(cache / "compose", ignore_errors=True)
            return cached()

        story = spec.parent / f"{spec.stem}" / "copy" / "p1s1.txt"
        original = story.read_text(encoding="utf-8")
        edits = iter(range(1, 10_000))

        def edited():
            """A desk's next render: one story edited, then a new render process."""
            story.write_text(original.replace("。", "，", next(edits) % 7 + 1), encoding="utf-8")
            return cached()

        c = median_of(args.runs, cold)
        run_measured(render_cmd(spec, pdf_dir), dict(env, BROADSHEET_CACHE=str(cache)))
        r = median_of(args.runs, recomposed)
        try:
            e = median_of(args.runs, edited)
        finally:
            story.write_text(original, encoding="utf-8")
        run_measured(render_cmd(spec, pdf_dir), dict(env, BROADSHEET_CACHE=str(cache)))
        h = median_of(args.runs, cached)
        pdf_path = pdf_dir / f"{spec.stem}.pdf"
        size = pdf_path.stat().st_size / 2 ** 20
        # In a child process, like the camera photos: see camera_photos().
        photos, glyphs = json.loads(subprocess.run(
            [sys.executable, "-c", "import json, sys; sys.path.insert(0, sys.argv[1]); "
             "import render_bench; print(json.dumps(render_bench.pdf_contents("
             "render_bench.Path(sys.argv[2]))))", str(Path(__file__).parent), str(pdf_path)],
            capture_output=True, text=True, check=True).stdout)
        results[pages] = (c, h, size)
        print(f"{pages:>2} pages  cold   {c[0]:.2f} s wall  {c[1]:.2f} s CPU  {c[2]:.0f} MiB")
        print(f"{pages:>2} pages  cached, every paragraph composed afresh (store emptied) "
              f"{r[0]:.2f} s wall  {r[1]:.2f} s CPU  {r[2]:.0f} MiB")
        print(f"{pages:>2} pages  cached, one story edited since the last render "
              f"{e[0]:.2f} s wall  {e[1]:.2f} s CPU  {e[2]:.0f} MiB")
        print(f"{pages:>2} pages  cached {h[0]:.2f} s wall  {h[1]:.2f} s CPU  {h[2]:.0f} MiB  "
              f"PDF {size:.2f} MiB, {size - photos:.2f} MiB without its photos "
              f"({glyphs:,} embedded glyphs)")
        shutil.rmtree(cache, ignore_errors=True)
    print(f" 8 pages  warm re-render after one story changed: {warm(specs[8], args.runs):.3f} s")
    # The same edition with camera-size photos (6000 x 4000), as a desk receives them.
    camera = generate(8, name="edition-8p-camera", photos=camera_photos())
    cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))

    def cold_camera():
        shutil.rmtree(cache, ignore_errors=True)
        return run_measured(render_cmd(camera, OUT / "pdf"), dict(env, BROADSHEET_CACHE=str(cache)))
    c = median_of(args.runs, cold_camera)
    shutil.rmtree(cache, ignore_errors=True)
    print(f" 8 pages  cold, photos of 24 megapixels  {c[0]:.2f} s wall  {c[1]:.2f} s CPU  "
          f"{c[2]:.0f} MiB")
    if 32 in results:
        print(f"32 pages / 8 pages (cached wall): {results[32][1][0] / results[8][1][0]:.2f}×")
    night_plates(args.runs, env)
    jobs_throughput(8, args.runs, env)
    jobs_throughput(8, args.runs, env, served=True)
    if 32 in results:
        jobs_throughput(32, args.runs, env)


if __name__ == "__main__":
    main()
