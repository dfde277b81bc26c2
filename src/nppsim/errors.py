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
