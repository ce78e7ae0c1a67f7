"""The `broadsheet` command: the only place that prints or chooses exit codes.

Each command parses its options, calls the application layer (`layout.app`)
and prints what that returns.  Exit codes: 0 done, 1 done with findings
(overset, missing glyphs …), 2 unusable input.

Each command imports the application module it uses when it runs: the render
path costs about 0.1 s to import (`python -X importtime`), which `--help`,
`schema`, `init` and a `render --server` client need not pay.
"""

from __future__ import annotations

import atexit
import functools
import glob
import json
import os
import re
import signal
import sys
import time
import unicodedata
from pathlib import Path

import click

from .errors import BroadsheetError
from .findings import INFO, WARNING, Finding, counted

EXIT_OK, EXIT_FINDINGS, EXIT_USER_ERROR = 0, 1, 2

# Control characters (ESC, NUL, C1 …) from copy or file names are shown as \xNN:
# echoed raw they would drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    r"""`text` with control characters escaped, for a terminal.

    >>> printable("标题\x1b[2J\x00")
    '标题\\x1b[2J\\x00'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _echo(text: str, err: bool = False, nl: bool = True) -> None:
    click.echo(printable(text), err=err, nl=nl)


class Context:
    def __init__(self, debug: bool, verbosity: int, source: bool | None = None):
        self.debug = debug
        self.verbosity = verbosity      # 0 quiet, 1 normal, 2 verbose
        # an error's spec line with a caret under it: on a terminal, or when asked
        self.source = sys.stderr.isatty() if source is None else source

    def error(self, message: str) -> None:
        """An error: one line (file:line:col: what), then, on a terminal, the spec's
        line with a caret under the place."""
        _echo(f"error: {message}", err=True)
        if self.source:
            for line in source_excerpt(message):
                _echo(line, err=True)

    def say(self, message: str, level: int = 1, err: bool = False) -> None:
        if self.verbosity >= level:
            _echo(message, err=err)


_PLACE = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+): ")


def source_excerpt(message: str) -> list[str]:
    """The spec line an error names, numbered, with a caret under its column:

         7 |   number: 第8123期
           |           ^
    """
    found = _PLACE.match(message)
    if not found:
        return []
    try:
        with open(found["file"], encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    number, column = int(found["line"]), int(found["col"])
    if not 1 <= number <= len(lines):
        return []
    text = lines[number - 1].expandtabs(1)
    # the caret under the character: a CJK character takes two cells of a terminal
    before = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
                 for ch in text[:column - 1])
    gutter = " " * len(str(number))
    return [f" {number} | {text}", f" {gutter} | {' ' * before}^"]


_pass_context = click.make_pass_decorator(Context)


def pass_ctx(command):
    """Pass the Context, and let -v/-q follow the subcommand too (render -q …)."""
    @click.option("-v", "--verbose", "sub_verbose", count=True, help="Say more.")
    @click.option("-q", "--quiet", "sub_quiet", is_flag=True, help="Print errors only.")
    @_pass_context
    @functools.wraps(command)
    def wrapper(ctx: Context, *args, sub_verbose: int = 0, sub_quiet: bool = False, **kwargs):
        if sub_quiet:
            ctx.verbosity = 0
        elif sub_verbose:
            ctx.verbosity = 1 + sub_verbose
        return command(ctx, *args, **kwargs)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="broadsheet")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-v", "--verbose", count=True, help="Say more (findings of every kind).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("--source/--no-source", default=None,
              help="Under an error, show the spec's line with a caret (default: on a terminal).")
