"""Paragraph composer: runs of text → justified lines under the Chinese rules.

The model (clreq): every character sits in a box; a full-width mark's box is
half ink, half blank, and the blank is what compresses.  A line is chosen by
fitting characters at their natural widths, then — where the break would be
forbidden (禁则) — by pushing the next character in (compressing blanks) or,
failing that, pushing the last character out (stretching the gaps).  Every
line but the last then fills the measure exactly.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import classes as C
from .linebreak import break_opportunities, char_props
from .text import ComposeSettings, Glyph, Line, Run

# Shrink levels, in the order they are used (jlreq / clreq priorities).
L_SPACE, L_BRACKET, L_PAUSE, L_GAP = 0, 1, 2, 3
N_LEVELS = 4
EPS = 1e-6

AdvanceFn = Callable[[str, str], float]  # (font alias, char) → advance in em


_LATIN, _HAN, _JOINER, _DASH, _ELLIPSIS, _SPECIAL = 1, 2, 4, 8, 16, 32
_NS, _WORD, _UNIT, _CLUSTER, _DIGIT = 64, 128, 256, 512, 1024
_KINDS: dict[str, int] = {}
_QUERY_BANG = frozenset("？！")

# Inner punctuation of a Latin unit: a number, an address, a code ("13.5%",
# "a@b.cn", "GB/T", "10:30").  Justification never adds space inside a unit.
_WORD_PUNCT = frozenset(".,:;/@%‰#&_-+=?!'’()[]~*°℃$€£¥￥")
# Code points that belong to the cluster before them (an emoji's ZWJ sequence,
# variation selectors, skin tones, tags, the keycap): they take no box of their own.
_CLUSTER_MARKS = frozenset("\u200d\ufe0e\ufe0f\u20e3")


def is_cluster_mark(ch: str, before: str) -> bool:
    """`ch` belongs to the cluster of the character before it (ZWJ sequences,
    variation selectors, skin tones, tags, the keycap)."""
    return bool(_kind(ch) & _CLUSTER) or before == "\u200d"


def _kind(ch: str) -> int:
    """What the gap and break rules ask of a character, as bits (looked up once)."""
    kind = _KINDS.get(ch)
    if kind is None:
        o = ord(ch)
        latin = C.is_latin(ch)
        kind = ((_LATIN if latin else 0) | (_HAN if C.is_han(ch) else 0)
                | (_JOINER if ch in C.CONNECTOR or ch in C.SOLIDUS else 0)
                | (_DASH if ch == C.DASH else 0) | (_ELLIPSIS if ch in C.ELLIPSIS else 0)
                | (_SPECIAL if ch in C.FULLWIDTH_PUNCT or ch in C.MIDDLE or ch == C.DASH
                   or ch in C.ELLIPSIS or ch in " \u3000" else 0)
                | (_NS if C.is_han(ch) and char_props(ch)[0] == "NS" else 0)
                | (_WORD if latin or ch in _WORD_PUNCT else 0)
                | (_UNIT if ch in C.NUMBER_UNITS else 0)
                | (_DIGIT if ch.isdigit() else 0)
                | (_CLUSTER if ch in _CLUSTER_MARKS or 0x1F3FB <= o <= 0x1F3FF
                   or 0xE0020 <= o <= 0xE007F else 0))
        _KINDS[ch] = kind
    return kind


class _Prepared:
    """Per-character boxes and their compressible parts, for one paragraph."""

    __slots__ = ("style", "text", "font", "size", "box", "dx", "scale", "lead", "trail",
                 "lead_lv", "trail_lv", "gap", "gap_ok", "allowed", "is_space", "soft", "n")

    def __init__(self, runs: Sequence[Run], advance: AdvanceFn, settings: ComposeSettings):
        text = "".join(r.text for r in runs)
        n = len(text)
        self.text, self.n = text, n
        self.font: list[str] = []
        self.size: list[float] = []
        for r in runs:
            self.font.extend([r.font] * len(r.text))
            self.size.extend([r.size_pt] * len(r.text))
        style = self.style = settings.punctuation
        box = [0.0] * n
        dx = [0.0] * n
        scale = [1.0] * n
        lead = [0.0] * n
        trail = [0.0] * n
        lead_lv = [L_BRACKET] * n
        trail_lv = [L_PAUSE] * n
        gap = [0.0] * n
        is_space = [False] * n
        known = _KINDS
        kinds = [known[ch] if ch in known else _kind(ch) for ch in text]
        sizes = self.size
        # Most characters are neither marks nor spaces: their box is their advance.
        i = 0
        for r in runs:
            font, size = r.font, r.size_pt
            for ch in r.text:
                box[i] = advance(font, ch) * size
                i += 1
        for i in [k for k, kind in enumerate(kinds) if kind & _SPECIAL]:
            ch = text[i]
            size = sizes[i]
            adv = box[i]
            if ch in C.FULLWIDTH_PUNCT:
                box[i] = size
                half = size / 2
                if ch in C.OPEN:
                    lead[i], lead_lv[i] = half, L_BRACKET
                elif ch in C.CLOSE:
                    trail[i], trail_lv[i] = half, L_BRACKET
                elif ch in C.PAUSE:
                    trail[i], trail_lv[i] = half, L_PAUSE
                else:  # STOP: compresses only where the house style says
                    trail[i], trail_lv[i] = half, -1
                if style == "全角式":      # every mark full width, even at line end
                    lead_lv[i] = trail_lv[i] = -1
                # House styles that set marks half width everywhere.
                if style == "半角式" or (style == "开明式" and ch not in C.STOP):
                    box[i] -= lead[i] + trail[i]
                    dx[i] = -lead[i]
                    lead[i] = trail[i] = 0.0
            elif ch in C.MIDDLE:
                box[i] = size / 2
                dx[i] = (box[i] - adv) / 2
            elif ch == C.DASH or ch in C.ELLIPSIS:
                box[i] = size                    # —— and …… are 2 em, each half 1 em
                if adv > 0:
                    scale[i] = size / adv if ch == C.DASH else 1.0
            elif ch == " ":
                box[i] = max(adv, size / 4)
                is_space[i] = True
            elif ch == "\u3000":
                box[i] = size
            else:
                box[i] = adv
        if any(k & _CLUSTER for k in kinds):
            # An emoji sequence is one cluster, drawn (or missed) as one: the marks
            # and the characters a ZWJ joins take no box of their own.
            for i in range(1, n):
                if kinds[i] & _CLUSTER or text[i - 1] == "\u200d":
                    box[i] = 0.0
        # Pair compression (标点挤压): two adjacent marks take 1.5 em, not 2.
        if style != "全角式":
            for i in range(n - 1):
                a, b = text[i], text[i + 1]
                if a in _QUERY_BANG and b in _QUERY_BANG:
                    # ？！ together fill one character space (GB/T 15834 §5.1.4).
                    box[i] -= trail[i]
                    box[i + 1] -= trail[i + 1]
                    trail[i] = trail[i + 1] = 0.0
                elif a in C.FULLWIDTH_PUNCT and b in C.FULLWIDTH_PUNCT:
                    if trail[i] > 0:
                        box[i] -= trail[i]
                        trail[i] = 0.0
                    elif lead[i + 1] > 0:
                        box[i + 1] -= lead[i + 1]
                        dx[i + 1] -= lead[i + 1]
                        lead[i + 1] = 0.0
        # CJK–Latin gap (¼ em) and where stretching may go: only pairs with a Latin
        # character, a connector, dash, ellipsis or space need a look.
        gap_ok = [True] * n
        plain = _HAN | _NS
        for i in [k for k in range(n - 1)
                  if (kinds[k] | kinds[k + 1]) & ~plain or is_space[k] or is_space[k + 1]]:
            ka, kb = kinds[i], kinds[i + 1]
            if (ka & _LATIN and kb & _HAN) or (ka & _HAN and kb & _LATIN):
                gap[i] = self.size[i] / 4
            if ka & kb & _WORD:
                gap_ok[i] = False             # inside a word, number or address
            elif (ka | kb) & _JOINER:
                gap_ok[i] = False
            elif ka & kb & (_DASH | _ELLIPSIS):
                gap_ok[i] = False             # —— and ……
            elif is_space[i] or is_space[i + 1]:
                gap_ok[i] = False             # spaces stretch on their own
        gap_ok[n - 1:] = [False] * (1 if n else 0)
        # Break opportunities: UAX #14, then the stricter Chinese tailoring.
        allowed = break_opportunities(text)
        no_start, no_end = C.KINSOKU[settings.kinsoku]
        soft: set[int] = set()
        for i in range(1, n):
            ka, kb = kinds[i - 1], kinds[i]
            if text[i] in no_start or text[i - 1] in no_end:
                allowed[i] = False
            elif ka & _DIGIT and kb & _UNIT:
                allowed[i] = False            # "8月", "5万元": a number keeps its unit,
                soft.add(i)                   # unless the line would gape
            elif ka & kb & _HAN and not kb & _NS:
                allowed[i] = True             # ideographs (UAX #14 keeps kana marks, NS)
        self.box, self.dx, self.scale = box, dx, scale
        self.lead, self.trail, self.lead_lv, self.trail_lv = lead, trail, lead_lv, trail_lv
        self.gap, self.gap_ok, self.allowed, self.is_space = gap, gap_ok, allowed, is_space
        self.soft = soft

    # -- line measurements --------------------------------------------------
    def natural(self, s: int, e: int) -> float:
        """Natural width of text[s:e] as a line: line-end marks half width."""
        w = sum(self.box[s:e]) + sum(self.gap[s:e - 1])
        return w - self.end_trim(e)

    def end_trim(self, e: int) -> float:
        """What a line ending at e loses: the last mark's trailing blank (GB/T 15834 §5.1.10)."""
        i = e - 1
        if i < 0:
            return 0.0
        if self.is_space[i]:
            return self.box[i]
        if self.style == "全角式":       # marks keep their full width at line end too
            return 0.0
        return self.trail[i]

    def shrinkable(self, s: int, e: int) -> list[float]:
        levels = [0.0] * N_LEVELS
        for i in range(s, e):
            if self.is_space[i] and i != e - 1:
                levels[L_SPACE] += max(0.0, self.box[i] - self.size[i] / 4)
            if self.lead[i] > 0 and self.lead_lv[i] >= 0:
                levels[self.lead_lv[i]] += self.lead[i]
            if self.trail[i] > 0 and i != e - 1 and self.trail_lv[i] >= 0:
                levels[self.trail_lv[i]] += self.trail[i]
            if i != e - 1 and self.gap[i] > 0:
                levels[L_GAP] += self.gap[i] / 2
        return levels


