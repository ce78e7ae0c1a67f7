"""The one door to ReportLab: every import of it, and every use of its internals.

ReportLab writes the PDF (objects, cross-reference table, compression of
what we do not compress ourselves); we decide everything drawn.  Its public
canvas API has no way to write PDF/X keys, CID fonts with our own subsets,
image XObjects named by content, or page content we format ourselves, so a
few of its private attributes are used — here only, each named in
`INTERNALS`.  `missing_internals()` says which of them an installed ReportLab
lacks (tests/test_reportlab_door.py fails with that list), and pyproject.toml
pins the versions this was tested with.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

# The public names the rest of `paint` builds PDF objects with.
PDFArray = pdfdoc.PDFArray
PDFDictionary = pdfdoc.PDFDictionary
PDFName = pdfdoc.PDFName
PDFObject = pdfdoc.PDFObject
PDFStream = pdfdoc.PDFStream
PDFString = pdfdoc.PDFString

__all__ = ["CMYKColor", "CMYKColorSep", "Canvas", "PDFArray", "PDFDictionary", "PDFName", "PDFObject",
           "PDFStream", "PDFString", "fp_str", "new_canvas", "missing_internals"]

# (object, attribute) pairs this module relies on beyond ReportLab's documented API.
INTERNALS = (
    ("Canvas", "_doc"), ("Canvas", "_code"), ("Canvas", "_setXObjects"),
    ("Canvas", "_enforceColorSpace"),
    ("Canvas", "_formsinuse"),
    ("PDFDocument", "_ID"), ("PDFDocument", "_pdfVersion"), ("PDFDocument", "info"),
    ("PDFDocument", "Catalog"), ("PDFDocument", "Pages"), ("PDFDocument", "delayedFonts"),
    ("PDFDocument", "idToObject"), ("PDFDocument", "getXObjectName"),
    ("PDFDocument", "addForm"), ("PDFDocument", "Reference"),
    ("PDFCatalog", "__NoDefault__"), ("PDFPages", "pages"), ("PDFPage", "stream"),
    ("PDFInfo", "format"), ("PDFImageXObject", "name"), ("pdfdoc", "BasicFonts"),
    ("rl_config", "useA85"),
)


def missing_internals() -> list[str]:
    """The internals above that the installed ReportLab does not have."""
    try:
        canvas = Canvas(None)
    except Exception as exc:        # a ReportLab this door cannot even start
        return [f"Canvas(None) fails: {exc.__class__.__name__}: {exc}"]
    doc = canvas._doc if hasattr(canvas, "_doc") else None
    owners = {
        "Canvas": canvas, "PDFDocument": doc, "pdfdoc": pdfdoc, "rl_config": rl_config,
        "PDFCatalog": getattr(doc, "Catalog", None), "PDFPages": getattr(doc, "Pages", None),
        "PDFPage": pdfdoc.PDFPage(), "PDFInfo": pdfdoc.PDFInfo,
        "PDFImageXObject": pdfdoc.PDFImageXObject("probe"),
    }
    return [f"{owner}.{name}" for owner, name in INTERNALS
            if owners[owner] is None or not hasattr(owners[owner], name)]


class _NoInitialFont:
    """The canvas' initial font: a dynamic font, so ReportLab writes no `Tf` for it
    (its default is a non-embedded Helvetica).  Every line sets its own font."""

    fontName = "broadsheet-no-initial-font"
    _dynamicFont = 1
    _multiByte = 0

    class face:
        name = b"broadsheet-no-initial-font"


pdfmetrics.registerFont(_NoInitialFont())


def new_canvas(target, pagesize: tuple[float, float]) -> Canvas:
    """A canvas for a deterministic CMYK PDF: invariant (no dates or random IDs),
    compressed pages, binary streams (ASCII85 makes images 25% larger), and no
    initial font."""
    rl_config.useA85 = 0
    canvas = Canvas(target, pagesize=pagesize, invariant=1, pageCompression=1,
                    initialFontName=_NoInitialFont.fontName, initialFontSize=9)
    # ReportLab's own "cmyk" rule turns spot inks into process colours, and its
    # "sep_cmyk" rule re-makes black-only colours as greys with an alpha (PDF 1.4):
    # ours passes CMYK and spot colours through as they are, and refuses the rest.
    canvas._enforceColorSpace = _cmyk_or_spot
    return canvas


def _cmyk_or_spot(color):
    if not isinstance(color, CMYKColor):
        raise TypeError(f"not a CMYK or spot colour: {color!r}")
    return color


def document(canvas: Canvas):
    """The canvas' PDF document: where objects are registered and written."""
    return canvas._doc


