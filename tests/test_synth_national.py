"""National synthetic data calibrated to the programme's published figures (issue 14): declared standards per
year, enterprises and their credit codes, the leader lists and their provinces, the key domains; at a small size
the counts scale and the shares hold; leaders are stricter standards of a key domain; the figures and their
sources are in sample_data/README.md."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leaderkit.synth import generators as synth

ROOT = Path(__file__).resolve().parents[1]
N = 50_000


@pytest.fixture(scope="module")
def full_lists(tmp_path_factory):
    """50,000 standards with the published leader lists (leader_scale 1)."""
    path = tmp_path_factory.mktemp("nat_lists") / "nat.parquet"
    return synth.make_national(path, n_standards=N, seed=2023, leader_scale=1.0)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    """20,000 standards, every count scaled by 20,000 / 3,165,625 (the default)."""
    path = tmp_path_factory.mktemp("nat_scaled") / "nat.parquet"
    return synth.make_national(path, n_standards=20_000, seed=5)


def standards_of(path) -> pd.DataFrame:
    df = pd.read_parquet(path, columns=["standard_id", "enterprise", "credit_code", "domain", "region", "year",
                                        "published", "mass_produced"]).drop_duplicates("standard_id")
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(str)
    return df.reset_index(drop=True)


def test_every_calibrated_figure_and_share_within_5pct(full_lists):
    table = synth.national_calibration(full_lists)
    assert list(table.columns) == ["metric", "指标", "basis", "published", "expected", "generated", "ratio",
                                   "within_5pct"]
    bad = table.loc[~table["within_5pct"], ["metric", "expected", "generated"]]
    assert bad.empty, bad.to_string()
    # every published figure of the brief is a row, with the value as published
    got = table.set_index("metric")["published"]
    want = {"standards_cum_2023": 3_165_625, "enterprises_cum_2023": 472_459, "standards_2023": 546_160,
            "standards_cum_2019": 1_240_000, "standards_cum_2021": 2_150_000, "leaders_2018": 60, "leaders_2019": 317,
            "leaders_2020": 453, "leaders_2021": 1_231, "leaders_cum_2022": 2_856, "leaders_广东省": 918,
            "leaders_山东省": 325, "leaders_浙江省": 288, "key_domains_2018": 11, "key_domains_2019": 100,
            "key_domains_2020": 184, "key_domains_2021": 202, "key_domains_2024": 146}
    assert {k: got[k] for k in want} == want
    # the standards by year: 2015–2023, shares as derived from the published anchors
    shares = table[table["metric"].str.startswith("share_standards_")]
    assert len(shares) == 9 and set(shares.loc[shares["basis"] == "published", "metric"]) == {
        "share_standards_2022", "share_standards_2023"}
    assert (shares["generated"] - shares["expected"]).abs().max() < 1e-4
    leaders = table.set_index("metric").loc[["leaders_2018", "leaders_cum_2022", "leaders_广东省"], "generated"]
    assert leaders.tolist() == [60, 2_856, 918]


def test_year_counts_come_from_the_published_anchors():
    c = dict(zip(synth.NATIONAL_YEARS.tolist(), synth.NATIONAL_YEAR_COUNTS.tolist(), strict=True))
    assert sum(c.values()) == 3_165_625
    assert sum(v for y, v in c.items() if y <= 2019) == 1_240_000
    assert abs(sum(v for y, v in c.items() if y <= 2021) - 2_150_000) / 2_150_000 < 0.001
    assert (c[2022], c[2023]) == (470_738, 546_160)
    assert list(c) == list(range(2015, 2024)) and all(np.diff(synth.NATIONAL_YEAR_COUNTS) > 0)


def test_counts_scale_proportionally_at_a_smaller_size(scaled):
    n, scale = 20_000, 20_000 / 3_165_625
    s = standards_of(scaled)
    assert len(s) == n
    per_year = s["year"].value_counts().sort_index()
    want = synth.apportion(n, synth.NATIONAL_YEAR_COUNTS)
    assert per_year.index.tolist() == list(range(2015, 2024)) and per_year.tolist() == want.tolist()
    assert s["credit_code"].nunique() == s["enterprise"].nunique() == round(n * 472_459 / 3_165_625)
    leaders = pd.read_parquet(synth.national_leaders_path(scaled))
    sizes = leaders.groupby("list_year").size()
    want = {y: round(size * scale) for y, _l, _d, size, _a in synth.LEADER_LISTS}
    assert sizes.to_dict() == {y: v for y, v in want.items() if v} and want[2018] == 0  # 60 × 0.0063 rounds to 0
    key = pd.read_parquet(synth.national_key_domains_path(scaled))
    assert key.groupby("year").size().to_dict() == synth.KEY_DOMAIN_COUNTS  # domains do not scale
    table = synth.national_calibration(scaled).set_index("metric")
    assert table.loc["standards_cum_2023", "expected"] == pytest.approx(n)
    assert table.loc[table.index.str.startswith(("standards_", "enterprises_", "share_standards_")),
                     "within_5pct"].all()


def test_enterprises_credit_codes_and_a_few_big_declarers(full_lists):
    s = standards_of(full_lists)
    n_ent = round(N * 472_459 / 3_165_625)
    per = s.groupby("enterprise").agg(n=("standard_id", "size"), codes=("credit_code", "nunique"),
                                      regions=("region", "nunique"), domains=("domain", "nunique"))
    assert len(per) == n_ent and s["credit_code"].nunique() == n_ent
    assert (per[["codes", "regions", "domains"]] == 1).all().all()
    chars = synth.USCC_CHARS
    codes = s.drop_duplicates("credit_code")
    body = np.array([[chars.index(ch) for ch in code[:17]] for code in codes["credit_code"]])
    check = np.array([chars[i] for i in (31 - (body @ synth.USCC_WEIGHTS) % 31) % 31])
    assert (check == codes["credit_code"].str[17].to_numpy()).all()
    province = {p[0]: p[2] for p in synth.PROVINCES}
    assert (codes["credit_code"].str[2:8] == codes["region"].map(province)).all()
    assert codes["credit_code"].str[:2].eq("91").all() and codes["credit_code"].str[8:10].eq("MA").all()
    # skewed: most enterprises declare a few standards, a few declare hundreds
    n = per["n"].sort_values(ascending=False)
    assert n.median() <= 4 and n.iloc[0] >= 50 * n.median()
    assert n.iloc[: len(n) // 100].sum() / n.sum() > 0.10  # the top 1 % hold over a tenth


def test_leaders_are_stricter_standards_of_a_key_domain(full_lists):
    import leaderkit as lk

    leaders = pd.read_parquet(synth.national_leaders_path(full_lists))
    assert list(leaders.columns) == list(synth.LEADER_COLUMNS)
    s = standards_of(full_lists).set_index("standard_id")
    assert leaders["standard_id"].isin(s.index).all()
    own = s.loc[leaders["standard_id"]]
    for col in ("enterprise", "credit_code", "region", "domain"):
        assert (own[col].to_numpy() == leaders[col].to_numpy()).all(), col
    assert (own["mass_produced"] == "是").all()
    bm = lk.benchmark(full_lists, synth.national_baselines_path(full_lists))
    verdict = bm.standards.set_index("standard_id")["stricter"]
    assert verdict.loc[leaders["standard_id"]].astype(bool).all()
    key = pd.read_parquet(synth.national_key_domains_path(full_lists))
    keyset = set(zip(key["year"], key["domain"], strict=True))
    assert all((y, d) in keyset for y, d in zip(leaders["list_year"], leaders["domain"], strict=True))
    cutoff = pd.to_datetime(leaders["list_date"]) - pd.DateOffset(months=3)
    assert (pd.to_datetime(own["published"]).to_numpy() <= cutoff.to_numpy()).all()
    # 2,942 entries, 2,856 distinct standards: 86 re-listed in the 2021 round, from earlier lists
    assert len(leaders) == 2_942 and leaders["standard_id"].nunique() == 2_856
    again = leaders[leaders["relisted"]]
    assert len(again) == 86 and set(again["list_year"]) == {2021}
    assert again["standard_id"].isin(leaders.loc[leaders["list_year"] < 2021, "standard_id"]).all()
    # provinces of the distinct leader standards at end-2022, as published for the top three
    by_region = leaders.drop_duplicates("standard_id")["region"].value_counts()
    assert by_region.head(3).to_dict() == {"广东省": 918, "山东省": 325, "浙江省": 288}
    assert by_region.sum() == synth.LEADER_PROVINCE_COUNTS.sum() == 2_856


def test_stricter_flag_is_the_truth_rule():
    pools = synth.build_pools(synth.DOMAINS, converted_weight=0.02)
    rng = np.random.default_rng(3)
    n, k = 4_000, 5
    tmpl = rng.integers(0, len(synth.DOMAINS), n)
    row_std = np.repeat(np.arange(n), k)
    slot = np.tile(np.arange(k), n)
    t = tmpl[row_std]
    row_ind = pools.dom_ind[t, (rng.integers(0, 8, n)[row_std] + slot) % pools.dom_n[t]]
    klass = rng.integers(0, 6, n)
    rung = synth.draw_rungs(rng, pools, row_std, row_ind, klass)
    truth = synth.truth_verdicts(pools, row_std, row_ind, rung, n)["stricter"].to_numpy()
    got = synth.standards_stricter(pools, row_ind, rung, k)
    assert got.sum() > 500 and (got == truth).all()


def test_key_domains_are_nested_and_counted():
    key = synth.national_key_domains(2023)
    sets = {y: set(g["domain"]) for y, g in key.groupby("year")}
    assert {y: len(v) for y, v in sets.items()} == {2018: 11, 2019: 100, 2020: 184, 2021: 202, 2022: 240, 2024: 146}
    assert sets[2018] < sets[2019] < sets[2020] < sets[2021] < sets[2022]
    assert sets[2024] < sets[2022] and 2023 not in sets
    names = synth.national_domains()[0]
    assert sets[2022] == set(names)


def test_same_seed_same_leaders(tmp_path, scaled):
    again = synth.make_national(tmp_path / "nat.parquet", n_standards=20_000, seed=5)
    a, b = (pd.read_parquet(synth.national_leaders_path(p)) for p in (scaled, again))
    pd.testing.assert_frame_equal(a, b)


def test_readme_cites_the_published_figures():
    readme = (ROOT / "sample_data" / "README.md").read_text(encoding="utf-8")
    section = synth.national_readme_section()
    assert section in readme
    for figure in synth.PUBLISHED_FIGURES:
        assert f"{figure.value:,.0f}" in section and figure.source in section
    for text in ("3,165,625", "472,459", "546,160", "插值", "interpolated", "2,942", "86"):
        assert text in section, text


def test_cli_prints_the_calibration(tmp_path, capsys):
    assert synth.main(["national", str(tmp_path / "c.parquet"), "--n", "3000", "--seed", "2",
                       "--leader-scale", "0.02", "--calibration"]) == 0
    out = capsys.readouterr().out
    assert str(synth.national_leaders_path(tmp_path / "c.parquet")) in out
    assert "leaders_广东省" in out and "calibration:" in out
    assert pd.read_parquet(synth.national_leaders_path(tmp_path / "c.parquet"))["list_year"].value_counts()[2021] \
        == round(1_231 * 0.02)
    assert synth.main(["national", str(tmp_path / "d.parquet"), "--n", "10", "--leader-scale", "-1"]) == 2
