"""Statistics of adoption (采用率统计): tidy frames for research on which standards are stricter, where, and why.

Every function takes one of three inputs and works on the counts per group:
- a `Benchmark`: the counts are aggregated in its DuckDB connection (a GROUP BY, so 3.2 M standards never
  become 3.2 M rows in Python);
- a frame of counts, one row per group with `n` (how many standards the row stands for) and the outcome as
  a count (`stricter`), e.g. `Benchmark.adoption(by=[...])` or any GROUP BY of one's own: re-aggregated by
  summing, so counts by domain × year also give the counts by domain;
- a frame of rows, `Benchmark.standards` / `Benchmark.indicators` or one's own (aggregated with pandas).
A frame with a column `n` is a frame of counts. Each returns one row per group, pair or term:

- `group_differences(data, by)`: is the share of stricter standards the same in every group? Pearson's
  chi-square on the groups × (stricter, not) table, then every pair of groups: Fisher's exact test where
  an expected count is under 5, else chi-square (no continuity correction), p-values corrected for the
  number of pairs (Holm, or Benjamini–Hochberg with correction="bh").
- `trend_test(data, by=None)`: does the share rise or fall over the years? The Cochran–Armitage test
  with the years as scores, per group (p corrected over groups) or overall.
- `adoption_model(data)`: a logistic regression of P(stricter) on domain, region, year and enterprise
  size, fitted on the counts per cell of the terms (binomial GLM, logit link, Fisher scoring on a sparse
  design: the maximum-likelihood estimates of one row per standard, equal to statsmodels' `Logit` on the
  rows and `GLM(Binomial)` on the counts, which tests check); odds ratios with confidence intervals.
- `margin_distribution(data, by)`: how much stricter (the relative margin of `Benchmark.indicators`,
  positive = stricter) by domain, indicator and level: quantiles, mean, share above zero — from the
  count of each distinct margin per group (a few thousand rows at national scale), quantiles interpolated
  exactly as `numpy.quantile` / DuckDB `quantile_cont` on the rows.

scipy is imported inside the functions (`import leaderkit` stays light).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit.standards.loading import InputError

CORRECTIONS = ("holm", "bh")
FISHER_BELOW = 5  # a 2 × 2 table with an expected count under this is tested with Fisher's exact test


class StatisticsError(LeaderkitError):
    """A statistic that cannot be computed from the data given (too few groups, collinear terms)."""


class StatisticsWarning(UserWarning):
    """A statistic computed with a caveat (a model that did not converge)."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")


def adjust_pvalues(p, method: str = "holm") -> np.ndarray:
    """p-values corrected for multiple comparisons: Holm's step-down (family-wise error) or
    Benjamini–Hochberg (false discovery rate). NaN stays NaN and is not counted."""
    if method not in CORRECTIONS:
        raise InputError(f"多重比较校正应为 {CORRECTIONS} 之一，而不是 {method!r}",
                         f"correction must be one of {CORRECTIONS}, not {method!r}", where="correction")
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = len(q)
    if m == 0:
        return out
    order = np.argsort(q, kind="stable")
    ranked = q[order]
    if method == "holm":
        adjusted = np.maximum.accumulate((m - np.arange(m)) * ranked)
    else:
        adjusted = np.minimum.accumulate(m / np.arange(m, 0, -1) * ranked[::-1])[::-1]
    result = np.empty(m)
    result[order] = np.minimum(adjusted, 1.0)
    out[ok] = result
    return out


COUNT = "n"  # in a frame of counts: how many standards (or indicator rows) each row stands for


def _is_benchmark(data) -> bool:
    return hasattr(data, "con")


def _is_counts(data) -> bool:
    """A frame of counts per group (a column `n`), not one row per standard."""
    return not _is_benchmark(data) and COUNT in data.columns


def _columns(data) -> set[str]:
    """The columns of a frame, or of a Benchmark's standards table (those still to be gathered included)."""
    return set(data.columns)


def _need(data, columns, what: str) -> None:
    _need_in(_columns(data), columns, what)


