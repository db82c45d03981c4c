"""`leaderkit round ACTION REGISTER …`: the round register of a programme (评估轮次登记簿).

Actions: create, call, scheme, approve, window, objection, close, publish, complaint, sampling, decide,
pending, notice; for agencies: grade, summary, rectified, standing; for the expert pool: expert, expert-move,
expert-leave, conflict, experts; and report (the annual summary or the typical cases, .docx or .xlsx).
The register file is created only by `create`; every other action refuses a missing file.
Exit codes: 0 recorded / written / nothing pending, 1 pending items when `pending --check` is given,
2 bad input (a missing register, a bad date, a refused event, an output that cannot be written).
"""

from __future__ import annotations

from leaderkit._kit.i18n import Text, get_language, tr

HELP = Text("评估轮次登记簿：征集、方案、公示与异议、投诉举报、抽查、取消称号案件、评估机构评价与专家库、待办、公告与报告",
            "the round register: calls, schemes, publicity and objections, complaints, sampling, revocation cases, "
            "agencies and the expert pool, pending items, notices and reports")


def _register(p) -> None:
    p.add_argument("register", help=tr("轮次登记簿文件（DuckDB）", "the round register file (DuckDB)"))


def _on(p, what: str = "日期 / date") -> None:
    p.add_argument("--on", required=True, help=f"{what}（YYYY-MM-DD）")


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="动作/action", required=True)
    a = sub.add_parser("create", help=tr("新建登记簿", "create a register"))
    _register(a)
    a.add_argument("--program", default="national", help=tr("活动规则配置（名称或 YAML 文件）", "programme profile"))
    a = sub.add_parser("call", help=tr("登记年度征集及其重点领域", "record the year's call and its key domains"))
    _register(a)
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--domain", action="append", required=True, help=tr("重点领域（可重复）", "key domain (repeat)"))
    _on(a)
    a = sub.add_parser("scheme", help=tr("登记申报的评估方案和机构", "record a submitted scheme and its agency"))
    _register(a)
    a.add_argument("scheme", help=tr("方案编号", "scheme id"))
    a.add_argument("--agency", required=True)
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--domain", required=True)
    _on(a)
    a.add_argument("--titles", default=None, help=tr("称号登记簿（拒绝被取消资格的机构）",
                                                     "title register (refuses a disqualified agency)"))
    a = sub.add_parser("approve", help=tr("登记通过专家评审的方案", "record a scheme approved by the experts"))
    _register(a)
    a.add_argument("scheme")
    _on(a)
    a.add_argument("--opinion", default="")
    how = a.add_mutually_exclusive_group()
    how.add_argument("--expert", action="append", default=[],
                     help=tr("评审专家的专家库编号（可重复；检查回避与人数）", "a reviewing pool expert's id (repeat; checked)"))
    how.add_argument("--without-review", action="store_true",
                     help=tr("按评价结果免于重新评审（003 二(二)4）", "exempt by the agency's grade (003 二(二)4)"))
    a.add_argument("--scheme-file", action="append", default=[],
                   help=tr("方案文件（用于按编制单位检查回避，可重复）", "scheme file (compiling units, repeat)"))
    a = sub.add_parser("window", help=tr("登记公示期（按工作日计算截止日）", "record a publicity window (working days)"))
    _register(a)
    a.add_argument("--stage", choices=["scheme", "list"], required=True)
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--domain", required=True)
    a.add_argument("--start", required=True)
    a.add_argument("--overrides", default=None, help=tr("节假日调整文件", "holiday override file"))
    a = sub.add_parser("objection", help=tr("登记公示期内的异议", "record an objection"))
    _register(a)
    a.add_argument("window")
    a.add_argument("--by", required=True)
    _on(a)
    a.add_argument("--about", required=True)
    a = sub.add_parser("close", help=tr("登记异议的专家处理意见", "close an objection with the experts' opinion"))
    _register(a)
    a.add_argument("objection", type=int)
    _on(a)
    a.add_argument("--opinion", required=True)
    a.add_argument("--outcome", choices=["upheld", "rejected", "withdrawn"], required=True)
    a = sub.add_parser("publish", help=tr("登记发布（公示期满且异议已处理）", "record a publication"))
    _register(a)
    a.add_argument("window")
    _on(a)
    a = sub.add_parser("complaint", help=tr("登记投诉举报", "record a complaint or report"))
    _register(a)
    a.add_argument("--by", required=True, help=tr("投诉举报人（匿名写“匿名”）", "complainant (匿名 if anonymous)"))
    _on(a)
    a.add_argument("--about", required=True)
    a.add_argument("--title", default=None, help=tr("涉及的称号编号", "title id concerned"))
    a = sub.add_parser("sampling", help=tr("登记抽查结果；不合格即立案（理由 4）",
                                           "record a sampling result; a failure opens a case (reason 4)"))
    _register(a)
    for name in ("title", "product", "standard", "indicator", "declared", "measured"):
        a.add_argument(f"--{name}", required=True)
    _on(a)
    a.add_argument("--by", default="")
    a.add_argument("--titles", default=None, help=tr("称号登记簿（检查称号有效）", "title register (checks the title)"))
    a = sub.add_parser("decide", help=tr("对取消称号案件结案", "decide a revocation case"))
    _register(a)
    a.add_argument("case", type=int)
    a.add_argument("--titles", required=True, help=tr("称号登记簿", "title register"))
    _on(a)
    how = a.add_mutually_exclusive_group(required=True)
    how.add_argument("--revoke", action="store_true")
    how.add_argument("--dismiss", action="store_true")
    a.add_argument("--opinion", default="")
    a = sub.add_parser("pending", help=tr("待办：未处理异议、即将截止的公示、未结投诉和案件、年度总结、待验证的整改",
                                          "pending: open objections, windows ending, open complaints and cases, "
                                          "annual summaries, rectifications to verify"))
    _register(a)
    a.add_argument("--on", default=None)
    a.add_argument("--within", type=int, default=10, help=tr("公示在 N 日内截止（默认 10）", "windows ending within N days"))
    a.add_argument("--check", action="store_true", help=tr("有待办时退出码为 1", "exit 1 when anything is pending"))
    a = sub.add_parser("notice", help=tr("输出公告文本", "print a public notice"))
    _register(a)
    which = a.add_mutually_exclusive_group(required=True)
    which.add_argument("--window", default=None)
    which.add_argument("--case", type=int, default=None)
    a.add_argument("--item", action="append", default=[], help=tr("公示的条目（可重复）", "an item publicised (repeat)"))
    a.add_argument("--titles", default=None, help=tr("称号登记簿（取消称号公告需要）", "title register (revocations)"))
    _agency_arguments(sub)
    _expert_arguments(sub)
    a = sub.add_parser("report", help=tr("生成报告：年度实施情况总结或典型案例（.docx / .xlsx）",
                                         "write a report: the annual summary or the typical cases (.docx / .xlsx)"))
    _register(a)
    a.add_argument("--titles", required=True, help=tr("称号登记簿", "title register"))
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--kind", choices=["summary", "cases"], default="summary",
                   help=tr("summary 年度总结（默认）；cases 典型案例", "summary (default) or cases"))
    a.add_argument("--cases", default=None, help=tr("典型案例表（称号编号、特色亮点、经验做法）",
                                                    "the typical cases (title_id, highlight, experience)"))
    a.add_argument("--format", choices=["docx", "xlsx"], required=True)
    a.add_argument("--out", required=True, help=tr("输出文件", "output file"))
    a.add_argument("--on", default=None, help=tr("统计截止日（默认年末或今天）", "as of (default the year's end or today)"))


