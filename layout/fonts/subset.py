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
import struct
import sys
from array import array

from .sfnt import KEPT_AS_IS, TrueTypeFile, sfnt


# Composite glyph component flags (OpenType glyf table).
ARG_1_AND_2_ARE_WORDS = 0x0001
WE_HAVE_A_SCALE = 0x0008
MORE_COMPONENTS = 0x0020
WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
WE_HAVE_A_TWO_BY_TWO = 0x0080


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
    if sys.byteorder == "little":
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


