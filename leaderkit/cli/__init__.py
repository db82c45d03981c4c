"""The `leaderkit` command (命令行入口).

Each sub-command lives in `leaderkit/cli/<name>.py` and exposes
`HELP` (a Text), `add_arguments(parser)` and `run(args) -> int`.
Exit codes: 0 success / no errors, 1 findings of severity error, 2 unreadable input or bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings

from leaderkit._kit.i18n import LeaderkitError, default_language, set_language

COMMANDS = ["benchmark", "validate", "grade", "rank", "synth", "round", "report", "import-platform"]
MODULES = {"import-platform": "platform"}  # a command whose module has another name

DESCRIPTION = (
    "leaderkit — 企业标准“领跑者”工具包：评估方案校验、指标对标、排行榜与领跑者、评估机构评价。\n"
    "leaderkit — toolkit for China's enterprise standard leader system: scheme validation, indicator\n"
    "benchmarking, ranking lists and leaders, evaluation-agency grading."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaderkit", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", choices=["zh", "en"], default=None, help="输出语言 / output language")
    sub = parser.add_subparsers(dest="command", metavar="命令/command")
    for name in COMMANDS:
        module = importlib.import_module(f"leaderkit.cli.{MODULES.get(name, name)}")
        p = sub.add_parser(name, help=module.HELP.both(), description=module.HELP.both())
        p.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help="输出语言 / output language")
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(getattr(args, "lang", None) or default_language())
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = int(args._run(args) or 0)
        for w in caught:  # leaderkit's own warnings (replaced cells, a year without holiday data) are notes
            if w.category.__module__.startswith("leaderkit."):
                print(f"注意 / note: {w.message}", file=sys.stderr)
            else:
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        sys.stdout.flush()
        return code
    except LeaderkitError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader of our output went away (`leaderkit … | head -1`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        name = exc.filename or ""
        print(f"错误 / error: 无法读写文件 {name}：{exc.strerror} / cannot read or write {name}: {exc.strerror}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
