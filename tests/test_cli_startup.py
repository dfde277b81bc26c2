"""Start-up (issue 14, item 5): ``nppsim --help``, ``scenarios``, ``designs`` and error messages
load neither CoolProp nor Numba nor the heavy libraries; their time is a benchmark
(benchmarks/startup.py), not a test."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("CoolProp", "numba", "scipy", "pandas", "matplotlib", "pyarrow")

PROBE = """
import sys
sys.argv = ["nppsim", *{args!r}]
from nppsim import cli
try:
    cli.main()
except SystemExit:
    pass
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
print("HEAVY:", ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["run", "--help"],
        ["scenarios"],
        ["designs"],
        ["designs", "show", "vver1000-v446"],
        ["designs", "show", "vver1000-v446", "--sources"],
        ["run", "no-such-scenario"],
        ["run", "/no/such/file.toml"],
        ["run", "scram", "--out", "/dev/null"],
    ],
)
def test_light_commands_load_nothing_heavy(args):
    r = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in r.stderr, r.stderr
    line = [x for x in r.stderr.splitlines() if x.startswith("HEAVY:")][-1]
    assert line == "HEAVY: ", f"{args}: {line}"
