"""Ranking lists and leaders from a scheme (企业标准排行榜与“领跑者”名单).

The ranking step of the pipeline: declared standards of the scheme's domain → eligibility (入围资格) →
score by the scheme's method → rank → leaders by the scheme's leader rule → publicity list. The scheme
file says every choice; the numerics are the method layer's (`leaderkit.scoring`, `leaderkit.uncertainty`).

    scheme = Scheme.load("sample_data/schemes/washing_machines_a.yaml")
    result = rank(scheme, load_standards("sample_data/standards.csv"), on=date(2023, 11, 30))
    result.leaders            # who leads, and why (rank, score, levels reached)
    result.excluded           # who may not enter the list, and why (中文 / English)
    result.to_excel("公示.xlsx")

Reading the declared values (`indicator_matrix`): a lower-is-better indicator is represented by the
upper bound the standard declares, a higher-is-better one by its lower bound, converted to the scheme
indicator's unit. A range indicator (direction `range`, e.g. 3.05～3.15 V) is shown by the midpoint of the
declared interval; for scoring it is represented by the interval's width (narrower = stricter, lower is
better), and it reaches a level when its interval lies inside the level's interval. docs/RANKING.md
gives every rule with its source.

`prepare` parses and checks once per scheme data; `rank(scheme, prepared)` then only re-scores, which is
what the tuner widget does on every slider move.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .i18n import LeaderkitError, Text, tr
from .scheme import LEVEL_NAMES, LEVEL_ORDER, Indicator, Scheme

LEVEL_CODES = {"none": 0, "baseline": 1, "advanced": 2, "leader": 3}
_CODE_NAMES = np.array(["none", "baseline", "advanced", "leader"], dtype=object)
_REL_TOL = 1e-9

REASONS: dict[str, Text] = {
    "not_stricter_national": Text("未严于国家标准", "not stricter than the national standard"),
    "not_stricter_industry": Text("未严于行业标准", "not stricter than the industry standard"),
    "no_comparable_baseline": Text("无可比的国家/行业标准，无法证明严于基准",
                                   "no comparable national/industry baseline: stricter-than cannot be shown"),
    "mandatory_violation": Text("宽于强制性国家标准限值（合规问题）",
                                "looser than a mandatory national limit (compliance problem)"),
    "baseline_indicator_missing": Text("缺少底线指标", "baseline indicator not declared"),
    "baseline_indicator_not_met": Text("底线指标未达到要求", "baseline indicator not met"),
    "not_public_long_enough": Text("公开时间不足", "not public long enough before the list date"),
    "published_unknown": Text("公开日期不明", "publication date unknown"),
    "not_mass_produced": Text("产品未量产定型或服务未广泛提供", "product not mass-produced / service not widely offered"),
    "mass_produced_unknown": Text("是否量产不明", "mass production unknown"),
    "enterprise_condition": Text("企业条件不满足", "enterprise condition not met"),
    "barred": Text("企业处于三年禁入期", "enterprise barred (title revoked within 3 years)"),
    "missing_core_value": Text("核心指标数据不完整", "core indicator data incomplete"),
}

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


class RankingError(LeaderkitError, ValueError):
    """A ranking that cannot be made as asked (排行榜无法形成)."""


# ---- loading ---------------------------------------------------------------------------------------


def _load(standards) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical long frame and the enterprise-condition columns (one row per input row)."""
    from .io import load_standards, read_table

    raw = standards
    if not isinstance(standards, pd.DataFrame):
        raw = read_table(standards)
    frame = load_standards(raw)
    conditions = pd.DataFrame(index=frame.index)
    if len(raw) == len(frame):
        for code, (aliases, _) in ENTERPRISE_CONDITIONS.items():
            column = next((c for c in (code, *aliases) if c in raw.columns), None)
            if column is not None:
                conditions[code] = _truth(raw[column].reset_index(drop=True)).set_axis(frame.index)
    return frame, conditions


def _truth(values: pd.Series) -> pd.Series:
    words = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[words.isin(["是", "true", "yes", "y", "1", "符合", "已签署"]).fillna(False).to_numpy()] = True
    out[words.isin(["否", "false", "no", "n", "0", "不符合", "未签署"]).fillna(False).to_numpy()] = False
    return out


def _target_unit(ind: Indicator):
    from .units import canonical_unit

    return None if ind.unit in (None, "1") else canonical_unit(ind.unit)


def _parse_texts(texts: pd.Series, units: pd.Series | None, ind_units: pd.Series, bare: str | None) -> pd.DataFrame:
    from .requirements import parse_many

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


# ---- the prepared data of one scheme ---------------------------------------------------------------


@dataclass
class Prepared:
    """Parsed values, levels' inputs and eligibility of a scheme's data, computed once (`prepare`).

    `rank(scheme, prepared)` re-scores from it; a scheme whose indicators, baselines or imputation differ
    from the one it was prepared for is prepared again automatically.
    """

    key: str
    on: date
    standards: pd.DataFrame = field(repr=False)
    conditions: pd.DataFrame = field(repr=False)
    baselines: Any = field(repr=False)
    program: Any
    register: Any = field(repr=False)
    info: pd.DataFrame = field(repr=False)
    ids: list[str]
    lower: np.ndarray = field(repr=False)
    upper: np.ndarray = field(repr=False)
    problem: np.ndarray = field(repr=False)
    matrix: pd.DataFrame = field(repr=False)
    notes_frame: pd.DataFrame = field(repr=False)
    eligibility: pd.DataFrame = field(repr=False)
    data_hash: str
    notes: list[Text]
    arrays: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        e = self.eligibility
        self.arrays = {c: e[c].to_numpy(dtype=object) for c in ("standard_id", "enterprise", "region", "reasons",
                                                                 "reasons_zh", "reasons_en")}
        self.arrays["values"] = self.matrix.to_numpy(dtype=float)


def _data_key(scheme: Scheme) -> str:
    """Digest of what `prepare` depends on: domain, indicators without weights and core levels, imputation."""
    inds = []
    for ind in scheme.indicators:
        d = ind.model_dump(mode="json", by_alias=True)
        d.pop("weight", None)
        d.pop("goalposts", None)
        if ind.indicator_class == "core":
            d.pop("levels", None)
        inds.append(d)
    imputation = scheme.ranking.imputation if scheme.ranking else "none"
    payload = repr((scheme.domain, inds, imputation))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _ranking_date(scheme: Scheme, on) -> date:
    if on is None:
        if scheme.timeline and scheme.timeline.ranking_date:
            return scheme.timeline.ranking_date
        raise RankingError(
            "未给出榜单日期，方案中也没有 timeline.ranking_date。",
            "No list date given and the scheme has no timeline.ranking_date.",
            where=scheme.id, hint=Text("传入 on=date(2023, 12, 31)，命令行 --on 2023-12-31。",
                                       "Pass on=date(2023, 12, 31); on the command line --on 2023-12-31."))
    if isinstance(on, str):
        try:
            return date.fromisoformat(on)
        except ValueError:
            raise RankingError(f"日期 {on!r} 无法识别。", f"Date {on!r} is not understood.",
                               hint=Text("写成 YYYY-MM-DD。", "Write it as YYYY-MM-DD.")) from None
    return on if type(on) is date else pd.Timestamp(on).date()


