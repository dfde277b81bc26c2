"""Distributions and samplers: the properties each promises, and the same points for one seed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from study_helpers import SMALL_GRID, write_study

from nppsim.studies import load_study
from nppsim.studies.distributions import make_distribution
from nppsim.studies.samplers import sample
from nppsim.studies.schema import Parameter

U = np.linspace(0.0, 1.0, 100_001)


def dist(**kw):
    return make_distribution(Parameter(name="x", design="a.b", **kw))


def test_uniform_and_triangular_inverse_cdfs():
    d = dist(distribution="uniform", low=2.0, high=6.0)
    assert d.ppf(np.array([0.0, 0.25, 1.0])).tolist() == [2.0, 3.0, 6.0]
    t = dist(distribution="triangular", low=0.0, mode=1.0, high=4.0)
    x = t.ppf(U)
    # mean of a triangular distribution: (a + b + c) / 3
    assert x.mean() == pytest.approx(5.0 / 3.0, rel=1e-3)
    assert x.min() == 0.0 and x.max() == 4.0


def test_normal_truncated_and_lognormal():
    n = dist(distribution="normal", mean=10.0, std=2.0)
    assert n.ppf(np.array([0.5]))[0] == pytest.approx(10.0)
    assert n.ppf(np.array([stats.norm.cdf(1.0)]))[0] == pytest.approx(12.0)
    assert np.isfinite(n.ppf(np.array([0.0, 1.0]))).all()  # no infinite value at the ends
    tr = dist(distribution="normal", mean=10.0, std=2.0, low=9.0, high=15.0)
    x = tr.ppf(U)
    assert x.min() == pytest.approx(9.0) and x.max() == pytest.approx(15.0)
    # mean of the truncated normal (scipy's truncnorm as the reference)
    ref = stats.truncnorm((9.0 - 10.0) / 2.0, (15.0 - 10.0) / 2.0, loc=10.0, scale=2.0).mean()
    assert x.mean() == pytest.approx(ref, rel=1e-4)
    ln = dist(distribution="lognormal", median=3.0, sigma=0.2)
    assert ln.ppf(np.array([0.5]))[0] == pytest.approx(3.0)
    assert np.log(ln.ppf(U[1:-1])).std() == pytest.approx(0.2, rel=2e-2)


@given(
    st.lists(st.floats(0.1, 10.0), min_size=1, max_size=6),
    st.floats(0.0, 1.0),
)
@settings(max_examples=50, deadline=None)
def test_discrete_inverse_cdf_is_a_step_function(weights, u):
    values = [float(i) for i in range(len(weights))]
    d = dist(values=values, weights=weights)
    cum = np.cumsum(weights) / sum(weights)
    x = d.ppf(np.array([u]))[0]
    k = int(x)
    # value k is drawn for u in [cum[k-1], cum[k])
    assert (0.0 if k == 0 else cum[k - 1]) <= u + 1e-12
    assert u < cum[k] + 1e-12 or k == len(values) - 1


def test_discrete_frequencies_follow_weights():
    d = dist(values=[1.0, 2.0, 3.0], weights=[1.0, 2.0, 1.0])
    x = d.ppf(np.random.default_rng(1).random(40_000))
    assert np.mean(x == 2.0) == pytest.approx(0.5, abs=0.01)


def _study(tmp_path, method: str, samples: int, seed: int = 7):
    text = SMALL_GRID.replace(
        'method = "grid"', f'method = "{method}"\nsamples = {samples}\nseed = {seed}'
    )
    text = text.replace(
        "values = [-3.0, -2.2]", 'distribution = "uniform"\nlow = -3.0\nhigh = -2.0'
    ).replace("values = [0.5, 0.65]", 'distribution = "uniform"\nlow = 0.5\nhigh = 0.7')
    return load_study(write_study(tmp_path, text, f"{method}-{samples}-{seed}.toml"))


def test_latin_hypercube_has_one_point_per_stratum(tmp_path):
    x = sample(_study(tmp_path, "latin-hypercube", 32))
    for j, (lo, hi) in enumerate([(-3.0, -2.0), (0.5, 0.7)]):
        strata = np.floor((x[:, j] - lo) / (hi - lo) * 32).astype(int)
        assert sorted(strata) == list(range(32))


def test_sobol_sequence_is_balanced(tmp_path):
    x = sample(_study(tmp_path, "sobol-sequence", 16))
    # a (t, m, s)-net in base 2: each half of each axis holds exactly half the points
    for j, (lo, hi) in enumerate([(-3.0, -2.0), (0.5, 0.7)]):
        assert np.sum(x[:, j] < (lo + hi) / 2) == 8


def test_salib_designs_have_their_sizes(tmp_path):
    assert sample(_study(tmp_path, "sobol", 8)).shape == (8 * (2 + 2), 2)
    assert sample(_study(tmp_path, "morris", 5)).shape == (5 * (2 + 1), 2)


@pytest.mark.parametrize("method", ["monte-carlo", "latin-hypercube", "sobol-sequence", "sobol"])
def test_same_seed_same_points_other_seed_other_points(tmp_path, method):
    a = sample(_study(tmp_path, method, 8, seed=7))
    b = sample(_study(tmp_path, method, 8, seed=7))
    c = sample(_study(tmp_path, method, 8, seed=8))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_monte_carlo_grows_by_appending(tmp_path):
    # the first n points of a larger Monte Carlo study are the n points of the smaller one, so
    # a study grown in the same folder reuses the runs it had
    a = sample(_study(tmp_path, "monte-carlo", 8))
    b = sample(_study(tmp_path, "monte-carlo", 16))
    assert np.array_equal(a, b[:8])


def test_morris_spans_open_tails_between_percentiles(tmp_path):
    text = SMALL_GRID.replace('method = "grid"', 'method = "morris"\nsamples = 4\nseed = 1')
    text = text.replace(
        "values = [-3.0, -2.2]", 'distribution = "normal"\nmean = -2.5\nstd = 0.2'
    ).replace("values = [0.5, 0.65]", 'distribution = "uniform"\nlow = 0.5\nhigh = 0.7')
    x = sample(load_study(write_study(tmp_path, text)))
    levels = np.arange(4) / 3  # the Morris grid of 4 levels on [0, 1]
    normal = stats.norm.ppf(0.005 + 0.99 * levels, -2.5, 0.2)
    assert np.isclose(x[:, 0][:, None], normal[None, :], rtol=1e-12).any(axis=1).all()
    assert np.isclose(x[:, 1][:, None], (0.5 + 0.2 * levels)[None, :]).any(axis=1).all()
