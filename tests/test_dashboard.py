"""Unit tests of leaderkit.dashboard: the glue behind the Voilà dashboards, run without a browser."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from leaderkit._kit.i18n import get_language, set_language
from leaderkit.app import views as db
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.standards.loading import problems


@pytest.fixture(scope="module")
def data():
    return db.load_data(SAMPLE_DATA)


@pytest.fixture(autouse=True)
def chinese():
    set_language("zh")
    yield
    set_language("zh")


# ---- data ------------------------------------------------------------------------------------------


def test_load_data_is_cached_per_folder(data):
    assert db.load_data(SAMPLE_DATA) is data
    assert data.standards["standard_id"].nunique() == 410
    assert len(data.schemes) == 14 and data.scheme_problems == []


def test_headline_numbers_match_the_sample_readme(data):
    n = db.headline(data)
    # sample_data/README.md: 9+11+18+22+14+27 = 101 stricter of 410; five planted mandatory violations
    assert (n["standards"], n["stricter"], n["mandatory_violations"]) == (410, 101, 5)
    assert n["rate"] == pytest.approx(101 / 410)
    # sample_data/agencies/README.md, 2023 rows: 一级 华衡/东岳, 二级 北辰/南屿/西岭, 三级 启明, the other 8 四级
    assert n["grade_year"] == 2023 and n["agencies"] == 14
    assert n["grade_counts"] == {1: 2, 2: 3, 3: 1, 4: 8}


def test_grade_distribution_fills_missing_grades_with_zero(data):
    dist = db.grade_distribution(data.grades)
    y2022 = dist[dist["year"] == 2022].set_index("grade")["agencies"].to_dict()
    assert y2022 == {1: 0, 2: 1, 3: 0, 4: 1}  # 华衡 2022 二级 (88), 青松 2022 四级 (60)
    assert list(dist["label_zh"].head(4)) == ["一级", "二级", "三级", "四级"]
    assert list(dist["label_en"].head(4)) == ["Grade 1", "Grade 2", "Grade 3", "Grade 4"]


def test_chosen_schemes_take_the_panel_best_and_skip_defective_schemes(data):
    chosen = db.chosen_schemes(data).set_index("domain")
    assert chosen["scheme_id"].to_dict() == {"储能用锂离子电池": "CNDC-2024-01", "洗涤机械": "XDJX-2023-A",
                                             "物流服务": "WLFW-2023-01"}
    assert chosen.loc["洗涤机械", "why_zh"] == "专家评审最优方案"
    assert chosen.loc["洗涤机械", "why_en"] == "best scheme of the expert review"
    assert not db.validation_report(data, "XDJX-2023-DEFECT-FEE-CHARGED").ok


def test_domain_groups_follow_seed_002(data):
    groups = db.domain_groups(data).to_dict()
    assert groups["果品蔬菜"] == "consumer"
    assert groups["洗涤机械"] == groups["储能用锂离子电池"] == "equipment"
    assert groups["物流服务"] == groups["翻译服务"] == groups["洗染服务"] == "services"
    assert [t for _, _, _, t in db.LEADER_TARGETS] == [1000, 500, 200]


def test_reference_date_is_the_latest_publicity_opening_of_a_chosen_scheme(data, monkeypatch):
    monkeypatch.delenv("LEADERKIT_ASOF", raising=False)
    # CNDC-2024-01 list publicity opens 2024-11-04, the latest window start among the chosen schemes
    assert db.reference_date(data, today=date(2026, 1, 1)) == date(2024, 11, 4)
    # on 2023-12-10 the windows open then are XDJX-2023-A (12-01) and WLFW-2023-01 (12-04)
    assert db.reference_date(data, today=date(2023, 12, 10)) == date(2023, 12, 4)
    monkeypatch.setenv("LEADERKIT_ASOF", "2024-02-01")
    assert db.reference_date(data) == date(2024, 2, 1)


def test_upcoming_lists_expiries_and_publicity_ends(data):
    table = db.upcoming(data, date(2024, 11, 4), weeks=8)
    assert list(table["due_date"]) == [date(2024, 11, 15), date(2024, 11, 29)]
    assert list(table["days_left"]) == [11, 25]
    assert list(table["kind_zh"]) == ["榜单公示截止", "称号到期"]
    assert list(table["kind_en"]) == ["list publicity ends", "title expires"]
    assert table.loc[1, "subject"] == "祥泰家具有限公司（LP2023-004）"
    # 2024-11-04 (Mon) + 10 working days, no holiday in between: Friday 2024-11-15
    assert "10 个工作日截至 2024-11-15" in table.loc[0, "detail_zh"]
    assert "10 working days end on 2024-11-15" in table.loc[0, "detail_en"]


def test_upcoming_includes_yearly_review_and_ignores_ended_titles(data):
    # LP2023-001 runs 2023-03-15 … 2025-03-14: its yearly review falls on 2024-03-15.
    # LP2022-001 would expire 2024-03-14 but was revoked on 2023-03-15, so it is not listed.
    table = db.upcoming(data, date(2024, 3, 1), weeks=4)
    assert list(zip(table["kind_zh"], table["subject"], strict=True)) == [("称号年度复核", "清源食品有限公司（LP2023-001）")]


# ---- figures ---------------------------------------------------------------------------------------


def test_adoption_figure_bars_carry_the_wilson_interval(data):
    table = data.bm.adoption(by=["domain"])
    fig = db.adoption_figure(table, "domain")
    bar = fig.data[0]
    t = table.sort_values("rate")
    assert list(bar.y) == list(t["domain"])
    assert list(bar.error_x.array) == pytest.approx(list(t["ci_high"] - t["rate"]))
    # green only where the interval's lower bound reaches 20 % (储能用锂离子电池: 19/50, low 25.9 %)
    greens = [d for d, c in zip(bar.y, bar.marker.color, strict=True) if c == db.GOOD]
    assert greens == ["储能用锂离子电池"]
    assert fig.layout.shapes[0].x0 == 0.2


def test_year_figure_labels_follow_the_language(data):
    table = data.bm.adoption(by=["year"])
    assert "按年份" in db.adoption_figure(table, "year").layout.title.text
    set_language("en")
    fig = db.adoption_figure(table, "year")
    assert fig.layout.title.text.startswith("By year")
    assert list(fig.data[2].x) == ["2018", "2019", "2020", "2021", "2022", "2023"]


def test_grades_figure_has_one_trace_per_grade(data):
    fig = db.grades_figure(db.grade_distribution(data.grades))
    assert [t.name for t in fig.data] == ["一级", "二级", "三级", "四级"]
    assert list(fig.data[3].y) == [1, 8]


# ---- messages, downloads, uploads ------------------------------------------------------------------


def test_error_html_is_bilingual_and_escaped():
    from leaderkit.standards.loading import InputError

    exc = InputError("第 3 行 <空>", "row 3 <empty>", where="a.csv:3:指标", hint=db.Text("填写", "fill it in"))
    out = db.error_html(exc)
    assert "第 3 行 &lt;空&gt;" in out and "row 3 &lt;empty&gt;" in out and "a.csv:3:指标" in out
    assert "lk-error" in out and "Traceback" not in out
    generic = db.error_html(KeyError("x"))
    assert "KeyError" in generic and "处理失败" in generic


def test_download_link_round_trips_the_bytes():
    link = db.download_link(b"\x00\x01xlsx", "名单.xlsx", "下载")
    href = re.search(r"href='data:[^;]+;base64,([^']+)'", link).group(1)
    assert base64.b64decode(href) == b"\x00\x01xlsx"
    assert "download='名单.xlsx'" in link


@pytest.mark.parametrize("name, content, kind", [
    ("a.csv", "标准编号,领域\n".encode("gbk"), "csv"),
    ("a.xlsx", b"PK\x03\x04rest", "xlsx"),
    ("a.xls", b"\xd0\xcf\x11\xe0rest", "xls"),
])
def test_sniff_kind_accepts_matching_content(name, content, kind):
    assert db.sniff_kind(name, content) == kind


@pytest.mark.parametrize("name, content, fragment", [
    ("a.xlsx", b"this is not a zip", "内容不是 XLSX"),
    ("a.csv", b"PK\x03\x04zip", "内容不是 CSV"),
    ("a.pdf", b"%PDF-1.4", "不支持的文件类型"),
    ("a.csv", b"\x00\x01\x02\x03", "内容不是 CSV"),
])
def test_sniff_kind_refuses_mismatches(name, content, fragment):
    with pytest.raises(db.UploadError) as err:
        db.sniff_kind(name, content)
    assert fragment in err.value.text.zh and err.value.where == name


def test_read_upload_gbk_csv_reports_the_bad_row():
    content = (SAMPLE_DATA / "standards_gbk.csv").read_bytes()
    df = db.read_upload("机构上报.csv", content)
    assert df.attrs["encoding"] == "gb18030"
    bad = problems(df)
    assert list(bad["row"]) == [18] and list(bad["column"]) == ["standard_id"]
    assert set(bad["file"]) == {"机构上报.csv"}
    assert df["standard_id"].nunique() == 30  # the blank row's standard keeps its other indicator rows


def test_read_upload_excel_reads_the_sheet():
    df = db.read_upload("standards.xlsx", (SAMPLE_DATA / "standards.xlsx").read_bytes())
    assert df["standard_id"].nunique() == 410 and problems(df).empty


def test_read_upload_refuses_a_corrupt_excel():
    good = (SAMPLE_DATA / "standards.xlsx").read_bytes()
    corrupt = good[: len(good) // 3]  # a zip cut short: the header is right, the archive is not
    with pytest.raises(db.LeaderkitError) as err:
        db.read_upload("坏文件.xlsx", corrupt)
    assert "坏文件.xlsx" in str(err.value)


def test_read_upload_size_and_empty_limits():
    with pytest.raises(db.UploadError, match="超过上限 1 MB"):
        db.read_upload("big.csv", b"a" * (2**20 + 1), limit=2**20)
    with pytest.raises(db.UploadError, match="是空的"):
        db.read_upload("empty.csv", b"")


def test_read_upload_without_required_columns_names_them():
    content = "名称,数量\n甲,1\n".encode()
    with pytest.raises(db.LeaderkitError) as err:
        db.read_upload("表.csv", content)
    assert "缺少必需的列" in err.value.text.zh and "standard_id" in err.value.text.zh


def test_the_upload_button_refuses_a_file_over_the_limit_and_says_so(data):
    from leaderkit.app.upload import UPLOAD_LIMIT_BYTES, WEBSOCKET_MAX_BYTES, SizedUpload

    got, refused = [], []
    button = SizedUpload(on_file=lambda n, c: got.append((n, c)), on_refused=lambda n, s: refused.append((n, s)))
    button._received(button, {"event": "file", "name": "a.csv", "size": 3}, [memoryview(b"abc")])
    button._received(button, {"event": "refused", "name": "big.csv", "size": UPLOAD_LIMIT_BYTES + 1}, [])
    button._received(button, {"event": "file", "name": "sneaky.csv"}, [memoryview(bytes(UPLOAD_LIMIT_BYTES + 1))])
    assert got == [("a.csv", b"abc")]
    assert [n for n, _ in refused] == ["big.csv", "sneaky.csv"]
    assert WEBSOCKET_MAX_BYTES > UPLOAD_LIMIT_BYTES
    view = db.ExplorerView(data)
    view.refuse_upload("big.csv", UPLOAD_LIMIT_BYTES + 1)
    assert "超过上限 20 MB" in view.message and "big.csv" in view.message


def test_html_table_translates_headers_and_truncates():
    df = pd.DataFrame({"a": range(5), "b": list("vwxyz")})
    out = db.html_table(df, {"a": db.Text("甲", "A")}, max_rows=3)
    assert "<th>甲</th>" in out and "<th>b</th>" not in out and "另有 2 行未显示" in out
    set_language("en")
    assert "2 more rows not shown" in db.html_table(df, max_rows=3)


def test_read_upload_errors_name_the_upload_not_the_temporary_copy():
    with pytest.raises(db.LeaderkitError) as err:
        db.read_upload("坏文件.xlsx", b"PK\x03\x04 not really a zip")
    assert "坏文件.xlsx" in err.value.text.zh and "坏文件.xlsx" in err.value.text.en and "/tmp" not in str(err.value)


# ---- views, headless (the same objects the notebooks display) ------------------------------------


def test_leaders_by_group_counts_the_chosen_schemes_leaders(data):
    table = db.leaders_by_group(data).set_index("group")
    per_scheme = {sid: len(db.scheme_ranking(data, sid).leaders) for sid in ("CNDC-2024-01", "XDJX-2023-A",
                                                                           "WLFW-2023-01")}
    assert table.loc["equipment", "leaders"] == per_scheme["CNDC-2024-01"] + per_scheme["XDJX-2023-A"]
    assert table.loc["services", "leaders"] == per_scheme["WLFW-2023-01"]
    assert table.loc["consumer", "leaders"] == 0  # no scheme for 果品蔬菜 in the sample
    assert table.loc["services", "share"] == pytest.approx(per_scheme["WLFW-2023-01"] / 200)


def test_leadership_view_numbers_and_language(data):
    view = db.LeadershipView(data)
    assert view.numbers["leaders"] == int(db.leaders_by_group(data)["leaders"].sum())
    assert view.numbers["upcoming"] == 2 and view.on == date(2024, 11, 4)
    view.set_horizon(weeks=1)
    assert view.numbers["upcoming"] == 0
    view.set_language("en")
    assert "overview" in view.body.children[0].children[0].value


def test_explorer_upload_flow_keeps_the_ranking_on_a_bad_file(data):
    view = db.ExplorerView(data)
    assert view.scheme_id == "XDJX-2023-A"  # 洗涤机械 has the most standards among domains with a chosen scheme
    leaders = list(view.ranking.leaders["standard_id"])
    good = (SAMPLE_DATA / "standards.xlsx").read_bytes()
    assert view.upload("坏.xlsx", good[:4000]) is False
    assert "lk-error" in view.message and "坏.xlsx" in view.message
    assert list(view.ranking.leaders["standard_id"]) == leaders
    assert view.upload("gbk.csv", (SAMPLE_DATA / "standards_gbk.csv").read_bytes())
    assert view.source == db.UPLOADED and "第 18 行 standard_id" in view.message
    assert set(view.ranking.table["standard_id"]) <= set(view.uploaded["standard_id"])


def test_expert_panel_export_is_the_tuned_ranking(data):
    import openpyxl

    view = db.ExpertPanelView(data)
    assert (view.domain, view.a, view.b) == ("洗涤机械", "XDJX-2023-A", "XDJX-2023-B")
    view.tuner.set_weight("energy_use", 0.0)
    payload = view.export()
    wb = openpyxl.load_workbook(io.BytesIO(payload), read_only=True)
    cells = {str(c) for row in wb["领跑者名单"].iter_rows(values_only=True) for c in row if c}
    assert set(view.tuned.leaders["standard_id"]) <= cells
    assert "lk-download" in view.export_box.value


def test_overview_figure_holds_every_panel_in_one_figure(data):
    leaders = db.leaders_by_group(data)
    fig = db.overview_figure(data, leaders)
    assert [a.text for a in fig.layout.annotations][:3] == ["按年份", "按领域", "按地区"]
    # 3 year traces + domain + region + 2 leader traces + 4 grade traces
    assert len(fig.data) == 3 + 1 + 1 + 2 + 4
    leader_bars = [t for t in fig.data if t.name == "本数据中的领跑者（示意）"][0]
    assert list(leader_bars.text) == list(leaders["leaders"])
    assert sum(1 for s in fig.layout.shapes if s.line.dash == "dash") == 3  # the 20 % line in each adoption panel


# ---- cross-kernel cache of the leadership page ------------------------------------------------------


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(db.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _standards_subset(folder, k):
    """A data folder whose standards.csv holds the first k standards of each domain (the other files come from
    the sample); returns the folder and the number of standards kept."""
    table = pd.read_csv(SAMPLE_DATA / "standards.csv", dtype=str)
    firsts = table.drop_duplicates("标准编号").groupby("领域", sort=False).head(k)["标准编号"]
    folder.mkdir(exist_ok=True)
    table[table["标准编号"].isin(firsts)].to_csv(folder / "standards.csv", index=False)
    return folder, len(firsts)


def test_leadership_results_are_the_library_numbers_in_both_languages(data):
    results = db.leadership_results(data)
    leaders = db.leaders_by_group(data)
    assert results["numbers"]["stricter"] == db.headline(data)["stricter"] == 101
    assert results["numbers"]["leaders"] == int(leaders["leaders"].sum())
    assert results["on"] == db.reference_date(data)
    assert dict(zip(results["chosen"]["scheme_id"], results["chosen"]["leaders"], strict=True)) == {
        sid: len(db.scheme_ranking(data, sid).leaders) for sid in db.chosen_schemes(data)["scheme_id"]}
    titles = {lang: [a["text"] for a in json.loads(fig)["layout"]["annotations"]][:3]
              for lang, fig in results["figure"].items()}
    assert titles == {"zh": ["按年份", "按领域", "按地区"], "en": ["By year", "By domain", "By region"]}
    assert len(results["upcoming"]) == 2
    assert "10 个工作日" in results["upcoming"]["detail_zh"].iloc[0]
    assert "10 working days" in results["upcoming"]["detail_en"].iloc[0]
    assert set(results["grades"]["year"]) == {2023}


def test_leadership_results_are_the_same_whatever_the_language(data):
    zh = db.leadership_results(data)
    set_language("en")
    en = db.leadership_results(data)
    assert get_language() == "en"
    for key in ("leaders", "chosen", "grades", "upcoming"):
        pd.testing.assert_frame_equal(zh[key], en[key])
    assert list(zh["leaders"]["label_zh"]) == ["消费品", "装备制造与新兴产业", "服务"]
    assert list(zh["leaders"]["label_en"]) == ["Consumer goods", "Equipment & emerging industries", "Services"]
    assert zh["figure"] == en["figure"]


def test_views_render_in_their_own_language_and_leave_the_librarys_alone(data):
    view = db.LeadershipView(data)
    assert "总体情况" in view.body.children[0].children[0].value
    view.set_language("en")
    assert get_language() == "zh"
    assert "overview" in view.body.children[0].children[0].value and view.lang == "en"
    grades = next(c for c in view.body.children if "lk-agencies" in c._dom_classes).children[1].value
    assert "Grade 1" in grades and "meets grade 1" in grades and "满足一级条件" not in grades
    upcoming = view.upcoming_box.children[0].value
    assert "list publicity ends" in upcoming and "榜单公示截止" not in upcoming
    toggle = view.body.children[0].children[1]
    toggle.value = "zh"  # the page's own 中文 / English switch
    assert view.lang == "zh" and "总体情况" in view.body.children[0].children[0].value
    set_language("en")
    assert "总体情况" in db.LeadershipView(data, lang="zh").body.children[0].children[0].value
    assert get_language() == "en"


def test_explorer_and_panel_views_take_a_language(data):
    explorer = db.ExplorerView(data, lang="en")
    assert get_language() == "zh"
    page = explorer.body.children[0].children[0].value
    assert "Ranking explorer" in page
    ranking = explorer.table.table.value
    assert "why (rank or reasons)" in ranking and "说明（名次或不符合原因）" not in ranking
    assert explorer.upload("空.csv", b"") is False
    assert explorer.message.index("空.csv is empty") < explorer.message.index("文件 空.csv 是空的")
    explorer.set_language("zh")
    assert explorer.message.index("文件 空.csv 是空的") < explorer.message.index("空.csv is empty")
    panel = db.ExpertPanelView(data, lang="en")
    assert get_language() == "zh"
    assert "Expert panel" in panel.body.children[0].children[0].value
    assert "best scheme: XDJX-2023-A" in panel.body.children[2].children[1].value
    assert "passes" in panel.body.children[3].children[1].children[0].value


def test_cache_is_written_once_read_back_and_recomputed_when_the_data_change(tmp_path, cache):
    import pickle

    folder, n = _standards_subset(tmp_path / "data", 20)
    first = db.cached_leadership(folder)
    assert first["numbers"]["standards"] == n and 60 < n < 410
    files = list(cache.glob("leadership-*.pickle"))
    assert len(files) == 1
    stored = pickle.loads(files[0].read_bytes())
    stored["numbers"]["standards"] = -1  # a marker: the next call must return what is on disk
    files[0].write_bytes(pickle.dumps(stored))
    assert db.cached_leadership(folder)["numbers"]["standards"] == -1
    _, fewer = _standards_subset(folder, 15)  # new data, new signature: computed afresh
    assert db.cached_leadership(folder)["numbers"]["standards"] == fewer < n
    assert len(list(cache.glob("leadership-*.pickle"))) == 2


def test_a_broken_or_unwritable_cache_is_computed_around(tmp_path, cache, monkeypatch):
    folder, n = _standards_subset(tmp_path / "data", 20)
    db.cached_leadership(folder)
    (entry,) = cache.glob("leadership-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert db.cached_leadership(folder)["numbers"]["standards"] == n
    monkeypatch.setenv(db.CACHE_ENV, str(entry))  # a file where the folder should be: cannot write
    assert db.cached_leadership(folder)["numbers"]["standards"] == n


def test_cache_key_follows_the_as_of_date_and_the_day(tmp_path, monkeypatch):
    folder, _ = _standards_subset(tmp_path / "data", 10)
    key = db.cache_key(folder, today=date(2025, 1, 1))
    assert db.cache_key(folder, today=date(2025, 1, 1)) == key
    assert db.cache_key(folder, today=date(2025, 1, 2)) != key
    monkeypatch.setenv("LEADERKIT_ASOF", "2024-06-01")
    assert db.cache_key(folder, today=date(2025, 1, 1)) != key


def test_leadership_view_reads_the_warm_cache_and_loads_data_only_when_needed(cache, monkeypatch):
    monkeypatch.delenv("LEADERKIT_DATA", raising=False)
    assert db.warm_cache() == cache
    view = db.LeadershipView()
    assert view._data is None  # first render from the cache: nothing read or ranked
    assert view.numbers["upcoming"] == 2 and view.numbers["stricter"] == 101 and view.on == date(2024, 11, 4)
    view.set_language("en")
    assert view._data is None and "overview" in view.body.children[0].children[0].value
    view.set_horizon(weeks=1)  # another horizon: computed from the data
    assert view._data is not None and view.numbers["upcoming"] == 0


# ---- charts without FigureWidget ---------------------------------------------------------------------


def test_chart_widget_falls_back_to_a_figure_widget_without_a_plotly_url(data, monkeypatch):
    import plotly.graph_objects as go

    from leaderkit.app import charts

    monkeypatch.delenv(charts.URL_ENV, raising=False)
    fig = db.grades_figure(db.grade_distribution(data.grades))
    widget = charts.chart_widget(fig)
    assert isinstance(widget, go.FigureWidget) and len(widget.data) == 4


def test_chart_widget_sends_the_figure_json_and_the_plotly_url(data, monkeypatch):
    from leaderkit.app import charts

    monkeypatch.setenv(charts.URL_ENV, "/voila/files/static/plotly-x.min.js")
    fig = db.grades_figure(db.grade_distribution(data.grades))
    widget = charts.chart_widget(fig)
    assert isinstance(widget, charts.chart_class()) and widget.src == "/voila/files/static/plotly-x.min.js"
    assert [t["name"] for t in widget.figure["data"]] == ["一级", "二级", "三级", "四级"]
    assert widget.figure["layout"]["title"]["text"].startswith("评估机构等级分布")
    assert "plotly.min.js" not in charts._ESM and len(charts._ESM) < 3000  # plotly.js is not in the widget
    fig.data[0].y = [7, 7]
    charts.redraw(widget, fig)
    assert widget.figure["data"][0]["y"] == [7, 7]
    sent = []
    widget.observe(lambda change: sent.append(change["name"]), names=["traces", "plot_layout"])
    fig.data[0].y = [8, 9]
    charts.redraw(widget, fig, traces_only=True)  # a slider's redraw: the traces go, the layout stays
    assert sent == ["traces"] and widget.traces[0]["y"] == [8, 9]
    assert widget.plot_layout == charts.figure_json(fig)["layout"]
    fig.layout.title.text = "另一个标题"
    charts.redraw(widget, fig)
    assert "plot_layout" in sent[1:] and widget.figure["layout"]["title"]["text"] == "另一个标题"


def test_tuner_redraws_its_chart_after_a_slider_change(data, monkeypatch):
    from leaderkit.app import charts
    from leaderkit.app.widgets import Tuner

    monkeypatch.setenv(charts.URL_ENV, "/plotly.js")
    scheme = data.schemes["XDJX-2023-A"]
    tuner = Tuner(scheme, data.standards, on=scheme.timeline.ranking_date, baselines=data.baselines,
                  register=data.register)
    assert isinstance(tuner.chart, charts.chart_class())
    tuner.set_weight("energy_use", 0.0)
    eligible = tuner.ranking.table[tuner.ranking.table["eligible"]]
    assert tuner.chart.figure["data"][0]["x"] == eligible["standard_id"].head(tuner.shown).tolist()
    entering = {sid for sid, colour in zip(tuner.chart.figure["data"][0]["x"],
                                           tuner.chart.figure["data"][0]["marker"]["color"], strict=True)
                if colour == "#2da44e"}
    assert entering == set(tuner.entering) and entering


def test_publish_plotly_copies_the_installed_bundle_once(tmp_path):
    import plotly

    from leaderkit.app import charts

    path = charts.publish_plotly(tmp_path)
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert path == tmp_path / "static" / f"plotly-{plotly.__version__}.min.js"
    assert path.read_bytes() == source.read_bytes()
    stamp = path.stat().st_mtime_ns
    assert charts.publish_plotly(tmp_path) == path and path.stat().st_mtime_ns == stamp


def test_serve_allows_exactly_the_published_plotly_file(monkeypatch, tmp_path):
    from leaderkit.app import charts, serve

    monkeypatch.setattr(serve, "DASHBOARDS", tmp_path)
    url = serve.voila_env()[charts.URL_ENV]
    path = url.removeprefix("/voila/files/").split("?")[0]
    assert (tmp_path / path).exists()
    assert re.fullmatch(serve.STATIC_ALLOWLIST, path)
    assert not re.fullmatch(serve.STATIC_ALLOWLIST, "leadership.ipynb")
    assert f"--VoilaConfiguration.file_allowlist={serve.STATIC_ALLOWLIST}" in serve.voila_command("127.0.0.1", 1)


def _folder_with_domains(tmp_path, domains):
    standards = pd.read_csv(SAMPLE_DATA / "standards.csv", dtype=str)
    folder = tmp_path / "data"
    folder.mkdir()
    standards[standards["领域"].isin(domains)].to_csv(folder / "standards.csv", index=False)
    return folder


def test_partial_data_ranks_only_domains_it_has(tmp_path, cache):
    folder = _folder_with_domains(tmp_path, ["物流服务"])
    data = db.load_data(folder)
    assert data.domains_with_schemes == ["物流服务"]  # the sample schemes of other domains are left out
    view = db.LeadershipView(data)
    assert view.numbers["standards"] == 80
    assert view.numbers["leaders"] == len(db.scheme_ranking(data, db.chosen_schemes(data)["scheme_id"][0]).leaders)


def test_expert_panel_says_so_when_no_domain_has_both_scheme_and_standards(tmp_path, cache):
    data = db.load_data(_folder_with_domains(tmp_path, ["果品蔬菜"]))
    view = db.ExpertPanelView(data)
    assert view.domain is None
    assert "没有同时具备评估方案" in view.body.children[0].value


# ---- explorer: busy state, validation status, downloads, paged table (issue 12) -----------------------


def _links(html_text: str) -> dict[str, bytes]:
    """file name → bytes of every data-URI download link in an HTML string."""
    return {name: base64.b64decode(data) for name, data in
            re.findall(r"download='([^']+)' href='data:[^;]+;base64,([^']+)'", html_text)}


def _download_box(view):
    return next(c for c in view.body.children if "lk-download-box" in c._dom_classes)


def test_explorer_picker_says_which_schemes_pass_validation(data):
    view = db.ExplorerView(data)
    picker = view.body.children[1].children[2]
    labels = dict((value, label) for label, value in picker.options)
    assert labels["XDJX-2023-A"] == "XDJX-2023-A · 洗涤机械 · 校验通过"
    assert labels["XDJX-2023-DEFECT-WEIGHTS-SUM"].endswith("· 校验未通过")
    view.set_language("en")
    picker = view.body.children[1].children[2]
    assert dict((v, k) for k, v in picker.options)["XDJX-2023-DEFECT-FEE-CHARGED"].endswith("· validation fails")


def test_a_failing_schemes_workbook_is_marked_unvalidated_draft(data):
    import openpyxl

    view = db.ExplorerView(data, scheme_id="XDJX-2023-A")
    assert "XDJX-2023-A-公示名单.xlsx" in _links(_download_box(view).value)
    view.select(scheme_id="XDJX-2023-DEFECT-WEIGHTS-SUM")
    assert "lk-warning" in view.message and "未通过校验" in view.message
    files = _links(_download_box(view).value)
    name = "XDJX-2023-DEFECT-WEIGHTS-SUM-未通过校验·草案.xlsx"
    assert name in files
    wb = openpyxl.load_workbook(io.BytesIO(files[name]), read_only=True)
    for sheet in wb.sheetnames:
        assert "未通过校验·草案" in next(wb[sheet].iter_rows(values_only=True))[0]


def test_explorer_shows_busy_and_no_stale_result_while_computing(data, monkeypatch):
    view = db.ExplorerView(data)
    seen = []
    compute = view.compute

    def watched():
        classes = [cls for child in view.body.children for cls in child._dom_classes]
        html_text = "".join(getattr(child, "value", "") for child in view.body.children)
        seen.append(("lk-download-box" in classes, "lk-busy" in html_text, view.busy))
        compute()

    monkeypatch.setattr(view, "compute", watched)
    view.select(scheme_id="XDJX-2023-B")
    assert seen == [(False, True, True)]
    assert not view.busy and "lk-busy" not in view.body.children[2].value
    assert "XDJX-2023-B-公示名单.xlsx" in _links(_download_box(view).value)


def test_ranking_csv_download_is_the_table_with_cells_neutralised(data):
    view = db.ExplorerView(data)
    files = _links(_download_box(view).value)
    table = pd.read_csv(io.BytesIO(files["XDJX-2023-A-排行榜.csv"]), encoding="utf-8-sig")
    assert list(table.columns) == ["名次", "领跑者", "标准编号", "企业", "地区", "符合资格", "得分", "说明（名次或不符合原因）"]
    assert len(table) == len(view.ranking.table)
    assert table["标准编号"].tolist() == view.ranking.table["standard_id"].tolist()
    rows = pd.DataFrame({"standard_id": ["=1+2", "@SUM(A1)", "Q/A 1"]})
    out = db.csv_bytes(rows, {"standard_id": db.Text("标准编号", "standard")}, lang="en").decode("utf-8-sig")
    assert out.splitlines() == ["standard", "'=1+2", "'@SUM(A1)", "Q/A 1"]


def test_bad_rows_of_an_upload_download_as_csv(data):
    view = db.ExplorerView(data)
    assert view.upload("gbk.csv", (SAMPLE_DATA / "standards_gbk.csv").read_bytes())
    files = _links(view.body.children[2].value)
    bad = pd.read_csv(io.BytesIO(files["问题行.csv"]), encoding="utf-8-sig")
    assert bad[["行", "列", "问题"]].values.tolist() == [[18, "standard_id", "必填项为空"]]


def test_reasons_name_indicators_in_english(data):
    ranking = db.scheme_ranking(data, "XDJX-2023-A")
    rows = db.ranking_rows(ranking, "en")
    first = rows["why_shown"].iloc[0]
    assert first.startswith("rank 1, score 65.00; leader level: 洗净比")
    assert not any(ind.id in why for why in rows["why_shown"] for ind in ranking.scheme.indicators)


def test_public_time_after_the_list_date_is_said_in_words(data):
    table = db.scheme_ranking(data, "XDJX-2023-A").table.set_index("standard_id")
    assert table.loc["Q/ZJF 0020-2023", "why_zh"].endswith("公开时间不足（公开日期晚于榜单日期）")
    assert "(published after the list date)" in table.loc["Q/ZJF 0020-2023", "why_en"]
    assert "公开 21 日" in table.loc["Q/CKS 0029-2023", "why_zh"]
    assert not table["why_zh"].str.contains("公开 -").any()


def test_paged_table_pages_sorts_and_searches(data):
    ranking = db.scheme_ranking(data, "XDJX-2023-A")
    t = db.PagedTable(db.ranking_rows(ranking), db.RANKING_COLUMNS, "lk-x", page_size=25)
    assert "第 1/4 页 · 第 1–25 行，共 100 行" in t.info.value and t.previous.disabled
    assert t.table.value.count("<tr>") == 25
    t.next.click()
    t.next.click()
    t.next.click()
    assert "第 4/4 页 · 第 76–100 行" in t.info.value and t.next.disabled
    t.search.value = "zjf"
    assert t.rows()["standard_id"].tolist() == ["Q/ZJF 0019-2022", "Q/ZJF 0020-2023"]
    assert "第 1/1 页" in t.info.value
    t.search.value = ""
    t.sort.value, t.descending.value = "score", True
    assert t.rows()["score"].head(3).tolist() == [65.0, 62.86, 53.86]
    t.size.value = 100
    assert t.table.value.count("<tr>") == 100


# ---- leadership: the target in honest words, linear leaders, nothing internal (issue 12) ---------------


def test_target_status_separates_the_estimate_from_the_interval():
    assert db.target_status(0.267, 0.15, 0.40) == (True, "spans")  # 26.7 % meets by the estimate
    assert db.target_status(0.38, 0.259, 0.52) == (True, "above")
    assert db.target_status(0.15, 0.08, 0.25) == (False, "spans")
    assert db.target_status(0.05, 0.01, 0.12) == (False, "below")


def test_target_table_has_two_honest_columns_per_domain_and_region(data):
    t = db.target_table(data).set_index(["group", "name"])
    battery = t.loc[("domain", "储能用锂离子电池")]
    assert (bool(battery["estimate_meets"]), battery["interval"]) == (True, "above")
    assert set(t.index.get_level_values("group")) == {"domain", "region"}
    meets_by_estimate = t[t["estimate_meets"] & (t["interval"] == "spans")]
    assert len(meets_by_estimate) > 0  # the rows the old 达标 (lower bound ≥ 20 %) column showed as 否
    page = db.target_html(db.target_table(data), "domain", "zh")
    assert "估计值达标，区间含目标，尚不确定" in page and "已达标（区间下限也不低于目标）" in page


def test_leaders_figure_is_linear():
    table = pd.DataFrame({"target": [1000, 500, 200], "leaders": [0, 2, 5], "domains": ["", "a", "b"]})
    fig = db.leaders_figure(table)
    assert fig.layout.xaxis.type == "linear" and list(fig.data[1].x) == [0, 2, 5]
    assert fig.layout.xaxis.range[0] == 0


def test_leadership_page_shows_no_internal_labels_or_paths(data):
    for lang in ("zh", "en"):
        view = db.LeadershipView(data, lang=lang)
        text = "".join(getattr(c, "value", "") for box in view.body.children
                       for c in getattr(box, "children", [box]) if isinstance(getattr(c, "value", None), str))
        for internal in ("seed 00", "文件 00", str(data.folder), "/work/"):
            assert internal not in text, (lang, internal)
        assert db.data_time(data.folder) in text
        assert view.meta.lang == {"zh": "zh-CN", "en": "en"}[lang] and view.meta.title


def test_check_lines_print_in_the_notebook_but_not_on_a_served_page(monkeypatch, capsys):
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    db.print_check("数据核对 / check: x=1")
    assert capsys.readouterr().out == "数据核对 / check: x=1\n"
    monkeypatch.setenv("VOILA_KERNEL_ID", "abc")
    db.print_check("数据核对 / check: x=1")
    assert capsys.readouterr().out == ""


def test_overview_figure_follows_the_page_width(data):
    fig = db.overview_figure(data, db.leaders_by_group(data))
    assert fig.layout.width is None and fig.layout.autosize is True
