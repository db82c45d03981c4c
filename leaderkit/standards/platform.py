"""Standard records as the enterprise-standard platform shows them (企业标准信息公共服务平台记录导入).

The public platform shows, for each self-declared standard, a detail page (标准名称, 标准编号, 企业名称 or
机构名称, 统一社会信用代码, 行政区划, 公开时间, 状态) and a product table (产品名称, 通用名, 品牌, 条码, 规格, 型号,
分类); its list pages show one row per standard with 执行标准 = "Q/XXX xxx-YYYY《标准名称》".
`read_platform(detail, products=…, texts=…)` reads such an export (CSV in UTF-8 or GBK, Excel, or frames)
and returns a `PlatformImport`:

- `standards`: one row per standard record (标准), every record kept, in leaderkit's column names
  (standard_id, standard_name, enterprise, credit_code, region, region_code, published, year, status …),
  with `has_texts`, `n_indicators` and `n_products`;
- `products`: one row per product, joined to its standard on 标准编号 + 统一社会信用代码;
- `indicators`: the long form `load_standards` reads (standard × indicator). Indicator texts come from the
  standard's text when a texts table is given (标准编号, 指标, 要求 — the form `load_standards` reads, any of
  its headers); a record without texts is one row whose indicator and requirement are "无指标文本" (NO_TEXTS),
  so it stays in the count of declared standards (the adoption rate's denominator) and is never dropped;
- `problems`: file, row, column, value, problem (Chinese), problem_en — the shape of `loading.problems`;
- `counts`: how many records, with and without texts, products, problems of each kind (`summary()` says it
  in words).

Rules: the province is the first two digits of a GB/T 2260 code (all 31 provincial units, 71 台湾, 81 香港,
82 澳门) or a name, full or short ("广东" / "广东省" / "广东省深圳市…"); an unknown code or name is a
problem of its row, never a guess. A credit code is checked as GB 32100 says (18 characters of its alphabet
and the check character, `credit_code_ok`); a bad one is flagged and the record kept. 公开时间 is read from
"2024-04-20", "2024年04月20日", "2024/4/20" or the watermark "公开 2024年04月20日 10点30分". Rows are numbered
as a spreadsheet counts them (header = row 1). Inputs are only read.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from leaderkit._kit.i18n import Text, tr
from leaderkit.standards.codes import credit_code_ok
from leaderkit.standards.loading import (
    STANDARD_COLUMNS,
    BadRowsWarning,
    InputError,
    bare_hint,
    canonical_columns,
    parse_dates,
    read_table,
    sheet_row_numbers,
)

NO_TEXTS = "无指标文本"
"""Indicator and requirement of a record whose standard text gave no indicators (counted, never dropped)."""

# ---- the platform's labels ---------------------------------------------------------------------------

DETAIL_COLUMNS = {
    "standard_id": ("标准编号", "标准号", "企业标准编号", "standard_id", "standard_no", "standard"),
    "standard_name": ("标准名称", "standard_name"),
    "executed": ("执行标准", "executed_standard"),
    "enterprise": ("企业名称", "机构名称", "企业/机构名称", "单位名称", "enterprise", "company"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "division": ("行政区划", "行政区划代码", "所在地区", "地区", "省份", "region", "province"),
    "published": ("公开时间", "公开日期", "发布日期", "声明日期", "published"),
    "status": ("状态", "标准状态", "status"),
}
PRODUCT_COLUMNS = {
    "standard_id": DETAIL_COLUMNS["standard_id"],
    "executed": DETAIL_COLUMNS["executed"],
    "credit_code": DETAIL_COLUMNS["credit_code"],
    "product": ("产品名称", "product", "product_name"),
    "common_name": ("通用名", "通用名称", "common_name"),
    "brand": ("品牌", "brand"),
    "barcode": ("条码", "商品条码", "条形码", "barcode"),
    "spec": ("规格", "spec", "specification"),
    "model": ("型号", "model"),
    "product_class": ("分类", "产品分类", "product_class", "classification"),
}
RECORD_COLUMNS = ("standard_id", "standard_name", "enterprise", "credit_code", "region", "region_code",
                  "published", "year", "status")
"""What a record takes from the platform; a texts table gives the rest of a `load_standards` row."""

# GB/T 2260: the provincial units by the first two digits of an administrative division code
PROVINCES = {
    "11": ("北京市", "Beijing"),
    "12": ("天津市", "Tianjin"),
    "13": ("河北省", "Hebei"),
    "14": ("山西省", "Shanxi"),
    "15": ("内蒙古自治区", "Inner Mongolia"),
    "21": ("辽宁省", "Liaoning"),
    "22": ("吉林省", "Jilin"),
    "23": ("黑龙江省", "Heilongjiang"),
    "31": ("上海市", "Shanghai"),
    "32": ("江苏省", "Jiangsu"),
    "33": ("浙江省", "Zhejiang"),
    "34": ("安徽省", "Anhui"),
    "35": ("福建省", "Fujian"),
    "36": ("江西省", "Jiangxi"),
    "37": ("山东省", "Shandong"),
    "41": ("河南省", "Henan"),
    "42": ("湖北省", "Hubei"),
    "43": ("湖南省", "Hunan"),
    "44": ("广东省", "Guangdong"),
    "45": ("广西壮族自治区", "Guangxi"),
    "46": ("海南省", "Hainan"),
    "50": ("重庆市", "Chongqing"),
    "51": ("四川省", "Sichuan"),
    "52": ("贵州省", "Guizhou"),
    "53": ("云南省", "Yunnan"),
    "54": ("西藏自治区", "Tibet"),
    "61": ("陕西省", "Shaanxi"),
    "62": ("甘肃省", "Gansu"),
    "63": ("青海省", "Qinghai"),
    "64": ("宁夏回族自治区", "Ningxia"),
    "65": ("新疆维吾尔自治区", "Xinjiang"),
    "71": ("台湾省", "Taiwan"),
    "81": ("香港特别行政区", "Hong Kong"),
    "82": ("澳门特别行政区", "Macao"),
}
"""GB/T 2260 provincial codes (the first two digits of a 行政区划 code) → (full name, English name)."""
PROVINCE_CODES = {code: zh for code, (zh, _) in PROVINCES.items()}
PROVINCE_ENGLISH = {code: en for code, (_, en) in PROVINCES.items()}
_SHORT = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$")
PROVINCE_NAMES = {**{name: name for name in PROVINCE_CODES.values()},
                  **{_SHORT.sub("", name): name for name in PROVINCE_CODES.values()}}
"""Full and short names of the provincial units → the full name ("广东" → "广东省", "广西" → "广西壮族自治区")."""
_ENGLISH_BY_NAME = dict(PROVINCES.values())


def province_in(name: str, lang: str) -> str:
    """A provincial unit's name as shown in `lang`: the name itself in Chinese, its English name in English
    ("广东省" / "广东" → "Guangdong"); a name that is not a provincial unit is returned as it is."""
    if lang == "zh":
        return name
    return _ENGLISH_BY_NAME.get(PROVINCE_NAMES.get(str(name).strip(), ""), name)

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_EXECUTED = re.compile(r"^(?P<code>[^《]*?)\s*《(?P<name>[^》]*)》\s*$")

COUNT_LABELS = {
    "records": Text("标准记录", "standard records"),
    "with_texts": Text("有指标文本", "with indicator texts"),
    "without_texts": Text(NO_TEXTS, "without indicator texts"),
    "indicators": Text("指标行", "indicator rows"),
    "products": Text("产品", "products"),
    "products_without_record": Text("找不到所属标准的产品", "products whose standard is not among the records"),
    "records_without_products": Text("没有产品的标准", "records without products"),
    "bad_credit_codes": Text("统一社会信用代码有误", "malformed credit codes"),
    "unknown_regions": Text("行政区划无法识别或为空", "administrative divisions unknown or empty"),
    "bad_dates": Text("公开时间无法识别或为空", "publication times not recognised or empty"),
    "texts_without_record": Text("指标文本表中不在本次记录里的标准（未导入）",
                                 "standards of the texts table not among the records (not imported)"),
    "rows_left_out": Text("未导入的行（无法读取、无标准编号或重复）", "rows left out (unreadable, no standard number, repeated)"),
    "problems": Text("问题（共计）", "problems (all)"),
}


# ---- the rules, one function each ----------------------------------------------------------------------


def province_of_division(value) -> str | None:
    """The provincial unit's full name for a 行政区划 cell: a 6-digit GB/T 2260 code ("440305" → "广东省", by
    its first two digits) or a name, full or short, alone or at the head of a longer one ("广东", "广东省",
    "广东省深圳市南山区"). None when it is none of these (an unknown code, a city alone, empty)."""
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if re.fullmatch(r"\d{6}", text):
        return PROVINCE_CODES.get(text[:2])
    if text in PROVINCE_NAMES:
        return PROVINCE_NAMES[text]
    return next((full for full in PROVINCE_CODES.values() if text.startswith(full)), None)


def split_executed(text) -> tuple[str | None, str | None]:
    """The list row's 执行标准 "Q/XXX xxx-YYYY《标准名称》" → (standard number, standard name); a cell without
    《》 is the number alone. Full-width characters and runs of spaces are normalised."""
    if not isinstance(text, str) or not text.strip():
        return None, None
    text = unicodedata.normalize("NFKC", text).strip()
    match = _EXECUTED.match(text)
    code, name = (match["code"], match["name"].strip()) if match else (text, None)
    code = re.sub(r"\s+", " ", code).strip()
    return code or None, name or None


def platform_dates(series: pd.Series) -> pd.Series:
    """公开时间 cells → datetime64 (NaT where no date is found): "2024-04-20", "2024年04月20日", "2024/4/20",
    "2024-04-20 10:30:00" and the watermark "公开 2024年04月20日 10点30分" (the time of day is not kept)."""
    text = series.astype("string").str.normalize("NFKC")
    parts = text.str.extract(_DATE)
    day = parts[0] + "-" + parts[1] + "-" + parts[2]
    return parse_dates(day)


def _code_key(series: pd.Series) -> pd.Series:
    """A standard number as a join key: full-width folded, upper case, no spaces ("Q/PMS 001-2024" and
    "Ｑ／ＰＭＳ001-2024" are one standard)."""
    return series.astype("string").str.normalize("NFKC").str.upper().str.replace(r"\s+", "", regex=True)


# ---- the result ----------------------------------------------------------------------------------------

PROBLEM_COLUMNS = ["file", "row", "column", "value", "problem", "problem_en"]


@dataclass(frozen=True)
class PlatformImport:
    """What `read_platform` read: `standards` (one row per record), `products`, `indicators` (the long form
    `load_standards` reads), `problems` and `counts`."""

    standards: pd.DataFrame
    products: pd.DataFrame
    indicators: pd.DataFrame
    problems: pd.DataFrame
    counts: dict = field(default_factory=dict)

    def summary(self, lang: str | None = None) -> str:
        """The counts in words, one line each, in `lang` (or the library's language)."""
        return "\n".join(f"{COUNT_LABELS[k].get(lang)}{tr('：', ': ', lang)}{v}" for k, v in self.counts.items())

    def to_csv_frame(self) -> pd.DataFrame:
        """`indicators` with the Chinese headers `load_standards` reads (标准编号, 指标名称, 指标要求 …) and
        the column 指标文本 (有/无)."""
        out = self.indicators.copy()
        out["published"] = out["published"].map(lambda d: "" if pd.isna(d) else d.isoformat())
        out["has_texts"] = out["has_texts"].map({True: "有", False: "无"})
        headers = {c: STANDARD_COLUMNS[c][0] for c in out.columns if c in STANDARD_COLUMNS}
        headers.update({"region_code": "行政区划", "has_texts": "指标文本"})
        return out.rename(columns=headers)


# ---- reading -------------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, name: str, row: int, column, value, zh: str, en: str) -> None:
        shown = None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        self.rows.append({"file": name, "row": int(row), "column": column, "value": shown,
                          "problem": zh, "problem_en": en})

    def flag(self, name: str, frame: pd.DataFrame, mask: pd.Series, column: str, header: str | None,
             zh: str, en: str) -> None:
        for idx in frame.index[mask.fillna(False).to_numpy(bool)]:
            value = frame.at[idx, column] if column in frame.columns else None
            self.add(name, frame.at[idx, "row"], header or column, value, zh, en)


def _table(source, what: Text, *, sheet=None, encoding=None) -> tuple[pd.DataFrame, str, list[dict]]:
    """A file (read as text by `read_table`, unreadable rows listed) or a frame, with the column `row`."""
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
        name = str(raw.attrs.get("source", f"<{what.en}>"))
        found: list[dict] = []
        raw = raw.astype("string")
    elif isinstance(source, str | Path):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BadRowsWarning)
            raw = read_table(source, sheet=sheet, encoding=encoding, on_bad_rows="report")
        name = str(raw.attrs["source"])
        found = list(raw.attrs.get("problems", []))
    else:
        raise InputError(f"{what.zh}应为文件路径或 DataFrame，收到 {type(source).__name__}",
                         f"the {what.en} must be a file path or a DataFrame, got {type(source).__name__}",
                         hint=Text("给出 CSV 或 Excel 文件的路径", "give the path of a CSV or Excel file"))
    raw = raw.copy()
    raw.columns = [str(c) for c in raw.columns]
    for column in raw.columns:
        raw[column] = raw[column].astype("string").str.strip().replace("", pd.NA)
    raw["row"] = sheet_row_numbers(raw.index).to_numpy()
    return raw.reset_index(drop=True), name, found


