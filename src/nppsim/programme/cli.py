"""``nppsim programme``: run the programme model and report it.

The lead wires the command into the app with ``app.command("programme")(programme)``.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from nppsim.errors import InputError, NppsimError

from .load import load_programme
from .model import ProgrammeResult, simulate
from .refclass import data_path
from .results import QUANTILES, sample_table, units_frame, write_outputs

_MILESTONES = (2030, 2035, 2040, 2045, 2050, 2055, 2060)


def _cell(arr: np.ndarray, scale: float = 1.0, digits: int = 1) -> str:
    """P50 (P10-P90) of samples, scaled."""
    p10, p50, p90 = np.quantile(arr, list(QUANTILES.values())) * scale
    return f"{p50:,.{digits}f} ({p10:,.{digits}f}-{p90:,.{digits}f})"


def milestone_years(res: ProgrammeResult) -> list[int]:
    """Years shown in the summary: the first modelled year, every fifth year, the horizon."""
    first = res.recorded_until + 1
    ys = [first] + [y for y in _MILESTONES if first < y <= res.until]
    if res.until not in ys:
        ys.append(res.until)
    return ys


def print_summary(res: ProgrammeResult, console: Console, elapsed: float | None = None) -> None:
    """Print the milestone table, the cumulative totals, the units table and where sources are."""
    prog = res.programme
    info = prog.programme
    tab = sample_table(res)
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
        caption="quantiles per year and column (marginal)",
        caption_justify="left",
    )
    for col in ("year", "", "capacity MWe", "TWh", "share %", "gas bcm", "CO2 Mt", "fuel tHM"):
        t.add_column(col, justify="right", no_wrap=True)
    columns = (
        ("capacity_mwe", 1.0, 0),
        ("generation_twh", 1.0, 1),
        ("share_of_demand", 100.0, 2),
        ("gas_saved_bcm", 1.0, 2),
        ("co2_avoided_mt", 1.0, 1),
        ("fuel_t", 1.0, 0),
    )
    q = list(QUANTILES.values())
    for y in milestone_years(res):
        i = int(y - res.years[0])
        values = [np.quantile(tab[name][:, i], q) * scale for name, scale, _ in columns]
        for j, qname in enumerate(QUANTILES):
            style = "bold" if qname == "p50" else None
            t.add_row(
                str(y) if j == 1 else "",
                qname.upper(),
                *(f"{v[j]:,.{d}f}" for v, (_, _, d) in zip(values, columns, strict=True)),
                style=style,
                end_section=j == len(QUANTILES) - 1,
            )
    console.print(t)
    y0 = int(res.years[0])
    gen_cum = _cell(tab["generation_cum_twh"][:, -1], digits=0)
    console.print(
        f"Cumulative {y0}-{res.until}: generation {gen_cum}"
        f" TWh, gas saved {_cell(tab['gas_saved_cum_bcm'][:, -1])} bcm, CO2 avoided "
        f"{_cell(tab['co2_avoided_cum_mt'][:, -1], digits=0)} Mt "
        f"(displacing gas-fired generation at eta = {res.efficiency:.2f})."
    )
    ut = Table(
        title="Commercial operation, calendar year",
        title_justify="left",
        box=None,
        pad_edge=False,
        header_style="bold underline",
        caption=f">{res.until}: after the horizon, or never built",
        caption_justify="left",
    )
    for col in ("unit", "design", "status", "plan", "P10", "P50", "P90", f"by {res.until}"):
        ut.add_column(
            col, justify="left" if col in ("unit", "design", "status") else "right", no_wrap=True
        )
    for row in units_frame(res).itertuples():
        status = "cancelled" if row.cancelled else row.status
        years = (row.commercial_p10, row.commercial_p50, row.commercial_p90)
        ut.add_row(
            row.unit,
            row.design,
            status,
            row.planned,
            *(y.replace("after ", ">") for y in years),
            f"{row.p_by_until:.0%}",
        )
    console.print(ut)
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


def _message(e: NppsimError) -> str:
    """The error's one-line message; a command-line value is named by its option."""
    if isinstance(e, InputError) and e.file == "<python>":
        name = "source" if e.field == "programme" else f"--{e.field}"
        return f"{name} = {e.value!r}: {e.allowed}"
    return str(e)


def programme(
    source: Annotated[
        str, typer.Argument(help="Built-in programme name or a programme TOML file.")
    ] = "iran",
    samples: Annotated[int, typer.Option(help="Number of Monte Carlo samples.")] = 10000,
    until: Annotated[int, typer.Option(help="Last calendar year simulated.")] = 2060,
    seed: Annotated[int, typer.Option(help="Random seed (runs are reproducible).")] = 1,
    out: Annotated[
        Path | None, typer.Option(help="Output folder [default: runs/programme-<time>].")
    ] = None,
    what_if: Annotated[
        Path | None, typer.Option("--what-if", help="What-if TOML file of overrides.")
    ] = None,
) -> None:
    """Simulate a nuclear power programme over decades: capacity, TWh, gas and CO2, with P10-P90."""
    console = Console()
    try:
        case = load_programme(source, what_if)
        t0 = time.perf_counter()
        res = simulate(case, samples=samples, until=until, seed=seed)
        elapsed = time.perf_counter() - t0
        out_dir = out or Path("runs") / f"programme-{datetime.now():%Y%m%d-%H%M%S}"
        paths = write_outputs(res, out_dir)
    except NppsimError as e:
        typer.echo(f"error: {_message(e)}", err=True)
        # SystemExit, not typer.Exit: it ends the process with 2 also when the app runs with
        # standalone_mode=False (click would return typer.Exit's code instead of exiting).
        raise SystemExit(2) from None
    print_summary(res, console, elapsed)
    console.print(
        f"Wrote {', '.join(p.name for p in paths.values())} to {out_dir}",
        markup=False,
        soft_wrap=True,
    )
