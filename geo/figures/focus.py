"""The areas a map can be fixed on (presentation mode, briefings): defined once, by the admin-1 unit codes of the default boundary set `ocha-geoboundaries`.

* **mopti** — the Mopti region of Mali (ML05), its eight cercles.
* **burkina-sahel** — the Sahel region of Burkina Faso (BF-12) with its two neighbours to the south-west and
  south, Nord (BF-10) and Centre-Nord (BF-05): since 2016 the violence of the Burkina Sahel spread into
  Soum's neighbours Loroum and Yatenga (Nord) and Bam and Sanmatenga (Centre-Nord), which a view of the Sahel
  region alone would cut off at its edge.
* **tillaberi-tahoua** — Tillabéri (NE006) and Tahoua (NE005), western Niger along the borders with Mali.
* **all** — Mali, Burkina Faso and Niger.

A focus fixes the part of the map in view (its bounding box with a margin); it filters no event. Its name
is what a figure's title says instead of the countries, in the current language (words ``focus.<key>`` and
``focus.<key>.place`` of :mod:`geo.figures.style`). No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import shapely

from ..boundaries import BoundarySet, load_boundary_set
from ..countries import CORE_COUNTRIES
from .geometry import display_units
from .style import word

#: The boundary set whose unit codes define the focus areas.
FOCUS_BOUNDARIES: Final = "ocha-geoboundaries"


@dataclass(frozen=True)
class Focus:
    """An area to fix a map on: `units` are admin-1 codes of :data:`FOCUS_BOUNDARIES` (empty: whole countries)."""

    key: str
    units: tuple[str, ...] = ()
    countries: tuple[str, ...] = CORE_COUNTRIES
    margin: float = 0.12  # share of the area's size added around it

    @property
    def label(self) -> str:
        """Its name in the focus chooser, in the current language: "Mopti (Mali)"."""
        return word(f"focus.{self.key}")

    @property
    def place(self) -> str:
        """What a title says, in the current language: "Mopti region" ("région de Mopti")."""
        return word(f"focus.{self.key}.place")


FOCUS_AREAS: Final[dict[str, Focus]] = {
    focus.key: focus
    for focus in (
        Focus("all", margin=0.02),
        Focus("mopti", units=("ML05",), countries=("MLI",)),
        Focus("burkina-sahel", units=("BF-12", "BF-10", "BF-05"), countries=("BFA",)),
        Focus("tillaberi-tahoua", units=("NE006", "NE005"), countries=("NER",)),
    )
}
DEFAULT_FOCUS: Final = "all"


def focus_area(key: str) -> Focus:
    """The focus of that key (ValueError naming the known ones otherwise).

    Parameters
    ----------
    key
        The focus area's key ("mopti", "burkina-sahel", "tillaberi-tahoua", "all").

    Returns
    -------
    Focus
        The focus of that key (ValueError naming the known ones otherwise).
    """
    if key not in FOCUS_AREAS:
        raise ValueError(f"unknown focus {key!r}; use one of {', '.join(FOCUS_AREAS)}")
    return FOCUS_AREAS[key]


def focus_shape(key: str, boundary_set: BoundarySet | None = None) -> shapely.Geometry:
    """The focus area's outline (the union of its units, or of the countries' units) in EPSG:4326.

    Parameters
    ----------
    key
        The focus area's key.
    boundary_set
        The boundary set.

    Returns
    -------
    shapely.Geometry
        The focus area's outline (the union of its units, or of the countries' units) in EPSG:4326.
    """
    focus = focus_area(key)
    units = display_units(boundary_set or load_boundary_set(FOCUS_BOUNDARIES), "admin1")
    chosen = units[units["unit_code"].isin(focus.units)] if focus.units else units[units["country_iso3"].isin(focus.countries)]
    if chosen.empty:
        raise ValueError(f"the boundary set has none of the units of the focus {key!r} ({', '.join(focus.units)})")
    return shapely.union_all(chosen.geometry.values)


def focus_bounds(key: str, boundary_set: BoundarySet | None = None) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the focus area with its margin.

    Parameters
    ----------
    key
        The focus area's key.
    boundary_set
        The boundary set.

    Returns
    -------
    tuple[float, float, float, float]
        (west, south, east, north) of the focus area with its margin.
    """
    focus = focus_area(key)
    west, south, east, north = focus_shape(key, boundary_set).bounds
    dx, dy = (east - west) * focus.margin, (north - south) * focus.margin
    return west - dx, south - dy, east + dx, north + dy


def focus_unit_codes(key: str, units: gpd.GeoDataFrame) -> set[str]:
    """The codes of the units (of any boundary set and level, e.g. :func:`geo.figures.geometry.display_units`) that lie in the focus area: those whose representative point falls in its outline.

    Every unit for "all".

    Parameters
    ----------
    key
        The focus area's key.
    units
        The units drawn (:func:`geo.figures.geometry.display_units`).

    Returns
    -------
    set[str]
        The codes of the units (of any boundary set and level, e.g. :func:`geo.figures.geometry.display_units`) that
        lie in the focus area: those whose representative point falls in its outline. Every unit for "all".
    """
    if not focus_area(key).units:
        return {str(c) for c in units["unit_code"]}
    shape = shapely.buffer(focus_shape(key), 0.01)  # a unit on the outline is in (simplified edges differ a little)
    points = shapely.point_on_surface(units.geometry.values)
    return {str(code) for code, inside in zip(units["unit_code"], shapely.contains(shape, points)) if inside}
