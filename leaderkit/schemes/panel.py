"""Expert review of competing schemes (专家评审): panel checks, aggregation, agreement, the chosen scheme.

Seed 001 三(一)2: each scheme is reviewed by at least five experts (一般不少于五人), none of them from the
scheme's compiling unit (不得为方案编制单位人员); the working organisation picks the best scheme
(002 四(三) “确定最优方案和评估机构”).

    result = review_panel("panel_washing_machines.csv", "panel_washing_machines_experts.csv",
                          program="mofcom-2023", schemes=[scheme_a, scheme_b])
    result.table        # per scheme: scores, mean, trimmed mean, rank
    result.kendall_w    # agreement between experts (Kendall's W, ties corrected) and result.p_value
    result.best, result.margin

Scores are a long table: expert, scheme, criterion, score (optional max_score). An expert's total for a
scheme is the sum over criteria; a total with a missing criterion is left out and reported. The trimmed
mean drops one highest and one lowest total (去掉一个最高分和一个最低分) when a scheme has at least three.

The expert pool (专家库, 001 二2) lives in the round register (`RoundRegister.add_expert`, `move_expert`,
`retire_expert`, `declare_conflict`); here are the rules that need the schemes:

    pool_conflicts(rounds, 2024, "洗涤机械", on="2024-05-10", schemes=[scheme_a, scheme_b])
    approve_with_panel(rounds, "XDJX-2024-A", ["E01", "E02", …], on="2024-05-10", schemes=[scheme_a, scheme_b])

Conflicts are checked across the schemes of the round and across years: the expert's affiliations since
the year's call (not only today's), conflicts declared in any earlier year, and the units of every scheme
competing in the same domain and year (an expert tied to one competitor judges all of them).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text, tr
from leaderkit._kit.yamlfile import load_yaml
from leaderkit.registers.rounds import RoundError, RoundRegister, same_unit
from leaderkit.schemes.model import Expert, Scheme
from leaderkit.schemes.programs import Program, load_program
from leaderkit.standards.loading import InputError, read_table


class PanelError(LeaderkitError):
    """The panel cannot review (专家组不符合要求): too few experts, a conflicted expert, bad scores."""


# ---- reading -----------------------------------------------------------------------------------------


def _read_table(source, what: str) -> pd.DataFrame:
    """A table of experts or scores: a DataFrame, a YAML file (a list, or a list under `what`), a CSV or
    Excel file read like a standards file (UTF-8 or GBK, `leaderkit.standards.loading.read_table`), or
    records (mappings or Experts)."""
    if isinstance(source, pd.DataFrame):
        return source.copy()
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.suffix.lower() not in (".yaml", ".yml"):
            try:
                return read_table(path)
            except InputError as exc:
                raise PanelError(exc.text.zh, exc.text.en, where=exc.where or str(path), hint=exc.hint) from None
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise PanelError(f"无法读取{what}：{exc}", f"cannot read the {what} file: {exc}", where=str(path)) from exc
        data, _ = load_yaml(text, source=str(path), error=PanelError, what=Text(what, what))
        if isinstance(data, dict) and what in data:
            data = data[what]
        return pd.DataFrame(data)
    rows = [r.model_dump() if isinstance(r, Expert) else dict(r) for r in source]
    return pd.DataFrame(rows)


def _conflict_list(value) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.replace("；", ";").split(";") if p.strip()]
    return [str(v) for v in value]


def read_experts(experts) -> pd.DataFrame:
    """Experts as a DataFrame (name, affiliation, conflicts as a list). CSV conflicts: "a; b"."""
    df = _read_table(experts, "experts")
    if "name" not in df.columns:
        raise PanelError("专家表缺少 name 列", "the experts table has no `name` column",
                         hint=Text("列：name, affiliation, conflicts", "columns: name, affiliation, conflicts"))
    if "affiliation" not in df.columns:
        df["affiliation"] = None
    df["conflicts"] = [_conflict_list(v) for v in df.get("conflicts", pd.Series([None] * len(df)))]
    return df.reset_index(drop=True)


def read_scores(scores) -> pd.DataFrame:
    """Scores as a long DataFrame: expert, scheme, criterion, score (float), optional max_score."""
    df = _read_table(scores, "scores")
    missing = {"expert", "scheme", "criterion", "score"} - set(df.columns)
    if missing:
        raise PanelError(
            f"评分表缺少列：{', '.join(sorted(missing))}", f"the scores table lacks columns: {', '.join(sorted(missing))}",
            hint=Text("长表格式：expert, scheme, criterion, score", "long format: expert, scheme, criterion, score"),
        )
    df["score"] = pd.to_numeric(df["score"], errors="coerce")
    for col in ("expert", "scheme", "criterion"):
        df[col] = df[col].astype(str)
    dup = df.duplicated(["expert", "scheme", "criterion"], keep=False)
    if dup.any():
        first = df[dup].iloc[0]
        raise PanelError(
            f"同一专家对同一方案同一项重复评分：{first.expert} / {first.scheme} / {first.criterion}",
            f"duplicate score: {first.expert} / {first.scheme} / {first.criterion}",
            where=f"rows {', '.join(str(i + 2) for i in df.index[dup][:5])}",
        )
    if "max_score" in df.columns:
        bad = (df["score"] < 0) | (df["score"] > pd.to_numeric(df["max_score"], errors="coerce"))
        if bad.any():
            row = df[bad].iloc[0]
            raise PanelError(
                f"评分超出范围：{row.expert} 对 {row.scheme} 的 {row.criterion} 给了 {row.score}（满分 {row.max_score}）",
                f"score out of range: {row.expert} gave {row.score} for {row.criterion} of {row.scheme} (max {row.max_score})",
                where=f"row {df.index[bad][0] + 2}",
            )
    return df


# ---- conflicts ---------------------------------------------------------------------------------------


def expert_conflicts(experts, schemes: Iterable[Scheme]) -> pd.DataFrame:
    """Pairs (expert, scheme) where the expert may not review the scheme, with the reason (zh, en):
    affiliation is one of the scheme's compiling units (001 三(一)2) or a declared conflict."""
    ex = read_experts(experts)
    rows = []
    for scheme in schemes:
        units = scheme.compiling_units()
        for e in ex.itertuples():
            unit = next((u for u in units if same_unit(e.affiliation, u)), None)
            if unit:
                rows.append((e.name, scheme.id, f"任职于方案编制单位 {unit}", f"works at the compiling unit {unit}"))
                continue
            declared = [c for c in e.conflicts if c == scheme.id or any(same_unit(c, u) for u in units)]
            if declared:
                rows.append((e.name, scheme.id, f"申报了利益冲突：{declared[0]}", f"declared a conflict: {declared[0]}"))
    return pd.DataFrame(rows, columns=["expert", "scheme", "reason", "reason_en"])