def compose_paragraph(runs: Sequence[Run], advance: AdvanceFn,
                      settings: ComposeSettings, first_indent: bool = True) -> tuple[Line, ...]:
    """Break and justify one paragraph.  Returns its lines, in order."""
    prep = _Prepared(runs, advance, settings)
    n = prep.n
    if n == 0:
        return ()
    indent = settings.indent_em * settings.em_pt if first_indent else 0.0
    # The indent never takes the whole measure: a first line keeps at least one em.
    indent = max(0.0, min(indent, settings.measure_pt - settings.em_pt))
    breaks = _break(prep, settings, indent)
    if settings.widow_fix and len(breaks) >= 2:
        breaks = _fix_widow(prep, settings, indent, breaks)
    lines = []
    for k, (s, e, forced) in enumerate(breaks):
        last = k == len(breaks) - 1
        line_indent = (indent if k == 0 else 0.0) + _inset(settings, k)
        lines.append(_set_line(prep, settings, s, e, last, forced, line_indent,
                               _right_inset(settings, k)))
    return tuple(lines)


def _inset(settings: ComposeSettings, k: int) -> float:
    """Line k's left inset (beside a drop cap, a verse line's hang)."""
    insets = settings.insets
    return insets[min(k, len(insets) - 1)] if insets else 0.0


