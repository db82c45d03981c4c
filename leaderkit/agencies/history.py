"""Agencies over the years (评估机构的年度管理): what a grade means next year, the veto “two years without lists”
derived from the round register, the annual summary, and the standing of every agency for a year.

The round register (`leaderkit.registers.rounds.RoundRegister`) keeps the facts: approved schemes per agency,
year and domain, the list windows and their publication, grades, rectification verifications and summaries.
This module reads them with the rules of document 003 二(二)4 and document 001 二3:

    graded = grade_agencies(with_register_vetoes(records, rounds, on="2024-01-15"))
    record_grades(rounds, graded, on="2024-01-15")      # 一级 → two years without re-review, 四级 → rectify
    standing(rounds, 2024, titles=titles)                 # who may submit, who is exempt, who must rectify
    no_list_two_years(rounds, 2023)                       # veto 2 from the register's history
    register_facts(rounds, 2023)                          # counts for item 2.4 (`score_facts`)
    summary_points(rounds, 2023)                          # item 1.6 a–e from the recorded summaries

Decisions (docs/RULES_AGENCIES.md §6): the latest grade before a year governs it (a later, lower grade ends an
earlier exemption); an exemption covers the domains the agency evaluated in the graded year (“相关产品或服务
领域”); a 四级 agency submits again only after the working organisation verified its rectification; the register
can add veto 2 to a record, never clear one entered by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text
from leaderkit.agencies.grading import RecordsError, _read_records
from leaderkit.registers.rounds import SUMMARY_CONTENTS, RoundRegister, agency_barred
from leaderkit.registers.titles import TitleRegister

VETO_NO_LISTS = "veto_no_list_two_years"
CLAUSE = "003 二(二)4"


@dataclass(frozen=True)
class Consequence:
    """What a grade means for the following years (评价结果的后果)."""

    exempt_years: int
    rectification: bool
    joins_next: bool
    text: Text
    clause: str = CLAUSE


CONSEQUENCES: dict[int, Consequence] = {
    1: Consequence(2, False, True, Text("后续两个年度可在相关领域持续开展评估，评估方案无需重新评审",
                                        "may continue in its domains for the next two years without a new review")),
    2: Consequence(1, False, True, Text("下一年度可在相关领域持续开展评估，评估方案无需重新评审",
                                        "may continue in its domains next year without a new review")),
    3: Consequence(0, False, True, Text("可在下一年度继续参与评估机构的遴选，评估方案须评审",
                                        "may take part in next year's selection; its scheme is reviewed")),
    4: Consequence(0, True, False, Text("限期整改，经工作机构验证核查通过后方可再参与遴选",
                                        "must rectify; may take part again once the working organisation verified it")),
}
"""The consequences of the document 003 grades (003 二(二)4 评价结果), keyed by grade number. A violation with
harmful social effects is a disqualification in the title register (3 years, `TitleRegister.disqualify_agency`
with reason `violation`), not a grade."""


def _consequences(rubric_id: str | None, consequences: dict[int, Consequence] | None) -> dict[int, Consequence]:
    if consequences is not None:
        return consequences
    if rubric_id in (None, "", "seed003"):
        return CONSEQUENCES
    raise RecordsError(f"评分表 {rubric_id} 的评价结果后果未知", f"the consequences of rubric {rubric_id} are not known",
                       hint=Text("用 consequences={等级: Consequence(…)} 给出", "give consequences={grade: Consequence(…)}"))


def _as_of(on) -> date:
    return date.today() if on is None else pd.Timestamp(str(on)).date()


# --- grades into the register -----------------------------------------------------------------------
def record_grades(rounds: RoundRegister, graded: pd.DataFrame, on, *,
                  consequences: dict[int, Consequence] | None = None) -> list[int]:
    """Record a grading result (`grade_agencies`) in the round register, all rows or none: each grade with its
    consequence as facts (years without re-review, rectification ordered). Returns the event ids."""
    table = _consequences(graded.attrs.get("rubric"), consequences)
    unknown = sorted(set(graded["grade"].astype(int)) - set(table))
    if unknown:
        raise RecordsError(f"等级 {unknown} 没有对应的评价结果", f"no consequence for grade(s) {unknown}")
    rubric = f"{graded.attrs.get('rubric', '')} {str(graded.attrs.get('rubric_sha256', ''))[:12]}".strip()
    ids = []
    with rounds.batch():
        for row in graded.itertuples(index=False):
            c = table[int(row.grade)]
            ids.append(rounds.record_grade(row.agency, int(row.year), int(row.grade), on, name=row.grade_name_zh,
                                           exempt_years=c.exempt_years, rectification=c.rectification, rubric=rubric))
    return ids


# --- lists published, from the register ---------------------------------------------------------------
def _approved(rounds: RoundRegister, on: date) -> pd.DataFrame:
    s = rounds.schemes()
    return s[s["approved"].notna() & s["approved"].map(lambda d: pd.notna(d) and d <= on).astype(bool)]


def published_lists(rounds: RoundRegister, on=None) -> pd.DataFrame:
    """The ranking and leader lists published by `on` (default today), per agency: agency, year, domain,
    window_id, published, credited (`named` — the window names the agency — or `domain` — the window names
    none and several agencies were approved in its domain and year, so each of them is credited)."""
    day = _as_of(on)
    w = rounds.windows(day)
    w = w[(w["stage"] == "list") & (w["status"] == "published")]
    approved = _approved(rounds, day)
    rows = []
    for win in w.itertuples(index=False):
        if pd.notna(win.agency):
            rows.append((win.agency, int(win.year), win.domain, win.window_id, win.published, "named"))
            continue
        there = approved[(approved["year"] == win.year) & (approved["domain"] == win.domain)]["agency"].unique()
        rows += [(a, int(win.year), win.domain, win.window_id, win.published, "domain") for a in sorted(there)]
    return pd.DataFrame(rows, columns=["agency", "year", "domain", "window_id", "published", "credited"])


def agency_years(rounds: RoundRegister, on=None) -> pd.DataFrame:
    """One row per agency and year in which it had an approved scheme: domains (a list) and lists (the number
    of its ranking/leader lists of that year published by `on`)."""
    day = _as_of(on)
    approved = _approved(rounds, day)
    lists = published_lists(rounds, day).groupby(["agency", "year"]).size()
    rows = []
    for (agency, year), group in approved.groupby(["agency", "year"], sort=True):
        rows.append((agency, int(year), sorted(group["domain"].unique()), int(lists.get((agency, year), 0))))
    return pd.DataFrame(rows, columns=["agency", "year", "domains", "lists"])


def no_list_two_years(rounds: RoundRegister, year: int, on=None) -> pd.DataFrame:
    """Veto 2 of document 003 二(二)4 四级 (连续两年没有发布企业标准排行榜和“领跑者”名单) from the register, for the
    agencies approved in `year`: agency, year, lists (published for `year` by `on`), approved_before (it had
    an approved scheme in `year` − 1), lists_before, veto. The veto holds when the agency was approved in both
    years and none of its lists of either year was published by `on` (default today). An agency the register
    does not show in `year` − 1 cannot have two years without lists (veto False)."""
    years = agency_years(rounds, on).set_index(["agency", "year"])
    rows = []
    for (agency, y), row in years.iterrows():
        if y != int(year):
            continue
        before = (agency, int(year) - 1) in years.index
        lists_before = int(years.loc[(agency, int(year) - 1), "lists"]) if before else None
        rows.append((agency, int(year), int(row["lists"]), before, lists_before,
                     bool(before and row["lists"] == 0 and lists_before == 0)))
    return pd.DataFrame(rows, columns=["agency", "year", "lists", "approved_before", "lists_before", "veto"])


def with_register_vetoes(records, rounds: RoundRegister, on=None) -> pd.DataFrame:
    """The agency records (a DataFrame, CSV/Excel/YAML path) with veto 2 (`veto_no_list_two_years`) set where
    the register's history shows two years without published lists (`no_list_two_years`). The register adds
    the veto and never clears one entered by hand (the register may not hold the earlier years). The input
    is not changed; grade the result with `grade_agencies`."""
    df, source, _ = _read_records(records, Text("评价记录", "agency records"))
    if "agency" not in df.columns or "year" not in df.columns:
        raise RecordsError("评价记录缺少 agency 或 year 列", "agency records lack the agency or year column", where=source)
    if VETO_NO_LISTS not in df.columns:
        df[VETO_NO_LISTS] = False
    years = pd.to_numeric(df["year"], errors="coerce")
    flagged = set()
    for y in sorted(set(years.dropna().astype(int))):
        v = no_list_two_years(rounds, y, on)
        flagged |= {(a, y) for a in v.loc[v["veto"], "agency"]}
    hit = np.array([(str(a).strip(), int(y)) in flagged if pd.notna(y) else False
                    for a, y in zip(df["agency"], years, strict=True)], dtype=bool)
    column = df[VETO_NO_LISTS].astype(object)
    column[hit] = True
    df[VETO_NO_LISTS] = column
    return df


def register_facts(rounds: RoundRegister, year: int, on=None) -> pd.DataFrame:
    """The counts of item 2.4 for `score_facts`: agency, year, rankings_published, leader_lists_published — each
    published list window is one ranking list and one leader list (they are publicised and published
    together, 001 三(二)5)."""
    years = agency_years(rounds, on)
    years = years[years["year"] == int(year)]
    return pd.DataFrame({"agency": years["agency"], "year": years["year"], "rankings_published": years["lists"],
                         "leader_lists_published": years["lists"]}).reset_index(drop=True)


def summary_points(rounds: RoundRegister, year: int, on=None) -> pd.DataFrame:
    """Item 1.6 a–e of document 003 (one point for each content the work report gives) from the summaries
    recorded for `year` by `on` (default today): agency, year, 1.6a … 1.6e, submitted, on_time (by 31 December,
    001 二3). An agency without a summary scores 0 on each."""
    day = _as_of(on)
    s = rounds.summaries()
    s = s[s["year"] == int(year)].reset_index(drop=True)
    given = [c if pd.notna(sub) and sub <= day else [] for c, sub in zip(s["covers"], s["submitted"], strict=True)]
    out = pd.DataFrame({"agency": s["agency"], "year": s["year"]})
    for letter in SUMMARY_CONTENTS:
        out[f"1.6{letter}"] = [int(letter in c) for c in given]
    out["submitted"] = [sub if pd.notna(sub) and sub <= day else None for sub in s["submitted"]]
    out["on_time"] = [bool(ok) and sub is not None for ok, sub in zip(s["on_time"], out["submitted"], strict=True)]
    return out


# --- standing for a year ------------------------------------------------------------------------------
def standing(rounds: RoundRegister, year: int, titles: TitleRegister | None = None, on=None,
             consequences: dict[int, Consequence] | None = None) -> pd.DataFrame:
    """Every agency the register knows (submitted a scheme or was graded), as it stands for `year` on `on`
    (default today): the governing grade (the latest before `year`), whether its schemes need no new review in
    `year` and in which domains (exempt, exempt_domains), the rectification (None, open, failed, passed),
    barred_until (a disqualification in `titles`, 001 三(四)), may_submit, and the standing in words
    (status_zh, status_en)."""
    day = _as_of(on)
    table = _consequences(None, consequences)
    schemes = rounds.schemes()
    grades = rounds.grades()
    names = sorted(set(schemes["agency"]) | set(grades["agency"]))
    rows = []
    for agency in names:
        g = rounds.latest_grade(agency, year)
        barred = agency_barred(titles, agency, day) if titles is not None else pd.DataFrame()
        until = max(barred["barred_until"]) if len(barred) else None
        exempt_domains: list[str] = []
        rect = None
        if g is not None:
            if int(year) - g["year"] <= g["exempt_years"]:
                graded_year = schemes[(schemes["agency"] == agency) & (schemes["year"] == g["year"])
                                      & schemes["approved"].notna()]
                exempt_domains = sorted(graded_year["domain"].unique())
            if g["rectify"]:
                state = grades[grades["event_id"] == g["event_id"]].iloc[0]
                verified = state["verified"]
                rect = state["rectification"] if pd.notna(verified) and verified <= day else "open"
        may_submit = until is None and rect not in ("open", "failed")
        if until is not None:
            text = Text(f"被取消评估机构资格，禁入至 {until}（001 三(四)）", f"disqualified, barred through {until} (001 三(四))")
        elif rect in ("open", "failed"):
            text = Text(f"{g['year']} 年度{g['grade_name']}：整改尚未验证通过，不能参加 {year} 年遴选（{CLAUSE}）",
                        f"{g['grade_name']} for {g['year']}: rectification not verified, may not take part in {year} "
                        f"({CLAUSE})")
        elif exempt_domains:
            text = Text(f"{g['year']} 年度{g['grade_name']}：{year} 年在“{'、'.join(exempt_domains)}”领域免于方案重新评审（{CLAUSE}）",
                        f"{g['grade_name']} for {g['year']}: no new review in {year} for {', '.join(exempt_domains)} "
                        f"({CLAUSE})")
        elif g is not None:
            c = table.get(int(g["grade"]))
            text = Text(f"{g['year']} 年度{g['grade_name']}：可参加 {year} 年评估机构遴选，方案须评审",
                        f"{g['grade_name']} for {g['year']}: may take part in {year}; its scheme is reviewed")
            if c is not None and c.rectification and rect == "passed":
                text = Text(text.zh + "（整改已验证通过）", text.en + " (rectification verified)")
        else:
            text = Text("无评价记录：方案须评审", "not graded: its scheme is reviewed")
        rows.append((agency, None if g is None else g["year"], None if g is None else g["grade"],
                     None if g is None else g["grade_name"], bool(exempt_domains), exempt_domains, rect, until,
                     may_submit, text.zh, text.en))
    return pd.DataFrame(rows, columns=["agency", "grade_year", "grade", "grade_name", "exempt", "exempt_domains",
                                       "rectification", "barred_until", "may_submit", "status_zh", "status_en"])

