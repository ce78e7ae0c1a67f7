"""Rendering many specs at once in worker processes; one failure never stops the rest."""

from __future__ import annotations

import ctypes
import gc
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BroadsheetError
from ..findings import ERROR as SEVERITY_ERROR
from ..findings import Finding
from . import records

OK, FINDINGS, ERROR, SKIPPED = "ok", "findings", "error", "skipped"


@dataclass(frozen=True)
class Job:
    spec: Path
    output: Path
    report: Path | None = None
    force: bool = False
    root: Path | None = None
    token: str | None = None        # names the job in progress messages (the render server)
    per_page: bool = False          # one PDF per plate, in the folder `output`
    proof: bool = False             # a proof, with overset marks, not the plant's file
    pages: str | None = None        # only these plates ("1,3-4")


@dataclass
class Outcome:
    spec: Path
    output: Path
    status: str
    pages: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    trace: str | None = None        # the traceback, shown with --debug
    plates: list[dict] = field(default_factory=list)   # per plate: file, version, rewritten
    recorded: str = OK              # a skipped render: the status of the one that made it

    @property
    def exit_code(self) -> int:
        status = self.recorded if self.status == SKIPPED else self.status
        return {OK: 0, FINDINGS: 1, ERROR: 2}[status]


_QUEUE = None


def init_worker(queue, die_with_parent: bool = False) -> None:
    """A worker process's start: where its progress messages go; a server's
    workers also end when the server does, however it ends (Linux: the kernel
    signals them), rather than outlive it."""
    global _QUEUE
    _QUEUE = queue
    if die_with_parent:
        _die_with_parent()


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)          # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass                                    # not Linux: the pool's pipes end them


def run_job(job: Job, queue=None) -> Outcome:
    """Render one spec; every user error becomes an Outcome, never an exception.

    The cyclic collector stays off for the whole job, not just the layout and
    painting: switched back on while the layout was still held, its first
    collection walked every object of it (10 ms an edition), only for the
    layout to be freed a moment later anyway.  By the time `_run_job` has
    returned, its objects have gone the ordinary way.

    The render path (ReportLab, Pillow, fontTools …: about 0.1 s) is imported
    here and in `settle_imports`, not at the top: a `render --server` client
    uses this module's Job and Outcome and never renders itself.
    """
    from .render import collector_paused

    with collector_paused():
        return _run_job(job, queue if queue is not None else _QUEUE)


def _run_job(job: Job, queue) -> Outcome:
    # The render path, 0.1 s to import: not for a `render --server` client (run_job).
    from ..spec import load_spec
    from .plates import parse_pages, render_plates
    from .render import is_up_to_date, render

    start = time.perf_counter()

    def on_page(number: int) -> None:
        if queue is not None:
            queue.put((job.token or str(job.spec), number))

    try:
        loaded = load_spec(job.spec, job.root)
        if job.output.resolve() in loaded.inputs:
            raise BroadsheetError(f"{job.output} is one of the spec's own inputs: not "
                                  f"overwritten (give another -o)")
        per_page = job.per_page or loaded.spec.prepress.per_page
        plates = []
        written = ""
        made_from = ""
        if per_page:
            # A plate unchanged since the last run is left alone (render_plates).
            folder = job.output.with_suffix("") if job.output.suffix.lower() == ".pdf" \
                else job.output
            pages = parse_pages(job.pages, len(loaded.spec.pages))
            layout, written = render_plates(loaded, folder, pages, on_page=on_page,
                                            report=job.report)
            plates = [{**p.to_json(), "file": str(p.file), "rewritten": p.rewritten}
                      for p in written]
        else:
            if job.pages is not None:
                raise BroadsheetError("--pages chooses plates: give --per-page too")
            made_from = records.inputs_key(loaded.inputs, job.proof)
            if not job.force and is_up_to_date(loaded, job.output) \
                    and _report_kept(job.report, job.output):
                record = records.recall(job.output, made_from)
                if record is not None:      # what the render that made it found
                    return Outcome(job.spec, job.output, SKIPPED, record.pages,
                                   findings=record.findings, recorded=record.status)
            result = render(job.spec, job.output, job.report, on_page, job.root, loaded,
                            job.proof)
            layout, written = result.layout, result.sha256
    except BroadsheetError as exc:
        return Outcome(job.spec, job.output, ERROR, seconds=time.perf_counter() - start,
                       error=str(exc), trace=traceback.format_exc())
    findings = list(layout.findings)
    status = FINDINGS if any(f.severity == SEVERITY_ERROR for f in findings) else OK
    if not plates:
        records.keep(job.output, written, made_from, status, len(layout.pages), findings)
    return Outcome(job.spec, job.output, status, len(layout.pages),
                   time.perf_counter() - start, findings, plates=plates)


