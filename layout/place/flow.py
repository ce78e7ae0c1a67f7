"""Flow a story's lines through its chain of frames, with jump lines (转版)."""

from __future__ import annotations

from .article import FlowLine, FramePlan
from .result import FrameUse, PageGrid, TextLine
from .typesetter import Typesetter


def flow_story(story_id: str, lines: list[FlowLine], frames: list[FramePlan],
               grids: dict[int, PageGrid], ts: Typesetter, jump_text) -> tuple:
    """Place `lines` into `frames`, avoiding lone last lines at a column top (孤行)
    where the story has room to spare for it."""
    result = _flow(story_id, lines, frames, grids, ts, jump_text, 0)
    uses, overset = result[1], result[2]
    if overset == 0 and uses:
        last = max((k for k, u in enumerate(uses) if u.lines_used), default=0)
        spare = uses[last].lines_capacity - uses[last].lines_used
        if spare > 0:
            retry = _flow(story_id, lines, frames, grids, ts, jump_text, spare)
            if retry[2] == 0:
                result = retry
            if ts.style.balance:
                result = _balanced(story_id, lines, frames, grids, ts, jump_text, spare,
                                   last, result)
    items = {page: [_placed(item) for item in page_items]
             for page, page_items in result[0].items()}
    return (items, *result[1:])


# A body line placed by a trial flow, as (marker, line, grid, role, story, frame,
# column, grid line): a flow may be tried several times (孤行, balanced columns),
# and only the one kept becomes TextLine items.
_PENDING = object()


def _placed(item):
    if type(item) is tuple and item[0] is _PENDING:
        _, line, grid, role, story, frame, col, line_no = item
        return TextLine(line, grid.col_x(col), grid.baseline(line_no), role, story, frame,
                        col, line_no)
    return item


def _line_of(item):
    return item[1] if type(item) is tuple and item[0] is _PENDING else item.line


def _balanced(story_id, lines, frames, grids, ts, jump_text, spare, last, result):
    """平衡分栏: a story that does not fill its last frame ends level across the
    frame's columns instead of leaving the last columns empty."""
    columns = sorted({seg.col for seg in frames[last].segments})
    if len(columns) < 2:
        return result
    used = result[1][last].lines_used
    start = -(-used // len(columns))          # ceil: the shortest even depth
    tallest = max(sum(s.n_lines for s in frames[last].segments if s.col == c) for c in columns)
    for cap in range(start, tallest):
        trial = _flow(story_id, lines, frames, grids, ts, jump_text, spare, {last: cap})
        if trial[2] == 0:
            return trial
    return result


def _flow(story_id: str, lines: list[FlowLine], frames: list[FramePlan],
          grids: dict[int, PageGrid], ts: Typesetter, jump_text, widow_budget: int,
          caps: dict[int, int] | None = None) -> tuple:
    """Place `lines` into `frames`.

    Returns (items by page, frame uses, overset lines, overset chars, jump pages).
    `jump_text(kind, page)` gives "（下转第二版）" / "（上接第一版）".  `caps` limits the
    lines per column in a frame (balanced columns); `widow_budget` is how many
    empty lines the flow may spend avoiding 孤行.
    """
    items: dict[int, list] = {}
    uses: list[FrameUse] = []
    jumps: list[int] = []
    pos = 0
    n = len(lines)
    for f, frame in enumerate(frames):
        grid = grids[frame.page]
        page_items = items.setdefault(frame.page, [])
        if f == 0 or pos < n:       # a continuation that receives no text stays empty
            page_items.extend(frame.items)
        slots = [(seg.col, seg.first_line + k) for seg in frame.segments
                 for k in range(seg.n_lines)]
        capacity = len(slots)
        cap = (caps or {}).get(f)
        if cap is not None:        # at most `cap` lines of text in each column
            kept, per_column = [], {}
            for slot in slots:
                per_column[slot[0]] = per_column.get(slot[0], 0) + 1
                if per_column[slot[0]] <= cap:
                    kept.append(slot)
            slots = kept
        occupied = 0               # lines of this frame that hold something
        if f > 0 and pos < n and slots:
            # （上接第X版）at the head of the continuation.
            col, line_no = slots.pop(0)
            page_items.append(_jump_line(ts, grid, jump_text("from", frames[f - 1].page),
                                         story_id, f, col, line_no))
            occupied += 1
        reserve = f < len(frames) - 1 and n - pos > len(slots)
        usable = slots[:-1] if reserve else slots
        chars = 0
        k = 0
        while pos < n and k < len(usable):
            fl = lines[pos]
            col, line_no = usable[k]
            at_top = k == 0 or usable[k - 1][0] != col
            if fl.role == "blank" and at_top:
                pos += 1
                continue
            column_ends = k + 1 >= len(usable) or usable[k + 1][0] != col \
                or usable[k + 1][1] != line_no + 1
            if fl.keep_with_next and column_ends and pos + 1 < n:
                k += 1           # a subhead never ends a column: leave the line empty
                continue
            if widow_budget > 0 and column_ends and k + 1 < len(usable) and pos + 1 < n \
                    and fl.role == "body" and not fl.line.last \
                    and lines[pos + 1].role == "body" and lines[pos + 1].line.last:
                widow_budget -= 1
                k += 1           # 孤行: take this line over to keep the last one company
                continue
            if fl.line is not None:
                page_items.append((_PENDING, fl.line, grid, fl.role, story_id, f, col, line_no))
            occupied += 1
            chars += fl.chars
            pos += 1
            k += 1
        if reserve and pos < n and widow_budget > 0 and 0 < pos and _lone_last(lines, pos) \
                and page_items and _line_of(page_items[-1]) is lines[pos - 1].line:
            # 孤行 across a jump: send the paragraph's last two lines on together.
            page_items.pop()
            pos -= 1
            chars -= lines[pos].chars
            occupied -= 1
            widow_budget -= 1
        if reserve and pos < n:
            col, line_no = slots[-1]
            page_items.append(_jump_line(ts, grid, jump_text("to", frames[f + 1].page),
                                         story_id, f, col, line_no))
            jumps.append(frames[f + 1].page)
            occupied += 1
        box = frame.box
        uses.append(FrameUse(frame.page, box.col, box.cols or 0, box.line, box.lines or 0,
                             capacity, occupied, chars))
    overset_lines = sum(1 for fl in lines[pos:] if fl.line is not None)
    overset_chars = sum(fl.chars for fl in lines[pos:])
    return items, uses, overset_lines, overset_chars, jumps


def _lone_last(lines: list[FlowLine], pos: int) -> bool:
    """lines[pos] is a paragraph's last line and lines[pos - 1] the same paragraph's."""
    return lines[pos].role == "body" and lines[pos].line.last and \
        lines[pos - 1].role == "body" and not lines[pos - 1].line.last


def _jump_line(ts: Typesetter, grid: PageGrid, text: str, story_id: str, frame: int,
               col: int, line_no: int) -> TextLine:
    composed = ts.block(text, ts.style.body_font, ts.body_size_pt, grid.col_w_pt, "right")[0]
    return TextLine(composed, grid.col_x(col), grid.baseline(line_no), "jump", story_id, frame,
                    col, line_no)
