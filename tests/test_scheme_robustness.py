"""Robustness of a scheme's list: perturbation paths checked at once, thresholds moved as numbers, every
draw rebuilt by the scoring and leader rule of `rank`, one engine with the method layer, memory linear in
rows and draws."""

import tracemalloc
from datetime import date

import numpy as np
import pandas as pd
import pytest

from leaderkit import load_standards
from leaderkit.methods.scoring import composite, level_points, topsis
from leaderkit.methods.uncertainty import robustness
from leaderkit.ranking.common import RankingError
from leaderkit.ranking.result import prepare, rank
from leaderkit.ranking.robustness import scheme_robustness
from leaderkit.schemes.model import Scheme

ON = date(2023, 12, 31)
OLD = "2022-01-10"

SCHEME = """
id: T-1
title: 测试方案
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
      - {standard: QB/T 2-2020, level: industry, requirement: "≤ 4"}
    levels: {leader: "≤ 1", advanced: "≤ 2", baseline: "≤ 3"}
    weight: 0.6
  - id: ratio
    name: 洗净比
    class: core
    unit: "1"
    direction: higher
    levels: {leader: "≥ 0.9", advanced: "≥ 0.8", baseline: "≥ 0.7"}
    weight: 0.4
  - id: safety
    name: 电气安全
    class: baseline
    levels: {baseline: "符合 GB 4706.24"}
ranking: {method: weighted, normalise: minmax, aggregate: amean, weights: declared, imputation: none}
leader_rule: {top_n: 2, tie_rule: include_all}
"""

RANGE_SCHEME = SCHEME.replace("direction: higher", "direction: range").replace(
    '{leader: "≥ 0.9", advanced: "≥ 0.8", baseline: "≥ 0.7"}', '{leader: "0.78～0.82", advanced: "0.7～0.9"}')

SPREAD = [("A", "≤ 0.95", "≥ 0.95"), ("B", "≤ 1.05", "≥ 0.92"), ("C", "≤ 1.12", "≥ 0.91"),
          ("D", "≤ 1.5", "≥ 0.85"), ("E", "≤ 2", "≥ 0.96"), ("F", "≤ 2.5", "≥ 0.75"),
          ("G", "≤ 3", "≥ 0.7"), ("H", "≤ 1.8", "≥ 0.88")]
TIED = [("A", "≤ 1", "≥ 0.9"), ("B", "≤ 1", "≥ 0.9"), ("C", "≤ 2", "≥ 0.8"), ("D", "≤ 3", "≥ 0.7")]
REACH_LEADER = {"leader_rule.top_n": None, "leader_rule.reach_level": "leader"}


def scheme(changes=None, text=SCHEME) -> Scheme:
    s = Scheme.loads(text)
    return s.with_changes(changes) if changes else s


def standards(rows) -> pd.DataFrame:
    """rows: (id, energy text, ratio text); every standard public long enough and mass-produced."""
    out = []
    for sid, energy, ratio in rows:
        for name, text in (("耗电量", energy), ("洗净比", ratio)):
            out.append({"standard_id": sid, "enterprise": f"{sid} 公司", "domain": "洗衣机", "region": "浙江省",
                        "published": OLD, "indicator": name, "requirement": text, "mass_produced": "是"})
    return load_standards(pd.DataFrame(out))


@pytest.fixture(scope="module")
def spread():
    return standards(SPREAD)


# ---- the earlier keywords still work ---------------------------------------------------------------


def test_scheme_robustness_seeded_and_nominal():
    data = standards(TIED)
    s = scheme({"leader_rule.top_n": 1})
    fixed = scheme_robustness(s, data, on=ON, n=20, weight_noise=None, threshold_noise=0.0)
    assert fixed.table["nominal_rank"].tolist() == [1, 1, 3, 4]
    assert fixed.table["p_leader"].tolist() == [1.0, 1.0, 0.0, 0.0]
    one = scheme_robustness(s, data, on=ON, n=50, seed=5, threshold_noise=10, normalisations=["zscore"])
    two = scheme_robustness(s, data, on=ON, n=50, seed=5, threshold_noise=10, normalisations=["zscore"])
    pd.testing.assert_frame_equal(one.table, two.table)
    pd.testing.assert_frame_equal(one.draws, two.draws)
    assert set(one.draws["ranking.normalise"]) == {"minmax", "zscore"}
    assert one.table["p_leader"].between(0, 1).all()
    fast = scheme_robustness(s, data, on=ON, n=40, seed=1)
    assert fast.table["nominal_rank"].tolist() == [1, 1, 3, 4] and "p_leader" in fast.table


