r"""Saturation line and isentropic steam expansion as compiled table look-ups.

Two tables of functions of pressure, each a packed float64 array (:mod:`nppsim.physics.tables`,
kind 1) that a compiled kernel reads at an offset of its parameter vector:

* **Saturation line**, :func:`saturation_table`, 1 kPa to 22 MPa: T_sat, rho_f, rho_g, h_f, h_g
  (IAPWS-IF97 through CoolProp) and u_f, u_g, with their derivatives d/dp, read by
  :func:`saturation` (all at once) or :func:`saturation_temperature`.
* **Isentropic enthalpy drop** of saturated steam at p to a fixed condenser pressure,
  :func:`isentropic_drop_table`, read by :func:`isentropic_drop` (turbine power).

Representation: the nodes are evenly spaced in s = ln p - w ln(1 - p/p_c) (log spacing, denser
towards the critical pressure p_c where the saturation properties change fastest; the kernels
find the cell from s directly). Each function is a cubic spline in s through its IF97 values at
the nodes (not-a-knot ends), stored as values and slopes and evaluated as cubic Hermite: C2 in p,
and the derivatives returned are the exact derivatives of the interpolant, so a Newton iteration
or an analytic Jacobian built on them is consistent with the values. The internal energies are
not tabulated: u = h - p/rho from the tabulated h and rho, so u, h, rho and p satisfy their
definition exactly (CoolProp's own u differs from h - p/rho by up to 2 J/kg in IF97 region 3).
CoolProp's
IF97 saturation line has small steps at 16.53 and 21.04 MPa, which the table smooths (see
``IF97_JUMP_TEMPERATURES``), and steps of several kJ/kg above 21.9 MPa, which is why the table
stops at 21.85 MPa.

Outside the table the kernels return NaN for every value with status :data:`OUTSIDE` (-1);
inside, status 0. Measured errors against CoolProp IF97: docs/models/water.md and
tests/physics/test_water_saturation.py.

References
----------
* W. Wagner et al., The IAPWS Industrial Formulation 1997 for the thermodynamic properties of water
  and steam, J. Eng. Gas Turbines Power 122 (2000) 150-182, doi:10.1115/1.483186.
* C. de Boor, A Practical Guide to Splines, revised ed., Springer (2001), ch. IV-V (cubic spline
  interpolation, not-a-knot end condition).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nppsim._jit import njit
from nppsim.physics.tables import (
    HEADER,
    KIND_1D,
    LAYOUT_VERSION,
    cached_table,
    hermite_basis,
    table_kind,
    uniform_cell,
)

__all__ = [
    "OUTSIDE",
    "SUBKIND_ISENTROPIC",
    "SUBKIND_SATURATION",
    "IsentropicGrid",
    "SaturationGrid",
    "SaturationValues",
    "isentropic_drop",
    "isentropic_drop_table",
    "isentropic_drops",
    "saturation",
    "saturation_table",
    "saturation_temperature",
    "saturation_values",
]

#: Status of a point outside the table (every value NaN).
OUTSIDE = -1
#: Sub-kinds of kind-1 tables (header entry 7).
SUBKIND_SATURATION = 1
SUBKIND_ISENTROPIC = 2

P_CRITICAL = 22.064e6  # [Pa] (IF97 eq. 4)

# Saturation functions, in their order in the table: T, rho_f, rho_g, h_f, h_g.
_N_SAT = 5

# Saturation temperatures where CoolProp's IF97 saturation line jumps (by up to a few 1e-4
# relative): the boundary of regions 1 and 3 (623.15 K, 16.53 MPa) and a boundary of the region-3
# backward equations v(p, T) of IAPWS SR5-05 (643.15 K, 21.04 MPa). The tables replace each step
# by a smooth (C2) transition over SMOOTHING_WIDTH either side. Above 21.9 MPa the steps reach
# several kJ/kg, which is why the saturation table stops at 21.85 MPa.
IF97_JUMP_TEMPERATURES = (623.15, 643.15)  # [K]
SMOOTHING_WIDTH = 0.25e6  # [Pa]


def grid_coordinate(p: float, crit_weight: float) -> float:
    """The coordinate s(p) = ln p - w ln(1 - p/p_c) in which 1-D table nodes are evenly spaced.

    w = 0 gives log spacing; w > 0 adds nodes towards the critical pressure p_c, where the
    saturation properties change fastest (their slopes diverge at p_c).
    """
    return math.log(p) - crit_weight * math.log1p(-p / P_CRITICAL)


def _grid_nodes(p_min: float, p_max: float, n: int, crit_weight: float) -> NDArray[np.float64]:
    from scipy.optimize import brentq

    s = np.linspace(grid_coordinate(p_min, crit_weight), grid_coordinate(p_max, crit_weight), n)
    inner = [
        brentq(lambda p, v=v: grid_coordinate(p, crit_weight) - v, p_min, p_max, xtol=1e-9)
        for v in s[1:-1]
    ]
    return np.array([p_min, *inner, p_max])


@dataclass(frozen=True)
class SaturationGrid:
    """Nodes of the saturation table: ``n`` pressures evenly spaced in
    s = ln p - w ln(1 - p/p_c), w = ``crit_weight`` (:func:`grid_coordinate`)."""

    p_min: float = 1.0e3  # [Pa]
    p_max: float = 21.85e6  # [Pa]
    n: int = 240
    crit_weight: float = 1.0
    smoothing_width: float = SMOOTHING_WIDTH  # [Pa], see IF97_JUMP_TEMPERATURES

    def nodes(self) -> NDArray[np.float64]:
        """Pressure nodes [Pa], increasing."""
        return _grid_nodes(self.p_min, self.p_max, self.n, self.crit_weight)


@dataclass(frozen=True)
class IsentropicGrid:
    """Nodes of the isentropic-drop table: ``n`` pressures from ``p_min`` to ``p_max`` evenly
    spaced in s = ln p - w ln(1 - p/p_c), w = ``crit_weight`` (:func:`grid_coordinate`)."""

    condenser_pressure: float  # exhaust pressure [Pa]
    p_min: float = 0.05e6  # [Pa]
    p_max: float = 21.0e6  # [Pa]
    n: int = 160
    crit_weight: float = 1.0
    smoothing_width: float = SMOOTHING_WIDTH  # [Pa], see IF97_JUMP_TEMPERATURES

    def nodes(self) -> NDArray[np.float64]:
        """Pressure nodes [Pa], increasing."""
        return _grid_nodes(self.p_min, self.p_max, self.n, self.crit_weight)


# --------------------------------------------------------------------------------------------------
# Building (CoolProp)
# --------------------------------------------------------------------------------------------------


def _smooth_step(p: float, p_jump: float, width: float) -> float:
    """Heaviside step at p_jump minus a C2 quintic step over [p_jump - width, p_jump + width]."""
    u = min(max((p - p_jump + width) / (2.0 * width), 0.0), 1.0)
    sigma = u * u * u * (10.0 + u * (-15.0 + 6.0 * u))
    return (1.0 if p > p_jump else 0.0) - sigma


def _fit_1d(
    p: NDArray[np.float64],
    crit_weight: float,
    fn: Callable[[float], NDArray[np.float64]],
    jumps: tuple[float, ...],
    width: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cubic splines in the grid coordinate s(p) through the functions ``fn`` returns at the
    nodes p, with the steps of ``fn`` at the pressures ``jumps`` smoothed; values and d/ds.

    A step J = fn(p_j+) - fn(p_j-) is replaced by a C2 transition: the spline interpolates
    fn(p) - J [H(p - p_j) - sigma(p)], equal to fn outside p_j +- width and at most J/2 from it
    inside. Not-a-knot end conditions (de Boor 2001, ch. IV).
    """
    from scipy.interpolate import CubicSpline

    y = np.array([fn(float(v)) for v in p]).T  # (m, n)
    for pj in jumps:
        delta = 1e-7 * pj
        step = fn(pj + delta) - fn(pj - delta)
        y -= step[:, None] * np.array([_smooth_step(float(v), pj, width) for v in p])[None, :]
    s = np.array([grid_coordinate(float(v), crit_weight) for v in p])
    spline = CubicSpline(s, y, axis=1, bc_type="not-a-knot")
    return y, spline(s, 1)


