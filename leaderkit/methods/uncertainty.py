"""Robustness of a ranking list (排名稳健性) and comparison of two rankings (排名比较).

`robustness` answers the expert panel's question "what happens to the list if we change the weights or
the method?" with a seeded Monte Carlo run: each draw takes a perturbed weight vector and one of the
candidate normalisations and aggregations, scores and ranks every standard. Per standard it reports the
nominal rank, the median rank, the 5–95 % interval and the probability of being a leader; per uncertain
choice, the first-order share of rank variance it explains.

The Monte Carlo pieces here are shared with `leaderkit.ranking.robustness.scheme_robustness`, so both
draw and summarise the same way:

- `input_draws`: every uncertain input has its own seeded stream, so its draws never depend on which other
  inputs vary (`draw_weights` for weight vectors);
- `frozen_inputs`: which continuous inputs get twin runs for their first-order index (pick-freeze);
- `aggregation_keys`, `weighted_keys`, `KeyRanker`: every aggregation is linear in the weights after a fixed
  transform of the normalised matrix (amean: z; gmean: ln z; hmean: 1/z), so a chunk of draws is one
  matrix product, ranked by one argsort per draw (`scoring.min_ranks` on a few draws at a time, in up to
  4 threads); `topsis_distances`, `topsis_keys` do the same for TOPSIS, whose squared distances are linear
  in the squared weights;
- `RankTally`: the rank summaries, fed chunk by chunk; percentiles come from the (rows × draws) rank
  matrix, so memory is linear in rows and in draws (never rows × rows).

`compare_rankings` puts two rankings of the same standards side by side: Kendall τ, Spearman ρ, the WS
rank-similarity coefficient, leader-set overlap and a table of who moved.
"""

from __future__ import annotations

import math
import os
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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
    top_count,
    weight_vector,
)

_CHUNK_CELLS = 4_000_000
_RANK_CELLS = 65_536
_MAX_THREADS = 4
QUANTILES = {"median_rank": 0.5, "rank_p05": 0.05, "rank_p95": 0.95}
"""The rank percentiles of a robustness table (inverted CDF: the smallest r with P(R ≤ r) ≥ q)."""


@dataclass(frozen=True)
class RobustnessResult:
    """Outcome of `robustness` and `scheme_robustness` (稳健性分析结果).

    table: per standard (index as the data) ``nominal_rank``, ``median_rank``, ``rank_p05``,
        ``rank_p95`` (inverted-CDF percentiles of the simulated ranks), ``mean_rank`` and, when a leader
        rule was given, ``p_leader``.
    sensitivity: per uncertain input, the first-order share of rank variance,
        Σᵢ Var(E[Rᵢ | input]) / Σᵢ Var(Rᵢ) over standards i.
    sensitivity_by_row: the same share per standard (NaN where the rank never varies).
    draws: one row per draw: the values each uncertain input took.
    n: number of draws; settings: the run's parameters.
    """

    table: pd.DataFrame
    sensitivity: pd.Series
    sensitivity_by_row: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    n: int
    seed: int
    settings: dict[str, Any]

    def leaders_probable(self, threshold: float = 0.5) -> pd.Index:
        """Standards that are leaders in at least `threshold` of the draws."""
        if "p_leader" not in self.table:
            raise ScoringError("分析时未指定领跑者规则。", "No leader rule was given to the analysis.")
        return self.table.index[self.table["p_leader"] >= threshold]


# ---- shared Monte Carlo pieces (also used by leaderkit.ranking.robustness) ------------------------------


def input_draws(seed: int, name: str, role: str, n: int, sample: Callable[[np.random.Generator, int], Any], *,
                stream: str | None = None) -> Any:
    """The `n` values of the uncertain input `name` in one set of runs (一个不确定输入的抽样值).

    `role` is "main" for the main sample, or the name of the frozen input whose twin runs these are: the
    input's main values when `role` is "main" or `name` itself, else fresh values. Each (stream, role) has
    its own generator seeded by (seed, crc32(stream), crc32(role)), `stream` defaulting to `name`, so the
    values of one input are the same whatever else varies. `sample(rng, n)` makes the values.
    """
    key = "main" if role in ("main", name) else f"twin:{role}"
    rng = np.random.default_rng([seed, zlib.crc32((stream or name).encode()), zlib.crc32(key.encode())])
    return sample(rng, n)


