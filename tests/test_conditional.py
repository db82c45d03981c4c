"""Conditional limits: a baseline row that holds for a band of a product attribute (GB 21455: minimum
SEER 3.00 / 2.90 / 2.80 by cooling capacity), the band picked by the product's value, and a product in no
band (or without a value) reported as `no_band`, never compared with a guessed band."""

import pandas as pd
import pytest

from leaderkit.standards.benchmarking import benchmark
from leaderkit.standards.loading import InputError, load_baselines

BASELINES = pd.DataFrame({
    "标准编号": ["GB 21455-2019"] * 3 + ["GB 12021.3-2010"],
    "领域": ["空调"] * 4,
    "指标名称": ["SEER"] * 3 + ["噪声"],
    "指标要求": ["≥3.00", "≥2.90", "≥2.80", "≤45 dB(A)"],
    "条件属性": ["制冷量", "制冷量", "制冷量", ""],
    "条件下限": ["", "4500", "7100", ""],
    "条件上限": ["4500", "7100", "14000", ""],
})

# standard, cooling capacity (W), SEER, noise
ROWS = [
    ("Q/A 1", 3500, "≥2.95", "≤40 dB(A)"),     # band ≤ 4500: 2.95 < 3.00 → looser
    ("Q/B 2", 4500, "≥3.05", "≤40 dB(A)"),     # 4500 is in the first band (4500 < CC ≤ 7100 starts above)
    ("Q/C 3", 7000, "≥2.95", "≤40 dB(A)"),     # band 4500–7100: 2.95 > 2.90 → stricter
    ("Q/D 4", 12000, "≥2.80", "≤40 dB(A)"),    # band 7100–14000: equal
    ("Q/E 5", 20000, "≥3.50", "≤40 dB(A)"),    # above every band: no_band, not stricter however high
    ("Q/F 6", None, "≥3.50", "≤40 dB(A)"),     # no capacity given: no_band
]


def standards() -> pd.DataFrame:
    long = []
    for sid, capacity, seer, noise in ROWS:
        long.append((sid, "空调", "SEER", seer, capacity))
        long.append((sid, "空调", "噪声", noise, capacity))
    return pd.DataFrame(long, columns=["标准编号", "领域", "指标名称", "指标要求", "制冷量"])


def test_loading_reads_the_condition_columns():
    base = load_baselines(BASELINES)
    assert pd.isna(base.loc[0, "condition_min"]) and base.loc[1, "condition_min"] == 4500
    assert base.loc[2, "condition_max"] == 14000 and base.loc[0, "condition_attribute"] == "制冷量"
    with pytest.raises(InputError, match="condition|条件"):
        load_baselines(BASELINES.assign(条件下限=["", "abc", "7100", ""]))
    with pytest.raises(InputError, match="condition|条件"):
        load_baselines(BASELINES.assign(条件下限=["", "8000", "7100", ""]))  # 8000 ≥ 7100


def test_the_band_of_the_products_capacity_is_picked():
    bm = benchmark(standards(), BASELINES)
    seer = bm.indicators[bm.indicators["indicator"].eq("SEER")].set_index("standard_id")
    assert seer.loc["Q/A 1", "baseline_requirement"] == "≥3.00" and seer.loc["Q/A 1", "verdict"] == "looser"
    assert seer.loc["Q/B 2", "baseline_requirement"] == "≥3.00" and seer.loc["Q/B 2", "verdict"] == "stricter"
    assert seer.loc["Q/C 3", "baseline_requirement"] == "≥2.90" and seer.loc["Q/C 3", "verdict"] == "stricter"
    assert seer.loc["Q/D 4", "baseline_requirement"] == "≥2.80" and seer.loc["Q/D 4", "verdict"] == "equal"
    assert seer.loc["Q/C 3", "margin"] == pytest.approx((2.95 - 2.90) / 2.90)
    assert seer.index.is_unique  # one band per product, never all three
    std = bm.standards.set_index("standard_id")
    # the noise is stricter everywhere; SEER decides, except where it is in no band (then, as a value that
    # cannot be compared, it neither blocks nor makes the standard stricter)
    assert std["stricter"].to_dict() == {"Q/A 1": False, "Q/B 2": True, "Q/C 3": True, "Q/D 4": True,
                                         "Q/E 5": True, "Q/F 6": True}
    assert std["n_no_band"].to_dict() == {"Q/A 1": 0, "Q/B 2": 0, "Q/C 3": 0, "Q/D 4": 0, "Q/E 5": 1, "Q/F 6": 1}


