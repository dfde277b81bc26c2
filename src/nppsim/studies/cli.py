"""``nppsim study``: run, show, list and describe studies."""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

study_app = typer.Typer(
    help="Studies: many runs of a scenario over varied inputs, on this machine or a Dask cluster.",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)


def _g(x: float, digits: int = 4) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.{digits}g}"


@study_app.command("list")
def list_cmd() -> None:
    """List the built-in studies (``nppsim study describe NAME`` for one in full)."""
    from nppsim.studies.plan import make_plan
    from nppsim.studies.schema import list_studies

    table = Table(show_header=True, header_style="bold")
    for col in ("study", "scenario", "model", "sampler", "runs", "what it asks"):
        table.add_column(col, overflow="fold", no_wrap=col == "study")
    for st in list_studies():
        table.add_row(
            st.name,
            st.scenario.name,
            st.scenario.scenario.model,
            st.spec.sampler.method,
            str(len(make_plan(st).tasks)),
            escape(st.spec.study.title),
        )
    console.print(table)


@study_app.command("describe")
def describe_cmd(
    study: str = typer.Argument(..., help="built-in study name or study TOML file"),
) -> None:
    """Show a study: what it asks, its parameters, sampler and metrics."""
    from nppsim.studies.plan import make_plan
    from nppsim.studies.schema import load_study

    st = load_study(study)
    info = st.spec.study
    s = st.spec.sampler
    console.print(f"[bold]{escape(info.title)}[/bold] ({st.name})")
    console.print(escape(info.description))
    console.print(
        f"scenario {st.scenario.name} ({st.scenario.scenario.model} model), "
        f"design {st.design.name}; sampler {s.method}, {len(make_plan(st).tasks)} runs"
        + (f", seed {s.seed}" if s.seed is not None else "")
    )
    table = Table(title="parameters", show_header=True, header_style="bold")
    for col in ("name", "path", "unit", "distribution", "what"):
        table.add_column(col, overflow="fold")
    for p in st.parameters:
        table.add_row(
            p.name, f"{p.target}: {p.path}", p.unit, p.dist.describe(), escape(p.description)
        )
    console.print(table)
    table = Table(title="metrics", show_header=True, header_style="bold")
    for col in ("name", "reduction", "unit", "what"):
        table.add_column(col, overflow="fold")
    for m, raw in zip(st.metrics, st.spec.metrics, strict=True):
        what = m.quantity or f"event {m.event}" + (f" {m.event_name}" if m.event_name else "")
        window = ""
        if m.reduce == "at":
            window = f" at {raw.at}"
        elif raw.from_ or raw.to:
            window = f" from {raw.from_ or 'start'} to {raw.to or 'end'}"
        table.add_row(m.name, f"{m.reduce} of {what}{window}", m.unit, escape(raw.description))
    console.print(table)


