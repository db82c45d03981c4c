"""What leaderkit writes: workbooks that hold any text safely, CSV neutralised, atomic files with the user's
permissions, clear errors for a bad output path, inputs never overwritten, quiet under `| head`, and numeric
options checked."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from leaderkit._kit.files import atomic_path, write_text
from leaderkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEME = ROOT / "sample_data" / "schemes" / "washing_machines_a.yaml"
STANDARDS = ROOT / "sample_data" / "standards.csv"
BASELINES = ROOT / "sample_data" / "baselines.csv"
EXE = Path(sys.executable).parent / "leaderkit"


@pytest.fixture(scope="module")
def hostile_standards(tmp_path_factory) -> Path:
    """The sample with a control character and a formula in enterprise names of the scheme's domain."""
    df = pd.read_csv(STANDARDS, dtype=str, keep_default_na=False)
    firms = df.loc[df["领域"] == "洗涤机械", "企业名称"].unique()
    df.loc[df["企业名称"] == firms[0], "企业名称"] = "控制\x0b字符\x01公司"
    df.loc[df["企业名称"] == firms[1], "企业名称"] = '=HYPERLINK("http://x","点我")'
    path = tmp_path_factory.mktemp("hostile") / "standards.csv"
    path.write_text(df.to_csv(index=False), encoding="utf-8")
    return path


def test_control_characters_are_replaced_and_said(hostile_standards, tmp_path, capsys):
    out = tmp_path / "公示.xlsx"
    code = main(["rank", str(SCHEME), str(hostile_standards), "--format", "xlsx", "-o", str(out)])
    assert code == 0
    err = capsys.readouterr().err
    assert "U+FFFD" in err
    wb = load_workbook(out)
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("控制\ufffd字符\ufffd公司" in t for t in texts)
    assert any(t.startswith("说明：") and "控制字符" in t for t in texts)


def test_formula_text_is_stored_as_text_without_an_apostrophe(hostile_standards, tmp_path):
    out = tmp_path / "公示.xlsx"
    assert main(["rank", str(SCHEME), str(hostile_standards), "--format", "xlsx", "-o", str(out)]) == 0
    cells = [c for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.value == '=HYPERLINK("http://x","点我")' and c.data_type == "s" and c.quotePrefix
                         for c in cells)


def test_csv_output_is_neutralised(tmp_path, capsys):
    df = pd.read_csv(STANDARDS, dtype=str, keep_default_na=False)
    df["地区"] = df["地区"].where(df.index % 2 == 0, "=1+2")
    path = tmp_path / "s.csv"
    path.write_text(df.to_csv(index=False), encoding="utf-8")
    assert main(["benchmark", str(path), "--baselines", str(BASELINES), "--by", "region", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert "'=1+2" in set(table["region"]) and "=1+2" not in set(table["region"])


def test_files_are_written_with_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text(tmp_path / "out.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_failed_write_leaves_the_previous_file(tmp_path):
    path = tmp_path / "out.json"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize("target, message", [
    ("missing/out.json", "输出文件夹不存在"),
    (".", "是一个文件夹"),
])
def test_a_bad_output_path_is_one_clear_error(tmp_path, capsys, target, message):
    code = main(["rank", str(SCHEME), str(STANDARDS), "--format", "json", "-o", str(tmp_path / target)])
    assert code == 2 and message in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_one_clear_error(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code = main(["rank", str(SCHEME), str(STANDARDS), "--format", "json", "-o", str(locked / "x.json")])
    assert code == 2 and "写" in capsys.readouterr().err


def test_an_unwritable_target_is_one_clear_error_even_for_root(tmp_path, capsys):
    target = tmp_path / "x.json"
    target.mkdir()
    code = main(["rank", str(SCHEME), str(STANDARDS), "--format", "json", "-o", str(target)])
    assert code == 2 and "是一个文件夹" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_an_output_path_equal_to_an_input_is_refused(tmp_path, capsys, fmt):
    copy = tmp_path / "standards.csv"
    copy.write_bytes(STANDARDS.read_bytes())
    before = copy.read_bytes()
    code = main(["rank", str(SCHEME), str(copy), "--format", fmt, "-o", str(copy)])
    assert code == 2 and "输出文件与输入文件相同" in capsys.readouterr().err
    assert copy.read_bytes() == before


def test_json_output_is_written_atomically_and_parses(tmp_path):
    out = tmp_path / "r.json"
    assert main(["rank", str(SCHEME), str(STANDARDS), "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["scheme"] == "XDJX-2023-A"


def test_a_closed_pipe_ends_quietly():
    """`leaderkit rank … --format json | head -1`: ~100 KB, more than a pipe holds, so the write fails."""
    proc = subprocess.Popen([str(EXE), "rank", str(SCHEME), str(STANDARDS), "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and err == ""


@pytest.mark.parametrize("value", ["7", "0", "-0.2", "nan", "inf", "abc"])
def test_numeric_options_are_range_checked(value, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["benchmark", str(STANDARDS), "--baselines", str(BASELINES), "--target", value])
    assert stop.value.code == 2 and "--target" in capsys.readouterr().err
