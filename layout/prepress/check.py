"""Preflight: what a newspaper plant checks before it accepts a PDF.

Reads any PDF with pikepdf (ours or not) and reports findings, each with a
code, severity, the page, the place (mm from the trim's top-left corner where
it has one), the object and how to fix it.  First it finds the standard the
file declares (PDF/X-1a, X-3, X-4, or none) and holds it to that — or to the
one asked for.  This module checks the document (declaration, output intent,
metadata, actions); `pages` checks each page.  Thresholds are the
coldset-newsprint defaults of the prepress notes; each is a setting of `Limits`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import pikepdf

from ..conditions import CONDITIONS, REGISTERED, ink_limit
from ..errors import BroadsheetError
from ..findings import Finding
from .pages import check_page, finding


# A page check found past its bounds: no renderer is to be given it.
UNSAFE_TO_RENDER = "pdf.too-complex"


@dataclass(frozen=True)
class Limits:
    tac_percent: float | None = None   # total ink; None: the file's output condition's
                                       # (IFRA26, newsprint: 220%)
    min_ppi_photo: float = 150.0       # warn below this at placed size
    min_ppi_lineart: float = 600.0
    min_rule_pt: float = 0.25          # 100% K rules; thinner disappears on newsprint
    min_reversed_text_pt: float = 10.0  # white or 4-colour text
    min_tint_text_pt: float = 8.0
    pdfx: str = "PDF/X-1a:2001"        # the standard a file without its own is held to
    spot_inks: frozenset = frozenset()  # spot colours the plant prints (listed, not faults)


class Standard(NamedTuple):
    name: str                # PDF/X-1a:2001 …
    family: str              # X-1a, X-3, X-4: what its rules are
    max_pdf: str             # the newest PDF version it allows


# GTS_PDFXVersion (and, for X-1a, GTS_PDFXConformance) → the standard.
STANDARDS = {
    ("PDF/X-1:2001", "PDF/X-1a:2001"): Standard("PDF/X-1a:2001", "X-1a", "1.3"),
    ("PDF/X-1a:2003", None): Standard("PDF/X-1a:2003", "X-1a", "1.4"),
    ("PDF/X-3:2002", None): Standard("PDF/X-3:2002", "X-3", "1.3"),
    ("PDF/X-3:2003", None): Standard("PDF/X-3:2003", "X-3", "1.4"),
    ("PDF/X-4", None): Standard("PDF/X-4", "X-4", "1.6"),
    ("PDF/X-4p", None): Standard("PDF/X-4p", "X-4", "1.6"),
}
FAMILIES = {"X-1a": STANDARDS[("PDF/X-1:2001", "PDF/X-1a:2001")],
            "X-3": STANDARDS[("PDF/X-3:2003", None)], "X-4": STANDARDS[("PDF/X-4", None)]}
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2}(\d{2}(\d{2}(\d{2}(\d{2})?)?)?)?)?"
                       r"([Z+\-](\d{2}'?(\d{2}'?)?)?)?$")


def family_of(name: str) -> str:
    """'PDF/X-1a:2001', 'X-1a' … → 'X-1a' (the rules a standard brings)."""
    return "X-4" if "X-4" in name else "X-3" if "X-3" in name else "X-1a"


@dataclass(frozen=True)
class Preflight:
    """What check found: the standard the file declares (or None), the one it was
    held to, and the findings."""

    declared: str | None
    checked_as: str
    findings: list[Finding]


def preflight(path: Path, limits: Limits = Limits(), pages: list[int] | None = None,
              standard: str | None = None) -> Preflight:
    """The standard `path` declares, and every finding in it (or in its `pages`,
    1-based), held to `standard` ("X-1a", "X-3", "X-4") when given, else to what
    it declares, else to `limits.pdfx`."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise BroadsheetError(f"PDF is encrypted: {path}") from None
    except (pikepdf.PdfError, OSError) as exc:
        raise BroadsheetError(f"not a readable PDF: {path}: {exc}") from None
    with pdf:
        declared, findings = _declaration(pdf)
        findings += _damage(pdf)
        if standard is not None:
            held = FAMILIES[standard]
        else:
            held = declared or FAMILIES[family_of(limits.pdfx)]
        limits = replace(limits, pdfx=held.name,
                         tac_percent=limits.tac_percent or ink_limit(_condition(pdf)))
        findings += _document(pdf, held, declared)
        for number, page in enumerate(pdf.pages, start=1):
            if pages is None or number in pages:
                findings.extend(check_page(pdf, page, number, limits, held.family))
    return Preflight(declared.name if declared else None, held.name, findings)


