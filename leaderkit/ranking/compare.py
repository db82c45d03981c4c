"""Comparing two schemes' lists on the same standards (方案比较).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from leaderkit._kit.i18n import tr
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


def compare_schemes(a: Scheme, b: Scheme, standards, *, on=None, baselines=None, program=None,
                    register=None) -> SchemeComparison:
    """Rank the same standards with two schemes and compare the lists (两个方案的排行榜比较).

    metrics: kendall_tau, spearman_rho, ws (WS coefficient, A as reference), leader_overlap_jaccard,
    n_common, n_only_a, n_only_b, leaders_a, leaders_b, leaders_both — from
    `leaderkit.compare_rankings` on the eligible standards of each list. movers: standard_id, enterprise,
    rank_a, rank_b, change (rank_a − rank_b, positive = better under B), leader_a, leader_b: the standards
    whose rank or leader status differs, largest move first.
    """
    from leaderkit.methods.uncertainty import compare_rankings

    ra = rank(a, standards, on=on, baselines=baselines, program=program, register=register)
    rb = rank(b, standards, on=on if on is not None else ra.on, baselines=baselines, program=program,
              register=register)

    def ranks(r: Ranking) -> pd.Series:
        t = r.table[r.table["eligible"]]
        return pd.Series(t["rank"].astype(float).to_numpy(), index=t["standard_id"].to_numpy())

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
    names = pd.concat([ra.table, rb.table]).drop_duplicates("standard_id").set_index("standard_id")["enterprise"]
    movers.insert(1, "enterprise", names.reindex(movers["standard_id"]).to_numpy())
    return SchemeComparison(ra, rb, metrics, movers.reset_index(drop=True))
