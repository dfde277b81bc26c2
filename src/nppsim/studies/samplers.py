"""Samplers: the points of a study, in the parameters' units, one row per run.

Every method but the grid draws points ``u`` in the unit hypercube [0, 1]^d, which each
parameter's distribution turns into values by its inverse CDF
(:mod:`nppsim.studies.distributions`):

* ``grid``: every combination of the parameters' levels (the first parameter varies slowest);
* ``monte-carlo``: independent uniform draws (NumPy's PCG64 generator, seeded);
* ``latin-hypercube``: ``scipy.stats.qmc.LatinHypercube`` (one point in each of n strata of
  every parameter);
* ``sobol-sequence``: a scrambled Sobol' sequence, ``scipy.stats.qmc.Sobol`` (2^m points);
* ``sobol``: Saltelli's design for Sobol' indices, ``SALib.sample.sobol`` (N (d + 2) points,
  N (2d + 2) with second-order indices), analysed by ``SALib.analyze.sobol``;
* ``morris``: Morris trajectories, ``SALib.sample.morris`` (r (d + 1) points on a grid of
  ``levels`` levels), analysed by ``SALib.analyze.morris``. A Morris grid spans [0, 1] exactly, so
  a distribution with an open tail (normal, lognormal without bounds) is spanned from its 0.5th to
  its 99.5th percentile.

The same file and seed give the same points on every machine (no global random state is used).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nppsim.studies.schema import Study

MORRIS_SPAN = (0.005, 0.995)


def salib_problem(names: list[str]) -> dict[str, object]:
    """The SALib problem of a study: its parameters on the unit interval."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def unit_points(
    method: str,
    samples: int,
    names: list[str],
    seed: int,
    *,
    second_order: bool = False,
    levels: int = 4,
) -> np.ndarray:
    """Points in [0, 1]^d of a sampler (not a grid), one row per run.

    Parameters
    ----------
    method : str
        ``monte-carlo``, ``latin-hypercube``, ``sobol-sequence``, ``sobol`` or ``morris``.
    samples : int
        Runs, or SALib's base number (``sobol``) or trajectories (``morris``).
    names : list of str
        The parameters (their number is the dimension).
    seed : int
        Seed of the sampler's own generator.
    second_order, levels
        ``sobol``: second-order indices too; ``morris``: grid levels.
    """
    d = len(names)
    if method == "monte-carlo":
        return np.random.default_rng(seed).random((samples, d))
    if method == "latin-hypercube":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d, rng=np.random.default_rng(seed)).random(samples)
    if method == "sobol-sequence":
        from scipy.stats import qmc

        m = samples.bit_length() - 1
        return qmc.Sobol(d, scramble=True, rng=np.random.default_rng(seed)).random_base2(m)
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(
            salib_problem(names), samples, calc_second_order=second_order, scramble=True, seed=seed
        )
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(salib_problem(names), samples, num_levels=levels, seed=seed)
    raise ValueError(f"no unit-hypercube points for method {method!r}")


def sample(study: Study) -> np.ndarray:
    """The study's points in the parameters' units: an array of shape (runs, parameters)."""
    s = study.spec.sampler
    if s.method == "grid":
        levels = [
            p.dist.grid_levels(raw.levels)
            for p, raw in zip(study.parameters, study.spec.parameters, strict=True)
        ]
        return np.array(list(itertools.product(*levels)), dtype=float).reshape(
            -1, len(study.parameters)
        )
    u = unit_points(
        s.method,
        int(s.samples or 0),
        study.names,
        int(s.seed or 0),
        second_order=s.second_order,
        levels=s.levels,
    )
    cols = []
    for j, p in enumerate(study.parameters):
        uj = u[:, j]
        if s.method == "morris" and not p.dist.bounded:
            uj = MORRIS_SPAN[0] + (MORRIS_SPAN[1] - MORRIS_SPAN[0]) * uj
        cols.append(p.dist.ppf(uj))
    return np.column_stack(cols) if cols else np.empty((len(u), 0))
