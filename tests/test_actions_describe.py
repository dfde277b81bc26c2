"""The action descriptions the control room builds its forms from carry every quantity's units,
optional quantities included (an optional turbine-load rate lost its units in the description,
and the page sent a bare number, which was refused)."""

from __future__ import annotations

from nppsim.actions import describe


def test_optional_quantities_keep_their_units_and_range():
    described = {a["kind"]: {f["name"]: f for f in a["fields"]} for a in describe()}
    rate = described["turbine_load"]["rate"]
    assert not rate["required"]
    assert rate["units"] == ["%/min", "%/s"]
    assert rate["display_unit"] == "%/min" and rate["max_si"] > 0.0


def test_every_field_with_a_range_has_units():
    for a in describe():
        for f in a["fields"]:
            if f["min_si"] is not None:
                assert f["units"], f"{a['kind']}.{f['name']}: a range but no units"


def test_a_model_is_offered_only_the_actions_its_design_can_take():
    """The control room's forms for the integral plant leave out what it has not got: active
    ECCS, a steam line that can break (once-through SGs), soluble boron."""
    from nppsim.designs import load_design
    from nppsim.validity import build_model

    kinds = {a["kind"] for a in describe(build_model(load_design("ritm200n"), "plant"))}
    assert "pump_trip" in kinds and "turbine_trip" in kinds
    assert not {"eccs_start", "steam_line_break", "boron", "feed_and_bleed"} & kinds
    vver = {a["kind"] for a in describe(build_model(load_design("vver1000-v446"), "plant"))}
    assert {"eccs_start", "steam_line_break", "boron", "feed_and_bleed"} <= vver
