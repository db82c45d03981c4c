"""Robustness of a scheme's list (方案排行榜的稳健性): one seeded Monte Carlo engine.

What varies is named by paths into the scheme, the way COINr addresses its methodology:

    scheme_robustness(scheme, standards, perturb={
        "indicators.*.weight": "dirichlet",                          # or a number: ±f % of every weight
        "indicators.energy_efficiency.levels.leader": 10,            # ±10 % of one threshold
        "indicators.water_use.levels.leader": ["≤ 0.020", "≤ 0.018"],  # alternatives, drawn uniformly
        "ranking.normalise": ["minmax", "zscore"],
        "ranking.aggregate": ["amean", "gmean"]})

Every path and value is checked against the scheme before anything is drawn, and a path that does not
exist or a value that does not fit it is refused with its name. Thresholds move as numbers, never as text:
the (lower, upper) bounds of `threshold_values` in the scheme unit, a one-sided limit × (1 + u), an interval
keeping its midpoint with its half-width × (1 + u). Each draw is rebuilt with the scoring, levels and leader
rule of `rank` (`score.levels_reached`, the method layer's functions, `leaders.choose_leaders`), vectorised
over standards; weight draws of a weighted, levels or TOPSIS scheme are scored a chunk of draws at a time,
by matrix products. The weight draws, the random streams, the ranking of keys and the rank summaries are
the method layer's (`leaderkit.methods.uncertainty`), so both engines draw and summarise alike, and memory
is linear in standards and draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text
from leaderkit.methods.uncertainty import (
    KeyRanker,
    RankTally,
    RobustnessResult,
    aggregation_keys,
    check_run,
    draw_weights,
    draws_per_chunk,
    frozen_inputs,
    input_draws,
    progress_bar,
    topsis_distances,
    topsis_keys,
    weighted_keys,
)
from leaderkit.ranking.common import LEVEL_CODES, RankingError, level_roles
from leaderkit.ranking.leaders import choose_leaders
from leaderkit.ranking.result import entered, prepare
from leaderkit.ranking.score import (
    goalposts_of,
    levels_reached,
    scheme_weights,
    score_standards,
    scored_values,
    threshold_values,
    tier_first,
    tiers,
)
from leaderkit.schemes.model import LEVEL_ORDER, Scheme

PATHS = Text(
    "可扰动的路径：indicators.*.weight（\"dirichlet\" 或 ±百分数）；indicators.<指标编号或 *>.levels.<水平或 *>"
    "（±百分数；单个门槛也可给备选要求文本列表）；ranking.normalise、ranking.aggregate（备选方法列表）。",
    "Paths that can be perturbed: indicators.*.weight (\"dirichlet\" or ±percent); "
    "indicators.<indicator id or *>.levels.<level or *> (±percent; one threshold also takes a list of "
    "alternative requirement texts); ranking.normalise, ranking.aggregate (lists of alternative methods).")
"""The hint of every refused perturbation path."""


@dataclass(frozen=True)
class _Input:
    """One perturbation path, checked: what it moves and how it is drawn."""

    path: str
    kind: str  # "weights", "thresholds", "normalise", "aggregate" or "choice" (threshold alternatives)
    name: str  # its random stream and the name of its twin runs
    value: Any  # "dirichlet" or ±percent; or the alternatives, the scheme's own first
    targets: tuple[tuple[str, str], ...] = ()  # (indicator id, level) of thresholds
    bounds: tuple[tuple[float, float], ...] = ()  # (lower, upper) of each alternative threshold

    @property
    def continuous(self) -> bool:
        return self.kind in ("weights", "thresholds")

    def draw(self, seed: int, role: str, n: int, w0: np.ndarray | None) -> np.ndarray:
        if self.kind == "weights":
            return input_draws(seed, self.name, role, n,
                               lambda rng, size: draw_weights(rng, w0, size, self.value))
        if self.kind == "thresholds":
            f = float(self.value) / 100
            return np.column_stack([
                input_draws(seed, self.name, role, n, lambda rng, size: rng.uniform(-f, f, size=size),
                            stream=f"indicators.{ind}.levels.{level}") for ind, level in self.targets])
        return input_draws(seed, self.name, role, n,
                           lambda rng, size: rng.integers(0, len(self.value), size=size))

    def varies(self, values: np.ndarray, w0: np.ndarray | None) -> bool:
        return bool((values != (w0 if self.kind == "weights" else 0)).any())


def scheme_robustness(scheme: Scheme, standards, *, on=None, n: int = 1000, seed: int = 0,
                      perturb: Mapping[str, Any] | None = None,
                      weight_noise: str | float | None = "dirichlet", threshold_noise: float | None = None,
                      normalisations=None, aggregations=None, baselines=None, program=None, register=None,
                      progress: bool = False) -> RobustnessResult:
    """Robustness of a scheme's list (方案排行榜的稳健性), Monte Carlo, seeded.

    `perturb` maps scheme paths to what varies (see the module docstring): a number is ±f % (weights in
    [0, 100], thresholds in [0, 100)); ``"dirichlet"`` draws all weights together, w ~ Dirichlet(k · w₀); a
    list gives alternatives drawn uniformly, the scheme's own value always among them (added first when
    missing). ``*`` stands for every core indicator, or every level it sets. Without `perturb` the keywords
    say it: `weight_noise` → ``indicators.*.weight`` (for methods with weights), `threshold_noise` →
    ``indicators.*.levels.*``, `normalisations` / `aggregations` → ``ranking.normalise`` /
    ``ranking.aggregate`` (weighted method only). Giving `perturb` and a keyword is refused.

    Each of the `n` draws is rebuilt with the scheme's scoring, levels and leader rule (ties at the cut by
    its tie rule, min_participants, max_leaders). Every path draws from its own stream, so the same seed
    gives the same draws of a path whatever else is perturbed, and a path that varies nothing
    (``threshold_noise=0``) changes nothing. Returns a `RobustnessResult`: table (nominal_rank, the rank
    `rank` gives; median_rank, rank_p05, rank_p95, mean_rank and, with a leader rule, p_leader per eligible
    standard); sensitivity (first-order share of rank variance per path; continuous paths by pick-freeze
    twin runs when several paths vary); draws (per draw and concrete path: the drawn weight, the factor
    1 + u of a threshold, or the alternative chosen); settings (the paths, which of them varied the ranks,
    which could not change this scheme's list at all).
    """
    check_run(n, seed)
    prep = prepare(scheme, standards, on=on, baselines=baselines, program=program, register=register)
    eligible = entered(scheme, prep)[0]["eligible"].to_numpy(dtype=bool)
    if eligible.sum() < 2:
        raise RankingError("符合资格的标准少于 2 项，无法做稳健性分析。",
                           "Fewer than 2 eligible standards: no robustness analysis.", where=scheme.id)
    model = _Model(scheme, prep, eligible)
    if perturb is None:
        perturb = model.keyword_paths(weight_noise, threshold_noise, normalisations, aggregations)
    elif (weight_noise != "dirichlet" or threshold_noise is not None or normalisations is not None
          or aggregations is not None):
        raise RankingError(
            "perturb 与 weight_noise / threshold_noise / normalisations / aggregations 不能同时给出。",
            "Give perturb or the keywords weight_noise / threshold_noise / normalisations / aggregations, "
            "not both.", where=scheme.id, hint=Text("把关键字参数写成 perturb 中的路径。",
                                                    "Write the keywords as paths in perturb."))
    inputs = model.check(perturb)

    main = {inp.path: inp.draw(seed, "main", n, model.w0) for inp in inputs}
    varied = [inp.path for inp in inputs
              if inp.varies(main[inp.path], model.w0) and model.effect(inp) == "ranks"]
    frozen = frozen_inputs(varied, [inp.path for inp in inputs if inp.continuous])
    rule = scheme.leader_rule
    choices = {inp.path: main[inp.path] for inp in inputs if inp.path in varied and not inp.continuous}
    tally = RankTally(model.m, n, choices=choices, frozen=frozen, leaders=rule is not None)
    per_chunk = draws_per_chunk(model.m)
    with KeyRanker() as ranker, progress_bar(progress, n * (1 + len(frozen)), "scheme robustness") as advance:
        for role in ("main", *frozen):
            values = main if role == "main" else {
                inp.path: inp.draw(seed, _name(inputs, role), n, model.w0) for inp in inputs}
            for start in range(0, n, per_chunk):
                part = range(start, min(start + per_chunk, n))
                ranks, levels = model.ranks(inputs, values, part, ranker)
                ranks = model.tiered(ranks)
                if role == "main":
                    tally.add(start, ranks, None if rule is None else model.leaders(ranks, levels))
                else:
                    tally.add_twin(role, start, ranks)
                advance(len(part))

    table, sensitivity, by_row = tally.summary(model.index, [inp.path for inp in inputs], varied)
    table.insert(0, "nominal_rank", model.tiered(score_standards(scheme, prep, eligible, [])["rank"][eligible]))
    settings = {
        "scheme": scheme.id,
        "method": model.method,
        "perturb": {inp.path: list(inp.value) if isinstance(inp.value, tuple) else inp.value
                    for inp in inputs},
        "varied": varied,
        "frozen": list(frozen),
        "no_effect": [inp.path for inp in inputs if model.effect(inp) is None],
        "indicators": model.ids,
        "weights": None if model.w0 is None else dict(zip(model.ids, model.w0.tolist(), strict=True)),
        "leader_rule": None if rule is None else rule.model_dump(exclude_none=True),
        "imputed": model.imputed,
    }
    return RobustnessResult(table, sensitivity, by_row, model.draws_frame(inputs, main, n), n, seed, settings)


def _name(inputs: list[_Input], role: str) -> str:
    """The stream name of the frozen path `role`, which names its twin runs."""
    return next(inp.name for inp in inputs if inp.path == role)


class _Model:
    """The eligible standards and the scheme's nominal choices, as `score.score_standards` builds them, and
    one draw rebuilt from them: thresholds as numbers, levels, scores and ranks, leaders."""

    def __init__(self, scheme: Scheme, prep, eligible: np.ndarray):
        from leaderkit.methods.scoring import impute, weight_vector

        rk = scheme.ranking
        self.scheme = scheme
        self.method = rk.method if rk else "weighted"
        self.normalise = rk.normalise if rk else "minmax"
        self.aggregate = rk.aggregate if rk else "amean"
        self.core = scheme.core_indicators()
        self.ids = [ind.id for ind in self.core]
        self.thresholds = threshold_values(scheme, self.core)
        values, self.directions = scored_values(self.core, prep.lower, prep.upper)
        self.index = prep.info.index[eligible]
        self.m = len(self.index)
        data = pd.DataFrame(values[eligible], index=self.index, columns=self.ids)
        lower, upper = prep.lower[eligible], prep.upper[eligible]
        imputation = None if not rk or rk.imputation == "none" else rk.imputation
        self.imputed: list = []
        if imputation and np.isnan(data.to_numpy()).any():
            data, self.imputed = impute(data, self.directions, imputation)
            filled, hole = data.to_numpy(), np.isnan(values[eligible])
            lower, upper = lower.copy(), upper.copy()
            for j, ind in enumerate(self.core):
                if ind.direction == "lower":
                    upper[hole[:, j], j] = filled[hole[:, j], j]
                elif ind.direction == "higher":
                    lower[hole[:, j], j] = filled[hole[:, j], j]
        # column-major: `levels_reached` reads one indicator's column at a time, once per draw when
        # thresholds move
        self.data, self.lower, self.upper = data, np.asfortranarray(lower), np.asfortranarray(upper)
        self.levels = levels_reached(self.core, lower, upper, self.thresholds)
        self.tier = tiers(self.core, self.levels) if level_roles(scheme).tier == "sort" else None
        self.w0 = None
        if self.method != "lexicographic":
            self.w0 = weight_vector(scheme_weights(scheme, self.core, data, self.directions, []), self.ids)
        self.normalisations = [self.normalise]
        self.aggregations = [self.aggregate]
        self.transforms: dict = {}  # (normalisation, aggregation) → keys' transform; "topsis" → distances
        self.goalpost_levels: set[tuple[str, str]] = set()  # thresholds that set goalposts in use
        self.points: np.ndarray | None = None  # points of each level code (levels method)
        self.fixed_ranks: np.ndarray | None = None

    # ---- the paths ------------------------------------------------------------------------------------

    def keyword_paths(self, weight_noise, threshold_noise, normalisations, aggregations) -> dict[str, Any]:
        """The keywords of the earlier interface as perturbation paths."""
        paths: dict[str, Any] = {}
        if weight_noise is not None and self.method != "lexicographic":
            paths["indicators.*.weight"] = weight_noise
        if threshold_noise is not None:
            paths["indicators.*.levels.*"] = threshold_noise
        if self.method == "weighted":
            if normalisations:
                paths["ranking.normalise"] = list(normalisations)
            if aggregations:
                paths["ranking.aggregate"] = list(aggregations)
        return paths

    def check(self, perturb) -> list[_Input]:
        """Every path and value checked against the scheme, before anything is drawn."""
        if not isinstance(perturb, Mapping):
            raise RankingError("perturb 应为 {路径: 扰动} 的映射。", "perturb must be a mapping {path: perturbation}.",
                               where=self.scheme.id, hint=PATHS)
        inputs, claimed = [], {}
        for path, value in perturb.items():
            inp = self._input(path, value)
            for target in inp.targets:
                if target in claimed:
                    where = f"indicators.{target[0]}.levels.{target[1]}"
                    self._refuse(path, f"与路径 {claimed[target]!r} 都扰动了 {where}",
                                 f"moves {where}, as {claimed[target]!r} does",
                                 Text("每个门槛只由一个路径扰动。", "Let one path move each threshold."))
                claimed[target] = path
            inputs.append(inp)
        self._prepare_transforms()
        return inputs

    def _refuse(self, path, zh: str, en: str, hint: Text = PATHS):
        raise RankingError(f"扰动路径 {path!r} 不可用：{zh}。", f"The perturbation path {path!r} is refused: {en}.",
                           where=f"{self.scheme.id}: perturb[{path!r}]", hint=hint)

    def _input(self, path, value) -> _Input:
        parts = path.split(".") if isinstance(path, str) else []
        if parts[:1] == ["indicators"] and len(parts) == 3 and parts[2] == "weight":
            return self._weights(path, parts[1], value)
        if parts[:1] == ["indicators"] and len(parts) == 4 and parts[2] == "levels":
            return self._thresholds(path, parts[1], parts[3], value)
        if parts in (["ranking", "normalise"], ["ranking", "aggregate"]):
            return self._methods(path, parts[1], value)
        self._refuse(path, "方案中没有这个可扰动的路径", "the scheme has no such perturbable path")

    def _indicator(self, path, ind_id: str) -> None:
        if ind_id == "*" or ind_id in self.ids:
            return
        other = next((ind for ind in self.scheme.indicators if ind.id == ind_id), None)
        if other is not None:
            self._refuse(path, f"指标 {ind_id!r} 不是核心指标，不参与排名", f"indicator {ind_id!r} is not a core "
                         "indicator and does not enter the ranking")
        self._refuse(path, f"方案中没有指标 {ind_id!r}", f"the scheme has no indicator {ind_id!r}",
                     Text(f"核心指标：{', '.join(self.ids)}。", f"Core indicators: {', '.join(self.ids)}."))

    def _weights(self, path, ind_id: str, value) -> _Input:
        self._indicator(path, ind_id)
        if self.w0 is None:
            self._refuse(path, "按优先级排序（lexicographic）不使用权重", "lexicographic ranking uses no weights")
        if ind_id != "*":
            self._refuse(path, "权重按和为 1 一起抽样", "weights are drawn together, summing to 1",
                         Text("写 indicators.*.weight。", "Write indicators.*.weight."))
        if not (value == "dirichlet" if isinstance(value, str) else _number(value) and 0 <= value <= 100):
            self._refuse(path, f"权重的扰动应为 \"dirichlet\" 或 0 到 100 的百分数，收到 {value!r}",
                         f"weights take \"dirichlet\" or a percentage in [0, 100], got {value!r}")
        return _Input(path, "weights", "weights", value if isinstance(value, str) else float(value))

    def tiered(self, ranks: np.ndarray) -> np.ndarray:
        """Ranks with the scheme's tier first (`ranking.levels.tier: sort`), else as they are."""
        if self.tier is None:
            return ranks
        return tier_first(self.tier, ranks, np.ones(ranks.shape, dtype=bool))

    def _thresholds(self, path, ind_id: str, level: str, value) -> _Input:
        self._indicator(path, ind_id)
        roles = level_roles(self.scheme)
        if roles.entry != "none" or roles.tier == "sort":
            self._refuse(path, "本方案的分级水平决定入榜（entry）或分档排序（tier: sort），门槛变动会改变参评集合或档次，"
                               "本分析不模拟", "this scheme's levels decide who enters the list (entry) or the tier "
                               "order (tier: sort); a moved threshold changes the list itself, which this analysis "
                               "does not simulate",
                         Text("用 rank 比较改动后的方案，或去掉门槛扰动。",
                              "Compare rank of the changed scheme instead, or leave thresholds fixed."))
        if level != "*" and level not in LEVEL_ORDER:
            self._refuse(path, f"没有水平 {level!r}", f"there is no level {level!r}",
                         Text("水平为 leader、advanced、baseline 或 *。",
                              "Levels are leader, advanced, baseline or *."))
        targets = tuple((ind, lv) for ind in (self.ids if ind_id == "*" else [ind_id])
                        for lv in self.thresholds[ind] if level in ("*", lv))
        if not targets:
            known = [f"indicators.{i}.levels.{lv}" for i in self.ids for lv in self.thresholds[i]]
            self._refuse(path, "方案中没有这样的门槛", "the scheme sets no such threshold",
                         Text("门槛：" + "、".join(known), "Thresholds: " + ", ".join(known)))
        if isinstance(value, list | tuple) and "*" not in (ind_id, level):
            if not value or not all(isinstance(t, str) and t.strip() for t in value):
                self._refuse(path, f"备选门槛应为非空的要求文本列表，收到 {value!r}",
                             f"alternative thresholds must be a list of requirement texts, got {value!r}")
            ind = self.scheme.indicator(ind_id)
            own = getattr(ind.levels, level)
            texts = [own, *dict.fromkeys(t for t in value if t != own)]
            bounds = tuple(_threshold(self.scheme.with_changes({path: t}), ind_id, level) for t in texts)
            return _Input(path, "choice", path, tuple(texts), targets, bounds)
        if not (_number(value) and 0 <= value < 100):
            self._refuse(path, f"门槛的扰动应为 0 到 100（不含）的百分数，或单个门槛的备选要求文本列表，收到 {value!r}",
                         "thresholds take a percentage in [0, 100), or for one threshold a list of "
                         f"alternative requirement texts, got {value!r}")
        return _Input(path, "thresholds", path, float(value), targets)

    def _methods(self, path, what: str, value) -> _Input:
        from leaderkit.methods.scoring import AGGREGATIONS, NORMALISATIONS

        if self.method != "weighted":
            self._refuse(path, f"只有加权综合（weighted）方法使用它，本方案的方法是 {self.method}",
                         f"only the weighted method uses it; this scheme ranks by {self.method}")
        allowed, own = ((NORMALISATIONS, self.normalise) if what == "normalise"
                        else (AGGREGATIONS, self.aggregate))
        if not isinstance(value, list | tuple) or not value or not all(v in allowed for v in value):
            self._refuse(path, f"应为备选方法的列表（{', '.join(allowed)}），收到 {value!r}",
                         f"it takes a list of alternative methods ({', '.join(allowed)}), got {value!r}")
        options = (own, *dict.fromkeys(v for v in value if v != own))
        if what == "normalise":
            self.normalisations = list(options)
            return _Input(path, "normalise", "normalisation", options)
        self.aggregations = list(options)
        return _Input(path, "aggregate", "aggregation", options)

    def _prepare_transforms(self) -> None:
        """The linear keys of every (normalisation, aggregation) pair, the points each level code earns, or
        the ranks of a method that no weight draw changes; values a method refuses (≤ 0 under gmean …) are
        refused here, before any draw."""
        if self.method == "weighted":
            for s, norm in enumerate(self.normalisations):
                z = self._normalised(norm, self.thresholds)
                for a, agg in enumerate(self.aggregations):
                    self.transforms[s, a] = aggregation_keys(z, self.w0, agg, self.index, self.ids)
            if "goalpost" in self.normalisations:
                self.goalpost_levels = {(ind.id, "leader") for ind in self.core if ind.goalposts is None}
        elif self.method == "levels":
            self.points = self._level_points()
            self.transforms[0, 0] = self._points_keys(self.levels)
        else:
            self.fixed_ranks = self._ranks_once(self.w0)  # refuses what the method refuses
            if self.method == "topsis":
                signs = np.array([self.directions[i] for i in self.ids], dtype=float)
                self.transforms["topsis"] = topsis_distances(self.data[self.ids].to_numpy(dtype=float), signs)

    def effect(self, inp: _Input) -> str | None:
        """What a path can move in this scheme's list: "ranks", "leaders" (levels under reach_level) or
        None."""
        if inp.kind not in ("thresholds", "choice"):
            return "ranks"
        if self.method == "levels" or self.goalpost_levels.intersection(inp.targets):
            return "ranks"
        rule = self.scheme.leader_rule
        if rule is not None and (rule.reach_level or level_roles(self.scheme).leader is not None):
            return "leaders"
        return None

    # ---- one draw -----------------------------------------------------------------------------------------

    def _normalised(self, norm: str, thresholds) -> np.ndarray:
        from leaderkit.methods.scoring import normalise

        gp = goalposts_of(self.scheme, self.core, thresholds) if norm == "goalpost" else None
        return normalise(self.data, self.directions, norm, goalposts=gp).to_numpy()

    def _level_points(self) -> np.ndarray:
        """Points (4 level codes × indicators) that `level_points` gives each level code, as `rank` calls it:
        the score of a standard is Σ wⱼ points[codeⱼ, j], linear in the weights."""
        from leaderkit.methods.scoring import level_points

        rk = self.scheme.ranking
        points = rk.level_points if rk and rk.level_points else {"leader": 3, "advanced": 2, "baseline": 1}
        spec = {ind: {"direction": "higher", "thresholds": {lv: LEVEL_CODES[lv] for lv in self.thresholds[ind]
                                                            if lv in points}} for ind in self.ids}
        codes = pd.DataFrame({ind: np.arange(4.0) for ind in self.ids})
        return level_points(codes, spec, points, self.w0)[self.ids].to_numpy()

    def _points_keys(self, levels: np.ndarray) -> np.ndarray:
        earned = self.points[levels, np.arange(len(self.ids))]
        return aggregation_keys(earned, self.w0, "amean", self.index, self.ids)

    def _ranks_once(self, w: np.ndarray | None) -> np.ndarray:
        from leaderkit.methods.scoring import lexicographic, topsis

        if self.method == "topsis":
            return topsis(self.data, self.directions, w)["rank"].to_numpy()
        rk = self.scheme.ranking
        by_name = {ind.name: ind.id for ind in self.core}
        priority = [by_name.get(p, p) for p in (rk.priority if rk and rk.priority else self.ids)]
        return lexicographic(self.data, self.directions, priority)["rank"].to_numpy()

    def thresholds_at(self, inputs: list[_Input], values, d: int):
        """The thresholds of draw `d` as numbers: a one-sided limit × (1 + u); an interval keeps its midpoint
        and its half-width × (1 + u); an alternative replaces the threshold."""
        out = {ind: dict(levels) for ind, levels in self.thresholds.items()}
        for inp in inputs:
            if inp.kind == "choice":
                (ind, level), = inp.targets
                out[ind][level] = inp.bounds[values[inp.path][d]]
            elif inp.kind == "thresholds":
                for (ind, level), u in zip(inp.targets, values[inp.path][d], strict=True):
                    lo, hi = out[ind][level]
                    if np.isnan(lo) or np.isnan(hi):
                        out[ind][level] = (lo * (1 + u), hi * (1 + u))
                    else:
                        half = (hi - lo) / 2
                        out[ind][level] = (lo - half * u, hi + half * u)
        return out

    def ranks(self, inputs: list[_Input], values, part: range,
              ranker) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """Ranks (draws × standards) of the draws in `part`, and their levels when thresholds move."""
        moving = [inp for inp in inputs
                  if inp.kind in ("thresholds", "choice") and self.effect(inp) is not None]
        thresholds = [self.thresholds_at(moving, values, d) for d in part] if moving else None
        levels = None if thresholds is None else [levels_reached(self.core, self.lower, self.upper, t)
                                                  for t in thresholds]
        drawn = {inp.kind: values[inp.path][part.start:part.stop] for inp in inputs}
        if self.method in ("topsis", "lexicographic"):
            if "weights" not in drawn:  # no draw changes them (a lexicographic scheme has no weights)
                return np.broadcast_to(self.fixed_ranks, (len(part), self.m)).astype(np.int32), levels
            return ranker(topsis_keys(self.transforms["topsis"], drawn["weights"])), levels
        weights = drawn.get("weights", np.broadcast_to(self.w0, (len(part), len(self.ids))))
        if self.method == "levels":
            if levels is None:
                return ranker(weights @ self.transforms[0, 0]), levels
            keys = np.array([w @ self._points_keys(lv) for w, lv in zip(weights, levels, strict=True)])
            return ranker(keys), levels
        none = np.zeros(len(part), dtype=np.int64)
        codes = {kind: drawn.get(kind, none) for kind in ("normalise", "aggregate")}
        keys = weighted_keys(self.transforms, weights, codes["normalise"], codes["aggregate"])
        if thresholds is not None and any(self.goalpost_levels.intersection(inp.targets) for inp in moving):
            for i in np.nonzero(np.array(self.normalisations)[codes["normalise"]] == "goalpost")[0]:
                z = self._normalised("goalpost", thresholds[i])
                keys[i] = weights[i] @ aggregation_keys(z, self.w0, self.aggregations[codes["aggregate"][i]],
                                                        self.index, self.ids)
        return ranker(keys), levels

    def leaders(self, ranks: np.ndarray, levels: list[np.ndarray] | None) -> np.ndarray:
        """Leader flags (draws × standards) by the scheme's rule, `leaders.choose_leaders`, draw by draw."""
        everyone = np.ones(self.m, dtype=bool)
        return np.array([choose_leaders(self.scheme, r, everyone, lv, [])[0]
                         for r, lv in zip(ranks, levels or [self.levels] * len(ranks), strict=True)])

    def draws_frame(self, inputs: list[_Input], main, n: int) -> pd.DataFrame:
        """One row per draw, one column per concrete path: the weight drawn, the threshold factor 1 + u, or
        the alternative chosen."""
        columns: dict[str, Any] = {}
        for inp in inputs:
            if inp.kind == "weights":
                columns.update({f"indicators.{i}.weight": main[inp.path][:, j]
                                for j, i in enumerate(self.ids)})
            elif inp.kind == "thresholds":
                columns.update({f"indicators.{i}.levels.{lv}": 1 + main[inp.path][:, t]
                                for t, (i, lv) in enumerate(inp.targets)})
            else:
                columns[inp.path] = np.array(inp.value, dtype=object)[main[inp.path]]
        return pd.DataFrame(columns, index=pd.RangeIndex(n, name="draw"))


def _threshold(scheme: Scheme, ind_id: str, level: str) -> tuple[float, float]:
    """One threshold of `scheme` as (lower, upper) in the scheme unit."""
    return threshold_values(scheme, [scheme.indicator(ind_id)])[ind_id][level]


def _number(value: Any) -> bool:
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool | np.bool_) and bool(np.isfinite(value)))
