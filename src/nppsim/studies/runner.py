"""Running a study: every planned run on Dask workers, each outcome written as it arrives.

:func:`run_study` plans the study (:mod:`nppsim.studies.plan`), opens the output folder
(:mod:`nppsim.studies.dataset`), skips the runs already written there, and sends the others to
Dask: a local cluster of worker processes (``workers``, one thread each), or the workers of an
existing scheduler (``scheduler="tcp://host:8786"``). Each outcome is written by this process as
soon as it arrives, so the workers need no shared disk. A run that fails (solver failure, a value
the model refuses, a defect) is a row with status ``failed`` and its message; a run that kills its
worker process repeatedly is one too; the study goes on.

Interruption (Ctrl-C, SIGTERM) is held off while a row is being written; then the outcomes that
workers have already computed are written too, and the study stops: nothing finished is lost,
and a rerun fills in the rest.

``workers=0`` runs everything in this process without Dask (debugging, small studies).

A run is a pure function of its inputs (:func:`nppsim.engine.run.run`), so the dataset is the same
(bit for bit, but for the wall times) whatever the number of workers or their order.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from nppsim.studies.dataset import Dataset
from nppsim.studies.metrics import reduce
from nppsim.studies.plan import (
    Job,
    Plan,
    RunTask,
    StudyError,
    check_quantities,
    make_plan,
    recorded_quantities,
)
from nppsim.studies.schema import Study

log = logging.getLogger(__name__)

Outcome = dict[str, Any]


# -- one run, on a worker ---------------------------------------------------------------------
def execute(job: Job, task: RunTask) -> Outcome:
    """Run one task and reduce it to its row (and time series, if kept).

    Never raises for a problem of the run itself: a design value the model refuses, a solver
    failure or a defect gives a ``failed`` row with the message.
    """
    from nppsim.engine.run import RunSpec, run

    t0 = time.perf_counter()
    row = blank_row(job, task)
    ts = None
    try:
        design = job.design.with_overrides(task.overrides) if task.overrides else job.design
        scenario = task.scenario or job.scenario
        res = run(RunSpec(scenario=scenario, design=design, solver=job.solver))
    except Exception as e:  # the study goes on: the failure is this run's outcome
        row["message"] = f"{type(e).__name__}: {e}"
    else:
        row["status"] = "completed" if res.status == "completed" else "failed"
        row["message"] = res.message
        trips = [e for e in res.events if e["kind"] == "trip"]
        row["tripped"] = bool(trips)
        row["trip_signal"] = str(trips[0]["name"]) if trips else ""
        row["events"] = json.dumps(res.events, default=str)
        if row["status"] == "completed":
            try:
                for m in job.metrics:
                    row[m.name] = float(reduce(m, res.timeseries, res.events, scenario.duration))
            except Exception as e:
                row["status"] = "failed"
                row["message"] = f"metric: {type(e).__name__}: {e}"
                row.update({m.name: math.nan for m in job.metrics})
        if job.timeseries:
            ts = res.timeseries
    row["wall_s"] = time.perf_counter() - t0
    return {"row": row, "timeseries": ts}


def blank_row(job: Job, task: RunTask, message: str = "") -> dict[str, Any]:
    """A failed run's row: its parameters, NaN metrics and ``message``."""
    row: dict[str, Any] = {
        "run_id": task.run_id,
        "run_key": task.run_key,
        "status": "failed",
        "tripped": False,
        "trip_signal": "",
        "message": message,
        "wall_s": math.nan,
        "events": "[]",
    }
    row.update(dict(zip(job.parameters, task.values, strict=True)))
    row.update({m.name: math.nan for m in job.metrics})
    return row


def warm_up(job: Job) -> str:
    """Load the engine on a worker (imports, compiled kernels, one steady state); its version."""
    from nppsim import __version__
    from nppsim.engine.run import RunSpec, build

    build(RunSpec(scenario=job.scenario, design=job.design, solver=job.solver))
    return __version__


# -- the study, from this process ---------------------------------------------------------------
@dataclass
class StudyReport:
    """What :func:`run_study` did."""

    out: Path
    runs: int
    skipped: int
    ran: int
    failed: int
    interrupted: bool
    wall_s: float
    compute_s: float  # from the first run sent to the last outcome written (workers ready)
    worker_cpu_s: float = math.nan  # CPU time the Dask workers used over compute_s


