"""Periods counted in years and months (期间计算), as the Civil Code counts them.

Civil Code of the PRC art. 201: a period counted in years or months does not count its first day; art. 202:
it ends on the day of the last month that corresponds to the first day, or on that month's last day when
there is no such day. So a 3-year ban from 2021-03-15 runs through 2024-03-15 and is over on
2024-03-16; one from 2020-02-29 runs through 2023-02-28; 3 months from 2023-01-31 end on 2023-04-30.

Every rule of leaderkit that counts years or months (the 3-year ban of document 001 三(四), the
negative list, the cycle of a title) asks this module, so they cannot disagree about the last day.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The day `months` calendar months after `start`; the month's last day when it has no such day."""
    total = start.year * 12 + (start.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_end(start: date, *, years: int = 0, months: int = 0) -> date:
    """The last day of a period of `years` and `months` that starts on `start` (art. 201–202)."""
    return add_months(start, years * 12 + months)


def within(day: date, start: date, *, years: int = 0, months: int = 0) -> bool:
    """Whether `day` falls inside the period that starts on `start`: start ≤ day ≤ period_end."""
    return start <= day <= period_end(start, years=years, months=months)
