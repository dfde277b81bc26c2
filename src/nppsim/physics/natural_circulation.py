"""Buoyancy head and natural circulation in a closed loop.

The buoyancy head enters the loop momentum equation of :mod:`nppsim.physics.pump`; the steady
natural-circulation flow is an algebraic helper for initial states and checks (it solves a root
problem and is not meant for a right-hand side).

Reference: Todreas & Kazimi, *Nuclear Systems I* (2nd ed. 2011), §6.4 (natural circulation loops);
Zvirin, "A review of natural circulation loops in PWRs", *Nucl. Eng. Des.* 67 (1982) 203.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq

from nppsim.physics._coolprop import coolprop, state

__all__ = [
    "GRAVITY",
    "buoyancy_head",
    "natural_circulation_flow",
    "natural_circulation_flow_boussinesq",
    "thermal_centre_buoyancy",
]

GRAVITY = 9.80665  # standard gravity [m/s2] (CGPM 1901)


def buoyancy_head(density: ArrayLike, rise: ArrayLike) -> float:
    """Buoyancy (gravity) head along a flow path.

    .. math:: \\Delta p_b = -g \\sum_i \\rho_i\\,\\Delta z_i

    ``rise[i]`` is the elevation gained by segment i in the positive flow direction. Around a closed
    loop (sum of rises zero) this is the net driving head of natural circulation: positive when the
    rising leg is lighter than the falling one. A path that is not closed (loop and vessel halves in
    :func:`nppsim.physics.pump.parallel_loops_flow_derivatives`) gives the gravity part of the
    pressure difference between its ends.

    Parameters
    ----------
    density : array_like
        Mean water density of each segment [kg/m3].
    rise : array_like
        Elevation gain of each segment in the flow direction [m].

    Returns
    -------
    float
        Buoyancy head [Pa].
    """
    return -GRAVITY * float(np.dot(np.asarray(density, dtype=float), np.asarray(rise, dtype=float)))


def thermal_centre_buoyancy(density_cold: float, density_hot: float, height: float) -> float:
    """Buoyancy head of a loop with a point heat source and a point heat sink.

    .. math:: \\Delta p_b = g\\,(\\rho_c - \\rho_h)\\,\\Delta Z

    ``height`` is the elevation of the sink's thermal centre above the source's (steam-generator
    tube bundle over core mid-plane).

    Parameters
    ----------
    density_cold : float
        Density in the cold (falling) leg [kg/m3].
    density_hot : float
        Density in the hot (rising) leg [kg/m3].
    height : float
        Thermal-centre elevation difference [m].

    Returns
    -------
    float
        Buoyancy head [Pa].
    """
    return GRAVITY * (density_cold - density_hot) * height


def natural_circulation_flow_boussinesq(
    power: ArrayLike,
    height: float,
    resistance: float,
    density: float,
    expansion: float,
    heat_capacity: float,
) -> np.ndarray:
    """Closed-form steady natural-circulation flow (Boussinesq approximation).

    Buoyancy g rho beta dT dZ with dT = P / (m c_p), balanced by friction K m^2:

    .. math:: \\dot m = \\left(\\frac{g\\,\\rho\\,\\beta\\,P\\,\\Delta Z}{c_p\\,K}\\right)^{1/3}

    (Todreas & Kazimi, *Nuclear Systems I*, §6.4; Zvirin 1982). Flow grows as the cube root of
    power times height.

    Parameters
    ----------
    power : array_like
        Heat input (decay power) [W].
    height : float
        Thermal-centre elevation difference [m].
    resistance : float
        Loop loss coefficient K, dp = K m^2 [Pa s2/kg2].
    density : float
        Reference water density [kg/m3].
    expansion : float
        Volumetric thermal expansion coefficient beta = -(1/rho) d rho/dT [1/K].
    heat_capacity : float
        Specific heat c_p [J/kg/K].

    Returns
    -------
    ndarray
        Mass flow [kg/s].
    """
    p = np.asarray(power, dtype=float)
    return np.cbrt(GRAVITY * density * expansion * p * height / (heat_capacity * resistance))


def _density_ph(pressure: float, enthalpy: float) -> float:
    cp = coolprop()
    water = state("natural_circulation")
    water.update(cp.HmassP_INPUTS, enthalpy, pressure)
    return water.rhomass()


def natural_circulation_flow(
    power: float,
    pressure: float,
    enthalpy_cold: float,
    height: float,
    resistance: float,
) -> float:
    """Steady natural-circulation flow with IAPWS-IF97 densities.

    Solves, for the mass flow m,

    .. math:: K\\,\\dot m^2 = g\\,[\\rho(p, h_c) - \\rho(p, h_c + P/\\dot m)]\\,\\Delta Z

    with the cold-leg enthalpy fixed (set by the steam generators). Single-phase liquid only: the
    hot leg must stay below saturation. Root bracketing with Brent's method; for initial states and
    checks, not for a right-hand side.

    Parameters
    ----------
    power : float
        Heat input [W], > 0.
    pressure : float
        System pressure [Pa].
    enthalpy_cold : float
        Cold-leg specific enthalpy [J/kg].
    height : float
        Thermal-centre elevation difference [m].
    resistance : float
        Loop loss coefficient [Pa s2/kg2].

    Returns
    -------
    float
        Mass flow [kg/s].
    """
    cp = coolprop()
    water = state("natural_circulation")
    rho_c = _density_ph(pressure, enthalpy_cold)
    water.update(cp.PQ_INPUTS, pressure, 0.0)
    h_sat = water.hmass()

    def imbalance(m: float) -> float:
        h_hot = enthalpy_cold + power / m
        return GRAVITY * (rho_c - _density_ph(pressure, h_hot)) * height - resistance * m * m

    # Lower bound: the hot leg just reaches saturation; upper bound: friction alone exceeds the
    # largest possible buoyancy (density difference to saturated liquid).
    m_lo = power / (h_sat - enthalpy_cold)
    m_hi = np.sqrt(GRAVITY * rho_c * height / resistance)
    if imbalance(m_lo) <= 0.0:
        raise ValueError("no single-phase natural circulation: the hot leg would boil")
    return float(brentq(imbalance, m_lo, max(m_hi, 2 * m_lo), xtol=1e-10, rtol=1e-12))
