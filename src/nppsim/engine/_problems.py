"""Test problems for the stiff integrator (tests and ``benchmarks/integrator.py``).

Each problem is a set of compiled functions with the signatures of
:mod:`nppsim.engine.signatures`:

* :func:`decay_rhs` / :func:`decay_jac`: independent decays :math:`y_i' = -p_i y_i`;
* :func:`robertson_rhs` / :func:`robertson_jac`: Robertson's chemical kinetics (Hairer & Wanner
  1996, §IV.1, problem ROBER);
* :func:`vdp_rhs` / :func:`vdp_jac`: Van der Pol's oscillator
  :math:`y_1' = y_2, y_2' = \\mu (1 - y_1^2) y_2 - y_1` with :math:`\\mu` = ``p[0]``
  (``vdp1000`` of Shampine & Reichelt 1997 for :math:`\\mu = 1000`);
* :func:`kinetics_rhs` / :func:`kinetics_jac`: normalized point kinetics with ``G = ip[0]``
  groups, ``p = (Lambda, beta_1..G, lambda_1..G)``, external reactivity ``rho = d[0]``
  (the equations of :func:`nppsim.physics.point_kinetics.derivatives_normalized`);
* :func:`poly_rhs` / :func:`poly_roots`: :math:`y = (t, t^2, \\sin t)` with events at known
  times, for event location;
* :func:`blowup_rhs` / :func:`blowup_jac`: :math:`y' = y^2`, infinite at t = 1 (failure
  reporting);
* :func:`plant_rhs` / :func:`plant_jac` / :func:`plant_roots`: a plant-like problem of
  :data:`PLANT_N` = 190 states with the structure of a VVER model (see :func:`plant_rhs`). It is a
  synthetic benchmark with plausible magnitudes, not the plant model.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from nppsim._jit import njit
from nppsim.engine.signatures import JAC_SIG, RHS_SIG, ROOTS_SIG

# --------------------------------------------------------------------------------------------------
# Small classical problems
# --------------------------------------------------------------------------------------------------


@njit(RHS_SIG, nrt=True)
def decay_rhs(t, y, p, ip, d, f):  # pragma: no cover - compiled
    """:math:`y_i' = -p_i y_i` [1/s]."""
    for i in range(y.shape[0]):
        f[i] = -p[i] * y[i]


@njit(JAC_SIG, nrt=True)
def decay_jac(t, y, p, ip, d, J):  # pragma: no cover - compiled
    """Jacobian of :func:`decay_rhs`."""
    for i in range(y.shape[0]):
        J[i, i] = -p[i]


@njit(ROOTS_SIG, nrt=True)
def decay_roots(t, y, p, ip, d, g):  # pragma: no cover - compiled
    """``g0 = d[0] - y[0]`` (y0 falls to d[0]); ``g1 = t - d[1]`` (a time)."""
    g[0] = d[0] - y[0]
    g[1] = t - d[1]


@njit(RHS_SIG, nrt=True)
def robertson_rhs(t, y, p, ip, d, f):  # pragma: no cover - compiled
    """Robertson (1966) kinetics: rates 0.04, 1e4, 3e7."""
    f[0] = -0.04 * y[0] + 1.0e4 * y[1] * y[2]
    f[2] = 3.0e7 * y[1] * y[1]
    f[1] = -f[0] - f[2]


@njit(JAC_SIG, nrt=True)
def robertson_jac(t, y, p, ip, d, J):  # pragma: no cover - compiled
    """Jacobian of :func:`robertson_rhs`."""
    J[0, 0] = -0.04
    J[0, 1] = 1.0e4 * y[2]
    J[0, 2] = 1.0e4 * y[1]
    J[2, 1] = 6.0e7 * y[1]
    J[1, 0] = 0.04
    J[1, 1] = -1.0e4 * y[2] - 6.0e7 * y[1]
    J[1, 2] = -1.0e4 * y[1]


@njit(RHS_SIG, nrt=True)
def vdp_rhs(t, y, p, ip, d, f):  # pragma: no cover - compiled
    """Van der Pol: y1' = y2, y2' = mu (1 - y1^2) y2 - y1, mu = p[0]."""
    f[0] = y[1]
    f[1] = p[0] * (1.0 - y[0] * y[0]) * y[1] - y[0]


@njit(JAC_SIG, nrt=True)
def vdp_jac(t, y, p, ip, d, J):  # pragma: no cover - compiled
    """Jacobian of :func:`vdp_rhs`."""
    J[0, 1] = 1.0
    J[1, 0] = -2.0 * p[0] * y[0] * y[1] - 1.0
    J[1, 1] = p[0] * (1.0 - y[0] * y[0])


@njit(ROOTS_SIG, nrt=True)
def vdp_roots(t, y, p, ip, d, g):  # pragma: no cover - compiled
    """``g0 = y1`` (upward zero crossings of the oscillator)."""
    g[0] = y[0]


@njit(RHS_SIG, nrt=True)
def kinetics_rhs(t, y, p, ip, d, f):  # pragma: no cover - compiled
    """Normalized point kinetics: n' = ((rho - beta) n + sum beta_i c_i)/Lambda,
    c_i' = lambda_i (n - c_i); p = (Lambda, beta_1..G, lambda_1..G), G = ip[0], rho = d[0]."""
    g = ip[0]
    gen = p[0]
    rho = d[0]
    beta = 0.0
    s = 0.0
    for i in range(g):
        b = p[1 + i]
        beta += b
        s += b * y[1 + i]
        f[1 + i] = p[1 + g + i] * (y[0] - y[1 + i])
    f[0] = ((rho - beta) * y[0] + s) / gen


