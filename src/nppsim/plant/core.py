"""The reactor core as a dynamic system: kinetics, poisons, decay heat, fuel and coolant nodes.

The core model wires the pure functions of :mod:`nppsim.physics` into one named state vector and
adds no physics of its own. Its boundary conditions are the coolant inlet temperature, the system
pressure and the coolant mass flow (the full plant, which computes them, is a separate model).

States (SI; see ``CoreModel.layout`` for the names):

* ``n``: fission rate relative to full power; ``c[i]``: delayed-neutron precursors relative to
  their equilibrium at ``n = 1``;
* ``temp_fuel[j]``, ``temp_clad[j]`` [K] and ``h[j]`` (coolant enthalpy) [J/kg] for the axial
  nodes ``j`` (bottom to top);
* ``iodine``, ``xenon``, ``promethium``, ``samarium``: number densities relative to their
  full-power equilibrium values;
* ``bank[b]``: withdrawn fraction of each control-rod bank; ``boron`` [ppm];
* ``decay[k]``: decay-heat groups as fractions of full power;
* ``energy_prompt``, ``energy_decay``, ``energy_removed``: integrals of the prompt fission power,
  the decay power and the heat carried away by the coolant, in full-power seconds (J / P_nom),
  for the energy balance.

Power bookkeeping (ANS-5.1 normalization): the full-power fission rate is P_nom / Q with Q the total
recoverable energy per fission, decay energy included. Prompt power is ``n P_nom (1 - kappa)`` with
``kappa`` the decay-heat fraction in equilibrium after the design's operating time, so that prompt
plus decay equals P_nom in the full-power steady state. All heat is deposited in the fuel (direct
gamma and neutron heating of the coolant, a few per cent, is not separated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import brentq

from nppsim.designs import Design
from nppsim.errors import InputError
from nppsim.physics import decay_heat, heat_transfer, poisons, reactivity, water
from nppsim.physics import point_kinetics as pk
from nppsim.plant.state import StateLayout
from nppsim.simulation import Event

CLAD_DENSITY = 6550.0  # Zr-1%Nb density [kg/m3] (Zr alloys 6.55 g/cm3; IAEA-TECDOC-1496)


@dataclass
class Ramp:
    """A continuous piecewise-linear input: ``v0`` until ``t0``, linear to ``v1`` at ``t1``."""

    t0: float
    v0: float
    t1: float
    v1: float

    def __call__(self, t: float) -> float:
        if t <= self.t0:
            return self.v0
        if t >= self.t1:
            return self.v1
        return self.v0 + (self.v1 - self.v0) * (t - self.t0) / (self.t1 - self.t0)

    def to(self, t: float, target: float, duration: float) -> Ramp:
        """A new ramp from the value at ``t`` to ``target`` over ``duration`` [s]."""
        return Ramp(t, self(t), t + max(duration, 0.0), target)

    @staticmethod
    def constant(v: float) -> Ramp:
        return Ramp(0.0, v, 0.0, v)


@dataclass
class Discrete:
    """The core model's discrete state: inputs, control modes, bank commands, trips."""

    pressure: Ramp
    inlet_temperature: Ramp
    flow_fraction: Ramp
    rho_external: Ramp
    power_setpoint: Ramp
    rod_control: str  # "auto" or "manual"; "tripped" after a trip
    boron_control: str  # "auto" or "manual"
    bank_velocity: np.ndarray  # [1/s], manual moves and the scram drop
    bank_target: np.ndarray  # [1]
    boron_rate: float  # manual boron rate [ppm/s]
    boron_target: float  # [ppm]
    breaks: list[tuple[float, str, Any]] = field(default_factory=list)
    tripped: bool = False
    time_shutdown: float | None = None


@dataclass(frozen=True)
class CoreParameters:
    """Numbers the right-hand side needs, derived once from a design (SI)."""

    p_nom: float  # [W]
    beta: np.ndarray
    lam: np.ndarray
    gen_time: float
    source: float
    n_nodes: int
    power_shape: np.ndarray  # fraction of core power per axial node
    weight: np.ndarray  # importance weights of nodes for feedback (sum 1)
    rod_length: float  # total fuel-rod length per node [m]
    r_pellet: float
    r_clad_in: float
    r_clad_out: float
    r_gap_per_m: float  # gap resistance x unit length [K m/W]
    r_clad_per_m: float
    cap_fuel: float  # heat capacity of the fuel per node [J/K]
    cap_clad: float
    mass_coolant: float  # coolant mass per node [kg]
    mass_flow_nom: float
    bypass: float
    film_coefficient_nom: np.ndarray  # [W/m2/K] per node at nominal flow
    radial_peaking: float
    alpha_doppler: float
    alpha_mod_t: float
    alpha_mod_rho: float
    alpha_boron: float
    bank_worth: np.ndarray
    bank_speed: np.ndarray
    regulating: np.ndarray  # indices of regulating banks, first-inserted first
    scram_drop_time: float
    scram_delay: float
    boron_min: float
    boron_max: float
    power_band: float
    boron_rate_max: float
    bank_ref: float
    bank_band: float
    trip_high_flux: float
    trip_period: float
    sigma_f: float  # macroscopic fission cross-section [1/m]
    phi_nom: float  # full-power thermal flux [1/m2/s]
    xe: Any
    sm: Any
    nu: float
    dh: Any  # decay-heat model
    kappa: float  # equilibrium decay-heat fraction at full power
    t_operating: float


