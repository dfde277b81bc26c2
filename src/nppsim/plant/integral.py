"""The integral PWR's network and steady state (RITM-200N): the assembly of ``layout = "integral"``.

The reactor vessel holds the core, the once-through steam generators and the canned pumps. The
flow leaves the core upward into the riser (the upper plenum), turns down through the steam
generators' primary side (the shell around the tube cassettes), through the pumps, down the
downcomer into the lower plenum and back into the core. The network reuses the loop plant's
components with this meaning:

* one *flow path* per steam generator and pump, a :class:`~nppsim.plant.components.loop.Loop`:
  its "hot" node is the passage from the riser to the steam generator, its tube nodes the
  steam generator's primary side, its "cold" node the pump and its passage to the downcomer;
* the :class:`~nppsim.plant.components.circuit.Circuit` of parallel paths sharing the core, with
  the buoyancy head between the steam generators' and the core's thermal centres (natural
  circulation);
* canned pumps (:mod:`.components.pump` with ``type = "canned"``);
* once-through steam generators (:mod:`.components.once_through_sg`) with feed control on the
  steam outlet temperature;
* a gas pressurizer (:mod:`.components.gas_pressurizer`);
* the turbine, feedwater, electrical supply, controllers and protection of the loop plant, with
  the design's own trip and power-reduction tables; passive heat removal trains where the design
  has them (each forming a thermosiphon with its isolated steam generator).

:func:`integral_steady_state` solves the plant at rest at a given power: hydraulics with
buoyancy, the counter-current steam generators (node by node, the design UA fitted once so that
the design point gives the design steam temperature), the feed that holds the steam
temperature, the gas pressure at the level programme's water volume, and a critical core.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from nppsim.designs import Design
from nppsim.errors import InputError
from nppsim.plant.dynamics import CoreDesign, core_design
from nppsim.plant.network import Network


class IntegralData:
    """Numbers the integral plant's components need, derived once from a design object (SI)."""

    def __init__(self, design: Design | CoreDesign) -> None:
        from nppsim.designs.integral_sections import integral_sections
        from nppsim.physics import pump as pmp
        from nppsim.physics import turbine, water

        design = core_design(design)
        ps = integral_sections(design)
        self.design: CoreDesign = design
        self.ps = ps
        pr, pu, sg, tb = ps.primary, ps.pumps, ps.steam_generators, ps.turbine
        nl, ns = pr.loops, sg.nodes
        self.n_loops, self.n_sg_nodes = nl, ns
        p_nom = design.coolant.pressure.si
        t_in = design.coolant.inlet_temperature.si
        rating, curves = pu.pump_rating(), pu.pump_curves()
        self.rating, self.curves = rating, curves
        rho_c = water.density_pt(p_nom, t_in)
        dp_design = float(
            pmp.pump_pressure_rise(rating.speed, pr.loop_flow.si, rho_c, rating, curves)
        )
        if dp_design <= pr.vessel_pressure_drop.si:
            raise InputError(
                design.path or None,
                "primary.vessel_pressure_drop",
                pr.vessel_pressure_drop.value,
                f"must be below the pumps' pressure rise at the design flow ({dp_design:.4g} Pa)",
            )
        self.k_loop, self.k_vessel = pmp.loop_resistances_from_design(
            pr.loop_flow.si, nl, dp_design, pr.vessel_pressure_drop.si
        )
        a_hot = math.pi * pr.hot_leg_inner_diameter.si**2 / 4
        a_cold = math.pi * pr.cold_leg_inner_diameter.si**2 / 4
        length = sg.tube_length
        self.inert_loop = (
            pr.hot_leg_length.si / a_hot
            + pr.cold_leg_length.si / a_cold
            + length * length / sg.primary_volume.si
        )
        self.inert_vessel = pr.vessel_path_length.si / pr.vessel_flow_area.si
        self.dz = pr.sg_thermal_centre_height.si
        self.v_loop = np.array(
            [a_hot * pr.hot_leg_length.si]
            + [sg.primary_volume.si / ns] * ns
            + [a_cold * pr.cold_leg_length.si + pr.pump_volume.si]
        )
        self.v_upper = pr.upper_plenum_volume.si
        self.v_lower = pr.lower_plenum_volume.si + pr.downcomer_volume.si
        self.v_secondary = np.full(ns, sg.secondary_volume.si / ns)
        self.steam_rated = tb.rated_steam_flow.si / nl
        self.rho_g_rated = water.saturated_vapour_density(sg.steam_pressure.si)
        h_g_in = float(water.saturated_vapour_enthalpy(tb.inlet_pressure.si))
        self.p_electric_rated = design.rating.power_electric_gross.si
        # the shaft's windage and friction come off the generator's output (issue 8): the
        # efficiency is fitted so that the rated steam flow still gives the rated output
        self.p_friction = tb.windage_friction_loss.si * self.p_electric_rated
        self.eta_turbine = turbine.design_turbine_efficiency(
            self.p_electric_rated + self.p_friction,
            tb.generator_efficiency.si,
            tb.rated_steam_flow.si,
            tb.inlet_pressure.si,
            h_g_in,
            tb.condenser_pressure.si,
        )
        #: feedwater enthalpy after the heaters at rated turbine flow, and with no extraction
        #: steam (the deaerator's outlet): the ends of the heater train's law
        self.h_fw_nominal = turbine.feedwater_enthalpy(
            sg.feedwater_temperature.si, sg.steam_pressure.si + 1e6
        )
        self.h_deaerator = turbine.feedwater_enthalpy(
            tb.deaerator_temperature.si, sg.steam_pressure.si + 1e6
        )
        # the integral plant's emergency feed is given in [turbine] (its steam generators have no
        # level for the loop plants' [emergency_feedwater] to hold)
        for key in ("emergency_feed_flow", "emergency_feed_temperature"):
            if getattr(tb, key) is None:
                raise InputError(
                    design.path or None,
                    f"turbine.{key}",
                    "<missing>",
                    'required for layout = "integral"',
                )
        assert tb.emergency_feed_flow is not None and tb.emergency_feed_temperature is not None
        self.ef_flow = tb.emergency_feed_flow.si
        self.h_ef = turbine.feedwater_enthalpy(
            tb.emergency_feed_temperature.si, sg.steam_pressure.si + 1e6
        )
        self.h_steam_design = float(
            water.enthalpy_pt(sg.steam_pressure.si, sg.steam_temperature.si)
        )
        #: design approach of the steam to the primary inlet temperature [K]
        self.approach = sg.primary_inlet_temperature.si - sg.steam_temperature.si
        # the gas pressurizer: the amount of gas from the design's nominal state
        pz = ps.pressurizer
        v_g0 = pz.total_volume.si - pz.nominal_water_volume.si
        self.gas_nr = p_nom * v_g0 / pz.gas_temperature.si
        self.pzr_area = math.pi * pz.inner_diameter.si**2 / 4.0
        self.ua_design = math.nan  # fitted on the kernel's tables (fit_ua)
        #: full-power average temperature of each flow path at the design point (the
        #: average-temperature programme's top; computed on the kernel's tables)
        self.tavg_full = math.nan


