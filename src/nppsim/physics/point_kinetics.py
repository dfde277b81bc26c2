"""Point reactor kinetics: derivatives for the plant model and an accurate stand-alone solver.

All quantities are SI and reactivity is absolute (delta-k/k, never dollars). The plant model uses
the *normalized* form: the power ``n`` is relative to its initial value and each precursor
concentration ``c_i`` is relative to its equilibrium value at ``n = 1``:

.. math::

    \\frac{dn}{dt} = \\frac{(\\rho - \\beta) n + \\sum_i \\beta_i c_i}{\\Lambda} + S, \\qquad
    \\frac{dc_i}{dt} = \\lambda_i (n - c_i), \\qquad \\beta = \\sum_i \\beta_i .

With :math:`C_i = \\beta_i c_i / (\\lambda_i \\Lambda)` this is the textbook form
:math:`dn/dt = (\\rho-\\beta) n/\\Lambda + \\sum_i \\lambda_i C_i`,
:math:`dC_i/dt = \\beta_i n/\\Lambda - \\lambda_i C_i` (Keepin 1965).

The solver (:func:`solve`, :func:`find_first_peak`) covers the validation problem class: critical
equilibrium at ``t = 0`` (``n = c_i = 1``), then a reactivity :class:`Step`, :class:`Ramp`,
:class:`Sine` (or any vectorized callable), optionally with adiabatic feedback
:math:`\\rho(t) - B \\int_0^t n\\,dt'`. It uses

* for a step without feedback, the exact solution: the roots :math:`s_k` of the inhour equation and
  their residues (no time stepping, no truncation error);
* otherwise, adaptive Radau IIA collocation (``stages`` nodes, order ``2 stages - 1``, L-stable and
  stiffly accurate, so the prompt mode at :math:`\\Lambda = 10^{-8}` s is no difficulty), written
  for the mass-matrix form :math:`\\Lambda\\, dn/dt = (\\rho-\\beta)n + \\sum \\beta_i c_i`, which
  keeps the stage equations well scaled (they are also equilibrated, rows and columns, before
  each LU solve). The local error is estimated by the ``stages - 1`` collocation solution over
  the same step (local extrapolation: the higher-order solution is kept), and the steps land
  exactly on the requested times. Without feedback the equations are linear and homogeneous, so the
  state is renormalized after each step and the scale kept as a logarithm: ``n`` may grow to 1e89
  (or overflow to ``inf``) without harm to the arithmetic.

References
----------
* G. R. Keepin, *Physics of Nuclear Kinetics*, Addison-Wesley (1965), ch. 7 (inhour equation).
* B. D. Ganapol, A highly accurate algorithm for the solution of the point kinetics equations,
  Ann. Nucl. Energy 62 (2013) 564-571, doi:10.1016/j.anucene.2013.06.029.
* M. Kinard, E. J. Allen, Efficient numerical solution of the point kinetics equations in nuclear
  reactor dynamics, Ann. Nucl. Energy 31 (2004) 1039-1051, doi:10.1016/j.anucene.2003.12.008.
* E. Hairer, G. Wanner, *Solving Ordinary Differential Equations II*, 2nd ed., Springer (1996),
  §IV.5 and §IV.8 (Radau IIA collocation, stiff accuracy).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from nppsim._jit import njit
from nppsim.errors import SolverError

__all__ = [
    "KineticsSolution",
    "Ramp",
    "Sine",
    "Step",
    "derivatives_normalized",
    "find_first_peak",
    "inhour_roots",
    "jacobian_normalized",
    "solve",
]

FloatArray = NDArray[np.float64]

_EPS = float(np.finfo(float).eps)
_LOG_MAX = math.log(float(np.finfo(float).max))
_RTOL_ROOT = 4.0 * _EPS  # the smallest relative tolerance brentq accepts


# --------------------------------------------------------------------------------------------------
# Derivatives of the normalized equations (used by the plant model)
# --------------------------------------------------------------------------------------------------


def derivatives_normalized(
    n: float,
    c: ArrayLike,
    rho: float,
    beta: ArrayLike,
    decay_constants: ArrayLike,
    generation_time: float,
    source: float = 0.0,
) -> tuple[float, FloatArray]:
    """Time derivatives of the normalized point-kinetics state.

    .. math::

        \\frac{dn}{dt} = \\frac{(\\rho - \\beta) n + \\sum_i \\beta_i c_i}{\\Lambda} + S, \\qquad
        \\frac{dc_i}{dt} = \\lambda_i (n - c_i)

    Parameters
    ----------
    n : float
        Power (neutron population) relative to its reference value [1].
    c : array_like, shape (G,)
        Precursor concentrations relative to their equilibrium at ``n = 1`` [1].
    rho : float
        Reactivity, absolute [1] (delta-k/k).
    beta : array_like, shape (G,)
        Delayed-neutron fractions per group :math:`\\beta_i` [1]; :math:`\\beta = \\sum \\beta_i`.
    decay_constants : array_like, shape (G,)
        Precursor decay constants :math:`\\lambda_i` [1/s].
    generation_time : float
        Prompt-neutron generation time :math:`\\Lambda` [s].
    source : float, optional
        External source :math:`S` in units of the normalized power per second [1/s].

    Returns
    -------
    (float, ndarray)
        ``dn/dt`` [1/s] and ``dc/dt`` [1/s], shape (G,).

    References
    ----------
    Keepin (1965), ch. 7; see the module docstring.
    """
    c = np.asarray(c, dtype=float)
    dc = np.empty_like(c)
    dn = kinetics_rates(
        float(n),
        c,
        float(rho),
        np.asarray(beta, dtype=float),
        np.asarray(decay_constants, dtype=float),
        float(generation_time),
        float(source),
        dc,
    )
    return float(dn), dc


@njit
def kinetics_rates(n, c, rho, beta, lam, generation_time, source, dc):
    """Compiled form of :func:`derivatives_normalized`: returns ``dn/dt`` [1/s] and writes
    ``dc/dt`` [1/s] into ``dc``.

    .. math::

        \frac{dn}{dt} = \frac{(\rho - \beta) n + \\sum_i \beta_i c_i}{\\Lambda} + S, \\qquad
        \frac{dc_i}{dt} = \\lambda_i (n - c_i)

    Parameters as :func:`derivatives_normalized` (``c``, ``beta``, ``lam``: arrays of the G
    groups; ``dc``: output array of G).
    """
    s = 0.0
    beta_sum = 0.0
    for i in range(c.shape[0]):
        s += beta[i] * c[i]
        beta_sum += beta[i]
        dc[i] = lam[i] * (n - c[i])
    return ((rho - beta_sum) * n + s) / generation_time + source


def jacobian_normalized(
    rho: float, beta: ArrayLike, decay_constants: ArrayLike, generation_time: float
) -> FloatArray:
    """Jacobian of :func:`derivatives_normalized` with respect to the state ``(n, c_1..c_G)``.

    The matrix has the arrow structure

    .. math::

        J = \\begin{pmatrix} (\\rho-\\beta)/\\Lambda & \\beta_1/\\Lambda & \\cdots \\\\
            \\lambda_1 & -\\lambda_1 & \\\\ \\vdots & & \\ddots \\end{pmatrix}

    (for a reactivity that depends on the state, add :math:`n\\,\\partial\\rho/\\partial y /
    \\Lambda` to the first row).

    Parameters
    ----------
    rho : float
        Reactivity, absolute [1].
    beta : array_like, shape (G,)
        Delayed-neutron fractions [1].
    decay_constants : array_like, shape (G,)
        Decay constants [1/s].
    generation_time : float
        Prompt-neutron generation time [s].

    Returns
    -------
    ndarray, shape (G+1, G+1)
        :math:`\\partial (dn/dt, dc/dt) / \\partial (n, c)` [1/s].
    """
    beta_i = np.asarray(beta, dtype=float)
    lam = np.asarray(decay_constants, dtype=float)
    g = beta_i.size
    jac = np.zeros((g + 1, g + 1))
    jac[0, 0] = (rho - beta_i.sum()) / generation_time
    jac[0, 1:] = beta_i / generation_time
    jac[1:, 0] = lam
    jac[1:, 1:] = np.diag(-lam)
    return jac


# --------------------------------------------------------------------------------------------------
# Reactivity descriptions
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """Reactivity step at ``t = 0``: :math:`\\rho(t) = \\rho_0` for ``t >= 0``.

    Parameters
    ----------
    rho : float
        Inserted reactivity, absolute [1].
    """

    rho: float

    def __call__(self, t: ArrayLike) -> FloatArray:
        return np.full(np.shape(t), float(self.rho))


@dataclass(frozen=True)
class Ramp:
    """Reactivity ramp from zero: :math:`\\rho(t) = r t`.

    Parameters
    ----------
    rate : float
        Ramp rate :math:`r` [1/s], absolute reactivity per second.
    """

    rate: float

    def __call__(self, t: ArrayLike) -> FloatArray:
        return float(self.rate) * np.asarray(t, dtype=float)


@dataclass(frozen=True)
class Sine:
    """Sinusoidal reactivity: :math:`\\rho(t) = a \\sin(\\pi t / T)`.

    Parameters
    ----------
    amplitude : float
        Amplitude :math:`a`, absolute reactivity [1].
    half_period : float
        Half period :math:`T` [s] (the reactivity is positive on ``0 < t < T``).
    """

    amplitude: float
    half_period: float

    def __call__(self, t: ArrayLike) -> FloatArray:
        return float(self.amplitude) * np.sin(np.pi * np.asarray(t, dtype=float) / self.half_period)


ReactivityLike = Step | Ramp | Sine | Callable[[FloatArray], ArrayLike]


# --------------------------------------------------------------------------------------------------
# Exact solution for a step without feedback (inhour equation)
# --------------------------------------------------------------------------------------------------


def _merge_groups(beta: FloatArray, lam: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sort groups by decay constant and merge groups with equal decay constants (exactly)."""
    order = np.argsort(lam, kind="stable")
    lam_s, beta_s = lam[order], beta[order]
    lam_u, inverse = np.unique(lam_s, return_inverse=True)
    beta_u = np.zeros_like(lam_u)
    np.add.at(beta_u, inverse, beta_s)
    return beta_u, lam_u


