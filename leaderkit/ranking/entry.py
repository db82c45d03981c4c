"""Eligibility before ranking (入围资格审查): stricter than the baselines, no mandatory violation, baseline
indicators met, a current standard, declared by the programme's deadline, public long enough, mass-produced,
enterprise conditions, the enterprise's consent where the programme asks for it, changes notified in time,
not barred, core values present. A check runs where the data has its columns; otherwise a note says it was
not made. docs/RANKING.md gives each rule with its source.
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
    "abolished": Text("标准已废止", "standard abolished"),
    "status_unknown": Text("标准状态（现行/废止）不明", "status (current/abolished) unknown"),
    "declared_after_deadline": Text("声明公开晚于活动截止日", "declared after the programme's deadline"),
    "not_public_long_enough": Text("公开时间不足", "not public long enough before the list date"),
    "published_unknown": Text("公开日期不明", "publication date unknown"),
    "not_mass_produced": Text("产品未量产定型或服务未广泛提供", "product not mass-produced / service not widely offered"),
    "mass_produced_unknown": Text("是否量产不明", "mass production unknown"),
    "enterprise_condition": Text("企业条件不满足", "enterprise condition not met"),
    "no_consent": Text("入榜企业未表示同意", "the enterprise has not consented to be listed"),
    "change_not_notified": Text("标准变更未按时告知评估机构", "change of the standard not notified to the agency in time"),
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


COMPARED_COLUMNS = ("standard_id", "domain", "indicator", "requirement", "unit", "bare", "published")
"""The columns of the declared standards that the comparison with the baselines reads."""


def _verdicts(dom: pd.DataFrame, base, ids: pd.Index) -> pd.DataFrame:
    """`benchmark(dom, base).standards`: each standard against the national and industry baselines.

    The comparison columns go to DuckDB as a Parquet file in a temporary folder, which it scans out of core
    (a frame would be copied into Python objects and hashed first); the folder is removed afterwards. A
    domain whose every standard number is a national or industry one keeps the frame (the file would be
    refused as a baselines file, which the loaded data was already checked not to be)."""
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    from leaderkit.standards.benchmarking import benchmark
    from leaderkit.standards.codes import code_level

    columns = dom[[c for c in COMPARED_COLUMNS if c in dom.columns]]
    if all(code_level(str(i)) for i in ids):
        columns.attrs = dict(dom.attrs)  # loaded already: benchmark takes it as it is
        return benchmark(columns, base).standards
    columns.attrs = {}  # the rows only (the load's list of bad rows stays out of the file)
    with tempfile.TemporaryDirectory(prefix="leaderkit-") as folder:
        path = f"{folder}/standards.parquet"
        pq.write_table(pa.Table.from_pandas(columns, preserve_index=False), path)
        bm = benchmark(path, base)
        try:
            return bm.standards
        finally:
            bm.con.close()


def check_eligibility(scheme, dom, conditions, info, core, problem, day, baselines, prog, register, notes) -> pd.DataFrame:
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
        bm = _verdicts(dom, base, info.index).set_index("standard_id").reindex(info.index)
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

    facts = _standard_facts(dom, info.index)
    _status(facts, day, checks, details, notes)
    if "published" in info.columns:
        published = pd.to_datetime(info["published"], errors="coerce")
        _deadline(published, prog, checks, details)
        _public_time(published, day, prog, checks, details)
    else:
        notes.append(Text("数据没有公开日期列：未检查公开时间。", "The data has no publication date: public time not checked."))
        if prog.declaration_deadline is not None:
            notes.append(Text(f"数据没有公开日期列：未检查是否不晚于活动截止日 {prog.declaration_deadline} 声明公开"
                              f"（{_clause(prog, 'declaration_deadline')}）。",
                              f"The data has no publication date: declaration by the programme's deadline "
                              f"{prog.declaration_deadline} ({_clause(prog, 'declaration_deadline')}) not checked."))
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

    _consent(facts, prog, checks, details, notes)
    _change_notice(facts, day, prog, checks, details, notes)

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
    # the reasons as text, added only to the rows whose check failed
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    for c, column in zip(codes, flags.T, strict=True):
        rows = np.flatnonzero(column)
        if not len(rows):
            continue
        dz, de = details.get(c, ("", ""))
        zh[rows] += "；" + REASONS[c].zh + (dz if isinstance(dz, str) else dz.to_numpy(dtype=object)[rows])
        en[rows] += "; " + REASONS[c].en + (de if isinstance(de, str) else de.to_numpy(dtype=object)[rows])
    # the codes of each distinct combination of failed checks (a bit each), then a list per standard
    bits = flags.astype(np.int64) @ (np.int64(1) << np.arange(len(codes), dtype=np.int64))
    combos, which = np.unique(bits, return_inverse=True)
    lists = [[c for j, c in enumerate(codes) if combo >> j & 1] for combo in combos.tolist()]
    reasons = [lists[k].copy() for k in which.ravel().tolist()]
    out = pd.DataFrame({
        "standard_id": info.index.to_numpy(),
        "enterprise": info["enterprise"].to_numpy() if "enterprise" in info.columns else None,
        "region": info["region"].to_numpy() if "region" in info.columns else None,
        "eligible": ~flags.any(axis=1),
        "reasons": reasons,
        "reasons_zh": pd.Series(zh, dtype=object).str.lstrip("；").to_numpy(),
        "reasons_en": pd.Series(en, dtype=object).str.lstrip("; ").to_numpy(),
        "vs_national": vs_nat.to_numpy(),
        "vs_industry": vs_ind.to_numpy(),
    })
    return out


FACT_COLUMNS = ("status", "abolished", "consent", "changed", "notified")
"""Columns of the loaded standards that eligibility reads per standard (the first value given)."""


def _standard_facts(dom: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """One row per standard of `index`: the FACT_COLUMNS the data has, the first value given on its rows."""
    present = [c for c in FACT_COLUMNS if c in dom.columns]
    if not present:
        return pd.DataFrame(index=index)
    return dom.groupby("standard_id", sort=False)[present].first().reindex(index)


def _clause(prog, parameter: str) -> str:
    """The clause a programme parameter comes from, without its quoted wording: "004 三6"."""
    return prog.source(parameter).split("（")[0].strip() or prog.name


def _day_text(days: pd.Series) -> pd.Series:
    """Days as 2023-05-01 ("" where none)."""
    return days.dt.strftime("%Y-%m-%d").astype("string").fillna("")


def _status(facts, day, checks, details, notes) -> None:
    """A current standard (现行有效, document 004 二; an abolished standard loses its place, document 001 三(三)).
    An abolished date decides where given (abolished on or before the list date); else the status column."""
    if "status" not in facts.columns and "abolished" not in facts.columns:
        notes.append(Text("数据没有标准状态列（标准状态 现行/废止，或废止日期）：未检查标准是否现行有效（文件 004 二、001 三(三)）。",
                          "The data has no status column (标准状态 current/abolished, or 废止日期): whether a standard "
                          "is current was not checked (document 004 二, 001 三(三))."))
        return
    index = facts.index
    status = facts["status"] if "status" in facts.columns else pd.Series(pd.NA, index=index, dtype="string")
    if "abolished" in facts.columns:
        on_day = pd.to_datetime(facts["abolished"], errors="coerce")
    else:
        on_day = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    dated = on_day.notna()
    abolished = (dated & (on_day <= pd.Timestamp(day))) | (~dated & (status == "abolished")).fillna(False)
    checks["abolished"] = abolished.to_numpy(bool)
    if "status" in facts.columns:
        checks["status_unknown"] = (~dated & status.isna()).to_numpy(bool)
    shown = _day_text(on_day)
    details["abolished"] = (("（废止于 " + shown + "）").where(dated, ""), (" (abolished on " + shown + ")").where(dated, ""))


def _deadline(published, prog, checks, details) -> None:
    """Declared public by the programme's deadline, that day included (document 000 附件2 一: 2023-10-31 24:00)."""
    deadline = prog.declaration_deadline
    if deadline is None:
        return
    after = (published > pd.Timestamp(deadline)).fillna(False)
    checks["declared_after_deadline"] = after.to_numpy(bool)
    shown = _day_text(published)
    details["declared_after_deadline"] = ("（" + shown + " 声明公开，截止 " + str(deadline) + "）",
                                          " (declared " + shown + ", deadline " + str(deadline) + ")")


