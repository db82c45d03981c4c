"""Evaluation schemes (评估方案) as checkable data files.

A scheme is one YAML file: who wrote it (agency, 评估机构), the nine contents of document 003 2.1
(purpose, scope, indicators, rationale of the indicator choice, method and cycle, enterprise
information, ranking-list mechanism, leader mechanism, implementation targets), the indicators with
their baselines and level thresholds written as requirement texts, the ranking method and the leader
rule that the ranking step consumes, the timeline, fees and the review experts.

    scheme = Scheme.load("sample_data/schemes/washing_machines_a.yaml")
    tuned = scheme.with_changes({"indicators.energy_efficiency.weight": 0.35,
                                 "indicators.water_use.weight": 0.15})
    tuned.digest()   # sha256 of the canonical content, recorded with every result

The model checks types and structure (a weight must be a number, a level name must be one of
leader/advanced/baseline …). Rules of the programme (nine contents present, thresholds stricter than
the baselines, panel size …) are checked by `leaderkit.validate`, which reports every finding instead of
stopping at the first. Loading errors name the YAML path and line:
"indicators[2].weight: 应为数字 / must be a number, line 41".
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from leaderkit._kit.files import write_text
from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit._kit.yamlfile import issue_lines, model_errors, nearest_line, read_yaml
from leaderkit.standards.codes import is_mandatory_code

LevelName = Literal["leader", "advanced", "baseline"]
LEVEL_ORDER: tuple[str, ...] = ("leader", "advanced", "baseline")
LEVEL_NAMES = {
    "leader": Text("领跑水平", "leader level"),
    "advanced": Text("先进水平", "advanced level"),
    "baseline": Text("基准水平", "baseline level"),
}
CONTENTS = {
    "purpose": Text("评估目的", "purpose"),
    "scope": Text("产品或服务范围", "product or service scope"),
    "indicators": Text("评估指标", "indicators"),
    "rationale": Text("指标选取的科学性及水平设置合理性", "rationale of indicator choice and levels"),
    "evaluation_method": Text("评估方法及周期", "evaluation method and cycle"),
    "enterprise_information": Text("企业相关信息", "enterprise information required"),
    "ranking_mechanism": Text("企业标准排行榜形成机制", "ranking-list mechanism"),
    "leader_mechanism": Text("企业标准“领跑者”确定机制", "leader-determination mechanism"),
    "targets": Text("实施目标", "implementation targets"),
}


# Numbers in a scheme are finite and of a plausible size: NaN, ±inf and absurd magnitudes are refused when the
# file is read, so `validate` and `rank` refuse them alike, naming the line.
NUMBER_BOUND = 1e9
Number = Annotated[float, Field(allow_inf_nan=False, ge=-NUMBER_BOUND, le=NUMBER_BOUND)]
Count = Annotated[int, Field(ge=1, le=int(NUMBER_BOUND))]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, allow_inf_nan=False)


class BaselineRef(_Model):
    """A baseline standard an indicator refers to (对标的国家标准/行业标准)."""

    standard: str = Field(min_length=1, description="标准编号，如 GB 12021.4-2013 / standard code")
    level: Literal["national", "industry"] = Field(description="national 国家标准 / industry 行业标准")
    mandatory: bool | None = Field(
        None, description="强制性标准 (GB) / mandatory; omitted: derived from the code (GB but not GB/T)"
    )
    requirement: str = Field(min_length=1, description="该标准的要求文本，如 “≤ 0.032” / requirement text")
    clause: str | None = Field(None, description="条款号 / clause")

    @property
    def is_mandatory(self) -> bool:
        """Declared flag, else derived from the code (`leaderkit.standards.codes.is_mandatory_code`): "GB 1234" is
        mandatory; "GB/T 1234", industry codes ("JB 1234") and all others are not."""
        if self.mandatory is not None:
            return self.mandatory
        return is_mandatory_code(self.standard)


class Levels(_Model):
    """Level thresholds as requirement texts (分级水平): leader ⊂ advanced ⊂ baseline."""

    leader: str | None = Field(None, description="领跑水平 / leader level, e.g. “≤ 0.020”")
    advanced: str | None = Field(None, description="先进水平 / advanced level")
    baseline: str | None = Field(None, description="基准水平 / baseline level")

    def items(self) -> list[tuple[str, str]]:
        """(level name, text) pairs that are set, strictest first."""
        return [(name, getattr(self, name)) for name in LEVEL_ORDER if getattr(self, name) is not None]


class Indicator(_Model):
    """One indicator (评估指标): core 核心, baseline 底线 or innovation 创新/鼓励."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", description="标识，字母开头 / identifier")
    name: str = Field(min_length=1, description="指标名称 / name")
    indicator_class: Literal["core", "baseline", "innovation"] = Field(
        alias="class", description="core 核心指标 / baseline 底线指标 / innovation 创新指标"
    )
    unit: str | None = Field(None, description="计量单位；无量纲写 “1” / unit, “1” if dimensionless")
    direction: Literal["higher", "lower", "range"] | None = Field(
        None, description="higher 越高越好 / lower 越低越好 / range 区间内为好"
    )
    method: str | None = Field(None, description="检测方法标准 / test method")
    baselines: list[BaselineRef] = Field(default_factory=list, description="对标标准 / baseline standards")
    levels: Levels = Field(default_factory=Levels, description="分级水平 / level thresholds")
    weight: Number | None = Field(None, description="权重 / weight")
    goalposts: tuple[Number, Number] | None = Field(None, description="goalpost 归一化的上下界 / goalposts")
    note: str | None = None

    @property
    def measure_unit(self) -> str | None:
        """The unit a requirement text of this indicator defaults to; None for none or "1" (a pure number)."""
        return None if self.unit in (None, "1") else self.unit


