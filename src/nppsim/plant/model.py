"""A model: a design assembled into a network, with its steady states and what actions need.

:class:`Model` is what the engine simulates and what actions act on. It is built from a design
object only (never re-reading files), so a design changed in memory
(``design.with_overrides(...)``) is exactly what runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nppsim.designs import Design
from nppsim.plant import assemble
from nppsim.plant.components.boron_transport import BoronTransport
from nppsim.plant.components.controller import Controller
from nppsim.plant.components.core import Core, ramp_value
from nppsim.plant.components.eccs import EmergencyCooling
from nppsim.plant.components.electric import Electric
from nppsim.plant.components.protection import Protection
from nppsim.plant.components.rod_control import AUTO, MANUAL, TRIPPED, RodControl
from nppsim.plant.components.turbine import Turbine
from nppsim.plant.design_view import DesignView
from nppsim.plant.dynamics import core_design
from nppsim.plant.network import Network

_ROD_MODES = {AUTO: "auto", MANUAL: "manual", TRIPPED: "tripped"}


class Model(DesignView):
    """A design as a simulated system.

    Parameters
    ----------
    design : Design
        The design object (read once; overrides applied in memory).
    kind : {"core", "plant"}
        The core alone with prescribed boundary conditions, or the whole plant.
    """

    def __init__(self, design: Design, kind: str = "core") -> None:
        super().__init__(design, kind)
        self.data: Any = None
        if kind == "core":
            self.net: Network = assemble.core_network(design)
        elif kind == "plant":
            self.net, self.data = assemble.plant_network(design)
        else:
            raise ValueError(f"unknown model kind {kind!r}")
        net = self.net
        self.core: Core = net.component("core", Core)
        self.protection: Protection = net.component("protection", Protection)
        self.rods: RodControl = net.component("rods", RodControl)
        self.boron: Any = net.by_name["boron"]
        self.boundary: Any = net.by_name.get("boundary")

    # -- steady state ------------------------------------------------------------------------
    def steady_state(
        self, power: float, critical: str = "boron", **kw: Any
    ) -> tuple[np.ndarray, np.ndarray]:
        """State and discrete state at rest at relative power ``power`` (see
        :func:`nppsim.plant.assemble.core_steady_state` and
        :func:`~nppsim.plant.assemble.plant_steady_state`)."""
        if self.kind == "plant":
            return assemble.plant_steady_state(self.net, self.data, power, critical, **kw)
        kw.pop("pumps_off", None)
        return assemble.core_steady_state(self.net, power, critical, **kw)

    # -- helpers for actions -----------------------------------------------------------------
    def rods_mode(self, d: np.ndarray) -> str:
        """Rod control mode: "auto", "manual" or "tripped"."""
        return _ROD_MODES[float(d[self.net.d_index(f"{self.rods.name}.mode")])]

    def set_rods_mode(self, d: np.ndarray, mode: str) -> None:
        code = {"auto": AUTO, "manual": MANUAL, "tripped": TRIPPED}[mode]
        d[self.net.d_index(f"{self.rods.name}.mode")] = code

    def power_setpoint(self, d: np.ndarray, t: float) -> float:
        """The power setpoint at ``t`` [1]."""
        return float(ramp_value(d, self.net.discrete[f"{self.rods.name}.setpoint"].start, t))

    def on_power_setpoint(self, d: np.ndarray) -> None:
        """A power setpoint was given: the rods follow power (not the steam pressure)."""
        d[self.net.d_index(f"{self.rods.name}.error_mode")] = 0.0

    # -- plant actions (see nppsim.actions) --------------------------------------------------
    def _d(self, name: str) -> int:
        return self.net.d_index(name)

    def _signal(self, t: float, y: np.ndarray, d: np.ndarray, name: str) -> float:
        return float(self.net.signal_vector(t, y, d)[self.net.signal_lookup(name)])

    def turbine_tripped(self, d: np.ndarray) -> bool:
        return bool(d[self._d("turbine.tripped")] > 0.5)

    def pump_power(
        self, t: float, y: np.ndarray, d: np.ndarray, pump: int, on: bool, entry: dict
    ) -> Any:
        """Switch a reactor coolant pump's motor supply on or off."""
        d[self._d(f"pump{pump}.voltage")] = 1.0 if on else 0.0
        return y, d, [entry]

    def turbine_trip(self, t: float, y: np.ndarray, d: np.ndarray, entry: dict) -> Any:
        """Shut the turbine's stop valves (the protection then trips the reactor or reduces
        power, by its tables)."""
        turbine = self.net.component("turbine", Turbine)
        out = turbine.trip(self.net, t, y, d, "turbine stop valves closed")
        return y, d, [entry, *out]

    def load_rejection(self, t: float, y: np.ndarray, d: np.ndarray, entry: dict) -> Any:
        """The generator loses the grid with its breaker closed: the unit carries its house load
        at speed. The governor's load reference runs back to the valve opening that passes the
        house load (power-load unbalance); the speed droop then holds the speed (issue 8)."""
        out = [entry]
        d[self._d("electric.grid")] = 0.0
        if not self.turbine_tripped(d):
            net = self.net
            ctl = net.component("turbine_control", Controller)
            house = self.data.ps.turbine.house_load.si
            w = net.signal_vector(t, y, d)
            cv = float(y[net.s_index("turbine.cv")])
            load = max(float(w[net.w_index("turbine.load_estimate")]), 1e-3)
            ctl.set_mode(net, t, y, d, 2.0)
            d[self._d("turbine_control.held")] = cv * min(house / load, 1.0)
            out.append(
                {
                    "time_s": t,
                    "kind": "mode",
                    "name": "turbine_house_load",
                    "detail": f"governor on speed, load reference to house load "
                    f"{100 * house:.0f} %",
                }
            )
        return y, d, out

    def feed_pump_trip(
        self, t: float, y: np.ndarray, d: np.ndarray, count: int, entry: dict
    ) -> Any:
        """Trip ``count`` main feed pumps."""
        k = self._d("feedwater.pumps")
        d[k] = max(d[k] - count, 0.0)
        # the emergency feed pumps start on the protection's signals (trip table rows)
        return y, d, [entry]

    def loss_of_offsite_power(self, t: float, y: np.ndarray, d: np.ndarray, entry: dict) -> Any:
        """Off-site power lost: pumps, feed pumps, condenser, heaters and make-up lose supply;
        the diesel generators start (if available) and take the safety loads in sequence."""
        net = self.net
        more = net.component("electric", Electric).lose_offsite(net, t, y, d)
        d[self._d("feedwater.pumps")] = 0.0
        for i in range(self.count("pump")):
            d[self._d(f"pump{i + 1}.voltage")] = 0.0
        net.component("makeup", Controller).set_mode(net, t, y, d, 2.0)
        d[self._d("makeup.held")] = 0.0
        return y, d, [entry, *more]

    # -- primary-side actions (issue 8: emergency power, boron, emergency cooling) ------------
    def diesel_failure(self, t: float, y: np.ndarray, d: np.ndarray, entry: dict) -> Any:
        """The diesel generators fail (to start, or trip): with off-site power lost this is a
        station blackout."""
        net = self.net
        net.component("electric", Electric).fail_diesels(net, t, y, d)
        return y, d, [entry]

    def feed_and_bleed(
        self, t: float, y: np.ndarray, d: np.ndarray, flow: float, boron: float, entry: dict
    ) -> Any:
        """Make-up at ``boron`` [ppm] added at ``flow`` [kg/s] with as much let down (0: stop)."""
        net = self.net
        net.component("boron_transport", BoronTransport).set_manual(net, d, flow, boron)
        return y, d, [{**entry, "detail": f"{flow * 3.6:g} t/h at {boron:g} ppm"}]

    def eccs_start(self, t: float, y: np.ndarray, d: np.ndarray, entry: dict) -> Any:
        """Start the emergency core cooling by hand (the protection's ECCS signal)."""
        from nppsim.plant.components.protection import TripRow

        net = self.net
        row = TripRow("manual", "", "above", 0.0, actions=("eccs",))
        y, d, more = net.component("eccs", EmergencyCooling).on_protective_eccs(net, t, y, d, row)
        return y, d, [entry, *more]

    def steam_line_break(
        self, t: float, y: np.ndarray, d: np.ndarray, sg: int, area: float, entry: dict
    ) -> Any:
        """Open a break of ``area`` [m2] in the steam line of steam generator ``sg``."""
        d[self._d(f"sg{sg}.break_area")] = area
        return y, d, [entry]

    def rod_drop(
        self, t: float, y: np.ndarray, d: np.ndarray, worth: float | None, entry: dict
    ) -> Any:
        """One cluster falls: its worth is inserted over the scram drop time."""
        rods = core_design(self.design).rods
        cw = rods.cluster_worth
        worth = worth if worth is not None else (cw.si if cw is not None else 6e-4)
        self.ramp_external(d, t, -worth, rods.scram_drop_time.si)
        # the rod position indication signals the dropped cluster to the power limiter
        if self.kind == "plant":
            self.rods.cluster_dropped(self.net, d)
        return y, d, [{**entry, "detail": f"one cluster, {worth * 1e5:.0f} pcm"}]

    def turbine_load(
        self, t: float, y: np.ndarray, d: np.ndarray, target: float, rate: float | None, entry: dict
    ) -> Any:
        """Ramp the turbine's electric load setpoint at ``rate`` (None: a step). The turbine goes
        to power mode; the rods then keep the steam pressure, with the load reference fed
        forward (:mod:`nppsim.plant.components.rod_control`)."""
        net = self.net
        if self.turbine_tripped(d) or d[self._d("electric.grid")] < 0.5:
            return y, d, [{**entry, "detail": "ignored: turbine tripped or off the grid"}]
        ctl = net.component("turbine_control", Controller)
        if d[self._d("turbine_control.mode")] != 1.0:
            load = self._signal(t, y, d, "turbine.load_estimate")
            ctl.set_mode(net, t, y, d, 1.0, transfer="integral")
            ctl.ramp_setpoint(net, d, t, "b", load, 0.0)
        cur = float(ramp_value(d, net.discrete["turbine_control.setpoint_b"].start, t))
        if self.rods_mode(d) == "auto" and d[self._d("rods.error_mode")] != 1.0:
            self.rods.enter_pressure_mode(net, t, y, d, cur)
            entry = {**entry, "detail": "turbine power mode; rods keep the steam pressure"}
        duration = abs(target - cur) / rate if rate else 0.0
        ctl.ramp_setpoint(net, d, t, "b", target, duration)
        self.rods.set_load_ramp(net, d, t, target, duration)
        return y, d, [entry]

    def set_turbine_mode(self, t: float, y: np.ndarray, d: np.ndarray, mode: str) -> Any:
        """Turbine controller on header pressure ("pressure") or electric power ("power")."""
        net = self.net
        if not self.turbine_tripped(d):
            ctl = net.component("turbine_control", Controller)
            if mode == "power":
                load = self._signal(t, y, d, "turbine.load_estimate")
                ctl.set_mode(net, t, y, d, 1.0, transfer="integral")
                ctl.ramp_setpoint(net, d, t, "b", load, 0.0)
                self.rods.enter_pressure_mode(net, t, y, d, load)
            else:
                ctl.set_mode(net, t, y, d, 0.0, transfer="integral")
                d[self._d("rods.error_mode")] = 0.0
                n = float(y[net.s_index("core.n")])
                self.rods.set_ramp(net, d, t, n, 0.0)
        return (
            y,
            d,
            [{"time_s": t, "kind": "mode", "name": "control", "detail": f"turbine {mode} mode"}],
        )

    def set_setpoint(
        self, t: float, y: np.ndarray, d: np.ndarray, controller: str, value: float, entry: dict
    ) -> Any:
        """Change a plant controller's setpoint (checked by the action)."""
        net = self.net
        if controller == "primary_pressure":
            d[self._d("pressurizer.pressure_setpoint")] = value
        elif controller == "steam_pressure":
            net.component("turbine_control", Controller).ramp_setpoint(net, d, t, "a", value, 0.0)
            d[self._d("rods.pressure_setpoint")] = value
        elif controller == "sg_level":
            for i in range(self.count("sg")):
                net.component(f"sg_level{i + 1}", Controller).ramp_setpoint(
                    net, d, t, "a", value, 0.0
                )
        elif controller == "pressurizer_level":
            pc = self.data.ps.control.pressurizer
            n = min(max(float(y[net.s_index("core.n")]), 0.0), 1.2)
            base = value - (pc.level_setpoint_full_power.si - pc.level_setpoint_zero_power.si) * n
            net.component("makeup", Controller).ramp_setpoint(net, d, t, "a", base, 0.0)
        return y, d, [{**entry, "kind": "setpoint", "detail": f"{controller} = {value:g}"}]

    def ramp_external(self, d: np.ndarray, t: float, delta: float, duration: float) -> None:
        """Add ``delta`` to the external reactivity, at once or over ``duration`` [s]."""
        net, c = self.net, self.core.name
        k = net.discrete[f"{c}.rho_external"].start
        v = float(ramp_value(d, k, t))
        d[k : k + 4] = (t, v, t + duration, v + delta)
        d[net.d_index(f"{c}.rho_external_end")] = t + duration if duration > 0 else np.inf
