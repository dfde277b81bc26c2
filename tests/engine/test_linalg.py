"""The deterministic sparse LU of the integrator against numpy.linalg.solve."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.engine import _problems as P
from nppsim.engine._linalg import SparseLU


def _backward_error(m: np.ndarray, x: np.ndarray, b: np.ndarray) -> float:
    """Normwise backward error ||b - M x|| / (||M|| ||x|| + ||b||) (Higham 2002, §7.1)."""
    r = b - m @ x
    return float(
        np.linalg.norm(r, np.inf)
        / (np.linalg.norm(m, np.inf) * np.linalg.norm(x, np.inf) + np.linalg.norm(b, np.inf))
    )


@pytest.mark.parametrize("n", [1, 2, 7, 60, 200])
@pytest.mark.parametrize("ordering", ["markowitz", "natural"])
def test_random_dense_matches_numpy(n: int, ordering: str) -> None:
    rng = np.random.default_rng(n)
    m = rng.normal(size=(n, n))
    b = rng.normal(size=n)
    lu = SparseLU(m, ordering)
    x = lu.solve(b)
    x_ref = np.linalg.solve(m, b)
    # a backward-stable solve: backward error of a few n eps, forward error within cond * that
    assert _backward_error(m, x, b) < 10 * n * np.finfo(float).eps
    cond = np.linalg.cond(m, np.inf)
    assert np.max(np.abs(x - x_ref)) <= 20 * n * cond * np.finfo(float).eps * np.max(np.abs(x_ref))


def test_random_sparse_needing_row_exchanges() -> None:
    rng = np.random.default_rng(3)
    n = 80
    for _ in range(5):
        m = rng.normal(size=(n, n)) * (rng.random((n, n)) < 0.08)
        m[np.diag_indices(n)] = 1e-6 * rng.normal(size=n)  # tiny diagonal: pivots must move
        m += np.diag(np.where(rng.random(n) < 0.5, 1.0, 0.0))
        if abs(np.linalg.det(m)) < 1e-300 or np.linalg.cond(m) > 1e12:
            continue
        b = rng.normal(size=n)
        x = SparseLU(m).solve(b)
        assert _backward_error(m, x, b) < 1e-13
        np.testing.assert_allclose(x, np.linalg.solve(m, b), rtol=1e-8, atol=1e-10)


def test_zero_diagonal_is_pivoted() -> None:
    m = np.array([[0.0, 2.0, 1.0], [1.0, 0.0, 3.0], [4.0, 1.0, 0.0]])
    b = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(SparseLU(m).solve(b), np.linalg.solve(m, b), rtol=1e-14)


def test_singular_is_reported() -> None:
    assert SparseLU(np.zeros((3, 3))).info == 1
    lu = SparseLU(np.array([[1.0, 2.0], [2.0, 4.0]]))
    assert lu.info == 2
    with pytest.raises(np.linalg.LinAlgError):
        lu.solve(np.ones(2))
    assert SparseLU(np.array([[np.inf, 0.0], [0.0, 1.0]])).info != 0


def _plant_matrix(c: float) -> np.ndarray:
    n = P.PLANT_N
    jac = np.zeros((n, n))
    P.plant_jac(
        0.0, P.plant_steady_state(), np.zeros(1), np.zeros(1, np.int64), P.plant_discrete(), jac
    )
    return np.eye(n) - c * jac


@pytest.mark.parametrize("c", [1e-3, 0.1, 10.0])
def test_plant_structure_factors_without_fill(c: float) -> None:
    """I - c J of the 190-state plant-like problem (94 decay-heat states in a diagonal block
    coupled to the power and the fuel rows): the factors have hardly more entries than M (fill-in
    under 10 %), so the work is about nnz(M), far below n^3/3."""
    m = _plant_matrix(c)
    lu = SparseLU(m)
    nnz_offdiag = np.count_nonzero(m) - m.shape[0]
    assert lu.nnz_factors <= 1.1 * nnz_offdiag
    assert lu.nnz_factors < 0.1 * m.shape[0] ** 2
    assert np.array_equal(lu._rperm, lu.order)  # threshold pivoting kept every diagonal pivot
    b = np.random.default_rng(1).normal(size=m.shape[0])
    x = lu.solve(b)
    assert _backward_error(m, x, b) < 1e-15
    np.testing.assert_allclose(x, np.linalg.solve(m, b), rtol=1e-9, atol=1e-12)


def test_natural_order_of_the_plant_is_worse_but_right() -> None:
    m = _plant_matrix(0.1)
    lu_nat = SparseLU(m, "natural")
    lu_mk = SparseLU(m, "markowitz")
    assert lu_nat.nnz_factors > lu_mk.nnz_factors
    b = np.ones(m.shape[0])
    np.testing.assert_allclose(lu_nat.solve(b), np.linalg.solve(m, b), rtol=1e-9, atol=1e-12)


def test_refactor_same_pattern_new_values() -> None:
    m1 = _plant_matrix(0.1)
    lu = SparseLU(m1)
    assert lu.reusable
    m2 = _plant_matrix(0.13)
    assert lu.refactor(m2) == 0
    b = np.linspace(-1.0, 1.0, m2.shape[0])
    np.testing.assert_allclose(lu.solve(b), np.linalg.solve(m2, b), rtol=1e-9, atol=1e-12)


def test_refactor_rejects_pivots_that_break_the_threshold() -> None:
    m = np.array([[1.0, 1.0], [0.05, 1.0]])
    lu = SparseLU(m)
    # row-scaled pivot test: |1e-3| / 1 < 0.1 * |1| / 1, so the old diagonal pivot is refused
    assert lu.refactor(np.array([[1e-3, 1.0], [1.0, 1.0]])) == -1
    assert lu.refactor(np.array([[2.0, 1.0], [0.1, 1.0]])) == 0
    np.testing.assert_allclose(
        lu.solve(np.array([1.0, 2.0])), np.linalg.solve([[2.0, 1.0], [0.1, 1.0]], [1.0, 2.0])
    )


def test_explicit_zero_keeps_its_fill_for_a_refactorization() -> None:
    # M[1, 0] is an explicit zero of the pattern: eliminating column 0 with its zero multiplier
    # must still put the fill-in (1, 2) into the factors' pattern, or a refactorization of a
    # matrix non-zero there would drop it and solve the wrong system
    m1 = np.array([[4.0, 0.0, 1.0], [0.0, 4.0, 0.0], [1.0, 0.0, 4.0]])
    m2 = np.array([[4.0, 0.0, 1.0], [2.0, 4.0, 0.0], [1.0, 0.0, 4.0]])
    pattern = m2 != 0.0
    lu = SparseLU(m1, "natural", pattern=pattern)
    assert lu.info == 0 and lu.reusable
    b = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(lu.solve(b), np.linalg.solve(m1, b), rtol=1e-14)
    assert lu.refactor(m2) == 0
    np.testing.assert_allclose(lu.solve(b), np.linalg.solve(m2, b), rtol=1e-14)


def test_refactor_keeps_pivots_within_the_looser_check() -> None:
    # a multiplier of 20 (scaled) passes the refactorization's check (u = 0.01) although a
    # fresh factorization (u = 0.1) would exchange the rows; the solution is still right
    lu = SparseLU(np.array([[1.0, 1.0], [0.05, 1.0]]))
    m = np.array([[0.05, 1.0], [1.0, 1.0]])
    assert lu.refactor(m) == 0
    b = np.array([1.0, 2.0])
    np.testing.assert_allclose(lu.solve(b), np.linalg.solve(m, b), rtol=1e-12)
