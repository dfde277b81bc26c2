"""Ctrl-C and SIGTERM during long work: keep what was computed.

:class:`Interruption` is a context manager the commands wrap their work in. While it is
*soft* (during a simulation, between validation cases), the first SIGINT or SIGTERM only sets a
flag: the work stops at its next clean point (:meth:`Interruption.check`, called from a progress
callback, raises :class:`nppsim.errors.Interrupted`), and the command writes what was computed
with status ``interrupted`` and exits with status 130. A second signal raises
``KeyboardInterrupt`` at once. While it is not soft (building a model: nothing to keep yet) the
first signal raises ``KeyboardInterrupt``.

Signal handlers can only be installed from the main thread; elsewhere the context does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from nppsim.errors import Interrupted

#: exit status of a command interrupted by a signal (128 + SIGINT, the shell's convention)
EXIT_INTERRUPTED = 130

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interruption:
    """Turn SIGINT and SIGTERM into a request to stop at the next clean point.

    Parameters
    ----------
    notify : callable, optional
        Called with a message when the first signal arrives (to tell the user what happens).
    soft : bool
        Whether the first signal only sets the flag (True) or raises KeyboardInterrupt.
    """

    def __init__(self, notify: Callable[[str], None] | None = None, soft: bool = True) -> None:
        self.notify = notify
        self.soft = soft
        self.requested = False
        self.signal_name = ""
        self._old: dict[int, Any] = {}

    def __enter__(self) -> Interruption:
        if threading.current_thread() is threading.main_thread():
            for s in _SIGNALS:
                self._old[s] = signal.signal(s, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for s, old in self._old.items():
            signal.signal(s, old)
        self._old.clear()

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if self.requested or not self.soft:
            self.requested = True
            self.signal_name = self.signal_name or signal.Signals(signum).name
            raise KeyboardInterrupt
        self.requested = True
        self.signal_name = signal.Signals(signum).name
        if self.notify is not None:
            self.notify(
                f"{self.signal_name}: stopping at the next step and writing what was computed "
                "(again to stop at once)"
            )

    def check(self, *_: object) -> None:
        """Raise :class:`~nppsim.errors.Interrupted` if a stop was requested (a progress
        callback)."""
        if self.requested:
            raise Interrupted(f"interrupted by {self.signal_name or 'the user'}")


def run_each(
    items: list[Any], fn: Callable[[Any], Any], notify: Callable[[str], None] | None = None
) -> tuple[list[Any], bool]:
    """``[fn(x) for x in items]`` that Ctrl-C or SIGTERM ends early: returns the results so far
    and whether it was interrupted (the item being computed is dropped)."""
    out: list[Any] = []
    with Interruption(notify=notify, soft=False):
        try:
            for x in items:
                out.append(fn(x))
        except KeyboardInterrupt:
            return out, True
    return out, False