def _agency_arguments(sub) -> None:
    a = sub.add_parser("grade", help=tr("评价评估机构并登记评价结果（否决项 2 由登记簿历史推出）",
                                        "grade agencies and record the grades (veto 2 from the register)"))
    _register(a)
    a.add_argument("records", help=tr("评价记录（CSV/Excel/YAML）", "agency records (CSV/Excel/YAML)"))
    _on(a, "评价日期 / graded on")
    a.add_argument("--rubric", default=None, help=tr("评分表 YAML（默认文件 003）", "rubric YAML (default document 003)"))
    a = sub.add_parser("summary", help=tr("登记评估机构年度工作情况总结（001 二3）", "record an agency's annual summary"))
    _register(a)
    a.add_argument("--agency", required=True)
    a.add_argument("--year", type=int, required=True)
    _on(a, "提交日期 / submitted on")
    a.add_argument("--covers", action="append", default=[],
                   help=tr("总结包含的 003 1.6 内容 a–e（可重复）", "the 003 1.6 contents a–e it covers (repeat)"))
    a = sub.add_parser("rectified", help=tr("登记整改验证核查结果（003 四级）", "record a rectification's verification"))
    _register(a)
    a.add_argument("--agency", required=True)
    a.add_argument("--year", type=int, required=True, help=tr("被评为四级的年度", "the year graded 四级"))
    _on(a, "核查日期 / verified on")
    a.add_argument("--outcome", choices=["passed", "failed"], required=True)
    a.add_argument("--opinion", required=True)
    a = sub.add_parser("standing", help=tr("评估机构在某年度的状态：免评、整改、禁入", "agencies' standing for a year"))
    _register(a)
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--titles", default=None, help=tr("称号登记簿（取消资格）", "title register (disqualifications)"))
    a.add_argument("--on", default=None)


