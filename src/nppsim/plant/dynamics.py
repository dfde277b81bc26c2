"""The design as the model layer sees it: a design with every core section present.

:class:`nppsim.designs.Design` keeps the dynamics sections optional (a programme-only design has
ratings only). The model layer needs them all; :func:`core_design` checks that once and returns
the same object typed as :class:`CoreDesign`, so that the code that builds models reads
``design.core.active_height`` without a ``None`` check at every use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from nppsim.errors import InputError

if TYPE_CHECKING:
    from nppsim.designs import (
        Coolant,
        Core,
        CoreControl,
        DecayHeat,
        Design,
        DesignInfo,
        Kinetics,
        Poisons,
        Protection,
        Rating,
        Reactivity,
        Rods,
    )
    from nppsim.designs.plant_sections import PlantProtection


class CoreDesign(Protocol):
    """A :class:`~nppsim.designs.Design` whose core sections are all present (read-only)."""

    @property
    def name(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def design(self) -> DesignInfo: ...
    @property
    def rating(self) -> Rating: ...
    @property
    def core(self) -> Core: ...
    @property
    def coolant(self) -> Coolant: ...
    @property
    def kinetics(self) -> Kinetics: ...
    @property
    def reactivity(self) -> Reactivity: ...
    @property
    def rods(self) -> Rods: ...
    @property
    def control(self) -> CoreControl: ...
    @property
    def protection(self) -> Protection | PlantProtection: ...
    @property
    def poisons(self) -> Poisons: ...
    @property
    def decay_heat(self) -> DecayHeat: ...


def core_design(design: Design | CoreDesign) -> CoreDesign:
    """``design`` typed as a design with dynamics; :class:`~nppsim.errors.InputError` naming the
    design file if a core section is missing."""
    if not getattr(design, "has_dynamics", True):
        raise InputError(
            design.path or None,
            "design",
            design.name,
            "this design has ratings only; no core dynamics data",
        )
    return cast("CoreDesign", design)
