"""Grading evaluation agencies (评估机构评价) with a rubric that is data.

The rubric of document 003 (draft group standard for evaluating the agencies) ships as
`leaderkit/data/rubrics/seed003.yaml`: categories with their declared maxima, items with their points
or options, grade rules, vetoes and consequences. Another rubric (a province's, next year's) is another
file with the same shape.

    rubric = load_rubric()                  # the shipped document 003 rubric
    check_rubric(rubric)                    # findings about the rubric itself (LK-R0xx)
    grade_agencies("records.csv", rubric)   # one row per agency and year: scores, grade, what is lacking
    score_facts("facts.csv", rubric)        # points derived from counts (trainings → 3.1 …)

Conventions (SOURCES.md "Agency grading"): "以上/以下/以内" include the number itself; grades are
checked from the highest down and an agency gets the highest grade whose every condition holds, so a
total of exactly 90 with every sub-score at its minimum is 一级; any veto gives the veto grade (四级).
Grading is vectorised over agencies: points are one matrix, category scores one matrix product.
"""

from __future__ import annotations

import hashlib
import itertools
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from leaderkit._kit.i18n import LANGUAGES, LeaderkitError, Text, tr
from leaderkit._kit.words import truth
from leaderkit._kit.yamlfile import issue_lines, load_yaml, model_errors, read_yaml

TOTAL = "total"
FINDING_COLUMNS = ["code", "severity", "message", "message_en", "clause", "where"]


class RubricError(LeaderkitError, ValueError):
    """A rubric file that does not fit the rubric format (评分表格式错误)."""


class RecordsError(LeaderkitError, ValueError):
    """Agency records or facts that cannot be graded (评价记录有误): missing columns, bad values."""


class InvalidPointsError(RecordsError):
    """Points that are not among an item's allowed values (得分不在该项允许的分值内)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Model):
    """A category of items (指标类别): basic 基础, core 核心, incentive 鼓励性."""

    id: str
    number: str
    name: str
    name_en: str = ""
    declared_max: int = Field(ge=0)


class Group(_Model):
    """A heading that groups lettered items (e.g. 1.6 a)–e))."""

    id: str
    text: str
    text_en: str = ""


class Option(_Model):
    """One option of an item (选项): its points and, when derivable, the count condition of its text."""

    key: str
    text: str
    label_en: str = ""
    points: int = Field(ge=0)
    absence: bool = Field(False, description="the option says the activity did not happen (未…)")
    facts: dict[str, tuple[int | None, int | None]] = Field(default_factory=dict)


class Item(_Model):
    """A scored item (评分项): a yes/no item worth `points`, or an item with `options`."""

    id: str
    category: str
    group: str | None = None
    text: str
    label_en: str = ""
    points: int | None = Field(None, ge=0)
    options: tuple[Option, ...] | None = None
    refs: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _points_or_options(self) -> Item:
        if (self.points is None) == (self.options is None):
            raise ValueError("an item has either `points` or `options` (评分项须有 points 或 options 之一)")
        if self.options is not None and not self.options:
            raise ValueError("`options` is empty (options 不能为空)")
        return self

    @property
    def max_points(self) -> int:
        return self.points if self.options is None else max(o.points for o in self.options)

    @property
    def allowed(self) -> tuple[int, ...]:
        """Points an agency can be given: the item's points or 0; one option's points or 0."""
        values = {0, self.points} if self.options is None else {0, *(o.points for o in self.options)}
        return tuple(sorted(values, reverse=True))


class Condition(_Model):
    """A bound on the total or on a category score; both bounds include the number (以上/以下)."""

    score: str
    min: int | None = None
    max: int | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Condition:
        if self.min is None and self.max is None:
            raise ValueError("a condition needs `min` or `max` (条件须有 min 或 max)")
        return self


class Grade(_Model):
    """A grade (评价等级) with its conditions and consequence (评价结果)."""

    grade: int = Field(ge=1)
    name: str
    name_en: str = ""
    requirement: str = ""
    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()
    vetoes: bool = False
    otherwise: bool = False
    consequence: str = ""
    consequence_en: str = ""


class Veto(_Model):
    """A veto (否决项): any one gives the veto grade whatever the score."""

    id: str
    number: int
    text: str
    text_en: str = ""


class Fact(_Model):
    """A count that some options' points are derived from (e.g. trainings held)."""

    id: str
    text: str
    text_en: str = ""


class StrayHeading(_Model):
    """Text of the source that belongs to no item (kept so the check can report it)."""

    text: str
    after: str


