"""Browser tests: a real Voilà server on a free loopback port, driven by Debian's headless Chromium.

Without /usr/bin/chromium these tests skip with a reason, except when LEADERKIT_REQUIRE_BROWSER=1
(set by .ci/run): then they fail, so CI never passes without running them.
Screenshots go to tests/artifacts/ (not committed) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("LEADERKIT_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"browser tests are required here but cannot run: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1500}, locale="zh-CN", accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.page_errors = errors
    yield pg
    context.close()
    assert not errors, f"page errors: {errors}"


