"""pdfx: what a PDF/X file for the plant must declare (version keys, output
intent, XMP) and the bundled newsprint output profile — plain data that
`paint` writes.  Checking a finished PDF is `prepress`, a stage above paint."""

from .declaration import PdfXDeclaration, pdfx_declaration
from .profile import PROFILE_PATH

__all__ = ["PdfXDeclaration", "pdfx_declaration", "PROFILE_PATH"]