def _mapped(raw: pd.DataFrame, name: str, schema: dict, what: Text) -> tuple[pd.DataFrame, dict[str, str]]:
    """The columns the schema knows, under canonical names (`headers`: canonical → the file's header);
    an InputError when neither 标准编号 nor 执行标准 is there."""
    mapping = canonical_columns([c for c in raw.columns if c != "row"], schema)
    if not {"standard_id", "executed"} & set(mapping.values()):
        shown = ", ".join(c for c in raw.columns if c != "row")[:300]
        raise InputError(f"{name}（{what.zh}）既没有“标准编号”列也没有“执行标准”列。现有列：{shown}",
                         f"{name} ({what.en}) has neither a 标准编号 (standard number) nor a 执行标准 column. "
                         f"Columns present: {shown}", where=name,
                         hint=Text("平台详情页的表头为 标准编号、标准名称…；列表页为 执行标准",
                                   "the detail page's headers are 标准编号, 标准名称 …; the list page has 执行标准"))
    frame = raw[list(mapping)].rename(columns=mapping)
    frame["row"] = raw["row"]
    return frame, {v: k for k, v in mapping.items()}


def _standard_ids(frame: pd.DataFrame, name: str, headers: dict, found: _Problems) -> None:
    """standard_id (and standard_name) from 标准编号 / 标准名称, blanks filled from 执行标准; a 执行标准 that
    names another number than 标准编号 is a problem of its row."""
    if "standard_id" in frame.columns:
        frame["standard_id"] = frame["standard_id"].map(
            lambda v: split_executed(v)[0] if isinstance(v, str) else pd.NA).astype("string")
    if "executed" not in frame.columns:
        return
    pairs = frame["executed"].map(lambda v: split_executed(v) if isinstance(v, str) else (None, None))
    code = pd.Series([p[0] for p in pairs], index=frame.index, dtype="string")
    title = pd.Series([p[1] for p in pairs], index=frame.index, dtype="string")
    if "standard_id" in frame.columns:
        differs = code.notna() & frame["standard_id"].notna() & (_code_key(code) != _code_key(frame["standard_id"]))
        found.flag(name, frame, differs, "executed", headers.get("executed"), "执行标准中的标准编号与“标准编号”列不一致",
                   "the standard number in 执行标准 differs from the 标准编号 column")
        frame["standard_id"] = frame["standard_id"].fillna(code)
    else:
        frame["standard_id"] = code
    if "standard_name" in frame.columns:
        frame["standard_name"] = frame["standard_name"].fillna(title)
    else:
        frame["standard_name"] = title


