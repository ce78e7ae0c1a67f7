"""paint: the layout result → PDF, written through ReportLab (behind reportlab_door).

Print rules kept here (see prepress notes): CMYK colour objects with alpha=None
(alpha raises the file to PDF 1.4), an embedded initial font (never the
default Helvetica), black text and rules set to overprint, TrimBox and BleedBox
on every page, crop marks drawn by us outside the bleed.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..fonts import FontBook
from ..fonts.vertical import VERTICAL_SUFFIX
from ..memo import RecentMemo
from ..place.result import AdItem, ImageItem, Layout, RectItem, RuleItem, TextLine
from ..pdfx import PdfXDeclaration
from . import reportlab_door as rl
from .ads import FormCopier, paint_ad
from ..colors import cmyk
from .document import declare, stamp_id
from .fontembed import EmbeddedFonts
from .images import PreparedImage, prepare_image
from .reportlab_door import CMYKColor, CMYKColorSep, fp_str
from .streams import flate_stream


def _color(value: str | None, named: dict[str, str]):
    """A ReportLab colour: a spot ink (Separation, its CMYK the alternate) where the
    spec names it a spot colour (`named` is a SpotNames then), else process CMYK."""
    if value is None:
        return None
    c, m, y, k = cmyk(value, named)
    if value in getattr(named, "spots", ()):
        return CMYKColorSep(c, m, y, k, spotName=value, density=1, alpha=None)
    return CMYKColor(c, m, y, k, alpha=None)


class SpotNames(dict):
    """The named colours, knowing which of them the plant prints as spot inks."""

    def __init__(self, named: dict[str, str], spots=()):
        super().__init__(named)
        self.spots = frozenset(spots)


def paint_pdf(layout: Layout, fonts: FontBook, declaration: PdfXDeclaration, *,
              named_colors: dict[str, str] | None = None, image_cache: Path | None = None,
              on_page=None, marks=None, slug=None, profile: Path | None = None,
              text_runs: dict | RecentMemo | None = None, ink_limit: float | None = None,
              proof_marks: bool = False, spot_colors=()) -> bytes:
    """The PDF of the layout, PDF/X as declared.  `on_page(number)` is called as
    each page is painted (for progress); `text_runs` memoises lines as PDF text
    runs (a long-lived process passes the same one, with the same fonts).
    `proof_marks`: a proof for the desk, with the red overset marks (tagged, so
    check of the file says so); the plant's file never has them."""
    named = SpotNames(named_colors or {}, spot_colors)
    text_runs = {} if text_runs is None else text_runs
    first = layout.pages[0].grid
    media = (first.trim_w_pt + 2 * first.slug_pt, first.trim_h_pt + 2 * first.slug_pt)
    target = io.BytesIO()
    canvas = rl.new_canvas(target, media)
    doc = rl.document(canvas)
    embedded = EmbeddedFonts(fonts, doc)
    forms = FormCopier(doc)
    declare(doc, declaration)
    # Every photo prepared (converted for press, or found in the cache) before
    # any page is painted: an unreadable photo stops the render before the
    # painting work, and conversion, a first render's memory peak, is one phase.
    photos = {item: prepare_image(Path(item.file), item.width_pt, item.height_pt, item.fit,
                                  item.focus, image_cache, profile, ink_limit)
              for page in layout.pages for item in page.items if isinstance(item, ImageItem)}
    for page in layout.pages:
        g = page.grid
        media_w, media_h = g.trim_w_pt + 2 * g.slug_pt, g.trim_h_pt + 2 * g.slug_pt
        canvas.setPageSize((media_w, media_h))
        s = g.slug_pt
        canvas.setTrimBox((s, s, s + g.trim_w_pt, s + g.trim_h_pt))
        canvas.setBleedBox((s - g.bleed_pt, s - g.bleed_pt, s + g.trim_w_pt + g.bleed_pt,
                            s + g.trim_h_pt + g.bleed_pt))

        def X(x: float) -> float:
            return s + x

        def Y(y: float) -> float:
            return media_h - s - y

        inks = _Overprint(canvas)
        for item in page.items:
            if isinstance(item, RectItem) and (item.role != "overset" or proof_marks):
                _paint_rect(canvas, item, X, Y, named, inks)
        inks.set(False)          # photos and supplied ads knock out what lies below
        for item in page.items:
            if isinstance(item, ImageItem):
                _paint_image(canvas, item, photos[item], X, Y)
            elif isinstance(item, AdItem):
                paint_ad(canvas, item, X, Y, forms, image_cache, profile)
        for item in page.items:
            if isinstance(item, RuleItem):
                canvas.setStrokeColor(_color(item.color, named))
                inks.set(_is_black(item.color, named))
                _paint_rule(canvas, item, X, Y)
        _paint_text(canvas, fonts, embedded, [i for i in page.items if isinstance(i, TextLine)],
                    X, Y, named, text_runs, inks)
        if g.slug_pt > g.bleed_pt and marks is not None:
            _marks(canvas, fonts, embedded, g, marks,
                   slug(page) if slug and marks.slug else None)
        canvas.showPage()
        # The page's content is compressed now, so its text is freed before the
        # next page is painted.
        rl.finish_page(canvas, flate_stream)
        if on_page is not None:
            on_page(page.number)
    canvas.save()
    return stamp_id(target.getvalue())


