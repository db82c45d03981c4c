"""`leaderkit benchmark STANDARDS --baselines FILE --by domain,year --format table|csv|json`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from leaderkit._kit.cells import neutralise
from leaderkit._kit.i18n import Text, tr

HELP = Text("企业标准与国家/行业标准对标，按分组统计高于国家/行业标准的比例（采用率）",
            "benchmark enterprise standards against national/industry standards; adoption rate by group")


def add_arguments(p) -> None:
    p.add_argument("standards", help=tr("企业标准文件（CSV/Excel/Parquet，或 Parquet 文件夹）",
                                        "declared standards (CSV/Excel/Parquet file or Parquet folder)"))
    p.add_argument("--baselines", required=True, help=tr("国家/行业标准文件", "baseline standards file"))
    p.add_argument("--by", default="domain",
                   help=tr("分组列，逗号分隔，如 domain,year；留空为总体", "group columns, e.g. domain,year; '' = overall"))
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--target", type=_share, default=0.20, help=tr("目标比例（默认 0.20，见意见 三）",
                                                                 "target share (default 0.20, document 002 三)"))
    p.add_argument("--violations", action="store_true",
                   help=tr("同时列出低于强制性标准限值的指标", "also list values looser than mandatory limits"))
    p.add_argument("--skip-bad-rows", action="store_true",
                   help=tr("跳过有问题的行并列出，而不是报错退出", "leave bad rows out (listed) instead of failing"))


def run(args) -> int:
    import warnings

    from leaderkit.standards.benchmarking import benchmark
    from leaderkit.standards.loading import BadRowsWarning, load_baselines, load_standards, problems

    on_bad = "report" if args.skip_bad_rows else "raise"
    standards = args.standards
    if not (str(standards).lower().endswith(".parquet") or Path(standards).is_dir()):  # Parquet: scanned by DuckDB
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BadRowsWarning)
            standards = load_standards(standards, on_bad_rows=on_bad)
        _report_problems(problems(standards))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BadRowsWarning)
        baselines = load_baselines(args.baselines, on_bad_rows=on_bad)
    _report_problems(problems(baselines))

    bm = benchmark(standards, baselines)
    by = [c.strip() for c in args.by.split(",") if c.strip()]
    table = bm.adoption(by=by, target=args.target)
    summary = bm.summary()
    if args.format == "json":
        out = {"summary": summary, "adoption": json.loads(table.to_json(orient="records", force_ascii=False))}
        if args.violations:
            out["violations"] = json.loads(bm.violations().to_json(orient="records", force_ascii=False,
                                                                   date_format="iso"))
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    elif args.format == "csv":
        table.map(neutralise).to_csv(sys.stdout, index=False)
    else:
        print(_headline(summary, args.target))
        shown = table.copy()
        for c in ("rate", "ci_low", "ci_high", "gap"):
            shown[c] = shown[c].map(lambda v: "" if v != v else f"{v:.1%}")
        shown["meets_target"] = shown["meets_target"].map({True: tr("是", "yes"), False: tr("否", "no")})
        print(shown.rename(columns=_headers()).to_string(index=False))
        if args.violations:
            v = bm.violations()
            print()
            print(tr(f"低于强制性标准限值：{len(v)} 项", f"looser than mandatory limits: {len(v)} indicators"))
            if len(v):
                print(v.to_string(index=False))
        if len(bm.unparsed):
            print(tr(f"\n无法解析的要求文本 {len(bm.unparsed)} 种（计为不可比）：",
                     f"\n{len(bm.unparsed)} requirement texts could not be parsed (counted as not comparable):"))
            print(bm.unparsed.head(20).to_string(index=False))
    return 0


def _share(text: str) -> float:
    """A share between 0 and 1 (0.2 = 20 %); argparse reports anything else as a usage error."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 0 到 1 之间的比例 / must be a share between 0 and 1: {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            f"应为 0 到 1 之间的比例（20% 写作 0.2）/ must be a share in (0, 1], 20 % is 0.2: {text!r}")
    return value


def _headline(s: dict, target: float) -> str:
    return tr(
        f"企业标准 {s['standards']} 项（指标 {s['indicators']} 条），高于国家/行业标准 {s['stricter']} 项，"
        f"占 {s['rate']:.1%}（95% 区间 {s['ci_low']:.1%}–{s['ci_high']:.1%}），目标 {target:.0%}；"
        f"低于强制性标准 {s['mandatory_violations']} 项。",
        f"{s['standards']} standards ({s['indicators']} indicators); {s['stricter']} stricter than "
        f"national/industry standards = {s['rate']:.1%} (95% CI {s['ci_low']:.1%}–{s['ci_high']:.1%}), "
        f"target {target:.0%}; {s['mandatory_violations']} looser than a mandatory limit.",
    )


def _headers() -> dict:
    return {"n": tr("标准数", "n"), "stricter": tr("高于国标/行标", "stricter"), "rate": tr("比例", "rate"),
            "ci_low": tr("区间下限", "ci_low"), "ci_high": tr("区间上限", "ci_high"), "gap": tr("与目标差", "gap"),
            "meets_target": tr("达标", "meets_target"), "comparable": tr("可比", "comparable"),
            "violations": tr("违反强制性", "violations"), "domain": tr("领域", "domain"),
            "year": tr("年份", "year"), "region": tr("地区", "region"), "category": tr("类别", "category")}


def _report_problems(table) -> None:
    if len(table):
        print(tr(f"已跳过 {table['row'].nunique()} 行有问题的数据：", f"left out {table['row'].nunique()} bad rows:"),
              file=sys.stderr)
        cols = ["file", "row", "column", "value", "problem" if tr("zh", "en") == "zh" else "problem_en"]
        print(table[cols].to_string(index=False), file=sys.stderr)
