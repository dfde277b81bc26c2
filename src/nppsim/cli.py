"""The ``nppsim`` command line (Typer + Rich).

Every input error is printed as one line naming the file, field, value and what is allowed, and
the command exits with status 2; no traceback.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nppsim import __version__
from nppsim.errors import NppsimError

app = typer.Typer(
    help="nppsim: simulate a VVER power unit (plant) and Iran's nuclear programme (fleet).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
designs_app = typer.Typer(
    help="List designs, or show one with its sources.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(designs_app, name="designs")
console = Console()
err_console = Console(stderr=True)

DEFAULT_SCENARIO = "steady-state"


def _fmt_duration(s: float) -> str:
    if s >= 3600 and s % 3600 == 0:
        return f"{s / 3600:g} h"
    if s >= 60 and s % 60 == 0:
        return f"{s / 60:g} min"
    return f"{s:g} s"


@app.command("scenarios")
def scenarios_cmd() -> None:
    """List the built-in scenarios, one line each."""
    from nppsim.scenarios import list_scenarios

    table = Table(show_header=True, header_style="bold")
    table.add_column("scenario", no_wrap=True)
    table.add_column("duration", justify="right")
    table.add_column("design")
    table.add_column("what happens")
    for sc in list_scenarios():
        table.add_row(sc.name, _fmt_duration(sc.duration), sc.scenario.design, sc.scenario.title)
    console.print(table)


@designs_app.callback()
def designs_list(ctx: typer.Context) -> None:
    """List the built-in designs."""
    if ctx.invoked_subcommand is not None:
        return
    from nppsim.designs import list_designs, load_design

    table = Table(show_header=True, header_style="bold")
    table.add_column("design", no_wrap=True)
    for col in ("title", "thermal [MW]", "gross [MWe]", "net [MWe]", "dynamics"):
        table.add_column(col, overflow="fold")
    for name in list_designs():
        d = load_design(name)
        r = d.rating
        table.add_row(
            name,
            d.design.title,
            f"{r.power_thermal.si / 1e6:g}",
            f"{r.power_electric_gross.si / 1e6:g}",
            f"{r.power_electric_net.si / 1e6:g}",
            "core" if d.has_dynamics else "ratings only",
        )
    console.print(table)


@designs_app.command("show")
def designs_show(name: str = typer.Argument(..., help="design name or TOML path")) -> None:
    """Print one design: every value with its unit, source and confidence."""
    from pydantic import BaseModel

    from nppsim.designs import Quantity, load_design

    d = load_design(name)
    console.print(f"[bold]{escape(d.design.title)}[/bold] ({d.name})")
    console.print(escape(d.design.description))
    for key, text in d.design.sources.items():
        console.print(f"  [dim]{escape(key)}[/dim] = {escape(text)}")
    table = Table(show_header=True, header_style="bold", show_lines=False)
    table.add_column("field", no_wrap=True)
    for col in ("value", "unit", "conf.", "source / note"):
        table.add_column(col, overflow="fold")

    def walk(model: BaseModel, prefix: str) -> None:
        for fname in type(model).model_fields:
            v = getattr(model, fname)
            path = f"{prefix}.{fname}" if prefix else fname
            if isinstance(v, Quantity):
                note = f"{v.source}" + (f" — {v.note}" if v.note else "")
                table.add_row(
                    path, escape(str(v.value)), escape(v.unit), v.confidence, escape(note)
                )
            elif isinstance(v, BaseModel):
                walk(v, path)
            elif isinstance(v, list) and v and isinstance(v[0], BaseModel):
                for i, item in enumerate(v):
                    walk(item, f"{path}[{i}]")

    for section, sec in d.sections():
        walk(sec, section)
    console.print(table)
    console.print(
        "confidence: S source, S2 secondary source, D derived, M engineering knowledge, "
        "E nppsim estimate"
    )


@app.command("run")
def run_cmd(
    scenario: str = typer.Argument(DEFAULT_SCENARIO, help="built-in scenario name or TOML file"),
    out: Path | None = typer.Option(
        None, "--out", help="output folder (default runs/<scenario>-<timestamp>/)"
    ),
) -> None:
    """Run a scenario; write timeseries.parquet, run.json and overview.png."""
    from nppsim import results
    from nppsim.scenarios import load_scenario

    sc = load_scenario(scenario)
    if out is None:
        out = Path("runs") / f"{sc.name}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    console.print(
        f"[bold]{sc.scenario.title}[/bold]  ({sc.name}, design {sc.scenario.design}, "
        f"{_fmt_duration(sc.duration)})"
    )
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[t]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as prog:
        task = prog.add_task("simulating", total=sc.duration, t="")

        def progress(t: float) -> None:
            prog.update(task, completed=t, t=f"t = {_fmt_duration(round(t))}")

        res = results.run(sc, progress)
    paths = results.write(res, out)
    df = res.timeseries
    last = df.iloc[-1]
    table = Table(title="end of run", show_header=True, header_style="bold")
    table.add_column("quantity")
    table.add_column("start", justify="right")
    table.add_column("end", justify="right")
    first = df.iloc[0]
    for col, label, f in [
        ("power_thermal_w", "thermal power [MW]", 1e-6),
        ("power_electric_w", "electric power, gross [MW]", 1e-6),
        ("power_decay_w", "decay heat [MW]", 1e-6),
        ("temp_fuel_avg_k", "fuel average [K]", 1),
        ("temp_coolant_inlet_k", "coolant inlet [K]", 1),
        ("temp_coolant_outlet_k", "coolant outlet [K]", 1),
        ("pressure_primary_pa", "primary pressure [MPa]", 1e-6),
        ("pressure_steam_pa", "steam pressure [MPa]", 1e-6),
        ("level_pressurizer_m", "pressurizer level [m]", 1),
        ("reactivity_xenon", "xenon worth [pcm]", 1e5),
        ("boron_ppm", "boron [ppm]", 1),
    ]:
        if col not in df:
            continue  # the core-only model has no secondary side
        a, b = (round(float(v[col]) * f, 2) + 0.0 for v in (first, last))  # + 0.0: no "-0.00"
        table.add_row(escape(label), f"{a:.2f}", f"{b:.2f}")
    console.print(table)
    for e in res.events:
        console.print(f"  event at {e['time_s']:.3f} s: {e['kind']} {e['name']}")
    rtf = res.stats["real_time_factor"]
    console.print(f"{res.stats['steps']} steps, real-time factor {rtf:.0f}")
    for k, p in paths.items():
        console.print(f"  {k}: {p}")
    if res.status != "completed":
        err_console.print(
            f"error: run stopped early: {res.message} (results up to "
            f"t = {df['time_s'].iloc[-1]:.6g} s were written)"
        )
        raise typer.Exit(1)


@app.command("actions")
def actions_cmd(
    design: str = typer.Option("vver1000-v446", "--design", help="design name or TOML path"),
    model: str = typer.Option(
        "plant", "--model", help="the model the actions are for: plant or core"
    ),
    as_json: bool = typer.Option(False, "--json", help="print the registry as JSON"),
) -> None:
    """List every action (scenario event, operator command, malfunction) with its fields,
    units and allowed ranges for a design."""
    import json

    from nppsim.actions import describe
    from nppsim.designs import load_design
    from nppsim.errors import InputError
    from nppsim.plant.model import DesignView

    if model not in ("plant", "core"):
        raise InputError(None, "--model", model, "plant or core")
    d = load_design(design)
    if model == "plant" and d.primary is None:
        raise InputError(d.path or None, "--model", model, f"{d.name} has no plant sections")
    desc = describe(DesignView(d, model))
    if as_json:
        console.print_json(json.dumps(desc, default=str))
        return
    table = Table(show_header=True, header_style="bold", show_lines=True)
    table.add_column("action", no_wrap=True)
    table.add_column("what it does", overflow="fold")
    table.add_column("fields (unit, allowed)", overflow="fold")
    for a in desc:
        fields = []
        for f in a["fields"]:
            bits = [f["name"]]
            if f["display_unit"]:
                bits.append(f"[{f['display_unit']}]")
            if f["range"]:
                bits.append(f["range"])
            if f["choices"]:
                bits.append("one of " + ", ".join(map(str, f["choices"])))
            if not f["required"]:
                bits.append(f"(default {f['default']})")
            fields.append(" ".join(bits))
        who = "operator" if a["operator"] else "instructor"
        table.add_row(
            escape(a["kind"]),
            escape(f"{a['label']} ({who}). {a['description']}"),
            escape("\n".join(fields) or "-"),
        )
    console.print(table)


@app.command("version")
def version_cmd() -> None:
    """Print the nppsim version."""
    console.print(__version__)


def _register_optional() -> None:
    """Commands implemented in their own packages."""
    try:
        from nppsim.validation.cli import validate
    except ImportError:  # pragma: no cover - validation package not built yet
        pass
    else:
        app.command("validate")(validate)
    try:
        from nppsim.server.cli import serve  # the control room (needs fastapi and uvicorn)
    except ImportError:  # pragma: no cover - server extras not installed
        pass
    else:
        app.command("serve")(serve)
    try:
        from nppsim.studies.cli import study_app
    except ImportError:  # pragma: no cover - studies package not built yet
        pass
    else:
        app.add_typer(study_app, name="study")
    try:
        from nppsim.programme.cli import programme_app
    except ImportError:  # pragma: no cover - programme package not built yet
        return
    app.add_typer(programme_app, name="programme")


_register_optional()


def main() -> None:
    """Entry point: run the app, turning nppsim errors into one-line messages (exit status 2).

    Usage errors are Typer's own (a short message, exit status 2); no traceback either way.
    """
    try:
        app()
    except NppsimError as e:
        err_console.print(f"error: {e}", highlight=False, soft_wrap=True, markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
