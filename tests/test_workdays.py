"""Working days around real holidays. Expectations worked out by hand from the State Council schedules:
2023 Spring Festival: 01-21…01-27 off, Sat 01-28 and Sun 01-29 worked.
2023 Mid-Autumn + National Day: 09-29…10-06 off, Sat 10-07 and Sun 10-08 worked.
2024 Spring Festival: 02-10…02-17 off, Sun 02-04 and Sun 02-18 worked (Fri 02-09, 除夕, is a working day).
2024 National Day: 10-01…10-07 off, Sun 09-29 and Sat 10-12 worked.
"""

import warnings
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaderkit.schemes.workdays import (
    CalendarError,
    CalendarWarning,
    covered_years,
    is_workday,
    load_overrides,
    next_workday,
    publicity_end,
    workdays_between,
)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # Mon 09-25: 25,26,27,28 (4); 29…06 off; Sat 07 (5), Sun 08 (6), 09,10,11 (9), Thu 10-12 (10)
        (date(2023, 9, 25), date(2023, 10, 12)),
        # Mon 01-16: 16…20 (5); 21…27 off; Sat 28 (6), Sun 29 (7), 30, 31 (9), Wed 02-01 (10)
        (date(2023, 1, 16), date(2023, 2, 1)),
        # Fri 02-02 (1); Sat 03 off; Sun 04 (2); 05…09 (7); 10…17 off; Sun 18 (8); Mon 19 (9); Tue 02-20 (10)
        (date(2024, 2, 2), date(2024, 2, 20)),
        # Mon 09-23: 23…27 (5); Sat 28 off; Sun 29 (6); Mon 30 (7); 10-01…07 off; 08, 09 (9); Thu 10-10 (10)
        (date(2024, 9, 23), date(2024, 10, 10)),
        # Sat 2023-09-30 is a holiday, so counting starts Sat 10-07: 07,08,09…13 (7); 16, 17 (9); Wed 10-18 (10)
        (date(2023, 9, 30), date(2023, 10, 18)),
    ],
)
def test_ten_working_days_around_holidays(start, end):
    assert publicity_end(start, 10) == end
    assert workdays_between(start, end) == 10


def test_adjusted_weekends_and_holidays():
    assert is_workday(date(2023, 10, 7)) and is_workday("2023-10-08")  # 调休 Saturday and Sunday
    assert not is_workday(date(2023, 10, 2))  # National Day
    assert is_workday(date(2024, 2, 9))  # 除夕 2024 is officially a working day
    assert not is_workday(date(2024, 2, 12))  # Monday inside the Spring Festival holiday
    assert not is_workday(date(2024, 3, 9))  # ordinary Saturday


def test_start_day_counts_only_when_it_is_a_working_day():
    assert publicity_end(date(2023, 10, 9), 1) == date(2023, 10, 9)
    assert next_workday(date(2024, 2, 10)) == date(2024, 2, 18)
    assert workdays_between(date(2024, 2, 10), date(2024, 2, 17)) == 0


def test_workdays_between_rejects_reversed_dates():
    with pytest.raises(CalendarError):
        workdays_between(date(2023, 10, 12), date(2023, 9, 25))


def test_2027_falls_back_to_monday_to_friday_with_a_warning():
    assert 2027 not in covered_years()
    with pytest.warns(CalendarWarning, match="2027") as record:
        assert publicity_end(date(2027, 1, 4), 10) == date(2027, 1, 15)
    assert "按周一至周五" in str(record[0].message) and "Monday–Friday" in str(record[0].message)


def test_no_warning_when_the_period_stays_in_covered_years():
    with warnings.catch_warnings():
        warnings.simplefilter("error", CalendarWarning)
        assert publicity_end(date(2026, 12, 10), 10) == date(2026, 12, 23)


def test_override_file_corrects_the_fallback(tmp_path):
    yaml_file = tmp_path / "overrides.yaml"
    yaml_file.write_text("- {date: 2027-01-01, type: holiday}\n- {date: 2027-01-09, type: workday}\n", encoding="utf-8")
    csv_file = tmp_path / "overrides.csv"
    csv_file.write_text("date,type\n2027-01-01,holiday\n2027-01-09,workday\n", encoding="utf-8")
    assert load_overrides(yaml_file) == load_overrides(csv_file) == {date(2027, 1, 1): False, date(2027, 1, 9): True}
    with pytest.warns(CalendarWarning):
        # Mon 2026-12-28: 28…31 (4); Fri 2027-01-01 counts under Mon–Fri (5); 04…08 (10)
        assert publicity_end(date(2026, 12, 28), 10) == date(2027, 1, 8)
    with pytest.warns(CalendarWarning):
        # with 01-01 a holiday and Sat 01-09 worked: 28…31 (4); 04…08 (9); Sat 01-09 (10)
        assert publicity_end(date(2026, 12, 28), 10, overrides=yaml_file) == date(2027, 1, 9)


def test_override_also_applies_inside_covered_years():
    assert not is_workday(date(2023, 9, 25), overrides={date(2023, 9, 25): False})
    assert publicity_end(date(2023, 9, 25), 10, overrides={date(2023, 9, 25): False}) == date(2023, 10, 13)


def test_bad_override_file_names_the_entry(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,type\n2027-01-01,holiday\n2027-01-02,party\n", encoding="utf-8")
    with pytest.raises(CalendarError, match="entry 2"):
        load_overrides(bad)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30)), n=st.integers(1, 25))
def test_publicity_end_and_workdays_between_agree(start, n):
    end = publicity_end(start, n)
    assert is_workday(end)
    assert workdays_between(start, end) == n
    if end > start:
        assert workdays_between(start, end - timedelta(days=1)) == n - 1
