"""Boundary sets: the admin units events are placed in.

A boundary set is one GeoPackage holding up to three polygon layers — `admin1`, `admin2` and (optionally)
`admin0` country outlines — and a `meta` table (source, licence, version, date). Every unit has the
columns of `UNIT_COLUMNS`: a stable code, its local name (with accents), other names, its country's ISO3
code, for admin2 its parent admin1 code, and its area in km² computed in an equal-area CRS.

The sets shipped with the app live in `data/shapefiles/`: `ocha-geoboundaries` (the default: admin 1 and 2
of the three countries from OCHA COD-AB and geoBoundaries, built by `scripts/build_cod_boundaries.py`) and
`natural-earth` (`scripts/build_boundaries.py`). Sets registered by users live in the data home
(`ATLAS_HOME/boundaries/`), so that registering never edits a tracked file. An admin-2 unit registered
without a parent field gets the admin-1 unit it overlaps most (`link_parents`); how every parent was found
is kept in the set's `meta` (`parents`).

Five rooms, one public API named here: :mod:`.boundary_set` (the set), :mod:`.catalogue` (finding and writing
sets), :mod:`.register` (registering a user's set), :mod:`.fetch` (geoBoundaries gbOpen), :mod:`.area` (the area
of interest).
"""

from __future__ import annotations

from .area import (
    area_of_interest,
    in_area_of_interest,
)
from .boundary_set import (
    LEVELS,
    OPTIONAL_UNIT_COLUMNS,
    UNIT_COLUMNS,
    BoundarySet,
    describe_parent_links,
    summarize_parent_links,
    units_area_km2,
)
from .catalogue import (
    SET_SUFFIX,
    default_set,
    list_boundary_sets,
    load_boundary_set,
    read_meta,
    set_fingerprint,
    set_paths,
    write_boundary_set,
)
from .fetch import (
    GEOBOUNDARIES_API,
    fetch_geoboundaries,
)
from .register import (
    FieldChoice,
    RegistrationReport,
    detect_fields,
    link_parents,
    parents_by_overlap,
    read_units_file,
    register_boundary_set,
    remove_boundary_set,
)

__all__ = [
    "LEVELS", "OPTIONAL_UNIT_COLUMNS", "UNIT_COLUMNS", "BoundarySet", "units_area_km2", "summarize_parent_links", "describe_parent_links",
    "SET_SUFFIX", "set_paths", "list_boundary_sets", "load_boundary_set", "default_set", "read_meta",
    "write_boundary_set", "set_fingerprint", "FieldChoice", "detect_fields", "RegistrationReport", "read_units_file",
    "parents_by_overlap", "link_parents", "register_boundary_set", "remove_boundary_set", "GEOBOUNDARIES_API",
    "fetch_geoboundaries", "area_of_interest", "in_area_of_interest",
]
