"""Run every benchmark in this folder (`make bench`), one after another, each printing its own ratios.

    .venv/bin/python benchmarks/run_all.py            # full size (the national benchmark takes minutes,
                                                      # robustness 3–4: 20,000 and 50,000 standards)
                                                      # rank on one domain: 100,000 and 1,000,000 (--quick: 100,000)
    .venv/bin/python benchmarks/run_all.py --quick    # smaller inputs where a benchmark offers --quick/--n
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK_ARGS = {"bench_national.py": ["--n", "200000"], "bench_ranking.py": ["--quick"],
              "bench_parser.py": ["--n", "200000"], "bench_synth_national.py": ["--n", "200000"],
              "bench_robustness.py": ["--quick"]}  # 5,000 standards, no 50,000 size; full: 20,000 and 50,000


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        args = QUICK_ARGS.get(script.name, []) if quick else []
        if subprocess.run([sys.executable, str(script), *args]).returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
