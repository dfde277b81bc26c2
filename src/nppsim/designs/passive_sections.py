"""Design-file section of the passive safety systems: ``[passive_safety]``.

``[passive_safety.heat_removal]``: passive heat removal from the steam generators (PHRS), one train
per steam generator: steam condensed in a heat exchanger cooled by outdoor air (VVER AES-92,
AES-2006, VVER-TOI) or by a water tank, the condensate returning to the steam generator by
gravity. Its heat removal at the design steam pressure, how it falls with the temperature
difference to the air, the time constant of the gates and draught, and the passive regulation of
the air gates (closed below ``regulation_low``, fully open above ``regulation_high``).

``[passive_safety.second_stage_accumulators]``: the second-stage hydro-accumulators (HA-2) of the
AES-92/AES-2006/VVER-TOI designs: tanks of borated water that inject into the primary circuit
below an opening pressure, through throttling devices whose flow falls in stages as the tanks
empty, so that the water lasts about a day.

Both are read by :mod:`nppsim.plant.components.passive_heat_removal` and
:mod:`nppsim.plant.components.second_stage_accumulators`; the assembly adds them where the design
file has them (:func:`nppsim.plant.passive.add_passive_systems`).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from nppsim.designs import Q, _Section


class PassiveHeatRemoval(_Section):
    """Passive heat removal from the steam generators (one train per steam generator)."""

    trains: int = Field(ge=1, le=8)
    capacity: Q(1e4, 1e9, "W")
    design_pressure: Q(1e5, 20e6, "Pa")
    air_temperature: Q(223.15, 330.0, "K")
    exponent: Q(0.5, 3.0, "1")
    time_constant: Q(1.0, 3600.0, "s")
    regulation_low: Q(0.0, 20e6, "Pa")
    regulation_high: Q(1e3, 20e6, "Pa")
    # once-through steam generators only: the thermosiphon loop the train forms with its
    # isolated steam generator (volume of the train's condenser and piping, and the water
    # standing in it)
    loop_volume: Q(0.01, 500.0, "m3") | None = None
    loop_water: Q(0.0, 5e5, "kg") | None = None

    @model_validator(mode="after")
    def _band(self) -> PassiveHeatRemoval:
        if not self.regulation_low.si < self.regulation_high.si:
            raise ValueError(
                "passive_safety.heat_removal: regulation_low must be below regulation_high"
            )
        return self


class SecondStageAccumulators(_Section):
    """Second-stage hydro-accumulators (HA-2): passive injection at low primary pressure."""

    tanks: int = Field(ge=1, le=16)
    tank_volume: Q(1.0, 1000.0, "m3")
    opening_pressure: Q(0.1e6, 10e6, "Pa")
    pressure_band: Q(1e3, 2e6, "Pa")
    stage_fractions: Q(0.0, 1.0, "1")
    stage_flows: Q(0.0, 1000.0, "kg/s")
    water_temperature: Q(273.15, 373.15, "K")

    @model_validator(mode="after")
    def _stages(self) -> SecondStageAccumulators:
        f, q = self.stage_fractions.si_list, self.stage_flows.si_list
        if len(f) != len(q) or not 1 <= len(f) <= 10:
            raise ValueError(
                "passive_safety.second_stage_accumulators: stage_fractions and stage_flows need "
                "the same number of stages (1 to 10)"
            )
        if abs(sum(f) - 1.0) > 1e-6:
            raise ValueError(
                "passive_safety.second_stage_accumulators.stage_fractions must sum to 1"
            )
        return self


class PassiveSafety(_Section):
    """The passive safety systems a design has (each optional)."""

    heat_removal: PassiveHeatRemoval | None = None
    second_stage_accumulators: SecondStageAccumulators | None = None
