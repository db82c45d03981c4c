"""Hostile and broken tables: every valid CSV reads, every bad row is named (file, row as a spreadsheet counts
it, what is wrong) and left out under on_bad_rows="report", every broken file is one InputError, limits hold
before parsing, and the input files are byte-identical afterwards."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leaderkit import benchmark
from leaderkit.standards import loading
from leaderkit.standards.loading import InputError, load_baselines, load_standards, read_table

ROOT = Path(__file__).resolve().parents[1]
BASELINES = ROOT / "sample_data" / "baselines.csv"
EXE = str(Path(sys.executable).parent / "leaderkit")
HEADER = "标准编号,领域,指标名称,指标要求\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def report(path, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", loading.BadRowsWarning)
        return load_standards(path, on_bad_rows="report", **kwargs)


def rows_and_problems(df: pd.DataFrame) -> tuple[list[str], list[tuple[int, str]]]:
    return df["standard_id"].tolist(), [(p["row"], p["problem_en"]) for p in df.attrs["problems"]]


# ---- valid CSV reads, by the fast reader and by the row-by-row one --------------------------------------

VALID = {
    "bom and crlf": ("\ufeff" + HEADER + "Q/A 1,洗涤机械,噪声,≤45\nQ/A 2,洗涤机械,噪声,≤50\n").replace("\n", "\r\n"),
    "bare cr in a quoted field": HEADER + 'Q/A 1,洗涤机械,"噪声\r（整机）",≤45\nQ/A 2,洗涤机械,噪声,≤50\n',
    "quoted newline": HEADER + 'Q/A 1,洗涤机械,"噪声\n（整机）",≤45\nQ/A 2,洗涤机械,噪声,≤50\n',
    "old mac line ends": (HEADER + "Q/A 1,洗涤机械,噪声,≤45\nQ/A 2,洗涤机械,噪声,≤50\n").replace("\n", "\r"),
    "blank lines": HEADER + "Q/A 1,洗涤机械,噪声,≤45\n\n,,,\nQ/A 2,洗涤机械,噪声,≤50\n\n\n",
}


@pytest.mark.parametrize("case", sorted(VALID))
def test_valid_csv_reads_and_a_bad_row_beside_it_is_named(tmp_path, case):
    text = VALID[case]
    good = load_standards(write(tmp_path, "ok.csv", text.encode("utf-8")))
    assert good["standard_id"].tolist() == ["Q/A 1", "Q/A 2"]
    assert good["indicator"].iloc[0].startswith("噪声") and good["requirement"].tolist() == ["≤45", "≤50"]
    # the same file with one undecodable byte goes through the row-by-row reader: same rows, one named
    newline = "\r" if case == "old mac line ends" else "\n"
    broken = text.encode("utf-8") + f"Q/A 3,洗涤机械,噪声,≤5{newline}".encode().replace(b"\xe5", b"\xb5", 1)
    df = report(write(tmp_path, "bad.csv", broken))
    ids, found = rows_and_problems(df)
    assert ids == ["Q/A 1", "Q/A 2"]
    assert df["indicator"].tolist() == good["indicator"].tolist()
    blank = 4 if case == "blank lines" else 0  # a blank line is a row of the sheet: the numbers count it
    assert [row for row, _ in found] == [4 + blank] and "cannot be decoded as utf-8" in found[0][1]


def test_the_fast_and_the_row_by_row_reader_agree(tmp_path, monkeypatch):
    text = HEADER + 'Q/A 1, 洗涤机械 ,"噪声,整机","≤45 ""A"""\nQ/A 2,,噪声\t,≤50\n'
    path = write(tmp_path, "s.csv", text.encode("utf-8"))
    fast = read_table(path)
    monkeypatch.setattr(loading, "_csv_fast", lambda *args: None)
    slow = read_table(path)
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.iloc[0].tolist() == ["Q/A 1", "洗涤机械 ", "噪声,整机", '≤45 "A"']


# ---- bytes that are not text in the file's encoding -----------------------------------------------------


def test_one_bad_byte_is_one_bad_row_not_a_refused_file(tmp_path):
    data = (HEADER + "Q/A 1,洗涤机械,噪声,≤45\n").encode() + b"Q/A 2,\xb5,x,1\n" + "Q/A 3,果品,铅,≤0.1\n".encode()
    path = write(tmp_path, "one_byte.csv", data)
    with pytest.raises(InputError) as err:
        load_standards(path)
    assert "one_byte.csv 第 3 行" in err.value.text.zh and "0xB5" in err.value.text.en
    df = report(path)
    assert df.attrs["encoding"] == "utf-8" and df["domain"].tolist() == ["洗涤机械", "果品"]
    assert [p["row"] for p in df.attrs["problems"]] == [3]


