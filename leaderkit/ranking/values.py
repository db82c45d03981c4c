"""Reading the declared values of a scheme's core indicators (核心指标数值).

A lower-is-better indicator is represented by the upper bound the standard declares, a higher-is-better one
by its lower bound, converted to the scheme indicator's unit; a range indicator by the declared interval.
`indicator_matrix` shows them; `core_values` gives the bounds that scoring and levels use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text
from leaderkit._kit.words import truth
from leaderkit.ranking.common import target_unit
from leaderkit.schemes.model import Indicator, Scheme

ENTERPRISE_CONDITIONS: dict[str, tuple[tuple[str, ...], Text]] = {
    "no_major_accident": (("近三年无重大事故", "无重大事故"),
                          Text("近三年发生重大环境、安全或质量事故", "major environment/safety/quality accident in 3 years")),
    "management_systems": (("管理体系", "管理体系认证"),
                           Text("未建立 GB/T 19001、24001、45001 管理体系", "no GB/T 19001, 24001, 45001 systems")),
    "not_dishonest": (("未列入严重失信名单", "非严重失信"),
                      Text("列入严重失信主体名单", "on the serious-dishonesty list")),
    "no_failed_sampling": (("近三年国家抽查合格", "抽查合格"),
                           Text("近三年国家监督抽查不合格", "failed national sampling in 3 years")),
    "commitment_signed": (("承诺书", "已签署承诺书"), Text("未签署承诺书", "no signed commitment letter")),
}
"""Enterprise conditions of document 003 2.5, read where the data has a column for them (True = met)."""


VALUE_NOTES = {
    "missing": Text("未声明该指标", "indicator not declared"),
    "unparsed": Text("要求文本无法解析", "requirement text cannot be read"),
    "qualitative": Text("定性要求，无数值", "qualitative requirement, no value"),
    "unit": Text("单位与方案不可换算", "unit not commensurable with the scheme's"),
    "bound": Text("缺少该方向的限值", "no limit on the side that counts"),
    "duplicate": Text("同一指标有多行", "several rows for the indicator"),
}


def load_with_conditions(standards) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical long frame and the enterprise-condition columns (one row per input row)."""
    from leaderkit.standards.loading import load_standards, read_table

    raw = standards
    if not isinstance(standards, pd.DataFrame):
        raw = read_table(standards)
    frame = load_standards(raw)
    conditions = pd.DataFrame(index=frame.index)
    if len(raw) == len(frame):
        for code, (aliases, _) in ENTERPRISE_CONDITIONS.items():
            column = next((c for c in (code, *aliases) if c in raw.columns), None)
            if column is not None:
                conditions[code] = truth(raw[column].reset_index(drop=True)).set_axis(frame.index)
    return frame, conditions


def _parse_texts(texts: pd.Series, units: pd.Series | None, ind_units: pd.Series, bare) -> pd.DataFrame:
    from leaderkit.limits.requirements import parse_many

    default = ind_units if units is None else units.astype(object).where(units.notna(), ind_units)
    return parse_many(texts.astype(object).where(texts.notna(), None).reset_index(drop=True), bare=bare,
                      unit=default.astype(object).where(default.notna(), None).to_numpy())


