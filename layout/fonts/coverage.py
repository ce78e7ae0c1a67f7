"""Coverage of the Simplified-Chinese repertoire by a font."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def gb2312_hanzi() -> frozenset[str]:
    """The 6,763 Hanzi of GB 2312 (rows 16–87)."""
    out = set()
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                out.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(out)


@lru_cache(maxsize=None)
def gbk_hanzi() -> frozenset[str]:
    """The Hanzi of GBK: GB 2312, all of U+4E00–U+9FA5 and the compatibility ideographs."""
    out = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                ch = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
                out.add(ch)
    return frozenset(out)
