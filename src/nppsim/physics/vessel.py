r"""State of a rigid vessel of water and steam from its mass and internal energy (compiled).

The pressurizer and the steam generators' secondary sides are rigid vessels whose states are the
mass M [kg] and internal energy U [J] of their contents (:mod:`nppsim.physics.pressurizer`). This
module gives their algebraic state, pressure, quality, void, phase masses and volumes, as compiled
kernels over the property tables, with the partial derivatives of the pressure with respect to M
and U for an analytic Jacobian.

**Saturated contents** (:func:`vessel_state`). With v = V/M and u = U/M the equilibrium mixture
satisfies

.. math::

    x = \frac{v - v_f(p)}{v_g(p) - v_f(p)}, \qquad
    r(p) = u_f(p) + x\,[u_g(p) - u_f(p)] - u = 0

solved for p by Newton's method with the exact derivative r'(p) of the saturation table
(:mod:`nppsim.physics.saturation`), safeguarded by bisection (Press et al., *Numerical Recipes*,
3rd ed. 2007, §9.4, "rtsafe"): every iterate narrows a bracket [a, b] by the sign of r, and a
Newton step that would leave the bracket is replaced by its midpoint. The start is the argument
``p_guess`` (a constant the caller passes, e.g. the nominal pressure: no warm start is kept, so
the result depends on the arguments only). Tolerance: a Newton step below 1e-10 p (or a bracket
that narrow); cap: 100 iterations.
r increases with p at fixed v (the two-phase c_v is positive), so the root is unique.

The pressure derivatives follow from the implicit-function theorem on r(p; M, U) = 0:
dp/dU = 1/(M r'(p)), dp/dM = -(\partial r/\partial M)/r'(p), with
\partial r/\partial M = -(u_g - u_f) V / (M^2 (v_g - v_f)) + U/M^2.

**Single-phase contents.** If the solution has x < 0 (a water-solid vessel, "solid pressurizer")
or x > 1 (no water left), or no saturated state exists within the table, the contents are one
phase at density rho = M/V and internal energy u: the pressure solves

.. math:: g(p) = \rho_{\rm tab}(p,\; u + p/\rho) - \rho = 0

on the (p, h) table (:mod:`nppsim.physics.water_table`), by the same safeguarded Newton method
with g'(p) = (d rho/d p)_h + (d rho/d h)_p / rho. Water is stiff: d rho/d p is about 1e-6 kg/m3
per Pa, so the table's density error (about 1e-5 relative) shows as a pressure error of some kPa
here, and as a small step in pressure where the vessel turns water-solid (measured in
docs/models/water.md).

**Status** (last element of the result): :data:`SATURATED` (0), :data:`LIQUID_FULL` (1),
:data:`VAPOUR_FULL` (2), or :data:`NO_STATE` (-1): no state within the tables (every value NaN).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nppsim._jit import njit
from nppsim.physics.saturation import saturation
from nppsim.physics.water_table import NEAR_CRITICAL, ph_state

__all__ = [
    "LIQUID_FULL",
    "NO_STATE",
    "SATURATED",
    "VAPOUR_FULL",
    "VesselStates",
    "vessel_mass_energy",
    "vessel_state",
    "vessel_states",
]

#: Status codes of :func:`vessel_state`.
SATURATED = 0
LIQUID_FULL = 1
VAPOUR_FULL = 2
NO_STATE = -1

_MAX_ITER = 100
_REL_TOL = 1e-10
# Critical density of water [kg/m3] (IAPWS-95): without a saturated solution, a denser vessel is
# taken as liquid-full, a lighter one as vapour-full.
_RHO_CRITICAL = 322.0


@njit
def _two_phase_residual(
    tab: NDArray[np.float64], off_sat: int, p: float, v: float, u: float
) -> tuple[float, float, float]:
    """r(p), r'(p) and the quality x(p) of a mixture of specific volume v and energy u."""
    s = saturation(tab, off_sat, p)
    rho_f, rho_g, u_f, u_g = s[1], s[2], s[5], s[6]
    drho_f, drho_g, du_f, du_g = s[8], s[9], s[12], s[13]
    v_f = 1.0 / rho_f
    v_g = 1.0 / rho_g
    dv_f = -drho_f * v_f * v_f
    dv_g = -drho_g * v_g * v_g
    v_fg = v_g - v_f
    x = (v - v_f) / v_fg
    dx = -(dv_f + x * (dv_g - dv_f)) / v_fg
    r = u_f + x * (u_g - u_f) - u
    dr = du_f + dx * (u_g - u_f) + x * (du_g - du_f)
    return r, dr, x


