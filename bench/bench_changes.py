"""Changes benchmark: how long `python -m geo changes` takes, and in how much memory, as the store grows.

For each size, a store with a history is built in a folder outside the repository (ACLED's terms: no rows in
the repository) from resampled real ACLED rows (`bench_ingest.make_input`):

- batch 1: `size` events;
- batch 2: 1 % of them revised (a third each: fatalities + 1, date − 3 days, coordinates + 0.001°; a day's later
  ACLED timestamp) and 0.5 % more events (other resampled rows: mostly old dates, so backfilled);
- batch 3: a deletion list of 0.1 % of the events.

Then, each in a fresh process (imports excluded from the times, peak memory `VmHWM` of that process):
`compute_changes` (twice: cold, then warm; then once with the batch extents kept, as the pages keep them per
data version) with the default points (batch 3 against batch 2: deletions only), with `--since 1`
(revisions, additions and deletions), and with `--since 0` (every event new: the most a comparison can
hold), at admin 1 per year and admin 2 per month; and the wall time of the command line `changes --since 1
--json` (a fresh process, imports included). The real August 2020 export's two-vintage store of the tests is
measured too.

    .venv/bin/python bench/bench_changes.py                         # 100k and 1M events on SQLite
    .venv/bin/python bench/bench_changes.py --sizes 100000 --backends sqlite postgresql --workdir /tmp/atlas-changes --keep
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

DEFAULT_SIZES = (100_000, 1_000_000)
CASES = [("default", None, "admin1", "year"), ("since 1", "1", "admin1", "year"), ("since 1", "1", "admin2", "month"),
         ("since 0", "0", "admin1", "year")]


def child(url: str, since: str | None, level: str, period: str) -> None:
    """One measurement (in its own process): compute_changes, twice (cold, then warm caches)."""
    from bench_scale import process_mb

    from geo.boundaries import load_boundary_set
    from geo.changes import batch_extents, compute_changes
    from geo.store import Store

    store = Store(url)
    boundary_set = load_boundary_set(None)
    times = []
    for _ in range(2):
        start = time.perf_counter()
        report = compute_changes(store, boundary_set, since=since, level=level, period=period, revised_limit=200)
        times.append(time.perf_counter() - start)
    # As the pages do: the batch extents (the one scan of the events) kept per data version.
    extents = batch_extents(store, report.source)
    start = time.perf_counter()
    compute_changes(store, boundary_set, since=since, level=level, period=period, revised_limit=200, extents=extents)
    kept = time.perf_counter() - start
    print(json.dumps({"first_s": times[0], "second_s": times[1], "kept_s": kept, "peak_mb": process_mb()["peak"], "rows": len(report.rows),
                      **{k: report.totals[k] for k in ("new", "backfilled", "revised", "deleted")}}))


def run_child(args: list[str], env: dict) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ingest(path: Path, url: str, env: dict, *, deletions: bool = False) -> None:
    command = ["deletions", str(path), "--db", url] if deletions else ["ingest", str(path), "--db", url, "--json"]
    proc = subprocess.run([sys.executable, "-m", "geo", *command], cwd=REPO, env=env, capture_output=True, text=True, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])


def build_store(backend: str, size: int, workdir: Path, pg_url: str | None, env: dict) -> str:
    """A store of `size` events with three batches of history (reused when `workdir` already holds it)."""
    import numpy as np
    import pandas as pd
    from bench_ingest import REAL_ACLED, make_input

    marker = workdir / f"{backend}-{size}.done"
    if backend == "sqlite":
        url = f"sqlite:///{workdir / f'changes-{size}.sqlite'}"
    else:
        import sqlalchemy as sa

        name = f"atlas_bench_changes_{size}"
        admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not marker.exists():
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
        admin.dispose()
        url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    if marker.exists():
        return url
    base = workdir / f"base-{size}.csv"
    if not base.exists():
        make_input(REAL_ACLED, size, base, seed=20200803)
    if backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    print(f"  building a {size:,}-event history on {backend} …", flush=True)
    start = time.perf_counter()
    _ingest(base, url, env)
    with open(base, encoding="utf-8") as handle:
        header, hxl = handle.readline(), handle.readline()
    rows = pd.read_csv(base, skiprows=[1], dtype=str, keep_default_na=False)
    rng = np.random.default_rng(size)
    pick = rng.choice(len(rows), size=size // 100 + size // 1000, replace=False)
    revised = rows.iloc[pick[: size // 100]].copy()
    third = len(revised) // 3
    revised.iloc[:third, revised.columns.get_loc("fatalities")] = (revised["fatalities"].iloc[:third].astype(int) + 1).astype(str)
    dates = pd.to_datetime(revised["event_date"].iloc[third:2 * third]) - pd.Timedelta(days=3)
    revised.iloc[third:2 * third, revised.columns.get_loc("event_date")] = dates.dt.strftime("%Y-%m-%d").to_numpy()
    revised.iloc[third:2 * third, revised.columns.get_loc("year")] = dates.dt.year.astype(str).to_numpy()
    lon = revised["longitude"].iloc[2 * third:].astype(float) + 0.001
    revised.iloc[2 * third:, revised.columns.get_loc("longitude")] = [f"{v:.4f}" for v in lon]
    revised["timestamp"] = (revised["timestamp"].astype(int) + 86_400).astype(str)
    more = workdir / f"more-{size}.csv"
    make_input(REAL_ACLED, size // 200, more, seed=7)
    added = pd.read_csv(more, skiprows=[1], dtype=str, keep_default_na=False)
    added["event_id_cnty"] = [f"MORE{i:07d}" for i in range(len(added))]
    vintage2 = workdir / f"vintage2-{size}.csv"
    with open(vintage2, "w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        handle.write(hxl)
    pd.concat([revised, added]).to_csv(vintage2, mode="a", header=False, index=False, lineterminator="\r\n")
    _ingest(vintage2, url, env)
    deleted = workdir / f"deleted-{size}.csv"
    deleted.write_text("event_id_cnty\n" + "\n".join(rows["event_id_cnty"].iloc[pick[size // 100:]]) + "\n")
    _ingest(deleted, url, env, deletions=True)
    print(f"    built in {time.perf_counter() - start:.1f} s", flush=True)
    marker.write_text(url)
    return url


def real_store(workdir: Path, env: dict) -> str:
    """The tests' two vintages of the real export, with a deletion batch."""
    import pandas as pd
    import vintage_scenario as vs

    from geo.boundaries import load_boundary_set
    from geo.places import compute_units

    url = f"sqlite:///{workdir / 'real-vintages.sqlite'}"
    if (workdir / "real.done").exists():
        return url
    boundary_set = load_boundary_set(None)

    def units_of(points):
        frame = pd.DataFrame({"longitude": [p[0] for p in points], "latitude": [p[1] for p in points],
                              "max_admin_level": 2, "country_iso3": ""})
        placed = compute_units(frame, boundary_set, tolerance_m=5000)
        return list(zip(placed["admin1_code"], placed["admin2_code"]))

    from bench_ingest import REAL_ACLED

    folder = workdir / "real"
    folder.mkdir(exist_ok=True)
    scenario = vs.build(REAL_ACLED, folder, units_of)
    _ingest(scenario.v1, url, env)
    _ingest(scenario.v2, url, env)
    _ingest(scenario.deletions, url, env, deletions=True)
    (workdir / "real.done").write_text(url)
    return url


