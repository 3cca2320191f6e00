"""Civilians: how many were killed, by whom and where, and the mass-casualty events — of the stored events, computed in the database (SQL `GROUP BY` with the filters as `WHERE`, and `LIMIT`ed lists), as `python -m geo mass-casualty` and the Civilians page show them.

Civilian fatalities are the fatalities of the events whose primary target was civilians
(`civilian_targeting`: ACLED's flag, derived for older exports by the reader; UCDP one-sided violence,
type_of_violence 3, with its best estimate). The perpetrator is the kind of the event's first actor
(`geo.perpetrators`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import query
from .aggregate import SPECIAL_NAMES
from .boundaries import BoundarySet
from .config import ActorGroup, Settings, get_settings
from .errors import AtlasError
from .filters import Filters
from .join import OUTSIDE_CODE, UNALLOCATED_CODE
from .perpetrators import PERPETRATORS, group_labels, perpetrator_codes
from .places import ensure_placement
from .store import Store

#: Fatalities from which an event counts as a mass-casualty event, unless the user sets another threshold.
DEFAULT_MIN_FATALITIES = 10
#: Columns of `python -m geo mass-casualty` (a contract: extend at the end, never rename).
MASS_CASUALTY_COLUMNS = [
    "source", "event_id", "event_date", "country_iso3", "unit_code", "unit_name", "location", "actor1", "actor2",
    "perpetrator", "fatalities", "civilian_targeting",
]
#: Further columns of `mass_casualty_store` for the page (not written by the command line).
MASS_CASUALTY_DETAILS = [
    "event_type", "sub_event_type", "notes", "fatalities_low", "fatalities_high", "latitude", "longitude", "admin1_code",
    "admin2_code", "actor1_type",
]
_SPECIAL = (OUTSIDE_CODE, UNALLOCATED_CODE)


def check_min_fatalities(value: int) -> int:
    """The mass-casualty threshold as an int; AtlasError unless it is a whole number of at least 1.

    Parameters
    ----------
    value
        The threshold asked for.

    Returns
    -------
    int
        The threshold.
    """
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise AtlasError(f"the mass-casualty threshold {value!r} is not a whole number") from None
    if number != value or number < 1:
        raise AtlasError(f"the mass-casualty threshold must be a whole number of at least 1 (got {value!r})")
    return number


def mass_casualty_store(
    store: Store,
    boundary_set: BoundarySet,
    *,
    filters: Filters | None = None,
    min_fatalities: int = DEFAULT_MIN_FATALITIES,
    civilian_only: bool = False,
    level: str = "admin1",
    unit_code: str | None = None,
    limit: int | None = None,
    tolerance_m: float | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """The stored events with at least `min_fatalities` fatalities that the filters keep, largest first.

    Parameters
    ----------
    filters
        Which events (the same filters as every figure).
    min_fatalities
        Threshold (inclusive).
    civilian_only
        Only events whose primary target was civilians.
    level
        The unit level of `unit_code` / `unit_name` ("admin1" or "admin2").
    unit_code
        Only events placed in this unit (of `level`).
    limit
        At most this many events (the page); None for all (the command line).
    store
        The event store.
    boundary_set
        The boundary set.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    DataFrame with `MASS_CASUALTY_COLUMNS` then `MASS_CASUALTY_DETAILS`; event_date is a date, unit_name the
    unit's name in the boundary set (or what `_OUTSIDE` / `_UNALLOCATED` mean), perpetrator a
    `geo.perpetrators.PERPETRATORS` code.
    """
    settings = settings or get_settings()
    filters = filters or Filters()
    filters.resolved(settings)  # an unknown preset is refused before any work
    min_fatalities = check_min_fatalities(min_fatalities)
    units = boundary_set.units(level)  # a level the set lacks is refused with the set's own message
    tolerance = settings.tolerance_m if tolerance_m is None else tolerance_m
    set_id = ensure_placement(store, boundary_set, tolerance_m=tolerance)
    events = query.mass_casualty_events(store, set_id, filters=filters, min_fatalities=min_fatalities,
                                        civilian_only=civilian_only, level=level, unit_code=unit_code, limit=limit)
    names = {**dict(zip(units["unit_code"], units["unit_name"])), **SPECIAL_NAMES}
    out = events.copy()
    out["unit_name"] = out["unit_code"].map(names).fillna("")
    out["perpetrator"] = perpetrator_codes(out["actor1_type"])
    out["event_date"] = out["event_date"].dt.date
    return out[[*MASS_CASUALTY_COLUMNS, *MASS_CASUALTY_DETAILS]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- tables


def perpetrator_series(table: pd.DataFrame, *, metric: str = "civilian_fatalities") -> pd.DataFrame:
    """`metric` per period and perpetrator, over every row of an aggregate split by perpetrator (units, `_OUTSIDE` and `_UNALLOCATED`: the totals of the events counted).

    Parameters
    ----------
    table
        `geo.aggregate.aggregate_store(..., by=("perpetrator",))` rows of one source.
    metric
        The metric: "events", "fatalities", "civilian_events", "civilian_fatalities" or "events_per_10k_km2".

    Returns
    -------
    DataFrame with period, perpetrator, label, `metric`; perpetrators in `PERPETRATORS` order, rows with
    0 left out.
    """
    _one_source(table)
    grouped = table.groupby(["period", "perpetrator"], as_index=False)[metric].sum()
    grouped = grouped[grouped[metric] > 0]
    order = {code: i for i, code in enumerate(PERPETRATORS)}
    grouped = grouped.assign(_o=grouped["perpetrator"].map(order)).sort_values(["period", "_o"]).drop(columns="_o")
    grouped.insert(2, "label", grouped["perpetrator"].map(PERPETRATORS))
    return grouped.reset_index(drop=True)


def unit_perpetrators(table: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Per unit, civilian fatalities of `periods` summed, by perpetrator (one column per perpetrator code that has any), their total and the share of state forces.

    Parameters
    ----------
    table
        `aggregate_store(..., by=("perpetrator",))` rows of one source (units without events may be absent).
    periods
        Periods to sum.

    Returns
    -------
    DataFrame with unit_code, unit_name, country_iso3, one column per perpetrator code, civilian_fatalities,
    civilian_events and state_share (NaN without civilian fatalities); units with civilian-targeting events
    only, most civilian fatalities first. `_OUTSIDE` / `_UNALLOCATED` rows are left out (show them apart).
    """
    _one_source(table)
    chosen = table[table["period"].astype(str).isin([str(p) for p in periods]) & ~table["unit_code"].isin(_SPECIAL)]
    chosen = chosen[chosen["civilian_events"] > 0]
    keys = ["unit_code", "unit_name", "country_iso3"]
    if chosen.empty:
        return pd.DataFrame(columns=[*keys, "civilian_fatalities", "civilian_events", "state_share"])
    wide = chosen.pivot_table(index=keys, columns="perpetrator", values="civilian_fatalities", aggfunc="sum", fill_value=0)
    wide = wide[[c for c in PERPETRATORS if c in wide.columns]].astype("int64")
    wide.columns.name = None
    wide["civilian_fatalities"] = wide.sum(axis=1)
    wide["civilian_events"] = chosen.groupby(keys)["civilian_events"].sum().reindex(wide.index).astype("int64")
    state = wide["state_forces"] if "state_forces" in wide else 0
    wide["state_share"] = (state / wide["civilian_fatalities"].where(wide["civilian_fatalities"] > 0)).round(4)
    out = wide.reset_index().sort_values(["civilian_fatalities", "civilian_events", "unit_name"], ascending=[False, False, True])
    return out.reset_index(drop=True)


