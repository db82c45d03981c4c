"""Requirement-text parsing throughput: parse_many on realistic, mostly repeated texts.

    .venv/bin/python benchmarks/bench_parser.py             # 1,000,000 rows
    .venv/bin/python benchmarks/bench_parser.py --n 200000  # a quicker run

Declared standards repeat the same few thousand requirement texts ("≤0.5 mg/kg", "6.5～8.5", …)
across millions of indicator rows. The input here is seeded: ~3,000 distinct texts built from the forms
standards use, drawn with Zipf-like frequencies. Target (issue 2): ≥ 100,000 strings/s through
parse_many. Ratios are against baselines measured in the same run: parsing each distinct text once
with parse_requirement (no cache), and calling parse_requirement on every row.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from leaderkit.limits import requirements
from leaderkit.limits.requirements import RequirementError, parse_many, parse_requirement

FORMS = ["≤{a}{u}", "不大于 {a}{u}", "＜{a}{u}", "≥{a}{u}", "应不低于{a}{u}", "{a}～{b}{u}", "{a}-{b}{u}",
         "{a}至{b}{u}", "±{a}{u}", "{a}{u} 以下", "≤{a}{u}（以Pb计）", "≤{a}{u}（GB 5009.12）", "{a}"]
UNITS = [" mg/kg", "mg/kg", " g/kg", " mg/L", "%", "‰", " dB(A)", "V", " kW·h", " CFU/g", " 升/工作周期", ""]
OTHER = ["由供需双方协商确定", "具有该品种应有的色泽", "无异味", "符合 GB 4806.1 的规定", "不得检出", "企业自定",
         "+7%、-10%", "95≤得分<100", "不高于千分之十五", "1.0×10^3 CFU/g", "—", ""]


def distinct_texts(rng: np.random.Generator, k: int) -> list[str]:
    texts = set(OTHER)
    while len(texts) < k:
        a, b = sorted(np.round(rng.uniform(0.01, 100, 2), int(rng.integers(0, 3))))
        form, unit = FORMS[rng.integers(len(FORMS))], UNITS[rng.integers(len(UNITS))]
        texts.add(form.format(a=f"{a:g}", b=f"{b if b > a else a + 1:g}", u=unit))
    return [str(t) for t in rng.permutation(sorted(texts))]


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def parse_each(texts) -> None:
    for t in texts:
        try:
            parse_requirement(t, bare="max")
        except RequirementError:
            pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="rows to parse")
    ap.add_argument("--distinct", type=int, default=3000, help="distinct texts")
    args = ap.parse_args()
    rng = np.random.default_rng(20231031)
    pool = distinct_texts(rng, args.distinct)
    weights = 1 / np.arange(1, len(pool) + 1) ** 1.1
    rows = np.asarray(pool, dtype=object)[rng.choice(len(pool), size=args.n, p=weights / weights.sum())]
    rows[rng.random(args.n) < 0.01] = None  # empty cells
    distinct = len(set(rows.tolist()))

    unique_s = timed(lambda: parse_each(pool))
    sample = rows[: min(args.n, 50_000)]
    loop_s = timed(lambda: parse_each(sample))
    requirements._row.cache_clear()  # a cold start: nothing parsed yet in this process
    cold_s = timed(lambda: parse_many(rows, bare="max"))
    warm_s = timed(lambda: parse_many(rows, bare="max"))
    kinds = parse_many(rows, bare="max")["kind"].value_counts().to_dict()

    base = rate(len(pool), unique_s)
    print(f"{args.n:,} rows, {distinct:,} distinct texts; kinds: {kinds}")
    print(f"{'contender':<46} {'strings/s':>12} {'÷ baseline':>11}")
    table = [
        ("parse_requirement, each distinct text (baseline)", base),
        ("parse_requirement, every row", rate(len(sample), loop_s)),
        ("parse_many, cold cache", rate(args.n, cold_s)),
        ("parse_many, warm cache (repeated chunk)", rate(args.n, warm_s)),
    ]
    for name, r in table:
        print(f"{name:<46} {r:12,.0f} {r / base:11.1f}")
    cold = table[2][1]
    print(f"floor: parse_many ≥ 100,000 strings/s ({cold:,.0f} strings/s): {'met' if cold >= 100_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
