"""Ranking from a scheme: declared values, eligibility, scores against hand-computed values, leaders and
tie rules, permutation invariance, monotonicity, scheme comparison, robustness, the sample's stories."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderkit import load_standards
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.ranking.common import RankingError
from leaderkit.ranking.compare import compare_schemes
from leaderkit.ranking.result import eligibility, prepare, rank
from leaderkit.ranking.values import indicator_matrix
from leaderkit.registers.titles import TitleRegister
from leaderkit.schemes.model import Scheme

ON = date(2023, 12, 31)
OLD = "2022-01-10"  # public long before ON (national programme: 90 days)

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
ranking: {method: weighted, normalise: minmax, aggregate: amean, weights: declared, imputation: none}
leader_rule: {top_n: 1, tie_rule: include_all}
"""


def scheme(changes=None) -> Scheme:
    s = Scheme.loads(SCHEME)
    return s.with_changes(changes) if changes else s


def standards(rows) -> pd.DataFrame:
    """rows: (id, enterprise, energy text, ratio text, published, mass_produced)."""
    out = []
    for sid, ent, energy, ratio, published, mass in rows:
        for name, text in (("耗电量", energy), ("洗净比", ratio)):
            if text is not None:
                out.append({"standard_id": sid, "enterprise": ent, "domain": "洗衣机", "region": "浙江省",
                            "published": published, "indicator": name, "requirement": text,
                            "mass_produced": "是" if mass else "否"})
    return load_standards(pd.DataFrame(out))


ABC = [("A", "甲公司", "≤ 1 kWh", "≥ 0.8", OLD, True),
       ("B", "乙公司", "≤ 2", "≥ 0.9", OLD, True),
       ("C", "丙公司", "≤ 3", "≥ 0.7", OLD, True)]


def by_id(result, column):
    return result.table.set_index("standard_id")[column].to_dict()


# ---- declared values ----------------------------------------------------------------------------


def test_indicator_matrix_bounds_units_and_notes():
    data = standards([("A", "甲", "≤ 1500 Wh", "≥ 0.8", OLD, True),
                      ("B", "乙", "外观良好", "0.7～0.9", OLD, True),
                      ("C", "丙", "≤ 3 dB", None, OLD, True)])
    values, notes = indicator_matrix(scheme(), data)
    assert values.loc["A", "energy"] == pytest.approx(1.5)  # 1500 Wh → 1.5 kWh
    assert values.loc["A", "ratio"] == pytest.approx(0.8)  # higher-is-better → lower bound
    assert np.isnan(values.loc["B", "energy"]) and "qualitative" in notes.loc["B", "energy"]
    assert values.loc["B", "ratio"] == pytest.approx(0.7)  # an interval: its lower bound counts
    assert np.isnan(values.loc["C", "energy"]) and "unit" in notes.loc["C", "energy"]
    assert np.isnan(values.loc["C", "ratio"]) and "not declared" in notes.loc["C", "ratio"]
    assert notes.loc["A", "energy"] == ""


def test_range_indicator_midpoint_width_and_containment():
    text = SCHEME.replace("direction: higher", "direction: range").replace(
        '{leader: "≥ 0.9", advanced: "≥ 0.8", baseline: "≥ 0.7"}', '{leader: "0.78～0.82", advanced: "0.7～0.9"}')
    s = Scheme.loads(text)
    data = standards([("A", "甲", "≤ 1", "0.79～0.81", OLD, True), ("B", "乙", "≤ 1", "0.7～0.9", OLD, True),
                      ("C", "丙", "≤ 1", "0.6～0.95", OLD, True)])
    values, _ = indicator_matrix(s, data)
    assert values["ratio"].tolist() == pytest.approx([0.8, 0.8, 0.775])
    result = rank(s.with_weights({"energy": 0.0}), data, on=ON, baselines=pd.DataFrame())
    # every standard is excluded without baselines: levels are still reported
    assert by_id(result, "level_ratio") == {"A": "leader", "B": "advanced", "C": "none"}


# ---- eligibility ------------------------------------------------------------------------------


