"""The boundary set: one GeoPackage of admin units (admin1, admin2, optionally admin0 outlines) and its provenance, with the units of each level, their name matchers, coverage, parent links and attribution."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from ..config import get_settings
from ..crs import EQUAL_AREA_CRS, GEOGRAPHIC_CRS
from ..errors import BoundaryError
from ..names import NameMatcher

LEVELS = ("admin1", "admin2")
UNIT_COLUMNS = [
    "unit_code", "unit_name", "aliases", "country_iso3", "parent_code", "parent_name", "area_km2", "geometry",
]
#: Columns a set may have besides `UNIT_COLUMNS` (read as "" when absent): `other_codes`, other codes of the unit
#: that tables may use instead of its `unit_code` ("|"-separated; e.g. the OCHA p-code BF4603 of a Burkina Faso
#: province coded BF-KOS), known to every code lookup (`BoundarySet.code_index`).
OPTIONAL_UNIT_COLUMNS = ["other_codes"]




@dataclass
class BoundarySet:
    """
    One boundary set on disk.

    Attributes
    ----------
    name
        The set's name, as given to `--boundaries`.
    path
        Its GeoPackage.
    meta
        Provenance: source, licence, version, date, per-level notes.
    shipped
        True for the set that ships with the app.
    """

    name: str
    path: Path
    meta: dict = field(default_factory=dict)
    shipped: bool = False
    #: Where country outlines come from when the set has no admin0 layer (the catalogue gives the default set).
    outlines_from: Callable[[], BoundarySet] | None = field(default=None, repr=False, compare=False)
    _layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)

    @property
    def version(self) -> str:
        """Changes whenever the file does; used as a cache key."""
        stat = self.path.stat()
        return f"{self.name}:{stat.st_mtime_ns}:{stat.st_size}"

    @cached_property
    def stored_levels(self) -> tuple[str, ...]:
        """The levels the file holds as layers (admin0, admin1, admin2), in that order."""
        layers = {name for name, _ in pyogrio.list_layers(self.path)}
        return tuple(level for level in ("admin0", *LEVELS) if level in layers)

    @property
    def levels(self) -> tuple[str, ...]:
        """Admin levels available for aggregation (admin1 may be derived from admin2 parents)."""
        have = [lvl for lvl in LEVELS if lvl in self.stored_levels]
        if "admin1" not in have and "admin2" in have:
            have.insert(0, "admin1")
        return tuple(have)

    def units(self, level: str) -> gpd.GeoDataFrame:
        """The units of one level (do not modify the returned frame).

        Parameters
        ----------
        level
            "admin1" or "admin2".

        Returns
        -------
        gpd.GeoDataFrame
            The units of one level (do not modify the returned frame).
        """
        if level not in LEVELS:
            raise BoundaryError(f"unknown admin level {level!r}; use one of {', '.join(LEVELS)}")
        if level not in self._layers:
            if level in self.stored_levels:
                self._layers[level] = _read_layer(self.path, level)
            elif level == "admin1" and "admin2" in self.stored_levels:
                self._layers[level] = _admin1_from_admin2(self.units("admin2"))
            else:
                have = ", ".join(self.levels) or "none"
                raise BoundaryError(
                    f"boundary set {self.name!r} has no {level} units (it has: {have}); "
                    f"register them with `python -m geo boundaries add FILE --name {self.name} --level {level}`"
                )
        return self._layers[level]

    def countries(self) -> gpd.GeoDataFrame:
        """Country outlines: the set's own admin0 layer, else the default set's.

        Returns
        -------
        gpd.GeoDataFrame
            Country outlines: the set's own admin0 layer, else the default set's.
        """
        if "admin0" in self.stored_levels:
            if "admin0" not in self._layers:
                self._layers["admin0"] = _read_layer(self.path, "admin0")
            return self._layers["admin0"]
        shipped = self.outlines_from() if self.outlines_from is not None else None
        if shipped is None or shipped.path == self.path:
            raise BoundaryError(f"boundary set {self.name!r} has no admin0 outlines")
        return shipped.countries()

    def coverage_level(self) -> str:
        """The level whose union is the set's coverage: events outside it are outside the area.

        Returns
        -------
        str
            The level whose union is the set's coverage: events outside it are outside the area.
        """
        return "admin1" if "admin1" in self.levels else "admin2"

    def code_index(self, level: str) -> dict[str, str]:
        """Every code a unit of `level` is known by (its `unit_code` and its `other_codes`, upper-case) -> its `unit_code`.

        Parameters
        ----------
        level
            The unit level: "admin1" or "admin2".

        Returns
        -------
        dict[str, str]
            Every code a unit of `level` is known by (its `unit_code` and its `other_codes`, upper-case) -> its
            `unit_code`.
        """
        units = self.units(level)
        index = {}
        for code, others in zip(units["unit_code"], units["other_codes"]):
            for known in [*str(others).split("|"), code]:
                if known.strip():
                    index[known.strip().upper()] = code
        return index

    def name_matcher(self, level: str, aliases: dict[str, tuple[str, ...]] | None = None) -> NameMatcher:
        """A matcher of declared names against this level's unit names and aliases.

        Parameters
        ----------
        level
            The unit level: "admin1" or "admin2".
        aliases
            Other names per unit name (`atlas.toml` [name_aliases]); default: the settings'.

        Returns
        -------
        NameMatcher
            The matcher of declared names for the level.
        """
        units = self.units(level)
        names = {
            code: [name, *[a for a in str(alias).split("|") if a]]
            for code, name, alias in zip(units["unit_code"], units["unit_name"], units["aliases"])
        }
        if aliases is None:
            aliases = get_settings().name_aliases
        return NameMatcher(names, aliases)

    def describe(self) -> dict:
        """Plain-value summary for listings.

        Returns
        -------
        dict
            Name, shipped, levels (units, countries, derived), source, licence, attribution and parent links, as plain
            values.
        """
        counts = {}
        for level in LEVELS:
            try:
                units = self.units(level)
            except BoundaryError:
                continue
            counts[level] = {
                "units": int(len(units)),
                "countries": sorted(set(units["country_iso3"]) - {""}),
                "derived": level not in self.stored_levels,
            }
        links = self.parent_links()
        admin2 = self.units("admin2") if "admin2" in self.stored_levels else None
        return {
            "name": self.name,
            "shipped": self.shipped,
            "path": str(self.path),
            "levels": counts,
            "source": self.meta.get("source", ""),
            "licence": self.meta.get("licence", ""),
            "version": self.meta.get("version", ""),
            "registered_at": self.meta.get("registered_at", ""),
            "attribution": self.attribution,
            "parents": summarize_parent_links(links, admin2) if links else [],
            "parent_links": links,
        }

    def parent_links(self) -> dict[str, dict]:
        """How each admin-2 unit's parent was found (from the `meta` table; {} when not recorded).

        Unit code -> `{"method": "field", "field": NAME}`, `{"method": "overlap", "with": "SET admin1",
        "share": 0.98}` or `{"method": "none"}`.

        Returns
        -------
        dict[str, dict]
            How each admin-2 unit's parent was found (from the `meta` table; {} when not recorded).
        """
        links = self.meta.get("parents")
        return dict(links) if isinstance(links, dict) else {}

    @property
    def attribution(self) -> str:
        """
        The short credit line figures carry, e.g. "OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)".

        Taken from the set's `meta` (`attribution`); a set without one is credited by its source's first
        words and its licence.
        """
        text = str(self.meta.get("attribution") or "").strip()
        if text:
            return text
        source = str(self.meta.get("source") or self.name).split(" (")[0].split(",")[0].split(":")[0].strip()
        licence = str(self.meta.get("licence") or "").split(";")[0].split(" (")[0].strip()
        return f"{source} ({licence})" if licence else source


def _read_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    for column in ("unit_code", "unit_name", "aliases", "country_iso3", "parent_code", "parent_name", *OPTIONAL_UNIT_COLUMNS):
        if column not in gdf:
            gdf[column] = ""
        gdf[column] = gdf[column].fillna("").astype(str)
    gdf["area_km2"] = gdf["area_km2"].astype(float) if "area_km2" in gdf else units_area_km2(gdf)
    return gdf.reset_index(drop=True)


def _admin1_from_admin2(admin2: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Admin-1 units dissolved from admin-2 units on their parent code."""
    if (admin2["parent_code"] == "").any():
        missing = admin2.loc[admin2["parent_code"] == "", "unit_name"].head(5).tolist()
        raise BoundaryError(
            "admin1 units cannot be derived: some admin2 units have no parent "
            f"(e.g. {', '.join(missing)}); register the admin1 level too"
        )
    dissolved = admin2.dissolve(by="parent_code", aggfunc={"parent_name": "first", "country_iso3": "first"})
    dissolved = dissolved.reset_index().rename(columns={"parent_code": "unit_code", "parent_name": "unit_name"})
    dissolved["aliases"] = ""
    dissolved["other_codes"] = ""
    dissolved["parent_code"] = ""
    dissolved["parent_name"] = ""
    dissolved["area_km2"] = units_area_km2(dissolved)
    return gpd.GeoDataFrame(dissolved[[*UNIT_COLUMNS, *OPTIONAL_UNIT_COLUMNS]], geometry="geometry", crs=GEOGRAPHIC_CRS)


