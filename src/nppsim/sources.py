"""The references behind nppsim's data, shipped with the package (``sources.toml``).

Design values cite their sources by short keys (``source = "PR §1.2 (RUWIKI)"``): ``PR §1.2`` is a
section of nppsim's research notes, which the file maps to the public references its rows cite;
``RUWIKI`` is a reference. Validation cases cite theirs in words. This module resolves both to
full references (title, author, publisher, date, address), for ``nppsim designs show NAME
--sources`` and ``docs/sources.md``, so that every value can be followed to its source without
the repository's surroundings.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "UnresolvedSource",
    "case_references",
    "design_references",
    "format_reference",
    "load_sources",
    "resolve",
]

_SECTION = re.compile(r"PR §(\d+(?:\.\d+)?)")
_KEY = re.compile(r"\b[A-Z][A-Z0-9_]{1,}\b")
#: words of a source text (validation cases cite in words) -> reference keys
_CASE_WORDS = {
    "Ganapol": "GANAPOL2013",
    "Kinard": "KINARD2004",
    "Lamarsh": "LAMARSH",
    "Mughabghab": "MUGHABGHAB2018",
    "ANS-5.1-2004": "ANS51",
    "shared/validation/README.md": "VALIDATION",
    "plants-research.md": "PR",
    "IAPWS-IF97": "IAPWS_IF97",
}


class UnresolvedSource(ValueError):
    """A source text naming a key or a section that the shipped references do not hold."""


@cache
def load_sources() -> dict[str, Any]:
    """The shipped references: the tables ``references``, ``sections`` and ``no_reference``."""
    path = Path(str(resources.files("nppsim"))) / "sources.toml"
    with open(path, "rb") as f:
        return tomllib.load(f)


def format_reference(ref: dict[str, Any]) -> str:
    """One reference as a line: author, title, publisher, date, address, note."""

    def end(text: str) -> str:
        return text if text.endswith(".") else text + "."

    parts = []
    if ref.get("author"):
        parts.append(f"{ref['author']}:")
    parts.append(f"“{ref['title']}”.")
    parts.append(end(f"{ref['publisher']}, {ref.get('date', 'n.d.')}"))
    parts.append(end(ref["address"]))
    if ref.get("note"):
        parts.append(end(ref["note"]))
    return " ".join(parts)


def resolve(text: str, local_keys: Any = ()) -> list[str]:
    """The reference keys a source text cites (sections as ``"PR §1.2"``), in order of mention.

    Parameters
    ----------
    text : str
        A ``source`` field (``"PR §1.3 (RUWIKI core height 3.50 m)"``).
    local_keys : iterable of str
        Keys the citing file declares (a design's ``[design.sources]``): each upper-case word
        that is one of them, or a shipped key, is taken as a citation.

    Raises
    ------
    UnresolvedSource
        A cited section or declared key without a shipped reference.
    """
    data = load_sources()
    refs, sections = data["references"], data["sections"]
    keys: list[str] = []
    for m in _SECTION.finditer(text):
        name = f"PR §{m.group(1)}"
        if name not in sections:
            raise UnresolvedSource(f"{text!r}: research-notes section {name} is not mapped")
        keys.append(name)
    local = set(local_keys)
    for m in _KEY.finditer(text):
        word = m.group(0)
        if word == "PR" and keys:
            continue  # "PR §1.2": the section stands for the notes
        if word in refs:
            keys.append(word)
        elif word in local:
            raise UnresolvedSource(f"{text!r}: key {word} has no shipped reference")
    for word, key in _CASE_WORDS.items():
        if word in text:
            keys.append(key)
    if "shared/data/plants-research.md" in text and "PR" not in keys:
        keys.append("PR")
    out: list[str] = []
    for k in keys:
        if k not in out:
            out.append(k)
    return out


def is_estimate(text: str) -> bool:
    """Whether a source text is a declared non-reference (an estimate, engineering knowledge)."""
    return any(text.startswith(k) for k in load_sources()["no_reference"])


def _reference(key: str) -> dict[str, Any]:
    data = load_sources()
    if key in data["sections"]:
        sec = data["sections"][key]
        notes = data["references"]["PR"]
        return {
            "title": f"{key}: {sec['title']}",
            "author": notes.get("author", ""),
            "publisher": notes["publisher"],
            "date": notes.get("date", "n.d."),
            "address": notes["address"],
            "note": "The rows of this section cite the references below.",
            "cites": [data["references"][k] for k in sec["refs"]],
        }
    ref = dict(data["references"][key])
    ref["cites"] = [data["references"][k] for k in ref.get("cites", [])]
    return ref


def sourced_values(design: Any) -> list[tuple[str, str]]:
    """Every (dotted field, source text) of a design: its quantities and sourced tables."""
    from pydantic import BaseModel

    out: list[tuple[str, str]] = []

    def walk(model: Any, prefix: str) -> None:
        src = getattr(model, "source", None)
        if isinstance(src, str) and "confidence" in type(model).model_fields:
            out.append((prefix, src))
        for name in type(model).model_fields:
            v = getattr(model, name)
            path = f"{prefix}.{name}" if prefix else name
            if isinstance(v, BaseModel):
                walk(v, path)
            elif isinstance(v, list):
                for i, item in enumerate(v):
                    if isinstance(item, BaseModel):
                        walk(item, f"{path}[{i}]")

    for section, sec in design.sections():
        walk(sec, section)
    return out


def design_references(design: Any) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """The references a design cites: key -> (reference with its ``cites``, the fields citing
    it), in order of first citation."""
    local = design.design.sources.keys()
    used: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for field, text in sourced_values(design):
        for key in resolve(text, local):
            if key not in used:
                used[key] = (_reference(key), [])
            used[key][1].append(field)
    return used


def case_references(source_text: str) -> list[dict[str, Any]]:
    """The full references of a validation case's ``source`` text."""
    return [_reference(k) for k in resolve(source_text)]


def render_markdown() -> str:
    """``docs/sources.md``: every shipped reference in full, the research-notes sections with
    the references they cite, and the non-reference source texts (generated; a test keeps the
    page equal to this)."""
    data = load_sources()
    refs, sections = data["references"], data["sections"]
    lines = [
        "# Sources",
        "",
        "<!-- generated by nppsim.sources.render_markdown() from src/nppsim/sources.toml;",
        "     tests/test_reliability_sources.py keeps this page current -->",
        "",
        "Every reference that nppsim's design files and validation cases cite, in full. Design",
        'values cite short keys: `source = "PR §1.2 (RUWIKI)"` is section 1.2 of nppsim\'s '
        "research",
        "notes (key `PR`), whose rows cite the references listed for that section below, and the",
        "reference `RUWIKI`. `nppsim designs show NAME --sources` prints the references of one "
        "design.",
        "The same data ship in the package (`src/nppsim/sources.toml`).",
        "",
        "## Research-notes sections",
        "",
        "| section | title | references |",
        "|---|---|---|",
    ]
    for name, sec in sections.items():
        cited = ", ".join(f"[{k}](#{k.lower()})" for k in sec["refs"])
        lines.append(f"| {name} | {sec['title']} | {cited} |")
    lines += ["", "## References", ""]
    for key in sorted(refs):
        ref = refs[key]
        lines.append(f'<a id="{key.lower()}"></a>**{key}**: {format_reference(ref)}')
        if ref.get("cites"):
            lines.append(f"Cites: {', '.join(ref['cites'])}.")
        lines.append("")
    lines += [
        "## Source texts that are not references",
        "",
        "Values whose source is one of these carry confidence M or E and a note saying how they",
        "were obtained.",
        "",
        "| source text | meaning |",
        "|---|---|",
    ]
    for text, meaning in data["no_reference"].items():
        lines.append(f"| {text} | {meaning} |")
    return "\n".join(lines) + "\n"
