"""Printing an HTML page to PDF with headless Chromium (Debian's `chromium`), atomically.

One place for the command line, the waiting for a page's scripts (charts drawn before printing) and the
errors, used by the panel session's meeting record and the leadership brief.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from leaderkit._kit.files import atomic_path
from leaderkit._kit.i18n import LeaderkitError, Text

CHROMIUM = "/usr/bin/chromium"


class PrintError(LeaderkitError, RuntimeError):
    """Chromium is missing or did not print the page (无法打印 PDF)."""


def print_pdf(page: Path, path, *, chromium: str = CHROMIUM, timeout: float = 120, wait_ms: int = 0,
              error: type[LeaderkitError] = PrintError, instead: Text | None = None) -> Path:
    """Print the HTML file `page` to the PDF `path` (A4 as the page's @page rule says; no header or footer).
    `wait_ms` lets the page's scripts run that long in virtual time first (charts drawn by JavaScript).
    Written atomically: a failed print leaves an existing `path` as it was. Raises `error` (with `instead`,
    what to do otherwise, in the hint) when Chromium is missing, fails or takes longer than `timeout` s."""
    other = instead or Text("改用 HTML 文件", "use the HTML file")
    if not Path(chromium).exists():
        raise error(f"找不到 Chromium：{chromium}", f"Chromium not found at {chromium}",
                    hint=Text(f"安装 Debian 软件包 chromium 与 fonts-noto-cjk，或{other.zh}",
                              f"install the Debian packages chromium and fonts-noto-cjk, or {other.en}"))
    with tempfile.TemporaryDirectory(prefix="leaderkit-print-") as work, atomic_path(path, suffix=".pdf") as tmp:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={Path(work) / 'profile'}", "--no-pdf-header-footer",
               *([f"--virtual-time-budget={int(wait_ms)}"] if wait_ms else []),
               f"--print-to-pdf={tmp}", Path(page).resolve().as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            done = None
        if done is None or done.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            detail = "timeout" if done is None else (done.stderr.strip().splitlines() or ["?"])[-1]
            raise error(f"Chromium 未能打印 PDF：{detail}", f"Chromium did not print the PDF: {detail}",
                        where=str(path), hint=Text(f"{other.zh}，或检查 Chromium 能否启动",
                                                   f"{other.en}, or check that Chromium starts"))
    return Path(path).expanduser()
