"""Robustness at scale: memory linear in rows and draws (never rows × rows), checked under an address-space
limit and by how the peak grows; the table equal to a plain loop over `rank` of each drawn scheme; the
ranking of keys, the percentiles and the TOPSIS draws equal to the one-rule functions they stand for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
import zlib
from datetime import date

import numpy as np
import pandas as pd
import pytest

from leaderkit import load_standards
from leaderkit.methods import uncertainty
from leaderkit.methods.scoring import min_ranks, topsis
from leaderkit.methods.uncertainty import KeyRanker, RankTally, robustness, topsis_distances, topsis_keys
from leaderkit.ranking.result import prepare, rank
from leaderkit.ranking.robustness import scheme_robustness
from leaderkit.schemes.model import Scheme

ON = date(2023, 12, 31)

SCHEME = """
id: SCALE-1
title: 规模测试方案
programme: national
domain: 洗衣机
agency: {name: 测试评价中心}
indicators:
  - id: energy
    name: 耗电量
    class: core
    unit: kWh
    direction: lower
    baselines:
      - {standard: GB 1-2020, level: national, requirement: "≤ 5"}
    levels: {leader: "≤ 1", advanced: "≤ 2", baseline: "≤ 3"}
    weight: 0.6
  - id: ratio
    name: 洗净比
    class: core
    unit: "1"
    direction: higher
    levels: {leader: "≥ 0.9", advanced: "≥ 0.8", baseline: "≥ 0.7"}
    weight: 0.4
ranking: {method: weighted, normalise: minmax, aggregate: amean, weights: declared, imputation: none}
leader_rule: {top_n: 3, tie_rule: exclude_all}
"""

REACH_LEADER = {"leader_rule.top_n": None, "leader_rule.tie_rule": "include_all",
                "leader_rule.reach_level": "leader"}


def frame(energy, ratio) -> pd.DataFrame:
    """Standards S00000 … with the given energy (≤) and ratio (≥) values, public long enough."""
    ids = [f"S{i:05d}" for i in range(len(energy))]
    rows = pd.DataFrame({"standard_id": ids * 2, "enterprise": [f"{i} 公司" for i in ids] * 2, "domain": "洗衣机",
                         "region": "浙江省", "published": "2022-01-10",
                         "indicator": ["耗电量"] * len(ids) + ["洗净比"] * len(ids),
                         "requirement": [f"≤ {e}" for e in energy] + [f"≥ {r}" for r in ratio],
                         "mass_produced": "是"})
    return load_standards(rows)


def spread(m: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return frame(np.round(rng.uniform(0.5, 4.9, m), 3), np.round(rng.uniform(0.6, 0.99, m), 3))


# ---- memory: never rows × rows --------------------------------------------------------------------------

CHILD = """
import json, resource, sys
import numpy as np, pandas as pd
import scipy.stats  # loaded by the rank normalisation; imported before the limit, as a program would
from datetime import date
sys.path.insert(0, {tests!r})
from test_robustness_scale import REACH_LEADER, SCHEME, spread
from leaderkit.methods.uncertainty import robustness
from leaderkit.ranking.result import prepare
from leaderkit.ranking.robustness import scheme_robustness
from leaderkit.schemes.model import Scheme

m, budget = {m}, {budget}
scheme = Scheme.loads(SCHEME)
prep = prepare(scheme, spread(m), on=date(2023, 12, 31))
data = pd.DataFrame({{"energy": prep.upper[:, 0], "ratio": prep.lower[:, 1]}}, index=prep.info.index)
vm = int(next(line for line in open("/proc/self/status") if line.startswith("VmSize:")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + budget, vm + budget))
out = {{}}
res = scheme_robustness(scheme, prep, n=40, perturb={{"indicators.*.weight": "dirichlet",
                                                     "ranking.normalise": ["minmax", "zscore"]}})
out["weighted"] = [list(res.table.shape), res.settings["frozen"], float(res.table["p_leader"].sum())]
res = scheme_robustness(scheme.with_changes(REACH_LEADER), prep, n=40, perturb={{"indicators.*.levels.*": 10}})
p = res.table["p_leader"]
out["thresholds"] = [list(res.table.shape), int(((p > 0) & (p < 1)).sum())]
res = scheme_robustness(scheme.with_changes({{"ranking.method": "topsis"}}), prep, n=40)
out["topsis"] = [list(res.table.shape), float(res.table["mean_rank"].mean())]
res = robustness(data, {{"energy": -1, "ratio": 1}}, n=40, normalisations=["minmax", "rank"],
                 leader_rule=("top_percent", 5))
out["method"] = [list(res.table.shape), res.settings["frozen"]]
try:
    np.ones((m, m), dtype=bool)
    out["limit_bites"] = False
except MemoryError:
    out["limit_bites"] = True
