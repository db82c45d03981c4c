"""Loading declared enterprise standards and baseline standards (数据读取).

Declared standards come in long form: one row per standard × indicator. Baselines are national
(GB mandatory, GB/T recommended) and industry standards (QB/T, JB/T, SB/T …) with the same indicator
names. Files are CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 — detected), Excel or Parquet, with Chinese or
English headers; headers are mapped to the canonical names below by `canonical_columns`, which is also
what the DuckDB path of `benchmark` uses for Parquet files, so both paths read the same columns.

Bad rows raise `InputError` naming the file, the row (as a spreadsheet user counts it: header = row 1)
and the column. With `on_bad_rows="report"` loading continues: bad rows are left out of the returned
frame and listed, with the reason, in `df.attrs["problems"]` (`problems(df)` gives them as a table),
and a `BadRowsWarning` says how many.
Input files are only read, never modified.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit._kit.words import truth
from leaderkit.standards.codes import code_level, is_mandatory_code

STANDARD_COLUMNS = {
    "standard_id": ("标准编号", "标准号", "企业标准编号", "standard_id", "standard_no", "standard"),
    "standard_name": ("标准名称", "名称", "standard_name", "name"),
    "enterprise": ("企业名称", "企业", "单位名称", "enterprise", "company"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "domain": ("领域", "重点领域", "产品领域", "domain"),
    "category": ("类别", "产业类别", "领域类别", "category"),
    "region": ("地区", "省份", "所在地区", "region", "province"),
    "year": ("年份", "年度", "year"),
    "published": ("公开日期", "发布日期", "声明日期", "公开时间", "published", "published_date"),
    "indicator": ("指标名称", "指标", "指标项", "检验项目", "项目", "indicator"),
    "requirement": ("指标要求", "要求", "技术要求", "指标值", "限量值", "最大值", "上限", "最小值", "下限",
                    "requirement", "value", "limit"),
    "unit": ("单位", "计量单位", "unit"),
    "mass_produced": ("是否量产", "量产", "是否量产定型", "mass_produced"),
    "direction": ("方向", "指标方向", "direction"),
    "bare": ("bare",),
}

BASELINE_COLUMNS = {
    **{k: v for k, v in STANDARD_COLUMNS.items()
       if k in ("domain", "indicator", "requirement", "unit", "direction", "bare")},
    "baseline_id": ("标准编号", "标准号", "baseline_id", "standard_id", "standard_no", "standard"),
    "baseline_name": ("标准名称", "名称", "baseline_name", "standard_name", "name"),
    "level": ("层级", "标准层级", "标准类型", "级别", "level"),
    "mandatory": ("强制性", "是否强制", "性质", "mandatory"),
}

# Headers that say a bare number is a limit (SOURCES.md: "a bare number in a column headed 限量值 means ≤").
BARE_MAX_HEADERS = {"限量值", "最大值", "上限", "limit", "max"}
BARE_MIN_HEADERS = {"最小值", "下限", "min"}

REQUIRED_STANDARD = ("standard_id", "domain", "indicator", "requirement")
REQUIRED_BASELINE = ("baseline_id", "domain", "indicator", "requirement")

_DIRECTION_WORDS = {
    "越低越好": "lower", "越小越好": "lower", "低优": "lower", "lower": "lower", "-1": "lower", "min": "lower",
    "越高越好": "higher", "越大越好": "higher", "高优": "higher", "higher": "higher", "1": "higher", "max": "higher",
    "区间": "range", "范围": "range", "range": "range",
}


class InputError(LeaderkitError, ValueError):
    """A file or table that cannot be read as declared standards or baselines."""


class BadRowsWarning(UserWarning):
    """Some rows were left out of a load with on_bad_rows="report"; see df.attrs["problems"]."""


def canonical_columns(headers, schema: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map a file's headers to canonical names: {original header: canonical name}.

    Matching ignores case, surrounding spaces, full-width brackets and a trailing unit in brackets
    ("限量值(mg/kg)" matches 限量值). The first header that matches a canonical name wins; a second one
    for the same name is left unmapped (and so ignored) rather than silently merged.
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = _header_key(str(header))
        for canonical, aliases in schema.items():
            if canonical in taken:
                continue
            if key in {_header_key(a) for a in aliases}:
                mapping[header] = canonical
                taken.add(canonical)
                break
    return mapping


def _header_key(header: str) -> str:
    h = header.strip().replace("（", "(").replace("）", ")").lower()
    h = re.sub(r"\(.*\)$", "", h).strip()
    return h


def bare_hint(headers) -> str | None:
    """What a bare number means in the requirement column: "max", "min" or None (exact value)."""
    for header in headers:
        key = _header_key(str(header))
        if key in BARE_MAX_HEADERS:
            return "max"
        if key in BARE_MIN_HEADERS:
            return "min"
    return None


def read_table(source, *, sheet: str | int | None = None, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV, Excel or Parquet file as text columns (nothing is converted yet).

    CSV encodings tried in order: the one given, UTF-8 (with or without BOM), GB18030 (a superset of
    GBK and GB2312), then charset-normalizer's best guess. The encoding used is in `df.attrs["encoding"]`.
    """
    path = Path(source)
    if not path.exists():
        raise InputError(f"找不到文件 {path}", f"file not found: {path}",
                         hint=Text("检查路径是否正确", "check the path"))
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            df = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=str)
            df.attrs["encoding"] = "xlsx"
        elif suffix == ".parquet":
            df = pd.read_parquet(path)
            df.attrs["encoding"] = "parquet"
        elif suffix in (".csv", ".txt", ".tsv"):
            raw = path.read_bytes()
            text, used = _decode(raw, encoding, path)
            import io as _io

            sep = "\t" if suffix == ".tsv" else None
            df = pd.read_csv(_io.StringIO(text), dtype=str, sep=sep, engine="python",
                             keep_default_na=False, skipinitialspace=True)
            df.attrs["encoding"] = used
        else:
            raise InputError(f"不支持的文件类型 {suffix}：{path}", f"unsupported file type {suffix}: {path}",
                             hint=Text("请使用 CSV、Excel (.xlsx) 或 Parquet 文件",
                                       "use a CSV, Excel (.xlsx) or Parquet file"))
    except InputError:
        raise
    except Exception as exc:  # a corrupt file of a known type: say which file and why
        raise InputError(f"无法读取文件 {path}：{exc}", f"cannot read {path}: {exc}",
                         hint=Text("确认文件未损坏，且格式与扩展名一致",
                                   "check the file is not corrupt and matches its extension")) from exc
    df.columns = [str(c).strip() for c in df.columns]
    df.attrs["source"] = str(path)
    return df