@click.pass_context
def main(ctx: click.Context, debug: bool, verbose: int, quiet: bool,
         source: bool | None) -> None:
    """broadsheet — typeset Chinese newspaper pages from a YAML spec into print-ready PDF.

    \b
    Examples:
      broadsheet init my-edition               # a new edition that renders at once
      broadsheet render specs/sample.yaml      # → out/sample.pdf
      broadsheet preview specs/sample.yaml -o out/preview --grid
    """
    ctx.obj = Context(debug, 0 if quiet else 1 + verbose, source)
    _exit_cleanly_on_sigterm()


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed and no
    output is left half-written."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)
    try:
        signal.signal(signal.SIGTERM, handler)
    except ValueError:       # not the main thread (tests calling main())
        pass


def _warn_if_no_cache(ctx: Context) -> None:
    """Decide on the cache folder before workers start (they inherit a stand-in),
    and say once when it cannot be used."""
    from .files import cache_dir, cache_problems     # small, and render needs it anyway
    cache_dir()
    if ctx.verbosity >= 1:
        for problem in cache_problems():
            _echo(f"warning: {problem}", err=True)


def _user_error(ctx: Context, exc: BroadsheetError) -> None:
    ctx.error(str(exc))
    if ctx.debug:
        raise exc
    sys.exit(EXIT_USER_ERROR)


def _expand(patterns: tuple[str, ...]) -> list[Path]:
    """Specs and globs (quoted globs too), in order, without repeats."""
    out: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        for match in matches or [pattern]:
            path = Path(match)
            if path not in out:
                out.append(path)
    return out


@main.command()
@click.argument("specs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True,
              help="A .pdf file (with one spec) or a folder for <spec name>.pdf.")
@click.option("--report", type=click.Path(path_type=Path),
              help="The layout report (JSON): a file with one spec, else a folder.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: the cores).")
@click.option("--force", is_flag=True, help="Render even outputs newer than their inputs.")
@click.option("--summary", type=click.Path(path_type=Path),
              help="Write the batch summary as JSON here.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False),
              help="Refuse specs and files (copy, photos, fonts) outside this folder.")
@click.option("--max-image-pixels", type=click.IntRange(1), default=None,
              help="Refuse photos larger than this many pixels (default 120,000,000).")
@click.option("--server", type=click.Path(path_type=Path), envvar="BROADSHEET_SERVER",
              help="Render on the `broadsheet serve` listening at this socket "
                   "($BROADSHEET_SERVER; 'default': the one `serve` makes without "
                   "--socket); its workers are already started.")
@click.option("--per-page", is_flag=True,
              help="One PDF/X file per plate, in the folder -o, with a manifest; a plate "
                   "unchanged since the last run is not written again.")
@click.option("--pages", "page_list", metavar="LIST",
              help="Only these plates, e.g. 1,3-4 (with --per-page).")
@click.option("--proof", is_flag=True,
              help="A proof for the desk (大样), with the red overset marks the plant's "
                   "file never carries.")
