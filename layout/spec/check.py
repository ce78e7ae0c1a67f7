"""Checks the schema cannot express: the grid, references between items, files."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

from ..colors import HOUSE, ink_percent
from ..conditions import CONDITIONS, ink_limit
from ..errors import BroadsheetError, did_you_mean
from ..files import resolved
from ..findings import Finding
from ..limits import MAX_FILE_BYTES, PHOTO_FORMATS, max_image_pixels
from ..units import PT_PER_MM
from .model import Box, Spec, TextStyle, font_file
from .presets import page_size_pt
from .yamlsource import Positions, read_copy


MAX_DECK_CHARS = 300      # a head is never longer; fitting one costs its length squared


def check_spec(spec: Spec, positions: Positions, base: Path) -> None:
    _no_direction_on_boxes(spec, positions)
    try:
        dt.date.fromisoformat(spec.edition.date)
    except ValueError:
        raise BroadsheetError(f"edition date must be YYYY-MM-DD, got {spec.edition.date!r}",
                              positions.place(("edition", "date"))) from None
    try:
        page_size_pt(spec.geometry.size)
    except ValueError as exc:
        raise BroadsheetError(str(exc), positions.place(("geometry", "size"))) from None
    for key in ("pitch_pt", "body_size_pt"):       # a line or a character of no size
        if getattr(spec.geometry, key) < 0.5:
            name = key[:-3]
            raise BroadsheetError(f"{name} must be at least 0.5 pt",
                                  positions.place(("geometry", name)))
    if not spec.pages:
        raise BroadsheetError("an edition needs at least one page", positions.place(("pages",)))
    _check_room(spec, page_size_pt(spec.geometry.size), positions)
    ids: dict[str, tuple] = {}
    n_pages = len(spec.pages)
    for p, page in enumerate(spec.pages):
        if page.size is not None:
            try:
                size = page_size_pt(page.size)
            except ValueError as exc:
                raise BroadsheetError(str(exc), positions.place(("pages", p, "size"))) from None
            _check_room(spec, size, positions)
        for a, article in enumerate(page.articles):
            where = ("pages", p, "articles", a)
            if article.id in ids:
                raise BroadsheetError(f"article id {article.id!r} is used twice",
                                      positions.place(where + ("id",)))
            ids[article.id] = where
            if article.copy is None and article.body is None and not article.notes:
                raise BroadsheetError(f"article {article.id!r} has neither copy (a file) nor body",
                                      positions.place(where))
            if article.copy is not None and article.body is not None:
                raise BroadsheetError(f"article {article.id!r} has both copy and body; keep one",
                                      positions.place(where + ("body",)))
            _check_box(article.box, positions, where + ("box",), spec)
            for k, rect in enumerate(article.shape):
                _check_box(rect, positions, where + ("shape", k), spec)
            if article.drop_cap is not None and article.dateline:
                raise BroadsheetError("a drop cap opens a paragraph that starts with the "
                                      "dateline: keep one of them",
                                      positions.place(where + ("drop_cap",), key=True))
            for path, deck in article.deck():
                kind = path[0]
                text = deck if isinstance(deck, str) else (deck.text or "")
                if len(text) > MAX_DECK_CHARS:
                    raise BroadsheetError(f"a {kind} of {len(text):,} characters: a deck line "
                                          f"has at most {MAX_DECK_CHARS}",
                                          positions.place(where + path))
                _check_deck_keys(deck, path, article, positions, where)
            for c, box in enumerate(article.continues):
                if box.page is None:
                    raise BroadsheetError("a continuation box needs the page it is on",
                                          positions.place(where + ("continues", c)))
                if not 1 <= box.page <= n_pages:
                    raise BroadsheetError(f"page {box.page} is not in this edition (1–{n_pages})",
                                          positions.place(where + ("continues", c, "page")))
                if box.page == p + 1:
                    raise BroadsheetError(
                        f"a continuation on page {box.page}, the story's own page: more of "
                        f"the story on its page is part of its shape (shape: [...]), read "
                        f"on without a jump line or a second head",
                        positions.place(where + ("continues", c, "page")))
                _check_box(box, positions, where + ("continues", c), spec, continuation=True)
                if box.direction == "vertical" and c < len(article.continues) - 1:
                    raise BroadsheetError("a vertical continuation must be the story's last",
                                          positions.place(where + ("continues", c, "direction")))
                if box.direction == "vertical" and article.direction == "vertical":
                    raise BroadsheetError("a vertical story goes on across: its continuation "
                                          "is set horizontally",
                                          positions.place(where + ("continues", c, "direction")))
            if article.copy is not None:
                check_file(base, article.copy, "copy", positions, where + ("copy",))
            for f, photo in enumerate(article.photos):
                path = check_file(base, photo.file, "photo", positions,
                                   where + ("photos", f, "file"))
                check_image(path, positions.place(where + ("photos", f, "file")))
        if page.index is not None:
            _check_box(page.index.box, positions, ("pages", p, "index", "box"), spec)
        for t, table in enumerate(page.tables):
            where = ("pages", p, "tables", t)
            if table.id in ids:
                raise BroadsheetError(f"id {table.id!r} is used twice",
                                      positions.place(where + ("id",)))
            ids[table.id] = where
            if not table.columns:
                raise BroadsheetError(f"table {table.id!r} has no columns",
                                      positions.place(where + ("columns",)))
            _check_box(table.box, positions, where + ("box",), spec)
            if table.csv is not None:
                check_file(base, table.csv, "CSV", positions, where + ("csv",))
    for p, page in enumerate(spec.pages):
        if page.index is None:
            continue
        for i, item in enumerate(page.index.items):
            if item.ref not in ids:
                raise BroadsheetError(f"index item points to unknown article {item.ref!r}"
                                      + did_you_mean(item.ref, ids),
                                      positions.place(("pages", p, "index", "items", i, "ref")))
    for alias, value in sorted(spec.fonts.items()):
        check_file(base, font_file(value)[0], "font", positions,
                   ("fonts", alias) if isinstance(value, str) else ("fonts", alias, "file"))
    if spec.prepress.profile is not None:
        where = ("prepress", "profile")
        path = check_file(base, spec.prepress.profile, "profile", positions, where)
        _check_cmyk_profile(path, positions.place(where))
    condition = spec.prepress.output_condition
    if condition not in CONDITIONS and spec.prepress.profile is None:
        known = ", ".join(CONDITIONS)
        raise BroadsheetError(f"output condition {condition!r} is not one the tool knows "
                              f"({known}): give the plant's profile (prepress: profile), "
                              f"which the PDF then embeds", positions.place(("prepress",
                                                                             "output_condition")))
    check_ink(spec, positions)
    for key in spec.style.deck_sizes:
        if not key.isdigit() or not 1 <= int(key) <= spec.geometry.columns:
            raise BroadsheetError(
                f"deck_sizes: {key!r} is not a number of columns (1 to "
                f"{spec.geometry.columns}); write e.g. 3: {{headline: 一号}}",
                positions.place(("style", "deck_sizes", key), key=True))


def _check_deck_keys(deck, path: tuple, article, positions: Positions, where: tuple) -> None:
    """Deck keys that would be accepted and then have no effect are refused: the
    whole deck turns vertical with its headline, and a vertical head is fitted to
    its strip already."""
    if not isinstance(deck, TextStyle):
        return
    kind = path[0]
    if deck.vertical and kind != "headline":
        raise BroadsheetError(f"vertical on the {kind} has no effect: set vertical: true on "
                              f"the headline, and the whole deck is set vertically",
                              positions.place(where + (*path, "vertical"), key=True))
    head = article.headline
    if deck.fit and isinstance(head, TextStyle) and head.vertical:
        raise BroadsheetError("fit has no effect in a vertical deck (its heads are sized to "
                              "the strip); remove it", positions.place(where + (*path, "fit"),
                                                                        key=True))


def check_ink(spec: Spec, positions: Positions) -> None:
    """Every colour the spec gives — named colours, tints, the masthead's and the
    decks' colours — is a CMYK colour within the ink limit of the output
    condition, unless the spec allows that named colour past it."""
    limit = ink_limit(spec.prepress.output_condition, spec.prepress.tac_percent)
    allowed = set(spec.prepress.over_limit_colors)
    for name in allowed - set(spec.colors):
        raise BroadsheetError(f"{name!r} is not a named colour (colors:)",
                              positions.place(("prepress", "over_limit_colors")))

    def check(value: str | None, where: tuple) -> None:
        if value is None or value in allowed:
            return
        try:
            ink = ink_percent(value, spec.colors)
        except ValueError as exc:
            known = sorted({*spec.colors, *HOUSE})
            hint = did_you_mean(value, known) or f"; the named colours are {', '.join(known)}"
            raise BroadsheetError(str(exc) + hint, positions.place(where)) from None
        if ink > limit + 1e-6:
            raise BroadsheetError(
                f"colour {value!r} is {ink:.0f}% ink, over the {limit:.0f}% limit of "
                f"{spec.prepress.output_condition}: lighten it, or allow it by name "
                f"(prepress: over_limit_colors)", positions.place(where))
    for name, value in spec.colors.items():
        check(name, ("colors", name))
    for p, page in enumerate(spec.pages):
        if page.masthead is not None:
            check(page.masthead.name_color, ("pages", p, "masthead", "name_color"))
        if page.index is not None:
            check(page.index.tint, ("pages", p, "index", "tint"))
        for k, panel in enumerate(page.panels):
            check(panel.tint, ("pages", p, "panels", k, "tint"))
        for r, rule in enumerate(page.rules):
            check(rule.color, ("pages", p, "rules", r, "color"))
        for t, table in enumerate(page.tables):
            check(table.rule_color, ("pages", p, "tables", t, "rule_color"))
        for a, article in enumerate(page.articles):
            check(article.tint, ("pages", p, "articles", a, "tint"))
            for path, element in article.deck():
                if isinstance(element, TextStyle):
                    check(element.color, ("pages", p, "articles", a, *path, "color"))
            if article.drop_cap is not None:
                check(article.drop_cap.color, ("pages", p, "articles", a, "drop_cap", "color"))
            for n, note in enumerate(article.notes):
                check(note.tint, ("pages", p, "articles", a, "notes", n, "tint"))
    for k, name in enumerate(spec.prepress.spot_colors):
        where = positions.place(("prepress", "spot_colors", k))
        if name not in spec.colors:
            raise BroadsheetError(f"{name!r} is not a named colour (colors:): a spot colour "
                                  f"needs its CMYK alternate there", where)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9 _.-]{0,62}", name):
            raise BroadsheetError(f"spot colour {name!r}: its name goes on the plate and in "
                                  f"the plant's RIP; use Latin letters and digits "
                                  f"(e.g. Spot-Red, PANTONE 485 C)", where)


def _check_cmyk_profile(path: Path, place) -> None:
    """The plant's profile must be an ICC output profile for CMYK."""
    from PIL import ImageCms     # 14 ms to import; only a spec with its own profile needs it
    try:
        profile = ImageCms.getOpenProfile(str(path))
    except (OSError, ImageCms.PyCMSError) as exc:
        raise BroadsheetError(f"not an ICC profile: {path.name} ({exc})", place) from None
    if profile.profile.xcolor_space.strip() != "CMYK":
        raise BroadsheetError(f"{path.name} is a {profile.profile.xcolor_space.strip()} profile; "
                              f"the plant's profile must be CMYK", place)
    try:                 # a damaged profile opens, and fails only when it is used
        ImageCms.buildTransform(ImageCms.createProfile("sRGB"), profile, "RGB", "CMYK")
    except (OSError, ImageCms.PyCMSError) as exc:
        raise BroadsheetError(f"{path.name} cannot separate colours (a damaged profile?): "
                              f"{exc}", place) from None


