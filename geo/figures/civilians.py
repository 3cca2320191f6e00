"""Figures of the Civilians view: civilian fatalities by perpetrator over the years (stacked bars), the share attributed to state forces, and the mass-casualty events as a map layer and a table.

Plain plotly and folium, no Streamlit; the atlas's palette and caption conventions (`geo.charts`): every
figure carries its title and caption line, and everything from the data (actor names, notes) is escaped.
"""

from __future__ import annotations

import html
import json
import math
import textwrap
from collections.abc import Sequence

import folium
import pandas as pd
import plotly.graph_objects as go
from branca.element import MacroElement
from folium.template import Template

from ..join import OUTSIDE_CODE, UNALLOCATED_CODE
from ..perpetrators import OTHER_GROUP, PERPETRATORS
from .plot import add_watermark
from .style import (
    GROUP_COLOURS,
    OTHER_COLOUR,
    category,
    country_name,
    format_count,
    format_dates,
    format_percent,
    perpetrator_name,
    plotly_separators,
    word,
)
from .tables import continuous_periods

#: A fixed colour per perpetrator (Paul Tol's colour-blind-safe "muted" scheme; grey for untyped actors), so
#: that a kind keeps its colour in every chart, map and period.
PERPETRATOR_COLOURS: dict[str, str] = {
    "state_forces": "#332288",
    "rebel_groups": "#CC6677",
    "political_militias": "#DDCC77",
    "identity_militias": "#117733",
    "rioters": "#88CCEE",
    "protesters": "#44AA99",
    "civilians": "#AA4499",
    "external_forces": "#882255",
    "unknown": "#BBBBBB",
}
_SPECIAL = (OUTSIDE_CODE, UNALLOCATED_CODE)
_FONT = "Open Sans, Liberation Sans, DejaVu Sans, Arial, sans-serif"
_POPUP_NOTES_CHARS = 400


def colours_for(keys: Sequence[str]) -> dict[str, str]:
    """A colour per key: perpetrator codes get their fixed colour, named groups the group palette in order ("other" grey).

    Parameters
    ----------
    keys
        Perpetrator codes or named groups, in order.

    Returns
    -------
    dict[str, str]
        A colour per key: perpetrator codes get their fixed colour, named groups the group palette in order ("other"
        grey).
    """
    out, i = {}, 0
    for key in keys:
        if key in PERPETRATOR_COLOURS:
            out[key] = PERPETRATOR_COLOURS[key]
        elif key == OTHER_GROUP:
            out[key] = OTHER_COLOUR
        else:
            out[key] = GROUP_COLOURS[i % len(GROUP_COLOURS)]
            i += 1
    return out


def _titled(fig: go.Figure, title: str, caption: str, *, width: int = 110) -> int:
    """Title and caption (wrapped, escaped) inside the figure; returns the top margin they need."""
    lines = textwrap.wrap(caption, width) or [""]
    subtitle = "<br>".join(html.escape(line, quote=False) for line in lines)
    fig.update_layout(title={
        "text": f"<b>{html.escape(title, quote=False)}</b>", "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top",
        "yref": "container", "font": {"size": 17}, "subtitle": {"text": subtitle, "font": {"size": 11, "color": "#444"}},
    })
    return 50 + 15 * len(lines)


def _no_data(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=html.escape(text, quote=False), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 14, "color": "#555"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)


def _highlight(fig: go.Figure, periods: list[str], highlight: str | None) -> None:
    if highlight in periods:
        i = periods.index(highlight)
        fig.add_vrect(x0=i - 0.45, x1=i + 0.45, fillcolor="#e8e8e8", opacity=0.6, layer="below", line_width=0)


