"""The compiled network kernel: one right-hand side, Jacobian and event function for every design.

The network (:mod:`nppsim.plant.network`) lays every component's states, parameters, signals and
discrete entries out in flat arrays and writes, into ``ip``, a *schedule*: the component records in
evaluation order, each with its kind's code. The functions here walk that schedule and dispatch to
each kind's compiled functions, in four phases:

0. ``early``: vessels compute what follows from their own states alone (pressures, levels), so
   that every component may read them whatever the order;
1. ``signals``: every component computes its algebraic quantities into the signal vector ``w``
   (pressures from vessel masses and energies, flows, heat rates, controller outputs...), reading
   the signals of components scheduled before it through its input ports;
2. ``derivatives``: every component writes the time derivatives of its own states;
3. ``closure``: components that couple through other components' derivatives (the pressurizer's
   surge, which is the thermal expansion of the whole primary circuit) correct them.

Being functions of ``(t, y, p, ip, d)`` only, they give the same bits whatever was called before,
and two threads may call them at once (they release the GIL).

The Jacobian is built by finite differences over groups of structurally independent columns (the
grouping is computed once by the network from the components' declared dependencies,
Curtis-Powell-Reid), plus the columns that components fill analytically.

Reference: A. R. Curtis, M. J. D. Powell, J. K. Reid, "On the estimation of sparse Jacobian
matrices", *J. Inst. Math. Appl.* 13 (1974) 117.
"""

from __future__ import annotations

import numpy as np

from nppsim._jit import njit
from nppsim.engine.signatures import JAC_SIG, RHS_SIG, ROOTS_SIG
from nppsim.plant.components import balance as _balance
from nppsim.plant.components import boron_control as _boron
from nppsim.plant.components import boron_transport as _btrans
from nppsim.plant.components import boundary as _boundary
from nppsim.plant.components import circuit as _circuit
from nppsim.plant.components import controller as _ctl
from nppsim.plant.components import core as _core
from nppsim.plant.components import eccs as _eccs
from nppsim.plant.components import electric as _electric
from nppsim.plant.components import feedwater as _feed
from nppsim.plant.components import gas_pressurizer as _gpz
from nppsim.plant.components import loop as _loop
from nppsim.plant.components import once_through_sg as _otsg
from nppsim.plant.components import passive_heat_removal as _phrs
from nppsim.plant.components import plenum as _plenum
from nppsim.plant.components import pressurizer as _pzr
from nppsim.plant.components import protection as _protection
from nppsim.plant.components import pump as _pump
from nppsim.plant.components import rod_control as _rods
from nppsim.plant.components import second_stage_accumulators as _ha2
from nppsim.plant.components import steam_generator as _sg
from nppsim.plant.components import summary as _summary
from nppsim.plant.components import turbine as _turbine
from nppsim.plant.components import validity as _validity
from nppsim.plant.header import (  # noqa: F401 (re-exported)
    HEADER_SIZE,
    IP_COLOR_COLS,
    IP_COLOR_PTR,
    IP_ISEN,
    IP_NCOLOR,
    IP_ND,
    IP_NG,
    IP_NP,
    IP_NSCHED,
    IP_NW,
    IP_NY,
    IP_P_JAC_TYP,
    IP_ROW_PTR,
    IP_ROWS,
    IP_SAT,
    IP_SCHED,
    IP_WATER,
)

#: the kinds the dispatch knows, by code (each module defines CODE)
KINDS = {
    _core.CODE: "core",
    _boundary.CODE: "boundary",
    _rods.CODE: "rod_control",
    _boron.CODE: "boron_control",
    _protection.CODE: "protection",
    _ctl.CODE: "controller",
    _loop.CODE: "loop",
    _plenum.CODE: "plenum",
    _pump.CODE: "pump",
    _circuit.CODE: "circuit",
    _pzr.CODE: "pressurizer",
    _sg.CODE: "steam_generator",
    _turbine.CODE: "turbine",
    _electric.CODE: "electric",
    _feed.CODE: "feedwater",
    _summary.CODE: "summary",
    _balance.CODE: "balance",
    _phrs.CODE: "passive_heat_removal",
    _ha2.CODE: "second_stage_accumulators",
    _otsg.CODE: "once_through_sg",
    _gpz.CODE: "gas_pressurizer",
    _validity.CODE: "validity",
    _eccs.CODE: "eccs",
    _btrans.CODE: "boron_transport",
}


