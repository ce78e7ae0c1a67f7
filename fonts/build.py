"""Build the bundled fonts from their upstream files.

Run once by a maintainer (not at install or run time):

    apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai
    python fonts/build.py

For each face: pick the Simplified-Chinese member of the upstream collection,
subset it to the repertoire below, and, where the outlines are CFF (Noto CJK),
convert them to TrueType quadratic outlines — the painter embeds only TrueType.
Subsetting first keeps the conversion short and the result small.

The repertoire is every character of GBK (which holds all of GB 2312 and the
20,902 unified ideographs U+4E00–U+9FA5, so the rare characters of personal
and place names survive) plus the punctuation, symbol and vertical-form blocks
a newspaper page uses. Characters a face lacks are simply absent.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from layout.fonts.convert import cff_to_truetype  # noqa: E402  (one converter for build and run time)
NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")

# output file name -> (upstream file, family-name marker of the SC member or None)
FACES = {
    "NotoSerifSC-Regular.ttf": (NOTO / "NotoSerifCJK-Regular.ttc", "SC"),
    "NotoSerifSC-Bold.ttf": (NOTO / "NotoSerifCJK-Bold.ttc", "SC"),
    "NotoSerifSC-Black.ttf": (NOTO / "NotoSerifCJK-Black.ttc", "SC"),
    "NotoSansSC-Regular.ttf": (NOTO / "NotoSansCJK-Regular.ttc", "SC"),
    "NotoSansSC-Bold.ttf": (NOTO / "NotoSansCJK-Bold.ttc", "SC"),
    "BroadsheetKai-Regular.ttf": (WENKAI / "LXGWWenKai-Regular.ttf", None),
}

# LXGW WenKai reserves the font names "霞鹜" and "LXGW" (OFL §3): a subset is a
# Modified Version, so it is renamed.  Noto CJK reserves no names.
RENAME = {
    "BroadsheetKai-Regular.ttf": ("Broadsheet Kai", "BroadsheetKai-Regular"),
}

# Blocks kept whole (as far as the face covers them).
BLOCKS = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1, Latin Extended-A (names in foreign copy)
    (0x02C6, 0x02DD),  # modifier letters used as accents
    (0x0391, 0x03C9),  # Greek
    (0x0401, 0x0451),  # Cyrillic (GB 2312 row 7)
    (0x2000, 0x206F),  # General Punctuation: — … ‘ ’ “ ” ‰ ′ ″
    (0x20AC, 0x20AC),  # euro sign
    (0x2100, 0x218F),  # letterlike symbols, number forms (℃ № Ⅻ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # enclosed alphanumerics ① ⑴ ⒈
    (0x2500, 0x25FF),  # box drawing, blocks, geometric shapes ■ □ ▲ ●
    (0x2600, 0x26FF),  # miscellaneous symbols ★ ☆
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana (GB 2312 rows 4–5)
    (0x3100, 0x312F),  # bopomofo
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (㈠ ㎡ ㎞)
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms (vertical brackets)
    (0xFE50, 0xFE6F),  # small forms
    (0xFF00, 0xFFEF),  # full-width forms
]


def gbk_characters() -> set[int]:
    """Every character GBK encodes (two-byte codes 0x8140–0xFEFE)."""
    chars: set[int] = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                chars.add(ord(bytes([lead, trail]).decode("gbk")))
            except UnicodeDecodeError:
                pass
    return chars


def repertoire() -> set[int]:
    chars = gbk_characters()
    for lo, hi in BLOCKS:
        chars.update(range(lo, hi + 1))
    chars.update(range(0x4E00, 0x9FA6))
    return chars


def open_face(path: Path, marker: str | None) -> TTFont:
    if path.suffix.lower() == ".ttc":
        for font in TTCollection(path, lazy=False).fonts:
            family = font["name"].getDebugName(1) or ""
            # "Noto Serif CJK SC", "Noto Serif CJK SC Black": the SC member.
            if marker and f" CJK {marker}" in family and "Mono" not in family:
                return font
        raise SystemExit(f"{path}: no member whose family ends in {marker!r}")
    return TTFont(path)


def rename(font: TTFont, family: str, postscript: str) -> None:
    """Give a Modified Version its own names (family, full, unique, PostScript)."""
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            table.removeNames(nameID=record.nameID)
    for name_id, value in ((1, family), (2, "Regular"), (3, f"{postscript};broadsheet"),
                           (4, f"{family} Regular"), (6, postscript)):
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


def build(out_name: str, source: Path, marker: str | None, chars: set[int]) -> dict:
    font = open_face(source, marker)
    options = subset.Options()
    options.layout_features = ["vert", "vrt2", "kern", "palt", "halt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(chars))
    subsetter.subset(font)
    if "CFF " in font:
        cff_to_truetype(font)
    if out_name in RENAME:
        rename(font, *RENAME[out_name])
    target = HERE / out_name
    font.save(target)
    covered = set(TTFont(target)["cmap"].getBestCmap())
    return {
        "file": out_name,
        "source": f"{source.name}" + (f" (member {marker})" if marker else ""),
        "characters": len(covered),
        "hanzi": sum(1 for c in covered if 0x4E00 <= c <= 0x9FFF),
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
    }


def main(argv: list[str]) -> None:
    chars = repertoire()
    wanted = argv or list(FACES)
    manifest_path = HERE / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for name in wanted:
        source, marker = FACES[name]
        info = build(name, source, marker, chars)
        manifest[name] = info
        print(json.dumps(info, ensure_ascii=False))
    manifest_path.write_text(json.dumps(dict(sorted(manifest.items())), indent=2,
                                        ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
