"""Statistics of adoption (采用率统计): tidy frames for research on which standards are stricter, where, and why.

Every function takes a `Benchmark` (the counts are aggregated in its DuckDB connection, so national
scale is a GROUP BY) or the frame `Benchmark.standards` / `Benchmark.indicators` (aggregated with pandas),
works on the counts per group, and returns one row per group, pair or term:

- `group_differences(data, by)`: is the share of stricter standards the same in every group? Pearson's
  chi-square on the groups × (stricter, not) table, then every pair of groups: Fisher's exact test where
  an expected count is under 5, else chi-square (no continuity correction), p-values corrected for the
  number of pairs (Holm, or Benjamini–Hochberg with correction="bh").
- `trend_test(data, by=None)`: does the share rise or fall over the years? The Cochran–Armitage test
  with the years as scores, per group (p corrected over groups) or overall.
- `adoption_model(data)`: a logistic regression of P(stricter) on domain, region, year and enterprise
  size (statsmodels, fitted on the counts per cell, which gives the same estimates as one row per
  standard); odds ratios with confidence intervals per term.
- `margin_distribution(data, by)`: how much stricter (the relative margin of `Benchmark.indicators`,
  positive = stricter) by domain, indicator and level: quantiles, mean, share above zero.

scipy and statsmodels are imported inside the functions (`import leaderkit` stays light).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit.standards.loading import InputError

CORRECTIONS = ("holm", "bh")
FISHER_BELOW = 5  # a 2 × 2 table with an expected count under this is tested with Fisher's exact test


class StatisticsError(LeaderkitError):
    """A statistic that cannot be computed from the data given (too few groups, a missing package)."""


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


def _columns(data) -> set[str]:
    """The columns of a standards frame, or of a Benchmark's standards table."""
    if hasattr(data, "con"):
        return set(data.con.sql("SELECT * FROM bm_standards LIMIT 0").columns)
    return set(data.columns)


def _need(data, columns, what: str) -> None:
    _need_in(_columns(data), columns, what)


def _counts(data, by: list[str], outcome: str = "stricter") -> pd.DataFrame:
    """n and the number of standards with `outcome` true per group of `by` (empty `by`: one row)."""
    _need(data, [*by, outcome], "counts")
    if hasattr(data, "con"):
        if outcome == "stricter":
            return data.adoption(by=by)[[*by, "n", "stricter"]].rename(columns={"stricter": "k"})
        cols = ", ".join(f'"{c}"' for c in by)
        group = f"GROUP BY {cols}" if by else ""
        return data.con.sql(f'SELECT {cols + ", " if by else ""}count(*) AS n, '
                            f'count(*) FILTER ("{outcome}") AS k FROM bm_standards {group}').df()
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
    """Logistic regression of P(stricter) on `terms` (statsmodels GLM, binomial, logit link).

    `year` enters as a number (the coefficient is the change of the log odds per year, the intercept is
    at the first year); every other term is categorical with its most frequent value as the reference.
    `size` is the data's own column if it has one, else `enterprise_size` (standards per enterprise).
    The model is fitted on the counts per cell of the terms (the same estimates as one row per standard).
    Returns per coefficient: term, level (None for the intercept and year), coef, std_err, z, p_value,
    odds_ratio, ci_low, ci_high (of the odds ratio), and n (standards) and reference (the reference level).
    """
    try:
        import statsmodels.api as sm
    except ImportError as exc:
        raise StatisticsError("logistic 回归需要 statsmodels", "the logistic regression needs statsmodels",
                              where="adoption_model",
                              hint=Text("安装：pip install statsmodels", "install it: pip install statsmodels")) from exc
    from scipy.stats import norm

    frame = data.standards if hasattr(data, "con") else data
    terms = list(terms)
    if "size" in terms and "size" not in frame.columns:
        _need(frame, ["enterprise"], "adoption_model (size)")
        frame = frame.assign(size=enterprise_size(frame))
    _need(frame, [*terms, outcome], "adoption_model")
    counts = _counts(frame, terms, outcome).dropna(subset=terms)
    counts = counts[counts["n"] > 0].reset_index(drop=True)
    design, references = [], {}
    for term in terms:
        if term == "year":
            first = counts[term].astype(float).min()
            design.append(pd.DataFrame({"year": counts[term].astype(float) - first}))
            continue
        values = counts[term].astype(str)
        weight = counts.groupby(values)["n"].sum()
        reference = weight.sort_index().idxmax()
        references[term] = reference
        levels = [v for v in sorted(weight.index) if v != reference]
        design.append(pd.DataFrame({(term, v): (values == v).astype(float) for v in levels}))
    x = pd.concat([pd.DataFrame({"intercept": np.ones(len(counts))}), *design], axis=1)
    y = np.stack([counts["k"].to_numpy(float), (counts["n"] - counts["k"]).to_numpy(float)], axis=1)
    fit = sm.GLM(y, x.to_numpy(), family=sm.families.Binomial()).fit()
    z = norm.ppf(0.5 + confidence / 2)
    coef, se = np.asarray(fit.params), np.asarray(fit.bse)
    names = list(x.columns)
    out = pd.DataFrame({
        "term": [c[0] if isinstance(c, tuple) else c for c in names],
        "level": [c[1] if isinstance(c, tuple) else None for c in names],
        "coef": coef, "std_err": se, "z": coef / se, "p_value": np.asarray(fit.pvalues),
        "odds_ratio": np.exp(coef), "ci_low": np.exp(coef - z * se), "ci_high": np.exp(coef + z * se),
    })
    out["reference"] = out["term"].map(references)
    out["n"] = int(counts["n"].sum())
    return out