@pytest.mark.parametrize("changes", [
    {},  # weighted, top 2: the earlier code ran the method layer without thresholds, a rebuild with them
    REACH_LEADER,
    {"ranking.method": "levels"},
])
def test_threshold_noise_zero_is_exactly_no_threshold_noise(spread, changes):
    s = scheme(changes)
    extra = {"normalisations": ["zscore"]} if s.ranking.method == "weighted" else {}
    with_zero = scheme_robustness(s, spread, on=ON, n=300, seed=3, threshold_noise=0.0, **extra)
    without = scheme_robustness(s, spread, on=ON, n=300, seed=3, **extra)
    if extra:
        assert without.table["rank_p95"].ne(without.table["rank_p05"]).any()  # the ranks do vary
    pd.testing.assert_frame_equal(with_zero.table, without.table)
    pd.testing.assert_series_equal(with_zero.sensitivity.drop("indicators.*.levels.*"), without.sensitivity)
    assert with_zero.sensitivity["indicators.*.levels.*"] == 0.0
    pd.testing.assert_frame_equal(with_zero.draws[without.draws.columns], without.draws)
    assert with_zero.settings["perturb"]["indicators.*.levels.*"] == 0.0
    assert "indicators.*.levels.*" not in with_zero.settings["varied"]


def test_same_seed_same_draws_whatever_else_is_perturbed(spread):
    s = scheme({"ranking.method": "levels"})
    alone = scheme_robustness(s, spread, on=ON, n=200, seed=9, perturb={"indicators.*.weight": "dirichlet"})
    both = scheme_robustness(s, spread, on=ON, n=200, seed=9, perturb={
        "indicators.*.weight": "dirichlet", "indicators.energy.levels.advanced": 20})
    pd.testing.assert_frame_equal(both.draws[alone.draws.columns], alone.draws)
    other = scheme_robustness(s, spread, on=ON, n=200, seed=10, perturb={"indicators.*.weight": "dirichlet"})
    assert not other.draws.equals(alone.draws)


# ---- paths are checked at once ---------------------------------------------------------------------


@pytest.mark.parametrize("path, value, says", [
    ("indicators.energy_use.weight", 10, "energy_use"),
    ("indicators.safety.levels.baseline", 10, "not a core indicator"),
    ("indicators.energy.level.leader", 10, "no such perturbable path"),
    ("ranking.normalize", ["zscore"], "no such perturbable path"),
    ("leader_rule.top_n", [1, 2], "no such perturbable path"),
    ("indicators.energy.levels.top", 10, "no level 'top'"),
    ("indicators.energy.weight", 10, "weights are drawn together"),
    ("indicators.*.weight", "gaussian", "\"dirichlet\" or a percentage"),
    ("indicators.*.weight", True, "\"dirichlet\" or a percentage"),
    ("indicators.*.levels.*", 150, "percentage in [0, 100)"),
    ("indicators.*.levels.*", ["≤ 1"], "percentage in [0, 100)"),
    ("indicators.energy.levels.leader", [0.8], "list of requirement texts"),
    ("indicators.energy.levels.leader", "dirichlet", "percentage in [0, 100)"),
    ("ranking.normalise", "zscore", "list of alternative methods"),
    ("ranking.aggregate", ["median"], "list of alternative methods"),
])
def test_a_bad_path_is_refused_with_its_name(spread, path, value, says):
    # n so large that drawing anything first would not finish: the refusal comes before any draw
    with pytest.raises(RankingError) as caught:
        scheme_robustness(scheme(), spread, on=ON, n=10**12, perturb={path: value})
    message = str(caught.value)
    assert repr(path) in message and says in message
    assert message.startswith(f"扰动路径 {path!r}") and "建议 / what to do" in message  # Chinese first, a hint