def _expert_arguments(sub) -> None:
    a = sub.add_parser("expert", help=tr("专家入库（001 二2）", "add an expert to the pool (001 二2)"))
    _register(a)
    a.add_argument("expert_id")
    a.add_argument("--name", required=True)
    a.add_argument("--affiliation", required=True)
    a.add_argument("--field", action="append", default=[], help=tr("专业领域（可重复）", "field (repeat)"))
    _on(a, "入库日期 / joined on")
    a = sub.add_parser("expert-move", help=tr("登记专家工作单位变动", "record an expert's new affiliation"))
    _register(a)
    a.add_argument("expert_id")
    a.add_argument("--affiliation", required=True)
    _on(a)
    a = sub.add_parser("expert-leave", help=tr("专家出库", "an expert leaves the pool"))
    _register(a)
    a.add_argument("expert_id")
    a.add_argument("--reason", required=True)
    _on(a)
    a = sub.add_parser("conflict", help=tr("登记专家申报的利益冲突", "record a declared conflict of interest"))
    _register(a)
    a.add_argument("expert_id")
    a.add_argument("--with", dest="party", required=True, help=tr("单位、机构或方案编号", "a unit, agency or scheme id"))
    _on(a)
    a = sub.add_parser("experts", help=tr("专家库；给出年度和领域时列出须回避的专家",
                                          "the pool; with a year and domain, the experts who must stand down"))
    _register(a)
    a.add_argument("--on", default=None)
    a.add_argument("--year", type=int, default=None)
    a.add_argument("--domain", default=None)
    a.add_argument("--scheme-file", action="append", default=[],
                   help=tr("方案文件（编制单位，可重复）", "scheme file (compiling units, repeat)"))


def run(args) -> int:
    from leaderkit.registers.rounds import RoundError, RoundRegister

    lang = get_language()
    if args.action == "create":
        from leaderkit.schemes.programs import load_program

        load_program(args.program)
        RoundRegister(args.register, programme=args.program, create=True).close()
        print(tr(f"已新建轮次登记簿 {args.register}（{args.program}）",
                 f"created the round register {args.register} ({args.program})", lang))
        return 0
    if args.action == "notice" and args.case is not None and not args.titles:
        raise RoundError("取消称号公告需要用 --titles 给出称号登记簿",
                         "a revocation notice needs the title register: give --titles")
    with RoundRegister(args.register) as reg:
        return _ACTIONS[args.action](reg, args, lang)


