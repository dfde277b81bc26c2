"""Drive a control-room live run from a script, the way the page does.

Start the server first (``nppsim serve``), then::

    python examples/control_room_client.py [--url ws://127.0.0.1:8000/ws] [--token T]

The script starts a full-power run of the core at 10x, watches the power, trips the reactor after
30 simulated seconds, prints the trip and the power falling, saves a snapshot and downloads the
record as Parquet over HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import urllib.request

import pandas as pd
import websockets


async def main(url: str, token: str | None) -> None:
    if token:
        url += f"?token={token}"
    async with websockets.connect(url) as ws:
        hello = json.loads(await ws.recv())
        print("server", hello["version"], "paces", hello["paces"])
        await ws.send(json.dumps({"type": "create", "pace": 10, "initial": {"power": "100 %"}}))
        tripped = False
        while True:
            m = json.loads(await ws.recv())
            if m["type"] == "joined":
                run = m["run"]["id"]
                print("joined", run, "with", len(m["columns"]), "recorded columns")
                await ws.send(json.dumps({"type": "watch", "columns": ["power_relative"]}))
            elif m["type"] == "update":
                p = m["values"]["power_relative"]
                print(f"t = {m['t']:7.1f} s  power = {100 * p:6.2f} %  {m['status']}")
                for e in m["events"]:
                    print("   event:", e)
                if m["t"] > 30 and not tripped:
                    await ws.send(json.dumps({"type": "command", "action": {"kind": "scram"}}))
                    tripped = True
                if tripped and p < 0.05:
                    await ws.send(json.dumps({"type": "snapshot", "label": "after the trip"}))
            elif m["type"] == "snapshot_saved":
                print("snapshot", m["snapshot"]["id"], "at", m["snapshot"]["t"], "s")
                break
            elif m["type"] == "error":
                print("error:", m["message"])
        await ws.send(json.dumps({"type": "pace", "pace": 0}))
    http = url.replace("ws://", "http://").split("/ws")[0]
    req = urllib.request.Request(f"{http}/api/runs/{run}/record.parquet")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        df = pd.read_parquet(io.BytesIO(r.read()))
    print(df[["time_s", "power_relative", "temp_fuel_max_k"]].tail())


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="ws://127.0.0.1:8000/ws")
    ap.add_argument("--token", default=None)
    a = ap.parse_args()
    asyncio.run(main(a.url, a.token))
