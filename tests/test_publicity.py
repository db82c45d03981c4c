"""The publicity workbook: sheets, Chinese headers, scheme and digest on every sheet, formula injection."""

from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from leaderkit import load_standards
from leaderkit._kit.cells import neutralise
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.ranking.publicity import SHEETS
from leaderkit.ranking.result import rank
from leaderkit.schemes.model import Scheme

ON = date(2023, 12, 31)


@pytest.fixture(scope="module")
def result():
    scheme = Scheme.load(SAMPLE_DATA / "schemes" / "washing_machines_b.yaml")
    data = load_standards(SAMPLE_DATA / "standards.csv")
    data = data.copy()
    first = data["standard_id"] == "Q/UEH 0039-2018"  # the first of scheme B's list
    data["enterprise"] = data["enterprise"].where(~first, '=HYPERLINK("http://x","点击")')
    return rank(scheme, data, on=ON)


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_sheets_headers_and_provenance(result, tmp_path):
    path = result.to_excel(tmp_path / "公示.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == list(SHEETS) == ["排行榜", "领跑者名单", "未入榜及原因"]
    for ws in wb.worksheets:
        top = {r[0]: r[1] for r in rows(ws)[:8] if r and r[0]}
        assert top["方案编号"] == "XDJX-2023-B"
        assert top["榜单日期"] == "2023-12-31"
        assert top["校验码（方案+数据+leaderkit 版本，SHA-256）"] == result.digest
        assert top["评估机构"] == result.scheme.agency.name
    ranking = rows(wb["排行榜"])
    header = ranking[8]
    assert header[:5] == ["排名", "标准编号", "企业名称", "地区", "综合得分"]
    assert "单位功效耗电量（kW·h/(cycle·kg)）" in header and header[-2:] == ["领跑者", "并列于分界"]
    body = [r for r in ranking[9:] if r[0] is not None]
    assert len(body) == int(result.table["eligible"].sum())
    assert [r[0] for r in body] == result.table.loc[result.table["eligible"], "rank"].tolist()
    leaders = rows(wb["领跑者名单"])
    assert leaders[8] == ["排名", "标准编号", "企业名称", "地区", "综合得分", "入选理由"]
    assert [r[1] for r in leaders[9:9 + len(result.leaders)]] == result.leaders["standard_id"].tolist()
    excluded = rows(wb["未入榜及原因"])
    assert excluded[8][:4] == ["标准编号", "企业名称", "地区", "未入榜原因"]
    assert len([r for r in excluded[9:] if r[0]]) == len(result.excluded)


def test_formula_cells_are_neutralised(result, tmp_path):
    wb = load_workbook(result.to_excel(tmp_path / "list.xlsx"))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    injected = [c for c in cells if "HYPERLINK" in c.value]
    # stored as text, shown exactly as written: no formula, and no apostrophe added to the cell's text
    assert injected and all(c.value.startswith("=HYPERLINK") and c.data_type == "s" and c.quotePrefix
                            for c in injected)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells if c.value.startswith(("=", "+", "-", "@")))


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+86 10", "'+86 10"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("正常文本", "正常文本"), (-2.5, -2.5), (None, None),
])
def test_csv_cells_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_atomic_write_leaves_no_temporary_file(result, tmp_path):
    target = tmp_path / "out" / "公示.xlsx"
    result.to_excel(target)
    result.to_excel(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["公示.xlsx"]
    assert pd.read_excel(target, sheet_name="领跑者名单", header=None).iloc[1, 1] == "XDJX-2023-B"


def test_tuned_variant_is_headed_as_a_draft_with_its_changes(tmp_path):
    from leaderkit.app.widgets import Tuner

    scheme = Scheme.load(SAMPLE_DATA / "schemes" / "washing_machines_b.yaml")
    data = load_standards(SAMPLE_DATA / "standards.csv")
    tuner = Tuner(scheme, data, on=ON)
    tuner.set_weight("energy_use", 0.5)
    tuner.set_threshold("water_use", "leader", "≤ 11")
    wb = load_workbook(tuner.ranking.to_excel(tmp_path / "draft.xlsx"))
    assert wb.sheetnames == [*SHEETS, "调整记录"]
    for ws in wb.worksheets:
        first = rows(ws)
        assert "调整方案·草案" in first[0][0]
        top = {r[0]: r[1] for r in first[:9] if r and r[0]}
        assert top["方案编号"] == tuner.scheme.id != scheme.id
        assert top["调整方案所依据的正式方案"] == scheme.id
    changes = [r for r in rows(wb["调整记录"])[10:] if r[0]]
    assert ["indicators.energy_use.weight", f"{scheme.indicator('energy_use').weight:g}", "0.5"] in changes
    assert ["indicators.water_use.levels.leader", scheme.indicator("water_use").levels.leader, "≤ 11"] in changes
    official = load_workbook(rank(scheme, data, on=ON).to_excel(tmp_path / "official.xlsx"))
    assert official.sheetnames == list(SHEETS) and "草案" not in rows(official["排行榜"])[0][0]
