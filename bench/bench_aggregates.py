"""Benchmark of ACLED's public aggregates (acled-hdx): ingest of a table for three countries and its aggregation.

Run it from the repository root with the project's interpreter::

    .venv/bin/python bench/bench_aggregates.py            # 165 units × 352 months (58,080 rows), 3 runs
    .venv/bin/python bench/bench_aggregates.py --runs 5 --json /tmp/bench-aggregates.json
    .venv/bin/python bench/bench_aggregates.py --db postgresql+psycopg2://...  # a fresh schema there instead

Input. A table in HDX HAPI's `conflict_event` layout (UTF-8 with a byte-order mark, CRLF) for Mali, Burkina Faso and
Niger: every admin-2 unit of the default boundary set (165: 53 cercles, 45 provinces with their OCHA p-codes, 67
départements) × 352 months (January 1997 to April 2026), political violence, with invented figures (Poisson events,
fatalities 0–3 per event; seeded). Nothing of ACLED's is in it: it is made from the shipped boundary set only, in a
temporary folder outside the repository, deleted at the end.

What is measured, each run in a fresh SQLite store (time.perf_counter around the work; imports excluded):

- **ingest**: `geo.ingest.ingest_files([table], store)`: read and check every row, match the 165 units by code,
  classify against the store, write the unit-months and their summary in every shipped boundary set (the
  place sets of the empty store are made first, as for any first batch);
- **ingest again**: the same table a second time (every unit-month unchanged: nothing written);
- **aggregate**: `geo.aggregate.aggregate_store` of the store, admin 1 by year, admin 2 by year, and admin 2 by month
  (the largest table: 165 × 352 rows), for `--source acled-hdx --indicator political-violence`;
- **aggregate (command)**: `python -m geo aggregate --source acled-hdx --indicator political-violence --level admin2
  --period year` in a fresh process, imports included.

Targets (issue 17): ingest ≤ 5 s, aggregate ≤ 0.5 s. The machine's load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

HEADER = ("location_code,has_hrp,in_gho,provider_admin1_name,provider_admin2_name,admin1_code,admin1_name,admin2_code,"
          "admin2_name,admin_level,event_type,events,fatalities,reference_period_start,reference_period_end,dataset_hdx_id,"
          "resource_hdx_id,warning,error")
MONTHS = 352  # January 1997 – April 2026
TARGET_INGEST_S = 5.0
TARGET_AGGREGATE_S = 0.5


def make_table(path: Path, *, months: int = MONTHS, seed: int = 17) -> int:
    """Write the benchmark's table (HAPI layout) for every admin-2 unit of the default set; returns its rows."""
    import numpy as np
    import pandas as pd

    from geo.boundaries import load_boundary_set

    default = load_boundary_set("ocha-geoboundaries")
    admin2 = default.units("admin2")
    admin1 = default.units("admin1").set_index("unit_code")
    units = pd.DataFrame({
        "country": admin2["country_iso3"],
        "a2_code": admin2["other_codes"].where(admin2["other_codes"] != "", admin2["unit_code"]),
        "a2_name": admin2["unit_name"],
        "a1_code": admin2["parent_code"].map(lambda c: admin1.loc[c, "other_codes"] or c),
        "a1_name": admin2["parent_name"],
    })
    starts = pd.date_range("1997-01-01", periods=months, freq="MS")
    grid = units.merge(pd.DataFrame({"start": starts}), how="cross")
    rng = np.random.default_rng(seed)
    events = rng.poisson(0.8, len(grid))
    fatalities = np.array([rng.integers(0, 4 * e + 1) if e else 0 for e in events])
    table = pd.DataFrame({
        "location_code": grid["country"], "has_hrp": "Y", "in_gho": "Y", "provider_admin1_name": grid["a1_name"],
        "provider_admin2_name": grid["a2_name"], "admin1_code": grid["a1_code"], "admin1_name": grid["a1_name"],
        "admin2_code": grid["a2_code"], "admin2_name": grid["a2_name"], "admin_level": 2, "event_type": "political_violence",
        "events": events, "fatalities": fatalities, "reference_period_start": grid["start"].dt.strftime("%Y-%m-%d"),
        "reference_period_end": (grid["start"] + pd.offsets.MonthEnd(0)).dt.strftime("%Y-%m-%d"),
        "dataset_hdx_id": "bench", "resource_hdx_id": "bench", "warning": "", "error": "",
    })
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        table.to_csv(handle, index=False, lineterminator="\r\n")
    return len(table)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_once(table: Path, workdir: Path, run: int, db: str | None) -> dict:
    from geo.aggregate import Filters, aggregate_store
    from geo.boundaries import load_boundary_set
    from geo.ingest import ingest_files
    from geo.store import Store

    url = db or f"sqlite:///{workdir / f'bench-{run}.sqlite'}"
    store = Store(url)
    started = time.perf_counter()
    report = ingest_files([table], store)
    ingest = time.perf_counter() - started
    assert report.counts.new == report.counts.rows_read and report.tables["units_matched"] == 165, report.as_json()
    started = time.perf_counter()
    again = ingest_files([table], store)
    ingest_again = time.perf_counter() - started
    assert again.counts.duplicates == again.counts.rows_read
    default = load_boundary_set("ocha-geoboundaries")
    filters = Filters(sources=("acled-hdx",), indicator="political-violence")
    times = {}
    for level, period in (("admin1", "year"), ("admin2", "year"), ("admin2", "month")):
        best = []
        for _ in range(3):
            started = time.perf_counter()
            figures = aggregate_store(store, default, level=level, period=period, filters=filters)
            best.append(time.perf_counter() - started)
        times[f"{level}/{period}"] = min(best)
        assert int(figures["events"].sum()) == int(pd_sum(table))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "geo", "aggregate", "--db", url, "--source", "acled-hdx", "--indicator",
                    "political-violence", "--level", "admin2", "--period", "year", "--out", str(workdir / "out.csv")],
                   cwd=REPO, check=True, capture_output=True, env=env)
    command = time.perf_counter() - started
    store.dispose()
    return {"ingest_s": ingest, "ingest_again_s": ingest_again, "aggregate_s": times, "command_s": command,
            "rows": report.counts.rows_read}


