"""Records from the enterprise-standard platform in (平台记录导入): provinces from GB/T 2260 codes, 执行标准
split, dates in the platform's forms, credit codes flagged with their row, records without indicator texts
counted and kept, the GBK sample export, and the command's file read by `load_standards` and `rank`."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import pytest

from leaderkit import load_standards, rank
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.cli import main
from leaderkit.schemes.model import Scheme
from leaderkit.schemes.validation import credit_code_ok as scheme_credit_code_ok
from leaderkit.standards.loading import InputError
from leaderkit.standards.platform import (
    NO_TEXTS,
    PROVINCE_CODES,
    credit_code_ok,
    platform_dates,
    province_of_division,
    read_platform,
    split_executed,
)

PLATFORM = SAMPLE_DATA / "platform"
DETAIL = PLATFORM / "standards_detail_gbk.csv"
PRODUCTS = PLATFORM / "products.csv"
TEXTS = SAMPLE_DATA / "standards.csv"
SCHEME = SAMPLE_DATA / "schemes" / "washing_machines_a.yaml"
GOOD = "91350100M000100Y43"  # the well-known GB 32100 example, check character 3


def _detail(**changes) -> pd.DataFrame:
    rows = {"标准名称": ["智能门锁", "电动洗衣机", "商用洗衣机"],
            "标准编号": ["Q/PMS 001-2024", "Q/ABC 0002-2023", "Q/XYZ 0003-2022"],
            "企业名称": ["青岛易修物联科技有限公司", "广东甲子电器有限公司", "浙江乙丑洗涤设备有限公司"],
            "统一社会信用代码": [GOOD, "91440000MA32U21E0D", "51110000MJ00123451"],
            "行政区划": ["370212", "广东", "浙江省杭州市"],
            "公开时间": ["公开 2024年04月20日 10点30分", "2023/4/2", "2022年08月09日"],
            "状态": ["现行", "现行", "废止"]}
    rows.update(changes)
    return pd.DataFrame(rows)


# ---- the rules -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "province"), [
    ("110101", "北京市"), ("120000", "天津市"), ("150102", "内蒙古自治区"), ("230100", "黑龙江省"),
    ("370212", "山东省"), ("440305", "广东省"), ("450102", "广西壮族自治区"), ("500112", "重庆市"),
    ("540102", "西藏自治区"), ("640104", "宁夏回族自治区"), ("650102", "新疆维吾尔自治区"), ("710000", "台湾省"),
    ("810000", "香港特别行政区"), ("820000", "澳门特别行政区"), ("４４０３０５", "广东省"),
    ("广东", "广东省"), ("广东省", "广东省"), (" 广西 ", "广西壮族自治区"), ("内蒙古", "内蒙古自治区"),
    ("广东省深圳市南山区", "广东省"), ("北京市海淀区", "北京市"),
    ("990100", None), ("000000", None), ("4403", None), ("海南藏族自治州", None), ("深圳市", None), ("", None),
    (None, None),
])
def test_province_of_a_division_code_or_name(value, province):
    assert province_of_division(value) == province


def test_every_provincial_unit_has_its_gb2260_code():
    assert len(PROVINCE_CODES) == 34  # 31 provincial units + 71, 81, 82
    assert {k for k in PROVINCE_CODES if k[0] in "78"} == {"71", "81", "82"}
    assert all(province_of_division(code + "0000") == name for code, name in PROVINCE_CODES.items())


@pytest.mark.parametrize(("text", "code", "name"), [
    ("Q/PMS 001-2024《智能门锁》", "Q/PMS 001-2024", "智能门锁"),
    ("Q/CSGD 003-2018 《输变电设备状态检修规程》 ", "Q/CSGD 003-2018", "输变电设备状态检修规程"),
    ("Ｑ／ＰＭＳ　001-2024《智能门锁》", "Q/PMS 001-2024", "智能门锁"),
    ("Q/PMS 001-2024", "Q/PMS 001-2024", None),
    ("", None, None),
])
def test_the_list_rows_executed_standard_is_split(text, code, name):
    assert split_executed(text) == (code, name)


def test_dates_in_the_platforms_forms():
    got = platform_dates(pd.Series(["2024-04-20", "2024年04月20日", "2024/4/20", "公开 2024年04月20日 10点30分",
                                    "企业标准信息公共服务平台 / 公开 2024年04月20日 10点30分", "2024-04-20 10:30:00",
                                    "2024年02月30日", "四月", None]))
    assert got.iloc[:6].dt.date.tolist() == [date(2024, 4, 20)] * 6
    assert got.iloc[6:].isna().all()


def test_credit_codes_are_checked_by_the_one_function_scheme_validation_uses():
    assert scheme_credit_code_ok is credit_code_ok
    codes = pd.read_csv(TEXTS, dtype=str)["统一社会信用代码"].unique().tolist()
    assert all(credit_code_ok(c) for c in codes)  # the sample's codes are well formed
    assert [credit_code_ok(c) for c in (GOOD[:17], GOOD.lower(), GOOD + "0", "91350100M000100Y4I")] == [
        False, True, False, False]
    assert credit_code_ok(GOOD) and not credit_code_ok(GOOD[:17] + "4") and not credit_code_ok(None)


# ---- reading records -----------------------------------------------------------------------------------


def test_detail_fields_map_to_leaderkits_columns():
    frame = _detail()
    before = frame.copy()
    got = read_platform(frame, domain="示例领域")
    pd.testing.assert_frame_equal(frame, before)  # the input is not modified
    s = got.standards
    assert s["standard_id"].tolist() == ["Q/PMS 001-2024", "Q/ABC 0002-2023", "Q/XYZ 0003-2022"]
    assert s["enterprise"].iloc[0] == "青岛易修物联科技有限公司"
    assert s["region"].tolist() == ["山东省", "广东省", "浙江省"]
    assert s["region_code"].iloc[0] == "370212" and pd.isna(s["region_code"].iloc[1])
    assert s["published"].tolist() == [date(2024, 4, 20), date(2023, 4, 2), date(2022, 8, 9)]
    assert s["year"].tolist() == [2024, 2023, 2022]
    assert s["status"].tolist() == ["现行", "现行", "废止"]
    assert len(got.problems) == 0


def test_the_institution_label_and_the_list_row_form():
    frame = pd.DataFrame({"机构名称": ["青岛易修物联科技有限公司"], "执行标准": ["Q/PMS 001-2024《智能门锁》"],
                          "统一社会信用代码": [GOOD], "行政区划": ["370212"], "公开时间": ["2024-04-20"]})
    s = read_platform(frame).standards
    assert s[["standard_id", "standard_name", "enterprise"]].iloc[0].tolist() == [
        "Q/PMS 001-2024", "智能门锁", "青岛易修物联科技有限公司"]


def test_an_unknown_division_code_is_a_problem_of_its_row_not_a_guess():
    got = read_platform(_detail(行政区划=["990100", "4403", "广东"]))
    assert len(got.standards) == 3  # kept
    assert got.standards["region"].isna().tolist() == [True, True, False]
    p = got.problems
    assert p[["row", "column", "value"]].values.tolist() == [[2, "行政区划", "990100"], [3, "行政区划", "4403"]]
    assert "GB/T 2260" in p["problem"].iloc[0] and "no guess" in p["problem_en"].iloc[0]
    assert got.counts["unknown_regions"] == 2


def test_a_malformed_credit_code_is_flagged_with_its_row_and_kept():
    got = read_platform(_detail(统一社会信用代码=[GOOD, GOOD[:17] + "4", ""]))
    assert got.standards["credit_code"].iloc[1] == GOOD[:17] + "4"
    p = got.problems
    assert p[["row", "column"]].values.tolist() == [[3, "统一社会信用代码"], [4, "统一社会信用代码"]]
    assert p["value"].iloc[0] == GOOD[:17] + "4" and pd.isna(p["value"].iloc[1])
    assert "GB 32100" in p["problem"].iloc[0] and "check" in p["problem_en"].iloc[0]
    assert got.counts["bad_credit_codes"] == 2 and got.counts["records"] == 3


def test_a_second_copy_of_a_standard_is_left_out_and_named():
    frame = pd.concat([_detail(), _detail().iloc[[0]]], ignore_index=True)
    frame.loc[3, "标准编号"] = "Ｑ/PMS  001-2024"  # the same number, written differently
    got = read_platform(frame)
    assert len(got.standards) == 3 and got.counts["rows_left_out"] == 1
    assert got.problems["row"].tolist() == [5] and "第 2 行" in got.problems["problem"].iloc[0]


def test_texts_give_indicators_and_records_without_texts_are_counted_not_dropped():
    texts = pd.DataFrame({"标准编号": ["Q/PMS 001-2024", "Q/PMS 001-2024", "Q/OTHER 1-2020"],
                          "指标": ["待机功率", "噪声", "x"], "限量值": ["0.5", "45", "1"]})
    got = read_platform(_detail(), texts=texts, domain="智能家居")
    assert got.counts["records"] == 3 and got.counts["with_texts"] == 1 and got.counts["without_texts"] == 2
    assert got.counts["indicators"] == 2 and got.counts["texts_without_record"] == 1
    long = got.indicators
    assert long["indicator"].tolist() == ["待机功率", "噪声", NO_TEXTS, NO_TEXTS]
    assert long["has_texts"].tolist() == [True, True, False, False]
    assert long["bare"].iloc[0] == "max"  # a number under 限量值 means ≤
    assert set(long["domain"]) == {"智能家居"}
    assert got.standards["n_indicators"].tolist() == [2, 0, 0]


# ---- the sample export -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return read_platform(DETAIL, products=PRODUCTS, texts=TEXTS)


def test_the_sample_detail_file_is_gbk_and_reads(sample):
    raw = DETAIL.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "山西庚寅电器有限公司" in raw.decode("gbk")
    s = sample.standards
    assert len(s) == 30 and s["enterprise"].iloc[0] == "山西庚寅电器有限公司"
    assert s.set_index("standard_id").loc["Q/TUD 0027-2020", "region"] == "内蒙古自治区"
    assert s["published"].notna().all()


def test_the_sample_counts_and_problems(sample):
    c = sample.counts
    assert (c["records"], c["with_texts"], c["without_texts"]) == (30, 28, 2)
    assert (c["products"], c["products_without_record"], c["records_without_products"]) == (46, 1, 0)
    assert c["bad_credit_codes"] == 2 and c["unknown_regions"] == 1
    p = sample.problems
    detail = p[p["file"].str.endswith("standards_detail_gbk.csv")]
    assert detail[["row", "column"]].values.tolist() == [[5, "统一社会信用代码"], [9, "统一社会信用代码"], [13, "行政区划"]]
    products = p[p["file"].str.endswith("products.csv")]
    assert products[["row", "value"]].values.tolist() == [[47, "Q/XYZ 0001-2023"]]
    without = sample.standards.loc[~sample.standards["has_texts"], "standard_id"].tolist()
    assert without == ["Q/GYX 0031-2023", "Q/ZJX 0007-2022"]


def test_products_join_on_number_and_credit_code():
    items = pd.DataFrame({"标准编号": ["Q/PMS 001-2024", "Q/PMS 001-2024", "Q/ABC 0002-2023"],
                          "统一社会信用代码": [GOOD, "91440000MA32U21E0D", "91440000MA32U21E0D"],
                          "产品名称": ["智能门锁 A", "智能门锁 B", "洗衣机"], "条码": ["06901234567892", "", ""],
                          "分类": ["安防", "安防", "家电"]})
    got = read_platform(_detail(), products=items)
    assert got.products["matched"].tolist() == [True, False, True]
    assert got.products["barcode"].iloc[0] == "06901234567892"  # text, leading zero kept
    assert got.standards["n_products"].tolist() == [1, 1, 0]
    assert got.problems["row"].tolist() == [3] and got.counts["records_without_products"] == 1


def test_a_detail_without_a_standard_number_column_is_refused():
    with pytest.raises(InputError) as err:
        read_platform(pd.DataFrame({"企业名称": ["甲"], "公开时间": ["2024-04-20"]}))
    assert "标准编号" in err.value.text.zh and "执行标准" in err.value.text.en


# ---- the command -----------------------------------------------------------------------------------------


def test_the_command_writes_a_file_load_standards_and_rank_accept(tmp_path, capsys):
    out, records = tmp_path / "standards.csv", tmp_path / "records.csv"
    digest = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (DETAIL, PRODUCTS, TEXTS)}
    args = ["import-platform", str(DETAIL), "--products", str(PRODUCTS), "--texts", str(TEXTS),
            "--domain", "洗涤机械", "--out", str(out)]
    assert main(args + ["--records", str(records)]) == 0
    captured = capsys.readouterr()
    assert "无指标文本：2" in captured.out and "统一社会信用代码有误" in captured.err
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in digest} == digest  # inputs untouched

    loaded = load_standards(out)  # no bad row: raises otherwise
    assert loaded["standard_id"].nunique() == 30
    assert (loaded["indicator"] == NO_TEXTS).sum() == 2
    assert loaded.loc[loaded["standard_id"] == "Q/ZTY 0020-2021", "region"].iloc[0] == "山西省"
    assert len(pd.read_csv(records, dtype=str)) == 30

    result = rank(Scheme.load(SCHEME), out, on=date(2023, 12, 31))
    assert len(result.table) == 30
    reasons = result.table.set_index("standard_id")
    assert "Q/GYX 0031-2023" in reasons.index  # kept, not eligible: no texts


def test_the_command_needs_a_domain_for_records_without_one(tmp_path, capsys):
    out = tmp_path / "standards.csv"
    assert main(["import-platform", str(DETAIL), "--out", str(out)]) == 2
    assert "--domain" in capsys.readouterr().err and not out.exists()
    assert main(["import-platform", str(DETAIL), "--domain", "洗涤机械", "--out", str(out)]) == 0
    loaded = load_standards(out)
    assert len(loaded) == 30 and set(loaded["indicator"]) == {NO_TEXTS}
    assert main(["import-platform", str(tmp_path / "missing.csv"), "--out", str(out)]) == 2
    assert main(["import-platform", str(DETAIL), "--domain", "x", "--out", str(DETAIL)]) == 2  # an input


def test_an_excel_export_reads_as_the_csv_does(tmp_path):
    from leaderkit.standards.loading import read_table

    path = tmp_path / "平台导出.xlsx"
    read_table(DETAIL).to_excel(path, index=False, sheet_name="标准")
    got = read_platform(path, sheet="标准", domain="洗涤机械")
    assert got.counts["records"] == 30 and got.counts["without_texts"] == 30
    assert got.problems[["row", "column"]].values.tolist() == [[5, "统一社会信用代码"], [9, "统一社会信用代码"],
                                                              [13, "行政区划"]]


def test_every_provincial_unit_has_an_english_name():
    from leaderkit.standards.platform import PROVINCE_CODES, PROVINCE_ENGLISH, province_in

    assert set(PROVINCE_ENGLISH) == set(PROVINCE_CODES)
    assert province_in("广东省", "en") == "Guangdong" and province_in("广东", "en") == "Guangdong"
    assert province_in("陕西省", "en") == "Shaanxi" and province_in("山西省", "en") == "Shanxi"
    assert province_in("广东省", "zh") == "广东省" and province_in("全国", "en") == "全国"
