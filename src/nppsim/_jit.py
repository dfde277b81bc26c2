"""Numba compilation with the project's settings, in one place.

Every compiled function of nppsim is decorated with :func:`njit` from this module:

* ``cache=True``: the first process compiles and writes the machine code next to the module
  (``__pycache__``); later processes load it instead of compiling again;
* ``nogil=True``: two simulations in two threads run their kernels at the same time;
* never ``fastmath`` nor ``parallel``: results are the same bit for bit on every run, whatever
  ran before and however many threads run.

With ``NUMBA_DISABLE_JIT=1`` in the environment the same functions run as plain Python: that is
the Python backend against which the compiled one is checked (one source for every equation).
"""

from __future__ import annotations

from typing import Any

import numba


def njit(*args: Any, **kwargs: Any) -> Any:
    """``numba.njit`` with ``cache=True`` and ``nogil=True`` (see the module docstring).

    Use as ``@njit`` or ``@njit(signature)``.
    """
    kwargs.setdefault("cache", True)
    kwargs.setdefault("nogil", True)
    if kwargs.get("fastmath") or kwargs.get("parallel"):
        raise ValueError("nppsim kernels must not use fastmath or parallel (determinism)")
    return numba.njit(*args, **kwargs)
