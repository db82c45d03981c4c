"""Monte Carlo robustness at scale: leaderkit vs a bare-numpy floor of the same work, each run in its own process.

    .venv/bin/python benchmarks/bench_robustness.py           # 20,000 and 50,000 × 10, 1,000 draws, 5 runs each
    .venv/bin/python benchmarks/bench_robustness.py --quick   # 5,000 × 10, 1,000 draws, 5 runs; no 50,000 size
    .venv/bin/python benchmarks/bench_robustness.py --rows 2000 --draws 200 --runs 3 --big 0   # a try-out

The work, the same for every contender: the eligible standards of a 10-indicator scheme (weighted, min-max,
arithmetic mean, leader rule top 10 with ties at the cut included), `--draws` Dirichlet weight draws
w ~ Dirichlet(k · w₀) from leaderkit's seeded stream of the weights, a score and a min-rank per standard and
draw (scores within 1e-10 × the largest |score| tie), and per standard the nominal rank, the inverted-CDF
rank percentiles p05 / p50 / p95, the mean rank and P(leader).

Contenders, each in a fresh process that loads its inputs and then runs the work once, timed:

- ``scheme_robustness``: `leaderkit.ranking.robustness.scheme_robustness(scheme, prepared, n=…)` on the
  prepared data (parsing and eligibility are `prepare`'s, done once before and not timed);
- ``robustness (method layer)``: `leaderkit.methods.uncertainty.robustness` on the eligible standards'
  values (the scheme's weights, ``leader_rule=("top_n", 10)``);
- ``numpy floor``: the same work in bare numpy, written as fast as we know how: the same Dirichlet draws
  (numpy's generator seeded as leaderkit seeds its weight stream), in-place min-max, one matrix product per
  block of draws, one argsort per draw and a scatter of positions into a (draws × standards) uint16 matrix,
  then a radix sort of each standard's ranks (blocks of standards) for the percentiles.

Fairness: every child is pinned to the same single CPU with one BLAS thread, so leaderkit's sorting
threads buy nothing; runs are interleaved (the contenders' order rotates each round) so background load
falls on all of them. Every contender's table must equal leaderkit's (ranks and P(leader) exactly; mean
rank to 1e-12 relative) or the script fails. Each figure is the median of the runs with min and max.

Memory: the peak resident set of the child during the call (Linux: the high-water mark is reset just
before the call through /proc/self/clear_refs, so loading the inputs does not count, but the inputs in
memory do); "extra" is that peak minus the resident set just before the call. Where the reset is not
possible the peak of the whole child (ru_maxrss) is shown and marked "*".

Floors (issue 15): memory linear in rows and draws (never rows × rows); 1,000 draws on 20,000 × 10 within
3× the numpy floor and ≤ 1.5 GB; a 50,000-standard run completes (the `--big` size, `--big-runs` runs of
scheme_robustness and the floor; linear memory: its extra memory grows at most 1.25 × as fast as the
standards, where rows × rows would grow with their square). Three other schemes on the main data (TOPSIS,
levels, a reach_level rule with moving limits) run once each for reference: their work is not the floor's.
The full run takes about 3–4 minutes on 2 busy CPUs; `--quick` about 1.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

K = 10
TOP_N = 10
SEED = 0
TIE_RTOL = 1e-10  # leaderkit.methods.scoring.TIE_RTOL, written out: the floor imports nothing from leaderkit
QUANTILES = {"median_rank": 0.5, "rank_p05": 0.05, "rank_p95": 0.95}
COLUMNS = ("nominal_rank", "median_rank", "rank_p05", "rank_p95", "mean_rank", "p_leader")
CONTENDERS = ("scheme_robustness", "robustness (method layer)", "numpy floor")
VARIANTS = {  # other schemes on the same data, one run each, for reference: (changes, perturb)
    "TOPSIS, weights": ({"ranking.method": "topsis"}, None),
    "levels, weights": ({"ranking.method": "levels"}, None),
    "reach_level, weights + limits": (
        {"leader_rule.top_n": None, "leader_rule.reach_level": "advanced",  # every indicator at the advanced
         **{f"indicators.i{j}.levels.advanced": "≤ 55" if j % 3 == 0 else "≥ 45" for j in range(K)}},  # level
        {"indicators.*.weight": "dirichlet", "indicators.*.levels.*": 10}),
}
TIME_FLOOR = 3.0
MEMORY_FLOOR_MB = 1536


# ---- the inputs ------------------------------------------------------------------------------------------


def scheme_text() -> str:
    """A weighted scheme with 10 core indicators (every third one lower-is-better) and a top-10 rule."""
    parts = []
    for j in range(K):
        lower = j % 3 == 0
        levels = ('{leader: "≤ 20", advanced: "≤ 35", baseline: "≤ 60"}' if lower
                  else '{leader: "≥ 80", advanced: "≥ 65", baseline: "≥ 40"}')
        baseline = ('    baselines:\n      - {standard: GB 1-2020, level: national, requirement: "≤ 99"}\n'
                    if j == 0 else "")
        parts.append(f"  - id: i{j}\n    name: 指标{j}\n    class: core\n    unit: mg/kg\n"
                     f"    direction: {'lower' if lower else 'higher'}\n{baseline}    levels: {levels}\n"
                     f"    weight: {0.5 + 0.15 * j:.2f}\n")
    return ("id: BENCH-ROBUST\ntitle: 稳健性基准方案\nprogramme: national\ndomain: 基准产品\n"
            "agency: {name: 基准评价机构}\nindicators:\n" + "".join(parts)
            + "ranking: {method: weighted, normalise: minmax, aggregate: amean, weights: declared, "
              "imputation: none}\nleader_rule: {top_n: 10, tie_rule: include_all}\n")


def standards_frame(rows: int, seed: int):
    """`rows` standards, each declaring all 10 indicators (values on a 0.1 grid in [5, 95])."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(5, 95, (rows, K)), 1)
    ids = np.array([f"Q/BENCH {i:06d}-2022" for i in range(rows)], dtype=object)
    frames = []
    for j in range(K):
        op = "≤ " if j % 3 == 0 else "≥ "
        frames.append(pd.DataFrame({
            "standard_id": ids, "enterprise": ids + " 公司", "domain": "基准产品", "region": "浙江省",
            "published": "2022-01-10", "indicator": f"指标{j}",
            "requirement": [op + repr(float(v)) for v in values[:, j]], "mass_produced": "是"}))
    return pd.concat(frames, ignore_index=True)


