"""Agency grading (评估机构评价) with the shipped document 003 rubric: every grade boundary, each veto,
invalid points, input formats and points derived from facts. Expected values are worked out by hand
from the grade table of document 003 二(二)4 (SOURCES.md "Agency grading")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from leaderkit._kit.i18n import get_language, pick, set_language
from leaderkit.agencies.grading import (
    InvalidPointsError,
    RecordsError,
    grade_agencies,
    load_rubric,
    score_facts,
)

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "agencies"
RUBRIC = load_rubric()
VETOES = ["veto_false_info", "veto_no_list_two_years", "veto_fees", "veto_certification_fraud",
          "veto_non_cooperation"]


def points_for(category: str, target: int) -> dict[str, int]:
    """Allowed points for the items of one category adding up to `target` (depth-first search)."""
    items = [i for i in RUBRIC.items if i.category == category]
    tails = [sum(i.max_points for i in items[k:]) for k in range(len(items) + 1)]

    def search(k: int, left: int) -> list[int] | None:
        if k == len(items):
            return [] if left == 0 else None
        if left > tails[k]:
            return None
        for value in items[k].allowed:
            if value <= left:
                rest = search(k + 1, left - value)
                if rest is not None:
                    return [value, *rest]
        return None

    found = search(0, target)
    assert found is not None, f"{category} cannot add up to {target}"
    return dict(zip([i.id for i in items], found, strict=True))


def record(agency: str, basic: int, core: int, incentive: int, year: int = 2023, vetoes=()) -> dict:
    row = {"agency": agency, "year": year}
    for cat, target in (("basic", basic), ("core", core), ("incentive", incentive)):
        row.update(points_for(cat, target))
    row.update({v: v in vetoes for v in VETOES})
    return row


def grade_one(basic, core, incentive, vetoes=()):
    return grade_agencies(pd.DataFrame([record("甲机构", basic, core, incentive, vetoes=vetoes)])).iloc[0]


# (basic, core, incentive) → grade, and what is lacking for the next grade up (zh)
BOUNDARIES = [
    ((30, 40, 25), 1, ""),                                   # 95, all maxima
    ((28, 37, 25), 1, ""),                                   # total exactly 90, every sub-score at its minimum
    ((27, 37, 25), 2, "基础指标差 1 分；总分差 1 分"),          # 89 (incentive 24 cannot be scored)
    ((28, 36, 25), 2, "核心指标差 1 分；总分差 1 分"),          # 89 by the core score
    ((27, 38, 25), 2, "基础指标差 1 分"),                      # 90 but basic below 28
    ((30, 40, 20), 2, "鼓励性指标差 5 分"),                    # 90 but incentive below 25
    ((25, 35, 20), 2, "基础指标差 3 分；核心指标差 2 分；鼓励性指标差 5 分；总分差 10 分"),  # 80 at 二级 minima
    ((25, 35, 19), 3, "鼓励性指标差 1 分；总分差 1 分"),        # 79
    ((24, 36, 20), 4, "基础指标差 1 分"),                      # 80 with basic 24
    ((25, 35, 10), 3, "鼓励性指标差 10 分；总分差 10 分"),      # basic = 25 exactly, total 70: 三级 wins over 四级
    ((25, 35, 9), 4, "鼓励性指标差 1 分；总分差 1 分"),         # 69: the 60–70 band
    ((26, 35, 4), 4, "鼓励性指标差 6 分；总分差 5 分"),         # 65: the 60–70 band
    ((28, 32, 10), 4, "核心指标差 3 分"),                      # 70 with core in 31–34
    ((30, 33, 12), 4, "核心指标差 2 分"),                      # the example
    ((30, 40, 9), 4, "鼓励性指标差 1 分"),                     # 79, incentive below 10
    ((20, 30, 10), 4, "基础指标差 5 分；核心指标差 5 分；总分差 10 分"),  # exactly 60
    ((0, 0, 0), 4, "基础指标差 25 分；核心指标差 35 分；鼓励性指标差 10 分；总分差 70 分"),
]


@pytest.mark.parametrize(("scores", "grade", "lacks"), BOUNDARIES, ids=[str(b[0]) for b in BOUNDARIES])
def test_grade_boundaries(scores, grade, lacks):
    row = grade_one(*scores)
    assert (row["basic"], row["core"], row["incentive"]) == scores
    assert row["total"] == sum(scores)
    assert row["grade"] == grade
    assert row["grade_name_zh"] == ["一级", "二级", "三级", "四级"][grade - 1]
    assert row["lacks_zh"] == lacks
    assert row["veto_ids"] == row["vetoes_zh"] == row["vetoes_en"] == ""


def test_decided_by_names_the_failed_condition_of_the_grade_above():
    assert grade_one(28, 37, 25)["decided_by_zh"] == "满足一级条件（总分 ≥ 90，基础指标 ≥ 28，核心指标 ≥ 37，鼓励性指标 ≥ 25）"
    assert grade_one(28, 36, 25)["decided_by_zh"].startswith("未达一级：总分 89 < 90、核心指标 36 < 37；满足二级条件")
    assert grade_one(25, 35, 9)["decided_by_zh"] == "未达三级：总分 69 < 70、鼓励性指标 9 < 10"


def test_gaps_as_numbers():
    row = grade_one(30, 33, 12)
    assert (row["gap_basic"], row["gap_core"], row["gap_incentive"], row["gap_total"]) == (0, 2, 0, 0)
    top = grade_one(30, 40, 25)
    assert np.isnan(top["gap_total"]) and np.isnan(top["gap_core"])


def test_consequences_follow_the_grade():
    assert "后续两个年度" in grade_one(30, 40, 25)["consequence_zh"]
    assert "下一年度中持续开展" in grade_one(25, 35, 20)["consequence_zh"]
    assert "继续参与评估机构的遴选" in grade_one(25, 35, 10)["consequence_zh"]
    assert "限期整改" in grade_one(0, 0, 0)["consequence_zh"]
    assert "rectification" in grade_one(0, 0, 0)["consequence_en"]


@pytest.mark.parametrize("veto", VETOES)
def test_each_veto_gives_grade_4_whatever_the_score(veto):
    row = grade_one(30, 40, 25, vetoes=(veto,))
    assert row["total"] == 95
    assert row["grade"] == 4
    number = VETOES.index(veto) + 1
    assert row["veto_ids"] == veto
    assert row["vetoes_zh"].startswith(f"否决项 {number}：")
    assert row["vetoes_en"].startswith(f"veto {number}: ")
    assert row["decided_by_zh"] == row["vetoes_zh"] and row["decided_by_en"] == row["vetoes_en"]
    assert row["lacks_zh"] == "须先消除否决项"


def test_two_vetoes_are_both_listed_and_score_gaps_added():
    row = grade_one(25, 34, 10, vetoes=("veto_fees", "veto_non_cooperation"))
    assert row["grade"] == 4
    assert row["veto_ids"] == "veto_fees;veto_non_cooperation"
    assert row["vetoes_zh"].count("否决项") == 2
    assert "否决项 3" in row["vetoes_zh"] and "否决项 5" in row["vetoes_zh"]
    assert row["lacks_zh"] == "须先消除否决项；核心指标差 1 分；总分差 1 分"


def test_veto_columns_accept_spreadsheet_spellings():
    rows = [record(f"机构{n}", 30, 40, 25) for n in range(4)]
    frame = pd.DataFrame(rows)
    frame["veto_fees"] = ["是", "否", "1", ""]
    frame["veto_false_info"] = ["false", "0", "no", "TRUE"]
    assert grade_agencies(frame)["grade"].tolist() == [4, 1, 4, 4]
    frame.loc[1, "veto_fees"] = "maybe"
    with pytest.raises(RecordsError, match="veto_fees"):
        grade_agencies(frame)


def test_veto_columns_read_the_shared_yes_no_words_and_an_empty_cell_means_no():
    rows = [record(f"机构{n}", 30, 40, 25) for n in range(7)]
    frame = pd.DataFrame(rows)
    # words of leaderkit._kit.words the old local list did not know, blanks, NaN and spreadsheet numbers
    frame["veto_fees"] = ["✓", "符合", "不符合", "  ", None, 1.0, 0.0]
    graded = grade_agencies(frame)
    assert graded["grade"].tolist() == [4, 4, 1, 1, 1, 4, 1]
    assert graded["veto_ids"].tolist() == ["veto_fees", "veto_fees", "", "", "", "veto_fees", ""]


@pytest.mark.parametrize(("item", "value"), [("2.3", 5), ("2.3", 8), ("1.1", 3), ("3.2", 2), ("2.2", 1),
                                             ("1.6a", 2), ("2.4", -3), ("3.1", 4.5)])
def test_invalid_points_name_agency_year_item_value_and_allowed(item, value):
    row = record("蓝海品质评价中心", 30, 40, 25, year=2022)
    row[item] = value
    with pytest.raises(InvalidPointsError) as err:
        grade_agencies(pd.DataFrame([row]))
    message = str(err.value)
    allowed = "、".join(str(v) for v in next(i for i in RUBRIC.items if i.id == item).allowed)
    assert "蓝海品质评价中心" in message and "2022" in message
    assert f"评分项 {item}" in message and repr(value) in message
    assert f"允许的分值为 {allowed}" in message


def test_allowed_values_of_option_items():
    allowed = {i.id: i.allowed for i in RUBRIC.items}
    assert allowed["2.3"] == (10, 7, 3, 0)
    assert allowed["2.4"] == (10, 7, 3, 0)
    assert allowed["2.2"] == (5, 0)
    assert allowed["3.2"] == (5, 3, 0)
    assert allowed["3.3"] == (5, 3, 2, 0)
    assert allowed["1.6c"] == (1, 0)


def test_seven_is_valid_for_2_3_and_a_blank_is_not():
    row = record("甲", 30, 40, 25)
    row["2.3"] = 7
    assert grade_agencies(pd.DataFrame([row]))["core"].iloc[0] == 37
    row["2.3"] = None
    with pytest.raises(InvalidPointsError, match="2.3"):
        grade_agencies(pd.DataFrame([row]))


def test_invalid_points_in_a_file_name_the_spreadsheet_row(tmp_path):
    frame = pd.read_csv(SAMPLE / "records.csv", dtype=str)
    frame.loc[3, "3.4"] = "4"
    path = tmp_path / "records.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InvalidPointsError) as err:
        grade_agencies(path)
    assert "第 5 行" in str(err.value) and "北辰标准化服务中心" in str(err.value)


def test_missing_columns_and_duplicate_rows_are_refused():
    row = record("甲", 30, 40, 25)
    del row["2.6e"], row["veto_fees"]
    with pytest.raises(RecordsError, match="2.6e") as err:
        grade_agencies(pd.DataFrame([row]))
    assert "veto_fees" in str(err.value)
    twice = pd.DataFrame([record("甲", 30, 40, 25), record("甲", 28, 37, 25)])
    with pytest.raises(RecordsError, match="多行"):
        grade_agencies(twice)


SAMPLE_GRADES = [2, 1, 1, 2, 2, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4]


def test_sample_records_are_graded_as_worked_out_by_hand():
    graded = grade_agencies(SAMPLE / "records.csv")
    assert graded["grade"].tolist() == SAMPLE_GRADES
    assert graded["total"].tolist() == [88, 95, 90, 89, 87, 80, 70, 65, 75, 79, 60, 95, 74, 90, 86, 69]
    assert graded.attrs["rubric"] == "seed003" and len(graded.attrs["rubric_sha256"]) == 64


def test_excel_and_yaml_records_grade_like_the_csv(tmp_path):
    frame = pd.read_csv(SAMPLE / "records.csv", dtype=str, keep_default_na=False)
    xlsx = tmp_path / "records.xlsx"
    frame.to_excel(xlsx, index=False)
    records = frame.to_dict(orient="records")
    for r in records:
        for k in list(r):
            if k[0].isdigit():
                r[k] = int(r[k])
            elif k.startswith("veto_"):
                r[k] = r[k] == "true"
    yml = tmp_path / "records.yaml"
    yml.write_text(yaml.safe_dump({"records": records}, allow_unicode=True), encoding="utf-8")
    expected = grade_agencies(SAMPLE / "records.csv")
    for source in (xlsx, yml):
        got = grade_agencies(source)
        pd.testing.assert_frame_equal(got[["agency", "year", "total", "grade", "lacks_zh"]],
                                      expected[["agency", "year", "total", "grade", "lacks_zh"]])


def test_many_agencies_at_once_match_one_at_a_time():
    sample = pd.read_csv(SAMPLE / "records.csv", dtype=str, keep_default_na=False)
    many = pd.concat([sample.assign(agency=sample["agency"] + f"-{k}") for k in range(200)], ignore_index=True)
    graded = grade_agencies(many)
    assert len(graded) == 3200
    assert graded["grade"].tolist() == SAMPLE_GRADES * 200


def test_english_texts():
    row = grade_one(30, 33, 12)
    vetoed = grade_one(30, 40, 25, vetoes=("veto_fees",))
    assert row["grade_name_en"] == "grade 4"
    assert row["lacks_en"] == "core indicators short by 2 points"
    assert row["decided_by_en"] == "below grade 3: core indicators 33 < 35"
    assert vetoed["vetoes_en"] == "veto 3: fees charged to enterprises during the evaluation"
    assert vetoed["lacks_en"] == "the veto must be cleared first"


def test_the_result_is_the_same_whatever_the_language():
    set_language("zh")
    zh = grade_agencies(SAMPLE / "records.csv")
    set_language("en")
    try:
        en = grade_agencies(SAMPLE / "records.csv")
        assert get_language() == "en"
    finally:
        set_language("zh")
    pd.testing.assert_frame_equal(zh, en)
    for name in ("grade_name", "decided_by", "vetoes", "lacks", "consequence"):
        assert {f"{name}_zh", f"{name}_en"} <= set(zh.columns)
    # 嘉禾标准促进会 2023 (row 8): core 33, 四级
    assert (zh.loc[8, "lacks_zh"], zh.loc[8, "lacks_en"]) == ("核心指标差 2 分", "core indicators short by 2 points")
    assert pick(zh, "grade_name", "en").tolist()[:3] == ["grade 2", "grade 1", "grade 1"]
    assert pick(zh, "grade_name", "zh").tolist()[:3] == ["二级", "一级", "一级"]


# --- points from facts ---------------------------------------------------------------------------
def facts_frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"agency": [f"机构{k}" for k in range(n)], "year": [2023] * n, **columns})


def test_trainings_give_3_1_points():
    got = score_facts(facts_frame(trainings=[0, 1, 2, 3, 7]))
    assert got["3.1"].tolist() == [0, 3, 3, 5, 5]
    assert got["3.1_option"].tolist() == ["c", "b", "b", "a", "a"]


def test_registered_products_give_3_4_points_with_inclusive_bounds():
    got = score_facts(facts_frame(products_registered=[0, 1, 49, 50, 51, 99, 100, 101]))
    assert got["3.4"].tolist() == [0, 2, 2, 3, 3, 3, 5, 5]


def test_group_standards_give_2_3_points():
    got = score_facts(facts_frame(group_standards_led=[0, 0, 0, 1, 2, 3, 5],
                                  group_standards_participated=[0, 1, 4, 0, 9, 0, 0]))
    assert got["2.3"].tolist() == [0, 3, 3, 7, 7, 10, 10]


def test_published_lists_give_2_4_points_and_gaps_score_zero():
    got = score_facts(facts_frame(rankings_published=[3, 2, 1, 0, 0, 1, 2],
                                  leader_lists_published=[1, 1, 1, 1, 0, 0, 2]))
    assert got["2.4"].tolist() == [10, 10, 7, 3, 0, 0, 0]
    assert got["2.4_option"].tolist() == ["a", "a", "b", "c", "d", "", ""]


def test_certifications_and_brand_evaluations():
    got = score_facts(facts_frame(certifications_led=[3, 2, 1, 0, 2, 1], certifications_cooperated=[0, 1, 1, 0, 0, 2],
                                  brand_evaluations=[2, 1, 0, 5, 1, 0]))
    assert got["3.3"].tolist() == [5, 3, 2, 0, 0, 0]
    assert got["3.5"].tolist() == [5, 3, 0, 5, 3, 0]
    assert "2.3" not in got.columns


def test_sample_facts_agree_with_the_sample_records():
    derived = score_facts(SAMPLE / "facts.csv")
    records = pd.read_csv(SAMPLE / "records.csv", dtype=str)
    for item in ("2.3", "2.4", "3.1", "3.3", "3.4", "3.5"):
        assert derived[item].tolist() == records[item].astype(int).tolist(), item


@pytest.mark.parametrize("value", [-1, 1.5, None, "三"])
def test_bad_counts_are_refused(value):
    frame = facts_frame(trainings=[2, value])
    with pytest.raises(RecordsError) as err:
        score_facts(frame)
    assert "trainings" in str(err.value) and "机构1" in str(err.value)


def test_partial_fact_columns_of_an_item_are_refused():
    with pytest.raises(RecordsError, match="group_standards_participated"):
        score_facts(facts_frame(group_standards_led=[1]))
    with pytest.raises(RecordsError, match="trainings"):
        score_facts(facts_frame(unrelated=[1]))