def _right_inset(settings: ComposeSettings, k: int) -> float:
    """Line k's right inset (beside a photo the text runs round)."""
    insets = settings.right_insets
    return insets[min(k, len(insets) - 1)] if insets else 0.0


def _break(prep: _Prepared, settings: ComposeSettings, indent: float,
           start: int = 0, first_line: int = 0, limits: dict | None = None):
    n = prep.n
    out = []
    s = start
    k = first_line
    while s < n:
        measure = settings.measure_pt - (indent if k == 0 else 0.0) - _inset(settings, k) \
            - _right_inset(settings, k)
        limit = (limits or {}).get(k)
        e, forced = _choose_break(prep, settings, s, measure, limit)
        out.append((s, e, forced))
        s = e
        k += 1
    return out


def _choose_break(prep: _Prepared, settings: ComposeSettings, s: int, measure: float,
                  limit: int | None) -> tuple[int, bool]:
    n = prep.n
    allowed = prep.allowed
    # Longest natural fit.
    e_nat = s
    width = 0.0
    for i in range(s, n):
        width += prep.box[i] + (prep.gap[i - 1] if i > s else 0.0)
        if width - prep.end_trim(i + 1) > measure + EPS:
            break
        e_nat = i + 1
    if limit is not None:
        e_nat = min(e_nat, limit)
    if e_nat >= n and limit is None:
        return n, False
    if e_nat > s and allowed[e_nat]:
        return e_nat, False
    # Push-in: the next legal break, if compressing blanks makes it fit.
    if limit is None:
        e = e_nat + 1
        while e <= n and e - e_nat <= 3:
            if allowed[e]:
                need = prep.natural(s, e) - measure
                if need <= sum(prep.shrinkable(s, e)) + EPS:
                    return e, False
                if settings.hanging and e - e_nat == 1 and prep.text[e - 1] in (C.PAUSE | C.STOP):
                    return e, False
                break
            e += 1
    # Push-out: the last legal break before the natural fit.
    e = e_nat - 1 if e_nat > s else e_nat
    while e > s:
        if allowed[e]:
            if limit is None and _too_loose(prep, settings, s, e, measure):
                # The line would gape: part a number from its unit, an address at its
                # punctuation, or a long word with a hyphen, rather than set it loose.
                better = _second_choice(prep, e, e_nat, s, measure)
                if better:
                    return better
            return e, False
        e -= 1
    # Nothing legal (one long unbreakable run): break by force rather than overflow,
    # never inside —— or …… and, in a word, with a hyphen.
    e = max(e_nat, s + 1)
    text = prep.text
    if e - 1 > s and e < prep.n and text[e - 1] == text[e] and \
            (text[e] == C.DASH or text[e] in C.ELLIPSIS):
        run = e - 1
        while run > 0 and text[run - 1] == text[e]:
            run -= 1
        if (e - run) % 2:          # the break would part a pair: take its first half over
            e -= 1
    if e < prep.n and _splits_word(prep, e):
        e = _address_break(prep, s, e) or _hyphen_break(prep, s, e, s, measure) or e
    return e, True


