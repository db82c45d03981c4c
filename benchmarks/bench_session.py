"""Panel session: time from an expert's submitted score to the chair's view including it (< 2 s).

    .venv/bin/python benchmarks/bench_session.py                 # 10 expert processes, 20 s
    .venv/bin/python benchmarks/bench_session.py --experts 5 --seconds 10

A session file (SQLite, WAL) is started with the two sample washing-machine schemes and 10 experts, each
with a complete score sheet. Then 10 processes (one per expert, like one Voilà kernel per browser) each run
the page an expert has open (`PanelSessionView`, the expert's tab, their name picked): its `Ticker` ticks
every `--poll` seconds (the page's REFRESH_MS) and, at random intervals of 0.2–1 s, the expert types new
points into one of their sheets and presses submit (`ExpertSheet.submit`, what the button calls). The chair,
in this process, runs the same page on the chair's tab, ticking at the same rate: a tick redraws the
chair's board (`ChairBoard.refresh`: totals, `review_panel`, W) when the store changed. Ticks and
submissions of one kernel run one after the other, as in a kernel. The expert processes start together
once all are running. A score's latency is the time from its commit to the end of the first redraw that
surely includes it (entries committed before the tick started), so it is never under-counted. Prints
median, min, max and 95th percentile over all scores.
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

from leaderkit.app.panel_session import REFRESH_MS, PanelSessionView  # noqa: E402
from leaderkit.schemes.model import Scheme  # noqa: E402
from leaderkit.schemes.session import DEFAULT_CRITERIA, PanelSession  # noqa: E402

SCHEMES = ROOT / "sample_data" / "schemes"
TARGET_S = 2.0


def expert(path: str, name: str, seconds: float, seed: int, poll: float, ready, go, done, stop) -> None:
    """One expert's kernel (already running when the meeting starts): the page's ticks at a fixed rate and,
    at random intervals, a sheet resubmitted with new points, until time is up; then it stays open until the
    chair has seen everything (ten kernels exiting at once would take the CPU from the chair's last redraws,
    which no meeting does)."""
    view = PanelSessionView(PanelSession(path), lang="zh")
    view.expert.who.value = name
    rng = random.Random(seed)
    schemes = list(view.session.settings.schemes)
    ready.release()
    go.wait()
    now = time.monotonic()
    end, tick, submit = now + seconds, now + poll, now + rng.uniform(0.2, 1.0)
    while True:
        due = min(tick, submit)
        if due >= end:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        if due == tick:
            view.ticker.tick += 1  # what the browser's setInterval does
            tick += poll
            continue
        scheme = rng.choice(schemes)
        for criterion, field in view.expert.fields[scheme].items():
            field.value = float(rng.randint(0, int(DEFAULT_CRITERIA[criterion])))
        view.expert.submit(scheme)
        submit += rng.uniform(0.2, 1.0)
    done.release()
    stop.wait()


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
        chair = PanelSessionView(session, lang="zh")  # the chair's page is open before the meeting starts
        chair.tabs.selected_index = 1
        seen_entry = int(session.score_log()["id"].max())
        ctx = multiprocessing.get_context("spawn")
        ready, go, done, stop = ctx.Semaphore(0), ctx.Event(), ctx.Semaphore(0), ctx.Event()
        procs = [ctx.Process(target=expert, args=(str(session.path), n, args.seconds, i, args.poll, ready, go, done,
                                                  stop)) for i, n in enumerate(names)]
        for p in procs:
            p.start()
        for _ in procs:
            ready.acquire()
        go.set()
        latencies: list[float] = []
        drawn, shown = chair.chair.version, datetime.now().astimezone()
        tick, finished = time.monotonic(), 0
        while True:
            tick += args.poll  # a fixed rate, like the page's setInterval
            time.sleep(max(0.0, tick - time.monotonic()))
            while finished < len(procs) and done.acquire(block=False):
                finished += 1
            if any(p.exitcode for p in procs):
                stop.set()
                sys.exit("an expert process failed")
            running = finished < len(procs)
            new = session.score_log(after=seen_entry)  # committed before this tick
            chair.ticker.tick += 1
            if chair.chair.version != drawn:  # redrawn now: it includes every entry committed before the tick
                drawn, shown = chair.chair.version, datetime.now().astimezone()
            elif new.empty and not running:
                break
            # not redrawn: the store has not changed since the last redraw read it, which included these
            latencies += [(shown - datetime.fromisoformat(at)).total_seconds() for at in new["at"]]
            if len(new):
                seen_entry = int(new["id"].max())
        stop.set()
        for p in procs:
            p.join()
    if not latencies:
        sys.exit("no score was written")
    med = statistics.median(latencies)
    print(f"panel session, {args.experts} expert processes, {len(latencies)} scores, chair polling every {args.poll:g} s")
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(f"score → chair's view: median {med:.2f} s, min {min(latencies):.2f} s, max {max(latencies):.2f} s, "
          f"95th percentile {p95:.2f} s")
    print(f"floor: every score in the chair's view < {TARGET_S:g} s (max {max(latencies):.2f} s): "
          f"{'met' if max(latencies) < TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
