"""The panel session page in a real browser (专家评审会议, issue 11 §5): two experts score from their own
browser contexts (one Voilà kernel each), the chair's view follows within 2 s and shows what `review_panel`
gives on the scores in the session file, a conflicted expert is refused, a reopened page resumes, and the
meeting record downloads as .docx.

Each test starts its own Voilà server with a fresh session file in its tmp_path ($LEADERKIT_SESSION); the
file is started as the page starts it (`open_session` on the sample data) and the sample panel's first
four experts' scores are entered beforehand, so that the two experts in the browser make the panel
reviewable (mofcom-2023: at least five experts).
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from browser_helpers import ARTIFACTS, VoilaServer, assert_cjk_renders, screenshot_of, wait_rendered

from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.schemes.panel import review_panel
from leaderkit.schemes.session import PanelSession, agreement_reading

pytestmark = pytest.mark.browser

NOTEBOOK = "panel_session.ipynb"
SCORES = SAMPLE_DATA / "schemes" / "panel_washing_machines.csv"
SEEDED = ["王建国", "李秀英", "张伟", "刘洋"]  # entered before the meeting's browsers open
TARGET_S = 2.0  # score → chair's view (issue 11 §5)
# what the two experts type: 陈静's sample sheets, 杨帆's with half points and a criterion the sample lacks
TYPED = {
    "陈静": {"XDJX-2023-A": {"内容完整性": 8, "指标科学性": 25, "水平合理性": 21, "方法可行性": 17, "机构能力": 12},
             "XDJX-2023-B": {"内容完整性": 9, "指标科学性": 24, "水平合理性": 19, "方法可行性": 18, "机构能力": 13}},
    "杨帆": {"XDJX-2023-A": {"内容完整性": 7.5, "指标科学性": 22, "水平合理性": 18.5, "方法可行性": 16, "机构能力": 11},
             "XDJX-2023-B": {"内容完整性": 9.5, "指标科学性": 27, "水平合理性": 22, "方法可行性": 18.5, "机构能力": 14}},
}
CONFLICTED = ("赵敏", "东岳家电标准技术研究院（示例）", ["XDJX-2023-A"])  # B's agency; declares A


@pytest.fixture(scope="module")
def data():
    from leaderkit.app.views import load_data

    return load_data(SAMPLE_DATA)


@pytest.fixture
def meeting(tmp_path, data):
    """A fresh session file started as the page starts it, the seeded experts' sample scores entered, a
    conflicted member added; a Voilà server whose kernels use that file."""
    from leaderkit.app.panel_session import open_session

    path = tmp_path / "meeting.sqlite"
    session = open_session(path, data)
    sample = pd.read_csv(SCORES)
    for (expert, scheme), sheet in sample[sample["expert"].isin(SEEDED)].groupby(["expert", "scheme"]):
        session.submit(expert, scheme, dict(zip(sheet["criterion"], sheet["score"], strict=True)))
    name, affiliation, conflicts = CONFLICTED
    session.add_member(name, affiliation, conflicts=conflicts)
    server = VoilaServer(f"panel_session-{tmp_path.name}", env={"LEADERKIT_SESSION": str(path)})
    yield server, session
    server.stop()


@pytest.fixture
def contexts(browser):
    """New browser contexts (one per person, nothing shared between them); each page's errors are checked."""
    made = []

    def new():
        context = browser.new_context(viewport={"width": 1280, "height": 1500}, locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        page.page_errors = []
        page.on("pageerror", lambda exc: page.page_errors.append(str(exc)))
        made.append((context, page))
        return context, page

    yield new
    errors = [e for _, page in made for e in page.page_errors]
    for context, _ in made:
        context.close()
    assert not errors, f"page errors: {errors}"


def start_loading(server, page) -> None:
    page.goto(server.page(NOTEBOOK), wait_until="commit", timeout=120_000)


def finish_loading(page) -> None:
    from playwright.sync_api import expect

    wait_rendered(page)
    expect(page.locator(".lk-panel-session .lk-who select")).to_be_visible(timeout=60_000)


def open_page(server, page) -> None:
    start_loading(server, page)
    finish_loading(page)


def pick(page, name: str) -> None:
    from playwright.sync_api import expect

    page.locator(".lk-who select").select_option(name)
    expect(page.locator(".lk-who select")).to_have_value(name)


def field(page, scheme: str, criterion: str):
    return page.locator(f".lk-sheet-{scheme} .lk-score").filter(has_text=criterion).locator("input")


def type_sheet(page, scheme: str, points: dict[str, float]) -> None:
    """Type each criterion's points into its field (click, select all, type, Tab) and press submit."""
    from playwright.sync_api import expect

    expect(field(page, scheme, next(iter(points)))).to_be_visible(timeout=30_000)
    for criterion, value in points.items():
        box = field(page, scheme, criterion)
        box.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(f"{value:g}")
        page.keyboard.press("Tab")
        expect(box).to_have_value(f"{value:g}")
    page.locator(f".lk-submit-{scheme}").click()


def submitted(page, scheme: str, points: dict[str, float]) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".lk-sheet-status")).to_contain_text(
        f"已提交 {scheme} 的评分，合计 {sum(points.values()):g} 分", timeout=60_000)


