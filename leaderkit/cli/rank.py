"""`leaderkit rank SCHEME STANDARDS --on DATE [--baselines FILE] [--program P] --format table|json|xlsx -o FILE`.

The table format prints the summary and the first `--rows` rows of the ranking table (default 50, best
ranks first) with the count of all rows; `--all` prints every row. json and xlsx always hold every row.

Exit codes: 0 a ranking list was formed; 1 no standard is eligible (nothing to publish: the reasons are
printed); 2 unreadable input or bad usage.
"""

from __future__ import annotations

import json
import sys

from leaderkit._kit.files import check_output, write_text
from leaderkit._kit.i18n import Text, tr

ROWS_SHOWN = 50
"""Rows of the ranking table printed by default (the table of a national domain has 10⁵–10⁶ rows)."""

HELP = Text("按评估方案形成企业标准排行榜和领跑者名单（资格审查、评分、排名、领跑者、公示 Excel）",
            "rank declared standards by an evaluation scheme: eligibility, scores, ranks, leaders, publicity Excel")


def add_arguments(p) -> None:
    p.add_argument("scheme", help=tr("评估方案 YAML 文件", "evaluation scheme (YAML)"))
    p.add_argument("standards", help=tr("企业标准文件（CSV/Excel/Parquet）", "declared standards (CSV/Excel/Parquet)"))
    p.add_argument("--on", default=None, help=tr("榜单日期 YYYY-MM-DD（默认取方案 timeline.ranking_date）",
                                                 "list date YYYY-MM-DD (default: the scheme's timeline.ranking_date)"))
    p.add_argument("--baselines", default=None,
                   help=tr("国家/行业标准文件（默认用方案中的对标标准）",
                           "national/industry baselines file (default: the scheme's own baselines)"))
    p.add_argument("--program", default=None, help=tr("活动规则：national、mofcom-2023、jincheng-2021 或 YAML 文件"
                                                      "（默认取方案的 programme）",
                                                      "programme profile: national, mofcom-2023, jincheng-2021 or a "
                                                      "YAML file (default: the scheme's programme)"))
    p.add_argument("--register", default=None, help=tr("称号登记簿（DuckDB 文件），检查三年禁入",
                                                       "title register (DuckDB file) for the 3-year bans"))
    p.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
    p.add_argument("--rows", type=_row_count, default=ROWS_SHOWN, metavar="N",
                   help=tr(f"表格显示的行数（默认 {ROWS_SHOWN}，排名靠前者先显示）",
                           f"rows of the table shown (default {ROWS_SHOWN}, best ranks first)"))
    p.add_argument("--all", action="store_true", dest="all_rows",
                   help=tr("显示表格的全部行", "show every row of the table"))
    p.add_argument("-o", "--output", default=None, help=tr("输出文件（xlsx 必填；json 可选）",
                                                           "output file (required for xlsx, optional for json)"))


def run(args) -> int:
    from leaderkit.ranking.result import rank
    from leaderkit.schemes.model import Scheme
    from leaderkit.standards.loading import InputError, load_baselines

    if args.format == "xlsx" and not args.output:
        raise InputError("--format xlsx 需要 -o 输出文件", "--format xlsx needs -o FILE",
                         hint=Text("例如 -o 公示名单.xlsx", "e.g. -o list.xlsx"))
    inputs = [args.scheme, args.standards, args.baselines, args.register]
    if args.output:
        check_output(args.output, inputs=inputs)  # before any work: a bad path fails at once
    scheme = Scheme.load(args.scheme)
    baselines = load_baselines(args.baselines) if args.baselines else None
    result = rank(scheme, args.standards, on=args.on, baselines=baselines, program=args.program,
                  register=args.register)
    if args.format == "xlsx":
        path = result.to_excel(args.output, inputs=inputs)
        print(tr(f"已写入公示文件 {path}", f"publicity workbook written to {path}"))
        print(result.summary())
    elif args.format == "json":
        text = json.dumps(_as_json(result), ensure_ascii=False, indent=2, default=str)
        if args.output:
            write_text(args.output, text + "\n", inputs=inputs)
            print(tr(f"已写入 {args.output}", f"written to {args.output}"))
        else:
            print(text)
    else:
        print(result.summary())
        print()
        n = len(result.table)
        limit = n if args.all_rows else min(args.rows, n)
        print(_shown(result, limit).to_string(index=False))
        if limit < n:
            print(tr(f"…… 共 {n:,} 行，显示前 {limit:,} 行；--all 显示全部，--format json/xlsx 输出全部",
                     f"… {n:,} rows, the first {limit:,} shown; --all shows every row, --format json/xlsx "
                     f"writes them all"))
    eligible = int(result.table["eligible"].sum())
    if eligible == 0:
        print(tr("没有符合资格的标准，未形成排行榜。", "No eligible standard: no ranking list was formed."),
              file=sys.stderr)
        return 1
    return 0


def _as_json(result) -> dict:
    table = result.table.drop(columns=["why_zh" if tr("zh", "en") == "en" else "why_en"])
    return {
        "scheme": result.scheme.id,
        "title": result.scheme.title,
        "on": result.on.isoformat(),
        "digest": result.digest,
        "method": {k: v for k, v in result.method.items() if k != "imputed"},
        "imputed": result.method.get("imputed", []),
        "leaders": json.loads(result.leaders.to_json(orient="records", force_ascii=False)),
        "table": json.loads(table.to_json(orient="records", force_ascii=False)),
        "notes": [{"zh": n.zh, "en": n.en} for n in result.notes],
    }


def _row_count(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(tr(f"应为不小于 0 的整数：{text!r}", f"must be a whole number ≥ 0: {text!r}"))
    return value


def _shown(result, limit: int | None = None):
    """The table as printed: the first `limit` rows (all when None), eligible ones by rank first."""
    zh = tr("zh", "en") == "zh"
    t = result.table if limit is None else result.table.head(limit)
    shown = t[["rank", "standard_id", "enterprise", "score", "leader"]].copy()
    shown["score"] = shown["score"].map(lambda v: "" if v != v else f"{v:.3f}")
    shown["leader"] = shown["leader"].map({True: tr("是", "yes"), False: ""})
    shown["why"] = t["why_zh" if zh else "why_en"]
    headers = {"rank": tr("排名", "rank"), "standard_id": tr("标准编号", "standard"), "enterprise": tr("企业", "enterprise"),
               "score": tr("得分", "score"), "leader": tr("领跑者", "leader"), "why": tr("说明", "why")}
    return shown.rename(columns=headers)
