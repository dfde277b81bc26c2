r"""Pressurizer out of equilibrium: a liquid and a vapour region, each with its own mass and energy.

**Model** (after J. H. Baron, "Digital model simulation of a nuclear pressurizer", *Nucl. Sci.
Eng.* 52 (1973) 283-291, and the two-region pressurizer treatment of the system codes, e.g.
RELAP5/MOD3.3 Code Manual vol. I, NUREG/CR-5535 (2001), interfacial heat and mass transfer in
stratified flow and wall condensation). The vessel holds two control volumes sharing one pressure:

* the **liquid region** (mass M_l, enthalpy H_l = M_l h_l), at the bottom, which receives the
  surge, the heaters, rain-out, condensate from the wall and the spray; it may be subcooled (after
  an insurge of hot-leg water) or superheated (after a depressurisation: metastable, it flashes);
* the **vapour region** (M_g, H_g = M_g h_g), above, which the relief and safety valves draw
  from; it may be superheated (after a compression) or wet (after spray or cooling: the excess
  water rains out).

States: M_l, H_l, M_g, H_g, the pressure p and the temperature T_w of the steam-space wall. The
pressure is a state whose rate follows from the constraint that the regions fill the vessel,
V_l + V_g = V with V_k = M_k / rho(p, h_k) (no iteration: a pure right-hand side). With
dH_k/dt = \dot H_k^0 + V'_k \dot p (the enthalpy form of the energy balance of a control volume
whose pressure changes; V'_l = V_l, V'_g = V - V_l so that the total internal energy
U = H_l + H_g - p V is exactly a linear invariant), the volume rate of region k is

.. math::

    \dot V_k = a_k - b_k \dot p, \quad
    a_k = \frac{\dot M_k}{\rho_k} - \frac{\rho_{h,k}}{\rho_k^2}(\dot H_k^0 - h_k \dot M_k), \quad
    b_k = \frac{\rho_{h,k} V'_k + M_k \rho_{p,k}}{\rho_k^2}

(b_k = V_k (\partial\rho/\partial p)_s / \rho_k: the region's isentropic compressibility), and
the constraint, with a first-order pull-back of the volume error (Baumgarte stabilisation, time
constant tau_V), gives

.. math:: \dot p = \frac{a_l + a_g + (V_l + V_g - V)/\tau_V}{b_l + b_g}.

**Heat and mass transfer between the regions** (every term moves mass and energy from one region
to the other, so total mass and energy are conserved to round-off):

* flashing (bubble rise): a liquid above its saturation enthalpy h_L(p) sends its vapour content
  x_l = (h_l - h_L)/h_fg to the vapour region over the bubble rise time tau_b:
  \Gamma_{fl} = M_l\,x_l/\tau_b, at h_V;
* rain-out: a vapour region below h_V(p) drops its water content over the droplet fall time
  tau_r: \Gamma_{ro} = M_g (h_V - h_g)/(h_{fg}\tau_r), at h_L;
* interface: heat from each region to the interface at T_sat, q_{li} = (hA)_{li}(T_l - T_{sat}),
  q_{gi} = (hA)_{gi}(T_g - T_{sat}); evaporation \Gamma_i = (q_{li} + q_{gi})/h_{fg} (negative:
  condensation on a subcooled liquid surface);
* wall condensation: steam condenses on a steam-space wall colder than saturation,
  q_{wc} = (hA)_{wc} (T_{sat} - T_w)^+, \Gamma_w = q_{wc}/(h_g - h_L) (Nusselt film condensation
  limited by conduction into the steel); the wall also exchanges heat by convection with the
  vapour, q_{wv} = (hA)_{wv}(T_w - T_g), and loses its share of the heat loss;
  C_w \dot T_w = q_{wc} - q_{wv} - Q_{loss,w};
* spray: the spray water m_sp (cold-leg enthalpy h_sp) falls through the steam and is heated
  towards saturation with efficiency eta by condensing \Gamma_{sp} = \eta\,m_{sp}(h_L - h_{sp})/
  (h_g - h_L) of vapour; spray and condensate join the liquid.

The heaters heat the liquid; the surge enters or leaves the liquid; the valves draw vapour. The
positive parts (x)^+ are smoothed (softplus of width eps, whose bias is below 1e-4 eps a few eps
away) so that the right-hand side is smooth. Metastable states (superheated liquid, subcooled
vapour) take the saturated branch's density and slopes extrapolated linearly in h (the table
has no metastable branch), continuous with the stable side in value and slope.

What it leaves out: the liquid-side wall and its heat capacity, level swell (bubbles are moved to
the vapour region but take no volume in the liquid), thermal stratification inside the liquid
(an insurge mixes with the whole liquid region), the surge line's own volume, and water relief
from a water-solid pressurizer (the valves pass steam only).

References
----------
* J. H. Baron, *Nucl. Sci. Eng.* 52 (1973) 283-291.
* RELAP5/MOD3.3 Code Manual, vol. I: Code structure, system models and solution methods,
  NUREG/CR-5535/Rev 1 (2001), §3 (interphase mass and heat transfer), §4.
* N. E. Todreas, M. S. Kazimi, *Nuclear Systems I*, 2nd ed., CRC Press (2012), ch. 6 (pressurizer
  insurge and outsurge, equilibrium and non-equilibrium).
* W. Nusselt, "Die Oberflächenkondensation des Wasserdampfes", *Z. VDI* 60 (1916) 541
  (film condensation on a vertical wall).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from nppsim._jit import njit
from nppsim.physics.water_table import ph_all, ph_branch_ends

__all__ = [
    "N_PARAMS",
    "N_PROPS",
    "N_RATES",
    "region_properties",
    "smooth_positive",
    "two_region_properties",
    "two_region_rates",
    "volume_rate_terms",
]

# parameters, by position in the block handed to the kernels
(
    PRM_VOLUME,  # vessel free volume [m3]
    PRM_TAU_BUBBLE,  # bubble rise (flashing) time [s]
    PRM_TAU_RAIN,  # droplet fall (rain-out) time [s]
    PRM_HA_LIQUID,  # liquid-interface heat transfer coefficient x area [W/K]
    PRM_HA_VAPOUR,  # vapour-interface [W/K]
    PRM_WALL_CAPACITY,  # steam-space wall heat capacity [J/K]
    PRM_HA_WALL_CONDENSATION,  # condensation on the wall [W/K]
    PRM_HA_WALL_CONVECTION,  # convection wall-vapour [W/K]
    PRM_SPRAY_EFFICIENCY,  # [1]
    PRM_LOSS_WALL_SHARE,  # share of the heat loss through the steam-space wall [1]
    PRM_HEAT_LOSS,  # total heat loss [W]
    PRM_SMOOTH_H,  # smoothing width of the positive parts in enthalpy [J/kg]
    PRM_SMOOTH_T,  # smoothing width of the positive parts in temperature [K]
    PRM_MASS_FADE,  # mass below which transfers out of a region fade [kg]
    PRM_TAU_VOLUME,  # pull-back time of the volume constraint [s]
) = range(15)
N_PARAMS = 15

# properties of the regions, by position in the array filled by two_region_properties
(
    PR_H_L,  # liquid specific enthalpy [J/kg]
    PR_H_G,  # vapour specific enthalpy [J/kg]
    PR_T_L,  # liquid temperature [K]
    PR_T_G,  # vapour temperature [K]
    PR_T_SAT,  # saturation temperature [K]
    PR_RHO_L,
    PR_RHO_G,
    PR_DRHO_DH_L,
    PR_DRHO_DP_L,
    PR_DRHO_DH_G,
    PR_DRHO_DP_G,
    PR_H_SAT_L,  # saturated-liquid enthalpy h_L(p) [J/kg]
    PR_H_SAT_V,  # saturated-vapour enthalpy h_V(p) [J/kg]
    PR_V_L,  # liquid volume [m3]
    PR_V_G,  # vapour volume [m3]
    PR_STATUS,  # 0, or -1 outside the tables
) = range(16)
N_PROPS = 16

# rates and transfer terms, by position in the array filled by two_region_rates
(
    RT_DM_L,  # dM_l/dt [kg/s]
    RT_DH_L,  # dH_l/dt without the V dp/dt term [W]
    RT_DM_G,
    RT_DH_G,
    RT_DT_W,  # wall temperature rate [K/s]
    RT_FLASH,  # flashing (bubble rise) [kg/s]
    RT_RAIN,  # rain-out [kg/s]
    RT_INTERFACE,  # interface evaporation (negative: condensation) [kg/s]
    RT_WALL,  # wall condensation [kg/s]
    RT_SPRAY_CONDENSATION,  # steam condensed by the spray [kg/s]
) = range(10)
N_RATES = 10


@njit
def smooth_positive(x: float, eps: float) -> float:
    """Smooth positive part (softplus): max(x, 0) + eps ln(1 + exp(-|x|/eps)).

    Equal to max(x, 0) within 1e-4 eps for |x| > 9 eps, eps ln 2 at 0, C-infinity.

    Parameters
    ----------
    x : float
        Argument [any unit].
    eps : float
        Width [same unit], > 0.

    Returns
    -------
    float
        The smoothed positive part [same unit], > 0.
    """
    return max(x, 0.0) + eps * math.log1p(math.exp(-abs(x) / eps))


@njit
def region_properties(
    tab: NDArray[np.float64], off: int, p: float, h: float, liquid: bool
) -> tuple[float, float, float, float, float, float, float, int]:
    """Temperature, density and its slopes of one region, stable or metastable.

    A liquid above its saturation enthalpy h_L(p) (superheated) or a vapour below h_V(p) (wet or
    subcooled) takes the density of the saturated branch extrapolated linearly in h,

    .. math:: \\rho(p, h) = \\rho(p, h_{sat}) + \\rho_h(p, h_{sat})\\,(h - h_{sat}),

    with the slopes of the saturated point (continuous in value and slope across h_sat). The
    liquid's temperature is extrapolated with its c_p; a wet vapour is at T_sat.

    Parameters
    ----------
    tab : ndarray
        Array holding the (p, h) table (:func:`nppsim.physics.water_table.ph_table`) at ``off``.
    off : int
        Offset of the table.
    p : float
        Pressure [Pa].
    h : float
        Specific enthalpy of the region [J/kg].
    liquid : bool
        The liquid region (True) or the vapour region (False).

    Returns
    -------
    tuple
        ``(T [K], rho [kg/m3], (d rho/d h)_p, (d rho/d p)_h, h_L [J/kg], h_V [J/kg],
        T_sat [K], status)``; status 0, or negative with NaN values outside the table.
    """
    nan = math.nan
    h_l, _, h_v, _, st = ph_branch_ends(tab, off, p)
    if st < 0:
        return nan, nan, nan, nan, nan, nan, nan, st
    r_sat = ph_all(tab, off, p, h_l if liquid else h_v)
    t_sat = ph_all(tab, off, p, h_l)[0] if not liquid else r_sat[0]
    if r_sat[7] < 0:
        return nan, nan, nan, nan, nan, nan, nan, r_sat[7]
    if liquid and h > h_l:
        t = r_sat[0] + (h - h_l) / r_sat[4]
        rho = r_sat[1] + r_sat[2] * (h - h_l)
        return t, rho, r_sat[2], r_sat[3], h_l, h_v, t_sat, 0
    if not liquid and h < h_v:
        rho = r_sat[1] + r_sat[2] * (h - h_v)
        return t_sat, rho, r_sat[2], r_sat[3], h_l, h_v, t_sat, 0
    r = ph_all(tab, off, p, h)
    if r[7] < 0:
        return nan, nan, nan, nan, nan, nan, nan, r[7]
    return r[0], r[1], r[2], r[3], h_l, h_v, t_sat, 0


@njit
def two_region_properties(
    tab: NDArray[np.float64],
    off: int,
    p: float,
    m_l: float,
    big_h_l: float,
    m_g: float,
    big_h_g: float,
    out: NDArray[np.float64],
) -> None:
    """Properties of both regions from the states (fills ``out``, indices ``PR_*``).

    Parameters
    ----------
    tab, off : ndarray, int
        The (p, h) table and its offset.
    p : float
        Pressure [Pa].
    m_l, big_h_l : float
        Liquid mass [kg] and enthalpy [J].
    m_g, big_h_g : float
        Vapour mass [kg] and enthalpy [J].
    out : ndarray
        At least ``N_PROPS`` entries.
    """
    h_l = big_h_l / m_l
    h_g = big_h_g / m_g
    tl, rl, rhl, rpl, hsl, hsv, tsat, s1 = region_properties(tab, off, p, h_l, True)
    tg, rg, rhg, rpg, _, _, _, s2 = region_properties(tab, off, p, h_g, False)
    out[PR_H_L] = h_l
    out[PR_H_G] = h_g
    out[PR_T_L] = tl
    out[PR_T_G] = tg
    out[PR_T_SAT] = tsat
    out[PR_RHO_L] = rl
    out[PR_RHO_G] = rg
    out[PR_DRHO_DH_L] = rhl
    out[PR_DRHO_DP_L] = rpl
    out[PR_DRHO_DH_G] = rhg
    out[PR_DRHO_DP_G] = rpg
    out[PR_H_SAT_L] = hsl
    out[PR_H_SAT_V] = hsv
    out[PR_V_L] = m_l / rl
    out[PR_V_G] = m_g / rg
    out[PR_STATUS] = min(s1, s2)


@njit
def two_region_rates(
    props: NDArray[np.float64],
    m_l: float,
    m_g: float,
    t_w: float,
    spray: float,
    h_spray: float,
    heater: float,
    relief: float,
    prm: NDArray[np.float64],
    out: NDArray[np.float64],
) -> None:
    """Mass and energy rates of both regions and the wall, without the surge (fills ``out``).

    The surge (into the liquid) and the V dp/dt terms are added by the caller, which knows the
    surge only once the pressure rate is solved (see the module docstring).

    .. math::

        \\dot M_l = \\Gamma_{ro} + \\Gamma_w + m_{sp} + \\Gamma_{sp} - \\Gamma_{fl} - \\Gamma_i,
        \\qquad \\dot M_g = -\\dot M_l + m_{sp} - m_r

        \\dot H_l^0 = Q_h - (1 - f_w) Q_{loss} + (\\Gamma_{ro} + \\Gamma_w) h_L
        + m_{sp} h_{sp} + \\Gamma_{sp} h_g - \\Gamma_{fl} h_V - q_{li} - \\Gamma_i h_L

        \\dot H_g^0 = -(\\Gamma_{ro} h_L + \\Gamma_w h_g + \\Gamma_{sp} h_g) + \\Gamma_{fl} h_V
        - q_{gi} + \\Gamma_i h_V + q_{wv} - m_r h_g

    Parameters
    ----------
    props : ndarray
        Region properties (:func:`two_region_properties`).
    m_l, m_g : float
        Region masses [kg].
    t_w : float
        Steam-space wall temperature [K].
    spray, h_spray : float
        Spray flow [kg/s] and enthalpy [J/kg].
    heater : float
        Heater power into the liquid [W].
    relief : float
        Steam drawn by the relief and safety valves [kg/s].
    prm : ndarray
        Parameters (``PRM_*``).
    out : ndarray
        At least ``N_RATES`` entries (``RT_*``).
    """
    h_l = props[PR_H_L]
    h_g = props[PR_H_G]
    hsl = props[PR_H_SAT_L]
    hsv = props[PR_H_SAT_V]
    tsat = props[PR_T_SAT]
    h_fg = hsv - hsl
    eps_h = prm[PRM_SMOOTH_H]
    eps_t = prm[PRM_SMOOTH_T]
    fade = prm[PRM_MASS_FADE]
    # transfers out of a region fade as it empties (no negative masses)
    fade_l = math.tanh(max(m_l, 0.0) / fade)
    fade_g = math.tanh(max(m_g, 0.0) / fade)
    flash = m_l * smooth_positive(h_l - hsl, eps_h) / (h_fg * prm[PRM_TAU_BUBBLE])
    rain = m_g * smooth_positive(hsv - h_g, eps_h) / (h_fg * prm[PRM_TAU_RAIN])
    q_li = prm[PRM_HA_LIQUID] * (props[PR_T_L] - tsat)
    q_gi = prm[PRM_HA_VAPOUR] * (props[PR_T_G] - tsat)
    gam_i = (q_li + q_gi) / h_fg
    if gam_i > 0.0:
        gam_i *= fade_l
        scale = fade_l
    else:
        gam_i *= fade_g
        scale = fade_g
    q_li *= scale
    q_gi *= scale
    latent_g = max(h_g - hsl, 0.1 * h_fg)  # condensing the vapour to saturated liquid
    q_wc = prm[PRM_HA_WALL_CONDENSATION] * smooth_positive(tsat - t_w, eps_t) * fade_g
    gam_w = q_wc / latent_g
    q_wv = prm[PRM_HA_WALL_CONVECTION] * (t_w - props[PR_T_G]) * fade_g
    gam_sp = (
        prm[PRM_SPRAY_EFFICIENCY] * spray * smooth_positive(hsl - h_spray, eps_h) / latent_g
    ) * fade_g
    relief_g = relief * fade_g
    loss = prm[PRM_HEAT_LOSS]
    share = prm[PRM_LOSS_WALL_SHARE]
    dm_l = rain + gam_w + spray + gam_sp - flash - gam_i
    dh_l = (
        heater
        - (1.0 - share) * loss
        + (rain + gam_w) * hsl
        + spray * h_spray
        + gam_sp * h_g
        - flash * hsv
        - q_li
        - gam_i * hsl
    )
    dm_g = -rain - gam_w - gam_sp + flash + gam_i - relief_g
    dh_g = (
        -rain * hsl
        - (gam_w + gam_sp) * h_g
        + flash * hsv
        - q_gi
        + gam_i * hsv
        + q_wv
        - relief_g * h_g
    )
    out[RT_DM_L] = dm_l
    out[RT_DH_L] = dh_l
    out[RT_DM_G] = dm_g
    out[RT_DH_G] = dh_g
    out[RT_DT_W] = (q_wc - q_wv - share * loss) / prm[PRM_WALL_CAPACITY]
    out[RT_FLASH] = flash
    out[RT_RAIN] = rain
    out[RT_INTERFACE] = gam_i
    out[RT_WALL] = gam_w
    out[RT_SPRAY_CONDENSATION] = gam_sp


@njit
def volume_rate_terms(
    m: float, h: float, rho: float, drho_dh: float, drho_dp: float, dm: float, dh0: float, v: float
) -> tuple[float, float]:
    """The terms a, b of a region's volume rate dV/dt = a - b dp/dt.

    .. math::

        a = \\frac{\\dot M}{\\rho} - \\frac{\\rho_h}{\\rho^2}(\\dot H^0 - h\\dot M), \\qquad
        b = \\frac{\\rho_h V' + M \\rho_p}{\\rho^2}

    Parameters
    ----------
    m, h : float
        Region mass [kg] and specific enthalpy [J/kg].
    rho, drho_dh, drho_dp : float
        Density [kg/m3] and its partial derivatives [kg2/(m3 J)], [kg/(m3 Pa)].
    dm, dh0 : float
        Mass rate [kg/s] and enthalpy rate without the V' dp/dt term [W].
    v : float
        The volume V' [m3] multiplying dp/dt in the region's enthalpy rate.

    Returns
    -------
    (float, float)
        a [m3/s] and b [m3/Pa].
    """
    r2 = rho * rho
    return dm / rho - drho_dh / r2 * (dh0 - h * dm), (drho_dh * v + m * drho_dp) / r2
