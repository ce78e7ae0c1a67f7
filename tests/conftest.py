"""Shared fixtures: the sample edition rendered once per test session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """The suite starts from empty caches (font metrics, photos, composed paragraphs),
    in this process and the renders it starts, whatever the machine has cached."""
    import os
    os.environ["BROADSHEET_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def sample_spec() -> Path:
    return ROOT / "specs" / "sample.yaml"


@pytest.fixture(scope="session")
def sample_loaded(sample_spec):
    from layout.spec import load_spec
    return load_spec(sample_spec)


@pytest.fixture(scope="session")
def sample_layout(sample_loaded):
    from layout.place import layout_edition
    return layout_edition(sample_loaded)


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory, sample_spec) -> Path:
    """The sample rendered through the real command line."""
    out = tmp_path_factory.mktemp("render") / "sample.pdf"
    report = out.with_suffix(".json")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(sample_spec),
                             "-o", str(out), "--report", str(report)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


HOSTILE_MEMORY_BYTES = 3 * 2**30   # address space for one hostile case (Python maps ~1 GiB)


def limited_memory() -> None:
    """preexec_fn for a hostile case: a case that would eat the machine fails
    with a MemoryError (and a traceback the test sees) instead."""
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (HOSTILE_MEMORY_BYTES, HOSTILE_MEMORY_BYTES))


def run_cli(*args, cwd=ROOT, timeout=300) -> subprocess.CompletedProcess:
    """`broadsheet …` as a process, as a desk runs it."""
    return subprocess.run([sys.executable, "-m", "layout.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=timeout, check=False)


def refused_in_one_line(result: subprocess.CompletedProcess, output: Path) -> str:
    """A user error as the desk must get it: exit 2, one line, no traceback, nothing
    written; returns the line."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not output.exists()
    return result.stderr


def one_story_spec(folder: Path, copy: str, article: str, story: str = "a") -> Path:
    """A one-page edition with one story (its copy in a.txt) as s.yaml: the story's
    keys from line 7, after `- id:` on line 6, so tests can name their lines."""
    write(folder / "a.txt", copy)
    return write(folder / "s.yaml", "paper: {name: 测试日报}\nedition: {date: 2026-11-25}\n"
                                    "geometry: {marks: false}\npages:\n  - articles:\n"
                                    f"      - id: {story}\n{article}")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def spec_dir(tmp_path) -> Path:
    """A folder with a minimal valid spec (spec.yaml) and its copy."""
    write(tmp_path / "copy" / "a.txt", "本报讯　这是一段测试用的新闻正文。" * 12 + "\n第二段正文，内容简短。\n")
    write(tmp_path / "spec.yaml", MINIMAL_SPEC)
    return tmp_path


MINIMAL_SPEC = """\
paper:
  name: 测试日报
edition:
  date: 2026-11-25
pages:
  - section: 要闻
    articles:
      - id: a
        headline: 测试标题
        copy: copy/a.txt
        box: {col: 1, cols: 2, line: 1, lines: 30}
"""