def prepare(scheme: Scheme, standards, *, on=None, baselines=None, program=None, register=None) -> Prepared:
    """Parse the declared values and decide eligibility for `scheme` (入围资格审查), once.

    `standards`: a frame from `load_standards`, a file, or a Prepared (returned as is when still valid).
    """
    if isinstance(standards, Prepared):
        if standards.key == _data_key(scheme) and (on is None or _ranking_date(scheme, on) == standards.on):
            return standards
        return prepare(scheme, standards.standards, on=on or standards.on,
                       baselines=baselines if baselines is not None else standards.baselines,
                       program=program or standards.program, register=register or standards.register)
    from .programs import load_program

    day = _ranking_date(scheme, on)
    prog = load_program(program if program is not None else (scheme.programme or "national"))
    frame, conditions = _load(standards)
    mask = (frame["domain"] == scheme.domain).fillna(False).to_numpy(bool)
    dom = frame[mask].reset_index(drop=True)
    dom.attrs = dict(frame.attrs)
    conditions = conditions[mask].reset_index(drop=True)
    if dom.empty:
        domains = ", ".join(sorted(frame["domain"].dropna().astype(str).unique())[:8])
        raise RankingError(
            f"数据中没有领域“{scheme.domain}”的标准。",
            f"The data has no standards of the domain '{scheme.domain}'.",
            where=str(frame.attrs.get("source", "<DataFrame>")),
            hint=Text(f"数据中的领域：{domains}。检查方案的 domain。",
                      f"Domains in the data: {domains}. Check the scheme's domain."))
    core = scheme.core_indicators()
    if not core:
        raise RankingError("方案没有核心指标，无法形成排行榜。", "The scheme has no core indicator: no ranking list.",
                           where=f"{scheme.id}: indicators")
    first = ~dom["standard_id"].duplicated()
    info_cols = [c for c in ("standard_id", "standard_name", "enterprise", "credit_code", "region", "published",
                             "mass_produced") if c in dom.columns]
    info = dom.loc[first.to_numpy(), info_cols].set_index("standard_id")
    info = info.sort_index()
    ids = [ind.id for ind in core]
    lower, upper, problem = _core_values(core, dom, info.index)
    matrix, notes_frame = _display(core, info.index, lower, upper, problem)
    notes: list[Text] = []
    elig = _eligibility(scheme, dom, conditions, info, core, problem, day, baselines, prog, register, notes)
    data_hash = _hash_data(dom, baselines, day, prog, elig)
    return Prepared(_data_key(scheme), day, frame, conditions if len(conditions.columns) else conditions,
                    baselines, prog, register, info, ids, lower, upper, problem, matrix, notes_frame, elig,
                    data_hash, notes)


def _core_values(core: list[Indicator], dom: pd.DataFrame, index: pd.Index):
    """Lower and upper bounds (N × k, scheme units) and a problem code per cell ("" = usable)."""
    names = {ind.name: j for j, ind in enumerate(core)}
    sub = dom[dom["indicator"].isin(list(names)).fillna(False).to_numpy(bool)].reset_index(drop=True)
    col = sub["indicator"].map(names).to_numpy(dtype=np.int64)
    targets = [_target_unit(ind) for ind in core]
    units = pd.Series([ind.unit if ind.unit not in (None, "1") else None for ind in core], dtype=object)
    parsed = _parse_texts(sub["requirement"], sub["unit"] if "unit" in sub.columns else None,
                          pd.Series(units.to_numpy()[col], dtype=object), dom.attrs.get("bare"))
    dims = np.array([t.dimension if t else None for t in targets], dtype=object)[col]
    factors = np.array([t.factor if t else 1.0 for t in targets], dtype=float)[col]
    lo, hi, same = _in_unit(parsed, dims, factors)
    kind = parsed["kind"].to_numpy(dtype=object)
    direction = np.array([ind.direction or "range" for ind in core], dtype=object)[col]
    missing_side = np.where(direction == "lower", np.isnan(hi),
                            np.where(direction == "higher", np.isnan(lo), np.isnan(lo) | np.isnan(hi)))
    problem = np.select(
        [kind == "invalid", np.isin(kind, ["qualitative", "declared"]), ~same, missing_side],
        ["unparsed", "qualitative", "unit", "bound"], "")
    dup = sub.duplicated(["standard_id", "indicator"], keep=False).to_numpy()
    problem = np.where(dup, "duplicate", problem)
    row = index.get_indexer(sub["standard_id"])
    n, k = len(index), len(core)
    lower = np.full((n, k), np.nan)
    upper = np.full((n, k), np.nan)
    codes = np.full((n, k), "missing", dtype=object)
    lower[row, col] = lo
    upper[row, col] = hi
    codes[row, col] = problem
    bad = codes != ""
    lower[bad] = np.nan
    upper[bad] = np.nan
    return lower, upper, codes


def _display(core, index, lower, upper, problem) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    frame, _ = _load(standards)
    dom = frame[(frame["domain"] == scheme.domain).fillna(False).to_numpy(bool)].reset_index(drop=True)
    dom.attrs = dict(frame.attrs)
    core = scheme.core_indicators()
    index = pd.Index(sorted(dom["standard_id"].unique()), name="standard_id")
    lower, upper, problem = _core_values(core, dom, index)
    return _display(core, index, lower, upper, problem)


# ---- eligibility -----------------------------------------------------------------------------------


def _scheme_baselines(scheme: Scheme) -> pd.DataFrame:
    rows = []
    for ind in scheme.indicators:
        for base in ind.baselines:
            rows.append({"baseline_id": base.standard, "domain": scheme.domain, "indicator": ind.name,
                         "requirement": base.requirement, "unit": ind.unit if ind.unit not in (None, "1") else None,
                         "level": base.level, "mandatory": base.is_mandatory,
                         "direction": ind.direction if ind.direction in ("lower", "higher") else None})
    frame = pd.DataFrame(rows, columns=["baseline_id", "domain", "indicator", "requirement", "unit", "level",
                                        "mandatory", "direction"])
    frame.attrs["bare"] = None
    return frame


