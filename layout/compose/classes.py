"""Character classes of Chinese typesetting, as data (clreq / GB/T 15834).

Each full-width punctuation mark is a 1-em box: half ink, half blank.  Which
half is blank decides how it compresses: opening marks have the blank on the
left (leading), closing and pause/stop marks on the right (trailing) — the
Simplified-Chinese glyph convention the bundled fonts follow.
"""

from __future__ import annotations

PAUSE = frozenset("，、：；")            # 点号 that compress in 开明式
STOP = frozenset("。．？！‼⁇⁈⁉")          # 句末点号
CLOSE = frozenset("”’」』）》〉】〗〕］｝")
OPEN = frozenset("“‘「『（《〈【〖〔［｛")
MIDDLE = frozenset("·・‧")               # 间隔号: half-em, never changes width
CONNECTOR = frozenset("-–～~")            # 连接号
SOLIDUS = frozenset("/／")
DASH = "—"                                 # —— is two of these, set as 2 em
LONG_DASHES = frozenset("⸺⸻")              # the 2-em and 3-em dash as single characters
ELLIPSIS = frozenset("…⋯")                 # …… is two of these
ITERATION = frozenset("々〻ゝゞヽヾ")
SMALL_KANA = frozenset("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶー゠")
POSTFIX_UNITS = frozenset("％%‰℃°′″")
PREFIX_UNITS = frozenset("￥¥＄$€￡£№#")

FULLWIDTH_PUNCT = PAUSE | STOP | CLOSE | OPEN

# Characters a number is not parted from at a line break ("8月", "30多人", "5万元").
NUMBER_UNITS = frozenset("年月日时分秒点元角万亿千百个岁次名号期版届倍度人台辆家户座所项件"
                         "条位周天米克吨里斤升多余") | POSTFIX_UNITS

# 禁则: characters that may not begin or end a line, by level; each level forbids
# at least what the one before it does.  GB/T 15834 forbids the 间隔号 and the
# long dashes at a line start at every level.
NOT_AT_START_BASIC = (PAUSE | STOP | CLOSE | frozenset("!?,.:;)]}%") | POSTFIX_UNITS | MIDDLE
                      | LONG_DASHES)
NOT_AT_START_GB = NOT_AT_START_BASIC | CONNECTOR | SOLIDUS | frozenset(DASH) | ELLIPSIS
NOT_AT_START_STRICT = NOT_AT_START_GB | ITERATION | SMALL_KANA
NOT_AT_END_BASIC = OPEN | frozenset("([{") | PREFIX_UNITS
NOT_AT_END_GB = NOT_AT_END_BASIC | SOLIDUS
NOT_AT_END_STRICT = NOT_AT_END_GB

KINSOKU = {
    "basic": (NOT_AT_START_BASIC, NOT_AT_END_BASIC),
    "gb": (NOT_AT_START_GB, NOT_AT_END_GB),
    "strict": (NOT_AT_START_STRICT, NOT_AT_END_STRICT),
}


def is_han(ch: str) -> bool:
    """Ideographs, kana, hangul, and full-width letters and digits: 1-em, no gap rules."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3FFFF
            or 0xF900 <= o <= 0xFAFF or 0x3040 <= o <= 0x30FF or 0xAC00 <= o <= 0xD7AF
            or 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A
            or ch in "〇々〻□■▲△●○◆◇★☆")


def is_latin(ch: str) -> bool:
    """Letters and digits set in the proportional face (get ¼ em beside Han)."""
    o = ord(ch)
    return ch.isascii() and ch.isalnum() or (0xC0 <= o <= 0x24F and ch.isalpha()) \
        or (0x370 <= o <= 0x4FF and ch.isalpha())


# Vertical presentation forms (竖排): what a mark becomes in a vertical head.
VERTICAL_FORMS = {
    "，": "︐", "、": "︑", "。": "︒", "：": "︓", "；": "︔", "！": "︕", "？": "︖",
    "（": "︵", "）": "︶", "《": "︽", "》": "︾", "〈": "︿", "〉": "﹀",
    "“": "﹁", "”": "﹂", "‘": "﹃", "’": "﹄", "「": "﹁", "」": "﹂", "『": "﹃", "』": "﹄",
    "【": "︻", "】": "︼", "〔": "︹", "〕": "︺", "［": "﹇", "］": "﹈", "｛": "︷", "｝": "︸",
    "—": "︱", "…": "︙", "～": "≀",
}
