"""Monte Carlo model of a national nuclear power programme, vectorized over samples.

For each sample s and each unit not yet running the model draws a construction start, a construction
duration T (start to commercial operation, working time) conditioned on what was known at the status
date, the dated suspensions that stop it, a commissioning period L (grid connection to commercial
operation) and a life; then, year by year, the availability A outside refuelling outages. Calendar
instants are seconds since :data:`~nppsim.programme.timebase.EPOCH`, powers W, energies J, masses
kg, money US$.

Equations (calendar year y = [a_y, b_y), unit u, project p, sample s; docs/programme.md gives the
derivations):

* programme-wide factor z_g, project factor z_p, unit noise e_u (independent standard normals);
  with w the schedule weight and rho the within-project correlation (rho* = max(rho, w))::

      z_u = sqrt(w) z_g + sqrt(rho* - w) z_p + sqrt(1 - rho*) e_u                     (1)

  so corr(z_u, z_v) = rho* within a project and w between projects.
* go/no-go of project p with probability p_p and go-ahead weight h::

      y_p = sqrt(h) z_g + sqrt(1 - h) n_p,     proceeds if Phi(y_p) < p_p              (2)

  (a bad programme draw, z_g > 0, lengthens schedules and makes go-aheads rarer).
* construction working time, with F the duration distribution and e the working time already
  elapsed at the status date (the unit is known to be unfinished then)::

      T_u = F^-1(F(e) + (1 - F(e)) Phi(z_u))                                           (3)

  commercial operation c = S + T_u + sum of the durations D_k of the suspensions k that begin
  while the unit is under construction (S <= t_k < c); a start S inside a suspension moves to its
  end. Grid connection g = max(c - L, S, min(status date, c)); retirement r = c + life.
* energy, net::

      E_uy = P_net [ f_c tau_c + A_uy R_k (tau_o - tau_r) ]                              (4)

  tau_c = |[g, c) ∩ y| the commissioning time at load factor f_c, tau_o = |[c, r) ∩ y| the operating
  time, tau_r the refuelling-outage time in it (an outage of length D closing each cycle of length
  I), R_k the ramp-up factor of operating year k = floor(mid_y - c) (1 beyond the table).
* capacity, year average: C_y = sum_u P_net (tau_c + tau_o) / (b_y - a_y); E_y <= C_y (b_y - a_y).
* recorded years replace (4) by E = LF P_net (b_y - a_y), LF the recorded load factor.
* fuel: the first core M_0 at first fuel load, then reloads E P_th / (P_net B) with B the discharge
  burnup [J/kg]; natural uranium, conversion and SWU by :mod:`nppsim.programme.fuelcycle`; spent
  fuel discharged = reloads, plus the core at retirement.
* cost: :mod:`nppsim.programme.costs`; displaced fuel and CO2: :mod:`nppsim.programme.displaced`.

Random numbers come from one stream per unit, project, suspension and for the programme factor,
seeded from (seed, name), so a run is reproducible and a what-if that cancels one unit leaves every
other unit's draws unchanged.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import special

from nppsim.designs import load_design
from nppsim.errors import InputError

from . import costs, displaced
from .fuelcycle import feed_per_product, swu_per_product
from .load import ProgrammeCase
from .schema import Distribution, Programme, Suspension, Unit
from .timebase import NEVER, YEAR, date_to_s, s_to_year, year_start_s
from .whatif import Adjustments

_U_EPS = 1e-12
_DAY = 86400.0


@dataclass(frozen=True)
class Sampler:
    """A distribution in SI with its inverse CDF and CDF, for inverse-transform sampling.

    ``kind`` is one of ``lognormal`` (p0 = mu of ln x, p1 = sigma), ``triangular`` (low, mode,
    high), ``uniform`` (low, high), ``fixed`` (value) and ``empirical`` (``values``, each equally
    likely).
    """

    kind: str
    p0: float = 0.0
    p1: float = 0.0
    p2: float = 0.0
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF at probabilities u (0 < u < 1)."""
        u = np.clip(u, _U_EPS, 1.0 - _U_EPS)
        if self.kind == "lognormal":
            return np.exp(self.p0 + self.p1 * special.ndtri(u))
        if self.kind == "triangular":
            lo, mo, hi = self.p0, self.p1, self.p2
            fc = (mo - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (mo - lo))
            right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - mo))
            return np.where(u < fc, left, right)
        if self.kind == "uniform":
            return self.p0 + u * (self.p1 - self.p0)
        if self.kind == "fixed":
            return np.full(np.shape(u), self.p0)
        n = self.values.size
        return self.values[np.minimum((u * n).astype(np.int64), n - 1)]

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """CDF at x."""
        x = np.asarray(x, dtype=float)
        if self.kind == "lognormal":
            with np.errstate(divide="ignore"):
                z = (np.log(np.maximum(x, 1e-300)) - self.p0) / self.p1
            return np.where(x > 0, special.ndtr(z), 0.0)
        if self.kind == "triangular":
            lo, mo, hi = self.p0, self.p1, self.p2
            xc = np.clip(x, lo, hi)
            left = (xc - lo) ** 2 / ((hi - lo) * (mo - lo)) if mo > lo else np.zeros_like(xc)
            right = 1.0 - (hi - xc) ** 2 / ((hi - lo) * (hi - mo)) if hi > mo else np.ones_like(xc)
            return np.where(xc <= mo, left, right)
        if self.kind == "uniform":
            return np.clip((x - self.p0) / (self.p1 - self.p0), 0.0, 1.0)
        if self.kind == "fixed":
            return (x >= self.p0).astype(float)
        return np.searchsorted(self.values, x, side="right") / self.values.size


