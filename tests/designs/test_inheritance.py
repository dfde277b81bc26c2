"""Design inheritance: a derived design takes its parent's values by reference (one value, one
place), field by field, and says where each came from; bad inheritance is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from nppsim.designs import load_design
from nppsim.errors import InputError

V446 = "vver1000-v446"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(text)
    return p


CHILD = """
[design]
name = "{name}"
inherits = "{parent}"
title = "test child"
reactor_type = "PWR"

[rating]
power_electric_gross = {{ value = 1010, unit = "MW", source = "test", confidence = "S" }}
"""


def test_v528_takes_what_it_does_not_state_from_v446():
    v446, v528 = load_design(V446), load_design("vver1000-v528")
    # stated in V-528
    assert v528.rating.power_electric_gross.si == 1057e6
    assert v528.pumps.rated_flow.si == pytest.approx(22000 / 3600)
    assert v528.core.active_height.si == pytest.approx(3.68)
    # inherited, whole quantities (value, unit, source, confidence, note)
    assert v528.pressurizer.total_volume == v446.pressurizer.total_volume
    assert v528.kinetics.beta == v446.kinetics.beta
    assert v528.steam_generators.steam_flow == v446.steam_generators.steam_flow
    assert v528.inherited["pressurizer.total_volume"] == V446
    assert "rating.power_electric_gross" not in v528.inherited
    # [design] is the child's own, its sources merged with the parent's
    assert v528.design.name == "vver1000-v528" and v528.design.inherits == V446
    assert "KEEPIN" in v528.design.sources and "ASMOLOV" in v528.design.sources


def test_chains_and_named_arrays_record_each_values_origin():
    toi = load_design("vver-toi")
    banks = {b.name: b for b in toi.rods.banks}
    # the parent's order (groups 7 and 8 split out for URB, issue 8)
    assert [b.name for b in toi.rods.banks] == ["G10", "G9", "G8", "G7", "G1-G6"]
    assert banks["G1-G6"].worth.si == pytest.approx(0.066)  # stated in V-528
    assert banks["G10"].worth.si == pytest.approx(0.006)  # from V-446
    assert toi.inherited["rods.banks[G10].worth"] == V446
    assert toi.inherited["rods.banks[G1-G6].worth"] == "vver1000-v528"
    assert toi.inherited["rods.banks[G7].worth"] == V446
    assert toi.inherited["pumps.rated_flow"] == "vver1000-v528"
    assert toi.inherited["kinetics.beta"] == V446
    # the trip table: V-446's rows, then the row V-528 appends
    names = [t.name for t in toi.protection.trips]
    assert names[0] == "high_flux" and names[-1] == "phrs_actuation"
    assert toi.coolant.pressure.si == 16.2e6  # stated in VVER-TOI


def test_a_named_array_item_is_merged_field_by_field(tmp_path):
    text = (
        CHILD.format(name="child", parent=V446)
        + """
[[rods.banks]]
name = "G10"
worth = { value = 0.7, unit = "%", source = "test", confidence = "S" }

[[rods.banks]]
name = "G11"
worth = { value = 0.1, unit = "%", source = "test", confidence = "S" }
position_full_power = { value = 1.0, unit = "1", source = "test", confidence = "S" }
speed = { value = 0.005, unit = "1/s", source = "test", confidence = "S" }
"""
    )
    d = load_design(_write(tmp_path, "child", text))
    banks = {b.name: b for b in d.rods.banks}
    assert banks["G10"].worth.si == pytest.approx(0.007)
    assert banks["G10"].speed == load_design(V446).rods.banks[0].speed  # the rest inherited
    assert [b.name for b in d.rods.banks] == ["G10", "G9", "G8", "G7", "G1-G6", "G11"]


def test_a_relative_parent_path_and_overrides_keep_the_origins(tmp_path):
    _write(tmp_path, "mid", CHILD.format(name="mid", parent=V446))
    d = load_design(_write(tmp_path, "leaf", CHILD.format(name="leaf", parent="mid.toml")))
    assert d.rating.power_electric_gross.si == 1010e6
    assert d.inherited["core.active_height"] == V446
    d2 = d.with_overrides({"core.active_height": 3.6})
    assert d2.core.active_height.si == pytest.approx(3.6)
    assert "core.active_height" not in d2.inherited
    assert d2.inherited["core.rod_pitch"] == V446


@pytest.mark.parametrize(
    ("text", "field", "fragment"),
    [
        (CHILD.format(name="c", parent="rbmk-1000"), "design.inherits", "unknown parent design"),
        (
            CHILD.format(name="c", parent=V446).replace('title = "test child"\n', ""),
            "design.title",
            "own name and title",
        ),
        (
            CHILD.format(name="c", parent=V446)
            + "[coolant]\n"
            + 'pressure = { value = 40, unit = "MPa", source = "test", confidence = "S" }\n',
            "coolant.pressure",
            "allowed range",
        ),
        (
            CHILD.format(name="c", parent=V446) + "[core]\nactive_height = 3.5\n",
            "core.active_height",
            "",
        ),
    ],
    ids=["unknown-parent", "no-own-title", "bad-child-value", "not-a-quantity"],
)
def test_bad_inheritance_names_the_child_file_and_field(tmp_path, text, field, fragment):
    p = _write(tmp_path, "c", text)
    with pytest.raises(InputError) as exc:
        load_design(p)
    msg = str(exc.value)
    assert msg.startswith(str(p)), msg
    assert field in msg and fragment in msg


def test_an_inheritance_cycle_is_an_error_naming_the_chain(tmp_path):
    _write(tmp_path, "a", CHILD.format(name="a", parent="b.toml"))
    _write(tmp_path, "b", CHILD.format(name="b", parent="a.toml"))
    with pytest.raises(InputError, match=r"cycle: a -> b -> a"):
        load_design(tmp_path / "a.toml")


def test_an_inherited_value_that_fails_says_where_it_came_from(tmp_path):
    # a child whose own value makes an inherited cross-section check fail
    text = (
        CHILD.format(name="c", parent=V446)
        + """
[pressurizer]
total_volume = { value = 50, unit = "m3", source = "test", confidence = "S" }
"""
    )
    with pytest.raises(InputError, match=r"nominal_water_volume.*inherited from vver1000-v446"):
        load_design(_write(tmp_path, "c", text))


def test_one_field_of_a_nested_table_is_overridden_the_rest_inherited(tmp_path):
    """A child that states one field of ``[control.pressurizer]`` keeps the parent's others."""
    text = (
        CHILD.format(name="child", parent=V446)
        + """
[control.pressurizer]
heater_band = { value = 0.3, unit = "MPa", source = "test", confidence = "S" }
"""
    )
    d = load_design(_write(tmp_path, "child", text))
    parent = load_design(V446).control.pressurizer
    assert d.control.pressurizer.heater_band.si == pytest.approx(3e5)
    assert d.control.pressurizer.pressure_setpoint == parent.pressure_setpoint
    assert d.control.pressurizer.letdown_flow == parent.letdown_flow
    assert d.control.steam_generators == load_design(V446).control.steam_generators
