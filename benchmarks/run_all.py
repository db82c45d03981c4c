"""Run every benchmark in this folder (`make bench`), one after another, each printing its own ratios,
then one table of every floor the scripts printed (`floor: <what>: met|NOT met`) and how many are met.

    .venv/bin/python benchmarks/run_all.py            # full size (the national benchmark takes minutes,
                                                      # robustness 3–4: 20,000 and 50,000 standards)
                                                      # rank on one domain: 100,000 and 1,000,000 (--quick: 100,000)
    .venv/bin/python benchmarks/run_all.py --quick    # smaller inputs where a benchmark offers --quick/--n
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK_ARGS = {"bench_national.py": ["--n", "200000"], "bench_ranking.py": ["--quick"],
              "bench_parser.py": ["--n", "200000"], "bench_synth_national.py": ["--n", "200000"],
              "bench_robustness.py": ["--quick"]}  # 5,000 standards, no 50,000 size; full: 20,000 and 50,000
FLOOR = re.compile(r"^\s*floor: (?P<what>.+): (?P<verdict>met|NOT met)\s*$")


def floors(lines) -> list[tuple[str, bool]]:
    """The floor lines among a script's output: (what, met)."""
    return [(m["what"], m["verdict"] == "met") for m in map(FLOOR.match, lines) if m]


def run(script: Path, args: list[str]) -> tuple[int, list[str]]:
    """Run one script, its output shown as it comes and kept."""
    proc = subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, text=True, bufsize=1,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    return proc.wait(), lines


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    failed, table = [], []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        code, lines = run(script, QUICK_ARGS.get(script.name, []) if quick else [])
        table += [(script.name, what, ok) for what, ok in floors(lines)]
        if code != 0:
            failed.append(script.name)
    met = sum(ok for *_, ok in table)
    print(f"\n=== floors ({'quick' if quick else 'full size'}; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f} at the end) ===")
    width = max((len(name) for name, *_ in table), default=0)
    for name, what, ok in table:
        print(f"{'met' if ok else 'NOT met':<8} {name:<{width}}  {what}")
    print(f"{met} of {len(table)} floors met, {len(table) - met} not met")
    if failed:
        print(f"scripts that exited with an error or a floor not met: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
