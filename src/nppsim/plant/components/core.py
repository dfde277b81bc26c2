"""The reactor core: point kinetics, poisons, decay heat, fuel rods, coolant channel, reactivity.

States (local names; the network prefixes them with the instance name, ``core.``):

* ``n``: fission rate relative to full power; ``c[i]``: delayed-neutron precursors relative to
  their equilibrium at ``n = 1``;
* ``temp_fuel[j]``, ``temp_clad[j]`` [K] and ``h[j]`` (coolant enthalpy) [J/kg] of the axial nodes
  ``j`` (bottom to top);
* ``iodine``, ``xenon``, ``promethium``, ``samarium``: number densities relative to their
  full-power equilibrium;
* ``bank[b]``: withdrawn fraction of each control-rod bank; ``boron`` [ppm];
* ``decay[k]``: the 94 ANS-5.1-2004 decay-heat states as fractions of full power;
* ``energy``: integrals of the prompt power, the decay power and the heat carried away by the
  coolant, in full-power seconds (J / P_nom), for the energy balance.

Ports (signals of other components): primary ``pressure`` [Pa], ``h_in`` (core inlet enthalpy)
[J/kg], ``flow`` (vessel flow relative to nominal) [1], ``rod_demand`` (regulating banks' speed
demand, -1 to 1) [1], ``boron_rate`` [ppm/s].

Power bookkeeping (ANS-5.1 normalization): the full-power fission rate is P_nom / Q with Q the total
recoverable energy per fission, decay energy included. Prompt power is ``n P_nom (1 - kappa)`` with
``kappa`` the decay-heat fraction in equilibrium after the design's operating time, so that prompt
plus decay equals P_nom in the full-power steady state. All heat is deposited in the fuel.

Every formula is a function of :mod:`nppsim.physics`; see ``docs/models/core.md``.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np
from scipy.optimize import brentq

from nppsim._jit import njit
from nppsim.designs import Design
from nppsim.errors import InputError
from nppsim.physics import decay_heat, heat_transfer, poisons, reactivity, water
from nppsim.physics.decay_heat import capture_factor_k
from nppsim.physics.heat_transfer import uo2_conductivity_k
from nppsim.physics.point_kinetics import kinetics_rates
from nppsim.physics.poisons import absorber_reactivity_k, chain_rates_k
from nppsim.physics.reactivity import doppler_k, moderator_k, rod_worth_fraction_k
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer
from nppsim.plant.dynamics import CoreDesign, core_design

CODE = 1
CLAD_DENSITY = 6550.0  # Zr-1%Nb density [kg/m3] (Zr alloys 6.55 g/cm3; IAEA-TECDOC-1496)
ROD_END_BLEND = 1e-3  # [1] width of the smooth stop of a bank at the ends of its travel
#: [1] regulating-sequence distance beyond a compensation limit over which the compensating
#: groups reach their full speed (tanh^2: they start gently, no step in the right-hand side)
COMPENSATION_BLEND = 0.05
#: [1] share of the compensating groups' speed that brings the regulating group back into its
#: working range whatever the power controller asks (the rest follows the controller's demand
#: in the same direction: the groups do not work against the regulator)
COMPENSATION_RESTORE = 0.25


class F(IntEnum):
    """The record of a core instance in ``ip`` (see :mod:`nppsim.plant.component`)."""

    Y_N = 0
    Y_C = 1
    Y_TEMP_FUEL = 2
    Y_TEMP_CLAD = 3
    Y_H = 4
    Y_IODINE = 5
    Y_XENON = 6
    Y_PROMETHIUM = 7
    Y_SAMARIUM = 8
    Y_BANK = 9
    Y_BORON = 10
    Y_DECAY = 11
    Y_ENERGY = 12
    N_GROUPS = 13
    N_NODES = 14
    N_BANKS = 15
    N_DECAY = 16
    N_FP = 17
    N_REG = 18
    I_REGULATING = 19
    P_SCALARS = 20
    P_BETA = 21
    P_LAM = 22
    P_SHAPE = 23
    P_WEIGHT = 24
    P_FILM_NOM = 25
    P_BANK_WORTH = 26
    P_BANK_SPEED = 27
    P_DECAY_A = 28
    P_DECAY_LAM = 29
    P_G_SCALARS = 30
    P_G_TABLE = 31
    D_TIME_SHUTDOWN = 32
    D_RHO_EXTERNAL = 33
    D_RHO_EXTERNAL_END = 34
    D_BANK_VELOCITY = 35
    D_BANK_TARGET = 36
    D_BANK_ARRIVAL = 37
    D_G_SWITCH = 38
    IN_PRESSURE = 39
    IN_H_IN = 40
    IN_FLOW = 41
    IN_ROD_DEMAND = 42
    IN_BORON_RATE = 43
    W_POWER_THERMAL = 44
    W_POWER_FISSION = 45
    W_POWER_DECAY = 46
    W_POWER_TO_COOLANT = 47
    W_POWER_RELATIVE = 48
    W_PERIOD_INVERSE = 49
    W_REACTIVITY = 50
    W_TEMP_FUEL_AVG = 51
    W_TEMP_FUEL_MAX = 52
    W_TEMP_CLAD_AVG = 53
    W_TEMP_INLET = 54
    W_TEMP_OUTLET = 55
    W_TEMP_COOLANT_AVG = 56
    W_FLOW_CORE = 57
    W_BORON = 58
    W_POISONS = 59
    W_ENERGY = 60
    W_ENERGY_STORED = 61
    W_BANK_POSITION = 62
    W_BANK_POSITION_AVG = 63
    W_BANK_REGULATING_SUM = 64
    W_H_OUT = 65
    W_FLOW_CHANNEL = 66
    W_NODE_TEMP = 67
    W_NODE_RHO = 68
    W_NODE_DRHO = 69
    W_NODE_HEAT = 70
    W_ENERGY_FUEL_CLAD = 71
    N_COMP = 72
    I_COMPENSATING = 73
    P_COMPENSATION = 74
    IN_ROD_AUTO = 75
    W_NODE_DRHO_DP = 76


# scalar parameters, by position in the P_SCALARS block
(
    S_P_NOM,
    S_GEN_TIME,
    S_SOURCE,
    S_ROD_LENGTH,
    S_R_CLAD_OUT,
    S_R_GAP,
    S_R_CLAD,
    S_CAP_FUEL,
    S_CAP_CLAD,
    S_MASS_COOLANT,
    S_MASS_FLOW_NOM,
    S_BYPASS,
    S_RADIAL_PEAKING,
    S_ALPHA_DOPPLER,
    S_ALPHA_MOD_T,
    S_ALPHA_MOD_RHO,
    S_ALPHA_BORON,
    S_SIGMA_F,
    S_PHI_NOM,
    S_NU,
    S_I_YIELD,
    S_X_YIELD,
    S_I_DECAY,
    S_X_DECAY,
    S_X_SIGMA,
    S_PM_YIELD,
    S_PM_DECAY,
    S_SM_SIGMA,
    S_SCALE_I,
    S_SCALE_X,
    S_SCALE_PM,
    S_SCALE_SM,
    S_KAPPA,
    S_TF_REF,
    S_TMOD_REF,
    S_RHOMOD_REF,
    S_RHO0,
    S_V_NODE,
) = range(38)
N_SCALARS = 38

# reactivity components, by position in the W_REACTIVITY block
RHO_TOTAL, RHO_DOPPLER, RHO_MOD, RHO_BORON, RHO_RODS, RHO_XENON, RHO_SM, RHO_EXT = range(8)
RHO_NAMES = ("total", "doppler", "moderator", "boron", "rods", "xenon", "samarium", "external")


# -- compiled pieces ------------------------------------------------------------------------------
@njit
def ramp_value(d, k, t):
    """Value at ``t`` of a ramp stored in ``d[k:k+4]`` as (t0, v0, t1, v1): v0 until t0, linear to
    v1 at t1, v1 from t1 on. A step (t1 = t0) has its new value at t0: an action applied at t
    acts from t (and a second step at the same t adds to the first)."""
    t0 = d[k]
    v0 = d[k + 1]
    t1 = d[k + 2]
    v1 = d[k + 3]
    if t >= t1:
        return v1
    if t <= t0:
        return v0
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


@njit
def decay_weight(t, p, ip, d, r, k):
    """Weight of decay state ``k`` in the decay power (the capture factor G on the fission
    products, 1 on the actinide modes)."""
    if k >= ip[r + F.N_FP]:
        return 1.0
    return capture_factor(t, p, ip, d, r)


@njit
def capture_factor(t, p, ip, d, r):
    """ANS-5.1 capture factor G at ``t`` (formula or G_max table after shutdown) [1]."""
    ts = d[ip[r + F.D_TIME_SHUTDOWN]]
    since = t - ts if t > ts else 0.0
    g = ip[r + F.P_G_SCALARS]
    gt = ip[r + F.P_G_TABLE]
    n_tab = int(p[g + 6])
    return capture_factor_k(
        since,
        p[g],
        p[g + 1],
        p[g + 2],
        p[g + 3],
        p[g + 4],
        p[g + 5],
        p[gt : gt + n_tab],
        p[gt + n_tab : gt + 2 * n_tab],
    )


@njit
def decay_power(t, y, p, ip, d, r):
    """Decay power relative to nominal [1]: G sum(fission products) + sum(actinide modes)."""
    yd = ip[r + F.Y_DECAY]
    nfp = ip[r + F.N_FP]
    s_fp = 0.0
    for k in range(nfp):
        s_fp += y[yd + k]
    s_act = 0.0
    for k in range(nfp, ip[r + F.N_DECAY]):
        s_act += y[yd + k]
    return capture_factor(t, p, ip, d, r) * s_fp + s_act


@njit
def _resistances(tf, flow, p, s, film_nom):
    """Fuel-to-clad and clad-to-coolant thermal resistances of one node [K/W], the fuel
    conductivity [W/m/K] and the film resistance per unit length [K m/W]."""
    k_f = uo2_conductivity_k(tf)
    r_fuel = 1.0 / (8.0 * math.pi * k_f)  # average-to-surface, parabolic profile [K m/W]
    r_fc = (r_fuel + p[s + S_R_GAP] + 0.5 * p[s + S_R_CLAD]) / p[s + S_ROD_LENGTH]
    hf = film_nom * max(abs(flow), 1e-3) ** 0.8
    r_film = 1.0 / (2.0 * math.pi * p[s + S_R_CLAD_OUT] * hf)
    r_cw = (0.5 * p[s + S_R_CLAD] + r_film) / p[s + S_ROD_LENGTH]
    return r_fc, r_cw, k_f, r_film


@njit(nrt=True)
def signals(t, y, p, ip, d, w, r):
    """Compute the core's signals (power, reactivity, temperatures, node properties)."""
    s = ip[r + F.P_SCALARS]
    nn = ip[r + F.N_NODES]
    press = w[ip[r + F.IN_PRESSURE]]
    h_in = w[ip[r + F.IN_H_IN]]
    flow = w[ip[r + F.IN_FLOW]]
    wt = ip[r + F.W_NODE_TEMP]
    wr = ip[r + F.W_NODE_RHO]
    wd = ip[r + F.W_NODE_DRHO]
    wp = ip[r + F.W_NODE_DRHO_DP]
    yh = ip[r + F.Y_H]
    weight = ip[r + F.P_WEIGHT]
    tmod = 0.0
    rmod = 0.0
    tcool_avg = 0.0
    props.nodes(p, ip, press, y, yh, nn, w, wt, wr, wd, wp)
    for j in range(nn):
        tj = w[wt + j]
        rj = w[wr + j]
        tmod += p[weight + j] * tj
        rmod += p[weight + j] * rj
        tcool_avg += tj
    tcool_avg /= nn
    n = y[ip[r + F.Y_N]]
    p_nom = p[s + S_P_NOM]
    p_prompt = n * (1.0 - p[s + S_KAPPA])
    p_decay = decay_power(t, y, p, ip, d, r)
    # reactivity
    ytf = ip[r + F.Y_TEMP_FUEL]
    ytc = ip[r + F.Y_TEMP_CLAD]
    tf_eff = 0.0
    tf_avg = 0.0
    tc_avg = 0.0
    for j in range(nn):
        tf_eff += p[weight + j] * y[ytf + j]
        tf_avg += y[ytf + j]
        tc_avg += y[ytc + j]
    tf_avg /= nn
    tc_avg /= nn
    wrho = ip[r + F.W_REACTIVITY]
    rho_d = doppler_k(tf_eff, p[s + S_TF_REF], p[s + S_ALPHA_DOPPLER])
    rho_m = moderator_k(
        tmod,
        rmod,
        p[s + S_TMOD_REF],
        p[s + S_RHOMOD_REF],
        p[s + S_ALPHA_MOD_T],
        p[s + S_ALPHA_MOD_RHO],
    )
    boron = y[ip[r + F.Y_BORON]]
    rho_b = p[s + S_ALPHA_BORON] * boron
    yb = ip[r + F.Y_BANK]
    nb = ip[r + F.N_BANKS]
    worth = ip[r + F.P_BANK_WORTH]
    rho_r = 0.0
    wbp = ip[r + F.W_BANK_POSITION]
    for b in range(nb):
        rho_r -= p[worth + b] * rod_worth_fraction_k(1.0 - y[yb + b])
        w[wbp + b] = y[yb + b]
    xenon = y[ip[r + F.Y_XENON]] * p[s + S_SCALE_X]
    samarium = y[ip[r + F.Y_SAMARIUM]] * p[s + S_SCALE_SM]
    rho_x = absorber_reactivity_k(p[s + S_X_SIGMA], xenon, p[s + S_NU], p[s + S_SIGMA_F])
    rho_s = absorber_reactivity_k(p[s + S_SM_SIGMA], samarium, p[s + S_NU], p[s + S_SIGMA_F])
    rho_e = ramp_value(d, ip[r + F.D_RHO_EXTERNAL], t)
    total = p[s + S_RHO0] + rho_d + rho_m + rho_b + rho_r + rho_x + rho_s + rho_e
    w[wrho + RHO_TOTAL] = total
    w[wrho + RHO_DOPPLER] = rho_d
    w[wrho + RHO_MOD] = rho_m
    w[wrho + RHO_BORON] = rho_b
    w[wrho + RHO_RODS] = rho_r
    w[wrho + RHO_XENON] = rho_x
    w[wrho + RHO_SM] = rho_s
    w[wrho + RHO_EXT] = rho_e
    # kinetics rate (for the period signal)
    ng = ip[r + F.N_GROUPS]
    dc = np.empty(ng)
    yc = ip[r + F.Y_C]
    dn = kinetics_rates(
        n,
        y[yc : yc + ng],
        total,
        p[ip[r + F.P_BETA] : ip[r + F.P_BETA] + ng],
        p[ip[r + F.P_LAM] : ip[r + F.P_LAM] + ng],
        p[s + S_GEN_TIME],
        p[s + S_SOURCE],
        dc,
    )
    w[ip[r + F.W_PERIOD_INVERSE]] = dn / n if n > 0.0 else 0.0
    # heat flows and temperatures
    mdot_nom = p[s + S_MASS_FLOW_NOM]
    bypass = p[s + S_BYPASS]
    mdot = mdot_nom * flow
    mdot_ch = (1.0 - bypass) * mdot
    shape = ip[r + F.P_SHAPE]
    film = ip[r + F.P_FILM_NOM]
    wq = ip[r + F.W_NODE_HEAT]
    t_max = -1e300
    for j in range(nn):
        tf = y[ytf + j]
        _r_fc, r_cw, k_f, r_film = _resistances(tf, flow, p, s, p[film + j])
        w[wq + j] = (y[ytc + j] - w[wt + j]) / r_cw  # clad to coolant [W]
        q_lin = (p_prompt + p_decay) * p_nom * p[shape + j] / p[s + S_ROD_LENGTH]
        q_lin *= p[s + S_RADIAL_PEAKING]
        tc_j = w[wt + j] + q_lin * (
            r_film + p[s + S_R_CLAD] + p[s + S_R_GAP] + 1.0 / (4.0 * math.pi * k_f)
        )
        if tc_j > t_max:
            t_max = tc_j
    h_last = y[yh + nn - 1]
    h_out = (1.0 - bypass) * h_last + bypass * h_in
    t_in = props.node(p, ip, press, h_in)[0]
    t_out = props.node(p, ip, press, h_out)[0]
    w[ip[r + F.W_POWER_THERMAL]] = (p_prompt + p_decay) * p_nom
    w[ip[r + F.W_POWER_FISSION]] = p_prompt * p_nom
    w[ip[r + F.W_POWER_DECAY]] = p_decay * p_nom
    w[ip[r + F.W_POWER_TO_COOLANT]] = mdot * (h_out - h_in)
    w[ip[r + F.W_POWER_RELATIVE]] = n
    w[ip[r + F.W_TEMP_FUEL_AVG]] = tf_avg
    w[ip[r + F.W_TEMP_FUEL_MAX]] = t_max
    w[ip[r + F.W_TEMP_CLAD_AVG]] = tc_avg
    w[ip[r + F.W_TEMP_INLET]] = t_in
    w[ip[r + F.W_TEMP_OUTLET]] = t_out
    w[ip[r + F.W_TEMP_COOLANT_AVG]] = tcool_avg
    w[ip[r + F.W_FLOW_CORE]] = mdot_ch
    w[ip[r + F.W_FLOW_CHANNEL]] = mdot_ch
    w[ip[r + F.W_H_OUT]] = h_last
    w[ip[r + F.W_BORON]] = boron
    wp = ip[r + F.W_POISONS]
    w[wp] = xenon
    w[wp + 1] = y[ip[r + F.Y_IODINE]] * p[s + S_SCALE_I]
    w[wp + 2] = samarium
    ye = ip[r + F.Y_ENERGY]
    we = ip[r + F.W_ENERGY]
    for k in range(3):
        w[we + k] = y[ye + k] * p_nom
    fuel_clad = 0.0
    coolant = 0.0
    for j in range(nn):
        fuel_clad += p[s + S_CAP_FUEL] * y[ytf + j] + p[s + S_CAP_CLAD] * y[ytc + j]
        coolant += p[s + S_MASS_COOLANT] * y[yh + j]
    w[ip[r + F.W_ENERGY_STORED]] = fuel_clad + coolant
    w[ip[r + F.W_ENERGY_FUEL_CLAD]] = fuel_clad
    reg = ip[r + F.I_REGULATING]
    nreg = ip[r + F.N_REG]
    zsum = 0.0
    for k in range(nreg):
        zsum += y[yb + ip[reg + k]]
    w[ip[r + F.W_BANK_REGULATING_SUM]] = zsum
    w[ip[r + F.W_BANK_POSITION_AVG]] = zsum / nreg


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Time derivatives of the core's states."""
    s = ip[r + F.P_SCALARS]
    nn = ip[r + F.N_NODES]
    p_nom = p[s + S_P_NOM]
    flow = w[ip[r + F.IN_FLOW]]
    h_in = w[ip[r + F.IN_H_IN]]
    mdot_ch = w[ip[r + F.W_FLOW_CHANNEL]]
    n = y[ip[r + F.Y_N]]
    p_prompt = n * (1.0 - p[s + S_KAPPA])
    p_decay = w[ip[r + F.W_POWER_DECAY]] / p_nom
    ytf = ip[r + F.Y_TEMP_FUEL]
    ytc = ip[r + F.Y_TEMP_CLAD]
    yh = ip[r + F.Y_H]
    wt = ip[r + F.W_NODE_TEMP]
    shape = ip[r + F.P_SHAPE]
    film = ip[r + F.P_FILM_NOM]
    m_cool = p[s + S_MASS_COOLANT]
    for j in range(nn):
        q = (p_prompt + p_decay) * p_nom * p[shape + j]
        tf = y[ytf + j]
        tc = y[ytc + j]
        r_fc, r_cw, _, _ = _resistances(tf, flow, p, s, p[film + j])
        q_fc = (tf - tc) / r_fc
        q_cw = (tc - w[wt + j]) / r_cw
        dydt[ytf + j] = (q - q_fc) / p[s + S_CAP_FUEL]
        dydt[ytc + j] = (q_fc - q_cw) / p[s + S_CAP_CLAD]
        h_up = h_in if j == 0 else y[yh + j - 1]
        dydt[yh + j] = (mdot_ch * (h_up - y[yh + j]) + q_cw) / m_cool
    # kinetics
    ng = ip[r + F.N_GROUPS]
    yc = ip[r + F.Y_C]
    rho = w[ip[r + F.W_REACTIVITY] + RHO_TOTAL]
    dc = dydt[yc : yc + ng]
    dydt[ip[r + F.Y_N]] = kinetics_rates(
        n,
        y[yc : yc + ng],
        rho,
        p[ip[r + F.P_BETA] : ip[r + F.P_BETA] + ng],
        p[ip[r + F.P_LAM] : ip[r + F.P_LAM] + ng],
        p[s + S_GEN_TIME],
        p[s + S_SOURCE],
        dc,
    )
    # poisons (relative to their full-power equilibrium)
    phi = n * p[s + S_PHI_NOM]
    fission = p[s + S_SIGMA_F] * phi
    si, sx = p[s + S_SCALE_I], p[s + S_SCALE_X]
    di, dx = chain_rates_k(
        y[ip[r + F.Y_IODINE]] * si,
        y[ip[r + F.Y_XENON]] * sx,
        phi,
        fission,
        p[s + S_I_YIELD],
        p[s + S_X_YIELD],
        p[s + S_I_DECAY],
        p[s + S_X_DECAY],
        p[s + S_X_SIGMA],
    )
    dydt[ip[r + F.Y_IODINE]] = di / si
    dydt[ip[r + F.Y_XENON]] = dx / sx
    spm, ssm = p[s + S_SCALE_PM], p[s + S_SCALE_SM]
    dpm, dsm = chain_rates_k(
        y[ip[r + F.Y_PROMETHIUM]] * spm,
        y[ip[r + F.Y_SAMARIUM]] * ssm,
        phi,
        fission,
        p[s + S_PM_YIELD],
        0.0,
        p[s + S_PM_DECAY],
        0.0,
        p[s + S_SM_SIGMA],
    )
    dydt[ip[r + F.Y_PROMETHIUM]] = dpm / spm
    dydt[ip[r + F.Y_SAMARIUM]] = dsm / ssm
    # decay heat groups, driven by the fission rate
    yd = ip[r + F.Y_DECAY]
    da = ip[r + F.P_DECAY_A]
    dl = ip[r + F.P_DECAY_LAM]
    for k in range(ip[r + F.N_DECAY]):
        dydt[yd + k] = p[da + k] * n - p[dl + k] * y[yd + k]
    # control rods: manual or scram velocity from the discrete state, plus the automatic
    # regulating sequence driven by the rod controller's demand
    yb = ip[r + F.Y_BANK]
    nb = ip[r + F.N_BANKS]
    vel = ip[r + F.D_BANK_VELOCITY]
    for b in range(nb):
        dydt[yb + b] = d[vel + b]
    u = w[ip[r + F.IN_ROD_DEMAND]]
    if u != 0.0:
        _drive_sequence(
            dydt,
            y,
            p,
            ip,
            yb,
            ip[r + F.I_REGULATING],
            ip[r + F.N_REG],
            u,
            ip[r + F.P_BANK_SPEED],
            1,
        )
    # compensating groups: step in while the regulating sequence is near an end of its travel
    nc = ip[r + F.N_COMP]
    if nc > 0 and ip[r + F.IN_ROD_AUTO] >= 0 and w[ip[r + F.IN_ROD_AUTO]] > 0.5:
        uc = compensation_demand(y, p, ip, r, u)
        if uc != 0.0:
            # one speed for the groups: the compensation's third parameter
            speed = ip[r + F.P_COMPENSATION] + 2
            _drive_sequence(dydt, y, p, ip, yb, ip[r + F.I_COMPENSATING], nc, uc, speed, 0)
    dydt[ip[r + F.Y_BORON]] = w[ip[r + F.IN_BORON_RATE]]
    ye = ip[r + F.Y_ENERGY]
    dydt[ye] = p_prompt
    dydt[ye + 1] = p_decay
    dydt[ye + 2] = mdot_ch * (y[yh + nn - 1] - h_in) / p_nom


