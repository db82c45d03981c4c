"""Panel session: time from an expert's submitted score to the chair's computed view including it (< 2 s).

    .venv/bin/python benchmarks/bench_session.py                 # 10 expert processes, 20 s
    .venv/bin/python benchmarks/bench_session.py --experts 5 --seconds 10

A session file (SQLite, WAL) is started with the two sample washing-machine schemes and 10 experts, each
with a complete score sheet. Then 10 processes (one per expert, like one Voilà kernel per browser) each
resubmit one of their sheets with new points every 0.2–1 s. The chair, in this process, does what the
chair's page does: every `--poll` seconds (the page's tick, 0.5 s) it looks at the store's version and, when it
changed, computes `review()` (`review_panel` on the store's scores). The expert processes start writing together once all
are running. A score's latency is the time from its
commit to the end of the first review that includes it. Prints median, min and max over all scores.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaderkit.app.panel_session import REFRESH_MS  # noqa: E402
from leaderkit.schemes.model import Scheme  # noqa: E402
from leaderkit.schemes.session import DEFAULT_CRITERIA, PanelSession  # noqa: E402

SCHEMES = ROOT / "sample_data" / "schemes"
TARGET_S = 2.0


def expert(path: str, name: str, seconds: float, seed: int, ready, go) -> None:
    """One expert's kernel (already running when the meeting starts): resubmit a sheet with new points at
    random intervals until time is up."""
    session = PanelSession(path)
    rng = random.Random(seed)
    schemes = list(session.settings.schemes)
    ready.release()
    go.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(rng.uniform(0.2, 1.0))
        session.submit(name, rng.choice(schemes), {c: rng.randint(0, int(top)) for c, top in DEFAULT_CRITERIA.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--poll", type=float, default=REFRESH_MS / 1000, help="the chair page's refresh interval (s)")
    args = parser.parse_args()
    schemes = [Scheme.load(SCHEMES / "washing_machines_a.yaml"), Scheme.load(SCHEMES / "washing_machines_b.yaml")]
    names = [f"专家{i + 1:02d}" for i in range(args.experts)]
    with tempfile.TemporaryDirectory() as tmp:
        session = PanelSession.start(Path(tmp) / "bench.sqlite", domain="洗涤机械", schemes=schemes,
                                     members=[{"name": n, "affiliation": f"第{i + 1}研究所"} for i, n in enumerate(names)])
        rng = random.Random(0)
        for n in names:
            for s in schemes:
                session.submit(n, s.id, {c: rng.randint(0, int(top)) for c, top in DEFAULT_CRITERIA.items()})
        session.review()  # the chair's page is open before the meeting starts (imports done)
        seen_version = session.version()
        seen_entry = int(session.score_log()["id"].max())
        ctx = multiprocessing.get_context("spawn")
        ready, go = ctx.Semaphore(0), ctx.Event()
        procs = [ctx.Process(target=expert, args=(str(session.path), n, args.seconds, i, ready, go))
                 for i, n in enumerate(names)]
        for p in procs:
            p.start()
        for _ in procs:
            ready.acquire()
        go.set()
        latencies: list[float] = []
        tick = time.monotonic()
        while any(p.is_alive() for p in procs) or session.version() != seen_version:
            tick += args.poll  # a fixed rate, like the page's setInterval
            time.sleep(max(0.0, tick - time.monotonic()))
            version = session.version()
            if version == seen_version:
                continue
            session.review()
            shown = datetime.now().astimezone()
            new = session.score_log(after=seen_entry)
            if len(new):
                seen_entry = int(new["id"].max())
            seen_version = version
            latencies += [(shown - datetime.fromisoformat(at)).total_seconds() for at in new["at"]]
        for p in procs:
            p.join()
    if not latencies:
        sys.exit("no score was written")
    med = statistics.median(latencies)
    print(f"panel session, {args.experts} expert processes, {len(latencies)} scores, chair polling every {args.poll:g} s")
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(f"score → chair's view: median {med:.2f} s, min {min(latencies):.2f} s, max {max(latencies):.2f} s, "
          f"95th percentile {p95:.2f} s "
          f"(target < {TARGET_S:g} s: {'ok' if max(latencies) < TARGET_S else 'MISSED'})")


if __name__ == "__main__":
    main()
