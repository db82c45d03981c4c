"""Statistics of adoption: every figure checked against scipy or statsmodels called directly, or against
a hand computation; the Benchmark path (DuckDB) agreeing with the frame path (pandas)."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, false_discovery_control, fisher_exact

from leaderkit.standards.benchmarking import benchmark
from leaderkit.standards.statistics import (
    StatisticsError,
    adjust_pvalues,
    adoption_model,
    enterprise_size,
    group_differences,
    margin_distribution,
    trend_test,
)


def standards(groups: dict) -> pd.DataFrame:
    """One row per standard from {(region, year): (n, stricter)}."""
    rows = []
    for (region, year), (n, k) in groups.items():
        rows += [{"region": region, "year": year, "stricter": i < k} for i in range(n)]
    frame = pd.DataFrame(rows)
    frame["standard_id"] = [f"Q/{i}" for i in range(len(frame))]
    return frame


def test_holm_by_hand_and_bh_as_scipy():
    p = [0.01, 0.04, 0.03, 0.005]
    # sorted 0.005, 0.01, 0.03, 0.04 × 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 → running max 0.02, 0.03, 0.06, 0.06
    assert adjust_pvalues(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert adjust_pvalues(p, "bh") == pytest.approx(false_discovery_control(p))
    assert np.isnan(adjust_pvalues([np.nan, 0.01])[0]) and adjust_pvalues([np.nan, 0.01])[1] == 0.01


def test_group_differences_chi_square_fisher_and_correction():
    data = standards({("A", 2020): (100, 30), ("B", 2020): (100, 10), ("C", 2020): (8, 1)})
    out = group_differences(data, "region").set_index(["group_a", "group_b"])
    table = np.array([[30, 70], [10, 90], [1, 7]])
    stat, p, dof, _ = chi2_contingency(table, correction=False)
    overall = out.loc[("*", "*")]
    assert overall["statistic"] == pytest.approx(stat) and overall["p_value"] == pytest.approx(p)
    assert overall["dof"] == dof == 2
    ab = out.loc[("A", "B")]
    stat, p, _, _ = chi2_contingency(table[[0, 1]], correction=False)
    assert ab["test"] == "chi2" and ab["statistic"] == pytest.approx(stat) and ab["p_value"] == pytest.approx(p)
    assert ab["difference"] == pytest.approx(0.20)
    ac = out.loc[("A", "C")]  # C has 8 standards: an expected count under 5 → Fisher
    odds, p = fisher_exact(table[[0, 2]])
    assert ac["test"] == "fisher" and ac["statistic"] == pytest.approx(odds) and ac["p_value"] == pytest.approx(p)
    pairs = out.drop(index=("*", "*"))
    assert pairs["p_adjusted"].to_numpy() == pytest.approx(adjust_pvalues(pairs["p_value"], "holm"))
    assert bool(ab["significant"]) is True
    with pytest.raises(StatisticsError):
        group_differences(data[data["region"].eq("A")], "region")


def test_trend_cochran_armitage_by_hand():
    data = standards({("A", 2019): (50, 5), ("A", 2020): (50, 10), ("A", 2021): (50, 20),
                      ("B", 2019): (40, 10), ("B", 2020): (40, 10), ("B", 2021): (40, 10)})
    out = trend_test(data, by="region").set_index("region")
    s, n, k = np.array([2019, 2020, 2021.0]), np.array([50, 50, 50.0]), np.array([5, 10, 20.0])
    pbar = k.sum() / n.sum()
    t = (s * (k - n * pbar)).sum()
    var = pbar * (1 - pbar) * ((n * s**2).sum() - (n * s).sum() ** 2 / n.sum())
    assert out.loc["A", "z"] == pytest.approx(t / np.sqrt(var))
    assert out.loc["A", "z"] == pytest.approx(15 / np.sqrt(17.888888888888886))  # T = 15, Var = 161 / 9
    # the linear-by-linear statistic of statsmodels is the Cochran–Armitage z times sqrt((N - 1) / N)
    from statsmodels.stats.contingency_tables import Table
    lbl = Table(np.stack([k, n - k], axis=1)).test_ordinal_association(row_scores=s, col_scores=np.array([1.0, 0]))
    assert out.loc["A", "z"] == pytest.approx(lbl.zscore * np.sqrt(150 / 149))
    assert out.loc["A", "slope"] == pytest.approx(0.15)  # the rate goes 0.10, 0.20, 0.40: least squares 0.15
    assert out.loc["B", "z"] == pytest.approx(0.0) and out.loc["B", "p_value"] == pytest.approx(1.0)
    assert out["p_adjusted"].to_numpy() == pytest.approx(adjust_pvalues(out["p_value"]))


def test_trend_overall_is_one_row():
    data = standards({("A", 2019): (50, 5), ("A", 2020): (50, 10), ("A", 2021): (50, 20)})
    out = trend_test(data)
    assert len(out) == 1 and out.loc[0, "n"] == 150 and out.loc[0, "stricter"] == 35


def test_logistic_model_matches_statsmodels_on_one_row_per_standard():
    import statsmodels.api as sm

    rng = np.random.default_rng(7)
    n = 600
    frame = pd.DataFrame({"domain": rng.choice(["洗衣机", "空调", "果品"], n, p=[0.5, 0.3, 0.2]),
                          "region": rng.choice(["浙江省", "广东省"], n, p=[0.6, 0.4]),
                          "year": rng.integers(2019, 2024, n), "size": rng.choice(["大", "小"], n, p=[0.3, 0.7])})
    logit = -1.2 + 0.8 * frame["domain"].eq("空调") + 0.3 * (frame["year"] - 2019)
    frame["stricter"] = rng.random(n) < 1 / (1 + np.exp(-logit))
    out = adoption_model(frame).set_index(["term", "level"])
    x = pd.DataFrame({"intercept": 1.0, "year": frame["year"] - frame["year"].min()})
    expected_refs = {}
    for term in ("domain", "region", "size"):
        reference = frame[term].value_counts().idxmax()
        expected_refs[term] = reference
        for level in sorted(set(frame[term]) - {reference}):
            x[(term, level)] = frame[term].eq(level) * 1.0
    fit = sm.Logit(frame["stricter"].astype(float), x).fit(disp=0)
    for column, coef in fit.params.items():
        key = column if isinstance(column, tuple) else (column, None)
        assert out.loc[key, "coef"] == pytest.approx(coef, rel=1e-5, abs=1e-8)
        assert out.loc[key, "std_err"] == pytest.approx(fit.bse[column], rel=1e-4)
    assert out.loc[("year", None), "odds_ratio"] == pytest.approx(np.exp(fit.params["year"]), rel=1e-5)
    assert expected_refs == {"domain": "洗衣机", "region": "浙江省", "size": "小"}
    assert dict(zip(out.index.get_level_values("term"), out["reference"], strict=True))["domain"] == "洗衣机"


@pytest.mark.filterwarnings("ignore:Perfect separation", "ignore:divide by zero")  # saturated: a parameter per cell
def test_size_falls_back_to_standards_per_enterprise():
    frame = pd.DataFrame({"enterprise": ["E1"] * 7 + ["E2"] * 2 + ["E3", "E4", "E5"],
                          "stricter": [True] * 3 + [False] * 4 + [True, False] + [True, False, False]})
    assert enterprise_size(frame).tolist() == ["6-20"] * 7 + ["2-5"] * 2 + ["1"] * 3
    out = adoption_model(frame, terms=("size",)).set_index(["term", "level"])
    # reference 6-20 (7 standards, 3 stricter): intercept log(3/4); "1" (1 of 3): log(1/2) - log(3/4)
    assert out.loc[("intercept", None), "coef"] == pytest.approx(np.log(3 / 4), abs=1e-6)
    assert out.loc[("size", "1"), "coef"] == pytest.approx(np.log(1 / 2) - np.log(3 / 4), abs=1e-6)
    assert out.loc[("size", "2-5"), "odds_ratio"] == pytest.approx(1 / (3 / 4), rel=1e-6)
    assert set(out["reference"].dropna()) == {"6-20"}


MARGINS = pd.DataFrame({
    "domain": ["洗衣机"] * 5 + ["空调"] * 3,
    "indicator": ["噪声"] * 5 + ["SEER"] * 3,
    "level": ["national"] * 8,
    "margin": [0.10, 0.20, -0.05, 0.0, np.nan, 0.02, 0.04, 0.06],
})


def test_margin_distribution_by_hand():
    out = margin_distribution(MARGINS).set_index("domain")
    noise = np.array([0.10, 0.20, -0.05, 0.0])
    assert out.loc["洗衣机", "n"] == 4 and out.loc["洗衣机", "stricter"] == 2
    assert out.loc["洗衣机", "share_stricter"] == 0.5
    assert out.loc["洗衣机", "median"] == pytest.approx(np.quantile(noise, 0.5))
    assert out.loc["洗衣机", "q90"] == pytest.approx(np.quantile(noise, 0.9))
    assert out.loc["空调", "mean"] == pytest.approx(0.04) and out.loc["空调", "max"] == pytest.approx(0.06)


BASELINES = pd.DataFrame({"标准编号": ["GB 1-2020", "GB 4-2017"], "领域": ["洗涤机械", "果品"],
                          "指标名称": ["噪声", "铅"], "指标要求": ["≤62 dB(A)", "≤0.5 mg/kg"]})
DECLARED = pd.DataFrame({
    "标准编号": ["Q/A 1", "Q/B 2", "Q/C 3", "Q/D 4", "Q/E 5", "Q/F 6"],
    "领域": ["洗涤机械", "洗涤机械", "洗涤机械", "果品", "果品", "果品"],
    "地区": ["浙江省", "浙江省", "广东省", "广东省", "广东省", "浙江省"],
    "年份": [2021, 2022, 2022, 2022, 2023, 2023],
    "指标名称": ["噪声", "噪声", "噪声", "铅", "铅", "铅"],
    "指标要求": ["≤55 dB(A)", "≤61 dB(A)", "≤65 dB(A)", "≤0.8 mg/kg", "≤0.3 mg/kg", "≤0.4 mg/kg"],
})


def test_a_benchmark_and_its_frames_give_the_same_statistics():
    bm = benchmark(DECLARED, BASELINES)
    frame = bm.standards
    pd.testing.assert_frame_equal(
        trend_test(bm, by="domain").reset_index(drop=True), trend_test(frame, by="domain"), check_dtype=False)
    sql = margin_distribution(bm, by=["domain"]).sort_values("domain", ignore_index=True)
    pandas = margin_distribution(bm.indicators, by=["domain"]).sort_values("domain", ignore_index=True)
    pd.testing.assert_frame_equal(sql, pandas, check_dtype=False)
    assert sql.set_index("domain").loc["洗涤机械", "median"] == pytest.approx((62 - 61) / 62)
    a, b = group_differences(bm, "region"), group_differences(frame, "region")
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_margins_by_an_attribute_of_the_standard():
    bm = benchmark(DECLARED, BASELINES)
    by_region = margin_distribution(bm, by=["region"]).set_index("region")
    rows = bm.indicators.merge(bm.standards[["standard_id", "region"]], on="standard_id")
    zhejiang = rows.loc[rows["region"].eq("浙江省"), "margin"].dropna().to_numpy()
    assert by_region.loc["浙江省", "n"] == len(zhejiang) == 3
    assert by_region.loc["浙江省", "median"] == pytest.approx(np.median(zhejiang))


# ---- counts instead of rows: what makes 3.2 M standards fast -------------------------------------------


def test_grouped_logistic_equals_the_row_level_one():
    """The model on counts per cell (a frame with n and stricter, as a GROUP BY gives it) has the estimates
    and standard errors of statsmodels' Logit on one row per standard, and of its GLM on the same counts."""
    import statsmodels.api as sm

    rng = np.random.default_rng(11)
    n = 900
    rows = pd.DataFrame({"domain": rng.choice(["洗衣机", "空调", "果品", "电池"], n),
                         "region": rng.choice(["浙江省", "广东省", "山东省"], n, p=[0.5, 0.3, 0.2]),
                         "year": rng.integers(2018, 2024, n)})
    logit = -1.0 + 0.6 * rows["domain"].eq("空调") - 0.4 * rows["region"].eq("山东省") + 0.2 * (rows["year"] - 2018)
    rows["stricter"] = rng.random(n) < 1 / (1 + np.exp(-logit))
    counts = (rows.groupby(["domain", "region", "year"]).agg(n=("stricter", "size"), stricter=("stricter", "sum"))
              .reset_index())
    assert len(counts) < n / 5  # the cells, not the rows
    grouped = adoption_model(counts, terms=("domain", "region", "year")).set_index(["term", "level"])

    x = pd.DataFrame({"intercept": 1.0, "year": rows["year"] - 2018.0})
    cells = pd.DataFrame({"intercept": 1.0, "year": counts["year"] - 2018.0})
    for term in ("domain", "region"):
        reference = rows[term].value_counts().idxmax()
        assert set(grouped.loc[term, "reference"]) == {reference}
        for level in sorted(set(rows[term]) - {reference}):
            x[(term, level)] = rows[term].eq(level) * 1.0
            cells[(term, level)] = counts[term].eq(level) * 1.0
    on_rows = sm.Logit(rows["stricter"].astype(float), x).fit(disp=0)
    on_counts = sm.GLM(counts["stricter"] / counts["n"], cells, family=sm.families.Binomial(),
                       freq_weights=counts["n"]).fit()
    for column in x.columns:
        key = column if isinstance(column, tuple) else (column, None)
        for fit in (on_rows, on_counts):
            assert grouped.loc[key, "coef"] == pytest.approx(fit.params[column], rel=1e-6, abs=1e-9)
            assert grouped.loc[key, "std_err"] == pytest.approx(fit.bse[column], rel=1e-5)
            assert grouped.loc[key, "p_value"] == pytest.approx(fit.pvalues[column], rel=1e-4, abs=1e-12)
    assert set(grouped["n"]) == {n}
    # the row frame gives the same table as its counts
    pd.testing.assert_frame_equal(adoption_model(rows, terms=("domain", "region", "year")).set_index(["term", "level"]),
                                  grouped)


