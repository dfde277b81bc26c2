"""``nppsim validate``: run the shipped validation cases and others; print a table, a verdict.

The command is a plain function so the main app registers it with
``app.command("validate")(validate)``. It prints a Rich table, then ``N passed, M failed`` alone on
the last line (plain text, so scripts can read it), and exits with status 1 if any case failed.

For each case the table gives the worst relative error of the stand-alone reference solver
(held to the case's own tolerance) and of the production path, the core component and the engine
at their default settings (held to the tolerance the engine meets, stated under the table; "n/a"
with the reason where the core component cannot represent the case).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from nppsim.checks import check_output_dir, replace_into, staging_dir
from nppsim.interrupt import EXIT_INTERRUPTED, run_each
from nppsim.validation import report as _report
from nppsim.validation.base import CaseOutcome
from nppsim.validation.production import PRODUCTION_RTOL
from nppsim.validation.report import format_error, production_cell
from nppsim.validation.runner import discover, run_case, shipped_cases

__all__ = ["validate"]


def _tolerance(o: CaseOutcome) -> str:
    if o.rtol is None:
        return "-"
    return f"{o.rtol:g}" + (f" + {o.atol:g} abs" if o.atol else "")


def validate(
    cases: Annotated[
        list[Path] | None,
        typer.Option(
            "--cases",
            help="Folder (searched recursively for *.json) or file of extra cases; repeatable.",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write report.md and one plot per case into this folder."),
    ] = None,
    production: Annotated[
        bool,
        typer.Option(
            "--production/--no-production",
            help="Also run the point-kinetics and xenon cases through the core component and "
            "the engine at their default settings.",
        ),
    ] = True,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an earlier report in --report.")
    ] = False,
) -> None:
    """Run the validation cases shipped with nppsim plus those given; exit 1 if any fails.

    Ctrl-C (or SIGTERM) stops after the cases done so far, reports them and exits 130.
    """
    extra = list(cases or [])
    missing = [p for p in extra if not p.exists()]
    if missing:
        raise typer.BadParameter(
            f"no such file or folder: {', '.join(map(str, missing))}", param_hint="--cases"
        )
    if report is not None:  # before any case runs
        check_output_dir(report, "--report", ("report.md",), overwrite, "a validation report")
    paths = discover([*shipped_cases(), *extra])
    outcomes, interrupted = run_each(paths, lambda p: run_case(p, production))
    if report is not None:  # written beside, then renamed in: never half a report
        stage = staging_dir(report)
        md = _report.write_report(outcomes, stage)
        if interrupted:
            md.write_text(
                f"**Interrupted** after {len(outcomes)} of {len(paths)} cases.\n\n" + md.read_text()
            )
        replace_into(stage, Path(report), last=("report.md",))

    console = Console()
    table = Table(title="nppsim validation", show_header=True, header_style="bold")
    table.add_column("case", no_wrap=True)
    table.add_column("kind", overflow="fold")
    table.add_column("exact solver error", justify="right")
    table.add_column("tolerance", justify="right")
    table.add_column("wall \\[ms]", justify="right")
    if production:
        table.add_column("production path error", justify="right")
    table.add_column("result")
    table.add_column("reason", overflow="fold")
    for o in outcomes:
        cells = [
            Text(o.name),
            Text(o.kind),
            format_error(o.worst_rel_error),
            _tolerance(o),
            f"{o.wall_s * 1e3:.1f}",
        ]
        if production:
            cells.append(Text(production_cell(o.production)))
        cells += [
            Text("pass", style="green") if o.passed else Text("FAIL", style="red"),
            Text(o.reason),
        ]
        table.add_row(*cells)
    console.print(table)
    if production:
        tols = ", ".join(f"{k} {v:g}" for k, v in sorted(PRODUCTION_RTOL.items()))
        console.print(
            "production path: the core component and the engine at their default settings "
            f"(compiled BDF, rtol 1e-6) meet a relative tolerance of {tols}; "
            "n/a: the core component cannot represent the case (see --report).",
            highlight=False,
            soft_wrap=True,
        )
    if report is not None:
        console.print(f"report: {Path(report) / 'report.md'}", highlight=False, soft_wrap=True)
    n_passed = sum(o.passed for o in outcomes)
    n_failed = len(outcomes) - n_passed
    typer.echo(f"{n_passed} passed, {n_failed} failed")
    if interrupted:
        typer.echo(
            f"interrupted after {len(outcomes)} of {len(paths)} cases (the cases above are "
            "complete)",
            err=True,
        )
        raise typer.Exit(code=EXIT_INTERRUPTED)
    if n_failed:
        raise typer.Exit(code=1)
