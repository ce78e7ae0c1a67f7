"""Data the composer returns: lines of positioned glyphs (no pages, no PDF)."""

from __future__ import annotations

from typing import NamedTuple


class Run(NamedTuple):
    """Input: a stretch of text in one font and size."""

    text: str
    font: str          # font alias (song, hei, kai …)
    size_pt: float


class Glyph(NamedTuple):
    """One character placed on a line; x is from the line's left edge.

    A named tuple, not a dataclass: an edition makes one per character
    (50,000+), and a tuple is built in half the time.
    """

    ch: str
    font: str
    size_pt: float
    x_pt: float
    scale_x: float = 1.0   # horizontal scale (a dash drawn to fill its em)


class Line(NamedTuple):
    """One typeset line.  `start`/`end` index the paragraph text it holds."""

    glyphs: tuple[Glyph, ...]
    start: int
    end: int
    measure_pt: float
    width_pt: float          # where the last glyph box ends
    justified: bool          # fills the measure exactly
    last: bool               # a paragraph's last line (set solid)
    forced: bool = False     # no legal break was found; broken by force
    indent_pt: float = 0.0
    stretch_em: float = 0.0  # space justification added to each stretchable gap (em);
                             # over the house limit the line reads loose

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)


class ComposeSettings(NamedTuple):
    measure_pt: float
    em_pt: float                         # the body em (size of the main font)
    indent_em: float = 2.0               # first-line indent
    punctuation: str = "行末半角式"        # house style of punctuation width
    kinsoku: str = "strict"              # 禁则 level: strict, basic, gb
    hanging: bool = False                # hang one pause/stop mark past the measure
    align: str = "justify"               # justify, left, center, right
    widow_fix: bool = True               # no one-character last line (孤字)
    loose_em: float = 0.25               # stretch per gap past which a line reads loose
    insets: tuple[float, ...] = ()       # left inset of line k (pt): insets[min(k, last)];
                                         # (w, w, 0): a 2-line drop cap; (0, em): a hang
    right_insets: tuple[float, ...] = ()   # right inset of line k (pt), the same way
