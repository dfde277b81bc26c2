"""``nppsim serve``: the control room on a local port."""

from __future__ import annotations

import ipaddress
import secrets
import sys
from pathlib import Path

import typer

DEFAULT_DATA = Path.home() / ".nppsim" / "control-room"


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port."),
    token: str | None = typer.Option(
        None,
        help="Token every request must carry; required (and generated if not given) when the "
        "address is not localhost.",
    ),
    data_dir: Path = typer.Option(
        DEFAULT_DATA, help="Folder of saved snapshots (kept across restarts)."
    ),
    idle_timeout: float = typer.Option(
        1800.0, min=1.0, help="End a live run nobody has watched for this long [s]."
    ),
    max_runs: int = typer.Option(64, min=1, help="Most live runs at once."),
    store_limit: float = typer.Option(4.0, min=0.01, help="Largest snapshot store [GiB]."),
    trust_uploads: bool = typer.Option(
        False,
        help="Load uploaded snapshots saved by another server (they are Python pickles: only "
        "for a single trusted user on localhost).",
    ),
) -> None:
    """Serve the control room: live runs in the browser at http://HOST:PORT."""
    import uvicorn

    from nppsim.server.app import create_app
    from nppsim.server.live import Limits

    local = is_loopback(host)
    if not local and token is None:
        token = secrets.token_urlsafe(24)
    if trust_uploads and not local:
        typer.echo("error: --trust-uploads is only allowed on localhost", err=True)
        raise typer.Exit(2)
    limits = Limits(
        idle_timeout=idle_timeout, max_runs=max_runs, store_bytes=int(store_limit * 2**30)
    )
    app = create_app(data_dir, token=token, limits=limits, allow_unsigned=trust_uploads)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if token:
        url += f"?token={token}"
    typer.echo(f"nppsim control room: {url}")
    typer.echo(f"  snapshots kept in {data_dir}; Ctrl+C stops the server (live runs are saved)")
    sys.stdout.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning", ws_max_size=1 << 20)
