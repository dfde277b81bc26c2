"""What-if files: override any assumption of a programme, and say what was overridden.

A what-if file is TOML::

    title = "All delays halved, small units cancelled"
    delay_factor = 0.5             # every unit not yet running
    cancel = ["smr"]               # unit ids, project ids or class names

    [units.hormoz-1]               # per unit (multiplies the global factor)
    delay_factor = 0.8
    [classes.vver-toi]             # per class
    delay_factor = 1.5
    [projects.karun]               # per project
    delay_factor = 2.0

    remove_suspensions = ["bushehr-2026-war"]      # suspension ids of the programme file

    [[suspensions]]                # add dated stops (same fields as in the programme file)
    id = "all-stop-2027"
    scope = ["programme"]
    start = 2027-01-01
    duration = "two-years"
    source = "what-if"
    confidence = "E"
    note = "A two-year stop of all construction."

    [distributions.two-years]      # add or replace distributions
    kind = "fixed"
    value = { value = 2, unit = "yr", source = "what-if", confidence = "E", note = "test" }

    [set]                          # any field of the programme file, by dotted path
    "displaced.mode" = "marginal"
    "projects.hormoz.p_proceed.value" = 1.0
    "units.bushehr-2.construction_start.date" = 2019-11-10
    "suspensions.bushehr-2026-war.start" = 2026-03-03

In a dotted path a list of tables (``units``, ``statements``, ``suspensions``) is indexed by
``id``. Additions, removals and ``[set]`` are applied to the file's data before validation, in that
order, so an override is checked like the original value.

A delay factor f changes a construction duration T with plan T_p (``planned_duration`` of the class)
to ``T_p + f (T - T_p)`` when T > T_p, and multiplies the waiting time before a planned unit's
construction start (the ``delay`` of ``construction_start.after``); f = 0.5 halves every delay.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nppsim.designs import format_validation_error, read_toml
from nppsim.errors import InputError

from .schema import Programme


class _Factor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    delay_factor: float = Field(1.0, ge=0.0, le=10.0)


class WhatIf(BaseModel):
    """A what-if file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = ""
    description: str = ""
    delay_factor: float = Field(1.0, ge=0.0, le=10.0)
    cancel: list[str] = []
    units: dict[str, _Factor] = {}
    classes: dict[str, _Factor] = {}
    projects: dict[str, _Factor] = {}
    suspensions: list[dict[str, Any]] = []
    remove_suspensions: list[str] = []
    distributions: dict[str, dict[str, Any]] = {}
    set: dict[str, Any] = {}


@dataclass(frozen=True)
class Adjustments:
    """What a what-if changes at run time (``[set]`` has already changed the data).

    Attributes
    ----------
    delay_factor : dict
        Unit id -> product of the global, project, class and unit delay factors.
    cancelled : frozenset of str
        Unit ids that never start.
    overridden : list of str
        One line per override, for the run's report.
    title : str
        The what-if's title.
    """

    delay_factor: dict[str, float] = field(default_factory=dict)
    cancelled: frozenset[str] = frozenset()
    overridden: list[str] = field(default_factory=list)
    title: str = ""

    def factor(self, uid: str) -> float:
        """Delay factor of a unit (1 if not adjusted)."""
        return self.delay_factor.get(uid, 1.0)


def read_what_if(path: Path) -> WhatIf:
    """Read and validate a what-if file."""
    data = read_toml(path)
    try:
        return WhatIf.model_validate(data)
    except ValidationError as e:
        f, v, msg = format_validation_error(e)
        raise InputError(path, f, v, msg) from None


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables to dotted paths: an inline table sets its fields one by one."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(_flatten(v, key))
        else:
            out[key] = v
    return out


def _fmt(v: Any) -> str:
    if isinstance(v, dict):
        return "{...}"
    return repr(v) if isinstance(v, str) else str(v)


