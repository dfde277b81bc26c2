r"""Packed property tables: layout, compiled interpolation primitives and the on-disk cache.

A compiled plant kernel receives its parameters as one flat float64 array ``p`` (see
docs/architecture.md and :mod:`nppsim.engine.signatures`). Property tables travel inside it: each
table is one flat float64 array that starts with a small header saying what it is and how big it
is, so a kernel reads it from ``(p, offset)`` with no Python object in sight. Two kinds exist:

* kind 1, a set of functions of one variable (saturation line, isentropic drop), built by
  :mod:`nppsim.physics.saturation`;
* kind 2, the single-phase (p, h) table of :mod:`nppsim.physics.water_table`.

Common header (the first :data:`HEADER` entries, the rest are kind-specific)::

    [0] kind   [1] layout version   [2] total length (header included)

Interpolation is piecewise cubic Hermite: on a cell [x_i, x_{i+1}] of width d with
t = (x - x_i)/d,

.. math:: f(x) = H_{00}(t) f_i + d\,H_{10}(t) f'_i + H_{01}(t) f_{i+1} + d\,H_{11}(t) f'_{i+1}

with H00 = 2t^3 - 3t^2 + 1, H10 = t^3 - 2t^2 + t, H01 = -2t^3 + 3t^2, H11 = t^3 - t^2. With the
node slopes f'_i of the interpolating cubic spline the result is that spline (C2); the kernels only
need values and slopes at the nodes (Fritsch and Carlson, SIAM J. Numer. Anal. 17 (1980) 238;
de Boor, *A Practical Guide to Splines*, 2001, ch. IV). Every grid is uniform in a coordinate that
is an explicit function of the physical variable (for example ln p), so a kernel computes the cell
index directly (:func:`uniform_cell`) and interpolates in that coordinate.

Cache: tables are built from CoolProp once and kept under ``$XDG_CACHE_HOME/nppsim`` (default
``~/.cache/nppsim``) as ``.npy`` files named by a hash of the package version, the layout
version, the table's grid, the source code of the builder and the CoolProp version (so an edited
builder never meets a stale table). A file is written under a temporary name and
renamed (a killed process never leaves half a table); if the folder cannot be written the table
is built in memory and a note is logged. Loading a table does not import CoolProp.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nppsim._jit import njit

__all__ = [
    "HEADER",
    "KIND_1D",
    "KIND_PH",
    "LAYOUT_VERSION",
    "cache_dir",
    "cached_table",
    "concatenate_tables",
    "hermite_basis",
    "table_kind",
    "table_length",
    "uniform_cell",
]

log = logging.getLogger(__name__)

#: Length of the header of every packed table (entries 0-2 common, the rest kind-specific).
HEADER = 32
#: Version of the packed layouts; bump it when a layout changes (it is part of the cache key).
LAYOUT_VERSION = 1
#: Kind codes (header entry 0).
KIND_1D = 1
KIND_PH = 2


# --------------------------------------------------------------------------------------------------
# Compiled primitives
# --------------------------------------------------------------------------------------------------


@njit
def uniform_cell(u: float, n: int) -> tuple[int, float]:
    """Cell index i (0 <= i <= n - 2) and local coordinate t of ``u`` on nodes 0, 1, ..., n - 1.

    ``u`` is the position in units of the node spacing of a uniform grid (every table grid is
    uniform in some coordinate, so the cell is found in constant time, without a search whose
    branches a processor mispredicts). At the last node the last cell is returned (t = 1); a
    ``u`` off the grid by round-off gives t slightly outside [0, 1] (the callers check the range
    on the physical variable first).
    """
    i = min(max(int(u), 0), n - 2)
    return i, u - i


@njit
def hermite_basis(
    t: float, order: int
) -> tuple[float, float, float, float, float, float, float, float]:
    """Cubic Hermite basis and its t-derivatives at t in [0, 1] (``order`` 3), or linear (1).

    Returns (H00, H10, H01, H11, dH00, dH10, dH01, dH11); the slope weights H10, H11 multiply
    d f'_i and d f'_{i+1} (d the cell width). With ``order`` 1 the slope weights are zero and the
    value weights are 1 - t and t (linear interpolation, used to measure what cubic gains).
    """
    if order == 1:
        return 1.0 - t, 0.0, t, 0.0, -1.0, 0.0, 1.0, 0.0
    t2 = t * t
    t3 = t2 * t
    return (
        2.0 * t3 - 3.0 * t2 + 1.0,
        t3 - 2.0 * t2 + t,
        -2.0 * t3 + 3.0 * t2,
        t3 - t2,
        6.0 * t2 - 6.0 * t,
        3.0 * t2 - 4.0 * t + 1.0,
        -6.0 * t2 + 6.0 * t,
        3.0 * t2 - 2.0 * t,
    )


# --------------------------------------------------------------------------------------------------
# Python helpers
# --------------------------------------------------------------------------------------------------


def table_kind(table: NDArray[np.float64], offset: int = 0) -> int:
    """Kind code of the packed table at ``offset`` (raises if there is no table there)."""
    if table.ndim != 1 or table.dtype != np.float64 or offset < 0 or offset + HEADER > table.size:
        raise ValueError(f"no packed property table at offset {offset} (array of {table.size})")
    kind = int(table[offset])
    if kind not in (KIND_1D, KIND_PH) or int(table[offset + 1]) != LAYOUT_VERSION:
        raise ValueError(
            f"no packed property table at offset {offset}: kind {table[offset]!r}, "
            f"layout {table[offset + 1]!r} (expected kind 1 or 2, layout {LAYOUT_VERSION})"
        )
    if offset + table_length(table, offset) > table.size:
        raise ValueError(f"packed property table at offset {offset} is truncated")
    return kind


def table_length(table: NDArray[np.float64], offset: int = 0) -> int:
    """Total length (header included) of the packed table at ``offset``."""
    return int(table[offset + 2])


def concatenate_tables(
    *tables: NDArray[np.float64], start: int = 0
) -> tuple[NDArray[np.float64], list[int]]:
    """Concatenate packed tables into one array; return it and each table's offset.

    Parameters
    ----------
    *tables : ndarray
        Packed tables (each from a builder of this package).
    start : int
        Offset of the first table in the caller's parameter vector (the offsets returned are
        ``start`` plus the position in the returned array), so that ``p[start:start + len(a)] = a``
        places them.

    Returns
    -------
    (ndarray, list of int)
        The concatenation (float64, C-contiguous) and the offsets to pass to the kernels.
    """
    offsets = []
    pos = start
    for tab in tables:
        table_kind(tab)
        offsets.append(pos)
        pos += tab.size
    return np.ascontiguousarray(np.concatenate(tables)), offsets


# --------------------------------------------------------------------------------------------------
# Cache
# --------------------------------------------------------------------------------------------------

_memo: dict[str, NDArray[np.float64]] = {}
_memo_lock = threading.Lock()


def cache_dir() -> Path:
    """Folder of the table cache: ``$XDG_CACHE_HOME/nppsim``, else ``~/.cache/nppsim``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nppsim"