class Rubric(_Model):
    """An agency-grading rubric (评估机构评价评分表)."""

    id: str
    title: str
    title_en: str = ""
    source: str = ""
    clause_base: str = ""
    categories: tuple[Category, ...]
    groups: tuple[Group, ...] = ()
    items: tuple[Item, ...]
    stray_headings: tuple[StrayHeading, ...] = ()
    facts: tuple[Fact, ...] = ()
    grades: tuple[Grade, ...]
    vetoes: tuple[Veto, ...] = ()
    path: str | None = Field(None, exclude=True)
    digest: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        cats = [c.id for c in self.categories]
        _unique(cats, "categories")
        _unique([i.id for i in self.items], "items")
        _unique([v.id for v in self.vetoes], "vetoes")
        _unique([g.grade for g in self.grades], "grades")
        if TOTAL in cats:
            raise ValueError(f"a category may not be called {TOTAL!r} (类别不能命名为 total)")
        facts = {f.id for f in self.facts}
        groups = {g.id for g in self.groups}
        for n, item in enumerate(self.items):
            if item.category not in cats:
                raise ValueError(f"items[{n}] ({item.id}): unknown category {item.category!r} (未知类别)")
            if item.group is not None and item.group not in groups:
                raise ValueError(f"items[{n}] ({item.id}): unknown group {item.group!r} (未知分组)")
            for option in item.options or ():
                unknown = set(option.facts) - facts
                if unknown:
                    raise ValueError(f"items[{n}] ({item.id}) option {option.key}: unknown facts {sorted(unknown)}"
                                     " (未声明的事实项)")
        if [g.grade for g in self.grades] != sorted(g.grade for g in self.grades):
            raise ValueError("grades must be listed from the highest (1) down (等级须从高到低排列)")
        if not self.grades or not self.grades[-1].otherwise or sum(g.otherwise for g in self.grades) != 1:
            raise ValueError("exactly one grade, the lowest, has `otherwise: true` (须且仅有最低等级 otherwise)")
        if self.vetoes and sum(g.vetoes for g in self.grades) != 1:
            raise ValueError("exactly one grade has `vetoes: true` (须且仅有一个等级承接否决项)")
        for g in self.grades:
            for cond in (*g.all_of, *g.any_of):
                if cond.score != TOTAL and cond.score not in cats:
                    raise ValueError(f"grade {g.grade}: unknown score {cond.score!r} (未知分数项)")
        return self

    # --- derived views -------------------------------------------------------------------------
    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    @property
    def dims(self) -> list[str]:
        """Score columns in order: each category, then the total."""
        return [c.id for c in self.categories] + [TOTAL]

    def category_max(self) -> dict[str, int]:
        """Maximum reachable score of each category from its items (not the declared maximum)."""
        out = {c.id: 0 for c in self.categories}
        for item in self.items:
            out[item.category] += item.max_points
        return out

    def clause(self, item_or_section: str) -> str:
        return f"{self.clause_base} {item_or_section}".strip()

    def dim_name(self, dim: str) -> Text:
        if dim == TOTAL:
            return Text("总分", "total")
        cat = next(c for c in self.categories if c.id == dim)
        return Text(cat.name, cat.name_en or cat.id)

    def grade_name(self, grade: Grade) -> Text:
        return Text(grade.name, grade.name_en or f"grade {grade.grade}")


def _unique(values: list, what: str) -> None:
    seen = [v for n, v in enumerate(values) if v in values[:n]]
    if seen:
        raise ValueError(f"{what}: duplicate {seen[0]!r} (重复)")