def _eligibility(scheme, dom, conditions, info, core, problem, day, baselines, prog, register, notes) -> pd.DataFrame:
    from .benchmarking import benchmark

    n = len(info)
    checks: dict[str, np.ndarray] = {}
    details: dict[str, tuple[pd.Series, pd.Series]] = {}

    base = _scheme_baselines(scheme) if baselines is None else baselines
    if isinstance(base, pd.DataFrame) and base.empty:
        notes.append(Text("方案和输入都没有国家/行业标准基准：无法证明任何标准严于基准。",
                          "Neither the scheme nor the input gives national/industry baselines: no standard can be "
                          "shown to be stricter."))
        vs_nat = pd.Series(None, index=info.index, dtype=object)
        vs_ind = vs_nat.copy()
        stricter = pd.Series(False, index=info.index)
        violation = pd.Series(False, index=info.index)
    else:
        bm = benchmark(dom, base).standards.set_index("standard_id").reindex(info.index)
        vs_nat = bm["vs_national"].astype(object)
        vs_ind = bm["vs_industry"].astype(object)
        stricter = bm["stricter"].fillna(False).astype(bool)
        violation = bm["mandatory_violation"].fillna(False).astype(bool)
    checks["not_stricter_national"] = (vs_nat.notna() & (vs_nat != "stricter")).to_numpy()
    checks["not_stricter_industry"] = (vs_ind.notna() & (vs_ind != "stricter")).to_numpy()
    checks["no_comparable_baseline"] = (~stricter & ~checks["not_stricter_national"]
                                        & ~checks["not_stricter_industry"]).to_numpy()
    checks["mandatory_violation"] = violation.to_numpy()
    verdict_zh = {"looser": "宽于", "equal": "等于", "not_comparable": "不可比"}
    verdict_en = {"looser": "looser", "equal": "equal", "not_comparable": "not comparable"}
    for code, vs in (("not_stricter_national", vs_nat), ("not_stricter_industry", vs_ind)):
        details[code] = ("（" + vs.map(verdict_zh).fillna("") + "）", " (" + vs.map(verdict_en).fillna("") + ")")

    _baseline_indicators(scheme, dom, info.index, checks, details, notes)

    min_days = prog.min_public_days
    if "published" in info.columns:
        published = pd.to_datetime(info["published"], errors="coerce")
        days = (pd.Timestamp(day) - published).dt.days
        checks["published_unknown"] = published.isna().to_numpy()
        checks["not_public_long_enough"] = (days < min_days).fillna(False).to_numpy()
        shown = days.astype("Int64").astype("string").fillna("")
        details["not_public_long_enough"] = (
            "（公开 " + shown + " 日，要求 ≥ " + str(min_days) + " 日）",
            " (public " + shown + " days, ≥ " + str(min_days) + " required)")
    else:
        notes.append(Text("数据没有公开日期列：未检查公开时间。", "The data has no publication date: public time not checked."))
    if "mass_produced" in info.columns:
        mp = info["mass_produced"].astype("boolean")
        checks["not_mass_produced"] = (mp == False).fillna(False).to_numpy()  # noqa: E712
        checks["mass_produced_unknown"] = mp.isna().to_numpy()
    else:
        notes.append(Text("数据没有“是否量产”列：未检查量产。", "The data has no mass-production column: not checked."))

    if len(conditions.columns):
        per_std = conditions.assign(standard_id=dom["standard_id"].to_numpy()).groupby("standard_id").first()
        per_std = per_std.reindex(info.index)
        failed = pd.Series("", index=info.index)
        failed_en = pd.Series("", index=info.index)
        any_failed = np.zeros(n, dtype=bool)
        for code in per_std.columns:
            bad = (per_std[code] != True).fillna(True).to_numpy()  # noqa: E712
            any_failed |= bad
            text = ENTERPRISE_CONDITIONS[code][1]
            failed = failed + np.where(bad, "；" + text.zh, "")
            failed_en = failed_en + np.where(bad, "; " + text.en, "")
        checks["enterprise_condition"] = any_failed
        details["enterprise_condition"] = ("（" + failed.str.lstrip("；") + "）", " (" + failed_en.str.lstrip("; ") + ")")
    else:
        notes.append(Text("数据没有企业条件列（文件 003 2.5）：企业条件未检查，需由评估机构核实。",
                          "The data has no enterprise-condition columns (document 003 2.5): not checked here; the "
                          "agency verifies them."))

    if register is not None and "enterprise" in info.columns:
        from .titles import TitleRegister

        reg = register if isinstance(register, TitleRegister) else TitleRegister(register)
        barred = reg.barred_list(day)
        names = set(barred.loc[barred["role"] == "enterprise", "name"])
        checks["barred"] = info["enterprise"].isin(names).fillna(False).to_numpy()
    elif register is None:
        notes.append(Text("未给出称号登记簿：未检查三年禁入。", "No title register given: 3-year bans not checked."))

    missing = problem != ""
    imputation = scheme.ranking.imputation if scheme.ranking else "none"
    if imputation == "none":
        checks["missing_core_value"] = missing.any(axis=1)
        names_zh = pd.Series("", index=info.index)
        for j, ind in enumerate(core):
            names_zh = names_zh + np.where(missing[:, j], "、" + ind.name, "")
        details["missing_core_value"] = ("（" + names_zh.str.lstrip("、") + "）", " (" + names_zh.str.lstrip("、") + ")")

    codes = [c for c in REASONS if c in checks]
    flags = np.column_stack([checks[c] for c in codes]) if codes else np.zeros((n, 0), dtype=bool)
    zh = pd.Series("", index=info.index)
    en = pd.Series("", index=info.index)
    for c, column in zip(codes, flags.T, strict=True):
        dz, de = details.get(c, ("", ""))
        zh = zh + np.where(column, "；" + REASONS[c].zh + (dz if isinstance(dz, str) else dz.to_numpy()), "")
        en = en + np.where(column, "; " + REASONS[c].en + (de if isinstance(de, str) else de.to_numpy()), "")
    code_arr = np.array(codes, dtype=object)
    reasons = [list(code_arr[row]) for row in flags]
    out = pd.DataFrame({
        "standard_id": info.index.to_numpy(),
        "enterprise": info["enterprise"].to_numpy() if "enterprise" in info.columns else None,
        "region": info["region"].to_numpy() if "region" in info.columns else None,
        "eligible": ~flags.any(axis=1),
        "reasons": reasons,
        "reasons_zh": zh.str.lstrip("；").to_numpy(),
        "reasons_en": en.str.lstrip("; ").to_numpy(),
        "vs_national": vs_nat.to_numpy(),
        "vs_industry": vs_ind.to_numpy(),
    })
    return out


def _baseline_indicators(scheme, dom, index, checks, details, notes) -> None:
    """Baseline-class indicators (底线指标): a numeric level must be met; a qualitative one is noted."""
    from .requirements import compare

    inds = [ind for ind in scheme.indicators if ind.indicator_class == "baseline" and ind.levels.items()]
    if not inds:
        return
    absent = np.zeros(len(index), dtype=bool)
    unmet = np.zeros(len(index), dtype=bool)
    names_zh = pd.Series("", index=index)
    for ind in inds:
        _, text = ind.levels.items()[-1]
        try:
            from .requirements import parse_requirement

            req = parse_requirement(text, unit=ind.unit if ind.unit not in (None, "1") else None)
        except LeaderkitError:
            req = None
        if req is None or req.kind != "numeric":
            notes.append(Text(f"底线指标“{ind.name}”为定性要求（{text}），无法由声明文本判断，需评估机构核实。",
                              f"Baseline indicator '{ind.name}' is qualitative ({text}): it cannot be checked "
                              "from the declared texts; the agency verifies it."))
            continue
        rows = dom[dom["indicator"] == ind.name].drop_duplicates("standard_id")
        texts = rows["requirement"].astype(object)
        direction = ind.direction if ind.direction in ("lower", "higher") else None
        unique = pd.unique(texts.dropna())
        verdict = {t: _safe_compare(compare, t, req, direction) for t in unique}
        ok = texts.map(verdict).isin(["stricter", "equal"]).to_numpy()
        has = index.isin(rows["standard_id"])
        met = pd.Series(ok, index=rows["standard_id"].to_numpy()).reindex(index).fillna(False).to_numpy(bool)
        absent |= ~has
        unmet |= has & ~met
        names_zh = names_zh + np.where(~has | ~met, "、" + ind.name, "")
    checks["baseline_indicator_missing"] = absent
    checks["baseline_indicator_not_met"] = unmet
    detail = ("（" + names_zh.str.lstrip("、") + "）", " (" + names_zh.str.lstrip("、") + ")")
    details["baseline_indicator_missing"] = detail
    details["baseline_indicator_not_met"] = detail


def _safe_compare(compare, text, req, direction) -> str:
    try:
        return compare(text, req, direction)
    except LeaderkitError:
        return "not_comparable"


