"""Load on the dashboards server: time to a rendered page for viewers arriving together, where the CPU goes,
memory per kernel, and how soon a closed page's kernel is freed.

    .venv/bin/python benchmarks/bench_load.py [--page leadership.ipynb] [--viewers N]

Starts the server as `make run` does (python -m leaderkit.app.serve: plotly.js published, dashboard cache
warmed, then Voilà) on a free loopback port, then drives Debian's headless Chromium (Playwright) on the same
cores: one cold viewer alone, then N viewers (each in a browser context of its own, as separate people with
empty caches) opening the page at the same moment. A page counts as rendered when its markers (the key
figure, the last table, the last chart) are on screen, so every time includes the kernel start, the library
calls, the widget round trips and the browser's drawing. The CPU seconds each kind of process spent during
the N viewers (Chromium, the kernels, the Voilà server) are read from /proc, per viewer. Memory per kernel is
the resident size of each ipykernel process under the server. Then one page is closed as a tab closes
(beforeunload: Voilà's page asks the server to shut its kernel down) and one is dropped without closing (a
browser killed, a network lost: the culler frees it), each timed until its kernel has gone.

The floor no Voilà page can beat is measured in the same run: a second Voilà, started with the same command
line and environment, serves a notebook that shows one line of text; the same N viewers open it together.

Floors (issue 12, 2 cores, the browser on the same machine): leadership — 10 viewers all rendered ≤ 30 s,
median ≤ 15 s, ≤ 150 MB per kernel; expert panel — 5 viewers all ≤ 30 s; every page — a closed page's
kernel freed ≤ 120 s. Only 127.0.0.1 is contacted; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaderkit.app.serve import voila_command, voila_env, wait_until_up  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MARKER = {"leadership.ipynb": (".lk-kpi-rate b", ".lk-upcoming-table", ".lk-fig-overview .js-plotly-plot"),
          "expert_panel.ipynb": (".lk-tuner .js-plotly-plot", ".lk-comparison .js-plotly-plot"),
          "ranking_explorer.ipynb": (".lk-explorer-ranking", ".lk-fig-robustness .js-plotly-plot")}
# page → (viewers, all within s, median within s, MB per kernel)
FLOORS = {"leadership.ipynb": (10, 30.0, 15.0, 150.0), "expert_panel.ipynb": (5, 30.0, None, None),
          "ranking_explorer.ipynb": (5, 30.0, None, None)}
FREED_WITHIN = 120.0
TIMEOUT_MS = 180_000
HZ = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes() -> dict[int, tuple[int, str, float, float]]:
    """pid → (parent pid, command line, CPU seconds incl. reaped children, resident MB) of every process."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = (stat.parent / "status").read_text()
        except OSError:
            continue
        rss = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)
        cpu = sum(int(f) for f in fields[11:15]) / HZ  # utime, stime, cutime, cstime
        out[int(stat.parent.name)] = (int(fields[1]), cmdline, cpu, rss)
    return out


def under(procs, pid: int, root: int) -> bool:
    while pid > 1:
        if pid == root:
            return True
        pid = procs.get(pid, (0,))[0]
    return False


def kernels(server_pid: int) -> dict[int, float]:
    """pid → resident MB of every ipykernel process under the server."""
    procs = processes()
    return {pid: rss for pid, (ppid, cmd, _, rss) in procs.items() if "ipykernel" in cmd and under(procs, ppid, server_pid)}


def cpu_by_kind(server_pid: int) -> dict[tuple[int, str], float]:
    """(pid, kind) → CPU seconds, kind: browser (Chromium), kernels, server (Voilà and make run's process)."""
    procs = processes()
    out = {}
    for pid, (_, cmd, cpu, _) in procs.items():
        if "chromium" in cmd:
            kind = "browser"
        elif "ipykernel" in cmd and under(procs, pid, server_pid):
            kind = "kernels"
        elif pid == server_pid or under(procs, pid, server_pid):
            kind = "server"
        else:
            continue
        out[pid, kind] = cpu
    return out


async def view(browser, url: str, markers: tuple[str, ...], keep: bool = False):
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    context = await browser.new_context(viewport={"width": 1280, "height": 1500})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    t0 = time.perf_counter()
    css = "page load"
    try:
        await page.goto(url, timeout=TIMEOUT_MS)
        for css in markers:
            left = TIMEOUT_MS - 1000 * (time.perf_counter() - t0)
            await page.locator(css).first.wait_for(state="visible", timeout=max(1, left))
    except PlaywrightTimeout:
        shot = Path(tempfile.gettempdir()) / f"bench_load-timeout-{int(t0 * 1000)}.png"
        await page.screenshot(path=str(shot), full_page=True)
        print(f"not rendered within {TIMEOUT_MS / 1000:.0f} s ({css}); screenshot {shot}", file=sys.stderr)
        await context.close()
        return math.inf
    elapsed = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"page errors: {errors}")
    if keep:
        return elapsed, context, page
    await context.close()
    return elapsed


