"""Requirement texts → limits, and strictness comparison (leaderkit.requirements)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaderkit import set_language
from leaderkit._kit.i18n import get_language
from leaderkit.limits.requirements import (
    COLUMNS,
    Requirement,
    RequirementError,
    compare,
    parse_many,
    parse_requirement,
)

INF = None  # an unbounded side, for readability of the table below

# text, parse_requirement kwargs, expected (kind, lower, upper, lower_inclusive, upper_inclusive, unit, tolerance)
NUMERIC = [
    ("不大于 0.5 mg/L", {}, (INF, 0.5, True, True, "mg/L", False)),
    ("≤15", {}, (INF, 15.0, True, True, None, False)),
    ("＜0.4", {}, (INF, 0.4, True, False, None, False)),
    ("<0.4", {}, (INF, 0.4, True, False, None, False)),
    ("≦5", {}, (INF, 5.0, True, True, None, False)),
    ("≧5", {}, (5.0, INF, True, True, None, False)),
    ("＞5", {}, (5.0, INF, False, True, None, False)),
    ("＝5", {}, (5.0, 5.0, True, True, None, False)),
    ("<=5", {}, (INF, 5.0, True, True, None, False)),
    ("6.5～8.5", {}, (6.5, 8.5, True, True, None, False)),
    ("6.5~8.5", {}, (6.5, 8.5, True, True, None, False)),
    ("6.5-8.5", {}, (6.5, 8.5, True, True, None, False)),
    ("6.5—8.5", {}, (6.5, 8.5, True, True, None, False)),
    ("3.00至3.19", {}, (3.0, 3.19, True, True, None, False)),
    ("pH 6.5~8.5", {}, (6.5, 8.5, True, True, None, False)),
    ("pH6.5~8.5", {}, (6.5, 8.5, True, True, None, False)),
    ("±7%", {}, (-7.0, 7.0, True, True, "%", True)),
    ("+7%、-10%", {}, (-10.0, 7.0, True, True, "%", True)),
    ("+7% -10%", {}, (-10.0, 7.0, True, True, "%", True)),
    ("+7%/-10%", {}, (-10.0, 7.0, True, True, "%", True)),
    ("-10%～+7%", {}, (-10.0, 7.0, True, True, "%", True)),
    ("220±10 V", {}, (210.0, 230.0, True, True, "V", True)),
    ("220V±10%", {}, (198.0, 242.0, True, True, "V", True)),
    ("不超过1.5‰", {}, (INF, 1.5, True, True, "‰", False)),
    ("不高于千分之十五", {}, (INF, 15.0, True, True, "‰", False)),
    ("万分之五", {}, (5.0, 5.0, True, True, "‱", False)),
    ("百分之八十五", {}, (85.0, 85.0, True, True, "%", False)),
    ("不低于百分之85", {}, (85.0, INF, True, True, "%", False)),
    ("95≤得分<100", {}, (95.0, 100.0, True, False, None, False)),
    ("100>得分≥95", {}, (95.0, 100.0, True, False, None, False)),
    ("0.1≤x≤0.5", {}, (0.1, 0.5, True, True, None, False)),
    ("≥6.5且≤8.5", {}, (6.5, 8.5, True, True, None, False)),
    ("≥63%", {}, (63.0, INF, True, True, "%", False)),
    ("应不低于12.4V", {}, (12.4, INF, True, True, "V", False)),
    ("≤45dB(A)", {}, (INF, 45.0, True, True, "dB(A)", False)),
    ("≤45 dB (A)", {}, (INF, 45.0, True, True, "dB(A)", False)),
    ("≤45dB", {}, (INF, 45.0, True, True, "dB", False)),
    ("≥0.85 W·h/(W·h)", {}, (0.85, INF, True, True, "W·h/(W·h)", False)),
    ("≤12 升/工作周期", {}, (INF, 12.0, True, True, "L/cycle", False)),
    ("≤0.3 kg/cycle", {}, (INF, 0.3, True, True, "kg/cycle", False)),
    ("不小于3", {}, (3.0, INF, True, True, None, False)),
    ("不少于3次", {}, (3.0, INF, True, True, "次", False)),
    ("小于5", {}, (INF, 5.0, True, False, None, False)),
    ("大于5", {}, (5.0, INF, False, True, None, False)),
    ("低于5", {}, (INF, 5.0, True, False, None, False)),
    ("高于5", {}, (5.0, INF, False, True, None, False)),
    ("5以下", {}, (INF, 5.0, True, True, None, False)),
    ("5以上", {}, (5.0, INF, True, True, None, False)),
    ("90分以上", {}, (90.0, INF, True, True, "分", False)),
    ("0.5 mg/kg 以下", {}, (INF, 0.5, True, True, "mg/kg", False)),
    ("≤ 0.5", {}, (INF, 0.5, True, True, None, False)),
    ("０．５", {"bare": "max"}, (INF, 0.5, True, True, None, False)),
    ("0.5", {"bare": "max"}, (INF, 0.5, True, True, None, False)),
    ("0.5", {"bare": "min"}, (0.5, INF, True, True, None, False)),
    ("0.5", {}, (0.5, 0.5, True, True, None, False)),
    ("0.5", {"bare": "max", "unit": "mg/kg"}, (INF, 0.5, True, True, "mg/kg", False)),
    ("0.5 g/kg", {"bare": "max", "unit": "mg/kg"}, (INF, 0.5, True, True, "g/kg", False)),
    ("≤0.5（mg/kg）", {}, (INF, 0.5, True, True, "mg/kg", False)),
    ("（mg/kg）≤0.5", {}, (INF, 0.5, True, True, "mg/kg", False)),
    ("≤0.5毫克/千克", {}, (INF, 0.5, True, True, "mg/kg", False)),
    ("1.0×10^3 CFU/g", {"bare": "max"}, (INF, 1000.0, True, True, "CFU/g", False)),
    ("≤1×10³ CFU/g", {}, (INF, 1000.0, True, True, "CFU/g", False)),
    ("≤1×10⁴ CFU/g", {}, (INF, 10000.0, True, True, "CFU/g", False)),
    ("≤1×105 CFU/g", {}, (INF, 100000.0, True, True, "CFU/g", False)),
    ("≤1.0E+03", {}, (INF, 1000.0, True, True, None, False)),
    ("10^4", {"bare": "max"}, (INF, 10000.0, True, True, None, False)),
    ("≤1,000 CFU/g", {}, (INF, 1000.0, True, True, "CFU/g", False)),
    ("PM2.5≤35 μg/m³", {}, (INF, 35.0, True, True, "μg/m³", False)),
    ("≤-5℃", {}, (INF, -5.0, True, True, "°C", False)),
    ("-20～40℃", {}, (-20.0, 40.0, True, True, "°C", False)),
    ("三个月", {}, (3.0, 3.0, True, True, "个月", False)),
    ("不少于三个月", {}, (3.0, INF, True, True, "个月", False)),
    ("三至五年", {}, (3.0, 5.0, True, True, "年", False)),
    ("二级", {}, (2.0, 2.0, True, True, "级", False)),
    ("不低于八十五", {}, (85.0, INF, True, True, None, False)),
    ("不少于一千克", {}, (1.0, INF, True, True, "kg", False)),
    ("不低于一百二十", {}, (120.0, INF, True, True, None, False)),
    ("不超过三点五", {}, (INF, 3.5, True, True, None, False)),
    ("5 mg/kg～1 g/kg", {}, (0.005, 1.0, True, True, "g/kg", False)),
    ("≤0.5 mg/kg（≤500 μg/kg）", {}, (INF, 500.0, True, True, "μg/kg", False)),
    ("≥5 and ≤8", {}, (5.0, 8.0, True, True, None, False)),
    ("≤3台", {}, (INF, 3.0, True, True, "台", False)),
    ("≤100/mL", {}, (INF, 100.0, True, True, "/mL", False)),
    ("≤5 个/100mL", {}, (INF, 5.0, True, True, "个/100mL", False)),
    ("0/25g", {}, (0.0, 0.0, True, True, None, False)),
    ("≤5 合格", {}, (INF, 5.0, True, True, None, False)),
    ("≤0.5\u200b mg/kg\x00", {}, (INF, 0.5, True, True, "mg/kg", False)),
]


@pytest.mark.parametrize(("text", "kwargs", "expected"), NUMERIC)
def test_numeric_forms(text, kwargs, expected):
    r = parse_requirement(text, **kwargs)
    lower, upper, li, ui, unit, tol = expected
    assert r.kind == "numeric"
    assert r.text == text
    assert r.lower == (None if lower is None else pytest.approx(lower, rel=1e-12))
    assert r.upper == (None if upper is None else pytest.approx(upper, rel=1e-12))
    assert (r.lower_inclusive, r.upper_inclusive, r.unit, r.tolerance) == (li, ui, unit, tol)


@pytest.mark.parametrize(
    ("text", "qualifier", "method"),
    [
        ("≤0.5 mg/kg（以Pb计）", "以Pb计", None),
        ("≤0.5 mg/kg (以 SO2 计)", "以SO2计", None),
        ("≤0.5 mg/kg，按 HJ 535 测定", None, "HJ 535"),
        ("≤0.5 (GB/T 5009.12—2017)", None, "GB/T 5009.12-2017"),
        ("≤0.5 mg/kg（以Pb计）（GB 5009.12）", "以Pb计", "GB 5009.12"),
        ("6.5～8.5（一级）", "一级", None),
        ("≤0.5 mg/kg（干基）", "干基", None),
        ("≤10 mg/L（按表1方法）", "按表1方法", None),
        ("≤0.1 mg/L，按 5.3.2 测定", None, None),
        ("明示值±5%", "明示值", None),
    ],
)
def test_qualifier_and_method_are_not_limits(text, qualifier, method):
    r = parse_requirement(text)
    assert r.kind == "numeric"
    assert (r.qualifier, r.method) == (qualifier, method)
    assert r.upper in (0.5, 8.5, 10.0, 0.1, 5.0)


def test_method_number_is_not_the_limit():
    r = parse_requirement("≤0.05 mg/kg（GB 5009.12）")
    assert (r.upper, r.unit, r.method) == (0.05, "mg/kg", "GB 5009.12")
    r = parse_requirement("≤0.05 mg/kg (按GB/T5009.12-2017测定)")
    assert (r.upper, r.method) == (0.05, "GB/T 5009.12-2017")


@pytest.mark.parametrize(
    ("text", "kind", "qualifier", "method"),
    [
        ("由供需双方协商确定", "declared", None, None),
        ("按供需双方合同约定", "declared", None, None),
        ("企业自定", "declared", None, None),
        ("明示值", "declared", None, None),
        ("应不低于标签明示值的90%", "declared", None, None),
        ("具有该品种应有的色泽", "qualitative", None, None),
        ("无异味", "qualitative", None, None),
        ("符合 GB 4806.1 的规定", "qualitative", None, "GB 4806.1"),
        ("按 HJ 535 测定", "qualitative", None, "HJ 535"),
        ("不得检出", "qualitative", "不得检出", None),
        ("不得检出/25g", "qualitative", "不得检出", None),
        ("色泽一致", "qualitative", None, None),
        ("一次性使用", "qualitative", None, None),
        ("表1", "qualitative", None, None),
        ("abc", "qualitative", None, None),
    ],
)
def test_non_numeric_kinds(text, kind, qualifier, method):
    r = parse_requirement(text)
    assert (r.kind, r.lower, r.upper, r.unit, r.dimension) == (kind, None, None, None, None)
    assert (r.qualifier, r.method) == (qualifier, method)


def test_not_detected_with_detection_limit_is_below_the_limit():
    r = parse_requirement("不得检出（检出限 0.01 mg/kg）")
    assert (r.kind, r.lower, r.upper, r.upper_inclusive, r.unit, r.qualifier) == (
        "numeric", None, 0.01, False, "mg/kg", "不得检出")
    # a looser limit is looser; the same number written as "<" is equal
    assert compare("≤0.05 mg/kg", r) == "looser"
    assert compare("<0.01 mg/kg", r) == "equal"
    # bare="max" must not turn the detection limit into an inclusive bound
    assert parse_requirement("不得检出（检出限 0.01 mg/kg）", bare="max").upper_inclusive is False


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "为空"),
        ("   \t\n", "为空"),
        ("—", "没有可识别的内容"),
        ("/", "没有可识别的内容"),
        ("😀", "没有可识别的内容"),
        ("≤0.5（一级）；≤1.0（二级）", "多个不同的上限"),
        ("≥5、≥8", "多个不同的下限"),
        ("6 8", "无法确定哪个数字是限值"),
        ("≤0.5 mg/kg 3次平均", "不可比"),
        ("≥8且≤5", "下限高于上限"),
        (">5且<5", "下限高于上限"),
        ("≤2×100 mm", "乘号"),
        ("≤" + "9" * 400, "超出范围"),
        ("6,5", "无法确定哪个数字是限值"),
        ("0.5/1.0", "无法确定哪个数字是限值"),
        ("≤0.5 mg/kg/≤1.0 mg/kg", "多个不同的上限"),
        ("n=5,c=2,m=100,M=1000 CFU/g", "多个不同的确定值"),
        ("不得检出（≥0.01）", "检出限"),
    ],
)
def test_unreadable_texts_raise_requirement_error(text, reason):
    with pytest.raises(RequirementError) as info:
        parse_requirement(text)
    message = str(info.value)
    assert reason in message
    assert " / " in message  # Chinese and English
    assert "位置 / where" in message


@pytest.mark.parametrize("value", [None, math.nan, 0.5, 3, b"0.5", ["≤5"]])
def test_non_text_raises_requirement_error(value):
    with pytest.raises(RequirementError):
        parse_requirement(value)


def test_requirement_error_is_a_value_error():
    assert issubclass(RequirementError, ValueError)


@pytest.mark.parametrize("kwargs", [{"bare": "upper"}, {"unit": 5}])
def test_bad_arguments(kwargs):
    with pytest.raises(RequirementError):
        parse_requirement("0.5", **kwargs)


# ---------------------------------------------------------------- helpers


def test_base_values_and_factor():
    r = parse_requirement("0.5～2 g/kg")
    assert (r.dimension, r.factor) == ("mass_fraction", 1000.0)
    assert (r.base_lower, r.base_upper) == (500.0, 2000.0)
    assert parse_requirement("≤15").base_upper == 15.0
    assert parse_requirement("≤1.5‰").base_upper == pytest.approx(0.15)


@pytest.mark.parametrize(
    ("text", "direction"),
    [("≤0.5", "lower"), ("≥0.5", "higher"), ("6.5～8.5", None), ("0.5", None), ("无异味", None)],
)
def test_direction(text, direction):
    assert parse_requirement(text).direction == direction


def test_to_converts_within_a_dimension():
    r = parse_requirement("≤0.5 mg/kg（以Pb计）").to("g/kg")
    assert (r.upper, r.unit, r.factor, r.qualifier) == (pytest.approx(0.0005), "g/kg", 1000.0, "以Pb计")
    assert r.base_upper == pytest.approx(0.5)
    assert parse_requirement("1.5‰").to("%").lower == pytest.approx(0.15)


@pytest.mark.parametrize(("text", "unit"), [("≤45dB", "dB(A)"), ("≤5%", "mg/kg"), ("≤5", "mg/kg"), ("无异味", "%")])
def test_to_refuses_other_dimensions(text, unit):
    with pytest.raises(RequirementError):
        parse_requirement(text).to(unit)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("≤0.5 mg/kg（以Pb计）", "≤ 0.5 mg/kg（以Pb计）", "≤ 0.5 mg/kg (以Pb计)"),
        ("95≤得分<100", "95 ≤ x < 100", "95 ≤ x < 100"),
        ("±7%", "±7 %", "±7 %"),
        (">5", "> 5", "> 5"),
        ("0.5", "= 0.5", "= 0.5"),
        ("≤0.5 (HJ 535)", "≤ 0.5（方法 HJ 535）", "≤ 0.5 (method HJ 535)"),
        ("无异味", "定性要求：无异味", "qualitative requirement: 无异味"),
        ("企业自定", "声明值要求：企业自定", "declared-value requirement: 企业自定"),
    ],
)
def test_describe_in_both_languages(text, zh, en):
    before = get_language()
    try:
        set_language("zh")
        assert parse_requirement(text).describe() == zh
        set_language("en")
        assert parse_requirement(text).describe() == en
    finally:
        set_language(before)


# ---------------------------------------------------------------- compare

COMPARE = [
    # enterprise, baseline, direction, verdict
    ("≤0.5 mg/kg", "≤0.8 mg/kg", None, "stricter"),
    ("≤0.8 mg/kg", "≤0.5 mg/kg", None, "looser"),
    ("≤0.5 mg/kg", "≤0.5 mg/kg", None, "equal"),
    ("0.5 mg/kg", "0.0005 g/kg", None, "equal"),
    ("≤0.5 mg/kg", "≤0.0005 g/kg", None, "equal"),
    ("≤400 μg/kg", "≤0.5 mg/kg", None, "stricter"),
    ("≤1.5‰", "≤0.15%", None, "equal"),
    ("不高于千分之十五", "≤1.5%", None, "equal"),
    ("≤1‰", "≤0.15%", None, "stricter"),
    ("≥0.85", "≥0.70", None, "stricter"),
    ("≥63%", "≥65%", None, "looser"),
    ("6.5～8.5", "6～9", None, "stricter"),
    ("6～9", "6.5～8.5", None, "looser"),
    ("6～9", "6-9", None, "equal"),
    ("5～7", "6～9", None, "not_comparable"),
    ("1～2", "3～4", None, "not_comparable"),
    ("<0.5", "≤0.5", None, "stricter"),
    ("≤0.5", "<0.5", None, "looser"),
    (">0.5", "≥0.5", None, "stricter"),
    ("95≤得分<100", "95≤得分≤100", None, "stricter"),
    ("±5%", "±7%", None, "stricter"),
    ("+5%、-5%", "±5%", None, "equal"),
    ("+7%、-10%", "±7%", None, "looser"),
    ("+10%、-5%", "±7%", None, "not_comparable"),
    ("≤8", "6～9", None, "not_comparable"),
    ("≤8", "6～9", "lower", "stricter"),
    ("≤10", "6～9", "lower", "looser"),
    ("≥7", "6～9", "higher", "stricter"),
    ("≥7", "6～9", "lower", "looser"),
    ("≥5", "≥5", "lower", "equal"),
    ("≥6", "≥5", "lower", "stricter"),
    ("≤5", "≤5", "higher", "equal"),
    ("≤5", "≤8", "higher", "stricter"),
    ("≥5", "≤8", "lower", "looser"),
    ("<0.5", "≤0.5", "lower", "stricter"),
    ("6.5～8.5", "≤9", "higher", "stricter"),
    ("≤45dB", "≤45dB(A)", None, "not_comparable"),
    ("≤5%", "≤5 mg/kg", None, "not_comparable"),
    ("≤5 mg/kg", "≤5 mg/L", None, "not_comparable"),
    ("≤0.5", "≤0.8 mg/kg", None, "stricter"),
    ("≤0.5 g/kg", "≤800", None, "stricter"),
    ("无异味", "≤5", None, "not_comparable"),
    ("≤5", "由供需双方协商确定", None, "not_comparable"),
    ("不得检出", "不得检出", None, "not_comparable"),
]


@pytest.mark.parametrize(("enterprise", "baseline", "direction", "verdict"), COMPARE)
def test_compare(enterprise, baseline, direction, verdict):
    assert compare(enterprise, baseline, direction) == verdict
    swapped = {"stricter": "looser", "looser": "stricter"}.get(verdict, verdict)
    assert compare(baseline, enterprise, direction) == swapped


def test_compare_takes_requirements():
    e = parse_requirement("0.5", bare="max", unit="mg/kg")
    assert compare(e, Requirement("≤0.8", "numeric", upper=0.8, unit="mg/kg", dimension="mass_fraction")) == "stricter"


def test_compare_errors():
    with pytest.raises(RequirementError):
        compare("≤5", "≤6", direction="smaller")
    with pytest.raises(RequirementError) as info:
        compare("—", "≤6")
    assert "企业要求无法解析" in str(info.value)


# ---------------------------------------------------------------- parse_many


def test_parse_many_columns_and_values():
    texts = pd.Series(["≤0.5 mg/kg", None, math.nan, "0.5", "无异味", "≤0.5（一级）；≤1.0（二级）", "0.5", 0.25,
                       "企业自定"], index=list("abcdefghi"))
    units = [None, None, None, "g/kg", None, None, "mg/kg", None, None]
    df = parse_many(texts, bare="max", unit=units)
    assert list(df.columns) == COLUMNS
    assert list(df.index) == list("abcdefghi")
    assert df["kind"].tolist() == ["numeric", "invalid", "invalid", "numeric", "qualitative", "invalid", "numeric",
                                   "numeric", "declared"]
    assert df.loc["a", "upper"] == 0.5 and df.loc["a", "unit"] == "mg/kg"
    assert df.loc["d", "upper"] == 0.5 and df.loc["d", "unit"] == "g/kg" and df.loc["d", "base_upper"] == 500.0
    assert df.loc["d", "factor"] == 1000.0 and df.loc["a", "factor"] == 1.0 and math.isnan(df.loc["b", "factor"])
    assert df.loc["g", "unit"] == "mg/kg" and df.loc["g", "base_upper"] == 0.5
    assert df.loc["h", "upper"] == 0.25  # a number from a numeric spreadsheet column
    assert df.loc["b", "error"] == "空值 / empty" and df.loc["c", "error"] == "空值 / empty"
    assert "多个不同的上限" in df.loc["f", "error"]
    assert df["error"].isna().tolist() == [True, False, False, True, True, False, True, True, True]
    assert math.isnan(df.loc["a", "lower"]) and math.isnan(df.loc["e", "base_upper"])
    assert df["tolerance"].dtype == bool and df["lower_inclusive"].dtype == bool
    assert df["lower"].dtype == np.float64


def test_parse_many_scalar_unit_and_plain_list():
    df = parse_many(["0.5", "≤1 g/kg", "6～9"], bare="min", unit="mg/kg")
    assert df["lower"].tolist()[0] == 0.5 and df["unit"].tolist() == ["mg/kg", "g/kg", "mg/kg"]
    assert df["base_upper"].tolist()[1] == 1000.0
    assert list(df.index) == [0, 1, 2]


def test_parse_many_odd_cells_are_invalid_rows():
    df = parse_many([["≤5"], {"a": 1}, b"0.5", True, "≤5", ("≤5",)])
    assert df["kind"].tolist() == ["invalid", "invalid", "invalid", "invalid", "numeric", "invalid"]
    assert df["error"].tolist()[0] == "不是文本（list） / not text (list)"
    assert df["error"].tolist()[3] == "不是文本（bool） / not text (bool)"
    df = parse_many(np.array(["≤5", "6～9"]), unit=pd.Series(["mg/kg", None]))
    assert df["unit"].tolist()[0] == "mg/kg" and pd.isna(df["unit"].tolist()[1])


def test_parse_many_empty_and_mismatched_units():
    assert list(parse_many([]).columns) == COLUMNS and len(parse_many([])) == 0
    with pytest.raises(RequirementError):
        parse_many(["≤5", "≤6"], unit=["mg/kg"])
    with pytest.raises(RequirementError):
        parse_many(["≤5"], bare="upper")
    with pytest.raises(RequirementError):
        parse_many("≤5")


def test_parse_many_matches_parse_requirement_on_the_table():
    texts = [t for t, kw, _ in NUMERIC if not kw]
    df = parse_many(texts)
    for text, row in zip(texts, df.itertuples(index=False), strict=True):
        r = parse_requirement(text)
        assert row.kind == r.kind
        assert _same(row.lower, r.lower) and _same(row.upper, r.upper)
        assert _same(row.base_lower, r.base_lower) and _same(row.base_upper, r.base_upper)
        assert (row.lower_inclusive, row.upper_inclusive, row.tolerance) == (
            r.lower_inclusive, r.upper_inclusive, r.tolerance)
        assert (None if pd.isna(row.unit) else row.unit) == r.unit


def test_parse_many_repeated_texts_are_parsed_once_per_distinct_text():
    texts = ["≤0.5 mg/kg", "6～9", "无异味"] * 1000
    df = parse_many(texts)
    assert len(df) == 3000
    assert df["kind"].value_counts().to_dict() == {"numeric": 2000, "qualitative": 1000}
    assert df["upper"].iloc[3] == 0.5 and df["lower"].iloc[2998] == 6.0


def _same(a, b):
    return (b is None and math.isnan(a)) or a == b


# ---------------------------------------------------------------- robustness (hypothesis)

TOKENS = ["≤", "≥", "<", ">", "＜", "≦", "≧", "＝", "=", "～", "~", "-", "—", "+", "±", "至", "以下", "以上",
          "不大于", "不低于", "不少于", "0.5", "12", "８", "．", "，", "1.0×10^3", "10^4", "1×10³", "e3", "mg/kg",
          "g/kg", "%", "‰", "dB(A)", "W·h/(W·h)", "升/工作周期", "（", "）", "(", ")", "(以Pb计)", "GB/T 5009.12",
          "HJ 535", "按", "测定", "不得检出", "检出限", "明示值", "协商", "百分之", "千分之", "八十五", "十五", "一级",
          "、", " ", "pH", "PM2.5", "表1", "5.3.2", "😀", "\x00", "\u200b", "第", "年", "个月", "得分", "×", "^"]
mixed_text = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)
any_text = st.one_of(st.text(), mixed_text)


@settings(max_examples=400, deadline=None)
@given(text=any_text, bare=st.sampled_from([None, "max", "min"]), unit=st.sampled_from([None, "mg/kg", "", "%x"]))
def test_parse_never_raises_anything_else(text, bare, unit):
    try:
        r = parse_requirement(text, bare=bare, unit=unit)
    except RequirementError as exc:
        assert exc.text.zh and exc.text.en
        return
    assert r.kind in ("numeric", "qualitative", "declared")
    if r.kind == "numeric":
        assert r.lower is not None or r.upper is not None
        if r.lower is not None and r.upper is not None:
            assert r.lower <= r.upper
        assert all(math.isfinite(v) for v in (r.lower, r.upper) if v is not None)
    else:
        assert r.lower is None and r.upper is None
    assert isinstance(r.describe(), str)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.one_of(any_text, st.none(), st.just(math.nan), st.floats()), max_size=20))
def test_parse_many_never_raises_per_row(texts):
    df = parse_many(texts, bare="max")
    assert len(df) == len(texts)
    assert set(df["kind"]) <= {"numeric", "qualitative", "declared", "invalid"}
    assert (df["kind"] == "invalid").tolist() == df["error"].notna().tolist()


@pytest.mark.parametrize(
    "text",
    ["≤0.5 mg/kg " * 9000, "(" * 100_000, "1" * 100_000, "以" * 100_000, "GB " * 33_000, "1.1." * 25_000,
     "一" * 100_000, "≤" * 100_000, "a" * 100_000, "(1" * 50_000, "1e" * 50_000, "百分之" * 33_000,
     "不得检出" * 25_000, "0.5" + " " * 100_000 + "mg/kg"],
)
def test_long_texts_return(text):
    try:
        parse_requirement(text)
    except RequirementError:
        pass


values = st.sampled_from([0.1, 0.3, 0.5, 0.8, 1.0, 2.0, 15.0])
units = st.sampled_from(["", " mg/kg", " g/kg", " μg/kg", " %", " ‰", " dB(A)"])


@st.composite
def numeric_text(draw):
    a, b = sorted([draw(values), draw(values)])
    if a == b:
        b = a + 0.5
    form = draw(st.sampled_from(["≤{a}", "<{a}", "≥{a}", ">{a}", "{a}～{b}", "±{a}", "{a}≤x<{b}", "{a}"]))
    return form.format(a=a, b=b) + draw(units)


@settings(max_examples=300, deadline=None)
@given(text=numeric_text(), direction=st.sampled_from([None, "lower", "higher"]))
def test_compare_with_itself_is_equal(text, direction):
    assert compare(text, text, direction) == "equal"


@settings(max_examples=400, deadline=None)
@given(a=numeric_text(), b=numeric_text(), direction=st.sampled_from([None, "lower", "higher"]))
def test_compare_is_antisymmetric(a, b, direction):
    forward = compare(a, b, direction)
    backward = compare(b, a, direction)
    assert forward in ("stricter", "equal", "looser", "not_comparable")
    assert backward == {"stricter": "looser", "looser": "stricter"}.get(forward, forward)


@settings(max_examples=200, deadline=None)
@given(a=numeric_text(), target=st.sampled_from(["mg/kg", "g/kg", "μg/kg", "%", "‰"]))
def test_compare_does_not_depend_on_the_unit_written(a, target):
    r = parse_requirement(a)
    if r.dimension is None or r.dimension != parse_requirement("1 " + target).dimension:
        return
    assert compare(r, r.to(target)) == "equal"


@settings(max_examples=200, deadline=None)
@given(a=any_text, b=any_text, direction=st.sampled_from([None, "lower", "higher"]))
def test_compare_never_raises_on_parsed_requirements(a, b, direction):
    try:
        ra, rb = parse_requirement(a), parse_requirement(b)
    except RequirementError:
        return
    assert compare(ra, rb, direction) in ("stricter", "equal", "looser", "not_comparable")


def test_a_text_read_again_comes_from_the_cache_and_reads_the_same():
    from leaderkit.limits.requirements import _default_unit, _parse, _parse_text

    _parse_text.cache_clear()
    for text, unit in [("≤0.5 mg/kg", None), ("不低于85%", None), ("6.5～8.5", None), ("≤0.5", "mg/kg")]:
        first = parse_requirement(text, unit=unit)
        assert parse_requirement(text, unit=unit) is first  # read once
        assert first == _parse(text, None, _default_unit(unit))
    assert parse_requirement("≤0.5", unit="g/kg").unit == "g/kg"  # the unit is part of the key
    for bad in ("", "≤"):
        for _ in range(2):  # a text that cannot be read raises every time, nothing cached for it
            with pytest.raises(RequirementError):
                parse_requirement(bad)
