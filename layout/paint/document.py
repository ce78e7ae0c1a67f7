"""Document-level objects ReportLab has no API for: the PDF/X declaration
(document info, OutputIntent, XMP) and a file ID derived from the content.

They go into ReportLab's own document objects before it writes the file, so
the PDF is written once.
"""

from __future__ import annotations

import hashlib

from reportlab.pdfbase import pdfdoc

from ..prepress.pdfx import PdfXDeclaration
from .streams import flate_stream

# Written as the trailer's /ID, then replaced by the file's digest (same length,
# after the cross-reference table, so no offset moves).
_ID_PLACEHOLDER = b"<" + b"0" * 32 + b">"
_ID_ENTRY = b"[" + _ID_PLACEHOLDER + _ID_PLACEHOLDER + b"]"


class _Info(pdfdoc.PDFInfo):
    """The document info dictionary with exactly our entries (ReportLab's own
    writes its timestamps, Keywords and no GTS_* keys)."""

    def __init__(self, entries: tuple[tuple[str, str], ...]):
        super().__init__()
        self._entries = entries

    def format(self, document) -> bytes:
        entries = {key: pdfdoc.PDFString(value) for key, value in self._entries}
        entries["Trapped"] = pdfdoc.PDFName("False")     # we do not trap; the plant may
        return pdfdoc.PDFDictionary(entries).format(document)


def declare(doc: pdfdoc.PDFDocument, declaration: PdfXDeclaration) -> None:
    """Put the declaration into ReportLab's document before it is saved."""
    doc._pdfVersion = declaration.pdf_version
    doc.info = _Info(declaration.info)
    intent = {"Type": pdfdoc.PDFName("OutputIntent"), "S": pdfdoc.PDFName("GTS_PDFX")}
    intent.update((key, pdfdoc.PDFString(value)) for key, value in declaration.output_intent)
    if declaration.profile is not None:
        intent["DestOutputProfile"] = doc.Reference(flate_stream(declaration.profile, N=4))
    catalog = doc.Catalog
    # The catalog writes only the keys it lists; this instance lists one more.
    catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = pdfdoc.PDFArray([doc.Reference(pdfdoc.PDFDictionary(intent))])
    if declaration.xmp is not None:
        # Uncompressed, as XMP readers that scan files for packets expect.
        catalog.Metadata = pdfdoc.PDFStream(
            pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                  "Subtype": pdfdoc.PDFName("XML")}), declaration.xmp)
    doc._ID = b"\n" + _ID_ENTRY + b"\n"


def stamp_id(pdf: bytes) -> bytes:
    """The trailer's /ID set to a digest of the file as written (SHA-256, which
    CPUs hash in hardware, cut to the usual 16 bytes): the same pages
    give the same ID, different pages a different one."""
    at = pdf.find(_ID_ENTRY, pdf.rfind(b"trailer"))
    if at < 0:
        raise ValueError("the trailer's /ID placeholder is missing")
    digest = b"<" + hashlib.sha256(pdf).hexdigest()[:32].encode("ascii") + b">"
    view = memoryview(pdf)                  # one copy of the file, not one per +
    return b"".join((view[:at], b"[", digest, digest, b"]", view[at + len(_ID_ENTRY):]))
