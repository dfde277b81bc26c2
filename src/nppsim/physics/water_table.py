r"""Water and steam properties on (p, h) as a compiled table look-up.

A plant right-hand side needs the temperature and density of some thirty coolant nodes, with
their derivatives, at every call; point-by-point IAPWS-IF97 calls through CoolProp cost 1 to 15 µs
each and cannot run inside a compiled kernel. This module tabulates IF97 once (through CoolProp)
and evaluates the table in compiled code, reading it from a flat float64 array at an offset
(:mod:`nppsim.physics.tables`), so the table travels in a kernel's parameter vector.

**What is tabulated.** On 0.1 to 25 MPa and 0.05 to 3.2 MJ/kg: temperature T, density rho,
isobaric heat capacity cp, viscosity mu and thermal conductivity k. The kernels return T, rho,
(d rho/d h)_p, (d rho/d p)_h (the derivatives of the interpolant, so consistent with rho), and cp,
mu, k and the Prandtl number.

**Grid.** Two branches per pressure, each on its own coordinate so that the saturation line (where
the properties have a kink) is a grid line and never lies inside a cell:

* liquid: xi = (h - h_min)/(h_L(p) - h_min) in [0, 1], h_L = h_f(p) the saturated-liquid enthalpy;
* vapour: eta = (h - h_V(p))/(h_max - h_V(p)) in [0, 1], h_V = h_g(p);

(the transformed-coordinate idea of the IAPWS SBTL guideline G13-15). Nodes in xi (eta) cluster
towards the saturation line. Between the branches, h_L < h < h_V, lies the two-phase region, where
the kernels return the homogeneous mixture of the two branch ends: T = T_sat, 1/rho = (1 - x)/rho_f
+ x/rho_g, x = (h - h_f)/(h_g - h_f), with exact derivatives, as IF97's (p, h) functions do; cp, mu
and k there are interpolated linearly in x between the saturated values (not properties of a
mixture, but continuous at both ends, so an iteration that strays across is not kicked), and the
status says :data:`TWO_PHASE`.

Near the critical point (22.064 MPa) the saturation line's slope diverges, the properties vary
wildly, and CoolProp's IF97 jumps by kJ/kg on the saturation line. The table therefore follows
the saturation line only up to ``p_split`` (21 MPa by default; two-phase points are tabulated for
p < p_split). From ``p_split`` up, the liquid branch ends at the constant h_L = h_f(p_split)
(1.889 MJ/kg: 643 K at 21 MPa, 651 K at 25 MPa) and the vapour branch starts at the constant
h_V = ``h_vapour_high`` (2.45 MJ/kg: 651 K at 22 MPa, 665 K at 25 MPa); the band in between is
**not tabulated** (status :data:`NEAR_CRITICAL`, values NaN).

**Interpolation.** Bicubic Hermite on each branch: values and the slopes F_p, F_xi, F_p,xi at the
nodes, the slopes being those of the tensor-product cubic spline through the IF97 node values
(not-a-knot ends), so the interpolant is that spline: C2 within a branch and C1 everywhere across
cells (Fritsch and Carlson 1980; de Boor 2001). The p grid holds ``p_split`` twice, one copy per
side: there the liquid values are continuous but (d rho/d p)_h may step (by up to 4 % next to the
saturation line, where the branch end has a kink), and the vapour branch is re-gridded, so its
values step by the interpolation error (measured below 1e-3 K and 4e-6 in rho). Linear orders
in p or h can be chosen for comparison (``order_p``, ``order_h``); benchmarks/water.py measures
what each gains.

**Status and the outside.** Every kernel returns a status: :data:`LIQUID` (0, also the liquid-like
fluid above p_split), :data:`VAPOUR` (1, superheated or vapour-like), :data:`TWO_PHASE` (2, values
as above), :data:`OUTSIDE` (-1: p or h outside the table, or NaN) and :data:`NEAR_CRITICAL` (-2);
with a negative status every value is NaN. Nothing is clipped.

Accuracy against CoolProp IF97 (measured, see docs/models/water.md and
tests/physics/test_water_table.py): about 1e-5 relative in rho and 3e-4 K in T in the liquid,
4e-5 and 1e-4 K in the vapour, a little worse next to the IF97 region boundaries where CoolProp's
IF97 itself steps (T = 623.15 K and the B23 line, above 16.5 MPa).

The former bilinear table API, :func:`build_table` and :func:`lookup`, remains as a thin wrapper
over this table (for the current plant model).

References
----------
* W. Wagner et al., The IAPWS Industrial Formulation 1997 for the thermodynamic properties of water
  and steam, J. Eng. Gas Turbines Power 122 (2000) 150-182, doi:10.1115/1.483186.
* IAPWS G13-15, Guideline on the fast calculation of steam and water properties with the
  spline-based table look-up method (SBTL) (2015).
* F. N. Fritsch, R. E. Carlson, Monotone piecewise cubic interpolation, SIAM J. Numer. Anal. 17
  (1980) 238-246 (cubic Hermite form); C. de Boor, A Practical Guide to Splines, revised ed.,
  Springer (2001), ch. IV and XVII (tensor-product splines).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nppsim._jit import njit
from nppsim.physics.tables import (
    HEADER,
    KIND_PH,
    LAYOUT_VERSION,
    cached_table,
    hermite_basis,
    table_kind,
    uniform_cell,
)

__all__ = [
    "LIQUID",
    "NEAR_CRITICAL",
    "OUTSIDE",
    "TWO_PHASE",
    "VAPOUR",
    "PhGrid",
    "PhProperties",
    "WaterTable",
    "build_table",
    "lookup",
    "ph_all",
    "ph_branch_ends",
    "ph_properties",
    "ph_state",
    "ph_table",
    "ph_transport",
]

#: Status codes of the (p, h) kernels.
LIQUID = 0
VAPOUR = 1
TWO_PHASE = 2
OUTSIDE = -1
NEAR_CRITICAL = -2

_T_MIN = 273.15  # [K]
_T_MAX = 1073.15  # [K]
_P_CRITICAL = 22.064e6  # [Pa]
_N_PROPS = 5  # T, rho, cp, mu, k
_STRIDE = 4 * _N_PROPS  # per node: (F, F_p, F_x, F_px) for each property


@dataclass(frozen=True)
class PhGrid:
    """Nodes of the (p, h) table.

    Pressure: ``n_p_low`` nodes from ``p_min`` to ``p_split``, uniform in
    ln p + p/p_scale - w ln(1 - p/p_c), w = ``crit_weight`` (log spacing at low pressure, where
    vapour properties scale with p; even spacing at high pressure; denser towards the critical
    pressure p_c, where the saturation line bends), then ``n_p_high`` nodes evenly from
    ``p_split`` to ``p_max``. From ``p_split`` up the vapour branch starts at ``h_vapour_high``.
    Enthalpy: ``n_h`` nodes per
    branch, xi = s + c s (1 - s) (liquid) and eta = s - c s (1 - s) (vapour) for s evenly spaced,
    c = ``cluster``: nodes (1 + c)/(1 - c) times denser at the saturation line than at the far end.
    The table interpolates in the even coordinates (s for the branches, the pressure coordinate
    below ``p_split``, p above), so a kernel finds its cell without a search.
    """

    p_min: float = 0.1e6  # [Pa]
    p_split: float = 21.0e6  # [Pa]
    p_max: float = 25.0e6  # [Pa]
    p_scale: float = 3.0e6  # [Pa]
    crit_weight: float = 1.0
    n_p_low: int = 72
    n_p_high: int = 9
    h_min: float = 0.05e6  # [J/kg]
    h_max: float = 3.2e6  # [J/kg]
    h_vapour_high: float = 2.45e6  # [J/kg]
    n_h: int = 48
    cluster: float = 0.5
    order_p: int = 3
    order_h: int = 3

    def pressure_coordinate(self, p: float) -> float:
        """s(p) = ln p + p/p_scale - w ln(1 - p/p_c): the low-segment nodes are even in it."""
        return math.log(p) + p / self.p_scale - self.crit_weight * math.log1p(-p / _P_CRITICAL)

    def pressure_nodes(self) -> NDArray[np.float64]:
        """Pressure nodes [Pa], with ``p_split`` twice."""
        from scipy.optimize import brentq

        s = self.pressure_coordinate
        targets = np.linspace(s(self.p_min), s(self.p_split), self.n_p_low)
        low = [self.p_min]
        for v in targets[1:-1]:
            low.append(brentq(lambda p, v=v: s(p) - v, self.p_min, self.p_split, xtol=1e-9))
        low.append(self.p_split)
        high = np.linspace(self.p_split, self.p_max, self.n_p_high)
        return np.concatenate((low, high))

    def branch_coordinate(self) -> NDArray[np.float64]:
        """The even coordinate s in [0, 1] of the branch nodes."""
        return np.linspace(0.0, 1.0, self.n_h)

    def branch_nodes(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Liquid xi nodes and vapour eta nodes in [0, 1]."""
        s = self.branch_coordinate()
        c = self.cluster
        return s + c * s * (1.0 - s), s - c * s * (1.0 - s)

    def validate(self) -> None:
        """Raise ``ValueError`` for a grid the layout cannot hold."""
        if not 611.213 < self.p_min < self.p_split < _P_CRITICAL and self.p_split < self.p_max:
            raise ValueError(
                f"need 611.2 Pa < p_min < p_split < 22.064 MPa, p_split < p_max: {self}"
            )
        if not 0.0 < self.h_min < self.h_max or self.n_h < 4 or self.n_p_low < 4:
            raise ValueError(f"bad enthalpy range or node counts: {self}")
        if self.n_p_high < 2 or not 0.0 < self.cluster < 1.0:
            raise ValueError(f"need n_p_high >= 2 and 0 < cluster < 1: {self}")
        if self.order_p not in (1, 3) or self.order_h not in (1, 3):
            raise ValueError(f"orders must be 1 or 3: {self}")