# --- loading ----------------------------------------------------------------------------------------
def default_rubric_path() -> Path:
    """The shipped document 003 rubric."""
    return Path(str(resources.files("leaderkit") / "data" / "rubrics" / "seed003.yaml"))


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Read a rubric YAML file (评分表); the shipped document 003 rubric when `path` is None.

    Raises RubricError naming the file, the YAML path and its line when the file does not fit the format.
    """
    path = Path(path) if path is not None else default_rubric_path()
    if not path.exists():
        raise RubricError(f"找不到评分表文件 {path}", f"rubric file not found: {path}",
                          hint=Text("检查路径；省略路径则使用内置的 文件 003 评分表",
                                    "check the path; leave it out to use the shipped document 003 rubric"))
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    data, lines = read_yaml(text, source=str(path), error=RubricError, what=Text("评分表", "a rubric"))
    try:
        return Rubric.model_validate({**data, "path": str(path), "digest": hashlib.sha256(raw).hexdigest()})
    except ValidationError as exc:
        issues = model_errors(exc, lines)
        zh, en = issue_lines(issues)
        dotted, line, _ = issues[0]
        at = f"{path}: {dotted or '(top)'}" + (f", line {line}" if line else "")
        raise RubricError(f"评分表格式错误：\n  {zh}", f"rubric format error:\n  {en}", where=at,
                          hint=Text("对照内置的 seed003.yaml 修改该处", "compare with the shipped seed003.yaml"),
                          ) from None


def _as_rubric(rubric) -> Rubric:
    if rubric is None or isinstance(rubric, str | Path):
        return load_rubric(rubric)
    if isinstance(rubric, Rubric):
        return rubric
    raise TypeError("rubric must be None, a path or a Rubric (评分表须为路径或 Rubric)")


# --- checking the rubric ----------------------------------------------------------------------------
def check_rubric(rubric=None) -> pd.DataFrame:
    """Findings about the rubric itself (评分表自查), one row each.

    Columns: code (LK-R0xx), severity (error/warning/info), message (中文), message_en, clause, where.
    Reports category maxima the items do not add up to, grade thresholds that need a perfect score or
    cannot be reached, score bands that the literal grade texts put in no grade or in two grades,
    options worth 0 points, items with no 0-point option, references to clauses that do not exist,
    stray headings, overlapping count bands and counts that no option covers.
    """
    rubric = _as_rubric(rubric)
    findings: list[dict] = []

    def add(code, severity, zh, en, clause, where):
        findings.append({"code": code, "severity": severity, "message": zh, "message_en": en,
                         "clause": clause, "where": where})

    reach = rubric.category_max()
    for n, cat in enumerate(rubric.categories):
        if reach[cat.id] != cat.declared_max:
            add("LK-R001", "warning",
                f"{cat.name}声明满分 {cat.declared_max} 分，但各评分项合计最高 {reach[cat.id]} 分；"
                f"总分最高 {sum(reach.values())} 分而非 {sum(c.declared_max for c in rubric.categories)} 分",
                f"{cat.name_en or cat.id}: declared maximum {cat.declared_max}, but its items add up to "
                f"{reach[cat.id]}; the highest total is {sum(reach.values())}, not "
                f"{sum(c.declared_max for c in rubric.categories)}",
                rubric.clause(cat.number), f"categories[{n}].declared_max")
    reach_total = sum(reach.values())
    for gi, grade in enumerate(rubric.grades):
        for ci, cond in enumerate(grade.all_of):
            top = reach_total if cond.score == TOTAL else reach[cond.score]
            name = rubric.dim_name(cond.score)
            if cond.min is not None and cond.min > top:
                add("LK-R003", "error",
                    f"{grade.name}要求{name.zh} ≥ {cond.min}，但最高只能得 {top} 分，该等级无法达到",
                    f"{grade.name_en}: needs {name.en} ≥ {cond.min}, but at most {top} can be scored; "
                    "the grade cannot be reached",
                    rubric.clause(f"4 {grade.name}"), f"grades[{gi}].all_of[{ci}]")
            elif cond.min is not None and cond.min == top:
                add("LK-R002", "info",
                    f"{grade.name}要求{name.zh} ≥ {cond.min}，即该类满分（各项合计最高 {top} 分），不允许任何失分",
                    f"{grade.name_en}: needs {name.en} ≥ {cond.min}, a perfect score (its items add up to "
                    f"{top}); no point may be lost",
                    rubric.clause(f"4 {grade.name}"), f"grades[{gi}].all_of[{ci}]")
    findings += _grade_band_findings(rubric, reach)
    ids = set(rubric.item_ids) | {g.id for g in rubric.groups} | {c.number for c in rubric.categories}
    for n, item in enumerate(rubric.items):
        if item.options is None and item.points == 0:
            add("LK-R006", "warning", f"评分项 {item.id} 分值为 0 分，满足与否不影响得分",
                f"item {item.id} is worth 0 points: meeting it changes nothing",
                rubric.clause(item.id), f"items[{n}].points")
        for k, option in enumerate(item.options or ()):
            if option.points == 0 and not option.absence:
                add("LK-R006", "warning",
                    f"评分项 {item.id}{option.key}) 记 0 分，但描述的是已做到的事项（{option.text}），"
                    "与“未做到”得分相同",
                    f"item {item.id}{option.key}) is worth 0 points although it describes something done "
                    f"({option.label_en or option.text}); it scores the same as not doing it",
                    rubric.clause(f"{item.id}{option.key}"), f"items[{n}].options[{k}].points")
        if item.options is not None and not any(o.points == 0 for o in item.options):
            listed = "、".join(f"{o.key}) {o.points} 分" for o in item.options)
            add("LK-R007", "info",
                f"评分项 {item.id} 只列出 {listed}，没有 0 分选项：两者都不满足的机构在该项得 0 分",
                f"item {item.id} lists only " + ", ".join(f"{o.key}) {o.points}" for o in item.options)
                + " points and no 0-point option: an agency meeting neither scores 0 there",
                rubric.clause(item.id), f"items[{n}].options")
        for r, ref in enumerate(item.refs):
            if ref not in ids:
                add("LK-R008", "warning", f"评分项 {item.id} 引用的条款 {ref} 在本文件中不存在",
                    f"item {item.id} refers to clause {ref}, which does not exist in the document",
                    rubric.clause(item.id), f"items[{n}].refs[{r}]")
        if item.options is not None and any(o.facts for o in item.options):
            findings += _option_band_findings(rubric, n, item)
    for n, stray in enumerate(rubric.stray_headings):
        add("LK-R009", "warning",
            f"评分项 {stray.after} 之后出现孤立的标题“{stray.text}”，不属于任何评分项（疑为原文编号残留）",
            f"a stray heading \"{stray.text}\" follows item {stray.after} and belongs to no item "
            "(apparently a leftover number)",
            rubric.clause(stray.after), f"stray_headings[{n}]")
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f["severity"]], f["code"]))
    return pd.DataFrame(findings, columns=FINDING_COLUMNS)


def _literal_membership(rubric: Rubric, scores: np.ndarray) -> np.ndarray:
    """Which grades the grade texts literally assign (n × grades), ignoring the highest-first rule."""
    dims = rubric.dims
    out = np.zeros((scores.shape[0], len(rubric.grades)), dtype=bool)
    for g, grade in enumerate(rubric.grades):
        ok = np.ones(scores.shape[0], dtype=bool) if grade.all_of else np.zeros(scores.shape[0], dtype=bool)
        for cond in grade.all_of:
            ok &= _holds(scores[:, dims.index(cond.score)], cond)
        if grade.any_of:
            anyok = np.zeros(scores.shape[0], dtype=bool)
            for cond in grade.any_of:
                anyok |= _holds(scores[:, dims.index(cond.score)], cond)
            ok = (ok & anyok) if grade.all_of else anyok
        out[:, g] = ok
    return out


def _holds(values: np.ndarray, cond: Condition) -> np.ndarray:
    ok = np.ones(values.shape, dtype=bool)
    if cond.min is not None:
        ok &= values >= cond.min
    if cond.max is not None:
        ok &= values <= cond.max
    return ok


def _score_grid(rubric: Rubric, reach: dict[str, int]) -> np.ndarray | None:
    """Every integer combination of category scores (with the total), when small enough to list."""
    sizes = [reach[c.id] + 1 for c in rubric.categories]
    if np.prod(sizes, dtype=float) > 5e6:
        return None
    axes = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
    cats = np.stack([a.ravel() for a in axes], axis=1)
    return np.column_stack([cats, cats.sum(axis=1)])


def _grade_band_findings(rubric: Rubric, reach: dict[str, int]) -> list[dict]:
    """Score bands that the literal grade texts put in no grade (LK-R004) or in two grades (LK-R005)."""
    grid = _score_grid(rubric, reach)
    if grid is None:
        return []
    member = _literal_membership(rubric, grid)
    none_mask = ~member.any(axis=1)
    multi_mask = member.sum(axis=1) >= 2
    lowest = rubric.grades[-1]
    passing = [g for g in rubric.grades if not g.otherwise]
    findings = []
    for d, dim in enumerate(rubric.dims):
        name = rubric.dim_name(dim)
        mins = [next((c.min for c in g.all_of if c.score == dim and c.min is not None), 0) for g in passing]
        low_min = min(mins) if mins else 0
        cap = next((c.max for c in lowest.any_of if c.score == dim and c.max is not None), None)
        start = 0 if cap is None else cap + 1
        if start <= low_min - 1:
            band = (grid[:, d] >= start) & (grid[:, d] <= low_min - 1) & none_mask
            if band.any():
                ex = grid[np.flatnonzero(band)[-1]]
                lo_txt = f"{start}–{low_min - 1}" if start < low_min - 1 else f"{start}"
                cap_zh = f"{lowest.name}写“{cap}分以下”" if cap is not None else f"{lowest.name}对{name.zh}没有条件"
                cap_en = (f"{lowest.name_en} says \"{cap} or less\"" if cap is not None
                          else f"{lowest.name_en} has no condition on {name.en}")
                findings.append({
                    "code": "LK-R004", "severity": "warning",
                    "message": (f"{name.zh}为 {lo_txt} 分时可能不属于任何等级：{cap_zh}，而最低的合格等级要求"
                                f" ≥ {low_min}（例如 {_example(rubric, ex)}）。按“从高到低取条件全部满足的最高等级，"
                                f"否则为{lowest.name}”处理，此类情况评为{lowest.name}"),
                    "message_en": (f"{name.en} of {lo_txt} can fall in no grade: {cap_en}, while the lowest "
                                   f"passing grade needs ≥ {low_min} (e.g. {_example(rubric, ex, 'en')}). "
                                   f"Resolved by the highest-grade-first rule: {lowest.name_en}"),
                    "clause": rubric.clause(f"4 {lowest.name}"), "where": f"grades[{len(rubric.grades) - 1}].any_of"})
        if cap is not None and cap >= low_min:
            band = (grid[:, d] >= low_min) & (grid[:, d] <= cap) & multi_mask
            if band.any():
                idx = np.flatnonzero(band)
                first = idx[np.argmin(grid[idx, -1])]
                ex = grid[first]
                both = [g for g, m in zip(passing, mins, strict=True) if m <= cap] + [lowest]
                top = rubric.grades[int(np.flatnonzero(member[first])[0])]
                val_txt = f"{low_min}" if low_min == cap else f"{low_min}–{cap}"
                findings.append({
                    "code": "LK-R005", "severity": "warning",
                    "message": (f"{name.zh}恰为 {val_txt} 分时同时符合{'、'.join(g.name for g in both)}的文字条件"
                                f"（“{low_min}分以上”与“{cap}分以下”都包含本数）。按从高到低取条件全部满足的最高等级，"
                                f"例如 {_example(rubric, ex)} 评为{top.name}"),
                    "message_en": (f"{name.en} of exactly {val_txt} fits the texts of "
                                   f"{', '.join(g.name_en for g in both)} (\"{low_min} or more\" and \"{cap} or less\" "
                                   f"both include the number). The highest grade whose conditions all hold wins: "
                                   f"e.g. {_example(rubric, ex, 'en')} is {top.name_en}"),
                    "clause": rubric.clause(f"4 {lowest.name}"), "where": f"grades[{len(rubric.grades) - 1}].any_of"})
    return findings


def _example(rubric: Rubric, row: np.ndarray, lang: str = "zh") -> str:
    parts = []
    for d, dim in enumerate(rubric.dims):
        name = rubric.dim_name(dim)
        parts.append(f"{name.zh} {int(row[d])}" if lang == "zh" else f"{name.en} {int(row[d])}")
    return ("、" if lang == "zh" else ", ").join(parts)


def _option_band_findings(rubric: Rubric, n: int, item: Item) -> list[dict]:
    """Counts that two options both match (LK-R010) or that no option matches (LK-R011)."""
    names = sorted({f for o in item.options for f in o.facts})
    edges = [max([b for o in item.options for b in o.facts.get(f, (None, None)) if b is not None] + [0]) + 2
             for f in names]
    grid = np.array(list(itertools.product(*[range(e + 1) for e in edges])), dtype=float)
    match = _match(item, names, grid)
    findings = []
    overlap = match.sum(axis=1) >= 2
    if overlap.any():
        chosen = _choose(item, match)
        shown = []
        for r in np.flatnonzero(overlap):
            keys = [item.options[k].key for k in np.flatnonzero(match[r])]
            point = [f"{f}={v}" for f, v in zip(names, grid[r].astype(int), strict=True)]
            shown.append((point, keys, item.options[chosen[r]]))
        shown = _spread(shown, 4)
        zh = "；".join(f"{'、'.join(p)} 同时符合 {'、'.join(k + ')' for k in keys)}，取 {c.key}) {c.points} 分"
                      for p, keys, c in shown)
        en = "; ".join(f"{', '.join(p)} matches {', '.join(k + ')' for k in keys)}: {c.key}) {c.points} points taken"
                       for p, keys, c in shown)
        findings.append({
            "code": "LK-R010", "severity": "info",
            "message": f"评分项 {item.id} 的数量区间相互重叠（“以上/以下/以内”含本数）：{zh}"
                       "（规则：条件中确定值更多的选项优先，如“未…”，其次取分值高者）",
            "message_en": f"item {item.id}: count bands overlap (以上/以下/以内 include the number): {en} "
                          "(rule: the option with more exact conditions wins, such as \"none\", then the higher points)",
            "clause": rubric.clause(item.id), "where": f"items[{n}].options"})
    gap = ~match.any(axis=1)
    if gap.any():
        shown = _spread([", ".join(f"{f}={int(v)}" for f, v in zip(names, grid[r], strict=True))
                         for r in np.flatnonzero(gap)], 4)
        findings.append({
            "code": "LK-R011", "severity": "warning",
            "message": f"评分项 {item.id} 的选项没有覆盖所有情况，例如 {'；'.join(shown)}：不符合任何选项，记 0 分",
            "message_en": f"item {item.id}: its options do not cover every case, e.g. {'; '.join(shown)}: "
                          "no option applies, 0 points",
            "clause": rubric.clause(item.id), "where": f"items[{n}].options"})
    return findings


def _spread(values: list, k: int) -> list:
    if len(values) <= k:
        return values
    picks = np.linspace(0, len(values) - 1, k).round().astype(int)
    return [values[i] for i in dict.fromkeys(picks)]


def _match(item: Item, names: list[str], counts: np.ndarray) -> np.ndarray:
    """Which options' count conditions hold (n × options); counts are non-negative integers."""
    lo = np.array([[(o.facts.get(f, (None, None))[0] or 0) for f in names] for o in item.options], dtype=float)
    hi = np.array([[(np.inf if o.facts.get(f, (None, None))[1] is None else o.facts[f][1]) for f in names]
                   for o in item.options], dtype=float)
    has = np.array([bool(o.facts) for o in item.options])
    ok = ((counts[:, None, :] >= lo[None]) & (counts[:, None, :] <= hi[None])).all(axis=2)
    return ok & has[None, :]


