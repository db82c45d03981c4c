"""Loading declared enterprise standards and baseline standards (数据读取).

Declared standards come in long form: one row per standard × indicator. Baselines are national
(GB mandatory, GB/T recommended) and industry standards (QB/T, JB/T, SB/T …) with the same indicator
names. Files are CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 — detected), Excel (.xlsx) or Parquet, with
Chinese or English headers; headers are mapped to the canonical names below by `canonical_columns`, which
is also what the DuckDB path of `benchmark` uses for Parquet files, so both paths read the same columns.

Rows are numbered as a spreadsheet user counts them: the header is row 1. A frame from `read_table` keeps
that number in its index (row = index + 2, also after blank rows or bad rows are left out), and so does a
frame read with pandas; `load_standards` reads it from there.

Bad rows raise `InputError` naming the file, the row and the column. With `on_bad_rows="report"`
loading continues: bad rows are left out of the returned frame and listed, with the reason, in
`df.attrs["problems"]` (`problems(df)` gives them as a table), and a `BadRowsWarning` says how many.
A bad row is one that cannot be read as a row of the table (bytes not in the file's encoding, more or
fewer fields than the header, a CSV syntax error), one with a value that is wrong for its column, or an
exact copy of an earlier row. Whatever is wrong with a file as a whole (not found, empty, no rows, not
the format its name says, a Parquet column of the wrong type, over a size limit) is one `InputError`.

Limits are checked before a file is parsed: its size (`max_bytes`, environment LEADERKIT_MAX_BYTES,
default 2 GB; for .xlsx the size of its unpacked contents, default 200 MB) and its rows (`max_rows`,
LEADERKIT_MAX_ROWS, default 50 million). Input files are only read, never modified.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import warnings
from pathlib import Path

import numpy as np
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
    # eligibility facts of a standard (docs/RANKING.md §2): 现行/废止 and the day it was abolished, the
    # enterprise's consent to be listed, a change of the standard and the day the agency was told of it
    "status": ("标准状态", "状态", "status", "standard_status"),
    "abolished": ("废止日期", "abolished", "abolished_date"),
    "consent": ("企业同意", "同意参评", "同意入榜", "是否同意", "consent", "enterprise_consent"),
    "changed": ("变更日期", "修订日期", "变更时间", "changed", "change_date"),
    "notified": ("告知日期", "告知评估机构日期", "告知时间", "notified", "notice_date"),
}

BASELINE_COLUMNS = {
    **{k: v for k, v in STANDARD_COLUMNS.items()
       if k in ("domain", "indicator", "requirement", "unit", "direction", "bare")},
    "baseline_id": ("标准编号", "标准号", "baseline_id", "standard_id", "standard_no", "standard"),
    "baseline_name": ("标准名称", "名称", "baseline_name", "standard_name", "name"),
    "level": ("层级", "标准层级", "标准类型", "级别", "level"),
    "mandatory": ("强制性", "是否强制", "性质", "mandatory"),
    # the version in force (实施日期 ≤ date < 废止日期) and a band of a product attribute (下限 < value ≤ 上限)
    "effective": ("实施日期", "effective", "effective_date"),
    "abolished": ("废止日期", "abolished", "abolished_date"),
    "condition_attribute": ("条件属性", "condition_attribute"),
    "condition_min": ("条件下限", "condition_min"),
    "condition_max": ("条件上限", "condition_max"),
}

# Headers that say a bare number is a limit (SOURCES.md: "a bare number in a column headed 限量值 means ≤").
BARE_MAX_HEADERS = {"限量值", "最大值", "上限", "limit", "max"}
BARE_MIN_HEADERS = {"最小值", "下限", "min"}

REQUIRED_STANDARD = ("standard_id", "domain", "indicator", "requirement")
REQUIRED_BASELINE = ("baseline_id", "domain", "indicator", "requirement")

# What a column of a typed file (Parquet) may hold, as kinds of type: every canonical column takes text
# (whole numbers are read as text too); these take more. `check_column_type` applies it in both readers.
TEXT_KINDS = frozenset({"text", "integer", "null"})
COLUMN_KINDS = {
    "requirement": TEXT_KINDS | {"number"},
    "year": TEXT_KINDS | {"number"},
    "published": frozenset({"text", "date", "timestamp", "null"}),
    "effective": frozenset({"text", "date", "timestamp", "null"}),
    "abolished": frozenset({"text", "date", "timestamp", "null"}),
    "condition_min": TEXT_KINDS | {"number"},
    "condition_max": TEXT_KINDS | {"number"},
    "mass_produced": TEXT_KINDS | {"bool"},
    "mandatory": TEXT_KINDS | {"bool"},
    "consent": TEXT_KINDS | {"bool"},
    "changed": frozenset({"text", "date", "timestamp", "null"}),
    "notified": frozenset({"text", "date", "timestamp", "null"}),
}
_KIND_WORDS = {"text": ("文本", "text"), "integer": ("整数", "whole numbers"), "number": ("数字", "numbers"),
               "bool": ("是/否", "true/false"), "date": ("日期", "dates"), "timestamp": ("日期时间", "timestamps")}

MAX_BYTES = 2 * 1024**3  # a file, and a Parquet file's data unpacked
MAX_XLSX_BYTES = 200 * 1024**2  # the unpacked contents of an .xlsx (a zip: its packed size says little)
MAX_ROWS = 50_000_000

_DIRECTION_WORDS = {
    "越低越好": "lower", "越小越好": "lower", "低优": "lower", "lower": "lower", "-1": "lower", "min": "lower",
    "越高越好": "higher", "越大越好": "higher", "高优": "higher", "higher": "higher", "1": "higher", "max": "higher",
    "区间": "range", "范围": "range", "range": "range",
}

# 现行 / 废止 of a declared standard (the platform's 状态 column) → current / abolished
_STATUS_WORDS = {
    "现行": "current", "现行有效": "current", "有效": "current", "current": "current", "valid": "current",
    "废止": "abolished", "已废止": "abolished", "作废": "abolished", "abolished": "abolished",
    "withdrawn": "abolished",
}

_FIX_HINT = Text("修正该行后重新读取，或使用 on_bad_rows='report'（命令行 --skip-bad-rows）跳过并列出坏行",
                 "fix the row and load again, or pass on_bad_rows='report' (CLI --skip-bad-rows) "
                 "to continue with bad rows listed")


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


def require_columns(name: str, headers, schema: dict, required) -> dict[str, str]:
    """`canonical_columns`, or an InputError naming the required columns that no header gives."""
    mapping = canonical_columns(headers, schema)
    missing = [c for c in required if c not in mapping.values()]
    if missing:
        present = [str(h)[:40] for h in headers]
        shown = ", ".join(present[:20]) + (" …" if len(present) > 20 else "")
        wanted = "; ".join(f"{c}（{schema[c][0]}）" for c in missing)
        raise InputError(
            f"{name} 缺少必需的列：{wanted}。现有列：{shown}",
            f"{name} lacks required columns: {', '.join(missing)}. Columns present: {shown}",
            where=name,
            hint=Text(f"列名可用中文或英文，例如 {schema[missing[0]][0]} 或 {missing[0]}",
                      f"headers may be Chinese or English, e.g. {schema[missing[0]][0]} or {missing[0]}"),
        )
    return mapping


def check_column_type(name: str, header: str, canonical: str, kind: str, type_name: str) -> None:
    """An InputError when a typed file's column holds a kind of value its canonical column cannot take
    (a list, a struct, binary data, a timestamp where text is expected …)."""
    allowed = COLUMN_KINDS.get(canonical, TEXT_KINDS)
    if kind in allowed:
        return
    words = [w for k, w in _KIND_WORDS.items() if k in allowed]
    raise InputError(
        f"{name} 的列 {header}（{canonical}）的类型是 {type_name}，应为{'、'.join(w[0] for w in words)}",
        f"{name}: column {header} ({canonical}) holds {type_name}; "
        f"expected {' or '.join(w[1] for w in words)}",
        where=f"{name}:{header}",
        hint=Text("将该列存为文本（字符串）后重新导出，或改掉表头使其不被当作该列读取",
                  "store the column as text (string) and export again, or rename the header so that it is "
                  "not read as this column"))


def problems_error(name: str, found: list[dict], *, count: int | None = None,
                   hint: Text | None = None) -> InputError:
    """The InputError for a table with bad rows: the first problem in full, and how many more there are
    (`count`, all of them, when `found` is not the whole list)."""
    first, others = found[0], (count or len(found)) - 1
    more = f"（另有 {others} 处问题）" if others else ""
    more_en = f" ({others} more problems)" if others else ""
    if first["column"] is None:
        return InputError(f"{name} 第 {first['row']} 行：{first['problem']}{more}",
                          f"{name} row {first['row']}: {first['problem_en']}{more_en}",
                          where=f"{name}:{first['row']}", hint=hint or _FIX_HINT)
    shown = "空 / empty" if first["value"] is None else repr(first["value"])
    return InputError(
        f"{name} 第 {first['row']} 行，列 {first['column']}（值 {shown}）：{first['problem']}{more}",
        f"{name} row {first['row']}, column {first['column']} (value {shown}): "
        f"{first['problem_en']}{more_en}",
        where=f"{name}:{first['row']}:{first['column']}", hint=hint or _FIX_HINT)


def _problem(name: str, row: int, column: str | None, value, zh: str, en: str) -> dict:
    return {"file": name, "row": int(row), "column": column, "value": value, "problem": zh, "problem_en": en}


def _check_on_bad_rows(on_bad_rows: str) -> None:
    if on_bad_rows not in ("raise", "report"):
        raise ValueError("on_bad_rows must be 'raise' or 'report'")


# ---- reading a file ----------------------------------------------------------------------------------

_KINDS_BY_SUFFIX = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
                    ".parquet": "parquet", ".xls": "xls"}


def read_table(source, *, sheet: str | int | None = None, encoding: str | None = None,
               on_bad_rows: str = "raise", max_rows: int | None = None,
               max_bytes: int | None = None) -> pd.DataFrame:
    """Read a CSV, Excel (.xlsx) or Parquet file as text columns (nothing is converted yet).

    CSV: the encoding given, else UTF-8 (with or without BOM, or UTF-16 with BOM), GB18030 (a superset
    of GBK and GB2312) or charset-normalizer's best guess; a row whose bytes are not in the file's
    encoding is a bad row, as is a row with more or fewer fields than the header. The encoding used is
    in `df.attrs["encoding"]`. Empty cells are "", blank rows are skipped, and the index keeps the row
    number (row = index + 2, the header being row 1). Bad rows raise `InputError`, or with
    `on_bad_rows="report"` are left out and listed in `df.attrs["problems"]`.
    `max_rows` / `max_bytes` (or LEADERKIT_MAX_ROWS / LEADERKIT_MAX_BYTES) raise the limits.
    """
    _check_on_bad_rows(on_bad_rows)
    df, found = _read(source, sheet=sheet, encoding=encoding, max_rows=max_rows, max_bytes=max_bytes)
    if found and on_bad_rows == "raise":
        raise problems_error(df.attrs["source"], found)
    df.attrs["problems"] = found
    if found:
        _warn_bad_rows(df.attrs["source"], found, stacklevel=3)
    return df


def _warn_bad_rows(name: str, found: list[dict], stacklevel: int) -> None:
    n = len({p["row"] for p in found})
    warnings.warn(f"{name}：{n} 行有问题已跳过，详见 df.attrs['problems'] / "
                  f"{n} bad rows left out, listed in df.attrs['problems']", BadRowsWarning,
                  stacklevel=stacklevel + 1)


def _read(source, *, sheet, encoding, max_rows, max_bytes, schema=None) -> tuple[pd.DataFrame, list[dict]]:
    """The table as text columns and the problems of its rows. `schema` (for Parquet): read only the
    columns that can be used and check the types of those it maps."""
    path = Path(source)
    if not path.exists():
        raise InputError(f"找不到文件 {path}", f"file not found: {path}",
                         hint=Text("检查路径是否正确", "check the path"))
    if not path.is_file():
        raise InputError(f"{path} 不是普通文件（是文件夹或设备）", f"{path} is not a regular file (a folder or a device)",
                         where=str(path), hint=Text("给出一个 CSV、Excel (.xlsx) 或 Parquet 文件",
                                                    "give a CSV, Excel (.xlsx) or Parquet file"))
    suffix = path.suffix.lower()
    kind = _KINDS_BY_SUFFIX.get(suffix)
    if kind is None:
        raise InputError(f"不支持的文件类型 {suffix}：{path}", f"unsupported file type {suffix}: {path}",
                         hint=Text("请使用 CSV、Excel (.xlsx) 或 Parquet 文件",
                                   "use a CSV, Excel (.xlsx) or Parquet file"))
    if kind == "xls":
        raise InputError(f"{path} 是旧版 Excel (.xls) 文件，不支持",
                         f"{path} is an old Excel (.xls) file, not supported", where=str(path),
                         hint=Text("在 Excel 中另存为 .xlsx 或 CSV", "save it as .xlsx or CSV in Excel"))
    rows_limit, bytes_limit, chosen = _limits(max_rows, max_bytes)
    size = path.stat().st_size
    if size > bytes_limit:
        raise _too_big(path, size, bytes_limit, Text("文件大小", "file size"))
    if kind == "csv":
        df, found, used = _read_csv(path, encoding, rows_limit, tab=suffix == ".tsv")
    elif kind == "xlsx":
        unpacked_limit = bytes_limit if chosen else min(bytes_limit, MAX_XLSX_BYTES)
        df, found = _read_xlsx(path, sheet, rows_limit, unpacked_limit)
        used = "xlsx"
    else:
        df, found = _read_parquet(path, rows_limit, bytes_limit, schema)
        used = "parquet"
    df.attrs["source"] = str(path)
    df.attrs["encoding"] = used
    return df, found


def _limits(max_rows, max_bytes) -> tuple[int, int, bool]:
    """(row limit, byte limit, whether the byte limit was chosen rather than the default)."""
    rows = _limit_value(max_rows, "max_rows", "LEADERKIT_MAX_ROWS", MAX_ROWS, 1000)
    chosen = max_bytes is not None or bool(os.environ.get("LEADERKIT_MAX_BYTES", "").strip())
    return rows, _limit_value(max_bytes, "max_bytes", "LEADERKIT_MAX_BYTES", MAX_BYTES, 1024), chosen


def _limit_value(given, keyword: str, env: str, default: int, step: int) -> int:
    """A limit from the keyword argument, else the environment ("50M", "8GB", "1000000"), else the default."""
    if given is not None:
        if isinstance(given, bool) or not isinstance(given, int) or given < 1:
            raise InputError(f"{keyword} 应为正整数，收到 {given!r}",
                             f"{keyword} must be a positive integer, got {given!r}", where=keyword)
        return given
    text = os.environ.get(env, "").strip()
    if not text:
        return default
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?", text.replace("_", "").lower())
    if not m:
        raise InputError(f"环境变量 {env} 的值 {text!r} 无法识别",
                         f"the environment variable {env}={text!r} is not a limit", where=env,
                         hint=Text("例如 50000000、50M、8GB", "e.g. 50000000, 50M, 8GB"))
    number, suffix = float(m.group(1)), m.group(2)
    value = int(number * step ** ("kmgt".index(suffix) + 1)) if suffix else int(number)
    if value < 1:
        raise InputError(f"环境变量 {env} 的值 {text!r} 小于 1",
                         f"the environment variable {env}={text!r} is below 1", where=env)
    return value


def _too_big(path: Path, size: int, limit: int, what: Text) -> InputError:
    return InputError(
        f"{path} 的{what.zh}为 {_bytes(size)}，超过上限 {_bytes(limit)}",
        f"{path}: {what.en} {_bytes(size)} is over the limit of {_bytes(limit)}",
        where=str(path),
        hint=Text("拆分文件，或调高上限：参数 max_bytes=…，或环境变量 LEADERKIT_MAX_BYTES（如 8GB）",
                  "split the file, or raise the limit: the argument max_bytes=… or the environment variable "
                  "LEADERKIT_MAX_BYTES (e.g. 8GB)"))


def _too_many_rows(path: Path, limit: int) -> InputError:
    return InputError(
        f"{path} 的数据超过 {limit:,} 行的上限", f"{path} has more than the limit of {limit:,} rows",
        where=str(path),
        hint=Text("拆分文件，或调高上限：参数 max_rows=…，或环境变量 LEADERKIT_MAX_ROWS（如 100M）",
                  "split the file, or raise the limit: the argument max_rows=… or the environment variable "
                  "LEADERKIT_MAX_ROWS (e.g. 100M)"))


def _bytes(n: int) -> str:
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def _no_rows(path) -> InputError:
    return InputError(f"{path} 没有数据行（只有表头，或文件为空）", f"{path} has no rows (only a header, or nothing)",
                      where=str(path),
                      hint=Text("检查是否选对了文件，或导出时是否漏掉了数据",
                                "check that this is the right file and that the export has its rows"))


def _not_readable(path: Path, what: Text) -> InputError:
    return InputError(f"{path} 不是有效的{what.zh}文件（内容损坏或与扩展名不符）",
                      f"{path} is not a valid {what.en} file (damaged, or not what its name says)",
                      where=str(path), hint=Text("确认文件未损坏，且格式与扩展名一致",
                                                 "check the file is not damaged and matches its extension"))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法打开文件 {path}：{exc.strerror}", f"cannot open {path}: {exc.strerror}",
                         where=str(path), hint=Text("检查文件权限", "check the file's permissions")) from None


def _unique_headers(cells) -> list[str]:
    """Headers as text, stripped; an empty one is "Unnamed: i", a repeated one gets ".1", ".2" …"""
    out: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        name = str(cell).strip() or f"Unnamed: {i}"
        base, k = name, 0
        while name in seen:
            k += 1
            name = f"{base}.{k}"
        seen.add(name)
        out.append(name)
    return out


def _frame(headers: list[str], rows: list[list[str]], index: list[int]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(headers)
    return pd.DataFrame({h: pd.array(list(c), dtype="str") for h, c in zip(headers, columns, strict=True)},
                        index=pd.Index(index, dtype="int64"), columns=headers)


class _Records:
    """The records of a file read row by row (CSV or a sheet): the header, the good rows with their
    spreadsheet numbers, and the bad ones as problems. Shared by both row readers."""

    def __init__(self, path: Path, max_rows: int):
        self.path, self.name, self.max_rows = path, str(path), max_rows
        self.header: list[str] | None = None
        self.rows: list[list[str]] = []
        self.index: list[int] = []
        self.found: list[dict] = []
        self.records = 0

    def count(self) -> None:
        """One more record after the header; refuses a file over the row limit."""
        self.records += 1
        if self.records > self.max_rows:
            raise _too_many_rows(self.path, self.max_rows)

    def keep(self, number: int, cells: list[str]) -> None:
        self.rows.append(cells)
        self.index.append(number - 2)

    def bad(self, number: int, value, zh: str, en: str) -> None:
        self.found.append(_problem(self.name, number, None, value, zh, en))

    def result(self) -> tuple[pd.DataFrame, list[dict]]:
        if self.header is None or not (self.rows or self.found):
            raise _no_rows(self.path)
        return _frame(_unique_headers(self.header), self.rows, self.index), self.found


def _drop_blank(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose every cell is empty are not rows (their numbers stay counted in the index). An empty cell
    is "" after stripping whitespace (`str.strip`); Arrow's columns are asked without a copy, a column at a
    time, and only while some row may still be blank."""
    if df.empty or not len(df.columns):
        return df
    blank = None
    for column in df.columns:
        empty = _empty_cells(df[column])
        blank = empty if blank is None else blank & empty
        if not blank.any():
            return df
    return df[~blank]


