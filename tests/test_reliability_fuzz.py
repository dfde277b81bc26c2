"""Generated scenario and design files, valid and broken (issue 14, item 1): ``nppsim run`` ends
either with a result (exit 0, or 1 for a run stopped at the model's validity range, with
``run.json`` written) or with a one-line error (exit 2), never a traceback.

Few examples, short durations: each run that passes the checks builds a model and simulates.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nppsim.designs import _builtin_dir

V446 = (_builtin_dir() / "vver1000-v446.toml").read_text()
QUANTITY = re.compile(r"^(\w+) = \{ value = ([-+0-9.eE]+)", re.M)
LINES = QUANTITY.findall(V446)

# valid values are drawn more often than broken ones, so that some examples reach a run
quantities = st.sampled_from(["10 s", "20 s", "1 min", "10 s", "0 s", "-5 s", "72", "1e9 h", ""])
powers = st.sampled_from(["100 %", "50 %", "100 %", "5 %", "0 %", "150 %", "0.8", "full"])
pressures = st.sampled_from(["15 MPa", "12 MPa", "5 MPa", "0.05 MPa", "30 MPa", "15"])
temperatures = st.sampled_from(["289 degC", "300 degC", "350 degC", "-10 degC", "500 K"])
times = st.sampled_from(["1 s", "2 s", "5 s", "1 s", "-1 s", "1 h", "soon"])
events = st.one_of(
    st.fixed_dictionaries({"time": times, "kind": st.just("scram")}),
    st.fixed_dictionaries(
        {"time": times, "kind": st.just("pressure"), "target": pressures, "duration": times}
    ),
    st.fixed_dictionaries(
        {"time": times, "kind": st.just("inlet_temperature"), "target": temperatures}
    ),
    st.fixed_dictionaries(
        {
            "time": times,
            "kind": st.just("reactivity_step"),
            "rho": st.sampled_from(["50 pcm", "900 pcm", "-2000 pcm", "1 $"]),
        }
    ),
    st.fixed_dictionaries(
        {"time": times, "kind": st.just("pump_trip"), "pump": st.sampled_from([1, 9, "one"])}
    ),
    st.fixed_dictionaries({"time": times, "kind": st.sampled_from(["meltdown", 3])}),
)


@st.composite
def design_texts(draw) -> bytes:
    """The Bushehr 1 design, intact or with one value changed, a line dropped, or corrupted."""
    how = draw(
        st.sampled_from(
            ["intact", "intact", "intact", "value", "value", "drop", "truncate", "bytes"]
        )
    )
    text = V446
    if how == "value":
        name, old = draw(st.sampled_from(LINES))
        new = draw(st.sampled_from(["0", "-1", "1e9", "nan", '"x"', str(float(old) * 0.5)]))
        text = text.replace(f"{name} = {{ value = {old}", f"{name} = {{ value = {new}", 1)
    elif how == "drop":
        name, old = draw(st.sampled_from(LINES))
        text = re.sub(rf"^{name} = \{{ value = {re.escape(old)}.*\n", "", text, count=1, flags=re.M)
    elif how == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    data = text.encode()
    if how == "bytes":
        k = draw(st.integers(0, len(data)))
        data = data[:k] + b"\xff\xfe" + data[k:]
    return data


def toml_value(v: object) -> str:
    return json.dumps(v) if isinstance(v, str) else str(v)


def scenario_text(model: str, duration: str, power: str, critical: str, evs: list[dict]) -> str:
    lines = [
        "[scenario]",
        'name = "fuzz"',
        'title = "generated"',
        'design = "design.toml"',
        f"duration = {toml_value(duration)}",
        f"model = {toml_value(model)}",
        "[initial]",
        f"power = {toml_value(power)}",
        f"critical = {toml_value(critical)}",
    ]
    for e in evs:
        lines.append("[[events]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in e.items()]
    return "\n".join(lines) + "\n"


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """``nppsim ARGS`` in this process; any exception but SystemExit is a traceback."""
    from nppsim import cli

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    argv = sys.argv
    try:
        os.chdir(cwd)
        sys.argv = ["nppsim", *args]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main()
                code = 0
            except SystemExit as e:
                code = int(e.code or 0)
    finally:
        sys.argv = argv
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    design=design_texts(),
    model=st.sampled_from(["core"] * 6 + ["plant", "reactor"]),
    duration=quantities,
    power=powers,
    critical=st.sampled_from(["boron", "boron", "bank", "rods"]),
    evs=st.lists(events, max_size=2),
)
def test_a_result_or_a_one_line_error(design, model, duration, power, critical, evs):
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "design.toml").write_bytes(design)
        (cwd / "scenario.toml").write_text(scenario_text(model, duration, power, critical, evs))
        code, stdout, stderr = run_cli(["run", "scenario.toml", "--out", "out"], cwd)
        assert "Traceback" not in stdout + stderr
        event(f"exit status {code}")
        if code == 2:
            lines = [x for x in stderr.splitlines() if x.strip()]
            assert len(lines) == 1 and lines[0].startswith("error: "), stderr
            assert not (cwd / "out").exists()  # refused before anything was written
        else:
            assert code in (0, 1), (code, stdout, stderr)
            meta = json.loads((cwd / "out" / "run.json").read_text())
            assert meta["status"] == ("completed" if code == 0 else meta["status"])
            assert meta["status"] in ("completed", "stopped", "failed")
