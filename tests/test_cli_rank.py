"""`leaderkit rank`: formats, exit codes, the same figures as the library."""

import json
from datetime import date

from openpyxl import load_workbook

from leaderkit import load_standards
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.cli import main
from leaderkit.ranking.result import rank
from leaderkit.schemes.model import Scheme

A = str(SAMPLE_DATA / "schemes" / "washing_machines_a.yaml")
STD = str(SAMPLE_DATA / "standards.csv")
BASE = str(SAMPLE_DATA / "baselines.csv")


def test_json_matches_library(capsys):
    assert main(["rank", A, STD, "--on", "2023-12-31", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    lib = rank(Scheme.load(A), load_standards(STD), on=date(2023, 12, 31))
    assert out["digest"] == lib.digest and out["scheme"] == "XDJX-2023-A" and out["on"] == "2023-12-31"
    assert [r["standard_id"] for r in out["leaders"]] == lib.leaders["standard_id"].tolist()
    assert len(out["table"]) == len(lib.table) and out["method"]["normalise"] == "minmax"
    assert {"zh", "en"} <= set(out["notes"][0])


def test_table_in_both_languages(capsys):
    assert main(["rank", A, STD, "--on", "2023-12-31"]) == 0
    out = capsys.readouterr().out
    assert "方案 XDJX-2023-A" in out and "排名" in out and "领跑者 2 项" in out
    assert main(["--lang", "en", "rank", A, STD, "--on", "2023-12-31"]) == 0
    assert "2 leader(s)" in capsys.readouterr().out


def test_xlsx_output_and_baselines_file(tmp_path, capsys):
    path = tmp_path / "公示.xlsx"
    assert main(["rank", A, STD, "--on", "2023-12-31", "--baselines", BASE, "--format", "xlsx", "-o", str(path)]) == 0
    assert "已写入公示文件" in capsys.readouterr().out
    assert load_workbook(path).sheetnames == ["排行榜", "领跑者名单", "未入榜及原因"]


def test_exit_codes(tmp_path, capsys):
    assert main(["rank", A, STD, "--on", "2018-01-01"]) == 1  # nothing public yet: no list
    assert "没有符合资格的标准" in capsys.readouterr().err
    assert main(["rank", A, STD, "--format", "xlsx"]) == 2  # xlsx without -o
    assert main(["rank", A, str(tmp_path / "missing.csv")]) == 2
    assert main(["rank", A, STD, "--on", "2023-13-45"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
