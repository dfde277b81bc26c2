"""Fuel and CO2 that nuclear generation displaces from Iran's thermal fleet.

Fleet mode: in year y the fleet turns heat into electricity at efficiency eta_y and takes its heat
from fuel i in the share s_iy (by heat input). Both come from the records in the programme file,
linear between record years and constant before the first and after the last. Marginal mode: one
plant of efficiency eta_m burning one fuel. A share u of nuclear output serves demand that would
otherwise go unserved and displaces nothing (the unmet-demand case). For net nuclear energy E::

    Q_y = E (1 - u) / eta_y                   heat not burnt                             (1)
    V_iy = Q_y s_iy / h_i                     fuel volume not burnt, h_i heat per m3    (2)
    m_CO2 = sum_i Q_y s_iy EF_i               CO2 not emitted                           (3)

(IPCC 2006 Guidelines, Vol. 2, Ch. 2, Tier 1 emission factors per unit of heat.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .schema import FUELS

if TYPE_CHECKING:
    from .schema import Programme


def fleet_shares(prog: Programme) -> tuple[np.ndarray, np.ndarray]:
    """Record years and the share of heat input of each fuel in them, shape (3, records).

    s_i = V_i h_i / sum_j V_j h_j with h_i the heat per m3 (LHV x density for liquids).
    """
    d = prog.displaced
    ys = np.array([r.year for r in d.fuel_use], dtype=float)
    heat = np.array(
        [[getattr(r, f).si * d.fuels[f].heat_per_volume() for r in d.fuel_use] for f in FUELS]
    )
    return ys, heat / heat.sum(axis=0, keepdims=True)


def factors(prog: Programme, years: np.ndarray) -> dict[str, np.ndarray]:
    """Per-year factors: ``heat`` [J heat per J electricity] and ``share`` (3, years) [1]."""
    d = prog.displaced
    yrs = np.asarray(years, dtype=float)
    if d.mode == "marginal":
        share = np.zeros((len(FUELS), yrs.size))
        share[FUELS.index(d.marginal.fuel)] = 1.0
        return {"heat": np.full(yrs.size, 1.0 / d.marginal.efficiency.si), "share": share}
    ey = np.array([r.year for r in d.efficiency], dtype=float)
    ev = np.array([r.efficiency.si for r in d.efficiency])
    eta = np.interp(yrs, ey, ev)
    sy, sv = fleet_shares(prog)
    share = np.array([np.interp(yrs, sy, sv[i]) for i in range(len(FUELS))])
    share /= share.sum(axis=0, keepdims=True)
    return {"heat": 1.0 / eta, "share": share}


def saved(prog: Programme, years: np.ndarray, energy: np.ndarray) -> dict[str, np.ndarray]:
    """Heat [J], fuel volumes [m3] and CO2 [kg] not burnt, and energy serving unmet demand [J].

    Parameters
    ----------
    prog : Programme
    years : array of int
        Calendar years (columns of ``energy``).
    energy : array (samples, years)
        Net nuclear generation [J].
    """
    d = prog.displaced
    f = factors(prog, years)
    u = d.unmet_share.si
    heat = energy * (1.0 - u) * f["heat"][None, :]
    out: dict[str, np.ndarray] = {"heat": heat, "unmet": energy * u}
    co2 = np.zeros_like(energy)
    for i, name in enumerate(FUELS):
        q = heat * f["share"][i][None, :]
        out[name] = q / d.fuels[name].heat_per_volume()
        co2 += q * d.fuels[name].emission_factor.si
    out["co2"] = co2
    return out
