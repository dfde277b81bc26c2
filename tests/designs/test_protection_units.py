"""Every row of every plant design's protection tables compares its signal with a setpoint of the
same kind of quantity: a setpoint in per cent against a signal in watts is 0.001 W, not 0.1 % of
the rating (the reverse-power row of the VVER-1000 designs had just that defect)."""

from __future__ import annotations

import pytest

from nppsim.designs import Quantity, list_designs, load_design
from nppsim.designs.plant_sections import plant_sections

#: the units a setpoint may be written in, by the SI unit of the signal it is compared with
COMPATIBLE: dict[str, set[str]] = {
    "1": {"1", "-", "%", "pcm", "number"},
    "Pa": {"Pa", "kPa", "MPa", "bar"},
    "K": {"K", "degC", "delta_K"},
    "W": {"W", "kW", "MW", "GW"},
    "m": {"m", "cm", "mm"},
    "1/s": {"1/s", "%/s"},
    "kg/s": {"kg/s", "t/h"},
}
#: a recorded column's unit from its name's suffix (nppsim's column convention)
SUFFIX = {"_pa": "Pa", "_k": "K", "_w": "W", "_m": "m", "_kg_s": "kg/s", "_relative": "1"}


def _plant_designs() -> list[str]:
    from nppsim.server.live import plant_available

    return [n for n in list_designs() if plant_available(load_design(n))]


def _signal_unit(net, name: str) -> str:
    kind, _ = net.lookup(name)
    assert kind == "signal", f"{name}: a {kind}, not a signal"
    for col, _, unit in net.columns():
        if col == name and unit:
            return unit
    if name in net.signals:
        return net.signals[name].unit
    for suffix, unit in SUFFIX.items():
        if name.endswith(suffix):
            return unit
    return "1"  # counts and flags (pumps_lost)


def _setpoint_unit(design, ref) -> str:
    if isinstance(ref, Quantity):
        return ref.unit
    if isinstance(ref, int | float):
        return "number"
    text = str(ref)
    inverse = text.startswith("1/")
    text = text[2:] if inverse else text
    node = design.protection if "." not in text else design
    for part in text.split("."):
        node = getattr(node, part)
    if not isinstance(node, Quantity):
        return "number"
    return f"1/{node.unit}" if inverse else node.unit


@pytest.mark.parametrize("name", _plant_designs())
def test_every_protection_row_compares_like_with_like(name):
    from nppsim.validity import build_model

    design = load_design(name)
    net = build_model(design, "plant").net
    pr = plant_sections(design).protection
    bad = []
    for table in ("trips", "power_reductions"):
        for row in getattr(pr, table):
            unit = _signal_unit(net, row.signal)
            assert unit in COMPATIBLE, f"{row.name}: signal unit {unit!r}: extend COMPATIBLE"
            given = _setpoint_unit(design, row.setpoint)
            if given not in COMPATIBLE[unit]:
                bad.append(f"{table}[{row.name}]: {row.signal} [{unit}] against {given!r}")
    assert not bad, bad