# A placeholder for an ad without artwork, and a proof's overset mark, are marked
# content with these tags, so a preflight of the file alone still finds them
# (prepress/pages.py reports them).
AD_PLACEHOLDER_TAG = "BroadsheetAdPlaceholder"
OVERSET_MARK_TAG = "BroadsheetOversetMark"


class _Overprint:
    """Which of our graphics states a page's content is in, written where it changes.

    Black (text, rules, frames) overprints; tints, photos, ads and colours knock
    out.  Nothing that changes it is painted inside q … Q, so following the
    content in order is enough.
    """

    def __init__(self, canvas):
        self.canvas = canvas
        self.state: bool | None = None

    def set(self, overprint: bool) -> None:
        if overprint != self.state:
            rl.use_graphics_state(self.canvas, rl.OVERPRINT if overprint else rl.KNOCKOUT)
            self.state = overprint


def _is_black(value: str | None, named: dict) -> bool:
    """Solid black alone (C0 M0 Y0 K100, by any name): the ink that overprints."""
    return value is not None and value not in getattr(named, "spots", ()) and \
        cmyk(value, named) == (0.0, 0.0, 0.0, 1.0)


WAVE_LENGTH_PT = 6.0      # 花线: one wave every 6 pt, as high as four times the weight


def _paint_rule(canvas, item: RuleItem, X, Y) -> None:
    """A rule: solid; dotted (点线: round dots a weight apart); wavy (花线)."""
    canvas.setLineWidth(item.weight_pt)
    x1, y1, x2, y2 = X(item.x1_pt), Y(item.y1_pt), X(item.x2_pt), Y(item.y2_pt)
    if item.style == "dotted":
        canvas.setLineCap(1)
        canvas.setDash([0, 2 * item.weight_pt + 1.0])
        canvas.line(x1, y1, x2, y2)
        canvas.setDash([])
        canvas.setLineCap(0)
        return
    if item.style != "wavy":
        canvas.line(x1, y1, x2, y2)
        return
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    waves = max(1, round(length / WAVE_LENGTH_PT))
    ux, uy = (x2 - x1) / length, (y2 - y1) / length       # along the rule
    nx, ny = -uy, ux                                      # across it
    amp = 2 * item.weight_pt
    step = length / waves
    path = canvas.beginPath()
    path.moveTo(x1, y1)
    for k in range(waves):
        ax, ay = x1 + ux * step * k, y1 + uy * step * k
        sign = 1 if k % 2 == 0 else -1
        c1 = (ax + ux * step / 3 + nx * amp * sign, ay + uy * step / 3 + ny * amp * sign)
        c2 = (ax + ux * 2 * step / 3 + nx * amp * sign, ay + uy * 2 * step / 3 + ny * amp * sign)
        path.curveTo(*c1, *c2, ax + ux * step, ay + uy * step)
    canvas.drawPath(path, stroke=1, fill=0)


