"""Composite scores and rankings (综合评分与排序): the method layer.

Pure, vectorised functions on a DataFrame whose rows are standards (企业标准) and whose columns are
indicator values (指标值). They know nothing of the scheme file: a scheme names the method and the
parameters, and these functions carry them out.

- `normalise`, `aggregate`, `composite`: the composite-indicator steps with the definitions of COINr and
  the JRC-OECD handbook (min-max, z-score, rank, percentile rank, Borda, goalposts; weighted arithmetic,
  geometric and harmonic means).
- `rank_scores`: 1 = best, ties share the lowest rank number (1, 2, 2, 4).
- `topsis`, `entropy_weights`, `critic_weights`: 熵权TOPSIS, the method Chinese evaluation practice uses
  most.
- `level_points`: points for the level each indicator reaches (领跑/先进/基准 …), weighted.
- `lexicographic`: indicator priority order (字典序).

Missing values are never treated as zero: every function refuses them with an error naming the rows and
indicators, unless an imputation is named ("mean", "median", "worst"), in which case every filled cell is
reported in the result's ``attrs["imputed"]``. docs/METHODS.md gives the formulas.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text

NORMALISATIONS = ("minmax", "zscore", "rank", "prank", "borda", "goalpost")
AGGREGATIONS = ("amean", "gmean", "hmean")
IMPUTATIONS = ("mean", "median", "worst")
DEFAULT_SCALE = {"minmax": (0.0, 100.0), "zscore": (0.0, 1.0), "goalpost": (0.0, 100.0)}
TIE_RTOL = 1e-10
"""Scores closer than this share of the largest absolute score are ties (floating-point noise)."""

_DIRECTION_WORDS = {"higher": 1, "lower": -1, "正向": 1, "负向": -1}
_SHOWN = 5


class ScoringError(LeaderkitError):
    """A scoring or ranking input that cannot be used as given (评分输入错误)."""


class MissingDataError(ScoringError):
    """Missing indicator values and no imputation named (指标值缺失)."""


def _listing(items: Sequence[Any]) -> str:
    shown = ", ".join(str(i) for i in items[:_SHOWN])
    return shown + (f" … (+{len(items) - _SHOWN})" if len(items) > _SHOWN else "")


def parse_directions(directions: Mapping[str, Any]) -> dict[str, int]:
    """Indicator → +1 (higher is better, 正向) or −1 (lower is better, 负向).

    Accepts 1 / −1, "higher" / "lower" and "正向" / "负向".
    """
    if not isinstance(directions, Mapping) or not directions:
        raise ScoringError(
            "未给出指标方向。",
            "No indicator directions given.",
            hint=Text('传入 {指标: 1 或 -1} 或 {指标: "higher"/"lower"}。',
                      'Pass {indicator: 1 or -1} or {indicator: "higher"/"lower"}.'),
        )
    out = {}
    for name, value in directions.items():
        sign = _DIRECTION_WORDS.get(value) if isinstance(value, str) else None
        if sign is None and not isinstance(value, (str, bool)) and value in (1, -1):
            sign = int(value)
        if sign is None:
            raise ScoringError(
                f"指标“{name}”的方向 {value!r} 无法识别。",
                f"Direction {value!r} of indicator '{name}' is not understood.",
                where=f"directions[{name!r}]",
                hint=Text('方向写 1（越大越好）或 -1（越小越好），也可写 "higher" / "lower"。',
                          'Write 1 (higher is better) or -1 (lower is better), or "higher" / "lower".'),
            )
        out[str(name)] = sign
    return out


def _check_columns(data: pd.DataFrame, indicators: Sequence[str], what: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ScoringError(
            "数据必须是 pandas DataFrame（行：标准，列：指标）。",
            "Data must be a pandas DataFrame (rows: standards, columns: indicators).",
        )
    missing = [i for i in indicators if i not in data.columns]
    if missing:
        raise ScoringError(
            f"{what}中的指标不在数据列中：{_listing(missing)}。",
            f"Indicator(s) named in {what} not found in the data columns: {_listing(missing)}.",
            where=f"{what}: {missing[0]!r}",
            hint=Text(f"数据的列有：{_listing(list(data.columns))}。检查拼写。",
                      f"The data has columns: {_listing(list(data.columns))}. Check the spelling."),
        )
    if len(data) == 0:
        raise ScoringError("数据没有任何行。", "The data has no rows.")
    if data.index.has_duplicates:
        dup = data.index[data.index.duplicated()].unique().tolist()
        raise ScoringError(
            f"行标签重复：{_listing(dup)}。",
            f"Duplicate row labels: {_listing(dup)}.",
            hint=Text("每个标准一行，用唯一的标准编号作索引。",
                      "One row per standard, indexed by a unique standard id."),
        )


def _numeric_matrix(data: pd.DataFrame, indicators: Sequence[str]) -> np.ndarray:
    frame = data if list(data.columns) == list(indicators) else data[list(indicators)]
    if all(isinstance(t, np.dtype) and t.kind in "fiu" for t in frame.dtypes):
        return frame.to_numpy(dtype=float)
    for name in indicators:
        col = data[name]
        if not (pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)):
            converted = pd.to_numeric(col, errors="coerce")
            bad = col[converted.isna() & col.notna()]
            if len(bad):
                raise ScoringError(
                    f"指标“{name}”含非数值：行 {bad.index[0]!r} 的值为 {bad.iloc[0]!r}。",
                    f"Indicator '{name}' holds a non-numeric value: {bad.iloc[0]!r} in row {bad.index[0]!r}.",
                    where=f"row {bad.index[0]!r}, column {name!r}",
                    hint=Text("先用要求解析把文本转换为数值。", "Parse requirement texts to numbers first."),
                )
    return frame.apply(pd.to_numeric).to_numpy(dtype=float, na_value=np.nan)


def _impute(
    x: np.ndarray, index: pd.Index, indicators: Sequence[str], signs: np.ndarray, imputation: str | None
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    holes = np.isnan(x)
    if not holes.any():
        return x, []
    rows, cols = np.nonzero(holes)
    cells = [f"({index[r]!r}, {indicators[c]!r})" for r, c in zip(rows[:_SHOWN], cols[:_SHOWN], strict=True)]
    if imputation is None:
        raise MissingDataError(
            f"有 {len(rows)} 个指标值缺失，缺失值不会被当作 0：{_listing(cells)}。",
            f"{len(rows)} indicator value(s) are missing; a missing value is never taken as 0: {_listing(cells)}.",
            where=f"row {index[rows[0]]!r}, column {indicators[cols[0]]!r}",
            hint=Text('补齐数据，或指定插补方法 imputation="mean" / "median" / "worst"（会在结果中报告）。',
                      'Complete the data, or name an imputation: imputation="mean" / "median" / "worst" '
                      "(it is reported in the result)."),
        )
    if imputation not in IMPUTATIONS:
        raise ScoringError(
            f"未知的插补方法 {imputation!r}。",
            f"Unknown imputation {imputation!r}.",
            hint=Text(f"可选：{', '.join(IMPUTATIONS)}。", f"Choose one of: {', '.join(IMPUTATIONS)}."),
        )
    empty = np.nonzero(holes.all(axis=0))[0]
    if len(empty):
        names = [indicators[c] for c in empty]
        raise MissingDataError(
            f"指标全部缺失，无法插补：{_listing(names)}。",
            f"Indicator(s) with no value at all cannot be imputed: {_listing(names)}.",
            where=f"column {names[0]!r}",
        )
    if imputation == "mean":
        fill = np.nanmean(x, axis=0)
    elif imputation == "median":
        fill = np.nanmedian(x, axis=0)
    else:
        fill = signs * np.nanmin(x * signs, axis=0)
    filled = np.where(holes, fill, x)
    report = [
        {"row": index[r], "indicator": indicators[c], "imputation": imputation, "value": float(fill[c])}
        for r, c in zip(rows, cols, strict=True)
    ]
    return filled, report


def _prepare(
    data: pd.DataFrame, directions: Mapping[str, Any], imputation: str | None
) -> tuple[list[str], np.ndarray, np.ndarray, list[dict[str, Any]]]:
    dirs = parse_directions(directions)
    indicators = list(dirs)
    _check_columns(data, indicators, "directions")
    signs = np.array([dirs[i] for i in indicators], dtype=float)
    x = _numeric_matrix(data, indicators)
    if np.isinf(x).any():
        r, c = (v[0] for v in np.nonzero(np.isinf(x)))
        raise ScoringError(
            f"指标值为无穷大：行 {data.index[r]!r}，列 {indicators[c]!r}。",
            f"Infinite indicator value in row {data.index[r]!r}, column {indicators[c]!r}.",
            where=f"row {data.index[r]!r}, column {indicators[c]!r}",
        )
    x, report = _impute(x, data.index, indicators, signs, imputation)
    return indicators, signs, x, report


def impute(data: pd.DataFrame, directions: Mapping[str, Any],
           imputation: str | None) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Fill missing indicator values by a named imputation (插补): "mean", "median" or "worst" (the
    worst observed value in the indicator's direction). Returns the filled frame and one report entry
    per filled cell (row, indicator, imputation, value). With imputation None a missing value is
    refused (MissingDataError), never taken as 0."""
    indicators, _, filled, report = _prepare(data, directions, imputation)
    return pd.DataFrame(filled, index=data.index, columns=indicators), report


