"""Validation holes (issue: the programme's process, section 5): a fee in disguise, the same expert twice,
a leader rule that makes everyone a leader or exceeds a programme's limit, a content written as a placeholder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from leaderkit import Scheme, validate

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "schemes"
ON = date(2023, 9, 1)


@pytest.fixture(scope="module")
def a() -> Scheme:
    return Scheme.load(SAMPLES / "washing_machines_a.yaml")


def failed(report, code):
    f = report.findings
    return f[(f["code"] == code) & (f["status"] == "fail")]


@pytest.mark.parametrize("text", [
    "参评企业须委托本机构进行全项检测，检测费用由企业承担。",
    "企业应加入本协会成为会员单位后方可参评。",
    "入围企业需购买符合性验证服务。",
    "每个参评标准收取评审服务费 2 万元",
    "Enterprises must purchase a conformity check before ranking.",
])
def test_a_fee_in_disguise_is_an_error(a, text):
    report = validate(a.with_changes({"evaluation_method": text}), "national", on=ON)
    rows = failed(report, "LK-S017")
    assert len(rows) == 1 and rows.iloc[0]["where"] == "evaluation_method" and rows.iloc[0]["severity"] == "error"


@pytest.mark.parametrize("text", [
    "评估不向企业收取任何费用，企业无需购买任何服务。",
    "排行结果便于消费者选择。",
    "企业自愿参加，免费。",
])
def test_a_free_evaluation_is_not_a_fee(a, text):
    assert failed(validate(a.with_changes({"evaluation_method": text}), "national", on=ON), "LK-S017").empty


def test_the_same_expert_listed_twice_counts_once(a):
    experts = [e.model_dump() for e in a.experts]
    twice = a.with_changes({"experts": experts[:4] + [experts[0]]})
    report = validate(twice, "national", on=ON)
    assert "listed twice" in " ".join(report.findings["message_en"])
    assert "4 review experts" in " ".join(failed(report, "LK-S021")["message_en"])


def test_a_leader_rule_that_makes_everyone_a_leader(a):
    rule = {k: v for k, v in a.leader_rule.model_dump().items() if v is not None and k not in ("top_n", "reach_level")}
    everyone = a.with_changes({"leader_rule": {**rule, "top_percent": 100}})
    assert "every ranked standard would lead" in " ".join(failed(validate(everyone, "national", on=ON),
                                                                "LK-S015")["message_en"])


def test_a_leader_share_over_the_programmes_limit(a, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("name: strict\ntitle: 示例\nextends: national\nmax_leader_percent: 10\n"
                       "sources: {max_leader_percent: 示例}\n", encoding="utf-8")
    rule = {k: v for k, v in a.leader_rule.model_dump().items() if v is not None and k not in ("top_n", "reach_level")}
    report = validate(a.with_changes({"leader_rule": {**rule, "top_percent": 20}}), profile, on=ON)
    assert "over the 10 % limit of strict" in " ".join(failed(report, "LK-S015")["message_en"])


@pytest.mark.parametrize("text", ["略", "无", "待定", "见附件", "详见附件2。", "TBD"])
def test_a_placeholder_is_not_a_content(a, text):
    report = validate(a.with_changes({"targets": text}), "national", on=ON)
    rows = failed(report, "LK-S001")
    assert len(rows) == 1 and rows.iloc[0]["where"] == "targets"


def test_real_contents_are_not_placeholders(a):
    assert failed(validate(a, "national", on=ON), "LK-S001").empty