def _choose(item: Item, match: np.ndarray) -> np.ndarray:
    """Index of the chosen option per row: most exact conditions first, then most points (-1: none)."""
    exact = np.array([sum(1 for lo, hi in o.facts.values() if lo is not None and lo == hi) for o in item.options])
    points = np.array([o.points for o in item.options])
    key = exact * (points.max() + 1) + points
    ranked = np.where(match, key[None, :], -1)
    return np.where(match.any(axis=1), ranked.argmax(axis=1), -1)


# --- reading records --------------------------------------------------------------------------------
def _read_records(records, what: Text) -> tuple[pd.DataFrame, str, bool]:
    """A DataFrame from a DataFrame, CSV/Excel or YAML path; the source name and whether it is a file."""
    if isinstance(records, pd.DataFrame):
        df = records.copy()
        df.columns = [str(c).strip() for c in df.columns]
        return df, "DataFrame", False
    path = Path(records)
    if path.suffix.lower() in (".yaml", ".yml"):
        if not path.exists():
            raise RecordsError(f"找不到文件 {path}", f"file not found: {path}", hint=Text("检查路径", "check the path"))
        data, _ = load_yaml(path.read_text(encoding="utf-8-sig"), source=str(path), error=RecordsError, what=what)
        if isinstance(data, dict) and isinstance(data.get("records"), list):
            data = data["records"]
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise RecordsError(f"{what.zh}的 YAML 文件应为记录列表（每条一个映射）",
                               f"a YAML file of {what.en} is a list of records (one mapping each)", where=str(path),
                               hint=Text("写成 `- agency: …` 的列表，或 `records:` 下的列表",
                                         "write a list of `- agency: …`, or a list under `records:`"))
        df = pd.DataFrame(data)
        df.columns = [str(c).strip() for c in df.columns]
        return df, str(path), True
    from leaderkit.standards.loading import InputError, read_table

    try:
        df = read_table(path)
    except InputError as exc:
        raise RecordsError(exc.text.zh, exc.text.en, where=exc.where, hint=exc.hint) from None
    return df, str(path), True


