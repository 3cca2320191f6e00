"""Load benchmark: many readers on the Map page of one server at once.

Starts one ``streamlit run`` server on a store (a store of N resampled events made as ``bench_scale.py``
makes them, on SQLite or PostgreSQL, or the synthetic sample), then runs concurrent sessions for a while.
Each session is a websocket client that speaks Streamlit's own protocol (the protobuf ``BackMsg`` /
``ForwardMsg`` messages the browser exchanges with the server, without drawing anything): it opens the Map
page, then again and again moves the year slider to a random year and waits for the rerun to finish, with a
short pause between (a reader looking at the map). Printed: errors, reruns, and the median and 95th
percentile of the time from a year change to the end of its rerun (target: p95 ≤ 2 s on 2 cores with 20
sessions).

    .venv/bin/python bench/bench_load.py                                  # 20 sessions, 60 s, the sample
    .venv/bin/python bench/bench_load.py --size 1000000 --backend postgresql --workdir /tmp/atlas-scale --keep
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
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

TARGET_P95_S = 2.0


class Session:
    """One reader: a websocket session of the Map page."""

    def __init__(self, url: str, rng: random.Random):
        self.url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.rng = rng
        self.slider_id: str | None = None
        self.years: tuple[int, int] | None = None
        self.errors: list[str] = []
        self.first_load: float | None = None
        self.reruns: list[float] = []
        self.bytes = 0

    async def run(self, deadline: float, pause: float) -> None:
        import websockets
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        async with websockets.connect(self.url, subprotocols=["streamlit"], max_size=None) as ws:
            start = time.perf_counter()
            await self._send(ws, BackMsg(), [])
            await self._until_finished(ws)
            self.first_load = time.perf_counter() - start
            if self.slider_id is None:
                self.errors.append("no year slider on the page")
                return
            while time.perf_counter() < deadline:
                await asyncio.sleep(pause * self.rng.uniform(0.5, 1.5))
                low, high = self.years
                year = float(self.rng.randint(low, high))
                state = WidgetState(id=self.slider_id)
                state.double_array_value.data.extend([year])
                start = time.perf_counter()
                await self._send(ws, BackMsg(), [state])
                await self._until_finished(ws)
                self.reruns.append(time.perf_counter() - start)

    async def _send(self, ws, msg, states) -> None:
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        msg.rerun_script.widget_states.widgets.extend(states)
        await ws.send(msg.SerializeToString())

    async def _until_finished(self, ws) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        while True:
            data = await asyncio.wait_for(ws.recv(), timeout=600)
            self.bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    self.errors.append(element.exception.message)
                elif which == "slider" and element.slider.label == "Year":  # one year by default
                    self.slider_id = element.slider.id
                    self.years = (int(element.slider.min), int(element.slider.max))
            elif kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                return


async def load(url: str, sessions: int, seconds: float, pause: float, seed: int) -> list[Session]:
    rng = random.Random(seed)
    readers = [Session(url, random.Random(rng.random())) for _ in range(sessions)]
    deadline = time.perf_counter() + seconds

    async def one(reader: Session, delay: float) -> None:
        await asyncio.sleep(delay)  # readers arrive over the first seconds, not all in one instant
        try:
            await reader.run(deadline, pause)
        except Exception as exc:  # a failed session is an error of the run, reported below
            reader.errors.append(f"{type(exc).__name__}: {exc}")

    await asyncio.gather(*(one(r, i * 0.25) for i, r in enumerate(readers)))
    return readers


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description="Concurrent readers of the Map page (see the module docstring).")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pause", type=float, default=1.0, help="mean pause between two year changes of a reader (s)")
    parser.add_argument("--size", type=int, default=0, help="events in the store (0: the synthetic sample)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("ATLAS_TEST_PG_URL"))
    parser.add_argument("--workdir", type=Path, default=None, help="where inputs and stores go (shared with bench_scale.py)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import importlib.util

    spec = importlib.util.spec_from_file_location("atlas_browser_conftest", REPO / "tests" / "browser" / "conftest.py")
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    sys.path.insert(0, str(REPO / "tests"))
    browser_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(browser_conftest)
    import bench_scale

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="atlas-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "ATLAS_HOME": str(home), "ATLAS_SAMPLE_DIR": str(workdir / "sample"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ATLAS_DB_URL", None)
    server_env = {"ATLAS_SAMPLE_DIR": env["ATLAS_SAMPLE_DIR"]}
    label = "the synthetic sample"
    if args.size:
        if args.backend == "postgresql" and not args.pg_url:
            parser.error("PostgreSQL needs --pg-url (or ATLAS_TEST_PG_URL)")
        server_env["ATLAS_DB_URL"] = bench_scale.build_store(args.backend, args.size, workdir, args.pg_url, env)
        label = f"{args.size:,} events on {args.backend}"
    proc, url = browser_conftest.start_app(home, server_env)
    try:
        # One reader first: the server's first run imports everything and prepares its caches.
        asyncio.run(load(url, 1, 0.0, 0.0, args.seed))
        print(f"{args.sessions} readers on the Map page for {args.seconds:g} s, {label}, {os.cpu_count()} CPUs", flush=True)
        readers = asyncio.run(load(url, args.sessions, args.seconds, args.pause, args.seed))
        memory = bench_scale.process_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    reruns = [t for r in readers for t in r.reruns]
    firsts = [r.first_load for r in readers if r.first_load is not None]
    errors = [e for r in readers for e in r.errors]
    print(f"  errors: {len(errors)}" + (f" (first: {errors[0][:200]})" if errors else ""))
    if firsts:
        print(f"  first load of a session: median {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s")
    if reruns:
        p50, p95 = statistics.median(reruns), _percentile(reruns, 0.95)
        print(f"  year changes: {len(reruns):,} ({len(reruns) / args.seconds:.1f}/s); rerun median {p50:.2f} s, "
              f"p95 {p95:.2f} s, max {max(reruns):.2f} s")
        print(f"  sent to the readers: {sum(r.bytes for r in readers) / 1e6:,.1f} MB; server memory "
              f"{memory['rss']:,.0f} MB resident, {memory['peak']:,.0f} MB peak")
        print(f"target: no error and p95 ≤ {TARGET_P95_S:g} s → {'met' if not errors and p95 <= TARGET_P95_S else 'NOT met'}")
    else:
        print("target: NOT met (no rerun completed)")


if __name__ == "__main__":
    main()