# --------------------------------------------------------------------------------------------------
# Building (CoolProp)
# --------------------------------------------------------------------------------------------------


def _invert_t(st: Any, cp: Any, p: float, h: float, t_lo: float, t_hi: float, t0: float) -> float:
    """T with h(p, T) = h on (t_lo, t_hi): Newton on IF97's h(p, T), bisection as safeguard.

    Used instead of CoolProp's (p, h) input, which is slower (about 15 µs against 0.4 µs for
    (p, T)) and not available in region 3 above the critical pressure.
    """
    t = min(max(t0, t_lo + 1e-9), t_hi - 1e-9)
    for _ in range(200):
        st.update(cp.PT_INPUTS, p, t)
        f = st.hmass() - h
        if f > 0.0:
            t_hi = t
        else:
            t_lo = t
        t_new = t - f / st.cpmass()
        if not t_lo < t_new < t_hi:
            t_new = 0.5 * (t_lo + t_hi)
        if abs(t_new - t) <= 1e-11 * t:
            return t_new
        t = t_new
    return t


def _node_props(st: Any) -> tuple[float, float, float, float, float]:
    # ln(mu): the viscosity of liquid water falls about exponentially with temperature, and its
    # logarithm is far closer to a cubic between nodes (the kernel returns exp of it).
    return st.T(), st.rhomass(), st.cpmass(), math.log(st.viscosity()), st.conductivity()


