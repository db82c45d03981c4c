"""Loaders: encodings, Chinese/English headers, inferred levels, row-level errors, inputs untouched."""

import warnings

import pandas as pd
import pytest

from leaderkit.standards.loading import (
    STANDARD_COLUMNS,
    BadRowsWarning,
    InputError,
    canonical_columns,
    load_baselines,
    load_standards,
    problems,
)

CSV_ZH = (
    "标准编号,企业名称,领域,地区,公开日期,指标名称,指标要求,单位\n"
    "Q/AB 0001-2022,甲公司,洗涤机械,浙江省,2022-03-01,噪声,≤45dB(A),\n"
    "Q/AB 0001-2022,甲公司,洗涤机械,浙江省,2022-03-01,洗净比,不低于0.90,\n"
    "Q/CD 0002-2023,乙公司,洗涤机械,广东省,2023/07/15,噪声,≤50dB(A),\n"
)


def test_gbk_csv_with_chinese_headers_is_detected_and_mapped(tmp_path):
    path = tmp_path / "std_gbk.csv"
    path.write_bytes(CSV_ZH.encode("gbk"))
    before = path.read_bytes()
    df = load_standards(path)
    assert df.attrs["encoding"] == "gb18030"
    assert list(df["standard_id"]) == ["Q/AB 0001-2022", "Q/AB 0001-2022", "Q/CD 0002-2023"]
    assert list(df["year"]) == [2022, 2022, 2023]  # derived from 公开日期
    assert df["requirement"].iloc[1] == "不低于0.90"
    assert str(df["published"].iloc[2]) == "2023-07-15"
    assert path.read_bytes() == before  # input never modified


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / "s.csv"
    path.write_bytes(CSV_ZH.encode(encoding))
    df = load_standards(path)
    assert df["enterprise"].tolist() == ["甲公司", "甲公司", "乙公司"]


def test_english_headers_and_excel(tmp_path):
    df = pd.DataFrame({"standard_id": ["Q/X 1-2021"], "domain": ["物流服务"], "indicator": ["准时率"],
                       "requirement": ["≥98%"], "year": ["2021"]})
    path = tmp_path / "s.xlsx"
    df.to_excel(path, index=False, sheet_name="企业标准")
    out = load_standards(path)
    assert out.loc[0, "requirement"] == "≥98%"
    assert out.loc[0, "year"] == 2021


def test_bad_row_error_names_file_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV_ZH + ",丙公司,洗涤机械,江苏省,2023-01-01,噪声,≤48dB(A),\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_standards(path)
    msg = str(err.value)
    assert "bad.csv 第 5 行，列 standard_id" in msg
    assert "row 5, column standard_id" in msg


def test_bad_rows_reported_not_dropped_silently(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV_ZH + ",丙公司,洗涤机械,江苏省,2023-13-45,噪声,≤48dB(A),\n", encoding="utf-8")
    with pytest.warns(BadRowsWarning, match="1 bad rows"):
        df = load_standards(path, on_bad_rows="report")
    assert len(df) == 3
    table = problems(df)
    assert sorted(table["column"]) == ["published", "standard_id"]
    assert set(table["row"]) == {5}


def test_missing_required_column_lists_what_is_there(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("标准编号,领域,指标名称\nQ/A 1-2020,洗涤机械,噪声\n", encoding="utf-8")
    with pytest.raises(InputError, match="requirement（指标要求）"):
        load_standards(path)


def test_corrupt_excel_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="broken.xlsx"):
        load_standards(path)


def test_header_matching_ignores_units_in_brackets():
    mapping = canonical_columns(["标准编号", "限量值（mg/kg）", "Indicator"], STANDARD_COLUMNS)
    assert mapping == {"标准编号": "standard_id", "限量值（mg/kg）": "requirement", "Indicator": "indicator"}


def test_bare_number_hint_from_header(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("标准编号,领域,指标名称,限量值\nQ/A 1-2020,果品,铅,0.1\n", encoding="utf-8")
    assert load_standards(path)["bare"].tolist() == ["max"]


def test_baseline_level_and_mandatory_inferred_from_number():
    df = pd.DataFrame({
        "标准编号": ["GB 12021.4-2013", "GB/T 4288-2018", "QB/T 1111-2020", "JB 1234-2010", "GB/Z 1-2000"],
        "领域": ["洗涤机械"] * 5, "指标名称": ["能效"] * 5, "指标要求": ["≤0.5"] * 5,
    })
    out = load_baselines(df)
    assert out["level"].tolist() == ["national", "national", "industry", "industry", "national"]
    assert out["mandatory"].tolist() == [True, False, False, False, False]  # only GB can be mandatory


def test_baseline_with_unknown_level_is_flagged():
    df = pd.DataFrame({"标准编号": ["T/CAS 1-2020"], "领域": ["x"], "指标名称": ["y"], "指标要求": ["≤1"]})
    with pytest.raises(InputError, match="层级"):
        load_baselines(df)


def test_dataframe_input_is_not_modified():
    df = pd.DataFrame({"标准编号": ["Q/A 1"], "领域": ["d"], "指标名称": ["i"], "指标要求": ["≤1"]})
    copy = df.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_standards(df)
    pd.testing.assert_frame_equal(df, copy)


def test_a_loaded_frame_is_returned_as_is_keeping_its_header_hints(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("标准编号,领域,指标名称,限量值\nQ/A 1-2020,果品,铅,0.1\n", encoding="utf-8")
    loaded = load_standards(path)
    again = load_standards(loaded)
    assert again is loaded and again["bare"].tolist() == ["max"]
    reloaded = load_standards(loaded.copy().__finalize__(pd.DataFrame()))  # attrs gone: the column still says it
    assert reloaded["bare"].tolist() == ["max"]
    with pytest.raises(InputError, match="层级"):  # loaded as standards is not loaded as baselines: checked again
        load_baselines(loaded.rename(columns={"standard_id": "baseline_id"}))
