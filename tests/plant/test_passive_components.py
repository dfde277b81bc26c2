"""Passive components of the AES-92 family (issue 9) against closed forms outside the model.

- the second-stage hydro-accumulators (HA-2): integrating the component's own injection law with
  SciPy from full tanks, the time to deliver 99 % of the water equals the sum over the stages of
  stage inventory / stage flow (the staged throttling is meant to make the water last about a
  day); the check valves are shut above the opening pressure;
- the passive heat removal train: its heat law against Q_d ((T_sat - T_air) / (T_sat,d -
  T_air))^n with saturation temperatures from CoolProp (IAPWS-95), and its gate regulation.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from nppsim.designs import load_design
from nppsim.plant import passive
from nppsim.plant.components import passive_heat_removal as phrs
from nppsim.plant.components import second_stage_accumulators as ha2

CoolProp = pytest.importorskip("CoolProp.CoolProp")


def _ha2_data():
    d = load_design("vver1000-v528")
    comp = passive.second_stage_accumulators(d, node=("n.h", "n.h", "n.rho", 1.0), makeup="m")
    assert comp is not None
    return d.passive_safety.second_stage_accumulators, np.asarray(comp.data, dtype=float)


def _injection(data: np.ndarray, mass: float, press: float) -> float:
    F = ha2.F
    ip = np.zeros(len(F), dtype=np.int64)  # every field at index 0 of its array
    y = np.array([mass])
    d = np.array([1.0])  # available
    w = np.array([press])
    return float(ha2.injection.py_func(0.0, y, data, ip, d, w, 0))


def test_ha2_stages_last_as_their_inventories_over_their_flows():
    acc, data = _ha2_data()
    m0 = data[ha2.A_MASS0]
    fr, fl = acc.stage_fractions.si_list, acc.stage_flows.si_list
    p_low = acc.opening_pressure.si - 2.0 * acc.pressure_band.si  # valves fully open

    def rhs(t, m):
        return [-_injection(data, m[0], p_low)]

    def used_99(t, m):
        return m[0] - 0.01 * m0

    used_99.terminal = True
    sol = solve_ivp(rhs, (0.0, 3e5), [m0], events=used_99, rtol=1e-8, max_step=200.0)
    t99 = sol.t_events[0][0]
    # the closed form: stage k holds fr[k] M0 and empties at fl[k]; 99 % ends in the last stage
    closed = sum(f * m0 / q for f, q in zip(fr[:-1], fl[:-1], strict=True))
    closed += (0.99 - sum(fr[:-1])) * m0 / fl[-1]
    assert t99 == pytest.approx(closed, rel=0.01)
    assert 20 * 3600 < t99 < 36 * 3600  # about a day, as the design intends


def test_ha2_check_valves_shut_above_the_opening_pressure():
    acc, data = _ha2_data()
    m0 = data[ha2.A_MASS0]
    assert _injection(data, m0, acc.opening_pressure.si + 0.1e6) == 0.0
    assert _injection(data, m0, 15.7e6) == 0.0
    full = _injection(data, m0, acc.opening_pressure.si - 2 * acc.pressure_band.si)
    assert full == pytest.approx(acc.stage_flows.si_list[0], rel=1e-6)
    half = _injection(data, m0, acc.opening_pressure.si - 0.5 * acc.pressure_band.si)
    assert half == pytest.approx(0.5 * full, rel=1e-6)


@pytest.mark.parametrize("design", ["vver1000-v528", "vver-toi", "ritm200n"])
@pytest.mark.parametrize("p_steam", [2.0e6, 4.0e6, 6.0e6])
def test_phrs_heat_law_with_iapws95_saturation(design, p_steam):
    hr = load_design(design).passive_safety.heat_removal
    t_sat = float(CoolProp.PropsSI("T", "P", p_steam, "Q", 0, "Water"))
    t_sat_d = float(CoolProp.PropsSI("T", "P", hr.design_pressure.si, "Q", 0, "Water"))
    t_air = hr.air_temperature.si
    expected = hr.capacity.si * ((t_sat - t_air) / (t_sat_d - t_air)) ** hr.exponent.si
    got = phrs.heat_capacity.py_func(t_sat, t_sat_d, t_air, hr.capacity.si, hr.exponent.si)
    assert got == pytest.approx(expected, rel=1e-9)
    # at its design pressure a train removes its rated capacity
    assert phrs.heat_capacity.py_func(
        t_sat_d, t_sat_d, t_air, hr.capacity.si, hr.exponent.si
    ) == pytest.approx(hr.capacity.si)
    lo, hi = hr.regulation_low.si, hr.regulation_high.si
    assert phrs.gate_opening.py_func(lo - 1e5, lo, hi) == 0.0
    assert phrs.gate_opening.py_func(hi + 1e5, lo, hi) == 1.0
    assert phrs.gate_opening.py_func(0.5 * (lo + hi), lo, hi) == pytest.approx(0.5)