def _no_direction_on_boxes(spec: Spec, positions: Positions) -> None:
    """`direction` on a box other than a continuation would be read and ignored."""
    for p, page in enumerate(spec.pages):
        boxes = [(("masthead", "box"), page.masthead.box)] if page.masthead else []
        boxes += [(("panels", k, "box"), panel.box) for k, panel in enumerate(page.panels)]
        boxes += [(("ads", k, "box"), ad.box) for k, ad in enumerate(page.ads)]
        for a, article in enumerate(page.articles):
            boxes += [(("articles", a, "photos", k, "box"), photo.box)
                      for k, photo in enumerate(article.photos)]
        for path, box in boxes:
            if box.direction is not None:
                _check_box(box, positions, ("pages", p, *path), spec)


def _check_box(box: Box, positions: Positions, where: tuple, spec: Spec,
               continuation: bool = False) -> None:
    if box.direction is not None and not continuation:
        raise BroadsheetError("direction belongs to a continuation box (continues); a story "
                              "set vertically is an article with direction: vertical",
                              positions.place(where + ("direction",)))
    for name in ("col", "line", "cols", "lines"):
        value = getattr(box, name)
        if value is not None and value < 1:
            raise BroadsheetError(f"{name} must be 1 or more, got {value}",
                                  positions.place(where + (name,)))
    columns = spec.geometry.columns
    if box.col > columns:
        raise BroadsheetError(f"column {box.col} is past the page's {columns} columns",
                              positions.place(where + ("col",)))
    if box.cols is not None and box.col + box.cols - 1 > columns:
        raise BroadsheetError(
            f"box runs past the last column: columns {box.col}–{box.col + box.cols - 1} "
            f"of {columns}", positions.place(where + ("cols",)))


