"""Synthetic data: the committed sample is what the generator makes, the planted truth holds, the texts
are the real forms and parse to the values they were rendered from, the national Parquet is sound."""

from __future__ import annotations

import hashlib
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leaderkit.synth import generators as synth

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
FILES = ("standards.csv", "standards_gbk.csv", "standards.xlsx", "baselines.csv", "README.md")


@pytest.fixture(scope="module")
def tables():
    return synth.sample_tables(2023)


@pytest.fixture(scope="module")
def pools():
    return synth.build_pools(synth.DOMAINS)


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    path = tmp_path_factory.mktemp("national") / "nat.parquet"
    synth.make_national(path, n_standards=2_000, seed=7)
    return path


# --- determinism -------------------------------------------------------------------------------------
def test_committed_sample_is_what_seed_2023_generates(tmp_path):
    paths = synth.make_sample(tmp_path, seed=2023)
    assert sorted(paths) == sorted(FILES)
    for name in FILES:
        new, committed = (hashlib.sha256(f.read_bytes()).hexdigest() for f in (paths[name], SAMPLE / name))
        assert new == committed, f"regenerate sample_data/{name}"


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    a = synth.make_sample(tmp_path / "a", seed=11)
    b = synth.make_sample(tmp_path / "b", seed=11)
    c = synth.make_sample(tmp_path / "c", seed=12)
    for name in FILES:
        assert a[name].read_bytes() == b[name].read_bytes()
    assert a["standards.csv"].read_bytes() != c["standards.csv"].read_bytes()


# --- shape and content of the sample -----------------------------------------------------------------
def test_sample_shape(tables):
    s, v = tables.standards, tables.verdicts
    assert list(s.columns) == list(synth.STANDARD_HEADERS)
    assert s["standard_id"].nunique() == len(v) == 410
    assert 2_500 <= len(s) <= 4_000
    assert v.groupby("domain", sort=False).size().to_dict() == {
        "洗涤机械": 100, "果品蔬菜": 90, "物流服务": 80, "翻译服务": 45, "洗染服务": 45, "储能用锂离子电池": 50}
    assert set(s["category"]) == {"消费品", "装备制造", "新兴产业", "服务"}
    assert s["region"].nunique() >= 10
    assert set(s["year"]) == set(range(2018, 2024))
    per_std = s.groupby("standard_id")["indicator"].agg(["size", "nunique"])
    assert (per_std["size"] == per_std["nunique"]).all()  # no indicator twice in a standard
    n_ind = s.groupby("domain")["indicator"].nunique()
    assert n_ind.between(5, 10).all()
    assert s["standard_id"].str.match(r"^Q/[A-Z]{3} \d{4}-20(1[89]|2[0-3])$").all()
    assert (s["standard_id"].str[-4:].astype(int) == s["year"]).all()
    assert (pd.to_datetime(s["published"]).dt.year == s["year"]).all()
    assert s["enterprise"].str.endswith("有限公司").all()
    assert set(s["mass_produced"]) == {"是", "否"}
    assert (s.loc[s["category"] == "服务", "mass_produced"] == "是").all()


def test_credit_codes_carry_a_valid_gb32100_check_character(tables):
    # the example code printed in GB 32100-2015, 91350100M000100Y43, ends in its check character 3
    chars = synth.USCC_CHARS
    body = [chars.index(ch) for ch in "91350100M000100Y4"]
    assert (31 - int(np.dot(body, synth.USCC_WEIGHTS)) % 31) % 31 == chars.index("3")
    codes = tables.standards["credit_code"].unique()
    assert all(len(c) == 18 and c.startswith("91") and c[8:10] == "MA" for c in codes)
    for code in codes:
        body = [chars.index(ch) for ch in code[:17]]
        assert chars[(31 - int(np.dot(body, synth.USCC_WEIGHTS)) % 31) % 31] == code[17]


def test_stricter_share_in_range_and_rising(tables):
    v = tables.verdicts
    assert 0.15 <= v["stricter"].mean() <= 0.35
    share = v.groupby("year")["stricter"].mean()
    assert share[[2022, 2023]].mean() > share[[2018, 2019]].mean() + 0.05
    by_region = v.groupby("region")["stricter"].agg(["mean", "size"])
    assert by_region.loc[by_region["size"] >= 15, "mean"].max() > 0.3  # varies by region