def _report_kept(report: Path | None, output: Path) -> bool:
    """No report asked for, or the one asked for was written with the output: an
    up-to-date PDF is not a reason to leave a report missing or stale."""
    return report is None or (report.is_file()
                               and report.stat().st_mtime >= output.stat().st_mtime)


def crashed(job: Job, why: str) -> Outcome:
    """The outcome of a job whose worker failed (crashed, killed): its spec only."""
    return Outcome(job.spec, job.output, ERROR, error=f"{job.spec}: internal error: {why}")


def settle_imports() -> None:
    """Import the render path, and take what the process holds now out of the
    cyclic garbage collector's sight.

    Modules, functions and their tables live as long as the process; without
    this, every full collection around and between renders walks those few
    hundred thousand objects again (and in a forked worker, writes to memory
    pages it shares with the parent, which the kernel must then copy).
    Measured: 12 ms less CPU an edition in `--jobs 2` workers.
    """
    from . import render  # noqa: F401  (see run_job: the render path, imported once)
    gc.freeze()


def run_jobs(jobs: list[Job], workers: int, on_progress=None) -> list[Outcome]:
    """Run jobs in `workers` processes (in this process when 1), in the given order."""
    if workers <= 1 or len(jobs) <= 1:
        settle_imports()
        class _Direct:
            def put(self, item):
                if on_progress:
                    on_progress(*item)
        return [run_job(job, _Direct()) for job in jobs]
    # Only for --jobs > 1: multiprocessing and concurrent.futures take 11 ms to import.
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn"
                             else "fork")
    settle_imports()       # forked workers inherit the imports, and their exemption
    manager_queue = context.Queue()
    outcomes: dict[int, Outcome] = {}

    def pump() -> None:
        while True:
            item = manager_queue.get()
            if item is None:            # the last job is done
                return
            if on_progress:
                on_progress(*item)

    def run_in_pool(indexes: list[int], size: int) -> list[int]:
        """Run these jobs; returns those lost with a worker that died (killed, out of
        memory), which takes the whole pool — and its other jobs — with it."""
        lost = []
        with ProcessPoolExecutor(size, mp_context=context, initializer=init_worker,
                                 initargs=(manager_queue,)) as pool:
            futures = {pool.submit(run_job, jobs[k]): k for k in indexes}
            for future in as_completed(futures):
                k = futures[future]
                try:
                    outcomes[k] = future.result()
                except BrokenProcessPool:
                    lost.append(k)
                except Exception as exc:          # a crashed worker fails only its spec
                    outcomes[k] = crashed(jobs[k], repr(exc))
        return sorted(lost)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        lost = run_in_pool(list(range(len(jobs))), workers)
        # Each lost job once more, alone (outputs are written atomically, so a
        # render is safe to repeat): only the one that kills its worker fails.
        for k in lost:
            if run_in_pool([k], 1):
                outcomes[k] = crashed(jobs[k], "its worker died twice")
    finally:
        manager_queue.put(None)
        reader.join(timeout=1)
    return [outcomes[k] for k in range(len(jobs))]