def check_run(n: Any, seed: Any) -> None:
    """Refuse a number of draws that is not a positive integer, or a seed that is not a non-negative one."""
    for name, value, low in (("n", n, 1), ("seed", seed, 0)):
        if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < low:
            what = ("正整数", "a positive integer") if low else ("非负整数", "a non-negative integer")
            raise ScoringError(f"{name} 必须是{what[0]}，收到 {value!r}。", f"{name} must be {what[1]}, got {value!r}.")


def frozen_inputs(varied: Sequence[str], continuous: Collection[str]) -> tuple[str, ...]:
    """The continuous inputs that get twin runs for their first-order index (pick-freeze): none when only
    one input varies (it explains all the rank variance), else every varied continuous input."""
    return tuple(name for name in varied if name in continuous) if len(varied) > 1 else ()


def draw_weights(rng: np.random.Generator, w0: np.ndarray, size: int, weight_noise: Any) -> np.ndarray:
    """`size` weight vectors around `w0` (权重抽样), one per row, each summing to 1.

    ``"dirichlet"``: w ~ Dirichlet(k · w₀) on the k indicators with w₀ > 0 (mean w₀); a number f in
    [0, 100]: wⱼ = w₀ⱼ · (1 + U(−f %, +f %)), renormalised; None or 0: w₀ in every row.
    """
    if weight_noise is None or (_is_number(weight_noise) and weight_noise == 0):
        return np.broadcast_to(w0, (size, len(w0))).copy()
    support = w0 > 0
    w = np.zeros((size, len(w0)))
    if isinstance(weight_noise, str) and weight_noise == "dirichlet":
        if support.sum() == 1:
            w[:, support] = 1.0
        else:
            w[:, support] = rng.dirichlet(w0[support] * support.sum(), size=size)
        return w
    if _is_number(weight_noise) and 0 < weight_noise <= 100:
        f = float(weight_noise) / 100
        w = w0 * (1.0 + rng.uniform(-f, f, size=(size, len(w0))))
        totals = w.sum(axis=1, keepdims=True)
        return w / np.where(totals > 0, totals, 1.0)
    raise ScoringError(
        f"无法识别的权重扰动 {weight_noise!r}。",
        f"Weight noise {weight_noise!r} is not understood.",
        hint=Text('写 "dirichlet"、0 到 100 之间的百分数（±f %），或 None（权重不变）。',
                  'Write "dirichlet", a percentage f in [0, 100] (±f %), or None (weights fixed).'),
    )


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool | np.bool_) and math.isfinite(value))


def aggregation_keys(z: np.ndarray, w0: np.ndarray, method: str, index: pd.Index,
                     indicators: Sequence[str]) -> np.ndarray:
    """The aggregation made linear in the weights (汇总的线性化): for normalised values `z` (rows ×
    indicators), a matrix T (indicators × rows) such that the keys W · T order the rows as `method` does
    under weights W, the lowest key best: amean −z, gmean −ln z, hmean 1/z (on the support of `w0`).
    Values ≤ 0 under gmean or hmean are refused, naming the cells."""
    if method == "amean":
        t = z
    elif method in ("gmean", "hmean"):
        _refuse_non_positive(z, w0, method, index, indicators)
        live = w0 > 0
        safe = np.where(live, z, 1.0)
        t = np.where(live, np.log(safe), 0.0) if method == "gmean" else -np.where(live, 1.0 / safe, 0.0)
    else:
        raise ScoringError(
            f"未知的汇总方法 {method!r}。",
            f"Unknown aggregation {method!r}.",
            hint=Text(f"可选：{', '.join(AGGREGATIONS)}。", f"Choose one of: {', '.join(AGGREGATIONS)}."),
        )
    return np.ascontiguousarray(-t.T)


def weighted_keys(transforms: Mapping[tuple[int, int], np.ndarray], weights: np.ndarray,
                  normalisation: np.ndarray, aggregation: np.ndarray) -> np.ndarray:
    """Keys (draws × rows) of a chunk of draws: each draw's weights times the transform of its
    (normalisation, aggregation) pair, one matrix product per pair present."""
    if len(transforms) == 1:
        return weights @ next(iter(transforms.values()))
    keys = np.empty((len(weights), next(iter(transforms.values())).shape[1]))
    for (s, a), t in transforms.items():
        mask = (normalisation == s) & (aggregation == a)
        if mask.any():
            keys[mask] = weights[mask] @ t
    return keys


