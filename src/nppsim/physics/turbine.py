"""Secondary side downstream of the steam generators: header, valves, turbine, generator, feedwater.

States a plant model owns:

* ``p_header`` — main steam header pressure [Pa], from :func:`header_pressure_derivative`
  (explicit: the header steam is taken as saturated at its pressure, so its mass is
  V rho_g(p) and dM/dt = V (d rho_g/dp) dp/dt);
* ``power_lp`` — turbine power developed after the moisture separator-reheater [W], from
  :func:`reheat_power_derivative` (a first-order lag).

Everything else is algebraic: valve flows (turbine control valves, BRU-K steam dump to the
condenser, BRU-A dump to the atmosphere, steam-generator safety valves), turbine and generator
power, feedwater flow. The same valve functions serve the pressurizer relief valves.

The turbine-generator's shaft and valves (issue 8) add the states of the IEEE steam-turbine model
with reheat (IEEE Committee Report, "Dynamic models for steam and hydro turbines in power system
studies", *IEEE Trans. PAS* 92 (1973) 1904; Kundur, *Power System Stability and Control*,
McGraw-Hill 1994, ch. 9):

* the positions of the stop, control and intercept valves, each a servo with its closing and
  opening rates (:func:`valve_servo_rate`);
* the steam chest ahead of the HP cylinder (time constant T_CH) and the crossover with the
  moisture separator-reheater ahead of the LP cylinders (T_RH), through which the intercept valves
  pass the steam (:func:`lag_rate`, :func:`crossover_rate`);
* the rotor speed from the swing equation (:func:`rotor_acceleration`), with the speed governor's
  droop (:func:`governor_demand`) and the intercept valves' overspeed action
  (:func:`intercept_valve_demand`);
* the feedwater temperature from the regenerative heater train, fed by extraction steam in
  proportion to the turbine's steam flow, with the heaters' thermal lag
  (:func:`feedwater_heater_target`).

Fixed boundary conditions (documented simplifications): the condenser holds a fixed pressure; the
grid is stiff (a generator on the grid turns at synchronous speed; electromechanical swings of
about 1 Hz are not modelled); the deaerator holds its pressure (its temperature is the feedwater
temperature without extraction steam to the high-pressure heaters).
"""

from __future__ import annotations

import math

from nppsim._jit import njit
from nppsim.physics._coolprop import coolprop, state

__all__ = [
    "choked_steam_flow",
    "crossover_rate",
    "design_turbine_efficiency",
    "electric_power",
    "feedwater_enthalpy",
    "feedwater_flow",
    "feedwater_heater_target",
    "governor_demand",
    "header_pressure_derivative",
    "intercept_valve_demand",
    "isentropic_enthalpy_drop",
    "lag_rate",
    "orifice_flow",
    "proportional_lift",
    "reheat_power_derivative",
    "rotor_acceleration",
    "saturated_steam_density_slope",
    "steam_line_flow",
    "turbine_mechanical_power",
    "turbine_steam_flow",
    "valve_servo_rate",
    "windage_friction_loss",
]


# Width of the linear zone of orifice_flow, as a fraction of the rated pressure drop. Below it the
# square-root law is replaced by a straight line, so the Jacobian stays finite at zero flow.
_DP_LINEAR_FRACTION = 1e-3


@njit
def orifice_flow(
    dp: float,
    rated_flow: float,
    dp_rated: float,
    density_ratio: float = 1.0,
) -> float:
    """Flow through a fixed restriction from its pressure difference (incompressible orifice law).

    .. math:: \\dot m = \\dot m_R \\sqrt{\\rho/\\rho_R}\\;
              \\frac{\\Delta p}{\\sqrt{\\Delta p_R\\,\\sqrt{\\Delta p^2 + \\varepsilon^2}}}

    which is m_R sqrt(rho/rho_R) sign(dp) sqrt(|dp|/dp_R) for |dp| >> eps and linear in dp near
    zero (eps = 1e-3 dp_R). Idelchik, *Handbook of Hydraulic Resistance*, 3rd ed. (1994), ch. 4.

    Parameters
    ----------
    dp : float
        Upstream minus downstream pressure [Pa].
    rated_flow : float
        Flow at ``dp_rated`` and the rated density [kg/s].
    dp_rated : float
        Rated pressure difference [Pa].
    density_ratio : float
        Upstream density over the rated density [1].

    Returns
    -------
    float
        Mass flow [kg/s], with the sign of ``dp``.
    """
    eps = _DP_LINEAR_FRACTION * dp_rated
    return (
        rated_flow
        * math.sqrt(density_ratio)
        * dp
        / math.sqrt(dp_rated * math.sqrt(dp * dp + eps * eps))
    )


