"""The PI controller: one element with anti-windup, used by every continuous control loop.

.. math::

    e = s\\,(x_{set} - x) / b, \\qquad u = u_0 + k\\,(I + e), \\qquad
    y = \\min(\\max(u, y_{min}), y_{max})

    \\frac{dI}{dt} = \\frac{e}{T_i} + \\frac{y - u}{k\\,T_t}

with x the measurement, b the proportional band (the error, in the measurement's unit, that moves
the output over its scale k), s = +1 for a reverse-acting loop (output rises when the measurement
is low: level control) and -1 for a direct-acting one (output rises when the measurement is high:
steam pressure by the turbine valves), u_0 a bias or feed-forward, T_i the integral time and T_t
the tracking time of the back-calculation anti-windup (Astrom & Hagglund, *Advanced PID Control*,
ISA 2006, §3.5): while the output is saturated the integral is pulled back so that the controller
leaves saturation as soon as the error changes sign.

A controller has two modes (A and B), each with its own measurement, setpoint, band, integral time
and sign (the turbine controller holds the steam pressure in mode A and the electric power in
mode B); switching is bumpless (the integral is set so that the output does not jump). Mode 2 is
"off": the output is held at its last value (manual) and the integral frozen.

The setpoint of mode A is a ramp in the discrete state plus an optional programme, linear in a
signal clipped to a range (the pressurizer level rising with power); the upper output limit may
be a signal too (the feed pumps' capacity).
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer
from nppsim.plant.components.core import ramp_value

CODE = 6
MODE_A, MODE_B, MODE_OFF = 0.0, 1.0, 2.0


class F(IntEnum):
    """The record of a PI controller in ``ip``."""

    Y_INTEGRAL = 0
    P_GAINS = 1
    D_MODE = 2
    D_SETPOINT_A = 3
    D_SETPOINT_B = 4
    D_SETPOINT_END = 5
    D_HELD = 6
    IN_MEASURE_A = 7
    IN_MEASURE_B = 8
    IN_PROGRAMME = 9
    IN_BIAS = 10
    IN_HIGH_LIMIT = 11
    W_OUTPUT = 12
    W_RAW = 13
    W_ERROR = 14
    W_SETPOINT = 15
    W_RATE = 16


# gains, by position in the P_GAINS block
(
    G_BAND_A,
    G_TI_A,
    G_SIGN_A,
    G_BAND_B,
    G_TI_B,
    G_SIGN_B,
    G_SCALE,
    G_BIAS,
    G_YMIN,
    G_YMAX,
    G_TT,
    G_BIAS_GAIN,
    G_PROG_GAIN,
    G_PROG_LO,
    G_PROG_HI,
) = range(15)
N_GAINS = 15


@njit
def pi_element(error, integral, scale, bias, y_min, y_max, ti, tt):
    """One PI element with back-calculation anti-windup.

    Parameters
    ----------
    error : float
        Normalized error e (already divided by the band, with the loop's sign) [1].
    integral : float
        Integral state I [1].
    scale, bias : float
        Output scale k and bias u_0 [output unit].
    y_min, y_max : float
        Output limits [output unit].
    ti, tt : float
        Integral and tracking times [s].

    Returns
    -------
    (float, float, float)
        Saturated output y, unsaturated output u [output unit], and dI/dt [1/s].
    """
    u = bias + scale * (integral + error)
    y = min(max(u, y_min), y_max)
    di = error / ti + (y - u) / (scale * tt)
    return y, u, di


@njit
def _port(w, i):
    return w[i] if i >= 0 else 0.0


@njit
def _evaluate(t, y, p, ip, d, w, r):
    g = ip[r + F.P_GAINS]
    mode = d[ip[r + F.D_MODE]]
    integ = y[ip[r + F.Y_INTEGRAL]]
    bias = p[g + G_BIAS] + p[g + G_BIAS_GAIN] * _port(w, ip[r + F.IN_BIAS])
    y_max = p[g + G_YMAX]
    if ip[r + F.IN_HIGH_LIMIT] >= 0:
        y_max = min(y_max, w[ip[r + F.IN_HIGH_LIMIT]])
    y_min = min(p[g + G_YMIN], y_max)
    if mode == MODE_B:
        sp = ramp_value(d, ip[r + F.D_SETPOINT_B], t)
        x = _port(w, ip[r + F.IN_MEASURE_B])
        e = p[g + G_SIGN_B] * (sp - x) / p[g + G_BAND_B]
        ti = p[g + G_TI_B]
    else:
        sp = ramp_value(d, ip[r + F.D_SETPOINT_A], t)
        if ip[r + F.IN_PROGRAMME] >= 0:
            x_prog = min(max(w[ip[r + F.IN_PROGRAMME]], p[g + G_PROG_LO]), p[g + G_PROG_HI])
            sp += p[g + G_PROG_GAIN] * x_prog
        x = _port(w, ip[r + F.IN_MEASURE_A])
        e = p[g + G_SIGN_A] * (sp - x) / p[g + G_BAND_A]
        ti = p[g + G_TI_A]
    yv, u, di = pi_element(e, integ, p[g + G_SCALE], bias, y_min, y_max, ti, p[g + G_TT])
    if mode == MODE_OFF:
        held = d[ip[r + F.D_HELD]]
        yv = min(max(held, y_min), y_max)
        u = held
        di = 0.0
        e = 0.0
    return yv, u, e, sp, di


@njit
def signals(t, y, p, ip, d, w, r):
    """The controller's output, unsaturated output, error, setpoint and the integral's rate."""
    yv, u, e, sp, di = _evaluate(t, y, p, ip, d, w, r)
    w[ip[r + F.W_OUTPUT]] = yv
    w[ip[r + F.W_RAW]] = u
    w[ip[r + F.W_ERROR]] = e
    w[ip[r + F.W_SETPOINT]] = sp
    w[ip[r + F.W_RATE]] = di


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The integral's rate (with anti-windup), computed with the signals."""
    dydt[ip[r + F.Y_INTEGRAL]] = w[ip[r + F.W_RATE]]


class Controller(Component):
    """A PI controller (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name.
    measure_a : str
        Signal measured in mode A.
    band_a, ti_a : float
        Proportional band [measurement unit] and integral time [s] of mode A.
    sign_a : float
        +1 reverse acting (output up when the measurement is below the setpoint), -1 direct.
    scale : float
        Output change for a normalized error of 1 [output unit].
    y_min, y_max : float
        Output limits [output unit].
    tt : float
        Anti-windup tracking time [s].
    setpoint_a : float
        Initial setpoint of mode A [measurement unit].
    bias : float
        Constant bias of the output [output unit].
    bias_signal : str, optional
        A signal added to the output (feed-forward), times ``bias_gain``.
    programme : (str, float, float, float), optional
        A programme added to mode A's setpoint: (signal, gain, low, high): gain times the signal
        clipped to [low, high].
    high_limit_signal : str, optional
        A signal that lowers the upper output limit (an actuator's capacity).
    measure_b, band_b, ti_b, sign_b, setpoint_b : optional
        Mode B, as mode A.
    description : str
        What the loop controls (for docs).
    """

    kind = "controller"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        *,
        measure_a: str,
        band_a: float,
        ti_a: float,
        sign_a: float,
        scale: float,
        y_min: float,
        y_max: float,
        tt: float,
        setpoint_a: float = 0.0,
        bias: float = 0.0,
        bias_signal: str | None = None,
        bias_gain: float = 1.0,
        programme: tuple[str, float, float, float] | None = None,
        high_limit_signal: str | None = None,
        measure_b: str | None = None,
        band_b: float = 1.0,
        ti_b: float = 1.0,
        sign_b: float = 1.0,
        setpoint_b: float = 0.0,
        column: str | None = None,
        setpoint_column: str | None = None,
        description: str = "",
    ) -> None:
        super().__init__(name)
        self.measure_a, self.measure_b = measure_a, measure_b
        self.bias_signal = bias_signal
        self.programme = programme
        self.high_limit_signal = high_limit_signal
        self.gains = np.zeros(N_GAINS)
        gg = self.gains
        gg[G_BAND_A], gg[G_TI_A], gg[G_SIGN_A] = band_a, ti_a, sign_a
        gg[G_BAND_B], gg[G_TI_B], gg[G_SIGN_B] = band_b, ti_b, sign_b
        gg[G_SCALE], gg[G_BIAS], gg[G_YMIN], gg[G_YMAX] = scale, bias, y_min, y_max
        gg[G_TT], gg[G_BIAS_GAIN] = tt, bias_gain
        if programme is not None:
            gg[G_PROG_GAIN], gg[G_PROG_LO], gg[G_PROG_HI] = programme[1:]
        self.setpoints = (setpoint_a, setpoint_b)
        self.column = column
        self.setpoint_column = setpoint_column
        self.description = description

    def declare(self, b: Declarer) -> None:
        b.depends(
            "integral",
            (
                "integral",
                "port:measure_a",
                "port:measure_b",
                "port:programme",
                "port:bias",
                "port:high_limit",
            ),
        )
        b.state("integral", 1, "1", 1e-5, description=f"integral of the PI: {self.description}")
        b.param("gains", self.gains, description="bands, integral times, signs, scale, limits")
        b.discrete("mode", MODE_A, description="0 mode A, 1 mode B, 2 off (output held)")
        sa, sb = self.setpoints
        b.discrete("setpoint_a", [0.0, sa, 0.0, sa], description="setpoint ramp, mode A")
        b.discrete("setpoint_b", [0.0, sb, 0.0, sb], description="setpoint ramp, mode B")
        b.discrete(
            "setpoint_end",
            math.inf,
            "s",
            scheduled=True,
            description="end of a setpoint ramp (a kink)",
        )
        b.discrete("held", 0.0, description="output held in mode off")
        b.port("measure_a", self.measure_a)
        b.port("measure_b", self.measure_b, optional=True)
        b.port("programme", self.programme[0] if self.programme else None, optional=True)
        b.port("bias", self.bias_signal, optional=True)
        b.port("high_limit", self.high_limit_signal, optional=True)
        b.signal("output", "", columns=self.column)
        # (signals depend on the integral and every port: the default)
        b.signal("raw", "")
        b.signal("error", "1")
        b.signal("setpoint", "", columns=self.setpoint_column)
        b.signal("rate", "1/s", description="rate of the integral (anti-windup included)")

    # -- between steps -------------------------------------------------------------------------
    def set_mode(
        self,
        net: Any,
        t: float,
        y: np.ndarray,
        d: np.ndarray,
        mode: float,
        transfer: str = "bumpless",
    ) -> None:
        """Switch mode. ``transfer``: "bumpless" sets the integral so that the output stays
        where it is; "integral" sets the integral to the present output (the new mode's
        proportional action then acts at once); "keep" leaves the integral."""
        w = net.signal_vector(t, y, d)
        out = float(w[net.w_index(f"{self.name}.output")])
        d[net.d_index(f"{self.name}.mode")] = mode
        if mode == MODE_OFF:
            d[net.d_index(f"{self.name}.held")] = out
            return
        if transfer == "keep":
            return
        if transfer == "integral":
            bias = self.gains[G_BIAS]
            y[net.s_index(f"{self.name}.integral")] = (out - bias) / self.gains[G_SCALE]
            return
        w2 = net.signal_vector(t, y, d)
        e = float(w2[net.w_index(f"{self.name}.error")])
        bias = float(w2[net.w_index(f"{self.name}.raw")]) - self.gains[G_SCALE] * (
            float(y[net.s_index(f"{self.name}.integral")]) + e
        )
        y[net.s_index(f"{self.name}.integral")] = (out - bias) / self.gains[G_SCALE] - e

    def ramp_setpoint(
        self, net: Any, d: np.ndarray, t: float, which: str, target: float, duration: float
    ) -> None:
        """Ramp setpoint ``which`` ("a" or "b") from its value at ``t`` to ``target``."""
        k = net.discrete[f"{self.name}.setpoint_{which}"].start
        v = float(ramp_value(d, k, t))
        d[k : k + 4] = (t, v, t + max(duration, 0.0), target)
        d[net.d_index(f"{self.name}.setpoint_end")] = t + duration if duration > 0 else math.inf

    def on_setpoint_end(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """A setpoint ramp ended (a kink: the integrator restarts)."""
        return y, d, []
