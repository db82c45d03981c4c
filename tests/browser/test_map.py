"""The province map drawn by plotly.js in Debian's Chromium (tests/artifacts/map-check.png for a person to
look at): one filled shape per province, and the hover over Jiangsu gives its rate."""

from __future__ import annotations

import pytest
from browser_helpers import ARTIFACTS

from leaderkit import benchmark, load_baselines, load_standards
from leaderkit.app import maps
from leaderkit.app.paths import SAMPLE_DATA

pytestmark = pytest.mark.browser


def test_the_map_draws_in_chromium(browser, tmp_path):
    standards = load_standards(SAMPLE_DATA / "standards.csv")
    adoption = benchmark(standards, load_baselines(SAMPLE_DATA / "baselines.csv")).adoption(by=["region"])
    adoption = adoption.set_index("region")
    shapes = maps.province_shapes(cache_dir=tmp_path / "cache")
    fig = maps.choropleth_figure(adoption["rate"], counts=adoption["n"], shapes=shapes, width=1100, height=760,
                                 title="各省企业标准严于国家、行业标准的比例（示意数据）")
    html = tmp_path / "map.html"
    fig.write_html(html, include_plotlyjs=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    x, y = maps.project(119.5, 33.0)  # inside Jiangsu
    page = browser.new_page(viewport={"width": 1140, "height": 800})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(html.as_uri())
        page.wait_for_selector(".main-svg")
        page.screenshot(path=str(ARTIFACTS / "map-check.png"))
        fills = page.locator(".scatterlayer path.js-fill").count()
        where = page.evaluate("""([x, y]) => { const g = document.querySelector('.js-plotly-plot');
            const f = g._fullLayout, r = g.getBoundingClientRect();
            return [r.left + f.xaxis._offset + f.xaxis.l2p(x), r.top + f.yaxis._offset + f.yaxis.l2p(y)]; }""",
                              [float(x), float(y)])
        page.mouse.move(*where)
        page.wait_for_selector(".hoverlayer .hovertext")
        hover = page.locator(".hoverlayer .hovertext").text_content()
    finally:
        page.close()
    assert not errors
    assert fills == 34
    rate = adoption.loc["江苏省", "rate"]
    assert "江苏省" in hover and f"{rate:.1%}" in hover and f"n={adoption.loc['江苏省', 'n']}" in hover
