"""`leaderkit validate`: exit codes 0 / 1 / 2, table and JSON output, language."""

import json
import subprocess
import sys
from pathlib import Path

from leaderkit._kit.i18n import set_language
from leaderkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data" / "schemes"


def run(capsys, *argv):
    try:
        code = main(list(argv))
    finally:
        set_language("zh")
    out = capsys.readouterr()
    return code, out.out, out.err


def test_valid_scheme_exits_0(capsys):
    code, out, _ = run(capsys, "validate", str(SAMPLES / "washing_machines_a.yaml"), "--on", "2023-09-01")
    assert code == 0
    assert out.splitlines()[0] == "方案 XDJX-2023-A（mofcom-2023）：通过；错误 0，警告 0，提示 2"
    assert "[提示] LK-S019  无法检查" in out


def test_defective_scheme_exits_1_with_path_line_and_rule(capsys):
    code, out, _ = run(capsys, "validate", str(SAMPLES / "defect_fee_charged.yaml"), "--on", "2023-09-01")
    assert code == 1
    assert "[错误] LK-S017  方案向企业收费（20000 元）；评估不得向企业收取费用" in out
    assert "位置：fees，第 116 行；依据：002 四(三); 003 1.2; 001 三(四)" in out


def test_warnings_alone_exit_0(capsys):
    code, out, _ = run(capsys, "validate", str(SAMPLES / "defect_two_core_indicators.yaml"), "--on", "2023-09-01")
    assert code == 0 and "[警告] LK-S003" in out


def test_json_and_english(capsys):
    code, out, _ = run(capsys, "--lang", "en", "validate", str(SAMPLES / "defect_weights_sum.yaml"),
                       "--program", "mofcom-2023", "--format", "json", "--on", "2023-09-01")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False and data["program"] == "mofcom-2023"
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert [(f["code"], f["where"], f["line"]) for f in errors] == [("LK-S013", "indicators", 35)]
    assert errors[0]["message_en"].startswith("the weights sum to 0.9, not 1")


def test_program_option_changes_the_rules(capsys):
    code, out, _ = run(capsys, "validate", str(SAMPLES / "washing_machines_a.yaml"), "--program", "jincheng-2021",
                       "--on", "2023-09-01")
    assert code == 1 and "LK-S020" in out and "LK-S028" in out


def test_unreadable_input_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "missing.yaml"))
    assert code == 2 and "无法读取方案文件" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: X\ntitle: T\ndomain: D\nagency: {name: A}\ncycle_months: 十二\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(broken))
    assert code == 2 and "cycle_months: 应为整数，第 5 行" in err and "cycle_months: must be an integer, line 5" in err
    code, _, err = run(capsys, "validate", str(SAMPLES / "washing_machines_a.yaml"), "--program", "atlantis")
    assert code == 2 and "atlantis" in err


def test_subprocess_entry_point():
    exe = Path(sys.executable).parent / "leaderkit"
    out = subprocess.run([str(exe), "validate", str(SAMPLES / "defect_short_publicity.yaml"), "--on", "2023-09-01"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1
    assert "方案公示 2023-09-25～2023-10-09 只有 7 个工作日，应不少于 10 个" in out.stdout