@njit
def proportional_lift(pressure: float, p_open: float, p_full: float) -> float:
    """Lift of a spring valve that opens at ``p_open`` and is fully open at ``p_full``.

    .. math:: y = \\mathrm{clip}((p - p_{open})/(p_{full} - p_{open}), 0, 1)

    Parameters
    ----------
    pressure : float
        Upstream pressure [Pa].
    p_open : float
        Opening pressure [Pa].
    p_full : float
        Full-lift pressure [Pa], > p_open.

    Returns
    -------
    float
        Lift, 0 to 1 [1].
    """
    return min(1.0, max(0.0, (pressure - p_open) / (p_full - p_open)))


@njit
def choked_steam_flow(opening: float, pressure: float, rated_flow: float, p_rated: float) -> float:
    """Critical (choked) steam flow through a valve.

    .. math:: \\dot m = y\\,\\dot m_R\\,p/p_R

    For choked flow of steam the mass flux is proportional to upstream pressure (Napier's rule;
    the dependence on p v of saturated steam is weak between 5 and 18 MPa). Used for BRU-K, BRU-A,
    steam-generator safety valves and pressurizer relief valves; the downstream pressure
    (condenser, atmosphere, relief tank) is far below the critical ratio.

    Parameters
    ----------
    opening : float
        Valve opening or lift, 0 to 1 [1] (clipped below at 0).
    pressure : float
        Upstream pressure [Pa].
    rated_flow : float
        Flow fully open at ``p_rated`` [kg/s].
    p_rated : float
        Pressure of the rating [Pa].

    Returns
    -------
    float
        Steam mass flow [kg/s], >= 0.
    """
    return max(0.0, opening) * rated_flow * max(pressure, 0.0) / p_rated


@njit
def turbine_steam_flow(opening: float, p_inlet: float, rated_flow: float, p_rated: float) -> float:
    """Steam flow through the turbine control valves and the turbine.

    .. math:: \\dot m = y\\,\\dot m_R\\,p_{in}/p_R

    Stodola's cone law for a multi-stage turbine exhausting to a condenser far below inlet
    pressure, m ~ p_in / sqrt(p_in v_in), reduces to m ~ p_in for saturated steam of nearly constant
    p v (Cooke, "On prediction of off-design multistage turbine pressures by Stodola's ellipse",
    *J. Eng. Gas Turbines Power* 107 (1985) 596). The valve opening y is relative: y = 1 passes the
    rated flow at the rated inlet pressure, and the valves may open beyond 1 to a maximum.

    Parameters
    ----------
    opening : float
        Relative control-valve opening [1] (0 closed, 1 rated).
    p_inlet : float
        Steam pressure before the control valves (header) [Pa].
    rated_flow : float
        Rated steam flow [kg/s].
    p_rated : float
        Rated inlet pressure [Pa].

    Returns
    -------
    float
        Steam mass flow [kg/s].
    """
    return choked_steam_flow(opening, p_inlet, rated_flow, p_rated)


def isentropic_enthalpy_drop(p_inlet: float, h_inlet: float, p_exhaust: float) -> float:
    """Isentropic enthalpy drop of steam from inlet to exhaust pressure (IAPWS-IF97).

    .. math:: \\Delta h_s = h_{in} - h(p_{ex}, s(p_{in}, h_{in}))

    Parameters
    ----------
    p_inlet : float
        Inlet pressure [Pa].
    h_inlet : float
        Inlet specific enthalpy [J/kg].
    p_exhaust : float
        Exhaust (condenser) pressure [Pa].

    Returns
    -------
    float
        Delta h_s [J/kg].
    """
    cp = coolprop()
    water = state("turbine")
    water.update(cp.HmassP_INPUTS, h_inlet, p_inlet)
    s = water.smass()
    water.update(cp.PSmass_INPUTS, p_exhaust, s)
    return h_inlet - water.hmass()