def _empty_cells(series: pd.Series) -> np.ndarray:
    """Which cells of a text column are "" or only whitespace (what `series.str.strip().eq("")` says)."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        cells = pa.array(series.array)
        empty = pc.or_(pc.equal(pc.utf8_length(cells), 0), pc.utf8_is_space(cells))  # Python's whitespace
        return pc.fill_null(empty, False).to_numpy(zero_copy_only=False)
    return series.str.strip().eq("").to_numpy(bool)


# ---- CSV ---------------------------------------------------------------------------------------------

# (byte-order mark, codec for the bytes after it, name reported); UTF-32 before UTF-16, whose mark it extends
_BOMS = ((codecs.BOM_UTF8, "utf-8", "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"), (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"))
_OTHER_FORMATS = ((b"PK\x03\x04", Text("Excel (.xlsx) 或 zip", "an Excel (.xlsx) or zip")),
                  (b"PAR1", Text("Parquet", "a Parquet")),
                  (b"\xd0\xcf\x11\xe0", Text("旧版 Excel (.xls)", "an old Excel (.xls)")))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _read_csv(path: Path, encoding: str | None, max_rows: int, tab: bool):
    raw = _read_bytes(path)
    for magic, what in _OTHER_FORMATS:
        if raw.startswith(magic):
            raise InputError(f"{path} 的内容是{what.zh}文件，不是 CSV", f"{path} holds {what.en} file, not a CSV",
                             where=str(path),
                             hint=Text("按内容改正扩展名，或重新导出为 CSV",
                                       "give it the extension of its content, or export a CSV"))
    body, codec, used, clean = _encoding_of(raw, encoding, path)
    del raw  # `body` holds the bytes now (a national-scale file is held once, not twice)
    header_line = _first_line(body, codec)
    if header_line is None:
        raise _no_rows(path)
    if _CONTROL.search(header_line) or "\ufffd" in header_line:
        raise InputError(f"{path} 不是文本 CSV 文件：表头含有二进制数据或无法按 {used} 解码",
                         f"{path} is not a text CSV file: its header holds binary data or is not {used}",
                         where=f"{path}:1", hint=Text("确认文件未损坏；从原系统重新导出 CSV（UTF-8 或 GBK）",
                                                      "check the file is not damaged; export the CSV again "
                                                      "(UTF-8 or GBK)"))
    sep = "\t" if tab else _delimiter(header_line)
    if clean:
        data = body if codec == "utf-8" else body.decode(codec).encode("utf-8")
        del body
        fast = _csv_fast(data, sep, max_rows, path)
        if fast is not None:
            return fast, [], used
        lines, bad = list(io.StringIO(data.decode("utf-8"), newline="")), {}
        del data
    else:
        lines, bad = _decode_lines(body, codec, used)
    df, found = _csv_rows(lines, bad, sep, max_rows, path)
    return df, found, used


def _encoding_of(raw: bytes, encoding: str | None, path: Path) -> tuple[bytes, str, str, bool]:
    """(the bytes after any byte-order mark, their codec, the name to report, whether every byte decodes).

    A byte-order mark decides. Else the encoding given; else UTF-8 when the whole file is UTF-8; else the
    encoding most of its non-ASCII lines are in, UTF-8 or GB18030 (a file of UTF-8 with one stray byte
    stays UTF-8 with one bad row, where decoding all of it as GB18030 would garble every row; a line of
    UTF-8 in a GBK file is a bad row, not a row of garbled GBK); else charset-normalizer's guess.
    """
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            body = raw[len(bom):]
            clean = _clean(body, codec)
            if not clean and not _ascii_compatible(codec):
                raise InputError(f"{path} 标明是 {name} 编码，但有无法解码的内容", f"{path} is marked as {name} but "
                                 f"does not decode as {name}", where=str(path),
                                 hint=Text("另存为 UTF-8 的 CSV", "save it as a UTF-8 CSV"))
            return body, codec, name, clean
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"未知的字符编码 {encoding!r}", f"unknown text encoding {encoding!r}", where=str(path),
                             hint=Text("例如 utf-8、gbk、gb18030", "e.g. utf-8, gbk, gb18030")) from None
        clean = _clean(raw, codec)
        if not clean and not _ascii_compatible(codec):
            raise InputError(f"{path} 不能按 {encoding} 解码", f"{path} cannot be decoded as {encoding}",
                             where=str(path),
                             hint=Text("换一种编码，或另存为 UTF-8", "try another encoding, or save as UTF-8"))
        return raw, codec, encoding, clean
    if _decodes(raw, "utf-8"):
        return raw, "utf-8", "utf-8", b"\x00" not in raw
    utf8 = gb = 0
    for line in (part for chunk in io.BytesIO(raw) for part in chunk.splitlines()):
        if line.isascii():
            continue
        if _decodes(line, "utf-8"):
            utf8 += 1
        elif _decodes(line, "gb18030"):
            gb += 1
    if utf8 and utf8 >= gb:
        return raw, "utf-8", "utf-8", False
    if gb:
        return raw, "gb18030", "gb18030", not utf8 and _clean(raw, "gb18030")
    from charset_normalizer import from_bytes

    best = from_bytes(raw[: 1 << 20]).best()
    if best is not None and _clean(raw, best.encoding):
        return raw, best.encoding, best.encoding, True
    raise InputError(f"无法识别文件 {path} 的字符编码", f"cannot detect the text encoding of {path}",
                     where=str(path), hint=Text("请另存为 UTF-8 或 GBK 编码的 CSV", "save it as a UTF-8 or GBK CSV"))


def _decodes(data, codec: str) -> bool:
    if len(data) > 1 << 16 and codecs.lookup(codec).name == "utf-8":
        return _is_utf8(data)
    decoder = codecs.getincrementaldecoder(codec)()
    view = memoryview(data)
    try:
        for start in range(0, len(view), 1 << 24):
            decoder.decode(view[start:start + (1 << 24)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8(data) -> bool:
    """Whether `data` is UTF-8, as Python's strict codec says (surrogates, overlong forms and code points
    past U+10FFFF refused), checked by Arrow's validator."""
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _clean(body: bytes, codec: str) -> bool:
    """Every byte decodes, and (in an encoding where a zero byte is a character) there is no NUL."""
    return _decodes(body, codec) and not (_ascii_compatible(codec) and b"\x00" in body)