@pass_ctx
def render(ctx: Context, specs: tuple[str, ...], output: Path, report: Path | None,
           jobs: int | None, force: bool, summary: Path | None, root: Path | None,
           max_image_pixels: int | None, server: Path | None, per_page: bool,
           page_list: str | None, proof: bool) -> None:
    """Render edition specs to PDF, several at once.

    \b
    Examples:
      broadsheet render specs/sample.yaml -o out/sample.pdf --report out/sample.json
      broadsheet render 'specs/*.yaml' -o out/ --jobs 2
      broadsheet render specs/night.yaml --per-page -o out/plates/ --pages 3
    An output newer than its spec, copy, photos and fonts is skipped (--force renders it).
    Exit code: the worst of the specs (0 ok, 1 findings such as overset, 2 unusable input).
    """
    from .app.batch import ERROR, SKIPPED, Job, run_jobs

    if server is not None:
        if max_image_pixels is not None:
            _user_error(ctx, BroadsheetError(
                "--max-image-pixels is the server's limit: give it to `broadsheet serve`"))
        from .app.server import default_socket, remote_runner
        run_jobs = remote_runner(default_socket() if str(server) == "default" else server)
    if max_image_pixels is not None:      # workers inherit the environment
        os.environ["BROADSHEET_MAX_IMAGE_PIXELS"] = str(max_image_pixels)
    paths = _expand(specs)
    single_file = output.suffix.lower() == ".pdf"
    if per_page and proof:
        _user_error(ctx, BroadsheetError("--proof makes one proof PDF; plates (--per-page) "
                                         "are the plant's files"))
    if per_page and single_file:
        _user_error(ctx, BroadsheetError("--per-page writes a file per plate: -o names a "
                                         "folder, not a .pdf"))
    if single_file and len(paths) > 1:
        _user_error(ctx, BroadsheetError(
            "-o names one PDF file but several specs were given; give a folder instead"))
    job_list = []
    for spec in paths:
        target = output if single_file else output / f"{spec.stem}.pdf"
        rep = None
        if report is not None:
            rep = report if len(paths) == 1 and report.suffix == ".json" \
                else report / f"{spec.stem}.json"
        if per_page:
            target = output if len(paths) == 1 else output / spec.stem
        job_list.append(Job(spec, target, rep, force, root, per_page=per_page,
                            pages=page_list, proof=proof))
    _refuse_collisions(ctx, job_list)
    if summary is not None:        # known before the batch is rendered
        from .files import check_writable
        try:
            check_writable(summary)
        except BroadsheetError as exc:
            _user_error(ctx, exc)
    _warn_if_no_cache(ctx)
    workers = min(jobs or os.cpu_count() or 1, len(job_list))
    started = time.perf_counter()
    try:
        outcomes = _run_with_progress(ctx, job_list, workers, run_jobs)
    except BroadsheetError as exc:        # the server is not there, or refused
        _user_error(ctx, exc)
    elapsed = time.perf_counter() - started
    for outcome in outcomes:
        if outcome.status == ERROR:
            if ctx.debug and outcome.trace:
                click.echo(outcome.trace, err=True, nl=False)
            ctx.error(outcome.error)
        for finding in outcome.findings:
            if (finding.severity == INFO and ctx.verbosity < 2) or \
                    (finding.severity == WARNING and ctx.verbosity < 1):
                continue
            _echo(finding_line(finding, outcome.spec), err=True)
    if len(outcomes) > 1 or ctx.verbosity >= 2:
        ctx.say(_table(outcomes, elapsed))
    else:
        for o in outcomes:
            if o.status == SKIPPED:
                ctx.say(f"{o.spec} → {o.output} is up to date (--force renders it)")
            elif o.plates:
                rewritten = sum(1 for p in o.plates if p["rewritten"])
                ctx.say(f"{o.spec} → {len(o.plates)} plates, {rewritten} written "
                        f"({o.pages} pages laid out, {o.seconds:.2f} s)")
                for p in o.plates:
                    state = "written" if p["rewritten"] else "unchanged"
                    ctx.say(f"  page {p['page']}  {p['plate']}  v{p['version']}  {state}  "
                            f"{p['file']}")
            elif o.status != ERROR:
                ctx.say(f"{o.spec} → {o.output} ({o.pages} pages, {o.seconds:.2f} s)")
    if summary is not None:
        from .files import write_atomic
        data = [{"spec": str(o.spec), "output": str(o.output), "status": o.status,
                 "pages": o.pages, "seconds": round(o.seconds, 3), "error": o.error,
                 "findings": [f.to_json() for f in o.findings], "plates": o.plates}
                for o in outcomes]
        try:
            write_atomic(summary, json.dumps(data, ensure_ascii=False, indent=2).encode())
        except BroadsheetError as exc:
            _user_error(ctx, exc)
    sys.exit(max(o.exit_code for o in outcomes))


@main.command()
@click.option("--socket", "socket_path", type=click.Path(path_type=Path), default=None,
              help="The Unix socket to listen at (renders then give --server with it); "
                   "default: one in this user's own runtime folder (--server default).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: the cores).")
@click.option("--max-image-pixels", type=click.IntRange(1), default=None,
              help="Refuse photos larger than this many pixels (default 120,000,000).")
