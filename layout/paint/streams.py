"""ReportLab stream objects whose data we compress ourselves."""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc

from .deflate import deflate


def flate_stream(data: bytes, **entries) -> pdfdoc.PDFStream:
    """A Flate stream compressed here, so ReportLab writes it without a second pass."""
    return compressed_stream(deflate(data), **entries)


def compressed_stream(flate: bytes, **entries) -> pdfdoc.PDFStream:
    """A stream of data already Flate-compressed (a font program kept between renders)."""
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary(entries), flate)
    stream.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")
    return stream
