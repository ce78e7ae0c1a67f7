"""The small elements inside a story's body: a drop cap (首字下沉), verse set line
by line, and an editor's note (编者按 / 编后 / 短评) in its own face and frame.

Each turns copy into flow lines like any paragraph (same composer, same grid);
what must be drawn beside the lines — the cap, the note's frame — is made once
the flow has put the lines on the page.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ..compose.text import Glyph, Line, Run
from ..errors import BroadsheetError
from ..spec.model import DropCap, EditorNote
from .result import RectItem, TextLine
from .typesetter import Typesetter

VERSE_MARK = "|"          # a copy line "| …" is a verse line; "|" alone, a stanza break
VERSE_INDENT_EM = 2.0     # a verse line starts two characters in
VERSE_HANG_EM = 3.0       # and a line too long for the column goes on one further in
NOTE_PAD_EM = 0.5         # the note's text stands this far inside its frame
CAP_GAP_EM = 0.3          # at least this much blank between the cap and the text


class Decorations(NamedTuple):
    """What is drawn beside a story's lines once they are placed, by the id of the
    line it belongs to: drop caps, and the note each note line is part of."""

    caps: dict
    notes: dict


class Cap(NamedTuple):
    """A drop cap, to be drawn beside the first line of its paragraph."""

    line: Line                # the cap's one glyph, set as a line
    dx_pt: float              # from the paragraph line's left edge
    dy_pt: float              # from the first line's baseline (down)
    color: str


def drop_cap_paragraph(cap: DropCap, runs: list[Run], ts: Typesetter, measure_pt: float,
                       pitch_pt: float, place) -> tuple[Cap, tuple[Line, ...], tuple]:
    """The paragraph with its first character taken out and drawn `cap.lines` lines
    deep; the lines beside it are inset by whole characters.  Returns the cap,
    the paragraph's lines and the characters that needed another font."""
    body = ts.body_size_pt
    first = runs[0]
    ch, rest = first.text[0], first.text[1:]
    # From the top of the first line's em box to the bottom of the last one's.
    size = (cap.lines - 1) * pitch_pt + body
    font = cap.font or "song-black"
    inset = math.ceil((size + CAP_GAP_EM * body) / body) * body
    runs = ([Run(rest, first.font, first.size_pt)] if rest else []) + list(runs[1:])
    paragraph = ts.paragraph(runs, measure_pt, indent_em=0.0,
                             insets=(inset,) * cap.lines + (0.0,))
    if len(paragraph.lines) < cap.lines:
        raise BroadsheetError(f"the drop cap is {cap.lines} lines deep, its paragraph "
                              f"{len(paragraph.lines)}: give it lines: "
                              f"{max(2, len(paragraph.lines))} or a longer first paragraph",
                              place)
    glyph = ts.block(ch, font, size, size * 2, "left")
    drop = (cap.lines - 1) * pitch_pt + 0.12 * body - 0.12 * size
    line = glyph.lines[0] if glyph.lines else Line((Glyph(ch, font, size, 0.0),), 0, 1,
                                                   size, size, False, True)
    return Cap(line, 0.0, drop, cap.color or "K"), paragraph.lines, glyph.notes


def cap_items(text_line: TextLine, cap: Cap) -> TextLine:
    """The cap, placed from its paragraph's first line where the flow put it."""
    return TextLine(cap.line, text_line.x_pt + cap.dx_pt, text_line.baseline_pt + cap.dy_pt,
                    "drop-cap", text_line.story, text_line.frame, text_line.column,
                    text_line.grid_line, cap.color)


def verse_line(text: str, ts: Typesetter, measure_pt: float):
    """One line of verse: flush left, never justified, a long one hung below itself."""
    size = ts.body_size_pt
    return ts.paragraph([Run(text, ts.style.body_font, size)], measure_pt,
                        indent_em=VERSE_INDENT_EM, align="left", widow_fix=False,
                        insets=(0.0, VERSE_HANG_EM * size))


def note_paragraphs(note: EditorNote, ts: Typesetter, measure_pt: float) -> list:
    """The note's paragraphs in its face, the first opening with its label in bold
    (【编者按】…; no label, no brackets), the others indented two characters."""
    size = ts.body_size_pt
    pad = NOTE_PAD_EM * size
    out = []
    for k, text in enumerate(t.strip() for t in note.text.splitlines() if t.strip()):
        runs = [Run(text, note.font, size)]
        if k == 0 and note.label:
            runs.insert(0, Run(f"【{note.label}】", ts.bold(note.font), size))
        out.append(ts.paragraph(runs, measure_pt - pad, indent_em=0.0 if k == 0 else 2.0,
                                insets=(pad,)))
    return out


def note_panels(items: list, notes: dict[int, EditorNote], grid) -> list[RectItem]:
    """A frame or tint behind each column's run of note lines (`notes`: the note of
    each note line, by the line's id)."""
    runs: dict[tuple, list[TextLine]] = {}
    for item in items:
        if isinstance(item, TextLine) and item.role == "note":
            runs.setdefault((item.column, id(notes[id(item.line)])), []).append(item)
    out = []
    for (column, _), lines in runs.items():
        note = notes[id(lines[0].line)]
        first = min(item.grid_line for item in lines)
        last = max(item.grid_line for item in lines)
        x = grid.col_x(column)
        out.append(RectItem(x, grid.line_top(first), grid.col_w_pt,
                            (last - first + 1) * grid.pitch_pt, fill=note.tint,
                            stroke="K100" if note.frame else None, stroke_pt=0.5,
                            role="note"))
    return out