class LeaderCondition(_Model):
    """What a leader must reach besides its place on the list (领跑者的水平条件)."""

    level: LevelName = Field("leader", description="须达到的水平 / the level a leader reaches")
    k: Count | Literal["all"] = Field(
        "all", description="在几项核心指标上达到：all 全部，或数目 / on how many core indicators: all, or a number"
    )


class LevelRoles(_Model):
    """What the level thresholds of the core indicators do (分级水平的作用), docs/RANKING.md §3a.

    Omitted from a scheme: the levels only label the list (the behaviour before roles existed). Given,
    each field has the default of document 002 四(四) and published practice: a standard enters the list only
    if every core indicator reaches the baseline level, the list is formed tier by tier (领跑/先进/基准), and no
    leader condition beyond the leader rule."""

    entry: LevelName | Literal["none"] = Field(
        "baseline", description="入榜门槛：每项核心指标须达到的水平；none 不设 / entry floor on every core indicator"
    )
    tier: Literal["sort", "show", "none"] = Field(
        "sort", description="分档：sort 先按档次再按得分排序 / show 仅显示 / none 不设 / tier of the list"
    )
    leader: LeaderCondition | None = Field(
        None, description="领跑者须在 k 项（或全部）核心指标达到的水平 / the leader's level condition"
    )


class RankingMethod(_Model):
    """How the ranking list is computed (排行榜形成方法); consumed by the ranking step."""

    method: Literal["weighted", "topsis", "levels", "lexicographic"] = Field(
        "weighted", description="weighted 加权综合 / topsis / levels 按达到的水平计分 / lexicographic 按优先级"
    )
    normalise: Literal["minmax", "zscore", "rank", "prank", "borda", "goalpost"] = Field(
        "minmax", description="weighted 的归一化方法 / normalisation for weighted"
    )
    aggregate: Literal["amean", "gmean", "hmean"] = Field(
        "amean", description="weighted 的合成方法：算术/几何/调和平均 / aggregation"
    )
    weights: Literal["declared", "entropy", "critic"] = Field(
        "declared", description="declared 取各指标 weight / entropy 熵权 / critic 客观赋权"
    )
    weights_unnormalised: bool = Field(
        False, description="true: 声明的权重为相对值，按和归一 / declared weights are relative"
    )
    imputation: Literal["none", "median", "worst"] = Field(
        "none", description="缺失值处理：none 不处理（报告并排除）/ median / worst"
    )
    level_points: dict[LevelName, Number] | None = Field(
        None, description="levels 方法中各水平得分 / points per level reached"
    )
    priority: list[str] | None = Field(None, description="lexicographic 的指标优先顺序 / priority order")
    levels: LevelRoles | None = Field(
        None, description="分级水平的作用：入榜门槛、分档、领跑者条件；省略则仅作标注 / what the levels do"
    )


