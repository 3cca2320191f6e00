"""Matching place names across spellings: accents, case, punctuation, suffixes and known aliases.

ACLED writes "Tillaberi", "Segou"; Natural Earth and OCHA write "Tillabéri", "Ségou"; UCDP writes
"Mopti region", "Niafunke cercle". All of them must meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

# Words that describe the kind of unit rather than name it ("Mopti region", "Province du Soum").
_UNIT_WORDS = {
    "region", "province", "cercle", "department", "departement", "district", "commune", "prefecture",
    "capital", "ville", "de", "du", "des", "la", "le", "l", "d",
}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_name(name: object) -> str:
    """
    Reduce a place name to a comparable key.

    Accents are removed, case folded, punctuation turned to spaces and words naming the kind of unit
    dropped; the remaining words are joined without spaces, so that "Mou Houn" meets "Mouhoun".

    Parameters
    ----------
    name
        Any place name; None and NaN give "".

    Returns
    -------
    str
    """
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    words = [w for w in _NON_ALNUM.split(text) if w]
    kept = [w for w in words if w not in _UNIT_WORDS]
    return "".join(kept or words)


class NameMatcher:
    """
    Tell whether a declared name refers to a unit, through its own names and configured aliases.

    Parameters
    ----------
    units
        Mapping unit code -> names of the unit (local name first, then alternatives).
    aliases
        Mapping local name -> other spellings (from `atlas.toml`).
    """

    def __init__(self, units: Mapping[str, Iterable[str]], aliases: Mapping[str, Iterable[str]] | None = None) -> None:
        alias_groups: dict[str, set[str]] = {}
        for local, others in (aliases or {}).items():
            group = {normalize_name(local), *(normalize_name(o) for o in others)}
            for key in group:
                alias_groups.setdefault(key, set()).update(group)
        self._keys: dict[str, set[str]] = {}
        for code, names in units.items():
            keys: set[str] = set()
            for name in names:
                key = normalize_name(name)
                if key:
                    keys.add(key)
                    keys.update(alias_groups.get(key, ()))
            self._keys[code] = keys

    def matches(self, declared: object, unit_code: str) -> bool:
        """True when `declared` is one of the names of unit `unit_code`.

        Parameters
        ----------
        declared
            A declared name.
        unit_code
            A unit code.

        Returns
        -------
        bool
            Whether the name is one of the unit's.
        """
        key = normalize_name(declared)
        return bool(key) and key in self._keys.get(unit_code, ())

    def find(self, declared: object) -> list[str]:
        """Codes of every unit that `declared` names.

        Parameters
        ----------
        declared
            A declared name.

        Returns
        -------
        list[str]
            The codes of the units it names.
        """
        key = normalize_name(declared)
        return [code for code, keys in self._keys.items() if key and key in keys]