@njit(JAC_SIG, nrt=True)
def kinetics_jac(t, y, p, ip, d, J):  # pragma: no cover - compiled
    """Jacobian of :func:`kinetics_rhs`."""
    g = ip[0]
    gen = p[0]
    beta = 0.0
    for i in range(g):
        b = p[1 + i]
        beta += b
        lam = p[1 + g + i]
        J[0, 1 + i] = b / gen
        J[1 + i, 0] = lam
        J[1 + i, 1 + i] = -lam
    J[0, 0] = (d[0] - beta) / gen


@njit(ROOTS_SIG, nrt=True)
def kinetics_roots(t, y, p, ip, d, g):  # pragma: no cover - compiled
    """``g0 = n - d[1]``: the power reaches ``d[1]``."""
    g[0] = y[0] - d[1]


@njit(RHS_SIG, nrt=True)
def poly_rhs(t, y, p, ip, d, f):  # pragma: no cover - compiled
    """y = (t, t^2, sin t) from y(0) = 0: f = (1, 2 t, cos t)."""
    f[0] = 1.0
    f[1] = 2.0 * t
    f[2] = math.cos(t)


@njit(JAC_SIG, nrt=True)
def poly_jac(t, y, p, ip, d, J):  # pragma: no cover - compiled
    """Jacobian of :func:`poly_rhs` (zero)."""
    J[0, 0] = 0.0


@njit(ROOTS_SIG, nrt=True)
def poly_roots(t, y, p, ip, d, g):  # pragma: no cover - compiled
    """g0 = y1 - d[0] (y1 = t^2 reaches d[0]), g1 = y2 - d[1] (sin t reaches d[1]),
    g2 = d[2] - y0 (never fires while t > d[2])."""
    g[0] = y[1] - d[0]
    g[1] = y[2] - d[1]
    g[2] = d[2] - y[0]


# --------------------------------------------------------------------------------------------------
# Plant-like problem (190 states)
# --------------------------------------------------------------------------------------------------

#: Delayed-neutron data (six groups, U-235 thermal, Keepin 1965) and generation time [s].
BETA = np.array([0.000215, 0.001424, 0.001274, 0.002568, 0.000748, 0.000273])
LAMBDA_D = np.array([0.0124, 0.0305, 0.111, 0.301, 1.14, 3.01])
GEN_TIME = 2.0e-5

