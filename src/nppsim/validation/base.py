"""The outcome of one validation case, and the checks shared by the case kinds.

A case file is JSON with at least ``name``, ``kind``, ``source``, ``rtol`` and its expected values
(see ``cases/README.md``). A computed value passes when

.. math:: |c - e| \\le \\mathrm{atol} + \\mathrm{rtol}\\,|e|

with ``atol`` an optional field of the case (default 0). Every expected number of a case is
checked; the case passes when all of them do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nppsim.errors import InputError

__all__ = [
    "MISSING",
    "CaseOutcome",
    "ProductionOutcome",
    "Row",
    "check_rows",
    "get_field",
    "get_number",
    "get_numbers",
    "rel_error",
]

Row = tuple[str, float, float, float]
"""One checked value: (label, expected, computed, relative error)."""

MISSING = "<missing>"


@dataclass
class ProductionOutcome:
    """The same case run through the simulator's production path (the core component and the
    engine at their default settings), beside the stand-alone reference solver.

    Attributes
    ----------
    status : {"pass", "FAIL", "n/a"}
        ``n/a`` when the core component cannot represent the case (``note`` says why).
    rtol : float
        The tolerance the production path is held to (the one the engine meets, stated in
        ``docs/validation.md``), not the case's own.
    worst_rel_error : float or None
        Largest relative error over the compared values.
    rows : list of (label, expected, computed, rel_error)
        Every compared value.
    note : str
        How the case was set up (initial power, overrides) and what was not compared, or why
        the case is not representable.
    wall_s : float
        Wall time of the simulation [s] (building the model included).
    """

    status: str
    rtol: float
    worst_rel_error: float | None = None
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    wall_s: float = 0.0


@dataclass
class CaseOutcome:
    """Result of running one validation case.

    Attributes
    ----------
    name : str
        Case name (the file name when the file could not be read).
    kind : str
        Case kind, e.g. ``point_kinetics`` (``?`` when unknown).
    source : str
        Where the expected values come from.
    rtol : float or None
        Relative tolerance of the case (None when the file has none).
    passed : bool
        Whether every expected value was met.
    worst_rel_error : float or None
        Largest relative error over all expected values (None when nothing was computed).
    reason : str
        Why the case failed (empty when it passed).
    wall_s : float
        Wall time of the computation [s] (reading files and plots excluded).
    rows : list of (label, expected, computed, rel_error)
        Every checked value.
    plot : dict or None
        Curves for the report: ``{"title": str, "xlabel": str, "ylabel": str, "logx": bool,
        "logy": bool, "curves": [{"label": str, "x": [...], "y": [...], "style": "line" |
        "points"}]}``.
    file : str
        Path of the case file.
    atol : float
        Absolute tolerance of the case (0 unless the file gives ``atol``).
    production : ProductionOutcome or None
        The case through the production path (None for kinds that have none); a production
        failure fails the case.
    """

    name: str
    kind: str
    source: str
    rtol: float | None
    passed: bool
    worst_rel_error: float | None
    reason: str
    wall_s: float
    rows: list[Row] = field(default_factory=list)
    plot: dict[str, Any] | None = None
    file: str = ""
    atol: float = 0.0
    production: ProductionOutcome | None = None


def rel_error(expected: float, computed: float) -> float:
    """|computed - expected| / |expected| (absolute difference if expected is 0; inf if NaN)."""
    if not (math.isfinite(computed) and math.isfinite(expected)):
        return 0.0 if computed == expected else math.inf
    diff = abs(computed - expected)
    return diff / abs(expected) if expected != 0.0 else diff


def check_rows(rows: Sequence[Row], rtol: float, atol: float = 0.0) -> tuple[bool, float, str]:
    """Check every row against ``atol + rtol |expected|``.

    Returns
    -------
    (bool, float, str)
        Passed, worst relative error, and a reason naming the failing values (empty if passed).
    """
    if not rows:
        return False, math.nan, "no expected values to check"
    worst = max(r[3] for r in rows)
    bad = [
        r
        for r in rows
        if not (
            math.isfinite(r[2]) and abs(r[2] - r[1]) <= atol + rtol * abs(r[1])
        )  # NaN-safe: a NaN computed value fails
    ]
    if not bad:
        return True, worst, ""
    labels = ", ".join(f"{r[0]} (rel. error {r[3]:.2e})" for r in bad[:3])
    more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
    return False, worst, f"{len(bad)} of {len(rows)} values outside tolerance: {labels}{more}"


def get_field(data: dict[str, Any], dotted: str, file: Path | str) -> Any:
    """The value at a dotted path of a case, or :class:`~nppsim.errors.InputError` naming it."""
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise InputError(file, dotted, MISSING, "required field")
        node = node[part]
    return node


def get_number(
    data: dict[str, Any],
    dotted: str,
    file: Path | str,
    positive: bool = False,
    nonnegative: bool = False,
) -> float:
    """A finite number at a dotted path (checked), as float."""
    value = get_field(data, dotted, file)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(file, dotted, value, "a finite number")
    if positive and not value > 0:
        raise InputError(file, dotted, value, "a number > 0")
    if nonnegative and not value >= 0:
        raise InputError(file, dotted, value, "a number >= 0")
    return float(value)


def get_numbers(
    data: dict[str, Any], dotted: str, file: Path | str, positive: bool = False
) -> list[float]:
    """A non-empty list of finite numbers at a dotted path (checked)."""
    value = get_field(data, dotted, file)
    if not isinstance(value, list) or not value:
        raise InputError(file, dotted, value, "a non-empty list of numbers")
    out = []
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise InputError(file, f"{dotted}[{i}]", v, "a finite number")
        if positive and not v > 0:
            raise InputError(file, f"{dotted}[{i}]", v, "a number > 0")
        out.append(float(v))
    return out
