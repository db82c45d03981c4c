"""`leaderkit grade RECORDS [--rubric FILE] --format table|json|xlsx [-o FILE]`.

The grades keep their texts in both languages; the table and the workbook show the language of the
command (`--lang`), the JSON output keeps both.
"""

from __future__ import annotations

import json
from pathlib import Path

from leaderkit._kit.cells import CellCleaner, CellsReplacedWarning, mark_text_cells
from leaderkit._kit.files import OutputError, atomic_path, write_text
from leaderkit._kit.i18n import Text, get_language, pick, tr

HELP = Text("按评分表（默认 文件 003）对评估机构评级：得分、等级、否决项、距上一级的差距",
            "grade evaluation agencies with a rubric (document 003 by default): scores, grade, vetoes, what is lacking")

TEXT_COLUMNS = ("grade_name", "decided_by", "vetoes", "lacks", "consequence")


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

    lang = get_language()
    rubric = load_rubric(args.rubric)
    graded = grade_agencies(args.records, rubric)
    findings = check_rubric(rubric)
    inputs = (args.records, args.rubric)
    if args.format == "xlsx":
        if not args.output:
            raise OutputError("xlsx 格式需要用 -o 指定输出文件", "the xlsx format needs -o FILE",
                              hint=Text("例如 leaderkit grade records.csv --format xlsx -o grades.xlsx",
                                        "e.g. leaderkit grade records.csv --format xlsx -o grades.xlsx"))
        messages = findings.assign(message=pick(findings, "message", lang)).drop(columns="message_en")
        write_xlsx(Path(args.output), {tr("评级结果", "grades", lang): shown(graded, lang),
                                       tr("评分表自查", "rubric findings", lang): messages}, inputs=inputs)
        print(tr(f"已写出 {args.output}：{len(graded)} 个机构年度", f"wrote {args.output}: {len(graded)} agency-years",
                 lang))
        return 0
    if args.format == "json":
        out = {"rubric": rubric.id, "rubric_sha256": rubric.digest,
               "grades": json.loads(graded.to_json(orient="records", force_ascii=False)),
               "rubric_findings": json.loads(findings.to_json(orient="records", force_ascii=False))}
        text = json.dumps(out, ensure_ascii=False, indent=2)
    else:
        text = _table(graded, findings, lang)
    if args.output:
        write_text(args.output, text + "\n", inputs=inputs)
    else:
        print(text)
    return 0


def shown(graded, lang: str):
    """The grades as shown in `lang`: each text column under its plain name (grade_name, decided_by,
    vetoes, lacks, consequence), the other language left out."""
    other = "en" if lang == "zh" else "zh"
    return (graded.drop(columns=[f"{c}_{other}" for c in TEXT_COLUMNS])
            .rename(columns={f"{c}_{lang}": c for c in TEXT_COLUMNS}))


def _table(graded, findings, lang: str) -> str:
    table = shown(graded, lang)
    cols = ["agency", "year", *[c for c in table.columns if c not in ("agency", "year") and not c.startswith("gap_")
                                and c not in ("grade", "decided_by", "veto_ids", "vetoes", "consequence")]]
    heads = {"agency": tr("机构", "agency", lang), "year": tr("年度", "year", lang), "basic": tr("基础", "basic", lang),
             "core": tr("核心", "core", lang), "incentive": tr("鼓励", "incentive", lang),
             "total": tr("总分", "total", lang), "grade_name": tr("等级", "grade", lang),
             "lacks": tr("距上一级", "lacking for the next grade", lang)}
    counts = table["grade_name"].value_counts().reindex(table.drop_duplicates("grade")
                                                        .sort_values("grade")["grade_name"])
    lines = [table[cols].rename(columns=heads).to_string(index=False), "",
             tr("等级分布：", "grades: ", lang) + tr("，", ", ", lang).join(f"{k} {v}" for k, v in counts.items())]
    vetoed = table[table["veto_ids"] != ""]
    if len(vetoed):
        lines.append(tr("否决项：", "vetoes: ", lang) + tr("；", "; ", lang).join(
            tr(f"{a} {y}（{v}）", f"{a} {y} ({v})", lang)
            for a, y, v in zip(vetoed["agency"], vetoed["year"], vetoed["vetoes"], strict=True)))
    if len(findings):
        lines += ["", tr(f"评分表自查发现 {len(findings)} 条（{_severity_counts(findings)}）；"
                         "用 --format json 或 xlsx 查看全文",
                         f"{len(findings)} rubric findings ({_severity_counts(findings)}); "
                         "see --format json or xlsx for the text", lang)]
    return "\n".join(lines)


def _severity_counts(findings) -> str:
    return ", ".join(f"{k} {v}" for k, v in findings["severity"].value_counts().items())


def write_xlsx(path: Path, sheets: dict, *, inputs=()) -> None:
    """Write DataFrames as sheets atomically (`leaderkit._kit.files.atomic_path`); formula-like text is stored
    as text and control characters are replaced (`leaderkit._kit.cells`), with a warning that says how many."""
    import warnings

    import pandas as pd

    clean = CellCleaner()
    with atomic_path(path, suffix=".xlsx", inputs=inputs) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, df in sheets.items():
                safe = df.copy()
                for col in safe.columns:
                    if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
                        safe[col] = safe[col].map(clean)
                safe.columns = [clean(str(c)) for c in safe.columns]
                safe.to_excel(writer, sheet_name=name[:31], index=False)
            mark_text_cells(writer.book)
    if clean.replaced:
        warnings.warn(f"{clean.replaced} 个单元格含控制字符，已替换为 U+FFFD / control characters in "
                      f"{clean.replaced} cell(s) replaced with U+FFFD", CellsReplacedWarning, stacklevel=2)
