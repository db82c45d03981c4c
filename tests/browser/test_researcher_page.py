"""`make run`'s researcher page: notebook 02 served by Voilà shows the library's headline figure."""

import pytest
from browser_helpers import ROOT, VoilaServer, screenshot, wait_rendered

from leaderkit import benchmark, load_baselines, load_standards
from leaderkit.paths import data_file

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    s = VoilaServer(ROOT / "notebooks" / "02_adoption_analysis.ipynb")
    yield s
    s.stop()


def test_adoption_notebook_renders_with_library_numbers(server, page):
    from playwright.sync_api import expect

    bm = benchmark(load_standards(data_file("standards.csv")), load_baselines(data_file("baselines.csv")))
    s = bm.summary()
    page.goto(server.base + "/", timeout=120_000)
    wait_rendered(page)
    expect(page.get_by_text(f"高于国家/行业标准：{s['stricter']} / {s['standards']} = {s['rate']:.1%}")).to_be_visible(
        timeout=60_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    screenshot(page, "researcher-adoption")
