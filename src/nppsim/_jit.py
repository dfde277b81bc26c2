"""Numba compilation with the project's settings, in one place.

Every compiled function of nppsim is decorated with :func:`njit` from this module:

* ``cache=True``: the first process compiles and writes the machine code to a cache folder; later
  processes load it instead of compiling again;
* ``nogil=True``: two simulations in two threads run their kernels at the same time;
* never ``fastmath`` nor ``parallel``: results are the same bit for bit on every run, whatever
  ran before and however many threads run;
* **no reference counting unless asked** (``nrt=False``, Numba's ``_nrt`` option): a kernel
  that only reads and writes the arrays it is given compiles without Numba's runtime, so a call
  costs no atomic increment and decrement of every array argument. Profiled on the whole-plant
  right-hand side (``perf``), those atomic operations had taken 46 % of its time: the network
  calls small component, property and physics functions with five to eight arrays each.
  A function that allocates (``np.empty``, array expressions, ``.copy()``) says
  ``@njit(nrt=True)``; without it Numba refuses to compile it ("NRT required"), so a missing
  mark cannot pass silently. A function compiled without the runtime must not return an
  array (a caller with the runtime would release a reference that was never taken):
  ``tests/test_jit.py`` checks every compiled nppsim function for that.

**The cache is keyed by the sources.** Numba checks only the modification time of the file that
defines a cached function, not of the functions it calls in other modules, so an edited physics
function could leave a stale kernel in the cache. nppsim therefore points Numba's cache at a
folder named after a hash of every source file of the package
(``$NPPSIM_CACHE_DIR`` or ``$XDG_CACHE_HOME/nppsim`` or ``~/.cache/nppsim``, then
``numba-<hash>``): any change to any source compiles everything once, and nothing stale is ever
loaded. If that folder cannot be written, Numba's default (``__pycache__`` beside each module) is
kept.

With ``NUMBA_DISABLE_JIT=1`` in the environment the same functions run as plain Python: that is
the Python backend against which the compiled one is checked (one source for every equation).
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any

import numba


@functools.cache
def source_hash() -> str:
    """SHA-256 (first 16 hex digits) of every ``.py`` file of the package, with Numba's version:
    the identity of the model's code (Numba's cache folder, the inputs hash of a run)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(numba.__version__.encode())
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """The folder of nppsim's caches (compiled kernels, property tables)."""
    env = os.environ.get("NPPSIM_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "nppsim"


def _configure_cache() -> None:
    if os.environ.get("NUMBA_CACHE_DIR"):
        return  # the user chose a place: respect it
    try:
        d = cache_dir() / f"numba-{source_hash()}"
        d.mkdir(parents=True, exist_ok=True)
        probe = d / ".writable"
        probe.write_text("")
    except OSError:
        return
    numba.config.CACHE_DIR = str(d)


_configure_cache()


def njit(*args: Any, **kwargs: Any) -> Any:
    """``numba.njit`` with ``cache=True``, ``nogil=True`` and, unless ``nrt=True`` is given,
    without Numba's runtime (see the module docstring).

    Use as ``@njit``, ``@njit(signature)`` or ``@njit(nrt=True)`` (a function that allocates).
    """
    kwargs.setdefault("cache", True)
    kwargs.setdefault("nogil", True)
    kwargs["_nrt"] = bool(kwargs.pop("nrt", False))
    if kwargs.get("fastmath") or kwargs.get("parallel"):
        raise ValueError("nppsim kernels must not use fastmath or parallel (determinism)")
    if numba.config.DISABLE_JIT:
        # Numba then returns the plain function; callers that use ``f.py_func`` (the NumPy
        # form of a scalar kernel) find it on the function itself.
        def plain(func: Any) -> Any:
            func.py_func = func
            return func

        if len(args) == 1 and callable(args[0]):
            return plain(args[0])
        return plain
    return numba.njit(*args, **kwargs)
