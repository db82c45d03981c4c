"""The document 003 rubric as data (评分表) and the check of the rubric itself (LK-R0xx findings)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from leaderkit.agencies.grading import (
    RubricError,
    check_rubric,
    default_rubric_path,
    grade_agencies,
    load_rubric,
)

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_cb86f92e47abe5a8.txt"
ITEM_IDS = (["1.1", "1.2", "1.3", "1.4", "1.5"] + [f"1.6{c}" for c in "abcde"] + ["2.1", "2.2", "2.3", "2.4"]
            + [f"2.5{c}" for c in "abcde"] + [f"2.6{c}" for c in "abcde"] + ["3.1", "3.2", "3.3", "3.4", "3.5"])


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


@pytest.fixture(scope="module")
def findings(rubric):
    return check_rubric(rubric)


def edited(tmp_path, change) -> Path:
    """A copy of the shipped rubric with `change(data)` applied."""
    data = yaml.safe_load(default_rubric_path().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def item(data, item_id):
    return next(i for i in data["items"] if i["id"] == item_id)


def test_shipped_rubric_has_every_item_of_the_seed(rubric):
    assert rubric.item_ids == ITEM_IDS
    assert [c.id for c in rubric.categories] == ["basic", "core", "incentive"]
    assert [c.declared_max for c in rubric.categories] == [30, 40, 30]
    assert rubric.category_max() == {"basic": 30, "core": 40, "incentive": 25}
    assert [g.name for g in rubric.grades] == ["一级", "二级", "三级", "四级"]
    assert [v.id for v in rubric.vetoes] == ["veto_false_info", "veto_no_list_two_years", "veto_fees",
                                            "veto_certification_fraud", "veto_non_cooperation"]
    minima = {g.grade: {c.score: c.min for c in g.all_of} for g in rubric.grades if g.all_of}
    assert minima == {1: {"total": 90, "basic": 28, "core": 37, "incentive": 25},
                      2: {"total": 80, "basic": 25, "core": 35, "incentive": 20},
                      3: {"total": 70, "basic": 25, "core": 35, "incentive": 10}}
    four = rubric.grades[-1]
    assert {(c.score, c.max) for c in four.any_of} == {("total", 60), ("basic", 25), ("core", 30)}
    assert four.otherwise and four.vetoes


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents are not in this checkout")
def test_every_text_is_the_seeds_own():
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    data = yaml.safe_load(default_rubric_path().read_text(encoding="utf-8"))
    texts = [i["text"] for i in data["items"]] + [o["text"] for i in data["items"] for o in i.get("options", [])]
    texts += [g["text"] for g in data["groups"]] + [v["text"] for v in data["vetoes"]]
    texts += [g["requirement"] for g in data["grades"]] + [g["consequence"] for g in data["grades"]]
    missing = [t for t in texts if re.sub(r"\s+", "", t) not in seed]
    assert missing == []


def test_findings_have_the_documented_columns(findings):
    assert list(findings.columns) == ["code", "severity", "message", "message_en", "clause", "where"]
    assert set(findings["severity"]) <= {"error", "warning", "info"}
    assert findings["code"].str.fullmatch(r"LK-R0\d\d").all()
    assert (findings["message"] != "").all() and (findings["message_en"] != "").all()
    assert findings["clause"].str.startswith("document 003 二(二)").all()


def test_shipped_rubric_findings_are_the_seeds_inconsistencies(findings):
    by = {code: group for code, group in findings.groupby("code")}
    assert sorted(by) == ["LK-R001", "LK-R002", "LK-R004", "LK-R005", "LK-R006", "LK-R007", "LK-R008",
                          "LK-R009", "LK-R010", "LK-R011"]
    assert "error" not in set(findings["severity"])
    r001 = by["LK-R001"].iloc[0]
    assert len(by["LK-R001"]) == 1 and "声明满分 30 分" in r001["message"] and "最高 25 分" in r001["message"]
    assert r001["where"] == "categories[2].declared_max"
    assert "鼓励性指标 ≥ 25" in by["LK-R002"].iloc[0]["message"]
    bands = " ".join(by["LK-R004"]["message"])
    assert "总分为 61–69 分" in bands and "核心指标为 31–34 分" in bands and "鼓励性指标为 0–9 分" in bands
    assert "评为四级" in bands
    r005 = by["LK-R005"].iloc[0]["message"]
    assert r005.startswith("基础指标恰为 25 分时同时符合二级、三级、四级的文字条件") and "评为三级" in r005
    assert by["LK-R006"].iloc[0]["clause"] == "document 003 二(二) 2.2b"
    assert by["LK-R007"].iloc[0]["clause"] == "document 003 二(二) 3.2"
    assert "4.2.3.2" in by["LK-R008"].iloc[0]["message"] and by["LK-R008"].iloc[0]["where"] == "items[23].refs[0]"
    assert "4.3.2" in by["LK-R009"].iloc[0]["message"]
    assert set(by["LK-R010"]["clause"].str.split().str[-1]) == {"2.3", "3.1", "3.4"}
    r010 = by["LK-R010"].set_index(by["LK-R010"]["clause"].str.split().str[-1])["message"]
    assert "products_registered=50 同时符合 b)、c)，取 b) 3 分" in r010["3.4"]
    assert "products_registered=100 同时符合 a)、b)，取 a) 5 分" in r010["3.4"]
    assert "trainings=0 同时符合 b)、c)，取 c) 0 分" in r010["3.1"]
    assert set(by["LK-R011"]["clause"].str.split().str[-1]) == {"2.4", "3.3"}
    assert "leader_lists_published=0, rankings_published=1" in by["LK-R011"].iloc[0]["message"]


def test_a_rubric_whose_items_do_not_add_up(tmp_path):
    def change(data):
        data["categories"][0]["declared_max"] = 35
        item(data, "1.1")["points"] = 3
    f = check_rubric(load_rubric(edited(tmp_path, change)))
    r001 = f[f["code"] == "LK-R001"]
    assert r001["where"].tolist() == ["categories[0].declared_max", "categories[2].declared_max"]
    assert "基础指标声明满分 35 分，但各评分项合计最高 28 分" in r001.iloc[0]["message"]


def test_repairing_the_seed_removes_its_findings(tmp_path):
    def change(data):
        data["categories"][2]["declared_max"] = 25
        data["stray_headings"] = []
        item(data, "2.6e")["refs"] = []
        item(data, "2.2")["options"][1]["absence"] = True
    f = check_rubric(load_rubric(edited(tmp_path, change)))
    assert not {"LK-R001", "LK-R006", "LK-R008", "LK-R009"} & set(f["code"])


def test_a_grade_that_cannot_be_reached_is_an_error(tmp_path):
    def change(data):
        data["grades"][0]["all_of"][3]["min"] = 28
    f = check_rubric(load_rubric(edited(tmp_path, change)))
    r003 = f[f["code"] == "LK-R003"]
    assert len(r003) == 1 and r003.iloc[0]["severity"] == "error"
    assert "鼓励性指标 ≥ 28，但最高只能得 25 分" in r003.iloc[0]["message"]
    assert f.iloc[0]["code"] == "LK-R003"


def test_grade_texts_without_gaps_give_no_band_findings(tmp_path):
    def change(data):
        data["grades"][3]["any_of"] = [{"score": "total", "max": 69}, {"score": "basic", "max": 24},
                                       {"score": "core", "max": 34}, {"score": "incentive", "max": 9}]
    f = check_rubric(load_rubric(edited(tmp_path, change)))
    assert not {"LK-R004", "LK-R005"} & set(f["code"])


def test_another_rubric_file_changes_the_grades(tmp_path):
    def change(data):
        data["id"] = "province-2024"
        data["grades"][0]["all_of"][0]["min"] = 95
    graded = grade_agencies(Path(__file__).resolve().parents[1] / "sample_data" / "agencies" / "records.csv",
                            edited(tmp_path, change))
    assert graded.attrs["rubric"] == "province-2024"
    assert graded["grade"].tolist()[:3] == [2, 1, 2]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: item(d, "2.3").update(category="core2"), "items[12] (2.3): unknown category 'core2'"),
    (lambda d: item(d, "1.1").update(options=[{"key": "a", "text": "x", "points": 5}]), "points"),
    (lambda d: item(d, "1.2").update(id="1.1"), "items: duplicate '1.1'"),
    (lambda d: d["grades"][3].update(otherwise=False), "otherwise"),
    (lambda d: item(d, "3.1")["options"][0].update(facts={"lectures": [3, None]}), "unknown facts"),
    (lambda d: item(d, "1.3").update(points="five"), "items[2].points"),
])
def test_malformed_rubrics_name_the_yaml_path(tmp_path, change, expected):
    with pytest.raises(RubricError) as err:
        load_rubric(edited(tmp_path, change))
    assert expected in str(err.value)
    assert "rubric.yaml" in str(err.value)


def test_yaml_errors_and_missing_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nitems: [\n", encoding="utf-8")
    with pytest.raises(RubricError, match="line"):
        load_rubric(bad)
    with pytest.raises(RubricError, match="找不到评分表文件"):
        load_rubric(tmp_path / "none.yaml")


def test_line_numbers_point_into_the_file(tmp_path):
    path = edited(tmp_path, lambda d: item(d, "1.3").update(points="five"))
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    line = int(re.search(r"line (\d+)", str(err.value)).group(1))
    assert "five" in path.read_text(encoding="utf-8").splitlines()[line - 1]
