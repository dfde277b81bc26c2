"""Control-room load benchmark: many clients, each with its own live run, over loopback.

Starts ``nppsim serve``'s application in a separate process on 127.0.0.1 (a free port), then
connects N WebSocket clients (default 50). Each creates its own full-power run (``--model
plant``, the default, or ``core``) at the given pace, watches two trend columns and, as the
page does, asks for the current values the page shows (``--values view``; ``all`` for every
column), and sends a command about once a second (a power setpoint at the current power: it
changes nothing physical but goes the whole way through the worker). It prints, per phase (1x,
then 10x):

* command-to-update latency: from sending a command to receiving the update that reports it
  applied (median, 99th percentile, max);
* the update (frame) rate each client received (median and minimum over clients);
* the server process's CPU share (CPU seconds over wall seconds, and per core), over the whole
  phase (the runs being built too) and over the measured part alone;
* the line ``p99 command-to-update latency, 50 clients: <seconds> s`` for the 1x phase;
* wall times in yardstick units (the wall time over that of /work/shared/benchmarks/yardstick.py
  measured in the same run).

Usage: ``python benchmarks/server.py [--clients 50] [--seconds 30]``; ``--profile FILE``
samples the server with py-spy (if installed in the environment) while the clients are
measured. Traffic stays on 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import websockets

ROOT = Path(__file__).resolve().parent.parent
YARDSTICK = ROOT.parent / "shared" / "benchmarks" / "yardstick.py"


def yardstick_seconds() -> float | None:
    """Wall time of the shared yardstick on this machine (None if it is not there)."""
    if not YARDSTICK.exists():
        return None
    spec = importlib.util.spec_from_file_location("yardstick", YARDSTICK)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return float(mod.yardstick_seconds())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER = """
import sys, uvicorn
from nppsim.server.app import create_app
from nppsim.server.live import Limits
app = create_app(sys.argv[1], limits=Limits(max_runs=200, max_viewers=200, messages_per_s=50))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            ws_max_size=1 << 20)
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process [s] (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def client(
    url: str,
    pace: float,
    seconds: float,
    start_gate: asyncio.Event,
    out: dict,
    model: str,
    values: str,
):
    lat: list[float] = []
    frames = 0
    async with websockets.connect(url, max_size=1 << 22, open_timeout=60) as ws:
        await ws.recv()  # hello
        await ws.send(json.dumps({"type": "create", "pace": pace, "id": "c", "model": model}))
        while True:
            m = json.loads(await asyncio.wait_for(ws.recv(), 600))  # a first build compiles
            if m["type"] == "joined":
                run = m["run"]["id"]
                break
            if m["type"] == "error":
                raise RuntimeError(m)
        await ws.send(
            json.dumps(
                {
                    "type": "watch",
                    "columns": ["power_relative", "pressure_primary_pa"],
                    "values": values,
                }
            )
        )
        await start_gate.wait()
        sent: dict[str, float] = {}
        t_end = time.monotonic() + seconds
        next_cmd = time.monotonic() + random.uniform(0.2, 1.0)
        k = 0
        while time.monotonic() < t_end:
            timeout = max(0.01, min(next_cmd, t_end) - time.monotonic())
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout)
            except TimeoutError:
                raw = None
            now = time.monotonic()
            if raw is not None:
                m = json.loads(raw)
                if m["type"] == "update":
                    frames += 1
                    for a in m["applied"]:
                        if a["id"] in sent:
                            lat.append(now - sent.pop(a["id"]))
                elif m["type"] == "error":
                    raise RuntimeError(m)
            if now >= next_cmd and now < t_end - 1.5:  # the last commands get time to answer
                k += 1
                tag = f"k{k}"
                action = {"kind": "power_setpoint", "target": "100 %", "rate": "1 %/min"}
                sent[tag] = time.monotonic()
                await ws.send(json.dumps({"type": "command", "id": tag, "action": action}))
                next_cmd = now + random.uniform(0.8, 1.2)
        await ws.send(json.dumps({"type": "stop"}))
    out[run] = {"latency": lat, "frames": frames / seconds, "lost": len(sent)}


async def clients(
    url: str, n: int, total: int, pace: float, seconds: float, model: str, values: str
) -> dict:
    """``n`` clients in this process; measuring starts when the server runs ``total`` runs."""
    gate = asyncio.Event()
    out: dict = {}
    tasks = [
        asyncio.create_task(client(url, pace, seconds, gate, out, model, values)) for _ in range(n)
    ]
    deadline = time.monotonic() + 600
    while not gate.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        if any(t.done() for t in tasks):
            break  # a client failed: gather says why
        if await asyncio.to_thread(_count_runs, url) >= total:
            gate.set()
    await asyncio.gather(*tasks)
    return out


def _client_process(
    url: str, n: int, total: int, pace: float, seconds: float, model: str, values: str, q
) -> None:
    t0 = time.process_time()
    out = asyncio.run(clients(url, n, total, pace, seconds, model, values))
    q.put((out, time.process_time() - t0))


