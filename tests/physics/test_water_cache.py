"""Tests of the on-disk cache of the property tables and of the lazy CoolProp import."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from nppsim.physics import saturation, tables


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder and an empty in-process cache (restored afterwards)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tables.clear_memory_cache()
    yield tmp_path / "nppsim"
    tables.clear_memory_cache()


def _small_grid() -> saturation.SaturationGrid:
    return saturation.SaturationGrid(n=60)  # a cheap table for cache mechanics


def test_table_is_written_once_then_read_back_bit_for_bit(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = saturation.saturation_table(_small_grid(), cache=False)
    first = saturation.saturation_table(_small_grid())
    files = list(cache_home.glob("water-sat-*.npy"))
    assert len(files) == 1
    assert not list(cache_home.glob("*.tmp"))  # written under a temporary name, then renamed
    np.testing.assert_array_equal(first, built)  # building is deterministic

    tables.clear_memory_cache()

    def no_build(grid: object) -> None:
        raise AssertionError("built again although cached on disk")

    monkeypatch.setattr(saturation, "_build_saturation", no_build)
    second = saturation.saturation_table(_small_grid())
    assert second.tobytes() == built.tobytes()


def test_returned_tables_are_independent_copies(cache_home: Path) -> None:
    a = saturation.saturation_table(_small_grid())
    b = saturation.saturation_table(_small_grid())
    a[40] = -1.0
    assert b[40] != -1.0
    assert saturation.saturation_table(_small_grid())[40] != -1.0


def test_another_grid_is_another_file(cache_home: Path) -> None:
    saturation.saturation_table(_small_grid())
    saturation.saturation_table(saturation.SaturationGrid(n=61))
    assert len(list(cache_home.glob("water-sat-*.npy"))) == 2


def test_a_damaged_cache_file_is_rebuilt(cache_home: Path) -> None:
    good = saturation.saturation_table(_small_grid())
    (path,) = cache_home.glob("water-sat-*.npy")
    path.write_bytes(b"not a table")
    tables.clear_memory_cache()
    again = saturation.saturation_table(_small_grid())
    assert again.tobytes() == good.tobytes()
    assert np.load(path).tobytes() == good.tobytes()  # and the file is whole again


def test_unwritable_cache_folder_builds_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be created under a file")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    tables.clear_memory_cache()
    try:
        table = saturation.saturation_table(_small_grid())
    finally:
        tables.clear_memory_cache()
    assert table.size > 0 and blocker.is_file()


def test_cache_key_names_versions_grid_and_builder_source() -> None:
    spec = {"n": 60}
    key = tables.cache_key("sat", spec, "nppsim.physics.saturation")
    assert key == tables.cache_key("sat", dict(spec), "nppsim.physics.saturation")
    assert key != tables.cache_key("sat", {"n": 61}, "nppsim.physics.saturation")
    assert key != tables.cache_key("sat", spec, "nppsim.physics.water_table")
    assert key != tables.cache_key("ph", spec, "nppsim.physics.saturation")


def _run(code: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_importing_the_physics_modules_does_not_import_coolprop() -> None:
    """CoolProp takes seconds to import; `nppsim --help` must not pay it (issue 14)."""
    code = """
        import sys
        import nppsim.physics.water, nppsim.physics.water_table, nppsim.physics.saturation
        import nppsim.physics.vessel, nppsim.physics.pressurizer, nppsim.physics.steam_generator
        import nppsim.physics.turbine, nppsim.physics.natural_circulation
        import nppsim.physics.thermal_mixing, nppsim.physics.heat_transfer
        print("CoolProp" in sys.modules)
        nppsim.physics.water.density_pt(15.7e6, 560.0)
        print("CoolProp" in sys.modules)
    """
    assert _run(code, dict(os.environ)).split() == ["False", "True"]


def test_loading_a_cached_table_does_not_import_coolprop(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    code = """
        import sys
        from nppsim.physics import saturation, water_table
        saturation.saturation_table(saturation.SaturationGrid(n=60))
        water_table.ph_table(water_table.PhGrid(n_h=12, n_p_low=12, n_p_high=3))
        print("CoolProp" in sys.modules)
    """
    assert _run(code, env) == "True"  # the first process builds
    assert _run(code, env) == "False"  # the next one only reads
