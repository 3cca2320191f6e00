"""Scale benchmark: does viewing cost the same whatever the store holds?

For stores of 10k, 100k and 1M events, on SQLite and on PostgreSQL, it measures:

- ``python -m geo aggregate``, ``aggregate --ranges``, ``borders`` and ``mass-casualty``: wall time of the command (a
  fresh process, imports included; the median of ``--cli-runs`` runs), time inside it, and peak memory; and the ratio of
  ``aggregate --ranges`` to plain ``aggregate`` (target ≤ 2× at 1M events, at admin 1 and admin 2);
- the Map, Trends, Borders and Civilians pages under Streamlit's AppTest (the script a server runs, no browser), each in
  a fresh process: the first load, and the median of warm reruns after changing the year; peak memory of
  that process (a server's memory for the page);
- under a real ``streamlit run`` server driven by Debian's Chromium: the bytes each page sends to the browser
  over its websocket, on first load and on a year change; and the server process's memory after all pages.

Inputs are made like ``bench/bench_ingest.py``'s (resampled real ACLED rows with jittered coordinates and
fresh ids), in a folder outside the repository (ACLED's terms: no rows in the repository), and ingested with
``python -m geo ingest``. Targets at 1M events: aggregate ≤ 2 s and ≤ 500 MB; each page's first load
≤ 3 s, warm rerun ≤ 250 ms; payload ≤ 1 MB; server memory ≤ 600 MB; viewing cost at 1M ≤ 3× at 10k.

    .venv/bin/python bench/bench_scale.py                                  # everything (long: ~30 min)
    .venv/bin/python bench/bench_scale.py --sizes 10000 100000 --backends sqlite --no-browser
    .venv/bin/python bench/bench_scale.py --workdir /tmp/atlas-scale --keep  # reuse the stores next time

PostgreSQL: ``--pg-url postgresql+psycopg2://USER:PASS@HOST/DB`` (default: ``ATLAS_TEST_PG_URL``); the
benchmark creates and drops its own databases ``atlas_bench_<size>`` on that server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
PAGES = {"map": "pages/map.py", "trends": "pages/trends.py", "borders": "pages/borders.py", "civilians": "pages/civilians.py"}
#: The commands timed: their name in the results, and their arguments.
COMMANDS = {
    "aggregate": ["aggregate"], "aggregate-ranges": ["aggregate", "--ranges"],
    "aggregate-admin2": ["aggregate", "--level", "admin2"], "aggregate-admin2-ranges": ["aggregate", "--level", "admin2", "--ranges"],
    "borders": ["borders"], "mass-casualty": ["mass-casualty"],
}
TARGETS = {"aggregate_s": 2.0, "aggregate_mb": 500.0, "first_load_s": 3.0, "warm_s": 0.25, "payload_mb": 1.0,
           "server_mb": 600.0, "scale_ratio": 3.0, "ranges_ratio": 2.0}


def _shared_real() -> Path:
    """The real ACLED export the inputs are resampled from: ../shared beside the repository, or ATLAS_SHARED."""
    shared = Path(os.environ.get("ATLAS_SHARED") or REPO.parent / "shared")
    path = shared / "data" / "real" / "acled_hdx_mli_bfa_ner_2020-08-03.csv"
    if not path.exists():
        raise SystemExit(f"{path} is missing: the benchmark resamples real ACLED rows (set ATLAS_SHARED to the shared folder)")
    return path


# ----------------------------------------------------------------------------------------------------- children


def child_cli(db: str, command: str) -> dict:
    """`python -m geo aggregate|borders` in this process: time inside main() and peak memory."""
    start = time.perf_counter()
    from geo.cli import main

    imported = time.perf_counter()
    out = os.devnull
    code = main([*COMMANDS[command], "--db", db, "--out", out])
    done = time.perf_counter()
    return {"exit": code, "seconds": done - imported, "import_s": imported - start, "peak_mb": process_mb()["peak"]}


def child_ranges(db: str, runs: int) -> dict:
    """
    `aggregate_store` without and with `ranges`, interleaved in one process (the store's place set settled first), at
    admin 1 and admin 2: the same load falls on both, so their ratio holds on a busy machine.
    """
    from geo.aggregate import aggregate_store
    from geo.boundaries import load_boundary_set
    from geo.config import get_settings
    from geo.store import Store

    store = Store(db)
    boundary_set = load_boundary_set(get_settings().default_boundaries)
    out = {}
    for level in ("admin1", "admin2"):
        times = {False: [], True: []}
        aggregate_store(store, boundary_set, level=level, ranges=True)  # (warms the page cache)
        for _ in range(runs):
            for ranges in (False, True):
                start = time.perf_counter()
                aggregate_store(store, boundary_set, level=level, ranges=ranges)
                times[ranges].append(time.perf_counter() - start)
        out[level] = {"plain_min": min(times[False]), "plain_median": statistics.median(times[False]),
                      "ranges_min": min(times[True]), "ranges_median": statistics.median(times[True]),
                      "ratio_median": statistics.median(times[True]) / statistics.median(times[False])}
    return out


def child_page(page: str, runs: int) -> dict:
    """One page under AppTest in a fresh process: first load, then warm year changes."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *a, **k):  # as a running server after its first run (see tests/conftest.py)
        original(self, *a, **k)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    start = time.perf_counter()
    at.run()
    if page != "map":
        at.switch_page(PAGES[page]).run()
    first = time.perf_counter() - start
    if at.exception:
        return {"error": [e.value for e in at.exception]}
    low, high = int(at.slider(key="w_year").min), int(at.slider(key="w_year").max)
    years = list(range(max(low, high - 5), high + 1))
    warm = []
    for year in years + years:  # the second pass: every year seen once (a user going back and forth)
        at.slider(key="w_year").set_value(year)
        t = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t)
        if at.exception:
            return {"error": [e.value for e in at.exception]}
    steady = warm[len(years):]
    return {"first_s": first, "year_change_first_s": statistics.median(warm[: len(years)]),
            "warm_s": statistics.median(steady), "warm_max_s": max(steady), "peak_mb": process_mb()["peak"]}


