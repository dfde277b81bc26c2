"""A plenum: a well-mixed volume of the reactor vessel fed by several streams.

.. math:: M \\frac{dh}{dt} = \\sum_i \\max(\\dot m_i, 0)\\,(h_i - h)

(:func:`nppsim.physics.thermal_mixing.plenum_derivative`). Streams with negative flow leave at
the plenum's own enthalpy. Each stream is a flow signal with a sign (+1: the signal's positive
part enters, -1: its negative part enters, a loop running backwards) and an enthalpy signal. The
upper plenum takes the core outlet, the core bypass and reversed hot legs; the lower plenum
(with the downcomer) the cold legs.
"""

from __future__ import annotations

from enum import IntEnum

from nppsim._jit import njit
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 8


class F(IntEnum):
    """The record of a plenum in ``ip``."""

    Y_H = 0
    N_IN = 1
    I_FLOWS = 2
    I_ENTHALPIES = 3
    P_SIGNS = 4
    P_SCALES = 5
    P_VOLUME = 6
    IN_PRESSURE = 7
    W_H = 8
    W_TEMP = 9
    W_RHO = 10
    W_DRHO = 11
    W_STATUS = 12
    W_DRHO_DP = 13


@njit
def signals(t, y, p, ip, d, w, r):
    """Temperature, density and density slope of the plenum water."""
    h = y[ip[r + F.Y_H]]
    tt, rho, drho, drho_dp, st = props.node_full(p, ip, w[ip[r + F.IN_PRESSURE]], h)
    w[ip[r + F.W_H]] = h
    w[ip[r + F.W_TEMP]] = tt
    w[ip[r + F.W_RHO]] = rho
    w[ip[r + F.W_DRHO]] = drho
    w[ip[r + F.W_DRHO_DP]] = drho_dp
    w[ip[r + F.W_STATUS]] = st


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Mixing of the entering streams."""
    yh = ip[r + F.Y_H]
    h = y[yh]
    mass = w[ip[r + F.W_RHO]] * p[ip[r + F.P_VOLUME]]
    flows = ip[r + F.I_FLOWS]
    enth = ip[r + F.I_ENTHALPIES]
    signs = ip[r + F.P_SIGNS]
    scales = ip[r + F.P_SCALES]
    acc = 0.0
    for k in range(ip[r + F.N_IN]):
        f = p[signs + k] * w[ip[flows + k]] * p[scales + k]
        if f > 0.0:
            acc += f * (w[ip[enth + k]] - h)
    dydt[yh] = acc / mass


class Plenum(Component):
    """A plenum (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"upper_plenum"``).
    volume : float
        Water volume [m3].
    pressure : str
        Pressure signal.
    inflows : list of (flow signal, sign, scale, enthalpy signal)
        The streams: the flow signal times ``sign`` times ``scale`` enters when positive.
    """

    kind = "plenum"
    code = CODE
    Field = F

    def __init__(
        self, name: str, volume: float, pressure: str, inflows: list[tuple[str, float, float, str]]
    ) -> None:
        super().__init__(name)
        self.volume = volume
        self.pressure = pressure
        self.inflows = inflows

    def declare(self, b: Declarer) -> None:
        b.state("h", 1, "J/kg", 1e-1, description="water enthalpy")
        b.count("in", len(self.inflows))
        b.signal_refs("flows", [f for f, _, _, _ in self.inflows])
        b.signal_refs("enthalpies", [h for _, _, _, h in self.inflows])
        b.param("signs", [s for _, s, _, _ in self.inflows])
        b.param("scales", [c for _, _, c, _ in self.inflows])
        b.param("volume", self.volume, "m3")
        b.port("pressure", self.pressure)
        b.signal("h", "J/kg", depends=("h",))
        b.signal("temp", "K", depends=("h", "port:pressure"))
        b.signal("rho", "kg/m3", depends=("h", "port:pressure"))
        b.signal("drho", "kg2/(m3 J)", depends=("h", "port:pressure"))
        b.signal("drho_dp", "kg/(m3 Pa)", depends=("h", "port:pressure"))
        b.signal("status", "1", depends=())
        b.depends("h", ("h", "port:pressure", "refs:flows", "refs:enthalpies"))
