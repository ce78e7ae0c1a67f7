"""Preflight of one page: its boxes, annotations and actions, transparency, fonts,
and everything its content draws — colours and their spaces, ink, rules, type,
images (inline ones too), shadings, forms and what they hold.

Places are mm from the trim's top-left corner.  `family` is the standard the
page is held to: "X-1a" (CMYK and grey only, no transparency), "X-3" (also
colour-managed CMYK, grey and Lab; no transparency) or "X-4" (transparency
allowed).  RGB in any form is an error for all three: the plant prints CMYK.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import zlib
from dataclasses import asdict, dataclass

import pikepdf
from pikepdf import PdfImage
from PIL import Image, ImageChops

from ..colors import image_ink_percent
from ..findings import Finding

MM = 72 / 25.4
PROCESS_INKS = {"/Cyan", "/Magenta", "/Yellow", "/Black"}
PAINTS_FILL = {"f", "F", "f*", "B", "B*", "b", "b*"}
PAINTS_STROKE = {"S", "s", "B", "B*", "b", "b*"}
SHOWS_TEXT = {"Tj", "TJ", "'", '"'}
MAX_FORM_DEPTH = 8
# Annotations a plant accepts inside the trim: they are not printed content.
PRINT_ANNOTATIONS = {"/PrinterMark", "/TrapNet"}
AD_PLACEHOLDER_TAG = "/BroadsheetAdPlaceholder"
OVERSET_MARK_TAG = "/BroadsheetOversetMark"


def finding(code: str, severity: str, message: str, fix: str, page: int | None = None,
            x_mm: float | None = None, y_mm: float | None = None,
            object: str | None = None) -> Finding:
    """A preflight finding, in the order the checks state them."""
    return Finding(code, message, fix, page=page, x_mm=x_mm, y_mm=y_mm, object=object,
                   severity=severity)


@dataclass
class _State:
    ctm: tuple = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    fill: tuple = ("DeviceGray", (0.0,))
    stroke: tuple = ("DeviceGray", (0.0,))
    line_width: float = 1.0
    font_size: float = 0.0
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"


def _mul(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _scale(m) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0


def _contains(outer, inner) -> bool:
    return outer[0] <= inner[0] + 0.01 and outer[1] <= inner[1] + 0.01 and \
        outer[2] >= inner[2] - 0.01 and outer[3] >= inner[3] - 0.01


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# Bounds on the work a hostile file can make a check do: each, passed, is a
# finding ("too complex to check"), never a hang or an exhausted memory.
MAX_OPERATORS = 2_000_000          # per page, forms included
MAX_STATE_DEPTH = 256              # q … Q nesting
MAX_STREAM_BYTES = 64 * 2**20      # one content stream, decompressed
MAX_IMAGE_PIXELS = 150_000_000     # an image decoded to measure its ink


class _TooComplex(Exception):
    """The page is past a bound: what was found so far stands."""


@dataclass
class _Walk:
    """Where a content stream's walk is: graphics state, its stack, text matrix,
    and the current path's first point."""

    state: _State
    stack: list = None
    tm: tuple = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    point: tuple = (0.0, 0.0)

    def __post_init__(self):
        self.stack = []


def check_page(pdf, page, number: int, limits, family: str) -> list[Finding]:
    """Every finding on page `number` (1-based), held to the standard `family`;
    a page too damaged to check is a finding itself, never a traceback."""
    check = _PageCheck(pdf, page, number, limits, family)
    try:
        return check.run()
    except _TooComplex:
        return check.out
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError,
            pikepdf.PdfError) as exc:
        return check.out + [finding("pdf.syntax", "error", f"the page cannot be checked: "
                                    f"{exc.__class__.__name__}: {exc}", "re-export the page",
                                    number)]