def _chopped_cosine(n_nodes: int, height: float, extrapolation: float) -> np.ndarray:
    """Fraction of core power in each of ``n_nodes`` equal axial nodes for a chopped cosine.

    .. math:: q(z) \\propto \\cos(\\pi (z - H/2) / H_e), \\quad H_e = H + 2\\delta
    """
    he = height + 2.0 * extrapolation
    z = np.linspace(0.0, height, n_nodes + 1)
    prim = he / math.pi * np.sin(math.pi * (z - height / 2.0) / he)
    f = np.diff(prim)
    return f / f.sum()


class CoreModel:
    """A lumped reactor core with axial nodes, driven by boundary conditions and control.

    Parameters
    ----------
    design : Design
        A design with every core section (``design.has_dynamics``).
    """

    state_event_names: tuple[str, ...] = ("trip_high_flux", "trip_short_period")

    def __init__(self, design: Design) -> None:
        if not design.has_dynamics:
            raise InputError(
                design.path or None,
                "design",
                design.name,
                "this design has ratings only; no core dynamics data",
            )
        self.design = design
        self.par = self._parameters(design)
        self.layout = self._layout()
        s = self.layout.blocks
        self.s_n = s["n"].start
        self.s_c, self.s_tf, self.s_tc, self.s_h = s["c"], s["temp_fuel"], s["temp_clad"], s["h"]
        self.s_i, self.s_x = s["iodine"].start, s["xenon"].start
        self.s_pm, self.s_sm = s["promethium"].start, s["samarium"].start
        self.s_bank, self.s_boron = s["bank"], s["boron"].start
        self.s_decay = s["decay"]
        self.s_e = s["energy"]
        self.output_names = self._output_names()
        self.d: Discrete | None = None
        self._ref = self._reference_state()

    # -- set-up -----------------------------------------------------------------------------
    @staticmethod
    def _parameters(d: Design) -> CoreParameters:
        c, k, r = d.core, d.kinetics, d.reactivity
        n_nodes = c.axial_nodes
        height = c.active_height.si
        n_rods = c.fuel_assemblies.si * c.rods_per_assembly.si
        r_po = c.pellet_outer_diameter.si / 2
        r_hole = c.pellet_hole_diameter.si / 2
        r_co = c.rod_outer_diameter.si / 2
        r_ci = r_co - c.clad_thickness.si
        node_len = height / n_nodes
        rod_length = n_rods * node_len
        fuel_area = math.pi * (r_po**2 - r_hole**2)
        clad_area = math.pi * (r_co**2 - r_ci**2)
        cp_fuel = heat_transfer.uo2_specific_heat(900.0)
        cap_fuel = fuel_area * rod_length * c.fuel_density.si * cp_fuel
        cap_clad = clad_area * rod_length * CLAD_DENSITY * heat_transfer.zr1nb_specific_heat(600.0)
        # coolant flow area: triangular lattice cell minus the rod, times the rods
        pitch = c.rod_pitch.si
        cell = math.sqrt(3.0) / 2.0 * pitch**2 - math.pi * r_co**2
        flow_area = n_rods * cell
        p_nom = d.rating.power_thermal.si
        press = d.coolant.pressure.si
        t_in = d.coolant.inlet_temperature.si
        mdot = d.coolant.mass_flow.si
        bypass = c.bypass_fraction.si
        shape = _chopped_cosine(n_nodes, height, c.axial_peaking_extrapolation.si)
        # nominal node conditions for masses and film coefficients
        h = water.enthalpy_pt(press, t_in) + np.cumsum(shape) * p_nom / ((1 - bypass) * mdot)
        t_nodes = np.array([water.temperature_ph(press, hj) for hj in h])
        rho_nodes = np.array([water.density_pt(press, tj) for tj in t_nodes])
        mass_cool = float(np.mean(rho_nodes)) * flow_area * node_len
        d_h = heat_transfer.hydraulic_diameter_triangular(pitch, 2 * r_co)
        g_mass = (1 - bypass) * mdot / flow_area
        # Dittus-Boelter with Weisman's correction for a triangular rod bundle
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
        reg_names = d.rods.regulating_banks
        bank_names = [b.name for b in d.rods.banks]
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
        w = shape**2 / np.sum(shape**2)
        return CoreParameters(
            p_nom=p_nom,
            beta=np.asarray(k.beta.si_list),
            lam=np.asarray(k.decay_constants.si_list),
            gen_time=k.generation_time.si,
            source=k.neutron_source.si,
            n_nodes=n_nodes,
            power_shape=shape,
            weight=w,
            rod_length=rod_length,
            r_pellet=r_po,
            r_clad_in=r_ci,
            r_clad_out=r_co,
            r_gap_per_m=heat_transfer.gap_resistance(r_po, c.gap_conductance.si),
            r_clad_per_m=heat_transfer.clad_resistance(r_ci, r_co, kc),
            cap_fuel=cap_fuel,
            cap_clad=cap_clad,
            mass_coolant=mass_cool,
            mass_flow_nom=mdot,
            bypass=bypass,
            film_coefficient_nom=hfilm,
            radial_peaking=c.radial_peaking.si,
            alpha_doppler=r.doppler_coefficient.si,
            alpha_mod_t=r.moderator_temperature_coefficient.si,
            alpha_mod_rho=r.moderator_density_coefficient.si,
            alpha_boron=r.boron_worth.si,
            bank_worth=np.array([b.worth.si for b in d.rods.banks]),
            bank_speed=np.array([b.speed.si for b in d.rods.banks]),
            regulating=np.array([bank_names.index(x) for x in reg_names], dtype=int),
            scram_drop_time=d.rods.scram_drop_time.si,
            scram_delay=d.rods.scram_delay.si,
            boron_min=r.boron_min.si,
            boron_max=r.boron_max.si,
            power_band=d.control.power_error_band.si,
            boron_rate_max=d.control.boron_rate_max.si,
            bank_ref=d.control.bank_position_reference.si,
            bank_band=d.control.bank_position_band.si,
            trip_high_flux=d.protection.high_flux.si,
            trip_period=d.protection.short_period.si,
            sigma_f=sigma_f,
            phi_nom=phi,
            xe=poisons.XenonConstants(
                iodine_yield=po.iodine_yield.si,
                xenon_yield=po.xenon_yield.si,
                iodine_decay_constant=po.iodine_decay_constant.si,
                xenon_decay_constant=po.xenon_decay_constant.si,
                xenon_cross_section=po.xenon_cross_section.si,
            ),
            sm=poisons.SamariumConstants(
                promethium_yield=po.promethium_yield.si,
                promethium_decay_constant=po.promethium_decay_constant.si,
                samarium_cross_section=po.samarium_cross_section.si,
            ),
            nu=po.neutrons_per_fission.si,
            dh=dh_model,
            kappa=kappa,
            t_operating=t_op,
        )

    def _layout(self) -> StateLayout:
        p = self.par
        lay = StateLayout()
        g, nn = len(p.beta), p.n_nodes
        lay.add("n", 1, "1", 1e-10)
        lay.add("c", g, "1", 1e-10)
        lay.add("temp_fuel", nn, "K", 1e-4)
        lay.add("temp_clad", nn, "K", 1e-4)
        lay.add("h", nn, "J/kg", 1e-1)
        lay.add("iodine", 1, "1", 1e-8)
        lay.add("xenon", 1, "1", 1e-8)
        lay.add("promethium", 1, "1", 1e-8)
        lay.add("samarium", 1, "1", 1e-8)
        names = [b.name for b in self.design.rods.banks]
        lay.add("bank", len(names), "1", 1e-7, labels=[f"bank[{x}]" for x in names])
        lay.add("boron", 1, "ppm", 1e-5)
        lay.add("decay", p.dh.n_states, "1", 1e-12)
        lay.add("energy", 3, "s", 1e-6, labels=["energy_prompt", "energy_decay", "energy_removed"])
        return lay

    def _output_names(self) -> list[str]:
        names = [
            "power_thermal_w",
            "power_fission_w",
            "power_decay_w",
            "power_to_coolant_w",
            "power_relative",
            "reactivity_total",
            "reactivity_doppler",
            "reactivity_moderator",
            "reactivity_boron",
            "reactivity_rods",
            "reactivity_xenon",
            "reactivity_samarium",
            "reactivity_external",
            "temp_fuel_avg_k",
            "temp_fuel_max_k",
            "temp_clad_avg_k",
            "temp_coolant_inlet_k",
            "temp_coolant_outlet_k",
            "temp_coolant_avg_k",
            "pressure_primary_pa",
            "flow_core_kg_s",
            "boron_ppm",
            "xenon_number_density_per_m3",
            "iodine_number_density_per_m3",
            "samarium_number_density_per_m3",
            "energy_prompt_j",
            "energy_decay_j",
            "energy_removed_j",
            "energy_stored_j",
        ]
        names += [f"bank_position_{b.name}_frac" for b in self.design.rods.banks]
        names.append("bank_position_frac")
        return names

    # -- algebraic pieces -------------------------------------------------------------------
    def _eq_poisons(self, n: float) -> tuple[float, float, float, float]:
        """Equilibrium number densities [1/m3] of I, Xe, Pm, Sm at relative power n."""
        p = self.par
        phi = n * p.phi_nom
        i_eq, x_eq = poisons.xenon_equilibrium(phi, p.sigma_f, p.xe)
        pm_eq, sm_eq = poisons.samarium_equilibrium(phi, p.sigma_f, p.sm)
        return float(i_eq), float(x_eq), float(pm_eq), float(sm_eq)

    def _reference_state(self) -> dict[str, float]:
        """Full-power reference: feedback reference temperatures, poison scales and rho_0."""
        d = self.design
        p = self.par
        i0, x0, pm0, sm0 = self._eq_poisons(1.0)
        self._scale = {"iodine": i0, "xenon": x0, "promethium": pm0, "samarium": sm0}
        th = self._thermal_steady(1.0, d.coolant.pressure.si, d.coolant.inlet_temperature.si, 1.0)
        ref = {
            "temp_fuel": float(p.weight @ th["temp_fuel"]),
            "temp_mod": float(p.weight @ th["temp_coolant"]),
            "rho_mod": float(p.weight @ th["rho_coolant"]),
        }
        self._ref = ref
        z = np.array([b.position_full_power.si for b in d.rods.banks])
        rho_known = (
            float(reactivity.boron(d.reactivity.critical_boron_full_power.si, p.alpha_boron))
            + float(reactivity.rod_banks(z, p.bank_worth))
            + float(poisons.xenon_reactivity(x0, p.sigma_f, p.nu, p.xe))
            + float(poisons.samarium_reactivity(sm0, p.sigma_f, p.nu, p.sm))
        )
        # critical with a source: rho n / Lambda + S = 0 at n = 1
        ref["rho0"] = -p.source * p.gen_time - rho_known
        return ref

    def _resistances(self, temp_fuel: np.ndarray, flow_fraction: float):
        """Fuel-to-clad and clad-to-coolant thermal resistances per node [K/W]."""
        p = self.par
        k_f = heat_transfer.uo2_conductivity(temp_fuel)
        r_fuel = 1.0 / (8.0 * math.pi * k_f)  # average-to-surface, parabolic profile [K m/W]
        r_fc = (r_fuel + p.r_gap_per_m + 0.5 * p.r_clad_per_m) / p.rod_length
        hf = p.film_coefficient_nom * max(abs(flow_fraction), 1e-3) ** 0.8
        r_film = 1.0 / (2.0 * math.pi * p.r_clad_out * hf)
        r_cw = (0.5 * p.r_clad_per_m + r_film) / p.rod_length
        return r_fc, r_cw, k_f, r_film

    def _thermal_steady(self, power: float, press: float, t_in: float, flow_fraction: float):
        """Steady fuel, clad and coolant temperatures at relative thermal power ``power``."""
        p = self.par
        q = power * p.p_nom * p.power_shape
        mdot_core = (1 - p.bypass) * p.mass_flow_nom * flow_fraction
        h = water.enthalpy_pt(press, t_in) + np.cumsum(q) / mdot_core
        t_cool, rho_cool = water.temperature_density_ph(press, h)
        tf = t_cool + 300.0
        for _ in range(100):
            r_fc, r_cw, _, _ = self._resistances(tf, flow_fraction)
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

    # -- steady state -----------------------------------------------------------------------
    def steady_state(
        self,
        power: float,
        critical: str = "boron",
        *,
        pressure: float | None = None,
        inlet_temperature: float | None = None,
        flow_fraction: float = 1.0,
        boron: float | None = None,
        rod_control: str = "auto",
        boron_control: str = "manual",
        file: str | None = None,
    ) -> np.ndarray:
        """Compute a steady state at relative power ``power`` and set the discrete state.

        Xenon, samarium, precursors and decay heat are in equilibrium; temperatures solve the
        steady conduction and coolant energy balance; the core is made critical by boron
        (``critical="boron"``) or by the regulating banks (``critical="bank"``, boron fixed).

        Parameters
        ----------
        power : float
            Thermal power relative to nominal, 0.01 to 1 [1].
        critical : {"boron", "bank"}
            What is adjusted to make the core critical.

        Returns
        -------
        ndarray
            The state vector; ``self.d`` holds the matching discrete state.
        """
        d, p = self.design, self.par
        if not 0.01 <= power <= 1.0:
            raise InputError(file, "initial.power", f"{100 * power:g} %", "allowed 1 % to 100 %")
        press = d.coolant.pressure.si if pressure is None else pressure
        t_in = d.coolant.inlet_temperature.si if inlet_temperature is None else inlet_temperature
        th = self._thermal_steady(power, press, t_in, flow_fraction)
        y = np.zeros(self.layout.size)
        y[self.s_n] = power
        y[self.s_c] = power
        y[self.s_tf], y[self.s_tc], y[self.s_h] = th["temp_fuel"], th["temp_clad"], th["h"]
        i_eq, x_eq, pm_eq, sm_eq = self._eq_poisons(power)
        y[self.s_i] = i_eq / self._scale["iodine"]
        y[self.s_x] = x_eq / self._scale["xenon"]
        y[self.s_pm] = pm_eq / self._scale["promethium"]
        y[self.s_sm] = sm_eq / self._scale["samarium"]
        y[self.s_decay] = p.dh.equilibrium(power, p.t_operating)
        z = np.array([b.position_full_power.si for b in d.rods.banks])
        cb = d.reactivity.critical_boron_full_power.si if boron is None else boron
        y[self.s_bank] = z
        y[self.s_boron] = cb
        self.d = Discrete(
            pressure=Ramp.constant(press),
            inlet_temperature=Ramp.constant(t_in),
            flow_fraction=Ramp.constant(flow_fraction),
            rho_external=Ramp.constant(0.0),
            power_setpoint=Ramp.constant(power),
            rod_control=rod_control,
            boron_control=boron_control,
            bank_velocity=np.zeros(len(z)),
            bank_target=z.copy(),
            boron_rate=0.0,
            boron_target=cb,
        )
        needed = -p.source * p.gen_time / power
        if critical == "boron":
            rest = self.reactivity(0.0, y)["total"] - float(reactivity.boron(cb, p.alpha_boron))
            cb = (needed - rest) / p.alpha_boron
            if not p.boron_min <= cb <= p.boron_max:
                raise InputError(
                    file,
                    "initial.critical",
                    "boron",
                    f"critical boron would be {cb:.0f} ppm, outside the design's "
                    f"{p.boron_min:g} to {p.boron_max:g} ppm: no steady state",
                )
            y[self.s_boron] = cb
            self.d.boron_target = cb
        elif critical == "bank":
            reg = p.regulating

            def total(s: float) -> float:
                yy = y.copy()
                yy[self.s_bank] = self._sequence_positions(s, y[self.s_bank])
                return self.reactivity(0.0, yy)["total"] - needed

            lo, hi = total(0.0), total(float(len(reg)))
            if lo > 0 or hi < 0:
                raise InputError(
                    file,
                    "initial.critical",
                    "bank",
                    "the regulating banks cannot make the core critical at this "
                    f"power with {cb:g} ppm boron (reactivity {lo * 1e5:.0f} to "
                    f"{hi * 1e5:.0f} pcm over their travel): no steady state",
                )
            s = brentq(total, 0.0, float(len(reg)), xtol=1e-13)
            y[self.s_bank] = self._sequence_positions(s, y[self.s_bank])
            self.d.bank_target = y[self.s_bank].copy()
        else:
            raise InputError(file, "initial.critical", critical, "allowed: 'boron' or 'bank'")
        return y

    def _sequence_positions(self, s: float, z: np.ndarray) -> np.ndarray:
        """Positions of all banks with the regulating sequence at ``s`` (0 = all regulating in).

        The regulating banks move in sequence, without overlap: the first listed is inserted
        first and withdrawn last.
        """
        z = z.copy()
        reg = self.par.regulating
        m = len(reg)
        for k, b in enumerate(reg):
            z[b] = min(max(s - (m - 1 - k), 0.0), 1.0)
        return z

    # -- reactivity and power ---------------------------------------------------------------
    def reactivity(self, t: float, y: np.ndarray) -> dict[str, float]:
        """Reactivity components [1] at time ``t`` and state ``y``."""
        press = self.boundary(t, y)[0]
        h = y[self.s_h]
        t_cool, rho_cool = water.temperature_density_ph(press, h)
        return self._reactivity(t, y, t_cool, rho_cool)

    def _reactivity(self, t, y, t_cool, rho_cool) -> dict[str, float]:
        p, ref, d = self.par, self._ref, self.d
        tf = float(p.weight @ y[self.s_tf])
        comp = {
            "doppler": float(reactivity.doppler(tf, ref["temp_fuel"], p.alpha_doppler)),
            "moderator": float(
                reactivity.moderator(
                    p.weight @ t_cool,
                    p.weight @ rho_cool,
                    ref["temp_mod"],
                    ref["rho_mod"],
                    p.alpha_mod_t,
                    p.alpha_mod_rho,
                )
            ),
            "boron": float(reactivity.boron(y[self.s_boron], p.alpha_boron)),
            "rods": float(reactivity.rod_banks(y[self.s_bank], p.bank_worth)),
            "xenon": float(
                poisons.xenon_reactivity(y[self.s_x] * self._scale["xenon"], p.sigma_f, p.nu, p.xe)
            ),
            "samarium": float(
                poisons.samarium_reactivity(
                    y[self.s_sm] * self._scale["samarium"], p.sigma_f, p.nu, p.sm
                )
            ),
            "external": d.rho_external(t),
        }
        comp["total"] = ref["rho0"] + sum(comp.values())
        return comp

    def _decay_power(self, t: float, y: np.ndarray) -> float:
        """Decay power relative to nominal [1]."""
        p, d = self.par, self.d
        since = 0.0 if d.time_shutdown is None else max(t - d.time_shutdown, 0.0)
        return float(p.dh.power(y[self.s_decay], since, p.t_operating))

    # -- right-hand side --------------------------------------------------------------------
    def rhs(self, t: float, y: np.ndarray) -> np.ndarray:
        """Time derivative of the state (SI per second)."""
        dy = np.empty_like(y)
        self.core_derivatives(t, y, dy, *self.boundary(t, y))
        return dy

    def boundary(self, t: float, y: np.ndarray) -> tuple[float, float, float]:
        """Boundary conditions of the core: pressure [Pa], inlet enthalpy [J/kg], flow [1].

        The core model takes them from the scenario's inputs; a plant model overrides this to
        take them from its loops.
        """
        d = self.d
        press = d.pressure(t)
        return press, self._h_in(press, d.inlet_temperature(t)), d.flow_fraction(t)

    def core_derivatives(
        self, t: float, y: np.ndarray, dy: np.ndarray, press: float, h_in: float, flow: float
    ) -> float:
        """Fill the core's blocks of ``dy``; return the core outlet enthalpy [J/kg].

        Parameters
        ----------
        press : float
            Primary pressure [Pa].
        h_in : float
            Coolant enthalpy at the core inlet [J/kg].
        flow : float
            Vessel mass flow relative to nominal [1] (negative flows are not supported here).
        """
        p = self.par
        mdot_core = (1 - p.bypass) * p.mass_flow_nom * flow
        h = y[self.s_h]
        t_cool, rho_cool = water.temperature_density_ph(press, h)
        n = y[self.s_n]
        # power
        p_prompt = n * (1.0 - p.kappa)
        p_decay = self._decay_power(t, y)
        q = (p_prompt + p_decay) * p.p_nom * p.power_shape
        tf, tc = y[self.s_tf], y[self.s_tc]
        r_fc, r_cw, _, _ = self._resistances(tf, flow)
        q_fc = (tf - tc) / r_fc
        q_cw = (tc - t_cool) / r_cw
        dy[self.s_tf] = (q - q_fc) / p.cap_fuel
        dy[self.s_tc] = (q_fc - q_cw) / p.cap_clad
        h_up = np.concatenate(([h_in], h[:-1]))
        dy[self.s_h] = (mdot_core * (h_up - h) + q_cw) / p.mass_coolant
        # kinetics
        rho = self._reactivity(t, y, t_cool, rho_cool)["total"]
        dn, dc = pk.derivatives_normalized(n, y[self.s_c], rho, p.beta, p.lam, p.gen_time, p.source)
        dy[self.s_n] = dn
        dy[self.s_c] = dc
        # poisons (relative to full-power equilibrium)
        sc = self._scale
        phi = n * p.phi_nom
        di, dx = poisons.xenon_derivatives(
            y[self.s_i] * sc["iodine"], y[self.s_x] * sc["xenon"], phi, p.sigma_f, p.xe
        )
        dpm, dsm = poisons.samarium_derivatives(
            y[self.s_pm] * sc["promethium"], y[self.s_sm] * sc["samarium"], phi, p.sigma_f, p.sm
        )
        dy[self.s_i] = di / sc["iodine"]
        dy[self.s_x] = dx / sc["xenon"]
        dy[self.s_pm] = dpm / sc["promethium"]
        dy[self.s_sm] = dsm / sc["samarium"]
        # decay heat groups, driven by the fission rate
        dy[self.s_decay] = p.dh.derivatives(y[self.s_decay], n)
        # control rods and boron
        dy[self.s_bank] = self._bank_velocity(t, y)
        dy[self.s_boron] = self._boron_rate(y)
        # energy integrals [full-power seconds per second]
        dy[self.s_e] = (p_prompt, p_decay, mdot_core * (h[-1] - h_in) / p.p_nom)
        return float(h[-1])

    _h_in_cache: tuple[float, float, float] = (math.nan, math.nan, math.nan)

    def _h_in(self, press: float, t_in: float) -> float:
        c = self._h_in_cache
        if c[0] == press and c[1] == t_in:
            return c[2]
        h = water.enthalpy_pt(press, t_in)
        self._h_in_cache = (press, t_in, h)
        return h

    def _bank_velocity(self, t: float, y: np.ndarray) -> np.ndarray:
        p, d = self.par, self.d
        v = d.bank_velocity.copy()
        if d.rod_control == "auto":
            # rate controller: regulating sequence speed = v_max tanh(error / band)
            u = self._rod_demand(t, y)
            z = y[self.s_bank]
            reg = p.regulating
            eps = 1e-3
            # which regulating bank moves: inserting, the first one still out moves; withdrawing,
            # the last one still in moves (smooth hand-over at the ends of travel)
            if u < 0:
                share = np.zeros(len(reg))
                remaining = 1.0
                for k, b in enumerate(reg):
                    w = remaining * math.tanh(z[b] / eps) if k < len(reg) - 1 else remaining
                    share[k] = w
                    remaining -= w
                    if remaining <= 0:
                        break
            else:
                share = np.zeros(len(reg))
                remaining = 1.0
                for k in range(len(reg) - 1, -1, -1):
                    b = reg[k]
                    w = remaining * math.tanh((1 - z[b]) / eps) if k > 0 else remaining
                    share[k] = w
                    remaining -= w
                    if remaining <= 0:
                        break
            for k, b in enumerate(reg):
                lim = z[b] if u < 0 else 1.0 - z[b]
                v[b] = u * p.bank_speed[b] * share[k] * math.tanh(max(lim, 0.0) / eps)
        return v

    def _rod_demand(self, t: float, y: np.ndarray) -> float:
        """Regulating-bank speed demand, -1 (full speed in) to 1 (full speed out) [1].

        u = tanh(e / band) with e the power error (setpoint minus relative power).
        """
        return math.tanh((self.d.power_setpoint(t) - y[self.s_n]) / self.par.power_band)

    def _boron_demand(self, error: float) -> float:
        """Boron rate demand, -1 (full dilution) to 1 (full boration), for a bank-position error
        ``error`` (reference minus the regulating banks' summed position) [1]."""
        return math.tanh(error / self.par.bank_band)

    def _boron_rate(self, y: np.ndarray) -> float:
        p, d = self.par, self.d
        if d.boron_control == "auto" and d.rod_control == "auto":
            s = float(np.sum(y[self.s_bank][p.regulating]))
            rate = p.boron_rate_max * self._boron_demand(p.bank_ref - s)
            cb = y[self.s_boron]
            lim = (cb - p.boron_min) if rate < 0 else (p.boron_max - cb)
            return rate * math.tanh(max(lim, 0.0) / 1.0)
        return d.boron_rate

    # -- events -----------------------------------------------------------------------------
    def state_events(self, t: float, y: np.ndarray) -> np.ndarray:
        """Trip functions; each fires when it crosses zero upwards."""
        p, d = self.par, self.d
        if d.tripped:
            return np.array([-1.0, -1.0])
        n = y[self.s_n]
        g_flux = n / p.trip_high_flux - 1.0
        rho = self.reactivity(t, y)["total"]
        dn, _ = pk.derivatives_normalized(n, y[self.s_c], rho, p.beta, p.lam, p.gen_time, p.source)
        g_period = dn / n * p.trip_period - 1.0
        return np.array([g_flux, g_period])

    def _trip(self, t: float, y: np.ndarray, name: str, detail: str) -> tuple[np.ndarray, list]:
        p, d = self.par, self.d
        entries = [{"time_s": t, "kind": "trip", "name": name, "detail": detail}]
        if d.tripped:
            return y, []
        d.tripped = True
        d.time_shutdown = t
        d.rod_control = "tripped"
        d.bank_velocity[:] = 0.0
        d.boron_rate = 0.0
        d.power_setpoint = Ramp.constant(0.0)
        self._schedule(t + p.scram_delay, "scram_drop", None)
        # the ANS-5.1 capture factor G switches from its formula to the G_max table at 1e4 s
        self._schedule(t + decay_heat.capture_factor_switch_time(), "kink", "capture_factor")
        return y, entries

    def fire(self, name: str, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        n = y[self.s_n]
        if name == "trip_high_flux":
            return self._trip(t, y, "high_flux", f"neutron power {100 * n:.1f} % of nominal")
        return self._trip(t, y, "short_period", f"period shorter than {self.par.trip_period:g} s")

    def next_break(self) -> float:
        return self.d.breaks[0][0] if self.d.breaks else math.inf

    def on_break(self, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        p, d = self.par, self.d
        _, action, data = d.breaks.pop(0)
        y = y.copy()
        entries: list[dict] = []
        if action == "scram_drop":
            speed = 1.0 / p.scram_drop_time
            d.bank_velocity[:] = -speed
            d.bank_target[:] = 0.0
            for b in range(len(d.bank_velocity)):
                self._schedule(t + y[self.s_bank][b] / speed, "bank_arrived", b)
            entries.append({"time_s": t, "kind": "rods", "name": "scram_rods_released"})
        elif action == "bank_arrived":
            b = data
            d.bank_velocity[b] = 0.0
            y[self.s_bank.start + b] = d.bank_target[b]
        elif action == "boron_arrived":
            d.boron_rate = 0.0
            y[self.s_boron] = d.boron_target
        return y, entries

    def _schedule(self, time: float, action: str, data: Any) -> None:
        self.d.breaks = [b for b in self.d.breaks if not (b[1] == action and b[2] == data)]
        self.d.breaks.append((time, action, data))
        self.d.breaks.sort(key=lambda b: b[0])

    def apply(self, ev: Event, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        """Apply a scheduled scenario event (see :mod:`nppsim.scenarios` for the kinds)."""
        p, d = self.par, self.d
        y = y.copy()
        entry = {"time_s": t, "kind": ev.kind, "name": ev.name}
        q = ev.params
        if ev.kind == "scram":
            return self._trip(t, y, "manual", "manual reactor trip")
        if ev.kind == "bank":
            names = [b.name for b in self.design.rods.banks]
            b = names.index(q["bank"])
            if d.tripped:
                return y, [{**entry, "detail": "ignored: reactor tripped"}]
            if b in p.regulating and d.rod_control == "auto":
                d.rod_control = "manual"
                entry["detail"] = "rod control switched to manual"
            speed = q.get("speed") or p.bank_speed[b]
            z = y[self.s_bank.start + b]
            target = q["target"]
            d.bank_target[b] = target
            if abs(target - z) > 0:
                d.bank_velocity[b] = math.copysign(speed, target - z)
                self._schedule(t + abs(target - z) / speed, "bank_arrived", b)
        elif ev.kind == "reactivity_step":
            d.rho_external = Ramp.constant(d.rho_external(t) + q["rho"])
        elif ev.kind == "reactivity_ramp":
            dur = q["duration"]
            d.rho_external = d.rho_external.to(t, d.rho_external(t) + q["rate"] * dur, dur)
            self._schedule(t + dur, "kink", "rho_external")
        elif ev.kind == "boron":
            d.boron_control = "manual"
            cb = y[self.s_boron]
            d.boron_target = q["target"]
            rate = q["rate"]
            if abs(q["target"] - cb) > 0:
                d.boron_rate = math.copysign(rate, q["target"] - cb)
                self._schedule(t + abs(q["target"] - cb) / rate, "boron_arrived", None)
        elif ev.kind in ("inlet_temperature", "flow", "pressure"):
            attr = {
                "inlet_temperature": "inlet_temperature",
                "flow": "flow_fraction",
                "pressure": "pressure",
            }[ev.kind]
            ramp = getattr(d, attr).to(t, q["target"], q.get("duration", 0.0))
            setattr(d, attr, ramp)
            if ramp.t1 > t:
                self._schedule(ramp.t1, "kink", attr)
        elif ev.kind == "power_setpoint":
            if d.tripped:
                return y, [{**entry, "detail": "ignored: reactor tripped"}]
            cur = d.power_setpoint(t)
            dur = abs(q["target"] - cur) / q["rate"]
            d.power_setpoint = d.power_setpoint.to(t, q["target"], dur)
            d.rod_control = "auto"
            self._schedule(t + dur, "kink", "power_setpoint")
        elif ev.kind == "control":
            if "rods" in q and not d.tripped:
                d.rod_control = q["rods"]
                if q["rods"] == "auto":
                    d.power_setpoint = Ramp.constant(float(y[self.s_n]))
                    for b in p.regulating:
                        d.bank_velocity[b] = 0.0
            if "boron" in q:
                d.boron_control = q["boron"]
                d.boron_rate = 0.0
        else:
            raise InputError(None, "events.kind", ev.kind, "unknown event kind for the core model")
        return y, [entry]

    def get_discrete(self) -> Discrete:
        return self.d

    def set_discrete(self, discrete: Discrete) -> None:
        self.d = discrete

    # -- outputs ----------------------------------------------------------------------------
    def outputs(self, t: float, y: np.ndarray) -> list[float]:
        """Recorded quantities (SI), in the order of ``output_names``."""
        p = self.par
        press, h_in, flow = self.boundary(t, y)
        h = y[self.s_h]
        t_cool, rho_cool = water.temperature_density_ph(press, h)
        comp = self._reactivity(t, y, t_cool, rho_cool)
        t_in = water.temperature_ph(press, h_in)
        mdot = p.mass_flow_nom * flow
        h_out = (1 - p.bypass) * h[-1] + p.bypass * h_in
        n = y[self.s_n]
        p_prompt = n * (1 - p.kappa) * p.p_nom
        p_decay = self._decay_power(t, y) * p.p_nom
        tf, tc = y[self.s_tf], y[self.s_tc]
        # hot rod, hot node: quasi-steady centreline temperature above the local coolant
        q_lin = (p_prompt + p_decay) * p.power_shape / p.rod_length * p.radial_peaking
        _, _, k_f, r_film = self._resistances(tf, flow)
        t_centre = t_cool + q_lin * (
            r_film + p.r_clad_per_m + p.r_gap_per_m + 1.0 / (4.0 * math.pi * k_f)
        )
        e = y[self.s_e] * p.p_nom
        sc = self._scale
        z = y[self.s_bank]
        out = [
            p_prompt + p_decay,
            p_prompt,
            p_decay,
            mdot * (h_out - h_in),
            n,
            comp["total"],
            comp["doppler"],
            comp["moderator"],
            comp["boron"],
            comp["rods"],
            comp["xenon"],
            comp["samarium"],
            comp["external"],
            float(np.mean(tf)),
            float(np.max(t_centre)),
            float(np.mean(tc)),
            t_in,
            water.temperature_ph(press, h_out),
            float(np.mean(t_cool)),
            press,
            (1 - p.bypass) * mdot,
            y[self.s_boron],
            y[self.s_x] * sc["xenon"],
            y[self.s_i] * sc["iodine"],
            y[self.s_sm] * sc["samarium"],
            e[0],
            e[1],
            e[2],
            self.stored_energy(y),
        ]
        out += list(z)
        out.append(float(np.sum(z[p.regulating])) / len(p.regulating))
        return out

    def stored_energy(self, y: np.ndarray) -> float:
        """Heat stored in fuel, cladding and core coolant [J] (zero at 0 K and h = 0)."""
        p = self.par
        return float(
            p.cap_fuel * np.sum(y[self.s_tf])
            + p.cap_clad * np.sum(y[self.s_tc])
            + p.mass_coolant * np.sum(y[self.s_h])
        )