# ----------------------------------------------------------------------------------------------------- parent


def run_child(args: list[str], env: dict) -> dict:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=3600)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out


def build_store(backend: str, size: int, workdir: Path, pg_url: str | None, env: dict) -> str:
    """A store of `size` resampled events on `backend`; reused when `workdir` already holds it."""
    from bench_ingest import make_input

    marker = workdir / f"{backend}-{size}.done"
    if backend == "sqlite":
        url = f"sqlite:///{workdir / f'store-{size}.sqlite'}"
    else:
        url = _pg_database(pg_url, f"atlas_bench_{size}", fresh=not marker.exists())
    if marker.exists():
        # A store kept from an earlier run: its placements are brought up to date first (a recorded job the
        # first page view would otherwise run), so that the views measured are those of a settled store.
        subprocess.run([sys.executable, "-m", "geo", "places", "refresh", "--db", url], cwd=REPO, env=env, check=True,
                       capture_output=True, timeout=7200)
        return url
    source = workdir / f"events-{size}.csv"
    if not source.exists():
        print(f"  making {size:,} events …", flush=True)
        make_input(_shared_real(), size, source, seed=20200803)
    if backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    print(f"  ingesting {size:,} events into {backend} …", flush=True)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "geo", "ingest", str(source), "--db", url, "--no-size-limit", "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    report = json.loads(proc.stdout)
    print(f"    {report['new']:,} new in {time.perf_counter() - start:.1f} s", flush=True)
    marker.write_text(url)
    return url


def _pg_database(pg_url: str, name: str, *, fresh: bool) -> str:
    import sqlalchemy as sa

    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if fresh and exists:
            conn.exec_driver_sql(f"DROP DATABASE {name}")
            exists = None
        if not exists:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return str(sa.engine.make_url(pg_url).set(database=name).render_as_string(hide_password=False))


