"""Validation rules: each rule has a failing case (a changed copy of a valid sample or a defective sample)
and a passing one (the valid samples), and rules that lack data say "cannot check"."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from leaderkit.schemes.model import Scheme
from leaderkit.schemes.validation import RULES, credit_code_ok, validate

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data" / "schemes"
ON = date(2023, 9, 1)


@pytest.fixture(scope="module")
def a():
    return Scheme.load(SAMPLES / "washing_machines_a.yaml")


@pytest.fixture(scope="module")
def battery():
    return Scheme.load(SAMPLES / "storage_batteries.yaml")


def findings(report, code, status=None):
    f = report.findings
    f = f[f["code"] == code]
    return f if status is None else f[f["status"] == status]


def check(scheme, program="mofcom-2023", **kw):
    return validate(scheme, program, on=kw.pop("on", ON), **kw)


# ---- passing: the valid samples ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "program", "unknown"), [
    ("washing_machines_a", "mofcom-2023", {"LK-S019"}),
    ("washing_machines_b", "mofcom-2023", {"LK-S019"}),
    ("logistics", "mofcom-2023", {"LK-S019"}),
    ("storage_batteries", "national", {"LK-S019", "LK-S020"}),
])
def test_valid_samples_pass_every_rule(name, program, unknown):
    report = validate(SAMPLES / f"{name}.yaml", program, on=ON)
    assert report.ok, report.findings
    rules = report.rules
    assert len(rules) == len(RULES) == 32
    assert set(rules.loc[rules["status"] != "pass", "code"]) == unknown
    assert set(rules.loc[rules["status"] == "cannot_check", "code"]) == unknown
    assert (report.findings["severity"] == "info").all()


# ---- failing: one deliberate defect per sample file ----------------------------------------------------


@pytest.mark.parametrize(("name", "code", "severity"), [
    ("fee_charged", "LK-S017", "error"),
    ("two_core_indicators", "LK-S003", "warning"),
    ("threshold_looser_than_gb", "LK-S010", "error"),
    ("weights_sum", "LK-S013", "error"),
    ("conflicted_expert", "LK-S022", "error"),
    ("missing_contents", "LK-S001", "error"),
    ("levels_disordered", "LK-S011", "error"),
    ("cycle_too_long", "LK-S016", "error"),
    ("short_publicity", "LK-S023", "error"),
    ("agency_is_working_organisation", "LK-S018", "error"),
])
def test_each_defective_sample_has_exactly_its_defect(name, code, severity):
    report = validate(SAMPLES / f"defect_{name}.yaml", None, on=ON)
    problems = report.findings[report.findings["severity"] != "info"]
    assert list(zip(problems["code"], problems["severity"], strict=True)) == [(code, severity)]
    assert report.ok == (severity != "error")
    assert code in (SAMPLES / f"defect_{name}.yaml").read_text(encoding="utf-8").splitlines()[1]


def test_short_publicity_counts_working_days_not_calendar_days():
    report = validate(SAMPLES / "defect_short_publicity.yaml", None, on=ON)
    row = findings(report, "LK-S023").iloc[0]
    # 2023-09-25…10-09: 25, 26, 27, 28, Sat 10-07, Sun 10-08 (调休), Mon 10-09 = 7 working days in 15 days
    assert "只有 7 个工作日" in row["message"] and row["where"] == "timeline.scheme_publicity"
    assert row["line"] == 111


def test_looser_than_mandatory_names_the_standard_and_the_line():
    report = validate(SAMPLES / "defect_threshold_looser_than_gb.yaml", None, on=ON)
    row = findings(report, "LK-S010").iloc[0]
    assert row["where"] == "indicators[1].levels.baseline" and row["line"] == 54
    assert "GB 12021.4-2013" in row["message"] and "would not comply" in row["message_en"]


# ---- failing: changed copies ---------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "code", "severity", "status"), [
    ({"enterprise_information": []}, "LK-S001", "error", "fail"),
    ({"purpose": "  "}, "LK-S001", "error", "fail"),
    ({**{f"indicators[{i}].class": "innovation" for i in range(6)}}, "LK-S002", "error", "fail"),
    ({"indicators.energy_use.unit": None}, "LK-S004", "error", "fail"),
    ({"indicators.energy_use.direction": None}, "LK-S005", "error", "fail"),
    ({"indicators.energy_use.direction": "higher"}, "LK-S005", "error", "fail"),
    ({"indicators.energy_use.levels.leader": "领先水平"}, "LK-S006", "error", "fail"),
    ({"indicators.energy_use.levels.leader": "≤0.5（一级）；≤1.0（二级）"}, "LK-S006", "error", "fail"),
    ({"indicators.energy_use.levels.leader": None}, "LK-S006", "error", "fail"),
    ({"indicators.standby_power.baselines": []}, "LK-S007", "error", "fail"),
    ({"indicators[0].baselines[1].requirement": "≤0.5（一级）；≤1.0（二级）"}, "LK-S008", "error", "fail"),
    ({"indicators.wash_noise.levels.baseline": "≤ 60"}, "LK-S009", "error", "fail"),
    ({"indicators.moisture.levels.baseline": "≤ 52"}, "LK-S009", "error", "fail"),
    ({"indicators.wash_noise.baselines[0].requirement": "≤ 62 dB"}, "LK-S009", "warning", "cannot_check"),
    ({"indicators.energy_use.weight": -0.25, "indicators.water_use.weight": 0.70}, "LK-S012", "error", "fail"),
    ({"indicators.standby_power.weight": None, "indicators.energy_use.weight": 0.35}, "LK-S012", "error", "fail"),
    ({"ranking": None}, "LK-S014", "warning", "cannot_check"),
    ({"ranking.method": "lexicographic", "ranking.priority": ["energy_use", "noise"]}, "LK-S014", "error", "fail"),
    ({"ranking.method": "levels"}, "LK-S014", "error", "fail"),
    ({"ranking.normalise": "goalpost"}, "LK-S014", "error", "fail"),
    ({"leader_rule": None}, "LK-S015", "warning", "cannot_check"),
    ({"leader_rule": {"reach_level": "advanced"}, "indicators.moisture.levels.advanced": None}, "LK-S015", "error",
     "fail"),
    ({"leader_rule": {"top_n": 12, "max_leaders": 10}}, "LK-S015", "error", "fail"),
    ({"leader_rule": {"top_n": 5, "min_participants": 5}}, "LK-S015", "warning", "fail"),
    ({"cycle_months": None}, "LK-S016", "warning", "cannot_check"),
    ({"cycle_months": 18}, "LK-S016", "info", "note"),
    ({"fees": None}, "LK-S017", "warning", "cannot_check"),
    ({"fees": {"charged": False, "amount": 500}}, "LK-S017", "error", "fail"),
    ({"agency.name": "中国标准化研究院标准化理论研究所"}, "LK-S018", "error", "fail"),
    ({"domain": "电饭锅"}, "LK-S020", "error", "fail"),
    ({"category": "家用电器"}, "LK-S020", "warning", "fail"),
    ({"experts": []}, "LK-S021", "warning", "cannot_check"),
    ({"experts[0].conflicts": ["XDJX-2023-A"]}, "LK-S022", "error", "fail"),
    ({"experts[0].affiliation": None}, "LK-S022", "warning", "cannot_check"),
    ({"timeline": None}, "LK-S023", "warning", "cannot_check"),
    ({"timeline.list_publicity": None}, "LK-S023", "warning", "cannot_check"),
    ({"timeline.ranking_date": date(2023, 10, 30)}, "LK-S024", "error", "fail"),
    ({"timeline.ranking_date": date(2023, 11, 20)}, "LK-S025", "error", "fail"),
    ({"timeline.ranking_date": None}, "LK-S025", "warning", "cannot_check"),
    ({"timeline.list_publicity": {"start": date(2023, 11, 1), "end": date(2023, 11, 14)}}, "LK-S026", "error", "fail"),
    ({"timeline.publication_date": date(2023, 12, 14)}, "LK-S026", "error", "fail"),
    ({"timeline.declaration_deadline": date(2023, 11, 5)}, "LK-S027", "error", "fail"),
    ({"platform": "某省企业标准信息平台"}, "LK-S029", "warning", "fail"),
    ({"platform": None}, "LK-S029", "info", "cannot_check"),
    ({"indicators[0].baselines[0].mandatory": False}, "LK-S030", "warning", "fail"),
    ({"indicators.electrical_safety.weight": 0.0}, "LK-S031", "warning", "fail"),
    ({"agency.credit_code": "51110000MJ00123452"}, "LK-S032", "warning", "fail"),
    ({"agency.credit_code": None}, "LK-S032", "info", "cannot_check"),
])
def test_rule_fails_on_a_changed_copy(a, changes, code, severity, status):
    assert not findings(check(a), code, None).query("severity != 'info'").shape[0]
    report = check(a.with_changes(changes))
    hits = findings(report, code)
    assert ((hits["severity"] == severity) & (hits["status"] == status)).any(), report.findings
    if severity == "error":
        assert not report.ok
    rules = report.rules.set_index("code")["status"]
    assert rules[code] == {"fail": "fail" if severity != "info" else "pass", "cannot_check": "cannot_check",
                           "note": "pass"}[status]


def test_levels_not_nested_in_a_range(battery):
    bad = battery.with_changes({"indicators.cell_voltage.levels.leader": "3.00～3.20 V"})
    row = findings(validate(bad, "national", on=ON), "LK-S011").iloc[0]
    assert row["where"] == "indicators[2].levels.leader" and "looser" in row["message"]
    assert validate(battery, "national", on=ON).ok


def test_range_direction_needs_intervals(battery):
    report = validate(battery.with_changes({"indicators.cell_voltage.levels.leader": "≥ 3.08 V"}), "national", on=ON)
    assert "LK-S005" in set(findings(report, "LK-S005")["code"])


def test_unnormalised_weights_declared_and_objective_weights(a):
    off = a.with_changes({"indicators.wash_noise.weight": 0.05})
    assert "LK-S013" in set(check(off).findings["code"])
    assert check(off.with_changes({"ranking.weights_unnormalised": True})).ok
    entropy = check(a.with_changes({"ranking.weights": "entropy"}))
    assert entropy.ok and findings(entropy, "LK-S013", "note").shape[0] == 1


def test_negative_list_with_a_user_profile(a, tmp_path):
    profile = tmp_path / "mofcom-with-list.yaml"
    profile.write_text(
        "name: mofcom-with-list\ntitle: 附负面清单\nextends: mofcom-2023\ndocuments: [工作机构负面清单（示例）]\n"
        "negative_list:\n  - {name: 华标洗涤装备评价中心（示例）, listed_on: 2022-05-01, reason: 违规收费}\n"
        "sources: {negative_list: 工作机构负面清单（示例）}\n",
        encoding="utf-8",
    )
    barred = validate(a, profile, on=date(2023, 9, 1))
    assert not barred.ok and "2025-05-01" in findings(barred, "LK-S019", "fail").iloc[0]["message"]
    expired = validate(a, profile, on=date(2025, 6, 1))
    assert expired.ok and findings(expired, "LK-S019", "note").shape[0] == 1
    assert findings(validate(a, "mofcom-2023", on=ON), "LK-S019", "cannot_check").shape[0] == 1


def test_jincheng_requires_enterprise_consent(a):
    unknown = validate(a, "jincheng-2021", on=ON)
    assert findings(unknown, "LK-S028", "cannot_check").shape[0] == 1
    assert findings(unknown, "LK-S020", "fail").shape[0] == 1  # 洗涤机械 is not a Jincheng industry
    assert findings(unknown, "LK-S029", "fail").shape[0] == 1  # the national platform, not the provincial one
    refused = validate(a.with_changes({"enterprise_consent": False}), "jincheng-2021", on=ON)
    assert findings(refused, "LK-S028", "fail").shape[0] == 1
    local = a.with_changes({"enterprise_consent": True, "domain": "光机电", "category": None,
                            "platform": "山西省企业标准信息公共服务平台"})
    report = validate(local, "jincheng-2021", on=ON)
    assert {"LK-S020", "LK-S028", "LK-S029"}.isdisjoint(report.findings["code"])
    assert findings(validate(a, "mofcom-2023", on=ON), "LK-S028").empty


def test_programme_minimum_of_experts(a):
    four = a.with_changes({"experts": [e.model_dump() for e in a.experts[:4]]})
    row = findings(check(four), "LK-S021").iloc[0]
    assert row["severity"] == "error" and "4" in row["message"] and "5" in row["message"]


def test_fallback_calendar_is_reported(battery):
    later = battery.with_changes({"timeline.list_publicity": {"start": date(2027, 1, 4), "end": date(2027, 1, 15)},
                                  "timeline.publication_date": date(2027, 1, 20)})
    report = validate(later, "national", on=ON)
    notes = findings(report, "LK-S023", "note")
    assert notes.shape[0] == 1 and "2027" in notes.iloc[0]["message"] and "Monday–Friday" in notes.iloc[0]["message_en"]
    assert findings(report, "LK-S023", "fail").empty  # 10 Mon–Fri days


def test_credit_code_check_digit():
    assert credit_code_ok("51110000MJ00123451") and credit_code_ok("12100000400012345P")
    assert not credit_code_ok("51110000MJ00123452") and not credit_code_ok("5111000MJ0012345")


def test_report_shape_and_json(a):
    report = check(a.with_changes({"fees": {"charged": True, "amount": 1000}}))
    assert list(report.findings.columns) == ["code", "severity", "message", "message_en", "rule", "where", "line",
                                             "status"]
    assert report.findings["severity"].iloc[0] == "error"  # errors first
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False, default=str))
    assert data["ok"] is False and data["counts"]["error"] == 1 and data["digest"] == report.scheme_digest
    assert "错误 1" in report.summary()


def test_every_rule_is_documented_with_its_source():
    doc = (ROOT / "docs" / "RULES_SCHEMES.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        row = next((ln for ln in doc.splitlines() if ln.startswith(f"| {code} ")), None)
        assert row is not None, f"{code} missing from docs/RULES_SCHEMES.md"
        assert rule.severity in row and rule.source in row, row
    assert sorted(RULES) == sorted(re.findall(r"^\| (LK-S\d{3}) ", doc, flags=re.M))


def test_indicator_table_puts_levels_beside_baselines():
    from leaderkit.schemes.validation import indicator_table

    table = indicator_table(Scheme.load(SAMPLES / "defect_threshold_looser_than_gb.yaml"))
    water = table[table["indicator"] == "water_use"].iloc[0]
    assert (water["standard"], water["requirement"], water["baseline"]) == ("GB 12021.4-2013", "≤ 24", "≤ 26")
    assert (water["leader_vs_baseline"], water["baseline_vs_baseline"]) == ("stricter", "looser")
    assert table["indicator"].tolist().count("energy_use") == 2  # one row per cited baseline
    assert table.loc[table["indicator"] == "electrical_safety", "standard"].isna().all()


def test_public_time_before_the_list_is_counted_in_calendar_months(a):
    # national: 3 calendar months (Civil Code art. 201–202): declared 2023-01-31, public 3 months on 2023-04-30
    def s025(ranking_date):
        scheme = a.with_changes({"timeline.declaration_deadline": date(2023, 1, 31),
                                 "timeline.ranking_date": ranking_date})
        return findings(check(scheme, program="national"), "LK-S025", "fail")

    assert s025(date(2023, 4, 30)).empty
    failed = s025(date(2023, 4, 29))
    assert len(failed) == 1
    assert "公开不满 3 个月（最早 2023-04-30）" in failed.iloc[0]["message"]
    assert "less than 3 months" in failed.iloc[0]["message_en"]


def test_an_agency_disqualified_in_the_title_register_is_refused(a, tmp_path):
    from leaderkit.registers.titles import TitleRegister

    path = tmp_path / "titles.duckdb"
    with TitleRegister(path, create=True) as reg:
        reg.disqualify_agency(a.agency.name, "fees", "2023-03-15")
    barred = findings(check(a, on=date(2026, 3, 15), titles=path), "LK-S019", "fail")
    assert len(barred) == 1 and "禁入至 2026-03-15（含当日）" in barred.iloc[0]["message"]
    assert findings(check(a, on=date(2026, 3, 16), titles=path), "LK-S019", "fail").empty
    assert findings(check(a, on=date(2026, 3, 15)), "LK-S019", "fail").empty  # no register: not checked
    from leaderkit.cli import main

    assert main(["validate", str(SAMPLES / "washing_machines_a.yaml"), "--on", "2025-01-01", "--titles", str(path)]) == 1
