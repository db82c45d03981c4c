"""Bans that cannot be walked around: the title register refuses a title for an enterprise inside its 3-year
ban or from a disqualified agency, and refuses a path that is not a register."""

from __future__ import annotations

import pytest

from leaderkit.registers.titles import TitleError, TitleRegister


def title(title_id, enterprise="恒立电器股份有限公司", agency="华衡标准评价中心", published="2023-03-15"):
    until = f"{int(published[:4]) + 1}{published[4:]}"
    return {"title_id": title_id, "standard": f"Q/X {title_id}", "enterprise": enterprise, "domain": "家用电冰箱",
            "agency": agency, "published": published, "valid_until": until}


@pytest.fixture
def reg():
    with TitleRegister(":memory:") as register:
        register.add_title(**title("T1"))
        register.revoke("T1", "fraud", on="2023-05-01")
        yield register


def test_no_new_title_inside_the_enterprises_ban(reg):
    with pytest.raises(TitleError, match="三年禁入期"):
        reg.add_title(**title("T2", published="2026-05-01"))
    assert "T2" not in set(reg.titles(on="2026-05-02")["title_id"])


def test_a_title_the_day_after_the_ban(reg):
    reg.add_title(**title("T3", published="2026-05-02"))
    assert "T3" in set(reg.titles(on="2026-05-03")["title_id"])


def test_no_title_from_a_disqualified_agency(reg):
    reg.disqualify_agency("华衡标准评价中心", "fees", on="2023-06-01")
    with pytest.raises(TitleError, match="评估机构"):
        reg.add_title(**title("T4", enterprise="另一企业", published="2023-09-01"))


def test_a_batch_with_one_barred_title_records_nothing(reg):
    import pandas as pd

    batch = pd.DataFrame([title("OK", enterprise="另一企业", published="2023-09-01"), title("T5", published="2023-09-01")])
    with pytest.raises(TitleError):
        reg.add_titles(batch)
    assert "OK" not in set(reg.titles(on="2023-09-02")["title_id"])


def test_a_missing_register_is_not_created(tmp_path):
    with pytest.raises(TitleError, match="不存在"):
        TitleRegister(tmp_path / "typo.duckdb")
    assert not (tmp_path / "typo.duckdb").exists()
    with TitleRegister(tmp_path / "new.duckdb", create=True):
        pass
    with TitleRegister(tmp_path / "new.duckdb") as again:
        assert again.titles(on="2024-01-01").empty


def test_a_file_that_is_not_a_register_is_refused(tmp_path):
    csv = tmp_path / "titles.csv"
    csv.write_text("title_id,standard\nT1,Q/X 1\n", encoding="utf-8")
    with pytest.raises(TitleError, match="不是称号登记簿"):
        TitleRegister(csv)
    assert csv.read_text(encoding="utf-8") == "title_id,standard\nT1,Q/X 1\n"


def test_an_adjusted_title_bars_only_when_the_programme_says_so(reg):
    reg.add_title(**title("A1", enterprise="调整企业", published="2023-03-15"))
    reg.adjust("A1", "product_discontinued", on="2023-06-01")
    assert not reg.is_barred("调整企业", on="2024-01-01")
    assert reg.is_barred("调整企业", on="2024-01-01", adjustments_bar=True)
    assert "调整企业" not in set(reg.barred_list("2024-01-01")["name"])
    assert "调整企业" in set(reg.barred_list("2024-01-01", adjustments_bar=True)["name"])
