"""TrueType subsets for embedding: the glyphs a document uses, sliced from the font file.

A CID-keyed PDF font (CIDFontType2) needs only the tables that draw glyphs:
glyf, loca, head, hhea, hmtx, maxp, and the hinting tables when present (what
Acrobat itself embeds).  Glyph records are copied byte for byte from the
font file; only composite glyphs are touched, to renumber their
components.  fontTools' general subsetter decompiles and recompiles every
glyph and layout table: about 0.3 s a face for a page's 6,000 CJK glyphs,
against a few milliseconds here.
"""

from __future__ import annotations

import io
import os
import struct
import sys
from array import array
from dataclasses import dataclass
from typing import Callable

# Tables a CIDFontType2 program carries (ISO 32000-1 §9.9; cmap is not needed
# because codes map to glyphs by CIDToGIDMap).
KEPT_AS_IS = ("cvt ", "fpgm", "prep")

# Composite glyph component flags (OpenType glyf table).
ARG_1_AND_2_ARE_WORDS = 0x0001
WE_HAVE_A_SCALE = 0x0008
MORE_COMPONENTS = 0x0020
WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
WE_HAVE_A_TWO_BY_TWO = 0x0080


class FontFileError(ValueError):
    """The font file lacks a table or is cut short."""


@dataclass(frozen=True)
class TrueTypeFile:
    """The parts of a TrueType font a subset needs.

    The small tables are read whole; glyph records are read one by one, when a
    subset asks for them, by `read(offset, length)`.  From a file that is a
    positioned read, so a page's few thousand glyphs cost only their own bytes
    (a memory map would bring in 64 KiB around every glyph it touches).
    """

    read: Callable[[int, int], bytes]
    tables: dict[str, tuple[int, int]]      # tag -> (offset, length)
    small: dict[str, bytes]                 # the tables read whole
    glyph_offsets: array                    # loca, as offsets into glyf
    glyf_offset: int
    num_glyphs: int
    num_hmetrics: int

    @classmethod
    def from_bytes(cls, data: bytes) -> TrueTypeFile:
        return cls.parse(lambda offset, length: data[offset:offset + length], len(data))

    @classmethod
    def from_file(cls, path) -> TrueTypeFile:
        """Reads stay on one open descriptor: the font as it was when opened."""
        fd = os.open(path, os.O_RDONLY)
        return cls.parse(lambda offset, length: os.pread(fd, length, offset),
                         os.fstat(fd).st_size)

    @classmethod
    def parse(cls, read: Callable[[int, int], bytes], size: int) -> TrueTypeFile:
        start = 0
        header = read(0, 12)
        if header[:4] == b"ttcf" and len(header) == 12:
            # A collection: its first font, as the font book reads it.  Table
            # offsets in a collection count from the start of the file.
            start = struct.unpack(">I", read(12, 4))[0]
            header = read(start, 12)
        if len(header) < 12:
            raise FontFileError("file too short for a font")
        version, num_tables = struct.unpack_from(">IH", header, 0)
        if version not in (0x00010000, 0x74727565):          # TrueType outlines only
            raise FontFileError("not a TrueType-outline font")
        directory = read(start + 12, 16 * num_tables)
        tables = {}
        for k in range(num_tables):
            tag, _checksum, offset, length = struct.unpack_from(">4sIII", directory, 16 * k)
            if offset + length > size:
                raise FontFileError(f"table {tag!r} runs past the end of the file")
            tables[tag.decode("latin-1")] = (offset, length)
        for needed in ("head", "hhea", "hmtx", "maxp", "loca", "glyf"):
            if needed not in tables:
                raise FontFileError(f"font has no {needed} table")
        small = {tag: read(*tables[tag]) for tag in ("head", "hhea", "hmtx", "maxp", "loca")
                 + KEPT_AS_IS if tag in tables}
        long_loca = struct.unpack_from(">h", small["head"], 50)[0] == 1
        num_glyphs = struct.unpack_from(">H", small["maxp"], 4)[0]
        num_hmetrics = struct.unpack_from(">H", small["hhea"], 34)[0]
        offsets = array("I" if long_loca else "H")     # "I" is 4 bytes on every platform we run
        count = num_glyphs + 1
        if len(small["loca"]) < count * offsets.itemsize:
            raise FontFileError("loca table too short")
        offsets.frombytes(small.pop("loca")[:count * offsets.itemsize])
        if struct.pack("=H", 1) != struct.pack(">H", 1):
            offsets.byteswap()
        if not long_loca:
            offsets = array("I", (2 * o for o in offsets))
        if len(small["hmtx"]) < 4 * num_hmetrics + 2 * (num_glyphs - num_hmetrics):
            raise FontFileError("hmtx table too short")
        return cls(read, tables, small, offsets, tables["glyf"][0], num_glyphs, num_hmetrics)

    def table(self, tag: str) -> bytes:
        return self.small[tag]

    def glyph(self, gid: int) -> bytes:
        start = self.glyph_offsets[gid]
        return self.read(self.glyf_offset + start, self.glyph_offsets[gid + 1] - start)

    def metric(self, gid: int) -> tuple[int, int]:
        """(advance width, left side bearing) in font units."""
        hmtx = self.small["hmtx"]
        if gid < self.num_hmetrics:
            return struct.unpack_from(">Hh", hmtx, 4 * gid)
        advance = struct.unpack_from(">H", hmtx, 4 * (self.num_hmetrics - 1))[0]
        lsb = struct.unpack_from(">h", hmtx,
                                 4 * self.num_hmetrics + 2 * (gid - self.num_hmetrics))[0]
        return advance, lsb