def build_inputs(rows: int, folder: Path) -> dict:
    """Prepare the scheme's data once (not timed) and write what each contender loads."""
    from datetime import date

    import numpy as np

    from leaderkit import load_standards
    from leaderkit.ranking.result import entered, prepare
    from leaderkit.ranking.score import scored_values
    from leaderkit.schemes.model import Scheme

    t0 = time.perf_counter()
    scheme = Scheme.loads(scheme_text())
    prep = prepare(scheme, load_standards(standards_frame(rows, seed=rows)), on=date(2023, 12, 31))
    eligible = entered(scheme, prep)[0]["eligible"].to_numpy(dtype=bool)
    core = scheme.core_indicators()
    values, directions = scored_values(core, prep.lower, prep.upper)
    weights = np.array([ind.weight for ind in core], dtype=float)
    seconds = time.perf_counter() - t0
    with open(folder / "prepared.pkl", "wb") as f:
        pickle.dump(prep, f, protocol=pickle.HIGHEST_PROTOCOL)
    np.savez(folder / "values.npz", values=values[eligible], higher=np.array(list(directions.values())) > 0,
             weights=weights, ids=np.array([ind.id for ind in core]),
             index=prep.info.index[eligible].to_numpy(dtype=str))
    (folder / "scheme.yaml").write_text(scheme_text(), encoding="utf-8")
    return {"eligible": int(eligible.sum()), "prepare_s": seconds}


# ---- the contenders (run in a child process) --------------------------------------------------------------


