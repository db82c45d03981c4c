"""The round's policy (schemes/policy.py): which scheme a domain uses, target groups, the as-of date."""

from datetime import date

from leaderkit.schemes.policy import LEADER_TARGETS, choose_scheme, reference_date, target_group


def test_the_panels_best_valid_scheme_wins():
    assert choose_scheme(["B", "A"], panel_best="B")[0] == "B"
    assert choose_scheme(["B", "A"], panel_best="C")[0] == "A"  # the panel's best failed validation
    assert choose_scheme(["X"])[1].en == "the only scheme that passes validation"
    assert choose_scheme([]) is None


def test_target_groups_of_document_002():
    assert [t for *_, t in LEADER_TARGETS] == [1000, 500, 200]
    assert (target_group("消费品"), target_group("新兴产业"), target_group("服务"), target_group("其他")) == (
        "consumer", "equipment", "services", None)


def test_reference_date():
    today = date(2024, 6, 1)
    starts = [date(2023, 11, 1), date(2024, 5, 2), date(2024, 9, 1)]
    assert reference_date(starts, [], today, env={}) == date(2024, 5, 2)
    assert reference_date([], [date(2023, 3, 15), date(2025, 1, 1)], today, env={}) == date(2023, 3, 15)
    assert reference_date([], [], today, env={}) == today
    assert reference_date(starts, [], today, env={"LEADERKIT_ASOF": "2023-12-31"}) == date(2023, 12, 31)
