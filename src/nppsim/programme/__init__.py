"""The programme model: a national nuclear power programme over decades, with its uncertainty.

Load a programme file (``nppsim/programmes/iran.toml``), run the vectorized Monte Carlo model and
summarise it::

    from nppsim.programme import load_programme, simulate, summary_frame
    res = simulate(load_programme("iran"), samples=10_000, until=2060, seed=1)
    summary_frame(res)          # year, quantile (p10/p50/p90), capacity_mwe, generation_twh, ...

Equations, assumptions and data: ``docs/programme.md``.
"""

from __future__ import annotations

from .load import ProgrammeCase, list_programmes, load_programme
from .model import ProgrammeResult, simulate
from .results import summary_frame, units_frame, write_outputs
from .schema import Programme, parse_programme
from .whatif import Adjustments, WhatIf

__all__ = [
    "Adjustments",
    "Programme",
    "ProgrammeCase",
    "ProgrammeResult",
    "WhatIf",
    "list_programmes",
    "load_programme",
    "parse_programme",
    "simulate",
    "summary_frame",
    "units_frame",
    "write_outputs",
]