def _in_unit(parsed: pd.DataFrame, dims: np.ndarray, factors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, upper, commensurable) of parsed rows in the target units (dims None: the row's own unit)."""
    row_dim = parsed["dimension"].to_numpy(dtype=object)
    no_target = pd.isna(pd.Series(dims, dtype=object)).to_numpy()
    no_row = pd.isna(pd.Series(row_dim, dtype=object)).to_numpy()
    same = np.where(no_target, no_row, row_dim == dims)
    scale = np.where(no_target | no_row, 1.0, parsed["factor"].to_numpy(dtype=float) / factors)
    return parsed["lower"].to_numpy(float) * scale, parsed["upper"].to_numpy(float) * scale, same.astype(bool)


def core_values(core: list[Indicator], dom: pd.DataFrame, index: pd.Index):
    """Lower and upper bounds (N × k, scheme units) and a problem code per cell ("" = usable).

    Each distinct (indicator, text, unit, bare) is read once (`parse_many`), converted and judged once, then
    spread to its rows: a national-scale domain repeats a few hundred texts over millions of rows."""
    names = {ind.name: j for j, ind in enumerate(core)}
    n, k = len(index), len(core)
    # codes of the cells of every row (no copy of the rows), then only the rows of core indicators
    col = _codes_of(dom["indicator"], lambda name: names.get(name, -1))
    keep = np.flatnonzero(col >= 0)
    col = col[keep]
    row = _codes_of(dom["standard_id"], None, index)[keep]
    key = col.astype(np.int64)
    for column in ("requirement", "unit", "bare"):
        if column in dom.columns:
            codes, values = pd.factorize(dom[column])
            key = key * (len(values) + 1) + (codes[keep] + 1)
    rows_of, distinct = pd.factorize(key)
    first = np.empty(len(distinct), dtype=np.int64)
    first[rows_of[::-1]] = np.arange(len(rows_of) - 1, -1, -1)
    cols = [c for c in ("requirement", "unit", "bare") if c in dom.columns]
    head = dom[cols].iloc[keep[first]].reset_index(drop=True)
    head_col = col[first]
    targets = [target_unit(ind) for ind in core]
    units = np.array([ind.measure_unit for ind in core], dtype=object)
    parsed = _parse_texts(head["requirement"], head["unit"] if "unit" in head.columns else None,
                          pd.Series(units[head_col], dtype=object),
                          head["bare"].to_numpy(dtype=object) if "bare" in head.columns else None)
    dims = np.array([t.dimension if t else None for t in targets], dtype=object)[head_col]
    factors = np.array([t.factor if t else 1.0 for t in targets], dtype=float)[head_col]
    lo, hi, same = _in_unit(parsed, dims, factors)
    kind = parsed["kind"].to_numpy(dtype=object)
    direction = np.array([ind.direction or "range" for ind in core], dtype=object)[head_col]
    missing_side = np.where(direction == "lower", np.isnan(hi),
                            np.where(direction == "higher", np.isnan(lo), np.isnan(lo) | np.isnan(hi)))
    problem = np.select(
        [kind == "invalid", np.isin(kind, ["qualitative", "declared"]), ~same, missing_side],
        ["unparsed", "qualitative", "unit", "bound"], "").astype(object)[rows_of]
    dup = pd.Series(row.astype(np.int64) * k + col).duplicated(keep=False).to_numpy()
    problem[dup] = "duplicate"
    lower = np.full((n, k), np.nan)
    upper = np.full((n, k), np.nan)
    codes = np.full((n, k), "missing", dtype=object)
    lower[row, col] = lo[rows_of]
    upper[row, col] = hi[rows_of]
    codes[row, col] = problem
    bad = codes != ""
    lower[bad] = np.nan
    upper[bad] = np.nan
    return lower, upper, codes


def _codes_of(column: pd.Series, value_of, index: pd.Index | None = None) -> np.ndarray:
    """For each row, `value_of` its cell, or (with `index`) the position of its cell in `index`; worked out
    once per distinct cell."""
    codes, values = pd.factorize(column, use_na_sentinel=False)
    if index is not None:
        looked_up = index.get_indexer(values)
    else:
        looked_up = np.array([value_of(v) for v in values], dtype=np.int64)
    return looked_up[codes]


def display_values(core, index, lower, upper, problem) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [ind.id for ind in core]
    values = np.empty_like(lower)
    for j, ind in enumerate(core):
        if ind.direction == "lower":
            values[:, j] = upper[:, j]
        elif ind.direction == "higher":
            values[:, j] = lower[:, j]
        else:
            values[:, j] = (lower[:, j] + upper[:, j]) / 2
    matrix = pd.DataFrame(values, index=index, columns=ids)
    lang_text = {code: text.both() for code, text in VALUE_NOTES.items()}
    notes = pd.DataFrame(problem, index=index, columns=ids).replace(lang_text)
    return matrix, notes


def indicator_matrix(scheme: Scheme, standards) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Declared limits of the core indicators (核心指标数值矩阵) and why a cell is empty.

    Returns (values, notes), both indexed by standard_id with one column per core indicator id. Values are
    in the scheme indicator's unit: lower-is-better → the declared upper bound, higher-is-better → the
    declared lower bound, range → the midpoint of the declared interval. A cell is NaN when the standard
    does not declare the indicator, the text cannot be read, is qualitative, has a unit that does not
    convert, lacks the bound that counts, or appears in several rows; `notes` says which ("" = fine).
    """
    frame, _ = load_with_conditions(standards)
    dom = frame[(frame["domain"] == scheme.domain).fillna(False).to_numpy(bool)].reset_index(drop=True)
    dom.attrs = dict(frame.attrs)
    core = scheme.core_indicators()
    index = pd.Index(sorted(dom["standard_id"].unique()), name="standard_id")
    lower, upper, problem = core_values(core, dom, index)
    return display_values(core, index, lower, upper, problem)