def _second_choice(prep: _Prepared, after: int, fit_to: int, s: int,
                   measure: float) -> tuple[int, bool] | None:
    """A break in (after, fit_to] for a line that would otherwise gape: between a
    number and its unit (a soft rule), at an address's punctuation (no hyphen:
    it would change the address), or inside a long word, hyphenated."""
    for e in range(fit_to, after, -1):
        if e in prep.soft:
            return e, False
    split = _address_break(prep, after, fit_to)
    if split:
        return split, False          # where addresses are divided in print: not forced
    split = _hyphen_break(prep, after, fit_to, s, measure)
    return (split, True) if split else None


_ADDRESS_MARKS = frozenset("./@:?&=#_-")


def _address_break(prep: _Prepared, after: int, fit_to: int) -> int | None:
    """The furthest break in (after, fit_to] inside a web or mail address: after a
    "/" or "@", or before a ".", as addresses are divided in print."""
    text = prep.text
    for e in range(fit_to, after, -1):
        if not (0 < e < prep.n and _kind(text[e - 1]) & _kind(text[e]) & _WORD):
            continue
        if (text[e - 1] in "/@" or text[e] == ".") and _in_address(prep, e):
            return e
    return None


def _in_address(prep: _Prepared, e: int) -> bool:
    """The Latin unit around e is an address (it holds "@", "//", or a dotted name)."""
    text, a, b = prep.text, e, e
    while a > 0 and _kind(text[a - 1]) & _WORD:
        a -= 1
    while b < prep.n and _kind(text[b]) & _WORD:
        b += 1
    unit = text[a:b]
    return "@" in unit or "//" in unit or unit.count(".") >= 2 or unit.startswith("www.")