def weight_vector(weights: Mapping[str, float] | Sequence[float] | None, indicators: Sequence[str]) -> np.ndarray:
    """Weights in the order of `indicators`, renormalised to sum 1 (equal weights if None).

    A mapping must name exactly the indicators; a sequence must have one weight per indicator.
    Negative, non-finite or all-zero weights are refused.
    """
    k = len(indicators)
    if weights is None:
        return np.full(k, 1.0 / k)
    if isinstance(weights, Mapping | pd.Series):
        names = [str(n) for n in weights.keys()]
        unknown = [n for n in names if n not in indicators]
        if unknown:
            raise ScoringError(
                f"权重中的指标未在方向中定义：{_listing(unknown)}。",
                f"Weight given for indicator(s) with no direction: {_listing(unknown)}.",
                where=f"weights[{unknown[0]!r}]",
                hint=Text(f"已定义的指标：{_listing(list(indicators))}。",
                          f"Defined indicators: {_listing(list(indicators))}."),
            )
        absent = [n for n in indicators if n not in names]
        if absent:
            raise ScoringError(
                f"缺少指标的权重：{_listing(absent)}。",
                f"No weight given for indicator(s): {_listing(absent)}.",
                where=f"weights[{absent[0]!r}]",
                hint=Text("为每个指标给出权重（不参与的指标写 0）。",
                          "Give every indicator a weight (0 for one that should not count)."),
            )
        w = np.array([float(weights[n]) for n in indicators])
    else:
        w = np.asarray(weights, dtype=float).ravel()
        if w.shape != (k,):
            raise ScoringError(
                f"权重个数 {w.size} 与指标个数 {k} 不符。",
                f"{w.size} weight(s) given for {k} indicator(s).",
            )
    bad = [indicators[i] for i in np.nonzero(~np.isfinite(w) | (w < 0))[0]]
    if bad:
        raise ScoringError(
            f"权重必须是非负有限数：{_listing(bad)}。",
            f"Weights must be finite and non-negative: {_listing(bad)}.",
            where=f"weights[{bad[0]!r}]",
        )
    total = w.sum()
    if total <= 0:
        raise ScoringError(
            "权重全部为 0。", "All weights are zero.",
            hint=Text("至少一个指标的权重要大于 0。", "Give at least one indicator a positive weight."),
        )
    return w / total


