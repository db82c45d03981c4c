"""`leaderkit report [--out DIR] [--data DIR] [--filter key=value …] [--no-pdf]`: the leadership brief.

Exit codes: 0 written, 2 unreadable input, bad usage, a filter matching nothing or a failed print.
"""

from __future__ import annotations

from leaderkit._kit.i18n import LeaderkitError, Text, get_language, tr

HELP = Text("生成领导简报：与总体情况页面相同的数字，自包含 HTML 与 PDF",
            "write the leadership brief: the overview page's numbers as self-contained HTML and PDF")


class UsageError(LeaderkitError, ValueError):
    """A command-line argument leaderkit cannot use (参数无效)."""


def add_arguments(p) -> None:
    p.add_argument("--out", default=".", help=tr("输出文件夹（默认当前文件夹）", "output folder (default: here)"))
    p.add_argument("--data", default=None, help=tr("数据文件夹（默认 LEADERKIT_DATA 或示例数据）",
                                                 "data folder (default: LEADERKIT_DATA or the sample data)"))
    p.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                   help=tr("筛选：year、domain、region、category，可重复", "filter: year, domain, region, category; repeatable"))
    p.add_argument("--no-pdf", action="store_true", help=tr("只写 HTML", "write the HTML only"))


def filters_of(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"筛选应写成 键=值，收到 {item!r}", f"a filter is KEY=VALUE, got {item!r}",
                             hint=Text("例如 --filter domain=洗涤机械", "e.g. --filter domain=洗涤机械"))
        out[key.strip()] = value.strip()
    return out


def run(args) -> int:
    from leaderkit.app.brief import write_brief

    paths = write_brief(args.out, folder=args.data, lang=get_language(), filters=filters_of(args.filter),
                        pdf=not args.no_pdf)
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    return 0
