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
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text, tr
from leaderkit.ranking.common import LEVEL_CODE_NAMES, LEVEL_CODES, RankingError, level_roles
from leaderkit.ranking.entry import (
    check_eligibility,
    entry_floor,
)
from leaderkit.ranking.leaders import choose_leaders
from leaderkit.ranking.score import (
    levels_reached,
    score_standards,
    threshold_values,
    tier_first,
    tiers,
)
from leaderkit.ranking.values import (
    core_values,
    display_values,
    load_with_conditions,
)
from leaderkit.schemes.model import LEVEL_NAMES, LEVEL_ORDER, Scheme

TEXT_COLUMNS = ("standard_id", "enterprise", "region", "reasons_zh", "reasons_en")
LEVEL_TEXT = pd.Series(LEVEL_CODE_NAMES).array


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

    @cached_property
    def row_of(self) -> dict:
        """The row of each standard number in the prepared arrays."""
        return {sid: i for i, sid in enumerate(self.arrays["standard_id"].tolist())}

    def __post_init__(self) -> None:
        e = self.eligibility
        self.arrays = {c: e[c].to_numpy(dtype=object) for c in ("standard_id", "enterprise", "region", "reasons",
                                                                 "reasons_zh", "reasons_en")}
        self.arrays["values"] = self.matrix.to_numpy(dtype=float)
        # the text columns as the table holds them (pandas' own inference, done once): a re-rank only
        # reorders them
        self.arrays["typed"] = {c: pd.Series(self.arrays[c]).array for c in TEXT_COLUMNS}


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
    from leaderkit.schemes.programs import load_program

    if isinstance(standards, Prepared):
        # every argument given is honoured: one that differs from what `standards` was prepared with
        # prepares again (an omitted one keeps the prepared choice)
        same = (standards.key == _data_key(scheme)
                and (on is None or _ranking_date(scheme, on) == standards.on)
                and (program is None or load_program(program) == standards.program)
                and (baselines is None or baselines is standards.baselines)
                and (register is None or register is standards.register))
        if same:
            return standards
        return prepare(scheme, standards.standards, on=on or standards.on,
                       baselines=baselines if baselines is not None else standards.baselines,
                       program=program if program is not None else standards.program,
                       register=register if register is not None else standards.register)

    day = _ranking_date(scheme, on)
    prog = load_program(program if program is not None else (scheme.programme or "national"))
    frame, conditions = load_with_conditions(standards)
    mask = (frame["domain"] == scheme.domain).fillna(False).to_numpy(bool)
    whole = mask.all()  # a file of one domain: its rows as they are, no copy
    dom = frame if whole else frame[mask].reset_index(drop=True)
    dom.attrs = dict(frame.attrs)
    conditions = conditions if whole else conditions[mask].reset_index(drop=True)
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
    lower, upper, problem = core_values(core, dom, info.index)
    matrix, notes_frame = display_values(core, info.index, lower, upper, problem)
    notes: list[Text] = []
    elig = check_eligibility(scheme, dom, conditions, info, core, problem, day, baselines, prog, register, notes)
    data_hash = _hash_data(dom, baselines, day, prog, elig)
    return Prepared(_data_key(scheme), day, frame, conditions if len(conditions.columns) else conditions,
                    baselines, prog, register, info, ids, lower, upper, problem, matrix, notes_frame, elig,
                    data_hash, notes)


def eligibility(scheme: Scheme, standards, *, on, baselines=None, program=None, register=None) -> pd.DataFrame:
    """Which standards may enter the ranking list, and why not (入围资格审查). One row per standard.

    Columns: standard_id, enterprise, region, eligible, reasons (codes, see REASONS), reasons_zh,
    reasons_en, vs_national, vs_industry. Checks (docs/RANKING.md gives the sources): stricter than the
    national and the industry baseline where they exist (the scheme's inline baselines, or `baselines`);
    no looser value against a mandatory limit; every numeric baseline indicator met; current, not abolished
    (status / abolished columns); declared by the programme's deadline; public long enough before `on`
    (`Program.public_time_met`: calendar months or days); mass-produced; the enterprise conditions of
    document 003 2.5 where the data has columns for them; consent where the programme requires it; changes
    notified in time (003 2.6e); not barred on `on` (`register`, a TitleRegister or its path); every
    core value present unless the scheme names an imputation; with an entry floor
    (`ranking.levels.entry`), every core indicator at the entry level (`below_entry_level`).
    """
    prep = prepare(scheme, standards, on=on, baselines=baselines, program=program, register=register)
    return entered(scheme, prep)[0].copy()