class _PageCheck:
    """One page's preflight; what it found accumulates in `out`, once per kind."""

    def __init__(self, pdf, page, number: int, limits, family: str):
        self.pdf, self.page, self.number = pdf, page, number
        self.limits, self.family = limits, family
        self.out: list[Finding] = []
        self._reported: set = set()
        self._seen_images: set = set()
        self._seen_resources: set = set()
        self._forms_open: set = set()       # forms being walked (one drawing itself)
        self._forms_done: set = set()       # forms already walked once
        self._operators = 0
        obj = page.obj
        self.media = [float(v) for v in obj.MediaBox]
        trim = [float(v) for v in obj.get("/TrimBox", obj.get("/ArtBox", []))]
        self.has_trim = bool(trim)
        self.trim = trim or self.media
        self.bleed = [float(v) for v in obj.get("/BleedBox", [])] or None

    # -------------------------------------------------------------- helpers

    def report(self, key, found: Finding) -> None:
        if key not in self._reported:
            self._reported.add(key)
            self.out.append(found)

    def too_complex(self, why: str) -> None:
        self.report(("too-complex", why), finding(
            "pdf.too-complex", "error", f"too complex to check: {why}",
            "re-export the file; a plate's file is never this complex", self.number))

    def _decodes_within_limit(self, owner) -> bool:
        """Each Flate content stream of `owner` decompresses to at most
        MAX_STREAM_BYTES (measured in pieces: a bomb is never inflated whole)."""
        contents = owner.obj.get("/Contents") if isinstance(owner, pikepdf.Page) else owner
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        for stream in streams:
            if not isinstance(stream, pikepdf.Stream):
                continue
            filters = stream.get("/Filter")
            if filters != pikepdf.Name.FlateDecode and not (
                    isinstance(filters, pikepdf.Array) and list(filters) == [
                        pikepdf.Name.FlateDecode]):
                continue
            inflater = zlib.decompressobj()
            size = 0
            try:
                data = stream.read_raw_bytes()
                for start in range(0, len(data), 1 << 16):
                    size += len(inflater.decompress(data[start:start + (1 << 16)],
                                                    MAX_STREAM_BYTES - size + 1))
                    if size > MAX_STREAM_BYTES or inflater.unconsumed_tail:
                        self.too_complex(f"a content stream inflates past "
                                         f"{MAX_STREAM_BYTES // 2**20} MiB")
                        return False
            except zlib.error:
                return True         # pikepdf reports it as unreadable
        return True

    def place(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.trim[0]) / MM, (self.trim[3] - y) / MM

    def inside_trim(self, x: float, y: float) -> bool:
        t = self.trim
        return t[0] - 0.5 <= x <= t[2] + 0.5 and t[1] - 0.5 <= y <= t[3] + 0.5

    # -------------------------------------------------------------- the page

    def run(self) -> list[Finding]:
        self._boxes()
        obj = self.page.obj
        if "/AA" in obj:
            self.report("page-aa", finding("pdfx.action", "error", "the page has actions (/AA)",
                                           "remove actions: a plate runs no scripts",
                                           self.number))
        self._group(obj, "the page")
        self._annotations(obj)
        resources = self.page.Resources
        self._resources(resources, "the page")
        self._content(self.page, resources, _State(), 0)
        return self.out

    def _boxes(self) -> None:
        obj, number = self.page.obj, self.number
        if not self.has_trim:
            self.out.append(finding("boxes.trim", "error", "no TrimBox",
                                    "set the TrimBox to the trimmed page", number))
        if "/TrimBox" in obj and "/ArtBox" in obj:
            self.out.append(finding("boxes.trim", "error", "both TrimBox and ArtBox",
                                    "keep only the TrimBox", number))
        if self.bleed and not _contains(self.bleed, self.trim):
            self.out.append(finding("boxes.trim", "error", "TrimBox is not inside the BleedBox",
                                    "make the BleedBox enclose the TrimBox", number))
        if not _contains(self.media, self.bleed or self.trim):
            self.out.append(finding("boxes.media", "error",
                                    "BleedBox/TrimBox reaches past the MediaBox",
                                    "enlarge the MediaBox", number))

    def _group(self, owner, what: str) -> None:
        group = owner.get("/Group")
        if group is not None and group.get("/S") == pikepdf.Name.Transparency \
                and self.family != "X-4":
            self.report(("group", what), finding(
                "colour.transparency", "error",
                f"a transparency group on {what} in PDF/{self.family}",
                "flatten transparency (or deliver PDF/X-4 where the plant takes it)",
                self.number))

    def _annotations(self, obj) -> None:
        for annot in obj.get("/Annots") or []:
            subtype = str(annot.get("/Subtype", ""))
            action = annot.get("/A")
            if "/AA" in annot or (action is not None
                                  and action.get("/S") == pikepdf.Name.JavaScript):
                self.report(("annot-action", subtype), finding(
                    "pdfx.action", "error", f"JavaScript or actions in a {subtype[1:]} annotation",
                    "remove the annotation's actions", self.number))
            if subtype in PRINT_ANNOTATIONS:
                continue
            rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
            rect = [min(rect[0], rect[2]), min(rect[1], rect[3]),
                    max(rect[0], rect[2]), max(rect[1], rect[3])]
            if _overlaps(rect, self.trim):
                kind = "a form field" if subtype == "/Widget" else f"a {subtype[1:]} annotation"
                self.report(("annot", subtype), finding(
                    "pdfx.annotation", "error", f"{kind} inside the trim",
                    "remove it, or move it outside the BleedBox", self.number,
                    *self.place(rect[0], rect[3])))

    def _resources(self, resources, what: str) -> None:
        """Fonts, graphics states, shadings and patterns of a resource dictionary
        (once per dictionary: forms reuse their page's)."""
        key = resources.objgen if resources.is_indirect else id(resources)
        if key in self._seen_resources:
            return
        self._seen_resources.add(key)
        self._fonts(resources)
        for name, gs in (resources.get("/ExtGState") or {}).items():
            smask = gs.get("/SMask")
            transparent = (smask is not None and smask != pikepdf.Name("/None")) or \
                float(gs.get("/CA", 1)) < 1 or float(gs.get("/ca", 1)) < 1 or \
                str(gs.get("/BM", "/Normal")) not in ("/Normal", "/Compatible")
            if transparent and self.family != "X-4":
                self.report(("transparency", str(name)), finding(
                    "colour.transparency", "error", f"transparency (soft mask, opacity or "
                    f"blend mode) in PDF/{self.family}", "flatten transparency", self.number,
                    object=str(name)))
            overprint = bool(gs.get("/OP", False)) or bool(gs.get("/op", False))
            if overprint and int(gs.get("/OPM", 0)) != 1:
                self.report(("opm", str(name)), finding(
                    "colour.overprint-mode", "warning",
                    "overprint without overprint mode 1 (OPM 1): black with zero C, M and Y "
                    "knocks out what lies below", "set /OPM 1 beside /OP and /op",
                    self.number, object=str(name)))
        for name, shading in (resources.get("/Shading") or {}).items():
            self._space(shading.get("/ColorSpace"), f"shading {name}", ("shading", str(name)))
        for name, pattern in (resources.get("/Pattern") or {}).items():
            shading = pattern.get("/Shading")
            if shading is not None:
                self._space(shading.get("/ColorSpace"), f"pattern {name}",
                            ("pattern", str(name)))

    def _fonts(self, resources) -> None:
        for name, font in (resources.get("/Font") or {}).items():
            base = str(font.get("/BaseFont", name)).lstrip("/")
            if str(font.get("/Subtype")) == "/Type3":
                continue
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font.DescendantFonts[0].get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if not embedded:
                self.report(("font", base), finding(
                    "font.not-embedded", "error", f"font {base} is not embedded",
                    "embed every font (choose an embeddable font or convert the text to "
                    "outlines)", self.number, object=str(name)))
            elif not (len(base) > 7 and base[6] == "+" and base[:6].isupper()
                      and base[:6].isalpha()):
                self.report(("whole", base), finding(
                    "font.not-subset", "warning", f"font {base} is embedded whole",
                    "embed a subset (smaller files, no font licensing questions)",
                    self.number, object=str(name)))

    # -------------------------------------------------------------- colour spaces

    def _space(self, space, what: str, key, where=None) -> str:
        """Judge a colour space (a name or an array); returns its family's name."""
        name = space_name(space)
        base = name.split("/")[-1]
        place = where or ()
        if base in ("DeviceRGB", "CalRGB", "ICCRGB"):
            self.report(("rgb", key), finding(
                "colour.space", "error", f"{what} in {name}",
                "convert every colour to CMYK (or grey) for the plant", self.number, *place))
        elif base in ("Lab", "ICCCMYK", "ICCGray", "CalGray", "ICCBased") \
                and self.family == "X-1a":
            self.report(("icc", key), finding(
                "colour.space", "error", f"{what} in {name}, which PDF/X-1a does not allow",
                "convert to DeviceCMYK or DeviceGray", self.number, *place))
        elif base in ("Separation", "DeviceN") and isinstance(space, pikepdf.Array):
            inks = [space[1]] if base == "Separation" else list(space[1])
            alternate = space_name(space[2])
            spot = [str(ink) for ink in inks
                    if str(ink) not in PROCESS_INKS and str(ink) not in ("/All", "/None")]
            printed = all(s[1:] in self.limits.spot_inks for s in spot)
            if spot and printed:
                self.report(("spot", tuple(spot)), finding(
                    "colour.spot", "info", f"spot colour {', '.join(s[1:] for s in spot)} in "
                    f"{what}: printed as a plate of its own", "", self.number, *place))
            elif spot:
                self.report(("spot", tuple(spot)), finding(
                    "colour.spot", "error", f"spot colour {', '.join(s[1:] for s in spot)} in "
                    f"{what}: the plant prints four colours",
                    "convert spot colours to CMYK", self.number, *place))
            if alternate.split("/")[-1] in ("DeviceRGB", "CalRGB", "ICCRGB"):
                self.report(("alt", key), finding(
                    "colour.space", "error", f"{what}: {base} with an RGB alternate",
                    "give it a CMYK alternate, or convert it to CMYK", self.number, *place))
        return name

    # -------------------------------------------------------------- content

    def _content(self, owner, resources, state: _State, depth: int) -> None:
        if depth > MAX_FORM_DEPTH:
            self.too_complex(f"forms nested more than {MAX_FORM_DEPTH} deep")
            return
        if not self._decodes_within_limit(owner):
            return
        try:
            ops = pikepdf.parse_content_stream(owner)
        except pikepdf.PdfError as exc:
            self.out.append(finding("pdf.syntax", "error", f"unreadable content stream: {exc}",
                                    "re-export the page", self.number))
            return
        walk = _Walk(state)
        spaces = resources.get("/ColorSpace") or {}

        def named(operand):
            return spaces[operand] if operand in spaces else operand

        for operands, op in ops:
            self._operators += 1
            if self._operators > MAX_OPERATORS:
                self.too_complex(f"more than {MAX_OPERATORS:,} operators on the page")
                raise _TooComplex
            op = str(op)
            try:
                self._operator(walk, operands, op, resources, named, depth)
            except _TooComplex:
                raise
            except (ValueError, TypeError, IndexError, KeyError, AttributeError,
                    ZeroDivisionError, pikepdf.PdfError):
                self.report(("malformed", op), finding(
                    "pdf.syntax", "error", f"a malformed {op!r} operator (wrong operands)",
                    "re-export the page", self.number))

    def _operator(self, walk: _Walk, operands, op: str, resources, named, depth: int) -> None:
        if op == "q":
            if len(walk.stack) >= MAX_STATE_DEPTH:
                self.too_complex(f"graphics states nested more than {MAX_STATE_DEPTH} deep")
                raise _TooComplex
            walk.stack.append(_State(**asdict(walk.state)))
        elif op == "Q":
            if walk.stack:
                walk.state = walk.stack.pop()
        elif op == "cm":
            walk.state.ctm = _mul(tuple(float(v) for v in operands), walk.state.ctm)
        elif op == "w":
            walk.state.line_width = float(operands[0])
        elif op in ("rg", "RG"):
            self.report(("rgb", op), finding(
                "colour.space", "error", "DeviceRGB colour in the page content",
                "convert all colours to CMYK (or grey)", self.number,
                object=f"{op} operator"))
        elif op in ("cs", "CS"):
            name = self._space(named(operands[0]), f"a {op} colour", ("cs", str(operands[0])),
                               None)
            if op == "cs":
                walk.state.fill_space, walk.state.fill = name, (name, ())
            else:
                walk.state.stroke_space, walk.state.stroke = name, (name, ())
        elif op in ("k", "K", "g", "G"):
            space = "DeviceCMYK" if op in ("k", "K") else "DeviceGray"
            values = (space, tuple(float(v) for v in operands))
            if op.islower():
                walk.state.fill = values
            else:
                walk.state.stroke = values
        elif op in ("sc", "scn", "SC", "SCN"):
            values = tuple(float(v) for v in operands if not isinstance(v, pikepdf.Name))
            if op.islower():
                walk.state.fill = (walk.state.fill_space, values)
            else:
                walk.state.stroke = (walk.state.stroke_space, values)
        elif op == "m" or op == "re":
            walk.point = _apply(walk.state.ctm, float(operands[0]), float(operands[1]))
        elif op == "BT":
            walk.tm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        elif op == "Tf":
            walk.state.font_size = float(operands[1])
        elif op == "Tm":
            walk.tm = tuple(float(v) for v in operands)
        elif op == "Td" or op == "TD":
            walk.tm = _mul((1, 0, 0, 1, float(operands[0]), float(operands[1])), walk.tm)
        if op in SHOWS_TEXT:
            m = _mul(walk.tm, walk.state.ctm)
            x, y = m[4], m[5]
            if self.inside_trim(x, y):
                self._ink(walk.state.fill, "text", (x, y))
                self._text_colour(walk.state, walk.state.font_size * _scale(m), self.place(x, y))
        if op in PAINTS_FILL and self.inside_trim(*walk.point):
            self._ink(walk.state.fill, "fill", walk.point)
        if op in PAINTS_STROKE:
            if self.inside_trim(*walk.point):
                self._ink(walk.state.stroke, "stroke", walk.point)
            self._hairline(walk.state)
        if op in ("BMC", "BDC") and operands:
            self._marked(str(operands[0]))
        elif op == "sh":
            shading = (resources.get("/Shading") or {}).get(operands[0])
            if shading is not None:
                self._space(shading.get("/ColorSpace"), f"shading {operands[0]}",
                            ("shading", str(operands[0])))
        elif op == "INLINE IMAGE":
            self._inline_image(operands[0], walk.state, named)
        elif op == "Do":
            self._xobject(operands[0], resources, walk.state, depth)

    def _marked(self, tag: str) -> None:
        if tag == AD_PLACEHOLDER_TAG:
            self.report("ad-placeholder", finding(
                "ad.missing", "error", "a placeholder for an ad without its artwork",
                "place the ad's file before the plate goes to the plant", self.number))
        elif tag == OVERSET_MARK_TAG:
            self.report("overset-mark", finding(
                "layout.overset", "error", "an overset mark (a proof mark): a story on this "
                "page does not fit", "cut the story or give it room, and render again",
                self.number))

    def _ink(self, colour: tuple, what: str, point) -> None:
        space, values = colour
        if space not in ("DeviceCMYK", "ICCCMYK") or len(values) != 4:
            return
        tac = sum(values) * 100
        if tac > self.limits.tac_percent + 0.5:
            self.report(("tac", what, round(tac)), finding(
                "ink.tac", "error", f"{what} of {tac:.0f}% total ink",
                f"keep C+M+Y+K within {self.limits.tac_percent:.0f}%", self.number,
                *self.place(*point)))

    def _hairline(self, state: _State) -> None:
        width = state.line_width * _scale(state.ctm)
        if width < self.limits.min_rule_pt:
            self.report(("hairline", round(width, 3)), finding(
                "rules.hairline", "warning" if width > 0 else "error",
                f"a line {width:.2f} pt thick"
                + (" (thinnest the device can draw)" if width == 0 else ""),
                f"make rules at least {self.limits.min_rule_pt} pt", self.number))

    def _text_colour(self, state: _State, size: float, where) -> None:
        space, values = state.fill
        limits = self.limits
        if space != "DeviceCMYK" or len(values) != 4:
            return
        inks = sum(1 for v in values if v > 0.001)
        if inks == 0 and size < limits.min_reversed_text_pt:
            self.report(("reversed", round(size, 1)), finding(
                "text.reversed", "warning", f"reversed (white) text at {size:.1f} pt",
                f"reverse only type of {limits.min_reversed_text_pt:.0f} pt or more, in a "
                f"bold face", self.number, *where))
        elif inks > 1 and size < limits.min_reversed_text_pt:
            self.report(("4c", round(size, 1)), finding(
                "text.multicolour", "warning",
                f"{inks}-colour text at {size:.1f} pt (misregisters on newsprint)",
                f"set small text in 100% K, or make it {limits.min_reversed_text_pt:.0f} pt "
                f"or more", self.number, *where))
        elif inks == 1 and max(values) < 0.999 and size < limits.min_tint_text_pt:
            self.report(("tint", round(size, 1)), finding(
                "text.tint", "warning", f"tinted text at {size:.1f} pt",
                f"set small text solid, or make it {limits.min_tint_text_pt:.0f} pt or more",
                self.number, *where))

    def _inline_image(self, image, state: _State, named) -> None:
        entries = image.obj
        if entries.get("/ImageMask", False):
            return
        space = entries.get("/ColorSpace", pikepdf.Name.DeviceGray)
        x, y = state.ctm[4], state.ctm[5] + math.hypot(state.ctm[2], state.ctm[3])
        self._space(named(space), "an inline image", ("inline", str(space)), self.place(x, y))

    def _xobject(self, name, resources, state: _State, depth: int) -> None:
        xobjects = resources.get("/XObject") or {}
        if name not in xobjects:
            return
        xobj = xobjects[name]
        subtype = str(xobj.get("/Subtype"))
        if subtype == "/PS" or str(xobj.get("/Subtype2", "")) == "/PS":
            self.report(("ps", str(name)), finding(
                "pdf.postscript", "error", "a PostScript XObject (PDF/X forbids them)",
                "re-export without embedded PostScript", self.number, object=str(name)))
        elif subtype == "/Image":
            self._image(xobj, state.ctm, str(name))
        elif subtype == "/Form":
            key = xobj.objgen if xobj.is_indirect else id(xobj)
            if key in self._forms_open:
                self.too_complex(f"form {name} draws itself")
                return
            if key in self._forms_done:       # once is enough: its findings stand
                return
            inner = _State(**asdict(state))
            if "/Matrix" in xobj:
                inner.ctm = _mul(tuple(float(v) for v in xobj.Matrix), state.ctm)
            self._group(xobj, f"form {name}")
            form_resources = xobj.get("/Resources") or resources
            self._resources(form_resources, f"form {name}")
            self._forms_open.add(key)
            try:
                self._content(xobj, form_resources, inner, depth + 1)
            finally:
                self._forms_open.discard(key)
                self._forms_done.add(key)

    def _image(self, xobj, ctm, name: str) -> None:
        limits = self.limits
        w_px, h_px = int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
        placed_w = math.hypot(ctm[0], ctm[1])
        placed_h = math.hypot(ctm[2], ctm[3])
        if not self.inside_trim(ctm[4] + placed_w / 2, ctm[5] + placed_h / 2):
            return
        where = self.place(ctm[4], ctm[5] + placed_h)
        mask = bool(xobj.get("/ImageMask", False))
        bits = int(xobj.get("/BitsPerComponent", 8)) if not mask else 1
        if placed_w > 0 and placed_h > 0:
            ppi = min(w_px / (placed_w / 72), h_px / (placed_h / 72))
            minimum = limits.min_ppi_lineart if bits == 1 else limits.min_ppi_photo
            if ppi < minimum - 0.5:
                self.out.append(finding(
                    "image.resolution", "warning",
                    f"image at {ppi:.0f} ppi at its placed size (minimum {minimum:.0f})",
                    "use a larger original or place it smaller", self.number, *where,
                    object=name))
        if mask:
            return
        if "/SMask" in xobj and self.family != "X-4":
            self.report(("smask", name), finding(
                "colour.transparency", "error", f"an image with a soft mask in "
                f"PDF/{self.family}", "flatten transparency", self.number, *where,
                object=name))
        space = self._space(xobj.get("/ColorSpace"), "an image", ("image", name), where)
        if space != "DeviceCMYK" or xobj.objgen in self._seen_images:
            return
        if w_px * h_px > MAX_IMAGE_PIXELS:
            self.too_complex(f"image {name} has {w_px} × {h_px} pixels")
            return
        self._seen_images.add(xobj.objgen)
        tac = image_ink(xobj)
        if tac is not None and tac > limits.tac_percent + 0.5:
            self.out.append(finding("ink.tac", "error", f"image reaches {tac:.0f}% total ink",
                                    f"separate it for newsprint (C+M+Y+K within "
                                    f"{limits.tac_percent:.0f}%)", self.number, *where,
                                    object=name))


