"""National-scale benchmarking: leaderkit.benchmark vs one hand-written DuckDB query vs plain pandas.

    .venv/bin/python benchmarks/bench_national.py            # 3.2 M standards (~25 M indicator rows)
    .venv/bin/python benchmarks/bench_national.py --n 200000 # a quicker run

The synthetic Parquet file is generated on demand (seeded) under benchmarks/data/ and reused.
Each contender runs in its own fresh Python process, so wall time includes everything it needs
(reading, parsing, joining, aggregating) and peak memory is that process's maximum resident size.
The task: every indicator of every standard against its national and industry baselines, each
standard's verdict, and the adoption rate by domain and year.

- leaderkit: `benchmark(parquet, baselines).adoption(by=["domain", "year"])`, texts parsed in the run.
- duckdb-sql: one hand-written SQL query doing the same comparisons. It is handed the parsed limits of
  every unique requirement text for free (parsing is not timed), so it is the floor for this engine.
- pandas: read the Parquet, map the parsed limits, merge the baselines, compare with numpy, group by.
Targets (issue 2): leaderkit ≤ 2× duckdb-sql and ≥ 5× faster than pandas; peak memory ≤ 4 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

LEADERKIT = r"""
import sys, time, json
t0 = time.perf_counter()
import leaderkit as lk
bm = lk.benchmark(sys.argv[1], sys.argv[2])
table = bm.adoption(by=["domain", "year"])
import resource
print(json.dumps({"seconds": time.perf_counter() - t0, "groups": len(table),
                  "stricter": int(table["stricter"].sum()), "n": int(table["n"].sum()),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PARSED = r"""
def parsed_tables(con, parquet, baselines_path):
    from leaderkit.standards.loading import load_baselines
    from leaderkit.limits.requirements import parse_many
    keys = con.sql(f"SELECT DISTINCT requirement, coalesce(unit, '') AS unit FROM read_parquet('{parquet}')").df()
    p = parse_many(keys["requirement"].tolist(), unit=keys["unit"].replace("", None).tolist())
    p = p[["kind", "lower", "upper", "lower_inclusive", "upper_inclusive", "dimension", "factor"]]
    p.insert(0, "key_unit", keys["unit"].to_numpy())
    p.insert(0, "key", keys["requirement"].to_numpy())
    b = load_baselines(baselines_path)
    pb = parse_many(b["requirement"].tolist(), unit=b["unit"].tolist() if "unit" in b else None)
    for c in ("kind", "lower", "upper", "lower_inclusive", "upper_inclusive", "dimension", "factor"):
        b["b_" + c] = pb[c].to_numpy()
    b = b[["domain", "indicator", "level", "mandatory", "direction", "b_kind", "b_dimension", "b_factor",
           "b_lower", "b_upper", "b_lower_inclusive", "b_upper_inclusive"]].astype(object)
    b["direction"] = b["direction"].where(b["direction"].isin(["lower", "higher"]), None)
    for c in ("b_factor", "b_lower", "b_upper"):
        b[c] = b[c].astype(float)
    return p, b
"""

DUCKDB_SQL = PARSED + r"""
import sys, time, json
import duckdb
parquet, baselines_path = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET memory_limit='4GB'"); con.execute("SET preserve_insertion_order=false")
p, b = parsed_tables(con, parquet, baselines_path)
con.register("p", p); con.register("b", b)
t0 = time.perf_counter()
table = con.sql(f'''
WITH pairs AS (
  SELECT s.standard_id, b.level, b.mandatory, b.direction,
         p.kind = 'numeric' AND b.b_kind = 'numeric' AND (p.dimension IS NOT DISTINCT FROM b.b_dimension
           OR p.dimension IS NULL OR b.b_dimension IS NULL) AS ok,
         p.lower * CASE WHEN p.dimension IS NULL THEN b.b_factor ELSE p.factor END AS el,
         p.upper * CASE WHEN p.dimension IS NULL THEN b.b_factor ELSE p.factor END AS eu,
         p.lower_inclusive AS eli, p.upper_inclusive AS eui,
         b.b_lower * CASE WHEN b.b_dimension IS NULL THEN p.factor ELSE b.b_factor END AS bl,
         b.b_upper * CASE WHEN b.b_dimension IS NULL THEN p.factor ELSE b.b_factor END AS bu,
         b.b_lower_inclusive AS bli, b.b_upper_inclusive AS bui
  FROM read_parquet('{parquet}') s JOIN p ON p.key = s.requirement AND p.key_unit = coalesce(s.unit, '')
  JOIN b ON b.domain = s.domain AND b.indicator = s.indicator),
cmp AS (
  SELECT *,
    CASE WHEN el IS NULL AND bl IS NULL THEN 0 WHEN el IS NULL THEN -1 WHEN bl IS NULL THEN 1
         WHEN abs(el - bl) <= 1e-9 * greatest(abs(el), abs(bl)) THEN (CASE WHEN eli = bli THEN 0 WHEN bli THEN 1 ELSE -1 END)
         WHEN el > bl THEN 1 ELSE -1 END AS lo,
    CASE WHEN eu IS NULL AND bu IS NULL THEN 0 WHEN eu IS NULL THEN -1 WHEN bu IS NULL THEN 1
         WHEN abs(eu - bu) <= 1e-9 * greatest(abs(eu), abs(bu)) THEN (CASE WHEN eui = bui THEN 0 WHEN bui THEN 1 ELSE -1 END)
         WHEN eu < bu THEN 1 ELSE -1 END AS hi
  FROM pairs),
v AS (
  SELECT standard_id, level, mandatory,
    CASE WHEN NOT ok THEN 'nc'
         WHEN direction = 'lower' AND NOT (eu IS NULL AND bu IS NULL) THEN (CASE hi WHEN 1 THEN 's' WHEN 0 THEN 'e' ELSE 'l' END)
         WHEN direction = 'higher' AND NOT (el IS NULL AND bl IS NULL) THEN (CASE lo WHEN 1 THEN 's' WHEN 0 THEN 'e' ELSE 'l' END)
         WHEN lo = 0 AND hi = 0 THEN 'e' WHEN lo >= 0 AND hi >= 0 THEN 's' WHEN lo <= 0 AND hi <= 0 THEN 'l' ELSE 'nc' END AS verdict
  FROM cmp),
lvl AS (
  SELECT standard_id, level, CASE WHEN bool_or(verdict = 'l') THEN 'l' WHEN bool_or(verdict = 's') THEN 's'
                                  WHEN bool_or(verdict = 'e') THEN 'e' ELSE 'nc' END AS verdict
  FROM v GROUP BY standard_id, level),
st AS (
  SELECT standard_id, bool_and(verdict = 's') AS stricter FROM lvl GROUP BY standard_id),
std AS (SELECT standard_id, any_value(domain) AS domain, any_value(year) AS year
        FROM read_parquet('{parquet}') GROUP BY standard_id)
SELECT domain, year, count(*) AS n, count(*) FILTER (coalesce(st.stricter, false)) AS stricter
FROM std LEFT JOIN st USING (standard_id) GROUP BY domain, year ORDER BY domain, year''').df()
import resource
print(json.dumps({"seconds": time.perf_counter() - t0, "groups": len(table),
                  "stricter": int(table["stricter"].sum()), "n": int(table["n"].sum()),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PANDAS = PARSED + r"""
import sys, time, json
import duckdb, numpy as np, pandas as pd
parquet, baselines_path = sys.argv[1], sys.argv[2]
p, b = parsed_tables(duckdb.connect(), parquet, baselines_path)
t0 = time.perf_counter()
s = pd.read_parquet(parquet, columns=["standard_id", "domain", "year", "indicator", "requirement", "unit"])
s["key_unit"] = s["unit"].fillna("")
s = s.merge(p.rename(columns={"key": "requirement"}), on=["requirement", "key_unit"], how="left")
m = s.merge(b, on=["domain", "indicator"], how="inner")
e_dim_na, b_dim_na = m["dimension"].isna().to_numpy(), m["b_dimension"].isna().to_numpy()
e_fac = np.where(e_dim_na, m["b_factor"], m["factor"]).astype(float)
b_fac = np.where(b_dim_na, m["factor"], m["b_factor"]).astype(float)
m["base_lower"], m["base_upper"] = m["lower"].astype(float) * e_fac, m["upper"].astype(float) * e_fac
m["b_base_lower"], m["b_base_upper"] = m["b_lower"] * b_fac, m["b_upper"] * b_fac
def side(e, ei, bb, bi, lower):
    e = e.astype(float).to_numpy(); bb = bb.astype(float).to_numpy()
    ei = ei.astype(bool).to_numpy(); bi = bi.astype(bool).to_numpy()
    out = np.where(e > bb, 1, -1) if lower else np.where(e < bb, 1, -1)
    close = np.abs(e - bb) <= 1e-9 * np.maximum(np.abs(e), np.abs(bb))
    out = np.where(close, np.where(ei == bi, 0, np.where(bi, 1, -1)), out)
    en, bn = np.isnan(e), np.isnan(bb)
    out = np.where(en & bn, 0, np.where(en, -1, np.where(bn, 1, out)))
    return out
lo = side(m["base_lower"], m["lower_inclusive"], m["b_base_lower"], m["b_lower_inclusive"], True)
hi = side(m["base_upper"], m["upper_inclusive"], m["b_base_upper"], m["b_upper_inclusive"], False)
ok = ((m["kind"] == "numeric") & (m["b_kind"] == "numeric")).to_numpy() & (
    (m["dimension"] == m["b_dimension"]).fillna(False).to_numpy() | e_dim_na | b_dim_na)
d = m["direction"].to_numpy(object)
both_u = m["base_upper"].isna().to_numpy() & m["b_base_upper"].isna().to_numpy()
both_l = m["base_lower"].isna().to_numpy() & m["b_base_lower"].isna().to_numpy()
tri = lambda x: np.select([x == 1, x == 0], ["s", "e"], "l")
cont = np.select([(lo == 0) & (hi == 0), (lo >= 0) & (hi >= 0), (lo <= 0) & (hi <= 0)], ["e", "s", "l"], "nc")
verdict = np.where(~ok, "nc", np.where((d == "lower") & ~both_u, tri(hi), np.where((d == "higher") & ~both_l, tri(lo), cont)))
m = pd.DataFrame({"standard_id": m["standard_id"].to_numpy(), "level": m["level"].to_numpy(), "verdict": verdict})
rank = m["verdict"].map({"l": 3, "s": 2, "e": 1, "nc": 0})
lvl = m.assign(r=rank).groupby(["standard_id", "level"], observed=True)["r"].max().reset_index()
st = lvl.assign(s=lvl["r"] == 2).groupby("standard_id")["s"].all()
std = s.groupby("standard_id").agg(domain=("domain", "first"), year=("year", "first"))
std["stricter"] = st.reindex(std.index).fillna(False).astype(bool)
table = std.groupby(["domain", "year"]).agg(n=("stricter", "size"), stricter=("stricter", "sum")).reset_index()
import resource
print(json.dumps({"seconds": time.perf_counter() - t0, "groups": len(table),
                  "stricter": int(table["stricter"].sum()), "n": int(table["n"].sum()),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict:
    """Run one contender in a fresh interpreter; wall time from outside, peak RSS as the child saw it."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"contender failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3_200_000, help="number of standards (default 3.2 M)")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--skip-pandas", action="store_true", help="leave out the pandas contender")
    args = ap.parse_args()

    from leaderkit.synth.generators import make_national

    DATA.mkdir(parents=True, exist_ok=True)
    parquet = DATA / f"national_{args.n}_{args.seed}.parquet"
    if not parquet.exists():
        t0 = time.perf_counter()
        make_national(parquet, n_standards=args.n, seed=args.seed)
        print(f"generated {parquet.name} in {time.perf_counter() - t0:.1f} s")
    baselines = Path(str(parquet).replace(".parquet", "_baselines.parquet"))
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(parquet).metadata.num_rows
    print(f"data: {args.n:,} standards, {rows:,} indicator rows, {parquet.stat().st_size / 2**20:.0f} MiB Parquet")

    results = {"leaderkit": run(LEADERKIT, str(parquet), str(baselines)),
               "duckdb-sql": run(DUCKDB_SQL, str(parquet), str(baselines))}
    if not args.skip_pandas:
        results["pandas"] = run(PANDAS, str(parquet), str(baselines))
    print(f"{'contender':<12} {'wall s':>8} {'timed s':>8} {'peak MB':>8} {'groups':>7} {'stricter':>10} {'n':>10}")
    for name, r in results.items():
        print(f"{name:<12} {r['wall']:8.2f} {r['seconds']:8.2f} {r['peak_mb']:8.0f} {r['groups']:7d} "
              f"{r['stricter']:10d} {r['n']:10d}")
    lk, sql = results["leaderkit"], results["duckdb-sql"]
    agree = lk["stricter"] == sql["stricter"] and lk["n"] == sql["n"]
    print(f"leaderkit / duckdb-sql (timed part): {lk['seconds'] / sql['seconds']:.2f}x  (target ≤ 2x)")
    if "pandas" in results:
        pd_ = results["pandas"]
        agree = agree and pd_["stricter"] == lk["stricter"]
        print(f"pandas / leaderkit (timed part):     {pd_['seconds'] / lk['seconds']:.2f}x  (target ≥ 5x)")
    print(f"leaderkit peak memory: {lk['peak_mb'] / 1024:.2f} GB (aim ≤ 4 GB)")
    print("all contenders agree on the counts" if agree else "CONTENDERS DISAGREE on the counts")


if __name__ == "__main__":
    main()
