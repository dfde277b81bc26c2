"""Fission-product poisons: the I-135/Xe-135 and Pm-149/Sm-149 chains, in one thermal group.

Number densities are in [1/m^3], the thermal flux in [1/m^2/s], the macroscopic fission
cross-section in [1/m], microscopic cross-sections in [m^2] and decay constants in [1/s]:

.. math::

    \\frac{dI}{dt} = \\gamma_I \\Sigma_f \\phi - \\lambda_I I, \\qquad
    \\frac{dX}{dt} = \\gamma_X \\Sigma_f \\phi + \\lambda_I I - \\lambda_X X - \\sigma_X \\phi X,

    \\frac{dP}{dt} = \\gamma_P \\Sigma_f \\phi - \\lambda_P P, \\qquad
    \\frac{dS}{dt} = \\lambda_P P - \\sigma_S \\phi S .

Tellurium-135 (half-life about 19 s) and neodymium-149 (about 1.7 h) decay fast next to their
daughters (I-135 6.6 h, Pm-149 53 h) and are lumped into the iodine and promethium yields;
Sm-149 is stable. The functions are pure and vectorized over their arrays.

References
----------
* J. R. Lamarsh, A. J. Baratta, *Introduction to Nuclear Engineering*, 3rd ed., Prentice Hall
  (2001), §7.4 (fission product poisoning: xenon and samarium, equilibrium, after shutdown).
* D. L. Hetrick, *Dynamics of Nuclear Reactors*, University of Chicago Press (1971), ch. 9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from nppsim._jit import njit

__all__ = [
    "SamariumConstants",
    "XenonConstants",
    "samarium_after_shutdown",
    "samarium_derivatives",
    "samarium_equilibrium",
    "samarium_reactivity",
    "xenon_after_shutdown",
    "xenon_back_to_initial_time",
    "xenon_derivatives",
    "xenon_equilibrium",
    "xenon_peak_after_shutdown",
    "xenon_reactivity",
]

FloatArray = NDArray[np.float64]


@njit
def chain_rates_k(
    parent,
    daughter,
    flux,
    fission_rate,
    parent_yield,
    daughter_yield,
    parent_decay,
    daughter_decay,
    daughter_cross_section,
):
    """Compiled scalar form of the I-Xe and Pm-Sm chains (:func:`xenon_derivatives`,
    :func:`samarium_derivatives`): returns (d parent/dt, d daughter/dt) [1/m^3/s].

    .. math::

        \\frac{dA}{dt} = \\gamma_A F - \\lambda_A A, \\qquad
        \\frac{dB}{dt} = \\gamma_B F + \\lambda_A A - (\\lambda_B + \\sigma_B \\phi) B

    with F the fission rate density [1/m^3/s] (:math:`\\Sigma_f \\phi`). For samarium,
    :math:`\\gamma_B = 0` and :math:`\\lambda_B = 0`. Lamarsh & Baratta (2001), §7.4.
    """
    d_parent = parent_yield * fission_rate - parent_decay * parent
    d_daughter = (
        daughter_yield * fission_rate
        + parent_decay * parent
        - (daughter_decay + daughter_cross_section * flux) * daughter
    )
    return d_parent, d_daughter


@njit
def absorber_reactivity_k(cross_section, density, nu, sigma_f):
    """Compiled scalar form of :func:`xenon_reactivity` and :func:`samarium_reactivity` [1]:
    :math:`\\rho = -\\sigma N / (\\nu \\Sigma_f)`."""
    return -cross_section * density / (nu * sigma_f)


_SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class XenonConstants:
    """Constants of the I-135/Xe-135 chain (no defaults: they depend on the fuel and the spectrum).

    Attributes
    ----------
    iodine_yield : float
        Cumulative fission yield of I-135 (Te-135 included), :math:`\\gamma_I` [1].
    xenon_yield : float
        Direct (independent) fission yield of Xe-135, :math:`\\gamma_X` [1].
    iodine_decay_constant : float
        :math:`\\lambda_I` [1/s].
    xenon_decay_constant : float
        :math:`\\lambda_X` [1/s].
    xenon_cross_section : float
        Spectrum-averaged thermal absorption cross-section of Xe-135, :math:`\\sigma_X` [m^2].
    """

    iodine_yield: float
    xenon_yield: float
    iodine_decay_constant: float
    xenon_decay_constant: float
    xenon_cross_section: float

    def __post_init__(self) -> None:
        for name in (
            "iodine_decay_constant",
            "xenon_decay_constant",
            "xenon_cross_section",
        ):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)!r}")
        for name in ("iodine_yield", "xenon_yield"):
            if not getattr(self, name) >= 0.0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")


@dataclass(frozen=True)
class SamariumConstants:
    """Constants of the Pm-149/Sm-149 chain.

    Attributes
    ----------
    promethium_yield : float
        Cumulative fission yield of Pm-149 (Nd-149 included), :math:`\\gamma_P` [1]; no default
        (it depends on the fissioning nuclides).
    promethium_decay_constant : float
        :math:`\\lambda_P` [1/s]. Default ln 2 / 53.08 h: Pm-149 half-life as given in the nppsim
        validation README (``nppsim/validation/cases/README.md``).
    samarium_cross_section : float
        Thermal absorption cross-section of Sm-149, :math:`\\sigma_S` [m^2]. Default 40 140 b: the
        value given in the nppsim validation README (2200 m/s value; a spectrum-averaged value for a
        given core belongs in its design file).
    """

    promethium_yield: float
    # Pm-149 half-life 53.08 h (validation README, cases/README.md)
    promethium_decay_constant: float = math.log(2.0) / (53.08 * _SECONDS_PER_HOUR)
    # Sm-149 thermal absorption 40 140 b = 40 140e-28 m^2 (validation README, cases/README.md)
    samarium_cross_section: float = 40_140.0e-28

    def __post_init__(self) -> None:
        if not self.promethium_yield >= 0.0:
            raise ValueError(f"promethium_yield must be >= 0, got {self.promethium_yield!r}")
        for name in ("promethium_decay_constant", "samarium_cross_section"):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)!r}")


# --------------------------------------------------------------------------------------------------
# Xenon
# --------------------------------------------------------------------------------------------------


def xenon_derivatives(
    iodine: ArrayLike,
    xenon: ArrayLike,
    flux: ArrayLike,
    sigma_f: ArrayLike,
    constants: XenonConstants,
) -> tuple[FloatArray, FloatArray]:
    """Time derivatives of the I-135 and Xe-135 number densities.

    .. math::

        \\frac{dI}{dt} = \\gamma_I \\Sigma_f \\phi - \\lambda_I I, \\qquad
        \\frac{dX}{dt} = \\gamma_X \\Sigma_f \\phi + \\lambda_I I - \\lambda_X X - \\sigma_X \\phi X

    Parameters
    ----------
    iodine : array_like
        I-135 number density :math:`I` [1/m^3].
    xenon : array_like
        Xe-135 number density :math:`X` [1/m^3].
    flux : array_like
        One-group thermal flux :math:`\\phi` [1/m^2/s].
    sigma_f : array_like
        Macroscopic fission cross-section :math:`\\Sigma_f` [1/m].
    constants : XenonConstants
        Yields, decay constants and cross-section.

    Returns
    -------
    (ndarray, ndarray)
        :math:`dI/dt` and :math:`dX/dt` [1/m^3/s].

    References
    ----------
    Lamarsh & Baratta (2001), §7.4.
    """
    iodine = np.asarray(iodine, dtype=float)
    xenon = np.asarray(xenon, dtype=float)
    flux = np.asarray(flux, dtype=float)
    fission_rate = np.asarray(sigma_f, dtype=float) * flux
    k = constants
    return chain_rates_k.py_func(
        iodine,
        xenon,
        flux,
        fission_rate,
        k.iodine_yield,
        k.xenon_yield,
        k.iodine_decay_constant,
        k.xenon_decay_constant,
        k.xenon_cross_section,
    )


def xenon_equilibrium(
    flux: ArrayLike, sigma_f: ArrayLike, constants: XenonConstants
) -> tuple[FloatArray, FloatArray]:
    """Equilibrium I-135 and Xe-135 densities at constant flux.

    .. math::

        I_\\infty = \\frac{\\gamma_I \\Sigma_f \\phi}{\\lambda_I}, \\qquad
        X_\\infty = \\frac{(\\gamma_I + \\gamma_X) \\Sigma_f \\phi}{\\lambda_X + \\sigma_X \\phi}

    Parameters
    ----------
    flux : array_like
        Thermal flux [1/m^2/s].
    sigma_f : array_like
        Macroscopic fission cross-section [1/m].
    constants : XenonConstants

    Returns
    -------
    (ndarray, ndarray)
        :math:`I_\\infty`, :math:`X_\\infty` [1/m^3].

    References
    ----------
    Lamarsh & Baratta (2001), §7.4, eqs. for equilibrium xenon.
    """
    flux = np.asarray(flux, dtype=float)
    fission_rate = np.asarray(sigma_f, dtype=float) * flux
    k = constants
    iodine = k.iodine_yield * fission_rate / k.iodine_decay_constant
    xenon = (
        (k.iodine_yield + k.xenon_yield)
        * fission_rate
        / (k.xenon_decay_constant + k.xenon_cross_section * flux)
    )
    return iodine, xenon


def _expm1_over(delta: float, t: FloatArray) -> FloatArray:
    """(exp(delta t) - 1) / delta, with its limit t at delta = 0."""
    if delta == 0.0:
        return np.asarray(t, dtype=float)
    return np.expm1(delta * t) / delta


def xenon_after_shutdown(
    t: ArrayLike, iodine0: float, xenon0: float, constants: XenonConstants
) -> tuple[FloatArray, FloatArray]:
    """I-135 and Xe-135 densities a time ``t`` after the flux drops to zero.

    With :math:`\\phi = 0` from ``t = 0``:

    .. math::

        I(t) = I_0 e^{-\\lambda_I t}, \\qquad
        X(t) = X_0 e^{-\\lambda_X t} + \\frac{\\lambda_I I_0}{\\lambda_X - \\lambda_I}
               \\left(e^{-\\lambda_I t} - e^{-\\lambda_X t}\\right)

    (evaluated as :math:`\\lambda_I I_0 e^{-\\lambda_X t}\\,\\mathrm{expm1}(\\delta t)/\\delta`,
    :math:`\\delta = \\lambda_X - \\lambda_I`, which stays exact as :math:`\\delta \\to 0`). For a
    trip from equilibrium pass the values of :func:`xenon_equilibrium`.

    Parameters
    ----------
    t : array_like
        Time after shutdown [s], ``>= 0``.
    iodine0, xenon0 : float
        Densities at shutdown [1/m^3].
    constants : XenonConstants

    Returns
    -------
    (ndarray, ndarray)
        :math:`I(t)`, :math:`X(t)` [1/m^3].

    References
    ----------
    Lamarsh & Baratta (2001), §7.4 (xenon after shutdown).
    """
    t = np.asarray(t, dtype=float)
    lam_i, lam_x = constants.iodine_decay_constant, constants.xenon_decay_constant
    decay_x = np.exp(-lam_x * t)
    iodine = iodine0 * np.exp(-lam_i * t)
    xenon = decay_x * (xenon0 + lam_i * iodine0 * _expm1_over(lam_x - lam_i, t))
    return iodine, xenon


def xenon_peak_after_shutdown(
    iodine0: float, xenon0: float, constants: XenonConstants
) -> tuple[float, float]:
    """Time and value of the xenon maximum after shutdown (closed form).

    Setting :math:`dX/dt = 0` in :func:`xenon_after_shutdown`:

    .. math::

        t_{max} = \\frac{\\ln\\left(1 + \\delta K\\right)}{\\delta}, \\quad
        \\delta = \\lambda_X - \\lambda_I, \\quad
        K = \\frac{1}{\\lambda_I}\\left(1 - \\frac{\\lambda_X X_0}{\\lambda_I I_0}\\right)

    (:math:`t_{max} \\to K` as :math:`\\delta \\to 0`). A maximum exists only if
    :math:`\\lambda_I I_0 > \\lambda_X X_0` (xenon initially rising); otherwise X decreases from the
    start and ``(0, X0)`` is returned.

    Parameters
    ----------
    iodine0, xenon0 : float
        Densities at shutdown [1/m^3].
    constants : XenonConstants

    Returns
    -------
    (float, float)
        :math:`t_{max}` [s] and :math:`X(t_{max})` [1/m^3].

    References
    ----------
    Lamarsh & Baratta (2001), §7.4 (time of the xenon peak).
    """
    lam_i, lam_x = constants.iodine_decay_constant, constants.xenon_decay_constant
    if not lam_i * iodine0 > lam_x * xenon0:
        return 0.0, float(xenon0)
    k = (1.0 - lam_x * xenon0 / (lam_i * iodine0)) / lam_i
    delta = lam_x - lam_i
    t_max = k if delta == 0.0 else math.log1p(delta * k) / delta
    return t_max, float(xenon_after_shutdown(t_max, iodine0, xenon0, constants)[1])


def xenon_back_to_initial_time(iodine0: float, xenon0: float, constants: XenonConstants) -> float:
    """Time after shutdown at which xenon, past its peak, falls back to its value at shutdown.

    The root of :math:`X(t) = X_0` on :math:`(t_{max}, \\infty)` (X decreases there towards 0),
    found by Brent's method to about 1e-13 relative. From equilibrium this is the time after which
    a restart no longer meets more xenon than at full power.

    Parameters
    ----------
    iodine0, xenon0 : float
        Densities at shutdown [1/m^3].
    constants : XenonConstants

    Returns
    -------
    float
        Time [s]; 0 if there is no peak (X decreases from the start).

    References
    ----------
    Lamarsh & Baratta (2001), §7.4.
    """
    t_max, x_max = xenon_peak_after_shutdown(iodine0, xenon0, constants)
    if t_max == 0.0 or x_max <= xenon0:
        return 0.0

    def excess(t: float) -> float:
        return float(xenon_after_shutdown(t, iodine0, xenon0, constants)[1]) - xenon0

    if excess(t_max) <= 0.0:  # the peak is within rounding of X0 (flux at the peak threshold)
        return t_max
    slowest = min(constants.iodine_decay_constant, constants.xenon_decay_constant)
    t_hi = t_max + 1.0 / slowest
    while excess(t_hi) > 0.0:
        t_hi = t_max + 2.0 * (t_hi - t_max)
    return float(brentq(excess, t_max, t_hi, xtol=1e-12 * t_hi, rtol=1e-14, maxiter=200))


def xenon_reactivity(
    xenon: ArrayLike, sigma_f: ArrayLike, nu: ArrayLike, constants: XenonConstants
) -> FloatArray:
    """Reactivity worth of Xe-135, absolute (negative).

    .. math:: \\rho_X \\approx -\\frac{\\sigma_X X}{\\nu \\Sigma_f}

    Approximation: adding the absorber :math:`\\Sigma_X = \\sigma_X X` to a critical core changes
    :math:`k` by about :math:`-\\Sigma_X` over the total neutron removal (absorption plus leakage),
    and at criticality the removal equals production, :math:`\\nu \\Sigma_f` (one group, same flux
    shape, leakage fraction unchanged; Lamarsh & Baratta 2001, §7.4). It overstates the worth
    slightly where fast fission or resonance absorption matter.

    Parameters
    ----------
    xenon : array_like
        Xe-135 number density [1/m^3].
    sigma_f : array_like
        Macroscopic fission cross-section of the core at the same state [1/m].
    nu : array_like
        Neutrons per fission :math:`\\nu` [1].
    constants : XenonConstants

    Returns
    -------
    ndarray
        :math:`\\rho_X` [1] (delta-k/k).
    """
    return absorber_reactivity_k.py_func(
        constants.xenon_cross_section,
        np.asarray(xenon, dtype=float),
        np.asarray(nu, dtype=float),
        np.asarray(sigma_f, dtype=float),
    )


# --------------------------------------------------------------------------------------------------
# Samarium
# --------------------------------------------------------------------------------------------------


def samarium_derivatives(
    promethium: ArrayLike,
    samarium: ArrayLike,
    flux: ArrayLike,
    sigma_f: ArrayLike,
    constants: SamariumConstants,
) -> tuple[FloatArray, FloatArray]:
    """Time derivatives of the Pm-149 and Sm-149 number densities.

    .. math::

        \\frac{dP}{dt} = \\gamma_P \\Sigma_f \\phi - \\lambda_P P, \\qquad
        \\frac{dS}{dt} = \\lambda_P P - \\sigma_S \\phi S

    Parameters
    ----------
    promethium, samarium : array_like
        Pm-149 and Sm-149 number densities [1/m^3].
    flux : array_like
        Thermal flux [1/m^2/s].
    sigma_f : array_like
        Macroscopic fission cross-section [1/m].
    constants : SamariumConstants

    Returns
    -------
    (ndarray, ndarray)
        :math:`dP/dt`, :math:`dS/dt` [1/m^3/s].

    References
    ----------
    Lamarsh & Baratta (2001), §7.4 (samarium poisoning).
    """
    promethium = np.asarray(promethium, dtype=float)
    samarium = np.asarray(samarium, dtype=float)
    flux = np.asarray(flux, dtype=float)
    fission_rate = np.asarray(sigma_f, dtype=float) * flux
    k = constants
    return chain_rates_k.py_func(
        promethium,
        samarium,
        flux,
        fission_rate,
        k.promethium_yield,
        0.0,
        k.promethium_decay_constant,
        0.0,
        k.samarium_cross_section,
    )


def samarium_equilibrium(
    flux: ArrayLike, sigma_f: ArrayLike, constants: SamariumConstants
) -> tuple[FloatArray, FloatArray]:
    """Equilibrium Pm-149 and Sm-149 densities at constant flux.

    .. math::

        P_\\infty = \\frac{\\gamma_P \\Sigma_f \\phi}{\\lambda_P}, \\qquad
        S_\\infty = \\frac{\\gamma_P \\Sigma_f}{\\sigma_S}

    (the samarium equilibrium does not depend on the flux level). At zero flux the equilibrium does
    not exist and ``nan`` is returned for :math:`S_\\infty`.

    Parameters
    ----------
    flux : array_like
        Thermal flux [1/m^2/s].
    sigma_f : array_like
        Macroscopic fission cross-section [1/m].
    constants : SamariumConstants

    Returns
    -------
    (ndarray, ndarray)
        :math:`P_\\infty`, :math:`S_\\infty` [1/m^3].

    References
    ----------
    Lamarsh & Baratta (2001), §7.4.
    """
    flux = np.asarray(flux, dtype=float)
    sigma_f = np.asarray(sigma_f, dtype=float)
    k = constants
    promethium = k.promethium_yield * sigma_f * flux / k.promethium_decay_constant
    samarium = np.where(flux > 0.0, k.promethium_yield * sigma_f / k.samarium_cross_section, np.nan)
    return promethium, samarium


def samarium_after_shutdown(
    t: ArrayLike, promethium0: float, samarium0: float, constants: SamariumConstants
) -> tuple[FloatArray, FloatArray]:
    """Pm-149 and Sm-149 densities a time ``t`` after the flux drops to zero.

    .. math::

        P(t) = P_0 e^{-\\lambda_P t}, \\qquad S(t) = S_0 + P_0 (1 - e^{-\\lambda_P t})

    From equilibrium, :math:`S(\\infty) = S_\\infty (1 + \\sigma_S \\phi / \\lambda_P)`: samarium
    rises and stays (it is stable).

    Parameters
    ----------
    t : array_like
        Time after shutdown [s], ``>= 0``.
    promethium0, samarium0 : float
        Densities at shutdown [1/m^3].
    constants : SamariumConstants

    Returns
    -------
    (ndarray, ndarray)
        :math:`P(t)`, :math:`S(t)` [1/m^3].

    References
    ----------
    Lamarsh & Baratta (2001), §7.4.
    """
    t = np.asarray(t, dtype=float)
    x = -constants.promethium_decay_constant * t
    return promethium0 * np.exp(x), samarium0 - promethium0 * np.expm1(x)


def samarium_reactivity(
    samarium: ArrayLike, sigma_f: ArrayLike, nu: ArrayLike, constants: SamariumConstants
) -> FloatArray:
    """Reactivity worth of Sm-149, absolute (negative).

    .. math:: \\rho_S \\approx -\\frac{\\sigma_S S}{\\nu \\Sigma_f}

    Same approximation as :func:`xenon_reactivity` (absorption in the poison over total removal,
    which equals :math:`\\nu\\Sigma_f` at criticality).

    Parameters
    ----------
    samarium : array_like
        Sm-149 number density [1/m^3].
    sigma_f : array_like
        Macroscopic fission cross-section [1/m].
    nu : array_like
        Neutrons per fission [1].
    constants : SamariumConstants

    Returns
    -------
    ndarray
        :math:`\\rho_S` [1].
    """
    return absorber_reactivity_k.py_func(
        constants.samarium_cross_section,
        np.asarray(samarium, dtype=float),
        np.asarray(nu, dtype=float),
        np.asarray(sigma_f, dtype=float),
    )
