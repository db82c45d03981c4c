"""Benchmarking against versioned baselines (实施日期/废止日期) vs the plain benchmark, in one run.

    .venv/bin/python benchmarks/bench_versions.py                 # 200,000 standards (~1.6 M indicator rows)
    .venv/bin/python benchmarks/bench_versions.py --n 3200000     # national scale

The synthetic Parquet file is generated on demand (seeded) under benchmarks/data/ and reused. The plain
baselines are the generator's; the versioned ones split every other national baseline row into an old
version (in force 2010-01-01 … 2021-07-01) and a new one (from 2021-07-01) with a third version coming
into force 2024-01-01 for a quarter of them, so each standard is compared with the version in force on
its declaration date (`as_of="declared"`). The versions carry the same texts as the plain row, so every
verdict must be the same: the script checks that the standards tables are equal, then prints the median,
min and max seconds of `benchmark(...).adoption(by=["domain", "year"])` over the runs and the ratio of the
medians. Target (issue 14): versioned ≤ 2× plain.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def versioned(base: pd.DataFrame) -> pd.DataFrame:
    """Every other national row as versions in force one after another, with the same requirement text."""
    national = base.index[base["level"].eq("national")]
    split = national[::2]
    old = base.loc[split].assign(baseline_id=lambda d: d["baseline_id"] + "(旧)", effective="2010-01-01",
                                 abolished="2021-07-01")
    third = split[::2]
    new = base.loc[split].assign(effective="2021-07-01", abolished=None)
    new.loc[third, "abolished"] = "2024-01-01"
    newest = base.loc[third].assign(baseline_id=lambda d: d["baseline_id"] + "(新)", effective="2024-01-01",
                                    abolished=None)
    rest = base.drop(index=split).assign(effective=None, abolished=None)
    out = pd.concat([rest, old, new, newest], ignore_index=True)
    out = out.rename(columns={"effective": "实施日期", "abolished": "废止日期"}).astype({"实施日期": object,
                                                                                "废止日期": object})
    out.attrs = {}  # a new table, to be loaded (and checked) as one
    return out


def timed(standards, baselines, runs: int) -> tuple[list[float], pd.DataFrame, pd.DataFrame]:
    from leaderkit.standards.benchmarking import benchmark

    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        bm = benchmark(standards, baselines)
        table = bm.adoption(by=["domain", "year"])
        seconds.append(time.perf_counter() - t0)
    return seconds, table, bm.standards


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="declared standards (default 200,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (at least 5)")
    args = parser.parse_args(argv)
    runs = max(args.runs, 5)

    from leaderkit.standards.loading import load_baselines
    from leaderkit.synth.generators import make_national, national_baselines_path

    parquet = DATA / f"versions_{args.n}.parquet"
    if not parquet.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        make_national(parquet, n_standards=args.n)
    plain = load_baselines(national_baselines_path(parquet))
    dated = load_baselines(versioned(plain))

    plain_s, plain_t, dated_s, dated_t = [], None, [], None
    for _ in range(runs):  # alternate, so that drift of the machine hits both alike
        s, plain_t, plain_std = timed(str(parquet), plain, 1)
        plain_s += s
        s, dated_t, dated_std = timed(str(parquet), dated, 1)
        dated_s += s
    pd.testing.assert_frame_equal(plain_t, dated_t)
    key = "standard_id"
    pd.testing.assert_frame_equal(plain_std.sort_values(key, ignore_index=True),
                                  dated_std.sort_values(key, ignore_index=True))
    print(f"{args.n:,} standards, {runs} runs each; results equal (adoption table and every standard)")
    for name, s in (("plain", plain_s), ("versioned", dated_s)):
        print(f"{name:>10}: median {statistics.median(s):.2f} s  min {min(s):.2f} s  max {max(s):.2f} s")
    ratio = statistics.median(dated_s) / statistics.median(plain_s)
    print(f"floor: versioned ≤ 2× the plain benchmark ({ratio:.2f}×, medians): {'met' if ratio <= 2 else 'NOT met'}")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
