"""`leaderkit validate SCHEME --program P --format table|json`.

Exit codes: 0 no errors (warnings and notes may remain), 1 at least one error, 2 unreadable input.
"""

from __future__ import annotations

import json
from datetime import date

from leaderkit._kit.i18n import Text, get_language, tr

HELP = Text("按活动规则逐条校验评估方案（缺什么、违反什么、哪里异常）",
            "check an evaluation scheme against a programme's rules, clause by clause")

_LABELS = {"error": Text("错误", "error"), "warning": Text("警告", "warning"), "info": Text("提示", "info")}


def add_arguments(p) -> None:
    p.add_argument("scheme", help=tr("评估方案 YAML 文件", "scheme YAML file"))
    p.add_argument("--program", default=None,
                   help=tr("活动规则：national、mofcom-2023、jincheng-2021 或配置文件路径；默认取方案中的 programme",
                           "programme: national, mofcom-2023, jincheng-2021 or a profile file; default: the "
                           "scheme's own `programme`"))
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--on", type=date.fromisoformat, default=None,
                   help=tr("评审日期 YYYY-MM-DD（计算负面清单禁入期；默认今天）",
                           "review date YYYY-MM-DD (for negative-list bans; default today)"))
    p.add_argument("--titles", default=None,
                   help=tr("称号登记簿文件：其中被取消资格且仍在禁入期的评估机构不通过 LK-S019",
                           "title register file: an agency disqualified there and still barred fails LK-S019"))
    p.add_argument("--overrides", default=None,
                   help=tr("节假日调整文件（YAML/CSV：date,type）", "holiday/workday override file (YAML/CSV: date,type)"))


def run(args) -> int:
    from leaderkit.schemes.validation import validate

    report = validate(args.scheme, program=args.program, on=args.on, overrides=args.overrides, titles=args.titles)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(render(report))
    return 0 if report.ok else 1


def render(report) -> str:
    """The findings as plain text, one block per finding, grouped by severity."""
    import pandas as pd

    zh = get_language() == "zh"
    lines = [report.summary(), tr(f"文件：{report.source}", f"file: {report.source}"), ""]
    for row in report.findings.itertuples():
        label = _LABELS[row.severity]
        place = row.where or "-"
        if not pd.isna(row.line):
            place += tr(f"，第 {row.line} 行", f", line {row.line}")
        lines.append(f"[{label}] {row.code}  {row.message if zh else row.message_en}")
        lines.append(tr(f"      位置：{place}；依据：{row.rule}", f"      where: {place}; rule: {row.rule}"))
    if not len(report.findings):
        lines.append(tr("没有发现问题。", "no findings."))
    return "\n".join(lines)
