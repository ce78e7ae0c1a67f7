"""Supplied ads painted untouched.

A PDF ad's page becomes a form XObject of our document: its content, fonts,
images and colour spaces copied object by object, byte for byte (no
rasterising, no re-separation), clipped to its TrimBox, the TrimBox placed on
the slot.  A CMYK JPEG goes in as supplied; any other image is separated and
resampled like our photos (and reported so at layout).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from ..place.result import AdItem
from . import reportlab_door as rl
from .images import prepare_image
from .reportlab_door import PDFObject, fp_str


class _Copied(PDFObject):
    """An object copied from another PDF: its syntax as bytes, with references to
    other copied objects resolved when the document is written."""

    def __init__(self):
        self.parts: list = []

    def format(self, document) -> bytes:
        return b"".join(part if isinstance(part, bytes) else part.format(document)
                        for part in self.parts)


class FormCopier:
    """Copies pages of supplied PDFs into one document as form XObjects, each
    object once (an ad placed on two pages shares its fonts and images)."""

    def __init__(self, doc):
        self._doc = doc
        self._forms: dict[str, str] = {}      # content key -> form name

    def form(self, canvas, item: AdItem) -> str:
        """The resource name of the ad's page as a form XObject, used on this page."""
        art = item.artwork
        key = hashlib.sha256(art.path.read_bytes() + b"|%d" % art.page).hexdigest()[:16]
        name = f"Ad{key}"
        if name not in self._forms:
            self._forms[name] = name
            return rl.use_form(canvas, name, self._copy_page(art))
        return rl.use_form(canvas, name, None)

    def _copy_page(self, art) -> _Copied:
        import pikepdf   # 80 ms to import (python -X importtime): only for PDF ads

        memo: dict = {}
        with pikepdf.open(art.path) as pdf:
            page = pdf.pages[art.page - 1]
            form = page.as_form_xobject(handle_transformations=True)
            copied = _Copied()
            entries = {k: v for k, v in form.items() if k not in ("/Length", "/BBox")}
            x0, y0, x1, y1 = art.trim
            copied.parts = [b"<< /BBox [", _num(x0), b" ", _num(y0), b" ", _num(x1), b" ",
                            _num(y1), b"]"]
            for key, value in entries.items():
                copied.parts += [b" ", _name(key), b" ", *self._value(value, memo, pikepdf)]
            data = form.read_raw_bytes()
            copied.parts += [b" /Length %d >>\nstream\n" % len(data), data, b"\nendstream"]
        return copied

    def _value(self, obj, memo: dict, pikepdf) -> list:
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            key = obj.objgen
            reference = memo.get(key)
            if reference is None:
                holder = _Copied()
                reference = memo[key] = rl.reference(self._doc, holder)
                holder.parts = self._direct(obj, memo, pikepdf)   # after: cycles end here
            return [reference]
        return self._direct(obj, memo, pikepdf)

    def _direct(self, obj, memo: dict, pikepdf) -> list:
        if isinstance(obj, pikepdf.Stream):
            parts = [b"<<"]
            for key, value in obj.items():
                if key != "/Length":
                    parts += [b" ", _name(key), b" ", *self._value(value, memo, pikepdf)]
            data = obj.read_raw_bytes()
            return parts + [b" /Length %d >>\nstream\n" % len(data), data, b"\nendstream"]
        if isinstance(obj, pikepdf.Dictionary):
            parts = [b"<<"]
            for key, value in obj.items():
                if key != "/Parent":              # never climb back to the ad's page tree
                    parts += [b" ", _name(key), b" ", *self._value(value, memo, pikepdf)]
            return parts + [b" >>"]
        if isinstance(obj, pikepdf.Array):
            parts = [b"["]
            for value in obj:
                parts += [*self._value(value, memo, pikepdf), b" "]
            return parts + [b"]"]
        if isinstance(obj, pikepdf.Object):       # names, strings, operators
            return [obj.unparse()]
        if obj is None:
            return [b"null"]
        if isinstance(obj, bool):
            return [b"true" if obj else b"false"]
        if isinstance(obj, (int, float, Decimal)):
            return [_num(obj)]
        raise ValueError(f"cannot copy {type(obj).__name__} from a PDF ad")


