"""The canonical event table: every reader translates its source into these columns, defined here once.

Text columns hold "" (never NaN) when the source has nothing, so that two readings of the same row are
equal value for value; numeric columns that a source may lack are nullable integers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Source datasets. ACLED and UCDP figures are never added together.
SOURCES = ("acled", "ucdp", "generic", "sample")

#: Label of the synthetic sample, in its `source_text` and everywhere it is shown.
SAMPLE_LABEL = "SYNTHETIC SAMPLE — not real events"

#: column -> (dtype, meaning)
EVENT_COLUMNS: dict[str, tuple[str, str]] = {
    "source_dataset": ("str", "acled | ucdp | generic | sample"),
    "event_id": ("str", "the source's own id (ACLED event_id_cnty, UCDP id); with source_dataset, the key"),
    "event_date": ("datetime64[s]", "day of the event (UCDP: date_start)"),
    "year": ("int64", "year of event_date"),
    "time_precision": ("Int64", "ACLED 1 day / 2 week / 3 month; UCDP date_prec 1–5"),
    "event_type": ("str", "ACLED event type; UCDP type of violence in words"),
    "sub_event_type": ("str", "ACLED sub-event type"),
    "disorder_type": ("str", "ACLED disorder type (2023 and later)"),
    "actor1": ("str", "first actor (UCDP side_a)"),
    "assoc_actor_1": ("str", "actors associated with actor1"),
    "actor1_type": ("str", "kind of actor1 in words (ACLED inter1)"),
    "actor2": ("str", "second actor (UCDP side_b)"),
    "assoc_actor_2": ("str", "actors associated with actor2"),
    "actor2_type": ("str", "kind of actor2 in words (ACLED inter2)"),
    "country": ("str", "country as declared by the source"),
    "country_iso3": ("str", "ISO3 of the declared country"),
    "admin1_declared": ("str", "admin-1 name declared by the source"),
    "admin2_declared": ("str", "admin-2 name declared by the source"),
    "admin3_declared": ("str", "admin-3 name declared by the source"),
    "location": ("str", "place name"),
    "latitude": ("float64", "WGS84 latitude"),
    "longitude": ("float64", "WGS84 longitude"),
    "geo_precision": ("Int64", "ACLED geo_precision 1–3; UCDP where_prec 1–7"),
    "max_admin_level": ("int64", "finest admin level the location supports: 2, 1 or 0 (none)"),
    "fatalities": ("int64", "ACLED fatalities; UCDP best estimate"),
    "fatalities_low": ("Int64", "UCDP low estimate"),
    "fatalities_high": ("Int64", "UCDP high estimate"),
    "civilian_targeting": ("bool", "civilians were the primary target"),
    "notes": ("str", "description of the event"),
    "source_text": ("str", "where the source says it learnt of the event"),
    "revision_timestamp": ("Int64", "ACLED timestamp: when this version was published"),
    "batch_id": ("Int64", "store batch that wrote this version"),
}

CANONICAL_COLUMNS: list[str] = list(EVENT_COLUMNS)
KEY_COLUMNS = ["source_dataset", "event_id"]
TEXT_COLUMNS = [c for c, (dtype, _) in EVENT_COLUMNS.items() if dtype == "str"]
#: The columns a row's content hash covers (all but the batch, which is bookkeeping).
CONTENT_COLUMNS = [c for c in CANONICAL_COLUMNS if c != "batch_id"]


def empty_events() -> pd.DataFrame:
    """A canonical event table with no rows.

    Returns
    -------
    pd.DataFrame
        A canonical event table with no rows.
    """
    return coerce_events(pd.DataFrame({c: [] for c in CANONICAL_COLUMNS}))


def coerce_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame exactly the canonical columns, in order, with their dtypes.

    Missing columns are added empty; extra columns are dropped. Text becomes "" where missing.

    Parameters
    ----------
    frame
        Events with canonical columns (some may be missing).

    Returns
    -------
    pd.DataFrame
        The events.
    """
    out = {}
    n = len(frame)
    for column, (dtype, _) in EVENT_COLUMNS.items():
        values = frame[column] if column in frame else None
        if dtype == "str":
            if values is None:
                out[column] = pd.Series("", index=frame.index, dtype="str")
            else:
                # Already text (the readers' arrow-backed strings): only fill gaps, no copy through Python.
                text = values if isinstance(values.dtype, pd.StringDtype) else values.astype("str")
                out[column] = text.fillna("") if text.hasnans else text
        elif dtype == "datetime64[s]":
            out[column] = (
                pd.to_datetime(values).astype("datetime64[s]") if values is not None
                else pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"), index=frame.index)
            )
        elif dtype == "bool":
            out[column] = values.fillna(False).astype(bool) if values is not None else pd.Series(False, index=frame.index)
        elif dtype == "Int64":
            out[column] = (
                pd.to_numeric(values, errors="coerce").round().astype("Int64") if values is not None
                else pd.Series(pd.NA, index=frame.index, dtype="Int64")
            )
        elif dtype == "int64":
            out[column] = (
                pd.to_numeric(values, errors="coerce").fillna(0).astype("int64") if values is not None
                else pd.Series(0, index=frame.index, dtype="int64")
            )
        else:
            out[column] = (
                pd.to_numeric(values, errors="coerce").astype("float64") if values is not None
                else pd.Series(np.nan, index=frame.index, dtype="float64")
            )
    return pd.DataFrame(out, index=frame.index)