def _quoted(columns) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _size_sql(count: str) -> str:
    """SQL for `enterprise_size`'s bands of a count of standards per enterprise (SIZE_BINS, right-closed)."""
    cases = " ".join(f"WHEN {count} <= {hi} THEN '{label}'"
                     for hi, label in zip(SIZE_BINS[1:], SIZE_LABELS, strict=True) if np.isfinite(hi))
    return f"(CASE WHEN {count} IS NULL THEN NULL {cases} ELSE '{SIZE_LABELS[-1]}' END)"


def _counts(data, by: list[str], outcome: str = "stricter") -> pd.DataFrame:
    """n and k, the number with `outcome` true, per group of `by` (empty `by`: one row).

    `size` in `by` where the data have no such column is `enterprise_size` (computed in DuckDB for a
    Benchmark). A frame of counts is summed over the groups of `by`."""
    known = _columns(data)
    size = "size" in by and "size" not in known
    if size:
        _need_in(known, ["enterprise"], "size")
    _need_in(known | ({"size"} if size else set()), [*by, outcome] + ([COUNT] if _is_counts(data) else []),
             "counts")
    if _is_benchmark(data):
        if outcome == "stricter" and not size:
            return data.adoption(by=by)[[*by, "n", "stricter"]].rename(columns={"stricter": "k"})
        data.load_columns([*by, outcome, *(["enterprise"] if size else [])])
        source = "bm_standards"
        if size:  # standards per enterprise, in bands, without bringing the rows out of DuckDB
            source = (f"(SELECT *, {_size_sql('e_n')} AS size FROM (SELECT *, CASE WHEN enterprise IS NULL "
                      f"THEN NULL ELSE count(*) OVER (PARTITION BY enterprise) END AS e_n FROM bm_standards))")
        group = f"GROUP BY {_quoted(by)} ORDER BY {_quoted(by)}" if by else ""
        return data.con.sql(f'SELECT {_quoted(by) + ", " if by else ""}count(*) AS n, '
                            f'count(*) FILTER ("{outcome}") AS k FROM {source} {group}').df()
    if _is_counts(data):
        n = pd.to_numeric(data[COUNT]).fillna(0)
        k = pd.to_numeric(data[outcome]).fillna(0)
        if not by:
            return pd.DataFrame({"n": [n.sum()], "k": [k.sum()]})
        grouped = pd.DataFrame({"n": n, "k": k}).groupby([data[c] for c in by], dropna=False, observed=True)
        return grouped.sum().reset_index()
    if size:
        data = data.assign(size=enterprise_size(data))
    flag = data[outcome].fillna(False).astype(bool)
    if not by:
        return pd.DataFrame({"n": [len(flag)], "k": [int(flag.sum())]})
    grouped = flag.groupby([data[c] for c in by], dropna=False, observed=True)
    return grouped.agg(n="size", k="sum").reset_index()


