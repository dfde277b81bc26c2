"""Reactor coolant pump: homologous curves, rotor dynamics, induction motor and loop momentum.

States a plant model owns (one set per loop):

* ``omega`` — pump rotor angular speed [rad/s], from :func:`rotor_acceleration`;
* ``m`` — loop mass flow [kg/s], positive in the normal direction (vessel → hot leg → steam
  generator → pump → cold leg → vessel), from :func:`loop_flow_derivative` (one loop) or
  :func:`parallel_loops_flow_derivatives` (all loops and the reactor vessel together).

Everything here is algebraic and explicit: no root finding, so the right-hand side stays cheap.

Homologous notation (per unit of the rated point): speed ratio ``alpha = omega/omega_R``, volumetric
flow ratio ``v = Q/Q_R``, head ratio ``h = dp/dp_R`` (at rated density), torque ratio
``beta = T/T_R`` (at rated density). References: Streeter & Wylie, *Fluid Transients* (1967/1978),
ch. 6 (complete pump characteristics); Todreas & Kazimi, *Nuclear Systems I* (2nd ed. 2011), §6
(pump coastdown); the RELAP5/MOD3 Code Manual Vol. I, §3.5.5 (homologous pump model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nppsim._jit import njit

__all__ = [
    "PumpCurves",
    "PumpRating",
    "coastdown_flow_ratio",
    "coastdown_time_constant",
    "friction_torque",
    "homologous_head",
    "homologous_torque",
    "hydraulic_torque",
    "inertia_for_time_constant",
    "kloss_breakdown_slip",
    "loop_flow_derivative",
    "loop_resistances_from_design",
    "motor_torque",
    "parallel_loops_flow_derivatives",
    "pump_pressure_rise",
    "rated_torque",
    "rotor_acceleration",
]


@dataclass(frozen=True)
class PumpRating:
    """Rated (best-efficiency) point of one pump, SI.

    Attributes
    ----------
    flow : float
        Rated volumetric flow Q_R [m3/s].
    pressure_rise : float
        Rated pressure rise dp_R at the rated density [Pa].
    speed : float
        Rated rotor speed omega_R [rad/s].
    efficiency : float
        Hydraulic efficiency at the rated point [1]; sets the rated shaft torque.
    density : float
        Water density at which the rating applies [kg/m3].
    """

    flow: float
    pressure_rise: float
    speed: float
    efficiency: float
    density: float

    @property
    def shaft_power(self) -> float:
        """Rated shaft power P_R = Q_R dp_R / eta [W]."""
        return self.flow * self.pressure_rise / self.efficiency

    @property
    def torque(self) -> float:
        """Rated hydraulic torque T_R = P_R / omega_R [N m]."""
        return self.shaft_power / self.speed


@dataclass(frozen=True)
class PumpCurves:
    """Coefficients of the homologous head and torque curves (all per unit, dimensionless).

    The curves (see :func:`homologous_head`, :func:`homologous_torque`) are quadratic forms in
    ``alpha`` and ``v`` that pass through the rated point h(1, 1) = beta(1, 1) = 1.

    Attributes
    ----------
    head_shutoff : float
        h(alpha=1, v=0): shut-off head over rated head [1].
    head_locked_forward : float
        K_f > 0: a stopped rotor with forward flow v = 1 has h(0, 1) = -K_f (a resistance) [1].
    head_locked_reverse : float
        K_r > 0: a stopped rotor with reverse flow v = -1 has h(0, -1) = +K_r [1]. VVER loops have
        no check valves: reverse flow in an idle loop passes backwards through the stopped pump.
    torque_shutoff : float
        beta(alpha=1, v=0): shut-off torque over rated torque [1].
    torque_locked : float
        beta(0, 1): torque of forward flow on a stopped rotor [1]; negative (the flow drives the
        impeller forward, like a turbine).
    """

    head_shutoff: float
    head_locked_forward: float
    head_locked_reverse: float
    torque_shutoff: float
    torque_locked: float

    @property
    def head_cross(self) -> float:
        """Cross coefficient c1 = 1 - c0 + K_f, fixed by h(1, 1) = 1 [1]."""
        return 1.0 - self.head_shutoff + self.head_locked_forward

    @property
    def torque_cross(self) -> float:
        """Cross coefficient d1 = 1 - d0 - d2, fixed by beta(1, 1) = 1 [1]."""
        return 1.0 - self.torque_shutoff - self.torque_locked


def homologous_head(alpha: ArrayLike, v: ArrayLike, curves: PumpCurves) -> NDArray[np.float64]:
    """Per-unit pump head from speed and flow ratios, valid in all flow directions.

    .. math::

        h = c_0\\,\\alpha|\\alpha| + c_1\\,\\alpha v - K(v)\\, v|v|,
        \\qquad K = K_f\\ (v \\ge 0),\\ K_r\\ (v < 0)

    With v = alpha (flow following speed through a quadratic resistance) h = alpha^2, the affinity
    law. At alpha = 0 the pump is a pure quadratic resistance in either direction. The two branches
    of K join with zero value and slope at v = 0, so h is continuously differentiable.
    A quadratic fit of the first quadrant as in Streeter & Wylie (1978) ch. 6; the reverse-flow
    branch as the "energy dissipation" zone of the complete characteristic.

    Parameters
    ----------
    alpha : array_like
        Speed ratio omega / omega_R [1].
    v : array_like
        Volumetric flow ratio Q / Q_R [1], positive forward.
    curves : PumpCurves
        Curve coefficients.

    Returns
    -------
    ndarray
        Head ratio h = dp / dp_R at rated density [1].
    """
    return np.vectorize(homologous_head_k, otypes=[float])(
        np.asarray(alpha, dtype=float),
        np.asarray(v, dtype=float),
        curves.head_shutoff,
        curves.head_locked_forward,
        curves.head_locked_reverse,
    )


@njit
def homologous_head_k(alpha, v, head_shutoff, head_locked_forward, head_locked_reverse):
    """Compiled scalar form of :func:`homologous_head` [1] (curve coefficients as floats)."""
    c1 = 1.0 - head_shutoff + head_locked_forward
    k = head_locked_forward if v >= 0.0 else head_locked_reverse
    return head_shutoff * alpha * abs(alpha) + c1 * alpha * v - k * v * abs(v)


def homologous_torque(alpha: ArrayLike, v: ArrayLike, curves: PumpCurves) -> NDArray[np.float64]:
    """Per-unit hydraulic torque from speed and flow ratios.

    .. math:: \\beta = d_0\\,\\alpha|\\alpha| + d_1\\,\\alpha v + d_2\\, v|v|

    With v = alpha, beta = alpha^2 (d0 + d1 + d2 = 1): the torque law behind the analytic coastdown
    (:func:`coastdown_flow_ratio`). Same form as :func:`homologous_head` (Streeter & Wylie 1978).

    Parameters
    ----------
    alpha : array_like
        Speed ratio [1].
    v : array_like
        Volumetric flow ratio [1].
    curves : PumpCurves
        Curve coefficients.

    Returns
    -------
    ndarray
        Torque ratio beta = T / T_R at rated density [1]; positive resists forward rotation.
    """
    return np.vectorize(homologous_torque_k, otypes=[float])(
        np.asarray(alpha, dtype=float),
        np.asarray(v, dtype=float),
        curves.torque_shutoff,
        curves.torque_locked,
    )


@njit
def homologous_torque_k(alpha, v, torque_shutoff, torque_locked):
    """Compiled scalar form of :func:`homologous_torque` [1] (curve coefficients as floats)."""
    d1 = 1.0 - torque_shutoff - torque_locked
    return torque_shutoff * alpha * abs(alpha) + d1 * alpha * v + torque_locked * v * abs(v)


def pump_pressure_rise(
    omega: ArrayLike,
    mass_flow: ArrayLike,
    density: ArrayLike,
    rating: PumpRating,
    curves: PumpCurves,
) -> NDArray[np.float64]:
    """Pressure rise across the pump, suction to discharge.

    .. math:: \\Delta p = h(\\alpha, v)\\,\\Delta p_R\\,\\rho/\\rho_R,
              \\quad \\alpha = \\omega/\\omega_R,\\ v = \\dot m/(\\rho Q_R)

    Head in metres of fluid is what the homologous laws conserve, so the pressure rise scales with
    density (cold water gives more pressure rise and torque: the reason RCP motors draw more current
    on cold water).

    Parameters
    ----------
    omega : array_like
        Rotor speed [rad/s].
    mass_flow : array_like
        Mass flow through the pump, positive forward [kg/s].
    density : array_like
        Density of the pumped water [kg/m3].
    rating : PumpRating
        Rated point.
    curves : PumpCurves
        Curve coefficients.

    Returns
    -------
    ndarray
        Pressure rise [Pa]; negative when the pump acts as a resistance to forward flow.
    """
    rho = np.asarray(density, dtype=float)
    alpha = np.asarray(omega, dtype=float) / rating.speed
    v = np.asarray(mass_flow, dtype=float) / (rho * rating.flow)
    return homologous_head(alpha, v, curves) * rating.pressure_rise * rho / rating.density


def hydraulic_torque(
    omega: ArrayLike,
    mass_flow: ArrayLike,
    density: ArrayLike,
    rating: PumpRating,
    curves: PumpCurves,
) -> NDArray[np.float64]:
    """Torque that the water exerts against the impeller.

    .. math:: T_h = \\beta(\\alpha, v)\\,T_R\\,\\rho/\\rho_R

    All of the shaft power ``T_h * omega`` ends up as heat in the coolant (pump heat, about 5 MW per
    VVER-1000 pump at full flow).

    Parameters
    ----------
    omega : array_like
        Rotor speed [rad/s].
    mass_flow : array_like
        Mass flow, positive forward [kg/s].
    density : array_like
        Water density [kg/m3].
    rating : PumpRating
        Rated point.
    curves : PumpCurves
        Curve coefficients.

    Returns
    -------
    ndarray
        Hydraulic torque [N m], positive resisting forward rotation.
    """
    rho = np.asarray(density, dtype=float)
    alpha = np.asarray(omega, dtype=float) / rating.speed
    v = np.asarray(mass_flow, dtype=float) / (rho * rating.flow)
    return homologous_torque(alpha, v, curves) * rating.torque * rho / rating.density


def rated_torque(flow: float, pressure_rise: float, efficiency: float, speed: float) -> float:
    """Rated shaft torque of a pump.

    .. math:: T_R = Q_R\\,\\Delta p_R / (\\eta\\,\\omega_R)

    Parameters
    ----------
    flow : float
        Rated volumetric flow [m3/s].
    pressure_rise : float
        Rated pressure rise [Pa].
    efficiency : float
        Hydraulic efficiency [1].
    speed : float
        Rated speed [rad/s].

    Returns
    -------
    float
        Torque [N m].
    """
    return flow * pressure_rise / (efficiency * speed)


def kloss_breakdown_slip(rated_slip: float, breakdown_ratio: float) -> float:
    """Breakdown (pull-out) slip of an induction motor from its rated slip and torque ratio.

    Solving Kloss's formula for T(s_R) = T_max / k:

    .. math:: s_b = s_R\\,(k + \\sqrt{k^2 - 1})

    Parameters
    ----------
    rated_slip : float
        Slip at rated torque s_R = 1 - omega_R / omega_sync [1].
    breakdown_ratio : float
        k = T_max / T_rated, > 1 [1].

    Returns
    -------
    float
        Breakdown slip s_b [1].
    """
    if breakdown_ratio <= 1.0:
        raise ValueError("breakdown_ratio must exceed 1")
    return rated_slip * (breakdown_ratio + math.sqrt(breakdown_ratio**2 - 1.0))


def motor_torque(
    omega: ArrayLike,
    sync_speed: float,
    breakdown_torque: float,
    breakdown_slip: float,
    voltage: ArrayLike = 1.0,
) -> NDArray[np.float64]:
    """Induction-motor shaft torque by Kloss's formula.

    .. math::

        T_m = u^2\\,\\frac{2\\,T_{max}\\,s\\,s_b}{s^2 + s_b^2}, \\qquad s = 1 - \\omega/\\omega_s

    (the steady-state equivalent circuit with the stator resistance neglected; Fitzgerald,
    Kingsley & Umans, *Electric Machinery*, 6th ed. 2003, §6.5). Torque scales with the square of
    the supply voltage ratio ``u``: a pump trip (breaker open) is ``u = 0``, a start is ``u = 1``
    from rest.
    Written as a rational function, smooth at s = 0 (synchronous speed, zero torque). Kloss's
    formula understates the starting torque of double-cage motors, so a start computed with it is
    slower than a real one.

    Parameters
    ----------
    omega : array_like
        Rotor speed [rad/s].
    sync_speed : float
        Synchronous speed of the supply [rad/s].
    breakdown_torque : float
        Maximum (pull-out) torque at rated voltage [N m].
    breakdown_slip : float
        Slip at maximum torque [1].
    voltage : array_like
        Supply voltage over rated [1]; 0 for a tripped pump.

    Returns
    -------
    ndarray
        Motor torque [N m], driving forward rotation when positive.
    """
    return motor_torque_k.py_func(
        np.asarray(omega, dtype=float),
        sync_speed,
        breakdown_torque,
        breakdown_slip,
        np.asarray(voltage, dtype=float),
    )


@njit
def motor_torque_k(omega, sync_speed, breakdown_torque, breakdown_slip, voltage):
    """Compiled scalar form of :func:`motor_torque` [N m]."""
    s = 1.0 - omega / sync_speed
    return (
        voltage
        * voltage
        * 2.0
        * breakdown_torque
        * s
        * breakdown_slip
        / (s * s + breakdown_slip**2)
    )


def friction_torque(
    omega: ArrayLike, rated_speed: float, rated_torque: float, fraction: float
) -> NDArray[np.float64]:
    """Bearing, seal and windage torque, linear in speed.

    .. math:: T_f = f\\,T_R\\,\\omega/\\omega_R

    A linear law is the simplest smooth one that vanishes at rest (no sign switch for the stiff
    solver); a constant (Coulomb) part would stop the rotor in finite time instead of
    asymptotically, which matters only in the last per cent of a coastdown.

    Parameters
    ----------
    omega : array_like
        Rotor speed [rad/s].
    rated_speed : float
        Rated speed [rad/s].
    rated_torque : float
        Rated hydraulic torque [N m].
    fraction : float
        Friction torque at rated speed over rated torque [1].

    Returns
    -------
    ndarray
        Friction torque [N m], resisting rotation.
    """
    return fraction * rated_torque * np.asarray(omega, dtype=float) / rated_speed


def rotor_acceleration(
    torque_motor: ArrayLike,
    torque_hydraulic: ArrayLike,
    torque_friction: ArrayLike,
    inertia: float,
    omega: ArrayLike | None = None,
    anti_reverse: bool = True,
) -> NDArray[np.float64]:
    """Angular acceleration of the pump rotor.

    .. math:: J\\,\\frac{d\\omega}{dt} = T_m - T_h - T_f

    With ``anti_reverse`` a stopped rotor does not turn backwards (a ratchet holds it): where
    omega <= 0 a negative acceleration is set to zero. This is a switch in the right-hand side;
    a plant model that reverses flow through an idle pump should also locate omega = 0 as an event.

    Parameters
    ----------
    torque_motor : array_like
        Motor torque [N m].
    torque_hydraulic : array_like
        Hydraulic torque, positive resisting [N m].
    torque_friction : array_like
        Friction torque, positive resisting [N m].
    inertia : float
        Moment of inertia of rotor, flywheel and motor together [kg m2].
    omega : array_like, optional
        Rotor speed [rad/s]; needed with ``anti_reverse``.
    anti_reverse : bool
        Whether reverse rotation is prevented.

    Returns
    -------
    ndarray
        d omega / dt [rad/s2].
    """
    acc = (
        np.asarray(torque_motor, dtype=float)
        - np.asarray(torque_hydraulic, dtype=float)
        - np.asarray(torque_friction, dtype=float)
    ) / inertia
    if anti_reverse and omega is not None:
        acc = np.where((np.asarray(omega, dtype=float) <= 0.0) & (acc < 0.0), 0.0, acc)
    return acc


def coastdown_time_constant(inertia: float, speed: float, power: float) -> float:
    """Time constant of a pump coastdown with torque proportional to speed squared.

    .. math:: \\tau = J\\,\\omega_0^2 / P_0

    (shared/validation/README.md; Todreas & Kazimi, *Nuclear Systems I*, §6.) It is also the
    flow-halving time: Q(tau) = Q0 / 2.

    Parameters
    ----------
    inertia : float
        Rotating inertia [kg m2].
    speed : float
        Initial speed [rad/s].
    power : float
        Initial shaft power [W].

    Returns
    -------
    float
        tau [s].
    """
    return inertia * speed**2 / power


def inertia_for_time_constant(tau: float, speed: float, power: float) -> float:
    """Inertia that gives a coastdown time constant: J = tau P0 / omega0^2 [kg m2].

    Parameters
    ----------
    tau : float
        Coastdown time constant (flow-halving time) [s].
    speed : float
        Initial speed [rad/s].
    power : float
        Initial shaft power [W].

    Returns
    -------
    float
        Moment of inertia [kg m2].
    """
    return tau * power / speed**2


def coastdown_flow_ratio(t: ArrayLike, tau: float) -> NDArray[np.float64]:
    """Analytic flow (and speed) ratio after a trip of all pumps.

    .. math:: Q/Q_0 = \\omega/\\omega_0 = 1/(1 + t/\\tau)

    Solution of J d(omega)/dt = -T0 (omega/omega0)^2 with the flow following the speed
    (shared/validation/README.md, "Pump coastdown"). Friction and loop inertia are neglected.

    Parameters
    ----------
    t : array_like
        Time after the trip [s], >= 0.
    tau : float
        Coastdown time constant [s] (:func:`coastdown_time_constant`).

    Returns
    -------
    ndarray
        Q/Q0 [1].
    """
    return 1.0 / (1.0 + np.asarray(t, dtype=float) / tau)


def loop_flow_derivative(
    mass_flow: ArrayLike,
    dp_pump: ArrayLike,
    resistance: ArrayLike,
    inertance: ArrayLike,
    dp_buoyancy: ArrayLike = 0.0,
    dp_external: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Rate of change of the mass flow around one closed loop (integral momentum equation).

    .. math:: \\Big(\\sum_i L_i/A_i\\Big)\\frac{d\\dot m}{dt}
              = \\Delta p_{pump} - K\\,\\dot m|\\dot m| + \\Delta p_{b} - \\Delta p_{ext}

    Incompressible one-dimensional flow integrated around the loop (Todreas & Kazimi, *Nuclear
    Systems I*, §6.3). The inertance sum_i L_i/A_i [1/m] collects every pipe segment.

    Parameters
    ----------
    mass_flow : array_like
        Loop mass flow [kg/s].
    dp_pump : array_like
        Pump pressure rise [Pa] (:func:`pump_pressure_rise`).
    resistance : array_like
        Loss coefficient K of the loop, dp_loss = K m|m| [Pa s2/kg2].
    inertance : array_like
        sum L/A of the loop [1/m].
    dp_buoyancy : array_like
        Buoyancy head -g sum(rho dz) around the loop [Pa]
        (:func:`nppsim.physics.natural_circulation.buoyancy_head`).
    dp_external : array_like
        Any other pressure drop in the flow direction [Pa].

    Returns
    -------
    ndarray
        d m / dt [kg/s2].
    """
    m = np.asarray(mass_flow, dtype=float)
    return (
        np.asarray(dp_pump, dtype=float)
        - np.asarray(resistance, dtype=float) * m * np.abs(m)
        + np.asarray(dp_buoyancy, dtype=float)
        - np.asarray(dp_external, dtype=float)
    ) / np.asarray(inertance, dtype=float)


