"""`make run`: serve leaderkit's dashboards with Voilà on the loopback interface.

Serves only `dashboards/` (Voilà's tree lists every notebook under its root), culls idle kernels
(Voilà 0.5 does not shut a kernel down when a tab closes), prints the URL of each dashboard, the
leadership one first, and stops cleanly on Ctrl-C or SIGTERM. `LEADERKIT_DATA` (make run DATA=folder)
is passed on to the kernels, which read that folder instead of sample_data/.

Before Voilà starts: plotly.min.js is copied from the installed plotly package to `dashboards/static/`
(git-ignored), the only file Voilà is allowed to serve besides the pages, and its URL goes to the kernels
($LEADERKIT_PLOTLY_URL) so charts load it once per browser instead of through every kernel
(`leaderkit.charts`); and the leadership page's results are computed once into the dashboard cache
(`leaderkit.dashboard.warm_cache`), so a viewer's kernel reads them instead of recomputing.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from leaderkit.app.charts import STATIC_DIR, URL_ENV, publish_plotly
from leaderkit.app.paths import PROJECT_ROOT

DASHBOARDS = PROJECT_ROOT / "dashboards"
PAGES = ("leadership.ipynb", "expert_panel.ipynb", "ranking_explorer.ipynb")
CULL_IDLE_SECONDS = 900
STATIC_ALLOWLIST = f"{STATIC_DIR}/plotly-[0-9.]+[.]min[.]js"


def voila_command(host: str, port: int) -> list[str]:
    """The Voilà command line serving dashboards/ on host:port with idle-kernel culling; of the files under
    dashboards/ only plotly.min.js in static/ is served besides the pages."""
    return [sys.executable, "-m", "voila", str(DASHBOARDS), f"--port={port}", f"--Voila.ip={host}", "--no-browser",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            "--MappingKernelManager.cull_interval=60", "--MappingKernelManager.cull_connected=False",
            f"--VoilaConfiguration.file_allowlist={STATIC_ALLOWLIST}"]


def voila_env() -> dict[str, str]:
    """The environment for Voilà and its kernels: publishes plotly.min.js and gives its URL."""
    import plotly

    path = publish_plotly(DASHBOARDS)
    return {**os.environ, URL_ENV: f"/voila/files/{STATIC_DIR}/{path.name}?v={plotly.__version__}"}


def warm_cache(env: dict[str, str] | None = None) -> bool:
    """Compute the dashboard cache for the data folder in a separate process (its memory is not kept by the
    server); False, with a note, when that fails: the pages then compute (and show the error) themselves."""
    done = subprocess.run([sys.executable, "-c", "from leaderkit.app.views import warm_cache; warm_cache()"],
                          cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        print(f"仪表板缓存未能预先计算，页面将自行计算 / the dashboard cache could not be warmed, pages compute "
              f"themselves: {last}", file=sys.stderr)
    return done.returncode == 0


def page_urls(host: str, port: int) -> list[str]:
    """URLs of the dashboards that exist, the leadership dashboard first."""
    return [f"http://{host}:{port}/voila/render/{p}" for p in PAGES if (DASHBOARDS / p).exists()]


def port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def wait_until_up(proc: subprocess.Popen, url: str, timeout: float = 60) -> bool:
    """Poll `url` until it answers; False when the process exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except OSError:
            time.sleep(0.3)
    return False


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="leaderkit-serve", description="用 Voilà 提供仪表板 / serve the dashboards")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8866)
    args = p.parse_args(argv)
    if not port_free(args.host, args.port):
        print(f"端口 {args.port} 已被占用，请换一个：make run PORT=8877 / port {args.port} is in use: "
              f"try make run PORT=8877", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        env = voila_env()
        warm_cache(env)
    except KeyboardInterrupt:
        return 0
    proc = subprocess.Popen(voila_command(args.host, args.port), cwd=PROJECT_ROOT, env=env)
    try:
        if wait_until_up(proc, f"http://{args.host}:{args.port}/"):
            urls = "\n".join(f"    {u}" for u in page_urls(args.host, args.port))
            print(f"\nleaderkit 仪表板已启动 / dashboards are up:\n{urls}\n按 Ctrl-C 停止 / Ctrl-C to stop\n", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=5)
        print("已停止 / stopped")
        return 0


if __name__ == "__main__":
    sys.exit(main())