def _row_labels(df: pd.DataFrame, is_file: bool) -> list[str]:
    if is_file:
        return [f"第 {n + 2} 行 / row {n + 2}" for n in range(len(df))]
    return [f"index {i}" for i in df.index]


def _require(df: pd.DataFrame, columns: list[str], source: str, what: Text) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        shown = "、".join(missing[:8]) + ("…" if len(missing) > 8 else "")
        raise RecordsError(f"{what.zh}缺少列：{shown}", f"{what.en}: missing columns: {', '.join(missing[:8])}",
                           where=source,
                           hint=Text("每行一个机构和年度：agency、year、每个评分项一列（列名为项号，如 2.3）及五个否决项列",
                                     "one row per agency and year: agency, year, one column per item id (e.g. 2.3) "
                                     "and the five veto columns"))


def _keys(df: pd.DataFrame, source: str, labels: list[str], what: Text) -> tuple[pd.Series, pd.Series]:
    agency = df["agency"].astype("string").str.strip()
    year = pd.to_numeric(df["year"], errors="coerce")
    plausible = year.between(1980, 2100) & (year == year.round())
    bad = agency.isna() | (agency == "") | ~plausible.fillna(False)
    if bad.any():
        r = int(np.flatnonzero(bad.to_numpy())[0])
        shown = df["year"].iloc[r]
        raise RecordsError(f"{what.zh}的机构名或年度缺失/无效：{labels[r]}（年度 {shown!r}，应为 1980–2100 的整数）",
                           f"{what.en}: agency or year missing or invalid at {labels[r]} (year {shown!r}; a whole "
                           "number from 1980 to 2100)", where=f"{source}: {labels[r]}",
                           hint=Text("填写机构名称和四位年份", "fill in the agency name and a four-digit year"))
    year = year.astype(int)
    dup = pd.DataFrame({"a": agency, "y": year}).duplicated(keep=False).to_numpy()
    if dup.any():
        r = int(np.flatnonzero(dup)[0])
        raise RecordsError(f"{what.zh}中机构 {agency.iloc[r]} 的 {year.iloc[r]} 年度出现多行",
                           f"{what.en}: agency {agency.iloc[r]} has several rows for {year.iloc[r]}",
                           where=source, hint=Text("每个机构每年一行", "one row per agency and year"))
    return agency.reset_index(drop=True), year.reset_index(drop=True)


