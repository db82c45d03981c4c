"""Helpers for the browser tests: the dashboards server on a free loopback port, waiting, screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    """The dashboards served as `make run` does (`python -m leaderkit.app.serve`: plotly.js published, dashboard
    cache warmed, Voilà with its settings); its output goes to tests/artifacts/voila-<name>.log."""

    def __init__(self, name: str, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "leaderkit.app.serve", "--host", "127.0.0.1", "--port", str(self.port)]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log = open(ARTIFACTS / f"voila-{name}.log", "w")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Voilà exited early; see {self.log.name}")
            try:
                urllib.request.urlopen(self.base + "/", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("Voilà did not answer within 120 s")

    def page(self, notebook: str) -> str:
        return f"{self.base}/voila/render/{notebook}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def wait_rendered(page, timeout_ms: int = 90_000) -> None:
    """Wait until Voilà has executed and rendered every cell."""
    page.wait_for_selector("#rendered_cells", state="attached", timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('#loading') || "
                           "getComputedStyle(document.querySelector('#loading')).display === 'none'",
                           timeout=timeout_ms)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


CJK_PROBE = """() => {
  const shots = [];
  for (const ch of ["领", "跑", "者"]) {
    const c = document.createElement("canvas"); c.width = 40; c.height = 40;
    const x = c.getContext("2d"); x.font = "32px 'Noto Sans CJK SC', sans-serif"; x.fillText(ch, 2, 32);
    shots.push(c.toDataURL());
  }
  return shots;
}"""


def assert_cjk_renders(page) -> None:
    """Chinese glyphs are drawn as themselves, not as identical fallback boxes (needs fonts-noto-cjk)."""
    shots = page.evaluate(CJK_PROBE)
    assert len(set(shots)) == 3, "Chinese characters render as identical boxes: install fonts-noto-cjk"


def screenshot_of(page, css: str, name: str) -> Path:
    """A picture of one element (Voilà scrolls an inner container, so the viewport misses lower parts)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.locator(css).first.screenshot(path=str(path))
    return path


def pdf_page_count(page, name: str) -> int:
    """Print the page as Chromium does ("Save as PDF", A4) into tests/artifacts/<name>.pdf; its page count."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    page.emulate_media(media="print")
    payload = page.pdf(path=str(path), format="A4", print_background=True)
    page.emulate_media(media="screen")
    try:
        from pypdf import PdfReader
    except ImportError:
        import re

        return len(re.findall(rb"/Type\s*/Page(?![s\w])", payload))
    return len(PdfReader(str(path)).pages)


OVERFLOW_PROBE = """(css) => [...document.querySelectorAll(css)].map(el => {
  const cut = [];
  for (let e = el; e && e !== document.body; e = e.parentElement) {
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') cut.push(e.className);
  }
  const box = el.getBoundingClientRect();
  return {scroll: el.scrollWidth, client: el.clientWidth, right: box.right, viewport: window.innerWidth, cut};
})"""


def horizontal_overflow(page, css: str) -> list[dict]:
    """For each element matching `css`: its scrollWidth and clientWidth, its right edge against the viewport,
    and the classes of its ancestors that hide or scroll wider content."""
    return page.evaluate(OVERFLOW_PROBE, css)
