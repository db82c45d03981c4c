"""Reports from the registers (报告): the annual programme summary and MOFCOM's typical cases, written as .docx
and .xlsx, opened again with python-docx and openpyxl, and every number checked against the registers."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from leaderkit._kit.files import OutputError
from leaderkit.agencies.reports import ReportError, programme_summary, typical_cases
from leaderkit.cli import main
from leaderkit.registers.rounds import RoundRegister
from leaderkit.registers.titles import TitleRegister
from leaderkit.schemes.round import award

WASH, SHOP, FOOD = "洗涤机械", "电子商务", "正餐服务"
HB, HZ, XX = "华标洗涤装备评价中心", "衡准电商服务评价中心", "新禾餐饮标准促进会"


def title(tid, enterprise, standard, domain, agency, published="2023-11-16", until="2024-11-15") -> dict:
    return {"title_id": tid, "standard": standard, "enterprise": enterprise, "domain": domain, "scheme": None,
            "agency": agency, "published": published, "valid_until": until}


def windows(rounds, domain, objection: str) -> str:
    """Scheme window and list window of 2023 in `domain`, the list with one objection closed as `objection`."""
    rounds.open_window("scheme", 2023, domain, "2023-08-21", "2023-09-01")
    rounds.publish(f"2023/{domain}/scheme", on="2023-09-04")
    wid = rounds.open_window("list", 2023, domain, "2023-11-01", "2023-11-14")
    oid = rounds.object(wid, "某企业", on="2023-11-03", about="排名有误")
    rounds.close_objection(oid, on="2023-11-10", opinion="经专家评议", outcome=objection)
    rounds.publish(wid, on="2023-11-15")
    return wid


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    """A MOFCOM 2023 round: three key domains called, two agencies approved, two lists published with an
    objection each (one upheld), four leader titles of three enterprises, a complaint, two samplings (one
    failed → revoked), one title ended by adjustment, a disqualified agency, grades, summaries, five experts."""
    d = tmp_path_factory.mktemp("reports")
    rpath, tpath = d / "rounds.duckdb", d / "titles.duckdb"
    with RoundRegister(rpath, programme="mofcom-2023", create=True) as rounds, \
            TitleRegister(tpath, create=True) as titles:
        for n in range(1, 6):
            rounds.add_expert(f"E{n}", f"专家{n}", f"中立单位{n}", on="2023-01-01")
        rounds.call(2023, [WASH, SHOP, FOOD], on="2023-07-15")
        rounds.submit_scheme("XDJX-2023-A", HB, 2023, WASH, on="2023-08-01")
        rounds.approve_scheme("XDJX-2023-A", on="2023-08-15", experts=["E1", "E2", "E3", "E4", "E5"])
        rounds.submit_scheme("DZSW-2023-A", HZ, 2023, SHOP, on="2023-08-01")
        rounds.approve_scheme("DZSW-2023-A", on="2023-08-15")
        rounds.submit_scheme("ZCFW-2023-A", XX, 2023, FOOD, on="2023-08-02")
        wash = windows(rounds, WASH, "rejected")
        shop = windows(rounds, SHOP, "upheld")
        titles.add_title(**title("T0", "企业甲", "Q/JA 0-2022", WASH, HB, "2022-12-01", "2023-11-30"))
        award(titles, rounds, wash, pd.DataFrame([title("T1", "企业甲", "Q/JA 1-2023", WASH, HB),
                                                  title("T2", "企业乙", "Q/YI 7-2023", WASH, HB),
                                                  title("T3", "企业甲", "Q/JA 2-2023", WASH, HB)]))
        award(titles, rounds, shop, pd.DataFrame([title("T4", "企业丙", "Q/BING 3-2023", SHOP, HZ)]))
        complaint = rounds.complain("消费者张某", on="2023-11-20", about="噪声偏高", title_id="T2")
        rounds.record_sampling("T1", "滚筒洗衣机", "Q/JA 1-2023", "洗涤噪声", "≤60 dB(A)", "58 dB(A)", on="2023-11-22")
        failed = rounds.record_sampling("T2", "波轮洗衣机", "Q/YI 7-2023", "洗涤噪声", "≤60 dB(A)", "63 dB(A)",
                                        on="2023-11-22", complaint=complaint)
        rounds.close_complaint(complaint, on="2023-11-23", outcome="substantiated", opinion="抽查证实")
        rounds.decide_case(failed.case_id, on="2023-11-28", titles=titles, revoke=True, opinion="抽查不合格")
        titles.adjust("T3", "product_discontinued", on="2023-12-10")
        titles.disqualify_agency("违规评价所", "fees", on="2023-06-01")
        rounds.record_grade(HB, 2023, 1, "2023-12-28", name="一级", exempt_years=2)
        rounds.record_grade(HZ, 2023, 4, "2023-12-28", name="四级", rectification=True)
        rounds.submit_summary(HB, 2023, on="2023-12-20", covers=list("abcde"))
    return rpath, tpath


@pytest.fixture
def opened(registers):
    rpath, tpath = registers
    with RoundRegister(rpath) as rounds, TitleRegister(tpath) as titles:
        yield rounds, titles


def table_with(doc, header: str) -> list[list[str]]:
    """The rows (as text) of the first Word table whose first header cell is `header`."""
    for t in doc.tables:
        if t.rows[0].cells[0].text == header:
            return [[c.text for c in row.cells] for row in t.rows]
    raise AssertionError(f"no table headed {header}")


def sheet_rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


# --- the annual summary ---------------------------------------------------------------------------------
def test_the_summary_counts_every_figure_from_the_registers(opened):
    rounds, titles = opened
    report = programme_summary(rounds, titles, 2023)
    assert report.as_of == date(2023, 12, 31)
    assert report.figures == {
        "domains_called": 3, "schemes_submitted": 3, "schemes_approved": 2, "schemes_without_review": 0,
        "agencies_approved": 2, "windows": 4, "objections": 2, "objections_upheld": 1, "lists_published": 2,
        "leaders": 4, "leader_enterprises": 3, "leader_standards": 4, "complaints": 1, "complaints_substantiated": 1,
        "samplings": 2, "samplings_failed": 1, "cases_opened": 1, "revocations": 1, "adjustments": 1,
        "enterprises_barred": 1, "agencies_barred": 1, "agencies_graded": 2, "grade_1": 1, "grade_2": 0,
        "grade_3": 0, "grade_4": 1, "summaries_due": 2, "summaries_on_time": 1, "experts": 5, "reviews": 5}
    # as of an earlier day the same registers give that day's figures
    early = programme_summary(rounds, titles, 2023, on="2023-11-21")
    assert (early.figures["leaders"], early.figures["revocations"], early.figures["samplings"],
            early.figures["agencies_graded"]) == (4, 0, 0, 0)
    assert programme_summary(rounds, titles, 2022).figures["leaders"] == 1  # T0, published 2022-12-01


def test_the_summary_as_word_document(opened, tmp_path):
    rounds, titles = opened
    path = programme_summary(rounds, titles, 2023).to_docx(tmp_path / "总结.docx")
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "2023年商务领域企业标准“领跑者”活动：2023 年度实施情况总结"
    overview = {row[0]: row[1] for row in table_with(doc, "项目")[1:]}
    assert overview["领跑者称号"] == "4" and overview["取消称号"] == "1" and overview["其中：一级"] == "1"
    assert overview["其中：按时提交"] == "1" and overview["处于禁入期的企业"] == "1"
    domains = table_with(doc, "重点领域")
    assert domains[0] == ["重点领域", "产业类别", "申报方案", "评估机构", "名单发布日期", "领跑者称号", "企业", "异议",
                          "取消称号"]
    assert domains[1:] == [
        [WASH, "专业设备制造业", "1", HB, "2023-11-15", "3", "2", "1", "1"],
        [SHOP, "电子商务", "1", HZ, "2023-11-15", "1", "1", "1", "0"],
        [FOOD, "餐饮业", "1", "—", "—", "0", "0", "0", "0"],
        ["合计", "—", "3", "2 家", "—", "4", "3", "2", "1"]]
    leaders = table_with(doc, "称号编号")
    assert [r[0] for r in leaders[1:]] == ["T1", "T2", "T3", "T4"]
    assert {r[0]: r[7] for r in leaders[1:]} == {"T1": "有效", "T2": "已取消", "T3": "已动态调整", "T4": "有效"}
    revoked = [t for t in doc.tables if "理由序号" in [c.text for c in t.rows[0].cells]][0]
    assert [c.text for c in revoked.rows[1].cells] == ["T2", "企业乙", "Q/YI 7-2023", WASH, "4",
                                                        "产品抽检发现达不到公开标准水平", "2023-11-28", "2026-11-28"]
    agencies = {r[0]: r for r in table_with(doc, "评估机构")[1:]}
    assert agencies[HB][1:6] == [WASH, "1", "一级", "后续两个年度可在相关领域持续开展评估，评估方案无需重新评审",
                                 "2023-12-20 提交"]
    assert agencies[HZ][3] == "四级" and agencies[HZ][4].startswith("限期整改") and agencies[HZ][5] == "未提交"
    texts = [p.text for p in doc.paragraphs]
    assert any("rounds.duckdb" in t and "统计截至 2023-12-31" in t for t in texts)


def test_the_summary_as_workbook_in_both_languages(opened, tmp_path):
    rounds, titles = opened
    report = programme_summary(rounds, titles, 2023)
    wb = load_workbook(report.to_xlsx(tmp_path / "统计.xlsx"))
    assert wb.sheetnames == ["主要数据", "分领域统计", "企业标准“领跑者”名单", "取消称号", "评估机构与评价结果", "说明"]
    overview = {r[0]: r[1] for r in sheet_rows(wb["主要数据"])[2:]}
    assert overview["领跑者企业"] == 3 and overview["发布的排行榜和“领跑者”名单"] == 2 and overview["其中：异议成立"] == 1
    assert overview["被取消资格、处于禁入期的评估机构"] == 1 and overview["评审人次"] == 5
    rows = sheet_rows(wb["分领域统计"])
    assert rows[0][0] == "分领域统计" and rows[1][0] == "重点领域"
    assert rows[2] == (WASH, "专业设备制造业", 1, HB, datetime(2023, 11, 15), 3, 2, 1, 1)
    assert rows[5] == ("合计", None, 3, "2 家", None, 4, 3, 2, 1)
    assert wb["分领域统计"].cell(row=3, column=5).number_format == "yyyy-mm-dd"
    revoked = sheet_rows(wb["取消称号"])[2]
    assert revoked[0] == "T2" and revoked[4] == 4 and revoked[6:] == (datetime(2023, 11, 28), datetime(2026, 11, 28))
    en = load_workbook(report.to_xlsx(tmp_path / "figures.xlsx", lang="en"))
    assert en.sheetnames[:2] == ["Key figures", "By key domain"]
    head = sheet_rows(en["By key domain"])[1]
    assert head[:3] == ("key domain", "category", "schemes submitted")
    assert sheet_rows(en["By key domain"])[5][0] == "Total"
    figures = {r[0]: r[1] for r in sheet_rows(en["Key figures"])[2:]}
    assert figures["leader titles"] == 4 and figures["of which grade 4"] == 1
    assert report.frame("leaders", "en")["status on 2023-12-31"].tolist() == ["in force", "revoked",
                                                                             "ended by adjustment", "in force"]


# --- MOFCOM's typical cases (000 三) ---------------------------------------------------------------------
def test_typical_cases_from_a_table_with_chinese_headers(opened, tmp_path):
    rounds, titles = opened
    cases = tmp_path / "cases.csv"
    cases.write_text("称号编号,特色亮点,经验做法\nT4,售后响应时限严于行业标准,联合平台开设领跑专区\nT1,洗涤噪声低于国标 5 dB,\n",
                     encoding="utf-8")
    report = typical_cases(rounds, titles, cases, year=2023, on="2023-11-29")
    assert report.figures == {"cases": 2, "leaders": 4, "leader_enterprises": 3, "domains_with_leaders": 2,
                              "categories_with_cases": 2}
    doc = Document(str(report.to_docx(tmp_path / "典型案例.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert doc.paragraphs[0].text == "2023年商务领域企业标准“领跑者”活动典型案例"
    assert "案例 1：企业丙" in texts and "案例 2：企业甲" in texts
    assert "特色亮点：售后响应时限严于行业标准" in texts and "经验做法：联合平台开设领跑专区" in texts
    assert not any(t.startswith("经验做法") and "噪声" in t for t in texts)
    assert any("企业甲的企业标准 Q/JA 1-2023（洗涤机械领域，专业设备制造业）于 2023-11-16 入选" in t for t in texts)
    assert any(t == "报送截止日：2023-11-30（000 三（2023年11月30日前报送））。" for t in texts)
    listed = table_with(doc, "序号")
    assert [r[1] for r in listed[1:]] == ["企业丙", "企业甲"] and listed[1][4] == "电子商务" and listed[2][10] == "—"
    wb = load_workbook(report.to_xlsx(tmp_path / "典型案例.xlsx"))
    stats = {r[1]: r[2:] for r in sheet_rows(wb["分领域“领跑者”统计"])[2:]}
    assert len(stats) == 17  # the 16 key domains of document 000 附件1 and the total
    assert stats[WASH] == (3, 2, 1) and stats[SHOP] == (1, 1, 1) and stats["翻译服务"] == (0, 0, 0)
    assert stats["合计"] == (4, 3, 2)
    late = typical_cases(rounds, titles, {"T1": "噪声低"}, year=2023, on="2023-12-05")
    assert any("已晚于截止日" in n.zh for n in late.notes) and "已过" in late.section("cases").paragraphs[-1].zh


def test_a_typical_case_must_be_a_leader_in_force(opened):
    rounds, titles = opened
    with pytest.raises(ReportError) as refused:
        typical_cases(rounds, titles, pd.DataFrame({
            "title_id": ["T2", "T3", "T0", "T9", "T1", "T1"], "highlight": ["a", "b", "c", "d", "", "e"]}),
            on="2023-12-15")
    text = refused.value.text.zh
    assert "称号 T2 在 2023-12-15 已取消" in text and "称号 T3 在 2023-12-15 已动态调整" in text
    assert "称号 T0 在 2023-12-15 已到期" in text and "没有称号 T9" in text
    assert "第 5 个案例（T1）：特色亮点为空" in text and "第 6 个案例：称号 T1 重复" in text
    with pytest.raises(ReportError, match="title_id"):
        typical_cases(rounds, titles, pd.DataFrame({"enterprise": ["企业甲"]}), on="2023-12-15")


# --- files: atomic, inputs never overwritten, formula text stored as text --------------------------------------
def test_files_never_overwrite_the_registers_and_store_formulas_as_text(registers, tmp_path):
    rpath, tpath = registers
    before = rpath.read_bytes()
    with RoundRegister(rpath) as rounds, TitleRegister(tpath) as titles:
        report = programme_summary(rounds, titles, 2023)
    with pytest.raises(OutputError, match="输出文件与输入文件相同"):
        report.to_xlsx(rpath, inputs=[rpath, tpath])
    assert rpath.read_bytes() == before
    with pytest.raises(OutputError, match="文件夹"):
        report.to_docx(tmp_path)
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")
    report.to_xlsx(target)
    assert load_workbook(target).sheetnames[0] == "主要数据"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]  # no temporary file left
    with RoundRegister(":memory:", programme="national") as rounds, TitleRegister(":memory:") as titles:
        titles.add_title(**title("X1", "=HYPERLINK(\"http://x\")", "Q/X 1", "电饭锅", "某机构"))
        wb = load_workbook(programme_summary(rounds, titles, 2023).to_xlsx(tmp_path / "f.xlsx"))
    cell = wb["企业标准“领跑者”名单"].cell(row=3, column=2)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_a_year_out_of_range_is_refused(opened):
    with pytest.raises(ReportError, match="年度无效"):
        programme_summary(*opened, 23)


# --- the command line ---------------------------------------------------------------------------------
def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_both_reports_in_both_formats(registers, tmp_path, capsys):
    rpath, tpath = registers
    out = tmp_path / "summary.xlsx"
    code, text, _ = run(capsys, "round", "report", rpath, "--titles", tpath, "--year", 2023, "--format", "xlsx",
                        "--out", out)
    assert code == 0 and "已写入" in text
    rows = sheet_rows(load_workbook(out)["分领域统计"])
    assert rows[2][:3] == (WASH, "专业设备制造业", 1)
    code, _, _ = run(capsys, "--lang", "en", "round", "report", rpath, "--titles", tpath, "--year", 2023, "--format",
                     "docx", "--out", tmp_path / "summary.docx")
    doc = Document(str(tmp_path / "summary.docx"))
    assert code == 0 and doc.paragraphs[0].text.endswith(": summary of 2023")
    assert {r[0]: r[1] for r in table_with(doc, "item")[1:]}["leader titles"] == "4"
    cases = tmp_path / "cases.csv"
    cases.write_text("title_id,highlight\nT4,售后响应快\n", encoding="utf-8")
    code, _, _ = run(capsys, "round", "report", rpath, "--titles", tpath, "--year", 2023, "--kind", "cases",
                     "--cases", cases, "--on", "2023-11-29", "--format", "docx", "--out", tmp_path / "cases.docx")
    assert code == 0 and "特色亮点：售后响应快" in [p.text for p in Document(str(tmp_path / "cases.docx")).paragraphs]
    revoked = tmp_path / "revoked.csv"
    revoked.write_text("title_id,highlight\nT2,噪声低\n", encoding="utf-8")
    failures = [
        (["--kind", "cases", "--format", "docx", "--out", tmp_path / "x.docx"], "--cases"),
        (["--kind", "cases", "--cases", revoked, "--format", "docx", "--out", tmp_path / "y.docx"], "已取消"),
        (["--format", "xlsx", "--out", rpath], "输入文件"),
        (["--format", "xlsx", "--out", tmp_path / "nope" / "z.xlsx"], "不存在"),
    ]
    for extra, word in failures:
        code, _, err = run(capsys, "round", "report", rpath, "--titles", tpath, "--year", 2023, *extra)
        assert code == 2 and "Traceback" not in err and word in err, err
    code, _, err = run(capsys, "round", "report", rpath, "--titles", tmp_path / "missing.duckdb", "--year", 2023,
                       "--format", "xlsx", "--out", tmp_path / "m.xlsx")
    assert code == 2 and "不存在" in err
    assert not any((tmp_path / n).exists() for n in ("x.docx", "y.docx", "m.xlsx"))
