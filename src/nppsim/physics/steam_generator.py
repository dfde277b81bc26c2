"""Horizontal steam generator (PGV-1000M type): heat transfer, secondary pool, level.

Primary side: a chain of N well-mixed nodes (tube bundle from hot collector to cold collector),
each losing ``UA/N (T_j - T_sat)`` to the secondary; the node enthalpies are states handled with
:func:`nppsim.physics.thermal_mixing.chain_enthalpy_derivatives`. The design UA is derived for the
chosen N (:func:`design_ua`), so the model reproduces the design point exactly whatever N is
(N -> infinity is the log-mean temperature difference).

Secondary side: a saturated pool and steam dome in equilibrium, as the pressurizer
(:func:`nppsim.physics.pressurizer.state_from_mass_energy`). States per steam generator: water and
steam mass ``M`` [kg] and internal energy ``U`` [J]. Feedwater (subcooled) mixes into the pool;
dry saturated steam leaves (the separators hold moisture below 0.2 %).

Level: the *collapsed* level (the level the liquid would have without bubbles) in a horizontal
cylinder, corrected for the volume of the tube bundle and the two primary collectors.

Swell and shrink (issue 8): the steam bubbles rising from the tube bundle through the pool occupy
a volume V_v (:func:`void_equilibrium`: the steam made per second times its residence time in
the pool), so the two-phase *mixture* level stands above the collapsed level. More heat or a
lower pressure (lighter steam) means more void and a higher mixture level (swell); less heat or a
higher pressure, less void (shrink). The plant measures the level with a differential-pressure
transmitter between two taps (the narrow range): it weighs the water between them, so the void in
the pool below the lower tap, which lifts water into the span, reads as level
(:func:`narrow_range_level`). Equilibrium of the vessel (mass and energy) is unchanged: the
bubbles are part of the vapour volume.

References: Incropera & DeWitt, *Fundamentals of Heat and Mass Transfer*, 6th ed. (2007), ch. 11
(heat exchangers, effectiveness-NTU); Rassokhin, *Steam generating plants of NPPs* (1987) for the
PGV-1000M arrangement; plants-research.md §1.4 for the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from nppsim._jit import njit
from nppsim.physics._coolprop import coolprop, state

__all__ = [
    "SteamGeneratorGeometry",
    "bundle_coverage",
    "design_ua",
    "level_from_liquid_volume",
    "liquid_volume_at_level",
    "narrow_range_level",
    "node_heat_flows",
    "operating_ua",
    "pool_void_fraction",
    "secondary_derivatives",
    "segment_area",
    "void_equilibrium",
]


@dataclass(frozen=True)
class SteamGeneratorGeometry:
    """Secondary-side geometry of a horizontal steam generator (SI).

    Attributes
    ----------
    diameter : float
        Vessel inner diameter [m].
    length : float
        Vessel inner length [m] (the heads are treated as flat).
    bundle_volume : float
        Volume displaced by the tube bundle [m3] (tube count x outer cross-section x mean length).
    bundle_bottom : float
        Elevation of the lowest tube row above the vessel bottom [m].
    bundle_top : float
        Elevation of the highest tube row [m].
    collector_volume : float
        Volume displaced by the two vertical primary collectors [m3]; spread over the height in
        proportion to the vessel cross-section (as a shorter vessel).
    """

    diameter: float
    length: float
    bundle_volume: float
    bundle_bottom: float
    bundle_top: float
    collector_volume: float

    @property
    def radius(self) -> float:
        """Inner radius [m]."""
        return 0.5 * self.diameter

    @property
    def effective_length(self) -> float:
        """Length of an empty cylinder that has the vessel's volume less the collectors [m]."""
        return self.length - self.collector_volume / (math.pi * self.radius**2)

    @property
    def free_volume(self) -> float:
        """Water and steam volume of the secondary side [m3]."""
        return math.pi * self.radius**2 * self.effective_length - self.bundle_volume


