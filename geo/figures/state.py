"""The view state shared by every page, and its round trip through the URL.

Plain Python (no Streamlit): `ViewState.from_query` reads a copied URL's query parameters, keeping what
is valid and reporting what is not; `to_query` writes only what differs from the defaults, so that URLs
stay short and a copied URL restores the same view on any page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date

from geo.aggregate import METRICS, PERIODS, Filters
from geo.config import get_settings
from geo.figures.focus import DEFAULT_FOCUS, FOCUS_AREAS
from geo.figures.language import DEFAULT_LANGUAGE, LANGUAGES
from geo.figures.style import word
from geo.indicators import AGGREGATE_SOURCE, DEFAULT_INDICATOR, INDICATORS

#: Class schemes (the legend says how the classes were made). Every choice of a setting is named for readers by
#: `choice_label` (words "choice.<setting>.<value>" of the catalogue, `geo.figures.style`).
SCHEMES = ("quantiles", "natural_breaks", "equal_interval")
VIEWS = ("map", "animation", "multiples", "changes")
TREND_GROUPS = ("country", "unit", "event_type")
#: Where a presented map is fixed (`geo.figures.focus`; named by its `label`).
FOCUS_CHOICES = tuple(FOCUS_AREAS)
ALL_TYPES = "all"
#: Borders page: allowed ranges of its integer settings (pair distance km, pair days, tri-border radius km).
BORDER_INT_RANGES = {"pair_km": (1, 500), "pair_days": (0, 365), "tri_km": (10, 500)}
#: Allowed ranges of every integer setting with one (the Civilians page's mass-casualty threshold too).
INT_RANGES = {**BORDER_INT_RANGES, "mass_min": (1, 10_000)}
#: Civilians page: the perpetrators shown by kind of actor or by named group (atlas.toml [actor_groups]).
PERPETRATOR_VIEWS = ("kind", "group")


def choice_label(setting: str, value: str) -> str:
    """A choice of a view setting in words, in the current language ("Equal counts (quantiles)" for scheme=quantiles).

    Parameters
    ----------
    setting
        The view setting ("scheme", "period", "focus", ...).
    value
        Its value.

    Returns
    -------
    str
        A choice of a view setting in words, in the current language ("Equal counts (quantiles)" for
        scheme=quantiles).
    """
    if setting == "focus":
        return FOCUS_AREAS[value].label
    return word(f"choice.{setting}.{value}")


class _Unusable(ValueError):
    """A URL value the view cannot use, with the reason in words."""


def _valid_bands(text: str) -> str:
    """The distance bands text if `geo.borders.parse_bands` accepts it (ValueError otherwise)."""
    from geo.borders import parse_bands
    from geo.errors import AtlasError

    try:
        parse_bands(text)
    except AtlasError:
        raise ValueError(text) from None
    return text


def _default_boundaries() -> str:
    """The configured default boundary set (`atlas.toml` [boundaries] default)."""
    return get_settings().default_boundaries


@dataclass(frozen=True)
class ViewState:
    """What the user is looking at; every field has a URL parameter of the same name."""

    boundaries: str = field(default_factory=_default_boundaries)
    level: str = "admin1"
    metric: str = "events"
    year_from: int | None = None
    year_to: int | None = None
    countries: tuple[str, ...] = ()
    preset: str = ALL_TYPES
    types: tuple[str, ...] = ()
    subtypes: tuple[str, ...] = ()
    actor: str = ""
    source: str = ""
    precision: int = 0
    scheme: str = "quantiles"
    log: bool = False
    points: bool = False
    tiles: bool = False
    view: str = "map"
    period: str = "year"
    trend_by: str = "country"
    chart: str = "line"
    unit: str = ""
    bands: str = "10,50,100"
    pair_km: int = 50
    pair_days: int = 7
    same_actor: bool = False
    tri_km: int = 100
    focus_actor: str = ""
    border_overlay: bool = False
    mass_min: int = 10
    mass_civilian: bool = True
    civ_by: str = "kind"
    indicator: str = ""  # one of ACLED's indicators (geo.indicators); "" all events (an aggregate source needs one)
    compare: str = ""  # Trends, Compare sources: the source set beside the view's ("" the default one)
    since: str = ""  # Changes view: start point (a batch id, "0"; "" just before the latest batch)
    until: str = ""  # Changes view: end point ("" now)
    present: bool = False
    focus: str = DEFAULT_FOCUS
    lang: str = DEFAULT_LANGUAGE  # the language of every text ("en", "fr"); a copied link opens in it

    # ------------------------------------------------------------------ URL

    def to_query(self) -> dict[str, str | list[str]]:
        """Query parameters for the fields that differ from the defaults.

        Returns
        -------
        dict[str, str | list[str]]
            Parameter -> value (lists for tuples, "1"/"0" for booleans).
        """
        default = ViewState()
        out: dict[str, str | list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            if isinstance(value, tuple):
                out[f.name] = list(value)
            elif isinstance(value, bool):
                out[f.name] = "1" if value else "0"
            else:
                out[f.name] = str(value)
        return out

    @classmethod
    def from_query(cls, query: Mapping[str, str | list[str]], *, choices: Mapping[str, object] | None = None) -> tuple[ViewState, list[str]]:
        """
        Read query parameters; invalid values are dropped with a message saying so.

        Parameters
        ----------
        query
            Parameter -> value or list of values (as `st.query_params.to_dict()` / `get_all` give them).
        choices
            Valid values for fields that depend on the data: "boundaries", "sources", "countries",
            "types", "subtypes", "years" (a (min, max) pair), "presets".

        Returns
        -------
        (state, problems)
        """
        choices = choices or {}
        problems: list[str] = []
        values: dict[str, object] = {}
        types = {f.name: f for f in fields(cls)}

        def first(name: str) -> str:
            raw = query[name]
            return str(raw[-1] if isinstance(raw, list) else raw)

        def many(name: str) -> tuple[str, ...]:
            raw = query[name]
            items = raw if isinstance(raw, list) else [raw]
            return tuple(dict.fromkeys(str(i) for i in items if str(i)))

        enums = {
            "level": ("admin1", "admin2"), "metric": tuple(METRICS), "scheme": tuple(SCHEMES), "view": tuple(VIEWS),
            "period": PERIODS, "trend_by": tuple(TREND_GROUPS), "chart": ("line", "bar"), "civ_by": tuple(PERPETRATOR_VIEWS),
            "boundaries": tuple(choices.get("boundaries", ())) or None,
            "source": (*tuple(choices.get("sources", ())), "") if choices.get("sources") else None,
            "preset": (ALL_TYPES, *tuple(choices.get("presets", ()))),
            "focus": tuple(FOCUS_CHOICES),
            "lang": LANGUAGES,
            "indicator": ("", *INDICATORS),
        }
        for name in query:
            if name not in types:
                continue
            try:
                if name in ("year_from", "year_to"):
                    year = int(first(name))
                    low, high = choices.get("years", (1900, 2100))
                    if not low <= year <= high:
                        raise _Unusable(word("url.outside_years", value=year, low=low, high=high))
                    values[name] = year
                elif name == "precision":
                    values[name] = int(first(name))
                elif name in INT_RANGES:
                    number = int(first(name))
                    low, high = INT_RANGES[name]
                    if not low <= number <= high:
                        raise _Unusable(word("url.outside", value=number, low=low, high=high))
                    values[name] = number
                elif name == "bands":
                    values[name] = _valid_bands(first(name))
                elif name in ("log", "points", "tiles", "same_actor", "border_overlay", "mass_civilian", "present"):
                    values[name] = first(name) in ("1", "true", "yes")
                elif name in ("countries", "types", "subtypes"):
                    items = many(name)
                    valid = choices.get(name)
                    if valid is not None:
                        bad = [i for i in items if i not in valid]
                        if bad:
                            problems.append(word("url.not_in_data", name=name, values=", ".join(bad)))
                        items = tuple(i for i in items if i in valid)
                    values[name] = items
                elif name in enums and enums[name] is not None:
                    value = first(name)
                    if value not in enums[name]:
                        raise _Unusable(word("url.not_one_of", value=repr(value), values=", ".join(v for v in enums[name] if v)))
                    values[name] = value
                else:
                    values[name] = first(name)
            except _Unusable as exc:
                problems.append(word("url.ignored", name=name, message=str(exc)))
            except ValueError:
                problems.append(word("url.ignored", name=name, message=word("url.not_valid", value=repr(first(name)))))
        state = cls(**values)
        if state.year_from and state.year_to and state.year_from > state.year_to:
            state = replace(state, year_from=state.year_to, year_to=state.year_from)
        return state, problems

    # ------------------------------------------------------------------ meaning

    def filters(self) -> Filters:
        """The event filters this view applies (years become a date range).

        ACLED's aggregates are selected by their indicator only: event types, sub-types, an actor and a
        location precision select single events, which they do not have (those settings are kept for when
        another source is chosen).

        Returns
        -------
        Filters
            The event filters this view applies (years become a date range). ACLED's aggregates are selected by their
            indicator only: event types, sub-types, an actor and a location precision select single events, which they do
            not have (those settings are kept for when another source is chosen).
        """
        if self.source == AGGREGATE_SOURCE:
            return Filters(
                date_from=date(self.year_from, 1, 1) if self.year_from else None,
                date_to=date(self.year_to, 12, 31) if self.year_to else None,
                countries=self.countries, sources=(self.source,), indicator=self.indicator or DEFAULT_INDICATOR,
            )
        return Filters(
            date_from=date(self.year_from, 1, 1) if self.year_from else None,
            date_to=date(self.year_to, 12, 31) if self.year_to else None,
            countries=self.countries,
            event_types=self.types,
            sub_event_types=self.subtypes,
            preset=None if self.preset == ALL_TYPES else self.preset,
            actor=self.actor or None,
            sources=(self.source,) if self.source else (),
            max_geo_precision=self.precision or None,
            indicator=self.indicator or None,
        )

    def filters_without_years(self) -> Filters:
        """The same filters over every year (for the trends of every year and the ranking of changes).

        Returns
        -------
        Filters
            The same filters over every year (for the trends of every year and the ranking of changes).
        """
        return replace(self.filters(), date_from=None, date_to=None)

    def filters_for_years(self, first: int, last: int) -> Filters:
        """The same filters over the years `first`..`last`.

        Parameters
        ----------
        first
            The first year.
        last
            The last year.

        Returns
        -------
        Filters
            The same filters over the years `first`..`last`.
        """
        return replace(self.filters(), date_from=date(first, 1, 1), date_to=date(last, 12, 31))

    @property
    def is_range(self) -> bool:
        """Whether a range of years is chosen (else one year)."""
        return bool(self.year_from and self.year_to and self.year_from != self.year_to)

    def year_label(self) -> str:
        """The years chosen in words: "2019", "2016–2020" (every year when none).

        Returns
        -------
        str
            The label.
        """
        if self.year_from and self.year_to and self.year_from != self.year_to:
            return f"{self.year_from}–{self.year_to}"
        return str(self.year_from or self.year_to or word("years.all"))

    def as_dict(self) -> dict:
        """The view state as a plain dict.

        Returns
        -------
        dict
            Field -> value.
        """
        return asdict(self)
