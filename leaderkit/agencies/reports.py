"""Reports from the registers (报告): the annual programme summary and MOFCOM's typical-case report, as Word
(.docx, python-docx) and Excel (.xlsx, openpyxl) files with statistics ready for publication.

    report = programme_summary(rounds, titles, 2023)          # 年度工作总结（001 二2：定期报告制度实施情况）
    report.figures["leaders"], report.frame("domains")        # the numbers, as a notebook reads them
    report.to_docx("2023年度总结.docx"); report.to_xlsx("2023年度统计.xlsx", lang="en")
    cases = typical_cases(rounds, titles, "cases.csv", year=2023)   # 典型案例（000 三：11月30日前报送商务部）

Every number is counted from the round register (`RoundRegister`) and the title register (`TitleRegister`);
nothing is typed in. The counting rules, with their clauses, are in docs/ROUNDS.md §Reports. Tables keep both
languages (cells are `Text` where the words differ); the language is chosen when a file is written, Chinese
by default. Files are written atomically (`leaderkit._kit.files`), formula-like text is stored as text.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from leaderkit._kit.cells import REPLACEMENT, CellCleaner, CellsReplacedWarning, mark_text_cells
from leaderkit._kit.files import atomic_path, check_output
from leaderkit._kit.i18n import LeaderkitError, Text, check_language, get_language
from leaderkit.agencies.grading import load_rubric
from leaderkit.agencies.history import CONSEQUENCES, published_lists
from leaderkit.registers.rounds import RoundRegister
from leaderkit.registers.titles import REVOCATION_REASONS, TitleRegister, ban_end
from leaderkit.schemes.programs import Program, ProgramError, load_program

STATUS: dict[str, Text] = {
    "active": Text("有效", "in force"),
    "revoked": Text("已取消", "revoked"),
    "adjusted": Text("已动态调整", "ended by adjustment"),
    "expired": Text("已到期", "expired"),
    "not_yet_published": Text("尚未发布", "not yet published"),
}


class ReportError(LeaderkitError, ValueError):
    """A report that cannot be made from the registers (报告无法生成): a typical case that is not a leader in
    force, a missing column, an unknown year."""


@dataclass
class Section:
    """A part of a report: a title, paragraphs, a table (columns labelled in both languages) and, for the
    Word file, narrative items (a heading and paragraphs each)."""

    key: str
    title: Text
    table: pd.DataFrame | None = None
    columns: dict[str, Text] = field(default_factory=dict)
    paragraphs: list[Text] = field(default_factory=list)
    items: list[tuple[Text, list[Text]]] = field(default_factory=list)


@dataclass
class Report:
    """A report made from the registers: its sections, the key figures (`figures`, code → number) and notes
    (sources, as-of date, counting rules). `to_docx` and `to_xlsx` write it in a language."""

    kind: str
    title: Text
    subtitle: Text
    sections: list[Section]
    figures: dict[str, int]
    notes: list[Text]
    year: int
    as_of: date

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def frame(self, key: str, lang: str | None = None) -> pd.DataFrame:
        """A section's table in a language: cells as shown, columns labelled."""
        s = self.section(key)
        lang = check_language(lang or get_language())
        shown = s.table.map(lambda v: _shown(v, lang)).astype(object)
        shown = shown.where(shown.notna(), None)
        return shown.rename(columns={k: t.get(lang) for k, t in s.columns.items()})

    def to_docx(self, path, lang: str | None = None, *, inputs=()) -> Path:
        """The report as a Word document (.docx), written atomically. Returns the path."""
        from docx import Document
        from docx.oxml.ns import qn

        lang = check_language(lang or get_language())
        path = check_output(path, inputs=inputs)
        doc = Document()
        normal = doc.styles["Normal"]
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
        doc.add_heading(self.title.get(lang), level=0)
        doc.add_paragraph(self.subtitle.get(lang))
        for s in self.sections:
            doc.add_heading(s.title.get(lang), level=1)
            for p in s.paragraphs:
                doc.add_paragraph(p.get(lang))
            if s.table is not None:
                frame = self.frame(s.key, lang)
                table = doc.add_table(rows=1, cols=len(frame.columns))
                table.style = "Table Grid"
                for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
                    cell.text = str(name)
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
                for values in frame.itertuples(index=False):
                    for cell, value in zip(table.add_row().cells, values, strict=True):
                        cell.text = _docx_text(value)
            for heading, paragraphs in s.items:
                doc.add_heading(heading.get(lang), level=2)
                for p in paragraphs:
                    doc.add_paragraph(p.get(lang))
        doc.add_heading(_ABOUT.get(lang), level=1)
        for note in self.notes:
            doc.add_paragraph(note.get(lang))
        with atomic_path(path, suffix=".docx") as tmp:
            doc.save(str(tmp))
        return path

    def to_xlsx(self, path, lang: str | None = None, *, inputs=()) -> Path:
        """The report as an Excel workbook (.xlsx), one sheet per table and a sheet of notes, written atomically:
        numbers as numbers, dates as dates, formula-like text stored as text. Returns the path."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        lang = check_language(lang or get_language())
        path = check_output(path, inputs=inputs)
        clean = CellCleaner()
        wb = Workbook()
        wb.remove(wb.active)
        for s in self.sections:
            if s.table is None:
                continue
            ws = wb.create_sheet(_sheet_name(s.title.get(lang), wb))
            ws.append([clean(s.title.get(lang))])
            ws["A1"].font = Font(bold=True, size=13)
            frame = self.frame(s.key, lang)
            ws.append([clean(str(c)) for c in frame.columns])
            for cell in ws[2]:
                cell.font = Font(bold=True)
            for values in frame.itertuples(index=False):
                ws.append([clean(_xlsx_value(v)) for v in values])
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, date):
                        cell.number_format = "yyyy-mm-dd"
            if s.paragraphs:
                ws.append([])
                for p in s.paragraphs:
                    ws.append([clean(p.get(lang))])
            ws.freeze_panes = "A3"
            for n, name in enumerate(frame.columns):
                width = max([len(str(name))] + [len(str(v)) for v in frame.iloc[:, n]]) + 2
                ws.column_dimensions[ws.cell(row=2, column=n + 1).column_letter].width = min(max(width * 1.6, 8), 60)
        about = wb.create_sheet(_sheet_name(_ABOUT.get(lang), wb))
        for line in (self.title, self.subtitle, *self.notes):
            about.append([clean(line.get(lang))])
        about["A1"].font = Font(bold=True, size=13)
        about.column_dimensions["A"].width = 120
        if clean.replaced:
            about.append([f"{clean.replaced} 个单元格含控制字符，已替换为 {REPLACEMENT}"])
            warnings.warn(f"{clean.replaced} 个单元格含控制字符，已替换为 U+FFFD / control characters in "
                          f"{clean.replaced} cell(s) replaced with U+FFFD", CellsReplacedWarning, stacklevel=2)
        mark_text_cells(wb)
        with atomic_path(path, suffix=".xlsx") as tmp:
            wb.save(tmp)
        return path


_ABOUT = Text("说明", "Notes")
_TOTAL = Text("合计", "Total")
_NONE = Text("无", "none")


def _sheet_name(name: str, wb) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "-")
    name, n = name[:31], 2
    base = name
    while name in wb.sheetnames:
        name = f"{base[:28]}({n})"
        n += 1
    return name


def _shown(value, lang: str):
    """A cell in a language: Text → its words, a list → joined, missing → None; numbers and dates stay."""
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(_shown(v, lang) or "" for v in value) or None
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def _docx_text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_value(value):
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


# --- reading the registers -------------------------------------------------------------------------
def _program(rounds: RoundRegister, program) -> Program | None:
    try:
        return load_program(program if program is not None else rounds.programme)
    except ProgramError:
        return None


def _categories(prog: Program | None) -> dict[str, str]:
    return {d.domain: d.category for d in (prog.key_domains or []) if d.category} if prog else {}


def _as_of(year: int, on) -> date:
    if on is not None:
        return pd.Timestamp(str(on)).date()
    return min(date.today(), date(int(year), 12, 31))


def _in_year(values: pd.Series, year: int) -> pd.Series:
    return values.map(lambda d: pd.notna(d) and d.year == int(year)).astype(bool)


def _upto(values: pd.Series, day: date) -> pd.Series:
    """Which dates of a column fall on or before `day` (a missing date does not)."""
    return values.map(lambda d: pd.notna(d) and d <= day).astype(bool)


def _year(year) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        y = 0
    if not 1980 <= y <= 2100:
        raise ReportError(f"年度无效：{year!r}", f"not a valid year: {year!r}", hint=Text("四位年份，如 2023", "e.g. 2023"))
    return y


def _name(rounds: RoundRegister, prog: Program | None) -> Text:
    """The programme's name in both languages (a profile's title is “中文 / English”)."""
    if prog is None:
        return Text(rounds.programme, rounds.programme)
    zh, _, en = prog.title.partition(" / ")
    return Text(zh.strip(), (en or zh).strip())


def _sources(rounds: RoundRegister, titles: TitleRegister, as_of: date, prog: Program | None) -> list[Text]:
    name = _name(rounds, prog)
    return [
        Text(f"数据来源：轮次登记簿 {rounds.path}（活动：{name.zh}）与称号登记簿 {titles.path}，统计截至 {as_of}。"
             "表中数字均由登记簿的事件计得，未经人工改动。",
             f"Sources: the round register {rounds.path} (programme: {name.en}) and the title register {titles.path}, "
             f"as of {as_of}. Every number is counted from the registers' events."),
    ]


# --- the annual programme summary -------------------------------------------------------------------
def programme_summary(rounds: RoundRegister, titles: TitleRegister, year: int, *, on=None,
                      program: str | Program | None = None) -> Report:
    """The annual summary of a programme (年度实施情况总结; the working organisation reports the system's
    implementation, 001 二2): key figures, one row per key domain, the leaders, the revocations and the agencies
    with their grades, for `year`, as of `on` (default 31 December of the year, or today while it runs).

    Counting rules: calls, schemes, windows, objections and lists count by the round's year; titles, complaints,
    samplings, cases, revocations and adjustments count by the calendar year of their date; bans and the pool
    as of `on`. `program` (default the register's programme) gives the domains' categories and whether a
    dynamic adjustment bars."""
    year = _year(year)
    day = _as_of(year, on)
    prog = _program(rounds, program)
    cats = _categories(prog)

    ev = rounds.events()
    calls = ev[(ev["kind"] == "call") & (ev["year"] == year) & _upto(ev["on_date"], day)]
    schemes = rounds.schemes()
    schemes = schemes[(schemes["year"] == year) & _upto(schemes["submitted"], day)]
    approved = schemes[_upto(schemes["approved"], day)]
    windows = rounds.windows(day)
    windows = windows[(windows["year"] == year) & _upto(windows["start"], day)]
    lists = windows[(windows["stage"] == "list") & (windows["status"] == "published")]
    objections = rounds.objections()
    objections = objections[objections["window_id"].isin(windows["window_id"]) & _upto(objections["received"], day)]
    upheld = objections[(objections["outcome"] == "upheld") & _upto(objections["closed"], day)]
    complaints = rounds.complaints()
    complaints = complaints[_in_year(complaints["received"], year) & _upto(complaints["received"], day)]
    substantiated = complaints[(complaints["outcome"] == "substantiated") & _upto(complaints["closed"], day)]
    samplings = rounds.samplings()
    samplings = samplings[_in_year(samplings["sampled"], year) & _upto(samplings["sampled"], day)]
    cases = rounds.cases()
    cases = cases[_in_year(cases["opened"], year) & _upto(cases["opened"], day)]

    all_titles = titles.titles(on=day)
    leaders = all_titles[_in_year(all_titles["published"], year) & _upto(all_titles["published"], day)]
    tev = titles.events()
    in_year = _in_year(tev["on_date"], year) & _upto(tev["on_date"], day)
    revoked = tev[(tev["kind"] == "revocation") & in_year].merge(
        all_titles[["title_id", "standard", "domain"]], on="title_id", how="left")
    adjusted = tev[(tev["kind"] == "adjustment") & in_year]
    barred = titles.barred_list(day, adjustments_bar=bool(prog and prog.adjustment_bans))
    grades = rounds.grades()
    grades = grades[(grades["year"] == year) & _upto(grades["graded"], day)]
    summaries = rounds.summaries()
    summaries = summaries[summaries["year"] == year]
    pool = rounds.experts(day)
    reviews = rounds.reviews()
    reviews = reviews[_in_year(reviews["reviewed"], year) & _upto(reviews["reviewed"], day)]

    figures = {
        "domains_called": int(calls["domain"].nunique()),
        "schemes_submitted": len(schemes),
        "schemes_approved": len(approved),
        "schemes_without_review": int((approved["review"] == "without_review").sum()),
        "agencies_approved": int(approved["agency"].nunique()),
        "windows": len(windows),
        "objections": len(objections),
        "objections_upheld": len(upheld),
        "lists_published": len(lists),
        "leaders": len(leaders),
        "leader_enterprises": int(leaders["enterprise"].nunique()),
        "leader_standards": int(leaders["standard"].nunique()),
        "complaints": len(complaints),
        "complaints_substantiated": len(substantiated),
        "samplings": len(samplings),
        "samplings_failed": int((samplings["verdict"] == "fail").sum()),
        "cases_opened": len(cases),
        "revocations": len(revoked),
        "adjustments": len(adjusted),
        "enterprises_barred": int(barred.loc[barred["role"] == "enterprise", "name"].nunique()),
        "agencies_barred": int(barred.loc[barred["role"] == "agency", "name"].nunique()),
        "agencies_graded": len(grades),
        **{f"grade_{g}": int((grades["grade"] == g).sum()) for g in sorted(CONSEQUENCES)},
        "summaries_due": len(summaries),
        "summaries_on_time": int(summaries["on_time"].sum()),
        "experts": len(pool),
        "reviews": len(reviews),
    }

    overview = _overview(figures)
    objections = objections.merge(windows[["window_id", "domain"]], on="window_id", how="left")
    domains = _domain_table(calls, schemes, approved, lists, objections, leaders, revoked, cats)
    leader_rows = pd.DataFrame({
        "title_id": leaders["title_id"], "enterprise": leaders["enterprise"], "standard": leaders["standard"],
        "domain": leaders["domain"], "agency": leaders["agency"], "published": leaders["published"],
        "valid_until": leaders["valid_until"], "status": [STATUS[s] for s in leaders["status"]]})
    revocation_rows = pd.DataFrame({
        "title_id": revoked["title_id"], "enterprise": revoked["enterprise"], "standard": revoked["standard"],
        "domain": revoked["domain"], "reason_number": [REVOCATION_REASONS[r][0] for r in revoked["reason"]],
        "reason": [REVOCATION_REASONS[r][1] for r in revoked["reason"]], "revoked": revoked["on_date"],
        "barred_until": [ban_end(d) for d in revoked["on_date"]]})
    agencies = _agency_table(rounds, year, day, approved, grades, summaries, barred)

    sections = [
        Section("overview", Text("主要数据", "Key figures"), overview,
                {"item": Text("项目", "item"), "value": Text("数量", "number"), "basis": Text("依据", "basis")}),
        Section("domains", Text("分领域统计", "By key domain"), domains, {
            "domain": Text("重点领域", "key domain"), "category": Text("产业类别", "category"),
            "schemes": Text("申报方案", "schemes submitted"), "agencies": Text("评估机构", "agencies"),
            "list_published": Text("名单发布日期", "list published"), "leaders": Text("领跑者称号", "leader titles"),
            "enterprises": Text("企业", "enterprises"), "objections": Text("异议", "objections"),
            "revocations": Text("取消称号", "revocations")},
            [Text("称号按发布日期计入年度；异议按公示所属年度计。", "Titles count in the year of their publication; objections "
                  "in the year of their window.")]),
        Section("leaders", Text("企业标准“领跑者”名单", "Leader titles"), leader_rows, {
            "title_id": Text("称号编号", "title"), "enterprise": Text("企业", "enterprise"),
            "standard": Text("标准编号", "standard"), "domain": Text("领域", "domain"),
            "agency": Text("评估机构", "agency"), "published": Text("发布日期", "published"),
            "valid_until": Text("有效期至", "valid until"), "status": Text(f"状态（{day}）", f"status on {day}")}),
        Section("revocations", Text("取消称号", "Revocations"), revocation_rows, {
            "title_id": Text("称号编号", "title"), "enterprise": Text("企业", "enterprise"),
            "standard": Text("标准编号", "standard"), "domain": Text("领域", "domain"),
            "reason_number": Text("理由序号", "reason no."), "reason": Text("取消理由", "reason"),
            "revoked": Text("取消日期", "revoked on"), "barred_until": Text("禁入至（含当日）", "barred through")},
            [Text("取消理由见 001 三(四)、004 三7；禁入三年，按民法典第二百零一、二百零二条计算。",
                  "Reasons as in 001 三(四) and 004 三7; the 3-year ban is counted as the Civil Code counts periods.")]),
        Section("agencies", Text("评估机构与评价结果", "Agencies and their grades"), agencies, {
            "agency": Text("评估机构", "agency"), "domains": Text("评估领域", "domains"),
            "lists": Text("发布名单", "lists published"), "grade": Text("评价等级", "grade"),
            "consequence": Text("评价结果", "consequence"), "summary": Text("年度工作总结", "annual summary"),
            "barred_until": Text("取消资格、禁入至", "disqualified, barred through")},
            [Text("评价等级与结果见 003 二(二)4；年度工作总结应于 12 月底前提交（001 二3）。",
                  "Grades and consequences: 003 二(二)4; the annual summary is due by the end of December (001 二3).")]),
    ]
    name = _name(rounds, prog)
    notes = _sources(rounds, titles, day, prog) + [
        Text("计数规则：征集、方案、公示、异议和名单按轮次年度计；称号、投诉举报、抽查、案件、取消称号和动态调整按其日期所在的自然年计；"
             "禁入名单与专家库为统计截止日的状态。",
             "Counting: calls, schemes, windows, objections and lists by the round's year; titles, complaints, "
             "samplings, cases, revocations and adjustments by the calendar year of their date; bans and the "
             "pool as of the date above."),
    ]
    return Report("summary", Text(f"{name.zh}：{year} 年度实施情况总结", f"{name.en}: summary of {year}"),
                  Text(f"统计截至 {day}", f"as of {day}"), sections, figures, notes, year, day)


def _overview(f: dict[str, int]) -> pd.DataFrame:
    rows = [
        (Text("征集的重点领域", "key domains called"), f["domains_called"], "001 三(一)1; 002 四(二)"),
        (Text("申报的评估方案", "schemes submitted"), f["schemes_submitted"], "001 三(一)1"),
        (Text("通过评审的评估方案", "schemes approved"), f["schemes_approved"], "001 三(一)2"),
        (Text("其中：按评价结果免于重新评审", "of which approved without review (grade)"), f["schemes_without_review"],
         "003 二(二)4"),
        (Text("评估机构", "agencies"), f["agencies_approved"], "001 三(一)2"),
        (Text("公示", "publicity windows"), f["windows"], "001 三(一)3, 三(二)5"),
        (Text("收到的异议", "objections received"), f["objections"], "001 三(一)3, 三(二)5"),
        (Text("其中：异议成立", "of which upheld"), f["objections_upheld"], "001 三(一)3, 三(二)5"),
        (Text("发布的排行榜和“领跑者”名单", "ranking and leader lists published"), f["lists_published"], "002 四(四)(五)"),
        (Text("领跑者称号", "leader titles"), f["leaders"], "002 四(五)"),
        (Text("领跑者企业", "leader enterprises"), f["leader_enterprises"], "002 四(五)"),
        (Text("领跑者标准", "leader standards"), f["leader_standards"], "002 四(五)"),
        (Text("投诉举报", "complaints and reports"), f["complaints"], "002 四(六)"),
        (Text("其中：经核实属实", "of which substantiated"), f["complaints_substantiated"], "002 四(六)"),
        (Text("抽查", "samplings"), f["samplings"], "001 三(三)"),
        (Text("其中：达不到公开标准水平", "of which below the declared standard"), f["samplings_failed"], "001 三(四)"),
        (Text("立案（取消称号案件）", "revocation cases opened"), f["cases_opened"], "001 三(四)"),
        (Text("取消称号", "titles revoked"), f["revocations"], "001 三(四); 004 三7"),
        (Text("动态调整（标准废止、产品停售）", "titles ended by adjustment"), f["adjustments"], "001 三(三)"),
        (Text("处于禁入期的企业", "enterprises barred"), f["enterprises_barred"], "001 三(四); 002 四(六)"),
        (Text("被取消资格、处于禁入期的评估机构", "agencies disqualified and barred"), f["agencies_barred"], "001 三(四)"),
        (Text("参加评价的评估机构", "agencies graded"), f["agencies_graded"], "003 二(二)4"),
    ]
    rubric = load_rubric()
    for grade in rubric.grades:
        label = rubric.grade_name(grade)
        rows.append((Text(f"其中：{label.zh}", f"of which {label.en}"), f.get(f"grade_{grade.grade}", 0), "003 二(二)4"))
    rows += [
        (Text("应提交年度工作总结的评估机构", "annual summaries due"), f["summaries_due"], "001 二3"),
        (Text("其中：按时提交", "of which on time"), f["summaries_on_time"], "001 二3"),
        (Text("专家库专家", "experts in the pool"), f["experts"], "001 二2"),
        (Text("评审人次", "reviews"), f["reviews"], "001 三(一)2"),
    ]
    return pd.DataFrame(rows, columns=["item", "value", "basis"])


def _domain_table(calls, schemes, approved, lists, objections, leaders, revoked, cats) -> pd.DataFrame:
    order = list(dict.fromkeys([*calls["domain"], *schemes["domain"], *leaders["domain"]]))
    rows = []
    for d in order:
        ags = sorted(approved.loc[approved["domain"] == d, "agency"].unique())
        pub = lists.loc[lists["domain"] == d, "published"]
        rows.append({
            "domain": d, "category": cats.get(d), "schemes": int((schemes["domain"] == d).sum()),
            "agencies": list(ags), "list_published": min(pub) if len(pub) else None,
            "leaders": int((leaders["domain"] == d).sum()),
            "enterprises": int(leaders.loc[leaders["domain"] == d, "enterprise"].nunique()),
            "objections": int((objections["domain"] == d).sum()),
            "revocations": int((revoked["domain"] == d).sum()),
        })
    total = {
        "domain": _TOTAL, "category": None, "schemes": sum(r["schemes"] for r in rows),
        "agencies": Text(f"{approved['agency'].nunique()} 家", f"{approved['agency'].nunique()}"),
        "list_published": None, "leaders": sum(r["leaders"] for r in rows),
        "enterprises": int(leaders["enterprise"].nunique()), "objections": len(objections),
        "revocations": sum(r["revocations"] for r in rows),
    }
    return pd.DataFrame([*rows, total], columns=list(total))


def _agency_table(rounds, year, day, approved, grades, summaries, barred) -> pd.DataFrame:
    lists = published_lists(rounds, day)
    lists = lists[lists["year"] == year].groupby("agency").size()
    graded = grades.set_index("agency")
    summary = summaries.set_index("agency")
    bans = barred[barred["role"] == "agency"]
    rows = []
    for agency in sorted(set(approved["agency"]) | set(grades["agency"])):
        g = graded.loc[agency] if agency in graded.index else None
        grade = Text(g["grade_name"], f"grade {g['grade']}") if g is not None else Text("未评价", "not graded")
        consequence = CONSEQUENCES[int(g["grade"])].text if g is not None and int(g["grade"]) in CONSEQUENCES else None
        if agency in summary.index and pd.notna(summary.loc[agency, "submitted"]) \
                and summary.loc[agency, "submitted"] <= day:
            sub = summary.loc[agency, "submitted"]
            late = summary.loc[agency, "on_time"]
            text = Text(f"{sub} 提交" + ("" if late else "（逾期）"), f"submitted {sub}" + ("" if late else " (late)"))
        elif agency in summary.index:
            text = Text("未提交", "not submitted")
        else:
            text = None
        ban = bans[bans["name"] == agency]["barred_until"]
        rows.append({"agency": agency, "domains": sorted(approved.loc[approved["agency"] == agency, "domain"].unique()),
                     "lists": int(lists.get(agency, 0)), "grade": grade, "consequence": consequence,
                     "summary": text, "barred_until": max(ban) if len(ban) else None})
    return pd.DataFrame(rows, columns=["agency", "domains", "lists", "grade", "consequence", "summary", "barred_until"])


# --- MOFCOM's typical cases ----------------------------------------------------------------------------
CASE_COLUMNS = {"title_id": ("称号编号", "编号"), "highlight": ("特色亮点", "亮点"), "experience": ("经验做法", "经验")}


def _read_cases(cases) -> pd.DataFrame:
    if isinstance(cases, dict):
        df = pd.DataFrame([{"title_id": k, "highlight": v} for k, v in cases.items()])
    elif isinstance(cases, pd.DataFrame):
        df = cases.copy()
    elif isinstance(cases, list):
        df = pd.DataFrame(cases)
    else:
        from leaderkit.standards.loading import InputError, read_table

        try:
            df = read_table(cases)
        except InputError as exc:
            raise ReportError(exc.text.zh, exc.text.en, where=exc.where, hint=exc.hint) from None
    names = {alias: key for key, aliases in CASE_COLUMNS.items() for alias in aliases}
    df.columns = [names.get(str(c).strip(), str(c).strip()) for c in df.columns]
    if "title_id" not in df.columns or "highlight" not in df.columns:
        raise ReportError("典型案例表需要列 title_id（称号编号）和 highlight（特色亮点）",
                          "the typical cases need the columns title_id and highlight",
                          hint=Text("可选列 experience（经验做法）", "experience is optional"))
    if "experience" not in df.columns:
        df["experience"] = ""
    df = df[["title_id", "highlight", "experience"]].fillna("").astype(str).map(str.strip)
    if df.empty:
        raise ReportError("没有典型案例", "no typical case given", hint=Text("每行一个称号", "one title per row"))
    return df.reset_index(drop=True)


def typical_cases(rounds: RoundRegister, titles: TitleRegister, cases, *, year: int | None = None, on=None,
                  program: str | Program | None = None) -> Report:
    """MOFCOM's typical-case report (典型案例, 000 三: 深度挖掘…形成典型案例，于2023年11月30日前报送商务部).

    `cases`: the titles chosen as cases with their highlight (特色亮点) and optionally the experience (经验做法)
    — a DataFrame, a CSV/Excel file (columns title_id/称号编号, highlight/特色亮点, experience/经验做法), a list of
    mappings or {title_id: highlight}. Each case must be a leader title in force on `on` (default today) with no
    open revocation case and an enterprise not barred; every problem is listed in one ReportError. The report
    adds what the registers know (enterprise, standard, domain and its category, agency, dates) and the
    programme's leaders per category and domain for `year` (default the year of `on`); a report made after the
    programme's `report_deadline` says so."""
    day = pd.Timestamp(str(on)).date() if on is not None else date.today()
    year = _year(year if year is not None else day.year)
    prog = _program(rounds, program)
    cats = _categories(prog)
    chosen = _read_cases(cases)
    all_titles = titles.titles(on=day).set_index("title_id")
    open_cases = rounds.cases()
    open_cases = open_cases[(open_cases["status"] == "open") & _upto(open_cases["opened"], day)]
    barred = titles.barred_list(day, adjustments_bar=bool(prog and prog.adjustment_bans))
    barred_names = set(barred.loc[barred["role"] == "enterprise", "name"])
    problems: list[Text] = []
    for n, row in enumerate(chosen.itertuples(index=False), start=1):
        tid = row.title_id
        if tid in list(chosen["title_id"])[: n - 1]:
            problems.append(Text(f"第 {n} 个案例：称号 {tid} 重复", f"case {n}: title {tid} given twice"))
        elif tid not in all_titles.index:
            problems.append(Text(f"第 {n} 个案例：称号登记簿中没有称号 {tid}", f"case {n}: title {tid} is not in the register"))
        elif all_titles.loc[tid, "status"] != "active":
            status = STATUS[all_titles.loc[tid, "status"]]
            problems.append(Text(f"第 {n} 个案例：称号 {tid} 在 {day} {status.zh}，不能作为典型案例",
                                 f"case {n}: title {tid} is {status.en} on {day}"))
        elif tid in set(open_cases["title_id"]):
            problems.append(Text(f"第 {n} 个案例：称号 {tid} 有未结的取消称号案件", f"case {n}: title {tid} has an open case"))
        elif all_titles.loc[tid, "enterprise"] in barred_names:
            problems.append(Text(f"第 {n} 个案例：企业“{all_titles.loc[tid, 'enterprise']}”处于禁入期",
                                 f"case {n}: {all_titles.loc[tid, 'enterprise']!r} is barred"))
        if not row.highlight:
            problems.append(Text(f"第 {n} 个案例（{tid}）：特色亮点为空", f"case {n} ({tid}): the highlight is empty"))
    if problems:
        raise ReportError("典型案例不符合要求：\n  " + "\n  ".join(p.zh for p in problems),
                          "the typical cases do not qualify:\n  " + "\n  ".join(p.en for p in problems),
                          hint=Text("典型案例应为有效期内、无未结案件、未处于禁入期的“领跑者”（000 三；001 三(四)）",
                                    "a typical case is a leader title in force, with no open case and no ban"))

    picked = all_titles.loc[chosen["title_id"]].reset_index()
    table = pd.DataFrame({
        "number": range(1, len(chosen) + 1), "enterprise": picked["enterprise"], "standard": picked["standard"],
        "domain": picked["domain"], "category": [cats.get(d) for d in picked["domain"]], "agency": picked["agency"],
        "published": picked["published"], "valid_until": picked["valid_until"], "title_id": picked["title_id"],
        "highlight": chosen["highlight"], "experience": [e or None for e in chosen["experience"]]})
    leaders = titles.titles(on=day)
    leaders = leaders[_in_year(leaders["published"], year) & _upto(leaders["published"], day)]
    if prog and prog.key_domains:
        leaders = leaders[leaders["domain"].isin(prog.domain_names())]
    order = prog.domain_names() if prog and prog.key_domains else sorted(leaders["domain"].unique())
    stats = []
    for d in order:
        here = leaders[leaders["domain"] == d]
        stats.append({"category": cats.get(d), "domain": d, "leaders": len(here),
                      "enterprises": int(here["enterprise"].nunique()), "cases": int((table["domain"] == d).sum())})
    stats.append({"category": None, "domain": _TOTAL, "leaders": len(leaders),
                  "enterprises": int(leaders["enterprise"].nunique()), "cases": len(table)})
    stats = pd.DataFrame(stats, columns=["category", "domain", "leaders", "enterprises", "cases"])
    figures = {"cases": len(table), "leaders": len(leaders), "leader_enterprises": int(leaders["enterprise"].nunique()),
               "domains_with_leaders": int(leaders["domain"].nunique()),
               "categories_with_cases": int(pd.Series([c for c in table["category"] if c]).nunique())}

    items = []
    for r in table.itertuples(index=False):
        cat_zh = f"，{r.category}" if r.category else ""
        cat_en = f", {r.category}" if r.category else ""
        paragraphs = [
            Text(f"{r.enterprise}的企业标准 {r.standard}（{r.domain}领域{cat_zh}）于 {r.published} 入选企业标准“领跑者”，"
                 f"评估机构为{r.agency}，称号编号 {r.title_id}，有效期至 {r.valid_until}。",
                 f"{r.enterprise}: standard {r.standard} ({r.domain}{cat_en}) became an enterprise-standard leader on "
                 f"{r.published}; agency {r.agency}; title {r.title_id}, valid until {r.valid_until}."),
            Text(f"特色亮点：{r.highlight}", f"Highlights: {r.highlight}"),
        ]
        if r.experience:
            paragraphs.append(Text(f"经验做法：{r.experience}", f"Experience: {r.experience}"))
        items.append((Text(f"案例 {r.number}：{r.enterprise}", f"Case {r.number}: {r.enterprise}"), paragraphs))

    deadline = prog.report_deadline if prog else None
    name = _name(rounds, prog)
    intro = [Text(f"本报告收录 {len(table)} 个典型案例；{year} 年本活动重点领域共发布“领跑者”称号 {len(leaders)} 个，涉及企业 "
                  f"{figures['leader_enterprises']} 家。",
                  f"{len(table)} typical case(s); in {year} the programme's key domains have {len(leaders)} leader "
                  f"title(s) held by {figures['leader_enterprises']} enterprise(s).")]
    notes = _sources(rounds, titles, day, prog)
    if deadline is not None:
        source = prog.source("report_deadline") or "000 三"
        late = day > deadline
        notes.append(Text(f"报送截止日：{deadline}（{source}）" + ("；本报告生成日期已晚于截止日。" if late else "。"),
                          f"Due by {deadline} ({source})" + ("; this report was made after the deadline." if late
                                                            else ".")))
        if late:
            intro.append(Text(f"注意：报送截止日 {deadline} 已过。", f"Note: the deadline {deadline} has passed."))
    notes.append(Text("典型案例须为统计日有效、无未结取消称号案件、企业未处于禁入期的“领跑者”。",
                      "A typical case is a leader title in force on the date above, with no open revocation case and "
                      "an enterprise not barred."))
    sections = [
        Section("cases", Text("典型案例一览", "Typical cases"), table, {
            "number": Text("序号", "no."), "enterprise": Text("企业", "enterprise"), "standard": Text("标准编号", "standard"),
            "domain": Text("领域", "domain"), "category": Text("产业类别", "category"), "agency": Text("评估机构", "agency"),
            "published": Text("发布日期", "published"), "valid_until": Text("有效期至", "valid until"),
            "title_id": Text("称号编号", "title"), "highlight": Text("特色亮点", "highlights"),
            "experience": Text("经验做法", "experience")}, intro, items),
        Section("domains", Text("分领域“领跑者”统计", "Leaders by key domain"), stats, {
            "category": Text("产业类别", "category"), "domain": Text("重点领域", "key domain"),
            "leaders": Text("领跑者称号", "leader titles"), "enterprises": Text("企业", "enterprises"),
            "cases": Text("典型案例", "typical cases")}),
    ]
    return Report("cases", Text(f"{name.zh}典型案例", f"{name.en}: typical cases"),
                  Text(f"{year} 年度；统计截至 {day}", f"{year}; as of {day}"), sections, figures, notes, year, day)
