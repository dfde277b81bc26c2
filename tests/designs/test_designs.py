"""Design files: every value sourced, units converted once, bad values named clearly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from nppsim.designs import Quantity, list_designs, load_design, parse_design
from nppsim.errors import InputError


def _quantities(model, path=""):
    from pydantic import BaseModel

    for name in type(model).model_fields:
        v = getattr(model, name)
        p = f"{path}.{name}" if path else name
        if isinstance(v, Quantity):
            yield p, v
        elif isinstance(v, BaseModel):
            yield from _quantities(v, p)
        elif isinstance(v, list):
            for i, item in enumerate(v):
                if isinstance(item, BaseModel):
                    yield from _quantities(item, f"{p}[{i}]")


@pytest.mark.parametrize("name", list_designs())
def test_every_value_has_source_and_confidence(name):
    d = load_design(name)
    qs = list(_quantities(d))
    assert qs
    for path, q in qs:
        assert q.source.strip(), path
        if q.confidence in ("M", "E", "D"):
            assert q.note and len(q.note) > 10, f"{name}: {path} is an estimate without a reason"


def test_units_are_converted_to_si(v446):
    assert v446.rating.power_thermal.si == 3000e6
    assert v446.coolant.inlet_temperature.si == pytest.approx(289 + 273.15)
    assert v446.coolant.pressure.si == 15.7e6
    assert v446.reactivity.doppler_coefficient.si == pytest.approx(-2.5e-5)
    assert v446.poisons.xenon_cross_section.si == pytest.approx(2.65e6 * 1e-28)
    assert v446.rating.design_life.si == pytest.approx(30 * 365.25 * 86400)


def _raw() -> dict:
    path = Path(load_design("vver1000-v446").path)
    with open(path, "rb") as f:
        return tomllib.load(f)


@pytest.mark.parametrize(
    ("mutate", "field", "fragment"),
    [
        (
            lambda r: r["rating"]["power_thermal"].update(unit="horsepower"),
            "rating.power_thermal.unit",
            "unknown unit",
        ),
        (
            lambda r: r["rating"]["power_thermal"].pop("source"),
            "rating.power_thermal.source",
            "missing",
        ),
        (lambda r: r["core"]["gap_conductance"].pop("note"), "core.gap_conductance", "note"),
        (
            lambda r: r["coolant"]["pressure"].update(value=40.0),
            "coolant.pressure",
            "allowed range",
        ),
        (lambda r: r["kinetics"]["beta"].update(value=[0.001, 0.002]), "kinetics", "groups"),
        (lambda r: r["rods"].update(regulating_banks=["G99"]), "rods", "G99"),
    ],
    ids=[
        "unknown-unit",
        "no-source",
        "estimate-without-note",
        "out-of-range",
        "groups-mismatch",
        "unknown-regulating-bank",
    ],
)
def test_bad_design_values_name_field_and_value(mutate, field, fragment):
    raw = _raw()
    mutate(raw)
    with pytest.raises(InputError) as exc:
        parse_design(raw, "my-design.toml")
    msg = str(exc.value)
    assert msg.startswith("my-design.toml: ")
    assert field in msg
    assert fragment in msg


def test_unknown_design_lists_the_known_ones():
    with pytest.raises(InputError, match="vver1000-v446"):
        load_design("rbmk-1000")