def group_differences(data, by, *, outcome: str = "stricter", correction: str = "holm",
                      alpha: float = 0.05) -> pd.DataFrame:
    """Differences in the share of stricter standards between the groups of `by` (one column).

    Returns one row for the overall test (group_a = group_b = "*": chi-square on the k × 2 table,
    k − 1 degrees of freedom) and one per pair of groups: n, stricter and rate of each, the difference
    rate_a − rate_b, the test used ("chi2" or "fisher"), its statistic (chi-square, or Fisher's odds
    ratio), p_value, p_adjusted (over the pairs, `correction`) and significant (p_adjusted < alpha).
    """
    from scipy.stats import chi2, fisher_exact

    if not isinstance(by, str):
        raise InputError("by 应为一个列名", "by must be one column name", where="by")
    counts = _counts(data, [by], outcome)
    counts = counts[counts["n"] > 0].sort_values(by, ignore_index=True)
    if len(counts) < 2:
        raise StatisticsError(f"按 {by} 只有 {len(counts)} 组，无法比较",
                              f"{by} has {len(counts)} group(s): nothing to compare", where=by,
                              hint=Text("换一个分组列，或用更多数据", "group by another column, or use more data"))
    n, k = counts["n"].to_numpy(float), counts["k"].to_numpy(float)
    overall_stat, overall_dof = _chi2(np.stack([k, n - k], axis=1))
    rows = [{"group_a": "*", "group_b": "*", "n_a": n.sum(), "stricter_a": k.sum(), "rate_a": k.sum() / n.sum(),
             "n_b": np.nan, "stricter_b": np.nan, "rate_b": np.nan, "difference": np.nan, "test": "chi2",
             "statistic": overall_stat, "dof": overall_dof, "p_value": float(chi2.sf(overall_stat, overall_dof))}]
    ia, ib = np.triu_indices(len(counts), k=1)
    tables = np.stack([np.stack([k[ia], n[ia] - k[ia]], axis=1), np.stack([k[ib], n[ib] - k[ib]], axis=1)],
                      axis=1)  # pairs × 2 groups × (stricter, not)
    stat = _chi2_pairs(tables)
    expected = tables.sum(axis=2, keepdims=True) * tables.sum(axis=1, keepdims=True) / tables.sum(axis=(1, 2),
                                                                                                    keepdims=True)
    small = (expected < FISHER_BELOW).any(axis=(1, 2))
    p = chi2.sf(stat, 1)
    for i in np.flatnonzero(small):
        stat[i], p[i] = fisher_exact(tables[i].astype(int))
    names = counts[by].astype(str).to_numpy()
    pairs = pd.DataFrame({"group_a": names[ia], "group_b": names[ib], "n_a": n[ia], "stricter_a": k[ia],
                          "rate_a": k[ia] / n[ia], "n_b": n[ib], "stricter_b": k[ib], "rate_b": k[ib] / n[ib],
                          "difference": k[ia] / n[ia] - k[ib] / n[ib],
                          "test": np.where(small, "fisher", "chi2"), "statistic": stat, "dof": 1, "p_value": p})
    out = pd.concat([pd.DataFrame(rows), pairs], ignore_index=True)
    out["p_adjusted"] = np.concatenate([[out["p_value"].iloc[0]], adjust_pvalues(p, correction)])
    out["significant"] = out["p_adjusted"] < alpha
    out.insert(0, "by", by)
    return out


def _chi2(table: np.ndarray) -> tuple[float, int]:
    """Pearson's chi-square (no continuity correction) of an r × c table of counts, and its degrees of freedom."""
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    used = expected > 0
    stat = float((((table - expected) ** 2)[used] / expected[used]).sum())
    dof = (int((table.sum(axis=1) > 0).sum()) - 1) * (int((table.sum(axis=0) > 0).sum()) - 1)
    return stat, dof


def _chi2_pairs(tables: np.ndarray) -> np.ndarray:
    """Pearson's chi-square of many 2 × 2 tables at once (pairs × 2 × 2); NaN where a margin is zero."""
    a, b, c, d = tables[:, 0, 0], tables[:, 0, 1], tables[:, 1, 0], tables[:, 1, 1]
    total = a + b + c + d
    denom = (a + b) * (c + d) * (a + c) * (b + d)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, total * (a * d - b * c) ** 2 / denom, np.nan)


def trend_test(data, *, year: str = "year", by=None, outcome: str = "stricter",
               correction: str = "holm") -> pd.DataFrame:
    """The Cochran–Armitage test for a trend in the share of stricter standards over the years.

    Scores are the years themselves. Per group of `by` (one column or None for one overall row): years
    (how many), n, stricter, slope (the least-squares change of the rate per year, weighted by n), z
    (positive = rising), p_value (two-sided) and p_adjusted over the groups (`correction`).
    """
    from scipy.stats import norm

    groups = [] if by is None else [by] if isinstance(by, str) else list(by)
    counts = _counts(data, [*groups, year], outcome).dropna(subset=[year])
    rows = []
    keyed = counts.groupby(groups, sort=True) if groups else [((), counts)]
    for key, part in keyed:
        s, n, k = (part[year].to_numpy(float), part["n"].to_numpy(float), part["k"].to_numpy(float))
        total, hits = n.sum(), k.sum()
        pbar = hits / total if total else np.nan
        sbar = (n * s).sum() / total if total else np.nan
        sxx = (n * (s - sbar) ** 2).sum()
        t = (s * (k - n * pbar)).sum()
        var = pbar * (1 - pbar) * sxx
        z = t / np.sqrt(var) if var > 0 else np.nan
        key = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(groups, key, strict=True)), "years": len(part), "n": total, "stricter": hits,
                     "rate": pbar, "slope": t / sxx if sxx > 0 else np.nan, "z": z,
                     "p_value": float(2 * norm.sf(abs(z))) if np.isfinite(z) else np.nan})
    out = pd.DataFrame(rows)
    out["p_adjusted"] = adjust_pvalues(out["p_value"], correction)
    return out


