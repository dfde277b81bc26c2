"""Scenario files: built-in ones load; bad ones give one line naming file, field and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from nppsim.errors import InputError
from nppsim.scenarios import builtin_names, load_scenario

GOOD = """
[scenario]
name = "t"
title = "test"
design = "vver1000-v446"
duration = "{duration}"

[initial]
power = "{power}"

[[events]]
time = "{time}"
kind = "scram"
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "sc.toml"
    p.write_text(text)
    return p


def test_builtin_scenarios_load():
    names = builtin_names()
    for required in ("rod-withdrawal", "scram", "xenon-transient"):
        assert required in names
    for n in names:
        sc = load_scenario(n)
        assert sc.duration > 0
        assert sc.scenario.title


def test_durations_are_parsed_with_units(tmp_path):
    sc = load_scenario(_write(tmp_path, GOOD.format(duration="72 h", power="100 %", time="1 min")))
    assert sc.duration == 72 * 3600.0
    assert sc.events[0].time == 60.0


@pytest.mark.parametrize(
    ("text", "field", "value_part"),
    [
        ("[scenario\nname=1", "<toml>", "malformed"),
        (
            GOOD.format(duration="72 h", power="100 %", time="1 min").replace(
                'title = "test"\n', ""
            ),
            "scenario.title",
            "missing",
        ),
        (
            GOOD.format(duration="72 h", power="100 %", time="1 min").replace(
                "vver1000-v446", "rbmk"
            ),
            "scenario.design",
            "rbmk",
        ),
        (GOOD.format(duration="-5 h", power="100 %", time="1 min"), "scenario.duration", "-5 h"),
        (GOOD.format(duration="72", power="100 %", time="1 min"), "scenario.duration", "72"),
        (GOOD.format(duration="1 h", power="100 %", time="2 h"), "events", ""),
        (GOOD.format(duration="1 h", power="120 %", time="1 min"), "initial.power", "120 %"),
    ],
    ids=[
        "malformed",
        "missing-field",
        "unknown-design",
        "negative-duration",
        "unitless-duration",
        "event-after-end",
        "power-above-100",
    ],
)
def test_bad_scenarios_give_one_line_naming_file_field_value(tmp_path, text, field, value_part):
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load_scenario(path)
    msg = str(exc.value)
    assert "\n" not in msg.strip()
    assert str(path) in msg
    assert field in msg
    assert value_part in msg


def test_unknown_bank_is_named(tmp_path):
    text = GOOD.format(duration="1 h", power="100 %", time="1 min").replace(
        'kind = "scram"', 'kind = "bank"\nbank = "G99"\ntarget = "50 %"'
    )
    with pytest.raises(InputError, match=r"events\[0\]\.bank.*G99.*G10"):
        load_scenario(_write(tmp_path, text))