def _build_ph(grid: PhGrid) -> NDArray[np.float64]:
    from scipy.interpolate import CubicSpline

    from nppsim.physics._coolprop import coolprop, state

    grid.validate()
    cp = coolprop()
    st = state("water_table.build")
    pn = grid.pressure_nodes()
    xl, xv = grid.branch_nodes()
    n_p, n_h = pn.size, grid.n_h
    i_break = grid.n_p_low  # index of the second copy of p_split
    h_l = np.empty(n_p)
    h_v = np.empty(n_p)
    f = np.empty((2, n_p, n_h, _N_PROPS))
    # saturated end states at p_split (the constant branch ends above it)
    st.update(cp.PQ_INPUTS, grid.p_split, 0.0)
    h_l_split = st.hmass()
    st.update(cp.PQ_INPUTS, grid.p_split, 1.0)
    h_v_split = max(st.hmass(), grid.h_vapour_high)
    for i, p in enumerate(pn):
        on_sat = i < i_break  # the upper copy of p_split belongs to the segment above
        t_sat = math.nan
        if p < _P_CRITICAL:
            st.update(cp.PQ_INPUTS, p, 0.0)
            t_sat = st.T()
        if on_sat:
            h_l[i] = st.hmass()
            sat_l = _node_props(st)
            st.update(cp.PQ_INPUTS, p, 1.0)
            h_v[i] = st.hmass()
            sat_v = _node_props(st)
        else:
            h_l[i], h_v[i] = h_l_split, h_v_split
        # liquid branch, from h_min up
        t_top = t_sat if p < _P_CRITICAL else _T_MAX
        t_guess = _T_MIN + 1.0
        for j, xi in enumerate(xl):
            if j == n_h - 1 and on_sat:
                f[0, i, j] = sat_l
                continue
            h = grid.h_min + xi * (h_l[i] - grid.h_min)
            t_guess = _invert_t(st, cp, p, h, _T_MIN, t_top, t_guess)
            st.update(cp.PT_INPUTS, p, t_guess)
            f[0, i, j] = _node_props(st)
        # vapour branch, from h_V up
        t_bot = t_sat if p < _P_CRITICAL else _T_MIN
        t_guess = t_bot + 1.0 if p < _P_CRITICAL else 650.0
        for j, eta in enumerate(xv):
            if j == 0 and on_sat:
                f[1, i, j] = sat_v
                continue
            h = h_v[i] + eta * (grid.h_max - h_v[i])
            t_guess = _invert_t(st, cp, p, h, t_bot, _T_MAX, t_guess)
            st.update(cp.PT_INPUTS, p, t_guess)
            f[1, i, j] = _node_props(st)

    # slopes of the tensor-product spline in the even coordinates: along the branch coordinate,
    # and along the pressure coordinate of each segment
    sb = grid.branch_coordinate()
    zl = np.array([grid.pressure_coordinate(float(v)) for v in pn[:i_break]])
    zs = (zl, pn[i_break:])
    segments = (slice(0, i_break), slice(i_break, n_p))
    fx = np.empty_like(f)
    fp = np.empty_like(f)
    fpx = np.empty_like(f)
    for b in (0, 1):
        fx[b] = CubicSpline(sb, f[b], axis=1)(sb, 1)
        for seg, z in zip(segments, zs, strict=True):
            fp[b, seg] = CubicSpline(z, f[b, seg], axis=0)(z, 1)
            fpx[b, seg] = CubicSpline(z, fx[b, seg], axis=0)(z, 1)
    dh_l = np.zeros(n_p)
    dh_v = np.zeros(n_p)
    low = segments[0]
    dh_l[low] = CubicSpline(zl, h_l[low])(zl, 1)
    dh_v[low] = CubicSpline(zl, h_v[low])(zl, 1)

    data = np.stack((f, fp, fx, fpx), axis=-1)  # (2, n_p, n_h, n_props, 4)
    out = np.zeros(HEADER + 4 * n_p + data.size)
    out[0], out[1], out[2] = KIND_PH, LAYOUT_VERSION, out.size
    out[3], out[4], out[5], out[6], out[7] = n_p, n_h, _N_PROPS, grid.order_p, grid.order_h
    out[8], out[9], out[10] = grid.p_min, grid.p_max, grid.p_split
    out[11], out[12], out[13] = grid.h_min, grid.h_max, i_break
    out[14], out[15], out[16] = grid.p_scale, grid.crit_weight, zl[0]
    out[17] = (zl[-1] - zl[0]) / (i_break - 1)
    out[18] = (grid.p_max - grid.p_split) / (grid.n_p_high - 1)
    out[19] = grid.cluster
    pos = HEADER
    for arr in (h_l, dh_l, h_v, dh_v, data.ravel()):
        out[pos : pos + arr.size] = arr
        pos += arr.size
    return out


