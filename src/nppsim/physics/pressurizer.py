"""Pressurizer: a rigid vessel of water and steam in thermodynamic equilibrium.

Model choice: **equilibrium** (homogeneous saturated contents, one pressure, one temperature).
States are the total mass ``M`` [kg] and total internal energy ``U`` [J] of the vessel contents;
pressure, level and void follow from (M, U, V) by :func:`state_from_mass_energy`. Mass and energy
balances are then linear in the states, so a linear multistep integrator (BDF) conserves both to
round-off, and the model has no interface heat- or mass-transfer coefficients to tune.

What it leaves out (the price of equilibrium): liquid subcooling and steam superheat. Spray
condenses steam instantly and an insurge of hot-leg water mixes with the whole liquid inventory at
once. An insurge therefore raises pressure less than in a real pressurizer (where the steam is
compressed before it condenses), and an insurge colder than about 310 degC lowers it. The
two-region (non-equilibrium) model of e.g. Baron, "Digital model simulation of a nuclear
pressurizer", *Nucl. Sci. Eng.* 52 (1973) 283, would fix this at the cost of four states and
interface coefficients. See docs/models/plant_components.md for figures.

The saturated-volume solver is generic: the steam generators' secondary side uses it too
(:mod:`nppsim.physics.steam_generator`). Water properties: IAPWS-IF97 through CoolProp (Wagner et
al., *J. Eng. Gas Turbines Power* 122 (2000) 150).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from nppsim._jit import njit
from nppsim.physics._coolprop import coolprop, state
from nppsim.physics.turbine import choked_steam_flow, orifice_flow, proportional_lift

__all__ = [
    "PRESSURE_MAX",
    "PRESSURE_MIN",
    "SaturatedVolumeState",
    "SaturationProperties",
    "level_vertical_cylinder",
    "level_vessel",
    "liquid_volume_vessel",
    "mass_energy_from_level",
    "pressurizer_derivatives",
    "relief_valve_flow",
    "saturation_properties",
    "spray_flow",
    "state_from_mass_energy",
    "surge_enthalpy",
]

# Range of the two-phase solver: above the triple point, below the critical point (22.064 MPa),
# where IF97's saturation line is defined and latent heat is not vanishing.
PRESSURE_MIN = 1.0e3  # [Pa]
PRESSURE_MAX = 21.9e6  # [Pa]
# Critical density of water (IAPWS-95): separates "liquid-like" from "vapour-like" single phase.
_RHO_CRITICAL = 322.0  # [kg/m3]


class SaturationProperties(NamedTuple):
    """Water properties on the saturation line at one pressure (SI)."""

    pressure: float  # [Pa]
    temperature: float  # [K]
    rho_liquid: float  # [kg/m3]
    rho_vapour: float  # [kg/m3]
    u_liquid: float  # [J/kg]
    u_vapour: float  # [J/kg]
    h_liquid: float  # [J/kg]
    h_vapour: float  # [J/kg]


class SaturatedVolumeState(NamedTuple):
    """Algebraic state of a rigid vessel of water and steam (SI).

    ``phase`` is ``"two-phase"``, ``"liquid"`` (vessel full of compressed water: a "solid"
    pressurizer) or ``"vapour"`` (no water left). In single phase ``h_liquid``/``h_vapour`` both
    hold the enthalpy of the one phase present.
    """

    pressure: float  # [Pa]
    temperature: float  # [K]
    quality: float  # vapour mass fraction [1]
    void: float  # vapour volume fraction [1]
    liquid_mass: float  # [kg]
    vapour_mass: float  # [kg]
    liquid_volume: float  # [m3]
    h_liquid: float  # [J/kg]
    h_vapour: float  # [J/kg]
    rho_liquid: float  # [kg/m3]
    rho_vapour: float  # [kg/m3]
    phase: str


def saturation_properties(pressure: float) -> SaturationProperties:
    """Saturated liquid and vapour properties at a pressure (IAPWS-IF97).

    Parameters
    ----------
    pressure : float
        Pressure [Pa], PRESSURE_MIN to the critical pressure.

    Returns
    -------
    SaturationProperties
        T_sat and the liquid (f) and vapour (g) densities, internal energies and enthalpies.
    """
    cp = coolprop()
    water = state("pressurizer")
    water.update(cp.PQ_INPUTS, pressure, 0.0)
    t = water.T()
    rho_f, u_f, h_f = water.rhomass(), water.umass(), water.hmass()
    water.update(cp.PQ_INPUTS, pressure, 1.0)
    return SaturationProperties(
        pressure, t, rho_f, water.rhomass(), u_f, water.umass(), h_f, water.hmass()
    )


def _two_phase_residual(p: float, v: float, u: float) -> float:
    """u_mixture(p) - u for a mixture of specific volume v: zero at the equilibrium pressure."""
    s = saturation_properties(p)
    vf, vg = 1.0 / s.rho_liquid, 1.0 / s.rho_vapour
    x = (v - vf) / (vg - vf)
    return s.u_liquid + x * (s.u_vapour - s.u_liquid) - u


def _newton(
    f: Callable[[float], float], p0: float, lo: float, hi: float, rel_step: float
) -> float | None:
    """Damped Newton iteration on pressure with a forward-difference slope; None if it fails."""
    p = min(max(p0, lo), hi)
    for _ in range(40):
        fp = f(p)
        dp = rel_step * p
        slope = (f(p + dp) - fp) / dp
        if slope == 0.0 or not math.isfinite(slope):
            return None
        step = -fp / slope
        # Damping: at most half-way to a bound, so the iterate never leaves the valid range.
        if p + step > hi:
            step = 0.5 * (hi - p)
        elif p + step < lo:
            step = 0.5 * (lo - p)
        p += step
        if abs(step) <= 1e-11 * p + 1e-6:
            return p
    return None


def _bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    flo = f(lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if (fm > 0.0) == (flo > 0.0):
            lo, flo = mid, fm
        else:
            hi = mid
        if hi - lo <= 1e-11 * hi:
            break
    return 0.5 * (lo + hi)


def _single_phase(mass: float, volume: float, u: float, liquid: bool) -> SaturatedVolumeState:
    """State of a vessel full of single-phase water (mass [kg], volume [m3], u [J/kg]).

    IF97 takes (p, h) but not (rho, u) as inputs, and CoolProp's IF97 has no backward equations
    above the critical pressure, where a water-solid pressurizer goes; the IAPWS-95 formulation
    (CoolProp HEOS) solves (rho, u) directly. It is slower (about 0.2 ms) but only runs in the rare
    single-phase states. IF97 and IAPWS-95 agree to about 1e-4 at the phase boundary.
    """
    cp = coolprop()
    water95 = state("pressurizer.95", "HEOS")
    water95.update(cp.DmassUmass_INPUTS, mass / volume, u)
    p, t, h, rho = water95.p(), water95.T(), water95.hmass(), water95.rhomass()
    if liquid:
        return SaturatedVolumeState(p, t, 0.0, 0.0, mass, 0.0, volume, h, h, rho, rho, "liquid")
    return SaturatedVolumeState(p, t, 1.0, 1.0, 0.0, mass, 0.0, h, h, rho, rho, "vapour")


def state_from_mass_energy(
    mass: float,
    energy: float,
    volume: float,
    p_guess: float = 15.7e6,
) -> SaturatedVolumeState:
    """Equilibrium pressure, level and void of a rigid vessel from its mass and internal energy.

    With v = V/M and u = U/M, the saturated mixture satisfies

    .. math::

        x = \\frac{v - v_f(p)}{v_g(p) - v_f(p)}, \\qquad u_f(p) + x\\,[u_g(p) - u_f(p)] = u

    solved for p by Newton's method from ``p_guess`` (two to four iterations from the previous
    step's pressure; bisection as a fallback). If the solution has x < 0 (vessel full of water) or
    x > 1 (no water left) the single-phase state with (v, u) is found instead (IAPWS-95).

    Parameters
    ----------
    mass : float
        Water and steam mass in the vessel [kg].
    energy : float
        Internal energy of the contents [J].
    volume : float
        Free volume of the vessel [m3].
    p_guess : float
        Starting pressure [Pa]; the last known pressure makes the solve cheap.

    Returns
    -------
    SaturatedVolumeState
        Pressure [Pa], temperature [K], quality, void, phase masses [kg], liquid volume [m3],
        phase enthalpies [J/kg] and densities [kg/m3], and the phase label.
    """
    if mass <= 0.0 or volume <= 0.0:
        raise ValueError("mass and volume must be positive")
    v, u = volume / mass, energy / mass

    def residual(p: float) -> float:
        return _two_phase_residual(p, v, u)

    p = _newton(residual, p_guess, PRESSURE_MIN, PRESSURE_MAX, 1e-7)
    if p is None:
        if residual(PRESSURE_MIN) * residual(PRESSURE_MAX) > 0.0:
            # No saturated state: single phase beyond the range of the saturation line.
            return _single_phase(mass, volume, u, liquid=v < 1.0 / _RHO_CRITICAL)
        p = _bisect(residual, PRESSURE_MIN, PRESSURE_MAX)
    s = saturation_properties(p)
    vf, vg = 1.0 / s.rho_liquid, 1.0 / s.rho_vapour
    x = (v - vf) / (vg - vf)
    if x < 0.0:
        return _single_phase(mass, volume, u, liquid=True)
    if x > 1.0:
        return _single_phase(mass, volume, u, liquid=False)
    m_g = x * mass
    m_f = mass - m_g
    v_f = m_f * vf
    return SaturatedVolumeState(
        p,
        s.temperature,
        x,
        1.0 - v_f / volume,
        m_f,
        m_g,
        v_f,
        s.h_liquid,
        s.h_vapour,
        s.rho_liquid,
        s.rho_vapour,
        "two-phase",
    )


def mass_energy_from_level(
    pressure: float,
    liquid_volume: float,
    volume: float,
) -> tuple[float, float]:
    """Mass and internal energy of a saturated vessel with a given liquid volume (initial states).

    .. math::

        M = \\rho_f V_f + \\rho_g (V - V_f), \\quad U = \\rho_f u_f V_f + \\rho_g u_g (V - V_f)

    Parameters
    ----------
    pressure : float
        Saturation pressure [Pa].
    liquid_volume : float
        Volume of saturated liquid [m3], 0 to ``volume``.
    volume : float
        Free volume of the vessel [m3].

    Returns
    -------
    (float, float)
        Mass [kg] and internal energy [J].
    """
    s = saturation_properties(pressure)
    v_g = volume - liquid_volume
    mass = s.rho_liquid * liquid_volume + s.rho_vapour * v_g
    energy = s.rho_liquid * s.u_liquid * liquid_volume + s.rho_vapour * s.u_vapour * v_g
    return mass, energy


@njit
def level_vertical_cylinder(liquid_volume: float, diameter: float) -> float:
    """Collapsed water level in a vertical cylinder, from its bottom.

    .. math:: z = V_f / (\\pi D^2 / 4)

    The pressurizer is treated as an equivalent cylinder of the real inner diameter and of the
    height that gives its total volume (the heads are not modelled).

    Parameters
    ----------
    liquid_volume : float
        Liquid volume [m3].
    diameter : float
        Inner diameter [m].

    Returns
    -------
    float
        Level [m].
    """
    return liquid_volume / (math.pi * diameter**2 / 4.0)


@njit
def liquid_volume_vessel(level: float, diameter: float, head_depth: float, volume: float) -> float:
    """Liquid volume of a vertical vessel with two semi-ellipsoidal heads at a collapsed level.

    The vessel is a cylinder of radius R = D/2 between a lower and an upper head, each half an
    ellipsoid of revolution of depth a (a = D/4 for the usual 2:1 heads; a = 0: a flat-ended
    cylinder); the cylinder's length makes up the total volume V. The level z is measured from
    the inner bottom of the lower head (the zero of the level gauge). In the lower head

    .. math:: V_l(z) = \\pi R^2 \frac{z^2 (3a - z)}{3 a^2}, \\quad 0 \\le z \\le a,

    then V_h + pi R^2 (z - a) in the cylinder (V_h = 2 pi R^2 a / 3), and symmetrically in the
    upper head. Beyond the vessel (z < 0, z > H) the volume is extended linearly (a level there
    means nothing but keeps the inverse defined).

    Parameters
    ----------
    level : float
        Collapsed level from the inner bottom [m].
    diameter : float
        Inner diameter [m].
    head_depth : float
        Depth a of each head [m], 0 to D/2.
    volume : float
        Total inner volume [m3].

    Returns
    -------
    float
        Liquid volume [m3].
    """
    area = math.pi * diameter * diameter / 4.0
    a = head_depth
    v_h = 2.0 * area * a / 3.0
    height = (volume - 2.0 * v_h) / area + 2.0 * a
    if level <= 0.0:
        return area * level
    if level >= height:
        return volume + area * (level - height)
    if level < a:
        return area * level * level * (3.0 * a - level) / (3.0 * a * a)
    if level > height - a:
        z = height - level
        return volume - area * z * z * (3.0 * a - z) / (3.0 * a * a)
    return v_h + area * (level - a)


@njit
def _head_level(v: float, area: float, a: float) -> float:
    """Height in a semi-ellipsoidal head of depth a holding volume v (0 <= v <= V_h).

    With u = z/a, u^2 (3 - u) = c = 3 v/(A a): the root in [0, 1] of the cubic is
    u = 1 + 2 cos(arccos(1 - c/2)/3 - 2 pi/3) (trigonometric solution of the depressed cubic
    w^3 - 3w + c - 2 = 0, w = u - 1).
    """
    c = min(max(3.0 * v / (area * a), 0.0), 2.0)
    return a * (1.0 + 2.0 * math.cos(math.acos(1.0 - 0.5 * c) / 3.0 - 2.0 * math.pi / 3.0))


@njit
def level_vessel(liquid_volume: float, diameter: float, head_depth: float, volume: float) -> float:
    """Collapsed level from the inner bottom for a liquid volume (the inverse of
    :func:`liquid_volume_vessel`, in closed form).

    Parameters
    ----------
    liquid_volume : float
        Liquid volume [m3].
    diameter, head_depth, volume : float
        Inner diameter [m], head depth [m], total inner volume [m3].

    Returns
    -------
    float
        Level [m].
    """
    area = math.pi * diameter * diameter / 4.0
    a = head_depth
    v_h = 2.0 * area * a / 3.0
    height = (volume - 2.0 * v_h) / area + 2.0 * a
    v = liquid_volume
    if v <= 0.0:
        return v / area
    if v >= volume:
        return height + (v - volume) / area
    if a > 0.0 and v < v_h:
        return _head_level(v, area, a)
    if a > 0.0 and v > volume - v_h:
        return height - _head_level(volume - v, area, a)
    return a + (v - v_h) / area


@njit
def surge_enthalpy(surge_flow: float, h_hot_leg: float, h_liquid: float) -> float:
    """Enthalpy carried by the surge line: hot-leg water in, pressurizer water out.

    Parameters
    ----------
    surge_flow : float
        Surge flow into the pressurizer [kg/s] (negative: out-surge).
    h_hot_leg : float
        Enthalpy of the hot-leg water at the surge nozzle [J/kg].
    h_liquid : float
        Enthalpy of the pressurizer liquid [J/kg] (saturated liquid in equilibrium).

    Returns
    -------
    float
        Specific enthalpy of the surge flow [J/kg].
    """
    # The switch is harmless for the solver: the energy flux surge_flow * h is zero on both sides.
    return h_hot_leg if surge_flow >= 0.0 else h_liquid


@njit
def spray_flow(opening: float, dp_drive: float, max_flow: float, dp_rated: float) -> float:
    """Spray flow from the cold leg through the spray valves.

    .. math:: \\dot m_s = y\\,\\dot m_{max}\\,\\sqrt{\\Delta p/\\Delta p_R}

    The VVER-1000 main spray is driven by the pump head (cold leg at the pump discharge to the
    pressurizer dome), so it fades with the pumps' coastdown. Regularised near zero
    (:func:`nppsim.physics.turbine.orifice_flow`); no backflow.

    Parameters
    ----------
    opening : float
        Valve opening, 0 to 1 [1].
    dp_drive : float
        Driving pressure difference, cold leg minus pressurizer [Pa].
    max_flow : float
        Spray flow with the valves fully open at ``dp_rated`` [kg/s].
    dp_rated : float
        Driving pressure difference at which ``max_flow`` applies [Pa].

    Returns
    -------
    float
        Spray mass flow [kg/s], >= 0.
    """
    return max(0.0, opening) * orifice_flow(max(dp_drive, 0.0), max_flow, dp_rated)


@njit
def relief_valve_flow(
    pressure: float,
    p_open: float,
    p_full: float,
    rated_flow: float,
    p_rated: float,
) -> float:
    """Steam flow through a spring-loaded relief or safety valve with proportional lift.

    .. math:: \\dot m = \\mathrm{clip}\\Big(\\frac{p - p_{open}}{p_{full} - p_{open}}, 0, 1\\Big)
              \\,\\dot m_R\\,\\frac{p}{p_R}

    Critical (choked) steam flow is proportional to upstream pressure (Napier's rule).
    Pilot-operated valves with hysteresis (open at one pressure, close at a lower one) are
    discrete events of the protection model: give them a lift of 0 or 1 with
    :func:`nppsim.physics.turbine.choked_steam_flow` instead.

    Parameters
    ----------
    pressure : float
        Pressurizer pressure [Pa].
    p_open : float
        Opening pressure [Pa].
    p_full : float
        Pressure of full lift [Pa], > p_open.
    rated_flow : float
        Flow at full lift and ``p_rated`` [kg/s].
    p_rated : float
        Pressure at which ``rated_flow`` applies [Pa].

    Returns
    -------
    float
        Steam mass flow out of the pressurizer [kg/s].
    """
    return choked_steam_flow(
        proportional_lift(pressure, p_open, p_full), pressure, rated_flow, p_rated
    )


@njit
def pressurizer_derivatives(
    surge_flow: float,
    surge_h: float,
    spray_flow: float,
    spray_h: float,
    heater_power: float,
    relief_flow: float,
    relief_h: float,
    heat_loss: float = 0.0,
) -> tuple[float, float]:
    """Mass and energy balance of the pressurizer contents.

    .. math::

        \\frac{dM}{dt} = \\dot m_{su} + \\dot m_{sp} - \\dot m_{r}, \\qquad
        \\frac{dU}{dt} = \\dot m_{su} h_{su} + \\dot m_{sp} h_{sp} - \\dot m_{r} h_{r}
                        + Q_{heat} - Q_{loss}

    The vessel is rigid, so no work term; flows carry enthalpy (first law for an open control
    volume). Spray condenses steam through the equilibrium solve, not through a separate term.

    Parameters
    ----------
    surge_flow : float
        Surge-line flow into the pressurizer [kg/s] (negative out).
    surge_h : float
        Its enthalpy [J/kg] (:func:`surge_enthalpy`).
    spray_flow : float
        Spray flow in [kg/s], >= 0.
    spray_h : float
        Spray water enthalpy (cold leg) [J/kg].
    heater_power : float
        Electric heater power [W].
    relief_flow : float
        Steam flow out through relief and safety valves [kg/s], >= 0.
    relief_h : float
        Enthalpy of what they discharge [J/kg] (saturated steam, ``h_vapour``).
    heat_loss : float
        Heat loss through the insulation [W].

    Returns
    -------
    (float, float)
        dM/dt [kg/s], dU/dt [W].
    """
    dm = surge_flow + spray_flow - relief_flow
    du = (
        surge_flow * surge_h
        + spray_flow * spray_h
        - relief_flow * relief_h
        + heater_power
        - heat_loss
    )
    return dm, du
