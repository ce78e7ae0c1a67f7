"""Articles: headline deck, photos and body text flowing through a chain of frames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..compose.classes import VERTICAL_FORMS
from ..compose.normalize import normalize_copy
from ..compose.text import Glyph, Line, Run
from ..findings import Finding
from ..spec.model import Article, Box, TextStyle
from ..units import type_size_pt
from .elements import (
    VERSE_MARK,
    Decorations,
    drop_cap_paragraph,
    note_paragraphs,
    verse_line,
)
from .findings import char_findings
from .result import ImageItem, PageGrid, TextLine
from .typesetter import CharNote, Typesetter, lines_for

# Deck defaults: the font of kicker 引题, headline 主题 and subtitle 副题, and their
# sizes by the columns the deck spans (from that width up): a lead across the page
# is set larger than a one-column brief.  style: deck_sizes overrides a row.
DECK_FONTS = {"kicker": "hei", "headline": "song-black", "subtitle": "hei"}
DECK_SIZES = {
    1: {"kicker": "小四", "headline": "小二", "subtitle": "小四"},
    2: {"kicker": "四号", "headline": "二号", "subtitle": "小三"},
    3: {"kicker": "四号", "headline": "一号", "subtitle": "小三"},
    5: {"kicker": "小三", "headline": "小初", "subtitle": "三号"},
    7: {"kicker": "三号", "headline": "初号", "subtitle": "小二"},
}
MIN_LINES_UNDER_PHOTO = 3   # text under a photo sized by the flow: three lines or none
CAPTION_SIZE = "六号"


class FlowLine(NamedTuple):
    """A line of a story's body, ready to flow into its frames."""

    line: Line | None         # None: a blank line (space before a subhead)
    role: str                 # body, byline, subhead, blank
    chars: int = 0            # body characters the line carries
    keep_with_next: bool = False
    full: bool = False        # set to the column's full measure: never beside a wrapped photo
    source: int = -1          # the copy line it comes from (-1: byline, notes)
    offset: int = 0           # where in that copy line (its text, stripped) it starts


class Segment(NamedTuple):
    """A run of body lines in one page column: where flowing text may go."""

    col: int
    first_line: int
    n_lines: int


@dataclass(frozen=True)
class FramePlan:
    """One frame of a story's chain, prepared for flowing."""

    page: int
    box: Box
    segments: tuple[Segment, ...]
    items: tuple = ()          # deck, photos, jump head …
    insets: tuple = ()         # ((column, grid line), (left, right)) beside a wrapped photo
    zones: tuple = ()          # the wrapped photos' stand-off areas (WrapZone)


def resolve_box(box: Box, grid: PageGrid) -> tuple[int, int, int, int]:
    """(col, cols, line, lines) with defaults filled and clipped to the grid."""
    cols = box.cols if box.cols is not None else grid.columns - box.col + 1
    lines = box.lines if box.lines is not None else grid.lines - box.line + 1
    return box.col, cols, box.line, lines


class DeckLine(NamedTuple):
    """One element of a headline deck, with the house defaults filled in."""

    text: str
    font: str
    size_pt: float
    align: str
    color: str


def deck_size(kind: str, cols: int, ts: Typesetter) -> float:
    """The default size of a deck element spanning `cols` columns (points)."""
    width = max(k for k in DECK_SIZES if k <= max(1, cols))
    size = DECK_SIZES[width][kind]
    own_sizes = {int(k): v for k, v in ts.style.deck_sizes.items()}   # keys checked at load
    chosen = max((k for k in own_sizes if k <= cols), default=None)
    if chosen is not None:
        own = getattr(own_sizes[chosen], kind)
        if own is not None:
            return own
    return type_size_pt(size, ts.style.size_table)


def deck_element(value: str | TextStyle, kind: str, ts: Typesetter, cols: int) -> DeckLine:
    font, size = DECK_FONTS[kind], deck_size(kind, cols, ts)
    if isinstance(value, str):
        return DeckLine(value, font, size, "center", "K")
    return DeckLine(value.text or "", value.font or font, value.size_pt or size,
                    value.align or "center", value.color or "K")