@pytest.mark.parametrize("main, odd", [("utf-8", "gbk"), ("gbk", "utf-8")])
def test_mixed_encodings_name_the_odd_row_and_keep_the_others_readable(tmp_path, main, odd):
    rows = [f"Q/A {i},洗涤机械,单位功效耗电量,≤0.0{i}\n" for i in range(1, 6)]
    data = b"".join(r.encode(odd if i == 2 else main) for i, r in enumerate([HEADER, *rows]))
    df = report(write(tmp_path, "mixed.csv", data))
    ids, found = rows_and_problems(df)
    assert ids == ["Q/A 1", "Q/A 3", "Q/A 4", "Q/A 5"]
    assert set(df["indicator"]) == {"单位功效耗电量"} and set(df["domain"]) == {"洗涤机械"}
    assert [row for row, _ in found] == [3] and "two encodings mixed" in found[0][1]
    assert df.attrs["problems"][0]["value"].startswith("Q/A 2,洗涤机械")  # shown in its own encoding


# ---- rows of the wrong shape, duplicates, row numbers ---------------------------------------------------


def test_ragged_rows_are_left_out_and_listed_or_named(tmp_path):
    text = HEADER + "Q/A 1,洗涤机械,噪声,≤45\nQ/A 2,洗涤机械,噪声\nQ/A 3,洗涤机械,噪声,≤45,多余\nQ/A 4,洗涤机械,噪声,≤50\n"
    path = write(tmp_path, "ragged.csv", text.encode())
    with pytest.raises(InputError) as err:
        load_standards(path)
    assert err.value.text.en.startswith(f"{path} row 3: has 3 fields where the header has 4")
    ids, found = rows_and_problems(report(path))
    assert ids == ["Q/A 1", "Q/A 4"] and [row for row, _ in found] == [3, 4]


def test_exact_duplicate_rows_are_reported(tmp_path):
    text = HEADER + "Q/A 1,洗涤机械,噪声,≤45\nQ/A 2,洗涤机械,噪声,≤50\nQ/A 1,洗涤机械,噪声, ≤45\n"
    path = write(tmp_path, "dups.csv", text.encode())
    with pytest.raises(InputError, match="row 4: duplicate of row 2"):
        load_standards(path)
    ids, found = rows_and_problems(report(path))
    assert ids == ["Q/A 1", "Q/A 2"] and found == [(4, "duplicate of row 2")]


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path):
    text = HEADER + '\nQ/A 1,洗涤机械,"噪声\n整机",≤45\n\nQ/A 2,洗涤机械,噪声,\n'  # blank rows 2 and 4
    with pytest.raises(InputError, match="row 5, column requirement"):
        load_standards(write(tmp_path, "numbers.csv", text.encode()))
    frame = read_table(write(tmp_path, "numbers.csv", text.encode()))
    assert (frame.index + 2).tolist() == [3, 5]


def test_a_fractional_year_is_a_bad_value_not_a_crash(tmp_path):
    path = write(tmp_path, "year.csv", "标准编号,领域,指标名称,指标要求,年份\nQ/A 1,d,i,≤1,2021.5\n".encode())
    with pytest.raises(InputError, match="row 2, column year"):
        load_standards(path)


# ---- files that have no rows, or are not what their name says --------------------------------------------


@pytest.mark.parametrize("name, data", [
    ("header_only.csv", HEADER.encode()),
    ("header_and_blank_lines.csv", (HEADER + "\n,,,\n \n").encode()),
    ("empty.csv", b""),
    ("blank_lines.csv", b"\n\r\n  \n"),
])
def test_no_rows_is_an_error(tmp_path, name, data):
    with pytest.raises(InputError) as err:
        load_standards(write(tmp_path, name, data))
    assert "has no rows" in err.value.text.en and name in err.value.text.en


def test_typed_files_with_no_rows_are_errors(tmp_path):
    empty = pa.table({c: pa.array([], pa.string()) for c in ("标准编号", "领域", "指标名称", "指标要求")})
    pq.write_table(empty, tmp_path / "empty.parquet")
    pd.DataFrame(columns=["标准编号", "领域", "指标名称", "指标要求"]).to_excel(tmp_path / "empty.xlsx", index=False)
    for name in ("empty.parquet", "empty.xlsx"):
        with pytest.raises(InputError, match="has no rows"):
            load_standards(tmp_path / name)
    with pytest.raises(InputError, match="has no rows"):
        benchmark(tmp_path / "empty.parquet", BASELINES)