def eligibility(scheme: Scheme, standards, *, on, baselines=None, program=None, register=None) -> pd.DataFrame:
    """Which standards may enter the ranking list, and why not (入围资格审查). One row per standard.

    Columns: standard_id, enterprise, region, eligible, reasons (codes, see REASONS), reasons_zh,
    reasons_en, vs_national, vs_industry. Checks (docs/RANKING.md gives the sources): stricter than the
    national and the industry baseline where they exist (the scheme's inline baselines, or `baselines`);
    no looser value against a mandatory limit; every numeric baseline indicator met; public at least
    `program.min_public_days` before `on`; mass-produced; the enterprise conditions of document 003 2.5 where
    the data has columns for them; not barred on `on` (`register`, a TitleRegister or its path); every
    core value present unless the scheme names an imputation.
    """
    return prepare(scheme, standards, on=on, baselines=baselines, program=program,
                   register=register).eligibility.copy()


def _frame_hash(frame: pd.DataFrame) -> bytes:
    """Order-independent hash of a frame's rows (values as text)."""
    text = frame.astype(object).where(frame.notna(), "").astype(str)
    text = text.sort_values(list(text.columns), ignore_index=True)
    return hashlib.sha256(pd.util.hash_pandas_object(text, index=False).to_numpy().tobytes()).digest()


def _hash_data(dom: pd.DataFrame, baselines, day: date, prog, elig: pd.DataFrame) -> str:
    cols = [c for c in ("standard_id", "indicator", "requirement", "unit", "published", "mass_produced",
                        "enterprise", "region") if c in dom.columns]
    h = hashlib.sha256(_frame_hash(dom[cols]))
    if isinstance(baselines, pd.DataFrame):
        h.update(_frame_hash(baselines))
    h.update(f"|{day.isoformat()}|{prog.name}|{prog.min_public_days}|".encode())
    barred = elig.loc[elig["reasons"].map(lambda r: "barred" in r), "standard_id"]
    h.update("\x1f".join(sorted(barred)).encode("utf-8"))
    return h.hexdigest()


# ---- scoring ---------------------------------------------------------------------------------------


def _threshold_values(scheme: Scheme, core: list[Indicator]) -> dict[str, dict[str, tuple[float, float]]]:
    """Level thresholds per core indicator as (lower, upper) in the scheme unit."""
    from .requirements import parse_requirement

    out: dict[str, dict[str, tuple[float, float]]] = {}
    for ind in core:
        target = _target_unit(ind)
        levels = {}
        for level, text in ind.levels.items():
            try:
                req = parse_requirement(text, unit=ind.unit if ind.unit not in (None, "1") else None)
                if target is not None and req.dimension is not None and req.dimension == target.dimension:
                    req = req.to(target.symbol)
            except LeaderkitError as exc:
                raise RankingError(
                    f"指标“{ind.name}”的{LEVEL_NAMES[level].zh}“{text}”无法读取：{exc.text.zh}",
                    f"The {LEVEL_NAMES[level].en} “{text}” of '{ind.name}' cannot be read: {exc.text.en}",
                    where=f"{scheme.id}: indicators.{ind.id}.levels.{level}") from None
            if req.kind != "numeric":
                raise RankingError(
                    f"核心指标“{ind.name}”的{LEVEL_NAMES[level].zh}“{text}”不是数值要求。",
                    f"The {LEVEL_NAMES[level].en} “{text}” of core indicator '{ind.name}' is not numeric.",
                    where=f"{scheme.id}: indicators.{ind.id}.levels.{level}")
            levels[level] = (math.nan if req.lower is None else req.lower,
                             math.nan if req.upper is None else req.upper)
        out[ind.id] = levels
    return out


def _scored_values(core, lower, upper) -> tuple[np.ndarray, dict[str, int]]:
    values = np.empty_like(lower)
    directions = {}
    for j, ind in enumerate(core):
        if ind.direction == "lower":
            values[:, j], directions[ind.id] = upper[:, j], -1
        elif ind.direction == "higher":
            values[:, j], directions[ind.id] = lower[:, j], 1
        else:
            values[:, j], directions[ind.id] = upper[:, j] - lower[:, j], -1
    return values, directions


def _levels_reached(core, lower, upper, thresholds) -> np.ndarray:
    """Level code per cell (3 leader, 2 advanced, 1 baseline, 0 none); NaN values reach nothing."""
    codes = np.zeros(lower.shape, dtype=np.int8)
    for j, ind in enumerate(core):
        for level in reversed(LEVEL_ORDER):
            if level not in thresholds[ind.id]:
                continue
            t_lo, t_hi = thresholds[ind.id][level]
            if ind.direction == "lower":
                hit = upper[:, j] <= t_hi + _REL_TOL * abs(t_hi)
            elif ind.direction == "higher":
                hit = lower[:, j] >= t_lo - _REL_TOL * abs(t_lo)
            else:
                hit = (lower[:, j] >= t_lo - _REL_TOL * abs(t_lo)) & (upper[:, j] <= t_hi + _REL_TOL * abs(t_hi))
            codes[:, j] = np.where(hit, LEVEL_CODES[level], codes[:, j])
    return codes


def _goalposts(scheme: Scheme, core, thresholds) -> dict[str, tuple[float, float]]:
    """Goalposts per core indicator: declared, else (the national baseline limit, the leader level)."""
    from .requirements import parse_requirement

    out = {}
    for ind in core:
        if ind.goalposts is not None:
            out[ind.id] = tuple(ind.goalposts)
            continue
        national = next((b for b in ind.baselines if b.level == "national"), None) or next(iter(ind.baselines), None)
        leader = thresholds[ind.id].get("leader")
        if national is None or leader is None:
            raise RankingError(
                f"goalpost 归一化需要指标“{ind.name}”的 goalposts，或国家标准限值和领跑水平。",
                f"Goalpost normalisation needs goalposts for '{ind.name}', or a national limit and a leader level.",
                where=f"{scheme.id}: indicators.{ind.id}.goalposts")
        target = _target_unit(ind)
        req = parse_requirement(national.requirement, unit=ind.unit if ind.unit not in (None, "1") else None)
        if target is not None and req.dimension == target.dimension:
            req = req.to(target.symbol)
        pair = []
        for lo, hi in ((req.lower, req.upper), leader):
            lo = math.nan if lo is None else lo
            hi = math.nan if hi is None else hi
            pair.append(hi if ind.direction == "lower" else lo if ind.direction == "higher" else hi - lo)
        out[ind.id] = (pair[0], pair[1])
    return out


def _weights(scheme: Scheme, core, data: pd.DataFrame, directions, notes) -> dict[str, float] | None:
    from .scoring import critic_weights, entropy_weights

    how = scheme.ranking.weights if scheme.ranking else "declared"
    if how == "entropy":
        w = entropy_weights(data, directions)
        notes.append(Text("权重由熵权法计算：" + "，".join(f"{k} {v:.3f}" for k, v in w.items()),
                          "Weights from the entropy method: " + ", ".join(f"{k} {v:.3f}" for k, v in w.items())))
        return w.to_dict()
    if how == "critic":
        w = critic_weights(data, directions)
        notes.append(Text("权重由 CRITIC 法计算：" + "，".join(f"{k} {v:.3f}" for k, v in w.items()),
                          "Weights from CRITIC: " + ", ".join(f"{k} {v:.3f}" for k, v in w.items())))
        return w.to_dict()
    declared = {ind.id: ind.weight for ind in core}
    if all(v is None for v in declared.values()):
        notes.append(Text("方案未声明权重：各核心指标等权。", "The scheme declares no weights: equal weights."))
        return None
    absent = [k for k, v in declared.items() if v is None]
    if absent:
        raise RankingError(f"核心指标缺少权重：{', '.join(absent)}。", f"Core indicator(s) without a weight: "
                           f"{', '.join(absent)}.", where=f"{scheme.id}: indicators.{absent[0]}.weight",
                           hint=Text("为每个核心指标声明 weight，或在 ranking.weights 中选 entropy / critic。",
                                     "Declare a weight for every core indicator, or choose ranking.weights "
                                     "entropy / critic."))
    return {k: float(v) for k, v in declared.items()}


