"""Finding and loading programme files, with an optional what-if."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from nppsim.designs import read_toml
from nppsim.errors import InputError

from .schema import Programme, parse_programme
from .whatif import Adjustments, apply_set, make_adjustments, read_what_if


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


def load_programme(source: str | Path = "iran", what_if: Path | None = None) -> ProgrammeCase:
    """Load and validate a programme, applying a what-if file if given.

    Parameters
    ----------
    source : str or Path
        Built-in name (``"iran"``) or path of a programme TOML file.
    what_if : Path, optional
        What-if TOML file (:mod:`nppsim.programme.whatif`).

    Returns
    -------
    ProgrammeCase
    """
    path = programme_path(source)
    data = read_toml(path)
    if what_if is None:
        return ProgrammeCase(parse_programme(data, path), Adjustments(), path, None)
    wi = read_what_if(Path(what_if))
    data, set_lines = apply_set(data, wi.set, what_if)
    label = f"{path} (with what-if {what_if})" if set_lines else path
    prog = parse_programme(data, label)
    adj = make_adjustments(prog, wi, what_if)
    adj = Adjustments(adj.delay_factor, adj.cancelled, set_lines + adj.overridden, adj.title)
    return ProgrammeCase(prog, adj, path, Path(what_if))
