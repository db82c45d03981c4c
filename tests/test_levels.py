"""Levels that act (ranking.levels): entry floor, tiers, leader condition; the tuner's sliders, live
validation, saved variants."""

from datetime import date

import numpy as np
import pytest

import leaderkit
from leaderkit import load_standards
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.app.widgets import Tuner, WidgetError
from leaderkit.ranking.common import RankingError
from leaderkit.ranking.result import eligibility, rank
from leaderkit.ranking.robustness import scheme_robustness
from leaderkit.schemes.model import LevelRoles, Scheme, SchemeError

ON = date(2023, 12, 31)
# baseline levels loose enough that most eligible standards of the sample reach them on three indicators
LOOSE = {"indicators.damage_rate.levels.baseline": "≤ 1‰", "indicators.complaint_time.levels.baseline": "≤ 72 h",
         "indicators.satisfaction.levels.baseline": "≥ 85%", "indicators.on_time_rate.levels.baseline": "≥ 97%"}


@pytest.fixture(scope="module")
def data():
    return load_standards(SAMPLE_DATA / "standards.csv")


@pytest.fixture(scope="module")
def plain():
    """The sample logistics scheme without its level roles: its levels only label the list."""
    return Scheme.load(SAMPLE_DATA / "schemes" / "logistics.yaml").with_changes({"ranking.levels": None})


def with_roles(scheme, roles, **changes):
    return scheme.with_changes({"ranking.levels": roles, **changes})


def ids(frame):
    return frame["standard_id"].tolist()


def test_roles_in_the_file_and_their_defaults(plain):
    assert plain.ranking.levels is None  # an old file stays valid: levels only label
    text = plain.to_yaml().replace("  imputation: none\n", "  imputation: none\n  levels: {}\n")
    given = Scheme.loads(text)
    assert given.ranking.levels == LevelRoles(entry="baseline", tier="sort", leader=None)
    roled = Scheme.loads(plain.to_yaml().replace(
        "  imputation: none\n", "  imputation: none\n  levels: {entry: none, leader: {level: advanced, k: 2}}\n"))
    assert roled.ranking.levels.entry == "none" and roled.ranking.levels.leader.k == 2
    with pytest.raises(SchemeError, match="levels"):
        Scheme.loads(plain.to_yaml().replace("  imputation: none\n", "  imputation: none\n  levels: {entry: top}\n"))


def test_entry_floor_is_an_eligibility_reason(plain, data):
    before = rank(plain, data, on=ON)
    floored = with_roles(plain, {"entry": "baseline", "tier": "none"},
                         **{**LOOSE, "indicators.on_time_rate.levels.baseline": "≥ 98%"})
    result = rank(floored, data, on=ON)
    table = result.table.set_index("standard_id")
    was = before.table.set_index("standard_id")["eligible"]
    # exactly the eligible standards below 98 % on-time leave, with the reason code and the indicator named
    below = set(table.index[(table["value_on_time_rate"] < 98) & was.reindex(table.index)])
    left = set(was.index[was]) - set(table.index[table["eligible"]])
    assert below and left == below
    excluded = result.excluded.set_index("standard_id")
    some = sorted(below)[0]
    assert "below_entry_level" in excluded.loc[some, "reasons"]
    name = plain.indicator("on_time_rate").name
    assert f"核心指标未达到入榜水平（基准水平：{name}）" in excluded.loc[some, "reasons_zh"]
    assert "on_time_rate" in excluded.loc[some, "reasons_en"]
    frame = eligibility(floored, data, on=ON).set_index("standard_id")
    assert set(frame.index[~frame["eligible"]]) == set(ids(result.excluded))
    assert int(result.table["eligible"].sum()) < int(before.table["eligible"].sum())


