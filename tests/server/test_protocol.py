"""The control room's protocol: every WebSocket message kind and HTTP endpoint, and malformed ones.

Each malformed or out-of-range message must get an error naming what was wrong, and change
nothing: the run goes on, its clock and event log untouched.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from nppsim.server.app import create_app
from nppsim.server.live import Limits

POWER = "power_relative"
PRESSURE = "pressure_primary_pa"


def recv(ws, kind: str, pred=lambda m: True, limit: int = 400) -> dict:
    """The next message of ``kind`` satisfying ``pred`` (updates in between are skipped)."""
    for _ in range(limit):
        m = ws.receive_json()
        if m["type"] == kind and pred(m):
            return m
        if m["type"] == "error" and kind != "error":
            raise AssertionError(f"unexpected error: {m}")
    raise AssertionError(f"no {kind} message")


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def joined(client):
    """A WebSocket joined to a fresh paused full-power core run: (client, ws, joined message)."""
    with client.websocket_connect("/ws") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_json({"type": "create", "id": "c", "design": "vver1000-v446", "model": "core"})
        m = recv(ws, "joined")
        yield client, ws, m


def run_t(client, run_id: str) -> float:
    return client.get(f"/api/runs/{run_id}").json()["t"]


# -- WebSocket ------------------------------------------------------------------------------
def test_hello_lists_limits_and_paces(client):
    with client.websocket_connect("/ws") as ws:
        m = ws.receive_json()
    assert m["type"] == "hello"
    assert m["paces"] == [0, 1, 2, 5, 10, 100, "max"]
    assert m["limits"]["message_bytes"] == 64 * 1024


def test_create_joins_with_everything_the_page_needs(joined):
    _, _, m = joined
    assert m["id"] == "c"
    assert m["run"]["status"] == "paused" and m["run"]["t"] == 0.0
    names = [c["name"] for c in m["columns"]]
    assert POWER in names and PRESSURE in names
    assert m["values"][POWER] == pytest.approx(1.0, rel=1e-6)
    assert m["topology"]["kind"] == "core" and m["topology"]["reactor"]["bind"]["power"] == POWER
    kinds = {a["kind"] for a in m["actions"]}
    assert {"scram", "power_setpoint", "bank", "boron"} <= kinds
    assert "turbine_load" not in kinds  # plant only
    assert m["annunciator"][0]["name"] == "manual"
    assert m["log"] == []


def test_create_errors_name_the_field(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "create", "id": "a", "design": "no-such-design"})
        e = recv(ws, "error")
        assert e["id"] == "a" and e["field"] == "design" and e["value"] == "no-such-design"
        ws.send_json({"type": "create", "id": "b", "initial": {"power": "150 %"}})
        e = recv(ws, "error")
        assert e["field"] == "initial.power" and "0 to 100 %" in e["allowed"]
        ws.send_json({"type": "create", "id": "c", "design": "ir360"})
        e = recv(ws, "error")
        assert e["field"] == "design" and "ratings only" in e["message"]
        ws.send_json({"type": "create", "id": "d", "scenario": "nope"})
        assert recv(ws, "error")["field"] == "scenario"
        ws.send_json({"type": "create", "id": "e", "scenario_toml": "this is = = not toml"})
        assert recv(ws, "error")["field"] == "scenario_toml"
        ws.send_json({"type": "create", "id": "f", "snapshot": "../../etc/passwd"})
        assert recv(ws, "error")["code"] == "not_found"
        ws.send_json({"type": "create", "id": "g", "model": "reactor"})
        e = recv(ws, "error")
        assert e["field"] == "model"
    assert client.get("/api/runs").json() == []


def test_plant_model_refused_clearly_until_available(client):
    from nppsim.designs import load_design
    from nppsim.server.live import plant_available

    if plant_available(load_design("vver1000-v446")):
        pytest.skip("the plant model is available: covered by the plant tests")
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "create", "id": "p", "model": "plant"})
        e = recv(ws, "error")
    assert e["field"] == "model" and "plant model cannot be built" in e["message"]


def test_watch_backfills_history_and_updates_carry_rows(joined):
    _, ws, _ = joined
    ws.send_json({"type": "pace", "pace": "max"})
    ws.send_json({"type": "watch", "id": "w", "columns": [POWER, PRESSURE]})
    h = recv(ws, "history")
    assert h["id"] == "w" and set(h["rows"]) == {"time_s", POWER, PRESSURE}
    u = recv(ws, "update", lambda u: len(u["rows"]["time_s"]) > 0)
    assert set(u["rows"]) == {"time_s", POWER, PRESSURE}
    assert len(u["rows"][POWER]) == len(u["rows"]["time_s"])
    assert u["status"] == "running" and u["t"] > 0
    ws.send_json({"type": "watch", "id": "w2", "columns": ["no_such_column"]})
    e = recv(ws, "error")
    assert e["id"] == "w2" and e["field"] == "columns"


def test_updates_carry_the_values_a_viewer_chooses(joined):
    """'values': every column by default; 'view' the mimic's and the watched columns; a list
    those columns (and the watched ones); unknown columns are refused and change nothing."""
    client, ws, m = joined
    run = m["run"]["id"]
    every = {c["name"] for c in m["columns"]}
    mimic = {v for v in m["topology"]["reactor"]["bind"].values() if v}
    assert POWER in mimic and len(mimic) >= 3 and mimic <= every

    def watch(columns, **kw):
        ws.send_json({"type": "watch", "id": "w", "columns": columns, **kw})
        assert recv(ws, "history")["id"] == "w"  # later updates follow the new choice
        return set(recv(ws, "update")["values"])

    ws.send_json({"type": "pace", "pace": "max"})
    assert set(recv(ws, "update", lambda u: u["status"] == "running")["values"]) == every
    view = watch([], values="view")  # the columns the mimic shows
    assert mimic <= view < every
    extra = sorted(every - view)[0]
    assert watch([extra]) == view | {extra}  # and the watched ones; values left as chosen
    assert watch([], values=["reactivity_external"]) == {"reactivity_external"}
    assert watch([PRESSURE]) == {"reactivity_external", PRESSURE}
    ws.send_json({"type": "watch", "id": "bad", "columns": [POWER], "values": ["nope"]})
    e = recv(ws, "error")
    assert e["id"] == "bad" and e["field"] == "values" and e["value"] == ["nope"]
    ws.send_json({"type": "watch", "id": "bad2", "columns": [], "values": "some"})
    assert recv(ws, "error")["id"] == "bad2"
    u = recv(ws, "update")
    assert set(u["values"]) == {"reactivity_external", PRESSURE}  # the refused ones changed nothing
    assert u["values"][PRESSURE] == pytest.approx(
        client.get(f"/api/runs/{run}/values").json()["values"][PRESSURE], rel=0.01
    )
    assert watch([], values="all") == every


def test_command_is_applied_at_the_current_time(joined):
    client, ws, m = joined
    run = m["run"]["id"]
    t_before = run_t(client, run)
    ws.send_json({"type": "command", "id": "k", "action": {"kind": "scram"}})
    u = recv(ws, "update", lambda u: u["applied"])
    a = u["applied"][0]
    assert a["id"] == "k" and a["kind"] == "scram"
    assert a["t"] == t_before  # paused: applied exactly at the clock
    assert any(e["kind"] == "trip" and e["name"] == "manual" for e in u["events"])


def test_bad_commands_change_nothing(joined):
    client, ws, m = joined
    run = m["run"]["id"]
    bad = [
        ({"kind": "no_such_action"}, "action.kind"),
        ({"kind": "power_setpoint", "target": "150 %", "rate": "1 %/min"}, "action.target"),
        ({"kind": "power_setpoint", "target": "50 %"}, "action.rate"),
        ({"kind": "power_setpoint", "target": "50 MPa", "rate": "1 %/min"}, "action.target"),
        ({"kind": "bank", "bank": "G99", "target": "50 %"}, "action.bank"),
        ({"kind": "pump_trip", "pump": 1}, "action.kind"),  # plant only
        ({"kind": "scram", "extra": 1}, "action.extra"),
        ("scram", "action"),
    ]
    for k, (action, field) in enumerate(bad):
        ws.send_json({"type": "command", "id": f"b{k}", "action": action})
        e = recv(ws, "error")
        assert e["id"] == f"b{k}" and e["field"] == field, e
        assert e["code"] == "invalid"
    log = client.get(f"/api/runs/{run}/events.json").json()["events"]
    assert log == []
    assert run_t(client, run) == 0.0


def test_numbers_are_taken_in_si(joined):
    _, ws, _ = joined
    action = {"kind": "power_setpoint", "target": 0.9, "rate": 0.01}
    ws.send_json({"type": "command", "id": "n", "action": action})
    u = recv(ws, "update", lambda u: u["applied"])
    assert u["applied"][0]["kind"] == "power_setpoint"


def test_pace_and_malformed_pace(joined):
    client, ws, m = joined
    run = m["run"]["id"]
    ws.send_json({"type": "pace", "pace": 100})
    u = recv(ws, "update", lambda u: u["status"] == "running" and u["t"] > 0)
    assert u["pace"] == 100
    for bad in (-1, 1e9, "fast", None):
        ws.send_json({"type": "pace", "id": "p", "pace": bad})
        e = recv(ws, "error")
        assert e["field"].startswith("pace") and e["id"] == "p"
    ws.send_json({"type": "pace", "pace": 0})
    recv(ws, "update", lambda u: u["status"] == "paused")
    t1 = run_t(client, run)
    ws.send_json({"type": "ping", "id": "q"})
    assert recv(ws, "pong")["id"] == "q"
    assert run_t(client, run) == t1  # paused: the clock stays


def test_snapshot_rewind_and_stop(joined):
    client, ws, m = joined
    run = m["run"]["id"]
    ws.send_json({"type": "pace", "pace": "max"})
    recv(ws, "update", lambda u: u["t"] > 5)
    ws.send_json({"type": "pace", "pace": 0})
    recv(ws, "update", lambda u: u["status"] == "paused")
    ws.send_json({"type": "snapshot", "id": "s", "label": "before trip"})
    s = recv(ws, "snapshot_saved")["snapshot"]
    assert s["label"] == "before trip" and s["run"] == run and s["design"] == "vver1000-v446"
    ws.send_json({"type": "command", "action": {"kind": "scram"}})
    recv(ws, "update", lambda u: u["applied"])
    ws.send_json({"type": "pace", "pace": "max"})
    recv(ws, "update", lambda u: u["t"] > s["t"] + 20)
    ws.send_json({"type": "rewind", "id": "r", "snapshot": s["id"]})
    r = recv(ws, "reset")
    assert r["run"]["t"] == s["t"] and r["run"]["status"] == "paused"
    assert not any(e["kind"] == "trip" for e in r["log"])
    assert r["values"][POWER] == pytest.approx(1.0, abs=0.02)
    ws.send_json({"type": "rewind", "id": "r2", "snapshot": "1234567890-00000000"})
    assert recv(ws, "error")["code"] == "not_found"
    ws.send_json({"type": "stop", "id": "x"})
    e = recv(ws, "ended")
    assert e["run"] == run and e["snapshot"]["label"].endswith("final state (stopped by a user)")
    assert client.get(f"/api/runs/{run}").status_code == 404
    ws.send_json({"type": "command", "id": "y", "action": {"kind": "scram"}})
    assert "needs a joined run" in recv(ws, "error")["message"]


def test_join_leave_and_several_viewers(joined):
    client, ws, m = joined
    run = m["run"]["id"]
    with client.websocket_connect("/ws") as ws2:
        ws2.receive_json()
        ws2.send_json({"type": "join", "run": run, "columns": [POWER]})
        j = recv(ws2, "joined")
        assert j["run"]["viewers"] == 2 and set(j["history"]) == {"time_s", POWER}
        ws.send_json({"type": "command", "id": "k", "action": {"kind": "scram"}})
        u2 = recv(ws2, "update", lambda u: u["events"])
        assert u2["events"][0]["kind"] == "trip"  # the other viewer sees the instructor's trip
        ws2.send_json({"type": "leave"})
        ws2.send_json({"type": "join", "run": "run0-nope"})
        assert recv(ws2, "error")["code"] == "not_found"
        ws2.send_json({"type": "join", "run": run, "columns": ["nope"]})
        assert recv(ws2, "error")["field"] == "columns"
        ws2.send_json({"type": "join", "run": run, "columns": [POWER], "values": ["nope"]})
        assert recv(ws2, "error")["field"] == "values"
        ws2.send_json({"type": "join", "run": run, "columns": [POWER], "values": "view"})
        assert recv(ws2, "joined")["run"]["id"] == run
        u2 = recv(ws2, "update")
        assert POWER in u2["values"] and len(u2["values"]) < len(j["columns"])


def test_malformed_messages(joined, limits):
    client, ws, m = joined
    run = m["run"]["id"]
    ws.send_text("{not json")
    assert "not JSON" in recv(ws, "error")["message"]
    ws.send_json({"type": "bogus"})
    assert recv(ws, "error")["code"] == "invalid"
    ws.send_json(["a", "list"])
    assert recv(ws, "error")["code"] == "invalid"
    ws.send_json({"type": "join"})
    assert recv(ws, "error")["field"] == "run"
    ws.send_text("x" * (limits.message_bytes + 1))
    assert recv(ws, "error")["code"] == "too_large"
    ws.send_bytes(b"\xff\xfe")
    assert recv(ws, "error")["message"] == "messages are JSON text"
    ws.send_json({"type": "ping", "id": "z" * 100})
    assert recv(ws, "error")["field"] == "id"
    # the run is still there and answers
    ws.send_json({"type": "ping", "id": "alive"})
    assert recv(ws, "pong")["id"] == "alive"
    assert client.get(f"/api/runs/{run}").json()["status"] == "paused"


def test_rate_limit(tmp_path):
    app = create_app(tmp_path, limits=Limits(messages_per_s=1.0, message_burst=3.0))
    with TestClient(app) as client, client.websocket_connect("/ws") as ws:
        ws.receive_json()
        for k in range(6):
            ws.send_json({"type": "ping", "id": str(k)})
        got = [ws.receive_json() for _ in range(6)]
    kinds = [g["type"] for g in got]
    assert kinds.count("pong") == 3 and kinds.count("error") == 3
    assert all(g["code"] == "rate_limited" for g in got if g["type"] == "error")


# -- HTTP -----------------------------------------------------------------------------------
def test_info_and_static(client):
    info = client.get("/api/info").json()
    v446 = next(d for d in info["designs"] if d["name"] == "vver1000-v446")
    assert "core" in v446["models"]
    assert next(d for d in info["designs"] if d["name"] == "ir360")["models"] == []
    assert any(s["name"] == "rod-withdrawal" for s in info["scenarios"])
    page = client.get("/")
    assert page.status_code == 200 and "nppsim control room" in page.text
    assert "cdn" not in page.text.lower()  # everything served from the package
    js = client.get("/static/vendor/uPlot.iife.min.js")
    assert js.status_code == 200 and len(js.content) > 40000
    assert "MIT" in client.get("/static/vendor/uPlot.LICENSE").text
    assert client.get("/openapi.json").json()["paths"]["/api/runs"]
    assert client.get("/protocol").status_code == 200
    schema = client.get("/api/protocol").json()
    assert "CommandMsg" in schema["client"]["$defs"] and "UpdateMsg" in schema["server"]["$defs"]
    acts = client.get("/api/designs/vver1000-v446/actions?model=plant").json()
    assert any(a["kind"] == "turbine_load" for a in acts)
    topo = client.get("/api/designs/vver1000-v446/topology?model=plant").json()
    assert len(topo["loops"]) == 4
    assert client.get("/api/designs/nope/topology").status_code == 422


def test_http_run_lifecycle(client):
    r = client.post("/api/runs", json={"initial": {"power": "80 %"}, "label": "script"})
    assert r.status_code == 200, r.text
    info = r.json()
    run = info["id"]
    assert info["label"] == "script" and info["source"] == "80 % power"
    assert [x["id"] for x in client.get("/api/runs").json()] == [run]
    v = client.get(f"/api/runs/{run}/values").json()
    assert v["values"][POWER] == pytest.approx(0.8, rel=1e-6)
    assert client.post(f"/api/runs/{run}/pace", json={"pace": "max"}).json()["pace"] == "max"
    assert client.post(f"/api/runs/{run}/pace", json={"pace": -2}).status_code == 422
    res = client.post(f"/api/runs/{run}/commands", json={"action": {"kind": "scram"}}).json()
    assert res["kind"] == "scram" and res["entries"][0]["name"] == "manual" and res["t"] > 0
    bad = client.post(f"/api/runs/{run}/commands", json={"action": {"kind": "bank"}})
    assert bad.status_code == 422 and bad.json()["field"] == "action.bank"
    client.post(f"/api/runs/{run}/pace", json={"pace": 0})
    s = client.get(f"/api/runs/{run}/series", params={"columns": f"{POWER},{PRESSURE}"}).json()
    assert set(s) == {"time_s", POWER, PRESSURE} and len(s["time_s"]) > 2
    assert min(s[POWER]) < 0.1
    assert client.get(f"/api/runs/{run}/series", params={"columns": "x"}).status_code == 422
    pq = client.get(f"/api/runs/{run}/record.parquet")
    df = pd.read_parquet(io.BytesIO(pq.content))
    assert "time_s" in df and POWER in df and df["time_s"].is_monotonic_increasing
    csv = pd.read_csv(io.StringIO(client.get(f"/api/runs/{run}/record.csv").text))
    assert list(csv.columns) == list(df.columns) and len(csv) == len(df)
    ev = client.get(f"/api/runs/{run}/events.json")
    assert "attachment" in ev.headers["content-disposition"]
    assert ev.json()["events"][0]["kind"] == "trip"
    snap = client.post(f"/api/runs/{run}/snapshots", json={"label": "tripped"}).json()
    assert client.post(f"/api/runs/{run}/rewind", json={"snapshot": snap["id"]}).status_code == 200
    assert client.post(f"/api/runs/{run}/rewind", json={"snapshot": "x"}).status_code == 404
    end = client.delete(f"/api/runs/{run}").json()
    assert end["ended"] == run
    assert client.get(f"/api/runs/{run}").status_code == 404
    assert client.delete(f"/api/runs/{run}").status_code == 404


def test_snapshot_files_download_upload(client, tmp_path):
    run = client.post("/api/runs", json={}).json()["id"]
    snap = client.post(f"/api/runs/{run}/snapshots", json={"label": "s"}).json()
    blob = client.get(f"/api/snapshots/{snap['id']}").content
    assert blob.startswith(b"NPPSIM-SNAPSHOT 1\n")
    up = client.post("/api/snapshots", content=blob).json()
    assert up["id"] != snap["id"] and up["design"] == "vver1000-v446" and up["t"] == snap["t"]
    # tampered: the signature no longer matches
    evil = blob[:-10] + b"0123456789"
    r = client.post("/api/snapshots", content=evil)
    assert r.status_code == 403 and "another server" in r.json()["message"]
    r = client.post("/api/snapshots", content=b"hello")
    assert r.status_code == 422 and "not an nppsim" in r.json()["message"]
    # a run started from the uploaded snapshot
    r = client.post("/api/runs", json={"snapshot": up["id"]})
    assert r.status_code == 200 and r.json()["source"].startswith("snapshot")
    ids = [s["id"] for s in client.get("/api/snapshots").json()]
    assert snap["id"] in ids and up["id"] in ids
    assert client.delete(f"/api/snapshots/{up['id']}").status_code == 200
    assert client.get(f"/api/snapshots/{up['id']}").status_code == 404


def test_upload_size_limit(tmp_path):
    app = create_app(tmp_path, limits=Limits(upload_bytes=1000))
    with TestClient(app) as client:
        r = client.post("/api/snapshots", content=b"x" * 5000)
    assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_run_limit(tmp_path):
    app = create_app(tmp_path, limits=Limits(max_runs=1))
    with TestClient(app) as client:
        assert client.post("/api/runs", json={}).status_code == 200
        r = client.post("/api/runs", json={})
    assert r.status_code == 409 and "at most 1" in r.json()["allowed"]


def test_scenario_runs_built_in_and_uploaded(client):
    r = client.post("/api/runs", json={"scenario": "rod-withdrawal", "pace": "max"})
    assert r.status_code == 200, r.text
    info = r.json()
    assert info["scenario_end"] == 600.0 and info["source"] == "scenario rod-withdrawal"
    toml = """