def test_planted_stories_hold_in_the_truth(tables):
    v = tables.verdicts.set_index("standard_id")
    st = tables.stories
    viol = st.loc[st["story"] == "violation", "standard_id"]
    assert len(viol) == 5
    assert set(v.index[v["mandatory_violation"]]) == set(viol)
    assert (v.loc[viol, "stricter"] == False).all()  # noqa: E712
    assert set(st.loc[st["story"] == "violation", "requirement"]) >= {"≤0.0005g/kg", "6.0～9.0", "±20%"}
    qual = st.loc[st["story"] == "qualitative_only", "standard_id"]
    assert len(qual) == 4 and not v.loc[qual, "comparable"].any()
    texts = tables.standards.set_index("standard_id").loc[qual, "requirement"]
    assert set(texts) <= set(synth.QUALITATIVE)
    unit = st[st["story"] == "unit_variant"]
    assert set(unit["requirement"]) == {"≤0.0001g/kg", "≤0.01%", "≤0.05%", "不高于千分之十五", "≥0.93W·h/(W·h)"}
    assert v.loc[unit["standard_id"], "stricter"].all()
    # only the planted rows are in a converted unit
    t = tables.truth
    assert sorted(t.loc[t["variant"] == "converted", "requirement"]) == sorted(
        st.loc[st["story"] == "violation", "requirement"].iloc[[1]].tolist() + unit["requirement"].tolist())


def test_equal_looser_and_without_baseline_cases_exist(tables):
    v = tables.verdicts
    assert (v["vs_national"] == "equal").sum() >= 20
    assert (v["vs_industry"] == "looser").sum() >= 20
    no_base = {i.name for d in synth.DOMAINS for i in d.indicators if i.national is None and i.industry is None}
    assert {"整机耗水量", "信息系统可用率", "译文准确率"} <= no_base
    b = tables.baselines
    both = b.groupby(["domain", "indicator"])["level"].nunique()
    assert (both == 2).sum() >= 5
    assert set(b["mandatory"]) == {"是", "否"}
    assert (b.loc[b["baseline_id"].str.match(r"^GB \d"), "mandatory"] == "是").all()
    assert (b.loc[b["baseline_id"].str.contains("/T"), "mandatory"] == "否").all()


def test_baseline_rows(tables):
    b = tables.baselines.set_index(["domain", "indicator", "level"])
    assert b.loc[("果品蔬菜", "铅", "国家标准"), "requirement"] == "≤0.3mg/kg"
    assert b.loc[("果品蔬菜", "铅", "国家标准"), "baseline_id"] == "GB 2762-2022"
    assert b.loc[("翻译服务", "综合差错率", "国家标准"), "requirement"] == "不超过1.5‰"
    assert b.loc[("物流服务", "货损率", "行业标准"), "requirement"] == "不超过千分之一"
    assert b.loc[("洗涤机械", "输入功率偏差", "国家标准"), "requirement"] == "+15%、-10%"
    assert b.loc[("洗涤机械", "洗净比", "行业标准"), "direction"] == "越高越好"
    assert b.loc[("果品蔬菜", "清洗用水pH值", "国家标准"), "direction"] == ""
    std = tables.standards
    assert set(zip(b.index.get_level_values(0), b.index.get_level_values(1), strict=True)) <= set(
        zip(std["domain"], std["indicator"], strict=True))


