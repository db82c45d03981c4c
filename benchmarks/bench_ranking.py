"""Ranking and robustness speed: leaderkit vs bare numpy vs scikit-criteria and pymcdm, in one run.

    .venv/bin/python benchmarks/bench_ranking.py            # full
    .venv/bin/python benchmarks/bench_ranking.py --quick    # fewer repeats; peers' loops on 100 draws

(a) full ranking of 10,000 standards × 10 indicators: min-max, weighted mean, ranks, top-N leaders;
    target within 3× of a bare numpy weighted sum and ≥ 5× faster than the peers' weighted sum.
    On this machine a fresh 800 KB temporary costs more than the arithmetic on it (page faults), so the
    plain numpy expression is slow; the in-place row (one temporary) is the stricter floor for a ranking.
(b) robustness, 1,000 Dirichlet weight draws on 500 × 10 (median rank, 5–95 % interval, P(leader));
    target within 3× of a bare numpy implementation and ≥ 50× faster than a loop over a peer.
(c) robustness, 10,000 draws on 5,000 × 10: wall time, target < 5 s.
(d) TOPSIS on 10,000 × 10, for reference (no target).
Figures are medians of repeated runs; compare the ratios, which are measured in the same run.

scikit-criteria and pymcdm are benchmark-only, never leaderkit dependencies. Without them their rows say
"skipped". When benchmarks/.venv-peers exists the script re-runs itself there. To create it:

    python3 -m venv benchmarks/.venv-peers
    benchmarks/.venv-peers/bin/pip install scikit-criteria==0.10 pymcdm==1.4 tqdm
    benchmarks/.venv-peers/bin/pip install --no-deps -e .
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from leaderkit.methods.scoring import composite, topsis
from leaderkit.methods.uncertainty import robustness

HERE = Path(__file__).resolve().parent
PEERS_PYTHON = HERE / ".venv-peers" / "bin" / "python"
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
    print(f"  → {label}: {'met' if ok else 'NOT met'}")


def part_a(repeat: int, peers: bool) -> None:
    print(f"\n(a) full ranking, 10,000 × {K}: min-max, weighted mean, ranks, top {TOP_N}")
    frame, directions, weights = make_data(10_000, 1)
    x = frame.to_numpy()
    signs = np.array(list(directions.values()), dtype=float)
    w = np.array(list(weights.values()))
    w = w / w.sum()

    def leaderkit_run():
        out = composite(frame, directions, weights)
        return out, out.index[out["rank"].to_numpy() <= TOP_N]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats; peers' loops on 100 draws")
    args = parser.parse_args()
    peers = have_peers()
    if not peers and PEERS_PYTHON.exists() and os.environ.get("LEADERKIT_BENCH_PEERS") != "tried":
        print(f"scikit-criteria/pymcdm not here; re-running under {PEERS_PYTHON}", flush=True)
        os.environ["LEADERKIT_BENCH_PEERS"] = "tried"
        os.execv(str(PEERS_PYTHON), [str(PEERS_PYTHON), __file__, *sys.argv[1:]])
    print(f"numpy {np.__version__}, pandas {pd.__version__}; peers: "
          + ("scikit-criteria {}, pymcdm {}".format(*(_version(m) for m in ("scikit-criteria", "pymcdm")))
             if peers else "not installed"))
    repeat = 7 if args.quick else 31
    part_a(repeat, peers)
    part_b(3 if args.quick else 7, peers, 100 if args.quick else 1000)
    part_c(10_000)
    part_d(repeat, peers)


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    main()
