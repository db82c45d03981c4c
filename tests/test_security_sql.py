"""Nothing from a data file reaches DuckDB as SQL text: column names, values and paths are data, so a
crafted header cannot run a statement (here: write a file) through `benchmark` or `leaderkit benchmark`,
and the settings of `benchmark` are configuration values, not SQL."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leaderkit import benchmark
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.cli import main
from leaderkit.standards.loading import InputError

BASELINES = str(SAMPLE_DATA / "baselines.csv")


def crafted_header(target) -> str:
    """A header that canonical_columns maps (名称 = standard_name: the bracketed tail reads as a unit) and
    that, pasted into SQL between double quotes, ends the statement with a view of its own making, writes
    `target` with COPY and comments out the rest."""
    return (f"名称(\" AS standard_name, 'Q/FORGED' AS standard_id, '洗涤机械' AS domain, '洗净比' AS indicator, "
            f"'≥0.99' AS requirement FROM (SELECT 1 AS \"名称(\") t; COPY (SELECT 42 AS answer) TO '{target}'; "
            f"SELECT 1 --)")


def declared(header: str) -> pd.DataFrame:
    return pd.DataFrame({header: ["工业洗衣机"], "标准编号": ["Q/A 1"], "领域": ["洗涤机械"], "指标名称": ["洗净比"],
                         "指标要求": ["≥0.90"]})


def write(frame: pd.DataFrame, path) -> None:
    if path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    else:
        frame.to_csv(path, index=False)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_a_crafted_column_name_runs_nothing_and_is_read_as_a_column(tmp_path, suffix, capsys):
    target = tmp_path / "written_by_sql.csv"
    path = tmp_path / f"standards{suffix}"
    write(declared(crafted_header(target)), path)
    bm = benchmark(path, BASELINES)
    assert bm.standards[["standard_id", "vs_national", "vs_industry", "stricter"]].values.tolist() == [
        ["Q/A 1", "stricter", "stricter", True]]
    assert bm.indicators["requirement"].tolist() == ["≥0.90", "≥0.90"]
    assert main(["benchmark", str(path), "--baselines", BASELINES, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["summary"]["standards"], out["summary"]["stricter"]) == (1, 1)
    assert not target.exists()


def test_settings_are_configuration_not_sql(tmp_path):
    target = tmp_path / "written_by_setting.csv"
    with pytest.raises(InputError, match="memory_limit"):
        benchmark(SAMPLE_DATA / "standards.csv", BASELINES,
                  memory_limit=f"1GB'; COPY (SELECT 42 AS answer) TO '{target}'; SET threads = '1")
    assert not target.exists()


class Recorder:
    """A DuckDB connection that keeps every SQL text it is given."""

    def __init__(self, con, texts: list[str]):
        self._con, self._texts = con, texts

    def execute(self, query, *args, **kwargs):
        self._texts.append(query)
        return self._con.execute(query, *args, **kwargs)

    def sql(self, query, *args, **kwargs):
        self._texts.append(query)
        return self._con.sql(query, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_no_header_value_or_path_of_the_data_is_ever_sql_text(tmp_path, monkeypatch):
    mark = "zq7mark"
    folder = tmp_path / f"agency's [{mark}] data"
    folder.mkdir()
    frame = pd.DataFrame({"标准编号": ["Q/A 1", "Q/A 2"], "领域": ["洗涤机械", "洗涤机械"],
                          f"指标名称({mark})": ["洗净比", f"洗净比{mark}"], f"指标要求（{mark}）": ["≥0.90", "≥0.60"],
                          f"{mark} notes": ["x", "y"]})
    write(frame, folder / f"part {mark}.parquet")
    write(frame, tmp_path / f"{mark}.csv")
    texts: list[str] = []
    connect = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *args, **kwargs: Recorder(connect(*args, **kwargs), texts))
    for source in (folder, tmp_path / f"{mark}.csv"):
        bm = benchmark(source, BASELINES)
        standards = bm.standards[["standard_id", "stricter"]].values.tolist()
        assert standards == [["Q/A 1", True], ["Q/A 2", False]]
        assert bm.indicators["verdict"].tolist() == ["stricter", "stricter", "no_baseline"]
        bm.adoption(by=["domain"])
        bm.violations()
    assert texts and [t for t in texts if mark in t] == []