_SUMS: dict[str, int] = {}


def pd_sum(table: Path) -> int:
    if str(table) not in _SUMS:
        import pandas as pd

        _SUMS[str(table)] = int(pd.read_csv(table, encoding="utf-8-sig", usecols=["events"])["events"].sum())
    return _SUMS[str(table)]


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of ACLED's aggregates (see the module docstring).")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--months", type=int, default=MONTHS)
    parser.add_argument("--db", help="a store URL to use instead of fresh SQLite files (it must be empty)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-bench-aggregates-") as folder:
        workdir = Path(folder)
        os.environ.setdefault("ATLAS_HOME", str(workdir / "home"))
        table = workdir / "conflict_event_mli_bfa_ner_political_violence.csv"
        rows = make_table(table, months=args.months)
        print(f"table: {rows:,} rows (165 units × {args.months} months), {table.stat().st_size / 1e6:.1f} MB; "
              f"load average before: {load_average()}")
        results = [run_once(table, workdir, run, args.db if run == 0 else None) for run in range(args.runs)]
    ingest = [r["ingest_s"] for r in results]
    again = [r["ingest_again_s"] for r in results]
    aggregates = {key: [r["aggregate_s"][key] for r in results] for key in results[0]["aggregate_s"]}
    command = [r["command_s"] for r in results]
    print(f"ingest:        median {statistics.median(ingest):.2f} s (runs {', '.join(f'{t:.2f}' for t in ingest)}); "
          f"target ≤ {TARGET_INGEST_S:g} s: {'met' if statistics.median(ingest) <= TARGET_INGEST_S else 'NOT met'}; "
          f"{rows / statistics.median(ingest):,.0f} rows/s")
    print(f"ingest again:  median {statistics.median(again):.2f} s (every unit-month unchanged)")
    for key, values in aggregates.items():
        print(f"aggregate {key:<13} median {statistics.median(values):.3f} s (best of 3 per run); target ≤ "
              f"{TARGET_AGGREGATE_S:g} s: {'met' if statistics.median(values) <= TARGET_AGGREGATE_S else 'NOT met'}")
    print(f"aggregate command (fresh process, admin2/year): median {statistics.median(command):.2f} s")
    print(f"load average after: {load_average()} ({os.cpu_count()} cores)")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "runs": results, "load_average": load_average()}, indent=2))


if __name__ == "__main__":
    main()
