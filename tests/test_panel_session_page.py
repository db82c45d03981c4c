"""The panel session page's widgets without a browser (专家评审会议页面): an expert's page leaves the chair's
board alone, the chair's tab follows the store, the board reads in the members' order with each figure
once, a fully recused expert is told so, the programme is named, not coded, and each sheet says what the expert
has stored (a 0 in a field is no score until submitted)."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest

from leaderkit.app.panel_session import ChairBoard, PanelSessionView
from leaderkit.schemes.model import Scheme
from leaderkit.schemes.session import PanelSession

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "schemes"
SCORES = SAMPLES / "panel_washing_machines.csv"
EXPERTS = SAMPLES / "panel_washing_machines_experts.csv"


@pytest.fixture
def session(tmp_path):
    schemes = [Scheme.load(SAMPLES / "washing_machines_a.yaml"), Scheme.load(SAMPLES / "washing_machines_b.yaml")]
    s = PanelSession.start(tmp_path / "meeting.sqlite", domain="洗涤机械", schemes=schemes, members=EXPERTS)
    sample = pd.read_csv(SCORES)
    for (expert, scheme), sheet in sample.groupby(["expert", "scheme"]):
        s.submit(expert, scheme, dict(zip(sheet["criterion"], sheet["score"], strict=True)))
    return s


def tabs_of(view) -> w.Tab:
    return next(c for c in view.widget.children if isinstance(c, w.Tab))


def test_an_experts_page_does_not_redraw_the_hidden_chair_board(session):
    """Every viewer has a kernel and every page ticks: ten experts' kernels redrawing the chair's board (the
    tab they do not look at) on every score took the CPU the chair's page needed (median 4–5.5 s, max 8–11 s
    from a score to the chair's view in benchmarks/bench_session.py, target < 2 s)."""
    view = PanelSessionView(PanelSession(session.path), lang="zh")
    assert tabs_of(view).selected_index == 0  # the page opens on the expert's sheet
    drawn = view.chair.version
    session.submit("王建国", "XDJX-2023-A", {"内容完整性": 5})  # another kernel writes
    view.ticker.tick += 1  # what the browser's timer does
    assert view.chair.version == drawn
    tabs_of(view).selected_index = 1  # the chair's tab: drawn from the store at once
    assert view.chair.version == session.version()
    assert view.chair.review.totals.loc["王建国", "XDJX-2023-A"] == session.totals().loc["王建国", "XDJX-2023-A"]


def test_the_chairs_tab_follows_the_store_on_each_tick(session):
    view = PanelSessionView(PanelSession(session.path), lang="zh")
    tabs_of(view).selected_index = 1
    session.submit("杨帆", "XDJX-2023-B", {"内容完整性": 8})  # 杨帆's sheet for B complete: six raters
    view.ticker.tick += 1
    ref = session.review()
    assert ref.raters == 6 and view.chair.review.raters == 6
    assert f"Kendall W = {ref.kendall_w:.3f}（6 位专家，p = {ref.p_value:.4f}）" in view.chair.figures.value
    assert view.chair.figures.value == ChairBoard(PanelSession(session.path), lang="zh").figures.value
    view.ticker.tick += 1  # nothing changed: nothing recomputed
    assert view.chair.version == session.version()


def test_the_board_lists_experts_in_the_members_order_and_states_w_once(session):
    view = PanelSessionView(PanelSession(session.path), lang="zh")
    board = view.chair.figures.value
    totals = board[board.index("lk-totals"):board.index("lk-review")]
    names = session.members()["name"].tolist()
    assert names == ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆"]
    assert sorted((totals.index(n), n) for n in names) == [(totals.index(n), n) for n in names]
    assert "<th>专家</th>" in totals and "<th>expert</th>" not in totals
    assert board.count("Kendall W =") == 1 and "一致性解读：" in board


def test_an_expert_recused_from_every_scheme_is_told_so(session):
    session.add_member("赵敏", "东岳家电标准技术研究院（示例）", conflicts=["XDJX-2023-A"])
    view = PanelSessionView(PanelSession(session.path), lang="zh")
    view.expert.who.value = "赵敏"
    assert view.expert.fields == {}
    assert "赵敏 须回避全部评审方案" in view.expert.status.value
    view.expert.who.value = "陈静"  # another name: the notice goes
    assert view.expert.status.value == "" and list(view.expert.fields) == ["XDJX-2023-A", "XDJX-2023-B"]


def test_the_page_names_the_programme_and_the_submit_button_fits(session):
    view = PanelSessionView(PanelSession(session.path), lang="zh")
    meta, title = view.widget.children[1], view.widget.children[2].value
    assert "2023年商务领域企业标准“领跑者”活动" in title and "mofcom-2023" not in title
    assert meta.lang == "zh-CN" and meta.title.endswith("专家评审会议")
    english = PanelSessionView(PanelSession(session.path), lang="en")
    assert ("domain: 洗涤机械 · XDJX-2023-A, XDJX-2023-B · MOFCOM 2023 commerce-domain leader programme"
            in english.widget.children[2].value)
    assert english.widget.children[1].lang == "en" and english.widget.children[1].title.endswith("panel session")
    view.expert.who.value = "陈静"
    layout = view.expert.buttons["XDJX-2023-A"].layout  # as wide as its label, not cut to “提交 XDJX-2023-A…”
    assert (layout.width, layout.align_self) == ("auto", "flex-start")


def test_each_sheet_says_what_is_stored_and_what_is_not(tmp_path):
    schemes = [Scheme.load(SAMPLES / "washing_machines_a.yaml"), Scheme.load(SAMPLES / "washing_machines_b.yaml")]
    store = PanelSession.start(tmp_path / "m.sqlite", domain="洗涤机械", schemes=schemes, members=EXPERTS)
    store.submit("王建国", "XDJX-2023-A", {"内容完整性": 5, "机构能力": 4})
    view = PanelSessionView(PanelSession(store.path), lang="zh")
    view.expert.who.value = "王建国"  # a page opened again after a break
    a, b = view.expert.states["XDJX-2023-A"].value, view.expert.states["XDJX-2023-B"].value
    stored_at = pd.Timestamp(store.scores()["at"].max()).tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M")
    assert f"已提交 2/5 项，合计 9 分（北京时间 {stored_at}）" in a
    assert "未评分：指标科学性、水平合理性、方法可行性" in a and "内容完整性" not in a.split("未评分")[1]
    assert "尚未提交评分" in b and "lk-unscored" in b
    assert view.expert.fields["XDJX-2023-A"]["内容完整性"].value == 5
    for criterion, field in view.expert.fields["XDJX-2023-B"].items():
        field.value = 6 if criterion == "内容完整性" else 0
    view.expert.submit("XDJX-2023-B")
    assert "已提交 5/5 项，合计 6 分" in view.expert.states["XDJX-2023-B"].value
    assert "未评分" not in view.expert.states["XDJX-2023-B"].value
    english = PanelSessionView(PanelSession(store.path), lang="en")
    english.expert.who.value = "王建国"
    assert "submitted 2/5 criteria, total 9" in english.expert.states["XDJX-2023-A"].value
