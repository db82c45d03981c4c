"""Ranking and robustness speed: leaderkit vs bare numpy vs scikit-criteria and pymcdm, in one run.

    .venv/bin/python benchmarks/bench_ranking.py            # full
    .venv/bin/python benchmarks/bench_ranking.py --quick    # fewer repeats; peers' loops on 100 draws;
                                                            # (e) on 100,000 standards only
    .venv/bin/python benchmarks/bench_ranking.py --part e --rank-sizes 100000 --repeat 5

(a) full ranking of 10,000 standards × 10 indicators: min-max, weighted mean, ranks, top-N leaders;
    target within 3× of a bare numpy weighted sum and ≥ 5× faster than the peers' weighted sum.
    On this machine a fresh 800 KB temporary costs more than the arithmetic on it (page faults), so the
    plain numpy expression is slow; the in-place row (one temporary) is the stricter floor for a ranking.
(b) robustness, 1,000 Dirichlet weight draws on 500 × 10 (median rank, 5–95 % interval, P(leader));
    target within 3× of a bare numpy implementation and ≥ 50× faster than a loop over a peer.
(c) robustness, 10,000 draws on 5,000 × 10: wall time, target < 5 s.
(d) TOPSIS on 10,000 × 10, for reference (no target).
(e) `leaderkit rank` on one domain (洗涤机械, sample scheme A) of 100,000 and 1,000,000 standards (about
    8.8 rows each, a CSV with Chinese headers generated on demand under benchmarks/data/ from the sample's
    indicators and text pools). The floor is pandas reading the same CSV with its pyarrow engine (only the
    four columns it needs) and pivoting it to the standards × core indicators matrix of requirement texts.
    Each contender runs in its own process (wall time of the process, peak resident memory from
    `resource.getrusage`), leaderkit and the floor alternating; the matrix leaderkit ranked is checked
    against the floor's pivot read by the same value rules. Floors (issue 15): 100,000 standards ≤ 10× the
    pandas floor and ≤ 1.5 GB; 1,000,000 standards within 8 GB, time per standard ≤ 1.5× that at 100,000.
Figures are medians of repeated runs (with min and max for (e)); compare the ratios, which are measured in
the same run.

scikit-criteria and pymcdm are benchmark-only, never leaderkit dependencies. Without them their rows say
"skipped". When benchmarks/.venv-peers exists the script re-runs itself there. To create it:

    python3 -m venv benchmarks/.venv-peers
    benchmarks/.venv-peers/bin/pip install scikit-criteria==0.10 pymcdm==1.4 tqdm
    benchmarks/.venv-peers/bin/pip install --no-deps -e .
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from leaderkit.methods.scoring import composite, topsis
from leaderkit.methods.uncertainty import robustness

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PEERS_PYTHON = HERE / ".venv-peers" / "bin" / "python"
MAIN_PYTHON = ROOT / ".venv" / "bin" / "python"  # (e)'s processes: leaderkit's own environment
INSTALL_HINT = "pip install scikit-criteria==0.10 pymcdm==1.4 (in a separate venv, see this file's docstring)"
K = 10
TOP_N = 10


def have_peers() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("skcriteria", "pymcdm"))


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def make_data(rows: int, seed: int) -> tuple[pd.DataFrame, dict[str, int], dict[str, float]]:
    rng = np.random.default_rng(seed)
    names = [f"ind{j}" for j in range(K)]
    frame = pd.DataFrame(rng.normal(50, 15, (rows, K)), columns=names,
                         index=pd.Index([f"Q/STD {i:06d}" for i in range(rows)], name="standard"))
    directions = {n: (-1 if j % 3 == 0 else 1) for j, n in enumerate(names)}
    weights = dict(zip(names, rng.uniform(0.5, 2.0, K).tolist(), strict=True))
    return frame, directions, weights


def bare_minmax(x: np.ndarray, signs: np.ndarray) -> np.ndarray:
    y = x * signs
    mn = y.min(axis=0)
    return (y - mn) / (y.max(axis=0) - mn) * 100


def report(rows: list[tuple[str, float | None]], reference: str) -> dict[str, float]:
    ref = dict(rows)[reference]
    for name, sec in rows:
        if sec is None:
            print(f"  {name:<46} {'skipped':>10}   ({INSTALL_HINT})")
        else:
            print(f"  {name:<46} {sec * 1e3:10.2f} ms   {sec / ref:6.2f}× {reference}")
    return {name: sec for name, sec in rows if sec is not None}


def verdict(label: str, ok: bool) -> None:
    print(f"  floor: {label}: {'met' if ok else 'NOT met'}")


def part_a(repeat: int, peers: bool) -> None:
    print(f"\n(a) full ranking, 10,000 × {K}: min-max, weighted mean, ranks, top {TOP_N}")
    frame, directions, weights = make_data(10_000, 1)
    x = frame.to_numpy()
    signs = np.array(list(directions.values()), dtype=float)
    w = np.array(list(weights.values()))
    w = w / w.sum()

    def leaderkit_run():
        out = composite(frame, directions, weights)
        return out, out.index.take(np.flatnonzero(out["rank"].to_numpy() <= TOP_N))  # the leaders' labels

    def bare_sum():
        return bare_minmax(x, signs) @ w

    def bare_ranked():
        s = bare_minmax(x, signs) @ w
        return np.argsort(-s)[:TOP_N]

    def bare_in_place_ranked():
        y = x.T * signs[:, None]
        mn = y.min(axis=1)
        y -= mn[:, None]
        y *= (100 / (y.max(axis=1)))[:, None]
        return np.argsort(-(w @ y))[:TOP_N]

    rows = [
        ("leaderkit.composite + top-N", timed(leaderkit_run, repeat)[0]),
        ("bare numpy weighted sum", timed(bare_sum, repeat)[0]),
        ("bare numpy weighted sum + argsort", timed(bare_ranked, repeat)[0]),
        ("bare numpy in place + argsort", timed(bare_in_place_ranked, repeat)[0]),
    ]
    agree = {}
    if peers:
        import pymcdm
        import skcriteria as skc
        from skcriteria.agg.simple import WeightedSumModel
        from skcriteria.pipelines import mkpipe
        from skcriteria.preprocessing.invert_objectives import NegateMinimize
        from skcriteria.preprocessing.scalers import MinMaxScaler

        pipe = mkpipe(NegateMinimize(), MinMaxScaler(target="matrix"), WeightedSumModel())
        objectives = [max if s > 0 else min for s in signs]

        def skc_run():
            result = pipe.evaluate(skc.mkdm(x, objectives, weights=w))
            return result.rank_

        wsm = pymcdm.methods.WSM(normalization_function=pymcdm.normalizations.minmax_normalization)

        def pymcdm_run():
            return pymcdm.helpers.rrankdata(wsm(x, w, signs.astype(int)))

        rows += [("scikit-criteria WeightedSumModel", timed(skc_run, max(3, repeat // 3))[0]),
                 ("pymcdm WSM", timed(pymcdm_run, max(3, repeat // 3))[0])]
        ours = composite(frame, directions, weights)["rank"].to_numpy()
        agree = {"scikit-criteria": (skc_run() == ours).all(), "pymcdm": (pymcdm_run() == ours).all()}
    else:
        rows += [("scikit-criteria WeightedSumModel", None), ("pymcdm WSM", None)]
    t = report(rows, "bare numpy weighted sum")
    ours = t["leaderkit.composite + top-N"]
    verdict("within 3× of bare numpy", ours <= 3 * t["bare numpy weighted sum"])
    floor = t["bare numpy in place + argsort"]
    verdict(f"within 3× of the in-place floor ({ours / floor:.1f}×)", ours <= 3 * floor)
    for peer in ("scikit-criteria WeightedSumModel", "pymcdm WSM"):
        if peer in t:
            verdict(f"≥ 5× faster than {peer} ({t[peer] / ours:.1f}×)", t[peer] >= 5 * ours)
    for peer, same in agree.items():
        print(f"  same ranking as {peer}: {'yes' if same else 'NO'}")


def bare_robustness(x: np.ndarray, signs: np.ndarray, w0: np.ndarray, n: int, seed: int):
    z = bare_minmax(x, signs)
    draws = np.random.default_rng(seed).dirichlet(w0 * len(w0), size=n)
    scores = draws @ z.T
    ranks = np.empty(scores.shape, dtype=np.int64)
    np.put_along_axis(ranks, np.argsort(-scores, axis=1), np.arange(1, z.shape[0] + 1)[None, :], axis=1)
    q = np.percentile(ranks, [5, 50, 95], axis=0)
    return q, (ranks <= TOP_N).mean(axis=0)


def peer_loop(rank_once, draws: np.ndarray):
    ranks = np.array([rank_once(w) for w in draws])
    return np.percentile(ranks, [5, 50, 95], axis=0), (ranks <= TOP_N).mean(axis=0)


def part_b(repeat: int, peers: bool, peer_draws: int) -> None:
    n = 1000
    print(f"\n(b) robustness, {n:,} Dirichlet weight draws on 500 × {K}")
    frame, directions, weights = make_data(500, 2)
    x = frame.to_numpy()
    signs = np.array(list(directions.values()), dtype=float)
    w0 = np.array(list(weights.values()))
    w0 = w0 / w0.sum()

    def leaderkit_run():
        return robustness(frame, directions, weights, n=n, leader_rule=("top_n", TOP_N))

    rows = [
        ("leaderkit.uncertainty", timed(leaderkit_run, repeat)[0]),
        ("bare numpy (matmul, argsort, percentile)", timed(lambda: bare_robustness(x, signs, w0, n, 0), repeat)[0]),
    ]
    if peers:
        import pymcdm
        import skcriteria as skc
        from skcriteria.agg.simple import WeightedSumModel
        from skcriteria.pipelines import mkpipe
        from skcriteria.preprocessing.invert_objectives import NegateMinimize
        from skcriteria.preprocessing.scalers import MinMaxScaler

        draws = np.random.default_rng(0).dirichlet(w0 * K, size=peer_draws)
        pipe = mkpipe(NegateMinimize(), MinMaxScaler(target="matrix"), WeightedSumModel())
        objectives = [max if s > 0 else min for s in signs]
        wsm = pymcdm.methods.WSM(normalization_function=pymcdm.normalizations.minmax_normalization)
        types = signs.astype(int)
        scale = n / peer_draws
        skc_sec = timed(lambda: peer_loop(lambda w: pipe.evaluate(skc.mkdm(x, objectives, weights=w)).rank_,
                                          draws), 1)[0] * scale
        pym_sec = timed(lambda: peer_loop(lambda w: pymcdm.helpers.rrankdata(wsm(x, w, types)), draws), 1)[0] * scale
        note = "" if peer_draws == n else f" (×{scale:g} from {peer_draws} draws)"
        rows += [(f"loop over scikit-criteria{note}", skc_sec), (f"loop over pymcdm{note}", pym_sec)]
    else:
        rows += [("loop over scikit-criteria", None), ("loop over pymcdm", None)]
    t = report(rows, "bare numpy (matmul, argsort, percentile)")
    ours = t["leaderkit.uncertainty"]
    verdict("within 3× of bare numpy", ours <= 3 * t["bare numpy (matmul, argsort, percentile)"])
    for name, sec in t.items():
        if name.startswith("loop over"):
            verdict(f"≥ 50× faster than {name} ({sec / ours:.0f}×)", sec >= 50 * ours)


def part_c(n: int) -> None:
    print(f"\n(c) robustness, {n:,} draws on 5,000 × {K}")
    frame, directions, weights = make_data(5000, 3)
    sec, res = timed(lambda: robustness(frame, directions, weights, n=n, leader_rule=("top_n", TOP_N)), 1)
    print(f"  leaderkit.uncertainty                           {sec:10.2f} s")
    verdict("under 5 s", sec < 5)
    probable = res.table["p_leader"].ge(0.5).sum()
    print(f"  standards leading in ≥ half the draws: {probable}; highest P(leader) {res.table['p_leader'].max():.3f}")


def part_d(repeat: int, peers: bool) -> None:
    print(f"\n(d) TOPSIS, 10,000 × {K} (reference, no target)")
    frame, directions, weights = make_data(10_000, 4)
    frame = frame.abs() + 1
    x = frame.to_numpy()
    signs = np.array(list(directions.values()), dtype=float)
    w = np.array(list(weights.values()))
    w = w / w.sum()

    def bare():
        v = x / np.sqrt((x * x).sum(axis=0)) * w
        ideal = np.where(signs > 0, v.max(axis=0), v.min(axis=0))
        anti = np.where(signs > 0, v.min(axis=0), v.max(axis=0))
        dp = np.sqrt(((v - ideal) ** 2).sum(axis=1))
        dm = np.sqrt(((v - anti) ** 2).sum(axis=1))
        return dm / (dp + dm)

    rows = [("leaderkit.topsis", timed(lambda: topsis(frame, directions, weights), repeat)[0]),
            ("bare numpy TOPSIS", timed(bare, repeat)[0])]
    agree = {}
    if peers:
        import pymcdm
        import skcriteria as skc
        from skcriteria.agg.topsis import TOPSIS
        from skcriteria.pipelines import mkpipe
        from skcriteria.preprocessing.scalers import VectorScaler

        objectives = [max if s > 0 else min for s in signs]
        pipe = mkpipe(VectorScaler(target="matrix"), TOPSIS())
        method = pymcdm.methods.TOPSIS(normalization_function=pymcdm.normalizations.vector_normalization)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows += [
                ("scikit-criteria TOPSIS", timed(lambda: pipe.evaluate(skc.mkdm(x, objectives, weights=w)),
                                                 max(3, repeat // 3))[0]),
                ("pymcdm TOPSIS", timed(lambda: method(x, w, signs.astype(int)), max(3, repeat // 3))[0]),
            ]
            ours = topsis(frame, directions, weights)["score"].to_numpy()
            agree = {
                "scikit-criteria": np.allclose(pipe.evaluate(skc.mkdm(x, objectives, weights=w)).e_.similarity, ours),
                "pymcdm": np.allclose(method(x, w, signs.astype(int)), ours),
            }
    else:
        rows += [("scikit-criteria TOPSIS", None), ("pymcdm TOPSIS", None)]
    report(rows, "bare numpy TOPSIS")
    for peer, same in agree.items():
        print(f"  same closeness as {peer}: {'yes' if same else 'NO'}")


# ---- (e) leaderkit rank on one national-scale domain ------------------------------------------------

SCHEME = ROOT / "sample_data" / "schemes" / "washing_machines_a.yaml"
LIST_DATE = "2023-11-30"
FLOOR_RATIO, FLOOR_MB, LARGE_MB, LINEAR = 10.0, 1.5 * 1024, 8 * 1024, 1.5

LEADERKIT_RANK = r"""
import contextlib, io, json, resource, sys, time
t0 = time.perf_counter()
import leaderkit.ranking.result as result
from leaderkit.cli import main
kept = {}
rank = result.rank
def keep(*args, **kwargs):
    kept["result"] = rank(*args, **kwargs)
    return kept["result"]