@njit
def _single_phase_residual(
    tab: NDArray[np.float64], off_ph: int, p: float, rho: float, u: float
) -> tuple[float, float, int]:
    """g(p) = rho_tab(p, u + p/rho) - rho, g'(p) and the status of the (p, h) point."""
    _, rho_t, drho_dh, drho_dp, status = ph_state(tab, off_ph, p, u + p / rho)
    return rho_t - rho, drho_dp + drho_dh / rho, status


@njit
def _solve_two_phase(
    tab: NDArray[np.float64], off_sat: int, v: float, u: float, p_guess: float
) -> float:
    """Root of r(p) within the saturation table (NaN if there is none).

    Safeguarded Newton ("rtsafe"): the bracket starts as the table's range and is narrowed by the
    sign of every residual; a Newton step leaving it is replaced by bisection. Converged when the
    Newton step is below the tolerance; if instead the bracket shrinks to nothing against an end
    of the table never seen with the right sign, there is no root (the ends are evaluated only
    then, so the usual cost is the Newton iterations alone).
    """
    lo = tab[off_sat + 5]
    hi = tab[off_sat + 6]
    a = lo
    b = hi
    a_seen = False  # a residual < 0 was found at a
    b_seen = False  # a residual > 0 was found at b
    p = min(max(p_guess, a), b) if math.isfinite(p_guess) else 0.5 * (a + b)
    for _ in range(_MAX_ITER):
        r, dr, _ = _two_phase_residual(tab, off_sat, p, v, u)
        if not math.isfinite(r):
            return math.nan
        if r == 0.0:
            return p
        if r < 0.0:
            a = p
            a_seen = True
        else:
            b = p
            b_seen = True
        p_new = 0.5 * (a + b)
        if dr > 0.0:
            step = -r / dr
            if abs(step) <= _REL_TOL * p and a <= p + step <= b:
                return p + step
            if a < p + step < b:
                p_new = p + step
        if b - a <= _REL_TOL * p:
            if not a_seen and not _two_phase_residual(tab, off_sat, lo, v, u)[0] <= 0.0:
                return math.nan
            if not b_seen and not _two_phase_residual(tab, off_sat, hi, v, u)[0] >= 0.0:
                return math.nan
            return p_new
        p = p_new
    return math.nan


@njit
def _solve_single_phase(
    tab: NDArray[np.float64], off_ph: int, rho: float, u: float, p_guess: float
) -> float:
    """Root of g(p) within the (p, h) table (NaN if there is none).

    Same safeguarded Newton iteration as :func:`_solve_two_phase`. The enthalpy u + p/rho grows
    with p, so a point off the table narrows the bracket: from above if its enthalpy is above
    the table (or, for a dense fluid, in the near-critical gap), from below otherwise.
    """
    lo = tab[off_ph + 8]
    hi = tab[off_ph + 9]
    h_max = tab[off_ph + 12]
    a = lo
    b = hi
    a_seen = False
    b_seen = False
    p = min(max(p_guess, a), b) if math.isfinite(p_guess) else 0.5 * (a + b)
    for _ in range(_MAX_ITER):
        g, dg, status = _single_phase_residual(tab, off_ph, p, rho, u)
        p_new = math.nan
        if status < 0:
            too_high = u + p / rho > h_max or (status == NEAR_CRITICAL and rho > _RHO_CRITICAL)
            if too_high:
                b = p
                b_seen = False
            else:
                a = p
                a_seen = False
        elif g == 0.0:
            return p
        else:
            if g < 0.0:
                a = p
                a_seen = True
            else:
                b = p
                b_seen = True
            if dg > 0.0:
                step = -g / dg
                if abs(step) <= _REL_TOL * p and a <= p + step <= b:
                    return p + step
                if a < p + step < b:
                    p_new = p + step
        if not math.isfinite(p_new):
            p_new = 0.5 * (a + b)
        if b - a <= _REL_TOL * p:
            if not a_seen:
                g_lo, _, s_lo = _single_phase_residual(tab, off_ph, a, rho, u)
                if s_lo < 0 or not g_lo <= 0.0:
                    return math.nan
            if not b_seen:
                g_hi, _, s_hi = _single_phase_residual(tab, off_ph, b, rho, u)
                if s_hi < 0 or not g_hi >= 0.0:
                    return math.nan
            return p_new
        p = p_new
    return math.nan


