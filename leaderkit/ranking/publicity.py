"""The publicity workbook (排行榜与领跑者名单公示文件).

One Excel file per published list, so that an objection (异议) can be checked against exactly what was
published: every sheet carries the scheme id, title, agency, list date and the digest of scheme + data +
leaderkit version (`Ranking.digest`). Sheets: 排行榜 (the ranking list, eligible standards by rank),
领跑者名单 (the leaders and why) and 未入榜及原因 (the excluded standards and the reasons).

A tuned variant (a scheme with `derived_from`, e.g. saved by the tuner) can never pass as the official list:
every sheet title says 调整方案·草案, the header names the official scheme it comes from, and a fourth sheet
调整记录 lists every change old → new.

A ranking by a scheme that fails validation (`write_workbook(..., unvalidated=True)`) is marked the
same way: every sheet title says 未通过校验·草案, so it cannot pass as a 公示名单 either.

Text cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return)
are stored as text (formula injection, CWE-1236; `leaderkit._kit.cells`); control characters, which a
workbook cannot hold, are replaced with U+FFFD and the first sheet says how many cells had them. The file is
written to a temporary file in the same folder and then renamed over the target, so a reader never sees half
a workbook.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from leaderkit._kit.cells import REPLACEMENT, CellCleaner, CellsReplacedWarning, mark_text_cells
from leaderkit._kit.files import atomic_path, check_output
from leaderkit.schemes.model import LEVEL_NAMES

if TYPE_CHECKING:
    from leaderkit.ranking.result import Ranking

SHEETS = ("排行榜", "领跑者名单", "未入榜及原因")
CHANGES_SHEET = "调整记录"
DRAFT = "（调整方案·草案，非正式公示名单）"
UNVALIDATED = "（未通过校验·草案，非正式公示名单）"
_LEVEL_ZH = {**{k: v.zh for k, v in LEVEL_NAMES.items()}, "none": "未达到"}


def _header_rows(ranking: Ranking, sheet_title: str, unvalidated: bool = False) -> list[list]:
    s = ranking.scheme
    draft = [["调整方案所依据的正式方案", s.derived_from]] if s.derived_from else []
    return [
        [sheet_title + (DRAFT if s.derived_from else "") + (UNVALIDATED if unvalidated else "")],
        ["方案编号", s.id],
        *draft,
        ["方案名称", s.title],
        ["评估机构", s.agency.name],
        ["重点领域", s.domain],
        ["榜单日期", ranking.on.isoformat()],
        ["校验码（方案+数据+leaderkit 版本，SHA-256）", ranking.digest],
        [],
    ]


def _ranking_sheet(ranking: Ranking) -> pd.DataFrame:
    core = ranking.scheme.core_indicators()
    t = ranking.table[ranking.table["eligible"]]
    out = pd.DataFrame({
        "排名": t["rank"].astype("Int64"),
        "标准编号": t["standard_id"],
        "企业名称": t["enterprise"],
        "地区": t["region"],
        "综合得分": t["score"].round(4),
    })
    for ind in core:
        unit = f"（{ind.unit}）" if ind.unit and ind.unit != "1" else ""
        out[f"{ind.name}{unit}"] = t[f"value_{ind.id}"]
    for ind in core:
        out[f"{ind.name}水平"] = t[f"level_{ind.id}"].map(_LEVEL_ZH)
    if "tier" in t.columns:
        out.insert(5, "档次", t["tier"].map(_LEVEL_ZH))
    out["领跑者"] = t["leader"].map({True: "是", False: "否"})
    out["并列于分界"] = t["tie_at_cut"].map({True: "是", False: ""})
    return out


def _leader_sheet(ranking: Ranking) -> pd.DataFrame:
    t = ranking.leaders
    return pd.DataFrame({
        "排名": t["rank"].astype("Int64"),
        "标准编号": t["standard_id"],
        "企业名称": t["enterprise"],
        "地区": t["region"],
        "综合得分": t["score"].round(4),
        "入选理由": t["why_zh"],
    })


def _excluded_sheet(ranking: Ranking) -> pd.DataFrame:
    t = ranking.excluded
    return pd.DataFrame({
        "标准编号": t["standard_id"],
        "企业名称": t["enterprise"],
        "地区": t["region"],
        "未入榜原因": t["reasons_zh"],
        "reasons": t["reasons_en"],
    })


def _changes_sheet(ranking: Ranking) -> pd.DataFrame:
    changes = ranking.scheme.changes or []
    return pd.DataFrame({
        "修改路径": [c.path for c in changes],
        "原值": [_shown(c.old) for c in changes],
        "新值": [_shown(c.new) for c in changes],
    })


def _shown(value) -> str:
    if value is None:
        return "（未设）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return value


def write_workbook(ranking: Ranking, path, *, inputs=(), unvalidated: bool = False) -> Path:
    """Write the publicity workbook of `ranking` to `path` (.xlsx), atomically. Returns the path.

    `inputs`: files the ranking was read from; writing over one of them is refused. `unvalidated`: the
    scheme fails validation, every sheet title is marked 未通过校验·草案."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = check_output(path, inputs=inputs, create_parents=True)
    clean = CellCleaner()

    def _cell(value):
        return clean(_plain(value))

    wb = Workbook()
    wb.remove(wb.active)
    frames = {"排行榜": _ranking_sheet(ranking), "领跑者名单": _leader_sheet(ranking),
              "未入榜及原因": _excluded_sheet(ranking)}
    titles = {"排行榜": "企业标准排行榜", "领跑者名单": "企业标准“领跑者”名单", "未入榜及原因": "未进入排行榜的标准及原因"}
    names = SHEETS
    if ranking.scheme.derived_from:
        frames[CHANGES_SHEET] = _changes_sheet(ranking)
        titles[CHANGES_SHEET] = "相对正式方案的调整（原值 → 新值）"
        names = (*SHEETS, CHANGES_SHEET)
    for name in names:
        ws = wb.create_sheet(name)
        for row in _header_rows(ranking, titles[name], unvalidated):
            ws.append([_cell(v) for v in row])
        ws["A1"].font = Font(bold=True, size=13)
        frame = frames[name]
        ws.append([_cell(c) for c in frame.columns])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        if name == "领跑者名单" and frame.empty:
            ws.append(["本次未确定领跑者"])
        notes = [n.zh for n in ranking.notes] if name == "领跑者名单" else []
        if notes:
            ws.append([])
            ws.append(["说明"])
            for note in notes:
                ws.append([_cell(note)])
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        for col, width in zip("ABCDEF", (14, 20, 30, 10, 12, 40), strict=True):
            ws.column_dimensions[col].width = width
    if clean.replaced:
        note = f"说明：{clean.replaced} 个单元格含控制字符，已替换为 {REPLACEMENT}"
        wb[SHEETS[0]].append([])
        wb[SHEETS[0]].append([note])
        warnings.warn(f"{note} / control characters in {clean.replaced} cell(s) replaced with U+FFFD",
                      CellsReplacedWarning, stacklevel=2)
    mark_text_cells(wb)
    with atomic_path(path, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return path
