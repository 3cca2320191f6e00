"""One indicator vocabulary for every source: ACLED's three public indicators, defined once.

ACLED publishes its aggregates per admin-2 unit and month for three indicators (HDX workbooks, HDX HAPI's
`conflict_event`). The same names select events, with ACLED's own definitions, so that events and
aggregates compare one to one:

- **political-violence**: Battles, Explosions/Remote violence, Violence against civilians, and the Riots
  sub-type Mob violence;
- **civilian-targeting**: events whose primary target was civilians (ACLED's `civilian_targeting` flag; the
  reader derives it for exports before 2023, UCDP's one-sided violence sets it);
- **demonstrations**: Protests, and Riots other than Mob violence. ACLED gives no fatalities for them: an
  aggregate's demonstration fatalities are unknown (NULL), never zero.

UCDP GED records only organised violence with deaths: all its events are political violence, its one-sided
violence is civilian targeting, and it has no demonstrations.

Aggregate rows carry their indicator in the summary's `event_type` column (source `acled-hdx`): an
aggregate figure is always of exactly one indicator, so two indicators (civilian targeting is a part of
political violence) are never added together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .errors import AtlasError

#: The source of ACLED's public aggregates (HDX workbooks and HDX HAPI rows).
AGGREGATE_SOURCE = "acled-hdx"


@dataclass(frozen=True)
class Indicator:
    """
    One of ACLED's public indicators.

    Attributes
    ----------
    code
        The name on the command line and in URLs ("political-violence").
    label
        In words, for messages of the pipeline (figures use the language catalogues).
    hapi
        HDX HAPI's `event_type` value.
    has_fatalities
        False when ACLED gives no fatalities for it (demonstrations).
    """

    code: str
    label: str
    hapi: str
    has_fatalities: bool = True


INDICATORS: dict[str, Indicator] = {
    "political-violence": Indicator("political-violence", "Political violence", "political_violence"),
    "civilian-targeting": Indicator("civilian-targeting", "Civilian targeting", "civilian_targeting"),
    "demonstrations": Indicator("demonstrations", "Demonstrations", "demonstration", has_fatalities=False),
}
#: The indicator an aggregate figure shows when none is asked.
DEFAULT_INDICATOR = "political-violence"
#: ACLED's event types counted as political violence, and the Riots sub-type that is too.
POLITICAL_VIOLENCE_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
RIOTS, MOB_VIOLENCE, PROTESTS = "Riots", "Mob violence", "Protests"
_BY_HAPI = {i.hapi: i.code for i in INDICATORS.values()}
# Words of a file name that say which indicator a table holds (HDX's workbook names).
_NAME_WORDS = {
    "political-violence": re.compile(r"political[\s_-]*violence", re.IGNORECASE),
    "civilian-targeting": re.compile(r"civilian[\s_-]*targeting", re.IGNORECASE),
    "demonstrations": re.compile(r"demonstrations?", re.IGNORECASE),
}


def check_indicator(code: str | None) -> str | None:
    """The indicator code, or None; an unknown one is refused in one line naming the known ones.

    Parameters
    ----------
    code
        An indicator code, or None.

    Returns
    -------
    str | None
        The indicator code, or None; an unknown one is refused in one line naming the known ones.

    Raises
    ------
    AtlasError
    """
    if code is None or code == "":
        return None
    if code not in INDICATORS:
        raise AtlasError(f"unknown indicator {code!r}; use --indicator {'|'.join(INDICATORS)}")
    return code


def indicator_from_hapi(value: object) -> str | None:
    """HDX HAPI's `event_type` ("political_violence") as an indicator code, or None.

    Parameters
    ----------
    value
        A value (None, NaN or pd.NA when missing).

    Returns
    -------
    str | None
        The indicator code, or None.
    """
    return _BY_HAPI.get(str(value).strip().lower())


def indicator_from_file_name(name: str) -> str | None:
    """The indicator a file's name says it holds ("…_political_violence_…" → political-violence), or None.

    Parameters
    ----------
    name
        The file's name.

    Returns
    -------
    str | None
        The indicator a file's name says it holds ("…_political_violence_…" → political-violence), or None.
    """
    found = [code for code, pattern in _NAME_WORDS.items() if pattern.search(name)]
    return found[0] if len(found) == 1 else None


def has_fatalities(indicator: str | None) -> bool:
    """Whether an aggregate of this indicator gives fatalities (demonstrations do not).

    Parameters
    ----------
    indicator
        One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations"); None for events.

    Returns
    -------
    bool
        Whether an aggregate of this indicator gives fatalities (demonstrations do not).
    """
    return INDICATORS[indicator or DEFAULT_INDICATOR].has_fatalities


def lacking_figures(indicator: str | None) -> tuple[str, ...]:
    """The figures of `geo.aggregate` an aggregate of `indicator` does not have, left empty (never zero).

    UCDP's bounds, whether events were snapped to a unit, civilian figures unless the indicator is civilian
    targeting (its events are then the civilian-targeting events), and fatalities of demonstrations.

    Parameters
    ----------
    indicator
        One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations"); None for events.

    Returns
    -------
    tuple[str, ...]
        The figures of `geo.aggregate` an aggregate of `indicator` does not have, left empty (never zero): UCDP's
        bounds, whether events were snapped to a unit, civilian figures unless the indicator is civilian targeting
        (its events are then the civilian-targeting events), and fatalities of demonstrations.
    """
    indicator = indicator or DEFAULT_INDICATOR
    lacking = ["fatalities_low", "fatalities_high", "snapped_events"]
    if indicator != "civilian-targeting":
        lacking += ["civilian_events", "civilian_fatalities"]
    if not has_fatalities(indicator):
        lacking += ["fatalities", "civilian_fatalities"]
    return tuple(dict.fromkeys(lacking))


def event_mask(events: pd.DataFrame, indicator: str) -> np.ndarray:
    """Which events (canonical columns, in memory) the indicator counts, by ACLED's definitions.

    Aggregate rows are not events: they never reach this function.

    Parameters
    ----------
    events
        Canonical events (the columns of :mod:`geo.schema`).
    indicator
        One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations").

    Returns
    -------
    np.ndarray
        Which events (canonical columns, in memory) the indicator counts, by ACLED's definitions.
    """
    event_type = events["event_type"].fillna("").astype(str)
    sub_type = events["sub_event_type"].fillna("").astype(str)
    source = events["source_dataset"].astype(str)
    is_ucdp = (source == "ucdp").to_numpy()
    riots = (event_type == RIOTS).to_numpy()
    mob = (sub_type == MOB_VIOLENCE).to_numpy()
    if indicator == "political-violence":
        acled = event_type.isin(POLITICAL_VIOLENCE_TYPES).to_numpy() | (riots & mob)
        return np.where(is_ucdp, True, acled)
    if indicator == "civilian-targeting":
        return events["civilian_targeting"].fillna(False).astype(bool).to_numpy()
    if indicator == "demonstrations":
        acled = (event_type == PROTESTS).to_numpy() | (riots & ~mob)
        return np.where(is_ucdp, False, acled)
    raise AtlasError(f"unknown indicator {indicator!r}; use one of {', '.join(INDICATORS)}")


def indicator_sql(indicator: str | None, *, source: sa.ColumnElement[str], event_type: sa.ColumnElement[str],
                  sub_event_type: sa.ColumnElement[str], civilian: sa.ColumnElement[bool]) -> sa.ColumnElement:
    """The SQL condition of an indicator on the store's events or its summary, aggregate rows included.

    Aggregate rows (`acled-hdx`) hold their indicator in `event_type`: they are kept for their own
    indicator only — the default one when none is asked, so that indicators are never added together.

    Parameters
    ----------
    indicator
        An indicator code, or None (events: all of them; aggregates: the default indicator).
    source, event_type, sub_event_type, civilian
        The columns (or SQL expressions) of the source, event type, sub-type and civilian-targeting flag.

    Returns
    -------
    sa.ColumnElement
        The SQL condition of an indicator on the store's events or its summary, aggregate rows included.
    """
    aggregate = source == AGGREGATE_SOURCE
    own = sa.and_(aggregate, event_type == (indicator or DEFAULT_INDICATOR))
    if indicator is None:
        return sa.or_(source != AGGREGATE_SOURCE, own)
    if indicator == "political-violence":
        events = sa.or_(source == "ucdp", event_type.in_(POLITICAL_VIOLENCE_TYPES),
                        sa.and_(event_type == RIOTS, sub_event_type == MOB_VIOLENCE))
    elif indicator == "civilian-targeting":
        events = civilian
    elif indicator == "demonstrations":
        events = sa.and_(source != "ucdp", sa.or_(event_type == PROTESTS,
                                                  sa.and_(event_type == RIOTS, sub_event_type != MOB_VIOLENCE)))
    else:
        raise AtlasError(f"unknown indicator {indicator!r}; use one of {', '.join(INDICATORS)}")
    return sa.or_(own, sa.and_(source != AGGREGATE_SOURCE, events))


def needs_sub_types(indicator: str | None) -> bool:
    """Whether selecting events of the indicator reads their sub-type (political violence and demonstrations do).

    Parameters
    ----------
    indicator
        One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations"); None for none.

    Returns
    -------
    bool
        Whether selecting events of the indicator reads their sub-type (political violence and demonstrations do).
    """
    return indicator in ("political-violence", "demonstrations")
