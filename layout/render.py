"""The whole path for one spec: load → place → paint → finish, written atomically."""

from __future__ import annotations

import gc
import json
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import BroadsheetError, SourcePlace
from .place import Layout, layout_edition
from .place.grid import marks_of
from .spec import LoadedSpec, load_spec


@dataclass(frozen=True)
class RenderResult:
    spec: Path
    output: Path
    layout: Layout

    @property
    def overset(self):
        return [s for s in self.layout.stories if s.overset_lines]


def render(spec_path: str | Path, output: str | Path, report: str | Path | None = None,
           on_page=None, root: str | Path | None = None,
           loaded: LoadedSpec | None = None) -> RenderResult:
    loaded = loaded or load_spec(spec_path, root)
    layout, pdf = typeset(loaded, font_book(loaded), on_page)
    output = Path(output)
    write_atomic(output, pdf)
    if report is not None:
        write_atomic(Path(report), json.dumps(layout_report(layout), ensure_ascii=False,
                                              indent=2).encode("utf-8"))
    return RenderResult(Path(spec_path), output, layout)


def typeset(loaded: LoadedSpec, fonts, on_page=None) -> tuple[Layout, bytes]:
    """Layout and painting of a loaded spec: the layout result and the finished PDF.

    A long-lived process (watch) passes the same font book every time, so
    composed paragraphs and metrics carry over from one render to the next.
    """
    from .compose.store import ComposeStore

    with collector_paused():
        store = ComposeStore.for_spec(loaded.path, fonts.fingerprint())
        layout = layout_edition(loaded, fonts, store)
        store.save()
        return layout, paint_to_bytes(loaded, layout, on_page, fonts)


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for one render.

    A render allocates a few hundred thousand small objects (glyphs, lines,
    items) that all live until the PDF is written, and hold no reference
    cycles worth finding; the collector would walk them again and again, about
    a sixth of an 8-page render.  It resumes afterwards, so a long-lived
    process still collects between renders.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def is_up_to_date(loaded: LoadedSpec, output: Path) -> bool:
    """The output is newer than every input (spec, copy, photos, fonts)."""
    if not output.is_file():
        return False
    built = output.stat().st_mtime
    return all(p.exists() and p.stat().st_mtime < built for p in loaded.inputs)


def font_book(loaded: LoadedSpec):
    """The bundled fonts plus the spec's own, with places for their errors."""
    from .fonts import FontBook
    return FontBook({a: loaded.base_dir / f for a, f in loaded.spec.fonts.items()},
                    {a: loaded.place("fonts", a) for a in loaded.spec.fonts})


def paint_to_bytes(loaded: LoadedSpec, layout: Layout, on_page=None, fonts=None) -> bytes:
    from .paint.pdf import paint_pdf
    from .prepress.pdfx import pdfx_declaration

    fonts = fonts or font_book(loaded)
    spec = loaded.spec
    profile = loaded.base_dir / spec.prepress.profile if spec.prepress.profile else None
    title = f"{spec.paper.name} {spec.edition.date}"
    declaration = pdfx_declaration(title=title, date=spec.edition.date, author=spec.paper.name,
                                   version=spec.prepress.pdfx, profile=profile,
                                   condition=spec.prepress.output_condition)
    try:
        return paint_pdf(layout, fonts, declaration, named_colors=spec.colors, on_page=on_page,
                         marks=marks_of(spec.geometry), slug=_slug_line(loaded), profile=profile)
    except ValueError as exc:
        raise BroadsheetError(str(exc), SourcePlace(str(loaded.path))) from None


def _slug_line(loaded: LoadedSpec):
    """The slug: paper, date, page and section (and the time of output only if asked,
    since a time makes every render differ)."""
    spec = loaded.spec
    marks = marks_of(spec.geometry)
    stamp = time.strftime(" %Y-%m-%d %H:%M") if marks is not None and marks.slug_time else ""

    def slug(page) -> str:
        return (f"{spec.paper.name}  {spec.edition.date}  第{page.number}版 {page.section}  "
                f"{loaded.path.name}{stamp}  broadsheet")
    return slug


def write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target and rename: a failed run never leaves half a file.

    A run killed outright (SIGKILL, out of memory) can leave its temporary
    `.NAME.*.part` file; the next write to the same target sweeps those away.
    """
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


def layout_report(layout: Layout) -> dict:
    """The layout report (JSON): per story, frames, lines and characters, overset, jumps."""
    return {
        "passes": layout.passes,
        "pages": [{"number": p.number, "section": p.section} for p in layout.pages],
        "stories": [asdict(s) for s in layout.stories],
        "findings": [asdict(f) for f in layout.findings],
    }
