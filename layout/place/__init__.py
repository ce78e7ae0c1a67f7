"""place: composed lines and boxes → pages of positioned items (the layout result)."""

from .edition import layout_edition
from .result import Layout

__all__ = ["layout_edition", "Layout"]
