"""Numba signatures of the problem functions that the integrator calls.

Every problem (the plant network, a test problem) provides three compiled functions with one
argument list, so that the integrator taking them as first-class functions is compiled once and
cached::

    rhs(t, y, p, ip, d, dydt)    # fills dydt with f(t, y)
    jac(t, y, p, ip, d, J)       # fills J (n x n, C order) with df/dy
    roots(t, y, p, ip, d, g)     # fills g; event i fires when g[i] crosses zero upwards

``t`` [s]; ``y`` the state (SI); ``p`` real parameters (SI, property tables included); ``ip``
structural integers; ``d`` the discrete state (modes, latches, ramps, setpoints). ``p``, ``ip`` and
``d`` are read-only inside the kernel.
"""

from __future__ import annotations

from numba import types

_F = types.float64
_V = types.Array(types.float64, 1, "C")
_VI = types.Array(types.int64, 1, "C")
_M = types.Array(types.float64, 2, "C")

#: rhs(t, y, p, ip, d, dydt) -> None
RHS_SIG = types.void(_F, _V, _V, _VI, _V, _V)
#: jac(t, y, p, ip, d, J) -> None
JAC_SIG = types.void(_F, _V, _V, _VI, _V, _M)
#: roots(t, y, p, ip, d, g) -> None
ROOTS_SIG = types.void(_F, _V, _V, _VI, _V, _V)

RHS_TYPE = types.FunctionType(RHS_SIG)
JAC_TYPE = types.FunctionType(JAC_SIG)
ROOTS_TYPE = types.FunctionType(ROOTS_SIG)
