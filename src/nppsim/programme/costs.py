"""Capital cost, interest during construction, spending profile and levelised cost of a unit.

Money is in US dollars (of each contract's year, not escalated); powers W, energies J, times s.

* overnight cost, escalated for delay beyond plan (T construction time with suspensions, T_p the
  class's planned duration, e the real cost growth per year of delay)::

      K = c_ov P_net [1 + e max(T - T_p, 0) / 1 yr]                                      (1)

* spending profile: the fraction spent by the fraction x of construction time is the regularised
  incomplete beta function I_x(a, b) (``cost.spending_shape`` = [a, b]);
* interest during construction, each slice of spending capitalised to commercial operation at the
  interest rate r (midpoint rule over K slices of the profile)::

      phi(T) = sum_k w_k (1 + r)^(T (1 - x_k) / 1 yr) - 1,   w_k = I_{k/K} - I_{(k-1)/K}     (2)

  capital at commercial operation K_c = K (1 + phi);
* levelised cost of electricity with discount rate d over the economic life L (capital recovery
  factor CRF = d / (1 - (1 + d)^-L)), lifetime load factor LF = mean(A) (1 - D/I)::

      LCOE = (K_c CRF + FOM P_net 1 yr) / (P_net LF 1 yr) + fuel                           (3)

  with the fuel cost per unit of net electricity from the fuel-cycle prices (front end, fabrication
  and spent-fuel management) divided by the energy a kilogram of fuel gives, B P_net / P_th.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from .fuelcycle import feed_per_product, swu_per_product
from .timebase import YEAR

if TYPE_CHECKING:
    from .model import Sampler
    from .schema import Programme, Unit

_K = 40
_DAY = 86400.0
HALEU = 0.10
"""Enrichment above which fuel is priced as high-assay LEU (``fabrication_haleu``)."""


@cache
def _profile(a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Grid of x and I_x(a, b) for fast interpolation of the spending profile."""
    x = np.linspace(0.0, 1.0, 2001)
    return x, special.betainc(a, b, x)


def spent_fraction(x: np.ndarray, a: float, b: float) -> np.ndarray:
    """Fraction of the capital spent by the fraction x of construction time, I_x(a, b) [1]."""
    gx, gf = _profile(a, b)
    return np.interp(np.clip(x, 0.0, 1.0), gx, gf)


def idc_factor(t: np.ndarray, rate: float, a: float, b: float) -> np.ndarray:
    """Interest during construction over the overnight cost, equation (2) [1].

    Parameters
    ----------
    t : array
        Construction time [s].
    rate : float
        Annual interest rate [1].
    a, b : float
        Beta shape of the spending profile.
    """
    edges = np.linspace(0.0, 1.0, _K + 1)
    w = np.diff(special.betainc(a, b, edges))
    x = 0.5 * (edges[1:] + edges[:-1])
    growth = math.log1p(rate) * np.asarray(t, dtype=float)[:, None] / YEAR * (1.0 - x)[None, :]
    return np.exp(growth) @ w - 1.0


def crf(rate: float, life: float) -> float:
    """Capital recovery factor d / (1 - (1 + d)^-L) [1/yr], L in years; 1/L when d = 0."""
    if rate == 0.0:
        return 1.0 / life
    return rate / (1.0 - (1.0 + rate) ** (-life))


def fuel_cost_per_joule(
    prog: Programme, enrichment: float, burnup: float, thermal_per_net: float
) -> float:
    """Fuel cost per unit of net electricity [US$/J].

    Per kilogram of fuel: natural uranium F/P / (1 - loss) at the uranium price, conversion of F/P,
    SWU/P at the enrichment price, fabrication (LEU or HALEU) and spent-fuel management; divided by
    the net electricity a kilogram gives, B / (P_th / P_net).
    """
    fc, pr = prog.fuel_cycle, prog.cost.prices
    x_f, x_t = fc.feed_assay.si, fc.tails_assay.si
    fp = float(feed_per_product(enrichment, x_f, x_t))
    sw = float(swu_per_product(enrichment, x_f, x_t))
    fab = pr.fabrication_haleu.si if enrichment >= HALEU else pr.fabrication.si
    per_kg = (
        fp / (1.0 - fc.conversion_loss.si) * pr.uranium.si
        + fp * pr.conversion.si
        + sw * pr.enrichment.si
        + fab
        + pr.spent_fuel.si
    )
    return per_kg / (burnup / thermal_per_net)


