"""Load on the dashboards server: time to a rendered leadership page for viewers arriving together.

    .venv/bin/python benchmarks/bench_load.py [--viewers 5] [--page leadership.ipynb]

Starts the server as `make run` does (python -m leaderkit.app.serve: plotly.js published, dashboard cache
warmed, then Voilà) on a free loopback port, then drives Debian's
headless Chromium (Playwright): first one cold viewer alone, then N viewers opening the page at the same
moment. A page counts as rendered when the kernel's key number, its last table and its last figure are on
screen, so every time includes the kernel start, the library calls and the widget round trips. Memory per kernel is the
resident size of each ipykernel process under the server. Floors (issue 6, 2 cores): cold viewer < 10 s,
5 simultaneous viewers all < 30 s. Only 127.0.0.1 is contacted; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaderkit.app.serve import wait_until_up  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MARKER = {"leadership.ipynb": (".lk-kpi-rate b", ".lk-upcoming-table", ".lk-fig-overview .js-plotly-plot"),
          "expert_panel.ipynb": (".lk-tuner .js-plotly-plot", ".lk-comparison .js-plotly-plot"),
          "ranking_explorer.ipynb": (".lk-explorer-ranking", ".lk-fig-robustness .js-plotly-plot")}
TIMEOUT_MS = 120_000


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kernel_rss_mb(server_pid: int) -> list[float]:
    """Resident memory (MB) of every ipykernel process under the server (kernels are Voilà's children)."""
    procs = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            cmdline = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        procs[int(status.parent.name)] = (int(fields.get("PPid", "0").strip()), cmdline,
                                          int(fields.get("VmRSS", "0 kB").split()[0]) / 1024)

    def under(pid: int) -> bool:
        while pid > 1:
            if pid == server_pid:
                return True
            pid = procs.get(pid, (0,))[0]
        return False

    return [rss for pid, (ppid, cmdline, rss) in procs.items() if "ipykernel" in cmdline and under(ppid)]


async def view(browser, url: str, markers: tuple[str, ...]) -> float:
    context = await browser.new_context(viewport={"width": 1280, "height": 1500})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    t0 = time.perf_counter()
    await page.goto(url, timeout=TIMEOUT_MS)
    for css in markers:
        await page.locator(css).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - t0
    await context.close()
    if errors:
        raise RuntimeError(f"page errors: {errors}")
    return elapsed


async def run(url: str, markers: tuple[str, ...], viewers: int) -> tuple[float, list[float]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        cold = await view(browser, url, markers)
        together = await asyncio.gather(*(view(browser, url, markers) for _ in range(viewers)))
        await browser.close()
    return cold, list(together)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--viewers", type=int, default=5)
    ap.add_argument("--page", default="leadership.ipynb", choices=sorted(MARKER))
    args = ap.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "leaderkit.app.serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_until_up(server, f"http://127.0.0.1:{port}/", timeout=120):
            print("Voilà did not start", file=sys.stderr)
            return 1
        url = f"http://127.0.0.1:{port}/voila/render/{args.page}"
        cold, together = asyncio.run(run(url, MARKER[args.page], args.viewers))
        rss = kernel_rss_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    median, worst = statistics.median(together), max(together)
    print(f"page: {args.page}  (2 cores; Voilà, one kernel per viewer; Chromium on the same cores)")
    print(f"{'case':<34} {'seconds':>8} {'÷ cold':>7}")
    print(f"{'1 cold viewer':<34} {cold:8.2f} {1:7.2f}")
    print(f"{f'{args.viewers} viewers together, median':<34} {median:8.2f} {median / cold:7.2f}")
    print(f"{f'{args.viewers} viewers together, max':<34} {worst:8.2f} {worst / cold:7.2f}")
    if rss:
        print(f"kernels alive: {len(rss)}; memory per kernel: median {statistics.median(rss):.0f} MB, "
              f"max {max(rss):.0f} MB")
    ok = cold < 10 and worst < 30
    print(f"floor (cold < 10 s, all {args.viewers} < 30 s): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
