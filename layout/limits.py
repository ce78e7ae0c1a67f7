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


# The largest file of each kind a spec may name, checked before it is read (a
# spec path of /dev/zero, or a 3 GB padded JPEG, must not be read at all).
MAX_FILE_BYTES = {
    "spec": 4 * 2**20, "copy file": 16 * 2**20, "copy": 16 * 2**20, "dump": 64 * 2**20, "photo": 256 * 2**20,
    "ad": 256 * 2**20, "font": 128 * 2**20, "profile": 16 * 2**20,
}


def max_image_pixels() -> int:
    try:
        return int(os.environ.get("BROADSHEET_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))
    except ValueError:
        return DEFAULT_MAX_IMAGE_PIXELS