# ---- the expert pool over schemes and years (001 二2, 三(一)2) ------------------------------------------

CONFLICT_CODES: dict[str, Text] = {
    "not_in_pool": Text("不在专家库中", "not in the expert pool"),
    "compiling_unit": Text("任职于方案编制单位", "works at a compiling unit of the scheme"),
    "former_unit": Text("本轮征集以来曾任职于方案编制单位", "worked at a compiling unit since the year's call"),
    "declared": Text("申报了利益冲突", "declared a conflict"),
    "competing": Text("与同领域同年度的竞争方案有关联", "tied to a competing scheme of the same domain and year"),
}
"""Why a pool expert may not review a scheme (`pool_conflicts`)."""


def _date(value):
    try:
        return pd.Timestamp(str(value).strip()).date()
    except (ValueError, TypeError):
        raise PanelError(f"日期无效：{value!r}", f"not a valid date: {value!r}",
                         hint=Text("写成 2024-05-10 的形式", "write it as 2024-05-10")) from None


def _round_units(rounds: RoundRegister, year: int, domain: str, schemes: Iterable[Scheme]) -> dict[str, list[str]]:
    """The compiling units of every scheme submitted in the year and domain: from the scheme file when given
    (agency and drafting units), else the agency the register recorded."""
    files = {s.id: s for s in schemes}
    submitted = rounds.schemes()
    submitted = submitted[(submitted["year"] == int(year)) & (submitted["domain"] == domain)]
    return {row.scheme: (files[row.scheme].compiling_units() if row.scheme in files else [row.agency])
            for row in submitted.itertuples(index=False)}


