"""Operator limits (for a rendering service), read from the environment so that
worker processes inherit what the command line set."""

from __future__ import annotations

import os

DEFAULT_MAX_IMAGE_PIXELS = 120_000_000   # a 12,000 × 10,000 photo; more is a mistake or an attack

# The only decoders a photo or image ad reaches, chosen by the file's content
# (Pillow's `formats`), never by its name: Pillow would hand EPS, even named
# .jpg, to Ghostscript, which runs the PostScript in it and can read files
# outside a confined --root.
PHOTO_FORMATS = ("JPEG", "PNG", "TIFF")


def max_image_pixels() -> int:
    try:
        return int(os.environ.get("BROADSHEET_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))
    except ValueError:
        return DEFAULT_MAX_IMAGE_PIXELS
