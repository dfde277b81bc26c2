"""The plant sections of Bushehr 1 (in vver1000-v446.toml) validate and hold together."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from nppsim.designs import load_design
from nppsim.designs.plant_sections import PlantSections, load_plant_sections
from nppsim.errors import InputError
from nppsim.physics import natural_circulation as nc
from nppsim.physics import pressurizer as pz
from nppsim.physics import pump
from nppsim.physics import steam_generator as sg
from nppsim.physics import turbine as tb

FILE = Path(pz.__file__).parents[1] / "designs" / "vver1000-v446.toml"


@pytest.fixture(scope="module")
def plant() -> PlantSections:
    return load_plant_sections(FILE)


def _quantities(table: dict, path: str = "") -> list[tuple[str, dict]]:
    out = []
    for key, value in table.items():
        if isinstance(value, dict) and "value" in value:
            out.append((f"{path}{key}", value))
        elif isinstance(value, dict):
            out.extend(_quantities(value, f"{path}{key}."))
    return out


def test_every_value_has_source_confidence_and_reason() -> None:
    raw = tomllib.loads(FILE.read_text())
    # the plant sections of the design file (the core sections follow the main file's rules)
    plant = {k: raw[k] for k in ("primary", "pumps", "pressurizer", "steam_generators", "turbine")}
    plant["protection"] = raw["protection"]
    plant["control"] = {
        k: v for k, v in raw["control"].items() if isinstance(v, dict) and "value" not in v
    }
    quantities = _quantities(plant)
    assert len(quantities) > 100
    for name, q in quantities:
        assert q["source"] and q["confidence"] in {"S", "S2", "D", "M", "E"}, name
        if q["confidence"] in {"D", "M", "E"}:
            assert len(q.get("note", "")) > 20, name


def test_counts_and_core_protection_agree_with_main_design(plant: PlantSections) -> None:
    assert plant.primary.loops == plant.pumps.count == plant.steam_generators.count == 4
    main = load_design("vver1000-v446")
    if main.protection is not None:  # the merged file must carry one [protection] table
        assert plant.protection.high_flux.si == main.protection.high_flux.si
        assert plant.protection.short_period.si == main.protection.short_period.si
    if main.coolant is not None:
        assert plant.primary.loop_flow.si * 4 == pytest.approx(main.coolant.mass_flow.si)


def test_pump_coastdown_time_constant(plant: PlantSections) -> None:
    r = plant.pumps.pump_rating()
    tau = pump.coastdown_time_constant(plant.pumps.inertia.si, r.speed, r.shaft_power)
    assert tau == pytest.approx(9.1, abs=0.1)  # the value the file's note states


def test_hydraulic_design_point_and_natural_circulation(plant: PlantSections) -> None:
    r, c = plant.pumps.pump_rating(), plant.pumps.pump_curves()
    m0 = plant.primary.loop_flow.si
    dp = float(pump.pump_pressure_rise(r.speed, m0, r.density, r, c))
    assert dp == pytest.approx(0.954 * r.pressure_rise, rel=1e-3)  # as the file's note says
    k_loop, k_vessel = pump.loop_resistances_from_design(
        m0, 4, dp, plant.primary.vessel_pressure_drop.si
    )
    assert k_loop > 0.0 and k_vessel > 0.0
    # Natural circulation at 2 % power through four idle pumps: a few per cent of rated flow.
    k_idle = c.head_locked_forward * r.pressure_rise / (r.density * r.flow) ** 2
    k_total = k_vessel + (k_loop + k_idle) / 16.0
    h_cold = tb.feedwater_enthalpy(plant.steam_generators.primary_outlet_temperature.si, 15.7e6)
    m_nc = nc.natural_circulation_flow(
        60e6, 15.7e6, h_cold, plant.primary.sg_thermal_centre_height.si, k_total
    )
    assert 0.02 < m_nc / (4 * m0) < 0.08


def test_steam_generator_design_point(plant: PlantSections) -> None:
    s = plant.steam_generators
    sat = pz.saturation_properties(s.steam_pressure.si)
    ua, m = sg.design_ua(
        s.thermal_power.si,
        s.primary_inlet_temperature.si,
        s.primary_outlet_temperature.si,
        15.7e6,
        sat.temperature,
        s.primary_nodes,
    )
    assert ua / s.heat_transfer_area.si == pytest.approx(6.4e3, rel=0.05)
    assert m == pytest.approx(plant.primary.loop_flow.si, rel=0.03)
    h_feed = tb.feedwater_enthalpy(s.feedwater_temperature.si, s.steam_pressure.si + 0.7e6)
    assert s.thermal_power.si / (sat.h_vapour - h_feed) == pytest.approx(s.steam_flow.si, rel=1e-3)
    geom = s.steam_generator_geometry()
    v_nom = sg.liquid_volume_at_level(s.nominal_level.si, geom)
    assert 40e3 < v_nom * sat.rho_liquid < 80e3  # tonnes of water in a PGV-1000M pool
    assert s.tube_mean_length == pytest.approx(11.06, abs=0.01)


def test_turbine_design_point(plant: PlantSections) -> None:
    t, s = plant.turbine, plant.steam_generators
    assert t.rated_steam_flow.si == pytest.approx(s.count * s.steam_flow.si, rel=1e-12)
    h_in = pz.saturation_properties(t.inlet_pressure.si).h_vapour
    eta = tb.design_turbine_efficiency(
        1000e6,
        t.generator_efficiency.si,
        t.rated_steam_flow.si,
        t.inlet_pressure.si,
        h_in,
        t.condenser_pressure.si,
    )
    assert 0.55 < eta < 0.70
    assert s.steam_pressure.si - s.steam_line_pressure_drop.si == pytest.approx(
        t.inlet_pressure.si, rel=1e-12
    )


def test_pressurizer_nominal_level_is_the_full_power_setpoint(plant: PlantSections) -> None:
    """The nominal water volume is the full-power level on the gauge (vessel with its heads)."""
    p = plant.pressurizer
    level = pz.level_vessel(
        p.nominal_water_volume.si, p.inner_diameter.si, p.head_depth.si, p.total_volume.si
    )
    assert level == pytest.approx(plant.control.pressurizer.level_setpoint_full_power.si, abs=0.01)
    area = math.pi * 2.25
    assert p.height == pytest.approx((79.0 - 4.0 / 3.0 * area * 0.75) / area + 1.5)


def _write_modified(tmp_path: Path, old: str, new: str) -> Path:
    text = FILE.read_text()
    assert old in text
    path = tmp_path / "bad.plant.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_out_of_range_value_names_the_field(tmp_path: Path) -> None:
    path = _write_modified(tmp_path, "inertia = { value = 4000,", "inertia = { value = 4e6,")
    with pytest.raises(InputError, match=r"pumps\.inertia"):
        load_plant_sections(path)


def test_inconsistent_loop_counts_are_refused(tmp_path: Path) -> None:
    path = _write_modified(tmp_path, "[pumps]\ncount = 4", "[pumps]\ncount = 3")
    with pytest.raises(InputError, match="loops"):
        load_plant_sections(path)


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    path = _write_modified(tmp_path, "[turbine]\n", "[turbine]\nspeed = 3000\n")
    with pytest.raises(InputError, match="speed"):
        load_plant_sections(path)


def test_control_valve_band_units(plant: PlantSections) -> None:
    assert plant.control.turbine.valve_rate_limit.si == pytest.approx(0.01)
    assert plant.control.turbine.mode == "pressure"
    assert np.isclose(plant.protection.turbine_trip_power_threshold.si, 0.75)
