"""Comparing two schemes' lists on the same standards (方案比较).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text, tr
from leaderkit.ranking.result import (
    Prepared,
    Ranking,
    rank,
)
from leaderkit.schemes.model import Scheme


@dataclass
class SchemeComparison:
    """Two schemes' lists on the same standards (方案比较): metrics, movers and both rankings.

    `movers` is built when first read (a slider callback that shows only the metrics does not pay for it)."""

    a: Ranking
    b: Ranking
    metrics: dict[str, Any]
    _movers: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def movers(self) -> pd.DataFrame:
        """standard_id, enterprise, rank_a, rank_b, change (rank_a − rank_b, positive = better under B),
        leader_a, leader_b: the standards whose rank or leader status differs, largest move first."""
        if self._movers is None:
            self._movers = _movers(self.a, self.b)
        return self._movers

    def summary(self) -> str:
        m = self.metrics
        return "\n".join([
            tr(f"方案 A {self.a.scheme.id} 与方案 B {self.b.scheme.id}",
               f"Scheme A {self.a.scheme.id} vs scheme B {self.b.scheme.id}"),
            f"Kendall τ = {m['kendall_tau']:.3f}, Spearman ρ = {m['spearman_rho']:.3f}, WS = {m['ws']:.3f}",
            tr(f"共同排名 {m['n_common']} 项，仅 A {m['n_only_a']} 项，仅 B {m['n_only_b']} 项；"
               f"领跑者重合 Jaccard = {m['leader_overlap_jaccard']:.3f}",
               f"{m['n_common']} ranked by both, {m['n_only_a']} by A only, {m['n_only_b']} by B only; "
               f"leader overlap Jaccard = {m['leader_overlap_jaccard']:.3f}"),
        ])


def rank_agreement_reading(tau: float | None) -> Text:
    """A plain reading of Kendall's τ between two lists (排名一致性解读): |τ| below 0.3 weak, below 0.7
    moderate, else strong (the scale used for Kendall's W on the panel page); a negative τ is read as lists
    in reverse order."""
    if tau is None or (isinstance(tau, float) and math.isnan(tau)):
        return Text("无法判断（共同排名不足 2 项）", "cannot be read (fewer than 2 standards ranked by both)")
    size = abs(tau)
    zh, en = ("弱一致", "weak agreement") if size < 0.3 else (("中等一致", "moderate agreement") if size < 0.7
                                                             else ("强一致", "strong agreement"))
    if tau < 0 and size >= 0.3:
        zh, en = zh.replace("一致", "反向一致"), en.replace("agreement", "agreement in reverse order")
    return Text(zh, en)


_ROW_MAPS: list[tuple[Any, Any, np.ndarray]] = []


def _row_map(pa: Prepared, pb: Prepared) -> np.ndarray:
    """For each row of `pa` (the standards a ranking's `rows` point at), its row in `pb` (−1 when `pb` lacks
    the standard). Kept for the last few pairs (a comparison view compares each tuned list with list B)."""
    for ref_a, ref_b, found in _ROW_MAPS:
        if ref_a() is pa and ref_b() is pb:
            return found
    ids_a, at = pa.arrays["standard_id"].tolist(), pb.row_of
    found = np.fromiter((at.get(sid, -1) for sid in ids_a), dtype=np.intp, count=len(ids_a))
    _ROW_MAPS[:] = [*_ROW_MAPS[-3:], (weakref.ref(pa), weakref.ref(pb), found)]
    return found


def _aligned(ra: Ranking, rb: Ranking):
    """Ranks of the standards on both lists (in A's table order, as `compare_rankings` takes them) and the
    counts on one list only. The lists are aligned by their rows in the prepared data (one dict of ids per
    pair of prepared data sets), or by id when a ranking does not say its rows."""
    keep_a, rank_a = ra.on_list
    keep_b, rank_b = rb.on_list
    rows_a, rows_b = getattr(ra, "rows", None), getattr(rb, "rows", None)  # None: pickled before it had rows
    if ra.prepared is not None and rb.prepared is not None and rows_a is not None and rows_b is not None:
        where_b = np.full(len(rb.prepared.arrays["standard_id"]) + 1, -1, dtype=np.intp)  # the last: a standard B lacks
        where_b[rows_b[keep_b]] = np.arange(len(rank_b))
        in_b = rows_a[keep_a] if ra.prepared is rb.prepared else _row_map(ra.prepared, rb.prepared)[rows_a[keep_a]]
        pos = where_b[in_b]
    else:
        ids_a = ra.table["standard_id"].to_numpy(dtype=object)[keep_a].tolist()
        ids_b = rb.table["standard_id"].to_numpy(dtype=object)[keep_b].tolist()
        at = dict(zip(ids_b, range(len(ids_b)), strict=True))
        pos = np.fromiter((at.get(sid, -1) for sid in ids_a), dtype=np.intp, count=len(ids_a))
    both = pos >= 0
    n_common = int(both.sum())
    return rank_a[both], rank_b[pos[both]], n_common, len(rank_a) - n_common, len(rank_b) - n_common


def table_positions(r_from: Ranking, at: np.ndarray, r_to: Ranking) -> np.ndarray:
    """Where the standards at rows `at` of `r_from.table` are in `r_to.table` (−1 where `r_to` lacks one):
    by the rankings' rows in their prepared data, or by id when a ranking does not say its rows."""
    at = np.asarray(at, dtype=np.intp)
    rows_from, rows_to = getattr(r_from, "rows", None), getattr(r_to, "rows", None)
    if r_from.prepared is not None and r_to.prepared is not None and rows_from is not None and rows_to is not None:
        where = np.full(len(r_to.prepared.arrays["standard_id"]) + 1, -1, dtype=np.intp)
        where[rows_to] = np.arange(len(rows_to))
        rows = rows_from[at]
        return where[rows if r_from.prepared is r_to.prepared else _row_map(r_from.prepared, r_to.prepared)[rows]]
    return r_to.positions(r_from.rows_at(at, ("standard_id",))["standard_id"])


def _leader_metrics(ra: Ranking, rb: Ranking) -> dict[str, Any]:
    set_a, set_b = ra.leader_ids, rb.leader_ids
    union, shared = set_a | set_b, set_a & set_b
    return {"leader_overlap_jaccard": len(shared) / len(union) if union else 1.0,
            "leaders_a": len(set_a), "leaders_b": len(set_b), "leaders_both": len(shared)}


def rank_agreement(ra: Ranking, rb: Ranking) -> dict[str, Any]:
    """How far list B agrees with list A (排名一致性), the part of `compare_results` a tuner shows:
    kendall_tau (scipy's τ-b on the standards ranked by both), leader_overlap_jaccard, n_common, n_only_a,
    n_only_b, leaders_a, leaders_b, leaders_both — the same values `compare_results` gives."""
    from scipy.stats import kendalltau

    xa, xb, n_common, only_a, only_b = _aligned(ra, rb)
    tau = float(kendalltau(xa, xb).statistic) if n_common >= 2 else float("nan")
    return {"kendall_tau": tau, "n_common": n_common, "n_only_a": only_a, "n_only_b": only_b,
            **_leader_metrics(ra, rb)}


def compare_results(ra: Ranking, rb: Ranking) -> SchemeComparison:
    """Compare two lists already ranked on the same standards (`compare_schemes` without the ranking):
    e.g. a tuned scheme against the scheme as loaded. Same metrics and movers as `compare_schemes`.

    The metrics are `compare_rankings`' on the eligible standards of each list (τ-b by scipy, ρ as scipy
    computes it, WS by `ws_coefficient`), computed on aligned arrays; the movers table is built when first
    read."""
    from scipy.stats import kendalltau

    from leaderkit.methods.uncertainty import rank_array, spearman_rho, ws_coefficient

    xa, xb, n_common, only_a, only_b = _aligned(ra, rb)
    if n_common >= 2:
        tau = float(kendalltau(xa, xb).statistic)
        rho = spearman_rho(xa, xb)
        ws = ws_coefficient(rank_array(-xa), rank_array(-xb))
    else:
        tau = rho = ws = float("nan")
    lead = _leader_metrics(ra, rb)
    metrics = {
        "kendall_tau": tau, "spearman_rho": rho, "ws": ws,
        "leader_overlap_jaccard": lead["leader_overlap_jaccard"], "n_common": n_common,
        "n_only_a": only_a, "n_only_b": only_b,
        "leaders_a": lead["leaders_a"], "leaders_b": lead["leaders_b"], "leaders_both": lead["leaders_both"],
    }
    return SchemeComparison(ra, rb, metrics)


def _movers(ra: Ranking, rb: Ranking) -> pd.DataFrame:
    """The movers of two lists (`compare_rankings`' movers with the enterprise beside the standard)."""
    from leaderkit.methods.uncertainty import compare_rankings

    def ranks(r: Ranking) -> pd.Series:
        eligible = r.table["eligible"].to_numpy(dtype=bool)
        ids = r.table["standard_id"].to_numpy(dtype=object)[eligible]
        return pd.Series(r.table["rank"].to_numpy(dtype=float, na_value=np.nan)[eligible],
                         index=pd.Index(ids, dtype=object))

    def leader_set(r: Ranking) -> list:
        return r.leaders["standard_id"].tolist()

    res = compare_rankings(ranks(ra), ranks(rb), leader_set(ra), leader_set(rb))
    movers = res["movers"].rename_axis("standard_id").reset_index()
    names: dict = {}
    for r in (rb, ra):
        names.update(zip(r.table["standard_id"].to_numpy(dtype=object), r.table["enterprise"].to_numpy(dtype=object),
                         strict=True))
    movers.insert(1, "enterprise", [names.get(sid) for sid in movers["standard_id"]])
    return movers.reset_index(drop=True)


def compare_schemes(a: Scheme, b: Scheme, standards, *, on=None, baselines=None, program=None,
                    register=None) -> SchemeComparison:
    """Rank the same standards with two schemes and compare the lists (两个方案的排行榜比较).

    metrics: kendall_tau, spearman_rho, ws (WS coefficient, A as reference), leader_overlap_jaccard,
    n_common, n_only_a, n_only_b, leaders_a, leaders_b, leaders_both — from
    `leaderkit.compare_rankings` on the eligible standards of each list. movers: standard_id, enterprise,
    rank_a, rank_b, change (rank_a − rank_b, positive = better under B), leader_a, leader_b: the standards
    whose rank or leader status differs, largest move first.
    """
    ra = rank(a, standards, on=on, baselines=baselines, program=program, register=register)
    rb = rank(b, standards, on=on if on is not None else ra.on, baselines=baselines, program=program,
              register=register)
    return compare_results(ra, rb)
