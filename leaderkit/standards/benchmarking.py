"""Benchmarking enterprise standards against national and industry standards (指标对标) and the
adoption rate of standards stricter than them (高于国家/行业标准的比例).

One implementation for every size: the data go into DuckDB (a pandas DataFrame is registered, a
Parquet file or folder is scanned out of core), the requirement texts are parsed once per unique text
in Python (`parse_many`), and every comparison and aggregation is SQL over the joined rows. No SQL text
is built from data: a file's paths and column names reach DuckDB through its relational API (a quoted
identifier per column, see `_source_relation`), the settings as connection configuration, and every
query names only the canonical columns. A Parquet file is checked as `load_standards` checks a file
(column types, empty required values, no rows, a baselines file given as standards): one `InputError`.

Verdict of one indicator against one baseline (the rule of `leaderkit.compare`, as SQL):
a requirement is a set of allowed values [lower, upper]; the enterprise set E is compared with the
baseline set B. With the baseline's direction "lower" (lower is better) only the upper bounds count,
with "higher" only the lower bounds; otherwise (ranges, or no direction) set containment decides:
E ⊊ B stricter, E = B equal, B ⊊ E looser, else not comparable. Qualitative or declared texts, texts
that do not parse and units that are not commensurable are not comparable.

Verdict of a standard against a level (national or industry), SOURCES.md "Stricter-than":
any looser indicator → looser; else at least one stricter → stricter; else at least one equal → equal;
else not comparable. Indicators that are not comparable are counted, never taken as stricter.
A standard is `stricter` when it is stricter than every level that has a baseline for it (national
AND industry where both exist) and at least one does. A looser value against a mandatory (GB, not GB/T)
limit is a compliance problem: `mandatory_violation`.

The baseline in force: a baseline row may carry 实施日期/effective and 废止日期/abolished; it is in force on
a day d when effective ≤ d < abolished. With `as_of="declared"` a standard is compared with the rows in
force on its declaration date (`published`; today where it has none), with `as_of=<date>` every standard
with the rows in force on that day. The dates of all baselines cut time into epochs (between two dates
nothing changes); the epoch is part of the comparison key, so the comparisons stay one per distinct key.
`superseded` lists the standards that were stricter when declared and are not against today's baselines.

Conditional limits: a baseline row may hold only for a band of a product attribute (条件属性, e.g. 制冷量;
条件下限 < value ≤ 条件上限, the form "4500 < CC ≤ 7100" of GB 21455). The bounds of all bands of one
(domain, indicator) cut the attribute into cells; the cell of a standard's value is part of the key. A
standard whose value falls in no band of a baseline, or that has no value, gets the verdict `no_band`
against it, listed by `Benchmark.unmatched()`: no band is guessed, and like a value that is not comparable
it never makes the standard stricter (the standard's other indicators still decide). The values come from a column
named by the attribute in the standards (frame, CSV/Excel or Parquet), or from `attributes=`; one value per
standard and attribute (a value of another type than a number is no value).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text
from leaderkit.limits.requirements import REL_TOL
from leaderkit.standards.loading import (
    REQUIRED_STANDARD,
    STANDARD_COLUMNS,
    InputError,
    bare_hint,
    canonical_columns,
    check_column_type,
    check_file_kind,
    load_baselines,
    load_standards,
    parse_dates,
    problems_error,
    read_table,
    require_columns,
)

TARGET_SHARE = 0.20  # document 002 三: share of declared standards stricter than national/industry ≥ 20 %

_STANDARD_ATTRS = ("enterprise", "domain", "category", "region", "year", "published")


def wilson_interval(successes, n, confidence: float = 0.95):
    """Wilson score interval for a binomial proportion, vectorised. Returns (low, high); NaN where n = 0.

    Scalars in give floats out; arrays in give arrays out.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)  # the normal quantile, within 2 ulp of scipy's norm.ppf
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    low, high = np.where(k == 0, 0.0, low), np.where(k == n, 1.0, high)  # exact where rounding is not
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def _bound_sql(e: str, ei: str, b: str, bi: str, side: str) -> str:
    """+1 when E's bound on `side` is tighter than B's, 0 when equal, -1 when looser (NULL = unbounded)."""
    tighter = f"{e} > {b}" if side == "lo" else f"{e} < {b}"
    return f"""(CASE
        WHEN {e} IS NULL AND {b} IS NULL THEN 0
        WHEN {e} IS NULL THEN -1
        WHEN {b} IS NULL THEN 1
        WHEN abs({e} - {b}) <= {REL_TOL} * greatest(abs({e}), abs({b})) THEN
            (CASE WHEN {ei} = {bi} THEN 0 WHEN {bi} THEN 1 ELSE -1 END)
        WHEN {tighter} THEN 1 ELSE -1 END)"""


# Verdicts as ordered codes, so that the verdict of a standard against a level is max(code):
# any looser → looser, else any stricter → stricter, else any equal → equal, else not comparable.
# `no_band` (the product is in no band of a conditional baseline) ranks lowest: it never makes a level
# stricter and is not comparable.
NO_BAND, NOT_COMPARABLE, EQUAL, STRICTER, LOOSER = -1, 0, 1, 2, 3
VERDICT_NAMES = {NO_BAND: "no_band", NOT_COMPARABLE: "not_comparable", EQUAL: "equal", STRICTER: "stricter",
                 LOOSER: "looser"}
NO_VALUE_CELL = -2  # the band cell of a standard without a (numeric) value for the condition attribute
_ALWAYS = np.iinfo(np.int32).max  # the last epoch of a baseline that is never abolished

VERDICT_SQL = f"""
CASE
  WHEN NOT comparable THEN {NOT_COMPARABLE}
  WHEN direction = 'lower' AND NOT (e_hi IS NULL AND b_hi IS NULL) THEN
       CASE hi_cmp WHEN 1 THEN {STRICTER} WHEN 0 THEN {EQUAL} ELSE {LOOSER} END
  WHEN direction = 'higher' AND NOT (e_lo IS NULL AND b_lo IS NULL) THEN
       CASE lo_cmp WHEN 1 THEN {STRICTER} WHEN 0 THEN {EQUAL} ELSE {LOOSER} END
  WHEN lo_cmp = 0 AND hi_cmp = 0 THEN {EQUAL}
  WHEN lo_cmp >= 0 AND hi_cmp >= 0 THEN {STRICTER}
  WHEN lo_cmp <= 0 AND hi_cmp <= 0 THEN {LOOSER}
  ELSE {NOT_COMPARABLE}
END"""


def _verdict_name_sql(code: str) -> str:
    cases = " ".join(f"WHEN {k} THEN '{v}'" for k, v in VERDICT_NAMES.items())
    return f"(CASE {code} {cases} END)"


# Relative margin: how far beyond the baseline, as a share of the baseline limit (positive = stricter).
MARGIN_SQL = """
CASE
  WHEN NOT comparable THEN NULL
  WHEN coalesce(direction, CASE WHEN b_lo IS NULL AND b_hi IS NOT NULL THEN 'lower'
                                WHEN b_hi IS NULL AND b_lo IS NOT NULL THEN 'higher' END) = 'lower'
       THEN CASE WHEN e_hi IS NOT NULL AND b_hi IS NOT NULL AND b_hi <> 0 THEN (b_hi - e_hi) / abs(b_hi) END
  WHEN coalesce(direction, CASE WHEN b_hi IS NULL AND b_lo IS NOT NULL THEN 'higher' END) = 'higher'
       THEN CASE WHEN e_lo IS NOT NULL AND b_lo IS NOT NULL AND b_lo <> 0 THEN (e_lo - b_lo) / abs(b_lo) END
  WHEN e_lo IS NOT NULL AND e_hi IS NOT NULL AND b_lo IS NOT NULL AND b_hi IS NOT NULL AND b_hi > b_lo
       THEN 1 - (e_hi - e_lo) / (b_hi - b_lo)
END"""