def space_name(space) -> str:
    """A colour space's family, with ICC profiles named by their component count."""
    if space is None:
        return "DeviceGray"
    if isinstance(space, pikepdf.Name):
        return {"/RGB": "DeviceRGB", "/G": "DeviceGray", "/CMYK": "DeviceCMYK"}.get(
            str(space), str(space)[1:])
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])[1:]
        if family == "ICCBased":
            n = int(space[1].get("/N", 0))
            return {1: "ICCGray", 3: "ICCRGB", 4: "ICCCMYK"}.get(n, "ICCBased")
        if family in ("Indexed", "I"):
            return "Indexed/" + space_name(space[1])
        return family
    return str(space)


def _undo_general_filters(data: bytes, filters: list[str]) -> bytes:
    """Undo the text and compression filters that may wrap a JPEG in a PDF stream."""
    for name in filters:
        if name == "/ASCII85Decode":
            body = data.strip()
            body = body[2:] if body.startswith(b"<~") else body
            body = body[:-2] if body.endswith(b"~>") else body
            data = base64.a85decode(body)
        elif name == "/ASCIIHexDecode":
            data = binascii.unhexlify(b"".join(data.split()).rstrip(b">"))
        elif name == "/FlateDecode":
            inflater = zlib.decompressobj()
            data = inflater.decompress(data, MAX_STREAM_BYTES)
            if inflater.unconsumed_tail:
                raise ValueError("a stream inflates past the limit")
        else:
            raise ValueError(f"unsupported filter {name}")
    return data


def image_ink(xobj) -> float | None:
    """The highest C+M+Y+K of a CMYK image XObject, in percent, over every pixel."""
    filters = xobj.get("/Filter")
    filters = [str(f) for f in (filters if isinstance(filters, pikepdf.Array) else [filters])]
    decode = [float(v) for v in xobj.get("/Decode", [])]
    inverted = len(decode) >= 2 and decode[0] > decode[1]
    try:
        if filters and filters[-1] == "/DCTDecode":
            # Decode the JPEG ourselves: Pillow undoes Adobe's inverted CMYK, and the
            # PDF's /Decode array may invert again; ink = what a RIP would see.
            data = _undo_general_filters(xobj.read_raw_bytes(), filters[:-1])
            image = Image.open(io.BytesIO(data), formats=("JPEG",))
            image.load()
            adobe = "adobe" in image.info
            if image.mode == "CMYK" and adobe != inverted:
                image = ImageChops.invert(image)
        else:
            image = PdfImage(xobj).as_pil_image()
    except Exception:        # an image we cannot decode is not ours to judge
        return None
    if image.mode != "CMYK":
        return None
    return image_ink_percent(image)
