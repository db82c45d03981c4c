"""Scheme validation (评估方案校验): clause by clause, what is missing, what breaks a rule, what is unusual.

    report = validate(Scheme.load("washing_machines_a.yaml"), program="mofcom-2023")
    report.ok            # False when any finding has severity "error"
    report.findings      # DataFrame: code, severity, message, message_en, rule, where, line, status
    report.rules         # every rule checked, with its status: pass / fail / cannot_check
    print(report.summary())

Finding codes (LK-S001 …) are stable and documented in docs/RULES_SCHEMES.md with their source document and
clause. A rule that cannot be checked because the scheme (or the programme profile) lacks the data is
reported with status "cannot_check" — it is never passed silently.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from leaderkit._kit.i18n import Text, tr
from leaderkit._kit.periods import period_end, within
from leaderkit.limits.requirements import RequirementError, compare, parse_requirement
from leaderkit.schemes.model import CONTENTS, LEVEL_NAMES, LEVEL_ORDER, Indicator, Scheme
from leaderkit.schemes.panel import expert_conflicts, same_unit
from leaderkit.schemes.programs import Program, load_program
from leaderkit.schemes.workdays import CalendarWarning, workdays_between
from leaderkit.standards.codes import credit_code_ok, is_mandatory_code

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    check: Text
    source: str


def _rule(code: str, severity: str, zh: str, en: str, source: str) -> Rule:
    return Rule(f"LK-S{code}", severity, Text(zh, en), source)


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        _rule("001", "error", "方案九项内容齐全、不为空、不是占位（略、无、待定、见附件）",
              "the nine contents are present, non-empty and not placeholders (略, 无, 待定, see the attachment)", "003 2.1"),
        _rule("002", "error", "至少有一个核心指标", "at least one core indicator", "002 四(四); 001 三(二)3"),
        _rule("003", "warning", "至少三个核心指标（leaderkit 约定，依据文件未规定）",
              "at least three core indicators (a leaderkit convention; no source document states it)", "leaderkit 约定 / convention"),
        _rule("004", "error", "核心指标有计量单位", "every core indicator has a unit", "002 四(四); 001 三(二)3"),
        _rule("005", "error", "核心指标有方向，且与分级水平的写法一致",
              "every core indicator has a direction consistent with its level texts", "001 三(二)3"),
        _rule("006", "error", "分级水平可解析；核心指标为数值要求且有领跑水平",
              "level texts parse; core levels are numeric and include the leader level", "002 四(四); 001 三(二)3"),
        _rule("007", "error", "核心指标引用了国家标准或行业标准作为对标基准",
              "every core indicator cites a national or industry baseline", "002 四(三)、四(四)"),
        _rule("008", "error", "对标标准的要求文本可解析", "baseline requirement texts parse", "002 四(四)"),
        _rule("009", "error", "分级水平严于所引用的国家标准和行业标准（不只是不同）",
              "levels are stricter than the national and industry baselines they cite (not just different)",
              "002 四(四); 004 三4; 003 2.6c"),
        _rule("010", "error", "分级水平不得宽于强制性国家标准（GB）限值：合规问题",
              "no level is looser than a mandatory (GB) limit: a compliance problem", "002 四(四); SOURCES.md"),
        _rule("011", "error", "分级水平有序：领跑严于先进严于基准",
              "levels are ordered: leader stricter than advanced stricter than baseline", "003 2.1（水平设置合理性）"),
        _rule("012", "error", "权重非负，按声明权重排行时每个核心指标都有权重",
              "weights are non-negative; with declared weights every core indicator has one", "003 2.1（评估方法）"),
        _rule("013", "error", "权重之和为 1（或声明为未归一的相对权重）",
              "weights sum to 1 (or are declared unnormalised)", "leaderkit 约定 / convention (issue 3)"),
        _rule("014", "error", "排行方法完整且与指标一致", "the ranking method is complete and consistent with the indicators",
              "001 三(二)3; 002 四(四)"),
        _rule("015", "error", "领跑者确定规则完整且一致；不使人人成为领跑者，不超过活动规定的比例",
              "the leader rule is complete and consistent; it does not make everyone a leader or exceed the "
              "programme's share",
              "001 三(二)4; 002 四(五)"),
        _rule("016", "error", "评估周期不超过上限（原则上 1 年）", "the cycle does not exceed the maximum (normally 1 year)",
              "001 三(二)2"),
        _rule("017", "error", "不以任何名义向企业收费或要求其购买检测、符合性验证、会员或服务",
              "no fee, and no paid test, conformity check, membership or service required of enterprises, under any name",
              "002 四(三); 003 1.2; 001 三(四)"),
        _rule("018", "error", "评估机构不是工作机构或其下属单位",
              "the agency is not the working organisation or one of its subsidiaries", "002 四(三)"),
        _rule("019", "error", "评估机构不在负面清单上、未被取消资格",
              "the agency is not on the negative list or disqualified", "001 三(四)"),
        _rule("020", "error", "领域属于活动的重点领域", "the domain is one of the programme's key domains",
              "002 四(二); 000 附件1; 004 三2"),
        _rule("021", "error", "评审专家人数不少于活动要求（重复列出只计一人）",
              "the review panel is at least the programme minimum (an expert listed twice counts once)",
              "001 三(一)2"),
        _rule("022", "error", "评审专家不来自方案编制单位、无利益冲突",
              "no expert is from a compiling unit or declares a conflict", "001 三(一)2"),
        _rule("023", "error", "公示期工作日数足够", "publicity windows are long enough in working days",
              "001 三(一)3、三(二)5; 004 三6"),
        _rule("024", "error", "企业标准声明截止早于排行", "the declaration deadline is before the ranking date",
              "000 附件2 一、三; 001 三(二)"),
        _rule("025", "error", "声明截止至排行满足标准最短公开时间",
              "the minimum public time fits between the declaration deadline and the ranking date",
              "003 编制说明 一(二)、2.6b"),
        _rule("026", "error", "时间安排顺序一致（方案公示→排行→名单公示→发布）",
              "the timeline is in order (scheme publicity → ranking → list publicity → publication)", "001 三(一)、三(二)"),
        _rule("027", "error", "符合活动规定的截止日期", "the programme's deadlines are kept", "000 附件2 一; 000 三"),
        _rule("028", "error", "提交结果前征得入榜企业同意（活动要求时）",
              "enterprises consent before results are submitted (where the programme requires it)", "004 三6"),
        _rule("029", "warning", "声明公开平台为活动规定的平台", "the declaration platform is the programme's",
              "002 四(一); 000 附件2 一; 004 二、三3"),
        _rule("030", "warning", "对标标准的强制性标注与编号一致（GB 强制，GB/T 推荐）",
              "the mandatory flag of a baseline agrees with its code (GB mandatory, GB/T recommended)",
              "标准编号规则 / standard numbering (not a seed)"),
        _rule("031", "warning", "底线指标不参与加权排行", "baseline (must-pass) indicators carry no ranking weight",
              "SOURCES.md 术语表 / glossary"),
        _rule("032", "warning", "统一社会信用代码格式与校验位正确", "the unified social credit code is well formed",
              "GB 32100-2015 (not a seed)"),
    ]
}


# ---- findings ----------------------------------------------------------------------------------------


class _Findings:
    def __init__(self, scheme: Scheme):
        self.scheme = scheme
        self.rows: list[dict[str, Any]] = []

    def add(self, code: str, zh: str, en: str, where: str = "", severity: str | None = None, status: str = "fail"):
        rule = RULES[f"LK-S{code}"]
        self.rows.append({
            "code": rule.code,
            "severity": severity or rule.severity,
            "message": zh,
            "message_en": en,
            "rule": rule.source,
            "where": where,
            "line": self.scheme.line_of(where) if where else None,
            "status": status,
        })

    def cannot(self, code: str, zh: str, en: str, where: str = "", severity: str = "warning"):
        self.add(code, f"无法检查：{zh}", f"cannot check: {en}", where, severity, status="cannot_check")

    def note(self, code: str, zh: str, en: str, where: str = ""):
        self.add(code, zh, en, where, "info", status="note")


@dataclass
class Report:
    """Validation report (校验报告) of one scheme against one programme."""

    findings: pd.DataFrame
    scheme_id: str
    scheme_digest: str
    program: str
    source: str | None

    @property
    def ok(self) -> bool:
        return not (self.findings["severity"] == "error").any()

    def counts(self) -> dict[str, int]:
        return {s: int((self.findings["severity"] == s).sum()) for s in SEVERITIES}

    @property
    def rules(self) -> pd.DataFrame:
        """Every rule with its status for this scheme: fail, cannot_check or pass."""
        f = self.findings
        failed = set(f.loc[(f["status"] == "fail") & (f["severity"] != "info"), "code"])
        unknown = set(f.loc[f["status"] == "cannot_check", "code"])
        rows = []
        for r in RULES.values():
            status = "fail" if r.code in failed else "cannot_check" if r.code in unknown else "pass"
            rows.append({"code": r.code, "severity": r.severity, "check": r.check.zh, "check_en": r.check.en,
                         "source": r.source, "status": status})
        return pd.DataFrame(rows)

    def summary(self) -> str:
        c = self.counts()
        verdict = tr("通过" if self.ok else "未通过", "passes" if self.ok else "fails")
        return tr(
            f"方案 {self.scheme_id}（{self.program}）：{verdict}；错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}",
            f"scheme {self.scheme_id} ({self.program}): {verdict}; {c['error']} error(s), {c['warning']} warning(s), "
            f"{c['info']} info",
        )

    def to_dict(self) -> dict[str, Any]:
        records = self.findings.astype(object).where(self.findings.notna(), None).to_dict("records")
        return {
            "scheme": self.scheme_id, "digest": self.scheme_digest, "program": self.program, "source": self.source,
            "ok": self.ok, "counts": self.counts(), "findings": records,
        }


def indicator_table(scheme: Scheme) -> pd.DataFrame:
    """Indicators with their baselines and levels side by side (指标、对标标准与分级水平对照表):
    one row per indicator and cited baseline (or one row if it cites none), with the verdict of each level
    against that baseline ("stricter", "equal", "looser", "not_comparable"; "" when a text does not parse)."""
    rows = []
    for ind in scheme.indicators:
        parsed = {}
        for level, text in ind.levels.items():
            try:
                parsed[level] = _parse(text, ind)
            except RequirementError:
                parsed[level] = None
        for base in ind.baselines or [None]:
            row = {"indicator": ind.id, "name": ind.name, "class": ind.indicator_class, "unit": ind.unit,
                   "direction": ind.direction, "weight": ind.weight,
                   **{level: getattr(ind.levels, level) for level in LEVEL_ORDER},
                   "standard": base.standard if base else None, "level": base.level if base else None,
                   "mandatory": base.is_mandatory if base else None,
                   "requirement": base.requirement if base else None}
            try:
                breq = _parse(base.requirement, ind) if base else None
            except RequirementError:
                breq = None
            for level in LEVEL_ORDER:
                req = parsed.get(level)
                row[f"{level}_vs_baseline"] = compare(req, breq, _direction(ind)) if req and breq else ""
            rows.append(row)
    return pd.DataFrame(rows)


# ---- the checks --------------------------------------------------------------------------------------


def validate(
    scheme: Scheme | str,
    program: str | Program | None = "national",
    *,
    on: date | None = None,
    overrides=None,
    titles=None,
) -> Report:
    """Check a scheme against the rules of a programme (评估方案校验).

    scheme: a Scheme or the path of a scheme file. program: a profile name or file, or a Program; None
    uses the scheme's own `programme:` (national if it has none). on: the date of the review (negative-list
    bans are counted to it; default today). overrides: holiday/workday overrides for working days.
    titles: the title register (a TitleRegister or its file): an agency disqualified there and still
    barred on `on` fails LK-S019, as one on the programme's negative list does."""
    if not isinstance(scheme, Scheme):
        scheme = Scheme.load(scheme)
    prog = load_program(program if program is not None else (scheme.programme or "national"))
    on = on or date.today()
    f = _Findings(scheme)
    _contents(scheme, f)
    _indicators(scheme, f)
    _weights(scheme, f)
    _ranking(scheme, f)
    _leader_rule(scheme, prog, f)
    _cycle_and_fees(scheme, prog, f)
    _agency(scheme, prog, on, f, titles)
    _domain(scheme, prog, f)
    _experts(scheme, prog, f)
    _timeline(scheme, prog, overrides, f)
    _programme_specific(scheme, prog, f)
    findings = pd.DataFrame(f.rows, columns=["code", "severity", "message", "message_en", "rule", "where", "line",
                                             "status"])
    findings["line"] = findings["line"].astype("Int64")
    order = findings["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    findings = findings.assign(_o=order).sort_values(["_o", "code"], kind="stable").drop(columns="_o")
    return Report(findings.reset_index(drop=True), scheme.id, scheme.digest(), prog.name, scheme.source)


def _empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not [v for v in value if not (isinstance(v, str) and not v.strip())]
    return False


PLACEHOLDERS = frozenset({"略", "无", "暂无", "待定", "待补充", "另行通知", "同上", "见附件", "详见附件", "参见附件",
                          "tbd", "todo", "n/a", "na", "none", "-", "—", "/", "…", "..."})
"""Texts that stand in for a content instead of giving it; a scheme file has no attachments, so "见附件"
(see the attachment) points at nothing that can be checked."""


def _placeholder(value) -> str | None:
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if not isinstance(text, str):
            continue
        bare = re.sub(r"[\s。．.，,；;：:（）()【】\[\]“”\"'、]+", "", text).lower()
        if bare in PLACEHOLDERS or re.fullmatch(r"(详)?见附(件|录)[0-9一二三四五六七八九十a-z]*", bare):
            return text.strip()
    return None


def _contents(s: Scheme, f: _Findings) -> None:
    for key, label in CONTENTS.items():
        value = getattr(s, key)
        if _empty(value):
            f.add("001", f"缺少方案内容“{label.zh}”（{key}）", f"the scheme lacks “{label.en}” ({key})", key)
        elif key != "indicators" and (stand_in := _placeholder(value)) is not None:
            f.add("001", f"方案内容“{label.zh}”只写了“{stand_in}”，没有给出内容",
                  f"the scheme's “{label.en}” says only “{stand_in}”: the content is not given", key)


def _ipath(i: int) -> str:
    return f"indicators[{i}]"


def _parse(text: str, ind: Indicator):
    unit = ind.measure_unit
    return parse_requirement(text, unit=unit)


def _direction(ind: Indicator) -> str | None:
    return ind.direction if ind.direction in ("higher", "lower") else None


def _indicators(s: Scheme, f: _Findings) -> None:
    core = s.core_indicators()
    if not core:
        f.add("002", "方案没有核心指标，无法形成排行榜", "the scheme has no core indicator: no ranking list can be formed",
              "indicators")
    elif len(core) < 3:
        f.add("003", f"核心指标只有 {len(core)} 个；leaderkit 建议至少 3 个（依据文件未规定此数）",
              f"only {len(core)} core indicator(s); leaderkit suggests at least 3 (no source document sets this number)", "indicators")
    for i, ind in enumerate(s.indicators):
        _indicator(i, ind, f)


def _indicator(i: int, ind: Indicator, f: _Findings) -> None:
    where, name, is_core = _ipath(i), f"{ind.name}（{ind.id}）", ind.indicator_class == "core"
    name_en = ind.id
    if is_core and _empty(ind.unit):
        f.add("004", f"核心指标 {name} 没有计量单位（无量纲写 “1”）",
              f"core indicator {name_en} has no unit (write “1” if dimensionless)", f"{where}.unit")
    if is_core and ind.direction is None:
        f.add("005", f"核心指标 {name} 没有方向（higher / lower / range）",
              f"core indicator {name_en} has no direction (higher / lower / range)", f"{where}.direction")

    levels = {}
    for level, text in ind.levels.items():
        lw = f"{where}.levels.{level}"
        try:
            req = _parse(text, ind)
        except RequirementError as exc:
            f.add("006", f"{name}的{LEVEL_NAMES[level].zh}“{text}”无法解析：{exc.text.zh}",
                  f"the {LEVEL_NAMES[level].en} of {name_en}, “{text}”, does not parse: {exc.text.en}", lw)
            continue
        if req.kind != "numeric":
            if is_core:
                f.add("006", f"核心指标 {name}的{LEVEL_NAMES[level].zh}“{text}”不是数值要求，无法分级排行",
                      f"the {LEVEL_NAMES[level].en} of core indicator {name_en}, “{text}”, is not numeric: it cannot be graded",
                      lw)
            continue
        levels[level] = req
        _direction_agrees(ind, level, req, text, lw, name, f)
    if is_core and ind.levels.leader is None:
        f.add("006", f"核心指标 {name} 没有领跑水平", f"core indicator {name_en} has no leader level", f"{where}.levels")

    national_or_industry = [b for b in ind.baselines if b.level in ("national", "industry")]
    if is_core and not national_or_industry:
        f.add("007", f"核心指标 {name} 没有引用国家标准或行业标准作为对标基准",
              f"core indicator {name_en} cites no national or industry baseline", f"{where}.baselines")
    for j, base in enumerate(ind.baselines):
        bw = f"{where}.baselines[{j}]"
        if base.mandatory is not None and base.mandatory != is_mandatory_code(base.standard):
            f.add("030", f"{base.standard} 标注为{'强制' if base.mandatory else '推荐'}，与编号不符",
                  f"{base.standard} is marked {'mandatory' if base.mandatory else 'recommended'}, which its code contradicts",
                  f"{bw}.mandatory")
        try:
            breq = _parse(base.requirement, ind)
        except RequirementError as exc:
            f.add("008", f"{name} 对标 {base.standard} 的要求“{base.requirement}”无法解析：{exc.text.zh}",
                  f"the requirement “{base.requirement}” of {base.standard} for {name_en} does not parse: {exc.text.en}",
                  f"{bw}.requirement")
            continue
        if breq.kind != "numeric":
            f.cannot("009", f"{base.standard} 对 {name}的要求“{base.requirement}”不是数值，无法比较严格程度",
                     f"{base.standard}'s requirement for {name_en}, “{base.requirement}”, is not numeric", f"{bw}.requirement")
            continue
        for level, req in levels.items():
            _against_baseline(ind, level, req, base, breq, f"{where}.levels.{level}", name, f)
    _ordered(ind, levels, where, name, f)


def _direction_agrees(ind: Indicator, level: str, req, text: str, where: str, name: str, f: _Findings) -> None:
    if ind.direction in ("higher", "lower") and req.direction not in (None, ind.direction):
        f.add("005", f"{name} 方向为 {ind.direction}，但{LEVEL_NAMES[level].zh}“{text}”是 {req.direction} 方向的要求",
              f"{ind.id} has direction {ind.direction} but its {LEVEL_NAMES[level].en} “{text}” is a "
              f"{req.direction}-is-better requirement", where)
    elif ind.direction == "range" and (req.lower is None or req.upper is None):
        f.add("005", f"{name} 方向为 range，但{LEVEL_NAMES[level].zh}“{text}”不是区间",
              f"{ind.id} has direction range but its {LEVEL_NAMES[level].en} “{text}” is not an interval", where)


def _against_baseline(ind, level, req, base, breq, where, name, f: _Findings) -> None:
    verdict = compare(req, breq, _direction(ind))
    lz, le = LEVEL_NAMES[level].zh, LEVEL_NAMES[level].en
    text = getattr(ind.levels, level)
    if verdict == "looser" and base.is_mandatory:
        f.add("010", f"{name}的{lz}“{text}”宽于强制性标准 {base.standard} 的限值“{base.requirement}”：达到该水平的产品不合规",
              f"the {le} of {ind.id}, “{text}”, is looser than the mandatory limit “{base.requirement}” of {base.standard}: "
              "a product at this level would not comply", where)
        return
    if ind.indicator_class == "baseline":
        if verdict == "looser":
            f.add("009", f"底线指标 {name}的{lz}“{text}”宽于 {base.standard} 的“{base.requirement}”",
                  f"baseline indicator {ind.id}: {le} “{text}” is looser than {base.standard}'s “{base.requirement}”", where)
    elif verdict in ("looser", "equal"):
        how = ("宽于", "looser than") if verdict == "looser" else ("等同于（未严于）", "only equal to (not stricter than)")
        f.add("009", f"{name}的{lz}“{text}”{how[0]} {base.standard} 的“{base.requirement}”",
              f"the {le} of {ind.id}, “{text}”, is {how[1]} {base.standard}'s “{base.requirement}”", where)
    if verdict == "not_comparable":
        f.cannot("009", f"{name}的{lz}“{text}”与 {base.standard} 的“{base.requirement}”无法比较（单位或区间不一致）",
                 f"the {le} of {ind.id}, “{text}”, and {base.standard}'s “{base.requirement}” are not comparable "
                 "(units or intervals differ)", where)


def _ordered(ind: Indicator, levels: dict, where: str, name: str, f: _Findings) -> None:
    present = [lv for lv in LEVEL_ORDER if lv in levels]
    for stricter, looser in zip(present, present[1:], strict=False):
        verdict = compare(levels[stricter], levels[looser], _direction(ind))
        if verdict != "stricter":
            f.add("011", f"{name}的{LEVEL_NAMES[stricter].zh}“{getattr(ind.levels, stricter)}”未严于"
                         f"{LEVEL_NAMES[looser].zh}“{getattr(ind.levels, looser)}”（{verdict}）",
                  f"the {LEVEL_NAMES[stricter].en} of {ind.id}, “{getattr(ind.levels, stricter)}”, is not stricter than "
                  f"its {LEVEL_NAMES[looser].en} “{getattr(ind.levels, looser)}” ({verdict})", f"{where}.levels.{stricter}")


def _weights(s: Scheme, f: _Findings) -> None:
    declared = s.ranking is None or s.ranking.weights == "declared"
    weighted = [(i, ind) for i, ind in enumerate(s.indicators) if ind.weight is not None]
    for i, ind in weighted:
        if ind.weight < 0:
            f.add("012", f"{ind.name}（{ind.id}）的权重 {ind.weight} 为负", f"the weight of {ind.id} is negative ({ind.weight})",
                  f"{_ipath(i)}.weight")
        if ind.indicator_class == "baseline":
            f.add("031", f"底线指标 {ind.name}（{ind.id}）是达标门槛，不应有权重",
                  f"baseline indicator {ind.id} is a must-pass floor and should carry no weight", f"{_ipath(i)}.weight")
    if s.ranking is not None and s.ranking.method == "lexicographic":
        return
    if declared:
        for i, ind in enumerate(s.indicators):
            if ind.indicator_class == "core" and ind.weight is None:
                f.add("012", f"按声明权重排行，但核心指标 {ind.name}（{ind.id}）没有权重",
                      f"ranking uses declared weights but core indicator {ind.id} has none", f"{_ipath(i)}.weight")
        total = sum(ind.weight for _, ind in weighted)
        unnormalised = s.ranking is not None and s.ranking.weights_unnormalised
        if weighted and not unnormalised and abs(total - 1) > 1e-6:
            f.add("013", f"权重之和为 {total:g}，应为 1（或在 ranking 中声明 weights_unnormalised: true）",
                  f"the weights sum to {total:g}, not 1 (or declare weights_unnormalised: true under ranking)", "indicators")
    elif weighted:
        f.note("013", f"排行采用客观权重（{s.ranking.weights}），指标中声明的权重不参与计算",
               f"objective weights ({s.ranking.weights}) are used: the declared weights are ignored", "ranking.weights")


def _ranking(s: Scheme, f: _Findings) -> None:
    r = s.ranking
    if r is None:
        f.cannot("014", "方案未给出结构化的排行方法（ranking），排行无法复现",
                 "the scheme gives no structured ranking method (ranking): the ranking cannot be reproduced", "ranking")
        return
    core = s.core_indicators()
    core_ids = {c.id for c in core}
    if r.method == "lexicographic":
        priority = r.priority or []
        unknown = [p for p in priority if p not in core_ids]
        left_out = [c for c in core_ids if c not in priority]
        if not priority or unknown or left_out:
            f.add("014", f"按优先级排行需要列出全部核心指标的顺序；未知：{unknown or '无'}，遗漏：{sorted(left_out) or '无'}",
                  f"lexicographic ranking needs every core indicator in `priority`; unknown: {unknown or 'none'}, "
                  f"missing: {sorted(left_out) or 'none'}", "ranking.priority")
    if r.method == "levels":
        if not r.level_points:
            f.add("014", "按水平计分排行需要 level_points（各水平得分）", "levels ranking needs level_points",
                  "ranking.level_points")
        for i, ind in enumerate(s.indicators):
            if ind.id in core_ids and len(ind.levels.items()) < 2:
                f.add("014", f"按水平计分排行，核心指标 {ind.name}（{ind.id}）至少需要两个水平",
                      f"levels ranking: core indicator {ind.id} needs at least two levels", f"{_ipath(i)}.levels")
    if r.method == "weighted" and r.normalise == "goalpost":
        for i, ind in enumerate(s.indicators):
            if ind.id in core_ids and ind.goalposts is None:
                f.add("014", f"goalpost 归一化需要核心指标 {ind.name}（{ind.id}）的 goalposts",
                      f"goalpost normalisation needs goalposts for core indicator {ind.id}", f"{_ipath(i)}.goalposts")
    if r.method != "weighted" and (r.normalise != "minmax" or r.aggregate != "amean"):
        f.note("014", f"normalise/aggregate 只用于 weighted 方法，{r.method} 方法不使用",
               f"normalise/aggregate apply to the weighted method only, not to {r.method}", "ranking")


def _leader_rule(s: Scheme, p: Program, f: _Findings) -> None:
    rule = s.leader_rule
    if rule is None:
        f.cannot("015", "方案未给出结构化的领跑者确定规则（leader_rule）",
                 "the scheme gives no structured leader rule (leader_rule)", "leader_rule")
        return
    if rule.reach_level:
        for i, ind in enumerate(s.indicators):
            if ind.indicator_class == "core" and getattr(ind.levels, rule.reach_level) is None:
                f.add("015", f"规则为达到{LEVEL_NAMES[rule.reach_level].zh}，但核心指标 {ind.name}（{ind.id}）没有该水平",
                      f"the rule is to reach the {LEVEL_NAMES[rule.reach_level].en}, which core indicator {ind.id} lacks",
                      f"{_ipath(i)}.levels")
    if rule.top_percent is not None and rule.top_percent >= 100:
        f.add("015", f"领跑者为排名前 {rule.top_percent:g}%：所有入榜标准都是领跑者，名单失去区分",
              f"leaders are the top {rule.top_percent:g} %: every ranked standard would lead", "leader_rule.top_percent")
    elif rule.top_percent is not None and p.max_leader_percent is not None and rule.top_percent > p.max_leader_percent:
        f.add("015", f"领跑者为排名前 {rule.top_percent:g}%，超过活动 {p.name} 的上限 {p.max_leader_percent:g}%",
              f"leaders are the top {rule.top_percent:g} %, over the {p.max_leader_percent:g} % limit of {p.name}",
              "leader_rule.top_percent")
    if rule.top_n and rule.max_leaders and rule.top_n > rule.max_leaders:
        f.add("015", f"top_n（{rule.top_n}）大于 max_leaders（{rule.max_leaders}）",
              f"top_n ({rule.top_n}) exceeds max_leaders ({rule.max_leaders})", "leader_rule.top_n")
    if rule.top_n and rule.min_participants and rule.top_n >= rule.min_participants:
        f.add("015", f"top_n（{rule.top_n}）不小于 min_participants（{rule.min_participants}）：参评最少时人人都是领跑者",
              f"top_n ({rule.top_n}) is not below min_participants ({rule.min_participants}): with the fewest "
              "participants everyone would lead", "leader_rule.top_n", severity="warning")


def _cycle_and_fees(s: Scheme, p: Program, f: _Findings) -> None:
    if s.cycle_months is None:
        f.cannot("016", "方案未给出评估周期（cycle_months）", "the scheme gives no cycle (cycle_months)", "cycle_months")
    elif s.cycle_months > p.max_cycle_months:
        f.add("016", f"评估周期 {s.cycle_months} 个月，超过上限 {p.max_cycle_months} 个月",
              f"the cycle of {s.cycle_months} months exceeds the maximum of {p.max_cycle_months}", "cycle_months")
    elif s.cycle_months > p.usual_cycle_months:
        f.note("016", f"评估周期 {s.cycle_months} 个月，长于通常的 {p.usual_cycle_months} 个月，需说明理由",
               f"the cycle of {s.cycle_months} months is longer than the usual {p.usual_cycle_months}: give the reason",
               "cycle_months")
    if s.fees is None:
        f.cannot("017", "方案未说明是否收费（fees）", "the scheme does not say whether fees are charged (fees)", "fees")
    elif (s.fees.charged or s.fees.amount > 0) and not p.fees_allowed:
        f.add("017", f"方案向企业收费（{s.fees.amount:g} 元）；评估不得向企业收取费用",
              f"the scheme charges enterprises ({s.fees.amount:g} yuan); evaluation must be free of charge", "fees")
    if not p.fees_allowed:
        for where, sentence in _disguised_fees(s):
            f.add("017", f"方案要求企业付费或购买服务（以任何名义均不允许）：“{sentence}”",
                  f"the scheme requires enterprises to pay or buy a service (not allowed under any name): “{sentence}”",
                  where)


_PAYING = re.compile(r"收费|付费|缴费|缴纳|交纳|支付|付款|有偿|费用|会费|年费|服务费|检测费|测试费|认证费|评估费|评价费|"
                     r"咨询费|赞助|购买|订购|fee|paid|payment|purchase|subscription", re.IGNORECASE)
_SERVICE = re.compile(r"(须|需|需要|应|应当|必须|要求|方可|才能|才可).{0,12}(委托|送检|送样|加入|成为|参加|参与|购买|办理|接受)"
                      r".{0,16}(检测|测试|检验|认证|符合性|合格评定|核查|验证|会员|理事|培训|咨询|服务|辅导)", re.IGNORECASE)
_NEGATED = re.compile(r"(不|免|无|未|禁止|不得|不会|不再|无需|无须|不需|不收|不向|零)[^。；;，,]{0,8}"
                      r"(收|付|缴|交|支|费|购|委托|送|加入|成为|参加|接受)", re.IGNORECASE)


def _disguised_fees(s: Scheme) -> list[tuple[str, str]]:
    """Sentences of the scheme that require enterprises to pay, or to buy a test, a conformity check, a
    membership or a service, under any name (002 四(三); 003 1.2 未以任何名义); a negated sentence
    ("不收取任何费用") is not one."""
    texts = [(key, getattr(s, key)) for key in ("purpose", "scope", "rationale", "evaluation_method",
                                                 "ranking_mechanism", "leader_mechanism", "targets", "notes")]
    texts += [(f"enterprise_information[{i}]", v) for i, v in enumerate(s.enterprise_information)]
    texts += [(f"{_ipath(i)}.note", ind.note) for i, ind in enumerate(s.indicators)]
    if s.fees is not None and not (s.fees.charged or s.fees.amount > 0):  # a declared fee is found as such
        texts.append(("fees.note", s.fees.note))
    found = []
    for where, text in texts:
        if not isinstance(text, str):
            continue
        for sentence in re.split(r"(?<=[。；;！!？?\n])", text):
            sentence = sentence.strip()
            if sentence and (_PAYING.search(sentence) or _SERVICE.search(sentence)) and not _NEGATED.search(sentence):
                found.append((where, sentence[:80]))
    return found


def _agency(s: Scheme, p: Program, on: date, f: _Findings, titles=None) -> None:
    a = s.agency
    if p.working_organisation is None:
        f.cannot("018", f"活动 {p.name} 未给出工作机构", f"programme {p.name} names no working organisation",
                 "agency", severity="info")
    else:
        names = p.working_organisation.names()
        for label, value in [("name", a.name)] + [(f"affiliations[{i}]", v) for i, v in enumerate(a.affiliations)]:
            hit = next((n for n in names if same_unit(value, n)), None)
            if hit:
                f.add("018", f"评估机构“{value}”是工作机构 {hit} 或其下属单位，不能参与评估",
                      f"“{value}” is the working organisation {hit} or part of it, which may not evaluate",
                      f"agency.{label}")
    if titles is not None:
        from leaderkit.registers.rounds import agency_barred
        from leaderkit.registers.titles import TitleRegister

        register = titles if isinstance(titles, TitleRegister) else TitleRegister(titles)
        try:
            for hit in agency_barred(register, a.name, on).itertuples(index=False):
                f.add("019", hit.message_zh, hit.message_en, "agency.name")
        finally:
            if register is not titles:
                register.close()
    if p.negative_list is None and titles is None:
        f.cannot("019", f"活动配置 {p.name} 不含负面清单，请向工作机构核实",
                 f"the profile {p.name} carries no negative list: check with the working organisation", "agency",
                 severity="info")
    else:
        for entry in p.negative_list or []:
            same = same_unit(a.name, entry.name) or (a.credit_code and entry.credit_code == a.credit_code)
            until = period_end(entry.listed_on, years=p.ban_years)
            if same and within(on, entry.listed_on, years=p.ban_years):
                f.add("019", f"评估机构在负面清单上（{entry.listed_on} 列入，禁入至 {until}（含当日）；{entry.reason or ''}）",
                      f"the agency is on the negative list (listed {entry.listed_on}, barred through {until}; "
                      f"{entry.reason or ''})", "agency.name")
            elif same and on > until:
                f.note("019", f"评估机构曾列入负面清单（{entry.listed_on}），禁入期已满",
                       f"the agency was on the negative list ({entry.listed_on}); the ban has ended", "agency.name")
    if a.credit_code is None:
        f.cannot("032", "未给出统一社会信用代码", "no unified social credit code given", "agency", severity="info")
    elif not credit_code_ok(a.credit_code):
        f.add("032", f"统一社会信用代码 {a.credit_code} 格式或校验位不正确",
              f"the unified social credit code {a.credit_code} is malformed or fails its check digit", "agency.credit_code")


def _domain(s: Scheme, p: Program, f: _Findings) -> None:
    if p.key_domains is None:
        f.cannot("020", f"活动 {p.name} 的配置未列出重点领域（{p.source('key_domains')}）",
                 f"the profile {p.name} lists no key domains ({p.source('key_domains')})", "domain", severity="info")
        return
    match = next((d for d in p.key_domains if d.domain in (s.domain, s.category)), None)
    if match is None:
        f.add("020", f"领域“{s.domain}”不在 {p.name} 的重点领域中：{'、'.join(p.domain_names())}",
              f"the domain “{s.domain}” is not a key domain of {p.name}", "domain")
    elif match.category and s.category and match.category != s.category:
        f.add("020", f"领域“{s.domain}”在 {p.name} 中属于“{match.category}”，方案写作“{s.category}”",
              f"the domain “{s.domain}” belongs to “{match.category}” in {p.name}, the scheme says “{s.category}”",
              "category", severity="warning")


def _experts(s: Scheme, p: Program, f: _Findings) -> None:
    if not s.experts:
        f.cannot("021", "方案未列出评审专家", "the scheme lists no review experts", "experts")
        f.cannot("022", "方案未列出评审专家", "the scheme lists no review experts", "experts")
        return
    people: dict[str, int] = {}
    for i, e in enumerate(s.experts):
        key = re.sub(r"\s+", "", e.name)
        if key in people:
            f.add("021", f"评审专家 {e.name} 重复列出（第 {people[key] + 1} 位与第 {i + 1} 位），只计一人",
                  f"review expert {e.name} is listed twice (entries {people[key] + 1} and {i + 1}); counted once",
                  f"experts[{i}]", severity="warning")
        people.setdefault(key, i)
    if len(people) < p.min_experts:
        f.add("021", f"评审专家 {len(people)} 人，少于 {p.min_experts} 人",
              f"{len(people)} review experts, fewer than {p.min_experts}", "experts")
    conflicts = expert_conflicts(s.experts, [s])
    names = [e.name for e in s.experts]
    for row in conflicts.itertuples():
        i = names.index(row.expert)
        f.add("022", f"评审专家 {row.expert} 不得评审本方案：{row.reason}",
              f"review expert {row.expert} may not review this scheme: {row.reason_en}", f"experts[{i}]")
    missing = [i for i, e in enumerate(s.experts) if not e.affiliation]
    for i in missing:
        f.cannot("022", f"评审专家 {s.experts[i].name} 未填写工作单位", f"expert {s.experts[i].name} gives no affiliation",
                 f"experts[{i}].affiliation")


def _timeline(s: Scheme, p: Program, overrides, f: _Findings) -> None:
    t = s.timeline
    if t is None:
        for code in ("023", "024", "025", "026"):
            f.cannot(code, "方案未给出时间安排（timeline）", "the scheme gives no timeline", "timeline")
        return
    for key, label in (("scheme_publicity", Text("方案公示", "scheme publicity")),
                       ("list_publicity", Text("排行榜和入围名单公示", "list publicity"))):
        window = getattr(t, key)
        if window is None:
            f.cannot("023", f"未给出{label.zh}期", f"no {label.en} window", f"timeline.{key}")
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CalendarWarning)
            days = workdays_between(window.start, window.end, overrides)
        for w in caught:
            if isinstance(w.message, CalendarWarning):
                f.note("023", w.message.text.zh, w.message.text.en, f"timeline.{key}")
        if days < p.publicity_working_days:
            f.add("023", f"{label.zh} {window.start}～{window.end} 只有 {days} 个工作日，应不少于 {p.publicity_working_days} 个",
                  f"{label.en} {window.start}–{window.end} has {days} working days, fewer than {p.publicity_working_days}",
                  f"timeline.{key}")

    deadline = t.declaration_deadline or p.declaration_deadline
    if deadline is None or t.ranking_date is None:
        f.cannot("024", "缺少声明截止日或排行日期", "the declaration deadline or the ranking date is missing", "timeline")
        f.cannot("025", "缺少声明截止日或排行日期", "the declaration deadline or the ranking date is missing", "timeline")
    else:
        if deadline >= t.ranking_date:
            f.add("024", f"声明截止 {deadline} 不早于排行日期 {t.ranking_date}",
                  f"the declaration deadline {deadline} is not before the ranking date {t.ranking_date}",
                  "timeline.ranking_date")
        earliest = p.public_time_met(deadline)
        need = p.public_time_text()
        if t.ranking_date < earliest:
            f.add("025", f"截止日 {deadline} 声明的标准到排行日期 {t.ranking_date} 公开不满 {need.zh}"
                         f"（最早 {earliest}）",
                  f"a standard declared on the deadline {deadline} is public for less than {need.en} "
                  f"by the ranking date {t.ranking_date} (earliest {earliest})", "timeline.ranking_date")

    sequence = [("scheme_publicity.end", t.scheme_publicity.end if t.scheme_publicity else None),
                ("ranking_date", t.ranking_date),
                ("list_publicity.start", t.list_publicity.start if t.list_publicity else None),
                ("list_publicity.end", t.list_publicity.end if t.list_publicity else None),
                ("publication_date", t.publication_date)]
    known = [(k, d) for k, d in sequence if d is not None]
    if len(known) < 2:
        f.cannot("026", "时间安排中的日期不足，无法检查先后顺序", "too few dates in the timeline to check their order",
                 "timeline")
    same_day_allowed = {("ranking_date", "list_publicity.start"), ("list_publicity.start", "list_publicity.end")}
    for (k1, d1), (k2, d2) in zip(known, known[1:], strict=False):
        if d2 < d1 or (d2 == d1 and (k1, k2) not in same_day_allowed):
            f.add("026", f"{k2}（{d2}）不晚于 {k1}（{d1}）", f"{k2} ({d2}) is not after {k1} ({d1})", f"timeline.{k2}")

    if p.declaration_deadline and t.declaration_deadline and t.declaration_deadline > p.declaration_deadline:
        f.add("027", f"声明截止 {t.declaration_deadline} 晚于活动规定的 {p.declaration_deadline}（{p.source('declaration_deadline')}）",
              f"the declaration deadline {t.declaration_deadline} is after the programme's {p.declaration_deadline}",
              "timeline.declaration_deadline")
    if p.report_deadline and t.publication_date and t.publication_date > p.report_deadline:
        f.note("027", f"发布日 {t.publication_date} 晚于活动的报送日 {p.report_deadline}（{p.source('report_deadline')}），"
                      "报送时尚无结果名单",
               f"the publication date {t.publication_date} is after the programme's report date {p.report_deadline}: "
               "no result list will be available for that report", "timeline.publication_date")


def _programme_specific(s: Scheme, p: Program, f: _Findings) -> None:
    if p.requires_enterprise_consent:
        if s.enterprise_consent is None:
            f.cannot("028", f"活动 {p.name} 要求提交前征得入榜企业同意，方案未说明（enterprise_consent）",
                     f"programme {p.name} requires enterprise consent before submission; the scheme does not say "
                     "(enterprise_consent)", "enterprise_consent")
        elif not s.enterprise_consent:
            f.add("028", "方案不在提交前征得入榜企业同意", "the scheme does not obtain enterprise consent before submission",
                  "enterprise_consent")
    if s.platform is None:
        f.cannot("029", "方案未写明企业标准声明公开平台", "the scheme does not name the declaration platform", "platform",
                 severity="info")
    elif p.platforms and s.platform not in p.platforms:
        f.add("029", f"平台“{s.platform}”不是活动 {p.name} 规定的平台：{'、'.join(p.platforms)}",
              f"the platform “{s.platform}” is not the one {p.name} uses: {', '.join(p.platforms)}", "platform")
