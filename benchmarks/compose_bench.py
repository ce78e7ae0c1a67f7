"""Composer throughput: characters composed per second.

    python benchmarks/compose_bench.py            # ≥ 50,000 characters, 5 runs

Composes the sample edition's copy, repeated until it holds at least 50,000
characters, into 13-character 小五 columns with the bundled Song face (the
newspaper setting), and prints the median of 5 runs.  The text is split
into its real paragraphs, as the engine composes it.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layout.compose.paragraph import compose_paragraph  # noqa: E402
from layout.compose.text import ComposeSettings, Run  # noqa: E402
from layout.fonts import FontBook  # noqa: E402


def corpus(min_chars: int = 50_000) -> list[str]:
    paragraphs = []
    for path in sorted((ROOT / "samples" / "copy").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("## "):
                paragraphs.append(line)
    out, total = [], 0
    while total < min_chars:
        for p in paragraphs:
            out.append(p)
            total += len(p)
    return out


def main() -> None:
    fonts = FontBook()
    fonts.face("song")                      # load the metrics outside the timing
    settings = ComposeSettings(measure_pt=13 * 9.0, em_pt=9.0)
    paragraphs = corpus()
    chars = sum(len(p) for p in paragraphs)
    times, lines = [], 0
    for _ in range(5):
        start = time.perf_counter()
        lines = 0
        for p in paragraphs:
            lines += len(compose_paragraph([Run(p, "song", 9.0)], fonts.advance, settings))
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{chars} characters, {len(paragraphs)} paragraphs, {lines} lines")
    print(f"median {median:.3f} s of 5 runs → {chars / median:,.0f} characters/s "
          f"({median / lines * 1e6:.0f} µs per line)")


if __name__ == "__main__":
    main()
