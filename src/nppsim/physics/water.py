r"""Water and steam properties: thin, fast wrappers over CoolProp's IAPWS-IF97 backend.

Every function takes SI inputs (p [Pa], T [K], h [J/kg]) and returns SI outputs (K, kg/m3, J/kg/K,
Pa s, W/m/K, J/kg). A scalar input gives a ``float`` (the fast path: one CoolProp update, about
1 µs); array inputs are broadcast against each other and evaluated point by point, giving an
``ndarray`` of the broadcast shape.

Thermodynamic properties follow IAPWS-IF97; CoolProp's IF97 backend adds the IAPWS viscosity
(R12-08) and thermal-conductivity (R15-11) formulations evaluated on the IF97 state.

Validity (IAPWS-IF97, §2): 273.15 K <= T <= 1073.15 K at p <= 100 MPa and
1073.15 K < T <= 2273.15 K at p <= 50 MPa; saturation 273.15 K <= T <= 647.096 K
(611.212677 Pa <= p <= 22.064 MPa). Inputs outside raise ``ValueError`` naming the quantity and the
value: CoolProp itself does not check the (p, T) range and would extrapolate silently.

T(p, h). IF97's backward equation T(p, h), which CoolProp uses, agrees with the inverse of the basic
equation only within ±25 mK in region 1 (IF97 release, eq. 12). A simulator converts T -> h -> T
all the time (initialization, energy balances), and a 10-20 mK drift of a steady state is a
nuisance, so :func:`temperature_ph` refines the backward value by Newton steps on the basic
equation, :math:`T_{k+1} = T_k + (h - h(p, T_k))/c_p(p, T_k)` (one step usually, at most four),
which makes the round trip exact to about 1e-8 K in regions 1 and 2. In region 3 (623.15 K < T,
near the critical point) it can stay some mK off: CoolProp's (p, T) state there comes from the
non-iterated backward equation v(p, T), so h(p, T) itself is consistent only to that level. The
refinement is skipped (the backward value is kept) in the two-phase region, where T = T_sat, and
when the forward state at T_k falls in another phase (within some mK of saturation). The other
``*_ph`` functions evaluate at this refined temperature, so that ``density_ph(p, h)`` equals
``density_pt(p, temperature_ph(p, h))``.

Limits: in the two-phase region the ``*_ph`` functions give T_sat and the homogeneous mixture
density; cp, viscosity, conductivity and Prandtl number are undefined there and raise
``ValueError``. CoolProp's IF97 backend cannot invert (p, h) in region 3 above the critical
pressure (h around 1.7-2.6 MJ/kg at p > 22.064 MPa): those inputs raise ``ValueError``.

Threads and start-up: every thread has its own CoolProp state objects, so the functions are
thread-safe (two threads get the values each would get alone); CoolProp is imported on the first
property call, not when this module is imported (:mod:`nppsim.physics._coolprop`). For compiled
right-hand sides use the tables of :mod:`nppsim.physics.water_table` and
:mod:`nppsim.physics.saturation` instead (docs/models/water.md).

References
----------
* W. Wagner et al., The IAPWS Industrial Formulation 1997 for the thermodynamic properties of water
  and steam, J. Eng. Gas Turbines Power 122 (2000) 150-182, doi:10.1115/1.483186; IAPWS, Revised
  Release on the IAPWS Industrial Formulation 1997 (2007).
* I. H. Bell, J. Wronski, S. Quoilin, V. Lemort, Pure and pseudo-pure fluid thermophysical property
  evaluation and the open-source thermophysical property library CoolProp, Ind. Eng. Chem. Res. 53
  (2014) 2498-2508, doi:10.1021/ie4033999.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from nppsim.physics._coolprop import coolprop, state

__all__ = [
    "P_CRITICAL",
    "T_CRITICAL",
    "PhReference",
    "conductivity_ph",
    "conductivity_pt",
    "cp_ph",
    "cp_pt",
    "density_ph",
    "density_pt",
    "enthalpy_pt",
    "latent_heat",
    "prandtl_ph",
    "prandtl_pt",
    "reference_ph",
    "region_boundary_distance",
    "saturated_liquid_density",
    "saturated_liquid_enthalpy",
    "saturated_vapour_density",
    "saturated_vapour_enthalpy",
    "saturation_pressure",
    "saturation_temperature",
    "temperature_density_ph",
    "temperature_ph",
    "viscosity_ph",
    "viscosity_pt",
]

T_CRITICAL = 647.096  # critical temperature [K] (IF97 eq. 3)
P_CRITICAL = 22.064e6  # critical pressure [Pa] (IF97 eq. 4)

_T_MIN = 273.15  # [K]
_T_MAX = 1073.15  # [K], regions 1-3 (p <= 100 MPa)
_T_MAX_REGION5 = 2273.15  # [K], region 5 (p <= 50 MPa)
_P_MAX = 100.0e6  # [Pa]
_P_MAX_REGION5 = 50.0e6  # [Pa]
_P_SAT_MIN = 611.212677  # saturation pressure at 273.15 K [Pa] (IF97 §2)

# Newton refinement of T(p, h): one step usually suffices (the backward error is <= 25 mK); near
# saturation on the vapour side, where cp varies fast, it takes two or three.
_NEWTON_MAX_STEPS = 4
_NEWTON_TOL_K = 1e-7
_COOLPROP_ERRORS = (ValueError, IndexError, RuntimeError)


def _state() -> Any:
    """This thread's IF97 state for single-phase and (p, h) updates (see ``_coolprop``)."""
    return state("water")