SIZE_BINS = (0, 1, 5, 20, np.inf)
SIZE_LABELS = ("1", "2-5", "6-20", ">20")


def enterprise_size(data, enterprise: str = "enterprise") -> pd.Series:
    """Enterprise size, where the data have no size of their own: the number of standards the enterprise
    declared, in bands 1 / 2-5 / 6-20 / >20 (a proxy; pass a `size` column to use a real one)."""
    counts = data[enterprise].map(data[enterprise].value_counts())
    return pd.cut(counts, SIZE_BINS, labels=SIZE_LABELS).astype("string")


def adoption_model(data, *, terms=("domain", "region", "year", "size"), outcome: str = "stricter",
                   confidence: float = 0.95) -> pd.DataFrame:
    """Logistic regression of P(stricter) on `terms` (binomial GLM, logit link).

    `year` enters as a number (the coefficient is the change of the log odds per year, the intercept is
    at the first year); every other term is categorical with its most frequent value as the reference.
    `size` is the data's own column if it has one, else `enterprise_size` (standards per enterprise).
    The model is fitted on the counts per cell of the terms (`data`: a Benchmark — the cells are a GROUP BY
    in DuckDB —, a frame of counts with the terms, `n` and `stricter`, or one row per standard): the same
    estimates as one row per standard. Fisher scoring on a sparse design keeps 240 domains × 31 regions ×
    6 years × 4 sizes to a second; statsmodels' dense GLM gives the same numbers on small data.
    Returns per coefficient: term, level (None for the intercept and year), coef, std_err, z, p_value,
    odds_ratio, ci_low, ci_high (of the odds ratio), and n (standards) and reference (the reference level).
    """
    from scipy.stats import norm

    terms = list(terms)
    if not terms:
        raise InputError("terms 不能为空", "terms must name at least one column", where="adoption_model",
                         hint=Text("例如 terms=(\"domain\", \"year\")", "e.g. terms=(\"domain\", \"year\")"))
    counts = _counts(data, terms, outcome).dropna(subset=terms)
    counts = counts[counts["n"] > 0].reset_index(drop=True)
    if counts.empty:
        raise StatisticsError("没有可用于回归的标准", "no standards to fit the model on", where="adoption_model",
                              hint=Text("检查数据与 terms 的列", "check the data and the columns in terms"))
    blocks, names, references = [], [("intercept", None)], {}
    for term in terms:
        if term == "year":
            year = counts[term].astype(float)
            blocks.append((term, (year - year.min()).to_numpy()[:, None], None))
            names.append(("year", None))
            continue
        values = counts[term].astype(str)
        weight = counts.groupby(values)["n"].sum()
        reference = weight.sort_index().idxmax()
        references[term] = reference
        levels = [v for v in sorted(weight.index) if v != reference]
        blocks.append((term, None, pd.Index(levels).get_indexer(values)))
        names += [(term, v) for v in levels]
    x = _design(blocks, len(counts))
    _check_rank(x, blocks)
    k, n = counts["k"].to_numpy(float), counts["n"].to_numpy(float)
    coef, cov = _fit_binomial(x, k, n)
    se = np.sqrt(np.diag(cov))
    z = norm.ppf(0.5 + confidence / 2)
    with np.errstate(over="ignore"):
        out = pd.DataFrame({
            "term": [t for t, _ in names], "level": [v for _, v in names],
            "coef": coef, "std_err": se, "z": coef / se, "p_value": 2 * norm.sf(np.abs(coef / se)),
            "odds_ratio": np.exp(coef), "ci_low": np.exp(coef - z * se), "ci_high": np.exp(coef + z * se),
        })
    out["reference"] = out["term"].map(references)
    out["n"] = int(counts["n"].sum())
    return out


def _design(blocks, rows: int):
    """The sparse design matrix (cells × parameters): the intercept, then each term's columns — a number,
    or one indicator column per non-reference level (codes: the level's column, -1 for the reference)."""
    from scipy.sparse import csr_matrix, hstack

    parts = [csr_matrix(np.ones((rows, 1)))]
    for _, number, codes in blocks:
        if number is not None:
            parts.append(csr_matrix(number))
            continue
        width = int(codes.max()) + 1 if len(codes) and codes.max() >= 0 else 0
        mine = np.flatnonzero(codes >= 0)
        parts.append(csr_matrix((np.ones(len(mine)), (mine, codes[mine])), shape=(rows, width)))
    return hstack(parts, format="csr")


