"""Composed paragraphs kept on disk between runs, one store per spec.

A desk re-renders after every edit, each time as a new process; most of an
edition's paragraphs have not changed, and composing them again is the
largest part of a render's layout.  A paragraph is looked up by a digest of
everything its composition depends on — its text runs (fonts, sizes), the
settings (measure, house style, 禁则 level …) and whether it is indented; the
store as a whole is tied to the fonts' files and to the composer's own source
and Unicode data, so a change to any of those starts it afresh.  Lines come
back exactly as composed (marshal keeps floats bit for bit), so a render from
the store is byte-identical to one without it.

Each save keeps only the paragraphs the last render used: the store follows
the edition and does not grow with its history.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from ..files import cache_dir
from .text import Glyph, Line

STORE_VERSION = 3            # 2: the paragraphs under a checksum; 3: stretch_em
_COMPOSER_FILES = ("paragraph.py", "linebreak.py", "classes.py", "text.py", "store.py")


@lru_cache(maxsize=1)
def composer_fingerprint() -> str:
    """The composer's source and the Unicode property data it reads (once a process:
    the code that composes is the code that was loaded)."""
    digest = hashlib.sha256(f"v{STORE_VERSION}".encode())
    here = Path(__file__).resolve().parent
    for name in _COMPOSER_FILES:
        digest.update((here / name).read_bytes())
    spec = importlib.util.find_spec("uniseg")
    for location in (spec.submodule_search_locations or []) if spec else []:
        for entry in sorted(Path(location).iterdir()):
            if entry.suffix in (".py", ".sqlite3", ".db", ".json") and entry.is_file():
                stat = entry.stat()
                digest.update(f"{entry.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class ComposeStore:
    """Digest → composed lines, loaded from and saved to one file."""

    def __init__(self, path: Path | None, fingerprint: str):
        self.path = path
        self.fingerprint = fingerprint
        self._stored: dict[bytes, bytes] = {}
        self._used: dict[bytes, bytes] = {}
        self.hits = self.misses = 0
        if path is not None:
            try:
                data = marshal.loads(path.read_bytes())
                blob = data["paragraphs"]
                # A damaged entry would print the wrong characters (那 for 这):
                # the whole store is checked, and used only if it is intact.
                if data["fingerprint"] == fingerprint and \
                        data["checksum"] == hashlib.sha256(blob).digest():
                    paragraphs = marshal.loads(blob)
                    if isinstance(paragraphs, dict):
                        self._stored = paragraphs
            except (OSError, EOFError, ValueError, TypeError, KeyError):
                pass                # none yet, or damaged: compose afresh

    @classmethod
    def for_spec(cls, spec_path: Path, fonts_fingerprint: str) -> ComposeStore:
        name = hashlib.sha256(str(Path(spec_path).resolve()).encode()).hexdigest()[:32]
        return cls(cache_dir() / "compose" / f"{name}.marshal",
                   hashlib.sha256(f"{composer_fingerprint()}|{fonts_fingerprint}"
                                  .encode()).hexdigest())

    @staticmethod
    def key(parts) -> bytes:
        """The digest of a paragraph's inputs: their repr names every field."""
        return hashlib.sha256(repr(parts).encode("utf-8")).digest()

    def get(self, key: bytes) -> tuple[Line, ...] | None:
        blob = self._stored.get(key)
        if blob is None:
            self.misses += 1
            return None
        self.hits += 1
        self._used[key] = blob
        return tuple(Line(tuple(map(Glyph, chars, fonts, sizes, xs, scales)), *rest)
                     for (chars, fonts, sizes, xs, scales), *rest in marshal.loads(blob))

    def keep(self, key: bytes, lines: tuple[Line, ...]) -> None:
        """A paragraph this render used from memory (a long-lived process)."""
        if key not in self._used:
            blob = self._stored.get(key)
            if blob is None:
                self.put(key, lines)
            else:
                self._used[key] = blob

    def put(self, key: bytes, lines: tuple[Line, ...]) -> None:
        self._used[key] = marshal.dumps(tuple(
            (("".join(g.ch for g in ln.glyphs), tuple(g.font for g in ln.glyphs),
              tuple(float(g.size_pt) for g in ln.glyphs), tuple(g.x_pt for g in ln.glyphs),
              tuple(g.scale_x for g in ln.glyphs)),
             ln.start, ln.end, ln.measure_pt, ln.width_pt, ln.justified, ln.last, ln.forced,
             ln.indent_pt, ln.stretch_em) for ln in lines))

    def save(self) -> None:
        """Write what this render used, if that differs from what was loaded."""
        if self.path is None or self._used.keys() == self._stored.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            blob = marshal.dumps(self._used)
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps({"fingerprint": self.fingerprint,
                                            "checksum": hashlib.sha256(blob).digest(),
                                            "paragraphs": blob}))
            os.replace(tmp, self.path)
        except OSError:
            pass                    # a cache we cannot write only costs time
