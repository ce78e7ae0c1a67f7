"""Confined reading for a rendering service (`--root`): every file a spec names is
opened once, walking from the root's folder descriptor with no link followed on
the way (O_NOFOLLOW on each component), and copied into a private snapshot
folder that the rest of the render reads.

Checking a path and opening it later is a race: a file swapped for a link to
/etc/… between the two would be read.  Here what was checked is what was opened,
and what was opened is the only thing later stages see."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import BroadsheetError, SourcePlace
from .model import Spec, font_file
from .yamlsource import read_opened

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)     # a FIFO swapped in must not hang the open
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def read_confined(root: Path, path: Path, what: str, place: SourcePlace) -> bytes:
    """The bytes of `path`, a regular file inside `root`, opened without following a
    link at any step below the root."""
    try:
        real_root = root.resolve()
        real = path.resolve()
    except OSError:           # a link swapped for a file while it was being resolved
        raise BroadsheetError(f"{what} file changed while it was read: {path.name}",
                              place) from None
    if not real.is_relative_to(real_root):
        raise BroadsheetError(f"{what} file is outside the allowed folder {root}: "
                              f"{path.name}", place)
    parts = real.relative_to(real_root).parts
    if not parts:
        raise BroadsheetError(f"{what} is a folder, not a file: {path}", place)
    folder = os.open(real_root, os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=folder)
            os.close(folder)
            folder = inner
        fd = os.open(parts[-1], os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=folder)
    except FileNotFoundError:
        raise BroadsheetError(f"{what} file not found: {path.name}", place) from None
    except OSError as exc:       # ELOOP / ENOTDIR: a link appeared where a file was checked
        raise BroadsheetError(f"{what} file changed to a link while it was read "
                              f"({exc.strerror}): {path.name}", place) from None
    finally:
        os.close(folder)
    return read_opened(fd, path, what, place)


def named_files(spec: Spec) -> list[tuple[str, str, tuple]]:
    """Every file the spec names: (name as written, kind, path of the value)."""
    files: list[tuple[str, str, tuple]] = []
    for p, page in enumerate(spec.pages):
        for a, article in enumerate(page.articles):
            where = ("pages", p, "articles", a)
            if article.copy is not None:
                files.append((article.copy, "copy", where + ("copy",)))
            for f, photo in enumerate(article.photos):
                files.append((photo.file, "photo", where + ("photos", f, "file")))
        for a, ad in enumerate(page.ads):
            if ad.file is not None:
                files.append((ad.file, "ad", ("pages", p, "ads", a, "file")))
        for t, table in enumerate(page.tables):
            if table.csv is not None:
                files.append((table.csv, "CSV", ("pages", p, "tables", t, "csv")))
    for alias, value in sorted(spec.fonts.items()):
        files.append((font_file(value)[0], "font", ("fonts", alias)))
    if spec.prepress.profile is not None:
        files.append((spec.prepress.profile, "profile", ("prepress", "profile")))
    return files


class Snapshot:
    """A private folder (mode 0700, removed when this object goes) holding a copy of
    each named file at the place the spec's names lead to from `base_dir`."""

    def __init__(self, root: Path, base: Path, files, positions) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="broadsheet-root-")
        top = Path(self._folder.name).resolve()
        self._top = top / "root"
        try:
            below = base.resolve().relative_to(root.resolve())
        except ValueError:
            raise BroadsheetError(f"spec is outside the allowed folder {root}",
                                  SourcePlace(str(base))) from None
        self.base_dir = self._top / below
        self.base_dir.mkdir(parents=True)
        for name, what, where in files:
            place = positions.place(where)
            data = read_confined(root, base / name, what, place)
            # Later stages open base_dir / name: the copy goes where that leads
            # (resolved by name, the snapshot having no links), never above `top`.
            target = Path(os.path.normpath(self.base_dir / name))
            if not target.is_relative_to(self._top):
                raise BroadsheetError(f"{what} file is outside the allowed folder {root}: "
                                      f"{name}", place)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def original(self, path: Path, root: Path) -> Path:
        """The file under `root` a snapshot path stands for (for staleness checks)."""
        try:
            return root.resolve() / Path(path).resolve().relative_to(self._top)
        except ValueError:
            return path