@njit
def turbine_mechanical_power(mass_flow: float, enthalpy_drop: float, efficiency: float) -> float:
    """Steady mechanical power of the turbine.

    .. math:: P_m = \\dot m\\,\\Delta h_s\\,\\eta_{eff}

    ``efficiency`` is an *effective* efficiency referred to the throttle flow: it lumps the
    internal (isentropic) efficiency of the stages, the steam bled to the feedwater heaters, the
    moisture separator-reheater and the exhaust losses. It is derived from the design point by
    :func:`design_turbine_efficiency`.

    Parameters
    ----------
    mass_flow : float
        Throttle steam flow [kg/s].
    enthalpy_drop : float
        Isentropic drop from throttle to condenser pressure [J/kg].
    efficiency : float
        Effective efficiency [1].

    Returns
    -------
    float
        Mechanical power [W].
    """
    return mass_flow * enthalpy_drop * efficiency


def design_turbine_efficiency(
    power_electric: float,
    generator_efficiency: float,
    mass_flow: float,
    p_inlet: float,
    h_inlet: float,
    p_condenser: float,
) -> float:
    """Effective turbine efficiency that reproduces the design electric output.

    .. math:: \\eta_{eff} = P_e / (\\eta_g\\,\\dot m\\,\\Delta h_s)

    Parameters
    ----------
    power_electric : float
        Gross electric power at the design point [W].
    generator_efficiency : float
        Generator efficiency [1].
    mass_flow : float
        Design throttle steam flow [kg/s].
    p_inlet : float
        Design throttle pressure [Pa].
    h_inlet : float
        Throttle steam enthalpy [J/kg].
    p_condenser : float
        Condenser pressure [Pa].

    Returns
    -------
    float
        eta_eff [1].
    """
    dh = isentropic_enthalpy_drop(p_inlet, h_inlet, p_condenser)
    return power_electric / (generator_efficiency * mass_flow * dh)


@njit
def reheat_power_derivative(
    power_lp: float,
    power_steam: float,
    lp_fraction: float,
    time_constant: float,
) -> float:
    """Lag of the power developed after the moisture separator-reheater.

    .. math::

        \\frac{dP_{lp}}{dt} = \\frac{f_{lp} P_s - P_{lp}}{\\tau_{rh}}, \\qquad
        P_m = (1 - f_{lp}) P_s + P_{lp}

    P_s is the steady power for the present throttle flow (:func:`turbine_mechanical_power`). The
    high-pressure cylinder responds at once; the low-pressure cylinders see flow changes only after
    the large steam volume of the separator-reheater and crossover fills or empties (the IEEE
    reheat-turbine model, IEEE Committee Report, "Dynamic models for steam and hydro turbines in
    power system studies", *IEEE Trans. PAS* 92 (1973) 1904).

    Parameters
    ----------
    power_lp : float
        State: low-pressure part of the mechanical power [W].
    power_steam : float
        Steady mechanical power for the present flow [W].
    lp_fraction : float
        Share of the power developed after the reheater [1].
    time_constant : float
        Reheater time constant [s].

    Returns
    -------
    float
        dP_lp/dt [W/s].
    """
    return (lp_fraction * power_steam - power_lp) / time_constant


@njit
def electric_power(power_mechanical: float, generator_efficiency: float) -> float:
    """Gross electric power at the generator terminals.

    .. math:: P_e = \\eta_g\\,P_m

    Parameters
    ----------
    power_mechanical : float
        Turbine shaft power [W].
    generator_efficiency : float
        Generator efficiency [1].

    Returns
    -------
    float
        Electric power [W].
    """
    return generator_efficiency * power_mechanical


def saturated_steam_density_slope(pressure: float) -> float:
    """Slope d rho_g / dp of saturated steam density along the saturation line (IF97).

    Central difference with a 1 kPa step (rho_g is smooth; the truncation error is below 1e-7).

    Parameters
    ----------
    pressure : float
        Pressure [Pa].

    Returns
    -------
    float
        d rho_g/dp [kg/m3/Pa].
    """
    cp = coolprop()
    water = state("turbine")
    dp = 1.0e3
    water.update(cp.PQ_INPUTS, pressure + dp, 1.0)
    hi = water.rhomass()
    water.update(cp.PQ_INPUTS, pressure - dp, 1.0)
    return (hi - water.rhomass()) / (2.0 * dp)