N_DH = 94  # decay-heat groups
N_ZONE = 4  # axial core zones
N_FUEL = 8  # radial fuel nodes per zone
N_HOT, N_SG, N_COLD, N_PLEN = 5, 10, 5, 3  # loop mixing volumes
N_LAG = 6  # instrument lags

# State layout: the decay-heat block first (its columns are eliminated first without fill-in).
O_DH = 0
O_N = O_DH + N_DH  # relative power
O_C = O_N + 1  # 6 precursor groups (normalized)
O_CORE = O_C + 6  # per zone: N_FUEL fuel nodes, clad, coolant
PER_ZONE = N_FUEL + 2
O_I = O_CORE + N_ZONE * PER_ZONE  # iodine (normalized)
O_X = O_I + 1  # xenon (normalized)
O_LOOP = O_X + 1  # hot leg, SG primary, cold leg, plenum volumes [K]
N_LOOP = N_HOT + N_SG + N_COLD + N_PLEN
O_WALL = O_LOOP + N_LOOP  # SG tube wall temperatures [K]
O_PS = O_WALL + N_SG  # steam pressure [Pa]
O_LEV = O_PS + 1  # SG level [m]
O_PZP = O_LEV + 1  # pressurizer pressure [Pa]
O_PZL = O_PZP + 1  # pressurizer level [m]
O_PI = O_PZL + 1  # power-controller integral [1 s]
O_ROD = O_PI + 1  # rod position [1]
O_VALVE = O_ROD + 1  # turbine valve [1]
O_FEED = O_VALVE + 1  # feed-controller integral
O_LAG = O_FEED + 1  # instrument lags
PLANT_N = O_LAG + N_LAG

P0 = 3000e6  # nominal thermal power [W]
W = 17600.0  # coolant flow [kg/s]
CP = 5500.0  # coolant heat capacity [J/(kg K)]
C_FUEL = 0.8e6  # fuel node heat capacity [J/K]
C_CLAD = 0.3e6  # clad heat capacity per zone [J/K]
M_CORE = 3500.0  # coolant mass per zone [kg]
G_FUEL = 10e6  # conductance between fuel nodes [W/K]
G_GAP = 10e6  # fuel-clad conductance per zone [W/K]
G_CC = 15e6  # clad-coolant conductance per zone [W/K]
M_LOOP = np.array([4000.0] * N_HOT + [8000.0] * N_SG + [4000.0] * N_COLD + [10000.0] * N_PLEN)
G_PW = 60e6  # SG primary-wall conductance per segment [W/K]
G_WS = 60e6  # SG wall-secondary conductance per segment [W/K]
C_WALL = 2e6  # wall heat capacity per segment [J/K]
C_STEAM = 3000.0  # steam-system energy capacity [J/Pa]
P_S0 = 6.3e6  # nominal steam pressure [Pa]
T_SAT0 = 551.0  # saturation temperature at P_S0 [K]
DTSAT_DP = 1.4e-5  # [K/Pa]
ALPHA_F = -2.5e-5  # Doppler coefficient [1/K]
ALPHA_C = -2.0e-4  # moderator coefficient [1/K]
ROD_WORTH = 0.02  # reactivity of the regulating group over its stroke [1]
XE_WORTH = 0.028  # equilibrium xenon worth [1]
LAM_I, LAM_X, SIG_PHI = 2.87e-5, 2.09e-5, 3.5e-5  # [1/s]
TAU_LAG = np.array([0.5, 2.0, 2.0, 1.0, 1.0, 3.0])  # [s]
DH_LAM = np.logspace(-9.0, 0.5, N_DH)  # decay constants [1/s]
DH_E = 0.065 * np.full(N_DH, 1.0 / N_DH)  # equilibrium fractions of decay power [1]