def _ascii_compatible(codec: str) -> bool:
    try:
        return "\n\r,\"a".encode(codec) == b"\n\r,\"a"
    except (UnicodeError, LookupError):
        return False


def _first_line(body: bytes, codec: str) -> str | None:
    """The first line that is not blank, decoded (for the delimiter and a look at the header)."""
    for line in io.StringIO(body[: 1 << 20].decode(codec, "replace"), newline=""):
        if line.strip():
            return line.rstrip("\r\n")
    return None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _decode_lines(body: bytes, codec: str, used: str) -> tuple[list[str], dict[int, tuple[str, str, str]]]:
    """Each line (\\n, \\r\\n or \\r) decoded alone; what is wrong with the ones that are not text in the
    file's encoding, by line index: (zh, en, the line as text)."""
    other = {"utf-8": "gb18030", "gb18030": "utf-8"}.get(codec)
    lines: list[str] = []
    bad: dict[int, tuple[str, str, str]] = {}
    for i, line in enumerate(body.splitlines(keepends=True)):
        text, problem = _decode_line(line, codec, used, other)
        lines.append(text)
        if problem:
            bad[i] = problem
    return lines, bad


def _decode_line(line: bytes, codec: str, used: str,
                 other: str | None) -> tuple[str, tuple[str, str, str] | None]:
    """A line decoded (bytes that do not decode replaced by U+FFFD) and what is wrong with it, if anything."""
    if b"\x00" in line:
        text = line.replace(b"\x00", b"").decode(codec, "replace")
        return text, ("含有 NUL 字节（二进制数据）", "holds a NUL byte (binary data)", text)
    try:
        text = line.decode(codec)
    except UnicodeDecodeError as exc:
        text = line.decode(codec, "replace")
        # valid UTF-8 says UTF-8; GB18030 takes most byte pairs, so one stray byte in UTF-8 text is not GBK
        if other and (other == "utf-8" or text.count("\ufffd") > 1) and _decodes(line, other):
            return text, _mixed(used, other, line)
        at, byte = exc.start + 1, line[exc.start]
        return text, (f"该行第 {at} 个字节 0x{byte:02X} 无法按 {used} 解码",
                      f"byte {at} of the row (0x{byte:02X}) cannot be decoded as {used}", text)
    if codec == "gb18030" and not line.isascii() and _decodes(line, "utf-8"):
        return text, _mixed(used, "utf-8", line)  # GBK text is almost never valid UTF-8: this line is UTF-8
    return text, None


