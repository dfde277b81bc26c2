"""``nppsim site``: list sites, show one, run a scenario on every unit of a site together."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

site_app = typer.Typer(
    help="Sites: several units of one plant on one clock (Bushehr 1-3, Hormoz 1-4).",
    no_args_is_help=True,
)
console = Console()
#: files that show a folder holds an earlier site run's results
SITE_FILES = ("site.parquet", "site.json", "site.png")
err_console = Console(stderr=True)


def _fmt(s: float) -> str:
    if s >= 3600 and s % 3600 == 0:
        return f"{s / 3600:g} h"
    if s >= 60 and s % 60 == 0:
        return f"{s / 60:g} min"
    return f"{s:g} s"


@site_app.command("list")
def site_list() -> None:
    """List the built-in sites and site scenarios."""
    from nppsim.designs import load_design
    from nppsim.sites import list_site_scenarios, list_sites, load_site, load_site_scenario

    table = Table(show_header=True, header_style="bold")
    for col in ("site", "title", "units", "gross [MWe]"):
        table.add_column(col)
    for name in list_sites():
        s = load_site(name)
        total = sum(load_design(u.design).rating.power_electric_gross.si for u in s.units) / 1e6
        units = ", ".join(f"{u.name} ({u.design})" for u in s.units)
        table.add_row(name, escape(s.site.title), escape(units), f"{total:g}")
    console.print(table)
    table = Table(show_header=True, header_style="bold")
    for col in ("site scenario", "duration", "what happens"):
        table.add_column(col)
    for name in list_site_scenarios():
        sc = load_site_scenario(name)
        table.add_row(name, _fmt(sc.duration), escape(sc.title))
    console.print(table)
    console.print(
        "Any built-in unit scenario (nppsim scenarios) also runs on a site: on every unit."
    )


@site_app.command("show")
def site_show(name: str = typer.Argument(..., help="site name or TOML file")) -> None:
    """Show a site: its units, their designs and ratings, with sources."""
    from nppsim.designs import load_design
    from nppsim.sites import load_site

    s = load_site(name)
    console.print(f"[bold]{escape(s.site.title)}[/bold] ({s.name})  {escape(s.site.location)}")
    console.print(escape(s.site.description))
    for k, v in s.site.sources.items():
        console.print(f"  [dim]{escape(k)}[/dim] = {escape(v)}")
    table = Table(show_header=True, header_style="bold")
    for col in ("unit", "design", "status", "thermal [MW]", "gross [MWe]", "source / note"):
        table.add_column(col, overflow="fold")
    for u in s.units:
        r = load_design(u.design).rating
        table.add_row(
            u.name,
            u.design,
            u.status,
            f"{r.power_thermal.si / 1e6:g}",
            f"{r.power_electric_gross.si / 1e6:g}",
            escape(" — ".join(x for x in (u.source, u.note) if x)),
        )
    console.print(table)


@site_app.command("run")
def site_run(
    site: str = typer.Argument(..., help="site name (bushehr, hormoz) or TOML file"),
    scenario: str = typer.Argument(
        ..., help="site scenario (nppsim site list) or unit scenario, by name or TOML file"
    ),
    out: Path | None = typer.Option(
        None, "--out", help="output folder (default runs/site-<site>-<scenario>-<timestamp>/)"
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="replace the results of an earlier site run in --out"
    ),
) -> None:
    """Run every unit of a site through a scenario on one clock; write site.parquet (long form,
    with the site totals), site.json, site.png and each unit's results and overview.png."""
    from nppsim.checks import check_output_dir
    from nppsim.sites import load_site, load_site_scenario
    from nppsim.sites.run import check_site_scenario, run_site, write_site

    # the output folder first: nothing is computed for a run whose results cannot be kept
    if out is not None:
        check_output_dir(out, "--out", SITE_FILES, overwrite, "a site run")
    s = load_site(site)
    sc = load_site_scenario(scenario)
    check_site_scenario(s, sc)
    if out is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out = Path("runs") / f"site-{s.name}-{sc.name}-{stamp}"
        check_output_dir(out, "--out", SITE_FILES, overwrite, "a site run")
    console.print(
        f"[bold]{escape(sc.title)}[/bold]  ({sc.name}, site {s.name}: "
        f"{len(s.units)} units, {_fmt(sc.duration)})"
    )
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[t]}"),
        TimeElapsedColumn(),
        console=console,
    ) as prog:
        task = prog.add_task("simulating the site", total=sc.duration, t="")

        def progress(t: float) -> None:
            prog.update(task, completed=t, t=f"t = {_fmt(round(t))}")

        res = run_site(s, sc, progress=progress)
    paths = write_site(res, out)
    tot = res.totals()
    table = Table(title="site totals", show_header=True, header_style="bold")
    for col in ("quantity", "start", "min", "end"):
        table.add_column(col, justify="right")
    for col, label in [
        ("power_electric_w", "electric, gross [MW]"),
        ("power_electric_net_w", "electric, net [MW]"),
        ("power_thermal_w", "thermal [MW]"),
        ("power_decay_w", "decay heat [MW]"),
    ]:
        v = tot[col].to_numpy() / 1e6
        table.add_row(label, f"{v[0]:.1f}", f"{min(v):.1f}", f"{v[-1]:.1f}")
    console.print(table)
    for u in res.units:
        trips = [e for e in u.sim.log if e["kind"] == "trip"]
        first = f"trip {trips[0]['name']} at {trips[0]['time_s']:.1f} s" if trips else "no trip"
        console.print(f"  {u.name} ({u.design.name}): {u.status}, {first}")
    console.print(f"wall time {res.wall_s:.1f} s")
    for k, p in paths.items():
        console.print(f"  {k}: {p}")
    if res.status != "completed":
        err_console.print("error: a unit stopped early (see site.json); results were written")
        raise typer.Exit(1)