def ph_table(grid: PhGrid | None = None, *, cache: bool = True) -> NDArray[np.float64]:
    """The packed (p, h) table (built from CoolProp IF97 once, then cached on disk).

    Parameters
    ----------
    grid : PhGrid, optional
        Nodes and interpolation orders; the default is 0.1-25 MPa, 0.05-3.2 MJ/kg, bicubic.
    cache : bool
        Use the memory and disk caches (:func:`nppsim.physics.tables.cached_table`).

    Returns
    -------
    ndarray
        Packed table (float64), read by :func:`ph_state`, :func:`ph_transport`, :func:`ph_all`.
    """
    grid = grid or PhGrid()
    grid.validate()
    return cached_table("ph", asdict(grid), lambda: _build_ph(grid), cache=cache)


# --------------------------------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------------------------------


@njit(inline="always")  # in the look-up: a call per patch cost 20 %
def _hermite_1d(
    tab: NDArray[np.float64],
    base: int,
    n: int,
    i: int,
    d: float,
    b: tuple[float, float, float, float, float, float, float, float],
) -> tuple[float, float]:
    """Value and derivative of a function stored as values [n] then slopes [n] at ``base``."""
    y0, y1 = tab[base + i], tab[base + i + 1]
    s0, s1 = tab[base + n + i], tab[base + n + i + 1]
    return (
        b[0] * y0 + b[1] * d * s0 + b[2] * y1 + b[3] * d * s1,
        (b[4] * y0 + b[6] * y1) / d + b[5] * s0 + b[7] * s1,
    )


@njit(inline="always")  # in the look-up: a call per patch cost 20 %
def _corner(
    tab: NDArray[np.float64],
    n: int,
    a: float,
    g: float,
    da: float,
    dg: float,
    bv: float,
    c: float,
    dbv: float,
    dc: float,
) -> tuple[float, float, float]:
    """Contribution of one node (F, F_p, F_x, F_px at ``n``) to the value, d/dp and d/dx.

    ``a``, ``g``: p-weights of value and slope (``da``, ``dg`` their p-derivatives); ``bv``, ``c``:
    the same in the branch coordinate.
    """
    f0, fp, fx, fpx = tab[n], tab[n + 1], tab[n + 2], tab[n + 3]
    vh = bv * f0 + c * fx
    vh_p = bv * fp + c * fpx
    dvh = dbv * f0 + dc * fx
    dvh_p = dbv * fp + dc * fpx
    return a * vh + g * vh_p, da * vh + dg * vh_p, a * dvh + g * dvh_p


@njit(inline="always")  # in the look-up: a call per patch cost 20 %
def _patch(
    tab: NDArray[np.float64],
    base: int,
    i: int,
    j: int,
    n_h: int,
    k: int,
    bp: tuple[float, float, float, float, float, float, float, float],
    bh: tuple[float, float, float, float, float, float, float, float],
    dp: float,
    dx: float,
) -> tuple[float, float, float]:
    """Property k on cell (i, j) of a branch block at ``base``: value, d/dz (z = ln p), d/dx."""
    n00 = base + (i * n_h + j) * _STRIDE + 4 * k
    n01 = n00 + _STRIDE
    n10 = n00 + n_h * _STRIDE
    n11 = n10 + _STRIDE
    a0, g0, da0, dg0 = bp[0], bp[1] * dp, bp[4] / dp, bp[5]
    a1, g1, da1, dg1 = bp[2], bp[3] * dp, bp[6] / dp, bp[7]
    b0, c0, db0, dc0 = bh[0], bh[1] * dx, bh[4] / dx, bh[5]
    b1, c1, db1, dc1 = bh[2], bh[3] * dx, bh[6] / dx, bh[7]
    v00 = _corner(tab, n00, a0, g0, da0, dg0, b0, c0, db0, dc0)
    v01 = _corner(tab, n01, a0, g0, da0, dg0, b1, c1, db1, dc1)
    v10 = _corner(tab, n10, a1, g1, da1, dg1, b0, c0, db0, dc0)
    v11 = _corner(tab, n11, a1, g1, da1, dg1, b1, c1, db1, dc1)
    return (
        v00[0] + v01[0] + v10[0] + v11[0],
        v00[1] + v01[1] + v10[1] + v11[1],
        v00[2] + v01[2] + v10[2] + v11[2],
    )


