"""Registering a user's boundary set: a shapefile, zipped shapefile, GeoPackage or GeoJSON read, its fields detected (OCHA COD-AB, geoBoundaries), geometries repaired, admin-2 units linked to their admin-1 parents, written into the data home."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..config import Settings, get_settings
from ..countries import iso3_from_any, iso3_from_iso2
from ..crs import EQUAL_AREA_CRS, GEOGRAPHIC_CRS
from ..errors import BoundaryError, InputError, Problem
from ..names import normalize_name
from .boundary_set import LEVELS, UNIT_COLUMNS, units_area_km2
from .catalogue import SET_SUFFIX, load_boundary_set, set_paths, write_boundary_set

_ISO2_COLUMNS = ("ADM0_PCODE",)


@dataclass
class FieldChoice:
    """The fields a registration reads, given by the user or detected."""

    level: str
    code: str | None
    name: str
    parent: str | None = None
    parent_name: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    flavour: str = "generic"


def detect_fields(
    columns: list[str],
    first_row: dict | None = None,
    *,
    level: str | None = None,
    name_field: str | None = None,
    code_field: str | None = None,
    parent_field: str | None = None,
    country_field: str | None = None,
) -> FieldChoice:
    """Work out level, name, code, parent and country fields of an OCHA COD-AB, geoBoundaries or other layer.

    Fields given explicitly win; the rest are detected from the column names (OCHA `ADM2_PCODE`,
    `ADM2_FR`, ...; geoBoundaries `shapeName`, `shapeID`, `shapeGroup`, `shapeType`).

    Parameters
    ----------
    columns
        The layer's field names.
    first_row
        The layer's first feature's values (to tell codes from names); None when unknown.
    level
        The unit level: "admin1" or "admin2".
    name_field
        The file's column of unit names; default: detected (OCHA, geoBoundaries).
    code_field
        The file's column of unit codes; default: detected.
    parent_field
        admin 2 only: the file's column of the parent admin-1 code; default: detected, else by overlap.
    country_field
        The file's column of country codes or names; default: detected.

    Returns
    -------
    FieldChoice
        The fields chosen, the level and the flavour (OCHA, geoBoundaries or other).

    Raises
    ------
    BoundaryError
        When a needed field is neither given nor detectable, or a given field does not exist.
    """
    cols = {c.upper(): c for c in columns}
    missing = [f for f in (name_field, code_field, parent_field, country_field) if f and f not in columns]
    if missing:
        raise BoundaryError(
            f"field(s) {', '.join(missing)} not in the layer; its fields are: {', '.join(columns)}"
        )
    first_row = first_row or {}
    flavour = "generic"
    detected_level = None
    if "SHAPETYPE" in cols and "SHAPENAME" in cols:
        flavour = "geoboundaries"
        shape_type = str(first_row.get(cols["SHAPETYPE"], "")).upper()
        detected_level = {"ADM1": "admin1", "ADM2": "admin2"}.get(shape_type)
    else:
        for n in (2, 1):
            if f"ADM{n}_PCODE" in cols:
                flavour, detected_level = "ocha", f"admin{n}"
                break
    level = level or detected_level
    if level not in LEVELS:
        raise BoundaryError(
            "cannot tell whether this layer is admin1 or admin2; pass --level admin1 or --level admin2"
        )
    n = level[-1]
    choice = FieldChoice(level=level, code=code_field, name=name_field or "", flavour=flavour)
    if flavour == "ocha":
        for lang in ("FR", "EN", "PT"):
            if f"ADM{n}_{lang}" in cols:
                choice.name = choice.name or cols[f"ADM{n}_{lang}"]
                break
        choice.code = choice.code or cols.get(f"ADM{n}_PCODE")
        if level == "admin2":
            choice.parent = parent_field or cols.get("ADM1_PCODE")
            for lang in ("FR", "EN", "PT"):
                if f"ADM1_{lang}" in cols:
                    choice.parent_name = cols[f"ADM1_{lang}"]
                    break
        choice.country = country_field or cols.get("ADM0_PCODE")
        choice.aliases = tuple(
            cols[k] for k in (f"ADM{n}_REF", f"ADM{n}ALT1FR", f"ADM{n}ALT2FR", f"ADM{n}_EN") if k in cols
        )
    elif flavour == "geoboundaries":
        choice.name = choice.name or cols["SHAPENAME"]
        iso = str(first_row.get(cols.get("SHAPEISO", ""), "") or "")
        choice.code = choice.code or (cols["SHAPEISO"] if iso.strip() else cols.get("SHAPEID"))
        choice.country = country_field or cols.get("SHAPEGROUP")
        choice.parent = parent_field
    else:
        for candidate in ("NAME", f"ADM{n}_NAME", f"NAME_{n}", "NOM", "SHAPENAME"):
            if not choice.name and candidate in cols:
                choice.name = cols[candidate]
        for candidate in ("CODE", f"ADM{n}_CODE", "PCODE", f"GID_{n}", "ID"):
            if not choice.code and candidate in cols:
                choice.code = cols[candidate]
        choice.parent = parent_field
        choice.country = country_field or next((cols[c] for c in ("ISO3", "ISO", "GID_0", "COUNTRY") if c in cols), None)
    if not choice.name:
        raise BoundaryError(
            f"cannot find the unit name field; pass --name-field (fields: {', '.join(columns)})"
        )
    return choice


@dataclass
class RegistrationReport:
    """What a registration did."""

    name: str
    level: str
    path: Path
    units: int
    countries: list[str]
    fields: FieldChoice
    repaired: list[str] = field(default_factory=list)
    replaced_countries: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The report as plain values (what `python -m geo boundaries add --json` prints).

        Returns
        -------
        dict
            name, level, units, countries, path, fields, replaced_countries, repaired, notes.
        """
        return {
            "name": self.name,
            "level": self.level,
            "path": str(self.path),
            "units": self.units,
            "countries": self.countries,
            "fields": self.fields.__dict__,
            "repaired": self.repaired,
            "replaced_countries": self.replaced_countries,
            "notes": self.notes,
        }