def _paint_rect(canvas, item: RectItem, X, Y, named, inks: _Overprint) -> None:
    if item.role == "ad-placeholder":
        rl.append_code(canvas, f"/{AD_PLACEHOLDER_TAG} BMC")
    elif item.role == "overset":
        rl.append_code(canvas, f"/{OVERSET_MARK_TAG} BMC")
    fill = _color(item.fill, named) if item.fill else None
    stroke = _color(item.stroke, named) if item.stroke else None
    x, y = X(item.x_pt), Y(item.y_pt + item.height_pt)
    if fill is not None:          # a tint or a colour: knocks out
        canvas.setFillColor(fill)
        inks.set(_is_black(item.fill, named))
        canvas.rect(x, y, item.width_pt, item.height_pt, stroke=0, fill=1)
    if stroke is not None:        # a frame: overprints when black
        canvas.setStrokeColor(stroke)
        canvas.setLineWidth(item.stroke_pt)
        inks.set(_is_black(item.stroke, named))
        canvas.rect(x, y, item.width_pt, item.height_pt, stroke=1, fill=0)
    if item.role == "overset":
        cx = X(item.x_pt + item.width_pt / 2)
        cy = Y(item.y_pt + item.height_pt / 2)
        r = item.width_pt * 0.3
        canvas.line(cx - r, cy, cx + r, cy)
        canvas.line(cx, cy - r, cx, cy + r)
    if item.role in ("ad-placeholder", "overset"):
        rl.append_code(canvas, "EMC")


def _paint_image(canvas, item: ImageItem, prepared: PreparedImage, X, Y) -> None:
    # What canvas.drawImage does, but the XObject is named by the prepared file's
    # content key: drawImage names it by the file's path, so the same spec gave
    # different bytes with a different cache folder.
    registered = rl.use_image(canvas, f"Photo{prepared.path.stem}", str(prepared.path))
    canvas.saveState()
    canvas.translate(X(item.x_pt + prepared.offset_x_pt),
                     Y(item.y_pt + prepared.offset_y_pt + prepared.height_pt))
    canvas.scale(prepared.width_pt, prepared.height_pt)
    rl.append_code(canvas, f"/{registered} Do")
    canvas.restoreState()


def _paint_text(canvas, fonts: FontBook, embedded: EmbeddedFonts, lines: list[TextLine],
                X, Y, named, text_runs: dict | RecentMemo, inks: _Overprint) -> None:
    """The page's typeset lines as PDF text operators, written directly.

    Each line is a text object of runs (see `_runs`), each run at its own text
    origin.  Fill colour and overprint are set only where they change: black
    type overprints (no knock-out holes to misregister), paper-white never does.
    """
    color = None
    # Font, size, horizontal scale and character spacing are text state: part of
    # the graphics state, kept from one text object to the next (only colour
    # operators come between the lines), so each is written where it changes.
    state = (None, None, None)
    for item in lines:
        runs = _runs(fonts, item.line, text_runs)
        if not runs:
            continue
        if item.color != color:
            color = item.color
            canvas.setFillColor(_color(color, named))
            inks.set(_is_black(color, named))
        base_y = fp_str(Y(item.baseline_pt))
        x0 = X(item.x_pt)
        # Glyphs standing for other characters copy out as the text written.
        ops = [f"/Span <</ActualText <FEFF{item.actual.encode('utf-16-be').hex().upper()}>"
               f">> BDC BT"] if item.actual else ["BT"]
        for alias, size, scale, spacing, x, text in runs:
            used = embedded.resource(alias)
            if state[0] != (used.name, size):
                ops.append(f"/{used.name} {size} Tf")
            if state[1] != scale:
                ops.append(f"{scale} Tz")
            if state[2] != spacing:
                ops.append(f"{spacing} Tc")
            state = ((used.name, size), scale, spacing)
            if alias.endswith(VERTICAL_SUFFIX):     # the face's vertical alternates
                codes = embedded.encode_vertical(used, text)
            else:
                codes = embedded.encode(used, text)
            if item.turned:                         # down the page, glyphs turned
                ops.append(f"0 -1 1 0 {fp_str(x0)} {fp_str(Y(item.baseline_pt + x))} Tm "
                           f"<{codes}> Tj")
            else:
                ops.append(f"1 0 0 1 {fp_str(x0 + x)} {base_y} Tm <{codes}> Tj")
        ops.append("ET EMC" if item.actual else "ET")
        rl.append_code(canvas, "\n".join(ops))
    resets = []
    if state[2] not in (None, "0"):
        resets.append("0 Tc")           # leave the text state clean for what follows
    if state[1] not in (None, "100"):
        resets.append("100 Tz")
    if resets:
        rl.append_code(canvas, " ".join(resets))
    inks.set(False)


