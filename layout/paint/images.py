"""Photos for print: cropped to the frame, converted to CMYK, at press resolution."""

from __future__ import annotations

import hashlib
import io
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from ..colors import image_ink_percent
from ..errors import BroadsheetError
from ..files import cache_dir
from ..limits import PHOTO_FORMATS, max_image_pixels
from ..pdfx import PROFILE_PATH

# PIL.ImageCms (14 ms to import, `python -X importtime`) is imported where a
# photo is separated: a render whose photos are all cached never needs it.

MAX_PPI = 300          # more is wasted on newsprint; downsample to this
SEPARATION = "icc-2"   # bump when to_newsprint_cmyk changes: cached files are keyed by it


@dataclass(frozen=True)
class PreparedImage:
    path: Path             # a CMYK JPEG ready to embed
    width_pt: float
    height_pt: float
    offset_x_pt: float = 0.0
    offset_y_pt: float = 0.0
    ppi: float = 0.0


def prepare_image(source: Path, width_pt: float, height_pt: float, fit: str,
                  focus: tuple[float, float], cache: Path | None,
                  profile: Path | None = None, ink_limit: float | None = None) -> PreparedImage:
    """The photo cropped to its frame, at press resolution, in CMYK for the output
    profile; a CMYK one over `ink_limit` re-separated through that profile."""
    Image.MAX_IMAGE_PIXELS = max_image_pixels()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise BroadsheetError(f"cannot read photo {source}: {exc.strerror}") from None
    key = hashlib.sha256(data + repr((round(width_pt, 2), round(height_pt, 2), fit,
                                      focus, SEPARATION, _profile_key(profile),
                                      ink_limit)).encode()
                         ).hexdigest()[:32]
    if cache is None:
        cache = cache_dir() / "images"
    target = cache / f"{key}.jpg"
    try:
        with Image.open(source, formats=PHOTO_FORMATS) as im:     # reads the header only
            w, h = im.size
            turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)   # EXIF says: turned 90°
            if turned:
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
            if not _intact(target):       # decode only what the cache does not hold
                box = crop
                if size is not None:
                    # A camera's 24-megapixel JPEG is decoded at 1/2, 1/4 or 1/8 of its
                    # size when that still leaves the crop at least the pixels it
                    # needs (the decoder scales in the DCT domain): a fraction of the
                    # time and memory of decoding it whole.
                    need = (w * size[0] / (crop[2] - crop[0]), h * size[1] / (crop[3] - crop[1]))
                    im.draft(None, (math.ceil(need[1]), math.ceil(need[0])) if turned
                             else (math.ceil(need[0]), math.ceil(need[1])))
                    reduced_w = im.size[1] if turned else im.size[0]
                    box = tuple(c * reduced_w / w for c in crop)
                im.load()
                ImageOps.exif_transpose(im, in_place=True)   # upright, without a copy
                # Cropped and resampled in one step (resize takes the source box).
                picture = im.resize(size, Image.Resampling.LANCZOS, box=box) \
                    if size is not None else im.crop(crop)
                im.close()                                # the decoded file goes now
                cmyk = to_newsprint_cmyk(picture, profile)
                if ink_limit is not None and cmyk is picture \
                        and image_ink_percent(picture) > ink_limit + 0.5:
                    cmyk = _reseparate(picture, profile)
                del picture
                cache.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=cache, suffix=".tmp")
                os.close(fd)
                try:
                    cmyk.save(tmp, "JPEG", quality=90, dpi=(ppi, ppi))
                    _seal(Path(tmp), target)
                    os.replace(tmp, target)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
    except BroadsheetError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise BroadsheetError(f"cannot use photo {source}: {exc}") from None
    return PreparedImage(target, out_w, out_h, ox, oy, ppi)


def _seal(written: Path, target: Path) -> None:
    """The digest of a cached photo beside it (`.sha256`): a damaged file is not
    embedded but made again."""
    digest = hashlib.sha256(written.read_bytes()).hexdigest()
    target.with_suffix(".sha256").write_text(digest, encoding="ascii")


def _intact(target: Path) -> bool:
    """A cached photo that is there and is what was written."""
    try:
        expected = target.with_suffix(".sha256").read_text(encoding="ascii").strip()
        return hashlib.sha256(target.read_bytes()).hexdigest() == expected
    except OSError:
        return False


def _profile_key(profile: Path | None) -> str:
    if profile is None:
        profile = PROFILE_PATH
    return hashlib.sha256(Path(profile).read_bytes()).hexdigest()[:16]


def _reseparate(im, profile: Path | None):
    """A CMYK image over the ink limit, through the output profile and back
    (CMYK → Lab by its press model, Lab → CMYK by its separation, whose grey
    component replacement keeps the ink within the condition's limit)."""
    from PIL import ImageCms        # 14 ms: see the top

    destination = ImageCms.getOpenProfile(str(profile or PROFILE_PATH))
    transform = ImageCms.buildTransform(destination, destination, "CMYK", "CMYK",
                                        renderingIntent=ImageCms.Intent.PERCEPTUAL)
    return ImageCms.applyTransform(im, transform)


def to_newsprint_cmyk(im, profile: Path | None = None):
    """RGB → CMYK through a real ICC transform (LittleCMS, via Pillow's ImageCms).

    The destination is the plant's profile when the spec names one, else the
    bundled newsprint profile (see pdfx/profile.py: full GCR, dot-gain
    compensation, within the 220% ink limit).  The source is the photo's own
    embedded profile, or sRGB.
    """
    from PIL import ImageCms        # 14 ms: see the top

    if im.mode == "CMYK":
        return im
    source_icc = im.info.get("icc_profile")
    rgb = im if im.mode == "RGB" else im.convert("RGB")     # convert() would copy an RGB image
    transform = _transform(source_icc, str(profile) if profile else None)
    return ImageCms.applyTransform(rgb, transform)


_TRANSFORMS: dict = {}


def _transform(source_icc: bytes | None, profile: str | None):
    from PIL import ImageCms        # 14 ms: see the top

    key = (hashlib.sha256(source_icc).hexdigest() if source_icc else "sRGB", profile)
    transform = _TRANSFORMS.get(key)
    if transform is None:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(source_icc)) if source_icc \
                else ImageCms.createProfile("sRGB")
            if source_icc and source.profile.xcolor_space.strip() != "RGB":
                source = ImageCms.createProfile("sRGB")  # an RGB photo tagged CMYK, say
        except (OSError, ImageCms.PyCMSError):
            source = ImageCms.createProfile("sRGB")      # a broken embedded profile
        try:
            destination = ImageCms.getOpenProfile(profile or str(PROFILE_PATH))
            transform = ImageCms.buildTransform(source, destination, "RGB", "CMYK",
                                                renderingIntent=ImageCms.Intent.PERCEPTUAL)
        except (OSError, ImageCms.PyCMSError) as exc:
            raise BroadsheetError(f"cannot separate photos through the profile "
                                  f"{Path(profile or PROFILE_PATH).name}: {exc}") from None
        _TRANSFORMS[key] = transform
    return transform
