"""`leaderkit grade RECORDS [--rubric FILE] --format table|json|xlsx [-o FILE]`."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from leaderkit._kit.cells import neutralise
from leaderkit._kit.i18n import set_language
from leaderkit.agencies.grading import default_rubric_path
from leaderkit.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "agencies"
RECORDS = str(SAMPLE / "records.csv")


@pytest.fixture(autouse=True)
def chinese():
    set_language("zh")
    yield
    set_language("zh")


def test_table(capsys):
    assert main(["grade", RECORDS]) == 0
    out = capsys.readouterr().out
    assert "等级分布：一级 2，二级 4，三级 1，四级 9" in out
    assert "东岳质量技术研究院 2023  28  37  25  90 一级" in out
    assert "嘉禾标准促进会 2023  30  33  12  75 四级" in out and "核心指标差 2 分" in out
    assert "星河标准化研究院 2023（否决项 1：" in out
    assert "评分表自查发现 15 条" in out


def test_table_in_english(capsys):
    assert main(["--lang", "en", "grade", RECORDS]) == 0
    out = capsys.readouterr().out
    assert "grades: grade 1 2, grade 2 4, grade 3 1, grade 4 9" in out
    assert "core indicators short by 2 points" in out


def test_json(capsys, tmp_path):
    assert main(["grade", RECORDS, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rubric"] == "seed003"
    assert [g["grade"] for g in data["grades"]] == [2, 1, 1, 2, 2, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4]
    assert {f["code"] for f in data["rubric_findings"]} >= {"LK-R001", "LK-R004", "LK-R005", "LK-R008"}
    assert data["grades"][8]["lacks_zh"] == "核心指标差 2 分"
    assert data["grades"][8]["lacks_en"] == "core indicators short by 2 points"
    out = tmp_path / "grades.json"
    assert main(["grade", RECORDS, "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["grades"][2]["total"] == 90
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.json"]  # no temporary file left behind


def test_json_is_the_same_in_both_languages(capsys):
    assert main(["grade", RECORDS, "--format", "json"]) == 0
    zh = capsys.readouterr().out
    assert main(["--lang", "en", "grade", RECORDS, "--format", "json"]) == 0
    assert capsys.readouterr().out == zh


def test_output_may_not_overwrite_the_records(tmp_path, capsys):
    records = tmp_path / "records.csv"
    records.write_bytes(Path(RECORDS).read_bytes())
    assert main(["grade", str(records), "--format", "json", "-o", str(records)]) == 2
    assert "输出文件与输入文件相同" in capsys.readouterr().err
    assert records.read_bytes() == Path(RECORDS).read_bytes()


def test_xlsx_is_written_whole_with_formula_text_stored_as_text(tmp_path):
    frame = pd.read_csv(RECORDS, dtype=str, keep_default_na=False)
    frame.loc[0, "agency"] = "=HYPERLINK(\"http://example.invalid\",\"点我\")"
    frame.loc[1, "agency"] = "+86 机构"
    frame.loc[2, "agency"] = "-机构"
    frame.loc[3, "agency"] = "@SUM(A1)"
    records = tmp_path / "records.csv"
    frame.to_csv(records, index=False)
    out = tmp_path / "grades.xlsx"
    out.write_bytes(b"old content")
    assert main(["grade", str(records), "--format", "xlsx", "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["评级结果", "评分表自查"]
    sheet = book["评级结果"]
    header = [c.value for c in sheet[1]]
    agency = [row[0].value for row in sheet.iter_rows(min_row=2)]
    # stored as text, shown as written: no formula runs and no apostrophe is added to the text
    assert agency[:4] == ["=HYPERLINK(\"http://example.invalid\",\"点我\")", "+86 机构", "-机构", "@SUM(A1)"]
    assert all(c.quotePrefix for c in sheet["A"][1:5])
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert [row[header.index("grade")].value for row in sheet.iter_rows(min_row=2)][:3] == [2, 1, 1]
    assert [row[header.index("grade_name")].value for row in sheet.iter_rows(min_row=2)][:3] == ["二级", "一级", "一级"]
    assert "lacks_en" not in header and "lacks" in header
    assert book["评分表自查"].max_row == 16
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.xlsx", "records.csv"]


def test_xlsx_in_english_shows_the_english_texts(tmp_path):
    out = tmp_path / "grades.xlsx"
    assert main(["--lang", "en", "grade", RECORDS, "--format", "xlsx", "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["grades", "rubric findings"]
    sheet = book["grades"]
    header = [c.value for c in sheet[1]]
    assert "grade_name_zh" not in header
    assert [row[header.index("grade_name")].value for row in sheet.iter_rows(min_row=2)][:3] == ["grade 2", "grade 1",
                                                                                                  "grade 1"]
    findings = book["rubric findings"]
    message = [c.value for c in findings[1]].index("message")
    assert findings.cell(row=2, column=message + 1).value.isascii()


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("华衡") == "华衡"
    assert neutralise(-3) == -3


def test_xlsx_needs_an_output_file(capsys, tmp_path):
    assert main(["grade", RECORDS, "--format", "xlsx"]) == 2
    assert "-o" in capsys.readouterr().err
    assert main(["grade", RECORDS, "--format", "xlsx", "-o", str(tmp_path / "missing" / "g.xlsx")]) == 2
    assert "输出文件夹不存在" in capsys.readouterr().err


def test_invalid_points_exit_2_and_say_where(capsys, tmp_path):
    frame = pd.read_csv(RECORDS, dtype=str, keep_default_na=False)
    frame.loc[6, "2.3"] = "8"
    records = tmp_path / "records.csv"
    frame.to_csv(records, index=False)
    assert main(["grade", str(records)]) == 2
    err = capsys.readouterr().err
    assert "启明标准技术协会 2023 年度，评分项 2.3 的得分 '8' 无效：允许的分值为 10、7、3、0" in err
    assert "第 8 行" in err


def test_another_rubric(capsys, tmp_path):
    data = yaml.safe_load(default_rubric_path().read_text(encoding="utf-8"))
    data["grades"][2]["all_of"][3]["min"] = 0
    rubric = tmp_path / "lenient.yaml"
    rubric.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["grade", RECORDS, "--rubric", str(rubric), "--format", "json"]) == 0
    grades = [g["grade"] for g in json.loads(capsys.readouterr().out)["grades"]]
    assert grades[9] == 3   # 远航: incentive 9 is enough once 三级 has no incentive minimum
    assert main(["grade", RECORDS, "--rubric", str(tmp_path / "none.yaml")]) == 2