def _booleans(df: pd.DataFrame, column: str, source: str, labels: list[str], agency, year) -> np.ndarray:
    """A veto column as booleans: the yes/no words of `leaderkit._kit.words`; an empty cell means no."""
    col = df[column]
    text = col.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    value = truth(text)
    empty = (text.isna() | (text == "")).to_numpy(bool)
    bad = value.isna().to_numpy(bool) & ~empty
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        raise RecordsError(
            f"否决项列 {column} 的值 {col.iloc[r]!r} 无法识别（机构 {agency[r]}，{year[r]} 年度）",
            f"veto column {column}: value {col.iloc[r]!r} is not a yes/no (agency {agency[r]}, year {year[r]})",
            where=f"{source}: {labels[r]}, {column}",
            hint=Text("填 是/否、true/false 或 1/0；空白视为“否”", "use true/false, 1/0 or 是/否; blank means no"))
    return value.fillna(False).to_numpy(bool)


# --- grading ----------------------------------------------------------------------------------------
def grade_agencies(records, rubric=None) -> pd.DataFrame:
    """Grade agencies (评估机构评价分级): one row per agency and year.

    `records` is a DataFrame, or a CSV/Excel/YAML path, with `agency`, `year`, one column per item id
    holding the points awarded, and the rubric's boolean veto columns. Points must be among the item's
    allowed values (its points or 0; an option's points or 0) — otherwise InvalidPointsError names the
    agency, year, item, value and the allowed values.

    Returns agency, year, the category scores (basic, core, incentive for document 003), total, grade (1–4),
    veto_ids (the ids of the vetoes that applied, joined by ";"), gap_<score> (what is missing for the next
    grade up, as numbers; NaN for the top grade) and each text in both languages, `<name>_zh` and
    `<name>_en`: grade_name, decided_by (the condition that decided the grade), vetoes (their texts), lacks
    (the gaps in words, e.g. "核心指标差 2 分") and consequence. The result is the same whatever the current
    language; choose the language where it is shown (`leaderkit._kit.i18n.pick(graded, "lacks", lang)`).
    `attrs` carries the rubric id, its file's sha256 and a sha256 of the records.
    """
    rubric = _as_rubric(rubric)
    what = Text("评价记录", "agency records")
    df, source, is_file = _read_records(records, what)
    item_ids = rubric.item_ids
    veto_ids = [v.id for v in rubric.vetoes]
    _require(df, ["agency", "year", *item_ids, *veto_ids], source, what)
    labels = _row_labels(df, is_file)
    agency, year = _keys(df, source, labels, what)
    points = _points_matrix(df, rubric, source, labels, agency, year)
    vetoes = (np.column_stack([_booleans(df, v, source, labels, agency, year) for v in veto_ids])
              if veto_ids else np.zeros((len(df), 0), dtype=bool))

    cats = [c.id for c in rubric.categories]
    membership = np.array([[item.category == c for c in cats] for item in rubric.items], dtype=float)
    cat_scores = points @ membership
    scores = np.column_stack([cat_scores, cat_scores.sum(axis=1)])
    return _grade_table(rubric, agency, year, scores, vetoes, df)


def _points_matrix(df, rubric: Rubric, source, labels, agency, year) -> np.ndarray:
    item_ids = rubric.item_ids
    raw = df[item_ids]
    values = raw.apply(lambda s: pd.to_numeric(s.astype("string").str.strip(), errors="coerce")).to_numpy(float)
    width = max(len(i.allowed) for i in rubric.items)
    allowed = np.full((len(item_ids), width), np.nan)
    for k, item in enumerate(rubric.items):
        allowed[k, : len(item.allowed)] = item.allowed
    ok = (values[:, :, None] == allowed[None, :, :]).any(axis=2)
    if not ok.all():
        rows, cols = np.nonzero(~ok)
        r, c = int(rows[0]), int(cols[0])
        item = rubric.items[c]
        value = raw.iloc[r, c]
        allowed_txt = "、".join(str(v) for v in item.allowed)
        more = len(rows) - 1
        more_zh = f"（另有 {more} 处无效得分）" if more else ""
        more_en = f" ({more} more invalid cells)" if more else ""
        raise InvalidPointsError(
            f"机构 {agency[r]} {year[r]} 年度，评分项 {item.id} 的得分 {value!r} 无效：允许的分值为 {allowed_txt}{more_zh}",
            f"agency {agency[r]}, year {year[r]}, item {item.id}: points {value!r} are not allowed; "
            f"allowed values: {', '.join(str(v) for v in item.allowed)}{more_en}",
            where=f"{source}: {labels[r]}, 列/column {item.id}",
            hint=Text(f"按评分表（{rubric.clause(item.id)}）填写其中一个分值；空白也不允许，未得分请填 0",
                      f"enter one of the allowed values ({rubric.clause(item.id)}); blanks are not allowed, "
                      "write 0 for no points"))
    return values