def _records(source, *, sheet, encoding, domain, found: _Problems, counts: dict) -> tuple[pd.DataFrame, str]:
    what = Text("标准明细", "standards detail")
    raw, name, unreadable = _table(source, what, sheet=sheet, encoding=encoding)
    found.rows.extend(unreadable)
    counts["rows_left_out"] += len({p["row"] for p in unreadable})
    frame, headers = _mapped(raw, name, DETAIL_COLUMNS, what)
    _standard_ids(frame, name, headers, found)
    column = headers.get("standard_id") or headers.get("executed")

    no_id = frame["standard_id"].isna()
    found.flag(name, frame, no_id, "standard_id", column, "标准编号为空，该行未导入",
               "the standard number is empty; the row was left out")
    frame = frame[~no_id].copy()
    has_codes = "credit_code" in frame.columns
    if has_codes:
        frame["credit_code"] = frame["credit_code"].str.normalize("NFKC").str.upper()
    else:
        frame["credit_code"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["key"] = _code_key(frame["standard_id"])
    repeated = frame.duplicated(["key", "credit_code"], keep="first")
    first_row = frame.drop_duplicates(["key", "credit_code"]).set_index(["key", "credit_code"])["row"]
    for idx in frame.index[repeated.to_numpy()]:
        first = first_row.loc[(frame.at[idx, "key"], frame.at[idx, "credit_code"])]
        found.add(name, frame.at[idx, "row"], None, None,
                  f"与第 {first} 行是同一标准（标准编号与统一社会信用代码相同），该行未导入",
                  f"the same standard as row {first} (standard number and credit code); the row was left out")
    counts["rows_left_out"] += int(no_id.sum() + repeated.sum())
    frame = frame[~repeated.to_numpy()].reset_index(drop=True)

    present = frame["credit_code"].notna() | (not has_codes)  # no such column: nothing to flag per row
    bad = frame["credit_code"].notna() & ~frame["credit_code"].map(credit_code_ok).astype(bool)
    found.flag(name, frame, ~present, "credit_code", headers.get("credit_code"),
               "统一社会信用代码为空；记录已保留", "the credit code is empty; the record is kept")
    found.flag(name, frame, bad, "credit_code", headers.get("credit_code"),
               "统一社会信用代码有误（GB 32100：18 位，末位为校验码）；记录已保留，请按平台详情页核对后改正",
               "malformed credit code (GB 32100: 18 characters, the last a check character); the record is "
               "kept: check it against the platform's detail page and correct it")
    counts["bad_credit_codes"] = int((bad | ~present).sum())

    division = frame["division"] if "division" in frame.columns else pd.Series(pd.NA, index=frame.index,
                                                                                dtype="string")
    frame["region"] = division.map(province_of_division).astype("string")
    digits = division.str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    is_code = digits.str.fullmatch(r"\d+").fillna(False)
    frame["region_code"] = digits.where(is_code)
    div_header = headers.get("division", "行政区划")
    found.flag(name, frame, division.isna(), "division", div_header, "行政区划为空；记录已保留，省份为空",
               "the administrative division is empty; the record is kept without a province")
    found.flag(name, frame, is_code & (digits.str.len() != 6), "division", div_header,
               "行政区划代码应为 6 位数字（GB/T 2260）；记录已保留，省份为空",
               "an administrative division code has 6 digits (GB/T 2260); the record is kept without a province")
    found.flag(name, frame, is_code & (digits.str.len() == 6) & frame["region"].isna(), "division", div_header,
               "行政区划代码的前两位不是 GB/T 2260 的省级代码；记录已保留，省份为空（不作推测）",
               "the first two digits are not a GB/T 2260 provincial code; the record is kept without a "
               "province (no guess)")
    found.flag(name, frame, division.notna() & ~is_code & frame["region"].isna(), "division", div_header,
               "行政区划名称不是省级行政区（如 广东省、广东）；记录已保留，省份为空",
               "the division's name is not a provincial unit (e.g. 广东省, 广东); the record is kept without a "
               "province")
    counts["unknown_regions"] = int(frame["region"].isna().sum())

    published = frame["published"] if "published" in frame.columns else pd.Series(pd.NA, index=frame.index,
                                                                                   dtype="string")
    days = platform_dates(published)
    found.flag(name, frame, published.notna() & days.isna(), "published", headers.get("published"),
               "公开时间无法识别（应如 2024-04-20、2024年04月20日 或 “公开 2024年04月20日 10点30分”）；记录已保留",
               "publication time not recognised (expected e.g. 2024-04-20, 2024年04月20日 or "
               "“公开 2024年04月20日 10点30分”); the record is kept")
    counts["bad_dates"] = int(days.isna().sum())
    frame["published"] = days.dt.date.astype(object).where(days.notna(), None)
    frame["year"] = days.dt.year.astype("Int64")
    for column in ("standard_name", "enterprise", "status"):
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["domain"] = pd.Series(domain, index=frame.index, dtype="string")
    return frame, name


def _products(source, records: pd.DataFrame, *, found: _Problems, counts: dict) -> pd.DataFrame:
    what = Text("产品表", "products table")
    raw, name, unreadable = _table(source, what)
    found.rows.extend(unreadable)
    counts["rows_left_out"] += len({p["row"] for p in unreadable})
    frame, headers = _mapped(raw, name, PRODUCT_COLUMNS, what)
    _standard_ids(frame, name, headers, found)
    for column in PRODUCT_COLUMNS:
        if column not in frame.columns and column != "executed":
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["credit_code"] = frame["credit_code"].str.normalize("NFKC").str.upper()
    frame["key"] = _code_key(frame["standard_id"])
    # joined on 标准编号 + 统一社会信用代码; a products table without credit codes joins on the number alone
    by_code = "credit_code" in headers
    keys = ["key", "credit_code"] if by_code else ["key"]
    known = records[keys].drop_duplicates()
    matched = frame[keys].merge(known.assign(_hit=True), on=keys, how="left")["_hit"].fillna(False)
    frame["matched"] = matched.to_numpy(bool)
    found.flag(name, frame, ~frame["matched"], "standard_id", headers.get("standard_id") or headers.get("executed"),
               "该产品的标准编号" + ("与统一社会信用代码" if by_code else "") + "不在标准明细中；产品已保留，未计入任何标准",
               "this product's standard number" + (" and credit code" if by_code else "")
               + " are not among the standard records; the product is kept, counted under no standard")
    counts["products"] = len(frame)
    counts["products_without_record"] = int((~frame["matched"]).sum())
    return frame


def _texts(source, records: pd.DataFrame, *, domain, counts: dict, found: _Problems) -> pd.DataFrame:
    """The texts table's rows joined to the records (inner) on the standard number, with the record's
    columns from the platform. Where one number belongs to several records (several enterprises) and the
    texts carry credit codes, a text row goes to the record with its credit code. Standards of the texts
    that are not among the records are counted (a texts table may cover many more standards)."""
    what = Text("指标文本表", "indicator texts table")
    raw, name, unreadable = _table(source, what)
    found.rows.extend(unreadable)
    mapping = canonical_columns([c for c in raw.columns if c != "row"], STANDARD_COLUMNS)
    missing = [c for c in ("standard_id", "indicator", "requirement") if c not in mapping.values()]
    if missing:
        shown = ", ".join(c for c in raw.columns if c != "row")[:300]
        raise InputError(f"{name}（{what.zh}）缺少列：{'、'.join(STANDARD_COLUMNS[c][0] for c in missing)}。现有列：{shown}",
                         f"{name} ({what.en}) lacks columns: {', '.join(missing)}. Columns present: {shown}",
                         where=name, hint=Text("指标文本表为长表：标准编号、指标、要求（可加 单位、领域 等）",
                                               "the texts table is long: 标准编号, 指标, 要求 (and 单位, 领域 …)"))
    text = raw[list(mapping)].rename(columns=mapping)
    hint = bare_hint([h for h, c in mapping.items() if c == "requirement"])
    if hint and "bare" not in text.columns:
        text["bare"] = hint
    text = text.dropna(subset=["standard_id", "indicator", "requirement"], how="all")
    text["key"] = _code_key(text["standard_id"])
    text_code = (text["credit_code"].str.normalize("NFKC").str.upper() if "credit_code" in text.columns
                 else pd.Series(pd.NA, index=text.index, dtype="string"))
    own = [c for c in RECORD_COLUMNS if c in text.columns]
    joined = records.drop(columns=["domain"]).merge(
        text.drop(columns=own).assign(_text_code=text_code), on="key", how="inner", suffixes=("", "_text"))
    shared = joined["key"].map(records["key"].value_counts()) > 1
    other = shared & joined["_text_code"].notna() & (joined["_text_code"] != joined["credit_code"]).fillna(True)
    joined = joined[~other.to_numpy(bool)].drop(columns=["_text_code"])
    counts["texts_without_record"] = int(text.loc[~text["key"].isin(records["key"]), "key"].nunique())
    if "domain" not in joined.columns:
        joined["domain"] = pd.Series(pd.NA, index=joined.index, dtype="string")
    joined["domain"] = joined["domain"].astype("string").fillna(domain) if domain else joined["domain"]
    return joined


def read_platform(detail, *, products=None, texts=None, domain: str | None = None, sheet=None,
                  encoding: str | None = None) -> PlatformImport:
    """Read standard records exported from the enterprise-standard platform (企业标准信息公共服务平台).

    `detail`: the standards, one row per standard — the detail page's fields (标准名称, 标准编号, 企业名称 or
    机构名称, 统一社会信用代码, 行政区划, 公开时间, 状态) or the list row's 执行标准 "Q/XXX xxx-YYYY《标准名称》";
    a CSV (UTF-8 or GBK), Excel file (`sheet`) or DataFrame. `products`: the product table (产品名称, 通用名,
    品牌, 条码, 规格, 型号, 分类 with 标准编号 and 统一社会信用代码). `texts`: the indicator texts of the
    standards, long (标准编号, 指标, 要求, any header `load_standards` reads; 领域 and 单位 are taken too).
    `domain`: the key domain (领域) of records whose texts do not name one.

    Nothing is guessed and no record is dropped for a wrong cell: bad credit codes, unknown divisions and
    unreadable dates are listed in `problems` with their row. Only rows that are not a record at all are
    left out (unreadable, no standard number, a second copy of a standard) — listed too.
    """
    found = _Problems()
    counts = {key: 0 for key in COUNT_LABELS}
    records, _ = _records(detail, sheet=sheet, encoding=encoding, domain=domain, found=found, counts=counts)

    if products is not None:
        items = _products(products, records, found=found, counts=counts)
        keys = ["key", "credit_code"] if "credit_code" in items.columns and items["credit_code"].notna().any() \
            else ["key"]
        per = items[items["matched"]].groupby(keys, dropna=False).size().rename("n_products").reset_index()
        records = records.merge(per, on=keys, how="left")
        records["n_products"] = records["n_products"].fillna(0).astype("int64")
        counts["records_without_products"] = int((records["n_products"] == 0).sum())
        product_cols = ["standard_id", "credit_code", "product", "common_name", "brand", "barcode", "spec",
                        "model", "product_class", "matched", "row"]
        items = items[product_cols].reset_index(drop=True)
    else:
        records["n_products"] = pd.Series(pd.NA, index=records.index, dtype="Int64")
        items = pd.DataFrame(columns=["standard_id", "credit_code", "product", "common_name", "brand", "barcode",
                                      "spec", "model", "product_class", "matched", "row"])

    with_texts = (_texts(texts, records, domain=domain, counts=counts, found=found) if texts is not None
                  else records.iloc[:0].assign(indicator=pd.Series(dtype="string"),
                                               requirement=pd.Series(dtype="string")))
    n_ind = with_texts.groupby(["key", "credit_code"], dropna=False).size().rename("n_indicators").reset_index()
    records = records.merge(n_ind, on=["key", "credit_code"], how="left")
    records["n_indicators"] = records["n_indicators"].fillna(0).astype("int64")
    records["has_texts"] = records["n_indicators"] > 0
    if len(with_texts):  # the domain the texts name, where the record has none of its own
        named = with_texts.dropna(subset=["domain"]).drop_duplicates(["key", "credit_code"])
        named = named[["key", "credit_code", "domain"]].rename(columns={"domain": "_named"})
        records = records.merge(named, on=["key", "credit_code"], how="left")
        records["domain"] = records["domain"].fillna(records.pop("_named"))
    bare = records[~records["has_texts"]].assign(indicator=NO_TEXTS, requirement=NO_TEXTS)
    long = pd.concat([with_texts.assign(has_texts=True), bare.assign(has_texts=False)], ignore_index=True)
    order = {k: i for i, k in enumerate(records["row"])}
    long = long.sort_values("row", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    drop = ["key", "row", "division", "executed", "n_products", "n_indicators"]
    long = long.drop(columns=[c for c in drop if c in long.columns])
    first = ["standard_id", "standard_name", "enterprise", "credit_code", "domain", "region", "region_code",
             "published", "year", "status", "indicator", "requirement"]
    long = long[first + [c for c in long.columns if c not in first]]

    counts["records"] = len(records)
    counts["with_texts"] = int(records["has_texts"].sum())
    counts["without_texts"] = int((~records["has_texts"]).sum())
    counts["indicators"] = int(records["n_indicators"].sum())
    if products is None:
        for key in ("products", "products_without_record", "records_without_products"):
            counts.pop(key)
    if texts is None:
        counts.pop("texts_without_record", None)
    table = pd.DataFrame(found.rows, columns=PROBLEM_COLUMNS).sort_values(["file", "row"], kind="stable")
    counts["problems"] = len(table)
    standards = records.drop(columns=[c for c in ("key", "division", "executed") if c in records.columns])
    standards = standards[[c for c in (*RECORD_COLUMNS, "domain", "has_texts", "n_indicators", "n_products", "row")]]
    return PlatformImport(standards=standards.reset_index(drop=True), products=items, indicators=long,
                          problems=table.reset_index(drop=True), counts=counts)
