r"""Emergency core cooling: injection pumps on their curves, hydro-accumulators behind check valves.

**Centrifugal injection pumps** (high- and low-pressure injection). The pump's head curve is a
parabola through the shut-off head and the rated point,

.. math:: \Delta p(Q) = \Delta p_0 - (\Delta p_0 - \Delta p_R)\,(Q/Q_R)^2,

and the pump delivers where it meets the system's back-pressure, the primary pressure less the
suction pressure (the line losses are lumped into the curve):

.. math:: Q = Q_R \sqrt{\frac{(\Delta p_0 - (p_1 - p_s))^+}{\Delta p_0 - \Delta p_R}}

(zero above the shut-off head: the pump runs on its minimum-flow line). The positive part is
smoothed over ``width`` so that the flow is continuous with a finite slope at shut-off.

**Positive-displacement pumps** (emergency boron injection): rated flow whatever the back-pressure
up to the relief setting of the pump, falling linearly to zero over a band above it.

**Hydro-accumulators.** A tank of borated water under nitrogen, connected to the reactor through
a check valve (and fast-acting isolation valves that close when it is nearly empty, so that no
nitrogen enters the primary). The gas expands polytropically,

.. math:: p_{gas} = p_{gas,0} \left(\frac{V_{gas,0}}{V - V_w}\right)^{n}

(n = 1 isothermal, 1.4 adiabatic; a large accumulator discharging in a minute is close to
adiabatic), and the check valve opens when the gas pressure plus the water's static head exceeds
the primary pressure; the flow is the orifice law of the line,

.. math:: \dot m = y(\Delta p)\,\dot m_R \sqrt{\Delta p^+/\Delta p_R}, \qquad
    \Delta p = p_{gas} + \rho g \Delta z - p_1,

times the lift of the check valve, which opens smoothly over a few kPa around its cracking
pressure (about 20 kPa).

References: Todreas & Kazimi, *Nuclear Systems I*, 2nd ed. (2012), ch. 1 and 6 (emergency core
cooling, accumulators); I. E. Idelchik, *Handbook of Hydraulic Resistance*, 3rd ed. (1994) (line
losses); A. J. Stepanoff, *Centrifugal and Axial Flow Pumps*, 2nd ed., Wiley (1957) (head curves).
"""

from __future__ import annotations

import math

from nppsim._jit import njit
from nppsim.physics.pressurizer_nonequilibrium import smooth_positive
from nppsim.physics.turbine import orifice_flow

__all__ = [
    "accumulator_flow",
    "accumulator_gas_pressure",
    "centrifugal_pump_flow",
    "displacement_pump_flow",
]

GRAVITY = 9.80665  # [m/s2]


@njit
def centrifugal_pump_flow(
    back_pressure: float,
    shutoff_dp: float,
    rated_dp: float,
    rated_flow: float,
    width: float = 1e4,
) -> float:
    """Flow of a centrifugal pump against a back-pressure, from its parabolic head curve.

    Parameters
    ----------
    back_pressure : float
        Pressure the pump must overcome: primary pressure less suction pressure [Pa].
    shutoff_dp : float
        Pressure rise at zero flow [Pa].
    rated_dp : float
        Pressure rise at the rated flow [Pa], below ``shutoff_dp``.
    rated_flow : float
        Rated flow [kg/s] (or m3/s: the result has the same unit).
    width : float
        Smoothing width of the shut-off [Pa].

    Returns
    -------
    float
        Delivered flow [unit of rated_flow], >= 0.
    """
    margin = smooth_positive(shutoff_dp - back_pressure, width)
    return rated_flow * math.sqrt(margin / (shutoff_dp - rated_dp))


@njit
def displacement_pump_flow(
    back_pressure: float, max_dp: float, band: float, rated_flow: float
) -> float:
    """Flow of a positive-displacement (plunger) pump: rated up to its relief setting.

    .. math:: Q = Q_R\\,\\mathrm{clip}((\\Delta p_{max} - \\Delta p)/b + 1, 0, 1)

    Parameters
    ----------
    back_pressure : float
        Pressure the pump must overcome [Pa].
    max_dp : float
        Pressure rise up to which it delivers its rated flow [Pa].
    band : float
        Band above ``max_dp`` over which the flow falls to zero [Pa].
    rated_flow : float
        Rated flow [kg/s].

    Returns
    -------
    float
        Delivered flow [kg/s].
    """
    return rated_flow * min(1.0, max(0.0, (max_dp - back_pressure) / band + 1.0))


@njit
def accumulator_gas_pressure(
    water_volume: float, tank_volume: float, gas_volume0: float, p_gas0: float, exponent: float
) -> float:
    """Nitrogen pressure of a hydro-accumulator from its water volume (polytropic expansion).

    Parameters
    ----------
    water_volume : float
        Water left in the tank [m3].
    tank_volume : float
        Tank volume [m3].
    gas_volume0, p_gas0 : float
        Gas volume [m3] and pressure [Pa] of the charged tank.
    exponent : float
        Polytropic exponent n [1].

    Returns
    -------
    float
        Gas pressure [Pa].
    """
    v_gas = max(tank_volume - water_volume, 1e-3 * gas_volume0)
    return p_gas0 * (gas_volume0 / v_gas) ** exponent


@njit
def accumulator_flow(
    p_gas: float,
    static_head: float,
    p_primary: float,
    rated_flow: float,
    dp_rated: float,
    cracking: float = 20e3,
    width: float = 2e3,
) -> float:
    """Flow out of a hydro-accumulator through its check valve [kg/s].

    Parameters
    ----------
    p_gas : float
        Gas pressure [Pa].
    static_head : float
        rho g dz of the water column between the tank level and the injection point [Pa].
    p_primary : float
        Pressure at the injection point [Pa].
    rated_flow, dp_rated : float
        The line's flow [kg/s] at a pressure difference [Pa] (orifice law).
    cracking : float
        Cracking pressure of the check valve [Pa]: it opens when the pressure difference
        exceeds it (check valves crack at some 10-30 kPa).
    width : float
        Width over which it opens [Pa]: its lift is 0.5 (1 + tanh((dp - cracking)/width)), so
        a few widths below the cracking pressure it passes nothing.

    Returns
    -------
    float
        Flow into the primary [kg/s], >= 0.
    """
    dp = p_gas + static_head - p_primary
    lift = 0.5 * (1.0 + math.tanh((dp - cracking) / width))
    return lift * orifice_flow(max(dp, 0.0), rated_flow, dp_rated)