def _pack_1d(
    p: NDArray[np.float64],
    crit_weight: float,
    values: NDArray[np.float64],
    slopes: NDArray[np.float64],
    subkind: int,
    extra: float,
) -> NDArray[np.float64]:
    """Pack m functions given by values and slopes d/ds at the n nodes p (shape (m, n)).

    Header entries 3-11: n, m, p_min, p_max, sub-kind, extra (condenser pressure), w, s(p_min),
    node spacing in s. Then for each function its values [n] and slopes [n].
    """
    m, n = values.shape
    s0 = grid_coordinate(float(p[0]), crit_weight)
    ds = (grid_coordinate(float(p[-1]), crit_weight) - s0) / (n - 1)
    out = np.zeros(HEADER + 2 * m * n)
    out[0], out[1], out[2] = KIND_1D, LAYOUT_VERSION, out.size
    out[3], out[4], out[5], out[6], out[7], out[8] = n, m, p[0], p[-1], subkind, extra
    out[9], out[10], out[11] = crit_weight, s0, ds
    for f in range(m):
        base = HEADER + 2 * f * n
        out[base : base + n] = values[f]
        out[base + n : base + 2 * n] = slopes[f]
    return out


def _jump_pressures() -> tuple[float, ...]:
    """Saturation pressures [Pa] at IF97_JUMP_TEMPERATURES (CoolProp IF97)."""
    from nppsim.physics import water

    return tuple(float(water.saturation_pressure(t)) for t in IF97_JUMP_TEMPERATURES)