def _sat_state() -> Any:
    """This thread's IF97 state for the saturation line."""
    return state("water.sat")


# --------------------------------------------------------------------------------------------------
# Range checks and state updates
# --------------------------------------------------------------------------------------------------


def _check_pt(p: float, t: float) -> None:
    """Raise ``ValueError`` if (p, T) is outside the IF97 range of validity."""
    if not 0.0 < p <= _P_MAX:
        raise ValueError(f"pressure p = {p!r} Pa is outside IAPWS-IF97 validity (0 < p <= 100 MPa)")
    if not _T_MIN <= t <= _T_MAX_REGION5 or (t > _T_MAX and p > _P_MAX_REGION5):
        raise ValueError(
            f"temperature T = {t!r} K at p = {p!r} Pa is outside IAPWS-IF97 validity "
            "(273.15 K <= T <= 1073.15 K at p <= 100 MPa; up to 2273.15 K at p <= 50 MPa)"
        )


def _update_pt(p: float, t: float) -> Any:
    """Set this thread's state to (p, T), with range checks; return the state."""
    _check_pt(p, t)
    st = _state()
    try:
        st.update(coolprop().PT_INPUTS, p, t)
    except _COOLPROP_ERRORS as exc:
        raise ValueError(
            f"water state at p = {p!r} Pa, T = {t!r} K is outside IAPWS-IF97 validity ({exc})"
        ) from exc
    return st


def _update_ph(p: float, h: float) -> tuple[Any, bool]:
    """Set this thread's state to (p, h) at the refined temperature; return it and "two-phase".

    The backward equation T(p, h) gives T_0; one Newton step on the basic equation h(p, T) removes
    its inconsistency (up to 25 mK, IF97 eq. 12). See the module docstring.
    """
    if not 0.0 < p <= _P_MAX:
        raise ValueError(f"pressure p = {p!r} Pa is outside IAPWS-IF97 validity (0 < p <= 100 MPa)")
    if not math.isfinite(h):
        raise ValueError(f"specific enthalpy h = {h!r} J/kg is not a finite number")
    cp = coolprop()
    st = _state()
    try:
        st.update(cp.HmassP_INPUTS, h, p)
    except _COOLPROP_ERRORS as exc:
        raise ValueError(
            f"specific enthalpy h = {h!r} J/kg at p = {p!r} Pa is outside the IAPWS-IF97 range "
            f"that CoolProp can invert ({exc})"
        ) from exc
    phase = st.phase()
    if phase == cp.iphase_twophase:
        return st, True
    t = st.T()
    for _ in range(_NEWTON_MAX_STEPS):
        _update_pt(p, t)
        if st.phase() != phase:
            # T lies on the other side of saturation by a few mK: keep the backward state.
            st.update(cp.HmassP_INPUTS, h, p)
            return st, False
        step = (h - st.hmass()) / st.cpmass()
        t += step
        if abs(step) < _NEWTON_TOL_K:
            break
    _update_pt(p, t)
    if st.phase() != phase:
        st.update(cp.HmassP_INPUTS, h, p)
    return st, False