def _sampler(d: Distribution, prog: Programme) -> Sampler:
    if d.kind == "lognormal":
        return Sampler("lognormal", math.log(d.median.si), d.sigma.si)  # type: ignore[union-attr]
    if d.kind == "triangular":
        return Sampler("triangular", d.low.si, d.mode.si, d.high.si)  # type: ignore[union-attr]
    if d.kind == "uniform":
        return Sampler("uniform", d.low.si, d.high.si)  # type: ignore[union-attr]
    if d.kind == "fixed":
        return Sampler("fixed", d.value.si)  # type: ignore[union-attr]
    if d.kind == "empirical":
        return Sampler("empirical", values=np.sort(np.asarray(d.values.si_list)))  # type: ignore[union-attr]
    return Sampler("empirical", values=np.sort(record_availability(prog, d)))


def record_availability(prog: Programme, d: Distribution) -> np.ndarray:
    """Availabilities outside refuelling outages from a unit's recorded load factors.

    A = LF / (1 - D / I), with D the refuelling outage and I the refuelling interval of the unit's
    design; capped at 1.

    Parameters
    ----------
    prog : Programme
    d : Distribution
        A ``record`` distribution (``unit`` and ``years``).

    Returns
    -------
    ndarray
        One availability [1] per listed year.
    """
    unit = prog.unit(d.unit)  # type: ignore[arg-type]
    rating = load_design(unit.design).rating
    outage_fraction = rating.refuelling_outage.si / rating.refuelling_interval.si
    rec = unit.record
    lf = dict(zip(rec.years, rec.load_factor.si_list, strict=True))  # type: ignore[union-attr]
    return np.minimum(np.array([lf[y] for y in d.years]) / (1.0 - outage_fraction), 1.0)  # type: ignore[union-attr]


def _rng(seed: int, kind: str, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(f"{kind}:{name}".encode())])


