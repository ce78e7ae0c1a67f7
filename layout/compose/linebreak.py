"""Break opportunities: the Unicode line breaking algorithm (UAX #14).

A compact implementation of the default algorithm, rules LB1–LB31, over the
Line_Break property data that the `uniseg` package maintains (we use its
property tables, not its slower algorithm).  The stricter Chinese rules (禁则)
are not applied here: the composer adds them on top, as data in `classes.py`.

`break_opportunities(text)` returns a list `allowed` of len(text)+1 booleans:
`allowed[i]` is True when a line may break *before* text[i] (so allowed[0] is
always False and allowed[len] True).

>>> ''.join('|' if b else '.' for b in break_opportunities('中文，“引号”。'))
'.|.|.|..|'
"""

from __future__ import annotations

from functools import lru_cache

_EAST_ASIAN_WIDTHS = frozenset(("F", "W", "H"))


@lru_cache(maxsize=None)
def char_props(ch: str) -> tuple[str, bool, str, bool]:
    """(resolved Line_Break class, is East Asian, general category, extended pictographic)."""
    # Imported here: a render whose paragraphs all come from the compose store
    # never needs the property tables (uniseg's import alone costs 22 ms).
    from uniseg import linebreak as _ucd

    cls = _ucd.line_break(ch).name
    gc = _ucd.category(ch)
    # LB1: resolve classes the default algorithm does not treat on their own.
    if cls in ("AI", "SG", "XX"):
        cls = "AL"
    elif cls == "SA":
        cls = "CM" if gc in ("Mn", "Mc") else "AL"
    elif cls == "CJ":
        cls = "NS"
    return cls, _ucd.east_asian_width(ch).name in _EAST_ASIAN_WIDTHS, gc, bool(
        _ucd.extended_pictographic(ch))


_SPLIT_CLASSES = {"\u25CC": "DOTTED", "\u2010": "HH", "\u05BE": "HH"}
_HARD = frozenset(("BK", "CR", "LF", "NL"))
_NO_ATTACH = frozenset(("BK", "CR", "LF", "NL", "SP", "ZW"))
_LB15A_BEFORE = frozenset(("BK", "CR", "LF", "NL", "OP", "QU", "GL", "SP", "ZW"))
_LB15B_AFTER = frozenset(("SP", "GL", "WJ", "CL", "QU", "CP", "EX", "IS", "SY",
                          "BK", "CR", "LF", "NL", "ZW"))
_LB13_BEFORE = frozenset(("CL", "CP", "EX", "SY"))
_LB20A_BEFORE = frozenset(("BK", "CR", "LF", "NL", "SP", "ZW", "CB", "GL"))
_HANGUL = frozenset(("JL", "JV", "JT", "H2", "H3"))
_ALHL = frozenset(("AL", "HL"))
_AKSCIRCLE = frozenset(("AK", "AS", "DOTTED"))
_NUMERIC_MID = frozenset(("NU", "SY", "IS"))


def break_opportunities(text: str) -> list[bool]:
    """UAX #14 break opportunities before each position of `text` (see module doc)."""
    n = len(text)
    allowed = [False] * (n + 1)
    if n == 0:
        return allowed
    props = [char_props(ch) for ch in text]
    if any(p[0] in ("CM", "ZWJ") for p in props):
        ucls, uea, ugc, upict, ustart, uzwj = _units(text, props)
    else:
        # No combining marks (nearly every paragraph): one unit per character.
        ucls = [_SPLIT_CLASSES.get(ch, p[0]) for ch, p in zip(text, props)]
        uea = [p[1] for p in props]
        ugc = [p[2] for p in props]
        upict = [p[3] for p in props]
        ustart = list(range(n))
        uzwj = [False] * n

    m = len(ucls)

    def base(c: str) -> str:
        return {"DOTTED": "AL", "HH": "BA"}.get(c, c)

    for k in range(1, m):
        a, b = ucls[k - 1], ucls[k]
        if a == "ID" and b == "ID" and not uzwj[k - 1]:
            # Ideograph ÷ ideograph: no rule before LB31 applies (most of a Chinese text).
            allowed[ustart[k]] = True
            continue
        allowed[ustart[k]] = _decide(k, base(a), base(b), ucls, uea, ugc, upict, uzwj, m)
    allowed[n] = True  # LB3
    return allowed


