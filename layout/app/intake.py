"""Intake of supplied ads: each one checked as the plant would check it, before it
goes on a plate.

A PDF ad gets the preflight of `broadsheet check` (its page only), held to the
edition's output standard whatever it declares of itself; an image ad its ink.
What the standard forbids — RGB, transparency in PDF/X-1a, a font not
embedded, unreadable content — refuses the ad (the render stops, nothing is
written); what is only risky — ink over the limit, low resolution, hairlines,
small reversed type — is a warning naming the ad, its file and its plate.
"""

from __future__ import annotations

from PIL import Image

from ..colors import image_ink_percent
from ..conditions import ink_limit
from ..errors import BroadsheetError
from ..limits import PHOTO_FORMATS
from ..findings import WARNING, Finding
from ..place.result import AdItem, Layout
from ..spec import LoadedSpec

# The codes that make an ad unusable on a plate of the edition's standard.
FORBIDDEN = {"colour.space", "colour.transparency", "font.not-embedded", "pdf.syntax"}
# The ad file's own document keys and boxes: it becomes part of our page, not a file.
NOT_THE_ADS = ("pdfx.", "boxes.")


def intake(loaded: LoadedSpec, layout: Layout) -> list[Finding]:
    """Findings about every supplied ad on the layout's pages (each ad file once)."""
    if not any(isinstance(item, AdItem) for page in layout.pages for item in page.items):
        return []
    # The preflight reads PDFs with pikepdf: 80 ms to import (python -X importtime),
    # which an edition without supplied ads need not pay on every render.
    from ..prepress.check import Limits, check_pdf

    prepress = loaded.spec.prepress
    standard = "PDF/X-4" if prepress.pdfx == "X-4" else "PDF/X-1a:2001"
    limits = Limits(pdfx=standard,
                    tac_percent=ink_limit(prepress.output_condition, prepress.tac_percent))
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for page in layout.pages:
        for item in page.items:
            if not isinstance(item, AdItem):
                continue
            art = item.artwork
            key = (item.ad, page.number)
            if key in seen:
                continue
            seen.add(key)
            place = _ad_place(loaded, item.ad)
            where = dict(page=page.number, element=f"ad {item.ad}", source=place,
                         object=art.path.name + (f" p{art.page}" if art.kind == "pdf" else ""))
            if art.kind == "pdf":
                for found in check_pdf(art.path, limits, pages=[art.page], as_declared=False):
                    if found.code.startswith(NOT_THE_ADS):
                        continue
                    if found.code in FORBIDDEN:
                        raise BroadsheetError(
                            f"ad {item.ad!r} ({art.path.name}, page {art.page}) cannot go on "
                            f"a {standard} plate: {found.message} — {found.hint}", place)
                    findings.append(found.at(severity=WARNING, x_mm=None, y_mm=None,
                                             **where))
            elif art.mode == "CMYK":
                tac = _image_tac(art.path)
                if tac > limits.tac_percent + 0.5:
                    findings.append(Finding(
                        "ink.tac", f"ad {art.path.name} reaches {tac:.0f}% total ink",
                        f"ask for it separated for newsprint (C+M+Y+K within "
                        f"{limits.tac_percent:.0f}%)", severity=WARNING, **where))
    return findings


def _ad_place(loaded: LoadedSpec, ad_id: str):
    for p, page in enumerate(loaded.spec.pages):
        for a, ad in enumerate(page.ads):
            if ad.id == ad_id:
                return loaded.place("pages", p, "ads", a, "file")
    return None


def _image_tac(path) -> float:
    """The highest C+M+Y+K of a CMYK image, in percent, over every pixel."""
    with Image.open(path, formats=PHOTO_FORMATS) as im:
        return image_ink_percent(im)