def browser_payloads(db: str, env: dict) -> dict:
    """Bytes each page sends over its websocket (first load, year change) and the server's memory."""
    import importlib.util

    sys.path.insert(0, str(REPO / "tests" / "browser"))
    sys.path.insert(0, str(REPO / "tests"))
    from browserlib import wait_for_app
    from playwright.sync_api import sync_playwright

    def load(name: str, path: Path):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    CHROMIUM_ARGS = load("atlas_tests_conftest", REPO / "tests" / "conftest.py").CHROMIUM_ARGS
    start_app = load("atlas_browser_conftest", REPO / "tests" / "browser" / "conftest.py").start_app

    home = Path(tempfile.mkdtemp(prefix="atlas-scale-home-"))
    server_env = {"ATLAS_DB_URL": db, "ATLAS_SAMPLE_DIR": env.get("ATLAS_SAMPLE_DIR", "")}
    os.environ.update({k: v for k, v in server_env.items() if v})
    proc, url = start_app(home, {k: v for k, v in server_env.items() if v})
    os.environ.pop("ATLAS_DB_URL", None)
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
            for name in PAGES:
                context = browser.new_context(viewport={"width": 1500, "height": 1000})
                page = context.new_page()
                received: list[int] = []

                def on_ws(ws, received=received):
                    ws.on("framereceived", lambda payload: received.append(len(payload) if payload else 0))

                page.on("websocket", on_ws)
                page.goto(f"{url}/{name}" if name != "map" else url)
                wait_for_app(page, timeout=600_000)
                _quiet(page, received)
                first = sum(received)
                received.clear()
                thumbs = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]')
                thumbs.first.focus()
                page.keyboard.press("ArrowLeft")
                page.wait_for_timeout(300)
                wait_for_app(page, timeout=600_000)
                _quiet(page, received)
                out[name] = {"first_bytes": first, "year_change_bytes": sum(received)}
                context.close()
            browser.close()
        out["server_mb"] = process_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(home, ignore_errors=True)
    return out


def _quiet(page, received: list[int], seconds: float = 2.5, limit: float = 300.0) -> None:
    """Wait until the websocket has been silent for `seconds` (a page's last messages follow its status)."""
    start = time.time()
    while time.time() - start < limit:
        count = len(received)
        page.wait_for_timeout(seconds * 1000)
        if len(received) == count:
            return


def process_mb(pid: int | str = "self") -> dict:
    """Resident and peak memory (MB) of a process (this one by default), from /proc."""
    values = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return {"rss": values.get("VmRSS"), "peak": values.get("VmHWM")}


