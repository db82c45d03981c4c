"""One rule in one place: places that used to answer the same question differently now ask one function.

Each test here failed before the rule was written once: the last day of a ban, what is mandatory, the meaning
of a bare number surviving `pd.concat`, a ranking argument that was silently ignored, yes/no words, the
relative tolerance, the unit "1" and the top-percent cut. (Results in both languages and the robustness
engine have their own tests in test_agencies/test_titles and test_scheme_robustness.)
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import leaderkit
from leaderkit import Scheme, benchmark, load_baselines, load_standards, rank
from leaderkit._kit.periods import add_months, period_end, within
from leaderkit.ranking.result import prepare
from leaderkit.registers.titles import TitleRegister
from leaderkit.schemes.validation import validate
from leaderkit.standards.codes import code_level, is_mandatory_code

PACKAGE = Path(leaderkit.__file__).parent
SAMPLES = PACKAGE.parent / "sample_data" / "schemes"


# ---- 1. the last day of a ban --------------------------------------------------------------------------


def test_civil_code_periods():
    assert period_end(date(2021, 3, 15), years=3) == date(2024, 3, 15)
    assert period_end(date(2020, 2, 29), years=3) == date(2023, 2, 28)
    assert add_months(date(2023, 1, 31), 3) == date(2023, 4, 30)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert within(date(2024, 3, 15), date(2021, 3, 15), years=3)
    assert not within(date(2024, 3, 16), date(2021, 3, 15), years=3)
    assert not within(date(2021, 3, 14), date(2021, 3, 15), years=3)


@pytest.mark.parametrize(("day", "barred"), [(date(2024, 3, 15), True), (date(2024, 3, 16), False)])
def test_validate_and_the_register_agree_on_the_last_day_of_a_ban(tmp_path, day, barred):
    scheme = Scheme.load(SAMPLES / "washing_machines_a.yaml")
    agency = scheme.agency.name
    profile = tmp_path / "with-list.yaml"
    profile.write_text(
        "name: with-list\ntitle: 附负面清单\nextends: mofcom-2023\ndocuments: [负面清单（示例）]\n"
        f"negative_list:\n  - {{name: {agency}, listed_on: 2021-03-15, reason: 违规收费}}\n"
        "sources: {negative_list: 负面清单（示例）}\n", encoding="utf-8")
    report = validate(scheme, profile, on=day)
    failed = report.findings[(report.findings["code"] == "LK-S019") & (report.findings["status"] == "fail")]
    with TitleRegister(":memory:") as reg:
        reg.disqualify_agency(agency, "fees", on="2021-03-15")
        assert reg.is_barred(agency=agency, on=day) is barred
        assert (agency in set(reg.barred_list(day)["name"])) is barred
    assert (len(failed) == 1) is barred
    if barred:
        assert "2024-03-15" in failed.iloc[0]["message"]


# ---- 2. what is mandatory ------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "level", "mandatory"), [
    ("GB 12021.4-2013", "national", True), ("GB12021.4-2013", "national", True),
    ("ＧＢ／Ｔ 4288-2018", "national", False), ("GB/T 4288-2018", "national", False), ("GB/Z 1-2000", "national", False),
    ("JB 1234-2010", "industry", False), ("QB/T 1111-2020", "industry", False), ("DB33/T 1-2020", None, False),
    ("T/CAS 1-2020", None, False), ("", None, False),
])
def test_mandatory_is_one_function(code, level, mandatory):
    assert code_level(code) == level and is_mandatory_code(code) is mandatory


def test_a_scheme_and_a_baselines_file_agree_on_an_industry_code():
    text = (SAMPLES / "washing_machines_a.yaml").read_text(encoding="utf-8")
    scheme = Scheme.loads(text)
    refs = [b for ind in scheme.indicators for b in ind.baselines]
    jb = refs[0].model_copy(update={"standard": "JB 1234-2010", "mandatory": None})
    base = load_baselines(pd.DataFrame({"标准编号": ["JB 1234-2010"], "领域": ["洗涤机械"], "指标名称": ["能效"],
                                        "指标要求": ["≤0.5"]}))
    assert jb.is_mandatory is False and base["mandatory"].tolist() == [False]


# ---- 3. meaning carried in the data, not in attrs ----------------------------------------------------


def test_a_bare_number_keeps_its_meaning_through_concat(tmp_path):
    limit = tmp_path / "limits.csv"
    limit.write_text("标准编号,领域,指标名称,限量值\nQ/A 1-2023,果品,铅,0.1\n", encoding="utf-8")
    text = tmp_path / "texts.csv"
    text.write_text("标准编号,领域,指标名称,指标要求\nQ/B 1-2023,果品,铅,≤0.05\n", encoding="utf-8")
    base = load_baselines(pd.DataFrame({"标准编号": ["GB 2762-2022"], "领域": ["果品"], "指标名称": ["铅"],
                                        "指标要求": ["≤0.1"]}))
    alone = benchmark(load_standards(limit), base).standards.set_index("standard_id")["vs_national"]
    both = pd.concat([load_standards(limit), load_standards(text)], ignore_index=True)
    assert both.attrs.get("bare") is None  # pandas drops attrs that differ: the meaning is in the column
    verdicts = benchmark(both, base).standards.set_index("standard_id")["vs_national"]
    assert alone["Q/A 1-2023"] == verdicts["Q/A 1-2023"] == "equal"
    assert verdicts["Q/B 1-2023"] == "stricter"


# ---- 4. arguments are honoured, never ignored ----------------------------------------------------------


def test_rank_honours_a_programme_given_with_prepared_data():
    scheme = Scheme.load(SAMPLES / "washing_machines_a.yaml")
    data = load_standards(PACKAGE.parent / "sample_data" / "standards.csv")
    on = date(2023, 11, 30)
    prepared = prepare(scheme, data, on=on, program="mofcom-2023")
    direct = rank(scheme, data, on=on, program="national")
    via_prepared = rank(scheme, prepared, program="national")
    assert via_prepared.prepared.program.name == "national"
    assert via_prepared.table.equals(direct.table)
    assert prepare(scheme, prepared, program="mofcom-2023") is prepared


# ---- 7. kit rules written once -------------------------------------------------------------------------


def _sources() -> dict[str, str]:
    return {p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize(("what", "pattern", "home"), [
    ("the unit '1' means none", r'in \(None, "1"\)', {"schemes/model.py"}),
    ("a relative tolerance constant", r"^_?REL_TOL\s*=", {"limits/requirements.py"}),
    ("the credit code's check weights (GB 32100)", r"1, 3, 9, 27, 19, 26", {"standards/codes.py"}),
    ("the top-percent cut", r"floor\([^)]*top_percent|floor\([^)]*/ 100", {"methods/scoring.py"}),
    ("a temporary file renamed over the target", r"os\.replace\(", {"_kit/files.py"}),
    ("formula characters", r'\("=", "\+", "-", "@"', {"_kit/cells.py"}),
    ("a set of yes words", r'[{\[]"是", "(y|true|有|符合)"', {"_kit/words.py"}),
])
def test_a_rule_is_written_once(what, pattern, home):
    found = {name for name, text in _sources().items() if re.search(pattern, text, re.M)}
    assert found == home, f"{what}: written in {sorted(found)}"


def test_pydantic_errors_are_translated_in_one_place():
    callers = set()
    for name, text in _sources().items():
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "errors"
                    and name != "_kit/yamlfile.py"):
                callers.add(name)
    assert callers == set(), f"ValidationError.errors() read outside _kit/yamlfile.py: {sorted(callers)}"
