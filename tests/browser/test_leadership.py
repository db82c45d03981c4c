"""The leadership dashboard in a real browser: library numbers on the page, Chinese glyphs, English switch."""

from __future__ import annotations

import pytest
from browser_helpers import VoilaServer, assert_cjk_renders, screenshot, screenshot_of, wait_rendered

from leaderkit.app import views as db
from leaderkit.app.paths import SAMPLE_DATA

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    s = VoilaServer("leadership")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def expected():
    data = db.load_data(SAMPLE_DATA)
    on = db.reference_date(data)
    return {"head": db.headline(data), "leaders": db.leaders_by_group(data), "on": on,
            "upcoming": db.upcoming(data, on, 8)}


def test_leadership_shows_the_library_numbers(server, page, expected):
    from playwright.sync_api import expect

    n = expected["head"]
    page.goto(server.page("leadership.ipynb"), timeout=120_000)
    wait_rendered(page)
    expect(page.locator(".lk-kpi-standards b")).to_have_text(str(n["standards"]), timeout=60_000)
    expect(page.locator(".lk-kpi-rate b")).to_have_text(f"{n['rate']:.1%}")
    expect(page.locator(".lk-kpi-rate span")).to_contain_text(f"{n['stricter']}/{n['standards']}")
    expect(page.locator(".lk-kpi-violations b")).to_have_text(str(n["mandatory_violations"]))
    expect(page.locator(".lk-kpi-leaders b")).to_have_text(str(int(expected["leaders"]["leaders"].sum())))
    expect(page.locator(".lk-kpi-agencies span")).to_contain_text(f"一级 {n['grade_counts'][1]}")
    overview = page.locator(".lk-fig-overview .js-plotly-plot")
    expect(overview).to_be_visible(timeout=30_000)
    for title in ("按年份", "按领域", "按地区", "领跑者与目标", "评估机构等级分布"):
        expect(overview).to_contain_text(title)
    # plotly.js comes from the server's static file, not through the kernel (leaderkit.charts)
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)"
                           ".filter(n => n.includes('/voila/files/static/plotly-'))")
    assert len(loaded) == 1 and loaded[0].startswith(server.base)
    table = page.locator(".lk-upcoming-table")
    for row in expected["upcoming"].itertuples():
        expect(table).to_contain_text(row.subject)
        expect(table).to_contain_text(str(row.due_date))
    expect(page.get_by_text("严于国家/行业标准的比例").first).to_be_visible()
    assert_cjk_renders(page)
    screenshot(page, "leadership-zh")
    for css in ("lk-adoption", "lk-leaders-section", "lk-agencies", "lk-upcoming"):
        screenshot_of(page, f".{css}", f"leadership-zh-{css[3:]}")


def test_leadership_switches_to_english(server, page, expected):
    from playwright.sync_api import expect

    page.goto(server.page("leadership.ipynb"), timeout=120_000)
    wait_rendered(page)
    page.locator(".lk-lang button", has_text="English").click(timeout=60_000)
    expect(page.get_by_text("Enterprise standard leaders · overview")).to_be_visible(timeout=30_000)
    expect(page.locator(".lk-kpi-rate span")).to_contain_text("stricter than national/industry")
    expect(page.locator(".lk-kpi-rate b")).to_have_text(f"{expected['head']['rate']:.1%}")
    expect(page.locator(".lk-upcoming-table")).to_contain_text("list publicity ends")
    screenshot(page, "leadership-en")


def test_leadership_fits_1024_prints_on_several_pages_and_shows_nothing_internal(server, page, expected):
    """At 1024 px no figure is cut (no horizontal overflow of the figures' containers); printing gives all
    sections over several A4 pages; no debug line, internal labels or server paths; lang and title set."""
    from browser_helpers import horizontal_overflow, pdf_page_count
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(server.page("leadership.ipynb"), timeout=120_000)
    wait_rendered(page)
    overview = page.locator(".lk-fig-overview .js-plotly-plot")
    expect(overview).to_be_visible(timeout=60_000)
    expect(page.locator(".lk-target-status")).to_contain_text("估计值达标，区间含目标，尚不确定")
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    assert page.title() == "企业标准“领跑者” · 总体情况"
    assert page.locator(".lk-weeks .noUi-handle, .lk-weeks [role=slider]").first.get_attribute("aria-label") == "周数"
    for box in horizontal_overflow(page, ".lk-fig-overview, .lk-fig-overview .js-plotly-plot"):
        assert box["scroll"] <= box["client"] + 1 and box["right"] <= box["viewport"] and not box["cut"], box
    text = page.locator("body").inner_text()
    for internal in ("数据核对", "check: standards", "seed 0", "文件 00", "/work/", str(SAMPLE_DATA)):
        assert internal not in text, internal
    screenshot(page, "leadership-1024")
    assert pdf_page_count(page, "leadership-print") > 1
    page.locator(".lk-lang button", has_text="English").click()
    expect(page.get_by_text("Enterprise standard leaders · overview")).to_be_visible(timeout=30_000)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30_000)
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, "leadership-1440-en")


def test_filters_and_drill_down_show_the_library_numbers(server, page):
    from playwright.sync_api import expect

    data = db.load_data(SAMPLE_DATA)
    res = db.leadership_results(data, {"domain": "果品蔬菜"}, langs=())
    detail = db.province_detail(data, "山东省")
    page.goto(server.page("leadership.ipynb"), timeout=120_000)
    wait_rendered(page)
    expect(page.locator(".lk-kpi-standards b")).to_have_text(str(db.headline(data)["standards"]), timeout=60_000)
    page.locator(".lk-filter-domain select").select_option("果品蔬菜")
    expect(page.locator(".lk-kpi-standards b")).to_have_text(str(res["numbers"]["standards"]), timeout=60_000)
    expect(page.locator(".lk-kpi-rate b")).to_have_text(f"{res['numbers']['rate']:.1%}")
    expect(page.locator(".lk-kpi-leaders b")).to_have_text(str(res["numbers"]["leaders"]))
    expect(page.locator(".lk-filter-note")).to_contain_text("领域 = 果品蔬菜")
    targets = page.locator(".lk-target-table").first
    expect(targets).to_contain_text("果品蔬菜")
    expect(targets).not_to_contain_text("洗涤机械")
    expect(page.locator(".lk-fig-trends .js-plotly-plot")).to_be_visible(timeout=30_000)
    screenshot_of(page, ".lk-trends", "leadership-trends-filtered")
    page.locator(".lk-filter-clear").click()
    expect(page.locator(".lk-kpi-standards b")).to_have_text(str(db.headline(data)["standards"]), timeout=60_000)
    expect(page.locator(".lk-filter-clear")).to_have_count(0)  # nothing left to clear: the button goes
    page.locator(".lk-drill-region select").select_option("山东省")
    table = page.locator(".lk-drill-region-table")
    expect(table).to_be_visible(timeout=30_000)
    expect(page.locator(".lk-drill")).to_contain_text(f"{len(detail)} 家企业")
    expect(table.locator("tbody tr")).to_have_count(min(10, len(detail)))
    top = detail.iloc[0]  # sorted by leaders, most first
    if (detail["leaders"] == top["leaders"]).sum() == 1:
        expect(table.locator("tbody tr").first).to_contain_text(top["enterprise"])
    with page.expect_download() as info:
        page.locator(".lk-drill a.lk-download").first.click()
    assert info.value.suggested_filename == "山东省-企业明细.csv"
    screenshot_of(page, ".lk-drill", "leadership-drill-region")
