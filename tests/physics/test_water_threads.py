"""Thread safety of every CoolProp use in nppsim.physics (water, pressurizer, steam generator,
turbine, thermal mixing, natural circulation) and of the compiled tables.

Two threads hammer different conditions at once, with the interpreter switching threads every
microsecond, and every value must equal the one computed alone. With the former module-level
CoolProp states this gave wrong values (and once a temperature of 159 K) within a few thousand
calls; :func:`test_the_hammer_finds_a_shared_state` shows the hammer finds such sharing.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from nppsim.physics import natural_circulation as nc
from nppsim.physics import pressurizer as pz
from nppsim.physics import saturation, thermal_mixing, turbine, vessel, water, water_table
from nppsim.physics import steam_generator as sg
from nppsim.physics._coolprop import coolprop

MPA = 1e6


@contextmanager
def _switch_every(seconds: float) -> Iterator[None]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _hammer(works: list[Callable[[], list[float]]], rounds: int) -> list[int]:
    """Run each work in its own thread ``rounds`` times; count results differing from serial."""
    refs = [work() for work in works]
    bad = [0] * len(works)
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            for _ in range(rounds):
                if works[k]() != refs[k]:
                    bad[k] += 1
        except BaseException as exc:  # a corrupted state can also raise
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(works))]
    with _switch_every(1e-6):
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    return bad


def _primary() -> list[float]:
    """Primary-side conditions: compressed water near 15.7 MPa, the pressurizer."""
    s = pz.saturation_properties(15.7 * MPA)
    solid = pz.state_from_mass_energy(79.0 * 650.0, 79.0 * 650.0 * 1.45e6, 79.0, 15.7 * MPA)
    two_phase = pz.state_from_mass_energy(3.0e4, 3.0e4 * 1.2e6, 79.0, 15.7 * MPA)
    return [
        *(float(water.density_ph(15.7 * MPA, h)) for h in (1.1e6, 1.25e6, 1.4e6)),
        float(water.temperature_ph(15.7 * MPA, 1.3e6)),
        float(water.cp_pt(15.7 * MPA, 560.0)),
        float(water.prandtl_ph(15.7 * MPA, 1.3e6)),
        float(water.latent_heat(15.7 * MPA)),
        float(water.saturation_pressure(600.0)),
        s.temperature,
        s.u_vapour,
        solid.pressure,
        two_phase.pressure,
        thermal_mixing.density_enthalpy_slope(15.7 * MPA, 1.3e6),
        nc.natural_circulation_flow(60e6, 15.7 * MPA, 1.22e6, 6.5, 3.1e-3),
        water.reference_ph(15.7 * MPA, 1.3e6).drho_dp,
    ]


def _secondary() -> list[float]:
    """Secondary-side conditions: steam near 6 MPa, feedwater, turbine, steam generator."""
    s = pz.saturation_properties(6.27 * MPA)
    return [
        *(float(water.density_ph(6.0 * MPA, h)) for h in (2.8e6, 2.9e6, 3.0e6)),
        float(water.temperature_ph(6.0 * MPA, 2.9e6)),
        float(water.cp_pt(6.0 * MPA, 600.0)),
        float(water.viscosity_pt(0.2 * MPA, 400.0)),
        float(water.latent_heat(6.0 * MPA)),
        float(water.saturated_vapour_density(1.0 * MPA)),
        s.temperature,
        s.h_vapour,
        turbine.isentropic_enthalpy_drop(6.0 * MPA, 2.78e6, 5.0e3),
        turbine.saturated_steam_density_slope(6.0 * MPA),
        turbine.feedwater_enthalpy(493.15, 7.0 * MPA),
        sg.design_ua(750e6, 593.15, 562.15, 15.7 * MPA, s.temperature, 4)[0],
        water.reference_ph(6.0 * MPA, 2.9e6).drho_dh,
    ]


def test_coolprop_users_give_serial_values_in_two_threads() -> None:
    assert _hammer([_primary, _secondary], rounds=150) == [0, 0]


def test_compiled_tables_give_serial_values_in_two_threads() -> None:
    """The kernels release the GIL (nogil) and read the tables only."""
    from nppsim.physics.tables import concatenate_tables

    tab, (o_s, o_p) = concatenate_tables(saturation.saturation_table(), water_table.ph_table())
    rng = np.random.default_rng(3)
    p1, h1 = rng.uniform(14 * MPA, 17 * MPA, 20000), rng.uniform(1.1e6, 1.5e6, 20000)
    p2 = rng.uniform(1 * MPA, 8 * MPA, 20000)

    def work_a() -> list[float]:
        return water_table.ph_properties(tab, p1, h1, offset=o_p).density.tolist()

    def work_b() -> list[float]:
        masses = 3e4 * (1 + 0.1 * np.sin(p2))
        states = vessel.vessel_states(tab, o_s, o_p, masses, masses * 1.2e6, 79.0, 6 * MPA)
        return states.pressure.tolist() + saturation.saturation_values(tab, p2, o_s).h_g.tolist()

    assert _hammer([work_a, work_b], rounds=20) == [0, 0]


def test_a_shared_state_gives_wrong_values_in_two_threads() -> None:
    """Control: one CoolProp state shared by two threads gives wrong values. The interleaving is
    forced (both threads update the state, meet at a barrier, then read), so the control does
    not depend on the scheduler: at least one thread reads the other's state."""
    import threading

    cp = coolprop()
    shared = cp.AbstractState("IF97", "Water")
    barrier = threading.Barrier(2, timeout=30)
    conditions = [(15.7 * MPA, 560.0), (6.0 * MPA, 600.0)]
    serial = []
    for p, t in conditions:
        own = cp.AbstractState("IF97", "Water")
        own.update(cp.PT_INPUTS, p, t)
        serial.append(own.hmass())
    got: list[float] = [0.0, 0.0]

    def work(k: int) -> None:
        shared.update(cp.PT_INPUTS, *conditions[k])
        barrier.wait()  # both have updated: the state holds only the last update
        got[k] = shared.hmass()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(g != s for g, s in zip(got, serial, strict=True)) >= 1


@pytest.mark.parametrize("module", [water, pz, sg, turbine, thermal_mixing, nc])
def test_no_module_level_coolprop_state(module: object) -> None:
    """No physics module keeps a CoolProp state object at module level any more."""
    cp = coolprop()
    for name, value in vars(module).items():
        assert not isinstance(value, cp.AbstractState), f"{module.__name__}.{name}"