def _package_version() -> str:
    from nppsim import __version__

    return __version__


def _coolprop_version() -> str:
    # From the installed distribution's metadata: importing CoolProp would take seconds.
    try:
        return metadata.version("CoolProp")
    except metadata.PackageNotFoundError:  # pragma: no cover - CoolProp is a dependency
        from nppsim.physics._coolprop import coolprop_version

        return coolprop_version()


def _source_digest(module: str) -> str:
    """Hash of the source of ``module`` and of this module (a changed builder is a new table)."""
    digest = hashlib.sha256()
    for name in (__name__, module):
        path = getattr(sys.modules.get(name), "__file__", None)
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def cache_key(kind: str, spec: dict[str, Any], module: str = __name__) -> str:
    """Hash naming a table: its kind and grid, the layout, the source of its builder ``module``,
    the package and CoolProp versions."""
    blob = json.dumps(
        {
            "kind": kind,
            "spec": spec,
            "layout": LAYOUT_VERSION,
            "source": _source_digest(module),
            "nppsim": _package_version(),
            "coolprop": _coolprop_version(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def _valid(arr: Any) -> bool:
    return (
        isinstance(arr, np.ndarray)
        and arr.ndim == 1
        and arr.dtype == np.float64
        and arr.size >= HEADER
        and int(arr[1]) == LAYOUT_VERSION
        and int(arr[2]) == arr.size
        and bool(np.all(np.isfinite(arr)))
    )


def _load(path: Path) -> NDArray[np.float64] | None:
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        if path.exists():
            log.info("property table cache %s unreadable (%s): rebuilding", path, exc)
        return None
    if not _valid(arr):
        log.info("property table cache %s is not a valid table: rebuilding", path)
        return None
    return np.ascontiguousarray(arr, dtype=np.float64)


def _save(path: Path, arr: NDArray[np.float64]) -> None:
    """Write ``arr`` atomically: a temporary file in the same folder, then a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.stem + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, arr, allow_pickle=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.info("property table cache %s not writable (%s): table kept in memory", path, exc)


def cached_table(
    kind: str,
    spec: dict[str, Any],
    build: Callable[[], NDArray[np.float64]],
    *,
    cache: bool = True,
) -> NDArray[np.float64]:
    """Return the packed table named by (kind, spec): from memory, the disk cache, or ``build``.

    Parameters
    ----------
    kind : str
        Table name (part of the file name), e.g. ``"ph"``.
    spec : dict
        Everything the table depends on besides the versions (its grid); JSON-serialisable.
    build : callable
        Builds the table (imports CoolProp); called at most once per process and key. The source
        of the module defining it is part of the key.
    cache : bool
        False: build now and touch neither the memory nor the disk cache (tests of the builder).

    Returns
    -------
    ndarray
        A fresh writeable copy of the table.
    """
    if not cache:
        return build()
    key = cache_key(kind, spec, getattr(build, "__module__", __name__))
    with _memo_lock:
        arr = _memo.get(key)
        if arr is None:
            path = cache_dir() / f"water-{kind}-{key}.npy"
            arr = _load(path)
            if arr is None:
                arr = build()
                if not _valid(arr):  # pragma: no cover - a builder defect
                    raise RuntimeError(f"property table builder for {kind!r} gave a bad table")
                _save(path, arr)
            arr.flags.writeable = False
            _memo[key] = arr
    return arr.copy()


def clear_memory_cache() -> None:
    """Forget the tables held in memory (the disk cache stays); for tests and benchmarks."""
    with _memo_lock:
        _memo.clear()