def _public_time(published, day, prog, checks, details) -> None:
    """Public for the programme's minimum time on the list date: `Program.public_time_met` (calendar months
    as the Civil Code counts them, or days), asked once per distinct publication day."""
    known = published.dropna()
    met_on = {d: pd.Timestamp(prog.public_time_met(d.date())) for d in known.unique()}
    met = published.map(met_on)
    on = pd.Timestamp(day)
    days = (on - published).dt.days
    checks["published_unknown"] = published.isna().to_numpy()
    checks["not_public_long_enough"] = (met > on).fillna(False).to_numpy(bool)
    shown = days.astype("Int64").astype("string").fillna("")
    late = (days < 0).fillna(False)
    need = prog.public_time_text()
    if prog.min_public_months is None:
        zh = "（公开 " + shown + " 日，要求 ≥ " + need.zh + "）"
        en = " (public " + shown + " days, ≥ " + need.en + " required)"
    else:
        met_shown = _day_text(met)
        zh = "（公开 " + shown + " 日，要求满 " + need.zh + "，" + met_shown + " 起满足）"
        en = " (public " + shown + " days, " + need.en + " required, met from " + met_shown + ")"
    details["not_public_long_enough"] = (zh.mask(late, "（公开日期晚于榜单日期）"),
                                         en.mask(late, " (published after the list date)"))


