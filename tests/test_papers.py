"""Outputs for papers: tables opened again (openpyxl, the LaTeX text) and figures checked as files (a PNG of
the size asked for, an SVG that parses, a PDF), CJK glyphs really drawn, the dashboard's province map."""

from __future__ import annotations

import os
import struct
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from leaderkit._kit.printing import CHROMIUM
from leaderkit.app.papers import (
    PaperOutputError,
    latex_escape,
    province_map,
    write_figure,
    write_figures,
    write_table,
)

TABLE = pd.DataFrame({
    "地区": ["浙江省", "广东省", "R&D_50%#"],
    "n": [12345, 35, 7],
    "rate": [0.23456, 0.1, np.nan],
    "statistic": [1.23456, -0.5, 2.0],
    "meets_target": [True, False, True],
    "要求": ["≤0.5 mg/kg", "=SUM(A1)", "x^2 ~ {y}"],
})


def test_a_table_to_excel_has_caption_bold_headers_formatted_numbers_and_a_source(tmp_path):
    path = write_table(TABLE, tmp_path / "表1.xlsx", caption="表 1 各地区采用率", source="合成数据（种子 2023）",
                       percent=["rate"], digits={"rate": 1, "statistic": 2}, columns={"rate": "采用率"})
    ws = load_workbook(path).active
    assert ws["A1"].value == "表 1 各地区采用率" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["地区", "n", "采用率", "statistic", "meets_target", "要求"]
    assert all(c.font.b for c in ws[2])
    assert ws["A3"].value == "浙江省" and ws["B3"].value == 12345 and ws["B3"].number_format == "#,##0"
    assert ws["C3"].value == pytest.approx(0.23456) and ws["C3"].number_format == "0.0%"
    assert ws["D4"].value == -0.5 and ws["D4"].number_format == "0.00"
    assert (ws["E3"].value, ws["E4"].value) == ("是", "否")
    assert ws["C5"].value is None  # a missing rate is an empty cell
    assert ws["F4"].value == "=SUM(A1)" and ws["F4"].data_type == "s"  # text, never a formula
    assert ws["A6"].value == "资料来源：合成数据（种子 2023）" and ws["A6"].font.i
    assert ws.max_row == 6


def test_a_table_to_latex_is_booktabs_with_escaped_text(tmp_path):
    path = write_table(TABLE, tmp_path / "table-1.tex", caption="各地区采用率 (n ≥ 10) 100%", source="合成数据",
                       percent=["rate"], digits={"rate": 1}, lang="en")
    tex = path.read_text(encoding="utf-8")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "\\begin{tabular}{lrrrll}" in tex
    assert "\\caption{各地区采用率 (n $\\geq$ 10) 100\\%}" in tex and "\\label{tab:table-1}" in tex
    assert "浙江省 & 12,345 & 23.5\\% & 1.235 & yes & $\\leq$0.5 mg/kg \\\\" in tex
    assert "R\\&D\\_50\\%\\# & 7 & --- & 2.000 & yes & x\\textasciicircum{}2 \\textasciitilde{} \\{y\\} \\\\" in tex
    assert "$-$0.500" in tex and "Source: 合成数据" in tex


def test_latex_escape_every_special_character():
    assert latex_escape("a\\b&c%d$e#f_g{h}i~j^k<l>") == (
        "a\\textbackslash{}b\\&c\\%d\\$e\\#f\\_g\\{h\\}i\\textasciitilde{}j\\textasciicircum{}k\\textless{}l"
        "\\textgreater{}")
    assert latex_escape("≤0.5‰ ±1 中文") == "$\\leq$0.5\\textperthousand{} $\\pm$1 中文"


def test_a_table_refuses_an_unknown_format_or_column_and_writes_nothing(tmp_path):
    with pytest.raises(PaperOutputError) as err:
        write_table(TABLE, tmp_path / "t.docx")
    assert ".xlsx" in err.value.text.zh and ".tex" in err.value.text.en
    with pytest.raises(PaperOutputError):
        write_table(TABLE, tmp_path / "t.xlsx", percent=["no such column"])
    with pytest.raises(PaperOutputError):
        write_figure(object(), tmp_path / "f.gif")
    assert list(tmp_path.iterdir()) == []


def test_no_browser_says_what_to_install(tmp_path):
    import plotly.graph_objects as go

    with pytest.raises(PaperOutputError) as err:
        write_figure(go.Figure(), tmp_path / "f.png", chromium=str(tmp_path / "no-chromium"))
    assert "chromium" in err.value.hint.zh and "fonts-noto-cjk" in err.value.hint.en
    assert not (tmp_path / "f.png").exists()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and os.environ.get("LEADERKIT_REQUIRE_BROWSER") != "1",
    reason="Debian chromium is not installed")


@needs_chromium
def test_figures_to_png_svg_and_pdf_with_chinese_drawn(tmp_path):
    import plotly.graph_objects as go

    bar = go.Figure(go.Bar(x=["浙江省", "广东省"], y=[0.3, 0.2]))
    bar.update_layout(title="各省采用率")

    def words(text):
        fig = go.Figure()
        fig.update_layout(title=dict(text=text, font=dict(size=40)), xaxis_visible=False, yaxis_visible=False)
        return fig

    png, svg, pdf, zhejiang, guangdong, zhejiang_again = write_figures(
        [(bar, tmp_path / "bar.png"), (bar, tmp_path / "bar.svg"), (bar, tmp_path / "bar.pdf"),
         (words("浙江"), tmp_path / "zj.png"), (words("广东"), tmp_path / "gd.png"),
         (words("浙江"), tmp_path / "zj2.png")], width=640, height=360)
    assert png_size(png.read_bytes()) == (640, 360)
    root = ET.fromstring(svg.read_bytes())
    assert root.tag.endswith("svg") and root.get("width") == "640" and root.get("height") == "360"
    assert "各省采用率" in svg.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF")
    # Without a CJK font both titles are the same row of empty boxes; with it they differ.
    assert zhejiang.read_bytes() == zhejiang_again.read_bytes()
    assert zhejiang.read_bytes() != guangdong.read_bytes()


@needs_chromium
def test_the_province_map_is_the_dashboards(tmp_path):
    from leaderkit.app.maps import choropleth_figure

    table = pd.DataFrame({"region": ["浙江省", "广东省", "全国"], "n": [120, 80, 200], "rate": [0.31, 0.12, 0.2]})
    fig = province_map(table, lang="en")
    same = choropleth_figure(table.set_index("region")["rate"], counts=table.set_index("region")["n"], lang="en",
                             title=fig.layout.title.text, width=900, height=700)
    painted = {t.name: t.fillcolor for t in fig.data if t.fill == "toself"}
    assert painted == {t.name: t.fillcolor for t in same.data if t.fill == "toself"}
    assert painted["浙江省"] != painted["广东省"]
    path = write_figure(fig, tmp_path / "map@2x.png", width=450, height=350, scale=2)  # for print
    assert png_size(path.read_bytes()) == (900, 700)
