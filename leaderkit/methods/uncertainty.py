"""Robustness of a ranking list (排名稳健性) and comparison of two rankings (排名比较).

`robustness` answers the expert panel's question "what happens to the list if we change the weights or
the method?" with a seeded Monte Carlo run: each draw takes a perturbed weight vector and one of the
candidate normalisations and aggregations, scores and ranks every standard. Per standard it reports the
nominal rank, the median rank, the 5–95 % interval and the probability of being a leader; per uncertain
choice, the first-order share of rank variance it explains.

Vectorised: every aggregation is linear in the weights after a fixed transform of the normalised matrix
(amean: z; gmean: ln z; hmean: 1/z), so a chunk of draws is one matrix product; ranks per draw come from
one argsort of the (draws × rows) matrix, and rank percentiles from per-row rank histograms.

`compare_rankings` puts two rankings of the same standards side by side: Kendall τ, Spearman ρ, the WS
rank-similarity coefficient, leader-set overlap and a table of who moved.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text
from leaderkit.methods.scoring import (
    AGGREGATIONS,
    ScoringError,
    _goalpost_matrix,
    _prepare,
    _refuse_non_positive,
    aggregate_array,
    min_ranks,
    normalise_array,
    rank_array,
    weight_vector,
)

_CHUNK_CELLS = 4_000_000
_MAX_THREADS = 4


@dataclass(frozen=True)
class RobustnessResult:
    """Outcome of `robustness` (稳健性分析结果).

    table: per standard (index as the data) ``nominal_rank``, ``median_rank``, ``rank_p05``,
        ``rank_p95`` (inverted-CDF percentiles of the simulated ranks), ``mean_rank`` and, when a leader
        rule was given, ``p_leader``.
    sensitivity: per uncertain choice (``weights``, ``normalisation``, ``aggregation``), the first-order
        share of rank variance, Σᵢ Var(E[Rᵢ | choice]) / Σᵢ Var(Rᵢ) over standards i.
    sensitivity_by_row: the same share per standard (NaN where the rank never varies).
    histogram: counts[i, r − 1] = number of draws in which standard i had rank r.
    draws: one row per draw: its ``normalisation``, ``aggregation`` and weights (one column per indicator).
    n: number of draws actually made; settings: the run's parameters.
    """

    table: pd.DataFrame
    sensitivity: pd.Series
    sensitivity_by_row: pd.DataFrame
    histogram: np.ndarray = field(repr=False)
    draws: pd.DataFrame = field(repr=False)
    n: int
    seed: int
    settings: dict[str, Any]

    def leaders_probable(self, threshold: float = 0.5) -> pd.Index:
        """Standards that are leaders in at least `threshold` of the draws."""
        if "p_leader" not in self.table:
            raise ScoringError("分析时未指定领跑者规则。", "No leader rule was given to the analysis.")
        return self.table.index[self.table["p_leader"] >= threshold]


def _label(spec: Any) -> str:
    if isinstance(spec, str):
        return spec
    scale = spec.get("scale")
    return f"{spec['method']}{tuple(scale) if scale is not None else ''}"


def _normalisation_specs(normalisations: Sequence[Any] | None) -> list[dict[str, Any]]:
    specs = []
    for entry in normalisations or ["minmax"]:
        if isinstance(entry, str):
            specs.append({"method": entry})
        elif isinstance(entry, Mapping) and "method" in entry:
            extra = set(entry) - {"method", "scale", "goalposts"}
            if extra:
                raise ScoringError(
                    f"归一化设置含未知键：{sorted(extra)}。",
                    f"Unknown key(s) in a normalisation entry: {sorted(extra)}.",
                    hint=Text("可用键：method、scale、goalposts。", "Allowed keys: method, scale, goalposts."),
                )
            specs.append(dict(entry))
        else:
            raise ScoringError(
                f"无法识别的归一化设置 {entry!r}。",
                f"Normalisation entry {entry!r} is not understood.",
                hint=Text('写方法名，如 "minmax"，或 {"method": "minmax", "scale": (1, 100)}。',
                          'Write a method name such as "minmax", or {"method": "minmax", "scale": (1, 100)}.'),
            )
    return specs


def _leader_cut(leader_rule: tuple[str, float] | None, n_rows: int) -> int | None:
    if leader_rule is None:
        return None
    kind, value = leader_rule if isinstance(leader_rule, Sequence) and len(leader_rule) == 2 else (None, None)
    if kind == "top_n" and isinstance(value, int | np.integer) and value >= 1:
        return min(int(value), n_rows)
    if kind == "top_percent" and isinstance(value, int | float) and 0 < value <= 100:
        return max(1, math.floor(n_rows * value / 100 + 1e-9))
    raise ScoringError(
        f"无法识别的领跑者规则 {leader_rule!r}。",
        f"Leader rule {leader_rule!r} is not understood.",
        hint=Text('写 ("top_n", 整数 k) 或 ("top_percent", 0 到 100 的 p)。',
                  'Write ("top_n", integer k) or ("top_percent", p in (0, 100]).'),
    )


def _draw_weights(rng: np.random.Generator, w0: np.ndarray, size: int, weight_noise: Any) -> np.ndarray:
    if weight_noise is None:
        return np.broadcast_to(w0, (size, len(w0))).copy()
    support = w0 > 0
    w = np.zeros((size, len(w0)))
    if isinstance(weight_noise, str) and weight_noise == "dirichlet":
        if support.sum() == 1:
            w[:, support] = 1.0
        else:
            w[:, support] = rng.dirichlet(w0[support] * support.sum(), size=size)
        return w
    if isinstance(weight_noise, int | float) and not isinstance(weight_noise, bool) and 0 < weight_noise <= 100:
        f = float(weight_noise) / 100
        w = w0 * (1.0 + rng.uniform(-f, f, size=(size, len(w0))))
        totals = w.sum(axis=1, keepdims=True)
        return w / np.where(totals > 0, totals, 1.0)
    raise ScoringError(
        f"无法识别的权重扰动 {weight_noise!r}。",
        f"Weight noise {weight_noise!r} is not understood.",
        hint=Text('写 "dirichlet"、0 到 100 之间的百分数（±f %），或 None（权重不变）。',
                  'Write "dirichlet", a percentage f in (0, 100] (±f %), or None (weights fixed).'),
    )


def _thread_count() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(_MAX_THREADS, cores))


def _ranks_in_threads(keys: np.ndarray, pool: Executor | None, workers: int) -> np.ndarray:
    """`min_ranks` of a (draws × rows) chunk, blocks of draws in parallel (numpy sorts without the GIL)."""
    if pool is None or len(keys) < 2 * workers:
        return min_ranks(keys)
    ranks = np.empty(keys.shape, dtype=np.int32)
    bounds = np.linspace(0, len(keys), workers + 1).astype(int)

    def block(i: int) -> None:
        ranks[bounds[i]:bounds[i + 1]] = min_ranks(keys[bounds[i]:bounds[i + 1]])

    list(pool.map(block, range(workers)))
    return ranks


def _quantile_ranks(cumulative: np.ndarray, total: int, q: float) -> np.ndarray:
    return np.argmax(cumulative >= q * total, axis=1) + 1


def robustness(
    data: pd.DataFrame,
    directions: Mapping[str, Any],
    weights: Mapping[str, float] | None = None,
    *,
    n: int = 1000,
    weight_noise: str | float | None = "dirichlet",
    normalisations: Sequence[str | Mapping[str, Any]] | None = None,
    aggregations: Sequence[str] | None = None,
    leader_rule: tuple[str, float] | None = None,
    seed: int = 0,
    progress: bool = False,
    imputation: str | None = None,
) -> RobustnessResult:
    """Monte Carlo robustness of the composite ranking (蒙特卡罗稳健性分析).

    Uncertain choices, drawn independently in every draw:

    - weights: ``"dirichlet"`` draws w ~ Dirichlet(k · w₀) on the indicators with a positive nominal
      weight w₀ (mean w₀; uniform on the simplex for equal weights); a number f draws
      wⱼ = w₀ⱼ · (1 + U(−f %, +f %)) and renormalises; None keeps w₀;
    - normalisation: uniform over `normalisations` (method names, or mappings with ``method``,
      ``scale``, ``goalposts`` as for `leaderkit.composite`); default ``["minmax"]``;
    - aggregation: uniform over `aggregations` (amean, gmean, hmean); default ``["amean"]``.

    The first entry of each list, with w₀, is the nominal method. `leader_rule` is ("top_n", k) or
    ("top_percent", p) with cut k = max(1, ⌊N·p/100⌋); a standard is a leader in a draw when its rank
    ≤ k (ties at the cut included). Percentiles are inverted-CDF (the smallest rank r with
    P(R ≤ r) ≥ q) from per-standard rank histograms.

    Sensitivity, first order: for normalisation and aggregation Var(E[R | choice]) from the mean rank per
    option (plug-in); for weights, when methods vary too, draws come in pairs sharing one weight vector
    with independently drawn methods and Var(E[R | w]) is the pair covariance (Janon's pick-freeze
    estimator) — so `n` is rounded up to an even number. When only the weights vary their share is 1.
    Shares need not add to 1: the rest is interaction.

    Reproducible: the same inputs and seed give the same result (numpy Generator, all draws made up
    front; the thread count does not change any number). Draws are processed in chunks; the ranks of a
    chunk are computed in up to 4 threads, as numpy sorts without holding the GIL. Memory: the
    histogram is N × N counts (200 MB for 5,000 standards).
    """
    indicators, signs, x, report = _prepare(data, directions, imputation)
    n_rows = x.shape[0]
    w0 = weight_vector(weights, indicators)
    if not isinstance(n, int | np.integer) or n < 1:
        raise ScoringError(f"抽样次数 n 必须是正整数，收到 {n!r}。", f"n must be a positive integer, got {n!r}.")
    cut = _leader_cut(leader_rule, n_rows)
    specs = _normalisation_specs(normalisations)
    aggs = list(aggregations or ["amean"])
    unknown = [a for a in aggs if a not in AGGREGATIONS]
    if unknown:
        raise ScoringError(
            f"未知的汇总方法 {unknown[0]!r}。",
            f"Unknown aggregation {unknown[0]!r}.",
            hint=Text(f"可选：{', '.join(AGGREGATIONS)}。", f"Choose one of: {', '.join(AGGREGATIONS)}."),
        )

    normalised = []
    for spec in specs:
        gp = _goalpost_matrix(spec.get("goalposts"), indicators, signs) if spec["method"] == "goalpost" else None
        normalised.append(normalise_array(x, signs, spec["method"], spec.get("scale"), gp)[0])
    live = w0 > 0
    transforms = {}
    for a, agg in enumerate(aggs):
        for s, z in enumerate(normalised):
            if agg == "amean":
                t = z
            else:
                _refuse_non_positive(z, w0, agg, data.index, indicators)
                safe = np.where(live, z, 1.0)
                t = np.where(live, np.log(safe), 0.0) if agg == "gmean" else -np.where(live, 1.0 / safe, 0.0)
            transforms[s, a] = np.ascontiguousarray(-t.T)  # keys: the lowest is the best

    nominal = rank_array(aggregate_array(normalised[0], w0, aggs[0]))
    n_combos = len(specs) * len(aggs)
    paired = weight_noise is not None and n_combos > 1
    n_weights = math.ceil(n / 2) if paired else n
    total = 2 * n_weights if paired else n

    rng = np.random.default_rng(seed)
    w_draws = _draw_weights(rng, w0, n_weights, weight_noise)
    norm_idx = rng.integers(0, len(specs), size=total)
    agg_idx = rng.integers(0, len(aggs), size=total)

    hist = np.zeros(n_rows * n_rows, dtype=np.int64)
    sum_by_norm = np.zeros((len(specs), n_rows))
    sum_by_agg = np.zeros((len(aggs), n_rows))
    cross = np.zeros(n_rows)
    base = (np.arange(n_rows, dtype=np.int64) * n_rows - 1)[:, None]

    per_chunk = max(1, _CHUNK_CELLS // (n_rows * (2 if paired else 1)))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="robustness", unit="draw")
    workers = _thread_count()
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        for start in range(0, n_weights, per_chunk):
            stop = min(start + per_chunk, n_weights)
            w_chunk = w_draws[start:stop]
            draw_ids = np.arange(start, stop)
            if paired:
                draw_ids = np.concatenate([draw_ids, draw_ids + n_weights])
                w_chunk = np.concatenate([w_chunk, w_chunk])
            ni, ai = norm_idx[draw_ids], agg_idx[draw_ids]
            if n_combos == 1:
                keys = w_chunk @ transforms[0, 0]
            else:
                keys = np.empty((len(draw_ids), n_rows))
                for (s, a), t in transforms.items():
                    mask = (ni == s) & (ai == a)
                    if mask.any():
                        keys[mask] = w_chunk[mask] @ t
            ranks = _ranks_in_threads(keys, pool, workers)
            np.add.at(hist, np.add(base, ranks.T, order="C").ravel(), 1)
            if len(specs) > 1:
                sum_by_norm += np.eye(len(specs))[ni].T @ ranks
            if len(aggs) > 1:
                sum_by_agg += np.eye(len(aggs))[ai].T @ ranks
            if paired:
                half = stop - start
                cross += np.einsum("ij,ij->j", ranks[:half], ranks[half:], dtype=np.float64)
            if bar is not None:
                bar.update(len(draw_ids))
    if bar is not None:
        bar.close()

    hist = hist.reshape(n_rows, n_rows)
    rank_values = np.arange(1, n_rows + 1, dtype=np.float64)
    mean = hist @ rank_values / total
    var = np.maximum(hist @ rank_values**2 / total - mean**2, 0.0)

    def between(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
        if len(counts) == 1:
            return np.zeros(n_rows)
        used = counts > 0
        level_means = sums[used] / counts[used, None]
        return ((counts[used, None] / total) * (level_means - mean) ** 2).sum(axis=0)

    explained = {
        "weights": np.zeros(n_rows),
        "normalisation": between(sum_by_norm, np.bincount(norm_idx, minlength=len(specs))),
        "aggregation": between(sum_by_agg, np.bincount(agg_idx, minlength=len(aggs))),
    }
    if paired:
        explained["weights"] = np.clip(cross / n_weights - mean**2, 0.0, var)
    elif weight_noise is not None:
        explained["weights"] = var.copy()
    varies = var > 0
    by_row = pd.DataFrame(
        {k: np.where(varies, v / np.where(varies, var, 1.0), np.nan) for k, v in explained.items()},
        index=data.index,
    )
    var_total = var.sum()
    sensitivity = pd.Series(
        {k: (v.sum() / var_total if var_total > 0 else 0.0) for k, v in explained.items()}, name="first_order"
    )

    cumulative = hist.cumsum(axis=1)
    table = pd.DataFrame(
        {
            "nominal_rank": nominal,
            "median_rank": _quantile_ranks(cumulative, total, 0.5),
            "rank_p05": _quantile_ranks(cumulative, total, 0.05),
            "rank_p95": _quantile_ranks(cumulative, total, 0.95),
            "mean_rank": mean,
        },
        index=data.index,
    )
    if cut is not None:
        table["p_leader"] = cumulative[:, cut - 1] / total
    settings = {
        "indicators": indicators,
        "weights": dict(zip(indicators, w0.tolist(), strict=True)),
        "weight_noise": weight_noise,
        "normalisations": [_label(s) for s in specs],
        "aggregations": aggs,
        "leader_rule": leader_rule,
        "leader_cut": cut,
        "paired_weights": paired,
        "imputed": report,
    }
    all_weights = np.concatenate([w_draws, w_draws]) if paired else w_draws
    labels = np.array([_label(spec) for spec in specs], dtype=object)
    draws = pd.DataFrame({"normalisation": labels[norm_idx], "aggregation": np.array(aggs, dtype=object)[agg_idx]})
    draws[indicators] = all_weights
    return RobustnessResult(table, sensitivity, by_row, hist, draws, total, seed, settings)


def ws_coefficient(reference: Sequence[float] | np.ndarray, other: Sequence[float] | np.ndarray) -> float:
    """WS rank-similarity coefficient (Sałabun & Urbaniak 2020), reference ranking x, compared ranking y:

    WS = 1 − Σᵢ 2^(−xᵢ) · |xᵢ − yᵢ| / max(|xᵢ − 1|, |xᵢ − N|).

    1 for identical rankings; a difference near the top of the reference weighs more. Not symmetric.
    """
    x = np.asarray(reference, dtype=float)
    y = np.asarray(other, dtype=float)
    big_n = len(x)
    if big_n < 2:
        return 1.0
    spread = np.maximum(np.abs(x - 1), np.abs(x - big_n))
    return float(1.0 - np.sum(2.0 ** (-x) * np.abs(x - y) / spread))


def _as_rank_series(ranks: pd.Series | Sequence[float], name: str) -> pd.Series:
    if isinstance(ranks, pd.Series):
        return pd.to_numeric(ranks, errors="raise").astype(float)
    return pd.Series(np.asarray(ranks, dtype=float), name=name)


def _leader_set(leaders: Collection[Any] | pd.Series | None, index: pd.Index) -> set[Any] | None:
    if leaders is None:
        return None
    if isinstance(leaders, pd.Series) and pd.api.types.is_bool_dtype(leaders):
        return set(leaders.index[leaders.to_numpy()])
    found = set(leaders)
    unknown = found - set(index)
    if unknown:
        raise ScoringError(
            f"领跑者不在排名中：{sorted(map(str, unknown))[:5]}。",
            f"Leader(s) not in the rankings: {sorted(map(str, unknown))[:5]}.",
        )
    return found


def compare_rankings(
    rank_a: pd.Series | Sequence[float],
    rank_b: pd.Series | Sequence[float],
    leaders_a: Collection[Any] | pd.Series | None = None,
    leaders_b: Collection[Any] | pd.Series | None = None,
) -> dict[str, Any]:
    """Compare two rankings of the same standards (两个排名的比较); `rank_a` is the reference.

    Ranks are 1 = best; a missing rank (NaN, or a label only in one Series) means the standard is not on
    that list. On the standards ranked in both (re-ranked 1..N there, min method, for WS):

    - ``kendall_tau``: scipy.stats.kendalltau (τ-b, tie-corrected); ``spearman_rho``: scipy.stats.spearmanr;
    - ``ws``: WS rank-similarity coefficient with `rank_a` as the reference (see `ws_coefficient`);
    - ``n_common``, ``only_a``, ``only_b``: counts and labels of standards on one list only;
    - ``leaders`` (when both leader sets are given, as labels or boolean Series): sizes, ``both``,
      ``only_a``, ``only_b`` and ``jaccard`` = |A ∩ B| / |A ∪ B| (1 when both are empty);
    - ``movers``: DataFrame of the standards whose rank or leader status changed, or that are on one list
      only, with ``rank_a``, ``rank_b``, ``change`` = rank_a − rank_b (positive = moved up) and, with leader
      sets, ``leader_a`` / ``leader_b``; sorted by |change|, largest first.
    """
    from scipy.stats import kendalltau, spearmanr

    a = _as_rank_series(rank_a, "rank_a")
    b = _as_rank_series(rank_b, "rank_b")
    index = a.index.union(b.index, sort=False)
    a = a.reindex(index)
    b = b.reindex(index)
    both = a.notna() & b.notna()
    common = index[both.to_numpy()]
    xa = a[both].to_numpy()
    xb = b[both].to_numpy()
    if len(common) >= 2:
        tau = float(kendalltau(xa, xb).statistic)
        rho = float(spearmanr(xa, xb).statistic)
        ws = ws_coefficient(rank_array(-xa), rank_array(-xb))
    else:
        tau = rho = ws = float("nan")
    result: dict[str, Any] = {
        "kendall_tau": tau,
        "spearman_rho": rho,
        "ws": ws,
        "n_common": int(both.sum()),
        "only_a": index[(a.notna() & b.isna()).to_numpy()].tolist(),
        "only_b": index[(a.isna() & b.notna()).to_numpy()].tolist(),
    }
    movers = pd.DataFrame({"rank_a": a, "rank_b": b, "change": a - b}, index=index)
    moved = (movers["change"] != 0) | ~both
    set_a = _leader_set(leaders_a, index)
    set_b = _leader_set(leaders_b, index)
    if set_a is not None and set_b is not None:
        union = set_a | set_b
        shared = set_a & set_b
        result["leaders"] = {
            "a": len(set_a),
            "b": len(set_b),
            "both": len(shared),
            "only_a": [i for i in index if i in set_a - set_b],
            "only_b": [i for i in index if i in set_b - set_a],
            "jaccard": len(shared) / len(union) if union else 1.0,
        }
        movers["leader_a"] = index.isin(list(set_a))
        movers["leader_b"] = index.isin(list(set_b))
        moved |= movers["leader_a"] != movers["leader_b"]
    movers = movers[moved.to_numpy()]
    order = np.argsort(-movers["change"].abs().fillna(np.inf).to_numpy(), kind="stable")
    result["movers"] = movers.iloc[order]
    return result