def _check_rank(x, blocks) -> None:
    """Refuse collinear terms (e.g. category with domain, which determines it): name the first term that
    adds no information beyond the ones before it."""
    gram = (x.T @ x).toarray()
    p = gram.shape[0]
    if np.linalg.matrix_rank(gram) == p:
        return
    start = 1
    for term, number, codes in blocks:
        width = 1 if number is not None else (int(codes.max()) + 1 if len(codes) and codes.max() >= 0 else 0)
        end = start + width
        if np.linalg.matrix_rank(gram[:end, :end]) < end:
            raise StatisticsError(
                f"回归的自变量共线：{term} 可由前面的变量决定（或某一水平只有一种取值组合）",
                f"the model's terms are collinear: {term} is determined by the terms before it (or one of its "
                f"levels occurs with one combination only)", where=f"terms: {term}",
                hint=Text(f"去掉 {term} 或与之重复的变量（如领域决定产业类别），或合并样本少的组",
                          f"leave out {term} or the term it repeats (a domain determines its category), or "
                          f"merge small groups"))
        start = end
    raise StatisticsError("回归的自变量共线", "the model's terms are collinear", where="terms",  # pragma: no cover
                          hint=Text("减少变量", "use fewer terms"))


FIT_TOLERANCE = 1e-10  # relative change of the deviance at which Fisher scoring stops
FIT_ITERATIONS = 100