def measure(label: str, url: str, env: dict) -> list[dict]:
    results = []
    for name, since, level, period in CASES:
        out = run_child([url, since or "-", level, period], env)
        out.update(store=label, case=f"{name}, {level}/{period}")
        results.append(out)
        print(f"  {label:<22} {out['case']:<28} first {out['first_s']:6.2f} s  again {out['second_s']:6.2f} s  "
              f"extents kept {out['kept_s']:5.2f} s  "
              f"peak {out['peak_mb']:6.0f} MB  rows {out['rows']:>6,}  new {out['new']:>9,}  backfilled {out['backfilled']:>7,}  "
              f"revised {out['revised']:>6,}  deleted {out['deleted']:>5,}", flush=True)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "geo", "changes", "--db", url, "--since", "1", "--json"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    print(f"  {label:<22} python -m geo changes --since 1 --json: {wall:.2f} s wall (a fresh process, imports included)")
    results.append({"store": label, "case": "cli --since 1", "wall_s": wall})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=4, metavar=("URL", "SINCE", "LEVEL", "PERIOD"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", nargs="+", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=os.environ.get("ATLAS_TEST_PG_URL"))
    parser.add_argument("--workdir", type=Path, help="folder for inputs and stores (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the workdir (reuse its stores next time)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if args.child:
        url, since, level, period = args.child
        child(url, None if since == "-" else since, level, period)
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="atlas-changes-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ATLAS_HOME": str(workdir / "home"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ATLAS_DB_URL", None)
    results = []
    try:
        print("real export, two vintages and a deletion batch (8,069 events):", flush=True)
        results += measure("real (8k)", real_store(workdir, env), env)
        for backend in args.backends:
            if backend == "postgresql" and not args.pg_url:
                print("postgresql: skipped (no --pg-url / ATLAS_TEST_PG_URL)")
                continue
            for size in args.sizes:
                url = build_store(backend, size, workdir, args.pg_url, env)
                results += measure(f"{backend} {size:,}", url, env)
    finally:
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
