"""Wall time of each shipped validation case, one line each: ``<case>: <ms> ms``.

The time is that of the computation only (reading the file and the report curves excluded), the best
of ``REPEATS`` runs after one warm-up run, at the solvers' default settings.

    .venv/bin/python benchmarks/validation_cases.py
"""

from __future__ import annotations

from nppsim.validation.runner import run_case, shipped_cases

REPEATS = 5


def main() -> None:
    for path in shipped_cases():
        first = run_case(path)
        best = min([first.wall_s] + [run_case(path).wall_s for _ in range(REPEATS)])
        status = "" if first.passed else f" (FAILED: {first.reason})"
        print(f"{first.name}: {best * 1e3:.2f} ms{status}")


if __name__ == "__main__":
    main()