@njit
def _drive_sequence(dydt, y, p, ip, yb, seq, n, u, speed, stride):
    """Add the motion of a sequence of banks driven together at demand ``u`` (-1 to 1) to
    ``dydt``: inserting, the first bank of the sequence still out moves; withdrawing, the last
    one still in (a smooth hand-over at the ends of travel, blended over ``ROD_END_BLEND``).

    ``ip[seq:seq + n]`` are the banks' indices; bank ``b`` moves at ``p[speed + stride * b]``
    [1/s] (``stride`` 1: each bank its own speed; 0: one speed for all).
    """
    remaining = 1.0
    for kk in range(n):
        b = ip[seq + (kk if u < 0.0 else n - 1 - kk)]
        z = y[yb + b]
        lim = z if u < 0.0 else 1.0 - z
        share = remaining if kk == n - 1 else remaining * math.tanh(max(lim, 0.0) / ROD_END_BLEND)
        remaining -= share
        dydt[yb + b] += u * p[speed + stride * b] * share * math.tanh(max(lim, 0.0) / ROD_END_BLEND)
        if remaining <= 0.0:
            break


@njit
def compensation_demand(y, p, ip, r, u):
    r"""Speed demand of the compensating groups (-1 to 1) from the regulating sequence's position
    and the power controller's demand u.

    .. math:: u_c = -\tanh^2\!\big((s_{lo} - s)/w\big)\,\big(k + (1 - k)\max(-u, 0)\big)
              \ [s < s_{lo}], \qquad
              u_c = \tanh^2\!\big((s - s_{hi})/w\big)\,\big(k + (1 - k)\max(u, 0)\big)
              \ [s > s_{hi}]

    with s the sum of the regulating banks' positions, [s_lo, s_hi] the regulator's working
    range (a dead band: no compensating motion inside it), w = COMPENSATION_BLEND and
    k = COMPENSATION_RESTORE. The compensating groups insert while the regulating group is deep
    in the core and withdraw while it is near the top: at full speed while the controller drives
    the same way (they take over the manoeuvre from the regulator at its end stop), at the
    share k otherwise (they bring the regulator back to its working range without working
    against it), so that the regulating group keeps travel both ways (the automatic follow-up of
    the compensating groups by the regulator's position in rod control systems without soluble
    boron)."""
    reg = ip[r + F.I_REGULATING]
    yb = ip[r + F.Y_BANK]
    s = 0.0
    for j in range(ip[r + F.N_REG]):
        s += y[yb + ip[reg + j]]
    q = ip[r + F.P_COMPENSATION]
    lo, hi = p[q], p[q + 1]
    k = COMPENSATION_RESTORE
    if s < lo:
        x = math.tanh((lo - s) / COMPENSATION_BLEND)
        return -x * x * (k + (1.0 - k) * max(-u, 0.0))
    if s > hi:
        x = math.tanh((s - hi) / COMPENSATION_BLEND)
        return x * x * (k + (1.0 - k) * max(u, 0.0))
    return 0.0


