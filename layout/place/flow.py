"""Flow a story's lines through its chain of frames, with jump lines (转版).

A flow may be tried several times — to avoid a lone last line (孤行), to end
the columns level (平衡分栏), to size an open photo — so a trial places its
lines as cheap pending tuples, and only the flow that is kept becomes
`TextLine` items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from ..findings import Finding
from .article import FlowLine, FramePlan
from .findings import char_findings
from .result import FrameUse, PageGrid, TextLine
from .typesetter import Typesetter

JumpText = Callable[[str, int], str]   # ("to" | "from", page) → "（下转第二版）"


@dataclass(frozen=True)
class FlowResult:
    """Where a story's lines went: items by page, how each frame was used, what
    did not fit, the pages its jump lines name and what setting them found."""

    items: dict[int, tuple]
    frames: tuple[FrameUse, ...]
    overset_lines: int
    overset_chars: int
    jumps_to: tuple[int, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def last_used(self) -> int:
        """The index of the last frame that holds anything (0 if none does)."""
        return max((k for k, use in enumerate(self.frames) if use.lines_used), default=0)

    @property
    def spare_lines(self) -> int:
        """Empty lines left in the last frame used (0 when the story is overset)."""
        if self.overset_lines or not self.frames:
            return 0
        last = self.frames[self.last_used]
        return last.lines_capacity - last.lines_used


class _Story(NamedTuple):
    """What is flowed, through what, with which typesetter: the same for every trial."""

    id: str
    lines: list[FlowLine]
    frames: list[FramePlan]
    grids: dict[int, PageGrid]
    ts: Typesetter
    jump_text: JumpText


def flow_story(story_id: str, lines: list[FlowLine], frames: list[FramePlan],
               grids: dict[int, PageGrid], ts: Typesetter, jump_text: JumpText) -> FlowResult:
    """Place `lines` into `frames`, avoiding lone last lines at a column top (孤行)
    where the story has room to spare for it."""
    story = _Story(story_id, lines, frames, grids, ts, jump_text)
    result = _flow(story, 0)
    spare, last = result.spare_lines, result.last_used
    if result.overset_lines == 0 and result.frames and spare > 0:
        retry = _flow(story, spare)
        if _keeps_to(retry, last):
            result = retry
        if ts.style.balance:
            result = _balanced(story, spare, last, result)
    items = {page: tuple(_placed(item) for item in page_items)
             for page, page_items in result.items.items()}
    return FlowResult(items, result.frames, result.overset_lines, result.overset_chars,
                      result.jumps_to, result.findings)


# A body line placed by a trial flow is a plain tuple (tens of thousands are made
# and dropped per edition; a named tuple's constructor costs several times as
# much): (_PENDING, line, grid, role, story, frame, column, grid line).  Only the
# flow that is kept becomes TextLine items.
_PENDING = object()


def _placed(item):
    if type(item) is tuple and item[0] is _PENDING:
        _, line, grid, role, story, frame, column, grid_line = item
        return TextLine(line, grid.col_x(column), grid.baseline(grid_line), role, story,
                        frame, column, grid_line)
    return item


def _balanced(story: _Story, spare: int, last: int, result: FlowResult) -> FlowResult:
    """平衡分栏: a story that does not fill its last frame (`last`, as the first
    flow found it) ends level across the frame's columns instead of leaving the
    last columns empty.  Level means the columns end on the same grid line — a
    column under a photo holds fewer lines than one beside it."""
    segments = story.frames[last].segments
    columns = {seg.col for seg in segments}
    if len(columns) < 2:
        return result
    used = result.frames[last].lines_used
    top = min(seg.first_line for seg in segments)
    bottom = max(seg.first_line + seg.n_lines - 1 for seg in segments)
    fallback = None
    for level in range(top, bottom):
        room = sum(max(0, min(seg.n_lines, level - seg.first_line + 1)) for seg in segments)
        if room < used:
            continue
        trial = _flow(story, spare, {last: level})
        if _keeps_to(trial, last):
            if not _lone_at_top(trial):
                return trial
            fallback = fallback or trial      # level, but with a 孤行: only if nothing better
    if fallback is not None and _lone_at_top(result):
        return fallback
    return result


def _lone_at_top(result: FlowResult) -> bool:
    """A paragraph's last line alone at the top of a column (孤行) in a trial flow."""
    tops: dict[tuple, tuple] = {}
    for page, page_items in result.items.items():
        for item in page_items:
            if type(item) is tuple and item[0] is _PENDING and item[3] == "body":
                key = (page, item[6])
                if key not in tops or item[7] < tops[key][7]:
                    tops[key] = item
    return any(item[1].last and item[1].start > 0 for item in tops.values())


def _keeps_to(trial: FlowResult, last: int) -> bool:
    """A trial that sets all the text without reaching past frame `last`: evening
    the columns or avoiding a 孤行 never sends lines on to a continuation."""
    return trial.overset_lines == 0 and trial.last_used <= last


