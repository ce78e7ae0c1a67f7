"""Coverage of the Simplified-Chinese repertoire by a font."""

from __future__ import annotations

from functools import cache, lru_cache


@lru_cache(maxsize=None)
def gb2312_hanzi(level: int | None = None) -> frozenset[str]:
    """The 6,763 Hanzi of GB 2312 (rows 16–87); level 1 is the 3,755 common ones
    (rows 16–55), level 2 the rest.

    >>> len(gb2312_hanzi()), len(gb2312_hanzi(1)), len(gb2312_hanzi(2))
    (6763, 3755, 3008)
    """
    rows = {None: range(0xB0, 0xF8), 1: range(0xB0, 0xD8), 2: range(0xD8, 0xF8)}[level]
    out = set()
    for row in rows:
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


@cache
def gb18030_hanzi() -> frozenset[str]:
    """The 27,484 Hanzi GB 18030-2005 requires: U+4E00–U+9FA5 and Extension A
    (U+3400–U+4DB5)."""
    return frozenset(chr(c) for c in [*range(0x4E00, 0x9FA6), *range(0x3400, 0x4DB6)])