def test_tier_first_sort_and_column(plain, data):
    codes = {"none": 0, "baseline": 1, "advanced": 2, "leader": 3}
    mixed = {**LOOSE, "indicators.on_time_rate.levels.baseline": "≥ 98%"}
    shown = rank(with_roles(plain, {"entry": "none", "tier": "show"}, **mixed), data, on=ON)
    tiered = rank(with_roles(plain, {"entry": "none", "tier": "sort"}, **mixed), data, on=ON)
    s = shown.table[shown.table["eligible"]]
    # tier first, then the method's rank; ties share the lowest number
    key = sorted(zip(-s["tier"].map(codes), s["rank"].astype(int), s["standard_id"], strict=True))
    expected = {sid: 1 + sum(1 for k in key if k[:2] < (t, r)) for t, r, sid in key}
    t = tiered.table[tiered.table["eligible"]]
    assert dict(zip(t["standard_id"], t["rank"].astype(int), strict=True)) == expected
    assert (np.diff(t["tier"].map(codes).to_numpy()) <= 0).all() and t["tier"].nunique() > 1
    assert expected != dict(zip(s["standard_id"], s["rank"].astype(int), strict=True))  # the order moved
    assert ids(shown.leaders) == ids(rank(plain.with_changes(mixed), data, on=ON).leaders)  # show: labels only
    assert "tier" not in rank(plain, data, on=ON).table.columns


def test_leader_condition(plain, data):
    scored = rank(plain, data, on=ON)
    cond = rank(with_roles(plain, {"entry": "none", "tier": "none", "leader": {"level": "leader", "k": 1}}),
                data, on=ON)
    lead = cond.table[cond.table["leader"]]
    reached = lead[[c for c in lead.columns if c.startswith("level_")]].eq("leader").sum(axis=1)
    assert (reached >= 1).all() and len(lead) == len(scored.leaders)  # the same count, k = top 5 of all eligible
    assert ids(cond.leaders) != ids(scored.leaders)
    every = rank(with_roles(plain, {"entry": "none", "tier": "none", "leader": {"level": "leader", "k": "all"}}),
                 data, on=ON)
    assert every.leaders.empty and any("全部 4 项核心指标达到领跑水平" in n.zh for n in every.notes)


def test_robustness_follows_the_roles(plain, data):
    tiered = with_roles(plain, {"entry": "none", "tier": "sort"})
    rob = scheme_robustness(tiered, data, on=ON, n=20, seed=1)
    nominal = rank(tiered, data, on=ON).table.query("eligible").set_index("standard_id")["rank"]
    assert rob.table["nominal_rank"].to_dict() == nominal.astype(int).to_dict()
    with pytest.raises(RankingError, match="tier"):
        scheme_robustness(tiered, data, on=ON, n=20, seed=1, weight_noise=None, threshold_noise=5)


# ---- the tuner ---------------------------------------------------------------------------------------------


def test_only_levels_that_act_get_a_slider(plain, data):
    tuner = Tuner(plain, data, on=ON)
    assert tuner.threshold_sliders == {}
    assert len(tuner.not_offered) == 12
    note = tuner.widget.children[0].children[1].children[-1].value
    assert "ranking.levels" in note and "只给榜单作标注" in note
    condition = with_roles(plain, {"entry": "none", "tier": "none", "leader": {"level": "leader", "k": 1}})
    tuner = Tuner(condition, data, on=ON)
    assert sorted(tuner.threshold_sliders) == sorted((i.id, "leader") for i in plain.core_indicators())


def test_every_offered_slider_acts_somewhere_in_its_range(plain, data):
    for roles in ({"entry": "baseline", "tier": "none"}, {"entry": "none", "tier": "sort"},
                  {"entry": "none", "tier": "none", "leader": {"level": "leader", "k": 1}}):
        scheme = with_roles(plain, roles, **LOOSE)
        tuner = Tuner(scheme, data, on=ON)
        assert tuner.threshold_sliders
        for (ind, level), slider in tuner.threshold_sliders.items():
            seen = set()
            for value in np.linspace(slider.min, slider.max, 5):
                changed = scheme.with_changes({f"indicators.{ind}.levels.{level}": tuner.set_threshold(
                    ind, level, float(value)).scheme.indicator(ind).levels.model_dump()[level]})
                r = rank(changed, data, on=ON)
                seen.add((tuple(ids(r.table[r.table["eligible"]])), tuple(ids(r.leaders))))
            tuner.reset()
            assert len(seen) > 1, (roles, ind, level)


def test_entry_slider_moves_eligibility_as_rank_says(plain, data):
    scheme = with_roles(plain, {"entry": "baseline", "tier": "none"}, **LOOSE)
    tuner = Tuner(scheme, data, on=ON)
    before = set(ids(tuner.ranking.table[tuner.ranking.table["eligible"]]))
    slider = tuner.threshold_sliders["on_time_rate", "baseline"]
    slider.value = 98.0
    assert tuner.scheme.indicator("on_time_rate").levels.baseline == "≥ 98"
    expected = rank(scheme.with_changes({"indicators.on_time_rate.levels.baseline": "≥ 98"}), data, on=ON)
    now = tuner.ranking.table
    assert ids(now[now["eligible"]]) == ids(expected.table[expected.table["eligible"]])
    assert ids(tuner.ranking.leaders) == ids(expected.leaders)
    assert set(ids(now[now["eligible"]])) < before  # the list really shrank