def entered(scheme: Scheme, prep: Prepared, thresholds=None) -> tuple[pd.DataFrame, np.ndarray]:
    """The eligibility of `prep` with the scheme's entry floor applied, and the levels reached (standards ×
    core indicators, codes of LEVEL_CODES) on the scheme's thresholds (`threshold_values`, when not given)."""
    core = scheme.core_indicators()
    thresholds = threshold_values(scheme, core) if thresholds is None else thresholds
    levels = levels_reached(core, prep.lower, prep.upper, thresholds)
    return entry_floor(scheme, core, levels, prep.eligibility), levels


def _frame_hash(frame: pd.DataFrame) -> bytes:
    """Order-independent digest of a frame's rows (values as text, a missing value as ""), in one streaming
    pass: each column's distinct values are hashed once and folded into a 64-bit key per row; the keys are
    sorted (so the order of the rows does not count, their number does) and hashed with SHA-256."""
    key = np.zeros(len(frame), dtype=np.uint64)
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        codes, values = pd.factorize(column, use_na_sentinel=False)
        if isinstance(column.dtype, pd.StringDtype):
            text = pd.Series(values).fillna("").to_numpy(dtype=object)
        else:
            text = np.array(["" if pd.api.types.is_scalar(v) and pd.isna(v) else str(v) for v in values],
                            dtype=object)
        value_hash = pd.util.hash_array(text, categorize=False)
        key *= np.uint64(0x9E3779B97F4A7C15)
        key += value_hash[codes] ^ np.uint64(j + 1)
        key ^= key >> np.uint64(29)
    key.sort()
    return hashlib.sha256(key.tobytes()).digest()


def _hash_data(dom: pd.DataFrame, baselines, day: date, prog, elig: pd.DataFrame) -> str:
    """The data digest of a prepared domain: its rows (the columns a ranking reads), the baselines, the
    date, the programme and every eligibility outcome with its reasons. Each table is read once."""
    cols = [c for c in ("standard_id", "indicator", "requirement", "unit", "published", "mass_produced",
                        "enterprise", "region") if c in dom.columns]
    h = hashlib.sha256(_frame_hash(dom[cols]))
    if isinstance(baselines, pd.DataFrame):
        h.update(_frame_hash(baselines))
    h.update(f"|{day.isoformat()}|{prog.name}|".encode())
    # every eligibility outcome with its reasons: status, deadline, consent, change notices, bans and public
    # time all change the digest, whichever columns or programme settings they come from
    outcome = pd.DataFrame({"standard_id": elig["standard_id"].to_numpy(),
                            "reasons": [",".join(r) for r in elig["reasons"]]})
    h.update(_frame_hash(outcome))
    return h.hexdigest()


