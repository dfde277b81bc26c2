"""Reactivity feedback and control: Doppler, moderator, boron and control-rod banks.

All reactivities are absolute (delta-k/k), temperatures in K, densities in kg/m3, boron in ppm (mass
of natural boron per mass of water, as plants report it).

Xenon and samarium worths are in :mod:`nppsim.physics.poisons`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nppsim._jit import njit


@njit
def doppler_k(temp_fuel, temp_fuel_ref, coefficient_ref):
    """Compiled scalar form of :func:`doppler` (same equation, same parameters) [1]."""
    return (
        2.0
        * coefficient_ref
        * np.sqrt(temp_fuel_ref)
        * (np.sqrt(temp_fuel) - np.sqrt(temp_fuel_ref))
    )


@njit
def moderator_k(
    temp_mod,
    density_mod,
    temp_mod_ref,
    density_mod_ref,
    temperature_coefficient,
    density_coefficient,
):
    """Compiled scalar form of :func:`moderator` (same equation, same parameters) [1]."""
    return temperature_coefficient * (temp_mod - temp_mod_ref) + density_coefficient * (
        density_mod - density_mod_ref
    )


@njit
def _rod_worth_formula(x):
    return x - np.sin(2.0 * np.pi * x) / (2.0 * np.pi)


@njit
def rod_worth_fraction_k(insertion):
    """Compiled scalar form of :func:`rod_integral_worth_fraction` [1] (input clipped to
    [0, 1])."""
    return _rod_worth_formula(min(max(insertion, 0.0), 1.0))


def doppler(temp_fuel: ArrayLike, temp_fuel_ref: float, coefficient_ref: float) -> np.ndarray:
    """Fuel-temperature (Doppler) reactivity with the square-root law.

    .. math:: \\rho_D = A(\\sqrt{T_f} - \\sqrt{T_{f,0}}), \\quad A = 2\\alpha_D\\sqrt{T_{f,0}}

    so that :math:`d\\rho_D/dT_f = \\alpha_D` at :math:`T_{f,0}` and the coefficient grows in
    magnitude
    as :math:`1/\\sqrt{T_f}` at low temperature (resonance broadening; Duderstadt & Hamilton,
    *Nuclear Reactor Analysis*, 1976, §14.2).

    Parameters
    ----------
    temp_fuel : array_like
        Effective (importance-weighted average) fuel temperature [K].
    temp_fuel_ref : float
        Reference fuel temperature at which ``coefficient_ref`` applies [K].
    coefficient_ref : float
        Doppler coefficient at the reference temperature [1/K] (negative).

    Returns
    -------
    ndarray
        Reactivity relative to the reference state [1].
    """
    return doppler_k.py_func(np.asarray(temp_fuel, dtype=float), temp_fuel_ref, coefficient_ref)


def moderator(
    temp_mod: ArrayLike,
    density_mod: ArrayLike,
    temp_mod_ref: float,
    density_mod_ref: float,
    temperature_coefficient: float,
    density_coefficient: float,
) -> np.ndarray:
    """Moderator reactivity, linear in temperature and density.

    .. math:: \\rho_M = \\alpha_T (T_m - T_{m,0}) + \\alpha_\\rho (\\rho_m - \\rho_{m,0})

    The density term carries most of a PWR's moderator feedback (less water, less moderation); the
    temperature term is the remaining spectral effect.

    Parameters
    ----------
    temp_mod : array_like
        Average moderator (coolant) temperature in the core [K].
    density_mod : array_like
        Average moderator density [kg/m3].
    temp_mod_ref, density_mod_ref : float
        Reference temperature [K] and density [kg/m3].
    temperature_coefficient : float
        Spectral temperature coefficient [1/K].
    density_coefficient : float
        Density coefficient [1/(kg/m3)] (positive for an under-moderated core).

    Returns
    -------
    ndarray
        Reactivity relative to the reference state [1].
    """
    return moderator_k.py_func(
        np.asarray(temp_mod, dtype=float),
        np.asarray(density_mod, dtype=float),
        temp_mod_ref,
        density_mod_ref,
        temperature_coefficient,
        density_coefficient,
    )


def boron(concentration: ArrayLike, worth: float) -> np.ndarray:
    """Soluble boron reactivity, linear in concentration: :math:`\\rho_B = \\alpha_B C_B`.

    Parameters
    ----------
    concentration : array_like
        Boron concentration in the coolant [ppm].
    worth : float
        Differential boron worth [1/ppm] (negative).
    """
    return worth * np.asarray(concentration, dtype=float)


def rod_integral_worth_fraction(insertion: ArrayLike) -> np.ndarray:
    """Integral worth of a bank as a fraction of its total worth, over its insertion.

    For a bank in a core with a cosine axial flux, the differential worth goes as
    :math:`\\sin^2(\\pi x)` and the integral worth is

    .. math:: W(x)/W_{tot} = x - \\sin(2\\pi x)/(2\\pi)

    with :math:`x` the inserted fraction of the active height (Lamarsh & Baratta,
    *Introduction to Nuclear Engineering*, 3rd ed., §7.6). The S-shape gives little worth at the
    ends of travel and most of it in the middle.

    Parameters
    ----------
    insertion : array_like
        Inserted fraction, 0 (fully withdrawn) to 1 (fully inserted) [1]; clipped to [0, 1].
    """
    return _rod_worth_formula.py_func(np.clip(np.asarray(insertion, dtype=float), 0.0, 1.0))


def rod_banks(positions: ArrayLike, worths: ArrayLike) -> np.ndarray:
    """Reactivity of control-rod banks at given positions.

    .. math:: \\rho_R = -\\sum_b W_b \\, f(1 - z_b)

    with :math:`z_b` the withdrawn fraction of bank :math:`b` and :math:`f` from
    :func:`rod_integral_worth_fraction`.

    Parameters
    ----------
    positions : array_like
        Withdrawn fraction of each bank, 1 = fully out [1].
    worths : array_like
        Total worth of each bank [1] (positive numbers).

    Returns
    -------
    ndarray
        Total reactivity of the banks relative to all rods out [1] (zero or negative).
    """
    z = np.asarray(positions, dtype=float)
    return -np.sum(np.asarray(worths) * rod_integral_worth_fraction(1.0 - z), axis=-1)