def _fits_width(value) -> bool:
    return isinstance(value, TextStyle) and value.fit


def place_deck(article: Article, grid: PageGrid, ts: Typesetter, col: int, cols: int,
               line: int) -> tuple[list, int, list[Finding]]:
    """The headline group at the top of the box; returns items, body lines taken
    and findings."""
    head_cols = min(article.head_cols or cols, cols)
    width = grid.span_w(head_cols)
    x = grid.col_x(col)
    y = grid.line_top(line) + 0.35 * grid.pitch_pt
    items: list = []
    findings: list[Finding] = []
    for path, value in article.deck():
        kind = path[0]
        text, font, size, align, color = deck_element(value, kind, ts, head_cols)
        if _fits_width(value):
            # The desk asked for a head that fills its width: scale the longest line.
            longest = max((ts.natural_width(t.strip(), font, size) for t in text.split("\n")
                           if t.strip()), default=0.0)
            if longest > 0:
                size = size * width / longest * 0.999
        head = ts.head(text, font, size, width, align)
        findings.extend(char_findings(head.notes, story=article.id, element=kind))
        for composed in head.lines:
            leading = size * (1.18 if kind == "headline" else 1.3)
            baseline = y + (leading - size) / 2 + 0.88 * size
            items.append(TextLine(composed, x, baseline, kind, article.id, color=color))
            y += leading
        y += 0.25 * grid.pitch_pt
    used = lines_for(y - grid.line_top(line) + 0.4 * grid.pitch_pt, grid.pitch_pt)
    return items, used, findings


def is_vertical(article: Article) -> bool:
    """A vertical deck: asked for on the headline, or the whole story set vertically."""
    return article.direction == "vertical" or \
        (isinstance(article.headline, TextStyle) and article.headline.vertical)


def place_vertical_deck(article: Article, grid: PageGrid, ts: Typesetter, col: int, cols: int,
                        line: int, lines: int) -> tuple[list, int, list[Finding]]:
    """竖排: the deck set top to bottom in a strip at the article's right edge.

    Columns of text run right to left: kicker, then the main head (one column
    per line of its text), then the subtitle.  Marks take their vertical
    forms; each character sits centred in its own em box.  Returns the items,
    how many grid columns the strip takes, and the characters its fonts lack.
    """
    strip_cols = min(article.head_cols or 1, cols - 1) if cols > 1 else 1
    strip_right = grid.col_x(col + cols - 1) + grid.col_w_pt
    strip_w = grid.span_w(strip_cols)
    top = grid.line_top(line) + 0.5 * grid.pitch_pt
    height = lines * grid.pitch_pt - grid.pitch_pt
    columns: list[tuple[str, str, float, str, str]] = []
    for path, value in article.deck():
        kind = path[0]
        text, font, size, _, color = deck_element(value, kind, ts, cols)
        for part in (p.strip() for p in text.split("\n")):
            if part:
                columns.append((part, font, size, kind, color))
    # Fit: the column widths must fit the strip, the longest column the height.
    gap = 0.35
    total_w = sum(size * (1 + gap) for _, _, size, _, _ in columns)
    scale = min([1.0, strip_w / total_w if total_w else 1.0] +
                [height / (len(text) * size) for text, _, size, _, _ in columns])
    items: list = []
    notes: list[CharNote] = []
    x_right = strip_right - (strip_w - total_w * scale) / 2
    for text, font, size, kind, color in columns:
        size *= scale
        x_center = x_right - size * (1 + gap) / 2
        y = top + (size if kind == "kicker" else 0.0)
        face = ts.fonts.face(font)
        for k, ch in enumerate(text):
            glyph_ch = VERTICAL_FORMS.get(ch, ch)
            if not face.covers(glyph_ch):
                glyph_ch = ch
            if not face.covers(ch) and not ch.isspace():
                notes.append(CharNote(ch, font, None, text[max(0, k - 8):k + 9]))
            adv = face.advance(glyph_ch) * size
            line_obj = Line((Glyph(glyph_ch, font, size, 0.0),), 0, 1, adv, adv, False, True)
            items.append(TextLine(line_obj, x_center - adv / 2, y + 0.88 * size,
                                  kind + "-vertical", article.id, color=color,
                                  actual=ch if glyph_ch != ch else None))
            y += size
        x_right -= size * (1 + gap)
    return items, strip_cols, char_findings(tuple(notes), story=article.id, element="deck")


