"""Eligibility before ranking (入围资格审查): stricter than the baselines, no mandatory violation, baseline
indicators met, public long enough, mass-produced, enterprise conditions, not barred, core values present.
docs/RANKING.md gives each rule with its source.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit.ranking.common import LEVEL_CODES, level_roles, setting
from leaderkit.ranking.values import (
    ENTERPRISE_CONDITIONS,
)
from leaderkit.schemes.model import LEVEL_NAMES, Scheme

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
    "below_entry_level": Text("核心指标未达到入榜水平", "a core indicator below the entry level"),
}


def _scheme_baselines(scheme: Scheme) -> pd.DataFrame:
    rows = []
    for ind in scheme.indicators:
        for base in ind.baselines:
            rows.append({"baseline_id": base.standard, "domain": scheme.domain, "indicator": ind.name,
                         "requirement": base.requirement, "unit": ind.measure_unit,
                         "level": base.level, "mandatory": base.is_mandatory,
                         "direction": ind.direction if ind.direction in ("lower", "higher") else None})
    frame = pd.DataFrame(rows, columns=["baseline_id", "domain", "indicator", "requirement", "unit", "level",
                                        "mandatory", "direction"])
    return frame


def check_eligibility(scheme, dom, conditions, info, core, problem, day, baselines, prog, register, notes) -> pd.DataFrame:
    from leaderkit.standards.benchmarking import benchmark

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
        late = (days < 0).fillna(False)
        details["not_public_long_enough"] = (
            ("（公开 " + shown + " 日，要求 ≥ " + str(min_days) + " 日）").mask(late, "（公开日期晚于榜单日期）"),
            (" (public " + shown + " days, ≥ " + str(min_days) + " required)").mask(
                late, " (published after the list date)"))
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
        from leaderkit.registers.titles import TitleRegister

        reg = register if isinstance(register, TitleRegister) else TitleRegister(register)
        barred = reg.barred_list(day, adjustments_bar=prog.adjustment_bans)
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
    from leaderkit.limits.requirements import compare

    inds = [ind for ind in scheme.indicators if ind.indicator_class == "baseline" and ind.levels.items()]
    if not inds:
        return
    absent = np.zeros(len(index), dtype=bool)
    unmet = np.zeros(len(index), dtype=bool)
    names_zh = pd.Series("", index=index)
    for ind in inds:
        _, text = ind.levels.items()[-1]
        try:
            from leaderkit.limits.requirements import parse_requirement

            req = parse_requirement(text, unit=ind.measure_unit)
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


def entry_floor(scheme: Scheme, core, levels: np.ndarray, eligibility: pd.DataFrame) -> pd.DataFrame:
    """The eligibility frame with the scheme's entry floor (入榜水平, `ranking.levels.entry`) applied: a
    standard whose declared value of a core indicator does not reach the entry level (a missing value reaches
    nothing) gets the reason `below_entry_level`, naming the indicators. Only core indicators that set the
    entry level are floored. Without a floor the frame is returned as is."""
    entry = level_roles(scheme).entry
    if entry == "none":
        return eligibility
    floored = setting(core, entry)
    below = (levels < LEVEL_CODES[entry]) & floored
    fails = below.any(axis=1)
    if not fails.any():
        return eligibility
    out = eligibility.copy()
    rows = np.nonzero(fails)[0]
    names = np.array([ind.name for ind in core], dtype=object)
    ids = np.array([ind.id for ind in core], dtype=object)
    what = REASONS["below_entry_level"]
    level = LEVEL_NAMES[entry]
    combos, inverse = np.unique(below[rows], axis=0, return_inverse=True)
    add_zh = np.array([f"{what.zh}（{level.zh}：{'、'.join(names[c])}）" for c in combos], dtype=object)
    add_en = np.array([f"{what.en} ({level.en}: {', '.join(ids[c])})" for c in combos], dtype=object)
    inverse = inverse.ravel()
    zh = out["reasons_zh"].to_numpy(dtype=object).copy()
    en = out["reasons_en"].to_numpy(dtype=object).copy()
    zh[rows] = np.where(zh[rows] == "", "", zh[rows] + "；") + add_zh[inverse]
    en[rows] = np.where(en[rows] == "", "", en[rows] + "; ") + add_en[inverse]
    reasons = out["reasons"].to_numpy(dtype=object).copy()
    for i in rows:
        reasons[i] = [*reasons[i], "below_entry_level"]
    out["eligible"] = out["eligible"].to_numpy(dtype=bool) & ~fails
    out["reasons"], out["reasons_zh"], out["reasons_en"] = reasons, zh, en
    return out
