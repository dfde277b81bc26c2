"""The control room's web application: the page, the HTTP API and the WebSocket.

:func:`create_app` builds a FastAPI application around a :class:`~nppsim.server.live.RunManager`.
Live runs advance in their own worker threads; the event loop only routes messages, so the page
stays responsive whatever the runs do. The protocol (messages, errors, limits) is described in
:mod:`nppsim.server.protocol` and ``docs/control-room.md``.

Security: with a token (required by ``nppsim serve`` beyond localhost) every HTTP and WebSocket
request must carry it: ``Authorization: Bearer <token>``, ``?token=<token>`` (the page's first
load; a cookie then carries it), or the ``nppsim_token`` cookie. WebSocket connections and
requests that change something must come from the page's own origin when a browser says where
it comes from (``Origin``), so another site cannot drive a local server through a visitor's
browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import io
import json
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
from fastapi import FastAPI, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ValidationError

from nppsim import __version__
from nppsim.server import protocol as P
from nppsim.server.live import (
    Limits,
    LiveRun,
    RunError,
    RunManager,
    Tick,
    _list,
    decimate_index,
    parse_command,
)
from nppsim.server.store import StoreError

STATIC = Path(str(resources.files("nppsim.server") / "static"))
COOKIE = "nppsim_token"
MAX_PENDING = 2000  # updates queued for one slow viewer before it is disconnected
SWITCH_INTERVAL = 5e-4  # [s] the GIL switch interval while serving (see lifespan)
ROWS_PER_UPDATE = 400  # rows of each watched column in one update, at most (decimated)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


# -- security ---------------------------------------------------------------------------------
class TokenGuard:
    """ASGI middleware: the token on every request (HTTP and WebSocket), and same-origin checks.

    Parameters
    ----------
    app : ASGI app
        The application it guards.
    token : str or None
        The token (None: no token needed; the origin checks still apply).
    """

    def __init__(self, app: Any, token: str | None) -> None:
        self.app = app
        self.token = token

    def _given(self, scope: Scope) -> tuple[str | None, bool]:
        headers = {k.decode().lower(): v.decode(errors="replace") for k, v in scope["headers"]}
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        q = parse_qs(scope.get("query_string", b"").decode(errors="replace"))
        if "token" in q:
            return q["token"][0], True
        for part in headers.get("cookie", "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == COOKIE:
                return v, False
        return None, False

    @staticmethod
    def _same_origin(scope: Scope) -> bool:
        headers = {k.decode().lower(): v.decode(errors="replace") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if not origin or origin == "null":
            return origin is None
        host = headers.get("host", "")
        return urlsplit(origin).netloc.lower() == host.lower()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        mutating = scope["type"] == "websocket" or scope.get("method") in (
            "POST",
            "PUT",
            "PATCH",
            "DELETE",
        )
        if mutating and not self._same_origin(scope):
            await self._refuse(scope, receive, send, 403, "cross-origin request refused")
            return
        set_cookie = False
        if self.token is not None:
            given, from_query = self._given(scope)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                await self._refuse(
                    scope, receive, send, 401, "a valid token is needed (see 'nppsim serve')"
                )
                return
            set_cookie = from_query and scope["type"] == "http"
        if not set_cookie:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode())],
                }
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, why: str) -> None:
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008, "reason": why})
            return
        body = json.dumps({"detail": why}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class Bucket:
    """A token bucket: ``rate`` messages a second, ``burst`` at once."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.level = burst
        self.last = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.level = min(self.burst, self.level + (now - self.last) * self.rate)
        self.last = now
        if self.level >= 1.0:
            self.level -= 1.0
            return True
        return False


# -- viewers ------------------------------------------------------------------------------------
def _dump(msg: BaseModel | dict[str, Any]) -> str:
    data = msg.model_dump(mode="json") if isinstance(msg, BaseModel) else msg
    return json.dumps(data, separators=(",", ":"), allow_nan=False)


