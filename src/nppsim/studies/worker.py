"""Set-up of the worker processes of a local study cluster (a Dask preload module).

Ctrl-C in a terminal sends SIGINT to every process of the foreground group, the local cluster's
worker processes too. The study's own process handles it (it writes what is finished and stops
the cluster); the workers ignore it, so they neither die before handing over computed outcomes
nor print tracebacks.
"""

from __future__ import annotations

import signal
import threading
from typing import Any


def dask_setup(worker: Any) -> None:
    """Called by Dask in each worker process as it starts (``preload``)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