def test_a_product_in_no_band_is_reported_not_guessed():
    bm = benchmark(standards(), BASELINES)
    seer = bm.indicators[bm.indicators["indicator"].eq("SEER")].set_index("standard_id")
    assert seer.loc["Q/E 5", "verdict"] == "no_band" and pd.isna(seer.loc["Q/E 5", "margin"])
    assert seer.loc["Q/F 6", "verdict"] == "no_band"
    std = bm.standards.set_index("standard_id")
    assert std.loc["Q/E 5", "n_no_band"] == 1 and std.loc["Q/E 5", "vs_national"] == "stricter"  # the noise
    unmatched = bm.unmatched()
    assert unmatched["standard_id"].tolist() == ["Q/E 5", "Q/F 6"]
    assert unmatched["condition_attribute"].tolist() == ["制冷量", "制冷量"]
    assert unmatched["condition_value"].iloc[0] == 20000 and pd.isna(unmatched["condition_value"].iloc[1])


def test_a_product_with_only_a_conditional_baseline_and_no_band_is_not_stricter():
    only = standards().query("指标名称 == 'SEER'")
    std = benchmark(only, BASELINES).standards.set_index("standard_id")
    assert std.loc["Q/E 5", "vs_national"] == "no_band"
    assert not std.loc["Q/E 5", "stricter"] and not std.loc["Q/E 5", "comparable"]


def test_attributes_from_a_separate_table_long_or_wide():
    plain = standards().drop(columns=["制冷量"])
    wide = pd.DataFrame({"标准编号": [r[0] for r in ROWS], "制冷量": [r[1] for r in ROWS]})
    long = wide.rename(columns={"制冷量": "属性值"}).assign(属性="制冷量")
    expected = benchmark(standards(), BASELINES).standards
    pd.testing.assert_frame_equal(benchmark(plain, BASELINES, attributes=wide).standards, expected)
    pd.testing.assert_frame_equal(benchmark(plain, BASELINES, attributes=long).standards, expected)


def test_overlapping_bands_and_two_attributes_are_refused():
    overlap = BASELINES.assign(条件上限=["5000", "7100", "14000", ""])
    with pytest.raises(InputError, match="overlap|重叠"):
        benchmark(standards(), overlap)
    two = BASELINES.assign(条件属性=["制冷量", "制热量", "制冷量", ""])
    with pytest.raises(InputError, match="attribute|属性"):
        benchmark(standards(), two)


def test_without_conditions_nothing_changes():
    plain = BASELINES.iloc[[0, 3]].drop(columns=["条件属性", "条件下限", "条件上限"])
    got = benchmark(standards(), plain).indicators
    assert "condition_value" not in got.columns and "no_band" not in set(got["verdict"])


def test_the_attribute_column_of_a_csv_or_parquet_file(tmp_path):
    expected = benchmark(standards(), BASELINES).standards
    csv = tmp_path / "s.csv"
    standards().to_csv(csv, index=False)
    got = benchmark(csv, BASELINES).standards
    assert got["n_no_band"].tolist() == expected["n_no_band"].tolist()
    assert got["stricter"].tolist() == expected["stricter"].tolist()
    parquet = tmp_path / "s.parquet"
    standards().rename(columns={"标准编号": "standard_id", "领域": "domain", "指标名称": "indicator",
                                "指标要求": "requirement"}).to_parquet(parquet)
    bm = benchmark(parquet, BASELINES)
    assert bm.standards["stricter"].tolist() == expected["stricter"].tolist()
    assert bm.unmatched()["standard_id"].tolist() == ["Q/E 5", "Q/F 6"]
