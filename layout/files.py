"""Writing outputs so that a failed or killed run never leaves half a file."""

from __future__ import annotations

import os
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
    try:
        _write_atomic(Path(target), data)
    except OSError as exc:
        raise BroadsheetError(f"cannot write {target}: {exc.strerror or exc}",
                              SourcePlace(str(target))) from None


def _write_atomic(target: Path, data: bytes) -> None:
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
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
