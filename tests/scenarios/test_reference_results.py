"""Every built-in scenario keeps its recorded course (issue 7: unchanged behaviour, checked).

The references in ``tests/reference/scenarios/<name>.json`` were recorded from the plant model as
it stood before the rebuild (``tests/reference/make_reference.py``; each file names its commit).
This test runs each scenario with the current code and holds it to its reference:

- the run completes, to the scenario's end;
- the event log: every (kind, name) in the same number, each at its recorded time within the
  file's tolerance (exact for scheduled events; max(0.5 s, 1 % of the time since the first event)
  for trips, alarms and modes), and no event that is not in the reference;
- each pinned quantity at each pinned time (linear interpolation between recorded rows), and its
  maximum and minimum over the run, within the quantity's tolerance (the file's ``tol``; its
  reasoning in ``tolerances``, the measured numerical noise in ``noise``);
- the time of each maximum and minimum, inside the recorded windows where the reference is within
  tolerance of its extremum.

**A deliberate change** (a defect fixed) goes into :data:`CHANGES`, never into the JSON files
silently: one entry per changed value or event, with the reason naming the defect. The entry either
skips the pinned value (``Change(reason)``) or replaces it (``Change(reason, expected=...)``).
Keys:

``"<quantity>"``
    every pinned value of the quantity, its maximum and its minimum;
``"<quantity>@<time>"``
    the value at one pinned time (as written in ``times_s``, e.g. ``"boron_ppm@3000"``);
``"<quantity>@t>=<time>"``
    the values pinned at and after a time;
``"<quantity>:max"``, ``"<quantity>:min"``
    the extremum (its value and time);
``"event:<kind>:<name>"``
    every occurrence of that event: skipped (neither required nor forbidden), or with
    ``expected=<time [s]>`` required exactly once at that time (also for a new event).

Known defects recorded in the references (their notes say which values they touch): in
``boron-dilution`` the dilution stopped by the trip jumps from about 683 to 400 ppm when its
scheduled ramp end fires at 3051.1 s. The file's ``defect_affected`` lists the keys it touches.
A fix that leaves the boron at 683 ppm after the trip needs these five entries and no others
(checked by trying it); a fix that lets the dilution go on after the trip, as
docs/scenarios/boron-dilution.md describes, would change more::

    "boron-dilution": {
        key: Change("issue 7: a dilution stopped by the trip no longer jumps to 400 ppm "
                    "when its scheduled ramp end fires")
        for key in ["boron_ppm@t>=3051.1", "reactivity_boron@t>=3051.1",
                    "reactivity_total@t>=3051.1", "boron_ppm:min", "reactivity_boron:max"]
    },

The other known defect (``feedwater_pump_trip`` with ``count = 1`` trips the reactor instead of
the promised fast power reduction) is in no built-in scenario (``feedwater-loss`` trips both
pumps), so no reference carries it.

The plant scenarios are slow (10 s to several minutes each) and marked ``slow``; the core
scenarios and ``steady-state`` run in the quick suite.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from scenario_runs import run  # each scenario runs once per session, shared with the other tests

from nppsim.scenarios import builtin_names, load_scenario

REF_DIR = Path(__file__).resolve().parents[1] / "reference"
_spec = importlib.util.spec_from_file_location("make_reference", REF_DIR / "make_reference.py")
assert _spec is not None and _spec.loader is not None
mr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mr)

QUICK = {"scram", "xenon-transient", "rod-withdrawal", "steady-state"}


@dataclass(frozen=True)
class Change:
    """A deliberate departure from a reference: why (name the defect fixed), and the new value
    [SI] or event time [s] (``None``: the pinned value is no longer checked)."""

    reason: str
    expected: float | None = None


#: Deliberate changes per scenario (see the module docstring). Empty: the current code must
#: reproduce every reference as recorded. When references are re-made (a change of course too
#: wide for this table), the entries folded into them and the reasons go into
#: ``tests/reference/HISTORY.md``.
CHANGES: dict[str, dict[str, Change]] = {}


def reference(name: str) -> dict[str, Any]:
    return json.loads((REF_DIR / "scenarios" / f"{name}.json").read_text())


def _param(name: str) -> Any:
    marks = () if name in QUICK else (pytest.mark.slow,)
    return pytest.param(name, marks=marks, id=name)


SCENARIOS = [_param(n) for n in builtin_names()]


# -- the CHANGES table ---------------------------------------------------------------------------
_TIME_KEY = re.compile(r"(?P<q>\w+)@(?P<ge>t>=)?(?P<t>[0-9.eE+-]+)")


def _change_for(changes: dict[str, Change], q: str, t: float | None, which: str = "") -> Any:
    """The Change that applies to quantity ``q`` at pinned time ``t`` (or to its extremum
    ``which``), or None."""
    if q in changes:
        return changes[q]
    if which:
        return changes.get(f"{q}:{which}")
    for key, ch in changes.items():
        m = _TIME_KEY.fullmatch(key)
        if m and m["q"] == q and t is not None:
            tk = float(m["t"])
            if (m["ge"] and t >= tk - 1e-9) or (not m["ge"] and abs(t - tk) <= 1e-6 * max(1, tk)):
                return ch
    return None


def test_changes_name_pinned_values():
    """Every CHANGES entry names a scenario, quantity, time or event that the references hold
    (a stale or mistyped entry would silently check nothing)."""
    for name, changes in CHANGES.items():
        assert name in builtin_names(), f"CHANGES: {name!r} is not a built-in scenario"
        ref = reference(name)
        for key, ch in changes.items():
            assert ch.reason.strip(), f"CHANGES[{name!r}][{key!r}]: give the reason"
            if key.startswith("event:"):
                _, kind, ev_name = key.split(":", 2)
                known = any(e["kind"] == kind and e["name"] == ev_name for e in ref["events"])
                assert known or ch.expected is not None, (
                    f"CHANGES[{name!r}][{key!r}]: no such event in the reference; "
                    "give expected=<time> to require a new one"
                )
                continue
            q = re.split(r"[@:]", key)[0]
            assert q in ref["quantities"], f"CHANGES[{name!r}][{key!r}]: {q} is not pinned"
            m = _TIME_KEY.fullmatch(key)
            if m and not m["ge"]:
                t = float(m["t"])
                assert any(abs(t - tt) <= 1e-6 * max(1, t) for tt in ref["times_s"]), (
                    f"CHANGES[{name!r}][{key!r}]: {t:g} s is not a pinned time "
                    f"({', '.join(f'{x:g}' for x in ref['times_s'])})"
                )


def test_change_keys_select_what_they_name():
    """The CHANGES key grammar: a quantity, one time, from a time on, an extremum."""
    skip, new = Change("a fixed defect"), Change("a fixed defect", expected=1.0)
    changes = {"a": skip, "b@60": new, "c@t>=100": skip, "d:max": new}
    assert _change_for(changes, "a", 5.0) is skip and _change_for(changes, "a", None, "min")
    assert _change_for(changes, "b", 60.0) is new and _change_for(changes, "b", 61.0) is None
    assert _change_for(changes, "c", 99.9) is None and _change_for(changes, "c", 100.0) is skip
    assert _change_for(changes, "d", None, "max") is new
    assert _change_for(changes, "d", None, "min") is None and _change_for(changes, "d", 1.0) is None


def test_every_builtin_scenario_has_a_reference():
    have = sorted(p.stem for p in (REF_DIR / "scenarios").glob("*.json"))
    assert have == builtin_names(), "run tests/reference/make_reference.py for the missing ones"


# -- the checks ----------------------------------------------------------------------------------
def _fmt(x: float, unit: str) -> str:
    return f"{x:.6g} {unit}"


MAX_LINES = 40  # problems listed in one failure message (the rest counted)


def _report(name: str, what: str, problems: list[str]) -> str:
    shown = problems[:MAX_LINES]
    if len(problems) > MAX_LINES:
        shown.append(f"... and {len(problems) - MAX_LINES} more")
    return f"{name}: {len(problems)} {what} differ from the reference:\n  " + "\n  ".join(shown)


@pytest.mark.parametrize("name", SCENARIOS)
def test_status(name):
    ref, r = reference(name), run(name)
    assert r.status == ref["status"], f"{name}: status {r.status!r} ({r.message})"
    end = float(r.timeseries["time_s"].iloc[-1])
    assert end == pytest.approx(ref["end_time_s"], abs=1e-6), f"{name}: run ended at {end:g} s"


@pytest.mark.parametrize("name", SCENARIOS)
def test_events(name):
    """The same events (kind, name, count), each at its recorded time within tolerance."""
    ref, r = reference(name), run(name)
    changes = CHANGES.get(name, {})
    skipped = {k for k, ch in changes.items() if k.startswith("event:") and ch.expected is None}
    replaced = {
        k: ch.expected
        for k, ch in changes.items()
        if k.startswith("event:") and ch.expected is not None
    }

    def key(e: dict) -> str:
        return f"event:{e['kind']}:{e['name']}"

    t0 = min((e.time for e in load_scenario(name).events), default=0.0)
    expected = [
        (key(e), e["time_s"], e["time_tol_s"])
        for e in ref["events"]
        if key(e) not in skipped and key(e) not in replaced
    ]
    expected += [(k, t, mr.event_time_tol(t, t0)) for k, t in replaced.items()]
    got = [(key(e), float(e["time_s"])) for e in r.events if key(e) not in skipped]

    problems = []
    remaining = list(got)
    for k, t_ref, tol in sorted(expected, key=lambda x: x[1]):
        cands = [g for g in remaining if g[0] == k]
        if not cands:
            problems.append(f"missing {k} (reference at {t_ref:.4f} s)")
            continue
        best = min(cands, key=lambda g: abs(g[1] - t_ref))
        remaining.remove(best)
        if abs(best[1] - t_ref) > tol:
            problems.append(
                f"{k} at {best[1]:.4f} s, reference {t_ref:.4f} s, "
                f"diff {best[1] - t_ref:+.4f} s > tol {tol:.3g} s"
            )
    problems += [f"unexpected {k} at {t:.4f} s" for k, t in remaining]
    assert not problems, _report(name, "events", problems)


@pytest.mark.parametrize("name", SCENARIOS)
def test_pinned_values(name):
    """Each pinned quantity at each pinned time, within its tolerance."""
    ref, r = reference(name), run(name)
    df = r.timeseries
    changes = CHANGES.get(name, {})
    problems = []
    for q, entry in ref["quantities"].items():
        if q not in df:
            problems.append(f"{q}: not among the recorded quantities")
            continue
        tol, unit = entry["tol"], entry["unit"]
        for t, v_ref in zip(ref["times_s"], entry["values"], strict=True):
            ch = _change_for(changes, q, t)
            if ch is not None:
                if ch.expected is None:
                    continue
                v_ref = ch.expected
            got = mr.value_at(df, q, t)
            if not abs(got - v_ref) <= tol:
                problems.append(
                    f"{q} at t = {t:g} s: expected {_fmt(v_ref, unit)}, got {_fmt(got, unit)} "
                    f"(diff {got - v_ref:+.3g}, tol {tol:.3g} {unit})"
                )
    assert not problems, _report(name, "pinned values", problems)


@pytest.mark.parametrize("name", SCENARIOS)
def test_extrema(name):
    """The maximum and minimum of each pinned quantity, and when they occur."""
    ref, r = reference(name), run(name)
    df = r.timeseries
    changes = CHANGES.get(name, {})
    t0 = min((e.time for e in load_scenario(name).events), default=0.0)
    problems = []
    for q, entry in ref["quantities"].items():
        if q not in df:
            continue  # reported by test_pinned_values
        tol, unit = entry["tol"], entry["unit"]
        for which in ("max", "min"):
            ch = _change_for(changes, q, None, which)
            v_ref = entry[which]
            if ch is not None:
                if ch.expected is None:
                    continue
                v_ref = ch.expected
            got, t_got = mr.extremum(df, q, which)
            if not abs(got - v_ref) <= tol:
                problems.append(
                    f"{q} {which}: expected {_fmt(v_ref, unit)} at {entry[f't_{which}']:g} s, "
                    f"got {_fmt(got, unit)} at {t_got:g} s (tol {tol:.3g} {unit})"
                )
                continue
            if ch is not None:
                continue  # a replaced extremum: its time is not pinned
            slack = mr.event_time_tol(t_got, t0)
            windows = entry[f"t_{which}_windows"]
            if not any(lo - slack <= t_got <= hi + slack for lo, hi in windows):
                shown = ", ".join(f"{lo:g}-{hi:g} s" for lo, hi in windows)
                problems.append(
                    f"{q} {which} ({_fmt(got, unit)}) at {t_got:g} s: the reference is within "
                    f"tol of its {which} only in {shown} (slack {slack:.3g} s)"
                )
    assert not problems, _report(name, "extrema", problems)