def place_photos(article: Article, grid: PageGrid, ts: Typesetter, col: int, cols: int,
                 body_line: int, last_line: int, base_dir,
                 auto_lines: dict[int, int] | None = None
                 ) -> tuple[list, dict[int, list], list[Finding]]:
    """Photos with captions; returns items, per page column the lines they block,
    and findings.

    A photo without `lines` is sized by the flow (`auto_lines`, by photo index)."""
    items: list = []
    findings: list[Finding] = []
    blocked: dict[int, list[tuple[int, int]]] = {}
    caption_size = type_size_pt(CAPTION_SIZE, ts.style.size_table)
    for index, photo in enumerate(article.photos):
        p_col = col + photo.box.col - 1
        p_cols = photo.box.cols or cols - photo.box.col + 1
        p_cols = max(1, min(p_cols, col + cols - p_col))
        top = body_line + photo.box.line - 1
        total = photo.box.lines
        if photo.wrap is not None:    # at its character position; checked at load
            total = total or 1
        elif total is None:       # sized by the flow, within the article's box
            room = last_line - top + 1
            total = max(1, min((auto_lines or {}).get(index, 12), room))
            if room - total < MIN_LINES_UNDER_PHOTO:
                total = room    # no sliver of one or two lines under it: to the box's foot
        width = grid.span_w(p_cols)
        x = grid.col_x(p_col)
        if photo.wrap is not None:
            x = grid.col_x(col) + photo.wrap.x * grid.body_size_pt
            width = photo.wrap.chars * grid.body_size_pt
        caption = photo.caption
        if photo.credit:
            caption = f"{caption}　{photo.credit}" if caption else photo.credit
        cap_lines = ()
        if caption:
            typeset = ts.block(caption, ts.style.caption_font, caption_size, width, "justify")
            cap_lines = typeset.lines
            findings.extend(char_findings(typeset.notes, story=article.id, element="caption"))
        cap_height = len(cap_lines) * caption_size * 1.35
        cap_body_lines = lines_for(cap_height + 0.3 * grid.pitch_pt, grid.pitch_pt) if cap_lines else 0
        image_lines = max(2, total - cap_body_lines)
        y = grid.line_top(top)
        image_h = image_lines * grid.pitch_pt - 0.3 * grid.pitch_pt
        items.append(ImageItem(str(base_dir / photo.file), x, y, width, image_h,
                               photo.fit, tuple(photo.focus), article.id))
        cy = y + image_h + 0.25 * grid.pitch_pt
        for composed in cap_lines:
            items.append(TextLine(composed, x, cy + 0.2 * caption_size + 0.88 * caption_size,
                                  "caption", article.id))
            cy += caption_size * 1.35
        if photo.wrap is not None:    # the text runs round it: wrap_zones
            continue
        end = min(last_line, top + image_lines + cap_body_lines)  # plus one blank line below
        for c in range(p_col, p_col + p_cols):
            blocked.setdefault(c, []).append((top, end))
    return items, blocked, findings


def segments_for(col: int, cols: int, first: int, last: int,
                 blocked: dict[int, list]) -> tuple[Segment, ...]:
    """Free runs of lines per column, in reading order (column by column, top down)."""
    out = []
    for c in range(col, col + cols):
        free_start = first
        for b_top, b_end in sorted(blocked.get(c, [])):
            if b_top > free_start:
                out.append(Segment(c, free_start, b_top - free_start))
            free_start = max(free_start, b_end + 1)
        if free_start <= last:
            out.append(Segment(c, free_start, last - free_start + 1))
    return tuple(s for s in out if s.n_lines > 0)


def shape_rects(article, grid) -> list[tuple[int, int, int, int]]:
    """The article's rectangles on its page as (col, cols, first line, last line):
    its box, then those of its shape."""
    out = []
    for box in (article.box, *article.shape):
        col, cols, line, lines = resolve_box(box, grid)
        out.append((col, cols, line, line + lines - 1))
    return out


