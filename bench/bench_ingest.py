"""Ingest benchmark: how fast, and in how much memory, the product ingests large ACLED files.

Run it from the repository root with the project's interpreter::

    .venv/bin/python bench/bench_ingest.py                       # 100,000 and 1,000,000 events
    .venv/bin/python bench/bench_ingest.py --sizes 100000 --json /tmp/bench.json
    .venv/bin/python bench/bench_ingest.py --sizes 1000000 --profile /tmp/ingest-1m.prof

Inputs. For each size, an input file is made by resampling (with replacement, seeded) the rows of the
real ACLED HDX export in ``../shared/data/real/`` beside the checkout (or in the folder named by the
environment variable ``ATLAS_REAL_DATA``), with coordinates jittered by a normal ±0.05° (clipped
at ±0.15° and to valid latitudes/longitudes) and fresh unique ids (``event_id_cnty`` BENCH0000001, ...).
The files keep the HDX layout (header, then a row of HXL hashtags, CRLF line ends), so the product reads
them as ACLED files. They are written to a temporary folder outside the repository and deleted at the
end: the ACLED licence forbids redistributing the data, so nothing of it may land in the repository.

What is measured, each in its own fresh Python process (so that peak memory is that run's alone):

- **floor**: the least any ingest has to do with the same file and the same polygons, with plain
  libraries: ``pandas.read_csv(path, skiprows=[1])`` (all columns, default C parser), points built with
  ``geopandas.points_from_xy``, reading the shipped admin-1 layer (data/shapefiles/natural-earth.gpkg,
  layer "admin1") and ``geopandas.sjoin(points, admin1, predicate="within")``. No validation, no
  fingerprinting, no storage.
- **floor (all)**: the same for what ingest must now do besides: one ``sjoin`` per level of every shipped
  boundary set, and each event's nearest shared border with its distance (``geopandas.sjoin_nearest`` to the
  border lines of each set). Still no validation, no fingerprinting, no storage.
- **product**: ``geo.ingest.ingest_files([path], Store(<fresh SQLite file>))``: read, check every row,
  place in every level of every boundary set with snapping, with border attributes, fingerprint, classify
  against the store and write events, places and the summary.

Times are ``time.perf_counter`` around the work only (imports are timed separately and reported as
"import s"). Peak memory is the child's ``VmHWM`` (from /proc/self/status, read at its end), cross-checked
with the child's ``ru_maxrss`` from ``os.wait4``. The targets checked are: 100k events ≤ 3 s,
1M events ≤ 30 s, product/floor ≤ 2.5 and product peak memory ≤ 2048 MB (the ratio to "floor (all)" is
printed beside it).

``--profile FILE`` additionally runs the product ingest of the largest size once more under cProfile and
writes the stats to FILE (read it with ``python -m pstats FILE``); the timed figures come from the
unprofiled runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: The real data beside the checkout (``../shared/data/real``), or where ATLAS_REAL_DATA says.
REAL_DATA = Path(os.environ.get("ATLAS_REAL_DATA") or REPO.parent / "shared" / "data" / "real")
REAL_ACLED = REAL_DATA / "acled_hdx_mli_bfa_ner_2020-08-03.csv"
POLYGONS = REPO / "data" / "shapefiles" / "natural-earth.gpkg"
POLYGON_LAYER = "admin1"

DEFAULT_SIZES = (100_000, 1_000_000)
SEED = 20200803
JITTER_SD = 0.05  # degrees
JITTER_CLIP = 0.15  # degrees: never move a point further than this
CHUNK = 100_000  # rows generated and written at a time

TIME_TARGETS = {100_000: 3.0, 1_000_000: 30.0}  # seconds, product
RATIO_TARGET = 2.5
MEMORY_TARGET_MB = 2048.0


# ----------------------------------------------------------------------------------------------------
# Inputs


def make_input(source: Path, size: int, out: Path, seed: int) -> None:
    """Write `size` resampled, jittered, freshly numbered ACLED rows in the HDX layout to `out`."""
    import numpy as np
    import pandas as pd

    with open(source, "rb") as handle:
        header_line = handle.readline()
        hxl_line = handle.readline()
    real = pd.read_csv(source, skiprows=[1], dtype=str, keep_default_na=False)
    lat = real["latitude"].astype(float).to_numpy()
    lon = real["longitude"].astype(float).to_numpy()
    rng = np.random.default_rng(seed + size)
    with open(out, "wb") as handle:
        handle.write(header_line)
        handle.write(hxl_line)
    written = 0
    while written < size:
        n = min(CHUNK, size - written)
        pick = rng.integers(0, len(real), n)
        rows = real.iloc[pick].reset_index(drop=True)
        dlat = np.clip(rng.normal(0.0, JITTER_SD, n), -JITTER_CLIP, JITTER_CLIP)
        dlon = np.clip(rng.normal(0.0, JITTER_SD, n), -JITTER_CLIP, JITTER_CLIP)
        rows["latitude"] = [f"{v:.4f}" for v in np.clip(lat[pick] + dlat, -90.0, 90.0)]
        rows["longitude"] = [f"{v:.4f}" for v in np.clip(lon[pick] + dlon, -180.0, 180.0)]
        numbers = np.arange(written + 1, written + n + 1)
        rows["event_id_cnty"] = [f"BENCH{i:07d}" for i in numbers]
        if "event_id_no_cnty" in rows:
            rows["event_id_no_cnty"] = numbers.astype(str)
        if "data_id" in rows:
            rows["data_id"] = (90_000_000 + numbers).astype(str)
        rows.to_csv(out, mode="a", header=False, index=False, lineterminator="\r\n", encoding="utf-8")
        written += n


# ----------------------------------------------------------------------------------------------------
# Children: one measurement each


def _peak_mb() -> tuple[float, float]:
    """(VmHWM, VmRSS) of this process in MB."""
    values = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmHWM", float("nan")), values.get("VmRSS", float("nan"))


def child_floor(path: Path) -> dict:
    t0 = time.perf_counter()
    import geopandas as gpd
    import pandas as pd

    imports = time.perf_counter() - t0
    _, rss_after_imports = _peak_mb()
    t0 = time.perf_counter()
    frame = pd.read_csv(path, skiprows=[1])
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs="EPSG:4326")
    polygons = gpd.read_file(POLYGONS, layer=POLYGON_LAYER)
    joined = gpd.sjoin(points, polygons, predicate="within")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "import_seconds": imports, "rss_after_imports_mb": rss_after_imports,
            "rows_read": int(len(frame)), "rows_joined": int(len(joined))}


def child_floor_all(path: Path) -> dict:
    """
    The floor of what ingest must now do: `child_floor`, for every level of every shipped boundary set
    (events are placed once in each when stored), plus each event's nearest shared border with its distance
    (geopandas' `sjoin_nearest` to the border lines, in the set's equidistant projection).
    """
    t0 = time.perf_counter()
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    sys.path.insert(0, str(REPO))
    from geo.border_geometry import shared_borders
    from geo.boundaries import list_boundary_sets

    sets = list_boundary_sets()
    lines = {s.name: shared_borders(s) for s in sets}  # border lines are made once per set, not per batch
    imports = time.perf_counter() - t0
    _, rss_after_imports = _peak_mb()
    t0 = time.perf_counter()
    frame = pd.read_csv(path, skiprows=[1])
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs="EPSG:4326")
    joined = 0
    for boundary_set in sets:
        for layer in ("admin1", "admin2"):
            if layer in {name for name, _ in pyogrio.list_layers(boundary_set.path)}:
                polygons = gpd.read_file(boundary_set.path, layer=layer)
                joined += len(gpd.sjoin(points[["geometry"]], polygons[["geometry"]], predicate="within"))
        geometry = lines[boundary_set.name]
        nearest = gpd.sjoin_nearest(points[["geometry"]].to_crs(geometry.crs), geometry.projected, distance_col="metres")
        joined += len(nearest)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "import_seconds": imports, "rss_after_imports_mb": rss_after_imports,
            "rows_read": int(len(frame)), "rows_joined": int(joined)}


def child_product(path: Path, workdir: Path, profile: Path | None) -> dict:
    t0 = time.perf_counter()
    from geo.ingest import ingest_files
    from geo.store import Store

    imports = time.perf_counter() - t0
    _, rss_after_imports = _peak_mb()
    db = workdir / "atlas.sqlite"

    def work():
        store = Store(f"sqlite:///{db}")
        return ingest_files([path], store)

    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        report = profiler.runcall(work)
        seconds = time.perf_counter() - t0
        profiler.dump_stats(str(profile))
    else:
        t0 = time.perf_counter()
        report = work()
        seconds = time.perf_counter() - t0
    counts = report.as_json()
    return {"seconds": seconds, "import_seconds": imports, "rss_after_imports_mb": rss_after_imports,
            "rows_read": int(report.counts.rows_read),
            "counts": {k: counts[k] for k in ("new", "updated", "duplicates", "rejected", "outside_area")},
            "store_mb": db.stat().st_size / 1024 / 1024 if db.exists() else 0.0}


def run_child(kind: str, path: Path, workdir: Path, profile: Path | None = None) -> dict:
    """Run one measurement in a fresh interpreter; its figures plus its peak memory."""
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / f"{kind}.json"
    env = dict(os.environ)
    env["ATLAS_HOME"] = str(workdir / "home")
    env.pop("ATLAS_DB_URL", None)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--input", str(path),
               "--workdir", str(workdir), "--out", str(out)]
    if profile is not None:
        command += ["--profile", str(profile)]
    process = subprocess.Popen(command, cwd=str(workdir), env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"the {kind} run on {path.name} failed (exit code {process.returncode})")
    result = json.loads(out.read_text())
    result["ru_maxrss_mb"] = usage.ru_maxrss / 1024  # KB on Linux
    return result


def child_main(args: argparse.Namespace) -> None:
    os.environ.setdefault("ATLAS_HOME", str(Path(args.workdir) / "home"))
    if args.child == "floor":
        result = child_floor(Path(args.input))
    elif args.child == "floor_all":
        result = child_floor_all(Path(args.input))
    else:
        result = child_product(Path(args.input), Path(args.workdir), Path(args.profile) if args.profile else None)
    result["peak_mb"], result["rss_end_mb"] = _peak_mb()
    Path(args.out).write_text(json.dumps(result))


# ----------------------------------------------------------------------------------------------------
# Parent


def _versions() -> dict:
    import geopandas
    import pandas
    import pyarrow
    import shapely

    return {"python": platform.python_version(), "pandas": pandas.__version__, "geopandas": geopandas.__version__,
            "shapely": shapely.__version__, "pyarrow": pyarrow.__version__}


def _yes(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "NO")


def print_table(rows: list[dict]) -> None:
    head = ["size", "floor s", "floor (all) s", "product s", "product rows/s", "ratio", "ratio (all)", "floor peak MB",
            "product peak MB", "time target", "time ok", "ratio ok", "memory ok"]
    body = []
    for r in rows:
        target = r["time_target_s"]
        body.append([
            f"{r['size']:,}", f"{r['floor_s']:.2f}", f"{r['floor_all_s']:.2f}", f"{r['product_s']:.2f}",
            f"{r['product_rows_per_s']:,.0f}", f"{r['ratio']:.2f}", f"{r['ratio_all']:.2f}", f"{r['floor_peak_mb']:,.0f}",
            f"{r['product_peak_mb']:,.0f}",
            f"≤ {target:g} s" if target else "-", _yes(r["time_ok"]), _yes(r["ratio_ok"]), _yes(r["memory_ok"]),
        ])
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    print("  ".join(h.rjust(w) for h, w in zip(head, widths)))
    print("  ".join("-" * w for w in widths))
    for b in body:
        print("  ".join(c.rjust(w) for c, w in zip(b, widths)))


def parent_main(args: argparse.Namespace) -> None:
    if not REAL_ACLED.exists():
        raise SystemExit(
            f"the real ACLED export {REAL_ACLED} is missing: put the shared data beside the checkout "
            "(../shared/data/real) or name its folder in ATLAS_REAL_DATA; "
            "this benchmark resamples its rows and cannot run without it"
        )
    if not POLYGONS.exists():
        raise SystemExit(f"the shipped boundaries {POLYGONS} are missing")
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        raise SystemExit(f"--sizes {args.sizes!r}: give whole numbers separated by commas, e.g. 100000,1000000") from None
    if not sizes or min(sizes) <= 0:
        raise SystemExit("--sizes: give at least one positive number of events")

    versions = _versions()
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(f"machine: {cpus} CPUs ({usable} usable), {platform.machine()}, {platform.system()} {platform.release()}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))

    tmp = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    rows = []
    try:
        for size in sizes:
            path = tmp / f"acled_bench_{size}.csv"
            t0 = time.perf_counter()
            make_input(REAL_ACLED, size, path, SEED)
            print(f"\n{size:,} events: input {path.stat().st_size / 1024 / 1024:,.0f} MB made in "
                  f"{time.perf_counter() - t0:.1f} s", flush=True)
            floors, floors_all, products = [], [], []
            for attempt in range(args.repeat):
                floors.append(run_child("floor", path, tmp / f"floor-{size}-{attempt}"))
                print(f"  floor:   {floors[-1]['seconds']:.2f} s, peak {floors[-1]['peak_mb']:,.0f} MB "
                      f"(imports {floors[-1]['import_seconds']:.2f} s)", flush=True)
                floors_all.append(run_child("floor_all", path, tmp / f"floor-all-{size}-{attempt}"))
                print(f"  floor, every set and level + border distances: {floors_all[-1]['seconds']:.2f} s, "
                      f"peak {floors_all[-1]['peak_mb']:,.0f} MB", flush=True)
                products.append(run_child("product", path, tmp / f"product-{size}-{attempt}"))
                print(f"  product: {products[-1]['seconds']:.2f} s, peak {products[-1]['peak_mb']:,.0f} MB "
                      f"(imports {products[-1]['import_seconds']:.2f} s), counts {products[-1]['counts']}", flush=True)
                shutil.rmtree(tmp / f"product-{size}-{attempt}", ignore_errors=True)
            floor = min(floors, key=lambda r: r["seconds"])
            floor_all = min(floors_all, key=lambda r: r["seconds"])
            product = min(products, key=lambda r: r["seconds"])
            target = TIME_TARGETS.get(size)
            ratio = product["seconds"] / floor["seconds"]
            peak = max(p["peak_mb"] for p in products)
            rows.append({
                "size": size,
                "input_mb": path.stat().st_size / 1024 / 1024,
                "floor_s": floor["seconds"],
                "product_s": product["seconds"],
                "product_rows_per_s": size / product["seconds"],
                "ratio": ratio,
                "floor_all_s": floor_all["seconds"],
                "ratio_all": product["seconds"] / floor_all["seconds"],
                "floor_peak_mb": max(f["peak_mb"] for f in floors),
                "product_peak_mb": peak,
                "floor_ru_maxrss_mb": max(f["ru_maxrss_mb"] for f in floors),
                "product_ru_maxrss_mb": max(p["ru_maxrss_mb"] for p in products),
                "floor_import_s": floor["import_seconds"],
                "product_import_s": product["import_seconds"],
                "product_rss_after_imports_mb": product["rss_after_imports_mb"],
                "product_counts": product["counts"],
                "product_rows_read": product["rows_read"],
                "floor_rows_joined": floor["rows_joined"],
                "time_target_s": target,
                "time_ok": None if target is None else product["seconds"] <= target,
                "ratio_ok": ratio <= RATIO_TARGET,
                "memory_ok": peak <= MEMORY_TARGET_MB,
                "floor_runs_s": [f["seconds"] for f in floors],
                "product_runs_s": [p["seconds"] for p in products],
            })
            if args.profile and size == max(sizes):
                run_child("product", path, tmp / f"profile-{size}", profile=Path(args.profile).resolve())
                print(f"  profile of the product ingest written to {args.profile}", flush=True)
            path.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\ntargets: 100k ≤ {TIME_TARGETS[100_000]:g} s, 1M ≤ {TIME_TARGETS[1_000_000]:g} s, "
          f"product/floor ≤ {RATIO_TARGET:g}, product peak memory ≤ {MEMORY_TARGET_MB:,.0f} MB\n")
    print_table(rows)
    if args.json:
        payload = {
            "machine": {"cpu_count": cpus, "usable_cpus": usable, "platform": platform.platform()},
            "versions": versions,
            "targets": {"time_s": {str(k): v for k, v in TIME_TARGETS.items()}, "ratio": RATIO_TARGET,
                        "memory_mb": MEMORY_TARGET_MB},
            "results": rows,
        }
        Path(args.json).write_text(json.dumps(payload, indent=2))
        print(f"\nfigures written to {args.json}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="comma-separated numbers of events (default 100000,1000000)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest counts (default 1)")
    parser.add_argument("--profile", metavar="FILE",
                        help="also profile the product ingest of the largest size with cProfile, stats to FILE")
    parser.add_argument("--child", choices=["floor", "floor_all", "product"], help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.child:
        child_main(args)
    else:
        parent_main(args)


if __name__ == "__main__":
    main()