@njit
def _p_cell(
    tab: NDArray[np.float64], off: int, p: float
) -> tuple[
    int,
    int,
    tuple[float, float, float, float, float, float, float, float],
    float,
    float,
    float,
    float,
    float,
    float,
]:
    """The pressure half of a look-up, shared by every enthalpy at one pressure: (inside the
    table's pressure range, cell i, Hermite basis in p, dz, dz/dp, h_l, dh_l/dp, h_v, dh_v/dp).
    """
    n_p = int(tab[off + 3])
    order_p = int(tab[off + 6])
    p_split = tab[off + 10]
    o_bl = off + HEADER
    o_bv = o_bl + 2 * n_p
    n_low = int(tab[off + 13])
    if not (tab[off + 8] <= p <= tab[off + 9]):  # NaN fails too
        b0 = hermite_basis(0.0, order_p)
        return 0, 0, b0, 1.0, 1.0, math.nan, math.nan, math.nan, math.nan
    # pressure cell: even in s(p) = ln p + p/p_scale - w ln(1 - p/p_c) below p_split, in p above
    if p < p_split:
        w = tab[off + 15]
        p_scale = tab[off + 14]
        z = math.log(p) + p / p_scale - w * math.log1p(-p / _P_CRITICAL)
        dz_dp = 1.0 / p + 1.0 / p_scale + w / (_P_CRITICAL - p)
        dz = tab[off + 17]
        i, tp = uniform_cell((z - tab[off + 16]) / dz, n_low)
    else:
        dz_dp = 1.0
        dz = tab[off + 18]
        i, tp = uniform_cell((p - p_split) / dz, n_p - n_low)
        i += n_low
    bp = hermite_basis(tp, order_p)
    h_l, dh_l = _hermite_1d(tab, o_bl, n_p, i, dz, bp)
    h_v, dh_v = _hermite_1d(tab, o_bv, n_p, i, dz, bp)
    dh_l *= dz_dp
    dh_v *= dz_dp
    return 1, i, bp, dz, dz_dp, h_l, dh_l, h_v, dh_v


@njit
def _h_part(
    tab: NDArray[np.float64],
    off: int,
    p: float,
    h: float,
    transport: bool,
    cell: tuple[
        int,
        int,
        tuple[float, float, float, float, float, float, float, float],
        float,
        float,
        float,
        float,
        float,
        float,
    ],
) -> tuple[float, float, float, float, float, float, float, int]:
    """The enthalpy half of a look-up, on the pressure cell of :func:`_p_cell` (at ``p``)."""
    nan = math.nan
    n_p = int(tab[off + 3])
    n_h = int(tab[off + 4])
    order_h = int(tab[off + 7])
    p_split = tab[off + 10]
    h_min = tab[off + 11]
    h_max = tab[off + 12]
    inside, i, bp, dz, dz_dp, h_l, dh_l, h_v, dh_v = cell
    if not (inside == 1 and h_min <= h <= h_max):  # NaN fails too
        return nan, nan, nan, nan, nan, nan, nan, OUTSIDE
    o_bl = off + HEADER
    o_bv = o_bl + 2 * n_p
    o_d = o_bv + 2 * n_p
    block = n_p * n_h * _STRIDE
    c = tab[off + 19]
    dsb = 1.0 / (n_h - 1)

    if h <= h_l or h >= h_v:
        # branch coordinate x (xi or eta), its even coordinate sb, dsb/dx
        if h <= h_l:
            status = LIQUID
            delta = h_l - h_min
            x = min((h - h_min) / delta, 1.0)
            dx_dp = -x * dh_l / delta
            sb = ((1.0 + c) - math.sqrt(max((1.0 + c) ** 2 - 4.0 * c * x, 0.0))) / (2.0 * c)
            dsb_dx = 1.0 / (1.0 + c * (1.0 - 2.0 * sb))
            base = o_d
        else:
            status = VAPOUR
            delta = h_max - h_v
            x = max((h - h_v) / delta, 0.0)
            dx_dp = -(1.0 - x) * dh_v / delta
            sb = (math.sqrt((1.0 - c) ** 2 + 4.0 * c * x) - (1.0 - c)) / (2.0 * c)
            dsb_dx = 1.0 / ((1.0 - c) + 2.0 * c * sb)
            base = o_d + block
        j, th = uniform_cell(sb * (n_h - 1), n_h)
        bh = hermite_basis(th, order_h)
        t = _patch(tab, base, i, j, n_h, 0, bp, bh, dz, dsb)[0]
        rho, rho_z, rho_s = _patch(tab, base, i, j, n_h, 1, bp, bh, dz, dsb)
        rho_x = rho_s * dsb_dx
        drho_dh = rho_x / delta
        drho_dp = rho_z * dz_dp + rho_x * dx_dp
        if not transport:
            return t, rho, drho_dh, drho_dp, nan, nan, nan, status
        cp = _patch(tab, base, i, j, n_h, 2, bp, bh, dz, dsb)[0]
        mu = math.exp(_patch(tab, base, i, j, n_h, 3, bp, bh, dz, dsb)[0])
        k = _patch(tab, base, i, j, n_h, 4, bp, bh, dz, dsb)[0]
        return t, rho, drho_dh, drho_dp, cp, mu, k, status

    if p >= p_split:
        return nan, nan, nan, nan, nan, nan, nan, NEAR_CRITICAL

    # two-phase: homogeneous mixture of the liquid branch end (xi = 1) and the vapour one (eta = 0)
    jl = n_h - 2
    dxl = dsb
    dxv = dsb
    b1 = hermite_basis(1.0, order_h)
    b0 = hermite_basis(0.0, order_h)
    bv = o_d + block
    t_f = _patch(tab, o_d, i, jl, n_h, 0, bp, b1, dz, dxl)[0]
    t_g = _patch(tab, bv, i, 0, n_h, 0, bp, b0, dz, dxv)[0]
    rho_f, rho_f_z, _ = _patch(tab, o_d, i, jl, n_h, 1, bp, b1, dz, dxl)
    rho_g, rho_g_z, _ = _patch(tab, bv, i, 0, n_h, 1, bp, b0, dz, dxv)
    rho_f_p = rho_f_z * dz_dp
    rho_g_p = rho_g_z * dz_dp
    dh_fg = h_v - h_l
    q = (h - h_l) / dh_fg
    v_f = 1.0 / rho_f
    v_g = 1.0 / rho_g
    rho = 1.0 / (v_f + q * (v_g - v_f))
    t = t_f + q * (t_g - t_f)
    drho_dh = -rho * rho * (v_g - v_f) / dh_fg
    dq_dp = -(dh_l + q * (dh_v - dh_l)) / dh_fg
    dv_f = -rho_f_p * v_f * v_f
    dv_g = -rho_g_p * v_g * v_g
    drho_dp = -rho * rho * (dv_f + dq_dp * (v_g - v_f) + q * (dv_g - dv_f))
    if not transport:
        return t, rho, drho_dh, drho_dp, nan, nan, nan, TWO_PHASE
    cp_f = _patch(tab, o_d, i, jl, n_h, 2, bp, b1, dz, dxl)[0]
    cp_g = _patch(tab, bv, i, 0, n_h, 2, bp, b0, dz, dxv)[0]
    mu_f = math.exp(_patch(tab, o_d, i, jl, n_h, 3, bp, b1, dz, dxl)[0])
    mu_g = math.exp(_patch(tab, bv, i, 0, n_h, 3, bp, b0, dz, dxv)[0])
    k_f = _patch(tab, o_d, i, jl, n_h, 4, bp, b1, dz, dxl)[0]
    k_g = _patch(tab, bv, i, 0, n_h, 4, bp, b0, dz, dxv)[0]
    return (
        t,
        rho,
        drho_dh,
        drho_dp,
        cp_f + q * (cp_g - cp_f),
        mu_f + q * (mu_g - mu_f),
        k_f + q * (k_g - k_f),
        TWO_PHASE,
    )