def shape_segments(rects: list[tuple[int, int, int, int]],
                   blocked: dict[int, list]) -> tuple[Segment, ...]:
    """Free runs of lines through a story's rectangles (col, cols, first line, last
    line) in reading order: column by column, right through every rectangle that
    column crosses, top down — an L-shaped story's left columns run the full
    height before the text moves right."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for col, cols, first, last in rects:
        for c in range(col, col + cols):
            spans.setdefault(c, []).append((first, last))
    out: list[Segment] = []
    for c in sorted(spans):
        merged: list[list[int]] = []
        for first, last in sorted(spans[c]):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        for first, last in merged:
            out.extend(segments_for(c, 1, first, last, blocked))
    return tuple(out)


def _shifted(line: Line, dx: float) -> Line:
    """The line moved `dx` right within its measure (set beside a wrapped photo)."""
    if not dx:
        return line
    return line._replace(glyphs=tuple(g._replace(x_pt=g.x_pt + dx) for g in line.glyphs),
                         width_pt=line.width_pt + dx)


def _wrap_settings(wrap: dict[int, tuple[float, float]] | None, start: int) -> dict:
    """The per-line insets of a paragraph whose first line is line `start` of the
    story, from where the last flow put each line beside a wrapped photo."""
    if not wrap or max(wrap) < start:
        return {}
    span = range(start, max(wrap) + 2)                # the last (0, 0) repeats
    left = tuple(wrap.get(i, (0.0, 0.0))[0] for i in span)
    right = tuple(wrap.get(i, (0.0, 0.0))[1] for i in span)
    return {"insets": left, "right_insets": right} if any(left) or any(right) else {}


def story_lines(article: Article, copy: str, ts: Typesetter, measure_pt: float,
                pitch_pt: float = 13.0, place=None,
                wrap: dict[int, tuple[float, float]] | None = None, continued: bool = False
                ) -> tuple[list[FlowLine], list[Finding], Decorations]:
    """The story's body as lines (editor's notes, byline, paragraphs — the first with
    the dateline or a drop cap — subheads, verse), what setting them found, and
    what is drawn beside them once placed (caps, note frames).  `wrap`: the
    insets beside a wrapped photo of the lines, by index, where the flow put them.
    `continued`: the copy starts inside a paragraph (the rest of a story set
    vertically, going on across): no indent before it."""
    size = ts.body_size_pt
    out: list[FlowLine] = []
    notes = []
    findings: list[Finding] = []
    decorations = Decorations({}, {})

    def add_notes(at: str) -> None:
        for note in (n for n in article.notes if n.at == at):
            if out and out[-1].role != "blank":
                out.append(FlowLine(None, "blank"))
            for typeset in note_paragraphs(note, ts, measure_pt):
                notes.extend(typeset.notes)
                for composed in typeset.lines:
                    decorations.notes[id(composed)] = note
                    out.append(FlowLine(composed, "note", composed.end - composed.start,
                                        full=True))
            out.append(FlowLine(None, "blank"))
    add_notes("start")
    if article.byline:
        byline = ts.block(article.byline, ts.style.byline_font, size, measure_pt, "left")
        notes.extend(byline.notes)
        for composed in byline.lines:
            out.append(FlowLine(composed, "byline", 0, full=True))
    first = True
    if ts.style.normalize:
        copy, changes = normalize_copy(copy)
        for index, old, new in changes:
            context = copy[max(0, index - 6):index + 7].replace("\n", " ")
            findings.append(Finding("copy.normalized", f"copy normalised: {old!r} → {new!r}",
                                    story=article.id, context=context))
    tagged, prefix = 0, 0

    def tag(source: int) -> None:
        """The lines made from copy line `source`: where in it each starts."""
        for k in range(tagged, len(out)):
            fl = out[k]
            if fl.line is not None:
                start = fl.line.start - prefix if fl.role == "body" else 0
                out[k] = fl._replace(source=source, offset=max(0, start))
    for source, raw in enumerate(copy.splitlines()):
        if source:
            tag(source - 1)
        tagged, prefix = len(out), 0
        text = raw.strip()
        if not text:
            continue
        if text.startswith("## "):
            head = text[3:].strip()
            if out:
                out.append(FlowLine(None, "blank"))
            # Broken like a head: at the editor's "\\" or phrase space, else between
            # phrases, balanced — never inside a word as running text would be.
            # Beside a wrapped photo: centred on what the photo leaves of the line.
            left, right = (wrap or {}).get(len(out), (0.0, 0.0))
            subhead = ts.head(head.replace("\\", "\n"), ts.bold(ts.style.subhead_font), size,
                              measure_pt - left - right, "center", min_scale=1.0)
            notes.extend(subhead.notes)
            for composed in subhead.lines:
                out.append(FlowLine(_shifted(composed, left), "subhead", len(composed.text),
                                    keep_with_next=True))
            continue
        if text.startswith(VERSE_MARK):
            verse = text[len(VERSE_MARK):].strip()
            if not verse:                   # "|" alone: a stanza break
                out.append(FlowLine(None, "blank"))
                continue
            typeset = verse_line(verse, ts, measure_pt)
            notes.extend(typeset.notes)
            for composed in typeset.lines:
                out.append(FlowLine(composed, "body", composed.end - composed.start, full=True))
            first = False
            continue
        if text.startswith("> "):
            # A signature or source line (署名), set flush right.
            signature = ts.block(text[2:].strip(), ts.style.body_font, size, measure_pt, "right")
            notes.extend(signature.notes)
            for composed in signature.lines:
                out.append(FlowLine(composed, "body",
                                    len(composed.text.replace("\u3000", "")), full=True))
            continue
        runs = []
        if first and article.dateline:
            runs.append(Run(article.dateline, ts.bold(ts.style.dateline_font), size))
            if not text.startswith(("（", "(", "电", "讯")):
                runs.append(Run("\u3000", ts.style.body_font, size))
        runs.append(Run(text, ts.style.body_font, size))
        whole = "".join(r.text for r in runs)       # what the lines' start and end index
        if first and article.drop_cap is not None:
            covered, found = ts.cover(runs)
            notes.extend(found)
            cap, lines, cap_notes = drop_cap_paragraph(article.drop_cap, list(covered), ts,
                                                       measure_pt, pitch_pt, place)
            notes.extend(cap_notes)
            decorations.caps[id(lines[0])] = cap
            whole = whole[1:]
            full = True
        else:
            indent = {"indent_em": 0.0} if continued and first else {}
            paragraph = ts.paragraph(runs, measure_pt, **_wrap_settings(wrap, len(out)), **indent)
            notes.extend(paragraph.notes)
            lines = paragraph.lines
            full = False
        first = False
        # Lines index `whole`: the copy's text after a dateline, or less its first
        # character when that stands as the cap (then -1).
        prefix = len(whole) - len(text)
        for composed in lines:
            out.append(FlowLine(composed, "body", composed.end - composed.start
                                - whole.count("\u3000", composed.start, composed.end), full=full))
            findings.extend(_line_faults(composed, len(out), article.id, ts.style.loose_limit))
    if copy.splitlines():
        tag(len(copy.splitlines()) - 1)
    tagged = len(out)
    add_notes("end")
    while out and out[-1].role == "blank":
        out.pop()
    return out, char_findings(tuple(notes), story=article.id) + findings, decorations


def _line_faults(line: Line, number: int, story: str, loose_limit: float) -> list[Finding]:
    """A body line broken by force, or stretched past the house limit: the desk fixes
    the copy (a word divided, a gap that reads as a hole)."""
    out = []
    if line.forced and not line.last:
        out.append(Finding("type.forced", "no allowed break: the line is broken by force"
                                          + (" inside a word (hyphenated)"
                                             if line.text.endswith("-") else ""),
                           "rewrite around the long run, or widen the column",
                           story=story, line=number, context=line.text))
    if line.stretch_em > loose_limit + 1e-6:
        out.append(Finding("type.loose", f"a loose line: {line.stretch_em:.2f} em added to "
                                         f"each gap (house limit {loose_limit:g} em)",
                           "cut or add a few characters in its paragraph",
                           story=story, line=number, context=line.text))
    return out