def _units(text: str, props: list[tuple]) -> tuple[list, ...]:
    """Units (LB9): a base character with the combining marks (CM/ZWJ) it carries.
    Per unit: class, East Asian width and general category of the base, extended
    pictographic base, index in text where it starts, ends in ZWJ (LB8a)."""
    ucls: list[str] = []
    uea: list[bool] = []
    ugc: list[str] = []
    upict: list[bool] = []
    ustart: list[int] = []
    uzwj: list[bool] = []
    for i, ch in enumerate(text):
        cls, ea, gc, pict = props[i]
        # Characters that single rules name: U+25CC (LB28a) and the class HH
        # that Unicode 17 split from BA (U+2010 HYPHEN, U+05BE MAQAF; LB20a, LB21a).
        cls_key = _SPLIT_CLASSES.get(ch, cls)
        if cls in ("CM", "ZWJ") and ucls and ucls[-1] not in _NO_ATTACH:
            uzwj[-1] = cls == "ZWJ"
            continue
        if cls in ("CM", "ZWJ"):      # LB10: an unattached mark is alphabetic
            ucls.append("AL"); uea.append(ea); ugc.append(gc); upict.append(False)
            ustart.append(i); uzwj.append(cls == "ZWJ")
            continue
        ucls.append(cls_key); uea.append(ea); ugc.append(gc); upict.append(pict)
        ustart.append(i); uzwj.append(False)
    return ucls, uea, ugc, upict, ustart, uzwj


