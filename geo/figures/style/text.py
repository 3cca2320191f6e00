"""Figure text: :class:`Subject` (what a figure shows) and :class:`FigureText` (title, filter line, source line, the sample's watermark), built by :func:`figure_text`, :func:`filter_line` and :func:`source_line`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...query import SourceVintage
from .formats import as_of_text, format_count, format_date, years_label, years_text
from .words import credit, metric_label, place_text, unit_words, word


@dataclass(frozen=True)
class Subject:
    """
    What a figure shows, in the terms its text is made of.

    Attributes
    ----------
    metric
        Metric column ("events", "fatalities", ...).
    source
        Source dataset shown ("acled", "ucdp", "generic", "sample").
    years
        (first, last) years shown, or None for all the data's years.
    countries
        ISO3 codes of the countries shown (empty: the three).
    place
        A focus area's name, said instead of the countries ("Mopti region").
    level
        "admin1" or "admin2".
    types
        The event types kept, in words ("Political violence"; empty: all event types).
    sub_types
        Sub-types kept, in words.
    actor
        Text an actor must contain.
    max_geo_precision
        Location precision kept (None: any).
    vintage
        The source's vintage (last day, ACLED timestamp, UCDP version).
    boundaries
        The boundary set's credit line ("OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)").
    sample
        Whether the data are the synthetic sample (every figure then carries a watermark).
    """

    metric: str = "events"
    source: str = "sample"
    years: tuple[int, int] | None = None
    countries: tuple[str, ...] = ()
    place: str = ""
    level: str = "admin1"
    types: str = ""
    sub_types: str = ""
    actor: str = ""
    max_geo_precision: int | None = None
    vintage: SourceVintage | None = None
    boundaries: str = ""
    sample: bool = False

    @property
    def where(self) -> str:
        """The place a title names: the focus area, else the countries ("Mali, Burkina Faso and Niger")."""
        return self.place or place_text(self.countries)

    @property
    def years_text(self) -> str:
        """The years in words, with the day the data stop when the last year is covered only in part."""
        if self.years is None:
            if self.vintage is None:
                return ""
            return years_text(int(self.vintage.first_month[:4]), self.vintage.last_date.year, self.vintage)
        return years_text(self.years[0], self.years[1], self.vintage)

    @property
    def units(self) -> tuple[str, str]:
        """What the units are called at the level, singular and plural ("region", "regions")."""
        return unit_words(self.level, self.countries)


@dataclass(frozen=True)
class FigureText:
    """
    The text every figure carries, made in one place (:func:`figure_text`).

    Attributes
    ----------
    title
        What and where: "Fatalities per region in Burkina Faso, 2016–2019".
    filter_line
        The filters in plain words: "Fatalities, political violence, Mopti region, 2016–2020".
    source_line
        Dataset, its vintage and the citation it asks for, and the boundaries' credit.
    watermark
        "SAMPLE DATA — not real events" on the synthetic sample, else "".
    """

    title: str
    filter_line: str = ""
    source_line: str = ""
    watermark: str = ""

    def retitled(self, title: str) -> FigureText:
        """The same text with another title.

        Parameters
        ----------
        title
            The new title.

        Returns
        -------
        FigureText
            The text.
        """
        return replace(self, title=title)


def filter_line(subject: Subject, *, metric: bool = True) -> str:
    """The filters in plain words: "Fatalities, political violence, Mopti region, 2016–2020 (2020 to 1 Aug)".

    Parameters
    ----------
    subject
        What the figure shows (metric, source, years, place, filters, vintage, boundaries).
    metric
        The metric: "events", "fatalities", "civilian_events", "civilian_fatalities" or "events_per_10k_km2".

    Returns
    -------
    str
        The filters in plain words: "Fatalities, political violence, Mopti region, 2016–2020 (2020 to 1 Aug)".
    """
    parts = [metric_label(subject.metric)] if metric else []
    parts.append(subject.types or word("filter.all_types"))
    if subject.sub_types:
        parts.append(word("filter.sub_types", types=subject.sub_types))
    if subject.actor:
        parts.append(word("filter.actor", actor=subject.actor))
    if subject.max_geo_precision:
        parts.append(word("filter.precision", level=subject.max_geo_precision))
    parts.append(subject.where)
    if subject.years_text:
        parts.append(subject.years_text)
    return ", ".join(p for p in parts if p)


def source_line(subject: Subject) -> str:
    """The source line: the dataset with its own date and the citation it asks for, then the boundaries' credit.

    ACLED: "ACLED, acleddata.com, accessed <the largest `timestamp` of its rows>; filters …"; ACLED's aggregates:
    "ACLED via HDX", the table's as-of date and ACLED's terms; UCDP GED: its version, CC BY 4.0 and the two papers to
    cite; the synthetic sample says it is invented.

    Parameters
    ----------
    subject
        What the figure shows (metric, source, years, place, filters, vintage, boundaries).

    Returns
    -------
    str
        The source line: the dataset with its own date and the citation it asks for, then the boundaries' credit.
    """
    vintage = subject.vintage
    last = format_date(vintage.last_date) if vintage else "?"
    filters = filter_line(subject, metric=False)
    if subject.sample or subject.source == "sample":
        cite = word("cite.sample")
    elif subject.source == "acled":
        published = vintage.published if vintage else None
        cite = (word("cite.acled", date=format_date(published), filters=filters) if published
                else word("cite.acled.no_date", last=last, filters=filters))
    elif subject.source == "ucdp":
        cite = (word("cite.ucdp", version=vintage.version) if vintage and vintage.version
                else word("cite.ucdp.no_version", last=last))
    elif subject.source == "acled-hdx":
        as_of = as_of_text(vintage.as_of) if vintage and vintage.as_of else "?"
        cite = word("cite.acled-hdx", as_of=as_of, filters=filters)
    else:
        cite = word("cite.generic", last=last)
    parts = [cite]
    if subject.boundaries:
        parts.append(word("cite.boundaries", credit=credit(subject.boundaries)))
    parts.append(word("cite.atlas"))
    return " · ".join(parts)


def figure_text(subject: Subject, title: str) -> FigureText:
    """Title, filter line, source line and (on the sample) watermark of a figure about `subject`.

    Parameters
    ----------
    subject
        What the figure shows (metric, source, years, place, filters, vintage, boundaries).
    title
        The figure's title.

    Returns
    -------
    FigureText
        The figure's text.
    """
    return FigureText(
        title=title,
        filter_line=filter_line(subject),
        source_line=source_line(subject),
        watermark=word("sample_watermark") if subject.sample else "",
    )


def map_title(subject: Subject, *, year_by_year: bool = False) -> str:
    """"Fatalities per region in Burkina Faso, 2016–2019" (or "…, year by year, 2016–2019"); "…, Mopti region, …" on a focus.

    Parameters
    ----------
    subject
        What the figure shows (metric, source, years, place, filters, vintage, boundaries).
    year_by_year
        Whether the maps are one per year (animation, small multiples).

    Returns
    -------
    str
        "Fatalities per region in Burkina Faso, 2016–2019" (or "…, year by year, 2016–2019"); "…, Mopti region, …" on
        a focus.
    """
    key = ("title.map_focus" if subject.place else "title.map") + ("_years" if year_by_year else "")
    return word(key, metric=metric_label(subject.metric),
                unit=subject.units[0], place=subject.where, years=years_label(*(subject.years or (None, None))))


def trend_title(subject: Subject, *, group: str, period: str) -> str:
    """"Fatalities in Burkina Faso per event type, by quarter, 2018–2020".

    Parameters
    ----------
    subject
        What the figure shows (metric, source, years, place, filters, vintage, boundaries).
    group
        What the lines are per ("event type", "region").
    period
        The period of the rows: "year", "quarter" or "month".

    Returns
    -------
    str
        "Fatalities in Burkina Faso per event type, by quarter, 2018–2020".
    """
    years = years_label(*(subject.years or (None, None))) or (
        years_label(int(subject.vintage.first_month[:4]), subject.vintage.last_date.year) if subject.vintage else "")
    return word("title.trend", metric=metric_label(subject.metric), place=subject.where, group=group, period=period,
                years=years).rstrip(", ")


def preview_text(count: int, files: Sequence[str], boundaries: str = "") -> FigureText:
    """The text of the map of an upload's events before they are stored.

    Parameters
    ----------
    count
        The events on the map.
    files
        The files they come from.
    boundaries
        The boundary set's credit.

    Returns
    -------
    FigureText
        The text of the map of an upload's events before they are stored.
    """
    source = " · ".join([word("cite.boundaries", credit=credit(boundaries)), word("cite.atlas")] if boundaries else [word("cite.atlas")])
    return FigureText(title=word("title.preview", n=format_count(count)), filter_line=word("preview.filter", files=", ".join(files)),
                      source_line=source)
