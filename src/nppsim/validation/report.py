"""Markdown report of validation outcomes, with one PNG plot per case.

Matplotlib is used through its Agg canvas directly (no pyplot, no global backend switch), so the
report can be written from any process, with or without a display.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nppsim.validation.base import CaseOutcome, ProductionOutcome

__all__ = ["format_error", "production_cell", "write_report"]


def format_error(value: float | None) -> str:
    """Relative error for tables: ``1.2e-09``, ``inf``, or ``-`` when none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if math.isinf(value):
        return "inf"
    return f"{value:.1e}"


def production_cell(p: ProductionOutcome | None) -> str:
    """The production path's result for tables: ``3.1e-05 (tol 1e-03)``, ``n/a`` or ``-``."""
    if p is None:
        return "-"
    if p.status == "n/a":
        return "n/a"
    text = f"{format_error(p.worst_rel_error)} (tol {p.rtol:.0e})"
    return text if p.status == "pass" else f"{text} FAIL"


def _md(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _file_stem(name: str, used: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._+-]+", "_", name).strip("._") or "case"
    candidate, k = stem, 2
    while candidate in used:
        candidate = f"{stem}_{k}"
        k += 1
    used.add(candidate)
    return candidate


def _plot(plot: dict[str, Any], path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.0, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for curve in plot.get("curves", []):
        if curve.get("style") == "points":
            ax.plot(curve["x"], curve["y"], "o", mfc="none", label=curve.get("label"))
        else:
            ax.plot(curve["x"], curve["y"], "-", lw=1.5, label=curve.get("label"))
    if plot.get("logx"):
        ax.set_xscale("log")
    if plot.get("logy"):
        ax.set_yscale("log")
    ax.set_xlabel(plot.get("xlabel", ""))
    ax.set_ylabel(plot.get("ylabel", ""))
    ax.set_title(plot.get("title", ""), fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    fig.savefig(path, dpi=100)


def write_report(outcomes: Sequence[CaseOutcome], folder: Path | str) -> Path:
    """Write ``report.md`` and a PNG per case with a plot into ``folder`` (created if needed).

    Parameters
    ----------
    outcomes : sequence of CaseOutcome
        As returned by :func:`nppsim.validation.runner.run_cases`.
    folder : path
        Output folder.

    Returns
    -------
    Path
        The path of ``report.md``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    passed = sum(o.passed for o in outcomes)
    lines = [
        "# nppsim validation report",
        "",
        f"{passed} passed, {len(outcomes) - passed} failed.",
        "",
        "Exact solver: the stand-alone reference solver, held to the case's tolerance. "
        "Production path: the core component and the engine at their default settings, held "
        "to the tolerance the engine meets (docs/validation.md); n/a where the core component "
        "cannot represent the case.",
        "",
        "| case | kind | exact solver error | tolerance | wall [ms] | production path error "
        "| result | reason |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        rtol = "-" if o.rtol is None else f"{o.rtol:g}" + (f" + {o.atol:g} abs" * bool(o.atol))
        lines.append(
            f"| {_md(o.name)} | {_md(o.kind)} | {format_error(o.worst_rel_error)} | {rtol} | "
            f"{o.wall_s * 1e3:.1f} | {production_cell(o.production)} | "
            f"{'pass' if o.passed else 'FAIL'} | {_md(o.reason)} |"
        )
    used: set[str] = set()
    for o in outcomes:
        lines += ["", f"## {o.name}", ""]
        lines.append(
            f"- result: {'pass' if o.passed else 'FAIL'}" + (f" ({o.reason})" * bool(o.reason))
        )
        lines.append(f"- kind: {o.kind}; file: `{o.file}`")
        lines.append(f"- source: {o.source or '-'}")
        if o.rows:
            lines += ["", "| value | expected | computed | relative error |", "|---|---|---|---|"]
            for label, expected, computed, err in o.rows:
                lines.append(
                    f"| {_md(label)} | {expected:.12g} | {computed:.12g} | {format_error(err)} |"
                )
        pr = o.production
        if pr is not None:
            lines += ["", f"Production path: {production_cell(pr)}; {_md(pr.note)}"]
            if pr.rows:
                lines += [
                    "",
                    "| value | expected | production path | relative error |",
                    "|---|---|---|---|",
                ]
                for label, expected, computed, err in pr.rows:
                    lines.append(
                        f"| {_md(label)} | {expected:.12g} | {computed:.12g} | "
                        f"{format_error(err)} |"
                    )
        if o.plot:
            stem = _file_stem(o.name, used)
            try:
                _plot(o.plot, folder / f"{stem}.png")
            except Exception as e:  # a plot problem must not lose the report
                lines += ["", f"(plot failed: {_md(e)})"]
            else:
                lines += ["", f"![{_md(o.name)}]({stem}.png)"]
    path = folder / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
