"""A study's output folder: a Parquet dataset written one run at a time.

Layout of ``DIR``::

    study.toml              the study file as run
    plan.json               parameters, metrics (with units), sampler, number of runs, plan hash
    samples.parquet         run_id, run_key and the parameter values of every planned run
    runs/run-000012-<key>.parquet         one row per finished run (see below)
    timeseries/run-000012-<key>.parquet   the run's full time series, if the study keeps them
    stale/                  rows of runs an earlier version of the study planned (kept, not read)
    plots/                  written by ``nppsim study show``

Each file is written under a temporary name (``.tmp-...``) and renamed when complete, so a
study stopped at any moment leaves only whole files; a rerun takes the runs whose key is in its
plan as done. A row has ``run_id``, ``run_key``, ``status`` (``completed`` or ``failed``),
``tripped`` (a reactor trip happened), ``trip_signal`` (its first-out signal), ``message`` (why a
run failed), ``wall_s`` (its wall time, the only column that differs between two runs of a study),
``events`` (JSON), then the parameters (in their units) and the metrics (in their units; NaN
for a failed run). Units are in the Parquet field metadata and in plan.json.

Read it with pandas (:func:`read_runs`, or ``pd.read_parquet("DIR/runs")``) or DuckDB
(``SELECT * FROM read_parquet('DIR/runs/*.parquet')``).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nppsim.errors import InputError
from nppsim.studies.plan import Plan, describe_plan

RUNS, TIMESERIES, STALE = "runs", "timeseries", "stale"


def run_file(run_id: int, key: str) -> str:
    """File name of a run's row (and of its time series)."""
    return f"run-{run_id:06d}-{key}.parquet"


def parse_run_file(name: str) -> tuple[int, str] | None:
    """``(run_id, key)`` of a run file name, or None for any other file."""
    if not (name.startswith("run-") and name.endswith(".parquet")):
        return None
    body = name[len("run-") : -len(".parquet")]
    rid, _, key = body.partition("-")
    if not rid.isdigit() or len(key) != 64:
        return None
    return int(rid), key


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write a Parquet file under a temporary name, then rename it (atomic on one filesystem)."""
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def _write_bytes_atomic(data: bytes, path: Path) -> None:
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def row_schema(plan: Plan) -> pa.Schema:
    """Schema of a run's row: fixed columns, parameters and metrics (units in field metadata)."""
    fields = [
        pa.field("run_id", pa.int64()),
        pa.field("run_key", pa.string()),
        pa.field("status", pa.string()),
        pa.field("tripped", pa.bool_()),
        pa.field("trip_signal", pa.string()),
        pa.field("message", pa.string()),
        pa.field("wall_s", pa.float64(), metadata={"unit": "s"}),
        pa.field("events", pa.string()),
    ]
    for p in plan.study.parameters:
        fields.append(
            pa.field(p.name, pa.float64(), metadata={"unit": p.unit, "role": "parameter"})
        )
    for m in plan.study.metrics:
        fields.append(pa.field(m.name, pa.float64(), metadata={"unit": m.unit, "role": "metric"}))
    return pa.schema(fields, metadata={"study": plan.study.name})