@njit
def _ph_core(
    tab: NDArray[np.float64], off: int, p: float, h: float, transport: bool
) -> tuple[float, float, float, float, float, float, float, int]:
    """(T, rho, drho_dh, drho_dp, cp, mu, k, status); cp, mu, k NaN unless ``transport``."""
    return _h_part(tab, off, p, h, transport, _p_cell(tab, off, p))


@njit
def ph_state_nodes(
    tab: NDArray[np.float64],
    off: int,
    p: float,
    y: NDArray[np.float64],
    ys: int,
    n: int,
    w: NDArray[np.float64],
    wt: int,
    wr: int,
    wd: int,
    wp: int,
) -> int:
    """:func:`ph_state` of ``n`` enthalpies ``y[ys:ys + n]`` at one pressure ``p``, the pressure
    half computed once: T, rho, (d rho/d h)_p and (d rho/d p)_h into ``w[wt + j]``,
    ``w[wr + j]``, ``w[wd + j]``, ``w[wp + j]`` (the same numbers as one look-up each). Returns
    the first status that is not :data:`LIQUID` (0 if none)."""
    cell = _p_cell(tab, off, p)
    first = LIQUID
    for j in range(n):
        r = _h_part(tab, off, p, y[ys + j], False, cell)
        w[wt + j] = r[0]
        w[wr + j] = r[1]
        w[wd + j] = r[2]
        w[wp + j] = r[3]
        if r[7] != LIQUID and first == LIQUID:
            first = r[7]
    return first


