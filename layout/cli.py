"""The `broadsheet` command: the only place that prints or chooses exit codes.

Exit codes: 0 done, 1 rendered with findings (overset …), 2 unusable input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import BroadsheetError

EXIT_OK, EXIT_FINDINGS, EXIT_USER_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="broadsheet")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """broadsheet — typeset Chinese newspaper pages from a YAML spec into print-ready PDF.

    \b
    Example:
      broadsheet render specs/sample.yaml            # → out/sample.pdf
    """
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True,
              help="A .pdf file (with one spec) or a folder for <spec name>.pdf.")
@click.option("--report", type=click.Path(path_type=Path),
              help="Write the layout report (JSON) here (one spec only).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.pass_context
def render(ctx: click.Context, specs: tuple[Path, ...], output: Path, report: Path | None,
           quiet: bool) -> None:
    """Render edition specs to PDF.

    \b
    Examples:
      broadsheet render specs/sample.yaml -o out/sample.pdf
      broadsheet render specs/*.yaml -o out/
    """
    from .render import render as render_one

    single_file = output.suffix.lower() == ".pdf"
    if single_file and len(specs) > 1:
        _fail(ctx, BroadsheetError("-o names one PDF file but several specs were given; "
                                   "give a folder instead"))
    worst = EXIT_OK
    for spec in specs:
        target = output if single_file else output / f"{spec.stem}.pdf"
        try:
            result = render_one(spec, target, report)
        except BroadsheetError as exc:
            click.echo(f"error: {exc}", err=True)
            if ctx.obj["debug"]:
                raise
            worst = max(worst, EXIT_USER_ERROR)
            continue
        pages = len(result.layout.pages)
        for finding in result.layout.findings:
            where = f"page {finding.page}" if finding.page else spec.name
            if finding.story:
                where += f": story {finding.story}"
            click.echo(f"{finding.severity}: {spec}: {where}: {finding.message}", err=True)
        if result.overset or any(f.severity == "error" for f in result.layout.findings):
            worst = max(worst, EXIT_FINDINGS)
        if not quiet:
            click.echo(f"{spec} → {target} ({pages} pages, {result.layout.passes} "
                       f"layout pass{'es' if result.layout.passes > 1 else ''})")
    sys.exit(worst)


def _fail(ctx: click.Context, exc: BroadsheetError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_USER_ERROR)


if __name__ == "__main__":  # pragma: no cover
    main()
