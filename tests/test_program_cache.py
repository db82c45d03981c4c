"""Programme profiles are read once per version of their files: the same object while nothing changed, the
new values as soon as a profile or the profile it extends changes on disk."""

from __future__ import annotations

import os

from leaderkit.schemes.programs import load_program

PARENT = """name: parent-test
title: 测试活动
documents: ["001"]
extends: national
publicity_working_days: 10
"""
CHILD = """name: child-test
title: 子活动
documents: ["001"]
extends: {parent}
min_experts: 7
"""


def bump(path, text):
    """Rewrite a file with a later modification time (file systems with coarse clocks would hide it)."""
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_a_profile_is_read_again_only_when_it_changes(tmp_path):
    parent = tmp_path / "parent.yaml"
    child = tmp_path / "child.yaml"
    parent.write_text(PARENT, encoding="utf-8")
    child.write_text(CHILD.format(parent=parent), encoding="utf-8")
    first = load_program(child)
    assert load_program(child) is first and first.min_experts == 7 and first.publicity_working_days == 10
    bump(parent, PARENT.replace("publicity_working_days: 10", "publicity_working_days: 12"))
    second = load_program(child)
    assert second is not first and second.publicity_working_days == 12
    bump(child, CHILD.format(parent=parent).replace("min_experts: 7", "min_experts: 9"))
    assert load_program(child).min_experts == 9
    assert load_program("national") is load_program("national")