def append_code(canvas: Canvas, code: str) -> None:
    """Content operators written as they are (our text and image placement)."""
    canvas._code.append(code)


# Our graphics states, in every page's resources.  ReportLab's own hold one key
# each; overprint is only safe with its mode beside it: OPM 1 lets the zero C, M
# and Y of a black glyph leave the plates below alone (with OPM 0 they knock
# out a hole under every glyph, and misregister shows white halos).
OVERPRINT, KNOCKOUT = "BSOverprint", "BSKnockout"
_GRAPHICS_STATES = {OVERPRINT: {"Type": PDFName("ExtGState"), "OP": b"true", "op": b"true",
                                "OPM": 1},
                    KNOCKOUT: {"Type": PDFName("ExtGState"), "OP": b"false", "op": b"false",
                               "OPM": 1}}


def use_graphics_state(canvas: Canvas, name: str) -> None:
    """Switch to one of our graphics states (OVERPRINT, KNOCKOUT)."""
    canvas._code.append(f"/{name} gs")


def finish_page(canvas: Canvas, make_stream) -> None:
    """After showPage: the page's content as `make_stream(content bytes)`, so its
    text is freed now (ReportLab would keep every page's until save); and our
    graphics states in its resources."""
    page = canvas._doc.Pages.pages[-1]
    page.Contents = make_stream(page.stream.encode("utf-8"))
    page.stream = None
    states = page.ExtGState.dict if isinstance(page.ExtGState, PDFDictionary) else {}
    states.update((name, PDFDictionary(dict(entries)))
                  for name, entries in _GRAPHICS_STATES.items())
    page.ExtGState = PDFDictionary(states)


def use_image(canvas: Canvas, name: str, path: str) -> str:
    """An image file as an XObject named `name` (registered once), used on the
    current page; returns its resource name for a `Do`.  A file name (not an
    ImageReader) lets ReportLab pass a JPEG through undecoded."""
    doc = canvas._doc
    registered = doc.getXObjectName(name)
    if doc.idToObject.get(registered) is None:
        image = pdfdoc.PDFImageXObject(name, path)
        image.name = name
        canvas._setXObjects(image)
        doc.Reference(image, registered)
        doc.addForm(name, image)
    canvas._formsinuse.append(name)
    return registered


def use_form(canvas: Canvas, name: str, obj) -> str:
    """A form XObject named `name` (registered the first time, with `obj`), used on
    the current page; returns its resource name for a `Do`."""
    doc = canvas._doc
    registered = doc.getXObjectName(name)
    if doc.idToObject.get(registered) is None:
        doc.Reference(obj, registered)
    canvas._formsinuse.append(name)
    return registered


def reference(doc, obj, name: str | None = None):
    """An indirect reference to `obj`, registering it with the document."""
    return doc.Reference(obj, name) if name is not None else doc.Reference(obj)


def set_info(doc, info) -> None:
    """The document information dictionary (an object with `format(document)`)."""
    doc.info = info


def set_pdf_version(doc, version: tuple[int, int]) -> None:
    doc._pdfVersion = version


def add_catalog_entry(doc, key: str, value) -> None:
    """A key the catalog writes (it writes only the keys it lists, and its
    setCatalogEntry drops OutputIntents)."""
    catalog = doc.Catalog
    if key not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, key]
    setattr(catalog, key, value)


def set_trailer_id(doc, entry: bytes) -> None:
    """The trailer's /ID, written as it is."""
    doc._ID = entry


def defer_fonts(doc, fonts) -> None:
    """`fonts.addObjects(doc)` is called when the document is saved, after every
    page is painted (ReportLab's protocol for fonts whose glyphs are known late)."""
    doc.delayedFonts.append(fonts)


def font_resources(doc) -> dict:
    """The document-wide font resource dictionary (name → reference)."""
    return doc.idToObject[pdfdoc.BasicFonts].dict


class InfoDictionary(pdfdoc.PDFInfo):
    """The document info dictionary with exactly the given entries (ReportLab's
    own writes its timestamps, Keywords and no GTS_* keys)."""

    def __init__(self, entries: dict):
        super().__init__()
        self._entries = entries

    def format(self, document) -> bytes:
        return pdfdoc.PDFDictionary(self._entries).format(document)