def show_chair(page) -> None:
    from playwright.sync_api import expect

    page.locator(".lk-session-tabs .lm-TabBar-tab").filter(has_text="组长视图").click()
    expect(page.locator(".lk-chair")).to_be_visible(timeout=30_000)


TABLE = """(root) => { const t = document.querySelector(root + ' table'); if (!t) return null;
  return [...t.querySelectorAll('tr')].map(r => [...r.querySelectorAll('th,td')].map(c => c.textContent.trim())); }"""


SHOWN = """([expert, scheme]) => { const t = document.querySelector('.lk-chair .lk-totals table'); if (!t) return false;
  const head = [...t.querySelectorAll('thead th')].map(c => c.textContent.trim());
  const row = [...t.querySelectorAll('tbody tr')].find(r => r.cells[0].textContent.trim() === expert);
  return row && row.cells[head.indexOf(scheme)].textContent.trim() !== '' ? Date.now() : false; }"""


def chair_figures(page) -> dict:
    """What the chair's board shows, parsed: totals (expert × scheme), the review table, W, p, best."""
    totals, review = page.evaluate(TABLE, ".lk-chair .lk-totals"), page.evaluate(TABLE, ".lk-chair .lk-review")
    w_line = page.locator(".lk-chair .lk-w")
    best = page.locator(".lk-chair .lk-best")
    out = {"totals": None, "review": None, "w": None, "best": None, "reading": None}
    if totals:
        head = totals[0]
        out["totals"] = {row[0]: {s: (float(v) if v else None) for s, v in zip(head[1:], row[1:], strict=True)}
                         for row in totals[1:]}
    if review:
        head = review[0]
        out["review"] = {row[0]: dict(zip(head[1:], row[1:], strict=True)) for row in review[1:]}
    if best.count():
        out["best"] = best.inner_text()
        m = re.search(r"专家一致性 Kendall W = ([0-9.]+)（(\d+) 位专家，p = ([0-9.]+)）", out["best"])
        out["w"] = m.groups() if m else None
    if w_line.count():
        out["reading"] = w_line.inner_text().removeprefix("一致性解读：")
    return out


def test_two_experts_score_and_the_chair_shows_review_panel_within_2_s(meeting, contexts):
    from playwright.sync_api import expect

    server, session = meeting
    people = {}
    for who in ("陈静", "杨帆", "chair"):  # three people open the page at once
        people[who] = contexts()[1]
        start_loading(server, people[who])
    for page in people.values():
        finish_loading(page)
    chair = people["chair"]
    show_chair(chair)
    # four experts so far: review_panel refuses the panel, and the chair sees its message
    expect(chair.locator(".lk-chair")).to_contain_text("少于活动规则要求的 5 人")
    for name in ("陈静", "杨帆"):
        pick(people[name], name)

    *rest, (last_name, last_scheme) = [(n, s) for n in TYPED for s in TYPED[n]]
    for name, scheme in rest:
        type_sheet(people[name], scheme, TYPED[name][scheme])
        submitted(people[name], scheme, TYPED[name][scheme])
    # five experts now: the chair's board has a review
    expect(chair.locator(".lk-chair .lk-best")).to_contain_text("（5 位专家，", timeout=60_000)

    type_sheet(people[last_name], last_scheme, TYPED[last_name][last_scheme])
    # the browser polls its DOM every 50 ms and notes the moment the board includes the last sheet; the
    # deadline is generous, the 2 s target is checked on the time it notes
    seen = chair.wait_for_function(SHOWN, arg=[last_name, last_scheme], polling=50, timeout=90_000).json_value()
    shown = datetime.fromtimestamp(seen / 1000).astimezone()
    figures = chair_figures(chair)
    submitted(people[last_name], last_scheme, TYPED[last_name][last_scheme])

    # the scores in the file are what was typed
    stored = PanelSession(session.path).scores()
    for name, sheets in TYPED.items():
        for scheme, points in sheets.items():
            mine = stored[(stored["expert"] == name) & (stored["scheme"] == scheme)]
            assert dict(zip(mine["criterion"], mine["score"], strict=True)) == points
    log = session.score_log()
    committed = datetime.fromisoformat(log["at"].iloc[-1])
    latency = (shown - committed).total_seconds()
    print(f"\nthe chair's view showed the last score {latency:.2f} s after its commit")
    assert latency < TARGET_S, f"the chair's view followed the last score after {latency:.2f} s (target < 2 s)"

    # the board shows review_panel on the file's scores, with the page's rounding
    st = session.settings
    ref = review_panel(stored.drop(columns="at"), session.members(), program=st.programme,
                       schemes=list(st.schemes.values()), trim=st.trim)
    assert ref.raters == 6 and ref.best is not None
    totals = stored.groupby(["expert", "scheme"])["score"].sum().unstack("scheme")
    assert figures["totals"] == {e: {s: float(totals.loc[e, s]) for s in totals.columns} for e in totals.index}
    assert set(figures["review"]) == set(ref.table.index)
    for scheme, shown_row in figures["review"].items():
        lib = ref.table.loc[scheme]
        assert int(shown_row["完整评分"]) == lib["experts"]
        assert float(shown_row["均值"]) == np.round(lib["mean"], 2)
        assert float(shown_row["截尾均值"]) == np.round(lib["trimmed_mean"], 2)
        assert int(shown_row["名次"]) == lib["rank"]
    w, raters, p = figures["w"]
    assert (w, int(raters), p) == (f"{ref.kendall_w:.3f}", ref.raters, f"{ref.p_value:.4f}")
    assert figures["reading"] == agreement_reading(ref.kendall_w, ref.p_value).zh
    assert f"最优方案：{ref.best}，领先 {ref.margin:.2f} 分（截尾均值）" in figures["best"]
    assert ref.best == session.review().best

    assert_cjk_renders(chair)
    for width in (1024, 1440):
        chair.set_viewport_size({"width": width, "height": 1500})
        expect(chair.locator(".lk-chair .lk-w")).to_be_visible()
        screenshot_of(chair, ".lk-panel-session", f"panel-session-chair-{width}")
        people["陈静"].set_viewport_size({"width": width, "height": 1500})
        expect(field(people["陈静"], "XDJX-2023-B", "机构能力")).to_be_visible()
        screenshot_of(people["陈静"], ".lk-panel-session", f"panel-session-expert-{width}")

    # the meeting record (会议纪要) as .docx, downloaded through the page
    from docx import Document

    chair.locator(".lk-record-docx").click()
    link = chair.locator(".lk-record-download a.lk-download")
    expect(link).to_be_visible(timeout=60_000)
    expect(link).to_have_attribute("download", "会议纪要.docx")
    with chair.expect_download() as info:
        link.click()
    path = ARTIFACTS / "panel-session-record.docx"
    info.value.save_as(path)
    doc = Document(str(path))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    for name in session.members()["name"]:
        assert name in text
    assert f"Kendall W = {ref.kendall_w:.3f}" in text and f"最优方案：{ref.best}" in text


