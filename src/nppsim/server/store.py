"""The snapshot store: saved snapshots as files in the server's data folder (they outlive it).

A snapshot file (``.nppsnap``) is an envelope around the engine's snapshot bytes
(:meth:`nppsim.engine.simulation.Simulation.snapshot`)::

    NPPSIM-SNAPSHOT 1\\n
    {"design": ..., "model": ..., "t": ..., "label": ..., ...}\\n     (one line of JSON)
    <HMAC-SHA256 of the JSON line and the payload, hex>\\n
    <payload: the engine's snapshot bytes>

The engine's snapshot is a Python pickle, and loading a pickle can run code: so the server loads
only envelopes signed with its own key (``secret.key`` in the data folder, made on first use;
servers that share the data folder, or the key file, share snapshots). A server started with
``allow_unsigned`` (for a single user on localhost) also loads envelopes signed with another key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from nppsim.server.protocol import SnapshotInfo

MAGIC = b"NPPSIM-SNAPSHOT 1\n"
SUFFIX = ".nppsnap"
_ID = re.compile(r"^[0-9]{10,}-[0-9a-f]{8}$")


class StoreError(ValueError):
    """A snapshot that cannot be saved or loaded (the message says why)."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def pack(meta: dict[str, Any], payload: bytes, key: bytes) -> bytes:
    """The envelope of ``payload`` with its metadata, signed with ``key``."""
    line = json.dumps(meta, sort_keys=True, separators=(",", ":")).encode()
    if b"\n" in line:  # pragma: no cover - json.dumps escapes newlines
        raise StoreError("metadata must be one line")
    sig = hmac.new(key, line + b"\n" + payload, hashlib.sha256).hexdigest().encode()
    return MAGIC + line + b"\n" + sig + b"\n" + payload


def unpack(blob: bytes) -> tuple[dict[str, Any], str, bytes, bytes]:
    """Split an envelope into (metadata, signature, signed part, payload); no verification."""
    if not blob.startswith(MAGIC):
        raise StoreError(
            "not an nppsim control-room snapshot (a .nppsnap file saved by the control room)"
        )
    rest = blob[len(MAGIC) :]
    try:
        line, sig, payload = rest.split(b"\n", 2)
        meta = json.loads(line)
    except ValueError:
        raise StoreError("damaged snapshot file (its header cannot be read)") from None
    if not isinstance(meta, dict) or not {"design", "model", "t"} <= set(meta):
        raise StoreError("damaged snapshot file (its header lacks design, model or time)")
    return meta, sig.decode(errors="replace"), line + b"\n" + payload, payload


class SnapshotStore:
    """Saved snapshots in ``root`` (see the module docstring).

    Parameters
    ----------
    root : Path
        The folder (made if missing).
    max_bytes : int
        Largest total size of the store [bytes]; a save beyond it is refused.
    allow_unsigned : bool
        Also load envelopes signed with another key (trusted single-user use only).
    """

    def __init__(self, root: Path, max_bytes: int = 2 << 30, allow_unsigned: bool = False) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.max_bytes = int(max_bytes)
        self.allow_unsigned = allow_unsigned
        self._lock = threading.Lock()
        self._key = self._load_key()
        self._cache: dict[str, tuple[float, SnapshotInfo]] = {}

    def _load_key(self) -> bytes:
        path = self.root / "secret.key"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        return path.read_bytes()

    def _path(self, sid: str) -> Path:
        if not isinstance(sid, str) or not _ID.match(sid):
            raise StoreError(
                f"no snapshot {sid!r} (ids look like 1700000000-1a2b3c4d)", "not_found"
            )
        return self.root / f"{sid}{SUFFIX}"

    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.root.glob(f"*{SUFFIX}"))

    def _write(self, meta: dict[str, Any], payload: bytes) -> SnapshotInfo:
        with self._lock:
            if self.total_bytes() + len(payload) > self.max_bytes:
                raise StoreError(
                    f"the snapshot store is full ({self.max_bytes / 2**20:.0f} MiB): delete "
                    "snapshots or start the server with a larger --store-limit",
                    "too_large",
                )
            sid = f"{int(time.time())}-{secrets.token_hex(4)}"
            meta = {**meta, "id": sid, "created": time.time()}
            path = self._path(sid)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(pack(meta, payload, self._key))
            tmp.replace(path)
        return self._info(meta, path.stat().st_size)

    def save(self, payload: bytes, meta: dict[str, Any]) -> SnapshotInfo:
        """Store an engine snapshot with its metadata (design, model, t, label, run)."""
        return self._write(meta, payload)

    def add_upload(self, blob: bytes) -> SnapshotInfo:
        """Store an uploaded snapshot file after checking its envelope and signature."""
        meta, sig, signed, payload = unpack(blob)
        good = hmac.compare_digest(sig, hmac.new(self._key, signed, hashlib.sha256).hexdigest())
        if not good and not self.allow_unsigned:
            raise StoreError(
                "this snapshot was saved by another server (its signature does not match this "
                "server's key). Snapshots hold Python pickles, so only this server's own are "
                "loaded: share the data folder's secret.key, or start a localhost server with "
                "--trust-uploads",
                "forbidden",
            )
        keep = {k: meta[k] for k in ("design", "model", "t", "label", "run", "origin") if k in meta}
        keep["label"] = str(keep.get("label", ""))[:80] or "uploaded"
        return self._write(keep, payload)

    def load(self, sid: str) -> tuple[dict[str, Any], bytes]:
        """Metadata and engine snapshot bytes of a stored snapshot (signature checked)."""
        path = self._path(sid)
        if not path.exists():
            raise StoreError(f"no snapshot {sid!r}", "not_found")
        meta, sig, signed, payload = unpack(path.read_bytes())
        good = hmac.compare_digest(sig, hmac.new(self._key, signed, hashlib.sha256).hexdigest())
        if not good and not self.allow_unsigned:
            raise StoreError(f"snapshot {sid!r} is not signed with this server's key", "forbidden")
        return meta, payload

    def file(self, sid: str) -> Path:
        """The envelope file (for download)."""
        path = self._path(sid)
        if not path.exists():
            raise StoreError(f"no snapshot {sid!r}", "not_found")
        return path

    def delete(self, sid: str) -> None:
        self.file(sid).unlink()
        self._cache.pop(sid, None)

    @staticmethod
    def _info(meta: dict[str, Any], size: int) -> SnapshotInfo:
        return SnapshotInfo(
            id=meta["id"],
            label=str(meta.get("label", "")),
            design=str(meta["design"]),
            model=str(meta["model"]),
            t=float(meta["t"]),
            created=float(meta.get("created", 0.0)),
            size=size,
            run=str(meta.get("run", "")),
        )

    def list(self, run: str | None = None) -> list[SnapshotInfo]:
        """Stored snapshots, oldest first (only those of ``run`` if given)."""
        out = []
        for path in self.root.glob(f"*{SUFFIX}"):
            sid = path.name[: -len(SUFFIX)]
            try:
                st = path.stat()
            except FileNotFoundError:  # deleted meanwhile
                continue
            hit = self._cache.get(sid)
            if hit is None or hit[0] != st.st_mtime:
                try:
                    with open(path, "rb") as f:
                        head = f.read(len(MAGIC) + 8192)
                    meta, _, _, _ = unpack(head + b"\n\n")
                    meta["id"] = sid
                except (StoreError, OSError):
                    continue
                hit = (st.st_mtime, self._info(meta, st.st_size))
                self._cache[sid] = hit
            out.append(hit[1])
        out.sort(key=lambda s: (s.created, s.id))
        return [s for s in out if run is None or s.run == run]