def demand_series(prog: Programme, years: np.ndarray) -> np.ndarray:
    """Electricity generation of the country per year [J]: record, then the growth periods.

    D_y = D_first (1 + g_back)^(y - first) before the first recorded year and
    D_y = D_(y-1) (1 + g_y) after the last one.
    """
    dem = prog.demand
    rec = {r.year: r.generation.si for r in dem.record}
    first, last = min(rec), max(rec)
    rates = {}
    for p in dem.growth:
        for y in range(p.first_year, p.last_year + 1):
            rates[y] = p.rate.si
    out = np.empty(years.size)
    for i, y in enumerate(years.tolist()):
        if y in rec:
            out[i] = rec[y]
        elif y < first:
            out[i] = rec[first] * (1.0 + dem.back_growth.si) ** (y - first)
        else:
            v = rec[last]
            for yy in range(last + 1, y + 1):
                v *= 1.0 + rates[yy]
            out[i] = v
    return out


def recorded_generation(
    prog: Programme, uid: str, *, year: int | None = None, iranian_year: int | None = None
) -> float:
    """Recorded net generation of a unit in a calendar or an Iranian year [J].

    Calendar year: E = LF P_net (b_y - a_y) from the unit's load-factor record, the value the model
    reports for that year. Iranian year: the generation recorded for it (``record_iranian_year``),
    as published.

    Parameters
    ----------
    prog : Programme
    uid : str
        Unit id.
    year, iranian_year : int
        Exactly one of a calendar year or an Iranian year (1402 = 21 Mar 2023 - 19 Mar 2024).

    Raises
    ------
    KeyError
        If the unit has no record for that year.
    """
    unit = prog.unit(uid)
    if (year is None) == (iranian_year is None):
        raise ValueError("give exactly one of year and iranian_year")
    if iranian_year is not None:
        rec_i = unit.record_iranian_year
        if rec_i is None or iranian_year not in rec_i.years:
            raise KeyError(f"{uid} has no record for Iranian year {iranian_year}")
        return rec_i.generation.si_list[rec_i.years.index(iranian_year)]
    rec = unit.record
    if rec is None or year not in rec.years:
        raise KeyError(f"{uid} has no record for {year}")
    length = float(np.diff(year_start_s(np.array([year, year + 1])))[0])
    p_net = load_design(unit.design).rating.power_electric_net.si
    return rec.load_factor.si_list[rec.years.index(year)] * p_net * length