def main() -> None:
    parser = argparse.ArgumentParser(description="Scale benchmark of the atlas's views (see the module docstring).")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=os.environ.get("ATLAS_TEST_PG_URL"))
    parser.add_argument("--workdir", type=Path, default=None, help="where inputs and stores go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the workdir (stores are reused by the next run)")
    parser.add_argument("--no-browser", action="store_true", help="skip the real-browser payload and server-memory run")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cli-runs", type=int, default=3, help="runs of each command (the median is kept)")
    parser.add_argument("--no-pages", action="store_true", help="time the commands only")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--child", choices=["cli", "page", "ranges"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--command", help=argparse.SUPPRESS)
    parser.add_argument("--page", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "cli":
        print(json.dumps(child_cli(args.db, args.command)))
        return
    if args.child == "page":
        print(json.dumps(child_page(args.page, args.runs)))
        return
    if args.child == "ranges":
        print(json.dumps(child_ranges(args.db, max(args.cli_runs, 5))))
        return

    if "postgresql" in args.backends and not args.pg_url:
        parser.error("PostgreSQL needs --pg-url (or ATLAS_TEST_PG_URL); or pass --backends sqlite")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="atlas-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if REPO in workdir.resolve().parents:
        parser.error("--workdir must be outside the repository (ACLED rows never enter it)")
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "ATLAS_HOME": str(home), "ATLAS_SAMPLE_DIR": str(workdir / "sample"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ATLAS_DB_URL", None)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load_before": os.getloadavg()},
                     "date": time.strftime("%Y-%m-%d %H:%M"), "runs": []}
    try:
        for backend in args.backends:
            for size in args.sizes:
                print(f"== {backend}, {size:,} events", flush=True)
                db = build_store(backend, size, workdir, args.pg_url, env)
                row: dict = {"backend": backend, "size": size}
                page_env = {**env, "ATLAS_DB_URL": db}
                for command in COMMANDS:
                    key = f"cli_{command}"
                    runs = [run_child(["--child", "cli", "--db", db, "--command", command], env) for _ in range(max(1, args.cli_runs))]
                    row[key] = {k: statistics.median(r[k] for r in runs) for k in ("wall_s", "seconds", "import_s", "peak_mb")}
                    row[key]["wall_runs"] = [round(r["wall_s"], 3) for r in runs]
                    print(f"  {command:<24} {row[key]['wall_s']:6.2f} s command, {row[key]['seconds']:6.2f} s inside, "
                          f"{row[key]['peak_mb']:7.0f} MB  (runs {', '.join(f'{w:.2f}' for w in row[key]['wall_runs'])})", flush=True)
                row["ranges_sql"] = run_child(["--child", "ranges", "--db", db, "--cli-runs", str(max(args.cli_runs, 5))], env)
                for level in ("admin1", "admin2"):
                    r = row["ranges_sql"][level]
                    print(f"  in one process, {level}: aggregate {r['plain_median'] * 1000:.0f} ms (min {r['plain_min'] * 1000:.0f}), "
                          f"--ranges {r['ranges_median'] * 1000:.0f} ms (min {r['ranges_min'] * 1000:.0f}): "
                          f"{r['ratio_median']:.2f}×", flush=True)
                for level in ("", "-admin2"):
                    plain, ranged = row[f"cli_aggregate{level}"], row[f"cli_aggregate{level}-ranges"]
                    row[f"ranges_ratio{level}"] = {"command": ranged["wall_s"] / plain["wall_s"], "inside": ranged["seconds"] / plain["seconds"]}
                    print(f"  aggregate{level} --ranges / plain: {row[f'ranges_ratio{level}']['command']:.2f}× command, "
                          f"{row[f'ranges_ratio{level}']['inside']:.2f}× inside", flush=True)
                for page in ([] if args.no_pages else PAGES):
                    row[page] = run_child(["--child", "page", "--page", page, "--runs", str(args.runs)], page_env)
                    if "error" in row[page]:
                        print(f"  {page}: ERROR {row[page]['error']}", flush=True)
                        continue
                    print(f"  {page:<10} first load {row[page]['first_s']:6.2f} s, warm rerun {row[page]['warm_s'] * 1000:5.0f} ms "
                          f"(max {row[page]['warm_max_s'] * 1000:5.0f}), {row[page]['peak_mb']:5.0f} MB", flush=True)
                if not args.no_browser:
                    row["browser"] = browser_payloads(db, env)
                    for page in PAGES:
                        b = row["browser"][page]
                        print(f"  {page:<10} payload {b['first_bytes'] / 1e6:6.3f} MB first load, "
                              f"{b['year_change_bytes'] / 1e6:6.3f} MB year change", flush=True)
                    print(f"  server     {row['browser']['server_mb']['rss']:6.0f} MB resident, "
                          f"{row['browser']['server_mb']['peak']:6.0f} MB peak", flush=True)
                results["runs"].append(row)
    finally:
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            if args.pg_url and "postgresql" in args.backends:
                _drop_pg(args.pg_url, args.sizes)
        results["machine"]["load_after"] = os.getloadavg()
    report(results)


def _drop_pg(pg_url: str, sizes) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for size in sizes:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS atlas_bench_{size}")
    admin.dispose()