def pool_conflicts(rounds: RoundRegister, year: int, domain: str, on, *, schemes: Iterable[Scheme] = (),
                   experts: Iterable[str] | None = None) -> pd.DataFrame:
    """Pairs (expert, scheme) of the year's competition in `domain` that may not go together (利益冲突回避),
    with a code (`CONFLICT_CODES`) and the reason in both languages.

    Checked for every scheme submitted in the year and domain (the register's schemes; compiling units from
    `schemes` files where given, else the agency), for the pool on `on` (or the expert ids in `experts`; an
    id not in the pool on `on` → not_in_pool):
    - compiling_unit — the affiliation on `on` is a compiling unit of the scheme (001 三(一)2 不得为方案编制单位人员);
    - former_unit — an affiliation held between the year's call and `on` was (the scheme was compiled then);
    - declared — a conflict declared by `on`, in this or an earlier year, names the scheme or one of its units;
    - competing — the expert is tied (any of the above) to another scheme of the same domain and year: the
      review picks the best of the competing schemes (002 四(三) 确定最优方案), so the tie touches them all.
    Columns: expert_id, name, scheme, code, reason, reason_en."""
    day = _date(on)
    units = _round_units(rounds, year, domain, schemes)
    calls = rounds.events()
    calls = calls[(calls["kind"] == "call") & (calls["year"] == int(year)) & (calls["domain"] == domain)]
    since = calls["on_date"].min() if len(calls) else day
    pool = rounds.experts(day).set_index("expert_id")
    wanted = list(dict.fromkeys(experts)) if experts is not None else list(pool.index)
    spells = rounds.expert_spells()
    rows: list[tuple] = []
    for expert_id in wanted:
        if expert_id not in pool.index:
            text = CONFLICT_CODES["not_in_pool"]
            rows += [(expert_id, None, scheme, "not_in_pool", f"{text.zh}（{day}）", f"{text.en} on {day}")
                     for scheme in units]
            continue
        name, now, declared = pool.loc[expert_id, "name"], pool.loc[expert_id, "affiliation"], pool.loc[expert_id,
                                                                                                            "conflicts"]
        held = spells[(spells["expert_id"] == expert_id) & (spells["start"] <= day)
                      & spells["end"].map(lambda d: pd.isna(d) or d >= since).astype(bool)]
        ties: dict[str, tuple[str, Text]] = {}
        for scheme, its_units in units.items():
            unit = next((u for u in its_units if same_unit(now, u)), None)
            if unit:
                ties[scheme] = ("compiling_unit", Text(f"任职于方案编制单位 {unit}", f"works at the compiling unit {unit}"))
                continue
            past = next(((sp, u) for sp in held.itertuples(index=False) for u in its_units
                         if same_unit(sp.affiliation, u)), None)
            if past:
                sp, u = past
                ties[scheme] = ("former_unit", Text(f"{sp.start} 至 {sp.end} 任职于方案编制单位 {u}（{since} 征集以来）",
                                                    f"worked at the compiling unit {u} from {sp.start} to {sp.end} "
                                                    f"(since the call of {since})"))
                continue
            party = next((c for c in declared if c == scheme or any(same_unit(c, u) for u in its_units)), None)
            if party:
                ties[scheme] = ("declared", Text(f"申报了利益冲突：{party}", f"declared a conflict: {party}"))
        for scheme in units:
            if scheme in ties:
                code, text = ties[scheme]
            elif ties:
                other = next(iter(ties))
                code, why = ties[other]
                text = Text(f"与同领域竞争方案 {other} 有关联（{why.zh}），评审须回避整个比选",
                            f"tied to the competing scheme {other} ({why.en}); stands down from the whole competition")
                code = "competing"
            else:
                continue
            rows.append((expert_id, name, scheme, code, text.zh, text.en))
    return pd.DataFrame(rows, columns=["expert_id", "name", "scheme", "code", "reason", "reason_en"])