def _titles(path):
    from leaderkit.registers.titles import TitleRegister

    return TitleRegister(path)


def _call(reg, args, lang) -> int:
    ids = reg.call(args.year, args.domain, on=args.on)
    print(tr(f"已登记 {args.year} 年征集：{len(ids)} 个领域", f"recorded the {args.year} call: {len(ids)} domain(s)", lang))
    return 0


def _scheme(reg, args, lang) -> int:
    titles = _titles(args.titles) if args.titles else None
    try:
        reg.submit_scheme(args.scheme, args.agency, args.year, args.domain, on=args.on, titles=titles)
    finally:
        if titles is not None:
            titles.close()
    print(tr(f"已登记申报方案 {args.scheme}", f"recorded the submitted scheme {args.scheme}", lang))
    return 0


def _scheme_files(paths) -> list:
    from leaderkit.schemes.model import Scheme

    return [Scheme.load(p) for p in paths]


def _approve(reg, args, lang) -> int:
    if args.expert:
        from leaderkit.schemes.panel import approve_with_panel

        approve_with_panel(reg, args.scheme, args.expert, args.on, opinion=args.opinion,
                           schemes=_scheme_files(args.scheme_file))
        print(tr(f"已登记方案 {args.scheme} 通过评审（专家 {len(set(args.expert))} 人）",
                 f"recorded the approval of {args.scheme} ({len(set(args.expert))} experts)", lang))
        return 0
    reg.approve_scheme(args.scheme, on=args.on, opinion=args.opinion, without_review=args.without_review)
    print(tr(f"已登记方案 {args.scheme} 通过评审" + ("（免于重新评审）" if args.without_review else ""),
             f"recorded the approval of {args.scheme}" + (" (without review)" if args.without_review else ""), lang))
    return 0


def _window(reg, args, lang) -> int:
    from leaderkit.schemes.round import open_window

    wid = open_window(reg, args.stage, args.year, args.domain, args.start, reg.programme, args.overrides)
    end = reg.windows(args.start).set_index("window_id").loc[wid, "end"]
    print(tr(f"已登记公示 {wid}：{args.start} 至 {end}", f"recorded the window {wid}: {args.start} to {end}", lang))
    return 0


def _objection(reg, args, lang) -> int:
    oid = reg.object(args.window, args.by, on=args.on, about=args.about)
    print(tr(f"已登记异议 {oid}", f"recorded objection {oid}", lang))
    return 0


def _close(reg, args, lang) -> int:
    reg.close_objection(args.objection, on=args.on, opinion=args.opinion, outcome=args.outcome)
    print(tr(f"异议 {args.objection} 已处理（{args.outcome}）", f"objection {args.objection} closed ({args.outcome})", lang))
    return 0


def _publish(reg, args, lang) -> int:
    reg.publish(args.window, on=args.on)
    print(tr(f"{args.window} 已于 {args.on} 发布", f"{args.window} published on {args.on}", lang))
    return 0


def _complaint(reg, args, lang) -> int:
    cid = reg.complain(args.by, on=args.on, about=args.about, title_id=args.title)
    print(tr(f"已登记投诉举报 {cid}", f"recorded complaint {cid}", lang))
    return 0


def _sampling(reg, args, lang) -> int:
    titles = _titles(args.titles) if args.titles else None
    try:
        result = reg.record_sampling(args.title, args.product, args.standard, args.indicator, args.declared,
                                     args.measured, on=args.on, by=args.by, titles=titles)
    finally:
        if titles is not None:
            titles.close()
    print(result.text.zh if lang == "zh" else result.text.en)
    return 0


