"""Display geometry: simplified without gaps, small enough for a slow connection."""

from __future__ import annotations

import json

import shapely

from geo.boundaries import load_boundary_set
from geo.figures.geometry import display_countries, display_units, to_geojson


def test_admin1_geojson_of_the_three_countries_is_under_1_mb_and_keeps_shared_edges():
    ne = load_boundary_set("natural-earth")
    units = display_units(ne, "admin1")
    size = len(json.dumps(to_geojson(units)).encode())
    assert size <= 1_000_000, size
    assert len(units) == 30 and units.is_valid.all()
    # Shared edges stay shared: neighbours do not overlap and no gap opens between them.
    union = shapely.union_all(units.geometry.values)
    assert sum(g.area for g in units.geometry) == union.area or abs(sum(g.area for g in units.geometry) - union.area) < 1e-3
    original = shapely.union_all(ne.units("admin1").geometry.values)
    assert abs(union.area - original.area) / original.area < 0.002
    assert len(display_countries(ne)) == 14


def test_display_units_are_cached_per_boundary_version():
    """The same version of a set's file gives the same display units (kept); a new version of it, new ones."""
    import os
    import shutil

    from geo.config import get_settings

    shipped = load_boundary_set("natural-earth")
    home = get_settings().boundaries_home  # the test's own data home
    home.mkdir(parents=True, exist_ok=True)
    copy = home / "ne-copy.gpkg"
    shutil.copyfile(shipped.path, copy)
    first_set = load_boundary_set("ne-copy")
    first_version = first_set.version
    first = display_units(first_set, "admin2")
    assert display_units(load_boundary_set("ne-copy"), "admin2") is first  # the same version: kept
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # the file is replaced: a new version
    second_set = load_boundary_set("ne-copy")
    assert second_set.version != first_version
    second = display_units(second_set, "admin2")
    assert second is not first  # computed again for the new version
    assert display_units(second_set, "admin2") is second


def test_default_set_display_is_light_enough_for_every_rerun():
    """The map's cost per rerun grows with its vertices: the detailed default set is simplified to about
    Natural Earth's weight at admin 1 (bench/bench_app.py measures the time)."""
    cod = load_boundary_set("ocha-geoboundaries")
    sizes = {level: len(json.dumps(to_geojson(display_units(cod, level))).encode()) for level in ("admin1", "admin2")}
    assert sizes["admin1"] <= 160_000 and sizes["admin2"] <= 400_000, sizes
    admin2 = display_units(cod, "admin2")
    assert len(admin2) == 165 and admin2.is_valid.all()
    union = shapely.union_all(admin2.geometry.values)
    assert abs(sum(g.area for g in admin2.geometry) - union.area) < 1e-3  # no overlap opened