def _plant_guess() -> np.ndarray:
    """Approximate full-power state: the conduction chain in closed form, the loop by energy
    balance (refined by :func:`plant_steady_state`)."""
    y = np.zeros(PLANT_N)
    y[O_DH : O_DH + N_DH] = DH_E
    y[O_N] = 1.0
    y[O_C : O_C + 6] = 1.0
    q_zone = P0 / N_ZONE
    t_in = 564.0
    for z in range(N_ZONE):
        t_out = t_in + q_zone / (W * CP)
        o = O_CORE + z * PER_ZONE
        t_cool = t_out  # well-mixed zone: outlet temperature
        t_clad = t_cool + q_zone / G_CC
        t_f = t_clad + q_zone / G_GAP  # outermost fuel node
        y[o + N_FUEL - 1] = t_f
        for m in range(N_FUEL - 2, -1, -1):
            t_f = t_f + q_zone * (m + 1) / N_FUEL / G_FUEL
            y[o + m] = t_f
        y[o + N_FUEL] = t_clad
        y[o + N_FUEL + 1] = t_cool
        t_in = t_out
    t_hot = t_in
    y[O_I] = 1.0
    y[O_X] = 1.0
    # Loop: hot leg at t_hot; SG segments remove P0 / N_SG each; cold leg and plenum at t_cold.
    y[O_LOOP : O_LOOP + N_HOT] = t_hot
    t = t_hot
    q_seg = P0 / N_SG
    for s in range(N_SG):
        t = t - q_seg / (W * CP)
        y[O_LOOP + N_HOT + s] = t
        t_wall = t - q_seg / G_PW
        y[O_WALL + s] = t_wall
    y[O_LOOP + N_HOT + N_SG : O_LOOP + N_LOOP] = t
    y[O_PS] = P_S0
    y[O_LEV] = 2.5
    y[O_PZP] = 15.7e6
    y[O_PZL] = 8.0
    y[O_PI] = 0.0
    y[O_ROD] = 0.5
    y[O_VALVE] = 1.0
    y[O_FEED] = 0.0
    y[O_LAG + 0] = 1.0
    y[O_LAG + 1] = t_hot
    y[O_LAG + 2] = t
    y[O_LAG + 3] = P_S0
    y[O_LAG + 4] = 15.7e6
    y[O_LAG + 5] = 2.5
    return y


def plant_atol() -> np.ndarray:
    """Absolute tolerances of the plant-like problem, in the unit of each state."""
    a = np.full(PLANT_N, 1e-3)  # temperatures [K]
    a[O_DH : O_DH + N_DH] = 1e-9
    a[O_N : O_N + 7] = 1e-7
    a[O_I] = a[O_X] = 1e-7
    a[O_PS] = a[O_PZP] = 10.0
    a[O_LAG + 3] = a[O_LAG + 4] = 10.0
    a[O_LEV] = a[O_PZL] = a[O_LAG + 5] = 1e-5
    a[O_PI] = a[O_ROD] = a[O_VALVE] = a[O_FEED] = a[O_LAG] = 1e-7
    return a


_Y_GUESS = _plant_guess()
_T_F0 = float(np.mean([_Y_GUESS[O_CORE + z * PER_ZONE + m] for z in range(4) for m in range(8)]))
_T_C0 = float(np.mean([_Y_GUESS[O_CORE + z * PER_ZONE + N_FUEL + 1] for z in range(4)]))
_T_AVG0 = 0.5 * (_Y_GUESS[O_LOOP] + _Y_GUESS[O_LOOP + N_LOOP - 1])


@njit(nrt=True)
def _demand(t, d):  # pragma: no cover - compiled
    """Turbine power demand [1]: d[2] - d[3] (1 - cos(2 pi t / d[4])) / 2 (load follow)."""
    return d[2] - d[3] * 0.5 * (1.0 - math.cos(2.0 * math.pi * t / d[4]))


