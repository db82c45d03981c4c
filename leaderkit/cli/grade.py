"""`leaderkit grade RECORDS [--rubric FILE] --format table|json|xlsx [-o FILE]`."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from leaderkit._kit.i18n import LeaderkitError, Text, get_language, tr

HELP = Text("按评分表（默认 文件 003）对评估机构评级：得分、等级、否决项、距上一级的差距",
            "grade evaluation agencies with a rubric (document 003 by default): scores, grade, vetoes, what is lacking")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputError(LeaderkitError, ValueError):
    """The result cannot be written where asked (无法写出结果)."""


def add_arguments(p) -> None:
    p.add_argument("records", help=tr("评价记录（CSV/Excel/YAML）：每行一个机构和年度，每个评分项一列，五个否决项列",
                                      "agency records (CSV/Excel/YAML): one row per agency and year, one column per "
                                      "item, the five veto columns"))
    p.add_argument("--rubric", default=None, help=tr("评分表 YAML（默认内置 文件 003）",
                                                     "rubric YAML (default: the shipped document 003 rubric)"))
    p.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
    p.add_argument("-o", "--output", default=None, help=tr("输出文件（xlsx 必填；其他格式默认输出到屏幕）",
                                                           "output file (required for xlsx; otherwise stdout)"))


def run(args) -> int:
    from leaderkit.agencies.grading import check_rubric, grade_agencies, load_rubric

    rubric = load_rubric(args.rubric)
    graded = grade_agencies(args.records, rubric)
    findings = check_rubric(rubric)
    if args.format == "xlsx":
        if not args.output:
            raise OutputError("xlsx 格式需要用 -o 指定输出文件", "the xlsx format needs -o FILE",
                              hint=Text("例如 leaderkit grade records.csv --format xlsx -o grades.xlsx",
                                        "e.g. leaderkit grade records.csv --format xlsx -o grades.xlsx"))
        write_xlsx(Path(args.output), {tr("评级结果", "grades"): graded, tr("评分表自查", "rubric findings"): findings})
        print(tr(f"已写出 {args.output}：{len(graded)} 个机构年度", f"wrote {args.output}: {len(graded)} agency-years"))
        return 0
    if args.format == "json":
        out = {"rubric": rubric.id, "rubric_sha256": rubric.digest,
               "grades": json.loads(graded.to_json(orient="records", force_ascii=False)),
               "rubric_findings": json.loads(findings.to_json(orient="records", force_ascii=False))}
        text = json.dumps(out, ensure_ascii=False, indent=2)
    else:
        text = _table(graded, findings)
    if args.output:
        _write_text(Path(args.output), text + "\n")
    else:
        print(text)
    return 0


def _table(graded, findings) -> str:
    cols = ["agency", "year", *[c for c in graded.columns if c not in ("agency", "year") and not c.startswith("gap_")
                                and c not in ("grade", "decided_by", "vetoes", "consequence")]]
    heads = {"agency": tr("机构", "agency"), "year": tr("年度", "year"), "basic": tr("基础", "basic"),
             "core": tr("核心", "core"), "incentive": tr("鼓励", "incentive"), "total": tr("总分", "total"),
             "grade_name": tr("等级", "grade"), "lacks": tr("距上一级", "lacking for the next grade")}
    shown = graded[cols].rename(columns=heads)
    counts = graded["grade_name"].value_counts().reindex(graded.drop_duplicates("grade")
                                                          .sort_values("grade")["grade_name"])
    lines = [shown.to_string(index=False), "",
             tr("等级分布：", "grades: ") + tr("，", ", ").join(f"{k} {v}" for k, v in counts.items())]
    vetoed = graded[graded["vetoes"] != ""]
    if len(vetoed):
        lines.append(tr("否决项：", "vetoes: ") + tr("；", "; ").join(
            f"{a} {y}（{v}）" if get_language() == "zh" else f"{a} {y} ({v})"
            for a, y, v in zip(vetoed["agency"], vetoed["year"], vetoed["vetoes"], strict=True)))
    if len(findings):
        lines += ["", tr(f"评分表自查发现 {len(findings)} 条（{_severity_counts(findings)}）；"
                         "用 --format json 或 xlsx 查看全文",
                         f"{len(findings)} rubric findings ({_severity_counts(findings)}); "
                         "see --format json or xlsx for the text")]
    return "\n".join(lines)


def _severity_counts(findings) -> str:
    return ", ".join(f"{k} {v}" for k, v in findings["severity"].value_counts().items())


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_xlsx(path: Path, sheets: dict) -> None:
    """Write DataFrames as sheets atomically: a temporary file in the same folder, then a rename."""
    import pandas as pd

    path = path.expanduser()
    if not path.parent.exists():
        raise OutputError(f"输出文件夹不存在：{path.parent}", f"output folder does not exist: {path.parent}")
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", prefix=f".{path.stem}-", dir=path.parent)
    os.close(fd)
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, df in sheets.items():
                safe = df.copy()
                for col in safe.columns:
                    if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
                        safe[col] = safe[col].map(neutralise)
                safe.columns = [neutralise(str(c)) for c in safe.columns]
                safe.to_excel(writer, sheet_name=name[:31], index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_text(path: Path, text: str) -> None:
    path = path.expanduser()
    if not path.parent.exists():
        raise OutputError(f"输出文件夹不存在：{path.parent}", f"output folder does not exist: {path.parent}")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