def inhour_roots(
    rho: float, beta: ArrayLike, decay_constants: ArrayLike, generation_time: float
) -> tuple[FloatArray, FloatArray]:
    """Roots of the inhour equation and the residues of the power response to a step.

    For a step :math:`\\rho` from critical equilibrium, the Laplace transform of the normalized
    power is :math:`N(s) = P(s) / (F(s) - \\rho)` with

    .. math::

        F(s) = s\\Lambda + \\sum_i \\frac{\\beta_i s}{s + \\lambda_i}, \\qquad
        P(s) = \\Lambda + \\sum_i \\frac{\\beta_i}{s + \\lambda_i},

    so :math:`n(t) = \\sum_k a_k e^{s_k t}` with :math:`F(s_k) = \\rho` (the inhour equation) and
    :math:`a_k = P(s_k)/F'(s_k)`. :math:`F` increases between its poles :math:`-\\lambda_i`, so the
    ``G+1`` roots (fewer when groups share a decay constant: those are merged first) are real and
    separated by the poles; each is found by bracketed root finding to
    machine precision.

    Parameters
    ----------
    rho : float
        Step reactivity, absolute [1].
    beta : array_like, shape (G,)
        Delayed-neutron fractions [1].
    decay_constants : array_like, shape (G,)
        Decay constants [1/s] (groups with equal constants are merged).
    generation_time : float
        Prompt-neutron generation time [s].

    Returns
    -------
    (ndarray, ndarray)
        Roots :math:`s_k` [1/s] in decreasing order (the first is the asymptotic inverse period) and
        residues :math:`a_k` [1] (they sum to 1).

    References
    ----------
    Keepin (1965), §7.1.
    """
    beta_u, lam_u = _merge_groups(
        np.asarray(beta, dtype=float), np.asarray(decay_constants, dtype=float)
    )
    lam_gen = float(generation_time)
    rho = float(rho)

    def f_minus_rho(s: float) -> float:
        return s * lam_gen + float(np.sum(beta_u * s / (s + lam_u))) - rho

    def cleared(s: float, poles: tuple[float, ...]) -> float:
        # (F(s) - rho) times (s + lambda) for the poles bounding the interval: finite at the ends.
        val = s * lam_gen - rho
        total = 0.0
        for b, lam_i in zip(beta_u, lam_u, strict=True):
            if lam_i in poles:
                continue
            total += b * s / (s + lam_i)
        val += total
        prod = 1.0
        for p in poles:
            prod *= s + p
        extra = 0.0
        for b, lam_i in zip(beta_u, lam_u, strict=True):
            if lam_i in poles:
                rest = 1.0
                for p in poles:
                    if p != lam_i:
                        rest *= s + p
                extra += b * s * rest
        return val * prod + extra

    roots: list[float] = []
    # Largest root: in (-lambda_min, inf).
    lo = -lam_u[0]
    hi = max(abs(rho) / lam_gen, 1.0)
    while f_minus_rho(hi) <= 0.0:
        hi *= 2.0
    roots.append(
        brentq(lambda s: cleared(s, (lam_u[0],)), lo, hi, xtol=1e-300, rtol=_RTOL_ROOT, maxiter=500)
    )
    # One root between each pair of consecutive poles.
    for k in range(lam_u.size - 1):
        a, b = -lam_u[k + 1], -lam_u[k]
        poles = (lam_u[k + 1], lam_u[k])
        roots.append(
            brentq(
                lambda s, p=poles: cleared(s, p), a, b, xtol=1e-300, rtol=_RTOL_ROOT, maxiter=500
            )
        )
    # Most negative root (prompt mode): in (-inf, -lambda_max).
    hi = -lam_u[-1]
    lo = hi - max(abs(rho), float(beta_u.sum())) / lam_gen - 1.0
    while f_minus_rho(lo) >= 0.0:
        lo = hi + 2.0 * (lo - hi)
    roots.append(
        brentq(
            lambda s: cleared(s, (lam_u[-1],)), lo, hi, xtol=1e-300, rtol=_RTOL_ROOT, maxiter=500
        )
    )
    s = np.array(roots)
    p = lam_gen + np.sum(beta_u[None, :] / (s[:, None] + lam_u[None, :]), axis=1)
    dfds = lam_gen + np.sum(
        beta_u[None, :] * lam_u[None, :] / (s[:, None] + lam_u[None, :]) ** 2, axis=1
    )
    return s, p / dfds


