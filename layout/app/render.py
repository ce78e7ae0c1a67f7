"""The whole path for one spec: load → place → paint, written atomically.

This is the application layer's core: the command line, `watch`, the batch
workers, the render server and the tests all render through `typeset` and
`render`.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path

from ..compose.store import ComposeStore
from ..conditions import ink_limit
from ..errors import BroadsheetError, SourcePlace
from ..files import write_together
from ..findings import Finding
from ..fonts import FontBook
from ..fonts.registry import bundled_dir
from ..memo import RecentMemo
from ..paint.pdf import paint_pdf
from ..pdfx import pdfx_declaration
from ..place import Layout, layout_edition
from ..place.grid import marks_of
from ..spec import LoadedSpec, load_spec
from .intake import intake


@dataclass
class Warm:
    """What a long-lived process (watch, the desk) keeps between renders of a spec:
    its fonts, and the compose and paint stages' memos of work done in them."""

    fonts: FontBook
    composed: RecentMemo = field(default_factory=RecentMemo)   # paragraphs, by their inputs
    text_runs: RecentMemo = field(default_factory=RecentMemo)  # composed lines as PDF runs

    @classmethod
    def for_spec(cls, loaded: LoadedSpec) -> Warm:
        return cls(FontBook.for_spec(loaded))

    def render_done(self) -> None:
        """Keep only what this render used: text edited away is let go."""
        self.composed.turn()
        self.text_runs.turn()


@dataclass(frozen=True)
class RenderResult:
    spec: Path
    output: Path
    layout: Layout
    sha256: str = ""          # of the file written

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.layout.findings


def render(spec_path: str | Path, output: str | Path, report: str | Path | None = None,
           on_page=None, root: str | Path | None = None,
           loaded: LoadedSpec | None = None, proof: bool = False) -> RenderResult:
    """Render one spec to `output` (and its layout report), each written atomically:
    the plant's file, or (`proof`) a proof with the overset marks."""
    loaded = loaded or load_spec(spec_path, root)
    warm = Warm.for_spec(loaded)
    with collector_paused():
        layout = lay_out(loaded, warm)
        if not proof:
            refuse_overset(loaded, layout)
        pdf = paint_to_bytes(loaded, layout, on_page, warm, proof=proof)
    output = Path(output)
    files = [(output, pdf)]
    if report is not None:
        files.append((Path(report), json.dumps(layout_report(layout), ensure_ascii=False,
                                               indent=2).encode("utf-8")))
    write_together(files)        # an unwritable report leaves the earlier PDF as it was
    return RenderResult(Path(spec_path), output, layout, hashlib.sha256(pdf).hexdigest())


def refuse_overset(loaded: LoadedSpec, layout: Layout) -> None:
    """With prepress: {overset: refuse}, an edition with an overset story gets no
    plant file (its proof still can be made)."""
    if loaded.spec.prepress.overset != "refuse":
        return
    over = [f for f in layout.findings if f.code == "layout.overset"]
    if over:
        raise BroadsheetError(f"not written for the plant: {over[0].message} (prepress: overset: "
                              f"refuse; render --proof makes a proof)", over[0].source)


def typeset(loaded: LoadedSpec, warm: Warm | None = None, on_page=None,
            proof: bool = False) -> tuple[Layout, bytes]:
    """Layout and painting of a loaded spec: the layout result and a PDF — the
    plant's, or (`proof`) a proof with its overset marks.

    A long-lived process passes the same `warm` every time, so metrics,
    composed paragraphs and text runs carry over from one render to the next.
    """
    warm = warm or Warm.for_spec(loaded)
    with collector_paused():
        layout = lay_out(loaded, warm)
        pdf = paint_to_bytes(loaded, layout, on_page, warm, proof=proof)
    warm.render_done()
    return layout, pdf


def lay_out(loaded: LoadedSpec, warm: Warm | None = None) -> Layout:
    """The layout (with the spec's compose store), and the intake of its ads: a
    supplied ad the plate's standard forbids stops here, before anything is painted."""
    warm = warm or Warm.for_spec(loaded)
    with collector_paused():
        store = ComposeStore.for_spec(loaded.path, warm.fonts.fingerprint())
        layout = layout_edition(loaded, warm.fonts, store, warm.composed)
        store.save()
        found = intake(loaded, layout)
        return replace(layout, findings=(*layout.findings, *found)) if found else layout


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
    """The output is newer than everything its bytes depend on: the spec's own
    inputs (spec, copy, photos, its fonts, the plant's profile), the bundled
    fonts and profile, and this program's code."""
    if not output.is_file():
        return False
    built = output.stat().st_mtime
    return all(p.exists() and p.stat().st_mtime < built
               for p in (*loaded.inputs, *_program_files()))


