"""Settings of the atlas, read once from one TOML file (`atlas.toml` at the repository root).

Environment variables override the file: `ATLAS_CONFIG` (another settings file), `ATLAS_HOME` (where
registered boundary sets and the default SQLite store live) and `ATLAS_DB_URL` (the store URL).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import AtlasError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_PATH = REPO_ROOT / "atlas.toml"


@dataclass(frozen=True)
class Preset:
    """A named event-type selection, such as "political-violence"."""

    name: str
    label: str
    exclude_event_types: tuple[str, ...] = ()
    include_event_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActorGroup:
    """A named armed group of `atlas.toml` [actor_groups]: the actor names that belong to it, shown under one official name (see `geo.perpetrators.group_of` for how names are matched).

    Attributes
    ----------
    key
        The table's key in `atlas.toml` ("jnim"): the group's code in tables and URLs.
    name
        The official name shown to readers.
    contains
        An actor belongs to the group when its name contains one of these (case-insensitive), unless it is a
        joint attribution ("X and/or Y").
    actors
        Exact actor names (case-insensitive) that belong to the group, joint attributions included.
    """

    key: str
    name: str
    contains: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved to absolute paths and plain values."""

    home: Path
    sample_events: Path
    shipped_boundaries: Path
    store_url: str
    default_boundaries: str
    ingest_area_boundaries: str
    tolerance_km: float
    aoi_units: tuple[str, ...]
    aoi_countries: tuple[str, ...]
    aoi_boundaries: str
    max_file_mb: float
    presets: dict[str, Preset] = field(default_factory=dict)
    name_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    config_path: Path = DEFAULT_CONFIG_PATH
    actor_groups: tuple[ActorGroup, ...] = ()

    @property
    def tolerance_m(self) -> float:
        """The snapping tolerance in metres."""
        return self.tolerance_km * 1000.0

    @property
    def max_file_bytes(self) -> int | None:
        """The largest upload in bytes (`[ingest] max_file_mb`); None for no limit."""
        return int(self.max_file_mb * 1024 * 1024) if self.max_file_mb > 0 else None

    @property
    def boundaries_home(self) -> Path:
        """Folder of boundary sets registered by users (never a tracked folder)."""
        return self.home / "boundaries"


def _resolve(base: Path, value: str) -> Path:
    path = Path(os.path.expanduser(value))
    return path if path.is_absolute() else (base / path).resolve()


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """
    Read the settings file and apply environment overrides.

    Parameters
    ----------
    path
        Settings file; default `ATLAS_CONFIG` or `atlas.toml` at the repository root.

    Returns
    -------
    Settings
    """
    config_path = Path(path or os.environ.get("ATLAS_CONFIG") or DEFAULT_CONFIG_PATH).resolve()
    try:
        with open(config_path, "rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise AtlasError(f"settings file {config_path} not found; set ATLAS_CONFIG to a valid file") from None
    except tomllib.TOMLDecodeError as exc:
        raise AtlasError(f"settings file {config_path} is not valid TOML: {exc}") from None
    base = config_path.parent
    paths = raw.get("paths", {})
    home = _resolve(base, os.environ.get("ATLAS_HOME") or paths.get("home", "var"))
    store_url = os.environ.get("ATLAS_DB_URL") or raw.get("store", {}).get("url", "")
    presets = {
        name: Preset(
            name=name,
            label=spec.get("label", name),
            exclude_event_types=tuple(spec.get("exclude_event_types", ())),
            include_event_types=tuple(spec.get("include_event_types", ())),
        )
        for name, spec in raw.get("presets", {}).items()
    }
    aliases = {k: tuple(v) for k, v in raw.get("names", {}).get("aliases", {}).items()}
    actor_groups = _actor_groups(raw.get("actor_groups", {}), config_path)
    aoi = raw.get("area_of_interest", {})
    boundaries = raw.get("boundaries", {})
    return Settings(
        home=home,
        sample_events=_resolve(base, paths.get("sample_events", "data/events.csv")),
        shipped_boundaries=_resolve(base, paths.get("shipped_boundaries", "data/shapefiles")),
        store_url=store_url,
        default_boundaries=boundaries.get("default", "natural-earth"),
        ingest_area_boundaries=boundaries.get("ingest_area", boundaries.get("default", "natural-earth")),
        tolerance_km=float(raw.get("join", {}).get("tolerance_km", 5.0)),
        aoi_units=tuple(aoi.get("units", ())),
        aoi_countries=tuple(aoi.get("countries", ())),
        aoi_boundaries=aoi.get("boundaries", boundaries.get("default", "natural-earth")),
        max_file_mb=float(raw.get("ingest", {}).get("max_file_mb", 200)),
        presets=presets,
        name_aliases=aliases,
        config_path=config_path,
        actor_groups=actor_groups,
    )


def _actor_groups(raw: object, config_path: Path) -> tuple[ActorGroup, ...]:
    """The [actor_groups] tables, in the file's order; every problem found is reported at once."""
    if not isinstance(raw, dict):
        raise AtlasError(f"settings file {config_path}: [actor_groups] must be a table of tables, one per group")
    problems: list[str] = []
    groups = []
    for key, spec in raw.items():
        where = f"[actor_groups.{key}]"
        if not isinstance(spec, dict):
            problems.append(f"{where} must be a table with name = \"...\" and contains = [...] or actors = [...]")
            continue
        unknown = sorted(set(spec) - {"name", "contains", "actors"})
        if unknown:
            problems.append(f"{where} has unknown key(s) {', '.join(unknown)} (use name, contains, actors)")
        name = spec.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where} needs a name = \"official name\"")
        lists = {}
        for field_name in ("contains", "actors"):
            values = spec.get(field_name, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                problems.append(f"{where} {field_name} must be a list of non-empty texts")
                values = []
            lists[field_name] = tuple(v.strip() for v in values)
        if not lists["contains"] and not lists["actors"]:
            problems.append(f"{where} matches no actor: give contains = [...] or actors = [...]")
        groups.append(ActorGroup(key=str(key), name=str(name or key).strip(), **lists))
    if problems:
        raise AtlasError(f"settings file {config_path}: " + "; ".join(problems))
    return tuple(groups)


@lru_cache(maxsize=8)
def _cached(path: str | None, home: str | None, url: str | None) -> Settings:
    return load_settings(path)


def get_settings() -> Settings:
    """The current settings, cached per combination of the overriding environment variables.

    Returns
    -------
    Settings
        The current settings, cached per combination of the overriding environment variables.
    """
    return _cached(os.environ.get("ATLAS_CONFIG"), os.environ.get("ATLAS_HOME"), os.environ.get("ATLAS_DB_URL"))