def test_counts_from_a_group_by_give_the_statistics_of_the_rows():
    data = standards({("A", 2019): (50, 5), ("A", 2020): (50, 10), ("A", 2021): (50, 20),
                      ("B", 2019): (40, 10), ("B", 2020): (40, 12), ("B", 2021): (4, 1)})
    counts = (data.groupby(["region", "year"]).agg(n=("stricter", "size"), stricter=("stricter", "sum"))
              .reset_index())
    pd.testing.assert_frame_equal(group_differences(counts, "region"), group_differences(data, "region"),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(trend_test(counts, by="region"), trend_test(data, by="region"), check_dtype=False)
    overall = trend_test(counts)  # counts by region × year summed over the regions
    assert overall.loc[0, "n"] == 234 and overall.loc[0, "stricter"] == 58


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """A small national synthetic data set (its counts depend on the generator's calibration: the tests
    compare two ways to the same figure, never the figure)."""
    from leaderkit.standards.loading import load_baselines
    from leaderkit.synth.generators import make_national, national_baselines_path

    path = make_national(tmp_path_factory.mktemp("national") / "national.parquet", n_standards=3000, seed=5)
    return benchmark(path, load_baselines(national_baselines_path(path)))


def test_a_benchmark_counts_enterprise_size_in_duckdb_as_pandas_does(national):
    frame = national.standards
    sql = adoption_model(national, terms=("category", "year", "size"))
    rows = adoption_model(frame, terms=("category", "year", "size"))
    pd.testing.assert_frame_equal(sql, rows)
    sizes = frame.assign(size=enterprise_size(frame)).groupby("size")["standard_id"].size()
    assert sql.loc[sql["term"].eq("size"), "reference"].iloc[0] == sizes.idxmax()
    counts = national.adoption(by=["category", "year"])  # a Benchmark's own counts are counts too
    pd.testing.assert_frame_equal(group_differences(counts, "category"), group_differences(national, "category"),
                                  check_dtype=False)


def test_collinear_terms_are_refused_with_the_term_named(national):
    with pytest.raises(StatisticsError) as err:
        adoption_model(national, terms=("domain", "category", "year"))  # a domain belongs to one category
    assert err.value.where == "terms: category" and "共线" in str(err.value.text.zh)


def test_margins_from_counts_equal_quantiles_of_the_rows(national):
    rows = national.indicators.merge(national.standards[["standard_id", "category"]], on="standard_id")
    out = margin_distribution(national, by=["category", "level"]).set_index(["category", "level"])
    for (category, level), part in rows.dropna(subset=["margin"]).groupby(["category", "level"]):
        m = part["margin"].to_numpy(float)
        got = out.loc[(category, level)]
        assert got["n"] == len(m) and got["stricter"] == (m > 0).sum()
        assert got["mean"] == pytest.approx(m.mean())
        for q, name in zip((0.1, 0.25, 0.5, 0.75, 0.9), ("q10", "q25", "median", "q75", "q90"), strict=True):
            assert got[name] == pytest.approx(np.quantile(m, q), abs=1e-12)
        assert (got["min"], got["max"]) == (m.min(), m.max())
    duck = national.con.sql("""SELECT i.level, quantile_cont(margin, 0.25) AS q25 FROM bm_indicators i
                               WHERE margin IS NOT NULL AND isfinite(margin) GROUP BY ALL""").df()
    by_level = margin_distribution(national, by="level").set_index("level")
    for r in duck.itertuples():
        assert by_level.loc[r.level, "q25"] == pytest.approx(r.q25, abs=1e-12)
    # a histogram (margin, n) gives the same table as its rows
    repeated = pd.concat([MARGINS, MARGINS.iloc[[0, 0, 1, 5]]], ignore_index=True)
    hist = repeated.dropna().groupby(["domain", "margin"]).size().rename("n").reset_index()
    assert hist["n"].max() == 3
    pd.testing.assert_frame_equal(margin_distribution(hist, by="domain"), margin_distribution(repeated, by="domain"))
