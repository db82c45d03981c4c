"""benchmark(): verdicts per indicator and per standard, adoption with Wilson intervals, violations,
the Parquet (out-of-core) path giving the same answer as the DataFrame path, and the SQL verdict rule
agreeing with requirements.compare."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaderkit import benchmark, compare, load_baselines, load_standards, wilson_interval

BASELINES = pd.DataFrame({
    "标准编号": ["GB 1-2020", "QB/T 2-2019", "GB/T 3-2018", "GB 4-2017", "GB/T 5-2016"],
    "领域": ["洗涤机械", "洗涤机械", "洗涤机械", "果品", "果品"],
    "指标名称": ["噪声", "噪声", "洗净比", "铅", "pH"],
    "指标要求": ["≤62 dB(A)", "≤60 dB(A)", "≥0.70", "≤0.5 mg/kg", "6～9"],
    "方向": ["越低越好", "越低越好", "越高越好", "越低越好", ""],
})

ROWS = [
    # standard, domain, region, year, indicator, requirement
    ("Q/A 1", "洗涤机械", "浙江省", 2021, "噪声", "≤55 dB(A)"),     # stricter than GB and QB/T
    ("Q/A 1", "洗涤机械", "浙江省", 2021, "洗净比", "≥0.80"),        # stricter than GB/T
    ("Q/B 2", "洗涤机械", "浙江省", 2022, "噪声", "≤61 dB(A)"),     # stricter than GB, looser than QB/T
    ("Q/C 3", "洗涤机械", "广东省", 2022, "噪声", "≤60 dB(A)"),     # stricter than GB, equal to QB/T
    ("Q/C 3", "洗涤机械", "广东省", 2022, "洗净比", "≥0.75"),
    ("Q/D 4", "果品", "广东省", 2022, "铅", "≤0.8 mg/kg"),          # looser than mandatory GB 4
    ("Q/E 5", "果品", "广东省", 2023, "铅", "≤0.0003 g/kg"),        # 0.3 mg/kg: stricter (unit conversion)
    ("Q/E 5", "果品", "广东省", 2023, "pH", "6.5～8.5"),            # range inside 6～9: stricter
    ("Q/F 6", "果品", "广东省", 2023, "色泽", "具有该品种应有的色泽"),  # no baseline, qualitative
    ("Q/G 7", "果品", "浙江省", 2023, "铅", "≤0.5 mg/kg"),          # equal to the GB
    ("Q/H 8", "果品", "浙江省", 2023, "铅", "≤45 dB(A)"),           # units not commensurable
]


@pytest.fixture(scope="module")
def standards():
    df = pd.DataFrame(ROWS, columns=["标准编号", "领域", "地区", "年份", "指标名称", "指标要求"])
    df["年份"] = df["年份"].astype(str)
    return load_standards(df)


@pytest.fixture(scope="module")
def bm(standards):
    return benchmark(standards, load_baselines(BASELINES))


def verdicts(bm, standard):
    ind = bm.indicators
    rows = ind[ind["standard_id"] == standard]
    return {(r.indicator, r.baseline_id): r.verdict for r in rows.itertuples()}


def test_indicator_verdicts(bm):
    assert verdicts(bm, "Q/A 1") == {("噪声", "GB 1-2020"): "stricter", ("噪声", "QB/T 2-2019"): "stricter",
                                     ("洗净比", "GB/T 3-2018"): "stricter"}
    assert verdicts(bm, "Q/B 2") == {("噪声", "GB 1-2020"): "stricter", ("噪声", "QB/T 2-2019"): "looser"}
    assert verdicts(bm, "Q/E 5") == {("铅", "GB 4-2017"): "stricter", ("pH", "GB/T 5-2016"): "stricter"}
    assert verdicts(bm, "Q/G 7") == {("铅", "GB 4-2017"): "equal"}
    assert verdicts(bm, "Q/H 8") == {("铅", "GB 4-2017"): "not_comparable"}
    ind = bm.indicators
    assert ind.loc[ind["standard_id"] == "Q/F 6", "verdict"].tolist() == ["no_baseline"]


def test_margins(bm):
    ind = bm.indicators.set_index(["standard_id", "baseline_id"])
    assert ind.loc[("Q/A 1", "GB 1-2020"), "margin"] == pytest.approx((62 - 55) / 62)
    assert ind.loc[("Q/E 5", "GB 4-2017"), "margin"] == pytest.approx((0.5 - 0.3) / 0.5)
    assert ind.loc[("Q/A 1", "GB/T 3-2018"), "margin"] == pytest.approx((0.80 - 0.70) / 0.70)
    assert ind.loc[("Q/E 5", "GB/T 5-2016"), "margin"] == pytest.approx(1 - 2 / 3)
    assert ind.loc[("Q/D 4", "GB 4-2017"), "margin"] == pytest.approx((0.5 - 0.8) / 0.5)


def test_standard_verdicts(bm):
    s = bm.standards.set_index("standard_id")
    assert s.loc["Q/A 1", ["vs_national", "vs_industry", "stricter"]].tolist() == ["stricter", "stricter", True]
    assert s.loc["Q/B 2", ["vs_national", "vs_industry", "stricter"]].tolist() == ["stricter", "looser", False]
    assert s.loc["Q/C 3", ["vs_national", "vs_industry", "stricter"]].tolist() == ["stricter", "equal", False]
    assert s.loc["Q/D 4", "vs_national"] == "looser" and bool(s.loc["Q/D 4", "mandatory_violation"])
    assert bool(s.loc["Q/E 5", "stricter"]) and pd.isna(s.loc["Q/E 5", "vs_industry"])
    assert not bool(s.loc["Q/F 6", "comparable"]) and not bool(s.loc["Q/F 6", "stricter"])
    assert s.loc["Q/G 7", "vs_national"] == "equal"
    assert s.loc["Q/H 8", "vs_national"] == "not_comparable" and s.loc["Q/H 8", "n_not_comparable"] == 1
    assert s["mandatory_violation"].sum() == 1


def test_adoption_by_domain_with_wilson_interval(bm):
    a = bm.adoption(by=["domain"]).set_index("domain")
    assert a.loc["洗涤机械", ["n", "stricter", "violations"]].tolist() == [3, 1, 0]
    assert a.loc["果品", ["n", "stricter", "comparable", "violations"]].tolist() == [5, 1, 3, 1]
    low, high = wilson_interval(1, 3)
    assert a.loc["洗涤机械", "rate"] == pytest.approx(1 / 3)
    assert (a.loc["洗涤机械", "ci_low"], a.loc["洗涤机械", "ci_high"]) == pytest.approx((low, high))
    assert a.loc["洗涤机械", "gap"] == pytest.approx(1 / 3 - 0.20)
    overall = bm.adoption(by=[])
    assert overall[["n", "stricter"]].iloc[0].tolist() == [8, 2]


def test_wilson_interval_known_values():
    # Wilson (1927); e.g. 2 of 10 at 95 %: 0.0567–0.5098 (Newcombe 1998, table I method 3)
    low, high = wilson_interval([2, 0, 10], [10, 10, 10])
    assert low[0] == pytest.approx(0.0567, abs=5e-4) and high[0] == pytest.approx(0.5098, abs=5e-4)
    assert low[1] == 0 and high[1] == pytest.approx(0.2775, abs=5e-4)
    assert high[2] == pytest.approx(1)
    assert math.isnan(wilson_interval(0, 0)[0])


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wilson_interval_is_the_textbook_formula_and_exact_at_the_ends(confidence):
    import numpy as np
    from scipy.stats import norm

    n = np.repeat(np.arange(1, 60), 3)
    k = np.concatenate([[0, i // 2, i] for i in range(1, 60)])
    z = norm.ppf(0.5 + confidence / 2)
    p = k / n
    centre, half = p + z * z / (2 * n), z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = wilson_interval(k, n, confidence)
    np.testing.assert_allclose(low, (centre - half) / (1 + z * z / n), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(high, (centre + half) / (1 + z * z / n), rtol=1e-12, atol=1e-15)
    assert (low[k == 0] == 0).all() and (high[k == n] == 1).all()


def test_adoption_unknown_group_column_is_clear(bm):
    with pytest.raises(Exception, match="cannot group by"):
        bm.adoption(by=["nonexistent"])


def test_violations_table(bm):
    v = bm.violations()
    assert v[["standard_id", "indicator", "baseline_id"]].values.tolist() == [["Q/D 4", "铅", "GB 4-2017"]]


def test_parquet_path_matches_dataframe_path(tmp_path, standards, bm):
    path = tmp_path / "std.parquet"
    frame = standards.copy()
    frame.columns = ["标准编号" if c == "standard_id" else c for c in frame.columns]  # Chinese header in Parquet
    frame.to_parquet(path)
    big = benchmark(path, load_baselines(BASELINES))
    cols = ["standard_id", "vs_national", "vs_industry", "stricter", "mandatory_violation"]
    pd.testing.assert_frame_equal(big.standards[cols].reset_index(drop=True),
                                  bm.standards[cols].reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(big.adoption(by=["domain", "year"]), bm.adoption(by=["domain", "year"]),
                                  check_dtype=False)


def test_summary(bm):
    s = bm.summary()
    assert (s["standards"], s["indicators"], s["stricter"], s["mandatory_violations"]) == (8, 11, 2, 1)


# The SQL verdict rule must be the rule of requirements.compare.
values = st.sampled_from([0.1, 0.3, 0.5, 0.8, 1.0, 2.0])
ops = st.sampled_from(["≤{a}", "<{a}", "≥{a}", ">{a}", "{a}～{b}"])


@st.composite
def requirement_text(draw):
    a, b = sorted([draw(values), draw(values)])
    if a == b:
        b = a + 0.5
    return draw(ops).format(a=a, b=b) + draw(st.sampled_from([" mg/kg", "", " g/kg"]))


@settings(max_examples=40, deadline=None)
@given(pairs=st.lists(st.tuples(requirement_text(), requirement_text(),
                                st.sampled_from(["越低越好", "越高越好", ""])), min_size=1, max_size=8))
def test_sql_rule_agrees_with_compare(pairs):
    std = pd.DataFrame({"标准编号": [f"Q/{i}" for i in range(len(pairs))], "领域": "d",
                        "指标名称": [f"i{i}" for i in range(len(pairs))], "指标要求": [p[0] for p in pairs]})
    base = pd.DataFrame({"标准编号": "GB 1-2020", "领域": "d", "指标名称": [f"i{i}" for i in range(len(pairs))],
                         "指标要求": [p[1] for p in pairs], "方向": [p[2] for p in pairs]})
    got = benchmark(load_standards(std), load_baselines(base)).indicators.set_index("standard_id")["verdict"]
    direction = {"越低越好": "lower", "越高越好": "higher", "": None}
    for i, (e, b, d) in enumerate(pairs):
        assert got[f"Q/{i}"] == compare(e, b, direction=direction[d]), (e, b, d)


def test_a_parquet_file_with_padded_and_blank_cells_benchmarks_as_its_cleaned_rows(tmp_path):
    """The Parquet path reads cells as stored and cleans only distinct keys and standards' groups: padded
    numbers, names and texts, and a blank attribute on some of a standard's rows, give what the same rows
    give once loaded (and cleaned) as a frame."""
    from leaderkit.app.paths import SAMPLE_DATA

    rows = pd.read_csv(SAMPLE_DATA / "standards.csv", dtype=str).head(400)
    messy = rows.copy()
    odd = messy.index % 3 == 0
    messy.loc[odd, "标准编号"] = "  " + messy.loc[odd, "标准编号"] + " "
    messy.loc[messy.index % 4 == 1, "指标名称"] = messy.loc[messy.index % 4 == 1, "指标名称"] + "  "
    messy.loc[messy.index % 5 == 2, "指标要求"] = " " + messy.loc[messy.index % 5 == 2, "指标要求"]
    first = ~messy["标准编号"].str.strip().duplicated()
    messy.loc[first, "企业名称"] = " "  # the enterprise is on the standard's other rows
    path = tmp_path / "messy.parquet"
    messy.to_parquet(path)
    baselines = load_baselines(SAMPLE_DATA / "baselines.csv")
    scanned = benchmark(path, baselines)
    framed = benchmark(load_standards(rows), baselines)
    cols = ["standard_id", "domain", "enterprise", "n_indicators", "vs_national", "vs_industry", "stricter",
            "mandatory_violation"]
    pd.testing.assert_frame_equal(scanned.standards[cols].reset_index(drop=True),
                                  framed.standards[cols].reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(scanned.adoption(["domain"]), framed.adoption(["domain"]), check_dtype=False)