def _name(key: str) -> bytes:
    """A PDF name as written: bytes outside the printable range, and delimiters, as #xx."""
    out = bytearray(b"/")
    for byte in key.lstrip("/").encode("utf-8"):
        out += bytes([byte]) if 33 <= byte <= 126 and byte not in b"()<>[]{}/%#" \
            else b"#%02X" % byte
    return bytes(out)


def _num(value) -> bytes:
    if isinstance(value, int):
        return str(value).encode()
    text = format(Decimal(str(value)).normalize(), "f")
    return text.encode()


def paint_ad(canvas, item: AdItem, X, Y, forms: FormCopier, image_cache: Path | None,
             profile: Path | None) -> None:
    """The artwork placed on its slot: the trim on the slot (exact), scaled to fit
    inside it (contain) or to fill it, clipped (cover)."""
    art = item.artwork
    if art.kind == "pdf":
        scale_x = item.width_pt / art.width_pt
        scale_y = item.height_pt / art.height_pt
        scale = {"contain": min(scale_x, scale_y), "cover": max(scale_x, scale_y)} \
            .get(item.fit, 1.0)
        w, h = art.width_pt * scale, art.height_pt * scale
        left = X(item.x_pt) + (item.width_pt - w) / 2
        bottom = Y(item.y_pt + item.height_pt) + (item.height_pt - h) / 2
        name = forms.form(canvas, item)
        clip = (f"{fp_str(X(item.x_pt))} {fp_str(Y(item.y_pt + item.height_pt))} "
                f"{fp_str(item.width_pt)} {fp_str(item.height_pt)} re W n ")
        rl.append_code(canvas, f"q {clip}{fp_str(scale)} 0 0 {fp_str(scale)} "
                               f"{fp_str(left - art.trim[0] * scale)} "
                               f"{fp_str(bottom - art.trim[1] * scale)} cm /{name} Do Q")
        return
    if art.format == "JPEG" and art.mode == "CMYK":
        path, (w, h) = art.path, _fitted(item)
        left = X(item.x_pt) + (item.width_pt - w) / 2
        bottom = Y(item.y_pt + item.height_pt) + (item.height_pt - h) / 2
        key = hashlib.sha256(art.path.read_bytes()).hexdigest()[:16]
        name = rl.use_image(canvas, f"Ad{key}", str(path))
    else:         # separated and resampled as our photos are
        fit = "fit" if item.fit == "contain" else "fill"
        prepared = prepare_image(art.path, item.width_pt, item.height_pt, fit, (0.5, 0.5),
                                 image_cache, profile)
        w, h = prepared.width_pt, prepared.height_pt
        left = X(item.x_pt + prepared.offset_x_pt)
        bottom = Y(item.y_pt + prepared.offset_y_pt + h)
        name = rl.use_image(canvas, f"Photo{prepared.path.stem}", str(prepared.path))
    clip = (f"{fp_str(X(item.x_pt))} {fp_str(Y(item.y_pt + item.height_pt))} "
            f"{fp_str(item.width_pt)} {fp_str(item.height_pt)} re W n ")
    rl.append_code(canvas, f"q {clip}{fp_str(w)} 0 0 {fp_str(h)} {fp_str(left)} "
                           f"{fp_str(bottom)} cm /{name} Do Q")


def _fitted(item: AdItem) -> tuple[float, float]:
    """The artwork's placed size: its own (exact), or scaled to the slot."""
    art = item.artwork
    if item.fit == "exact":
        return art.width_pt, art.height_pt
    scale_x, scale_y = item.width_pt / art.width_pt, item.height_pt / art.height_pt
    scale = min(scale_x, scale_y) if item.fit == "contain" else max(scale_x, scale_y)
    return art.width_pt * scale, art.height_pt * scale