@dataclass
class ProgrammeResult:
    """Samples of a programme run. Arrays are (samples, years) in SI unless stated.

    Attributes
    ----------
    years : ndarray of int
        Calendar years.
    year_length : ndarray
        Length of each year [s].
    capacity : ndarray
        Year-average net capacity in service (grid-connected, not retired) [W].
    energy : ndarray
        Net generation [J].
    fuel : ndarray
        Fresh enriched fuel loaded, heavy metal [kg] (= ``fuel_first`` + ``fuel_reload``).
    fuel_first, fuel_reload : ndarray
        First cores and reloads loaded [kg HM].
    natural_uranium, conversion, swu, spent_fuel : ndarray
        Natural uranium bought [kg U], conversion to UF6 [kg U], enrichment work [kg-SWU] and spent
        fuel discharged [kg HM], for the fuel loaded in each year.
    spending : ndarray
        Capital spending (overnight, escalated for delay, without interest) [US$].
    demand : ndarray, shape (years,)
        Country's electricity generation [J].
    dates : dict
        Unit id -> {"start", "grid", "commercial", "retire"}: instants per sample [s since EPOCH];
        ``NEVER`` when the unit is not built.
    unit_power : dict
        Unit id -> net electric power [W].
    proceed : dict
        Project id -> bool per sample: the project goes ahead.
    common : ndarray, shape (samples,)
        The programme-wide factor z_g.
    suspension_duration : dict
        Suspension id -> duration per sample [s] (0 where it does not happen).
    unit_cost : dict
        Unit id -> {"overnight", "idc", "capital"} [US$] and {"lcoe"} [US$/J] per sample (NaN
        where the unit is not built or has no cost).
    recorded_until : int
        Last year taken from the record for every unit then running.
    """

    years: np.ndarray
    year_length: np.ndarray
    capacity: np.ndarray
    energy: np.ndarray
    fuel_first: np.ndarray
    fuel_reload: np.ndarray
    natural_uranium: np.ndarray
    conversion: np.ndarray
    swu: np.ndarray
    spent_fuel: np.ndarray
    spending: np.ndarray
    demand: np.ndarray
    dates: dict[str, dict[str, np.ndarray]]
    unit_power: dict[str, float]
    proceed: dict[str, np.ndarray]
    common: np.ndarray
    suspension_duration: dict[str, np.ndarray]
    unit_cost: dict[str, dict[str, np.ndarray]]
    recorded_until: int
    programme: Programme
    adjustments: Adjustments
    samples: int
    seed: int
    until: int
    source: str = ""
    what_if: str | None = None
    _displaced: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def fuel(self) -> np.ndarray:
        """Fresh enriched fuel loaded [kg HM]."""
        return self.fuel_first + self.fuel_reload

    def displaced(self) -> dict[str, np.ndarray]:
        """Fuel and CO2 displaced per sample and year (:func:`nppsim.programme.displaced.saved`)."""
        if not self._displaced:
            self._displaced.update(displaced.saved(self.programme, self.years, self.energy))
        return self._displaced

    @property
    def gas_saved(self) -> np.ndarray:
        """Natural gas not burnt [m3]."""
        return self.displaced()["gas"]

    @property
    def liquid_saved(self) -> np.ndarray:
        """Gas oil and fuel oil not burnt [m3]."""
        d = self.displaced()
        return d["gas_oil"] + d["fuel_oil"]

    @property
    def co2_avoided(self) -> np.ndarray:
        """CO2 not emitted [kg]."""
        return self.displaced()["co2"]

    @property
    def unmet_served(self) -> np.ndarray:
        """Nuclear output that serves otherwise unmet demand (displaces nothing) [J]."""
        return self.displaced()["unmet"]

    @property
    def share(self) -> np.ndarray:
        """Nuclear share of the country's generation [1]."""
        return self.energy / self.demand[None, :]

    def commercial_year(self, uid: str) -> np.ndarray:
        """Decimal year of commercial operation of a unit per sample (inf: never)."""
        return s_to_year(self.dates[uid]["commercial"])

    def capacity_at(self, t: float) -> np.ndarray:
        """Net capacity in service (grid-connected, not retired) at instant t, per sample [W]."""
        out = np.zeros(self.samples)
        for uid, d in self.dates.items():
            out += self.unit_power[uid] * ((d["grid"] <= t) & (t < d["retire"]))
        return out

    def target_probability(self) -> float:
        """P(net capacity in service at the target date >= the official target)."""
        tg = self.programme.target
        cap = self.capacity_at(date_to_s(tg.by.date))
        return float(np.mean(cap >= tg.capacity.si * (1.0 - 1e-12)))


def _check_run(prog: Programme, samples: int, until: int, seed: int) -> None:
    if samples < 1:
        raise InputError(None, "samples", samples, "at least 1")
    if seed < 0:
        raise InputError(None, "seed", seed, "a non-negative integer")
    last = max(p.last_year for p in prog.demand.growth)
    if samples > 200_000:
        raise InputError(None, "samples", samples, "at most 200000 (arrays are samples x years)")
    if not prog.programme.status_date.year <= until <= last:
        raise InputError(
            None,
            "until",
            until,
            f"from the status year ({prog.programme.status_date.year}) to the end of "
            f"the demand projection ({last})",
        )


@dataclass
class _FuelAcc:
    """Per design: reload mass per sample and year [kg], first cores and cores discharged."""

    reload_energy: np.ndarray
    first: list[tuple[np.ndarray, np.ndarray, float]]
    out: list[tuple[np.ndarray, np.ndarray, float]]


@dataclass
class _Event:
    """A suspension with its sampled start [s], duration [s] and the units it stops."""

    spec: Suspension
    start: float
    duration: np.ndarray
    units: frozenset[str]


def _suspension_units(prog: Programme, s: Suspension) -> frozenset[str]:
    hit: set[str] = set()
    for sc in s.scope:
        for u in prog.units:
            if sc == "programme" or sc == f"site:{u.site}" or sc == u.id or sc == u.project:
                hit.add(u.id)
    return frozenset(hit)


