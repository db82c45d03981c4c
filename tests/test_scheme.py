"""The scheme file: loading, errors with YAML path and line, round trip, digest, changed copies, JSON Schema,
programme profiles."""

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from leaderkit.schemes.model import SCHEMA_PATH, Scheme, SchemeError, SchemeFileError, json_schema
from leaderkit.schemes.programs import ProgramError, available_programs, load_program

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "schemes"
VALID = ["washing_machines_a", "washing_machines_b", "storage_batteries", "logistics"]


@pytest.fixture(scope="module")
def scheme():
    return Scheme.load(SAMPLES / "washing_machines_a.yaml")


def test_load_sample(scheme):
    assert scheme.id == "XDJX-2023-A" and scheme.domain == "洗涤机械"
    assert [i.id for i in scheme.core_indicators()] == [
        "energy_use", "water_use", "washing_ratio", "wash_noise", "moisture", "standby_power"]
    energy = scheme.indicator("energy_use")
    assert energy.levels.leader == "≤ 0.017" and energy.weight == 0.25
    assert energy.baselines[0].is_mandatory and not scheme.indicator("washing_ratio").baselines[0].is_mandatory
    assert scheme.leader_rule.top_percent == 20 and scheme.ranking.method == "weighted"
    assert scheme.timeline.declaration_deadline == date(2023, 10, 31)
    assert scheme.compiling_units() == ["华标洗涤装备评价中心（示例）"]


