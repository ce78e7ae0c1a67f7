"""Units, converted in one place.

Inside the engine every length is in PDF points (floats, 1/72 inch).  The spec
speaks the desk's units; these helpers turn them into points:

>>> length_pt("390mm")
1105.5118110236222
>>> length_pt("9pt"), length_pt(12), length_pt("1.5cm")
(9.0, 34.01574803149607, 42.519685039370074)
>>> type_size_pt("小五"), type_size_pt("二号"), type_size_pt("10.5pt"), type_size_pt(36)
(9.0, 21.0, 10.5, 36.0)
>>> type_size_pt("三号", table="office")
16.0
>>> chinese_numeral(2), chinese_numeral(10), chinese_numeral(12), chinese_numeral(24)
('二', '十', '十二', '二十四')
"""

from __future__ import annotations

import re

PT_PER_MM = 72.0 / 25.4
PT_PER_CM = 72.0 / 2.54
PT_PER_INCH = 72.0

# 号数制: two tables are in use (see docs); newspapers are set on Founder
# systems, so "typesetting" is the default.
HAO_SIZES_PT = {
    "typesetting": {
        "初号": 42, "小初": 36, "一号": 27.5, "小一": 24, "二号": 21, "小二": 18,
        "三号": 15.75, "小三": 15, "四号": 13.75, "小四": 12, "五号": 10.5,
        "小五": 9, "六号": 7.875, "小六": 6.5, "七号": 5.25, "八号": 5,
    },
    "office": {
        "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
        "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5,
        "小五": 9, "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5,
    },
}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in)?\s*$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt)?\s*$")


class UnitError(ValueError):
    """A value the unit parser does not understand (message is for the user)."""


MAX_LENGTH_PT = 2000 * PT_PER_MM    # no page, margin, type or rule is longer than 2 m


def length_pt(value: str | int | float, default_unit: str = "mm") -> float:
    """A length in the spec ("390mm", "9pt", "1.5cm", bare number = default unit) → pt."""
    if isinstance(value, bool):
        raise UnitError(f"expected a length such as '12mm' or '9pt', got {value!r}")
    if isinstance(value, (int, float)):
        number, unit = float(value), default_unit
    else:
        match = _LENGTH.match(str(value))
        if not match:
            raise UnitError(f"expected a length such as '12mm' or '9pt', got {value!r}")
        number, unit = float(match.group(1)), match.group(2) or default_unit
    return number * {"mm": PT_PER_MM, "cm": PT_PER_CM, "pt": 1.0, "in": PT_PER_INCH}[unit]


def type_size_pt(value: str | int | float, table: str = "typesetting") -> float:
    """A type size: a 号 name (小五, 二号 …), "10.5pt", or a bare number of points."""
    if isinstance(value, bool):
        raise UnitError(f"expected a type size such as 小五 or 9pt, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    sizes = HAO_SIZES_PT[table]
    if text in sizes:
        return float(sizes[text])
    if text + "号" in sizes:          # "五" for 五号
        return float(sizes[text + "号"])
    match = _SIZE.match(text)
    if match:
        return float(match.group(1))
    raise UnitError(
        f"expected a type size such as 小五, 二号 or 9pt, got {value!r}")


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1–99 as Chinese numerals, the way page numbers are written (第二版)."""
    if n < 0 or n > 99:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