print(json.dumps(out))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc/self/status are Linux's")
def test_thirty_thousand_standards_within_an_address_space_limit():
    """With 600 MB of address space above what the process holds before the call, four runs on 30,000
    standards complete; a 30,000 × 30,000 array of even one byte a cell (900 MB) would not fit, and the
    child proves the limit bites by failing to allocate one."""
    m, budget = 30_000, 600 * 2**20
    code = CHILD.format(tests=os.path.dirname(__file__), m=m, budget=budget)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MALLOC_ARENA_MAX="2")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["limit_bites"] is True
    assert out["weighted"][0] == [m, 6] and out["weighted"][1] == ["indicators.*.weight"]
    assert 0 < out["weighted"][2] <= 3  # leaders per draw, on average: a top 3 with ties left out
    assert out["thresholds"][0] == [m, 6] and out["thresholds"][1] > 0  # moved limits decide some leaders
    assert out["topsis"][0] == [m, 6] and out["topsis"][1] == pytest.approx((m + 1) / 2, rel=1e-3)
    assert out["method"] == [[m, 6], ["weights"]]


def _peak(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_grows_linearly_in_rows_and_in_draws():
    """Doubling the rows or the draws at most about doubles the peak (a rows × rows structure would
    quadruple it with the rows)."""
    rng = np.random.default_rng(1)
    big = pd.DataFrame(rng.normal(50, 15, (8000, 4)), columns=list("abcd"))
    dirs = {"a": 1, "b": -1, "c": 1, "d": 1}
    robustness(big.iloc[:100], dirs, n=3, normalisations=["minmax", "rank"])  # imports, caches
    kw = {"normalisations": ["minmax", "rank"], "leader_rule": ("top_n", 10)}
    base = _peak(lambda: robustness(big.iloc[:4000], dirs, n=100, **kw))
    rows = _peak(lambda: robustness(big, dirs, n=100, **kw))
    draws = _peak(lambda: robustness(big.iloc[:4000], dirs, n=200, **kw))
    assert rows / base < 2.4 and draws / base < 2.4, (base, rows, draws)
    # the same for a scheme's list, from prepared data
    scheme = Scheme.loads(SCHEME)
    small, large = prepare(scheme, spread(3000, 2), on=ON), prepare(scheme, spread(6000, 2), on=ON)
    scheme_robustness(scheme, small, n=3, threshold_noise=5)
    base = _peak(lambda: scheme_robustness(scheme, small, n=60, threshold_noise=5))
    rows = _peak(lambda: scheme_robustness(scheme, large, n=60, threshold_noise=5))
    assert rows / base < 2.4, (base, rows)


def test_the_rank_store_is_rows_by_draws():
    tally = RankTally(70_000, 9, choices={"c": np.zeros(9, dtype=int)}, frozen=("w",), leaders=True)
    arrays = [a for v in vars(tally).values()
              for a in (v.values() if isinstance(v, dict) else [v]) if isinstance(a, np.ndarray)]
    assert tally.ranks.shape == (70_000, 9) and tally.ranks.dtype == np.int32  # 16 bits hold < 65,536 ranks
    assert RankTally(65_535, 9).ranks.dtype == np.uint16
    assert max(a.size for a in arrays) == 70_000 * 9
    assert all(sum(d >= 70_000 for d in a.shape) <= 1 for a in arrays)


# ---- the same numbers as the straightforward computation -------------------------------------------------


@pytest.mark.parametrize(("rows", "n"), [(70_000, 9), (300, 41), (3, 1000)])
def test_percentiles_are_numpys_inverted_cdf_in_both_sorts(rows, n):
    """16-bit rank stores are sorted by radix sort, wider ones partially: both give numpy's inverted CDF."""
    rng = np.random.default_rng(rows)
    ranks = rng.integers(1, rows + 1, size=(n, rows)).astype(np.int32)
    tally = RankTally(rows, n)
    step = max(1, n // 3)
    for start in range(0, n, step):
        tally.add(start, ranks[start:start + step])
    table = tally.summary(pd.RangeIndex(rows), [], [])[0]
    for col, q in (("median_rank", 0.5), ("rank_p05", 0.05), ("rank_p95", 0.95)):
        assert np.array_equal(table[col].to_numpy(), np.quantile(ranks, q, axis=0, method="inverted_cdf"))
    assert np.allclose(table["mean_rank"].to_numpy(), ranks.mean(axis=0), rtol=1e-13)


def test_key_ranker_gives_min_ranks_whatever_the_block(monkeypatch):
    rng = np.random.default_rng(3)
    keys = np.round(rng.normal(size=(37, 501)), 1)  # many ties
    keys[5] = 7.0  # a draw where every row ties
    keys[6, :3] = [1e-12, 0.0, -1e-12]  # within the tie tolerance of each other
    expected = min_ranks(keys)
    for cells in (1, 501 * 3 + 7, 10**9):
        monkeypatch.setattr(uncertainty, "_RANK_CELLS", cells)
        with KeyRanker() as ranker:
            assert np.array_equal(ranker(keys), expected)
            assert np.array_equal(ranker(keys[:1]), expected[:1])


def test_topsis_draws_are_the_closeness_of_topsis():
    rng = np.random.default_rng(4)
    data = pd.DataFrame(np.round(rng.uniform(1, 9, (200, 3)), 1), columns=["a", "b", "c"])
    data.iloc[7] = data.iloc[3]  # two identical rows must tie in every draw
    dirs = {"a": 1, "b": -1, "c": 1}
    weights = np.vstack([rng.dirichlet(np.ones(3), 30), [[0.0, 0.0, 1.0]], [[0.5, 0.5, 0.0]]])
    keys = topsis_keys(topsis_distances(data.to_numpy(), np.array([1.0, -1.0, 1.0])), weights)
    for w, k in zip(weights, keys, strict=True):
        reference = topsis(data, dirs, w)
        assert np.allclose(-k, reference["score"].to_numpy(), rtol=1e-12, atol=1e-15)
    ranks = min_ranks(keys)
    assert np.array_equal(ranks, np.array([topsis(data, dirs, w)["rank"].to_numpy() for w in weights]))
    assert (ranks[:, 7] == ranks[:, 3]).all()


def _reference(res, drawn_schemes, prep) -> pd.DataFrame:
    """The table by the plain route: `rank` of each drawn scheme, numpy's statistics over the draws."""
    ranks, leaders = [], []
    for s in drawn_schemes:
        table = rank(s, prep).table.set_index("standard_id").loc[res.table.index]
        ranks.append(table["rank"].to_numpy(dtype=np.int64))
        leaders.append(table["leader"].to_numpy(dtype=bool))
    ranks, leaders = np.array(ranks), np.array(leaders)
    out = pd.DataFrame({f"rank_{q}": np.quantile(ranks, v, axis=0, method="inverted_cdf")
                        for q, v in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95))}, index=res.table.index)
    out["mean_rank"] = ranks.mean(axis=0)
    out["p_leader"] = leaders.mean(axis=0)
    return out


