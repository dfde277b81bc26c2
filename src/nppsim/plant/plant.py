"""The whole power unit: core, four primary loops, pressurizer, steam generators, turbine, control
and protection.

:class:`PlantModel` extends :class:`~nppsim.plant.core.CoreModel`: the core's state blocks come
first and keep their slices; the plant's blocks are appended. The plant overrides
``boundary(t, y)`` so that the core sees the pressurizer pressure, the lower-plenum enthalpy and
the vessel flow of the loops. Every formula is a function of :mod:`nppsim.physics`; this module only
wires them, adds the controllers (continuous PI laws whose integrators are states) and the
protection logic (state events located by the integrator, latched trips).

See ``docs/models/plant.md`` for the assembly, the states, the controllers, the protection and the
limits.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from scipy.optimize import brentq, fsolve

from nppsim.designs import Design
from nppsim.designs.plant_sections import PlantSections, load_plant_sections
from nppsim.errors import InputError
from nppsim.physics import (
    critical_flow,
    pressurizer,
    steam_generator,
    turbine,
    water,
    water_table,
)
from nppsim.physics import pump as pmp
from nppsim.physics import thermal_mixing as mix
from nppsim.plant.core import CoreModel, Discrete, Ramp
from nppsim.simulation import Event

GRAVITY = 9.80665  # standard gravity [m/s2]
P_ATMOSPHERE = 101325.0  # standard atmosphere [Pa], back pressure of a steam-line break
HOUSE_LOAD = (
    0.06  # house load of the unit as a fraction of rated electric power (E, VVER-1000 ~5-7 %)
)
FEED_PUMPS = 2  # turbine-driven main feed pumps, each 50 % of rated feed (VVER-1000 practice, M)
FEED_PUMP_CAPACITY = 0.6  # one feed pump's capacity as a fraction of rated feed flow (E)
FPR_ONE_PUMP = 0.67  # power with three of four RCPs (VVER-1000 practice: 67 %, M)
FPR_ONE_FEED_PUMP = 0.5  # power with one of two turbine feed pumps (M)
FPR_TURBINE = 0.5  # power after a turbine trip below the trip threshold (BRU-K takes 60 %, E)
FPR_RATE = 0.02  # setpoint ramp of a fast power reduction [1/s] (2 %/s, E)
LOW_PRESSURE_TRIP_POWER = 0.1  # low primary/steam pressure trips active above this power (E)
DEFAULT_CLUSTER_WORTH = (
    6e-4  # one dropped cluster [1]: 60 pcm (E: 8 % total over 61 clusters, x0.5)
)
ROD_DEAD_BAND = 0.005  # half-width of the power controller's dead band [1] (E; VVER ~ +-1 %)
ROD_PRESSURE_GAIN = 0.01 / 0.3e6  # [1/Pa] 1 % power error per 0.3 MPa header pressure error (E)
BORON_DEAD_BAND = 0.05  # half-width of the boron controller's dead band in bank position [1] (E)
SURGE_BLEND = 0.5  # [kg/s] width of the smooth insurge/outsurge switch (numerical, not physics)
ALARMS = ("pzr_relief_open", "bru_a_open", "sg_safety_open", "bru_k_open")


@dataclass
class PlantDiscrete(Discrete):
    """The plant's discrete state: the core's plus equipment status and control modes."""

    pump_voltage: np.ndarray = field(default_factory=lambda: np.ones(4))
    turbine_mode: str = "pressure"  # "pressure", "power", "tripped"
    turbine_load: Ramp = field(default_factory=lambda: Ramp.constant(1.0))
    feed_pumps: int = FEED_PUMPS
    offsite_power: bool = True
    condenser: bool = True
    msiv_open: bool = True
    break_area: np.ndarray = field(default_factory=lambda: np.zeros(4))
    feed_isolated: np.ndarray = field(default_factory=lambda: np.zeros(4, dtype=bool))
    alarms: set = field(default_factory=set)
    fpr_target: float | None = None
    # "power": rods keep the power setpoint; "pressure": rods keep the header pressure
    rod_mode: str = "power"
    setpoints: dict = field(default_factory=dict)  # operator setpoint changes (SI)


def _si_tree(obj: Any) -> Any:
    """A namespace copy of a validated section, every quantity a float in SI (fast access)."""
    from types import SimpleNamespace

    from pydantic import BaseModel

    if hasattr(obj, "si"):
        return obj.si
    if isinstance(obj, BaseModel):
        return SimpleNamespace(**{k: _si_tree(getattr(obj, k)) for k in type(obj).model_fields})
    return obj


@functools.lru_cache(maxsize=1)
def _table() -> water_table.WaterTable:
    return water_table.build_table()


def _plant_sections(design: Design) -> PlantSections:
    """Plant sections from the design file (or from a ``<name>.plant.toml`` fragment beside it)."""
    path = Path(design.path) if design.path else None
    errors = []
    candidates = []
    if path is not None:
        candidates = [path, path.with_name(path.stem + ".plant.toml")]
    for c in candidates:
        if c.exists():
            try:
                return load_plant_sections(c)
            except InputError as e:
                errors.append(e)
    if errors and len(errors) == len([c for c in candidates if c.exists()]):
        raise errors[-1]
    raise InputError(
        design.path or None,
        "design",
        design.name,
        "this design has no plant sections ([primary], [pumps], ...)",
    )


def setpoint_range(ps: PlantSections, controller: str) -> tuple[float, float, str]:
    """Range the design allows for an operator setpoint (SI) and its unit.

    Primary pressure between the low- and high-pressure trips; steam (header) pressure between the
    low-steam-pressure trip and the BRU-K opening; SG level between the low-level trip and the top
    of the shell less 0.5 m; pressurizer level between the low-level trip and the top of the
    vessel less 1 m.
    """
    pr, sd = ps.protection, ps.control.steam_dump
    if controller == "primary_pressure":
        return pr.low_primary_pressure.si, pr.high_primary_pressure.si, "Pa"
    if controller == "steam_pressure":
        return pr.low_steam_pressure.si, sd.bru_k_pressure.si, "Pa"
    if controller == "sg_level":
        return pr.low_sg_level.si, ps.steam_generators.vessel_inner_diameter.si - 0.5, "m"
    if controller == "pressurizer_level":
        return pr.low_pressurizer_level.si, ps.pressurizer.height - 1.0, "m"
    raise InputError(
        None,
        "events.controller",
        controller,
        "primary_pressure, steam_pressure, sg_level, pressurizer_level",
    )


class PlantModel(CoreModel):
    """A VVER-1000 power unit; see the module docstring and ``docs/models/plant.md``.

    Parameters
    ----------
    design : Design
        A design with core dynamics and plant sections.
    """

    plant_event_names: ClassVar[list[str]] = [
        "trip_high_primary_pressure",
        "trip_low_primary_pressure",
        "trip_low_pressurizer_level",
        "trip_low_sg_level",
        "trip_high_steam_pressure",
        "trip_low_steam_pressure",
        *[f"alarm_{a}" for a in ALARMS],
    ]

    def __init__(self, design: Design) -> None:
        self.ps = _plant_sections(design)
        self._ss_core = False
        super().__init__(design)
        self.state_event_names = [*CoreModel.state_event_names, *self.plant_event_names]
        self._plant_parameters()
        self.q = _si_tree(self.ps)
        self.tab = _table()
        skip = set(range(self.s_decay.start, self.s_decay.stop))
        skip |= set(range(self.s_e.start, self.s_e.stop)) | set(
            range(self.s_ep.start, self.s_ep.stop)
        )
        skip.add(self.i_mass)
        self._fd_cols = [j for j in range(self.layout.size) if j not in skip]
        self._jac_typ = np.ones(self.layout.size)
        self._cache_key: Any = None
        self._cache_val: Any = None
        self._p_guess = {"pzr": self.ps.control.pressurizer.pressure_setpoint.si}

    # -- set-up -----------------------------------------------------------------------------
    def _layout(self):  # type: ignore[override]
        lay = super()._layout()
        ps = self.ps
        nl = ps.primary.loops
        ns = ps.steam_generators.primary_nodes
        self.n_loops, self.n_sg_nodes = nl, ns
        lay.add("pump_speed", nl, "rad/s", 1e-3)
        lay.add("flow_loop", nl, "kg/s", 1e-2)
        lay.add(
            "h_loop",
            nl * (ns + 2),
            "J/kg",
            1e-1,
            labels=[f"h_loop{i + 1}[{j}]" for i in range(nl) for j in range(ns + 2)],
        )
        lay.add("h_upper_plenum", 1, "J/kg", 1e-1)
        lay.add("h_lower_plenum", 1, "J/kg", 1e-1)
        lay.add("pzr_mass", 1, "kg", 1e-2)
        lay.add("pzr_energy", 1, "J", 1e2)
        lay.add("pzr_heater", 1, "W", 1e2)
        lay.add("makeup_integral", 1, "1", 1e-5)
        lay.add("sg_mass", nl, "kg", 1e-2)
        lay.add("sg_energy", nl, "J", 1e2)
        lay.add("feed_flow", nl, "kg/s", 1e-4)
        lay.add("feed_integral", nl, "1", 1e-5)
        lay.add("pressure_header", 1, "Pa", 1.0)
        lay.add("power_lp", 1, "W", 1e2)
        lay.add("turbine_integral", 1, "1", 1e-5)
        lay.add(
            "energy_plant",
            6,
            "s",
            1e-5,
            labels=[
                "energy_pumps",
                "energy_heaters",
                "energy_pzr_out",
                "energy_makeup",
                "energy_steam_out",
                "energy_feed_in",
            ],
        )
        lay.add("mass_primary_in", 1, "kg", 1.0)
        return lay

    def _plant_parameters(self) -> None:
        ps, s = self.ps, self.layout.blocks
        nl, ns = self.n_loops, self.n_sg_nodes
        self.s_w, self.s_m = s["pump_speed"], s["flow_loop"]
        self.s_hl = s["h_loop"]
        self.i_up, self.i_lo = s["h_upper_plenum"].start, s["h_lower_plenum"].start
        self.i_pm, self.i_pu, self.i_ph = (
            s["pzr_mass"].start,
            s["pzr_energy"].start,
            s["pzr_heater"].start,
        )
        self.i_mk = s["makeup_integral"].start
        self.s_sm_, self.s_su = s["sg_mass"], s["sg_energy"]
        self.s_fw, self.s_fi = s["feed_flow"], s["feed_integral"]
        self.i_hdr, self.i_lp, self.i_ti = (
            s["pressure_header"].start,
            s["power_lp"].start,
            s["turbine_integral"].start,
        )
        self.s_ep, self.i_mass = s["energy_plant"], s["mass_primary_in"].start
        pr, pu, sg, tb = ps.primary, ps.pumps, ps.steam_generators, ps.turbine
        self.rating = pu.pump_rating()
        self.curves = pu.pump_curves()
        self.w_sync = pu.synchronous_speed.si
        rs = pu.rated_slip
        rs = rs() if callable(rs) else rs
        tb_max = pu.motor_breakdown_torque
        self.t_breakdown = tb_max() if callable(tb_max) else tb_max
        self.s_breakdown = pmp.kloss_breakdown_slip(rs, pu.motor_breakdown_ratio.si)
        self.t_rated = pmp.rated_torque(
            self.rating.flow, self.rating.pressure_rise, self.rating.efficiency, self.rating.speed
        )
        self.loop_flow_design = pr.loop_flow.si
        p_nom = self.design.coolant.pressure.si
        t_in = self.design.coolant.inlet_temperature.si
        rho_c = water.density_pt(p_nom, t_in)
        dp_design = float(
            pmp.pump_pressure_rise(
                self.rating.speed, pr.loop_flow.si, rho_c, self.rating, self.curves
            )
        )
        self.k_loop, self.k_vessel = pmp.loop_resistances_from_design(
            pr.loop_flow.si, nl, dp_design, pr.vessel_pressure_drop.si
        )
        a_hot = math.pi * pr.hot_leg_inner_diameter.si**2 / 4
        a_cold = math.pi * pr.cold_leg_inner_diameter.si**2 / 4
        self.inert_loop = (
            pr.hot_leg_length.si / a_hot
            + pr.cold_leg_length.si / a_cold
            + sg.tube_mean_length / sg.tube_flow_area
        )
        self.inert_vessel = pr.vessel_path_length.si / pr.vessel_flow_area.si
        self.dz = pr.sg_thermal_centre_height.si
        # node volumes of one loop: hot leg, SG tube nodes (collectors shared), cold leg + pump
        v_sg = sg.tube_primary_volume + pr.sg_collector_volume.si
        self.v_loop = np.array(
            [a_hot * pr.hot_leg_length.si]
            + [v_sg / ns] * ns
            + [a_cold * pr.cold_leg_length.si + pr.pump_volume.si]
        )
        self.v_upper = pr.upper_plenum_volume.si
        self.v_lower = pr.lower_plenum_volume.si + pr.downcomer_volume.si
        self.v_core = self.par.mass_coolant / water.density_pt(p_nom, t_in + 15.0)
        # steam generators
        self.geom = sg.steam_generator_geometry()
        self.v_sg = self.geom.free_volume
        t_sat_d = water.saturation_temperature(sg.steam_pressure.si)
        self.ua_design, self.sg_design_flow = steam_generator.design_ua(
            sg.thermal_power.si,
            sg.primary_inlet_temperature.si,
            sg.primary_outlet_temperature.si,
            p_nom,
            t_sat_d,
            ns,
        )
        self.steam_rated = tb.rated_steam_flow.si / nl
        self.rho_g_rated = water.saturated_vapour_density(sg.steam_pressure.si)
        self.dp_line = sg.steam_line_pressure_drop.si
        h_g_in = water.saturated_vapour_enthalpy(tb.inlet_pressure.si)
        self.eta_turbine = turbine.design_turbine_efficiency(
            self.design.rating.power_electric_gross.si,
            tb.generator_efficiency.si,
            tb.rated_steam_flow.si,
            tb.inlet_pressure.si,
            h_g_in,
            tb.condenser_pressure.si,
        )
        self.p_electric_rated = self.design.rating.power_electric_gross.si
        self.h_fw_nominal = turbine.feedwater_enthalpy(
            sg.feedwater_temperature.si, sg.steam_pressure.si + 1e6
        )
        self.h_ef = turbine.feedwater_enthalpy(
            tb.emergency_feed_temperature.si, sg.steam_pressure.si + 1e6
        )
        self.pzr_volume = ps.pressurizer.total_volume.si
        self.pzr_area = math.pi * ps.pressurizer.inner_diameter.si**2 / 4
        self.pzr_loop = nl - 1  # the surge line is on the hot leg of the last loop (loop 4)
        self.output_names = self._output_names() + self._plant_output_names()
        # 1-D tables of two smooth physics functions that the right-hand side calls often (linear
        # interpolation; grid errors below 1e-5 relative): the turbine's isentropic drop from
        # saturated steam at the header pressure, and the SG level from its water volume
        self._tab_p_hdr = np.linspace(0.3e6, 12e6, 2341)
        self._tab_dh_s = np.array(
            [
                turbine.isentropic_enthalpy_drop(
                    x, water.saturated_vapour_enthalpy(x), tb.condenser_pressure.si
                )
                for x in self._tab_p_hdr
            ]
        )
        self._tab_sg_level = np.linspace(0.0, self.geom.diameter, 2001)
        self._tab_sg_v = np.array(
            [steam_generator.liquid_volume_at_level(x, self.geom) for x in self._tab_sg_level]
        )

    # -- fluid-property helpers (vectorized over nodes) -------------------------------------
    def _t_rho(self, press: float, h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return water_table.lookup(self.tab, press, h)

    def _pzr_state(self, y: np.ndarray):
        st = pressurizer.state_from_mass_energy(
            y[self.i_pm], y[self.i_pu], self.pzr_volume, self._p_guess["pzr"]
        )
        self._p_guess["pzr"] = st.pressure
        return st

    def _sg_states(self, y: np.ndarray) -> list:
        out = []
        for i in range(self.n_loops):
            key = f"sg{i}"
            st = steam_generator_state(
                y[self.s_sm_][i], y[self.s_su][i], self.v_sg, self._p_guess.get(key, 6.27e6)
            )
            self._p_guess[key] = st.pressure
            out.append(st)
        return out

    def boundary(self, t: float, y: np.ndarray) -> tuple[float, float, float]:
        if self._ss_core:
            return CoreModel.boundary(self, t, y)
        ev = self._eval(t, y)
        return ev["p"], y[self.i_lo], ev["flow_frac"]

    # -- evaluation of everything algebraic ------------------------------------------------
    def _eval(self, t: float, y: np.ndarray) -> dict[str, Any]:
        key = (t, y.tobytes())
        if key == self._cache_key:
            return self._cache_val
        ps, d = self.q, self.d
        nl, ns = self.n_loops, self.n_sg_nodes
        e: dict[str, Any] = {}
        pz = self._pzr_state(y)
        p = pz.pressure
        e["pz"], e["p"] = pz, p
        hl = y[self.s_hl].reshape(nl, ns + 2)
        h_all = np.concatenate((hl.ravel(), [y[self.i_up], y[self.i_lo]]))
        t_all, r_all, dr_all = self._t_rho(p, h_all)
        n_l = nl * (ns + 2)
        tl, rl = t_all[:n_l].reshape(nl, ns + 2), r_all[:n_l].reshape(nl, ns + 2)
        e["rho_up"], e["rho_lo"], e["drho_l"] = r_all[n_l], r_all[n_l + 1], dr_all
        e["hl"], e["tl"], e["rl"] = hl, tl, rl
        w = y[self.s_w]
        m = y[self.s_m]
        rho_cold = rl[:, -1]
        dp_pump = pmp.pump_pressure_rise(w, m, rho_cold, self.rating, self.curves)
        t_hyd = pmp.hydraulic_torque(w, m, rho_cold, self.rating, self.curves)
        t_mot = pmp.motor_torque(w, self.w_sync, self.t_breakdown, self.s_breakdown, d.pump_voltage)
        t_fr = pmp.friction_torque(
            w, self.rating.speed, self.t_rated, self.q.pumps.friction_fraction
        )
        e["dw"] = pmp.rotor_acceleration(
            t_mot, t_hyd, t_fr, self.q.pumps.inertia, w, self.q.pumps.anti_reverse
        )
        e["pump_heat"] = t_hyd * w  # shaft power into the coolant [W]
        buoy = GRAVITY * self.dz * (rl[:, -1] - rl[:, 0])
        e["dm"], _x = pmp.parallel_loops_flow_derivatives(
            m,
            dp_pump,
            np.full(nl, self.k_loop),
            np.full(nl, self.inert_loop),
            buoy,
            self.k_vessel,
            self.inert_vessel,
        )
        m_v = float(np.sum(m))
        e["m_v"] = m_v
        e["flow_frac"] = max(m_v, 1e-3 * self.par.mass_flow_nom) / self.par.mass_flow_nom
        # secondary
        sgs = self._sg_states(y)
        e["sg"] = sgs
        p_sg = np.array([s.pressure for s in sgs])
        t_sat = np.array([s.temperature for s in sgs])
        level = np.interp([s.liquid_volume for s in sgs], self._tab_sg_v, self._tab_sg_level)
        e["p_sg"], e["t_sat"], e["level_sg"] = p_sg, t_sat, level
        sgp = ps.steam_generators
        q_nodes = np.empty((nl, ns))
        for i in range(nl):
            cov = steam_generator.bundle_coverage(
                level[i], sgp.tube_bundle_bottom, sgp.tube_bundle_top
            )
            ua = steam_generator.operating_ua(
                self.ua_design, m[i], self.sg_design_flow, cov, sgp.primary_resistance_share
            )
            q_nodes[i] = steam_generator.node_heat_flows(tl[i, 1 : ns + 1], t_sat[i], ua)
        e["q_nodes"] = q_nodes
        e["q_sg"] = q_nodes.sum(axis=1)
        # steam flows
        tb, sd = ps.turbine, ps.control.steam_dump
        p_h = y[self.i_hdr]
        h_g = np.array([s.h_vapour for s in sgs])
        rho_g = np.array([s.rho_vapour for s in sgs])
        line = np.array(
            [
                turbine.steam_line_flow(
                    p_sg[i], p_h, rho_g[i], self.steam_rated, self.dp_line, self.rho_g_rated
                )
                for i in range(nl)
            ]
        ) * (1.0 if d.msiv_open else 0.0)
        bru_a = np.array(
            [
                turbine.choked_steam_flow(
                    turbine.proportional_lift(
                        p_sg[i], sd.bru_a_pressure, sd.bru_a_pressure + sd.bru_a_band
                    ),
                    p_sg[i],
                    tb.bru_a_capacity,
                    tb.bru_a_rated_pressure,
                )
                for i in range(nl)
            ]
        )
        safety = np.array(
            [
                turbine.choked_steam_flow(
                    turbine.proportional_lift(
                        p_sg[i], tb.sg_safety_open_pressure, tb.sg_safety_full_pressure
                    ),
                    p_sg[i],
                    tb.sg_safety_capacity,
                    tb.sg_safety_full_pressure,
                )
                for i in range(nl)
            ]
        )
        # choked flow to the atmosphere; the driving pressure is taken over atmospheric so that a
        # blown-down SG settles at 0.1 MPa (Napier's rule overstates the flow near the end)
        brk = np.array(
            [critical_flow.napier_flow(d.break_area[i], p_sg[i] - P_ATMOSPHERE) for i in range(nl)]
        )
        e["line"], e["bru_a"], e["sg_safety"], e["break"] = line, bru_a, safety, brk
        e["steam_out"] = line + bru_a + safety + brk
        e["h_g"] = h_g
        # turbine and header
        tc = ps.control.turbine
        y_max = tb.max_valve_opening
        p_set = d.setpoints.get("steam_pressure", tc.header_pressure_setpoint)
        dh_s = float(np.interp(p_h, self._tab_p_hdr, self._tab_dh_s))
        if d.turbine_mode == "tripped":
            u, err = 0.0, 0.0
            yv = 0.0
        else:
            if d.turbine_mode == "pressure":
                err = (p_h - p_set) / tc.pressure_band
                ti = tc.pressure_integral_time
            else:
                p_steam_prev = y[self.i_lp] / tb.lp_power_fraction
                p_mech_est = p_steam_prev * tb.generator_efficiency
                err = (d.turbine_load(t) - p_mech_est / self.p_electric_rated) / tc.power_band
                ti = tc.power_integral_time
            u = y[self.i_ti] + err
            yv = min(max(u, 0.0), y_max)
            e["ti"] = ti
        e["turb_u"], e["turb_y"], e["turb_err"] = u, yv, err
        m_t = turbine.turbine_steam_flow(yv, p_h, tb.rated_steam_flow, tb.inlet_pressure)
        bru_k = (
            turbine.choked_steam_flow(
                turbine.proportional_lift(
                    p_h, sd.bru_k_pressure, sd.bru_k_pressure + sd.bru_k_band
                ),
                p_h,
                tb.bru_k_capacity,
                sd.bru_k_pressure,
            )
            if d.condenser
            else 0.0
        )
        e["m_turbine"], e["bru_k"] = m_t, bru_k
        p_steam = turbine.turbine_mechanical_power(m_t, dh_s, self.eta_turbine)
        e["p_steam"] = p_steam
        p_mech = (1 - tb.lp_power_fraction) * p_steam + y[self.i_lp]
        p_el = turbine.electric_power(p_mech, tb.generator_efficiency)
        e["p_electric"] = p_el
        # feedwater
        sc = ps.control.steam_generators
        e_lvl = (d.setpoints.get("sg_level", sc.level_setpoint) - level) / sc.level_band
        demand = sc.steam_flow_feedforward * e["steam_out"] + self.steam_rated * (
            y[self.s_fi] + e_lvl
        )
        if d.feed_pumps > 0:
            p_feed = p_h + tb.feed_pressure_margin
            cap_valve = np.array(
                [
                    turbine.feedwater_flow(
                        1.0, p_feed, p_sg[i], tb.feed_valve_capacity, tb.feed_valve_dp_rated
                    )
                    for i in range(nl)
                ]
            )
            cap_pumps = d.feed_pumps * FEED_PUMP_CAPACITY * self.steam_rated
            cap = np.minimum(cap_valve, cap_pumps)
            h_fw = self.h_fw_nominal
        else:
            cap = np.full(nl, tb.emergency_feed_flow if d.offsite_power else 0.0)
            h_fw = self.h_ef
        cap = np.where(d.feed_isolated, 0.0, cap)
        dem_c = np.clip(demand, 0.0, cap)
        e["feed_demand"], e["feed_demand_c"], e["e_lvl"], e["h_fw"] = demand, dem_c, e_lvl, h_fw
        # pressurizer control
        pc, pp = ps.control.pressurizer, ps.pressurizer
        power_rel = min(max(y[self.s_n], 0.0), 1.2)
        lvl_set = (
            pc.level_setpoint_zero_power
            + (pc.level_setpoint_full_power - pc.level_setpoint_zero_power) * power_rel
            + d.setpoints.get("pressurizer_level_offset", 0.0)
        )
        p_pzr_set = d.setpoints.get("primary_pressure", pc.pressure_setpoint)
        lvl = pressurizer.level_vertical_cylinder(pz.liquid_volume, pp.inner_diameter)
        e["level_pzr"], e["level_pzr_set"] = lvl, lvl_set
        e_mk = (lvl_set - lvl) / pc.level_band
        if d.offsite_power:
            letdown = pc.letdown_flow
            mk_u = letdown + pc.makeup_max_flow * (y[self.i_mk] + e_mk)
            makeup = min(max(mk_u, 0.0), pc.makeup_max_flow)
            heat_dem = pp.heat_loss + pp.heater_power * (p_pzr_set - p) / pc.heater_band
            heat_dem = min(max(heat_dem, 0.0), pp.heater_power)
        else:
            letdown, mk_u, makeup, heat_dem = 0.0, 0.0, 0.0, 0.0
        e["letdown"], e["makeup"], e["mk_u"], e["e_mk"] = letdown, makeup, mk_u, e_mk
        e["heater_demand"] = heat_dem
        spray_open = turbine.proportional_lift(
            p,
            p_pzr_set + pc.spray_start_offset,
            p_pzr_set + pc.spray_full_offset,
        )
        dp_spray = max(float(dp_pump[0]), 0.0) if d.offsite_power else 0.0
        e["spray"] = pressurizer.spray_flow(
            spray_open, dp_spray, pp.spray_max_flow, pp.spray_dp_rated
        )
        e["relief"] = pressurizer.relief_valve_flow(
            p,
            pp.relief_open_pressure,
            pp.safety_open_pressure,
            pp.relief_capacity,
            pp.safety_open_pressure,
        ) + pressurizer.relief_valve_flow(
            p,
            pp.safety_open_pressure,
            pp.safety_full_pressure,
            pp.safety_capacity,
            pp.safety_full_pressure,
        )
        self._cache_key, self._cache_val = key, e
        return e

    # -- right-hand side --------------------------------------------------------------------
    def rhs(self, t: float, y: np.ndarray) -> np.ndarray:
        dy = np.empty_like(y)
        e = self._eval(t, y)
        p = e["p"]
        h_lo = y[self.i_lo]
        h_core_out = self.core_derivatives(t, y, dy, p, h_lo, e["flow_frac"])
        self.plant_derivatives(t, y, dy, e, h_core_out)
        return dy

    def plant_derivatives(
        self, t: float, y: np.ndarray, dy: np.ndarray, e: dict, h_core_out: float
    ) -> None:
        """Fill the plant's blocks of ``dy`` (everything after the core)."""
        ps, d, par = self.q, self.d, self.par
        nl, ns = self.n_loops, self.n_sg_nodes
        p = e["p"]
        m, m_v = y[self.s_m], e["m_v"]
        m_core = max(m_v, 0.0)
        h_lo, h_up = y[self.i_lo], y[self.i_up]
        hl, rl = e["hl"], e["rl"]
        dy[self.s_w] = e["dw"]
        dy[self.s_m] = e["dm"]
        # loops: chain hot leg -> SG nodes -> cold leg; upwind for reversed flow
        heat = np.zeros((nl, ns + 2))
        heat[:, 1 : ns + 1] = -e["q_nodes"]
        heat[:, -1] = e["pump_heat"]
        masses = rl * self.v_loop
        dhl = np.empty((nl, ns + 2))
        for i in range(nl):
            dhl[i] = mix.chain_enthalpy_derivatives(m[i], h_up, h_lo, hl[i], masses[i], heat[i])
        # upper plenum: core and bypass in, reversed hot legs in
        rev = np.maximum(-m, 0.0)
        fwd = np.maximum(m, 0.0)
        rho_up, rho_lo = e["rho_up"], e["rho_lo"]
        infl_up = np.concatenate(([(1 - par.bypass) * m_core, par.bypass * m_core], rev))
        h_infl_up = np.concatenate(([h_core_out, h_lo], hl[:, 0]))
        d_up = mix.plenum_derivative(infl_up, h_infl_up, h_up, rho_up * self.v_upper)
        d_lo = mix.plenum_derivative(fwd, hl[:, -1], h_lo, rho_lo * self.v_lower)
        # Surge into the pressurizer: thermal expansion of every primary node plus net make-up
        # less spray. With one flow per loop, the mass by which node j expands or shrinks,
        # dM_j = V_j rho'_j dh_j/dt, is exchanged with the pressurizer at the surge enthalpy h_s:
        # node j gets dM_j (h_s - h_j) / M_j, solved together with dM_j (node by node, exactly:
        # dM_j = V rho' dh0_j / (1 - V rho' (h_s - h_j) / M_j)). Make-up and spray enter and
        # leave at the cold leg of loop 1. This keeps the mass and energy of primary plus
        # pressurizer consistent (see docs/models/plant.md).
        core_h = y[self.s_h]
        n_l = nl * (ns + 2)
        drho = np.concatenate((e["drho_l"], self._t_rho(p, core_h)[2]))
        vols = np.concatenate(
            (
                np.tile(self.v_loop, nl),
                [self.v_upper, self.v_lower],
                np.full(len(core_h), self.v_core),
            )
        )
        h_nodes = np.concatenate((hl.ravel(), [h_up, h_lo], core_h))
        m_nodes = np.concatenate(
            (
                masses.ravel(),
                [rho_up * self.v_upper, rho_lo * self.v_lower],
                np.full(len(core_h), par.mass_coolant),
            )
        )
        net_mk = e["makeup"] - e["letdown"]
        ext = net_mk - e["spray"]
        dh0 = np.concatenate((dhl.ravel(), [d_up, d_lo], dy[self.s_h]))
        surge0 = mix.expansion_surge_flow(vols, drho, dh0) + ext
        pz = e["pz"]
        k = self.pzr_loop
        # insurge carries hot-leg water, outsurge saturated water (surge_enthalpy); the switch is
        # blended over SURGE_BLEND so that the right-hand side stays smooth at zero surge
        wgt = 0.5 * (1.0 + math.tanh(surge0 / SURGE_BLEND))
        h_surge = wgt * pressurizer.surge_enthalpy(1.0, hl[k, 0], pz.h_liquid) + (
            1.0 - wgt
        ) * pressurizer.surge_enthalpy(-1.0, hl[k, 0], pz.h_liquid)
        c = (h_surge - h_nodes) / m_nodes
        # make-up/spray at the cold leg of loop 1 (node index ns + 1): enters at h_c1, not h_s
        dh0[ns + 1] += ext * (h_nodes[ns + 1] - h_surge) / m_nodes[ns + 1]
        vr = vols * drho
        dm_nodes = vr * dh0 / (1.0 - vr * c)
        dh_all = dh0 + c * dm_nodes
        surge = -float(np.sum(dm_nodes)) + ext
        dhl = dh_all[:n_l].reshape(nl, ns + 2)
        d_up, d_lo = dh_all[n_l], dh_all[n_l + 1]
        dy[self.s_h] = dh_all[n_l + 2 :]
        # spray is taken from the cold leg of loop 1 (at its enthalpy: no change of h there)
        h_spray = hl[0, -1]
        dy[self.s_hl] = dhl.ravel()
        dy[self.i_up] = d_up
        dy[self.i_lo] = d_lo
        pp, pc = ps.pressurizer, ps.control.pressurizer
        q_heat = y[self.i_ph]
        dmz, duz = pressurizer.pressurizer_derivatives(
            surge, h_surge, e["spray"], h_spray, q_heat, e["relief"], pz.h_vapour, pp.heat_loss
        )
        dy[self.i_pm], dy[self.i_pu] = dmz, duz
        dy[self.i_ph] = (e["heater_demand"] - q_heat) / max(pp.heater_time_constant, 1e-3)
        # make-up integrator with back-calculation anti-windup
        mk_c = e["makeup"]
        dy[self.i_mk] = (
            e["e_mk"] / pc.level_integral_time + (mk_c - e["mk_u"]) / pc.makeup_max_flow / 60.0
            if d.offsite_power
            else 0.0
        )
        # steam generators, secondary side
        feed = y[self.s_fw]
        h_fw = e["h_fw"]
        for i in range(nl):
            dmi, dui = steam_generator.secondary_derivatives(
                e["q_sg"][i], feed[i], h_fw, e["steam_out"][i], e["h_g"][i]
            )
            dy[self.s_sm_.start + i] = dmi
            dy[self.s_su.start + i] = dui
        sc = ps.control.steam_generators
        dy[self.s_fw] = (e["feed_demand_c"] - feed) / max(sc.valve_time_constant, 1e-3)
        dy[self.s_fi] = (
            e["e_lvl"] / sc.level_integral_time
            + (e["feed_demand_c"] - e["feed_demand"]) / self.steam_rated / 30.0
        )
        # header and turbine
        tb = ps.turbine
        dy[self.i_hdr] = turbine.header_pressure_derivative(
            float(np.sum(e["line"])), e["m_turbine"] + e["bru_k"], y[self.i_hdr], tb.header_volume
        )
        dy[self.i_lp] = turbine.reheat_power_derivative(
            y[self.i_lp], e["p_steam"], tb.lp_power_fraction, tb.reheater_time_constant
        )
        if d.turbine_mode == "tripped":
            dy[self.i_ti] = 0.0
        else:
            dy[self.i_ti] = e["turb_err"] / e["ti"] + (e["turb_y"] - e["turb_u"]) / 10.0
        # energy and mass bookkeeping [full-power seconds per second; kg/s]
        pn = par.p_nom
        dy[self.s_ep] = (
            float(np.sum(e["pump_heat"])) / pn,
            q_heat / pn,
            (pp.heat_loss + e["relief"] * pz.h_vapour) / pn,
            net_mk * hl[0, -1] / pn,
            float(np.sum(e["steam_out"] * e["h_g"])) / pn,
            float(np.sum(feed)) * h_fw / pn,
        )
        dy[self.i_mass] = net_mk - e["relief"]

    # -- Jacobian -----------------------------------------------------------------------------
    def jac(self, t: float, y: np.ndarray) -> np.ndarray:
        """Jacobian of :meth:`rhs` for the stiff integrator (forward differences, structure used).

        The 94 decay-heat states enter the rest of the plant only through the decay power
        P_d = sum_k w_k h_k (``dh.power`` is linear in the states) and obey dh_k/dt = a_k P_f -
        lambda_k h_k, so their columns are w_k g - lambda_k e_k with g = d rhs / d P_d from a
        single difference. The bookkeeping integrals (energies, boundary mass) feed nothing back:
        their columns are zero. The remaining columns are forward differences.
        """
        f0 = self.rhs(t, y)
        n = len(y)
        jm = np.zeros((n, n))
        for j in self._fd_cols:
            hj = 1e-7 * max(abs(y[j]), self._jac_typ[j])
            yp = y.copy()
            yp[j] += hj
            jm[:, j] = (self.rhs(t, yp) - f0) / hj
        par, d = self.par, self.d
        sd = self.s_decay
        since = 0.0 if d.time_shutdown is None else max(t - d.time_shutdown, 0.0)
        w = np.asarray(par.dh.power(np.eye(sd.stop - sd.start), since, par.t_operating))
        lam = np.asarray(par.dh.decay_constants, dtype=float)
        j0 = sd.start + int(np.argmax(w))
        hj = 1e-6 / w[j0 - sd.start]  # a decay-power change of 1e-6 of nominal
        yp = y.copy()
        yp[j0] += hj
        col = (self.rhs(t, yp) - f0) / hj
        col[j0] += lam[j0 - sd.start]
        g = col / w[j0 - sd.start]
        g[sd] = 0.0
        jm[:, sd] = np.outer(g, w)
        jm[np.arange(sd.start, sd.stop), np.arange(sd.start, sd.stop)] = -lam
        return jm

    # -- reactor power controller ------------------------------------------------------------
    def _rod_demand(self, t: float, y: np.ndarray) -> float:
        """Rod speed demand with a smooth dead band (the plant's power controller).

        u = tanh(e / band) e^2 / (e^2 + e_d^2): the core's law times a smooth dead band of
        half-width e_d (ROD_DEAD_BAND). VVER-1000 power controllers do not move the rods for
        errors inside about +-1 %; the smooth form keeps the right-hand side differentiable, so
        the integrator is not forced to small steps by rods dithering about the setpoint.
        """
        d = self.d
        if getattr(d, "rod_mode", "power") == "pressure":
            # the reactor follows the turbine: a header pressure above its setpoint means too much
            # reactor power; ROD_PRESSURE_GAIN turns the pressure error into a power error
            p_set = d.setpoints.get(
                "steam_pressure", self.q.control.turbine.header_pressure_setpoint
            )
            e = -(y[self.i_hdr] - p_set) * ROD_PRESSURE_GAIN
        else:
            e = d.power_setpoint(t) - y[self.s_n]
        return math.tanh(e / self.par.power_band) * e * e / (e * e + ROD_DEAD_BAND**2)

    def _boron_demand(self, error: float) -> float:
        """Boron rate demand with a smooth dead band of half-width BORON_DEAD_BAND in bank position.

        The core's tanh law times e^2 / (e^2 + e_d^2): boron does not chase the rods' small moves.
        """
        return (
            math.tanh(error / self.par.bank_band)
            * error
            * error
            / (error * error + BORON_DEAD_BAND**2)
        )

    # -- steady state -----------------------------------------------------------------------
    def steady_state(  # type: ignore[override]
        self,
        power: float,
        critical: str = "boron",
        *,
        boron: float | None = None,
        rod_control: str = "auto",
        boron_control: str = "manual",
        pumps_off: tuple[int, ...] = (),
        file: str | None = None,
        **_: Any,
    ) -> np.ndarray:
        """The plant's steady state at relative power ``power`` (10 % to 100 %).

        The header pressure is held at its setpoint by the turbine (constant steam pressure); the
        loop flows follow from the pump and loop hydraulics (buoyancy included); the primary
        temperatures from the heat balance of core and steam generators; the secondary pressure
        from the steam-line pressure drop at the steam flow. The pressurizer is at its pressure
        setpoint and programme level, heaters balancing the heat loss, make-up = let-down,
        feedwater = steam flow. Then the core is made critical (boron or bank).
        """
        ps = self.ps
        nl = self.n_loops
        if not 0.1 <= power <= 1.0:
            raise InputError(
                file,
                "initial.power",
                f"{100 * power:g} %",
                "allowed 10 % to 100 % for the plant model",
            )
        for k in pumps_off:
            if not 1 <= k <= nl:
                raise InputError(file, "initial.pumps_off", k, f"pump numbers 1 to {nl}")
        if len(set(pumps_off)) >= ps.protection.pumps_lost_for_trip:
            raise InputError(
                file,
                "initial.pumps_off",
                list(pumps_off),
                f"at most {ps.protection.pumps_lost_for_trip - 1} pump(s) off at power",
            )
        volt = np.ones(nl)
        for k in pumps_off:
            volt[k - 1] = 0.0
        p = ps.control.pressurizer.pressure_setpoint.si
        p_hdr = ps.control.turbine.header_pressure_setpoint.si
        q_core = power * self.par.p_nom
        t_in_guess = self.design.coolant.inlet_temperature.si
        h_cold = np.full(nl, water.enthalpy_pt(p, t_in_guess))
        h_hot = np.full(nl, water.enthalpy_pt(p, t_in_guess + 30 * power))
        steam = np.full(nl, q_core / nl / 1.84e6)
        m = np.full(nl, self.loop_flow_design)
        w = np.full(nl, self.rating.speed)
        for _it in range(6):
            rho_c = np.array([water.density_ph(p, x) for x in h_cold])
            rho_h = np.array([water.density_ph(p, x) for x in h_hot])
            buoy = GRAVITY * self.dz * (rho_c - rho_h)
            m, w = self._hydraulic_steady(volt, rho_c, buoy, m, w)
            t_hyd = pmp.hydraulic_torque(w, m, rho_c, self.rating, self.curves)
            pump_heat = t_hyd * w
            p_sg = np.array([self._p_sg_for_flow(steam[i], p_hdr) for i in range(nl)])
            sol = self._thermal_steady_loops(p, q_core, m, pump_heat, p_sg)
            h_cold, h_hot = sol["h_loop"][:, -1], sol["h_loop"][:, 0]
            h_g = np.array([water.saturated_vapour_enthalpy(x) for x in p_sg])
            steam = sol["q_sg"] / (h_g - self.h_fw_nominal)
        m_v = float(np.sum(m))
        flow_frac = m_v / self.par.mass_flow_nom
        h_lo = sol["h_lower"]
        t_in = water.temperature_ph(p, h_lo)
        self._ss_core = True
        try:
            yc = CoreModel.steady_state(
                self,
                power,
                critical,
                pressure=p,
                inlet_temperature=t_in,
                flow_fraction=flow_frac,
                boron=boron,
                rod_control=rod_control,
                boron_control=boron_control,
                file=file,
            )
        finally:
            self._ss_core = False
        cd = self.d
        self.d = PlantDiscrete(
            **{f: getattr(cd, f) for f in cd.__dataclass_fields__}, pump_voltage=volt
        )
        y = np.zeros(self.layout.size)
        y[: len(yc)] = yc[: len(yc)]
        core_size = self.s_e.stop
        y[:core_size] = yc[:core_size]
        y[self.s_w] = w
        y[self.s_m] = m
        y[self.s_hl] = sol["h_loop"].ravel()
        y[self.i_up] = sol["h_upper"]
        y[self.i_lo] = h_lo
        pc, pp = ps.control.pressurizer, ps.pressurizer
        lvl = (
            pc.level_setpoint_zero_power.si
            + (pc.level_setpoint_full_power.si - pc.level_setpoint_zero_power.si) * power
        )
        mz, uz = pressurizer.mass_energy_from_level(p, lvl * self.pzr_area, self.pzr_volume)
        y[self.i_pm], y[self.i_pu] = mz, uz
        y[self.i_ph] = pp.heat_loss.si
        y[self.i_mk] = 0.0
        v_f = steam_generator.liquid_volume_at_level(
            ps.steam_generators.nominal_level.si, self.geom
        )
        for i in range(nl):
            ms, us = pressurizer.mass_energy_from_level(p_sg[i], v_f, self.v_sg)
            y[self.s_sm_.start + i], y[self.s_su.start + i] = ms, us
        y[self.s_fw] = steam
        y[self.s_fi] = 0.0
        y[self.i_hdr] = p_hdr
        tb = ps.turbine
        m_t = float(np.sum(steam))
        dh_s = turbine.isentropic_enthalpy_drop(
            p_hdr, water.saturated_vapour_enthalpy(p_hdr), tb.condenser_pressure.si
        )
        p_steam = turbine.turbine_mechanical_power(m_t, dh_s, self.eta_turbine)
        y[self.i_lp] = tb.lp_power_fraction.si * p_steam
        y_t = m_t / tb.rated_steam_flow.si * tb.inlet_pressure.si / p_hdr
        if y_t > tb.max_valve_opening.si:
            raise InputError(
                file,
                "initial.power",
                f"{100 * power:g} %",
                "the turbine valves cannot pass the steam: no steady state",
            )
        y[self.i_ti] = y_t
        self.d.turbine_load = Ramp.constant(
            turbine.electric_power(p_steam, tb.generator_efficiency.si) / self.p_electric_rated
        )
        self._p_guess.update({f"sg{i}": p_sg[i] for i in range(nl)})
        self._p_guess["pzr"] = p
        self._cache_key = None
        self._jac_typ = np.maximum(np.abs(y), 1e-3)
        self._stored_ref = self.plant_stored_energy(y)  # reference of the energy balance
        return y

    def _p_sg_for_flow(self, steam: float, p_hdr: float) -> float:
        """SG pressure that drives ``steam`` [kg/s] through its steam line to the header [Pa]."""

        def f(p_sg: float) -> float:
            return (
                turbine.steam_line_flow(
                    p_sg,
                    p_hdr,
                    water.saturated_vapour_density(p_sg),
                    self.steam_rated,
                    self.dp_line,
                    self.rho_g_rated,
                )
                - steam
            )

        return brentq(f, p_hdr, p_hdr + 5.0 * self.dp_line + 1e5, xtol=1e-3)

    def _hydraulic_steady(self, volt, rho_c, buoy, m0, w0):
        nl = self.n_loops
        run = volt > 0

        def res(x):
            m = x[:nl]
            w = np.where(run, x[nl:], 0.0)
            dp = pmp.pump_pressure_rise(w, m, rho_c, self.rating, self.curves)
            m_v = np.sum(m)
            r_loop = dp - self.k_loop * m * np.abs(m) + buoy - self.k_vessel * m_v * abs(m_v)
            t_h = pmp.hydraulic_torque(w, m, rho_c, self.rating, self.curves)
            t_m = pmp.motor_torque(w, self.w_sync, self.t_breakdown, self.s_breakdown, volt)
            t_f = pmp.friction_torque(
                w, self.rating.speed, self.t_rated, self.ps.pumps.friction_fraction.si
            )
            r_w = np.where(run, (t_m - t_h - t_f) / self.t_rated, x[nl:])
            return np.concatenate((r_loop / 1e5, r_w))

        m_init = np.where(run, m0, -0.3 * self.loop_flow_design)
        x0 = np.concatenate((m_init, np.where(run, w0, 0.0)))
        x, _, ier, msg = fsolve(res, x0, full_output=True, xtol=1e-12)
        if ier != 1 and np.max(np.abs(res(x))) > 1e-6:
            raise InputError(None, "initial", "pumps", f"no hydraulic steady state: {msg}")
        return x[:nl], np.where(run, x[nl:], 0.0)

    def _sg_chain_steady(
        self, m: float, h_in: float, p: float, t_sat: float, ua: float
    ) -> tuple[np.ndarray, float]:
        """Steady SG primary nodes (in flow order) and the heat removed."""
        ns = self.n_sg_nodes
        k = ua / ns
        hs = np.empty(ns)
        h_prev = h_in
        mm = abs(m)
        for j in range(ns):
            h = h_prev
            for _ in range(30):
                t = water.temperature_ph(p, h)
                f = mm * (h_prev - h) - k * (t - t_sat)
                cp = water.cp_ph(p, h)
                dh = f / (mm + k / cp)
                h += dh
                if abs(dh) < 1e-6:
                    break
            hs[j] = h
            h_prev = h
        return hs, mm * (h_in - h_prev)

    def _thermal_steady_loops(self, p, q_core, m, pump_heat, p_sg):
        """Steady primary enthalpies given flows, pump heat and SG pressures."""
        nl, ns = self.n_loops, self.n_sg_nodes
        par = self.par
        m_v = float(np.sum(m))
        t_sat = np.array([water.saturation_temperature(x) for x in p_sg])
        ua = np.array(
            [
                steam_generator.operating_ua(
                    self.ua_design,
                    m[i],
                    self.sg_design_flow,
                    1.0,
                    self.ps.steam_generators.primary_resistance_share.si,
                )
                for i in range(nl)
            ]
        )

        def loops(h_lo):
            h_core_out = h_lo + q_core / ((1 - par.bypass) * m_v)
            hl = np.empty((nl, ns + 2))
            q_sg = np.zeros(nl)
            # reversed loops first: from the lower plenum backwards
            inflow, h_in = [m_v], [h_lo + q_core / m_v]
            for i in range(nl):
                if m[i] < 0:
                    hc = h_lo + pump_heat[i] / abs(m[i])
                    hs, q = self._sg_chain_steady(m[i], hc, p, t_sat[i], ua[i])
                    hl[i, -1], hl[i, 1 : ns + 1] = hc, hs[::-1]
                    hl[i, 0] = hs[-1]
                    q_sg[i] = q
                    inflow.append(-m[i])
                    h_in.append(hs[-1])
            h_up = float(np.dot(inflow, h_in) / np.sum(inflow))
            out_f, out_h = [], []
            for i in range(nl):
                if m[i] >= 0:
                    hs, q = self._sg_chain_steady(m[i], h_up, p, t_sat[i], ua[i])
                    hl[i, 0] = h_up
                    hl[i, 1 : ns + 1] = hs
                    hl[i, -1] = hs[-1] + pump_heat[i] / m[i]
                    q_sg[i] = q
                    out_f.append(m[i])
                    out_h.append(hl[i, -1])
            h_lo_new = float(np.dot(out_f, out_h) / np.sum(out_f))
            return h_lo_new, hl, h_up, q_sg, h_core_out

        h0 = water.enthalpy_pt(p, float(np.min(t_sat)) - 2.0)
        t_top = min(float(np.mean(t_sat)) + 45.0, water.saturation_temperature(p) - 35.0)
        h1 = water.enthalpy_pt(p, t_top)
        h_lo = brentq(lambda x: loops(x)[0] - x, h0, h1, xtol=1e-6)
        _, hl, h_up, q_sg, _ = loops(h_lo)
        return {"h_loop": hl, "h_upper": h_up, "h_lower": h_lo, "q_sg": q_sg}

    # -- outputs ----------------------------------------------------------------------------
    def _plant_output_names(self) -> list[str]:
        nl = self.n_loops
        names = [
            "power_electric_w",
            "power_sg_w",
            "pressure_steam_pa",
            "pressure_header_pa",
            "level_pressurizer_m",
            "level_pressurizer_setpoint_m",
            "temp_hot_leg_k",
            "temp_cold_leg_k",
            "flow_vessel_kg_s",
            "flow_steam_kg_s",
            "flow_feed_kg_s",
            "flow_turbine_kg_s",
            "flow_bru_k_kg_s",
            "flow_bru_a_kg_s",
            "flow_sg_safety_kg_s",
            "flow_break_kg_s",
            "flow_spray_kg_s",
            "flow_pzr_relief_kg_s",
            "flow_makeup_kg_s",
            "flow_letdown_kg_s",
            "power_heaters_w",
            "power_pumps_w",
            "turbine_valve_frac",
            "temp_saturation_pzr_k",
            "subcooling_margin_k",
        ]
        names += [f"level_sg{i + 1}_m" for i in range(nl)]
        names += [f"pressure_sg{i + 1}_pa" for i in range(nl)]
        names += [f"flow_loop{i + 1}_kg_s" for i in range(nl)]
        names += [f"speed_pump{i + 1}_rad_s" for i in range(nl)]
        names += [
            "energy_plant_in_j",
            "energy_plant_out_j",
            "energy_plant_stored_j",
            "energy_balance_residual_j",
            "mass_primary_kg",
            "mass_primary_boundary_kg",
        ]
        return names

    def outputs(self, t: float, y: np.ndarray) -> list[float]:
        out = super().outputs(t, y)
        e = self._eval(t, y)

        pz = e["pz"]
        tl = e["tl"]
        t_hot = float(np.mean(tl[:, 0]))
        ep = y[self.s_ep] * self.par.p_nom
        ec = y[self.s_e] * self.par.p_nom
        e_in = ec[0] + ec[1] + ep[0] + ep[1] + ep[3] + ep[5]
        e_out = ep[2] + ep[4]
        stored = self.plant_stored_energy(y)
        out += [
            e["p_electric"],
            float(np.sum(e["q_sg"])),
            float(np.mean(e["p_sg"])),
            y[self.i_hdr],
            e["level_pzr"],
            e["level_pzr_set"],
            t_hot,
            float(np.mean(tl[:, -1])),
            e["m_v"],
            float(np.sum(e["steam_out"])),
            float(np.sum(y[self.s_fw])),
            e["m_turbine"],
            e["bru_k"],
            float(np.sum(e["bru_a"])),
            float(np.sum(e["sg_safety"])),
            float(np.sum(e["break"])),
            e["spray"],
            e["relief"],
            e["makeup"],
            e["letdown"],
            y[self.i_ph],
            float(np.sum(e["pump_heat"])),
            e["turb_y"],
            pz.temperature,
            pz.temperature - float(np.max(tl[:, 0])),
        ]
        out += list(e["level_sg"])
        out += list(e["p_sg"])
        out += list(y[self.s_m])
        out += list(y[self.s_w])
        out += [
            e_in,
            e_out,
            stored,
            e_in - e_out - (stored - self._stored0(y)),
            self.primary_mass(y),
            y[self.i_mass],
        ]
        return out

    _stored_ref: float | None = None

    def _stored0(self, y: np.ndarray) -> float:
        if self._stored_ref is None:
            self._stored_ref = self.plant_stored_energy(y)
        return self._stored_ref

    def _inventory_densities(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Enthalpies, volumes and densities of all primary nodes for inventories.

        Densities are taken at the nominal pressure: the model neglects the compressibility of
        water (the surge is the thermal expansion alone), and the inventories must match it.
        """
        h = np.concatenate((y[self.s_hl], [y[self.i_up], y[self.i_lo]], y[self.s_h]))
        v = np.concatenate(
            (
                np.tile(self.v_loop, self.n_loops),
                [self.v_upper, self.v_lower],
                np.full(self.par.n_nodes, self.v_core),
            )
        )
        rho = water_table.lookup(self.tab, self.design.coolant.pressure.si, h)[1]
        return h, v, rho

    def plant_stored_energy(self, y: np.ndarray) -> float:
        """Heat stored in fuel, cladding, primary water, pressurizer and SG secondaries [J]."""
        h, v, rho = self._inventory_densities(y)
        par = self.par
        fuel_clad = self.stored_energy(y) - par.mass_coolant * float(np.sum(y[self.s_h]))
        return fuel_clad + float(np.sum(rho * v * h)) + y[self.i_pu] + float(np.sum(y[self.s_su]))

    def primary_mass(self, y: np.ndarray) -> float:
        """Water in the primary circuit, pressurizer included [kg]."""
        _, v, rho = self._inventory_densities(y)
        return float(np.sum(rho * v)) + y[self.i_pm]

    # -- protection -------------------------------------------------------------------------
    def state_events(self, t: float, y: np.ndarray) -> np.ndarray:
        g_core = super().state_events(t, y)
        d, pr = self.d, self.q.protection
        n_alarm = len(ALARMS)
        if d.tripped:
            g_trip = np.full(6, -1.0)
        else:
            e = self._eval(t, y)
            n = y[self.s_n]
            p, p_sg = e["p"], e["p_sg"]
            gate = n - LOW_PRESSURE_TRIP_POWER
            g_trip = np.array(
                [
                    p / pr.high_primary_pressure - 1.0,
                    min(1.0 - p / pr.low_primary_pressure, gate),
                    1.0 - e["level_pzr"] / pr.low_pressurizer_level,
                    float(np.max(pr.low_sg_level - e["level_sg"])),
                    float(np.max(p_sg)) / pr.high_steam_pressure - 1.0,
                    min(1.0 - float(np.min(p_sg)) / pr.low_steam_pressure, gate),
                ]
            )
        e = self._eval(t, y)
        pp, sd, tb = self.q.pressurizer, self.q.control.steam_dump, self.q.turbine
        g_al = np.array(
            [
                e["p"] / pp.relief_open_pressure - 1.0,
                float(np.max(e["p_sg"])) / sd.bru_a_pressure - 1.0,
                float(np.max(e["p_sg"])) / tb.sg_safety_open_pressure - 1.0,
                y[self.i_hdr] / sd.bru_k_pressure - 1.0 if d.condenser else -1.0,
            ]
        )
        for k, a in enumerate(ALARMS):
            if a in d.alarms:
                g_al[k] = -1.0
        assert len(g_al) == n_alarm
        return np.concatenate((g_core, g_trip, g_al))

    def fire(self, name: str, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        """A state event (trip or alarm) has fired: act on it."""
        self._cache_key = None
        try:
            return self._fire(name, t, y)
        finally:
            self._cache_key = None

    def _fire(self, name: str, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        if name in CoreModel.state_event_names:
            y2, ent = super().fire(name, t, y)
            return y2, ent + self._after_trip(t)
        e = self._eval(t, y)
        if name.startswith("alarm_"):
            a = name[len("alarm_") :]
            self.d.alarms.add(a)
            return y, [{"time_s": t, "kind": "alarm", "name": a}]
        pr = self.ps.protection
        details = {
            "trip_high_primary_pressure": f"primary pressure {e['p'] / 1e6:.2f} MPa above "
            f"{pr.high_primary_pressure.si / 1e6:g} MPa",
            "trip_low_primary_pressure": f"primary pressure {e['p'] / 1e6:.2f} MPa below "
            f"{pr.low_primary_pressure.si / 1e6:g} MPa",
            "trip_low_pressurizer_level": f"pressurizer level {e['level_pzr']:.2f} m",
            "trip_low_sg_level": f"steam generator level {np.min(e['level_sg']):.2f} m",
            "trip_high_steam_pressure": f"steam pressure {np.max(e['p_sg']) / 1e6:.2f} MPa",
            "trip_low_steam_pressure": f"steam pressure {np.min(e['p_sg']) / 1e6:.2f} MPa",
        }
        entries: list[dict] = []
        if name == "trip_low_steam_pressure":
            # steam-line break signal: isolate the main steam lines and the feed of the faulted SG
            self.d.msiv_open = False
            k = int(np.argmin(e["p_sg"]))
            self.d.feed_isolated[k] = True
            entries.append(
                {
                    "time_s": t,
                    "kind": "isolation",
                    "name": "msiv_closed",
                    "detail": f"main steam isolation; feedwater to SG{k + 1} isolated",
                }
            )
        y2, ent = self._trip(t, y, name[len("trip_") :], details[name])
        return y2, ent + entries + self._after_trip(t)

    def _after_trip(self, t: float) -> list[dict]:
        """A reactor trip trips the turbine (stop valves close)."""
        d = self.d
        out = []
        if d.turbine_mode != "tripped":
            d.turbine_mode = "tripped"
            out.append(
                {
                    "time_s": t,
                    "kind": "mode",
                    "name": "turbine_tripped",
                    "detail": "turbine stop valves closed after the reactor trip",
                }
            )
        d.fpr_target = None
        return out

    def _fast_power_reduction(self, t: float, y: np.ndarray, target: float, why: str) -> list[dict]:
        d = self.d
        if d.tripped or y[self.s_n] <= target:
            return []
        cur = d.power_setpoint(t)
        dur = max(cur - target, 0.0) / FPR_RATE
        d.power_setpoint = Ramp(t, min(cur, float(y[self.s_n])), t + dur, target)
        d.rod_control = "auto"
        d.rod_mode = "power"
        d.fpr_target = target
        self._schedule(t + dur, "kink", "power_setpoint")
        return [
            {
                "time_s": t,
                "kind": "fast_power_reduction",
                "name": "fpr",
                "detail": f"{why}: power to {100 * target:.0f} %",
            }
        ]

    def _pzr_level_programme(self, n: float) -> float:
        pc = self.q.control.pressurizer
        n = min(max(n, 0.0), 1.2)
        return (
            pc.level_setpoint_zero_power
            + (pc.level_setpoint_full_power - pc.level_setpoint_zero_power) * n
        )

    def setpoint_range(self, controller: str) -> tuple[float, float, str]:
        """Range the design allows for an operator setpoint (SI) and its unit
        (:func:`setpoint_range`)."""
        return setpoint_range(self.ps, controller)

    @staticmethod
    def setpoint_range_of(design: Design, controller: str) -> tuple[float, float, str]:
        """:func:`setpoint_range` for a design (without building the model)."""
        return setpoint_range(_plant_sections(design), controller)

    # -- scenario events --------------------------------------------------------------------
    def apply(self, ev: Event, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        """Apply a scheduled scenario event (plant kinds, then the core's)."""
        # the cached algebraic evaluation depends on the discrete state: drop it around changes
        self._cache_key = None
        try:
            return self._apply(ev, t, y)
        finally:
            self._cache_key = None

    def _apply(self, ev: Event, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        d, q = self.d, ev.params
        nl = self.n_loops
        entry = {"time_s": t, "kind": ev.kind, "name": ev.name}
        y = y.copy()
        if ev.kind == "scram":
            y2, ent = self._trip(t, y, "manual", "manual reactor trip")
            return y2, ent + self._after_trip(t)
        if ev.kind in ("pump_trip", "pump_start"):
            k = int(q["pump"])
            if not 1 <= k <= nl:
                raise InputError(None, "events.pump", k, f"pump numbers 1 to {nl}")
            d.pump_voltage[k - 1] = 0.0 if ev.kind == "pump_trip" else 1.0
            out = [entry]
            lost = int(np.sum(d.pump_voltage == 0.0))
            if ev.kind == "pump_trip":
                if lost >= self.ps.protection.pumps_lost_for_trip and not d.tripped:
                    y, ent = self._trip(t, y, "pumps_lost", f"{lost} reactor coolant pumps lost")
                    out += ent + self._after_trip(t)
                elif lost >= 1:
                    out += self._fast_power_reduction(
                        t, y, FPR_ONE_PUMP, "one reactor coolant pump lost"
                    )
            return y, out
        if ev.kind == "turbine_trip":
            out = [entry]
            if d.turbine_mode != "tripped":
                d.turbine_mode = "tripped"
            thr = self.ps.protection.turbine_trip_power_threshold.si
            if y[self.s_n] > thr and not d.tripped:
                y, ent = self._trip(
                    t, y, "turbine_trip", f"turbine trip above {100 * thr:.0f} % power"
                )
                out += ent
            else:
                out += self._fast_power_reduction(t, y, FPR_TURBINE, "turbine trip")
            return y, out
        if ev.kind == "load_rejection":
            out = [entry]
            if d.turbine_mode != "tripped":
                d.turbine_mode = "power"
                d.turbine_load = Ramp.constant(HOUSE_LOAD)
                out.append(
                    {
                        "time_s": t,
                        "kind": "mode",
                        "name": "turbine_power_mode",
                        "detail": f"house load {100 * HOUSE_LOAD:.0f} %",
                    }
                )
            out += self._fast_power_reduction(t, y, 0.4, "load rejection to house load")
            return y, out
        if ev.kind == "feedwater_pump_trip":
            out = [entry]
            d.feed_pumps = max(d.feed_pumps - int(q.get("count", 1)), 0)
            if d.feed_pumps == FEED_PUMPS - 1:
                out += self._fast_power_reduction(t, y, FPR_ONE_FEED_PUMP, "one feed pump lost")
            elif d.feed_pumps == 0:
                out.append(
                    {
                        "time_s": t,
                        "kind": "mode",
                        "name": "emergency_feed",
                        "detail": "main feed lost; emergency feed pumps started",
                    }
                )
            return y, out
        if ev.kind == "loss_of_offsite_power":
            out = [entry]
            d.offsite_power = False
            d.condenser = False
            d.feed_pumps = 0
            d.pump_voltage[:] = 0.0
            if not d.tripped:
                y, ent = self._trip(t, y, "pumps_lost", "loss of off-site power: all pumps lost")
                out += ent
            out += self._after_trip(t)
            return y, out
        if ev.kind == "steam_line_break":
            k = int(q["sg"])
            if not 1 <= k <= nl:
                raise InputError(None, "events.sg", k, f"steam generators 1 to {nl}")
            d.break_area[k - 1] = q["area"]
            return y, [entry]
        if ev.kind == "rod_drop":
            worth = q.get("worth", DEFAULT_CLUSTER_WORTH)
            dur = self.par.scram_drop_time
            d.rho_external = d.rho_external.to(t, d.rho_external(t) - worth, dur)
            self._schedule(t + dur, "kink", "rho_external")
            return y, [{**entry, "detail": f"one cluster, {worth * 1e5:.0f} pcm"}]
        if ev.kind == "turbine_load":
            if d.turbine_mode == "tripped":
                return y, [{**entry, "detail": "ignored: turbine tripped"}]
            e = self._eval(t, y)
            if d.turbine_mode != "power":
                d.turbine_mode = "power"
                d.turbine_load = Ramp.constant(e["p_electric"] / self.p_electric_rated)
                y[self.i_ti] = e["turb_y"]
            if d.rod_control == "auto" and d.rod_mode != "pressure":
                d.rod_mode = "pressure"
                entry["detail"] = "turbine power mode; rods keep the steam pressure"
            cur = d.turbine_load(t)
            dur = abs(q["target"] - cur) / q["rate"]
            d.turbine_load = d.turbine_load.to(t, q["target"], dur)
            self._schedule(t + dur, "kink", "turbine_load")
            return y, [entry]
        if ev.kind == "control" and "turbine" in q:
            if d.turbine_mode != "tripped":
                e = self._eval(t, y)
                d.turbine_mode = q["turbine"]
                y[self.i_ti] = e["turb_y"]
                if q["turbine"] == "power":
                    d.turbine_load = Ramp.constant(e["p_electric"] / self.p_electric_rated)
                    d.rod_mode = "pressure"
                else:
                    d.rod_mode = "power"
                    d.power_setpoint = Ramp.constant(float(y[self.s_n]))
            rest = {k: v for k, v in q.items() if k != "turbine"}
            out = [{**entry, "kind": "mode", "detail": f"turbine {q['turbine']} mode"}]
            if rest:
                y, ent = super().apply(Event(ev.time, ev.kind, ev.name, rest), t, y)
                out += ent
            return y, out
        if ev.kind == "setpoint":
            lo, hi, unit = self.setpoint_range(q["controller"])
            v = q["value"]
            if not lo <= v <= hi:
                raise InputError(
                    None, f"events.{q['controller']}", v, f"allowed {lo:g} to {hi:g} {unit}"
                )
            key = q["controller"]
            if key == "pressurizer_level":
                key, v = "pressurizer_level_offset", v - self._pzr_level_programme(y[self.s_n])
            d.setpoints[key] = v
            return y, [
                {**entry, "kind": "setpoint", "detail": f"{q['controller']} = {q['value']:g}"}
            ]
        if ev.kind == "power_setpoint":
            d.rod_mode = "power"
        if ev.kind in ("inlet_temperature", "flow", "pressure"):
            raise InputError(
                None,
                "events.kind",
                ev.kind,
                "a boundary-condition event of the core model; the plant computes it",
            )
        y2, ent = super().apply(ev, t, y)
        return y2, ent

    def next_break(self) -> float:
        return super().next_break()

    def on_break(self, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        self._cache_key = None
        try:
            return super().on_break(t, y)
        finally:
            self._cache_key = None

    def set_discrete(self, discrete: Discrete) -> None:
        self._cache_key = None
        super().set_discrete(discrete)


def steam_generator_state(mass: float, energy: float, volume: float, p_guess: float):
    """The SG secondary's equilibrium state (same solver as the pressurizer)."""
    return pressurizer.state_from_mass_energy(mass, energy, volume, p_guess)
