"""What a render found, kept for a later run that finds its output up to date.

A skipped render must say what the render that made the file said — an
overset story does not turn into exit 0 on the second run.  The record sits in
the cache, keyed by the output's path, and holds the output's SHA-256 and the
key of the inputs it was made from (their paths and contents): a file changed
since, or made from another spec or other copy, is not vouched for, and is
rendered again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..files import cache_dir, write_atomic
from ..findings import Finding


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


def inputs_key(inputs, proof: bool) -> str:
    """What an output is made from: each input's path and content, and whether it
    is a proof (with overset marks) or the plant's file."""
    digest = hashlib.sha256(b"proof" if proof else b"plant")
    for path in inputs:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(path, "rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


def keep(output: Path, sha256: str, made_from: str, status: str, pages: int,
         findings: list[Finding]) -> None:
    """Remember what the render that wrote `output` (of digest `sha256`, from inputs
    of key `made_from`) found (a cache we cannot write only means the next run
    renders again)."""
    data = {"sha256": sha256, "made_from": made_from, "status": status, "pages": pages,
            "findings": [f.to_json() for f in findings]}
    try:
        write_atomic(_path(output), json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def recall(output: Path, made_from: str) -> Record | None:
    """What the render that wrote `output`, as it is now, from inputs of key
    `made_from`, found; None if unknown (or made from something else)."""
    try:
        data = json.loads(_path(output).read_text(encoding="utf-8"))
        if data["sha256"] != _digest(output) or data.get("made_from") != made_from:
            return None
        return Record(data["status"], int(data["pages"]),
                      [Finding.from_json(f) for f in data["findings"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None