@njit
def vessel_state(
    tab: NDArray[np.float64],
    off_sat: int,
    off_ph: int,
    mass: float,
    energy: float,
    volume: float,
    p_guess: float,
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
    int,
]:
    """Equilibrium state of a rigid vessel from its mass, internal energy and volume (compiled).

    Parameters
    ----------
    tab : ndarray
        Array holding a saturation table (:func:`nppsim.physics.saturation.saturation_table`) at
        ``off_sat`` and a (p, h) table (:func:`nppsim.physics.water_table.ph_table`) at ``off_ph``.
    off_sat, off_ph : int
        Offsets of the two tables.
    mass : float
        Mass of the contents [kg], > 0.
    energy : float
        Internal energy of the contents [J].
    volume : float
        Free volume [m3], > 0.
    p_guess : float
        Starting pressure of the iteration [Pa]: a constant of the caller (e.g. the nominal
        pressure), never the previous result; NaN starts from the middle of the table.

    Returns
    -------
    tuple
        ``(p [Pa], T [K], quality x [1], void [1], liquid volume [m3], liquid mass [kg],
        vapour mass [kg], h_f [J/kg], h_g [J/kg], rho_f [kg/m3], rho_g [kg/m3],
        dp/dM [Pa/kg], dp/dU [Pa/J], status)``. In single phase h_f = h_g = the enthalpy of the
        contents and rho_f = rho_g = M/V; with status :data:`NO_STATE` every value is NaN.
    """
    nan = math.nan
    if not (mass > 0.0 and volume > 0.0 and math.isfinite(energy)):
        return nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, NO_STATE
    v = volume / mass
    u = energy / mass
    rho = mass / volume
    p = _solve_two_phase(tab, off_sat, v, u, p_guess)
    found = math.isfinite(p)
    x = nan
    if found:
        s = saturation(tab, off_sat, p)
        t_s, rho_f, rho_g, h_f, h_g, u_f, u_g = s[0], s[1], s[2], s[3], s[4], s[5], s[6]
        v_f = 1.0 / rho_f
        v_g = 1.0 / rho_g
        x = (v - v_f) / (v_g - v_f)
        if 0.0 <= x <= 1.0:
            dv_f = -s[8] * v_f * v_f
            dv_g = -s[9] * v_g * v_g
            dx = -(dv_f + x * (dv_g - dv_f)) / (v_g - v_f)
            dr = s[12] + dx * (u_g - u_f) + x * (s[13] - s[12])
            dr_dm = -(u_g - u_f) * volume / (mass * mass * (v_g - v_f)) + energy / (mass * mass)
            m_g = x * mass
            m_f = mass - m_g
            v_liq = m_f * v_f
            return (
                p,
                t_s,
                x,
                1.0 - v_liq / volume,
                v_liq,
                m_f,
                m_g,
                h_f,
                h_g,
                rho_f,
                rho_g,
                -dr_dm / dr,
                1.0 / (mass * dr),
                SATURATED,
            )
    liquid = x < 0.0 if found else rho > _RHO_CRITICAL
    start = p if found else p_guess
    p1 = _solve_single_phase(tab, off_ph, rho, u, start)
    if not math.isfinite(p1):
        return nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, NO_STATE
    h = u + p1 / rho
    t, _, drho_dh, drho_dp, _ = ph_state(tab, off_ph, p1, h)
    # g(p; M, U) = rho_tab(p, U/M + p V/M) - M/V
    dg = drho_dp + drho_dh / rho
    dg_du = drho_dh / mass
    dg_dm = -drho_dh * (energy + p1 * volume) / (mass * mass) - 1.0 / volume
    dp_dm = -dg_dm / dg
    dp_du = -dg_du / dg
    if liquid:
        return p1, t, 0.0, 0.0, volume, mass, 0.0, h, h, rho, rho, dp_dm, dp_du, LIQUID_FULL
    return p1, t, 1.0, 1.0, 0.0, 0.0, mass, h, h, rho, rho, dp_dm, dp_du, VAPOUR_FULL


