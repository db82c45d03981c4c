"""Mainland-China working days (工作日) for publicity periods (公示期).

Working days are Monday–Friday, minus statutory holidays, plus the adjusted working weekends (调休)
published each year by the State Council. The official schedules come from the `chinesecalendar`
package (import name `chinese_calendar`), which covers 2004–2026. For a year it does not cover
(2027 today: the schedule is published around late November of the year before) leaderkit falls back to
Monday–Friday and emits a `CalendarWarning`; a user override file of holidays and working weekends
corrects the fallback (or the official data):

    # overrides.yaml                      # overrides.csv
    - {date: 2027-01-01, type: holiday}   date,type
    - {date: 2027-02-06, type: workday}   2027-01-01,holiday

Decision (SOURCES.md): the start day counts when it is a working day, so a 10-working-day publicity
starting on Monday 2023-09-25 ends on Thursday 2023-10-12 (National Day 2023-09-29…10-06 is off, the
weekend 10-07/10-08 is worked).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit._kit.yamlfile import load_yaml

Overrides = Mapping[date, bool]
_TYPES = {"holiday": False, "workday": True, "假": False, "休": False, "休息日": False, "班": True, "工作日": True}


class CalendarWarning(UserWarning):
    """Working days were counted without official holiday data (Mon–Fri fallback)."""

    def __init__(self, years: list[int]):
        self.years = years
        self.text = Text(
            f"{'、'.join(map(str, years))} 年没有官方节假日安排数据，按周一至周五计算工作日；"
            "请核对国务院办公厅通知，必要时提供节假日调整文件（overrides）",
            f"no official holiday schedule for {', '.join(map(str, years))}: working days counted as "
            "Monday–Friday; check the State Council notice and supply an override file if needed",
        )
        super().__init__(self.text.both())


class CalendarError(LeaderkitError):
    """A date or an override file cannot be used (日期或节假日调整文件错误)."""


_OFFICIAL: tuple[pd.DatetimeIndex, pd.DatetimeIndex, int, int] | None = None


def _data() -> tuple[pd.DatetimeIndex, pd.DatetimeIndex, int, int]:
    """Official holidays, adjusted working days and the first and last covered year (loaded once)."""
    global _OFFICIAL
    if _OFFICIAL is None:
        import chinese_calendar

        holidays = pd.DatetimeIndex(sorted(chinese_calendar.holidays))
        workdays = pd.DatetimeIndex(sorted(chinese_calendar.workdays))
        _OFFICIAL = (holidays, workdays, int(holidays.year.min()), int(holidays.year.max()))
    return _OFFICIAL


def covered_years() -> range:
    """Years with official holiday data."""
    _, _, first, last = _data()
    return range(first, last + 1)


def _as_date(value: Any, what: str = "date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError) as exc:
        raise CalendarError(
            f"无法识别的日期 {value!r}", f"not a date: {value!r}", where=what,
            hint=Text("日期写作 YYYY-MM-DD", "write dates as YYYY-MM-DD"),
        ) from exc


def _normalise_overrides(overrides: Overrides | str | os.PathLike | None) -> dict[date, bool]:
    if overrides is None:
        return {}
    if isinstance(overrides, str | os.PathLike):
        return load_overrides(overrides)
    return {_as_date(k, "overrides"): bool(v) for k, v in overrides.items()}


def workday_mask(dates: pd.DatetimeIndex, overrides: Overrides | str | os.PathLike | None = None) -> np.ndarray:
    """Boolean array: which of `dates` are working days. Warns (CalendarWarning) for fallback years."""
    holidays, workdays, first, last = _data()
    dates = pd.DatetimeIndex(dates).normalize()
    mask = (dates.day_of_week < 5) & ~dates.isin(holidays)
    mask |= dates.isin(workdays)
    extra = _normalise_overrides(overrides)
    overridden = np.zeros(len(dates), dtype=bool)
    if extra:
        keys = pd.DatetimeIndex(list(extra))
        values = np.fromiter(extra.values(), dtype=bool, count=len(extra))
        pos = keys.get_indexer(dates)
        overridden = pos >= 0
        mask = np.where(overridden, values[pos], mask)
    fallback = ((dates.year < first) | (dates.year > last)) & ~overridden
    if fallback.any():
        warnings.warn(CalendarWarning(sorted(set(dates[fallback].year))), stacklevel=3)
    return np.asarray(mask, dtype=bool)


def is_workday(day: date | str, overrides: Overrides | str | os.PathLike | None = None) -> bool:
    """Whether `day` is a working day in mainland China (调休 included)."""
    return bool(workday_mask(pd.DatetimeIndex([_as_date(day)]), overrides)[0])


def publicity_end(
    start: date | str, working_days: int = 10, overrides: Overrides | str | os.PathLike | None = None
) -> date:
    """Last day of a publicity period of `working_days` working days that starts on `start`
    (公示期截止日). The start day counts when it is a working day."""
    if working_days < 1:
        raise CalendarError(
            f"公示工作日数应至少为 1，收到 {working_days}", f"working_days must be at least 1, got {working_days}"
        )
    start = _as_date(start, "start")
    span = working_days * 2 + 21
    while True:
        days = pd.date_range(start, periods=span, freq="D")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CalendarWarning)
            mask = workday_mask(days, overrides)
        reached = np.flatnonzero(np.cumsum(mask) == working_days)
        if reached.size:
            end = days[reached[0]].date()
            _rewarn(caught, last=end)
            return end
        span *= 2


def workdays_between(a: date | str, b: date | str, overrides: Overrides | str | os.PathLike | None = None) -> int:
    """Number of working days from `a` to `b`, both included (so that
    `workdays_between(s, publicity_end(s, n)) == n` when `s` is a working day)."""
    a, b = _as_date(a, "a"), _as_date(b, "b")
    if b < a:
        raise CalendarError(
            f"结束日 {b} 早于开始日 {a}", f"end {b} is before start {a}",
            hint=Text("交换两个日期", "swap the two dates"),
        )
    return int(workday_mask(pd.date_range(a, b, freq="D"), overrides).sum())


def _rewarn(caught: list[warnings.WarningMessage], last: date) -> None:
    """Re-emit fallback warnings only for years up to the end of the period actually used."""
    years = sorted({y for w in caught if isinstance(w.message, CalendarWarning) for y in w.message.years if y <= last.year})
    if years:
        warnings.warn(CalendarWarning(years), stacklevel=3)


def load_overrides(path: str | os.PathLike) -> dict[date, bool]:
    """Read a holiday/workday override file (YAML or CSV with columns date, type: holiday|workday)."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            rows = pd.read_csv(path, dtype=str, encoding="utf-8-sig").to_dict("records")
        else:
            raw, _ = load_yaml(path.read_text(encoding="utf-8-sig"), source=str(path), error=CalendarError,
                               what=Text("节假日调整文件", "an override file"))
            raw = raw or []
            rows = [{"date": k, "type": v} for k, v in raw.items()] if isinstance(raw, dict) else raw
    except (OSError, UnicodeDecodeError, yaml.YAMLError, pd.errors.ParserError) as exc:
        raise CalendarError(f"无法读取节假日调整文件：{exc}", f"cannot read the override file: {exc}", where=str(path)) from exc
    out: dict[date, bool] = {}
    for i, row in enumerate(rows, start=1):
        kind = str(row.get("type", "")).strip().lower() if isinstance(row, dict) else ""
        if kind not in _TYPES or "date" not in row:
            raise CalendarError(
                f"第 {i} 条应有 date 和 type（holiday 或 workday）",
                f"entry {i} needs a date and a type (holiday or workday)",
                where=f"{path}, entry {i}",
                hint=Text("例如 2027-01-01,holiday", "for example 2027-01-01,holiday"),
            )
        out[_as_date(row["date"], f"{path}, entry {i}")] = _TYPES[kind]
    return out


def next_workday(day: date | str, overrides: Overrides | str | os.PathLike | None = None) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    return publicity_end(day, 1, overrides)