def _parsed_table(texts: pd.Series, units: pd.Series, bare: pd.Series) -> pd.DataFrame:
    """Parse each unique (text, unit, bare) triple once; the key columns join back to the data."""
    from leaderkit.limits.requirements import parse_many

    parsed = parse_many(texts.astype(object).where(texts.notna(), None).tolist(),
                        bare=bare.astype(object).where(bare.notna() & (bare != ""), None).tolist(),
                        unit=units.astype(object).where(units.notna(), None).tolist())
    parsed = parsed.reset_index(drop=True)
    parsed.insert(0, "key_bare", bare.fillna("").astype(str).to_numpy())
    parsed.insert(0, "key_unit", units.fillna("").astype(str).to_numpy())
    parsed.insert(0, "key_text", texts.fillna("").astype(str).to_numpy())
    parsed["numeric"] = parsed["kind"].eq("numeric")
    return parsed[["key_text", "key_unit", "key_bare", "kind", "lower", "upper", "lower_inclusive", "upper_inclusive",
                   "unit", "dimension", "factor", "numeric", "error"]]


def _baseline_table(base: pd.DataFrame, breakpoints: np.ndarray | None) -> tuple[pd.DataFrame, dict]:
    """Baselines with their parsed limits as the comparison step reads them: one row per baseline row, a
    conditional row once per band cell it covers (and a `no_band` row per cell a baseline leaves uncovered),
    with the epochs it is in force (`epoch_first` ≤ epoch < `epoch_last`). Returns it and the band cells
    of each conditional (domain, indicator): {(domain, indicator): (attribute, bounds)}."""
    units = base["unit"] if "unit" in base.columns else pd.Series(None, index=base.index, dtype=object)
    bare = base["bare"] if "bare" in base.columns else pd.Series(None, index=base.index, dtype=object)
    parsed = _parsed_table(base["requirement"].reset_index(drop=True), units.reset_index(drop=True),
                           bare.reset_index(drop=True))
    direction = (base["direction"].astype(object).where(base["direction"].notna(), None).to_numpy()
                 if "direction" in base.columns else None)
    table = pd.DataFrame({
        "domain": base["domain"].astype(str).to_numpy(), "indicator": base["indicator"].astype(str).to_numpy(),
        "level": base["level"].astype(str).to_numpy(), "baseline_id": base["baseline_id"].astype(str).to_numpy(),
        "mandatory": base["mandatory"].astype(bool).to_numpy(),
        "baseline_requirement": base["requirement"].astype(str).to_numpy(), "direction": direction,
    })
    for c in ("kind", "lower", "upper", "lower_inclusive", "upper_inclusive", "dimension", "factor", "numeric"):
        table[f"b_{c}"] = parsed[c].to_numpy()
    table["direction"] = table["direction"].where(table["direction"].isin(["lower", "higher"]), None)
    table["epoch_first"], table["epoch_last"] = 0, _ALWAYS
    if breakpoints is not None:
        for column, target, absent in (("effective", "epoch_first", 0), ("abolished", "epoch_last", _ALWAYS)):
            if column in base.columns:
                day = pd.to_datetime(base[column]).to_numpy("datetime64[D]")
                epoch = np.searchsorted(breakpoints, day, side="right")
                table[target] = np.where(pd.isna(day), absent, epoch)
    for c in ("condition_attribute", "condition_min", "condition_max"):
        table[c] = base[c].astype(object).where(base[c].notna(), None).to_numpy() if c in base.columns else None
    return _band_cells(table)


