"""Agency records (评估机构评价记录) that are broken or hostile: one clear error naming the row, never a
traceback or a silently graded absurd year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from leaderkit import RecordsError, grade_agencies

RECORDS = Path(__file__).resolve().parents[1] / "sample_data" / "agencies" / "records.csv"


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return pd.read_csv(RECORDS, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("year", ["inf", "1e300", "-2023", "2023.5", "nan", "", "二〇二三", "9999", "1979"])
def test_an_implausible_year_names_its_row(records, year, tmp_path):
    bad = records.copy()
    bad.loc[1, "year"] = year
    path = tmp_path / "records.csv"
    path.write_text(bad.to_csv(index=False), encoding="utf-8")
    with pytest.raises(RecordsError, match="第 3 行") as err:
        grade_agencies(path)
    assert "1980" in str(err.value)


def test_plausible_years_grade(records):
    graded = grade_agencies(records)
    assert graded["year"].between(1980, 2100).all() and len(graded) == len(records)