@njit(RHS_SIG, nrt=True)
def plant_rhs(t, y, p, ip, d, f):  # pragma: no cover - compiled
    """Plant-like right-hand side (190 states).

    Point kinetics with six groups; reactivity = rods (position ``y[O_ROD]``, or scrammed when
    ``d[0] = 1``) + Doppler + moderator + xenon + ``d[1]``; 94 decay-heat groups
    :math:`D_j' = \\lambda_j (E_j n - D_j)` heating the fuel with the fission power; four axial
    zones of an 8-node radial fuel conduction chain, clad and coolant; a loop of 23 mixing
    volumes with a 10-segment steam generator (tube walls, steam pressure, level); pressurizer
    pressure and level relaxing towards the coolant-temperature-dependent equilibrium; a PI
    power controller moving the rods to follow the turbine demand (:func:`_demand`), a turbine
    valve, a feed controller, and six first-order instrument lags.
    """
    n = y[O_N]
    # reactivity
    tf = 0.0
    tc = 0.0
    for z in range(N_ZONE):
        o = O_CORE + z * PER_ZONE
        for m in range(N_FUEL):
            tf += y[o + m]
        tc += y[o + N_FUEL + 1]
    tf /= N_ZONE * N_FUEL
    tc /= N_ZONE
    rod = y[O_ROD]
    rho = (
        ROD_WORTH * (rod - 0.5)
        + ALPHA_F * (tf - _T_F0)
        + ALPHA_C * (tc - _T_C0)
        - XE_WORTH * (y[O_X] - 1.0)
        + d[1]
        - 0.08 * d[0]
    )
    beta = 0.0
    s = 0.0
    for i in range(6):
        beta += BETA[i]
        s += BETA[i] * y[O_C + i]
        f[O_C + i] = LAMBDA_D[i] * (n - y[O_C + i])
    f[O_N] = ((rho - beta) * n + s) / GEN_TIME
    # decay heat
    dh = 0.0
    esum = 0.0
    for j in range(N_DH):
        f[O_DH + j] = DH_LAM[j] * (DH_E[j] * n - y[O_DH + j])
        dh += y[O_DH + j]
        esum += DH_E[j]
    q_zone = P0 * ((1.0 - esum) * n + dh) / N_ZONE
    # core zones
    t_in = y[O_LOOP + N_LOOP - 1]
    for z in range(N_ZONE):
        o = O_CORE + z * PER_ZONE
        for m in range(N_FUEL):
            q = q_zone / N_FUEL
            if m > 0:
                q += G_FUEL * (y[o + m - 1] - y[o + m])
            if m < N_FUEL - 1:
                q -= G_FUEL * (y[o + m] - y[o + m + 1])
            else:
                q -= G_GAP * (y[o + m] - y[o + N_FUEL])
            f[o + m] = q / C_FUEL
        tcl = y[o + N_FUEL]
        tcool = y[o + N_FUEL + 1]
        f[o + N_FUEL] = (G_GAP * (y[o + N_FUEL - 1] - tcl) - G_CC * (tcl - tcool)) / C_CLAD
        f[o + N_FUEL + 1] = (W * CP * (t_in - tcool) + G_CC * (tcl - tcool)) / (M_CORE * CP)
        t_in = tcool
    # iodine and xenon (normalized to 1 at full-power equilibrium)
    f[O_I] = LAM_I * (n - y[O_I])
    f[O_X] = (
        (0.95 * (LAM_X + SIG_PHI)) * y[O_I]
        + (0.05 * (LAM_X + SIG_PHI)) * n
        - (LAM_X + SIG_PHI * n) * y[O_X]
    )
    # loop
    ps = y[O_PS]
    tsat = T_SAT0 + DTSAT_DP * (ps - P_S0)
    qsg = 0.0
    for v in range(N_LOOP):
        up = t_in if v == 0 else y[O_LOOP + v - 1]
        q = W * CP * (up - y[O_LOOP + v])
        if N_HOT <= v < N_HOT + N_SG:
            s_ = v - N_HOT
            q -= G_PW * (y[O_LOOP + v] - y[O_WALL + s_])
        f[O_LOOP + v] = q / (M_LOOP[v] * CP)
    for s_ in range(N_SG):
        tw = y[O_WALL + s_]
        qws = G_WS * (tw - tsat)
        qsg += qws
        f[O_WALL + s_] = (G_PW * (y[O_LOOP + N_HOT + s_] - tw) - qws) / C_WALL
    valve = y[O_VALVE]
    q_steam = P0 * valve * (ps / P_S0)
    f[O_PS] = (qsg - q_steam) / C_STEAM
    w_steam = q_steam / P0
    w_feed = 1.0 + y[O_FEED] + 0.5 * (2.5 - y[O_LEV])
    f[O_LEV] = 0.01 * (w_feed - w_steam)
    f[O_FEED] = 0.002 * (2.5 - y[O_LEV])
    t_avg = 0.5 * (y[O_LOOP] + y[O_LOOP + N_LOOP - 1])
    f[O_PZP] = ((15.7e6 + 1.0e5 * (t_avg - _T_AVG0)) - y[O_PZP]) / 10.0
    f[O_PZL] = ((8.0 + 0.05 * (t_avg - _T_AVG0)) - y[O_PZL]) / 20.0
    # control: power follows demand; rods move at most 0.002/s (smooth saturation)
    dem = _demand(t, d)
    err = dem - y[O_LAG + 0]
    f[O_PI] = err
    u = 0.05 * err + 0.002 * y[O_PI]
    f[O_ROD] = 0.002 * math.tanh(u / 0.002) * (1.0 - d[0])
    f[O_VALVE] = (dem - valve) / 5.0
    # instrument lags
    f[O_LAG + 0] = (n - y[O_LAG + 0]) / TAU_LAG[0]
    f[O_LAG + 1] = (y[O_LOOP] - y[O_LAG + 1]) / TAU_LAG[1]
    f[O_LAG + 2] = (y[O_LOOP + N_LOOP - 1] - y[O_LAG + 2]) / TAU_LAG[2]
    f[O_LAG + 3] = (ps - y[O_LAG + 3]) / TAU_LAG[3]
    f[O_LAG + 4] = (y[O_PZP] - y[O_LAG + 4]) / TAU_LAG[4]
    f[O_LAG + 5] = (y[O_LEV] - y[O_LAG + 5]) / TAU_LAG[5]