def _decide(reg, args, lang) -> int:
    with _titles(args.titles) as titles:
        reg.decide_case(args.case, on=args.on, titles=titles, revoke=args.revoke, opinion=args.opinion)
    print(tr(f"案件 {args.case} 已结案（{'取消称号' if args.revoke else '不予取消'}）",
             f"case {args.case} decided ({'revoked' if args.revoke else 'dismissed'})", lang))
    return 0


def _pending(reg, args, lang) -> int:
    items = reg.pending(on=args.on, within_days=args.within)
    if items.empty:
        print(tr("无待办事项", "nothing pending", lang))
        return 0
    print(items.to_string(index=False))
    return 1 if args.check else 0


def _notice(reg, args, lang) -> int:
    if args.window:
        text = reg.window_notice(args.window, items=args.item)
    else:
        with _titles(args.titles) as titles:
            text = reg.revocation_notice(args.case, titles)
    print(text.zh if lang == "zh" else text.en)
    return 0


def _grade(reg, args, lang) -> int:
    from leaderkit.agencies.grading import grade_agencies
    from leaderkit.agencies.history import record_grades, with_register_vetoes

    grade_agencies(args.records, args.rubric)  # refuses bad records naming the file's row, before anything is added
    graded = grade_agencies(with_register_vetoes(args.records, reg, on=args.on), args.rubric)
    record_grades(reg, graded, on=args.on)
    shown = graded[["agency", "year", f"grade_name_{lang}", f"consequence_{lang}"]]
    shown.columns = [tr("机构", "agency", lang), tr("年度", "year", lang), tr("等级", "grade", lang),
                     tr("评价结果", "consequence", lang)]
    print(shown.to_string(index=False))
    print(tr(f"已登记 {len(graded)} 条评价结果", f"recorded {len(graded)} grade(s)", lang))
    return 0


def _summary(reg, args, lang) -> int:
    reg.submit_summary(args.agency, args.year, on=args.on, covers=args.covers)
    late = reg.summaries().set_index(["agency", "year"]).loc[(args.agency, args.year), "on_time"]
    print(tr(f"已登记 {args.agency} {args.year} 年度工作情况总结" + ("" if late else "（逾期：应于 12 月 31 日前提交）"),
             f"recorded the {args.year} summary of {args.agency}" + ("" if late else " (late: due by 31 December)"),
             lang))
    return 0


def _rectified(reg, args, lang) -> int:
    reg.verify_rectification(args.agency, args.year, on=args.on, outcome=args.outcome, opinion=args.opinion)
    print(tr(f"已登记 {args.agency} 的整改验证核查（{args.outcome}）",
             f"recorded the verification of {args.agency}'s rectification ({args.outcome})", lang))
    return 0


def _standing(reg, args, lang) -> int:
    from leaderkit.agencies.history import standing

    titles = _titles(args.titles) if args.titles else None
    try:
        table = standing(reg, args.year, titles=titles, on=args.on)
    finally:
        if titles is not None:
            titles.close()
    if table.empty:
        print(tr("登记簿中没有评估机构", "no agency in the register", lang))
        return 0
    shown = table[["agency", "may_submit", f"status_{lang}"]].copy()
    shown["may_submit"] = shown["may_submit"].map({True: tr("是", "yes", lang), False: tr("否", "no", lang)})
    shown.columns = [tr("机构", "agency", lang), tr("可申报", "may submit", lang), tr("状态", "standing", lang)]
    print(shown.to_string(index=False))
    return 0


def _expert(reg, args, lang) -> int:
    reg.add_expert(args.expert_id, args.name, args.affiliation, on=args.on, fields=args.field)
    print(tr(f"专家 {args.expert_id}（{args.name}）已入库", f"expert {args.expert_id} ({args.name}) joined the pool", lang))
    return 0