@pytest.mark.parametrize("name, data, said", [
    ("noise.parquet", b"PAR1" + bytes(range(256)) * 4 + b"PAR1", "is not a valid Parquet file"),
    ("noise.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4, "is not a valid Excel (.xlsx) file"),
    ("zip.csv", b"PK\x03\x04" + bytes(300), "holds an Excel (.xlsx) or zip file, not a CSV"),
    ("old.xls", b"\xd0\xcf\x11\xe0" + bytes(300), "old Excel (.xls) file"),
])
def test_a_file_that_is_not_what_its_name_says_is_one_sentence(tmp_path, name, data, said):
    with pytest.raises(InputError) as err:
        load_standards(write(tmp_path, name, data))
    en = err.value.text.en
    assert name in en and "\n" not in en and "Error" not in en and "magic" not in en
    if said != "random":
        assert said in en


def test_a_damaged_workbook_is_one_sentence(tmp_path):
    good = (ROOT / "sample_data" / "standards.xlsx").read_bytes()
    with pytest.raises(InputError) as err:
        load_standards(write(tmp_path, "cut.xlsx", good[: len(good) // 2]))
    said = "cut.xlsx is not a valid Excel (.xlsx) file (damaged, or not what its name says)"
    assert err.value.text.en.endswith(said)


# ---- Parquet types ------------------------------------------------------------------------------------

WRONG_TYPES = {
    "list": pa.array([["噪声"], ["铅"]]),
    "struct": pa.array([{"name": "噪声"}, {"name": "铅"}]),
    "map": pa.array([[("k", 1)], [("k", 2)]], pa.map_(pa.string(), pa.int64())),
    "binary": pa.array([b"\xe5\x99\xaa", b"\xe9\x93\x85"]),
    "timestamp": pa.array([dt.datetime(2023, 1, 1), dt.datetime(2023, 1, 2)]),
}


def standards_table(**columns) -> pa.Table:
    base = {"标准编号": ["Q/A 1", "Q/A 2"], "领域": ["洗涤机械", "洗涤机械"], "指标名称": ["洗净比", "洗净比"],
            "指标要求": ["≥0.90", "≥0.80"]}
    return pa.table({**base, **columns})


@pytest.mark.parametrize("kind", sorted(WRONG_TYPES))
def test_a_parquet_column_of_the_wrong_type_is_one_sentence_in_both_readers(tmp_path, kind):
    path = tmp_path / f"{kind}.parquet"
    pq.write_table(standards_table(指标名称=WRONG_TYPES[kind]), path)
    for read in (load_standards, lambda p: benchmark(p, BASELINES)):
        with pytest.raises(InputError) as err:
            read(path)
        en = err.value.text.en
        assert en.startswith(f"{path}: column 指标名称 (indicator) holds ")
        assert en.endswith("expected text or whole numbers")


def test_typed_parquet_columns_are_read_as_text_and_agree_between_readers(tmp_path):
    table = standards_table(
        限量值=pa.array([0.5, 0.9]),  # a requirement as numbers, under 限量值: bare numbers are ≤
        公开日期=pa.array([dt.datetime(2022, 3, 1), dt.datetime(2023, 7, 15, 8, 30)]),
        年份=pa.array([2022.0, None]),
        备注=pa.array([["a"], ["b"]]),  # a nested column nobody reads is no reason to refuse the file
    ).drop_columns(["指标要求"])
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    df = load_standards(path)
    assert df["requirement"].tolist() == ["0.5", "0.9"] and df["bare"].tolist() == ["max", "max"]
    assert [str(d) for d in df["published"]] == ["2022-03-01", "2023-07-15"]
    assert df["year"].tolist() == [2022, 2023]
    columns = ["standard_id", "requirement", "baseline_id", "verdict"]
    scanned = benchmark(path, BASELINES).indicators[columns]
    framed = benchmark(df, BASELINES).indicators[columns]
    pd.testing.assert_frame_equal(scanned, framed)
    assert set(scanned["verdict"]) == {"looser"} and len(scanned) == 4  # ≤0.5 against ≥0.70 and ≥0.80


def test_empty_required_values_in_a_scanned_parquet_are_named(tmp_path):
    path = tmp_path / "gaps.parquet"
    pq.write_table(standards_table(领域=["洗涤机械", " "]), path)
    with pytest.raises(InputError) as err:
        benchmark(path, BASELINES)
    assert err.value.text.en.startswith(f"{path} row 3, column domain (value 空 / empty): required value is "
                                        "empty")


# ---- the wrong kind of file, documented headers -----------------------------------------------------------


def test_documented_headers_in_a_standards_file_do_not_break_the_benchmark(tmp_path):
    text = "标准编号,领域,指标名称,指标要求,单位,方向,层级\nQ/A 1,洗涤机械,洗净比,≥0.90,,越高越好,企业标准\n"
    path = write(tmp_path, "with_direction.csv", text.encode())
    table = pa.Table.from_pandas(pd.read_csv(path, dtype=str, keep_default_na=False))
    pq.write_table(table, tmp_path / "with_direction.parquet")
    for source in (path, tmp_path / "with_direction.parquet"):
        s = benchmark(source, BASELINES).standards
        assert s[["standard_id", "vs_national", "stricter"]].values.tolist() == [["Q/A 1", "stricter", True]]


def test_baselines_and_standards_swapped_are_named_as_such():
    with pytest.raises(InputError, match="looks like a baselines file"):
        benchmark(BASELINES, BASELINES)
    with pytest.raises(InputError, match="looks like declared enterprise standards"):
        load_baselines(ROOT / "sample_data" / "standards.csv")


# ---- limits ---------------------------------------------------------------------------------------------


def test_row_and_size_limits_say_which_and_how_to_raise_them(tmp_path, monkeypatch):
    path = write(tmp_path, "s.csv", (HEADER + "".join(f"Q/A {i},d,i,≤{i}\n" for i in range(5))).encode())
    with pytest.raises(InputError) as err:
        read_table(path, max_rows=4)
    assert "more than the limit of 4 rows" in err.value.text.en and "LEADERKIT_MAX_ROWS" in err.value.hint.en
    with pytest.raises(InputError) as err:
        load_standards(path, max_bytes=50)
    assert "file size" in err.value.text.en and "max_bytes" in err.value.hint.en
    monkeypatch.setenv("LEADERKIT_MAX_ROWS", "3")
    with pytest.raises(InputError, match="limit of 3 rows"):
        load_standards(path)
    assert len(load_standards(path, max_rows=5)) == 5  # the argument wins over the environment
    monkeypatch.setenv("LEADERKIT_MAX_ROWS", "many")
    with pytest.raises(InputError, match="LEADERKIT_MAX_ROWS='many'"):
        load_standards(path)


def test_an_xlsx_is_measured_unpacked_before_it_is_opened(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(210):
                sheet.write(bytes(1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(InputError) as err:
        load_standards(path)
    assert err.value.text.en == f"{path}: unpacked size 210.0 MB is over the limit of 200.0 MB"
    monkeypatch.setenv("LEADERKIT_MAX_BYTES", "1GB")  # allowed now: then it is simply not a workbook
    with pytest.raises(InputError, match="not a valid Excel"):
        load_standards(path)


# ---- the command line, on every broken file -------------------------------------------------------------


def broken_files(d: Path) -> dict[str, Path]:
    files = {
        "random.csv": bytes(range(256)) * 40,
        "random.parquet": bytes(range(256)) * 4,
        "random.xlsx": b"PK\x03\x04" + bytes(range(256)),
        "empty.csv": b"",
        "header_only.csv": HEADER.encode(),
        "blank_lines.csv": b"\n\n\n",
        "ragged.csv": (HEADER + "Q/A 1,洗涤机械,噪声\n").encode(),
        "bad_byte.csv": (HEADER + "Q/A 1,洗涤机械,噪声,≤45\n").encode() + b"Q/A 2,\xff,x,1\n",
        "duplicates.csv": (HEADER + "Q/A 1,洗涤机械,噪声,≤45\n" * 2).encode(),
        "zip_named.csv": (ROOT / "sample_data" / "standards.xlsx").read_bytes(),
        "cut.xlsx": (ROOT / "sample_data" / "standards.xlsx").read_bytes()[:5000],
        "old.xls": b"\xd0\xcf\x11\xe0" + bytes(100),
        "baselines_as_standards.csv": BASELINES.read_bytes(),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    parquet = {
        "list.parquet": standards_table(指标名称=WRONG_TYPES["list"]),
        "binary.parquet": standards_table(指标名称=WRONG_TYPES["binary"]),
        "timestamp_id.parquet": standards_table(标准编号=WRONG_TYPES["timestamp"]),
        "null_id.parquet": standards_table(标准编号=["Q/A 1", None]),
        "no_rows.parquet": standards_table().slice(0, 0),
    }
    for name, table in parquet.items():
        pq.write_table(table, d / name)
    (d / "folder.csv").mkdir()
    return {name: d / name for name in [*files, *parquet, "folder.csv"]}


@pytest.mark.slow
def test_every_broken_file_is_exit_2_without_a_traceback_and_left_as_it_was(tmp_path):
    failures = []
    for name, path in broken_files(tmp_path).items():
        before = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        run = subprocess.run([EXE, "benchmark", str(path), "--baselines", str(BASELINES)],
                             capture_output=True, text=True, timeout=120, cwd=ROOT)
        after = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        if run.returncode != 2 or "Traceback" in run.stderr or name not in run.stderr or before != after:
            failures.append((name, run.returncode, run.stderr[-600:]))
    assert failures == []