def _build_saturation(grid: SaturationGrid) -> NDArray[np.float64]:
    from nppsim.physics._coolprop import coolprop, state

    cp = coolprop()
    st = state("saturation.build")

    def fn(p: float) -> NDArray[np.float64]:
        st.update(cp.PQ_INPUTS, p, 0.0)
        t, rho_f, h_f = st.T(), st.rhomass(), st.hmass()
        st.update(cp.PQ_INPUTS, p, 1.0)
        return np.array([t, rho_f, st.rhomass(), h_f, st.hmass()])

    p = grid.nodes()
    values, slopes = _fit_1d(p, grid.crit_weight, fn, _jump_pressures(), grid.smoothing_width)
    return _pack_1d(p, grid.crit_weight, values, slopes, SUBKIND_SATURATION, 0.0)


def _build_isentropic(grid: IsentropicGrid) -> NDArray[np.float64]:
    from nppsim.physics._coolprop import coolprop, state

    cp = coolprop()
    st = state("saturation.build")

    def fn(p: float) -> NDArray[np.float64]:
        st.update(cp.PQ_INPUTS, p, 1.0)
        h_in, s_in = st.hmass(), st.smass()
        st.update(cp.PSmass_INPUTS, grid.condenser_pressure, s_in)
        return np.array([h_in - st.hmass()])

    p = grid.nodes()
    jumps = tuple(pj for pj in _jump_pressures() if pj < p[-1])
    values, slopes = _fit_1d(p, grid.crit_weight, fn, jumps, grid.smoothing_width)
    return _pack_1d(
        p, grid.crit_weight, values, slopes, SUBKIND_ISENTROPIC, grid.condenser_pressure
    )


def saturation_table(
    grid: SaturationGrid | None = None, *, cache: bool = True
) -> NDArray[np.float64]:
    """The packed saturation-line table (built from CoolProp IF97 once, then cached on disk).

    Parameters
    ----------
    grid : SaturationGrid, optional
        Nodes; the default covers 1 kPa to 22 MPa with 239 nodes.
    cache : bool
        Use the memory and disk caches (:func:`nppsim.physics.tables.cached_table`).

    Returns
    -------
    ndarray
        Packed table (float64), to be placed in a parameter vector and read by :func:`saturation`.
    """
    grid = grid or SaturationGrid()
    return cached_table("sat", asdict(grid), lambda: _build_saturation(grid), cache=cache)


def isentropic_drop_table(
    condenser_pressure: float, grid: IsentropicGrid | None = None, *, cache: bool = True
) -> NDArray[np.float64]:
    """The packed table of the isentropic enthalpy drop of saturated steam to a condenser.

    .. math:: \\Delta h_s(p) = h_g(p) - h(p_c, s_g(p))

    Parameters
    ----------
    condenser_pressure : float
        Exhaust pressure p_c [Pa].
    grid : IsentropicGrid, optional
        Nodes (its ``condenser_pressure`` must match); default 0.05 to 21 MPa, 160 nodes.
    cache : bool
        Use the memory and disk caches.

    Returns
    -------
    ndarray
        Packed table, read by :func:`isentropic_drop`.
    """
    grid = grid or IsentropicGrid(condenser_pressure)
    if grid.condenser_pressure != condenser_pressure:
        raise ValueError(
            f"grid condenser pressure {grid.condenser_pressure!r} Pa differs from "
            f"condenser_pressure {condenser_pressure!r} Pa"
        )
    if not 611.212677 <= condenser_pressure < grid.p_min:
        raise ValueError(
            f"condenser pressure {condenser_pressure!r} Pa outside 611.2 Pa to the lowest inlet "
            f"pressure of the table ({grid.p_min!r} Pa)"
        )
    return cached_table("isentropic", asdict(grid), lambda: _build_isentropic(grid), cache=cache)