@njit
def _early_phase(t, y, p, ip, d, w):
    base = ip[IP_SCHED]
    for s in range(ip[IP_NSCHED]):
        code = ip[base + 2 * s]
        r = ip[base + 2 * s + 1]
        if code == _pzr.CODE:
            _pzr.early(t, y, p, ip, d, w, r)
        elif code == _sg.CODE:
            _sg.early(t, y, p, ip, d, w, r)
        elif code == _turbine.CODE:
            _turbine.early(t, y, p, ip, d, w, r)
        elif code == _otsg.CODE:
            _otsg.early(t, y, p, ip, d, w, r)
        elif code == _gpz.CODE:
            _gpz.early(t, y, p, ip, d, w, r)
        elif code == _rods.CODE:
            _rods.early(t, y, p, ip, d, w, r)


@njit
def _closure_phase(t, y, p, ip, d, w, dydt):
    base = ip[IP_SCHED]
    for s in range(ip[IP_NSCHED]):
        code = ip[base + 2 * s]
        r = ip[base + 2 * s + 1]
        if code == _pzr.CODE:
            _pzr.closure(t, y, p, ip, d, w, dydt, r)
        elif code == _gpz.CODE:
            _gpz.closure(t, y, p, ip, d, w, dydt, r)


@njit
def _signals_phase(t, y, p, ip, d, w):
    base = ip[IP_SCHED]
    for s in range(ip[IP_NSCHED]):
        code = ip[base + 2 * s]
        r = ip[base + 2 * s + 1]
        if code == _core.CODE:
            _core.signals(t, y, p, ip, d, w, r)
        elif code == _boundary.CODE:
            _boundary.signals(t, y, p, ip, d, w, r)
        elif code == _rods.CODE:
            _rods.signals(t, y, p, ip, d, w, r)
        elif code == _boron.CODE:
            _boron.signals(t, y, p, ip, d, w, r)
        elif code == _protection.CODE:
            _protection.signals(t, y, p, ip, d, w, r)
        elif code == _ctl.CODE:
            _ctl.signals(t, y, p, ip, d, w, r)
        elif code == _loop.CODE:
            _loop.signals(t, y, p, ip, d, w, r)
        elif code == _plenum.CODE:
            _plenum.signals(t, y, p, ip, d, w, r)
        elif code == _pump.CODE:
            _pump.signals(t, y, p, ip, d, w, r)
        elif code == _circuit.CODE:
            _circuit.signals(t, y, p, ip, d, w, r)
        elif code == _pzr.CODE:
            _pzr.signals(t, y, p, ip, d, w, r)
        elif code == _sg.CODE:
            _sg.signals(t, y, p, ip, d, w, r)
        elif code == _turbine.CODE:
            _turbine.signals(t, y, p, ip, d, w, r)
        elif code == _electric.CODE:
            _electric.signals(t, y, p, ip, d, w, r)
        elif code == _feed.CODE:
            _feed.signals(t, y, p, ip, d, w, r)
        elif code == _summary.CODE:
            _summary.signals(t, y, p, ip, d, w, r)
        elif code == _balance.CODE:
            _balance.signals(t, y, p, ip, d, w, r)
        elif code == _phrs.CODE:
            _phrs.signals(t, y, p, ip, d, w, r)
        elif code == _ha2.CODE:
            _ha2.signals(t, y, p, ip, d, w, r)
        elif code == _otsg.CODE:
            _otsg.signals(t, y, p, ip, d, w, r)
        elif code == _gpz.CODE:
            _gpz.signals(t, y, p, ip, d, w, r)
        elif code == _eccs.CODE:
            _eccs.signals(t, y, p, ip, d, w, r)
        elif code == _btrans.CODE:
            _btrans.signals(t, y, p, ip, d, w, r)


@njit
def _derivatives_phase(t, y, p, ip, d, w, dydt):
    base = ip[IP_SCHED]
    for s in range(ip[IP_NSCHED]):
        code = ip[base + 2 * s]
        r = ip[base + 2 * s + 1]
        if code == _core.CODE:
            _core.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _boundary.CODE:
            _boundary.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _rods.CODE:
            _rods.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _boron.CODE:
            _boron.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _protection.CODE:
            _protection.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _ctl.CODE:
            _ctl.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _loop.CODE:
            _loop.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _plenum.CODE:
            _plenum.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _pump.CODE:
            _pump.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _circuit.CODE:
            _circuit.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _pzr.CODE:
            _pzr.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _sg.CODE:
            _sg.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _turbine.CODE:
            _turbine.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _electric.CODE:
            _electric.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _feed.CODE:
            _feed.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _summary.CODE:
            _summary.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _balance.CODE:
            _balance.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _phrs.CODE:
            _phrs.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _ha2.CODE:
            _ha2.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _otsg.CODE:
            _otsg.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _gpz.CODE:
            _gpz.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _eccs.CODE:
            _eccs.derivatives(t, y, p, ip, d, w, dydt, r)
        elif code == _btrans.CODE:
            _btrans.derivatives(t, y, p, ip, d, w, dydt, r)


