"""Tuner speed: one slider change on 5,000 standards re-ranks in under 50 ms (target).

    .venv/bin/python benchmarks/bench_tuner.py            # 5,000 standards, 30 slider moves
    .venv/bin/python benchmarks/bench_tuner.py --n 1000   # another size

The 5,000 standards are the 100 洗涤机械 standards of sample_data replicated 50 times with new numbers,
each standard × indicator taking a requirement text drawn (seeded) from all texts of that indicator in the
sample, so the values vary while every text is one the parser has seen in real-looking data.
A slider change = the widget's callback: a changed scheme (`with_changes`), `rank` on the prepared data
(no text is parsed again), the validation report of the tuned scheme, the bar chart, the table and the
findings beside the sliders redrawn. The scheme is the sample's scheme A with its levels given roles
(tiers first, a leader condition), so that its threshold sliders act and are offered. Reference, measured in the same run:
`leaderkit.composite` alone on the same 5,000 × 6 matrix (min-max, weighted mean, ranks).
Figures are medians; compare the ratio, which is measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaderkit import load_standards  # noqa: E402
from leaderkit.app.widgets import Tuner  # noqa: E402
from leaderkit.methods.scoring import composite  # noqa: E402
from leaderkit.ranking.result import prepare  # noqa: E402
from leaderkit.ranking.score import scored_values  # noqa: E402
from leaderkit.schemes.model import Scheme  # noqa: E402

SCHEME = ROOT / "sample_data" / "schemes" / "washing_machines_a.yaml"
STANDARDS = ROOT / "sample_data" / "standards.csv"
DOMAIN = "洗涤机械"


def synthesize(n_standards: int, seed: int = 7) -> pd.DataFrame:
    """`n_standards` standards of 洗涤机械 from the sample's pools of texts (long form, canonical columns)."""
    sample = load_standards(STANDARDS)
    dom = sample[sample["domain"] == DOMAIN].reset_index(drop=True)
    ids = dom["standard_id"].unique()
    copies = -(-n_standards // len(ids))
    rng = np.random.default_rng(seed)
    frames = []
    for c in range(copies):
        part = dom.copy()
        part["standard_id"] = part["standard_id"] + f"-{c:03d}"
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    keep = out["standard_id"].isin(pd.unique(out["standard_id"])[:n_standards])
    out = out[keep.to_numpy()].reset_index(drop=True)
    pools = dom.groupby("indicator")["requirement"].agg(list)
    texts = out["requirement"].to_numpy(dtype=object)
    for name, pool in pools.items():
        rows = np.nonzero((out["indicator"] == name).to_numpy())[0]
        texts[rows] = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size=len(rows))]
    out["requirement"] = texts
    out["unit"] = pd.array([None] * len(out), dtype="string")
    out.attrs = dict(sample.attrs)
    return out


def median_time(fn, repeat: int) -> float:
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    scheme = Scheme.load(SCHEME).with_changes(
        {"ranking.levels": {"entry": "none", "tier": "sort", "leader": {"level": "leader", "k": 1}}})
    t0 = time.perf_counter()
    data = synthesize(args.n)
    t_synth = time.perf_counter() - t0
    t0 = time.perf_counter()
    prepared = prepare(scheme, data, on="2023-12-31")
    t_prepare = time.perf_counter() - t0
    eligible = prepared.eligibility["eligible"].to_numpy(bool)
    tuner = Tuner(scheme, prepared)

    weights = np.linspace(0.05, 0.6, args.repeat)
    t_slider = median_time(lambda i: setattr(tuner.weight_sliders["energy_use"], "value", float(weights[i])),
                           args.repeat)
    levels = np.linspace(0.016, 0.019, args.repeat)
    t_threshold = median_time(
        lambda i: setattr(tuner.threshold_sliders["energy_use", "leader"], "value", float(levels[i])), args.repeat)

    core = scheme.core_indicators()
    values, directions = scored_values(core, prepared.lower, prepared.upper)
    matrix = pd.DataFrame(values[eligible], columns=[i.id for i in core])
    w = {i.id: i.weight for i in core}
    t_composite = median_time(lambda i: composite(matrix, directions, w), args.repeat)

    n_std = len(prepared.info)
    print(f"standards: {n_std} (eligible {int(eligible.sum())}), core indicators: {len(core)}")
    print(f"synthesize: {t_synth * 1000:.0f} ms; prepare (parse + eligibility, once): {t_prepare * 1000:.0f} ms")
    print(f"weight slider callback, median of {args.repeat}: {t_slider * 1000:.1f} ms (target < 50 ms)")
    print(f"threshold slider callback, median of {args.repeat}: {t_threshold * 1000:.1f} ms (target < 50 ms)")
    print(f"composite alone on the same {matrix.shape[0]} × {matrix.shape[1]} matrix: {t_composite * 1000:.2f} ms")
    print(f"ratio weight callback / composite: {t_slider / t_composite:.1f}×")
    return 0 if max(t_slider, t_threshold) < 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