def _decide(k, a, b, ucls, uea, ugc, upict, uzwj, m) -> bool:  # noqa: C901 - the rules are a list
    # LB4, LB5: hard breaks
    if a == "BK":
        return True
    if a == "CR":
        return b != "LF"
    if a in ("LF", "NL"):
        return True
    # LB6
    if b in _HARD:
        return False
    # LB7
    if b in ("SP", "ZW"):
        return False
    # LB8: ZW SP* ÷
    j = k - 1
    while j >= 0 and ucls[j] == "SP":
        j -= 1
    if j >= 0 and ucls[j] == "ZW":
        return True
    # LB8a: ZWJ ×
    if uzwj[k - 1]:
        return False
    # LB11
    if a == "WJ" or b == "WJ":
        return False
    # LB12, LB12a
    if a == "GL":
        return False
    if b == "GL" and a not in ("SP", "BA", "HY"):
        return False
    # LB13
    if b in _LB13_BEFORE:
        return False
    # LB14: OP SP* ×
    prev = ucls[j] if j >= 0 else None   # the unit before any spaces
    if prev == "OP":
        return False
    # LB15a: (sot|BK|CR|LF|NL|OP|QU|GL|SP|ZW) [QU & Pi] SP* ×
    if prev == "QU" and ugc[j] == "Pi":
        before = ucls[j - 1] if j >= 1 else None
        if before is None or before in _LB15A_BEFORE:
            return False
    # LB15b: × [QU & Pf] (SP|GL|WJ|CL|QU|CP|EX|IS|SY|BK|CR|LF|NL|ZW|eot)
    if b == "QU" and ugc[k] == "Pf":
        after = ucls[k + 1] if k + 1 < m else None
        if after is None or after in _LB15B_AFTER:
            return False
    # LB15c: SP ÷ IS NU
    if a == "SP" and b == "IS" and k + 1 < m and ucls[k + 1] == "NU":
        return True
    # LB15d: × IS
    if b == "IS":
        return False
    # LB16: (CL|CP) SP* × NS
    if prev in ("CL", "CP") and b == "NS":
        return False
    # LB17: B2 SP* × B2
    if prev == "B2" and b == "B2":
        return False
    # LB18
    if a == "SP":
        return True
    # LB19: × [QU - Pi]; [QU - Pf] ×
    if b == "QU" and ugc[k] != "Pi":
        return False
    if a == "QU" and ugc[k - 1] != "Pf":
        return False
    # LB19a: [^EastAsian] × QU; × QU ([^EastAsian]|eot); QU × [^EastAsian]; (sot|[^EastAsian]) QU ×
    if b == "QU":
        if not uea[k - 1]:
            return False
        if k + 1 >= m or not uea[k + 1]:
            return False
    if a == "QU":
        if not uea[k]:
            return False
        if k - 2 < 0 or not uea[k - 2]:
            return False
    # LB20
    if a == "CB" or b == "CB":
        return True
    # LB20a: (sot|BK|CR|LF|NL|SP|ZW|CB|GL) (HY|HH) × (AL|HL)
    if (a == "HY" or ucls[k - 1] == "HH") and b in _ALHL:
        before = ucls[k - 2] if k >= 2 else None
        if before is None or before in _LB20A_BEFORE:
            return False
    # LB21
    if b in ("BA", "HY", "NS") or a == "BB":
        return False
    # LB21a: HL (HY | HH) × [^HL]
    if k >= 2 and ucls[k - 2] == "HL" and (a == "HY" or ucls[k - 1] == "HH") and b != "HL":
        return False
    # LB21b
    if a == "SY" and b == "HL":
        return False
    # LB22
    if b == "IN":
        return False
    # LB23, LB23a
    if (a in _ALHL and b == "NU") or (a == "NU" and b in _ALHL):
        return False
    if a == "PR" and b in ("ID", "EB", "EM"):
        return False
    if a in ("ID", "EB", "EM") and b == "PO":
        return False
    # LB24
    if (a in ("PR", "PO") and b in _ALHL) or (a in _ALHL and b in ("PR", "PO")):
        return False
    # LB25 (the regular-expression form of Unicode 15.1+, with 17's IS × NU)
    if _lb25_no_break(k, ucls, m):
        return False
    # LB26, LB27
    if a == "JL" and b in ("JL", "JV", "H2", "H3"):
        return False
    if a in ("JV", "H2") and b in ("JV", "JT"):
        return False
    if a in ("JT", "H3") and b == "JT":
        return False
    if a in _HANGUL and b == "PO":
        return False
    if a == "PR" and b in _HANGUL:
        return False
    # LB28
    if a in _ALHL and b in _ALHL:
        return False
    # LB28a: Brahmic orthographic syllables
    ra, rb = ucls[k - 1], ucls[k]
    if ra == "AP" and rb in _AKSCIRCLE:
        return False
    if ra in _AKSCIRCLE and rb in ("VF", "VI"):
        return False
    if ra == "VI" and k >= 2 and ucls[k - 2] in _AKSCIRCLE and rb in ("AK", "DOTTED"):
        return False
    if ra in _AKSCIRCLE and rb in _AKSCIRCLE and k + 1 < m and ucls[k + 1] == "VF":
        return False
    # LB29
    if a == "IS" and b in _ALHL:
        return False
    # LB30
    if a in ("AL", "HL", "NU") and b == "OP" and not uea[k]:
        return False
    if a == "CP" and not uea[k - 1] and b in ("AL", "HL", "NU"):
        return False
    # LB30a: regional indicators pair up
    if a == "RI" and b == "RI":
        count = 0
        j = k - 1
        while j >= 0 and ucls[j] == "RI":
            count += 1
            j -= 1
        if count % 2 == 1:
            return False
    # LB30b
    if b == "EM" and (a == "EB" or (upict[k - 1] and ugc[k - 1] == "Cn")):
        return False
    return True  # LB31


def _lb25_no_break(k: int, ucls, m: int) -> bool:
    a, b = ucls[k - 1], ucls[k]
    # (PR|PO) × (OP|HY)? NU
    if a in ("PR", "PO"):
        if b == "NU":
            return True
        if b in ("OP", "HY") and k + 1 < m and ucls[k + 1] == "NU":
            return True
    # (OP|HY|IS) × NU  (IS × NU is new in Unicode 17: ".5", "a.2")
    if a in ("OP", "HY", "IS") and b == "NU":
        return True
    # NU (NU|SY|IS)* × (NU|SY|IS|CL|CP) and NU (NU|SY|IS)* (CL|CP)? × (PO|PR)
    j = k - 1
    if a in ("CL", "CP"):
        j -= 1
    while j >= 0 and ucls[j] in ("SY", "IS"):
        j -= 1
    number_before = j >= 0 and ucls[j] == "NU"
    if number_before:
        if a not in ("CL", "CP") and b in ("NU", "SY", "IS", "CL", "CP"):
            return True
        if b in ("PO", "PR"):
            return True
    return False
