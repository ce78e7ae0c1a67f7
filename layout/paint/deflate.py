"""Flate (zlib) compression of the PDF's streams, with ISA-L.

An edition's streams are about 2 MB before compression, most of it the
subset font programs.  zlib at level 6 took 57 ms an edition for them, a
fifth of a cached render's CPU; ISA-L's deflate at its level 3 takes 6 ms
for output about 5% larger (glyph outlines hardly compress either way).
That is cheap enough to do in line, so a render needs no compressing
threads and `render --jobs N` gets each core to itself.

The output is an ordinary zlib stream; it is the same for the same input on
a given ISA-L build and CPU family, which keeps renders byte-identical.
"""

from __future__ import annotations

from isal import isal_zlib

LEVEL = 3       # ISA-L's highest; 1 and 2 are barely faster here and larger


def deflate(data: bytes) -> bytes:
    """`data` as a zlib stream (RFC 1950), for a FlateDecode filter."""
    return isal_zlib.compress(data, LEVEL)