def report(results: dict) -> None:
    """The summary table and the targets."""
    print("\nbackend     events   aggregate    borders   mass-cas.   map first/warm   trends first/warm  borders first/warm  "
          "civilians first/warm  payload max  server")
    def page(row: dict, name: str) -> str:
        r = row.get(name, {})
        return f"{r.get('first_s', float('nan')):5.2f}/{r.get('warm_s', float('nan')) * 1000:4.0f}ms"

    for row in results["runs"]:
        payload = max((row["browser"][p][k] for p in PAGES for k in ("first_bytes", "year_change_bytes")), default=0) / 1e6 \
            if "browser" in row else float("nan")
        server = row["browser"]["server_mb"]["peak"] if "browser" in row else float("nan")
        print(f"{row['backend']:<10} {row['size']:>8,}  {row['cli_aggregate']['wall_s']:5.2f} s    {row['cli_borders']['wall_s']:5.2f} s   "
              f"{row['cli_mass-casualty']['wall_s']:5.2f} s  {page(row, 'map'):>15}  {page(row, 'trends'):>16}  {page(row, 'borders'):>17}  "
              f"{page(row, 'civilians'):>19}  {payload:6.3f} MB  {server:5.0f} MB")
    for backend in {r["backend"] for r in results["runs"]}:
        rows = {r["size"]: r for r in results["runs"] if r["backend"] == backend}
        if not rows:
            continue
        small, large = rows[min(rows)], rows[max(rows)]
        checks = [
            ("aggregate ≤ 2 s (command)", large["cli_aggregate"]["wall_s"], TARGETS["aggregate_s"]),
            ("aggregate ≤ 500 MB", large["cli_aggregate"]["peak_mb"], TARGETS["aggregate_mb"]),
            ("borders ≤ 2 s (command)", large["cli_borders"]["wall_s"], TARGETS["aggregate_s"]),
            ("borders ≤ 500 MB", large["cli_borders"]["peak_mb"], TARGETS["aggregate_mb"]),
            # mass-casualty lists every event above the threshold: its time grows with them, its memory must not blow up.
            ("mass-casualty ≤ 500 MB", large["cli_mass-casualty"]["peak_mb"], TARGETS["aggregate_mb"]),
            ("aggregate --ranges / plain ≤ 2× (command)", large["ranges_ratio"]["command"], TARGETS["ranges_ratio"]),
            ("aggregate --ranges / plain ≤ 2× (inside)", large["ranges_ratio"]["inside"], TARGETS["ranges_ratio"]),
            ("admin 2: --ranges / plain ≤ 2× (command)", large["ranges_ratio-admin2"]["command"], TARGETS["ranges_ratio"]),
            ("--ranges / plain ≤ 2×, in one process, admin 1", large["ranges_sql"]["admin1"]["ratio_median"], TARGETS["ranges_ratio"]),
            ("--ranges / plain ≤ 2×, in one process, admin 2", large["ranges_sql"]["admin2"]["ratio_median"], TARGETS["ranges_ratio"]),
        ]
        for name in PAGES:
            if "first_s" in large.get(name, {}):
                checks.append((f"{name} first load ≤ 3 s", large[name]["first_s"], TARGETS["first_load_s"]))
                checks.append((f"{name} warm rerun ≤ 250 ms", large[name]["warm_s"], TARGETS["warm_s"]))
                checks.append((f"{name} memory ≤ 600 MB", large[name]["peak_mb"], TARGETS["server_mb"]))
                if "first_s" in small.get(name, {}):
                    ratio = large[name]["first_s"] / small[name]["first_s"]
                    checks.append((f"{name} first load {max(rows):,} / {min(rows):,} ≤ 3×", ratio, TARGETS["scale_ratio"]))
        if "browser" in large:
            for name in PAGES:
                for key in ("first_bytes", "year_change_bytes"):
                    checks.append((f"{name} payload ({key.split('_')[0]}) ≤ 1 MB", large["browser"][name][key] / 1e6, TARGETS["payload_mb"]))
            checks.append(("server memory ≤ 600 MB", large["browser"]["server_mb"]["peak"], TARGETS["server_mb"]))
        print(f"\ntargets, {backend}, {max(rows):,} events (load average {results['machine'].get('load_before')} → "
              f"{results['machine'].get('load_after')}):")
        for label, value, limit in checks:
            print(f"  {label:<44} {value:9.3f}  {'met' if value <= limit else 'NOT met'}")


if __name__ == "__main__":
    main()