def parallel_loops_flow_derivatives(
    mass_flows: ArrayLike,
    dp_pumps: ArrayLike,
    loop_resistances: ArrayLike,
    loop_inertances: ArrayLike,
    loop_buoyancy: ArrayLike,
    vessel_resistance: float,
    vessel_inertance: float,
    vessel_buoyancy: float = 0.0,
) -> tuple[NDArray[np.float64], float]:
    """Mass-flow derivatives of N loops in parallel that share the reactor vessel.

    Each loop i runs from the upper plenum to the lower plenum (through hot leg, steam generator,
    pump, cold leg); the vessel path runs back from the lower plenum through the core. With
    X = p_lower - p_upper the plenum pressure difference:

    .. math::

        I_i\\,\\dot m_i' = A_i - X, \\quad A_i = \\Delta p_{pump,i} - K_i \\dot m_i|\\dot m_i| + B_i

        I_v\\,\\dot m_v' = X + A_v, \\quad A_v = -K_v \\dot m_v|\\dot m_v| + B_v,
        \\quad \\dot m_v = \\sum_i \\dot m_i

        X = \\frac{\\sum_i A_i/I_i - A_v/I_v}{\\sum_i 1/I_i + 1/I_v}

    X follows from the constraint sum(m_i') = m_v' (incompressible plenums), so the states are only
    the loop flows and the right-hand side is explicit. A stopped pump in one loop lets X drive
    that loop backwards, through the pump as a resistance (the Kalinin-3 pump-trip course).

    Parameters
    ----------
    mass_flows : array_like
        Loop mass flows m_i, positive forward [kg/s], shape (N,).
    dp_pumps : array_like
        Pump pressure rises [Pa], shape (N,).
    loop_resistances : array_like
        K_i of each loop outside the vessel [Pa s2/kg2], shape (N,).
    loop_inertances : array_like
        I_i = sum L/A of each loop outside the vessel [1/m], shape (N,).
    loop_buoyancy : array_like
        B_i = -g sum(rho dz) along loop i, upper to lower plenum [Pa], shape (N,).
    vessel_resistance : float
        K_v of the vessel path (downcomer, core, plenums) at the total flow [Pa s2/kg2].
    vessel_inertance : float
        I_v of the vessel path [1/m].
    vessel_buoyancy : float
        B_v = -g sum(rho dz) along the vessel path, lower to upper plenum [Pa].

    Returns
    -------
    (ndarray, float)
        d m_i / dt [kg/s2], shape (N,), and X = p_lower - p_upper [Pa].
    """
    m = np.asarray(mass_flows, dtype=float)
    out = np.empty_like(m)
    x = parallel_loops_k(
        m,
        np.asarray(dp_pumps, dtype=float),
        np.broadcast_to(np.asarray(loop_resistances, dtype=float), m.shape).copy(),
        np.broadcast_to(np.asarray(loop_inertances, dtype=float), m.shape).copy(),
        np.broadcast_to(np.asarray(loop_buoyancy, dtype=float), m.shape).copy(),
        float(vessel_resistance),
        float(vessel_inertance),
        float(vessel_buoyancy),
        out,
    )
    return out, x