def _assert_same(res, ref) -> None:
    t = res.table
    assert t["rank_p05"].tolist() == ref["rank_p05"].tolist()
    assert t["median_rank"].tolist() == ref["rank_p50"].tolist()
    assert t["rank_p95"].tolist() == ref["rank_p95"].tolist()
    assert t["mean_rank"].tolist() == pytest.approx(ref["mean_rank"].tolist(), rel=1e-12)
    assert t["p_leader"].tolist() == ref["p_leader"].tolist()


@pytest.fixture(scope="module")
def small():
    # S00004 and S00005 declare the same values: they tie in every draw
    energy = [0.8, 1.2, 2.5, 0.95, 1.7, 1.7, 3.1, 0.6, 2.2, 1.05, 4.0, 1.4]
    ratio = [0.95, 0.9, 0.85, 0.72, 0.88, 0.88, 0.99, 0.75, 0.93, 0.91, 0.8, 0.86]
    return prepare(Scheme.loads(SCHEME), frame(energy, ratio), on=ON)


@pytest.mark.parametrize("method", ["weighted", "topsis"])
def test_weight_draws_equal_a_loop_over_rank(small, method):
    scheme = Scheme.loads(SCHEME).with_changes({"ranking.method": method})
    n, seed = 40, 7
    res = scheme_robustness(scheme, small, n=n, seed=seed)
    w = res.draws[["indicators.energy.weight", "indicators.ratio.weight"]].to_numpy()
    # the same seed gives the same draws: the weights' own stream, w ~ Dirichlet(k · w₀)
    rng = np.random.default_rng([seed, zlib.crc32(b"weights"), zlib.crc32(b"main")])
    assert np.array_equal(w, rng.dirichlet(np.array([0.6, 0.4]) * 2, size=n))
    drawn = [scheme.with_changes({"indicators.energy.weight": float(a), "indicators.ratio.weight": float(b)})
             for a, b in w]
    ref = _reference(res, drawn, small)
    _assert_same(res, ref)
    assert res.table["nominal_rank"].tolist() == rank(scheme, small).table.set_index("standard_id").loc[
        res.table.index, "rank"].tolist()
    assert (res.table.loc["S00004"] == res.table.loc["S00005"]).all()


def test_weight_and_threshold_draws_equal_a_loop_over_rank(small):
    scheme = Scheme.loads(SCHEME).with_changes(REACH_LEADER)
    res = scheme_robustness(scheme, small, n=30, seed=2,
                            perturb={"indicators.*.weight": "dirichlet", "indicators.*.levels.*": 10})
    limits = {"energy": {"leader": 1, "advanced": 2, "baseline": 3},
              "ratio": {"leader": 0.9, "advanced": 0.8, "baseline": 0.7}}
    drawn = []
    for _, row in res.draws.iterrows():
        changes = {}
        for path, value in row.items():
            parts = path.split(".")
            if parts[2] == "weight":
                changes[path] = float(value)
            else:  # a one-sided limit moves as a number: limit × (1 + u); the draws hold 1 + u
                ind, level = parts[1], parts[3]
                changes[path] = f"{'≤' if ind == 'energy' else '≥'} {limits[ind][level] * value!r}"
        drawn.append(scheme.with_changes(changes))
    ref = _reference(res, drawn, small)
    _assert_same(res, ref)
    assert res.table["p_leader"].between(0, 1, inclusive="neither").any()  # the moved limits do decide