def _program_files() -> tuple[Path, ...]:
    """The bundled fonts, the bundled profile and the package's modules."""
    package = Path(str(resources.files("layout")))
    return (*sorted(bundled_dir().glob("*.ttf")), *sorted(package.rglob("*.icc")),
            *sorted(package.rglob("*.py")))


@dataclass(frozen=True)
class PlateStamp:
    """What marks one page painted as its own file: the plate's name and version."""

    name: str
    version: int


def paint_to_bytes(loaded: LoadedSpec, layout: Layout, on_page=None,
                   warm: Warm | None = None, plate: PlateStamp | None = None,
                   proof: bool = False) -> bytes:
    """The layout painted: the PDF/X file's bytes (a plate's: its one page, named
    and versioned in its title, info, XMP and slug)."""
    warm = warm or Warm.for_spec(loaded)
    spec = loaded.spec
    profile = loaded.base_dir / spec.prepress.profile if spec.prepress.profile else None
    title = f"{spec.paper.name} {spec.edition.date}"
    if plate is None:
        title += f" {spec.edition.zone}" if spec.edition.zone else ""
    else:
        number = layout.pages[0].number
        zone = _zone_of(loaded, number)
        title += (f" {zone}" if zone else "") + f" 第{number}版 {plate.name}"
    declaration = pdfx_declaration(title=title, date=spec.edition.date, author=spec.paper.name,
                                   version=spec.prepress.pdfx, profile=profile,
                                   condition=spec.prepress.output_condition,
                                   plate_version=plate.version if plate else None)
    try:
        return paint_pdf(layout, warm.fonts, declaration, named_colors=spec.colors,
                         on_page=on_page, marks=marks_of(spec.geometry),
                         slug=_slug_line(loaded, plate), profile=profile,
                         text_runs=warm.text_runs, ink_limit=_photo_ink_limit(spec),
                         proof_marks=proof, spot_colors=spec.prepress.spot_colors)
    except ValueError as exc:
        raise BroadsheetError(str(exc), SourcePlace(str(loaded.path))) from None


def _photo_ink_limit(spec) -> float | None:
    """The limit CMYK photos are re-separated to, or None where the spec reports them."""
    if spec.prepress.over_limit_photos != "reseparate":
        return None
    return ink_limit(spec.prepress.output_condition, spec.prepress.tac_percent)


def _slug_line(loaded: LoadedSpec, plate: PlateStamp | None = None):
    """The slug: paper, date, zone, page and section, a plate's name and version (and
    the time of output only if asked, since a time makes every render differ)."""
    spec = loaded.spec
    marks = marks_of(spec.geometry)
    stamp = time.strftime(" %Y-%m-%d %H:%M") if marks is not None and marks.slug_time else ""
    version = f"  {plate.name} v{plate.version}" if plate is not None else ""

    def slug(page) -> str:
        zone = _zone_of(loaded, page.number)
        source = loaded.page_sources[page.number - 1]
        return (f"{spec.paper.name}  {spec.edition.date}{' ' + zone if zone else ''}  "
                f"第{page.number}版 {page.section}{version}  {source}{stamp}  broadsheet")
    return slug


def _zone_of(loaded: LoadedSpec, page: int) -> str:
    """A zoned edition's name on the pages it has of its own; a page it shares with
    its base is the base's plate, the same bytes."""
    zone = loaded.spec.edition.zone or ""
    return zone if loaded.page_sources[page - 1] == loaded.path.name else ""


def layout_report(layout: Layout) -> dict:
    """The layout report (JSON): per story, frames, lines and characters, overset,
    jumps; per table, rows set and over, lines used; and every finding, with its code."""
    return {
        "passes": layout.passes,
        "pages": [{"number": p.number, "section": p.section} for p in layout.pages],
        "stories": [asdict(s) for s in layout.stories],
        "tables": [{**asdict(t), "rows_over": t.rows_over} for t in layout.tables],
        "findings": [f.to_json() for f in layout.findings],
    }
