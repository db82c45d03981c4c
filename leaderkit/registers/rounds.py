"""The register of a programme's rounds (评估轮次登记簿): calls, schemes, publicity, objections, supervision.

A `RoundRegister` is one DuckDB file per programme with one append-only table of events; every state
(a window's status, an open objection, an open revocation case) is derived from the events, never edited:

- call (征集) — the year's call for schemes and agencies in a key domain (document 001 三(一)1, 002 四(二));
- scheme_submitted / scheme_approved — a scheme and its agency, submitted and approved after expert review
  (001 三(一)2);
- window (公示) — a publicity window: `scheme` (schemes and agencies, 001 三(一)3) or `list` (ranking list and
  leader shortlist, 001 三(二)5, 002 四(四)(五)), with its first and last day. The register takes the last
  day as given: the working-day arithmetic lives in the schemes lane (`leaderkit.schemes.round.open_window`
  counts the programme's working days with `leaderkit.schemes.workdays.publicity_end`);
- objection / objection_closed (异议) — who, when, about what; the expert handling opinion (专家评议处理意见)
  and the outcome (001 三(一)3, 三(二)5);
- published (发布) — refused unless the window has ended and every objection received is closed: a list
  is published only "经向社会公示无异议后" (002 四(四)(五));
- complaint / complaint_closed (投诉举报, 002 四(六); 001 二2);
- sampling (抽查) — product, standard, indicator, the declared requirement and the measured value; the value
  is read with `leaderkit.limits.requirements` and checked against the requirement (001 三(三)(四); 004 三7(4));
- case_opened / case_closed — a revocation case; a failed sampling opens one with reason 4
  (`sampling_failure`) in the same transaction. Deciding to revoke records the revocation in the title
  register (`TitleRegister.revoke`), which starts the 3-year ban and the loss of incentives (001 三(四),
  002 四(六), 004 三7).

Agencies and experts over the years are two more append-only tables in the same file (event ids are shared,
so an id names one event of the register):

- agency_events — grade (评价结果: the grade of an agency for a year with its consequence as facts: the
  years after it without scheme re-review, whether rectification is ordered; 003 二(二)4), rectification
  (整改验证核查: the working organisation's verification, passed or failed) and summary (年度工作情况总结,
  due by 31 December of the year, 001 二3, with the contents of 003 1.6 a–e it covers). An agency whose
  latest grade ordered a rectification not yet verified cannot submit a scheme; a scheme of an agency whose
  latest grade exempts it (一级: the two following years, 二级: the next year, in the domains it evaluated)
  can be approved without review (`approve_scheme(…, without_review=True)`);
- expert_events — the expert pool (专家库, 001 二2): joined, moved (a new affiliation), left, conflict (a
  declared conflict of interest, kept across years) and review (who reviewed which scheme). The conflict
  rules that need the schemes' compiling units live in `leaderkit.schemes.panel` (`pool_conflicts`).

`agency_barred(titles, agency, on)` says whether the title register's disqualifications (取消评估机构资格,
001 三(四); 003 二(二)4 四级) bar an agency on a day; `submit_scheme(…, titles=…)` refuses such an agency.

Every write is one transaction; `with register.batch(): …` makes several writes one transaction, so a batch
that fails anywhere records nothing. There is no method that updates or deletes: a correction is a new event.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit._kit.periods import within
from leaderkit.limits.requirements import REL_TOL, RequirementError, parse_requirement
from leaderkit.registers.store import EventStore
from leaderkit.registers.titles import BAN_YEARS, REVOCATION_REASONS, TitleError, TitleRegister, ban_end

STAGES: dict[str, Text] = {
    "scheme": Text("评估方案和评估机构公示", "publicity of the schemes and agencies"),
    "list": Text("企业标准排行榜和“领跑者”入围名单公示", "publicity of the ranking list and the leader shortlist"),
}
STAGE_CLAUSES = {"scheme": "001 三(一)3", "list": "001 三(二)5; 002 四(四)(五)"}
OBJECTION_OUTCOMES: dict[str, Text] = {
    "upheld": Text("异议成立", "objection upheld"),
    "rejected": Text("异议不成立", "objection rejected"),
    "withdrawn": Text("异议撤回", "objection withdrawn"),
}
COMPLAINT_OUTCOMES: dict[str, Text] = {
    "substantiated": Text("经核实属实", "substantiated"),
    "unfounded": Text("经核实不属实", "unfounded"),
}
CASE_OUTCOMES: dict[str, Text] = {
    "revoked": Text("取消称号", "title revoked"),
    "dismissed": Text("不予取消", "no revocation"),
}
VERDICTS: dict[str, Text] = {
    "pass": Text("符合公开标准", "meets the declared standard"),
    "fail": Text("达不到公开标准水平", "below the declared standard"),
    "not_comparable": Text("无法比较，需专家判定", "cannot be compared: an expert decides"),
}
KINDS = ("call", "scheme_submitted", "scheme_approved", "window", "objection", "objection_closed", "published",
         "complaint", "complaint_closed", "sampling", "case_opened", "case_closed")
AGENCY_KINDS = ("grade", "rectification", "summary")
EXPERT_KINDS = ("joined", "moved", "left", "conflict", "review")
RECTIFICATION_OUTCOMES: dict[str, Text] = {
    "passed": Text("整改验证通过", "rectification verified"),
    "failed": Text("整改验证未通过", "rectification not accepted"),
}
SUMMARY_CONTENTS: dict[str, Text] = {
    "a": Text("本产品或服务类别所属领域的企业标准公开情况", "public enterprise standards of the domain"),
    "b": Text("本机构所开展的企业标准排行和“领跑者”评估工作实施成效", "results of the agency's ranking and leader evaluation"),
    "c": Text("本机构已发布的企业标准排行和“领跑者”指标情况分析", "analysis of the indicators of its published lists"),
    "d": Text("本产品或服务类别所属领域的领跑标准、领跑产品或服务、领跑企业、领跑品牌推广情况",
              "promotion of the domain's leading standards, products, enterprises and brands"),
    "e": Text("本机构已发布的企业标准排行和“领跑者”名单的宣传报道及被采信或应用的情况",
              "publicity of its lists and their adoption"),
}
"""The contents of an agency's work report (document 003 1.6 a–e, one point each)."""

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS round_meta (
    programme VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE SEQUENCE IF NOT EXISTS round_event_seq START 1;
CREATE TABLE IF NOT EXISTS round_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('round_event_seq'),
    kind VARCHAR NOT NULL CHECK (kind IN ({", ".join(f"'{k}'" for k in KINDS)})),
    year INTEGER,
    domain VARCHAR,
    ref VARCHAR,
    refers_to BIGINT,
    stage VARCHAR,
    party VARCHAR,
    on_date DATE NOT NULL,
    until_date DATE,
    about VARCHAR,
    opinion VARCHAR,
    outcome VARCHAR,
    title_id VARCHAR,
    product VARCHAR,
    standard VARCHAR,
    indicator VARCHAR,
    declared VARCHAR,
    measured VARCHAR,
    reason VARCHAR,
    title_event BIGINT,
    note VARCHAR,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS agency_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('round_event_seq'),
    kind VARCHAR NOT NULL CHECK (kind IN ({", ".join(f"'{k}'" for k in AGENCY_KINDS)})),
    agency VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    on_date DATE NOT NULL,
    grade INTEGER,
    grade_name VARCHAR,
    exempt_years INTEGER,
    rectify BOOLEAN,
    rubric VARCHAR,
    covers VARCHAR,
    outcome VARCHAR,
    opinion VARCHAR,
    refers_to BIGINT,
    note VARCHAR,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS expert_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('round_event_seq'),
    kind VARCHAR NOT NULL CHECK (kind IN ({", ".join(f"'{k}'" for k in EXPERT_KINDS)})),
    expert_id VARCHAR NOT NULL,
    name VARCHAR,
    affiliation VARCHAR,
    fields VARCHAR,
    party VARCHAR,
    scheme VARCHAR,
    on_date DATE NOT NULL,
    note VARCHAR,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
"""


class RoundError(LeaderkitError, ValueError):
    """A round event that cannot be recorded (轮次事件无法登记); nothing of the write was kept."""


@dataclass(frozen=True)
class Sampling:
    """What a sampling result (抽查结果) means: its event, the verdict and the revocation case it opened."""

    event_id: int
    verdict: str
    case_id: int | None
    text: Text

    def __str__(self) -> str:
        return str(self.text)


def _day(value, what: str) -> date:
    try:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if value is None or str(value).strip() == "":
            raise ValueError
        return pd.Timestamp(str(value).strip()).date()
    except (ValueError, TypeError):
        raise RoundError(f"{what} 不是有效日期：{value!r}", f"{what} is not a valid date: {value!r}",
                         hint=Text("写成 2023-03-15 的形式", "write it as 2023-03-15")) from None


def _needed(value, what: Text) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise RoundError(f"{what.zh}不能为空", f"{what.en} is empty", hint=Text(f"填写{what.zh}", f"give the {what.en}"))
    return text


def _choice(value: str, choices: dict[str, Text], what: Text) -> str:
    if value not in choices:
        listed = "、".join(f"{k}（{t.zh}）" for k, t in choices.items())
        raise RoundError(f"未知的{what.zh} {value!r}；可用：{listed}", f"unknown {what.en} {value!r}; one of: "
                         + ", ".join(choices), hint=Text(f"从 {', '.join(choices)} 中选择", f"use one of {', '.join(choices)}"))
    return value


def same_unit(a: str | None, b: str | None) -> bool:
    """Same organisation, or one is part of the other (“中国XX研究院标准所” ⊃ “中国XX研究院”); spaces ignored.

    The one name rule of leaderkit: conflicts of experts, the working organisation, the negative list and
    the title register's disqualified agencies all ask it (`leaderkit.schemes.panel` re-exports it)."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    a, b = "".join(a.split()), "".join(b.split())
    return bool(a and b) and (a == b or a in b or b in a)


def summary_due(year: int) -> date:
    """The last day for an agency's work summary of `year`: 31 December of that year (001 二3 每年12月底前)."""
    return date(int(year), 12, 31)


def conformity(declared: str, measured: str) -> str:
    """Whether a measured value meets a declared requirement (抽查结果与公开标准比较): pass, fail, not_comparable.

    The declared requirement is a set of allowed values (`parse_requirement`); the measured text must be one
    number, with or without a unit ("0.62 mg/kg", "620 μg/kg", "0.62"; without a unit it is read in the
    requirement's unit). It passes when it lies in the set — a bound counts when the value equals it within
    `REL_TOL` and the bound is inclusive. A qualitative requirement or another dimension → not_comparable.
    """
    try:
        need = parse_requirement(declared)
    except RequirementError as exc:
        raise RoundError(f"公开标准要求“{declared}”无法解析：{exc.text.zh}",
                         f"the declared requirement {declared!r} cannot be read: {exc.text.en}") from None
    try:
        got = parse_requirement(measured)
    except RequirementError as exc:
        raise RoundError(f"实测值“{measured}”无法解析：{exc.text.zh}",
                         f"the measured value {measured!r} cannot be read: {exc.text.en}") from None
    if got.kind != "numeric" or got.lower is None or got.lower != got.upper:
        raise RoundError(f"实测值应为一个数值（可带单位），收到“{measured}”",
                         f"the measured value must be one number (with or without a unit), got {measured!r}",
                         hint=Text("例如 0.62 mg/kg", "e.g. 0.62 mg/kg"))
    if need.kind != "numeric" or (got.dimension and need.dimension and got.dimension != need.dimension):
        return "not_comparable"
    value = got.lower * (got.factor if got.dimension else need.factor)
    lo, hi = need.base_lower, need.base_upper

    def same(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=REL_TOL)

    low_ok = lo is None or (same(value, lo) and need.lower_inclusive) or (value > lo and not same(value, lo))
    high_ok = hi is None or (same(value, hi) and need.upper_inclusive) or (value < hi and not same(value, hi))
    return "pass" if low_ok and high_ok else "fail"


class RoundRegister(EventStore):
    """Register of a programme's rounds (评估轮次登记簿), stored in DuckDB, append-only.

    `RoundRegister(path, programme="national", create=True)` creates a new file for a programme;
    `RoundRegister(path)` opens an existing one (a missing file, a file that is not a DuckDB file, or a
    DuckDB file without a round register — a title register, say — is refused). `":memory:"` gives a
    throw-away register (then `programme` is needed). Use it as a context manager or call `close()`.
    """

    error = RoundError
    what = Text("轮次登记簿", "round register")

    def __init__(self, path: str | Path, *, programme: str | None = None, create: bool = False):
        memory = str(path) == ":memory:"
        if (create or memory) and not (programme or "").strip():
            raise RoundError("新建轮次登记簿需要给出活动名称", "a new round register needs the programme's name",
                             hint=Text("例如 programme='national'", "e.g. programme='national'"))
        super().__init__(
            path, create=create, refuse_existing=True,
            missing_hint=Text("检查路径；新建登记簿请用 RoundRegister(path, programme=…, create=True)"
                              "（命令行：leaderkit round create）",
                              "check the path; to start a new register use RoundRegister(path, programme=…, "
                              "create=True) (command line: leaderkit round create)"))
        tables = {r[0] for r in self._con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if not (create or memory) and "round_meta" not in tables:
            self._con.close()
            raise RoundError(f"{self.path} 不是轮次登记簿（没有 round_meta 表）",
                             f"{self.path} is not a round register (no round_meta table)", where=self.path,
                             hint=Text("称号登记簿请用 TitleRegister 打开", "open a title register with TitleRegister"))
        with self._transaction() as con:
            con.execute(_SCHEMA)
            if create or memory:
                con.execute("INSERT INTO round_meta (programme) VALUES (?)", [programme.strip()])
        self.programme = self._con.execute("SELECT programme FROM round_meta LIMIT 1").fetchone()[0]

    @contextmanager
    def batch(self) -> Iterator[RoundRegister]:
        """Several writes as one transaction: when any of them fails, none is recorded."""
        with self._transaction():
            yield self

    def _insert(self, kind: str, on: date, **values) -> int:
        cols = ["kind", "on_date", *values]
        marks = ", ".join("?" for _ in cols)
        return self._con.execute(f"INSERT INTO round_events ({', '.join(cols)}) VALUES ({marks}) RETURNING event_id",
                                 [kind, on, *values.values()]).fetchone()[0]

    def _one(self, sql: str, params: list):
        return self._con.execute(sql, params).fetchone()

    def _event(self, event_id: int, kind: str, what: Text):
        row = self._one("SELECT * FROM round_events WHERE event_id = ? AND kind = ?", [int(event_id), kind])
        if row is None:
            raise RoundError(f"没有编号为 {event_id} 的{what.zh}", f"no {what.en} with id {event_id}",
                             hint=Text("用 pending() 或 events() 查看编号", "see pending() or events() for the ids"))
        names = [d[0] for d in self._con.description]
        return dict(zip(names, row, strict=True))

    # --- calls and schemes ------------------------------------------------------------------------
    def call(self, year: int, domains: list[str], on, note: str = "") -> list[int]:
        """Record the year's call for schemes and agencies (征集评估方案和评估机构) in its key domains
        (001 三(一)1; 002 四(二)): one event per domain, all or none. A domain is called once a year."""
        on = _day(on, "征集日期 / call date")
        names = [_needed(d, Text("重点领域", "key domain")) for d in domains]
        if not names:
            raise RoundError("征集至少需要一个重点领域", "a call needs at least one key domain")
        with self._transaction():
            ids = []
            for name in names:
                if self._one("SELECT 1 FROM round_events WHERE kind = 'call' AND year = ? AND domain = ?",
                             [int(year), name]):
                    raise RoundError(f"{year} 年已征集过领域“{name}”（整批未登记）",
                                     f"{year}: the domain {name!r} was called already (nothing of the batch recorded)",
                                     hint=Text("每个领域每年征集一次", "a domain is called once a year"))
                ids.append(self._insert("call", on, year=int(year), domain=name, note=note))
            return ids

    def submit_scheme(self, scheme: str, agency: str, year: int, domain: str, on, note: str = "",
                      titles: TitleRegister | None = None) -> int:
        """Record a submitted scheme and its agency (申报评估方案); the domain must have been called that year.

        Refused when the agency's latest grade before `year` ordered a rectification that the working
        organisation has not verified by `on` (003 二(二)4 四级: 限期整改…验证核查; only 三级 and above “可在下一年度
        继续参与评估机构的遴选”), and, with `titles`, when the title register bars the agency on `on`
        (取消评估机构资格, three years: 001 三(四); `agency_barred`)."""
        scheme, agency = _needed(scheme, Text("方案编号", "scheme id")), _needed(agency, Text("评估机构", "agency"))
        on = _day(on, "申报日期 / submission date")
        if titles is not None:
            barred = agency_barred(titles, agency, on)
            if len(barred):
                hit = barred.iloc[0]
                raise RoundError(f"方案 {scheme} 未登记：{hit['message_zh']}", f"scheme {scheme} not recorded: "
                                 f"{hit['message_en']}", hint=Text("被取消资格的评估机构三年内不得从事评估工作（001 三(四)）",
                                                                   "a disqualified agency may not evaluate for three "
                                                                   "years (001 三(四))"))
        with self._transaction():
            open_rectification = self.rectification_due(agency, int(year), on)
            if open_rectification is not None:
                g = open_rectification
                raise RoundError(
                    f"方案 {scheme} 未登记：评估机构“{agency}”{g['year']} 年度评为{g['grade_name']}，限期整改，"
                    f"到 {on} 工作机构尚未验证整改结果",
                    f"scheme {scheme} not recorded: {agency!r} was graded {g['grade_name']} for {g['year']} and "
                    f"ordered to rectify; the working organisation has not verified the rectification by {on}",
                    hint=Text("整改完成后由工作机构验证核查（verify_rectification），通过后再申报（003 二(二)4 四级）",
                              "record the verification first (verify_rectification), then submit (003 二(二)4 grade 4)"))
            called = self._one("SELECT on_date FROM round_events WHERE kind = 'call' AND year = ? AND domain = ?",
                               [int(year), domain])
            if called is None or called[0] > on:
                raise RoundError(f"{year} 年未在 {on} 前征集领域“{domain}”的评估方案",
                                 f"no call for {domain!r} in {year} on or before {on}",
                                 hint=Text("先登记征集（call）", "record the call first (001 三(一)1)"))
            if self._one("SELECT 1 FROM round_events WHERE kind = 'scheme_submitted' AND ref = ?", [scheme]):
                raise RoundError(f"方案 {scheme} 已申报", f"scheme {scheme} was submitted already")
            return self._insert("scheme_submitted", on, year=int(year), domain=domain, ref=scheme, party=agency,
                                note=note)

    def approve_scheme(self, scheme: str, on, opinion: str = "", *, experts: list[str] | tuple[str, ...] = (),
                       without_review: bool = False) -> int:
        """Record a scheme approved by the expert review (通过专家评审, 001 三(一)2).

        `experts`: the pool experts (ids) who reviewed it, recorded as review events; each must be in the pool
        on `on` (an id given twice counts once). The conflict and panel-size rules that need the scheme's
        compiling units are `leaderkit.schemes.panel.approve_with_panel`, which calls this.
        `without_review=True`: approved without a new review because the agency's latest grade exempts it
        (一级: the two following years, 二级: the next year, in the domains it evaluated; 003 二(二)4) — refused
        otherwise; the grade event is recorded as the approval's source."""
        on = _day(on, "评审日期 / approval date")
        ids = list(dict.fromkeys(_needed(e, Text("专家编号", "expert id")) for e in experts))
        if without_review and ids:
            raise RoundError("免于评审的方案不登记评审专家", "a scheme approved without review has no review experts",
                             hint=Text("二者只选其一", "give experts or without_review, not both"))
        with self._transaction():
            sub = self._one("SELECT year, domain, party, on_date FROM round_events WHERE kind = 'scheme_submitted' "
                            "AND ref = ?", [scheme])
            if sub is None:
                raise RoundError(f"方案 {scheme} 未申报", f"scheme {scheme} was not submitted",
                                 hint=Text("先登记申报（submit_scheme）", "record the submission first"))
            if self._one("SELECT 1 FROM round_events WHERE kind = 'scheme_approved' AND ref = ?", [scheme]):
                raise RoundError(f"方案 {scheme} 已通过评审", f"scheme {scheme} was approved already")
            if on < sub[3]:
                raise RoundError(f"评审日期 {on} 早于申报日期 {sub[3]}", f"approval {on} is before submission {sub[3]}")
            source, outcome = None, None
            if without_review:
                grade = self.exemption(sub[2], sub[1], sub[0])
                if grade is None:
                    raise RoundError(
                        f"方案 {scheme} 不能免于评审：评估机构“{sub[2]}”在 {sub[0]} 年之前的最近一次评价没有免于评审“{sub[1]}”领域方案的结果",
                        f"scheme {scheme} cannot skip the review: the latest grade of {sub[2]!r} before {sub[0]} "
                        f"does not exempt its schemes in {sub[1]!r}",
                        hint=Text("003 二(二)4：一级后续两个年度、二级下一年度在相关领域免于重新评审；其他情况须专家评审",
                                  "003 二(二)4: grade 1 exempts the two following years, grade 2 the next, in the "
                                  "domains the agency evaluated; otherwise the experts review the scheme"))
                source, outcome = int(grade["event_id"]), "without_review"
                opinion = opinion or (f"免于重新评审：{grade['year']} 年度评为{grade['grade_name']}（003 二(二)4）")
            if ids:
                pool = self.experts(on).set_index("expert_id")
                absent = [e for e in ids if e not in pool.index]
                if absent:
                    raise RoundError(f"评审专家不在 {on} 的专家库中：{'、'.join(absent)}",
                                     f"review experts not in the pool on {on}: {', '.join(absent)}",
                                     hint=Text("评审专家从专家库中选取（001 二2、二4）；先登记入库（add_expert）",
                                               "reviewers come from the expert pool (001 二2, 二4): add them first"))
            event = self._insert("scheme_approved", on, year=sub[0], domain=sub[1], ref=scheme, party=sub[2],
                                 opinion=opinion, outcome=outcome, refers_to=source)
            for expert in ids:
                self._con.execute("INSERT INTO expert_events (kind, expert_id, scheme, on_date) VALUES "
                                  "('review', ?, ?, ?)", [expert, scheme, on])
            return event

    # --- publicity --------------------------------------------------------------------------------
    def open_window(self, stage: str, year: int, domain: str, start, end, window_id: str | None = None,
                    agency: str | None = None) -> str:
        """Record a publicity window (公示期) from `start` through `end` (both counted); returns its id.

        `end` is computed by the caller with the working-day calendar (`leaderkit.schemes.round.open_window`).
        A scheme window needs an approved scheme of the year and domain (001 三(一)3); a list window needs
        the scheme window of the year and domain published first (001 三(一)3: the agency gets the standards
        only after the scheme publicity).

        A list window belongs to an agency (the lists it publishes count for 003 2.4 and the veto “连续两年没有
        发布”): `agency` names it and must have a scheme approved for the year and domain; without it, the
        one agency approved there is taken, and when there are several the window is left to the domain
        (each of them is credited with it, `leaderkit.agencies.history.published_lists`).
        """
        stage = _choice(stage, STAGES, Text("公示阶段", "stage"))
        start, end = _day(start, "公示开始 / start"), _day(end, "公示截止 / end")
        if end < start:
            raise RoundError(f"公示截止日 {end} 早于开始日 {start}", f"the window ends ({end}) before it starts ({start})")
        wid = window_id or f"{year}/{domain}/{stage}"
        with self._transaction():
            if self._one("SELECT 1 FROM round_events WHERE kind = 'window' AND ref = ?", [wid]):
                raise RoundError(f"公示 {wid} 已登记", f"window {wid} exists already",
                                 hint=Text("重新公示请给出新的 window_id", "give a new window_id for a new publicity"))
            if stage == "scheme":
                if not self._one("SELECT 1 FROM round_events WHERE kind = 'scheme_approved' AND year = ? AND domain = ? "
                                 "AND on_date <= ?", [int(year), domain, start]):
                    raise RoundError(f"{year} 年领域“{domain}”在 {start} 前没有通过评审的方案，不能公示",
                                     f"{year} {domain!r}: no approved scheme by {start} to publicise",
                                     hint=Text("001 三(一)3：公示通过专家评审的方案", "001 三(一)3 publicises approved schemes"))
            else:
                ok = self._one("SELECT 1 FROM round_events p JOIN round_events w ON w.kind = 'window' AND w.ref = p.ref "
                               "WHERE p.kind = 'published' AND w.stage = 'scheme' AND w.year = ? AND w.domain = ? "
                               "AND p.on_date <= ?", [int(year), domain, start])
                if not ok:
                    raise RoundError(f"{year} 年领域“{domain}”的评估方案在 {start} 前尚未公示完毕发布，不能公示名单",
                                     f"{year} {domain!r}: the scheme publicity was not completed by {start}",
                                     hint=Text("001 三(一)3：方案公示无异议后评估机构才开展评估",
                                               "001 三(一)3: the evaluation starts after the scheme publicity"))
            owner = None
            if stage == "list":
                approved = [r[0] for r in self._con.execute(
                    "SELECT DISTINCT party FROM round_events WHERE kind = 'scheme_approved' AND year = ? AND domain = ? "
                    "ORDER BY party", [int(year), domain]).fetchall()]
                if agency is not None:
                    owner = _needed(agency, Text("评估机构", "agency"))
                    if owner not in approved:
                        raise RoundError(f"评估机构“{owner}”在 {year} 年领域“{domain}”没有通过评审的方案",
                                         f"{owner!r} has no approved scheme in {domain!r} for {year}",
                                         hint=Text("通过评审的机构：" + ("、".join(approved) or "无"),
                                                   "approved agencies: " + (", ".join(approved) or "none")))
                elif len(approved) == 1:
                    owner = approved[0]
            self._insert("window", start, year=int(year), domain=domain, ref=wid, stage=stage, until_date=end,
                         party=owner)
        return wid

    def _window(self, window_id: str) -> dict:
        row = self._one("SELECT event_id, stage, year, domain, on_date, until_date FROM round_events "
                        "WHERE kind = 'window' AND ref = ?", [window_id])
        if row is None:
            raise RoundError(f"没有公示 {window_id!r}", f"no window {window_id!r}",
                             hint=Text("用 windows() 查看公示编号", "see windows() for the ids"))
        return dict(zip(("event_id", "stage", "year", "domain", "start", "end"), row, strict=True))

    def object(self, window_id: str, by: str, on, about: str, note: str = "") -> int:
        """Record an objection (异议) received during a publicity window; returns its id."""
        by, about = _needed(by, Text("异议人", "objector")), _needed(about, Text("异议事项", "what it is about"))
        on = _day(on, "收到日期 / received")
        with self._transaction():
            w = self._window(window_id)
            if not w["start"] <= on <= w["end"]:
                raise RoundError(f"{on} 不在公示 {window_id} 的公示期 {w['start']}～{w['end']} 内",
                                 f"{on} is outside the window {window_id} ({w['start']} to {w['end']})",
                                 hint=Text("异议在公示期间提出（001 三(一)3、三(二)5）；期外来信按投诉举报登记",
                                           "objections are raised during the window; later letters are complaints"))
            return self._insert("objection", on, ref=window_id, year=w["year"], domain=w["domain"], party=by,
                                about=about, note=note)

    def close_objection(self, objection_id: int, on, opinion: str, outcome: str) -> int:
        """Close an objection with the expert handling opinion (专家评议处理意见) and its outcome."""
        opinion = _needed(opinion, Text("专家处理意见", "expert opinion"))
        outcome = _choice(outcome, OBJECTION_OUTCOMES, Text("异议处理结果", "objection outcome"))
        on = _day(on, "处理日期 / closed on")
        with self._transaction():
            obj = self._event(objection_id, "objection", Text("异议", "objection"))
            if self._one("SELECT 1 FROM round_events WHERE kind = 'objection_closed' AND refers_to = ?",
                         [int(objection_id)]):
                raise RoundError(f"异议 {objection_id} 已处理", f"objection {objection_id} is closed already")
            if on < obj["on_date"]:
                raise RoundError(f"处理日期 {on} 早于收到日期 {obj['on_date']}",
                                 f"closed on {on}, before it was received ({obj['on_date']})")
            return self._insert("objection_closed", on, refers_to=int(objection_id), ref=obj["ref"],
                                opinion=opinion, outcome=outcome)

    def publish(self, window_id: str, on) -> int:
        """Record the publication (发布) of what a window publicised: only after the window has ended and with
        every objection closed by `on` (002 四(四)(五) 经向社会公示无异议后发布; 001 三(一)3, 三(二)5)."""
        on = _day(on, "发布日期 / published on")
        with self._transaction():
            w = self._window(window_id)
            if self._one("SELECT 1 FROM round_events WHERE kind = 'published' AND ref = ?", [window_id]):
                raise RoundError(f"公示 {window_id} 已发布", f"window {window_id} was published already")
            if on <= w["end"]:
                raise RoundError(f"公示 {window_id} 到 {w['end']} 才结束，{on} 不能发布",
                                 f"window {window_id} runs through {w['end']}: it cannot be published on {on}",
                                 hint=Text("公示期满后发布", "publish after the window has ended"))
            still = self._open_objections(on, window_id)
            if len(still):
                ids = "、".join(str(i) for i in still["objection_id"])
                raise RoundError(f"公示 {window_id} 还有未处理的异议（{ids}），不能发布",
                                 f"window {window_id} has open objections ({ids}): it cannot be published",
                                 hint=Text(f"由工作机构组织专家评议，形成处理意见后再发布（{STAGE_CLAUSES[w['stage']]}）",
                                           f"close them with the experts' opinion first ({STAGE_CLAUSES[w['stage']]})"))
            return self._insert("published", on, ref=window_id, year=w["year"], domain=w["domain"], stage=w["stage"])

    # --- supervision ------------------------------------------------------------------------------
    def complain(self, by: str, on, about: str, title_id: str | None = None, note: str = "") -> int:
        """Record a complaint or report (投诉举报, 002 四(六)); `by` may be 匿名 for an anonymous report."""
        by, about = _needed(by, Text("投诉举报人", "complainant")), _needed(about, Text("投诉举报事项", "subject"))
        on = _day(on, "收到日期 / received")
        with self._transaction():
            return self._insert("complaint", on, party=by, about=about, title_id=title_id, note=note)

    def close_complaint(self, complaint_id: int, on, outcome: str, opinion: str) -> int:
        """Close a complaint after it was checked (核实): substantiated or unfounded, with the finding."""
        opinion = _needed(opinion, Text("核实意见", "finding"))
        outcome = _choice(outcome, COMPLAINT_OUTCOMES, Text("核实结果", "complaint outcome"))
        on = _day(on, "办结日期 / closed on")
        with self._transaction():
            c = self._event(complaint_id, "complaint", Text("投诉举报", "complaint"))
            if self._one("SELECT 1 FROM round_events WHERE kind = 'complaint_closed' AND refers_to = ?",
                         [int(complaint_id)]):
                raise RoundError(f"投诉举报 {complaint_id} 已办结", f"complaint {complaint_id} is closed already")
            if on < c["on_date"]:
                raise RoundError(f"办结日期 {on} 早于收到日期 {c['on_date']}", f"closed on {on}, before {c['on_date']}")
            return self._insert("complaint_closed", on, refers_to=int(complaint_id), outcome=outcome, opinion=opinion)

    def record_sampling(self, title_id: str, product: str, standard: str, indicator: str, declared: str,
                        measured: str, on, by: str = "", complaint: int | None = None,
                        titles: TitleRegister | None = None) -> Sampling:
        """Record a follow-up sampling result (抽查) of a leader product and judge it (`conformity`).

        A failure opens a revocation case with reason 4 (sampling_failure: 产品抽检发现达不到公开标准水平,
        001 三(四), 004 三7(4)) in the same transaction. With `titles` the title must be active on `on`.
        """
        title_id = _needed(title_id, Text("称号编号", "title id"))
        product, standard = _needed(product, Text("产品", "product")), _needed(standard, Text("标准编号", "standard"))
        indicator = _needed(indicator, Text("指标", "indicator"))
        on = _day(on, "抽查日期 / sampled on")
        verdict = conformity(_needed(declared, Text("公开标准要求", "declared requirement")),
                             _needed(measured, Text("实测值", "measured value")))
        if titles is not None:
            _active_title(titles, title_id, on)
        with self._transaction():
            if complaint is not None:
                self._event(complaint, "complaint", Text("投诉举报", "complaint"))
            event = self._insert("sampling", on, title_id=title_id, product=product, standard=standard,
                                 indicator=indicator, declared=declared, measured=measured, party=by,
                                 outcome=verdict, refers_to=complaint)
            case = self._open_case(title_id, "sampling_failure", on, event) if verdict == "fail" else None
        v = VERDICTS[verdict]
        text = Text(f"{product}（{standard}）{indicator}：实测 {measured}，公开标准要求 {declared}——{v.zh}",
                    f"{product} ({standard}) {indicator}: measured {measured}, declared {declared} — {v.en}")
        if case is not None:
            text = Text(f"{text.zh}；已立案 {case}（取消称号理由 4）", f"{text.en}; revocation case {case} opened (reason 4)")
        return Sampling(event, verdict, case, text)

    def open_case(self, title_id: str, reason: str | int, on, source: int | None = None, note: str = "") -> int:
        """Open a revocation case (取消称号案件) for one of the seven reasons (key or number 1–7), e.g. after a
        substantiated complaint of fraud (reason 6); `source` is the event that led to it."""
        with self._transaction():
            return self._open_case(_needed(title_id, Text("称号编号", "title id")), reason,
                                   _day(on, "立案日期 / opened on"), source, note)

    def _open_case(self, title_id: str, reason: str | int, on: date, source: int | None, note: str = "") -> int:
        by_number = {str(n): k for k, (n, _) in REVOCATION_REASONS.items()}
        key = by_number.get(str(reason), str(reason))
        if key not in REVOCATION_REASONS:
            raise RoundError(f"未知的取消称号理由 {reason!r}", f"unknown revocation reason {reason!r}",
                             hint=Text("001 三(四) / 004 三7 的七种情形：" + "、".join(REVOCATION_REASONS),
                                       "the seven reasons: " + ", ".join(REVOCATION_REASONS)))
        if not self.cases().query("title_id == @title_id and status == 'open'").empty:
            raise RoundError(f"称号 {title_id} 已有未结案件", f"title {title_id} has an open case already",
                             hint=Text("先结案", "decide the open case first"))
        return self._insert("case_opened", on, title_id=title_id, reason=key, refers_to=source, note=note)

    def decide_case(self, case_id: int, on, titles: TitleRegister, *, revoke: bool, opinion: str = "") -> int:
        """Decide a revocation case. `revoke=True` revokes the title in the title register (`TitleRegister.revoke`:
        the 3-year ban and the loss of incentives follow, 001 三(四), 002 四(六)); otherwise it is dismissed.

        The two files are not one transaction: the case is checked first, then the title register is written,
        then the case is closed; a refused revocation leaves the case open.
        """
        on = _day(on, "结案日期 / decided on")
        case = self._event(case_id, "case_opened", Text("案件", "case"))
        if self._one("SELECT 1 FROM round_events WHERE kind = 'case_closed' AND refers_to = ?", [int(case_id)]):
            raise RoundError(f"案件 {case_id} 已结案", f"case {case_id} is closed already")
        if on < case["on_date"]:
            raise RoundError(f"结案日期 {on} 早于立案日期 {case['on_date']}", f"decided on {on}, before {case['on_date']}")
        title_event = None
        if revoke:
            try:
                title_event = titles.revoke(case["title_id"], case["reason"], on=on,
                                            note=f"轮次登记簿案件 {case_id}" + (f"：{opinion}" if opinion else ""))
            except TitleError as exc:
                raise RoundError(f"案件 {case_id} 未结案：{exc.text.zh}", f"case {case_id} stays open: {exc.text.en}",
                                 where=exc.where, hint=exc.hint) from None
        with self._transaction():
            return self._insert("case_closed", on, refers_to=int(case_id), title_id=case["title_id"],
                                reason=case["reason"], outcome="revoked" if revoke else "dismissed",
                                opinion=opinion, title_event=title_event)

    # --- agencies over the years (003 二(二)4; 001 二3) -------------------------------------------------
    def record_grade(self, agency: str, year: int, grade: int, on, *, name: str, exempt_years: int = 0,
                     rectification: bool = False, rubric: str = "", note: str = "") -> int:
        """Record an agency's grade for a year (评价结果) and its consequence as facts: `exempt_years` — how many
        following years its schemes need no new review (003 二(二)4: 一级 2, 二级 1) — and `rectification` —
        whether it must rectify (四级: 限期整改). `leaderkit.agencies.history.record_grades` fills these from
        a grading result; a grade is recorded once per agency and year."""
        agency, name = _needed(agency, Text("评估机构", "agency")), _needed(name, Text("等级名称", "grade name"))
        on = _day(on, "评价日期 / graded on")
        if int(exempt_years) < 0:
            raise RoundError("免于评审的年数不能为负", "exempt_years must be ≥ 0")
        if on.year < int(year):
            raise RoundError(f"{year} 年度的评价不能早于该年度（{on}）", f"a grade for {year} cannot be dated {on}",
                             hint=Text("年度评价在年度工作完成后进行", "agencies are graded after the year's work"))
        with self._transaction():
            if self._one("SELECT 1 FROM agency_events WHERE kind = 'grade' AND agency = ? AND year = ?",
                         [agency, int(year)]):
                raise RoundError(f"评估机构“{agency}”{year} 年度的评价已登记", f"{agency!r} is graded for {year} already",
                                 hint=Text("每个机构每年评价一次；登记簿只追加不修改", "one grade per agency and year"))
            return self._con.execute(
                "INSERT INTO agency_events (kind, agency, year, on_date, grade, grade_name, exempt_years, rectify, "
                "rubric, note) VALUES ('grade', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING event_id",
                [agency, int(year), on, int(grade), name, int(exempt_years), bool(rectification), rubric, note]
            ).fetchone()[0]

    def verify_rectification(self, agency: str, year: int, on, outcome: str, opinion: str) -> int:
        """Record the working organisation's verification of a rectification (整改验证核查, 003 二(二)4 四级) ordered
        by the agency's grade for `year`: `passed` lets it take part in the next selection, `failed` does not
        (a later verification may pass)."""
        opinion = _needed(opinion, Text("核查意见", "verification opinion"))
        outcome = _choice(outcome, RECTIFICATION_OUTCOMES, Text("核查结果", "verification outcome"))
        on = _day(on, "核查日期 / verified on")
        with self._transaction():
            grade = self._one("SELECT event_id, on_date, rectify FROM agency_events WHERE kind = 'grade' "
                              "AND agency = ? AND year = ?", [agency, int(year)])
            if grade is None or not grade[2]:
                raise RoundError(f"评估机构“{agency}”{year} 年度没有须整改的评价结果",
                                 f"{agency!r} has no grade for {year} that ordered a rectification",
                                 hint=Text("先登记评价结果（record_grade）", "record the grade first"))
            if on < grade[1]:
                raise RoundError(f"核查日期 {on} 早于评价日期 {grade[1]}", f"verified on {on}, before the grade ({grade[1]})")
            if self._one("SELECT 1 FROM agency_events WHERE kind = 'rectification' AND refers_to = ? "
                         "AND outcome = 'passed'", [grade[0]]):
                raise RoundError(f"评估机构“{agency}”{year} 年度的整改已验证通过", f"{agency!r}: the rectification for {year} was verified already")
            return self._con.execute(
                "INSERT INTO agency_events (kind, agency, year, on_date, outcome, opinion, refers_to) "
                "VALUES ('rectification', ?, ?, ?, ?, ?, ?) RETURNING event_id",
                [agency, int(year), on, outcome, opinion, grade[0]]).fetchone()[0]

    def submit_summary(self, agency: str, year: int, on, covers=(), note: str = "") -> int:
        """Record an agency's annual work summary (年度工作情况总结), due by 31 December of the year (001 二3);
        `covers`: the contents of 003 1.6 it gives (letters a–e, `SUMMARY_CONTENTS`). The agency must have a
        scheme approved for the year; one summary per agency and year (a late one is recorded as late)."""
        agency = _needed(agency, Text("评估机构", "agency"))
        on = _day(on, "提交日期 / submitted on")
        letters = sorted({str(c).strip().lower().rstrip(")") for c in covers if str(c).strip()})
        unknown = [c for c in letters if c not in SUMMARY_CONTENTS]
        if unknown:
            raise RoundError(f"未知的总结内容 {'、'.join(unknown)}", f"unknown summary contents {', '.join(unknown)}",
                             hint=Text("003 1.6 的 a–e：" + "；".join(f"{k} {t.zh}" for k, t in SUMMARY_CONTENTS.items()),
                                       "003 1.6 a–e: " + "; ".join(f"{k} {t.en}" for k, t in SUMMARY_CONTENTS.items())))
        with self._transaction():
            if not self._one("SELECT 1 FROM round_events WHERE kind = 'scheme_approved' AND party = ? AND year = ?",
                             [agency, int(year)]):
                raise RoundError(f"评估机构“{agency}”在 {year} 年没有通过评审的方案，无须提交年度总结",
                                 f"{agency!r} had no approved scheme in {year}: no summary is due",
                                 hint=Text("检查机构名称和年度", "check the agency's name and the year"))
            if self._one("SELECT 1 FROM agency_events WHERE kind = 'summary' AND agency = ? AND year = ?",
                         [agency, int(year)]):
                raise RoundError(f"评估机构“{agency}”{year} 年度总结已登记", f"{agency!r} submitted its {year} summary already")
            if on.year < int(year):
                raise RoundError(f"{year} 年度总结不能在 {on} 提交", f"a summary of {year} cannot be dated {on}")
            return self._con.execute(
                "INSERT INTO agency_events (kind, agency, year, on_date, covers, note) VALUES ('summary', ?, ?, ?, ?, ?) "
                "RETURNING event_id", [agency, int(year), on, ";".join(letters), note]).fetchone()[0]

    def grades(self) -> pd.DataFrame:
        """Every recorded grade: agency, year, grade, grade_name, exempt_years, rectify, graded (date), rubric, and
        the rectification's state (None when none was ordered; open, passed, failed) with its date."""
        return self._frame(
            "SELECT g.event_id, g.agency, g.year, g.grade, g.grade_name, g.exempt_years, g.rectify, g.on_date AS graded, "
            "g.rubric, CASE WHEN NOT g.rectify THEN NULL WHEN v.outcome IS NULL THEN 'open' ELSE v.outcome END "
            "AS rectification, v.on_date AS verified FROM agency_events g LEFT JOIN (SELECT refers_to, "
            "arg_max(outcome, event_id) AS outcome, max(on_date) AS on_date FROM agency_events "
            "WHERE kind = 'rectification' GROUP BY refers_to) v ON v.refers_to = g.event_id "
            "WHERE g.kind = 'grade' ORDER BY g.year, g.agency")

    def summaries(self) -> pd.DataFrame:
        """Agencies' annual summaries: one row per agency and year with an approved scheme — submitted (date or
        None), due (31 December of the year, 001 二3), on_time, covers (003 1.6 letters)."""
        df = self._frame(
            "SELECT a.party AS agency, a.year, s.on_date AS submitted, s.covers FROM (SELECT DISTINCT party, year "
            "FROM round_events WHERE kind = 'scheme_approved') a LEFT JOIN agency_events s ON s.kind = 'summary' "
            "AND s.agency = a.party AND s.year = a.year ORDER BY a.year, a.party")
        df["due"] = [summary_due(int(y)) for y in df["year"]]
        df["on_time"] = [pd.notna(s) and s <= d for s, d in zip(df["submitted"], df["due"], strict=True)]
        df["covers"] = [[] if c is None or pd.isna(c) or c == "" else c.split(";") for c in df["covers"]]
        return df[["agency", "year", "due", "submitted", "on_time", "covers"]]

    def latest_grade(self, agency: str, before_year: int) -> dict | None:
        """The agency's grade for the latest year before `before_year` (the grade that governs that year)."""
        row = self._one("SELECT event_id, year, grade, grade_name, exempt_years, rectify, on_date FROM agency_events "
                        "WHERE kind = 'grade' AND agency = ? AND year < ? ORDER BY year DESC LIMIT 1",
                        [agency, int(before_year)])
        if row is None:
            return None
        return dict(zip(("event_id", "year", "grade", "grade_name", "exempt_years", "rectify", "graded"), row,
                        strict=True))

    def exemption(self, agency: str, domain: str, year: int) -> dict | None:
        """The grade that exempts the agency's scheme in `domain` for `year` from a new review, or None.

        The latest grade before `year` governs (a later, lower grade ends an earlier exemption): it exempts when
        `year` − its year ≤ its `exempt_years` and the agency had an approved scheme in `domain` in the graded
        year (“相关产品或服务领域”, 003 二(二)4)."""
        grade = self.latest_grade(agency, year)
        if grade is None or int(year) - grade["year"] > grade["exempt_years"]:
            return None
        if not self._one("SELECT 1 FROM round_events WHERE kind = 'scheme_approved' AND party = ? AND year = ? "
                         "AND domain = ?", [agency, grade["year"], domain]):
            return None
        return grade

    def rectification_due(self, agency: str, year: int, on) -> dict | None:
        """The grade before `year` whose rectification is not verified (passed) by `on`, or None."""
        on = _day(on, "on")
        grade = self.latest_grade(agency, year)
        if grade is None or not grade["rectify"]:
            return None
        if self._one("SELECT 1 FROM agency_events WHERE kind = 'rectification' AND refers_to = ? AND outcome = 'passed' "
                     "AND on_date <= ?", [grade["event_id"], on]):
            return None
        return grade

    # --- the expert pool (专家库, 001 二2) ---------------------------------------------------------------
    def add_expert(self, expert_id: str, name: str, affiliation: str, on, fields=(), note: str = "") -> int:
        """An expert joins the pool (入库) on `on`, with the affiliation (工作单位) and the fields (专业领域) they
        cover. An expert who left may join again; one still in the pool may not."""
        expert_id, name = _needed(expert_id, Text("专家编号", "expert id")), _needed(name, Text("专家姓名", "name"))
        affiliation = _needed(affiliation, Text("工作单位", "affiliation"))
        on = _day(on, "入库日期 / joined on")
        with self._transaction():
            last = self._last_expert_event(expert_id)
            if last is not None and last["kind"] != "left":
                raise RoundError(f"专家 {expert_id} 已在专家库中", f"expert {expert_id} is in the pool already",
                                 hint=Text("单位变动请用 move_expert", "record a new affiliation with move_expert"))
            if last is not None and on < last["on_date"]:
                raise RoundError(f"入库日期 {on} 早于专家 {expert_id} 的上一条记录（{last['on_date']}）",
                                 f"joined on {on}, before the expert's last event ({last['on_date']})")
            return self._expert_insert("joined", expert_id, on, name=name, affiliation=affiliation,
                                       fields=";".join(str(f).strip() for f in fields if str(f).strip()), note=note)

    def move_expert(self, expert_id: str, affiliation: str, on, note: str = "") -> int:
        """An expert of the pool changes affiliation (工作单位变动) from `on`; the old one stays in the history."""
        affiliation = _needed(affiliation, Text("工作单位", "affiliation"))
        on = _day(on, "变动日期 / moved on")
        with self._transaction():
            last = self._in_pool(expert_id, on)
            return self._expert_insert("moved", expert_id, on, name=last["name"], affiliation=affiliation, note=note)

    def retire_expert(self, expert_id: str, on, reason: str) -> int:
        """An expert leaves the pool (出库, 动态调整) on `on`; from that day they may not review."""
        reason = _needed(reason, Text("出库原因", "reason"))
        on = _day(on, "出库日期 / left on")
        with self._transaction():
            last = self._in_pool(expert_id, on)
            return self._expert_insert("left", expert_id, on, name=last["name"], note=reason)

    def declare_conflict(self, expert_id: str, party: str, on, note: str = "") -> int:
        """An expert declares a conflict of interest (利益冲突) with a unit, an agency or a scheme id; it holds
        for every later review, in every year."""
        party = _needed(party, Text("利益冲突对象", "conflict with"))
        on = _day(on, "申报日期 / declared on")
        with self._transaction():
            last = self._last_expert_event(expert_id)
            if last is None:
                raise RoundError(f"专家库中没有专家 {expert_id}", f"no expert {expert_id} in the pool",
                                 hint=Text("先登记入库（add_expert）", "add the expert first"))
            return self._expert_insert("conflict", expert_id, on, name=last["name"], party=party, note=note)

    def _expert_insert(self, kind: str, expert_id: str, on: date, **values) -> int:
        cols = ["kind", "expert_id", "on_date", *values]
        return self._con.execute(
            f"INSERT INTO expert_events ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) RETURNING event_id",
            [kind, expert_id, on, *values.values()]).fetchone()[0]

    def _last_expert_event(self, expert_id: str) -> dict | None:
        row = self._one("SELECT kind, name, affiliation, on_date FROM expert_events WHERE expert_id = ? "
                        "AND kind IN ('joined', 'moved', 'left') ORDER BY event_id DESC LIMIT 1", [expert_id])
        return None if row is None else dict(zip(("kind", "name", "affiliation", "on_date"), row, strict=True))

    def _in_pool(self, expert_id: str, on: date) -> dict:
        last = self._last_expert_event(expert_id)
        if last is None or last["kind"] == "left":
            raise RoundError(f"专家 {expert_id} 不在专家库中", f"expert {expert_id} is not in the pool",
                             hint=Text("先登记入库（add_expert）", "add the expert first"))
        if on < last["on_date"]:
            raise RoundError(f"日期 {on} 早于专家 {expert_id} 的上一条记录（{last['on_date']}）",
                             f"{on} is before the expert's last event ({last['on_date']})",
                             hint=Text("专家库记录按时间顺序登记", "record the pool's events in the order they happen"))
        return last

    def expert_spells(self) -> pd.DataFrame:
        """Each expert's affiliations over time (任职历史): expert_id, name, affiliation, start, end (the last day;
        None while it lasts). A spell ends the day before a move, and on the day before the expert leaves."""
        df = self._frame("SELECT event_id, kind, expert_id, name, affiliation, fields, on_date FROM expert_events "
                         "WHERE kind IN ('joined', 'moved', 'left') ORDER BY expert_id, event_id")
        rows = []
        for expert_id, group in df.groupby("expert_id", sort=True):
            events = list(group.itertuples(index=False))
            for n, e in enumerate(events):
                if e.kind == "left":
                    continue
                nxt = events[n + 1] if n + 1 < len(events) else None
                end = None if nxt is None else nxt.on_date - timedelta(days=1)
                rows.append((expert_id, e.name, e.affiliation, e.on_date, end))
        return pd.DataFrame(rows, columns=["expert_id", "name", "affiliation", "start", "end"])

    def experts(self, on=None) -> pd.DataFrame:
        """The pool on a date (default today): expert_id, name, affiliation on that day, fields, joined (the day
        the current membership began) and conflicts (the parties declared by that day, a list)."""
        day = _day(on if on is not None else date.today(), "on")
        events = self._frame("SELECT kind, expert_id, name, affiliation, fields, party, on_date FROM expert_events "
                             "WHERE kind IN ('joined', 'moved', 'left', 'conflict') AND on_date <= ? "
                             "ORDER BY expert_id, event_id", [day])
        rows = []
        for expert_id, group in events.groupby("expert_id", sort=True):
            state = group[group["kind"] != "conflict"]
            if state.empty or state.iloc[-1]["kind"] == "left":
                continue
            joined = state[state["kind"] == "joined"].iloc[-1]
            rows.append((expert_id, state.iloc[-1]["name"], state.iloc[-1]["affiliation"],
                         [f for f in (joined["fields"] or "").split(";") if f], joined["on_date"],
                         group.loc[group["kind"] == "conflict", "party"].tolist()))
        return pd.DataFrame(rows, columns=["expert_id", "name", "affiliation", "fields", "joined", "conflicts"])

    def conflict_declarations(self) -> pd.DataFrame:
        """Every declared conflict: expert_id, name, party (a unit, an agency or a scheme id), declared (date)."""
        return self._frame("SELECT expert_id, name, party, on_date AS declared FROM expert_events "
                           "WHERE kind = 'conflict' ORDER BY event_id")

    def reviews(self) -> pd.DataFrame:
        """Who reviewed which scheme (评审记录): expert_id, scheme, year, domain, agency, reviewed (date)."""
        return self._frame(
            "SELECT r.expert_id, r.scheme, s.year, s.domain, s.party AS agency, r.on_date AS reviewed "
            "FROM expert_events r LEFT JOIN round_events s ON s.kind = 'scheme_submitted' AND s.ref = r.scheme "
            "WHERE r.kind = 'review' ORDER BY r.event_id")

    # --- queries ----------------------------------------------------------------------------------
    def events(self) -> pd.DataFrame:
        """Every event in the order recorded."""
        return self._frame("SELECT * FROM round_events ORDER BY event_id")

    def schemes(self) -> pd.DataFrame:
        """Submitted schemes and agencies per year and domain, with the approval date when approved and how it
        was approved (`review`: panel — by the expert review —, without_review — exempt by the agency's grade)."""
        return self._frame(
            "SELECT s.year, s.domain, s.ref AS scheme, s.party AS agency, s.on_date AS submitted, "
            "a.on_date AS approved, CASE WHEN a.event_id IS NULL THEN NULL WHEN a.outcome = 'without_review' "
            "THEN 'without_review' ELSE 'panel' END AS review "
            "FROM round_events s LEFT JOIN round_events a ON a.kind = 'scheme_approved' "
            "AND a.ref = s.ref WHERE s.kind = 'scheme_submitted' ORDER BY s.year, s.domain, s.ref")

    def windows(self, on=None) -> pd.DataFrame:
        """Publicity windows on a date (default today) with their status: not_started, publicity (running),
        objections_open (ended, an objection not closed), ready (ended, all closed, not yet published), published."""
        day = _day(on if on is not None else date.today(), "on")
        df = self._frame(
            """
            SELECT w.ref AS window_id, w.stage, w.year, w.domain, w.party AS agency, w.on_date AS start,
                   w.until_date AS "end", p.on_date AS published,
                   (SELECT count(*) FROM round_events o WHERE o.kind = 'objection' AND o.ref = w.ref
                    AND o.on_date <= ?) AS objections,
                   (SELECT count(*) FROM round_events o WHERE o.kind = 'objection' AND o.ref = w.ref
                    AND o.on_date <= ? AND NOT EXISTS (SELECT 1 FROM round_events c WHERE c.kind = 'objection_closed'
                    AND c.refers_to = o.event_id AND c.on_date <= ?)) AS open_objections
            FROM round_events w
            LEFT JOIN round_events p ON p.kind = 'published' AND p.ref = w.ref AND p.on_date <= ?
            WHERE w.kind = 'window' ORDER BY w.on_date, w.ref
            """, [day, day, day, day])
        status = []
        for row in df.itertuples(index=False):
            if day < row.start:
                status.append("not_started")
            elif day <= row.end:
                status.append("publicity")
            elif pd.notna(row.published):
                status.append("published")
            elif row.open_objections:
                status.append("objections_open")
            else:
                status.append("ready")
        df["status"] = status
        return df

    def is_published(self, window_id: str, on=None) -> bool:
        """Whether the window's list (or schemes) counts as published on a date: ended, every objection
        closed, and the publication recorded (002 四(四)(五))."""
        self._window(window_id)
        w = self.windows(on).set_index("window_id").loc[window_id]
        return w["status"] == "published"

    def _open_objections(self, day: date, window_id: str | None = None) -> pd.DataFrame:
        return self._frame(
            "SELECT o.event_id AS objection_id, o.ref AS window_id, o.party AS objector, o.on_date AS received, "
            "o.about FROM round_events o WHERE o.kind = 'objection' AND o.on_date <= ? AND (? IS NULL OR o.ref = ?) "
            "AND NOT EXISTS (SELECT 1 FROM round_events c WHERE c.kind = 'objection_closed' "
            "AND c.refers_to = o.event_id AND c.on_date <= ?) ORDER BY o.event_id", [day, window_id, window_id, day])

    def objections(self) -> pd.DataFrame:
        """Every objection with its handling: opinion, outcome and the day it was closed (None while open)."""
        return self._frame(
            "SELECT o.event_id AS objection_id, o.ref AS window_id, o.party AS objector, o.on_date AS received, "
            "o.about, c.opinion, c.outcome, c.on_date AS closed FROM round_events o LEFT JOIN round_events c "
            "ON c.kind = 'objection_closed' AND c.refers_to = o.event_id WHERE o.kind = 'objection' "
            "ORDER BY o.event_id")

    def complaints(self) -> pd.DataFrame:
        """Every complaint or report with its outcome (None while open)."""
        return self._frame(
            "SELECT o.event_id AS complaint_id, o.party AS complainant, o.on_date AS received, o.about, o.title_id, "
            "c.outcome, c.opinion, c.on_date AS closed FROM round_events o LEFT JOIN round_events c "
            "ON c.kind = 'complaint_closed' AND c.refers_to = o.event_id WHERE o.kind = 'complaint' "
            "ORDER BY o.event_id")

    def samplings(self) -> pd.DataFrame:
        """Every sampling result with its verdict (pass / fail / not_comparable)."""
        return self._frame(
            "SELECT event_id AS sampling_id, on_date AS sampled, party AS sampled_by, title_id, product, standard, "
            "indicator, declared, measured, outcome AS verdict, refers_to AS complaint_id FROM round_events "
            "WHERE kind = 'sampling' ORDER BY event_id")

    def cases(self) -> pd.DataFrame:
        """Revocation cases: reason, status (open / revoked / dismissed), the title register's event id."""
        df = self._frame(
            "SELECT o.event_id AS case_id, o.title_id, o.reason, o.on_date AS opened, o.refers_to AS source, "
            "COALESCE(c.outcome, 'open') AS status, c.on_date AS decided, c.title_event, c.opinion "
            "FROM round_events o LEFT JOIN round_events c ON c.kind = 'case_closed' AND c.refers_to = o.event_id "
            "WHERE o.kind = 'case_opened' ORDER BY o.event_id")
        df["reason_number"] = [REVOCATION_REASONS[r][0] for r in df["reason"]]
        return df

    def pending(self, on=None, within_days: int = 10) -> pd.DataFrame:
        """What needs doing on a date (待办): open objections, windows ending within `within_days` calendar
        days, windows ready to publish, open complaints, open revocation cases, agencies' annual summaries due
        within `within_days` or overdue (001 二3) and rectifications not yet verified (003 二(二)4).
        Columns: item, id, what, since, due."""
        if within_days < 0:
            raise RoundError("天数不能为负", "within_days must be ≥ 0")
        day = _day(on if on is not None else date.today(), "on")
        rows = []
        for o in self._open_objections(day).itertuples(index=False):
            rows.append(("objection", str(o.objection_id), f"{o.window_id}: {o.objector} — {o.about}", o.received, None))
        for w in self.windows(day).itertuples(index=False):
            if w.status == "publicity" and w.end <= day + timedelta(days=int(within_days)):
                rows.append(("window_ending", w.window_id, STAGES[w.stage].zh, w.start, w.end))
            elif w.status in ("ready", "objections_open"):
                rows.append((f"window_{w.status}", w.window_id, STAGES[w.stage].zh, w.start, w.end))
        for c in self.complaints().itertuples(index=False):
            if c.received <= day and (pd.isna(c.closed) or c.closed > day):
                rows.append(("complaint", str(c.complaint_id), f"{c.complainant} — {c.about}", c.received, None))
        for c in self.cases().itertuples(index=False):
            if c.opened <= day and (c.status == "open" or c.decided > day):
                rows.append(("case", str(c.case_id), f"{c.title_id}: {REVOCATION_REASONS[c.reason][1].zh}",
                             c.opened, None))
        for s in self.summaries().itertuples(index=False):
            if (pd.isna(s.submitted) or s.submitted > day) and s.due <= day + timedelta(days=int(within_days)):
                late = "（已逾期）" if s.due < day else ""
                rows.append(("summary", f"{s.agency}/{s.year}", f"{s.agency} {s.year} 年度工作情况总结{late}",
                             date(int(s.year), 1, 1), s.due))
        for g in self.grades().itertuples(index=False):
            if g.rectify and g.graded <= day and (g.rectification != "passed" or g.verified > day):
                rows.append(("rectification", f"{g.agency}/{g.year}", f"{g.agency}：{g.year} 年度{g.grade_name}，整改待验证",
                             g.graded, None))
        return pd.DataFrame(rows, columns=["item", "id", "what", "since", "due"])

    # --- public notices ---------------------------------------------------------------------------
    def window_notice(self, window_id: str, items: list[str] | None = None, contact: str = "") -> Text:
        """The text of a publicity notice (公示通知): what is publicised, the period, how to object."""
        w = self._window(window_id)
        stage = STAGES[w["stage"]]
        listed_zh = "".join(f"\n  {n}. {item}" for n, item in enumerate(items or [], start=1))
        contact_zh = f"联系方式：{contact}。" if contact else ""
        contact_en = f" Contact: {contact}." if contact else ""
        return Text(
            f"关于{w['year']}年度“{w['domain']}”领域{stage.zh}的公告\n"
            f"现将{w['year']}年度“{w['domain']}”领域的{stage.zh.removesuffix('公示')}予以公示，公示期为 "
            f"{w['start']} 至 {w['end']}（{STAGE_CLAUSES[w['stage']]}）。{listed_zh}\n"
            f"对公示内容有异议的，请在公示期内以书面形式提出，写明异议人、联系方式和异议事项；"
            f"工作机构将组织专家评议并形成处理意见。{contact_zh}",
            f"Notice: {stage.en}, {w['domain']}, {w['year']}\n"
            f"Publicity from {w['start']} through {w['end']} ({STAGE_CLAUSES[w['stage']]}).{listed_zh}\n"
            f"Objections are raised in writing within the period, naming the objector, a contact and the matter; "
            f"the working organisation has them reviewed by experts and answers with an opinion.{contact_en}")

    def revocation_notice(self, case_id: int, titles: TitleRegister) -> Text:
        """The text of a revocation notice (取消称号公告, 001 三(四); 002 四(六); 004 三7): enterprise, standard,
        reason, the ban's last day and the loss of incentives. The case must have ended in a revocation."""
        case = self.cases().set_index("case_id")
        if int(case_id) not in case.index or case.loc[int(case_id), "status"] != "revoked":
            raise RoundError(f"案件 {case_id} 没有以取消称号结案", f"case {case_id} did not end in a revocation",
                             hint=Text("先用 decide_case(…, revoke=True) 结案", "decide it with revoke=True first"))
        c = case.loc[int(case_id)]
        t = titles.titles(on=c["decided"]).set_index("title_id")
        if c["title_id"] not in t.index:
            raise RoundError(f"称号登记簿中没有称号 {c['title_id']}", f"title {c['title_id']} is not in the title register",
                             hint=Text("给出记录该称号的称号登记簿", "give the title register that holds the title"))
        title = t.loc[c["title_id"]]
        number, reason = REVOCATION_REASONS[c["reason"]]
        until = ban_end(c["decided"])
        return Text(
            f"关于取消企业标准“领跑者”称号的公告\n"
            f"经核实，{title['enterprise']}的{title['standard']}（{title['domain']}领域，称号编号 {c['title_id']}）"
            f"存在“{reason.zh}”的情形（取消理由 {number}），自 {c['decided']} 起取消其企业标准“领跑者”称号。"
            f"自该日起至 {until}（含当日），该企业不得参与企业标准排行榜和“领跑者”评估，不再享受企业标准“领跑者”制度相关的"
            f"优惠政策（文件 001 三(四)、002 四(六)、004 三7）。",
            f"Notice of revocation of an enterprise-standard leader title\n"
            f"{title['enterprise']}, standard {title['standard']} ({title['domain']}, title {c['title_id']}): "
            f"{reason.en} (reason {number}). The title is revoked as of {c['decided']}. The enterprise may not take "
            f"part in ranking lists or leader evaluations through {until} and loses the incentives of the leader "
            f"system (documents 001 三(四), 002 四(六), 004 三7).")


def _active_title(titles: TitleRegister, title_id: str, on: date) -> None:
    t = titles.titles(on=on).set_index("title_id")
    if title_id not in t.index:
        raise RoundError(f"称号 {title_id!r} 不在称号登记簿中", f"title {title_id!r} is not in the title register",
                         hint=Text("检查称号编号", "check the title id"))
    if t.loc[title_id, "status"] != "active":
        raise RoundError(f"称号 {title_id} 在 {on} 不是有效称号（{t.loc[title_id, 'status']}）",
                         f"title {title_id} is not active on {on} ({t.loc[title_id, 'status']})",
                         hint=Text("抽查针对有效期内的领跑者产品", "sampling concerns titles in force"))


def agency_barred(titles: TitleRegister, agency: str, on) -> pd.DataFrame:
    """The title register's disqualifications (取消评估机构资格) that bar `agency` on `on`: three years from the
    day, counted as the Civil Code counts periods (001 三(四); 003 二(二)4 四级 三年内不能参与评估机构的遴选).

    The names are matched as `same_unit` matches them (a disqualified “某研究院” bars “某研究院标准所” and the
    other way round), as the negative list of a programme profile is (LK-S019). One row per disqualification
    in force: name, since, barred_until, reason, reason_zh, reason_en, negative_list, event_id and the message
    a finding or an error shows (message_zh, message_en). Empty when the agency is not barred."""
    day = _day(on, "on")
    events = titles.events()
    events = events[events["kind"] == "agency_disqualification"]
    hits = []
    for e in events.itertuples(index=False):
        if same_unit(agency, e.agency) and within(day, e.on_date, years=BAN_YEARS):
            until = ban_end(e.on_date)
            listed = Text("，列入负面清单", ", on the negative list") if e.negative_list else Text("", "")
            hits.append((e.agency, e.on_date, until, e.reason, e.reason_zh, e.reason_en, bool(e.negative_list),
                         int(e.event_id),
                         f"评估机构“{e.agency}”于 {e.on_date} 被取消评估机构资格（{e.reason_zh}{listed.zh}），"
                         f"禁入至 {until}（含当日）（称号登记簿事件 #{e.event_id}）",
                         f"the agency {e.agency!r} was disqualified on {e.on_date} ({e.reason_en}{listed.en}) and is "
                         f"barred through {until} (title register event #{e.event_id})"))
    return pd.DataFrame(hits, columns=["name", "since", "barred_until", "reason", "reason_zh", "reason_en",
                                       "negative_list", "event_id", "message_zh", "message_en"])