def check_panel(rounds: RoundRegister, scheme: str, experts: Iterable[str], on, program: str | Program | None = None,
                *, schemes: Iterable[Scheme] = ()) -> list[str]:
    """Check a review panel for one scheme against the pool (评审专家组): every expert in the pool on `on`,
    none conflicted (`pool_conflicts`, across the year's competing schemes and the years before), and at
    least the programme's `min_experts` different experts (001 三(一)2 一般不少于五人; an id given twice counts
    once). Returns the distinct ids; raises PanelError naming each problem."""
    prog = load_program(program if program is not None else rounds.programme)
    row = rounds.schemes().set_index("scheme")
    if scheme not in row.index:
        raise PanelError(f"轮次登记簿中没有方案 {scheme}", f"scheme {scheme} is not in the round register",
                         hint=Text("先登记申报（submit_scheme）", "record the submission first"))
    ids = list(dict.fromkeys(str(e).strip() for e in experts if str(e).strip()))
    year, domain = int(row.loc[scheme, "year"]), row.loc[scheme, "domain"]
    clash = pool_conflicts(rounds, year, domain, on, schemes=schemes, experts=ids)
    clash = clash[clash["scheme"] == scheme]
    if len(clash):
        zh = "；".join(f"{r.expert_id}{'（' + r.name + '）' if r.name else ''}：{r.reason}" for r in clash.itertuples())
        en = "; ".join(f"{r.expert_id}: {r.reason_en}" for r in clash.itertuples())
        raise PanelError(f"方案 {scheme} 的评审专家不符合回避要求：{zh}", f"review panel of {scheme}: {en}",
                         where="001 二2、三(一)2",
                         hint=Text("换用专家库中无利益冲突的专家", "choose pool experts without a conflict"))
    if len(ids) < prog.min_experts:
        raise PanelError(f"方案 {scheme} 的评审专家 {len(ids)} 人，少于活动规则要求的 {prog.min_experts} 人",
                         f"the panel of {scheme} has {len(ids)} experts, fewer than the {prog.min_experts} required",
                         where=f"{prog.name}: min_experts ({prog.source('min_experts')})",
                         hint=Text("从专家库增补专家（重复列出只计一人）", "add pool experts (a repeated id counts once)"))
    return ids


def approve_with_panel(rounds: RoundRegister, scheme: str, experts: Iterable[str], on, *, opinion: str = "",
                       program: str | Program | None = None, schemes: Iterable[Scheme] = ()) -> int:
    """Record a scheme approved by a pool panel: `check_panel`, then `RoundRegister.approve_scheme` with the
    experts recorded as its reviewers (so later years can see who reviewed what). Returns the event id."""
    ids = check_panel(rounds, scheme, experts, on, program, schemes=schemes)
    try:
        return rounds.approve_scheme(scheme, on, opinion, experts=ids)
    except RoundError as exc:
        raise PanelError(exc.text.zh, exc.text.en, where=exc.where, hint=exc.hint) from None


# ---- agreement ---------------------------------------------------------------------------------------


def kendall_w(totals: pd.DataFrame) -> tuple[float, float, int]:
    """Kendall's coefficient of concordance with the correction for ties.
    `totals`: raters × objects (higher is better), complete rows only. Returns (W, chi-square, df).
    W = 12 S / (m²(n³ − n) − m Σ T),  T = Σ (t³ − t) over each rater's tie groups;  χ² = m (n − 1) W."""
    m, n = totals.shape
    ranks = totals.rank(axis=1, ascending=False, method="average").to_numpy()
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    long = totals.reset_index(drop=True).melt(ignore_index=False)
    tie_sizes = long.groupby([long.index, "value"]).size().to_numpy()
    t = float((tie_sizes**3 - tie_sizes).sum())
    denominator = m**2 * (n**3 - n) - m * t
    w = 12 * s / denominator if denominator > 0 else float("nan")
    return w, m * (n - 1) * w, n - 1


# ---- the review --------------------------------------------------------------------------------------