def test_eligibility_reasons_each_rule(tmp_path):
    data = standards([
        ("OK", "甲公司", "≤ 1", "≥ 0.8", OLD, True),
        ("LOOSE", "乙公司", "≤ 6", "≥ 0.8", OLD, True),         # looser than GB ≤ 5 (mandatory) and QB/T ≤ 4
        ("EQ-IND", "丙公司", "≤ 4", "≥ 0.8", OLD, True),        # stricter than GB, equal to QB/T
        ("NEW", "丁公司", "≤ 1", "≥ 0.8", "2023-11-01", True),  # 60 days < 90
        ("NOTMP", "戊公司", "≤ 1", "≥ 0.8", OLD, False),
        ("BARRED", "己公司", "≤ 1", "≥ 0.8", OLD, True),
        ("HOLE", "庚公司", "≤ 1", None, OLD, True),
    ])
    with TitleRegister(tmp_path / "titles.duckdb", create=True) as reg:
        reg.add_title("T1", "Q/X 1", "己公司", "洗衣机", "某机构", "2022-03-01", "2023-03-01")
        reg.revoke("T1", "fraud", "2022-06-01")
        e = eligibility(scheme(), data, on=ON, register=reg).set_index("standard_id")
    assert e.loc["OK", "eligible"] and e.loc["OK", "reasons"] == []
    assert set(e.loc["LOOSE", "reasons"]) == {"not_stricter_national", "not_stricter_industry", "mandatory_violation"}
    assert e.loc["EQ-IND", "reasons"] == ["not_stricter_industry"]
    assert "（等于）" in e.loc["EQ-IND", "reasons_zh"] and "(equal)" in e.loc["EQ-IND", "reasons_en"]
    assert e.loc["NEW", "reasons"] == ["not_public_long_enough"]
    assert "公开 60 日，要求满 3 个月，2024-02-01 起满足" in e.loc["NEW", "reasons_zh"]
    assert e.loc["NOTMP", "reasons"] == ["not_mass_produced"]
    assert e.loc["BARRED", "reasons"] == ["barred"]
    assert e.loc["HOLE", "reasons"] == ["missing_core_value"] and "洗净比" in e.loc["HOLE", "reasons_zh"]
    assert e["eligible"].sum() == 1


def test_mofcom_programme_needs_one_month_and_its_deadline():
    data = standards([("NEW", "丁公司", "≤ 1", "≥ 0.8", "2023-10-31", True),
                      ("LATE", "戊公司", "≤ 1", "≥ 0.8", "2023-11-01", True)])
    e = eligibility(scheme(), data, on=date(2023, 11, 30), program="mofcom-2023").set_index("standard_id")
    assert e.loc["NEW", "eligible"] and e.loc["NEW", "reasons"] == []
    assert e.loc["LATE", "reasons"] == ["declared_after_deadline", "not_public_long_enough"]  # and 29 days


def test_enterprise_condition_columns_are_checked():
    raw = standards(ABC[:2])
    raw = pd.DataFrame(raw)
    raw["commitment_signed"] = np.where(raw["standard_id"] == "B", "否", "是")
    raw.attrs = {}
    e = eligibility(scheme(), raw, on=ON).set_index("standard_id")
    assert e.loc["A", "eligible"] and e.loc["B", "reasons"] == ["enterprise_condition"]
    assert "未签署承诺书" in e.loc["B", "reasons_zh"]


def test_numeric_baseline_indicator_must_be_met():
    text = SCHEME.replace("ranking:", """  - id: standby
    name: 待机功率
    class: baseline
    unit: W
    direction: lower
    levels: {baseline: "≤ 1.0"}
ranking:""")
    rows = standards(ABC).to_dict("records")
    rows += [{**rows[0], "indicator": "待机功率", "requirement": "≤ 0.5"},
             {**rows[2], "indicator": "待机功率", "requirement": "≤ 2"}]
    e = eligibility(Scheme.loads(text), load_standards(pd.DataFrame(rows)), on=ON).set_index("standard_id")
    assert e.loc["A", "eligible"]
    assert e.loc["B", "reasons"] == ["baseline_indicator_not_met"]  # ≤ 2 W against ≤ 1.0 W
    assert e.loc["C", "reasons"] == ["baseline_indicator_missing"]


# ---- scores, ranks, leaders --------------------------------------------------------------------


def test_weighted_minmax_scores_by_hand():
    # energy (lower is better) 1, 2, 3 → 100, 50, 0; ratio 0.8, 0.9, 0.7 → 50, 100, 0
    r = rank(scheme(), standards(ABC), on=ON)
    assert by_id(r, "score") == pytest.approx({"A": 0.6 * 100 + 0.4 * 50, "B": 0.6 * 50 + 0.4 * 100, "C": 0.0})
    assert by_id(r, "rank") == {"A": 1, "B": 2, "C": 3}
    assert r.leaders["standard_id"].tolist() == ["A"]
    assert r.leaders.loc[0, "why_zh"] == "第 1 名，得分 80.00；领跑水平：耗电量；先进水平：洗净比"
    assert by_id(r, "level_energy") == {"A": "leader", "B": "advanced", "C": "baseline"}


