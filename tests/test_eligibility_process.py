"""Eligibility the data can support (issue 13 §4): a current standard, declared by the programme's deadline,
public for the programme's time counted in calendar months (or days), the enterprise's consent where the
programme asks for it, a change notified within 5 working days; each check, when the data cannot support
it, a note that names it."""

from datetime import date, timedelta

import pandas as pd
import pytest

from leaderkit import load_standards, rank
from leaderkit.schemes.model import Scheme
from leaderkit.schemes.programs import ProgramError, load_program
from leaderkit.schemes.workdays import publicity_end

OLD = "2022-01-10"  # public long before every list date used here

SCHEME = """
id: T-13
title: 入围资格测试方案
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
    weight: 1
ranking: {method: weighted, normalise: minmax, aggregate: amean, weights: declared, imputation: none}
leader_rule: {top_n: 1, tie_rule: include_all}
"""


def scheme() -> Scheme:
    return Scheme.loads(SCHEME)


def standards(rows: list[dict]) -> pd.DataFrame:
    """One row per standard: id and whatever else is given (published defaults to OLD)."""
    out = []
    for i, row in enumerate(rows):
        out.append({"standard_id": row["id"], "enterprise": f"企业{i}", "domain": "洗衣机", "region": "浙江省",
                    "indicator": "耗电量", "requirement": f"≤ {1 + i / 10:.1f}", "mass_produced": "是",
                    **({"published": OLD} if "published" not in row else {}),
                    **{k: v for k, v in row.items() if k != "id"}})
    return load_standards(pd.DataFrame(out))


def reasons(result) -> dict[str, list[str]]:
    out = {sid: [] for sid in result.table["standard_id"]}
    out.update(result.excluded.set_index("standard_id")["reasons"].to_dict())
    return out


def texts(result, lang="zh") -> dict[str, str]:
    return result.table.set_index("standard_id")[f"reasons_{lang}"].to_dict()


def notes(result) -> str:
    return "\n".join(f"{n.zh} | {n.en}" for n in result.notes)


# ---- status: current or abolished (004 二; 001 三(三)) ----------------------------------------------------


def test_an_abolished_standard_is_excluded_with_its_reason():
    data = standards([
        {"id": "CUR", "status": "现行"},
        {"id": "GONE", "status": "废止"},
        {"id": "DATED", "status": "现行", "abolished": "2023-06-01"},  # the date decides: abolished before the list
        {"id": "LATER", "status": "废止", "abolished": "2024-03-01"},  # abolished after the list date: current on it
        {"id": "BLANK", "status": None},
    ])
    r = rank(scheme(), data, on=date(2023, 12, 31))
    got = reasons(r)
    assert got["CUR"] == [] and got["LATER"] == []
    assert got["GONE"] == ["abolished"] and got["DATED"] == ["abolished"]
    assert got["BLANK"] == ["status_unknown"]
    assert texts(r)["GONE"] == "标准已废止"
    assert texts(r)["DATED"] == "标准已废止（废止于 2023-06-01）"
    assert texts(r, "en")["DATED"] == "standard abolished (abolished on 2023-06-01)"
    assert set(r.table.loc[r.table["eligible"], "standard_id"]) == {"CUR", "LATER"}


def test_status_headers_in_chinese_and_a_bad_status_word():
    raw = pd.DataFrame({"标准编号": ["Q/A 1", "Q/A 2"], "领域": "洗衣机", "指标名称": "耗电量",
                        "指标要求": ["≤ 1", "≤ 2"], "公开日期": OLD, "是否量产": "是", "标准状态": ["现行", "废止"],
                        "废止日期": [None, "2023年5月1日"]})
    data = load_standards(raw)
    assert data["status"].tolist() == ["current", "abolished"]
    assert data["abolished"].tolist()[1] == date(2023, 5, 1)
    r = rank(scheme(), data, on=date(2023, 12, 31))
    assert reasons(r) == {"Q/A 1": [], "Q/A 2": ["abolished"]}
    bad = raw.assign(标准状态=["现行", "暂停"])
    with pytest.warns(UserWarning):
        loaded = load_standards(bad, on_bad_rows="report")
    assert loaded["standard_id"].tolist() == ["Q/A 1"]
    problem = loaded.attrs["problems"][0]
    assert problem["row"] == 3 and problem["column"] == "status"


# ---- declared by the programme's deadline (000 附件2 一) --------------------------------------------------


