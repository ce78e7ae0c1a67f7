"""Preflight: what a newspaper plant checks before it accepts a PDF.

Reads any PDF with pikepdf (ours or not) and reports findings, each with a
severity, the page, the place (mm from the trim's top-left corner where it
has one), the object and how to fix it.  Thresholds are the coldset-newsprint
defaults of the prepress notes; each is a setting of `Limits`.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
import zlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pikepdf
from pikepdf import PdfImage
from PIL import Image, ImageChops

from ..colors import image_ink_percent
from ..errors import BroadsheetError
from ..findings import Finding

MM = 72 / 25.4
_SUBSET = re.compile(r"^/?[A-Z]{6}\+")


@dataclass(frozen=True)
class Limits:
    tac_percent: float = 220.0         # total area coverage, ISO 12647-3 newsprint
    min_ppi_photo: float = 150.0       # warn below this at placed size
    min_ppi_lineart: float = 600.0
    min_rule_pt: float = 0.25          # 100% K rules; thinner disappears on newsprint
    min_reversed_text_pt: float = 10.0  # white or 4-colour text
    min_tint_text_pt: float = 8.0
    pdfx: str = "PDF/X-1a:2001"


def _finding(code: str, severity: str, message: str, fix: str, page: int | None = None,
             x_mm: float | None = None, y_mm: float | None = None,
             object: str | None = None) -> Finding:
    """A preflight finding, in the order the checks below state them."""
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


def _scale(m) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0


def check_pdf(path: Path, limits: Limits = Limits(), pages: list[int] | None = None,
              as_declared: bool = True) -> list[Finding]:
    """Every finding in the PDF at `path` (or in its `pages`, 1-based).

    `as_declared`: a file that declares PDF/X-4 is held to X-4 (ICC colour and
    transparency allowed); without it, to `limits.pdfx` whatever it declares —
    as a supplied ad must meet the standard of the plate it goes on.
    """
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise BroadsheetError(f"PDF is encrypted: {path}") from None
    except (pikepdf.PdfError, OSError) as exc:
        raise BroadsheetError(f"not a readable PDF: {path}: {exc}") from None
    with pdf:
        declared = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
        if as_declared and declared.startswith("PDF/X-4"):
            limits = replace(limits, pdfx="PDF/X-4")   # ICC colour and transparency allowed
        findings = _document(pdf, limits)
        for number, page in enumerate(pdf.pages, start=1):
            if pages is None or number in pages:
                findings.extend(_page(pdf, page, number, limits))
    return findings


def _document(pdf, limits: Limits) -> list[Finding]:
    out = []
    intents = pdf.Root.get("/OutputIntents")
    pdfx = [i for i in (intents or []) if i.get("/S") == pikepdf.Name.GTS_PDFX]
    if len(pdfx) != 1:
        out.append(_finding(
            "pdfx.output-intent", "error", f"{len(pdfx)} PDF/X output intents (need exactly 1)",
            "add one OutputIntent /S /GTS_PDFX naming the printing condition "
            "(e.g. IFRA26 for newsprint)"))
    elif "/OutputConditionIdentifier" not in pdfx[0]:
        out.append(_finding(
            "pdfx.output-intent", "error", "output intent without OutputConditionIdentifier",
            "name the printing condition (IFRA26)"))
    elif limits.pdfx.startswith("PDF/X-4") and "/DestOutputProfile" not in pdfx[0]:
        out.append(_finding(
            "pdfx.output-intent", "error", "PDF/X-4 output intent without an embedded profile",
            "embed the destination CMYK profile in the output intent"))
    if limits.pdfx.startswith("PDF/X-4"):
        try:
            meta = pdf.open_metadata()
            xmp_version = meta.get("pdfxid:GTS_PDFXVersion")
        except Exception:
            xmp_version = None
        if not xmp_version:
            out.append(_finding(
                "pdfx.metadata", "error", "PDF/X-4 without pdfxid:GTS_PDFXVersion in XMP",
                "write the PDF/X version into the XMP metadata"))
    info = pdf.docinfo
    version = str(info.get("/GTS_PDFXVersion", ""))
    if not version:
        out.append(_finding("pdfx.version", "error", "no GTS_PDFXVersion in the document info",
                            "export as PDF/X-1a:2001 (or X-4)"))
    elif version.startswith("PDF/X-1") and pdf.pdf_version > "1.4":
        out.append(_finding("pdfx.version", "error", f"PDF {pdf.pdf_version} for {version}",
                            "PDF/X-1a:2001 requires PDF 1.3 (1.4 for X-1a:2003)"))
    trapped = info.get("/Trapped")
    if trapped not in (pikepdf.Name("/True"), pikepdf.Name("/False")):
        out.append(_finding("pdfx.trapped", "error", f"Trapped is {trapped or 'missing'}",
                            "set /Trapped to /True or /False"))
    for key in ("/Title", "/CreationDate", "/ModDate"):
        if key not in info:
            out.append(_finding("pdfx.metadata", "warning", f"no {key[1:]} in the document info",
                                "set it when exporting"))
    if "/ID" not in pdf.trailer:
        out.append(_finding("pdfx.id", "error", "no document /ID", "write a file identifier"))
    if pdf.is_encrypted:
        out.append(_finding(
            "pdfx.encrypted", "error", "the PDF is encrypted", "export without security"))
    names = pdf.Root.get("/Names")
    if "/OpenAction" in pdf.Root or (names is not None and "/JavaScript" in names):
        out.append(_finding("pdfx.action", "warning", "JavaScript or an open action", "remove it"))
    return out


def _page(pdf, page, number: int, limits: Limits) -> list[Finding]:
    out: list[Finding] = []
    obj = page.obj
    media = [float(v) for v in obj.MediaBox]
    trim = [float(v) for v in obj.get("/TrimBox", obj.get("/ArtBox", []))]
    bleed = [float(v) for v in obj.get("/BleedBox", [])] or None
    if not trim:
        out.append(_finding(
            "boxes.trim", "error", "no TrimBox", "set the TrimBox to the trimmed page",
            number))
        trim = media
    if "/TrimBox" in obj and "/ArtBox" in obj:
        out.append(_finding(
            "boxes.trim", "error", "both TrimBox and ArtBox", "keep only the TrimBox",
            number))
    if bleed and not _contains(bleed, trim):
        out.append(_finding("boxes.trim", "error", "TrimBox is not inside the BleedBox",
                            "make the BleedBox enclose the TrimBox", number))
    if not _contains(media, bleed or trim):
        out.append(_finding("boxes.media", "error", "BleedBox/TrimBox reaches past the MediaBox",
                            "enlarge the MediaBox", number))

    def place(x: float, y: float) -> tuple[float, float]:
        return (x - trim[0]) / MM, (trim[3] - y) / MM

    def inside_trim(x: float, y: float) -> bool:
        return trim[0] - 0.5 <= x <= trim[2] + 0.5 and trim[1] - 0.5 <= y <= trim[3] + 0.5

    resources = page.Resources
    out.extend(_fonts(resources, number))
    out.extend(_transparency(resources, number, limits))
    seen_images: dict = {}
    _content(pdf, page, resources, _State(), number, limits, out, place, inside_trim,
             seen_images, depth=0)
    return out


def _contains(outer, inner) -> bool:
    return outer[0] <= inner[0] + 0.01 and outer[1] <= inner[1] + 0.01 and \
        outer[2] >= inner[2] - 0.01 and outer[3] >= inner[3] - 0.01


def _fonts(resources, number: int) -> list[Finding]:
    out = []
    fonts = resources.get("/Font") or {}
    for name, font in fonts.items():
        base = str(font.get("/BaseFont", name))
        subtype = font.get("/Subtype")
        if str(subtype) == "/Type3":
            continue
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        embedded = descriptor is not None and any(
            k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        if not embedded:
            out.append(_finding(
                "font.not-embedded", "error", f"font {base.lstrip('/')} is not embedded",
                "embed every font (choose an embeddable font or convert the "
                "text to outlines)", number, object=str(name)))
        elif not _SUBSET.match(base):
            out.append(_finding(
                "font.not-subset", "warning", f"font {base.lstrip('/')} is embedded whole",
                "embed a subset (smaller files, no font licensing questions)",
                number, object=str(name)))
    return out


def _transparency(resources, number: int, limits: Limits) -> list[Finding]:
    out = []
    if not limits.pdfx.startswith("PDF/X-1"):
        return out
    for name, gs in (resources.get("/ExtGState") or {}).items():
        smask = gs.get("/SMask")
        transparent = (smask is not None and smask != pikepdf.Name("/None")) or \
            float(gs.get("/CA", 1)) < 1 or float(gs.get("/ca", 1)) < 1 or \
            str(gs.get("/BM", "/Normal")) not in ("/Normal", "/Compatible")
        if transparent:
            out.append(_finding(
                "colour.transparency", "error", "transparency (soft mask, opacity or blend "
                "mode) in PDF/X-1a", "flatten transparency",
                number, object=str(name)))
    return out


_RGB_SPACES = ("DeviceRGB", "CalRGB", "Lab")


def _space_name(space) -> str:
    """A colour space's family, with ICC profiles named by their component count."""
    if isinstance(space, pikepdf.Name):
        return str(space)[1:]
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])[1:]
        if family == "ICCBased":
            n = int(space[1].get("/N", 0))
            return {1: "ICCGray", 3: "ICCRGB", 4: "ICCCMYK"}.get(n, "ICCBased")
        if family == "Indexed":
            return "Indexed/" + _space_name(space[1])
        if family in ("Separation", "DeviceN"):
            return family
        return family
    return str(space)


