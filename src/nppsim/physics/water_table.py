"""Tabulated water properties T(p, h), rho(p, h) and (d rho / d h)_p for fast right-hand sides.

A plant right-hand side needs the temperature and density of some thirty coolant nodes at every
call. Point-by-point IAPWS-IF97 calls (:mod:`nppsim.physics.water`) cost a few microseconds each;
a bilinear table over (p, h), evaluated for all nodes at once with NumPy, costs a few microseconds
in total. The table is built once from :mod:`nppsim.physics.water` (IAPWS-IF97).

Accuracy (bilinear interpolation, default grid 0.25 MPa x 5 kJ/kg over 5-20 MPa and 0.4-1.9 MJ/kg):
the interpolation error is bounded by (dh^2/8)|d2T/dh2| + (dp^2/8)|d2T/dp2|, about 1e-3 K in T and
1e-3 kg/m3 in rho in subcooled water; it grows near saturation, where the properties have a kink
(the two-phase branch is the homogeneous mixture, as in :func:`nppsim.physics.water.density_ph`).
Inputs outside the grid are clipped to its edge.

Reference: IAPWS-IF97 (Wagner et al., J. Eng. Gas Turbines Power 122 (2000) 150), through
:mod:`nppsim.physics.water`; bilinear interpolation: Press et al., Numerical Recipes, 3rd ed., §3.6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nppsim.physics import water


@dataclass(frozen=True)
class WaterTable:
    """A (p, h) grid with T [K], rho [kg/m3] and d rho/d h [kg s2/m5] at its nodes."""

    p: NDArray[np.float64]
    h: NDArray[np.float64]
    temperature: NDArray[np.float64]
    density: NDArray[np.float64]
    drho_dh: NDArray[np.float64]


def build_table(
    p_min: float = 5e6,
    p_max: float = 20e6,
    dp: float = 0.25e6,
    h_min: float = 0.4e6,
    h_max: float = 1.9e6,
    dh: float = 5e3,
) -> WaterTable:
    """Tabulate IF97 T, rho and (d rho/d h)_p on a regular (p, h) grid.

    Parameters
    ----------
    p_min, p_max, dp : float
        Pressure range and step [Pa].
    h_min, h_max, dh : float
        Enthalpy range and step [J/kg].

    Returns
    -------
    WaterTable
        The grid; the slope is the centred difference of rho along h (one-sided at the edges).
    """
    p = np.arange(p_min, p_max + 0.5 * dp, dp)
    h = np.arange(h_min, h_max + 0.5 * dh, dh)
    t = np.empty((len(p), len(h)))
    rho = np.empty_like(t)
    for i, pi in enumerate(p):
        for j, hj in enumerate(h):
            t[i, j] = water.temperature_ph(pi, hj)
            rho[i, j] = water.density_ph(pi, hj)
    slope = np.gradient(rho, h, axis=1)
    return WaterTable(p, h, t, rho, slope)


def lookup(
    table: WaterTable, pressure: float, enthalpy: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Bilinear interpolation of T [K], rho [kg/m3] and d rho/d h at one pressure, many enthalpies.

    .. math:: f(p, h) = \\sum_{a,b \\in \\{0,1\\}} w_a(p)\\, w_b(h)\\, f_{i+a, j+b}

    Parameters
    ----------
    table : WaterTable
        From :func:`build_table`.
    pressure : float
        Pressure [Pa] (clipped to the grid).
    enthalpy : array_like
        Specific enthalpies [J/kg] (clipped to the grid).

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Temperature [K], density [kg/m3] and (d rho/d h)_p [kg2/(m3 J)], shaped like ``enthalpy``.
    """
    pg, hg = table.p, table.h
    x = (min(max(pressure, pg[0]), pg[-1]) - pg[0]) / (pg[1] - pg[0])
    i = min(int(x), len(pg) - 2)
    fp = x - i
    hh = np.clip(np.asarray(enthalpy, dtype=float), hg[0], hg[-1])
    z = (hh - hg[0]) / (hg[1] - hg[0])
    j = np.minimum(z.astype(int), len(hg) - 2)
    fh = z - j
    out = []
    for arr in (table.temperature, table.density, table.drho_dh):
        lo = arr[i, j] + fh * (arr[i, j + 1] - arr[i, j])
        hi = arr[i + 1, j] + fh * (arr[i + 1, j + 1] - arr[i + 1, j])
        out.append(lo + fp * (hi - lo))
    return out[0], out[1], out[2]
