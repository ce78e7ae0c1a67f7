"""place: the whole edition — every page's items, stories flowed, jumps resolved.

Page references (jump lines, index entries) depend on where text lands, and
where text lands depends on the lines the references take; so the edition is
laid out until the references stop changing (at most MAX_PASSES times).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import msgspec

from ..compose.store import ComposeStore
from ..conditions import ink_limit
from ..errors import BroadsheetError, did_you_mean
from ..findings import Finding
from ..fonts import FontBook
from ..memo import RecentMemo
from ..spec import LoadedSpec
from ..units import PT_PER_MM
from .ads import check_ads_clear, place_ads
from .article import (
    FlowLine,
    FramePlan,
    is_vertical,
    place_deck,
    place_photos,
    place_vertical_deck,
    resolve_box,
    segments_for,
    shape_rects,
    shape_segments,
    story_lines,
)
from .elements import Decorations, cap_items, note_panels
from .findings import (
    char_findings,
    lone_lines_at_column_tops,
    photo_header,
    photo_ink,
    photo_resolution,
)
from .flow import FlowResult, flow_story
from .furniture import (
    page_label,
    place_colophon,
    place_folio,
    place_index,
    place_masthead,
)
from .grid import make_grid
from .gridcheck import check_boxes_on_grid, font_references
from .integrity import check_integrity
from .result import (
    FrameUse,
    Layout,
    Page,
    RectItem,
    RuleItem,
    StoryReport,
    TableReport,
    TextLine,
)
from .table import place_table
from .typesetter import Typesetter, lines_for
from .vertical import bands, flow_vertical
from .wrap import WRAP_PASSES, into_standoff, wrap_landed, wrap_slots, wrap_zones

MAX_PASSES = 5


def layout_edition(loaded: LoadedSpec, fonts: FontBook | None = None,
                   store: ComposeStore | None = None,
                   memo: dict | RecentMemo | None = None) -> Layout:
    """The edition laid out.  `store` keeps composed paragraphs between runs, `memo`
    in memory between the renders of a long-lived process (with the same fonts)."""
    spec = loaded.spec
    if fonts is None:
        fonts = FontBook.for_spec(loaded)
    findings: list[Finding] = list(loaded.findings)
    grids = {}
    for p, page in enumerate(spec.pages, start=1):
        grid, found = make_grid(spec.geometry, page.size)
        grids[p] = grid
        findings.extend(f.at(page=p, source=loaded.place("geometry")) for f in found)
    check_boxes_on_grid(loaded, grids)
    check_ads_clear(loaded, grids)
    ts = Typesetter(fonts, spec.style, spec.geometry.body_size_pt, store,
                    memo if memo is not None else {})
    for path, alias in font_references(spec):
        if not fonts.knows(alias):
            raise BroadsheetError(
                f"unknown font {alias!r}" + (did_you_mean(alias, fonts.aliases)
                                             or f"; known: {', '.join(fonts.aliases)}"),
                loaded.place(*path))
    # First guess: each story is where its first box is.
    pages_of = {a.id: p for p, page in enumerate(spec.pages, start=1) for a in page.articles}
    for n_pass in range(1, MAX_PASSES + 1):
        layout = _one_pass(loaded, grids, ts, pages_of)
        landed = {s.id: s.page for s in layout.stories}
        if landed == pages_of:
            integrity = check_integrity(loaded, layout.pages, grids)
            return Layout(layout.pages, layout.stories,
                          (*findings, *layout.findings, *integrity), n_pass, layout.tables)
        pages_of = landed
    raise BroadsheetError(f"page references did not settle after {MAX_PASSES} passes",
                          loaded.place("pages"))


_PAGE_REF = re.compile(r"\{page:([^{}\s]+)\}")


def resolve_page_refs(copy: str, pages_of: dict[str, int], numerals: str, place=None) -> str:
    """Cross-references in copy: "详见第{page:school}版" → "详见第二版", the page being
    where the article `school` actually lands (so they follow the layout)."""
    def page(match: re.Match) -> str:
        ref = match.group(1)
        if ref not in pages_of:
            raise BroadsheetError(f"cross-reference to unknown article {ref!r}"
                                  + did_you_mean(ref, pages_of), place)
        return page_label(pages_of[ref], numerals)
    return _PAGE_REF.sub(page, copy)


@dataclass(frozen=True)
class _PlacedStory:
    """One article placed: its items by page, its report and what placing it found."""

    items: dict[int, tuple]
    report: StoryReport
    findings: tuple[Finding, ...]


def _one_pass(loaded: LoadedSpec, grids, ts: Typesetter, pages_of: dict[str, int]) -> Layout:
    """Every page laid out once, page references taken from `pages_of`."""
    spec = loaded.spec
    n_pages = len(spec.pages)
    items: dict[int, list] = {p: [] for p in grids}
    stories: list[StoryReport] = []
    tables: list[TableReport] = []
    findings: list[Finding] = []
    numerals = spec.style.page_numerals

    def jump_text(kind: str, page: int) -> str:
        template = spec.style.jump_to if kind == "to" else spec.style.jump_from
        return template.format(page=page_label(page, numerals))

    for p, page in enumerate(spec.pages, start=1):
        grid = grids[p]
        where = ("pages", p - 1)
        if page.masthead is not None:
            placed, found = place_masthead(spec, page.masthead, grid, ts, n_pages)
            items[p].extend(placed)
            findings.extend(f.at(page=p, source=loaded.place(*where, "masthead")) for f in found)
        placed, found = place_folio(spec, p, page.section, page.credits, grid, ts,
                                    front=page.masthead is not None)
        items[p].extend(placed)
        findings.extend(f.at(page=p, source=loaded.place(*where, "section")) for f in found)
        for panel in page.panels:
            col, cols, line, lines = resolve_box(panel.box, grid)
            items[p].append(_box_rect(grid, col, cols, line, lines, fill=panel.tint))
        for rule in page.rules:
            items[p].extend(_rule_items(rule, grid))
        for t, table in enumerate(page.tables):
            place = loaded.place(*where, "tables", t)
            placed, found, filled = place_table(table, loaded.tables.get(table.id, ()), grid,
                                                ts, place, p)
            tables.append(filled)
            items[p].extend(placed)
            findings.extend(f.at(page=p, source=f.source or place) for f in found)
        placed, found = place_ads(loaded, p, grid, ts)
        items[p].extend(placed)
        findings.extend(found)
        for a_index, article in enumerate(page.articles):
            story = _place_story(loaded, article, p, a_index, grids, ts, pages_of, jump_text)
            for page_no, page_items in story.items.items():
                items[page_no].extend(page_items)
            if article.shape and (article.frame or article.tint):
                rects = shape_rects(article, grid)
                if article.tint:
                    for col, cols, first, last in reversed(rects):
                        items[p].insert(0, _box_rect(grid, col, cols, first, last - first + 1,
                                                     fill=article.tint, role="frame"))
                if article.frame:
                    items[p].extend(_shape_outline(grid, rects))
            elif article.frame or article.tint:
                col, cols, line, nlines = resolve_box(article.box, grid)
                items[p].insert(0, _box_rect(grid, col, cols, line, nlines, fill=article.tint,
                                             stroke="K100" if article.frame else None,
                                             role="frame"))
            stories.append(story.report)
            findings.extend(story.findings)
        if p == n_pages:
            placed, found = place_colophon(spec, grid, ts)
            items[p].extend(placed)
            findings.extend(f.at(page=p, source=loaded.place("paper")) for f in found)
        if page.index is not None:
            placed, found = place_index(page.index, pages_of, grid, ts, numerals)
            items[p].extend(placed)
            findings.extend(f.at(page=p, source=f.source or loaded.place(*where, "index"))
                            for f in found)
            findings.extend(_typed_index_pages(loaded, p, pages_of))
    pages = tuple(Page(p, spec.pages[p - 1].section, grids[p], tuple(items[p]))
                  for p in sorted(grids))
    findings.extend(lone_lines_at_column_tops(pages))
    return Layout(pages, tuple(stories), tuple(findings), tables=tuple(tables))


def _typed_index_pages(loaded: LoadedSpec, p: int, pages_of: dict[str, int]) -> list[Finding]:
    """An index entry whose typed page is not where its article landed: the page
    would send readers to the wrong page (the entry prints the typed page)."""
    out = []
    for i, item in enumerate(loaded.spec.pages[p - 1].index.items):
        landed = pages_of.get(item.ref)
        if item.page is not None and landed is not None and item.page != landed:
            out.append(Finding(
                "index.page", f"index entry {item.text!r} names page {item.page}; "
                              f"its article {item.ref!r} is on page {landed}",
                f"remove the typed page (the layout fills it in) or write {landed}",
                page=p, element="index", story=item.ref, context=item.text,
                source=loaded.place("pages", p - 1, "index", "items", i, "page")))
    return out


def _place_story(loaded: LoadedSpec, article, p: int, a_index: int, grids, ts: Typesetter,
                 pages_of: dict[str, int], jump_text) -> _PlacedStory:
    """An article's deck, photos and body, flowed through its frames."""
    spec = loaded.spec
    where = loaded.place("pages", p - 1, "articles", a_index)
    copy = resolve_page_refs(loaded.copy[article.id], pages_of, spec.style.page_numerals, where)
    cap_place = loaded.place("pages", p - 1, "articles", a_index, "drop_cap")
    if article.direction == "vertical":
        return _place_vertical_story(loaded, article, p, grids, ts, copy, where, cap_place,
                                     jump_text)
    wrap: dict[int, tuple[float, float]] = {}
    for n_pass in range(WRAP_PASSES):
        # Text round a wrapped photo: the lines are set again to the measures the
        # flow put them beside, until every line sits where it was set for.
        lines, found, decorations = story_lines(article, copy, ts, grids[p].col_w_pt,
                                                grids[p].pitch_pt, cap_place, wrap)
        frames, flow, frame_findings = _flow_fitting_photos(loaded, article, p, grids, ts,
                                                            lines, jump_text)
        if not frames[0].insets:
            break
        landed = wrap_landed(frames[0], flow.items.get(p, ()), lines)
        if all(wrap.get(k) == v for k, v in landed.items()) and \
                (n_pass >= WRAP_PASSES // 2 or landed == wrap):
            break
        # Set again where the lines landed; should that swing back and forth (a line
        # moves a column as the others change), keep what earlier passes found too:
        # a line set short for a place it left is short, never over the photo.
        wrap = landed if n_pass < WRAP_PASSES // 2 else {**wrap, **landed}
    findings = [*found, *frame_findings, *flow.findings,
                *into_standoff(article.id, frames[0], flow.items.get(p, ()), p, where)]
    if article.continues and article.continues[-1].direction == "vertical":
        flow = _vertical_rest(loaded, article, grids, ts, copy, lines, frames, flow, jump_text)
    items = {page_no: _decorated(list(page_items), decorations, grids[page_no])
             for page_no, page_items in flow.items.items()}
    limit = ink_limit(spec.prepress.output_condition, spec.prepress.tac_percent)
    reseparate = spec.prepress.over_limit_photos == "reseparate"
    for page_no, page_items in flow.items.items():
        findings.extend(photo_resolution(page_items, page_no, article.id))
        findings.extend(photo_ink(page_items, page_no, article.id, limit, reseparate))
    total_chars = sum(fl.chars for fl in lines)
    under = flow.spare_lines
    first_page = next((u.page for u in flow.frames if u.lines_used), p)
    report = StoryReport(article.id, flow.frames, total_chars, total_chars - flow.overset_chars,
                         flow.overset_lines, flow.overset_chars, under,
                         under * spec.geometry.column_chars, flow.jumps_to, first_page)
    if flow.overset_lines:
        last = frames[-1]
        g = grids[last.page]
        col, cols, line, nlines = resolve_box(last.box, g)
        items.setdefault(last.page, []).append(_overset_mark(g, col + cols - 1,
                                                             line + nlines - 1))
        findings.append(Finding(
            "layout.overset", f"story {article.id!r} is overset by {flow.overset_lines} lines "
                              f"({flow.overset_chars} characters)",
            "cut the story, or give it more lines or a continuation",
            page=last.page, story=article.id, source=where))
    findings = _on_their_lines(findings, lines, items)
    findings = [f if f.page is not None else f.at(page=p) for f in findings]
    findings = [f if f.source is not None else f.at(source=where) for f in findings]
    return _PlacedStory({k: tuple(v) for k, v in items.items()}, report, tuple(findings))


def _place_vertical_story(loaded: LoadedSpec, article, p: int, grids, ts: Typesetter,
                          copy: str, where, cap_place, jump_text) -> _PlacedStory:
    """竖排: the deck in a strip at the box's right, the body in bands to its left,
    lines right to left (see vertical.py); what does not fit goes on, set across,
    in the story's continuations (转版), under （下转） and （上接） lines."""
    grid = grids[p]
    col, cols, line, lines = resolve_box(article.box, grid)
    deck_items, strip_cols, found = place_vertical_deck(article, grid, ts, col, cols, line,
                                                        lines)
    story_bands = _bands_beside(grid, article.box, strip_cols, article.tiers)
    measure = story_bands[0].measure_pt
    flow_lines, line_found, _ = story_lines(article, copy, ts, measure, grid.pitch_pt, cap_place)
    jump = None
    if article.continues:
        typeset = ts.block(jump_text("to", article.continues[0].page), ts.style.body_font,
                           ts.body_size_pt, measure, "left")
        jump = typeset.lines[0] if typeset.lines else None
    flowed = flow_vertical(flow_lines, story_bands, article.id, jump,
                           loaded.spec.style.upright_digits)
    total = sum(fl.chars for fl in flow_lines)
    findings = [*found, *line_found]
    items: dict[int, list] = {p: [*deck_items, *flowed.items]}
    uses = [FrameUse(p, col, cols, line, lines, flowed.capacity, flowed.used,
                     total - sum(fl.chars for fl in flowed.overset))]
    over_chars = sum(fl.chars for fl in flowed.overset)
    over_lines = sum(1 for fl in flowed.overset if fl.line is not None)
    jumps: tuple[int, ...] = ()
    if article.continues and over_lines:
        # The rest, set across in the continuations: from the copy line and place
        # where the first line that did not fit begins.
        first = next(fl for fl in flowed.overset if fl.line is not None)
        more, more_found = _rest_of(article, copy, first, ts,
                                    grids[article.continues[0].page].col_w_pt, grid.pitch_pt)
        conts, cont_found = _continuations(article, grids, ts)
        # an empty first frame on this page: the continuation opens with （上接第X版）
        chain = [FramePlan(p, article.box, ()), *conts]
        flow = flow_story(article.id, more, chain, grids, ts, jump_text)
        for page_no, page_items in flow.items.items():
            items.setdefault(page_no, []).extend(page_items)
        uses.extend(flow.frames[1:])
        findings += [*more_found, *cont_found, *flow.findings]
        over_lines, over_chars = flow.overset_lines, flow.overset_chars
        jumps = (article.continues[0].page, *flow.jumps_to)
        last = conts[-1]
        spare = flow.spare_lines
    else:
        spare = flowed.capacity - flowed.used if not over_lines else 0
        last = None
    if over_lines:
        if last is None:
            items[p].append(_overset_mark(grid, col, line + lines - 1))
        else:
            g = grids[last.page]
            l_col, l_cols, l_line, l_lines = resolve_box(last.box, g)
            items.setdefault(last.page, []).append(
                _overset_mark(g, l_col + l_cols - 1, l_line + l_lines - 1))
        findings.append(Finding(
            "layout.overset", f"story {article.id!r} is overset by {over_lines} lines "
                              f"({over_chars} characters)",
            "cut the story, or give it more room", page=p, story=article.id, source=where))
    report = StoryReport(article.id, tuple(uses), total, total - over_chars, over_lines,
                         over_chars, spare, int(spare * measure / grid.body_size_pt), jumps, p)
    findings = [f if f.page is not None else f.at(page=p) for f in findings]
    findings = [f if f.source is not None else f.at(source=where) for f in findings]
    return _PlacedStory({k: tuple(v) for k, v in items.items()}, report, tuple(findings))


def _bands_beside(grid, box, strip_cols: int, tiers: int):
    """The bands of a vertical box's text, left of the deck's strip of columns."""
    col, cols, line, lines = resolve_box(box, grid)
    body_cols = max(1, cols - strip_cols)
    return bands(grid, grid.col_x(col), grid.col_x(col + body_cols - 1) + grid.col_w_pt,
                 grid.line_top(line) + 0.5 * grid.pitch_pt, grid.line_top(line + lines), tiers)


def _rest_of(article, copy: str, first: FlowLine, ts: Typesetter, measure_pt: float,
             pitch_pt: float) -> tuple[list[FlowLine], list[Finding]]:
    """转版 between horizontal and vertical: the copy from the first line that did not
    fit (its copy line and place in it), set again to the other measure — no byline,
    dateline, notes, cap or photos, and no indent if it starts inside a paragraph."""
    rest = copy.splitlines()[max(first.source, 0):]
    if rest and first.source >= 0 and first.offset:
        rest[0] = rest[0].strip()[first.offset:]
    plain = msgspec.structs.replace(article, byline=None, dateline=None, notes=[],
                                    drop_cap=None, photos=[])
    lines, found, _ = story_lines(plain, "\n".join(rest), ts, measure_pt, pitch_pt,
                                  continued=first.offset > 0)
    return lines, found


def _vertical_rest(loaded: LoadedSpec, article, grids, ts: Typesetter, copy: str, lines,
                   frames, flow: FlowResult, jump_text) -> FlowResult:
    """A story set across that goes on in a vertical continuation (its last box):
    what the frames before did not hold, set again from where it stopped, stood on
    end under the jump head, after a vertical （上接第X版）."""
    box = article.continues[-1]
    if not flow.overset_lines:
        return flow
    # The flow sets lines in order: the overset ones are the last it counted (a
    # composed line may stand in several places — a repeated paragraph — so not by id).
    first = [fl for fl in lines if fl.line is not None][-flow.overset_lines]
    grid = grids[box.page]
    col, cols, line, n_lines = resolve_box(box, grid)
    head = msgspec.structs.replace(article, kicker=None, subtitle=None,
                                   headline=article.jump_head or _plain_head(article))
    head_items, strip, found = place_vertical_deck(head, grid, ts, col, cols, line, n_lines)
    story_bands = _bands_beside(grid, box, strip, 1)
    measure = story_bands[0].measure_pt
    more, more_found = _rest_of(article, copy, first, ts, measure, grid.pitch_pt)
    previous = frames[-2].page if len(frames) > 1 else box.page
    jump = ts.block(jump_text("from", previous), ts.style.body_font, ts.body_size_pt,
                    measure, "left")
    chain = [FlowLine(jump.lines[0], "jump"), *more] if jump.lines else more
    flowed = flow_vertical(chain, story_bands, article.id, None,
                           loaded.spec.style.upright_digits)
    items = {k: list(v) for k, v in flow.items.items()}
    items.setdefault(box.page, []).extend([*head_items, *flowed.items])
    over_lines = sum(1 for fl in flowed.overset if fl.line is not None)
    chars = sum(fl.chars for fl in more) - sum(fl.chars for fl in flowed.overset)
    use = FrameUse(box.page, col, cols, line, n_lines, flowed.capacity, flowed.used, chars)
    return FlowResult({k: tuple(v) for k, v in items.items()}, (*flow.frames[:-1], use),
                      over_lines, sum(fl.chars for fl in flowed.overset), flow.jumps_to,
                      (*flow.findings, *char_findings(jump.notes, story=article.id),
                       *more_found, *found))


def _decorated(items: list, decorations: Decorations, grid) -> list:
    """A page's share of a story with what goes beside its lines: note frames behind
    them, drop caps beside their paragraphs' first lines."""
    caps = [cap_items(item, decorations.caps[id(item.line)]) for item in items
            if isinstance(item, TextLine) and id(item.line) in decorations.caps]
    panels = note_panels(items, decorations.notes, grid) if decorations.notes else []
    return [*panels, *items, *caps]


def _on_their_lines(findings: list[Finding], lines, items: dict[int, list]) -> list[Finding]:
    """A finding about one body line (loose, broken by force) at the page and place
    where that line landed — a continuation's lines are on another page."""
    placed = {id(item.line): (page, item) for page, page_items in items.items()
              for item in page_items if isinstance(item, TextLine) and item.role == "body"}
    out = []
    for f in findings:
        where = placed.get(id(lines[f.line - 1].line)) \
            if f.line is not None and f.page is None and 0 < f.line <= len(lines) else None
        if where is not None:
            page, item = where
            f = f.at(page=page, x_mm=item.x_pt / PT_PER_MM, y_mm=item.baseline_pt / PT_PER_MM)
        out.append(f)
    return out


def _flow_fitting_photos(loaded, article, p, grids, ts, lines, jump_text
                         ) -> tuple[list[FramePlan], FlowResult, list[Finding]]:
    """Flow the story; photos whose depth the spec leaves open (no `lines`) take up
    the story's spare lines, or give way to its overset (自动补白).  Returns the
    frames, the flow and what preparing the frames (deck, captions) found."""
    grid = grids[p]
    auto = {k: _natural_photo_lines(loaded, photo, grid)
            for k, photo in enumerate(article.photos) if photo.box.lines is None}
    frames, found = _frames(loaded, article, p, grids, ts, auto)
    result = flow_story(article.id, lines, frames, grids, ts, jump_text)
    if not auto:
        return frames, result, found
    k = min(auto)                       # the first open photo absorbs the difference
    photo_cols = article.photos[k].box.cols or 1
    for _ in range(6):
        # Only the photo's own box is filled: the spare lines of a continuation
        # are the continuation's (growing the photo there would only push text over).
        spare = result.spare_lines if result.last_used == 0 else 0
        over_lines = result.overset_lines
        change = spare // photo_cols if spare >= photo_cols else -(-over_lines // photo_cols)
        if change == 0:
            break
        trial_lines = max(4, auto[k] + change)
        if trial_lines == auto[k]:
            break
        trial = {**auto, k: trial_lines}
        trial_frames, trial_found = _frames(loaded, article, p, grids, ts, trial)
        trial_result = flow_story(article.id, lines, trial_frames, grids, ts, jump_text)
        if trial_result.overset_lines > over_lines:      # never trade text for picture
            break
        auto, frames, result, found = trial, trial_frames, trial_result, trial_found
    return frames, result, found


def _natural_photo_lines(loaded, photo, grid) -> int:
    """Lines a photo takes at its own aspect ratio across its columns (plus a caption)."""
    header = photo_header(str(loaded.base_dir / photo.file))
    if header is None:
        return 12
    w, h, _ = header
    width = grid.span_w(photo.box.cols or 1)
    return max(4, round(width * h / w / grid.pitch_pt) + 2)


def _frames(loaded, article, p, grids, ts: Typesetter,
            auto_lines: dict[int, int] | None = None) -> tuple[list[FramePlan], list[Finding]]:
    """The story's chain: its box (deck, photos, the free segments left for text),
    then its continuations; and what setting the deck and captions found."""
    grid = grids[p]
    col, cols, line, lines = resolve_box(article.box, grid)
    last_line = line + lines - 1
    if is_vertical(article):
        deck_items, strip, found = place_vertical_deck(article, grid, ts, col, cols, line, lines)
        body_cols = cols - strip
        photo_items, blocked, photo_found = place_photos(article, grid, ts, col, body_cols, line,
                                                         last_line, loaded.base_dir, auto_lines)
        segments = segments_for(col, body_cols, line, last_line, blocked)
        continuations, more = _continuations(article, grids, ts)
        return [FramePlan(p, article.box, segments, (*deck_items, *photo_items)),
                *continuations], found + photo_found + more
    deck_items, deck_lines, found = place_deck(article, grid, ts, col, cols, line)
    body_line = line + deck_lines
    photo_items, blocked, photo_found = place_photos(article, grid, ts, col, cols, body_line,
                                                     last_line, loaded.base_dir, auto_lines)
    # The deck takes its columns' lines above the body; columns it does not span
    # (head_cols) start at the top.  A shaped story adds its other rectangles.
    head_cols = min(article.head_cols or cols, cols)
    taken = {c: [(line, body_line - 1)] for c in range(col, col + head_cols)}
    for c, spans in blocked.items():
        taken.setdefault(c, []).extend(spans)
    zones = wrap_zones(article, grid, col, body_line, last_line)
    insets, too_narrow = wrap_slots(zones, grid, col, cols)
    for c, spans in too_narrow.items():
        taken.setdefault(c, []).extend(spans)
    segments = shape_segments(shape_rects(article, grid), taken)
    continuations, more = _continuations(article, grids, ts)
    return [FramePlan(p, article.box, segments, (*deck_items, *photo_items),
                      tuple(sorted(insets.items())), tuple(zones)),
            *continuations], found + photo_found + more


def _continuations(article, grids, ts: Typesetter) -> tuple[list[FramePlan], list[Finding]]:
    """Continuation frames (转版): each under a short head."""
    frames = []
    findings: list[Finding] = []
    for box in article.continues:
        if box.direction == "vertical":       # set by _vertical_rest, after the flow
            frames.append(FramePlan(box.page, box, ()))
            continue
        g = grids[box.page]
        c_col, c_cols, c_line, c_lines = resolve_box(box, g)
        head = article.jump_head or _plain_head(article)
        size = 18.0
        typeset = ts.head(head, "song-black", size, g.span_w(c_cols), "center")
        findings.extend(char_findings(typeset.notes, page=box.page, story=article.id,
                                      element="jump head"))
        head_items = []
        y = g.line_top(c_line) + 0.3 * g.pitch_pt
        for composed in typeset.lines:
            head_items.append(TextLine(composed, g.col_x(c_col), y + 0.1 * size + 0.88 * size,
                                       "jump-head", article.id))
            y += size * 1.2
        used = lines_for(y - g.line_top(c_line) + 0.5 * g.pitch_pt, g.pitch_pt)
        segs = segments_for(c_col, c_cols, c_line + used, c_line + c_lines - 1, {})
        frames.append(FramePlan(box.page, box, segs, tuple(head_items)))
    return frames, findings


def _plain_head(article) -> str:
    head = article.headline
    text = head if isinstance(head, str) else (head.text or "")
    return text.replace("\n", "")


def _shape_outline(grid, rects) -> list[RuleItem]:
    """The frame round a shaped story: the edges of its cells that no other of its
    cells shares, joined into straight runs, drawn as _box_rect draws a box's."""
    cells = {(c, ln) for col, cols, first, last in rects
             for c in range(col, col + cols) for ln in range(first, last + 1)}

    def left(c):
        return grid.box_edges(c, c)[0]

    def right(c):
        return grid.box_edges(c, c)[1]
    across: dict[float, list[tuple[float, float]]] = {}   # y → (x0, x1) runs
    down: dict[float, list[tuple[float, float]]] = {}     # x → (y0, y1) runs
    for c, ln in sorted(cells):
        if (c, ln - 1) not in cells:
            across.setdefault(grid.line_top(ln), []).append((left(c), right(c)))
        if (c, ln + 1) not in cells:
            across.setdefault(grid.line_top(ln + 1), []).append((left(c), right(c)))
        if (c - 1, ln) not in cells:
            down.setdefault(left(c), []).append((grid.line_top(ln), grid.line_top(ln + 1)))
        if (c + 1, ln) not in cells:
            down.setdefault(right(c), []).append((grid.line_top(ln), grid.line_top(ln + 1)))

    def joined(runs):
        out: list[list[float]] = []
        for a, b in sorted(runs):
            if out and a <= out[-1][1] + 0.01:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
        return out
    return [*(RuleItem(a, y, b, y, 0.5, "K100") for y, runs in sorted(across.items())
              for a, b in joined(runs)),
            *(RuleItem(x, a, x, b, 0.5, "K100") for x, runs in sorted(down.items())
              for a, b in joined(runs))]


def _box_rect(grid, col: int, cols: int, line: int, lines: int, **style) -> RectItem:
    """A panel or frame around grid columns: half a gutter beyond the text on each
    side, but never past the type area (a box at the page's edge stops there)."""
    left, right = grid.box_edges(col, col + cols - 1)
    return RectItem(left, grid.line_top(line), right - left, lines * grid.pitch_pt, **style)


THIN_RULE_PT = 0.5          # the thin line of a 文武线: as thin as newsprint holds well


def _rule_items(rule, grid) -> list[RuleItem]:
    """A rule on the grid: solid, dotted (点线), wavy (花线), double (双线: two of its
    weight) or thick-thin (文武线: its weight over a thin line), centred where a
    solid one would be."""
    color = rule.color or "K"
    if rule.direction == "horizontal":
        cols = rule.cols or grid.columns - rule.col + 1
        y = grid.line_top(rule.line + 1)
        x0, x1 = grid.col_x(rule.col), grid.col_x(rule.col) + grid.span_w(cols)

        def at(offset: float, weight: float, style: str = "solid") -> RuleItem:
            return RuleItem(x0, y + offset, x1, y + offset, weight, color, style)
    else:
        lines = rule.lines or grid.lines - rule.line + 1
        x = grid.col_x(rule.col) - grid.gutter_pt / 2
        y0, y1 = grid.line_top(rule.line), grid.line_top(rule.line + lines)

        def at(offset: float, weight: float, style: str = "solid") -> RuleItem:
            return RuleItem(x + offset, y0, x + offset, y1, weight, color, style)
    weight = rule.weight_pt
    if rule.style in ("solid", "dotted", "wavy"):
        return [at(0.0, weight, rule.style)]
    thin = weight if rule.style == "double" else min(weight, THIN_RULE_PT)
    gap = max(1.0, weight)              # blank between the two lines
    apart = weight / 2 + gap + thin / 2  # centre to centre
    return [at(-apart / 2, weight), at(apart / 2, thin)]


def _overset_mark(grid, col: int, line: int) -> RectItem:
    """A red box with a plus at the frame's last line: the desk's overset sign."""
    size = grid.pitch_pt * 0.8
    x = grid.col_x(col) + grid.col_w_pt - size
    y = grid.line_top(line) + (grid.pitch_pt - size) / 2
    return RectItem(x, y, size, size, fill=None, stroke="red", stroke_pt=1.0, role="overset")