@dataclass
class PanelResult:
    """Outcome of a panel review (专家评审结果)."""

    table: pd.DataFrame
    per_criterion: pd.DataFrame
    totals: pd.DataFrame
    missing: pd.DataFrame
    kendall_w: float | None
    chi2: float | None
    p_value: float | None
    raters: int
    best: str | None
    margin: float | None
    tied: list[str]
    program: str
    notes: list[Text] = field(default_factory=list)

    def summary(self, lang: str | None = None) -> str:
        """A few lines in `lang` (or the current language): the best scheme, the agreement, what is missing."""
        lines = []
        if self.best:
            lines.append(tr(f"最优方案：{self.best}，领先 {self.margin:.2f} 分（截尾均值）",
                            f"best scheme: {self.best}, ahead by {self.margin:.2f} points (trimmed mean)", lang))
        else:
            lines.append(tr(f"并列第一：{'、'.join(self.tied)}，需专家组决定",
                            f"tied for first: {', '.join(self.tied)}; the panel must decide", lang))
        if self.kendall_w is not None:
            lines.append(tr(f"专家一致性 Kendall W = {self.kendall_w:.3f}（{self.raters} 位专家，p = {self.p_value:.4f}）",
                            f"agreement Kendall's W = {self.kendall_w:.3f} ({self.raters} experts, p = {self.p_value:.4f})",
                            lang))
        if len(self.missing):
            lines.append(tr(f"缺失评分 {len(self.missing)} 项", f"{len(self.missing)} missing score(s)", lang))
        lines.extend(n.get(lang) for n in self.notes)
        return "\n".join(lines)