def test_declared_after_the_deadline_is_excluded():
    data = standards([{"id": "ON-TIME", "published": "2023-10-31"},  # the deadline day itself (24:00) counts
                      {"id": "AFTER", "published": "2023-11-01"}])
    mofcom = rank(scheme(), data, on=date(2023, 12, 31), program="mofcom-2023")
    assert reasons(mofcom) == {"ON-TIME": [], "AFTER": ["declared_after_deadline"]}
    assert texts(mofcom)["AFTER"] == "声明公开晚于活动截止日（2023-11-01 声明公开，截止 2023-10-31）"
    assert "deadline 2023-10-31" in texts(mofcom, "en")["AFTER"]
    # the national programme sets no deadline: the same standard enters once public for 3 months
    national = rank(scheme(), data, on=date(2024, 2, 1), program="national")
    assert reasons(national) == {"ON-TIME": [], "AFTER": []}


# ---- public time in calendar months (003 编制说明 一(二), 2.6b; Civil Code art. 201–202) -----------------------


@pytest.mark.parametrize(("program", "on", "eligible"), [
    ("national", date(2023, 4, 30), True),    # 2023-01-31 + 3 months = 2023-04-30 (no 31 April): 89 days
    ("national", date(2023, 4, 29), False),
    ("mofcom-2023", date(2023, 2, 28), True),  # + 1 month = 2023-02-28: 28 days are a month here
    ("mofcom-2023", date(2023, 2, 27), False),
])
def test_public_time_counts_calendar_months(program, on, eligible):
    data = standards([{"id": "JAN31", "published": "2023-01-31"}])
    r = rank(scheme(), data, on=on, program=program)
    assert r.table["eligible"].tolist() == [eligible]
    if not eligible:
        months = 3 if program == "national" else 1
        met = "2023-04-30" if program == "national" else "2023-02-28"
        days = (on - date(2023, 1, 31)).days
        assert reasons(r)["JAN31"] == ["not_public_long_enough"]
        assert texts(r)["JAN31"] == f"公开时间不足（公开 {days} 日，要求满 {months} 个月，{met} 起满足）"


def test_a_programme_that_counts_days_keeps_days(tmp_path):
    path = tmp_path / "days.yaml"
    path.write_text("name: days-90\ntitle: 以天计\nextends: national\ndocuments: [某通知]\nmin_public_days: 90\n"
                    "sources: {min_public_days: 某通知 第二条（公开满90日）}\n", encoding="utf-8")
    days = load_program(path)
    assert days.min_public_months is None and days.min_public_days == 90
    assert days.public_time_met(date(2023, 1, 31)) == date(2023, 5, 1)
    data = standards([{"id": "JAN31", "published": "2023-01-31"}])
    short = rank(scheme(), data, on=date(2023, 4, 30), program=path)
    assert texts(short)["JAN31"] == "公开时间不足（公开 89 日，要求 ≥ 90 日）"
    assert rank(scheme(), data, on=date(2023, 5, 1), program=path).table["eligible"].tolist() == [True]


def test_the_minimum_public_time_is_stated_once(tmp_path):
    national = load_program("national")
    assert national.min_public_months == 3 and national.public_time_met(date(2023, 1, 31)) == date(2023, 4, 30)
    assert national.public_time_met(date(2023, 11, 30)) == date(2024, 2, 29)
    assert "3个月" in national.source("min_public_months")
    two = tmp_path / "two.yaml"
    two.write_text("name: two\ntitle: 两个月\nextends: mofcom-2023\ndocuments: [某通知]\nmin_public_months: 2\n"
                   "sources: {min_public_months: 某通知}\n", encoding="utf-8")
    prog = load_program(two)
    assert (prog.min_public_months, prog.min_public_days) == (2, 60)  # days derived for the day-counting checks
    both = tmp_path / "both.yaml"
    both.write_text("name: both\ntitle: 两者\nextends: national\ndocuments: [某通知]\nmin_public_months: 3\n"
                    "min_public_days: 91\nsources: {min_public_months: 某通知}\n", encoding="utf-8")
    with pytest.raises(ProgramError, match="min_public_months"):
        load_program(both)


# ---- the enterprise's consent (004 三6) ------------------------------------------------------------------


def test_consent_is_required_only_where_the_programme_requires_it():
    data = standards([{"id": "YES", "consent": "是"}, {"id": "NO", "consent": "否"}, {"id": "NONE", "consent": None}])
    jincheng = rank(scheme(), data, on=date(2023, 12, 31), program="jincheng-2021")
    assert reasons(jincheng) == {"YES": [], "NO": ["no_consent"], "NONE": ["no_consent"]}
    assert texts(jincheng)["NO"] == "入榜企业未表示同意（不同意）"
    assert texts(jincheng)["NONE"] == "入榜企业未表示同意（未记录）"
    national = rank(scheme(), data, on=date(2023, 12, 31), program="national")
    assert reasons(national) == {"YES": [], "NO": [], "NONE": []}
    assert "同意" not in notes(national)