def test_error_points_at_yaml_path_and_line(scheme):
    text = (SAMPLES / "washing_machines_a.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    # the weight of the third indicator (indicators[2], washing_ratio) becomes text
    n = next(i for i, ln in enumerate(lines) if ln.strip() == "weight: 0.20" and i > lines.index("  - id: washing_ratio"))
    lines[n] = "    weight: 两成"
    with pytest.raises(SchemeError) as err:
        Scheme.loads("\n".join(lines), source="bad.yaml")
    message = str(err.value)
    assert f"indicators[2].weight: 应为数字，第 {n + 1} 行" in message
    assert f"indicators[2].weight: must be a number, line {n + 1}" in message
    assert err.value.issues == [("indicators[2].weight", n + 1, err.value.issues[0][2])]
    assert "bad.yaml" in message


def test_several_errors_are_reported_together():
    text = """
id: X
title: T
domain: 洗涤机械
agency: {name: A}
cycle_months: twelve
indicators:
  - id: a
    name: A
    class: kern
    weight: 0.5
leader_rule: {top_n: 3, top_percent: 10}
"""
    with pytest.raises(SchemeError) as err:
        Scheme.loads(text)
    paths = {p: line for p, line, _ in err.value.issues}
    assert paths == {"cycle_months": 6, "indicators[0].class": 10, "leader_rule": 12}
    assert "indicators[0].class: 应为 'core', 'baseline', 'innovation' 之一，第 10 行" in str(err.value)
    assert "cycle_months: must be an integer, line 6" in str(err.value)
    assert "leader_rule: give exactly one of top_n, top_percent, reach_level (given: top_n, top_percent)" in str(err.value)


def test_unknown_field_and_yaml_syntax_error():
    with pytest.raises(SchemeError, match=r"wieght: 未知字段"):
        Scheme.loads("id: X\ntitle: T\ndomain: D\nagency: {name: A}\nindicators:\n  - {id: a, name: A, class: core, wieght: 1}\n")
    with pytest.raises(SchemeFileError, match="line 3"):
        Scheme.loads("id: X\ntitle: T\n  domain: : D\n")
    with pytest.raises(SchemeFileError):
        Scheme.load(SAMPLES / "no_such_scheme.yaml")


@pytest.mark.parametrize("name", VALID)
def test_round_trip_preserves_content(name, tmp_path):
    original = Scheme.load(SAMPLES / f"{name}.yaml")
    written = original.dump(tmp_path / "copy.yaml")
    again = Scheme.load(written)
    assert again == original and again.to_dict() == original.to_dict()
    assert again.digest() == original.digest()
    assert not list(tmp_path.glob(".copy.yaml.*"))  # the temporary file of the atomic write is gone


def test_digest_changes_with_content_only(scheme):
    assert len(scheme.digest()) == 64
    same = Scheme.loads("# a comment\n" + scheme.to_yaml())
    assert same.digest() == scheme.digest()
    assert scheme.with_weights({"energy_use": 0.30, "water_use": 0.15}).digest() != scheme.digest()


def test_with_changes_builds_a_new_validated_scheme(scheme):
    changed = scheme.with_changes({
        "indicators.wash_noise.levels.leader": "≤ 50",
        "indicators[0].weight": 0.3,
        "indicators.water_use.weight": 0.15,
        "leader_rule.top_percent": 10,
    })
    assert changed.indicator("wash_noise").levels.leader == "≤ 50"
    assert changed.indicator("energy_use").weight == 0.3 and changed.indicator("water_use").weight == 0.15
    assert changed.leader_rule.top_percent == 10
    assert scheme.indicator("wash_noise").levels.leader == "≤ 52"  # the original is unchanged
    assert changed.source is None and scheme.source.endswith("washing_machines_a.yaml")


def test_with_changes_refuses_unknown_paths_and_bad_values(scheme):
    with pytest.raises(SchemeError, match="indicators.nosie.weight"):
        scheme.with_changes({"indicators.nosie.weight": 0.2})
    with pytest.raises(SchemeError, match="leader_rule.top_percent"):
        scheme.with_changes({"leader_rule.top_percent": 150})
    with pytest.raises(SchemeError, match="duplicate indicator id"):
        scheme.with_changes({"indicators.water_use.id": "energy_use"})


def test_json_schema_is_current():
    on_disk = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert on_disk == json_schema(), (
        "leaderkit/data/scheme.schema.json is out of date: run "
        "python -c 'from leaderkit.schemes.model import write_json_schema; write_json_schema()'"
    )


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_samples_satisfy_the_json_schema(path):
    data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
    jsonschema.validate(data, json_schema())


def test_json_schema_rejects_what_the_model_rejects():
    data = {"id": "X", "title": "T", "domain": "D", "agency": {"name": "A"},
            "indicators": [{"id": "a", "name": "A", "class": "core", "weight": "heavy"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())


def test_programme_profiles_cite_their_sources():
    assert {"national", "mofcom-2023", "jincheng-2021"} <= set(available_programs())
    national = load_program("national")
    assert (national.min_experts, national.publicity_working_days, national.max_cycle_months) == (5, 10, 24)
    assert national.min_public_days == 90 and national.key_domains is None
    assert "001 三(一)2" in national.source("min_experts")
    mofcom = load_program("mofcom-2023")
    assert len(mofcom.key_domains) == 16 and mofcom.declaration_deadline == date(2023, 10, 31)
    assert mofcom.report_deadline == date(2023, 11, 30) and mofcom.min_public_days == 30
    assert {"domain": "洗涤机械", "category": "专业设备制造业"} in [d.model_dump() for d in mofcom.key_domains]
    assert mofcom.min_experts == 5 and "001" in mofcom.source("min_experts")  # inherited from national
    jincheng = load_program("jincheng-2021")
    assert jincheng.requires_enterprise_consent and "004 三6" in jincheng.source("requires_enterprise_consent")
    assert "山西省企业标准信息公共服务平台" in jincheng.platforms
    assert "晋城特色农产品" in jincheng.domain_names()
    for prog in (national, mofcom, jincheng):
        set_params = [k for k, v in prog.model_dump().items()
                      if k not in ("name", "title", "documents", "extends", "sources", "notes") and v not in (None, [], False)]
        assert not [k for k in set_params if not prog.source(k)], f"{prog.name}: parameters without a source"


def test_user_profile_extends_a_shipped_one(tmp_path):
    path = tmp_path / "city.yaml"
    path.write_text(
        "name: city-2025\ntitle: 某市 2025\nextends: national\ndocuments: [市局通知]\nmin_experts: 7\n"
        "key_domains: [{domain: 电饭锅, category: 家用电器}]\n"
        "sources: {min_experts: 市局通知 第三条, key_domains: 市局通知 附件}\n",
        encoding="utf-8",
    )
    city = load_program(path)
    assert city.min_experts == 7 and city.domain_names() == ["电饭锅"] and city.publicity_working_days == 10
    assert city.source("min_experts") == "市局通知 第三条" and "001" in city.source("publicity_working_days")
    with pytest.raises(ProgramError, match="no programme profile"):
        load_program("mofcom-2099")