@njit
def header_pressure_rate(inflow: float, outflow: float, volume: float, drho_dp: float) -> float:
    """Rate of change of a steam header's pressure with the saturated-steam density slope given.

    .. math:: \\frac{dp}{dt} = \\frac{\\dot m_{in} - \\dot m_{out}}{V\\,(d\\rho_g/dp)_{sat}}

    The compiled form of :func:`header_pressure_derivative`, which evaluates the slope itself.

    Parameters
    ----------
    inflow, outflow : float
        Steam flows in and out [kg/s].
    volume : float
        Header volume [m3].
    drho_dp : float
        Slope of the saturated-vapour density along the saturation line [kg/m3/Pa].

    Returns
    -------
    float
        dp/dt [Pa/s].
    """
    return (inflow - outflow) / (volume * drho_dp)


def header_pressure_derivative(
    inflow: float,
    outflow: float,
    pressure: float,
    volume: float,
) -> float:
    """Pressure rate of the main steam header from its mass balance.

    .. math:: V\\,\\frac{d\\rho_g}{dp}\\,\\frac{dp}{dt} = \\sum \\dot m_{in} - \\sum \\dot m_{out}

    The header and steam lines hold saturated steam at the header pressure (throttling superheat and
    wall condensation neglected); their energy storage, a few GJ, is not tracked: the steam leaves
    with the enthalpy it came in with.

    Parameters
    ----------
    inflow : float
        Steam from the steam generators [kg/s].
    outflow : float
        Steam to the turbine, BRU-K and other consumers [kg/s].
    pressure : float
        Header pressure [Pa].
    volume : float
        Steam volume of header and steam lines [m3].

    Returns
    -------
    float
        dp/dt [Pa/s].
    """
    return header_pressure_rate(inflow, outflow, volume, saturated_steam_density_slope(pressure))


@njit
def steam_line_flow(
    p_upstream: float,
    p_downstream: float,
    density: float,
    rated_flow: float,
    dp_rated: float,
    density_rated: float,
) -> float:
    """Steam flow from a steam generator to the header through its steam line.

    .. math:: \\dot m = \\dot m_R\\sqrt{\\rho/\\rho_R}\\,\\mathrm{sign}(\\Delta p)
              \\sqrt{|\\Delta p|/\\Delta p_R}

    (:func:`orifice_flow`). A closed main steam isolation valve is a zero multiplier applied by the
    caller.

    Parameters
    ----------
    p_upstream : float
        Steam-generator pressure [Pa].
    p_downstream : float
        Header pressure [Pa].
    density : float
        Upstream steam density [kg/m3].
    rated_flow : float
        Design steam flow of the line [kg/s].
    dp_rated : float
        Pressure drop at the design flow [Pa].
    density_rated : float
        Steam density at the design point [kg/m3].

    Returns
    -------
    float
        Mass flow [kg/s]; negative if the header pushes steam back.
    """
    return orifice_flow(p_upstream - p_downstream, rated_flow, dp_rated, density / density_rated)


@njit
def feedwater_flow(
    opening: float,
    p_feed: float,
    p_steam_generator: float,
    rated_flow: float,
    dp_rated: float,
) -> float:
    """Feedwater flow through a steam generator's feed regulating valve.

    .. math:: \\dot m_{fw} = y\\,\\dot m_R\\sqrt{(p_{fw} - p_{sg})/\\Delta p_R}

    The feed pumps hold the feed header ``p_feed`` (their speed governor keeps a fixed margin over
    steam pressure in VVER-1000 practice); a check valve stops reverse flow.

    Parameters
    ----------
    opening : float
        Regulating-valve opening, 0 to 1 [1].
    p_feed : float
        Feed header pressure [Pa].
    p_steam_generator : float
        Steam-generator pressure [Pa].
    rated_flow : float
        Flow fully open at ``dp_rated`` [kg/s].
    dp_rated : float
        Valve pressure drop of the rating [Pa].

    Returns
    -------
    float
        Feedwater mass flow [kg/s], >= 0.
    """
    return max(0.0, opening) * orifice_flow(
        max(p_feed - p_steam_generator, 0.0), rated_flow, dp_rated
    )


