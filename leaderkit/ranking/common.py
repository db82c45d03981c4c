"""Shared pieces of the ranking lane: level codes, the ranking error, the scheme indicator's unit.
"""

from __future__ import annotations

import numpy as np

from leaderkit._kit.i18n import LeaderkitError
from leaderkit.schemes.model import Indicator, LevelRoles, Scheme

LEVEL_CODES = {"none": 0, "baseline": 1, "advanced": 2, "leader": 3}


LEVEL_CODE_NAMES = np.array(["none", "baseline", "advanced", "leader"], dtype=object)

NO_ROLES = LevelRoles(entry="none", tier="none", leader=None)


def level_roles(scheme: Scheme) -> LevelRoles:
    """What the scheme's levels do (`ranking.levels`); a scheme without the block: levels only label."""
    rk = scheme.ranking
    return rk.levels if rk is not None and rk.levels is not None else NO_ROLES


def setting(core: list[Indicator], level: str) -> np.ndarray:
    """Which core indicators set `level` (a role of that level applies to them only)."""
    return np.array([getattr(ind.levels, level) is not None for ind in core], dtype=bool)


class RankingError(LeaderkitError, ValueError):
    """A ranking that cannot be made as asked (排行榜无法形成)."""


def target_unit(ind: Indicator):
    from leaderkit.limits.units import canonical_unit

    return None if ind.measure_unit is None else canonical_unit(ind.measure_unit)