def stacked_chart(
    series: pd.DataFrame,
    *,
    key: str,
    value: str = "civilian_fatalities",
    value_label: str | None = None,
    legend_title: str | None = None,
    title: str,
    caption: str,
    periods: Sequence[str] | None = None,
    highlight: str | None = None,
    order: Sequence[str] | None = None,
    height: int = 480,
    caption_width: int = 110,
    watermark: str = "",
) -> go.Figure:
    """`value` per period, one stacked bar segment per `key` (perpetrator codes or named groups), in the order of the rows (first at the bottom), each with its fixed colour.

    Parameters
    ----------
    series
        `geo.civilians.perpetrator_series` or `group_series` rows (period, `key`, label, `value`) of one source.
    periods
        Periods of the x axis; default every period from the first to the last of `series`.
    highlight
        A period to mark (the year selected in the sidebar).
    order
        The keys from the bottom of the stack up (and in the legend); default `PERPETRATORS` order, then the
        others as they come.
    caption_width
        Characters per caption line (narrow columns pass less).
    value_label, legend_title
        The y axis's title (default "Civilian fatalities") and the legend's (default "Perpetrator").
    watermark
        The synthetic sample's watermark, drawn across the plot (empty on real data).
    key
        The column of the segments: "perpetrator" or "group".
    value
        The column stacked.
    title
        The figure's title.
    caption
        The lines under the title (the filters and the source).
    height
        The figure's height in pixels.

    Returns
    -------
    go.Figure
        `value` per period, one stacked bar segment per `key` (perpetrator codes or named groups), in the order of the
        rows (first at the bottom), each with its fixed colour.
    """
    value_label = value_label or word("metric.civilian_fatalities")
    legend_title = legend_title or word("civ.perpetrator")
    fig = go.Figure()
    top = _titled(fig, title, caption, width=caption_width)
    data = series.assign(period=series["period"].astype(str)) if len(series) else series
    periods = [str(p) for p in periods] if periods is not None else (continuous_periods(data["period"]) if len(data) else [])
    if not len(data) or data[value].sum() == 0 or not periods:
        _no_data(fig, word("civ.no_fatalities"))
    else:
        present = list(dict.fromkeys(data[key]))
        wanted = list(order) if order is not None else list(PERPETRATORS)
        keys = [k for k in wanted if k in present] + [k for k in present if k not in wanted]
        # Perpetrators and "other or unnamed actors" in the reader's language; named groups by their official names.
        labels = {code: perpetrator_name(code) if code in PERPETRATORS or code == OTHER_GROUP else label
                  for code, label in zip(data[key], data["label"])}
        colours = colours_for(keys)
        grid = data.pivot_table(index="period", columns=key, values=value, aggfunc="sum", fill_value=0).reindex(
            index=periods, columns=keys).fillna(0).astype("int64")
        totals = grid.sum(axis=1)
        for code in keys:
            label = html.escape(str(labels[code]), quote=False)
            share = (grid[code] / totals.where(totals > 0) * 100).round(0)
            text = [f"{format_count(v)} ({format_percent(s / 100)})" if v else "" for v, s in zip(grid[code], share.fillna(0))]
            fig.add_trace(go.Bar(
                x=periods, y=grid[code].tolist(), name=label, marker={"color": colours[code]}, customdata=text,
                hovertemplate=f"{label}: %{{customdata}}<extra></extra>",
            ))
        _highlight(fig, periods, highlight)
        fig.update_layout(
            barmode="stack", hovermode="x unified",
            xaxis={"type": "category", "categoryorder": "array", "categoryarray": periods,
                   "title": {"text": html.escape(word("chart.year"), quote=False)}},
            yaxis={"title": {"text": html.escape(value_label, quote=False)}, "rangemode": "tozero", "tickformat": ","},
            # Under the plot, so that a narrow column keeps its width for the bars; first kind first.
            legend={"title": {"text": html.escape(legend_title, quote=False), "side": "top left"}, "orientation": "h",
                    "x": 0, "xanchor": "left", "y": 0, "yref": "container", "yanchor": "bottom", "traceorder": "normal"},
        )
    add_watermark(fig, watermark)
    fig.update_layout(template="plotly_white", font={"family": _FONT}, height=height, separators=plotly_separators(),
                      margin={"l": 60, "r": 20, "t": top, "b": 130})
    return fig


