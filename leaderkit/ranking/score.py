"""Scoring the eligible standards by the scheme's method (评分): thresholds as numbers, levels reached,
weights (declared, entropy, CRITIC), goalposts, and the call into the method layer.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit.limits.requirements import REL_TOL
from leaderkit.ranking.common import LEVEL_CODES, RankingError, target_unit
from leaderkit.schemes.model import LEVEL_NAMES, LEVEL_ORDER, Indicator, Scheme

if TYPE_CHECKING:
    from leaderkit.ranking.result import Prepared


@lru_cache(maxsize=4096)
def _level_bounds(text: str, unit: str | None, target) -> tuple[str, float, float]:
    """(kind, lower, upper) of one level text in the `target` unit; cached, since a slider re-ranks with the
    same texts again and again (a text that cannot be read raises, and is not cached)."""
    from leaderkit.limits.requirements import parse_requirement

    req = parse_requirement(text, unit=unit)
    if target is not None and req.dimension is not None and req.dimension == target.dimension:
        req = req.to(target.symbol)
    return (req.kind, math.nan if req.lower is None else req.lower, math.nan if req.upper is None else req.upper)


def threshold_values(scheme: Scheme, core: list[Indicator]) -> dict[str, dict[str, tuple[float, float]]]:
    """Level thresholds per core indicator as (lower, upper) in the scheme unit."""
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for ind in core:
        target = target_unit(ind)
        levels = {}
        for level, text in ind.levels.items():
            try:
                kind, lower, upper = _level_bounds(text, ind.measure_unit, target)
            except LeaderkitError as exc:
                raise RankingError(
                    f"指标“{ind.name}”的{LEVEL_NAMES[level].zh}“{text}”无法读取：{exc.text.zh}",
                    f"The {LEVEL_NAMES[level].en} “{text}” of '{ind.name}' cannot be read: {exc.text.en}",
                    where=f"{scheme.id}: indicators.{ind.id}.levels.{level}") from None
            if kind != "numeric":
                raise RankingError(
                    f"核心指标“{ind.name}”的{LEVEL_NAMES[level].zh}“{text}”不是数值要求。",
                    f"The {LEVEL_NAMES[level].en} “{text}” of core indicator '{ind.name}' is not numeric.",
                    where=f"{scheme.id}: indicators.{ind.id}.levels.{level}")
            levels[level] = (lower, upper)
        out[ind.id] = levels
    return out


def scored_values(core, lower, upper) -> tuple[np.ndarray, dict[str, int]]:
    values = np.empty_like(lower)
    directions = {}
    for j, ind in enumerate(core):
        if ind.direction == "lower":
            values[:, j], directions[ind.id] = upper[:, j], -1
        elif ind.direction == "higher":
            values[:, j], directions[ind.id] = lower[:, j], 1
        else:
            values[:, j], directions[ind.id] = upper[:, j] - lower[:, j], -1
    return values, directions


def levels_reached(core, lower, upper, thresholds) -> np.ndarray:
    """Level code per cell (3 leader, 2 advanced, 1 baseline, 0 none); NaN values reach nothing."""
    codes = np.zeros(lower.shape, dtype=np.int8)
    for j, ind in enumerate(core):
        for level in reversed(LEVEL_ORDER):
            if level not in thresholds[ind.id]:
                continue
            t_lo, t_hi = thresholds[ind.id][level]
            if ind.direction == "lower":
                hit = upper[:, j] <= t_hi + REL_TOL * abs(t_hi)
            elif ind.direction == "higher":
                hit = lower[:, j] >= t_lo - REL_TOL * abs(t_lo)
            else:
                hit = (lower[:, j] >= t_lo - REL_TOL * abs(t_lo)) & (upper[:, j] <= t_hi + REL_TOL * abs(t_hi))
            codes[:, j] = np.where(hit, LEVEL_CODES[level], codes[:, j])
    return codes


def tiers(core, levels: np.ndarray) -> np.ndarray:
    """The tier of each standard (档次: 3 领跑, 2 先进, 1 基准, 0 none): the lowest level it reaches over the
    core indicators that set a level."""
    graded = np.array([bool(ind.levels.items()) for ind in core], dtype=bool)
    if not graded.any():
        return np.zeros(levels.shape[:-1], dtype=np.int8)
    return levels[..., graded].min(axis=-1)


def tier_first(tier: np.ndarray, ranks: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Ranks with the tier as the first sort key and the method's rank as the second (ties share the lowest
    number, 1, 2, 2, 4). Works on one list or on draws × standards."""
    key = (3 - tier.astype(np.int64)) * (np.int64(ranks.shape[-1]) + 1) + ranks
    key = np.where(eligible, key, np.iinfo(np.int64).max)
    ordered = np.sort(key, axis=-1)
    if key.ndim == 1:
        out = np.searchsorted(ordered, key, side="left") + 1
    else:
        out = np.array([np.searchsorted(o, k, side="left") + 1 for o, k in zip(ordered, key, strict=True)])
    return np.where(eligible, out, 0).astype(ranks.dtype)