def check_pdf(path: Path, limits: Limits = Limits(), pages: list[int] | None = None,
              as_declared: bool = True) -> list[Finding]:
    """Every finding in the PDF at `path`: held to what it declares, or (not
    `as_declared`) to `limits.pdfx` whatever it declares — as a supplied ad must
    meet the standard of the plate it goes on."""
    standard = None if as_declared else family_of(limits.pdfx)
    return preflight(path, limits, pages, standard).findings


def _damage(pdf) -> list[Finding]:
    """A file qpdf could read only by rebuilding it: one RIP may recover it the same
    way, another not at all — the plant wants it re-exported."""
    problems = [str(w).split(": ", 1)[-1] for w in pdf.get_warnings()]
    if not problems:
        return []
    specific = [p for p in problems if p != "file is damaged"] or problems
    return [finding("pdf.damaged", "error",
                    f"the file is damaged ({'; '.join(specific[:2])}): read only by "
                    f"rebuilding it", "export the PDF again")]


def _declaration(pdf) -> tuple[Standard | None, list[Finding]]:
    """The standard the file declares, from its info (or, for X-4, its XMP)."""
    info = pdf.docinfo
    version = str(info.get("/GTS_PDFXVersion", "")) or _xmp(pdf).get("pdfxid:GTS_PDFXVersion", "")
    conformance = str(info.get("/GTS_PDFXConformance", "")) or None
    if not version:
        return None, [finding("pdfx.version", "error", "no GTS_PDFXVersion: not a PDF/X file",
                              "export as PDF/X-1a:2001 (or the standard the plant takes)")]
    if version == "PDF/X-1:2001":
        standard = STANDARDS.get((version, conformance))
        if standard is None:
            what = "no GTS_PDFXConformance" if conformance is None else \
                f"GTS_PDFXConformance {conformance!r}"
            return FAMILIES["X-1a"], [finding(
                "pdfx.version", "error", f"PDF/X-1:2001 with {what}",
                "declare GTS_PDFXConformance PDF/X-1a:2001")]
        return standard, []
    standard = STANDARDS.get((version, None))
    if standard is None:
        return None, [finding("pdfx.version", "error",
                              f"GTS_PDFXVersion {version!r} is not a PDF/X version",
                              "declare PDF/X-1:2001 (with conformance PDF/X-1a:2001), "
                              "PDF/X-1a:2003, PDF/X-3:2002/2003 or PDF/X-4")]
    return standard, []


def _condition(pdf) -> str:
    """The output condition the file names ('' if none)."""
    for intent in pdf.Root.get("/OutputIntents") or []:
        if intent.get("/S") == pikepdf.Name.GTS_PDFX:
            return str(intent.get("/OutputConditionIdentifier", ""))
    return ""


def _xmp(pdf) -> dict:
    """The XMP properties this check compares, as text ({} without XMP)."""
    try:
        meta = pdf.open_metadata()
        return {key: meta.get(key) for key in (
            "pdfxid:GTS_PDFXVersion", "dc:title", "xmp:CreateDate", "xmp:ModifyDate",
            "pdf:Producer", "pdf:Trapped") if meta.get(key) is not None}
    except Exception:        # no XMP, or XMP a reader cannot parse: judged below
        return {}


