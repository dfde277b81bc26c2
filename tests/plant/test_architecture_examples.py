"""The worked examples of docs/architecture.md are true: the "how to add a component" cooler
declares itself consistently (the network builds it up to the step the doc names next: registering
the kind in the kernel) and its kernel is the lag the doc describes; the "how to add a design"
example is the three-loop file the tests run (tests/plant/test_three_loops.py)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from nppsim.plant.network import Network, NetworkError

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"


def _cooler_module(tmp_path: Path) -> dict:
    """The example's code, written to a file (Numba's cache needs one) and imported."""
    import importlib.util

    text = DOC.read_text(encoding="utf-8")
    block = re.search(
        r"1\. Write `src/nppsim/plant/components/cooler.py`:\s*```python\n(.*?)```", text, re.S
    )
    assert block, "the cooler example is gone from docs/architecture.md"
    path = tmp_path / "cooler_example.py"
    path.write_text(block.group(1), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("cooler_example", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


def test_cooler_example_declares_consistently_up_to_kernel_registration(v446, tmp_path):
    from nppsim.plant.assemble import core_network

    ns = _cooler_module(tmp_path)
    base = core_network(v446)
    cooler = ns["Cooler"]("cooler", 2e6, 30.0, "temp_coolant_outlet_k")
    fresh = [type(c).__new__(type(c)) for c in base.components]
    for new, old in zip(fresh, base.components, strict=True):
        new.__dict__.update(old.__dict__)
        new._declared = None
    conn = {
        "core.pressure": "boundary.pressure",
        "core.h_in": "boundary.h_in",
        "core.flow": "boundary.flow",
        "core.rod_demand": "rods.demand",
        "core.boron_rate": "boron.rate",
    }
    with pytest.raises(NetworkError, match="kind code 90 unknown to the kernel"):
        Network([*fresh, cooler], conn)
    # every field of the example's record was declared (else the builder stops earlier)
    assert set(cooler.declared.record) == set(ns["F"].__members__)
    assert cooler.declared.ports["temp"] == "temp_coolant_outlet_k"


def test_cooler_example_kernel_is_a_first_order_lag(tmp_path):
    ns = _cooler_module(tmp_path)
    F = ns["F"]
    # a hand-made record: every field points at index 0 of its array (W_HEAT at signal 1)
    ip = np.zeros(len(F), dtype=np.int64)
    ip[F.W_HEAT] = 1
    y = np.array([1.0e6])
    p = np.array([2.0e6, 30.0])  # UA [W/K], time constant [s]
    d = np.array([1.0])  # switched on
    w = np.array([350.0, 0.0])  # plenum temperature [K], heat signal
    dydt = np.zeros(1)
    ns["derivatives"].py_func(0.0, y, p, ip, d, w, dydt, 0)
    target = 2.0e6 * (350.0 - 308.15)
    assert dydt[0] == pytest.approx((target - 1.0e6) / 30.0)
    ns["signals"].py_func(0.0, y, p, ip, d, w, 0)
    assert w[1] == y[0]


def test_add_a_design_example_is_the_three_loop_test_file():
    text = DOC.read_text(encoding="utf-8")
    assert "tests/data/vver1000-v446-3loop.toml" in text
    assert "tests/plant/test_three_loops.py" in text
    design = tomllib.loads((ROOT / "tests" / "data" / "vver1000-v446-3loop.toml").read_text())
    for section, key, value in (
        ("primary", "loops", 3),
        ("pumps", "count", 3),
        ("steam_generators", "count", 3),
        ("primary", "surge_line_loop", 3),
    ):
        assert design[section][key] == value
        assert f"{key} = {value}" in text
    for section, key in (
        ("primary", "loop_flow"),
        ("pumps", "rated_flow"),
        ("pumps", "inertia"),
        ("steam_generators", "thermal_power"),
        ("steam_generators", "tube_count"),
        ("turbine", "bru_a_capacity"),
    ):
        value = design[section][key]["value"]
        assert f"{key} = {{ value = {value:g}," in text, (section, key)
