"""Finding and loading programme files, with an optional what-if."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from nppsim.designs import read_toml
from nppsim.errors import InputError

from .schema import Programme, parse_programme
from .whatif import (
    Adjustments,
    WhatIf,
    apply_additions,
    apply_set,
    make_adjustments,
    read_what_if,
)


@dataclass(frozen=True)
class ProgrammeCase:
    """A programme ready to run: the validated file and the run-time adjustments of a what-if.

    Attributes
    ----------
    programme : Programme
        The validated programme (with any ``[set]`` overrides applied).
    adjustments : Adjustments
        Cancellations and delay factors; ``adjustments.overridden`` lists every override.
    path : Path
        The programme file.
    what_if_path : Path or None
        The what-if file, if any.
    """

    programme: Programme
    adjustments: Adjustments = field(default_factory=Adjustments)
    path: Path = Path()
    what_if_path: Path | None = None


def builtin_dir() -> Path:
    """Folder of the programme files that ship with nppsim."""
    return Path(str(resources.files("nppsim.programmes")))


def what_if_dir() -> Path:
    """Folder of the what-if files that ship with nppsim."""
    return builtin_dir() / "what-if"


def list_what_ifs() -> dict[str, str]:
    """Built-in what-ifs: name -> title (``""`` when the file has none or cannot be read)."""
    out = {}
    for p in sorted(what_if_dir().glob("*.toml")):
        try:
            out[p.stem] = read_what_if(p).title
        except InputError:
            out[p.stem] = ""
    return out


def what_if_path(source: str | Path) -> Path:
    """Path of a what-if given by built-in name (``"delays-halved"``) or file path."""
    text = str(source)
    if text in list_what_ifs():
        return what_if_dir() / f"{text}.toml"
    path = Path(text)
    if path.suffix == ".toml" and path.exists():
        return path
    raise InputError(
        None,
        "what_if",
        text,
        f"unknown what-if; give a built-in name ({', '.join(list_what_ifs())}) or a .toml file",
    )


def list_programmes() -> list[str]:
    """Names of the built-in programmes."""
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def programme_path(source: str | Path) -> Path:
    """Path of a programme given by built-in name (``"iran"``) or file path."""
    text = str(source)
    if text in list_programmes():
        return builtin_dir() / f"{text}.toml"
    path = Path(text)
    if path.suffix == ".toml" and path.exists():
        return path
    raise InputError(
        None,
        "programme",
        text,
        f"unknown programme; give a built-in name ({', '.join(list_programmes())}) or a .toml file",
    )


def load_programme(
    source: str | Path = "iran",
    what_if: str | Path | None = None,
    overrides: dict[str, object] | None = None,
) -> ProgrammeCase:
    """Load and validate a programme, applying a what-if and command-line overrides if given.

    Parameters
    ----------
    source : str or Path
        Built-in name (``"iran"``) or path of a programme TOML file.
    what_if : str or Path, optional
        Built-in what-if name or what-if TOML file (:mod:`nppsim.programme.whatif`).
    overrides : dict, optional
        Dotted path -> value, applied after the what-if as a ``[set]`` from the command line
        (e.g. ``{"cost.discount_rate.value": 5}``).

    Returns
    -------
    ProgrammeCase
    """
    path = programme_path(source)
    data = read_toml(path)
    wi_path = what_if_path(what_if) if what_if is not None else None
    wi = read_what_if(wi_path) if wi_path is not None else WhatIf()
    lines: list[str] = []
    if wi_path is not None:
        data, add_lines = apply_additions(data, wi, wi_path)
        data, set_lines = apply_set(data, wi.set, wi_path)
        lines += add_lines + set_lines
    if overrides:
        data, cli_lines = apply_set(data, overrides, "<command line>")
        lines += [f"{line} (command line)" for line in cli_lines]
    label: Path | str = path
    if lines:
        label = f"{path} (with {'what-if ' + str(wi_path) if wi_path else 'overrides'})"
    prog = parse_programme(data, label)
    adj = make_adjustments(prog, wi, wi_path or "<command line>")
    adj = Adjustments(adj.delay_factor, adj.cancelled, lines + adj.overridden, adj.title)
    return ProgrammeCase(prog, adj, path, wi_path)
