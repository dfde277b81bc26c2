"""nppsim: an open simulator of a civil nuclear power programme.

Two levels: the plant (one unit's dynamics, milliseconds to days) and the programme (the fleet over
decades). Physics lives in :mod:`nppsim.physics` as pure functions in SI units.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
