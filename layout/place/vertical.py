"""竖排: a story set vertically — lines run top to bottom, lines follow right to
left, in one or more bands (栏) down the box; the deck stands at the right.

Lines are composed by the same composer as horizontal text (禁则, 标点挤压),
to the band's height: an ideograph or a full-width mark takes one em down the
line as it takes one across.  Each line is then turned: ideographs and marks
stand upright in the face's vertical forms (a comma in the upper right of its
cell, brackets turned), Latin words and long numbers run turned 90° clockwise,
and a number of one or two digits (style: upright_digits) stands upright side
by side in one cell (纵中横).
"""

from __future__ import annotations

from typing import NamedTuple

from ..compose.text import Glyph, Line
from ..fonts.vertical import VERTICAL_SUFFIX
from .article import FlowLine
from .result import PageGrid, TextLine

BAND_GAP_EM = 2.0          # blank between two bands, in body characters
TURNED = set("—–―～~-")    # dashes and the wave dash lie along the line: turned too
ASCENT = 0.88              # of the em box above the baseline (the bundled faces)


class Band(NamedTuple):
    """One band of a vertical story: its top, its length down the page (whole
    characters) and the x of its lines' centres, right to left."""

    top_pt: float
    measure_pt: float
    centres: tuple[float, ...]


def bands(grid: PageGrid, left_pt: float, right_pt: float, top_pt: float, bottom_pt: float,
          tiers: int) -> list[Band]:
    """The story's bands: the height shared by `tiers`, each a whole number of
    characters long; as many lines as the width holds, one pitch apart."""
    em = grid.body_size_pt
    gap = BAND_GAP_EM * em if tiers > 1 else 0.0
    height = (bottom_pt - top_pt - gap * (tiers - 1)) / tiers
    # half an em to spare: a mark compressed at a line's foot keeps its whole cell
    chars = int((height - em / 2) / em + 1e-6)
    n_lines = int((right_pt - left_pt - em) / grid.pitch_pt + 1e-6) + 1 \
        if right_pt - left_pt >= em else 0
    centres = tuple(right_pt - em / 2 - k * grid.pitch_pt for k in range(n_lines))
    return [Band(top_pt + t * (height + gap), chars * em, centres) for t in range(tiers)]


class VerticalFlow(NamedTuple):
    items: tuple
    capacity: int              # line places in all bands
    used: int                  # places holding a line (blank ones too)
    overset: list[FlowLine]    # what did not fit, in order


def flow_vertical(lines: list[FlowLine], story_bands: list[Band], story: str,
                  jump: Line | None = None, upright_digits: int = 2) -> VerticalFlow:
    """The lines into the bands' places, band by band, right to left.  With `jump`
    (（下转第X版）), text that does not fit leaves the last place to it."""
    places = [(band, x) for band in story_bands for x in band.centres]
    flowed = _fill(lines, places, story, upright_digits)
    if jump is None or not flowed.overset or not places:
        return flowed
    band, x = places[-1]
    flowed = _fill(lines, places[:-1], story, upright_digits)
    foot = max(g.x_pt + g.size_pt for g in jump.glyphs) if jump.glyphs else 0.0
    jump_items = turned_line(jump, x, band.top_pt + band.measure_pt - foot, "jump-vertical",
                             story, upright_digits)
    return VerticalFlow((*flowed.items, *jump_items), len(places), flowed.used + 1,
                        flowed.overset)


def _fill(lines: list[FlowLine], places: list[tuple[Band, float]], story: str,
          upright_digits: int) -> VerticalFlow:
    items: list = []
    k = used = pos = 0
    while pos < len(lines) and k < len(places):
        fl = lines[pos]
        band, x = places[k]
        if fl.role == "blank" and x == band.centres[0]:   # no blank line opens a band
            pos += 1
            continue
        if fl.line is not None:
            items.extend(turned_line(fl.line, x, band.top_pt, f"{fl.role}-vertical", story,
                                     upright_digits))
        used += 1
        k += 1
        pos += 1
    return VerticalFlow(tuple(items), len(places), used, lines[pos:])


def _latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def turned_line(line: Line, centre_x: float, top: float, role: str, story: str,
                upright_digits: int = 2) -> list:
    """A composed line stood on end at `centre_x` from `top`: one item per upright
    character, one per turned run, one per 纵中横 number."""
    glyphs = line.glyphs
    runs: list[tuple[str, int, int]] = []       # (kind, first, end)
    k = 0
    while k < len(glyphs):
        ch = glyphs[k].ch
        if _latin(ch):
            e = k
            while e < len(glyphs) and _latin(glyphs[e].ch):
                e += 1
            text = "".join(g.ch for g in glyphs[k:e])
            runs.append(("tcy" if text.isdigit() and len(text) <= upright_digits else "turned",
                         k, e))
            k = e
        else:
            runs.append(("turned" if ch in TURNED else "upright", k, k + 1))
            k += 1
    # A 纵中横 number takes one em down the line, whatever its width across: the
    # positions after it move, and the line is scaled back to its length.
    em = max((g.size_pt for g in glyphs), default=0.0)
    shift = 0.0
    starts = []
    for kind, s, e in runs:
        starts.append(glyphs[s].x_pt + shift)
        if kind == "tcy":
            width = _end(line, e) - glyphs[s].x_pt
            shift += em - width
    length = line.width_pt
    scale = length / (length + shift) if shift and length + shift > 0 else 1.0
    out: list = []
    for (kind, s, e), start in zip(runs, starts):
        y = top + start * scale
        part = glyphs[s:e]
        size = part[0].size_pt
        if kind == "upright":
            g = part[0]
            glyph = Line((Glyph(g.ch, g.font + VERTICAL_SUFFIX, size, 0.0),), 0, 1, size, size,
                         False, True)
            out.append(TextLine(glyph, centre_x - size / 2, y + ASCENT * size, role, story))
        elif kind == "tcy":
            width = _end(line, e) - part[0].x_pt
            squeeze = min(1.0, em / width) if width else 1.0
            run = tuple(Glyph(g.ch, g.font, g.size_pt, (g.x_pt - part[0].x_pt) * squeeze,
                              g.scale_x * squeeze) for g in part)
            out.append(TextLine(Line(run, 0, len(run), width * squeeze, width * squeeze,
                                     False, True),
                                centre_x - width * squeeze / 2, y + ASCENT * size, role, story))
        else:
            run = tuple(g._replace(x_pt=g.x_pt - part[0].x_pt) for g in part)
            width = _end(line, e) - part[0].x_pt
            # turned clockwise: the glyphs' tops face right; centred on the line
            out.append(TextLine(Line(run, 0, len(run), width, width, False, True),
                                centre_x - (ASCENT - 0.5) * size, y, role, story,
                                turned=True))
    return out


def _end(line: Line, e: int) -> float:
    """Where glyph e starts (the line's end after its last glyph)."""
    return line.glyphs[e].x_pt if e < len(line.glyphs) else line.width_pt