def _band_cells(table: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Expand conditional baseline rows to the band cells they cover (see `_baseline_table`)."""
    conditional = table["condition_attribute"].notna()
    plain = table[~conditional].assign(cell=None, no_band=False)
    if not conditional.any():
        return plain, {}
    rows = table[conditional].reset_index(drop=True)
    attributes = rows.groupby(["domain", "indicator"])["condition_attribute"].unique()
    mixed = attributes[attributes.map(len) > 1]
    if len(mixed):
        (domain, indicator), names = mixed.index[0], list(mixed.iloc[0])
        raise InputError(f"基准中 {domain}/{indicator} 的条件用了多个属性 {names}：一个指标只能按一个属性分档",
                         f"the baselines condition {domain}/{indicator} on several attributes {names}: one "
                         f"indicator can be banded by one attribute only", where=f"{domain}/{indicator}",
                         hint=Text("把不同属性的限值拆成不同的指标", "give limits on different attributes as "
                                   "different indicators"))
    parts, bands = [plain], {}
    for (domain, indicator), group in rows.groupby(["domain", "indicator"], sort=False):
        lo = group["condition_min"].astype(float).to_numpy()
        hi = group["condition_max"].astype(float).to_numpy()
        bounds = np.unique(np.concatenate([lo[~np.isnan(lo)], hi[~np.isnan(hi)]]))
        bands[(domain, indicator)] = (group["condition_attribute"].iloc[0], bounds)
        cell_lo = np.concatenate([[-np.inf], bounds])  # cell c is (cell_lo[c], cell_hi[c]]
        cell_hi = np.concatenate([bounds, [np.inf]])
        covers = ((np.isnan(lo)[:, None] | (lo[:, None] <= cell_lo[None, :]))
                  & (np.isnan(hi)[:, None] | (hi[:, None] >= cell_hi[None, :])))
        row, cell = covers.nonzero()
        parts.append(group.iloc[row].assign(cell=cell, no_band=False))
        cells = np.arange(len(cell_lo))
        for baseline_id, mine in group.groupby("baseline_id", sort=False):
            count = covers[group.index.get_indexer(mine.index)].sum(axis=0)
            if (count > 1).any():
                at = int(np.argmax(count > 1))
                raise InputError(
                    f"基准 {baseline_id} 的 {domain}/{indicator} 条件区间重叠（{cell_lo[at]} < 值 ≤ {cell_hi[at]}）",
                    f"the condition bands of {baseline_id} for {domain}/{indicator} overlap "
                    f"({cell_lo[at]} < value ≤ {cell_hi[at]})", where=f"{baseline_id}: {domain}/{indicator}",
                    hint=Text("每个值只能落在一个区间：条件下限 < 值 ≤ 条件上限",
                              "a value must fall in one band only: condition_min < value ≤ condition_max"))
            uncovered = np.concatenate([[NO_VALUE_CELL], cells[count == 0]])
            parts.append(mine.iloc[[0] * len(uncovered)].assign(
                cell=uncovered, no_band=True, baseline_requirement=None, b_numeric=False,
                condition_min=None, condition_max=None))
    return pd.concat(parts, ignore_index=True).astype({"cell": "Int64"}), bands


def _source_attributes(standards, names) -> pd.DataFrame:
    """The columns of the standards source named by a condition attribute, with the standard number: a
    frame as given, a Parquet file or folder read for those columns only, a CSV/Excel file read again."""
    if isinstance(standards, pd.DataFrame):
        return standards
    path = Path(standards)
    if path.suffix.lower() != ".parquet" and not path.is_dir():
        with warnings.catch_warnings():  # its bad rows were reported when it was loaded as standards
            warnings.simplefilter("ignore")
            return read_table(path, on_bad_rows="report")
    import duckdb

    scan = duckdb.connect().read_parquet([str(f) for f in _parquet_files(path)], union_by_name=True)
    ids = [h for h, c in canonical_columns(scan.columns, STANDARD_COLUMNS).items() if c == "standard_id"]
    wanted = [*ids[:1], *(n for n in names if n in scan.columns)]
    return scan.project(*(duckdb.ColumnExpression(h) for h in wanted)).distinct().df()


def _attribute_table(standards, attributes, names) -> pd.DataFrame:
    """The condition attributes' values per standard: (standard_id, attribute, value), value a number (NaN
    when it is not one). From columns named by the attribute in the standards (frame or file) and in
    `attributes` (a frame or file keyed by the standard number), or a long `attributes` table
    (standard_id, attribute, value; 标准编号, 属性, 属性值)."""
    frames = []
    sources = [(_source_attributes(standards, names), False)]
    if attributes is not None:
        sources.append((attributes if isinstance(attributes, pd.DataFrame) else read_table(attributes), True))
    long_names = {"属性": "attribute", "attribute": "attribute", "属性值": "value", "value": "value"}
    for frame, given in sources:
        ids = [h for h, c in canonical_columns(frame.columns, {"standard_id": STANDARD_COLUMNS["standard_id"]}
                                               ).items() if c == "standard_id"]
        if not ids:
            raise InputError("属性表没有标准编号列", "the attribute table has no standard number column",
                             where="attributes", hint=Text("加一列 标准编号（standard_id）",
                                                           "add a column 标准编号 (standard_id)"))
        named = {h: long_names[h] for h in frame.columns if h in long_names}
        if given and set(named.values()) == {"attribute", "value"}:
            long = frame[[ids[0], *named]].rename(columns={ids[0]: "standard_id", **named})
        else:
            present = [n for n in names if n in frame.columns]
            long = frame[[ids[0], *present]].rename(columns={ids[0]: "standard_id"}).melt(
                "standard_id", var_name="attribute", value_name="value")
        frames.append(long)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["standard_id", "attribute",
                                                                                    "value"])
    out["standard_id"] = out["standard_id"].astype("string").str.strip()
    out["attribute"] = out["attribute"].astype("string").str.strip()
    out["value"] = pd.to_numeric(out["value"].astype("string").str.strip(), errors="coerce")
    out = out.dropna(subset=["standard_id", "attribute"]).drop_duplicates()
    clash = out.dropna(subset=["value"]).duplicated(["standard_id", "attribute"], keep=False)
    if clash.any():
        first = out.dropna(subset=["value"])[clash].iloc[0]
        raise InputError(f"标准 {first['standard_id']} 的属性 {first['attribute']} 有多个不同的值",
                         f"standard {first['standard_id']} has several values of {first['attribute']}",
                         where=f"{first['standard_id']}: {first['attribute']}",
                         hint=Text("每个标准的每个属性只填一个值；不同规格的产品分成不同的标准行",
                                   "give one value per standard and attribute"))
    out = out.sort_values("value", na_position="last").drop_duplicates(["standard_id", "attribute"])
    return out.astype({"standard_id": object, "attribute": object})


def _as_of_day(as_of) -> date | None:
    """None for "declared", else the day of `as_of` (a date or a text such as 2026-07-01)."""
    if isinstance(as_of, str) and as_of == "declared":
        return None
    day = parse_dates(pd.Series([as_of], dtype=object)).iloc[0]
    if pd.isna(day):
        raise InputError(f"as_of 应为 \"declared\" 或日期，而不是 {as_of!r}",
                         f"as_of must be \"declared\" or a date, not {as_of!r}", where="as_of",
                         hint=Text("如 as_of=\"2026-07-01\"", "e.g. as_of=\"2026-07-01\""))
    return day.date()


def _in_force(base: pd.DataFrame, day: date) -> pd.DataFrame:
    """The baseline rows in force on `day` (effective ≤ day < abolished)."""
    keep = pd.Series(True, index=base.index)
    if "effective" in base.columns:
        effective = pd.to_datetime(base["effective"])
        keep &= effective.isna() | (effective <= pd.Timestamp(day))
    if "abolished" in base.columns:
        abolished = pd.to_datetime(base["abolished"])
        keep &= abolished.isna() | (abolished > pd.Timestamp(day))
    return base[keep.to_numpy()].reset_index(drop=True)


def _breakpoints(base: pd.DataFrame) -> np.ndarray | None:
    """The days on which some baseline comes into force or is abolished, sorted; None when there are none."""
    days = [pd.to_datetime(base[c]).dropna() for c in ("effective", "abolished") if c in base.columns]
    if not days or not any(len(d) for d in days):
        return None
    return np.unique(pd.concat(days).to_numpy("datetime64[D]"))


@dataclass
class Benchmark:
    """The result of `benchmark`: lives in a DuckDB connection, read out as DataFrames on demand.

    `.standards` one row per standard (n_indicators counts its indicator rows); `.indicators` one row per
    standard × indicator × baseline;
    `.adoption(by=[...])` the share of stricter standards per group with a Wilson interval;
    `.violations()` looser values against mandatory limits; `.unmatched()` indicators in no band of a
    conditional baseline; `.summary()` the headline figures. `as_of`: "declared" or the day compared.
    A scanned Parquet source leaves the standards' attributes other than domain and year (`deferred`) for
    their first use: `.standards`, `.adoption(by=["region"])` … gather them in one pass over the files
    (`load_columns`), refused if the files changed since.
    """

    con: object
    source: str
    digest: str
    unparsed: pd.DataFrame = field(default_factory=pd.DataFrame)
    as_of: str = "declared"
    deferred: tuple = ()
    _cache: dict = field(default_factory=dict, repr=False)
    _gather: object = field(default=None, repr=False)

    _TABLES = ("bm_standards", "bm_indicators")

    def __getstate__(self) -> dict:
        """A benchmark pickles as its result tables (a DuckDB connection does not pickle): a dashboard
        server computes it once and its kernels read it (`leaderkit.app.views.warm_cache`)."""
        self.load_columns()
        state = {k: v for k, v in self.__dict__.items() if k not in ("con", "_cache", "_gather")}
        state["tables"] = {t: self.con.sql(f"SELECT * FROM {t}").to_arrow_table() for t in self._TABLES}
        return state

    def __setstate__(self, state: dict) -> None:
        import duckdb

        state = dict(state)
        tables = state.pop("tables")
        self.__dict__.update(state)
        self._cache, self._gather = {}, None
        self.con = duckdb.connect()
        for name, table in tables.items():
            self.con.register("bm_pickled", table)
            self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM bm_pickled")
            self.con.unregister("bm_pickled")

    @property
    def columns(self) -> list[str]:
        """The columns of `.standards`, those still to be gathered included."""
        present = _columns(self.con, "bm_standards")
        return [present[0], *(c for c in _STANDARD_ATTRS if c in present or c in self.deferred),
                *(c for c in present[1:] if c not in _STANDARD_ATTRS)]

    def load_columns(self, columns=None) -> None:
        """Gather the deferred attributes if any of `columns` (default: all) is one of them."""
        wanted = set(self.deferred) if columns is None else set(self.deferred) & set(columns)
        if wanted:
            self._gather()
            self.deferred = ()
            self._cache.clear()

    @property
    def standards(self) -> pd.DataFrame:
        self.load_columns()
        if "standards" not in self._cache:
            self._cache["standards"] = self.con.sql("SELECT * FROM bm_standards ORDER BY standard_id").df()
        return self._cache["standards"]

    @property
    def indicators(self) -> pd.DataFrame:
        if "indicators" not in self._cache:
            self._cache["indicators"] = self.con.sql(
                "SELECT * FROM bm_indicators ORDER BY standard_id, indicator, level").df()
        return self._cache["indicators"]

    def adoption(self, by=("domain",), *, target: float = TARGET_SHARE, confidence: float = 0.95) -> pd.DataFrame:
        """Adoption rate (采用率) of standards stricter than national/industry ones, per group.

        n: declared standards in the group; stricter: how many are stricter than both baselines where
        they exist; rate = stricter / n with its Wilson interval; gap = rate − target (document 002: 20 %);
        comparable: standards with at least one comparable baseline; violations: standards looser than a
        mandatory limit. `by` may be empty for the overall figure.
        """
        by = [by] if isinstance(by, str) else list(by)
        known = set(self.columns)
        unknown = [c for c in by if c not in known]
        if unknown:
            raise InputError(f"无法按 {unknown} 分组：数据中没有这些列", f"cannot group by {unknown}: no such column",
                             hint=Text(f"可用的列：{sorted(known)}", f"available columns: {sorted(known)}"))
        self.load_columns(by)
        cols = ", ".join(f'"{c}"' for c in by)
        group = f"GROUP BY {cols} ORDER BY {cols}" if by else ""
        select = f"{cols}, " if by else ""
        out = self.con.sql(f"""
            SELECT {select} count(*) AS n, count(*) FILTER (stricter) AS stricter,
                   count(*) FILTER (comparable) AS comparable,
                   count(*) FILTER (mandatory_violation) AS violations
            FROM bm_standards {group}""").df()
        low, high = wilson_interval(out["stricter"], out["n"], confidence)
        out["rate"] = out["stricter"] / out["n"]
        out["ci_low"], out["ci_high"] = low, high
        out["gap"] = out["rate"] - target
        out["meets_target"] = out["ci_low"] >= target
        out.attrs["target"] = target
        out.attrs["confidence"] = confidence
        return out[[*by, "n", "stricter", "rate", "ci_low", "ci_high", "gap", "meets_target", "comparable",
                    "violations"]]

    def violations(self) -> pd.DataFrame:
        """Indicators looser than a mandatory national/industry limit (强制性标准不符合), one row each."""
        self.load_columns(("enterprise", "region", "year"))
        present = set(self.columns)
        extra = "".join(f"s.{c}, " for c in ("enterprise", "region", "year") if c in present)
        return self.con.sql(f"""
            SELECT i.standard_id, {extra}i.domain, i.indicator, i.requirement,
                   i.baseline_id, i.baseline_requirement, i.margin
            FROM bm_indicators i JOIN bm_standards s USING (standard_id)
            WHERE i.verdict = 'looser' AND i.mandatory
            ORDER BY i.standard_id, i.indicator""").df()

    def unmatched(self) -> pd.DataFrame:
        """Indicators whose product falls in no band of a conditional baseline (verdict `no_band`): the
        standard, the indicator, the baseline, the attribute and the value (NaN when there is none)."""
        columns = set(self.con.sql("SELECT * FROM bm_indicators LIMIT 0").columns)
        if "condition_value" not in columns:
            return pd.DataFrame(columns=["standard_id", "domain", "indicator", "requirement", "baseline_id",
                                         "condition_attribute", "condition_value"])
        return self.con.sql("""
            SELECT standard_id, domain, indicator, requirement, baseline_id, condition_attribute,
                   condition_value
            FROM bm_indicators WHERE verdict = 'no_band' ORDER BY standard_id, indicator, baseline_id""").df()

    def summary(self) -> dict:
        row = self.con.execute("""
            SELECT count(*) AS standards, count(*) FILTER (stricter) AS stricter,
                   count(*) FILTER (comparable) AS comparable,
                   count(*) FILTER (mandatory_violation) AS violations,
                   sum(n_indicators) AS indicators
            FROM bm_standards""").fetchall()[0]
        n, k = row[0], row[1]
        low, high = wilson_interval([k], [n])
        return {"standards": n, "indicators": int(row[4] or 0), "stricter": k, "comparable": row[2],
                "mandatory_violations": row[3], "rate": k / n if n else float("nan"),
                "ci_low": float(low[0]), "ci_high": float(high[0]), "unparsed_texts": len(self.unparsed),
                "digest": self.digest}


# The columns of the declared standards that the benchmark reads (any other column of the file is left out,
# so a documented header such as 方向 or 层级 can never collide with a column of the comparison).
_SOURCE_COLUMNS = ("standard_id", "domain", "indicator", "requirement", "unit", "bare", *_STANDARD_ATTRS)
_KEPT_AS_TYPED = ("year", "published")  # compared and grouped as they are; every other column is text
_DUCKDB_INTEGERS = {"tinyint", "smallint", "integer", "bigint", "hugeint",
                    "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"}


def _duckdb_kind(sql_type) -> str:
    """The kind of a DuckDB column type, as `loading.COLUMN_KINDS` names them."""
    tid = str(sql_type.id)
    if tid in ("varchar", "enum"):
        return "text"
    if tid in _DUCKDB_INTEGERS:
        return "integer"
    if tid in ("float", "double", "decimal"):
        return "number"
    if tid.startswith("timestamp"):
        return "timestamp"
    return {"boolean": "bool", "date": "date", "null": "null"}.get(tid, "other")


def _parquet_files(path: Path) -> list[Path]:
    """The Parquet files to scan, each checked to be one (magic bytes at both ends) before DuckDB opens it."""
    files = sorted(p for p in path.rglob("*.parquet") if p.is_file()) if path.is_dir() else [path]
    if not files:
        raise InputError(f"文件夹 {path} 中没有 .parquet 文件", f"the folder {path} holds no .parquet files",
                         where=str(path), hint=Text("给出 Parquet 文件或含 Parquet 文件的文件夹",
                                                    "give a Parquet file or a folder of Parquet files"))
    for file in files:
        try:
            size = file.stat().st_size
            with open(file, "rb") as fh:
                head = fh.read(4)
                fh.seek(max(size - 4, 0))
                tail = fh.read(4)
        except OSError as exc:
            raise InputError(f"无法打开文件 {file}：{exc.strerror}", f"cannot open {file}: {exc.strerror}",
                             where=str(file)) from None
        if size < 12 or head != b"PAR1" or tail != b"PAR1":
            raise InputError(f"{file} 不是有效的 Parquet 文件（内容损坏或与扩展名不符）",
                             f"{file} is not a valid Parquet file (damaged, or not what its name says)",
                             where=str(file), hint=Text("确认文件未损坏，且格式与扩展名一致",
                                                        "check the file is not damaged and matches its "
                                                        "extension"))
    return files


def _source_relation(con, standards) -> tuple[str, str, bool]:
    """Register the standards as view `bm_src` with canonical column names.

    Returns (name, digest, scanned): scanned is True for Parquet read by DuckDB out of core. Nothing from
    the data reaches SQL text: the Parquet files are given to DuckDB's relational API as a list of paths,
    and its columns are picked and renamed with `duckdb.ColumnExpression` (a quoted identifier).
    """
    import duckdb

    if isinstance(standards, (str, Path)) and (Path(standards).suffix.lower() == ".parquet"
                                               or Path(standards).is_dir()):
        path = Path(standards)
        if not path.exists():
            raise InputError(f"找不到文件 {path}", f"file not found: {path}",
                             hint=Text("检查路径是否正确", "check the path"))
        files = [str(f) for f in _parquet_files(path)]
        try:
            scan = con.read_parquet(files, union_by_name=True)
            headers, types = scan.columns, scan.types
        except duckdb.Error as exc:
            raise InputError(f"无法读取 {path}：Parquet 文件损坏，或各文件的列类型不一致",
                             f"cannot read {path}: a Parquet file is damaged, or the files disagree on "
                             f"column types", where=str(path),
                             hint=Text("逐个检查文件，或重新导出", "check the files one by one, or export them again")
                             ) from exc
        mapping = require_columns(str(path), headers, STANDARD_COLUMNS, REQUIRED_STANDARD)
        for header, sql_type in zip(headers, types, strict=True):
            if header in mapping:
                check_column_type(str(path), header, mapping[header], _duckdb_kind(sql_type), str(sql_type))
        numbered = not {"filename", "file_row_number"} & set(headers)
        if numbered:
            scan = con.read_parquet(files, union_by_name=True, filename=True, file_row_number=True)
        _register_scan(con, scan, mapping, numbered)
        return str(path), _files_digest(files), True
    df = load_standards(standards)
    keep = [c for c in _SOURCE_COLUMNS if c in df.columns]
    frame = df[keep].copy()
    for c in keep:
        if c not in _KEPT_AS_TYPED:
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    con.register("bm_src_df", frame)
    con.execute("CREATE OR REPLACE VIEW bm_src AS SELECT * FROM bm_src_df")
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes()).hexdigest()[:16]
    return df.attrs.get("source", "<DataFrame>"), digest, False


def _files_digest(files: list[str]) -> str:
    """The files' names, sizes and modification times, hashed: what a scanned source's results depend on."""
    stat = [(f, os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files]
    return hashlib.sha256(repr(stat).encode()).hexdigest()[:16]


def _register_scan(con, scan, mapping: dict[str, str], numbered: bool) -> None:
    """Views over the Parquet scan: `bm_src`, the canonical columns as loading reads them (text trimmed,
    empty as NULL; `bare` from the column or the requirement's header), `bm_src_rows`, the same
    with where each row is (file, row) for the messages of `_check_scan`, and `bm_src_raw`, the text as
    stored (not trimmed; `bare` as in `bm_src`) for the passes over every row in `_compare`."""
    import duckdb

    varchar = duckdb.type("VARCHAR")

    def text(expr):
        return duckdb.FunctionExpression("nullif", duckdb.FunctionExpression("trim", expr.cast(varchar)),
                                         duckdb.ConstantExpression(""))

    columns = {}
    for header, canonical in mapping.items():
        if canonical in _SOURCE_COLUMNS:
            expr = duckdb.ColumnExpression(header)
            columns[canonical] = expr if canonical in _KEPT_AS_TYPED else text(expr)
    header_bare = duckdb.ConstantExpression(bare_hint([h for h, c in mapping.items() if c == "requirement"]))
    columns["bare"] = (duckdb.CoalesceOperator(duckdb.FunctionExpression("lower", columns["bare"]),
                                               header_bare.cast(varchar))
                       if "bare" in columns else header_bare.cast(varchar))
    if numbered:
        file, row = duckdb.ColumnExpression("filename"), duckdb.ColumnExpression("file_row_number")
    else:
        file = duckdb.ConstantExpression(None).cast(varchar)
        row = duckdb.ConstantExpression(None).cast(duckdb.type("BIGINT"))
    located = [*(e.alias(c) for c, e in columns.items()), file.alias("lk_file"), row.alias("lk_row")]
    scan.project(*located).create_view("bm_src_rows", replace=True)
    # The same columns as stored (text not trimmed): the passes over every row read these, and clean only
    # what they keep (`_compare`), since trimming tens of millions of cells costs more than the comparison.
    stored = {c: duckdb.ColumnExpression(h) if c in _KEPT_AS_TYPED else duckdb.ColumnExpression(h).cast(varchar)
              for h, c in mapping.items() if c in _SOURCE_COLUMNS}
    stored["bare"] = columns["bare"]  # small: the header's meaning, or the column read as `bm_src` reads it
    scan.project(*(e.alias(c) for c, e in stored.items())).create_view("bm_src_raw", replace=True)
    con.execute("CREATE OR REPLACE VIEW bm_src AS SELECT * EXCLUDE (lk_file, lk_row) FROM bm_src_rows")


def _check_scan(con, name: str) -> None:
    """What load_standards checks, for a scanned Parquet source: rows at all, no empty required value, a
    `bare` column that says max or min, not a baselines file. Asked of the small tables the comparison
    built (no extra pass over the data); the rows are looked up only when something is wrong."""
    n_standards, n_unnamed = con.execute(
        "SELECT count(*), count(*) FILTER (standard_id IS NULL) FROM bm_standards").fetchall()[0]
    if n_standards == 0:
        raise InputError(f"{name} 没有数据行", f"{name} has no rows", where=name,
                         hint=Text("检查是否选对了文件", "check that this is the right file"))
    n_bad_keys = con.execute("""
        SELECT count(*) FROM bm_key_list k JOIN bm_req r USING (tid)
        WHERE k.k_domain = '' OR k.k_indicator = '' OR r.key_text = '' OR r.key_bare NOT IN ('', 'max', 'min')
    """).fetchall()[0][0]
    if not n_unnamed and not n_bad_keys:
        check_file_kind(name, _standard_ids(con), "standards")
        return
    first = con.execute(f"""
        SELECT lk_file, lk_row, {", ".join(f"{c} IS NULL" for c in REQUIRED_STANDARD)},
               bare IS NOT NULL AND bare NOT IN ('max', 'min') AS bad_bare, bare,
               count(*) OVER () AS n_bad
        FROM bm_src_rows
        WHERE {" OR ".join(f"{c} IS NULL" for c in REQUIRED_STANDARD)} OR bare NOT IN ('max', 'min')
        ORDER BY lk_file, lk_row LIMIT 1""").fetchall()[0]
    file, row, *empty, bad_bare, bare, n_bad = first
    column = next((c for c, e in zip(REQUIRED_STANDARD, empty, strict=True) if e), "bare")
    zh, en = ("必填项为空", "required value is empty") if any(empty) else (
        "bare 列应为 max 或 min", "the bare column must be max or min")
    hint = Text("补全或删去这些行；或用 load_standards(…, on_bad_rows='report') 读入（坏行被列出并跳过）后传给 benchmark",
                "fill in or remove the rows, or read the file with load_standards(…, on_bad_rows='report') "
                "(bad rows listed and left out) and pass the frame to benchmark")
    if row is None:  # the file has columns of its own named filename / file_row_number: no row to name
        raise InputError(f"{name} 有 {n_bad} 行的列 {column}：{zh}",
                         f"{name}: {n_bad} rows, column {column}: {en}", where=f"{name}:{column}", hint=hint)
    found = {"file": file, "row": row + 2, "column": column, "value": bare if column == "bare" else None,
             "problem": zh, "problem_en": en}
    raise problems_error(file, [found], count=n_bad, hint=hint)


def _standard_ids(con, batch: int = 10_000):
    """The standard numbers of `bm_std`, a batch at a time (read only as far as the caller asks)."""
    start = 0
    while rows := con.execute("SELECT standard_id FROM bm_std WHERE rowid >= ? AND rowid < ?",
                              [start, start + batch]).fetchall():
        yield from (r[0] for r in rows if r[0] is not None)
        start += batch


def _connect(database: str, memory_limit: str | None, threads: int | None):
    """A DuckDB connection with its settings given as configuration values, never as SQL text."""
    import duckdb

    config = {"threads": int(threads or os.cpu_count() or 1), "preserve_insertion_order": False,
              "temp_directory": str(Path(tempfile.gettempdir()) / "leaderkit-duckdb")}
    if memory_limit:
        config["memory_limit"] = str(memory_limit)
    try:
        con = duckdb.connect(database, config=config)
    except duckdb.Error as exc:
        settings = f"database={database!r}, memory_limit={memory_limit!r}, threads={threads!r}"
        raise InputError(f"无法打开 DuckDB（{settings}）", f"cannot open DuckDB ({settings})", where="benchmark",
                         hint=Text("memory_limit 写作 '4GB' 这样的大小；database 为 ':memory:' 或可写的文件路径",
                                   "memory_limit is a size such as '4GB'; database is ':memory:' or a "
                                   "writable file path")) from exc
    con.execute("SET enable_progress_bar = false")  # a library does not draw on the user's terminal
    return con


def benchmark(standards, baselines, *, as_of="declared", attributes=None, memory_limit: str | None = "4GB",
              threads: int | None = None, database: str = ":memory:") -> Benchmark:
    """Benchmark declared standards against national and industry baselines (对标).

    standards: a DataFrame from `load_standards` (or any frame with canonical or Chinese headers), a
      CSV/Excel file, or a Parquet file/folder (national scale: scanned by DuckDB, out of core; its
      columns are type-checked and its rows checked for empty required values as `load_standards` does).
    baselines: a DataFrame from `load_baselines` or a file.
    as_of: "declared" compares each standard with the baselines in force on its declaration date
      (`published`; today where it has none); a date compares every standard with those in force that day.
      Baselines without 实施日期/废止日期 are in force on every day.
    attributes: the product attributes that conditional baselines name (e.g. 制冷量), for standards whose
      data have no column of that name: a frame or file keyed by 标准编号, wide (a column per attribute)
      or long (属性, 属性值).
    Returns a `Benchmark`. Inputs are never modified. A file that cannot be read is an `InputError`.
    """
    import duckdb

    day = _as_of_day(as_of)
    con = _connect(database, memory_limit, threads)
    source, scanned = "<DataFrame>" if isinstance(standards, pd.DataFrame) else str(standards), False
    try:
        source, digest, scanned = _source_relation(con, standards)
        base = load_baselines(baselines)
        req, deferred = _compare(con, base if day is None else _in_force(base, day), declared=day is None,
                                 attributes=lambda names: _attribute_table(standards, attributes, names),
                                 raw=scanned)
        if scanned:
            _check_scan(con, source)
    except duckdb.OutOfMemoryException as exc:
        raise InputError(f"对标 {source} 时内存不足（memory_limit={memory_limit}）",
                         f"out of memory benchmarking {source} (memory_limit={memory_limit})", where=source,
                         hint=Text("调高 memory_limit，或按领域拆分数据",
                                   "raise memory_limit, or split the data by domain")) from exc
    except duckdb.Error as exc:
        if not scanned:
            raise
        raise InputError(f"读取 {source} 时出错：Parquet 数据损坏，或各文件的列类型不一致",
                         f"cannot read {source}: the Parquet data is damaged, or the files disagree on "
                         f"column types", where=source,
                         hint=Text("逐个检查文件，或重新导出", "check the files one by one, or export them again")
                         ) from exc
    unparsed = req.loc[req["kind"].eq("invalid"), ["key_text", "error"]].rename(columns={"key_text": "text"})
    as_of_text = "declared" if day is None else day.isoformat()
    gather = (lambda: _gather_attributes(con, source, digest, deferred)) if deferred else None
    return Benchmark(con=con, source=source, digest=_result_digest(digest, base, as_of_text, attributes),
                     unparsed=unparsed.reset_index(drop=True), as_of=as_of_text, deferred=deferred,
                     _gather=gather)


def _gather_attributes(con, source: str, digest: str, deferred: tuple) -> None:
    """`bm_std_attrs`: the deferred attributes of a scanned source's standards, read from the files (each
    from a row where it is not blank; cleaned as `bm_src` reads them), and `bm_standards` showing them."""
    try:
        unchanged = _files_digest([str(f) for f in _parquet_files(Path(source))]) == digest
    except (InputError, OSError):
        unchanged = False
    if not unchanged:
        raise InputError(f"{source} 在对标之后被修改或删除，无法再读取标准的属性",
                         f"{source} changed or went away after it was benchmarked: the standards' attributes "
                         f"cannot be read", where=source,
                         hint=Text("对当前的文件重新运行 benchmark", "run benchmark again on the files as they are"))
    first = "".join(f"any_value(s.{c}) AS {c}, " if c in _KEPT_AS_TYPED else
                    f"any_value(s.{c}) FILTER ({_not_blank_sql(f's.{c}')}) AS {c}, " for c in deferred)
    con.execute(f"CREATE OR REPLACE TEMP TABLE bm_raw_attrs AS SELECT s.standard_id AS raw_id, {first[:-2]} "
                f"FROM bm_src_raw s GROUP BY s.standard_id")
    padded = con.execute("SELECT count(*) FROM bm_raw_attrs WHERE raw_id = '' OR prefix(raw_id, ' ') "
                         "OR suffix(raw_id, ' ')").fetchall()[0][0]
    if padded:
        clean = ", ".join(f"any_value({c}) AS {c}" if c in _KEPT_AS_TYPED else
                          f"any_value({_clean_sql(c)}) AS {c}" for c in deferred)
        select = f"SELECT {_clean_sql('raw_id')} AS standard_id, {clean} FROM bm_raw_attrs GROUP BY 1"
    else:  # one group per standard already; an attribute kept is not blank, so trimming never empties it
        clean = ", ".join(f"{c}" if c in _KEPT_AS_TYPED else
                          f"(CASE WHEN prefix({c}, ' ') OR suffix({c}, ' ') THEN trim({c}) ELSE {c} END) AS {c}"
                          for c in deferred)
        select = f"SELECT raw_id AS standard_id, {clean} FROM bm_raw_attrs"
    con.execute(f"CREATE OR REPLACE TEMP TABLE bm_std_attrs AS {select}")
    con.execute("DROP TABLE bm_raw_attrs")
    attrs = [c for c in _STANDARD_ATTRS if c in _columns(con, "bm_standards") or c in deferred]
    _standards_view(con, attrs, eager=[c for c in attrs if c not in deferred], gathered="bm_std_attrs")


def _frame_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes()).hexdigest()


def _result_digest(data_digest: str, base: pd.DataFrame, as_of: str, attributes) -> str:
    """What a benchmark's result depends on, hashed: the standards' data, the baselines, the day compared and
    the product attributes given; two results with the same digest come from the same inputs."""
    if attributes is None:
        extra = ""
    elif isinstance(attributes, pd.DataFrame):
        extra = _frame_hash(attributes)
    else:
        path = Path(attributes)
        extra = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else str(path)
    parts = "|".join([data_digest, _frame_hash(base), as_of, extra])
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()[:16]


def superseded(standards, baselines, *, today=None, attributes=None, **options) -> pd.DataFrame:
    """Standards stricter than the baselines in force when they were declared, and equal to or looser than
    those in force `today` (default: the current date) against national or industry ones: a revised
    national standard (e.g. GB 12021.4-2013 → GB 12021.4-2026) caught up with them (被新国标追平或超过).

    One row per such standard: its attributes, the verdicts `vs_national_declared`, `vs_industry_declared`,
    `vs_national_today`, `vs_industry_today`, and the baselines compared then and now (`baselines_declared`,
    `baselines_today`). Runs `benchmark` twice (as_of="declared" and as_of=today); `options` go to both.
    """
    day = date.today() if today is None else _as_of_day(today)
    if day is None:
        raise InputError("today 应为日期", "today must be a date", where="today",
                         hint=Text("如 today=\"2026-07-01\"", "e.g. today=\"2026-07-01\""))
    then = benchmark(standards, baselines, as_of="declared", attributes=attributes, **options)
    now = benchmark(standards, baselines, as_of=day, attributes=attributes, **options)
    verdicts = ["standard_id", "vs_national", "vs_industry", "stricter"]
    merged = then.standards.merge(now.standards[verdicts], on="standard_id", suffixes=("_declared", "_today"))
    caught = merged[["vs_national_today", "vs_industry_today"]].isin(["equal", "looser"]).any(axis=1)
    out = merged[merged["stricter_declared"] & ~merged["stricter_today"] & caught].reset_index(drop=True)
    ids = out[["standard_id"]]
    for name, result in (("baselines_declared", then), ("baselines_today", now)):
        result.con.register("bm_caught", ids)
        listed = result.con.sql("""
            SELECT standard_id, string_agg(DISTINCT baseline_id, ', ' ORDER BY baseline_id) AS listed
            FROM bm_indicators SEMI JOIN bm_caught USING (standard_id)
            WHERE baseline_id IS NOT NULL GROUP BY standard_id""").df()
        out = out.merge(listed.rename(columns={"listed": name}), on="standard_id", how="left")
    attrs = [c for c in _STANDARD_ATTRS if c in out.columns]
    return out[["standard_id", *attrs, "vs_national_declared", "vs_industry_declared", "vs_national_today",
                "vs_industry_today", "baselines_declared", "baselines_today"]]


def _compare(con, base: pd.DataFrame, *, declared: bool, attributes, raw: bool = False) -> pd.DataFrame:
    """The comparison tables and views over `bm_src`; returns the parsed requirement texts.

    declared: pick the baselines in force on each standard's declaration date; attributes: a function
    from the condition attributes' names to their values per standard (`_attribute_table`); raw: a
    scanned source also has `bm_src_raw` (its cells as stored, see `_register_scan`), and the passes over
    all rows read that instead, cleaning only the distinct keys and the standards' groups."""
    # The comparisons depend only on (domain, indicator, requirement text, unit, bare) and, where baselines
    # have versions or bands, the epoch of the declaration date and the band cell: do them once per
    # distinct key (a few hundred thousand at national scale), then carry them to the rows (tens of
    # millions) through small integer-keyed lookups: (domain, indicator) → slot, (text, unit, bare) → tid.
    src_cols = set(con.sql("SELECT * FROM bm_src LIMIT 0").columns)
    breakpoints = _breakpoints(base) if declared else None
    if breakpoints is not None and "published" not in src_cols:
        base, breakpoints = _in_force(base, date.today()), None
    table, bands = _baseline_table(base, breakpoints)
    joins, epoch_col, band_col = "", "0", "-1"
    if breakpoints is not None:
        _register_epochs(con, breakpoints)
        joins += " LEFT JOIN bm_dates dt ON dt.published IS NOT DISTINCT FROM s.published"
        epoch_col = "dt.epoch"
    if bands:
        _register_cells(con, bands, attributes)
        joins += (" LEFT JOIN bm_row_band rb ON rb.standard_id = s.standard_id AND rb.domain = s.domain"
                  " AND rb.indicator = s.indicator")
        band_col = f"coalesce(rb.band, {NO_BAND})"
    unit_col = "coalesce(s.unit, '')" if "unit" in src_cols else "''"
    bare_col = "coalesce(s.bare, '')" if "bare" in src_cols else "''"
    raw = raw and not bands  # a band is looked up by the clean standard number: the plain path
    raw_unit = "s.unit" if "unit" in src_cols else "NULL::VARCHAR"
    row_hash = f"hash(s.domain, s.indicator, s.requirement, {raw_unit}, {bare_col}, {epoch_col})"
    if raw:
        # The cells as stored are read once for their distinct keys; each is cleaned (trimmed, empty as
        # NULL: what `bm_src` says) there, and the verdicts are carried back to the rows by the raw key
        # (h: the hash of its columns, as `row_hash` computes it for a row).
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE bm_raw_keys AS
            SELECT r.*, hash(r.r_domain, r.r_indicator, r.r_text, r.r_unit, r.k_bare, r.epoch) AS h,
                   {_clean_sql('r.r_domain')} AS c_domain, {_clean_sql('r.r_indicator')} AS c_indicator,
                   {_clean_sql('r.r_text')} AS c_text,
                   coalesce({_clean_sql('r.r_unit') if "unit" in src_cols else 'NULL'}, '') AS c_unit
            FROM (SELECT DISTINCT s.domain AS r_domain, s.indicator AS r_indicator, s.requirement AS r_text,
                         {raw_unit} AS r_unit, {bare_col} AS k_bare,
                         {epoch_col} AS epoch
                  FROM bm_src_raw s{joins}) r""")
        keys = con.sql(f"SELECT DISTINCT coalesce(c_domain, '') AS k_domain, coalesce(c_indicator, '') AS k_indicator, "
                       f"coalesce(c_text, '') AS k_text, c_unit AS k_unit, k_bare, epoch, {band_col} AS band "
                       f"FROM bm_raw_keys").df()
    else:
        keys = con.sql(f"SELECT DISTINCT coalesce(s.domain, '') AS k_domain, coalesce(s.indicator, '') AS k_indicator, "
                       f"coalesce(s.requirement, '') AS k_text, {unit_col} AS k_unit, {bare_col} AS k_bare, "
                       f"{epoch_col} AS epoch, {band_col} AS band FROM bm_src s{joins}").df()
    keys["slot"] = pd.MultiIndex.from_frame(keys[["k_domain", "k_indicator"]]).factorize()[0]
    keys["tid"] = pd.MultiIndex.from_frame(keys[["k_text", "k_unit", "k_bare"]]).factorize()[0]
    texts = keys.drop_duplicates("tid").sort_values("tid")
    req = _parsed_table(texts["k_text"].reset_index(drop=True),
                        texts["k_unit"].replace("", None).reset_index(drop=True),
                        texts["k_bare"].reset_index(drop=True))
    req.insert(0, "tid", texts["tid"].to_numpy())
    con.register("bm_req", req)
    con.register("bm_slots", keys.drop_duplicates("slot")[["k_domain", "k_indicator", "slot"]])
    con.register("bm_key_list", keys[["k_domain", "k_indicator", "slot", "tid", "epoch", "band"]])
    con.register("bm_base", table)

    con.execute("""
        CREATE OR REPLACE TEMP TABLE bm_key_pairs AS
        SELECT k.slot, k.tid, k.epoch, k.band, e.kind,
               b.level, b.baseline_id, b.mandatory, b.baseline_requirement, b.direction, b.no_band,
               b.condition_attribute, b.condition_min, b.condition_max,
               (NOT coalesce(b.no_band, false) AND e.numeric AND b.b_numeric
                    AND (e.dimension IS NOT DISTINCT FROM b.b_dimension
                         OR e.dimension IS NULL OR b.b_dimension IS NULL)) AS comparable,
               e.lower * CASE WHEN e.dimension IS NULL THEN b.b_factor ELSE e.factor END AS e_lo,
               e.upper * CASE WHEN e.dimension IS NULL THEN b.b_factor ELSE e.factor END AS e_hi,
               e.lower_inclusive AS e_loi, e.upper_inclusive AS e_hii,
               b.b_lower * CASE WHEN b.b_dimension IS NULL THEN e.factor ELSE b.b_factor END AS b_lo,
               b.b_upper * CASE WHEN b.b_dimension IS NULL THEN e.factor ELSE b.b_factor END AS b_hi,
               b.b_lower_inclusive AS b_loi, b.b_upper_inclusive AS b_hii
        FROM bm_key_list k
        JOIN bm_req e USING (tid)
        LEFT JOIN bm_base b ON b.domain = k.k_domain AND b.indicator = k.k_indicator
             AND b.epoch_first <= k.epoch AND k.epoch < b.epoch_last AND (b.cell IS NULL OR b.cell = k.band)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE bm_key_codes AS
        SELECT *, CASE WHEN level IS NULL THEN NULL WHEN no_band THEN {NO_BAND} ELSE ({VERDICT_SQL}) END AS code
        FROM (SELECT *, {_bound_sql('e_lo', 'e_loi', 'b_lo', 'b_loi', 'lo')} AS lo_cmp,
                        {_bound_sql('e_hi', 'e_hii', 'b_hi', 'b_hii', 'hi')} AS hi_cmp
              FROM bm_key_pairs)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE bm_key_levels AS
        SELECT slot, tid, epoch, band,
               max(code) FILTER (level = 'national') AS nat,
               max(code) FILTER (level = 'industry') AS ind,
               coalesce(bool_or(code = {LOOSER} AND mandatory), false) AS violation,
               count(*) FILTER (code = {NOT_COMPARABLE}) AS n_nc,
               count(*) FILTER (code = {NO_BAND}) AS n_nb
        FROM bm_key_codes GROUP BY ALL
    """)
    key_match = "k.slot = sl.slot AND k.tid = r.tid"
    key_match += " AND k.epoch = dt.epoch" if breakpoints is not None else ""
    key_match += f" AND k.band = {band_col}" if bands else ""
    lookup = (f"LEFT JOIN bm_slots sl ON sl.k_domain = s.domain AND sl.k_indicator = s.indicator "
              f"LEFT JOIN bm_req r ON r.key_text = s.requirement AND r.key_unit = {unit_col} "
              f"AND r.key_bare = {bare_col}{joins}")
    conditions = ("k.condition_attribute, k.condition_min, k.condition_max, rb.value AS condition_value, "
                  if bands else "")
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW bm_indicators AS
        SELECT s.standard_id, s.domain, s.indicator, s.requirement, k.kind, k.level, k.baseline_id, k.mandatory,
               k.baseline_requirement, k.direction, {conditions}
               coalesce({_verdict_name_sql('k.code')}, 'no_baseline') AS verdict,
               ({MARGIN_SQL}) AS margin
        FROM bm_src s {lookup}
        LEFT JOIN bm_key_codes k ON {key_match}
    """)
    # The standards read the key verdicts in one join on the key's own columns (as a hand-written query
    # would), not through the slot and text lookups: one hash probe per row instead of three. What a
    # standard's rows add up to travels as two integers per key (`_mask_sql`): one bit_or and one sum
    # per standard instead of six aggregates over tens of millions of rows.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE bm_key_verdicts AS
        SELECT k.k_domain, k.k_indicator, r.key_text, r.key_unit, r.key_bare, k.epoch, k.band,
               {_mask_sql('l.nat', 'l.ind', 'l.violation')} AS mask, l.n_nc + (l.n_nb << 32) AS packed
        FROM bm_key_levels l JOIN bm_key_list k USING (slot, tid, epoch, band) JOIN bm_req r USING (tid)
    """)
    verdict_match = (f"k.k_domain = s.domain AND k.k_indicator = s.indicator AND k.key_text = s.requirement "
                     f"AND k.key_unit = {unit_col} AND k.key_bare = {bare_col}")
    verdict_match += " AND k.epoch = dt.epoch" if breakpoints is not None else ""
    verdict_match += f" AND k.band = {band_col}" if bands else ""
    attrs = [c for c in _STANDARD_ATTRS if c in src_cols]
    rows_add_up = "count(*) AS n_indicators, bit_or(k.mask) AS mask, sum(k.packed) AS packed"
    if not raw:
        attr_sel = "".join(f"any_value(s.{c}) AS {c}, " for c in attrs)
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE bm_std AS
            SELECT s.standard_id, {attr_sel}{rows_add_up}
            FROM bm_src s{joins}
            LEFT JOIN bm_key_verdicts k ON {verdict_match}
            GROUP BY s.standard_id""")
        _standards_view(con, attrs, eager=attrs)
        return req, ()
    # Raw path: every raw key → its clean key's verdicts (a key that cleans to an empty domain, indicator or
    # text has none, as in `bm_src`: `_check_scan` refuses such data). Each raw key gets a 64-bit hash of
    # its columns; when the distinct keys' hashes are distinct (checked: then a row's hash names its key
    # exactly, every row's key being one of them), the rows find their key by that one integer instead of
    # five text columns. The domain travels as a small integer; the other attributes are gathered on
    # first use (`Benchmark.load_columns`): the adoption per domain and year never reads them.
    domains = con.sql("SELECT DISTINCT c_domain FROM bm_raw_keys WHERE c_domain IS NOT NULL").df()
    domains["dom"] = np.arange(len(domains), dtype=np.int32)
    con.register("bm_domain_ids", domains)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE bm_raw_verdicts AS
        SELECT r.r_domain, r.r_indicator, r.r_text, r.r_unit, r.k_bare, r.epoch, r.h, d.dom,
               coalesce(v.mask, 0) AS mask, coalesce(v.packed, 0) AS packed
        FROM bm_raw_keys r LEFT JOIN bm_domain_ids d ON d.c_domain = r.c_domain
        LEFT JOIN bm_key_verdicts v ON v.k_domain = r.c_domain
             AND v.k_indicator = r.c_indicator AND v.key_text = r.c_text AND v.key_unit = r.c_unit
             AND v.key_bare = r.k_bare AND v.epoch = r.epoch""")
    year = "any_value(s.year) AS year, " if "year" in attrs else ""
    if _hashes_name_keys(con):
        rows = (f"(SELECT s.standard_id, {'s.year, ' if year else ''}{row_hash} AS h "
                f"FROM bm_src_raw s{joins}) s")
        raw_match = "k.h = s.h"
    else:
        rows = f"bm_src_raw s{joins}"
        raw_match = ("k.r_domain = s.domain AND k.r_indicator = s.indicator AND k.r_text = s.requirement "
                     f"AND k.k_bare = {bare_col}")
        raw_match += " AND k.r_unit IS NOT DISTINCT FROM s.unit" if "unit" in src_cols else ""
        raw_match += " AND k.epoch = dt.epoch" if breakpoints is not None else ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE bm_raw_standards AS
        SELECT s.standard_id AS raw_id, any_value(k.dom) AS dom, {year}{rows_add_up}
        FROM {rows} JOIN bm_raw_verdicts k ON {raw_match}
        GROUP BY s.standard_id""")
    padded = con.execute("SELECT count(*) FROM bm_raw_standards WHERE raw_id = '' OR prefix(raw_id, ' ') "
                         "OR suffix(raw_id, ' ')").fetchall()[0][0]
    year = "any_value(year) AS year, " if "year" in attrs else ""
    if padded:  # a stored number with spaces: the groups of the clean number
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE bm_std AS
            SELECT {_clean_sql('raw_id')} AS standard_id, any_value(dom) AS dom, {year}
                   CAST(sum(n_indicators) AS BIGINT) AS n_indicators, bit_or(mask) AS mask, sum(packed) AS packed
            FROM bm_raw_standards GROUP BY 1""")
        con.execute("DROP TABLE bm_raw_standards")
    else:  # every stored number is clean: one group each already
        con.execute("ALTER TABLE bm_raw_standards RENAME COLUMN raw_id TO standard_id")
        con.execute("ALTER TABLE bm_raw_standards RENAME TO bm_std")
    eager = [c for c in attrs if c in ("domain", "year")]
    _standards_view(con, attrs, eager=eager)
    return req, tuple(c for c in attrs if c not in eager)


def _hashes_name_keys(con) -> bool:
    """Whether the raw keys' hashes are all different (then a row's hash names its key exactly)."""
    return con.execute("SELECT count(*) = count(DISTINCT h) FROM bm_raw_verdicts").fetchall()[0][0]


# What one key adds to its standard, as two integers: `mask` has bit (code + 1) for its national verdict
# code, bit 8 + (code + 1) for its industry one and bit 16 for a looser value against a mandatory limit, so
# the bit_or over a standard's rows holds the max of each (the highest bit of each byte) and whether any
# row violates; `packed` is n_not_comparable + n_no_band · 2³², summed over the rows.
_CODES = (NO_BAND, NOT_COMPARABLE, EQUAL, STRICTER, LOOSER)
_VIOLATION_BIT = 1 << 16


def _mask_sql(nat: str, ind: str, violation: str) -> str:
    return (f"(CASE WHEN {nat} IS NULL THEN 0 ELSE 1 << ({nat} + 1) END"
            f" | CASE WHEN {ind} IS NULL THEN 0 ELSE 256 << ({ind} + 1) END"
            f" | CASE WHEN {violation} THEN {_VIOLATION_BIT} ELSE 0 END)")


def _max_code_sql(mask: str, shift: int) -> str:
    """The highest verdict code whose bit is set in `mask` (bits from `shift`), NULL when none is."""
    cases = " ".join(f"WHEN ({mask} >> {shift + code + 1}) & 1 = 1 THEN {code}" for code in reversed(_CODES))
    return f"(CASE {cases} END)"


def _standards_view(con, attrs: list[str], *, eager: list[str], gathered: str | None = None) -> None:
    """`bm_standards`: one row per standard with its attributes and verdicts, decoded from `bm_std` (the
    eager attributes, n_indicators, mask, packed) and, once gathered, `bm_std_attrs` (the others)."""
    def column(c):
        if c in eager:
            return "n.domain" if (c == "domain" and "dom" in _columns(con, "bm_std")) else f"s.{c}"
        return f"a.{c}"

    nat, ind = _max_code_sql("s.mask", 0), _max_code_sql("s.mask", 8)
    names = "LEFT JOIN (SELECT dom, c_domain AS domain FROM bm_domain_ids) n USING (dom)" \
        if "dom" in _columns(con, "bm_std") else ""
    extra = f"LEFT JOIN {gathered} a USING (standard_id)" if gathered else ""
    selected = [c for c in attrs if c in eager or gathered]
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW bm_standards AS
        SELECT s.standard_id, {"".join(f"{column(c)} AS {c}, " for c in selected)}
               s.n_indicators, {_verdict_name_sql(nat)} AS vs_national, {_verdict_name_sql(ind)} AS vs_industry,
               coalesce({nat} = {STRICTER} OR {ind} = {STRICTER}, false)
                 AND coalesce({nat}, {STRICTER}) = {STRICTER} AND coalesce({ind}, {STRICTER}) = {STRICTER} AS stricter,
               coalesce({nat} > {NOT_COMPARABLE} OR {ind} > {NOT_COMPARABLE}, false) AS comparable,
               coalesce(s.mask & {_VIOLATION_BIT} <> 0, false) AS mandatory_violation,
               CAST(coalesce(s.packed, 0) % 4294967296 AS BIGINT) AS n_not_comparable,
               CAST(coalesce(s.packed, 0) // 4294967296 AS BIGINT) AS n_no_band
        FROM bm_std s {names} {extra}""")


