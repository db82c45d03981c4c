"""`leaderkit round ACTION REGISTER …`: the round register of a programme (评估轮次登记簿).

Actions: create, call, scheme, approve, window, objection, close, publish, complaint, sampling, decide,
pending, notice. The register file is created only by `create`; every other action refuses a missing file.
Exit codes: 0 recorded / nothing pending, 1 pending items when `pending --check` is given, 2 bad input.
"""

from __future__ import annotations

from leaderkit._kit.i18n import Text, get_language, tr

HELP = Text("评估轮次登记簿：征集、方案、公示与异议、投诉举报、抽查、取消称号案件、待办与公告",
            "the round register: calls, schemes, publicity and objections, complaints, sampling, revocation cases, "
            "pending items and notices")


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
    a = sub.add_parser("approve", help=tr("登记通过专家评审的方案", "record a scheme approved by the experts"))
    _register(a)
    a.add_argument("scheme")
    _on(a)
    a.add_argument("--opinion", default="")
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
    a = sub.add_parser("pending", help=tr("待办：未处理异议、即将截止的公示、未结投诉和案件",
                                          "pending: open objections, windows ending, open complaints and cases"))
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
    reg.submit_scheme(args.scheme, args.agency, args.year, args.domain, on=args.on)
    print(tr(f"已登记申报方案 {args.scheme}", f"recorded the submitted scheme {args.scheme}", lang))
    return 0


def _approve(reg, args, lang) -> int:
    reg.approve_scheme(args.scheme, on=args.on, opinion=args.opinion)
    print(tr(f"已登记方案 {args.scheme} 通过评审", f"recorded the approval of {args.scheme}", lang))
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


_ACTIONS = {"call": _call, "scheme": _scheme, "approve": _approve, "window": _window, "objection": _objection,
            "close": _close, "publish": _publish, "complaint": _complaint, "sampling": _sampling,
            "decide": _decide, "pending": _pending, "notice": _notice}
