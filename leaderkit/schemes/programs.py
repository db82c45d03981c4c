"""Programme profiles (活动规则配置): the rules of a programme as data.

A profile is a YAML file under leaderkit/data/programs/ (national, mofcom-2023, jincheng-2021) or a file
of the user's own. Every parameter cites the source document and clause it comes from (`sources`), and a
profile may `extends:` another one and override some parameters:

    extends: national
    name: my-city-2025
    key_domains: [{domain: 电饭锅, category: 家用电器}]
    sources: {key_domains: "市局 2025 年通知 第二条"}

`load_program("national")`, `load_program("path/to/profile.yaml")`.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit._kit.periods import add_months
from leaderkit._kit.yamlfile import issue_lines, model_errors, read_yaml

PROGRAMS_DIR = Path(__file__).parents[1] / "data" / "programs"


class ProgramError(LeaderkitError):
    """A programme profile cannot be found or read (活动规则配置错误)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Model):
    """The working organisation (工作机构) and the names it and its subsidiaries go by."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    subsidiaries: list[str] = Field(default_factory=list, description="下属单位 / subsidiaries")

    def names(self) -> list[str]:
        return [self.name, *self.aliases, *self.subsidiaries]


class KeyDomain(_Model):
    domain: str
    category: str | None = None


class NegativeEntry(_Model):
    """An agency on the negative list (负面清单) or disqualified (取消资格)."""

    name: str
    credit_code: str | None = None
    listed_on: date
    reason: str | None = None


class Program(_Model):
    """A programme profile. Parameters left empty (None) are ones its source documents do not state."""

    name: str
    title: str
    documents: list[str] = Field(description="依据文件 / the source documents (docs/SOURCES.md)")
    extends: str | None = None
    working_organisation: Organisation | None = None
    platforms: list[str] = Field(default_factory=list, description="企业标准声明公开平台 / platforms")
    publicity_working_days: int = Field(description="公示期（工作日）/ publicity in working days")
    min_experts: int = Field(description="每个方案的评审专家最少人数 / minimum experts")
    min_public_days: int = Field(
        description="标准公开至入围的最短天数；以月计的活动（min_public_months）为按每月 30 日折算的天数，仅供以天计的"
        "检查使用 / minimum public time in days; for a programme that counts months, 30 days a month, only for "
        "checks that count days")
    min_public_months: int | None = Field(
        None, ge=1, description="标准公开至入围的最短月数，按自然月计（民法典第二百零一、二百零二条）；None 表示活动以天计"
        " / minimum public time in calendar months (Civil Code art. 201–202); None: the programme counts days")
    usual_cycle_months: int = Field(12, description="评估周期原则 / usual cycle")
    max_cycle_months: int = Field(description="评估周期上限 / maximum cycle")
    ban_years: int = Field(3, description="取消资格后不得参与的年数 / years barred")
    adjustment_bans: bool = Field(
        False, description="动态调整（标准废止、产品停售）终止的称号是否也导致三年禁入 / whether a title ended by "
        "dynamic adjustment (standard abolished, product discontinued) bars the enterprise too")
    max_leader_percent: float | None = Field(
        None, gt=0, le=100, description="领跑者占参评标准的最高比例（%）；None 表示依据文件未规定 / the largest share "
        "of leaders among the ranked standards a programme allows; None: no document sets one")
    fees_allowed: bool = False
    requires_enterprise_consent: bool = False
    key_domains: list[KeyDomain] | None = Field(None, description="重点领域；None 表示依据文件未列出")
    declaration_deadline: date | None = Field(
        None, description="企业标准声明公开截止日（含当日）；之后声明的标准不入围 / the last day a standard may be "
        "declared to take part; None: not set")
    report_deadline: date | None = None
    change_notice_working_days: int | None = Field(
        None, ge=1, description="入围标准修订、变更、废止后告知评估机构的期限（工作日）；None 表示未规定 / working days "
        "within which a change of a shortlisted standard is notified to the agency; None: not set")
    negative_list: list[NegativeEntry] | None = Field(
        None, description="负面清单；None 表示本配置不含清单，无法检查 / None: not available"
    )
    sources: dict[str, str] = Field(description="参数 → 依据条款 / parameter → source document and clause")
    notes: list[str] = Field(default_factory=list, description="依据文件的歧义及处理 / ambiguities and decisions")

    @model_validator(mode="before")
    @classmethod
    def _public_days_from_months(cls, data: Any) -> Any:
        """A programme states its minimum public time once, in months or in days; `min_public_days` of a
        month-based programme is derived (30 days a month) for the checks that count days."""
        if not isinstance(data, dict):
            return data
        months = data.get("min_public_months")
        if not isinstance(months, int) or isinstance(months, bool) or months < 1:
            return data  # None, or a value the field itself refuses
        days = data.get("min_public_days")
        if days is None:
            return {**data, "min_public_days": 30 * months}
        if days != 30 * months:
            raise ValueError("最短公开时间只能给出一种：min_public_months（月）或 min_public_days（日） / give the "
                             "minimum public time once: min_public_months or min_public_days, not both")
        return data

    def public_time_met(self, published: date) -> date:
        """The first list date on which a standard declared public on `published` has been public for the
        programme's minimum time (公开时间满足之日).

        Months (`min_public_months`) are calendar months as the Civil Code counts them (art. 201: the day of
        publication does not count; art. 202: the period ends on the corresponding day of the last month, or
        on that month's last day when it has none): published 2023-01-31, 3 months → 2023-04-30, so a list
        dated 2023-04-30 may take the standard and one dated 2023-04-29 may not. Days (`min_public_days`
        without months): `published` + N days, i.e. N whole days between publication and the list date.
        """
        if self.min_public_months is not None:
            return add_months(published, self.min_public_months)
        return published + timedelta(days=self.min_public_days)

    def public_time_text(self) -> Text:
        """The minimum public time in words: "3 个月" / "3 months", or "90 日" / "90 days"."""
        if self.min_public_months is not None:
            n = self.min_public_months
            return Text(f"{n} 个月", f"{n} month{'s' if n != 1 else ''}")
        return Text(f"{self.min_public_days} 日", f"{self.min_public_days} days")

    def source(self, parameter: str) -> str:
        """The source document and clause a parameter comes from ("" if the profile does not say)."""
        return self.sources.get(parameter, "")

    def domain_names(self) -> list[str]:
        return [d.domain for d in self.key_domains or []]


def available_programs() -> list[str]:
    """Names of the profiles shipped with leaderkit."""
    return sorted(p.stem for p in PROGRAMS_DIR.glob("*.yaml"))


def load_program(name_or_path: str | os.PathLike | Program = "national") -> Program:
    """A programme profile by name (national, mofcom-2023, jincheng-2021) or from a YAML file."""
    if isinstance(name_or_path, Program):
        return name_or_path
    return _load(name_or_path, seen=())


_LOADED: dict[tuple, Program] = {}


def _load(name_or_path: str | os.PathLike, seen: tuple[str, ...]) -> Program:
    """A profile file read once per version of the file (path, size, modification time; a profile is frozen,
    so the same object can be handed out again)."""
    path = _find(name_or_path)
    try:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns, seen)
    except OSError:
        key = None
    if key is not None and key in _LOADED:
        program = _LOADED[key]
        if not program.extends or _unchanged(program.extends, (*seen, str(path))):
            return program
    program = _read(path, seen)
    if key is not None:
        _LOADED[key] = program
    return program


def _unchanged(parent: str, seen: tuple[str, ...]) -> bool:
    """Whether the parent profile (and its own parents) are still the files the cached child was built from."""
    try:
        path = _find(parent)
        stat = path.stat()
    except (OSError, ProgramError):
        return False
    cached = _LOADED.get((str(path), stat.st_size, stat.st_mtime_ns, seen))
    return cached is not None and (not cached.extends or _unchanged(cached.extends, (*seen, str(path))))


def _read(path: Path, seen: tuple[str, ...]) -> Program:
    if str(path) in seen:
        raise ProgramError(
            "活动规则配置的 extends 形成循环", "the profiles' `extends` form a cycle", where=" → ".join(seen)
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramError(
            f"无法读取活动规则配置：{exc}", f"cannot read the programme profile: {exc}", where=str(path)
        ) from exc
    data, _ = read_yaml(text, source=str(path), error=ProgramError, what=Text("活动规则配置", "a programme profile"))
    parent = data.get("extends")
    if parent:
        base = _load(parent, (*seen, str(path))).model_dump()
        base_sources = base.pop("sources")
        base.pop("notes")
        if {"min_public_months", "min_public_days"} & data.keys():
            # the minimum public time is stated once: a profile that states it replaces the parent's whole
            base.pop("min_public_months")
            base.pop("min_public_days")
        data = {**base, **data, "sources": {**base_sources, **data.get("sources", {})}}
    try:
        return Program.model_validate(data)
    except ValidationError as exc:
        zh, en = issue_lines(model_errors(exc))
        raise ProgramError(
            f"活动规则配置格式错误：\n  {zh}", f"the programme profile does not fit the format:\n  {en}",
            where=str(path),
            hint=Text("参照 leaderkit/data/programs/national.yaml", "see leaderkit/data/programs/national.yaml"),
        ) from None


def _find(name_or_path: str | os.PathLike) -> Path:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path
    shipped = PROGRAMS_DIR / f"{name_or_path}.yaml"
    if shipped.exists():
        return shipped
    raise ProgramError(
        f"找不到活动规则配置 {str(name_or_path)!r}",
        f"no programme profile {str(name_or_path)!r}",
        hint=Text(
            f"可用：{', '.join(available_programs())}，或给出 YAML 文件路径",
            f"available: {', '.join(available_programs())}, or give the path of a YAML file",
        ),
    )


def program_table(program: Program) -> list[dict[str, Any]]:
    """Parameters with their values and sources, for display."""
    rows = []
    for field in Program.model_fields:
        if field in ("sources", "notes", "name", "title", "documents", "extends"):
            continue
        value = getattr(program, field)
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            value = "、".join(getattr(v, "domain", getattr(v, "name", "")) for v in value)
        elif isinstance(value, BaseModel):
            value = value.name
        rows.append({"parameter": field, "value": value, "source": program.source(field)})
    return rows