@dataclass(eq=False)
class Listed:
    """What a ranking's table is made of, per standard of the prepared data (its rows sorted by id):
    eligible, ranks (0 off the list), scores, levels (codes per core indicator), leader, tied (tie at the
    cut), tier; `order`: the prepared rows in the table's order (eligible first); `typed`: the text columns;
    `values`: the declared values (standards × core indicators). `table()` builds the table; `rows_at`
    gives a few of its rows without it."""

    SHOWN = frozenset({"standard_id", "enterprise", "region", "eligible", "reasons_zh", "reasons_en", "score",
                       "rank", "leader", "tie_at_cut", "tier", "why_zh", "why_en"})

    core: list
    tiered: bool
    eligible: np.ndarray
    ranks: np.ndarray
    scores: np.ndarray
    levels: np.ndarray
    leader: np.ndarray
    tied: np.ndarray
    tier: np.ndarray
    order: np.ndarray
    typed: dict
    values: np.ndarray
    n_in: int = field(init=False)

    def __post_init__(self) -> None:
        self.n_in = int(self.eligible.sum())

    def table(self) -> pd.DataFrame:
        order, eligible, typed, core = self.order, self.eligible, self.typed, self.core
        listed, unlisted = order[:self.n_in], order[self.n_in:]  # eligible rows come first
        why_zh, why_en = _why(core, self.levels, self.ranks, self.scores, listed, typed["reasons_zh"].dtype)
        columns: dict[str, Any] = {
            "standard_id": typed["standard_id"].take(order),
            "enterprise": typed["enterprise"].take(order),
            "region": typed["region"].take(order),
            "eligible": eligible[order],
            "reasons_zh": typed["reasons_zh"].take(order),
            "reasons_en": typed["reasons_en"].take(order),
            "score": self.scores[order],
            "rank": pd.array(np.where(eligible, self.ranks, 0)[order], dtype="Int64"),
            "leader": self.leader[order],
            "tie_at_cut": self.tied[order],
        }
        columns["rank"][~columns["eligible"]] = pd.NA
        if self.tiered:
            columns["tier"] = LEVEL_TEXT.take(np.where(eligible, self.tier, -1)[order], allow_fill=True)
        # one take for every level column, then a slice each (a slice of an Arrow array copies nothing)
        level_text = LEVEL_TEXT.take(np.ascontiguousarray(self.levels[order].T, dtype=np.intp).ravel())
        for j, ind in enumerate(core):
            columns[f"level_{ind.id}"] = level_text[j * len(order):(j + 1) * len(order)]
        for j, ind in enumerate(core):
            columns[f"value_{ind.id}"] = self.values[order, j]
        columns["why_zh"] = _then(why_zh, typed["reasons_zh"].take(unlisted))
        columns["why_en"] = _then(why_en, typed["reasons_en"].take(unlisted))
        return pd.DataFrame(columns, copy=False)

    def rows_at(self, at: np.ndarray, columns) -> dict[str, list]:
        """Columns (of SHOWN) of the table's rows `at`, as lists, the values `table()` would hold."""
        rows = self.order[at]
        on = self.eligible[rows]
        out: dict[str, list] = {}
        why: dict[str, Any] = {}
        if {"why_zh", "why_en"} & set(columns) and on.any():
            why["why_zh"], why["why_en"] = _why(self.core, self.levels, self.ranks, self.scores, rows[on],
                                                self.typed["reasons_zh"].dtype)
        for c in columns:
            if c in ("standard_id", "enterprise", "region", "reasons_zh", "reasons_en"):
                out[c] = self.typed[c].take(rows).tolist()
            elif c == "eligible":
                out[c] = on.tolist()
            elif c == "score":
                out[c] = self.scores[rows].tolist()
            elif c == "rank":
                out[c] = [int(k) if e else pd.NA for k, e in zip(self.ranks[rows].tolist(), on.tolist(), strict=True)]
            elif c == "leader":
                out[c] = self.leader[rows].tolist()
            elif c == "tie_at_cut":
                out[c] = self.tied[rows].tolist()
            elif c == "tier":
                out[c] = LEVEL_TEXT.take(np.where(on, self.tier[rows], -1), allow_fill=True).tolist()
            elif c in ("why_zh", "why_en"):
                text = np.empty(len(rows), dtype=object)
                if on.any():
                    text[on] = list(why[c])
                if not on.all():
                    text[~on] = self.typed["reasons_" + c[-2:]].take(rows[~on]).tolist()
                out[c] = text.tolist()
            else:
                raise KeyError(c)
        return out