class Dataset:
    """The output folder of one study plan (see the module docstring)."""

    def __init__(self, root: Path, plan: Plan) -> None:
        self.root = Path(root)
        self.plan = plan
        self.schema = row_schema(plan)
        self.keys = {t.run_key: t.run_id for t in plan.tasks}

    @classmethod
    def prepare(cls, root: Path | str, plan: Plan) -> Dataset:
        """Create or reopen ``root`` for ``plan``: write the study, plan and samples; move rows
        of another plan to ``stale/``; remove temporary files of a stopped run."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise InputError(None, "--out", str(root), "a folder (this is a file)")
        old = root / "plan.json"
        if root.exists() and any(root.iterdir()) and not old.exists():
            raise InputError(None, "--out", str(root), "an empty folder or a study's output folder")
        if old.exists():
            held = json.loads(old.read_text(encoding="utf-8")).get("study")
            if held != plan.study.name:
                raise InputError(
                    None,
                    "--out",
                    str(root),
                    f"this folder holds study {held!r}, not {plan.study.name!r}: choose another",
                )
        ds = cls(root, plan)
        for sub in (RUNS, TIMESERIES):
            (root / sub).mkdir(parents=True, exist_ok=True)
        for sub in (RUNS, TIMESERIES):
            for f in (root / sub).iterdir():
                if f.name.startswith(".tmp-"):
                    f.unlink()
                    continue
                parsed = parse_run_file(f.name)
                if parsed is not None and ds.keys.get(parsed[1]) == parsed[0]:
                    continue
                dest = root / STALE / sub
                dest.mkdir(parents=True, exist_ok=True)
                shutil.move(str(f), dest / f.name)
        st = plan.study
        _write_bytes_atomic((st.text or "").encode(), root / "study.toml")
        _write_bytes_atomic(
            (json.dumps(describe_plan(plan), indent=2) + "\n").encode(), root / "plan.json"
        )
        samples = {
            "run_id": [t.run_id for t in plan.tasks],
            "run_key": [t.run_key for t in plan.tasks],
        }
        for j, p in enumerate(st.parameters):
            samples[p.name] = [t.values[j] for t in plan.tasks]
        schema = pa.schema(
            [ds.schema.field(n) for n in ("run_id", "run_key", *(p.name for p in st.parameters))]
        )
        write_atomic(pa.Table.from_pydict(samples, schema=schema), root / "samples.parquet")
        return ds

    def finished(self) -> set[str]:
        """Keys of the runs of this plan whose row is written."""
        out = set()
        for f in (self.root / RUNS).iterdir():
            parsed = parse_run_file(f.name)
            if parsed is not None and self.keys.get(parsed[1]) == parsed[0]:
                out.add(parsed[1])
        return out

    def write(self, row: dict[str, Any], timeseries: pd.DataFrame | None = None) -> Path:
        """Write one run's row (and time series first, so a row means the run is whole)."""
        name = run_file(int(row["run_id"]), str(row["run_key"]))
        if timeseries is not None:
            ts = pa.Table.from_pandas(timeseries, preserve_index=False)
            ts = ts.append_column("run_id", pa.array([row["run_id"]] * len(timeseries), pa.int64()))
            write_atomic(ts, self.root / TIMESERIES / name)
        table = pa.Table.from_pylist([row], schema=self.schema)
        path = self.root / RUNS / name
        write_atomic(table, path)
        return path


def read_plan(root: Path | str) -> dict[str, Any]:
    """The plan.json of a study's output folder."""
    path = Path(root) / "plan.json"
    if not path.exists():
        raise InputError(None, "DIR", str(root), "not a study's output folder (no plan.json)")
    return json.loads(path.read_text(encoding="utf-8"))


def read_samples(root: Path | str) -> pd.DataFrame:
    """Every planned run's id, key and parameter values."""
    return pd.read_parquet(Path(root) / "samples.parquet")


def read_runs(root: Path | str) -> pd.DataFrame:
    """The rows of the finished runs of the folder's current plan, sorted by ``run_id``."""
    root = Path(root)
    read_plan(root)
    files = sorted(
        f for f in (root / RUNS).glob("run-*.parquet") if parse_run_file(f.name) is not None
    )
    if not files:
        samples = read_samples(root)
        return samples.iloc[0:0]
    df = pa.concat_tables([pq.read_table(f) for f in files]).to_pandas()
    return df.sort_values("run_id", kind="stable").reset_index(drop=True)


def read_timeseries(root: Path | str, run_id: int) -> pd.DataFrame:
    """The full time series of one run (if the study kept them)."""
    matches = sorted((Path(root) / TIMESERIES).glob(f"run-{run_id:06d}-*.parquet"))
    if not matches:
        raise InputError(
            None, "run_id", run_id, "no time series kept for this run ([output] timeseries = true)"
        )
    return pd.read_parquet(matches[0])