def test_topsis_levels_and_lexicographic_methods():
    data = standards(ABC)
    t = rank(scheme({"ranking.method": "topsis"}), data, on=ON)
    # vector norms: energy √14, ratio √1.94; weighted v, ideal (min energy, max ratio)
    v = np.array([[1, 0.8], [2, 0.9], [3, 0.7]]) / np.sqrt([14, 1.94]) * [0.6, 0.4]
    ideal, anti = [v[:, 0].min(), v[:, 1].max()], [v[:, 0].max(), v[:, 1].min()]
    dp, dm = np.linalg.norm(v - ideal, axis=1), np.linalg.norm(v - anti, axis=1)
    assert list(by_id(t, "score").values()) == pytest.approx(list(dm / (dp + dm)))
    lv = rank(scheme({"ranking.method": "levels", "ranking.level_points": {"leader": 3, "advanced": 2,
                                                                          "baseline": 1}}), data, on=ON)
    # A: leader (3) and advanced (2); B: advanced (2) and leader (3); C: baseline (1) and baseline (1)
    assert by_id(lv, "score") == pytest.approx({"A": 2.6, "B": 2.4, "C": 1.0})
    lex = rank(scheme({"ranking.method": "lexicographic", "ranking.priority": ["ratio", "energy"]}), data, on=ON)
    assert by_id(lex, "rank") == {"B": 1, "A": 2, "C": 3}


TIED = [("A", "甲", "≤ 1", "≥ 0.9", OLD, True), ("B", "乙", "≤ 1", "≥ 0.9", OLD, True),
        ("C", "丙", "≤ 2", "≥ 0.8", OLD, True), ("D", "丁", "≤ 3", "≥ 0.7", OLD, True)]


@pytest.mark.parametrize("rule, leaders, tied", [
    ("include_all", ["A", "B"], {"A", "B"}),
    ("exclude_all", [], {"A", "B"}),
    ("panel_decides", [], {"A", "B"}),
])
def test_tie_at_the_cut_follows_the_tie_rule(rule, leaders, tied):
    r = rank(scheme({"leader_rule.tie_rule": rule}), standards(TIED), on=ON)
    assert by_id(r, "rank") == {"A": 1, "B": 1, "C": 3, "D": 4}
    assert r.leaders["standard_id"].tolist() == leaders
    assert set(r.table.loc[r.table["tie_at_cut"], "standard_id"]) == tied
    assert any(f"tie_rule: {rule}" in n.en for n in r.notes)


def test_permuted_input_gives_the_same_list():
    data = standards(TIED)
    shuffled = data.sample(frac=1, random_state=3).reset_index(drop=True)
    shuffled.attrs = dict(data.attrs)
    a = rank(scheme({"leader_rule.tie_rule": "include_all"}), data, on=ON)
    b = rank(scheme({"leader_rule.tie_rule": "include_all"}), shuffled, on=ON)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.digest == b.digest


def test_top_percent_min_participants_and_max_leaders():
    data = standards(TIED)
    r = rank(scheme({"leader_rule": {"top_percent": 50, "tie_rule": "include_all"}}), data, on=ON)
    assert r.leaders["standard_id"].tolist() == ["A", "B"]  # ⌊4 · 50 %⌋ = 2
    few = rank(scheme({"leader_rule": {"top_n": 2, "min_participants": 5}}), data, on=ON)
    assert few.leaders.empty and any("fewer than the scheme's minimum of 5" in n.en for n in few.notes)
    capped = rank(scheme({"leader_rule": {"reach_level": "advanced", "max_leaders": 1,
                                          "tie_rule": "exclude_all"}}), data, on=ON)
    # A, B, C reach advanced on both; the cap of 1 cuts through the A–B tie, which is excluded
    assert capped.leaders.empty and set(capped.table.loc[capped.table["tie_at_cut"], "standard_id"]) == {"A", "B"}
    reach = rank(scheme({"leader_rule": {"reach_level": "leader"}}), data, on=ON)
    assert reach.leaders["standard_id"].tolist() == ["A", "B"]


def test_missing_values_exclude_or_are_imputed_never_zero():
    rows = [*ABC, ("D", "丁公司", "≤ 0.5", None, OLD, True)]
    excluded = rank(scheme(), standards(rows), on=ON)
    assert excluded.excluded["standard_id"].tolist() == ["D"]
    assert excluded.excluded.loc[0, "reasons"] == ["missing_core_value"]
    imputed = rank(scheme({"ranking.imputation": "worst"}), standards(rows), on=ON)
    # worst ratio = 0.7 → D: energy 0.5 → 100, ratio → 0 ; A: energy 1 → 80, ratio 0.8 → 50
    scores = by_id(imputed, "score")
    assert scores["D"] == pytest.approx(60.0) and scores["A"] == pytest.approx(0.6 * 80 + 0.4 * 50)
    assert imputed.method["imputed"] == [{"row": "D", "indicator": "ratio", "imputation": "worst", "value": 0.7}]
    assert any("imputed" in n.en for n in imputed.notes)