def test_paths_that_do_not_fit_the_scheme_are_refused(spread):
    no_advanced = scheme({"indicators.energy.levels.advanced": None})
    with pytest.raises(RankingError, match="sets no such threshold"):
        scheme_robustness(no_advanced, spread, on=ON, perturb={"indicators.energy.levels.advanced": 5})
    with pytest.raises(RankingError, match="only the weighted method uses it; this scheme ranks by topsis"):
        scheme_robustness(scheme({"ranking.method": "topsis"}), spread, on=ON,
                          perturb={"ranking.normalise": ["rank"]})
    with pytest.raises(RankingError, match="lexicographic ranking uses no weights"):
        scheme_robustness(scheme({"ranking.method": "lexicographic"}), spread, on=ON,
                          perturb={"indicators.*.weight": "dirichlet"})
    with pytest.raises(RankingError, match="as 'indicators.\\*.levels.\\*' does"):
        scheme_robustness(scheme(), spread, on=ON, perturb={"indicators.*.levels.*": 5,
                                                             "indicators.energy.levels.leader": 10})
    with pytest.raises(RankingError, match="is not numeric"):
        scheme_robustness(scheme(), spread, on=ON, perturb={"indicators.energy.levels.leader": ["外观良好"]})
    with pytest.raises(RankingError, match="not both"):
        scheme_robustness(scheme(), spread, on=ON, perturb={"indicators.*.weight": 5}, threshold_noise=5)


def test_settings_record_the_paths(spread):
    res = scheme_robustness(scheme(), spread, on=ON, n=30, perturb={
        "indicators.*.weight": 20, "indicators.energy.levels.leader": ["≤ 0.9", "≤ 1"],
        "ranking.normalise": ["zscore", "minmax", "zscore"], "ranking.aggregate": ["amean"]})
    assert res.settings["perturb"] == {"indicators.*.weight": 20.0,
                                       "indicators.energy.levels.leader": ["≤ 1", "≤ 0.9"],
                                       "ranking.normalise": ["minmax", "zscore"],
                                       "ranking.aggregate": ["amean"]}
    # a top-N weighted list does not look at levels; one aggregation is no choice at all
    assert res.settings["no_effect"] == ["indicators.energy.levels.leader"]
    assert res.settings["varied"] == ["indicators.*.weight", "ranking.normalise"]
    assert res.settings["frozen"] == ["indicators.*.weight"]
    assert list(res.sensitivity.index) == list(res.settings["perturb"])
    assert list(res.draws.columns) == ["indicators.energy.weight", "indicators.ratio.weight",
                                       "indicators.energy.levels.leader", "ranking.normalise",
                                       "ranking.aggregate"]


# ---- thresholds move as numbers ----------------------------------------------------------------------


def test_a_threshold_perturbation_moves_levels_and_leaders_by_the_numeric_amount(spread):
    s = scheme(REACH_LEADER)
    res = scheme_robustness(s, spread, on=ON, n=2000, seed=4, perturb={"indicators.energy.levels.leader": 10})
    factor = res.draws["indicators.energy.levels.leader"]
    assert factor.between(0.9, 1.1).all() and factor.std() > 0.05
    p = res.table["p_leader"]
    # leader when every core indicator reaches the leader level: energy ≤ 1 × factor, ratio ≥ 0.9
    assert p["A"] == (factor >= 0.95).mean() and p["B"] == (factor >= 1.05).mean()
    assert 0.70 < p["A"] < 0.80 and 0.20 < p["B"] < 0.30
    assert p["C"] == 0.0  # 1.12 is beyond 1 × 1.1
    assert p["E"] == 0.0 and p["H"] == 0.0  # energy 2 and 1.8 never reach; ratio 0.88 never either
    assert res.sensitivity.tolist() == [0.0] and res.settings["varied"] == []  # ranks do not look at levels
    by_text = scheme_robustness(s, spread, on=ON, n=400, seed=4,
                                perturb={"indicators.energy.levels.leader": ["≤ 1.1"]})
    chosen = by_text.draws["indicators.energy.levels.leader"]
    assert set(chosen) == {"≤ 1", "≤ 1.1"}
    assert by_text.table.loc[["A", "B", "C"], "p_leader"].tolist() == [1.0, (chosen == "≤ 1.1").mean(), 0.0]