def _grade_table(rubric: Rubric, agency, year, scores: np.ndarray, vetoes: np.ndarray, df) -> pd.DataFrame:
    n = len(agency)
    dims = rubric.dims
    grades = rubric.grades
    holds = np.ones((n, len(grades)), dtype=bool)
    for g, grade in enumerate(grades):
        if grade.otherwise:
            continue
        for cond in grade.all_of:
            holds[:, g] &= _holds(scores[:, dims.index(cond.score)], cond)
        if grade.any_of:
            anyok = np.zeros(n, dtype=bool)
            for cond in grade.any_of:
                anyok |= _holds(scores[:, dims.index(cond.score)], cond)
            holds[:, g] &= anyok
    chosen = holds.argmax(axis=1)
    vetoed = vetoes.any(axis=1)
    if rubric.vetoes:
        veto_grade = next(g for g, grade in enumerate(grades) if grade.vetoes)
        chosen = np.where(vetoed, veto_grade, chosen)

    # deficits towards the next grade up (numbers), vectorised per score column
    up = chosen - 1
    gaps = np.full((n, len(dims)), np.nan)
    for g, grade in enumerate(grades[:-1]):
        rows = up == g
        if not rows.any():
            continue
        gaps[rows] = 0.0
        for cond in grade.all_of:
            d = dims.index(cond.score)
            short = np.zeros(rows.sum())
            if cond.min is not None:
                short = np.maximum(short, cond.min - scores[rows, d])
            if cond.max is not None:
                short = np.maximum(short, scores[rows, d] - cond.max)
            gaps[rows, d] = np.maximum(gaps[rows, d], short)
    gap_frame = pd.DataFrame(gaps, columns=[f"gap_{d}" for d in dims])

    veto_text = {lang: _joined(vetoes, [_veto_label(v, lang) for v in rubric.vetoes], tr("；", "; ", lang))
                 for lang in LANGUAGES}
    out = pd.DataFrame({"agency": agency, "year": year})
    for d, dim in enumerate(dims):
        out[dim] = scores[:, d].astype(int)
    out["grade"] = np.array([g.grade for g in grades])[chosen]
    for lang in LANGUAGES:
        out[f"grade_name_{lang}"] = np.array([rubric.grade_name(g).get(lang) for g in grades], dtype=object)[chosen]
    for lang in LANGUAGES:
        out[f"decided_by_{lang}"] = _decided_by(rubric, scores, chosen, vetoed, veto_text[lang], lang)
    out["veto_ids"] = _joined(vetoes, [v.id for v in rubric.vetoes], ";")
    for lang in LANGUAGES:
        out[f"vetoes_{lang}"] = veto_text[lang]
    for lang in LANGUAGES:
        out[f"lacks_{lang}"] = _lacks(rubric, gap_frame, up, vetoed, lang)
    out = pd.concat([out, gap_frame], axis=1)
    out["consequence_zh"] = np.array([g.consequence for g in grades], dtype=object)[chosen]
    out["consequence_en"] = np.array([g.consequence_en or g.consequence for g in grades], dtype=object)[chosen]
    out.attrs.update({"rubric": rubric.id, "rubric_sha256": rubric.digest,
                      "records_sha256": _frame_digest(df)})
    return out


def _veto_label(veto: Veto, lang: str) -> str:
    label = f"否决项 {veto.number}：{veto.text}" if lang == "zh" else f"veto {veto.number}: {veto.text_en or veto.text}"
    return label.rstrip("；。;")


def _joined(flags: np.ndarray, labels: list[str], sep: str) -> np.ndarray:
    """Per row: the labels of the columns of `flags` (rows × labels) that are set, joined by `sep`."""
    out = pd.Series([""] * len(flags), dtype=object)
    for k, label in enumerate(labels):
        out = out + np.where((out != "") & flags[:, k], sep, "") + np.where(flags[:, k], label, "")
    return out.to_numpy()


def _lacks(rubric: Rubric, gaps: pd.DataFrame, up: np.ndarray, vetoed: np.ndarray, lang: str) -> np.ndarray:
    """Per row, in `lang`: what is missing for the next grade up ("核心指标差 2 分"), the veto first."""
    sep = tr("；", "; ", lang)
    lacks = pd.Series([""] * len(gaps), dtype=object)
    for d, dim in enumerate(rubric.dims):
        col = gaps.iloc[:, d].fillna(0)
        piece = np.where(col > 0, (rubric.dim_name(dim).get(lang) + tr("差 ", " short by ", lang)
                                   + col.astype(int).astype(str) + tr(" 分", " points", lang)).to_numpy(), "")
        lacks = lacks + np.where((lacks != "") & (piece != ""), sep, "") + piece
    lacks = np.where(vetoed, tr("须先消除否决项", "the veto must be cleared first", lang)
                     + np.where(lacks != "", sep + lacks, ""), lacks)
    return np.where((up >= 0) & (lacks == "") & ~vetoed,
                    tr("已满足上一级的分数条件", "meets the scores of the next grade up", lang), lacks)