def _decode(raw: bytes, encoding: str | None, path: Path) -> tuple[str, str]:
    tried = [encoding] if encoding else []
    tried += ["utf-8-sig", "gb18030"]
    for enc in tried:
        try:
            return raw.decode(enc), ("utf-8" if enc == "utf-8-sig" else enc)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None:
        return str(best), best.encoding
    raise InputError(f"无法识别文件 {path} 的字符编码", f"cannot detect the text encoding of {path}",
                     hint=Text("请另存为 UTF-8 或 GBK 编码的 CSV", "save it as a UTF-8 or GBK CSV"))


def load_standards(source, *, sheet=None, encoding=None, on_bad_rows: str = "raise") -> pd.DataFrame:
    """Declared enterprise standards (企业标准), long form, with canonical column names.

    `source` is a path (CSV/Excel/Parquet) or a DataFrame; a frame this function returned before is
    returned as it is (its header hints are kept). Required columns: standard_id, domain,
    indicator, requirement. `year` is derived from `published` where missing. The requirement column's
    header decides what a bare number means, and the frame carries it as data: a column `bare` ("max" under
    限量值, "min" under 最小值), so the meaning survives `pd.concat` and any other frame operation.
    """
    return _load(source, STANDARD_COLUMNS, REQUIRED_STANDARD, "standards", sheet, encoding, on_bad_rows)