def state_share(table: pd.DataFrame, periods: Sequence[str]) -> dict[str, float]:
    """Civilian fatalities of `periods` (every row: units, `_OUTSIDE`, `_UNALLOCATED`), those attributed to state forces and to external forces, and the share of each.

    Parameters
    ----------
    table
        Aggregate rows split by perpetrator, of one source.
    periods
        The periods summed.

    Returns
    -------
    dict with civilian_fatalities, state_forces, external_forces, state_share, external_share (NaN shares
    without civilian fatalities).
    """
    _one_source(table)
    chosen = table[table["period"].astype(str).isin([str(p) for p in periods])]
    by = chosen.groupby("perpetrator")["civilian_fatalities"].sum()
    total = float(by.sum())
    state, external = float(by.get("state_forces", 0)), float(by.get("external_forces", 0))
    return {
        "civilian_fatalities": total, "state_forces": state, "external_forces": external,
        "state_share": state / total if total else np.nan, "external_share": external / total if total else np.nan,
    }


def group_series(figures: pd.DataFrame, groups: Sequence[ActorGroup], *, metric: str = "civilian_fatalities") -> pd.DataFrame:
    """`metric` per period and named group (`geo.query.group_figures` rows of one source), with the groups' official names; groups in the order of atlas.toml, "Other or unnamed actors" last; rows with 0 left out.

    Parameters
    ----------
    figures
        `geo.query.group_figures` rows of one source.
    groups
        The named armed groups of `atlas.toml` [actor_groups].
    metric
        The metric: "events", "fatalities", "civilian_events", "civilian_fatalities" or "events_per_10k_km2".

    Returns
    -------
    DataFrame with period, group, label, `metric`.
    """
    _one_source(figures)
    labels = group_labels(groups)
    order = {key: i for i, key in enumerate(labels)}
    grouped = figures.groupby(["period", "group"], as_index=False)[metric].sum()
    grouped = grouped[grouped[metric] > 0]
    grouped = grouped.assign(_o=grouped["group"].map(order)).sort_values(["period", "_o"]).drop(columns="_o")
    grouped.insert(2, "label", grouped["group"].map(labels).fillna(grouped["group"]))
    return grouped.reset_index(drop=True)


def _one_source(table: pd.DataFrame) -> None:
    if "source" in table and table["source"].nunique() > 1:
        raise ValueError("rows of several sources: ACLED and UCDP figures are never added together; select one source")