@njit
def parallel_loops_k(
    m,
    dp_pumps,
    loop_resistances,
    loop_inertances,
    loop_buoyancy,
    vessel_resistance,
    vessel_inertance,
    vessel_buoyancy,
    dm_out,
):
    """Compiled form of :func:`parallel_loops_flow_derivatives`: writes d m_i/dt [kg/s2] into
    ``dm_out`` and returns X = p_lower - p_upper [Pa]."""
    n = m.shape[0]
    s_ai = 0.0
    s_inv = 0.0
    m_v = 0.0
    for i in range(n):
        a = dp_pumps[i] - loop_resistances[i] * m[i] * abs(m[i]) + loop_buoyancy[i]
        dm_out[i] = a
        s_ai += a / loop_inertances[i]
        s_inv += 1.0 / loop_inertances[i]
        m_v += m[i]
    a_v = -vessel_resistance * m_v * abs(m_v) + vessel_buoyancy
    x = (s_ai - a_v / vessel_inertance) / (s_inv + 1.0 / vessel_inertance)
    for i in range(n):
        dm_out[i] = (dm_out[i] - x) / loop_inertances[i]
    return x


def loop_resistances_from_design(
    loop_flow: float,
    loops: int,
    pump_pressure_rise_design: float,
    vessel_pressure_drop: float,
) -> tuple[float, float]:
    """Loss coefficients that put the design flow at the pumps' operating point.

    .. math::

        K_v = \\Delta p_v / (N \\dot m_0)^2, \\qquad
        K_l = (\\Delta p_{pump}(\\dot m_0) - \\Delta p_v) / \\dot m_0^2

    The vessel pressure drop is data; the loop outside the vessel takes the rest of the pump head,
    so the plant starts in hydraulic equilibrium at the design flow.

    Parameters
    ----------
    loop_flow : float
        Design mass flow of one loop [kg/s].
    loops : int
        Number of loops [1].
    pump_pressure_rise_design : float
        Pump pressure rise at the design flow and rated speed [Pa].
    vessel_pressure_drop : float
        Reactor pressure drop (inlet to outlet nozzles) at the design flow [Pa].

    Returns
    -------
    (float, float)
        K_loop [Pa s2/kg2], K_vessel [Pa s2/kg2].
    """
    if pump_pressure_rise_design <= vessel_pressure_drop:
        raise ValueError(
            "pump pressure rise at the design flow must exceed the vessel pressure drop"
        )
    k_vessel = vessel_pressure_drop / (loops * loop_flow) ** 2
    k_loop = (pump_pressure_rise_design - vessel_pressure_drop) / loop_flow**2
    return k_loop, k_vessel