def segment_area(level: float, diameter: float) -> float:
    """Area of the circular segment below ``level`` in a circle of ``diameter``.

    .. math:: A = R^2 \\arccos\\frac{R - z}{R} - (R - z)\\sqrt{2 R z - z^2}

    Parameters
    ----------
    level : float
        Height of the chord above the lowest point [m], clipped to 0..D.
    diameter : float
        Circle diameter [m].

    Returns
    -------
    float
        Segment area [m2].
    """
    r = 0.5 * diameter
    z = min(max(level, 0.0), diameter)
    return r * r * math.acos((r - z) / r) - (r - z) * math.sqrt(max(2.0 * r * z - z * z, 0.0))


def _bundle_fraction(area: float, geom: SteamGeneratorGeometry) -> float:
    """Share of the bundle volume below the cross-section ``area`` (spread like the vessel)."""
    a_b = segment_area(geom.bundle_bottom, geom.diameter)
    a_t = segment_area(geom.bundle_top, geom.diameter)
    return min(1.0, max(0.0, (area - a_b) / (a_t - a_b)))


def liquid_volume_at_level(level: float, geom: SteamGeneratorGeometry) -> float:
    """Liquid volume of the secondary side at a collapsed level.

    .. math:: V_f = L_{eff}\\,A(z) - V_b\\,\\mathrm{clip}\\Big(\\frac{A(z) - A(z_b)}{A(z_t) -
              A(z_b)}, 0, 1\\Big)

    with A the circular segment (:func:`segment_area`): the bundle displaces water in proportion
    to the vessel cross-section between its lowest and highest rows.

    Parameters
    ----------
    level : float
        Collapsed level above the vessel bottom [m].
    geom : SteamGeneratorGeometry
        Geometry.

    Returns
    -------
    float
        Liquid volume [m3].
    """
    area = segment_area(level, geom.diameter)
    return geom.effective_length * area - geom.bundle_volume * _bundle_fraction(area, geom)


def level_from_liquid_volume(volume: float, geom: SteamGeneratorGeometry) -> float:
    """Collapsed level from the liquid volume: inverse of :func:`liquid_volume_at_level`.

    The volume is piecewise linear in the segment area A, so A follows explicitly; the level then
    solves A(z) = A by Newton's method (no closed form exists), safeguarded by bisection. A few
    microseconds.

    Parameters
    ----------
    volume : float
        Liquid volume [m3], clipped to 0..free volume.
    geom : SteamGeneratorGeometry
        Geometry.

    Returns
    -------
    float
        Level [m].
    """
    le = geom.effective_length
    a_b = segment_area(geom.bundle_bottom, geom.diameter)
    a_t = segment_area(geom.bundle_top, geom.diameter)
    v_b = le * a_b
    v_t = le * a_t - geom.bundle_volume
    v = min(max(volume, 0.0), geom.free_volume)
    if v <= v_b:
        area = v / le
    elif v >= v_t:
        area = (v + geom.bundle_volume) / le
    else:
        area = a_b + (v - v_b) / (v_t - v_b) * (a_t - a_b)
    d, r = geom.diameter, geom.radius
    if area <= 0.0:
        return 0.0
    if area >= math.pi * r * r:
        return d
    lo, hi = 0.0, d
    z = d * area / (math.pi * r * r)  # exact at 0, D/2 and D
    for _ in range(60):
        f = segment_area(z, d) - area
        if f > 0.0:
            hi = z
        else:
            lo = z
        slope = 2.0 * math.sqrt(max(z * (d - z), 0.0))  # chord width dA/dz
        z_new = z - f / slope if slope > 0.0 else 0.5 * (lo + hi)
        if not lo <= z_new <= hi:
            z_new = 0.5 * (lo + hi)
        if abs(z_new - z) < 1e-13 * d:
            return z_new
        z = z_new
    return z