def _scale(method: str, scale: tuple[float, float] | None) -> tuple[float, float]:
    if method not in DEFAULT_SCALE:
        if scale is not None:
            raise ScoringError(
                f"归一化方法 {method!r} 不接受 scale 参数。",
                f"Normalisation {method!r} takes no scale.",
                hint=Text("scale 只用于 minmax、goalpost（上下界）和 zscore（均值、标准差）。",
                          "scale applies to minmax and goalpost (l, u) and zscore (m, s) only."),
            )
        return (0.0, 1.0)
    if scale is None:
        return DEFAULT_SCALE[method]
    lo, hi = (float(v) for v in scale)
    if method == "zscore" and not hi > 0:
        raise ScoringError(
            f"zscore 的标准差 s 必须大于 0，收到 {hi}。", f"The zscore spread s must be > 0, got {hi}."
        )
    if method != "zscore" and not hi > lo:
        raise ScoringError(
            f"{method} 的区间 (l, u) 必须 l < u，收到 ({lo}, {hi})。",
            f"The {method} range (l, u) needs l < u, got ({lo}, {hi}).",
        )
    return lo, hi


def _goalpost_matrix(goalposts: Mapping[str, Sequence[float]] | None, indicators: Sequence[str],
                     signs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if goalposts is None:
        raise ScoringError(
            "goalpost 归一化需要每个指标的两个门槛值。",
            "Goalpost normalisation needs two goalposts per indicator.",
            hint=Text('传入 goalposts={指标: (国家标准限值, 领跑者水平)}。',
                      'Pass goalposts={indicator: (national limit, leader level)}.'),
        )
    absent = [i for i in indicators if i not in goalposts]
    unknown = [g for g in goalposts if g not in indicators]
    if absent or unknown:
        raise ScoringError(
            f"门槛值与指标不对应：缺少 {_listing(absent) or '无'}，多余 {_listing(unknown) or '无'}。",
            f"Goalposts do not match the indicators: missing {_listing(absent) or 'none'}, "
            f"unknown {_listing(unknown) or 'none'}.",
            where=f"goalposts[{(absent or unknown)[0]!r}]",
        )
    pairs = np.array([[float(v) for v in goalposts[i]] for i in indicators])
    if pairs.shape != (len(indicators), 2) or not np.isfinite(pairs).all():
        raise ScoringError("每个指标的门槛值必须是两个有限数。", "Each indicator needs two finite goalposts.")
    same = [indicators[i] for i in np.nonzero(pairs[:, 0] == pairs[:, 1])[0]]
    if same:
        raise ScoringError(
            f"指标“{same[0]}”的两个门槛值相同。", f"The two goalposts of '{same[0]}' are equal.",
            where=f"goalposts[{same[0]!r}]",
        )
    adjusted = pairs * signs[:, None]
    return adjusted.min(axis=1), adjusted.max(axis=1)


def normalise_array(
    x: np.ndarray,
    signs: np.ndarray,
    method: str = "minmax",
    scale: tuple[float, float] | None = None,
    goalposts: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Normalise a complete (rows × indicators) array; returns (normalised, constant-column mask).

    `goalposts` is (worse, better) per indicator already multiplied by the direction signs.
    """
    if method not in NORMALISATIONS:
        raise ScoringError(
            f"未知的归一化方法 {method!r}。",
            f"Unknown normalisation {method!r}.",
            hint=Text(f"可选：{', '.join(NORMALISATIONS)}。", f"Choose one of: {', '.join(NORMALISATIONS)}."),
        )
    lo, hi = _scale(method, scale)
    # work on the (indicators × rows) layout, contiguous per indicator: pandas' own block layout
    yt = np.ascontiguousarray(x.T) * signs[:, None]
    n = yt.shape[1]
    mn = yt.min(axis=1)
    span = yt.max(axis=1) - mn
    constant = span == 0
    # in-place arithmetic: large temporaries cost more than the arithmetic itself
    if method == "minmax":
        zt = yt
        zt -= mn[:, None]
        zt *= np.where(constant, 0.0, (hi - lo) / np.where(constant, 1.0, span))[:, None]
        zt += np.where(constant, (lo + hi) / 2, lo)[:, None]
    elif method == "zscore":
        if n < 2:
            raise ScoringError("zscore 至少需要 2 行数据。", "zscore needs at least 2 rows.")
        sd = yt.std(axis=1, ddof=1)
        zt = yt
        zt -= yt.mean(axis=1)[:, None]
        zt *= np.where(constant, 0.0, hi / np.where(constant, 1.0, sd))[:, None]
        zt += lo
    elif method == "goalpost":
        worse, better = goalposts
        zt = yt
        zt -= worse[:, None]
        zt /= (better - worse)[:, None]
        np.clip(zt, 0.0, 1.0, out=zt)
        zt *= hi - lo
        zt += lo
        constant = np.zeros_like(constant)
    else:
        from scipy.stats import rankdata

        r = rankdata(yt, method="min", axis=1).astype(float)
        if method == "rank":
            zt = r
        elif method == "borda":
            zt = r - 1
        else:
            if n < 2:
                raise ScoringError("prank 至少需要 2 行数据。", "prank needs at least 2 rows.")
            zt = (r - 1) / (n - 1)
    return zt.T, constant


def normalise(
    data: pd.DataFrame,
    directions: Mapping[str, Any],
    method: str = "minmax",
    scale: tuple[float, float] | None = None,
    *,
    goalposts: Mapping[str, Sequence[float]] | None = None,
    imputation: str | None = None,
) -> pd.DataFrame:
    """Normalise the indicator columns (指标归一化), COINr / JRC-OECD definitions.

    Direction −1 multiplies the values by −1 first. Then, per indicator column y:

    - ``minmax``: (y − min)/(max − min)·(u − l) + l, scale (l, u) default (0, 100);
    - ``zscore``: (y − mean)/sd·s + m, sample sd (n − 1), scale (m, s) default (0, 1);
    - ``rank``: ascending rank, ties take the lowest rank number (1 = worst);
      ``prank``: (rank − 1)/(n − 1); ``borda``: rank − 1;
    - ``goalpost``: (y − worse)/(better − worse) clipped to [0, 1], then ·(u − l) + l, scale default
      (0, 100); `goalposts` gives two values per indicator in its own units (e.g. the national limit and
      the leader level); the direction decides which one is the worse end.

    A constant column (max = min) has no spread: minmax gives it the middle of the scale (l + u)/2 and
    zscore gives it m; such columns are listed in ``attrs["constant"]``.
    """
    indicators, signs, x, report = _prepare(data, directions, imputation)
    gp = _goalpost_matrix(goalposts, indicators, signs) if method == "goalpost" else None
    z, constant = normalise_array(x, signs, method, scale, gp)
    out = pd.DataFrame(z, index=data.index, columns=indicators)
    out.attrs["imputed"] = report
    out.attrs["constant"] = [indicators[i] for i in np.nonzero(constant)[0]]
    return out


def _refuse_non_positive(z: np.ndarray, w: np.ndarray, method: str, index: pd.Index,
                         indicators: Sequence[str]) -> None:
    bad = (z <= 0) & (w > 0)
    if bad.any():
        rows, cols = np.nonzero(bad)
        cells = [f"({index[r]!r}, {indicators[c]!r})" for r, c in zip(rows[:_SHOWN], cols[:_SHOWN], strict=True)]
        name = {"gmean": ("几何平均", "geometric mean"), "hmean": ("调和平均", "harmonic mean")}[method]
        raise ScoringError(
            f"{name[0]}要求归一化值全部大于 0，有 {len(rows)} 个值 ≤ 0：{_listing(cells)}。",
            f"The {name[1]} needs every normalised value > 0; {len(rows)} value(s) are ≤ 0: {_listing(cells)}.",
            where=f"row {index[rows[0]]!r}, column {indicators[cols[0]]!r}",
            hint=Text('用正的区间归一化，例如 normalise="minmax", scale=(1, 100)，或改用 amean。',
                      'Normalise onto a positive range, e.g. normalise="minmax", scale=(1, 100), or use amean.'),
        )


def aggregate_array(z: np.ndarray, w: np.ndarray, method: str = "amean") -> np.ndarray:
    """Weighted mean of each row of `z` with weights `w` summing to 1 (values already checked)."""
    if method == "amean":
        return z @ w
    if method == "gmean":
        with np.errstate(divide="ignore"):
            logs = np.where(w > 0, np.log(np.where(w > 0, z, 1.0)), 0.0)
        return np.exp(logs @ w)
    if method == "hmean":
        return 1.0 / (np.where(w > 0, 1.0 / np.where(w > 0, z, 1.0), 0.0) @ w)
    raise ScoringError(
        f"未知的汇总方法 {method!r}。",
        f"Unknown aggregation {method!r}.",
        hint=Text(f"可选：{', '.join(AGGREGATIONS)}。", f"Choose one of: {', '.join(AGGREGATIONS)}."),
    )


def aggregate(
    normalised: pd.DataFrame, weights: Mapping[str, float] | None = None, method: str = "amean"
) -> pd.Series:
    """Weighted mean per row (加权汇总), weights renormalised to sum 1:

    - ``amean``: Σ wᵢ zᵢ;
    - ``gmean``: Π zᵢ^wᵢ — refuses any zᵢ ≤ 0 with a positive weight;
    - ``hmean``: 1 / Σ (wᵢ / zᵢ) — refuses any zᵢ ≤ 0 with a positive weight.

    Missing values are refused (normalise with an imputation first).
    """
    indicators = [str(c) for c in normalised.columns]
    w = weight_vector(weights, indicators)
    z = normalised.to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(z).any():
        _impute(z, normalised.index, indicators, np.ones(len(indicators)), None)
    if method in ("gmean", "hmean"):
        _refuse_non_positive(z, w, method, normalised.index, indicators)
    return pd.Series(aggregate_array(z, w, method), index=normalised.index, name="score")


def min_ranks(keys: np.ndarray) -> np.ndarray:
    """Min-ranks (int32) of each row of a 2-D array of keys where the LOWEST key is best.

    Keys within TIE_RTOL × the row's largest |key| of their neighbour in sorted order tie; tied keys
    share the lowest rank number (1, 2, 2, 4).
    """
    m, n = keys.shape
    order = np.argsort(keys, axis=1)
    ordered = np.take_along_axis(keys, order, axis=1)
    tol = TIE_RTOL * np.maximum(np.abs(ordered[:, :1]), np.abs(ordered[:, -1:]))
    gaps = (ordered[:, 1:] - ordered[:, :-1]) > tol
    positions = np.arange(1, n + 1, dtype=np.int32)
    if gaps.all():
        sorted_ranks = np.broadcast_to(positions, (m, n))
    else:
        first = np.ones((m, n), dtype=bool)
        first[:, 1:] = gaps
        sorted_ranks = np.maximum.accumulate(np.where(first, positions, 0), axis=1)
    ranks = np.empty((m, n), dtype=np.int32)
    np.put_along_axis(ranks, order, sorted_ranks, axis=1)
    return ranks


def rank_array(scores: np.ndarray) -> np.ndarray:
    """Min-ranks (int64) of `scores` (1-D, or 2-D draws × rows ranked per row): highest score = 1,
    ties 1, 2, 2, 4. Scores within TIE_RTOL × max |score| of their neighbour in sorted order tie.
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim == 2:
        return min_ranks(-s).astype(np.int64)
    order = np.argsort(-s)
    ordered = s[order]
    first = np.ones(len(s), dtype=bool)
    first[1:] = (ordered[:-1] - ordered[1:]) > TIE_RTOL * max(abs(ordered[0]), abs(ordered[-1]))
    positions = np.arange(1, len(s) + 1, dtype=np.int64)
    ranks = np.empty(len(s), dtype=np.int64)
    ranks[order] = positions if first.all() else np.maximum.accumulate(np.where(first, positions, 0))
    return ranks


def rank_scores(scores: pd.Series | Sequence[float] | np.ndarray) -> pd.Series | np.ndarray:
    """Rank scores (排名): 1 = best, ties share the lowest rank number (1, 2, 2, 4).

    Same as scipy's ``rankdata(-scores, method="min")``, except that scores differing by less than
    TIE_RTOL × max |score| (floating-point noise such as 0.1 + 0.2 vs 0.3) are ties. Missing scores are
    refused. A Series keeps its index; anything else gives a numpy array.
    """
    values = np.asarray(scores, dtype=float)
    if values.ndim != 1:
        raise ScoringError("rank_scores 需要一维分数。", "rank_scores needs one-dimensional scores.")
    if np.isnan(values).any():
        where = scores.index[np.isnan(values)][0] if isinstance(scores, pd.Series) else int(np.argmax(np.isnan(values)))
        raise MissingDataError(
            f"分数缺失，无法排名：{where!r}。", f"Missing score, cannot rank: {where!r}.", where=f"row {where!r}"
        )
    ranks = rank_array(values) if len(values) else np.zeros(0, dtype=np.int64)
    if isinstance(scores, pd.Series):
        return pd.Series(ranks, index=scores.index, name="rank")
    return ranks


def top_count(n: int, *, top_n: int | None = None, top_percent: float | None = None) -> int:
    """How many of `n` ranked entries a leader rule takes (领跑者人数): `top_n`, or the top `top_percent` %
    as max(1, ⌊n · p / 100⌋) (a hair of tolerance so 10 % of 30 is 3, not 2 by rounding)."""
    if top_n is not None:
        return int(top_n)
    return max(1, math.floor(n * float(top_percent) / 100 + 1e-9))


def composite_scores(
    x: np.ndarray,
    signs: np.ndarray,
    w: np.ndarray,
    normalise: str = "minmax",
    aggregate: str = "amean",
    scale: tuple[float, float] | None = None,
    *,
    goalposts: Mapping[str, Sequence[float]] | None = None,
    index: pd.Index,
    indicators: Sequence[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`composite` on arrays already checked: `x` complete and finite (rows × indicators), `signs` ±1 per
    indicator, `w` from `weight_vector`; `index` and `indicators` name rows and columns in errors.
    Returns (normalised values, constant-column mask, score); `rank_array(score)` gives the ranks."""
    gp = _goalpost_matrix(goalposts, indicators, signs) if normalise == "goalpost" else None
    z, constant = normalise_array(x, signs, normalise, scale, gp)
    if aggregate in ("gmean", "hmean"):
        _refuse_non_positive(z, w, aggregate, index, indicators)
    return z, constant, aggregate_array(z, w, aggregate)


def composite(
    data: pd.DataFrame,
    directions: Mapping[str, Any],
    weights: Mapping[str, float] | None = None,
    normalise: str = "minmax",
    aggregate: str = "amean",
    scale: tuple[float, float] | None = None,
    imputation: str | None = None,
    *,
    goalposts: Mapping[str, Sequence[float]] | None = None,
) -> pd.DataFrame:
    """Composite score and rank (综合得分与排名): normalise, weight, aggregate, rank.

    Returns the normalised indicators plus ``score`` and ``rank`` (1 = best, ties 1, 2, 2, 4), indexed
    like `data`. The method is recorded in ``attrs["method"]`` (directions, weights after
    renormalisation, normalisation, scale, aggregation, imputation); ``attrs["imputed"]`` lists every
    imputed cell (row, indicator, imputation, value) and ``attrs["constant"]`` the indicators without
    spread. See `normalise` and `aggregate` for the formulas.
    """
    indicators, signs, x, report = _prepare(data, directions, imputation)
    w = weight_vector(weights, indicators)
    z, constant, score = composite_scores(x, signs, w, normalise, aggregate, scale, goalposts=goalposts,
                                          index=data.index, indicators=indicators)
    # one column per indicator, each a row of z's (indicators × rows) layout, score and rank: no copy, and
    # no column inserted afterwards (an insert copies the frame's values)
    columns = dict(zip(indicators, np.ascontiguousarray(z.T), strict=True))
    columns["score"] = score
    columns["rank"] = rank_array(score)
    out = pd.DataFrame(columns, index=data.index, copy=False)
    out.attrs["method"] = {
        "directions": dict(zip(indicators, signs.astype(int).tolist(), strict=True)),
        "weights": dict(zip(indicators, w.tolist(), strict=True)),
        "normalise": normalise,
        "scale": list(_scale(normalise, scale)) if normalise in DEFAULT_SCALE else None,
        "aggregate": aggregate,
        "imputation": imputation,
    }
    out.attrs["imputed"] = report
    out.attrs["constant"] = [indicators[i] for i in np.nonzero(constant)[0]]
    return out


def topsis(
    data: pd.DataFrame,
    directions: Mapping[str, Any],
    weights: Mapping[str, float] | Sequence[float] | None = None,
    *,
    imputation: str | None = None,
) -> pd.DataFrame:
    """TOPSIS (逼近理想解排序法): vector normalisation, Euclidean distances, closeness.

    rᵢⱼ = xᵢⱼ / √(Σᵢ xᵢⱼ²); vᵢⱼ = wⱼ rᵢⱼ (weights renormalised to sum 1);
    ideal A⁺ⱼ = max_i vᵢⱼ for higher-is-better, min for lower-is-better; anti-ideal A⁻ the opposite;
    D⁺ᵢ = ‖vᵢ − A⁺‖₂, D⁻ᵢ = ‖vᵢ − A⁻‖₂, closeness Cᵢ = D⁻ᵢ / (D⁺ᵢ + D⁻ᵢ) ∈ [0, 1].

    Returns ``d_plus``, ``d_minus``, ``score`` (= closeness) and ``rank``. An all-zero column is refused
    (it has no vector norm). If every row is identical on the weighted columns, D⁺ + D⁻ = 0: every
    closeness is set to 0.5 and every row ranks 1.
    """
    indicators, signs, x, report = _prepare(data, directions, imputation)
    w = weight_vector(weights, indicators)
    norm = np.sqrt((x * x).sum(axis=0))
    zero = [indicators[i] for i in np.nonzero(norm == 0)[0]]
    if zero:
        raise ScoringError(
            f"指标“{zero[0]}”全部为 0，无法做向量归一化。",
            f"Indicator '{zero[0]}' is all zero: it has no vector norm.",
            where=f"column {zero[0]!r}",
            hint=Text("删除该指标或给它权重 0 之前先去掉该列。", "Drop the indicator from the directions."),
        )
    v = x / norm * w
    higher = signs > 0
    ideal = np.where(higher, v.max(axis=0), v.min(axis=0))
    anti = np.where(higher, v.min(axis=0), v.max(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    total = d_plus + d_minus
    closeness = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 0.5)
    out = pd.DataFrame({"d_plus": d_plus, "d_minus": d_minus, "score": closeness}, index=data.index)
    out["rank"] = rank_array(closeness)
    out.attrs["method"] = {
        "method": "topsis",
        "directions": dict(zip(indicators, signs.astype(int).tolist(), strict=True)),
        "weights": dict(zip(indicators, w.tolist(), strict=True)),
        "imputation": imputation,
    }
    out.attrs["imputed"] = report
    return out


def _unit_minmax(x: np.ndarray, signs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z, constant = normalise_array(x, signs, "minmax", (0.0, 1.0))
    return np.where(constant, 0.0, z), constant


def _objective_result(raw: np.ndarray, indicators: Sequence[str], what: tuple[str, str]) -> pd.Series:
    total = raw.sum()
    if not total > 0:
        raise ScoringError(
            f"{what[0]}：所有指标都没有差异，无法确定权重。",
            f"{what[1]}: no indicator varies across the rows, so no weight can be derived.",
            hint=Text("至少需要一个在各标准间取值不同的指标。", "At least one indicator must differ between rows."),
        )
    return pd.Series(raw / total, index=list(indicators), name="weight")


def entropy_weights(
    data: pd.DataFrame, directions: Mapping[str, Any], *, imputation: str | None = None
) -> pd.Series:
    """Entropy weights (熵权法), in the form used in Chinese evaluation practice.

    1. Direction-aware min-max onto [0, 1]: higher-is-better zᵢⱼ = (xᵢⱼ − minⱼ)/(maxⱼ − minⱼ),
       lower-is-better zᵢⱼ = (maxⱼ − xᵢⱼ)/(maxⱼ − minⱼ). Negative raw values are therefore fine, and
       the worst row of each indicator gets zᵢⱼ = 0.
    2. Shares pᵢⱼ = zᵢⱼ / Σᵢ zᵢⱼ.
    3. Entropy eⱼ = −(1/ln n) Σᵢ pᵢⱼ ln pᵢⱼ with 0 · ln 0 = 0 (its limit); no shift such as +0.0001 is added.
    4. Divergence dⱼ = 1 − eⱼ, weight wⱼ = dⱼ / Σⱼ dⱼ.

    An indicator that is constant across rows carries no information: eⱼ = 1, wⱼ = 0. Needs n ≥ 2 rows
    and at least one non-constant indicator. Returns a Series indicator → weight summing to 1.
    """
    indicators, signs, x, _ = _prepare(data, directions, imputation)
    n = x.shape[0]
    if n < 2:
        raise ScoringError("熵权法至少需要 2 行数据。", "Entropy weights need at least 2 rows.")
    z, constant = _unit_minmax(x, signs)
    col_sum = np.where(constant, 1.0, z.sum(axis=0))
    p = z / col_sum
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    entropy = np.where(constant, 1.0, -plogp.sum(axis=0) / np.log(n))
    return _objective_result(1.0 - entropy, indicators, ("熵权法", "Entropy weights"))


def critic_weights(
    data: pd.DataFrame, directions: Mapping[str, Any], *, imputation: str | None = None
) -> pd.Series:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995; CRITIC 赋权法).

    1. Direction-aware min-max onto [0, 1] as in `entropy_weights`.
    2. Contrast σⱼ = standard deviation of column j (the n or n − 1 divisor cancels in step 4).
    3. Conflict Σₖ (1 − rⱼₖ) with rⱼₖ the Pearson correlation between columns j and k.
    4. Information Cⱼ = σⱼ Σₖ (1 − rⱼₖ), weight wⱼ = Cⱼ / Σⱼ Cⱼ.

    A constant indicator has σ = 0 and no defined correlation: it gets weight 0 and is left out of the
    other indicators' conflict sums. Needs n ≥ 2 rows. Returns a Series indicator → weight summing to 1.
    """
    indicators, signs, x, _ = _prepare(data, directions, imputation)
    if x.shape[0] < 2:
        raise ScoringError("CRITIC 至少需要 2 行数据。", "CRITIC weights need at least 2 rows.")
    z, constant = _unit_minmax(x, signs)
    sd = z.std(axis=0, ddof=1)
    live = ~constant
    info = np.zeros(len(indicators))
    if live.any():
        corr = np.atleast_2d(np.corrcoef(z[:, live], rowvar=False))
        info[live] = sd[live] * (1.0 - corr).sum(axis=0)
    return _objective_result(info, indicators, ("CRITIC 赋权", "CRITIC weights"))


def level_points(
    data: pd.DataFrame,
    levels: Mapping[str, Mapping[str, Any]],
    points: Mapping[str, float],
    weights: Mapping[str, float] | None = None,
    *,
    imputation: str | None = None,
) -> pd.DataFrame:
    """Level/tier scoring (分级计分): points for the highest level each indicator reaches, weighted.

    `levels` maps indicator → ``{"direction": "lower", "thresholds": {"leader": 0.5, "advanced": 0.6,
    "baseline": 0.8}}``; `points` maps level name → points, e.g. ``{"leader": 3, "advanced": 2,
    "baseline": 1}``. A value reaches a level when it is at least as good as the threshold
    (x ≥ t for higher-is-better, x ≤ t for lower-is-better: "以上/以下" include the number); it earns the
    points of the best level reached, 0 if none. A level worth more points must have a threshold at least
    as strict as every level worth fewer.

    Returns, per indicator, ``<indicator>`` (points) and ``<indicator>_level`` (level name, "" if none),
    then ``score`` = Σ wⱼ pointsⱼ (weights renormalised to sum 1, equal if None) and ``rank``.
    """
    if not isinstance(levels, Mapping) or not levels:
        raise ScoringError("未给出分级门槛。", "No levels given.")
    directions = {}
    for name, spec in levels.items():
        if not isinstance(spec, Mapping) or "direction" not in spec or "thresholds" not in spec:
            raise ScoringError(
                f"指标“{name}”的分级需写 direction 和 thresholds。",
                f"Levels of indicator '{name}' need 'direction' and 'thresholds'.",
                where=f"levels[{name!r}]",
            )
        directions[name] = spec["direction"]
    indicators, signs, x, report = _prepare(data, directions, imputation)
    w = weight_vector(weights, indicators)
    pts_table = {str(k): float(v) for k, v in points.items()}
    earned = np.zeros_like(x)
    reached_names = []
    for j, name in enumerate(indicators):
        thresholds = levels[name]["thresholds"]
        unknown = [lv for lv in thresholds if lv not in pts_table]
        if unknown:
            raise ScoringError(
                f"指标“{name}”的级别 {unknown[0]!r} 没有分值。",
                f"Level {unknown[0]!r} of indicator '{name}' has no points.",
                where=f"levels[{name!r}].thresholds[{unknown[0]!r}]",
                hint=Text(f"已定义分值的级别：{_listing(list(pts_table))}。",
                          f"Levels with points: {_listing(list(pts_table))}."),
            )
        ladder = sorted(((pts_table[lv], signs[j] * float(t), lv) for lv, t in thresholds.items()),
                        key=lambda item: item[0])
        for (p_lo, t_lo, lv_lo), (p_hi, t_hi, lv_hi) in zip(ladder, ladder[1:], strict=False):
            if p_hi > p_lo and t_hi < t_lo:
                raise ScoringError(
                    f"指标“{name}”的级别“{lv_hi}”分值更高，但门槛比“{lv_lo}”宽松。",
                    f"Level '{lv_hi}' of indicator '{name}' is worth more points but its threshold is looser "
                    f"than '{lv_lo}'.",
                    where=f"levels[{name!r}].thresholds",
                )
        y = x[:, j] * signs[j]
        names = np.full(len(y), "", dtype=object)
        for p, t, lv in ladder:
            hit = y >= t
            earned[:, j] = np.where(hit, p, earned[:, j])
            names = np.where(hit, lv, names)
        reached_names.append(names)
    score = earned @ w
    cols = {}
    for j, name in enumerate(indicators):
        cols[name] = earned[:, j]
        cols[f"{name}_level"] = reached_names[j]
    out = pd.DataFrame(cols, index=data.index)
    out["score"] = score
    out["rank"] = rank_array(score)
    out.attrs["method"] = {
        "method": "level_points",
        "levels": {k: dict(v) for k, v in levels.items()},
        "points": pts_table,
        "weights": dict(zip(indicators, w.tolist(), strict=True)),
        "imputation": imputation,
    }
    out.attrs["imputed"] = report
    return out


def lexicographic(
    data: pd.DataFrame,
    directions: Mapping[str, Any],
    priority: Sequence[str],
    *,
    imputation: str | None = None,
) -> pd.DataFrame:
    """Lexicographic ranking (按指标优先级排序): the first indicator in `priority` decides; the next one
    breaks exact ties, and so on. Rows equal on every priority indicator share the lowest rank number.

    Returns the priority columns and ``rank``.
    """
    priority = [str(p) for p in priority]
    if not priority:
        raise ScoringError("优先级列表为空。", "The priority list is empty.")
    dirs = parse_directions(directions)
    unknown = [p for p in priority if p not in dirs]
    if unknown:
        raise ScoringError(
            f"优先级中的指标没有方向：{_listing(unknown)}。",
            f"Indicator(s) in the priority have no direction: {_listing(unknown)}.",
            where=f"priority: {unknown[0]!r}",
        )
    indicators, signs, x, report = _prepare(data, {p: dirs[p] for p in priority}, imputation)
    y = x * signs
    order = np.lexsort(tuple(-y[:, j] for j in reversed(range(len(priority)))))
    ordered = y[order]
    n = len(order)
    first = np.ones(n, dtype=bool)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    sorted_ranks = np.maximum.accumulate(np.where(first, np.arange(1, n + 1), 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = sorted_ranks
    out = pd.DataFrame(x, index=data.index, columns=indicators)
    out["rank"] = ranks
    out.attrs["method"] = {"method": "lexicographic", "priority": priority,
                           "directions": dict(zip(indicators, signs.astype(int).tolist(), strict=True))}
    out.attrs["imputed"] = report
    return out