MIN_SIDE_MARGIN_PT = 16 * PT_PER_MM    # the grid keeps 8 mm a side when columns must narrow


def _check_room(spec: Spec, size: tuple[float, float], positions: Positions) -> None:
    """The grid must have room on a page of `size`: a body line between the top and
    bottom margins, and each column at least one character wide."""
    geometry = spec.geometry
    trim_w, trim_h = size
    if geometry.top_pt + geometry.bottom_pt + geometry.pitch_pt > trim_h:
        name = "top" if geometry.top_pt >= geometry.bottom_pt else "bottom"
        raise BroadsheetError(
            f"the top and bottom margins ({geometry.top_pt / PT_PER_MM:.0f} mm and "
            f"{geometry.bottom_pt / PT_PER_MM:.0f} mm) leave no body line on a page "
            f"{trim_h / PT_PER_MM:.0f} mm high", positions.place(("geometry", name)))
    em = geometry.body_size_pt
    narrowest = geometry.columns * em + (geometry.columns - 1) * geometry.gutter_chars * em
    if narrowest > trim_w - MIN_SIDE_MARGIN_PT:
        raise BroadsheetError(
            f"{geometry.columns} columns of even one character, with their gutters, do not "
            f"fit a page {trim_w / PT_PER_MM:.0f} mm wide", positions.place(("geometry", "columns")))