def _single_phase_ph(p: float, h: float, quantity: str) -> Any:
    """Set the state to (p, h) and return it, raising if two-phase (``quantity`` undefined)."""
    st, two_phase = _update_ph(p, h)
    if two_phase:
        raise ValueError(
            f"{quantity} is not defined in the two-phase region: p = {p!r} Pa, h = {h!r} J/kg "
            f"(vapour quality {st.Q():.4f})"
        )
    return st


def _apply(fn: Callable[..., float], *args: ArrayLike) -> float | np.ndarray:
    """Evaluate a scalar function on scalars (fast path) or on broadcast arrays (loop)."""
    if all(isinstance(a, float | int) for a in args):  # Python and NumPy float scalars
        return fn(*args)
    if all(np.ndim(a) == 0 for a in args):
        return fn(*(float(a) for a in args))
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in args))
    out = np.empty(arrays[0].shape)
    for index in np.ndindex(out.shape):
        out[index] = fn(*(float(a[index]) for a in arrays))
    return out


# --------------------------------------------------------------------------------------------------
# Scalar kernels
# --------------------------------------------------------------------------------------------------


def _enthalpy_pt(p: float, t: float) -> float:
    return _update_pt(p, t).hmass()


def _density_pt(p: float, t: float) -> float:
    return _update_pt(p, t).rhomass()


def _cp_pt(p: float, t: float) -> float:
    return _update_pt(p, t).cpmass()


def _viscosity_pt(p: float, t: float) -> float:
    return _update_pt(p, t).viscosity()


def _conductivity_pt(p: float, t: float) -> float:
    return _update_pt(p, t).conductivity()


def _prandtl_pt(p: float, t: float) -> float:
    st = _update_pt(p, t)
    return st.cpmass() * st.viscosity() / st.conductivity()


def _temperature_ph(p: float, h: float) -> float:
    return _update_ph(p, h)[0].T()


def _density_ph(p: float, h: float) -> float:
    return _update_ph(p, h)[0].rhomass()


def _cp_ph(p: float, h: float) -> float:
    return _single_phase_ph(p, h, "cp").cpmass()


def _viscosity_ph(p: float, h: float) -> float:
    return _single_phase_ph(p, h, "viscosity").viscosity()


def _conductivity_ph(p: float, h: float) -> float:
    return _single_phase_ph(p, h, "thermal conductivity").conductivity()


def _prandtl_ph(p: float, h: float) -> float:
    st = _single_phase_ph(p, h, "Prandtl number")
    return st.cpmass() * st.viscosity() / st.conductivity()


def _sat_p(p: float, quality: float) -> Any:
    """Set this thread's saturation state at pressure p and quality 0 or 1; return it."""
    if not _P_SAT_MIN <= p <= P_CRITICAL:
        raise ValueError(
            f"pressure p = {p!r} Pa is outside the IAPWS-IF97 saturation line "
            "(611.212677 Pa <= p <= 22.064 MPa)"
        )
    st = _sat_state()
    try:
        st.update(coolprop().PQ_INPUTS, p, quality)
    except _COOLPROP_ERRORS as exc:
        raise ValueError(f"saturation state at p = {p!r} Pa failed in CoolProp ({exc})") from exc
    return st


def _saturation_temperature(p: float) -> float:
    return _sat_p(p, 0.0).T()


def _saturation_pressure(t: float) -> float:
    if not _T_MIN <= t <= T_CRITICAL:
        raise ValueError(
            f"temperature T = {t!r} K is outside the IAPWS-IF97 saturation line "
            "(273.15 K <= T <= 647.096 K)"
        )
    st = _sat_state()
    try:
        st.update(coolprop().QT_INPUTS, 0.0, t)
    except _COOLPROP_ERRORS as exc:
        raise ValueError(f"saturation state at T = {t!r} K failed in CoolProp ({exc})") from exc
    return st.p()


def _sat_liquid_enthalpy(p: float) -> float:
    return _sat_p(p, 0.0).hmass()


def _sat_vapour_enthalpy(p: float) -> float:
    return _sat_p(p, 1.0).hmass()


def _sat_liquid_density(p: float) -> float:
    return _sat_p(p, 0.0).rhomass()


def _sat_vapour_density(p: float) -> float:
    return _sat_p(p, 1.0).rhomass()


def _latent_heat(p: float) -> float:
    h_v = _sat_p(p, 1.0).hmass()
    return h_v - _sat_p(p, 0.0).hmass()


# --------------------------------------------------------------------------------------------------
# Public functions of (p, T)
# --------------------------------------------------------------------------------------------------


