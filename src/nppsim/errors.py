"""Errors that nppsim reports to users.

Every error about an input names the file, the field, the value found and what is allowed, so the
CLI can print one line and stop without a traceback (see :func:`nppsim.cli.main`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class NppsimError(Exception):
    """Base class of the errors nppsim reports as a one-line message."""


class InputError(NppsimError):
    """A bad value in an input file (design, scenario, programme, validation case).

    Parameters
    ----------
    file : path or str or None
        The file the value came from (None for values given in Python).
    field : str
        Dotted path of the field, e.g. ``events[2].time``.
    value : Any
        The value found (``<missing>`` for a missing field).
    allowed : str
        What is allowed, e.g. ``0 < duration <= 30 d``.
    """

    def __init__(self, file: Path | str | None, field: str, value: Any, allowed: str) -> None:
        self.file = str(file) if file is not None else None
        self.field = field
        self.value = value
        self.allowed = allowed
        where = f"{self.file}: " if self.file else ""
        super().__init__(f"{where}{field} = {value!r}: {allowed}")


class SolverError(NppsimError):
    """The time integrator failed; results up to the failure are kept by the caller."""


class ValidityError(NppsimError):
    """The model left its validity range (coolant reaching saturation where the model is
    single-phase, a property table left, a pressure below what a component models): the run
    stops there with status ``stopped``; what was computed up to that time is kept.

    Parameters
    ----------
    message : str
        What left the range, where, and when.
    time_s : float or None
        Simulated time of the crossing [s].
    name : str
        The watch row that fired (``"saturation_core"``).
    """

    def __init__(self, message: str, time_s: float | None = None, name: str = "") -> None:
        super().__init__(message)
        self.time_s = time_s
        self.name = name


class Interrupted(NppsimError):
    """The work was interrupted (Ctrl-C or SIGTERM); what was computed is kept, with status
    ``interrupted``."""