def _score(scheme: Scheme, prep: Prepared, eligible: np.ndarray, notes: list[Text], *,
           method_override: dict | None = None) -> dict[str, Any]:
    """Scores, ranks and levels of the eligible standards by the scheme's method (method layer calls)."""
    from .scoring import composite, impute, level_points, lexicographic, topsis

    core = scheme.core_indicators()
    rk = scheme.ranking
    spec = {"method": rk.method if rk else "weighted", "normalise": rk.normalise if rk else "minmax",
            "aggregate": rk.aggregate if rk else "amean",
            "imputation": None if not rk or rk.imputation == "none" else rk.imputation}
    spec.update(method_override or {})
    thresholds = _threshold_values(scheme, core)
    values, directions = _scored_values(core, prep.lower, prep.upper)
    levels = _levels_reached(core, prep.lower, prep.upper, thresholds)
    index = prep.info.index[eligible]
    n = int(eligible.sum())
    out = {"levels": levels, "score": np.full(len(eligible), np.nan), "rank": np.zeros(len(eligible), np.int64),
           "method": spec, "imputed": []}
    if n == 0:
        return out
    data = pd.DataFrame(values[eligible], index=index, columns=[ind.id for ind in core])
    if spec["imputation"] and np.isnan(data.to_numpy()).any():
        data, report = impute(data, directions, spec["imputation"])
        filled = data.to_numpy()
        out["imputed"] = report
        sub_lower, sub_upper = prep.lower[eligible].copy(), prep.upper[eligible].copy()
        for j, ind in enumerate(core):
            hole = np.isnan(values[eligible][:, j])
            if ind.direction == "lower":
                sub_upper[hole, j] = filled[hole, j]
            elif ind.direction == "higher":
                sub_lower[hole, j] = filled[hole, j]
        levels[eligible] = _levels_reached(core, sub_lower, sub_upper, thresholds)
        notes.append(Text(f"按方案插补（{spec['imputation']}）了 {len(report)} 个缺失的核心指标值；插补值不达到区间指标的任何水平。",
                          f"{len(report)} missing core value(s) imputed as the scheme names ({spec['imputation']}); "
                          "an imputed value of a range indicator reaches no level."))
    if spec["method"] == "weighted":
        w = _weights(scheme, core, data, directions, notes)
        gp = _goalposts(scheme, core, thresholds) if spec["normalise"] == "goalpost" else None
        res = composite(data, directions, w, spec["normalise"], spec["aggregate"], spec.get("scale"), goalposts=gp)
        out["weights"] = res.attrs["method"]["weights"]
    elif spec["method"] == "topsis":
        w = _weights(scheme, core, data, directions, notes)
        res = topsis(data, directions, w)
        out["weights"] = res.attrs["method"]["weights"]
    elif spec["method"] == "levels":
        points = (rk.level_points if rk and rk.level_points else {"leader": 3, "advanced": 2, "baseline": 1})
        w = _weights(scheme, core, data, directions, notes)
        codes = pd.DataFrame(levels[eligible].astype(float), index=index, columns=data.columns)
        spec_levels = {ind.id: {"direction": "higher",
                                "thresholds": {lv: LEVEL_CODES[lv] for lv in thresholds[ind.id] if lv in points}}
                       for ind in core}
        res = level_points(codes, spec_levels, points, w)
        out["weights"] = res.attrs["method"]["weights"]
    else:
        priority = list(rk.priority) if rk and rk.priority else [ind.id for ind in core]
        by_name = {ind.name: ind.id for ind in core}
        priority = [by_name.get(p, p) for p in priority]
        res = lexicographic(data, directions, priority)
        res["score"] = np.nan
    out["score"][eligible] = res["score"].to_numpy(dtype=float)
    out["rank"][eligible] = res["rank"].to_numpy()
    return out


# ---- leaders ---------------------------------------------------------------------------------------


def _cut(ranks: np.ndarray, candidates: np.ndarray, k: int, tie_rule: str) -> tuple[np.ndarray, np.ndarray]:
    """The best `k` candidates by rank; a tie straddling position k is handled by `tie_rule`.

    Returns (selected, tied-at-the-cut). Never depends on row order.
    """
    if candidates.sum() <= k:
        return candidates.copy(), np.zeros_like(candidates)
    r_cut = np.sort(ranks[candidates])[k - 1]
    above = candidates & (ranks < r_cut)
    at = candidates & (ranks == r_cut)
    if above.sum() + at.sum() == k:
        return above | at, np.zeros_like(candidates)
    if tie_rule == "include_all":
        return above | at, at
    return above, at


def _leaders(scheme: Scheme, ranks: np.ndarray, eligible: np.ndarray, levels: np.ndarray,
             notes: list[Text]) -> tuple[np.ndarray, np.ndarray]:
    rule = scheme.leader_rule
    n = int(eligible.sum())
    none = np.zeros(len(eligible), dtype=bool)
    if rule is None:
        notes.append(Text("方案没有领跑者规则：只形成排行榜。", "The scheme has no leader rule: ranking list only."))
        return none, none.copy()
    if rule.min_participants and n < rule.min_participants:
        notes.append(Text(f"参评（符合资格）标准 {n} 项，少于方案要求的 {rule.min_participants} 项：不确定领跑者。",
                          f"{n} eligible standard(s), fewer than the scheme's minimum of {rule.min_participants}: "
                          "no leaders are named."))
        return none, none.copy()
    if n == 0:
        return none, none.copy()
    tie_names = {"include_all": Text("并列者全部入选", "all tied standards included"),
                 "exclude_all": Text("并列者全部不入选", "all tied standards left out"),
                 "panel_decides": Text("由专家组决定，暂不列入名单", "the expert panel decides; not listed until then")}
    if rule.reach_level:
        need = LEVEL_CODES[rule.reach_level]
        candidates = eligible & (levels >= need).all(axis=1)
        selected, tied = candidates, none.copy()
        notes.append(Text(f"领跑者规则：全部核心指标达到{LEVEL_NAMES[rule.reach_level].zh}，共 {int(candidates.sum())} 项。",
                          f"Leader rule: every core indicator at the {LEVEL_NAMES[rule.reach_level].en}: "
                          f"{int(candidates.sum())} standard(s)."))
    else:
        k = rule.top_n if rule.top_n else max(1, math.floor(n * rule.top_percent / 100 + 1e-9))
        what = (Text(f"前 {rule.top_n} 名", f"top {rule.top_n}") if rule.top_n else
                Text(f"前 {rule.top_percent:g}%（{n} 项中的 {k} 项）", f"top {rule.top_percent:g} % ({k} of {n})"))
        selected, tied = _cut(ranks, eligible, k, rule.tie_rule)
        notes.append(Text(f"领跑者规则：{what.zh}。", f"Leader rule: {what.en}."))
        if tied.any():
            r = int(ranks[tied][0])
            notes.append(Text(f"第 {r} 名有 {int(tied.sum())} 项并列，跨过第 {k} 位的分界：{tie_names[rule.tie_rule].zh}"
                              f"（tie_rule: {rule.tie_rule}）。",
                              f"{int(tied.sum())} standards tie at rank {r} across the cut at place {k}: "
                              f"{tie_names[rule.tie_rule].en} (tie_rule: {rule.tie_rule})."))
    if rule.max_leaders and selected.sum() > rule.max_leaders:
        before = int(selected.sum())
        selected, tied_max = _cut(ranks, selected, rule.max_leaders, rule.tie_rule)
        tied = tied | tied_max
        notes.append(Text(f"入选 {before} 项，超过上限 {rule.max_leaders} 项：按排名保留前 {rule.max_leaders} 项"
                          + (f"，第 {int(ranks[tied_max][0])} 名并列：{tie_names[rule.tie_rule].zh}" if tied_max.any() else "")
                          + "。",
                          f"{before} selected, more than the maximum of {rule.max_leaders}: the best "
                          f"{rule.max_leaders} by rank are kept"
                          + (f"; tie at rank {int(ranks[tied_max][0])}: {tie_names[rule.tie_rule].en}"
                             if tied_max.any() else "") + "."))
    return selected, tied