@njit
def vessel_mass_energy(
    tab: NDArray[np.float64], off_sat: int, p: float, liquid_volume: float, volume: float
) -> tuple[float, float]:
    r"""Mass [kg] and internal energy [J] of a saturated vessel with a given liquid volume.

    .. math:: M = \rho_f V_f + \rho_g (V - V_f), \quad U = \rho_f u_f V_f + \rho_g u_g (V - V_f)

    (for initial states; NaN outside the saturation table).
    """
    s = saturation(tab, off_sat, p)
    v_g = volume - liquid_volume
    return (
        s[1] * liquid_volume + s[2] * v_g,
        s[1] * s[5] * liquid_volume + s[2] * s[6] * v_g,
    )


@njit
def _vessel_many(
    tab: NDArray[np.float64],
    off_sat: int,
    off_ph: int,
    mass: NDArray[np.float64],
    energy: NDArray[np.float64],
    volume: NDArray[np.float64],
    p_guess: NDArray[np.float64],
    out: NDArray[np.float64],
) -> None:
    for n in range(mass.size):
        r = vessel_state(tab, off_sat, off_ph, mass[n], energy[n], volume[n], p_guess[n])
        out[0, n], out[1, n], out[2, n], out[3, n], out[4, n] = r[0], r[1], r[2], r[3], r[4]
        out[5, n], out[6, n], out[7, n], out[8, n], out[9, n] = r[5], r[6], r[7], r[8], r[9]
        out[10, n], out[11, n], out[12, n], out[13, n] = r[10], r[11], r[12], r[13]


class VesselStates(NamedTuple):
    """Vessel states (SI arrays), from :func:`vessel_states`."""

    pressure: NDArray[np.float64]
    temperature: NDArray[np.float64]
    quality: NDArray[np.float64]
    void: NDArray[np.float64]
    liquid_volume: NDArray[np.float64]
    liquid_mass: NDArray[np.float64]
    vapour_mass: NDArray[np.float64]
    h_liquid: NDArray[np.float64]
    h_vapour: NDArray[np.float64]
    rho_liquid: NDArray[np.float64]
    rho_vapour: NDArray[np.float64]
    dp_dmass: NDArray[np.float64]
    dp_denergy: NDArray[np.float64]
    status: NDArray[np.int64]


def vessel_states(
    tab: NDArray[np.float64],
    off_sat: int,
    off_ph: int,
    mass: ArrayLike,
    energy: ArrayLike,
    volume: ArrayLike,
    p_guess: ArrayLike = 15.7e6,
) -> VesselStates:
    """Evaluate :func:`vessel_state` on broadcast arrays (Python access, for checks and set-up)."""
    arrays = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (mass, energy, volume, p_guess))
    )
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(a.ravel()) for a in arrays]
    out = np.empty((14, flat[0].size))
    _vessel_many(tab, off_sat, off_ph, *flat, out)
    cols = [out[c].reshape(shape) for c in range(13)]
    return VesselStates(*cols, out[13].astype(np.int64).reshape(shape))
