"""What a render found, kept for a later run that finds its output up to date.

A skipped render must say what the render that made the file said — an
overset story does not turn into exit 0 on the second run.  The record sits in
the cache, keyed by the output's path, and holds the output's SHA-256: a file
changed or replaced since is not vouched for, and is rendered again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..files import write_atomic
from ..findings import Finding
from ..files import cache_dir


class Record:
    """A past render's status, page count and findings."""

    def __init__(self, status: str, pages: int, findings: list[Finding]):
        self.status, self.pages, self.findings = status, pages, findings


def _path(output: Path) -> Path:
    key = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:32]
    return cache_dir() / "outcomes" / f"{key}.json"


def _digest(output: Path) -> str | None:
    try:
        return hashlib.sha256(Path(output).read_bytes()).hexdigest()
    except OSError:
        return None


def keep(output: Path, sha256: str, status: str, pages: int, findings: list[Finding]) -> None:
    """Remember what the render that wrote `output` (of digest `sha256`) found (a
    cache we cannot write only means the next run renders again)."""
    data = {"sha256": sha256, "status": status, "pages": pages,
            "findings": [f.to_json() for f in findings]}
    try:
        write_atomic(_path(output), json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def recall(output: Path) -> Record | None:
    """What the render that wrote `output`, as it is now, found; None if unknown."""
    try:
        data = json.loads(_path(output).read_text(encoding="utf-8"))
        if data["sha256"] != _digest(output):
            return None
        return Record(data["status"], int(data["pages"]),
                      [Finding.from_json(f) for f in data["findings"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None
