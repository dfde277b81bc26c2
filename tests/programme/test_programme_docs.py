"""The docs' worked example runs: every python block of docs/programme-example.md, in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).parents[2] / "docs" / "programme-example.md"


def _blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_example_page_has_code() -> None:
    assert len(_blocks(DOC.read_text())) >= 8


def test_example_page_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for i, block in enumerate(_blocks(DOC.read_text())):
        try:
            exec(compile(block, f"{DOC.name} block {i + 1}", "exec"), namespace)
        except Exception as e:  # name the block that failed
            raise AssertionError(f"block {i + 1} of {DOC.name} failed: {e!r}") from e