class _Exchanger:
    """The counter-current steam generator solved node by node (Python side, kernel tables)."""

    def __init__(self, props: Any, data: IntegralData, steam_props: Any) -> None:
        self.pr = props  # primary side: liquid only
        self.sec = steam_props  # secondary side: any phase
        self.data = data
        sg = data.ps.steam_generators
        self.ns = sg.nodes
        self.c_l, self.c_v = sg.liquid_ua_factor.si, sg.vapour_ua_factor.si
        self.share = sg.primary_resistance_share.si
        self.design_flow = data.ps.primary.loop_flow.si

    def factor(self, h: float, h_f: float, h_g: float) -> float:
        from nppsim.plant.components.once_through_sg import regime_factor

        return float(regime_factor(h, h_f, h_g, self.c_l, self.c_v))

    def solve(
        self,
        ua: float,
        m_p: float,
        h_p_in: float,
        p_prim: float,
        m_f: float,
        h_fw: float,
        p_sec: float,
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Primary node enthalpies (flow order), secondary node enthalpies (feed end first) and
        the heat [W], for the given flows and inlet enthalpies."""
        from scipy.optimize import brentq

        from nppsim.physics import steam_generator, water

        pr, sec, ns = self.pr, self.sec, self.ns
        sat = pr.sat(p_sec)
        h_f, h_g = sat[3], sat[4]
        ua_op = float(steam_generator.operating_ua(ua, m_p, self.design_flow, 1.0, self.share))
        k_ua = ua_op / ns
        t_in = pr.temperature(p_prim, h_p_in)

        def march(h_p_out: float) -> tuple[np.ndarray, np.ndarray, float]:
            hp = np.empty(ns)
            hs = np.empty(ns)
            hp[ns - 1] = h_p_out
            h_prev = h_fw
            for k in range(ns):
                j = ns - 1 - k
                # trial outlet enthalpies of the shooting may carry the primary past
                # saturation; the solution's nodes lie between its liquid ends
                t_p = sec.temperature(p_prim, hp[j])

                def bal(h: float, h_prev: float = h_prev, t_p: float = t_p) -> float:
                    t_s = sec.temperature(p_sec, h)
                    return m_f * (h_prev - h) + k_ua * self.factor(h, h_f, h_g) * (t_p - t_s)

                top = float(water.enthalpy_pt(p_sec, t_p)) if t_p > 300.0 else h_prev + 1e3
                top = max(top, h_prev + 1.0)
                while bal(top) > 0.0:
                    top += 1e5
                hs[k] = brentq(bal, h_prev, top, xtol=1e-6) if bal(h_prev) > 0.0 else h_prev
                q_k = m_f * (hs[k] - h_prev)
                if j > 0:
                    hp[j - 1] = hp[j] + q_k / m_p
                else:
                    h_top = hp[0] + q_k / m_p
                h_prev = hs[k]
            return hp, hs, h_top

        lo = pr.enthalpy(p_prim, max(sec.temperature(p_sec, h_fw) + 0.01, 300.0))
        hi = h_p_in
        if march(hi)[2] <= h_p_in:
            raise ValueError("steam generator: no solution (feed too small for the primary)")
        h_out = brentq(lambda x: march(x)[2] - h_p_in, lo, hi, xtol=1e-4)
        hp, hs, _ = march(h_out)
        del t_in
        return hp, hs, m_p * (h_p_in - hp[ns - 1])

    def fit_ua(self) -> float:
        """The design UA: the design point (design primary inlet, design loop flow and steam
        flow, feed temperature) gives the design steam outlet temperature."""
        from scipy.optimize import brentq

        d = self.data
        sg = d.ps.steam_generators
        p_prim = d.design.coolant.pressure.si
        h_in = self.pr.enthalpy(p_prim, sg.primary_inlet_temperature.si)
        p_sec = sg.steam_pressure.si
        m_f = sg.steam_flow.si
        target = sg.steam_temperature.si

        def f(log_ua: float) -> float:
            _, hs, _ = self.solve(
                math.exp(log_ua), self.design_flow, h_in, p_prim, m_f, d.h_fw_nominal, p_sec
            )
            return self.sec.temperature(p_sec, hs[-1]) - target

        guess = math.log(sg.thermal_power.si / 30.0)
        return math.exp(brentq(f, guess - 4.0, guess + 4.0, xtol=1e-8))


def integral_network(design: Design | CoreDesign) -> tuple[Network, IntegralData]:
    """The integral plant of a design (see the module docstring)."""
    from nppsim.plant import passive
    from nppsim.plant.assemble import _Props, plant_trip_rows, primary_circuit
    from nppsim.plant.components import controller as ctl
    from nppsim.plant.components import core as _core_mod
    from nppsim.plant.components import feedwater as fw
    from nppsim.plant.components import gas_pressurizer as gpz
    from nppsim.plant.components import once_through_sg as otsg
    from nppsim.plant.components import turbine as tbm
    from nppsim.plant.components.boron_control import BoronControl
    from nppsim.plant.components.core import Core
    from nppsim.plant.components.electric import Electric
    from nppsim.plant.components.protection import Protection
    from nppsim.plant.components.pump import Pump
    from nppsim.plant.components.rod_control import RodControl
    from nppsim.plant.components.summary import Summary

    data = IntegralData(design)
    design = data.design
    ps = data.ps
    nl, ns = data.n_loops, data.n_sg_nodes
    pr, tb, sgs = ps.primary, ps.turbine, ps.steam_generators
    pc, fc = ps.control.pressurizer, ps.control.steam_generators
    tc, sd = ps.control.turbine, ps.control.steam_dump
    ctl_core, r = design.control, design.reactivity
    loops = range(nl)

    def each(fmt: str) -> list[str]:
        return [fmt.format(i + 1) for i in loops]

    core = Core("core", design)
    comps: list[Any] = [Electric("electric")]
    comps += primary_circuit(design, data)
    for i in loops:
        comps.append(
            Pump(
                f"pump{i + 1}",
                ps.pumps,
                f"circuit.flow[{i}]",
                f"loop{i + 1}.rho_cold",
                f"pump{i + 1}",
            )
        )
    comps.append(core)
    comps.append(
        RodControl(
            "rods",
            band=ctl_core.power_error_band.si,
            dead_band=ctl_core.power_dead_band.si if ctl_core.power_dead_band else 0.0,
            pressure_gain=ctl_core.rod_pressure_gain.si if ctl_core.rod_pressure_gain else 0.0,
            pressure_signal="turbine.header",
        )
    )
    comps.append(
        BoronControl(
            "boron",
            rate_max=ctl_core.boron_rate_max.si,
            bank_ref=ctl_core.bank_position_reference.si,
            bank_band=ctl_core.bank_position_band.si,
            dead_band=ctl_core.boron_dead_band.si if ctl_core.boron_dead_band else 0.0,
            boron_min=r.boron_min.si,
            boron_max=r.boron_max.si,
        )
    )
    z0, zf = pc.level_setpoint_zero_power.si, pc.level_setpoint_full_power.si
    comps.append(
        ctl.Controller(
            "makeup",
            measure_a="pressurizer.level",
            band_a=pc.level_band.si,
            ti_a=pc.level_integral_time.si,
            sign_a=1.0,
            scale=pc.makeup_max_flow.si,
            y_min=0.0,
            y_max=pc.makeup_max_flow.si,
            tt=60.0,
            setpoint_a=z0,
            programme=("core.power_relative", zf - z0, 0.0, 1.2),
            bias=pc.letdown_flow.si,
            setpoint_column="level_pressurizer_setpoint_m",
            description="gas pressurizer level by make-up against let-down",
        )
    )
    pz = ps.pressurizer
    pz_data = np.zeros(gpz.N_DATA)
    pz_data[gpz.G_VOLUME] = pz.total_volume.si
    pz_data[gpz.G_DIAMETER] = pz.inner_diameter.si
    pz_data[gpz.G_NR] = data.gas_nr
    pz_data[gpz.G_GAMMA] = pz.heat_capacity_ratio.si
    pz_data[gpz.G_TAU] = pz.gas_time_constant.si
    pz_data[gpz.G_T_WALL] = pz.gas_temperature.si
    pz_data[gpz.G_P_REF] = design.coolant.pressure.si
    nodes: list[tuple[str, str, str, float, float]] = []
    for i in loops:
        for j in range(ns + 2):
            label = "hot" if j == 0 else "cold" if j == ns + 1 else f"sg{j - 1}"
            nodes.append(
                (
                    f"loop{i + 1}.h[{label}]",
                    f"loop{i + 1}.node_rho[{j}]",
                    f"loop{i + 1}.node_drho[{j}]",
                    float(data.v_loop[j]),
                    0.0,
                )
            )
    nodes.append(("upper_plenum.h", "upper_plenum.rho", "upper_plenum.drho", data.v_upper, 0.0))
    nodes.append(("lower_plenum.h", "lower_plenum.rho", "lower_plenum.drho", data.v_lower, 0.0))
    v_core = float(core.sc[_core_mod.S_V_NODE])
    m_core = float(core.sc[_core_mod.S_MASS_COOLANT])
    for j in range(core.n_nodes):
        nodes.append(
            (f"core.h[{j}]", f"core.node_rho[{j}]", f"core.node_drho[{j}]", v_core, m_core)
        )
    mk, su = pr.makeup_loop, pr.surge_line_loop
    comps.append(
        gpz.GasPressurizer(
            "pressurizer",
            pz_data,
            letdown=pc.letdown_flow.si,
            nodes=nodes,
            makeup_node=(mk - 1) * (ns + 2) + ns + 1,
            links={
                "surge_h": f"loop{su}.h_cold",
                "makeup": "makeup.output",
                "makeup_h": f"loop{mk}.h_cold",
                "offsite": "electric.offsite",
            },
        )
    )
    trains = passive.heat_removal_trains(design, nl, horizontal=False)
    pss = getattr(design, "passive_safety", None)
    hr = pss.heat_removal if pss is not None else None
    if trains and (hr is None or hr.loop_volume is None or hr.loop_water is None):
        raise InputError(
            design.path or None,
            "passive_safety.heat_removal.loop_volume",
            "<missing>",
            "once-through steam generators need loop_volume and loop_water for their trains",
        )
    sg_data = np.zeros(otsg.N_DATA)
    sg_data[otsg.O_UA] = 1.0  # replaced by the fitted design UA below
    sg_data[otsg.O_DESIGN_FLOW] = pr.loop_flow.si
    sg_data[otsg.O_PRIMARY_SHARE] = sgs.primary_resistance_share.si
    sg_data[otsg.O_LIQUID_FACTOR] = sgs.liquid_ua_factor.si
    sg_data[otsg.O_VAPOUR_FACTOR] = sgs.vapour_ua_factor.si
    sg_data[otsg.O_STEAM_RATED] = data.steam_rated
    sg_data[otsg.O_DP_LINE] = sgs.steam_line_pressure_drop.si
    sg_data[otsg.O_RHO_G_RATED] = data.rho_g_rated
    sg_data[otsg.O_BRU_A_OPEN] = sd.bru_a_pressure.si
    sg_data[otsg.O_BRU_A_BAND] = sd.bru_a_band.si
    sg_data[otsg.O_BRU_A_CAP] = tb.bru_a_capacity.si
    sg_data[otsg.O_BRU_A_P_RATED] = tb.bru_a_rated_pressure.si
    sg_data[otsg.O_SAFETY_OPEN] = tb.sg_safety_open_pressure.si
    sg_data[otsg.O_SAFETY_FULL] = tb.sg_safety_full_pressure.si
    sg_data[otsg.O_SAFETY_CAP] = tb.sg_safety_capacity.si
    sg_data[otsg.O_V_OUT] = sgs.outlet_volume.si
    if trains:
        assert hr is not None and hr.loop_volume is not None and hr.loop_water is not None
        sg_data[otsg.O_V_LOOP] = sgs.secondary_volume.si + sgs.outlet_volume.si + hr.loop_volume.si
        sg_data[otsg.O_LOOP_WATER] = hr.loop_water.si
    sg_data[otsg.O_P_GUESS] = sgs.steam_pressure.si
    sg_data[otsg.O_T_DESIGN] = sgs.steam_temperature.si
    sg_data[otsg.O_APPROACH] = data.approach
    sg_data[otsg.O_SUPERHEAT_MIN] = fc.minimum_superheat.si
    if fc.average_temperature_slope is not None:
        sg_data[otsg.O_TAVG_ON] = 1.0
        sg_data[otsg.O_TAVG_SLOPE] = fc.average_temperature_slope.si
    sg_comps = []
    for i in loops:
        sg_comps.append(
            otsg.OnceThroughSteamGenerator(
                f"sg{i + 1}",
                i + 1,
                sg_data,
                data.v_secondary,
                links={
                    "temp_nodes": f"loop{i + 1}.node_temp[1]",
                    "temp_in": f"loop{i + 1}.temp_hot",
                    "flow": f"circuit.flow[{i}]",
                    "header": "turbine.header",
                    "feed": f"feedwater.flow[{i}]",
                    "feed_h": f"feedwater.h_sg[{i}]",
                    "phrs": f"phrs{i + 1}.heat" if i < len(trains) else None,
                    "temp_out": f"loop{i + 1}.temp_cold",
                    "auto": "rods.auto",
                    "power": "core.power_relative",
                },
            )
        )
    comps += sg_comps
    comps += trains
    comps.append(
        ctl.Controller(
            "turbine_control",
            measure_a="turbine.header",
            band_a=tc.pressure_band.si,
            ti_a=tc.pressure_integral_time.si,
            sign_a=-1.0,
            scale=1.0,
            y_min=0.0,
            y_max=tb.max_valve_opening.si,
            tt=10.0,
            setpoint_a=tc.header_pressure_setpoint.si,
            measure_b="turbine.load_measure",
            band_b=tc.power_band.si,
            ti_b=tc.power_integral_time.si,
            sign_b=1.0,
            setpoint_b=1.0,
            column="turbine_demand",
            description="turbine control valves: header pressure (A) or electric power (B)",
        )
    )
    fw_data = np.zeros(fw.N_DATA)
    fw_data[fw.FW_TAU] = fc.valve_time_constant.si
    fw_data[fw.FW_PUMP_CAP] = tb.feed_pump_capacity.si
    fw_data[fw.FW_STEAM_RATED] = data.steam_rated
    fw_data[fw.FW_MARGIN] = tb.feed_pressure_margin.si
    fw_data[fw.FW_VALVE_CAP] = tb.feed_valve_capacity.si
    fw_data[fw.FW_VALVE_DP] = tb.feed_valve_dp_rated.si
    fw_data[fw.FW_EMERGENCY] = data.ef_flow
    fw_data[fw.FW_H_EMERGENCY] = data.h_ef
    fw_data[fw.FW_INSTALLED] = tb.feed_pumps
    # once-through steam generators have no level: the main feed follows each one's feed control
    # (below) and the emergency feed, once started, gives its full flow. The feedwater's level
    # input is tied to the off-site power flag (0 or 1), two units under a setpoint of 2 with a
    # band of 1, so that its valve demand is always full (clipped at 1).
    fw_data[fw.FW_EF_SETPOINT] = 2.0
    fw_data[fw.FW_EF_BAND] = 1.0
    comps.append(
        fw.Feedwater(
            "feedwater",
            fw_data,
            tb.feed_pumps,
            sg_pressure=each("sg{}.pressure"),
            demand=each("feed_control{}.output"),
            level=["electric.offsite"] * nl,
            header="turbine.header",
            offsite="electric.offsite",
            h_main="turbine.feed_h",
            ef_start_delay=0.0,
        )
    )
    dh_design = data.h_steam_design - data.h_fw_nominal
    for i in loops:
        # the steam generator's deviation from its programmed steam temperature (its signal
        # temp_steam_setpoint) to zero; feed-forward: its share of the core's thermal power
        comps.append(
            ctl.Controller(
                f"feed_control{i + 1}",
                measure_a=f"sg{i + 1}.temp_steam_deviation",
                band_a=fc.temperature_band.si,
                ti_a=fc.integral_time.si,
                sign_a=-1.0,
                scale=data.steam_rated,
                y_min=0.0,
                y_max=1e9,
                tt=30.0,
                setpoint_a=0.0,
                bias_signal="core.power_thermal",
                bias_gain=fc.heat_feedforward.si / (nl * dh_design),
                high_limit_signal=f"feedwater.capacity[{i}]",
                description=f"steam generator {i + 1} feed by its steam temperature",
            )
        )
    tb_data = np.zeros(tbm.N_DATA)
    tb_data[tbm.T_VOLUME] = tb.header_volume.si
    tb_data[tbm.T_RATED_FLOW] = tb.rated_steam_flow.si
    tb_data[tbm.T_INLET_P] = tb.inlet_pressure.si
    tb_data[tbm.T_ETA] = data.eta_turbine
    tb_data[tbm.T_GEN_EFF] = tb.generator_efficiency.si
    tb_data[tbm.T_LP_FRACTION] = tb.lp_power_fraction.si
    tb_data[tbm.T_REHEAT_TAU] = tb.reheater_time_constant.si
    tb_data[tbm.T_BRU_K_P] = sd.bru_k_pressure.si
    tb_data[tbm.T_BRU_K_BAND] = sd.bru_k_band.si
    tb_data[tbm.T_BRU_K_CAP] = tb.bru_k_capacity.si
    tb_data[tbm.T_P_RATED] = data.p_electric_rated
    tb_data[tbm.T_CHEST_TAU] = tb.steam_chest_time_constant.si
    tb_data[tbm.T_SERVO] = tb.valve_servo_time_constant.si
    tb_data[tbm.T_CV_OPEN] = tc.valve_rate_limit.si
    tb_data[tbm.T_CV_CLOSE] = 1.0 / tb.control_valve_closing_time.si
    tb_data[tbm.T_SV_CLOSE] = 1.0 / tb.stop_valve_closing_time.si
    tb_data[tbm.T_IV_OPEN] = 1.0 / tb.intercept_valve_opening_time.si
    tb_data[tbm.T_IV_CLOSE] = 1.0 / tb.intercept_valve_closing_time.si
    tb_data[tbm.T_CV_MAX] = tb.max_valve_opening.si
    tb_data[tbm.T_INERTIA] = tb.inertia_constant.si
    tb_data[tbm.T_FRICTION] = data.p_friction
    tb_data[tbm.T_DROOP] = tc.speed_droop.si
    tb_data[tbm.T_IV_START] = tb.intercept_valve_speed_start.si
    tb_data[tbm.T_IV_FULL] = tb.intercept_valve_speed_full.si
    tb_data[tbm.T_HOUSE] = tb.house_load.si * data.p_electric_rated
    tb_data[tbm.T_H_DEAERATOR] = data.h_deaerator
    tb_data[tbm.T_H_FEED_RATED] = data.h_fw_nominal
    tb_data[tbm.T_HEATER_TAU] = tb.heater_time_constant.si
    tb_data[tbm.T_FEED_MARGIN] = tb.feed_pressure_margin.si
    tb_data[tbm.T_P_LIMIT] = tc.header_pressure_setpoint.si - tc.pressure_limiter_offset.si
    tb_data[tbm.T_P_LIMIT_BAND] = tc.pressure_limiter_band.si
    comps.append(
        tbm.Turbine(
            "turbine",
            tb_data,
            lines=each("sg{}.line"),
            valve="turbine_control.output",
            condenser="electric.offsite",
            grid="electric.grid",
        )
    )
    rows: list[tuple[str, str, str, list[str], str | None]] = [
        ("temp_hot_leg", "K", "mean", each("loop{}.temp_hot"), "temp_hot_leg_k"),
        ("temp_cold_leg", "K", "mean", each("loop{}.temp_cold"), "temp_cold_leg_k"),
        ("power_sg", "W", "sum", each("sg{}.q"), "power_sg_w"),
        ("pressure_steam", "Pa", "mean", each("sg{}.pressure"), "pressure_steam_pa"),
        ("flow_steam", "kg/s", "sum", each("sg{}.steam"), "flow_steam_kg_s"),
        ("flow_bru_a", "kg/s", "sum", each("sg{}.bru_a"), "flow_bru_a_kg_s"),
        ("flow_sg_safety", "kg/s", "sum", each("sg{}.safety"), "flow_sg_safety_kg_s"),
        ("temp_steam", "K", "mean", each("sg{}.temp_steam"), "temp_steam_k"),
        ("superheat_min", "K", "min", each("sg{}.superheat"), "superheat_min_k"),
        ("pressure_steam_max", "Pa", "max", each("sg{}.pressure"), "pressure_steam_max_pa"),
        ("pressure_steam_min", "Pa", "min", each("sg{}.pressure"), "pressure_steam_min_pa"),
        (
            "subcooling",
            "K",
            "first_minus_max",
            ["pressurizer.temp_sat", *each("loop{}.temp_hot")],
            "subcooling_margin_k",
        ),
        ("pumps_running", "1", "sum", each("pump{}.running"), "pumps_running"),
        ("pumps_lost", "1", "sum", each("pump{}.stopped"), "pumps_lost"),
    ]
    if trains:
        rows.append(("power_phrs", "W", "sum", [f"{t.name}.heat" for t in trains], "power_phrs_w"))
    comps.append(Summary("plant", rows))
    comps.append(Protection("protection", plant_trip_rows(design), design.rods.scram_delay.si))
    conn = {
        "core.pressure": "pressurizer.pressure",
        "core.h_in": "lower_plenum.h",
        "core.flow": "circuit.fraction",
        "core.rod_demand": "rods.demand",
        "core.rod_auto": "rods.auto",
        "core.boron_rate": "boron.rate",
    }
    net = Network(comps, conn, condenser_pressure=tb.condenser_pressure.si)
    net.by_name["protection"].check_actions(net)  # type: ignore[attr-defined]
    # the design UA, fitted on the kernel's own tables (so that the design point is at rest)
    ua = _Exchanger(_Props(net), data, _Props(net, any_phase=True)).fit_ua()
    data.ua_design = ua
    for c in sg_comps:
        q = net.params[f"{c.name}.data"].start
        net.p[q + otsg.O_UA] = ua
        c.data[otsg.O_UA] = ua
    if fc.average_temperature_slope is not None:
        # the programme's top: the full-power state with the steam at its design temperature
        y, d = integral_steady_state(net, data, 1.0, _programme=False)
        w = net.signal_vector(0.0, y, d)
        t_avg = float(w[net.w_index("sg1.temp_average")])
        data.tavg_full = t_avg
        for c in sg_comps:
            q = net.params[f"{c.name}.data"].start
            net.p[q + otsg.O_TAVG_FULL] = t_avg
            c.data[otsg.O_TAVG_FULL] = t_avg
    return net, data


def integral_steady_state(
    net: Network,
    data: IntegralData,
    power: float,
    critical: str = "boron",
    *,
    boron: float | None = None,
    rod_control: str = "auto",
    boron_control: str = "manual",
    pumps_off: tuple[int, ...] = (),
    subcriticality: float | None = None,
    pressure: float | None = None,
    inlet_temperature: float | None = None,
    file: str | None = None,
    _programme: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The integral plant at rest at relative power ``power`` (10 % to 100 %).

    Hot zero power, a subcritical start and cold states (``subcriticality``, ``pressure``,
    ``inlet_temperature``) are not modelled for the integral layout: they are an
    :class:`~nppsim.errors.InputError` naming the field.

    Steam temperature at its setpoint (the feed controllers' integral action), or, with the
    average-temperature programme (``[control.steam_generators].average_temperature_slope``),
    each flow path's average temperature at its programme, header pressure
    at its setpoint (the turbine's), the gas pressurizer at its level programme (its pressure
    follows from the gas), flows from the pumps and buoyancy, steam generators solved node by
    node. A design without soluble boron (``boron_max = 0``) is made critical by its regulating
    banks whatever ``critical`` says.
    """
    from scipy.optimize import brentq, fsolve

    from nppsim.physics import pump as pmp
    from nppsim.physics import turbine
    from nppsim.plant import passive
    from nppsim.plant.assemble import _Props, secondary_initial_state
    from nppsim.plant.components import gas_pressurizer as gpz
    from nppsim.plant.components.circuit import GRAVITY
    from nppsim.plant.components.core import Core

    ps, design = data.ps, data.design
    nl = data.n_loops
    core: Core = net.by_name["core"]  # type: ignore[assignment]
    if not 0.1 <= power <= 1.0:
        raise InputError(
            file, "initial.power", f"{100 * power:g} %", "allowed 10 % to 100 % for the plant model"
        )
    for fld, value in (
        ("subcriticality", subcriticality),
        ("pressure", pressure),
        ("inlet_temperature", inlet_temperature),
    ):
        if value is not None:
            raise InputError(
                file,
                f"initial.{fld}",
                value,
                "the integral plant starts only from power states (10 % to 100 %) at its "
                "controllers' setpoints; sub-critical and cold states are not modelled for it",
            )
    if pumps_off:
        raise InputError(
            file,
            "initial.pumps_off",
            list(pumps_off),
            "the integral plant's steady state is computed with every pump running",
        )
    if design.reactivity.boron_max.si <= 0.0:
        critical = "bank"
    fcs = ps.control.steam_generators
    tavg_set: float | None = None
    if _programme and fcs.average_temperature_slope is not None and rod_control == "auto":
        tavg_set = data.tavg_full - fcs.average_temperature_slope.si * (1.0 - power)
    pr = _Props(net)
    sec = _Props(net, any_phase=True)
    ex = _Exchanger(pr, data, sec)
    sgs = ps.steam_generators
    # primary pressure: the gas at the vessels' temperature over the programmed water volume
    pc, pz = ps.control.pressurizer, ps.pressurizer
    lvl = (
        pc.level_setpoint_zero_power.si
        + (pc.level_setpoint_full_power.si - pc.level_setpoint_zero_power.si) * power
    )
    v_l = lvl * data.pzr_area
    p, _ = gpz.gas_pressure(data.gas_nr, pz.gas_temperature.si, pz.total_volume.si, v_l)
    p = float(p)
    p_hdr = ps.control.turbine.header_pressure_setpoint.si
    q_core = power * design.rating.power_thermal.si
    t_set = sgs.steam_temperature.si
    h_fw = data.h_fw_nominal
    pu = ps.pumps
    t_rated = pmp.rated_torque(
        data.rating.flow, data.rating.pressure_rise, data.rating.efficiency, data.rating.speed
    )
    s_b = pmp.kloss_breakdown_slip(pu.rated_slip, pu.motor_breakdown_ratio.si)

    def hydraulic(rho_c: float, buoy: float, m0: float, w0: float) -> tuple[float, float]:
        def res(x: np.ndarray) -> np.ndarray:
            mm, ww = x
            dp = float(pmp.pump_pressure_rise(ww, mm, rho_c, data.rating, data.curves))
            m_v = nl * mm
            r_loop = dp - data.k_loop * mm * abs(mm) + buoy - data.k_vessel * m_v * abs(m_v)
            t_h = float(pmp.hydraulic_torque(ww, mm, rho_c, data.rating, data.curves))
            t_m = float(
                pmp.motor_torque(ww, pu.synchronous_speed.si, pu.motor_breakdown_torque, s_b, 1.0)
            )
            t_f = float(
                pmp.friction_torque(ww, data.rating.speed, t_rated, pu.friction_fraction.si)
            )
            return np.array([r_loop / 1e5, (t_m - t_h - t_f) / t_rated])

        x, _, ier, msg = fsolve(res, np.array([m0, w0]), full_output=True, xtol=1e-12)
        if ier != 1 and np.max(np.abs(res(x))) > 1e-6:
            raise InputError(file, "initial", "pumps", f"no hydraulic steady state: {msg}")
        return float(x[0]), float(x[1])

    def p_sg_for_flow(flow: float) -> float:
        def f(p_sg: float) -> float:
            rho_g = pr.sat(p_sg)[2]
            return (
                turbine.steam_line_flow(
                    p_sg,
                    p_hdr,
                    rho_g,
                    data.steam_rated,
                    sgs.steam_line_pressure_drop.si,
                    data.rho_g_rated,
                )
                - flow
            )

        dp = sgs.steam_line_pressure_drop.si
        return brentq(f, p_hdr, p_hdr + 5.0 * dp + 1e5, xtol=1e-3)

    m = ps.primary.loop_flow.si
    w_p = data.rating.speed
    h_cold = pr.enthalpy(p, design.coolant.inlet_temperature.si)
    h_hot = pr.enthalpy(p, design.coolant.outlet_temperature.si)
    m_f = q_core / nl / (data.h_steam_design - h_fw)
    for _ in range(8):
        m_prev, h_prev = m, h_cold
        rho_c, rho_h = pr.t_rho(p, h_cold)[1], pr.t_rho(p, h_hot)[1]
        buoy = GRAVITY * data.dz * (rho_c - rho_h)
        m, w_p = hydraulic(rho_c, buoy, m, w_p)
        pump_heat = float(pmp.hydraulic_torque(w_p, m, rho_c, data.rating, data.curves)) * w_p
        if pu.type == "canned":
            pump_heat += pu.friction_fraction.si * t_rated * w_p * w_p / data.rating.speed
        q_sg = q_core / nl + pump_heat
        p_sg = p_sg_for_flow(m_f)

        def feed_for(
            h_up: float, p_sg: float = p_sg, q_sg: float = q_sg, h_fw: float = h_fw
        ) -> float:
            # the feed that makes the programmed steam temperature with this heat
            t_min = pr.sat(p_sg)[0] + ps.control.steam_generators.minimum_superheat.si
            t_prog = min(t_set, max(pr.temperature(p, h_up) - data.approach, t_min))
            return q_sg / (float(sec.enthalpy(p_sg, t_prog)) - h_fw)

        def heat_error(
            h_up: float, p_sg: float = p_sg, q_sg: float = q_sg, m: float = m, h_fw: float = h_fw
        ) -> float:
            mf = feed_for(h_up)
            return ex.solve(data.ua_design, m, h_up, p, mf, h_fw, p_sg)[2] - q_sg

        t_sat_sg = pr.sat(p_sg)[0]
        lo = pr.enthalpy(p, t_sat_sg + 1.0)
        hi = pr.enthalpy(p, pr.sat(p)[0] - 1.0)
        if tavg_set is not None:
            # the average-temperature programme: the flow path's mean of its riser passage and
            # pump temperatures at the setpoint; the feed is what passes the heat
            dh_path = q_core / nl / m

            def tavg_error(h_up: float, dh_path: float = dh_path) -> float:
                return 0.5 * (pr.temperature(p, h_up) + pr.temperature(p, h_up - dh_path)) - (
                    tavg_set
                )

            h_up = brentq(tavg_error, lo, hi, xtol=1e-3)

            def feed_error(
                mf: float,
                h_up: float = h_up,
                p_sg: float = p_sg,
                q_sg: float = q_sg,
                m: float = m,
                h_fw: float = h_fw,
            ) -> float:
                try:
                    return ex.solve(data.ua_design, m, h_up, p, mf, h_fw, p_sg)[2] - q_sg
                except ValueError:
                    return -q_sg

            # bounds: below, less feed than could carry the heat even as steam at the primary
            # inlet temperature; above, twice what carries it as saturated steam
            t_up = pr.temperature(p, h_up)
            mf_lo = 0.8 * q_sg / (float(sec.enthalpy(p_sg, t_up)) - h_fw)
            mf_hi = 2.0 * q_sg / (pr.sat(p_sg)[4] - h_fw)
            while feed_error(mf_lo) > 0.0 and mf_lo > 1e-3 * mf_hi:
                mf_lo *= 0.5
            if feed_error(mf_hi) < 0.0:
                raise InputError(
                    file,
                    "initial.power",
                    f"{100 * power:g} %",
                    "the steam generators cannot pass this power at the programmed average "
                    "temperature: no steady state",
                )
            m_f = brentq(feed_error, mf_lo, mf_hi, xtol=1e-9)
        else:
            if heat_error(hi) < 0.0:
                raise InputError(
                    file,
                    "initial.power",
                    f"{100 * power:g} %",
                    "the steam generators cannot pass this power below saturation: no steady state",
                )
            h_up = brentq(heat_error, lo, hi, xtol=1e-3)
            m_f = feed_for(h_up)
        hp, hs, _ = ex.solve(data.ua_design, m, h_up, p, m_f, h_fw, p_sg)
        h_hot = h_up
        h_cold = hp[-1] + pump_heat / m
        # the feedwater heaters' outlet at this turbine flow (extraction steam, issue 8)
        h_fw_prev, h_fw = (
            h_fw,
            turbine.feedwater_heater_target(
                nl * m_f / ps.turbine.rated_steam_flow.si, data.h_deaerator, data.h_fw_nominal
            ),
        )
        if (
            abs(m - m_prev) < 1e-9 * m
            and abs(h_cold - h_prev) < 1e-6
            and abs(h_fw - h_fw_prev) < 1e-6
        ):
            break
    m_v = nl * m
    h_lo = h_cold
    flow_frac = m_v / design.coolant.mass_flow.si
    y = np.zeros(net.states.size)
    d = net.d0.copy()
    core.steady_state(net, y, d, power, p, h_lo, flow_frac, boron, tprops=pr.t_rho)
    st = net.states
    for i in range(nl):
        y[st.index(f"pump{i + 1}.speed")] = w_p
        y[st[f"loop{i + 1}.h"].slice] = np.concatenate(([h_up], hp, [h_cold]))
        y[st[f"sg{i + 1}.h"].slice] = hs
        y[st.index(f"sg{i + 1}.pressure")] = p_sg
    y[st["circuit.flow"].slice] = m
    y[st.index("upper_plenum.h")] = h_up
    y[st.index("lower_plenum.h")] = h_lo
    rho_l = pr.t_rho(design.coolant.pressure.si, h_cold)[1]
    y[st.index("pressurizer.mass")] = rho_l * v_l
    y[st.index("pressurizer.h")] = h_cold
    y[st.index("pressurizer.gas_temp")] = pz.gas_temperature.si
    y[st["feedwater.flow"].slice] = m_f
    fc = ps.control.steam_generators
    dh_design = data.h_steam_design - data.h_fw_nominal  # as the network's feed-forward gain
    for i in range(nl):
        ff = fc.heat_feedforward.si / (nl * dh_design) * q_core
        y[st.index(f"feed_control{i + 1}.integral")] = (m_f - ff) / data.steam_rated
    secondary_initial_state(
        net, y, d, data, p_hdr, nl * m_f, h_fw, power, rod_control, boron_control, file, power
    )
    passive.initial_state(net, y)
    core.make_critical(net, y, d, critical, file)
    return y, d