def test_consent_header_in_chinese():
    raw = pd.DataFrame({"标准编号": ["Q/A 1", "Q/A 2", "Q/A 3", "Q/A 4"], "领域": "洗衣机", "指标名称": "耗电量",
                        "指标要求": ["≤ 1", "≤ 2", "≤ 1", "≤ 2"], "公开日期": OLD, "是否量产": "是",
                        "企业同意": ["是", "否", "同意", "不同意"]})
    r = rank(scheme(), load_standards(raw), on=date(2023, 12, 31), program="jincheng-2021")
    assert reasons(r) == {"Q/A 1": [], "Q/A 2": ["no_consent"], "Q/A 3": [], "Q/A 4": ["no_consent"]}


# ---- a change notified within 5 working days (003 2.6e) --------------------------------------------------


def test_a_late_change_notice_is_flagged():
    data = standards([
        {"id": "IN-TIME", "changed": "2023-09-22", "notified": "2023-10-07"},  # Fri; the 5th working day after
        {"id": "LATE", "changed": "2023-09-22", "notified": "2023-10-08"},     # (09-29…10-06 off, 10-07/08 worked)
        {"id": "SILENT", "changed": "2023-11-01", "notified": None},          # due 2023-11-08, nothing by the list
        {"id": "PENDING", "changed": "2023-12-29", "notified": None},         # due 2024-01-08, after the list date
        {"id": "FUTURE", "changed": "2024-01-05", "notified": None},          # after the list date: not judged
        {"id": "NONE", "changed": None, "notified": None},
    ])
    r = rank(scheme(), data, on=date(2023, 12, 31))
    got = reasons(r)
    assert got["LATE"] == ["change_not_notified"] and got["SILENT"] == ["change_not_notified"]
    assert got["IN-TIME"] == got["PENDING"] == got["FUTURE"] == got["NONE"] == []
    assert texts(r)["LATE"] == "标准变更未按时告知评估机构（2023-09-22 变更，告知期限 2023-10-07，告知于 2023-10-08）"
    assert texts(r)["SILENT"].endswith("（2023-11-01 变更，告知期限 2023-11-08，未告知）")
    assert "notice due by 2023-10-07, notified 2023-10-08" in texts(r, "en")["LATE"]


def test_the_notice_deadline_is_the_working_day_count_of_publicity_periods():
    from leaderkit.ranking.entry import notice_deadline

    changes = [date(2023, 9, 22), date(2023, 9, 30), date(2023, 12, 29), date(2024, 2, 8), date(2023, 6, 1)]
    got = notice_deadline(pd.Series(pd.to_datetime(changes + [None])), 5)
    want = [publicity_end(d + timedelta(days=1), 5) for d in changes]  # the day of the change does not count
    assert [d.date() for d in got.iloc[:-1]] == want
    assert pd.isna(got.iloc[-1])
    assert want[:2] == [date(2023, 10, 7), date(2023, 10, 11)]


# ---- each check the data cannot support is a note ------------------------------------------------------


def test_each_check_without_its_columns_is_a_note():
    plain = standards([{"id": "A"}])
    said = notes(rank(scheme(), plain, on=date(2023, 12, 31)))
    assert "未检查标准是否现行有效" in said and "whether a standard is current was not checked" in said
    assert "未检查标准变更是否在 5 个工作日内告知评估机构" in said and "变更日期、告知日期" in said
    assert "同意" not in said and "截止" not in said  # the national programme asks for neither
    only_change = notes(rank(scheme(), standards([{"id": "A", "changed": "2023-05-01"}]), on=date(2023, 12, 31)))
    assert "数据没有告知日期列" in only_change and "no notice date column" in only_change
    consent = notes(rank(scheme(), plain, on=date(2023, 12, 31), program="jincheng-2021"))
    assert "未检查企业同意" in consent and "004 三6" in consent
    undated = load_standards(pd.DataFrame({"standard_id": ["A"], "domain": "洗衣机", "indicator": "耗电量",
                                           "requirement": "≤ 1", "mass_produced": "是"}))
    deadline = notes(rank(scheme(), undated, on=date(2023, 12, 31), program="mofcom-2023"))
    assert "未检查是否不晚于活动截止日 2023-10-31 声明公开" in deadline and "000 附件2 一" in deadline
    # with the columns, the checks are made and nothing is said
    full = standards([{"id": "A", "status": "现行", "consent": "是", "changed": None, "notified": None}])
    checked = rank(scheme(), full, on=date(2023, 12, 31), program="jincheng-2021")
    said = notes(checked)
    assert "未检查标准是否现行有效" not in said and "未检查企业同意" not in said and "变更" not in said
    assert checked.table["eligible"].tolist() == [True]
