"""``nppsim programme``: run the programme model, compare what-ifs, test its sensitivity.

Commands (``nppsim programme --help``): ``run`` (the default: ``nppsim programme iran`` runs it),
``list``, ``compare``, ``tornado``, ``refclass`` and ``backtest``. The main app registers the group
with ``app.add_typer(programme_app, name="programme")``.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich import box
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from nppsim.errors import InputError, NppsimError

from .load import list_programmes, list_what_ifs, load_programme
from .model import ProgrammeResult, simulate
from .refclass import data_path
from .results import (
    QUANTILES,
    STATISTICS,
    capacity_probabilities,
    cost_summary,
    modes_frame,
    sample_table,
    target_summary,
    units_frame,
    write_outputs,
)

_MILESTONES = (2030, 2035, 2040, 2045, 2050, 2055, 2060)


class _DefaultRun(TyperGroup):
    """A group whose unknown first word is the programme of ``run``: ``nppsim programme iran``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


programme_app = typer.Typer(
    cls=_DefaultRun,
    help=(
        "Iran's nuclear power programme over decades: schedules with shocks and suspensions, "
        "capacity, generation, the official target, cost, fuel cycle, gas and CO2 saved. "
        "'nppsim programme iran' runs the model (the 'run' command); see also list, compare, "
        "tornado, refclass and backtest."
    ),
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(e: NppsimError) -> None:
    typer.echo(f"error: {_message(e)}", err=True)
    # SystemExit, not typer.Exit: it ends the process with 2 also when the app runs with
    # standalone_mode=False (click would return typer.Exit's code instead of exiting).
    raise SystemExit(2) from None


def _message(e: NppsimError) -> str:
    """The error's one-line message; a command-line value is named by its option."""
    if isinstance(e, InputError) and e.file is None:
        name = {"programme": "source", "what_if": "--what-if"}.get(e.field, f"--{e.field}")
        return f"{name} = {e.value!r}: {e.allowed}"
    return str(e)


def _cell(arr: np.ndarray, scale: float = 1.0, digits: int = 1) -> str:
    """Mean; P50 (P10-P90) of samples, scaled."""
    arr = arr[np.isfinite(arr)] * scale
    if arr.size == 0:
        return "n/a"
    p10, p50, p90 = np.quantile(arr, list(QUANTILES.values()))
    d = digits
    return f"mean {arr.mean():,.{d}f}; P50 {p50:,.{d}f} ({p10:,.{d}f}-{p90:,.{d}f})"


def milestone_years(res: ProgrammeResult) -> list[int]:
    """Years shown in the summary: the first modelled year, every fifth year, the horizon."""
    first = res.recorded_until + 1
    ys = [first] + [y for y in _MILESTONES if first < y <= res.until]
    if res.until not in ys:
        ys.append(res.until)
    return ys


def _stat_table(
    t: Table, res: ProgrammeResult, tab: dict[str, np.ndarray], cols: tuple[Any, ...]
) -> None:
    """Fill a table with mean, P10, P50 and P90 per milestone year for the given columns."""
    t.add_column("year", justify="right", no_wrap=True)
    t.add_column("", justify="right", no_wrap=True)
    for head_c, *_ in cols:
        t.add_column(head_c, justify="right", no_wrap=True)
    for y in milestone_years(res):
        i = int(y - res.years[0])
        vals = []
        for _, name, scale, _d in cols:
            col = tab[name][:, i] * scale
            vals.append([col.mean(), *np.quantile(col, list(QUANTILES.values()))])
        for j, st in enumerate(STATISTICS):
            t.add_row(
                str(y) if j == 1 else "",
                st.upper() if st != "mean" else "mean",
                *(f"{v[j]:,.{d}f}" for v, (_, _, _, d) in zip(vals, cols, strict=True)),
                style="bold" if st == "p50" else ("italic" if st == "mean" else None),
                end_section=j == len(STATISTICS) - 1,
            )


def print_summary(res: ProgrammeResult, console: Console, elapsed: float | None = None) -> None:
    """Print the target line, the milestone table, modes, probabilities, units, costs, sources."""
    prog = res.programme
    info = prog.programme
    tab = sample_table(res)
    ts = target_summary(res)
    cap_t = ts["capacity_at_date_mwe"]
    console.print(
        f"[bold]Official target: {ts['name']} ({ts['capacity_mwe']:,.0f} MWe by {ts['by']}): "
        f"P(met) = {ts['p_met']:.3f}[/bold]. Net capacity in service then: mean "
        f"{cap_t['mean']:,.0f} MWe, P50 {cap_t['p50']:,.0f}"
        f" (P10-P90 {cap_t['p10']:,.0f}-{cap_t['p90']:,.0f})"
        f"; all units modelled add up to {ts['max_modelled_mwe']:,.0f} MWe, announced beyond them "
        f"{ts['pipeline_mwe']:,.0f} MWe.",
        soft_wrap=True,
    )
    head = (
        f"{info.title}\n{res.samples:,} samples, seed {res.seed}, status date "
        f"{info.status_date.isoformat()}; years to {res.recorded_until} from the record"
    )
    if elapsed is not None:
        head += f"; ran in {elapsed:.2f} s"
    t = Table(
        title=head,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption="statistics per year and column (marginal); mean over all samples",
        caption_justify="left",
    )
    cols = (
        ("capacity MWe", "capacity_mwe", 1.0, 0),
        ("TWh", "generation_twh", 1.0, 1),
        ("share %", "share_of_demand", 100.0, 2),
        ("gas bcm", "gas_saved_bcm", 1.0, 2),
        ("liquid GL", "liquid_saved_bnl", 1.0, 2),
        ("CO2 Mt", "co2_avoided_mt", 1.0, 1),
    )
    _stat_table(t, res, tab, cols)
    console.print(t)
    ft = Table(
        title="Fuel loaded and capital spent per year",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    fcols = (
        ("fresh fuel tHM", "fuel_t", 1.0, 0),
        ("nat. U t", "natural_uranium_t", 1.0, 0),
        ("SWU t", "swu_t", 1.0, 0),
        ("spent tHM", "spent_fuel_t", 1.0, 0),
        ("capex bn$", "spending_busd", 1.0, 2),
    )
    _stat_table(ft, res, tab, fcols)
    console.print(ft)
    y0 = int(res.years[0])
    d = prog.displaced
    mode = (
        f"fleet average (efficiency {d.efficiency[-1].efficiency.si:.1%} in "
        f"{d.efficiency[-1].year}, fuel mix by year)"
        if d.mode == "fleet"
        else f"marginal plant ({d.marginal.fuel}, efficiency {d.marginal.efficiency.si:.0%})"
    )
    console.print(
        f"Cumulative {y0}-{res.until}: generation "
        f"{_cell(tab['generation_cum_twh'][:, -1], digits=0)}"
        f" TWh; gas saved {_cell(tab['gas_saved_cum_bcm'][:, -1])} bcm; liquid fuel saved "
        f"{_cell(tab['liquid_saved_cum_bnl'][:, -1])} GL; CO2 avoided "
        f"{_cell(tab['co2_avoided_cum_mt'][:, -1], digits=0)} Mt; natural uranium "
        f"{_cell(tab['natural_uranium_cum_t'][:, -1], digits=0)} t; enrichment "
        f"{_cell(tab['swu_cum_t'][:, -1], digits=0)} t-SWU; spent fuel "
        f"{_cell(tab['spent_fuel_cum_t'][:, -1], digits=0)} tHM. Displacing: {mode}; "
        f"unmet-demand share {d.unmet_share.si:.0%}.",
        soft_wrap=True,
        markup=False,
    )
    mf = modes_frame(res)
    if not mf.empty:
        mt = Table(
            title=f"Modes: net generation in {res.until} [TWh] by go/no-go decision",
            title_justify="left",
            box=None,
            pad_edge=False,
            header_style="bold underline",
        )
        for c in ("project", "outcome", "share", "mean", "P10", "P50", "P90", "capacity P50 MWe"):
            mt.add_column(c, justify="left" if c in ("project", "outcome") else "right")
        for r in mf.itertuples():
            mt.add_row(
                r.project,
                r.outcome,
                f"{r.share:.0%}",
                *(f"{getattr(r, f'generation_twh_{k}'):,.1f}" for k in STATISTICS),
                f"{r.capacity_mwe_p50:,.0f}",
            )
        console.print(mt)
    pf = capacity_probabilities(res)
    pt = Table(
        title="P(net capacity in service >= level) at the end of the year",
        title_justify="left",
        box=None,
        pad_edge=False,
        header_style="bold underline",
    )
    for c in pf.columns:
        pt.add_column(c, justify="left" if c == "year" else "right")
    for r in pf.itertuples(index=False):
        pt.add_row(r[0], *(f"{v:.2f}" for v in r[1:]))
    console.print(pt)
    ut = Table(
        title="Commercial operation, calendar year",
        title_justify="left",
        box=None,
        pad_edge=False,
        header_style="bold underline",
        caption=f">{res.until}: after the horizon, or never built; official: latest official "
        "date; P(off.): by that date",
        caption_justify="left",
    )
    for col in ("unit", "status", "plan", "official", "P(off.)", "P10", "P50", "P90", "built"):
        ut.add_column(col, justify="left" if col in ("unit", "status") else "right", no_wrap=True)
    uf = units_frame(res)
    for row in uf.itertuples():
        status = "cancelled" if row.cancelled else row.status
        years = (row.commercial_p10, row.commercial_p50, row.commercial_p90)
        ut.add_row(
            row.unit,
            status,
            row.planned,
            row.official[:7],
            f"{row.p_by_official:.0%}" if np.isfinite(row.p_by_official) else "",
            *(y.replace("after ", ">") for y in years),
            f"{row.p_built:.0%}",
        )
    console.print(ut)
    kt = Table(
        title="Unit costs if built: capital at commercial operation (bn US$), LCOE (US$/MWh)",
        title_justify="left",
        box=None,
        pad_edge=False,
        header_style="bold underline",
    )
    for col in ("unit", "capital mean", "P50 (P10-P90)", "LCOE mean", "P50 (P10-P90)"):
        kt.add_column(col, justify="left" if col == "unit" else "right", no_wrap=True)
    for row in uf.itertuples():
        if not np.isfinite(row.capital_busd_mean):
            continue
        kt.add_row(
            row.unit,
            f"{row.capital_busd_mean:,.1f}",
            f"{row.capital_busd_p50:,.1f} "
            f"({row.capital_busd_p10:,.1f}-{row.capital_busd_p90:,.1f})",
            f"{row.lcoe_usd_per_mwh_mean:,.0f}",
            f"{row.lcoe_usd_per_mwh_p50:,.0f} ({row.lcoe_usd_per_mwh_p10:,.0f}-"
            f"{row.lcoe_usd_per_mwh_p90:,.0f})",
        )
    console.print(kt)
    cf = cost_summary(res)
    ct = Table(
        title=f"Cost ({prog.cost.currency}; discount rate {prog.cost.discount_rate.si:.0%}, "
        f"interest during construction at {prog.cost.interest_rate.si:.0%})",
        title_justify="left",
        box=None,
        pad_edge=False,
        header_style="bold underline",
    )
    for c in ("quantity", "unit", "mean", "P10", "P50", "P90"):
        ct.add_column(c, justify="left" if c in ("quantity", "unit") else "right")
    for r in cf.itertuples():
        ct.add_row(r.quantity, r.unit, *(f"{getattr(r, k):,.1f}" for k in STATISTICS))
    console.print(ct)
    if res.adjustments.overridden:
        title = f" ({res.adjustments.title})" if res.adjustments.title else ""
        console.print(f"[bold]What-if{title}[/bold], from {res.what_if}:")
        for line in res.adjustments.overridden:
            console.print(f"  overridden: {line}", markup=False)
    console.print("Sources (every value with its source and confidence tag):", markup=False)
    console.print(f"  programme data:    {res.source}", markup=False, soft_wrap=True)
    for design in dict.fromkeys(u.design for u in prog.units):
        names = ", ".join(u.id for u in prog.units if u.design == design)
        console.print(
            f"  design ({names}):  nppsim designs show {design}", markup=False, soft_wrap=True
        )
    console.print(f"  reference classes: {data_path('README.md')}", markup=False, soft_wrap=True)
    console.print("  equations and assumptions: docs/programme.md", markup=False)


Source = Annotated[str, typer.Argument(help="Built-in programme name (see 'list') or a TOML file.")]
Samples = Annotated[int, typer.Option(help="Number of Monte Carlo samples (1-200000).")]
Until = Annotated[int, typer.Option(help="Last calendar year simulated.")]
Seed = Annotated[int, typer.Option(help="Random seed: same inputs and seed, same results.")]
WhatIf = Annotated[
    str | None,
    typer.Option("--what-if", help="Built-in what-if name (see 'list') or a what-if TOML file."),
]


def _overrides(
    displaced: str | None,
    unmet_share: float | None,
    discount_rate: float | None,
    interest_rate: float | None,
    tails_assay: float | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if displaced is not None:
        out["displaced.mode"] = displaced
    if unmet_share is not None:
        out["displaced.unmet_share.value"] = unmet_share
        out["displaced.unmet_share.unit"] = "1"
    if discount_rate is not None:
        out["cost.discount_rate.value"] = discount_rate
        out["cost.discount_rate.unit"] = "%"
    if interest_rate is not None:
        out["cost.interest_rate.value"] = interest_rate
        out["cost.interest_rate.unit"] = "%"
    if tails_assay is not None:
        out["fuel_cycle.tails_assay.value"] = tails_assay
        out["fuel_cycle.tails_assay.unit"] = "%"
    return out


@programme_app.command("run")
def run(
    source: Source = "iran",
    samples: Samples = 10000,
    until: Until = 2060,
    seed: Seed = 1,
    what_if: WhatIf = None,
    out: Annotated[
        Path | None, typer.Option(help="Output folder [default: runs/programme-<time>].")
    ] = None,
    displaced: Annotated[
        str | None,
        typer.Option(
            help="What nuclear output displaces: 'fleet' (average by year) or 'marginal' "
            "(combined-cycle gas) [default: the file's]."
        ),
    ] = None,
    unmet_share: Annotated[
        float | None,
        typer.Option(help="Share of nuclear output that serves otherwise unmet demand (0-1)."),
    ] = None,
    discount_rate: Annotated[
        float | None, typer.Option(help="Discount rate for the LCOE [%] (e.g. 7).")
    ] = None,
    interest_rate: Annotated[
        float | None, typer.Option(help="Interest rate during construction [%].")
    ] = None,
    tails_assay: Annotated[
        float | None, typer.Option(help="Enrichment tails assay [% U-235] (e.g. 0.25).")
    ] = None,
    excel: Annotated[bool, typer.Option(help="Also write programme.xlsx (all tables).")] = False,
    plots: Annotated[bool, typer.Option(help="Write the PNG plots.")] = True,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an earlier run's files in --out.")
    ] = False,
) -> None:
    """Simulate the programme: capacity, TWh, P(target), modes, cost, fuel, gas and CO2.

    Prints the probability of the official target, yearly mean and P10/P50/P90, the modes by
    go/no-go decision, capacity probabilities, unit dates with costs and programme costs; writes
    summary, units, samples, probabilities, modes and costs as CSV (and Parquet, optionally
    Excel), programme.json and plots into --out.
    """
    from nppsim.checks import check_output_dir, replace_into, staging_dir
    from nppsim.interrupt import EXIT_INTERRUPTED, Interruption

    console = Console()
    try:
        out_dir = out or Path("runs") / f"programme-{datetime.now():%Y%m%d-%H%M%S}"
        check_output_dir(out_dir, "--out", ("programme.json",), overwrite, "a programme run")
        ov = _overrides(displaced, unmet_share, discount_rate, interest_rate, tails_assay)
        case = load_programme(source, what_if, ov or None)
        with Interruption(soft=False) as intr:
            try:
                t0 = time.perf_counter()
                res = simulate(case, samples=samples, until=until, seed=seed)
                elapsed = time.perf_counter() - t0
            except KeyboardInterrupt:
                typer.echo(
                    "interrupted before the samples were complete: nothing written", err=True
                )
                raise SystemExit(EXIT_INTERRUPTED) from None
            intr.soft = True  # writing: a signal waits for complete files (renamed into place)
            stage = staging_dir(out_dir)
            staged = write_outputs(res, stage, plots=plots, excel=excel)
            replace_into(stage, out_dir, last=("programme.json",))
            paths = {k: out_dir / p.relative_to(stage) for k, p in staged.items()}
        if intr.requested:
            typer.echo(f"interrupted while writing; the files in {out_dir} are complete", err=True)
            raise SystemExit(EXIT_INTERRUPTED)
    except NppsimError as e:
        _fail(e)
    print_summary(res, console, elapsed)
    console.print(
        f"Wrote {', '.join(p.name for p in paths.values())} to {out_dir}",
        markup=False,
        soft_wrap=True,
    )


@programme_app.command("list")
def list_cmd() -> None:
    """List the built-in programmes and what-ifs by name (use them as SOURCE and --what-if)."""
    console = Console()
    t = Table(title="Programmes", title_justify="left", box=None, header_style="bold underline")
    t.add_column("name")
    t.add_column("title")
    t.add_column("status date")
    for name in list_programmes():
        try:
            info = load_programme(name).programme.programme
            t.add_row(name, info.title, info.status_date.isoformat())
        except NppsimError as e:
            t.add_row(name, f"(invalid: {e})", "")
    console.print(t)
    w = Table(title="What-ifs", title_justify="left", box=None, header_style="bold underline")
    w.add_column("name")
    w.add_column("title")
    for name, title in list_what_ifs().items():
        w.add_row(name, title)
    console.print(w)


@programme_app.command("compare")
def compare(
    source: Source = "iran",
    what_if: Annotated[
        list[str] | None,
        typer.Option("--what-if", help="What-if name or file; repeat to compare several."),
    ] = None,
    samples: Samples = 5000,
    until: Until = 2060,
    seed: Seed = 1,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("runs/programme-compare"),
) -> None:
    """Compare the base case with what-ifs: one figure (compare.png) and a table (compare.csv)."""
    import pandas as pd

    from .plots import plot_compare
    from .sensitivity import METRIC_LABELS, headline

    console = Console()
    try:
        results: dict[str, ProgrammeResult] = {
            "base": simulate(load_programme(source), samples, until, seed)
        }
        for w in what_if or []:
            case = load_programme(source, w)
            results[case.adjustments.title or Path(w).stem] = simulate(case, samples, until, seed)
    except NppsimError as e:
        _fail(e)
    out.mkdir(parents=True, exist_ok=True)
    rows = [{"case": k, **headline(r)} for k, r in results.items()]
    frame = pd.DataFrame(rows)
    frame.to_csv(out / "compare.csv", index=False)
    plot_compare(results, out / "compare.png")
    t = Table(title="Headline results", title_justify="left", box=None)
    t.add_column("case")
    for k in METRIC_LABELS:
        t.add_column(k, justify="right")
    for r in rows:
        t.add_row(str(r["case"]), *(f"{r[k]:,.3g}" for k in METRIC_LABELS))
    console.print(t)
    for k, v in METRIC_LABELS.items():
        console.print(f"  {k}: {v}", markup=False)
    console.print(f"Wrote compare.csv, compare.png to {out}", markup=False)


@programme_app.command("tornado")
def tornado_cmd(
    source: Source = "iran",
    what_if: WhatIf = None,
    samples: Samples = 2000,
    until: Until = 2060,
    seed: Seed = 1,
    metric: Annotated[
        str,
        typer.Option(
            help="Headline result for the chart: generation_end_mean, generation_cum_mean, "
            "capacity_target_mean, p_target, first_new_unit_p50, lcoe_mean, capital_mean."
        ),
    ] = "generation_end_mean",
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("runs/programme-tornado"),
) -> None:
    """Tornado: each estimated input (the file's sensitivity list) at its low and high value."""
    from .plots import plot_tornado
    from .sensitivity import METRIC_LABELS, tornado

    console = Console()
    if metric not in METRIC_LABELS:
        _fail(InputError(None, "metric", metric, f"one of {', '.join(METRIC_LABELS)}"))
    try:
        frame, base = tornado(source, what_if, samples, until, seed)
    except NppsimError as e:
        _fail(e)
    out.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out / "tornado.csv", index=False)
    plot_tornado(frame, metric, METRIC_LABELS[metric], base[metric], out / f"tornado-{metric}.png")
    t = Table(
        title=f"{METRIC_LABELS[metric]}: base {base[metric]:,.4g}",
        title_justify="left",
        box=None,
        header_style="bold underline",
    )
    for c in ("input", "low / high", "at low", "at high", "swing"):
        t.add_column(c, justify="left" if c == "input" else "right")
    frame = frame.assign(swing=(frame[f"{metric}_high"] - frame[f"{metric}_low"]).abs())
    for r in frame.sort_values("swing", ascending=False).itertuples():
        t.add_row(
            r.label,
            f"{r.low:g} / {r.high:g}",
            f"{getattr(r, metric + '_low'):,.4g}",
            f"{getattr(r, metric + '_high'):,.4g}",
            f"{r.swing:,.3g}",
        )
    console.print(t)
    console.print(f"Wrote tornado.csv, tornado-{metric}.png to {out}", markup=False)


@programme_app.command("refclass")
def refclass_cmd(
    sensitivity: Annotated[
        bool, typer.Option(help="Also run the programme with each group's fit (slower).")
    ] = False,
    samples: Samples = 2000,
    seed: Seed = 1,
) -> None:
    """Reference-class fits per group (refreshed to the latest updates) and their sensitivity."""
    from . import refclass
    from .sensitivity import group_sensitivity

    console = Console()
    for refresh in (False, True):
        tab = refclass.group_table(refresh)
        when = (
            f"refreshed (updates to {refclass.refreshed_until().isoformat()})"
            if refresh
            else f"as of {refclass.DATA_DATE.isoformat()}"
        )
        t = Table(title=f"Construction durations, {when}", title_justify="left", box=None)
        for c in ("group", "finished", "unfinished", "median yr", "sigma pred.", "P10", "P90"):
            t.add_column(c, justify="left" if c == "group" else "right")
        for r in tab.itertuples():
            t.add_row(
                r.group,
                str(r.finished),
                str(r.unfinished),
                f"{r.median_yr:.2f}",
                f"{r.sigma_predictive:.3f}",
                f"{r.p10_yr:.1f}",
                f"{r.p90_yr:.1f}",
            )
        console.print(t)
    if sensitivity:
        try:
            g = group_sensitivity(samples=samples, seed=seed)
        except NppsimError as e:
            _fail(e)
        t = Table(
            title="Programme results with construction-vver-export fitted to each group",
            title_justify="left",
            box=None,
        )
        for c in ("group", "median yr", "first unit P50", "gen. end mean TWh", "P(target)"):
            t.add_column(c, justify="left" if c == "group" else "right")
        for r in g.itertuples():
            t.add_row(
                r.group,
                f"{r.median_yr:.2f}",
                f"{r.first_new_unit_p50:.1f}",
                f"{r.generation_end_mean:.1f}",
                f"{r.p_target:.3f}",
            )
        console.print(t)


@programme_app.command("backtest")
def backtest_cmd(
    group: Annotated[
        str | None, typer.Option(help="One group's forecasts unit by unit (default: summary).")
    ] = None,
) -> None:
    """Forecast finished units' durations from what was known at their start; P10-P90 coverage."""
    from . import refclass

    console = Console()
    if group is not None and group not in refclass.GROUPS:
        _fail(InputError(None, "group", group, f"one of {', '.join(refclass.GROUPS)}"))
    if group is None:
        s = refclass.backtest_summary()
        t = Table(
            title="Backtest: share of finished units whose duration fell in the forecast band",
            title_justify="left",
            box=None,
        )
        for c in ("group", "forecasts", "inside P10-P90", "below P10", "above P90"):
            t.add_column(c, justify="left" if c == "group" else "right")
        for r in s.itertuples():
            t.add_row(
                r.group,
                str(r.forecasts),
                f"{r.inside_p10_p90:.0%}",
                f"{r.below_p10:.0%}",
                f"{r.above_p90:.0%}",
            )
        console.print(t)
        console.print("A calibrated forecast has 80 % inside, 10 % below and 10 % above.")
        return
    b = refclass.backtest(group)
    t = Table(title=f"Backtest, group {group}", title_justify="left", box=None)
    for c in ("unit", "start", "actual yr", "known done/unfinished", "P10", "P50", "P90", ""):
        t.add_column(c, justify="left" if c in ("unit", "start", "") else "right")
    for r in b.itertuples():
        t.add_row(
            r.name,
            r.start,
            f"{r.actual_yr:.1f}",
            f"{r.n_completed}/{r.n_censored}",
            f"{r.p10_yr:.1f}",
            f"{r.median_yr:.1f}",
            f"{r.p90_yr:.1f}",
            r.side,
        )
    console.print(t)


def programme(source: str = "iran", **kwargs: Any) -> None:
    """Backward-compatible entry: the ``run`` command as a plain function."""
    run(source, **kwargs)
