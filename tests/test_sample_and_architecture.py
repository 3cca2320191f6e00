"""The synthetic sample, CSV-safe exports, private names and the one canonical schema (the layering rules of the
imports are in test_architecture.py)."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import subprocess

import pandas as pd
import pytest
from helpers import ACLED_REAL, REAL, REPO

from geo.boundaries import load_boundary_set
from geo.dataset import current_data, load_sample
from geo.export import to_safe_csv
from geo.join import place_events
from geo.schema import CANONICAL_COLUMNS, EVENT_COLUMNS, SAMPLE_LABEL


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


def _project_sources() -> list:
    folders = ("geo", "ui", "pages", "scripts", "bench", "tests")
    return [REPO / "app.py", *(p for folder in folders for p in sorted((REPO / folder).rglob("*.py")))]


def _private_uses(path, rel=None) -> list[str]:
    """Where a file uses another module's private name: `from m import _x`, a private module of another package
    (`geo.readers._csv` outside `geo/readers/`), or `m._x` on an imported project module. `rel` is the file's path
    in the repository (by default where it is)."""
    tree = ast.parse(path.read_text())
    rel = rel or path.relative_to(REPO)
    package = ".".join(rel.with_suffix("").parts[:-1])
    own = ".".join(rel.with_suffix("").parts)
    project = ("geo", "ui", "pages", "helpers", "browserlib", "fuzz_files")

    def private(part: str) -> bool:
        return part.startswith("_") and not part.startswith("__")

    found, aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.split(".")[0] not in project:
                continue
            parts = module.split(".")
            for i, part in enumerate(parts):
                # A private module may be used by the modules of its own package only.
                if private(part) and not own.startswith(".".join(parts[:i]) + "."):
                    found.append(f"{rel}:{node.lineno} imports {module}")
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{rel}:{node.lineno} imports {module}.{alias.name}")
                else:
                    aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in project:
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name
                    if any(private(part) for part in alias.name.split(".")):
                        found.append(f"{rel}:{node.lineno} imports {alias.name}")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and private(node.attr) and isinstance(node.value, ast.Name)
                and node.value.id in aliases):
            found.append(f"{rel}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    return found


#: Tests that reach into a private module on purpose, and why.
PRIVATE_ON_PURPOSE = {
    "tests/test_fuzz_ingest.py:229 imports geo.readers._checks": "lifts the fatalities bound to show the contract check can fail",
}


def test_nothing_uses_another_modules_private_names():
    """A leading underscore means private: no file imports or reads another module's `_name` (geo, its figure
    layer, ui, pages, scripts, bench and tests alike)."""
    found = [use for path in _project_sources() for use in _private_uses(path)]
    assert [use for use in found if use not in PRIVATE_ON_PURPOSE] == []


def test_the_private_name_check_catches_each_kind_of_use(tmp_path):
    """The check above can fail: each kind of use it looks for is found in a file that has it (a page, here)."""
    from pathlib import Path

    probe = tmp_path / "probe.py"
    probe.write_text("from geo.readers._csv import load_csv\nfrom geo.figures.choropleth import _MapFrame\n"
                     "from geo.figures import style\nstyle._breaks\n")
    found = _private_uses(probe, Path("pages/probe.py"))
    assert len(found) == 3, found
    # Inside its own package a private module is fine.
    inside = tmp_path / "inside.py"
    inside.write_text("from ._csv import load_csv\n")
    assert _private_uses(inside, Path("geo/readers/inside.py")) == []


_DTYPES = {dtype for dtype, _ in EVENT_COLUMNS.values()}


def _schema_literals(path) -> list[int]:
    """Lines where a literal lists most canonical columns (a column list) or gives them dtypes."""
    tree = ast.parse(path.read_text())
    canonical = set(CANONICAL_COLUMNS)
    threshold = 0.75 * len(canonical)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            names = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if len(names & canonical) >= threshold:
                found.append(node.lineno)
        elif isinstance(node, ast.Dict):
            typed = set()
            for key, value in zip(node.keys, node.values):
                first = value.elts[0] if isinstance(value, ast.Tuple) and value.elts else value
                if (isinstance(key, ast.Constant) and key.value in canonical and isinstance(first, ast.Constant)
                        and first.value in _DTYPES):
                    typed.add(key.value)
            if len(typed) >= threshold:
                found.append(node.lineno)
    return found


def test_the_canonical_schema_is_defined_once():
    """Only geo/schema.py spells out the canonical columns (as a list, or with their dtypes)."""
    sources = [REPO / "app.py", *(p for folder in ("geo", "ui", "pages", "scripts", "bench") for p in (REPO / folder).rglob("*.py"))]
    defining = {str(p.relative_to(REPO)): lines for p in sources if (lines := _schema_literals(p))}
    assert list(defining) == ["geo/schema.py"], defining
    assert CANONICAL_COLUMNS == list(EVENT_COLUMNS)


def test_every_reader_and_the_store_give_exactly_the_canonical_columns(store, write):
    """What the schema defines is what every reader produces and what the store keeps, dtype for dtype."""
    from helpers import acled_csv, acled_row

    from geo.ingest import ingest_files
    from geo.readers import ColumnMapping, read_events
    from geo.store import events_table

    ucdp = write("u.csv", "id,type_of_violence,where_prec,date_start,best,low,high,latitude,longitude,country\n"
                          "900,3,1,2019-12-24,5,4,9,13.5,-1.2,Burkina Faso\n")
    generic = write("g.csv", "Date,Lat,Lon,Dead\n2019-03-23,14.25,-3.63,5\n")
    results = {
        "acled": read_events(write("a.csv", acled_csv(acled_row()))),
        "ucdp": read_events(ucdp),
        "generic": read_events(generic, mapping=ColumnMapping.from_pairs(
            ["event_date=Date", "latitude=Lat", "longitude=Lon", "fatalities=Dead"], None)),
    }
    expected = {column: dtype for column, (dtype, _) in EVENT_COLUMNS.items()}
    for name, result in results.items():
        assert result.format == name and len(result.events) == 1
        events = result.events
        assert list(events.columns) == CANONICAL_COLUMNS + ["_file", "_line"], name
        assert {c: str(events[c].dtype) for c in CANONICAL_COLUMNS} == expected, name
    # The store adds its own row id (which version) and the content fingerprint, nothing else.
    assert [c.name for c in events_table.columns] == ["row_id", *CANONICAL_COLUMNS, "content_hash"]
    ingest_files([write("b.csv", acled_csv(acled_row()))], store)
    loaded = store.load_events()
    assert list(loaded.columns) == CANONICAL_COLUMNS
    assert {c: str(loaded[c].dtype) for c in CANONICAL_COLUMNS} == expected


def test_no_real_data_in_the_repository():
    """No tracked file is a copy of a file of ../shared/data/real, nor holds a real ACLED event's notes."""
    if not REAL.is_dir():
        pytest.skip(f"real data not available: {REAL} is missing, so the repository cannot be compared with it")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True)
    if listing.returncode != 0:
        pytest.skip(f"not a git checkout ({listing.stderr.strip()}): the tracked files cannot be listed")
    tracked = [REPO / name for name in listing.stdout.split("\0") if name and (REPO / name).is_file()]
    assert len(tracked) > 50
    real_hashes = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in REAL.iterdir() if p.suffix != ".md"}
    copies = {str(p.relative_to(REPO)): real_hashes[h] for p in tracked if (h := hashlib.sha256(p.read_bytes()).hexdigest()) in real_hashes}
    assert copies == {}
    # Rows of ACLED, in any file: every real event's description starts "On <date>, ..." and is unique.
    notes = pd.read_csv(ACLED_REAL, usecols=["notes"], dtype=str, keep_default_na=False, skiprows=[1])["notes"]
    prefixes = {n[:60] for n in notes if len(n) >= 60}
    assert len(prefixes) > 7000
    holding = {}
    for path in tracked:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        hits = [text[i:i + 60] for i in _starts(text, "On ") if text[i:i + 60] in prefixes]
        if hits:
            holding[str(path.relative_to(REPO))] = len(hits)
    assert holding == {}, f"tracked files hold real ACLED rows (count of notes found): {holding}"


def _starts(text: str, needle: str):
    i = text.find(needle)
    while i != -1:
        yield i
        i = text.find(needle, i + 1)
