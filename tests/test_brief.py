"""`leaderkit report`: the leadership brief as self-contained HTML and a PDF printed by Chromium, with the
page's own numbers (filters included)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from leaderkit.app import views as db
from leaderkit.app.brief import brief_html, write_brief
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.cli import main

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def data():
    return db.load_data(SAMPLE_DATA)


def pages(payload: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", payload))


def test_brief_html_carries_the_page_numbers_and_opens_offline(data, tmp_path):
    res = db.leadership_results(data)
    paths = write_brief(tmp_path, folder=SAMPLE_DATA, lang="zh", pdf=False)
    text = paths["html"].read_text(encoding="utf-8")
    n = res["numbers"]
    assert f"<b>{n['standards']}</b>" in text and f"<b>{n['rate']:.1%}</b>" in text
    assert f"<b>{n['leaders']}</b>" in text and f"{n['stricter']}/{n['standards']}" in text
    assert text.count("Plotly.newPlot") == 3  # overview, trends, provinces
    assert "<script src=" not in text and len(text) > 3_000_000  # plotly.js inlined: the file opens offline
    assert "lang='zh-CN'" in text and "总体情况简报" in text
    assert str(SAMPLE_DATA) not in text  # no server path
    for row in res["targets"].itertuples():
        assert f"{row.rate:.1%} ({row.stricter}/{row.n})" in text


def test_a_filtered_brief_has_the_filtered_numbers(data):
    res = db.filtered_leadership(data, {"region": "浙江省"}, "en")
    text = brief_html(res, "en")
    assert f"<b>{res['numbers']['standards']}</b>" in text and "filtered: region = 浙江省" in text
    assert res["numbers"]["standards"] < db.headline(data)["standards"]


def test_report_command_refuses_a_bad_filter_and_an_empty_selection(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path), "--no-pdf", "--filter", "domain"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
    assert main(["report", "--out", str(tmp_path), "--no-pdf", "--filter", "province=江苏省"]) == 2
    assert main(["report", "--out", str(tmp_path), "--no-pdf", "--filter", "region=西藏自治区",
                 "--filter", "domain=洗涤机械"]) == 2
    assert "简报为空" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # nothing half-written


@pytest.mark.skipif(not CHROMIUM.exists() and os.environ.get("LEADERKIT_REQUIRE_BROWSER") != "1",
                    reason="Debian chromium is not installed")
def test_report_prints_every_section_on_a4_pages(tmp_path, capsys):
    assert main(["--lang", "en", "report", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    pdf = tmp_path / "leadership-brief-en.pdf"
    assert f"pdf: {pdf}" in out
    payload = pdf.read_bytes()
    assert payload.startswith(b"%PDF") and pages(payload) >= 3
    boxes = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", payload)
    assert boxes and all(abs(float(w) - 595.0) < 1 and abs(float(h) - 842.0) < 1 for w, h in boxes)  # A4