@njit(JAC_SIG, nrt=True)
def plant_jac(t, y, p, ip, d, J):  # pragma: no cover - compiled
    """Analytic Jacobian of :func:`plant_rhs` (J is zero on entry)."""
    n = y[O_N]
    tf = 0.0
    tc = 0.0
    for z in range(N_ZONE):
        o = O_CORE + z * PER_ZONE
        for m in range(N_FUEL):
            tf += y[o + m]
        tc += y[o + N_FUEL + 1]
    tf /= N_ZONE * N_FUEL
    tc /= N_ZONE
    rho = (
        ROD_WORTH * (y[O_ROD] - 0.5)
        + ALPHA_F * (tf - _T_F0)
        + ALPHA_C * (tc - _T_C0)
        - XE_WORTH * (y[O_X] - 1.0)
        + d[1]
        - 0.08 * d[0]
    )
    beta = 0.0
    for i in range(6):
        beta += BETA[i]
        J[O_N, O_C + i] = BETA[i] / GEN_TIME
        J[O_C + i, O_N] = LAMBDA_D[i]
        J[O_C + i, O_C + i] = -LAMBDA_D[i]
    J[O_N, O_N] = (rho - beta) / GEN_TIME
    k = n / GEN_TIME
    for z in range(N_ZONE):
        o = O_CORE + z * PER_ZONE
        for m in range(N_FUEL):
            J[O_N, o + m] = k * ALPHA_F / (N_ZONE * N_FUEL)
        J[O_N, o + N_FUEL + 1] = k * ALPHA_C / N_ZONE
    J[O_N, O_ROD] = k * ROD_WORTH
    J[O_N, O_X] = -k * XE_WORTH
    esum = 0.0
    for j in range(N_DH):
        J[O_DH + j, O_N] = DH_LAM[j] * DH_E[j]
        J[O_DH + j, O_DH + j] = -DH_LAM[j]
        esum += DH_E[j]
    dq_dn = P0 * (1.0 - esum) / N_ZONE
    dq_ddh = P0 / N_ZONE
    for z in range(N_ZONE):
        o = O_CORE + z * PER_ZONE
        for m in range(N_FUEL):
            r = o + m
            J[r, O_N] = dq_dn / N_FUEL / C_FUEL
            for j in range(N_DH):
                J[r, O_DH + j] = dq_ddh / N_FUEL / C_FUEL
            if m > 0:
                J[r, r - 1] += G_FUEL / C_FUEL
                J[r, r] -= G_FUEL / C_FUEL
            if m < N_FUEL - 1:
                J[r, r] -= G_FUEL / C_FUEL
                J[r, r + 1] += G_FUEL / C_FUEL
            else:
                J[r, r] -= G_GAP / C_FUEL
                J[r, o + N_FUEL] += G_GAP / C_FUEL
        rc = o + N_FUEL
        J[rc, o + N_FUEL - 1] = G_GAP / C_CLAD
        J[rc, rc] = -(G_GAP + G_CC) / C_CLAD
        J[rc, rc + 1] = G_CC / C_CLAD
        rw = o + N_FUEL + 1
        inlet = O_LOOP + N_LOOP - 1 if z == 0 else rw - PER_ZONE
        J[rw, inlet] = W / M_CORE
        J[rw, rw] = -(W * CP + G_CC) / (M_CORE * CP)
        J[rw, rc] = G_CC / (M_CORE * CP)
    J[O_I, O_N] = LAM_I
    J[O_I, O_I] = -LAM_I
    J[O_X, O_I] = 0.95 * (LAM_X + SIG_PHI)
    J[O_X, O_N] = 0.05 * (LAM_X + SIG_PHI) - SIG_PHI * y[O_X]
    J[O_X, O_X] = -(LAM_X + SIG_PHI * n)
    core_out = O_CORE + (N_ZONE - 1) * PER_ZONE + N_FUEL + 1
    for v in range(N_LOOP):
        r = O_LOOP + v
        up = core_out if v == 0 else r - 1
        c = W / M_LOOP[v]
        J[r, up] += c
        J[r, r] -= c
        if N_HOT <= v < N_HOT + N_SG:
            s_ = v - N_HOT
            J[r, r] -= G_PW / (M_LOOP[v] * CP)
            J[r, O_WALL + s_] += G_PW / (M_LOOP[v] * CP)
    ps = y[O_PS]
    for s_ in range(N_SG):
        r = O_WALL + s_
        J[r, O_LOOP + N_HOT + s_] = G_PW / C_WALL
        J[r, r] = -(G_PW + G_WS) / C_WALL
        J[r, O_PS] = G_WS * DTSAT_DP / C_WALL
        J[O_PS, r] = G_WS / C_STEAM
    valve = y[O_VALVE]
    J[O_PS, O_PS] = -(N_SG * G_WS * DTSAT_DP + P0 * valve / P_S0) / C_STEAM
    J[O_PS, O_VALVE] = -P0 * (ps / P_S0) / C_STEAM
    J[O_LEV, O_FEED] = 0.01
    J[O_LEV, O_LEV] = -0.005
    J[O_LEV, O_VALVE] = -0.01 * ps / P_S0
    J[O_LEV, O_PS] = -0.01 * valve / P_S0
    J[O_FEED, O_LEV] = -0.002
    J[O_PZP, O_LOOP] = 0.5e5 / 10.0
    J[O_PZP, O_LOOP + N_LOOP - 1] = 0.5e5 / 10.0
    J[O_PZP, O_PZP] = -0.1
    J[O_PZL, O_LOOP] = 0.025 / 20.0
    J[O_PZL, O_LOOP + N_LOOP - 1] = 0.025 / 20.0
    J[O_PZL, O_PZL] = -1.0 / 20.0
    J[O_PI, O_LAG + 0] = -1.0
    dem = _demand(t, d)
    err = dem - y[O_LAG + 0]
    u = 0.05 * err + 0.002 * y[O_PI]
    th = math.tanh(u / 0.002)
    dsat = (1.0 - th * th) * (1.0 - d[0])
    J[O_ROD, O_LAG + 0] = -0.05 * dsat
    J[O_ROD, O_PI] = 0.002 * dsat
    J[O_VALVE, O_VALVE] = -1.0 / 5.0
    J[O_LAG + 0, O_N] = 1.0 / TAU_LAG[0]
    J[O_LAG + 1, O_LOOP] = 1.0 / TAU_LAG[1]
    J[O_LAG + 2, O_LOOP + N_LOOP - 1] = 1.0 / TAU_LAG[2]
    J[O_LAG + 3, O_PS] = 1.0 / TAU_LAG[3]
    J[O_LAG + 4, O_PZP] = 1.0 / TAU_LAG[4]
    J[O_LAG + 5, O_LEV] = 1.0 / TAU_LAG[5]
    for i in range(N_LAG):
        J[O_LAG + i, O_LAG + i] = -1.0 / TAU_LAG[i]