@dataclass
class Ranking:
    """A ranking list and its leaders (排行榜与领跑者名单), with the scheme and a digest of its inputs.

    table: every standard of the domain — standard_id, enterprise, region, eligible, reasons_zh, reasons_en,
        score, rank (eligible only; 1 = best, ties share the lowest number; with `ranking.levels.tier: sort`
        the tier comes first), leader, tie_at_cut, tier (when the scheme shows tiers: leader / advanced /
        baseline / none, the lowest level reached over the core indicators),
        level_<indicator> (leader / advanced / baseline / none), value_<indicator> (declared value in the
        scheme's unit), why_zh, why_en. Eligible rows first, by rank then standard_id.
    leaders: the leader rows with why (rank, score, levels reached). excluded: ineligible rows with reasons
        (`reason_codes`: the codes of each). Both are read from `table` when first used.
    notes: imputations, ties at the cut and the tie rule, minimum participants, maximum leaders, checks
        that the data could not support. digest: sha256 of scheme digest + data hash + leaderkit version.
    prepared: the prepared data ranked; rows: the row of `prepared` (its standards sorted by id) each row
        of `table` comes from. listed: the arrays `table` is built from (`Listed`), when it is first read;
        `ranks`, `leader_rows`, `leader_ids`, `eligible_count`, `on_list`, `rows_at` and `positions` answer
        from them without building it (a slider re-rank shows a few rows of 5,000).
    """

    scheme: Scheme
    on: date
    notes: list[Text]
    digest: str
    method: dict = field(default_factory=dict)
    prepared: Prepared | None = field(default=None, repr=False)
    rows: np.ndarray | None = field(default=None, repr=False)
    reason_codes: np.ndarray | None = field(default=None, repr=False)
    listed: Listed | None = field(default=None, repr=False)

    @cached_property
    def table(self) -> pd.DataFrame:
        """Every standard of the domain with its rank, score, levels and reasons (see the class)."""
        return self.listed.table()

    @cached_property
    def leaders(self) -> pd.DataFrame:
        """The leader rows of `table`: standard_id, enterprise, region, rank, score, tier (when shown),
        level_<indicator>, why_zh, why_en."""
        t = self.table
        at = np.flatnonzero(t["leader"].to_numpy(dtype=bool))
        first = len(at) and at[-1] == len(at) - 1  # the leaders are the first rows (a slice costs less than a take)
        cols = ["standard_id", "enterprise", "region", "rank", "score", *(["tier"] if "tier" in t.columns else []),
                *[c for c in t.columns if c.startswith("level_")], "why_zh", "why_en"]
        return (t.iloc[:len(at)] if first else t.iloc[at])[cols].reset_index(drop=True)

    @cached_property
    def excluded(self) -> pd.DataFrame:
        """The ineligible rows of `table` (its last rows) with their reasons: standard_id, enterprise, region,
        reasons (codes), reasons_zh, reasons_en."""
        t = self.table
        rest = t.iloc[self.eligible_count:][["standard_id", "enterprise", "region", "reasons_zh", "reasons_en"]]
        rest = rest.reset_index(drop=True)
        rest.insert(3, "reasons", self.reason_codes)
        return rest

    @cached_property
    def ranks(self) -> np.ndarray:
        """The rank of each row of `table` as a float (NaN off the list); read-only."""
        p = self.listed
        if p is None:
            out = self.table["rank"].to_numpy(dtype=float, na_value=np.nan)
        else:
            out = np.where(p.eligible, p.ranks, np.nan)[p.order]
        out.flags.writeable = False
        return out

    @cached_property
    def leader_rows(self) -> np.ndarray:
        """Whether each row of `table` is a leader; read-only."""
        p = self.listed
        out = self.table["leader"].to_numpy(dtype=bool, copy=True) if p is None else p.leader[p.order]
        out.flags.writeable = False
        return out

    @cached_property
    def leader_ids(self) -> frozenset:
        """The leaders' standard numbers."""
        return frozenset(self.rows_at(np.flatnonzero(self.leader_rows), ("standard_id",))["standard_id"])

    @cached_property
    def eligible_count(self) -> int:
        """How many standards are on the list (the eligible rows, first in `table`)."""
        if self.listed is not None:
            return self.listed.n_in
        return int(self.table["eligible"].to_numpy(dtype=bool).sum())

    @cached_property
    def on_list(self) -> tuple[np.ndarray, np.ndarray]:
        """Which rows of `table` are on the list (eligible, with a rank) and the ranks (float) of those rows."""
        keep = ~np.isnan(self.ranks)
        keep[self.eligible_count:] = False
        return keep, self.ranks[keep]

    def rows_at(self, at, columns) -> dict[str, list]:
        """The values of `columns` at rows `at` (positions) of `table`, as lists, column by column: from the
        arrays while the table is not built (standard_id, enterprise, region, eligible, reasons_zh,
        reasons_en, score, rank (<NA> off the list), leader, tie_at_cut, tier, why_zh, why_en), else from it."""
        at = np.asarray(at, dtype=np.intp)
        if self.listed is None or "table" in self.__dict__ or not set(columns) <= Listed.SHOWN:
            t = self.table
            return {c: t[c].array.take(at).tolist() for c in columns}
        return self.listed.rows_at(at, columns)

    def positions(self, ids) -> np.ndarray:
        """The rows of `table` holding the standards `ids` (−1 for one not in it)."""
        ids = list(ids)
        if self.listed is None or self.prepared is None:
            t = self.table["standard_id"].tolist()
            found = {sid: i for i, sid in enumerate(t)}
            return np.array([found.get(sid, -1) for sid in ids], dtype=np.intp)
        where = np.empty(len(self.listed.order) + 1, dtype=np.intp)
        where[self.listed.order] = np.arange(len(self.listed.order))
        where[-1] = -1
        row_of = self.prepared.row_of
        return where[np.array([row_of.get(sid, -1) for sid in ids], dtype=np.intp)]

    def to_excel(self, path, *, inputs=()) -> Path:
        """Write the publicity workbook (公示名单): see `leaderkit.ranking.publicity.write_workbook`."""
        from leaderkit.ranking.publicity import write_workbook

        return write_workbook(self, path, inputs=inputs)

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
    names = tuple((ind.name, ind.id) for ind in core)
    pairs = [_level_phrase(names, combo) for combo in map(tuple, combos.tolist())]
    return [zh for zh, _ in pairs], [en for _, en in pairs]


