"""Hostile and broken scheme files: each is refused with one sentence naming the file and the line, in
`Scheme.load`, `validate` and `rank` alike; bounds are checked before anything is built."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from leaderkit import Scheme, SchemeError, load_program, rank, validate
from leaderkit._kit.yamlfile import LIMITS
from leaderkit.schemes.programs import ProgramError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "schemes" / "washing_machines_a.yaml"
BASE = SAMPLE.read_text(encoding="utf-8")
WEIGHT = re.search(r"weight: [0-9.]+", BASE).group(0)
WEIGHT_LINE = BASE[:BASE.index(WEIGHT)].count("\n") + 1


def variant(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def alias_bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return BASE + "\n" + "\n".join(lines) + "\n"


CASES = {
    # name: (text, what the message must contain)
    "nan weight": (BASE.replace(WEIGHT, "weight: .nan", 1), f"第 {WEIGHT_LINE} 行"),
    "infinite weight": (BASE.replace(WEIGHT, "weight: -.inf", 1), "有限数"),
    "absurd weight": (BASE.replace(WEIGHT, "weight: 1e300", 1), f"line {WEIGHT_LINE}"),
    "5000-digit integer": (BASE.replace(WEIGHT, "weight: " + "9" * 5000, 1), f"line {WEIGHT_LINE}"),
    "duplicate key": (BASE.replace("\ndomain:", "\ntitle: 重复的标题\ndomain:", 1), "重复"),
    "impossible date": (re.sub(r"\d{4}-\d{2}-\d{2}", "2023-02-30", BASE, count=1), "2023-02-30"),
    "deep nesting": (BASE + "\nnote: " + "[" * 3000 + "]" * 3000 + "\n", "LEADERKIT_YAML_MAX_DEPTH"),
    "alias bomb": (alias_bomb(), "LEADERKIT_YAML_MAX_NODES"),
    "huge file": (BASE + "\n#" + "x" * (LIMITS["bytes"] + 10) + "\n", "LEADERKIT_YAML_MAX_BYTES"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_scheme_is_one_clear_error_in_load_validate_and_rank(case, tmp_path):
    text, needle = CASES[case]
    path = variant(tmp_path, "s", text)
    before = path.read_bytes()
    messages = []
    for call in (lambda: Scheme.load(path), lambda: validate(path, "national"),
                 lambda: rank(Scheme.load(path), ROOT / "sample_data" / "standards.csv")):
        with pytest.raises(SchemeError) as err:
            call()
        messages.append(str(err.value))
    assert all(needle in m and str(path) in m for m in messages), messages[0]
    assert len(set(messages)) == 1  # validate fails exactly as rank does
    assert path.read_bytes() == before


def test_the_duplicate_key_names_both_lines(tmp_path):
    text = BASE.replace("\ndomain:", "\ntitle: 重复的标题\ndomain:", 1)
    first = BASE[:BASE.index("\ntitle:")].count("\n") + 2
    second = text[:text.index("title: 重复的标题")].count("\n") + 1
    with pytest.raises(SchemeError, match=f"第 {first} 行和第 {second} 行"):
        Scheme.load(variant(tmp_path, "dup", text))


def test_an_alias_bomb_is_refused_quickly_and_small():
    code = ("import resource, time, sys\n"
            "from leaderkit import Scheme, SchemeError\n"
            f"text = {alias_bomb(12)!r}\n"
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "t = time.perf_counter()\n"
            "try:\n    Scheme.loads(text)\nexcept SchemeError:\n    pass\n"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    seconds, grown_kb = out.stdout.split()
    assert float(seconds) < 5 and int(grown_kb) < 50_000  # 9**12 nodes if expanded


def test_a_limit_can_be_raised_by_its_environment_variable(tmp_path, monkeypatch):
    path = variant(tmp_path, "deep", BASE + "\nnote: " + "[" * 45 + "]" * 45 + "\n")
    with pytest.raises(SchemeError, match="LEADERKIT_YAML_MAX_DEPTH"):
        Scheme.load(path)
    monkeypatch.setenv("LEADERKIT_YAML_MAX_DEPTH", "60")
    with pytest.raises(SchemeError, match="note"):  # past the guard: now the format says `note` must be text
        Scheme.load(path)


def test_a_programme_profile_gets_the_same_guards(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("name: p\ntitle: 示例\nextends: national\nmin_experts: 5\nmin_experts: 7\n", encoding="utf-8")
    with pytest.raises(ProgramError, match="min_experts.*第 4 行和第 5 行"):
        load_program(profile)
