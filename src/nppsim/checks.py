"""Checks of the paths a command reads and writes, made before any work starts.

Every failure is an :class:`nppsim.errors.InputError` naming the file (or the option), the value
and what is allowed, which the command line prints as one line (exit status 2). Reading a file
here also decodes it (UTF-8), so a binary file or a folder is refused up front instead of
failing inside a parser; an output folder is checked for being a folder, writable, and not
already holding results (refused unless ``--overwrite``), so that nothing is computed for
nothing and no earlier run is mixed with a new one.

Writing goes through :func:`atomic_write` / :func:`replace_into`: a file is written under a
temporary name in its folder and renamed, so a killed process never leaves a half-written file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from nppsim.errors import InputError

__all__ = [
    "atomic_write",
    "check_output_dir",
    "input_file",
    "read_text",
    "replace_into",
]


def read_text(path: Path | str, field: str = "<file>") -> str:
    """The text of a file, UTF-8 decoded; a clear :class:`InputError` when it cannot be had.

    Parameters
    ----------
    path : path
        The file.
    field : str
        How the error names the value (``"<file>"``, ``"--cases"``).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, field, str(path), "file not found") from None
    except IsADirectoryError:
        raise InputError(path, field, str(path), "is a folder; give a file") from None
    except PermissionError:
        raise InputError(path, field, str(path), "cannot be read: permission denied") from None
    except OSError as e:
        raise InputError(path, field, str(path), f"cannot be read: {e.strerror or e}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            path,
            field,
            str(path),
            f"not UTF-8 text (byte 0x{data[e.start]:02x} at position {e.start}); "
            "save the file as UTF-8",
        ) from None


def input_file(
    text: str, what: str, suffix: str, builtins: Iterable[str] = (), field: str | None = None
) -> Path | None:
    """Resolve a command-line input that is a built-in name or a file path.

    Returns None for a built-in name, the path of a usable file otherwise.

    Parameters
    ----------
    text : str
        What the user gave.
    what : str
        What it is (``"scenario"``, ``"design"``), for the message.
    suffix : str
        The file suffix required (``".toml"``).
    builtins : iterable of str
        The built-in names.
    field : str, optional
        The option or argument named in the error (default: ``what``).
    """
    names = sorted(builtins)
    if text in names:
        return None
    field = field or what
    path = Path(text)
    listing = f"built-in {what}s: {', '.join(names)}" if names else ""
    if not path.exists():
        if path.suffix == suffix or os.sep in text:
            raise InputError(None, field, text, f"no such file{'; ' + listing if listing else ''}")
        raise InputError(
            None, field, text, f"not a {what} file nor a built-in {what}" + f" ({listing})"
        )
    if path.is_dir():
        raise InputError(path, field, text, f"is a folder; give a {what} {suffix} file")
    if path.suffix != suffix:
        raise InputError(path, field, text, f"a {what} file must be a {suffix} file")
    read_text(path)  # readable, UTF-8
    return path


def check_output_dir(
    path: Path | str,
    option: str,
    markers: Iterable[str],
    overwrite: bool = False,
    what: str = "results",
) -> Path:
    """Refuse an output folder that cannot take the results, before any work is done.

    The folder may exist (and is then checked for being a folder, writable, and not holding
    ``markers``: files of an earlier run, refused unless ``overwrite``) or not (its nearest
    existing parent must be a writable folder). Nothing is created.

    Parameters
    ----------
    path : path
        The output folder.
    option : str
        The option that named it (``"--out"``), for the message.
    markers : iterable of str
        File names that show the folder holds earlier results (``"run.json"``).
    overwrite : bool
        Whether earlier results may be replaced.
    what : str
        What the markers belong to, for the message (``"a run"``).

    Returns
    -------
    Path
        The folder.
    """
    path = Path(path)
    text = str(path)
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise InputError(None, option, text, "exists and is not a folder; give a folder")
        held = [m for m in markers if (path / m).exists()]
        if held and not overwrite:
            raise InputError(
                None,
                option,
                text,
                f"already holds {what} ({', '.join(held)}); choose another folder or pass "
                "--overwrite",
            )
        _probe(path, option, text)
        return path
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(None, option, text, f"cannot be created: {parent} is not a folder")
    _probe(parent, option, text)
    return path


def _probe(folder: Path, option: str, text: str) -> None:
    """Whether a file can be created in ``folder`` (tried, then removed: permissions alone do not
    tell, for root or on read-only file systems)."""
    try:
        fd, name = tempfile.mkstemp(prefix=".nppsim-probe-", dir=folder)
    except OSError as e:
        reason = e.strerror or str(e)
        raise InputError(None, option, text, f"cannot be written: {reason}") from None
    os.close(fd)
    os.unlink(name)


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path`` through ``write(tmp)`` under a temporary name in the same folder, then
    rename it into place (a killed process leaves the old file or the new one, never half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def replace_into(staging: Path, target: Path, last: Iterable[str] = ()) -> None:
    """Move every file of folder ``staging`` into ``target`` (renames, same file system), the
    names in ``last`` after the others; remove ``staging``."""
    target.mkdir(parents=True, exist_ok=True)
    late = set(last)
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    for p in [*(f for f in files if f.name not in late), *(f for f in files if f.name in late)]:
        dest = target / p.relative_to(staging)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(p, dest)
    shutil.rmtree(staging, ignore_errors=True)


def staging_dir(target: Path) -> Path:
    """A fresh temporary folder beside ``target`` (same file system: renames are atomic)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
