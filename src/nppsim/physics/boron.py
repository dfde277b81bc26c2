r"""Boron in the primary coolant: transport with the flow; boration or dilution by feed and bleed.

**Transport.** Boric acid is a passive scalar carried by the water. Each well-mixed node j of the
primary (loop nodes, plenums, the core channel) holds the concentration C_j [ppm, mg of boron per
kg of water] and obeys, like its enthalpy (upwind in the flow direction),

.. math:: M_j \frac{dC_j}{dt} = \sum_{k\,\in\,\mathrm{in}} \dot m_k\,(C_k - C_j)

plus the terms of the surge (the node's expansion leaves with the surge line's concentration),
the make-up and let-down and the injections, applied with the enthalpy's in the pressurizer's
closure. The pressurizer's liquid region holds its own concentration; its vapour carries no boron
(the volatility of boric acid at 15.7 MPa, a distribution coefficient of order 1e-3, is
neglected), so condensation dilutes and evaporation concentrates the liquid.

**Feed and bleed.** The make-up system changes the concentration by replacing water: a flow q of
make-up at C_s (clean water, C_s = 0, to dilute; concentrate to borate) with the same flow let
down at the circuit's concentration C. The circuit's inventory M then changes as

.. math:: M \frac{dC}{dt} = q\,(C_s - C)
    \quad\Rightarrow\quad q = \frac{M\,\dot C}{C_s - C}

which sets the flow for a demanded rate \dot C (the boron controller's, or an operator's), up to
the make-up pumps' capacity. With no other flows the concentration then follows
C(t) = C_s + (C_0 - C_s) e^{-q t / M} (the "feed and bleed" exponential).

Reference: N. E. Todreas, M. S. Kazimi, *Nuclear Systems I*, 2nd ed. (2012), ch. 2 (chemical and
volume control); for VVER-1000 practice, the make-up and boron control system (TK/TB) of the
V-320 design, whose boric acid concentrate holds about 40 g/kg H3BO3 (7000 ppm boron, M).
"""

from __future__ import annotations

from nppsim._jit import njit

__all__ = ["feed_and_bleed_flow", "feed_and_bleed_solution"]


@njit
def feed_and_bleed_flow(rate: float, c: float, c_source: float, mass: float, q_max: float) -> float:
    """Make-up flow at ``c_source`` that changes the circuit's concentration at ``rate``.

    .. math:: q = \\min\\left(\\frac{M\\,\\dot C}{C_s - C}, q_{max}\\right) \\ge 0

    Parameters
    ----------
    rate : float
        Demanded rate of change of the concentration [ppm/s] (its sign must match C_s - C).
    c : float
        Concentration of the circuit [ppm].
    c_source : float
        Concentration of the make-up [ppm] (0: clean water).
    mass : float
        Water of the circulating inventory [kg].
    q_max : float
        Capacity of the make-up pumps [kg/s].

    Returns
    -------
    float
        Feed (and bleed) flow [kg/s], 0 to q_max; 0 if the source cannot move C that way.
    """
    diff = c_source - c
    if diff == 0.0 or rate * diff <= 0.0:
        return 0.0
    return min(mass * rate / diff, q_max)


def feed_and_bleed_solution(t: float, c0: float, c_source: float, q: float, mass: float) -> float:
    """Concentration after ``t`` [s] of feed and bleed at ``q`` [kg/s] (analytic, for tests).

    .. math:: C(t) = C_s + (C_0 - C_s)\\,e^{-q t/M}
    """
    import math

    return c_source + (c0 - c_source) * math.exp(-q * t / mass)
