"""The ranking explorer in a real browser: the library's ranking, the publicity download, uploads of a GBK
CSV (bad row listed) and of a corrupted Excel file (error message in the page, no traceback)."""

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
        page.locator(".lk-download-box a.lk-download").click()
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
