"""Assembling networks from designs: which components, how they connect, their initial state.

:func:`core_network` builds the core studied alone (the core component and a boundary component
that prescribes pressure, inlet temperature and flow); the plant network of a design with plant
sections is built from the topology its design file declares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from nppsim.designs import Design
from nppsim.errors import InputError
from nppsim.plant import passive
from nppsim.plant.components import core as _core_mod
from nppsim.plant.components.boron_control import MANUAL as BORON_MANUAL
from nppsim.plant.components.boron_control import BoronControl
from nppsim.plant.components.boundary import Boundary
from nppsim.plant.components.core import Core
from nppsim.plant.components.protection import Protection, TripRow
from nppsim.plant.components.rod_control import AUTO, MANUAL, RodControl
from nppsim.plant.components.validity import Validity, core_rows, plant_rows
from nppsim.plant.dynamics import CoreDesign, core_design
from nppsim.plant.network import Network

if TYPE_CHECKING:
    from nppsim.plant.integral import IntegralData


def core_trip_rows(design: Design | CoreDesign) -> list[TripRow]:
    """The core's trip table: high neutron power and short period (``[protection]``)."""
    design = core_design(design)
    pr = design.protection
    return [
        TripRow(
            "high_flux",
            "core.power_relative",
            "above",
            pr.high_flux.si,
            detail="neutron power {value:.1f} % of nominal",
            scale=100.0,
        ),
        TripRow(
            "short_period",
            "core.period_inverse",
            "above",
            1.0 / pr.short_period.si,
            detail=f"period shorter than {pr.short_period.si:g} s",
        ),
    ]


def core_network(design: Design | CoreDesign) -> Network:
    """The core alone with prescribed boundary conditions (design's nominal values)."""
    design = core_design(design)
    cool = design.coolant
    ctl = design.control
    r = design.reactivity
    comps = [
        Boundary("boundary", cool.pressure.si, cool.inlet_temperature.si, 1.0),
        Core("core", design),
        RodControl("rods", band=ctl.power_error_band.si),
        BoronControl(
            "boron",
            rate_max=ctl.boron_rate_max.si,
            bank_ref=ctl.bank_position_reference.si,
            bank_band=ctl.bank_position_band.si,
            dead_band=0.0,
            boron_min=r.boron_min.si,
            boron_max=r.boron_max.si,
        ),
        Protection("protection", core_trip_rows(design), design.rods.scram_delay.si),
    ]
    comps.append(Validity("validity", core_rows(design.core.axial_nodes)))
    conn = {
        "core.pressure": "boundary.pressure",
        "core.h_in": "boundary.h_in",
        "core.flow": "boundary.flow",
        "core.rod_demand": "rods.demand",
        "core.rod_auto": "rods.auto",
        "core.boron_rate": "boron.rate",
    }
    return Network(comps, conn)


#: How far below critical a core "critical at 0 %" (hot or cold zero power) is held by its
#: source [1]: 1 pcm, so that the neutron level is S Lambda / 1e-5 (1e-5 of full power for the
#: V-446's source), the low end of the range where zero-power physics tests are run.
ZERO_POWER_SUBCRITICALITY = 1e-5


def neutron_level(
    core: Core, power: float, subcriticality: float | None, file: str | None
) -> tuple[float, float | None]:
    """The neutron level ``n`` [1] of a steady state and the reactivity it needs (None: critical
    with the source at ``n``, ``rho = -S Lambda / n``, set by :meth:`Core.make_critical`).

    * ``power > 0``: n = power (below a few 1e-5 the source holds the core measurably
      subcritical: the source level of that power);
    * ``power = 0`` and a ``subcriticality``: the source level n = S Lambda / subcriticality;
    * ``power = 0`` alone: zero power, critical to within :data:`ZERO_POWER_SUBCRITICALITY`
      (n = 0 for a design without a source).
    """
    s_lam = float(core.sc[_core_mod.S_SOURCE] * core.sc[_core_mod.S_GEN_TIME])
    if not 0.0 <= power <= 1.0:
        raise InputError(file, "initial.power", f"{100 * power:g} %", "allowed 0 % to 100 %")
    if subcriticality is not None:
        if power != 0.0:
            raise InputError(
                file,
                "initial.subcriticality",
                f"{subcriticality * 1e5:g} pcm",
                "a subcritical core sits at its source level: give it with power = '0 %'",
            )
        if not subcriticality > 0.0:
            raise InputError(
                file, "initial.subcriticality", f"{subcriticality * 1e5:g} pcm", "above 0 pcm"
            )
        if s_lam == 0.0:
            raise InputError(
                file,
                "initial.subcriticality",
                f"{subcriticality * 1e5:g} pcm",
                "the design has no neutron source ([kinetics].neutron_source = 0): a subcritical "
                "core has no steady level",
            )
        return s_lam / subcriticality, -subcriticality
    if power > 0.0:
        return power, None
    return s_lam / ZERO_POWER_SUBCRITICALITY, -ZERO_POWER_SUBCRITICALITY if s_lam > 0 else 0.0