def _splits_word(prep: _Prepared, e: int) -> bool:
    """A break before e would part two letters of a word."""
    return 0 < e < prep.n and prep.text[e - 1].isalpha() and prep.text[e].isalpha() \
        and bool(_kind(prep.text[e - 1]) & _kind(prep.text[e]) & _LATIN)


def _hyphen_width(prep: _Prepared, i: int) -> float:
    return prep.size[i] / 3


def _hyphen_break(prep: _Prepared, word_from: int, fit_to: int, s: int,
                  measure: float) -> int | None:
    """The furthest break between `word_from` and `fit_to` inside a Latin word that
    leaves two letters on each side and room for the hyphen."""
    for e in range(fit_to, word_from + 1, -1):
        if not (_splits_word(prep, e) and _splits_word(prep, e - 1)
                and e + 1 < prep.n and _splits_word(prep, e + 1)) or _in_address(prep, e):
            continue
        if prep.natural(s, e) + _hyphen_width(prep, e - 1) <= measure + EPS:
            return e
    return None


def _too_loose(prep: _Prepared, settings: ComposeSettings, s: int, e: int,
               measure: float) -> bool:
    """Setting text[s:e] on a full line would stretch its gaps past the house limit."""
    slots = sum(1 for i in range(s, e - 1) if prep.gap_ok[i])
    room = measure - prep.natural(s, e)
    return room > EPS and (slots == 0 or room / slots > settings.loose_em * settings.em_pt)


def _fix_widow(prep, settings, indent, breaks):
    """孤字: a last line of one character (or one plus punctuation) pulls one down."""
    s_last, e_last, _ = breaks[-1]
    body = [ch for ch in prep.text[s_last:e_last] if not _is_punct(ch)]
    if len(body) > 1:
        return breaks
    k = len(breaks) - 2
    s_prev, e_prev, _ = breaks[k]
    for limit in range(e_prev - 1, s_prev + 1, -1):
        if not prep.allowed[limit]:
            continue
        trial = breaks[:k] + _break(prep, settings, indent, s_prev, k, {k: limit})
        tail_s, tail_e, _ = trial[-1]
        if len(trial) == len(breaks) and \
                len([ch for ch in prep.text[tail_s:tail_e] if not _is_punct(ch)]) > 1:
            return trial
        break
    return breaks


def _is_punct(ch: str) -> bool:
    """Marks of any width (copy from OCR ends "…第二版)"): not characters for 孤字."""
    return ch in C.FULLWIDTH_PUNCT or ch in C.MIDDLE or ch in ",.;:!?)]}>\"'" \
        or ch == C.DASH or ch in C.ELLIPSIS or ch in C.LONG_DASHES