def _exact_step(
    rho: float,
    beta: FloatArray,
    lam: FloatArray,
    generation_time: float,
    times: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """n, c (G, T) and integral of n at ``times`` for a step without feedback (exact)."""
    s, a = inhour_roots(rho, beta, lam, generation_time)
    t = times[None, :]
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(s[:, None] * t)  # (K, T)
        n = a @ e
        # eigenvector of mode k: c_i = lambda_i / (s_k + lambda_i) n
        w = lam[:, None] / (s[None, :] + lam[:, None])  # (G, K)
        c = (w * a[None, :]) @ e
        # integral of exp(s t) = expm1(s t)/s (t for s == 0)
        safe = np.where(s == 0.0, 1.0, s)
        integ = np.where(s[:, None] == 0.0, t, np.expm1(s[:, None] * t) / safe[:, None])
        integral = a @ integ
    at_zero = times == 0.0  # the initial state exactly (the residues sum to 1 only to rounding)
    n[at_zero], c[:, at_zero], integral[at_zero] = 1.0, 1.0, 0.0
    return n, c, integral


# --------------------------------------------------------------------------------------------------
# Radau IIA collocation
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _radau_tableau(m: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Nodes ``c``, coefficients ``A`` and ``A^-1`` of the m-stage Radau IIA method."""
    if m == 1:
        return np.array([1.0]), np.array([[1.0]]), np.array([[1.0]])
    # Nodes: zeros of P_m(2x-1) - P_{m-1}(2x-1) on [0, 1] (right Radau points, c_m = 1).
    coef = np.zeros(m + 1)
    coef[m], coef[m - 1] = 1.0, -1.0
    x = np.sort(np.polynomial.legendre.legroots(coef).real)
    # polish with Newton on the Legendre series
    der = np.polynomial.legendre.legder(coef)
    for _ in range(3):
        x = x - np.polynomial.legendre.legval(x, coef) / np.polynomial.legendre.legval(x, der)
    c = (x + 1.0) / 2.0
    c[-1] = 1.0
    # A = C V^-1 with V[k, q] = c_k^q, C[j, q] = c_j^(q+1)/(q+1): collocation conditions C(m).
    q = np.arange(m)
    v = c[:, None] ** q[None, :]
    cmat = c[:, None] ** (q[None, :] + 1) / (q[None, :] + 1)
    a = np.linalg.solve(v.T, cmat.T).T
    return c, a, np.linalg.inv(a)


class _Kinetics:
    """State ``y = (n, c_1..c_G, E)``, ``E = int n dt``, in mass-matrix form ``M y' = g(t, y)``."""

    def __init__(
        self,
        beta: FloatArray,
        lam: FloatArray,
        generation_time: float,
        reactivity: Callable[[FloatArray], ArrayLike],
        feedback: float,
    ) -> None:
        self.beta = beta
        self.lam = lam
        self.beta_tot = float(beta.sum())
        self.gen = float(generation_time)
        self.rho = reactivity
        self.fb = float(feedback)
        self.linear = self.fb == 0.0
        g = beta.size
        self.d = g + 2
        self.mass = np.ones(self.d)
        self.mass[0] = self.gen
        jac = np.zeros((self.d, self.d))
        jac[0, 1 : g + 1] = beta
        jac[1 : g + 1, 0] = lam
        jac[np.arange(1, g + 1), np.arange(1, g + 1)] = -lam
        jac[g + 1, 0] = 1.0
        self.jac_const = jac

    def rho_at(self, t: FloatArray) -> FloatArray:
        return np.broadcast_to(np.asarray(self.rho(t), dtype=float), t.shape)

    def rhs(self, rho_ext: FloatArray, y: FloatArray) -> FloatArray:
        """g(t, Y) for stage values ``y`` (m, d) and external reactivity ``rho_ext`` (m,)."""
        n = y[:, 0]
        rho = rho_ext - self.fb * y[:, -1]
        out = y @ self.jac_const.T
        out[:, 0] += (rho - self.beta_tot) * n
        return out

    def jacobians(self, rho_ext: FloatArray, y: FloatArray | None) -> FloatArray:
        """dg/dy at each stage, shape (m, d, d); ``y`` may be None for a linear model."""
        m = rho_ext.size
        jst = np.broadcast_to(self.jac_const, (m, self.d, self.d)).copy()
        if y is None:
            jst[:, 0, 0] = rho_ext - self.beta_tot
            return jst
        jst[:, 0, 0] = rho_ext - self.fb * y[:, -1] - self.beta_tot
        jst[:, 0, -1] = -self.fb * y[:, 0]
        return jst


def _lagrange_matrix(nodes: FloatArray, theta: FloatArray) -> FloatArray:
    """W with ``p(theta_i) = sum_k W[i, k] p(nodes_k)`` for polynomials of degree < len(nodes)."""
    diff = theta[:, None] - nodes[None, :]  # (T, K)
    den = nodes[:, None] - nodes[None, :]  # (K, K)
    k = nodes.size
    eye = np.eye(k, dtype=bool)
    num = np.where(eye[None, :, :], 1.0, diff[:, None, :])  # (T, K, K): drop l == k
    return np.prod(num, axis=2) / np.prod(np.where(eye, 1.0, den), axis=1)[None, :]


class _Collocation:
    """Adaptive Radau IIA stepping for :class:`_Kinetics` (see the module docstring)."""

    def __init__(
        self, model: _Kinetics, stages: int, rtol: float, max_steps: int, weights: FloatArray
    ) -> None:
        if stages < 2:
            raise ValueError("stages must be >= 2 (the error estimate uses stages - 1)")
        if not 1e-14 <= rtol <= 1e-2:
            raise ValueError("rtol must be in [1e-14, 1e-2] (below, rounding stalls the steps)")
        self.model = model
        self.hi = _radau_tableau(stages)
        self.lo = _radau_tableau(stages - 1)
        self.nodes_hi = np.concatenate(([0.0], self.hi[0]))
        # the high-order collocation polynomial at the low-order nodes (Newton start, estimate)
        self.hi_to_lo = _lagrange_matrix(self.nodes_hi, self.lo[0])
        self.order_lo = 2 * (stages - 1) - 1
        self.rtol = rtol
        self.max_steps = max_steps
        self.weights = weights  # 1 where a component enters the error norm, else 0
        self.n_steps = 0
        self.n_rejected = 0
        self.overflowed = False

    def stage_solve(
        self,
        tableau: tuple[FloatArray, FloatArray, FloatArray],
        t0: float,
        y0: FloatArray,
        h: float,
        guess: FloatArray | None = None,
        newton_tol: float | None = None,
        one_iteration: bool = False,
    ) -> FloatArray | None:
        """Stage values Y (m, d) of one collocation step, or None if Newton fails.

        Solves :math:`(I \\otimes M)(Y - 1 \\otimes y_0) = h (A \\otimes I) g(t_0 + c h, Y)` by
        Newton's method with the exact Jacobian (one linear solve when the model is linear).
        ``one_iteration`` takes a single Newton step from ``guess`` (enough for the error estimate,
        whose guess is already close).
        """
        c, a, _ = tableau
        model = self.model
        m, d = c.size, model.d
        rho_ext = model.rho_at(t0 + c * h)
        mass = model.mass
        # Equilibration. The n rows have entries O(Lambda + h |rho - beta|), possibly far below the
        # O(1) entries of the precursor rows, and the integral E may exceed n by many orders of
        # magnitude; unscaled, partial pivoting mixes rows and the rounding of the large entries
        # swamps the small ones. Columns are scaled by the size of each unknown, rows by their
        # largest entry.
        col = np.abs(y0) if guess is None else np.max(np.abs(guess), axis=0)
        col = np.maximum(col, np.abs(y0))
        col[-1] = max(col[-1], h * abs(y0[0]))
        col = np.tile(np.maximum(col, 1e-300), m)
        if model.linear:
            # (I x M - h (A x J)) Y = 1 x M y0: one solve is exact
            kmat, row = self._matrix(a, model.jacobians(rho_ext, None), h, col)
            z = np.linalg.solve(kmat, np.tile(mass * y0, m) * row)
            return (z * col).reshape(m, d)
        if newton_tol is None:
            newton_tol = 1e-3 * self.rtol
        y = np.broadcast_to(y0, (m, d)).copy() if guess is None else guess.copy()
        prev = math.inf
        for _ in range(10):
            kmat, row = self._matrix(a, model.jacobians(rho_ext, y), h, col)
            res = (y - y0) * mass - h * (a @ model.rhs(rho_ext, y))
            dy = (np.linalg.solve(kmat, -res.ravel() * row) * col).reshape(m, d)
            y += dy
            if one_iteration:
                return y if np.all(np.isfinite(y)) else None
            size = float(np.max(np.abs(dy) / (np.abs(y) + 1e-300)))
            if not math.isfinite(size):
                return None
            # converged, or (quadratic convergence) the next increment is predicted below tolerance,
            # or stalled at rounding level
            if (
                size <= newton_tol
                or (prev < 1.0 and size**3 <= newton_tol * prev**2)
                or (size <= 1e-2 * self.rtol and size >= 0.5 * prev)
            ):
                return y
            prev = size
        return None

    def _matrix(
        self, a: FloatArray, jst: FloatArray, h: float, col: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Equilibrated Newton matrix diag(row) (I x M - h (A x J_k)) diag(col), and ``row``."""
        m, d = a.shape[0], self.model.d
        kmat = (-h * a[:, None, :, None] * jst.transpose(1, 0, 2)[None, :, :, :]).reshape(
            m * d, m * d
        )
        idx = np.arange(m * d)
        kmat[idx, idx] += np.tile(self.model.mass, m)
        kmat *= col[None, :]
        row = 1.0 / np.max(np.abs(kmat), axis=1)
        kmat *= row[:, None]
        return kmat, row

    @staticmethod
    def derivative(
        tableau: tuple[FloatArray, FloatArray, FloatArray], y0: FloatArray, y: FloatArray, h: float
    ) -> FloatArray:
        """dy/dt at the stage times from the collocation polynomial: A^-1 (Y - y0) / h."""
        return tableau[2] @ (y - y0) / h

    def step(
        self, t0: float, y0: FloatArray, h: float, guess: FloatArray | None
    ) -> tuple[FloatArray | None, float]:
        """One step: (stage values or None, scaled error estimate)."""
        y_hi = self.stage_solve(self.hi, t0, y0, h, guess)
        if y_hi is None:
            return None, math.inf
        y1 = y_hi[-1]
        start = self.hi_to_lo @ np.vstack((y0, y_hi))
        y_lo = self.stage_solve(self.lo, t0, y0, h, start, one_iteration=True)
        if y_lo is None:
            return None, math.inf
        scale = self.rtol * np.maximum(np.abs(y0), np.abs(y1)) + 1e-300
        err = float(np.max(self.weights * np.abs(y1 - y_lo[-1]) / scale))
        return (y_hi, err) if math.isfinite(err) else (None, math.inf)

    def integrate(
        self,
        y0: FloatArray,
        t_out: FloatArray,
        h0: float,
        on_step: Callable[[float, FloatArray, float, FloatArray, float], bool] | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Integrate from t = 0 through the sorted ``t_out``.

        Returns the states at ``t_out`` (scaled, shape (T, d)) and the log of the scale factor at
        each output time (0 for a nonlinear model). After each accepted step,
        ``on_step(t0, y0, h, stages, log_scale)`` gets the step start, its (scaled) state, the step
        size, the stage values and the log of the scale factor; returning True stops the
        integration.
        """
        linear = self.model.linear
        order = self.order_lo + 1
        y = y0.astype(float).copy()
        t = 0.0
        log_scale = 0.0
        out = np.empty((t_out.size, y.size))
        out_log = np.zeros(t_out.size)
        h = h0
        k = 0
        while k < t_out.size and t_out[k] <= 0.0:
            out[k] = y
            k += 1
        facmax = 5.0
        previous: tuple[float, FloatArray] | None = None  # (h, stages) of the last accepted step
        while k < t_out.size:
            target = t_out[k]
            remaining = target - t
            if remaining <= 1.1 * h:  # land on the output time (stretching the step by <= 10 %)
                h_try, hit = remaining, True
            elif remaining < 2.0 * h:  # two equal steps rather than one and a sliver
                h_try, hit = 0.5 * remaining, False
            else:
                h_try, hit = h, False
            if self.n_steps + self.n_rejected >= self.max_steps:
                raise SolverError(
                    f"point kinetics: more than {self.max_steps} steps before t = {target} s "
                    f"(reached t = {t:.6g} s)"
                )
            guess = None
            if previous is not None and not linear:
                # extrapolate the last collocation polynomial over the new step (Newton start)
                h_prev, stages_prev = previous
                theta = 1.0 + self.hi[0] * (h_try / h_prev)
                if theta[-1] <= 3.0:
                    guess = _lagrange_matrix(self.nodes_hi, theta) @ stages_prev
            stages, err = self.step(t, y, h_try, guess)
            if stages is None or err > 1.0:
                self.n_rejected += 1
                if stages is None:
                    h = 0.25 * h_try
                else:
                    h = h_try * max(0.1, 0.9 * err ** (-1.0 / order))
                facmax = 1.0
                if h < 1e-14 * max(1.0, t):
                    raise SolverError(f"point kinetics: step size underflow at t = {t:.6g} s")
                continue
            self.n_steps += 1
            fac = min(facmax, max(0.2, 0.9 * max(err, 1e-12) ** (-1.0 / order)))
            facmax = 5.0
            h_new = h_try * fac
            if on_step is not None and on_step(t, y, h_try, stages, log_scale):
                return out[:k], out_log[:k]
            previous = (h_try, np.vstack((y, stages)))
            t = target if hit else t + h_try
            y = stages[-1].copy()
            if linear:
                s = abs(y[0])
                if s > 0.0 and math.isfinite(s):
                    y /= s
                    log_scale += math.log(s)
                if log_scale > _LOG_MAX:
                    # n is beyond float64 from here on: the outputs left are inf, stop
                    self.overflowed = True
                    out[k:] = y
                    out_log[k:] = log_scale
                    return out, out_log
            if hit:
                while k < t_out.size and t_out[k] <= t:
                    out[k] = y
                    out_log[k] = log_scale
                    k += 1
                # keep the natural step size, not the one shortened to land on the output time
                h = max(h, h_new) if h_try < h else h_new
            else:
                h = h_new
        return out, out_log


@dataclass(frozen=True)
class KineticsSolution:
    """Result of :func:`solve`.

    Attributes
    ----------
    t : ndarray, shape (T,)
        Output times [s], as requested.
    n : ndarray, shape (T,)
        Normalized power n(t) [1]. Without feedback, once n passes the float64 range the
        integration stops and n (with c and the integral) is ``inf`` at all later times.
    c : ndarray, shape (G, T)
        Normalized precursor concentrations [1] (groups as given).
    integral_n : ndarray, shape (T,)
        :math:`\\int_0^t n\\,dt'` [s].
    method : str
        ``"exact"`` (inhour roots) or ``"radau"`` (adaptive collocation).
    n_steps : int
        Accepted collocation steps (0 for the exact method).
    """

    t: FloatArray
    n: FloatArray
    c: FloatArray
    integral_n: FloatArray
    method: str
    n_steps: int


def _check_inputs(
    beta: ArrayLike, decay_constants: ArrayLike, generation_time: float
) -> tuple[FloatArray, FloatArray, float]:
    beta_i = np.atleast_1d(np.asarray(beta, dtype=float))
    lam = np.atleast_1d(np.asarray(decay_constants, dtype=float))
    if beta_i.ndim != 1 or beta_i.shape != lam.shape or beta_i.size == 0:
        raise ValueError("beta and decay_constants must be 1-D arrays of the same, non-zero length")
    if np.any(beta_i <= 0.0) or np.any(lam <= 0.0) or not np.all(np.isfinite(beta_i + lam)):
        raise ValueError("beta_i and lambda_i must be positive and finite")
    if not (generation_time > 0.0 and math.isfinite(generation_time)):
        raise ValueError("generation_time must be positive and finite")
    return beta_i, lam, float(generation_time)


def _as_callable(reactivity: ReactivityLike) -> Callable[[FloatArray], ArrayLike]:
    if not callable(reactivity):
        raise TypeError("reactivity must be Step, Ramp, Sine or a vectorized callable rho(t)")
    return reactivity


def solve(
    beta: ArrayLike,
    decay_constants: ArrayLike,
    generation_time: float,
    reactivity: ReactivityLike,
    times: ArrayLike,
    adiabatic_coefficient: float = 0.0,
    *,
    rtol: float = 1e-10,
    stages: int = 7,
    method: str = "auto",
    max_steps: int = 200_000,
) -> KineticsSolution:
    """Solve the point-kinetics equations from critical equilibrium.

    .. math::

        \\Lambda \\frac{dn}{dt} = (\\rho(t) - B E - \\beta) n + \\sum_i \\beta_i c_i, \\quad
        \\frac{dc_i}{dt} = \\lambda_i (n - c_i), \\quad \\frac{dE}{dt} = n,

    with :math:`n(0) = c_i(0) = 1`, :math:`E(0) = 0`.

    Parameters
    ----------
    beta : array_like, shape (G,)
        Delayed-neutron fractions :math:`\\beta_i` [1], any number of groups (1 to 8 validated).
    decay_constants : array_like, shape (G,)
        Decay constants :math:`\\lambda_i` [1/s].
    generation_time : float
        Prompt-neutron generation time :math:`\\Lambda` [s] (down to 1e-8 s and below).
    reactivity : Step, Ramp, Sine or callable
        External reactivity :math:`\\rho(t)`, absolute [1]. A callable must accept an array of times
        [s] and return an array of the same shape.
    times : array_like
        Output times [s], ``>= 0``, any order.
    adiabatic_coefficient : float, optional
        :math:`B` [1/s]: the reactivity becomes :math:`\\rho(t) - B \\int_0^t n\\,dt'`. Default 0.
    rtol : float, optional
        Local relative error tolerance of the collocation steps, 1e-14 to 1e-2 (default 1e-10: the
        global relative error on the validation cases and on random cases of the same kinds is
        then below about 1e-9).
    stages : int, optional
        Radau IIA stages (order ``2 stages - 1``); default 7.
    method : {"auto", "exact", "radau"}, optional
        ``"auto"`` uses the exact inhour solution for a :class:`Step` without feedback, otherwise
        Radau collocation.
    max_steps : int, optional
        Upper bound on collocation steps (raises :class:`~nppsim.errors.SolverError`).

    Returns
    -------
    KineticsSolution

    References
    ----------
    Ganapol (2013); Kinard & Allen (2004); Keepin (1965); Hairer & Wanner (1996). See the module
    docstring.
    """
    beta_i, lam, gen = _check_inputs(beta, decay_constants, generation_time)
    rho_fn = _as_callable(reactivity)
    t_req = np.atleast_1d(np.asarray(times, dtype=float))
    if t_req.ndim != 1 or np.any(t_req < 0.0) or not np.all(np.isfinite(t_req)):
        raise ValueError("times must be a 1-D array of finite values >= 0")
    order = np.argsort(t_req, kind="stable")
    t_sorted = t_req[order]
    exact_ok = isinstance(reactivity, Step) and adiabatic_coefficient == 0.0
    if method not in ("auto", "exact", "radau"):
        raise ValueError("method must be 'auto', 'exact' or 'radau'")
    if method == "exact" and not exact_ok:
        raise ValueError("the exact method needs a Step reactivity and no feedback")
    g = beta_i.size
    if method != "radau" and exact_ok:
        n_s, c_s, e_s = _exact_step(float(reactivity.rho), beta_i, lam, gen, t_sorted)
        used, n_steps = "exact", 0
    else:
        model = _Kinetics(beta_i, lam, gen, rho_fn, adiabatic_coefficient)
        weights = np.ones(model.d)
        if model.linear:
            weights[-1] = 0.0
        solver = _Collocation(model, stages, rtol, max_steps, weights)
        y0 = np.ones(model.d)
        y0[-1] = 0.0
        h0 = _initial_step(gen, beta_i.sum(), rho_fn, t_sorted)
        states, logs = solver.integrate(y0, t_sorted, h0)
        with np.errstate(over="ignore", invalid="ignore"):
            factor = np.exp(logs)
            n_s = states[:, 0] * factor
            c_s = (states[:, 1 : g + 1] * factor[:, None]).T
            e_s = states[:, -1] * factor
        used, n_steps = "radau", solver.n_steps
    inv = np.empty_like(order)
    inv[order] = np.arange(order.size)
    return KineticsSolution(
        t=t_req,
        n=n_s[inv],
        c=c_s[:, inv],
        integral_n=e_s[inv],
        method=used,
        n_steps=n_steps,
    )


def _initial_step(
    gen: float, beta_tot: float, rho_fn: Callable[[FloatArray], ArrayLike], t_out: FloatArray
) -> float:
    """A first step well inside the prompt time scale; the controller grows it quickly."""
    rho0 = abs(float(np.asarray(rho_fn(np.array([0.0])), dtype=float).ravel()[0]))
    h = 0.05 * gen / max(beta_tot, rho0)
    positive = t_out[t_out > 0.0]
    if positive.size:
        h = min(h, 0.1 * float(positive[0]))
    return h


def find_first_peak(
    beta: ArrayLike,
    decay_constants: ArrayLike,
    generation_time: float,
    reactivity: ReactivityLike,
    adiabatic_coefficient: float = 0.0,
    *,
    t_max: float = 1.0e4,
    rtol: float = 1e-10,
    stages: int = 7,
    max_steps: int = 200_000,
) -> tuple[float, float] | None:
    """Time and value of the first maximum of n(t) after ``t = 0``.

    The adaptive collocation solution (as in :func:`solve`) is scanned for the first change of
    sign of :math:`dn/dt` from positive to negative, using the collocation derivative
    :math:`A^{-1}(Y - y_0)/h` at the stage times (values within rounding have no sign). The peak
    is then located on that bracket, widened by half its width on each side, from 16 values of n
    at Chebyshev points, each the end value of one collocation step from the start of the
    bracketing step (as accurate as the accepted step): the maximum of their interpolant. Taking
    the derivative from accurate values of n avoids the :math:`1/\\Lambda` amplification, by the
    right-hand side, of the small off-manifold error of the stiff component. For a
    :class:`Step` without feedback the exact inhour solution is used instead.

    Parameters
    ----------
    beta, decay_constants, generation_time, reactivity, adiabatic_coefficient
        As in :func:`solve`.
    t_max : float, optional
        Search horizon [s] (default 1e4 s).
    rtol, stages, max_steps
        As in :func:`solve`.

    Returns
    -------
    (float, float) or None
        ``(t_peak [s], n_peak [1])``, or None if n(t) has no maximum in ``(0, t_max]``.

    References
    ----------
    Ganapol (2013), Tables 3b and 4c (peaks of the sine and adiabatic-feedback cases).
    """
    beta_i, lam, gen = _check_inputs(beta, decay_constants, generation_time)
    rho_fn = _as_callable(reactivity)
    if isinstance(reactivity, Step) and adiabatic_coefficient == 0.0:
        return _exact_step_peak(float(reactivity.rho), beta_i, lam, gen, t_max)
    model = _Kinetics(beta_i, lam, gen, rho_fn, adiabatic_coefficient)
    weights = np.ones(model.d)
    if model.linear:
        weights[-1] = 0.0
    solver = _Collocation(model, stages, rtol, max_steps, weights)
    y0 = np.ones(model.d)
    y0[-1] = 0.0
    found: list[tuple[float, FloatArray, float, float, float]] = []
    hi = solver.hi
    a_inv_norm = float(np.max(np.sum(np.abs(hi[2]), axis=1)))
    last: list[float] = []  # sign class and time of the last non-negligible dn/dt

    def on_step(
        t0: float, y_start: FloatArray, h: float, stages_y: FloatArray, log_scale: float
    ) -> bool:
        dn = solver.derivative(hi, y_start, stages_y, h)[:, 0]
        # rounding level of the collocation derivative: values inside it have no sign
        noise = 1e3 * _EPS * a_inv_norm * float(np.max(np.abs(stages_y[:, 0]))) / h
        for tau, val in zip(hi[0] * h, dn, strict=True):
            if abs(val) <= noise:
                continue
            sign = 1.0 if val > 0.0 else -1.0
            if last and last[0] > 0.0 and sign < 0.0:
                a = max(last[1] - t0, 0.0)
                found.append((t0, y_start.copy(), a, float(tau), log_scale))
                return True
            last[:] = [sign, t0 + float(tau)]
        return False

    h0 = _initial_step(gen, beta_i.sum(), rho_fn, np.array([t_max]))
    solver.integrate(y0, np.array([float(t_max)]), h0, on_step=on_step)
    if solver.overflowed:
        raise SolverError("point kinetics: n exceeds the float64 range before any maximum")
    if not found:
        return None
    t0, y_start, a, b, log_scale = found[0]
    # widen the node bracket by half its width on each side: the node derivatives are less
    # accurate than the values of n used in the refinement
    width = b - a
    t_peak, n_peak = _refine_peak(solver, t0, y_start, max(0.0, a - 0.5 * width), b + 0.5 * width)
    # the state is renormalized in the linear case: undo with the scale at t0
    with np.errstate(over="ignore"):
        return t_peak, float(n_peak * np.exp(log_scale))


def _refine_peak(
    solver: _Collocation, t0: float, y_start: FloatArray, a: float, b: float, nodes: int = 16
) -> tuple[float, float]:
    """First maximum of n on ``[t0 + a, t0 + b]`` from accurate values of n at Chebyshev points.

    Each value is the end point of one collocation step of the needed length from ``t0`` (the
    superconvergent end value, as accurate as the accepted step). The maximum of their Chebyshev
    interpolant is located from the roots of its derivative. The derivative is thus taken from
    accurate values of n, not from the right-hand side, whose :math:`1/\\Lambda` factor would
    amplify the small off-manifold error of the stiff component.
    """
    hi = solver.hi
    x = np.cos(np.pi * (np.arange(nodes) + 0.5) / nodes)  # Chebyshev points of the first kind
    taus = a + (b - a) * (x + 1.0) / 2.0

    def n_at(tau: float) -> float:
        if tau <= 0.0:
            return float(y_start[0])
        ys = solver.stage_solve(hi, t0, y_start, tau, newton_tol=1e-15)
        if ys is None:
            raise SolverError(f"point kinetics: Newton failure while refining the peak near {t0} s")
        return float(ys[-1, 0])

    values = np.array([n_at(float(tau)) for tau in taus])
    poly = np.polynomial.Chebyshev.fit(taus, values, nodes - 1, domain=[a, b])
    dpoly = poly.deriv()
    ddpoly = dpoly.deriv()
    roots = dpoly.roots()
    roots = roots[np.abs(roots.imag) <= 1e-9 * (b - a)].real
    roots = np.sort(roots[(roots >= a - 1e-9 * (b - a)) & (roots <= b + 1e-9 * (b - a))])
    maxima = [r for r in roots if ddpoly(r) < 0.0]
    if maxima:
        tau = float(maxima[0])
        for _ in range(2):  # polish the eigenvalue root by Newton on the interpolant
            tau -= float(dpoly(tau) / ddpoly(tau))
        tau = float(np.clip(tau, a, b))
    else:
        # no interior stationary point (the bracket ends are within rounding): take the larger end
        tau = float(taus[np.argmax(values)])
    return t0 + tau, n_at(tau)


def _exact_step_peak(
    rho: float, beta: FloatArray, lam: FloatArray, gen: float, t_max: float
) -> tuple[float, float] | None:
    """First maximum of the exact step response (None if n is monotone on (0, t_max])."""
    s, a = inhour_roots(rho, beta, lam, gen)

    def dn(t: float) -> float:
        return float(np.sum(a * s * np.exp(s * t)))

    tau_prompt = 1.0 / abs(s[-1])
    grid = np.unique(
        np.concatenate((np.geomspace(tau_prompt * 1e-3, t_max, 2000), np.linspace(0, t_max, 2001)))
    )
    grid = grid[grid > 0.0]
    with np.errstate(over="ignore", invalid="ignore"):
        vals = np.sum(a[:, None] * s[:, None] * np.exp(s[:, None] * grid[None, :]), axis=0)
    for j in range(1, grid.size):
        if vals[j - 1] > 0.0 and vals[j] <= 0.0:
            t_peak = brentq(dn, grid[j - 1], grid[j], xtol=1e-300, rtol=_RTOL_ROOT)
            return t_peak, float(np.sum(a * np.exp(s * t_peak)))
    return None