# ---- the result ------------------------------------------------------------------------------------


@dataclass
class Ranking:
    """A ranking list and its leaders (排行榜与领跑者名单), with the scheme and a digest of its inputs.

    table: every standard of the domain — standard_id, enterprise, region, eligible, reasons_zh, reasons_en,
        score, rank (eligible only; 1 = best, ties share the lowest number), leader, tie_at_cut,
        level_<indicator> (leader / advanced / baseline / none), value_<indicator> (declared value in the
        scheme's unit), why_zh, why_en. Eligible rows first, by rank then standard_id.
    leaders: the leader rows with why (rank, score, levels reached). excluded: ineligible rows with reasons.
    notes: imputations, ties at the cut and the tie rule, minimum participants, maximum leaders, checks
        that the data could not support. digest: sha256 of scheme digest + data hash + leaderkit version.
    """

    scheme: Scheme
    on: date
    table: pd.DataFrame
    leaders: pd.DataFrame
    excluded: pd.DataFrame
    notes: list[Text]
    digest: str
    method: dict = field(default_factory=dict)
    prepared: Prepared | None = field(default=None, repr=False)

    def to_excel(self, path) -> Path:
        """Write the publicity workbook (公示名单): see `leaderkit.publicity.write_workbook`."""
        from .publicity import write_workbook

        return write_workbook(self, path)

    def summary(self) -> str:
        """A few lines in the current language: scheme, date, counts, leaders, notes."""
        n = len(self.table)
        eligible = int(self.table["eligible"].sum())
        leaders = self.leaders
        lines = [
            tr(f"方案 {self.scheme.id}（{self.scheme.domain}），榜单日期 {self.on}",
               f"Scheme {self.scheme.id} ({self.scheme.domain}), list date {self.on}"),
            tr(f"标准 {n} 项，符合资格 {eligible} 项，不符合 {n - eligible} 项，领跑者 {len(leaders)} 项",
               f"{n} standards, {eligible} eligible, {n - eligible} excluded, {len(leaders)} leader(s)"),
        ]
        for row in leaders.itertuples(index=False):
            score = "" if pd.isna(row.score) else f" {row.score:.2f}"
            lines.append(f"  {row.rank:>3}  {row.standard_id}  {row.enterprise or ''}{score}")
        lines += [f"- {note}" for note in self.notes]
        lines.append(tr(f"校验码 {self.digest[:16]}", f"digest {self.digest[:16]}"))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"Ranking(scheme={self.scheme.id!r}, on={self.on}, standards={len(self.table)}, "
                f"eligible={int(self.table['eligible'].sum())}, leaders={len(self.leaders)})")


def _level_phrases(core, combos: np.ndarray) -> tuple[list[str], list[str]]:
    """'；领跑水平：a、b；先进水平：c' for each distinct row of level codes."""
    zh_out, en_out = [], []
    for combo in combos:
        zh, en = "", ""
        for level in LEVEL_ORDER:
            hit = [ind for ind, code in zip(core, combo, strict=True) if code == LEVEL_CODES[level]]
            if hit:
                zh += f"；{LEVEL_NAMES[level].zh}：" + "、".join(ind.name for ind in hit)
                en += f"; {LEVEL_NAMES[level].en}: " + ", ".join(ind.id for ind in hit)
        zh_out.append(zh)
        en_out.append(en)
    return zh_out, en_out


def _why(core, levels: np.ndarray, ranks, scores, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """'第 3 名，得分 71.25；领跑水平：a、b；先进水平：c' for the given rows: the level phrase is built once
    per distinct combination of levels, then spread to the rows."""
    if len(rows) == 0:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=object)
    combos, inverse = np.unique(levels[rows], axis=0, return_inverse=True)
    zh_phrase, en_phrase = (np.array(p, dtype=object)[inverse.ravel()] for p in _level_phrases(core, combos))
    r = ranks[rows].astype(str).astype(object)
    sc = scores[rows]
    shown = np.char.mod("%.2f", np.nan_to_num(sc)).astype(object)
    has = ~np.isnan(sc)
    zh = "第 " + r + " 名" + np.where(has, "，得分 " + shown, "") + zh_phrase
    en = "rank " + r + np.where(has, ", score " + shown, "") + en_phrase
    return zh, en


def rank(scheme: Scheme, standards, *, on=None, baselines=None, program=None, register=None) -> Ranking:
    """The ranking list and leaders of `scheme` on `standards` (形成排行榜并确定领跑者).

    `standards`: a frame from `load_standards`, a file path, or a `Prepared` (from `prepare`, re-scored
    without re-reading). `on`: the list date (default the scheme's timeline.ranking_date). `baselines`:
    national/industry baselines (default the scheme's inline baselines). `program`: programme profile
    (default the scheme's `programme`). `register`: a TitleRegister (or its path) for the 3-year bans.
    The method, weights, imputation and leader rule come from the scheme; see docs/RANKING.md.
    """
    from . import __version__

    prep = prepare(scheme, standards, on=on, baselines=baselines, program=program, register=register)
    notes = list(prep.notes)
    elig = prep.eligibility
    eligible = elig["eligible"].to_numpy(dtype=bool)
    core = scheme.core_indicators()
    scored = _score(scheme, prep, eligible, notes)
    levels, ranks, scores = scored["levels"], scored["rank"], scored["score"]
    if not eligible.any():
        notes.append(Text("没有符合资格的标准：不形成排行榜。", "No eligible standard: no ranking list."))
    leader, tied = _leaders(scheme, ranks, eligible, levels, notes)
    arrays = prep.arrays
    # eligibility rows are sorted by standard_id, so a stable sort keeps that order within a rank
    order = np.argsort(np.where(eligible, ranks, np.iinfo(np.int64).max), kind="stable")
    rows = np.nonzero(eligible)[0]
    why_zh = arrays["reasons_zh"].copy()
    why_en = arrays["reasons_en"].copy()
    why_zh[rows], why_en[rows] = _why(core, levels, ranks, scores, rows)
    columns: dict[str, Any] = {
        "standard_id": arrays["standard_id"][order],
        "enterprise": arrays["enterprise"][order],
        "region": arrays["region"][order],
        "eligible": eligible[order],
        "reasons_zh": arrays["reasons_zh"][order],
        "reasons_en": arrays["reasons_en"][order],
        "score": scores[order],
        "rank": pd.array(np.where(eligible, ranks, 0)[order], dtype="Int64"),
        "leader": leader[order],
        "tie_at_cut": tied[order],
    }
    columns["rank"][~columns["eligible"]] = pd.NA
    for j, ind in enumerate(core):
        columns[f"level_{ind.id}"] = _CODE_NAMES[levels[order, j]]
    for j, ind in enumerate(core):
        columns[f"value_{ind.id}"] = arrays["values"][order, j]
    columns["why_zh"] = why_zh[order]
    columns["why_en"] = why_en[order]
    table = pd.DataFrame(columns)
    is_leader = columns["leader"]
    leaders = table.loc[is_leader, ["standard_id", "enterprise", "region", "rank", "score",
                                    *[f"level_{i.id}" for i in core], "why_zh", "why_en"]].reset_index(drop=True)
    out = ~columns["eligible"]
    excluded = pd.DataFrame({
        "standard_id": columns["standard_id"][out], "enterprise": columns["enterprise"][out],
        "region": columns["region"][out], "reasons": arrays["reasons"][order][out],
        "reasons_zh": columns["reasons_zh"][out], "reasons_en": columns["reasons_en"][out],
    })
    digest = hashlib.sha256(f"{scheme.digest()}|{prep.data_hash}|{__version__}".encode()).hexdigest()
    method = dict(scored["method"])
    method["weights"] = scored.get("weights")
    method["imputed"] = scored["imputed"]
    return Ranking(scheme, prep.on, table, leaders, excluded, notes, digest, method, prep)