def test_a_conflicted_expert_is_refused_and_nothing_is_written(meeting, contexts):
    from playwright.sync_api import expect

    server, session = meeting
    name, affiliation, _ = CONFLICTED
    before = session.version()
    page = contexts()[1]
    open_page(server, page)
    pick(page, name)
    for scheme, why in (("XDJX-2023-A", "申报了利益冲突：XDJX-2023-A"), ("XDJX-2023-B", f"任职于方案编制单位 {affiliation}")):
        notice = page.locator(f".lk-sheet-{scheme} .lk-recused")
        expect(notice).to_be_visible(timeout=30_000)
        expect(notice).to_contain_text(f"回避：{why}")
        expect(page.locator(f".lk-sheet-{scheme} .lk-score")).to_have_count(0)
        expect(page.locator(f".lk-submit-{scheme}")).to_have_count(0)
    expect(page.locator(".lk-sheet-status")).to_contain_text(f"{name} 须回避全部评审方案")
    screenshot_of(page, ".lk-panel-session", "panel-session-recused")
    assert session.version() == before  # nothing at all was written while they were on the page
    # the same page takes an unconflicted expert's sheet: the refusal is the conflict's, not a broken page
    pick(page, "刘洋")
    points = {"内容完整性": 6, "指标科学性": 20, "水平合理性": 15, "方法可行性": 12, "机构能力": 9}
    type_sheet(page, "XDJX-2023-B", points)
    submitted(page, "XDJX-2023-B", points)
    log = PanelSession(session.path).score_log()
    assert session.version() > before and set(log["expert"]) == set(SEEDED)
    assert name not in set(log["expert"])


def test_a_closed_page_reopened_resumes_the_experts_scores(meeting, contexts):
    from playwright.sync_api import expect

    server, session = meeting
    context, page = contexts()
    open_page(server, page)
    pick(page, "陈静")
    for scheme, points in TYPED["陈静"].items():
        type_sheet(page, scheme, points)
        submitted(page, scheme, points)
    context.close()  # the browser is closed; its kernel goes away with it

    page = contexts()[1]
    open_page(server, page)
    pick(page, "陈静")
    for scheme, points in TYPED["陈静"].items():
        for criterion, value in points.items():
            expect(field(page, scheme, criterion)).to_have_value(f"{value:g}", timeout=30_000)
    # another expert's sheet is their own: 杨帆 has not scored, so the fields are empty (0)
    pick(page, "杨帆")
    expect(field(page, "XDJX-2023-A", "指标科学性")).to_have_value("0", timeout=30_000)