def review_panel(
    scores,
    experts,
    program: str | Program = "national",
    schemes: Iterable[Scheme] | Mapping[str, Scheme] | None = None,
    *,
    trim: int = 1,
) -> PanelResult:
    """Review competing schemes (专家评审). Refuses (PanelError) a panel smaller than the programme's
    minimum or in which an expert scored a scheme they are conflicted with."""
    prog = load_program(program)
    sc = read_scores(scores)
    ex = read_experts(experts)
    scheme_list = list(schemes.values()) if isinstance(schemes, Mapping) else list(schemes or [])
    notes: list[Text] = []

    unknown = sorted(set(sc["expert"]) - set(ex["name"].astype(str)))
    if unknown:
        raise PanelError(
            f"评分表中的专家不在专家名单中：{'、'.join(unknown)}",
            f"experts in the scores are not in the experts list: {', '.join(unknown)}",
            hint=Text("补全专家名单（单位与利益冲突）后再评审", "add them to the experts list (affiliation, conflicts)"),
        )
    panel = sc["expert"].nunique()
    if panel < prog.min_experts:
        raise PanelError(
            f"评审专家 {panel} 人，少于活动规则要求的 {prog.min_experts} 人",
            f"the panel has {panel} experts, fewer than the {prog.min_experts} the programme requires",
            where=f"{prog.name}: min_experts ({prog.source('min_experts')})",
            hint=Text("增补专家后重新评审", "add experts and review again"),
        )
    scored = sc[["expert", "scheme"]].drop_duplicates()
    declared = scored.merge(ex[["name", "conflicts"]], left_on="expert", right_on="name")
    declared = declared[[s in c for s, c in zip(declared["scheme"], declared["conflicts"], strict=True)]]
    declared = declared.assign(reason=[f"申报了利益冲突：{s}" for s in declared["scheme"]],
                               reason_en=[f"declared a conflict: {s}" for s in declared["scheme"]])
    by_unit = expert_conflicts(ex, scheme_list).merge(scored, on=["expert", "scheme"])
    columns = ["expert", "scheme", "reason", "reason_en"]
    clash = pd.concat([by_unit, declared[columns]]).drop_duplicates(["expert", "scheme"])
    if len(clash):
        detail_zh = "；".join(f"{r.expert} 评了 {r.scheme}（{r.reason}）" for r in clash.itertuples())
        detail_en = "; ".join(f"{r.expert} scored {r.scheme} ({r.reason_en})" for r in clash.itertuples())
        raise PanelError(
            f"有利益冲突的专家参与了评分：{detail_zh}",
            f"conflicted experts scored schemes: {detail_en}",
            where="001 三(一)2",
            hint=Text("撤下这些评分并由无冲突的专家重评", "remove these scores and have unconflicted experts score"),
        )
    without_file = sorted(set(sc["scheme"]) - {s.id for s in scheme_list})
    if without_file:
        notes.append(Text(f"以下方案未提供方案文件，只检查了申报的利益冲突，未按编制单位检查回避：{'、'.join(without_file)}",
                          f"no scheme file for {', '.join(without_file)}: only declared conflicts were checked, "
                          "not the compiling units"))

    experts_ = sorted(sc["expert"].unique())
    schemes_ = sorted(sc["scheme"].unique())
    criteria = sorted(sc["criterion"].unique())
    grid = pd.MultiIndex.from_product([experts_, schemes_, criteria], names=["expert", "scheme", "criterion"])
    cube = sc.set_index(["expert", "scheme", "criterion"])["score"].reindex(grid)
    missing = cube[cube.isna()].reset_index()[["expert", "scheme", "criterion"]]
    totals = cube.unstack("criterion").sum(axis=1, min_count=len(criteria))
    incomplete = cube.isna().groupby(level=["expert", "scheme"]).any()
    totals = totals.where(~incomplete).unstack("scheme")

    table = _aggregate(totals, trim)
    short = table.index[table["experts"] < 2 * trim + 1].tolist()
    if short:
        notes.append(Text(f"完整评分少于 {2 * trim + 1} 份，截尾均值取算术平均：{'、'.join(short)}",
                          f"fewer than {2 * trim + 1} complete totals, trimmed mean is the plain mean: {', '.join(short)}"))
    per_criterion = cube.groupby(level=["scheme", "criterion"]).mean().unstack("criterion")

    complete = totals.dropna(axis=0, how="any")
    w = chi2 = p = None
    if len(schemes_) >= 2 and len(complete) >= 2:
        from scipy import stats

        w, chi2, df = kendall_w(complete)
        p = float(stats.chi2.sf(chi2, df))
    else:
        notes.append(Text("方案少于 2 个或完整评分的专家少于 2 位，无法计算 Kendall W",
                          "fewer than 2 schemes or 2 complete raters: Kendall's W not computed"))
    if len(complete) < len(totals):
        notes.append(Text(f"{len(totals) - len(complete)} 位专家评分不完整，未计入 Kendall W",
                          f"{len(totals) - len(complete)} expert(s) with incomplete scores left out of Kendall's W"))

    ordered = table["trimmed_mean"].dropna().sort_values(ascending=False)
    tied = ordered.index[np.isclose(ordered, ordered.iloc[0])].tolist() if len(ordered) else []
    best = tied[0] if len(tied) == 1 else None
    margin = float(ordered.iloc[0] - ordered.iloc[1]) if best and len(ordered) > 1 else (0.0 if tied else None)
    return PanelResult(
        table=table, per_criterion=per_criterion, totals=totals, missing=missing, kendall_w=w, chi2=chi2,
        p_value=p, raters=len(complete), best=best, margin=margin, tied=tied if len(tied) > 1 else [],
        program=prog.name, notes=notes,
    )


def _aggregate(totals: pd.DataFrame, trim: int) -> pd.DataFrame:
    """Per scheme: number of complete totals, mean, trimmed mean (drop `trim` highest and `trim` lowest;
    the plain mean when fewer than 2·trim + 1 totals), min, max and rank by trimmed mean."""
    values = np.sort(totals.to_numpy(dtype=float), axis=0)  # NaN sorts last in each column
    n = totals.notna().sum(axis=0).to_numpy()
    position = np.arange(values.shape[0])[:, None]
    keep = (position >= trim) & (position < n - trim)
    trimmed = np.where(keep, values, 0.0).sum(axis=0) / np.maximum(keep.sum(axis=0), 1)
    table = pd.DataFrame(
        {"experts": n, "mean": totals.mean(), "min": totals.min(), "max": totals.max()},
        index=pd.Index(totals.columns, name="scheme"),
    )
    table.insert(2, "trimmed_mean", np.where(n >= 2 * trim + 1, trimmed, table["mean"]))
    table["rank"] = table["trimmed_mean"].rank(ascending=False, method="min").astype("Int64")
    return table.sort_values(["rank", "mean"], ascending=[True, False])
