"""The one exception type for user errors, with the place it comes from.

The CLI turns it into a one-line message and exit code 2; nothing else in
the engine prints or exits.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


def did_you_mean(word: str, known, cutoff: float = 0.6) -> str:
    """"; did you mean 'x'?" for the nearest of `known` to a mistyped `word`, or ""."""
    near = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return f"; did you mean {near[0]!r}?" if near else ""


@dataclass(frozen=True)
class SourcePlace:
    """Where something came from: a file and, when known, line and column (1-based)."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str | None = None  # the YAML path, e.g. pages[0].articles[2].copy

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class BroadsheetError(Exception):
    """A problem with the user's input; `str()` is the one-line message."""

    def __init__(self, message: str, place: SourcePlace | None = None):
        super().__init__(message)
        self.message = message
        self.place = place

    def __str__(self) -> str:
        if self.place is None:
            return self.message
        return f"{self.place}: {self.message}"


def file_place(path: str | Path) -> SourcePlace:
    return SourcePlace(str(path))