async def until_freed(server_pid: int, before: set[int]) -> float | None:
    """Seconds until one of the kernels in `before` has gone (None after 200 s)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 200:
        if before - set(kernels(server_pid)):
            return time.perf_counter() - t0
        await asyncio.sleep(0.5)
    return None


async def run(url: str, markers: tuple[str, ...], viewers: int, server_pid: int) -> dict:
    from playwright.async_api import async_playwright

    out = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        out["cold"] = await view(browser, url, markers)
        before = cpu_by_kind(server_pid)
        out["together"] = list(await asyncio.gather(*(view(browser, url, markers) for _ in range(viewers))))
        after = cpu_by_kind(server_pid)
        out["cpu"] = {}
        for (pid, kind), cpu in after.items():
            out["cpu"][kind] = out["cpu"].get(kind, 0.0) + cpu - before.get((pid, kind), 0.0)
        out["rss"] = list(kernels(server_pid).values())
        for how in ("closed", "dropped"):
            present = set(kernels(server_pid))
            shown = await view(browser, url, markers, keep=True)
            if not isinstance(shown, tuple):
                out[how] = None
                continue
            _, context, page = shown
            await asyncio.sleep(1)
            mine = set(kernels(server_pid)) - present
            if how == "closed":
                await page.close(run_before_unload=True)
            await context.close()
            out[how] = await until_freed(server_pid, mine) if mine else None
        await browser.close()
    return out


EMPTY = {"cells": [{"cell_type": "code", "execution_count": None, "id": "empty", "metadata": {}, "outputs": [],
                    "source": "import ipywidgets as w\nline = w.HTML('<b>leaderkit</b>')\nline.add_class('lk-empty')\nline"}],
         "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
         "nbformat": 4, "nbformat_minor": 5}


async def burst(url: str, markers: tuple[str, ...], viewers: int) -> list[float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        await view(browser, url, markers)
        times = list(await asyncio.gather(*(view(browser, url, markers) for _ in range(viewers))))
        await browser.close()
    return times


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM (the server stops Voilà and its kernels), SIGKILL when it has not stopped within 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def empty_page(viewers: int) -> list[float]:
    """N viewers opening a Voilà page with one line of text, served as the dashboards are (same Voilà command
    line and environment, another folder)."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "empty.ipynb").write_text(json.dumps(EMPTY), encoding="utf-8")
        port = free_port()
        cmd = voila_command("127.0.0.1", port)
        cmd[3] = folder
        proc = subprocess.Popen(cmd, cwd=ROOT, env=voila_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not wait_until_up(proc, f"http://127.0.0.1:{port}/", timeout=120):
                raise RuntimeError("the empty page's Voilà did not start")
            return asyncio.run(burst(f"http://127.0.0.1:{port}/voila/render/empty.ipynb", (".lk-empty",), viewers))
        finally:
            stop(proc)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--page", default="leadership.ipynb", choices=sorted(MARKER))
    ap.add_argument("--viewers", type=int, help="viewers arriving together (default: the page's floor)")
    args = ap.parse_args()
    floor_viewers, all_within, median_within, mb_within = FLOORS[args.page]
    viewers = args.viewers or floor_viewers
    port = free_port()
    load = os.getloadavg()[0]
    server = subprocess.Popen([sys.executable, "-m", "leaderkit.app.serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_until_up(server, f"http://127.0.0.1:{port}/", timeout=180):
            print("Voilà did not start", file=sys.stderr)
            return 1
        url = f"http://127.0.0.1:{port}/voila/render/{args.page}"
        r = asyncio.run(run(url, MARKER[args.page], viewers, server.pid))
    finally:
        stop(server)
    empty = empty_page(viewers)
    together, cold = r["together"], r["cold"]
    median, worst = statistics.median(together), max(together)
    print(f"page: {args.page}  ({os.cpu_count()} cores, 1-minute load {load:.1f} at the start; Voilà, one kernel per "
          "viewer; Chromium on the same cores)")
    print(f"{'case':<38} {'seconds':>8}")
    print(f"{'1 cold viewer':<38} {cold:8.2f}")
    print(f"{f'{viewers} viewers together: median':<38} {median:8.2f}   (min {min(together):.2f}, max {worst:.2f})")
    e = statistics.median(empty)
    print(f"{f'{viewers} viewers of an empty Voilà page':<38} {e:8.2f}   (min {min(empty):.2f}, max {max(empty):.2f}); "
          f"the page's median ÷ the empty page's: {median / e:.2f}")
    share = {k: v / viewers for k, v in r["cpu"].items()}
    print("CPU seconds per viewer while they arrived: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(share.items())))
    rss = r["rss"]
    if rss:
        print(f"kernels alive: {len(rss)}; memory per kernel: median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB")
    words = {"closed": "a tab closed (beforeunload)", "dropped": "a page dropped without closing"}
    for how in ("closed", "dropped"):
        t = r[how]
        print(f"kernel freed after {words[how]}: " + (f"{t:.1f} s" if t is not None else "not within 200 s"))
    checks = [(f"{viewers} viewers all ≤ {all_within:.0f} s", worst <= all_within)]
    if median_within is not None:
        checks.append((f"median ≤ {median_within:.0f} s", median <= median_within))
    if mb_within is not None and rss:
        checks.append((f"≤ {mb_within:.0f} MB per kernel", max(rss) <= mb_within))
    for how in ("closed", "dropped"):
        checks.append((f"kernel freed ≤ {FREED_WITHIN:.0f} s after {words[how]}",
                       r[how] is not None and r[how] <= FREED_WITHIN))
    for what, ok in checks:
        print(f"floor: {what}: {'met' if ok else 'NOT met'}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