@njit
def roots(t, y, p, ip, d, w, g, r):
    """The core has no event functions of its own (trips are the protection's)."""


@njit
def jac_lead(t, y, p, ip, d, r):
    """Lead column of the analytic decay-heat block and its increment (a decay-power change of
    1e-6 of nominal)."""
    yd = ip[r + F.Y_DECAY]
    return yd, 1e-6 / decay_weight(t, p, ip, d, r, 0)


@njit(nrt=True)
def jac_fill(t, y, p, ip, d, col, J, r):
    """Fill the decay-heat columns of ``J`` from the difference quotient ``col`` of the lead one.

    The decay states enter the rest of the network only through the decay power
    P_d = sum_k w_k h_k (linear in the states), and obey dh_k/dt = a_k n - lambda_k h_k. So
    column k is w_k g - lambda_k e_k, with g = col / w_0 outside the block.
    """
    yd = ip[r + F.Y_DECAY]
    nk = ip[r + F.N_DECAY]
    dl = ip[r + F.P_DECAY_LAM]
    w0 = decay_weight(t, p, ip, d, r, 0)
    ny = J.shape[0]
    gcol = col / w0
    for k in range(nk):
        gcol[yd + k] = 0.0
    g_fp = capture_factor(t, p, ip, d, r)
    nfp = ip[r + F.N_FP]
    for k in range(nk):
        wk = g_fp if k < nfp else 1.0
        j = yd + k
        for i in range(ny):
            J[i, j] = wk * gcol[i]
        J[j, j] = -p[dl + k]


