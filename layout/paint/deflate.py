"""Flate (zlib) streams compressed in parallel, as pigz does.

An edition's body face is a 1.3 MB font program, the largest single piece of
work in writing the PDF (45 ms at zlib level 6).  Cut into pieces, each
compressed on its own thread (zlib releases the interpreter lock) with the
32 KiB before it as its preset dictionary, and ended with a sync flush, the
pieces join into one ordinary zlib stream that any reader inflates; the
ratio stays within a fraction of a percent of one pass.
"""

from __future__ import annotations

import struct
import zlib
from concurrent.futures import ThreadPoolExecutor

LEVEL = 6
PIECE = 256 * 1024
WINDOW = 32 * 1024

_POOL: ThreadPoolExecutor | None = None
THREADS = 2     # a worker of `render --jobs N` sets 0: its siblings have the other cores


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="broadsheet-deflate")
    return _POOL


def _piece(data: bytes, start: int, end: int, last: bool, level: int) -> bytes:
    if start:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15,
                                  zdict=data[max(0, start - WINDOW):start])
    else:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    out = packer.compress(data[start:end])
    return out + packer.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


class _Done:
    def __init__(self, value: bytes):
        self._value = value

    def result(self) -> bytes:
        return self._value


class Deflating:
    """A zlib stream being compressed by worker threads; `result()` waits for it."""

    def __init__(self, data: bytes, level: int = LEVEL):
        self.raw_length = len(data)
        bounds = list(range(0, len(data), PIECE)) or [0]
        if THREADS:
            pool = _pool()
            self._pieces: list = [
                pool.submit(_piece, data, start, min(start + PIECE, len(data)),
                            k == len(bounds) - 1, level)
                for k, start in enumerate(bounds)]
        else:
            self._pieces = [_Done(_piece(data, start, min(start + PIECE, len(data)),
                                         k == len(bounds) - 1, level))
                            for k, start in enumerate(bounds)]
        self._checksum = zlib.adler32(data)
        self._joined: bytes | None = None

    def result(self) -> bytes:
        if self._joined is None:
            header = b"\x78\x9c"                  # deflate, 32 KiB window, no dictionary
            body = b"".join(piece.result() for piece in self._pieces)
            self._joined = header + body + struct.pack(">I", self._checksum)
            self._pieces = []
        return self._joined