def mean_of(sampler: Sampler) -> float:
    """Mean of a sampler by the midpoint rule on 2,000 quantiles."""
    u = (np.arange(2000) + 0.5) / 2000.0
    return float(np.mean(sampler.ppf(u)))


def unit_cost(
    prog: Programme,
    u: Unit,
    p_net: float,
    start: np.ndarray,
    comm: np.ndarray,
    u_cost: np.ndarray,
    availability: Sampler,
    outage: tuple[float, float],
    fuel: tuple[float, float, float],
    a: np.ndarray,
    b: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Costs of one unit per sample and its capital spending per calendar year.

    Parameters
    ----------
    start, comm : array
        Construction start and commercial operation [s since EPOCH].
    u_cost : array
        Uniform draws of the project's cost level (shared by the units of a project).
    availability : Sampler
        The class's availability distribution (for the lifetime load factor).
    outage : (float, float)
        Refuelling outage and interval [s].
    fuel : (float, float, float)
        Reload enrichment [1], discharge burnup [J/kg], thermal power [W].
    a, b : array
        Starts and ends of the calendar years [s].

    Returns
    -------
    (dict, ndarray)
        ``overnight``, ``idc``, ``capital`` [US$], ``lcoe`` [US$/J], ``annual_cost`` [US$/yr] and
        ``annual_energy`` [J/yr] per sample; spending per sample and year [US$].
    """
    from .model import Sampler

    c = prog.cost
    dist = c.overnight[u.klass]
    if dist.kind == "triangular":
        lo, mo, hi = dist.low.si, dist.mode.si, dist.high.si  # type: ignore[union-attr]
        c_ov = Sampler("triangular", lo, mo, hi).ppf(u_cost)
    else:
        c_ov = np.full(u_cost.shape, dist.value.si)  # type: ignore[union-attr]
    t = np.maximum(comm - start, _DAY)
    plan = prog.classes[u.klass].planned_duration.si
    delay = np.maximum(t - plan, 0.0)
    overnight = c_ov * p_net * (1.0 + c.delay_escalation.si * delay / YEAR)
    sa, sb = c.spending_shape.si_list
    phi = idc_factor(t, c.interest_rate.si, sa, sb)
    capital = overnight * (1.0 + phi)
    d_out, interval = outage
    lf = mean_of(availability) * (1.0 - d_out / interval)
    x_r, burnup, p_th = fuel
    fuel_j = fuel_cost_per_joule(prog, x_r, burnup, p_th / p_net)
    annual_cost = capital * crf(c.discount_rate.si, c.economic_life.si / YEAR) + (
        c.fixed_om[u.klass].si * p_net * YEAR
    )
    annual_energy = p_net * lf * YEAR
    lcoe = annual_cost / annual_energy + fuel_j
    # cumulative spent fraction at the year edges, only for samples and years under construction
    edges = np.append(a, b[-1])
    spend = np.zeros((t.size, a.size))
    live = np.nonzero((start < b[-1]) & (start + t > a[0]))[0]
    if live.size:
        x = (edges[None, :] - start[live, None]) / t[live, None]
        cols = np.nonzero(((x > 0.0) & (x < 1.0)).any(axis=0))[0]
        lo_c = max(int(cols.min()) - 1, 0) if cols.size else 0
        hi_c = min(int(cols.max()) + 2, edges.size) if cols.size else 0
        f = spent_fraction(x[:, lo_c:hi_c], sa, sb)
        spend[live[:, None], np.arange(lo_c, hi_c - 1)[None, :]] = overnight[live, None] * np.diff(
            f, axis=1
        )
    return {
        "overnight": overnight,
        "idc": overnight * phi,
        "capital": capital,
        "lcoe": lcoe,
        "annual_cost": annual_cost + fuel_j * annual_energy,
        "annual_energy": np.full(t.shape, annual_energy),
    }, spend