def _bad_space(name: str, pdfx: str) -> bool:
    base = name.split("/")[-1]
    if base in _RGB_SPACES or base == "ICCRGB":
        return True
    return pdfx.startswith("PDF/X-1") and base.startswith("ICC")


def _content(pdf, owner, resources, state: _State, number: int, limits: Limits, out, place,
             inside_trim, seen_images, depth: int) -> None:
    if depth > 8:
        return
    try:
        ops = pikepdf.parse_content_stream(owner)
    except pikepdf.PdfError as exc:
        out.append(_finding("pdf.syntax", "error", f"unreadable content stream: {exc}",
                            "re-export the page", number))
        return
    stack: list[_State] = []
    tm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    reported: set = set()
    space_names = resources.get("/ColorSpace") or {}

    def report(key, finding):
        if key not in reported:
            reported.add(key)
            out.append(finding)

    def named_space(operand) -> str:
        key = operand
        if key in space_names:
            return _space_name(space_names[key])
        return _space_name(key)

    for operands, op in ops:
        op = str(op)
        if op == "q":
            stack.append(_State(**asdict(state)))
        elif op == "Q":
            if stack:
                state = stack.pop()
        elif op == "cm":
            state.ctm = _mul(tuple(float(v) for v in operands), state.ctm)
        elif op == "w":
            state.line_width = float(operands[0])
        elif op in ("rg", "RG"):
            report(("rgb", op), _finding(
                "colour.space", "error", "DeviceRGB colour in the page content",
                "convert all colours to CMYK (or grey)", number,
                object=f"{op} operator"))
        elif op in ("cs", "CS"):
            name = named_space(operands[0])
            if op == "cs":
                state.fill_space = name
            else:
                state.stroke_space = name
            if _bad_space(name, limits.pdfx):
                report(("space", name), _finding("colour.space", "error", f"{name} colour space",
                                                 "convert to DeviceCMYK or DeviceGray", number,
                                                 object=f"{op} {operands[0]}"))
        elif op == "k":
            state.fill = ("DeviceCMYK", tuple(float(v) for v in operands))
        elif op == "K":
            state.stroke = ("DeviceCMYK", tuple(float(v) for v in operands))
        elif op == "g":
            state.fill = ("DeviceGray", (float(operands[0]),))
        elif op == "G":
            state.stroke = ("DeviceGray", (float(operands[0]),))
        elif op in ("sc", "scn"):
            state.fill = (state.fill_space, tuple(float(v) for v in operands
                                                  if not isinstance(v, pikepdf.Name)))
        elif op == "BT":
            tm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        elif op == "Tf":
            state.font_size = float(operands[1])
        elif op == "Tm":
            tm = tuple(float(v) for v in operands)
        elif op in ("Tj", "TJ", "'", '"'):
            m = _mul(tm, state.ctm)
            size = state.font_size * _scale(m)
            x, y = m[4], m[5]
            if inside_trim(x, y):
                _text_colour(state, size, number, limits, place(x, y), report)
        elif op == "S" or op == "s" or op == "B" or op == "b":
            width = state.line_width * _scale(state.ctm)
            x, y = state.ctm[4], state.ctm[5]
            if width < limits.min_rule_pt:
                report(("hairline", round(width, 3)), _finding(
                    "rules.hairline", "warning" if width > 0 else "error",
                    f"a line {width:.2f} pt thick"
                    + (" (thinnest the device can draw)" if width == 0 else ""),
                    f"make rules at least {limits.min_rule_pt} pt", number))
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)
            m = state.ctm
            cx, cy = m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]
            if state.fill[0] == "DeviceCMYK" and inside_trim(cx, cy):
                tac = sum(state.fill[1]) * 100
                if tac > limits.tac_percent + 0.5:
                    report(("tac-fill", round(tac)), _finding(
                        "ink.tac", "error", f"fill of {tac:.0f}% total ink",
                        f"keep C+M+Y+K within {limits.tac_percent:.0f}%", number,
                        *place(cx, cy)))
        elif op in ("BMC", "BDC") and operands and \
                str(operands[0]) == "/BroadsheetAdPlaceholder":
            report(("ad-placeholder", number), _finding(
                "ad.missing", "error", "a placeholder for an ad without its artwork",
                "place the ad's file before the plate goes to the plant", number))
        elif op == "Do":
            name = operands[0]
            xobjects = resources.get("/XObject") or {}
            if name not in xobjects:
                continue
            xobj = xobjects[name]
            subtype = str(xobj.get("/Subtype"))
            if subtype == "/Image":
                _image(xobj, state.ctm, number, limits, out, place, inside_trim, seen_images,
                       str(name))
            elif subtype == "/Form":
                inner = _State(**asdict(state))
                if "/Matrix" in xobj:
                    inner.ctm = _mul(tuple(float(v) for v in xobj.Matrix), state.ctm)
                form_resources = xobj.get("/Resources") or resources
                out.extend(_fonts(form_resources, number))
                _content(pdf, xobj, form_resources, inner, number, limits, out, place,
                         inside_trim, seen_images, depth + 1)


