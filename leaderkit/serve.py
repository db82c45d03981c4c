"""`make run`: serve leaderkit's dashboards with Voilà on the loopback interface.

Serves only `dashboards/` (Voilà's tree lists every notebook under its root), culls idle kernels
(Voilà does not shut a kernel down when a tab closes), prints the URL of the leadership dashboard and
stops cleanly on Ctrl-C. While no dashboard exists yet, it serves the researcher notebook instead.
"""

from __future__ import annotations

import argparse
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from .paths import PROJECT_ROOT

DASHBOARDS = PROJECT_ROOT / "dashboards"
FIRST_PAGE = "leadership.ipynb"
FALLBACK = PROJECT_ROOT / "notebooks" / "02_adoption_analysis.ipynb"


def voila_command(host: str, port: int) -> tuple[list[str], str]:
    """The Voilà command line and the URL a person should open."""
    common = [
        f"--port={port}", f"--Voila.ip={host}", "--no-browser",
        "--MappingKernelManager.cull_idle_timeout=900", "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]
    if (DASHBOARDS / FIRST_PAGE).exists():
        return ([sys.executable, "-m", "voila", str(DASHBOARDS), *common],
                f"http://{host}:{port}/voila/render/{FIRST_PAGE}")
    return [sys.executable, "-m", "voila", str(FALLBACK), *common], f"http://{host}:{port}/"


def port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="leaderkit-serve", description="用 Voilà 提供仪表板 / serve the dashboards")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8866)
    args = p.parse_args(argv)
    if not port_free(args.host, args.port):
        print(f"端口 {args.port} 已被占用，请换一个：make run PORT=8877 / port {args.port} is in use: "
              f"try make run PORT=8877", file=sys.stderr)
        return 2
    cmd, url = voila_command(args.host, args.port)
    proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(f"http://{args.host}:{args.port}/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        if proc.poll() is None:
            print(f"\nleaderkit 仪表板已启动 / dashboards are up:\n    {url}\n按 Ctrl-C 停止 / Ctrl-C to stop\n",
                  flush=True)
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
