"""The expert pool (专家库, 001 二2) in the round register, and conflicts checked across the schemes of a round
and across years (001 三(一)2 不得为方案编制单位人员; 002 四(三) 确定最优方案): affiliations since the call,
conflicts declared in earlier years, competing schemes, panel size, reviews recorded for later years."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from leaderkit.cli import main
from leaderkit.registers.rounds import RoundError, RoundRegister
from leaderkit.schemes.model import Scheme
from leaderkit.schemes.panel import PanelError, approve_with_panel, check_panel, pool_conflicts, same_unit

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "schemes"
WASH = "洗涤机械"
A_UNIT, B_UNIT = "华标洗涤装备评价中心（示例）", "东岳家电标准技术研究院（示例）"


@pytest.fixture
def reg():
    with RoundRegister(":memory:", programme="national") as register:
        yield register


def pool_of_seven(reg) -> None:
    """Seven experts from neutral units, joined in 2020."""
    for n in range(1, 8):
        reg.add_expert(f"E{n}", f"专家{n}", f"中立单位{n}", on="2020-01-01", fields=[WASH])


def round_2024(reg) -> None:
    """The 2024 call (2024-03-01) and two competing schemes: A by 华标, B by 东岳 (drafted with 东岳洗衣机产业联盟)."""
    reg.call(2024, [WASH], on="2024-03-01")
    reg.submit_scheme("XDJX-2023-A", A_UNIT, 2024, WASH, on="2024-04-01")
    reg.submit_scheme("XDJX-2023-B", B_UNIT, 2024, WASH, on="2024-04-02")


@pytest.fixture(scope="module")
def scheme_files():
    return [Scheme.load(SAMPLES / "washing_machines_a.yaml"), Scheme.load(SAMPLES / "washing_machines_b.yaml")]


# --- the pool over time ------------------------------------------------------------------------------
def test_the_pool_keeps_affiliations_memberships_and_conflicts_over_the_years(reg):
    reg.add_expert("E1", "王伟", "中国轻工业联合会", on="2020-01-01", fields=["洗涤机械", "家用电器"])
    reg.add_expert("E2", "李娜", "华东理工大学", on="2021-06-01")
    reg.move_expert("E1", A_UNIT, on="2023-07-01")
    reg.declare_conflict("E2", "东岳洗衣机产业联盟", on="2022-02-01")
    reg.retire_expert("E2", on="2023-12-31", reason="任期届满")
    pool = reg.experts("2023-06-30").set_index("expert_id")
    assert pool.loc["E1", ["affiliation", "fields", "joined"]].tolist() == [
        "中国轻工业联合会", ["洗涤机械", "家用电器"], date(2020, 1, 1)]
    assert pool.loc["E2", "conflicts"] == ["东岳洗衣机产业联盟"]
    assert reg.experts("2023-07-01").set_index("expert_id").loc["E1", "affiliation"] == A_UNIT
    assert reg.experts("2023-12-31")["expert_id"].tolist() == ["E1"]  # from the day of leaving, out
    assert reg.experts("2019-12-31").empty
    spells = reg.expert_spells()
    assert spells[["expert_id", "affiliation", "start", "end"]].values.tolist() == [
        ["E1", "中国轻工业联合会", date(2020, 1, 1), date(2023, 6, 30)], ["E1", A_UNIT, date(2023, 7, 1), None],
        ["E2", "华东理工大学", date(2021, 6, 1), date(2023, 12, 30)]]
    reg.add_expert("E2", "李娜", "浙江大学", on="2025-01-01")  # may join again
    assert reg.experts("2025-01-01").set_index("expert_id").loc["E2", ["affiliation", "conflicts"]].tolist() == [
        "浙江大学", ["东岳洗衣机产业联盟"]]  # a declared conflict holds across years


def test_pool_writes_are_refused_out_of_order_or_for_unknown_experts(reg):
    reg.add_expert("E1", "王伟", "中国轻工业联合会", on="2020-01-01")
    with pytest.raises(RoundError, match="已在专家库中"):
        reg.add_expert("E1", "王伟", "别处", on="2021-01-01")
    with pytest.raises(RoundError, match="早于"):
        reg.move_expert("E1", "别处", on="2019-01-01")
    with pytest.raises(RoundError, match="不在专家库中"):
        reg.move_expert("E9", "别处", on="2021-01-01")
    with pytest.raises(RoundError, match="没有专家 E9"):
        reg.declare_conflict("E9", "某单位", on="2021-01-01")
    with pytest.raises(RoundError, match="工作单位不能为空"):
        reg.add_expert("E2", "李娜", " ", on="2021-01-01")
    reg.retire_expert("E1", on="2022-01-01", reason="调离")
    with pytest.raises(RoundError, match="不在专家库中"):
        reg.retire_expert("E1", on="2022-02-01", reason="再次")
    assert not [m for m in dir(RoundRegister) if m.startswith(("update", "delete", "remove", "edit"))]


# --- conflicts across schemes and years ----------------------------------------------------------------
def test_conflicts_across_schemes_and_years(reg, scheme_files):
    pool_of_seven(reg)
    reg.add_expert("E8", "赵敏", B_UNIT, on="2020-01-01")                      # at B's agency now
    reg.add_expert("E9", "钱进", "东岳洗衣机产业联盟", on="2020-01-01")           # at B's drafting unit until May
    reg.move_expert("E9", "某大学", on="2024-05-01")
    reg.add_expert("E10", "孙丽", A_UNIT, on="2020-01-01")                      # left A before the call
    reg.move_expert("E10", "某协会", on="2024-02-01")
    reg.declare_conflict("E3", "XDJX-2023-A", on="2022-05-01")                  # an earlier year's declaration
    reg.retire_expert("E7", on="2024-04-30", reason="退休")
    round_2024(reg)
    got = pool_conflicts(reg, 2024, WASH, on="2024-05-10", schemes=scheme_files,
                         experts=["E1", "E3", "E7", "E8", "E9", "E10"])
    table = {(r.expert_id, r.scheme): r.code for r in got.itertuples()}
    assert table == {
        ("E3", "XDJX-2023-A"): "declared", ("E3", "XDJX-2023-B"): "competing",
        ("E7", "XDJX-2023-A"): "not_in_pool", ("E7", "XDJX-2023-B"): "not_in_pool",
        ("E8", "XDJX-2023-B"): "compiling_unit", ("E8", "XDJX-2023-A"): "competing",
        ("E9", "XDJX-2023-B"): "former_unit", ("E9", "XDJX-2023-A"): "competing",
    }
    reasons = got.set_index(["expert_id", "scheme"])
    assert "2024-03-01 征集以来" in reasons.loc[("E9", "XDJX-2023-B"), "reason"]
    assert "东岳洗衣机产业联盟" in reasons.loc[("E9", "XDJX-2023-B"), "reason"]  # a drafting unit, from the file
    assert reasons.loc[("E8", "XDJX-2023-A"), "reason"].startswith("与同领域竞争方案 XDJX-2023-B 有关联（任职于方案编制单位")
    # without the scheme file the register knows only the agency: the drafting unit is not seen
    bare = pool_conflicts(reg, 2024, WASH, on="2024-05-10", experts=["E9"])
    assert bare.empty
    assert same_unit(A_UNIT, "华标洗涤装备评价中心（示例）检测部") and not same_unit(A_UNIT, None)


def test_a_panel_is_checked_and_recorded_for_later_years(reg, scheme_files):
    pool_of_seven(reg)
    reg.add_expert("E8", "赵敏", B_UNIT, on="2020-01-01")
    round_2024(reg)
    with pytest.raises(PanelError, match="少于活动规则要求的 5 人"):
        check_panel(reg, "XDJX-2023-A", ["E1", "E2", "E3", "E4", "E4", " E1"], "2024-05-10", schemes=scheme_files)
    with pytest.raises(PanelError, match="E8（赵敏）：与同领域竞争方案 XDJX-2023-B 有关联") as refused:
        check_panel(reg, "XDJX-2023-A", ["E1", "E2", "E3", "E4", "E8"], "2024-05-10", schemes=scheme_files)
    assert refused.value.where == "001 二2、三(一)2"
    with pytest.raises(PanelError, match="没有方案 XDJX-2099"):
        check_panel(reg, "XDJX-2099", ["E1"], "2024-05-10")
    assert check_panel(reg, "XDJX-2023-A", ["E1", "E2", "E3", "E4", "E5", "E5"], "2024-05-10") == [
        "E1", "E2", "E3", "E4", "E5"]
    approve_with_panel(reg, "XDJX-2023-A", ["E1", "E2", "E3", "E4", "E5"], "2024-05-10", opinion="一致通过",
                       schemes=scheme_files)
    reviews = reg.reviews()
    assert reviews[["expert_id", "scheme", "year", "domain", "agency", "reviewed"]].values.tolist() == [
        [f"E{n}", "XDJX-2023-A", 2024, WASH, A_UNIT, date(2024, 5, 10)] for n in range(1, 6)]
    assert reg.schemes().set_index("scheme").loc["XDJX-2023-A", "review"] == "panel"
    with pytest.raises(PanelError, match="已通过评审"):
        approve_with_panel(reg, "XDJX-2023-A", ["E1", "E2", "E3", "E4", "E6"], "2024-05-11")


def test_the_register_refuses_reviewers_outside_the_pool(reg):
    pool_of_seven(reg)
    round_2024(reg)
    reg.retire_expert("E2", on="2024-05-01", reason="调离")
    with pytest.raises(RoundError, match="不在 2024-05-10 的专家库中：E2、E99"):
        reg.approve_scheme("XDJX-2023-A", on="2024-05-10", experts=["E1", "E2", "E99"])
    with pytest.raises(RoundError, match="不登记评审专家"):
        reg.approve_scheme("XDJX-2023-A", on="2024-05-10", experts=["E1"], without_review=True)
    assert reg.reviews().empty and reg.schemes()["approved"].isna().all()


# --- the command line ---------------------------------------------------------------------------------
def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_pool_conflicts_and_a_checked_approval(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    assert run(capsys, "round", "create", db)[0] == 0
    for n in range(1, 6):
        assert run(capsys, "round", "expert", db, f"E{n}", "--name", f"专家{n}", "--affiliation", f"中立单位{n}",
                   "--field", WASH, "--on", "2020-01-01")[0] == 0
    run(capsys, "round", "expert", db, "E6", "--name", "赵敏", "--affiliation", "某大学", "--on", "2020-01-01")
    assert run(capsys, "round", "conflict", db, "E6", "--with", "东岳洗衣机产业联盟", "--on", "2021-03-01")[0] == 0
    code, _, err = run(capsys, "round", "expert", db, "E6", "--name", "赵敏", "--affiliation", "x", "--on", "2022-01-01")
    assert code == 2 and "已在专家库中" in err and "Traceback" not in err
    assert run(capsys, "round", "call", db, "--year", 2024, "--domain", WASH, "--on", "2024-03-01")[0] == 0
    run(capsys, "round", "scheme", db, "XDJX-2023-A", "--agency", A_UNIT, "--year", 2024, "--domain", WASH, "--on",
        "2024-04-01")
    run(capsys, "round", "scheme", db, "XDJX-2023-B", "--agency", B_UNIT, "--year", 2024, "--domain", WASH, "--on",
        "2024-04-02")
    b_file = SAMPLES / "washing_machines_b.yaml"
    code, out, _ = run(capsys, "round", "experts", db, "--on", "2024-05-10", "--year", 2024, "--domain", WASH,
                       "--scheme-file", b_file)
    assert code == 0 and "E6" in out and "申报了利益冲突：东岳洗衣机产业联盟" in out and "竞争方案" in out
    code, _, err = run(capsys, "round", "approve", db, "XDJX-2023-A", "--on", "2024-05-10", "--scheme-file", b_file,
                       *[a for n in (1, 2, 3, 4, 6) for a in ("--expert", f"E{n}")])
    assert code == 2 and "E6" in err and "回避" in err
    code, out, _ = run(capsys, "round", "approve", db, "XDJX-2023-A", "--on", "2024-05-10",
                       *[a for n in (1, 2, 3, 4, 5) for a in ("--expert", f"E{n}")])
    assert code == 0 and "专家 5 人" in out
    assert run(capsys, "round", "expert-move", db, "E1", "--affiliation", B_UNIT, "--on", "2024-06-01")[0] == 0
    assert run(capsys, "round", "expert-leave", db, "E5", "--reason", "退休", "--on", "2024-06-01")[0] == 0
    code, out, _ = run(capsys, "--lang", "en", "round", "experts", db, "--on", "2024-06-02")
    assert code == 0 and "E5" not in out and B_UNIT in out and "declared conflicts" in out
    code, _, err = run(capsys, "round", "experts", db, "--year", 2024)
    assert code == 2 and "--domain" in err
