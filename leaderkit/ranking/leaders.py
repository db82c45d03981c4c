"""Choosing the leaders from the ranking list (领跑者确定): top N, top %, reach a level; ties at the cut;
minimum participants and maximum leaders.
"""

from __future__ import annotations

import numpy as np

from leaderkit._kit.i18n import Text
from leaderkit.methods.scoring import top_count
from leaderkit.ranking.common import LEVEL_CODES, level_roles, setting
from leaderkit.schemes.model import LEVEL_NAMES, Scheme


def cut_at(ranks: np.ndarray, candidates: np.ndarray, k: int, tie_rule: str) -> tuple[np.ndarray, np.ndarray]:
    """The best `k` candidates by rank; a tie straddling position k is handled by `tie_rule`.

    Returns (selected, tied-at-the-cut). Never depends on row order.
    """
    if candidates.sum() <= k:
        return candidates.copy(), np.zeros_like(candidates)
    r_cut = np.partition(ranks[candidates], k - 1)[k - 1]  # the k-th best rank, in linear time
    above = candidates & (ranks < r_cut)
    at = candidates & (ranks == r_cut)
    if above.sum() + at.sum() == k:
        return above | at, np.zeros_like(candidates)
    if tie_rule == "include_all":
        return above | at, at
    return above, at


def leader_condition(scheme: Scheme, levels: np.ndarray) -> tuple[np.ndarray | None, Text | None]:
    """Who meets the scheme's leader condition (`ranking.levels.leader`: the level reached on k or all of the
    core indicators that set it), and the condition in words; (None, None) without a condition."""
    cond = level_roles(scheme).leader
    if cond is None:
        return None, None
    sets = setting(scheme.core_indicators(), cond.level)
    need = int(sets.sum()) if cond.k == "all" else min(int(cond.k), int(sets.sum()))
    hits = ((levels >= LEVEL_CODES[cond.level]) & sets).sum(axis=1)
    name = LEVEL_NAMES[cond.level]
    words = (Text(f"全部 {need} 项核心指标达到{name.zh}", f"every core indicator ({need}) at the {name.en}")
             if cond.k == "all" else
             Text(f"至少 {need} 项核心指标达到{name.zh}", f"at least {need} core indicator(s) at the {name.en}"))
    return hits >= need, words


def choose_leaders(scheme: Scheme, ranks: np.ndarray, eligible: np.ndarray, levels: np.ndarray,
             notes: list[Text]) -> tuple[np.ndarray, np.ndarray]:
    rule = scheme.leader_rule
    n = int(eligible.sum())
    none = np.zeros(len(eligible), dtype=bool)
    if rule is None:
        notes.append(Text("方案没有领跑者规则：只形成排行榜。", "The scheme has no leader rule: ranking list only."))
        return none, none.copy()
    if rule.min_participants and n < rule.min_participants:
        notes.append(Text(f"参评（符合资格）标准 {n} 项，少于方案要求的 {rule.min_participants} 项：不确定领跑者。",
                          f"{n} eligible standard(s), fewer than the scheme's minimum of {rule.min_participants}: "
                          "no leaders are named."))
        return none, none.copy()
    if n == 0:
        return none, none.copy()
    condition, words = leader_condition(scheme, levels)
    if condition is not None:
        met = int((eligible & condition).sum())
        notes.append(Text(f"领跑者条件：{words.zh}；符合资格者中 {met} 项满足。",
                          f"Leader condition: {words.en}; {met} eligible standard(s) meet it."))
        eligible = eligible & condition
    tie_names = {"include_all": Text("并列者全部入选", "all tied standards included"),
                 "exclude_all": Text("并列者全部不入选", "all tied standards left out"),
                 "panel_decides": Text("由专家组决定，暂不列入名单", "the expert panel decides; not listed until then")}
    if rule.reach_level:
        need = LEVEL_CODES[rule.reach_level]
        candidates = eligible & (levels >= need).all(axis=1)
        selected, tied = candidates, none.copy()
        notes.append(Text(f"领跑者规则：全部核心指标达到{LEVEL_NAMES[rule.reach_level].zh}，共 {int(candidates.sum())} 项。",
                          f"Leader rule: every core indicator at the {LEVEL_NAMES[rule.reach_level].en}: "
                          f"{int(candidates.sum())} standard(s)."))
    else:
        k = top_count(n, top_n=rule.top_n, top_percent=rule.top_percent)
        what = (Text(f"前 {rule.top_n} 名", f"top {rule.top_n}") if rule.top_n else
                Text(f"前 {rule.top_percent:g}%（{n} 项中的 {k} 项）", f"top {rule.top_percent:g} % ({k} of {n})"))
        selected, tied = cut_at(ranks, eligible, k, rule.tie_rule)
        notes.append(Text(f"领跑者规则：{what.zh}。", f"Leader rule: {what.en}."))
        if tied.any():
            r = int(ranks[tied][0])
            notes.append(Text(f"第 {r} 名有 {int(tied.sum())} 项并列，跨过第 {k} 位的分界：{tie_names[rule.tie_rule].zh}"
                              f"（tie_rule: {rule.tie_rule}）。",
                              f"{int(tied.sum())} standards tie at rank {r} across the cut at place {k}: "
                              f"{tie_names[rule.tie_rule].en} (tie_rule: {rule.tie_rule})."))
    if rule.max_leaders and selected.sum() > rule.max_leaders:
        before = int(selected.sum())
        selected, tied_max = cut_at(ranks, selected, rule.max_leaders, rule.tie_rule)
        tied = tied | tied_max
        notes.append(Text(f"入选 {before} 项，超过上限 {rule.max_leaders} 项：按排名保留前 {rule.max_leaders} 项"
                          + (f"，第 {int(ranks[tied_max][0])} 名并列：{tie_names[rule.tie_rule].zh}" if tied_max.any() else "")
                          + "。",
                          f"{before} selected, more than the maximum of {rule.max_leaders}: the best "
                          f"{rule.max_leaders} by rank are kept"
                          + (f"; tie at rank {int(ranks[tied_max][0])}: {tie_names[rule.tie_rule].en}"
                             if tied_max.any() else "") + "."))
    return selected, tied
