"""The ranking explorer in a real browser: the library's ranking, the publicity download, uploads of a GBK
CSV (bad row listed) and of a corrupted Excel file (error message in the page, no traceback)."""

from __future__ import annotations

import re
from pathlib import Path

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

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    s = VoilaServer("ranking_explorer")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def expected():
    data = db.load_data(SAMPLE_DATA)
    return {"data": data, "ranking": db.scheme_ranking(data, "XDJX-2023-A")}


def open_explorer(server, page):
    from playwright.sync_api import expect

    page.goto(server.page("ranking_explorer.ipynb"), timeout=120_000)
    wait_rendered(page)
    expect(page.locator(".lk-explorer-ranking")).to_be_visible(timeout=60_000)


def upload(page, path) -> None:
    """Choose a file with the page's upload button, as a person does (the file input is not in the DOM)."""
    with page.expect_file_chooser() as chooser:
        page.locator(".lk-upload").click()
    chooser.value.set_files(str(path))


def test_explorer_shows_the_ranking_and_downloads_the_publicity_excel(server, page, expected):
    from playwright.sync_api import expect

    r = expected["ranking"]
    open_explorer(server, page)
    expect(page.locator(".lk-scheme select")).to_have_value(re.compile(r"^XDJX-2023-A "))
    expect(page.locator(".lk-kpi-eligible b")).to_have_text(str(int(r.table["eligible"].sum())))
    expect(page.locator(".lk-kpi-leaders b")).to_have_text(str(len(r.leaders)))
    table = page.locator(".lk-explorer-ranking")
    first = r.table.iloc[0]
    expect(table.locator("tr", has_text=first["standard_id"]).first).to_contain_text(first["why_zh"])
    excluded = r.excluded.iloc[0]
    expect(page.locator(".lk-explorer-ranking")).to_contain_text("不符合原因")
    expect(page.locator(".lk-fig-robustness .js-plotly-plot")).to_be_visible(timeout=30_000)
    assert_cjk_renders(page)
    screenshot(page, "explorer-zh")
    screenshot_of(page, ".lk-robustness", "explorer-robustness")

    with page.expect_download() as info:
        page.locator(".lk-download-box a.lk-download[download$='.xlsx']").click()
    assert info.value.suggested_filename == "XDJX-2023-A-公示名单.xlsx"
    path = ARTIFACTS / "explorer-publicity.xlsx"
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["排行榜", "领跑者名单", "未入榜及原因"]
    cells = {str(c) for row in wb["领跑者名单"].iter_rows(values_only=True) for c in row if c}
    assert set(r.leaders["standard_id"]) <= cells
    excluded_cells = {str(c) for row in wb["未入榜及原因"].iter_rows(values_only=True) for c in row if c}
    assert excluded["standard_id"] in excluded_cells


def test_gbk_upload_is_read_and_the_bad_row_listed(server, page):
    from playwright.sync_api import expect

    open_explorer(server, page)
    upload(page, SAMPLE_DATA / "standards_gbk.csv")
    status = page.locator(".lk-explorer-status")
    expect(status).to_contain_text("已读取 standards_gbk.csv：30 项标准（编码 gb18030）", timeout=60_000)
    expect(status).to_contain_text("第 18 行 standard_id：必填项为空")
    expect(page.locator(".lk-source select")).to_have_value("上传的文件：standards_gbk.csv")
    screenshot_of(page, ".lk-explorer-status", "explorer-gbk-upload")