def feedwater_enthalpy(temperature: float, pressure: float) -> float:
    """Specific enthalpy of compressed feedwater (IAPWS-IF97).

    Parameters
    ----------
    temperature : float
        Feedwater temperature [K].
    pressure : float
        Feedwater pressure [Pa].

    Returns
    -------
    float
        Enthalpy [J/kg].
    """
    cp = coolprop()
    water = state("turbine")
    water.update(cp.PT_INPUTS, pressure, temperature)
    return water.hmass()


# -- the turbine-generator's valves and shaft (issue 8) -----------------------------------------
@njit
def valve_servo_rate(
    position: float, demand: float, servo_time: float, rate_open: float, rate_close: float
) -> float:
    r"""Rate of a hydraulic valve servo with a proportional band and rate limits.

    .. math:: \frac{dy}{dt} = v\,\tanh\Big(\frac{u - y}{v\,T_s}\Big), \qquad
              v = v_{open}\ (u > y),\ v_{close}\ (u \le y)

    Near the demand the servo is a first-order lag of time constant T_s; far from it the valve
    travels at its rate limit (the oil flow of the servomotor): full stroke in 1/v seconds. The
    tanh keeps the rate smooth. Kundur (1994) §9.1.2, fig. 9.12 (speed relay and servomotor with
    rate limits); IEEE Committee Report (1973) fig. 6.

    Parameters
    ----------
    position : float
        Valve position y [1].
    demand : float
        Position demand u [1].
    servo_time : float
        Time constant of the servo near its demand T_s [s].
    rate_open, rate_close : float
        Travel rates opening and closing (full strokes per second) [1/s].

    Returns
    -------
    float
        dy/dt [1/s].
    """
    e = demand - position
    v = rate_open if e > 0.0 else rate_close
    return v * math.tanh(e / (v * servo_time))


@njit
def lag_rate(x: float, target: float, time_constant: float) -> float:
    r"""First-order lag: :math:`dx/dt = (x_\infty - x)/T`.

    The steam chest of the HP cylinder (T_CH, the steam volume between the control valves and
    the first stage: IEEE Committee Report 1973, fig. 4), the transmitter damping of a level
    measurement and the heaters' thermal storage all take this form.

    Parameters
    ----------
    x : float
        State [any unit].
    target : float
        Its steady value for the present inputs [same unit].
    time_constant : float
        T [s].

    Returns
    -------
    float
        dx/dt [unit/s].
    """
    return (target - x) / time_constant


@njit
def crossover_rate(stored: float, power_in: float, intercept: float, time_constant: float) -> float:
    r"""Steam stored in the crossover and the moisture separator-reheater, as the LP power it can
    develop.

    .. math:: T_{RH}\,\frac{dP_x}{dt} = f_{lp}\,P_s - y_{iv}\,P_x, \qquad P_{lp} = y_{iv}\,P_x

    The large volume between the HP exhaust and the LP inlet fills with the HP flow (f_lp P_s, the
    LP share of the steady power of the present HP flow) and empties through the intercept valves
    y_iv in proportion to its pressure (Stodola: flow ~ pressure), so with the valves open P_lp
    lags f_lp P_s with the reheater time constant (the IEEE reheat model), and shut intercept
    valves cut the LP power at once while the crossover keeps its steam. IEEE Committee Report
    (1973) fig. 4 (tandem-compound, single reheat); Kundur (1994) §9.1.1.

    Parameters
    ----------
    stored : float
        P_x: LP power the crossover steam would give with the valves fully open [W].
    power_in : float
        f_lp P_s: LP share of the steady power of the HP flow [W].
    intercept : float
        Intercept-valve position y_iv [1].
    time_constant : float
        T_RH [s].

    Returns
    -------
    float
        dP_x/dt [W/s].
    """
    return (power_in - intercept * stored) / time_constant


@njit
def rotor_acceleration(
    speed: float, power_turbine: float, power_load: float, inertia_constant: float, p_rated: float
) -> float:
    r"""Swing equation of the turbine-generator shaft in per unit.

    .. math:: \frac{d\omega}{dt} = \frac{P_t - P_{load}}{2 H P_R\,\omega}

    with ω the speed over synchronous speed, P_t the turbine's shaft power (less windage and
    friction), P_load the generator's electric load and H the inertia constant (kinetic energy at
    synchronous speed over the rating). Kundur (1994) eq. 3.9 and §3.9 (torque = power / speed).

    Parameters
    ----------
    speed : float
        ω [1] (floored at 0.05 so that a shaft at rest stays finite).
    power_turbine : float
        Shaft power delivered to the generator [W].
    power_load : float
        Electric load of the generator (air-gap power) [W].
    inertia_constant : float
        H [s].
    p_rated : float
        Rating the inertia constant refers to [W].

    Returns
    -------
    float
        dω/dt [1/s].
    """
    return (power_turbine - power_load) / (2.0 * inertia_constant * p_rated * max(speed, 0.05))


