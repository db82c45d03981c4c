"""Shared test setup: every test starts in the library language it found (a test that runs the CLI with
`--lang en`, or calls `set_language`, does not leak English into the tests after it)."""

from __future__ import annotations

import pytest

from leaderkit._kit.i18n import get_language, set_language


@pytest.fixture(autouse=True)
def _keep_the_library_language():
    before = get_language()
    yield
    set_language(before)