def _set_line(prep: _Prepared, settings: ComposeSettings, s: int, e: int, last: bool,
              forced: bool, indent: float, right: float = 0.0) -> Line:
    measure = settings.measure_pt - indent - right
    if forced and not last and _splits_word(prep, e):
        measure -= _hyphen_width(prep, e - 1)      # the hyphen's room
    n_chars = e - s
    slots: list[int] = []
    share = room = 0.0
    lead_rm = [0.0] * n_chars
    trail_rm = [0.0] * n_chars
    gap = [prep.gap[i] if i < e - 1 else 0.0 for i in range(s, e)]
    extra = [0.0] * n_chars          # stretch added after each character
    # Line end: the last mark's trailing blank goes (and a trailing space).
    trail_rm[-1] = prep.end_trim(e)
    natural = prep.natural(s, e)
    delta = measure - natural
    justify = settings.align == "justify"
    justified = False
    if delta < -EPS:
        # Compress, level by level, sharing each level's demand in proportion.
        need = -delta
        for level in range(N_LEVELS):
            if need <= EPS:
                break
            items = []
            for j, i in enumerate(range(s, e)):
                if level == L_SPACE and prep.is_space[i] and i != e - 1:
                    items.append(("space", j, max(0.0, prep.box[i] - prep.size[i] / 4)))
                if prep.lead[i] > 0 and prep.lead_lv[i] == level and level >= 0:
                    items.append(("lead", j, prep.lead[i]))
                if prep.trail[i] > 0 and prep.trail_lv[i] == level and i != e - 1:
                    items.append(("trail", j, prep.trail[i]))
                if level == L_GAP and gap[j] > 0:
                    items.append(("gap", j, gap[j] / 2))
            total = sum(x[2] for x in items)
            if total <= EPS:
                continue
            take = min(need, total)
            for kind, j, amount in items:
                cut = amount * take / total
                if kind in ("lead",):
                    lead_rm[j] += cut
                elif kind in ("trail", "space"):
                    trail_rm[j] += cut
                else:
                    gap[j] -= cut
            need -= take
        justified = need <= 1e-3
    elif delta > EPS and not last and justify:
        room = delta
        # Latin word spaces up to ½ em, then CJK–Latin gaps up to ½ em.
        for j, i in enumerate(range(s, e - 1)):
            if room <= EPS:
                break
            if prep.is_space[i]:
                add = min(room, max(0.0, prep.size[i] / 2 - prep.box[i]))
                extra[j] += add
                room -= add
        for j in range(n_chars - 1):
            if room <= EPS:
                break
            if gap[j] > 0:
                add = min(room, prep.size[s + j] / 4)
                extra[j] += add
                room -= add
        # Then equally over every gap where stretching is allowed.
        slots = [j for j in range(n_chars - 1) if prep.gap_ok[s + j]]
        share = 0.0
        if room > EPS and slots:
            share = room / len(slots)
            for j in slots:
                extra[j] += share
            room = 0.0
        justified = room <= 1e-3
    else:
        justified = abs(delta) <= 1e-3
    hyphen = forced and not last and _splits_word(prep, e)
    stretch_em = 0.0
    if justify and not last and delta > EPS:
        stretch_em = (share if slots else room) / settings.em_pt
    # Positions.
    offset = 0.0
    if settings.align == "center":
        offset = max(0.0, delta) / 2
    elif settings.align == "right":
        offset = max(0.0, delta)
    glyphs = []
    x = indent + offset
    for j, i in enumerate(range(s, e)):
        box_x = x - lead_rm[j]
        glyphs.append(Glyph(prep.text[i], prep.font[i], prep.size[i],
                            box_x + prep.dx[i], prep.scale[i]))
        x += prep.box[i] - lead_rm[j] - trail_rm[j] + gap[j] + extra[j]
    if hyphen:
        glyphs.append(Glyph("-", prep.font[e - 1], prep.size[e - 1], x, 1.0))
        x += _hyphen_width(prep, e - 1)
    return Line(tuple(glyphs), s, e, settings.measure_pt,
                x, justified and not last, last, forced, indent, stretch_em)