class LeaderRule(_Model):
    """How leaders are chosen from the ranking list (领跑者确定规则). Exactly one of
    top_n, top_percent, reach_level."""

    top_n: Count | None = Field(None, description="排名前 n 位 / the first n")
    top_percent: float | None = Field(None, gt=0, le=100, description="排名前百分之几 / the top percent")
    reach_level: Literal["leader", "advanced"] | None = Field(
        None, description="全部核心指标达到该水平 / every core indicator reaches this level"
    )
    min_participants: Count | None = Field(None, description="参评标准最少数量 / minimum participants")
    max_leaders: Count | None = Field(None, description="领跑者最多数量 / maximum leaders")
    tie_rule: Literal["include_all", "exclude_all", "panel_decides"] = Field(
        "include_all", description="并列处理 / ties at the cut: include all, exclude all, panel decides"
    )

    @model_validator(mode="after")
    def _one_rule(self) -> LeaderRule:
        given = [k for k in ("top_n", "top_percent", "reach_level") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "top_n、top_percent、reach_level 须且只能给出一个 / "
                f"give exactly one of top_n, top_percent, reach_level (given: {', '.join(given) or 'none'})"
            )
        return self


class Agency(_Model):
    """The evaluation agency (评估机构) that compiles the scheme."""

    name: str = Field(min_length=1, description="机构名称 / name")
    credit_code: str | None = Field(None, description="统一社会信用代码 (GB 32100-2015) / credit code")
    affiliations: list[str] = Field(
        default_factory=list, description="上级或主管单位、出资单位 / parent or sponsoring organisations"
    )
    kind: str | None = Field(None, description="类型：行业协会、科研机构、检测认证机构 … / kind")


class Expert(_Model):
    """A review expert (评审专家)."""

    name: str = Field(min_length=1)
    affiliation: str | None = Field(None, description="工作单位 / affiliation")
    title: str | None = Field(None, description="职称 / title")
    conflicts: list[str] = Field(
        default_factory=list, description="申报的利益冲突：方案编号或单位 / declared conflicts (scheme ids or units)"
    )


