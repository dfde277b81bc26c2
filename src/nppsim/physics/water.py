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
pressure (h around 1.7-2.6 MJ/kg at p > 22.064 MPa): those inputs raise ``ValueError``. The module
shares two CoolProp state objects, so it is not thread-safe.

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

import CoolProp
import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "P_CRITICAL",
    "T_CRITICAL",
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

_CP = CoolProp.CoolProp
# Module-level state objects: creating one costs far more than updating it.
_STATE = _CP.AbstractState("IF97", "Water")
_SAT = _CP.AbstractState("IF97", "Water")

_TWO_PHASE = _CP.iphase_twophase
# Newton refinement of T(p, h): one step usually suffices (the backward error is <= 25 mK); near
# saturation on the vapour side, where cp varies fast, it takes two or three.
_NEWTON_MAX_STEPS = 4
_NEWTON_TOL_K = 1e-7
_COOLPROP_ERRORS = (ValueError, IndexError, RuntimeError)


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


def _update_pt(p: float, t: float) -> None:
    """Set the shared state to (p, T), with range checks."""
    _check_pt(p, t)
    try:
        _STATE.update(_CP.PT_INPUTS, p, t)
    except _COOLPROP_ERRORS as exc:
        raise ValueError(
            f"water state at p = {p!r} Pa, T = {t!r} K is outside IAPWS-IF97 validity ({exc})"
        ) from exc


def _update_ph(p: float, h: float) -> bool:
    """Set the shared state to (p, h) at the refined temperature; return True if two-phase.

    The backward equation T(p, h) gives T_0; one Newton step on the basic equation h(p, T) removes
    its inconsistency (up to 25 mK, IF97 eq. 12). See the module docstring.
    """
    if not 0.0 < p <= _P_MAX:
        raise ValueError(f"pressure p = {p!r} Pa is outside IAPWS-IF97 validity (0 < p <= 100 MPa)")
    if not math.isfinite(h):
        raise ValueError(f"specific enthalpy h = {h!r} J/kg is not a finite number")
    try:
        _STATE.update(_CP.HmassP_INPUTS, h, p)
    except _COOLPROP_ERRORS as exc:
        raise ValueError(
            f"specific enthalpy h = {h!r} J/kg at p = {p!r} Pa is outside the IAPWS-IF97 range "
            f"that CoolProp can invert ({exc})"
        ) from exc
    phase = _STATE.phase()
    if phase == _TWO_PHASE:
        return True
    t = _STATE.T()
    for _ in range(_NEWTON_MAX_STEPS):
        _update_pt(p, t)
        if _STATE.phase() != phase:
            # T lies on the other side of saturation by a few mK: keep the backward state.
            _STATE.update(_CP.HmassP_INPUTS, h, p)
            return False
        step = (h - _STATE.hmass()) / _STATE.cpmass()
        t += step
        if abs(step) < _NEWTON_TOL_K:
            break
    _update_pt(p, t)
    if _STATE.phase() != phase:
        _STATE.update(_CP.HmassP_INPUTS, h, p)
    return False


def _single_phase_ph(p: float, h: float, quantity: str) -> None:
    """Set the state to (p, h), raising if it is two-phase (``quantity`` undefined there)."""
    if _update_ph(p, h):
        raise ValueError(
            f"{quantity} is not defined in the two-phase region: p = {p!r} Pa, h = {h!r} J/kg "
            f"(vapour quality {_STATE.Q():.4f})"
        )


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
    _update_pt(p, t)
    return _STATE.hmass()


def _density_pt(p: float, t: float) -> float:
    _update_pt(p, t)
    return _STATE.rhomass()


def _cp_pt(p: float, t: float) -> float:
    _update_pt(p, t)
    return _STATE.cpmass()


def _viscosity_pt(p: float, t: float) -> float:
    _update_pt(p, t)
    return _STATE.viscosity()


def _conductivity_pt(p: float, t: float) -> float:
    _update_pt(p, t)
    return _STATE.conductivity()


def _prandtl_pt(p: float, t: float) -> float:
    _update_pt(p, t)
    return _STATE.cpmass() * _STATE.viscosity() / _STATE.conductivity()


def _temperature_ph(p: float, h: float) -> float:
    _update_ph(p, h)
    return _STATE.T()


def _density_ph(p: float, h: float) -> float:
    _update_ph(p, h)
    return _STATE.rhomass()


def _cp_ph(p: float, h: float) -> float:
    _single_phase_ph(p, h, "cp")
    return _STATE.cpmass()


def _viscosity_ph(p: float, h: float) -> float:
    _single_phase_ph(p, h, "viscosity")
    return _STATE.viscosity()


def _conductivity_ph(p: float, h: float) -> float:
    _single_phase_ph(p, h, "thermal conductivity")
    return _STATE.conductivity()


def _prandtl_ph(p: float, h: float) -> float:
    _single_phase_ph(p, h, "Prandtl number")
    return _STATE.cpmass() * _STATE.viscosity() / _STATE.conductivity()


def _sat_p(p: float, quality: float) -> None:
    """Set the saturation state at pressure p and vapour quality 0 or 1."""
    if not _P_SAT_MIN <= p <= P_CRITICAL:
        raise ValueError(
            f"pressure p = {p!r} Pa is outside the IAPWS-IF97 saturation line "
            "(611.212677 Pa <= p <= 22.064 MPa)"
        )
    try:
        _SAT.update(_CP.PQ_INPUTS, p, quality)
    except _COOLPROP_ERRORS as exc:
        raise ValueError(f"saturation state at p = {p!r} Pa failed in CoolProp ({exc})") from exc


def _saturation_temperature(p: float) -> float:
    _sat_p(p, 0.0)
    return _SAT.T()


def _saturation_pressure(t: float) -> float:
    if not _T_MIN <= t <= T_CRITICAL:
        raise ValueError(
            f"temperature T = {t!r} K is outside the IAPWS-IF97 saturation line "
            "(273.15 K <= T <= 647.096 K)"
        )
    try:
        _SAT.update(_CP.QT_INPUTS, 0.0, t)
    except _COOLPROP_ERRORS as exc:
        raise ValueError(f"saturation state at T = {t!r} K failed in CoolProp ({exc})") from exc
    return _SAT.p()


def _sat_liquid_enthalpy(p: float) -> float:
    _sat_p(p, 0.0)
    return _SAT.hmass()


def _sat_vapour_enthalpy(p: float) -> float:
    _sat_p(p, 1.0)
    return _SAT.hmass()


def _sat_liquid_density(p: float) -> float:
    _sat_p(p, 0.0)
    return _SAT.rhomass()


def _sat_vapour_density(p: float) -> float:
    _sat_p(p, 1.0)
    return _SAT.rhomass()


def _latent_heat(p: float) -> float:
    _sat_p(p, 1.0)
    h_v = _SAT.hmass()
    _SAT.update(_CP.PQ_INPUTS, p, 0.0)
    return h_v - _SAT.hmass()


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
        _update_ph(p, float(hi))
        t.flat[i] = _STATE.T()
        rho.flat[i] = _STATE.rhomass()
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
