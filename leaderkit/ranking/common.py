"""Shared pieces of the ranking lane: level codes, the ranking error, the scheme indicator's unit.
"""

from __future__ import annotations

import numpy as np

from leaderkit._kit.i18n import LeaderkitError
from leaderkit.schemes.model import Indicator

LEVEL_CODES = {"none": 0, "baseline": 1, "advanced": 2, "leader": 3}


LEVEL_CODE_NAMES = np.array(["none", "baseline", "advanced", "leader"], dtype=object)




class RankingError(LeaderkitError, ValueError):
    """A ranking that cannot be made as asked (排行榜无法形成)."""


def target_unit(ind: Indicator):
    from leaderkit.limits.units import canonical_unit

    return None if ind.measure_unit is None else canonical_unit(ind.measure_unit)
