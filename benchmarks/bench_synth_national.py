"""The national synthetic data at full size against the published programme figures (issue 14).

    .venv/bin/python benchmarks/bench_synth_national.py              # 3.2 M standards (~25.6 M indicator rows)
    .venv/bin/python benchmarks/bench_synth_national.py --n 200000   # a quicker run (counts scale by n / 3,165,625)

Generates the data in a fresh process into a temporary folder (wall time, CPU time and peak memory of that
process), then prints `national_calibration`: every published figure and share, expected, generated, ratio,
met / not met (within 5 %). At 3.2 M every row should be met. Target: generation no slower than before the
calibration (42 s wall, 28 s CPU, 0.94 GB on the 2-core machine where it was first measured).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GENERATE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from leaderkit.synth.generators import make_national
make_national(sys.argv[1], n_standards=int(sys.argv[2]), seed=int(sys.argv[3]))
r = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": r.ru_utime + r.ru_stime, "peak_mb": r.ru_maxrss / 1024}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3_200_000, help="number of standards (default 3.2 M)")
    ap.add_argument("--seed", type=int, default=2023)
    args = ap.parse_args()

    from leaderkit.synth.generators import calibration_text, national_calibration

    with tempfile.TemporaryDirectory(prefix="leaderkit-synth-") as tmp:
        path = Path(tmp) / "national.parquet"
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", GENERATE, str(path), str(args.n), str(args.seed)],
                             capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if out.returncode != 0:
            raise SystemExit(f"generation failed:\n{out.stderr[-3000:]}")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        size = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
        print(f"generated {args.n:,} standards in {r['seconds']:.1f} s (process wall {wall:.1f} s, "
              f"CPU {r['cpu']:.1f} s, peak {r['peak_mb'] / 1024:.2f} GB), {size:.0f} MiB of Parquet")
        t0 = time.perf_counter()
        table = national_calibration(path)
        print(f"calibration table from the files (DuckDB) in {time.perf_counter() - t0:.1f} s")
        print(calibration_text(table))
        met = bool(table["within_5pct"].all())
        if not met:
            print("outside 5 %: " + ", ".join(table.loc[~table["within_5pct"], "metric"]))
        print(f"floor: every published figure within 5 % ({int(table['within_5pct'].sum())} of {len(table)}): "
              f"{'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