# ---- comparison of two schemes ---------------------------------------------------------------------


@dataclass
class SchemeComparison:
    """Two schemes' lists on the same standards (方案比较): metrics, movers and both rankings."""

    a: Ranking
    b: Ranking
    metrics: dict[str, Any]
    movers: pd.DataFrame

    def summary(self) -> str:
        m = self.metrics
        return "\n".join([
            tr(f"方案 A {self.a.scheme.id} 与方案 B {self.b.scheme.id}",
               f"Scheme A {self.a.scheme.id} vs scheme B {self.b.scheme.id}"),
            f"Kendall τ = {m['kendall_tau']:.3f}, Spearman ρ = {m['spearman_rho']:.3f}, WS = {m['ws']:.3f}",
            tr(f"共同排名 {m['n_common']} 项，仅 A {m['n_only_a']} 项，仅 B {m['n_only_b']} 项；"
               f"领跑者重合 Jaccard = {m['leader_overlap_jaccard']:.3f}",
               f"{m['n_common']} ranked by both, {m['n_only_a']} by A only, {m['n_only_b']} by B only; "
               f"leader overlap Jaccard = {m['leader_overlap_jaccard']:.3f}"),
        ])


def compare_schemes(a: Scheme, b: Scheme, standards, *, on=None, baselines=None, program=None,
                    register=None) -> SchemeComparison:
    """Rank the same standards with two schemes and compare the lists (两个方案的排行榜比较).

    metrics: kendall_tau, spearman_rho, ws (WS coefficient, A as reference), leader_overlap_jaccard,
    n_common, n_only_a, n_only_b, leaders_a, leaders_b, leaders_both — from
    `leaderkit.compare_rankings` on the eligible standards of each list. movers: standard_id, enterprise,
    rank_a, rank_b, change (rank_a − rank_b, positive = better under B), leader_a, leader_b: the standards
    whose rank or leader status differs, largest move first.
    """
    from .uncertainty import compare_rankings

    ra = rank(a, standards, on=on, baselines=baselines, program=program, register=register)
    rb = rank(b, standards, on=on if on is not None else ra.on, baselines=baselines, program=program,
              register=register)

    def ranks(r: Ranking) -> pd.Series:
        t = r.table[r.table["eligible"]]
        return pd.Series(t["rank"].astype(float).to_numpy(), index=t["standard_id"].to_numpy())

    def leader_set(r: Ranking) -> list:
        return r.leaders["standard_id"].tolist()

    res = compare_rankings(ranks(ra), ranks(rb), leader_set(ra), leader_set(rb))
    lead = res["leaders"]
    metrics = {
        "kendall_tau": res["kendall_tau"], "spearman_rho": res["spearman_rho"], "ws": res["ws"],
        "leader_overlap_jaccard": lead["jaccard"], "n_common": res["n_common"],
        "n_only_a": len(res["only_a"]), "n_only_b": len(res["only_b"]),
        "leaders_a": lead["a"], "leaders_b": lead["b"], "leaders_both": lead["both"],
    }
    movers = res["movers"].rename_axis("standard_id").reset_index()
    names = pd.concat([ra.table, rb.table]).drop_duplicates("standard_id").set_index("standard_id")["enterprise"]
    movers.insert(1, "enterprise", names.reindex(movers["standard_id"]).to_numpy())
    return SchemeComparison(ra, rb, metrics, movers.reset_index(drop=True))


# ---- robustness of a scheme's list -----------------------------------------------------------------


def scheme_robustness(scheme: Scheme, standards, *, on=None, n: int = 1000, seed: int = 0,
                      weight_noise: str | float | None = "dirichlet", threshold_noise: float | None = None,
                      normalisations=None, aggregations=None, baselines=None, program=None, register=None,
                      progress: bool = False):
    """Robustness of a scheme's list (方案排行榜的稳健性), Monte Carlo, seeded.

    Each draw perturbs the weights (``"dirichlet"`` or ±f %, as `leaderkit.robustness`), the level
    thresholds (±`threshold_noise` % of each threshold value; they move the levels method and the
    reach_level rule; an interval threshold keeps its midpoint and its half-width moves), and picks a normalisation and an aggregation among the alternatives (weighted
    method only; the scheme's own choice is always the first). The list is then rebuilt by the same
    scoring and leader rule as `rank` (ties at the cut included by the scheme's tie rule).

    When only weights, normalisation and aggregation vary on a weighted scheme with a top-N or top-% rule
    (ties included, the cut capped by max_leaders; no leader at all below min_participants), the method
    layer's `leaderkit.robustness` does the run (one matrix product per chunk of draws) and gives the
    first-order sensitivity of every choice. Otherwise every draw is rebuilt (vectorised over standards, a
    loop over draws) and the sensitivity is given for the discrete choices (normalisation, aggregation). Returns a
    `RobustnessResult` (table: nominal_rank, median_rank, rank_p05, rank_p95, mean_rank, p_leader per
    eligible standard; sensitivity: first-order share of rank variance per varied choice).
    """
    from .uncertainty import robustness

    prep = prepare(scheme, standards, on=on, baselines=baselines, program=program, register=register)
    rk = scheme.ranking
    method = rk.method if rk else "weighted"
    norms = _with_first(rk.normalise if rk else "minmax", normalisations) if method == "weighted" else None
    aggs = _with_first(rk.aggregate if rk else "amean", aggregations) if method == "weighted" else None
    rule = scheme.leader_rule
    eligible = prep.eligibility["eligible"].to_numpy(dtype=bool)
    if eligible.sum() < 2:
        raise RankingError("符合资格的标准少于 2 项，无法做稳健性分析。",
                           "Fewer than 2 eligible standards: no robustness analysis.", where=scheme.id)
    simple = (method == "weighted" and threshold_noise is None and rule is not None and rule.reach_level is None
              and rule.tie_rule == "include_all" and "goalpost" not in norms)
    if simple:
        notes: list[Text] = []
        core = scheme.core_indicators()
        values, directions = _scored_values(core, prep.lower, prep.upper)
        data = pd.DataFrame(values[eligible], index=prep.info.index[eligible], columns=[i.id for i in core])
        weights = _weights(scheme, core, data, directions, notes)
        n_eligible = int(eligible.sum())
        cut = rule.top_n if rule.top_n else max(1, math.floor(n_eligible * rule.top_percent / 100 + 1e-9))
        cut = min(cut, rule.max_leaders or cut)
        enough = not rule.min_participants or n_eligible >= rule.min_participants
        imputation = None if not rk or rk.imputation == "none" else rk.imputation
        result = robustness(data, directions, weights, n=n, weight_noise=weight_noise, normalisations=norms,
                            aggregations=aggs, leader_rule=("top_n", cut) if enough else None, seed=seed,
                            progress=progress, imputation=imputation)
        if not enough:
            result.table["p_leader"] = 0.0
        return result
    return _robustness_by_rebuild(scheme, prep, eligible, n, seed, weight_noise, threshold_noise, norms, aggs,
                                  progress)


