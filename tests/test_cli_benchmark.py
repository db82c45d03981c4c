"""`leaderkit benchmark` on the bundled sample data: figures, formats, exit codes, bad rows."""

import json

from leaderkit import benchmark, load_baselines, load_standards
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.cli import main

STD = str(SAMPLE_DATA / "standards.csv")
GBK = str(SAMPLE_DATA / "standards_gbk.csv")
BASE = str(SAMPLE_DATA / "baselines.csv")


def test_json_matches_library(capsys):
    assert main(["benchmark", STD, "--baselines", BASE, "--by", "domain,year", "--format", "json",
                 "--violations"]) == 0
    out = json.loads(capsys.readouterr().out)
    bm = benchmark(load_standards(STD), load_baselines(BASE))
    assert out["summary"]["stricter"] == bm.summary()["stricter"]
    table = bm.adoption(by=["domain", "year"])
    assert [(r["domain"], r["year"], r["n"], r["stricter"]) for r in out["adoption"]] == \
        list(table[["domain", "year", "n", "stricter"]].itertuples(index=False, name=None))
    assert sorted({v["standard_id"] for v in out["violations"]}) == sorted(bm.violations()["standard_id"].unique())


def test_table_is_chinese_by_default_and_english_on_request(capsys):
    main(["benchmark", STD, "--baselines", BASE])
    assert "高于国家/行业标准" in capsys.readouterr().out
    main(["--lang", "en", "benchmark", STD, "--baselines", BASE])
    assert "stricter than national/industry standards" in capsys.readouterr().out


def test_gbk_file_with_broken_row_fails_clearly_then_skips(capsys):
    assert main(["benchmark", GBK, "--baselines", BASE]) == 2
    err = capsys.readouterr().err
    assert "standards_gbk.csv 第 18 行，列 standard_id" in err and "--skip-bad-rows" in err
    assert main(["benchmark", GBK, "--baselines", BASE, "--skip-bad-rows", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "已跳过 1 行" in captured.err and "18" in captured.err
    assert captured.out.splitlines()[0].startswith("domain,n,stricter,rate")


def test_missing_file_is_exit_2(capsys):
    assert main(["benchmark", "nope.csv", "--baselines", BASE]) == 2
    assert "找不到文件" in capsys.readouterr().err
