"""Where a study's parameters go: dotted paths into a design or a scenario.

A design parameter becomes an override of :meth:`nppsim.designs.Design.with_overrides` (SI). A
scenario parameter edits a copy of the scenario file's content (``scenario.raw``) and parses it
again with :func:`nppsim.scenarios.parse_scenario`, so the value is checked like one written in
the file: ``initial.power`` set to 60 in ``%`` is written ``"60.0 %"``.

Paths are dotted; list items are addressed by index or by their ``name`` (``events[0].time``,
``events[withdraw G10].time``, ``rods.banks[G10].speed``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from nppsim.designs import Bounds, Design, Quantity
from nppsim.scenarios import Scenario, parse_scenario
from nppsim.studies.distributions import FieldError

if TYPE_CHECKING:
    from nppsim.studies.schema import ParameterDef


def split_path(path: str) -> list[str | tuple[str]]:
    """``"events[withdraw G10].time"`` -> ``["events", ("withdraw G10",), "time"]``."""
    parts: list[str | tuple[str]] = []
    for piece in path.split("."):
        while "[" in piece:
            head, _, rest = piece.partition("[")
            if head:
                parts.append(head)
            key, sep, piece = rest.partition("]")
            if not sep:
                raise FieldError("path", path, "an unclosed [ in the path")
            parts.append((key,))
        if piece:
            parts.append(piece)
        elif not parts:
            raise FieldError("path", path, "an empty path")
    return parts


def _item(node: list[Any], key: str, path: str) -> int:
    if key.lstrip("-").isdigit():
        idx = int(key)
        if not -len(node) <= idx < len(node):
            raise FieldError("path", path, f"index {idx} out of range (0 to {len(node) - 1})")
        return idx
    names = [x.get("name") if isinstance(x, dict) else getattr(x, "name", None) for x in node]
    if key not in names:
        raise FieldError("path", path, f"no item named {key!r} (names: {names})")
    return names.index(key)


@dataclass(frozen=True)
class DesignField:
    """A design quantity found by path: its unit in the file and its allowed SI range."""

    unit: str
    value: float
    bounds: tuple[float, float, str] | None


def design_field(design: Design, path: str) -> DesignField:
    """The scalar quantity of ``design`` at dotted ``path`` (raises FieldError if none)."""
    node: Any = design
    info: Any = None
    for part in split_path(path):
        if isinstance(part, tuple):
            if not isinstance(node, list):
                raise FieldError("path", path, f"{part[0]!r}: this is not a list")
            node = node[_item(node, part[0], path)]
            info = None
            continue
        if not isinstance(node, BaseModel) or part not in type(node).model_fields:
            known = ", ".join(type(node).model_fields) if isinstance(node, BaseModel) else "(none)"
            raise FieldError("path", path, f"no field {part!r} here (fields: {known})")
        info = type(node).model_fields[part]
        node = getattr(node, part)
        if node is None:
            raise FieldError("path", path, f"{part!r} is not in this design")
    if not isinstance(node, Quantity):
        raise FieldError("path", path, "not a quantity (a value with a unit) of the design")
    if isinstance(node.value, list):
        raise FieldError("path", path, "a list of values: a study varies single values")
    bounds = None
    if info is not None:
        b = next((m for m in info.metadata if isinstance(m, Bounds)), None)
        if b is not None:
            bounds = (b.lo, b.hi, b.unit)
    return DesignField(node.unit, float(node.value), bounds)


def _walk(raw: dict[str, Any], path: str, create: bool) -> tuple[Any, str | int]:
    """Parent container and key of ``path`` in a scenario dict."""
    parts = split_path(path)
    node: Any = raw
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if isinstance(part, tuple):
            if not isinstance(node, list):
                raise FieldError("path", path, f"{part[0]!r}: this is not a list")
            idx = _item(node, part[0], path)
            if last:
                raise FieldError("path", path, "give a field of the list item")
            node = node[idx]
            continue
        if not isinstance(node, dict):
            raise FieldError("path", path, f"{part!r}: not a table")
        if last:
            if part not in node and not create:
                raise FieldError("path", path, f"no field {part!r} (fields: {', '.join(node)})")
            return node, part
        if part not in node:
            raise FieldError("path", path, f"no table {part!r} (tables: {', '.join(node)})")
        node = node[part]
    raise FieldError("path", path, "an empty path")


def check_scenario_path(scenario: Scenario, path: str, unit: str) -> None:
    """Check that ``path`` addresses a value of the scenario file (or a field a table may have)."""
    parent, key = _walk(copy.deepcopy(scenario.raw), path, create=True)
    old = parent.get(key) if isinstance(parent, dict) else None
    if isinstance(old, dict | list):
        raise FieldError("path", path, "a table or list, not a value")
    if isinstance(old, bool):
        raise FieldError("path", path, "a true/false switch, not a number")
    if isinstance(old, int | float) and unit not in ("1", "-"):
        raise FieldError("path", path, "a plain number in the scenario file: use unit = '1'")


def _text(value: float, unit: str, old: Any) -> Any:
    """The value as the scenario file would hold it."""
    if isinstance(old, int) and not isinstance(old, bool) and float(value).is_integer():
        return int(value)
    if isinstance(old, int | float) and not isinstance(old, bool):
        return float(value)
    return f"{float(value)!r} {unit}"


def apply_scenario(base: Scenario, values: list[tuple[ParameterDef, float]]) -> Scenario:
    """The scenario with scenario parameters set (values in their units), parsed and checked."""
    if not values:
        return base
    raw = copy.deepcopy(base.raw)
    for p, v in values:
        parent, key = _walk(raw, p.path, create=True)
        parent[key] = _text(v, p.unit, parent.get(key))
    return parse_scenario(raw, base.path or None)