def test_corrupted_excel_shows_the_error_in_the_page(server, page, tmp_path):
    from playwright.sync_api import expect

    good = (SAMPLE_DATA / "standards.xlsx").read_bytes()
    bad = tmp_path / "损坏的文件.xlsx"
    bad.write_bytes(good[: len(good) // 3])
    open_explorer(server, page)
    upload(page, bad)
    status = page.locator(".lk-explorer-status .lk-error")
    expect(status).to_contain_text("损坏的文件.xlsx 不是有效的Excel (.xlsx) 文件", timeout=60_000)
    expect(status).to_contain_text("损坏的文件.xlsx is not a valid Excel (.xlsx) file")
    expect(page.locator("body")).not_to_contain_text("Traceback")
    expect(page.locator(".lk-explorer-ranking")).to_be_visible()  # the previous ranking stays
    screenshot(page, "explorer-corrupt-excel")


def test_a_file_over_the_upload_limit_is_refused_in_the_page(server, page, tmp_path):
    """The page checks the size before sending (a file over the websocket limit would otherwise drop the
    connection silently) and says why; the previous ranking stays."""
    from playwright.sync_api import expect

    from leaderkit.app.upload import UPLOAD_LIMIT_BYTES

    big = tmp_path / "很大的文件.csv"
    with big.open("wb") as fh:
        fh.truncate(UPLOAD_LIMIT_BYTES + 2 * 1024 * 1024)
    open_explorer(server, page)
    upload(page, big)
    status = page.locator(".lk-explorer-status .lk-error")
    expect(status).to_contain_text("很大的文件.csv 有 22.0 MB，超过上限 20 MB", timeout=60_000)
    expect(page.locator(".lk-explorer-ranking")).to_be_visible()


BUSY_PROBE = """() => {
  window.__lkSeen = [];
  const note = () => window.__lkSeen.push({
    busy: !!document.querySelector('.lk-busy'),
    download: !!document.querySelector('.lk-download-box a.lk-download'),
    kpi: (document.querySelector('.lk-kpi-leaders b') || {}).textContent || null});
  new MutationObserver(note).observe(document.body, {childList: true, subtree: true});
}"""


def test_scheme_change_shows_busy_then_the_new_result_and_a_failing_scheme_is_a_draft(server, page, expected):
    """While the new scheme is ranked the page says so and offers no download; the picker says which schemes
    pass validation; a failing scheme's workbook is named and titled 未通过校验·草案."""
    from playwright.sync_api import expect

    open_explorer(server, page)
    picker = page.locator(".lk-scheme select")
    expect(picker).to_have_value("XDJX-2023-A · 洗涤机械 · 校验通过")
    expect(picker.locator("option", has_text="XDJX-2023-DEFECT-WEIGHTS-SUM")).to_have_text(
        "XDJX-2023-DEFECT-WEIGHTS-SUM · 洗涤机械 · 校验未通过")
    page.evaluate(BUSY_PROBE)
    picker.select_option(label="XDJX-2023-DEFECT-WEIGHTS-SUM · 洗涤机械 · 校验未通过")
    draft = page.locator(".lk-download-box a[download='XDJX-2023-DEFECT-WEIGHTS-SUM-未通过校验·草案.xlsx']")
    expect(draft).to_be_visible(timeout=60_000)
    seen = page.evaluate("() => window.__lkSeen")
    busy = [s for s in seen if s["busy"]]
    assert busy, "no busy state was shown while the ranking was recomputed"
    assert not any(s["download"] or s["kpi"] for s in busy), "a download or a KPI was shown while busy"
    expect(page.locator(".lk-explorer-status .lk-warning")).to_contain_text("未通过校验")
    with page.expect_download() as info:
        draft.click()
    path = ARTIFACTS / "explorer-unvalidated.xlsx"
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert all("未通过校验·草案" in next(wb[s].iter_rows(values_only=True))[0] for s in wb.sheetnames)
    screenshot(page, "explorer-unvalidated")


def test_ranking_pages_searches_and_downloads_as_csv(server, page, expected):
    from playwright.sync_api import expect

    r = expected["ranking"]
    open_explorer(server, page)
    info = page.locator(".lk-table-info")
    expect(info).to_contain_text(f"共 {len(r.table)} 行")
    assert page.locator(".lk-explorer-ranking tbody tr").count() == 25
    page.locator(".lk-table-search input").fill("ZJF")
    page.locator(".lk-table-search input").press("Enter")
    expect(info).to_contain_text("共 2 行", timeout=30_000)
    expect(page.locator(".lk-explorer-ranking")).to_contain_text("公开日期晚于榜单日期")
    expect(page.locator("body")).not_to_contain_text("公开 -")
    with page.expect_download() as dl:
        page.locator(".lk-download-box a.lk-download-csv").click()
    assert dl.value.suggested_filename == "XDJX-2023-A-排行榜.csv"
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("名次,领跑者,标准编号") and len(text.splitlines()) == len(r.table) + 1


def test_explorer_shows_nothing_internal(server, page):
    from playwright.sync_api import expect

    open_explorer(server, page)
    text = page.locator("body").inner_text()
    for internal in ("数据核对", "check: source", "/work/", str(SAMPLE_DATA)):
        assert internal not in text, internal
    expect(page.locator(".lk-explorer-ranking")).to_be_visible()


def test_explorer_fits_1024_and_prints_on_several_pages(server, page):
    from browser_helpers import horizontal_overflow, pdf_page_count
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1024, "height": 768})
    open_explorer(server, page)
    expect(page.locator(".lk-fig-robustness .js-plotly-plot")).to_be_visible(timeout=60_000)
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    assert page.title().startswith("排行榜浏览")
    for box in horizontal_overflow(page, ".lk-fig-robustness, .lk-fig-robustness .js-plotly-plot"):
        assert box["scroll"] <= box["client"] + 1 and box["right"] <= box["viewport"] and not box["cut"], box
    screenshot(page, "explorer-1024")
    assert pdf_page_count(page, "explorer-print") > 1