def test_an_interval_threshold_keeps_its_midpoint():
    data = standards([("X", "≤ 1", "0.775～0.825"), ("Y", "≤ 1", "0.79～0.83"), ("Z", "≤ 1", "0.79～0.81"),
                      ("W", "≤ 2", "0.7～0.9")])
    s = scheme(REACH_LEADER, RANGE_SCHEME)
    res = scheme_robustness(s, data, on=ON, n=2000, seed=8, perturb={"indicators.ratio.levels.leader": 50})
    factor = res.draws["indicators.ratio.levels.leader"]
    p = res.table["p_leader"]
    # 0.78～0.82 has midpoint 0.80 and half-width 0.02: X (half-width 0.025) fits when 0.02 × factor ≥ 0.025
    assert p["X"] == (factor >= 1.25).mean() and 0.2 < p["X"] < 0.3
    # Y reaches 0.83 only with the half-width 1.5 × 0.02, which U(−50 %, +50 %) never draws
    assert p["Y"] == 0.0
    assert p["Z"] == (factor >= 0.5).mean() == 1.0 and p["W"] == 0.0
    every = scheme_robustness(s, data, on=ON, n=50, weight_noise=None, threshold_noise=50)
    assert set(every.draws.columns) == {f"indicators.{i}.levels.{lv}" for i, lv in
                                        [("energy", "leader"), ("energy", "advanced"), ("energy", "baseline"),
                                         ("ratio", "leader"), ("ratio", "advanced")]}


def test_goalposts_follow_a_moved_leader_threshold(spread):
    s = scheme({"ranking.normalise": "goalpost", "indicators.ratio.goalposts": [0.7, 0.95]})
    res = scheme_robustness(s, spread, on=ON, n=200, seed=2, perturb={"indicators.energy.levels.leader": 30})
    assert res.settings["varied"] == ["indicators.energy.levels.leader"]
    prep = prepare(s, spread, on=ON)
    data = pd.DataFrame({"energy": prep.upper[:, 0], "ratio": prep.lower[:, 1]}, index=prep.info.index)
    ranks = np.array([composite(data, {"energy": -1, "ratio": 1}, {"energy": 0.6, "ratio": 0.4}, "goalpost",
                                goalposts={"energy": (5.0, f), "ratio": (0.7, 0.95)})["rank"].to_numpy()
                      for f in res.draws["indicators.energy.levels.leader"]])
    assert res.table["mean_rank"].tolist() == pytest.approx(ranks.mean(axis=0).tolist())
    assert res.table["mean_rank"].std() > 0 and (res.table["rank_p05"] != res.table["rank_p95"]).any()
    # the ratio's goalposts are declared: its leader level moves nothing in this list
    declared = scheme_robustness(s, spread, on=ON, n=20, perturb={"indicators.ratio.levels.leader": 30})
    assert declared.settings["no_effect"] == ["indicators.ratio.levels.leader"]


# ---- every draw is rebuilt as `rank` builds the list -----------------------------------------------------


@pytest.mark.parametrize("changes", [
    {}, {"leader_rule.top_n": 3, "leader_rule.tie_rule": "exclude_all"}, REACH_LEADER,
    {"ranking.method": "topsis"}, {"ranking.method": "levels", "leader_rule.top_n": 1},
    {"ranking.method": "lexicographic"}, {"ranking.weights": "entropy", "ranking.aggregate": "hmean",
                                          "ranking.normalise": "rank"},
])
def test_without_perturbation_every_draw_is_the_list_of_rank(spread, changes):
    s = scheme(changes)
    res = scheme_robustness(s, spread, on=ON, n=7, perturb={})
    listed = rank(s, spread, on=ON).table.set_index("standard_id")
    assert res.table["nominal_rank"].tolist() == listed.loc[res.table.index, "rank"].tolist()
    for col in ("median_rank", "rank_p05", "rank_p95"):
        assert res.table[col].tolist() == res.table["nominal_rank"].tolist()
    assert res.table["p_leader"].tolist() == listed.loc[res.table.index, "leader"].astype(float).tolist()
    assert res.sensitivity.empty and res.draws.shape == (7, 0)


@pytest.mark.parametrize("method", ["topsis", "levels"])
def test_weight_draws_are_scored_by_the_method_layer(spread, method):
    s = scheme({"ranking.method": method})
    res = scheme_robustness(s, spread, on=ON, n=60, seed=6, perturb={"indicators.*.weight": "dirichlet"})
    prep = prepare(s, spread, on=ON)
    data = pd.DataFrame({"energy": prep.upper[:, 0], "ratio": prep.lower[:, 1]}, index=prep.info.index)
    w = res.draws[["indicators.energy.weight", "indicators.ratio.weight"]].to_numpy()
    if method == "topsis":
        ranks = [topsis(data, {"energy": -1, "ratio": 1}, wd)["rank"].to_numpy() for wd in w]
    else:
        levels = rank(s, spread, on=ON).table.set_index("standard_id").loc[data.index]
        codes = levels[["level_energy", "level_ratio"]].replace(
            {"leader": 3, "advanced": 2, "baseline": 1, "none": 0}).astype(float)
        codes.columns = ["energy", "ratio"]
        spec = {i: {"direction": "higher", "thresholds": {"leader": 3, "advanced": 2, "baseline": 1}}
                for i in ("energy", "ratio")}
        ranks = [level_points(codes, spec, {"leader": 3, "advanced": 2, "baseline": 1}, wd)["rank"].to_numpy()
                 for wd in w]
    assert res.table["mean_rank"].tolist() == pytest.approx(np.mean(ranks, axis=0).tolist())
    assert res.table["rank_p95"].tolist() == np.quantile(ranks, 0.95, axis=0, method="inverted_cdf").tolist()