@pass_ctx
def serve(ctx: Context, socket_path: Path | None, jobs: int | None,
          max_image_pixels: int | None) -> None:
    """Keep render workers started, for `render --server`: a desk's renders then skip
    the start-up (about 0.1 s each).  Runs until interrupted.

    \b
    Examples:
      broadsheet serve --jobs 2 &        # at the user's own runtime folder
      broadsheet render --server default 'specs/*.yaml' -o out/
    Restart it after upgrading broadsheet: renders refuse a server running other code.
    """
    from .app.server import Server, default_socket

    if max_image_pixels is not None:      # workers inherit the environment
        os.environ["BROADSHEET_MAX_IMAGE_PIXELS"] = str(max_image_pixels)
    workers = jobs or os.cpu_count() or 1
    try:
        socket_path = socket_path or default_socket()
        server = Server(socket_path, workers)
    except BroadsheetError as exc:
        _user_error(ctx, exc)
    ctx.say(f"serving renders at {socket_path} with {workers} workers (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def _refuse_collisions(ctx: Context, jobs) -> None:
    """Two specs of one name (a/spec.yaml, b/spec.yaml) would write one output: the
    second would overwrite the first, or be skipped as up to date."""
    seen: dict = {}
    for job in jobs:
        for target in filter(None, (job.output, job.report)):
            key = target.resolve()
            if key in seen and seen[key] != job.spec:
                _user_error(ctx, BroadsheetError(
                    f"{seen[key]} and {job.spec} would both write {target}: render them to "
                    f"different folders"))
            seen[key] = job.spec


def _run_with_progress(ctx: Context, jobs, workers, run_jobs):
    """A progress bar over all pages of all specs, naming the page being painted."""
    if ctx.verbosity == 0 or not sys.stderr.isatty():
        return run_jobs(jobs, workers)
    total = 0
    for job in jobs:
        total += _count_pages(job.spec)
    with click.progressbar(length=max(total, 1), label="rendering", file=sys.stderr,
                           item_show_func=lambda item: item) as bar:
        def progress(spec: str, page: int) -> None:
            bar.update(1, f"{Path(spec).name} p{page}")
        return run_jobs(jobs, workers, progress)


def _count_pages(spec: Path) -> int:
    try:
        from .spec import load_spec
        return len(load_spec(spec).spec.pages)
    except BroadsheetError:
        return 0


def _table(outcomes, elapsed: float) -> str:
    rows = [("spec", "pages", "seconds", "findings", "result")]
    for o in outcomes:
        rows.append((str(o.spec), str(o.pages or "-"), f"{o.seconds:.2f}",
                     str(len(counted(o.findings))), o.status if not o.error else "error"))
    widths = [max(len(r[k]) for r in rows) for k in range(5)]
    lines = ["  ".join(cell.ljust(widths[k]) if k == 0 else cell.rjust(widths[k])
                       for k, cell in enumerate(row)) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append(f"{len(outcomes)} specs in {elapsed:.2f} s")
    return "\n".join(lines)


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("out/preview"),
              show_default=True, help="Folder for the PNG files.")
@click.option("--page", "pages", type=int, multiple=True, help="Only this page (repeatable).")
@click.option("--dpi", type=click.FloatRange(10, 600), default=50, show_default=True)
@click.option("--grid", is_flag=True, help="Overlay the column grid (spec only).")
@click.option("--baselines", is_flag=True, help="Overlay the baseline grid (spec only).")
@click.option("--frames", is_flag=True, help="Outline the story frames (spec only).")
@pass_ctx
def preview(ctx: Context, source: Path, output: Path, pages: tuple[int, ...], dpi: float,
            grid: bool, baselines: bool, frames: bool) -> None:
    """PNG previews of a spec's pages (rendered first) or of any PDF.

    \b
    Examples:
      broadsheet preview specs/sample.yaml -o out/preview --grid --frames
      broadsheet preview out/sample.pdf --page 1 --dpi 150
    """
    from .app.preview import preview_source

    overlays = tuple(name for name, on in (("grid", grid), ("baselines", baselines),
                                           ("frames", frames)) if on)
    if overlays and source.suffix.lower() == ".pdf":
        ctx.say("note: overlays need a spec; showing the PDF as it is", err=True)
    try:
        written = preview_source(source, output, dpi, list(pages) or None, overlays)
    except BroadsheetError as exc:
        _user_error(ctx, exc)
        return
    for path in written:
        ctx.say(str(path))


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder for the PDF (and previews).")
@click.option("--preview/--no-preview", "with_preview", default=True,
              help="Also refresh PNG previews in <output>/preview.")
@click.option("--interval", type=float, default=0.5, show_default=True,
              help="Seconds between looks at the files.")
@click.option("--max-renders", type=int, default=0, hidden=True)
@pass_ctx
def watch(ctx: Context, spec: Path, output: Path, with_preview: bool, interval: float,
          max_renders: int) -> None:
    """Re-render (and re-preview) whenever the spec, its copy or photos change.

    Keeps fonts and metrics in memory between renders. Stop with Ctrl-C.

    \b
    Example:
      broadsheet watch specs/sample.yaml -o out/
    """
    from .app.watch import watch_spec
    try:
        watch_spec(spec, output, with_preview, interval, max_renders, ctx.say)
    except KeyboardInterrupt:
        ctx.say("stopped")


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write to this file instead of standard output.")
@pass_ctx
def schema(ctx: Context, output: Path | None) -> None:
    """Print the spec's JSON Schema (for editors and YAML language servers).

    \b
    Example:
      broadsheet schema -o broadsheet.schema.json
    Then put `# yaml-language-server: $schema=./broadsheet.schema.json` at the top of a spec.
    """
    from .spec.schema import spec_schema
    _emit(json.dumps(spec_schema(), ensure_ascii=False, indent=2) + "\n", output)


def _emit(text: str, output: Path | None) -> None:
    """Text to standard output, or atomically to a file."""
    if output is None:
        click.echo(text, nl=False)
    else:
        from .files import write_atomic
        write_atomic(output, text.encode("utf-8"))


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Findings as JSON.")
@click.option("--tac", type=float, default=None,
              help="Total ink limit, percent (default: the file's output condition's, "
                   "220% for newsprint; for a spec, its own).")
@click.option("--min-ppi", type=float, default=150.0, show_default=True,
              help="Lowest photo resolution at placed size.")
@click.option("--standard", type=click.Choice(["X-1a", "X-3", "X-4"]),
              help="Check against this standard, whatever the file declares.")
@pass_ctx
def check(ctx: Context, source: Path, as_json: bool, tac: float, min_ppi: float,
          standard: str | None) -> None:
    """Preflight a PDF (ours or anyone's), or a spec (rendered first).

    States the standard the file declares (PDF/X-1a, X-3, X-4 or none) and
    holds it to that, or to --standard: its declaration, output intent and
    metadata, boxes, fonts, colour spaces and spot colours, ink in every fill,
    stroke, text and image, transparency, overprint mode, annotations and
    actions, image resolution, hairlines, small reversed text; for a spec also
    the layout's findings and its typography.  Exit 0 clean, 1 findings,
    2 unusable input.

    \b
    Examples:
      broadsheet check out/sample.pdf
      broadsheet check advert.pdf --standard X-1a
      broadsheet check specs/sample.yaml --json
    """
    from .app.check import check_source
    from .prepress.check import Limits

    try:
        result = check_source(source, Limits(tac_percent=tac, min_ppi_photo=min_ppi),
                              standard)
    except BroadsheetError as exc:
        _user_error(ctx, exc)
        return
    findings = result.findings
    if as_json:
        click.echo(json.dumps({"source": str(source), "declared": result.declared,
                               "checked_as": result.checked_as,
                               "findings": [f.to_json() for f in findings]},
                              ensure_ascii=False, indent=2))
    else:
        ctx.say(f"{source}: declares {result.declared or 'no PDF/X standard'}; checked as "
                f"{result.checked_as}")
        for finding in findings:
            _echo(finding_line(finding))
        acted = counted(findings)         # notes (a spot plate the plant prints) are listed
        notes = len(findings) - len(acted)
        ctx.say(f"{source}: {len(acted)} finding{'s' if len(acted) != 1 else ''}"
                + (f" and {notes} note{'s' if notes != 1 else ''}" if notes else "")
                + ("" if acted else " — ready for the plant"))
    sys.exit(EXIT_FINDINGS if counted(findings) else EXIT_OK)


def finding_line(finding: Finding, source: Path | str | None = None) -> str:
    """One finding as one line: severity, the spec's file:line:col (else the file it
    is about), its place on the page, message, the text around it, the code in
    brackets, and how to fix it."""
    if finding.source is not None and finding.source.line is not None:
        source = finding.source
    parts = [f"{finding.severity}:"]
    if source is not None:
        parts.append(f"{source}:")
    where = finding.where() or ("document" if source is None else "")
    if where:
        parts.append(f"{where}:")
    context = f" in “{finding.context}”" if finding.context else ""
    hint = f" — fix: {finding.hint}" if finding.hint else ""
    return " ".join(parts) + f" {finding.message}{context} [{finding.code}]{hint}"


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def fit(ctx: Context, spec: Path, as_json: bool) -> None:
    """Copy-fit: per story, how many characters and lines it is over or under its frames.

    \b
    Example:
      broadsheet fit specs/sample.yaml        # 需删 37 字 / 可加 120 字, story by story
    """
    from .app.fit import fit_rows
    from .app.render import lay_out
    from .spec import load_spec
    try:
        loaded = load_spec(spec)
        rows = fit_rows(loaded, lay_out(loaded))
    except BroadsheetError as exc:
        _user_error(ctx, exc)
        return
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        width = max(len(r["story"]) for r in rows) if rows else 5
        for r in rows:
            amount = f"{r['rows']} 行数据" if r.get("table") else f"{r['chars']} 字"
            _echo(f"{r['story']:<{width}}  {r['pages']:<7} {r['verdict']:<12} "
                       f"({amount}, {r['lines_over']:+d} 行)")
    sys.exit(EXIT_FINDINGS if any(r["over_chars"] or r.get("over_rows") for r in rows)
             else EXIT_OK)


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
@pass_ctx
def dump(ctx: Context, spec: Path, output: Path | None) -> None:
    """The laid-out edition as stable, diffable text: one line per typeset line.

    \b
    Example:
      broadsheet dump specs/sample.yaml -o out/sample.dump
    Each line: page, role, story, frame, column, grid line, baseline | text.
    """
    from .app.render import lay_out
    from .paint.text import dump_layout
    from .spec import load_spec
    try:
        text = dump_layout(lay_out(load_spec(spec)))
    except BroadsheetError as exc:
        _user_error(ctx, exc)
        return
    _emit(text, output)


@main.command()
@click.argument("before", type=click.Path(path_type=Path))
@click.argument("after", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("out/diff"),
              show_default=True, help="Folder for the pictures of changed pages.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--lines", "lines_moved", is_flag=True, help="List every line that moved.")
@pass_ctx
def diff(ctx: Context, before: Path, after: Path, output: Path, as_json: bool,
         lines_moved: bool) -> None:
    """What changed between two proofs: two specs, two dumps or two PDFs.

    Says it as the desk does: per story, a head changed from … to …, so many
    characters cut or added (quoted), how many lines moved and on which pages
    (each line with --lines); lists the changed pages, and writes a picture of
    each changed page with the changed regions boxed in red (specs and PDFs).

    \b
    Example:
      broadsheet diff yesterday/spec.yaml specs/sample.yaml -o out/diff
    """
    from .app.diff import diff_sources
    try:
        result = diff_sources(before, after, output)
    except BroadsheetError as exc:
        _user_error(ctx, exc)
        return
    if as_json:
        click.echo(json.dumps({"reflowed": result.reflowed,
                               "moved": [dict(zip(("story", "text", "from", "to"), m))
                                         for m in result.moved],
                               "rewritten_lines": result.changed_text, "pages": result.pages,
                               "edits": result.edits,
                               "pictures": [str(p) for p in result.pictures]},
                              ensure_ascii=False, indent=2))
    else:
        _echo(result.report(lines_moved))
    sys.exit(EXIT_FINDINGS if result.pages or result.reflowed else EXIT_OK)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@pass_ctx
def init(ctx: Context, folder: Path) -> None:
    """Create a new edition (spec, copy folder, README) that renders at once.

    \b
    Example:
      broadsheet init tonight && broadsheet render tonight/spec.yaml -o tonight/out/
    """
    from .app.skeleton import create_skeleton
    try:
        for path in create_skeleton(folder):
            ctx.say(str(path))
    except BroadsheetError as exc:
        _user_error(ctx, exc)


@main.command()
@click.option("--spec", type=click.Path(path_type=Path),
              help="Also list the characters of this spec's text each font lacks.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--installed", is_flag=True,
              help="The Chinese fonts installed on this machine (fontconfig, else the usual "
                   "font folders), with their coverage and whether a spec can use them.")
@click.option("--dir", "folders", multiple=True, type=click.Path(path_type=Path),
              help="With --installed: look in this folder instead (repeatable).")
@pass_ctx
def fonts(ctx: Context, spec: Path | None, as_json: bool, installed: bool,
          folders: tuple[Path, ...]) -> None:
    """The available fonts and their coverage of the Simplified-Chinese repertoire.

    \b
    Examples:
      broadsheet fonts
      broadsheet fonts --spec specs/sample.yaml
      broadsheet fonts --installed            # 本机中文字体, GB 2312 / GBK / GB 18030
    """
    from .app.coverage import font_coverage, installed_fonts
    from .fonts.coverage import gb2312_hanzi, gb18030_hanzi, gbk_hanzi

    if installed:
        rows = installed_fonts(list(folders) if folders else None)
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        g1, g2, g3 = len(gb2312_hanzi()), len(gbk_hanzi()), len(gb18030_hanzi())
        for row in rows:
            face = f"#{row['face']}" if row["face"] else ""
            if "gb2312" not in row:
                _echo(f"{row['file']}{face}: {row['why']}")
                continue
            _echo(f"{row['name']:<28} GB2312 {row['gb2312']}/{g1}  GBK {row['gbk']}/{g2}  "
                  f"GB18030 {row['gb18030']}/{g3}  {row['file']}{face}  — {row['why']}")
        if not rows:
            _echo("no Chinese fonts found")
        return
    try:
        rows = font_coverage(spec)
    except BroadsheetError as exc:
        _user_error(ctx, exc)
        return
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    g1, g2 = len(gb2312_hanzi()), len(gbk_hanzi())
    for row in rows:
        line = (f"{row['alias']:<11} {row['characters']:>6} chars  GB2312 {row['gb2312']}/{g1}  "
                f"GBK {row['gbk']}/{g2}  {Path(row['file']).name}")
        if "missing" in row:
            line += f"  lacks: {row['missing'] or '—'}"
        _echo(line)


def run() -> None:
    """The console entry point: the command, then a prompt exit.

    Once the command has finished (outputs written and renamed, reports
    flushed), tearing the interpreter down would only free, one by one, the
    hundreds of thousands of objects of a render: about 60 ms of an 8-page
    edition.  So exit handlers run and the process ends at once.
    """
    try:
        main.main(prog_name="broadsheet")
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
