"""Side by side with Typst: the 8-page benchmark edition's characters, run in turn.

    pip install typst                       # the benchmark's own need (pip install '.[bench]')
    python benchmarks/typst_compare.py      # 5 rounds, medians and ratios
    python benchmarks/typst_compare.py --runs 9

The same characters (every story's copy, heads left out) on the same page
(390 × 540 mm, 8 columns, 9 pt justified Noto Serif CJK SC on a 13 pt pitch,
the bundled font file) set by Typst, and rendered by broadsheet from the
8-page edition of render_bench.py.  Each run is a new process, the rounds
interleave the two tools so the machine's drift falls on both:

- broadsheet, every paragraph composed afresh: the compose store emptied
  before each run, fonts, metrics and photos still cached (a first render of
  new copy);
- broadsheet, unchanged edition: the compose store filled;
- Typst, its default run (the system's fonts looked at too), and given only
  the bundled font (`ignore_system_fonts`).

Prints the median wall time of each and the ratios broadsheet / Typst.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from render_bench import OUT, generate, render_cmd  # noqa: E402

TYPST_RUN = ("import sys, typst\n"
             "typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]],"
             " ignore_system_fonts=sys.argv[4] == 'only')\n")


def typst_source(spec: Path) -> str:
    """A Typst document of the edition's copy, page and type as broadsheet sets them."""
    copy = sorted((spec.parent / spec.stem / "copy").glob("*.txt"))
    paragraphs = [line.strip() for path in copy
                  for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    escaped = "\n\n".join(p.replace("\\", "\\\\").replace("#", "\\#").replace("*", "\\*")
                          .replace("_", "\\_").replace("$", "\\$").replace("@", "\\@")
                          .replace("<", "\\<").replace("[", "\\[").replace("]", "\\]")
                          for p in paragraphs)
    return ("#set page(width: 390mm, height: 540mm, columns: 8,\n"
            "  margin: (top: 26mm, bottom: 18mm, x: 23.5mm))\n"
            "#set columns(gutter: 9pt)\n"
            '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh")\n'
            "#set par(justify: true, leading: 4pt, first-line-indent: 18pt)\n\n" + escaped + "\n")


def timed(args: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{args[:4]} failed: {done.stderr[-500:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    try:
        import typst      # here, to say what is missing before any timing
    except ImportError:
        raise SystemExit("Typst is not installed: pip install typst (or '.[bench]')") from None
    spec = generate(8)
    work = Path(tempfile.mkdtemp(prefix="typst-compare-"))
    typ = work / "edition.typ"
    typ.write_text(typst_source(spec), encoding="utf-8")
    chars = sum(len(line) for line in typ.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#"))
    cache = work / "cache"
    env = dict(os.environ, BROADSHEET_CACHE=str(cache))
    fonts = ROOT / "fonts"
    ours = render_cmd(spec, work / "pdf")
    timed(ours, env)                                   # fill the caches once
    times: dict[str, list[float]] = {"fresh": [], "stored": [], "typst": [], "typst-font": []}
    for _ in range(args.runs):
        shutil.rmtree(cache / "compose", ignore_errors=True)
        times["fresh"].append(timed(ours, env))
        times["stored"].append(timed(ours, env))
        times["typst"].append(timed([sys.executable, "-c", TYPST_RUN, str(typ),
                                     str(work / "typst.pdf"), str(fonts), "default"]))
        times["typst-font"].append(timed([sys.executable, "-c", TYPST_RUN, str(typ),
                                          str(work / "typst.pdf"), str(fonts), "only"]))
    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"{spec.relative_to(ROOT)}: {chars:,} characters of copy; {args.runs} rounds, "
          f"medians (each a new process)")
    print(f"  broadsheet, every paragraph composed afresh  {median['fresh']:.2f} s")
    print(f"  broadsheet, compose store filled             {median['stored']:.2f} s")
    print(f"  Typst {typst.__version__}, default run                 {median['typst']:.2f} s")
    print(f"  Typst, only the bundled font                 {median['typst-font']:.2f} s")
    print(f"  ratios: afresh / Typst {median['fresh'] / median['typst']:.2f}, "
          f"afresh / Typst (font only) {median['fresh'] / median['typst-font']:.2f}, "
          f"store filled / Typst {median['stored'] / median['typst']:.2f}")
    shutil.rmtree(work, ignore_errors=True)
    print(f"(the edition is in {OUT.relative_to(ROOT)}/)")


if __name__ == "__main__":
    main()
