"""nppsim's Numba settings (:mod:`nppsim._jit`): kernels compiled without the runtime are safe.

A function compiled without Numba's runtime (the default of :func:`nppsim._jit.njit`) takes no
reference on the arrays it handles. That is safe as long as it returns no array: a caller
compiled with the runtime would release a reference on it that was never taken, and the array
could be freed while still in use. (Numba itself refuses a new array or a view as such a
function's return value, but accepts returning an array argument.) These tests walk every
compiled function of the package (each signature Numba's cache holds for it, after one short
run of every plant design) and check that rule, and that a kernel which allocates without
saying ``nrt=True`` is refused.
"""

from __future__ import annotations

import gc

import numba
import numpy as np
import pytest
from numba.core import types
from numba.core.dispatcher import Dispatcher
from numba.core.typing.templates import Signature

from nppsim._jit import njit
from nppsim.engine.run import RunSpec, build

# One short run per plant design: builds its network, runs the right-hand side, the Jacobian and
# the event functions (through a trip for the VVER-1000), and the recorded signals.
RUNS = (
    ("turbine-trip", None, 61.0),  # VVER-1000 (V-446)
    ("turbine-trip", "vver1000-v528", 5.0),
    ("station-blackout-24h", "vver-toi", 5.0),
    ("natural-circulation", "ritm200n", 5.0),
)


def _holds_array(t: types.Type) -> bool:
    if isinstance(t, types.Array):
        return True
    if isinstance(t, types.BaseTuple):
        return any(_holds_array(x) for x in t.types)
    return False


def _nppsim_dispatchers() -> list[Dispatcher]:
    return [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, Dispatcher) and obj.py_func.__module__.startswith("nppsim.")
    ]


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="plain Python: nothing is compiled")
def test_functions_without_runtime_return_no_array() -> None:
    for name, design, t_end in RUNS:
        _, sim = build(RunSpec(scenario=name, design=design))
        sim.advance(t_end)
        sim.results()
    checked = 0
    without_runtime = 0
    offenders = []
    for disp in _nppsim_dispatchers():
        sigs = set(disp.overloads)
        cache = getattr(disp, "_cache", None)
        if cache is not None and hasattr(cache, "_cache_file"):
            # every signature compiled for this function, also those compiled only as a callee
            # of another kernel (loaded from the cache, so only typed here, not compiled again)
            for key in cache._cache_file._load_index():
                sig = key[0]
                sigs.add(tuple(sig.args if isinstance(sig, Signature) else sig))
        for sig in sigs:
            if sig not in disp.overloads:
                disp.compile(sig)
            cres = disp.overloads[sig]
            checked += 1
            if disp.targetoptions.get("_nrt", True):
                continue
            without_runtime += 1
            if _holds_array(cres.signature.return_type):
                offenders.append(f"{disp.py_func.__module__}.{disp.py_func.__qualname__}")
    # the walk saw the kernels (not a vacuous pass): components, properties, integrator
    assert checked > 150, checked
    assert without_runtime > 100, without_runtime
    assert not offenders, f"compiled without nrt=True but return an array: {offenders}"


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="plain Python: nothing is compiled")
def test_allocation_without_runtime_is_refused() -> None:
    @njit(cache=False)
    def allocates(n):  # pragma: no cover - compiled
        return np.zeros(n).sum()

    @njit(cache=False, nrt=True)
    def allocates_with_runtime(n):  # pragma: no cover - compiled
        return np.zeros(n).sum()

    with pytest.raises(Exception, match=r"NRT required|returning of array"):
        allocates(3)
    assert allocates_with_runtime(3) == 0.0