result.rank = keep  # the CLI calls it: the ranking is kept for the check, nothing else changes
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    code = main(["rank", sys.argv[1], sys.argv[2], "--on", sys.argv[3]])
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
r = kept["result"]
if sys.argv[4]:
    r.prepared.matrix.to_parquet(sys.argv[4])
print(json.dumps({"seconds": seconds, "peak_mb": peak, "code": code, "standards": len(r.table),
                  "eligible": int(r.table["eligible"].sum()), "leaders": len(r.leaders),
                  "printed_lines": printed.getvalue().count("\n")}))
"""

PANDAS_PIVOT = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import pandas as pd
domain, core = sys.argv[2], json.loads(sys.argv[3])
df = pd.read_csv(sys.argv[1], engine="pyarrow", usecols=["标准编号", "领域", "指标名称", "指标要求"], dtype=str,
                 keep_default_na=False)
df = df[(df["领域"] == domain) & df["指标名称"].isin(core)]
matrix = df.pivot(index="标准编号", columns="指标名称", values="指标要求")
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if sys.argv[4]:  # for the check, untimed: the units of the same cells, read again
    units = pd.read_csv(sys.argv[1], engine="pyarrow", usecols=["标准编号", "领域", "指标名称", "单位"], dtype=str,
                        keep_default_na=False)
    units = units[(units["领域"] == domain) & units["指标名称"].isin(core)]
    units = units.pivot(index="标准编号", columns="指标名称", values="单位")
    pd.concat({"requirement": matrix, "unit": units}, axis=1).to_parquet(sys.argv[4])
print(json.dumps({"seconds": seconds, "peak_mb": peak, "shape": list(matrix.shape)}))
"""