def apply_set(
    data: dict[str, Any], sets: dict[str, Any], file: Path | str
) -> tuple[dict[str, Any], list[str]]:
    """Apply ``[set]`` overrides to programme data (a copy).

    Parameters
    ----------
    data : dict
        Programme data as read from TOML.
    sets : dict
        Dotted path -> new value (nested tables are flattened to dotted paths).
    file : path
        The what-if file, for error messages.

    Returns
    -------
    (dict, list of str)
        The changed copy and one line per override, ``path: old -> new``.
    """
    new = copy.deepcopy(data)
    lines = []
    for path, value in _flatten(sets).items():
        parts = path.split(".")
        node: Any = new
        trail = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            trail.append(part)
            if isinstance(node, list):
                match = [x for x in node if isinstance(x, dict) and x.get("id") == part]
                if not match and part.isdigit() and int(part) < len(node):
                    match = [node[int(part)]]
                if not match:
                    ids = [x.get("id") for x in node if isinstance(x, dict)]
                    raise InputError(
                        file,
                        f"set.{path}",
                        value,
                        f"no element {part!r} in {'.'.join(trail[:-1])}; ids: {ids}",
                    )
                if last:
                    raise InputError(file, f"set.{path}", value, "cannot replace a whole table")
                node = match[0]
            elif isinstance(node, dict):
                if last:
                    old = node.get(part, "<absent>")
                    if isinstance(old, dict | list):
                        raise InputError(
                            file,
                            f"set.{path}",
                            value,
                            "names a table; set its fields (e.g. .value)",
                        )
                    node[part] = value
                    lines.append(f"set {path}: {_fmt(old)} -> {_fmt(value)}")
                elif part not in node:
                    raise InputError(
                        file,
                        f"set.{path}",
                        value,
                        f"no field {'.'.join(trail)!r} in the programme file",
                    )
                else:
                    node = node[part]
            else:
                raise InputError(
                    file, f"set.{path}", value, f"{'.'.join(trail[:-1])!r} is a value, not a table"
                )
    return new, lines


def make_adjustments(prog: Programme, wi: WhatIf, file: Path | str) -> Adjustments:
    """Resolve cancellations and delay factors of a what-if against a programme."""
    ids = [u.id for u in prog.units]
    cancelled: set[str] = set()
    lines: list[str] = []
    for i, name in enumerate(wi.cancel):
        hit = [u.id for u in prog.units if name in (u.id, u.project, u.klass)]
        if not hit:
            raise InputError(
                file,
                f"cancel[{i}]",
                name,
                f"names no unit, project or class; units: {', '.join(ids)}",
            )
        cancelled.update(hit)
        closing = [uid for uid in hit if prog.unit(uid).status == "operating"]
        note = f" ({', '.join(closing)} closes at the status date)" if closing else ""
        lines.append(f"cancel {name}: {', '.join(hit)}{note}")
    for kind, table, attr in (
        ("units", wi.units, "id"),
        ("classes", wi.classes, "klass"),
        ("projects", wi.projects, "project"),
    ):
        known = {getattr(u, attr) for u in prog.units}
        for key in table:
            if key not in known:
                raise InputError(
                    file,
                    f"{kind}.{key}",
                    key,
                    f"no such {kind[:-1]}; known: {', '.join(sorted(known))}",
                )
    factors: dict[str, float] = {}
    if wi.delay_factor != 1.0:
        lines.append(f"delay_factor = {wi.delay_factor:g} (every unit not yet running)")
    for kind, table in (("units", wi.units), ("classes", wi.classes), ("projects", wi.projects)):
        for key, f in table.items():
            if f.delay_factor != 1.0:
                lines.append(f"{kind}.{key}.delay_factor = {f.delay_factor:g}")
    for u in prog.units:
        f = wi.delay_factor
        f *= wi.units.get(u.id, _Factor()).delay_factor
        f *= wi.classes.get(u.klass, _Factor()).delay_factor
        f *= wi.projects.get(u.project, _Factor()).delay_factor
        if f != 1.0:
            factors[u.id] = f
    return Adjustments(
        delay_factor=factors, cancelled=frozenset(cancelled), overridden=lines, title=wi.title
    )


def apply_additions(
    data: dict[str, Any], wi: WhatIf, file: Path | str
) -> tuple[dict[str, Any], list[str]]:
    """Add distributions and suspensions and remove suspensions (a copy of the data).

    Returns the changed copy and one line per change.
    """
    new = copy.deepcopy(data)
    lines: list[str] = []
    dists = new.setdefault("distributions", {})
    for name, d in wi.distributions.items():
        lines.append(f"{'replace' if name in dists else 'add'} distribution {name}")
        dists[name] = d
    susp = new.setdefault("suspensions", [])
    known = [s.get("id") for s in susp if isinstance(s, dict)]
    for i, sid in enumerate(wi.remove_suspensions):
        if sid not in known:
            raise InputError(
                file,
                f"remove_suspensions[{i}]",
                sid,
                f"no such suspension; defined: {', '.join(str(k) for k in known) or 'none'}",
            )
        lines.append(f"remove suspension {sid}")
    new["suspensions"] = [s for s in susp if s.get("id") not in wi.remove_suspensions]
    for s in wi.suspensions:
        lines.append(
            f"add suspension {s.get('id', '?')} ({', '.join(map(str, s.get('scope', [])))}"
            f" from {s.get('start', '?')})"
        )
        new["suspensions"].append(s)
    return new, lines