def core_steady_state(
    net: Network,
    power: float,
    critical: str = "boron",
    *,
    pressure: float | None = None,
    inlet_temperature: float | None = None,
    flow: float = 1.0,
    boron: float | None = None,
    rod_control: str = "auto",
    boron_control: str = "manual",
    subcriticality: float | None = None,
    file: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Steady state of the core network at relative power ``power`` (0 to 100 %).

    Xenon, samarium, precursors and decay heat are in equilibrium; temperatures solve the steady
    conduction and coolant energy balance at the given (or the design's) pressure and inlet
    temperature, from cold shutdown (0.1 MPa, 20 degC) to hot full power; the core is made
    critical by boron (``critical="boron"``) or by the regulating banks (``"bank"``, boron
    fixed), or subcritical by ``subcriticality`` [1] (with ``power = 0``: the neutron level is
    then the source level, :func:`neutron_level`).

    Coolant states outside the water-property tables, or boiling in the channel, are an
    :class:`~nppsim.errors.InputError` naming the initial value that causes them (nothing is
    clipped).

    Returns
    -------
    (ndarray, ndarray)
        The state ``y`` and the discrete state ``d``.
    """
    core = net.component("core", Core)
    design = core.design
    n, rho = neutron_level(core, power, subcriticality, file)
    press = design.coolant.pressure.si if pressure is None else pressure
    t_in = design.coolant.inlet_temperature.si if inlet_temperature is None else inlet_temperature
    y = np.zeros(net.states.size)
    d = net.d0.copy()
    bnd = net.by_name["boundary"]
    for which, v in (("pressure", press), ("inlet_temperature", t_in), ("flow", flow)):
        k = net.discrete[f"{bnd.name}.{which}"].start
        d[k : k + 4] = (0.0, v, 0.0, v)
    pr = _Props(net)
    where = "initial.inlet_temperature" if inlet_temperature is not None else "initial.pressure"
    try:
        h_in = pr.enthalpy(press, t_in)
    except _TableError as e:
        raise InputError(
            file,
            where,
            f"{t_in - 273.15:.6g} degC at {press / 1e6:.6g} MPa",
            f"the core inlet water is {e.state}: the coolant must be liquid within the tables",
        ) from None
    try:
        core.steady_state(net, y, d, n, press, h_in, flow, boron, pr.t_rho)
    except _TableError as e:
        raise InputError(
            file,
            "initial.power",
            f"{100 * power:g} %",
            f"the coolant in the core would be {e.state} at {press / 1e6:.6g} MPa with the inlet "
            f"at {t_in - 273.15:.6g} degC: the core channel is single-phase liquid; "
            "no steady state (lower the power or raise the pressure)",
        ) from None
    rods = net.by_name["rods"]
    k = net.discrete[f"{rods.name}.setpoint"].start
    d[k : k + 4] = (0.0, n, 0.0, n)
    d[net.d_index(f"{rods.name}.mode")] = AUTO if rod_control == "auto" else MANUAL
    d[net.d_index("boron.mode")] = 0.0 if boron_control == "auto" else BORON_MANUAL
    core.make_critical(net, y, d, critical, file, rho=rho)
    return y, d


# -- the whole plant ---------------------------------------------------------------------------
def is_integral(design: Design | CoreDesign) -> bool:
    """Whether the design is an integral PWR (``[primary] layout = "integral"``)."""
    pr = getattr(design, "primary", None)
    return pr is not None and getattr(pr, "layout", "loop") == "integral"


def _resolve(design: Design | CoreDesign, ref: Any, file: str | None, where: str) -> float:
    """A table setpoint: a [protection] name, a dotted design path, "1/name", or a number."""
    from nppsim.designs import Quantity

    if isinstance(ref, int | float):
        return float(ref)
    if isinstance(ref, Quantity):
        return ref.si
    text = str(ref)
    inverse = text.startswith("1/")
    if inverse:
        text = text[2:]
    node: Any = design.protection if "." not in text else design
    for part in text.split("."):
        node = getattr(node, part, None)
        if node is None:
            raise InputError(file, where, ref, "a [protection] name or a dotted design path")
    v = node.si if isinstance(node, Quantity) else float(node)
    return 1.0 / v if inverse else v


def plant_trip_rows(design: Design | CoreDesign) -> list[TripRow]:
    """The trip table and the power-reduction table of a plant design as protection rows."""
    from nppsim.designs.plant_sections import plant_sections
    from nppsim.units import to_si

    pr = plant_sections(design).protection
    file = design.path or None
    rows: list[TripRow] = []

    def enabling(spec: Any, where: str) -> dict[str, Any]:
        """The row's enabling conditions (none, one or two) as TripRow fields."""
        out: dict[str, Any] = {}
        for j, en in enumerate(spec.conditions):
            key = "enable" if j == 0 else "enable2"
            out[f"{key}_signal"] = en.signal
            out[f"{key}_sense"] = en.compare
            out[f"{key}_threshold"] = _resolve(
                design, en.threshold, file, f"{where}.enable.threshold"
            )
        return out

    for i, t in enumerate(pr.trips):
        where = f"protection.trips[{i}]"
        rows.append(
            TripRow(
                t.name,
                t.signal,
                t.compare,
                _resolve(design, t.setpoint, file, f"{where}.setpoint"),
                actions=tuple(t.actions),
                delay=t.delay.si if t.delay is not None else 0.0,
                detail=t.detail,
                scale=1.0 / to_si(1.0, t.display_unit) if t.display_unit != "degC" else 1.0,
                hold=t.hold,
                reset=t.reset,
                **enabling(t, where),
            )
        )
    for i, f in enumerate(pr.power_reductions):
        where = f"protection.power_reductions[{i}]"
        rows.append(
            TripRow(
                f"fpr_{f.name}",
                f.signal,
                f.compare,
                _resolve(design, f.setpoint, file, f"{where}.setpoint"),
                actions=("fpr",),
                detail=f.detail,
                target=f.target.si,
                rate=f.rate.si,
                **enabling(f, where),
            )
        )
    return rows


class PlantData:
    """Numbers the plant's components need, derived once from a design object (SI).

    Parameters
    ----------
    design : Design
        A design with core and plant sections.
    """

    def __init__(self, design: Design | CoreDesign) -> None:
        from nppsim.designs.plant_sections import plant_sections

        design = core_design(design)
        from nppsim.physics import pump as pmp
        from nppsim.physics import steam_generator, turbine, water

        ps = plant_sections(design)
        self.design: CoreDesign = design
        self.ps = ps
        pr, pu, sg, tb = ps.primary, ps.pumps, ps.steam_generators, ps.turbine
        nl, ns = pr.loops, sg.primary_nodes
        self.n_loops, self.n_sg_nodes = nl, ns
        p_nom = design.coolant.pressure.si
        t_in = design.coolant.inlet_temperature.si
        rating, curves = pu.pump_rating(), pu.pump_curves()
        rho_c = water.density_pt(p_nom, t_in)
        dp_design = float(
            pmp.pump_pressure_rise(rating.speed, pr.loop_flow.si, rho_c, rating, curves)
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
        v_sg = sg.tube_primary_volume + pr.sg_collector_volume.si
        self.v_loop = np.array(
            [a_hot * pr.hot_leg_length.si]
            + [v_sg / ns] * ns
            + [a_cold * pr.cold_leg_length.si + pr.pump_volume.si]
        )
        self.v_upper = pr.upper_plenum_volume.si
        self.v_lower = pr.lower_plenum_volume.si + pr.downcomer_volume.si
        self.geom = sg.steam_generator_geometry()
        t_sat_d = water.saturation_temperature(sg.steam_pressure.si)
        self.ua_design, self.sg_design_flow = steam_generator.design_ua(
            sg.thermal_power.si,
            sg.primary_inlet_temperature.si,
            sg.primary_outlet_temperature.si,
            p_nom,
            float(t_sat_d),
            ns,
        )
        self.steam_rated = tb.rated_steam_flow.si / nl
        self.rho_g_rated = water.saturated_vapour_density(sg.steam_pressure.si)
        h_g_in = water.saturated_vapour_enthalpy(tb.inlet_pressure.si)
        self.p_electric_rated = design.rating.power_electric_gross.si
        # the shaft's windage and friction come off the generator's output (issue 8): the
        # efficiency is fitted so that the rated steam flow still gives the rated output
        self.p_friction = tb.windage_friction_loss.si * self.p_electric_rated
        self.eta_turbine = turbine.design_turbine_efficiency(
            self.p_electric_rated + self.p_friction,
            tb.generator_efficiency.si,
            tb.rated_steam_flow.si,
            tb.inlet_pressure.si,
            float(h_g_in),
            tb.condenser_pressure.si,
        )
        self.h_fw_nominal = turbine.feedwater_enthalpy(
            sg.feedwater_temperature.si, sg.steam_pressure.si + 1e6
        )
        ef = ps.emergency_feedwater
        self.h_ef = turbine.feedwater_enthalpy(ef.temperature.si, sg.steam_pressure.si + 1e6)
        self.h_deaerator = turbine.feedwater_enthalpy(
            tb.deaerator_temperature.si, sg.steam_pressure.si + 1e6
        )
        z = np.linspace(0.0, self.geom.diameter, 2001)
        self.level_z = z
        self.level_v = np.array([steam_generator.liquid_volume_at_level(x, self.geom) for x in z])
        self.rating, self.curves = rating, curves
        # swell and the measured level (issue 8): the level controllers hold the narrow-range
        # reading that the nominal collapsed level and the full-power void give
        self.v_below_bundle = steam_generator.liquid_volume_at_level(
            sg.tube_bundle_bottom.si, self.geom
        )
        p_sg = sg.steam_pressure.si
        h_fg = water.saturated_vapour_enthalpy(p_sg) - water.saturated_liquid_enthalpy(p_sg)
        self.void_rated = steam_generator.void_equilibrium(
            sg.thermal_power.si,
            h_fg,
            water.saturated_vapour_density(p_sg),
            sg.void_residence_time.si,
        )
        self.level_measured_setpoint = self.measured_level(
            steam_generator.liquid_volume_at_level(sg.nominal_level.si, self.geom),
            self.void_rated,
        )

    def measured_level(self, liquid_volume: float, void: float) -> float:
        """The narrow-range reading for a liquid volume [m3] and pool void [m3] (Python side of
        the steam generator's kernel)."""
        from nppsim.physics import steam_generator

        sg = self.ps.steam_generators
        z_mix = float(np.interp(liquid_volume + void, self.level_v, self.level_z))
        alpha = steam_generator.pool_void_fraction(void, liquid_volume, self.v_below_bundle)
        return float(
            steam_generator.narrow_range_level(
                z_mix, alpha, sg.level_tap_low.si, sg.level_tap_high.si
            )
        )


def primary_circuit(design: Any, data: Any) -> list[Any]:
    """The primary circuit's hydraulics shared by every layout: one :class:`Loop` a loop, the
    upper and lower plenums and the :class:`Circuit` of loop and vessel flows (the loop plant's
    and the integral plant's are the same network)."""
    from nppsim.plant.components.circuit import Circuit
    from nppsim.plant.components.loop import Loop
    from nppsim.plant.components.plenum import Plenum

    nl, ns = data.n_loops, data.n_sg_nodes
    loops = range(nl)
    out: list[Any] = []
    for i in loops:
        out.append(
            Loop(
                f"loop{i + 1}",
                data.v_loop,
                ns,
                pressure="pressurizer.pressure",
                flow=f"circuit.flow[{i}]",
                h_up="upper_plenum.h",
                h_lo="lower_plenum.h",
                q_sg=f"sg{i + 1}.q_nodes[0]",
                pump_heat=f"pump{i + 1}.heat",
            )
        )
    bypass = design.core.bypass_fraction.si
    out.append(
        Plenum(
            "upper_plenum",
            data.v_upper,
            "pressurizer.pressure",
            [
                ("circuit.core", 1.0, 1.0 - bypass, "core.h_out"),
                ("circuit.core", 1.0, bypass, "lower_plenum.h"),
            ]
            + [(f"circuit.flow[{i}]", -1.0, 1.0, f"loop{i + 1}.h_hot") for i in loops],
        )
    )
    out.append(
        Plenum(
            "lower_plenum",
            data.v_lower,
            "pressurizer.pressure",
            [(f"circuit.flow[{i}]", 1.0, 1.0, f"loop{i + 1}.h_cold") for i in loops],
        )
    )
    out.append(
        Circuit(
            "circuit",
            nl,
            k_loop=data.k_loop,
            k_vessel=data.k_vessel,
            i_loop=data.inert_loop,
            i_vessel=data.inert_vessel,
            dz=data.dz,
            flow_nominal=design.coolant.mass_flow.si,
            dp=[f"pump{i + 1}.dp" for i in loops],
            rho_cold=[f"loop{i + 1}.rho_cold" for i in loops],
            rho_hot=[f"loop{i + 1}.rho_hot" for i in loops],
        )
    )
    return out


def plant_network(design: Design | CoreDesign) -> tuple[Network, PlantData]:
    """The whole plant of a design: components wired from the topology of its design file."""
    from nppsim.plant.components import controller as ctl
    from nppsim.plant.components import feedwater as fw
    from nppsim.plant.components import steam_generator as sgm
    from nppsim.plant.components import turbine as tbm
    from nppsim.plant.components.balance import Balance
    from nppsim.plant.components.pump import Pump
    from nppsim.plant.components.summary import Summary

    if is_integral(design):  # the integral layout has its own assembly
        from nppsim.plant.integral import integral_network

        # the integral data carries what the plant model reads of PlantData (design, ps,
        # n_loops, p_electric_rated, the steady state's numbers)
        return cast("tuple[Network, PlantData]", integral_network(design))
    data = PlantData(design)
    design = data.design
    ps = data.ps
    nl, ns = data.n_loops, data.n_sg_nodes
    tb, sgs = ps.turbine, ps.steam_generators
    pc, sc = ps.control.pressurizer, ps.control.steam_generators
    tc, sd = ps.control.turbine, ps.control.steam_dump
    ctl_core, r = design.control, design.reactivity
    loops = range(nl)
    core = Core("core", design)
    comps: list[Any] = [electric_supply(ps)]
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
        BoronControl(
            "boron",
            rate_max=ctl_core.boron_rate_max.si,
            bank_ref=ctl_core.bank_position_reference.si,
            bank_band=ctl_core.bank_position_band.si,
            dead_band=ctl_core.boron_dead_band.si if ctl_core.boron_dead_band else 0.0,
            boron_min=r.boron_min.si,
            boron_max=r.boron_max.si,
            target_band=ps.control.boron.target_band.si if ps.control.boron else 0.0,
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
            description="pressurizer level by make-up (charging) against let-down",
        )
    )
    nodes, transport = primary_nodes(design, data, core)
    comps.append(transport)
    eccs = emergency_cooling(data, nodes)
    comps.append(eccs)
    # passive injection (HA-2), where the design has it: it enters with the make-up
    mk = ps.primary.makeup_loop
    ha2 = passive.second_stage_accumulators(
        design,
        node=(f"loop{mk}.h[cold]", f"loop{mk}.h_cold", f"loop{mk}.rho_cold", data.v_loop[-1]),
        makeup="makeup.output",
    )
    if ha2 is not None:
        comps.append(ha2)
    comps.append(
        pressurizer(
            data, nodes, eccs, makeup="ha2.makeup_total" if ha2 is not None else "makeup.output"
        )
    )
    sg_data = np.zeros(sgm.N_DATA)
    sg_data[sgm.S_VOLUME] = data.geom.free_volume
    sg_data[sgm.S_BUNDLE_BOTTOM] = sgs.tube_bundle_bottom.si
    sg_data[sgm.S_BUNDLE_TOP] = sgs.tube_bundle_top.si
    sg_data[sgm.S_UA] = data.ua_design
    sg_data[sgm.S_DESIGN_FLOW] = data.sg_design_flow
    sg_data[sgm.S_PRIMARY_SHARE] = sgs.primary_resistance_share.si
    sg_data[sgm.S_STEAM_RATED] = data.steam_rated
    sg_data[sgm.S_DP_LINE] = sgs.steam_line_pressure_drop.si
    sg_data[sgm.S_RHO_G_RATED] = data.rho_g_rated
    sg_data[sgm.S_BRU_A_OPEN] = sd.bru_a_pressure.si
    sg_data[sgm.S_BRU_A_BAND] = sd.bru_a_band.si
    sg_data[sgm.S_BRU_A_CAP] = tb.bru_a_capacity.si
    sg_data[sgm.S_BRU_A_P_RATED] = tb.bru_a_rated_pressure.si
    sg_data[sgm.S_SAFETY_OPEN] = tb.sg_safety_open_pressure.si
    sg_data[sgm.S_SAFETY_FULL] = tb.sg_safety_full_pressure.si
    sg_data[sgm.S_SAFETY_CAP] = tb.sg_safety_capacity.si
    sg_data[sgm.S_P_GUESS] = sgs.steam_pressure.si
    sg_data[sgm.S_RESIDENCE] = sgs.void_residence_time.si
    sg_data[sgm.S_TAP_LOW] = sgs.level_tap_low.si
    sg_data[sgm.S_TAP_HIGH] = sgs.level_tap_high.si
    sg_data[sgm.S_LT_TAU] = sgs.level_transmitter_time_constant.si
    sg_data[sgm.S_V_BELOW_BUNDLE] = data.v_below_bundle
    for i in loops:
        comps.append(
            sgm.SteamGenerator(
                f"sg{i + 1}",
                i + 1,
                sg_data,
                data.level_v,
                data.level_z,
                ns,
                links={
                    "temp_nodes": f"loop{i + 1}.node_temp[1]",
                    "flow": f"circuit.flow[{i}]",
                    "header": "turbine.header",
                    "feed": f"feedwater.flow[{i}]",
                    "feed_h": f"feedwater.h_sg[{i}]",
                },
            )
        )
    comps += passive.heat_removal_trains(design, nl)  # PHRS, where the design has it
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
    fw_data[fw.FW_TAU] = sc.valve_time_constant.si
    fw_data[fw.FW_PUMP_CAP] = tb.feed_pump_capacity.si
    fw_data[fw.FW_STEAM_RATED] = data.steam_rated
    fw_data[fw.FW_MARGIN] = tb.feed_pressure_margin.si
    fw_data[fw.FW_VALVE_CAP] = tb.feed_valve_capacity.si
    fw_data[fw.FW_VALVE_DP] = tb.feed_valve_dp_rated.si
    efw = ps.emergency_feedwater
    fw_data[fw.FW_EMERGENCY] = efw.flow.si
    fw_data[fw.FW_H_EMERGENCY] = data.h_ef
    fw_data[fw.FW_INSTALLED] = tb.feed_pumps
    fw_data[fw.FW_EF_SETPOINT] = efw.level_setpoint.si
    fw_data[fw.FW_EF_BAND] = efw.level_band.si
    comps.append(
        fw.Feedwater(
            "feedwater",
            fw_data,
            tb.feed_pumps,
            sg_pressure=[f"sg{i + 1}.pressure" for i in loops],
            demand=[f"sg_level{i + 1}.output" for i in loops],
            level=[f"sg{i + 1}.level_measured" for i in loops],
            header="turbine.header",
            # the emergency feed pumps' supply: connected to the diesel-backed bus below
            # (``feedwater.offsite`` -> ``supply_efw``)
            offsite="electric.offsite",
            h_main="turbine.feed_h",
            ef_start_delay=efw.start_delay.si,
        )
    )
    for i in loops:
        comps.append(
            ctl.Controller(
                f"sg_level{i + 1}",
                measure_a=f"sg{i + 1}.level_measured",
                band_a=sc.level_band.si,
                ti_a=sc.level_integral_time.si,
                sign_a=1.0,
                scale=data.steam_rated,
                y_min=0.0,
                y_max=1e9,
                tt=30.0,
                setpoint_a=data.level_measured_setpoint,
                bias_signal=f"sg{i + 1}.steam",
                bias_gain=sc.steam_flow_feedforward.si,
                high_limit_signal=f"feedwater.capacity[{i}]",
                description=f"steam generator {i + 1} level by its feed valve (three-element)",
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
            lines=[f"sg{i + 1}.line" for i in loops],
            valve="turbine_control.output",
            condenser="electric.offsite",
            grid="electric.grid",
        )
    )
    each = lambda fmt: [fmt.format(i + 1) for i in loops]  # noqa: E731
    comps.append(
        Summary(
            "plant",
            [
                ("temp_hot_leg", "K", "mean", each("loop{}.temp_hot"), "temp_hot_leg_k"),
                ("temp_cold_leg", "K", "mean", each("loop{}.temp_cold"), "temp_cold_leg_k"),
                ("power_sg", "W", "sum", each("sg{}.q"), "power_sg_w"),
                ("pressure_steam", "Pa", "mean", each("sg{}.pressure"), "pressure_steam_pa"),
                ("flow_steam", "kg/s", "sum", each("sg{}.steam"), "flow_steam_kg_s"),
                ("flow_bru_a", "kg/s", "sum", each("sg{}.bru_a"), "flow_bru_a_kg_s"),
                ("flow_sg_safety", "kg/s", "sum", each("sg{}.safety"), "flow_sg_safety_kg_s"),
                ("flow_break", "kg/s", "sum", each("sg{}.break"), "flow_break_kg_s"),
                ("level_sg_min", "m", "min", each("sg{}.level"), "level_sg_min_m"),
                (
                    "level_sg_measured_min",
                    "m",
                    "min",
                    each("sg{}.level_measured"),
                    "level_sg_measured_min_m",
                ),
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
            ],
        )
    )
    comps.append(_plant_rod_control(design, ps, data))
    comps.append(Protection("protection", plant_trip_rows(design), design.rods.scram_delay.si))
    comps.append(
        Balance(
            "balance",
            p_nom=design.rating.power_thermal.si,
            p_ref=design.coolant.pressure.si,
            pump_heat=each("pump{}.heat"),
            sg_out=each("sg{}.energy_out"),
            sg_energy=each("sg{}.energy"),
            nodes=[(n.h, n.boron, n.volume, n.mass) for n in nodes],
            links={
                "heaters": "pressurizer.heaters",
                "pzr_out": "pressurizer.energy_out",
                "makeup": "pressurizer.energy_makeup",
                "feed": "feedwater.energy_in",
                "mass": "pressurizer.mass_in",
                "core_energy": "core.energy[0]",
                "fuel_clad": "core.energy_fuel_clad",
                "pressure": "pressurizer.pressure",
                "pzr_mass": "pressurizer.mass_total",
                "pzr_energy": "pressurizer.energy_stored",
                "pzr_boron": "pressurizer.boron_stored",
                "boron_in": "pressurizer.boron_in",
                "eccs_flow": "eccs.total",
                "eccs_energy": "eccs.energy_in",
                "eccs_boron": "eccs.boron_in",
            },
            passive=passive.balance_heats(comps),
        )
    )
    comps.append(Validity("validity", plant_rows(nl, ns, core.n_nodes)))
    conn = {
        "core.pressure": "pressurizer.pressure",
        "core.h_in": "lower_plenum.h",
        "core.flow": "circuit.fraction",
        "core.rod_demand": "rods.demand",
        "core.rod_auto": "rods.auto",
        # boron is carried by the coolant: the core's concentration follows the lower plenum's
        # (the boron controller's rate becomes the make-up's feed and bleed)
        "core.boron_rate": "boron_transport.core_rate",
        # the emergency feed pumps are on the diesel-backed bus (see electric_supply)
        "feedwater.offsite": "supply_efw",
    }
    net = Network(comps, conn, condenser_pressure=tb.condenser_pressure.si)
    net.component("protection", Protection).check_actions(net)
    return net, data


def _plant_rod_control(design: CoreDesign, ps: Any, data: PlantData) -> RodControl:
    """The plant's power controller (ARM) with its pressure mode, the power limiter (ROM) and
    the URB group (issue 8). It sits after the turbine, the feedwater and the summary in the
    schedule, because the limiter reads the pumps and feed pumps running.

    The pressure mode feeds forward the heat the turbine load L needs: the steam flow goes with
    L, and the feedwater enthalpy falls linearly with it from the rated value toward the
    deaerator's (the heater train), so Q/Q_R = L (h_g - h_da - (h_fw,R - h_da) L)/(h_g - h_fw,R)
    = L (a - b L)."""
    from nppsim.physics import water

    h_g = float(water.saturated_vapour_enthalpy(ps.steam_generators.steam_pressure.si))
    rise = h_g - data.h_fw_nominal
    heat_rate = ((h_g - data.h_deaerator) / rise, (data.h_fw_nominal - data.h_deaerator) / rise)
    ctl_core = design.control
    arm, pl = ps.control.arm, ps.control.power_limitation
    nl = ps.primary.loops
    names = [b.name for b in design.rods.banks]
    if pl.urb_group not in names:
        raise InputError(
            design.path or None,
            "control.power_limitation.urb_group",
            pl.urb_group,
            "one of the banks: " + ", ".join(names),
        )
    return RodControl(
        "rods",
        band=ctl_core.power_error_band.si,
        dead_band=ctl_core.power_dead_band.si if ctl_core.power_dead_band else 0.0,
        pressure_gain=ctl_core.rod_pressure_gain.si if ctl_core.rod_pressure_gain else 0.0,
        pressure_signal="turbine.header",
        pressure_integral_time=arm.pressure_integral_time.si,
        integral_limit=arm.pressure_integral_limit.si,
        limiter={
            "pumps": pl.allowed_by_pumps.si_list,
            "feed_pumps": pl.allowed_by_feed_pumps.si_list,
            "cluster": pl.allowed_dropped_cluster.si,
            "pump_signals": [f"pump{i + 1}.running" for i in range(nl)],
            "feed_signal": "feedwater.pumps",
        },
        urb_bank=pl.urb_group,
        heat_rate=heat_rate,
    )


# -- the primary side: nodes, boron, emergency power and cooling, pressurizer (issue 8) ----------
@dataclass(frozen=True)
class PrimaryNode:
    """One well-mixed node of the primary circuit, as the surge closure and the balance see it.

    ``h`` and ``boron`` are state labels (the core's channel nodes share ``core.boron``);
    ``mass`` is 0 for a node whose water is rho V (else its fixed mass [kg]); ``boron_mass`` is
    the water of the boron node (0: the node's own).
    """

    name: str
    h: str
    boron: str
    volume: float
    mass: float = 0.0
    boron_mass: float = 0.0
    #: the node's density, (d rho/d h)_p and (d rho/d p)_h signals, computed by its component at
    #: ``pressurizer.pressure`` (read by the surge closure)
    props: tuple[str, str, str] = ("", "", "")


def electric_supply(ps: Any) -> Any:
    """The electrical supply with the design's diesel generators and load sequence.

    The supply signals (columns ``supply_eccs``, ``supply_efw``, ``supply_makeup``,
    ``supply_heaters``) are what the safety loads read: the emergency feedwater reads
    ``supply_efw`` (connected in :func:`plant_network`), the ECCS pumps ``supply_eccs``, the
    make-up pumps and heaters theirs.
    """
    from nppsim.plant.components.electric import Electric

    el = ps.electrical
    if el is None:
        return Electric("electric")
    return Electric(
        "electric",
        diesels=el.diesel_generators > 0,
        start_delay=el.diesel_start_time.si,
        sequence={step.group: step.delay.si for step in el.load_sequence},
    )


def primary_nodes(design: CoreDesign, data: PlantData, core: Core) -> tuple[list[PrimaryNode], Any]:
    """Every primary node in the closure's order (each loop's nodes, upper and lower plenum, the
    core's channel nodes) and the boron transport over them, wired from the same topology as the
    enthalpies (:mod:`nppsim.plant.components.boron_transport`)."""
    from nppsim.physics import water
    from nppsim.plant.components.boron_transport import BoronTransport

    ps = data.ps
    nl, ns = data.n_loops, data.n_sg_nodes
    bt = "boron_transport"
    nodes: list[PrimaryNode] = []
    t_nodes: list[tuple[str, str, float]] = []
    streams: list[list[tuple[str, float, str]]] = []

    def conc(label: str) -> str:
        return f"{bt}.conc[{label}]"

    labels = ["hot", *[f"sg{j}" for j in range(ns)], "cold"]
    for i in range(nl):
        loop = f"loop{i + 1}"
        for j, lab in enumerate(labels):
            name = f"{loop}.{lab}"
            nodes.append(
                PrimaryNode(
                    name,
                    f"{loop}.h[{lab}]",
                    conc(name),
                    float(data.v_loop[j]),
                    props=(
                        f"{loop}.node_rho[{j}]",
                        f"{loop}.node_drho[{j}]",
                        f"{loop}.node_drho_dp[{j}]",
                    ),
                )
            )
            t_nodes.append((name, f"{loop}.node_rho[{j}]", float(data.v_loop[j])))
            before = conc("upper_plenum") if j == 0 else conc(f"{loop}.{labels[j - 1]}")
            after = conc("lower_plenum") if j == ns + 1 else conc(f"{loop}.{labels[j + 1]}")
            flow = f"circuit.flow[{i}]"
            streams.append([(flow, 1.0, before), (flow, -1.0, after)])
    bypass = design.core.bypass_fraction.si
    nodes.append(
        PrimaryNode(
            "upper_plenum",
            "upper_plenum.h",
            conc("upper_plenum"),
            data.v_upper,
            props=("upper_plenum.rho", "upper_plenum.drho", "upper_plenum.drho_dp"),
        )
    )
    t_nodes.append(("upper_plenum", "upper_plenum.rho", data.v_upper))
    streams.append(
        [
            ("circuit.core", 1.0 - bypass, f"{core.name}.boron"),
            ("circuit.core", bypass, conc("lower_plenum")),
        ]
        + [(f"circuit.flow[{i}]", -1.0, conc(f"loop{i + 1}.hot")) for i in range(nl)]
    )
    nodes.append(
        PrimaryNode(
            "lower_plenum",
            "lower_plenum.h",
            conc("lower_plenum"),
            data.v_lower,
            props=("lower_plenum.rho", "lower_plenum.drho", "lower_plenum.drho_dp"),
        )
    )
    t_nodes.append(("lower_plenum", "lower_plenum.rho", data.v_lower))
    streams.append([(f"circuit.flow[{i}]", 1.0, conc(f"loop{i + 1}.cold")) for i in range(nl)])
    v_core = float(core.sc[_core_mod.S_V_NODE])
    m_core = float(core.sc[_core_mod.S_MASS_COOLANT])
    for j in range(core.n_nodes):
        nodes.append(
            PrimaryNode(
                f"core[{j}]",
                f"{core.name}.h[{j}]",
                f"{core.name}.boron",
                v_core,
                m_core,
                m_core * core.n_nodes,
                props=(
                    f"{core.name}.node_rho[{j}]",
                    f"{core.name}.node_drho[{j}]",
                    f"{core.name}.node_drho_dp[{j}]",
                ),
            )
        )
    # the circulating water the feed and bleed acts on, at the nominal average temperature
    p_nom = design.coolant.pressure.si
    t_avg = 0.5 * (design.coolant.inlet_temperature.si + design.coolant.outlet_temperature.si)
    rho = float(water.density_pt(p_nom, t_avg))
    m_circ = rho * sum(n.volume for n in nodes if n.mass == 0.0) + m_core * core.n_nodes
    bs = ps.control.boron
    b_data = [
        m_circ,
        bs.clean_water.si if bs else 0.0,
        bs.concentrate.si if bs else 0.0,
        bs.feed_max_flow.si if bs else 0.0,
        m_core * core.n_nodes,
        v_core,
    ]
    transport = BoronTransport(
        bt,
        nodes=t_nodes,
        streams=streams,
        core_source=conc("lower_plenum"),
        data=b_data,
        links={"rate": "boron.rate", "core_flow": "core.flow_channel", "core_boron": "core.boron"},
        core_rho=[f"{core.name}.node_rho[{j}]" for j in range(core.n_nodes)],
    )
    return nodes, transport


def emergency_cooling(data: PlantData, nodes: list[PrimaryNode]) -> Any:
    """The emergency core cooling of the design (``[emergency_cooling]``; none: an empty one).

    Injection targets: the upper plenum, the lower plenum (with the downcomer) and each loop's
    cold leg; a group injecting into the cold legs shares its flow equally between the loops,
    one into the vessel between the upper plenum and the downcomer."""
    from nppsim.physics import water
    from nppsim.plant.components.eccs import Accumulator, EmergencyCooling, PumpGroup

    ps = data.ps
    nl = data.n_loops
    targets = ["upper_plenum", "lower_plenum", *[f"loop{i + 1}.cold" for i in range(nl)]]
    ec = ps.emergency_cooling
    accs: list[Accumulator] = []
    groups: list[PumpGroup] = []
    if ec is not None:
        p_acc = ec.accumulator_pressure.si
        t_acc = ec.accumulator_temperature.si
        rho_a = float(water.density_pt(p_acc, t_acc))
        h_a = float(water.enthalpy_pt(p_acc, t_acc))
        gas0 = ec.accumulator_volume.si - ec.accumulator_water_volume.si
        for tgt in ec.accumulator_targets:
            accs.append(
                Accumulator(
                    tank=ec.accumulator_volume.si,
                    gas0=gas0,
                    p0=p_acc,
                    exponent=ec.accumulator_polytropic_exponent.si,
                    head=ec.accumulator_static_head.si,
                    flow=ec.accumulator_line_flow.si,
                    dp=ec.accumulator_line_dp.si,
                    residual=ec.accumulator_residual_volume.si,
                    rho=rho_a,
                    h=h_a,
                    boron=ec.accumulator_boron.si,
                    target=targets.index(tgt),
                )
            )
        p_nom = ps.control.pressurizer.pressure_setpoint.si
        for g in ec.groups:
            t_w = g.temperature.si
            rho_g = float(water.density_pt(p_nom, t_w))
            split = np.zeros(len(targets))
            if g.target == "cold_legs":
                split[2:] = 1.0 / nl
            else:
                split[0:2] = 0.5
            groups.append(
                PumpGroup(
                    g.name,
                    list(split),
                    displacement=1.0 if g.kind == "displacement" else 0.0,
                    pumps=g.pumps,
                    flow=g.rated_flow.si * rho_g,
                    dp0=g.pressure_max.si,
                    dp1=g.pressure_rated.si,
                    suction=g.suction_pressure.si,
                    rho=rho_g,
                    h=float(water.enthalpy_pt(p_nom, t_w)),
                    boron=g.boron.si,
                    tank=g.tank_volume.si,
                    delay=g.start_delay.si,
                )
            )
    return EmergencyCooling(
        "eccs",
        accumulators=accs,
        groups=groups,
        targets=targets,
        pressure="pressurizer.pressure",
        supply="supply_eccs",
    )


# numerical choices of the two-region pressurizer (not physics): smoothing widths of the positive
# parts (flashing, rain-out, condensation), the mass below which a region's outflows fade, and the
# pull-back time of the volume constraint
PZR_SMOOTH_H = 200.0  # [J/kg], about 0.02 K of liquid
PZR_SMOOTH_T = 0.05  # [K]
PZR_MASS_FADE = 50.0  # [kg]
PZR_TAU_VOLUME = 1.0  # [s]


def pressurizer(
    data: PlantData, nodes: list[PrimaryNode], eccs: Any, makeup: str = "makeup.output"
) -> Any:
    """The pressurizer of the design (``[pressurizer]``, ``[control.pressurizer]``) on the
    primary nodes, with the make-up, spray and surge lines where ``[primary]`` connects them and
    the emergency injections of ``eccs``; ``makeup`` is the flow signal of its make-up port (the
    make-up controller's, or with the second-stage hydro-accumulators' injection)."""
    from nppsim.physics import pressurizer_nonequilibrium as ne
    from nppsim.plant.components import pressurizer as pz

    ps = data.ps
    pp, pc, pr = ps.pressurizer, ps.control.pressurizer, ps.primary
    d = np.zeros(pz.N_DATA)
    d[pz.D_VOLUME] = pp.total_volume.si
    d[pz.D_DIAMETER] = pp.inner_diameter.si
    d[pz.D_HEAD_DEPTH] = pp.head_depth.si
    d[pz.D_HEATER_PROP] = pp.heater_proportional_power.si
    d[pz.D_HEATER_BACKUP] = pp.heater_power.si - pp.heater_proportional_power.si
    d[pz.D_HEATER_TAU] = pp.heater_time_constant.si
    d[pz.D_HEAT_LOSS] = pp.heat_loss.si
    d[pz.D_SPRAY_MAX] = pp.spray_max_flow.si
    d[pz.D_SPRAY_DP] = pp.spray_dp_rated.si
    d[pz.D_RELIEF_OPEN] = pp.relief_open_pressure.si
    d[pz.D_RELIEF_CLOSE] = pp.relief_close_pressure.si
    d[pz.D_RELIEF_CAP] = pp.relief_capacity.si
    d[pz.D_SAFETY_OPEN] = pp.safety_open_pressure.si
    d[pz.D_SAFETY_CLOSE] = pp.safety_close_pressure.si
    d[pz.D_SAFETY_CAP] = pp.safety_capacity.si
    d[pz.D_HEATER_BAND] = pc.heater_band.si
    d[pz.D_SPRAY_START] = pc.spray_start_offset.si
    d[pz.D_SPRAY_FULL] = pc.spray_full_offset.si
    d[pz.D_P_GUESS] = pc.pressure_setpoint.si
    d[pz.D_BACKUP_ON] = pc.backup_heaters_on.si
    d[pz.D_BACKUP_OFF] = pc.backup_heaters_off.si
    d[pz.D_CUTOUT_LEVEL] = pc.heater_cutout_level.si
    d[pz.D_CUTOUT_RESET] = pc.heater_cutout_reset.si
    area = math.pi * pp.inner_diameter.si**2 / 4.0
    reg = np.zeros(ne.N_PARAMS)
    reg[ne.PRM_VOLUME] = pp.total_volume.si
    reg[ne.PRM_TAU_BUBBLE] = pp.bubble_rise_time.si
    reg[ne.PRM_TAU_RAIN] = pp.rain_out_time.si
    reg[ne.PRM_HA_LIQUID] = pp.interface_htc_liquid.si * area
    reg[ne.PRM_HA_VAPOUR] = pp.interface_htc_vapour.si * area
    reg[ne.PRM_WALL_CAPACITY] = pp.wall_heat_capacity.si
    reg[ne.PRM_HA_WALL_CONDENSATION] = pp.wall_condensation_htc.si * pp.wall_area.si
    reg[ne.PRM_HA_WALL_CONVECTION] = pp.wall_convection_htc.si * pp.wall_area.si
    reg[ne.PRM_SPRAY_EFFICIENCY] = pp.spray_efficiency.si
    reg[ne.PRM_LOSS_WALL_SHARE] = pp.heat_loss_wall_share.si
    reg[ne.PRM_HEAT_LOSS] = pp.heat_loss.si
    reg[ne.PRM_SMOOTH_H] = PZR_SMOOTH_H
    reg[ne.PRM_SMOOTH_T] = PZR_SMOOTH_T
    reg[ne.PRM_MASS_FADE] = PZR_MASS_FADE
    reg[ne.PRM_TAU_VOLUME] = PZR_TAU_VOLUME
    mk, sp, su = pr.makeup_loop, pr.spray_loop, pr.surge_line_loop
    idx = {n.name: k for k, n in enumerate(nodes)}
    injections = [
        (idx[tgt], f"eccs.inj_flow[{k}]", f"eccs.inj_h[{k}]", f"eccs.inj_boron[{k}]")
        for k, tgt in enumerate(eccs.targets)
    ]
    return pz.Pressurizer(
        "pressurizer",
        d,
        model=pp.model,
        region=reg,
        pressure_setpoint=pc.pressure_setpoint.si,
        letdown=pc.letdown_flow.si,
        nodes=[(n.h, n.boron, n.volume, n.mass, n.boron_mass, *n.props) for n in nodes],
        makeup_node=idx[f"loop{mk}.cold"],
        spray_node=idx[f"loop{sp}.cold"],
        surge_node=idx[f"loop{su}.hot"],
        injections=injections,
        links={
            "spray_dp": f"pump{sp}.dp",
            "surge_h": f"loop{su}.h_hot",
            "spray_h": f"loop{sp}.h_cold",
            "makeup": makeup,
            "makeup_h": f"loop{mk}.h_cold",
            "feed": "boron_transport.feed",
            "feed_boron": "boron_transport.feed_boron",
            "supply_heaters": "supply_heaters",
            "supply_makeup": "supply_makeup",
        },
    )


class _TableError(ValueError):
    """A steady-state water state outside the kernel's property tables (or not liquid)."""

    def __init__(self, press: float, h: float, status: int) -> None:
        from nppsim.physics import water_table as wt

        self.press, self.h, self.status = press, h, status
        self.state = {
            wt.VAPOUR: "steam",
            wt.TWO_PHASE: "boiling (two-phase)",
            wt.OUTSIDE: (
                "outside the water-property tables (0.1 to 25 MPa and 0.05 to 3.2 MJ/kg: "
                "above about 12 degC)"
            ),
            wt.NEAR_CRITICAL: "too near the critical point for the tables",
        }.get(status, f"in table status {status}")
        super().__init__(f"water at {press:g} Pa, {h:g} J/kg: {self.state}")


class _Props:
    """The kernel's water properties called from Python (so steady states match the kernel).

    Every look-up checks the table's status: a steady state never uses a value from outside the
    tables or a coolant node that is not liquid (:class:`_TableError`). With ``any_phase`` (a
    steam side: the once-through steam generators' secondary) liquid, boiling and steam states
    are accepted, states outside the tables still refused.
    """

    def __init__(self, net: Network, any_phase: bool = False) -> None:
        from nppsim.physics import water_table as wt
        from nppsim.plant import props

        self.net, self._props = net, props
        self._ok = (wt.LIQUID, wt.VAPOUR, wt.TWO_PHASE) if any_phase else (wt.LIQUID,)

    def t_rho(self, press: float, h: float) -> tuple[float, float]:
        """Temperature [K] and density [kg/m3] of water at (press, h) (liquid unless
        ``any_phase``)."""
        t, rho, _, status = self._props.node(self.net.p, self.net.ip, float(press), float(h))
        if status not in self._ok or not (np.isfinite(t) and np.isfinite(rho)):
            raise _TableError(float(press), float(h), int(status))
        return float(t), float(rho)

    def temperature(self, press: float, h: float) -> float:
        return self.t_rho(press, h)[0]

    def enthalpy(self, press: float, temp: float) -> float:
        """h(p, T) by Newton on the table's T(p, h) (liquid)."""
        from nppsim.physics import water

        if not 0.1e6 <= press <= 25e6 or not 273.16 <= temp <= 1073.15:
            raise _TableError(float(press), math.nan, -1)
        h = float(water.enthalpy_pt(press, temp))
        for _ in range(50):
            t1 = self.temperature(press, h)
            t2 = self.temperature(press, h + 10.0)
            step = (temp - t1) * 10.0 / (t2 - t1)
            h += step
            if abs(step) < 1e-9 * abs(h):
                break
        return h

    def sat(self, press: float) -> tuple[float, ...]:
        """Saturation properties at ``press`` (:func:`nppsim.plant.props.sat`)."""
        out = self._props.sat(self.net.p, self.net.ip, float(press))
        if out[-1] != 0:
            raise _TableError(float(press), math.nan, int(out[-1]))
        return tuple(float(x) for x in out)

    def mass_energy(self, press: float, liquid_volume: float, volume: float) -> tuple[float, float]:
        from nppsim.physics.vessel import vessel_mass_energy
        from nppsim.plant.header import IP_SAT

        m, u = vessel_mass_energy(
            self.net.p, int(self.net.ip[IP_SAT]), float(press), float(liquid_volume), float(volume)
        )
        return float(m), float(u)


def plant_steady_state(
    net: Network,
    data: PlantData,
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
) -> tuple[np.ndarray, np.ndarray]:
    """The plant at rest at relative power ``power`` (see :func:`_plant_steady_state`); a water
    state outside the property tables is an :class:`~nppsim.errors.InputError`."""
    try:
        return _plant_steady_state(
            net,
            data,
            power,
            critical,
            boron=boron,
            rod_control=rod_control,
            boron_control=boron_control,
            pumps_off=pumps_off,
            subcriticality=subcriticality,
            pressure=pressure,
            inlet_temperature=inlet_temperature,
            file=file,
        )
    except _TableError as e:
        raise InputError(
            file,
            "initial.power",
            f"{100 * power:g} %",
            f"a plant water state at this power is {e.state} "
            f"({e.press / 1e6:.4g} MPa): no steady state",
        ) from None


def _plant_steady_state(
    net: Network,
    data: PlantData,
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
) -> tuple[np.ndarray, np.ndarray]:
    """The plant at rest at relative power ``power``, from hot zero power (0 %, critical or
    ``subcriticality`` below critical: :func:`neutron_level`) to 100 %.

    The header pressure is held at its setpoint by the turbine (constant steam pressure); the loop
    flows follow from the pump and loop hydraulics (buoyancy included); the primary temperatures
    from the heat balance of core and steam generators; the secondary pressure from the
    steam-line pressure drop at the steam flow. The pressurizer is at its pressure setpoint and
    programme level, heaters balancing the heat loss, make-up = let-down, feedwater = steam
    flow. Then the core is made critical (boron or bank). Properties are the kernel's tables.

    The plant starts only from hot states at its controllers' setpoints: a ``pressure`` or an
    ``inlet_temperature`` (cold shutdown, heat-up) is an :class:`~nppsim.errors.InputError`, since
    those states need the residual heat removal system and the start-up controls, which are not
    modelled (the core model takes them). A state outside the water-property tables is an
    :class:`~nppsim.errors.InputError` too (nothing is clipped).
    """
    from scipy.optimize import brentq, fsolve

    from nppsim.physics import pump as pmp
    from nppsim.physics import steam_generator, turbine
    from nppsim.plant.components.circuit import GRAVITY

    if is_integral(data.design):  # the integral layout has its own steady state
        from nppsim.plant.integral import integral_steady_state

        return integral_steady_state(
            net,
            cast("IntegralData", data),
            power,
            critical,
            boron=boron,
            rod_control=rod_control,
            boron_control=boron_control,
            pumps_off=pumps_off,
            subcriticality=subcriticality,
            pressure=pressure,
            inlet_temperature=inlet_temperature,
            file=file,
        )
    ps, design = data.ps, data.design
    nl, ns = data.n_loops, data.n_sg_nodes
    core = net.component("core", Core)
    for fld, value, shown in (
        ("pressure", pressure, lambda v: f"{v / 1e6:g} MPa"),
        ("inlet_temperature", inlet_temperature, lambda v: f"{v - 273.15:g} degC"),
    ):
        if value is not None:
            raise InputError(
                file,
                f"initial.{fld}",
                shown(value),
                "the plant model starts from hot states at its controllers' setpoints (hot zero "
                "power to full power); colder states (cold shutdown, heat-up) need the residual "
                "heat removal system and the start-up controls, which are not modelled: use the "
                'core model (model = "core") for them',
            )
    n_level, rho_level = neutron_level(core, power, subcriticality, file)
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
    pr = _Props(net)
    volt = np.ones(nl)
    for k in pumps_off:
        volt[k - 1] = 0.0
    p = ps.control.pressurizer.pressure_setpoint.si
    p_hdr = ps.control.turbine.header_pressure_setpoint.si
    q_core = n_level * design.rating.power_thermal.si
    t_in0 = design.coolant.inlet_temperature.si
    h_cold = np.full(nl, pr.enthalpy(p, t_in0))
    h_hot = np.full(nl, pr.enthalpy(p, t_in0 + 30 * power))
    steam = np.full(nl, q_core / nl / 1.84e6)
    m = np.full(nl, ps.primary.loop_flow.si)
    w = np.full(nl, data.rating.speed)
    pu = ps.pumps
    t_rated = pmp.rated_torque(
        data.rating.flow, data.rating.pressure_rise, data.rating.efficiency, data.rating.speed
    )
    s_b = pmp.kloss_breakdown_slip(pu.rated_slip, pu.motor_breakdown_ratio.si)
    sgs = ps.steam_generators

    def hydraulic(rho_c: np.ndarray, buoy: np.ndarray, m0: np.ndarray, w0: np.ndarray):
        run = volt > 0

        def res(x: np.ndarray) -> np.ndarray:
            mm = x[:nl]
            ww = np.where(run, x[nl:], 0.0)
            dp = pmp.pump_pressure_rise(ww, mm, rho_c, data.rating, data.curves)
            m_v = np.sum(mm)
            r_loop = dp - data.k_loop * mm * np.abs(mm) + buoy - data.k_vessel * m_v * abs(m_v)
            t_h = pmp.hydraulic_torque(ww, mm, rho_c, data.rating, data.curves)
            t_m = pmp.motor_torque(
                ww, pu.synchronous_speed.si, pu.motor_breakdown_torque, s_b, volt
            )
            t_f = pmp.friction_torque(ww, data.rating.speed, t_rated, pu.friction_fraction.si)
            r_w = np.where(run, (t_m - t_h - t_f) / t_rated, x[nl:])
            return np.concatenate((r_loop / 1e5, r_w))

        m_init = np.where(run, m0, -0.3 * ps.primary.loop_flow.si)
        x0 = np.concatenate((m_init, np.where(run, w0, 0.0)))
        x, _, ier, msg = fsolve(res, x0, full_output=True, xtol=1e-12)
        if ier != 1 and np.max(np.abs(res(x))) > 1e-6:
            raise InputError(file, "initial", "pumps", f"no hydraulic steady state: {msg}")
        return x[:nl], np.where(run, x[nl:], 0.0)

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

    def sg_chain(mm: float, h_in: float, t_sat: float, ua: float) -> tuple[np.ndarray, float]:
        k = ua / ns
        hs = np.empty(ns)
        h_prev = h_in
        mm = abs(mm)
        for j in range(ns):

            def bal(h: float, h_prev: float = h_prev) -> float:
                return mm * (h_prev - h) - k * (pr.temperature(p, h) - t_sat)

            lo = pr.enthalpy(p, t_sat + 1e-3)
            hs[j] = (
                brentq(bal, lo, h_prev, xtol=1e-9)
                if bal(lo) < 0 < bal(h_prev) or (bal(lo) > 0 > bal(h_prev))
                else h_prev
            )
            h_prev = hs[j]
        return hs, mm * (h_in - h_prev)

    def loops_steady(mm: np.ndarray, pump_heat: np.ndarray, p_sg: np.ndarray) -> dict[str, Any]:
        m_v = float(np.sum(mm))
        t_sat = np.array([pr.sat(x)[0] for x in p_sg])
        ua = np.array(
            [
                steam_generator.operating_ua(
                    data.ua_design, mm[i], data.sg_design_flow, 1.0, sgs.primary_resistance_share.si
                )
                for i in range(nl)
            ]
        )
        bypass = design.core.bypass_fraction.si

        def loops(h_lo: float) -> tuple[float, np.ndarray, float, np.ndarray]:
            hl = np.empty((nl, ns + 2))
            q_sg = np.zeros(nl)
            inflow, h_in = [m_v], [h_lo + q_core / m_v]
            for i in range(nl):
                if mm[i] < 0:
                    hc = h_lo + pump_heat[i] / abs(mm[i])
                    hs, q = sg_chain(mm[i], hc, t_sat[i], ua[i])
                    hl[i, -1], hl[i, 1 : ns + 1] = hc, hs[::-1]
                    hl[i, 0] = hs[-1]
                    q_sg[i] = q
                    inflow.append(-mm[i])
                    h_in.append(hs[-1])
            h_up = float(np.dot(inflow, h_in) / np.sum(inflow))
            out_f, out_h = [], []
            for i in range(nl):
                if mm[i] >= 0:
                    hs, q = sg_chain(mm[i], h_up, t_sat[i], ua[i])
                    hl[i, 0] = h_up
                    hl[i, 1 : ns + 1] = hs
                    hl[i, -1] = hs[-1] + pump_heat[i] / mm[i]
                    q_sg[i] = q
                    out_f.append(mm[i])
                    out_h.append(hl[i, -1])
            return float(np.dot(out_f, out_h) / np.sum(out_f)), hl, h_up, q_sg

        del bypass
        h0 = pr.enthalpy(p, float(np.min(t_sat)) - 2.0)
        t_top = min(float(np.mean(t_sat)) + 45.0, pr.sat(p)[0] - 35.0)
        h1 = pr.enthalpy(p, t_top)
        h_lo = brentq(lambda x: loops(x)[0] - x, h0, h1, xtol=1e-6)
        _, hl, h_up, q_sg = loops(h_lo)
        return {"h_loop": hl, "h_upper": h_up, "h_lower": h_lo, "q_sg": q_sg}

    h_fw = data.h_fw_nominal
    for _it in range(6):
        rho_c = np.array([pr.t_rho(p, x)[1] for x in h_cold])
        rho_h = np.array([pr.t_rho(p, x)[1] for x in h_hot])
        buoy = GRAVITY * data.dz * (rho_c - rho_h)
        m, w = hydraulic(rho_c, buoy, m, w)
        t_hyd = pmp.hydraulic_torque(w, m, rho_c, data.rating, data.curves)
        pump_heat = t_hyd * w
        p_sg = np.array([p_sg_for_flow(steam[i]) for i in range(nl)])
        sol = loops_steady(m, pump_heat, p_sg)
        h_cold, h_hot = sol["h_loop"][:, -1], sol["h_loop"][:, 0]
        h_g = np.array([pr.sat(x)[4] for x in p_sg])
        steam = sol["q_sg"] / (h_g - h_fw)
        # the feedwater heaters' outlet at this turbine flow (extraction steam, issue 8)
        h_fw = turbine.feedwater_heater_target(
            float(np.sum(steam)) / ps.turbine.rated_steam_flow.si,
            data.h_deaerator,
            data.h_fw_nominal,
        )
        steam = sol["q_sg"] / (h_g - h_fw)
    m_v = float(np.sum(m))
    flow_frac = m_v / design.coolant.mass_flow.si
    h_lo = sol["h_lower"]
    y = np.zeros(net.states.size)
    d = net.d0.copy()
    core.steady_state(net, y, d, n_level, p, h_lo, flow_frac, boron, tprops=pr.t_rho)
    st = net.states
    for i in range(nl):
        d[net.d_index(f"pump{i + 1}.voltage")] = volt[i]
        y[st.index(f"pump{i + 1}.speed")] = w[i]
        y[st[f"loop{i + 1}.h"].slice] = sol["h_loop"][i]
    y[st["circuit.flow"].slice] = m
    y[st.index("upper_plenum.h")] = sol["h_upper"]
    y[st.index("lower_plenum.h")] = h_lo
    pc = ps.control.pressurizer
    lvl = (
        pc.level_setpoint_zero_power.si
        + (pc.level_setpoint_full_power.si - pc.level_setpoint_zero_power.si) * n_level
    )
    pressurizer_steady_state(net, y, d, p, lvl)
    # steam generators: the pool's void in equilibrium with the heat, and the water that makes
    # the measured (narrow-range) level read its setpoint (issue 8)
    v_hi = data.geom.free_volume - 1.0
    for i in range(nl):
        sat = pr.sat(p_sg[i])
        void = steam_generator.void_equilibrium(
            float(sol["q_sg"][i]), sat[4] - sat[3], sat[2], sgs.void_residence_time.si
        )
        target = data.level_measured_setpoint

        def miss(v: float, void: float = void, target: float = target) -> float:
            return data.measured_level(v, void) - target

        v_f = brentq(miss, data.v_below_bundle, v_hi - void, xtol=1e-9)
        ms, us = pr.mass_energy(p_sg[i], v_f, data.geom.free_volume)
        y[st.index(f"sg{i + 1}.mass")] = ms
        y[st.index(f"sg{i + 1}.energy")] = us
        y[st.index(f"sg{i + 1}.void")] = void
        y[st.index(f"sg{i + 1}.level_m")] = target
    y[st["feedwater.flow"].slice] = steam
    secondary_initial_state(
        net,
        y,
        d,
        data,
        p_hdr,
        float(np.sum(steam)),
        h_fw,
        n_level,
        rod_control,
        boron_control,
        file,
        power,
    )
    passive.initial_state(net, y)
    core.make_critical(net, y, d, critical, file, rho=rho_level)
    uniform_boron(net, y)
    eccs = net.by_name["eccs"]
    y[st["eccs.water"].slice] = eccs.initial_water()  # type: ignore[attr-defined]
    w_all = net.signal_vector(0.0, y, d)
    d[net.d_index("balance.stored0")] = w_all[net.w_index("balance.stored")]
    return y, d


def uniform_boron(net: Network, y: np.ndarray) -> None:
    """Every node's boron (and the pressurizer's) at the core's concentration (a steady state)."""
    cb = float(y[net.s_index("core.boron")])
    y[net.states["boron_transport.conc"].slice] = cb
    y[net.s_index("pressurizer.boron")] = cb


def pressurizer_steady_state(
    net: Network, y: np.ndarray, d: np.ndarray, press: float, level: float
) -> None:
    """The pressurizer at rest at ``press`` [Pa] and ``level`` [m] (on the gauge).

    Equilibrium model: saturated water and steam. Two-region model: the liquid's and vapour's
    enthalpies and the wall's temperature at which nothing changes with the heaters at the heat
    loss (the heaters boil what the wall condenses and the losses cool; the liquid ends a
    fraction of a kelvin subcooled, the wall a little below saturation), solved on the kernel's
    own functions.
    """
    from scipy.optimize import fsolve

    from nppsim.physics import pressurizer as pzr_phys
    from nppsim.physics import pressurizer_nonequilibrium as ne
    from nppsim.plant.components import pressurizer as pz
    from nppsim.plant.header import IP_WATER

    comp = net.by_name["pressurizer"]
    q = net.params["pressurizer.data"].slice
    data = net.p[q]
    vol = float(data[pz.D_VOLUME])
    v_l = pzr_phys.liquid_volume_vessel(
        level, float(data[pz.D_DIAMETER]), float(data[pz.D_HEAD_DEPTH]), vol
    )
    heat_loss = float(data[pz.D_HEAT_LOSS])
    sl = net.states["pressurizer.contents"].slice
    y[net.s_index("pressurizer.heater")] = heat_loss
    pr = _Props(net)
    if comp.model == pz.EQUILIBRIUM:  # type: ignore[attr-defined]
        y[sl] = pr.mass_energy(press, v_l, vol)
        return
    prm = net.p[net.params["pressurizer.region"].slice].copy()
    off = int(net.ip[IP_WATER])
    props_ = np.empty(ne.N_PROPS)
    rates = np.empty(ne.N_RATES)
    h_sl, _, h_sv, _, _ = _branch_ends(net, press)

    def state(x: np.ndarray) -> tuple[float, float, float, float]:
        h_l, h_g, _ = x
        r_l = ne.region_properties(net.p, off, press, h_l, True)
        r_g = ne.region_properties(net.p, off, press, h_g, False)
        m_l = v_l * r_l[1]
        m_g = (vol - v_l) * r_g[1]
        return m_l, m_l * h_l, m_g, m_g * h_g

    def residual(x: np.ndarray) -> np.ndarray:
        m_l, hh_l, m_g, hh_g = state(x)
        ne.two_region_properties(net.p, off, press, m_l, hh_l, m_g, hh_g, props_)
        ne.two_region_rates(props_, m_l, m_g, x[2], 0.0, 0.0, heat_loss, 0.0, prm, rates)
        return np.array(
            [
                rates[ne.RT_DM_L] / 1e-2,
                rates[ne.RT_DH_L] / 1e3,
                rates[ne.RT_DT_W] * prm[ne.PRM_WALL_CAPACITY] / 1e3,
            ]
        )

    t_sat = pr.sat(press)[0]
    x0 = np.array([h_sl - 500.0, h_sv + 100.0, t_sat - 0.5])
    x, _, ier, msg = fsolve(residual, x0, full_output=True, xtol=1e-13)
    if ier != 1 and np.max(np.abs(residual(x))) > 1e-6:
        raise InputError(None, "initial", "pressurizer", f"no steady state: {msg}")
    m_l, hh_l, m_g, hh_g = state(x)
    y[sl] = (m_l, hh_l, m_g, hh_g, press, x[2])


def _branch_ends(net: Network, press: float) -> tuple[float, float, float, float, int]:
    from nppsim.physics.water_table import ph_branch_ends
    from nppsim.plant.header import IP_WATER

    r = ph_branch_ends(net.p, int(net.ip[IP_WATER]), float(press))
    return float(r[0]), float(r[1]), float(r[2]), float(r[3]), int(r[4])


def secondary_initial_state(
    net: Network,
    y: np.ndarray,
    d: np.ndarray,
    data: Any,
    p_hdr: float,
    m_t: float,
    h_fw: float,
    n_setpoint: float,
    rod_control: str,
    boron_control: str,
    file: str | None,
    power: float,
) -> None:
    """The turbine's and the controllers' steady state, in place: the header at ``p_hdr`` [Pa]
    passing ``m_t`` [kg/s] of steam, the feedwater at ``h_fw`` [J/kg], the turbine controller's
    and the rod controller's load setpoints at the electric power that steam gives, the rod
    controller's neutron-power setpoint ``n_setpoint`` [1] and modes (loop and integral plants).

    The shaft power is the flow times the isentropic drop to the condenser times the fitted
    efficiency (:func:`nppsim.physics.turbine.turbine_mechanical_power`); the control valves open
    as Stodola's choked flow needs (``m / m_rated * p_rated / p``), refused above the valves'
    maximum opening (``power`` [1] only names the case in that error).
    """
    from nppsim.physics import turbine

    st = net.states
    tb = data.ps.turbine
    y[st.index("turbine.header")] = p_hdr
    dh_s = float(net_isentropic(net, p_hdr))
    p_steam = turbine.turbine_mechanical_power(m_t, dh_s, data.eta_turbine)
    f_lp = tb.lp_power_fraction.si
    y[st.index("turbine.hp")] = (1.0 - f_lp) * p_steam
    y[st.index("turbine.rh")] = f_lp * p_steam
    y[st.index("turbine.sv")] = 1.0
    y[st.index("turbine.iv")] = 1.0
    y[st.index("turbine.speed")] = 1.0
    y[st.index("turbine.feed_h")] = h_fw
    y_t = m_t / tb.rated_steam_flow.si * tb.inlet_pressure.si / p_hdr
    y[st.index("turbine.cv")] = y_t
    if y_t > tb.max_valve_opening.si:
        raise InputError(
            file,
            "initial.power",
            f"{100 * power:g} %",
            "the turbine valves cannot pass the steam: no steady state",
        )
    y[st.index("turbine_control.integral")] = y_t
    load = (
        turbine.electric_power(p_steam, tb.generator_efficiency.si) - data.p_friction
    ) / data.p_electric_rated
    k = net.discrete["turbine_control.setpoint_b"].start
    d[k : k + 4] = (0.0, load, 0.0, load)
    rods = net.by_name["rods"]
    k = net.discrete[f"{rods.name}.load"].start
    d[k : k + 4] = (0.0, load, 0.0, load)
    k = net.discrete[f"{rods.name}.setpoint"].start
    d[k : k + 4] = (0.0, n_setpoint, 0.0, n_setpoint)
    d[net.d_index(f"{rods.name}.mode")] = AUTO if rod_control == "auto" else MANUAL
    d[net.d_index(f"{rods.name}.pressure_setpoint")] = p_hdr
    d[net.d_index("boron.mode")] = 0.0 if boron_control == "auto" else BORON_MANUAL


def net_isentropic(net: Network, press: float) -> float:
    """The turbine's isentropic drop at ``press`` [J/kg] from the kernel's table."""
    from nppsim.plant import props

    return float(props.isentropic(net.p, net.ip, float(press))[0])
