"""ReportLab stream objects whose data we compress ourselves."""

from __future__ import annotations

from .deflate import deflate
from .reportlab_door import PDFDictionary, PDFName, PDFStream


def flate_stream(data: bytes, **entries) -> PDFStream:
    """A Flate stream compressed here, so ReportLab writes it without a second pass."""
    return compressed_stream(deflate(data), **entries)


def compressed_stream(flate: bytes, **entries) -> PDFStream:
    """A stream of data already Flate-compressed (a font program kept between renders)."""
    stream = PDFStream(PDFDictionary(entries), flate)
    stream.dictionary["Filter"] = PDFName("FlateDecode")
    return stream
