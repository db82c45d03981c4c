"""The round's policy (年度活动的取舍): which scheme a domain uses, the targets of document 002, the as-of date.

These are rules of the programme, not of a page: the leadership dashboard, a report or a notebook that
asks "which scheme ranks this domain?" or "which target does this domain count towards?" gets the same
answer from here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date

from leaderkit._kit.i18n import Text

LEADER_TARGETS: tuple[tuple[str, Text, tuple[str, ...], int], ...] = (
    ("consumer", Text("消费品", "Consumer goods"), ("消费品",), 1000),
    ("equipment", Text("装备制造与新兴产业", "Equipment & emerging industries"), ("装备制造", "新兴产业"), 500),
    ("services", Text("服务", "Services"), ("服务",), 200),
)
"""Document 002 三: ≥ 1000 leaders in consumer goods, ≥ 500 in equipment manufacturing and emerging
industries, ≥ 200 in services — (key, name, the standards' categories it covers, target)."""

PUBLIC_LEADERS_2022 = {"standards": 2856, "enterprises": 1679}
"""DOMAIN.md "Public figures" (CNIS and SAMR press reports): cumulative leader standards by 2022."""


def target_group(category: str | None) -> str | None:
    """The document 002 target group key (consumer / equipment / services) of a standards' category."""
    return next((key for key, _, cats, _ in LEADER_TARGETS if category in cats), None)


def choose_scheme(valid_ids: Iterable[str], panel_best: str | None = None) -> tuple[str, Text] | None:
    """The scheme a domain uses (选定方案) among those that pass validation, and why: the expert panel's best
    when the panel reviewed them, the only valid one, else the first by id; None when none is valid."""
    valid = sorted(valid_ids)
    if not valid:
        return None
    if panel_best is not None and panel_best in valid:
        return panel_best, Text("专家评审最优方案", "best scheme of the expert review")
    if len(valid) == 1:
        return valid[0], Text("唯一通过校验的方案", "the only scheme that passes validation")
    return valid[0], Text("多个方案通过校验且无评审结果：取编号最小者", "several valid schemes and no review: the first by id")


def reference_date(window_starts: Iterable[date], title_dates: Iterable[date], today: date,
                   env: Mapping[str, str] = os.environ) -> date:
    """The date a round's calendar looks ahead from (数据基准日).

    $LEADERKIT_ASOF when set; otherwise the latest opening of a chosen scheme's publicity window that is
    not after `today` (the data's current round), else the latest title publication not after today, else
    today. Illustrative data end in the past: looking ahead from the real today would show nothing."""
    if env.get("LEADERKIT_ASOF"):
        return date.fromisoformat(str(env["LEADERKIT_ASOF"])[:10])
    starts = [d for d in window_starts if d <= today]
    if starts:
        return max(starts)
    published = [d for d in title_dates if d <= today]
    return max(published) if published else today
