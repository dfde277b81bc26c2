"""Critical (choked) flow of steam through a break.

Napier's rule for saturated steam: the choked mass flux is proportional to the upstream pressure,

.. math:: \\dot m = C_N\\, A\\, p, \\qquad C_N = 1.457\\times 10^{-6}\\ \\mathrm{s/m}

(from the customary form :math:`\\dot m\\,[\\mathrm{lb/s}] = A\\,[\\mathrm{in^2}]\\, p\\,
[\\mathrm{psia}]/70`, converted to SI: 0.45359 / (6.4516e-4 x 6894.76 x 70)). Valid for dry
saturated steam above a few bar with the downstream pressure below the critical ratio (about 0.55).

Reference: ASME Boiler and Pressure Vessel Code, Section I, PG-69 (Napier formula); R. H. Perry,
Perry's Chemical Engineers' Handbook, 8th ed., §10 (flow of steam through nozzles).
"""

from __future__ import annotations

from nppsim._jit import njit

NAPIER_COEFFICIENT = 0.45359237 / (6.4516e-4 * 6894.757 * 70.0)  # [s/m] (kg/s per m2 per Pa)


@njit
def napier_flow(area: float, pressure: float, discharge_coefficient: float = 1.0) -> float:
    """Choked flow of saturated steam through an opening.

    .. math:: \\dot m = C_d\\, C_N\\, A\\, p

    Parameters
    ----------
    area : float
        Break (throat) area [m2].
    pressure : float
        Upstream stagnation pressure [Pa].
    discharge_coefficient : float
        Discharge coefficient [1] (1 for a sharp, well-rounded break: an upper bound).

    Returns
    -------
    float
        Mass flow [kg/s], >= 0.
    """
    return max(0.0, discharge_coefficient * NAPIER_COEFFICIENT * area * pressure)
