"""The synthetic sample, CSV-safe exports and the package's architectural rules."""

from __future__ import annotations

import ast
import importlib.util
import sys

import pandas as pd
import pytest
from helpers import REPO

from geo.boundaries import load_boundary_set
from geo.dataset import current_data, load_sample
from geo.export import to_safe_csv
from geo.join import place_events
from geo.schema import EVENT_COLUMNS, SAMPLE_LABEL


def test_sample_is_marked_inside_the_polygons_and_has_the_hotspots():
    events = load_sample()
    assert len(events) > 5000
    assert (events["source_dataset"] == "sample").all()
    assert (events["source_text"] == SAMPLE_LABEL).all()
    assert events["event_id"].str.startswith("SMP").all()
    assert events["actor1"].str.contains("synthetic|Protesters|Rioters").all()
    # Generated inside the Natural Earth polygons (scripts/make_sample.py) ...
    placed = place_events(events, load_boundary_set("natural-earth"), tolerance_m=0)
    assert (placed["coverage"] == "inside").all()
    per_unit = events.groupby(placed["admin1_code"]).size()
    assert {"ML-5", "BF-12", "NE-6"} <= set(per_unit.sort_values().index[-4:])
    # ... and none outside the default set's units either (a few near borders are snapped).
    placed = place_events(events, load_boundary_set(), tolerance_m=5_000)
    assert (placed["coverage"] != "outside").all() and (placed["coverage"] == "snapped").sum() < 20
    per_unit = events.groupby(placed["admin1_code"]).size()
    assert {"ML05", "BF-12", "NE006"} <= set(per_unit.sort_values().index[-4:])
    per_year = events.groupby("year").size()
    assert per_year.index.min() == 2015 and per_year.index.max() == 2022
    assert per_year[2022] > 3 * per_year[2015]


def test_sample_generator_is_seeded_and_matches_the_committed_file(tmp_path):
    spec = importlib.util.spec_from_file_location("make_sample", REPO / "scripts" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generated = module.generate()
    out = tmp_path / "events.csv"
    generated.to_csv(out, index=False, lineterminator="\n")
    assert out.read_bytes() == (REPO / "data" / "events.csv").read_bytes()


def test_views_show_the_sample_only_while_the_store_is_empty(store, write):
    from helpers import acled_csv, acled_row

    from geo.ingest import ingest_files

    data = current_data(store)
    assert data.is_sample and data.store.url != store.url  # the sample has its own store
    assert data.store.sources() == ["sample"] and data.store.count_events() == len(load_sample())
    ingest_files([write("a.csv", acled_csv(acled_row()))], store)
    data = current_data(store)
    assert not data.is_sample and data.store is store and store.sources() == ["acled"]
    assert current_data(store, source="sample").is_sample


def test_exports_neutralise_formulas_but_keep_numbers():
    frame = pd.DataFrame({"actor": ["=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "normal"], "fatalities": [-1, 2, 3, 4, 5]})
    text = to_safe_csv(frame)
    assert "'=HYPERLINK" in text and "'+1" in text and "'-cmd" in text and "'@SUM" in text
    assert ",-1\n" in text  # numbers stay numbers


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_geo_imports_no_streamlit():
    for path in (REPO / "geo").rglob("*.py"):
        assert "streamlit" not in _imports(path), path


def test_the_canonical_schema_is_defined_once():
    defining = [p for p in (REPO / "geo").rglob("*.py") if "EVENT_COLUMNS: dict" in p.read_text() or "EVENT_COLUMNS = {" in p.read_text()]
    assert [p.name for p in defining] == ["schema.py"]
    assert {"event_id", "source_dataset", "event_date", "fatalities", "fatalities_low", "fatalities_high", "batch_id"} <= set(EVENT_COLUMNS)


@pytest.mark.skipif(sys.platform != "linux", reason="git available on the team's Linux machines")
def test_no_real_data_in_the_repository():
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True).stdout.split()
    real = REPO.parent / "shared" / "data" / "real"
    if real.exists():
        import hashlib

        real_hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in real.iterdir() if p.suffix != ".md"}
        for name in tracked:
            path = REPO / name
            if path.is_file():
                assert hashlib.sha256(path.read_bytes()).hexdigest() not in real_hashes, name
