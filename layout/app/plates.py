"""One PDF per plate, as the printing plant takes an edition: each page its own
complete PDF/X file, named by a pattern, versioned, and listed in a manifest.

The whole edition is always laid out (jump lines and index pages depend on
every page); only the chosen plates are painted.  A plate is rewritten only
when its content changed: painted again at its last version, a plate whose
bytes equal the file on disk is left alone; one that differs goes out as the
next version.  A version the spec sets (edition or page `version`) is used as
it is.  The same inputs into an empty folder give the same bytes (version 1).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import BroadsheetError
from ..files import write_atomic, write_together
from ..place import Layout
from ..spec import LoadedSpec
from .render import (PlateStamp, Warm, collector_paused, lay_out, layout_report,
                     paint_to_bytes, refuse_overset)

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Plate:
    """One plate as written (or kept) this run."""

    page: int
    name: str                 # A01, or the page number as 01
    file: Path
    version: int
    sha256: str
    rewritten: bool           # False: unchanged since the last run, not written again

    def to_json(self) -> dict:
        return {"page": self.page, "plate": self.name, "file": self.file.name,
                "version": self.version, "sha256": self.sha256}


def manifest_path(loaded: LoadedSpec, folder: Path) -> Path:
    return folder / f"{loaded.path.stem}.plates.json"


def parse_pages(text: str | None, count: int) -> list[int] | None:
    """'1,3-4' → [1, 3, 4] (None: every page)."""
    if text is None:
        return None
    pages: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise BroadsheetError(f"--pages: {part!r} is not a page or a range such as 3-4")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if not 1 <= first <= last <= count:
            raise BroadsheetError(f"--pages: {part.strip()} is not within the edition's pages "
                                  f"(1–{count})")
        pages.update(range(first, last + 1))
    return sorted(pages)


def render_plates(loaded: LoadedSpec, folder: Path, pages: list[int] | None = None,
                  warm: Warm | None = None, on_page=None,
                  report: Path | None = None) -> tuple[Layout, list[Plate]]:
    """The edition laid out, and each chosen page written as its own plate (with
    the layout report, when asked)."""
    warm = warm or Warm.for_spec(loaded)
    layout = lay_out(loaded, warm)
    refuse_overset(loaded, layout)
    spec = loaded.spec
    previous = _read_manifest(manifest_path(loaded, folder))
    plates: dict[int, Plate] = {}
    written: list[tuple[Path, bytes]] = []
    with collector_paused():
        for page in layout.pages:
            if pages is not None and page.number not in pages:
                continue
            page_spec = spec.pages[page.number - 1]
            name = page_spec.plate or f"{page.number:02d}"
            file = folder / plate_file_name(loaded, page.number, name)
            single = replace(layout, pages=(page,))
            fixed = page_spec.version or spec.edition.version
            last = previous.get(page.number)
            version = fixed or (last["version"] if last and last["file"] == file.name else 1)
            data = paint_to_bytes(loaded, single, on_page, warm, PlateStamp(name, version))
            digest = hashlib.sha256(data).hexdigest()
            unchanged = last is not None and last["sha256"] == digest and \
                last["file"] == file.name and _on_disk(file) == digest
            if not unchanged and fixed is None and last is not None \
                    and last["file"] == file.name and _on_disk(file) is not None:
                version += 1              # content changed since the last run: a new version
                data = paint_to_bytes(loaded, single, on_page, warm, PlateStamp(name, version))
                digest = hashlib.sha256(data).hexdigest()
            if not unchanged:
                written.append((file, data))
            plates[page.number] = Plate(page.number, name, file, version, digest, not unchanged)
    # Every plate's bytes were made before any is written, and all are written
    # together with the report: a failure leaves the folder as it was.
    files = list(written)
    if report is not None:
        files.append((report, json.dumps(layout_report(layout), ensure_ascii=False,
                                         indent=2).encode("utf-8")))
    write_together(files)
    entries = {number: entry for number, entry in previous.items()
               if number <= len(layout.pages)}
    entries.update((number, plate.to_json()) for number, plate in plates.items())
    _write_manifest(loaded, folder, entries)
    return layout, [plates[n] for n in sorted(plates)]


def plate_file_name(loaded: LoadedSpec, page: int, plate: str) -> str:
    """The plate's file name from the spec's pattern (prepress.plate_name)."""
    spec = loaded.spec
    try:
        name = spec.prepress.plate_name.format(paper=spec.paper.name, date=spec.edition.date,
                                               page=page, plate=plate,
                                               zone=spec.edition.zone or "")
    except (KeyError, IndexError, ValueError) as exc:
        raise BroadsheetError(f"plate_name pattern: {exc} (fields: paper, date, page, plate, "
                              f"zone)", loaded.place("prepress", "plate_name")) from None
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        raise BroadsheetError(f"plate_name makes {name!r}, not a file name",
                              loaded.place("prepress", "plate_name"))
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def _on_disk(file: Path) -> str | None:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return None


def _read_manifest(path: Path) -> dict[int, dict]:
    """The last run's plates by page; a missing or damaged manifest starts afresh."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("manifest") != MANIFEST_VERSION:
            return {}
        return {int(entry["page"]): entry for entry in data["plates"]
                if {"page", "file", "version", "sha256"} <= entry.keys()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _write_manifest(loaded: LoadedSpec, folder: Path, entries: dict[int, dict]) -> None:
    spec = loaded.spec
    data = {"manifest": MANIFEST_VERSION, "spec": loaded.path.name, "paper": spec.paper.name,
            "date": spec.edition.date, "zone": spec.edition.zone,
            "plates": [entries[n] for n in sorted(entries)]}
    write_atomic(manifest_path(loaded, folder),
                 (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
