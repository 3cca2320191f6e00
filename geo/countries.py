"""Country codes for the central Sahel and its neighbours.

ISO3 from names, ISO2, ISO numeric and Gleditsch–Ward codes (which UCDP and old ACLED exports use).
"""

from __future__ import annotations

from .names import normalize_name

# iso3: (iso2, iso numeric, Gleditsch-Ward, names in English / French / as written by the sources)
_COUNTRIES: dict[str, tuple[str, int, int, tuple[str, ...]]] = {
    "MLI": ("ML", 466, 432, ("Mali", "Mali (le)", "Republic of Mali")),
    "BFA": ("BF", 854, 439, ("Burkina Faso", "Burkina", "Upper Volta")),
    "NER": ("NE", 562, 436, ("Niger", "Niger (the)", "Niger (le)", "Republic of Niger")),
    "DZA": ("DZ", 12, 615, ("Algeria", "Algérie")),
    "MRT": ("MR", 478, 435, ("Mauritania", "Mauritanie")),
    "SEN": ("SN", 686, 433, ("Senegal", "Sénégal")),
    "GIN": ("GN", 324, 438, ("Guinea", "Guinée")),
    "CIV": ("CI", 384, 437, ("Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire")),
    "GHA": ("GH", 288, 452, ("Ghana",)),
    "TGO": ("TG", 768, 461, ("Togo",)),
    "BEN": ("BJ", 204, 434, ("Benin", "Bénin")),
    "NGA": ("NG", 566, 475, ("Nigeria", "Nigéria")),
    "TCD": ("TD", 148, 483, ("Chad", "Tchad")),
    "LBY": ("LY", 434, 620, ("Libya", "Libye")),
}

#: The three countries of the atlas.
CORE_COUNTRIES = ("MLI", "BFA", "NER")
#: Their neighbours, drawn as context.
NEIGHBOURS = tuple(c for c in _COUNTRIES if c not in CORE_COUNTRIES)

_BY_NAME = {normalize_name(n): iso3 for iso3, (_, _, _, names) in _COUNTRIES.items() for n in names}
_BY_ISO2 = {v[0]: k for k, v in _COUNTRIES.items()}
_BY_NUMERIC = {v[1]: k for k, v in _COUNTRIES.items()}
_BY_GW = {v[2]: k for k, v in _COUNTRIES.items()}

COUNTRY_NAMES = {iso3: v[3][0] for iso3, v in _COUNTRIES.items()}


def iso3_from_name(name: object) -> str:
    """ISO3 code of a country name in English or French ("" when unknown).

    Parameters
    ----------
    name
        A country name in English or French.

    Returns
    -------
    str
        The ISO3 code ("" when unknown).
    """
    return _BY_NAME.get(normalize_name(name), "")


def iso3_from_iso2(code: object) -> str:
    """ISO3 code from an ISO 3166-1 alpha-2 code ("" when unknown).

    Parameters
    ----------
    code
        An ISO 3166-1 alpha-2 code.

    Returns
    -------
    str
        The ISO3 code ("" when unknown).
    """
    return _BY_ISO2.get(str(code).strip().upper(), "")


def _as_int(code: object) -> int | None:
    try:
        return int(float(str(code).strip()))
    except (ValueError, OverflowError):  # not a number, or "inf" / "1e400"
        return None


def iso3_from_numeric(code: object) -> str:
    """ISO3 code from an ISO 3166-1 numeric code ("" when unknown).

    Parameters
    ----------
    code
        An ISO 3166-1 numeric code.

    Returns
    -------
    str
        The ISO3 code ("" when unknown).
    """
    return _BY_NUMERIC.get(_as_int(code), "")


def iso3_from_gw(code: object) -> str:
    """ISO3 code from a Gleditsch–Ward country number ("" when unknown).

    Parameters
    ----------
    code
        A Gleditsch–Ward country number.

    Returns
    -------
    str
        The ISO3 code ("" when unknown).
    """
    return _BY_GW.get(_as_int(code), "")


def iso3_from_any(value: object) -> str:
    """ISO3 from whatever a file holds: an ISO3 or ISO2 code or a name.

    Parameters
    ----------
    value
        An ISO3 or ISO2 code or a name, as a file holds it.

    Returns
    -------
    str
        The ISO3 code ("" when unknown).
    """
    text = str(value).strip()
    if text.upper() in _COUNTRIES:
        return text.upper()
    return iso3_from_iso2(text) if len(text) == 2 else iso3_from_name(text)