def topsis_distances(x: np.ndarray, signs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TOPSIS made linear in the squared weights (TOPSIS 的线性化): for values `x` (rows × indicators, as
    `scoring.topsis` takes them, no column all zero) the matrices P and M (indicators × rows) such that under
    weights w ≥ 0 summing to 1 the distances of `scoring.topsis` are D⁺ = √(w² · P) and D⁻ = √(w² · M).

    With r = x / ‖x‖ column by column, the ideal of the weighted matrix is wⱼ times the best rⱼ (a
    non-negative factor keeps the order), so (wⱼ rᵢⱼ − wⱼ aⱼ)² = wⱼ² (rᵢⱼ − aⱼ)²."""
    r = x / np.sqrt((x * x).sum(axis=0))
    higher = signs > 0
    best = np.where(higher, r.max(axis=0), r.min(axis=0))
    worst = np.where(higher, r.min(axis=0), r.max(axis=0))
    return np.ascontiguousarray(((r - best) ** 2).T), np.ascontiguousarray(((r - worst) ** 2).T)


def topsis_keys(distances: tuple[np.ndarray, np.ndarray], weights: np.ndarray) -> np.ndarray:
    """Keys (draws × rows) of a chunk of weight draws under TOPSIS, the lowest best: minus the closeness
    D⁻ / (D⁺ + D⁻) (0.5 where both are 0), two matrix products for the whole chunk."""
    w2 = np.square(weights / weights.sum(axis=1, keepdims=True))
    total = np.sqrt(w2 @ distances[0])  # D⁺, then D⁺ + D⁻; in place: a fresh large array costs page faults
    keys = np.sqrt(w2 @ distances[1])  # D⁻, then the keys
    total += keys
    np.divide(keys, total, out=keys, where=total > 0)
    keys[total == 0] = 0.5
    return np.negative(keys, out=keys)


def draws_per_chunk(n_rows: int) -> int:
    """How many draws are scored at once: about 4 million cells of keys."""
    return max(1, _CHUNK_CELLS // n_rows)


class KeyRanker:
    """Min-ranks (int32) of a (draws × rows) chunk of keys, lowest key best, ties within
    `scoring.TIE_RTOL` sharing the lowest rank (`scoring.min_ranks`, the one tie rule). Draws are ranked a
    few at a time, about `_RANK_CELLS` keys, so the sort's working set stays in the processor's cache;
    blocks of draws are spread over up to 4 threads (numpy sorts without the GIL), and neither the block size
    nor the thread count changes a number. Use it as a context manager."""

    def __enter__(self) -> KeyRanker:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self.workers = max(1, min(_MAX_THREADS, cores))
        self.pool = ThreadPoolExecutor(self.workers) if self.workers > 1 else None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def __call__(self, keys: np.ndarray) -> np.ndarray:
        ranks = np.empty(keys.shape, dtype=np.int32)
        step = max(1, _RANK_CELLS // max(keys.shape[1], 1))

        def block(bounds: tuple[int, int]) -> None:
            for s in range(bounds[0], bounds[1], step):
                stop = min(s + step, bounds[1])
                ranks[s:stop] = min_ranks(keys[s:stop])

        if self.pool is None or len(keys) < 2 * self.workers:
            block((0, len(keys)))
        else:
            edges = np.linspace(0, len(keys), self.workers + 1).astype(int)
            list(self.pool.map(block, zip(edges[:-1], edges[1:], strict=True)))
        return ranks


@contextmanager
def progress_bar(on: bool, total: int, desc: str) -> Iterator[Callable[[int], Any]]:
    """A tqdm bar over `total` runs when `on`; yields the function that advances it."""
    if not on:
        yield lambda k: None
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=desc, unit="draw") as bar:
        yield bar.update


def quantile_index(n: int, q: float) -> int:
    """Position, in `n` sorted values, of numpy's inverted-CDF q-quantile: ⌈n·q − 1⌉, within [0, n − 1]."""
    virtual = n * q - 1
    below = math.floor(virtual)
    return min(max(below if virtual == below else below + 1, 0), n - 1)


class RankTally:
    """Summaries of simulated ranks (模拟名次汇总), fed one chunk of runs at a time.

    Main runs (`add`) give the table: mean, variance and inverted-CDF percentiles of each row's rank, and
    P(leader) when leader flags are given. Twin runs of a frozen input (`add_twin`) give its first-order
    index by Janon's pick-freeze estimator, Var(E[R | X]) ≈ mean(R·R′) − ((mean R + mean R′)/2)²; a discrete
    input named in `choices` (its option code per main draw) gets the plug-in Σₒ pₒ (E[R | o] − E[R])².

    Memory is linear in rows and in draws: the (rows × draws) matrix of main ranks (2 bytes a cell below
    65,536 rows), read in blocks of rows for the percentiles, and a few vectors per row; no rows × rows
    histogram is built.
    """

    def __init__(self, n_rows: int, n: int, *, choices: Mapping[str, np.ndarray] | None = None,
                 frozen: Sequence[str] = (), leaders: bool = False):
        self.n = n
        self.ranks = np.empty((n_rows, n), dtype=np.uint16 if n_rows < 2**16 else np.int32)
        self.total = np.zeros(n_rows)
        self.squares = np.zeros(n_rows)
        self.leads = np.zeros(n_rows, dtype=np.int64) if leaders else None
        self.choices = {name: np.asarray(codes) for name, codes in (choices or {}).items()}
        self.by_option = {name: np.zeros((int(codes.max()) + 1, n_rows))
                          for name, codes in self.choices.items()}
        self.twin_total = {name: np.zeros(n_rows) for name in frozen}
        self.cross = {name: np.zeros(n_rows) for name in frozen}

    def add(self, start: int, ranks: np.ndarray, leaders: np.ndarray | None = None) -> None:
        """Ranks (draws × rows) of main draws start, start + 1, …, and their leader flags."""
        stop = start + len(ranks)
        self.ranks[:, start:stop] = ranks.T
        self.total += ranks.sum(axis=0, dtype=np.float64)
        self.squares += np.einsum("ij,ij->j", ranks, ranks, dtype=np.float64)
        if self.leads is not None:
            self.leads += leaders.sum(axis=0)
        for name, codes in self.choices.items():
            self.by_option[name] += np.eye(len(self.by_option[name]))[codes[start:stop]].T @ ranks

    def add_twin(self, name: str, start: int, ranks: np.ndarray) -> None:
        """Ranks of the twin runs of frozen input `name` that pair with main draws start, start + 1, …"""
        main = self.ranks[:, start:start + len(ranks)]
        self.twin_total[name] += ranks.sum(axis=0, dtype=np.float64)
        self.cross[name] += np.einsum("ij,ji->j", ranks, main, dtype=np.float64)

    def percentiles(self) -> dict[str, np.ndarray]:
        """The `QUANTILES` of each row's main ranks, blocks of rows at a time: 16-bit ranks by numpy's radix
        sort (``kind="stable"``, linear in the draws), wider ones by partial sorts."""
        n_rows = len(self.ranks)
        positions = {col: quantile_index(self.n, q) for col, q in QUANTILES.items()}
        kth = sorted(set(positions.values()))
        out = {col: np.empty(n_rows, dtype=np.int64) for col in QUANTILES}
        step = draws_per_chunk(self.n)
        radix = self.ranks.dtype.itemsize <= 2
        for s in range(0, n_rows, step):
            block = self.ranks[s:s + step]
            part = np.sort(block, axis=1, kind="stable") if radix else np.partition(block, kth, axis=1)
            for col, k in positions.items():
                out[col][s:s + step] = part[:, k]
        return out

    def summary(self, index: pd.Index, inputs: Sequence[str],
                varied: Sequence[str]) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
        """(table, sensitivity, sensitivity_by_row) over the uncertain `inputs`; those not in `varied`
        explain nothing, and a single varied input explains all the variance."""
        n = self.n
        mean = self.total / n
        var = np.maximum(self.squares / n - mean**2, 0.0)
        explained = {}
        for name in inputs:
            if name not in varied:
                explained[name] = np.zeros(len(mean))
            elif len(varied) == 1:
                explained[name] = var.copy()
            elif name in self.choices:
                counts = np.bincount(self.choices[name], minlength=len(self.by_option[name]))
                used = counts > 0
                level_means = self.by_option[name][used] / counts[used, None]
                explained[name] = ((counts[used, None] / n) * (level_means - mean) ** 2).sum(axis=0)
            else:
                centre = (self.total + self.twin_total[name]) / (2 * n)
                explained[name] = np.clip(self.cross[name] / n - centre**2, 0.0, var)
        varies = var > 0
        by_row = pd.DataFrame({k: np.where(varies, v / np.where(varies, var, 1.0), np.nan)
                               for k, v in explained.items()}, index=index)
        var_total = var.sum()
        sensitivity = pd.Series({k: (v.sum() / var_total if var_total > 0 else 0.0)
                                 for k, v in explained.items()}, name="first_order", dtype=float)
        table = pd.DataFrame(self.percentiles(), index=index)
        table["mean_rank"] = mean
        if self.leads is not None:
            table["p_leader"] = self.leads / n
        return table, sensitivity, by_row


# ---- the method layer's robustness ----------------------------------------------------------------------


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
        return top_count(n_rows, top_percent=value)
    raise ScoringError(
        f"无法识别的领跑者规则 {leader_rule!r}。",
        f"Leader rule {leader_rule!r} is not understood.",
        hint=Text('写 ("top_n", 整数 k) 或 ("top_percent", 0 到 100 的 p)。',
                  'Write ("top_n", integer k) or ("top_percent", p in (0, 100]).'),
    )


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

    Uncertain inputs, each drawn in every draw from its own seeded stream (`input_draws`):

    - ``weights``: ``"dirichlet"`` draws w ~ Dirichlet(k · w₀) on the indicators with a positive nominal
      weight w₀ (mean w₀; uniform on the simplex for equal weights); a number f draws
      wⱼ = w₀ⱼ · (1 + U(−f %, +f %)) and renormalises; None (or 0) keeps w₀;
    - ``normalisation``: uniform over `normalisations` (method names, or mappings with ``method``,
      ``scale``, ``goalposts`` as for `leaderkit.composite`); default ``["minmax"]``;
    - ``aggregation``: uniform over `aggregations` (amean, gmean, hmean); default ``["amean"]``.

    The first entry of each list, with w₀, is the nominal method. `leader_rule` is ("top_n", k) or
    ("top_percent", p) with cut k = max(1, ⌊N·p/100⌋); a standard is a leader in a draw when its rank
    ≤ k (ties at the cut included). Percentiles are inverted-CDF (the smallest rank r with
    P(R ≤ r) ≥ q) of the `n` simulated ranks of each standard.

    Sensitivity, first order (`RankTally`): for normalisation and aggregation Var(E[R | choice]) from the
    mean rank per option (plug-in); for the weights, when methods vary too, `n` twin runs keep each draw's
    weights and draw the methods afresh, and Var(E[R | w]) is the covariance of the pairs (Janon's
    pick-freeze estimator). When only one input varies its share is 1. Shares need not add to 1: the rest
    is interaction.

    Reproducible: the same inputs and seed give the same result, and an input's draws do not depend on
    which other inputs vary (the thread count does not change any number either). Draws are scored in
    chunks, one matrix product each, ranked in up to 4 threads. Memory is linear in rows and in draws
    (the draws × rows rank matrix at 2 bytes a cell: 100 MB for 10,000 draws on 5,000 standards).
    """
    indicators, signs, x, report = _prepare(data, directions, imputation)
    n_rows = x.shape[0]
    w0 = weight_vector(weights, indicators)
    check_run(n, seed)
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

    transforms = {}
    for s, spec in enumerate(specs):
        gp = (_goalpost_matrix(spec.get("goalposts"), indicators, signs) if spec["method"] == "goalpost"
              else None)
        z = normalise_array(x, signs, spec["method"], spec.get("scale"), gp)[0]
        if s == 0:
            nominal = rank_array(aggregate_array(z, w0, aggs[0]))
        for a, agg in enumerate(aggs):
            transforms[s, a] = aggregation_keys(z, w0, agg, data.index, indicators)

    samplers = {
        "weights": lambda rng, size: draw_weights(rng, w0, size, weight_noise),
        "normalisation": lambda rng, size: rng.integers(0, len(specs), size=size),
        "aggregation": lambda rng, size: rng.integers(0, len(aggs), size=size),
    }
    main = {name: input_draws(seed, name, "main", n, sample) for name, sample in samplers.items()}
    varied = [name for name, values in main.items() if (values != (w0 if name == "weights" else 0)).any()]
    frozen = frozen_inputs(varied, ("weights",))
    choices = {k: main[k] for k in ("normalisation", "aggregation") if k in varied}
    tally = RankTally(n_rows, n, choices=choices, frozen=frozen, leaders=cut is not None)
    per_chunk = draws_per_chunk(n_rows)
    with KeyRanker() as ranker, progress_bar(progress, n * (1 + len(frozen)), "robustness") as advance:
        for role in ("main", *frozen):
            values = main if role == "main" else {name: input_draws(seed, name, role, n, sample)
                                                  for name, sample in samplers.items()}
            for start in range(0, n, per_chunk):
                part = slice(start, min(start + per_chunk, n))
                keys = weighted_keys(transforms, values["weights"][part], values["normalisation"][part],
                                     values["aggregation"][part])
                ranks = ranker(keys)
                if role == "main":
                    tally.add(start, ranks, None if cut is None else ranks <= cut)
                else:
                    tally.add_twin(role, start, ranks)
                advance(len(ranks))

    table, sensitivity, by_row = tally.summary(data.index, tuple(samplers), varied)
    table.insert(0, "nominal_rank", nominal)
    settings = {
        "indicators": indicators,
        "weights": dict(zip(indicators, w0.tolist(), strict=True)),
        "weight_noise": weight_noise,
        "normalisations": [_label(s) for s in specs],
        "aggregations": aggs,
        "leader_rule": leader_rule,
        "leader_cut": cut,
        "varied": varied,
        "frozen": list(frozen),
        "imputed": report,
    }
    labels = np.array([_label(spec) for spec in specs], dtype=object)
    draws = pd.DataFrame({"normalisation": labels[main["normalisation"]],
                          "aggregation": np.array(aggs, dtype=object)[main["aggregation"]]})
    draws[indicators] = main["weights"]
    return RobustnessResult(table, sensitivity, by_row, draws, n, seed, settings)


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


def spearman_rho(x: np.ndarray, y: np.ndarray) -> float:
    """scipy's `spearmanr(x, y).statistic` for two 1-D arrays without NaN, by its own arithmetic (`rankdata`
    of each, `np.corrcoef` of the pair) without its checks and p-value; a constant array goes to scipy (which
    warns and gives NaN)."""
    from scipy.stats import rankdata, spearmanr

    if len(x) < 2 or (x[0] == x).all() or (y[0] == y).all():
        return float(spearmanr(x, y).statistic)
    return float(np.corrcoef(np.column_stack((rankdata(x), rankdata(y))), rowvar=False)[1, 0])


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

    - ``kendall_tau``: scipy.stats.kendalltau (τ-b, tie-corrected); ``spearman_rho``: scipy.stats.spearmanr's (`spearman_rho`);
    - ``ws``: WS rank-similarity coefficient with `rank_a` as the reference (see `ws_coefficient`);
    - ``n_common``, ``only_a``, ``only_b``: counts and labels of standards on one list only;
    - ``leaders`` (when both leader sets are given, as labels or boolean Series): sizes, ``both``,
      ``only_a``, ``only_b`` and ``jaccard`` = |A ∩ B| / |A ∪ B| (1 when both are empty);
    - ``movers``: DataFrame of the standards whose rank or leader status changed, or that are on one list
      only, with ``rank_a``, ``rank_b``, ``change`` = rank_a − rank_b (positive = moved up) and, with leader
      sets, ``leader_a`` / ``leader_b``; sorted by |change|, largest first.
    """
    from scipy.stats import kendalltau

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
        rho = spearman_rho(xa, xb)
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
        just_a, just_b = set_a - set_b, set_b - set_a
        result["leaders"] = {
            "a": len(set_a),
            "b": len(set_b),
            "both": len(shared),
            "only_a": [i for i in index if i in just_a],
            "only_b": [i for i in index if i in just_b],
            "jaccard": len(shared) / len(union) if union else 1.0,
        }
        movers["leader_a"] = index.isin(list(set_a))
        movers["leader_b"] = index.isin(list(set_b))
        moved |= movers["leader_a"] != movers["leader_b"]
    movers = movers[moved.to_numpy()]
    order = np.argsort(-movers["change"].abs().fillna(np.inf).to_numpy(), kind="stable")
    result["movers"] = movers.iloc[order]
    return result
