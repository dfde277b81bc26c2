r"""Fuel-rod heat transfer for a lumped axial node: material properties, resistances, film, solver.

A node is one axial slice of an average (or hot) fuel rod: a solid UO2 pellet of radius
:math:`r_f`, a gap closed by a conductance :math:`h_{gap}`, a cladding tube
:math:`r_{ci} < r < r_{co}`, and the coolant film with coefficient :math:`h`. With a uniform
volumetric source in the pellet and steady radial conduction, per unit length (linear heat rate q'
[W/m]):

.. math::

    T_{co} = T_b + \frac{q'}{2\pi r_{co} h}, \qquad
    \int_{T_{co}}^{T_{ci}} k_c\,dT = \frac{q' \ln(r_{co}/r_{ci})}{2\pi}, \qquad
    T_{fs} = T_{ci} + \frac{q'}{2\pi r_f h_{gap}},

    \int_{T_{fs}}^{T_{c}} k_f\,dT = \frac{q'}{4\pi}, \qquad
    \bar T_f = \frac{\int_{T_{fs}}^{T_c} T\,k_f\,dT}{\int_{T_{fs}}^{T_c} k_f\,dT}.

The last line is the exact volume average for a temperature-dependent conductivity: with
:math:`s = r^2/r_f^2` the conduction integral is linear in s, so
:math:`\bar T = \int_0^1 T\,ds = (4\pi/q')\int T k\,dT`. For a constant k it reduces to
:math:`\bar T_f - T_{fs} = q'/(8\pi k)` and :math:`T_c - T_{fs} = q'/(4\pi k)`.

Assumptions and limits: solid pellet (VVER pellets have a central hole of about 1.4 mm; ignoring it
overestimates the centre temperature slightly), uniform power across the pellet (no rim
effect), fresh 95 %-dense UO2 (no burnup degradation of k, no porosity correction), gap
conductance given (no gap model), no oxide layer or crud, no radiation across the gap, single-phase
forced convection (no boiling).

References
----------
* J. K. Fink, Thermophysical properties of uranium dioxide, J. Nucl. Mater. 279 (2000) 1-18.
* S. G. Popov, J. J. Carbajo, V. K. Ivanov, G. L. Yoder, Thermophysical properties of MOX and UO2
  fuels including the effects of irradiation, ORNL/TM-2000/351 (2000), eq. 4.2 (heat capacity).
* B. Yu. Volkov et al., Material property library for H1-alloy cladding, Preprint IAE-4941/11,
  Kurchatov Institute (1989): Zr-1%Nb (E110) properties as coded in the NRC FRAPTRAN module
  ``zirconium_fraptran`` (functions ``cthcon``, ``ccp``, cladding types 6 and 8).
* F. W. Dittus, L. M. K. Boelter, Univ. Calif. Publ. Eng. 2 (1930) 443 (form of McAdams 1954).
* J. Weisman, Heat transfer to water flowing parallel to tube bundles, Nucl. Sci. Eng. 6 (1959)
  78-79; N. E. Todreas, M. S. Kazimi, *Nuclear Systems I*, ch. 10 (rod-bundle correction) and
  ch. 8 (fuel-rod conduction).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.special import gamma, gammaincc

from nppsim._jit import njit

__all__ = [
    "NodeTemperatures",
    "RodGeometry",
    "clad_resistance",
    "dittus_boelter_nusselt",
    "film_resistance",
    "fuel_resistance_average",
    "fuel_resistance_centre",
    "gap_resistance",
    "heat_transfer_coefficient",
    "hydraulic_diameter_triangular",
    "steady_state_node",
    "uo2_conductivity",
    "uo2_conductivity_integral",
    "uo2_specific_heat",
    "weisman_factor",
    "zr1nb_conductivity",
    "zr1nb_conductivity_integral",
    "zr1nb_specific_heat",
]

Conductivity = float | Callable[[float], float] | None

# --- UO2 conductivity, Fink (2000), 95 % of theoretical density, t = T/1000 K ---------------------
# k = 100/(A + B t + C t^2) + D t^-5/2 exp(-E/t)  [W/m/K]
_UO2_A, _UO2_B, _UO2_C = 7.5408, 17.692, 3.6142
_UO2_D, _UO2_E = 6400.0, 16.35
# Fink's range is 298-3120 K; the phonon term is smooth down to 273.15 K, which lets cold
# (room-temperature) states be computed: a short extrapolation, documented.
UO2_T_MIN = 273.15  # [K]
UO2_T_MAX = 3120.0  # [K], melting point

# --- UO2 specific heat, ORNL/TM-2000/351 eq. 4.2 (Fink's recommendation per kg) -------------------
_UO2_CP_C1 = 302.27  # [J/kg/K]
_UO2_CP_C2 = 8.463e-3  # [J/kg/K^2]
_UO2_CP_C3 = 8.741e7  # [J/kg]
_UO2_CP_THETA = 548.68  # Einstein temperature [K]
_UO2_CP_EA = 18531.7  # activation energy over R [K]

# --- Zr-1%Nb (E110), RRC-KI (Volkov et al. 1989) as coded in FRAPTRAN -----------------------------
_ZR_K_A = 15.0636  # [W/m/K]
_ZR_K_B = 4.61843e-4  # [1/K]
ZR1NB_T_MIN = 273.15  # [K]
ZR1NB_T_MAX = 2133.0  # [K], melting point of the RRC-KI library
# cp [J/kg/K] at low heating rate (< 1000 K/s), linear between points; the peak at 883-1153 K is
# the alpha -> beta transformation (latent heat spread over the transformation range).
_ZR_CP_T = (280.0, 473.0, 573.0, 673.0, 773.0, 873.0, 883.0, 973.0, 1025.0, 1073.0, 1153.0, 1173.0)
_ZR_CP = (345.0, 360.0, 370.0, 380.0, 383.0, 385.0, 448.0, 680.0, 816.0, 770.0, 400.0, 392.0)

# --- Convection ---------------------------------------------------------------------------------
_DB_COEFFICIENT = 0.023
_WEISMAN_PD_MIN, _WEISMAN_PD_MAX = 1.1, 1.5


# --------------------------------------------------------------------------------------------------
# Material properties
# --------------------------------------------------------------------------------------------------


def _check_range(name: str, t: np.ndarray, t_min: float, t_max: float) -> None:
    """Raise ``ValueError`` naming the first temperature outside [t_min, t_max] [K]."""
    if not np.all((t >= t_min) & (t <= t_max)):
        bad = t[~((t >= t_min) & (t <= t_max))].ravel()[0]
        raise ValueError(
            f"{name}: temperature T = {bad!r} K is outside the correlation's range "
            f"({t_min} K <= T <= {t_max} K)"
        )


def uo2_conductivity(t: ArrayLike) -> float | np.ndarray:
    r"""Thermal conductivity of unirradiated UO2 at 95 % of theoretical density (Fink 2000).

    .. math:: k = \frac{100}{7.5408 + 17.692\,\tau + 3.6142\,\tau^2}
        + \frac{6400}{\tau^{5/2}} \exp\left(-\frac{16.35}{\tau}\right),
        \qquad \tau = T/1000\ {\rm K}

    The first term is the lattice (phonon) conduction, the second the ambipolar (small-polaron)
    contribution that makes k rise again above about 2000 K. Range 298-3120 K (Fink), extended
    here to 273.15 K; the uncertainty Fink states is about 10 % to 2000 K and 20 % above.

    Parameters
    ----------
    t : array_like
        Temperature [K], 273.15 K <= T <= 3120 K.

    Returns
    -------
    float or ndarray
        Thermal conductivity [W/m/K].

    References
    ----------
    Fink, J. Nucl. Mater. 279 (2000) 1, eq. for 95 % dense UO2; ORNL/TM-2000/351 §6.
    """
    temp = np.asarray(t, dtype=float)
    _check_range("uo2_conductivity", temp, UO2_T_MIN, UO2_T_MAX)
    k = uo2_conductivity_k.py_func(temp)
    return float(k) if k.ndim == 0 else k


@njit
def uo2_conductivity_k(t):
    """Compiled form of :func:`uo2_conductivity` [W/m/K], without the range check (the caller
    watches the fuel temperature's validity range)."""
    tau = t / 1000.0
    return 100.0 / (_UO2_A + _UO2_B * tau + _UO2_C * tau**2) + _UO2_D * tau**-2.5 * np.exp(
        -_UO2_E / tau
    )


def _uo2_antiderivative(temp: float) -> float:
    """Antiderivative of :func:`uo2_conductivity` in T [W/m], up to a constant."""
    tau = temp / 1000.0
    # phonon term: int dtau / (C tau^2 + B tau + A), discriminant B^2 - 4AC > 0
    root = math.sqrt(_UO2_B**2 - 4.0 * _UO2_A * _UO2_C)
    lattice = (
        math.log((2.0 * _UO2_C * tau + _UO2_B - root) / (2.0 * _UO2_C * tau + _UO2_B + root)) / root
    )
    # polaron term: int tau^-5/2 exp(-E/tau) dtau = E^-3/2 Gamma(3/2) Q(3/2, E/tau), with Q the
    # regularized upper incomplete gamma function (u = E/tau); Q stays accurate where it is tiny.
    polaron = _UO2_E**-1.5 * gamma(1.5) * gammaincc(1.5, _UO2_E / tau)
    return 1000.0 * (100.0 * lattice + _UO2_D * polaron)


def uo2_conductivity_integral(t_low: float, t_high: float) -> float:
    r"""Conduction integral of UO2 (Fink 2000, 95 % dense) between two temperatures, exact.

    .. math:: \int_{T_1}^{T_2} k(T)\,dT = 1000\left[\frac{100}{\sqrt{D}}
        \ln\frac{2C\tau + B - \sqrt{D}}{2C\tau + B + \sqrt{D}}
        + 6400\,E^{-3/2}\,\Gamma(\tfrac32)\,Q(\tfrac32, E/\tau)\right]_{\tau_1}^{\tau_2}

    with :math:`D = B^2 - 4AC`, A, B, C, E the constants of :func:`uo2_conductivity` and Q the
    regularized upper incomplete gamma function.

    Parameters
    ----------
    t_low : float
        Lower temperature T_1 [K].
    t_high : float
        Upper temperature T_2 [K] (may be below T_1: the integral is then negative).

    Returns
    -------
    float
        :math:`\int_{T_1}^{T_2} k\,dT` [W/m].

    References
    ----------
    Fink (2000), integrated analytically here.
    """
    _check_range("uo2_conductivity_integral", np.array([t_low, t_high]), UO2_T_MIN, UO2_T_MAX)
    return _uo2_antiderivative(float(t_high)) - _uo2_antiderivative(float(t_low))


def uo2_specific_heat(t: ArrayLike) -> float | np.ndarray:
    r"""Specific heat capacity of solid UO2 (Fink 2000, per kg as in ORNL/TM-2000/351 eq. 4.2).

    .. math:: c_p = \frac{C_1 \theta^2 e^{\theta/T}}{T^2 (e^{\theta/T} - 1)^2} + 2 C_2 T
        + \frac{C_3 E_a}{T^2} e^{-E_a/T}

    C1 = 302.27 J/kg/K, C2 = 8.463e-3 J/kg/K², C3 = 8.741e7 J/kg, θ = 548.68 K, Ea = 18531.7 K
    (lattice vibrations, thermal expansion, Frenkel defects). Range 298.15-3120 K (extended here to
    273.15 K); Fink gives an uncertainty of about 2 % below 1800 K, more above.

    Parameters
    ----------
    t : array_like
        Temperature [K], 273.15 K <= T <= 3120 K.

    Returns
    -------
    float or ndarray
        Specific heat capacity [J/kg/K].

    References
    ----------
    Fink (2000); Popov et al., ORNL/TM-2000/351 (2000), eq. 4.2.
    """
    temp = np.asarray(t, dtype=float)
    _check_range("uo2_specific_heat", temp, UO2_T_MIN, UO2_T_MAX)
    x = np.exp(_UO2_CP_THETA / temp)
    cp = (
        _UO2_CP_C1 * _UO2_CP_THETA**2 * x / (temp**2 * (x - 1.0) ** 2)
        + 2.0 * _UO2_CP_C2 * temp
        + _UO2_CP_C3 * _UO2_CP_EA * np.exp(-_UO2_CP_EA / temp) / temp**2
    )
    return float(cp) if cp.ndim == 0 else cp


def zr1nb_conductivity(t: ArrayLike) -> float | np.ndarray:
    r"""Thermal conductivity of Zr-1%Nb cladding (E110), RRC-KI correlation.

    .. math:: k = 15.0636\,\exp(4.61843\times10^{-4}\,T)

    About 20 W/m/K at 600 K, some 20 % above MATPRO's Zircaloy value there.

    Parameters
    ----------
    t : array_like
        Temperature [K], 273.15 K <= T <= 2133 K.

    Returns
    -------
    float or ndarray
        Thermal conductivity [W/m/K].

    References
    ----------
    Volkov et al., Preprint IAE-4941/11 (1989), as coded in FRAPTRAN (``cthcon``, E110).
    """
    temp = np.asarray(t, dtype=float)
    _check_range("zr1nb_conductivity", temp, ZR1NB_T_MIN, ZR1NB_T_MAX)
    k = _ZR_K_A * np.exp(_ZR_K_B * temp)
    return float(k) if k.ndim == 0 else k


def zr1nb_conductivity_integral(t_low: float, t_high: float) -> float:
    r"""Conduction integral of Zr-1%Nb (E110) between two temperatures, exact.

    .. math:: \int_{T_1}^{T_2} k\,dT = \frac{a}{b}\left(e^{b T_2} - e^{b T_1}\right),
        \qquad a = 15.0636\ {\rm W/m/K},\ b = 4.61843\times10^{-4}\ {\rm 1/K}

    Parameters
    ----------
    t_low : float
        Lower temperature T_1 [K].
    t_high : float
        Upper temperature T_2 [K].

    Returns
    -------
    float
        :math:`\int_{T_1}^{T_2} k\,dT` [W/m].

    References
    ----------
    :func:`zr1nb_conductivity`, integrated analytically.
    """
    _check_range("zr1nb_conductivity_integral", np.array([t_low, t_high]), ZR1NB_T_MIN, ZR1NB_T_MAX)
    return _ZR_K_A / _ZR_K_B * (math.exp(_ZR_K_B * t_high) - math.exp(_ZR_K_B * t_low))


def zr1nb_specific_heat(t: ArrayLike) -> float | np.ndarray:
    r"""Specific heat capacity of Zr-1%Nb (E110) at low heating rate, RRC-KI table.

    Linear interpolation in the table of Volkov et al. (345 J/kg/K at 280 K, 370 at 573 K,
    385 at 873 K, a peak of 816 at 1025 K from the alpha -> beta transformation, 392 above
    1173 K); held at 345 J/kg/K below 280 K.

    Parameters
    ----------
    t : array_like
        Temperature [K], 273.15 K <= T <= 2133 K.

    Returns
    -------
    float or ndarray
        Specific heat capacity [J/kg/K].

    References
    ----------
    Volkov et al., Preprint IAE-4941/11 (1989), as coded in FRAPTRAN (``ccp``, E110, low heating
    rate).
    """
    temp = np.asarray(t, dtype=float)
    _check_range("zr1nb_specific_heat", temp, ZR1NB_T_MIN, ZR1NB_T_MAX)
    cp = np.interp(temp, _ZR_CP_T, _ZR_CP)
    return float(cp) if cp.ndim == 0 else cp


# --------------------------------------------------------------------------------------------------
# Thermal resistances per unit length [K m/W]
# --------------------------------------------------------------------------------------------------


def fuel_resistance_average(conductivity: float) -> float:
    r"""Resistance from the pellet surface to the pellet's volume-average temperature.

    .. math:: R = \frac{\bar T_f - T_{fs}}{q'} = \frac{1}{8\pi k}

    (uniform source, constant k: parabolic profile).

    Parameters
    ----------
    conductivity : float
        Fuel thermal conductivity k, evaluated at a representative temperature [W/m/K].

    Returns
    -------
    float
        Resistance per unit length [K m/W].

    References
    ----------
    Todreas & Kazimi, *Nuclear Systems I*, ch. 8.
    """
    return 1.0 / (8.0 * math.pi * conductivity)


def fuel_resistance_centre(conductivity: float) -> float:
    r"""Resistance from the pellet surface to the centreline.

    .. math:: R = \frac{T_c - T_{fs}}{q'} = \frac{1}{4\pi k}

    Parameters
    ----------
    conductivity : float
        Fuel thermal conductivity k [W/m/K].

    Returns
    -------
    float
        Resistance per unit length [K m/W].

    References
    ----------
    Todreas & Kazimi, *Nuclear Systems I*, ch. 8.
    """
    return 1.0 / (4.0 * math.pi * conductivity)


def gap_resistance(gap_radius: float, h_gap: float) -> float:
    r"""Resistance of the pellet-cladding gap.

    .. math:: R = \frac{1}{2\pi r_{gap} h_{gap}}

    Parameters
    ----------
    gap_radius : float
        Radius at which h_gap is defined, here the pellet radius [m].
    h_gap : float
        Gap conductance [W/m2/K].

    Returns
    -------
    float
        Resistance per unit length [K m/W].

    References
    ----------
    Todreas & Kazimi, *Nuclear Systems I*, ch. 8.
    """
    return 1.0 / (2.0 * math.pi * gap_radius * h_gap)


def clad_resistance(inner_radius: float, outer_radius: float, conductivity: float) -> float:
    r"""Resistance of the cladding tube.

    .. math:: R = \frac{\ln(r_{co}/r_{ci})}{2\pi k_c}

    Parameters
    ----------
    inner_radius : float
        Cladding inner radius r_ci [m].
    outer_radius : float
        Cladding outer radius r_co [m].
    conductivity : float
        Cladding thermal conductivity k_c [W/m/K].

    Returns
    -------
    float
        Resistance per unit length [K m/W].

    References
    ----------
    Todreas & Kazimi, *Nuclear Systems I*, ch. 8.
    """
    return math.log(outer_radius / inner_radius) / (2.0 * math.pi * conductivity)


def film_resistance(outer_radius: float, h_film: float) -> float:
    r"""Resistance of the coolant film on the cladding surface.

    .. math:: R = \frac{1}{2\pi r_{co} h}

    Parameters
    ----------
    outer_radius : float
        Cladding outer radius r_co [m].
    h_film : float
        Convective heat-transfer coefficient h [W/m2/K].

    Returns
    -------
    float
        Resistance per unit length [K m/W].

    References
    ----------
    Todreas & Kazimi, *Nuclear Systems I*, ch. 8.
    """
    return 1.0 / (2.0 * math.pi * outer_radius * h_film)


# --------------------------------------------------------------------------------------------------
# Coolant side
# --------------------------------------------------------------------------------------------------


def hydraulic_diameter_triangular(pitch: float, rod_diameter: float) -> float:
    r"""Hydraulic diameter of an interior subchannel of a triangular (hexagonal) rod lattice.

    .. math::
        D_h = \frac{4 A}{P_w} = d\left[\frac{2\sqrt3}{\pi}\left(\frac{p}{d}\right)^2 - 1\right]

    from the unit triangle: :math:`A = \frac{\sqrt3}{4}p^2 - \frac{\pi d^2}{8}`,
    :math:`P_w = \pi d/2`. VVER-1000 (p = 12.75 mm, d = 9.1 mm): about 10.6 mm.

    Parameters
    ----------
    pitch : float
        Rod pitch p [m].
    rod_diameter : float
        Rod outer diameter d [m], 0 < d < p.

    Returns
    -------
    float
        Hydraulic diameter [m].

    References
    ----------
    Todreas & Kazimi, *Nuclear Systems I*, ch. 10 (subchannel geometry).
    """
    if not 0.0 < rod_diameter < pitch:
        raise ValueError(
            f"rod_diameter = {rod_diameter!r} m, pitch = {pitch!r} m: need 0 < diameter < pitch"
        )
    ratio = pitch / rod_diameter
    return rod_diameter * (2.0 * math.sqrt(3.0) / math.pi * ratio**2 - 1.0)


def dittus_boelter_nusselt(
    reynolds: ArrayLike, prandtl: ArrayLike, heating: bool = True
) -> float | np.ndarray:
    r"""Nusselt number of turbulent flow in a tube, Dittus-Boelter.

    .. math:: Nu = 0.023\,Re^{0.8}\,Pr^{n}, \qquad n = 0.4\ \text{(fluid heated)},\ 0.3\
        \text{(cooled)}

    Range (not enforced): Re > 1e4, 0.7 < Pr < 160, L/D > 10, moderate wall-to-bulk temperature
    differences; accuracy about ±25 %. Use with the hydraulic diameter for rod bundles, times
    :func:`weisman_factor` if wanted.

    Parameters
    ----------
    reynolds : array_like
        Reynolds number :math:`G D_h/\mu` [1], > 0.
    prandtl : array_like
        Prandtl number [1], > 0.
    heating : bool, optional
        True when the wall heats the fluid (n = 0.4), False when it cools it (n = 0.3).

    Returns
    -------
    float or ndarray
        Nusselt number :math:`h D_h / k` [1].

    References
    ----------
    Dittus & Boelter (1930), as given by McAdams (1954); Todreas & Kazimi ch. 10.
    """
    re = np.asarray(reynolds, dtype=float)
    pr = np.asarray(prandtl, dtype=float)
    if np.any(~(re > 0.0)) or np.any(~(pr > 0.0)):
        raise ValueError(f"reynolds = {reynolds!r}, prandtl = {prandtl!r}: both must be > 0")
    nu = _DB_COEFFICIENT * re**0.8 * pr ** (0.4 if heating else 0.3)
    return float(nu) if nu.ndim == 0 else nu


def heat_transfer_coefficient(
    nusselt: ArrayLike, conductivity: ArrayLike, hydraulic_diameter: float
) -> float | np.ndarray:
    r"""Heat-transfer coefficient from a Nusselt number.

    .. math:: h = \frac{Nu\,k}{D_h}

    Parameters
    ----------
    nusselt : array_like
        Nusselt number [1].
    conductivity : array_like
        Coolant thermal conductivity k [W/m/K].
    hydraulic_diameter : float
        Hydraulic diameter D_h [m].

    Returns
    -------
    float or ndarray
        Heat-transfer coefficient [W/m2/K].

    References
    ----------
    Definition of the Nusselt number.
    """
    h = np.asarray(nusselt, dtype=float) * np.asarray(conductivity, dtype=float)
    h = h / hydraulic_diameter
    return float(h) if h.ndim == 0 else h


def weisman_factor(pitch_over_diameter: float) -> float:
    r"""Weisman's rod-bundle correction to Dittus-Boelter for a triangular lattice.

    .. math:: \psi = \frac{Nu_{bundle}}{Nu_{DB}} = \frac{0.026\,p/d - 0.006}{0.023}
        = 1.130\,p/d - 0.2609

    Weisman's correlation is :math:`Nu = C\,Re^{0.8} Pr^{1/3}` with C = 0.026 p/d - 0.006
    (1.1 <= p/d <= 1.5); applied as a factor on Dittus-Boelter (Pr^0.4) the result differs from it
    by :math:`Pr^{0.067}`, about 1 % for PWR water (Pr ≈ 0.9). VVER-1000 (p/d = 1.40): ψ = 1.32.

    Parameters
    ----------
    pitch_over_diameter : float
        Pitch-to-diameter ratio p/d [1], 1.1 <= p/d <= 1.5.

    Returns
    -------
    float
        Correction factor ψ [1].

    References
    ----------
    Weisman, Nucl. Sci. Eng. 6 (1959) 78; Todreas & Kazimi, *Nuclear Systems I*, ch. 10.
    """
    if not _WEISMAN_PD_MIN <= pitch_over_diameter <= _WEISMAN_PD_MAX:
        raise ValueError(
            f"pitch_over_diameter = {pitch_over_diameter!r}: Weisman's triangular-lattice "
            f"correlation holds for {_WEISMAN_PD_MIN} <= p/d <= {_WEISMAN_PD_MAX}"
        )
    return (0.026 * pitch_over_diameter - 0.006) / _DB_COEFFICIENT


# --------------------------------------------------------------------------------------------------
# Steady-state node solver
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RodGeometry:
    """Radii of a fuel rod (solid pellet) [m].

    Attributes
    ----------
    fuel_radius : float
        Pellet outer radius r_f [m].
    clad_inner_radius : float
        Cladding inner radius r_ci [m], >= r_f (equal: closed gap, h_gap still applies).
    clad_outer_radius : float
        Cladding outer radius r_co [m], > r_ci.
    """

    fuel_radius: float
    clad_inner_radius: float
    clad_outer_radius: float

    def __post_init__(self) -> None:
        if not 0.0 < self.fuel_radius <= self.clad_inner_radius < self.clad_outer_radius:
            raise ValueError(
                f"RodGeometry({self.fuel_radius!r}, {self.clad_inner_radius!r}, "
                f"{self.clad_outer_radius!r}): need 0 < fuel_radius <= clad_inner_radius "
                "< clad_outer_radius [m]"
            )


class NodeTemperatures(NamedTuple):
    """Steady radial temperatures of a fuel-rod node [K]."""

    clad_surface: float
    clad_inner: float
    fuel_surface: float
    fuel_average: float
    fuel_centre: float


@dataclass(frozen=True)
class _Material:
    """Conductivity k(T) [W/m/K] with its conduction integral [W/m] and range [K]."""

    conductivity: Callable[[float], float]
    integral: Callable[[float, float], float]
    t_max: float
    constant: bool


_UO2 = _Material(uo2_conductivity, uo2_conductivity_integral, UO2_T_MAX, False)
_ZR1NB = _Material(zr1nb_conductivity, zr1nb_conductivity_integral, ZR1NB_T_MAX, False)


def _material(spec: Conductivity, default: _Material, name: str) -> _Material:
    """Material from a user choice: None (default), a constant [W/m/K], or a callable k(T)."""
    if spec is None:
        return default
    if callable(spec):
        k = spec
        # a user k(T) has no declared range: the bracket search below stays near the solution
        return _Material(
            k, lambda a, b: quad(k, a, b, epsabs=0.0, epsrel=1e-12)[0], math.inf, False
        )
    value = float(spec)
    if not (value > 0.0 and math.isfinite(value)):
        raise ValueError(f"{name} = {spec!r}: must be > 0 [W/m/K], a callable k(T), or None")
    return _Material(lambda _t: value, lambda a, b: value * (b - a), math.inf, True)


_BRACKET_DOUBLINGS = 60


def _upper_temperature(material: _Material, t_low: float, target: float, name: str) -> float:
    """T such that the conduction integral from t_low to T equals ``target`` [W/m]."""
    if target == 0.0:
        return t_low
    k_low = material.conductivity(t_low)
    if material.constant:
        return t_low + target / k_low
    # bracket from the constant-k estimate, widened until the integral reaches the target
    high = min(t_low + target / k_low, material.t_max)
    for _ in range(_BRACKET_DOUBLINGS):
        if material.integral(t_low, high) >= target:
            break
        if high >= material.t_max:
            raise ValueError(
                f"{name}: the conduction integral needs T > {material.t_max} K (the "
                f"correlation's upper limit) above {t_low:.1f} K; reduce the heat rate or "
                "improve the cooling"
            )
        high = min(t_low + 2.0 * (high - t_low), material.t_max)
    else:
        raise ValueError(f"{name}: no temperature found for a conduction integral of {target} W/m")
    return brentq(
        lambda t: material.integral(t_low, t) - target, t_low, high, xtol=1e-10, rtol=1e-14
    )


def steady_state_node(
    linear_heat_rate: float,
    t_coolant: float,
    h_film: float,
    h_gap: float,
    geometry: RodGeometry,
    fuel_conductivity: Conductivity = None,
    clad_conductivity: Conductivity = None,
) -> NodeTemperatures:
    r"""Steady radial temperatures of one fuel-rod node, with temperature-dependent conductivities.

    .. math::

        T_{co} = T_b + \frac{q'}{2\pi r_{co} h}, \quad
        \int_{T_{co}}^{T_{ci}} k_c\,dT = \frac{q'\ln(r_{co}/r_{ci})}{2\pi}, \quad
        T_{fs} = T_{ci} + \frac{q'}{2\pi r_f h_{gap}},

        \int_{T_{fs}}^{T_c} k_f\,dT = \frac{q'}{4\pi}, \quad
        \bar T_f = \frac{\int_{T_{fs}}^{T_c} T k_f\,dT}{\int_{T_{fs}}^{T_c} k_f\,dT}

    The conduction integrals are solved exactly (closed forms for the default correlations,
    Brent's method for the upper limit); a constant conductivity gives the parabolic results
    :math:`T_c - T_{fs} = q'/(4\pi k)`, :math:`\bar T_f - T_{fs} = q'/(8\pi k)`.

    Parameters
    ----------
    linear_heat_rate : float
        Linear heat rate q' [W/m], >= 0.
    t_coolant : float
        Coolant bulk temperature T_b [K].
    h_film : float
        Coolant heat-transfer coefficient h [W/m2/K], > 0.
    h_gap : float
        Gap conductance h_gap [W/m2/K], > 0 (defined at the pellet radius).
    geometry : RodGeometry
        Pellet and cladding radii [m].
    fuel_conductivity : None, float or callable, optional
        None: UO2 of Fink (2000), 95 % dense; a float: constant k [W/m/K]; a callable k(T) [W/m/K]
        (integrated numerically).
    clad_conductivity : None, float or callable, optional
        None: Zr-1%Nb (E110), RRC-KI; a float or a callable as for the fuel.

    Returns
    -------
    NodeTemperatures
        Cladding surface and inner, pellet surface, pellet volume average and centreline [K].

    References
    ----------
    Todreas & Kazimi, *Nuclear Systems I*, ch. 8 (conduction integral); see the module docstring.
    """
    q = float(linear_heat_rate)
    if not (q >= 0.0 and math.isfinite(q)):
        raise ValueError(f"linear_heat_rate = {linear_heat_rate!r} W/m: must be >= 0 and finite")
    for name, value in (("h_film", h_film), ("h_gap", h_gap)):
        if not (value > 0.0 and math.isfinite(value)):
            raise ValueError(f"{name} = {value!r} W/m2/K: must be > 0 and finite")
    fuel = _material(fuel_conductivity, _UO2, "fuel_conductivity")
    clad = _material(clad_conductivity, _ZR1NB, "clad_conductivity")
    g = geometry

    t_co = t_coolant + q * film_resistance(g.clad_outer_radius, h_film)
    clad_target = q * math.log(g.clad_outer_radius / g.clad_inner_radius) / (2.0 * math.pi)
    t_ci = _upper_temperature(clad, t_co, clad_target, "cladding")
    t_fs = t_ci + q * gap_resistance(g.fuel_radius, h_gap)
    t_c = _upper_temperature(fuel, t_fs, q / (4.0 * math.pi), "fuel")
    # the range checks of the correlations also guard t_coolant (through t_co)
    clad.conductivity(t_co)
    fuel.conductivity(t_fs)

    if fuel.constant or t_c == t_fs:
        t_avg = 0.5 * (t_fs + t_c)
    else:
        k = fuel.conductivity
        weighted = quad(lambda t: t * k(t), t_fs, t_c, epsabs=0.0, epsrel=1e-12)[0]
        t_avg = weighted / quad(k, t_fs, t_c, epsabs=0.0, epsrel=1e-12)[0]
    return NodeTemperatures(t_co, t_ci, t_fs, t_avg, t_c)
