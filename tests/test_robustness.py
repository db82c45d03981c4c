"""Monte Carlo robustness and ranking comparison: hand-computed probabilities, a brute-force reference for
the vectorised path, reproducibility, sensitivity shares and the WS coefficient."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leaderkit.methods.scoring import ScoringError, composite
from leaderkit.methods.uncertainty import (
    RankTally,
    RobustnessResult,
    compare_rankings,
    robustness,
    ws_coefficient,
)

DATA = pd.DataFrame(
    {
        "efficiency": [80.0, 90.0, 70.0, 100.0, 85.0, 75.0],
        "noise": [50.0, 40.0, 60.0, 45.0, 55.0, 42.0],
        "life": [10.0, 8.0, 12.0, 6.0, 9.0, 11.0],
    },
    index=pd.Index(["A", "B", "C", "D", "E", "F"], name="standard"),
)
DIRS = {"efficiency": "higher", "noise": "lower", "life": "higher"}
TWO = pd.DataFrame({"u": [1.0, 0.0], "v": [0.0, 1.0]}, index=["X", "Y"])


def test_fixed_weights_and_method_reproduce_the_nominal_rank():
    res = robustness(DATA, DIRS, n=50, weight_noise=None, leader_rule=("top_n", 2))
    nominal = composite(DATA, DIRS)["rank"]
    assert isinstance(res, RobustnessResult)
    assert res.table["nominal_rank"].tolist() == nominal.tolist()
    for col in ("median_rank", "rank_p05", "rank_p95"):
        assert res.table[col].tolist() == nominal.tolist()
    assert res.table["p_leader"].tolist() == [1.0 if r <= 2 else 0.0 for r in nominal]
    assert res.sensitivity.tolist() == [0.0, 0.0, 0.0]
    assert res.settings["varied"] == [] and len(res.draws) == 50


def test_dirichlet_leader_probability_is_one_half():
    # X scores 100·w_u, Y scores 100·w_v; with equal nominal weights w ~ Dirichlet(1, 1), so w_u ~ U(0, 1)
    # and P(X first) = P(w_u ≥ w_v) = 1/2. 20,000 draws: standard error √(0.25/20000) = 0.0035.
    res = robustness(TWO, {"u": 1, "v": 1}, n=20_000, leader_rule=("top_n", 1), seed=3)
    assert res.table["p_leader"].tolist() == pytest.approx([0.5, 0.5], abs=0.015)
    assert res.table["rank_p05"].tolist() == [1, 1] and res.table["rank_p95"].tolist() == [2, 2]


def test_percent_noise_leader_probability_by_hand():
    # w₀ = (0.6, 0.4); ±50 %: w_u ∝ 0.6a, w_v ∝ 0.4b with a, b ~ U(0.5, 1.5) independent.
    # Y wins when 0.4b > 0.6a ⇔ b > 1.5a: ∫_{0.5}^{1} (1.5 − 1.5a) da = 0.75 − 0.5625 = 0.1875.
    res = robustness(TWO, {"u": 1, "v": 1}, {"u": 0.6, "v": 0.4}, n=20_000, weight_noise=50,
                     leader_rule=("top_n", 1), seed=1)
    assert res.table.loc["Y", "p_leader"] == pytest.approx(0.1875, abs=0.015)
    assert res.table.loc["X", "p_leader"] == pytest.approx(0.8125, abs=0.015)
    # ±10 %: w_u ≥ 0.54 > 0.44 ≥ w_v, so X always leads
    res = robustness(TWO, {"u": 1, "v": 1}, {"u": 0.6, "v": 0.4}, n=2_000, weight_noise=10,
                     leader_rule=("top_n", 1))
    assert res.table["p_leader"].tolist() == [1.0, 0.0]


SPECS = {"minmax(1, 100)": {"normalise": "minmax", "scale": (1, 100)}, "rank": {"normalise": "rank"}}


def test_vectorised_run_matches_a_brute_force_loop():
    res = robustness(
        DATA, DIRS, n=61, normalisations=[{"method": "minmax", "scale": (1, 100)}, "rank"],
        aggregations=["amean", "gmean"], leader_rule=("top_percent", 50), seed=7,
    )
    assert res.n == 61 and len(res.draws) == 61  # the weights' twin runs are not draws of the table
    ranks = np.array([
        composite(DATA, DIRS, draw[list(DIRS)].to_dict(), aggregate=draw["aggregation"],
                  **SPECS[draw["normalisation"]])["rank"].to_numpy()
        for _, draw in res.draws.iterrows()
    ])
    for q, col in ((0.05, "rank_p05"), (0.5, "median_rank"), (0.95, "rank_p95")):
        expected = np.quantile(ranks, q, axis=0, method="inverted_cdf")
        assert res.table[col].tolist() == expected.tolist()
    assert res.table["mean_rank"].tolist() == pytest.approx(ranks.mean(axis=0).tolist())
    # top 50 % of 6 standards: cut at rank 3
    assert res.table["p_leader"].tolist() == pytest.approx((ranks <= 3).mean(axis=0).tolist())
    assert set(res.draws["normalisation"]) == set(SPECS) and set(res.draws["aggregation"]) == {"amean", "gmean"}
    assert np.allclose(res.draws[list(DIRS)].sum(axis=1), 1)


def test_same_seed_same_result_other_seed_differs():
    kwargs = dict(n=300, normalisations=["minmax", "rank"], leader_rule=("top_n", 2))
    a = robustness(DATA, DIRS, seed=11, **kwargs)
    b = robustness(DATA, DIRS, seed=11, **kwargs)
    c = robustness(DATA, DIRS, seed=12, **kwargs)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_series_equal(a.sensitivity, b.sensitivity)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    assert not a.table["mean_rank"].equals(c.table["mean_rank"])


UNEQUAL = {"efficiency": 3, "noise": 1, "life": 1}


def test_permuting_rows_permutes_the_result():
    kwargs = dict(n=200, normalisations=["minmax", "rank", "zscore"], leader_rule=("top_n", 2))
    res = robustness(DATA, DIRS, UNEQUAL, **kwargs)
    shuffled = robustness(DATA.iloc[[3, 5, 0, 2, 1, 4]], DIRS, UNEQUAL, **kwargs)
    pd.testing.assert_frame_equal(res.table, shuffled.table.loc[DATA.index])
    pd.testing.assert_series_equal(res.sensitivity, shuffled.sensitivity)


def test_sensitivity_only_normalisation_varies():
    # with these weights minmax ranks the standards 5, 2, 6, 1, 3, 4 and rank normalisation 4, 1, 6, 1, 3, 4
    res = robustness(DATA, DIRS, UNEQUAL, n=400, weight_noise=None, normalisations=["minmax", "rank"])
    # ranks are fixed given the normalisation, so it explains all the rank variance
    assert res.sensitivity["normalisation"] == pytest.approx(1.0)
    assert res.sensitivity[["weights", "aggregation"]].tolist() == [0.0, 0.0]
    moving = res.sensitivity_by_row["normalisation"].dropna()
    assert len(moving) > 0 and moving.tolist() == pytest.approx([1.0] * len(moving))


def test_sensitivity_only_weights_matter():
    # minmax on (0, 100) or (1, 100) gives the same amean ranking, so the pair sharing a weight vector has
    # identical ranks: the pick-freeze estimate of the weights' share is exactly 1
    res = robustness(DATA, DIRS, n=400, normalisations=["minmax", {"method": "minmax", "scale": (1, 100)}])
    assert res.settings["frozen"] == ["weights"]
    assert res.sensitivity["weights"] == pytest.approx(1.0)
    assert res.sensitivity["normalisation"] < 0.02
    only_weights = robustness(DATA, DIRS, n=100)
    assert only_weights.sensitivity.tolist() == [1.0, 0.0, 0.0]


def test_an_inputs_draws_do_not_depend_on_what_else_varies():
    alone = robustness(DATA, DIRS, n=120, seed=4, leader_rule=("top_n", 2))
    with_methods = robustness(DATA, DIRS, n=120, seed=4, normalisations=["minmax", "rank"],
                              aggregations=["amean"], leader_rule=("top_n", 2))
    pd.testing.assert_frame_equal(alone.draws[list(DIRS)], with_methods.draws[list(DIRS)])
    assert with_methods.settings["varied"] == ["weights", "normalisation"]
    # a choice with a single option varies nothing: the same draws and the same table
    same = robustness(DATA, DIRS, n=120, seed=4, normalisations=["minmax"], leader_rule=("top_n", 2))
    pd.testing.assert_frame_equal(alone.table, same.table)


@pytest.mark.parametrize("n", [1, 7, 20, 101])
def test_rank_percentiles_are_numpys_inverted_cdf(n):
    rng = np.random.default_rng(n)
    ranks = rng.integers(1, 40, size=(n, 39)).astype(np.int32)
    tally = RankTally(39, n)
    for start in range(0, n, 6):
        tally.add(start, ranks[start:start + 6])
    table, _, _ = tally.summary(pd.RangeIndex(39), [], [])
    for col, q in (("median_rank", 0.5), ("rank_p05", 0.05), ("rank_p95", 0.95)):
        assert table[col].tolist() == np.quantile(ranks, q, axis=0, method="inverted_cdf").tolist()
    assert table["mean_rank"].tolist() == pytest.approx(ranks.mean(axis=0).tolist())


def test_progress_bar_runs(capsys):
    res = robustness(DATA, DIRS, n=20, progress=True)
    assert res.n == 20
    assert "robustness" in capsys.readouterr().err


def test_robustness_errors():
    with pytest.raises(ScoringError, match="'C'"):
        robustness(DATA, DIRS, n=10, aggregations=["amean", "gmean"])  # minmax puts C at 0 on efficiency
    with pytest.raises(ScoringError, match="top_n"):
        robustness(DATA, DIRS, n=10, leader_rule=("top", 3))
    with pytest.raises(ScoringError, match="dirichlet"):
        robustness(DATA, DIRS, n=10, weight_noise="gaussian")
    with pytest.raises(ScoringError, match="median"):
        robustness(DATA, DIRS, n=10, aggregations=["median"])
    with pytest.raises(ScoringError, match="n must"):
        robustness(DATA, DIRS, n=0)
    with pytest.raises(ScoringError, match="seed must be a non-negative integer, got -1"):
        robustness(DATA, DIRS, n=10, seed=-1)


def test_ws_coefficient_examples():
    # identical rankings → 1
    assert ws_coefficient([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == 1.0
    # (1, 2, 3) vs (2, 1, 3): 1 − (2⁻¹·1/2 + 2⁻²·1/1) = 0.5
    assert ws_coefficient([1, 2, 3], [2, 1, 3]) == pytest.approx(0.5)
    # (1, 2, 3) vs (3, 2, 1): 1 − (2⁻¹·2/2 + 2⁻³·2/2) = 0.375
    assert ws_coefficient([1, 2, 3], [3, 2, 1]) == pytest.approx(0.375)
    # a swap at the top costs more than the same swap at the bottom (N = 5):
    # top: 1 − (2⁻¹·1/4 + 2⁻²·1/3) = 0.791 67; bottom: 1 − (2⁻⁴·1/3 + 2⁻⁵·1/4) = 0.971 35
    assert ws_coefficient([1, 2, 3, 4, 5], [2, 1, 3, 4, 5]) == pytest.approx(1 - 1 / 8 - 1 / 12)
    assert ws_coefficient([1, 2, 3, 4, 5], [1, 2, 3, 5, 4]) == pytest.approx(1 - 1 / 48 - 1 / 128)


def test_compare_rankings_identical():
    ranks = pd.Series([1, 2, 3, 4], index=list("abcd"))
    out = compare_rankings(ranks, ranks, leaders_a=["a"], leaders_b=["a"])
    assert (out["kendall_tau"], out["spearman_rho"], out["ws"]) == (1.0, 1.0, 1.0)
    assert out["movers"].empty
    assert out["leaders"]["jaccard"] == 1.0


def test_compare_rankings_by_hand():
    a = pd.Series([1, 2, 3, 4], index=list("abcd"))
    b = pd.Series([2, 1, 3, 4], index=list("abcd"))
    out = compare_rankings(a, b, leaders_a={"a", "c"}, leaders_b=pd.Series([False, True, True, False], index=list("abcd")))
    # one discordant pair (a, b) of 6: τ = (5 − 1)/6; ρ = 1 − 6·(1 + 1)/(4·15) = 0.8
    assert out["kendall_tau"] == pytest.approx(4 / 6)
    assert out["spearman_rho"] == pytest.approx(0.8)
    # WS, N = 4: 1 − (2⁻¹·1/3 + 2⁻²·1/2) = 1 − 1/6 − 1/8
    assert out["ws"] == pytest.approx(1 - 1 / 6 - 1 / 8)
    assert out["leaders"] == {"a": 2, "b": 2, "both": 1, "only_a": ["a"], "only_b": ["b"], "jaccard": 1 / 3}
    movers = out["movers"]
    assert movers.index.tolist() == ["a", "b"]
    assert movers["change"].tolist() == [-1, 1]  # a fell from 1 to 2, b rose from 2 to 1


def test_compare_rankings_with_standards_on_one_list_only():
    a = pd.Series([1, 2, 3, np.nan], index=list("abcd"))
    b = pd.Series([1, 3, 2], index=list("abe"))
    out = compare_rankings(a, b)
    assert out["n_common"] == 2 and out["only_a"] == ["c"] and out["only_b"] == ["e"]
    assert out["kendall_tau"] == 1.0
    movers = out["movers"]
    assert set(movers.index) == {"b", "c", "d", "e"}
    assert movers.index[0] in {"c", "d", "e"}  # leaving / entering sort before a move of 1
    assert movers.loc["b", "change"] == -1
