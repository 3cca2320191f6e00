"""Reading what a view shows from the database, without a cache (plain Python, no Streamlit).

`Reader` holds every read the view models of `geo.figures.views` make: SQL in `geo` (`aggregate_store`, `geo.query`,
the `*_store` functions of `geo.borders`), never every event. `ui.data` caches the same reads per data version
for the app (`ui.data.CachedReader` has the same methods); the view models' tests use a `Reader` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa

from geo import borders as geo_borders
from geo import query
from geo.aggregate import Filters, aggregate_store
from geo.agreement import Agreement, SideBySide, compare_sources, side_by_side
from geo.boundaries import BoundarySet, list_boundary_sets
from geo.civilians import mass_casualty_store
from geo.config import ActorGroup, Settings
from geo.countries import CORE_COUNTRIES
from geo.dataset import ViewData
from geo.figures.style import country_name
from geo.indicators import AGGREGATE_SOURCE
from geo.places import set_fingerprint
from geo.query import SourceVintage
from geo.store import Store

#: Raw event points sent to a map at most; beyond this, a density grid computed in the database. With their
#: popups (or the Borders map's hover texts, once in their year's frame and once in the first view) this keeps
#: a page's payload under 1 MB.
MAX_POINTS = 1_000
#: Side of a density cell, in degrees (about 28 km at these latitudes: the store's summary cells), doubled until
#: at most MAX_CELLS cells remain.
CELL_DEG = query.CELL_DEG
MAX_CELLS = 2_000
#: Events near the borders beyond which cross-border pairs are not searched (the search reads each of them).
MAX_PAIR_CANDIDATES = 30_000
#: Close pairs of events (any countries) beyond which the pair search of a view stops and says so.
MAX_CLOSE_PAIRS = 200_000
#: Mass-casualty events listed (and drawn) at most on the Civilians page; the command line lists them all.
MAX_LISTED = 250


@dataclass(frozen=True)
class Source:
    """The store a view reads and the place set its figures come from: what every query needs."""

    data: ViewData
    boundary_set: BoundarySet
    set_id: int
    tolerance_m: float

    @property
    def store(self) -> Store:
        """The store the figures are read from (the data's: the store's events or the sample's)."""
        return self.data.store

    @property
    def key(self) -> str:
        """Cache key: changes with the data, the boundary file and the placement."""
        return f"{self.data.version}|{self.boundary_set.name}|{set_fingerprint(self.boundary_set)}|{self.set_id}"


@dataclass(frozen=True)
class Points:
    """Events for a point layer: the newest ones when few, else a density grid (`binned`)."""

    events: pd.DataFrame  # raw events (latest_events columns) — empty when binned
    bins: pd.DataFrame  # longitude, latitude, [year], [band], events, fatalities — empty when not binned
    total: int  # events the filters keep
    cell_deg: float | None = None  # side of the cells of `bins`

    @property
    def binned(self) -> bool:
        """Whether the events are too many to draw one by one (the density grid is drawn)."""
        return self.total > len(self.events)


#: What grouped tables sum.
GROUP_FIGURES = ["events", "fatalities", "civilian_events", "civilian_fatalities"]
#: The ranges grouped tables carry (`geo.query.RANGES`): a unit's own, or a country's (its areas' reach at that level).
RANGE_FIGURES = list(query.RANGES)


def group_units(table: pd.DataFrame, by: str, countries: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-unit aggregate rows summed per source, period and country (name) or unit name.

    A unit's ranges are summed with it (the rows of one unit name). A country's are not the sum of its units' (an event
    whose area reaches two of its units is in the maximum of both, yet lies in the country for certain): they come
    from `countries` (`Reader.country_figures`: the areas' reach at the country level), when given.

    Parameters
    ----------
    table
        Per-unit aggregate rows (with their ranges).
    by
        "country" or "unit".
    countries
        Figures and ranges per country (`Reader.country_figures`), for `by` "country".

    Returns
    -------
    pd.DataFrame
        Per-unit aggregate rows summed per source, period and country (name) or unit name, with their ranges.
    """
    table = table.assign(country=table["country_iso3"].map(country_name))  # in the current language
    column = "country" if by == "country" else "unit_name"
    ranged = [c for c in RANGE_FIGURES if c in table]
    summed = GROUP_FIGURES + (ranged if by != "country" else [])
    out = table.groupby(["source", "period", column], as_index=False)[summed].sum(min_count=1)
    for figure in GROUP_FIGURES:
        out[figure] = out[figure].fillna(0)
    if by == "country" and countries is not None and ranged:
        named = countries.assign(country=countries["unit_code"].map(country_name), period=countries["period"].astype(str))
        bounds = named.groupby(["source", "period", "country"], as_index=False)[RANGE_FIGURES].sum(min_count=1)
        out = out.assign(period=out["period"].astype(str)).merge(bounds, on=["source", "period", "country"], how="left")
        for figure, lowest in (("events", "events_min"), ("fatalities", "fatalities_min")):
            # (a country-period no event reaches: its range is its figure)
            out[lowest] = out[lowest].fillna(out[figure])
            out[f"{figure}_max"] = out[f"{figure}_max"].fillna(out[figure])
        aggregates = (out["source"] == AGGREGATE_SOURCE).to_numpy()
        for figure in RANGE_FIGURES:
            out[figure] = out[figure].astype("Float64").round().astype("Int64").mask(aggregates)
    return out


def group_types(figures: pd.DataFrame, by: str) -> pd.DataFrame:
    """Country figures (`Reader.country_figures` split by `by`) summed per source, period and `by` (an event type).

    The ranges are summed too, which may make them wider than they are (an event whose area reaches two countries is in
    the maximum of both), never narrower.

    Parameters
    ----------
    figures
        Figures and ranges per source, period, country and `by`.
    by
        The dimension kept ("event_type").

    Returns
    -------
    pd.DataFrame
        Figures and ranges per source, period and `by`.
    """
    columns = GROUP_FIGURES + [c for c in RANGE_FIGURES if c in figures]
    return figures.groupby(["source", "period", by], as_index=False)[columns].sum(min_count=1)


def few_cells(bins: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The cells, merged two by two in each direction until at most MAX_CELLS remain (and their size).

    Parameters
    ----------
    bins
        Events per grid cell (:func:`geo.query.binned_events`).

    Returns
    -------
    tuple[pd.DataFrame, float]
        The cells, merged two by two in each direction until at most MAX_CELLS remain (and their size).
    """
    size = CELL_DEG
    while len(bins) > MAX_CELLS and size < 16 * CELL_DEG:
        bins = query.coarser_cells(bins, size, 2)
        size *= 2
    return bins, size


@dataclass
class Choices:
    """What the sidebar (or an export's flags) can choose from, from the data and the configuration."""

    boundaries: list[str]
    sources: list[str]
    years: tuple[int, int]
    countries: list[str]
    types: list[str]
    subtypes: list[str]
    presets: dict[str, str]
    levels: dict[str, list[str]]
    events: dict[str, int]  # events per source
    vintages: dict[str, SourceVintage] = field(default_factory=dict)  # per source: last day, ACLED timestamp, UCDP version
    indicators: list[str] = field(default_factory=list)  # the indicators of ACLED's aggregates the store holds

    def as_mapping(self) -> dict:
        """The choices as :meth:`ViewState.from_query` takes them.

        Returns
        -------
        dict
            boundaries, sources, years, countries, types, subtypes and presets.
        """
        return {
            "boundaries": self.boundaries, "sources": self.sources, "years": self.years, "countries": self.countries,
            "types": self.types, "subtypes": self.subtypes, "presets": list(self.presets),
        }


def read_choices(src: Source, settings: Settings) -> Choices:
    """What the data of `src` and the configuration offer (`ui.data.choices` caches it per data version).

    Parameters
    ----------
    src
        The store and the place set read.
    settings
        The settings (`atlas.toml` and the environment).

    Returns
    -------
    Choices
        What the data of `src` and the configuration offer (`ui.data.choices` caches it per data version).
    """
    held = query.data_choices(src.store, src.set_id)
    sets = list_boundary_sets(settings)
    return Choices(
        boundaries=[s.name for s in sets],
        sources=held["sources"],
        years=held["years"] or (2015, pd.Timestamp.now(tz="UTC").year),
        countries=list(CORE_COUNTRIES),
        types=held["types"],
        subtypes=held["subtypes"],
        presets={name: p.label for name, p in settings.presets.items()},
        levels={s.name: list(s.levels) for s in sets},
        events=held["events"],
        vintages=Reader(src).vintages(),
        indicators=held["indicators"],
    )


class Reader:
    """Every read a view makes, straight from the database (see `ui.data.CachedReader` for the cached twin)."""

    def __init__(self, src: Source) -> None:
        self.src = src

    @property
    def boundary_set(self) -> BoundarySet:
        """The boundary set the figures are placed in."""
        return self.src.boundary_set

    # -------------------------------------------------------------------------------- per unit

    def aggregated(self, *, level: str, period: str, filters: Filters) -> pd.DataFrame:
        """`geo.aggregate.aggregate_store` with its ranges (the table of `python -m geo aggregate --ranges`).

        Parameters
        ----------
        level
            The unit level: "admin1" or "admin2".
        period
            The period of the rows: "year", "quarter" or "month".
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).

        Returns
        -------
        pd.DataFrame
            `geo.aggregate.aggregate_store` with its ranges (the table of `python -m geo aggregate --ranges`).
        """
        src = self.src
        return aggregate_store(src.store, src.boundary_set, level=level, period=period, filters=filters, tolerance_m=src.tolerance_m,
                               ranges=True)

    def country_figures(self, *, period: str, filters: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
        """Figures and ranges per source, period and country (`unit_code`: its ISO3 code) and `by` (`geo.query.unit_figures`).

        Parameters
        ----------
        period
            The period of the rows: "year", "quarter" or "month".
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        by
            More dimensions of the rows ("event_type", ...).

        Returns
        -------
        pd.DataFrame
            Figures and ranges per source, period, country and `by`.
        """
        figures, _ = query.unit_figures(self.src.store, self.src.set_id, level="country", period=period, filters=filters, by=by,
                                        ranges=True)
        return figures

    def grouped(self, *, by: str, level: str, period: str, filters: Filters) -> pd.DataFrame:
        """Metrics (and their ranges) per source, period and group: "country", "unit" (name, at `level`) or "event_type".

        Parameters
        ----------
        by
            "country", "unit" or "event_type".
        level
            The unit level: "admin1" or "admin2".
        period
            The period of the rows: "year", "quarter" or "month".
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).

        Returns
        -------
        pd.DataFrame
            Metrics (and their ranges) per source, period and group.
        """
        if by in ("country", "unit"):
            countries = self.country_figures(period=period, filters=filters) if by == "country" else None
            return group_units(self.aggregated(level=level, period=period, filters=filters), by, countries)
        return group_types(self.country_figures(period=period, filters=filters, by=(by,)), by)

    def unit_detail(self, *, level: str, unit_code: str, filters: Filters, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(top actors, latest events) of one unit: at most `n` rows each.

        Parameters
        ----------
        level
            The unit level: "admin1" or "admin2".
        unit_code
            The unit (of `level`).
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        n
            The most actors and events returned.

        Returns
        -------
        tuple[pd.DataFrame, pd.DataFrame]
            (top actors, latest events) of one unit: at most `n` rows each.
        """
        src = self.src
        actors = query.top_actors(src.store, src.set_id, filters=filters, n=n, level=level, unit_code=unit_code)
        latest = query.latest_events(src.store, src.set_id, filters=filters, limit=n, level=level, unit_code=unit_code)
        return actors, latest

    def points(self, *, filters: Filters, limit: int = MAX_POINTS) -> Points:
        """Events to draw as points: at most `limit` raw events, else the density grid of all of them.

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        limit
            The most events drawn as points.

        Returns
        -------
        Points
            Events to draw as points: at most `limit` raw events, else the density grid of all of them.
        """
        src = self.src
        total = query.count_events(src.store, src.set_id, filters=filters)
        if total <= limit:
            return Points(query.latest_events(src.store, src.set_id, filters=filters, limit=limit), pd.DataFrame(), total)
        bins, cell = few_cells(query.binned_events(src.store, src.set_id, filters=filters, cell_deg=CELL_DEG))
        return Points(pd.DataFrame(), bins, total, cell)

    def event_rows(self, *, filters: Filters, limit: int) -> tuple[pd.DataFrame, int]:
        """(at most `limit` events the filters keep, newest first, with their places; how many the filters keep).

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        limit
            The most events returned.

        Returns
        -------
        tuple[pd.DataFrame, int]
            (at most `limit` events the filters keep, newest first, with their places; how many the filters keep).
        """
        src = self.src
        total = query.count_events(src.store, src.set_id, filters=filters)
        return query.latest_events(src.store, src.set_id, filters=filters, limit=limit), total

    def vintages(self) -> dict[str, SourceVintage]:
        """Each source's last day, newest ACLED timestamp and UCDP version (`geo.query.source_vintages`).

        Returns
        -------
        dict[str, SourceVintage]
            Each source's last day, newest ACLED timestamp and UCDP version (`geo.query.source_vintages`).
        """
        return query.source_vintages(self.src.store, self.src.set_id)

    def agreement(self, *, level: str, period: str, indicator: str | None, filters: Filters) -> Agreement:
        """ACLED's events beside ACLED's aggregates of one indicator (`geo.agreement.compare_sources`).

        Parameters
        ----------
        level
            The unit level: "admin1" or "admin2".
        period
            The period of the rows: "year", "quarter" or "month".
        indicator
            One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations").
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).

        Returns
        -------
        Agreement
            The comparison (:class:`geo.agreement.Agreement`).
        """
        src = self.src
        return compare_sources(src.store, src.boundary_set, level=level, period=period, indicator=indicator, filters=filters,
                               tolerance_m=src.tolerance_m)

    def side_by_side(self, *, sources: tuple[str, str], level: str, period: str, indicator: str | None,
                     filters: Filters) -> SideBySide:
        """Two sources per unit and period with their ranges and difference (`geo.agreement.side_by_side`).

        Parameters
        ----------
        sources
            Two different sources.
        level
            The unit level: "admin1" or "admin2".
        period
            The period of the rows: "year", "quarter" or "month".
        indicator
            ACLED's indicator both are counted with (None: political violence).
        filters
            Dates and countries.

        Returns
        -------
        SideBySide
            The two sources' rows side by side.
        """
        src = self.src
        return side_by_side(src.store, src.boundary_set, sources=tuple(sources), level=level, period=period, indicator=indicator,
                            filters=filters, tolerance_m=src.tolerance_m)

    # -------------------------------------------------------------------------------- civilians

    def perpetrator_table(self, *, level: str, filters: Filters) -> pd.DataFrame:
        """The aggregate per unit, year and perpetrator (``python -m geo aggregate --by perpetrator --no-empty``).

        Parameters
        ----------
        level
            The unit level: "admin1" or "admin2".
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).

        Returns
        -------
        pd.DataFrame
            The aggregate per unit, year and perpetrator (``python -m geo aggregate --by perpetrator --no-empty``).
        """
        src = self.src
        return aggregate_store(src.store, src.boundary_set, level=level, period="year", filters=filters,
                               tolerance_m=src.tolerance_m, include_empty=False, by=("perpetrator",))

    def mass_casualty(self, *, level: str, filters: Filters, min_fatalities: int, civilian_only: bool = False,
                      unit_code: str | None = None, limit: int = MAX_LISTED) -> tuple[pd.DataFrame, int]:
        """(the `limit` largest events with at least `min_fatalities` fatalities — only those targeting civilians when `civilian_only` —, how many there are in all).

        Parameters
        ----------
        level
            The unit level: "admin1" or "admin2".
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        min_fatalities
            The smallest number of fatalities an event must have (inclusive).
        civilian_only
            Only events whose primary target was civilians.
        unit_code
            Limit to this unit (of `level`); None for every unit.
        limit
            The most events returned.

        Returns
        -------
        tuple[pd.DataFrame, int]
            (the events, how many there are in all).
        """
        src = self.src
        events = mass_casualty_store(src.store, src.boundary_set, filters=filters, min_fatalities=min_fatalities,
                                     civilian_only=civilian_only, level=level, unit_code=unit_code, limit=limit,
                                     tolerance_m=src.tolerance_m)
        if len(events) < limit:
            return events, len(events)
        extra = [query.events_table.c.fatalities >= int(min_fatalities)]
        if civilian_only:
            extra.append(sa.func.coalesce(query.events_table.c.civilian_targeting, sa.false()))
        if unit_code is not None:
            extra.append(query.places_table.c[f"{level}_code"] == unit_code)
        return events, query.count_events(src.store, src.set_id, filters=filters, extra=tuple(extra))

    def named_groups(self, *, filters: Filters, groups: tuple[ActorGroup, ...], level: str,
                     unit_code: str | None = None) -> pd.DataFrame:
        """Civilian fatalities per year and named group (atlas.toml [actor_groups]) of the first actor.

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        groups
            The named armed groups of `atlas.toml` [actor_groups].
        level
            The unit level: "admin1" or "admin2".
        unit_code
            Limit to this unit (of `level`); None for every unit.

        Returns
        -------
        pd.DataFrame
            Civilian fatalities per source, year and named group.
        """
        return query.group_figures(self.src.store, self.src.set_id, filters=filters, period="year", groups=tuple(groups),
                                   civilian_only=True, level=level, unit_code=unit_code)

    def top_perpetrators(self, *, filters: Filters, level: str, unit_code: str | None = None, n: int = 12) -> pd.DataFrame:
        """The first actors with most civilian fatalities (`geo.query.top_perpetrators`).

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        level
            The unit level: "admin1" or "admin2".
        unit_code
            Limit to this unit (of `level`); None for every unit.
        n
            The most actors returned.

        Returns
        -------
        pd.DataFrame
            The first actors with most civilian fatalities (`geo.query.top_perpetrators`).
        """
        return query.top_perpetrators(self.src.store, self.src.set_id, filters=filters, n=n, level=level, unit_code=unit_code)

    # -------------------------------------------------------------------------------- borders

    def border_geometry(self) -> geo_borders.BorderGeometry:
        """`geo.borders.shared_borders`; AtlasError without the three countries.

        Returns
        -------
        geo_borders.BorderGeometry
            `geo.borders.shared_borders`; AtlasError without the three countries.
        """
        return geo_borders.shared_borders(self.src.boundary_set)

    def border_shapes(self, *, bands: tuple[float, ...], tri_radius_km: float) -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
        """The distance-band polygons and the tri-border disc.

        Parameters
        ----------
        bands
            Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).
        tri_radius_km
            The radius of the tri-border zone, in km.

        Returns
        -------
        tuple[gpd.GeoDataFrame, shapely.Geometry]
            The distance-band polygons and the tri-border disc.
        """
        geometry = self.border_geometry()
        return (geo_borders.band_polygons(geometry, self.src.boundary_set, bands),
                geo_borders.tri_border_zone(geometry, tri_radius_km))

    def border_table(self, *, filters: Filters, period: str, bands: tuple[float, ...]) -> pd.DataFrame:
        """`geo.borders.border_table_store` (the table of `python -m geo borders`).

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        period
            The period of the rows: "year", "quarter" or "month".
        bands
            Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).

        Returns
        -------
        pd.DataFrame
            `geo.borders.border_table_store` (the table of `python -m geo borders`).
        """
        src = self.src
        return geo_borders.border_table_store(src.store, src.boundary_set, filters=filters, period=period, bands=bands,
                                              tolerance_m=src.tolerance_m)

    def border_pairs(self, *, filters: Filters, max_km: float, max_days: int, same_actor: bool) -> pd.DataFrame:
        """Cross-border pairs of the events the filters keep (only events near the borders are read).

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        max_km
            The largest distance between the two events of a pair, in km.
        max_days
            The largest number of days between the two events of a pair.
        same_actor
            Whether the two events of a pair must share an actor.

        Returns
        -------
        pd.DataFrame
            Cross-border pairs of the events the filters keep (only events near the borders are read).
        """
        src = self.src
        return geo_borders.cross_border_pairs_store(src.store, src.boundary_set, filters=filters, max_km=max_km,
                                                    max_days=max_days, same_actor=same_actor, tolerance_m=src.tolerance_m,
                                                    max_pairs=MAX_CLOSE_PAIRS)

    def border_pairs_within(
        self, *, filters: list[Filters], max_km: float, max_days: int, same_actor: bool
    ) -> tuple[pd.DataFrame | None, int | None, int]:
        """Cross-border pairs under the first of `filters` (widest first) that leaves at most `MAX_PAIR_CANDIDATES` events near the borders: the search stays bounded whatever the store holds.

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        max_km
            The largest distance between the two events of a pair, in km.
        max_days
            The largest number of days between the two events of a pair.
        same_actor
            Whether the two events of a pair must share an actor.

        Returns
        -------
        (pairs or None when even the last filters leave too many events, position of the filters used, events
        near the borders under them)
        """
        count = 0
        for position, candidate in enumerate(filters):
            count = query.near_border_count(self.src.store, self.src.set_id, filters=candidate, max_km=max_km)
            if count <= MAX_PAIR_CANDIDATES:
                try:
                    pairs = self.border_pairs(filters=candidate, max_km=max_km, max_days=max_days, same_actor=same_actor)
                except geo_borders.TooManyPairs:
                    continue  # too many close pairs in these years: the next, narrower filters
                return pairs, position, count
        return None, None, count

    def border_actors(self, *, filters: Filters, period: str) -> pd.DataFrame:
        """Cross-border actors (counted in the database).

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        period
            The period of the rows: "year", "quarter" or "month".

        Returns
        -------
        pd.DataFrame
            Cross-border actors (counted in the database).
        """
        src = self.src
        return geo_borders.cross_border_actors_store(src.store, src.boundary_set, filters=filters, period=period,
                                                     tolerance_m=src.tolerance_m)

    def actor_footprint(self, *, filters: Filters, actor: str, periods: list[str]) -> pd.DataFrame:
        """Events of one actor per year and country (MLI, BFA, NER columns).

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        actor
            The actor.
        periods
            The years of the rows.

        Returns
        -------
        pd.DataFrame
            Events of one actor per year and country (MLI, BFA, NER columns).
        """
        return query.actor_footprint(self.src.store, self.src.set_id, filters=filters, actor=actor,
                                     periods=[str(p) for p in periods], countries=CORE_COUNTRIES)

    def tri_share(self, *, filters: Filters, radius_km: float) -> tuple[int, int]:
        """(events in the tri-border zone, events near a shared border) of the filters.

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        radius_km
            The radius of the tri-border zone, in km.

        Returns
        -------
        tuple[int, int]
            (events in the tri-border zone, events near a shared border) of the filters.
        """
        return query.tri_zone_share(self.src.store, self.src.set_id, filters=filters, radius_km=radius_km)

    def border_points(self, *, filters: Filters, bands: tuple[float, ...], limit: int = MAX_POINTS) -> Points:
        """Events near the shared borders for the Borders map: raw up to `limit`, else per year, band and cell.

        Parameters
        ----------
        filters
            The event filters (dates, sources, countries, event types, preset, actor, geo precision).
        bands
            Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).
        limit
            The most events drawn as points.

        Returns
        -------
        Points
            Events near the shared borders for the Borders map: raw up to `limit`, else per year, band and cell.
        """
        src = self.src
        counted = (query.places_table.c.border.in_(list(geo_borders.BORDERS)),)
        total = query.near_border_count(src.store, src.set_id, filters=filters)  # at any distance
        if total <= limit:
            events = query.latest_events(src.store, src.set_id, filters=filters, limit=limit, extra=counted)
            return Points(events, pd.DataFrame(), total)
        bins = query.binned_events(src.store, src.set_id, filters=filters, cell_deg=CELL_DEG, by_year=True, bands=bands,
                                   near_borders=True)
        bins, cell = few_cells(bins)
        return Points(pd.DataFrame(), bins, total, cell)
