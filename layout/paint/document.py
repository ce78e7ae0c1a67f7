"""Document-level objects ReportLab has no API for: the PDF/X declaration
(document info, OutputIntent, XMP) and a file ID derived from the content.

They go into ReportLab's own document objects before it writes the file, so
the PDF is written once.
"""

from __future__ import annotations

import hashlib

from ..pdfx import PdfXDeclaration
from . import reportlab_door as rl
from .reportlab_door import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from .streams import flate_stream

# Written as the trailer's /ID, then replaced by the file's digest (same length,
# after the cross-reference table, so no offset moves).
_ID_PLACEHOLDER = b"<" + b"0" * 32 + b">"
_ID_ENTRY = b"[" + _ID_PLACEHOLDER + _ID_PLACEHOLDER + b"]"


def declare(doc, declaration: PdfXDeclaration) -> None:
    """Put the declaration into ReportLab's document before it is saved."""
    rl.set_pdf_version(doc, declaration.pdf_version)
    info = {key: PDFString(value) for key, value in declaration.info}
    info["Trapped"] = PDFName("False")          # we do not trap; the plant may
    rl.set_info(doc, rl.InfoDictionary(info))
    intent = {"Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFX")}
    intent.update((key, PDFString(value)) for key, value in declaration.output_intent)
    if declaration.profile is not None:
        intent["DestOutputProfile"] = rl.reference(doc, flate_stream(declaration.profile, N=4))
    rl.add_catalog_entry(doc, "OutputIntents",
                         PDFArray([rl.reference(doc, PDFDictionary(intent))]))
    if declaration.xmp is not None:
        # Uncompressed, as XMP readers that scan files for packets expect.
        rl.add_catalog_entry(doc, "Metadata", PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            declaration.xmp))
    rl.set_trailer_id(doc, b"\n" + _ID_ENTRY + b"\n")


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
