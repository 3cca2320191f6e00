"""Figures for the dashboard: an animated map, trends, year-on-year tables, rankings, actors, latest events.

Plain plotly, no Streamlit. Every figure carries its own title and a caption line (source, filters,
date) inside the layout, so a screenshot or a PNG download explains itself away from the page.

Maps use `choroplethmap` (MapLibre) with the "white-bg" style: it needs no tiles, fonts or other
downloads, so it works offline. Geographic projections (`px.choropleth`) are not used: they fetch
world outlines from a CDN.

Figures of ACLED and UCDP are never added together: functions that sum over rows refuse a table that
mixes sources (unless the sources are the groups being compared).
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.colors import qualitative

from .countries import COUNTRY_NAMES
from .display import COORDINATE_DECIMALS, to_geojson
from .join import OUTSIDE_CODE, UNALLOCATED_CODE

SPECIAL_CODES = (OUTSIDE_CODE, UNALLOCATED_CODE)
#: Colour-blind-safe palettes: qualitative for groups, sequential for maps.
# Paul Tol's "muted" colours (plotly "Safe"), dark ones first so that few lines stay legible on white;
# its grey is kept for "Other".
GROUP_COLOURS = [qualitative.Safe[i] for i in (4, 1, 6, 3, 2, 5, 0, 7, 8, 9)]
OTHER_COLOUR = qualitative.Safe[-1]
MAP_COLOURSCALE = "YlOrRd"
NO_DATA_COLOUR = "#cfcfcf"  # distinct from the palest YlOrRd yellow (zero)
SINGLE_COLOUR = "rgb(51, 34, 136)"
OTHER_LABEL = "Other"
APP_NAME = "the Central Sahel violence atlas"
#: Metrics that are ratios: recomputed from summed events and areas, never summed themselves.
RATIO_METRICS = {"events_per_10k_km2": ("events", "area_km2", 10_000)}
_PERIOD_PATTERNS = {"Y": r"\d{4}", "Q": r"\d{4}-Q[1-4]", "M": r"\d{4}-(0[1-9]|1[0-2])"}
_PERIOD_NAMES = {"Y": "Year", "Q": "Quarter", "M": "Month"}
_GROUP_TITLES = {"country": "Country", "country_iso3": "Country", "unit_name": "Unit", "unit_code": "Unit",
                 "event_type": "Event type", "sub_event_type": "Sub-event type", "source": "Source"}
_CIVILIANS = re.compile(r"^civilians\b", re.IGNORECASE)
_FONT = "Open Sans, Liberation Sans, DejaVu Sans, Arial, sans-serif"
_CAPTION_WIDTH = 120  # characters per caption line: fits 1200 px at 12 px; narrower figures pass less


# ---------------------------------------------------------------------------------------------- text


def caption(source_label: str, filters_text: str, as_of: str, *, made: date | None = None, boundaries: str = "") -> str:
    """
    The one-line caption every figure carries: source and its date, filters, when and with what it was made.

    Parameters
    ----------
    source_label
        The dataset as shown to readers, e.g. "ACLED (event store)" or the synthetic-sample label.
    filters_text
        What the filters keep (`Filters.describe()`); "" means none.
    as_of
        Date of the data (last ingest, or the export's date).
    made
        Date the figure is made; today by default.
    boundaries
        The boundary set's credit line (`BoundarySet.attribution`), e.g. "OCHA COD-AB (CC BY-IGO),
        geoBoundaries (CC BY 4.0)"; left out when empty.

    Returns
    -------
    Plain text such as "Source: ACLED (event store, data as of 2026-11-25) · Filters: 2019; Political
    violence · Boundaries: OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0) · Made 2026-11-25 with the
    Central Sahel violence atlas".
    """
    label = source_label.strip()
    if as_of:
        # Put the date inside a closing bracket of the label rather than opening a second one.
        label = f"{label[:-1]}, data as of {as_of})" if label.endswith(")") else f"{label} (data as of {as_of})"
    made = made or date.today()
    credit = f" · Boundaries: {boundaries.strip()}" if boundaries.strip() else ""
    return f"Source: {label} · Filters: {filters_text.strip() or 'none'}{credit} · Made {made.isoformat()} with {APP_NAME}"


def _plain(text: object) -> str:
    """Text for plotly labels: plotly reads a few HTML tags, so data and user text are escaped."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int) -> str:
    """Escaped text broken into lines of at most `width` characters, preferably at the " · " separators."""
    lines: list[str] = []
    for part in text.split(" · "):
        chunks = textwrap.wrap(part, width) or [""]
        for i, chunk in enumerate(chunks):
            if i == 0 and lines and len(lines[-1]) + 3 + len(chunk) <= width:
                lines[-1] = f"{lines[-1]} · {chunk}"
            else:
                lines.append(chunk)
    return "<br>".join(_plain(line) for line in lines)


