"""Plant-wide quantities derived from the components' signals: sums, means, extremes.

Each output is a reduction of a list of signals: the total steam flow, the mean hot-leg
temperature, the lowest steam-generator level (which the protection watches), the margin to
saturation (the pressurizer's saturation temperature less the hottest hot leg).
"""

from __future__ import annotations

from enum import IntEnum

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer

CODE = 16
SUM, MEAN, MAX, MIN, FIRST_MINUS_MAX = 0, 1, 2, 3, 4
_OPS = {"sum": SUM, "mean": MEAN, "max": MAX, "min": MIN, "first_minus_max": FIRST_MINUS_MAX}


class F(IntEnum):
    """The record of the summary in ``ip``."""

    N_OUT = 0
    I_OPS = 1
    I_START = 2
    I_COUNT = 3
    I_REFS = 4
    W_OUT = 5


@njit
def signals(t, y, p, ip, d, w, r):
    """Every reduction."""
    ops = ip[r + F.I_OPS]
    st = ip[r + F.I_START]
    cnt = ip[r + F.I_COUNT]
    refs = ip[r + F.I_REFS]
    wo = ip[r + F.W_OUT]
    for k in range(ip[r + F.N_OUT]):
        op = ip[ops + k]
        a = ip[st + k]
        n = ip[cnt + k]
        if op == FIRST_MINUS_MAX:
            m = -1e300
            for j in range(1, n):
                m = max(m, w[ip[refs + a + j]])
            w[wo + k] = w[ip[refs + a]] - m
            continue
        acc = 0.0 if op in (SUM, MEAN) else w[ip[refs + a]]
        for j in range(n):
            x = w[ip[refs + a + j]]
            if op == SUM or op == MEAN:
                acc += x
            elif op == MAX:
                acc = max(acc, x)
            else:
                acc = min(acc, x)
        w[wo + k] = acc / n if op == MEAN else acc


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """No states."""


class Summary(Component):
    """Reductions of signals (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"plant"``).
    outputs : list of (name, unit, op, signals, column)
        ``op`` one of sum, mean, max, min, first_minus_max; ``column`` the recorded column or
        None.
    """

    kind = "summary"
    code = CODE
    Field = F

    def __init__(self, name: str, outputs: list[tuple[str, str, str, list[str], str | None]]):
        super().__init__(name)
        self.outputs = outputs
        self.names = [o[0] for o in outputs]

    def declare(self, b: Declarer) -> None:
        outs = self.outputs
        b.count("out", len(outs))
        b.int_param("ops", [_OPS[o[2]] for o in outs])
        starts: list[int] = []
        counts: list[int] = []
        refs: list[str] = []
        for o in outs:
            starts.append(len(refs))
            counts.append(len(o[3]))
            refs.extend(o[3])
        b.int_param("start", starts)
        b.int_param("count", counts)
        b.signal_refs("refs", refs)
        cols = [o[4] or f"{self.name}.{o[0]}" for o in outs]
        b.signal("out", "", len(outs), columns=cols, depends=("refs:refs",))

    def signal_name(self, name: str) -> str:
        """Label of one output (``"plant.out[3]"``) by its name."""
        return f"{self.name}.out[{self.names.index(name)}]"