@njit
def ph_branch_ends(
    tab: NDArray[np.float64], off: int, p: float
) -> tuple[float, float, float, float, int]:
    """The enthalpies where the table's liquid and vapour branches end at pressure p (compiled).

    Below ``p_split`` these are the saturated-liquid and saturated-vapour enthalpies h_L(p) and
    h_V(p) of the table itself (so a point at h_L is on the liquid branch, one at h_V on the
    vapour branch, exactly as :func:`ph_state` classifies it); above, the constant branch ends
    of the near-critical band (see the module docstring).

    Returns
    -------
    tuple
        ``(h_L [J/kg], dh_L/dp [J/kg/Pa], h_V [J/kg], dh_V/dp [J/kg/Pa], status)``; status
        :data:`LIQUID` (0) inside the table's pressure range, :data:`OUTSIDE` with NaN values.
    """
    nan = math.nan
    n_p = int(tab[off + 3])
    order_p = int(tab[off + 6])
    p_split = tab[off + 10]
    if not (tab[off + 8] <= p <= tab[off + 9]):  # NaN fails too
        return nan, nan, nan, nan, OUTSIDE
    o_bl = off + HEADER
    o_bv = o_bl + 2 * n_p
    n_low = int(tab[off + 13])
    if p < p_split:
        w = tab[off + 15]
        p_scale = tab[off + 14]
        z = math.log(p) + p / p_scale - w * math.log1p(-p / _P_CRITICAL)
        dz_dp = 1.0 / p + 1.0 / p_scale + w / (_P_CRITICAL - p)
        dz = tab[off + 17]
        i, tp = uniform_cell((z - tab[off + 16]) / dz, n_low)
    else:
        dz_dp = 1.0
        dz = tab[off + 18]
        i, tp = uniform_cell((p - p_split) / dz, n_p - n_low)
        i += n_low
    bp = hermite_basis(tp, order_p)
    h_l, dh_l = _hermite_1d(tab, o_bl, n_p, i, dz, bp)
    h_v, dh_v = _hermite_1d(tab, o_bv, n_p, i, dz, bp)
    return h_l, dh_l * dz_dp, h_v, dh_v * dz_dp, LIQUID


@njit
def ph_pressure_cell(
    tab: NDArray[np.float64], off: int, p: float
) -> tuple[
    int,
    int,
    tuple[float, float, float, float, float, float, float, float],
    float,
    float,
    float,
    float,
    float,
    float,
]:
    """The pressure half of a look-up at ``p`` (for :func:`ph_state_in_cell`: many enthalpies at
    one pressure)."""
    return _p_cell(tab, off, p)


@njit
def ph_state_in_cell(
    tab: NDArray[np.float64],
    off: int,
    p: float,
    h: float,
    cell: tuple[
        int,
        int,
        tuple[float, float, float, float, float, float, float, float],
        float,
        float,
        float,
        float,
        float,
        float,
    ],
) -> tuple[float, float, float, float, int]:
    """:func:`ph_state` at ``(p, h)`` on the pressure half ``cell`` of
    :func:`ph_pressure_cell` (at the same ``p``): the same numbers, the pressure half computed
    once for many enthalpies."""
    r = _h_part(tab, off, p, h, False, cell)
    return r[0], r[1], r[2], r[3], r[7]


@njit
def ph_state(
    tab: NDArray[np.float64], off: int, p: float, h: float
) -> tuple[float, float, float, float, int]:
    """Temperature, density and density derivatives at (p, h) (compiled).

    Parameters
    ----------
    tab : ndarray
        Array holding a packed (p, h) table (:func:`ph_table`) at ``off``.
    off : int
        Offset of the table in ``tab``.
    p : float
        Pressure [Pa].
    h : float
        Specific enthalpy [J/kg].

    Returns
    -------
    tuple
        ``(T [K], rho [kg/m3], (d rho/d h)_p [kg2/(m3 J)], (d rho/d p)_h [kg/(m3 Pa)], status)``;
        status :data:`LIQUID`, :data:`VAPOUR`, :data:`TWO_PHASE` (homogeneous mixture), or
        :data:`OUTSIDE` / :data:`NEAR_CRITICAL` with NaN values.
    """
    r = _ph_core(tab, off, p, h, False)
    return r[0], r[1], r[2], r[3], r[7]


@njit
def ph_transport(
    tab: NDArray[np.float64], off: int, p: float, h: float
) -> tuple[float, float, float, float, int]:
    """Heat-transfer properties at (p, h) (compiled).

    Returns
    -------
    tuple
        ``(cp [J/kg/K], mu [Pa s], k [W/m/K], Pr [1], status)``; in the two-phase region the
        saturated values interpolated linearly in quality (see the module docstring).
    """
    r = _ph_core(tab, off, p, h, True)
    return r[4], r[5], r[6], r[4] * r[5] / r[6], r[7]


@njit
def ph_all(
    tab: NDArray[np.float64], off: int, p: float, h: float
) -> tuple[float, float, float, float, float, float, float, int]:
    """Everything at (p, h) in one look-up (compiled).

    Returns
    -------
    tuple
        ``(T, rho, (d rho/d h)_p, (d rho/d p)_h, cp, mu, k, status)``, units as in
        :func:`ph_state` and :func:`ph_transport`.
    """
    return _ph_core(tab, off, p, h, True)


@njit
def _ph_many(
    tab: NDArray[np.float64],
    off: int,
    p: NDArray[np.float64],
    h: NDArray[np.float64],
    out: NDArray[np.float64],
) -> None:
    for n in range(p.size):
        r = _ph_core(tab, off, p[n], h[n], True)
        out[0, n], out[1, n], out[2, n], out[3, n] = r[0], r[1], r[2], r[3]
        out[4, n], out[5, n], out[6, n], out[7, n] = r[4], r[5], r[6], r[7]


