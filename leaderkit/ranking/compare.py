"""Comparing two schemes' lists on the same standards (方案比较).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import Text, tr
from leaderkit.ranking.result import (
    Ranking,
    rank,
)
from leaderkit.schemes.model import Scheme


@dataclass
class SchemeComparison:
    """Two schemes' lists on the same standards (方案比较): metrics, movers and both rankings."""

    a: Ranking
    b: Ranking
    metrics: dict[str, Any]
    movers: pd.DataFrame

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


def compare_results(ra: Ranking, rb: Ranking) -> SchemeComparison:
    """Compare two lists already ranked on the same standards (`compare_schemes` without the ranking):
    e.g. a tuned scheme against the scheme as loaded. Same metrics and movers as `compare_schemes`."""
    from leaderkit.methods.uncertainty import compare_rankings

    def ranks(r: Ranking) -> pd.Series:
        eligible = r.table["eligible"].to_numpy(dtype=bool)
        ids = r.table["standard_id"].to_numpy(dtype=object)[eligible]
        return pd.Series(r.table["rank"].to_numpy(dtype=float, na_value=np.nan)[eligible],
                         index=pd.Index(ids, dtype=object))

    def leader_set(r: Ranking) -> list:
        return r.leaders["standard_id"].tolist()

    res = compare_rankings(ranks(ra), ranks(rb), leader_set(ra), leader_set(rb))
    lead = res["leaders"]
    metrics = {
        "kendall_tau": res["kendall_tau"], "spearman_rho": res["spearman_rho"], "ws": res["ws"],
        "leader_overlap_jaccard": lead["jaccard"], "n_common": res["n_common"],
        "n_only_a": len(res["only_a"]), "n_only_b": len(res["only_b"]),
        "leaders_a": lead["a"], "leaders_b": lead["b"], "leaders_both": lead["both"],
    }
    movers = res["movers"].rename_axis("standard_id").reset_index()
    names: dict = {}
    for r in (rb, ra):
        names.update(zip(r.table["standard_id"].to_numpy(dtype=object), r.table["enterprise"].to_numpy(dtype=object),
                         strict=True))
    movers.insert(1, "enterprise", [names.get(sid) for sid in movers["standard_id"]])
    return SchemeComparison(ra, rb, metrics, movers.reset_index(drop=True))


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
