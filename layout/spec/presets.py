"""Page size presets (trim, width × height)."""

from __future__ import annotations

import re

from .. import units
from ..errors import did_you_mean

PRESETS_MM = {
    "broadsheet": (390.0, 540.0),   # 对开
    "tabloid": (275.0, 390.0),      # 四开
    "berliner": (315.0, 470.0),
    "a3": (297.0, 420.0),
}

_SIZE = re.compile(r"^\s*(\S+)\s*[x×]\s*(\S+)\s*$")


def page_size_pt(size: str) -> tuple[float, float]:
    """'broadsheet' or '390mm x 540mm' → (width_pt, height_pt)."""
    key = size.strip().lower()
    if key in PRESETS_MM:
        w, h = PRESETS_MM[key]
        return w * units.PT_PER_MM, h * units.PT_PER_MM
    match = _SIZE.match(size)
    if match:
        try:
            return units.length_pt(match.group(1)), units.length_pt(match.group(2))
        except units.UnitError:
            pass
    raise ValueError(f"unknown page size {size!r}" + did_you_mean(size, PRESETS_MM)
                     + f": use one of {', '.join(PRESETS_MM)} or 'WIDTHmm x HEIGHTmm'")
