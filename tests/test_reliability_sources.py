"""Sources that ship (issue 14, item 6): every reference that a shipped design or validation case
cites resolves to a full reference in the package; docs/sources.md is generated from the same
data; ``nppsim designs show NAME --sources`` prints them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nppsim.designs import list_designs, load_design
from nppsim.sources import (
    is_estimate,
    load_sources,
    render_markdown,
    resolve,
    sourced_values,
)
from nppsim.validation.runner import discover, shipped_cases

ROOT = Path(__file__).resolve().parents[1]


def test_every_reference_is_complete():
    data = load_sources()
    for key, ref in data["references"].items():
        for field in ("title", "publisher", "date", "address"):
            assert str(ref.get(field, "")).strip(), (key, field)
        for sub in ref.get("cites", []):
            assert sub in data["references"], (key, sub)
    for name, sec in data["sections"].items():
        assert sec["refs"], name
        for key in sec["refs"]:
            assert key in data["references"], (name, key)


@pytest.mark.parametrize("name", list_designs())
def test_every_design_source_resolves(name):
    d = load_design(name)
    local = d.design.sources.keys()
    refs = load_sources()["references"]
    for key in local:  # every key a design declares ships in full
        assert key in refs, f"{name}: [design.sources] {key} has no shipped reference"
    values = sourced_values(d)
    assert values
    for field, text in values:
        keys = resolve(text, local)
        assert keys or is_estimate(text), f"{name}: {field} cites {text!r}: no reference"


def test_every_validation_case_source_resolves():
    paths = discover(shipped_cases())
    assert paths
    for p in paths:
        text = json.loads(Path(p).read_text())["source"]
        assert resolve(text), f"{p}: {text!r}"


def test_unknown_keys_are_refused():
    from nppsim.sources import UnresolvedSource

    with pytest.raises(UnresolvedSource):
        resolve("PR §9.9 (nowhere)")
    with pytest.raises(UnresolvedSource):
        resolve("NOSUCH (a key the design declares)", {"NOSUCH"})


def test_sources_page_is_current():
    assert (ROOT / "docs" / "sources.md").read_text() == render_markdown(), (
        "docs/sources.md is stale: python -c 'from nppsim.sources import render_markdown; "
        'open("docs/sources.md", "w").write(render_markdown())\''
    )


def test_designs_show_sources_prints_references_in_full():
    r = subprocess.run(
        [sys.executable, "-m", "nppsim.cli", "designs", "show", "vver1000-v446", "--sources"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert r.returncode == 0, r.stderr
    for text in (
        "PR §1.2",
        "Водо-водяной энергетический реактор",
        "https://github.com/cristianst85/GeoNuclearData",
        "Physics of Nuclear Kinetics",
        "ANSI/ANS-5.1-2004",
    ):
        assert text in r.stdout, text