def load_baselines(source, *, sheet=None, encoding=None, on_bad_rows: str = "raise") -> pd.DataFrame:
    """National and industry baseline standards (国家标准/行业标准), long form.

    `level` (national/industry) and `mandatory` are inferred from the standard number where the file
    does not give them: "GB 12021.4-2013" is national and mandatory, "GB/T 4288-2018" national and
    recommended, "QB/T 1111-2020" industry and recommended. Only national standards can be mandatory
    (Standardization Law 2017), so "JB 1234-2010" is industry and recommended.
    """
    return _load(source, BASELINE_COLUMNS, REQUIRED_BASELINE, "baselines", sheet, encoding, on_bad_rows)


def _load(source, schema, required, what, sheet, encoding, on_bad_rows) -> pd.DataFrame:
    if on_bad_rows not in ("raise", "report"):
        raise ValueError("on_bad_rows must be 'raise' or 'report'")
    if isinstance(source, pd.DataFrame) and source.attrs.get("loaded") == what:
        return source  # already loaded (and checked) by this function
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
        raw.columns = [str(c).strip() for c in raw.columns]
        name = raw.attrs.get("source", "<DataFrame>")
    else:
        raw = read_table(source, sheet=sheet, encoding=encoding)
        name = raw.attrs["source"]
    mapping = canonical_columns(raw.columns, schema)
    missing = [c for c in required if c not in mapping.values()]
    if missing:
        wanted = "; ".join(f"{c}（{schema[c][0]}）" for c in missing)
        raise InputError(
            f"{name} 缺少必需的列：{wanted}。现有列：{', '.join(map(str, raw.columns))}",
            f"{name} lacks required columns: {', '.join(missing)}. Columns present: {', '.join(map(str, raw.columns))}",
            where=name,
            hint=Text(f"列名可用中文或英文，例如 {schema[missing[0]][0]} 或 {missing[0]}",
                      f"headers may be Chinese or English, e.g. {schema[missing[0]][0]} or {missing[0]}"),
        )
    header_bare = bare_hint([h for h, c in mapping.items() if c == "requirement"])
    df = raw[list(mapping)].rename(columns=mapping)
    df = df.astype("string").apply(lambda s: s.str.strip())
    df = df.replace("", pd.NA)
    problems = []
    row_numbers = pd.Series(range(2, len(df) + 2), index=df.index)  # header is row 1

    def flag(mask: pd.Series, column: str, zh: str, en: str) -> None:
        for idx in df.index[mask.fillna(False).to_numpy(bool)]:
            value = df.at[idx, column] if column in df.columns else None
            problems.append({"file": name, "row": int(row_numbers[idx]), "column": column,
                             "value": None if pd.isna(value) else str(value), "problem": zh, "problem_en": en})

    for column in required:
        flag(df[column].isna(), column, "必填项为空", "required value is empty")

    if "published" in df.columns:
        parsed = pd.to_datetime(df["published"].str.replace(r"[年月/.]", "-", regex=True).str.replace("日", ""),
                                errors="coerce", format="mixed")
        flag(df["published"].notna() & parsed.isna(), "published", "日期无法识别（应如 2023-05-01）",
             "date not recognised (expected e.g. 2023-05-01)")
        df["published"] = parsed.dt.date
    if "year" in df.columns:
        years = pd.to_numeric(df["year"], errors="coerce")
        flag(df["year"].notna() & (years.isna() | (years < 1980) | (years > 2100)), "year",
             "年份应为 1980–2100 之间的整数", "year must be a whole number between 1980 and 2100")
        df["year"] = years.astype("Int64")
    if "published" in df.columns:
        derived = pd.to_datetime(pd.Series(df["published"], index=df.index)).dt.year.astype("Int64")
        df["year"] = df["year"].fillna(derived) if "year" in df.columns else derived
    if "direction" in df.columns:
        mapped = df["direction"].str.lower().map(_DIRECTION_WORDS)
        flag(df["direction"].notna() & mapped.isna(), "direction", "方向应为 越低越好/越高越好/区间",
             "direction must be 越低越好 (lower) / 越高越好 (higher) / 区间 (range)")
        df["direction"] = mapped.astype("string")
    if "bare" in df.columns:
        given = df["bare"].str.lower()
        flag(given.notna() & ~given.isin(["max", "min"]), "bare", "bare 列应为 max 或 min",
             "the bare column must be max or min")
        df["bare"] = given.where(given.isin(["max", "min"])).fillna(header_bare) if header_bare else given
    elif header_bare:
        df["bare"] = pd.Series(header_bare, index=df.index, dtype="string")
    if "mass_produced" in df.columns:
        df["mass_produced"] = _yes_no(df["mass_produced"], flag, "mass_produced")
    if what == "baselines":
        _infer_level(df, flag)

    bad_rows = sorted({p["row"] for p in problems})
    if problems and on_bad_rows == "raise":
        first = problems[0]
        shown = "空 / empty" if first["value"] is None else repr(first["value"])
        more = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
        more_en = f" ({len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise InputError(
            f"{name} 第 {first['row']} 行，列 {first['column']}（值 {shown}）：{first['problem']}{more}",
            f"{name} row {first['row']}, column {first['column']} (value {shown}): "
            f"{first['problem_en']}{more_en}",
            where=f"{name}:{first['row']}:{first['column']}",
            hint=Text("修正该行后重新读取，或使用 on_bad_rows='report'（命令行 --skip-bad-rows）跳过并列出坏行",
                      "fix the row and load again, or pass on_bad_rows='report' (CLI --skip-bad-rows) "
                      "to continue with bad rows listed"),
        )
    keep = ~row_numbers.isin(bad_rows)
    out = df[keep].reset_index(drop=True)
    out.attrs = {"source": name, "encoding": raw.attrs.get("encoding"), "problems": problems, "loaded": what}
    if problems:
        warnings.warn(
            f"{name}：{len(bad_rows)} 行有问题已跳过，详见 df.attrs['problems'] / "
            f"{len(bad_rows)} bad rows left out, listed in df.attrs['problems']",
            BadRowsWarning, stacklevel=3)
    return out