[scenario]
name = "my-trip"
title = "A trip"
design = "vver1000-v446"
duration = "2 min"
[initial]
power = "90 %"
[[events]]
time = "30 s"
kind = "scram"
"""
    r = client.post("/api/runs", json={"scenario_toml": toml, "pace": "max"})
    assert r.status_code == 200, r.text
    run = r.json()["id"]
    bad = client.post("/api/runs", json={"scenario_toml": toml.replace('"30 s"', '"3 h"')})
    assert bad.status_code == 422 and "events[0].time" in bad.json()["message"]
    # the uploaded scenario runs to its end, trips at 30 s and pauses at 2 min
    import time

    for _ in range(600):
        info = client.get(f"/api/runs/{run}").json()
        if info["status"] == "paused" and info["t"] > 0:
            break
        time.sleep(0.05)
    assert info["t"] == 120.0 and "end of the scenario" in info["message"]
    events = client.get(f"/api/runs/{run}/events.json").json()["events"]
    trip = next(e for e in events if e["kind"] == "trip")
    assert trip["time_s"] == pytest.approx(30.0)


# -- token and origin -----------------------------------------------------------------------
def test_token_checked_on_every_request(tmp_path):
    app = create_app(tmp_path, token="s3cret")
    with TestClient(app) as client:
        assert client.get("/").status_code == 401
        assert client.get("/api/runs").status_code == 401
        assert client.get("/static/app.js").status_code == 401
        wrong = {"Authorization": "Bearer wrong"}
        assert client.get("/api/runs", headers=wrong).status_code == 401
        right = {"Authorization": "Bearer s3cret"}
        assert client.get("/api/runs", headers=right).status_code == 200
        page = client.get("/?token=s3cret")
        assert page.status_code == 200 and "nppsim_token=s3cret" in page.headers["set-cookie"]
        assert client.get("/api/runs").status_code == 200  # the cookie carries it now
        client.cookies.clear()
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/ws") as ws:
            ws.receive_json()
        assert refused.value.code == 1008
        with client.websocket_connect("/ws?token=s3cret") as ws:
            assert ws.receive_json()["type"] == "hello"


def test_cross_origin_websocket_refused(client):
    evil = {"Origin": "http://evil.example"}
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/ws", headers=evil) as ws:
        ws.receive_json()
    with client.websocket_connect("/ws", headers={"Origin": "http://testserver"}) as ws:
        assert ws.receive_json()["type"] == "hello"
    r = client.post("/api/runs", json={}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert json.loads(r.text)["detail"] == "cross-origin request refused"


def test_create_at_a_point_of_the_fuel_cycle(client):
    """``initial.cycle`` starts a live run from the design's BOC/MOC/EOC core, as a scenario's
    ``[initial].cycle``; an unknown state or pumps off in the core model are refused."""
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        got = {}
        for cyc in ("BOC", "EOC"):
            ws.send_json({"type": "create", "id": cyc, "model": "core", "initial": {"cycle": cyc}})
            got[cyc] = recv(ws, "joined")["values"]
        ws.send_json({"type": "create", "id": "x", "initial": {"cycle": "XOC"}})
        e = recv(ws, "error")
        assert e["field"] == "initial.cycle" and "EOC" in e["allowed"]
        ws.send_json({"type": "create", "id": "p", "model": "core", "initial": {"pumps_off": [2]}})
        assert recv(ws, "error")["field"] == "initial.pumps_off"
    info = client.get("/api/info").json()
    v446 = next(d for d in info["designs"] if d["name"] == "vver1000-v446")
    assert v446["cycle"] == ["MOC", "BOC", "EOC"]
    # critical at full power on boron: about 1150 ppm at BOC, a few tens at EOC
    b = {k: v.get("boron_ppm") for k, v in got.items()}
    assert b["BOC"] == pytest.approx(1150, rel=0.05) and b["EOC"] == pytest.approx(30, abs=10)