def numpy_floor(values, higher, weights, n: int, seed: int, top: int):
    """The work in bare numpy: returns the six columns of the table as arrays."""
    import numpy as np

    m, k = values.shape
    # in-place min-max on the (indicators × standards) layout, higher is better, scaled to [0, 100]
    t = np.ascontiguousarray(values.T)
    t[~higher] *= -1
    t -= t.min(axis=1, keepdims=True)
    t *= (100 / t.max(axis=1))[:, None]
    t *= -1  # keys: the lowest is best
    w0 = weights / weights.sum()
    rng = np.random.default_rng([seed, zlib.crc32(b"weights"), zlib.crc32(b"main")])
    draws = rng.dirichlet(w0 * k, size=n)

    positions = np.arange(1, m + 1, dtype=np.int64)

    def min_ranks(keys, out):
        order = np.argsort(keys)
        ordered = keys[order]
        gaps = ordered[1:] - ordered[:-1] > TIE_RTOL * max(abs(ordered[0]), abs(ordered[-1]))
        if gaps.all():
            out[order] = positions
        else:
            out[order] = np.maximum.accumulate(np.where(np.concatenate(([True], gaps)), positions, 0))

    nominal = np.empty(m, dtype=np.int64)
    min_ranks(w0 @ t, nominal)
    ranks = np.empty((n, m), dtype=np.uint16 if m < 2**16 else np.int32)
    block = max(1, 4_000_000 // m)
    for start in range(0, n, block):
        keys = draws[start:start + block] @ t
        for d, row in enumerate(keys):
            min_ranks(row, ranks[start + d])
    out = {"nominal_rank": nominal}
    at = {col: min(max(int(np.ceil(n * q - 1)), 0), n - 1) for col, q in QUANTILES.items()}
    for col in QUANTILES:
        out[col] = np.empty(m, dtype=np.int64)
    total = np.empty(m)
    leads = np.empty(m, dtype=np.int64)
    step = max(1, 4_000_000 // n)
    kth = sorted(set(at.values()))
    for s in range(0, m, step):
        block = np.ascontiguousarray(ranks[:, s:s + step].T)
        total[s:s + step] = block.sum(axis=1, dtype=np.float64)
        leads[s:s + step] = (block <= top).sum(axis=1)
        # numpy sorts 16-bit integers by radix sort (kind="stable"); wider ones are partially sorted
        part = np.sort(block, axis=1, kind="stable") if block.itemsize == 2 else np.partition(block, kth, axis=1)
        for col, i in at.items():
            out[col][s:s + step] = part[:, i]
    out["mean_rank"] = total / n
    out["p_leader"] = leads / n
    return out


def child(name: str, folder: Path, n: int, out: Path) -> None:
    """Load the contender's inputs, run it once, write its table, seconds and memory."""
    import gc

    import numpy as np

    if name == "scheme_robustness" or name in VARIANTS:
        from leaderkit.ranking.robustness import scheme_robustness
        from leaderkit.schemes.model import Scheme

        changes, perturb = VARIANTS.get(name, ({}, None))
        scheme = Scheme.loads((folder / "scheme.yaml").read_text(encoding="utf-8")).with_changes(changes)
        with open(folder / "prepared.pkl", "rb") as f:
            prep = pickle.load(f)
        run = lambda: scheme_robustness(scheme, prep, n=n, seed=SEED, perturb=perturb).table  # noqa: E731
    else:
        data = np.load(folder / "values.npz")
        values, higher, weights = data["values"], data["higher"], data["weights"]
        if name == "numpy floor":
            run = lambda: numpy_floor(values, higher, weights, n, SEED, TOP_N)  # noqa: E731
        else:
            import pandas as pd

            from leaderkit.methods.uncertainty import robustness

            ids = data["ids"].tolist()
            frame = pd.DataFrame(values, columns=ids, index=pd.Index(data["index"], name="standard_id"))
            directions = {i: 1 if h else -1 for i, h in zip(ids, higher, strict=True)}
            run = lambda: robustness(frame, directions, dict(zip(ids, weights.tolist(), strict=True)),  # noqa: E731
                                     n=n, seed=SEED, leader_rule=("top_n", TOP_N)).table
    gc.collect()
    reset = _reset_peak()
    before = _rss_mb()
    t0 = time.perf_counter()
    table = run()
    seconds = time.perf_counter() - t0
    peak = _peak_mb() if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    np.savez(out.with_suffix(".npz"), **{c: np.asarray(table[c]) for c in COLUMNS})
    out.write_text(json.dumps({"seconds": seconds, "peak_mb": peak, "before_mb": before, "reset": reset}))


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mb() -> float:
    return _status_mb("VmRSS") if Path("/proc/self/status").exists() else float("nan")


def _peak_mb() -> float:
    return _status_mb("VmHWM")


# ---- the parent: runs, checks, prints ----------------------------------------------------------------


def run_child(name: str, folder: Path, n: int, cpu: int | None) -> tuple[dict, dict]:
    import numpy as np

    out = folder / f"out-{(*CONTENDERS, *VARIANTS).index(name)}.json"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    cmd = [sys.executable, __file__, "--child", name, "--folder", str(folder), "--draws", str(n),
           "--out", str(out)]
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu), *cmd] if _have_taskset() else cmd
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    stats = json.loads(out.read_text())
    with np.load(out.with_suffix(".npz")) as z:
        table = {c: z[c] for c in COLUMNS}
    return stats, table


