"""Studies: many runs of one scenario over uncertain or varied inputs, on one machine or a cluster.

A study file (TOML; :mod:`nppsim.studies.schema`) names a base scenario and design, parameters
(design or scenario values with distributions or lists of values), a sampler and metrics. Its
runs go to Dask workers (:func:`run_study`); each outcome is written as it arrives to a Parquet
dataset (:mod:`nppsim.studies.dataset`); :func:`summarize` gives statistics, correlations or
sensitivity indices and plots. From the command line: ``nppsim study run|show|list|describe``.

    from nppsim.studies import load_study, run_study, read_runs
    study = load_study("rod-withdrawal-power")
    run_study(study, "studies/rwp", workers=2)
    df = read_runs("studies/rwp")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# exported names and their modules; imported on first use, so that ``nppsim --help`` (which
# registers the ``study`` commands) does not load the engine and Dask
_EXPORTS = {
    "Study": "schema",
    "builtin_names": "schema",
    "list_studies": "schema",
    "load_study": "schema",
    "parse_study": "schema",
    "StudyError": "plan",
    "engine_can_run": "plan",
    "make_plan": "plan",
    "StudyReport": "runner",
    "run_study": "runner",
    "read_plan": "dataset",
    "read_runs": "dataset",
    "read_samples": "dataset",
    "read_timeseries": "dataset",
}

if TYPE_CHECKING:
    from nppsim.studies.dataset import read_plan, read_runs, read_samples, read_timeseries
    from nppsim.studies.plan import StudyError, engine_can_run, make_plan
    from nppsim.studies.runner import StudyReport, run_study
    from nppsim.studies.schema import (
        Study,
        builtin_names,
        list_studies,
        load_study,
        parse_study,
    )


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"nppsim.studies.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'nppsim.studies' has no attribute {name!r}")


__all__ = [
    "Study",
    "StudyError",
    "StudyReport",
    "builtin_names",
    "engine_can_run",
    "list_studies",
    "load_study",
    "make_plan",
    "parse_study",
    "read_plan",
    "read_runs",
    "read_samples",
    "read_timeseries",
    "run_study",
]
