"""Import time of leaderkit against the heavy libraries it keeps out of `import leaderkit`.

    .venv/bin/python benchmarks/bench_import.py

Each import runs in a fresh interpreter (best of 5). Target (issue 2): `import leaderkit` under 0.5 s.
The ratio column compares with `import pandas`, which leaderkit needs anyway, measured in the same run.
"""

from __future__ import annotations

import subprocess
import sys
import time


def import_seconds(module: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    empty = import_seconds("sys")
    rows = [(m, import_seconds(m) - empty) for m in ("pandas", "leaderkit", "duckdb", "plotly.graph_objects")]
    pandas = rows[0][1]
    print(f"{'module':<22} {'seconds':>8} {'÷ pandas':>9}")
    for name, sec in rows:
        print(f"{name:<22} {sec:8.3f} {sec / pandas:9.2f}")
    lk = dict(rows)["leaderkit"]
    print(f"floor: import leaderkit < 0.5 s ({lk:.3f} s): {'met' if lk < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
