"""The round register (评估轮次登记簿): calls, schemes, publicity windows in working days, objections, publication,
complaints, sampling → revocation → ban, notices, append-only and transactional writes, the CLI."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from leaderkit.cli import main
from leaderkit.registers.rounds import RoundError, RoundRegister, conformity
from leaderkit.registers.titles import TitleError, TitleRegister
from leaderkit.schemes.programs import Program, load_program
from leaderkit.schemes.round import award, is_barred, open_window

DOMAIN = "洗涤机械"


@pytest.fixture
def reg():
    with RoundRegister(":memory:", programme="national") as register:
        yield register


@pytest.fixture
def titles():
    with TitleRegister(":memory:") as register:
        yield register


def scheme_published(reg) -> str:
    """A call, a submitted and approved scheme, its window (10 working days from Mon 2023-09-25), published."""
    reg.call(2023, [DOMAIN, "电饭锅"], on="2023-03-01")
    reg.submit_scheme("XDJX-2023-A", "华标洗涤装备评价中心", 2023, DOMAIN, on="2023-04-01")
    reg.approve_scheme("XDJX-2023-A", on="2023-05-10", opinion="五名专家一致通过")
    wid = open_window(reg, "scheme", 2023, DOMAIN, "2023-09-25")
    reg.publish(wid, on="2023-10-13")
    return wid


def title(title_id="T1", enterprise="恒立电器股份有限公司", published="2023-12-18") -> dict:
    return {"title_id": title_id, "standard": "Q/HL 0001-2023", "enterprise": enterprise, "domain": DOMAIN,
            "scheme": "XDJX-2023-A", "agency": "华衡标准评价中心", "published": published,
            "valid_until": "2024-12-17"}


# --- calls and schemes (001 三(一)1–2; 002 四(二)) ----------------------------------------------------
def test_a_scheme_needs_a_call_and_is_approved_once(reg):
    reg.call(2023, [DOMAIN], on="2023-03-01")
    with pytest.raises(RoundError, match="未在 2023-02-01 前征集"):
        reg.submit_scheme("S1", "华标", 2023, DOMAIN, on="2023-02-01")
    with pytest.raises(RoundError, match="未在"):
        reg.submit_scheme("S1", "华标", 2024, DOMAIN, on="2024-04-01")
    reg.submit_scheme("S1", "华标", 2023, DOMAIN, on="2023-04-01")
    reg.approve_scheme("S1", on="2023-05-01")
    with pytest.raises(RoundError, match="已通过评审"):
        reg.approve_scheme("S1", on="2023-05-02")
    schemes = reg.schemes()
    assert schemes[["scheme", "agency", "submitted", "approved"]].values.tolist() == [
        ["S1", "华标", date(2023, 4, 1), date(2023, 5, 1)]]


def test_a_failed_batch_records_nothing(reg):
    reg.call(2023, [DOMAIN], on="2023-03-01")
    with pytest.raises(RoundError, match="整批未登记"):
        reg.call(2023, ["电饭锅", DOMAIN], on="2023-03-02")
    assert reg.events()["domain"].tolist() == [DOMAIN]
    with pytest.raises(RoundError, match="未申报"):
        with reg.batch():
            reg.submit_scheme("S1", "华标", 2023, DOMAIN, on="2023-04-01")
            reg.approve_scheme("S2", on="2023-05-01")
    assert reg.events()["kind"].tolist() == ["call"]
    assert reg.schemes().empty


# --- publicity windows in working days (001 三(一)3, 三(二)5) ----------------------------------------
def test_window_end_counts_working_days_with_the_holidays(reg):
    wid = scheme_published(reg)
    w = reg.windows("2023-10-13").set_index("window_id").loc[wid]
    # Mon 2023-09-25 + 10 working days: National Day 09-29…10-06 is off, the weekend 10-07/10-08 is worked
    assert (w["start"], w["end"], w["status"]) == (date(2023, 9, 25), date(2023, 10, 12), "published")


def test_window_length_comes_from_the_programme(reg):
    reg.call(2023, [DOMAIN], on="2023-03-01")
    reg.submit_scheme("S1", "华标", 2023, DOMAIN, on="2023-04-01")
    reg.approve_scheme("S1", on="2023-05-01")
    short = load_program("national").model_copy(update={"publicity_working_days": 5})
    wid = open_window(reg, "scheme", 2023, DOMAIN, "2023-09-25", short)
    assert reg.windows("2023-09-25").set_index("window_id").loc[wid, "end"] == date(2023, 10, 7)  # Sat 10-07 is worked


def test_a_scheme_window_needs_an_approved_scheme_and_a_list_window_a_published_scheme_window(reg):
    reg.call(2023, [DOMAIN], on="2023-03-01")
    with pytest.raises(RoundError, match="没有通过评审的方案"):
        open_window(reg, "scheme", 2023, DOMAIN, "2023-09-25")
    with pytest.raises(RoundError, match="尚未公示完毕"):
        open_window(reg, "list", 2023, DOMAIN, "2023-12-01")


# --- objections and publication (002 四(四)(五); 001 三(一)3, 三(二)5) ---------------------------------
def test_a_list_with_an_open_objection_is_not_published(reg):
    scheme_published(reg)
    wid = open_window(reg, "list", 2023, DOMAIN, "2023-12-01")
    assert reg.windows("2023-12-01").set_index("window_id").loc[wid, "end"] == date(2023, 12, 14)
    with pytest.raises(RoundError, match="不在公示"):
        reg.object(wid, "某企业", on="2023-12-15", about="排名有误")
    oid = reg.object(wid, "某企业", on="2023-12-05", about="排名有误")
    with pytest.raises(RoundError, match="才结束"):
        reg.publish(wid, on="2023-12-14")
    with pytest.raises(RoundError, match=f"未处理的异议（{oid}）"):
        reg.publish(wid, on="2023-12-15")
    assert reg.windows("2023-12-15").set_index("window_id").loc[wid, "status"] == "objections_open"
    assert not reg.is_published(wid, on="2023-12-20")
    with pytest.raises(RoundError, match="专家处理意见不能为空"):
        reg.close_objection(oid, on="2023-12-15", opinion=" ", outcome="rejected")
    reg.close_objection(oid, on="2023-12-15", opinion="经专家评议，排名依据充分", outcome="rejected")
    with pytest.raises(RoundError, match="已处理"):
        reg.close_objection(oid, on="2023-12-16", opinion="再议", outcome="upheld")
    assert reg.windows("2023-12-15").set_index("window_id").loc[wid, "status"] == "ready"
    reg.publish(wid, on="2023-12-18")
    assert reg.is_published(wid, on="2023-12-18") and not reg.is_published(wid, on="2023-12-17")
    row = reg.objections().iloc[0]
    assert (row["objector"], row["outcome"], row["closed"]) == ("某企业", "rejected", date(2023, 12, 15))


def test_titles_wait_for_the_published_list(reg, titles):
    scheme_published(reg)
    wid = open_window(reg, "list", 2023, DOMAIN, "2023-12-01")
    reg.object(wid, "某企业", on="2023-12-05", about="排名有误")
    with pytest.raises(RoundError, match="尚未发布"):
        award(titles, reg, wid, pd.DataFrame([title()]))
    assert titles.titles(on="2024-01-01").empty


def test_pending_lists_objections_windows_complaints_and_cases(reg):
    scheme_published(reg)
    wid = open_window(reg, "list", 2023, DOMAIN, "2023-12-01")
    oid = reg.object(wid, "某企业", on="2023-12-05", about="排名有误")
    cid = reg.complain("匿名", on="2023-12-06", about="产品噪声偏高")
    case = reg.open_case("T9", 6, on="2023-12-07")
    items = reg.pending(on="2023-12-08", within_days=7).set_index("item")["id"].to_dict()
    assert items == {"objection": str(oid), "window_ending": wid, "complaint": str(cid), "case": str(case)}
    assert "window_ending" not in set(reg.pending(on="2023-12-08", within_days=5)["item"])


# --- supervision: sampling → revocation → ban (001 三(三)(四); 002 四(六); 004 三7) ----------------------
@pytest.mark.parametrize(("declared", "measured", "verdict"), [
    ("≤60 dB(A)", "60 dB(A)", "pass"), ("≤60 dB(A)", "62 dB(A)", "fail"), ("<0.5 mg/kg", "0.5", "fail"),
    ("≤0.5 mg/kg", "500 μg/kg", "pass"), ("≤0.5 mg/kg", "0.51 mg/kg", "fail"), ("6.5～8.5", "9", "fail"),
    ("6.5～8.5", "7", "pass"), ("≥0.85", "0.8", "fail"), ("≤45 dB(A)", "44 dB", "not_comparable"),
    ("具有该品种应有的色泽", "1", "not_comparable"),
])
def test_a_measured_value_is_checked_against_the_declared_requirement(declared, measured, verdict):
    assert conformity(declared, measured) == verdict


def test_a_measured_range_is_refused():
    with pytest.raises(RoundError, match="一个数值"):
        conformity("≤60", "55～62")


def test_failed_sampling_revokes_bans_and_refuses_next_years_title(reg, titles):
    scheme_published(reg)
    wid = open_window(reg, "list", 2023, DOMAIN, "2023-12-01")
    reg.publish(wid, on="2023-12-15")
    assert award(titles, reg, wid, pd.DataFrame([title()])) == 1
    complaint = reg.complain("消费者张某", on="2024-02-20", about="洗衣机噪声偏高", title_id="T1")
    ok = reg.record_sampling("T1", "滚筒洗衣机", "Q/HL 0001-2023", "洗涤噪声", "≤60 dB(A)", "58 dB(A)",
                             on="2024-03-01", titles=titles)
    assert (ok.verdict, ok.case_id) == ("pass", None)
    bad = reg.record_sampling("T1", "滚筒洗衣机", "Q/HL 0001-2023", "洗涤噪声", "≤60 dB(A)", "62 dB(A)",
                              on="2024-03-05", complaint=complaint, titles=titles)
    assert bad.verdict == "fail" and bad.case_id is not None
    case = reg.cases().iloc[0]
    assert (case["reason"], case["reason_number"], case["status"]) == ("sampling_failure", 4, "open")
    reg.decide_case(bad.case_id, on="2024-03-15", titles=titles, revoke=True, opinion="抽查不合格")
    assert reg.cases().iloc[0]["status"] == "revoked"
    event = titles.events().iloc[0]
    assert (event["kind"], event["reason"], event["title_id"]) == ("revocation", "sampling_failure", "T1")
    assert titles.is_barred("恒立电器股份有限公司", on="2027-03-15")
    assert not titles.is_barred("恒立电器股份有限公司", on="2027-03-16")
    notice = reg.revocation_notice(bad.case_id, titles)
    assert "取消理由 4" in notice.zh and "2027-03-15（含当日）" in notice.zh and "优惠政策" in notice.zh
    assert "through 2027-03-15" in notice.en
    with pytest.raises(RoundError, match="已结案"):
        reg.decide_case(bad.case_id, on="2024-03-16", titles=titles, revoke=False)
    # next year's list: the revoked enterprise is refused
    reg.call(2024, [DOMAIN], on="2024-03-01")
    reg.submit_scheme("XDJX-2024-A", "华标洗涤装备评价中心", 2024, DOMAIN, on="2024-04-01")
    reg.approve_scheme("XDJX-2024-A", on="2024-05-10")
    reg.publish(open_window(reg, "scheme", 2024, DOMAIN, "2024-09-02"), on="2024-09-20")
    nxt = open_window(reg, "list", 2024, DOMAIN, "2024-12-02")
    reg.publish(nxt, on="2024-12-16")
    with pytest.raises(RoundError, match="三年禁入期"):
        award(titles, reg, nxt, pd.DataFrame([title("T2", published="2024-12-16")]))


def test_sampling_of_an_unknown_or_ended_title_is_refused(reg, titles):
    with pytest.raises(RoundError, match="不在称号登记簿"):
        reg.record_sampling("T1", "洗衣机", "Q/A", "噪声", "≤60", "62", on="2024-03-01", titles=titles)
    assert reg.events().empty


def test_a_refused_revocation_leaves_the_case_open(reg, titles):
    case = reg.open_case("T404", "fraud", on="2024-01-10")
    with pytest.raises(RoundError, match="未结案"):
        reg.decide_case(case, on="2024-01-20", titles=titles, revoke=True)
    assert reg.cases().iloc[0]["status"] == "open"
    with pytest.raises(RoundError, match="未知的取消称号理由"):
        reg.open_case("T1", 9, on="2024-01-10")


# --- dynamic adjustment: a programme parameter (001 三(三), 三(四); docs/SOURCES.md) -------------------------
def test_an_adjusted_title_bars_only_when_the_programme_says_so(titles):
    titles.add_title(**{**title(), "published": "2023-12-18"})
    titles.adjust("T1", "product_discontinued", on="2024-02-01")
    national = load_program("national")
    assert national.adjustment_bans is False and "001 三(三)" in national.source("adjustment_bans")
    assert load_program("jincheng-2021").adjustment_bans is False
    assert not is_barred(titles, "恒立电器股份有限公司", "2024-06-01", national)
    strict = Program.model_validate({**national.model_dump(), "adjustment_bans": True})
    assert is_barred(titles, "恒立电器股份有限公司", "2027-02-01", strict)
    assert not is_barred(titles, "恒立电器股份有限公司", "2027-02-02", strict)


# --- storage: append-only, one file per programme ------------------------------------------------------
def test_the_register_has_no_update_or_delete_and_refuses_foreign_files(tmp_path):
    assert not [m for m in dir(RoundRegister) if m.startswith(("update", "delete", "remove", "edit"))]
    path = tmp_path / "rounds.duckdb"
    with pytest.raises(RoundError, match="不存在"):
        RoundRegister(path)
    with RoundRegister(path, programme="mofcom-2023", create=True) as reg:
        reg.call(2023, ["电子商务"], on="2023-07-15")
    with RoundRegister(path) as reg:
        assert reg.programme == "mofcom-2023" and len(reg.events()) == 1
    with pytest.raises(RoundError, match="已存在"):
        RoundRegister(path, programme="national", create=True)
    TitleRegister(tmp_path / "titles.duckdb", create=True).close()
    with pytest.raises(RoundError, match="不是轮次登记簿"):
        RoundRegister(tmp_path / "titles.duckdb")
    csv = tmp_path / "x.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(RoundError, match="DuckDB"):
        RoundRegister(csv)


def test_the_title_register_still_refuses_a_revoked_enterprise_itself(titles):
    titles.add_title(**title())
    titles.revoke("T1", 4, on="2024-03-15")
    with pytest.raises(TitleError, match="禁入"):
        titles.add_title(**title("T2", published="2024-12-16"))


# --- the command line ------------------------------------------------------------------------------
def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_walks_a_window_with_an_objection(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    code, _, err = run(capsys, "round", "pending", db)
    assert code == 2 and "不存在" in err and "Traceback" not in err
    assert run(capsys, "round", "create", db, "--program", "national")[0] == 0
    assert run(capsys, "round", "call", db, "--year", 2023, "--domain", DOMAIN, "--on", "2023-03-01")[0] == 0
    run(capsys, "round", "scheme", db, "S1", "--agency", "华标", "--year", 2023, "--domain", DOMAIN, "--on",
        "2023-04-01")
    run(capsys, "round", "approve", db, "S1", "--on", "2023-05-01")
    code, out, _ = run(capsys, "round", "window", db, "--stage", "scheme", "--year", 2023, "--domain", DOMAIN,
                       "--start", "2023-09-25")
    assert code == 0 and "2023-10-12" in out
    wid = f"2023/{DOMAIN}/scheme"
    code, out, _ = run(capsys, "round", "objection", db, wid, "--by", "某人", "--on", "2023-09-26", "--about", "指标不合理")
    oid = out.split()[-1]
    code, out, _ = run(capsys, "round", "pending", db, "--on", "2023-10-20", "--check")
    assert code == 1 and "objection" in out and "指标不合理" in out
    code, _, err = run(capsys, "round", "publish", db, wid, "--on", "2023-10-20")
    assert code == 2 and "未处理的异议" in err and len(err.strip().splitlines()) <= 3
    assert run(capsys, "round", "close", db, oid, "--on", "2023-10-16", "--opinion", "不成立", "--outcome",
               "rejected")[0] == 0
    assert run(capsys, "round", "publish", db, wid, "--on", "2023-10-20")[0] == 0
    code, out, _ = run(capsys, "round", "pending", db, "--on", "2023-10-20", "--check")
    assert (code, out.strip()) == (0, "无待办事项")
    code, out, _ = run(capsys, "round", "notice", db, "--window", wid, "--item", "S1 华标")
    assert code == 0 and "2023-09-25 至 2023-10-12" in out and "1. S1 华标" in out


def test_cli_sampling_failure_to_revocation(tmp_path, capsys):
    db, tdb = tmp_path / "r.duckdb", tmp_path / "t.duckdb"
    with TitleRegister(tdb, create=True) as titles:
        titles.add_title(**title())
    run(capsys, "round", "create", db)
    code, out, _ = run(capsys, "round", "sampling", db, "--title", "T1", "--product", "洗衣机", "--standard",
                       "Q/HL 0001-2023", "--indicator", "噪声", "--declared", "≤60 dB(A)", "--measured", "62 dB(A)",
                       "--on", "2024-03-05", "--titles", tdb)
    assert code == 0 and "达不到公开标准水平" in out and "理由 4" in out
    case = out.rsplit("已立案 ", 1)[1].split("（")[0]
    assert run(capsys, "round", "decide", db, case, "--titles", tdb, "--on", "2024-03-15", "--revoke")[0] == 0
    code, out, _ = run(capsys, "--lang", "en", "round", "notice", db, "--case", case, "--titles", tdb)
    assert code == 0 and "through 2027-03-15" in out
    code, _, err = run(capsys, "round", "sampling", db, "--title", "T1", "--product", "洗衣机", "--standard", "Q",
                       "--indicator", "噪声", "--declared", "≤60", "--measured", "很吵", "--on", "2024-03-20")
    assert code == 2 and "实测值" in err and "Traceback" not in err
    with TitleRegister(tdb) as titles:
        assert titles.is_barred("恒立电器股份有限公司", on="2025-01-01")