def _events(prog: Programme, samplers: dict[str, Sampler], seed: int, n: int) -> list[_Event]:
    """Sample every suspension: does it happen, and how long does it last."""
    out = []
    for s in sorted(prog.suspensions, key=lambda e: (e.start, e.id)):
        rng = _rng(seed, "suspension", s.id)
        happens = rng.random(n) < s.probability
        u = rng.random(n)
        dist = samplers[s.duration]
        t0 = date_to_s(s.start)
        lo = date_to_s(s.known_until) - t0 if s.known_until is not None else 0.0
        f_lo = float(dist.cdf(np.array([lo]))[0]) if lo > 0 else 0.0
        dur = np.maximum(dist.ppf(f_lo + (1.0 - f_lo) * u), lo)
        out.append(_Event(s, t0, np.where(happens, dur, 0.0), _suspension_units(prog, s)))
    return out


def simulate(
    case: ProgrammeCase | Programme, samples: int = 10000, until: int = 2060, seed: int = 1
) -> ProgrammeResult:
    """Run the Monte Carlo model.

    Parameters
    ----------
    case : ProgrammeCase or Programme
        The programme (and what-if adjustments), from :func:`nppsim.programme.load_programme`.
    samples : int
        Number of Monte Carlo samples.
    until : int
        Last calendar year simulated.
    seed : int
        Seed of the random streams (non-negative).

    Returns
    -------
    ProgrammeResult
    """
    if isinstance(case, Programme):
        case = ProgrammeCase(case)
    prog, adj = case.programme, case.adjustments
    _check_run(prog, samples, until, seed)
    n = samples
    years = np.arange(prog.programme.report_from, until + 1)
    a = year_start_s(years)
    b = year_start_s(years + 1)
    length = b - a
    mid = 0.5 * (a + b)
    t_status = date_to_s(prog.programme.status_date)
    rho = prog.schedule.correlation.si
    w_s = prog.shocks.schedule_weight.si
    w_g = prog.shocks.go_ahead_weight.si
    fc = prog.fuel_cycle
    lead = fc.first_core_lead.si
    x_f, x_t, loss = fc.feed_assay.si, fc.tails_assay.si, fc.conversion_loss.si
    samplers = {k: _sampler(d, prog) for k, d in prog.distributions.items()}

    z_g = _rng(seed, "programme", "common").standard_normal(n)
    proceed, z_project, u_cost = {}, {}, {}
    for pid, proj in prog.projects.items():
        rng = _rng(seed, "project", pid)
        y_p = math.sqrt(w_g) * z_g + math.sqrt(1.0 - w_g) * rng.standard_normal(n)
        proceed[pid] = special.ndtr(y_p) < proj.p_proceed.si
        z_project[pid] = rng.standard_normal(n)
        u_cost[pid] = rng.random(n)
    events = _events(prog, samplers, seed, n)

    shape = (n, years.size)
    capacity = np.zeros(shape)
    energy = np.zeros(shape)
    fuel_first = np.zeros(shape)
    fuel_reload = np.zeros(shape)
    nat_u = np.zeros(shape)
    conv = np.zeros(shape)
    swu = np.zeros(shape)
    spent = np.zeros(shape)
    spending = np.zeros(shape)
    dates: dict[str, dict[str, np.ndarray]] = {}
    unit_power: dict[str, float] = {}
    unit_cost: dict[str, dict[str, np.ndarray]] = {}
    planned_start: dict[str, np.ndarray] = {}
    recorded_until = prog.programme.report_from - 1
    rows = np.arange(n)
    by_design: dict[str, _FuelAcc] = {}
    for u in prog.units:
        rng = _rng(seed, "unit", u.id)
        u_start = rng.random(n)
        eps = rng.standard_normal(n)
        u_lag = rng.random(n)
        u_life = rng.random(n)
        u_avail = rng.random(shape)
        klass = prog.classes[u.klass]
        rating = load_design(u.design).rating
        p_net = rating.power_electric_net.si
        unit_power[u.id] = p_net
        my_events = [e for e in events if u.id in e.units]

        start, grid, comm = _schedule(
            u,
            prog,
            adj,
            samplers,
            planned_start,
            t_status,
            (rho, w_s),
            (z_g, z_project[u.project]),
            u_start,
            eps,
            u_lag,
            my_events,
            n,
        )
        planned_start[u.id] = start
        cancelled = u.id in adj.cancelled
        never = (comm >= 0.5 * NEVER) | ~proceed[u.project] | cancelled
        if u.status == "operating":
            never = np.zeros(n, dtype=bool)
        start = np.where(never, NEVER, start)
        grid = np.where(never, NEVER, grid)
        comm = np.where(never, NEVER, comm)
        life = rating.design_life.si + samplers[klass.life_extension].ppf(u_life)
        retire = np.where(never, NEVER, comm + life)
        if u.status == "operating" and cancelled:
            retire = np.minimum(retire, t_status)  # an operating unit 'cancelled' closes now
        dates[u.id] = {"start": start, "grid": grid, "commercial": comm, "retire": retire}

        # only samples in which the unit is built, and years from its earliest grid connection
        live = np.nonzero(~never)[0]
        rows_l: slice | np.ndarray = slice(None) if live.size == n else live
        j0 = int(np.searchsorted(b, grid[live].min(), side="right")) if live.size else years.size
        if j0 < years.size:
            cap_t, e = _energy(
                p_net,
                grid[rows_l],
                comm[rows_l],
                retire[rows_l],
                a[j0:],
                b[j0:],
                mid[j0:],
                cf_comm=klass.commissioning_load_factor.si,
                ramp=np.asarray(klass.ramp_up.si_list),
                avail=samplers[klass.availability],
                u_avail=u_avail[rows_l, j0:],
                interval=rating.refuelling_interval.si,
                outage=rating.refuelling_outage.si,
            )
            if u.record is not None:
                ry = np.asarray(u.record.years)
                ok = (ry >= years[j0]) & (ry <= years[-1])
                cols = ry[ok] - years[j0]
                lf = np.asarray(u.record.load_factor.si_list)[ok]
                e[:, cols] = lf * p_net * length[j0:][cols]
                if ok.any():
                    recorded_until = max(recorded_until, int(ry[ok].max()))
            capacity[rows_l, j0:] += cap_t / length[j0:]
            energy[rows_l, j0:] += e
        else:
            e = np.zeros((0, 0))

        # fuel cycle: reloads as they burn, the first core at first fuel load, the last core out
        m_core = rating.fuel_loading.si
        acc = by_design.setdefault(u.design, _FuelAcc(np.zeros(shape), [], []))
        if j0 < years.size:
            acc.reload_energy[rows_l, j0:] += (
                e * (rating.power_thermal.si / p_net) / rating.discharge_burnup.si
            )
        load_at = (
            np.full(n, date_to_s(u.first_fuel_load.date)) if u.first_fuel_load else grid - lead
        )
        k = np.searchsorted(a, load_at, side="right") - 1
        ok = (k >= 0) & (load_at < b[-1]) & ~never
        acc.first.append((rows[ok], k[ok], m_core))
        k = np.searchsorted(a, retire, side="right") - 1
        ok = (k >= 0) & (retire < b[-1]) & ~never
        acc.out.append((rows[ok], k[ok], m_core))

        if u.status != "operating":
            uc, spend = costs.unit_cost(
                prog,
                u,
                p_net,
                start,
                comm,
                u_cost[u.project],
                samplers[klass.availability],
                (rating.refuelling_outage.si, rating.refuelling_interval.si),
                (rating.enrichment_reload.si, rating.discharge_burnup.si, rating.power_thermal.si),
                a,
                b,
            )
            for key in uc:
                uc[key] = np.where(never, np.nan, uc[key])
            unit_cost[u.id] = uc
            spending += np.where(never[:, None], 0.0, spend)

    for design, acc in by_design.items():
        rating = load_design(design).rating
        x_r = rating.enrichment_reload.si
        x_0 = fc.first_core_enrichment[design].si if design in fc.first_core_enrichment else x_r
        first = np.zeros(shape)
        for r_idx, k_idx, m in acc.first:
            first[r_idx, k_idx] += m
        for r_idx, k_idx, m in acc.out:
            spent[r_idx, k_idx] += m
        reload = acc.reload_energy
        fp_r, sw_r = float(feed_per_product(x_r, x_f, x_t)), float(swu_per_product(x_r, x_f, x_t))
        fp_0, sw_0 = float(feed_per_product(x_0, x_f, x_t)), float(swu_per_product(x_0, x_f, x_t))
        feed = fp_r * reload + fp_0 * first
        fuel_first += first
        fuel_reload += reload
        spent += reload
        conv += feed
        nat_u += feed / (1.0 - loss)
        swu += sw_r * reload + sw_0 * first

    return ProgrammeResult(
        years=years,
        year_length=length,
        capacity=capacity,
        energy=energy,
        fuel_first=fuel_first,
        fuel_reload=fuel_reload,
        natural_uranium=nat_u,
        conversion=conv,
        swu=swu,
        spent_fuel=spent,
        spending=spending,
        demand=demand_series(prog, years),
        dates=dates,
        unit_power=unit_power,
        proceed=proceed,
        common=z_g,
        suspension_duration={e.spec.id: e.duration for e in events},
        unit_cost=unit_cost,
        recorded_until=recorded_until,
        programme=prog,
        adjustments=adj,
        samples=n,
        seed=seed,
        until=until,
        source=str(case.path),
        what_if=str(case.what_if_path) if case.what_if_path else None,
    )