@njit(ROOTS_SIG, nrt=True)
def plant_roots(t, y, p, ip, d, g):  # pragma: no cover - compiled
    """Trips: g0 = n - 1.10 (high power), g1 = p_pz - 16.6 MPa (high pressure),
    g2 = 2.0 m - SG level (low level); inactive (-1) once scrammed (d[0] = 1)."""
    if d[0] > 0.5:
        g[0] = -1.0
        g[1] = -1.0
        g[2] = -1.0
        return
    g[0] = y[O_N] - 1.10
    g[1] = (y[O_PZP] - 16.6e6) / 1e6
    g[2] = 2.0 - y[O_LEV]


def plant_discrete(
    scram: float = 0.0,
    rho_ext: float = 0.0,
    demand: float = 1.0,
    swing: float = 0.0,
    period: float = 86400.0,
) -> np.ndarray:
    """Discrete state of the plant-like problem: scram flag, external reactivity [1],
    turbine demand [1], load-follow swing [1] and period [s]."""
    return np.array([scram, rho_ext, demand, swing, period], dtype=np.float64)


@lru_cache(maxsize=1)
def _steady_state() -> tuple[float, ...]:
    y = _Y_GUESS.copy()
    d = plant_discrete()
    p = np.zeros(1)
    ip = np.zeros(1, dtype=np.int64)
    f = np.zeros(PLANT_N)
    for _ in range(50):
        plant_rhs(0.0, y, p, ip, d, f)
        jm = np.zeros((PLANT_N, PLANT_N))
        plant_jac(0.0, y, p, ip, d, jm)
        dy = np.linalg.solve(jm, -f)
        y += dy
        if np.max(np.abs(dy) / plant_atol()) < 1e-3:
            break
    else:  # pragma: no cover - the guess is close
        raise RuntimeError("plant-like steady state: Newton did not converge")
    return tuple(y.tolist())


def plant_steady_state() -> np.ndarray:
    """Full-power steady state of the plant-like problem (Newton on f(y) = 0 from an analytic
    guess; the derivatives there are below 1e-3 of the absolute tolerances per second)."""
    return np.array(_steady_state())


@njit(RHS_SIG, nrt=True)
def blowup_rhs(t, y, p, ip, d, f):  # pragma: no cover - compiled
    """y' = y^2: from y(0) = 1 the solution 1/(1 - t) is infinite at t = 1."""
    f[0] = y[0] * y[0]


@njit(JAC_SIG, nrt=True)
def blowup_jac(t, y, p, ip, d, J):  # pragma: no cover - compiled
    """Jacobian of :func:`blowup_rhs`."""
    J[0, 0] = 2.0 * y[0]
