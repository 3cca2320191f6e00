"""Charts of the atlas (plotly): a metric over periods per group, one unit's history, and a small map of event locations (an upload before it is committed).

Why plotly: hover values, a legend that hides a group on click, and a PNG / SVG of the exact figure through
its own toolbar (and kaleido for exports). Every figure carries its title, filter line, source line and, on
the sample, a watermark inside the layout (:func:`geo.figures.plot.apply_text`), so a screenshot or a
download explains itself away from the page. A period the data cover only in part (the last year of an
export) is marked where it is drawn: a lighter bar or an open marker, its axis label "2020*" and a note
saying where the data stop.

The points map uses plotly's ``scattermap`` with the ``white-bg`` style: it needs no tiles, so it works
offline (it draws no text, which would need a font server). Figures of ACLED and UCDP are never added
together. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .plot import apply_text, category_ticks, country_outlines, finish, fit_view, no_data_annotation, period_ticks
from .style import (
    GROUP_COLOURS,
    OTHER_COLOUR,
    PARTIAL_OPACITY,
    SINGLE_COLOUR,
    FigureText,
    category,
    format_count,
    format_dates,
    format_value,
    metric_label,
    period_label,
    plain,
    rgb_tuple,
    word,
)
from .tables import check_one_source, complete, continuous_periods, group_labels, group_values, period_kind

_PERIOD_WORDS = {"Y": "chart.year", "Q": "chart.quarter", "M": "chart.month"}
_GROUP_WORDS = {"country": "group.country", "country_iso3": "group.country", "unit_name": "group.unit_name",
                "unit_code": "group.unit_name", "event_type": "group.event_type", "sub_event_type": "group.sub_event_type",
                "source": "group.source"}


def _translucent(colour: str, alpha: float) -> str:
    """A colour ("#1b9e77", parsed by plotly's helpers: `style.rgb_tuple`) as rgba with `alpha`, for a band under a line."""
    red, green, blue = rgb_tuple(colour)
    return f"rgba({red},{green},{blue},{alpha})"


def group_title(by: str) -> str:
    """The name of a grouping for a legend or a table header ("Country", "Event type").

    Parameters
    ----------
    by
        The grouping: "country", "unit_name" or "event_type".

    Returns
    -------
    str
        The name of a grouping for a legend or a table header ("Country", "Event type").
    """
    return word(_GROUP_WORDS[by]) if by in _GROUP_WORDS else by.replace("_", " ").capitalize()


def _fold_groups(table: pd.DataFrame, by: str, metric: str, top_n: int) -> tuple[pd.Series, list[str]]:
    """Group label per row, with groups beyond the top_n (by total) folded into "Other"; and the order."""
    labels = group_labels(table, by)
    totals = group_values(table.assign(_group=labels), ["_group"], metric)
    totals = totals.assign(_sort=totals["value"].fillna(-np.inf)).sort_values(["_sort", "_group"], ascending=[False, True])
    order = totals["_group"].tolist()
    other = word("chart.other")
    if len(order) > top_n:
        kept = order[:top_n]
        labels = labels.where(labels.isin(kept), other)
        order = [*kept, other]
    return labels, order


def _tick_labels(periods: list[str], partial: Mapping[str, str]) -> list[str]:
    return [f"{p}*" if p in partial else p for p in periods]


def _partial_note(fig: go.Figure, partial: Mapping[str, str], periods: list[str], key: str = "chart.partial_note",
                  scale: float = 1.0, extra: str = "") -> int:
    """The note saying which periods the data cover in part, on a line of its own between the filter line and the plot.

    A long filter line and the note never overlap; returns the pixels of top margin it needs (0 without a note).
    `extra`: a sentence said on the same line (what the bands of the chart are).
    """
    shown = [p for p in periods if p in partial]
    if not shown and not extra:
        return 0
    parts = [word(key, periods=", ".join(period_label(p) for p in shown), day=partial[shown[-1]])] if shown else []
    fig.add_annotation(
        text=plain(" ".join([*parts, *([extra] if extra else [])])),
        xref="paper", yref="paper", x=0, xanchor="left", y=1, yanchor="bottom", yshift=3, showarrow=False,
        font={"size": round(11 * scale), "color": "#7a4b00"}, name="partial-note",
    )
    return round(16 * scale)


def trend_chart(
    table: pd.DataFrame,
    *,
    by: str,
    metric: str,
    text: FigureText,
    kind: str = "line",
    top_n: int = 8,
    height: int = 520,
    partial: Mapping[str, str] | None = None,
    highlight: str | None = None,
    scale: float = 1.0,
    bounds: tuple[str, str] | None = None,
) -> go.Figure:
    """
    `metric` over periods, one line (or bar segment) per group of `by`.

    Parameters
    ----------
    table
        Long form with columns period, `by` and `metric` (several rows per group and period are summed;
        `events_per_10k_km2` is recomputed from summed events and areas). Rows of one source, unless
        `by` is the source column.
    by
        Group column, e.g. "country_iso3" (shown as country names), "unit_name", "event_type".
    metric
        Column to plot (named by :func:`geo.figures.style.metric_label`).
    text
        Title, filter line, source line and watermark, drawn inside the figure.
    kind
        "line", "bar" (stacked) or "grouped" (bars side by side).
    top_n
        With more groups than this, the top_n by total are kept and the rest summed into "Other".
    height
        Figure height in pixels.
    partial
        Period -> the day its data stop, for periods the data cover only in part: marked "2020*", drawn
        lighter (bars) or with an open marker (lines), and explained in a note.
    highlight
        A period to mark with a light band (the year chosen).
    scale
        Font scale (presentation mode).
    bounds
        The table's columns of the low and high ends of `metric`'s range (`("events_min", "events_max")`): lines get a
        band between them, bars an error bar (side by side) or the range in their hover text (stacked).

    Returns
    -------
    A figure whose x axis lists every period from the first to the last (missing periods are 0).
    """
    if kind not in ("line", "bar", "grouped"):
        raise ValueError(f"unknown kind {kind!r}; use line, bar or grouped")
    check_one_source(table, by)
    note_key = getattr(partial, "note_key", "chart.partial_note")  # (ACLED's aggregates: their table's as-of date)
    partial = dict(partial or {})
    fig = go.Figure()
    top, source_h = apply_text(fig, text, height=height, scale=scale)
    periods = continuous_periods(table["period"]) if len(table) else []
    label = plain(metric_label(metric))
    tick_settings, axis_h = category_ticks(periods)
    if periods:
        labels, order = _fold_groups(table, by, metric, top_n)
        grouped = group_values(table.assign(_group=labels, period=table["period"].astype(str)), ["_group", "period"], metric)
        grid = pd.MultiIndex.from_product([order, periods], names=["_group", "period"])
        values = complete(grouped.set_index(["_group", "period"])["value"], grid)
        ticks = _tick_labels(periods, partial)
        is_partial = [p in partial for p in periods]
        other = word("chart.other")
        ranges, banded = None, False
        if bounds is not None and set(bounds) <= set(table.columns) and table[list(bounds)].notna().any().any():
            # (both ends summed per group and period in one pass; a count's range is a sum, never a ratio)
            ends = table[list(bounds)].apply(pd.to_numeric, errors="coerce").astype("float64").assign(
                _group=labels.to_numpy(), period=table["period"].astype(str).to_numpy())
            summed = ends.groupby(["_group", "period"], sort=False)[list(bounds)].sum(min_count=1)
            ranges = [complete(summed[column], grid) for column in bounds]
        traces: list[dict] = []  # (added at once: plotly validates a batch faster than trace by trace)
        for i, group in enumerate(order):
            y = values.loc[group].reindex(periods)
            colour = OTHER_COLOUR if group == other else GROUP_COLOURS[i % len(GROUP_COLOURS)]
            common = {"x": ticks, "y": y.tolist(), "name": plain(group),
                      "hovertemplate": f"{plain(group)}: %{{y:,}}<extra></extra>"}
            low = high = None
            if ranges is not None:
                low, high = (r.loc[group].reindex(periods).fillna(y) for r in ranges)
                common["customdata"] = list(zip(low.tolist(), high.tolist()))
                within = word("chart.range_hover", low="%{customdata[0]:,}", high="%{customdata[1]:,}")
                common["hovertemplate"] = f"{plain(group)}: %{{y:,}} {plain(within)}<extra></extra>"
            if kind == "line":
                dash = "dot" if group == other else "solid"  # a sum of many groups, not one of them
                symbols = ["circle-open" if p else "circle" for p in is_partial]
                if low is not None and (high - low).abs().sum() > 0:
                    banded = True
                    # The band: where the figure may lie within the events' uncertainty areas (and estimates).
                    # (one closed shape: along the highs, back along the lows)
                    traces.append(dict(type="scatter", x=ticks + ticks[::-1], y=high.tolist() + low.tolist()[::-1], mode="lines",
                                       line={"width": 0}, fill="toself", fillcolor=_translucent(colour, 0.16), hoverinfo="skip",
                                       showlegend=False, legendgroup=plain(group), name=f"{plain(group)} range"))
                traces.append(dict(type="scatter", **common, mode="lines+markers",
                                   line={"color": colour, "width": 2.5, "dash": dash},
                                   marker={"size": [9 if p else 6 for p in is_partial], "symbol": symbols},
                                   legendgroup=plain(group)))
            else:
                error = None
                if low is not None and kind == "grouped" and (high - low).abs().sum() > 0:
                    banded = True
                    error = {"type": "data", "symmetric": False, "array": (high - y).clip(lower=0).tolist(),
                             "arrayminus": (y - low).clip(lower=0).tolist(), "color": "#555", "thickness": 1.2, "width": 3}
                traces.append(dict(type="bar", **common, **({"error_y": error} if error else {}),
                                   marker={"color": colour, "opacity": [PARTIAL_OPACITY if p else 1.0 for p in is_partial]}))
        fig.add_traces(traces)
        if highlight in periods:
            i = periods.index(highlight)
            fig.add_vrect(x0=i - 0.45, x1=i + 0.45, fillcolor="#e8e8e8", opacity=0.6, layer="below", line_width=0)
        # (stacked bars: the ranges are in their hover texts only)
        top += _partial_note(fig, partial, periods, note_key, scale,
                             extra=word("chart.band_note" if kind == "line" else "chart.error_note") if banded else "")
        fig.update_layout(
            barmode="stack" if kind == "bar" else "group",
            hovermode="x unified",
            # Stacked bars: the legend lists groups top-down as they are stacked.
            legend={"title": {"text": plain(group_title(by))}, "traceorder": "reversed" if kind == "bar" else "normal"},
            xaxis={"type": "category", "categoryorder": "array", "categoryarray": ticks, **tick_settings, **period_ticks(ticks),
                   "title": {"text": word(_PERIOD_WORDS[period_kind(periods)]), "standoff": 6}},
            yaxis={"title": {"text": label}, "rangemode": "tozero", "tickformat": ","},
        )
    else:
        no_data_annotation(fig, word("chart.no_figures"))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    return finish(fig, height=height, top=top, bottom=round((axis_h + 22) * scale) + source_h, scale=scale, colorway=GROUP_COLOURS)


def unit_trend(
    table_for_one_unit: pd.DataFrame,
    *,
    metric: str,
    text: FigureText,
    height: int = 340,
    partial: Mapping[str, str] | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """A small bar chart of one unit's `metric` per period (the map's detail panel).

    Parameters
    ----------
    table_for_one_unit
        Rows of one unit (and one source) with columns period and `metric`; missing periods are 0.
    metric
        Column to plot.
    text
        Title, filter and source lines (wrapped for a narrow panel), watermark.
    height
        Figure height in pixels.
    partial, highlight
        As in :func:`trend_chart`.

    Returns
    -------
    go.Figure
        A small bar chart of one unit's `metric` per period (the map's detail panel).
    """
    check_one_source(table_for_one_unit)
    note_key = getattr(partial, "note_key", "chart.partial_note")  # (ACLED's aggregates: their table's as-of date)
    partial = dict(partial or {})
    fig = go.Figure()
    top, source_h = apply_text(fig, text, height=height, width=62)
    periods = continuous_periods(table_for_one_unit["period"]) if len(table_for_one_unit) else []
    tick_settings, axis_h = category_ticks(periods)
    if periods:
        data = table_for_one_unit.assign(period=table_for_one_unit["period"].astype(str))
        y = complete(group_values(data, ["period"], metric).set_index("period")["value"], pd.Index(periods))
        label = plain(metric_label(metric))
        ticks = _tick_labels(periods, partial)
        fig.add_trace(go.Bar(
            x=ticks, y=y.tolist(), name=label, text=[format_value(v) for v in y] if len(periods) <= 12 else None,
            marker={"color": SINGLE_COLOUR, "opacity": [PARTIAL_OPACITY if p in partial else 1.0 for p in periods]},
            textposition="outside", cliponaxis=False, hovertemplate=f"%{{x}}<br>{label}: %{{y:,}}<extra></extra>",
        ))
        if highlight in periods:
            i = periods.index(highlight)
            fig.add_vrect(x0=i - 0.45, x1=i + 0.45, fillcolor="#e8e8e8", opacity=0.6, layer="below", line_width=0)
        top += _partial_note(fig, partial, periods, note_key)
        fig.update_layout(
            xaxis={"type": "category", "categoryorder": "array", "categoryarray": ticks, **tick_settings, **period_ticks(ticks)},
            yaxis={"title": {"text": label}, "rangemode": "tozero", "tickformat": ","},
        )
    else:
        no_data_annotation(fig, word("chart.no_unit_figures"))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    return finish(fig, height=height, top=top, bottom=axis_h + source_h, left=55, right=15, showlegend=False)


def points_map(
    events: pd.DataFrame,
    units: gpd.GeoDataFrame,
    *,
    text: FigureText,
    height: int = 440,
    max_points: int = 5_000,
) -> go.Figure:
    """A small offline map of event locations (e.g. a batch before it is committed) over the country outlines.

    Hover texts are plain (escaped) text: notes and actors come from uploaded files.

    Parameters
    ----------
    events
        Canonical events (their coordinates, dates and fatalities).
    units
        The units drawn (:func:`geo.figures.geometry.display_units`).
    text
        The figure's title, filter line, source line and watermark.
    height
        The figure's height in pixels.
    max_points
        The most events drawn as points.

    Returns
    -------
    go.Figure
        A small offline map of event locations (e.g. a batch before it is committed) over the country outlines.
    """
    shown = events.head(max_points)
    fig = go.Figure()
    outline = country_outlines(units)
    layers = [{"sourcetype": "geojson", "source": outline, "type": "line", "color": "#444", "line": {"width": 1}}] if outline else []
    hover = [
        f"{plain(d)}<br>{plain(category(t))}<br>{plain(a)}<br>{plain(word('popup.fatalities'))}: {format_count(f)}"
        for d, t, a, f in zip(format_dates(shown["event_date"]), shown["event_type"], shown["actor1"], shown["fatalities"])
    ]
    fig.add_trace(go.Scattermap(
        lon=shown["longitude"], lat=shown["latitude"], mode="markers", text=hover, hoverinfo="text",
        marker={"size": 6, "color": "#bd0026", "opacity": 0.7},
    ))
    if len(events) > max_points:
        text = text.retitled(f"{text.title} ({word('chart.first', n=format_count(max_points), total=format_count(len(events)))})")
    top, source_h = apply_text(fig, text, height=height, width=100)
    bounds = units.total_bounds if len(units) else np.array([-12.0, 9.0, 16.0, 24.0])
    centre, zoom = fit_view(bounds, 700, height - top - source_h - 10)
    return finish(fig, height=height, top=top, bottom=5 + source_h, left=5, right=5, showlegend=False,
                  map={"style": "white-bg", "center": centre, "zoom": zoom, "layers": layers})
