"""Robustness of a scheme's list (方案排行榜的稳健性), Monte Carlo.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text
from leaderkit.ranking.common import RankingError
from leaderkit.ranking.leaders import choose_leaders
from leaderkit.ranking.result import (
    prepare,
    rank,
)
from leaderkit.ranking.score import (
    scheme_weights,
    score_standards,
    scored_values,
)
from leaderkit.schemes.model import Indicator, Scheme


def scheme_robustness(scheme: Scheme, standards, *, on=None, n: int = 1000, seed: int = 0,
                      weight_noise: str | float | None = "dirichlet", threshold_noise: float | None = None,
                      normalisations=None, aggregations=None, baselines=None, program=None, register=None,
                      progress: bool = False):
    """Robustness of a scheme's list (方案排行榜的稳健性), Monte Carlo, seeded.

    Each draw perturbs the weights (``"dirichlet"`` or ±f %, as `leaderkit.robustness`), the level
    thresholds (±`threshold_noise` % of each threshold value; they move the levels method and the
    reach_level rule; an interval threshold keeps its midpoint and its half-width moves), and picks a normalisation and an aggregation among the alternatives (weighted
    method only; the scheme's own choice is always the first). The list is then rebuilt by the same
    scoring and leader rule as `rank` (ties at the cut included by the scheme's tie rule).

    When only weights, normalisation and aggregation vary on a weighted scheme with a top-N or top-% rule
    (ties included, the cut capped by max_leaders; no leader at all below min_participants), the method
    layer's `leaderkit.robustness` does the run (one matrix product per chunk of draws) and gives the
    first-order sensitivity of every choice. Otherwise every draw is rebuilt (vectorised over standards, a
    loop over draws) and the sensitivity is given for the discrete choices (normalisation, aggregation). Returns a
    `RobustnessResult` (table: nominal_rank, median_rank, rank_p05, rank_p95, mean_rank, p_leader per
    eligible standard; sensitivity: first-order share of rank variance per varied choice).
    """
    from leaderkit.methods.uncertainty import robustness

    prep = prepare(scheme, standards, on=on, baselines=baselines, program=program, register=register)
    rk = scheme.ranking
    method = rk.method if rk else "weighted"
    norms = _with_first(rk.normalise if rk else "minmax", normalisations) if method == "weighted" else None
    aggs = _with_first(rk.aggregate if rk else "amean", aggregations) if method == "weighted" else None
    rule = scheme.leader_rule
    eligible = prep.eligibility["eligible"].to_numpy(dtype=bool)
    if eligible.sum() < 2:
        raise RankingError("符合资格的标准少于 2 项，无法做稳健性分析。",
                           "Fewer than 2 eligible standards: no robustness analysis.", where=scheme.id)
    simple = (method == "weighted" and threshold_noise is None and rule is not None and rule.reach_level is None
              and rule.tie_rule == "include_all" and "goalpost" not in norms)
    if simple:
        notes: list[Text] = []
        core = scheme.core_indicators()
        values, directions = scored_values(core, prep.lower, prep.upper)
        data = pd.DataFrame(values[eligible], index=prep.info.index[eligible], columns=[i.id for i in core])
        weights = scheme_weights(scheme, core, data, directions, notes)
        n_eligible = int(eligible.sum())
        cut = rule.top_n if rule.top_n else max(1, math.floor(n_eligible * rule.top_percent / 100 + 1e-9))
        cut = min(cut, rule.max_leaders or cut)
        enough = not rule.min_participants or n_eligible >= rule.min_participants
        imputation = None if not rk or rk.imputation == "none" else rk.imputation
        result = robustness(data, directions, weights, n=n, weight_noise=weight_noise, normalisations=norms,
                            aggregations=aggs, leader_rule=("top_n", cut) if enough else None, seed=seed,
                            progress=progress, imputation=imputation)
        if not enough:
            result.table["p_leader"] = 0.0
        return result
    return _robustness_by_rebuild(scheme, prep, eligible, n, seed, weight_noise, threshold_noise, norms, aggs,
                                  progress)


def _with_first(first: str, options) -> list[str]:
    rest = [o for o in (options or []) if o != first]
    return [first, *rest]


def _draw_weight(rng, w0: np.ndarray, weight_noise) -> np.ndarray:
    if weight_noise is None:
        return w0
    if weight_noise == "dirichlet":
        w = np.zeros_like(w0)
        live = w0 > 0
        w[live] = rng.dirichlet(w0[live] * live.sum()) if live.sum() > 1 else 1.0
        return w
    f = float(weight_noise) / 100
    w = w0 * (1 + rng.uniform(-f, f, size=len(w0)))
    return w / w.sum()


def _robustness_by_rebuild(scheme, prep, eligible, n, seed, weight_noise, threshold_noise, norms, aggs, progress):
    from leaderkit.methods.uncertainty import RobustnessResult

    core = scheme.core_indicators()
    ids = [ind.id for ind in core]
    notes: list[Text] = []
    values, directions = scored_values(core, prep.lower, prep.upper)
    data = pd.DataFrame(values[eligible], index=prep.info.index[eligible], columns=ids)
    declared = scheme_weights(scheme, core, data, directions, notes)
    w0 = np.array([declared[i] for i in ids]) if declared else np.ones(len(ids))
    w0 = w0 / w0.sum()
    rng = np.random.default_rng(seed)
    m = int(eligible.sum())
    varied = [name for name, on_ in (("weights", weight_noise is not None), ("thresholds", threshold_noise is not None),
                                     ("normalisation", norms is not None and len(norms) > 1),
                                     ("aggregation", aggs is not None and len(aggs) > 1)) if on_]
    ranks = np.empty((n, m), dtype=np.int64)
    leaders = np.zeros((n, m), dtype=bool)
    choices = {"normalisation": np.zeros(n, dtype=np.int64), "aggregation": np.zeros(n, dtype=np.int64)}
    weights_drawn = np.empty((n, len(ids)))
    nominal = rank(scheme, prep)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=n, desc="scheme robustness", unit="draw")
    for d in range(n):
        w = _draw_weight(rng, w0, weight_noise)
        weights_drawn[d] = w
        changes: dict[str, Any] = {f"indicators.{i}.weight": float(v) for i, v in zip(ids, w, strict=True)}
        if threshold_noise is not None:
            f = threshold_noise / 100
            for ind in core:
                for level, text in ind.levels.items():
                    changes[f"indicators.{ind.id}.levels.{level}"] = _perturbed(ind, text, 1 + rng.uniform(-f, f))
        override = {}
        if norms is not None and len(norms) > 1:
            choices["normalisation"][d] = rng.integers(len(norms))
            override["normalise"] = norms[choices["normalisation"][d]]
        if aggs is not None and len(aggs) > 1:
            choices["aggregation"][d] = rng.integers(len(aggs))
            override["aggregate"] = aggs[choices["aggregation"][d]]
        draw = scheme.with_changes(changes)
        notes_d: list[Text] = []
        scored = score_standards(draw, prep, eligible, notes_d, method_override=override)
        lead, _ = choose_leaders(draw, scored["rank"], eligible, scored["levels"], notes_d)
        ranks[d] = scored["rank"][eligible]
        leaders[d] = lead[eligible]
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    mean = ranks.mean(axis=0)
    var = ranks.var(axis=0)
    explained = {}
    for name in ("normalisation", "aggregation"):
        if name in varied:
            c = choices[name]
            levels_ = np.unique(c)
            cond = np.stack([ranks[c == v].mean(axis=0) for v in levels_])
            share = np.array([(c == v).mean() for v in levels_])
            explained[name] = (share[:, None] * (cond - mean) ** 2).sum(axis=0)
    varies = var > 0
    by_row = pd.DataFrame({k: np.where(varies, v / np.where(varies, var, 1), np.nan) for k, v in explained.items()},
                          index=data.index)
    total = var.sum()
    sensitivity = pd.Series({k: (v.sum() / total if total > 0 else 0.0) for k, v in explained.items()},
                            name="first_order", dtype=float)
    hist = np.zeros((m, m), dtype=np.int64)
    np.add.at(hist, (np.broadcast_to(np.arange(m), ranks.shape), ranks - 1), 1)
    table = pd.DataFrame({
        "nominal_rank": nominal.table.set_index("standard_id").loc[data.index, "rank"].astype(int).to_numpy(),
        "median_rank": np.quantile(ranks, 0.5, axis=0, method="inverted_cdf").astype(int),
        "rank_p05": np.quantile(ranks, 0.05, axis=0, method="inverted_cdf").astype(int),
        "rank_p95": np.quantile(ranks, 0.95, axis=0, method="inverted_cdf").astype(int),
        "mean_rank": mean,
        "p_leader": leaders.mean(axis=0),
    }, index=data.index)
    draws = pd.DataFrame(weights_drawn, columns=ids)
    if norms is not None:
        draws.insert(0, "normalisation", np.array(norms, dtype=object)[choices["normalisation"]])
    if aggs is not None:
        draws.insert(1 if norms is not None else 0, "aggregation", np.array(aggs, dtype=object)[choices["aggregation"]])
    settings = {"indicators": ids, "weights": dict(zip(ids, w0.tolist(), strict=True)), "weight_noise": weight_noise,
                "threshold_noise": threshold_noise, "normalisations": norms, "aggregations": aggs,
                "varied": varied, "scheme": scheme.id, "rebuilt": True,
                "note": "sensitivity is given for the discrete choices (normalisation, aggregation) only"}
    return RobustnessResult(table, sensitivity, by_row, hist, draws, n, seed, settings)


def _perturbed(ind: Indicator, text: str, factor: float) -> str:
    """A threshold moved by `factor`: a one-sided limit is multiplied by it ("≤ 0.017" × 1.1 → "≤ 0.0187");
    an interval keeps its midpoint and has its half-width multiplied by it."""
    from leaderkit.limits.requirements import parse_requirement

    req = parse_requirement(text, unit=ind.unit if ind.unit not in (None, "1") else None)
    unit = f" {req.unit}" if req.unit and ind.unit not in (None, "1") else ""
    if req.lower is not None and req.upper is not None:
        mid, half = (req.lower + req.upper) / 2, (req.upper - req.lower) / 2 * factor
        return f"{mid - half:.6g}～{mid + half:.6g}{unit}"
    if req.upper is not None:
        return f"≤ {req.upper * factor:.6g}{unit}"
    return f"≥ {req.lower * factor:.6g}{unit}"