@njit
def _roots_phase(t, y, p, ip, d, w, g):
    base = ip[IP_SCHED]
    for s in range(ip[IP_NSCHED]):
        code = ip[base + 2 * s]
        r = ip[base + 2 * s + 1]
        if code == _core.CODE:
            _core.roots(t, y, p, ip, d, w, g, r)
        elif code == _protection.CODE:
            _protection.roots(t, y, p, ip, d, w, g, r)
        elif code == _validity.CODE:
            _validity.roots(t, y, p, ip, d, w, g, r)
        elif code == _pzr.CODE:
            _pzr.roots(t, y, p, ip, d, w, g, r)
        elif code == _eccs.CODE:
            _eccs.roots(t, y, p, ip, d, w, g, r)


@njit
def evaluate(t, y, p, ip, d, w, dydt):
    """All signals into ``w`` and all derivatives into ``dydt`` at ``(t, y)``."""
    _early_phase(t, y, p, ip, d, w)
    _signals_phase(t, y, p, ip, d, w)
    _derivatives_phase(t, y, p, ip, d, w, dydt)
    _closure_phase(t, y, p, ip, d, w, dydt)


@njit(RHS_SIG)
def rhs(t, y, p, ip, d, dydt):
    """dy/dt of the whole network (the integrator's right-hand side)."""
    w = np.empty(ip[IP_NW])
    evaluate(t, y, p, ip, d, w, dydt)


@njit(ROOTS_SIG)
def roots(t, y, p, ip, d, g):
    """Every event function of the network (trips, alarms, validity limits)."""
    w = np.empty(ip[IP_NW])
    dydt = np.empty(ip[IP_NY])
    evaluate(t, y, p, ip, d, w, dydt)
    g[:] = -1.0
    _roots_phase(t, y, p, ip, d, w, g)


@njit
def signals_at(t, y, p, ip, d):
    """The signal vector at ``(t, y)``."""
    w = np.empty(ip[IP_NW])
    dydt = np.empty(ip[IP_NY])
    evaluate(t, y, p, ip, d, w, dydt)
    return w


@njit
def signals_rows(ts, ys, p, ip, d, rows_out):
    """Signals of many recorded states at once (one discrete state): ``rows_out[k] = w(t_k)``."""
    w = np.empty(ip[IP_NW])
    dydt = np.empty(ip[IP_NY])
    for k in range(ts.shape[0]):
        evaluate(ts[k], ys[k], p, ip, d, w, dydt)
        rows_out[k, :] = w


@njit(JAC_SIG)
def jac(t, y, p, ip, d, J):
    """Jacobian df/dy by grouped forward differences plus the components' analytic columns."""
    ny = ip[IP_NY]
    f0 = np.empty(ny)
    rhs(t, y, p, ip, d, f0)
    J[:, :] = 0.0
    typ = ip[IP_P_JAC_TYP]
    cptr = ip[IP_COLOR_PTR]
    ccols = ip[IP_COLOR_COLS]
    rptr = ip[IP_ROW_PTR]
    rows = ip[IP_ROWS]
    yp = y.copy()
    f1 = np.empty(ny)
    hs = np.empty(ny)
    for c in range(ip[IP_NCOLOR]):
        for k in range(ip[cptr + c], ip[cptr + c + 1]):
            j = ip[ccols + k]
            h = 1e-7 * max(abs(y[j]), p[typ + j])
            yp[j] = y[j] + h
            hs[j] = yp[j] - y[j]  # the increment actually represented
        rhs(t, yp, p, ip, d, f1)
        for k in range(ip[cptr + c], ip[cptr + c + 1]):
            j = ip[ccols + k]
            for q in range(ip[rptr + j], ip[rptr + j + 1]):
                i = ip[rows + q]
                J[i, j] = (f1[i] - f0[i]) / hs[j]
            yp[j] = y[j]
    # columns filled analytically: the component names a lead column, whose difference
    # quotient gives the rest (see the component's jac_fill)
    base = ip[IP_SCHED]
    for s in range(ip[IP_NSCHED]):
        code = ip[base + 2 * s]
        r = ip[base + 2 * s + 1]
        if code == _core.CODE:
            j0, h = _core.jac_lead(t, y, p, ip, d, r)
            yp[j0] = y[j0] + h
            h = yp[j0] - y[j0]
            rhs(t, yp, p, ip, d, f1)
            yp[j0] = y[j0]
            for i in range(ny):
                f1[i] = (f1[i] - f0[i]) / h
            _core.jac_fill(t, y, p, ip, d, f1, J, r)