def _mixed(used: str, other: str, line: bytes) -> tuple[str, str, str]:
    return (f"该行不是 {used} 编码（像是 {other}），与文件其余部分不同：一个文件里混用了两种编码",
            f"this row is not {used} like the rest of the file (it looks like {other}): two encodings mixed "
            f"in one file", line.decode(other))


def _csv_fast(data: bytes, sep: str, max_rows: int, path: Path) -> pd.DataFrame | None:
    """A clean CSV read by pyarrow; None when the file needs the row-by-row reader: a row with more or
    fewer fields than the header, blank lines before the header, or a space before a quoted field."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    if _needs_rows_reader(data, sep.encode()):
        return None
    prefix = data[: 1 << 20].decode("utf-8", "ignore")
    header = next(csv.reader(io.StringIO(prefix, newline=""), delimiter=sep, skipinitialspace=True))
    names = [f"f{i}" for i in range(len(header))]
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    try:
        reader = pacsv.open_csv(
            pa.BufferReader(pa.py_buffer(data).slice(0, end)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True, ignore_empty_lines=False,
                                             invalid_row_handler=lambda row: "error"),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
        batches, rows = [], 0
        for batch in reader:
            rows += batch.num_rows
            if rows > max_rows + 1:
                raise _too_many_rows(path, max_rows)
            batches.append(batch)
    except pa.ArrowInvalid:  # a row with more or fewer fields: the row-by-row reader names it
        return None
    if not batches:
        return None
    table = pa.Table.from_batches(batches)
    del batches
    # skipinitialspace: spaces at the start of a cell go (only in the columns that have such a cell)
    columns = [pc.utf8_ltrim(c, characters=" ") if pc.any(pc.starts_with(c, " ")).as_py() else c
               for c in table.columns]
    del table
    if [c[0].as_py() for c in columns] != header:
        return None
    if len(columns[0]) == 1:
        raise _no_rows(path)
    df = pa.table([c.slice(1) for c in columns], names=_unique_headers(header)).to_pandas()
    del columns
    df = _drop_blank(df)
    if df.empty:
        raise _no_rows(path)
    return df


def _needs_rows_reader(data: bytes, sep: bytes) -> bool:
    """Blank lines before the header, or spaces next to a quote at the start of a field, where Python's
    csv (skipinitialspace) and pyarrow read the field differently: a quote followed by a space at the start
    of a field (after a line break or the delimiter), or a quote after the delimiter and one or more
    spaces. One pass of numpy over the bytes, a block at a time."""
    if data[:1] in (b"\r", b"\n"):
        return True
    byte = np.frombuffer(data, dtype=np.uint8)
    quote, space, delimiter = ord('"'), ord(" "), sep[0]
    block = 1 << 24
    for start in range(0, len(byte), block):
        stop = min(start + block, len(byte))
        here = byte[start:stop]
        quotes = here == quote
        if not quotes.any():
            continue
        before = np.empty_like(here)  # the byte before each (a line break before the first byte)
        before[1:] = here[:-1]
        before[0] = byte[start - 1] if start else ord("\n")
        after = np.empty_like(here)  # the byte after each (none after the last byte)
        after[:-1] = here[1:]
        after[-1] = byte[stop] if stop < len(byte) else 0
        opening = (before == ord("\n")) | (before == ord("\r")) | (before == delimiter)
        if (quotes & (after == space) & opening).any():
            return True
        for at in np.flatnonzero(quotes & (before == space)) + start:
            i = at - 1
            while i >= 0 and byte[i] == space:
                i -= 1
            if i >= 0 and byte[i] == delimiter:
                return True
    return False


def _csv_rows(lines: list[str], bad: dict, sep: str, max_rows: int,
              path: Path) -> tuple[pd.DataFrame, list[dict]]:
    """Row by row (Python's csv): every record keeps its number, so bad ones can be named and left out."""
    limit = csv.field_size_limit()
    reader = csv.reader(lines, delimiter=sep, skipinitialspace=True)
    out = _Records(path, max_rows)
    number = 0
    start = 0
    while True:
        error = None
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error:
            fields, error = None, (f"CSV 格式错误：一个字段超过 {limit} 个字符，可能是引号未闭合",
                                   f"CSV syntax error: a field longer than {limit} characters, perhaps an "
                                   f"unclosed quote")
        end = reader.line_num
        number += 1
        broken = [bad[i] for i in range(start, end) if i in bad]
        start = end
        if fields is not None and not broken and not "".join(fields).strip():
            continue
        if out.header is None:
            if broken or fields is None:
                why = broken[0] if broken else error
                raise InputError(f"{path} 的表头无法读取：{why[0]}", f"the header of {path} cannot be read: {why[1]}",
                                 where=f"{path}:{number}", hint=Text("从原系统重新导出 CSV（UTF-8 或 GBK）",
                                                                    "export the CSV again (UTF-8 or GBK)"))
            out.header = fields
            continue
        out.count()
        width = len(out.header)
        if broken:
            out.bad(number, broken[0][2].rstrip("\r\n")[:200], *broken[0][:2])
        elif fields is None:
            out.bad(number, None, *error)
        elif len(fields) != width:
            out.bad(number, sep.join(fields)[:200],
                    f"有 {len(fields)} 个字段，表头有 {width} 个（分隔符多了或少了，或引号未闭合）",
                    f"has {len(fields)} fields where the header has {width} (a delimiter too many or too "
                    f"few, or an unclosed quote)")
        else:
            out.keep(number, fields)
    return out.result()


# ---- Excel -------------------------------------------------------------------------------------------


def _read_xlsx(path: Path, sheet, max_rows: int, max_unpacked: int) -> tuple[pd.DataFrame, list[dict]]:
    """The first non-blank row of the sheet is the header; rows keep their sheet numbers. The unpacked
    size of the zip members is checked before the workbook is opened (a zip bomb is small when packed)."""
    import zipfile

    what = Text("Excel (.xlsx) ", "Excel (.xlsx)")
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(member.file_size for member in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_readable(path, what) from None
    if unpacked > max_unpacked:
        raise _too_big(path, unpacked, max_unpacked, Text("解压后大小", "unpacked size"))
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # anything openpyxl cannot open is not a workbook it can read
        raise _not_readable(path, what) from None
    try:
        ws = _sheet(book, sheet, path)
        ws.reset_dimensions()  # the size a file declares is not trusted: read the rows that are there
        out = _Records(path, max_rows)
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not "".join(cells).strip():
                continue
            if out.header is None:
                while cells and not cells[-1].strip():
                    cells.pop()
                out.header = cells
                continue
            out.count()
            width = len(out.header)
            extra = [k for k, c in enumerate(cells[width:], start=width + 1) if c.strip()]
            if extra:
                from openpyxl.utils import get_column_letter

                letter = get_column_letter(extra[0])
                out.bad(number, cells[extra[0] - 1][:200], f"{letter} 列有值，但该列没有表头",
                        f"a value in column {letter}, which has no header")
                continue
            out.keep(number, cells + [""] * (width - len(cells)))
    except InputError:
        raise
    except Exception:  # a damaged sheet inside a readable zip
        raise _not_readable(path, what) from None
    finally:
        book.close()
    return out.result()


def _sheet(book, sheet, path: Path):
    sheets = book.worksheets
    if sheet is None and sheets:
        return sheets[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(sheets):
        return sheets[sheet]
    if isinstance(sheet, str) and sheet in book.sheetnames:
        return book[sheet]
    names = "、".join(book.sheetnames)
    raise InputError(f"{path} 中没有工作表 {sheet!r}（现有：{names}）",
                     f"{path} has no sheet {sheet!r} (it has: {names})", where=str(path),
                     hint=Text("用 sheet= 给出工作表名称或序号（从 0 起）",
                               "give the sheet's name or its position (from 0) as sheet="))


def _cell_text(value) -> str:
    """A cell as the text a CSV export of it would hold: 2021.0 → "2021", midnight → "2023-05-01"."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# ---- Parquet -----------------------------------------------------------------------------------------


def arrow_kind(arrow_type) -> str:
    """The kind of an Arrow type, as `COLUMN_KINDS` names them: text, integer, number, bool, date,
    timestamp, null, or other (lists, structs, maps, binary data, times of day …)."""
    import pyarrow.types as pat

    t = arrow_type.value_type if pat.is_dictionary(arrow_type) else arrow_type
    checks = (("text", (pat.is_string, pat.is_large_string, getattr(pat, "is_string_view", pat.is_string))),
              ("null", (pat.is_null,)), ("integer", (pat.is_integer,)),
              ("number", (pat.is_floating, pat.is_decimal)), ("bool", (pat.is_boolean,)),
              ("date", (pat.is_date,)), ("timestamp", (pat.is_timestamp,)))
    for kind, tests in checks:
        if any(test(t) for test in tests):
            return kind
    return "other"


def _read_parquet(path: Path, max_rows: int, max_bytes: int, schema) -> tuple[pd.DataFrame, list[dict]]:
    """Columns converted to text. With a `schema`, the columns it maps are type-checked and columns it
    does not map are read only when they hold plain values; without one every column must."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    what = Text("Parquet ", "Parquet")
    try:
        pf = pq.ParquetFile(path)
        meta, arrow_schema = pf.metadata, pf.schema_arrow
    except Exception:  # pyarrow's many ways of saying "not a Parquet file"
        raise _not_readable(path, what) from None
    if meta.num_rows > max_rows:
        raise _too_many_rows(path, max_rows)
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if unpacked > max_bytes:
        raise _too_big(path, unpacked, max_bytes, Text("解压后数据大小", "unpacked data size"))
    if meta.num_rows == 0:
        raise _no_rows(path)
    name = str(path)
    headers = _unique_headers(arrow_schema.names)
    mapping = canonical_columns(headers, schema) if schema else {}
    keep = []
    for i, (header, field) in enumerate(zip(headers, arrow_schema, strict=True)):
        kind = arrow_kind(field.type)
        if header in mapping:
            check_column_type(name, header, mapping[header], kind, str(field.type))
        elif kind == "other":
            if schema:
                continue
            raise InputError(f"{name} 的列 {header} 的类型是 {field.type}，应为文本、数字或日期",
                             f"{name}: column {header} holds {field.type}; expected text, numbers or dates",
                             where=f"{name}:{header}", hint=Text("将该列存为文本后重新导出",
                                                                 "store the column as text and export again"))
        keep.append((i, header, kind))
    try:
        if len(set(arrow_schema.names)) == len(headers):
            table = pf.read(columns=[arrow_schema.names[i] for i, _, _ in keep])
            picked = {i: table.column(arrow_schema.names[i]) for i, _, _ in keep}
        else:  # repeated names: read everything, pick by position
            table = pf.read()
            picked = {i: table.column(i) for i, _, _ in keep}
        columns = {header: _arrow_text(picked[i], kind) for i, header, kind in keep}
    except (pa.ArrowException, OSError):
        raise _not_readable(path, what) from None
    df = pd.DataFrame({h: c.to_pandas() for h, c in columns.items()}, columns=[h for _, h, _ in keep])
    return _drop_blank(df), []


def _arrow_text(column, kind: str):
    """An Arrow column as text ("" for null): dates as 2023-05-01, timestamps as 2023-05-01 08:30:00."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "timestamp":
        seconds = pc.floor_temporal(column, unit="second").cast(pa.timestamp("s", tz=column.type.tz))
        column = pc.strftime(seconds, format="%Y-%m-%d %H:%M:%S")
        column = pc.replace_substring_regex(column, pattern=" 00:00:00$", replacement="")
    elif kind == "bool":
        column = pc.if_else(column, "True", "False")
    elif kind != "text" or not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    return pc.fill_null(column, "")


# ---- declared standards and baselines ----------------------------------------------------------------


def load_standards(source, *, sheet=None, encoding=None, on_bad_rows: str = "raise",
                   max_rows: int | None = None, max_bytes: int | None = None) -> pd.DataFrame:
    """Declared enterprise standards (企业标准), long form, with canonical column names.

    `source` is a path (CSV/Excel/Parquet) or a DataFrame; a frame this function returned before is
    returned as it is (its header hints are kept). Required columns: standard_id, domain,
    indicator, requirement. `year` is derived from `published` where missing. The requirement column's
    header decides what a bare number means, and the frame carries it as data: a column `bare` ("max" under
    限量值, "min" under 最小值), so the meaning survives `pd.concat` and any other frame operation.
    An exact copy of an earlier row is a bad row ("duplicate of row N"). A file whose every standard
    number is a national or industry one is a baselines file, and is refused as such.
    """
    return _load(source, STANDARD_COLUMNS, REQUIRED_STANDARD, "standards", sheet=sheet, encoding=encoding,
                 on_bad_rows=on_bad_rows, max_rows=max_rows, max_bytes=max_bytes)


def load_baselines(source, *, sheet=None, encoding=None, on_bad_rows: str = "raise",
                   max_rows: int | None = None, max_bytes: int | None = None) -> pd.DataFrame:
    """National and industry baseline standards (国家标准/行业标准), long form.

    `level` (national/industry) and `mandatory` are inferred from the standard number where the file
    does not give them: "GB 12021.4-2013" is national and mandatory, "GB/T 4288-2018" national and
    recommended, "QB/T 1111-2020" industry and recommended. Only national standards can be mandatory
    (Standardization Law 2017), so "JB 1234-2010" is industry and recommended. A file with no level
    column and no national or industry standard number is declared standards, and is refused as such.
    """
    return _load(source, BASELINE_COLUMNS, REQUIRED_BASELINE, "baselines", sheet=sheet, encoding=encoding,
                 on_bad_rows=on_bad_rows, max_rows=max_rows, max_bytes=max_bytes)


def _load(source, schema, required, what, *, sheet, encoding, on_bad_rows, max_rows,
          max_bytes) -> pd.DataFrame:
    _check_on_bad_rows(on_bad_rows)
    if isinstance(source, pd.DataFrame) and source.attrs.get("loaded") == what:
        return source  # already loaded (and checked) by this function
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
        raw.columns = _unique_headers(raw.columns)
        name = raw.attrs.get("source", "<DataFrame>")
        found: list[dict] = []
        if raw.empty:
            raise _no_rows(name)
    else:
        raw, found = _read(source, sheet=sheet, encoding=encoding, max_rows=max_rows, max_bytes=max_bytes,
                           schema=schema)
        name = raw.attrs["source"]
    row_numbers = sheet_row_numbers(raw.index)
    raw = raw.reset_index(drop=True)
    mapping = require_columns(name, raw.columns, schema, required)
    header_bare = bare_hint([h for h, c in mapping.items() if c == "requirement"])
    # every column once, a distinct cell at a time: stripped text with "" as <NA>, the code of each row's
    # value (for the checks below) and a key of each row's cells (for the duplicate check)
    columns: dict[str, pd.Series] = {}
    distinct: dict[str, tuple[np.ndarray, pd.Series]] = {}
    row_key = np.zeros(len(raw), dtype=np.uint64)
    for header in raw.columns:
        text, codes, values = _distinct_text(raw[header])
        row_key ^= codes.astype(np.uint64)
        row_key *= np.uint64(0x100000001B3)
        if header in mapping:
            columns[mapping[header]] = text
            distinct[mapping[header]] = (codes, values)
    df = pd.DataFrame(columns, index=raw.index)

    def each(column: str, fn) -> pd.Series:
        """`fn` of the distinct values of a column (and of <NA>, last), spread back to its rows."""
        codes, values = distinct[column]
        return fn(pd.concat([values, pd.Series([pd.NA], dtype="string")], ignore_index=True)).take(
            codes).set_axis(df.index)

    ids = distinct["standard_id" if what == "standards" else "baseline_id"][1]
    check_file_kind(name, ids, what, has_level="level" in df.columns)
    problems = list(found)

    def flag(mask: pd.Series, column: str, zh: str, en: str) -> None:
        for idx in df.index[mask.fillna(False).to_numpy(bool)]:
            value = df.at[idx, column] if column in df.columns else None
            shown = None if pd.isna(value) else str(value)
            problems.append(_problem(name, row_numbers[idx], column, shown, zh, en))

    for pos, first in _duplicates(raw, pd.Series(row_key).duplicated(keep=False).to_numpy()):
        problems.append(_problem(name, row_numbers[pos], None, None, f"与第 {row_numbers[first]} 行完全相同（重复行）",
                                 f"duplicate of row {row_numbers[first]}"))
    for column in required:
        flag(df[column].isna(), column, "必填项为空", "required value is empty")

    days: dict[str, pd.Series] = {}
    for column in ("published", "effective", "abolished", "changed", "notified"):
        if column in df.columns:
            days[column] = each(column, parse_dates)
            flag(df[column].notna() & days[column].isna(), column, "日期无法识别（应如 2023-05-01）",
                 "date not recognised (expected e.g. 2023-05-01)")
            df[column] = each(column, lambda v: parse_dates(v).dt.date)
    if what == "baselines":
        _check_baseline_scope(df, flag)
    if "year" in df.columns:
        years = each("year", lambda v: pd.to_numeric(v, errors="coerce"))
        flag(df["year"].notna() & (years.isna() | (years < 1980) | (years > 2100) | (years % 1 != 0)), "year",
             "年份应为 1980–2100 之间的整数", "year must be a whole number between 1980 and 2100")
        df["year"] = years.where(years % 1 == 0).astype("Int64")
    if "published" in df.columns:
        derived = days["published"].dt.year.astype("Int64")
        df["year"] = df["year"].fillna(derived) if "year" in df.columns else derived
    if "direction" in df.columns:
        mapped = each("direction", lambda v: v.str.lower().map(_DIRECTION_WORDS).astype("string"))
        flag(df["direction"].notna() & mapped.isna(), "direction", "方向应为 越低越好/越高越好/区间",
             "direction must be 越低越好 (lower) / 越高越好 (higher) / 区间 (range)")
        df["direction"] = mapped
    if "bare" in df.columns:
        given = each("bare", lambda v: v.str.lower())
        flag(given.notna() & ~given.isin(["max", "min"]), "bare", "bare 列应为 max 或 min",
             "the bare column must be max or min")
        df["bare"] = given.where(given.isin(["max", "min"])).fillna(header_bare) if header_bare else given
    elif header_bare:
        df["bare"] = pd.Series(header_bare, index=df.index, dtype="string")
    for column in ("mass_produced", "consent"):
        if column in df.columns:
            df[column] = _yes_no(df[column], flag, column, each(column, truth))
    if "status" in df.columns:
        mapped = each("status", lambda v: v.str.lower().map(_STATUS_WORDS).astype("string"))
        flag(df["status"].notna() & mapped.isna(), "status", "标准状态应为 现行/废止",
             "status must be 现行 (current) or 废止 (abolished)")
        df["status"] = mapped
    if what == "baselines":
        _infer_level(df, flag)

    problems.sort(key=lambda p: p["row"])
    bad_rows = {p["row"] for p in problems}
    if problems and on_bad_rows == "raise":
        raise problems_error(name, problems)
    out = df[~row_numbers.isin(bad_rows).to_numpy()].reset_index(drop=True) if bad_rows else df
    if out.empty:
        first = problems_error(name, problems)
        raise InputError(f"{name} 没有可用的行：{len(bad_rows)} 行都有问题。{first.text.zh}",
                         f"{name} has no usable rows: all {len(bad_rows)} rows have problems. "
                         f"{first.text.en}",
                         where=first.where, hint=Text("修正这些行后重新读取", "fix the rows and load again"))
    out.attrs = {"source": name, "encoding": raw.attrs.get("encoding"), "problems": problems, "loaded": what}
    if problems:
        _warn_bad_rows(name, problems, stacklevel=4)
    return out


def _distinct_text(series: pd.Series) -> tuple[pd.Series, np.ndarray, pd.Series]:
    """A column as stripped text with "" as <NA> (dtype "string"), worked out once per distinct cell:
    (the column, each row's code into the distinct values (−1 for <NA>, int32), the distinct values).
    A column whose cells need no change is returned without a copy."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"
    text = series if arrow else series.astype(pd.StringDtype("pyarrow"))
    cells = pa.array(text.array)
    cells = cells if isinstance(cells, pa.ChunkedArray) else pa.chunked_array([cells])
    encoded = pc.dictionary_encode(cells).combine_chunks()
    codes = pc.fill_null(encoded.indices.cast(pa.int32()), -1).to_numpy()
    values = encoded.dictionary
    stripped = pc.utf8_trim_whitespace(values)
    if len(values) and (not pc.all(pc.equal(stripped, values)).as_py() or pc.any(pc.equal(values, "")).as_py()):
        # some cells change: the distinct values stripped (two may become one, "" becomes <NA>), then the rows
        stripped = pc.if_else(pc.equal(stripped, ""), pa.scalar(None, stripped.type), stripped)
        merged = pc.dictionary_encode(stripped)
        codes = np.append(pc.fill_null(merged.indices.cast(pa.int32()), -1).to_numpy(), np.int32(-1))[codes]
        values = merged.dictionary
        taken = values.take(pa.array(codes, mask=codes < 0))
        text = pd.Series(pd.arrays.ArrowStringArray(taken), index=series.index, name=series.name)
    elif text.dtype.na_value is not pd.NA:  # "str" (missing = NaN) → "string" (missing = <NA>), no copy
        text = text.astype("string")
    return text, codes, pd.Series(pd.arrays.ArrowStringArray(values), dtype="string")


def parse_dates(series: pd.Series) -> pd.Series:
    """Dates written as 2023-05-01, 2023/5/1, 2023.5.1 or 2023年5月1日 → datetime64 (NaT where not a date)."""
    text = series.astype("string").str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "")
    return pd.to_datetime(text, errors="coerce", format="mixed")


def _check_baseline_scope(df: pd.DataFrame, flag) -> None:
    """The version dates and the attribute band of baseline rows: numbers for the band, a band for an
    attribute and an attribute for a band, the lower end below the upper, abolished after effective."""
    if "effective" in df.columns and "abolished" in df.columns:
        eff, abol = pd.to_datetime(df["effective"]), pd.to_datetime(df["abolished"])
        flag(eff.notna() & abol.notna() & (abol <= eff), "abolished", "废止日期应晚于实施日期",
             "the abolished date must come after the effective date")
    bounds = [c for c in ("condition_min", "condition_max") if c in df.columns]
    for column in bounds:
        number = pd.to_numeric(df[column], errors="coerce")
        flag(df[column].notna() & number.isna(), column, "条件上下限应为数字", "a condition bound must be a number")
        df[column] = number.astype("Float64")
    some_bound = df[bounds].notna().any(axis=1) if bounds else pd.Series(False, index=df.index)
    attribute = df.get("condition_attribute", pd.Series(pd.NA, index=df.index, dtype="string"))
    flag(attribute.notna() & ~some_bound, "condition_attribute", "有条件属性但没有条件下限或上限",
         "a condition attribute needs a lower or an upper bound (条件下限/条件上限)")
    for column in bounds:
        flag(df[column].notna() & attribute.isna(), column, "有条件上下限但没有条件属性",
             "a condition bound needs a condition attribute (条件属性)")
    if len(bounds) == 2:
        flag(df["condition_min"].notna() & df["condition_max"].notna() & (df["condition_min"] >= df["condition_max"]),
             "condition_max", "条件上限应大于条件下限", "the condition's upper bound must exceed its lower bound")


def sheet_row_numbers(index: pd.Index) -> pd.Series:
    """Row numbers as a spreadsheet counts them (header = 1), by position: index + 2 where the index
    counts data rows from 0 (a frame from `read_table` or pandas, also after rows were left out), else
    position + 2."""
    counts = (pd.api.types.is_integer_dtype(index) and index.is_unique and index.is_monotonic_increasing
              and (len(index) == 0 or index[0] >= 0))
    numbers = index.to_numpy() + 2 if counts else range(2, len(index) + 2)
    return pd.Series(numbers, dtype="int64")


def _duplicates(frame: pd.DataFrame, maybe: np.ndarray) -> list[tuple[int, int]]:
    """(position, position of its first copy) of each row that repeats an earlier row cell for cell (cells
    stripped, empty = missing). Only the rows `maybe` marks are compared: a superset of the copies (rows
    whose key of cells is shared with another row)."""
    if not maybe.any():
        return []
    text = frame[maybe].astype("string").apply(lambda s: s.str.strip()).fillna("")
    first: dict[tuple, int] = {}
    out = []
    for pos, values in zip(maybe.nonzero()[0], text.itertuples(index=False, name=None), strict=True):
        if values in first:
            out.append((int(pos), first[values]))
        else:
            first[values] = int(pos)
    return out


def check_file_kind(name: str, ids, what: str, has_level: bool = False) -> None:
    """Refuse a baselines file given as standards (every standard number in `ids` is a national or industry
    one) or standards given as baselines (none is, and the file has no level column). `ids`: the distinct
    standard numbers, any iterable; it is read only as far as the answer needs."""
    ids = iter(ids)
    first = next(ids, None)
    if first is None:
        return
    if what == "standards" and code_level(str(first)) and all(code_level(str(i)) for i in ids):
        raise InputError(
            f"{name} 看起来是国家/行业标准（基准）文件，不是企业标准文件：每个标准编号都是国家标准或行业标准（如 {first}）",
            f"{name} looks like a baselines file, not declared enterprise standards: every standard number "
            f"is a national or industry one (e.g. {first})",
            where=name, hint=Text("企业标准编号如 Q/…、T/…；基准文件请作为 baselines 传入（命令行 --baselines）",
                                  "enterprise standards are numbered Q/… or T/…; pass a baselines file as "
                                  "the baselines (CLI --baselines)"))
    if what == "baselines" and not has_level and not code_level(str(first)) and not any(
            code_level(str(i)) for i in ids):
        raise InputError(
            f"{name} 看起来是企业标准文件，不是国家/行业标准（基准）文件：没有一个标准编号是国家标准或行业标准"
            f"（GB、GB/T、QB/T …），也没有“层级”列",
            f"{name} looks like declared enterprise standards, not baselines: no standard number is a "
            f"national or industry one (GB, GB/T, QB/T …) and there is no 层级 (level) column",
            where=name, hint=Text("基准文件列出国家标准和行业标准；企业标准文件是第一个参数",
                                  "a baselines file lists national and industry standards; declared "
                                  "standards are the first argument"))


def problems(df: pd.DataFrame) -> pd.DataFrame:
    """The rows a load left out (on_bad_rows="report"): file, row, column, value, problem, problem_en.
    `column` is empty for a problem of the whole row (encoding, field count, duplicate)."""
    return pd.DataFrame(df.attrs.get("problems", []),
                        columns=["file", "row", "column", "value", "problem", "problem_en"])


def _yes_no(series: pd.Series, flag, column: str, out: pd.Series | None = None) -> pd.Series:
    """`truth` of the cells (`out`: already worked out), flagging those that are not yes/no words."""
    out = truth(series) if out is None else out
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