def _decided_by(rubric: Rubric, scores, chosen, vetoed, veto_text, lang) -> np.ndarray:
    """Per row, in `lang`: the veto, or the grade's conditions met and the first condition of the grade above
    that failed."""
    dims = rubric.dims
    grades = rubric.grades
    met = []
    for grade in grades:
        if grade.otherwise:
            met.append("")
            continue
        conds = tr("，", ", ", lang).join(f"{rubric.dim_name(c.score).get(lang)} ≥ {c.min}"
                                         for c in grade.all_of if c.min is not None)
        met.append(tr(f"满足{grade.name}条件（{conds}）", f"meets {grade.name_en} ({conds})", lang))
    out = np.array(met, dtype=object)[chosen]
    for g, grade in enumerate(grades[:-1]):
        rows = chosen == g + 1
        if not rows.any():
            continue
        failed = pd.Series([""] * int(rows.sum()), dtype=object)
        for cond in grade.all_of:
            if cond.min is None:
                continue
            vals = scores[rows, dims.index(cond.score)].astype(int)
            text = pd.Series(vals).astype(str)
            piece = np.where(vals < cond.min, rubric.dim_name(cond.score).get(lang) + " " + text + f" < {cond.min}", "")
            sep = np.where((failed != "") & (piece != ""), tr("、", ", ", lang), "")
            failed = failed + sep + piece
        prefix = tr(f"未达{grade.name}：", f"below {grade.name_en}: ", lang)
        current = pd.Series(out[rows], dtype=object)
        out[rows] = np.where(current != "", prefix + failed + tr("；", "; ", lang) + current, prefix + failed)
    return np.where(vetoed, veto_text, out)


def _frame_digest(df: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(df.astype(str), index=False).to_numpy().tobytes()).hexdigest()


# --- points from facts ------------------------------------------------------------------------------
def score_facts(facts, rubric=None) -> pd.DataFrame:
    """Points derived from counts with the rubric's option rules (由事实计分).

    `facts` (DataFrame, CSV/Excel/YAML) has `agency`, `year` and count columns named like the rubric's
    facts — for document 003: trainings (→ 3.1), group_standards_led and group_standards_participated (→ 2.3),
    rankings_published and leader_lists_published (→ 2.4), certifications_led and certifications_cooperated
    (→ 3.3), products_registered (→ 3.4), brand_evaluations (→ 3.5). An item is scored when all its facts
    are present. Counts must be whole numbers ≥ 0.

    Returns agency, year, one points column per scored item and `<item>_option` with the option taken
    ("" when no option applies: 0 points). Where bands overlap, the option with more exact conditions wins
    ("未…"), then the higher points; `check_rubric` lists the overlaps and the gaps.
    """
    rubric = _as_rubric(rubric)
    what = Text("事实数据", "facts")
    df, source, is_file = _read_records(facts, what)
    _require(df, ["agency", "year"], source, what)
    labels = _row_labels(df, is_file)
    agency, year = _keys(df, source, labels, what)
    scorable = []
    for item in rubric.items:
        names = sorted({f for o in item.options or () for f in o.facts})
        if not names:
            continue
        present = [f for f in names if f in df.columns]
        if len(present) == len(names):
            scorable.append((item, names))
        elif present:
            missing = [f for f in names if f not in df.columns]
            raise RecordsError(f"评分项 {item.id} 需要事实列 {'、'.join(names)}，缺少 {'、'.join(missing)}",
                               f"item {item.id} needs fact columns {', '.join(names)}; missing {', '.join(missing)}",
                               where=source, hint=Text("补齐这些列，或删去该项的全部事实列",
                                                       "add them, or drop all of this item's fact columns"))
    if not scorable:
        known = "、".join(f.id for f in rubric.facts)
        raise RecordsError(f"事实数据中没有可用于计分的列；可用的列：{known}",
                           f"no fact column that points can be derived from; known facts: {known}", where=source)
    used = sorted({f for _, names in scorable for f in names})
    counts = df[used].apply(lambda s: pd.to_numeric(s.astype("string").str.strip(), errors="coerce")).to_numpy(float)
    bad = np.isnan(counts) | (counts < 0) | (counts != np.round(counts))
    if bad.any():
        r, c = (int(v[0]) for v in np.nonzero(bad))
        raise RecordsError(
            f"机构 {agency[r]} {year[r]} 年度，事实 {used[c]} 的值 {df[used[c]].iloc[r]!r} 无效：应为不小于 0 的整数",
            f"agency {agency[r]}, year {year[r]}, fact {used[c]}: value {df[used[c]].iloc[r]!r} is not a whole "
            "number ≥ 0", where=f"{source}: {labels[r]}, 列/column {used[c]}",
            hint=Text("填写次数/项数/型号数（整数），没有则填 0", "enter a count (whole number); 0 if none"))
    out = pd.DataFrame({"agency": agency, "year": year})
    options = {}
    for item, names in scorable:
        sub = counts[:, [used.index(f) for f in names]]
        chosen = _choose(item, _match(item, names, sub))
        pts = np.array([o.points for o in item.options] + [0])
        keys = np.array([o.key for o in item.options] + [""], dtype=object)
        out[item.id] = pts[chosen]
        options[f"{item.id}_option"] = keys[chosen]
    out = pd.concat([out, pd.DataFrame(options)], axis=1)
    out.attrs.update({"rubric": rubric.id, "rubric_sha256": rubric.digest, "facts_sha256": _frame_digest(df)})
    return out

