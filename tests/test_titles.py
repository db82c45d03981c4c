"""The life cycle of leader titles (称号管理): register, revocations, bans to the day, negative list,
expiring titles, a lowered core indicator, transactional and append-only writes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from leaderkit.registers.titles import (
    REVOCATION_REASONS,
    TitleError,
    TitleRegister,
    ban_end,
    default_register_path,
)

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "agencies"


def title(title_id="T1", enterprise="恒立电器股份有限公司", published="2023-03-15", valid_until="2025-03-14",
          agency="华衡标准评价中心") -> dict:
    return {"title_id": title_id, "standard": f"Q/X {title_id}", "enterprise": enterprise, "domain": "家用电冰箱",
            "scheme": "冰箱领跑者评估方案", "agency": agency, "published": published, "valid_until": valid_until}


@pytest.fixture
def reg():
    with TitleRegister(":memory:") as register:
        yield register


def counts(reg) -> tuple[int, int]:
    return len(reg.titles(on="2024-01-01")), len(reg.events())


# --- register ------------------------------------------------------------------------------------
def test_validity_is_at_most_24_months(reg):
    reg.add_title(**title("T1", published="2023-03-15", valid_until="2025-03-15"))
    with pytest.raises(TitleError, match="24"):
        reg.add_title(**title("T2", published="2023-03-15", valid_until="2025-03-16"))
    reg.add_title(**title("T3", published="2024-02-29", valid_until="2026-02-28"))
    with pytest.raises(TitleError, match="24"):
        reg.add_title(**title("T4", published="2024-02-29", valid_until="2026-03-01"))
    with pytest.raises(TitleError, match="晚于发布日期"):
        reg.add_title(**title("T5", published="2024-02-29", valid_until="2024-02-29"))
    assert reg.titles(on="2024-06-01")["title_id"].tolist() == ["T1", "T3"]


def test_statuses_on_a_date(reg):
    reg.add_titles(pd.DataFrame([title("A", published="2023-03-15", valid_until="2024-03-14"),
                                 title("B", published="2023-05-01", valid_until="2025-04-30"),
                                 title("C", published="2023-05-01", valid_until="2025-04-30")]))
    reg.revoke("B", "sampling_failure", on="2023-10-09")
    reg.adjust("C", "product_discontinued", on="2023-12-01")
    status = reg.titles(on="2024-03-15").set_index("title_id")["status"].to_dict()
    assert status == {"A": "expired", "B": "revoked", "C": "adjusted"}
    status = reg.titles(on="2023-11-01").set_index("title_id")["status"].to_dict()
    assert status == {"A": "active", "B": "revoked", "C": "active"}
    assert reg.titles(on="2023-01-01").set_index("title_id")["status"]["A"] == "not_yet_published"


# --- bans ----------------------------------------------------------------------------------------
def test_enterprise_ban_ends_on_the_same_calendar_day_three_years_later(reg):
    reg.add_title(**title("T1"))
    reg.revoke("T1", "fraud", on="2023-03-15")
    barred = lambda day: reg.is_barred("恒立电器股份有限公司", on=day)  # noqa: E731
    assert not barred("2023-03-14")
    assert barred("2023-03-15")
    assert barred("2025-12-31")
    assert barred("2026-03-15")
    assert not barred("2026-03-16")
    assert not reg.is_barred("别的企业", on="2024-01-01")


def test_a_ban_from_29_february_ends_on_28_february(reg):
    reg.add_title(**title("T1", published="2024-01-10", valid_until="2025-01-09"))
    reg.revoke("T1", 4, on="2024-02-29")
    assert ban_end(date(2024, 2, 29)) == date(2027, 2, 28)
    assert reg.is_barred("恒立电器股份有限公司", on="2027-02-28")
    assert not reg.is_barred("恒立电器股份有限公司", on="2027-03-01")
    row = reg.barred_list(on="2027-02-28").iloc[0]
    assert (row["since"], row["barred_until"]) == (date(2024, 2, 29), date(2027, 2, 28))


def test_dynamic_adjustment_ends_the_title_without_a_ban(reg):
    reg.add_title(**title("T1"))
    reg.adjust("T1", "standard_abolished", on="2023-06-01")
    assert not reg.is_barred("恒立电器股份有限公司", on="2023-06-01")
    assert reg.barred_list(on="2023-06-01").empty
    with pytest.raises(TitleError, match="adjustment"):
        reg.adjust("T1", "fraud", on="2023-07-01")


def test_agency_disqualification_bars_the_agency_and_integrity_reasons_list_it(reg):
    a = reg.disqualify_agency("和光标准服务有限公司", "fees", on="2024-01-20")
    b = reg.disqualify_agency("远航消费品质量研究院", "other", on="2024-05-01")
    assert reg.is_barred(agency="和光标准服务有限公司", on="2027-01-20")
    assert not reg.is_barred(agency="和光标准服务有限公司", on="2027-01-21")
    assert not reg.is_barred("和光标准服务有限公司", on="2025-01-01")  # as an enterprise it is not barred
    listed = reg.barred_list(on="2024-06-01").set_index("event_id")
    assert listed.loc[a, "role"] == "agency" and bool(listed.loc[a, "negative_list"])
    assert not bool(listed.loc[b, "negative_list"])
    with pytest.raises(TitleError, match="未知的取消资格原因"):
        reg.disqualify_agency("某机构", "late", on="2024-01-01")
    with pytest.raises(TitleError):
        reg.is_barred("某企业", agency="某机构")


def test_the_seven_revocation_reasons_by_name_or_number(reg):
    assert [n for n, _ in REVOCATION_REASONS.values()] == [1, 2, 3, 4, 5, 6, 7]
    reg.add_titles(pd.DataFrame([title(f"T{n}", enterprise=f"企业{n}") for n in range(1, 8)]))
    for n, key in enumerate(REVOCATION_REASONS, start=1):
        reg.revoke(f"T{n}", n if n % 2 else key, on="2023-04-01")
    events = reg.events()
    assert events["reason"].tolist() == list(REVOCATION_REASONS)
    assert events["reason_zh"].iloc[1] == "企业标准发生更新且核心指标水平出现降低"
    assert events["reason_en"].iloc[1] == "standard updated with a lowered core indicator"
    assert len(reg.barred_list(on="2024-01-01")) == 7
    reg.add_title(**title("T8"))
    with pytest.raises(TitleError, match="未知的取消称号理由"):
        reg.revoke("T8", "late delivery", on="2023-04-01")
    with pytest.raises(TitleError, match="未知的取消称号理由"):
        reg.revoke("T8", 8, on="2023-04-01")


def test_revocation_outside_the_validity_or_of_an_unknown_title(reg):
    reg.add_title(**title("T1", published="2023-03-15", valid_until="2024-03-14"))
    with pytest.raises(TitleError, match="有效期"):
        reg.revoke("T1", "fraud", on="2024-03-15")
    with pytest.raises(TitleError, match="未登记"):
        reg.revoke("T9", "fraud", on="2023-05-01")


def test_sample_register_barred_list():
    with TitleRegister(":memory:") as reg:
        assert reg.add_titles(SAMPLE / "titles.csv") == 8
        assert reg.record_events(SAMPLE / "events.csv") == [1, 2, 3, 4, 5]
        listed = reg.barred_list(on="2025-06-30")
        assert listed["name"].tolist() == ["安邦纺织有限公司", "恒立电器股份有限公司", "绿野饮品有限公司",
                                           "和光标准服务有限公司"]
        assert listed["barred_until"].tolist() == [date(2027, 1, 10), date(2026, 3, 15), date(2027, 12, 2),
                                                   date(2027, 1, 20)]


def test_register_results_are_the_same_whatever_the_language():
    from leaderkit._kit.i18n import get_language, set_language

    results = {}
    for lang in ("zh", "en"):
        set_language(lang)
        try:
            with TitleRegister(":memory:") as reg:
                reg.add_titles(SAMPLE / "titles.csv")
                reg.record_events(SAMPLE / "events.csv")
                assert get_language() == lang
                results[lang] = (reg.events().drop(columns="recorded_at"), reg.barred_list(on="2025-06-30"))
        finally:
            set_language("zh")
    for zh, en in zip(results["zh"], results["en"], strict=True):
        pd.testing.assert_frame_equal(zh, en)
    events, barred = results["zh"]
    assert {"reason_zh", "reason_en"} <= set(events.columns) and "reason_text" not in events.columns
    fees = barred.set_index("name").loc["和光标准服务有限公司"]
    assert (fees["reason"], fees["reason_zh"], fees["reason_en"]) == ("fees", "违规收费", "irregular fees")


# --- expiring and review ------------------------------------------------------------------------
def test_expiring_and_yearly_review(reg):
    reg.add_titles(pd.DataFrame([title("A", published="2023-03-15", valid_until="2024-03-14"),
                                 title("B", published="2023-04-01", valid_until="2025-03-31"),
                                 title("C", published="2023-02-01", valid_until="2024-01-31"),
                                 title("D", published="2023-03-20", valid_until="2024-03-19")]))
    reg.revoke("D", "fraud", on="2023-12-01")
    due = reg.expiring(31, on="2024-03-01")
    assert due[["title_id", "due", "days_left"]].values.tolist() == [["A", "expires", 13], ["B", "review", 31]]
    assert due["due_date"].tolist() == [date(2024, 3, 14), date(2024, 4, 1)]
    assert reg.expiring(30, on="2024-03-01")["title_id"].tolist() == ["A"]
    assert reg.expiring(0, on="2024-03-14")["title_id"].tolist() == ["A"]
    assert reg.expiring(10, on="2024-03-15").empty


# --- transactions and the append-only history ---------------------------------------------------
def test_a_failing_title_batch_records_nothing(reg):
    reg.add_title(**title("T1"))
    batch = pd.DataFrame([title("T2", enterprise="企业2"), title("T3", enterprise="企业3"), title("T1")])
    with pytest.raises(TitleError, match="整批撤回"):
        reg.add_titles(batch)
    assert reg.titles(on="2024-01-01")["title_id"].tolist() == ["T1"]


def test_an_event_batch_failing_midway_records_nothing(reg):
    reg.add_titles(pd.DataFrame([title("T1"), title("T2", enterprise="企业2")]))
    batch = pd.DataFrame([
        {"kind": "revocation", "reason": "fraud", "title_id": "T1", "on": "2023-05-01"},
        {"kind": "agency_disqualification", "reason": "fees", "agency": "某机构", "on": "2023-05-02"},
        {"kind": "revocation", "reason": "sampling_failure", "title_id": "T1", "on": "2023-06-01"},
    ])
    with pytest.raises(TitleError, match="已于 2023-05-01 终止"):
        reg.record_events(batch)
    assert reg.events().empty
    assert not reg.is_barred("恒立电器股份有限公司", on="2023-05-02")
    bad_date = batch.iloc[:2].copy()
    bad_date.loc[1, "on"] = "2023-13-45"
    with pytest.raises(TitleError, match="不是有效日期"):
        reg.record_events(bad_date)
    assert reg.events().empty
    ids = reg.record_events(batch.iloc[:2])
    assert reg.events()["event_id"].tolist() == ids and len(ids) == 2


def test_history_is_append_only(reg):
    reg.add_title(**title("T1"))
    before = reg.titles(on="2023-04-01").drop(columns=["status", "ended_on", "end_reason"])
    first = reg.revoke("T1", "fraud", on="2023-05-01", note="检测报告造假")
    with pytest.raises(TitleError, match="不能再次终止"):
        reg.revoke("T1", "other", on="2023-06-01")
    after = reg.titles(on="2023-04-01").drop(columns=["status", "ended_on", "end_reason"])
    pd.testing.assert_frame_equal(before, after)
    events = reg.events()
    assert events["event_id"].tolist() == [first]
    assert events["note"].tolist() == ["检测报告造假"]
    public = {name for name in dir(TitleRegister) if not name.startswith("_")}
    assert not {n for n in public if any(w in n for w in ("update", "delete", "remove", "edit", "undo"))}


def test_register_file_persists_and_default_location(tmp_path, monkeypatch):
    path = tmp_path / "sub" / "titles.duckdb"
    with TitleRegister(path, create=True) as reg:
        reg.add_title(**title("T1"))
        reg.revoke("T1", "fraud", on="2023-05-01")
    with TitleRegister(path) as reg:
        assert reg.is_barred("恒立电器股份有限公司", on="2024-01-01")
        assert reg.events()["event_id"].tolist() == [1]
        reg.add_title(**title("T2", enterprise="企业2"))
        assert reg.revoke("T2", "other", on="2023-05-01") == 2
    monkeypatch.setenv("LEADERKIT_HOME", str(tmp_path / "home"))
    assert default_register_path() == tmp_path / "home" / "titles.duckdb"
    with TitleRegister() as reg:
        assert reg.path == str(tmp_path / "home" / "titles.duckdb")
    assert (tmp_path / "home" / "titles.duckdb").exists()


# --- a re-declared standard ----------------------------------------------------------------------
def test_lowered_core_indicator_is_a_revocation_reason(reg):
    reg.add_title(**title("T1"))
    lowered = reg.check_redeclared("T1", "≤0.5 mg/kg", "≤0.8 mg/kg", direction="lower")
    assert (lowered.comparison, lowered.lowered, lowered.reason) == ("looser", True, "core_indicator_lowered")
    assert "应取消称号（理由 2" in str(lowered)
    raised = reg.check_redeclared("T1", "≥0.70", "≥0.85", direction="higher")
    assert (raised.comparison, raised.lowered, raised.reason) == ("stricter", False, None)
    same = reg.check_redeclared("T1", "≤0.5 mg/kg", "≤0.5 mg/kg")
    assert same.comparison == "equal" and "称号保持" in str(same)
    unclear = reg.check_redeclared("T1", "≤0.5 mg/kg", "由供需双方协商确定")
    assert unclear.comparison == "not_comparable" and "专家" in str(unclear)
    assert reg.events().empty
    reg.revoke("T1", lowered.reason, on="2023-09-01")
    assert reg.events()["reason"].tolist() == ["core_indicator_lowered"]
    with pytest.raises(TitleError, match="未登记"):
        reg.check_redeclared("T9", "≤0.5", "≤0.8")


def test_importing_the_modules_does_not_load_duckdb():
    code = ("import sys, leaderkit.registers.titles, leaderkit.agencies.grading; "
            "print(sorted(m for m in ('duckdb', 'plotly', 'ipywidgets', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