def _columns(con, relation: str) -> list[str]:
    return con.sql(f"SELECT * FROM {relation} LIMIT 0").columns


def _clean_sql(expr: str) -> str:
    """A stored text cell as `bm_src` reads it: trimmed (DuckDB's trim: spaces), empty as NULL."""
    return f"nullif(trim({expr}), '')"


def _not_blank_sql(expr: str) -> str:
    """`_clean_sql(expr) IS NOT NULL`, trimming only the cells that start with a space."""
    return f"(CASE WHEN prefix({expr}, ' ') THEN trim({expr}) <> '' ELSE {expr} <> '' END)"


def _register_epochs(con, breakpoints: np.ndarray) -> None:
    """`bm_dates`: each distinct declaration date of `bm_src` (as stored) → its epoch, the number of
    baseline dates on or before it; a standard without a date takes today's."""
    dates = con.sql("SELECT DISTINCT published FROM bm_src").df()
    day = parse_dates(dates["published"]).fillna(pd.Timestamp(date.today())).to_numpy("datetime64[D]")
    dates["epoch"] = np.searchsorted(breakpoints, day, side="right")
    con.register("bm_dates", dates)


def _register_cells(con, bands: dict, attributes) -> None:
    """`bm_row_band`: the band cell of each (standard, domain, indicator) under a conditional baseline,
    the number of band bounds below its attribute value (NO_VALUE_CELL without a value), and the value."""
    slots = pd.DataFrame([(d, i, a) for (d, i), (a, _) in bands.items()],
                         columns=["domain", "indicator", "attribute"])
    con.register("bm_cond_slots", slots)
    rows = con.sql("SELECT DISTINCT s.standard_id, s.domain, s.indicator FROM bm_src s "
                   "JOIN bm_cond_slots c ON c.domain = s.domain AND c.indicator = s.indicator").df()
    values = attributes(sorted(set(slots["attribute"])))
    rows = rows.merge(slots, on=["domain", "indicator"]).merge(values, on=["standard_id", "attribute"],
                                                              how="left")
    band = np.full(len(rows), NO_VALUE_CELL, dtype=np.int64)
    value = rows["value"].to_numpy(float)
    for (domain, indicator), (_, bounds) in bands.items():
        mine = (rows["domain"].eq(domain) & rows["indicator"].eq(indicator)).to_numpy() & ~np.isnan(value)
        band[mine] = np.searchsorted(bounds, value[mine], side="left")
    rows["band"] = band
    con.register("bm_row_band", rows[["standard_id", "domain", "indicator", "band", "value"]])