def _common(z_g: np.ndarray, u: np.ndarray, w: float) -> np.ndarray:
    """A uniform that loads on the programme factor: Phi(sqrt(w) z_g + sqrt(1 - w) Phi^-1(u))."""
    if w == 0.0:
        return u
    z = special.ndtri(np.clip(u, _U_EPS, 1.0 - _U_EPS))
    return special.ndtr(math.sqrt(w) * z_g + math.sqrt(1.0 - w) * z)


def _schedule(
    u: Unit,
    prog: Programme,
    adj: Adjustments,
    samplers: dict[str, Sampler],
    planned_start: dict[str, np.ndarray],
    t_status: float,
    weights: tuple[float, float],
    factors: tuple[np.ndarray, np.ndarray],
    u_start: np.ndarray,
    eps: np.ndarray,
    u_lag: np.ndarray,
    events: list[_Event],
    n: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Construction start, grid connection and commercial operation per sample [s].

    ``planned_start`` holds the starts of earlier units before cancellation, so that a unit built
    after a cancelled one keeps its place in the sequence. ``weights`` are (rho, w): the
    within-project correlation and the programme schedule weight; ``factors`` (z_g, z_p).
    """
    cs = u.construction_start
    if u.status == "operating":
        s0 = np.full(n, date_to_s(cs.date))
        c0 = np.full(n, date_to_s(u.commercial_operation.date))
        return s0, np.full(n, date_to_s(u.grid_connection.date)), c0
    rho, w = weights
    z_g, z_p = factors
    klass = prog.classes[u.klass]
    f = adj.factor(u.id)
    waiting = u.status in ("planned", "contracted")
    if cs.date is not None:
        start = np.full(n, date_to_s(cs.date))
    elif cs.kind == "triangular":
        tri = Sampler("triangular", _d(cs.low), _d(cs.mode), _d(cs.high))
        start = tri.ppf(u_start)
    else:
        delay = samplers[cs.delay]  # type: ignore[index]
        ref_unit = cs.after_unit
        if ref_unit is not None:
            ref = planned_start[ref_unit]
            lo = np.zeros(n)
        else:
            ref = np.full(n, _d(cs.after_date))
            lo = np.maximum(t_status - ref, 0.0) if waiting else np.zeros(n)
        f_lo = np.where(lo > 0, delay.cdf(lo), 0.0)
        start = ref + f * delay.ppf(f_lo + (1.0 - f_lo) * _common(z_g, u_start, w))
        if waiting:
            start = np.maximum(start, t_status)
        start = np.where(ref >= 0.5 * NEVER, NEVER, start)
    # a start inside a suspension waits for its end; time stopped before the status date
    stopped = np.zeros(n)
    for ev in events:
        end = ev.start + ev.duration
        start = np.where((start >= ev.start) & (start < end), end, start)
        stopped += np.maximum(np.minimum(end, t_status) - np.maximum(ev.start, start), 0.0)
    duration = samplers[klass.construction_duration]
    rho_eff = max(rho, w)
    z = math.sqrt(w) * z_g + math.sqrt(rho_eff - w) * z_p + math.sqrt(1.0 - rho_eff) * eps
    elapsed = t_status - start - stopped
    f_lo = np.where(elapsed > 0, duration.cdf(elapsed), 0.0)
    t_c = duration.ppf(f_lo + (1.0 - f_lo) * special.ndtr(z))
    if f != 1.0:
        plan = klass.planned_duration.si
        t_c = np.where(t_c > plan, plan + f * (t_c - plan), t_c)
    t_c = np.maximum(t_c, elapsed + _DAY)
    comm = start + t_c
    for ev in events:
        hit = (start <= ev.start) & (ev.start < comm)
        comm = comm + np.where(hit, ev.duration, 0.0)
    lag = samplers[klass.grid_to_commercial].ppf(u_lag)
    grid = np.maximum(np.maximum(comm - lag, start), np.minimum(t_status, comm))
    return start, grid, comm


def _d(d: date | None) -> float:
    assert d is not None
    return date_to_s(d)


def _outage_time(t: np.ndarray, c: np.ndarray, interval: float, outage: float) -> np.ndarray:
    """Refuelling-outage time between commercial operation c and t [s].

    Each cycle of length I ends with an outage of length D: O(t) = n D + max(rem - (I - D), 0),
    n = floor(tau / I), rem = tau - n I, tau = max(t - c, 0).
    """
    tau = np.maximum(t - c, 0.0)
    cycles = np.floor(tau / interval)
    rem = tau - cycles * interval
    return cycles * outage + np.maximum(rem - (interval - outage), 0.0)


def _energy(
    p_net: float,
    grid: np.ndarray,
    comm: np.ndarray,
    retire: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    mid: np.ndarray,
    *,
    cf_comm: float,
    ramp: np.ndarray,
    avail: Sampler,
    u_avail: np.ndarray,
    interval: float,
    outage: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Capacity-time [W s] and net energy [J] of one unit per sample and year, equation (4).

    Only the unit-years in operation are evaluated in full (availability, ramp-up and outages);
    ``u_avail`` holds the uniform draws of every unit-year, so the draws do not depend on which
    years are evaluated.
    """
    g, c, r = grid[:, None], comm[:, None], retire[:, None]
    tau_c = np.maximum(np.minimum(b, c) - np.maximum(a, g), 0.0)
    lo = np.maximum(a, c)
    hi = np.minimum(b, r)
    tau_o = np.maximum(hi - lo, 0.0)
    e = p_net * cf_comm * tau_c
    on = tau_o > 0
    if on.any():
        rows, cols = np.nonzero(on)
        cc = comm[rows]
        t_lo, t_hi = lo[rows, cols], hi[rows, cols]
        tau_r = _outage_time(t_hi, cc, interval, outage) - _outage_time(t_lo, cc, interval, outage)
        k = np.clip(np.floor((mid[cols] - cc) / YEAR), 0, ramp.size).astype(np.int64)
        ramp_k = np.append(ramp, 1.0)[k]
        e[rows, cols] += (
            p_net * avail.ppf(u_avail[rows, cols]) * ramp_k * (tau_o[rows, cols] - tau_r)
        )
    return p_net * (tau_c + tau_o), e
