"""The control room's protocol: every HTTP body and WebSocket message as a pydantic model.

Scripts and notebooks drive a live run the way the page does (see ``docs/control-room.md``).
A WebSocket connection at ``/ws`` exchanges JSON objects with a ``type``; the client's messages
are :data:`ClientMessage` (validated: a malformed one gets an :class:`ErrorMsg` back and changes
nothing), the server's are the ``*Msg`` models below. The HTTP API (``/api/...``) offers the same
operations for scripts that prefer plain requests; its OpenAPI description is at
``/openapi.json`` and readable at ``/protocol``.

Units: every number the server sends is SI (time in s, power in W, pressure in Pa, temperature in
K, fractions in 1); each column's unit is listed in :class:`ColumnInfo`. Action fields are given
as the action registry takes them: text with a unit (``"50 %"``, ``"15.7 MPa"``) or a number in
the field's SI unit (:func:`nppsim.actions.describe` lists them).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter

#: the paces the page offers (simulated seconds per wall second); "max" is as fast as possible
PACES: tuple[float | str, ...] = (0, 1, 2, 5, 10, 100, "max")
MAX_PACE = 10000.0


def _check_pace(v: float | str) -> float | str:
    if v == "max":
        return v
    if not 0.0 <= float(v) <= MAX_PACE:
        raise ValueError(f"pace is 0 (paused) to {MAX_PACE:g}, or 'max'")
    return float(v)


Pace = Annotated[
    float | Literal["max"],
    AfterValidator(_check_pace),
    Field(description="simulated seconds per wall second (0 pauses), or 'max'"),
]


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(
        None, max_length=64, description="optional client tag, echoed in the reply"
    )


# -- starting a live run --------------------------------------------------------------------------
class InitialSpec(BaseModel):
    """A steady state to start from (fields as in a scenario's ``[initial]`` table)."""

    model_config = ConfigDict(extra="forbid")
    power: str | float = Field("100 %", description='relative power, e.g. "100 %" or 1.0')
    critical: Literal["boron", "bank"] = "boron"
    rod_control: Literal["auto", "manual"] = "auto"
    boron_control: Literal["auto", "manual"] = "manual"
    boron: str | float | None = Field(None, description='boron, e.g. "1200 ppm" (optional)')
    cycle: str | None = Field(
        None,
        max_length=40,
        description='point of the fuel cycle: a state of the design\'s [cycle], e.g. "EOC" '
        "(optional; default: the design's [reactivity] as written)",
    )
    pumps_off: list[int] = Field(
        [], max_length=8, description="plant model: coolant pumps idle at the start (1-based)"
    )


class CreateRun(BaseModel):
    """Start a live run from one of: a power level (``initial``), a scenario (built-in name or
    the text of an uploaded TOML file), or a saved snapshot (``snapshot``)."""

    model_config = ConfigDict(extra="forbid")
    design: str = Field("vver1000-v446", max_length=100, description="design name")
    model: Literal["core", "plant"] = Field("core", description="the core alone or the plant")
    initial: InitialSpec | None = None
    scenario: str | None = Field(None, max_length=100, description="built-in scenario name")
    scenario_toml: str | None = Field(
        None, max_length=256 * 1024, description="text of a scenario file (TOML)"
    )
    snapshot: str | None = Field(None, max_length=100, description="id of a saved snapshot")
    pace: Pace = 0.0
    label: str = Field("", max_length=80)


class RunInfo(BaseModel):
    """What a live run is and where it stands."""

    id: str
    label: str
    design: str
    model: str
    source: str = Field(description="what it started from: power level, scenario or snapshot")
    t: float = Field(description="simulated time [s]")
    status: str = Field(description="paused, running, failed or ended")
    message: str = ""
    pace: float | str
    speed: float = Field(0.0, description="achieved simulated seconds per wall second")
    viewers: int = 0
    created: float = Field(description="wall clock (Unix time) of the start [s]")
    scenario_end: float | None = Field(None, description="end of the scenario [s], if any")


class ColumnInfo(BaseModel):
    name: str
    unit: str


class SnapshotInfo(BaseModel):
    """A saved snapshot: in the server's store (it survives a restart), downloadable."""

    id: str
    label: str
    design: str
    model: str
    t: float = Field(description="simulated time of the snapshot [s]")
    created: float
    size: int = Field(description="bytes")
    run: str = Field("", description="the live run it was taken of")


# -- client -> server ---------------------------------------------------------------------------
class CreateMsg(_Msg, CreateRun):
    """Start a live run and join it."""

    type: Literal["create"]


#: which current values the updates carry: ``"all"`` (every recorded column), ``"view"`` (the
#: columns the mimic diagram shows and the watched ones: what the page needs) or a list of columns
ValuesSpec = Annotated[
    Literal["all", "view"] | list[str],
    Field(
        description="the current values updates carry: 'all' columns, 'view' (the mimic's "
        "and the watched columns) or a list of columns",
    ),
]


class JoinMsg(_Msg):
    """Watch (and steer) a live run; ``columns`` are the recorded columns whose rows the updates
    carry (the trends), with their history back to ``max_points`` points; ``values`` the columns
    whose current values they carry (every column by default)."""

    type: Literal["join"]
    run: str = Field(max_length=64)
    columns: list[str] = Field([], max_length=64)
    max_points: int = Field(2000, ge=10, le=20000)
    values: ValuesSpec = "all"


class LeaveMsg(_Msg):
    type: Literal["leave"]


class WatchMsg(_Msg):
    """Change the columns whose rows the updates carry; a ``history`` reply back-fills them.
    ``values`` changes the columns whose current values they carry (left as it was if not
    given): ``"view"`` sends only what the page shows, far less than every column."""

    type: Literal["watch"]
    columns: list[str] = Field(max_length=64)
    max_points: int = Field(2000, ge=10, le=20000)
    values: ValuesSpec | None = None


class CommandMsg(_Msg):
    """An operator command or an instructor malfunction: an action of the registry
    (``{"kind": "scram"}``, ``{"kind": "power_setpoint", "target": "80 %", "rate": "1 %/min"}``),
    applied at the simulation time at which the server receives it."""

    type: Literal["command"]
    action: dict[str, Any]


class PaceMsg(_Msg):
    type: Literal["pace"]
    pace: Pace


class SnapshotMsg(_Msg):
    """Save a snapshot of the joined run in the server's store."""

    type: Literal["snapshot"]
    label: str = Field("", max_length=80)


class RewindMsg(_Msg):
    """Return the joined run to a saved snapshot of the same design and model (it pauses)."""

    type: Literal["rewind"]
    snapshot: str = Field(max_length=100)


class StopMsg(_Msg):
    """End the joined run (its final state is saved as a snapshot first)."""

    type: Literal["stop"]


class PingMsg(_Msg):
    type: Literal["ping"]


ClientMessage = Annotated[
    CreateMsg
    | JoinMsg
    | LeaveMsg
    | WatchMsg
    | CommandMsg
    | PaceMsg
    | SnapshotMsg
    | RewindMsg
    | StopMsg
    | PingMsg,
    Field(discriminator="type"),
]
CLIENT_MESSAGE = TypeAdapter(ClientMessage)


# -- server -> client ---------------------------------------------------------------------------
class HelloMsg(BaseModel):
    """First message of a connection."""

    type: Literal["hello"] = "hello"
    version: str
    limits: dict[str, float]
    paces: list[float | str]


class JoinedMsg(BaseModel):
    """Everything the page needs to show a run: its description, topology (the mimic), actions
    (the controls), columns, annunciator tiles, the event log, snapshots and the history of the
    watched columns."""

    type: Literal["joined"] = "joined"
    id: str | None = None
    run: RunInfo
    topology: dict[str, Any]
    actions: list[dict[str, Any]]
    columns: list[ColumnInfo]
    annunciator: list[dict[str, Any]]
    log: list[dict[str, Any]]
    snapshots: list[SnapshotInfo]
    history: dict[str, list[float | None]]
    values: dict[str, float | None]


class HistoryMsg(BaseModel):
    """Rows of the watched columns back to the start (decimated to ``max_points``)."""

    type: Literal["history"] = "history"
    id: str | None = None
    rows: dict[str, list[float | None]]


class UpdateMsg(BaseModel):
    """A live update: the clock, status, current values (of every column, or those the viewer
    chose with ``values``), new rows of the watched columns (decimated), new event-log entries
    and the commands applied since the last one."""

    type: Literal["update"] = "update"
    run: str
    seq: int
    t: float
    status: str
    message: str = ""
    pace: float | str
    speed: float
    values: dict[str, float | None]
    rows: dict[str, list[float | None]]
    events: list[dict[str, Any]]
    applied: list[dict[str, Any]]
    viewers: int


class ResetMsg(BaseModel):
    """The run went back to a snapshot: replace the trends and the log."""

    type: Literal["reset"] = "reset"
    run: RunInfo
    log: list[dict[str, Any]]
    history: dict[str, list[float | None]]
    values: dict[str, float | None]


class SnapshotSavedMsg(BaseModel):
    type: Literal["snapshot_saved"] = "snapshot_saved"
    id: str | None = None
    snapshot: SnapshotInfo


class EndedMsg(BaseModel):
    """The run ended (stopped, idle too long, or the server shut down)."""

    type: Literal["ended"] = "ended"
    run: str
    reason: str
    snapshot: SnapshotInfo | None = None


class PongMsg(BaseModel):
    type: Literal["pong"] = "pong"
    id: str | None = None
    t: float | None = None


class ErrorMsg(BaseModel):
    """A refused message or command: nothing changed. For an action, ``field``, ``value`` and
    ``allowed`` say what was wrong."""

    type: Literal["error"] = "error"
    id: str | None = None
    code: str = Field(
        description="invalid, not_found, rate_limited, too_large, conflict, failed, forbidden"
    )
    message: str
    field: str | None = None
    value: Any = None
    allowed: str | None = None


ServerMessage = Annotated[
    HelloMsg
    | JoinedMsg
    | HistoryMsg
    | UpdateMsg
    | ResetMsg
    | SnapshotSavedMsg
    | EndedMsg
    | PongMsg
    | ErrorMsg,
    Field(discriminator="type"),
]


# -- HTTP bodies ------------------------------------------------------------------------------
class CommandBody(BaseModel):
    """An action for ``POST /api/runs/{id}/commands``."""

    model_config = ConfigDict(extra="forbid")
    action: dict[str, Any]


class CommandResult(BaseModel):
    """When a command was applied, and the log entries it produced."""

    kind: str
    t: float = Field(description="simulated time at which it was applied [s]")
    entries: list[dict[str, Any]]


class PaceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pace: Pace


class SnapshotBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field("", max_length=80)


class RewindBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    snapshot: str = Field(max_length=100)


class ServerInfo(BaseModel):
    """What the server offers: designs (with the models each can run), built-in scenarios,
    paces and limits."""

    version: str
    designs: list[dict[str, Any]]
    scenarios: list[dict[str, Any]]
    paces: list[float | str]
    limits: dict[str, float]


def schemas() -> dict[str, Any]:
    """JSON schemas of the WebSocket messages (client and server), for ``/api/protocol``."""
    return {
        "client": CLIENT_MESSAGE.json_schema(),
        "server": TypeAdapter(ServerMessage).json_schema(),
    }