def _expert_move(reg, args, lang) -> int:
    reg.move_expert(args.expert_id, args.affiliation, on=args.on)
    print(tr(f"已登记专家 {args.expert_id} 的工作单位变动", f"recorded the new affiliation of {args.expert_id}", lang))
    return 0


def _expert_leave(reg, args, lang) -> int:
    reg.retire_expert(args.expert_id, on=args.on, reason=args.reason)
    print(tr(f"专家 {args.expert_id} 已出库", f"expert {args.expert_id} left the pool", lang))
    return 0


def _conflict(reg, args, lang) -> int:
    reg.declare_conflict(args.expert_id, args.party, on=args.on)
    print(tr(f"已登记专家 {args.expert_id} 与“{args.party}”的利益冲突",
             f"recorded the conflict of {args.expert_id} with {args.party!r}", lang))
    return 0


def _experts(reg, args, lang) -> int:
    from datetime import date

    on = args.on or date.today().isoformat()
    if (args.year is None) != (args.domain is None):
        from leaderkit.registers.rounds import RoundError

        raise RoundError("--year 与 --domain 须同时给出", "give --year and --domain together")
    if args.year is not None:
        from leaderkit.schemes.panel import pool_conflicts

        table = pool_conflicts(reg, args.year, args.domain, on, schemes=_scheme_files(args.scheme_file))
        if table.empty:
            print(tr("无须回避的专家", "no expert has to stand down", lang))
            return 0
        shown = table[["expert_id", "name", "scheme", "reason" if lang == "zh" else "reason_en"]]
        shown.columns = [tr("编号", "id", lang), tr("姓名", "name", lang), tr("方案", "scheme", lang),
                         tr("回避理由", "reason", lang)]
        print(shown.to_string(index=False))
        return 0
    pool = reg.experts(on)
    if pool.empty:
        print(tr(f"{on} 专家库为空", f"the pool is empty on {on}", lang))
        return 0
    shown = pool[["expert_id", "name", "affiliation", "joined"]].copy()
    shown["conflicts"] = pool["conflicts"].map(lambda c: "；".join(c) if c else "—")
    shown.columns = [tr("编号", "id", lang), tr("姓名", "name", lang), tr("工作单位", "affiliation", lang),
                     tr("入库日期", "joined", lang), tr("申报的利益冲突", "declared conflicts", lang)]
    print(shown.to_string(index=False))
    return 0


def _report(reg, args, lang) -> int:
    from leaderkit.agencies.reports import ReportError, programme_summary, typical_cases

    if args.kind == "cases" and not args.cases:
        raise ReportError("典型案例报告需要用 --cases 给出案例表", "the typical-case report needs --cases FILE",
                          hint=Text("CSV/Excel 列：称号编号、特色亮点、经验做法", "columns: title_id, highlight, experience"))
    if args.kind == "summary" and args.cases:
        raise ReportError("--cases 只用于 --kind cases", "--cases goes with --kind cases")
    with _titles(args.titles) as titles:
        if args.kind == "summary":
            report = programme_summary(reg, titles, args.year, on=args.on)
        else:
            report = typical_cases(reg, titles, args.cases, year=args.year, on=args.on)
    inputs = [args.register, args.titles, args.cases]
    write = report.to_docx if args.format == "docx" else report.to_xlsx
    path = write(args.out, lang, inputs=inputs)
    print(tr(f"已写入 {path}（{report.title.zh}）", f"wrote {path} ({report.title.en})", lang))
    return 0


_ACTIONS = {"call": _call, "scheme": _scheme, "approve": _approve, "window": _window, "objection": _objection,
            "close": _close, "publish": _publish, "complaint": _complaint, "sampling": _sampling,
            "decide": _decide, "pending": _pending, "notice": _notice, "grade": _grade, "summary": _summary,
            "rectified": _rectified, "standing": _standing, "expert": _expert, "expert-move": _expert_move,
            "expert-leave": _expert_leave, "conflict": _conflict, "experts": _experts, "report": _report}