def _fit_binomial(x, k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood logistic regression on binomial counts (k of n per row of the sparse design x):
    iteratively reweighted least squares, started as R's glm starts a binomial model. Returns the
    coefficients and their covariance, the inverse Fisher information at the estimate."""
    from scipy.linalg import LinAlgError, solve
    from scipy.special import expit, xlogy

    eps = np.finfo(float).eps
    y = k / n

    def deviance(mu):
        return 2 * float((xlogy(k, k / (n * mu)) + xlogy(n - k, (n - k) / (n * (1 - mu)))).sum())

    def information(mu):
        w = n * mu * (1 - mu)
        return (x.T.multiply(w) @ x).toarray(), w

    mu = (k + 0.5) / (n + 1)
    eta = np.log(mu / (1 - mu))
    old = np.inf
    coef = np.zeros(x.shape[1])
    for _ in range(FIT_ITERATIONS):
        info, w = information(mu)
        working = eta + (y - mu) / (mu * (1 - mu))
        rhs = x.T @ (w * working)
        try:
            coef = solve(info, rhs, assume_a="pos")
        except (LinAlgError, ValueError):
            coef = np.linalg.lstsq(info, rhs, rcond=None)[0]
        eta = x @ coef
        mu = np.clip(expit(eta), eps, 1 - eps)
        dev = deviance(mu)
        if abs(dev - old) <= FIT_TOLERANCE * (abs(dev) + 0.1):
            break
        old = dev
    else:
        import warnings

        warnings.warn(StatisticsWarning(
            f"logistic 回归 {FIT_ITERATIONS} 次迭代未收敛（可能有完全分离的组）",
            f"the logistic regression did not converge in {FIT_ITERATIONS} iterations (a group may be "
            f"perfectly separated)"), stacklevel=3)
    info, _ = information(mu)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.linalg.pinv(info)
    return coef, cov


MARGIN_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def margin_distribution(data, by=("domain", "indicator", "level")) -> pd.DataFrame:
    """How much stricter: the distribution of the relative margin (Benchmark.indicators `margin`, the
    distance beyond the baseline limit as a share of it; positive = stricter) per group of `by`. With a
    Benchmark, `by` may also name the standards' attributes (category, region, year …). A frame with a
    column `n` is a frame of counts: `n` rows with that margin in that group.

    Per group: n (indicator rows with a margin), stricter (margin > 0), share_stricter, mean, min,
    q10, q25, median, q75, q90, max. Rows without a margin (not comparable, no baseline) are left out.
    The rows are counted per distinct margin first (in DuckDB for a Benchmark); the quantiles interpolate
    between order statistics exactly as `numpy.quantile` and DuckDB's `quantile_cont` do on the rows.
    """
    by = [by] if isinstance(by, str) else list(by)
    if _is_benchmark(data):
        own = set(data.con.sql("SELECT * FROM bm_indicators LIMIT 0").columns)
        _need_in(own | _columns(data), by, "margin_distribution")
        extra = [c for c in by if c not in own]  # the standard's attributes (category, region, year …)
        data.load_columns(extra)
        source = "bm_indicators" if not extra else (
            f"bm_indicators JOIN (SELECT standard_id, {_quoted(extra)} FROM bm_standards) USING (standard_id)")
        cols = _quoted([*by, "margin"])
        counts = data.con.sql(f"SELECT {cols}, count(*) AS n FROM {source} "
                              f"WHERE margin IS NOT NULL AND isfinite(margin) GROUP BY {cols}").df()
    elif _is_counts(data):
        _need_in(set(data.columns), [*by, "margin", COUNT], "margin_distribution")
        counts = data[[*by, "margin", COUNT]]
    else:
        _need_in(set(data.columns), [*by, "margin"], "margin_distribution")
        counts = data[[*by, "margin"]].assign(n=1)
    return _margin_table(counts, by)


def _margin_table(counts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The margin table from rows (group…, margin, n): n rows of that margin in that group."""
    names = [f"q{int(q * 100)}" if q != 0.5 else "median" for q in MARGIN_QUANTILES]
    margin = pd.to_numeric(counts["margin"], errors="coerce").astype(float)
    weight = pd.to_numeric(counts[COUNT]).fillna(0).astype(float)
    keep = np.isfinite(margin.to_numpy()) & (weight.to_numpy() > 0)
    rows = pd.DataFrame({**{c: counts[c].to_numpy()[keep] for c in by},
                         "margin": margin.to_numpy()[keep], COUNT: weight.to_numpy()[keep]})
    if by:
        group = rows.groupby(by, dropna=False, sort=True).ngroup().to_numpy()
        first = rows[by].iloc[np.unique(group, return_index=True)[1]].reset_index(drop=True)
    else:
        group = np.zeros(len(rows), dtype=np.int64)
        first = pd.DataFrame(index=range(1 if len(rows) else 0))
    order = np.lexsort((rows["margin"].to_numpy(), group))
    group, value, count = group[order], rows["margin"].to_numpy()[order], rows[COUNT].to_numpy()[order]
    groups = len(first)
    total = np.bincount(group, weights=count, minlength=groups)
    out = first.copy()
    out["n"] = total.astype(np.int64)
    out["stricter"] = np.bincount(group, weights=count * (value > 0), minlength=groups).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_stricter"] = out["stricter"] / out["n"]
        out["mean"] = np.bincount(group, weights=count * value, minlength=groups) / total
    cum = np.cumsum(count)  # the rows up to and including each distinct value, over all groups in order
    before = np.concatenate([[0.0], np.cumsum(total)[:-1]]) if groups else np.zeros(0)
    last = np.concatenate([np.flatnonzero(np.diff(group)), [len(group) - 1]]) if len(group) else np.zeros(0, int)
    out["min"] = value[np.searchsorted(cum, before, side="right")] if groups else []
    for q, name in zip(MARGIN_QUANTILES, names, strict=True):
        h = (total - 1) * q  # the position among the group's rows, 0-based, as numpy's "linear" method
        lo = np.floor(h)
        hi = np.minimum(lo + 1, total - 1)
        v_lo = value[np.searchsorted(cum, before + lo, side="right")]
        v_hi = value[np.searchsorted(cum, before + hi, side="right")]
        out[name] = v_lo + (h - lo) * (v_hi - v_lo)
    out["max"] = value[last]
    return out[[*by, "n", "stricter", "share_stricter", "mean", "min", *names, "max"]]


def _need_in(known: set[str], columns, what: str) -> None:
    missing = [c for c in columns if c not in known]
    if missing:
        raise InputError(f"{what} 需要列 {missing}，数据中没有", f"{what} needs the columns {missing}",
                         where=what, hint=Text(f"可用的列：{sorted(known)}", f"available columns: {sorted(known)}"))
