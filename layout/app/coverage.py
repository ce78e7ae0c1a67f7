"""`fonts`: the available faces, their coverage of GB 2312 and GBK, and which of a
spec's characters each lacks; and the Chinese fonts installed on the machine, with
their coverage and whether a spec can use them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..fonts import FontBook
from ..fonts.coverage import gb2312_hanzi, gb18030_hanzi, gbk_hanzi
from ..spec import LoadedSpec, load_spec


def font_coverage(spec: Path | None = None) -> list[dict]:
    """A row per face: alias, file, characters, GB 2312 and GBK hanzi it has; with a
    spec, its own fonts too and the spec's characters each face lacks."""
    book, text = FontBook(), None
    if spec is not None:
        loaded = load_spec(spec)
        book = FontBook.for_spec(loaded)
        text = spec_text(loaded)
    rows = []
    for alias in book.aliases:
        face = book.face(alias)
        covered = {chr(c) for c in face.code_points}
        row = {"alias": alias, "file": str(face.path), "characters": len(covered),
               "gb2312": len(gb2312_hanzi() & covered), "gbk": len(gbk_hanzi() & covered)}
        if text is not None:
            row["missing"] = "".join(sorted({ch for ch in text if ch not in covered
                                             and not ch.isspace()}))
        rows.append(row)
    return rows


def spec_text(loaded: LoadedSpec) -> str:
    """All the text a spec sets: copy, decks, bylines, datelines, captions, index."""
    parts = list(loaded.copy.values())
    for page in loaded.spec.pages:
        for article in page.articles:
            for _, value in article.deck():
                parts.append(value if isinstance(value, str) else (value.text or ""))
            parts.extend(filter(None, (article.byline, article.dateline)))
            parts.extend(p.caption + p.credit for p in article.photos)
        if page.index:
            parts.extend(i.text for i in page.index.items)
    return "".join(parts)


FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
MIN_HANZI = 1000          # fewer GB 2312 hanzi than this: not a Chinese font, not listed


def font_folders() -> list[Path]:
    """Where a machine keeps its fonts: the usual folders of Linux, macOS, Windows."""
    home = Path.home()
    folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
               home / ".local/share/fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
               home / "Library/Fonts"]
    if sys.platform == "win32":
        folders.append(Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts")
    return [f for f in folders if f.is_dir()]


def installed_font_files(folders: list[Path] | None = None) -> list[Path]:
    """Font files on the machine: fontconfig's list of Chinese fonts where fontconfig
    is there (and no folders are given), else every font file below the folders."""
    if folders is None and shutil.which("fc-list"):
        done = subprocess.run(["fc-list", "--format", "%{file}\\n", ":lang=zh"],
                              capture_output=True, text=True, timeout=60, check=False)
        if done.returncode == 0:
            return sorted({Path(f) for f in done.stdout.splitlines()
                           if f.lower().endswith(FONT_SUFFIXES)})
    files = set()
    for folder in folders if folders is not None else font_folders():
        for path in folder.rglob("*"):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                files.add(path)
    return sorted(files)


def installed_fonts(folders: list[Path] | None = None) -> list[dict]:
    """A row per Chinese face on the machine: file, face index, name, coverage of
    GB 2312 / GBK / GB 18030, and whether a spec's `fonts:` can use it (and how, or why
    not)."""
    from fontTools.ttLib import TTFont, TTLibError  # 21 ms: only where fonts are read
    rows = []
    for path in installed_font_files(folders):
        faces = _face_count(path)
        for index in range(faces):
            try:
                font = TTFont(str(path), lazy=True, fontNumber=index)
                covered = {chr(c) for c in (font.getBestCmap() or {})}
                name = font["name"].getBestFullName() or path.stem
                fs_type = font["OS/2"].fsType if "OS/2" in font else 0
                cff = "CFF " in font or "CFF2" in font
            except (TTLibError, OSError, KeyError, ValueError, AssertionError) as exc:
                rows.append({"file": str(path), "face": index, "name": path.stem,
                             "usable": False, "why": f"cannot be read: {exc}"})
                continue
            gb2312 = len(gb2312_hanzi() & covered)
            if gb2312 < MIN_HANZI:
                continue
            why = _unusable(fs_type)
            use = f"usable as {{file: {path.name}, face: {index}}}" if index else "usable"
            rows.append({"file": str(path), "face": index, "name": name,
                         "characters": len(covered), "gb2312": gb2312,
                         "gbk": len(gbk_hanzi() & covered),
                         "gb18030": len(gb18030_hanzi() & covered),
                         "usable": why is None, "why": why or (
                             f"{use} (CFF outlines: converted to TrueType once, on first use)"
                             if cff else use)})
    return rows


def _face_count(path: Path) -> int:
    with open(path, "rb") as f:
        head = f.read(12)
    if head[:4] == b"ttcf" and len(head) == 12:
        return int.from_bytes(head[8:12], "big")
    return 1


def _unusable(fs_type: int) -> str | None:
    """Why a spec cannot use this face, in one line; None if it can."""
    if fs_type & 0x0200:
        return "its licence allows embedding bitmaps only (OS/2 fsType bit 9)"
    if fs_type & 0x000F == 0x0002:
        return "its licence restricts embedding (OS/2 fsType 0x0002)"
    return None