def _consent(facts, prog, checks, details, notes) -> None:
    """The enterprise's consent to be listed, where the programme asks for it (document 004 三6); a missing
    answer is no consent."""
    if not prog.requires_enterprise_consent:
        return
    where = _clause(prog, "requires_enterprise_consent")
    if "consent" not in facts.columns:
        notes.append(Text(f"活动要求入榜企业同意（{where}），数据没有“企业同意”列：未检查企业同意，需由评估机构核实。",
                          f"The programme requires the enterprise's consent ({where}) and the data has no consent "
                          "column (企业同意): consent not checked; the agency verifies it."))
        return
    consent = facts["consent"].astype("boolean")
    checks["no_consent"] = (consent != True).fillna(True).to_numpy(bool)  # noqa: E712
    refused = (consent == False).fillna(False)  # noqa: E712
    details["no_consent"] = (pd.Series("（未记录）", index=facts.index).mask(refused, "（不同意）"),
                             pd.Series(" (no answer recorded)", index=facts.index).mask(refused, " (refused)"))


def _change_notice(facts, day, prog, checks, details, notes) -> None:
    """A revision, change or abolition of the standard told to the agency within the programme's working days
    (document 003 2.6e: 5), by `notice_deadline`: a change on Friday 2023-09-22 is told by Saturday 2023-10-07
    (a worked weekend day after the National Day holidays). Judged on the list date: a notice given after the
    deadline, or none given when the deadline has passed, is late; a change after the list date is not judged."""
    n = prog.change_notice_working_days
    if n is None:
        return
    missing = [c for c in ("changed", "notified") if c not in facts.columns]
    if missing:
        names = {"changed": ("变更日期", "change date"), "notified": ("告知日期", "notice date")}
        notes.append(Text(f"数据没有{'、'.join(names[c][0] for c in missing)}列：未检查标准变更是否在 {n} 个工作日内告知评估机构"
                          f"（{_clause(prog, 'change_notice_working_days')}）。",
                          f"The data has no {' and no '.join(names[c][1] for c in missing)} column: whether a change of "
                          f"a standard was notified to the agency within {n} working days "
                          f"({_clause(prog, 'change_notice_working_days')}) was not checked."))
        return
    on = pd.Timestamp(day)
    changed = pd.to_datetime(facts["changed"], errors="coerce")
    changed = changed.where(changed <= on)
    notified = pd.to_datetime(facts["notified"], errors="coerce")
    deadline = notice_deadline(changed, n)
    told = notified.where(notified <= on)  # a notice after the list date was not given on it
    late = changed.notna() & (told.fillna(on) > deadline)
    checks["change_not_notified"] = late.fillna(False).to_numpy(bool)
    c, d, t = _day_text(changed), _day_text(deadline), _day_text(told)
    details["change_not_notified"] = (
        "（" + c + " 变更，告知期限 " + d + "，" + ("告知于 " + t).where(told.notna(), "未告知") + "）",
        " (changed " + c + ", notice due by " + d + ", " + ("notified " + t).where(told.notna(), "not notified") + ")")


def notice_deadline(changed: pd.Series, working_days: int) -> pd.Series:
    """The last day to tell of a change that happened on `changed` (NaT where none): the `working_days`-th
    working day after it; the day of the change does not count (Civil Code art. 201), working days are
    mainland China's with 调休 (`schemes.workdays.workday_mask`). Same count as
    `publicity_end(changed + 1 day, working_days)`, for all rows at once."""
    import warnings

    from leaderkit.schemes.workdays import CalendarWarning, workday_mask

    days = pd.to_datetime(changed).dt.normalize()
    out = pd.Series(pd.NaT, index=changed.index, dtype="datetime64[ns]")
    known = days.dropna()
    if known.empty:
        return out
    first = known.min() + pd.Timedelta(days=1)
    start = (known - first).dt.days.to_numpy() + 1  # position of the day after the change
    extra = working_days * 3 + 40
    while True:
        span = pd.date_range(first, known.max() + pd.Timedelta(days=extra), freq="D")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CalendarWarning)
            count = np.cumsum(workday_mask(span))  # working days from `first` through each day
        before = np.where(start > 0, count[np.maximum(start - 1, 0)], 0)  # working days up to the change day
        reached = np.searchsorted(count, before + working_days, side="left")
        if reached.max() < len(span):
            break
        extra *= 2  # an override file with long holidays
    out[known.index] = span[reached]
    last = out.max().year
    # the fallback warning only for the years the deadlines reach, not the margin counted past them
    years = sorted({y for w in caught if isinstance(w.message, CalendarWarning) for y in w.message.years if y <= last})
    if years:
        warnings.warn(CalendarWarning(years), stacklevel=2)
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
        rows = dom.loc[(dom["indicator"] == ind.name).fillna(False).to_numpy(bool), ["standard_id", "requirement"]]
        rows = rows.drop_duplicates("standard_id")
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