def units_area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Area of each unit in km² (equal-area CRS), rounded to 0.001 km².

    Parameters
    ----------
    gdf
        Units with polygons (any CRS).

    Returns
    -------
    pd.Series
        The area of each unit in km², rounded to 0.001 km².
    """
    return (gdf.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6).round(3)


def summarize_parent_links(links: dict[str, dict], admin2: gpd.GeoDataFrame | None = None) -> list[dict]:
    """Group per-unit parent links by how they were found, for listings.

    Parameters
    ----------
    links
        Per admin-2 code: how its parent was found (method, field or set, overlap share).
    admin2
        The admin-2 units (their countries are counted); None to leave countries out.

    Returns
    -------
    One dict per method (and field or overlapped set): `method`, `field` or `with`, `units`, `countries`
    and, for overlaps, `min_share` and `median_share`.
    """
    country = dict(zip(admin2["unit_code"], admin2["country_iso3"])) if admin2 is not None else {}
    groups: dict[tuple, dict] = {}
    for code, link in links.items():
        key = (link.get("method", ""), link.get("field", ""), link.get("with", ""))
        group = groups.setdefault(key, {"method": key[0], "units": 0, "countries": set(), "shares": []})
        if key[1]:
            group["field"] = key[1]
        if key[2]:
            group["with"] = key[2]
        group["units"] += 1
        if country.get(code):
            group["countries"].add(country[code])
        if "share" in link:
            group["shares"].append(float(link["share"]))
    out = []
    for group in groups.values():
        shares = group.pop("shares")
        group["countries"] = sorted(group["countries"])
        if shares:
            group["min_share"] = round(min(shares), 4)
            group["median_share"] = round(float(np.median(shares)), 4)
        out.append(group)
    return sorted(out, key=lambda g: (g["method"], g.get("field", ""), g.get("with", "")))


def describe_parent_links(summary: list[dict]) -> str:
    """One line of text for a `summarize_parent_links` summary.

    Parameters
    ----------
    summary
        A :func:`summarize_parent_links` summary.

    Returns
    -------
    str
        The summary in one line.
    """
    parts = []
    for g in summary:
        where = f" ({', '.join(g['countries'])})" if g["countries"] else ""
        if g["method"] == "field":
            parts.append(f"{g['units']}{where} from field {g.get('field') or '(not recorded)'}")
        elif g["method"] == "overlap":
            parts.append(
                f"{g['units']}{where} by largest overlap with {g.get('with', '?')} "
                f"(share {g.get('min_share', 0):.2f}–1.00, median {g.get('median_share', 0):.2f})"
            )
        else:
            parts.append(f"{g['units']}{where} without a parent")
    return "; ".join(parts)
