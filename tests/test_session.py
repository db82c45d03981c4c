"""The panel session store (评审会议记录): several processes write at once, the chair's figures are
`review_panel`'s, conflicted experts are refused, a reopened file resumes, the record exports."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from leaderkit.schemes.model import Scheme
from leaderkit.schemes.panel import PanelError, review_panel
from leaderkit.schemes.session import (
    CHROMIUM,
    PanelSession,
    SessionError,
    agreement_reading,
    default_session_path,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "schemes"
SCORES = SAMPLES / "panel_washing_machines.csv"
EXPERTS = SAMPLES / "panel_washing_machines_experts.csv"


@pytest.fixture(scope="module")
def schemes():
    return [Scheme.load(SAMPLES / "washing_machines_a.yaml"), Scheme.load(SAMPLES / "washing_machines_b.yaml")]


@pytest.fixture
def session(tmp_path, schemes):
    return PanelSession.start(tmp_path / "meeting.sqlite", domain="洗涤机械", schemes=schemes, members=EXPERTS)


def _submit_all(path: str, experts: list[str]) -> None:
    """One process (one kernel): the sample scores of `experts`, one sheet per scheme."""
    s = PanelSession(path)
    sample = pd.read_csv(SCORES)
    for (expert, scheme), sheet in sample[sample["expert"].isin(experts)].groupby(["expert", "scheme"]):
        s.submit(expert, scheme, dict(zip(sheet["criterion"], sheet["score"], strict=True)))


def _enter_sample(session) -> None:
    _submit_all(str(session.path), sorted(pd.read_csv(SCORES)["expert"].unique()))


def test_the_file_is_sqlite_in_wal_mode_and_append_only(session):
    con = sqlite3.connect(session.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM members")
    con.close()
    assert len(session.members()) == 6


def test_two_processes_writing_at_once_lose_nothing(session):
    experts = sorted(pd.read_csv(SCORES)["expert"].unique())
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_submit_all, args=(str(session.path), half))
               for half in (experts[::2], experts[1::2])]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
    assert [p.exitcode for p in workers] == [0, 0]
    got = session.scores().drop(columns=["at", "max_score"]).sort_values(["expert", "scheme", "criterion"])
    want = pd.read_csv(SCORES).drop(columns="max_score").sort_values(["expert", "scheme", "criterion"])
    assert len(got) == len(want) == 59
    assert got.to_numpy().tolist() == want.to_numpy().tolist()


def test_the_chairs_figures_are_review_panel_on_the_same_scores(session, schemes):
    _enter_sample(session)
    mine = session.review()
    ref = review_panel(SCORES, EXPERTS, program="mofcom-2023", schemes=schemes)
    pd.testing.assert_frame_equal(mine.table, ref.table)
    assert mine.kendall_w == pytest.approx(ref.kendall_w) and mine.p_value == pytest.approx(ref.p_value)
    assert (mine.best, mine.margin, mine.raters) == (ref.best, ref.margin, ref.raters) == ("XDJX-2023-A", 5.75, 5)
    assert session.totals().loc["张伟", "XDJX-2023-A"] == 90
    assert pd.isna(session.totals().loc["杨帆", "XDJX-2023-B"])


def test_a_corrected_score_counts_and_a_withdrawn_one_leaves(session):
    _enter_sample(session)
    session.submit("张伟", "XDJX-2023-A", {"指标科学性": 20})
    assert session.totals().loc["张伟", "XDJX-2023-A"] == 90 - 27 + 20
    session.submit("张伟", "XDJX-2023-A", {"指标科学性": None})
    assert pd.isna(session.totals().loc["张伟", "XDJX-2023-A"])


def test_a_conflicted_expert_is_refused_at_entry(session):
    session.add_member("赵敏", "东岳家电标准技术研究院（示例）")
    session.add_member("钱程", "某大学", conflicts=["XDJX-2023-A"])
    with pytest.raises(SessionError, match="赵敏 须回避方案 XDJX-2023-B.*编制单位") as caught:
        session.submit("赵敏", "XDJX-2023-B", {"指标科学性": 25})
    assert "may not score XDJX-2023-B" in str(caught.value)
    with pytest.raises(SessionError, match="申报了利益冲突"):
        session.submit("钱程", "XDJX-2023-A", {"指标科学性": 25})
    session.submit("赵敏", "XDJX-2023-A", {"指标科学性": 25})
    assert session.scores()[["expert", "scheme"]].drop_duplicates().to_numpy().tolist() == [["赵敏", "XDJX-2023-A"]]
    assert set(map(tuple, session.conflicts()[["expert", "scheme"]].to_numpy())) == {
        ("赵敏", "XDJX-2023-B"), ("钱程", "XDJX-2023-A")}


@pytest.mark.parametrize(("who", "scheme", "points", "message"), [
    ("无名氏", "XDJX-2023-A", {"指标科学性": 20}, "不是本次评审会的成员"),
    ("张伟", "WLFW-2023-01", {"指标科学性": 20}, "不在本次评审范围内"),
    ("张伟", "XDJX-2023-A", {"外观": 5}, "未知评分项"),
    ("张伟", "XDJX-2023-A", {"指标科学性": 31}, "超出 0～30"),
    ("张伟", "XDJX-2023-A", {"指标科学性": "abc"}, "超出 0～30"),
])
def test_bad_entries_are_refused_and_nothing_is_written(session, who, scheme, points, message):
    with pytest.raises(SessionError, match=message):
        session.submit(who, scheme, {"内容完整性": 8, **points})
    assert session.scores().empty


def test_reopening_resumes_and_a_wrong_file_is_refused(session, tmp_path, schemes):
    _enter_sample(session)
    session.log_tuning("王建国", "indicators.noise.weight", 0.2, 0.25)
    session.record_decision("采用方案 A", by="王建国")
    again = PanelSession(session.path)
    assert again.review().best == "XDJX-2023-A"
    assert again.tunings()[["who", "what", "old", "new"]].to_numpy().tolist() == [
        ["王建国", "indicators.noise.weight", "0.2", "0.25"]]
    assert again.decisions()["text"].tolist() == ["采用方案 A"]
    assert set(again.settings.schemes) == {"XDJX-2023-A", "XDJX-2023-B"}
    assert again.settings.schemes["XDJX-2023-A"].digest() == schemes[0].digest()
    with pytest.raises(SessionError, match="已存在"):
        PanelSession.start(session.path, domain="洗涤机械", schemes=schemes)
    with pytest.raises(SessionError, match="不存在"):
        PanelSession(tmp_path / "typo.sqlite")
    with pytest.raises(SessionError, match="不是评审会议记录"):
        PanelSession(SCORES)


def test_too_few_experts_is_panel_errors_message(session):
    _submit_all(str(session.path), ["王建国", "李秀英"])
    with pytest.raises(PanelError, match="少于活动规则要求的 5 人"):
        session.review()
    assert session.record().problem.startswith("评审专家 2 人")


def test_the_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LEADERKIT_SESSION", str(tmp_path / "s.sqlite"))
    assert default_session_path() == tmp_path / "s.sqlite"
    monkeypatch.delenv("LEADERKIT_SESSION")
    monkeypatch.setenv("LEADERKIT_HOME", str(tmp_path / "home"))
    assert default_session_path() == tmp_path / "home" / "panel_session.sqlite"


@pytest.mark.parametrize(("w", "p", "zh"), [(0.2, 0.01, "弱一致"), (0.36, 0.18, "中等一致（不显著"),
                                            (0.8, 0.001, "强一致")])
def test_a_plain_reading_of_w(w, p, zh):
    assert agreement_reading(w, p).zh.startswith(zh)


def test_the_docx_record_has_members_scores_w_and_decisions(session, schemes, tmp_path):
    from docx import Document

    _enter_sample(session)
    session.log_tuning("王建国", "indicators.noise.weight", 0.2, 0.25)
    variant = schemes[0].with_changes({"id": "XDJX-2023-A-T1"})
    session.log_variant("王建国", variant, derived_from="XDJX-2023-A")
    session.record_decision("采用方案 A，噪声权重调至 0.25", by="王建国")
    out = session.export_docx(tmp_path / "纪要.docx")
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = ["|".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    assert "会议纪要" in text and "Kendall W = 0.360" in text and "p = 0.1797" in text
    assert variant.digest() in text
    for name in pd.read_csv(EXPERTS)["name"]:
        assert any(row.startswith(name + "|") for row in cells)
    assert "张伟|90.00|78.00" in cells
    assert any("indicators.noise.weight" in row and "0.2 → 0.25" in row for row in cells)
    assert any("采用方案 A，噪声权重调至 0.25|王建国" in row for row in cells)
    english = Document(str(session.export_docx(tmp_path / "record.docx", lang="en")))
    assert english.paragraphs[0].text.startswith("Meeting record")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not found at {CHROMIUM}")
def test_the_pdf_record(session, tmp_path):
    _enter_sample(session)
    out = session.export_pdf(tmp_path / "纪要.pdf")
    assert out.read_bytes()[:5] == b"%PDF-" and out.stat().st_size > 10_000
    assert not list(tmp_path.glob(".纪要.pdf.*"))


def test_the_page_scores_refuses_a_conflict_and_the_chair_follows(session):
    from leaderkit.app.panel_session import ChairBoard, ExpertSheet

    _submit_all(str(session.path), ["王建国", "李秀英", "张伟", "刘洋"])
    chair = ChairBoard(session, lang="zh")
    assert chair.review is None and "少于活动规则要求的 5 人" in chair.figures.value
    session.add_member("赵敏", "东岳家电标准技术研究院（示例）")
    sheet = ExpertSheet(session, lang="zh")
    sheet.who.value = "赵敏"
    assert list(sheet.fields) == ["XDJX-2023-A"] and "回避" in sheet.sheets.children[1].children[1].value
    for criterion, field in sheet.fields["XDJX-2023-A"].items():
        field.value = {"内容完整性": 9, "指标科学性": 26}.get(criterion, 10)
    sheet.submit("XDJX-2023-A")
    assert "合计 65 分" in sheet.status.value
    assert chair.refresh() and not chair.refresh()
    # five experts now: review_panel's figures, 赵敏 (A only) left out of W
    ref = session.review()
    assert chair.review.raters == ref.raters == 4 and chair.review.best == ref.best
    assert f"Kendall W = {ref.kendall_w:.3f}" in chair.figures.value and "一致" in chair.figures.value