def make_domain_csv(path: Path, n: int, seed: int = 2023, domain: str = "洗涤机械") -> int:
    """Write `n` declared standards of one domain as a CSV with the sample's Chinese headers (about 8.8 rows
    a standard: the core indicators always, the others in 70 % of standards), drawn like the national
    synthetic data (`leaderkit.synth.generators`): classes, rungs and requirement texts from the pools,
    enterprises per standard as nationally, years 2018–2023. Returns the number of rows."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from leaderkit._kit.files import atomic_path
    from leaderkit.synth import generators as g

    rng = np.random.default_rng(seed)
    pools = g.build_pools(g.DOMAINS)
    t = [d.name for d in g.DOMAINS].index(domain)
    d = g.DOMAINS[t]
    n_ent = max(1, round(n * g.ENTERPRISES_PER_STANDARD))
    ent_region = rng.choice(len(g.PROVINCES), n_ent, p=g.REGION_WEIGHTS)
    std_ent = rng.integers(0, n_ent, n)
    year = rng.choice(g.YEARS, n, p=g.YEAR_COUNTS / g.YEAR_COUNTS.sum())
    order = np.argsort(std_ent, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(std_ent[order])) + 1]
    seq = np.empty(n, np.int64)
    seq[order] = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n])) + 1
    published = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n)
    region = ent_region[std_ent]
    klass = g.draw_classes(rng, g.stricter_probability(np.full(n, d.base_rate), year, region))
    k = pools.dom_n[t]
    own = pools.dom_ind[t, :k]
    include = pools.core[own][None, :] | (rng.random((n, k)) < 0.7)
    row_std, pos = np.nonzero(include)
    row_ind = own[pos]
    entry = g.draw_entries(rng, pools, row_ind, g.draw_rungs(rng, pools, row_std, row_ind, klass))
    letters = np.stack([(np.arange(n_ent) // 26**p) % 26 for p in (4, 3, 2, 1, 0)], axis=1) + 65
    codes = pa.array(letters[rng.permutation(n_ent)].astype(np.uint8).view("S5").ravel()).cast(pa.string())
    ids = pc.binary_join_element_wise("Q/", codes.take(pa.array(std_ent)), " ",
                                      pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), 4, "0"), "-",
                                      pc.cast(pa.array(year), pa.string()), "")
    names = pc.binary_join_element_wise(
        pa.array(np.array([p[1] for p in g.PROVINCES])[ent_region]), pa.array(np.array(g.GANZHI)[np.arange(n_ent) % 60]),
        pa.array(np.array(d.trade)[np.arange(n_ent) % len(d.trade)]), pc.cast(pa.array(np.arange(n_ent)), pa.string()),
        "有限公司", "")
    take = pa.array(row_std)
    table = pa.table({
        "standard_id": ids.take(take),
        "standard_name": pa.array(np.array(d.items)[rng.integers(0, len(d.items), n)]).take(take),
        "enterprise": names.take(pa.array(std_ent)).take(take),
        "domain": pa.array(np.full(row_std.size, d.name)),
        "category": pa.array(np.full(row_std.size, d.category)),
        "region": pa.array(np.array(g.REGION_NAMES)[region]).take(take),
        "year": pa.array(year).take(take),
        "published": pa.array(published).cast(pa.string()).take(take),
        "indicator": pa.array([i.name for i in pools.indicators]).take(pa.array(row_ind)),
        "requirement": pa.array([e.text for e in pools.entries]).take(pa.array(entry)),
        "unit": pa.array([e.unit_column for e in pools.entries]).take(pa.array(entry)),
        "mass_produced": pa.array(np.where(rng.random(n) < 0.08, "否", "是")).take(take),
    })
    table = table.rename_columns([g.STANDARD_HEADERS[c] for c in table.column_names])
    with atomic_path(path, create_parents=True) as tmp:
        pacsv.write_csv(table, tmp, pacsv.WriteOptions(quoting_style="none"))
    return table.num_rows


def run_child(code: str, *args: str) -> dict:
    """One contender in a fresh process: its report, and the wall time of the whole process."""
    python = str(MAIN_PYTHON if MAIN_PYTHON.exists() else sys.executable)
    t0 = time.perf_counter()
    out = subprocess.run([python, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(f"contender failed ({out.returncode}):\n{out.stderr[-3000:]}")
    report = json.loads(out.stdout.strip().splitlines()[-1])
    report["wall"] = wall
    return report


def check_matrix(scheme, ours_path: Path, floor_path: Path) -> tuple[bool, str]:
    """The matrix leaderkit ranked equals the floor's pivot read by leaderkit's value rules: same standards,
    same indicators, the same number (or none) in every cell."""
    from leaderkit.ranking.values import indicator_matrix

    ours = pd.read_parquet(ours_path)
    pivot = pd.read_parquet(floor_path)
    long = pivot.stack(level=1, future_stack=True).reset_index()
    long.columns = ["standard_id", "indicator", "requirement", "unit"]
    long = long[long["requirement"].notna()]
    long.insert(1, "domain", scheme.domain)
    theirs, _ = indicator_matrix(scheme, long)
    same = (list(ours.index) == list(theirs.index) and list(ours.columns) == list(theirs.columns)
            and np.array_equal(ours.to_numpy(float), theirs.to_numpy(float), equal_nan=True))
    return same, f"{ours.shape[0]:,} × {ours.shape[1]}, {int(np.isfinite(ours.to_numpy(float)).sum()):,} values"


def part_e(sizes: list[int], repeat: int) -> None:
    from leaderkit.schemes.model import Scheme

    scheme = Scheme.load(SCHEME)
    core = [ind.name for ind in scheme.core_indicators()]
    print(f"\n(e) leaderkit rank on one domain ({scheme.domain}, scheme {scheme.id}, list date {LIST_DATE}); "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    per_standard = {}
    for n in sizes:
        csv_path = DATA / f"rank_domain_{n}.csv"
        if not csv_path.exists():
            print(f"  generating {csv_path.name} …", flush=True)
            make_domain_csv(csv_path, n)
        size_mb = csv_path.stat().st_size / 1e6
        runs = repeat if n <= 200_000 else 1  # a run of a million standards takes minutes
        times: dict[str, list[float]] = {"leaderkit": [], "floor": []}
        peaks: dict[str, list[float]] = {"leaderkit": [], "floor": []}
        with tempfile.TemporaryDirectory(prefix="bench-rank-") as tmp:
            ours_path, floor_path = Path(tmp) / "ours.parquet", Path(tmp) / "floor.parquet"
            report = {}
            for i in range(runs):
                for name, code, args in (
                        ("leaderkit", LEADERKIT_RANK, (str(SCHEME), str(csv_path), LIST_DATE,
                                                       str(ours_path) if i == 0 else "")),
                        ("floor", PANDAS_PIVOT, (str(csv_path), scheme.domain, json.dumps(core, ensure_ascii=False),
                                                 str(floor_path) if i == 0 else ""))):
                    out = run_child(code, *args)
                    times[name].append(out["wall"])
                    peaks[name].append(out["peak_mb"])
                    report.setdefault(name, out)
            same, shape = check_matrix(scheme, ours_path, floor_path)
        ours = report["leaderkit"]
        print(f"  {n:,} standards ({ours['standards']:,} ranked, {ours['eligible']:,} eligible, "
              f"{ours['leaders']} leaders; table printed in {ours['printed_lines']} lines), CSV {size_mb:,.0f} MB, "
              f"{runs} run(s) each")
        print(f"    {'contender':<40} {'median':>9} {'min':>9} {'max':>9} {'peak MB':>9}")
        for name, label in (("leaderkit", "leaderkit rank (whole process)"),
                            ("floor", "pandas pyarrow read_csv + pivot")):
            t = times[name]
            print(f"    {label:<40} {statistics.median(t):8.2f}s {min(t):8.2f}s {max(t):8.2f}s "
                  f"{max(peaks[name]):9.0f}")
        ratio = statistics.median(times["leaderkit"]) / statistics.median(times["floor"])
        peak = max(peaks["leaderkit"])
        print(f"    leaderkit / floor: {ratio:.1f}× (medians); same matrix as the floor's pivot ({shape}): "
              f"{'yes' if same else 'NO'}")
        per_standard[n] = statistics.median(times["leaderkit"]) / n
        if n == 100_000:
            verdict(f"≤ {FLOOR_RATIO:g}× the pandas floor ({ratio:.1f}×)", ratio <= FLOOR_RATIO)
            verdict(f"≤ {FLOOR_MB / 1024:g} GB ({peak / 1024:.2f} GB)", peak <= FLOOR_MB)
        if n >= 1_000_000:
            verdict(f"completes within {LARGE_MB / 1024:g} GB ({peak / 1024:.2f} GB)", ours["code"] in (0, 1)
                    and peak <= LARGE_MB)
        verdict("the same matrix as the floor", same)
    if 100_000 in per_standard and any(n >= 1_000_000 for n in per_standard):
        big = max(per_standard)
        growth = per_standard[big] / per_standard[100_000]
        verdict(f"time linear in size: per standard at {big:,} is {growth:.2f}× that at 100,000 (≤ {LINEAR:g}×)",
                growth <= LINEAR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats; peers' loops on 100 draws; "
                                                             "(e) on 100,000 standards only")
    parser.add_argument("--part", action="append", choices=["a", "b", "c", "d", "e"],
                        help="run only these parts (repeatable); default all")
    parser.add_argument("--rank-sizes", default=None, help="(e): standards per run, comma-separated "
                                                           "(default 100000,1000000; --quick 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="(e): runs per contender under 200,000 standards")
    args = parser.parse_args()
    parts = set(args.part or "abcde")
    peers = have_peers()
    if (parts & set("abcd") and not peers and PEERS_PYTHON.exists()
            and os.environ.get("LEADERKIT_BENCH_PEERS") != "tried"):
        print(f"scikit-criteria/pymcdm not here; re-running under {PEERS_PYTHON}", flush=True)
        os.environ["LEADERKIT_BENCH_PEERS"] = "tried"
        os.execv(str(PEERS_PYTHON), [str(PEERS_PYTHON), __file__, *sys.argv[1:]])
    print(f"numpy {np.__version__}, pandas {pd.__version__}; peers: "
          + ("scikit-criteria {}, pymcdm {}".format(*(_version(m) for m in ("scikit-criteria", "pymcdm")))
             if peers else "not installed"))
    repeat = 7 if args.quick else 31
    if "a" in parts:
        part_a(repeat, peers)
    if "b" in parts:
        part_b(3 if args.quick else 7, peers, 100 if args.quick else 1000)
    if "c" in parts:
        part_c(10_000)
    if "d" in parts:
        part_d(repeat, peers)
    if "e" in parts:
        sizes = args.rank_sizes or ("100000" if args.quick else "100000,1000000")
        part_e([int(s) for s in sizes.split(",")], max(1, args.repeat))


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    main()