@lru_cache(maxsize=4096)
def _level_phrase(names: tuple[tuple[str, str], ...], combo: tuple[int, ...]) -> tuple[str, str]:
    """The phrase of one row of level codes (cached: a re-rank meets the same rows again)."""
    zh, en = "", ""
    for level in LEVEL_ORDER:
        hit = [pair for pair, code in zip(names, combo, strict=True) if code == LEVEL_CODES[level]]
        if hit:
            zh += f"；{LEVEL_NAMES[level].zh}：" + "、".join(name for name, _ in hit)
            en += f"; {LEVEL_NAMES[level].en}: " + ", ".join(i for _, i in hit)
    return zh, en


@lru_cache(maxsize=8)
def _phrase_arrays(names: tuple[tuple[str, str], ...], combos: bytes, width: int):
    """`_level_phrases` of distinct rows of level codes (int64 bytes, `width` per row) as two Arrow arrays,
    kept for the last few sets of rows (a weight slider re-ranks with the levels unchanged)."""
    import pyarrow as pa

    rows = np.frombuffer(combos, dtype=np.int64).reshape(-1, width).tolist()
    pairs = [_level_phrase(names, tuple(combo)) for combo in rows]
    return (pa.array([zh for zh, _ in pairs], type=pa.large_string()),
            pa.array([en for _, en in pairs], type=pa.large_string()))


