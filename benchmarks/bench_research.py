"""The statistics of adoption at national scale: benchmark once, then the research statistics, timed.

    .venv/bin/python benchmarks/bench_research.py             # 3.2 M standards (~25 M indicator rows)
    .venv/bin/python benchmarks/bench_research.py --n 200000  # a quicker run

The synthetic Parquet file is generated on demand (seeded, `make_national`) under benchmarks/data/ and
reused (the same file as bench_national.py; delete it after the generator changes). `benchmark(parquet,
baselines)` runs once (its time is printed); then, `--runs` times on that Benchmark, the statistics a
research notebook asks for (leaderkit/standards/statistics.py):

- group differences by domain (240 groups, every pair) and by region (31);
- the Cochran–Armitage trend over the years, per domain and overall;
- the logistic model of P(stricter) on domain, region, year and enterprise size (standards per enterprise,
  counted in DuckDB), fitted on the counts per cell;
- the distribution of margins by domain, indicator and level (the rows counted per distinct margin in
  DuckDB, quantiles from those counts).

Prints each step's median and the total's median, min and max seconds. Target (issue 14): the statistics
on 3.2 M standards < 30 s in total.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TARGET_SECONDS = 30.0


def steps(bm):
    """The statistics of one run, as (name, function) pairs."""
    from leaderkit.standards import statistics as st

    return [
        ("group differences by domain", lambda: st.group_differences(bm, "domain")),
        ("group differences by region", lambda: st.group_differences(bm, "region")),
        ("trend by domain", lambda: st.trend_test(bm, by="domain")),
        ("trend overall", lambda: st.trend_test(bm)),
        ("logistic model", lambda: st.adoption_model(bm, terms=("domain", "region", "year", "size"))),
        ("margins by domain × indicator × level", lambda: st.margin_distribution(bm)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3_200_000, help="number of standards (default 3.2 M)")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--runs", type=int, default=3, help="timed runs of the statistics (default 3)")
    args = ap.parse_args()

    from leaderkit.standards.benchmarking import benchmark
    from leaderkit.synth.generators import make_national, national_baselines_path

    DATA.mkdir(parents=True, exist_ok=True)
    parquet = DATA / f"national_{args.n}_{args.seed}.parquet"
    baselines = national_baselines_path(parquet)
    if not parquet.exists() or not baselines.exists():
        t0 = time.perf_counter()
        make_national(parquet, n_standards=args.n, seed=args.seed)
        print(f"generated {parquet.name} in {time.perf_counter() - t0:.1f} s")
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(parquet).metadata.num_rows
    print(f"data: {args.n:,} standards, {rows:,} indicator rows, {parquet.stat().st_size / 2**20:.0f} MiB Parquet")

    t0 = time.perf_counter()
    bm = benchmark(parquet, baselines)
    summary = bm.summary()
    print(f"benchmark: {time.perf_counter() - t0:.2f} s; {summary['standards']:,} standards, "
          f"stricter {summary['rate']:.1%}")

    seconds: dict[str, list[float]] = {}
    totals, sizes = [], {}
    for _ in range(max(1, args.runs)):
        total = 0.0
        for name, step in steps(bm):
            t = time.perf_counter()
            out = step()
            took = time.perf_counter() - t
            seconds.setdefault(name, []).append(took)
            sizes[name] = len(out)
            total += took
        totals.append(total)

    print(f"{'statistic':<40} {'rows out':>9} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, times in seconds.items():
        print(f"{name:<40} {sizes[name]:9,d} {statistics.median(times):9.2f} {min(times):7.2f} {max(times):7.2f}")
    median = statistics.median(totals)
    print(f"{'all statistics':<40} {'':9} {median:9.2f} {min(totals):7.2f} {max(totals):7.2f}")
    verdict = "met" if median < TARGET_SECONDS else "NOT met"
    print(f"floor: all statistics < {TARGET_SECONDS:.0f} s on {args.n:,} standards "
          f"(median of {len(totals)} runs {median:.2f} s): {verdict}")


if __name__ == "__main__":
    main()