def _components(record: bytes):
    """(offset of each component's glyph index) in a composite glyph record."""
    pos = 10
    while True:
        flags, _gid = struct.unpack_from(">HH", record, pos)
        yield pos + 2
        pos += 4 + (4 if flags & ARG_1_AND_2_ARE_WORDS else 2)
        if flags & WE_HAVE_A_SCALE:
            pos += 2
        elif flags & WE_HAVE_AN_X_AND_Y_SCALE:
            pos += 4
        elif flags & WE_HAVE_A_TWO_BY_TWO:
            pos += 8
        if not flags & MORE_COMPONENTS:
            return


def subset_truetype(font: TrueTypeFile, glyph_order: list[int]) -> tuple[bytes, list[int]]:
    """A TrueType program holding `glyph_order` (original glyph ids) as glyphs 1, 2, …

    Glyph 0 is always .notdef.  Components of composite glyphs are appended
    after the requested glyphs and renumbered.  Returns the font program and the
    full order (new glyph id → original glyph id).
    """
    order = [0]
    new_id = {0: 0}
    for gid in glyph_order:
        if gid not in new_id and 0 <= gid < font.num_glyphs:
            new_id[gid] = len(order)
            order.append(gid)
    records = []
    k = 0
    while k < len(order):               # the order grows as composites name components
        record = font.glyph(order[k])
        if len(record) >= 10 and struct.unpack_from(">h", record, 0)[0] < 0:
            patched = bytearray(record)
            for at in _components(record):
                component = struct.unpack_from(">H", record, at)[0]
                if component not in new_id:
                    new_id[component] = len(order)
                    order.append(component)
                struct.pack_into(">H", patched, at, new_id[component])
            record = bytes(patched)
        records.append(record)
        k += 1

    glyf = io.BytesIO()
    loca = array("I")
    hmtx = array("h")
    for gid, record in zip(order, records):
        loca.append(glyf.tell())
        glyf.write(record)
        if len(record) % 4:
            glyf.write(b"\0" * (4 - len(record) % 4))
        advance, lsb = font.metric(gid)
        hmtx.extend((advance - 65536 if advance > 32767 else advance, lsb))
    loca.append(glyf.tell())
    if struct.pack("=H", 1) != struct.pack(">H", 1):
        loca.byteswap()
        hmtx.byteswap()

    head = bytearray(font.table("head"))
    struct.pack_into(">I", head, 8, 0)          # checkSumAdjustment: the writer sets it
    struct.pack_into(">h", head, 50, 1)         # long loca offsets
    hhea = bytearray(font.table("hhea"))
    struct.pack_into(">H", hhea, 34, len(order))
    maxp = bytearray(font.table("maxp"))
    struct.pack_into(">H", maxp, 4, len(order))
    tables = {"glyf": glyf.getvalue(), "head": bytes(head), "hhea": bytes(hhea),
              "hmtx": hmtx.tobytes(), "loca": loca.tobytes(), "maxp": bytes(maxp)}
    for tag in KEPT_AS_IS:
        if tag in font.small:
            tables[tag] = font.table(tag)

    return sfnt(tables), order


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(array_of_uint32(padded)) & 0xFFFFFFFF


def array_of_uint32(data: bytes) -> array:
    words = array("I", data)
    if sys.byteorder == "little":
        words.byteswap()
    return words


def sfnt(tables: dict[str, bytes]) -> bytes:
    """A TrueType file of these tables: the OpenType table directory, each table
    padded to four bytes, head's checkSumAdjustment set.  (fontTools' writer
    does the same, but importing fontTools' font machinery costs 10 ms a run.)"""
    count = len(tables)
    entry_selector = count.bit_length() - 1
    search_range = 16 << entry_selector
    header = struct.pack(">IHHHH", 0x00010000, count, search_range, entry_selector,
                         count * 16 - search_range)
    offset = 12 + 16 * count
    directory, body = [], []
    for tag in sorted(tables):
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag.encode("latin-1"), _checksum(data),
                                     offset, len(data)))
        body.append(data + b"\0" * (-len(data) % 4))
        offset += len(body[-1])
    font = bytearray(header + b"".join(directory) + b"".join(body))
    if "head" in tables:
        head_at = 12 + 16 * count + sum(len(b) for t, b in zip(sorted(tables), body)
                                        if t < "head")
        struct.pack_into(">I", font, head_at + 8,
                         (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)
