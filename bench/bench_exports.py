"""Exports benchmark: how long a figure's file and a briefing pack take.

For the map (an SVG drawn into PNG / PDF by Chromium), the trend chart and the Borders chart (plotly through
kaleido), on the synthetic sample:

- **cold**: the first file after the kaleido server was stopped (Chromium starts: what the first click of a fresh
  app process, or a `python -m geo export` run, pays);
- **warm**: the median of the next five files (the server kept alive: every later click);
- the view model the file is drawn from (database reads, classes) is timed apart, once.

Then the briefing pack (five pages) on the sample (all three countries, and Mopti) and on the real ACLED export
when it sits beside the checkout (`../shared/data/real`, ingested into a store in a temporary folder: its rows
never enter the repository), and the wall time of `python -m geo export map --out x.png` in a fresh process
(imports and Chromium's start included). With CairoSVG importable, its time to draw the same map SVG is printed
beside Chromium's (the atlas does not use it: see geo/figures/render.py).

    .venv/bin/python bench/bench_exports.py
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
REAL = Path(os.environ.get("ATLAS_REAL_DATA") or REPO.parent / "shared" / "data" / "real") / "acled_hdx_mli_bfa_ner_2020-08-03.csv"


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="atlas-bench-exports-"))
    os.environ["ATLAS_HOME"] = str(work / "home")
    os.environ["ATLAS_SAMPLE_DIR"] = str(work / "sample")

    from geo.config import get_settings
    from geo.figures import render
    from geo.figures.briefing import briefing_pdf
    from geo.figures.exports import KINDS, ExportRequest, export_bytes, figure_view, map_figure_svg, prepare

    settings = get_settings()
    empty = f"sqlite:///{work / 'empty.sqlite'}"
    print(f"exports on the synthetic sample (Chromium {render.chromium_path() or 'found by kaleido'}), seconds")
    print(f"{'figure':<9}{'view model':>11}{'format':>8}{'cold':>8}{'warm':>8}{'size kB':>9}")
    for kind in KINDS:
        prepared = prepare(ExportRequest(db=empty, years="2016-2020"), settings, kind=kind)
        view_s, shown = _timed(figure_view, kind, prepared.inputs, prepared.view)
        for fmt in ("png", "svg", "pdf", "csv", "xlsx"):
            render.stop()
            cold, data = _timed(export_bytes, kind, shown, fmt)
            warm = statistics.median(_timed(export_bytes, kind, shown, fmt)[0] for _ in range(5))
            print(f"{kind:<9}{view_s:>11.2f}{fmt:>8}{cold:>8.2f}{warm:>8.2f}{len(data) / 1024:>9.0f}")

    if importlib.util.find_spec("cairosvg") is None:  # not a dependency: measured when present
        print("CairoSVG: not installed (pip install cairosvg to compare)")
    else:
        import cairosvg

        prepared = prepare(ExportRequest(db=empty, years="2016-2020"), settings, kind="map")
        svg = map_figure_svg(figure_view("map", prepared.inputs, prepared.view))
        times = [_timed(cairosvg.svg2png, bytestring=svg.encode(), scale=2)[0] for _ in range(5)]
        chromium = [_timed(render.svg_file, svg, "png")[0] for _ in range(5)]
        print(f"map SVG -> PNG (2x), median of 5: CairoSVG {statistics.median(times):.2f} s, Chromium (kaleido, warm) "
              f"{statistics.median(chromium):.2f} s")

    print("\nbriefing pack (5 pages), seconds")
    for focus in ("all", "mopti"):
        prepared = prepare(ExportRequest(db=empty, focus=focus, years="2016-2020"), settings, kind="briefing")
        seconds, pack = _timed(briefing_pdf, prepared.inputs, prepared.view, focus=focus, years="2016-2020")
        print(f"sample, {focus:<8} {seconds:6.2f}  ({len(pack.data) / 1024:,.0f} kB)")
    if REAL.exists():
        from geo.ingest import ingest_files
        from geo.store import Store

        url = f"sqlite:///{work / 'real.sqlite'}"
        store = Store(url)
        ingest_files([REAL], store)
        store.dispose()
        for focus in ("all", "burkina-sahel"):
            prepared = prepare(ExportRequest(db=url, focus=focus, years="2016-2020"), settings, kind="briefing")
            seconds, pack = _timed(briefing_pdf, prepared.inputs, prepared.view, focus=focus, years="2016-2020")
            print(f"real ACLED, {focus:<14} {seconds:6.2f}  ({len(pack.data) / 1024:,.0f} kB)")
    else:
        print(f"real ACLED: skipped ({REAL} is missing)")

    out = work / "map.png"
    env = {**os.environ}
    seconds, proc = _timed(subprocess.run, [sys.executable, "-m", "geo", "export", "map", "--db", empty, "--out", str(out)],
                           cwd=REPO, env=env, capture_output=True, text=True)
    print(f"\npython -m geo export map --out map.png (fresh process, imports and Chromium's start): {seconds:.2f} s "
          f"(exit {proc.returncode})")
    seconds, proc = _timed(subprocess.run, [sys.executable, "-m", "geo", "briefing", "--db", empty, "--out", str(work / "p.pdf")],
                           cwd=REPO, env=env, capture_output=True, text=True)
    print(f"python -m geo briefing --out pack.pdf (fresh process): {seconds:.2f} s (exit {proc.returncode})")
    render.stop()


if __name__ == "__main__":
    main()