@njit
def windage_friction_loss(speed: float, loss_rated: float) -> float:
    r"""Windage and bearing friction of the shaft: :math:`P_f = P_{f,R}\,\omega^2`.

    Bearing friction grows about as ω² and blade windage (with vacuum in the condenser) between
    ω² and ω³; ω² is taken. At synchronous speed it is what a tripped turbine-generator draws
    from the grid as a motor, which the reverse-power relay detects.

    Parameters
    ----------
    speed : float
        ω [1].
    loss_rated : float
        Loss at synchronous speed [W].

    Returns
    -------
    float
        P_f [W].
    """
    return loss_rated * speed * speed


@njit
def governor_demand(load_reference: float, speed: float, droop: float) -> float:
    r"""Control-valve demand of a speed governor with droop.

    .. math:: u = u_{ref} + \frac{1 - \omega}{R}

    A speed 1 % above synchronous closes the valves by 1 / (100 R) of their travel (R = 0.045:
    by 22 %). On a stiff grid ω = 1 and the load reference (from the turbine controller) alone
    sets the valves; on house load after a load rejection the droop holds the speed. Kundur
    (1994) §9.1.2 eq. 9.2; IEEE Committee Report (1973) fig. 6.

    Parameters
    ----------
    load_reference : float
        Valve demand at synchronous speed u_ref [1].
    speed : float
        ω [1].
    droop : float
        R [1].

    Returns
    -------
    float
        u [1].
    """
    return load_reference + (1.0 - speed) / droop


@njit
def intercept_valve_demand(speed: float, start: float, full: float) -> float:
    r"""Intercept-valve demand from the speed: open below ``start``, shut from ``full``.

    .. math:: u_{iv} = \mathrm{clip}\Big(\frac{\omega_{full} - \omega}
              {\omega_{full} - \omega_{start}}, 0, 1\Big)

    The intercept valves ahead of the LP cylinders hold back the crossover steam, which would
    otherwise drive the shaft for several seconds after the control valves shut (Kundur 1994
    §9.1.2, "intercept valves ... begin to close when the speed exceeds about 101-102 %").

    Parameters
    ----------
    speed : float
        ω [1].
    start, full : float
        Speeds at which the valves start to close and are shut [1].

    Returns
    -------
    float
        u_iv [1].
    """
    return min(1.0, max(0.0, (full - speed) / (full - start)))


@njit
def feedwater_heater_target(
    flow_fraction: float, h_deaerator: float, h_rated: float, fraction_max: float = 1.1
) -> float:
    r"""Steady feedwater enthalpy after the regenerative heaters at a turbine steam flow.

    .. math:: h_\infty = h_{da} + (h_{fw,R} - h_{da})\,\mathrm{clip}(\dot m_t/\dot m_R,
              0, f_{max})

    The high-pressure heaters take extraction steam from the turbine, whose stage pressures (and
    so the saturation temperatures that heat the feedwater) fall about in proportion to the steam
    flow (Stodola's cone law); the heat they add is taken proportional to the flow. With the
    turbine stopped the feedwater leaves the deaerator at its saturation temperature. The law,
    linear in the enthalpy, is the simplest with these two ends; with the V-446 data (220 °C
    rated, deaerator 164 °C) it gives about 192 °C at half flow. Heat-balance diagrams of the
    K-1000-60/3000 at part load were not available to check it.

    Parameters
    ----------
    flow_fraction : float
        Turbine steam flow over rated [1].
    h_deaerator : float
        Feedwater enthalpy with no extraction steam (deaerator outlet) [J/kg].
    h_rated : float
        Feedwater enthalpy at rated flow [J/kg].
    fraction_max : float
        Upper clip of the flow fraction [1].

    Returns
    -------
    float
        h_inf [J/kg].
    """
    f = min(max(flow_fraction, 0.0), fraction_max)
    return h_deaerator + (h_rated - h_deaerator) * f
