"""Fonts: the bundled faces, user fonts, metrics and coverage."""

from .registry import FontBook, FontFace, BUNDLED

__all__ = ["FontBook", "FontFace", "BUNDLED"]