MARGIN_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def margin_distribution(data, by=("domain", "indicator", "level")) -> pd.DataFrame:
    """How much stricter: the distribution of the relative margin (Benchmark.indicators `margin`, the
    distance beyond the baseline limit as a share of it; positive = stricter) per group of `by`. With a
    Benchmark, `by` may also name the standards' attributes (category, region, year …).

    Per group: n (indicator rows with a margin), stricter (margin > 0), share_stricter, mean, min,
    q10, q25, median, q75, q90, max. Rows without a margin (not comparable, no baseline) are left out.
    """
    by = [by] if isinstance(by, str) else list(by)
    names = [f"q{int(q * 100)}" if q != 0.5 else "median" for q in MARGIN_QUANTILES]
    if hasattr(data, "con"):
        own = set(data.con.sql("SELECT * FROM bm_indicators LIMIT 0").columns)
        _need_in(own | _columns(data), by, "margin_distribution")
        extra = [c for c in by if c not in own]  # the standard's attributes (category, region, year …)
        source = "bm_indicators" if not extra else (
            "bm_indicators JOIN (SELECT standard_id, " + ", ".join(f'"{c}"' for c in extra)
            + " FROM bm_standards) USING (standard_id)")
        cols = ", ".join(f'"{c}"' for c in by)
        quantiles = ", ".join(f"quantile_cont(margin, {q}) AS {name}"
                              for q, name in zip(MARGIN_QUANTILES, names, strict=True))
        group = f"GROUP BY {cols} ORDER BY {cols}" if by else ""
        out = data.con.sql(f"""
            SELECT {cols + ", " if by else ""}count(*) AS n, count(*) FILTER (margin > 0) AS stricter,
                   avg(margin) AS mean, min(margin) AS min, {quantiles}, max(margin) AS max
            FROM {source} WHERE margin IS NOT NULL AND isfinite(margin) {group}""").df()
    else:
        _need_in(set(data.columns), [*by, "margin"], "margin_distribution")
        rows = data[data["margin"].notna() & np.isfinite(data["margin"].astype(float))]
        margin = rows["margin"].astype(float)
        grouped = margin.groupby([rows[c] for c in by], observed=True, dropna=False) if by else margin.groupby(
            np.zeros(len(margin)))
        out = grouped.agg(n="size", stricter=lambda m: int((m > 0).sum()), mean="mean", min="min")
        for q, name in zip(MARGIN_QUANTILES, names, strict=True):
            out[name] = grouped.quantile(q)
        out["max"] = grouped.max()
        out = out.reset_index(drop=not by)
    out["share_stricter"] = out["stricter"] / out["n"]
    return out[[*by, "n", "stricter", "share_stricter", "mean", "min", *names, "max"]]


def _need_in(known: set[str], columns, what: str) -> None:
    missing = [c for c in columns if c not in known]
    if missing:
        raise InputError(f"{what} 需要列 {missing}，数据中没有", f"{what} needs the columns {missing}",
                         where=what, hint=Text(f"可用的列：{sorted(known)}", f"available columns: {sorted(known)}"))