def content_hash(events: pd.DataFrame) -> pd.Series:
    """A 64-bit fingerprint (signed int64) of each event's content (every canonical column but `batch_id`).

    Two rows with the same id and the same fingerprint are unchanged duplicates. Columns are hashed in
    their canonical dtypes (text as text, numbers as numbers), so `coerce_events` must come first.

    Parameters
    ----------
    events
        Canonical events.

    Returns
    -------
    pd.Series
        A 64-bit fingerprint (signed int64) of each event's content (every canonical column but `batch_id`).
    """
    hashed = pd.util.hash_pandas_object(events[CONTENT_COLUMNS], index=False)
    return pd.Series(hashed.to_numpy().view(np.int64), index=events.index, name="content_hash")


# ---------------------------------------------------------------------------------------------- aggregate rows

#: The canonical table of aggregate figures (ACLED's public aggregates per unit and month, `acled-hdx`): every
#: aggregate reader (`geo.readers.hdx`) translates its layout into these columns, defined here once. A row is a
#: unit-month of one indicator; its figures are counts of events, never events themselves.
AGGREGATE_COLUMNS: dict[str, tuple[str, str]] = {
    "source_dataset": ("str", "acled-hdx"),
    "indicator": ("str", "political-violence | civilian-targeting | demonstrations (geo.indicators)"),
    "country_iso3": ("str", "ISO3 of the table's country"),
    "admin_level": ("int64", "1 or 2: the level of the unit the row counts"),
    "admin1_pcode": ("str", "the table's admin-1 code (an OCHA p-code: ML05, BF46, NE006)"),
    "admin1_name": ("str", "the table's admin-1 name"),
    "admin2_pcode": ("str", "the table's admin-2 code (ML0501, BF4603, NE006013); '' for an admin-1 row"),
    "admin2_name": ("str", "the table's admin-2 name; '' for an admin-1 row"),
    "unit_id": ("str", "the unit's key in the table: its code at its level, else its name"),
    "month": ("str", "YYYY-MM"),
    "events": ("int64", "events of the indicator in the unit and month"),
    "fatalities": ("Int64", "their fatalities; missing (never 0) where the source gives none (demonstrations)"),
}
AGGREGATE_KEY = ["source_dataset", "country_iso3", "indicator", "month", "unit_id"]
#: The columns a unit-month's content hash covers: a row whose hash changes is a revision.
AGGREGATE_CONTENT = [c for c in AGGREGATE_COLUMNS if c not in AGGREGATE_KEY]


def coerce_aggregates(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame exactly the aggregate columns, in order, with their dtypes (text "" where missing).

    Parameters
    ----------
    frame
        The table.

    Returns
    -------
    pd.DataFrame
        The rows with exactly the aggregate columns and dtypes.
    """
    out = {}
    for column, (dtype, _) in AGGREGATE_COLUMNS.items():
        values = frame[column] if column in frame else pd.Series(pd.NA, index=frame.index)
        if dtype == "str":
            out[column] = values.astype("str").where(values.notna(), "") if len(values) else values.astype("str")
        elif dtype == "Int64":
            out[column] = pd.to_numeric(values, errors="coerce").astype("Int64")
        else:
            out[column] = pd.to_numeric(values, errors="coerce").fillna(0).astype("int64")
    return pd.DataFrame(out, index=frame.index)


def aggregate_hash(rows: pd.DataFrame) -> pd.Series:
    """A 64-bit fingerprint (signed int64) of each aggregate row's content (`AGGREGATE_CONTENT`).

    Parameters
    ----------
    rows
        Unit-months with the aggregate columns.

    Returns
    -------
    pd.Series
        A 64-bit fingerprint (signed int64) of each aggregate row's content (`AGGREGATE_CONTENT`).
    """
    hashed = pd.util.hash_pandas_object(rows[AGGREGATE_CONTENT], index=False)
    return pd.Series(hashed.to_numpy().view(np.int64), index=rows.index, name="content_hash")
