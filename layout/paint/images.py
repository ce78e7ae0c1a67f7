"""Photos for print: cropped to the frame, converted to CMYK, at press resolution."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import BroadsheetError

MAX_PPI = 300          # more is wasted on newsprint; downsample to this
SEPARATION = "newsprint-gcr-2"   # bump when to_newsprint_cmyk changes: cached files are keyed by it


@dataclass(frozen=True)
class PreparedImage:
    path: Path             # a CMYK JPEG ready to embed
    width_pt: float
    height_pt: float
    offset_x_pt: float = 0.0
    offset_y_pt: float = 0.0
    ppi: float = 0.0


def prepare_image(source: Path, width_pt: float, height_pt: float, fit: str,
                  focus: tuple[float, float], cache: Path | None) -> PreparedImage:
    from PIL import Image, ImageOps

    from ..limits import max_image_pixels
    Image.MAX_IMAGE_PIXELS = max_image_pixels()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise BroadsheetError(f"cannot read photo {source}: {exc.strerror}") from None
    key = hashlib.sha256(data + repr((round(width_pt, 2), round(height_pt, 2), fit,
                                      focus, SEPARATION)).encode()).hexdigest()[:32]
    if cache is None:
        from ..fonts.registry import cache_dir
        cache = cache_dir() / "images"
    target = cache / f"{key}.jpg"
    try:
        with Image.open(source) as im:                  # reads the header only
            w, h = im.size
            if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):   # EXIF says: turned 90°
                w, h = h, w
            frame_ratio = width_pt / height_pt
            crop = (0, 0, w, h)
            if fit == "fill":
                # Crop to the frame's shape around the focal point; no distortion.
                if w / h > frame_ratio:
                    new_w = round(h * frame_ratio)
                    left = min(max(0, round(focus[0] * w - new_w / 2)), w - new_w)
                    crop = (left, 0, left + new_w, h)
                else:
                    new_h = round(w / frame_ratio)
                    top = min(max(0, round(focus[1] * h - new_h / 2)), h - new_h)
                    crop = (0, top, w, top + new_h)
                out_w, out_h, ox, oy = width_pt, height_pt, 0.0, 0.0
            else:
                scale = min(width_pt / w, height_pt / h)
                out_w, out_h = w * scale, h * scale
                ox, oy = (width_pt - out_w) / 2, (height_pt - out_h) / 2
            ppi = (crop[2] - crop[0]) / (out_w / 72)
            size = None
            if ppi > MAX_PPI:
                size = (max(1, round(out_w / 72 * MAX_PPI)), max(1, round(out_h / 72 * MAX_PPI)))
                ppi = MAX_PPI
            if not target.is_file():      # decode only what the cache does not hold
                im.load()
                picture = ImageOps.exif_transpose(im).crop(crop)
                if size is not None:
                    picture = picture.resize(size, Image.Resampling.LANCZOS)
                cmyk = to_newsprint_cmyk(picture)
                cache.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=cache, suffix=".tmp")
                os.close(fd)
                try:
                    cmyk.save(tmp, "JPEG", quality=90, dpi=(ppi, ppi))
                    os.replace(tmp, target)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
    except BroadsheetError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise BroadsheetError(f"cannot use photo {source}: {exc}") from None
    return PreparedImage(target, out_w, out_h, ox, oy, ppi)


def to_newsprint_cmyk(im):
    """RGB → CMYK with grey-component replacement and a 220% ink limit.

    A built-in approximation of a newsprint separation (no profile with a
    redistribution licence exists): K carries the neutral component, so the
    total area coverage stays within what coldset newsprint holds.
    """
    from PIL import Image, ImageChops

    if im.mode == "CMYK":
        return im
    rgb = im.convert("RGB")
    r, g, b = rgb.split()
    c, m, y = (ImageChops.invert(ch) for ch in (r, g, b))
    k = ImageChops.darker(ImageChops.darker(c, m), y)          # min(C, M, Y)
    c, m, y = (ImageChops.subtract(ch, k) for ch in (c, m, y))  # full GCR
    # Dot-gain compensation (newsprint gains about 26% at 40%: lighten the middle
    # tones) and the ink limit: with full GCR at most two of C, M, Y are non-zero,
    # so 0.95 × 2 × 100% + K stays within 220% wherever K is low, and K replaces
    # the rest.
    gain = [round(255 * (v / 255) ** 1.18) for v in range(256)]
    c, m, y = (ch.point([round(g * 0.95) for g in gain]) for ch in (c, m, y))
    k = k.point(gain)
    return Image.merge("CMYK", (c, m, y, k))
