"""The expert panel dashboard in a real browser: findings, panel scores, a slider that moves the leaders
exactly as the library says, the comparison, and the export download."""

from __future__ import annotations

import re

import openpyxl
import pytest
from browser_helpers import (
    ARTIFACTS,
    VoilaServer,
    assert_cjk_renders,
    screenshot,
    screenshot_of,
    wait_rendered,
)

from leaderkit.app import views as db
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.ranking.result import rank

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    s = VoilaServer("expert_panel")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def expected():
    data = db.load_data(SAMPLE_DATA)
    scheme = data.schemes["XDJX-2023-A"]
    before = db.scheme_ranking(data, scheme.id)
    after = rank(scheme.with_changes({"indicators.energy_use.weight": 0.0}), data.standards,
                 on=scheme.timeline.ranking_date, baselines=data.baselines, register=data.register)
    return {"data": data, "before": before, "after": after, "panel": db.panel_review(data, "洗涤机械")}


def open_panel(server, page):
    from playwright.sync_api import expect

    page.goto(server.page("expert_panel.ipynb"), timeout=120_000)
    wait_rendered(page)
    expect(page.locator(".lk-tuner")).to_be_visible(timeout=60_000)


def test_panel_shows_findings_scores_and_leaders(server, page, expected):
    from playwright.sync_api import expect

    open_panel(server, page)
    expect(page.locator(".lk-scheme-a select")).to_have_value(re.compile(r"^XDJX-2023-A "))
    expect(page.locator(".lk-panel-review")).to_contain_text(f"最优方案：{expected['panel'].best}")
    expect(page.locator(".lk-findings-a")).to_contain_text("方案 XDJX-2023-A")
    leaders = page.locator(".lk-tuner .lk-leaders")
    expect(leaders).to_contain_text(f"领跑者（{len(expected['before'].leaders)}）")
    for sid in expected["before"].leaders["standard_id"]:
        expect(leaders).to_contain_text(sid)
    expect(page.locator(".lk-comparison-metrics")).to_contain_text("Kendall τ")
    # The score chart shows its bars before any slider moves (built from a complete figure).
    from leaderkit.app.widgets import Tuner

    bars = min(int(expected["before"].table["eligible"].sum()), Tuner.__init__.__kwdefaults__["shown"])
    expect(page.locator(".lk-tuner .js-plotly-plot .bars .point")).to_have_count(bars, timeout=30_000)
    assert_cjk_renders(page)
    screenshot(page, "expert-panel-zh")
    for css in ("lk-tuning", "lk-compare"):
        screenshot_of(page, f".{css}", f"expert-panel-{css[3:]}")


