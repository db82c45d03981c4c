"""The tuner and comparison widgets, driven from Python: they re-rank exactly as `rank` says."""

from datetime import date

import pytest

from leaderkit import load_standards
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.app.widgets import ComparisonView, Tuner, WidgetError
from leaderkit.ranking.compare import compare_schemes
from leaderkit.ranking.result import rank
from leaderkit.schemes.model import Scheme

ON = date(2023, 12, 31)


@pytest.fixture(scope="module")
def data():
    return load_standards(SAMPLE_DATA / "standards.csv")


@pytest.fixture(scope="module")
def scheme():
    return Scheme.load(SAMPLE_DATA / "schemes" / "logistics.yaml")


@pytest.fixture(scope="module")
def conditioned(scheme):
    """The sample scheme with a leader condition: its leader levels act."""
    return scheme.with_changes({"ranking.levels": {"entry": "none", "tier": "none",
                                                   "leader": {"level": "leader", "k": 1}}})


def leaders(result):
    return result.leaders["standard_id"].tolist()


def test_weight_change_reranks_as_rank_says(scheme, data):
    tuner = Tuner(scheme, data, on=ON)
    assert leaders(tuner.ranking) == leaders(rank(scheme, data, on=ON))
    tuner.set_weight("satisfaction", 1.0)
    expected = rank(scheme.with_weights({"satisfaction": 1.0}), data, on=ON)
    assert leaders(tuner.ranking) == leaders(expected)
    assert leaders(tuner.ranking) != leaders(rank(scheme, data, on=ON))  # the list really moved
    assert tuner.entering == sorted(set(leaders(expected)) - set(leaders(rank(scheme, data, on=ON))))
    assert tuner.leaving and all(s in tuner.leaders_box.value for s in leaders(expected))
    assert tuner.weight_sliders["satisfaction"].value == 1.0


def test_sliders_drive_the_same_path(conditioned, data):
    scheme = conditioned
    tuner = Tuner(scheme, data, on=ON)
    tuner.weight_sliders["damage_rate"].value = 0.9
    assert tuner.scheme.indicator("damage_rate").weight == 0.9
    assert leaders(tuner.ranking) == leaders(rank(scheme.with_weights({"damage_rate": 0.9}), data, on=ON))
    tuner.threshold_sliders["on_time_rate", "leader"].value = 99.0
    assert tuner.scheme.indicator("on_time_rate").levels.leader == "≥ 99"
    bar = tuner.figure.data[0]
    eligible = tuner.ranking.table[tuner.ranking.table["eligible"]]
    assert list(bar.x) == eligible["standard_id"].head(tuner.shown).tolist()


def test_threshold_text_and_levels(conditioned, data):
    scheme = conditioned
    tuner = Tuner(scheme, data, on=ON)
    tuner.set_threshold("damage_rate", "leader", "≤ 0.3‰")
    changed = scheme.with_changes({"indicators.damage_rate.levels.leader": "≤ 0.3‰"})
    expected = rank(changed, data, on=ON)
    assert tuner.ranking.table["level_damage_rate"].tolist() == expected.table["level_damage_rate"].tolist()
    assert tuner.threshold_sliders["damage_rate", "leader"].value == pytest.approx(0.3)
    assert tuner.scheme.id != scheme.id and tuner.scheme.derived_from == scheme.id
    tuner.reset()
    assert tuner.scheme == scheme and tuner.entering == [] and tuner.leaving == []


def test_bad_values_are_refused_not_evaluated(scheme, data):
    tuner = Tuner(scheme, data, on=ON)
    with pytest.raises(WidgetError):
        tuner.set_weight("satisfaction", 1.5)
    with pytest.raises(WidgetError):
        tuner.set_weight("satisfaction", "__import__('os')")
    with pytest.raises(WidgetError):
        tuner.set_threshold("nope", "leader", 1)
    with pytest.raises(WidgetError):
        tuner.set_threshold("damage_rate", "leader", "优良")
    *others, last = tuner.weight_sliders.values()
    for slider in others:
        slider.value = 0.0
    before = leaders(tuner.ranking)
    last.value = 0.0  # all weights zero: refused in the observer, shown, slider and list kept
    assert "权重全部为 0" in tuner.status.value or "All weights are zero" in tuner.status.value
    assert leaders(tuner.ranking) == before and last.value > 0


def test_css_classes_for_browser_tests(scheme, data):
    tuner = Tuner(scheme, data, on=ON)
    assert "lk-tuner" in tuner.widget._dom_classes
    assert "lk-leaders" in tuner.leaders_box._dom_classes
    assert "lk-ranking-table" in tuner.table_box._dom_classes
    assert tuner.figure.layout.title.text  # layout set before wrapping in a FigureWidget


def test_comparison_view(data):
    a = Scheme.load(SAMPLE_DATA / "schemes" / "washing_machines_a.yaml")
    b = Scheme.load(SAMPLE_DATA / "schemes" / "washing_machines_b.yaml")
    view = ComparisonView(a, b, data, on=ON)
    expected = compare_schemes(a, b, data, on=ON)
    assert view.comparison.metrics == expected.metrics
    assert f"{expected.metrics['kendall_tau']:.3f}" in view.metrics.value
    assert "lk-comparison" in view.widget._dom_classes
    ranked = set(view.comparison.a.table.query("eligible")["standard_id"]) | set(
        view.comparison.b.table.query("eligible")["standard_id"])
    drawn = [sid for t in view.figure.data for sid in t.customdata if sid is not None]
    assert set(drawn) <= ranked and drawn
    top_a = set(view.comparison.a.table.query("eligible and rank <= 15")["standard_id"])
    top_b = set(view.comparison.b.table.query("eligible and rank <= 15")["standard_id"])
    assert set(drawn) == top_a | top_b
    assert all(list(t.x[:3]) == [a.id, b.id, None] for t in view.figure.data)
    leaders_a = set(view.comparison.a.leaders["standard_id"])
    leaders_b = set(view.comparison.b.leaders["standard_id"])
    by_name = {t.name: {sid for sid in t.customdata if sid is not None} for t in view.figure.data}
    assert by_name.get("两方案均为领跑者", set()) == leaders_a & leaders_b
    assert by_name.get("仅方案 A 领跑者", set()) == (leaders_a - leaders_b) & set(drawn)


def test_comparison_view_in_english(data):
    a = Scheme.load(SAMPLE_DATA / "schemes" / "washing_machines_a.yaml")
    b = Scheme.load(SAMPLE_DATA / "schemes" / "washing_machines_b.yaml")
    view = ComparisonView(a, b, data, on=ON, lang="en")
    assert "Leader overlap (Jaccard)" in view.metrics.value and "领跑者重合" not in view.metrics.value
    assert view.figure.layout.title.text.startswith("Rank changes")
    assert view.figure.layout.yaxis.title.text == "rank"