def _format_value(value: float) -> str:
    if pd.isna(value):
        return "no data"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"


def _group_title(by: str) -> str:
    return _GROUP_TITLES.get(by, by.replace("_", " ").capitalize())


def _header(fig: go.Figure, title: str, caption_text: str, *, width: int = _CAPTION_WIDTH) -> int:
    """Put the title and the caption (as subtitle) into the figure; return the top margin they need."""
    subtitle = _wrap(caption_text, width)
    lines = subtitle.count("<br>") + 1
    fig.update_layout(
        title={
            "text": f"<b>{_plain(title)}</b>", "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top",
            "yref": "container", "font": {"size": 18},
            "subtitle": {"text": subtitle, "font": {"size": 12, "color": "#444"}},
        },
    )
    return 48 + 16 * lines


# ------------------------------------------------------------------------------------------- periods


def period_kind(periods) -> str:
    """ "Y", "Q" or "M" for labels like "2019", "2019-Q1", "2019-03"; ValueError when mixed or unknown."""
    kinds = set()
    for label in pd.unique(pd.Series(list(periods), dtype=object).dropna().astype(str)):
        kind = next((k for k, pattern in _PERIOD_PATTERNS.items() if re.fullmatch(pattern, label)), None)
        if kind is None:
            raise ValueError(f"unknown period label {label!r}; expected 2019, 2019-Q1 or 2019-03")
        kinds.add(kind)
    if len(kinds) > 1:
        raise ValueError(f"periods mix years, quarters and months: {sorted(kinds)}")
    return kinds.pop() if kinds else "Y"


def continuous_periods(periods) -> list[str]:
    """All period labels from the first to the last of `periods`, none skipped, in order."""
    labels = sorted(pd.unique(pd.Series(list(periods), dtype=object).dropna().astype(str)))
    if not labels:
        return []
    kind = period_kind(labels)
    span = pd.period_range(pd.Period(labels[0], freq=kind), pd.Period(labels[-1], freq=kind), freq=kind)
    if kind == "Y":
        return [str(p.year) for p in span]
    if kind == "Q":
        return [f"{p.year}-Q{p.quarter}" for p in span]
    return [p.strftime("%Y-%m") for p in span]


# ------------------------------------------------------------------------------------------- helpers


def _without_special(table: pd.DataFrame) -> pd.DataFrame:
    if "unit_code" not in table:
        return table
    return table.loc[~table["unit_code"].isin(SPECIAL_CODES)]


def _check_one_source(table: pd.DataFrame, by: str | None = None) -> None:
    """ACLED and UCDP figures are never added together."""
    column = "source" if "source" in table else "source_dataset" if "source_dataset" in table else None
    if column is None or by == column:
        return
    sources = sorted(pd.unique(table[column].dropna()))
    if len(sources) > 1:
        raise ValueError(f"the table mixes sources {sources}; pass one source's rows (figures of different "
                         "datasets are never added together)")


def _group_values(table: pd.DataFrame, keys: list[str], metric: str) -> pd.DataFrame:
    """Sum `metric` per `keys` (NaN when every value is missing); ratio metrics are recomputed from sums."""
    if metric in RATIO_METRICS and {RATIO_METRICS[metric][0], RATIO_METRICS[metric][1]} <= set(table.columns):
        numerator, denominator, scale = RATIO_METRICS[metric]
        rows = table.loc[table[denominator].notna()]  # special rows have no area: their events would inflate it
        sums = rows.groupby(keys, sort=False, dropna=False)[[numerator, denominator]].sum()
        values = (sums[numerator] / sums[denominator] * scale).astype("float64")
    else:
        if metric not in table:
            raise ValueError(f"the table has no column {metric!r}")
        numbers = pd.to_numeric(table[metric], errors="coerce").astype("float64")
        values = numbers.groupby([table[k] for k in keys], sort=False, dropna=False).sum(min_count=1)
    return values.rename("value").reset_index()