def _flow(story: _Story, widow_budget: int, caps: dict[int, int] | None = None) -> FlowResult:
    """Place the story's lines into its frames, frame by frame.

    In each frame: the frame's own items (deck, photos) go first; a continuation
    opens with （上接第X版）; the lines fill the frame's free slots; and a frame
    the story leaves for another ends with （下转第X版）.  `caps` is the last grid
    line a frame's columns may use (balanced columns); `widow_budget` is how many empty
    lines the flow may spend avoiding 孤行.
    """
    story_id, lines, frames, grids, ts, jump_text = story
    items: dict[int, list] = {}
    uses: list[FrameUse] = []
    jumps: list[int] = []
    findings: list[Finding] = []
    pos = 0
    n = len(lines)
    for f, frame in enumerate(frames):
        grid = grids[frame.page]
        page_items = items.setdefault(frame.page, [])
        if f == 0 or pos < n:       # a continuation that receives no text stays empty
            page_items.extend(frame.items)
        slots = _slots(frame, (caps or {}).get(f))
        capacity = sum(seg.n_lines for seg in frame.segments)
        occupied = 0               # lines of this frame that hold something
        if f > 0 and pos < n and slots:
            col, line_no = slots.pop(0)
            jump, found = _jump_line(ts, grid, jump_text("from", frames[f - 1].page),
                                     story_id, f, col, line_no)
            page_items.append(jump)
            findings.extend(_on_page(found, frame.page))
            occupied += 1
        # Room for the jump line, when text goes on (a frame with no free line
        # left passes its lines on whole).
        reserve = f < len(frames) - 1 and n - pos > len(slots) and bool(slots)
        wrapped = frozenset(slot for slot, _ in frame.insets)
        fill = _fill(lines, pos, slots[:-1] if reserve else slots, widow_budget, wrapped)
        placed = [(_PENDING, lines[k].line, grid, lines[k].role, story_id, f, col, line_no)
                  for k, col, line_no in fill.placed]
        pos, widow_budget, chars = fill.pos, fill.widow_budget, fill.chars
        if reserve and pos < n and widow_budget > 0 and 0 < pos and _lone_last(lines, pos) \
                and placed and placed[-1][1] is lines[pos - 1].line:
            # 孤行 across a jump: send the paragraph's last two lines on together.
            placed.pop()
            pos -= 1
            chars -= lines[pos].chars
            widow_budget -= 1
        page_items.extend(placed)
        occupied += fill.occupied - (len(fill.placed) - len(placed))
        if reserve and pos < n:
            col, line_no = slots[-1]
            jump, found = _jump_line(ts, grid, jump_text("to", frames[f + 1].page),
                                     story_id, f, col, line_no)
            page_items.append(jump)
            findings.extend(_on_page(found, frame.page))
            jumps.append(frames[f + 1].page)
            occupied += 1
        box = frame.box
        uses.append(FrameUse(frame.page, box.col, box.cols or 0, box.line, box.lines or 0,
                             capacity, occupied, chars))
    overset_lines = sum(1 for fl in lines[pos:] if fl.line is not None)
    overset_chars = sum(fl.chars for fl in lines[pos:])
    return FlowResult(items, tuple(uses), overset_lines, overset_chars, tuple(jumps),
                      tuple(findings))


def _slots(frame: FramePlan, level: int | None) -> list[tuple[int, int]]:
    """The frame's free lines as (column, grid line), in reading order; with
    `level`, only those on grid lines down to it."""
    return [(seg.col, seg.first_line + k) for seg in frame.segments
            for k in range(seg.n_lines)
            if level is None or seg.first_line + k <= level]


class _Fill(NamedTuple):
    placed: list[tuple[int, int, int]]   # (index into the lines, column, grid line) for text
    occupied: int                        # slots holding a line (blank ones too)
    pos: int                             # the first line not placed
    widow_budget: int
    chars: int                           # body characters placed


def _fill(lines: list[FlowLine], pos: int, usable: list[tuple[int, int]],
          widow_budget: int, wrapped: frozenset = frozenset()) -> _Fill:
    """Lines from `pos` into the slots `usable`: a blank line never opens a column,
    a subhead never ends one, and a paragraph's last line is not left alone at
    the next column's top while the budget allows an empty line instead.  Lines
    set to the full measure pass the `wrapped` slots (beside a photo) by."""
    placed = []
    occupied = chars = 0
    n = len(lines)
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
        if fl.full and (col, line_no) in wrapped:
            k += 1           # a head or byline is not set beside a wrapped photo
            continue
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
            placed.append((pos, col, line_no))
        occupied += 1
        chars += fl.chars
        pos += 1
        k += 1
    return _Fill(placed, occupied, pos, widow_budget, chars)


def _lone_last(lines: list[FlowLine], pos: int) -> bool:
    """lines[pos] is a paragraph's last line and lines[pos - 1] the same paragraph's."""
    return lines[pos].role == "body" and lines[pos].line.last and \
        lines[pos - 1].role == "body" and not lines[pos - 1].line.last


def _jump_line(ts: Typesetter, grid: PageGrid, text: str, story_id: str, frame: int,
               col: int, line_no: int) -> tuple[TextLine, list[Finding]]:
    typeset = ts.block(text, ts.style.body_font, ts.body_size_pt, grid.col_w_pt, "right")
    line = TextLine(typeset.lines[0], grid.col_x(col), grid.baseline(line_no), "jump",
                    story_id, frame, col, line_no)
    return line, char_findings(typeset.notes, story=story_id, element="jump line")


def _on_page(findings: list[Finding], page: int) -> list[Finding]:
    return [f.at(page=page) for f in findings]
