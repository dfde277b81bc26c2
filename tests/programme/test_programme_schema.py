"""The programme file: it loads, it says what the seed says, and bad data give clear messages."""

from __future__ import annotations

from typing import Any

import pytest
from programme_helpers import unit_of

from nppsim.designs import load_design
from nppsim.errors import InputError
from nppsim.programme import parse_programme


def test_iran_loads_with_every_unit(iran_case) -> None:
    prog = iran_case.programme
    ids = [u.id for u in prog.units]
    assert ids[:3] == ["bushehr-1", "bushehr-2", "bushehr-3"]
    assert {"hormoz-1", "hormoz-2", "hormoz-3", "hormoz-4", "karun-1"} <= set(ids)
    assert any(u.design == "ritm200n" for u in prog.units)
    for u in prog.units:
        load_design(u.design)


def test_statuses_follow_the_seed(iran_case) -> None:
    prog = iran_case.programme
    status = {u.id: u.status for u in prog.units}
    assert status["bushehr-1"] == "operating"
    assert status["bushehr-2"] == status["bushehr-3"] == "under construction"
    assert all(status[f"hormoz-{i}"] == "contracted" for i in range(1, 5))
    paragraphs = {s.paragraph: s for s in prog.statements}
    assert "sanctions" in paragraphs[9].text and "bushehr-3.status" in paragraphs[9].supports
    assert "five thousand megawatts" in paragraphs[11].text
    assert "allocated" in paragraphs[5].text


def test_karun_is_300_mwe_with_its_status(iran_case) -> None:
    karun = iran_case.programme.unit("karun-1")
    assert load_design(karun.design).rating.power_electric_net.si == pytest.approx(300e6)
    assert karun.status == "planned" and "first concrete" in karun.status_note


def _error(data: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        parse_programme(data, "iran.toml")
    return info.value


def test_unknown_design_names_unit_and_field(raw) -> None:
    unit_of(raw, "bushehr-2")["design"] = "vver-9999"
    e = _error(raw)
    assert e.field == "units[bushehr-2].design"
    assert "unknown design" in str(e) and "vver-9999" in str(e) and "iran.toml" in str(e)


def test_end_before_start_names_unit_and_field(raw) -> None:
    unit_of(raw, "bushehr-1")["commercial_operation"]["date"] = "2010-01-01"
    e = _error(raw)
    assert e.field == "units[bushehr-1].commercial_operation.date"
    assert "end before start" in str(e)


def test_triangular_start_out_of_order(raw) -> None:
    start = unit_of(raw, "bushehr-3")["construction_start"]
    start["low"], start["high"] = start["high"], start["low"]
    e = _error(raw)
    assert e.field == "units[bushehr-3].construction_start"
    assert "low <= mode <= high" in str(e)


def test_capacity_factor_above_one_in_a_record(raw) -> None:
    unit_of(raw, "bushehr-1")["record"]["load_factor"]["value"][3] = 120.0
    e = _error(raw)
    assert e.field == "units[bushehr-1].record.load_factor"
    assert "between 0 and 1" in str(e)


def test_capacity_factor_above_one_in_a_distribution(raw) -> None:
    raw["distributions"]["availability-smr"]["high"]["value"] = 1.2
    e = _error(raw)
    assert e.field == "distributions.availability-smr.high"
    assert "between 0 and 1" in str(e)


def test_ramp_up_above_one(raw) -> None:
    raw["classes"]["smr"]["ramp_up"]["value"] = [0.5, 1.4]
    e = _error(raw)
    assert e.field == "classes.smr.ramp_up"


@pytest.mark.parametrize("bad", ["2019/09/27", "27.09.2019", "2019-9-27", "September 2019"])
def test_date_in_a_wrong_format(raw, bad: str) -> None:
    unit_of(raw, "bushehr-2")["construction_start"]["date"] = bad
    e = _error(raw)
    assert e.field == "units[bushehr-2].construction_start.date"
    assert "YYYY-MM-DD" in str(e)


def test_string_dates_are_accepted(raw) -> None:
    unit_of(raw, "bushehr-2")["construction_start"]["date"] = "2019-09-27"
    prog = parse_programme(raw, "iran.toml")
    assert prog.unit("bushehr-2").construction_start.date.isoformat() == "2019-09-27"


def test_unknown_distribution_and_class(raw) -> None:
    unit_of(raw, "hormoz-1")["construction_start"]["delay"] = "no-such"
    assert _error(raw).field == "units[hormoz-1].construction_start.delay"


def test_unknown_field_is_refused(raw) -> None:
    unit_of(raw, "smr-1")["capacity"] = 55
    e = _error(raw)
    assert e.field == "units[smr-1].capacity"


def test_after_unit_must_come_earlier(raw) -> None:
    unit_of(raw, "hormoz-2")["construction_start"]["after"] = "unit:hormoz-3"
    assert _error(raw).field == "units[hormoz-2].construction_start.after"


def test_estimate_without_note_is_refused(raw) -> None:
    del raw["projects"]["hormoz"]["p_proceed"]["note"]
    e = _error(raw)
    assert e.field == "projects.hormoz.p_proceed"
    assert "note" in str(e)
