"""Supplied ad artwork, opened at load: what it is, how big, and whether it can be used.

A PDF ad is placed by its TrimBox (else its MediaBox); an image by its pixels
and resolution.  Anything that makes the artwork unusable — missing,
unreadable, encrypted, a page it does not have, a trim of no size — is a
user error at the ad's place in the spec, never a silently blank slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..limits import PHOTO_FORMATS
from ..errors import BroadsheetError, SourcePlace
from .check import check_file, check_image
from .model import Spec
from .yamlsource import Positions

MM = 72 / 25.4
# Sizes every house has, from the page's grid (cols, lines as fractions of the page).
STANDARD_SIZES = {"整版": (1, 1), "半版": (1, 1 / 2), "通栏": (1, 1 / 4), "半通栏": (1, 1 / 8)}


@dataclass(frozen=True)
class Artwork:
    """An ad's artwork as found on disk."""

    kind: str                     # "pdf" or "image"
    path: Path
    page: int                     # the PDF's page (1-based); 1 for an image
    trim: tuple[float, float, float, float]   # the placed box, in the file's own points
    mode: str = ""                # an image's colour mode (CMYK, RGB …)
    format: str = ""              # an image's format (JPEG, PNG, TIFF)
    ppi: float = 0.0              # an image's resolution at its own size
    ppi_stated: bool = True       # False: the file gives none, 72 ppi assumed

    @property
    def width_pt(self) -> float:
        return self.trim[2] - self.trim[0]

    @property
    def height_pt(self) -> float:
        return self.trim[3] - self.trim[1]

    def size_mm(self) -> str:
        return f"{self.width_pt / MM:.1f} × {self.height_pt / MM:.1f} mm"


def read_ads(spec: Spec, positions: Positions, base: Path) -> dict[str, Artwork]:
    """Every ad's artwork by ad id (a placeholder has none), each checked."""
    artwork: dict[str, Artwork] = {}
    seen: set[str] = set()
    for p, page in enumerate(spec.pages):
        for a, ad in enumerate(page.ads):
            where = ("pages", p, "ads", a)
            if ad.id in seen:
                raise BroadsheetError(f"ad id {ad.id!r} is used twice",
                                      positions.place(where + ("id",)))
            seen.add(ad.id)
            if ad.size is not None and ad.size not in spec.ad_sizes \
                    and ad.size not in STANDARD_SIZES:
                known = ", ".join([*spec.ad_sizes, *STANDARD_SIZES])
                raise BroadsheetError(f"unknown ad size {ad.size!r}; known: {known}",
                                      positions.place(where + ("size",)))
            if ad.size is None and (ad.box.cols is None or ad.box.lines is None):
                raise BroadsheetError("an ad needs its size: a named size, or cols and lines "
                                      "in its box", positions.place(where + ("box",)))
            if ad.page < 1:
                raise BroadsheetError(f"page {ad.page}: PDF pages count from 1",
                                      positions.place(where + ("page",)))
            if ad.file is not None:
                path = check_file(base, ad.file, "ad", positions, where + ("file",))
                artwork[ad.id] = read_artwork(path, ad.page, positions.place(where + ("file",)))
    return artwork


def read_artwork(path: Path, page: int, place: SourcePlace) -> Artwork:
    """Open an ad's file (by its content, not its name) and measure what is placed."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError:
        raise BroadsheetError(f"ad file not found: {path}", place) from None
    except OSError as exc:
        raise BroadsheetError(f"cannot read ad file {path}: {exc.strerror}", place) from None
    if b"%PDF-" in head:
        return _pdf(path, page, place)
    if page != 1:
        raise BroadsheetError(f"ad {path.name} is an image: it has no page {page}", place)
    return _image(path, place)


def _pdf(path: Path, page: int, place: SourcePlace) -> Artwork:
    import pikepdf       # 80 ms to import (python -X importtime): only for PDF ads

    try:
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
            if not 1 <= page <= count:
                raise BroadsheetError(f"ad {path.name} has no page {page} (it has {count})",
                                      place)
            obj = pdf.pages[page - 1].obj
            box = obj.get("/TrimBox", obj.get("/MediaBox"))
            trim = tuple(float(v) for v in box)
    except pikepdf.PasswordError:
        raise BroadsheetError(f"ad {path.name} is encrypted: ask for it without security",
                              place) from None
    except (pikepdf.PdfError, OSError, ValueError, TypeError) as exc:
        raise BroadsheetError(f"ad {path.name} is not a readable PDF: {exc}", place) from None
    x0, y0, x1, y1 = min(trim[0], trim[2]), min(trim[1], trim[3]), \
        max(trim[0], trim[2]), max(trim[1], trim[3])
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise BroadsheetError(f"ad {path.name} page {page} has a trim of no size", place)
    return Artwork("pdf", path, page, (x0, y0, x1, y1))


def _image(path: Path, place: SourcePlace) -> Artwork:
    from PIL import Image        # 9 ms to import; only a spec with photos or image ads

    check_image(path, place)     # a format we read, within the pixel limit
    with Image.open(path, formats=PHOTO_FORMATS) as im:
        if im.format not in ("JPEG", "PNG", "TIFF"):
            raise BroadsheetError(f"ad {path.name} is {im.format}: supply a PDF, JPEG, PNG "
                                  f"or TIFF", place)
        w, h = im.size
        dpi = im.info.get("dpi")
        stated = bool(dpi and float(dpi[0]) > 1 and float(dpi[1]) > 1)
        ppi_x, ppi_y = (float(dpi[0]), float(dpi[1])) if stated else (72.0, 72.0)
        return Artwork("image", path, 1, (0.0, 0.0, w / ppi_x * 72, h / ppi_y * 72),
                       im.mode, im.format, min(ppi_x, ppi_y), stated)
