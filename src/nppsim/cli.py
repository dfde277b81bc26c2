"""The ``nppsim`` command line (Typer + Rich).

Every input error is printed as one line naming the file, field, value and what is allowed, and
the command exits with status 2; no traceback. Inputs and outputs are checked before any work
starts (:mod:`nppsim.checks`). A run that leaves the model's validity range stops with status
``stopped`` (exit status 1); Ctrl-C or SIGTERM writes what was computed with status
``interrupted`` (exit status 130).

Start-up is kept short: this module imports only Typer and Rich; the simulator, the validation
runner, the programme model and the control room are imported by the commands that use them
(``nppsim --help``, ``scenarios`` and ``designs`` load neither Numba nor CoolProp).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click
import typer
from typer.core import TyperGroup

from nppsim import __version__
from nppsim.errors import NppsimError

#: commands implemented in their own packages, imported only when used:
#: name -> (module, attribute, short help shown by ``nppsim --help``)
_LAZY: dict[str, tuple[str, str, str]] = {
    "validate": (
        "nppsim.validation.cli",
        "validate",
        "Run the validation cases shipped with nppsim plus those given; exit 1 if any fails.",
    ),
    "programme": (
        "nppsim.programme.cli",
        "programme_app",
        "Iran's nuclear power programme over decades: schedules, capacity, generation, cost, "
        "fuel, gas and CO2 saved ('nppsim programme iran').",
    ),
    "serve": (
        "nppsim.server.cli",
        "serve",
        "Serve the control room (a live plant in the browser) on a local port.",
    ),
    "site": (
        "nppsim.sites.cli",
        "site_app",
        "Sites: every unit of a plant on one clock, with site events and site totals "
        "('nppsim site run hormoz loss-of-offsite-power').",
    ),
    "study": (
        "nppsim.studies.cli",
        "study_app",
        "Studies: many runs of a scenario over sampled or gridded inputs, on local workers "
        "('nppsim study run turbine-trip-pressure').",
    ),
}


class _LazyGroup(TyperGroup):
    """The top-level group: commands of other packages are imported when invoked, never for
    ``--help`` (where a placeholder with their short help is listed)."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = list(super().list_commands(ctx))
        return names + [n for n in _LAZY if n not in names]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None or cmd_name not in _LAZY:
            return cmd
        module, attr, short = _LAZY[cmd_name]
        if self._listing:
            return click.Command(cmd_name, help=short, short_help=short)
        try:
            obj = getattr(importlib.import_module(module), attr)
        except ImportError as e:  # pragma: no cover - an optional dependency missing
            why = f"{cmd_name} is unavailable: {e}"
            return click.Command(cmd_name, help=why, callback=lambda: _fail(why))
        if isinstance(obj, typer.Typer):
            cmd = typer.main.get_group(obj)
        else:
            sub = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
            sub.command(cmd_name)(obj)
            cmd = typer.main.get_command(sub)
        cmd.name = cmd_name
        self.add_command(cmd, cmd_name)
        return cmd

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=_LazyGroup,
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

DEFAULT_SCENARIO = "steady-state"
#: the files of a run folder; run.json is written last (its presence marks a complete run)
RUN_FILES = ("timeseries.parquet", "overview.png", "run.json")
EXIT_STOPPED = 1


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr)


def _fail(message: str, code: int = 2) -> None:
    _console(True).print(f"error: {message}", highlight=False, soft_wrap=True, markup=False)
    raise SystemExit(code)


def _fmt_duration(s: float) -> str:
    if s >= 3600 and s % 3600 == 0:
        return f"{s / 3600:g} h"
    if s >= 60 and s % 60 == 0:
        return f"{s / 60:g} min"
    return f"{s:g} s"


@app.command("scenarios")
def scenarios_cmd(
    design: str | None = typer.Option(
        None, "--design", help="list the scenarios that apply to this design (name or TOML)"
    ),
) -> None:
    """List the built-in scenarios, one line each (with --design: those that apply to it)."""
    from rich.table import Table

    from nppsim.scenarios import list_scenarios

    if design is not None:
        _scenarios_for_design(design)
        return
    table = Table(show_header=True, header_style="bold")
    table.add_column("scenario", no_wrap=True)
    table.add_column("duration", justify="right")
    table.add_column("design")
    table.add_column("what happens")
    for sc in list_scenarios():
        table.add_row(sc.name, _fmt_duration(sc.duration), sc.scenario.design, sc.scenario.title)
    _console().print(table)