@njit
def bundle_coverage(level: float, bottom: float, top: float) -> float:
    """Fraction of the tube bundle under water.

    .. math:: f = \\mathrm{clip}((z - z_b)/(z_t - z_b), 0, 1)

    Tubes above the water transfer little heat (to steam); the heat-transfer UA is multiplied by f
    (loss of feedwater uncovers the bundle and heat removal falls).

    Parameters
    ----------
    level : float
        Collapsed level [m].
    bottom : float
        Elevation of the lowest tube row [m].
    top : float
        Elevation of the highest tube row [m].

    Returns
    -------
    float
        Coverage, 0 to 1 [1].
    """
    return min(1.0, max(0.0, (level - bottom) / (top - bottom)))


@njit
def operating_ua(
    ua_design: float,
    mass_flow: float,
    design_flow: float,
    coverage: float = 1.0,
    primary_share: float = 0.25,
    exponent: float = 0.8,
    min_flow_fraction: float = 0.05,
) -> float:
    """Overall UA at an off-design primary flow and bundle coverage.

    Thermal resistances in series; the primary film follows Dittus-Boelter (h ~ Re^0.8):

    .. math:: \\frac{1}{UA} = \\frac{1}{f\\,UA_0}\\Big[s\\,
              \\Big(\\frac{\\dot m_0}{\\max(|\\dot m|, \\phi\\,\\dot m_0)}\\Big)^{0.8} + 1 - s\\Big]

    s is the primary film's share of the design resistance (the rest: tube wall, boiling film,
    fouling). The flow floor phi stands in for natural-convection and laminar heat transfer, which
    Dittus-Boelter does not cover. Incropera & DeWitt (2007) eq. 8.60 and §11.2.

    Parameters
    ----------
    ua_design : float
        UA at the design point [W/K] (:func:`design_ua`).
    mass_flow : float
        Primary mass flow through this steam generator [kg/s].
    design_flow : float
        Design primary flow [kg/s].
    coverage : float
        Bundle coverage [1] (:func:`bundle_coverage`).
    primary_share : float
        Primary film share of the design thermal resistance [1].
    exponent : float
        Reynolds exponent of the primary film coefficient [1].
    min_flow_fraction : float
        Flow floor as a fraction of design flow [1].

    Returns
    -------
    float
        UA [W/K].
    """
    ratio = design_flow / max(abs(mass_flow), min_flow_fraction * design_flow)
    return coverage * ua_design / (primary_share * ratio**exponent + 1.0 - primary_share)


def node_heat_flows(
    temp_primary: ArrayLike,
    temp_sat: float,
    ua: float,
) -> NDArray[np.float64]:
    """Heat flow from each primary node to the boiling secondary.

    .. math:: Q_j = \\frac{UA}{N}\\,(T_j - T_{sat})

    The secondary side is a pool at saturation; negative Q_j (secondary hotter) is allowed: a
    steam generator can heat the primary in a cooldown reversal.

    Parameters
    ----------
    temp_primary : array_like
        Temperatures of the N primary nodes [K].
    temp_sat : float
        Secondary saturation temperature [K].
    ua : float
        Total UA of the steam generator [W/K].

    Returns
    -------
    ndarray
        Q_j [W], shape (N,).
    """
    t = np.asarray(temp_primary, dtype=float)
    return ua / t.size * (t - temp_sat)


def _temperature_ph(pressure: float, enthalpy: float) -> float:
    cp = coolprop()
    water = state("steam_generator")
    water.update(cp.HmassP_INPUTS, enthalpy, pressure)
    return water.T()


def _enthalpy_pt(pressure: float, temperature: float) -> float:
    cp = coolprop()
    water = state("steam_generator")
    water.update(cp.PT_INPUTS, pressure, temperature)
    return water.hmass()


