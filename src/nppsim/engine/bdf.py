"""Compiled variable-order stiff integrator (NDF/BDF, orders 1-5) with events and hard stops.

The integrator solves :math:`y' = f(t, y)` for the plant kernel (about 50 to 400 states) given as
Numba first-class functions with the fixed signatures of :mod:`nppsim.engine.signatures`::

    rhs(t, y, p, ip, d, dydt)    jac(t, y, p, ip, d, J)    roots(t, y, p, ip, d, g)

Its step loop runs in compiled code (:func:`advance_core`); Python is entered only when a target
time, a hard stop, an event, a full record buffer or a failure ends a call.

Method
------
*Numerical differentiation formulas* (NDF, Klopfenstein 1971; Shampine & Reichelt 1997, §2) in
backward-difference form with quasi-constant step size. With the differences
:math:`\\nabla^j y_n` (``D[j]``, all at the spacing ``h``), the predictor
:math:`y^{(0)}_{n+1} = \\sum_{j=0}^{k} \\nabla^j y_n` and the correction
:math:`d = y_{n+1} - y^{(0)}_{n+1}` (which equals :math:`\\nabla^{k+1} y_{n+1}`), the NDF of order
``k``

.. math::

    \\sum_{m=1}^{k} \\frac{1}{m} \\nabla^m y_{n+1} - \\kappa_k \\gamma_k (y_{n+1} - y^{(0)}_{n+1})
    = h f(t_{n+1}, y_{n+1}), \\qquad \\gamma_k = \\sum_{j=1}^{k} \\frac{1}{j},

becomes :math:`d = c\\, f(t_{n+1}, y^{(0)} + d) - \\psi` with :math:`\\alpha_k = (1-\\kappa_k)
\\gamma_k`, :math:`c = h/\\alpha_k` and :math:`\\psi = \\alpha_k^{-1} \\sum_{j=1}^{k} \\gamma_j
\\nabla^j y_n`. It is solved by a simplified Newton iteration with the matrix :math:`M = I - c J`.
The coefficients :math:`\\kappa_k = (-0.1850, -1/9, -0.0823, -0.0415, 0)` are those of Shampine &
Reichelt (1997), Table 1 (order 5 is the BDF). The local error is estimated as
:math:`(\\kappa_k \\gamma_k + 1/(k+1)) \\lVert d \\rVert` in the root-mean-square norm weighted by
``atol_i + rtol |y_i|`` (as in SciPy's ``BDF``); a step is accepted when that is at most 1.

After an accepted step the differences are updated (``D[k+2] = d - D[k+1]``, ``D[k+1] = d``,
``D[j] += D[j+1]`` for ``j = k..0``). The step size is held constant until ``k + 1`` steps were
taken with it (quasi-constant step size); then the error estimates of orders ``k - 1``, ``k`` and
``k + 1`` (from ``D[k]``, ``d`` and ``D[k+2]``) choose the order with the largest step, and the
step changes if it grows by at least 20 % or must shrink. A change of step size by the ratio
:math:`\\rho` maps the differences with :math:`D \\leftarrow U R(\\rho) D`,
:math:`R_{ij} = \\prod_{m=1}^{j} (m - 1 - i\\rho)/m`, :math:`U = R(1)` (Shampine & Reichelt 1997,
§2.3), which re-samples the interpolating polynomial on the new grid.

Newton iteration and linear algebra (CVODE-style reuse, Hindmarsh et al. 2005, §2.1;
Byrne & Hindmarsh 1975): the Jacobian ``J`` is evaluated at the predicted point when there is
none, after a convergence failure with a Jacobian that was not evaluated for the current step,
or when it is :data:`JAC_MAX_AGE` accepted steps old. ``M`` is factored again when ``J`` is new,
when ``c`` changed by more than :data:`LU_MAX_CHANGE` (30 %) since the factorization, after
:data:`LU_MAX_AGE` accepted steps, or after a convergence failure; between factorizations the
Newton correction is scaled by :math:`2/(1 + c/c_{LU})`. The iteration stops when the estimated
remaining error :math:`\\lVert \\delta \\rVert \\min(1, \\theta)` (with :math:`\\theta` the
contraction rate, carried across steps) is at most
``newton_tol / (errc_k (2^(k+1) - 1))``: the iteration error left in each stored ``y`` reaches the
next error estimate multiplied by the predictor's sum of absolute coefficients ``2^(k+1) - 1`` and
by the error constant. It fails when it diverges (:math:`\\theta > 2`), produces non-finite
values, needs more than :data:`NEWTON_MAXITER` iterations, or is predicted to (from the third
iteration on, when :math:`\\lVert \\delta \\rVert \\theta^{m}` would stay above the tolerance
after the ``m`` iterations left: Hairer & Wanner 1996, §IV.8). A convergence failure with a fresh
Jacobian divides ``h`` by 4; a failed error test multiplies it by
:math:`\\max(0.2, 0.9\\, err^{-1/(k+1)})`, and from the third failure of a step on the order falls
to 1 with the first difference reloaded from ``h f(t_n, y_n)``. ``M`` is factored by the
deterministic sparse LU of :mod:`nppsim.engine._linalg` (static Markowitz order, threshold
pivoting with row scaling, numeric refactorization when only ``c`` changed).

Dense output, events and stops
------------------------------
Between :math:`t_n` and :math:`t_{n+1}` the solution is the polynomial of the last step,
:math:`P(t_{n+1} + s h) = \\sum_{j=0}^{k} \\nabla^j y_{n+1} \\prod_{m=1}^{j} (s + m - 1)/m`.
After every accepted step ``roots`` is evaluated; event ``i`` fires when ``g_i`` goes from
``< 0`` to ``>= 0``. The earliest crossing on ``P`` is located by the Illinois variant of regula
falsi (Dowell & Jarratt 1971), with a bisection safeguard, to ``root_rtol * max(|t|, h)``; the
reported time is the right end of the final bracket, where ``g_i >= 0``. The state is then cut
there: the differences are re-sampled on the grid ending at the event (same ``h`` and order,
:math:`R` with a shift), so the run may go on at once, or the caller changes ``d`` or ``y`` and
calls :func:`restart_core`. A hard stop ``t_stop`` is never stepped over: a step that would pass
it (or end within 5 % of a step short of it) is cut to end exactly on it, and when the stop is
less than two steps away the two steps are made equal (no tiny last step).

Restart (:func:`restart_core`): order 1, ``D[0] = y``, ``D[1] = h f(t, y)`` with a fresh initial
step (Hairer, Norsett & Wanner 1993, §II.4, with ``p = 1``), the Jacobian marked for
re-evaluation at the first step (or kept but "old" with ``keep_jacobian``), the event functions
evaluated at the new point.

State
-----
The whole integrator state lives in two flat arrays, ``fs`` (float64) and ``ist`` (int64):
scalars, history, tolerances, last event values, Jacobian (CSR) and LU factors (CSR). Work arrays
``fw`` and ``iw`` hold nothing between calls (the factorization leaves its work arrays zero), so
copying ``fs`` and ``ist`` copies the integrator, and a copy continues bit for bit as the
original. Everything is deterministic: no BLAS, no threads, no fastmath, a fixed order of
operations.

Problem functions are passed to the compiled core as first-class functions (types
``RHS_TYPE``...), or, from Python, as the integer addresses of their C wrappers, turned back into
first-class functions inside compiled code (:func:`advance_addr`): converting a Numba dispatcher
at every call costs tens of microseconds, an integer costs nothing.

References
----------
* L. F. Shampine, M. W. Reichelt, The MATLAB ODE suite, SIAM J. Sci. Comput. 18 (1997) 1-22,
  doi:10.1137/S1064827594276424.
* R. W. Klopfenstein, Numerical differentiation formulas for stiff systems of ordinary
  differential equations, RCA Review 32 (1971) 447-462.
* G. D. Byrne, A. C. Hindmarsh, A polyalgorithm for the numerical solution of ordinary
  differential equations, ACM Trans. Math. Softw. 1 (1975) 71-96, doi:10.1145/355626.355636.
* A. C. Hindmarsh et al., SUNDIALS: suite of nonlinear and differential/algebraic equation
  solvers, ACM Trans. Math. Softw. 31 (2005) 363-396, doi:10.1145/1089014.1089020.
* E. Hairer, S. P. Norsett, G. Wanner, *Solving Ordinary Differential Equations I*, 2nd ed.,
  Springer (1993), §II.4 (starting step size); E. Hairer, G. Wanner, *Solving Ordinary
  Differential Equations II*, 2nd ed., Springer (1996), §III.1, §IV.8 (Newton iteration).
* M. Dowell, P. Jarratt, A modified regula falsi method for computing the root of an equation,
  BIT 11 (1971) 168-174, doi:10.1007/BF01934364.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable
from enum import IntEnum
from typing import Any, NamedTuple, cast

import numba
import numpy as np
from numba import types
from numba.core import cgutils
from numba.core.ccallback import CFunc
from numba.core.dispatcher import Dispatcher
from numba.extending import intrinsic
from numpy.typing import ArrayLike, NDArray

from nppsim._jit import njit
from nppsim.engine._linalg import (
    dense_to_csr,
    markowitz_order,
    sparse_lu_factor,
    sparse_lu_refactor,
    sparse_lu_solve,
)
from nppsim.engine.signatures import (
    JAC_SIG,
    JAC_TYPE,
    RHS_SIG,
    RHS_TYPE,
    ROOTS_SIG,
    ROOTS_TYPE,
)
from nppsim.errors import SolverError

__all__ = [
    "BDF",
    "AdvanceResult",
    "Status",
    "advance_addr",
    "advance_core",
    "function_address",
    "restart_addr",
    "restart_core",
]

FloatArray = NDArray[np.float64]

# --------------------------------------------------------------------------------------------------
# Method constants
# --------------------------------------------------------------------------------------------------

MAX_ORDER = 5
#: Rows of the difference array: orders 0..MAX_ORDER plus d and the next difference.
N_DIFF = MAX_ORDER + 3
#: NDF coefficients kappa_k (Shampine & Reichelt 1997, Table 1); order 5 is the BDF.
_KAPPA = np.array([0.0, -0.1850, -1.0 / 9.0, -0.0823, -0.0415, 0.0, 0.0])
_GAMMA = np.array([0.0] + [sum(1.0 / j for j in range(1, k + 1)) for k in range(1, 7)])
_ALPHA = (1.0 - _KAPPA) * _GAMMA
#: Error constants kappa_k gamma_k + 1/(k+1), k = 0..6.
_ERRC = _KAPPA * _GAMMA + 1.0 / np.arange(1, 8)

#: Most Newton iterations per attempt. A slowly contracting iteration (an old Jacobian: the
#: plant's kinetics during a scram, its feed flows after a trip contract at 0.5 to 0.75) is let
#: run on while it is predicted to meet the test within this many iterations (Hairer & Wanner
#: 1996, §IV.8): a few right-hand sides cost far less than the Jacobian a failure asks for.
NEWTON_MAXITER = 8
#: Newton tolerance per order: the iteration error left in each y_n reaches the error estimate of
#: the next step amplified by the predictor (sum of |coefficients| 2^(k+1) - 1) and the error
#: constant, so the tolerance is newton_tol / (errc_k (2^(k+1) - 1)).
_NEWTON_SCALE = np.array([1.0] + [1.0 / (_ERRC[k] * (2.0 ** (k + 1) - 1.0)) for k in range(1, 7)])
#: Refactor the iteration matrix when c = h/alpha changed by more than this fraction (CVODE dgmax).
LU_MAX_CHANGE = 0.3
#: Refactor after this many accepted steps with one factorization (CVODE msbp).
LU_MAX_AGE = 20
#: Re-evaluate the Jacobian after this many accepted steps (CVODE msbj).
JAC_MAX_AGE = 50
MAX_FACTOR = 10.0  # largest step growth after a step
MIN_FACTOR = 0.2  # largest step reduction after a failed error test
SAFETY = 0.9
MIN_GROWTH = 1.2  # the step is not increased by less than this (quasi-constant step size)
MAX_CONV_FAILS = 10  # convergence failures within one step before giving up
MAX_ERR_FAILS = 10  # error-test failures within one step before giving up
STOP_STRETCH = 0.05  # a step ending within 5 % of a step before t_stop is stretched onto it
_EPS = float(np.finfo(np.float64).eps)


# Status codes returned by the compiled functions (plain ints there; :class:`Status` in Python).
ST_TARGET = 0
ST_STOP = 1
ST_EVENT = 2
ST_MAX_STEPS = 3
ST_STEP_TOO_SMALL = -1
ST_CONVERGENCE = -2
ST_ERROR_TEST = -3
ST_NON_FINITE = -4
ST_SINGULAR = -5
ST_BAD_INPUT = -6
ST_NOT_INITIALIZED = -7


class Status(IntEnum):
    """What ended a call of :func:`advance_core` (negative: failure)."""

    TARGET = ST_TARGET  #: the time reached or passed t_target (without stopping at t_stop)
    STOP = ST_STOP  #: the time is exactly t_stop
    EVENT = ST_EVENT  #: an event fired; the state is at the event
    MAX_STEPS = ST_MAX_STEPS  #: max_steps accepted steps were taken, or the record buffer is full
    STEP_TOO_SMALL = ST_STEP_TOO_SMALL  #: the step size fell below 16 eps |t|
    CONVERGENCE = ST_CONVERGENCE  #: too many Newton convergence failures in one step
    ERROR_TEST = ST_ERROR_TEST  #: too many error-test failures in one step
    NON_FINITE = ST_NON_FINITE  #: rhs or Jacobian gave inf/NaN and smaller steps did not help
    SINGULAR = ST_SINGULAR  #: the iteration matrix stayed singular
    BAD_INPUT = ST_BAD_INPUT  #: invalid arguments (t_stop before t, buffer shapes)
    NOT_INITIALIZED = ST_NOT_INITIALIZED  #: restart was never called


# Failure reasons (internal): the last reason decides the status when a step gives up.
_R_CONV = 1
_R_NONFINITE = 2
_R_SINGULAR = 3

# Float scalars in fs[0:NF]
F_T = 0  # current time [s]
F_H = 1  # spacing of the differences D [s] (the last step)
F_HNEXT = 2  # proposed next step [s]
F_RTOL = 3
F_HMAX = 4  # largest step [s]
F_CLU = 5  # c = h/alpha of the current LU [s]
F_THETA = 6  # carried Newton contraction-rate estimate
F_NEWTON_TOL = 7
F_ROOT_RTOL = 8
F_TPREV = 9  # start of the dense-output interval [s]
F_H0 = 10  # first step after a restart [s] (0: automatic)
NF = 16

# Int scalars in ist[0:NI]
I_N = 0
I_NR = 1
I_MAXORD = 2
I_ORDER = 3  # order of the last step (that of D and of the dense output)
I_ORDER_NEXT = 4
I_NEQUAL = 5  # steps taken with the current spacing and order
I_INIT = 6
I_JAC_OK = 7
I_JAC_FRESH = 8  # J was evaluated for the step being attempted
I_JAC_AGE = 9
I_LU_OK = 10
I_LU_AGE = 11
I_JNNZ = 12
I_LUNNZ = 13
I_EVENT = 14  # index of the last event (-1: none)
I_NFIRED = 15
I_REASON = 16
I_NSTEPS = 17
I_NREJ = 18
I_NCONV = 19
I_NRHS = 20
I_NJAC = 21
I_NLU = 22
I_NSOLVE = 23
I_NNEWTON = 24
I_NROOTS = 25
I_NEVENTS = 26
I_NRESTART = 27
I_LU_PATTERN = 28  # the LU pattern and pivots may be reused for the current J
I_NLUFULL = 29
NI = 32

_COUNTERS = {
    "steps": I_NSTEPS,
    "rejected": I_NREJ,
    "convergence_failures": I_NCONV,
    "rhs_calls": I_NRHS,
    "jac_calls": I_NJAC,
    "lu_factorizations": I_NLU,
    "lu_full_factorizations": I_NLUFULL,
    "lu_solves": I_NSOLVE,
    "newton_iterations": I_NNEWTON,
    "root_calls": I_NROOTS,
    "events": I_NEVENTS,
    "restarts": I_NRESTART,
}


# --------------------------------------------------------------------------------------------------
# Layout of the flat state and work arrays
# --------------------------------------------------------------------------------------------------


@njit(nrt=True)
def _offsets(n, nr):  # pragma: no cover - compiled
    """Offsets of the named arrays inside fs, ist, fw and iw (and the four total sizes)."""
    nn = n * n
    o = NF
    oD = o
    o += N_DIFF * n
    oATOL = o
    o += n
    oGPREV = o
    o += nr
    oJVAL = o
    o += nn
    oLUVAL = o
    o += nn
    oDINV = o
    o += n
    fs_size = o
    o = NI
    oJPTR = o
    o += n + 1
    oJIDX = o
    o += nn
    oLUPTR = o
    o += n + 1
    oLUSPLIT = o
    o += n
    oLUIDX = o
    o += nn
    oRPERM = o
    o += n
    oORDER = o
    o += n
    oFIRED = o
    o += nr
    is_size = o
    o = 0
    oA = o
    o += nn
    oJD = o
    o += nn
    oMVAL = o
    o += nn
    oVEC = o  # 12 vectors of n
    o += 12 * n
    oG = o  # 3 vectors of nr
    o += 3 * nr
    oHIST = o  # (MAX_ORDER + 1) x n re-sampling buffer
    o += (MAX_ORDER + 1) * n
    fw_size = o
    o = 0
    oMARK = o
    o += nn
    oROWC = o
    o += nn
    oCOLR = o
    o += nn
    oIV = o  # 8 vectors of n
    o += 8 * n
    iw_size = o
    return (
        oD,
        oATOL,
        oGPREV,
        oJVAL,
        oLUVAL,
        oDINV,
        fs_size,
        oJPTR,
        oJIDX,
        oLUPTR,
        oLUSPLIT,
        oLUIDX,
        oRPERM,
        oORDER,
        oFIRED,
        is_size,
        oA,
        oJD,
        oMVAL,
        oVEC,
        oG,
        oHIST,
        fw_size,
        oMARK,
        oROWC,
        oCOLR,
        oIV,
        iw_size,
    )


_FS_NAMES = ("D", "atol", "g_prev", "jac_val", "lu_val", "lu_dinv")
_IS_NAMES = (
    "jac_ptr",
    "jac_idx",
    "lu_ptr",
    "lu_split",
    "lu_idx",
    "lu_perm",
    "lu_order",
    "fired",
)


# --------------------------------------------------------------------------------------------------
# Compiled building blocks
# --------------------------------------------------------------------------------------------------


def _make_from_address(fty: types.FunctionType) -> Any:
    """An intrinsic turning an int64 address of a C wrapper into a first-class function of fty."""

    def impl(typingctx: Any, addr: Any) -> Any:
        if not isinstance(addr, types.Integer):
            return None

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            sfunc = cgutils.create_struct_proxy(fty)(context, builder)
            voidptr = context.get_value_type(types.voidptr)
            sfunc.c_addr = builder.inttoptr(args[0], voidptr)
            sfunc.py_addr = voidptr(None)
            sfunc.jit_addr = voidptr(None)
            return sfunc._getvalue()

        return fty(addr), codegen

    return intrinsic(impl)


_rhs_from_address = _make_from_address(RHS_TYPE)
_jac_from_address = _make_from_address(JAC_TYPE)
_roots_from_address = _make_from_address(ROOTS_TYPE)


@njit(nrt=True)
def _wrms(x, w, n):  # pragma: no cover - compiled
    """Weighted root-mean-square norm sqrt(mean((x w)^2)), w = 1 / (atol + rtol |y|)."""
    s = 0.0
    for i in range(n):
        v = x[i] * w[i]
        s += v * v
    return math.sqrt(s / n)


@njit(nrt=True)
def _weights(y, atol, rtol, w, n):  # pragma: no cover - compiled
    """Error weights w_i = 1 / (atol_i + rtol |y_i|)."""
    for i in range(n):
        w[i] = 1.0 / (atol[i] + rtol * abs(y[i]))


@njit(nrt=True)
def _dense_eval(D, k, t_cur, h, t, out):  # pragma: no cover - compiled
    """P(t) of the last step: sum_j D[j] prod_{m=1..j} (s + m - 1)/m, s = (t - t_cur)/h."""
    n = D.shape[1]
    s = (t - t_cur) / h
    for i in range(n):
        out[i] = D[0, i]
    coef = 1.0
    for j in range(1, k + 1):
        coef = coef * (s + (j - 1)) / j
        for i in range(n):
            out[i] += coef * D[j, i]


@njit(nrt=True)
def _resample(D, k, sigma, rho, hist):  # pragma: no cover - compiled
    """Re-sample the history: D[0..k] <- U R(sigma, rho) D[0..k].

    R[i, j] = prod_{m=1..j} (sigma + m - 1 - i rho)/m gives the values of the interpolating
    polynomial at t_cur + (sigma - i rho) h, i = 0..k; U[l, i] = (-1)^i binom(l, i) turns values
    on a uniform grid into backward differences (U = R(0, 1), U^2 = I). sigma = 0 is a change of
    step size by rho (Shampine & Reichelt 1997, §2.3); rho = 1 with sigma < 0 moves the last
    point back to t_cur + sigma h (cut at an event).
    """
    m = k + 1
    n = D.shape[1]
    R = np.empty((m, m))
    for i in range(m):
        coef = 1.0
        R[i, 0] = 1.0
        for j in range(1, m):
            coef = coef * (sigma + (j - 1) - i * rho) / j
            R[i, j] = coef
    T = np.zeros((m, m))
    for ll in range(m):
        binom = 1.0
        for i in range(ll + 1):
            w = -binom if (i % 2) == 1 else binom
            for j in range(m):
                T[ll, j] += w * R[i, j]
            binom = binom * (ll - i) / (i + 1)
    for ll in range(m):
        for c in range(n):
            hist[ll, c] = 0.0
        for j in range(m):
            w = T[ll, j]
            if w != 0.0:
                for c in range(n):
                    hist[ll, c] += w * D[j, c]
    for ll in range(m):
        for c in range(n):
            D[ll, c] = hist[ll, c]


@njit(nrt=True)
def _step_factor(err, q):  # pragma: no cover - compiled
    """Optimal step ratio err^(-1/q) for a local error estimate err of order q (inf for 0)."""
    if err <= 1e-200:
        return np.inf
    return err ** (-1.0 / q)


@njit(nrt=True)
def _csr_refill(a, ptr, idx, val, n):  # pragma: no cover - compiled
    """Write the dense matrix ``a`` into an existing CSR pattern (zeros where ``a`` has none);
    False, with the values overwritten, if ``a`` has a non-zero outside the pattern.

    The pattern's entries are gathered and the non-zeros of ``a`` counted without a branch per
    entry (a merge of each row with its pattern mispredicted on every stored position: 150 us
    for n = 250, now 16 us): ``a`` fits iff every non-zero is a gathered one."""
    inside = 0
    for i in range(n):
        for q in range(ptr[i], ptr[i + 1]):
            v = a[i, idx[q]]
            val[q] = v
            inside += v != 0.0
    total = 0
    for i in range(n):
        for j in range(n):
            total += a[i, j] != 0.0
    return total == inside


@njit(nrt=True)
def _csr_union(a, ptr, idx, val, n, nnz_old):  # pragma: no cover - compiled
    """Compress the dense matrix ``a`` to CSR on the union of its non-zeros, the diagonal and
    the current pattern ``ptr``, ``idx`` (``nnz_old`` entries), in place; returns the new
    number of entries. Positions of the old pattern where ``a`` is zero are kept as explicit
    zeros (see :func:`~nppsim.engine._linalg.dense_to_csr` for the format)."""
    optr = ptr[: n + 1].copy()
    oidx = idx[:nnz_old].copy()
    nnz = 0
    for i in range(n):
        q = optr[i]
        end = optr[i + 1]
        ptr[i] = nnz
        for j in range(n):
            v = a[i, j]
            old = q < end and oidx[q] == j
            if old:
                q += 1
            if v != 0.0 or old or i == j:
                idx[nnz] = j
                val[nnz] = v
                nnz += 1
    ptr[n] = nnz
    return nnz


@njit(nrt=True)
def _all_finite(x, n):  # pragma: no cover - compiled
    for i in range(n):
        if not np.isfinite(x[i]):
            return False
    return True


@njit(nrt=True)
def _split(fs, ist, fw, iw):  # pragma: no cover - compiled
    """Views of the named arrays inside the flat state and work arrays."""
    n = ist[I_N]
    nr = ist[I_NR]
    (
        oD,
        oATOL,
        oGPREV,
        oJVAL,
        oLUVAL,
        oDINV,
        _fs_size,
        oJPTR,
        oJIDX,
        oLUPTR,
        oLUSPLIT,
        oLUIDX,
        oRPERM,
        oORDER,
        oFIRED,
        _is_size,
        oA,
        oJD,
        oMVAL,
        oVEC,
        oG,
        oHIST,
        _fw_size,
        oMARK,
        oROWC,
        oCOLR,
        oIV,
        _iw_size,
    ) = _offsets(n, nr)
    nn = n * n
    D = fs[oD : oD + N_DIFF * n].reshape((N_DIFF, n))
    atol = fs[oATOL : oATOL + n]
    gprev = fs[oGPREV : oGPREV + nr]
    jval = fs[oJVAL : oJVAL + nn]
    luval = fs[oLUVAL : oLUVAL + nn]
    dinv = fs[oDINV : oDINV + n]
    jptr = ist[oJPTR : oJPTR + n + 1]
    jidx = ist[oJIDX : oJIDX + nn]
    luptr = ist[oLUPTR : oLUPTR + n + 1]
    lusplit = ist[oLUSPLIT : oLUSPLIT + n]
    luidx = ist[oLUIDX : oLUIDX + nn]
    rperm = ist[oRPERM : oRPERM + n]
    lord = ist[oORDER : oORDER + n]
    fired = ist[oFIRED : oFIRED + nr]
    A = fw[oA : oA + nn].reshape((n, n))
    Jd = fw[oJD : oJD + nn].reshape((n, n))
    mval = fw[oMVAL : oMVAL + nn]
    vec = fw[oVEC : oVEC + 12 * n].reshape((12, n))
    gw = fw[oG : oG + 3 * nr].reshape((3, nr))
    hist = fw[oHIST : oHIST + (MAX_ORDER + 1) * n].reshape((MAX_ORDER + 1, n))
    mark = iw[oMARK : oMARK + nn].reshape((n, n))
    rowc = iw[oROWC : oROWC + nn].reshape((n, n))
    colr = iw[oCOLR : oCOLR + nn].reshape((n, n))
    ivec = iw[oIV : oIV + 8 * n].reshape((8, n))
    return (
        D,
        atol,
        gprev,
        jval,
        luval,
        dinv,
        jptr,
        jidx,
        luptr,
        lusplit,
        luidx,
        rperm,
        lord,
        fired,
        A,
        Jd,
        mval,
        vec,
        gw,
        hist,
        mark,
        rowc,
        colr,
        ivec,
    )


# --------------------------------------------------------------------------------------------------
# Restart
# --------------------------------------------------------------------------------------------------


@njit(nrt=True)
def _restart_impl(fs, ist, fw, iw, rhs, roots, p, ip, d, t, y, keep_jacobian):  # pragma: no cover
    n = ist[I_N]
    nr = ist[I_NR]
    views = _split(fs, ist, fw, iw)
    D, atol, gprev, fired, vec, gw = views[0], views[1], views[2], views[13], views[17], views[18]
    if y.shape[0] != n or not np.isfinite(t):
        return ST_BAD_INPUT
    if not _all_finite(y, n):
        return ST_NON_FINITE
    f0 = vec[0]
    y1 = vec[1]
    f1 = vec[2]
    sc = vec[3]
    rtol = fs[F_RTOL]
    for i in range(n):
        D[0, i] = y[i]
    rhs(t, D[0], p, ip, d, f0)
    ist[I_NRHS] += 1
    if not _all_finite(f0, n):
        return ST_NON_FINITE
    hmax = fs[F_HMAX]
    h = fs[F_H0]
    if h <= 0.0:
        # Starting step (Hairer, Norsett & Wanner 1993, §II.4) for an order-1 method.
        _weights(y, atol, rtol, sc, n)
        d0 = _wrms(D[0], sc, n)
        d1 = _wrms(f0, sc, n)
        if d0 < 1e-5 or d1 < 1e-5:
            h0 = 1e-6
        else:
            h0 = 0.01 * d0 / d1
        h0 = min(h0, hmax)
        for i in range(n):
            y1[i] = y[i] + h0 * f0[i]
        rhs(t + h0, y1, p, ip, d, f1)
        ist[I_NRHS] += 1
        for i in range(n):
            f1[i] -= f0[i]
        d2 = _wrms(f1, sc, n) / h0
        if not np.isfinite(d2):
            h = h0
        else:
            dm = max(d1, d2)
            if dm <= 1e-15:
                h1 = max(1e-6, h0 * 1e-3)
            else:
                h1 = math.sqrt(0.01 / dm)
            h = min(100.0 * h0, h1)
    h = min(h, hmax)
    if not (h > 16.0 * _EPS * abs(t)):
        h = 16.0 * _EPS * max(abs(t), 1.0)
    for i in range(n):
        D[1, i] = h * f0[i]
    for j in range(2, N_DIFF):
        for i in range(n):
            D[j, i] = 0.0
    fs[F_T] = t
    fs[F_TPREV] = t
    fs[F_H] = h
    fs[F_HNEXT] = h
    fs[F_THETA] = 1.0
    ist[I_ORDER] = 1
    ist[I_ORDER_NEXT] = 1
    ist[I_NEQUAL] = 0
    if keep_jacobian == 0 or ist[I_JAC_OK] == 0:
        ist[I_JAC_OK] = 0  # evaluated at the first step (lazily)
    ist[I_JAC_FRESH] = 0
    ist[I_LU_OK] = 0
    ist[I_EVENT] = -1
    ist[I_NFIRED] = 0
    ist[I_REASON] = 0
    if nr > 0:
        g = gw[0]
        roots(t, D[0], p, ip, d, g)
        ist[I_NROOTS] += 1
        for i in range(nr):
            gprev[i] = g[i]
            fired[i] = 0
    ist[I_INIT] = 1
    ist[I_NRESTART] += 1
    return 0


@njit(nrt=True)
def _refresh_roots_impl(fs, ist, fw, iw, roots, p, ip, d):  # pragma: no cover - compiled
    """Evaluate the event functions at the current point (after ``d`` changed without restart)."""
    nr = ist[I_NR]
    views = _split(fs, ist, fw, iw)
    D, gprev, fired, gw = views[0], views[2], views[13], views[18]
    if nr > 0:
        g = gw[0]
        roots(fs[F_T], D[0], p, ip, d, g)
        ist[I_NROOTS] += 1
        for i in range(nr):
            gprev[i] = g[i]
            fired[i] = 0
    ist[I_EVENT] = -1
    ist[I_NFIRED] = 0
    return 0


# --------------------------------------------------------------------------------------------------
# One step
# --------------------------------------------------------------------------------------------------


@njit(nrt=True)
def _take_step(
    fs,
    ist,
    D,
    atol,
    jval,
    luval,
    dinv,
    jptr,
    jidx,
    luptr,
    lusplit,
    luidx,
    rperm,
    lord,
    A,
    Jd,
    mval,
    vec,
    hist,
    mark,
    rowc,
    colr,
    ivec,
    rhs,
    jac,
    p,
    ip,
    d,
    t_stop,
):  # pragma: no cover - compiled
    """Take one accepted step (with as many retries as needed). Returns 0 or a failure status.

    The arrays are the views of :func:`_split` (made once per call of :func:`advance_core`).
    """
    n = ist[I_N]
    y = vec[0]
    f = vec[1]
    wt = vec[2]
    psi = vec[3]
    dlt = vec[4]
    dsum = vec[5]
    y0 = vec[6]
    rtol = fs[F_RTOL]
    newton_coef = fs[F_NEWTON_TOL]
    t = fs[F_T]
    k = ist[I_ORDER_NEXT]
    h_new = min(fs[F_HNEXT], fs[F_HMAX])
    landing = False
    clipped = False
    remaining = t_stop - t
    if remaining <= h_new * (1.0 + STOP_STRETCH):
        h_new = remaining
        landing = True
        clipped = True
    elif remaining < 2.0 * h_new:
        h_new = 0.5 * remaining  # two equal steps to the stop rather than a full and a tiny one
        clipped = True
    ist[I_ORDER] = k
    h = fs[F_H]
    if h_new != h:
        ratio = h_new / h
        _resample(D, k, 0.0, ratio, hist)
        # A step changed only to meet a stop, by at most a factor 2, keeps the count of equal
        # steps: otherwise stops every few steps would freeze the step size (it may grow only
        # after k + 1 equal steps). Rows 0..k are re-sampled exactly; only the order-(k+1)
        # estimate of the next selection sees the old spacing.
        if not (clipped and 0.5 <= ratio <= 2.0):
            ist[I_NEQUAL] = 0
        h = h_new
        fs[F_H] = h
    n_conv_fail = 0
    n_err_fail = 0
    err = 0.0
    t_new = t
    while True:
        if not (h > 16.0 * _EPS * abs(t)) or not np.isfinite(h):
            if ist[I_REASON] == _R_NONFINITE:
                return ST_NON_FINITE
            if ist[I_REASON] == _R_SINGULAR:
                return ST_SINGULAR
            return ST_STEP_TOO_SMALL
        t_new = t_stop if landing else t + h
        alpha = _ALPHA[k]
        c = h / alpha
        newton_tol = newton_coef * _NEWTON_SCALE[k]
        # Predictor, psi and the weights of the Newton norm (row by row: contiguous loops).
        inv_alpha = 1.0 / alpha
        for i in range(n):
            y0[i] = D[0, i]
            psi[i] = 0.0
        for j in range(1, k + 1):
            gj = _GAMMA[j]
            for i in range(n):
                v = D[j, i]
                y0[i] += v
                psi[i] += gj * v
        for i in range(n):
            psi[i] *= inv_alpha
        _weights(y0, atol, rtol, wt, n)
        failed = False
        # Jacobian (at the predicted point) when there is none or it is old.
        if ist[I_JAC_OK] == 0 or (ist[I_JAC_AGE] >= JAC_MAX_AGE and ist[I_JAC_FRESH] == 0):
            for i in range(n):
                for j in range(n):
                    Jd[i, j] = 0.0
            jac(t_new, y0, p, ip, d, Jd)
            ist[I_NJAC] += 1
            # A Jacobian whose non-zeros fit the stored pattern keeps it (explicit zeros
            # included): the LU is then refactored numerically on the old pivots (a third of a
            # full factorization), the full one following only if their check fails.
            if ist[I_LU_PATTERN] == 1 and _csr_refill(Jd, jptr, jidx, jval, n):
                nnz = ist[I_JNNZ]
            else:
                if ist[I_JNNZ] > 0:
                    # The pattern only grows: an entry that was non-zero once (a valve that
                    # moves again, a controller off its limit) keeps its place as an explicit
                    # zero, so that later Jacobians fit it and refactor numerically.
                    nnz = _csr_union(Jd, jptr, jidx, jval, n, ist[I_JNNZ])
                else:
                    nnz = dense_to_csr(Jd, jptr, jidx, jval)
                for q in range(nnz, ist[I_JNNZ]):  # no stale tail: the state stays canonical
                    jidx[q] = 0
                    jval[q] = 0.0
                ist[I_JNNZ] = nnz
                markowitz_order(n, jptr, jidx, lord, ivec[7])
                ist[I_LU_PATTERN] = 0
            ist[I_JAC_OK] = 1
            ist[I_JAC_FRESH] = 1
            ist[I_JAC_AGE] = 0
            ist[I_LU_OK] = 0
            if not _all_finite(jval, nnz):
                ist[I_JAC_OK] = 0
                ist[I_REASON] = _R_NONFINITE
                failed = True
        # Iteration matrix M = I - c J and its factorization.
        if not failed and (
            ist[I_LU_OK] == 0
            or abs(c / fs[F_CLU] - 1.0) > LU_MAX_CHANGE
            or ist[I_LU_AGE] >= LU_MAX_AGE
        ):
            for i in range(n):
                for q in range(jptr[i], jptr[i + 1]):
                    v = -c * jval[q]
                    if jidx[q] == i:
                        v += 1.0
                    mval[q] = v
            info = -1
            if ist[I_LU_PATTERN] == 1:
                # Same J, new c: numeric refactorization on the old pattern and pivots.
                info = sparse_lu_refactor(
                    n, jptr, jidx, mval, lord, rperm, luptr, lusplit, luidx, luval, dinv,
                    vec[11], ivec[6], vec[10],
                )  # fmt: skip
            if info != 0:
                info, lunnz, reusable = sparse_lu_factor(
                    n, jptr, jidx, mval, lord, A, mark, rowc, ivec[0], colr, ivec[1], rperm,
                    ivec[2], ivec[3], ivec[4], ivec[5], vec[10], luptr, lusplit, luidx, luval,
                    dinv,
                )  # fmt: skip
                ist[I_NLUFULL] += 1
                for q in range(lunnz, ist[I_LUNNZ]):  # no stale tail
                    luidx[q] = 0
                    luval[q] = 0.0
                ist[I_LUNNZ] = lunnz
                ist[I_LU_PATTERN] = reusable if info == 0 else 0
            ist[I_NLU] += 1
            if info != 0:
                ist[I_LU_OK] = 0
                ist[I_REASON] = _R_SINGULAR
                failed = True
            else:
                ist[I_LU_OK] = 1
                ist[I_LU_AGE] = 0
                fs[F_CLU] = c
                fs[F_THETA] = 1.0
        # Simplified Newton iteration on d.
        converged = False
        if not failed:
            clu = fs[F_CLU]
            ratio = c / clu
            corr = 2.0 / (1.0 + ratio) if ratio != 1.0 else 1.0
            theta = fs[F_THETA]
            for i in range(n):
                dsum[i] = 0.0
                y[i] = y0[i]
            dn_old = 0.0
            for it in range(NEWTON_MAXITER):
                rhs(t_new, y, p, ip, d, f)
                ist[I_NRHS] += 1
                for i in range(n):
                    f[i] = c * f[i] - psi[i] - dsum[i]
                sparse_lu_solve(n, luptr, lusplit, luidx, luval, dinv, rperm, lord, f, dlt, vec[9])
                ist[I_NSOLVE] += 1
                ist[I_NNEWTON] += 1
                # update and norm in one pass (inf or NaN in f shows up in dn)
                acc = 0.0
                for i in range(n):
                    v = dlt[i] * corr
                    y[i] += v
                    dsum[i] += v
                    v *= wt[i]
                    acc += v * v
                dn = math.sqrt(acc / n)
                if not np.isfinite(dn):
                    ist[I_REASON] = _R_NONFINITE
                    break
                if it > 0:
                    rate = dn / dn_old
                    theta = max(0.3 * theta, rate)
                    if rate > 2.0:
                        ist[I_REASON] = _R_CONV
                        break
                if dn * min(1.0, theta) <= newton_tol:
                    converged = True
                    break
                if it > 1 and dn * theta ** (NEWTON_MAXITER - it) > newton_tol:
                    # predicted not to converge within NEWTON_MAXITER iterations: give up now
                    ist[I_REASON] = _R_CONV
                    break
                dn_old = dn
                if it == NEWTON_MAXITER - 1:
                    ist[I_REASON] = _R_CONV
            fs[F_THETA] = theta
        if not converged:
            ist[I_NCONV] += 1
            n_conv_fail += 1
            if n_conv_fail > MAX_CONV_FAILS:
                if ist[I_REASON] == _R_NONFINITE:
                    return ST_NON_FINITE
                if ist[I_REASON] == _R_SINGULAR:
                    return ST_SINGULAR
                return ST_CONVERGENCE
            if ist[I_JAC_FRESH] == 0 and ist[I_JAC_OK] == 1:
                ist[I_JAC_OK] = 0  # a new Jacobian first, same step size
                continue
            ist[I_LU_OK] = 0
            _resample(D, k, 0.0, 0.25, hist)
            h *= 0.25
            fs[F_H] = h
            landing = False
            ist[I_NEQUAL] = 0
            continue
        # Error test.
        acc = 0.0
        for i in range(n):
            v = dsum[i] / (atol[i] + rtol * abs(y[i]))
            acc += v * v
        err = _ERRC[k] * math.sqrt(acc / n)
        if not (err <= 1.0):
            ist[I_NREJ] += 1
            n_err_fail += 1
            if n_err_fail > MAX_ERR_FAILS:
                return ST_ERROR_TEST
            if np.isfinite(err):
                factor = max(MIN_FACTOR, SAFETY * _step_factor(err, k + 1))
            else:
                factor = MIN_FACTOR
            if n_err_fail >= 3:
                # Repeated failures: the history is not trusted any more. Restart from order 1
                # with the derivative at the last point (Byrne & Hindmarsh 1975; CVODE does the
                # same): the first difference alone is a secant over the old, larger steps. The
                # step is cut tenfold each time (CVODE's ETAMIN after MXNEF1 failures): a stiff
                # component off its quasi-steady value keeps the error estimate up until the
                # step is below its time constant, whatever the estimate's exponent says.
                k = 1
                ist[I_ORDER] = 1
                h *= min(factor, 0.1)
                rhs(t, D[0], p, ip, d, f)
                ist[I_NRHS] += 1
                for i in range(n):
                    D[1, i] = h * f[i]
                fs[F_H] = h
                landing = False
                ist[I_NEQUAL] = 0
                continue
            _resample(D, k, 0.0, factor, hist)
            h *= factor
            fs[F_H] = h
            landing = False
            ist[I_NEQUAL] = 0
            continue
        break
    # Accept: update the differences with d = nabla^{k+1} y_{n+1}.
    for i in range(n):
        dd = dsum[i]
        D[k + 2, i] = dd - D[k + 1, i]
        D[k + 1, i] = dd
    for j in range(k, -1, -1):
        for i in range(n):
            D[j, i] += D[j + 1, i]
    fs[F_TPREV] = t
    fs[F_T] = t_new
    ist[I_NSTEPS] += 1
    ist[I_NEQUAL] += 1
    ist[I_JAC_AGE] += 1
    ist[I_LU_AGE] += 1
    ist[I_JAC_FRESH] = 0
    ist[I_REASON] = 0
    # Next order and step size (quasi-constant step size, Shampine & Reichelt 1997, §2.3).
    maxord = ist[I_MAXORD]
    if ist[I_NEQUAL] < k + 1:
        fs[F_HNEXT] = h
        ist[I_ORDER_NEXT] = k
        return 0
    _weights(D[0], atol, rtol, wt, n)
    fac = _step_factor(err, k + 1)
    best_k = k
    if k > 1:
        err_m = _ERRC[k - 1] * _wrms(D[k], wt, n)
        fac_m = _step_factor(err_m, k)
        if fac_m > fac:
            fac = fac_m
            best_k = k - 1
    if k < maxord:
        err_p = _ERRC[k + 1] * _wrms(D[k + 2], wt, n)
        fac_p = _step_factor(err_p, k + 2)
        if fac_p > fac:
            fac = fac_p
            best_k = k + 1
    factor = min(MAX_FACTOR, SAFETY * fac)
    if best_k == k and 1.0 <= factor < MIN_GROWTH:
        factor = 1.0
    if factor != 1.0 or best_k != k:
        ist[I_NEQUAL] = 0
    fs[F_HNEXT] = h * factor
    ist[I_ORDER_NEXT] = best_k
    return 0


# --------------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------------


@njit(nrt=True)
def _locate_events(fs, ist, D, gprev, fired, vec, gw, hist, roots, p, ip, d):  # pragma: no cover
    """After an accepted step: detect upward zero crossings, locate the earliest, cut the step.

    Returns the index of the first event that fired, or -1.
    """
    n = ist[I_N]
    nr = ist[I_NR]
    if nr == 0:
        return -1
    t_new = fs[F_T]
    t_prev = fs[F_TPREV]
    h = fs[F_H]
    k = ist[I_ORDER]
    gbest = gw[0]
    gtry = gw[1]
    gb = gw[2]
    ytry = vec[7]
    ybest = vec[8]
    roots(t_new, D[0], p, ip, d, gbest)
    ist[I_NROOTS] += 1
    any_crossing = False
    for i in range(nr):
        if gprev[i] < 0.0 and gbest[i] >= 0.0:
            any_crossing = True
            break
    if not any_crossing:
        for i in range(nr):
            gprev[i] = gbest[i]
        return -1
    best_t = t_new
    for i in range(n):
        ybest[i] = D[0, i]
    ttol = max(fs[F_ROOT_RTOL] * max(abs(t_new), h), 8.0 * _EPS * abs(t_new), 1e-300)
    for ev in range(nr):
        if not (gprev[ev] < 0.0 and gbest[ev] >= 0.0):
            continue
        # Illinois on g_ev(P(t)) over [t_prev, best_t].
        a = t_prev
        ga = gprev[ev]
        b = best_t
        gbv = gbest[ev]
        for i in range(nr):
            gb[i] = gbest[i]
        side = 0
        w1 = np.inf  # bracket width one and two iterations ago
        w2 = np.inf
        for _it in range(200):
            w = b - a
            if w <= ttol:
                break
            if w > 0.5 * w2:
                s = 0.5 * (a + b)  # bisection safeguard: the bracket did not halve in 2 steps
            else:
                s = b - gbv * w / (gbv - ga)
                if not (s > a and s < b):
                    s = 0.5 * (a + b)
            half = 0.5 * ttol
            if b - s < half:
                s = b - half
            if s - a < half:
                s = a + half
            w2 = w1
            w1 = w
            _dense_eval(D, k, t_new, h, s, ytry)
            roots(s, ytry, p, ip, d, gtry)
            ist[I_NROOTS] += 1
            gs = gtry[ev]
            if gs >= 0.0:
                b = s
                gbv = gs
                for i in range(nr):
                    gb[i] = gtry[i]
                if side == 1:
                    ga *= 0.5
                side = 1
            else:
                a = s
                ga = gs
                if side == -1:
                    gbv *= 0.5
                side = -1
        if b < best_t:
            best_t = b
            for i in range(nr):
                gbest[i] = gb[i]
    # Events that fired: all crossings up to best_t.
    first = -1
    nf = 0
    for i in range(nr):
        if gprev[i] < 0.0 and gbest[i] >= 0.0:
            fired[i] = 1
            nf += 1
            if first < 0:
                first = i
        else:
            fired[i] = 0
    if best_t < t_new:
        # Cut the step at the event: re-sample the history on the grid ending at best_t.
        _dense_eval(D, k, t_new, h, best_t, ybest)
        _resample(D, k, (best_t - t_new) / h, 1.0, hist)
        for i in range(n):
            D[0, i] = ybest[i]
        fs[F_T] = best_t
        ist[I_NEQUAL] = 0
        if ist[I_ORDER_NEXT] > k:
            ist[I_ORDER_NEXT] = k  # D[k + 1] belongs to the uncut step
    for i in range(nr):
        gprev[i] = gbest[i]
    ist[I_EVENT] = first
    ist[I_NFIRED] = nf
    ist[I_NEVENTS] += 1
    return first


# --------------------------------------------------------------------------------------------------
# Public compiled entry points
# --------------------------------------------------------------------------------------------------

_F = types.float64
_I = types.int64
_V = types.Array(types.float64, 1, "C")
_VI = types.Array(types.int64, 1, "C")
_M = types.Array(types.float64, 2, "C")

ADVANCE_SIG = types.UniTuple(_I, 2)(
    _V, _VI, _V, _VI, RHS_TYPE, JAC_TYPE, ROOTS_TYPE, _V, _VI, _V, _F, _F, _I, _V, _M
)
ADVANCE_ADDR_SIG = types.UniTuple(_I, 2)(
    _V, _VI, _V, _VI, _I, _I, _I, _V, _VI, _V, _F, _F, _I, _V, _M
)
RESTART_SIG = _I(_V, _VI, _V, _VI, RHS_TYPE, ROOTS_TYPE, _V, _VI, _V, _F, _V, _I)
RESTART_ADDR_SIG = _I(_V, _VI, _V, _VI, _I, _I, _V, _VI, _V, _F, _V, _I)


@njit(ADVANCE_SIG, nrt=True)
def advance_core(
    fs, ist, fw, iw, rhs, jac, roots, p, ip, d, t_target, t_stop, max_steps, rec_t, rec_y
):  # pragma: no cover - compiled
    """Take accepted steps until ``t >= t_target``, ``t == t_stop``, an event, or ``max_steps``.

    Parameters
    ----------
    fs, ist : float64[::1], int64[::1]
        Integrator state (see the module docstring); updated in place.
    fw, iw : float64[::1], int64[::1]
        Work arrays (all zero when created; nothing is kept in them between calls).
    rhs, jac, roots : first-class functions of types ``RHS_TYPE``, ``JAC_TYPE``, ``ROOTS_TYPE``.
    p, ip, d : float64[::1], int64[::1], float64[::1]
        Problem parameters, structural integers and discrete state (read-only here).
    t_target : float
        Return once the time is ``>= t_target`` [s]; the last step may pass it (interpolate).
    t_stop : float
        Hard stop [s], ``>= t``: never stepped over; a step landing on it ends exactly on it.
    max_steps : int
        Return after this many accepted steps.
    rec_t : float64[::1] (m,)
        Out: time [s] of each accepted step (or event point), in order.
    rec_y : float64[:, ::1] (m, n)
        Out: state at each recorded time. At most ``m`` steps are taken.

    Returns
    -------
    (int, int)
        The :class:`Status` code and the number of records written.
    """
    if ist[I_INIT] == 0:
        return ST_NOT_INITIALIZED, 0
    n = ist[I_N]
    cap = rec_t.shape[0]
    if rec_y.shape[0] < cap or (cap > 0 and rec_y.shape[1] != n):
        return ST_BAD_INPUT, 0
    if not (t_stop >= fs[F_T]) or np.isnan(t_target):
        return ST_BAD_INPUT, 0
    (D, atol, gprev, jval, luval, dinv, jptr, jidx, luptr, lusplit, luidx, rperm, lord, fired,
     A, Jd, mval, vec, gw, hist, mark, rowc, colr, ivec) = _split(fs, ist, fw, iw)  # fmt: skip
    nrec = 0
    nacc = 0
    while True:
        t = fs[F_T]
        if t >= t_stop:
            return ST_STOP, nrec
        if t >= t_target:
            return ST_TARGET, nrec
        if nacc >= max_steps or nrec >= cap:
            return ST_MAX_STEPS, nrec
        if t_stop - t <= 16.0 * _EPS * abs(t_stop) and t_stop < np.inf:
            # The stop is within round-off of t: no step can be taken; move the last point
            # onto it along the interpolant (an extrapolation by a few ulps) and stop there.
            k = ist[I_ORDER]
            y_stop = vec[8]
            _dense_eval(D, k, t, fs[F_H], t_stop, y_stop)
            _resample(D, k, (t_stop - t) / fs[F_H], 1.0, hist)
            for i in range(n):
                D[0, i] = y_stop[i]
            fs[F_T] = t_stop
            ist[I_NEQUAL] = 0
            if ist[I_ORDER_NEXT] > k:
                ist[I_ORDER_NEXT] = k
            rec_t[nrec] = t_stop
            for i in range(n):
                rec_y[nrec, i] = D[0, i]
            return ST_STOP, nrec + 1
        st = _take_step(
            fs, ist, D, atol, jval, luval, dinv, jptr, jidx, luptr, lusplit, luidx, rperm, lord,
            A, Jd, mval, vec, hist, mark, rowc, colr, ivec, rhs, jac, p, ip, d, t_stop,
        )  # fmt: skip
        if st != 0:
            return st, nrec
        nacc += 1
        ev = _locate_events(fs, ist, D, gprev, fired, vec, gw, hist, roots, p, ip, d)
        rec_t[nrec] = fs[F_T]
        for i in range(n):
            rec_y[nrec, i] = D[0, i]
        nrec += 1
        if ev >= 0:
            return ST_EVENT, nrec


@njit(ADVANCE_ADDR_SIG, nrt=True)
def advance_addr(
    fs,
    ist,
    fw,
    iw,
    rhs_addr,
    jac_addr,
    roots_addr,
    p,
    ip,
    d,
    t_target,
    t_stop,
    max_steps,
    rec_t,
    rec_y,
):  # pragma: no cover - compiled
    """:func:`advance_core` with the problem functions given as addresses of their C wrappers
    (see :func:`function_address`); the cheap way to call the core from Python."""
    return advance_core(
        fs, ist, fw, iw, _rhs_from_address(rhs_addr), _jac_from_address(jac_addr),
        _roots_from_address(roots_addr), p, ip, d, t_target, t_stop, max_steps, rec_t, rec_y,
    )  # fmt: skip


@njit(RESTART_SIG, nrt=True)
def restart_core(fs, ist, fw, iw, rhs, roots, p, ip, d, t, y, keep_jacobian):  # pragma: no cover
    """Restart at ``(t, y)``: order 1, new initial step, event functions evaluated there.

    Parameters
    ----------
    t : float
        Time [s].
    y : float64[::1] (n,)
        State (SI).
    keep_jacobian : int
        0: the Jacobian is evaluated again at the first step (after a discontinuity); 1: the
        old one is kept (re-evaluated on the first convergence failure).

    Returns
    -------
    int
        0, or a negative :class:`Status` (non-finite state or derivative, bad input).
    """
    return _restart_impl(fs, ist, fw, iw, rhs, roots, p, ip, d, t, y, keep_jacobian)


@njit(RESTART_ADDR_SIG, nrt=True)
def restart_addr(
    fs, ist, fw, iw, rhs_addr, roots_addr, p, ip, d, t, y, keep_jacobian
):  # pragma: no cover - compiled
    """:func:`restart_core` with the problem functions given as addresses."""
    return _restart_impl(
        fs, ist, fw, iw, _rhs_from_address(rhs_addr), _roots_from_address(roots_addr), p, ip, d,
        t, y, keep_jacobian,
    )  # fmt: skip


@njit(_I(_V, _VI, _V, _VI, _I, _V, _VI, _V), nrt=True)
def refresh_roots_addr(fs, ist, fw, iw, roots_addr, p, ip, d):  # pragma: no cover - compiled
    """Evaluate the event functions at the current point again (``d`` changed, no restart)."""
    return _refresh_roots_impl(fs, ist, fw, iw, _roots_from_address(roots_addr), p, ip, d)


@njit(types.void(_V, _VI, _F, _V), nrt=True)
def dense_core(fs, ist, t, out):  # pragma: no cover - compiled
    """Write the interpolant of the last step at ``t`` [s] into ``out`` (no range check)."""
    n = ist[I_N]
    D = fs[NF : NF + N_DIFF * n].reshape((N_DIFF, n))
    _dense_eval(D, ist[I_ORDER], fs[F_T], fs[F_H], t, out)


@njit(ROOTS_SIG, nrt=True)
def _no_roots(t, y, p, ip, d, g):  # pragma: no cover - compiled
    """Event function of a problem without events (never called: n_roots = 0)."""
    for i in range(g.shape[0]):
        g[i] = -1.0


# --------------------------------------------------------------------------------------------------
# Python wrapper
# --------------------------------------------------------------------------------------------------

#: With NUMBA_DISABLE_JIT=1 the kernels run as Python and take the problem functions directly.
_PYTHON_MODE = bool(cast(Any, numba.config).DISABLE_JIT)

_ADDRESS_CACHE: dict[tuple[int, str], tuple[Any, int]] = {}
_ADDRESS_LOCK = threading.Lock()


def function_address(func: Any, sig: Any) -> int:
    """Address of the C wrapper of a compiled problem function with signature ``sig``.

    Parameters
    ----------
    func : numba dispatcher (``@njit``), ``numba.cfunc`` or object with ``__wrapper_address__``
        The problem function; a dispatcher is compiled for ``sig`` if it was not yet.
    sig : numba signature
        ``RHS_SIG``, ``JAC_SIG`` or ``ROOTS_SIG``.

    Returns
    -------
    int
        The address, valid as long as ``func`` lives (the caller keeps a reference). Addresses of
        dispatchers are cached per (function, signature).
    """
    key = (id(func), str(sig))
    with _ADDRESS_LOCK:
        hit = _ADDRESS_CACHE.get(key)
        if hit is not None and hit[0] is func:
            return hit[1]
    if isinstance(func, Dispatcher):
        cres: Any = func.get_compile_result(sig)
        if cres is None:
            raise TypeError(f"{func} cannot be compiled for {sig}")
        addr = cres.library.get_pointer_to_function(cres.fndesc.llvm_cfunc_wrapper_name)
    elif isinstance(func, CFunc):
        cfunc: Any = func
        if cfunc._sig != sig:
            raise TypeError(f"cfunc {func} has signature {cfunc._sig}, expected {sig}")
        addr = func.address
    elif hasattr(func, "__wrapper_address__"):
        addr = func.__wrapper_address__()
    else:
        raise TypeError(
            f"{func!r} is not a compiled function: decorate it with nppsim._jit.njit({sig})"
        )
    addr = int(addr)
    if addr <= 0:
        raise ValueError(f"no compiled code for {func!r} with {sig}")
    with _ADDRESS_LOCK:
        _ADDRESS_CACHE[key] = (func, addr)
    return addr


_STATUS = {int(v): v for v in Status}


class AdvanceResult(NamedTuple):
    """Result of :meth:`BDF.advance`.

    Attributes
    ----------
    status : Status
        What ended the call.
    n : int
        Number of accepted steps recorded.
    t : ndarray (n,)
        Their times [s] (a view of the record buffer, overwritten by the next call).
    y : ndarray (n, n_states)
        The states at those times (a view of the record buffer).
    event : int
        Index of the first event that fired (-1 unless ``status`` is ``EVENT``).
    """

    status: Status
    n: int
    t: FloatArray
    y: FloatArray
    event: int


def _as_vector(x: ArrayLike | None, dtype: Any, name: str, size: int | None = None) -> np.ndarray:
    if x is None:
        return np.zeros(max(size or 0, 0) or 1, dtype=dtype)
    a = np.ascontiguousarray(np.asarray(x, dtype=dtype).ravel())
    if size is not None and a.size != size:
        raise ValueError(f"{name} must have {size} entries, got {a.size}")
    return a


class BDF:
    """Stiff integrator (NDF/BDF orders 1-5) with a compiled step loop, events and hard stops.

    Parameters
    ----------
    rhs, jac, roots : compiled functions
        ``rhs(t, y, p, ip, d, dydt)``, ``jac(t, y, p, ip, d, J)`` and
        ``roots(t, y, p, ip, d, g)`` compiled with :func:`nppsim._jit.njit` and the signatures
        of :mod:`nppsim.engine.signatures` (``roots`` may be None when ``n_roots == 0``).
    n_roots : int
        Number of event functions; event ``i`` fires when ``g[i]`` crosses zero upwards.
    p : array_like of float, optional
        Real parameters (SI); held by reference when already a contiguous float64 array (the
        kernel only reads it).
    ip : array_like of int, optional
        Structural integers.
    d : array_like of float, optional
        Discrete state (copied; change it only with :meth:`set_discrete`).
    t0 : float
        Initial time [s].
    y0 : array_like (n,)
        Initial state (SI).
    rtol : float
        Relative tolerance [1], 1e-12 to 1e-1.
    atol : float or array_like (n,)
        Absolute tolerances, in the unit of each state, > 0.
    max_order : int
        Highest order, 1 to 5 (default 5).
    h_max : float
        Largest step [s] (default inf).
    h0 : float
        First step after each restart [s] (default 0: automatic).
    newton_tol : float
        Newton iteration tolerance [1]: the iteration error that may reach the next error
        estimate, as a fraction of the error test (default 0.1; the tolerance on the iteration
        itself is this divided by ``errc_k (2^(k+1) - 1)``, 0.1 at order 1, 0.01 at order 5).
    root_rtol : float
        Relative tolerance of event times (default 1e-10).
    record_capacity : int
        Rows of the internal record buffer (default 1024).

    Notes
    -----
    Every state of the integrator is in :attr:`fs` and :attr:`ist`; :meth:`copy`,
    :meth:`get_state` and :meth:`to_bytes` capture it exactly, and a copy continues bit for bit
    as the original. One instance must be used by one thread at a time; separate instances run
    in parallel threads (the kernels release the GIL).
    """

    def __init__(
        self,
        rhs: Callable[..., None],
        jac: Callable[..., None],
        roots: Callable[..., None] | None = None,
        n_roots: int = 0,
        p: ArrayLike | None = None,
        ip: ArrayLike | None = None,
        d: ArrayLike | None = None,
        t0: float = 0.0,
        y0: ArrayLike | None = None,
        rtol: float = 1e-6,
        atol: float | ArrayLike = 1e-9,
        *,
        max_order: int = MAX_ORDER,
        h_max: float = np.inf,
        h0: float = 0.0,
        newton_tol: float = 0.1,
        root_rtol: float = 1e-10,
        record_capacity: int = 1024,
        _state: dict[str, np.ndarray] | None = None,
    ) -> None:
        if y0 is None and _state is None:
            raise ValueError("y0 is required")
        if n_roots < 0:
            raise ValueError(f"n_roots = {n_roots}: must be >= 0")
        if n_roots > 0 and roots is None:
            raise ValueError("roots is required when n_roots > 0")
        self._rhs, self._jac = rhs, jac
        self._roots = roots if roots is not None else _no_roots
        if _PYTHON_MODE:
            self._rhs_addr = self._jac_addr = self._roots_addr = 0
        else:
            self._rhs_addr = function_address(rhs, RHS_SIG)
            self._jac_addr = function_address(jac, JAC_SIG)
            self._roots_addr = function_address(self._roots, ROOTS_SIG)
        self.p = _as_vector(p, np.float64, "p")
        self.ip = _as_vector(ip, np.int64, "ip")
        self.d = _as_vector(d, np.float64, "d").copy()  # owned: set_discrete writes into it
        if _state is not None:
            self._load_state(_state, record_capacity)
            return
        y0a = _as_vector(y0, np.float64, "y0")
        n = y0a.size
        if n < 1:
            raise ValueError("y0 must have at least one entry")
        if not (1e-12 <= rtol <= 0.1):
            raise ValueError(f"rtol = {rtol!r}: allowed 1e-12 <= rtol <= 0.1")
        atola = np.broadcast_to(np.asarray(atol, dtype=np.float64), (n,)).copy()
        if not np.all(atola > 0.0) or not np.all(np.isfinite(atola)):
            raise ValueError("atol must be finite and > 0 for every state")
        if not (1 <= max_order <= MAX_ORDER):
            raise ValueError(f"max_order = {max_order!r}: allowed 1 to {MAX_ORDER}")
        if not (h_max > 0.0):
            raise ValueError(f"h_max = {h_max!r}: must be > 0")
        if not (h0 >= 0.0 and np.isfinite(h0)):
            raise ValueError(f"h0 = {h0!r}: must be >= 0 (0: automatic)")
        if not (0.0 < newton_tol <= 1.0):
            raise ValueError(f"newton_tol = {newton_tol!r}: allowed 0 < newton_tol <= 1")
        if not (0.0 < root_rtol <= 1e-3):
            raise ValueError(f"root_rtol = {root_rtol!r}: allowed 0 < root_rtol <= 1e-3")
        self._allocate(n, n_roots, record_capacity)
        fs, ist = self.fs, self.ist
        fs[F_RTOL] = rtol
        fs[F_HMAX] = h_max
        fs[F_H0] = h0
        fs[F_NEWTON_TOL] = newton_tol
        fs[F_ROOT_RTOL] = root_rtol
        fs[F_CLU] = 1.0
        fs[F_THETA] = 1.0
        ist[I_MAXORD] = max_order
        ist[I_EVENT] = -1
        self._view("atol")[:] = atola
        self.restart(t0, y0a)

    # -- buffers ---------------------------------------------------------------------------------

    def _allocate(self, n: int, nr: int, record_capacity: int) -> None:
        off = _offsets(n, nr)
        self._off = off
        self.fs = np.zeros(off[6])
        self.ist = np.zeros(off[15], dtype=np.int64)
        self.ist[I_N] = n
        self.ist[I_NR] = nr
        self._fw = np.zeros(off[22])
        self._iw = np.zeros(off[27], dtype=np.int64)
        self._g = np.zeros(max(nr, 1))
        self._set_capacity(record_capacity)

    def _set_capacity(self, record_capacity: int) -> None:
        if record_capacity < 1:
            raise ValueError("record_capacity must be >= 1")
        self._rec_t = np.zeros(record_capacity)
        self._rec_y = np.zeros((record_capacity, self.n))

    def _view(self, name: str) -> np.ndarray:
        n, nr = self.n, self.n_roots
        nn = n * n
        off = self._off
        if name in _FS_NAMES:
            o = off[_FS_NAMES.index(name)]
            size = {"D": N_DIFF * n, "atol": n, "g_prev": nr, "jac_val": nn, "lu_val": nn}.get(
                name, n
            )
            v = self.fs[o : o + size]
            return v.reshape(N_DIFF, n) if name == "D" else v
        o = off[7 + _IS_NAMES.index(name)]
        size = {
            "jac_ptr": n + 1,
            "jac_idx": nn,
            "lu_ptr": n + 1,
            "lu_split": n,
            "lu_idx": nn,
            "lu_perm": n,
            "lu_order": n,
            "fired": nr,
        }[name]
        return self.ist[o : o + size]

    # -- properties ------------------------------------------------------------------------------

    @property
    def n(self) -> int:
        """Number of states."""
        return int(self.ist[I_N])

    @property
    def n_roots(self) -> int:
        """Number of event functions."""
        return int(self.ist[I_NR])

    @property
    def t(self) -> float:
        """Current time [s]."""
        return float(self.fs[F_T])

    @property
    def t_prev(self) -> float:
        """Start of the last step [s]: :meth:`dense` is valid on ``[t_prev, t]``."""
        return float(self.fs[F_TPREV])

    @property
    def y(self) -> FloatArray:
        """Current state (a copy)."""
        return self._view("D")[0].copy()

    @property
    def h(self) -> float:
        """Size of the last step [s]."""
        return float(self.fs[F_H])

    @property
    def order(self) -> int:
        """Order of the last step."""
        return int(self.ist[I_ORDER])

    @property
    def event(self) -> int:
        """Index of the first event of the last event stop (-1: none)."""
        return int(self.ist[I_EVENT])

    @property
    def fired(self) -> np.ndarray:
        """Boolean mask of the events that fired at the last event stop."""
        return self._view("fired").astype(bool)

    @property
    def stats(self) -> dict[str, int]:
        """Counters: steps, rejected, convergence_failures, rhs_calls, jac_calls,
        lu_factorizations, lu_solves, newton_iterations, root_calls, events, restarts, and the
        non-zeros of the Jacobian and of the LU factors."""
        out = {name: int(self.ist[i]) for name, i in _COUNTERS.items()}
        out["jac_nnz"] = int(self.ist[I_JNNZ])
        out["lu_nnz"] = int(self.ist[I_LUNNZ]) + self.n
        return out

    # -- stepping --------------------------------------------------------------------------------

    def advance(
        self,
        t_target: float,
        t_stop: float = np.inf,
        max_steps: int | None = None,
        *,
        rec_t: FloatArray | None = None,
        rec_y: FloatArray | None = None,
        check: bool = True,
    ) -> AdvanceResult:
        """Step until ``t >= t_target``, ``t == t_stop``, an event, or the buffer is full.

        Parameters
        ----------
        t_target : float
            Return once the time reaches or passes it [s] (use :meth:`dense` in between).
        t_stop : float
            Hard stop [s] (default inf): never stepped over, landed on exactly. Must be >= t.
        max_steps : int, optional
            Most accepted steps in this call (default: the record capacity).
        rec_t, rec_y : ndarray, optional
            Record buffers ((m,), (m, n), C-contiguous float64) instead of the internal ones.
        check : bool
            Raise :class:`~nppsim.errors.SolverError` on failure (default); else return it.

        Returns
        -------
        AdvanceResult
        """
        rt = self._rec_t if rec_t is None else rec_t
        ry = self._rec_y if rec_y is None else rec_y
        ms = rt.shape[0] if max_steps is None else int(max_steps)
        if _PYTHON_MODE:
            status, nrec = advance_core(
                self.fs, self.ist, self._fw, self._iw, self._rhs, self._jac, self._roots,
                self.p, self.ip, self.d, float(t_target), float(t_stop), ms, rt, ry,
            )  # fmt: skip
        else:
            status, nrec = advance_addr(
                self.fs, self.ist, self._fw, self._iw, self._rhs_addr, self._jac_addr,
                self._roots_addr, self.p, self.ip, self.d, float(t_target), float(t_stop), ms,
                rt, ry,
            )  # fmt: skip
        st = _STATUS[status]
        if status < 0 and check:
            if status == ST_BAD_INPUT:
                raise SolverError(
                    f"advance(t_target = {t_target!r}, t_stop = {t_stop!r}) at t = {self.t!r} s:"
                    " t_stop must be >= t, t_target a number, and the record buffers of shapes"
                    f" (m,) and (m, {self.n})"
                )
            raise SolverError(
                f"integrator failed at t = {self.t!r} s (h = {self.h:.3e} s, order "
                f"{self.order}): {st.name}"
            )
        ev = int(self.ist[I_EVENT]) if status == ST_EVENT else -1
        return AdvanceResult(st, nrec, rt[:nrec], ry[:nrec], ev)

    def restart(self, t: float, y: ArrayLike, *, keep_jacobian: bool = False) -> None:
        """Restart at ``(t, y)`` (after a discontinuity: ``y`` or ``d`` changed).

        Parameters
        ----------
        t : float
            Time [s].
        y : array_like (n,)
            State (SI).
        keep_jacobian : bool
            Keep the current Jacobian as an old one (default False: evaluate a new one at
            the first step).
        """
        ya = _as_vector(y, np.float64, "y", self.n)
        if _PYTHON_MODE:
            st = restart_core(
                self.fs, self.ist, self._fw, self._iw, self._rhs, self._roots, self.p, self.ip,
                self.d, float(t), ya, int(keep_jacobian),
            )  # fmt: skip
        else:
            st = restart_addr(
                self.fs, self.ist, self._fw, self._iw, self._rhs_addr, self._roots_addr,
                self.p, self.ip, self.d, float(t), ya, int(keep_jacobian),
            )  # fmt: skip
        if st != 0:
            raise SolverError(f"restart at t = {t!r} s failed: {Status(st).name}")

    def set_discrete(self, d: ArrayLike, *, restart: bool = True) -> None:
        """Change the discrete state ``d`` between steps.

        Parameters
        ----------
        d : array_like
            New discrete state (same size).
        restart : bool
            Restart at the current point (default True: ``d`` changes the right-hand side
            discontinuously). With False the history is kept and only the event functions are
            evaluated again.
        """
        da = _as_vector(d, np.float64, "d", self.d.size)
        self.d[:] = da
        if restart:
            self.restart(self.t, self.y)
        elif _PYTHON_MODE:
            _refresh_roots_impl(
                self.fs, self.ist, self._fw, self._iw, self._roots, self.p, self.ip, self.d
            )
        else:
            refresh_roots_addr(
                self.fs, self.ist, self._fw, self._iw, self._roots_addr, self.p, self.ip, self.d
            )

    def dense(self, t: float | ArrayLike) -> FloatArray:
        """The solution at ``t`` in ``[t_prev, t]`` from the interpolant of the last step.

        Parameters
        ----------
        t : float or array_like
            Time(s) [s].

        Returns
        -------
        ndarray (n,) or (len(t), n)
        """
        tt = np.asarray(t, dtype=np.float64)
        lo, hi = self.t_prev, self.t
        slack = 1e-12 * max(abs(hi), abs(hi - lo))
        if np.any(tt < lo - slack) or np.any(tt > hi + slack):
            raise ValueError(f"dense output is defined on [{lo!r}, {hi!r}] s only")
        if tt.ndim == 0:
            out = np.empty(self.n)
            dense_core(self.fs, self.ist, float(tt), out)
            return out
        res = np.empty((tt.size, self.n))
        for i, ti in enumerate(tt.ravel()):
            dense_core(self.fs, self.ist, float(ti), res[i])
        return res

    # -- copies and snapshots --------------------------------------------------------------------

    def copy(self) -> BDF:
        """An independent copy that continues bit for bit as this one would."""
        return BDF(
            self._rhs,
            self._jac,
            self._roots,
            self.n_roots,
            _state=self.get_state(),
            record_capacity=self._rec_t.shape[0],
        )

    def get_state(self) -> dict[str, np.ndarray]:
        """The complete state as a dict of arrays (copies), including ``p``, ``ip`` and ``d``.

        The Jacobian and LU arrays are trimmed to their used length.
        """
        jnnz = int(self.ist[I_JNNZ])
        lunnz = int(self.ist[I_LUNNZ])
        state: dict[str, np.ndarray] = {
            "format": np.array([1], dtype=np.int64),
            "fscalars": self.fs[:NF].copy(),
            "iscalars": self.ist[:NI].copy(),
        }
        for name in _FS_NAMES + _IS_NAMES:
            v = self._view(name)
            if name in ("jac_val", "jac_idx"):
                v = v[:jnnz]
            elif name in ("lu_val", "lu_idx"):
                v = v[:lunnz]
            state[name] = v.copy()
        state["p"] = self.p.copy()
        state["ip"] = self.ip.copy()
        state["d"] = self.d.copy()
        return state

    def set_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore a state from :meth:`get_state` (same number of states and events)."""
        n = int(state["iscalars"][I_N])
        nr = int(state["iscalars"][I_NR])
        if n != self.n or nr != self.n_roots:
            raise ValueError(
                f"state is for n = {n}, n_roots = {nr}; this integrator has "
                f"n = {self.n}, n_roots = {self.n_roots}"
            )
        self._load_state(state, self._rec_t.shape[0])

    def _load_state(self, state: dict[str, np.ndarray], record_capacity: int) -> None:
        if int(np.asarray(state.get("format", [0]))[0]) != 1:
            raise ValueError("unknown integrator state format")
        isc = np.asarray(state["iscalars"], dtype=np.int64)
        n, nr = int(isc[I_N]), int(isc[I_NR])
        self._allocate(n, nr, record_capacity)
        self.fs[:NF] = state["fscalars"]
        self.ist[:NI] = isc
        for name in _FS_NAMES + _IS_NAMES:
            src = np.asarray(state[name])
            dst = self._view(name)
            if name == "D":
                dst[:, :] = src
            else:
                dst[: src.size] = src.ravel()
        self.p = np.array(state["p"], dtype=np.float64)
        self.ip = np.array(state["ip"], dtype=np.int64)
        self.d = np.array(state["d"], dtype=np.float64)

    def to_bytes(self) -> bytes:
        """The state serialised (NumPy ``.npz`` format, no pickle)."""
        buf = io.BytesIO()
        savez: Any = np.savez  # (NumPy's stubs type **kwds as its own keyword arguments)
        savez(buf, **self.get_state())
        return buf.getvalue()

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        rhs: Callable[..., None],
        jac: Callable[..., None],
        roots: Callable[..., None] | None = None,
        *,
        record_capacity: int = 1024,
    ) -> BDF:
        """An integrator restored from :meth:`to_bytes` with the given problem functions."""
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            state = {k: z[k] for k in z.files}
        nr = int(state["iscalars"][I_NR])
        return cls(rhs, jac, roots, nr, _state=state, record_capacity=record_capacity)
