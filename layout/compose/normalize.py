"""Copy normalisation (an option): half-width punctuation among Chinese text
becomes full-width, full-width digits and Latin letters become half-width.
Every change is reported, so the desk sees what the engine touched.

>>> normalize_copy('今天,我们去(北京)开会.增长１５%')
('今天，我们去（北京）开会。增长15%', [(2, ',', '，'), (6, '(', '（'), (9, ')', '）'), (12, '.', '。'), (15, '１', '1'), (16, '５', '5')])
"""

from __future__ import annotations

from .classes import is_han

_TO_FULL = {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！",
            "(": "（", ")": "）"}


def _han_near(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return (bool(before) and is_han(before)) or (bool(after) and is_han(after))


def normalize_copy(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Returns the normalised text and the changes as (index, old, new)."""
    out = list(text)
    changes: list[tuple[int, str, str]] = []
    for i, ch in enumerate(text):
        new = None
        if ch in _TO_FULL and _han_near(text, i):
            # Not a decimal point or thousands separator between digits.
            if ch in ".," and i > 0 and i + 1 < len(text) and text[i - 1].isdigit() \
                    and text[i + 1].isdigit():
                continue
            new = _TO_FULL[ch]
        elif "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ":
            new = chr(ord(ch) - 0xFEE0)
        elif ch == '"' and _han_near(text, i):
            opened = sum(1 for c in out[:i] if c == "“") > sum(1 for c in out[:i] if c == "”")
            new = "”" if opened else "“"
        if new is not None:
            out[i] = new
            changes.append((i, ch, new))
    return "".join(out), changes