def state_share_chart(
    series: pd.DataFrame,
    *,
    title: str,
    caption: str,
    periods: Sequence[str] | None = None,
    highlight: str | None = None,
    min_total: int = 10,
    height: int = 340,
    caption_width: int = 80,
    watermark: str = "",
) -> go.Figure:
    """Per period, the share (%) of civilian fatalities attributed to state forces (and to external forces), from `geo.civilians.perpetrator_series` rows; years with fewer than `min_total` civilian fatalities get no point (a share of 2 of 3 is not a trend).

    On the sample, `watermark` is drawn across the plot.

    Parameters
    ----------
    series
        `geo.civilians.perpetrator_series` rows.
    title
        The figure's title.
    caption
        The lines under the title (the filters and the source).
    periods
        The periods of the x axis; default every period of `series`.
    highlight
        A period to mark (the year chosen).
    min_total
        The fewest civilian fatalities a period needs for a share.
    height
        The figure's height in pixels.
    caption_width
        Characters per caption line.
    watermark
        The synthetic sample's watermark, drawn across the plot (empty on real data).

    Returns
    -------
    go.Figure
        The chart.
    """
    fig = go.Figure()
    top = _titled(fig, title, caption, width=caption_width)
    data = series.assign(period=series["period"].astype(str)) if len(series) else series
    periods = [str(p) for p in periods] if periods is not None else (continuous_periods(data["period"]) if len(data) else [])
    if not len(data) or not periods:
        _no_data(fig, word("civ.no_fatalities"))
    else:
        totals = data.groupby("period")["civilian_fatalities"].sum().reindex(periods).fillna(0)
        for code, dash in (("state_forces", "solid"), ("external_forces", "dot")):
            part = data[data["perpetrator"] == code].groupby("period")["civilian_fatalities"].sum().reindex(periods).fillna(0)
            share = (part / totals.where(totals >= min_total) * 100).round(1)
            text = [word("civ.share_of", share=format_percent(s / 100), part=format_count(p), total=format_count(t))
                    if pd.notna(s) else word("civ.too_few", total=format_count(t)) for s, p, t in zip(share, part, totals)]
            name = html.escape(perpetrator_name(code), quote=False)
            fig.add_trace(go.Scatter(
                x=periods, y=share.tolist(), name=name, mode="lines+markers", customdata=text,
                line={"color": PERPETRATOR_COLOURS[code], "width": 2.5, "dash": dash}, marker={"size": 7},
                hovertemplate=f"{name}: %{{customdata}}<extra></extra>", connectgaps=False,
            ))
        _highlight(fig, periods, highlight)
        fig.update_layout(
            hovermode="x unified",
            xaxis={"type": "category", "categoryorder": "array", "categoryarray": periods},
            yaxis={"title": {"text": html.escape(word("civ.share_axis"), quote=False)}, "range": [0, 100], "ticksuffix": " %"},
            legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yref": "container", "yanchor": "bottom"},
        )
    add_watermark(fig, watermark)
    fig.update_layout(template="plotly_white", font={"family": _FONT}, height=height, separators=plotly_separators(),
                      margin={"l": 60, "r": 20, "t": top, "b": 80})
    return fig


# ---------------------------------------------------------------------------------------------- mass casualties


def mass_casualty_table(events: pd.DataFrame) -> pd.DataFrame:
    """`geo.civilians.mass_casualty_store` rows as a table for readers: date, unit, country, place, actors, perpetrator, fatalities (with UCDP's low–high), civilians targeted, the source's description.

    Parameters
    ----------
    events
        `geo.civilians.mass_casualty_store` rows.

    Returns
    -------
    pd.DataFrame
        `geo.civilians.mass_casualty_store` rows as a table for readers: date, unit, country, place, actors,
        perpetrator, fatalities (with UCDP's low–high), civilians targeted, the source's description.
    """
    bounds = [
        f"{format_count(lo)}–{format_count(hi)}" if pd.notna(lo) and pd.notna(hi) else ""
        for lo, hi in zip(events["fatalities_low"], events["fatalities_high"])
    ]
    return pd.DataFrame({
        "date": events["event_date"],
        "unit": [word(f"views.special.{code}") if code in _SPECIAL else name  # outside / not placeable, in words
                 for code, name in zip(events.get("unit_code", pd.Series("", index=events.index)), events["unit_name"])],
        "country": events["country_iso3"].map(country_name),
        "place": events["location"],
        "actor1": events["actor1"],
        "actor2": events["actor2"],
        "perpetrator": events["perpetrator"].map(perpetrator_name),
        "fatalities": events["fatalities"].astype("int64"),
        "low_high": bounds,
        "civilians_targeted": events["civilian_targeting"].astype(bool),
        "description": events["notes"],
        "event_id": events["event_id"],
    })