def _have_taskset() -> bool:
    from shutil import which

    return which("taskset") is not None


def same_table(a: dict, b: dict) -> str | None:
    """None when the tables agree, else the first column that differs and how."""
    import numpy as np

    for col in COLUMNS:
        x, y = np.asarray(a[col], dtype=float), np.asarray(b[col], dtype=float)
        if x.shape != y.shape:
            return f"{col}: shape {x.shape} vs {y.shape}"
        ok = np.allclose(x, y, rtol=1e-12, atol=0) if col == "mean_rank" else np.array_equal(x, y)
        if not ok:
            bad = int(np.sum(~np.isclose(x, y, rtol=1e-12, atol=0)))
            return f"{col}: {bad} of {len(x)} standards differ"
    return None


def measure(rows: int, n: int, runs: int, contenders, cpu: int | None, variants=()) -> dict:
    """`runs` interleaved runs of each contender on `rows` standards, every table checked against the first;
    then one run of each variant (other schemes on the same data, nothing to compare with)."""
    with tempfile.TemporaryDirectory(prefix="bench-robustness-") as tmp:
        folder = Path(tmp)
        info = build_inputs(rows, folder)
        print(f"\n{rows:,} standards × {K} indicators ({info['eligible']:,} eligible), {n:,} draws, "
              f"{runs} run{'s' if runs > 1 else ''} per contender (prepare, once and not timed: "
              f"{info['prepare_s']:.1f} s)", flush=True)
        stats = {name: [] for name in contenders}
        reference = None
        for r in range(runs):
            for name in contenders[r % len(contenders):] + contenders[:r % len(contenders)]:
                s, table = run_child(name, folder, n, cpu)
                stats[name].append(s)
                if reference is None:
                    reference = (name, table)
                diff = same_table(reference[1], table)
                if diff is not None:
                    raise SystemExit(f"  {name} disagrees with {reference[0]}: {diff}")
        print("  every run of every contender gives the same table (ranks and P(leader) exactly, mean rank to 1e-12)")
        other = {name: run_child(name, folder, n, cpu)[0] for name in variants}
        return {"rows": rows, "n": n, "runs": runs, "stats": stats, "variants": other}


