"""Checks of the spec that need the page grid (known only once the geometry is
laid out): every box within its page's lines, a shaped story in one piece, a
wrapped photo inside its story, a vertical story with room, and every font
alias it names — each refused with its place in the spec."""

from __future__ import annotations

from ..errors import BroadsheetError
from ..spec import LoadedSpec
from .article import is_vertical, resolve_box, shape_rects


def check_boxes_on_grid(loaded: LoadedSpec, grids) -> None:
    """Every box within its page's body lines (the grid is known only now)."""
    def check(box, grid, where):
        if box.line > grid.lines or (box.lines and box.line + box.lines - 1 > grid.lines):
            last = box.line + (box.lines or 1) - 1
            raise BroadsheetError(f"box runs past the last body line: lines {box.line}–{last} "
                                  f"of {grid.lines}", loaded.place(*where))
    for p, page in enumerate(loaded.spec.pages, start=1):
        for a, article in enumerate(page.articles):
            check(article.box, grids[p], ("pages", p - 1, "articles", a, "box", "lines"))
            for k, rect in enumerate(article.shape):
                check(rect, grids[p], ("pages", p - 1, "articles", a, "shape", k))
            _check_shape(loaded, article, grids[p], ("pages", p - 1, "articles", a))
            _check_wraps(loaded, article, grids[p], ("pages", p - 1, "articles", a))
            _check_vertical(loaded, article, grids[p], ("pages", p - 1, "articles", a))
            for c, box in enumerate(article.continues):
                check(box, grids[box.page], ("pages", p - 1, "articles", a, "continues", c))
        if page.masthead is not None:
            check(page.masthead.box, grids[p], ("pages", p - 1, "masthead", "box"))
        if page.index is not None:
            check(page.index.box, grids[p], ("pages", p - 1, "index", "box"))


def font_references(spec):
    """Every font alias the spec names, with where: (path, alias)."""
    style = spec.style
    for key in ("body_font", "dateline_font", "byline_font", "caption_font", "subhead_font"):
        yield ("style", key), getattr(style, key)
    for p, page in enumerate(spec.pages):
        where = ("pages", p)
        if page.masthead is not None:
            yield (*where, "masthead", "name_font"), page.masthead.name_font
        for t, table in enumerate(page.tables):
            if table.font:
                yield (*where, "tables", t, "font"), table.font
        for a, article in enumerate(page.articles):
            here = (*where, "articles", a)
            for path, value in article.deck():
                if not isinstance(value, str) and value.font:
                    yield (*here, *path, "font"), value.font
            if article.drop_cap is not None and article.drop_cap.font:
                yield (*here, "drop_cap", "font"), article.drop_cap.font
            for k, note in enumerate(article.notes):
                yield (*here, "notes", k, "font"), note.font


def _check_vertical(loaded: LoadedSpec, article, grid, where: tuple) -> None:
    """A vertical story has a body beside its deck at least a character wide, and
    bands at least a character long."""
    if article.direction != "vertical":
        return
    _, cols, _, lines = resolve_box(article.box, grid)
    if cols < 2:
        raise BroadsheetError(
            f"vertical story {article.id!r} is one column wide: its deck takes that column "
            f"and leaves its text no room (less than one character); give it 2 columns or "
            f"more", loaded.place(*where, "box"))
    band = (lines * grid.pitch_pt - 0.5 * grid.pitch_pt) / article.tiers
    if band < grid.body_size_pt * 2:
        raise BroadsheetError(
            f"vertical story {article.id!r}: {article.tiers} bands in {lines} lines leave "
            f"each less than two characters", loaded.place(*where, "tiers"))
    for key in ("shape", "drop_cap", "notes"):
        if getattr(article, key):
            raise BroadsheetError(f"a vertical story with {key} is not supported yet: give "
                                  f"it one box", loaded.place(*where, key))
    if any(photo for photo in article.photos):
        raise BroadsheetError("photos in a vertical story are not supported yet: place the "
                              "photo beside it", loaded.place(*where, "photos"))


def _check_wraps(loaded: LoadedSpec, article, grid, where: tuple) -> None:
    """A wrapped photo stands inside its story's columns, with its lines given."""
    _, cols, _, lines = resolve_box(article.box, grid)
    em = grid.body_size_pt
    width = round(grid.span_w(cols) / em)             # the body's width in characters
    for k, photo in enumerate(article.photos):
        if photo.wrap is None:
            continue
        here = (*where, "photos", k)
        if is_vertical(article):
            raise BroadsheetError("text wrap round a photo in a story with a vertical deck "
                                  "is not supported", loaded.place(*here, "wrap"))
        if photo.box.lines is None:
            raise BroadsheetError("a wrapped photo needs its lines (box: {line, lines})",
                                  loaded.place(*here, "box"))
        if photo.wrap.x + photo.wrap.chars > width + 1e-6:
            raise BroadsheetError(
                f"the wrapped photo ({photo.wrap.x:g} + {photo.wrap.chars:g} characters) is "
                f"wider than its story's {width} characters", loaded.place(*here, "wrap"))
        if photo.box.line + photo.box.lines - 1 > lines:
            raise BroadsheetError(
                f"the wrapped photo (lines {photo.box.line}–"
                f"{photo.box.line + photo.box.lines - 1} of the body) is deeper than its "
                f"story's {lines} lines", loaded.place(*here, "box"))


def _check_shape(loaded: LoadedSpec, article, grid, where: tuple) -> None:
    """A shaped story's rectangles: none over another, each touching the ones
    before it along a side (one piece, read column by column)."""
    if not article.shape:
        return
    if is_vertical(article):
        raise BroadsheetError("a shaped story (shape) with a vertical deck is not supported: "
                              "give it one box", loaded.place(*where, "shape"))
    rects = shape_rects(article, grid)
    for k, (col, cols, first, last) in enumerate(rects[1:], start=1):
        place = loaded.place(*where, "shape", k - 1)
        touches = False
        for o_col, o_cols, o_first, o_last in rects[:k]:
            across = col < o_col + o_cols and o_col < col + cols      # columns in common
            down = first <= o_last and o_first <= last                # lines in common
            if across and down:
                raise BroadsheetError(
                    f"shape rectangle {k} (columns {col}–{col + cols - 1}, lines "
                    f"{first}–{last}) lies over another part of story {article.id!r}",
                    place)
            touches = touches or (across and (first == o_last + 1 or o_first == last + 1)) \
                or (down and (col == o_col + o_cols or o_col == col + cols))
        if not touches:
            raise BroadsheetError(
                f"shape rectangle {k} (columns {col}–{col + cols - 1}, lines {first}–{last}) "
                f"does not touch the rest of story {article.id!r}: a shape is one piece "
                f"(for another place, use continues)", place)