def _with_first(first: str, options) -> list[str]:
    rest = [o for o in (options or []) if o != first]
    return [first, *rest]


def _draw_weight(rng, w0: np.ndarray, weight_noise) -> np.ndarray:
    if weight_noise is None:
        return w0
    if weight_noise == "dirichlet":
        w = np.zeros_like(w0)
        live = w0 > 0
        w[live] = rng.dirichlet(w0[live] * live.sum()) if live.sum() > 1 else 1.0
        return w
    f = float(weight_noise) / 100
    w = w0 * (1 + rng.uniform(-f, f, size=len(w0)))
    return w / w.sum()


def _robustness_by_rebuild(scheme, prep, eligible, n, seed, weight_noise, threshold_noise, norms, aggs, progress):
    from .uncertainty import RobustnessResult

    core = scheme.core_indicators()
    ids = [ind.id for ind in core]
    notes: list[Text] = []
    values, directions = _scored_values(core, prep.lower, prep.upper)
    data = pd.DataFrame(values[eligible], index=prep.info.index[eligible], columns=ids)
    declared = _weights(scheme, core, data, directions, notes)
    w0 = np.array([declared[i] for i in ids]) if declared else np.ones(len(ids))
    w0 = w0 / w0.sum()
    rng = np.random.default_rng(seed)
    m = int(eligible.sum())
    varied = [name for name, on_ in (("weights", weight_noise is not None), ("thresholds", threshold_noise is not None),
                                     ("normalisation", norms is not None and len(norms) > 1),
                                     ("aggregation", aggs is not None and len(aggs) > 1)) if on_]
    ranks = np.empty((n, m), dtype=np.int64)
    leaders = np.zeros((n, m), dtype=bool)
    choices = {"normalisation": np.zeros(n, dtype=np.int64), "aggregation": np.zeros(n, dtype=np.int64)}
    weights_drawn = np.empty((n, len(ids)))
    nominal = rank(scheme, prep)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=n, desc="scheme robustness", unit="draw")
    for d in range(n):
        w = _draw_weight(rng, w0, weight_noise)
        weights_drawn[d] = w
        changes: dict[str, Any] = {f"indicators.{i}.weight": float(v) for i, v in zip(ids, w, strict=True)}
        if threshold_noise is not None:
            f = threshold_noise / 100
            for ind in core:
                for level, text in ind.levels.items():
                    changes[f"indicators.{ind.id}.levels.{level}"] = _perturbed(ind, text, 1 + rng.uniform(-f, f))
        override = {}
        if norms is not None and len(norms) > 1:
            choices["normalisation"][d] = rng.integers(len(norms))
            override["normalise"] = norms[choices["normalisation"][d]]
        if aggs is not None and len(aggs) > 1:
            choices["aggregation"][d] = rng.integers(len(aggs))
            override["aggregate"] = aggs[choices["aggregation"][d]]
        draw = scheme.with_changes(changes)
        notes_d: list[Text] = []
        scored = _score(draw, prep, eligible, notes_d, method_override=override)
        lead, _ = _leaders(draw, scored["rank"], eligible, scored["levels"], notes_d)
        ranks[d] = scored["rank"][eligible]
        leaders[d] = lead[eligible]
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    mean = ranks.mean(axis=0)
    var = ranks.var(axis=0)
    explained = {}
    for name in ("normalisation", "aggregation"):
        if name in varied:
            c = choices[name]
            levels_ = np.unique(c)
            cond = np.stack([ranks[c == v].mean(axis=0) for v in levels_])
            share = np.array([(c == v).mean() for v in levels_])
            explained[name] = (share[:, None] * (cond - mean) ** 2).sum(axis=0)
    varies = var > 0
    by_row = pd.DataFrame({k: np.where(varies, v / np.where(varies, var, 1), np.nan) for k, v in explained.items()},
                          index=data.index)
    total = var.sum()
    sensitivity = pd.Series({k: (v.sum() / total if total > 0 else 0.0) for k, v in explained.items()},
                            name="first_order", dtype=float)
    hist = np.zeros((m, m), dtype=np.int64)
    np.add.at(hist, (np.broadcast_to(np.arange(m), ranks.shape), ranks - 1), 1)
    table = pd.DataFrame({
        "nominal_rank": nominal.table.set_index("standard_id").loc[data.index, "rank"].astype(int).to_numpy(),
        "median_rank": np.quantile(ranks, 0.5, axis=0, method="inverted_cdf").astype(int),
        "rank_p05": np.quantile(ranks, 0.05, axis=0, method="inverted_cdf").astype(int),
        "rank_p95": np.quantile(ranks, 0.95, axis=0, method="inverted_cdf").astype(int),
        "mean_rank": mean,
        "p_leader": leaders.mean(axis=0),
    }, index=data.index)
    draws = pd.DataFrame(weights_drawn, columns=ids)
    if norms is not None:
        draws.insert(0, "normalisation", np.array(norms, dtype=object)[choices["normalisation"]])
    if aggs is not None:
        draws.insert(1 if norms is not None else 0, "aggregation", np.array(aggs, dtype=object)[choices["aggregation"]])
    settings = {"indicators": ids, "weights": dict(zip(ids, w0.tolist(), strict=True)), "weight_noise": weight_noise,
                "threshold_noise": threshold_noise, "normalisations": norms, "aggregations": aggs,
                "varied": varied, "scheme": scheme.id, "rebuilt": True,
                "note": "sensitivity is given for the discrete choices (normalisation, aggregation) only"}
    return RobustnessResult(table, sensitivity, by_row, hist, draws, n, seed, settings)


def _perturbed(ind: Indicator, text: str, factor: float) -> str:
    """A threshold moved by `factor`: a one-sided limit is multiplied by it ("≤ 0.017" × 1.1 → "≤ 0.0187");
    an interval keeps its midpoint and has its half-width multiplied by it."""
    from .requirements import parse_requirement

    req = parse_requirement(text, unit=ind.unit if ind.unit not in (None, "1") else None)
    unit = f" {req.unit}" if req.unit and ind.unit not in (None, "1") else ""
    if req.lower is not None and req.upper is not None:
        mid, half = (req.lower + req.upper) / 2, (req.upper - req.lower) / 2 * factor
        return f"{mid - half:.6g}～{mid + half:.6g}{unit}"
    if req.upper is not None:
        return f"≤ {req.upper * factor:.6g}{unit}"
    return f"≥ {req.lower * factor:.6g}{unit}"