def goalposts_of(scheme: Scheme, core, thresholds) -> dict[str, tuple[float, float]]:
    """Goalposts per core indicator: declared, else (the national baseline limit, the leader level)."""
    from leaderkit.limits.requirements import parse_requirement

    out = {}
    for ind in core:
        if ind.goalposts is not None:
            out[ind.id] = tuple(ind.goalposts)
            continue
        national = next((b for b in ind.baselines if b.level == "national"), None) or next(iter(ind.baselines), None)
        leader = thresholds[ind.id].get("leader")
        if national is None or leader is None:
            raise RankingError(
                f"goalpost 归一化需要指标“{ind.name}”的 goalposts，或国家标准限值和领跑水平。",
                f"Goalpost normalisation needs goalposts for '{ind.name}', or a national limit and a leader level.",
                where=f"{scheme.id}: indicators.{ind.id}.goalposts")
        target = target_unit(ind)
        req = parse_requirement(national.requirement, unit=ind.measure_unit)
        if target is not None and req.dimension == target.dimension:
            req = req.to(target.symbol)
        pair = []
        for lo, hi in ((req.lower, req.upper), leader):
            lo = math.nan if lo is None else lo
            hi = math.nan if hi is None else hi
            pair.append(hi if ind.direction == "lower" else lo if ind.direction == "higher" else hi - lo)
        out[ind.id] = (pair[0], pair[1])
    return out


def scheme_weights(scheme: Scheme, core, data: pd.DataFrame | None, directions, notes) -> dict[str, float] | None:
    """The weights the scheme says: declared (None: equal), or by entropy / CRITIC from `data` (the eligible
    values; only those two read it)."""
    from leaderkit.methods.scoring import critic_weights, entropy_weights

    how = scheme.ranking.weights if scheme.ranking else "declared"
    objective = {"entropy": (entropy_weights, Text("熵权法", "the entropy method")),
                 "critic": (critic_weights, Text("CRITIC 法", "CRITIC"))}
    if how in objective:
        compute, name = objective[how]
        w = compute(data, directions)
        notes.append(Text(f"权重由{name.zh}计算：" + "，".join(f"{k} {v:.3f}" for k, v in w.items()),
                          f"Weights from {name.en}: " + ", ".join(f"{k} {v:.3f}" for k, v in w.items())))
        return w.to_dict()
    declared = {ind.id: ind.weight for ind in core}
    if all(v is None for v in declared.values()):
        notes.append(Text("方案未声明权重：各核心指标等权。", "The scheme declares no weights: equal weights."))
        return None
    absent = [k for k, v in declared.items() if v is None]
    if absent:
        raise RankingError(f"核心指标缺少权重：{', '.join(absent)}。", f"Core indicator(s) without a weight: "
                           f"{', '.join(absent)}.", where=f"{scheme.id}: indicators.{absent[0]}.weight",
                           hint=Text("为每个核心指标声明 weight，或在 ranking.weights 中选 entropy / critic。",
                                     "Declare a weight for every core indicator, or choose ranking.weights "
                                     "entropy / critic."))
    return {k: float(v) for k, v in declared.items()}