def _open_vector(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    source = str(path)
    if path.suffix.lower() == ".zip":
        source = f"zip://{path}"
    try:
        layers = pyogrio.list_layers(source)
    except Exception as exc:
        raise BoundaryError(f"{path.name}: cannot be read as a shapefile, zipped shapefile, GeoPackage or GeoJSON ({exc})") from None
    names = [str(n) for n, _ in layers]
    if layer is None:
        polygon_layers = [str(n) for n, gtype in layers if gtype and "polygon" in str(gtype).lower()]
        if len(polygon_layers) > 1:
            raise BoundaryError(
                f"{path.name} holds several polygon layers ({', '.join(polygon_layers)}); choose one with --layer"
            )
        layer = polygon_layers[0] if polygon_layers else (names[0] if names else None)
    elif layer not in names:
        raise BoundaryError(f"{path.name} has no layer {layer!r}; its layers: {', '.join(names)}")
    try:
        return gpd.read_file(source, layer=layer, engine="pyogrio")
    except Exception as exc:
        raise BoundaryError(f"{path.name}: cannot be read ({exc})") from None


def _clean_geometries(gdf: gpd.GeoDataFrame, file_name: str, name_col: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Reproject to EPSG:4326 and repair invalid polygons; refuse what cannot be repaired."""
    problems: list[Problem] = []
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            gdf = gdf.set_crs(GEOGRAPHIC_CRS)
        else:
            raise BoundaryError(
                f"{file_name} has no coordinate reference system (is the .prj file missing?) and its "
                "coordinates are not longitude/latitude; add the .prj and try again"
            )
    gdf = gdf.to_crs(GEOGRAPHIC_CRS)
    geoms = gdf.geometry.values
    repaired: list[str] = []
    fixed = []
    for i, (geom, name) in enumerate(zip(geoms, gdf[name_col])):
        label = f"feature {i + 1} ({name})"
        if geom is None or geom.is_empty:
            problems.append(Problem(f"{label} has no geometry", file=file_name))
            fixed.append(geom)
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            if geom.geom_type != "GeometryCollection":
                problems.append(Problem(f"{label} is a {geom.geom_type}, not a polygon", file=file_name))
                fixed.append(geom)
                continue
        if not geom.is_valid or geom.geom_type == "GeometryCollection":
            reason = shapely.is_valid_reason(geom)
            geom = _polygonal_part(shapely.make_valid(geom))
            if geom is None or geom.is_empty or geom.area == 0:
                problems.append(Problem(f"{label} has an invalid geometry that cannot be repaired ({reason})", file=file_name))
            else:
                repaired.append(f"{label}: {reason}")
        fixed.append(geom)
    if problems:
        raise InputError(problems)
    gdf = gdf.set_geometry(gpd.GeoSeries(fixed, index=gdf.index, crs=GEOGRAPHIC_CRS))
    return gdf, repaired


def _polygonal_part(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    if geom is None:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def _countries_for(gdf: gpd.GeoDataFrame, choice: FieldChoice, country: str | None, file_name: str) -> pd.Series:
    if country:
        iso3 = iso3_from_any(country)
        if not iso3:
            raise BoundaryError(f"--country {country!r} is not a known country code or name")
        return pd.Series(iso3, index=gdf.index)
    if choice.country:
        raw = gdf[choice.country].astype(str)
        values = raw.map(lambda v: iso3_from_iso2(v) if len(v.strip()) == 2 else iso3_from_any(v))
        if (values != "").all():
            return values
    # No usable country field: the country outline (shipped admin0) holding each unit's inner point.
    outlines = load_boundary_set(get_settings().default_boundaries).countries()
    points = gpd.GeoDataFrame(geometry=gdf.geometry.representative_point(), crs=GEOGRAPHIC_CRS)
    joined = gpd.sjoin(points, outlines[["country_iso3", "geometry"]], predicate="within", how="left")
    joined = joined[~joined.index.duplicated()]
    values = joined["country_iso3"].fillna("").astype(str)
    if (values == "").any():
        bad = gdf.loc[values == "", choice.name].head(5).tolist()
        raise BoundaryError(
            f"{file_name}: cannot tell the country of some units (e.g. {', '.join(map(str, bad))}); "
            "pass --country ISO3 or --country-field FIELD"
        )
    return values


def read_units_file(
    path: str | os.PathLike,
    *,
    level: str | None = None,
    layer: str | None = None,
    name_field: str | None = None,
    code_field: str | None = None,
    parent_field: str | None = None,
    country_field: str | None = None,
    country: str | None = None,
) -> tuple[gpd.GeoDataFrame, FieldChoice, list[str]]:
    """Read one user file into units with `UNIT_COLUMNS` (without parents resolved against admin1).

    Parameters
    ----------
    path
        The file.
    level
        The unit level: "admin1" or "admin2".
    layer
        The layer of a GeoPackage; default: the only or first one.
    name_field
        The file's column of unit names; default: detected (OCHA, geoBoundaries).
    code_field
        The file's column of unit codes; default: detected.
    parent_field
        admin 2 only: the file's column of the parent admin-1 code; default: detected, else by overlap.
    country_field
        The file's column of country codes or names; default: detected.
    country
        ISO3 of every unit, when the file has no country field.

    Returns
    -------
    (units, fields used, descriptions of repaired geometries)
    """
    path = Path(path)
    if not path.exists():
        raise BoundaryError(f"{path} does not exist")
    raw = _open_vector(path, layer)
    if raw.empty:
        raise BoundaryError(f"{path.name} holds no features")
    first = raw.drop(columns="geometry").iloc[0].to_dict()
    choice = detect_fields(
        [c for c in raw.columns if c != "geometry"], first, level=level, name_field=name_field,
        code_field=code_field, parent_field=parent_field, country_field=country_field,
    )
    raw, repaired = _clean_geometries(raw, path.name, choice.name)
    names = raw[choice.name].fillna("").astype(str).str.strip()
    if (names == "").any():
        rows = (np.flatnonzero((names == "").to_numpy()) + 1).tolist()[:5]
        raise BoundaryError(f"{path.name}: features {rows} have an empty name in field {choice.name}")
    countries = _countries_for(raw, choice, country, path.name)
    if choice.code:
        codes = raw[choice.code].fillna("").astype(str).str.strip()
    else:
        codes = countries + "-" + names.map(normalize_name)
    if (codes == "").any():
        raise BoundaryError(f"{path.name}: some features have an empty code in field {choice.code}; pass --code-field")
    dup = codes[codes.duplicated()]
    if len(dup):
        raise BoundaryError(
            f"{path.name}: unit codes are not unique in field {choice.code or '(derived)'} "
            f"(e.g. {', '.join(dup.head(5))}); pass another --code-field"
        )
    aliases = pd.Series("", index=raw.index)
    for col in choice.aliases:
        extra = raw[col].fillna("").astype(str).str.strip()
        aliases = aliases.where(extra == "", aliases.where(aliases == "", aliases + "|") + extra)
    units = gpd.GeoDataFrame(
        {
            "unit_code": codes.values,
            "unit_name": names.values,
            "aliases": aliases.values,
            "country_iso3": countries.values,
            "parent_code": raw[choice.parent].fillna("").astype(str).str.strip().values if choice.parent else "",
            "parent_name": raw[choice.parent_name].fillna("").astype(str).values if choice.parent_name else "",
        },
        geometry=raw.geometry.values,
        crs=GEOGRAPHIC_CRS,
    )
    units["area_km2"] = units_area_km2(units)
    return units[UNIT_COLUMNS], choice, repaired


def parents_by_overlap(admin2: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame) -> pd.DataFrame:
    """
    Each admin-2 unit's admin-1 unit of largest overlap, among the admin-1 units of its own country.

    Areas of intersection are measured in the equal-area CRS, so the rule does not favour units nearer
    the equator or wider in longitude.

    Parameters
    ----------
    admin2, admin1
        Units with `unit_code`, `unit_name`, `country_iso3` and polygons in EPSG:4326.

    Returns
    -------
    DataFrame indexed like `admin2` with `parent_code`, `parent_name` ("" when no admin-1 unit of the same
    country overlaps) and `share`: the part of the admin-2 unit's area inside that parent (0 to 1).
    """
    out = pd.DataFrame({"parent_code": "", "parent_name": "", "share": 0.0}, index=admin2.index)
    if admin2.empty or admin1.empty:
        return out
    small = np.asarray(admin2.geometry.to_crs(EQUAL_AREA_CRS).values, dtype=object)
    large = np.asarray(admin1.geometry.to_crs(EQUAL_AREA_CRS).values, dtype=object)
    i2, i1 = shapely.STRtree(large).query(small, predicate="intersects")
    same = admin2["country_iso3"].to_numpy(dtype=object)[i2] == admin1["country_iso3"].to_numpy(dtype=object)[i1]
    i2, i1 = i2[same], i1[same]
    pairs = pd.DataFrame({"i2": i2, "i1": i1, "area": shapely.area(shapely.intersection(small[i2], large[i1]))})
    best = pairs[pairs["area"] > 0].sort_values(["i2", "area"], ascending=[True, False]).drop_duplicates("i2")
    rows = out.index[best["i2"].to_numpy()]
    out.loc[rows, "parent_code"] = admin1["unit_code"].to_numpy(dtype=object)[best["i1"].to_numpy()]
    out.loc[rows, "parent_name"] = admin1["unit_name"].to_numpy(dtype=object)[best["i1"].to_numpy()]
    out.loc[rows, "share"] = (best["area"].to_numpy() / shapely.area(small[best["i2"].to_numpy()])).clip(0, 1).round(4)
    return out


def _shipped_admin1(country: str, settings: Settings, exclude: Path | None = None) -> tuple[str, gpd.GeoDataFrame] | None:
    """The admin-1 units of `country` in a shipped set (the default set first), with the set's name."""
    shipped = [name for name, (path, is_shipped) in set_paths(settings).items() if is_shipped and path != exclude]
    shipped.sort(key=lambda n: (n != settings.default_boundaries, n))
    for set_name in shipped:
        try:
            units = load_boundary_set(set_name, settings).units("admin1")
        except BoundaryError:
            continue
        units = units[units["country_iso3"] == country]
        if len(units):
            return set_name, units
    return None


def link_parents(
    admin2: gpd.GeoDataFrame,
    admin1: gpd.GeoDataFrame | None,
    links: dict[str, dict],
    *,
    set_name: str,
    settings: Settings | None = None,
    exclude: Path | None = None,
) -> tuple[gpd.GeoDataFrame, dict[str, dict], list[str]]:
    """Give every admin-2 unit its parent admin-1 unit and record how it was found.

    A parent read from a field is kept when the set has no admin-1 level or the code is one of its
    admin-1 units. Otherwise (no parent field, or a code the set's admin-1 level does not know) the parent
    is the admin-1 unit of largest overlap (`parents_by_overlap`) in the set's own admin-1 level if it has
    units of that country, else in the shipped admin-1 units of that country.

    Parameters
    ----------
    admin2
        The set's admin-2 units.
    admin1
        The set's own admin-1 units, or None when it has no admin-1 level.
    links
        Unit code -> how its parent was found so far: `{"method": "field", "field": NAME}` or
        `{"method": "overlap", ...}` (a unit missing here has no parent field).
    set_name
        Name of the set (recorded as the source of overlaps with its own admin-1 level).
    exclude
        Path of the set itself, never used as a shipped set.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    (admin-2 units with parent_code / parent_name, links for every admin-2 unit: method "field" with the
    field, or "overlap" with `with` (set and level) and `share`, or "none", notes for the report)
    """
    settings = settings or get_settings()
    admin2 = admin2.copy()
    # A unit without a record (a set registered before records were kept) keeps a parent it has.
    links = {
        code: dict(links.get(code) or ({"method": "field", "field": ""} if parent else {"method": "overlap"}))
        for code, parent in zip(admin2["unit_code"], admin2["parent_code"])
    }
    own = admin1 if admin1 is not None else admin2.iloc[0:0]
    known = set(own["unit_code"])
    method = admin2["unit_code"].map(lambda c: links[c].get("method"))
    from_field = (method == "field") & (admin2["parent_code"] != "")
    if admin1 is not None:
        from_field &= admin2["parent_code"].isin(known)
    todo = ~from_field
    notes: list[str] = []
    for country in sorted(set(admin2.loc[todo, "country_iso3"])):
        rows = todo & (admin2["country_iso3"] == country)
        candidates = own[own["country_iso3"] == country]
        source = f"{set_name} admin1"
        if candidates.empty:
            found = _shipped_admin1(country, settings, exclude)
            if found is None:
                source, candidates = "", own.iloc[0:0]
            else:
                source, candidates = f"{found[0]} admin1", found[1]
        result = parents_by_overlap(admin2.loc[rows], candidates)
        admin2.loc[rows, "parent_code"] = result["parent_code"]
        admin2.loc[rows, "parent_name"] = result["parent_name"]
        for code, parent, share in zip(admin2.loc[rows, "unit_code"], result["parent_code"], result["share"]):
            old_field = links[code].get("field")
            link = {"method": "overlap", "with": source, "share": float(share)} if parent else {"method": "none"}
            if old_field:
                link["field_ignored"] = old_field
            links[code] = link
        placed = result["parent_code"] != ""
        if placed.any():
            notes.append(
                f"{int(placed.sum())} {country} admin2 unit(s) given their parent by largest overlap with {source} "
                f"(share of the unit's area {result.loc[placed, 'share'].min():.2f}–{result.loc[placed, 'share'].max():.2f})"
            )
        if (~placed).any():
            missing = ", ".join(admin2.loc[rows].loc[~placed, "unit_name"].head(5))
            notes.append(f"{int((~placed).sum())} {country} admin2 unit(s) overlap no admin1 unit of {country} (e.g. {missing})")
    if admin1 is not None:
        names = dict(zip(own["unit_code"], own["unit_name"]))
        admin2["parent_name"] = admin2["parent_code"].map(names).fillna(admin2["parent_name"])
    return admin2, links, notes


def register_boundary_set(
    paths: list[str | os.PathLike] | str | os.PathLike,
    *,
    name: str,
    level: str | None = None,
    layer: str | None = None,
    name_field: str | None = None,
    code_field: str | None = None,
    parent_field: str | None = None,
    country_field: str | None = None,
    country: str | None = None,
    source: str | None = None,
    licence: str | None = None,
    settings: Settings | None = None,
) -> RegistrationReport:
    """Register (or extend) a user's boundary set from one or more files of the same level.

    Units of a country already present at that level are replaced by the new file's units of that
    country; other levels and countries are kept. The set is written to the data home in one atomic
    replace, so a failed registration leaves the previous set as it was.

    Parameters
    ----------
    paths
        Shapefile, zipped shapefile, GeoPackage or GeoJSON files (e.g. one per country).
    name
        Name of the set to create or extend; cannot be a shipped set's name.
    level
        "admin1" or "admin2"; detected from OCHA / geoBoundaries fields when omitted.
    layer
        The layer of a GeoPackage; default: the only or first one.
    name_field
        The file's column of unit names; default: detected (OCHA, geoBoundaries).
    code_field
        The file's column of unit codes; default: detected.
    parent_field
        admin 2 only: the file's column of the parent admin-1 code; default: detected, else by overlap.
    country_field
        The file's column of country codes or names; default: detected.
    country
        ISO3 of every unit, when the files have no country field.
    source
        The provenance to record.
    licence
        The licence to record.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    RegistrationReport
        What was registered: level, units, countries, fields, repairs and notes.
    """
    settings = settings or get_settings()
    if not name or normalize_name(name) == "" or any(ch in name for ch in "/\\:"):
        raise BoundaryError(f"{name!r} is not a usable set name; use letters, digits and hyphens")
    existing = set_paths(settings).get(name)
    if existing and existing[1]:
        raise BoundaryError(f"{name!r} is the name of a shipped boundary set; choose another --name")
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    pieces, repaired, choice = [], [], None
    for path in paths:
        units, choice_i, repaired_i = read_units_file(
            path, level=level, layer=layer, name_field=name_field, code_field=code_field,
            parent_field=parent_field, country_field=country_field, country=country,
        )
        if choice is not None and choice_i.level != choice.level:
            raise BoundaryError(
                f"{Path(path).name} is {choice_i.level} but the other files are {choice.level}; register levels separately"
            )
        choice = choice_i
        pieces.append(units)
        repaired += [f"{Path(path).name}: {r}" for r in repaired_i]
    assert choice is not None
    new_units = gpd.GeoDataFrame(pd.concat(pieces, ignore_index=True), crs=GEOGRAPHIC_CRS)
    dup = new_units["unit_code"][new_units["unit_code"].duplicated()]
    if len(dup):
        raise BoundaryError(f"unit codes repeat across the files (e.g. {', '.join(dup.head(5))})")
    fresh_codes = list(new_units["unit_code"])

    target = settings.boundaries_home / f"{name}{SET_SUFFIX}"
    layers: dict[str, gpd.GeoDataFrame] = {}
    meta: dict = {}
    if target.exists():
        current = load_boundary_set(name, settings)
        meta = dict(current.meta)
        for lvl in current.stored_levels:
            layers[lvl] = current.units(lvl) if lvl in LEVELS else current.countries()
    replaced = []
    if choice.level in layers:
        old = layers[choice.level]
        new_countries = set(new_units["country_iso3"])
        replaced = sorted(new_countries & set(old["country_iso3"]))
        old = old[~old["country_iso3"].isin(new_countries)]
        new_units = gpd.GeoDataFrame(pd.concat([old, new_units], ignore_index=True), crs=GEOGRAPHIC_CRS)
        dup = new_units["unit_code"][new_units["unit_code"].duplicated()]
        if len(dup):
            raise BoundaryError(
                f"unit codes {', '.join(dup.head(5))} already exist in set {name!r} for another country"
            )
    layers[choice.level] = new_units
    notes: list[str] = []
    links = dict(meta.get("parents", {}))
    if choice.level == "admin2":
        for code in fresh_codes:
            links[code] = {"method": "field", "field": choice.parent} if choice.parent else {"method": "overlap"}
    if "admin2" in layers:
        layers["admin2"], links, notes = link_parents(
            layers["admin2"], layers.get("admin1"), links, set_name=name, settings=settings, exclude=target,
        )
        meta["parents"] = links
    now = datetime.now(UTC).isoformat(timespec="seconds")
    files = meta.get("files", [])
    files += [{"file": Path(p).name, "level": choice.level, "registered_at": now} for p in paths]
    meta.update(
        {
            "name": name,
            "source": source or meta.get("source") or _describe_flavour(choice.flavour),
            "licence": licence or meta.get("licence") or "as stated by the source",
            "registered_at": now,
            "files": files,
        }
    )
    write_boundary_set(target, layers, meta)
    return RegistrationReport(
        name=name, level=choice.level, path=target, units=int(len(layers[choice.level])),
        countries=sorted(set(layers[choice.level]["country_iso3"])), fields=choice, repaired=repaired,
        replaced_countries=replaced, notes=notes,
    )


def _describe_flavour(flavour: str) -> str:
    return {
        "ocha": "OCHA COD-AB (registered by a user)",
        "geoboundaries": "geoBoundaries (registered by a user)",
    }.get(flavour, "registered by a user")


def remove_boundary_set(name: str, settings: Settings | None = None) -> Path:
    """Delete a registered (never a shipped) boundary set.

    Parameters
    ----------
    name
        The registered set to delete.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    Path
        The file deleted.
    """
    settings = settings or get_settings()
    found = set_paths(settings).get(name)
    if not found:
        raise BoundaryError(f"no boundary set named {name!r}")
    if found[1]:
        raise BoundaryError(f"{name!r} ships with the app and cannot be removed")
    found[0].unlink()
    return found[0]