# --------------------------------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------------------------------


@njit
def _cell_1d(tab: NDArray[np.float64], off: int, p: float) -> tuple[int, float, float, float]:
    """Cell index, local coordinate t, node spacing in s and ds/dp; index -1 if outside."""
    if not (tab[off + 5] <= p <= tab[off + 6]):  # also NaN
        return -1, 0.0, 0.0, 0.0
    w = tab[off + 9]
    s = math.log(p)
    dsdp = 1.0 / p
    if w != 0.0:
        s -= w * math.log1p(-p / P_CRITICAL)
        dsdp += w / (P_CRITICAL - p)
    ds = tab[off + 11]
    i, t = uniform_cell((s - tab[off + 10]) / ds, int(tab[off + 3]))
    return i, t, ds, dsdp


@njit
def _value_1d(
    tab: NDArray[np.float64],
    off: int,
    f: int,
    i: int,
    ds: float,
    b: tuple[float, float, float, float, float, float, float, float],
) -> tuple[float, float]:
    """Value and d/ds of function f on cell i with Hermite basis b."""
    n = int(tab[off + 3])
    base = off + HEADER + 2 * f * n + i
    y0, y1 = tab[base], tab[base + 1]
    s0, s1 = tab[base + n], tab[base + n + 1]
    v = b[0] * y0 + b[1] * ds * s0 + b[2] * y1 + b[3] * ds * s1
    d = (b[4] * y0 + b[6] * y1) / ds + b[5] * s0 + b[7] * s1
    return v, d


@njit
def saturation(
    tab: NDArray[np.float64], off: int, p: float
) -> tuple[
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    int,
]:
    """Saturated-water properties and their pressure derivatives at p (compiled).

    Parameters
    ----------
    tab : ndarray
        Array holding a packed saturation table (:func:`saturation_table`) at ``off``.
    off : int
        Offset of the table in ``tab``.
    p : float
        Pressure [Pa], 1 kPa to 22 MPa with the default grid.

    Returns
    -------
    tuple
        ``(T, rho_f, rho_g, h_f, h_g, u_f, u_g, dT, drho_f, drho_g, dh_f, dh_g, du_f, du_g,
        status)``: T_sat [K], densities [kg/m3], enthalpies and internal energies [J/kg] of
        saturated liquid (f) and vapour (g); then their derivatives d/dp along the saturation
        line [per Pa]; status 0, or :data:`OUTSIDE` with every value NaN.
    """
    i, t, ds, dsdp = _cell_1d(tab, off, p)
    if i < 0:
        nan = math.nan
        return (nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, OUTSIDE)
    b = hermite_basis(t, 3)
    t_s, dt_s = _value_1d(tab, off, 0, i, ds, b)
    rho_f, drho_f = _value_1d(tab, off, 1, i, ds, b)
    rho_g, drho_g = _value_1d(tab, off, 2, i, ds, b)
    h_f, dh_f = _value_1d(tab, off, 3, i, ds, b)
    h_g, dh_g = _value_1d(tab, off, 4, i, ds, b)
    # d/dp = (d/ds) ds/dp
    dt_s *= dsdp
    drho_f *= dsdp
    drho_g *= dsdp
    dh_f *= dsdp
    dh_g *= dsdp
    # u = h - p/rho, so du/dp = dh/dp - 1/rho + p rho'/rho^2
    u_f = h_f - p / rho_f
    u_g = h_g - p / rho_g
    du_f = dh_f - 1.0 / rho_f + p * drho_f / (rho_f * rho_f)
    du_g = dh_g - 1.0 / rho_g + p * drho_g / (rho_g * rho_g)
    return (
        t_s,
        rho_f,
        rho_g,
        h_f,
        h_g,
        u_f,
        u_g,
        dt_s,
        drho_f,
        drho_g,
        dh_f,
        dh_g,
        du_f,
        du_g,
        0,
    )


@njit
def saturation_temperature(
    tab: NDArray[np.float64], off: int, p: float
) -> tuple[float, float, int]:
    """Saturation temperature and its derivative at p (compiled; cheaper than :func:`saturation`).

    Returns
    -------
    tuple
        ``(T_sat [K], dT_sat/dp [K/Pa], status)``; NaN and :data:`OUTSIDE` outside the table.
    """
    i, t, ds, dsdp = _cell_1d(tab, off, p)
    if i < 0:
        return math.nan, math.nan, OUTSIDE
    t_s, dt_s = _value_1d(tab, off, 0, i, ds, hermite_basis(t, 3))
    return t_s, dt_s * dsdp, 0