class Viewer:
    """One WebSocket connection: the run it watches, its columns and its outgoing queue.

    Updates are queued by the event loop (never by worker threads) and sent by one task, so
    messages keep their order; consecutive updates waiting for a slow client are merged.
    """

    def __init__(self, ws: WebSocket, hub: Hub) -> None:
        self.ws = ws
        self.hub = hub
        self.run: LiveRun | None = None
        self.columns: list[str] = []
        self.col_idx: list[int] = []
        #: which current values the updates carry ("all", "view" or a list of columns) and
        #: their indices (None: every column)
        self.values_spec: str | list[str] = "all"
        self.values_idx: list[int] | None = None
        self.items: deque[Any] = deque()
        self.wake = asyncio.Event()
        self.holding = False
        self.skip_upto = 0
        self.closed = False
        self._closing: asyncio.Future[None] | None = None

    def send(self, msg: BaseModel | dict[str, Any]) -> None:
        self.items.append(msg)
        self.wake.set()

    def push(self, run_id: str, tick: Tick) -> None:
        if self.run is None or self.run.id != run_id or self.closed:
            return
        self.items.append(tick)
        if len(self.items) > MAX_PENDING:
            self.closed = True
            self._closing = asyncio.ensure_future(self.ws.close(1013, "too slow: updates piled up"))
        self.wake.set()

    def set_columns(self, columns: list[str], values: str | list[str] | None = None) -> None:
        """The watched columns (rows in updates) and, if given, the values updates carry."""
        run = self.run
        assert run is not None
        self.columns = [c for c in columns if c in run.col_index]
        self.col_idx = [run.col_index[c] for c in self.columns]
        if values is not None:
            self.values_spec = values
        spec = self.values_spec
        if spec == "all":
            self.values_idx = None
            return
        names = set(self.columns) | (run.view_columns if spec == "view" else set(spec))
        self.values_idx = sorted(run.col_index[c] for c in names if c in run.col_index)

    async def sender(self) -> None:
        while not self.closed:
            await self.wake.wait()
            self.wake.clear()
            if self.holding:
                continue
            while self.items and not self.holding:
                item = self.items.popleft()
                if isinstance(item, Tick):
                    ticks = [item]
                    while self.items and isinstance(self.items[0], Tick):
                        ticks.append(self.items.popleft())
                    for text in self._render(ticks):
                        await self.ws.send_text(text)
                else:
                    await self.ws.send_text(_dump(item))

    def _render(self, ticks: list[Tick]) -> list[str]:
        ticks = [t for t in ticks if t.seq > self.skip_upto]
        out = []
        run = self.run
        if run is None or not ticks:
            return out
        k = max((i for i, t in enumerate(ticks) if t.reset), default=-1)
        if k >= 0:
            r = ticks[k]
            out.append(
                _dump(
                    P.ResetMsg(
                        run=run.info(),
                        log=r.log or [],
                        history=run.history(self.columns, 2000),
                        values=_values(run, r),
                    )
                )
            )
            ticks = ticks[k + 1 :]
            if not ticks:
                return out
        last = ticks[-1]
        ts = np.concatenate([t.ts for t in ticks])
        rows = {"time_s": []} | {c: [] for c in self.columns}
        if len(ts) and self.columns:
            xs = np.concatenate([t.rows for t in ticks])[:, self.col_idx]
            idx = decimate_index(xs, ROWS_PER_UPDATE)
            rows = {"time_s": _list(ts[idx])}
            for j, c in enumerate(self.columns):
                rows[c] = _list(xs[idx, j])
        msg = {
            "type": "update",
            "run": run.id,
            "seq": last.seq,
            "t": last.t,
            "status": last.status,
            "message": last.message,
            "pace": last.pace,
            "speed": round(float(last.speed), 4),
            "rows": rows,
            "events": [e for t in ticks for e in t.events],
            "applied": [a for t in ticks for a in t.applied],
            "viewers": run.viewers,
        }
        head = json.dumps(msg, separators=(",", ":"), allow_nan=False)
        out.append(f'{head[:-1]},"values":{_values_json(run, last, self.values_idx)}}}')
        return out


def _values(run: LiveRun, tick: Tick) -> dict[str, float | None]:
    vals = _list(tick.values)
    return dict(zip(run.column_names, vals, strict=True))


def _values_json(run: LiveRun, tick: Tick, idx: list[int] | None) -> str:
    """The update's ``values`` object as JSON: encoded once per update and choice of columns
    (viewers of one run share it), on the event loop."""
    key = None if idx is None else tuple(idx)
    text = tick.cache.get(key)
    if text is None:
        if idx is None:
            vals = _values(run, tick)
        else:
            names = run.column_names
            vals = dict(zip([names[i] for i in idx], _list(tick.values[idx]), strict=True))
        text = json.dumps(vals, separators=(",", ":"), allow_nan=False)
        tick.cache[key] = text
    return text