@lru_cache(maxsize=1)
def _cent_texts():
    """"0.00", "0.01", … "999.99" as an Arrow large_string array: the text of k hundredths at position k."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    k = np.arange(100_000, dtype=np.int64)
    cents = pc.utf8_lpad(pc.cast(pa.array(k % 100), text), width=2, padding="0")
    return pc.binary_join_element_wise(pc.cast(pa.array(k // 100), text), cents, pa.scalar(".", text))


@lru_cache(maxsize=4)
def _integer_texts(limit: int):
    """"0", "1", … str(limit − 1) as an Arrow large_string array (built once per power of two)."""
    import pyarrow as pa

    return pa.array([str(k) for k in range(limit)], type=pa.large_string())


def integer_texts(values: np.ndarray):
    """`str(v)` of non-negative integers as an Arrow large_string array, taken from a table of texts."""
    import pyarrow as pa

    values = np.asarray(values, dtype=np.int64)
    top = int(values.max()) if len(values) else 0
    return _integer_texts(1 << max(top, 1).bit_length()).take(pa.array(values))


def two_decimals(values: np.ndarray):
    """`f"{v:.2f}"` of each value as an Arrow large_string array, without formatting row by row: the value
    × 100 rounded to an integer k, whose text is taken from a table of "0.00" … "999.99". Values of 999.99 or
    more, not finite, or whose × 100 lies within 10⁻⁶ of a half (where the product's rounding could decide)
    are formatted by Python; every text equals Python's."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = np.asarray(values, dtype=float)
    size = np.abs(values)
    fast = np.isfinite(values) & (size < 999.99)
    hundredths = np.where(fast, size, 0.0) * 100
    fast &= np.abs(hundredths - np.floor(hundredths) - 0.5) > 1e-6
    text = pa.large_string()
    out = _cent_texts().take(pa.array(np.rint(hundredths).astype(np.int64)))
    negative = np.signbit(values) & fast
    if negative.any():
        out = pc.if_else(pa.array(negative), pc.binary_join_element_wise(pa.scalar("-", text), out,
                                                                          pa.scalar("", text)), out)
    if not fast.all():
        slow = ~fast
        out = pc.replace_with_mask(out, pa.array(slow),
                                   pa.array([f"{v:.2f}" for v in values[slow].tolist()], type=text))
    return out


def _why(core, levels: np.ndarray, ranks, scores, rows: np.ndarray, dtype) -> tuple[Any, Any]:
    """'第 3 名，得分 71.25；领跑水平：a、b；先进水平：c' for the given rows, in their order, as text arrays of
    `dtype` (the table's text dtype). The level phrase is built once per distinct combination of levels (a
    row's codes read as one integer); with Arrow strings the pieces are joined by Arrow, not row by row."""
    arrow = isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    if len(rows) == 0:
        empty = pd.array([], dtype=dtype) if arrow else np.zeros(0, dtype=object)
        return empty, empty
    sub = levels[rows].astype(np.int64)
    low = int(sub.min())
    key = (sub - low) @ ((int(sub.max()) - low + 1) ** np.arange(sub.shape[1], dtype=np.int64))
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    sc = np.nan_to_num(scores[rows])
    has = ~np.isnan(scores[rows])
    if not arrow:
        zh_phrase, en_phrase = _level_phrases(core, sub[first])
        shown = [f"{v:.2f}" for v in sc.tolist()]
        r = ranks[rows].tolist()
        zh = [f"第 {k} 名" + (f"，得分 {v}" if h else "") + zh_phrase[i]
              for k, v, h, i in zip(r, shown, has.tolist(), inverse.tolist(), strict=True)]
        en = [f"rank {k}" + (f", score {v}" if h else "") + en_phrase[i]
              for k, v, h, i in zip(r, shown, has.tolist(), inverse.tolist(), strict=True)]
        return np.array(zh, dtype=object), np.array(en, dtype=object)
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()

    def word(value: str):
        return pa.scalar(value, type=text)

    combos = np.ascontiguousarray(sub[first])
    zh_phrase, en_phrase = _phrase_arrays(tuple((ind.name, ind.id) for ind in core), combos.tobytes(),
                                          combos.shape[1])
    rank_text = integer_texts(ranks[rows])
    score_text = two_decimals(sc) if has.any() else None
    take = pa.array(inverse)
    out = []
    for head, after_rank, before_score, phrases in (("第 ", " 名", "，得分 ", zh_phrase),
                                                    ("rank ", "", ", score ", en_phrase)):
        phrase = phrases.take(take)
        if has.all():
            parts = [word(head), rank_text, word(after_rank + before_score), score_text, phrase]
        elif has.any():
            scored = pc.if_else(pa.array(has), pc.binary_join_element_wise(word(before_score), score_text,
                                                                            word("")), word(""))
            parts = [word(head), rank_text, word(after_rank), scored, phrase]
        else:
            parts = [word(head), rank_text, word(after_rank), phrase]
        out.append(pd.array(pc.binary_join_element_wise(*parts, word("")), dtype=dtype))
    return out[0], out[1]


def _then(first, rest):
    """Two text arrays of one dtype, one after the other (the first as it is when nothing follows)."""
    if len(rest) == 0:
        return first
    if isinstance(first, np.ndarray):
        return np.concatenate([first, np.asarray(rest, dtype=object)])
    return type(first)._concat_same_type([first, rest])


def rank(scheme: Scheme, standards, *, on=None, baselines=None, program=None, register=None) -> Ranking:
    """The ranking list and leaders of `scheme` on `standards` (形成排行榜并确定领跑者).

    `standards`: a frame from `load_standards`, a file path, or a `Prepared` (from `prepare`, re-scored
    without re-reading). `on`: the list date (default the scheme's timeline.ranking_date). `baselines`:
    national/industry baselines (default the scheme's inline baselines). `program`: programme profile
    (default the scheme's `programme`). `register`: a TitleRegister (or its path) for the 3-year bans.
    The method, weights, imputation and leader rule come from the scheme; see docs/RANKING.md.
    """
    from leaderkit import __version__

    prep = prepare(scheme, standards, on=on, baselines=baselines, program=program, register=register)
    notes = list(prep.notes)
    roles = level_roles(scheme)
    core = scheme.core_indicators()
    thresholds = threshold_values(scheme, core)
    elig, reached = entered(scheme, prep, thresholds)
    eligible = elig["eligible"].to_numpy(dtype=bool)
    scored = score_standards(scheme, prep, eligible, notes, levels=reached, thresholds=thresholds)
    levels, ranks, scores = scored["levels"], scored["rank"], scored["score"]
    tier = tiers(core, levels)
    if roles.entry != "none":
        floored = int((prep.eligibility["eligible"].to_numpy(dtype=bool) & ~eligible).sum())
        notes.append(Text(f"入榜门槛：每项核心指标达到{LEVEL_NAMES[roles.entry].zh}；{floored} 项因此未入榜。",
                          f"Entry floor: every core indicator at the {LEVEL_NAMES[roles.entry].en}; "
                          f"{floored} standard(s) left out by it."))
    if roles.tier == "sort" and eligible.any():
        ranks = tier_first(tier, ranks, eligible)
        notes.append(Text("排行榜按档次（领跑/先进/基准，即各核心指标达到的最低水平）分档，档内按得分排序。",
                          "The list is formed tier by tier (leader/advanced/baseline: the lowest level reached "
                          "over the core indicators), by score within a tier."))
    if not eligible.any():
        notes.append(Text("没有符合资格的标准：不形成排行榜。", "No eligible standard: no ranking list."))
    leader, tied = choose_leaders(scheme, ranks, eligible, levels, notes)
    arrays = dict(prep.arrays)
    typed = dict(arrays["typed"])
    if elig is not prep.eligibility:  # the entry floor added reasons
        for c in ("reasons", "reasons_zh", "reasons_en"):
            arrays[c] = elig[c].to_numpy(dtype=object)
        typed.update({c: pd.Series(arrays[c]).array for c in ("reasons_zh", "reasons_en")})
    # eligibility rows are sorted by standard_id, so a stable sort keeps that order within a rank
    order = np.argsort(np.where(eligible, ranks, np.iinfo(np.int64).max), kind="stable")
    listed = Listed(core, roles.tier != "none", eligible, ranks, scores, levels, leader, tied, tier, order, typed,
                    arrays["values"])
    digest = hashlib.sha256(f"{scheme.digest()}|{prep.data_hash}|{__version__}".encode()).hexdigest()
    method = dict(scored["method"])
    method["weights"] = scored.get("weights")
    method["imputed"] = scored["imputed"]
    return Ranking(scheme, prep.on, notes, digest, method, prep, order, arrays["reasons"][order[listed.n_in:]],
                   listed)