# -- the Python face -----------------------------------------------------------------------------
def _chopped_cosine(n_nodes: int, height: float, extrapolation: float) -> np.ndarray:
    """Fraction of core power in each of ``n_nodes`` equal axial nodes for a chopped cosine.

    .. math:: q(z) \\propto \\cos(\\pi (z - H/2) / H_e), \\quad H_e = H + 2\\delta
    """
    he = height + 2.0 * extrapolation
    z = np.linspace(0.0, height, n_nodes + 1)
    prim = he / math.pi * np.sin(math.pi * (z - height / 2.0) / he)
    f = np.diff(prim)
    return f / f.sum()


class Core(Component):
    """The reactor core (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"core"``).
    design : Design
        A design with every core section (``design.has_dynamics``).
    """

    kind = "core"
    code = CODE
    Field = F

    def __init__(self, name: str, design: Design | CoreDesign) -> None:
        super().__init__(name)
        self.design = core_design(design)
        self._derive()

    # -- parameters from the design ----------------------------------------------------------
    def _derive(self) -> None:
        d = self.design
        c, k, r = d.core, d.kinetics, d.reactivity
        nn = c.axial_nodes
        height = c.active_height.si
        n_rods = c.fuel_assemblies.si * c.rods_per_assembly.si
        r_po = c.pellet_outer_diameter.si / 2
        r_hole = c.pellet_hole_diameter.si / 2
        r_co = c.rod_outer_diameter.si / 2
        r_ci = r_co - c.clad_thickness.si
        node_len = height / nn
        rod_length = n_rods * node_len
        fuel_area = math.pi * (r_po**2 - r_hole**2)
        clad_area = math.pi * (r_co**2 - r_ci**2)
        cap_fuel = (
            fuel_area * rod_length * c.fuel_density.si * heat_transfer.uo2_specific_heat(900.0)
        )
        cap_clad = clad_area * rod_length * CLAD_DENSITY * heat_transfer.zr1nb_specific_heat(600.0)
        pitch = c.rod_pitch.si
        cell = math.sqrt(3.0) / 2.0 * pitch**2 - math.pi * r_co**2
        flow_area = n_rods * cell
        p_nom = d.rating.power_thermal.si
        press = d.coolant.pressure.si
        t_in = d.coolant.inlet_temperature.si
        mdot = d.coolant.mass_flow.si
        bypass = c.bypass_fraction.si
        shape = _chopped_cosine(nn, height, c.axial_peaking_extrapolation.si)
        h = water.enthalpy_pt(press, t_in) + np.cumsum(shape) * p_nom / ((1 - bypass) * mdot)
        t_nodes = np.array([water.temperature_ph(press, hj) for hj in h])
        rho_nodes = np.array([water.density_pt(press, tj) for tj in t_nodes])
        mass_cool = float(np.mean(rho_nodes)) * flow_area * node_len
        d_h = heat_transfer.hydraulic_diameter_triangular(pitch, 2 * r_co)
        g_mass = (1 - bypass) * mdot / flow_area
        psi = heat_transfer.weisman_factor(pitch / (2 * r_co))
        hfilm = psi * np.array(
            [
                heat_transfer.heat_transfer_coefficient(
                    heat_transfer.dittus_boelter_nusselt(
                        g_mass * d_h / water.viscosity_pt(press, tj), water.prandtl_pt(press, tj)
                    ),
                    water.conductivity_pt(press, tj),
                    d_h,
                )
                for tj in t_nodes
            ]
        )
        kc = heat_transfer.zr1nb_conductivity(600.0)
        po = d.poisons
        phi = po.thermal_flux_full_power.si
        q_f = d.decay_heat.energy_per_fission.si
        core_area = c.fuel_assemblies.si * math.sqrt(3.0) / 2.0 * c.assembly_pitch.si**2
        sigma_f = (p_nom / q_f) / (phi * core_area * height)
        dh_model = decay_heat.decay_heat_model(
            d.decay_heat.fission_fractions,
            q_mev=d.decay_heat.energy_per_fission.value,
            capture_r=d.decay_heat.capture_ratio.si,
        )
        t_op = d.decay_heat.operating_time.si
        kappa = float(dh_model.power(dh_model.equilibrium(1.0, t_op), 0.0, t_op))
        weight = shape**2 / np.sum(shape**2)
        xe = poisons.XenonConstants(
            iodine_yield=po.iodine_yield.si,
            xenon_yield=po.xenon_yield.si,
            iodine_decay_constant=po.iodine_decay_constant.si,
            xenon_decay_constant=po.xenon_decay_constant.si,
            xenon_cross_section=po.xenon_cross_section.si,
        )
        sm = poisons.SamariumConstants(
            promethium_yield=po.promethium_yield.si,
            promethium_decay_constant=po.promethium_decay_constant.si,
            samarium_cross_section=po.samarium_cross_section.si,
        )
        i0, x0 = (float(v) for v in poisons.xenon_equilibrium(phi, sigma_f, xe))
        pm0, sm0 = (float(v) for v in poisons.samarium_equilibrium(phi, sigma_f, sm))
        banks = d.rods.banks
        names = [b.name for b in banks]
        self.bank_names = names
        self.regulating = [names.index(x) for x in d.rods.regulating_banks]
        rods = d.rods
        self.compensating = [names.index(x) for x in getattr(rods, "compensating_banks", [])]
        self.compensation = np.zeros(3)
        if self.compensating:
            # the design's checks require all three with compensating banks
            assert rods.regulator_low is not None and rods.regulator_high is not None
            assert rods.compensating_speed is not None
            self.compensation[:] = (
                rods.regulator_low.si,
                rods.regulator_high.si,
                rods.compensating_speed.si,
            )
        self.n_nodes = nn
        self.n_groups = len(k.beta.si_list)
        self.dh_model = dh_model
        self.xe, self.sm = xe, sm
        sc = np.zeros(N_SCALARS)
        sc[S_P_NOM] = p_nom
        sc[S_GEN_TIME] = k.generation_time.si
        sc[S_SOURCE] = k.neutron_source.si
        sc[S_ROD_LENGTH] = rod_length
        sc[S_R_CLAD_OUT] = r_co
        sc[S_R_GAP] = heat_transfer.gap_resistance(r_po, c.gap_conductance.si)
        sc[S_R_CLAD] = heat_transfer.clad_resistance(r_ci, r_co, float(kc))
        sc[S_CAP_FUEL] = cap_fuel
        sc[S_CAP_CLAD] = cap_clad
        sc[S_MASS_COOLANT] = mass_cool
        sc[S_MASS_FLOW_NOM] = mdot
        sc[S_BYPASS] = bypass
        sc[S_RADIAL_PEAKING] = c.radial_peaking.si
        sc[S_ALPHA_DOPPLER] = r.doppler_coefficient.si
        sc[S_ALPHA_MOD_T] = r.moderator_temperature_coefficient.si
        sc[S_ALPHA_MOD_RHO] = r.moderator_density_coefficient.si
        sc[S_ALPHA_BORON] = r.boron_worth.si
        sc[S_SIGMA_F] = sigma_f
        sc[S_PHI_NOM] = phi
        sc[S_NU] = po.neutrons_per_fission.si
        sc[S_I_YIELD] = xe.iodine_yield
        sc[S_X_YIELD] = xe.xenon_yield
        sc[S_I_DECAY] = xe.iodine_decay_constant
        sc[S_X_DECAY] = xe.xenon_decay_constant
        sc[S_X_SIGMA] = xe.xenon_cross_section
        sc[S_PM_YIELD] = sm.promethium_yield
        sc[S_PM_DECAY] = sm.promethium_decay_constant
        sc[S_SM_SIGMA] = sm.samarium_cross_section
        sc[S_SCALE_I], sc[S_SCALE_X], sc[S_SCALE_PM], sc[S_SCALE_SM] = i0, x0, pm0, sm0
        sc[S_KAPPA] = kappa
        sc[S_V_NODE] = mass_cool / water.density_pt(press, t_in + 15.0)
        self.sc = sc
        self.beta = np.asarray(k.beta.si_list)
        self.lam = np.asarray(k.decay_constants.si_list)
        self.shape, self.weight, self.film_nom = shape, weight, hfilm
        self.bank_worth = np.array([b.worth.si for b in banks])
        self.bank_speed = np.array([b.speed.si for b in banks])
        self.bank_full_power = np.array([b.position_full_power.si for b in banks])
        self.t_operating = t_op
        self.g_scalars, self.g_table = decay_heat.capture_factor_constants(t_op)
        self._reference()

    def _reference(self) -> None:
        """Full-power reference: feedback reference temperatures and rho_0 (critical at full
        power with the design's critical boron, banks at their full-power positions)."""
        d, sc = self.design, self.sc
        press = d.coolant.pressure.si
        th = self.thermal_steady(
            1.0, press, float(water.enthalpy_pt(press, d.coolant.inlet_temperature.si)), 1.0
        )
        sc[S_TF_REF] = float(self.weight @ th["temp_fuel"])
        sc[S_TMOD_REF] = float(self.weight @ th["temp_coolant"])
        sc[S_RHOMOD_REF] = float(self.weight @ th["rho_coolant"])
        rho_known = (
            sc[S_ALPHA_BORON] * d.reactivity.critical_boron_full_power.si
            + float(reactivity.rod_banks(self.bank_full_power, self.bank_worth))
            + float(poisons.xenon_reactivity(sc[S_SCALE_X], sc[S_SIGMA_F], sc[S_NU], self.xe))
            + float(poisons.samarium_reactivity(sc[S_SCALE_SM], sc[S_SIGMA_F], sc[S_NU], self.sm))
        )
        # critical with a source: rho n / Lambda + S = 0 at n = 1
        sc[S_RHO0] = -sc[S_SOURCE] * sc[S_GEN_TIME] - rho_known

    def resistances(self, temp_fuel: np.ndarray, flow: float) -> tuple[np.ndarray, np.ndarray]:
        """Fuel-to-clad and clad-to-coolant resistances of the nodes [K/W] (Python side)."""
        out = [
            _resistances(float(tf), float(flow), self.sc, 0, float(f))[:2]
            for tf, f in zip(temp_fuel, self.film_nom, strict=True)
        ]
        return np.array([o[0] for o in out]), np.array([o[1] for o in out])

    def thermal_steady(
        self,
        power: float,
        press: float,
        h_in: float,
        flow: float,
        tprops: Any = None,
    ) -> dict[str, np.ndarray]:
        """Steady fuel, clad and coolant temperatures at relative thermal power ``power``.

        ``tprops(press, h) -> (T, rho)`` gives the coolant properties (default IF97 through
        CoolProp; the network passes its own tables so that the state is at rest in the kernel).
        """
        sc = self.sc
        q = power * sc[S_P_NOM] * self.shape
        mdot_ch = (1 - sc[S_BYPASS]) * sc[S_MASS_FLOW_NOM] * flow
        h = h_in + np.cumsum(q) / mdot_ch
        if tprops is None:
            t_cool, rho_cool = water.temperature_density_ph(press, h)
        else:
            tr = np.array([tprops(press, hj) for hj in h])
            t_cool, rho_cool = tr[:, 0], tr[:, 1]
        tf = t_cool + 300.0
        tc = t_cool
        for _ in range(100):
            r_fc, r_cw = self.resistances(tf, flow)
            tc = t_cool + q * r_cw
            tf_new = tc + q * r_fc
            if np.max(np.abs(tf_new - tf)) < 1e-10:
                tf = tf_new
                break
            tf = tf_new
        return {
            "h": h,
            "temp_coolant": t_cool,
            "rho_coolant": rho_cool,
            "temp_clad": tc,
            "temp_fuel": tf,
        }

    # -- declarations ------------------------------------------------------------------------
    def declare(self, b: Declarer) -> None:
        nn, ng = self.n_nodes, self.n_groups
        nbk = len(self.bank_names)
        nk = self.dh_model.n_states
        b.state("n", 1, "1", 1e-14, description="fission rate relative to full power")
        b.state("c", ng, "1", 1e-14, description="delayed-neutron precursors (relative)")
        b.state("temp_fuel", nn, "K", 1e-4, description="fuel temperature of the axial nodes")
        b.state("temp_clad", nn, "K", 1e-4, description="cladding temperature of the nodes")
        b.state("h", nn, "J/kg", 1e-1, description="coolant enthalpy of the channel nodes")
        b.state("iodine", 1, "1", 1e-8, description="I-135 relative to full-power equilibrium")
        b.state("xenon", 1, "1", 1e-8, description="Xe-135 relative to full-power equilibrium")
        b.state("promethium", 1, "1", 1e-8, description="Pm-149 relative to equilibrium")
        b.state("samarium", 1, "1", 1e-8, description="Sm-149 relative to equilibrium")
        b.state(
            "bank",
            nbk,
            "1",
            1e-7,
            labels=[f"bank[{x}]" for x in self.bank_names],
            description="withdrawn fraction of each control-rod bank",
        )
        b.state("boron", 1, "ppm", 1e-5, description="boron concentration in the coolant")
        b.state("decay", nk, "1", 1e-12, description="ANS-5.1 decay-heat states (relative)")
        b.state(
            "energy",
            3,
            "s",
            1e-6,
            labels=["energy_prompt", "energy_decay", "energy_removed"],
            description="integrals of prompt power, decay power and heat removed (full-power s)",
        )
        b.count("groups", ng)
        b.count("nodes", nn)
        b.count("banks", nbk)
        b.count("decay", nk)
        b.count("fp", self.dh_model.n_fission_product_groups)
        b.count("reg", len(self.regulating))
        b.int_param("regulating", self.regulating, "regulating banks, first inserted first")
        b.count("comp", len(self.compensating))
        b.int_param(
            "compensating",
            self.compensating or [0],
            "compensating banks (first inserted first; N_COMP of them)",
        )
        b.param(
            "compensation",
            self.compensation,
            description="regulator working range (low, high) [1], compensating speed [1/s]",
        )
        b.param("scalars", self.sc, description="scalar core parameters (see S_* in the module)")
        b.param("beta", self.beta, "1", "delayed-neutron fractions")
        b.param("lam", self.lam, "1/s", "precursor decay constants")
        b.param("shape", self.shape, "1", "axial power fraction of each node")
        b.param("weight", self.weight, "1", "feedback importance weight of each node")
        b.param("film_nom", self.film_nom, "W/m2/K", "film coefficient at nominal flow")
        b.param("bank_worth", self.bank_worth, "1", "total worth of each bank")
        b.param("bank_speed", self.bank_speed, "1/s", "drive speed of each bank")
        b.param("decay_a", self.dh_model.yield_per_fission_power, "1/s")
        b.param("decay_lam", self.dh_model.decay_constants, "1/s")
        gsc = np.concatenate((self.g_scalars, [len(self.g_table) // 2]))
        b.param("g_scalars", gsc, description="ANS-5.1 capture factor constants")
        b.param("g_table", self.g_table, description="ANS-5.1 G_max table (ln t, G)")
        b.discrete("time_shutdown", math.inf, "s", description="time of the last reactor trip")
        b.discrete(
            "rho_external",
            [0.0, 0.0, 0.0, 0.0],
            "1",
            description="external reactivity ramp (t0, v0, t1, v1)",
        )
        b.discrete(
            "rho_external_end",
            math.inf,
            "s",
            scheduled=True,
            description="end of the external reactivity ramp (a kink)",
        )
        b.discrete("bank_velocity", np.zeros(nbk), "1/s", description="manual or scram motion")
        b.discrete("bank_target", self.bank_full_power, "1", description="manual bank target")
        b.discrete(
            "bank_arrival",
            np.full(nbk, math.inf),
            "s",
            scheduled=True,
            description="time a moving bank reaches its target",
        )
        b.discrete(
            "g_switch",
            math.inf,
            "s",
            scheduled=True,
            description="ANS-5.1 capture factor switches to its table (shutdown + 1e4 s)",
        )
        for port in ("pressure", "h_in", "flow", "rod_demand", "boron_rate"):
            b.port(port)
        # the rod controller in automatic: the compensating groups follow the regulator only then
        b.port("rod_auto", optional=True)
        # what each signal reads (the Jacobian's structure; without it a signal is taken to
        # read every state and port of the core, and every controller reading it every column)
        fb = ("temp_fuel", "h", "boron", "bank", "xenon", "samarium", "port:pressure")
        b.signal(
            "power_thermal",
            "W",
            columns="power_thermal_w",
            description="fission + decay",
            depends=("n", "decay"),
        )
        b.signal(
            "power_fission",
            "W",
            columns="power_fission_w",
            description="prompt power",
            depends=("n",),
        )
        b.signal("power_decay", "W", columns="power_decay_w", depends=("decay",))
        b.signal(
            "power_to_coolant",
            "W",
            columns="power_to_coolant_w",
            depends=("h", "port:flow", "port:h_in"),
        )
        b.signal("power_relative", "1", columns="power_relative", depends=("n",))
        b.signal(
            "period_inverse",
            "1/s",
            description="(dn/dt)/n, inverse reactor period",
            depends=("n", "c", *fb),
        )
        b.signal("reactivity", "1", 8, columns=[f"reactivity_{x}" for x in RHO_NAMES], depends=fb)
        b.signal("temp_fuel_avg", "K", columns="temp_fuel_avg_k", depends=("temp_fuel",))
        b.signal(
            "temp_fuel_max",
            "K",
            columns="temp_fuel_max_k",
            description="hot-rod centreline temperature, hottest node",
            depends=("temp_fuel", "n", "decay", "h", "port:pressure", "port:flow"),
        )
        b.signal("temp_clad_avg", "K", columns="temp_clad_avg_k", depends=("temp_clad",))
        b.signal(
            "temp_inlet",
            "K",
            columns="temp_coolant_inlet_k",
            depends=("port:pressure", "port:h_in"),
        )
        b.signal(
            "temp_outlet",
            "K",
            columns="temp_coolant_outlet_k",
            depends=("h", "port:h_in", "port:pressure"),
        )
        b.signal(
            "temp_coolant_avg", "K", columns="temp_coolant_avg_k", depends=("h", "port:pressure")
        )
        b.signal("flow_core", "kg/s", columns="flow_core_kg_s", depends=("port:flow",))
        b.signal("boron", "ppm", columns="boron_ppm", depends=("boron",))
        b.signal(
            "poisons",
            "1/m3",
            3,
            columns=[
                "xenon_number_density_per_m3",
                "iodine_number_density_per_m3",
                "samarium_number_density_per_m3",
            ],
            depends=("xenon", "iodine", "samarium"),
        )
        b.signal(
            "energy",
            "J",
            3,
            columns=["energy_prompt_j", "energy_decay_j", "energy_removed_j"],
            depends=("energy",),
        )
        b.signal(
            "energy_stored",
            "J",
            columns="energy_stored_j",
            depends=("temp_fuel", "temp_clad", "h"),
        )
        b.signal(
            "energy_fuel_clad",
            "J",
            description="heat stored in fuel and cladding",
            depends=("temp_fuel", "temp_clad"),
        )
        b.signal(
            "bank_position",
            "1",
            nbk,
            columns=[f"bank_position_{x}_frac" for x in self.bank_names],
            depends=("bank",),
        )
        b.signal("bank_position_avg", "1", columns="bank_position_frac", depends=("bank",))
        b.signal("bank_regulating_sum", "1", depends=("bank",))
        b.signal("h_out", "J/kg", description="enthalpy at the channel outlet", depends=("h",))
        b.signal("flow_channel", "kg/s", depends=("port:flow",))
        b.signal("node_temp", "K", nn, depends=("h", "port:pressure"))
        b.signal("node_rho", "kg/m3", nn, depends=("h", "port:pressure"))
        b.signal("node_drho", "kg2/(m3 J)", nn, depends=("h", "port:pressure"))
        b.signal("node_drho_dp", "kg/(m3 Pa)", nn, depends=("h", "port:pressure"))
        b.signal(
            "node_heat",
            "W",
            nn,
            depends=("temp_clad", "temp_fuel", "h", "port:pressure", "port:flow"),
        )
        # structure of the derivatives (for the Jacobian)
        feedback = (
            "n",
            "c",
            "temp_fuel",
            "h",
            "xenon",
            "samarium",
            "bank",
            "boron",
            "port:pressure",
        )
        b.depends("n", feedback)
        b.depends("c", ("n", "c"), diagonal=False)
        heat = ("n", "decay", "temp_fuel", "temp_clad", "h", "port:flow", "port:pressure")
        b.depends("temp_fuel", heat)
        b.depends("temp_clad", heat)
        b.depends("h", ("temp_clad", "temp_fuel", "h", "port:flow", "port:pressure", "port:h_in"))
        b.depends("iodine", ("n", "iodine"))
        b.depends("xenon", ("n", "iodine", "xenon"))
        b.depends("promethium", ("n", "promethium"))
        b.depends("samarium", ("n", "promethium", "samarium"))
        b.depends(
            "bank",
            ("bank", "port:rod_demand", "port:rod_auto")
            if self.compensating
            else ("bank", "port:rod_demand"),
        )
        b.depends("boron", ("port:boron_rate",))
        b.depends("decay", ("n", "decay"), diagonal=True)
        b.depends("energy", ("n", "decay", "h", "port:flow", "port:h_in", "port:pressure"))
        b.analytic_columns("decay")

    # -- steady state ------------------------------------------------------------------------
    def steady_state(
        self,
        net: Any,
        y: np.ndarray,
        d: np.ndarray,
        power: float,
        press: float,
        h_in: float,
        flow: float,
        boron: float | None,
        tprops: Any = None,
    ) -> None:
        """Fill the core's states for a steady state at relative power ``power`` with inlet
        enthalpy ``h_in`` [J/kg] (boron at the design's critical value or ``boron``; criticality is
        then set by the caller)."""
        th = self.thermal_steady(power, press, h_in, flow, tprops)
        st = net.states
        y[st[f"{self.name}.n"].slice] = power
        y[st[f"{self.name}.c"].slice] = power
        y[st[f"{self.name}.temp_fuel"].slice] = th["temp_fuel"]
        y[st[f"{self.name}.temp_clad"].slice] = th["temp_clad"]
        y[st[f"{self.name}.h"].slice] = th["h"]
        sc = self.sc
        phi = power * sc[S_PHI_NOM]
        i_eq, x_eq = (float(v) for v in poisons.xenon_equilibrium(phi, sc[S_SIGMA_F], self.xe))
        pm_eq, sm_eq = (float(v) for v in poisons.samarium_equilibrium(phi, sc[S_SIGMA_F], self.sm))
        y[st[f"{self.name}.iodine"].start] = i_eq / sc[S_SCALE_I]
        y[st[f"{self.name}.xenon"].start] = x_eq / sc[S_SCALE_X]
        y[st[f"{self.name}.promethium"].start] = pm_eq / sc[S_SCALE_PM]
        y[st[f"{self.name}.samarium"].start] = sm_eq / sc[S_SCALE_SM]
        y[st[f"{self.name}.decay"].slice] = self.dh_model.equilibrium(power, self.t_operating)
        y[st[f"{self.name}.bank"].slice] = self.bank_full_power
        cb = self.design.reactivity.critical_boron_full_power.si if boron is None else boron
        y[st[f"{self.name}.boron"].start] = cb
        y[st[f"{self.name}.energy"].slice] = 0.0
        d[net.discrete[f"{self.name}.bank_target"].slice] = self.bank_full_power

    def sequence_positions(
        self, s: float, z: np.ndarray, group: list[int] | None = None
    ) -> np.ndarray:
        """Positions of all banks with the regulating sequence (or the sequence of ``group``,
        bank indices) at ``s`` (0: all its banks in). The banks move in sequence without
        overlap: the first listed is inserted first and withdrawn last."""
        z = z.copy()
        group = self.regulating if group is None else group
        m = len(group)
        for k, b in enumerate(group):
            z[b] = min(max(s - (m - 1 - k), 0.0), 1.0)
        return z

    def make_critical(
        self,
        net: Any,
        y: np.ndarray,
        d: np.ndarray,
        critical: str,
        file: str | None,
        rho: float | None = None,
    ) -> None:
        """Adjust boron (``critical="boron"``) or the regulating banks (``"bank"``) so that the
        core is critical with its source at the state ``y``: rho n / Lambda + S = 0 (or so that
        its reactivity is ``rho`` [1], a subcritical core at its source level)."""
        sc = self.sc
        n = float(y[net.states[f"{self.name}.n"].start])
        if rho is not None:
            needed = rho
        else:
            needed = -sc[S_SOURCE] * sc[S_GEN_TIME] / n if n > 0.0 else 0.0
        i_b = net.states[f"{self.name}.boron"].start
        w_rho = net.signals[f"{self.name}.reactivity"].start
        sl_bank = net.states[f"{self.name}.bank"].slice

        def total(yy: np.ndarray) -> float:
            return float(net.signal_vector(0.0, yy, d)[w_rho])

        if critical == "boron":
            cb = float(y[i_b])
            rest = total(y) - sc[S_ALPHA_BORON] * cb
            cb = (needed - rest) / sc[S_ALPHA_BORON]
            r = self.design.reactivity
            if not r.boron_min.si <= cb <= r.boron_max.si:
                raise InputError(
                    file,
                    "initial.critical",
                    "boron",
                    f"critical boron would be {cb:.0f} ppm (for a reactivity of "
                    f"{needed * 1e5:.4g} pcm at {n:.3g} of full power), outside the design's "
                    f"{r.boron_min.si:g} to {r.boron_max.si:g} ppm: no steady state",
                )
            y[i_b] = cb
        elif critical == "bank":
            # the regulating sequence, or, where the design has compensating groups, those
            # (the regulating group stays at its working position)
            group = self.compensating or self.regulating
            m = len(group)
            z0 = y[sl_bank].copy()

            def f(s: float) -> float:
                yy = y.copy()
                yy[sl_bank] = self.sequence_positions(s, z0, group)
                return total(yy) - needed

            lo, hi = f(0.0), f(float(m))
            if lo > 0 or hi < 0:
                raise InputError(
                    file,
                    "initial.critical",
                    "bank",
                    f"the {'compensating' if self.compensating else 'regulating'} banks "
                    "cannot make the core critical at this "
                    f"power with {y[i_b]:g} ppm boron (reactivity {lo * 1e5:.0f} to "
                    f"{hi * 1e5:.0f} pcm over their travel): no steady state",
                )
            s = brentq(f, 0.0, float(m), xtol=1e-13)
            y[sl_bank] = self.sequence_positions(s, z0, group)
            d[net.discrete[f"{self.name}.bank_target"].slice] = y[sl_bank]
        else:
            raise InputError(file, "initial.critical", critical, "allowed: 'boron' or 'bank'")

    # -- events between steps ----------------------------------------------------------------
    def on_bank_arrival(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """A bank moved by hand (or dropped by a scram) reached its target: stop it there."""
        vel = net.discrete[f"{self.name}.bank_velocity"].start + k
        tgt = net.discrete[f"{self.name}.bank_target"].start + k
        d[vel] = 0.0
        y[net.states[f"{self.name}.bank"].start + k] = d[tgt]
        return y, d, []

    def on_rho_external_end(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """The external reactivity ramp ends (a kink: the integrator restarts)."""
        return y, d, []

    def on_g_switch(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """The ANS-5.1 capture factor switches from its formula to the G_max table (a step of
        the decay power: the integrator restarts)."""
        return y, d, []

    def scram(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> None:
        """Release every bank: they fall over the design's drop time (called after the scram
        delay by the protection)."""
        speed = 1.0 / self.design.rods.scram_drop_time.si
        z = y[net.states[f"{self.name}.bank"].slice]
        dv = net.discrete[f"{self.name}.bank_velocity"].slice
        d[dv] = -speed
        d[net.discrete[f"{self.name}.bank_target"].slice] = 0.0
        arr = net.discrete[f"{self.name}.bank_arrival"]
        d[arr.slice] = t + z / speed

    def drop_bank(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int) -> bool:
        """Release bank ``k`` alone (URB): it falls over the design's drop time. Returns False
        if it is already in the core."""
        z = float(y[net.states[f"{self.name}.bank"].start + k])
        if z <= 1e-6:
            return False
        speed = 1.0 / self.design.rods.scram_drop_time.si
        d[net.discrete[f"{self.name}.bank_velocity"].start + k] = -speed
        d[net.discrete[f"{self.name}.bank_target"].start + k] = 0.0
        d[net.discrete[f"{self.name}.bank_arrival"].start + k] = t + z / speed
        return True

    def on_reactor_trip(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        """A reactor trip: manual bank motions stop (the rods fall after the scram delay) and the
        shutdown time is recorded for the decay heat."""
        d[net.discrete[f"{self.name}.bank_velocity"].slice] = 0.0
        d[net.discrete[f"{self.name}.bank_arrival"].slice] = math.inf
        self.shutdown(net, t, d)
        return []

    def shutdown(self, net: Any, t: float, d: np.ndarray) -> None:
        """Record a reactor trip at ``t`` (decay-heat capture factor) and schedule the switch of
        the capture factor to its table."""
        d[net.discrete[f"{self.name}.time_shutdown"].start] = t
        d[net.discrete[f"{self.name}.g_switch"].start] = t + decay_heat.capture_factor_switch_time()
