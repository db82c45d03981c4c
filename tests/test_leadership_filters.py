"""Leadership page filters (year, domain, region, category), drill-down and trends: every number follows the
filters and equals the library's own computation on the matching standards."""

from __future__ import annotations

import pytest

from leaderkit.app import views as db
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.standards.benchmarking import benchmark


@pytest.fixture(scope="module")
def data():
    return db.load_data(SAMPLE_DATA)


@pytest.fixture(scope="module")
def all_leaders(data):
    out = {}
    for sid in db.chosen_schemes(data)["scheme_id"]:
        for row in db.scheme_ranking(data, sid).leaders.itertuples():
            out[row.standard_id] = sid
    return out


def matching(data, **filters):
    std = data.standards
    mask = True
    for key, value in filters.items():
        mask = mask & (std[key].astype("string") == str(value)).fillna(False)
    return std[mask.to_numpy(bool)]


@pytest.mark.parametrize("filters", [{"domain": "洗涤机械"}, {"region": "江苏省"}, {"year": 2022},
                                     {"category": "服务"}, {"domain": "物流服务", "year": 2021}])
def test_every_number_follows_the_filters(data, all_leaders, filters):
    part = matching(data, **filters)
    expected = benchmark(part, data.baselines)
    res = db.leadership_results(data, filters, langs=("zh",))
    assert res["empty"] is False and res["filters"] == {k: filters[k] for k in db.FILTERS if k in filters}
    n = res["numbers"]
    assert n["standards"] == part["standard_id"].nunique() == expected.summary()["standards"]
    assert n["rate"] == pytest.approx(expected.summary()["rate"])
    ids = set(part["standard_id"])
    assert n["leaders"] == sum(1 for sid in all_leaders if sid in ids)
    assert int(res["chosen"]["leaders"].sum()) == n["leaders"]
    t = res["targets"]
    assert set(t.loc[t["group"] == "domain", "name"]) == set(part["domain"].dropna())
    assert set(t.loc[t["group"] == "region", "name"]) == set(part["region"].dropna())
    trends = res["trends"]
    by = expected.adoption(by=["domain", "year"])
    got = trends[trends["group"] == "domain"].set_index(["name", "year"])["rate"].sort_index()
    want = by.set_index(["domain", "year"])["rate"].sort_index()
    assert got.to_numpy() == pytest.approx(want.to_numpy()) and list(got.index) == list(want.index)
    assert "zh" in res["figure"] and "en" not in res["figure"]


def test_nothing_matching_is_said_not_hidden(data):
    res = db.leadership_results(data, {"region": "西藏自治区", "domain": "洗涤机械"}, langs=())
    assert res["empty"] is True
    view = db.LeadershipView(data, lang="zh")
    view.set_filters(region="西藏自治区", domain="洗涤机械")
    texts = " ".join(getattr(c, "value", "") for c in view.body.children)
    assert "没有符合筛选条件的企业标准" in texts
    view.clear_filters()
    assert view.numbers["standards"] == data.standards["standard_id"].nunique()


def test_an_unknown_filter_is_refused(data):
    with pytest.raises(db.FilterError, match="province"):
        db.leadership_results(data, {"province": "江苏省"})


def clear_buttons(view) -> list:
    bar = view.body.children[1].children[0].children
    return [c for c in bar if "lk-filter-clear" in c._dom_classes]


def test_the_clear_button_is_shown_only_while_a_filter_is_set(data):
    view = db.LeadershipView(data, lang="zh")
    assert clear_buttons(view) == []
    view.set_filters(region="江苏省")
    (button,) = clear_buttons(view)
    assert not button.disabled and button.description == "清除筛选"
    button.click()
    assert view.filters == {} and clear_buttons(view) == []
    assert view.numbers["standards"] == data.standards["standard_id"].nunique()


def test_the_view_applies_filters_to_kpis_and_keeps_them_across_language(data):
    view = db.LeadershipView(data, lang="zh")
    view.set_filters(domain="果品蔬菜")
    part = matching(data, domain="果品蔬菜")
    kpis = view.body.children[2].value
    assert f"<b>{part['standard_id'].nunique()}</b>" in kpis
    view.set_language("en")
    assert view.filters == {"domain": "果品蔬菜"} and "en" in view.results["figure"]
    assert "filtered: domain = 果品蔬菜" in view.body.children[1].children[1].value


def test_domain_drill_down_lists_stricter_and_looser_indicators(data):
    table = db.domain_detail(data, "洗涤机械")
    assert set(table["standard_id"]) == set(matching(data, domain="洗涤机械")["standard_id"])
    ind = data.bm.indicators
    for sid in table["standard_id"].head(30):
        rows = ind[(ind["standard_id"] == sid) & ind["verdict"].isin(["stricter", "looser", "equal", "not_comparable"])]
        looser = sorted(set(rows.loc[rows["verdict"] == "looser", "indicator"]))
        shown = table.set_index("standard_id").loc[sid, "looser_indicators"]
        assert shown == "、".join(looser)
        stricter = sorted(i for i, v in rows.groupby("indicator")["verdict"] if (v == "stricter").all())
        assert table.set_index("standard_id").loc[sid, "stricter_indicators"] == "、".join(stricter)


def test_region_drill_down_counts_enterprises_and_leaders(data, all_leaders):
    table = db.province_detail(data, "江苏省")
    part = matching(data, region="江苏省")
    assert table["standards"].sum() == part["standard_id"].nunique()
    assert set(table["enterprise"]) == set(part["enterprise"])
    assert table["leaders"].sum() == sum(1 for sid in all_leaders if sid in set(part["standard_id"]))
    view = db.LeadershipView(data, lang="zh")
    view.drill_down(region="江苏省")
    shown = " ".join(getattr(c, "value", "") for c in view.drill_box.children)
    assert f"{len(table)} 家企业" in shown and "download=" in shown and ".csv" in shown