def profile_server(url: str, pid: int, n: int, seconds: float, out: str) -> None:
    """Sample the server with py-spy (``--gil``: the thread holding the GIL) for ``seconds``
    once it runs ``n`` runs; writes py-spy's raw (collapsed stacks) format to ``out``."""
    deadline = time.monotonic() + 600
    while _count_runs(url) < n and time.monotonic() < deadline:
        time.sleep(0.5)
    spy = Path(sys.executable).with_name("py-spy")
    cmd = [str(spy), "record", "-p", str(pid), "--gil", "-r", "200", "-d", str(int(seconds))]
    subprocess.run(
        [*cmd, "-f", "raw", "-o", out, "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )


def phase(
    url: str, n: int, pace: float, seconds: float, procs: int, model: str, values: str
) -> tuple[dict, float]:
    """Run ``n`` clients spread over ``procs`` processes (as separate browsers would be), so
    the clients' own work does not hold the measured latency back. Returns the per-run results
    and the clients' CPU seconds."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    sizes = [n // procs + (1 if k < n % procs else 0) for k in range(procs)]
    ps = [
        ctx.Process(target=_client_process, args=(url, k, n, pace, seconds, model, values, q))
        for k in sizes
        if k
    ]
    for p in ps:
        p.start()
    out: dict = {}
    cpu = 0.0
    for _ in ps:
        part, c = q.get(timeout=900)
        out.update(part)
        cpu += c
    for p in ps:
        p.join(60)
    return out, cpu


def _count_runs(ws_url: str) -> int:
    import urllib.request

    http = ws_url.replace("ws://", "http://").rsplit("/ws", 1)[0]
    with urllib.request.urlopen(f"{http}/api/runs", timeout=30) as r:
        return len(json.loads(r.read()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0, help="measured time per phase [s]")
    ap.add_argument("--paces", default="1,10", help="comma-separated paces, one phase each")
    ap.add_argument("--procs", type=int, default=5, help="client processes")
    ap.add_argument(
        "--model",
        choices=("plant", "core"),
        default="plant",
        help="each client's live run: the whole plant (the bar) or the core alone",
    )
    ap.add_argument(
        "--values",
        choices=("view", "all"),
        default="view",
        help="the current values each update carries: those the page shows (as the page "
        "asks) or every column",
    )
    ap.add_argument(
        "--profile",
        metavar="FILE",
        help="sample the server with py-spy during each phase (collapsed stacks to FILE.<pace>)",
    )
    args = ap.parse_args()
    y = yardstick_seconds()
    print(f"yardstick: {y:.3f} s" if y else "yardstick: not found (../shared missing)")
    port = free_port()
    url = f"ws://127.0.0.1:{port}/ws"
    with tempfile.TemporaryDirectory() as data:
        proc = subprocess.Popen([sys.executable, "-c", SERVER, data, str(port)])
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    _count_runs(url)
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.2)
            for pace in [float(p) for p in args.paces.split(",")]:
                w0, c0 = time.monotonic(), cpu_seconds(proc.pid)
                gate: dict[str, float] = {}

                def mark(pid: int = proc.pid, gate: dict[str, float] = gate) -> None:
                    # when every run is built (the clients start measuring): CPU from there
                    deadline = time.monotonic() + 900
                    while _count_runs(url) < args.clients and time.monotonic() < deadline:
                        time.sleep(0.25)
                    gate.update(wall=time.monotonic(), cpu=cpu_seconds(pid))

                import threading

                marker = threading.Thread(target=mark, daemon=True)
                marker.start()
                spy = None
                if args.profile:
                    spy = threading.Thread(
                        target=profile_server,
                        args=(
                            url,
                            proc.pid,
                            args.clients,
                            args.seconds - 2,
                            f"{args.profile}.{pace:g}",
                        ),
                    )
                    spy.start()
                out, client_cpu = phase(
                    url, args.clients, pace, args.seconds, args.procs, args.model, args.values
                )
                wall, cpu = time.monotonic() - w0, cpu_seconds(proc.pid) - c0
                if spy is not None:
                    spy.join()
                lat = np.array([x for r in out.values() for x in r["latency"]])
                fps = [r["frames"] for r in out.values()]
                lost = sum(r["lost"] for r in out.values())
                tag = f"{args.clients} clients ({args.model}) at {pace:g}x"
                print(f"-- {tag}: {len(lat)} commands, {lost} unanswered at the end")
                if len(lat):
                    print(f"median command-to-update latency, {tag}: {np.median(lat):.4f} s")
                    print(f"p99 command-to-update latency, {tag}: {np.quantile(lat, 0.99):.4f} s")
                    print(f"max command-to-update latency, {tag}: {lat.max():.4f} s")
                    if pace == 1.0:
                        print(
                            f"p99 command-to-update latency, {args.clients} clients: "
                            f"{np.quantile(lat, 0.99):.4f} s"
                        )
                print(
                    f"frames per second per client, {tag}: median {statistics.median(fps):.2f},"
                    f" min {min(fps):.2f}"
                )
                print(
                    f"server CPU share, {tag}: {cpu / wall:.2f} core-seconds per second "
                    f"({100 * cpu / wall / os.cpu_count():.0f} % of {os.cpu_count()} cores)"
                )
                if gate:
                    w1 = time.monotonic() - gate["wall"]
                    c1 = cpu_seconds(proc.pid) - gate["cpu"]
                    print(
                        f"server CPU share while measured (runs built), {tag}: {c1 / w1:.2f} "
                        "core-seconds per second"
                    )
                print(f"clients' CPU, {tag}: {client_cpu / wall:.2f} core-seconds per second")
                line = f"wall time of the phase (runs built and measured), {tag}: {wall:.2f} s"
                if y:
                    line += f" = {wall / y:.1f} yardstick units"
                print(line)
        finally:
            proc.terminate()
            proc.wait(60)


if __name__ == "__main__":
    main()