def _text_colour(state: _State, size: float, number: int, limits: Limits, where, report):
    space, values = state.fill
    if space == "DeviceCMYK" and len(values) == 4:
        c, m, y, k = values
        inks = sum(1 for v in values if v > 0.001)
        if inks == 0 and size < limits.min_reversed_text_pt:
            report(("reversed", round(size, 1)), _finding(
                "text.reversed", "warning", f"reversed (white) text at {size:.1f} pt",
                f"reverse only type of {limits.min_reversed_text_pt:.0f} pt or more, in a bold "
                f"face", number, *where))
        elif inks > 1 and size < limits.min_reversed_text_pt:
            report(("4c", round(size, 1)), _finding(
                "text.multicolour", "warning",
                f"{inks}-colour text at {size:.1f} pt (misregisters on newsprint)",
                f"set small text in 100% K, or make it {limits.min_reversed_text_pt:.0f} pt "
                f"or more", number, *where))
        elif inks == 1 and max(values) < 0.999 and size < limits.min_tint_text_pt:
            report(("tint", round(size, 1)), _finding(
                "text.tint", "warning", f"tinted text at {size:.1f} pt",
                f"set small text solid, or make it {limits.min_tint_text_pt:.0f} pt or more",
                number, *where))


def _image(xobj, ctm, number: int, limits: Limits, out, place, inside_trim, seen, name):
    w_px, h_px = int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
    placed_w = math.hypot(ctm[0], ctm[1])
    placed_h = math.hypot(ctm[2], ctm[3])
    x, y = ctm[4], ctm[5] + placed_h
    if not inside_trim(ctm[4] + placed_w / 2, ctm[5] + placed_h / 2):
        return
    where = place(x, y)
    mask = bool(xobj.get("/ImageMask", False))
    bits = int(xobj.get("/BitsPerComponent", 8)) if not mask else 1
    if placed_w > 0 and placed_h > 0:
        ppi = min(w_px / (placed_w / 72), h_px / (placed_h / 72))
        minimum = limits.min_ppi_lineart if bits == 1 else limits.min_ppi_photo
        if ppi < minimum - 0.5:
            out.append(_finding(
                "image.resolution", "warning", f"image at {ppi:.0f} ppi at its placed size "
                f"(minimum {minimum:.0f})",
                "use a larger original or place it smaller", number, *where,
                object=name))
    if mask:
        return
    space = _space_name(xobj.get("/ColorSpace"))
    if _bad_space(space, limits.pdfx):
        out.append(_finding("colour.space", "error", f"image in {space}",
                            "convert the image to CMYK (or grey) for newsprint", number, *where,
                            object=name))
        return
    key = (xobj.objgen, "tac")
    if space == "DeviceCMYK" and key not in seen:
        seen[key] = True
        tac = _image_tac(xobj)
        if tac is not None and tac > limits.tac_percent + 0.5:
            out.append(_finding("ink.tac", "error", f"image reaches {tac:.0f}% total ink",
                                f"separate it for newsprint (C+M+Y+K within "
                                f"{limits.tac_percent:.0f}%)", number, *where, object=name))


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
            data = zlib.decompress(data)
        else:
            raise ValueError(f"unsupported filter {name}")
    return data


def _image_tac(xobj) -> float | None:
    """The highest C+M+Y+K of a CMYK image, in percent, over every pixel."""
    filters = xobj.get("/Filter")
    filters = [str(f) for f in (filters if isinstance(filters, pikepdf.Array) else [filters])]
    decode = [float(v) for v in xobj.get("/Decode", [])]
    inverted = len(decode) >= 2 and decode[0] > decode[1]
    try:
        if filters and filters[-1] == "/DCTDecode":
            # Decode the JPEG ourselves: Pillow undoes Adobe's inverted CMYK, and the
            # PDF's /Decode array may invert again; ink = what a RIP would see.
            data = _undo_general_filters(xobj.read_raw_bytes(), filters[:-1])
            image = Image.open(io.BytesIO(data))
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
