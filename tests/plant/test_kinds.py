"""Every component kind has its own code: the kernel dispatches on it, and a dict literal with
two equal keys would silently drop a kind (two branches merged with the same number did)."""

from __future__ import annotations

import ast
from pathlib import Path

import nppsim.plant.components as pkg


def _codes() -> dict[str, int]:
    out = {}
    for f in sorted(Path(pkg.__file__).parent.glob("*.py")):
        for node in ast.parse(f.read_text()).body:
            if (
                isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["CODE"]
                and isinstance(node.value, ast.Constant)
            ):
                out[f.stem] = node.value.value
    return out


def test_component_codes_are_unique():
    codes = _codes()
    assert len(codes) >= 17
    seen: dict[int, str] = {}
    for name, code in codes.items():
        assert code not in seen, f"{name} and {seen[code]} share the kind code {code}"
        seen[code] = name


def test_kernel_knows_every_kind():
    from nppsim.plant.kernel import KINDS

    assert sorted(KINDS) == sorted(_codes().values())
