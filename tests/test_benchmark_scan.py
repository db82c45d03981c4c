"""The national (scanned Parquet) path of benchmark(): the standards' attributes other than domain and
year are gathered on their first use and equal the frame path's; a file changed since is refused; rows find
their keys by a hash only when the keys' hashes are distinct (else by their texts, with the same result);
a standard's verdicts travel as bits whose bit_or is the max of each level."""

import itertools
import os
import pickle

import duckdb
import pandas as pd
import pytest

import leaderkit.standards.benchmarking as bmod
from leaderkit import benchmark, load_baselines, load_standards
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.standards.loading import InputError


@pytest.fixture(scope="module")
def rows():
    """The sample's rows as an export types them: text, the year a number and the day a date."""
    out = pd.read_csv(SAMPLE_DATA / "standards.csv", dtype=str)
    return out.astype({"年份": "int16"}).assign(公开日期=pd.to_datetime(out["公开日期"]).dt.date)


@pytest.fixture(scope="module")
def baselines():
    return load_baselines(SAMPLE_DATA / "baselines.csv")


@pytest.fixture(scope="module")
def framed(rows, baselines):
    return benchmark(load_standards(rows), baselines)


def messy(rows):
    """The rows as a national export may hold them: padded numbers, an enterprise and a region blank on a
    standard's first row (given on its others)."""
    out = rows.copy()
    odd = out.index % 3 == 0
    out.loc[odd, "标准编号"] = "  " + out.loc[odd, "标准编号"] + " "
    first = ~out["标准编号"].str.strip().duplicated()
    out.loc[first, "企业名称"] = " "
    out.loc[first, "地区"] = ""
    return out


@pytest.mark.parametrize("padded", [False, True])
def test_attributes_wait_for_their_first_use_and_equal_the_frame_path(tmp_path, rows, baselines, framed, padded):
    path = tmp_path / "std.parquet"
    (messy(rows) if padded else rows).to_parquet(path)
    scanned = benchmark(path, baselines)
    assert set(scanned.deferred) == {"enterprise", "category", "region", "published"} & set(framed.standards)
    assert scanned.columns == list(framed.standards.columns)
    by_year = scanned.adoption(["domain", "year"])
    assert scanned.deferred  # the adoption per domain and year read no other attribute
    pd.testing.assert_frame_equal(by_year, framed.adoption(["domain", "year"]), check_dtype=False)
    pd.testing.assert_frame_equal(scanned.adoption(["region"]), framed.adoption(["region"]), check_dtype=False)
    assert scanned.deferred == ()
    pd.testing.assert_frame_equal(scanned.standards.reset_index(drop=True),
                                  framed.standards.reset_index(drop=True), check_dtype=False)
    assert scanned.summary() | {"digest": None} == framed.summary() | {"digest": None}


def test_violations_and_pickling_gather_the_attributes(tmp_path, rows, baselines, framed):
    path = tmp_path / "std.parquet"
    rows.to_parquet(path)
    scanned = benchmark(path, baselines)
    pd.testing.assert_frame_equal(scanned.violations(), framed.violations(), check_dtype=False)
    again = pickle.loads(pickle.dumps(benchmark(path, baselines)))
    assert again.deferred == ()
    pd.testing.assert_frame_equal(again.standards, framed.standards, check_dtype=False)


def test_a_file_changed_after_the_benchmark_is_not_read_for_its_attributes(tmp_path, rows, baselines):
    path = tmp_path / "std.parquet"
    rows.to_parquet(path)
    scanned = benchmark(path, baselines)
    before = scanned.adoption(["domain"])
    rows.head(50).to_parquet(path)
    os.utime(path, ns=(0, os.stat(path).st_mtime_ns + 10**9))
    with pytest.raises(InputError) as caught:
        scanned.load_columns()
    assert "重新运行 benchmark" in str(caught.value.hint) and str(path) in str(caught.value)
    assert scanned.deferred  # nothing was gathered from the new file
    pd.testing.assert_frame_equal(scanned.adoption(["domain"]), before)  # the result in hand is intact
    with pytest.raises(InputError):
        scanned.adoption(["region"])


def test_rows_find_their_keys_by_text_when_two_keys_share_a_hash(tmp_path, rows, baselines, monkeypatch):
    path = tmp_path / "std.parquet"
    messy(rows).to_parquet(path)
    by_hash = benchmark(path, baselines).standards
    monkeypatch.setattr(bmod, "_hashes_name_keys", lambda con: False)
    by_text = benchmark(path, baselines).standards
    pd.testing.assert_frame_equal(by_text, by_hash)


def test_a_hash_shared_by_two_keys_is_detected():
    con = duckdb.connect()
    con.execute("CREATE TABLE bm_raw_verdicts AS SELECT * FROM (VALUES (1), (2), (3)) t(h)")
    assert bmod._hashes_name_keys(con)
    con.execute("INSERT INTO bm_raw_verdicts VALUES (2)")
    assert not bmod._hashes_name_keys(con)


def test_verdict_bits_hold_the_highest_code_of_each_level():
    """Every set of national and industry codes a standard's rows can carry (NULL: no baseline of that
    level), with and without a mandatory violation: bit_or of the keys' masks decodes to max per level."""
    options = [None, *bmod._CODES]
    sets = [c for size in (1, 2) for c in itertools.combinations(options, size)]
    groups = []
    for g, (nats, inds) in enumerate(itertools.product(sets, repeat=2)):
        for nat, ind in itertools.product(nats, inds):
            groups.append((g, nat, ind, g % 2 == 0 and nat == bmod.LOOSER))
    frame = pd.DataFrame(groups, columns=["g", "nat", "ind", "violation"]).astype({"nat": "Int64", "ind": "Int64"})
    con = duckdb.connect()
    con.register("rows_", frame)
    got = con.sql(f"""
        SELECT g, {bmod._max_code_sql('m', 0)} AS nat, {bmod._max_code_sql('m', 8)} AS ind,
               m & {bmod._VIOLATION_BIT} <> 0 AS violation
        FROM (SELECT g, bit_or({bmod._mask_sql('nat', 'ind', 'violation')}) AS m FROM rows_ GROUP BY g)
        ORDER BY g""").df()
    want = frame.groupby("g").agg(nat=("nat", "max"), ind=("ind", "max"), violation=("violation", "any"))
    assert len(got) == len(want) == len(sets) ** 2 == 441
    assert got["nat"].astype("Int64").tolist() == want["nat"].tolist()
    assert got["ind"].astype("Int64").tolist() == want["ind"].tolist()
    assert got["violation"].tolist() == want["violation"].tolist()


def test_statistics_gather_the_attributes_they_group_by(tmp_path, rows, baselines, framed):
    from leaderkit.standards.statistics import group_differences, margin_distribution

    path = tmp_path / "std.parquet"
    rows.to_parquet(path)
    fresh = lambda: benchmark(path, baselines)  # noqa: E731 — each call starts with the attributes deferred
    pd.testing.assert_frame_equal(group_differences(fresh(), "region"), group_differences(framed, "region"),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(group_differences(fresh(), "size"), group_differences(framed, "size"),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(margin_distribution(fresh(), by=["category", "level"]),
                                  margin_distribution(framed, by=["category", "level"]), check_dtype=False)