@njit
def isentropic_drop(tab: NDArray[np.float64], off: int, p: float) -> tuple[float, float, int]:
    """Isentropic enthalpy drop of saturated steam at p to the table's condenser pressure.

    Parameters
    ----------
    tab, off : ndarray, int
        Array holding a packed isentropic-drop table (:func:`isentropic_drop_table`) at ``off``.
    p : float
        Inlet pressure [Pa] (saturated steam).

    Returns
    -------
    tuple
        ``(dh_s [J/kg], d dh_s/dp [J/kg/Pa], status)``; NaN and :data:`OUTSIDE` outside.
    """
    i, t, ds, dsdp = _cell_1d(tab, off, p)
    if i < 0:
        return math.nan, math.nan, OUTSIDE
    v, d = _value_1d(tab, off, 0, i, ds, hermite_basis(t, 3))
    return v, d * dsdp, 0


@njit
def _saturation_many(
    tab: NDArray[np.float64], off: int, p: NDArray[np.float64], out: NDArray[np.float64]
) -> None:
    for k in range(p.size):
        r = saturation(tab, off, p[k])
        # (a heterogeneous tuple cannot be indexed by a loop variable in compiled code)
        out[0, k], out[1, k], out[2, k], out[3, k], out[4, k] = r[0], r[1], r[2], r[3], r[4]
        out[5, k], out[6, k], out[7, k], out[8, k], out[9, k] = r[5], r[6], r[7], r[8], r[9]
        out[10, k], out[11, k], out[12, k], out[13, k] = r[10], r[11], r[12], r[13]
        out[14, k] = r[14]


@njit
def _isentropic_many(
    tab: NDArray[np.float64], off: int, p: NDArray[np.float64], out: NDArray[np.float64]
) -> None:
    for k in range(p.size):
        r = isentropic_drop(tab, off, p[k])
        out[0, k], out[1, k], out[2, k] = r[0], r[1], r[2]


# --------------------------------------------------------------------------------------------------
# Python access (arrays)
# --------------------------------------------------------------------------------------------------


class SaturationValues(NamedTuple):
    """Saturation properties at an array of pressures (SI), from :func:`saturation_values`."""

    temperature: NDArray[np.float64]
    rho_f: NDArray[np.float64]
    rho_g: NDArray[np.float64]
    h_f: NDArray[np.float64]
    h_g: NDArray[np.float64]
    u_f: NDArray[np.float64]
    u_g: NDArray[np.float64]
    dtemperature_dp: NDArray[np.float64]
    drho_f_dp: NDArray[np.float64]
    drho_g_dp: NDArray[np.float64]
    dh_f_dp: NDArray[np.float64]
    dh_g_dp: NDArray[np.float64]
    du_f_dp: NDArray[np.float64]
    du_g_dp: NDArray[np.float64]
    status: NDArray[np.int64]


def _check_kind(table: NDArray[np.float64], offset: int, subkind: int) -> None:
    if table_kind(table, offset) != KIND_1D or int(table[offset + 7]) != subkind:
        raise ValueError(f"the table at offset {offset} is not a table of sub-kind {subkind}")


def saturation_values(
    table: NDArray[np.float64], pressure: ArrayLike, offset: int = 0
) -> SaturationValues:
    """Evaluate :func:`saturation` at an array of pressures [Pa] (Python access, for checks).

    Returns
    -------
    SaturationValues
        Arrays shaped like ``pressure``; NaN and status -1 outside the table.
    """
    _check_kind(table, offset, SUBKIND_SATURATION)
    p = np.asarray(pressure, dtype=float)
    out = np.empty((15, p.size))
    _saturation_many(table, offset, np.ascontiguousarray(p.ravel()), out)
    cols = [out[c].reshape(p.shape) for c in range(14)]
    return SaturationValues(*cols, out[14].astype(np.int64).reshape(p.shape))


def isentropic_drops(
    table: NDArray[np.float64], pressure: ArrayLike, offset: int = 0
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Evaluate :func:`isentropic_drop` at an array of pressures [Pa] (Python access).

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Drop [J/kg], its pressure derivative [J/kg/Pa] and status, shaped like ``pressure``.
    """
    _check_kind(table, offset, SUBKIND_ISENTROPIC)
    p = np.asarray(pressure, dtype=float)
    out = np.empty((3, p.size))
    _isentropic_many(table, offset, np.ascontiguousarray(p.ravel()), out)
    return (
        out[0].reshape(p.shape),
        out[1].reshape(p.shape),
        out[2].astype(np.int64).reshape(p.shape),
    )
