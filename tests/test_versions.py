"""The baseline in force: baselines with 实施日期/废止日期, a standard compared with the version in force on
its declaration date (or on a given day), the Parquet path agreeing with the frame path, and `superseded`
listing standards a revised national standard caught up with (GB 12021.4-2013 → GB 12021.4-2026)."""

import pandas as pd
import pytest

from leaderkit.standards.benchmarking import benchmark, superseded
from leaderkit.standards.loading import InputError, load_baselines

BASELINES = pd.DataFrame({
    "标准编号": ["GB 12021.4-2013", "GB 12021.4-2026", "QB/T 9-2019"],
    "领域": ["洗衣机", "洗衣机", "洗衣机"],
    "指标名称": ["耗电量", "耗电量", "噪声"],
    "指标要求": ["≤0.30 kWh", "≤0.20 kWh", "≤62 dB(A)"],
    "实施日期": ["2013-10-01", "2026年7月1日", ""],
    "废止日期": ["2026-07-01", "", ""],
})

STANDARDS = pd.DataFrame({
    "标准编号": ["Q/A 1-2020", "Q/B 2-2026", "Q/C 3-2020", "Q/D 4", "Q/E 5-2026"],
    "领域": ["洗衣机"] * 5,
    "指标名称": ["耗电量"] * 5,
    "指标要求": ["≤0.25 kWh", "≤0.25 kWh", "≤0.15 kWh", "≤0.25 kWh", "≤0.20 kWh"],
    "公开日期": ["2020-05-01", "2026-08-01", "2020-03-01", "", "2026-06-30"],
})


def verdicts(bm) -> dict:
    return bm.standards.set_index("standard_id")["vs_national"].to_dict()


def test_loading_reads_and_checks_the_dates():
    base = load_baselines(BASELINES)
    assert str(base.loc[1, "effective"]) == "2026-07-01" and str(base.loc[0, "abolished"]) == "2026-07-01"
    assert pd.isna(base.loc[2, "effective"])
    bad = BASELINES.assign(废止日期=["2012-01-01", "", ""])
    with pytest.raises(InputError, match="abolished|废止日期"):
        load_baselines(bad)


def test_the_version_in_force_on_the_declaration_date_is_picked():
    bm = benchmark(STANDARDS, BASELINES)
    got = verdicts(bm)
    assert got["Q/A 1-2020"] == "stricter"      # 0.25 < 0.30 of the 2013 version in force in 2020
    assert got["Q/B 2-2026"] == "looser"        # 0.25 > 0.20 of the 2026 version in force since 2026-07-01
    assert got["Q/C 3-2020"] == "stricter"
    assert got["Q/E 5-2026"] == "stricter"      # declared the day before the 2026 version came into force
    ind = bm.indicators.set_index("standard_id")
    assert ind.loc["Q/A 1-2020", "baseline_id"] == "GB 12021.4-2013"
    assert ind.loc["Q/B 2-2026", "baseline_id"] == "GB 12021.4-2026"
    assert len(bm.indicators) == len(STANDARDS)  # one version per standard, never both


def test_a_standard_without_a_date_takes_the_version_in_force_today():
    bm = benchmark(STANDARDS, BASELINES)
    assert bm.indicators.set_index("standard_id").loc["Q/D 4", "baseline_id"] == "GB 12021.4-2026"


def test_as_of_a_day_compares_every_standard_with_that_days_baselines():
    early = benchmark(STANDARDS, BASELINES, as_of="2025-01-01")
    assert set(verdicts(early).values()) == {"stricter"}
    assert early.as_of == "2025-01-01"
    late = verdicts(benchmark(STANDARDS, BASELINES, as_of=pd.Timestamp("2026-07-01")))
    assert late == {"Q/A 1-2020": "looser", "Q/B 2-2026": "looser", "Q/C 3-2020": "stricter",
                    "Q/D 4": "looser", "Q/E 5-2026": "equal"}
    with pytest.raises(InputError, match="as_of"):
        benchmark(STANDARDS, BASELINES, as_of="soon")


def test_baselines_without_dates_give_the_plain_answer():
    plain = BASELINES.drop(columns=["实施日期", "废止日期"]).iloc[[0, 2]]
    a = benchmark(STANDARDS, plain).standards
    b = benchmark(STANDARDS, plain, as_of="2030-01-01").standards
    pd.testing.assert_frame_equal(a, b)


def test_parquet_gives_the_same_versions(tmp_path):
    path = tmp_path / "s.parquet"
    frame = STANDARDS.rename(columns={"标准编号": "standard_id", "领域": "domain", "指标名称": "indicator",
                                      "指标要求": "requirement", "公开日期": "published"})
    frame["published"] = pd.to_datetime(frame["published"].replace("", None)).dt.date
    frame.to_parquet(path)
    assert verdicts(benchmark(path, BASELINES)) == verdicts(benchmark(STANDARDS, BASELINES))


def test_superseded_lists_standards_stricter_when_declared_and_not_now():
    out = superseded(STANDARDS, BASELINES, today="2026-11-30")
    assert list(out["standard_id"]) == ["Q/A 1-2020", "Q/E 5-2026"]
    row = out.set_index("standard_id").loc["Q/A 1-2020"]
    assert (row["vs_national_declared"], row["vs_national_today"]) == ("stricter", "looser")
    assert (row["baselines_declared"], row["baselines_today"]) == ("GB 12021.4-2013", "GB 12021.4-2026")
    assert out.set_index("standard_id").loc["Q/E 5-2026", "vs_national_today"] == "equal"
    assert superseded(STANDARDS, BASELINES, today="2026-06-30").empty  # before the revision: none


def test_the_digest_names_everything_the_result_depends_on():
    """Two results with the same digest come from the same inputs: the standards, the baselines, the day
    compared and the product attributes (the digest was the standards' data alone)."""
    base = benchmark(STANDARDS, BASELINES).digest
    assert benchmark(STANDARDS.copy(), BASELINES.copy()).digest == base
    assert benchmark(STANDARDS, BASELINES, as_of="2025-01-01").digest != base
    assert benchmark(STANDARDS, BASELINES.iloc[[0, 2]]).digest != base
    assert benchmark(STANDARDS.iloc[:4], BASELINES).digest != base
    attrs = pd.DataFrame({"标准编号": ["Q/A 1-2020"], "制冷量": ["3500"]})
    assert benchmark(STANDARDS, BASELINES, attributes=attrs).digest != base
