"""Project-level guards: a light `import leaderkit`, the CLI's bilingual help, small notebooks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leaderkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ["duckdb", "plotly", "ipywidgets", "scipy", "pyarrow", "openpyxl"]


def test_import_is_light():
    code = f"import sys, leaderkit; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_help_is_bilingual(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "企业标准“领跑者”工具包" in text and "enterprise standard leader system" in text
    assert "benchmark" in text


def test_cli_entry_point_installed():
    exe = Path(sys.executable).parent / "leaderkit"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "leaderkit" in out.stdout


@pytest.mark.parametrize("nb", sorted(p.relative_to(ROOT).as_posix() for p in
                                      [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("dashboards/*.ipynb")]))
def test_committed_notebooks_are_small(nb):
    path = ROOT / nb
    assert path.stat().st_size < 1_000_000, f"{nb} is {path.stat().st_size} bytes: strip widget state"
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert "widgets" not in meta, f"{nb} stores widget state"
