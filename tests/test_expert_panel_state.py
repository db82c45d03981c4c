"""The expert panel page keeps the panel's tuning and says what it did (issue 11 §1, §3, §5 on the page):
sliders that act on the sample schemes, tuning surviving scheme B / domain / language changes, tuned A
compared with the original and with B, effective weights, and the tuning logged in the panel session."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leaderkit.app.views import ExpertPanelView, load_data
from leaderkit.app.widgets import Tuner, WidgetError, weights_inert
from leaderkit.ranking.compare import compare_results, rank_agreement_reading
from leaderkit.ranking.result import rank
from leaderkit.schemes.model import Scheme
from leaderkit.schemes.session import PanelSession


@pytest.fixture(scope="module")
def data():
    return load_data()


def outcome(r):
    t = r.table
    return (tuple(t["standard_id"]), tuple(t["eligible"]), tuple(t["rank"].fillna(0)), tuple(t["leader"]),
            np.nan_to_num(t["score"].to_numpy(dtype=float), nan=-1.0).round(12).tobytes())


@pytest.mark.parametrize("scheme_id, at_least", [("XDJX-2023-A", 12), ("XDJX-2023-B", 8), ("WLFW-2023-01", 12)])
def test_sample_schemes_offer_threshold_sliders_that_act(data, scheme_id, at_least):
    scheme = data.schemes[scheme_id]
    tuner = Tuner(scheme, data.standards, on=scheme.timeline.ranking_date, baselines=data.baselines)
    assert len(tuner.threshold_sliders) >= at_least
    nominal = outcome(tuner.ranking)
    for (ind_id, level), slider in tuner.threshold_sliders.items():
        changed = []
        for end in (slider.min, slider.max):
            sign = "≤" if scheme.indicator(ind_id).direction == "lower" else "≥"
            varied = scheme.with_changes({f"indicators.{ind_id}.levels.{level}": f"{sign} {end:.6g}"})
            changed.append(outcome(rank(varied, data.standards, on=scheme.timeline.ranking_date,
                                        baselines=data.baselines)) != nominal)
        assert any(changed), f"{ind_id}·{level} is offered but changes nothing"
    for key in tuner.not_offered:
        assert key not in tuner.threshold_sliders
    assert tuner.figure.layout.xaxis.type == "category"  # "Q/ABC 0001-2022" is a name, not a date


def test_a_slider_moves_the_list_as_rank_says(data):
    scheme = data.schemes["XDJX-2023-A"]
    on = scheme.timeline.ranking_date
    tuner = Tuner(scheme, data.standards, on=on, baselines=data.baselines)
    slider = tuner.threshold_sliders["washing_ratio", "advanced"]
    slider.value = slider.min
    expected = rank(tuner.scheme, data.standards, on=on, baselines=data.baselines)
    assert tuner.scheme.indicator("washing_ratio").levels.advanced == f"≥ {slider.min:.6g}"
    assert outcome(tuner.ranking) == outcome(expected)
    assert outcome(tuner.ranking) != outcome(tuner.loaded)


def test_tuning_survives_scheme_b_domain_and_language(data):
    view = ExpertPanelView(data, domain="洗涤机械")
    assert (view.a, view.b) == ("XDJX-2023-A", "XDJX-2023-B")
    view.tuner.set_weight("energy_use", 0.6)
    view.tuner.set_threshold("water_use", "advanced", 16)
    tuned = dict(view.tuner.tuned_values)
    leaders = view.tuned.leaders["standard_id"].tolist()
    assert tuned and len(tuned) == 3  # two values and weights_unnormalised

    view.select(b="XDJX-2023-A")          # B changes (to A itself: no comparison)
    view.select(b="XDJX-2023-B")
    assert view.tuner.tuned_values == tuned
    view.select(domain="物流服务")
    assert view.tuner.tuned_values == {}
    view.select(domain="洗涤机械")
    assert view.a == "XDJX-2023-A" and view.tuner.tuned_values == tuned
    assert view.tuned.leaders["standard_id"].tolist() == leaders
    view.set_language("en")
    assert view.tuner.lang == "en" and view.tuner.tuned_values == tuned
    assert view.tuned.leaders["standard_id"].tolist() == leaders
    assert view.tuner.weight_sliders["energy_use"].value == pytest.approx(0.6)
    assert view.tuner.threshold_sliders["water_use", "advanced"].value == pytest.approx(16)
    view.tuner.reset()
    view.set_language("zh")
    assert view.tuner.tuned_values == {} and view.tuner.weight_sliders["energy_use"].value == pytest.approx(0.25)


def test_comparison_follows_the_tuned_scheme_a(data):
    view = ExpertPanelView(data, domain="洗涤机械")
    before = dict(view.comparison.comparison.metrics)
    view.tuner.set_threshold("energy_use", "advanced", 0.03)
    b = data.schemes["XDJX-2023-B"]
    expected = compare_results(view.tuner.ranking, rank(b, data.standards, on=view.tuner.ranking.on,
                                                        baselines=data.baselines, register=data.register))
    assert view.comparison.comparison.metrics == expected.metrics
    assert view.comparison.comparison.a.scheme.id == view.tuner.scheme.id != "XDJX-2023-A"
    assert view.comparison.comparison.metrics != before
    assert view.tuner.scheme.id in view.comparison.metrics.value
    view.select(b="XDJX-2023-B")  # rebuilt: still the tuned A
    assert view.comparison.comparison.metrics == expected.metrics


def test_tuned_vs_loaded_reads_tau_and_jaccard(data):
    scheme = data.schemes["XDJX-2023-A"]
    tuner = Tuner(scheme, data.standards, on=scheme.timeline.ranking_date, baselines=data.baselines)
    assert "未作调整" in tuner.agreement_box.value
    tuner.set_threshold("energy_use", "advanced", 0.03)
    m = compare_results(tuner.loaded, tuner.ranking).metrics
    text = tuner.agreement_box.value
    assert f"Kendall τ = {m['kendall_tau']:.3f}（{rank_agreement_reading(m['kendall_tau']).zh}）" in text
    assert f"Jaccard = {m['leader_overlap_jaccard']:.3f}" in text
    assert f"新入选 {len(tuner.entering)} 项，移出 {len(tuner.leaving)} 项" in text


def test_rank_agreement_reading_scale():
    assert rank_agreement_reading(0.95).zh == "强一致"
    assert rank_agreement_reading(0.5).en == "moderate agreement"
    assert rank_agreement_reading(0.1).zh == "弱一致"
    assert rank_agreement_reading(-0.8).zh == "强反向一致"
    assert rank_agreement_reading(-0.1).zh == "弱一致"
    assert "无法判断" in rank_agreement_reading(float("nan")).zh


def test_effective_weights_are_renormalised(data):
    scheme = data.schemes["XDJX-2023-A"]
    tuner = Tuner(scheme, data.standards, on=scheme.timeline.ranking_date, baselines=data.baselines)
    tuner.set_weight("energy_use", 0.75)
    raw = {i.id: i.weight for i in tuner.scheme.core_indicators()}
    total = sum(raw.values())
    assert total == pytest.approx(1.5)
    for ind in tuner.core:
        assert f"{ind.name} {raw[ind.id] / total:.3f}" in tuner.weights_note.value
    assert "有效权重" in tuner.weights_note.value


def test_weights_that_cannot_act_get_no_slider(data):
    scheme = data.schemes["XDJX-2023-A"].with_changes({"ranking.weights": "entropy"})
    assert weights_inert(scheme) is not None
    tuner = Tuner(scheme, data.standards, on=scheme.timeline.ranking_date, baselines=data.baselines)
    assert tuner.weight_sliders == {}
    assert "熵权法" in tuner.weights_note.value
    with pytest.raises(WidgetError, match="权重"):
        tuner.set_weight("energy_use", 0.5)
    computed = tuner.ranking.method["weights"]
    assert math.isclose(sum(computed.values()), 1.0)


def test_legend_names_every_colour(data):
    scheme = data.schemes["XDJX-2023-A"]
    tuner = Tuner(scheme, data.standards, on=scheme.timeline.ranking_date, baselines=data.baselines, lang="en")
    legend = next(c for c in tuner.widget.children if "lk-legend" in c._dom_classes)
    for word in ("leader", "entering leader", "leaving leader", "other"):
        assert word in legend.value


def test_tuning_is_logged_in_the_panel_session(data, tmp_path):
    schemes = [data.schemes["XDJX-2023-A"], data.schemes["XDJX-2023-B"]]
    session = PanelSession.start(tmp_path / "s.sqlite", domain="洗涤机械", schemes=schemes)
    session.add_member("王建国", "华北工业大学", role="chair")
    view = ExpertPanelView(data, domain="洗涤机械", session=session)
    view.tuner.set_threshold("energy_use", "advanced", 0.03)
    log = session.tunings()
    assert log[["who", "what", "old", "new"]].values.tolist() == [
        ["王建国", "XDJX-2023-A: indicators.energy_use.levels.advanced", "≤ 0.020", "≤ 0.03"]]
    view.tuner.reset()
    assert session.tunings()[["old", "new"]].values.tolist()[-1] == ["≤ 0.03", "≤ 0.020"]
    assert view.save_variant() == b""
    assert session.variant() is None and "没有可保存" in view.variant_box.value
    view.tuner.set_weight("water_use", 0.4)
    payload = view.save_variant()
    saved = Scheme.loads(payload.decode("utf-8"))
    assert saved.id == view.tuner.scheme.id and saved.derived_from == "XDJX-2023-A"
    assert session.variant()["digest"] == view.tuner.scheme.digest()
    again = rank(saved, data.standards, on=view.tuned.on, baselines=data.baselines, register=data.register)
    assert again.leaders["standard_id"].tolist() == view.tuned.leaders["standard_id"].tolist()


def test_no_log_for_a_session_of_another_domain(data, tmp_path):
    schemes = [data.schemes["XDJX-2023-A"], data.schemes["XDJX-2023-B"]]
    session = PanelSession.start(tmp_path / "s.sqlite", domain="洗涤机械", schemes=schemes)
    session.add_member("王建国", "华北工业大学", role="chair")
    view = ExpertPanelView(data, domain="物流服务", session=session)
    view.tuner.set_weight(next(iter(view.tuner.weight_sliders)), 0.5)
    assert session.tunings().empty