class _Interrupts:
    """SIGINT and SIGTERM raise KeyboardInterrupt, but not while a row is being written."""

    def __init__(self) -> None:
        self.critical = False
        self.pending = False
        self._old: dict[int, Any] = {}

    def _handler(self, signum: int, frame: Any) -> None:
        if self.critical:
            self.pending = True
            return
        raise KeyboardInterrupt

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                self._old[s] = signal.signal(s, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for s, h in self._old.items():
            signal.signal(s, h)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold interrupts off; raise a held one afterwards."""
        self.critical = True
        try:
            yield
        finally:
            self.critical = False
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_study(
    study: Study,
    out: Path | str,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    on_outcome: Callable[[dict[str, Any], int, int], None] | None = None,
    on_status: Callable[[str], None] | None = None,
    plan: Plan | None = None,
    on_start: Callable[[int], None] | None = None,
) -> StudyReport:
    """Run every run of ``study`` not yet in ``out`` (see the module docstring).

    Parameters
    ----------
    study : Study
        The checked study (:func:`nppsim.studies.load_study`).
    out : path
        The output folder (created if absent; a rerun skips what it holds).
    workers : int, optional
        Worker processes of the local Dask cluster (default: the cores available); 0 runs in
        this process without Dask. Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a running Dask scheduler whose workers run the study.
    on_outcome : callable, optional
        Called as ``on_outcome(row, done, total)`` after each row is written.
    on_status : callable, optional
        Called with a line of text at each stage (planning, starting workers...).
    plan : Plan, optional
        The study's plan, if already made.
    on_start : callable, optional
        Called with the number of runs already done, before any run starts.
    """
    say = on_status or (lambda s: None)
    t_start = time.perf_counter()
    plan = plan or make_plan(study)
    check_quantities(study, recorded_quantities(study))
    ds = Dataset.prepare(out, plan)
    done = ds.finished()
    todo = [t for t in plan.tasks if t.run_key not in done]
    total = len(plan.tasks)
    count = {"done": total - len(todo)}
    say(f"{total} runs planned, {total - len(todo)} already in {out}, {len(todo)} to run")
    report = StudyReport(Path(out), total, total - len(todo), 0, 0, False, 0.0, 0.0)
    if on_start is not None:
        on_start(total - len(todo))
    if not todo:
        report.wall_s = time.perf_counter() - t_start
        return report

    def record(outcome: Outcome) -> None:
        ds.write(outcome["row"], outcome["timeseries"])
        count["done"] += 1
        report.ran += 1
        if outcome["row"]["status"] != "completed":
            report.failed += 1
        if on_outcome is not None:
            on_outcome(outcome["row"], count["done"], total)

    with _Interrupts() as intr:
        try:
            if scheduler is None and workers == 0:
                t0 = time.perf_counter()
                for task in todo:
                    outcome = execute(plan.job, task)
                    with intr.held():
                        record(outcome)
                report.compute_s = time.perf_counter() - t0
            else:
                report.compute_s, report.worker_cpu_s = _run_dask(
                    plan.job, todo, workers, scheduler, record, intr, say
                )
        except KeyboardInterrupt:
            report.interrupted = True
    report.wall_s = time.perf_counter() - t_start
    return report


def _run_dask(
    job: Job,
    todo: list[RunTask],
    workers: int | None,
    scheduler: str | None,
    record: Callable[[Outcome], None],
    intr: _Interrupts,
    say: Callable[[str], None],
) -> tuple[float, float]:
    """Run ``todo`` on Dask; return the compute time [s] (workers ready to last outcome) and the
    CPU time the workers used meanwhile [s]."""
    from distributed import Client, LocalCluster, as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    with contextlib.ExitStack() as stack:
        if scheduler is None:
            n = workers or default_workers()
            say(f"starting a local Dask cluster of {n} worker processes")
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                    preload=["nppsim.studies.worker"],
                )
            )
            client = stack.enter_context(Client(cluster))
            client.wait_for_workers(n)
        else:
            say(f"connecting to the Dask scheduler at {scheduler}")
            try:
                client = stack.enter_context(Client(scheduler, timeout="30s"))
                client.wait_for_workers(1, timeout=60)
            except (OSError, TimeoutError) as e:
                raise StudyError(
                    f"no Dask scheduler with workers at {scheduler}: {type(e).__name__}: {e}"
                ) from None
        n_workers = len(client.scheduler_info()["workers"])
        say(f"{n_workers} workers: loading the engine on each")
        job_f = client.scatter(job, broadcast=True, hash=False)
        try:
            versions = client.run(warm_up, job)
        except Exception as e:
            raise StudyError(
                f"a Dask worker cannot run nppsim ({type(e).__name__}: {e}); install the same "
                "nppsim on every worker"
            ) from None
        from nppsim import __version__

        other = {w: v for w, v in versions.items() if v != __version__}
        if other:
            say(f"warning: workers with another nppsim version than {__version__}: {other}")
        say(f"running {len(todo)} runs on {n_workers} workers")
        cpu0 = client.run(time.process_time)
        t0 = time.perf_counter()
        futures = [
            client.submit(execute, job_f, t, key=f"nppsim-run-{t.run_key}", pure=False)
            for t in todo
        ]
        task_of = {f.key: t for f, t in zip(futures, todo, strict=True)}
        pending = set(futures)
        try:
            for f in as_completed(futures):
                outcome = _outcome(f, job, task_of[f.key], KilledWorker, FutureCancelledError)
                with intr.held():
                    record(outcome)
                    pending.discard(f)
                f.release()
        except KeyboardInterrupt:
            say("interrupted: writing the runs already computed")
            for f in list(pending):
                if f.status == "finished":
                    with contextlib.suppress(Exception), intr.held():
                        record(f.result(timeout=10))
            client.cancel(list(pending))
            raise
        elapsed = time.perf_counter() - t0
        try:
            cpu1 = client.run(time.process_time)
            cpu = sum(cpu1[w] - cpu0[w] for w in cpu1 if w in cpu0)
        except Exception:  # a worker gone: no figure
            cpu = math.nan
        return elapsed, cpu


def _outcome(
    f: Any,
    job: Job,
    task: RunTask,
    killed: type[BaseException],
    cancelled: type[BaseException],
) -> Outcome:
    """The outcome of a finished future; a run that killed its workers is a failed run."""
    try:
        return f.result()
    except killed as e:
        msg = f"the run killed its worker process repeatedly: {e}"
        return {"row": blank_row(job, task, msg), "timeseries": None}
    except cancelled:
        raise StudyError(
            "the Dask scheduler cancelled the study's runs (scheduler lost?)"
        ) from None
    except OSError as e:
        raise StudyError(f"lost the Dask scheduler: {e}") from None


def outcomes_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame sorted by run id (for tests and notebooks)."""
    return pd.DataFrame(rows).sort_values("run_id").reset_index(drop=True)
