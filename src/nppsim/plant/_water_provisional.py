"""Provisional compiled water properties for the network kernel (bilinear IF97 table).

To be replaced by the compiled property kernels of :mod:`nppsim.physics.water_table`; kept
minimal: T, rho and d rho/d h on (p, h) over the grid of :func:`water_table.build_table`.
"""

from __future__ import annotations

import functools

import numpy as np

from nppsim._jit import njit
from nppsim.physics import water_table


@functools.cache
def packed_table() -> np.ndarray:
    """The default table as one flat array: [n_p, n_h, p0, dp, h0, dh, T..., rho..., drho...]."""
    tab = water_table.build_table()
    head = np.array(
        [len(tab.p), len(tab.h), tab.p[0], tab.p[1] - tab.p[0], tab.h[0], tab.h[1] - tab.h[0]]
    )
    out = np.concatenate((head, tab.temperature.ravel(), tab.density.ravel(), tab.drho_dh.ravel()))
    out.setflags(write=False)
    return out


@njit
def t_rho_drho(p, off, press, h):
    """T [K], rho [kg/m3] and (d rho/d h)_p at (press [Pa], h [J/kg]) (clipped to the grid)."""
    n_p = int(p[off])
    n_h = int(p[off + 1])
    p0 = p[off + 2]
    dp = p[off + 3]
    h0 = p[off + 4]
    dh = p[off + 5]
    x = (min(max(press, p0), p0 + (n_p - 1) * dp) - p0) / dp
    i = min(int(x), n_p - 2)
    fp = x - i
    z = (min(max(h, h0), h0 + (n_h - 1) * dh) - h0) / dh
    j = min(int(z), n_h - 2)
    fh = z - j
    base = off + 6
    size = n_p * n_h
    out0 = 0.0
    out1 = 0.0
    out2 = 0.0
    for k in range(3):
        a = base + k * size
        v00 = p[a + i * n_h + j]
        v01 = p[a + i * n_h + j + 1]
        v10 = p[a + (i + 1) * n_h + j]
        v11 = p[a + (i + 1) * n_h + j + 1]
        lo = v00 + fh * (v01 - v00)
        hi = v10 + fh * (v11 - v10)
        v = lo + fp * (hi - lo)
        if k == 0:
            out0 = v
        elif k == 1:
            out1 = v
        else:
            out2 = v
    return out0, out1, out2


@njit
def h_of_pt(p, off, press, temp):
    """Enthalpy [J/kg] of liquid at (press [Pa], temp [K]): Newton on T(p, h) of the table."""
    h = 4200.0 * (temp - 273.15)
    for _ in range(50):
        t1, _, _ = t_rho_drho(p, off, press, h)
        t2, _, _ = t_rho_drho(p, off, press, h + 1.0)
        slope = t2 - t1
        if slope <= 0.0:
            slope = 1.0 / 4200.0
        step = (temp - t1) / slope
        h += step
        if abs(step) < 1e-9 * max(1.0, abs(h)):
            break
    return h