class Hub:
    """Routes the runs' updates (from worker threads) to their viewers (on the event loop)."""

    def __init__(self, manager: RunManager) -> None:
        self.manager = manager
        self.loop: asyncio.AbstractEventLoop | None = None
        self.viewers: dict[str, set[Viewer]] = {}
        manager.on_created.append(self.attach)
        manager.on_ended.append(self._ended)

    def attach(self, run: LiveRun) -> None:
        def listener(tick: Tick) -> None:
            loop = self.loop
            if loop is not None and not loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(self._fanout, run.id, tick)

        run.add_listener(listener)

    def _fanout(self, run_id: str, tick: Tick) -> None:
        for v in list(self.viewers.get(run_id, ())):
            v.push(run_id, tick)

    def _ended(self, run: LiveRun, reason: str, snap: P.SnapshotInfo | None) -> None:
        def tell() -> None:
            for v in list(self.viewers.pop(run.id, ())):
                v.send(P.EndedMsg(run=run.id, reason=reason, snapshot=snap))
                v.run = None

        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(tell)

    def subscribe(self, v: Viewer, run: LiveRun) -> None:
        self.unsubscribe(v)
        v.run = run
        self.viewers.setdefault(run.id, set()).add(v)
        run.viewers = len(self.viewers[run.id])

    def unsubscribe(self, v: Viewer) -> None:
        run = v.run
        if run is None:
            return
        group = self.viewers.get(run.id, set())
        group.discard(v)
        run.viewers = len(group)
        if not group:
            run.idle_since = time.monotonic()
        v.run = None
        v.items = deque(x for x in v.items if not isinstance(x, Tick))


# -- the application --------------------------------------------------------------------------
def _error(e: Exception, tag: str | None = None, kind: str | None = None) -> P.ErrorMsg:
    if isinstance(e, RunError):
        return P.ErrorMsg(
            id=tag,
            code=e.code,
            message=str(e),
            field=e.field,
            value=_jsonable(e.value),
            allowed=e.allowed,
        )
    if isinstance(e, StoreError):
        return P.ErrorMsg(id=tag, code=e.code, message=str(e))
    if isinstance(e, ValidationError):
        first = e.errors()[0]
        parts = list(first["loc"])
        if kind is not None and parts and parts[0] == kind:
            parts = parts[1:]  # the message's type tag: the field is what follows
        loc = ".".join(str(p) for p in parts)
        value = first.get("input")
        return P.ErrorMsg(
            id=tag,
            code="invalid",
            message=f"{loc}: {first['msg']}" if loc else first["msg"],
            field=loc or None,
            value=_jsonable(value),
            allowed=first["msg"],
        )
    return P.ErrorMsg(id=tag, code="failed", message=f"{type(e).__name__}: {e}")


def _jsonable(v: Any) -> Any:
    try:
        json.dumps(v, allow_nan=False)
    except (TypeError, ValueError):
        return str(v)
    if isinstance(v, str) and len(v) > 200:
        return v[:200] + "..."
    return v


_STATUS = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "failed": 409,
    "too_large": 413,
    "forbidden": 403,
    "rate_limited": 429,
}


def _http_error(e: Exception) -> JSONResponse:
    err = _error(e)
    return JSONResponse(err.model_dump(mode="json"), status_code=_STATUS.get(err.code, 400))


