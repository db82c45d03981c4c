"""Expert review: refusals, aggregation, Kendall's W, ties and missing scores (hand-computed)."""

from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from leaderkit.schemes.model import Scheme
from leaderkit.schemes.panel import PanelError, expert_conflicts, kendall_w, review_panel

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "schemes"
SCORES = SAMPLES / "panel_washing_machines.csv"
EXPERTS = SAMPLES / "panel_washing_machines_experts.csv"


@pytest.fixture(scope="module")
def schemes():
    return [Scheme.load(SAMPLES / "washing_machines_a.yaml"), Scheme.load(SAMPLES / "washing_machines_b.yaml")]


def _panel(totals: dict[str, dict[str, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One criterion per scheme: totals[expert][scheme] = score."""
    rows = [(e, s, "总分", v) for e, by in totals.items() for s, v in by.items()]
    scores = pd.DataFrame(rows, columns=["expert", "scheme", "criterion", "score"])
    experts = pd.DataFrame({"name": list(totals), "affiliation": [f"单位{i}" for i in range(len(totals))]})
    return scores, experts


def test_sample_panel_picks_scheme_a(schemes):
    r = review_panel(SCORES, EXPERTS, program="mofcom-2023", schemes=schemes)
    # A totals 88, 85, 90, 82, 86, 84: mean 515/6; trimmed (drop 90 and 82) 343/4 = 85.75
    # B complete totals 80, 86, 78, 79, 81 (杨帆 missed one criterion): mean 80.8; trimmed (drop 86, 78) 80.0
    a, b = r.table.loc["XDJX-2023-A"], r.table.loc["XDJX-2023-B"]
    assert a["mean"] == pytest.approx(515 / 6) and a["trimmed_mean"] == pytest.approx(85.75)
    assert b["mean"] == pytest.approx(80.8) and b["trimmed_mean"] == pytest.approx(80.0)
    assert (a["experts"], b["experts"]) == (6, 5)
    assert r.best == "XDJX-2023-A" and r.margin == pytest.approx(5.75) and r.tied == []
    assert r.missing.to_dict("records") == [{"expert": "杨帆", "scheme": "XDJX-2023-B", "criterion": "内容完整性"}]
    # Kendall's W over the 5 complete raters: 4 rank A first, 李秀英 ranks B first.
    # Rank sums A = 6, B = 9, S = 4.5, W = 12·4.5 / (25·(8 − 2)) = 0.36, χ² = 5·1·0.36 = 1.8, df 1
    assert r.raters == 5
    assert r.kendall_w == pytest.approx(0.36) and r.chi2 == pytest.approx(1.8)
    assert r.p_value == pytest.approx(stats.chi2.sf(1.8, 1)) and r.p_value == pytest.approx(0.17971, abs=1e-5)
    assert "XDJX-2023-A" in r.summary()


def test_kendall_w_without_and_with_ties():
    # 3 raters × 4 objects, rank sums 4, 6, 8, 12: S = 35, W = 12·35 / (9·60) = 0.7778, χ² = 3·3·W = 7
    w, chi2, df = kendall_w(pd.DataFrame([[90, 80, 70, 60], [90, 70, 80, 60], [80, 90, 70, 60]]))
    assert (w, chi2, df) == (pytest.approx(7 / 9), pytest.approx(7.0), 3)
    # rater 1 ties the first two: ranks 1.5, 1.5, 3 and 1, 2, 3; S = 6.5, T = 2³ − 2 = 6,
    # W = 12·6.5 / (4·24 − 2·6) = 78/84 (uncorrected it would be 78/96)
    w, _, _ = kendall_w(pd.DataFrame([[10, 10, 5], [10, 8, 5]]))
    assert w == pytest.approx(78 / 84)


def test_refuses_a_panel_below_the_programme_minimum():
    scores, experts = _panel({f"专家{i}": {"S1": 80 + i, "S2": 70} for i in range(4)})
    with pytest.raises(PanelError, match="少于活动规则要求的 5 人"):
        review_panel(scores, experts)
    scores5, experts5 = _panel({f"专家{i}": {"S1": 80 + i, "S2": 70} for i in range(5)})
    assert review_panel(scores5, experts5).best == "S1"


def test_refuses_an_expert_from_the_compiling_unit(schemes):
    scores = pd.read_csv(SCORES)
    experts = pd.read_csv(EXPERTS)
    experts.loc[experts["name"] == "刘洋", "affiliation"] = "东岳家电标准技术研究院（示例）标准化室"
    with pytest.raises(PanelError, match="刘洋 评了 XDJX-2023-B") as err:
        review_panel(scores, experts, program="mofcom-2023", schemes=schemes)
    assert "compiling unit" in str(err.value)
    # the same expert is fine if they only scored the other scheme
    kept = scores[~((scores["expert"] == "刘洋") & (scores["scheme"] == "XDJX-2023-B"))]
    assert review_panel(kept, experts, program="mofcom-2023", schemes=schemes).best == "XDJX-2023-A"


def test_refuses_a_declared_conflict_even_without_scheme_files():
    scores, experts = _panel({f"专家{i}": {"S1": 80, "S2": 70} for i in range(5)})
    experts["conflicts"] = ["", "", "S2", "", ""]
    with pytest.raises(PanelError, match="专家2 评了 S2"):
        review_panel(scores, experts)
    experts["conflicts"] = ["", "", "S3", "", ""]
    result = review_panel(scores, experts)
    assert any("未提供方案文件" in n.zh for n in result.notes)


def test_conflicts_table_names_the_reason(schemes):
    experts = [{"name": "甲", "affiliation": "华标洗涤装备评价中心（示例）"},
               {"name": "乙", "affiliation": "某大学", "conflicts": ["XDJX-2023-B"]},
               {"name": "丙", "affiliation": "某大学"}]
    table = expert_conflicts(experts, schemes)
    assert table[["expert", "scheme"]].values.tolist() == [["甲", "XDJX-2023-A"], ["乙", "XDJX-2023-B"]]


def test_tie_at_the_top_is_reported():
    scores, experts = _panel({f"专家{i}": {"S1": 80 + i, "S2": 84 - i, "S3": 60} for i in range(5)})
    r = review_panel(scores, experts)
    # S1: 80…84, S2: 84…80 — trimmed means both 82
    assert r.best is None and r.tied == ["S1", "S2"] and r.margin == 0.0
    assert "并列第一" in r.summary() or "tied" in r.summary()


def test_unknown_expert_and_out_of_range_scores_are_refused():
    scores, experts = _panel({f"专家{i}": {"S1": 80, "S2": 70} for i in range(5)})
    with pytest.raises(PanelError, match="不在专家名单"):
        review_panel(scores, experts.iloc[:4])
    scores["max_score"] = 75
    with pytest.raises(PanelError, match="超出范围"):
        review_panel(scores, experts)


def test_trimmed_mean_falls_back_to_the_mean_with_few_scores():
    scores, experts = _panel({f"专家{i}": {"S1": 80 + i, "S2": 70} for i in range(5)})
    scores = scores[~((scores["scheme"] == "S1") & (scores["expert"].isin(["专家0", "专家1", "专家2"])))]
    r = review_panel(scores, experts)
    assert r.table.loc["S1", "experts"] == 2
    assert r.table.loc["S1", "trimmed_mean"] == pytest.approx(83.5)
    assert any("截尾均值取算术平均" in n.zh for n in r.notes)


def test_gbk_and_excel_score_sheets_read_like_utf8(schemes, tmp_path):
    from leaderkit.schemes.panel import read_scores

    expected = review_panel(SCORES, EXPERTS, program="mofcom-2023", schemes=schemes)
    gbk_scores, gbk_experts = tmp_path / "评分_gbk.csv", tmp_path / "专家_gbk.csv"
    gbk_scores.write_bytes(SCORES.read_text(encoding="utf-8").encode("gbk"))
    gbk_experts.write_bytes(EXPERTS.read_text(encoding="utf-8").encode("gbk"))
    xlsx = tmp_path / "评分.xlsx"
    pd.read_csv(SCORES).to_excel(xlsx, index=False)
    assert read_scores(gbk_scores)["criterion"].iloc[0] == "指标科学性"
    for scores, experts in ((gbk_scores, gbk_experts), (xlsx, EXPERTS)):
        got = review_panel(scores, experts, program="mofcom-2023", schemes=schemes)
        pd.testing.assert_frame_equal(got.table, expected.table)
        assert (got.best, got.kendall_w) == (expected.best, expected.kendall_w)


def test_an_unreadable_score_sheet_is_a_panel_error(tmp_path):
    with pytest.raises(PanelError, match="找不到文件"):
        review_panel(tmp_path / "missing.csv", EXPERTS)


def test_summary_in_a_chosen_language_leaves_the_librarys_alone():
    from leaderkit._kit.i18n import get_language

    scores, experts = _panel({f"专家{i}": {"S1": 80 + i, "S2": 70} for i in range(5)})
    r = review_panel(scores, experts)
    before = get_language()
    assert r.summary("en").startswith("best scheme: S1") and r.summary("zh").startswith("最优方案：S1")
    assert get_language() == before
