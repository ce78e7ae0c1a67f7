"""ReportLab stream objects whose data we compress ourselves."""

from __future__ import annotations

import zlib

from reportlab.pdfbase import pdfdoc

from .deflate import Deflating


def flate_stream(data: bytes, **entries) -> pdfdoc.PDFStream:
    """A Flate stream compressed here, so ReportLab writes it without a second pass."""
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary(entries), zlib.compress(data, 6))
    stream.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")
    return stream


class CompressedLater(pdfdoc.PDFStream):
    """A Flate stream that worker threads compress while painting goes on (a page's
    content as soon as the page is done, a font program once every page is);
    it is joined when ReportLab comes to write it."""

    def __init__(self, deflating: Deflating, **entries):
        super().__init__(pdfdoc.PDFDictionary(entries), b"")
        self.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")
        self._deflating = deflating

    def format(self, document):
        self.content = self._deflating.result()
        return super().format(document)