@njit
def _ph_state_at_pressure(
    tab: NDArray[np.float64], off: int, p: float, h: NDArray[np.float64], out: NDArray[np.float64]
) -> int:
    """T, rho, d rho/d h of many enthalpies at one pressure; returns the lowest status."""
    worst = LIQUID
    for n in range(h.size):
        r = _ph_core(tab, off, p, h[n], False)
        out[0, n], out[1, n], out[2, n] = r[0], r[1], r[2]
        worst = min(worst, r[7])
    return worst


# --------------------------------------------------------------------------------------------------
# Python access
# --------------------------------------------------------------------------------------------------


class PhProperties(NamedTuple):
    """Properties at (p, h) points (SI arrays), from :func:`ph_properties`."""

    temperature: NDArray[np.float64]
    density: NDArray[np.float64]
    drho_dh: NDArray[np.float64]
    drho_dp: NDArray[np.float64]
    cp: NDArray[np.float64]
    viscosity: NDArray[np.float64]
    conductivity: NDArray[np.float64]
    prandtl: NDArray[np.float64]
    status: NDArray[np.int64]


def ph_properties(
    table: NDArray[np.float64], pressure: ArrayLike, enthalpy: ArrayLike, offset: int = 0
) -> PhProperties:
    """Evaluate the compiled kernel at broadcast arrays of p [Pa] and h [J/kg] (for checks).

    Returns
    -------
    PhProperties
        Arrays of the broadcast shape; NaN where the status is negative.
    """
    if table_kind(table, offset) != KIND_PH:
        raise ValueError(f"the table at offset {offset} is not a (p, h) table")
    p, h = np.broadcast_arrays(np.asarray(pressure, dtype=float), np.asarray(enthalpy, dtype=float))
    out = np.empty((8, p.size))
    _ph_many(table, offset, np.ascontiguousarray(p.ravel()), np.ascontiguousarray(h.ravel()), out)
    cols = [out[c].reshape(p.shape) for c in range(7)]
    return PhProperties(
        *cols, cols[4] * cols[5] / cols[6], out[7].astype(np.int64).reshape(p.shape)
    )


# --------------------------------------------------------------------------------------------------
# Former API (bilinear table), now over the packed table
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaterTable:
    """A packed (p, h) table (:func:`ph_table`) and the grid it was built on."""

    packed: NDArray[np.float64]
    grid: PhGrid


def build_table(
    p_min: float = 5e6,
    p_max: float = 20e6,
    dp: float = 0.25e6,
    h_min: float = 0.4e6,
    h_max: float = 1.9e6,
    dh: float = 5e3,
) -> WaterTable:
    """The (p, h) table covering a range (kept for the current plant model).

    The table is now the cached bicubic table of :func:`ph_table` (0.1-25 MPa, 0.05-3.2 MJ/kg);
    the arguments only say which range the caller needs, and a range the table does not cover
    raises ``ValueError``. The steps ``dp`` and ``dh`` are accepted for compatibility and
    unused.

    Parameters
    ----------
    p_min, p_max, dp : float
        Pressure range and (unused) step [Pa].
    h_min, h_max, dh : float
        Enthalpy range and (unused) step [J/kg].

    Returns
    -------
    WaterTable
    """
    del dp, dh
    grid = PhGrid()
    if p_min < grid.p_min or p_max > grid.p_max or h_min < grid.h_min or h_max > grid.h_max:
        raise ValueError(
            f"requested range p {p_min!r}-{p_max!r} Pa, h {h_min!r}-{h_max!r} J/kg exceeds the "
            f"water table ({grid.p_min!r}-{grid.p_max!r} Pa, {grid.h_min!r}-{grid.h_max!r} J/kg)"
        )
    return WaterTable(ph_table(grid), grid)


def lookup(
    table: WaterTable, pressure: float, enthalpy: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """T [K], rho [kg/m3] and (d rho/d h)_p at one pressure for many enthalpies.

    Parameters
    ----------
    table : WaterTable
        From :func:`build_table`.
    pressure : float
        Pressure [Pa].
    enthalpy : array_like
        Specific enthalpies [J/kg].

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Temperature [K], density [kg/m3] and (d rho/d h)_p [kg2/(m3 J)], shaped like ``enthalpy``;
        two-phase points give the homogeneous mixture (as before).

    Raises
    ------
    ValueError
        If a point is outside the table or in its near-critical gap (no silent clipping).
    """
    h = np.asarray(enthalpy, dtype=float)
    out = np.empty((3, h.size))
    worst = _ph_state_at_pressure(
        table.packed, 0, float(pressure), np.ascontiguousarray(h.ravel()), out
    )
    if worst < 0:
        bad = [float(v) for v, r in zip(h.ravel(), out[0], strict=True) if not math.isfinite(r)]
        where = "near-critical gap" if worst == NEAR_CRITICAL else "range"
        raise ValueError(
            f"water table: p = {float(pressure)!r} Pa, h = {bad[:3]!r} J/kg outside its {where} "
            f"({table.grid.p_min:g}-{table.grid.p_max:g} Pa, "
            f"{table.grid.h_min:g}-{table.grid.h_max:g} J/kg)"
        )
    return out[0].reshape(h.shape), out[1].reshape(h.shape), out[2].reshape(h.shape)