def test_gbk_file_and_its_broken_row():
    raw = (SAMPLE / "standards_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    df = pd.read_csv(SAMPLE / "standards_gbk.csv", encoding="gbk", dtype=str, keep_default_na=False)
    assert list(df.columns) == list(synth.STANDARD_HEADERS.values())
    assert set(df["领域"]) == {"洗涤机械"}
    assert df["标准编号"].replace("", np.nan).nunique() == 30
    empty = df.index[df["标准编号"] == ""].tolist()
    assert [i + 2 for i in empty] == [synth.GBK_BROKEN_ROW]  # header is row 1
    full = pd.read_csv(SAMPLE / "standards.csv", dtype=str, keep_default_na=False)
    same = full[full["标准编号"].isin(set(df["标准编号"]))].reset_index(drop=True)
    assert same.loc[empty[0], "标准编号"] != ""  # the GBK rows are the CSV rows, but for the blanked number
    same.loc[empty[0], "标准编号"] = ""
    pd.testing.assert_frame_equal(same, df)


def test_xlsx_is_the_csv():
    x = pd.read_excel(SAMPLE / "standards.xlsx", sheet_name="企业标准", dtype=str, keep_default_na=False)
    c = pd.read_csv(SAMPLE / "standards.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(x, c)


def test_readme_names_the_planted_standards(tables):
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "示意数据" in readme and "illustrative" in readme and "未经核对" in readme
    for sid in tables.stories["standard_id"]:
        assert sid in readme
    assert f"第 {synth.GBK_BROKEN_ROW} 行" in readme
    assert "470,738" in readme and "546,160" in readme


# --- requirement texts ---------------------------------------------------------------------------------
NUM = r"-?\d+(?:\.\d+)?"
UNIT = (r"(?:mg/kg|g/kg|CFU/g|%|％|‰|dB\(A\)|W|V|h|小时|次|分|℃|L/cycle|升/工作周期|L/\(cycle·kg\)"
        r"|kW·h/\(cycle·kg\)|W·h/kg|W·h/\(W·h\))?")
FORMS = [
    rf"(?:≤|＜|≥|＞) ?{NUM} ?{UNIT}",
    rf"(?:应)?不(?:大于|超过|高于|小于|低于|少于) ?{NUM} ?{UNIT}",
    rf"{NUM}{UNIT} ?(?:～|~|至) ?{NUM}{UNIT}",
    rf"± ?{NUM} ?%", rf"\+{NUM}%、-{NUM}%",
    r"不(?:超过|高于)千分之[一二三四五六七八九十]+", r"≤万分之[一二三四五六七八九]",
    rf"{NUM}≤得分<100",
    r"≤\d\.\d×10\^\d CFU/g",
]
DECORATION = r"(?:（以(?:Pb|Cd)计）)?(?:，按 GB \d+\.\d+ (?:测定|检验)|（按 GB \d+\.\d+ (?:测定|检验)）)?"


def test_every_pool_text_is_a_listed_form(pools):
    qualitative = set(synth.QUALITATIVE) | {t for d in synth.DOMAINS for i in d.indicators for t in i.texts}
    pattern = re.compile(rf"(?:{'|'.join(FORMS)}){DECORATION}")
    for e in pools.entries:
        if e.kind == "qual":
            assert e.text in qualitative
        else:
            assert pattern.fullmatch(e.text), e.text
    texts = {e.text for e in pools.entries}
    for must in ("6.5～8.5", "3.00至3.19V", "±7%", "+7%、-10%", "不超过1.5‰", "不高于千分之十五", "≤万分之五",
                 "95≤得分<100", "应不低于12.4V", "≥98%", "≤1.0×10^4 CFU/g",
                 "由供需双方协商确定", "具有该品种应有的色泽", "≤0.1mg/kg（以Pb计）", "≤0.1mg/kg，按 GB 5009.12 测定"):
        assert must in texts, must
    assert any(re.fullmatch(r"≤\d+dB\(A\)", t) for t in texts)
    assert any(t.startswith("＜") for t in texts)
    assert any(t.startswith("不大于 ") for t in texts)
    assert any("升/工作周期" in t for t in texts)
    assert 1_000 <= len(texts) <= 10_000


def test_render_examples():
    ind = synth.DOMAIN_BY_NAME["物流服务"].indicators[1]  # 货损率, ‰
    e = synth._render(ind, 2, "cnq", "‰", 1.0)
    assert (e.text, e.upper, e.unit, e.upper_inclusive) == ("不超过千分之一", 1.0, "‰", True)
    e = synth._render(ind, 5, "le", "%", 0.1)
    assert (e.text, e.upper, e.unit) == ("≤0.01%", 0.01, "%")
    tol = synth.DOMAIN_BY_NAME["洗涤机械"].indicators[7]  # 输入功率偏差
    e = synth._render(tol, 3, "pn", "%", 1.0)
    assert (e.text, e.lower, e.upper, e.kind) == ("+7%、-10%", -10.0, 7.0, "range")
    assert synth._render(tol, 3, "pm", "%", 1.0) is None  # asymmetric: no ± form
    score = synth.DOMAIN_BY_NAME["翻译服务"].indicators[3]
    e = synth._render(score, 3, "band", "分", 1.0)
    assert (e.text, e.lower, e.upper, e.upper_inclusive) == ("95≤得分<100", 95.0, 100.0, False)
    assert synth._cn(15) == "十五" and synth._cn(20) == "二十" and synth._cn(5) == "五"
    assert synth._sci(10000.0) == "1.0×10^4" and synth._sci(50.0) is None


def test_every_pool_text_parses_to_the_values_it_was_rendered_from(pools):
    from leaderkit.limits import units
    from leaderkit.limits.requirements import parse_requirement

    for e in pools.entries:
        r = parse_requirement(e.text, unit=e.unit_column or None)
        if e.kind == "qual":
            assert r.kind in ("qualitative", "declared"), e.text
            continue
        factor = units.canonical_unit(e.unit).factor if e.unit else 1.0
        assert r.kind == "numeric", e.text
        for want, got in ((e.lower, r.base_lower), (e.upper, r.base_upper)):
            assert (want is None) == (got is None), e.text
            if want is not None:
                assert math.isclose(want * factor, got, rel_tol=1e-9), (e.text, want, got)
        if e.lower is not None:
            assert r.lower_inclusive == e.lower_inclusive, e.text
        if e.upper is not None:
            assert r.upper_inclusive == e.upper_inclusive, e.text


def test_benchmark_finds_the_planted_truth(tables):
    import leaderkit as lk

    bm = lk.benchmark(SAMPLE / "standards.csv", SAMPLE / "baselines.csv")
    got = bm.standards.set_index("standard_id").reindex(tables.verdicts["standard_id"])
    want = tables.verdicts.set_index("standard_id")
    for col in ("vs_national", "vs_industry"):
        assert got[col].astype(object).fillna("-").tolist() == want[col].fillna("-").tolist(), col
    for col in ("stricter", "comparable", "mandatory_violation"):
        assert got[col].astype(bool).tolist() == want[col].tolist(), col


# --- national scale ------------------------------------------------------------------------------------
def test_national_shape_and_values(national, pools):
    import pyarrow.parquet as pq

    table = pq.read_table(national)
    assert table.column_names == list(synth.STANDARD_SCHEMA_COLUMNS)
    assert table.num_rows == 2_000 * 8
    assert str(table.schema.field("requirement").type) == "dictionary<values=string, indices=int32, ordered=0>"
    df = table.to_pandas()
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(str)
    assert df["standard_id"].nunique() == 2_000
    assert (df.groupby("standard_id")["indicator"].nunique() == 8).all()
    assert set(df["year"]) == set(range(2015, 2024))
    counts = df.drop_duplicates("standard_id")["year"].value_counts().sort_index()
    assert counts[2023] > counts[2018]
    assert df["region"].nunique() >= 20
    top = df.drop_duplicates("standard_id")["region"].value_counts().index[:6]
    assert {"广东省", "江苏省", "浙江省"} <= set(top)
    cat = df.drop_duplicates("standard_id")["category"].value_counts(normalize=True)
    assert cat["消费品"] > 0.45 and cat["服务"] < 0.2
    assert set(df["requirement"]) <= {e.text for e in pools.entries}
    assert df["published"].astype(str).str[:4].astype(int).eq(df["year"]).all()
    names, cats, templates, weights = synth.national_domains()
    assert len(names) == 240 and math.isclose(weights.sum(), 1.0)
    assert set(df["domain"]) <= set(names)
    allowed = {(n, i.name) for n, t in zip(names, templates, strict=True) for i in synth.DOMAINS[t].indicators}
    assert set(zip(df["domain"], df["indicator"], strict=True)) <= allowed


def test_national_baselines_and_atomic_write(national):
    base = pd.read_parquet(synth.national_baselines_path(national))
    assert synth.national_baselines_path(national).name == "nat_baselines.parquet"
    assert list(base.columns) == list(synth.BASELINE_HEADERS)
    assert base["domain"].nunique() == 240
    assert sorted(p.name for p in national.parent.iterdir()) == [
        "nat.parquet", "nat_baselines.parquet", "nat_key_domains.parquet", "nat_leaders.parquet"]


def test_national_is_deterministic(tmp_path, national):
    import pyarrow.parquet as pq

    again = synth.make_national(tmp_path / "again.parquet", n_standards=2_000, seed=7)
    other = synth.make_national(tmp_path / "other.parquet", n_standards=2_000, seed=8)
    assert pq.read_table(again).equals(pq.read_table(national))
    assert not pq.read_table(other).equals(pq.read_table(national))


def test_national_batches_and_indicator_count(tmp_path):
    path = synth.make_national(tmp_path / "small.parquet", n_standards=1_000, indicators_per_standard=3,
                               batch_size=300)
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 3_000 and meta.num_row_groups == 4
    with pytest.raises(synth.SynthError, match="indicators_per_standard"):
        synth.make_national(tmp_path / "bad.parquet", n_standards=10, indicators_per_standard=9)
    assert not (tmp_path / "bad.parquet").exists()


def test_cli_help_is_bilingual_and_national_runs(tmp_path):
    out = subprocess.run([sys.executable, "-m", "leaderkit.synth", "national", "--help"], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0 and "标准数" in out.stdout and "number of standards" in out.stdout
    assert synth.main(["national", str(tmp_path / "c.parquet"), "--n", "300", "--seed", "1"]) == 0
    assert pd.read_parquet(tmp_path / "c.parquet")["standard_id"].nunique() == 300
    assert synth.main(["national", str(tmp_path / "d.parquet"), "--n", "0"]) == 2
