"""Study files: the built-in ones load; every bad input is an InputError naming file and field."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from study_helpers import SMALL_GRID, write_study

from nppsim.errors import InputError
from nppsim.studies import builtin_names, load_study, make_plan
from nppsim.studies.plan import check_quantities


def test_builtin_studies_load_with_their_run_counts():
    assert {"turbine-trip-pressure", "rcp-trip-power", "rod-withdrawal-power"} <= set(
        builtin_names()
    )
    tt = load_study("turbine-trip-pressure")
    assert tt.scenario.name == "turbine-trip"
    assert [p.path for p in tt.parameters] == [
        "pumps.inertia",
        "turbine.bru_k_capacity",
        "pressurizer.spray_max_flow",
    ]
    assert len(make_plan(tt).tasks) == 64
    rcp = load_study("rcp-trip-power")
    assert rcp.scenario.name == "rcp-trip-one"
    assert len(make_plan(rcp).tasks) == 32 * (3 + 2)
    assert len(make_plan(load_study("rod-withdrawal-power")).tasks) == 64


def test_small_grid_plan(small_grid):
    st = load_study(small_grid)
    plan = make_plan(st)
    assert len(plan.tasks) == 4
    # the first parameter varies slowest; values in the parameters' units, overrides in SI
    assert [t.values for t in plan.tasks] == [
        (-3.0, 0.5),
        (-3.0, 0.65),
        (-2.2, 0.5),
        (-2.2, 0.65),
    ]
    assert plan.tasks[1].overrides == {
        "reactivity.doppler_coefficient": pytest.approx(-3.0e-5, rel=1e-15),
        "rods.banks[G10].speed": pytest.approx(0.0065, rel=1e-15),
    }
    assert len(set(plan.keys)) == 4
    assert make_plan(st).keys == plan.keys  # same file, same keys


def _error(tmp_path: Path, old: str, new: str) -> InputError:
    text = SMALL_GRID.replace(old, new, 1)
    assert text != SMALL_GRID, f"test setup: {old!r} not found"
    path = write_study(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load_study(path)
    assert exc.value.file == str(path)
    return exc.value


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ('name = "small-grid"', 'name = "small-grid"\ncolour = "red"', "study.colour", "Extra"),
        ('scenario = "rod-withdrawal"', 'scenario = "no-such"', "study.scenario", "no such"),
        ('method = "grid"', 'method = "latin"', "sampler.method", "grid"),
        (
            'design = "reactivity.doppler_coefficient"',
            'design = "reactivity.dopler"',
            "parameters[0].design",
            "no field 'dopler'",
        ),
        (
            'design = "rods.banks[G10].speed"',
            'design = "rods.banks[G11].speed"',
            "parameters[1].design",
            "no item named 'G11'",
        ),
        ('unit = "pcm/K"', 'unit = "MPa"', "parameters[0].unit", "same kind"),
        ('unit = "pcm/K"', 'unit = "furlong"', "parameters[0].unit", "unknown unit"),
        (
            "values = [-3.0, -2.2]",
            "values = [-3.0, 5.0]",
            "parameters[0]",
            "outside the range of reactivity.doppler_coefficient",
        ),
        ("values = [-3.0, -2.2]", "values = [-3.0, -3.0]", "parameters[0].values", "once"),
        (
            "values = [-3.0, -2.2]",
            'distribution = "uniform"\nlow = -3.0',
            "parameters[0].high",
            "needs low, high",
        ),
        (
            "values = [-3.0, -2.2]",
            'distribution = "uniform"\nlow = -2.0\nhigh = -3.0\nlevels = 3',
            "parameters[0].high",
            "greater than low",
        ),
        (
            "values = [-3.0, -2.2]",
            'distribution = "normal"\nmean = -2.5\nstd = 0.0\nlevels = 2',
            "parameters[0].std",
            "greater than 0",
        ),
        (
            "values = [-3.0, -2.2]",
            'distribution = "uniform"\nlow = -3.0\nhigh = -2.0',
            "parameters[0].levels",
            "levels",
        ),
        (
            "values = [-3.0, -2.2]",
            'distribution = "uniform"\nlow = -3.0\nhigh = -2.0\nmean = 1.0\nlevels = 2',
            "parameters[0].mean",
            "not a parameter of a uniform",
        ),
        ('name = "doppler"', 'name = "peak_power"', "metrics[0].name", "unique"),
        ('name = "doppler"', 'name = "status"', "parameters[0].name", "reserved"),
        ('name = "doppler"', 'name = "Doppler"', "parameters[0].name", "pattern"),
        ('unit = "MW"', 'unit = "MPa"', "metrics[0].unit", "power"),
        ('unit = "MWh"', 'unit = "MW"', "metrics[2].unit", "integral"),
        ('reduce = "final"', 'reduce = "at"', "metrics[1].at", "needs at"),
        ('reduce = "final"', 'reduce = "at"\nat = "2 h"', "metrics[1].at", "within the scenario"),
        ('reduce = "final"', 'reduce = "final"\nfrom = "1 s"', "metrics[1].from", "not used"),
        ('from = "30 s"', 'from = "30 furlongs"', "metrics[2].from", "unit"),
        ('event = "trip"', 'quantity = "power_relative"', "metrics[3].event", "event kind"),
    ],
)
def test_bad_study_files(tmp_path, old, new, field, words):
    err = _error(tmp_path, old, new)
    assert err.field == field
    assert words.lower() in str(err).lower()


def test_sampler_rules(tmp_path):
    err = _error(tmp_path, 'method = "grid"', 'method = "grid"\nsamples = 5')
    assert err.field == "sampler.samples" and "4 points" in err.allowed
    err = _error(tmp_path, 'method = "grid"', 'method = "monte-carlo"\nsamples = 8')
    assert err.field == "sampler.seed"
    err = _error(tmp_path, 'method = "grid"', 'method = "sobol-sequence"\nsamples = 6\nseed = 1')
    assert err.field == "sampler.samples" and "power of two" in err.allowed
    err = _error(tmp_path, 'method = "grid"', 'method = "sobol"\nsamples = 12\nseed = 1')
    assert err.field == "sampler.samples"
    err = _error(tmp_path, 'method = "grid"', 'method = "latin-hypercube"\nseed = 1')
    assert err.field == "sampler.samples"


def test_scenario_parameter_refused_by_the_scenario(tmp_path):
    text = SMALL_GRID.replace(
        'design = "rods.banks[G10].speed"\nunit = "%/s"\nvalues = [0.5, 0.65]',
        'scenario = "events[withdraw G10].time"\nunit = "s"\nvalues = [10, 1200]',
    )
    path = write_study(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load_study(path)
    assert exc.value.field == "parameters[1]" and "1200 s" in str(exc.value)
    text = text.replace("values = [10, 1200]", "values = [10, 60]").replace(
        'unit = "s"\nvalues = [10, 60]', 'unit = "%"\nvalues = [10, 60]'
    )
    path = write_study(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load_study(path)
    assert "unit '%' is not allowed" in str(exc.value)


def test_unbounded_draw_outside_the_design_range_is_refused_before_running(tmp_path):
    # a normal Doppler coefficient around -0.5 pcm/K draws positive values (not allowed)
    text = SMALL_GRID.replace('method = "grid"', 'method = "monte-carlo"\nsamples = 64\nseed = 3')
    text = text.replace(
        "values = [-3.0, -2.2]", 'distribution = "normal"\nmean = -0.5\nstd = 0.5'
    ).replace("values = [0.5, 0.65]", 'distribution = "uniform"\nlow = 0.5\nhigh = 0.65')
    st = load_study(write_study(tmp_path, text))
    with pytest.raises(InputError) as exc:
        make_plan(st)
    assert exc.value.field == "parameters[0]" and "truncate" in exc.value.allowed
    # truncated, it plans
    st = load_study(write_study(tmp_path, text.replace("std = 0.5", "std = 0.5\nhigh = 0.0")))
    plan = make_plan(st)
    assert max(t.values[0] for t in plan.tasks) <= 0.0


def test_metric_quantity_must_be_recorded(small_grid):
    st = load_study(small_grid)
    with pytest.raises(InputError) as exc:
        check_quantities(st, ["power_relative", "time_s"])
    assert exc.value.field == "metrics[0].quantity" and "power_relative" in exc.value.allowed


def test_metric_units_convert(small_grid):
    st = load_study(small_grid)
    m = {d.name: d for d in st.metrics}
    assert (m["peak_power"].factor, m["peak_power"].offset) == (1e6, 0.0)
    assert m["final_power"].factor == pytest.approx(0.01)
    assert m["energy"].factor == 3.6e9
    assert m["trip_time"].factor == 1.0 and m["trip_time"].event == "trip"
    assert math.isclose(m["energy"].from_s, 30.0)


def test_cli_reports_a_bad_study_in_one_line(tmp_path):
    path = write_study(tmp_path, SMALL_GRID.replace('unit = "pcm/K"', 'unit = "MPa"'))
    r = subprocess.run(
        [sys.executable, "-m", "nppsim.cli", "study", "run", str(path), "--workers", "0"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "parameters[0].unit" in r.stderr and str(path) in r.stderr