def _runs(fonts: FontBook, line, memo_of: dict | RecentMemo) -> tuple:
    """A line's glyphs as runs that sit at their natural advance plus one character
    spacing (Tc): (font, size, scale %, spacing, x, text), numbers as PDF text.

    Characters no font has are reported by layout and never drawn (no boxes).
    A composed line is the same object every time its paragraph comes from the
    compose memo, so a long-lived process (watch) that keeps both memos works
    out its runs once.  The memo is the caller's: a module-level one kept every
    line of every edition of a batch alive (and walked by the collector).
    """
    key = id(line)
    memo = memo_of.get(key)
    if memo is not None and memo[0] is line:
        return memo[1]
    glyphs = line.glyphs
    out = []
    n = len(glyphs)
    k = 0
    while k < n:
        g0 = glyphs[k]
        lookup = fonts.face(g0.font).lookup
        if lookup(ord(g0.ch)) is None:
            k += 1
            continue
        style = (g0.font, g0.size_pt, g0.scale_x)
        end = k + 1
        spacing = None
        prev = g0
        while end < n:
            g = glyphs[end]
            if (g.font, g.size_pt, g.scale_x) != style or lookup(ord(g.ch)) is None:
                break
            gap = g.x_pt - prev.x_pt - lookup(ord(prev.ch))[1] * prev.size_pt * prev.scale_x
            if spacing is None:
                spacing = gap
            elif abs(gap - spacing) > 0.005:
                break
            prev = g
            end += 1
        out.append((g0.font, fp_str(g0.size_pt), fp_str(g0.scale_x * 100),
                    fp_str(round(spacing or 0.0, 4)), g0.x_pt,
                    "".join(g.ch for g in glyphs[k:end])))
        k = end
    if len(memo_of) > 200_000:
        memo_of.clear()
    runs = memo_of[key] = (line, tuple(out))
    return runs[1]


def _marks(canvas, fonts: FontBook, embedded: EmbeddedFonts, g, marks,
           slug_text: str | None) -> None:
    """Crop and registration marks, colour bars and the slug line, all outside the bleed."""
    s = g.slug_pt
    media_w, media_h = g.trim_w_pt + 2 * s, g.trim_h_pt + 2 * s
    registration = CMYKColor(1, 1, 1, 1, alpha=None)      # on every plate
    canvas.setStrokeColor(registration)
    canvas.setLineWidth(0.25)
    gap = g.bleed_pt + 1.0
    if marks.crop:
        for x in (s, s + g.trim_w_pt):
            for y in (s, s + g.trim_h_pt):
                out_x = -1 if x == s else 1
                out_y = -1 if y == s else 1
                canvas.line(x, y + out_y * gap, x, y + out_y * (s - 1))
                canvas.line(x + out_x * gap, y, x + out_x * (s - 1), y)
    if marks.registration:
        r = min(s * 0.25, 8)
        for cx, cy in ((media_w / 2, s / 2), (media_w / 2, media_h - s / 2),
                       (s / 2, media_h / 2), (media_w - s / 2, media_h / 2)):
            canvas.circle(cx, cy, r * 0.6, stroke=1, fill=0)
            canvas.line(cx - r, cy, cx + r, cy)
            canvas.line(cx, cy - r, cx, cy + r)
    if marks.color_bars:
        # Solid inks, overprints and a K tint scale along the foot, outside the bleed.
        patches = [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (1, 1, 0, 0),
                   (0, 1, 1, 0), (1, 0, 1, 0), (0, 0, 0, 0.25), (0, 0, 0, 0.5),
                   (0, 0, 0, 0.75), (0.4, 0.4, 0.4, 0)]
        size = min(s - g.bleed_pt - 2, 14)
        x = s + g.trim_w_pt * 0.62
        y = (s - g.bleed_pt - size) / 2
        for c, m, yv, k in patches:
            canvas.setFillColor(CMYKColor(c, m, yv, k, alpha=None))
            canvas.rect(x, y, size, size, stroke=0, fill=1)
            x += size
    if slug_text:
        face = fonts.face("hei")
        used = embedded.resource("hei")
        codes = embedded.encode(used, "".join(ch for ch in slug_text if face.covers(ch)))
        canvas.setFillColor(CMYKColor(0, 0, 0, 1, alpha=None))
        # Tc and Tz outlive BT/ET: reset what the lines set.
        rl.append_code(canvas, f"BT /{used.name} 6 Tf 0 Tc 100 Tz 1 0 0 1 "
                            f"{fp_str(s + 8 * 72 / 25.4)} {fp_str(media_h - s + g.bleed_pt + 3)} "
                            f"Tm <{codes}> Tj ET")