def show(result: dict) -> dict:
    stats = result["stats"]
    floor = statistics.median(s["seconds"] for s in stats["numpy floor"])
    print(f"  {'contender':<31} {'median s':>9} {'min':>7} {'max':>7} {'× floor':>8} "
          f"{'peak MB':>8} {'extra MB':>9}")
    summary = {}
    for name, runs in stats.items():
        sec = [s["seconds"] for s in runs]
        peak = max(s["peak_mb"] for s in runs)
        extra = max(s["peak_mb"] - s["before_mb"] for s in runs)
        mark = "" if all(s["reset"] for s in runs) else "*"
        med = statistics.median(sec)
        summary[name] = {"median": med, "ratio": med / floor, "peak": peak, "extra": extra}
        print(f"  {name:<31} {med:9.2f} {min(sec):7.2f} {max(sec):7.2f} {med / floor:7.2f}× "
              f"{peak:7.0f}{mark} {extra:9.0f}")
    if result["variants"]:
        print("  other schemes on the same data, scheme_robustness, one run each (not the floor's work; "
              "time relative to its median):")
        for name, s in result["variants"].items():
            print(f"    {name:<29} {s['seconds']:9.2f} {'':>15} {s['seconds'] / floor:7.2f}× "
                  f"{s['peak_mb']:7.0f}{'' if s['reset'] else '*'} {s['peak_mb'] - s['before_mb']:9.0f}")
    return summary


def verdict(label: str, ok: bool) -> None:
    print(f"  floor: {label}: {'met' if ok else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 standards and no 50,000 size")
    parser.add_argument("--rows", type=int, help="standards of the main size (default 20,000; 5,000 quick)")
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="runs per contender at the main size")
    parser.add_argument("--big", type=int, help="standards of the large size (default 50,000; 0 skips it)")
    parser.add_argument("--big-runs", type=int, default=5, help="runs per contender at the large size")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, Path(args.folder), args.draws, Path(args.out))
        return 0

    import numpy as np

    rows = args.rows or (5_000 if args.quick else 20_000)
    big = args.big if args.big is not None else (0 if args.quick else 50_000)
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    cpu = cpus[-1] if cpus and _have_taskset() else None
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average "
          + " ".join(f"{v:.1f}" for v in os.getloadavg()) + f"; numpy {np.__version__}, Python "
          f"{platform.python_version()}")
    print("each contender in its own process, " + (f"pinned to CPU {cpu}" if cpu is not None else "not pinned")
          + ", one BLAS thread; runs interleaved")

    main_size = measure(rows, args.draws, args.runs, list(CONTENDERS), cpu, variants=list(VARIANTS))
    summary = show(main_size)
    ours, method = summary["scheme_robustness"], summary["robustness (method layer)"]
    size = f"{rows:,} × {K}, {args.draws:,} draws"
    if (rows, args.draws) != (20_000, 1000):
        print(f"  (the floors are stated for 20,000 × {K}, 1,000 draws: this run is {size})")
    verdict(f"{size}: scheme_robustness within {TIME_FLOOR:g}× the numpy floor ({ours['ratio']:.2f}×)",
            ours["ratio"] <= TIME_FLOOR)
    verdict(f"{size}: method-layer robustness within {TIME_FLOOR:g}× the numpy floor ({method['ratio']:.2f}×)",
            method["ratio"] <= TIME_FLOOR)
    verdict(f"{size}: peak ≤ {MEMORY_FLOOR_MB / 1024:g} GB ({ours['peak']:.0f} MB scheme_robustness, "
            f"{method['peak']:.0f} MB method layer)", max(ours["peak"], method["peak"]) <= MEMORY_FLOOR_MB)
    if big:
        large = show(measure(big, args.draws, args.big_runs, ["scheme_robustness", "numpy floor"], cpu))
        mine = large["scheme_robustness"]
        verdict(f"{big:,} standards run ({mine['median']:.1f} s median, peak {mine['peak']:.0f} MB, "
                f"{mine['ratio']:.2f}× the numpy floor)", True)
        # rows × rows would grow the extra memory by (big / rows)²; linear grows it by at most big / rows
        growth, linear = mine["extra"] / max(ours["extra"], 1.0), big / rows
        verdict(f"memory linear in rows: extra memory ×{growth:.2f} for ×{linear:.2f} the standards "
                f"(rows × rows would be ×{linear ** 2:.2f})", growth <= 1.25 * linear)
    else:
        print("  → 50,000 standards run: not measured (--quick or --big 0)")
    print(f"load average at the end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
