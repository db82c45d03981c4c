"""Agencies over the years (003 二(二)4; 001 二3, 三(四)): grade consequences recorded in the round register and
acted on the following years, the veto "two years without lists" derived from the register's history, the
annual summary due at year end, the standing of every agency, and the title register's disqualifications
read by the round register (and, through `agency_barred`, by `validate`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from leaderkit.agencies.grading import grade_agencies, score_facts
from leaderkit.agencies.history import (
    CONSEQUENCES,
    no_list_two_years,
    published_lists,
    record_grades,
    register_facts,
    standing,
    summary_points,
    with_register_vetoes,
)
from leaderkit.cli import main
from leaderkit.registers.rounds import RoundError, RoundRegister, agency_barred, summary_due
from leaderkit.registers.titles import TitleRegister

RECORDS = Path(__file__).resolve().parents[1] / "sample_data" / "agencies" / "records.csv"
WASH, RICE = "洗涤机械", "电饭锅"


@pytest.fixture
def reg():
    with RoundRegister(":memory:", programme="national") as register:
        for year in (2022, 2023, 2024, 2025, 2026):
            register.call(year, [WASH, RICE], on=f"{year}-03-01")
        yield register


def approve(reg, agency: str, year: int, domain: str, **kw) -> str:
    scheme = f"{agency}-{year}-{domain}"
    reg.submit_scheme(scheme, agency, year, domain, on=f"{year}-04-01")
    reg.approve_scheme(scheme, on=f"{year}-05-01", **kw)
    return scheme


def publish_list(reg, year: int, domain: str, agency: str | None = None, window_id: str | None = None) -> str:
    """The scheme window (once per year and domain) and a list window, both published."""
    sid = f"{year}/{domain}/scheme"
    if sid not in set(reg.windows(f"{year}-12-31")["window_id"]):
        reg.open_window("scheme", year, domain, f"{year}-09-01", f"{year}-09-14")
        reg.publish(sid, on=f"{year}-09-15")
    wid = reg.open_window("list", year, domain, f"{year}-12-01", f"{year}-12-14", window_id=window_id, agency=agency)
    reg.publish(wid, on=f"{year}-12-15")
    return wid


def records(*agencies: str, year: int = 2023) -> pd.DataFrame:
    df = pd.read_csv(RECORDS)
    return df[df["agency"].isin(agencies) & (df["year"] == year)].reset_index(drop=True)


# --- grade consequences (003 二(二)4) -----------------------------------------------------------------
def test_the_consequences_follow_document_003():
    assert {g: (c.exempt_years, c.rectification, c.joins_next) for g, c in CONSEQUENCES.items()} == {
        1: (2, False, True), 2: (1, False, True), 3: (0, False, True), 4: (0, True, False)}


def test_grade_1_exempts_the_two_following_years_in_its_domains(reg):
    approve(reg, "华衡标准评价中心", 2023, WASH)
    graded = grade_agencies(records("华衡标准评价中心"))
    assert graded["grade"].tolist() == [1]
    [event] = record_grades(reg, graded, on="2024-01-15")
    g = reg.grades().iloc[0]
    assert (g["event_id"], g["agency"], g["year"], g["grade"], g["grade_name"], g["exempt_years"], bool(g["rectify"])) \
        == (event, "华衡标准评价中心", 2023, 1, "一级", 2, False)
    assert g["rubric"].startswith("seed003 ")
    approve(reg, "华衡标准评价中心", 2024, WASH, without_review=True)
    approve(reg, "华衡标准评价中心", 2025, WASH, without_review=True)
    with pytest.raises(RoundError, match="不能免于评审"):
        approve(reg, "华衡标准评价中心", 2026, WASH, without_review=True)
    with pytest.raises(RoundError, match="不能免于评审"):  # another domain is not "相关领域"
        approve(reg, "华衡标准评价中心", 2024, RICE, without_review=True)
    s = reg.schemes().set_index("scheme")
    assert s.loc["华衡标准评价中心-2024-洗涤机械", "review"] == "without_review"
    assert s.loc["华衡标准评价中心-2023-洗涤机械", "review"] == "panel"
    assert pd.isna(s.loc["华衡标准评价中心-2026-洗涤机械", "approved"])
    opinion = reg.events().query("kind == 'scheme_approved' and ref == '华衡标准评价中心-2024-洗涤机械'").iloc[0]
    assert opinion["refers_to"] == event and "2023 年度评为一级" in opinion["opinion"]
    with pytest.raises(RoundError, match="已登记"):
        record_grades(reg, graded, on="2024-01-16")


def test_grade_2_exempts_the_next_year_and_a_later_grade_governs(reg):
    approve(reg, "北辰标准化服务中心", 2023, RICE)
    record_grades(reg, grade_agencies(records("北辰标准化服务中心")), on="2024-01-15")  # 二级
    assert reg.exemption("北辰标准化服务中心", RICE, 2024)["grade_name"] == "二级"
    assert reg.exemption("北辰标准化服务中心", RICE, 2025) is None
    # a 一级 for 2023, then 三级 for 2024: the later grade ends the exemption of 2025
    approve(reg, "东岳质量技术研究院", 2023, WASH)
    reg.record_grade("东岳质量技术研究院", 2023, 1, "2024-01-15", name="一级", exempt_years=2)
    approve(reg, "东岳质量技术研究院", 2024, WASH, without_review=True)
    assert reg.exemption("东岳质量技术研究院", WASH, 2025)["year"] == 2023
    reg.record_grade("东岳质量技术研究院", 2024, 3, "2025-01-15", name="三级")
    assert reg.exemption("东岳质量技术研究院", WASH, 2025) is None


def test_grade_4_orders_a_rectification_verified_before_the_next_selection(reg):
    approve(reg, "蓝海品质评价中心", 2023, RICE)
    graded = grade_agencies(records("蓝海品质评价中心"))
    assert graded["grade"].tolist() == [4]
    record_grades(reg, graded, on="2024-01-15")
    assert reg.grades().iloc[0]["rectification"] == "open"
    with pytest.raises(RoundError, match="限期整改") as refused:
        reg.submit_scheme("LH-2024", "蓝海品质评价中心", 2024, RICE, on="2024-04-01")
    assert "verify_rectification" in str(refused.value.hint.both())
    items = reg.pending(on="2024-02-01").set_index("item")
    assert items.loc["rectification", "id"] == "蓝海品质评价中心/2023"
    assert not standing(reg, 2024, on="2024-02-01").set_index("agency").loc["蓝海品质评价中心", "may_submit"]
    reg.verify_rectification("蓝海品质评价中心", 2023, on="2024-03-01", outcome="failed", opinion="整改材料不完整")
    with pytest.raises(RoundError, match="限期整改"):
        reg.submit_scheme("LH-2024", "蓝海品质评价中心", 2024, RICE, on="2024-04-01")
    with pytest.raises(RoundError, match="没有须整改"):
        reg.verify_rectification("蓝海品质评价中心", 2022, on="2024-03-01", outcome="passed", opinion="x")
    reg.verify_rectification("蓝海品质评价中心", 2023, on="2024-03-20", outcome="passed", opinion="整改到位")
    with pytest.raises(RoundError, match="限期整改"):  # the verification comes after this submission date
        reg.submit_scheme("LH-2024", "蓝海品质评价中心", 2024, RICE, on="2024-03-19")
    reg.submit_scheme("LH-2024", "蓝海品质评价中心", 2024, RICE, on="2024-04-01")
    with pytest.raises(RoundError, match="已验证通过"):
        reg.verify_rectification("蓝海品质评价中心", 2023, on="2024-04-02", outcome="passed", opinion="再次")
    assert reg.grades().iloc[0][["rectification", "verified"]].tolist() == ["passed", date(2024, 3, 20)]
    assert "rectification" not in set(reg.pending(on="2024-04-01")["item"])


# --- veto 2 "连续两年没有发布" from the register's history ----------------------------------------------
def test_two_years_without_lists_is_derived_from_the_register(reg):
    for year in (2022, 2023):
        approve(reg, "东岳质量技术研究院", year, WASH)
        approve(reg, "北辰标准化服务中心", year, RICE)
    approve(reg, "南屿检测认证有限公司", 2023, WASH)
    publish_list(reg, 2022, WASH, agency="东岳质量技术研究院")
    veto = no_list_two_years(reg, 2023, on="2024-01-15").set_index("agency")
    cols = ["lists", "approved_before", "lists_before", "veto"]
    assert veto.loc["北辰标准化服务中心", cols].tolist() == [0, True, 0, True]
    assert veto.loc["东岳质量技术研究院", cols].tolist() == [0, True, 1, False]
    assert not veto.loc["南屿检测认证有限公司", "approved_before"]  # new in 2023: it cannot have two years
    assert not veto.loc["南屿检测认证有限公司", "veto"]
    # 北辰's 2022 list is published late, in June 2023: it counts from that day on
    reg.open_window("scheme", 2022, RICE, "2022-09-01", "2022-09-14")
    reg.publish(f"2022/{RICE}/scheme", on="2022-09-15")
    late = reg.open_window("list", 2022, RICE, "2023-06-01", "2023-06-14")
    reg.publish(late, on="2023-06-20")
    assert no_list_two_years(reg, 2023, on="2023-06-19").set_index("agency").loc["北辰标准化服务中心", "veto"]
    assert not no_list_two_years(reg, 2023, on="2023-06-20").set_index("agency").loc["北辰标准化服务中心", "veto"]


def test_the_register_adds_veto_2_and_never_clears_one_entered_by_hand(reg):
    for year in (2022, 2023):
        approve(reg, "北辰标准化服务中心", year, RICE)
        approve(reg, "晨曦质量发展中心", year, WASH)
        publish_list(reg, year, WASH, agency="晨曦质量发展中心")
    given = records("北辰标准化服务中心", "晨曦质量发展中心", "东岳质量技术研究院")
    assert given.set_index("agency")["veto_no_list_two_years"].astype(str).tolist() == ["False", "False", "True"]
    before = given.copy()
    marked = with_register_vetoes(given, reg, on="2024-01-15")
    pd.testing.assert_frame_equal(given, before)  # the input is not changed
    graded = grade_agencies(marked).set_index("agency")
    assert graded.loc["北辰标准化服务中心", "grade"] == 4  # 二级 on its scores, vetoed by the register
    assert graded.loc["北辰标准化服务中心", "veto_ids"] == "veto_no_list_two_years"
    assert "连续两年" in graded.loc["北辰标准化服务中心", "vetoes_zh"]
    assert graded.loc["晨曦质量发展中心", "grade"] == 4  # the hand-entered veto stays although it published lists
    assert graded.loc["东岳质量技术研究院", "grade"] == 1  # not in the register: untouched
    assert grade_agencies(given).set_index("agency").loc["北辰标准化服务中心", "grade"] == 2


def test_a_list_window_is_credited_to_its_agency(reg):
    approve(reg, "东岳质量技术研究院", 2023, WASH)
    approve(reg, "南屿检测认证有限公司", 2023, WASH)
    approve(reg, "北辰标准化服务中心", 2023, RICE)
    with pytest.raises(RoundError, match="没有通过评审的方案"):
        publish_list(reg, 2023, WASH, agency="北辰标准化服务中心")
    named = publish_list(reg, 2023, WASH, agency="南屿检测认证有限公司", window_id="2023/洗涤机械/list/南屿")
    shared = publish_list(reg, 2023, WASH, window_id="2023/洗涤机械/list/共同")
    alone = publish_list(reg, 2023, RICE)  # the one agency approved there
    got = published_lists(reg, on="2023-12-31")
    assert set(map(tuple, got[["window_id", "agency", "credited"]].values.tolist())) == {
        (alone, "北辰标准化服务中心", "named"),
        (shared, "东岳质量技术研究院", "domain"), (shared, "南屿检测认证有限公司", "domain"),
        (named, "南屿检测认证有限公司", "named")}
    assert len(got) == 4
    facts = register_facts(reg, 2023, on="2023-12-31").set_index("agency")
    assert facts.loc["南屿检测认证有限公司", ["rankings_published", "leader_lists_published"]].tolist() == [2, 2]
    assert facts.loc["北辰标准化服务中心", "rankings_published"] == 1


def test_register_facts_give_item_2_4(reg):
    approve(reg, "北辰标准化服务中心", 2023, RICE)
    approve(reg, "东岳质量技术研究院", 2023, WASH)
    publish_list(reg, 2023, RICE)
    points = score_facts(register_facts(reg, 2023, on="2024-01-15")).set_index("agency")
    assert points.loc["北辰标准化服务中心", "2.4"] == 7  # one ranking list and one leader list: 2.4 b)
    assert points.loc["东岳质量技术研究院", "2.4"] == 0  # none: 2.4 d)


# --- the annual summary (001 二3; 003 1.6) -------------------------------------------------------------
def test_the_annual_summary_is_due_by_31_december(reg):
    approve(reg, "北辰标准化服务中心", 2023, RICE)
    approve(reg, "东岳质量技术研究院", 2023, WASH)
    approve(reg, "南屿检测认证有限公司", 2023, WASH)
    assert summary_due(2023) == date(2023, 12, 31)
    assert "summary" not in set(reg.pending(on="2023-12-20", within_days=10)["item"])
    due = reg.pending(on="2023-12-22", within_days=10)
    assert sorted(due.loc[due["item"] == "summary", "id"]) == [
        "东岳质量技术研究院/2023", "北辰标准化服务中心/2023", "南屿检测认证有限公司/2023"]
    reg.submit_summary("北辰标准化服务中心", 2023, on="2023-12-28", covers=["a", "b", "c", "d", "e"])
    reg.submit_summary("东岳质量技术研究院", 2023, on="2024-01-05", covers=["a", "c)"])
    with pytest.raises(RoundError, match="已登记"):
        reg.submit_summary("北辰标准化服务中心", 2023, on="2023-12-29")
    with pytest.raises(RoundError, match="无须提交"):
        reg.submit_summary("北辰标准化服务中心", 2022, on="2022-12-29")
    with pytest.raises(RoundError, match="未知的总结内容 f"):
        reg.submit_summary("南屿检测认证有限公司", 2023, on="2023-12-29", covers=["a", "f"])
    s = reg.summaries().set_index("agency")
    assert s.loc["北辰标准化服务中心", ["submitted", "on_time"]].tolist() == [date(2023, 12, 28), True]
    assert s.loc["东岳质量技术研究院", ["submitted", "on_time", "covers"]].tolist() == [date(2024, 1, 5), False, ["a", "c"]]
    overdue = reg.pending(on="2024-01-10").set_index("item")
    assert overdue.loc["summary", "id"] == "南屿检测认证有限公司/2023" and "逾期" in overdue.loc["summary", "what"]
    points = summary_points(reg, 2023, on="2024-01-10").set_index("agency")
    cols = ["1.6a", "1.6b", "1.6c", "1.6d", "1.6e"]
    assert points.loc["北辰标准化服务中心", cols].tolist() == [1, 1, 1, 1, 1]
    assert points.loc["东岳质量技术研究院", cols].tolist() == [1, 0, 1, 0, 0]
    assert points.loc["南屿检测认证有限公司", cols].tolist() == [0, 0, 0, 0, 0]
    assert summary_points(reg, 2023, on="2024-01-04").set_index("agency").loc["东岳质量技术研究院", cols].sum() == 0


# --- the title register's disqualifications (001 三(四); 003 四级) -------------------------------------------
@pytest.mark.parametrize(("day", "barred"), [("2023-03-15", True), ("2026-03-15", True), ("2026-03-16", False),
                                              ("2023-03-14", False)])
def test_agency_barred_agrees_with_the_title_register_on_the_last_day(day, barred):
    with TitleRegister(":memory:") as titles:
        titles.disqualify_agency("华标洗涤装备评价中心", "fees", on="2023-03-15")
        got = agency_barred(titles, "华标洗涤装备评价中心", day)
        assert (len(got) == 1) is barred is titles.is_barred(agency="华标洗涤装备评价中心", on=day)
        if barred:
            row = got.iloc[0]
            assert (row["since"], row["barred_until"], row["reason"], bool(row["negative_list"])) == (
                date(2023, 3, 15), date(2026, 3, 15), "fees", True)
            assert "2026-03-15（含当日）" in row["message_zh"] and "违规收费" in row["message_zh"]
            assert "through 2026-03-15" in row["message_en"]


def test_agency_barred_matches_a_unit_and_its_parts_and_submission_is_refused(reg):
    with TitleRegister(":memory:") as titles:
        titles.disqualify_agency("东岳家电标准技术研究院", "violation", on="2024-02-01")
        titles.disqualify_agency("北辰标准化服务中心", "other", on="2020-01-01")  # ended 2023-01-01
        assert len(agency_barred(titles, "东岳家电标准技术研究院 检测所", "2024-06-01")) == 1
        assert len(agency_barred(titles, "东岳家电标准技术研究院", "2024-06-01")) == 1
        assert agency_barred(titles, "南屿检测认证有限公司", "2024-06-01").empty
        assert agency_barred(titles, "北辰标准化服务中心", "2024-06-01").empty
        with pytest.raises(RoundError, match="被取消评估机构资格") as refused:
            reg.submit_scheme("DY-2024", "东岳家电标准技术研究院检测所", 2024, WASH, on="2024-04-01", titles=titles)
        assert "2027-02-01" in str(refused.value)
        reg.submit_scheme("BC-2024", "北辰标准化服务中心", 2024, RICE, on="2024-04-01", titles=titles)
        table = standing(reg, 2024, titles=titles, on="2024-06-01").set_index("agency")
        assert table.loc["北辰标准化服务中心", "may_submit"] and table.loc["北辰标准化服务中心", "status_zh"] == \
            "无评价记录：方案须评审"
    assert reg.schemes()["scheme"].tolist() == ["BC-2024"]


def test_standing_says_who_may_submit_and_who_is_exempt(reg):
    approve(reg, "华衡标准评价中心", 2023, WASH)
    approve(reg, "启明标准技术协会", 2023, RICE)
    approve(reg, "蓝海品质评价中心", 2023, RICE)
    record_grades(reg, grade_agencies(records("华衡标准评价中心", "启明标准技术协会", "蓝海品质评价中心")),
                  on="2024-01-15")
    with TitleRegister(":memory:") as titles:
        titles.disqualify_agency("启明标准技术协会", "favouritism", on="2024-02-01")
        table = standing(reg, 2024, titles=titles, on="2024-03-01").set_index("agency")
    assert table.loc["华衡标准评价中心", ["grade", "exempt", "exempt_domains", "may_submit"]].tolist() == [
        1, True, [WASH], True]
    assert "免于方案重新评审" in table.loc["华衡标准评价中心", "status_zh"]
    assert table.loc["启明标准技术协会", "barred_until"] == date(2027, 2, 1)
    assert not table.loc["启明标准技术协会", "may_submit"]
    assert table.loc["蓝海品质评价中心", ["grade", "rectification", "may_submit"]].tolist() == [4, "open", False]
    assert "rectification not verified" in table.loc["蓝海品质评价中心", "status_en"]


# --- storage ------------------------------------------------------------------------------------------
def test_a_register_made_before_the_agency_tables_gets_them_when_opened(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE round_meta (programme VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT "
                "current_timestamp); INSERT INTO round_meta (programme) VALUES ('national');"
                "CREATE SEQUENCE round_event_seq START 1; CREATE TABLE round_events (event_id BIGINT PRIMARY KEY "
                "DEFAULT nextval('round_event_seq'), kind VARCHAR NOT NULL, year INTEGER, domain VARCHAR, ref VARCHAR, "
                "refers_to BIGINT, stage VARCHAR, party VARCHAR, on_date DATE NOT NULL, until_date DATE, about VARCHAR, "
                "opinion VARCHAR, outcome VARCHAR, title_id VARCHAR, product VARCHAR, standard VARCHAR, indicator "
                "VARCHAR, declared VARCHAR, measured VARCHAR, reason VARCHAR, title_event BIGINT, note VARCHAR, "
                "recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp);")
    con.close()
    with RoundRegister(path) as reg:
        reg.call(2023, [WASH], on="2023-03-01")
        approve(reg, "北辰标准化服务中心", 2023, WASH)
        grade = reg.record_grade("北辰标准化服务中心", 2023, 2, "2024-01-15", name="二级", exempt_years=1)
        expert = reg.add_expert("E1", "王伟", "中国轻工业联合会", on="2023-01-01")
        ids = reg.events()["event_id"].tolist()
    assert grade not in ids and expert not in ids and grade != expert  # one sequence: ids name one event
    with RoundRegister(path) as reg:
        assert reg.grades()["grade_name"].tolist() == ["二级"] and reg.experts("2023-06-01")["name"].tolist() == ["王伟"]


# --- the command line ---------------------------------------------------------------------------------
def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_grades_with_the_register_and_acts_on_the_consequences(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    with RoundRegister(db, programme="national", create=True) as reg:
        for year in (2022, 2023, 2024):
            reg.call(year, [WASH, RICE], on=f"{year}-03-01")
        for year in (2022, 2023):
            approve(reg, "北辰标准化服务中心", year, RICE)
        approve(reg, "华衡标准评价中心", 2023, WASH)
    rec = tmp_path / "records.csv"
    records("北辰标准化服务中心", "华衡标准评价中心").to_csv(rec, index=False)
    before = rec.read_bytes()
    code, out, _ = run(capsys, "round", "grade", db, rec, "--on", "2024-01-15")
    assert code == 0 and "四级" in out and "一级" in out and "已登记 2 条评价结果" in out
    assert rec.read_bytes() == before
    code, out, _ = run(capsys, "round", "standing", db, "--year", 2024, "--on", "2024-02-01")
    assert code == 0 and "整改尚未验证通过" in out and "免于方案重新评审" in out
    code, _, err = run(capsys, "round", "scheme", db, "BC-2024", "--agency", "北辰标准化服务中心", "--year", 2024,
                       "--domain", RICE, "--on", "2024-04-01")
    assert code == 2 and "限期整改" in err and "Traceback" not in err
    assert run(capsys, "round", "rectified", db, "--agency", "北辰标准化服务中心", "--year", 2023, "--on", "2024-03-01",
               "--outcome", "passed", "--opinion", "整改到位")[0] == 0
    assert run(capsys, "round", "scheme", db, "BC-2024", "--agency", "北辰标准化服务中心", "--year", 2024,
               "--domain", RICE, "--on", "2024-04-01")[0] == 0
    run(capsys, "round", "scheme", db, "HH-2024", "--agency", "华衡标准评价中心", "--year", 2024, "--domain", WASH,
        "--on", "2024-04-01")
    code, out, _ = run(capsys, "round", "approve", db, "HH-2024", "--on", "2024-04-10", "--without-review")
    assert code == 0 and "免于重新评审" in out
    code, _, err = run(capsys, "round", "approve", db, "BC-2024", "--on", "2024-04-10", "--without-review")
    assert code == 2 and "不能免于评审" in err
    code, out, _ = run(capsys, "round", "summary", db, "--agency", "华衡标准评价中心", "--year", 2023, "--on",
                       "2024-01-03", "--covers", "a", "--covers", "b")
    assert code == 0 and "逾期" in out
    code, _, err = run(capsys, "round", "grade", db, rec, "--on", "2024-01-16")
    assert code == 2 and "已登记" in err
