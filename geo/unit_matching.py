"""Units of a table matched to the units of a boundary set: by code, then by name.

ACLED's aggregate tables name their units by OCHA p-code and name (`ML0106` / Kayes, `BF4603` / Kossi). A
boundary set knows its units by `unit_code` and `other_codes` (the default set carries Burkina Faso's OCHA
p-codes there, `scripts/build_cod_boundaries.py`) and by name, aliases and `[names.aliases]` of `atlas.toml`
(`geo.names`). Each table unit is matched

1. at its own level by code, then by name (within its country; a name several units share is settled by the
   admin-1 unit the table gives, then by the unit whose own name it is rather than an alias);
2. failing that, an admin-2 unit is matched at admin 1 by its parent's code or name: its figures count in that
   admin-1 unit, and at admin 2 they are "not available in this set" (`_UNALLOCATED`) — never spread over the
   set's admin-2 units by area;
3. failing that, it matches nothing: at ingest its rows are rejected with their line and reason; in a set
   registered later they count under `_UNALLOCATED` at both levels, so that sums stay whole.
"""

from __future__ import annotations

import pandas as pd

from .boundaries import BoundarySet
from .join import UNALLOCATED_CODE
from .names import normalize_name

#: What identifies a unit of a table.
TABLE_UNIT_COLUMNS = ["country_iso3", "admin_level", "admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name"]
#: How a table unit was matched: at its level by code or by name, only at admin 1 (an admin-2 unit through its
#: parent), or not at all.
MATCHED_BY = ("code", "name", "admin1", "none")


def match_units(
    units: pd.DataFrame, boundary_set: BoundarySet, *, aliases: dict[str, tuple[str, ...]] | None = None
) -> pd.DataFrame:
    """
    Match the units of a table to those of a boundary set.

    Parameters
    ----------
    units
        Distinct table units, with `TABLE_UNIT_COLUMNS`.
    boundary_set
        The set to match in.
    aliases
        Name aliases (default `atlas.toml` [names.aliases]).

    Returns
    -------
    `units` (same index) with `admin1_code` and `admin2_code` (the set's unit codes; `_UNALLOCATED` where the
    unit is not matched at that level, "" at a level the set does not have), `matched_by` (`MATCHED_BY`) and
    `reason` (why a unit is not matched at its own level, else "").
    """
    levels = boundary_set.levels
    lookups = {level: _Lookup(boundary_set, level, aliases) for level in ("admin1", "admin2") if level in levels}
    rows = []
    for unit in units[TABLE_UNIT_COLUMNS].to_dict("records"):
        rows.append(_match_one(unit, lookups, has_admin2="admin2" in levels))
    out = pd.DataFrame(rows, index=units.index, columns=["admin1_code", "admin2_code", "matched_by", "reason"])
    return pd.concat([units, out], axis=1)


class _Lookup:
    """One level of a set: its units by code (unit_code and other_codes) and by name, their country and parent."""

    def __init__(self, boundary_set: BoundarySet, level: str, aliases: dict[str, tuple[str, ...]]) -> None:
        units = boundary_set.units(level)
        self.level = level
        self.codes = boundary_set.code_index(level)
        self.matcher = boundary_set.name_matcher(level, aliases)
        self.country = dict(zip(units["unit_code"], units["country_iso3"]))
        self.parent = dict(zip(units["unit_code"], units["parent_code"]))
        self.own_name = {code: normalize_name(name) for code, name in zip(units["unit_code"], units["unit_name"])}

    def by_code(self, code: str, country: str) -> str | None:
        unit = self.codes.get(str(code).strip().upper()) if code else None
        return unit if unit and self.country.get(unit) == country else None

    def by_name(self, name: str, country: str, parent: str | None = None) -> tuple[str | None, list[str]]:
        """(the unit, or None; the candidates when several units of the country bear the name)."""
        found = [u for u in self.matcher.find(name) if self.country.get(u) == country] if name else []
        if len(found) > 1 and parent:
            found = [u for u in found if self.parent.get(u) == parent] or found
        if len(found) > 1:  # a unit's own name before another's alias (Natural Earth gives Noumbiel the alias Poni)
            found = [u for u in found if self.own_name[u] == normalize_name(name)] or found
        return (found[0] if len(found) == 1 else None), found


def _match_one(unit: dict, lookups: dict[str, _Lookup], *, has_admin2: bool) -> dict:
    country = unit["country_iso3"]
    below = UNALLOCATED_CODE if has_admin2 else ""
    admin1 = lookups.get("admin1")
    a1 = a1_by = None
    if admin1 is not None:
        a1 = admin1.by_code(unit["admin1_pcode"], country)
        a1_by = "code" if a1 else None
        if a1 is None:
            a1, _ = admin1.by_name(unit["admin1_name"], country)
            a1_by = "name" if a1 else None
    if int(unit["admin_level"]) == 2 and has_admin2:
        admin2 = lookups["admin2"]
        a2 = admin2.by_code(unit["admin2_pcode"], country)
        by = "code" if a2 else None
        candidates: list[str] = []
        if a2 is None:
            a2, candidates = admin2.by_name(unit["admin2_name"], country, a1)
            by = "name" if a2 else None
        if a2 is not None:
            return {"admin1_code": admin2.parent.get(a2) or a1 or UNALLOCATED_CODE, "admin2_code": a2, "matched_by": by,
                    "reason": ""}
        what = _describe(unit["admin2_pcode"], unit["admin2_name"])
        reason = (f"admin-2 unit {what} is named by several units of this set ({', '.join(candidates)})" if candidates
                  else f"no admin-2 unit of this set has the code or name of {what}")
        if a1 is not None:
            return {"admin1_code": a1, "admin2_code": UNALLOCATED_CODE, "matched_by": "admin1", "reason": reason}
        return {"admin1_code": UNALLOCATED_CODE, "admin2_code": below, "matched_by": "none",
                "reason": reason + f", nor an admin-1 unit that of its region {_describe(unit['admin1_pcode'], unit['admin1_name'])}"}
    if a1 is not None:
        matched_by = a1_by if int(unit["admin_level"]) == 1 else "admin1"
        reason = "" if int(unit["admin_level"]) == 1 else "this set has no admin-2 units"
        return {"admin1_code": a1, "admin2_code": below, "matched_by": matched_by, "reason": reason}
    return {"admin1_code": UNALLOCATED_CODE, "admin2_code": below, "matched_by": "none",
            "reason": f"no admin-1 unit of this set has the code or name of {_describe(unit['admin1_pcode'], unit['admin1_name'])}"}


def _describe(code: str, name: str) -> str:
    """A unit as a message names it: "BF4603 (Kossi)", "Kossi" or "BF4603"."""
    if code and name:
        return f"{code} ({name})"
    return code or name or "(no code, no name)"
