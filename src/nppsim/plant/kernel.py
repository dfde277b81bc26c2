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
   surge, which is the thermal expansion of the whole primary circuit) correct them;

and, only when signals are read or recorded (never in the right-hand side), a fifth:

4. ``outputs``: quantities no derivative needs (the energy balance's inventories), declared
   ``output=True``.

Being functions of ``(t, y, p, ip, d)`` only, they give the same bits whatever was called before,
and two threads may call them at once (they release the GIL).

The Jacobian (:func:`jac`) is built from the structure the network computed once from the
components' declared dependencies:

* **column groups** (Curtis, Powell & Reid 1974): columns that change disjoint rows of the rates
  *before the closure phase* share one evaluation of the first three phases, which runs only the
  schedule entries the group's columns can move (:func:`open_entries`; the network lists them
  per group from the declared dependencies: the entry lists at ``ip[IP_LISTS]``); every other
  entry keeps its signals and rates at y (``ip[IP_JAC_SUBSET] = 0`` runs every entry instead,
  with the same numbers);
* **the closure by the chain rule**: a closure is a cheap function of the node rates before it,
  of a few signals and states; its columns are ``Phi(f0 + h J0[:, j], w + h W[:, j], y + h e_j)``
  with ``J0[:, j]`` (rates) and ``W[:, j]`` (the closure's input signals) taken from the group
  evaluations: one closure call per column that reaches the closure, instead of the dense
  coupling (every primary node through the surge) forcing a group per column;
* **sinks** (states no rate reads: the balance's integrals) keep only their own block's entries;
* **analytic columns**: a component fills a block of columns from one difference quotient of its
  lead column (the 94 decay-heat groups, which enter the rest only through the decay power).

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
    IP_CHAIN,
    IP_COLOR_COLS,
    IP_COLOR_PTR,
    IP_ISEN,
    IP_JAC_SUBSET,
    IP_LIST_PTR,
    IP_LISTS,
    IP_NCOLOR,
    IP_ND,
    IP_NG,
    IP_NP,
    IP_NSCHED,
    IP_NW,
    IP_NY,
    IP_P_JAC_TYP,
    IP_ROOTS_FULL,
    IP_ROW_PTR,
    IP_ROWS,
    IP_SAT,
    IP_SCHED,
    IP_WATER,
)

#: kinds whose closure phase runs in :func:`_closure_phase` (differentiated by the chain rule in
#: :func:`jac`); other components may declare a closure for the Jacobian's structure only (their
#: derivatives phase writes into another component's rate)
CLOSURE_CODES = (_pzr.CODE, _gpz.CODE)

#: fields of the closure chain-rule block at ip[IP_CHAIN] (counts, then offsets in ip)
CH_N = 0  # number of chain columns
CH_NROWS = 1  # number of closure rows (nodes and the closures' own blocks)
CH_COLS = 2  # the chain columns
CH_INDEX = 3  # column -> its chain index (-1: none), ny entries
CH_IN_PTR = 4  # per chain column, pointers into CH_IN (n + 1)
CH_IN = 5  # closure input signals each chain column moves
CH_F_PTR = 6  # per chain column, pointers into CH_F (n + 1)
CH_F = 7  # node rows (rates before the closure) each chain column moves
CH_ROWS = 8  # the closure rows

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


@njit(inline="always")
def _entries(ip, k):
    """Schedule-entry list ``k`` (a view of ``ip``): 0, every entry in order; ``1 + c``, the
    entries column group ``c`` of the Jacobian runs."""
    lst = ip[IP_LISTS]
    ptr = ip[IP_LIST_PTR]
    return ip[lst + ip[ptr + k] : lst + ip[ptr + k + 1]]


@njit
def _early_phase(t, y, p, ip, d, w, entries):
    base = ip[IP_SCHED]
    for s in entries:
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
def _single_pzr(ip):
    """The record of the network's closure when it is one pressurizer (:mod:`pressurizer`)
    and no other closure, else -1."""
    base = ip[IP_SCHED]
    found = -1
    for s in range(ip[IP_NSCHED]):
        code = ip[base + 2 * s]
        if code == _gpz.CODE:
            return -1
        if code == _pzr.CODE:
            if found >= 0:
                return -1
            found = ip[base + 2 * s + 1]
    return found


@njit
def _signals_phase(t, y, p, ip, d, w, entries):
    base = ip[IP_SCHED]
    for s in entries:
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
def _derivatives_phase(t, y, p, ip, d, w, dydt, entries):
    base = ip[IP_SCHED]
    for s in entries:
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
def _outputs_phase(t, y, p, ip, d, w):
    base = ip[IP_SCHED]
    for s in range(ip[IP_NSCHED]):
        code = ip[base + 2 * s]
        r = ip[base + 2 * s + 1]
        if code == _balance.CODE:
            _balance.outputs(t, y, p, ip, d, w, r)


@njit
def _open(t, y, p, ip, d, w, dydt):
    """The phases before the closure: signals into ``w``, rates into ``dydt`` (the rows a
    closure sets are left unwritten)."""
    open_entries(t, y, p, ip, d, w, dydt, _entries(ip, 0))


@njit
def open_entries(t, y, p, ip, d, w, dydt, entries):
    """The phases before the closure for the schedule entries ``entries`` only (indices into
    the schedule, in schedule order): every entry for the right-hand side, a column group's
    for the Jacobian (:func:`jac`). The other entries of ``w`` and ``dydt`` are left as they
    were."""
    _early_phase(t, y, p, ip, d, w, entries)
    _signals_phase(t, y, p, ip, d, w, entries)
    _derivatives_phase(t, y, p, ip, d, w, dydt, entries)


@njit
def evaluate(t, y, p, ip, d, w, dydt):
    """The signals the rates need into ``w`` and all derivatives into ``dydt`` at ``(t, y)``
    (output-only signals are not computed: :func:`evaluate_all`)."""
    _open(t, y, p, ip, d, w, dydt)
    _closure_phase(t, y, p, ip, d, w, dydt)


@njit
def evaluate_all(t, y, p, ip, d, w, dydt):
    """Every signal (output-only ones too) into ``w`` and all derivatives into ``dydt``."""
    evaluate(t, y, p, ip, d, w, dydt)
    _outputs_phase(t, y, p, ip, d, w)


@njit(RHS_SIG, nrt=True)
def rhs(t, y, p, ip, d, dydt):
    """dy/dt of the whole network (the integrator's right-hand side)."""
    w = np.empty(ip[IP_NW])
    evaluate(t, y, p, ip, d, w, dydt)


@njit(ROOTS_SIG, nrt=True)
def roots(t, y, p, ip, d, g):
    """Every event function of the network (trips, alarms, validity limits).

    Event functions read signals, so only the first two phases run (no component writes a
    signal in its ``derivatives``; the network checks that none reads a closure's outputs, and
    falls back to every phase if one does)."""
    w = np.empty(ip[IP_NW])
    if ip[IP_ROOTS_FULL] != 0:
        dydt = np.empty(ip[IP_NY])
        evaluate(t, y, p, ip, d, w, dydt)
    else:
        every = _entries(ip, 0)
        _early_phase(t, y, p, ip, d, w, every)
        _signals_phase(t, y, p, ip, d, w, every)
    g[:] = -1.0
    _roots_phase(t, y, p, ip, d, w, g)


@njit(nrt=True)
def signals_at(t, y, p, ip, d):
    """The signal vector at ``(t, y)``."""
    w = np.empty(ip[IP_NW])
    dydt = np.empty(ip[IP_NY])
    evaluate_all(t, y, p, ip, d, w, dydt)
    return w


@njit(nrt=True)
def signals_rows(ts, ys, p, ip, d, rows_out):
    """Signals of many recorded states at once (one discrete state): ``rows_out[k] = w(t_k)``."""
    w = np.empty(ip[IP_NW])
    dydt = np.empty(ip[IP_NY])
    for k in range(ts.shape[0]):
        evaluate_all(ts[k], ys[k], p, ip, d, w, dydt)
        rows_out[k, :] = w


@njit(JAC_SIG, nrt=True)
def jac(t, y, p, ip, d, J):
    """Jacobian df/dy: grouped forward differences of the rates before the closure, the closure
    by the chain rule, and the components' analytic columns (see the module docstring)."""
    ny = ip[IP_NY]
    nw = ip[IP_NW]
    w0 = np.empty(nw)
    f0 = np.empty(ny)
    _open(t, y, p, ip, d, w0, f0)
    # the closed rates at y (the reference of the chain rule and of the analytic columns)
    fz = f0.copy()
    wz = w0.copy()
    _closure_phase(t, y, p, ip, d, wz, fz)
    J[:, :] = 0.0
    typ = ip[IP_P_JAC_TYP]
    cptr = ip[IP_COLOR_PTR]
    ccols = ip[IP_COLOR_COLS]
    rptr = ip[IP_ROW_PTR]
    rows = ip[IP_ROWS]
    cb = ip[IP_CHAIN]
    n_chain = ip[cb + CH_N]
    ch_index = ip[cb + CH_INDEX]
    in_ptr = ip[cb + CH_IN_PTR]
    in_list = ip[cb + CH_IN]
    dw = np.empty(ip[in_ptr + n_chain])  # d(input signal)/dy_j of each chain column
    yp = y.copy()
    w1 = np.empty(nw)
    f1 = np.empty(ny)
    hs = np.empty(ny)
    subset = ip[IP_JAC_SUBSET] != 0
    for c in range(ip[IP_NCOLOR]):
        for k in range(ip[cptr + c], ip[cptr + c + 1]):
            j = ip[ccols + k]
            h = 1e-7 * max(abs(y[j]), p[typ + j])
            yp[j] = y[j] + h
            hs[j] = yp[j] - y[j]  # the increment actually represented
        if subset:
            # only the components the group's columns reach, on the signals and rates at y
            w1[:] = w0
            f1[:] = f0
            open_entries(t, yp, p, ip, d, w1, f1, _entries(ip, 1 + c))
        else:
            _open(t, yp, p, ip, d, w1, f1)
        for k in range(ip[cptr + c], ip[cptr + c + 1]):
            j = ip[ccols + k]
            for q in range(ip[rptr + j], ip[rptr + j + 1]):
                i = ip[rows + q]
                J[i, j] = (f1[i] - f0[i]) / hs[j]
            qc = ip[ch_index + j]
            if qc >= 0:
                for s in range(ip[in_ptr + qc], ip[in_ptr + qc + 1]):
                    m = ip[in_list + s]
                    dw[s] = (w1[m] - w0[m]) / hs[j]
            yp[j] = y[j]
    # the closure, column by column: Phi(f0 + h J0[:, j], w0 + h W[:, j], y + h e_j)
    if n_chain > 0:
        cols = ip[cb + CH_COLS]
        f_ptr = ip[cb + CH_F_PTR]
        f_list = ip[cb + CH_F]
        crow = ip[cb + CH_ROWS]
        n_rows = ip[cb + CH_NROWS]
        wc = w0.copy()
        fc = f0.copy()
        # One (equilibrium or two-region) pressurizer closes the plant: its node properties at
        # y are computed once; a column that leaves the pressure alone moves at most its own
        # node's properties, so only that node's look-up is redone (the same numbers as the
        # whole closure at the moved point: each node's entry depends on its enthalpy and the
        # pressure only).
        rz = _single_pzr(ip)
        nodes = np.empty((_pzr.N_NODE_ROWS, ip[rz + _pzr.F.N_NODES] if rz >= 0 else 0))
        saved = np.empty(4)
        i_press = ip[rz + _pzr.F.W_PRESSURE] if rz >= 0 else 0
        if rz >= 0:
            _pzr.node_props(t, y, p, ip, d, w0, rz, nodes)
        for qc in range(n_chain):
            j = ip[cols + qc]
            h = hs[j]
            yp[j] = y[j] + h
            for s in range(ip[in_ptr + qc], ip[in_ptr + qc + 1]):
                m = ip[in_list + s]
                wc[m] = w0[m] + h * dw[s]
            for s in range(ip[f_ptr + qc], ip[f_ptr + qc + 1]):
                i = ip[f_list + s]
                fc[i] = f0[i] + h * J[i, j]
            if rz >= 0 and wc[i_press] == w0[i_press]:
                node = _pzr.node_of_state(ip, rz, j)
                if node >= 0:
                    for e in range(4):
                        saved[e] = nodes[e, node]
                    _pzr.node_props_moved(t, yp, p, ip, d, wc, rz, nodes, node)
                _pzr.closure_on(t, yp, p, ip, d, wc, fc, rz, nodes)
                if node >= 0:
                    for e in range(4):
                        nodes[e, node] = saved[e]
            else:
                _closure_phase(t, yp, p, ip, d, wc, fc)
            for s in range(n_rows):
                i = ip[crow + s]
                J[i, j] = (fc[i] - fz[i]) / h
                fc[i] = f0[i]
            for s in range(ip[in_ptr + qc], ip[in_ptr + qc + 1]):
                m = ip[in_list + s]
                wc[m] = w0[m]
            yp[j] = y[j]
    # columns filled analytically: the component names a lead column, whose difference
    # quotient (of the closed rates) gives the rest (see the component's jac_fill)
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
                f1[i] = (f1[i] - fz[i]) / h
            _core.jac_fill(t, y, p, ip, d, f1, J, r)