class Window(_Model):
    """A publicity window (公示期), both days inclusive."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"公示结束早于开始 / end {self.end} is before start {self.start}")
        return self


class Timeline(_Model):
    """Dates of the evaluation round (时间安排)."""

    scheme_publicity: Window | None = Field(None, description="方案与机构公示 / scheme publicity (001 三(一)3)")
    declaration_deadline: date | None = Field(None, description="企业标准声明公开截止日 / declaration deadline")
    ranking_date: date | None = Field(None, description="排行榜与入围名单形成日 / ranking and shortlist date")
    list_publicity: Window | None = Field(None, description="排行榜与入围名单公示 / list publicity (001 三(二)5)")
    publication_date: date | None = Field(None, description="发布日 / publication date")


class Fees(_Model):
    """Fees charged to enterprises (收费)."""

    charged: bool = Field(description="是否向企业收费 / whether enterprises are charged")
    amount: float = Field(0, ge=0, le=NUMBER_BOUND, description="金额（元）/ amount (yuan)")
    note: str | None = None


class Change(_Model):
    """One change of a tuned variant (调整记录): the path in the scheme, the old and the new value."""

    path: str = Field(min_length=1, description="修改路径，如 indicators.noise.weight / path")
    old: bool | float | str | None = Field(None, description="原值 / old value")
    new: bool | float | str | None = Field(None, description="新值 / new value")


class Scheme(_Model):
    """An evaluation scheme (评估方案) — see the module docstring and docs/RULES_SCHEMES.md."""

    id: str = Field(min_length=1, description="方案编号 / scheme id")
    title: str = Field(min_length=1, description="方案名称 / title")
    programme: str | None = Field(None, description="所属活动：national / mofcom-2023 / jincheng-2021 …")
    year: int | None = Field(None, ge=1980, le=2100, description="评估年度 / year")
    domain: str = Field(min_length=1, description="重点领域（品类）/ key domain")
    category: str | None = Field(None, description="产业类别 / industry category")
    agency: Agency
    drafting_units: list[str] = Field(
        default_factory=list, description="方案编制单位（评估机构以外）/ other compiling units"
    )
    platform: str | None = Field(None, description="企业标准声明公开平台 / declaration platform")
    purpose: str | None = Field(None, description="评估目的 / purpose")
    scope: str | None = Field(None, description="产品或服务范围 / scope")
    rationale: str | None = Field(None, description="指标选取依据及水平设置 / rationale")
    evaluation_method: str | None = Field(None, description="评估方法 / evaluation method")
    cycle_months: Count | None = Field(None, description="评估周期（月）/ cycle in months")
    enterprise_information: list[str] = Field(
        default_factory=list, description="企业需提供的信息 / enterprise information required"
    )
    ranking_mechanism: str | None = Field(None, description="排行榜形成机制 / ranking-list mechanism")
    leader_mechanism: str | None = Field(None, description="领跑者确定机制 / leader mechanism")
    targets: str | None = Field(None, description="实施目标 / implementation targets")
    enterprise_consent: bool | None = Field(
        None, description="提交结果前征得入榜企业同意 / enterprises consent before submission (004 三6)"
    )
    indicators: list[Indicator] = Field(default_factory=list)
    ranking: RankingMethod | None = None
    leader_rule: LeaderRule | None = None
    timeline: Timeline | None = None
    fees: Fees | None = None
    experts: list[Expert] = Field(default_factory=list, description="方案评审专家 / review experts")
    notes: str | None = None
    derived_from: str | None = Field(
        None, description="调整方案所依据的正式方案编号 / the official scheme this tuned variant comes from"
    )
    changes: list[Change] | None = Field(
        None, description="相对正式方案的改动（旧值 → 新值）/ changes from the official scheme"
    )

    _source: str | None = PrivateAttr(None)
    _lines: dict[tuple, int] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> Scheme:
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.id in seen:
                raise ValueError(f"指标编号重复 / duplicate indicator id {ind.id!r}")
            seen.add(ind.id)
        return self

    def __eq__(self, other: object) -> bool:
        """Same content (where the scheme was read from does not matter)."""
        return isinstance(other, Scheme) and self.to_dict() == other.to_dict()

    __hash__ = None

    # ---- reading and writing -------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike) -> Scheme:
        """Read a scheme file. Raises SchemeError (YAML path and line) or SchemeFileError."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SchemeFileError(
                f"无法读取方案文件：{exc}",
                f"cannot read the scheme file: {exc}",
                where=str(path),
                hint=Text("检查路径与编码（应为 UTF-8）", "check the path and that the file is UTF-8"),
            ) from exc
        return cls.loads(text, source=str(path))

    @classmethod
    def loads(cls, text: str, *, source: str = "<text>") -> Scheme:
        """Parse a scheme from YAML text; `source` names it in messages."""
        data, lines = read_yaml(text, source=source, error=SchemeFileError, what=Text("方案文件", "a scheme file"))
        try:
            scheme = cls.model_validate(data)
        except ValidationError as exc:
            raise SchemeError.from_validation(exc, lines, source) from None
        scheme._source = source
        scheme._lines = lines
        return scheme

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON types, YAML keys), without unset optional fields."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_yaml(self) -> str:
        """The scheme as YAML text (comments of the original file are not kept)."""
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=100)

    def dump(self, path: str | os.PathLike) -> Path:
        """Write the scheme as YAML atomically (temporary file, then rename)."""
        return write_text(path, self.to_yaml(), create_parents=True)

    def digest(self) -> str:
        """sha256 of the canonical content (sorted keys, JSON): the scheme's identity for provenance."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    # ---- where things are ----------------------------------------------------------------------

    @property
    def source(self) -> str | None:
        """The file the scheme was read from, if any."""
        return self._source

    def line_of(self, where: str | tuple) -> int | None:
        """Line in the source file of a path such as "indicators[2].levels.leader" (nearest parent known)."""
        return nearest_line(self._lines, _parse_path(where) if isinstance(where, str) else tuple(where))

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise SchemeError(
            f"方案中没有编号为 {indicator_id!r} 的指标",
            f"the scheme has no indicator with id {indicator_id!r}",
            where=f"{self.id}: indicators",
            hint=Text(f"已有指标：{self._ids()}", f"indicators are: {self._ids()}"),
        )

    def core_indicators(self) -> list[Indicator]:
        return [ind for ind in self.indicators if ind.indicator_class == "core"]

    def compiling_units(self) -> list[str]:
        """The agency and the other drafting units (方案编制单位)."""
        return [self.agency.name, *self.drafting_units]

    def _ids(self) -> str:
        return ", ".join(ind.id for ind in self.indicators)

    # ---- changed copies ------------------------------------------------------------------------

    def with_changes(self, changes: Mapping[str, Any]) -> Scheme:
        """A new scheme with values replaced, e.g. {"indicators.noise.weight": 0.2,
        "indicators.noise.levels.leader": "≤ 45 dB(A)", "leader_rule.top_percent": 10}.
        Indicators are addressed by id (or `indicators[2]`). Every path is checked before anything is
        changed; an unknown path raises SchemeError naming it. The result is validated as a whole."""
        data = self.model_dump(mode="python", by_alias=True)
        for path, value in changes.items():
            container, key = self._resolve(data, path)
            container[key] = value.model_dump(by_alias=True) if isinstance(value, BaseModel) else value
        try:
            changed = type(self).model_validate(data)
        except ValidationError as exc:
            raise SchemeError.from_validation(exc, {}, f"{self.id} (with_changes)") from None
        changed._source = None
        return changed

    def with_weights(self, weights: Mapping[str, float]) -> Scheme:
        """A new scheme with the given indicator weights (others unchanged)."""
        return self.with_changes({f"indicators.{k}.weight": float(v) for k, v in weights.items()})

    def _resolve(self, data: dict, path: str) -> tuple[Any, Any]:
        parts = _parse_path(path)
        node: Any = data
        for i, part in enumerate(parts):
            if isinstance(node, list):
                if isinstance(part, str):
                    found = [j for j, item in enumerate(node) if isinstance(item, dict) and item.get("id") == part]
                    index = found[0] if found else None
                else:
                    index = part if 0 <= part < len(node) else None
                if index is None:
                    break
                part = index
            elif not (isinstance(node, dict) and part in node):
                break
            if i == len(parts) - 1:
                return node, part
            node = node[part]
        raise SchemeError(
            f"无法定位修改路径 {path!r}",
            f"cannot find the path {path!r} in the scheme",
            where=self.id,
            hint=Text(
                f"路径写法如 indicators.<指标编号>.weight；已有指标：{self._ids()}",
                f"write paths like indicators.<indicator id>.weight; indicators are: {self._ids()}",
            ),
        )


# ---- errors ----------------------------------------------------------------------------------------


class SchemeError(LeaderkitError):
    """The scheme does not fit the scheme format (方案格式错误). `issues` lists (path, line, Text)."""

    def __init__(self, zh: str, en: str, *, where: str | None = None, hint: Text | None = None, issues=()):
        self.issues = list(issues)
        super().__init__(zh, en, where=where, hint=hint)

    @classmethod
    def from_validation(cls, exc: ValidationError, lines: dict[tuple, int], source: str) -> SchemeError:
        issues = model_errors(exc, lines)
        zh, en = issue_lines(issues)
        return cls(
            f"方案格式错误（{len(issues)} 处）：\n  " + zh,
            f"the scheme does not fit the format ({len(issues)} problem(s)):\n  " + en,
            where=source,
            hint=Text(
                "对照 docs/RULES_SCHEMES.md 与 leaderkit/data/scheme.schema.json 修改所示位置",
                "fix the places shown; the format is in docs/RULES_SCHEMES.md and leaderkit/data/scheme.schema.json",
            ),
            issues=issues,
        )



class SchemeFileError(SchemeError):
    """The scheme file cannot be read, is not YAML, or breaks a bound of `leaderkit._kit.yamlfile.LIMITS`
    (方案文件无法读取). A SchemeError, so one `except SchemeError` catches every refused scheme file."""


# ---- YAML paths and lines ----------------------------------------------------------------------------

_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parse_path(path: str) -> tuple:
    """"indicators[2].levels.leader" → ("indicators", 2, "levels", "leader")."""
    out: list[Any] = []
    for name, index in _PATH_TOKEN.findall(path):
        out.append(int(index) if index else name)
    return tuple(out)


# ---- JSON Schema -------------------------------------------------------------------------------------

SCHEMA_PATH = Path(__file__).parents[1] / "data" / "scheme.schema.json"


def json_schema() -> dict[str, Any]:
    """JSON Schema of the scheme file, generated from the model."""
    schema = Scheme.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://leaderkit/scheme.schema.json"
    return schema


def write_json_schema(path: str | os.PathLike = SCHEMA_PATH) -> Path:
    """Regenerate leaderkit/data/scheme.schema.json (a test checks it is current)."""
    return write_text(path, json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