def test_no_eligible_standard_is_said():
    r = rank(scheme(), standards(ABC), on=date(2022, 1, 20))
    assert r.table["eligible"].sum() == 0 and r.leaders.empty
    assert any("No eligible standard" in n.en for n in r.notes)


def test_digest_follows_scheme_and_data():
    data = standards(ABC)
    base = rank(scheme(), data, on=ON).digest
    assert rank(scheme({"indicators.energy.weight": 0.5}), data, on=ON).digest != base
    assert rank(scheme(), standards(ABC[:2]), on=ON).digest != base
    assert rank(scheme(), data, on=ON).digest == base and len(base) == 64


def test_prepared_data_is_reused_and_rebuilt_when_the_indicators_change():
    data = standards(ABC)
    prep = prepare(scheme(), data, on=ON)
    assert prepare(scheme({"indicators.energy.weight": 0.1}), prep) is prep
    assert prepare(scheme({"indicators.energy.levels.leader": "≤ 1.5"}), prep) is prep
    assert prepare(scheme({"indicators.energy.unit": "Wh"}), prep) is not prep
    tuned = scheme({"indicators.energy.weight": 0.1})
    pd.testing.assert_frame_equal(rank(tuned, prep).table, rank(tuned, data, on=ON).table)


def test_bad_inputs_are_refused_clearly():
    with pytest.raises(RankingError, match="洗衣机"):
        rank(scheme({"domain": "电饭锅"}), standards(ABC), on=ON)
    with pytest.raises(RankingError, match="timeline.ranking_date"):
        rank(scheme(), standards(ABC))
    with pytest.raises(RankingError, match="YYYY-MM-DD"):
        rank(scheme(), standards(ABC), on="31/12/2023")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(energy=st.lists(st.integers(10, 40), min_size=4, max_size=4),
       ratio=st.lists(st.integers(70, 99), min_size=4, max_size=4),
       who=st.integers(0, 3), better=st.integers(1, 9))
def test_improving_a_value_never_worsens_the_rank(energy, ratio, who, better):
    def build(values):
        return standards([(f"S{i}", f"企业{i}", f"≤ {e / 10:g}", f"≥ {r / 100:g}", OLD, True)
                          for i, (e, r) in enumerate(zip(values, ratio, strict=True))])

    before = by_id(rank(scheme(), build(energy), on=ON), "rank")
    improved = list(energy)
    improved[who] = max(1, improved[who] - better)
    after = by_id(rank(scheme(), build(improved), on=ON), "rank")
    # ≤ 4 equals the industry limit (not eligible); improving may make a standard eligible, never the reverse
    if not pd.isna(before[f"S{who}"]):
        assert after[f"S{who}"] <= before[f"S{who}"]


# ---- comparison and robustness -----------------------------------------------------------------


def test_compare_schemes_by_hand():
    data = standards(ABC)
    a = scheme({"indicators.energy.weight": 1.0, "indicators.ratio.weight": 0.0})
    b = scheme({"id": "T-2", "indicators.energy.weight": 0.0, "indicators.ratio.weight": 1.0})
    c = compare_schemes(a, b, data, on=ON)
    # A ranks A, B, C; B ranks B, A, C: one discordant pair of three
    assert c.metrics["kendall_tau"] == pytest.approx(1 / 3)
    assert c.metrics["spearman_rho"] == pytest.approx(0.5)
    assert c.metrics["leader_overlap_jaccard"] == 0.0
    movers = c.movers.set_index("standard_id")
    assert movers.loc["B", "change"] == 1 and movers.loc["A", "change"] == -1
    assert movers.loc["A", "leader_a"] and movers.loc["B", "leader_b"]


# ---- the sample's planted stories --------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return load_standards(SAMPLE_DATA / "standards.csv")


def test_sample_washing_machines_a(sample):
    s = Scheme.load(SAMPLE_DATA / "schemes" / "washing_machines_a.yaml")
    r = rank(s, sample, on=ON)
    excluded = r.excluded.set_index("standard_id")["reasons"]
    for sid in ("Q/XAQ 0029-2021", "Q/ONE 0016-2020"):  # stricter but not mass-produced
        assert "not_mass_produced" in excluded[sid]
    assert "mandatory_violation" in excluded["Q/ZZK 0028-2019"]  # ≤ 0.040 against GB ≤ 0.035
    eligible = int(r.table["eligible"].sum())
    assert len(r.leaders) == max(1, int(eligible * 0.20))  # top 20 %
    assert any("电气安全" in n.zh for n in r.notes)  # qualitative baseline indicator said, not silently passed


def test_sample_public_time_story(sample):
    s = Scheme.load(SAMPLE_DATA / "schemes" / "logistics.yaml")
    e = eligibility(s, sample, on=ON, program="national").set_index("standard_id")
    assert "not_public_long_enough" in e.loc["Q/OIR 0031-2023", "reasons"]  # published 2023-11-24