def create_app(
    data_dir: Path | str,
    *,
    token: str | None = None,
    limits: Limits | None = None,
    allow_unsigned: bool = False,
    manager: RunManager | None = None,
) -> FastAPI:
    """The control room as an ASGI application.

    Parameters
    ----------
    data_dir : path
        Where saved snapshots are kept (across restarts).
    token : str, optional
        Token every request must carry (None: none needed).
    limits : Limits, optional
        Limits to enforce (defaults: :class:`~nppsim.server.live.Limits`).
    allow_unsigned : bool
        Load uploaded snapshots saved by another server (they are pickles: trusted use only).
    manager : RunManager, optional
        An existing manager (tests).
    """
    mgr = manager or RunManager(Path(data_dir), limits, allow_unsigned)
    lim = mgr.limits
    hub = Hub(mgr)
    http_buckets: dict[str, Bucket] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hub.loop = asyncio.get_running_loop()
        reaper = asyncio.create_task(_reap())
        # The runs' worker threads compute while the event loop waits on sockets; with Python's
        # default 5 ms switch interval the loop waits up to that long for the GIL after every
        # socket operation (the convoy effect), which with tens of runs adds up to seconds of
        # latency. A shorter interval hands the GIL back sooner.
        old_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(old_interval, SWITCH_INTERVAL))
        try:
            yield
        finally:
            reaper.cancel()
            await asyncio.to_thread(mgr.shutdown)
            sys.setswitchinterval(old_interval)

    async def _reap() -> None:
        period = max(0.5, min(30.0, lim.idle_timeout / 4))
        while True:
            await asyncio.sleep(period)
            for run_id in mgr.idle_runs():
                with contextlib.suppress(RunError):
                    await asyncio.to_thread(mgr.end, run_id, "idle: nobody watched it")

    app = FastAPI(
        title="nppsim control room",
        version=__version__,
        description=(
            "Live runs of nppsim plants: start, steer, watch, snapshot, download. The WebSocket "
            "at /ws carries the same operations (message schemas at /api/protocol); see "
            "docs/control-room.md."
        ),
        lifespan=lifespan,
    )
    app.state.manager = mgr
    app.state.hub = hub

    @app.middleware("http")
    async def rate_limit(request: Request, call_next: Any) -> Any:
        if request.method in ("POST", "DELETE", "PUT", "PATCH"):
            host = request.client.host if request.client else "?"
            b = http_buckets.setdefault(host, Bucket(lim.messages_per_s, lim.message_burst))
            if not b.take():
                return _http_error(RunError("too many requests: slow down", "rate_limited"))
        return await call_next(request)

    # -- page ---------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/protocol", include_in_schema=False)
    async def protocol_page() -> FileResponse:
        return FileResponse(STATIC / "protocol.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- catalogue ----------------------------------------------------------------------------
    @app.get("/api/info", response_model=P.ServerInfo, summary="Designs, scenarios, paces, limits")
    async def info() -> dict[str, Any]:
        return await asyncio.to_thread(mgr.server_info)

    @app.get("/api/protocol", summary="JSON schemas of the WebSocket messages")
    async def protocol_schema() -> dict[str, Any]:
        return P.schemas()

    @app.get("/api/designs/{name}/actions", summary="The actions a design's model offers")
    async def design_actions(name: str, model: str = "core") -> Any:
        from nppsim.actions import describe
        from nppsim.plant.design_view import DesignView

        try:
            design = mgr._design(name)
        except RunError as e:
            return _http_error(e)
        return describe(DesignView(design, model))

    @app.get("/api/designs/{name}/topology", summary="The mimic's description of a design")
    async def design_topology(name: str, model: str = "core") -> Any:
        from nppsim.server.topology import topology

        try:
            design = mgr._design(name)
        except RunError as e:
            return _http_error(e)
        return topology(design, model)

    # -- runs ---------------------------------------------------------------------------------
    @app.get("/api/runs", response_model=list[P.RunInfo], summary="The live runs")
    async def list_runs() -> Any:
        return mgr.list()

    @app.post("/api/runs", response_model=P.RunInfo, summary="Start a live run")
    async def create_run(spec: P.CreateRun) -> Any:
        try:
            run = await asyncio.to_thread(mgr.create, spec)
        except (RunError, StoreError) as e:
            return _http_error(e)
        return run.info()

    def _run(run_id: str) -> LiveRun:
        run = mgr.get(run_id)
        if run.viewers == 0:
            run.idle_since = time.monotonic()
        return run

    @app.get("/api/runs/{run_id}", response_model=P.RunInfo, summary="One live run")
    async def get_run(run_id: str) -> Any:
        try:
            return _run(run_id).info()
        except RunError as e:
            return _http_error(e)

    @app.get("/api/runs/{run_id}/values", summary="Current value of every recorded column (SI)")
    async def run_values(run_id: str) -> Any:
        try:
            run = _run(run_id)
        except RunError as e:
            return _http_error(e)
        return {"t": run.sim.t, "values": run.values()}

    @app.delete("/api/runs/{run_id}", summary="End a live run (its final state is saved)")
    async def delete_run(run_id: str) -> Any:
        try:
            snap = await asyncio.to_thread(mgr.end, run_id, "stopped by a user")
        except RunError as e:
            return _http_error(e)
        return {"ended": run_id, "snapshot": snap.model_dump() if snap else None}

    @app.post(
        "/api/runs/{run_id}/commands",
        response_model=P.CommandResult,
        summary="Apply an action at the current simulation time",
    )
    async def command(run_id: str, body: P.CommandBody) -> Any:
        try:
            run = _run(run_id)
            action = parse_command(run.model, body.action)
            res = await asyncio.wrap_future(run.submit(action))
        except (RunError, StoreError) as e:
            return _http_error(e)
        return P.CommandResult(kind=res["kind"], t=res["t"], entries=res["entries"])

    @app.post("/api/runs/{run_id}/pace", response_model=P.RunInfo, summary="Set the pace")
    async def pace(run_id: str, body: P.PaceBody) -> Any:
        try:
            run = _run(run_id)
            await asyncio.wrap_future(run.set_pace(body.pace))
        except RunError as e:
            return _http_error(e)
        return run.info()

    @app.get("/api/runs/{run_id}/series", summary="Recorded rows of chosen columns (decimated)")
    async def series(
        run_id: str,
        columns: str = Query(..., description="comma-separated column names"),
        max_points: int = Query(2000, ge=10, le=200000),
    ) -> Any:
        try:
            run = _run(run_id)
        except RunError as e:
            return _http_error(e)
        cols = [c for c in columns.split(",") if c]
        unknown = [c for c in cols if c not in run.col_index]
        if unknown:
            return _http_error(
                RunError(
                    f"unknown columns: {', '.join(unknown)}",
                    field="columns",
                    value=unknown,
                    allowed="the run's recorded columns (GET /api/runs/{id}/values)",
                )
            )
        return await asyncio.to_thread(run.history, cols, max_points)

    @app.get("/api/runs/{run_id}/record.parquet", summary="The record as Parquet (SI columns)")
    async def record_parquet(run_id: str) -> Any:
        return await _export(run_id, "parquet")

    @app.get("/api/runs/{run_id}/record.csv", summary="The record as CSV (SI columns)")
    async def record_csv(run_id: str) -> Any:
        return await _export(run_id, "csv")

    @app.get("/api/runs/{run_id}/events.json", summary="The event log as JSON")
    async def events_json(run_id: str) -> Any:
        return await _export(run_id, "events")

    async def _export(run_id: str, what: str) -> Response:
        try:
            run = _run(run_id)
        except RunError as e:
            return _http_error(e)

        def make() -> tuple[bytes, str]:
            df, log = run.export()
            if what == "events":
                body = {"run": run.info().model_dump(), "events": log}
                return json.dumps(body, indent=1).encode(), "application/json"
            if what == "csv":
                return df.to_csv(index=False).encode(), "text/csv"
            buf = io.BytesIO()
            df.to_parquet(buf, index=False)
            return buf.getvalue(), "application/vnd.apache.parquet"

        try:
            data, mime = await asyncio.to_thread(make)
        except RunError as e:
            return _http_error(e)
        ext = {"events": "events.json", "csv": "record.csv", "parquet": "record.parquet"}[what]
        return Response(
            data,
            media_type=mime,
            headers={"Content-Disposition": f'attachment; filename="{run.id}-{ext}"'},
        )

    # -- snapshots ----------------------------------------------------------------------------
    @app.post(
        "/api/runs/{run_id}/snapshots",
        response_model=P.SnapshotInfo,
        summary="Save a snapshot of a run in the server's store",
    )
    async def save_snapshot(run_id: str, body: P.SnapshotBody) -> Any:
        try:
            run = _run(run_id)
            return await asyncio.to_thread(mgr.save_snapshot, run, body.label)
        except RunError as e:
            return _http_error(e)

    @app.post("/api/runs/{run_id}/rewind", response_model=P.RunInfo, summary="Rewind a run")
    async def rewind(run_id: str, body: P.RewindBody) -> Any:
        try:
            run = _run(run_id)
            await asyncio.to_thread(mgr.rewind, run, body.snapshot)
        except RunError as e:
            return _http_error(e)
        return run.info()

    @app.get("/api/snapshots", response_model=list[P.SnapshotInfo], summary="Saved snapshots")
    async def list_snapshots(run: str | None = None) -> Any:
        return await asyncio.to_thread(mgr.store.list, run)

    @app.get("/api/snapshots/{sid}", summary="Download a snapshot file (.nppsnap)")
    async def get_snapshot(sid: str) -> Any:
        try:
            path = mgr.store.file(sid)
        except StoreError as e:
            return _http_error(e)
        return FileResponse(
            path, media_type="application/octet-stream", filename=f"nppsim-{sid}.nppsnap"
        )

    @app.delete("/api/snapshots/{sid}", summary="Delete a saved snapshot")
    async def delete_snapshot(sid: str) -> Any:
        try:
            mgr.store.delete(sid)
        except StoreError as e:
            return _http_error(e)
        return {"deleted": sid}

    @app.post(
        "/api/snapshots",
        response_model=P.SnapshotInfo,
        summary="Upload a snapshot file (the raw .nppsnap bytes as the request body)",
    )
    async def upload_snapshot(request: Request) -> Any:
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > lim.upload_bytes:
            return _http_error(_too_large(int(size), lim.upload_bytes))
        chunks, total = [], 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > lim.upload_bytes:
                return _http_error(_too_large(total, lim.upload_bytes))
            chunks.append(chunk)
        try:
            return await asyncio.to_thread(mgr.store.add_upload, b"".join(chunks))
        except StoreError as e:
            return _http_error(e)

    # -- WebSocket ----------------------------------------------------------------------------
    @app.websocket("/ws")
    async def ws_endpoint(ws: WebSocket) -> None:
        await ws.accept()
        viewer = Viewer(ws, hub)
        sender = asyncio.create_task(viewer.sender())
        bucket = Bucket(lim.messages_per_s, lim.message_burst)
        viewer.send(P.HelloMsg(version=__version__, limits=lim.public(), paces=list(P.PACES)))
        try:
            while True:
                event = await ws.receive()
                if event["type"] == "websocket.disconnect":
                    break
                text = event.get("text")
                if text is None:
                    raw = event.get("bytes") or b""
                    if len(raw) > lim.message_bytes:
                        viewer.send(_error(_too_large(len(raw), lim.message_bytes)))
                        continue
                    try:
                        text = raw.decode()
                    except UnicodeDecodeError:
                        viewer.send(P.ErrorMsg(code="invalid", message="messages are JSON text"))
                        continue
                if len(text) > lim.message_bytes:
                    viewer.send(_error(_too_large(len(text), lim.message_bytes)))
                    continue
                if not bucket.take():
                    viewer.send(
                        P.ErrorMsg(
                            code="rate_limited",
                            message=f"too many messages (at most {lim.messages_per_s:g}/s): "
                            "this one was dropped",
                        )
                    )
                    continue
                await _handle(viewer, text)
        except WebSocketDisconnect:
            pass
        finally:
            hub.unsubscribe(viewer)
            viewer.closed = True
            viewer.wake.set()
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    async def _handle(viewer: Viewer, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError as e:
            viewer.send(P.ErrorMsg(code="invalid", message=f"not JSON: {e}"))
            return
        tag = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
        try:
            msg = P.CLIENT_MESSAGE.validate_python(data)
        except ValidationError as e:
            kind = data.get("type") if isinstance(data, dict) else None
            viewer.send(_error(e, tag, kind if isinstance(kind, str) else None))
            return
        try:
            await _dispatch(viewer, msg)
        except (RunError, StoreError, ValidationError) as e:
            viewer.send(_error(e, tag))

    async def _join(
        viewer: Viewer,
        run: LiveRun,
        columns: list[str],
        max_points: int,
        tag: Any,
        values: str | list[str] = "all",
    ) -> None:
        if run.viewers >= lim.max_viewers and viewer.run is not run:
            raise RunError(
                f"run {run.id} has {run.viewers} viewers, the limit", "conflict", "run", run.id
            )
        unknown = [c for c in columns if c not in run.col_index]
        if unknown:
            raise RunError(
                f"unknown columns: {', '.join(unknown)}",
                field="columns",
                value=unknown,
                allowed="the run's recorded columns",
            )
        _check_values(run, values)
        viewer.holding = True
        hub.subscribe(viewer, run)
        viewer.set_columns(columns, values)
        try:
            state = await asyncio.to_thread(run.join_state, viewer.columns, max_points)
        except Exception:
            viewer.holding = False
            hub.unsubscribe(viewer)
            raise
        viewer.skip_upto = state["seq"]
        viewer.items.appendleft(
            P.JoinedMsg(
                id=tag,
                run=state["info"],
                topology=run.topology,
                actions=run.actions,
                columns=[
                    P.ColumnInfo(name=c, unit=u)
                    for c, u in zip(run.column_names, run.column_units, strict=True)
                ],
                annunciator=run.annunciator,
                log=state["log"],
                snapshots=await asyncio.to_thread(mgr.store.list, run.id),
                history=state["history"],
                values=state["values"],
            )
        )
        viewer.holding = False
        viewer.wake.set()

    async def _dispatch(viewer: Viewer, msg: Any) -> None:
        tag = msg.id
        if isinstance(msg, P.PingMsg):
            viewer.send(P.PongMsg(id=tag, t=viewer.run.sim.t if viewer.run else None))
            return
        if isinstance(msg, P.CreateMsg):
            spec = P.CreateRun.model_validate(msg.model_dump(exclude={"type", "id"}))
            run = await asyncio.to_thread(mgr.create, spec)
            await _join(viewer, run, [], 2000, tag)
            return
        if isinstance(msg, P.JoinMsg):
            await _join(viewer, mgr.get(msg.run), msg.columns, msg.max_points, tag, msg.values)
            return
        run = viewer.run
        if run is None:
            raise RunError(f"'{msg.type}' needs a joined run: send 'join' or 'create' first")
        if run.viewers == 0:
            run.idle_since = time.monotonic()
        if isinstance(msg, P.LeaveMsg):
            hub.unsubscribe(viewer)
        elif isinstance(msg, P.WatchMsg):
            unknown = [c for c in msg.columns if c not in run.col_index]
            if unknown:
                raise RunError(
                    f"unknown columns: {', '.join(unknown)}",
                    field="columns",
                    value=unknown,
                    allowed="the run's recorded columns",
                )
            _check_values(run, msg.values)
            viewer.holding = True
            try:
                state = await asyncio.to_thread(run.join_state, msg.columns, msg.max_points)
            finally:
                viewer.holding = False
            viewer.set_columns(msg.columns, msg.values)
            viewer.skip_upto = state["seq"]
            viewer.send(P.HistoryMsg(id=tag, rows=state["history"]))
        elif isinstance(msg, P.CommandMsg):
            action = parse_command(run.model, msg.action)
            fut = asyncio.wrap_future(run.submit(action, tag))

            def done(f: asyncio.Future[Any], viewer: Viewer = viewer) -> None:
                if not f.cancelled() and f.exception() is not None:
                    viewer.send(_error(f.exception(), tag))  # type: ignore[arg-type]

            fut.add_done_callback(done)
        elif isinstance(msg, P.PaceMsg):
            await asyncio.wrap_future(run.set_pace(msg.pace))
        elif isinstance(msg, P.SnapshotMsg):
            snap = await asyncio.to_thread(mgr.save_snapshot, run, msg.label)
            for v in list(hub.viewers.get(run.id, ())):
                v.send(P.SnapshotSavedMsg(id=tag if v is viewer else None, snapshot=snap))
        elif isinstance(msg, P.RewindMsg):
            await asyncio.to_thread(mgr.rewind, run, msg.snapshot)
        elif isinstance(msg, P.StopMsg):
            await asyncio.to_thread(mgr.end, run.id, "stopped by a user")

    app.add_middleware(TokenGuard, token=token)
    return app


def _check_values(run: LiveRun, values: str | list[str] | None) -> None:
    """Refuse a ``values`` choice that names columns the run does not record."""
    unknown = [c for c in values if c not in run.col_index] if isinstance(values, list) else []
    if unknown:
        raise RunError(
            f"unknown columns in values: {', '.join(unknown)}",
            field="values",
            value=unknown,
            allowed="'all', 'view' or the run's recorded columns",
        )


def _too_large(size: int, limit: int) -> RunError:
    return RunError(
        f"{size} bytes is too large (at most {limit} bytes)",
        "too_large",
        field="size",
        value=size,
        allowed=f"at most {limit} bytes",
    )