def test_invalid_threshold_fails_the_report_beside_its_slider(plain, data):
    scheme = with_roles(plain, {"entry": "none", "tier": "none", "leader": {"level": "leader", "k": 1}})
    tuner = Tuner(scheme, data, on=ON)
    assert tuner.report.ok and "通过" in tuner.validity.value and "未通过" not in tuner.validity.value
    tuner.threshold_sliders["on_time_rate", "leader"].value = 90.0  # looser than advanced, baseline and GB
    report = tuner.report
    assert not report.ok and report.scheme_id == tuner.scheme.id
    where = report.findings[report.findings["where"] == "indicators[0].levels.leader"]
    assert {"LK-S011"} <= set(where["code"]) and (where["severity"] == "error").any()
    beside = tuner.threshold_findings["on_time_rate", "leader"].value
    assert "LK-S011" in beside and "#cf222e" in beside
    assert "未通过" in tuner.validity.value and "：通过" not in tuner.validity.value
    tuner.reset()
    assert tuner.report.ok and tuner.threshold_findings["on_time_rate", "leader"].value == ""


def test_save_reload_reproduces_the_leaders(plain, data, tmp_path):
    scheme = with_roles(plain, {"entry": "none", "tier": "none", "leader": {"level": "leader", "k": 1}})
    tuner = Tuner(scheme, data, on=ON)
    with pytest.raises(WidgetError):
        tuner.save(tmp_path / "nothing.yaml")
    tuner.set_weight("satisfaction", 0.9)
    tuner.set_threshold("damage_rate", "leader", 0.5)
    assert tuner.entering or tuner.leaving
    path = tuner.save(tmp_path / "tuned.yaml")
    saved = Scheme.load(path)
    assert saved.id != plain.id and saved.id.startswith(f"{plain.id}-调整-")
    assert saved.derived_from == plain.id
    changes = {c.path: (c.old, c.new) for c in saved.changes}
    assert changes["indicators.satisfaction.weight"] == (plain.indicator("satisfaction").weight, 0.9)
    assert changes["indicators.damage_rate.levels.leader"] == ("≤ 0.1‰", "≤ 0.5")
    assert changes["ranking.weights_unnormalised"] == (False, True)
    again = rank(saved, data, on=ON)
    assert ids(again.leaders) == ids(tuner.ranking.leaders)
    assert again.table["score"].tolist() == pytest.approx(tuner.ranking.table["score"].tolist(), nan_ok=True)
    tuner.reset()
    assert tuner.scheme == scheme and tuner.changes == []


def test_english_tuner_without_switching_the_library(plain, data):
    assert leaderkit.get_language() == "zh"
    scheme = with_roles(plain, {"entry": "none", "tier": "show", "leader": {"level": "leader", "k": 1}})
    tuner = Tuner(scheme, data, on=ON, lang="en")
    assert leaderkit.get_language() == "zh"
    texts = " ".join(w.value for w in tuner.widget.children[0].children[0].children[:1])
    assert "Weights" in texts
    assert tuner.threshold_sliders["damage_rate", "leader"].description.endswith("·leader level")
    assert "Leaders" in tuner.leaders_box.value and "领跑者" not in tuner.leaders_box.value
    assert "Tuned scheme validation" in tuner.validity.value
    assert "<th>Rank</th>" in tuner.table_box.value and "<th>Tier</th>" in tuner.table_box.value
    assert tuner.figure.layout.title.text.startswith("Scores")
    assert tuner.reset_button.description == "Reset to the scheme"


def test_one_standard_left_by_the_floor_ranks_first_without_a_score(plain, data):
    # the sample's own baseline levels: one eligible standard reaches all of them; prank needs two rows
    result = rank(with_roles(plain, {"entry": "baseline", "tier": "none"}), data, on=ON)
    listed = result.table[result.table["eligible"]]
    assert len(listed) == 1 and listed["rank"].tolist() == [1] and np.isnan(listed["score"].iloc[0])
    assert any("只有 1 项符合资格的标准" in n.zh for n in result.notes) and result.leaders.empty
