"""Who did it: the perpetrator of an event (the kind of its first actor) and the named armed groups of `atlas.toml`, defined here once for every figure, in memory and in SQL.

- **Kinds.** ACLED types each actor (`inter1`): numeric codes 1–8 before 2023, words since; the ACLED
  reader turns both into words (`actor1_type`). UCDP GED does not type its actors: side A is a government
  or an organisation. The UCDP reader puts "State forces" in `actor1_type` when side A is the government
  of the event's country, "External/Other forces" when it is another government (as ACLED codes foreign
  armies), and leaves organisations untyped (`side_a_type`). `perpetrator_code` maps an actor type to
  one of `PERPETRATORS`; untyped actors are "unknown".
- **Named groups.** `[actor_groups]` of `atlas.toml` (`geo.config.ActorGroup`) gather actor names under
  an official name; `group_of` puts a name in its group (the database sums figures per name first:
  `geo.query.group_figures`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .config import ActorGroup
from .countries import iso3_from_name
from .names import normalize_name

#: Perpetrator codes (the `perpetrator` column of `python -m geo aggregate --by perpetrator` and of
#: `python -m geo mass-casualty`) and their labels, in the order figures show them.
PERPETRATORS: dict[str, str] = {
    "state_forces": "State forces",
    "rebel_groups": "Rebel groups",
    "political_militias": "Political militias",
    "identity_militias": "Identity militias",
    "rioters": "Rioters",
    "protesters": "Protesters",
    "civilians": "Civilians",
    "external_forces": "External/Other forces",
    "unknown": "Not typed",
}
UNKNOWN = "unknown"
#: The code given to actors of no named group, and its label.
OTHER_GROUP = "_other"
OTHER_GROUP_LABEL = "Other or unnamed actors"

# Actor types as ACLED writes them (words since 2023, earlier names of the same kinds, and the numeric
# codes of older exports should a file carry them through), lower-cased.
_ACTOR_TYPES = {
    "state_forces": ("state forces", "state force", "1"),
    "rebel_groups": ("rebel group", "rebel groups", "rebels", "2"),
    "political_militias": ("political militia", "political militias", "3"),
    "identity_militias": ("identity militia", "identity militias", "communal militia", "communal militias",
                          "ethnic militia", "ethnic militias", "4"),
    "rioters": ("rioters", "rioter", "5"),
    "protesters": ("protesters", "protester", "6"),
    "civilians": ("civilians", "civilian", "7"),
    "external_forces": ("external/other forces", "external/other force", "external forces", "other forces",
                        "external/other", "8"),
}
_BY_TYPE = {word: code for code, words in _ACTOR_TYPES.items() for word in words}
_JOINT = " and/or "
_GOVERNMENT = "government of "


def perpetrator_code(actor_type: object) -> str:
    """The perpetrator code of an actor type ("State forces" -> "state_forces"); "unknown" when untyped.

    Parameters
    ----------
    actor_type
        `actor1_type` of an event: ACLED's words (any case), a numeric code 1–8, "" or None.

    Returns
    -------
    str
        The perpetrator code of an actor type ("State forces" -> "state_forces"); "unknown" when untyped.
    """
    if actor_type is None or (isinstance(actor_type, float) and actor_type != actor_type):
        return UNKNOWN
    text = " ".join(str(actor_type).split()).lower()
    if text.endswith(".0"):  # a numeric code read as a float
        text = text[:-2]
    return _BY_TYPE.get(text, UNKNOWN)


def perpetrator_codes(actor_types: pd.Series) -> pd.Series:
    """`perpetrator_code` of each value (computed once per distinct value).

    Parameters
    ----------
    actor_types
        ACLED actor types (or UCDP side-A types).

    Returns
    -------
    pd.Series
        `perpetrator_code` of each value (computed once per distinct value).
    """
    values = actor_types.astype(object).where(actor_types.notna(), "")
    uniques = pd.unique(values)
    return values.map({u: perpetrator_code(u) for u in uniques}).astype(object)


def perpetrator_label(code: str) -> str:
    """The label of a perpetrator code ("state_forces" -> "State forces").

    Parameters
    ----------
    code
        A perpetrator code.

    Returns
    -------
    str
        The label of a perpetrator code ("state_forces" -> "State forces").
    """
    return PERPETRATORS.get(code, code)


def side_a_type(side_a: object, country: object, country_iso3: object) -> str:
    """The actor type of a UCDP side A.

    "State forces" for the government of the event's country, "External/Other forces" for another government, ""
    for an organisation (UCDP does not type them).

    UCDP names governments "Government of <country>" in every release and layout (the `gwnoa` column
    that also marks them is not in every layout, nor stored), so the name decides.

    Parameters
    ----------
    side_a
        UCDP `side_a`.
    country, country_iso3
        The event's country as UCDP gives it, and its ISO3 code.

    Returns
    -------
    str
        The actor type of a UCDP side A: "State forces" for the government of the event's country, "External/Other
        forces" for another government, "" for an organisation (UCDP does not type them).
    """
    text = " ".join(str(side_a or "").split())
    if not text.lower().startswith(_GOVERNMENT):
        return ""
    government = text[len(_GOVERNMENT):]
    iso3 = iso3_from_name(government)
    domestic = (iso3 != "" and iso3 == str(country_iso3 or "")) or (
        normalize_name(government) != "" and normalize_name(government) == normalize_name(country)
    )
    return "State forces" if domestic else "External/Other forces"


def side_a_types(side_a: pd.Series, country: pd.Series, country_iso3: pd.Series) -> pd.Series:
    """`side_a_type` of each event (computed once per distinct side A and country).

    Parameters
    ----------
    side_a
        UCDP's side A of each event.
    country
        The event's country name.
    country_iso3
        The event's ISO3 code.

    Returns
    -------
    pd.Series
        `side_a_type` of each event (computed once per distinct side A and country).
    """
    keys = pd.DataFrame({"a": side_a.astype(str), "c": country.astype(str), "i": country_iso3.astype(str)})
    uniques = keys.drop_duplicates()
    kinds = {(a, c, i): side_a_type(a, c, i) for a, c, i in uniques.itertuples(index=False)}
    return pd.Series([kinds[k] for k in zip(keys["a"], keys["c"], keys["i"])], index=side_a.index, dtype=object)


# ---------------------------------------------------------------------------------------------- named groups


def _matches(group: ActorGroup, actor: str) -> bool:
    name = actor.strip().lower()
    if not name:
        return False
    if name in (a.lower() for a in group.actors):
        return True
    return _JOINT not in name and any(needle.lower() in name for needle in group.contains)


def group_of(actor: object, groups: Sequence[ActorGroup]) -> str:
    """The key of the first group `actor` belongs to, else `OTHER_GROUP`.

    An actor belongs to a group when its name (trimmed, case-insensitive) is one of the group's `actors`,
    or contains one of its `contains` texts and is not a joint attribution ("JNIM ... and/or Islamic
    State ..."): such events cannot be put on either group unless a group lists the name itself.

    Parameters
    ----------
    actor
        An actor's name.
    groups
        The named armed groups of `atlas.toml` [actor_groups].

    Returns
    -------
    str
        The key of the first group `actor` belongs to, else `OTHER_GROUP`.
    """
    text = "" if actor is None or (isinstance(actor, float) and actor != actor) else str(actor)
    for group in groups:
        if _matches(group, text):
            return group.key
    return OTHER_GROUP


def group_labels(groups: Sequence[ActorGroup]) -> dict[str, str]:
    """Group key -> official name, with `OTHER_GROUP` last.

    Parameters
    ----------
    groups
        The named armed groups of `atlas.toml` [actor_groups].

    Returns
    -------
    dict[str, str]
        Group key -> official name, with `OTHER_GROUP` last.
    """
    return {**{g.key: g.name for g in groups}, OTHER_GROUP: OTHER_GROUP_LABEL}