def score_standards(scheme: Scheme, prep: Prepared, eligible: np.ndarray, notes: list[Text], *,
           method_override: dict | None = None, levels: np.ndarray | None = None,
           thresholds: dict | None = None) -> dict[str, Any]:
    """Scores, ranks and levels of the eligible standards by the scheme's method (method layer calls).
    `levels`, `thresholds`: the levels reached and `threshold_values`, when the caller has them already
    (levels are copied, not changed)."""
    from leaderkit.methods.scoring import (
        composite,
        composite_scores,
        impute,
        level_points,
        lexicographic,
        rank_array,
        topsis,
        weight_vector,
    )

    core = scheme.core_indicators()
    rk = scheme.ranking
    spec = {"method": rk.method if rk else "weighted", "normalise": rk.normalise if rk else "minmax",
            "aggregate": rk.aggregate if rk else "amean",
            "imputation": None if not rk or rk.imputation == "none" else rk.imputation}
    spec.update(method_override or {})
    thresholds = threshold_values(scheme, core) if thresholds is None else thresholds
    values, directions = scored_values(core, prep.lower, prep.upper)
    levels = (levels_reached(core, prep.lower, prep.upper, thresholds) if levels is None
              else levels.copy())
    index = prep.info.index[eligible]
    n = int(eligible.sum())
    out = {"levels": levels, "score": np.full(len(eligible), np.nan), "rank": np.zeros(len(eligible), np.int64),
           "method": spec, "imputed": []}
    if n == 0:
        return out
    if n == 1:
        out["rank"][eligible] = 1
        notes.append(Text("只有 1 项符合资格的标准：排第 1 名，不计算得分。",
                          "Only one eligible standard: it ranks first; no score is computed."))
        return out
    x = values[eligible]
    if spec["method"] == "weighted" and (rk.weights if rk else "declared") == "declared" and np.isfinite(x).all():
        # complete, finite values and declared weights: `composite`'s steps on the arrays, no frame around them
        ids = [ind.id for ind in core]
        w = weight_vector(scheme_weights(scheme, core, None, directions, notes), ids)
        gp = goalposts_of(scheme, core, thresholds) if spec["normalise"] == "goalpost" else None
        _, _, score = composite_scores(x, np.array([directions[i] for i in ids], dtype=float), w,
                                       spec["normalise"], spec["aggregate"], spec.get("scale"), goalposts=gp,
                                       index=index, indicators=ids)
        out["score"][eligible] = score
        out["rank"][eligible] = rank_array(score)
        out["weights"] = dict(zip(ids, w.tolist(), strict=True))
        return out
    data = pd.DataFrame(x, index=index, columns=[ind.id for ind in core])
    if spec["imputation"] and np.isnan(data.to_numpy()).any():
        data, report = impute(data, directions, spec["imputation"])
        filled = data.to_numpy()
        out["imputed"] = report
        sub_lower, sub_upper = prep.lower[eligible].copy(), prep.upper[eligible].copy()
        for j, ind in enumerate(core):
            hole = np.isnan(values[eligible][:, j])
            if ind.direction == "lower":
                sub_upper[hole, j] = filled[hole, j]
            elif ind.direction == "higher":
                sub_lower[hole, j] = filled[hole, j]
        levels[eligible] = levels_reached(core, sub_lower, sub_upper, thresholds)
        notes.append(Text(f"按方案插补（{spec['imputation']}）了 {len(report)} 个缺失的核心指标值；插补值不达到区间指标的任何水平。",
                          f"{len(report)} missing core value(s) imputed as the scheme names ({spec['imputation']}); "
                          "an imputed value of a range indicator reaches no level."))
    if spec["method"] == "weighted":
        w = scheme_weights(scheme, core, data, directions, notes)
        gp = goalposts_of(scheme, core, thresholds) if spec["normalise"] == "goalpost" else None
        res = composite(data, directions, w, spec["normalise"], spec["aggregate"], spec.get("scale"), goalposts=gp)
        out["weights"] = res.attrs["method"]["weights"]
    elif spec["method"] == "topsis":
        w = scheme_weights(scheme, core, data, directions, notes)
        res = topsis(data, directions, w)
        out["weights"] = res.attrs["method"]["weights"]
    elif spec["method"] == "levels":
        points = (rk.level_points if rk and rk.level_points else {"leader": 3, "advanced": 2, "baseline": 1})
        w = scheme_weights(scheme, core, data, directions, notes)
        codes = pd.DataFrame(levels[eligible].astype(float), index=index, columns=data.columns)
        spec_levels = {ind.id: {"direction": "higher",
                                "thresholds": {lv: LEVEL_CODES[lv] for lv in thresholds[ind.id] if lv in points}}
                       for ind in core}
        res = level_points(codes, spec_levels, points, w)
        out["weights"] = res.attrs["method"]["weights"]
    else:
        priority = list(rk.priority) if rk and rk.priority else [ind.id for ind in core]
        by_name = {ind.name: ind.id for ind in core}
        priority = [by_name.get(p, p) for p in priority]
        res = lexicographic(data, directions, priority)
        res["score"] = np.nan
    out["score"][eligible] = res["score"].to_numpy(dtype=float)
    out["rank"][eligible] = res["rank"].to_numpy()
    return out