def _chain_outlet(
    h_in: float, mass_flow: float, ua_node: float, n: int, pressure: float, temp_sat: float
) -> float:
    """Outlet enthalpy of N mixed nodes in steady state: m (h_{j-1} - h_j) = ua_n (T(h_j) - T_s)."""
    h_floor = _enthalpy_pt(pressure, temp_sat)
    h = h_in
    for _ in range(n):
        h_prev = h

        def balance(hj: float, h_prev: float = h_prev) -> float:
            return mass_flow * (h_prev - hj) - ua_node * (_temperature_ph(pressure, hj) - temp_sat)

        h = brentq(balance, h_floor, h_prev, xtol=1e-9, rtol=1e-14)
    return h


def design_ua(
    power: float,
    temp_in: float,
    temp_out: float,
    pressure: float,
    temp_sat: float,
    n_nodes: int,
) -> tuple[float, float]:
    """UA of a steam generator that transfers the design power with N primary nodes.

    The design flow follows from the energy balance, m = Q / (h(T_in) - h(T_out)); UA/N is then the
    value for which N well-mixed nodes in steady state,

    .. math:: \\dot m\\,(h_{j-1} - h_j) = \\frac{UA}{N}\\,(T(h_j) - T_{sat}), \\quad j = 1..N

    take the primary water from T_in to T_out (IF97 properties). For constant c_p and N -> infinity
    this is UA = Q / LMTD (Incropera & DeWitt 2007, eq. 11.15); for finite N it is the exact
    steady state of the discretised model.

    Parameters
    ----------
    power : float
        Design heat transfer of one steam generator [W].
    temp_in : float
        Primary inlet (hot-leg) temperature [K].
    temp_out : float
        Primary outlet (cold-leg) temperature [K].
    pressure : float
        Primary pressure [Pa].
    temp_sat : float
        Secondary saturation temperature at the design steam pressure [K].
    n_nodes : int
        Number of primary nodes [1].

    Returns
    -------
    (float, float)
        UA [W/K] and the primary design mass flow [kg/s].
    """
    if not temp_in > temp_out > temp_sat:
        raise ValueError("need temp_in > temp_out > temp_sat")
    h_in = _enthalpy_pt(pressure, temp_in)
    h_out = _enthalpy_pt(pressure, temp_out)
    m = power / (h_in - h_out)

    def miss(log_ua: float) -> float:
        return (
            _chain_outlet(h_in, m, math.exp(log_ua) / n_nodes, n_nodes, pressure, temp_sat) - h_out
        )

    lmtd = (temp_in - temp_out) / math.log((temp_in - temp_sat) / (temp_out - temp_sat))
    ua0 = power / lmtd
    # A finite chain of mixed nodes needs a larger UA than the LMTD value; 0.5x to 20x brackets it.
    log_ua = brentq(miss, math.log(0.5 * ua0), math.log(20.0 * ua0), xtol=1e-13)
    return math.exp(log_ua), m


@njit
def secondary_derivatives(
    heat_in: float,
    feed_flow: float,
    feed_h: float,
    steam_flow: float,
    steam_h: float,
) -> tuple[float, float]:
    """Mass and energy balance of one steam generator's secondary side.

    .. math::

        \\frac{dM}{dt} = \\dot m_{fw} - \\dot m_{st}, \\qquad
        \\frac{dU}{dt} = Q + \\dot m_{fw} h_{fw} - \\dot m_{st} h_{st}

    Rigid vessel, no work term. ``steam_flow`` is every steam outflow together (steam line, BRU-A,
    safety valves), all at the saturated-vapour enthalpy.

    Parameters
    ----------
    heat_in : float
        Heat from the primary, sum of :func:`node_heat_flows` [W].
    feed_flow : float
        Feedwater flow in (main and emergency) [kg/s].
    feed_h : float
        Feedwater enthalpy [J/kg] (flow-weighted if several sources).
    steam_flow : float
        Steam flow out [kg/s].
    steam_h : float
        Steam enthalpy [J/kg].

    Returns
    -------
    (float, float)
        dM/dt [kg/s], dU/dt [W].
    """
    return feed_flow - steam_flow, heat_in + feed_flow * feed_h - steam_flow * steam_h