@study_app.command("run")
def run_cmd(
    study: str = typer.Argument(..., help="study TOML file or built-in study name"),
    out: Path | None = typer.Option(
        None, "--out", help="output folder (default studies/<name>); a rerun there skips done runs"
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=0, help="local worker processes (default: cores; 0: no Dask)"
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786"
    ),
) -> None:
    """Run every run of a study not yet in the output folder, writing each outcome as it arrives."""
    from nppsim.studies.plan import check_quantities, make_plan, recorded_quantities
    from nppsim.studies.runner import run_study
    from nppsim.studies.schema import load_study

    st = load_study(study)
    out = out or Path("studies") / st.name
    plan = make_plan(st)
    check_quantities(st, recorded_quantities(st))
    console.print(
        f"[bold]{escape(st.spec.study.title)}[/bold]  ({st.name}: {len(plan.tasks)} runs of "
        f"{st.scenario.name}, {st.spec.sampler.method})"
    )
    counts = {"failed": 0, "tripped": 0}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[extra]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as prog:
        task = prog.add_task("runs", total=len(plan.tasks), extra="")

        def on_status(line: str) -> None:
            prog.console.print(f"[dim]{escape(line)}[/dim]")

        def on_outcome(row: dict, done: int, total: int) -> None:
            counts["failed"] += row["status"] != "completed"
            counts["tripped"] += bool(row["tripped"])
            prog.update(
                task,
                completed=done,
                extra=f"{counts['failed']} failed, {counts['tripped']} tripped",
            )

        def on_start(done: int) -> None:
            prog.update(task, completed=done)

        report = run_study(
            st,
            out,
            workers=workers,
            scheduler=scheduler,
            on_outcome=on_outcome,
            on_status=on_status,
            plan=plan,
            on_start=on_start,
        )
    if report.interrupted:
        left = report.runs - report.skipped - report.ran
        err_console.print(
            f"interrupted: {report.skipped + report.ran} of {report.runs} runs are saved in "
            f"{out}; {left} left. Run the same command again to finish them."
        )
        raise typer.Exit(130)
    console.print(
        f"{report.ran} runs in {report.wall_s:.1f} s ({report.skipped} were already done), "
        f"{report.failed} failed; results in {out}"
    )
    console.print(f"next: nppsim study show {out}")


@study_app.command("show")
def show_cmd(
    folder: Path = typer.Argument(..., help="a study's output folder"),
    plots: bool = typer.Option(True, "--plots/--no-plots", help="write the plots"),
    plots_dir: Path | None = typer.Option(None, "--plots-dir", help="default: FOLDER/plots"),
) -> None:
    """Statistics, trips and failures, correlations or sensitivity indices, and plots."""
    from nppsim.studies.analysis import summarize

    s = summarize(folder)
    plan = s.plan
    console.print(
        f"[bold]{escape(plan['title'])}[/bold] ({plan['study']}, {plan['sampler']['method']})"
    )
    fin = max(s.finished, 1)
    console.print(
        f"{s.finished} of {s.planned} runs finished: {s.completed} completed, "
        f"{s.failed} failed ({100 * s.failed / fin:.1f} %); "
        f"{s.tripped} tripped the reactor ({100 * s.tripped / fin:.1f} %)"
    )
    table = Table(title="metrics over the completed runs", show_header=True, header_style="bold")
    for col in ("metric", "unit", "n", "mean", "P5", "P50", "P95", "min", "max"):
        table.add_column(col, justify="left" if col in ("metric", "unit") else "right")
    for name, r in s.stats.iterrows():
        table.add_row(
            str(name),
            escape(r["unit"]),
            str(int(r["n"])),
            *(_g(r[c]) for c in ("mean", "p5", "p50", "p95", "min", "max")),
        )
    console.print(table)
    table = Table(
        title="Spearman rank correlation, metric against parameter",
        show_header=True,
        header_style="bold",
    )
    table.add_column("metric")
    for p in s.parameters:
        table.add_column(p["name"], justify="right")
    for name, r in s.correlations.iterrows():
        table.add_row(str(name), *(_g(v, 2) for v in r.to_numpy()))
    console.print(table)
    for name, df in s.indices.items():
        cols = list(df.columns)
        title = "Sobol' indices" if "S1" in cols else "Morris elementary effects"
        table = Table(title=f"{title}: {name}", show_header=True, header_style="bold")
        table.add_column("parameter")
        for c in cols:
            table.add_column(c, justify="right")
        for pname, r in df.iterrows():
            table.add_row(str(pname), *(_g(v, 3) for v in r.to_numpy()))
        console.print(table)
    if s.failures is not None:
        console.print("[bold]failures[/bold]")
        for msg, n in s.failures.head(5).items():
            console.print(f"  {n} x {escape(str(msg)[:200])}")
    for note in s.notes:
        console.print(f"note: {escape(note)}")
    if plots:
        from nppsim.studies.plots import write_all

        for path in write_all(s, plots_dir or Path(folder) / "plots"):
            console.print(f"  plot: {path}")
