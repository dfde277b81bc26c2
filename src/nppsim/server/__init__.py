"""The control room: live runs of nppsim plants in the browser (``nppsim serve``).

* :mod:`nppsim.server.app`: the FastAPI application (page, HTTP API, WebSocket, token).
* :mod:`nppsim.server.live`: live runs (a worker thread each, paced on the wall clock) and the
  run manager (limits, idle runs, snapshots).
* :mod:`nppsim.server.protocol`: every message as a pydantic model.
* :mod:`nppsim.server.topology`: what the mimic diagram draws for a design.
* :mod:`nppsim.server.store`: saved snapshots (kept across restarts).

See ``docs/control-room.md``.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):  # type: ignore[no-untyped-def]
    """See :func:`nppsim.server.app.create_app` (imported lazily: FastAPI is only needed here)."""
    from nppsim.server.app import create_app as _create

    return _create(*args, **kwargs)