def _scenarios_for_design(design: str) -> None:
    """``nppsim scenarios --design NAME``: which built-in scenarios apply, and why not."""
    from rich.markup import escape
    from rich.table import Table

    from nppsim.designs import load_design
    from nppsim.scenarios import applies_to, list_scenarios

    d = load_design(design)
    table = Table(show_header=True, header_style="bold", title=f"scenarios for {d.name}")
    table.add_column("scenario", no_wrap=True)
    table.add_column("duration", justify="right")
    table.add_column("applies")
    table.add_column("what happens / why not", overflow="fold")
    for sc in list_scenarios():
        why = applies_to(sc, d)
        if why:
            table.add_row(sc.name, _fmt_duration(sc.duration), "no", escape("; ".join(why)))
        else:
            table.add_row(sc.name, _fmt_duration(sc.duration), "yes", escape(sc.scenario.title))
    console = _console()
    console.print(table)
    console.print(f"run one with: nppsim run SCENARIO --design {d.name}")


@designs_app.callback()
def designs_list(ctx: typer.Context) -> None:
    """List the built-in designs."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from nppsim.designs import list_designs, load_design

    table = Table(show_header=True, header_style="bold")
    table.add_column("design", no_wrap=True)
    for col in ("title", "thermal [MW]", "gross [MWe]", "net [MWe]", "dynamics"):
        table.add_column(col, overflow="fold")
    for name in list_designs():
        d = load_design(name)
        r = d.rating
        dyn = "ratings only"
        if d.has_dynamics:
            dyn = "core and plant" if d.primary is not None else "core"
        table.add_row(
            name,
            d.design.title,
            f"{r.power_thermal.si / 1e6:g}",
            f"{r.power_electric_gross.si / 1e6:g}",
            f"{r.power_electric_net.si / 1e6:g}",
            dyn,
        )
    _console().print(table)


@designs_app.command("show")
def designs_show(
    name: str = typer.Argument(..., help="design name or TOML path"),
    sources: bool = typer.Option(
        False, "--sources", help="print every reference the design cites, in full"
    ),
) -> None:
    """Print one design: every value with its unit, source and confidence (``--sources``: the
    references in full: title, publisher, date, address)."""
    from pydantic import BaseModel
    from rich.markup import escape
    from rich.table import Table

    from nppsim.designs import Quantity, list_designs, load_design

    _check_input(name, "design", list_designs())
    d = load_design(name)
    console = _console()
    if sources:
        _print_sources(d, console)
        return
    console.print(f"[bold]{escape(d.design.title)}[/bold] ({d.name})")
    console.print(escape(d.design.description))
    for key, text in d.design.sources.items():
        console.print(f"  [dim]{escape(key)}[/dim] = {escape(text)}")
    table = Table(show_header=True, header_style="bold", show_lines=False)
    table.add_column("field", overflow="fold", max_width=34)
    table.add_column("value", overflow="fold", max_width=16)
    table.add_column("unit", overflow="fold", max_width=10)
    table.add_column("conf.", no_wrap=True)
    table.add_column("source / note", overflow="fold", ratio=1, min_width=30)

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
        "E nppsim estimate; 'nppsim designs show NAME --sources' gives every reference in full"
    )


def _print_sources(design: Any, console: Any) -> None:
    from rich.markup import escape

    from nppsim.sources import design_references, format_reference

    used = design_references(design)
    console.print(
        f"[bold]References of {escape(design.name)}[/bold] ({escape(design.design.title)})"
    )
    for key, (ref, values) in used.items():
        shown = ", ".join(values[:6]) + (f" and {len(values) - 6} more" if len(values) > 6 else "")
        console.print(f"\n[bold]{escape(key)}[/bold]  cited by {escape(shown)}", highlight=False)
        console.print(escape(format_reference(ref)), highlight=False)
        for sub in ref.get("cites", []):
            console.print(f"  - {escape(format_reference(sub))}", highlight=False)
    console.print(
        "\nValues whose source is 'nppsim estimate' (or another estimate) cite no reference: "
        "their note says how they were estimated. All references: docs/sources.md."
    )


def _check_input(text: str, what: str, builtins: Any) -> None:
    from nppsim.checks import input_file

    input_file(text, what, ".toml", builtins)


@app.command("run")
def run_cmd(
    scenario: str = typer.Argument(DEFAULT_SCENARIO, help="built-in scenario name or TOML file"),
    out: Path | None = typer.Option(
        None, "--out", help="output folder (default runs/<scenario>-<timestamp>/)"
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="replace the results of an earlier run in --out"
    ),
    design: str | None = typer.Option(
        None, "--design", help="run on this design instead of the scenario's (name or TOML)"
    ),
) -> None:
    """Run a scenario; write timeseries.parquet, run.json and overview.png.

    With ``--design`` the scenario runs on another design where it applies (``nppsim scenarios
    --design NAME``) and is refused with the reason where it does not.

    Ctrl-C (or SIGTERM) stops the run and writes what was computed (status interrupted, exit
    130); a run that leaves the model's validity range stops there (status stopped, exit 1).
    """
    from nppsim.checks import check_output_dir
    from nppsim.scenarios import builtin_names, load_scenario

    # inputs and the output folder first: nothing is computed for a run that cannot be kept
    _check_input(scenario, "scenario", builtin_names())
    if out is not None:
        check_output_dir(out, "--out", RUN_FILES, overwrite, "a run")
    sc = load_scenario(scenario)
    if design is not None:
        from nppsim.scenarios import for_design

        sc = for_design(sc, design)
    if out is None:
        from datetime import datetime

        out = Path("runs") / f"{sc.name}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
        check_output_dir(out, "--out", RUN_FILES, overwrite, "a run")
    _run_scenario(sc, out)


def _run_scenario(sc: Any, out: Path) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from nppsim.interrupt import EXIT_INTERRUPTED, Interruption

    console, err = _console(), _console(True)
    console.print(
        f"[bold]{sc.scenario.title}[/bold]  ({sc.name}, design {sc.scenario.design}, "
        f"{_fmt_duration(sc.duration)})"
    )
    with Interruption(notify=lambda m: err.print(m, highlight=False), soft=False) as intr:
        try:
            from nppsim import results

            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[t]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            ) as prog:
                task = prog.add_task("building the model", total=sc.duration, t="")

                def progress(t: float) -> None:
                    if not intr.soft:  # the first step: the model is built, the run starts
                        intr.soft = True  # simulating: a signal stops at the next step
                        prog.console.print(
                            "simulating (Ctrl-C stops the run and writes what was computed)",
                            highlight=False,
                        )
                    prog.update(
                        task,
                        description="simulating",
                        completed=t,
                        t=f"t = {_fmt_duration(round(t))}",
                    )
                    intr.check()

                res = results.run(sc, progress)
        except KeyboardInterrupt:
            err.print(
                "interrupted before the simulation started: nothing was computed, nothing written",
                highlight=False,
            )
            raise SystemExit(EXIT_INTERRUPTED) from None
        intr.soft = True  # writing: a signal waits for the files to be complete
        paths = results.write(res, out)
    _print_summary(res, console)
    for k, p in paths.items():
        console.print(f"  {k}: {p}", highlight=False)
    t_end = float(res.timeseries["time_s"].iloc[-1])
    if res.status == "interrupted":
        err.print(
            f"interrupted at t = {t_end:.6g} s: results up to there were written to {out} "
            "(status interrupted)",
            highlight=False,
        )
        raise SystemExit(EXIT_INTERRUPTED)
    if res.status == "stopped":
        err.print(f"stopped: {res.message}; results up to there were written", highlight=False)
        raise SystemExit(EXIT_STOPPED)
    if res.status != "completed":
        err.print(
            f"error: run stopped early: {res.message} (results up to t = {t_end:.6g} s were "
            "written)",
            highlight=False,
        )
        raise SystemExit(1)


#: rows of the end-of-run table: column (or per-SG column pattern), label, display factor
_SUMMARY_ROWS: tuple[tuple[str, str, float], ...] = (
    ("power_thermal_w", "thermal power [MW]", 1e-6),
    ("power_electric_w", "electric power, gross [MW]", 1e-6),
    ("power_decay_w", "decay heat [MW]", 1e-6),
    ("temp_fuel_avg_k", "fuel average [K]", 1),
    ("temp_fuel_max_k", "fuel centre, hot rod [K]", 1),
    ("temp_coolant_inlet_k", "coolant inlet [K]", 1),
    ("temp_coolant_outlet_k", "coolant outlet [K]", 1),
    ("pressure_primary_pa", "primary pressure [MPa]", 1e-6),
    ("subcooling_margin_k", "subcooling margin [K]", 1),
    ("level_pressurizer_m", "pressurizer level [m]", 1),
    ("pressure_sg{}_pa", "steam pressure{} [MPa]", 1e-6),
    ("level_sg{}_m", "SG level{} [m]", 1),
    ("reactivity_xenon", "xenon worth [pcm]", 1e5),
    ("boron_ppm", "boron [ppm]", 1),
)


def summary_rows(df: Any) -> list[tuple[str, float, float, float, float]]:
    """The end-of-run table: (label, start, min, max, end) in display units; per steam
    generator where the steam generators differ (never their mean then)."""
    from nppsim.plotting import group_name, groups

    rows = []
    for col, label, f in _SUMMARY_ROWS:
        if "{}" in col:
            cols = [col.format(i) for i in range(1, 17) if col.format(i) in df]
            if not cols:
                continue
            grs = groups(df, cols)
            if len(grs) > 1:  # steam generators differ: one row per group alike, no mean
                pairs = [(cols[g[0] - 1], label.format(f" {group_name(g)}")) for g in grs]
            else:
                pairs = [(cols[0], label.format(f" (all {len(cols)} SGs)"))]
        elif col in df:
            pairs = [(col, label)]
        else:
            continue  # the core-only model has no secondary side
        for c, lab in pairs:
            s = df[c] * f
            vals = (s.iloc[0], s.min(), s.max(), s.iloc[-1])
            rows.append((lab, *(round(float(x), 2) + 0.0 for x in vals)))  # + 0.0: no "-0.00"
    return rows


def _print_summary(res: Any, console: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="end of run", show_header=True, header_style="bold")
    table.add_column("quantity")
    for c in ("start", "min", "max", "end"):
        table.add_column(c, justify="right")
    for label, *vals in summary_rows(res.timeseries):
        table.add_row(escape(label), *(f"{v:.2f}" for v in vals))
    console.print(table)
    for e in res.events:
        detail = f" ({e['detail']})" if e.get("detail") else ""
        console.print(
            f"  event at {e['time_s']:.3f} s: {e['kind']} {e['name']}{escape(detail)}",
            highlight=False,
        )
    rtf = res.stats["real_time_factor"]
    console.print(f"{res.stats['steps']} steps, real-time factor {rtf:.0f}", highlight=False)


@app.command("actions")
def actions_cmd(
    design: str = typer.Option("vver1000-v446", "--design", help="design name or TOML path"),
    model: str = typer.Option(
        "plant", "--model", help="the model the actions are for: plant or core"
    ),
    as_json: bool = typer.Option(False, "--json", help="print the registry as JSON"),
) -> None:
    """List every action (scenario event, operator command) with its fields and ranges.

    Fields are given with their units and the ranges the design allows.
    """
    import json

    from rich.markup import escape
    from rich.table import Table

    from nppsim.actions import describe
    from nppsim.designs import list_designs, load_design
    from nppsim.errors import InputError
    from nppsim.plant.design_view import DesignView

    if model not in ("plant", "core"):
        raise InputError(None, "--model", model, "plant or core")
    _check_input(design, "design", list_designs())
    d = load_design(design)
    if model == "plant" and d.primary is None:
        raise InputError(d.path or None, "--model", model, f"{d.name} has no plant sections")
    desc = describe(DesignView(d, model))
    console = _console()
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
    _console().print(__version__)


def main() -> None:
    """Entry point: run the app, turning nppsim errors into one-line messages (exit status 2).

    Usage errors are Typer's own (a short message, exit status 2); no traceback either way.
    """
    try:
        app()
    except NppsimError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        from nppsim.interrupt import EXIT_INTERRUPTED

        _console(True).print("interrupted", highlight=False)
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