def problems(df: pd.DataFrame) -> pd.DataFrame:
    """The rows a load left out (on_bad_rows="report"): file, row, column, value, problem, problem_en."""
    return pd.DataFrame(df.attrs.get("problems", []),
                        columns=["file", "row", "column", "value", "problem", "problem_en"])


def _yes_no(series: pd.Series, flag, column: str) -> pd.Series:
    out = truth(series)
    flag(series.notna() & out.isna(), column, "应为 是/否", "must be 是 (yes) or 否 (no)")
    return out


_LEVEL_WORDS = {"国家标准": "national", "国标": "national", "national": "national",
                "行业标准": "industry", "行标": "industry", "industry": "industry"}


def _infer_level(df: pd.DataFrame, flag) -> None:
    """`level` and `mandatory` from the standard number where the file does not give them
    (`leaderkit.standards.codes`: only a GB code without /T or /Z is mandatory)."""
    ids = df["baseline_id"]
    codes = ids.astype(object).where(ids.notna(), None)
    inferred_level = pd.Series([code_level(c) for c in codes], index=df.index, dtype="string")
    inferred_mandatory = pd.Series([is_mandatory_code(c) for c in codes], index=df.index, dtype="boolean")
    inferred_mandatory[inferred_level.isna()] = pd.NA

    if "level" in df.columns:
        given = df["level"].str.lower().map(_LEVEL_WORDS).astype("string")
        flag(df["level"].notna() & given.isna(), "level", "层级应为 国家标准 或 行业标准",
             "level must be 国家标准 (national) or 行业标准 (industry)")
        df["level"] = given.fillna(inferred_level)
    else:
        df["level"] = inferred_level
    if "mandatory" in df.columns:
        df["mandatory"] = _yes_no(df["mandatory"], flag, "mandatory").fillna(inferred_mandatory)
    else:
        df["mandatory"] = inferred_mandatory
    flag(df["level"].isna() & df["baseline_id"].notna(), "level",
         "无法从标准编号判断层级（国家标准以 GB 开头，行业标准如 QB/T、SB/T）",
         "cannot tell national from industry from the standard number (national starts with GB, "
         "industry e.g. QB/T, SB/T); add a 层级 column")
    df["mandatory"] = df["mandatory"].fillna(False)