def test_moving_a_weight_slider_changes_leaders_as_the_library_says(server, page, expected):
    from playwright.sync_api import expect

    open_panel(server, page)
    before = set(expected["before"].leaders["standard_id"])
    after = set(expected["after"].leaders["standard_id"])
    assert before != after  # the chosen move matters on the sample data
    slider = page.locator(".lk-tuner .widget-slider").filter(has_text="单位功效耗电量").first
    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    leaders = page.locator(".lk-tuner .lk-leaders")
    expect(leaders).to_contain_text(f"领跑者（{len(after)}）", timeout=30_000)
    expect(leaders).to_contain_text("新入选")
    text = leaders.inner_text().split("新入选")[0]
    assert {sid for sid in before | after if sid in text} == after
    # the score chart is redrawn: the entering leaders' bars turn green
    green = page.locator(".lk-tuner .js-plotly-plot .bars .point path[style*='rgb(45, 164, 78)']")
    expect(green).to_have_count(len(after - before), timeout=30_000)
    # the checks follow the list: the screenshot waits for the comparison with the scheme as loaded
    expect(page.locator(".lk-tuner .lk-tuner-agreement")).to_contain_text("新入选", timeout=30_000)
    screenshot_of(page, ".lk-tuning", "expert-panel-after-slider")

    page.locator(".lk-export-button").click()
    link = page.locator(".lk-export a.lk-download")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    path = ARTIFACTS / "expert-panel-export.xlsx"
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    cells = {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    assert after <= cells and "XDJX-2023-A" in " ".join(cells)


LEVELS = "  levels:                              # 档次先于得分；领跑者须至少 2 项核心指标达到先进水平（RANKING.md §3a）\n"


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """A copy of the sample data whose scheme A declares no level roles: its levels only label the list."""
    import shutil

    folder = tmp_path_factory.mktemp("plain") / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    path = folder / "schemes" / "washing_machines_a.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(LEVELS)
    assert [line.split(":")[0].strip() for line in lines[at + 1:at + 4]] == ["entry", "tier", "leader"]
    path.write_text("".join(lines[:at] + lines[at + 4:]), encoding="utf-8")
    s = VoilaServer("expert_panel_plain", env={"LEADERKIT_DATA": str(folder)})
    yield s
    s.stop()


def type_into(page, slider, value: str) -> None:
    slider.locator(".widget-readout").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_levels_without_a_role_get_no_slider_and_a_note(plain, page):
    from playwright.sync_api import expect

    open_panel(plain, page)
    note = page.locator(".lk-tuner .lk-levels-note")
    expect(note).to_contain_text("ranking.levels")
    expect(page.locator(".lk-tuner .widget-slider").filter(has_text="领跑水平")).to_have_count(0)


def test_threshold_slider_moves_leaders_and_validation_as_the_library_says(server, page, expected):
    from playwright.sync_api import expect

    data = expected["data"]
    scheme = data.schemes["XDJX-2023-A"]
    kw = {"on": scheme.timeline.ranking_date, "baselines": data.baselines, "register": data.register}
    before = rank(scheme, data.standards, **kw)
    after = rank(scheme.with_changes({"indicators.wash_noise.levels.advanced": "≤ 53"}), data.standards, **kw)
    moved = set(after.leaders["standard_id"]) ^ set(before.leaders["standard_id"])
    assert moved  # the threshold matters on this data

    open_panel(server, page)
    # the sample scheme's levels act: sliders are offered for them, the rest are explained
    offered = page.locator(".lk-tuner .widget-slider").filter(has_text="水平")
    expect(offered).to_have_count(13)
    slider = page.locator(".lk-tuner .widget-slider").filter(has_text="洗涤噪声·先进水平").first
    expect(slider).to_be_visible()
    type_into(page, slider, "53")
    leaders = page.locator(".lk-tuner .lk-leaders")
    expect(leaders).to_contain_text("新入选", timeout=30_000)
    text = leaders.inner_text().split("新入选")[0]
    every = set(before.leaders["standard_id"]) | set(after.leaders["standard_id"])
    assert {sid for sid in every if sid in text} == set(after.leaders["standard_id"])
    validity = page.locator(".lk-tuner .lk-tuner-validity")
    expect(validity).to_contain_text("通过")
    # the tuned list against the scheme as loaded, and the comparison with B now uses the tuned A
    agreement = page.locator(".lk-tuner .lk-tuner-agreement")
    expect(agreement).to_contain_text("Kendall τ")
    expect(agreement).to_contain_text(f"新入选 {len(set(after.leaders['standard_id']) - set(before.leaders['standard_id']))} 项")
    expect(page.locator(".lk-comparison-metrics")).to_contain_text("XDJX-2023-A-调整-")
    expect(page.locator(".lk-tuner .lk-legend")).to_contain_text("新入选领跑者")
    rows = page.locator(".lk-tuner .lk-ranking-table tbody tr")
    expect(rows).to_have_count(int(after.table["eligible"].sum()))
    # the bars are labelled with whole standard numbers (a category axis, not dates)
    ticks = page.locator(".lk-tuner .js-plotly-plot .xtick text")
    expect(ticks.first).to_contain_text("Q/")
    screenshot_of(page, ".lk-tuning", "expert-panel-threshold")

    # save the variant, load it back: the same leaders
    page.locator(".lk-save-variant").click()
    link = page.locator(".lk-variant a.lk-download")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    saved = ARTIFACTS / "expert-panel-variant.yaml"
    info.value.save_as(saved)
    from leaderkit.schemes.model import Scheme

    variant = Scheme.load(saved)
    assert variant.derived_from == "XDJX-2023-A" and variant.id.startswith("XDJX-2023-A-调整-")
    assert rank(variant, data.standards, **kw).leaders["standard_id"].tolist() == after.leaders["standard_id"].tolist()

    # the tuning survives the language switch, both ways
    page.locator(".lk-lang button").filter(has_text="English").click()
    expect(page.locator(".lk-tuner .lk-tuner-agreement")).to_contain_text("entering", timeout=60_000)
    slider_en = page.locator(".lk-tuner .widget-slider").filter(has_text="·advanced").filter(
        has_text=scheme.indicator("wash_noise").name).first
    assert abs(float(slider_en.locator(".widget-readout").inner_text()) - 53) < 0.1
    expect(page.locator(".lk-comparison-metrics")).to_contain_text("XDJX-2023-A-调整-")
    page.locator(".lk-lang button").filter(has_text="中文").click()
    expect(page.locator(".lk-tuner .lk-tuner-agreement")).to_contain_text("新入选", timeout=60_000)
    slider = page.locator(".lk-tuner .widget-slider").filter(has_text="洗涤噪声·先进水平").first
    validity = page.locator(".lk-tuner .lk-tuner-validity")
    type_into(page, slider, "59")  # looser than the baseline level
    finding = page.locator(".lk-tuner .lk-threshold-finding").filter(has_text="LK-S011")
    expect(finding).to_be_visible(timeout=30_000)
    expect(validity).to_contain_text("未通过")
    assert "：通过" not in validity.inner_text()
    screenshot_of(page, ".lk-tuning", "expert-panel-invalid-threshold")
    for width in (1024, 1440):  # the tuning section with its findings, at a narrow and a wide window
        page.set_viewport_size({"width": width, "height": 2800})  # tall: the whole section is painted
        expect(finding).to_be_visible()
        expect(page.locator(".lk-tuner .js-plotly-plot .bars .point").first).to_be_visible(timeout=30_000)
        screenshot_of(page, ".lk-tuning", f"expert-panel-tuning-{width}")


def test_the_panel_page_names_itself_and_prints_every_section(server, page):
    """<html lang>, the page title and the slider handles' labels as on the other pages; printing gives every
    section (the tuner, its list and the comparison) on several A4 pages, without the buttons."""
    from browser_helpers import pdf_page_count
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1024, "height": 768})
    open_panel(server, page)
    expect(page.locator(".lk-comparison .js-plotly-plot")).to_be_visible(timeout=60_000)
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    assert page.title().startswith("专家评审")
    handle = page.locator(".lk-tuner .noUi-handle, .lk-tuner [role=slider]").first
    assert handle.get_attribute("aria-label") == "单位功效耗电量"
    page.emulate_media(media="print")
    assert page.locator(".lk-export-button").first.is_hidden()
    page.emulate_media(media="screen")
    assert pdf_page_count(page, "expert-panel-print") >= 3
    text = (ARTIFACTS / "expert-panel-print.pdf").read_bytes()
    assert text.startswith(b"%PDF")