@pytest.mark.parametrize("threshold_noise", [None, 0.0, 10])
def test_one_engine_with_the_method_layer(spread, threshold_noise):
    s = scheme()
    res = scheme_robustness(s, spread, on=ON, n=400, seed=12, threshold_noise=threshold_noise,
                            normalisations=["zscore", "rank"])
    prep = prepare(s, spread, on=ON)
    data = pd.DataFrame({"energy": prep.upper[:, 0], "ratio": prep.lower[:, 1]}, index=prep.info.index)
    method = robustness(data, {"energy": -1, "ratio": 1}, {"energy": 0.6, "ratio": 0.4}, n=400, seed=12,
                        normalisations=["minmax", "zscore", "rank"], leader_rule=("top_n", 2))
    pd.testing.assert_frame_equal(res.table, method.table, check_names=False)
    assert res.sensitivity[["indicators.*.weight", "ranking.normalise"]].tolist() == pytest.approx(
        method.sensitivity[["weights", "normalisation"]].tolist())
    assert res.draws["ranking.normalise"].tolist() == method.draws["normalisation"].tolist()


def test_first_order_shares_for_weights_and_thresholds(spread):
    s = scheme({"ranking.method": "levels"})
    res = scheme_robustness(s, spread, on=ON, n=600, seed=1,
                            perturb={"indicators.*.weight": "dirichlet", "indicators.*.levels.*": 15})
    assert res.settings["frozen"] == ["indicators.*.weight", "indicators.*.levels.*"]
    # with these standards the levels decide far more than the weights between them
    assert 0 < res.sensitivity["indicators.*.weight"] < res.sensitivity["indicators.*.levels.*"] <= 1
    only_weights = scheme_robustness(scheme(), spread, on=ON, n=100, seed=1,
                                     perturb={"indicators.*.weight": 30})
    assert only_weights.sensitivity.tolist() == [1.0] and only_weights.settings["frozen"] == []


# ---- memory linear in rows and draws ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_thousand():
    rng = np.random.default_rng(0)
    energy = np.round(rng.uniform(0.5, 3.9, 3000), 3)
    ratio = np.round(rng.uniform(0.6, 0.99, 3000), 3)
    rows = [(f"S{i:04d}", f"≤ {e}", f"≥ {r}") for i, (e, r) in enumerate(zip(energy, ratio, strict=True))]
    return prepare(scheme(), standards(rows), on=ON)


def _peak(run) -> tuple[object, int]:
    tracemalloc.start()
    try:
        out = run()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("keywords", [{"normalisations": ["zscore"]}, {"threshold_noise": 5}])
def test_no_rows_by_rows_array_is_built(three_thousand, keywords):
    m = int(three_thousand.eligibility["eligible"].sum())
    assert m == 3000
    res, peak = _peak(lambda: scheme_robustness(scheme(), three_thousand, n=40, **keywords))
    # a 3,000 × 3,000 histogram of int64 alone is 72 MB; 40 draws of 3,000 ranks and their keys are < 3 MB
    assert peak < 24 * 2**20
    arrays = [v for v in vars(res).values() if isinstance(v, np.ndarray)]
    assert all(a.shape != (m, m) for a in arrays) and res.table.shape == (m, 6)
    data = pd.DataFrame({"energy": three_thousand.upper[:, 0], "ratio": three_thousand.lower[:, 1]})
    kwargs = {"directions": {"energy": -1, "ratio": 1}, "normalisations": ["minmax", "rank"]}
    robustness(data, n=2, **kwargs)  # the first call imports scipy.stats, which is not the run's memory
    method, peak = _peak(lambda: robustness(data, n=40, **kwargs))
    assert peak < 24 * 2**20 and not any(isinstance(v, np.ndarray) for v in vars(method).values())