# -- swell and shrink, and the level as the plant measures it (issue 8) ---------------------------
@njit
def void_equilibrium(
    heat: float, h_fg: float, rho_g: float, residence_time: float, max_void: float = 1e30
) -> float:
    r"""Steam volume held in the boiling pool at a heat input and pressure.

    .. math:: V_v = \min\Big(t_r\,\frac{\max(Q, 0)}{h_{fg}\,\rho_g}, V_{max}\Big)

    The bundle makes Q/h_fg kilograms of steam a second, which rise through the water above the
    tubes in a residence time t_r (the rise height over the bubbles' velocity, drift plus the
    pool's circulation); the pool holds their volume. At constant heat a lower pressure (lighter
    steam) holds more void: the swell that follows a rise in steam demand; a higher pressure
    holds less: the shrink after a turbine trip. A drift-flux picture (Zuber and Findlay, *J.
    Heat Transfer* 87 (1965) 453) with a constant bubble velocity; t_r is a design estimate.
    A shallow pool cannot hold that much steam: the caller bounds the void by V_max (the steam
    generator takes the water above the tube bundle's bottom, a void fraction of at most one
    half there); a dried-out vessel (h_fg = 0, single phase) holds none.

    Parameters
    ----------
    heat : float
        Heat from the primary Q [W].
    h_fg : float
        Latent heat at the pool's pressure [J/kg].
    rho_g : float
        Saturated steam density [kg/m3].
    residence_time : float
        t_r [s].
    max_void : float
        V_max [m3].

    Returns
    -------
    float
        V_v [m3].
    """
    denom = h_fg * rho_g
    if not denom > 0.0:
        return 0.0
    return max(min(residence_time * max(heat, 0.0) / denom, max_void), 0.0)


@njit
def pool_void_fraction(void: float, liquid_volume: float, volume_below_bundle: float) -> float:
    """Mean void fraction of the two-phase pool between the tube bundle's bottom and the mixture
    level.

    .. math:: \alpha = \frac{V_v}{V_f + V_v - V_0}

    with V_0 the (bubble-free) water below the lowest tube row.

    Parameters
    ----------
    void : float
        Steam volume in the pool V_v [m3].
    liquid_volume : float
        Water volume V_f [m3].
    volume_below_bundle : float
        V_0 [m3].

    Returns
    -------
    float
        alpha, 0 to 0.95 [1].
    """
    mix = liquid_volume + void - volume_below_bundle
    if mix <= 1e-6:
        return 0.0
    return min(max(void / mix, 0.0), 0.95)


@njit
def narrow_range_level(mixture_level: float, void_fraction: float, tap_low: float, tap_high: float):
    r"""Level indicated by a differential-pressure transmitter between two taps.

    .. math:: L = z_{lo} + (1 - \alpha)\,(\mathrm{clip}(z_{mix}, z_{lo}, z_{hi}) - z_{lo})

    The transmitter weighs the column between the taps (its reference leg compensates the steam
    above): the water height it shows is the liquid in the span, the two-phase mixture up to the
    mixture level at (1 - alpha) of its height. It therefore reads above the collapsed level by
    about alpha (z_lo - z_bundle bottom): the void below the lower tap lifts water into the span.
    Off scale it reads z_lo or z_hi. (The mixture is taken uniform and the flow's dynamic
    pressure is neglected.)

    Parameters
    ----------
    mixture_level : float
        Two-phase mixture level z_mix [m].
    void_fraction : float
        alpha [1] (:func:`pool_void_fraction`).
    tap_low, tap_high : float
        Elevations of the lower and upper taps [m].

    Returns
    -------
    float
        Indicated level L [m] (above the vessel bottom, like the other levels).
    """
    z = min(max(mixture_level, tap_low), tap_high)
    return tap_low + (1.0 - void_fraction) * (z - tap_low)
