"""Writing outputs so that a failed or killed run never leaves half a file, and
the cache folder (or a stand-in when it cannot be used)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from pathlib import Path

from .errors import BroadsheetError, SourcePlace


def write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target and rename: a failed run never leaves half a file.

    A run killed outright (SIGKILL, out of memory) can leave its temporary
    `.NAME.*.part` file; the next write to the same target sweeps those away.
    A target that cannot be written (a folder, a full disk, no permission) is a
    user error naming it; what was there before is left as it was.
    """
    write_together([(Path(target), data)])


def write_together(files: list[tuple[Path, bytes]]) -> None:
    """Write several outputs (a PDF and its report) so that either all are
    replaced or none: every temporary file is written first, then all renamed.
    An unwritable report never costs the earlier PDF."""
    staged: list[tuple[str, Path]] = []
    target = None
    try:
        for target, data in files:
            target = Path(target)
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        raise BroadsheetError(f"cannot write {target}: {exc.strerror or exc}",
                              SourcePlace(str(target))) from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def check_writable(target: Path) -> None:
    """Refuse, before any work, an output that could not be written."""
    try:
        if target.is_dir():
            raise IsADirectoryError(21, "it is a folder")
        _probe_folder(target.parent)
    except OSError as exc:
        raise BroadsheetError(f"cannot write {target}: {exc.strerror or exc}",
                              SourcePlace(str(target))) from None


def _probe_folder(folder: Path) -> None:
    """Make `folder` if need be and create (and remove) a file in it: OSError if
    that cannot be done."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
        pass


def _stage(target: Path, data: bytes) -> str:
    """The data in a temporary file beside `target`, flushed to disk: its name."""
    if target.is_dir():
        raise IsADirectoryError(21, "it is a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.*.part"):
        try:
            if time.time() - stale.stat().st_mtime > 60:
                stale.unlink()
        except OSError:
            pass
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)   # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return tmp
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


_CHECKED: dict[str, Path] = {}      # cache folder asked for → the one used
_PROBLEMS: dict[str, str] = {}


def cache_dir() -> Path:
    """The cache folder ($BROADSHEET_CACHE, else $XDG_CACHE_HOME/broadsheet).  One
    that cannot be used (read-only, a file in the way, a full disk) is replaced,
    for this run, by a private temporary folder: the render goes on without the
    cache, and `cache_problem()` says why, for the one warning."""
    wanted = os.environ.get("BROADSHEET_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "broadsheet")
    if wanted not in _CHECKED:
        try:
            _probe_folder(Path(wanted))
            _CHECKED[wanted] = Path(wanted)
        except OSError as exc:
            stand_in = tempfile.mkdtemp(prefix="broadsheet-cache-")
            atexit.register(shutil.rmtree, stand_in, True)
            # Worker processes started after this inherit the stand-in, not the problem.
            os.environ["BROADSHEET_CACHE"] = stand_in
            _CHECKED[wanted] = _CHECKED[stand_in] = Path(stand_in)
            reason = "a file is in the way" if os.path.isfile(wanted) else exc.strerror or exc
            _PROBLEMS[wanted] = (f"cache folder {wanted} cannot be used ({reason}): "
                                 f"rendering without the cache")
    return _CHECKED[wanted]


def cache_problems() -> list[str]:
    """Why a cache folder asked for could not be used (each said once)."""
    return list(_PROBLEMS.values())


def resolved(path: Path) -> Path:
    """`path` with its links resolved; where a link is swapped for a file while it is
    being resolved (readlink then fails), the path as given, made absolute.  For
    naming inputs (staleness): the files themselves are read by confined opens."""
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