def enthalpy_pt(p: ArrayLike, t: ArrayLike) -> float | np.ndarray:
    """Specific enthalpy h(p, T) from the IF97 basic equations.

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    t : array_like
        Temperature [K].

    Returns
    -------
    float or ndarray
        Specific enthalpy [J/kg] (IF97 reference: u = s = 0 for liquid at the triple point).

    References
    ----------
    Wagner et al. (2000); see the module docstring.
    """
    return _apply(_enthalpy_pt, p, t)


def temperature_density_ph(p: float, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Temperature [K] and density [kg/m3] at one pressure for an array of enthalpies.

    The hot path of the plant models: one state update per node gives both properties, as
    :func:`temperature_ph` and :func:`density_ph` would (same refinement, same checks).

    Parameters
    ----------
    p : float
        Pressure [Pa].
    h : ndarray
        Specific enthalpies [J/kg].

    Returns
    -------
    (ndarray, ndarray)
        Temperatures [K] and densities [kg/m3], shaped as ``h``.
    """
    h = np.asarray(h, dtype=float)
    t = np.empty_like(h)
    rho = np.empty_like(h)
    p = float(p)
    for i, hi in enumerate(h.flat):
        st = _update_ph(p, float(hi))[0]
        t.flat[i] = st.T()
        rho.flat[i] = st.rhomass()
    return t, rho


def density_pt(p: ArrayLike, t: ArrayLike) -> float | np.ndarray:
    """Density rho(p, T) = 1/v(p, T) from the IF97 basic equations.

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    t : array_like
        Temperature [K].

    Returns
    -------
    float or ndarray
        Density [kg/m3].

    References
    ----------
    Wagner et al. (2000); see the module docstring.
    """
    return _apply(_density_pt, p, t)


def cp_pt(p: ArrayLike, t: ArrayLike) -> float | np.ndarray:
    """Isobaric specific heat capacity cp(p, T) from the IF97 basic equations.

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    t : array_like
        Temperature [K].

    Returns
    -------
    float or ndarray
        Specific heat capacity at constant pressure [J/kg/K].

    References
    ----------
    Wagner et al. (2000); see the module docstring.
    """
    return _apply(_cp_pt, p, t)


def viscosity_pt(p: ArrayLike, t: ArrayLike) -> float | np.ndarray:
    """Dynamic viscosity mu(p, T): IAPWS R12-08 on the IF97 state (CoolProp IF97 backend).

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    t : array_like
        Temperature [K].

    Returns
    -------
    float or ndarray
        Dynamic viscosity [Pa s].

    References
    ----------
    IAPWS R12-08 (2008), viscosity of ordinary water substance; Bell et al. (2014).
    """
    return _apply(_viscosity_pt, p, t)


def conductivity_pt(p: ArrayLike, t: ArrayLike) -> float | np.ndarray:
    """Thermal conductivity k(p, T): IAPWS R15-11 on the IF97 state (CoolProp IF97 backend).

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    t : array_like
        Temperature [K].

    Returns
    -------
    float or ndarray
        Thermal conductivity [W/m/K].

    References
    ----------
    IAPWS R15-11 (2011), thermal conductivity of ordinary water substance; Bell et al. (2014).
    """
    return _apply(_conductivity_pt, p, t)


def prandtl_pt(p: ArrayLike, t: ArrayLike) -> float | np.ndarray:
    """Prandtl number Pr = cp mu / k at (p, T).

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    t : array_like
        Temperature [K].

    Returns
    -------
    float or ndarray
        Prandtl number [1].

    References
    ----------
    Definition; properties as in :func:`cp_pt`, :func:`viscosity_pt`, :func:`conductivity_pt`.
    """
    return _apply(_prandtl_pt, p, t)


# --------------------------------------------------------------------------------------------------
# Public functions of (p, h)
# --------------------------------------------------------------------------------------------------


def temperature_ph(p: ArrayLike, h: ArrayLike) -> float | np.ndarray:
    r"""Temperature T(p, h): IF97 backward equation refined by Newton steps on h(p, T).

    .. math:: T_{k+1} = T_k + \frac{h - h(p, T_k)}{c_p(p, T_k)}, \qquad T_0 = T_{\rm backward}(p, h)

    In the two-phase region the result is the saturation temperature.

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    h : array_like
        Specific enthalpy [J/kg].

    Returns
    -------
    float or ndarray
        Temperature [K]; ``T(p, h(p, T)) == T`` to about 1e-8 K in regions 1 and 2 (some mK in
        region 3 and within some mK of saturation, where the backward value is kept).

    References
    ----------
    Wagner et al. (2000), §5.2 (backward equation, consistency ±25 mK); see the module docstring.
    """
    return _apply(_temperature_ph, p, h)


def density_ph(p: ArrayLike, h: ArrayLike) -> float | np.ndarray:
    """Density rho(p, h); homogeneous mixture density in the two-phase region.

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    h : array_like
        Specific enthalpy [J/kg].

    Returns
    -------
    float or ndarray
        Density [kg/m3].

    References
    ----------
    Wagner et al. (2000); see the module docstring.
    """
    return _apply(_density_ph, p, h)


def cp_ph(p: ArrayLike, h: ArrayLike) -> float | np.ndarray:
    """Isobaric specific heat capacity cp(p, h) (single phase only).

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    h : array_like
        Specific enthalpy [J/kg].

    Returns
    -------
    float or ndarray
        Specific heat capacity at constant pressure [J/kg/K].

    References
    ----------
    Wagner et al. (2000); see the module docstring.
    """
    return _apply(_cp_ph, p, h)


def viscosity_ph(p: ArrayLike, h: ArrayLike) -> float | np.ndarray:
    """Dynamic viscosity mu(p, h) (single phase only).

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    h : array_like
        Specific enthalpy [J/kg].

    Returns
    -------
    float or ndarray
        Dynamic viscosity [Pa s].

    References
    ----------
    IAPWS R12-08 (2008); Bell et al. (2014).
    """
    return _apply(_viscosity_ph, p, h)


def conductivity_ph(p: ArrayLike, h: ArrayLike) -> float | np.ndarray:
    """Thermal conductivity k(p, h) (single phase only).

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    h : array_like
        Specific enthalpy [J/kg].

    Returns
    -------
    float or ndarray
        Thermal conductivity [W/m/K].

    References
    ----------
    IAPWS R15-11 (2011); Bell et al. (2014).
    """
    return _apply(_conductivity_ph, p, h)


def prandtl_ph(p: ArrayLike, h: ArrayLike) -> float | np.ndarray:
    """Prandtl number Pr = cp mu / k at (p, h) (single phase only).

    Parameters
    ----------
    p : array_like
        Pressure [Pa].
    h : array_like
        Specific enthalpy [J/kg].

    Returns
    -------
    float or ndarray
        Prandtl number [1].

    References
    ----------
    Definition; properties as in :func:`cp_ph`, :func:`viscosity_ph`, :func:`conductivity_ph`.
    """
    return _apply(_prandtl_ph, p, h)


# --------------------------------------------------------------------------------------------------
# Saturation
# --------------------------------------------------------------------------------------------------


def saturation_temperature(p: ArrayLike) -> float | np.ndarray:
    """Saturation temperature T_s(p) (IF97 region 4 backward equation, eq. 31).

    Parameters
    ----------
    p : array_like
        Pressure [Pa], 611.212677 Pa <= p <= 22.064 MPa.

    Returns
    -------
    float or ndarray
        Saturation temperature [K].

    References
    ----------
    Wagner et al. (2000), §8.
    """
    return _apply(_saturation_temperature, p)


def saturation_pressure(t: ArrayLike) -> float | np.ndarray:
    """Saturation pressure p_s(T) (IF97 region 4 basic equation, eq. 30).

    Parameters
    ----------
    t : array_like
        Temperature [K], 273.15 K <= T <= 647.096 K.

    Returns
    -------
    float or ndarray
        Saturation pressure [Pa].

    References
    ----------
    Wagner et al. (2000), §8.
    """
    return _apply(_saturation_pressure, t)


def saturated_liquid_enthalpy(p: ArrayLike) -> float | np.ndarray:
    """Specific enthalpy of saturated liquid h_f(p).

    Parameters
    ----------
    p : array_like
        Pressure [Pa], 611.212677 Pa <= p <= 22.064 MPa.

    Returns
    -------
    float or ndarray
        Specific enthalpy [J/kg].

    References
    ----------
    Wagner et al. (2000), §8 with the region 1/3 equations.
    """
    return _apply(_sat_liquid_enthalpy, p)


def saturated_vapour_enthalpy(p: ArrayLike) -> float | np.ndarray:
    """Specific enthalpy of saturated vapour h_g(p).

    Parameters
    ----------
    p : array_like
        Pressure [Pa], 611.212677 Pa <= p <= 22.064 MPa.

    Returns
    -------
    float or ndarray
        Specific enthalpy [J/kg].

    References
    ----------
    Wagner et al. (2000), §8 with the region 2/3 equations.
    """
    return _apply(_sat_vapour_enthalpy, p)


def saturated_liquid_density(p: ArrayLike) -> float | np.ndarray:
    """Density of saturated liquid rho_f(p).

    Parameters
    ----------
    p : array_like
        Pressure [Pa], 611.212677 Pa <= p <= 22.064 MPa.

    Returns
    -------
    float or ndarray
        Density [kg/m3].

    References
    ----------
    Wagner et al. (2000), §8 with the region 1/3 equations.
    """
    return _apply(_sat_liquid_density, p)


def saturated_vapour_density(p: ArrayLike) -> float | np.ndarray:
    """Density of saturated vapour rho_g(p).

    Parameters
    ----------
    p : array_like
        Pressure [Pa], 611.212677 Pa <= p <= 22.064 MPa.

    Returns
    -------
    float or ndarray
        Density [kg/m3].

    References
    ----------
    Wagner et al. (2000), §8 with the region 2/3 equations.
    """
    return _apply(_sat_vapour_density, p)


def latent_heat(p: ArrayLike) -> float | np.ndarray:
    """Latent heat of vaporization h_fg(p) = h_g(p) - h_f(p).

    Parameters
    ----------
    p : array_like
        Pressure [Pa], 611.212677 Pa <= p <= 22.064 MPa (zero at the critical point).

    Returns
    -------
    float or ndarray
        Latent heat [J/kg].

    References
    ----------
    Wagner et al. (2000), §8.
    """
    return _apply(_latent_heat, p)


# --------------------------------------------------------------------------------------------------
# Reference state on (p, h), for checks of tables
# --------------------------------------------------------------------------------------------------


class PhReference(NamedTuple):
    """IF97 state at (p, h) with the density derivatives (SI), from :func:`reference_ph`."""

    temperature: float  # [K]
    density: float  # [kg/m3]
    drho_dh: float  # (d rho/d h)_p [kg2/(m3 J)]
    drho_dp: float  # (d rho/d p)_h [kg/(m3 Pa)]
    cp: float  # [J/kg/K] (NaN two-phase)
    viscosity: float  # [Pa s] (NaN two-phase)
    conductivity: float  # [W/m/K] (NaN two-phase)
    phase: str  # "liquid", "vapour", "two-phase" or "supercritical"


def _one_sided(f: Callable[[float], float], x: float, dx: float, side: float) -> float:
    """Second-order one-sided (side = +1 or -1) or central (side = 0) difference f'(x)."""
    if side == 0.0:
        return (f(x + dx) - f(x - dx)) / (2.0 * dx)
    d = side * dx
    return (-3.0 * f(x) + 4.0 * f(x + d) - f(x + 2.0 * d)) / (2.0 * d)


def reference_ph(p: float, h: float) -> PhReference:
    r"""The IAPWS-IF97 state at (p, h), found without CoolProp's (p, h) input (slow; for checks).

    T solves h(p, T) = h by Brent's method on the basic equations (CoolProp (p, T) input) in the
    phase the point belongs to, so it works above the critical pressure too, where CoolProp's IF97
    cannot invert (p, h). The derivatives come from finite differences of the (p, T) functions,
    taken on the point's own side of the saturation line:

    .. math::

        \left(\frac{\partial\rho}{\partial h}\right)_p = \frac{(\partial\rho/\partial T)_p}{c_p},
        \qquad
        \left(\frac{\partial\rho}{\partial p}\right)_h = \left(\frac{\partial\rho}{\partial p}
        \right)_T - \frac{(\partial\rho/\partial T)_p\,(\partial h/\partial p)_T}{c_p}

    In the two-phase region: T_sat, the homogeneous density 1/rho = (1 - x)/rho_f + x/rho_g, its
    derivatives, and NaN for cp, viscosity and conductivity.

    Parameters
    ----------
    p : float
        Pressure [Pa], 611.2 Pa to 100 MPa.
    h : float
        Specific enthalpy [J/kg].

    Returns
    -------
    PhReference

    References
    ----------
    Wagner et al. (2000); R. P. Brent, *Algorithms for Minimization without Derivatives* (1973).
    """
    from scipy.optimize import brentq

    cp = coolprop()
    st = state("water.reference")

    def rho_pt(pp: float, t: float) -> float:
        st.update(cp.PT_INPUTS, pp, t)
        return st.rhomass()

    def h_pt(pp: float, t: float) -> float:
        st.update(cp.PT_INPUTS, pp, t)
        return st.hmass()

    t_sat = math.nan
    if p < P_CRITICAL:
        t_sat = _saturation_temperature(p)
        h_f, h_g = _sat_liquid_enthalpy(p), _sat_vapour_enthalpy(p)
        if h_f < h < h_g:

            def rho_mix(pp: float) -> float:
                hf, hg = _sat_liquid_enthalpy(pp), _sat_vapour_enthalpy(pp)
                x = (h - hf) / (hg - hf)
                return 1.0 / ((1.0 - x) / _sat_liquid_density(pp) + x / _sat_vapour_density(pp))

            rho_f, rho_g = _sat_liquid_density(p), _sat_vapour_density(p)
            rho = rho_mix(p)
            drho_dh = -rho * rho * (1.0 / rho_g - 1.0 / rho_f) / (h_g - h_f)
            nan = math.nan
            drho_dp = _one_sided(rho_mix, p, 1e-6 * p, 0.0)
            return PhReference(t_sat, rho, drho_dh, drho_dp, nan, nan, nan, "two-phase")
        liquid = h <= h_f
        t_lo, t_hi = (_T_MIN, t_sat) if liquid else (t_sat, _T_MAX)
        phase = "liquid" if liquid else "vapour"
        side_t, side_p = (-1.0, 1.0) if liquid else (1.0, -1.0)
    else:
        t_lo, t_hi, phase, side_t, side_p = _T_MIN, _T_MAX, "supercritical", 0.0, 0.0
    eps = 1e-9 * t_hi
    t = brentq(lambda tt: h_pt(p, tt) - h, t_lo + eps, t_hi - eps, xtol=1e-11, rtol=1e-15)
    st.update(cp.PT_INPUTS, p, t)
    rho, c_p, mu, k = st.rhomass(), st.cpmass(), st.viscosity(), st.conductivity()
    drho_dt = _one_sided(lambda tt: rho_pt(p, tt), t, 1e-4, side_t)
    drho_dp_t = _one_sided(lambda pp: rho_pt(pp, t), p, 1e-6 * p, side_p)
    dh_dp_t = _one_sided(lambda pp: h_pt(pp, t), p, 1e-6 * p, side_p)
    return PhReference(
        t,
        rho,
        drho_dt / c_p,
        drho_dp_t - drho_dt * dh_dp_t / c_p,
        c_p,
        mu,
        k,
        phase,
    )


# IF97 eq. 5: the boundary between regions 2 and 3 (B23), T(p) = n4 + sqrt((p/1 MPa - n5)/n3).
_B23_N3 = 0.10192970039326e-2
_B23_N4 = 0.57254459862746e3
_B23_N5 = 0.13918839778870e2
_T_13 = 623.15  # boundary of regions 1 and 3 [K]
_P_13 = 16.5291643e6  # saturation pressure at 623.15 K [Pa]


def region_boundary_distance(p: float, t: float) -> float:
    """Temperature distance [K] from (p, T) to the nearest IF97 region boundary inside which
    region 3 meets region 1 (T = 623.15 K) or region 2 (the B23 line, IF97 eq. 5).

    The IF97 equations of neighbouring regions agree across these boundaries only to their
    stated consistency (CoolProp's IF97 shows steps of 1e-5 to 1e-4 in density there), so a
    smooth table cannot follow both sides; checks treat such points separately. Below
    16.53 MPa (where region 3 begins) the distance is infinite.

    Parameters
    ----------
    p : float
        Pressure [Pa].
    t : float
        Temperature [K].

    Returns
    -------
    float
        Distance [K].

    References
    ----------
    Wagner et al. (2000), §4 (eq. 5, the B23 equation) and §3 (region boundaries).
    """
    if p <= _P_13:
        return math.inf
    t_b23 = _B23_N4 + math.sqrt(max((p / 1e6 - _B23_N5) / _B23_N3, 0.0))
    return min(abs(t - _T_13), abs(t - t_b23))
