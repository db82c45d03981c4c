"""`leaderkit import-platform DETAIL [--products P] [--texts T] [--domain D] --out standards.csv`.

Reads standard records exported from the enterprise-standard platform (`leaderkit.standards.platform`) and
writes the long form `load_standards` and `rank` read (UTF-8 with BOM, Chinese headers), atomically; a
record without indicator texts is one row marked 无指标文本. `--records` writes one row per record,
`--products-out` the products, `--problems` the problem list. The counts go to standard output, the problems
to standard error.

Exit codes: 0 written (problems, if any, are listed; a flagged row is kept as the importer says); 2 unreadable
input, bad usage, or records without a domain (give --domain).
"""

from __future__ import annotations

import sys

from leaderkit._kit.cells import neutralise
from leaderkit._kit.files import check_output, write_bytes
from leaderkit._kit.i18n import Text, tr

HELP = Text("导入企业标准信息公共服务平台的标准记录（明细、产品、指标文本），写出可供 rank/benchmark 读取的企业标准表",
            "import standard records from the enterprise-standard platform (detail, products, indicator texts) "
            "into a standards file that rank/benchmark read")


def add_arguments(p) -> None:
    p.add_argument("detail", help=tr("标准明细（CSV/Excel）：标准名称、标准编号、企业/机构名称、统一社会信用代码、"
                                     "行政区划、公开时间、状态，或列表页的 执行标准",
                                     "standards detail (CSV/Excel): 标准名称, 标准编号, 企业/机构名称, 统一社会信用代码, "
                                     "行政区划, 公开时间, 状态, or the list page's 执行标准"))
    p.add_argument("--products", default=None, help=tr("产品表（产品名称、通用名、品牌、条码、规格、型号、分类）",
                                                       "products table (产品名称, 通用名, 品牌, 条码, 规格, 型号, 分类)"))
    p.add_argument("--texts", default=None, help=tr("指标文本表（长表：标准编号、指标、要求）",
                                                    "indicator texts (long: 标准编号, 指标, 要求)"))
    p.add_argument("--domain", default=None, help=tr("领域（指标文本未给出领域的记录使用）",
                                                     "key domain of records whose texts name none"))
    p.add_argument("--sheet", default=None, help=tr("明细所在的 Excel 工作表", "Excel sheet of the detail"))
    p.add_argument("--encoding", default=None, help=tr("明细 CSV 的编码（默认自动识别 UTF-8/GBK）",
                                                       "encoding of the detail CSV (default: UTF-8/GBK detected)"))
    p.add_argument("--out", required=True, help=tr("输出的企业标准表（CSV）", "standards file to write (CSV)"))
    p.add_argument("--records", default=None, help=tr("另写出每个标准一行的记录表（CSV）",
                                                      "also write one row per standard record (CSV)"))
    p.add_argument("--products-out", default=None, help=tr("另写出产品表（CSV）", "also write the products (CSV)"))
    p.add_argument("--problems", default=None, help=tr("另写出问题清单（CSV）", "also write the problem list (CSV)"))


def run(args) -> int:
    from leaderkit.standards.loading import InputError
    from leaderkit.standards.platform import read_platform

    inputs = [args.detail, args.products, args.texts]
    outputs = [args.out, args.records, args.products_out, args.problems]
    for path in outputs:
        if path:
            check_output(path, inputs=inputs)  # before any work: a bad path fails at once
    result = read_platform(args.detail, products=args.products, texts=args.texts, domain=args.domain,
                           sheet=args.sheet, encoding=args.encoding)
    table = result.to_csv_frame()
    no_domain = result.indicators["domain"].isna()
    if no_domain.any():
        ids = result.indicators.loc[no_domain, "standard_id"].drop_duplicates()
        shown = "、".join(ids.head(5)) + (" …" if len(ids) > 5 else "")
        raise InputError(f"{len(ids)} 个标准没有领域（如 {shown}），企业标准表需要领域", f"{len(ids)} standards have no "
                         f"domain (e.g. {shown}); a standards file needs one", where=args.detail,
                         hint=Text("用 --domain 给出领域，或在指标文本表中加“领域”列",
                                   "give --domain, or add a 领域 (domain) column to the texts table"))
    _write(args.out, table, inputs)
    if args.records:
        _write(args.records, result.standards.drop(columns=["row"]), inputs)
    if args.products_out:
        _write(args.products_out, result.products, inputs)
    if args.problems:
        _write(args.problems, result.problems, inputs)
    print(result.summary())
    print(tr(f"已写入 {args.out}（{len(table)} 行）", f"written to {args.out} ({len(table)} rows)"))
    if len(result.problems):
        cols = ["file", "row", "column", "value", "problem" if tr("zh", "en") == "zh" else "problem_en"]
        print(tr(f"问题 {len(result.problems)} 处（行号以表头为第 1 行）：",
                 f"{len(result.problems)} problems (rows counted with the header as row 1):"), file=sys.stderr)
        print(result.problems[cols].to_string(index=False), file=sys.stderr)
    return 0


def _write(path, frame, inputs) -> None:
    text = frame.astype(object).where(frame.notna(), "").map(neutralise).to_csv(index=False, lineterminator="\n")
    write_bytes(path, text.encode("utf-8-sig"), inputs=inputs)