def _complete(values: pd.Series, index: pd.Index) -> pd.Series:
    """`values` on `index`: 0 where a row is missing (no events), NaN kept where a value is missing (no data)."""
    out = values.reindex(index)
    return out.where(index.isin(values.index), 0.0)


def _is_integer_metric(table: pd.DataFrame, metric: str) -> bool:
    return metric in table and metric not in RATIO_METRICS and pd.api.types.is_integer_dtype(table[metric])


def _as_int_if(series: pd.Series, integer: bool) -> pd.Series:
    return series.round().astype("Int64") if integer else series


def _group_labels(table: pd.DataFrame, by: str) -> pd.Series:
    labels = table[by].astype(object).where(table[by].notna(), "(none)").astype(str)
    if by == "country_iso3":  # readers know country names, not codes
        labels = labels.map(lambda c: COUNTRY_NAMES.get(c, c or "(none)"))
    return labels


def _no_data_annotation(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=_plain(text), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 16, "color": "#555"}, bgcolor="rgba(255,255,255,0.85)")


# ----------------------------------------------------------------------------------------------- map


def _fit_view(bounds: np.ndarray, width_px: float, height_px: float) -> tuple[dict, float]:
    """Centre and zoom (web mercator, 512-px tiles) showing `bounds` in a map of about this size."""
    west, south, east, north = (float(b) for b in bounds)

    def merc(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width_px * 360 / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * max(merc(north) - merc(south), 1e-9)))
    centre_y = (merc(north) + merc(south)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return {"lon": (west + east) / 2, "lat": centre_lat}, round(min(zoom_x, zoom_y) - 0.15, 2)


def _country_outlines(units: gpd.GeoDataFrame) -> dict | None:
    """Country borders dissolved from the units: readers find their way by country shapes."""
    if "country_iso3" not in units or units.empty:
        return None
    lines = []
    for _, group in units.groupby("country_iso3"):
        outline = shapely.union_all(shapely.make_valid(group.geometry.values), grid_size=10.0**-COORDINATE_DECIMALS)
        lines.append(outline.boundary)
    return shapely.geometry.mapping(shapely.MultiLineString(
        [part for line in lines for part in getattr(line, "geoms", [line]) if not part.is_empty]
    ))


def add_play_controls(
    fig: go.Figure,
    names: list[str],
    *,
    prefix: str,
    frame_ms: int,
    play_names: list[str] | None = None,
    from_current: bool = True,
    active: int = 0,
) -> None:
    """
    Play / Pause buttons and a slider over the figure's frames `names` (map figures: frames are redrawn).

    Parameters
    ----------
    play_names
        Frames Play runs through (default: from the current frame to the end).
    from_current
        Whether Play starts from the frame shown.
    active
        Slider position shown first.
    """
    play = {"frame": {"duration": frame_ms, "redraw": True}, "fromcurrent": from_current, "transition": {"duration": 0}}
    if play_names is not None:
        play["mode"] = "immediate"
    step = {"frame": {"duration": 0, "redraw": True}, "mode": "immediate", "transition": {"duration": 0}}
    fig.update_layout(
        updatemenus=[{
            "type": "buttons", "direction": "left", "x": 0.0, "xanchor": "left", "y": 0, "yanchor": "top",
            "pad": {"t": 34, "r": 10}, "showactive": False,
            "buttons": [
                {"label": "▶ Play", "method": "animate", "args": [play_names, play]},
                {"label": "❚❚ Pause", "method": "animate",
                 "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}]},
            ],
        }],
        sliders=[{
            "active": active, "x": 0.16, "len": 0.84, "y": 0, "yanchor": "top", "pad": {"t": 20, "b": 0},
            "currentvalue": {"prefix": prefix, "font": {"size": 14}},
            "steps": [{"label": _plain(name), "method": "animate", "args": [[name], step]} for name in names],
        }],
    )


def _log_ticks(max_value: float) -> tuple[list[float], list[str]]:
    """Colourbar ticks at 0, 1, 3, 10, 30, … in original units, placed at log10(1 + value)."""
    values = [0.0]
    step = 1.0
    while step <= max_value:
        values.append(step)
        if step * 3 <= max_value:
            values.append(step * 3)
        step *= 10
    return [math.log10(1 + v) for v in values], [f"{v:,.0f}" for v in values]


def animated_choropleth(
    units: gpd.GeoDataFrame,
    table: pd.DataFrame,
    *,
    metric: str,
    metric_label: str,
    title: str,
    caption: str,
    log: bool = False,
    height: int = 560,
    colorscale: str = MAP_COLOURSCALE,
    country_outlines: bool = True,
) -> go.Figure:
    """
    A choropleth map of `metric` per unit with one animation frame per period, drawn without internet.

    Parameters
    ----------
    units
        Display units (`geo.display.display_units`): unit_code, unit_name, country_iso3, geometry.
    table
        One row per unit and period (`geo.aggregate.aggregate` output of one source); `_OUTSIDE` and
        `_UNALLOCATED` rows are ignored. Use years as periods: months or weeks make animations that
        are too long to read.
    metric, metric_label
        Column to map and its name for readers.
    title, caption
        Title and caption line (see `caption`), both drawn inside the figure.
    log
        Colour by log10(1 + value) (for skewed counts); ticks and hover stay in original units.
    height
        Figure height in pixels; the view is fitted for a figure about 1200 px wide.
    colorscale
        Sequential plotly colour scale.
    country_outlines
        Draw country borders (dissolved from the units) over the units.

    Returns
    -------
    A figure with a grey "no data" trace (units without a value in the period) under the value trace,
    one frame per period, Play/Pause buttons and a period slider. The colour range is 0 to the maximum
    over all periods and the same in every frame, so colours compare across years.
    """
    if units.crs is not None and units.crs.to_epsg() != 4326:
        units = units.to_crs(4326)
    units = units.loc[~units["unit_code"].isin(SPECIAL_CODES)].reset_index(drop=True)
    data = _without_special(table)
    _check_one_source(data)
    duplicated = data.duplicated(["unit_code", "period"])
    if duplicated.any():
        raise ValueError(f"the table has {int(duplicated.sum())} repeated unit/period rows; pass one source, "
                         "level and boundary set")
    periods = sorted(pd.unique(data["period"].astype(str))) if len(data) else []
    codes = units["unit_code"].astype(str).tolist()
    values = (
        data.assign(_value=pd.to_numeric(data[metric], errors="coerce").astype("float64"), period=data["period"].astype(str))
        .pivot(index="unit_code", columns="period", values="_value")
        .reindex(index=codes, columns=periods)
    )
    names = [_plain(n) for n in units["unit_name"]]
    countries = [_plain(COUNTRY_NAMES.get(c, c)) for c in units["country_iso3"]]
    max_value = float(np.nanmax(values.to_numpy())) if values.notna().any().any() else 0.0
    colour = np.log10(1 + values.clip(lower=0)) if log else values
    cmax = float(np.log10(1 + max_value)) if log else max_value
    cmax = cmax if cmax > 0 else 1.0  # an all-zero map still needs a colour range
    geojson = to_geojson(units, ["unit_code"])
    label = _plain(metric_label)
    period_name = _PERIOD_NAMES[period_kind(periods)] if periods else "Period"

    def frame_traces(period: str | None) -> list[go.Choroplethmap]:
        column = values[period] if period is not None else pd.Series(np.nan, index=codes)
        has = column.notna().to_numpy()
        shown = _plain(period) if period else ""
        info = [[names[i], countries[i], _format_value(column.iloc[i]), shown] for i in range(len(codes))]
        no_data = [i for i in range(len(codes)) if not has[i]]
        with_data = [i for i in range(len(codes)) if has[i]]
        return [
            go.Choroplethmap(
                locations=[codes[i] for i in no_data], z=[0] * len(no_data), customdata=[info[i] for i in no_data],
            ),
            go.Choroplethmap(
                locations=[codes[i] for i in with_data], z=[round(float(colour[period].iloc[i]), 4) for i in with_data],
                customdata=[info[i] for i in with_data],
            ),
        ]

    first = frame_traces(periods[0] if periods else None)
    common = {"geojson": geojson, "featureidkey": "properties.unit_code", "marker": {"line": {"color": "white", "width": 0.6}}}
    fig = go.Figure([
        first[0].update(
            **common, name="No data", colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], showscale=False,
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>" + label + ": no data<br>%{customdata[3]}<extra></extra>",
        ),
        first[1].update(
            **common, name=label, coloraxis="coloraxis",
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>" + label + ": %{customdata[2]}<br>%{customdata[3]}<extra></extra>",
        ),
    ])
    # Frames carry only what changes (locations, colours, hover texts); the geometry stays in the traces.
    fig.frames = [go.Frame(name=p, data=frame_traces(p), traces=[0, 1]) for p in periods]

    top = _header(fig, title, caption)
    bottom = 86 if len(periods) > 1 else 16
    centre, zoom = _fit_view(units.total_bounds, 1200 - 20 - 110, height - top - bottom)
    layers = []
    outline = _country_outlines(units) if country_outlines else None
    if outline is not None:
        layers.append({"sourcetype": "geojson", "source": outline, "type": "line", "color": "#444", "line": {"width": 1.2}})
    colorbar = {"title": {"text": label, "side": "right"}, "len": 0.75, "y": 0.55, "thickness": 14, "x": 1.0, "xpad": 8}
    if log:
        tickvals, ticktext = _log_ticks(max_value)
        colorbar.update(tickvals=tickvals, ticktext=ticktext, title={"text": f"{label} (log scale)", "side": "right"})
    fig.update_layout(
        template="plotly_white", font={"family": _FONT}, height=height,
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        map={"style": "white-bg", "center": centre, "zoom": zoom, "layers": layers},
        coloraxis={"cmin": 0.0, "cmax": cmax, "colorscale": colorscale, "colorbar": colorbar},
        showlegend=False,
    )
    fig.add_annotation(
        text=f"<span style='color:{NO_DATA_COLOUR}'>█</span> no data", x=1.0, y=0.1, xref="paper", yref="paper",
        xanchor="right", yanchor="top", showarrow=False, font={"size": 12, "color": "#444"},
        bgcolor="rgba(255,255,255,0.8)",
    )
    if not periods:
        _no_data_annotation(fig, "No figures for these filters")
    elif not values.notna().any().any():
        _no_data_annotation(fig, f"No values of “{metric_label}” in these figures")
    if len(periods) > 1:
        # Redraw is required: map traces cannot be tweened; the frame duration gives time to read each period.
        add_play_controls(fig, periods, prefix=f"{period_name}: ", frame_ms=1200)
    return fig


# -------------------------------------------------------------------------------------------- trends


def _fold_groups(table: pd.DataFrame, by: str, metric: str, top_n: int) -> tuple[pd.Series, list[str]]:
    """Group label per row, with groups beyond the top_n (by total) folded into "Other"; and the order."""
    labels = _group_labels(table, by)
    totals = _group_values(table.assign(_group=labels), ["_group"], metric)
    totals = totals.assign(_sort=totals["value"].fillna(-np.inf)).sort_values(["_sort", "_group"], ascending=[False, True])
    order = totals["_group"].tolist()
    if len(order) > top_n:
        kept = order[:top_n]
        labels = labels.where(labels.isin(kept), OTHER_LABEL)
        order = [*kept, OTHER_LABEL]
    return labels, order


def trend_chart(
    table: pd.DataFrame,
    *,
    by: str,
    metric: str,
    metric_label: str,
    kind: str = "line",
    title: str,
    caption: str,
    top_n: int = 8,
    height: int = 500,
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
    metric, metric_label
        Column to plot and its name for readers.
    kind
        "line", "bar" (stacked) or "grouped" (bars side by side).
    title, caption
        Drawn inside the figure.
    top_n
        With more groups than this, the top_n by total are kept and the rest summed into "Other".
    height
        Figure height in pixels.

    Returns
    -------
    A figure whose x axis lists every period from the first to the last (missing periods are 0).
    """
    if kind not in ("line", "bar", "grouped"):
        raise ValueError(f"unknown kind {kind!r}; use line, bar or grouped")
    _check_one_source(table, by)
    fig = go.Figure()
    top = _header(fig, title, caption)
    periods = continuous_periods(table["period"]) if len(table) else []
    if periods:
        labels, order = _fold_groups(table, by, metric, top_n)
        grouped = _group_values(table.assign(_group=labels, period=table["period"].astype(str)), ["_group", "period"], metric)
        grid = pd.MultiIndex.from_product([order, periods], names=["_group", "period"])
        values = _complete(grouped.set_index(["_group", "period"])["value"], grid)
        label = _plain(metric_label)
        for i, group in enumerate(order):
            y = values.loc[group].reindex(periods)
            colour = OTHER_COLOUR if group == OTHER_LABEL else GROUP_COLOURS[i % len(GROUP_COLOURS)]
            common = {"x": periods, "y": y.tolist(), "name": _plain(group),
                      "hovertemplate": f"{_plain(group)}: %{{y:,}}<extra></extra>"}
            if kind == "line":
                dash = "dot" if group == OTHER_LABEL else "solid"  # a sum of many groups, not one of them
                fig.add_trace(go.Scatter(**common, mode="lines+markers", line={"color": colour, "width": 2.5, "dash": dash},
                                         marker={"size": 6}))
            else:
                fig.add_trace(go.Bar(**common, marker={"color": colour}))
        fig.update_layout(
            barmode="stack" if kind == "bar" else "group",
            hovermode="x unified",
            # Stacked bars: the legend lists groups top-down as they are stacked.
            legend={"title": {"text": _plain(_group_title(by))}, "traceorder": "reversed" if kind == "bar" else "normal"},
            xaxis={"type": "category", "categoryorder": "array", "categoryarray": periods,
                   "title": {"text": _PERIOD_NAMES[period_kind(periods)]}},
            yaxis={"title": {"text": label}, "rangemode": "tozero", "tickformat": ","},
        )
    else:
        _no_data_annotation(fig, "No figures for these filters")
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    fig.update_layout(template="plotly_white", font={"family": _FONT}, height=height,
                      colorway=GROUP_COLOURS, margin={"l": 60, "r": 20, "t": top, "b": 50})
    return fig


def unit_trend(
    table_for_one_unit: pd.DataFrame,
    *,
    metric: str,
    metric_label: str,
    title: str,
    caption: str,
    height: int = 320,
) -> go.Figure:
    """
    A small bar chart of one unit's `metric` per period (the map's detail panel).

    Parameters
    ----------
    table_for_one_unit
        Rows of one unit (and one source) with columns period and `metric`; missing periods are 0.
    metric, metric_label
        Column to plot and its name for readers.
    title, caption
        Drawn inside the figure (the caption wraps for narrow panels).
    height
        Figure height in pixels.
    """
    _check_one_source(table_for_one_unit)
    fig = go.Figure()
    top = _header(fig, title, caption, width=70)
    periods = continuous_periods(table_for_one_unit["period"]) if len(table_for_one_unit) else []
    if periods:
        data = table_for_one_unit.assign(period=table_for_one_unit["period"].astype(str))
        y = _complete(_group_values(data, ["period"], metric).set_index("period")["value"], pd.Index(periods))
        label = _plain(metric_label)
        fig.add_trace(go.Bar(
            x=periods, y=y.tolist(), marker={"color": SINGLE_COLOUR}, name=label,
            text=[_format_value(v) for v in y] if len(periods) <= 12 else None, textposition="outside",
            cliponaxis=False, hovertemplate=f"%{{x}}<br>{label}: %{{y:,}}<extra></extra>",
        ))
        fig.update_layout(
            xaxis={"type": "category", "categoryorder": "array", "categoryarray": periods},
            yaxis={"title": {"text": label}, "rangemode": "tozero", "tickformat": ","},
        )
    else:
        _no_data_annotation(fig, "No figures for this unit")
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    fig.update_layout(template="plotly_white", font={"family": _FONT}, height=height, showlegend=False,
                      margin={"l": 55, "r": 15, "t": top, "b": 40})
    return fig


# ------------------------------------------------------------------------------------------- changes


def _percent_change(value: pd.Series, previous: pd.Series, min_base: float) -> tuple[pd.Series, pd.Series]:
    """Percent change, NaN (with a note) where the base is missing, zero or below `min_base`."""
    change = value - previous
    low = previous < min_base
    zero = previous == 0
    usable = previous.notna() & ~low & ~zero
    percent = (change / previous.where(usable) * 100).where(usable)
    note = pd.Series("", index=value.index, dtype=object)
    note[previous.isna()] = "no earlier value"
    note[zero & ~low] = "no base (0)"
    note[low] = f"low base (<{min_base:g})"
    return percent.astype("float64"), note


def year_on_year(
    table: pd.DataFrame,
    *,
    by: str | None,
    metric: str,
    min_base: float = 10,
    lag: int = 1,
) -> pd.DataFrame:
    """
    Change of `metric` per group from one period to the previous one.

    Parameters
    ----------
    table
        Long form with columns period, `by` and `metric` (rows of one source unless `by` is "source").
    by
        Group column, or None for the table's total.
    metric
        Column to compare.
    min_base
        Below this previous value the percent change is not given: 1 → 4 events is not "+300 %".
    lag
        How many periods back to compare: 1 (the period before), 4 for the same quarter or 12 for the
        same month of the previous year.

    Returns
    -------
    DataFrame with columns `by` (unless None), period, value, previous, change, pct_change and note
    ("low base (<10)", "no base (0)", "no earlier value" or ""), one row per group and period, every
    period from the first to the last (missing periods are 0).
    """
    _check_one_source(table, by)
    keys = [by] if by else []
    integer = _is_integer_metric(table, metric)
    columns = [*keys, "period", "value", "previous", "change", "pct_change", "note"]
    periods = continuous_periods(table["period"]) if len(table) else []
    if not periods:
        return pd.DataFrame(columns=columns)
    data = table.assign(period=table["period"].astype(str))
    groups = _group_values(data.assign(_group=data[by]) if by else data.assign(_group=""), ["_group", "period"], metric)
    grid = pd.MultiIndex.from_product([sorted(pd.unique(groups["_group"])), periods], names=["_group", "period"])
    values = _complete(groups.set_index(["_group", "period"])["value"], grid)
    out = values.reset_index()
    out["previous"] = out.groupby("_group", sort=False)["value"].shift(lag)
    out["change"] = out["value"] - out["previous"]
    out["pct_change"], out["note"] = _percent_change(out["value"], out["previous"], min_base)
    if by:
        out = out.rename(columns={"_group": by})
    for column in ("value", "previous", "change"):
        out[column] = _as_int_if(out[column], integer)
    return out[columns].reset_index(drop=True)


def ranked_changes(
    table: pd.DataFrame,
    *,
    key: str = "unit_code",
    label: str = "unit_name",
    metric: str,
    period_from: str,
    period_to: str,
    min_base: float = 10,
) -> pd.DataFrame:
    """
    Units ranked by the change of `metric` between two periods, largest increase first.

    Parameters
    ----------
    table
        Aggregate rows of one source; `_OUTSIDE` and `_UNALLOCATED` rows are left out (show them apart).
    key, label
        Unit identifier and name columns.
    metric
        Column to compare.
    period_from, period_to
        Periods to compare. A unit without a row in a period of the table counts 0; a period the table
        does not have at all (before the source's first year) gives NaN values and a "no data for …" note.
    min_base
        Below this value in `period_from` the percent change is not given (see `year_on_year`).

    Returns
    -------
    DataFrame with columns rank, `key`, `label`, country_iso3, country, value_from, value_to, change,
    pct_change and note, sorted by change (largest increase first; ties share a rank).
    """
    data = _without_special(table)
    _check_one_source(data)
    available = set(data["period"].astype(str))
    data = data.assign(period=data["period"].astype(str))
    keys = list(dict.fromkeys([key, label] + (["country_iso3"] if "country_iso3" in data else [])))
    # Names and countries are attributes of the unit: keep one per key, so no row is split by them.
    attributes = data.drop_duplicates(key).set_index(key)[[k for k in keys if k != key]]
    chosen = data.loc[data["period"].isin([str(period_from), str(period_to)])]
    grouped = _group_values(chosen, [key, "period"], metric).set_index([key, "period"])["value"]
    out = attributes.reset_index()
    integer = _is_integer_metric(data, metric)
    for column, period in (("value_from", str(period_from)), ("value_to", str(period_to))):
        index = pd.MultiIndex.from_arrays([out[key], [period] * len(out)])
        # No row: no events (0). A row whose value is missing (ACLED has no fatality bounds): no data (NaN).
        found = index.isin(grouped.index)
        filler = 0.0 if period in available else np.nan  # a period the source does not cover is no data
        out[column] = np.where(found, grouped.reindex(index).to_numpy(dtype="float64"), filler)
    out["change"] = out["value_to"] - out["value_from"]
    out["pct_change"], out["note"] = _percent_change(out["value_to"], out["value_from"], min_base)
    missing = [str(p) for p in (period_from, period_to) if str(p) not in available]
    if missing:
        out["note"] = f"no data for {' and '.join(missing)}"
    if "country_iso3" in out:
        out["country"] = out["country_iso3"].map(lambda c: COUNTRY_NAMES.get(c, c))
    out = out.sort_values(["change", "value_to", label], ascending=[False, False, True], na_position="last")
    out.insert(0, "rank", out["change"].rank(method="min", ascending=False).astype("Int64"))
    for column in ("value_from", "value_to", "change"):
        out[column] = _as_int_if(out[column], integer)
    columns = ["rank", *keys, *(["country"] if "country" in out else []), "value_from", "value_to", "change", "pct_change", "note"]
    return out[columns].reset_index(drop=True)


# -------------------------------------------------------------------------------------------- events


def top_actors(events: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """
    The actors involved in most events (as actor1 or actor2), with the fatalities of those events.

    Empty actors and civilians ("Civilians (Mali)") are left out; an event counts once per actor even
    when the actor is on both sides. Events of one source only.

    Returns
    -------
    DataFrame with columns actor, events, fatalities; most events first (then fatalities, then name).
    """
    _check_one_source(events)
    sides = pd.concat(
        [pd.DataFrame({"row": np.arange(len(events)), "actor": events[c].astype(object).to_numpy(),
                       "fatalities": pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy()})
         for c in ("actor1", "actor2")],
        ignore_index=True,
    )
    sides["actor"] = sides["actor"].where(sides["actor"].notna(), "").astype(str).str.strip()
    sides = sides.loc[(sides["actor"] != "") & ~sides["actor"].str.match(_CIVILIANS)]
    sides = sides.drop_duplicates(["row", "actor"])
    out = sides.groupby("actor").agg(events=("row", "size"), fatalities=("fatalities", "sum")).reset_index()
    out = out.sort_values(["events", "fatalities", "actor"], ascending=[False, False, True]).head(n)
    return out.astype({"actor": object, "events": "int64", "fatalities": "int64"}).reset_index(drop=True)


def latest_events(events: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """
    The `n` most recent events as plain text for a table.

    Returns
    -------
    DataFrame with columns date (a `datetime.date`), event_type, actor1, actor2, fatalities, location,
    notes; newest first.
    """
    columns = ["event_type", "actor1", "actor2", "fatalities", "location", "notes"]
    order = [c for c in ("event_date", "source_dataset", "event_id") if c in events]
    latest = events.sort_values(order, ascending=False, kind="stable").head(n)
    out = latest[columns].copy()
    out.insert(0, "date", latest["event_date"].dt.date.to_numpy())
    return out.reset_index(drop=True)


def points_map(
    events: pd.DataFrame,
    units: gpd.GeoDataFrame,
    *,
    title: str,
    caption: str,
    height: int = 420,
    max_points: int = 5_000,
) -> go.Figure:
    """
    A small offline map of event locations (e.g. a batch before it is committed) over the unit outlines.

    Hover texts are plain (escaped) text: notes and actors come from uploaded files.
    """
    shown = events.head(max_points)
    fig = go.Figure()
    outline = _country_outlines(units)
    layers = [{"sourcetype": "geojson", "source": outline, "type": "line", "color": "#444", "line": {"width": 1}}] if outline else []
    hover = [
        f"{_plain(d)}<br>{_plain(t)}<br>{_plain(a)}<br>fatalities: {f}"
        for d, t, a, f in zip(shown["event_date"].dt.strftime("%Y-%m-%d"), shown["event_type"], shown["actor1"], shown["fatalities"])
    ]
    fig.add_trace(go.Scattermap(
        lon=shown["longitude"], lat=shown["latitude"], mode="markers", text=hover, hoverinfo="text",
        marker={"size": 6, "color": "#bd0026", "opacity": 0.7},
    ))
    top = _header(fig, title + (f" (first {max_points:,} of {len(events):,})" if len(events) > max_points else ""), caption)
    bounds = units.total_bounds if len(units) else np.array([-12.0, 9.0, 16.0, 24.0])
    centre, zoom = _fit_view(bounds, 700, height - top - 10)
    fig.update_layout(
        template="plotly_white", font={"family": _FONT}, height=height, margin={"l": 5, "r": 5, "t": top, "b": 5},
        map={"style": "white-bg", "center": centre, "zoom": zoom, "layers": layers}, showlegend=False,
    )
    return fig