def _document(pdf, held: Standard, declared: Standard | None) -> list[Finding]:
    out: list[Finding] = []
    if declared is not None and pdf.pdf_version > held.max_pdf:
        out.append(finding("pdfx.version", "error", f"PDF {pdf.pdf_version} for {held.name}",
                           f"{held.name} allows PDF {held.max_pdf} at the most"))
    out += _output_intent(pdf, held)
    info = pdf.docinfo
    trapped = info.get("/Trapped")
    if trapped not in (pikepdf.Name("/True"), pikepdf.Name("/False")):
        out.append(finding("pdfx.trapped", "error", f"Trapped is {trapped or 'missing'}",
                           "set /Trapped to /True or /False"))
    for key in ("/Title", "/CreationDate", "/ModDate"):
        if key not in info:
            out.append(finding("pdfx.metadata", "error", f"no {key[1:]} in the document info",
                               "set it when exporting"))
        elif key != "/Title" and not _PDF_DATE.match(str(info[key])):
            out.append(finding("pdfx.metadata", "error",
                               f"{key[1:]} {str(info[key])!r} is not a PDF date",
                               "write it as D:YYYYMMDDHHmmSS with its time zone"))
    out += _metadata_agrees(pdf, held)
    if "/ID" not in pdf.trailer:
        out.append(finding("pdfx.id", "error", "no document /ID", "write a file identifier"))
    if pdf.is_encrypted:
        out.append(finding("pdfx.encrypted", "error", "the PDF is encrypted",
                           "export without security"))
    root = pdf.Root
    names = root.get("/Names")
    if "/OpenAction" in root or "/AA" in root or (names is not None and "/JavaScript" in names):
        out.append(finding("pdfx.action", "error", "JavaScript or actions in the document",
                           "remove them: a plate runs no scripts"))
    if "/AcroForm" in root and root.AcroForm.get("/Fields"):
        out.append(finding("pdfx.annotation", "error", "the document has form fields",
                           "flatten the form"))
    return out


def _output_intent(pdf, held: Standard) -> list[Finding]:
    intents = pdf.Root.get("/OutputIntents")
    pdfx = [i for i in (intents or []) if i.get("/S") == pikepdf.Name.GTS_PDFX]
    if len(pdfx) != 1:
        return [finding("pdfx.output-intent", "error",
                        f"{len(pdfx)} PDF/X output intents (need exactly 1)",
                        "add one OutputIntent /S /GTS_PDFX naming the printing condition "
                        "(e.g. IFRA26 for newsprint)")]
    intent = pdfx[0]
    identifier = str(intent.get("/OutputConditionIdentifier", ""))
    if not identifier:
        return [finding("pdfx.output-intent", "error",
                        "output intent without OutputConditionIdentifier",
                        "name the printing condition (IFRA26)")]
    profile = "/DestOutputProfile" in intent
    if held.family == "X-4" and not profile:
        return [finding("pdfx.output-intent", "error",
                        "PDF/X-4 output intent without an embedded profile",
                        "embed the destination CMYK profile in the output intent")]
    if not profile and identifier not in REGISTERED and identifier not in CONDITIONS:
        return [finding("pdfx.output-intent", "error",
                        f"output condition {identifier!r} is not a registered "
                        f"characterisation, and no profile is embedded",
                        "embed the plant's profile (DestOutputProfile), or name a registered "
                        "condition such as IFRA26")]
    return []


def _metadata_agrees(pdf, held: Standard) -> list[Finding]:
    """XMP that says something other than the info dictionary (X-4 relies on XMP)."""
    xmp = _xmp(pdf)
    out = []
    if held.family == "X-4" and "pdfxid:GTS_PDFXVersion" not in xmp:
        out.append(finding("pdfx.metadata", "error",
                           "PDF/X-4 without pdfxid:GTS_PDFXVersion in XMP",
                           "write the PDF/X version into the XMP metadata"))
    info = pdf.docinfo
    pairs = (("dc:title", "/Title", str), ("pdf:Producer", "/Producer", str),
             ("pdf:Trapped", "/Trapped", lambda v: str(v).lstrip("/")),
             ("pdfxid:GTS_PDFXVersion", "/GTS_PDFXVersion", str),
             ("xmp:CreateDate", "/CreationDate", _iso), ("xmp:ModifyDate", "/ModDate", _iso))
    for xmp_key, info_key, norm in pairs:
        if xmp_key in xmp and info_key in info:
            said, stated = xmp[xmp_key], norm(info[info_key])
            if xmp_key.startswith("xmp:"):
                said = said[:19]
            if str(said) != str(stated):
                out.append(finding("pdfx.metadata", "error",
                                   f"XMP {xmp_key} {said!r} disagrees with the info's "
                                   f"{info_key[1:]} {stated!r}",
                                   "write the same in both (re-export)"))
    return out


def _iso(value) -> str:
    """A PDF date as ISO 8601 to the second (what XMP's dates start with)."""
    match = _PDF_DATE.match(str(value))
    if not match:
        return str(value)
    digits = str(value)[2:16].ljust(14, "0")
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:" \
           f"{digits[12:14]}"
