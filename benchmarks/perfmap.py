"""Run a scenario repeatedly with every compiled function named for Linux ``perf``.

Numba's machine code lives in anonymous memory, so ``perf report`` shows bare addresses. This
script compiles nppsim's kernels afresh (into a temporary cache folder: the object code of a
function loaded from the cache is not kept, and its symbols are needed), writes
``/tmp/perf-<pid>.map`` with the address and size of every function of every compiled library
(from ``nm`` on its object code), then advances the scenario ``--runs`` times::

    perf record -F 4000 -o /tmp/perf.data python benchmarks/perfmap.py turbine-trip
    perf report -i /tmp/perf.data --no-children --sort sym

The compilation takes a few minutes (the samples of it fall in LLVM, not in the kernels). This
is how the reference counting of item 17 in ``docs/performance.md`` was found: an address in a
one-page mapping, Numba runtime's atomic increment and decrement, took 46 % of the right-hand
side's samples.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time


def write_map() -> int:
    """Write ``/tmp/perf-<pid>.map`` for every nppsim kernel compiled in this process; returns
    the number of symbols."""
    from numba.core.dispatcher import Dispatcher

    rows = []
    seen: set[int] = set()
    for obj in gc.get_objects():
        if not isinstance(obj, Dispatcher):
            continue
        for cres in obj.overloads.values():
            lib = cres.library
            if id(lib) in seen:
                continue
            seen.add(id(lib))
            try:
                data = lib._get_compiled_object()
                entry = lib.get_pointer_to_function(cres.fndesc.llvm_func_name)
            except Exception:  # loaded from a cache: no object code kept
                continue
            with tempfile.NamedTemporaryFile(suffix=".o", delete=False) as fh:
                fh.write(data)
                name = fh.name
            out = subprocess.run(
                ["nm", "-S", "--defined-only", name], capture_output=True, text=True
            ).stdout
            os.unlink(name)
            syms = {}
            for line in out.splitlines():
                parts = line.split()
                if len(parts) == 4 and parts[2] in "tT":
                    syms[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
            if cres.fndesc.llvm_func_name not in syms:
                continue
            base = entry - syms[cres.fndesc.llvm_func_name][0]
            rows += [(base + off, size, s) for s, (off, size) in syms.items()]
    rows.sort()
    with open(f"/tmp/perf-{os.getpid()}.map", "w") as fh:
        for addr, size, s in rows:
            fh.write(f"{addr:x} {size:x} {s}\n")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="turbine-trip")
    parser.add_argument("--runs", type=int, default=40, help="advances of the scenario")
    args = parser.parse_args()
    if "nppsim" in sys.modules:
        raise SystemExit("run as a script: the cache folder must be set before nppsim loads")
    with tempfile.TemporaryDirectory(prefix="nppsim-perfmap-") as cache:
        os.environ["NPPSIM_CACHE_DIR"] = cache  # fresh: every kernel compiled in this process
        from nppsim.engine.run import RunSpec, build

        spec = RunSpec(scenario=args.scenario)
        duration = spec.resolve()[0].duration
        _, sim = build(spec)
        sim.advance(duration)
        print(f"{write_map()} symbols in /tmp/perf-{os.getpid()}.map", file=sys.stderr)
        sims = [build(spec)[1] for _ in range(args.runs)]
        gc.collect()
        t0 = time.process_time()
        for s in sims:
            s.advance(duration)
        cpu = (time.process_time() - t0) / len(sims)
        print(f"{args.scenario}: {len(sims)} runs, CPU {cpu * 1e3:.1f} ms a run")


if __name__ == "__main__":
    main()
