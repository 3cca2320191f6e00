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
class PrecisionArea:
    """Where an event coded with one location-precision level may lie (see `geo.uncertainty`).

    Anywhere within `radius_km` of its coordinates, or anywhere in the whole unit its precision names (`unit`).

    Attributes
    ----------
    radius_km
        Radius of the disc around the coordinates, in km (0: the coordinates are the place).
    unit
        "admin1", "admin2" or "country": the whole unit named by the event (its declared name, else the unit its
        coordinates fall in); "" for a disc.
    """

    radius_km: float = 0.0
    unit: str = ""

    def describe(self) -> str:
        """The area in words, for messages and the README ("25 km", "the whole admin1 unit").

        Returns
        -------
        str
            The area in words.
        """
        return f"the whole {self.unit} unit" if self.unit else f"{self.radius_km:g} km"


#: The areas used when `atlas.toml` [uncertainty] says nothing, per precision scale and code, from the codebooks:
#: ACLED geo_precision 1 (the town is known: its coordinates), 2 (near a town, or a small part of a region: ACLED
#: gives no distance, UCDP's 25 km of its matching code is used), 3 (only a larger region is known: the coordinates
#: are its capital's; the whole admin-1 unit named); UCDP where_prec 1 (exact), 2 (within about 25 km of a known
#: point), 3 (only the admin-2 unit is known), 4 (only the admin-1 unit), 5 (a region larger than admin 1), 6 (only
#: the country), 7 (international waters or airspace: the country of the event).
DEFAULT_UNCERTAINTY: dict[str, dict[int, PrecisionArea]] = {
    "acled": {1: PrecisionArea(0.0), 2: PrecisionArea(25.0), 3: PrecisionArea(unit="admin1")},
    "ucdp": {
        1: PrecisionArea(0.0), 2: PrecisionArea(25.0), 3: PrecisionArea(unit="admin2"), 4: PrecisionArea(unit="admin1"),
        5: PrecisionArea(unit="country"), 6: PrecisionArea(unit="country"), 7: PrecisionArea(unit="country"),
    },
}
#: What a whole-unit area may name.
AREA_UNITS = ("admin1", "admin2", "country")


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
    #: Per precision scale ("acled": ACLED's geo_precision 1–3, "ucdp": UCDP's where_prec 1–7) and code, the area
    #: an event may lie in (`atlas.toml` [uncertainty.acled] / [uncertainty.ucdp]; `DEFAULT_UNCERTAINTY` otherwise).
    uncertainty: dict[str, dict[int, PrecisionArea]] = field(default_factory=lambda: dict(DEFAULT_UNCERTAINTY))

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
    uncertainty = _uncertainty(raw.get("uncertainty", {}), config_path)
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
        uncertainty=uncertainty,
    )


def _uncertainty(raw: object, config_path: Path) -> dict[str, dict[int, PrecisionArea]]:
    """The [uncertainty.acled] and [uncertainty.ucdp] tables over the defaults; every problem found is reported at once.

    Each entry is `CODE = KM` (a radius, ≥ 0) or `CODE = "admin1" | "admin2" | "country"` (the whole unit named).
    """
    out = {scale: dict(areas) for scale, areas in DEFAULT_UNCERTAINTY.items()}
    if not isinstance(raw, dict):
        raise AtlasError(f"settings file {config_path}: [uncertainty] must hold the tables [uncertainty.acled] and "
                         "[uncertainty.ucdp]")
    problems: list[str] = []
    for scale, table in raw.items():
        where = f"[uncertainty.{scale}]"
        if scale not in DEFAULT_UNCERTAINTY:
            problems.append(f"{where} is not a precision scale (use {', '.join(DEFAULT_UNCERTAINTY)})")
            continue
        if not isinstance(table, dict):
            problems.append(f"{where} must be a table of CODE = km or CODE = \"admin1\"")
            continue
        codes = sorted(DEFAULT_UNCERTAINTY[scale])
        for key, value in table.items():
            code = int(key) if str(key).isdigit() else None
            if code not in codes:
                problems.append(f"{where} {key}: not a precision code of {scale} (use {codes[0]}–{codes[-1]})")
            elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
                problems.append(f"{where} {key} = {value!r}: give a radius in km or one of {', '.join(AREA_UNITS)}")
            elif isinstance(value, str):
                if value not in AREA_UNITS:
                    problems.append(f"{where} {key} = {value!r}: a whole unit is one of {', '.join(AREA_UNITS)}")
                else:
                    out[scale][code] = PrecisionArea(unit=value)
            elif not 0 <= float(value) <= 1000:
                problems.append(f"{where} {key} = {value}: a radius is between 0 and 1,000 km")
            else:
                out[scale][code] = PrecisionArea(radius_km=float(value))
    if problems:
        raise AtlasError(f"settings file {config_path}: " + "; ".join(problems))
    return out


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
