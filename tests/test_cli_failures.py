"""Every failure path of the `leaderkit` command, run as a user runs it (a subprocess): the documented exit
code, one clear message on stderr, never a Python traceback, and the input files byte-identical after."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
S = ROOT / "sample_data"
SCHEME = S / "schemes" / "washing_machines_a.yaml"
EXE = str(Path(sys.executable).parent / "leaderkit")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("broken")
    out = {
        "random.csv": bytes(range(256)) * 40,
        "random.parquet": b"PAR1" + bytes(range(200)) + b"PAR1",
        "random.xlsx": b"PK\x03\x04" + bytes(200),
        "empty.csv": b"",
        "header_only.csv": "标准编号,领域,指标名称,指标要求\n".encode(),
        "no_columns.csv": b"a,b\n1,2\n",
        "notes.txt.pdf": b"%PDF-1.4",
        "broken.yaml": b"id: [unclosed\n",
        "list.yaml": b"- a\n- b\n",
        "bad_date.yaml": SCHEME.read_text(encoding="utf-8").replace("2023-11-30", "2023-02-30").encode(),
        "records_bad_year.csv": (S / "agencies" / "records.csv").read_text(encoding="utf-8")
        .replace("2023", "1e300", 1).encode(),
    }
    for name, data in out.items():
        (d / name).write_bytes(data)
    return {name: d / name for name in out} | {"dir": d}


CASES = [
    # (id, argv with {placeholders}, expected exit code, a word the message must contain)
    ("no command", [], 2, "usage"),
    ("unknown command", ["frobnicate"], 2, "invalid choice"),
    ("benchmark: missing file", ["benchmark", "{dir}/nope.csv", "--baselines", f"{S}/baselines.csv"], 2, "找不到"),
    ("benchmark: random bytes csv", ["benchmark", "{random.csv}", "--baselines", f"{S}/baselines.csv"], 2, "random.csv"),
    ("benchmark: random bytes parquet", ["benchmark", "{random.parquet}", "--baselines", f"{S}/baselines.csv"], 2,
     "random.parquet"),
    ("benchmark: random bytes xlsx", ["benchmark", "{random.xlsx}", "--baselines", f"{S}/baselines.csv"], 2,
     "random.xlsx"),
    ("benchmark: empty file", ["benchmark", "{empty.csv}", "--baselines", f"{S}/baselines.csv"], 2, "empty.csv"),
    ("benchmark: header only", ["benchmark", "{header_only.csv}", "--baselines", f"{S}/baselines.csv"], 2,
     "header_only.csv"),
    ("benchmark: wrong columns", ["benchmark", "{no_columns.csv}", "--baselines", f"{S}/baselines.csv"], 2, "缺少"),
    ("benchmark: unsupported type", ["benchmark", "{notes.txt.pdf}", "--baselines", f"{S}/baselines.csv"], 2,
     "不支持"),
    ("benchmark: unknown group", ["benchmark", f"{S}/standards.csv", "--baselines", f"{S}/baselines.csv", "--by",
                                  "colour"], 2, "colour"),
    ("benchmark: target out of range", ["benchmark", f"{S}/standards.csv", "--baselines", f"{S}/baselines.csv",
                                        "--target", "7"], 2, "--target"),
    ("benchmark: bad row without skip", ["benchmark", f"{S}/standards_gbk.csv", "--baselines",
                                         f"{S}/baselines.csv"], 2, "--skip-bad-rows"),
    ("validate: missing scheme", ["validate", "{dir}/nope.yaml"], 2, "nope.yaml"),
    ("validate: broken YAML", ["validate", "{broken.yaml}"], 2, "YAML"),
    ("validate: not a mapping", ["validate", "{list.yaml}"], 2, "映射"),
    ("validate: impossible date", ["validate", "{bad_date.yaml}"], 2, "2023-02-30"),
    ("validate: unknown programme", ["validate", str(SCHEME), "--program", "nope"], 2, "nope"),
    ("validate: bad --on", ["validate", str(SCHEME), "--on", "2023-13-01"], 2, "--on"),
    ("validate: missing overrides", ["validate", str(SCHEME), "--overrides", "{dir}/nope.csv"], 2, "nope.csv"),
    ("rank: missing standards", ["rank", str(SCHEME), "{dir}/nope.csv"], 2, "nope.csv"),
    ("rank: bad --on", ["rank", str(SCHEME), f"{S}/standards.csv", "--on", "30/11/2023"], 2, "30/11/2023"),
    ("rank: xlsx without -o", ["rank", str(SCHEME), f"{S}/standards.csv", "--format", "xlsx"], 2, "-o"),
    ("rank: output is a folder", ["rank", str(SCHEME), f"{S}/standards.csv", "--format", "json", "-o", "{dir}"], 2,
     "文件夹"),
    ("rank: output over an input", ["rank", str(SCHEME), f"{S}/standards.csv", "--format", "json", "-o",
                                    f"{S}/standards.csv"], 2, "输入文件"),
    ("rank: domain not in data", ["rank", str(S / "schemes" / "storage_batteries.yaml"), "{header_only.csv}"], 2,
     "header_only.csv"),
    ("grade: missing records", ["grade", "{dir}/nope.csv"], 2, "nope.csv"),
    ("grade: implausible year", ["grade", "{records_bad_year.csv}"], 2, "1e300"),
    ("grade: xlsx without -o", ["grade", f"{S}/agencies/records.csv", "--format", "xlsx"], 2, "-o"),
    ("synth: negative size", ["synth", "national", "{dir}/n.parquet", "--n", "-5"], 2, "--n"),
    ("synth: folder is a file", ["synth", "sample", f"{S}/standards.csv"], 2, "standards.csv"),
]


def _digest(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_failure_is_one_message_and_an_exit_code(files, case):
    _, argv, code, word = case
    args = []
    for a in argv:
        for name, path in files.items():
            a = a.replace("{" + name + "}", str(path))
        args.append(a)
    inputs = [*S.rglob("*.*"), *files["dir"].iterdir()]
    before = _digest(inputs)
    out = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout, out.stderr[-2000:]
    assert out.returncode == code, (out.returncode, out.stderr[-1500:])
    assert word in out.stderr, out.stderr[-1500:]
    assert _digest(inputs) == before


def test_a_mistyped_register_is_refused_not_created(tmp_path):
    typo = tmp_path / "titels.duckdb"
    out = subprocess.run([EXE, "rank", str(SCHEME), str(S / "standards.csv"), "--register", str(typo)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "称号登记簿不存在" in out.stderr and not typo.exists()


def test_a_csv_is_not_a_register(tmp_path):
    copy = tmp_path / "titles.csv"
    copy.write_bytes((S / "agencies" / "titles.csv").read_bytes())
    out = subprocess.run([EXE, "rank", str(SCHEME), str(S / "standards.csv"), "--register", str(copy)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "不是称号登记簿" in out.stderr
    assert copy.read_bytes() == (S / "agencies" / "titles.csv").read_bytes()