def _popup(event: dict, day: str) -> str:
    """Popup HTML of one mass-casualty event (`day`: its date for readers); every value escaped (notes come from uploaded files)."""
    esc = html.escape
    notes = str(event.get("notes") or "")
    if len(notes) > _POPUP_NOTES_CHARS:
        notes = notes[: _POPUP_NOTES_CHARS - 1].rstrip() + "…"
    kind = " — ".join(category(t) for t in (str(event.get("event_type") or ""), str(event.get("sub_event_type") or "")) if t)
    actors = word("popup.vs").join(t for t in (str(event.get("actor1") or ""), str(event.get("actor2") or "")) if t)
    perpetrator = str(event.get("perpetrator"))
    lines = [
        f"<b>{esc(day)}</b> · <b>{esc(word('civ.killed', n=format_count(event['fatalities'])))}</b>"
        + (f" · {esc(word('civ.civilians_targeted'))}" if event.get("civilian_targeting") else ""),
        f"<b>{esc(word('format.label', label=word('civ.place')))}</b> {esc(str(event.get('location') or ''))} ({esc(str(event.get('unit_name') or ''))})",
        f"<b>{esc(word('format.label', label=word('popup.actors')))}</b> {esc(actors)}",
        f"<b>{esc(word('format.label', label=word('civ.perpetrator')))}</b> {esc(perpetrator_name(perpetrator) if perpetrator in PERPETRATORS else '')}"
        + (f" · {esc(kind)}" if kind else ""),
    ]
    if notes:
        lines.append(f'<span style="color:#333">{esc(notes)}</span>')
    lines.append(f'<span style="color:#777">{esc(str(event.get("source", "")).upper())} {esc(str(event.get("event_id", "")))}</span>')
    return '<div style="font-size:12px;line-height:1.35">' + "<br>".join(lines) + "</div>"


def _script_json(value: object) -> str:
    """JSON for inside a ``<script>``: ``<`` and ``>`` escaped, so text can never close the script."""
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")


class MassCasualtyLayer(folium.FeatureGroup):
    """Mass-casualty events as circles on a folium map: area proportional to the fatalities, coloured by perpetrator, a popup each.

    Built in the browser from one escaped data array (one marker object per event in Python would be ~1 kB of
    JavaScript each).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function() {
            var rows = {{ this.rows_json }};
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                L.circleMarker([r[0], r[1]], {radius: r[2], color: "#ffffff", weight: 1.2, fillColor: r[3],
                                              fillOpacity: 0.85}).bindPopup(r[4], {maxWidth: 360})
                 .addTo({{ this.get_name() }});
            }
        })();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, events: pd.DataFrame, *, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True)
        located = events[events["latitude"].notna() & events["longitude"].notna()]
        # Smallest last, so that small circles stay clickable on top of large ones.
        located = located.sort_values("fatalities", ascending=False, kind="stable")
        days = format_dates(located["event_date"]).tolist()
        self.rows = [
            [round(float(e["latitude"]), 5), round(float(e["longitude"]), 5),
             round(4 + 1.6 * math.sqrt(max(int(e["fatalities"]), 0)), 1),
             PERPETRATOR_COLOURS.get(str(e["perpetrator"]), PERPETRATOR_COLOURS["unknown"]), _popup(e, day)]
            for e, day in zip(located.to_dict("records"), days)
        ]
        self.rows_json = _script_json(self.rows)


class PerpetratorLegend(MacroElement):
    """A small legend (bottom right) of the mass-casualty circles: perpetrator colours and the size scale."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "atlas-perpetrator-legend");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, codes: Sequence[str], *, title: str) -> None:
        super().__init__()
        self._name = "AtlasPerpetratorLegend"
        items = "".join(
            f'<div><span style="display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:6px;'
            f'vertical-align:-1px;background:{PERPETRATOR_COLOURS[c]}"></span>{html.escape(perpetrator_name(c))}</div>'
            for c in PERPETRATORS if c in set(codes)
        )
        box = ('<div style="background:rgba(255,255,255,0.92);padding:6px 9px;border-radius:4px;font:12px Arial,sans-serif;'
               f'box-shadow:0 1px 4px rgba(0,0,0,0.25);max-width:220px"><b>{html.escape(title)}</b>{items}'
               f'<div style="color:#555;margin-top:3px">{html.escape(word("civ.circle_area"))}</div></div>')
        self.html_json = _script_json(box)
