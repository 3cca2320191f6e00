"""Finding boundary sets: the shipped ones (`data/shapefiles/`) and those registered in the data home, loaded by name (kept once per file version), their provenance, and writing a set as one GeoPackage."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from ..config import Settings, get_settings
from ..errors import BoundaryError
from .boundary_set import OPTIONAL_UNIT_COLUMNS, UNIT_COLUMNS, BoundarySet

_META_LAYER = "meta"
#: The file suffix of a boundary set (a GeoPackage).
SET_SUFFIX = ".gpkg"





def set_paths(settings: Settings) -> dict[str, tuple[Path, bool]]:
    """Every boundary set's file by name: the registered ones, then the shipped ones (which win a clash of names).

    Parameters
    ----------
    settings
        The settings (`atlas.toml` and the environment).

    Returns
    -------
    dict[str, tuple[Path, bool]]
        Name -> (the GeoPackage, whether it is shipped).
    """
    found: dict[str, tuple[Path, bool]] = {}
    for folder, shipped in ((settings.boundaries_home, False), (settings.shipped_boundaries, True)):
        if folder.is_dir():
            for path in sorted(folder.glob(f"*{SET_SUFFIX}")):
                found[path.stem] = (path, shipped)  # shipped sets win a name clash
    return found


def list_boundary_sets(settings: Settings | None = None) -> list[BoundarySet]:
    """Every boundary set: the shipped ones first, then those registered by users.

    Parameters
    ----------
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    list[BoundarySet]
        Every boundary set: the shipped ones first, then those registered by users.
    """
    settings = settings or get_settings()
    sets = [load_boundary_set(name, settings) for name in set_paths(settings)]
    return sorted(sets, key=lambda s: (not s.shipped, s.name))


def load_boundary_set(name: str | None = None, settings: Settings | None = None) -> BoundarySet:
    """Load a boundary set by name.

    Parameters
    ----------
    name
        Set name; default the one configured in `atlas.toml` ([boundaries] default).
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    BoundarySet
        The set (kept once per version of its file).

    Raises
    ------
    BoundaryError
        When no set has this name.
    """
    settings = settings or get_settings()
    name = name or settings.default_boundaries
    paths = set_paths(settings)
    if name not in paths:
        known = ", ".join(sorted(paths)) or "none"
        raise BoundaryError(
            f"no boundary set named {name!r} (known: {known}); "
            "register one with `python -m geo boundaries add FILE --name NAME`"
        )
    path, shipped = paths[name]
    stat = path.stat()
    return _load_cached(name, str(path), shipped, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load_cached(name: str, path: str, shipped: bool, mtime_ns: int, size: int) -> BoundarySet:
    meta = read_meta(Path(path))
    return BoundarySet(name=name, path=Path(path), meta=meta, shipped=shipped, outlines_from=default_set)


def default_set() -> BoundarySet:
    """The configured default boundary set (`atlas.toml` [boundaries] default): where outlines come from.

    Returns
    -------
    BoundarySet
        The configured default boundary set (`atlas.toml` [boundaries] default): where outlines come from.
    """
    return load_boundary_set(get_settings().default_boundaries)


def read_meta(path: Path) -> dict:
    """The provenance stored in a set's `meta` table.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    dict
        The provenance stored in a set's `meta` table.
    """
    try:
        table = pyogrio.read_dataframe(path, layer=_META_LAYER, read_geometry=False)
    except Exception:  # a set written by hand without provenance still loads
        return {}
    return {str(k): json.loads(v) for k, v in zip(table["key"], table["value"])}


def write_boundary_set(
    path: Path, layers: dict[str, gpd.GeoDataFrame], meta: dict, *, atomic: bool = True
) -> None:
    """Write a boundary set as one GeoPackage, replacing any previous file in one rename.

    Parameters
    ----------
    path
        Target `.gpkg`.
    layers
        Level name -> units with `UNIT_COLUMNS` (and those of `OPTIONAL_UNIT_COLUMNS` they have).
    meta
        Provenance, stored as JSON values in the `meta` table.
    atomic
        Kept for callers; the file is always written to a temporary name and renamed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=SET_SUFFIX, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        for level, gdf in layers.items():
            names = [c for c in UNIT_COLUMNS if c != "geometry"] + OPTIONAL_UNIT_COLUMNS + ["geometry"]
            out = gdf[[c for c in names if c in gdf.columns]]
            pyogrio.write_dataframe(out, tmp, layer=level, driver="GPKG", promote_to_multi=True)
        table = pd.DataFrame({"key": list(meta), "value": [json.dumps(v, ensure_ascii=False) for v in meta.values()]})
        pyogrio.write_dataframe(table, tmp, layer=_META_LAYER, driver="GPKG")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


@lru_cache(maxsize=64)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def set_fingerprint(boundary_set: BoundarySet) -> str:
    """SHA-256 of a boundary set's file: what was placed or matched in a set is valid for exactly this content.

    Parameters
    ----------
    boundary_set
        The boundary set.

    Returns
    -------
    str
        The hex digest.
    """
    stat = Path(boundary_set.path).stat()
    return _sha256(str(boundary_set.path), stat.st_mtime_ns, stat.st_size)
