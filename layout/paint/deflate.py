"""Flate (zlib) compression of the PDF's streams, with ISA-L, on a thread of its own.

An edition's streams are about 2 MB before compression, most of it the
subset font programs.  zlib at level 6 took 57 ms an edition for them, a
fifth of a cached render's CPU; ISA-L's deflate at its level 3 takes 6 ms
for output about 5% larger (glyph outlines hardly compress either way).

ISA-L returns with the upper halves of the AVX registers dirty (it issues no
VZEROUPPER; intel/isa-l#24).  After that, every legacy-SSE instruction the
same thread runs pays a transition penalty: C's float formatting, which every
coordinate on a page goes through, ran 3x slower for the rest of the render.
So ISA-L runs only on a thread kept for it; the painting thread stays clean.

The output is an ordinary zlib stream; it is the same for the same input on
a given ISA-L build and CPU family, which keeps renders byte-identical there.
Elsewhere the compressed bytes may differ, never what they decode to (the
README says what is promised; tests/test_pdf.py checks it).
"""

from __future__ import annotations

import os
import queue
import threading

from isal import isal_zlib

LEVEL = 3       # ISA-L's highest; 1 and 2 are barely faster here and larger

_compressor: tuple[int, queue.SimpleQueue] | None = None   # (process id, its requests)


def deflate(data: bytes) -> bytes:
    """`data` as a zlib stream (RFC 1950), for a FlateDecode filter."""
    reply: queue.SimpleQueue = queue.SimpleQueue()
    _requests().put((data, reply))
    ok, value = reply.get()
    if not ok:
        raise value
    return value


def _requests() -> queue.SimpleQueue:
    global _compressor
    # Started on first use, and again in a forked child: threads do not survive fork.
    if _compressor is None or _compressor[0] != os.getpid():
        requests: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=_serve, args=(requests,), name="broadsheet-deflate",
                         daemon=True).start()
        _compressor = (os.getpid(), requests)
    return _compressor[1]


def _serve(requests: queue.SimpleQueue) -> None:
    while True:
        data, reply = requests.get()
        try:
            reply.put((True, isal_zlib.compress(data, LEVEL)))
        except BaseException as exc:        # handed to the caller, raised there
            reply.put((False, exc))