def check_file(base: Path, name: str, what: str, positions: Positions, where: tuple) -> Path:
    """A file the spec names: a regular file within its kind's size limit; its path.
    (Under --root, `base` is the confined snapshot: see confined.py.)"""
    path = (base / name)
    if not path.exists():
        raise BroadsheetError(f"{what} file not found: {name}", positions.place(where))
    if not path.is_file():          # a folder, a device (/dev/zero), a FIFO
        raise BroadsheetError(f"{what} is not a regular file: {name}", positions.place(where))
    limit = MAX_FILE_BYTES.get(what, MAX_FILE_BYTES["photo"])
    if path.stat().st_size > limit:
        raise BroadsheetError(f"{what} file is larger than {limit // 2**20} MiB: {name}",
                              positions.place(where))
    return path


def check_image(path: Path, place) -> None:
    """Open the photo's header: a format Pillow reads, within the pixel limit."""
    from PIL import Image        # 9 ms to import; only a spec with photos needs it

    limit = max_image_pixels()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        Image.MAX_IMAGE_PIXELS = limit
        try:
            with Image.open(path, formats=PHOTO_FORMATS) as im:
                w, h = im.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise BroadsheetError(f"photo is too large (more than {limit:,} pixels): "
                                  f"{path.name}", place) from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise BroadsheetError(f"cannot read photo {path.name}: {exc}", place) from None
    if w * h > limit:
        raise BroadsheetError(f"photo is too large ({w} × {h} pixels): {path.name}", place)


def resolve_copy(spec: Spec, positions: Positions,
                 base: Path) -> tuple[dict[str, str], list[Path], list[Finding]]:
    """Each article's copy, every file the render reads, and what reading found."""
    copy: dict[str, str] = {}
    inputs: list[Path] = []
    findings: list[Finding] = []
    for p, page in enumerate(spec.pages):
        for a, article in enumerate(page.articles):
            for photo in article.photos:
                inputs.append(resolved(base / photo.file))
            if article.copy is None:         # inline, or only a note (a 短评 on its own)
                copy[article.id] = article.body or ""
                continue
            where = positions.place(("pages", p, "articles", a, "copy"))
            path = base / article.copy
            copy[article.id], warning = read_copy(path, where,
                                                  spec.style.copy_encoding == "auto")
            if warning:
                findings.append(Finding("copy.encoding", warning, "save the file as UTF-8",
                                        story=article.id, source=where))
            inputs.append(resolved(path))
    for value in spec.fonts.values():
        inputs.append(resolved(base / font_file(value)[0]))
    if spec.prepress.profile is not None:
        inputs.append(resolved(base / spec.prepress.profile))
    return copy, inputs, findings
