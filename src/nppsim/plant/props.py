"""Water and steam properties inside the kernel: the packed tables carried in ``p``.

The network packs three tables into the parameter array (see :mod:`nppsim.plant.network`): the
(p, h) table of :mod:`nppsim.physics.water_table`, the saturation table and the turbine's
isentropic-drop table of :mod:`nppsim.physics.saturation`; their offsets are in the header of
``ip``. Components call these thin wrappers, never the tables directly.
"""

from __future__ import annotations

from nppsim._jit import njit
from nppsim.physics.saturation import isentropic_drop, saturation
from nppsim.physics.vessel import vessel_state
from nppsim.physics.water_table import (
    ph_all,
    ph_pressure_cell,
    ph_state,
    ph_state_in_cell,
    ph_state_nodes,
)
from nppsim.plant.header import IP_ISEN, IP_SAT, IP_WATER


@njit
def node(p, ip, press, h):
    """T [K], rho [kg/m3], (d rho/d h)_p and the table status of water at (press, h)."""
    t, rho, drho, _, status = ph_state(p, ip[IP_WATER], press, h)
    return t, rho, drho, status


@njit
def nodes(p, ip, press, y, ys, n, w, wt, wr, wd, wp):
    """:func:`node` of the ``n`` enthalpies ``y[ys:ys + n]`` at one pressure (the pressure half
    of the look-up computed once): T, rho, (d rho/d h)_p, (d rho/d p)_h into ``w[wt + j]``,
    ``w[wr + j]``, ``w[wd + j]``, ``w[wp + j]``; returns the first table status that is not 0
    (liquid), else 0."""
    return ph_state_nodes(p, ip[IP_WATER], press, y, ys, n, w, wt, wr, wd, wp)


@njit
def node_full(p, ip, press, h):
    """T [K], rho [kg/m3], (d rho/d h)_p, (d rho/d p)_h and the table status of water at
    (press, h)."""
    return ph_state(p, ip[IP_WATER], press, h)


@njit
def node_compressibility(p, ip, press, h):
    """rho [kg/m3], (d rho/d h)_p and (d rho/d p)_h of water at (press, h) (the surge closure's
    node compressibility)."""
    _, rho, drho_dh, drho_dp, _ = ph_state(p, ip[IP_WATER], press, h)
    return rho, drho_dh, drho_dp


@njit
def pressure_cell(p, ip, press):
    """The pressure half of a water-table look-up at ``press``, shared by many nodes."""
    return ph_pressure_cell(p, ip[IP_WATER], press)


@njit
def node_compressibility_in_cell(p, ip, press, h, cell):
    """:func:`node_compressibility` on the pressure half ``cell`` (:func:`pressure_cell` at the
    same ``press``): the same numbers."""
    _, rho, drho_dh, drho_dp, _ = ph_state_in_cell(p, ip[IP_WATER], press, h, cell)
    return rho, drho_dh, drho_dp


@njit
def h_of_pt(p, ip, press, temp):
    """Enthalpy [J/kg] of water at (press, temp): Newton on the table's T(p, h) with
    dT/dh = 1/cp, from a liquid-like start (used for prescribed inlet temperatures)."""
    h = 4186.0 * (temp - 273.15) + 1000.0
    for _ in range(60):
        r = ph_all(p, ip[IP_WATER], press, h)
        step = (temp - r[0]) * r[4]
        h += step
        if abs(step) < 1e-9 * max(abs(h), 1.0):
            break
    return h


@njit
def sat(p, ip, press):
    """Saturation properties at ``press`` (see :func:`nppsim.physics.saturation.saturation`)."""
    return saturation(p, ip[IP_SAT], press)


@njit
def vessel(p, ip, mass, energy, volume, p_guess):
    """Equilibrium state of a rigid vessel (:func:`nppsim.physics.vessel.vessel_state`)."""
    return vessel_state(p, ip[IP_SAT], ip[IP_WATER], mass, energy, volume, p_guess)


@njit
def isentropic(p, ip, press):
    """Isentropic drop of saturated steam at ``press`` to the condenser [J/kg] and d/dp."""
    dh, ddh, _ = isentropic_drop(p, ip[IP_ISEN], press)
    return dh, ddh


@njit
def interp(p, xs, ys, n, x):
    """Linear interpolation in a table of ``n`` points stored in ``p`` at ``xs`` and ``ys``
    (clamped at the ends)."""
    if x <= p[xs]:
        return p[ys]
    if x >= p[xs + n - 1]:
        return p[ys + n - 1]
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if p[xs + mid] <= x:
            lo = mid
        else:
            hi = mid
    f = (x - p[xs + lo]) / (p[xs + hi] - p[xs + lo])
    return p[ys + lo] + f * (p[ys + hi] - p[ys + lo])
