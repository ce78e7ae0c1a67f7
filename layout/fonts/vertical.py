"""Vertical glyphs from a face's own `vert` / `vrt2` features (竖排).

The font's vertical alternates — a comma and full stop in the upper right of
their cell, brackets and quotes turned — are used rather than Unicode's
presentation forms (︐ ︒ ﹁ …): a presentation form copies out of the PDF as
itself, while the alternate is written under the original character's code
(ToUnicode), so the text copies out as written.  Read once per font file with
fontTools (about 40 ms for Noto Serif CJK).
"""

from __future__ import annotations

from pathlib import Path

VERTICAL_SUFFIX = "@v"       # a font alias + this: the same face, its glyphs vertical

_MAPS: dict[str, dict[int, int]] = {}


def vertical_gids(path: Path) -> dict[int, int]:
    """glyph id → its vertical alternate's, for the glyphs the face turns."""
    key = str(path)
    found = _MAPS.get(key)
    if found is None:
        found = _MAPS[key] = _read(path)
    return found


def _read(path: Path) -> dict[int, int]:
    from fontTools.ttLib import TTFont
    font = TTFont(str(path), lazy=True)
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    if table.FeatureList is None or table.LookupList is None:
        return {}
    names: dict[str, str] = {}
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag not in ("vert", "vrt2"):
            continue
        for index in record.Feature.LookupListIndex:
            lookup = table.LookupList.Lookup[index]
            for sub in lookup.SubTable:
                if lookup.LookupType == 7:            # an extension: the real one inside
                    sub = sub.ExtSubTable
                names.update(getattr(sub, "mapping", None) or {})
    return {font.getGlyphID(a): font.getGlyphID(b) for a, b in names.items()}


def base_alias(alias: str) -> str:
    return alias.removesuffix(VERTICAL_SUFFIX)
