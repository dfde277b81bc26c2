"""CoolProp, imported on first use, with one ``AbstractState`` per thread.

Two reasons for this module:

* **Start-up.** Importing CoolProp takes seconds; a module of :mod:`nppsim.physics` must not pay
  that at import time (``nppsim --help`` loads no properties). :func:`coolprop` imports
  ``CoolProp.CoolProp`` the first time a property is asked for.
* **Threads.** A CoolProp ``AbstractState`` holds the last state it was updated to. One object
  shared by two threads gives wrong values with no error: thread A updates it, thread B updates it,
  thread A reads B's state. :func:`state` gives every thread its own objects (``threading.local``),
  so nothing is shared. Creating a state costs some tens of microseconds, once per thread and name;
  updating it costs about 0.3 to 15 microseconds, so the lookup (about 0.1 microsecond) is cheap.

Use: ``cp = coolprop(); st = state("water"); st.update(cp.PT_INPUTS, p, t); st.hmass()``. Within
one thread, a function must read what it needs from a state before calling anything that could
update the same named state: each module uses its own names.
"""

from __future__ import annotations

import threading
from types import ModuleType
from typing import Any

__all__ = ["coolprop", "coolprop_version", "state"]

_module: ModuleType | None = None
_local = threading.local()


def coolprop() -> ModuleType:
    """The ``CoolProp.CoolProp`` module, imported on the first call."""
    global _module
    if _module is None:
        import CoolProp.CoolProp as cp  # deliberately lazy: the import takes seconds

        _module = cp
    return _module


def coolprop_version() -> str:
    """The installed CoolProp version (imports CoolProp)."""
    coolprop()
    import CoolProp

    return str(CoolProp.__version__)


def state(name: str, backend: str = "IF97") -> Any:
    """This thread's CoolProp ``AbstractState`` called ``name`` for water with ``backend``.

    Parameters
    ----------
    name : str
        A name private to the caller (e.g. ``"water.sat"``): two names give two objects, so one
        module's update never overwrites another's state between an update and its reads.
    backend : str
        CoolProp backend: ``"IF97"`` (IAPWS-IF97) or ``"HEOS"`` (IAPWS-95).

    Returns
    -------
    CoolProp.AbstractState
        Created on first use in this thread, then reused.
    """
    states = getattr(_local, "states", None)
    if states is None:
        states = _local.states = {}
    key = (name, backend)
    st = states.get(key)
    if st is None:
        st = states[key] = coolprop().AbstractState(backend, "Water")
    return st
