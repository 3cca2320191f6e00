"""`python -m geo`: the command line of the atlas.

The commands, flags, JSON keys and CSV columns here are a contract other tools rely on: extend, never
rename. A user error exits with status 1 and one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pandas as pd

from .errors import AtlasError, InputError, printable

if TYPE_CHECKING:  # annotations only
    from .boundaries import BoundarySet
    from .config import Settings
    from .dataset import ViewData
    from .filters import Filters
    from .store import Store

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {message} (see `{self.prog} --help`)\n")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="store: SQLAlchemy URL or SQLite file (default: ATLAS_DB_URL or atlas.toml)")


#: Source datasets of `--source`: events, and ACLED's aggregates (acled-hdx).
SOURCE_CHOICES = ["acled", "ucdp", "generic", "sample", "acled-hdx"]
#: ACLED's indicators (`geo.indicators`).
INDICATOR_CHOICES = ["political-violence", "civilian-targeting", "demonstrations"]


def _add_indicator(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--indicator", choices=INDICATOR_CHOICES, help=text)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD", help="first day (inclusive)")
    parser.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD", help="last day (inclusive)")
    parser.add_argument("--source", choices=SOURCE_CHOICES,
                        help="source dataset (default: all, never summed; acled-hdx: ACLED's aggregates from HDX)")
    _add_indicator(parser, "one of ACLED's indicators, for events (ACLED's definitions) and aggregates alike "
                   "(aggregates: default political-violence)")
    parser.add_argument("--event-type", dest="event_types", action="extend", nargs="+", default=[], metavar="TYPE", help="keep only these event types")
    parser.add_argument("--sub-event-type", dest="sub_event_types", action="extend", nargs="+", default=[], metavar="TYPE")
    parser.add_argument("--preset", help="named selection from atlas.toml, e.g. political-violence")
    parser.add_argument("--country", dest="countries", action="extend", nargs="+", default=[], metavar="ISO3", help="keep only these countries (MLI BFA NER)")
    parser.add_argument("--actor", help="keep events whose actors contain this text")
    parser.add_argument("--max-geo-precision", type=int, metavar="N", help="keep events with geo precision code <= N")
    parser.add_argument("--tolerance-km", type=_positive_float, help="snapping tolerance (default from atlas.toml: 5)")


def build_parser() -> argparse.ArgumentParser:
    """The parser of `python -m geo` and its commands (their names, flags and defaults are a contract).

    Returns
    -------
    argparse.ArgumentParser
        The parser.
    """
    parser = _Parser(prog="python -m geo", description="Central Sahel violence atlas: event pipeline and store.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("ingest", help="read, check, place and store event files as one batch")
    p.add_argument("files", nargs="+", metavar="FILE")
    _add_db(p)
    p.add_argument("--format", default="auto", choices=["auto", "acled", "ucdp", "generic", "acled-hdx", "hdx-hapi"],
                   help="the file's layout (default: detected from its header); acled-hdx: ACLED's aggregate workbook from "
                   "HDX, hdx-hapi: HDX HAPI conflict_event rows")
    _add_indicator(p, "the indicator an aggregate table holds (default: from its file name, else HDX HAPI's event_type)")
    p.add_argument("--mapping", metavar="FILE", help="column mapping (TOML or JSON) for generic CSVs")
    p.add_argument("--map", dest="map_pairs", action="append", default=[], metavar="CANONICAL=COLUMN", help="one column of the mapping")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--user", help="who ingests (default: ATLAS_USER or the login name)")
    p.add_argument("--max-file-mb", type=_positive_float, metavar="N",
                   help="refuse files (and zip members) over N MB (default: no limit; the upload page keeps [ingest] max_file_mb)")
    p.add_argument("--no-size-limit", action="store_true", help="no size limit (the default; kept for scripts)")
    p.add_argument("--dry-run", action="store_true", help="report what would happen; store nothing")

    p = sub.add_parser("aggregate", help="events, fatalities and civilian-targeting events per unit and period (CSV)")
    _add_db(p)
    p.add_argument("--boundaries", metavar="NAME", help="boundary set (default from atlas.toml)")
    p.add_argument("--level", default="admin1", choices=["admin1", "admin2"])
    p.add_argument("--period", default="year", choices=["year", "quarter", "month"])
    _add_filters(p)
    p.add_argument("--by", choices=["perpetrator"],
                   help="also split every row by perpetrator (the kind of the first actor): adds a column perpetrator")
    p.add_argument("--ranges", action="store_true",
                   help="add events_min, events_max, fatalities_min, fatalities_max: how low and how high each figure may be "
                        "within the events' uncertainty areas (atlas.toml [uncertainty]) and UCDP's low / high estimates")
    p.add_argument("--no-empty", action="store_true", help="leave out units with no events")
    p.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")

    p = sub.add_parser("compare", help="two sources side by side per unit and period, with their ranges and difference (CSV)")
    _add_db(p)
    p.add_argument("--sources", default="acled,ucdp", metavar="A,B",
                   help="the two sources compared, never summed (default acled,ucdp; acled,acled-hdx: ACLED's events beside "
                        "its aggregates)")
    _add_indicator(p, "ACLED's indicator both sources are counted with (default political-violence: what both count)")
    p.add_argument("--boundaries", metavar="NAME", help="boundary set (default from atlas.toml)")
    p.add_argument("--level", default="admin1", choices=["admin1", "admin2"])
    p.add_argument("--period", default="year", choices=["year", "quarter", "month"])
    p.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD", help="first day (inclusive)")
    p.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD", help="last day (inclusive)")
    p.add_argument("--country", dest="countries", action="extend", nargs="+", default=[], metavar="ISO3",
                   help="keep only these countries (MLI BFA NER)")
    p.add_argument("--json", action="store_true", help="print each source's totals as one JSON object (the CSV then goes to --out)")
    p.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")

    p = sub.add_parser("mass-casualty", help="events with at least N fatalities, largest first (CSV)")
    _add_db(p)
    p.add_argument("--min-fatalities", type=int, default=10, metavar="N", help="threshold, inclusive (default 10)")
    p.add_argument("--civilian-only", action="store_true", help="only events whose primary target was civilians")
    p.add_argument("--boundaries", metavar="NAME", help="boundary set of unit_code / unit_name (default from atlas.toml)")
    p.add_argument("--level", default="admin1", choices=["admin1", "admin2"], help="unit level of unit_code / unit_name")
    _add_filters(p)
    p.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")

    p = sub.add_parser("changes", help="what changed between two points of the store's history, per unit and period (CSV)")
    _add_db(p)
    p.add_argument("--since", metavar="BATCH_ID|YYYY-MM-DD",
                   help="start point: right after this batch (0: the empty store), or the end of this day (UTC); "
                        "default: just before the latest batch")
    p.add_argument("--until", metavar="BATCH_ID|YYYY-MM-DD", help="end point, the same way (default: now)")
    p.add_argument("--source", choices=["acled", "ucdp", "generic", "acled-hdx"],
                   help="source dataset (default: ACLED, else UCDP, else generic, else acled-hdx)")
    _add_indicator(p, "acled-hdx: the indicator compared (default political-violence)")
    p.add_argument("--boundaries", metavar="NAME", help="boundary set (default from atlas.toml)")
    p.add_argument("--level", default="admin1", choices=["admin1", "admin2"])
    p.add_argument("--period", default="year", choices=["year", "quarter", "month"])
    p.add_argument("--changed-only", action="store_true", help="leave out rows where nothing changed")
    p.add_argument("--events", metavar="FILE", help="also write every changed event (new, backfilled, revised, deleted) as CSV")
    p.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout; with --json, only when given)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the totals instead of the CSV")

    p = sub.add_parser("batches", help="list batches with their row accounting")
    _add_db(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("rollback", help="undo a batch exactly")
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    _add_db(p)
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("rejected", help="the rejected rows of a batch, with line numbers and reasons (CSV)")
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    _add_db(p)
    p.add_argument("--out", metavar="FILE")

    p = sub.add_parser("deletions", help="apply a list of deleted ACLED event ids as a batch")
    p.add_argument("file", metavar="FILE")
    _add_db(p)
    p.add_argument("--source", default="acled", choices=["acled", "ucdp", "generic"])
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("mismatches", help="events whose declared admin1 differs from the spatial one (CSV)")
    _add_db(p)
    p.add_argument("--boundaries", metavar="NAME")
    p.add_argument("--source", choices=["acled", "ucdp", "generic", "sample"])
    p.add_argument("--summary", action="store_true", help="counts per declared and spatial unit instead of events")
    p.add_argument("--out", metavar="FILE")

    p = sub.add_parser("borders", help="events and fatalities per period, nearest shared border and distance band (CSV)")
    _add_db(p)
    p.add_argument("--boundaries", metavar="NAME", help="boundary set whose country outlines give the borders")
    p.add_argument("--period", default="year", choices=["year", "quarter", "month"])
    p.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--source", choices=SOURCE_CHOICES)
    _add_indicator(p, "one of ACLED's indicators (ACLED's definitions)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--event-type", dest="event_types", action="extend", nargs="+", default=[], metavar="TYPE")
    group.add_argument("--preset", help="named selection from atlas.toml, e.g. political-violence")
    p.add_argument("--country", dest="countries", action="extend", nargs="+", default=[], metavar="ISO3")
    p.add_argument("--bands", default="10,50,100", help="band edges in km (default 10,50,100; SWAC: 50,100,150,200)")
    p.add_argument("--share-within", type=float, metavar="KM", help="also print, on stderr, the share of events within KM of a shared border")
    p.add_argument("--out", metavar="FILE")

    p = sub.add_parser("export", help="a figure of the app as PNG, SVG or PDF, or its table as CSV or XLSX (the suffix of --out picks)")
    p.add_argument("figure", choices=["map", "trends", "borders", "civilians-map", "civilians-perpetrators", "civilians-state-share"],
                   help="map: the Map page's map; trends: the Trends chart; borders: the Borders page's events and fatalities "
                   "per band of distance to the shared borders; civilians-map, civilians-perpetrators, civilians-state-share: "
                   "the Civilians page's map of civilian fatalities, its chart by perpetrator and its share of state forces")
    _add_db(p)
    p.add_argument("--boundaries", metavar="NAME", help="boundary set (default from atlas.toml)")
    p.add_argument("--level", choices=["admin1", "admin2"],
                   help="units (default admin1; with a --focus other than all, admin2 where the set has it)")
    p.add_argument("--period", default="year", choices=["year", "quarter", "month"], help="periods of the trend chart")
    _add_filters(p)
    p.add_argument("--years", metavar="YYYY[-YYYY]", help="the years shown (instead of --from/--to; default: the last complete year)")
    p.add_argument("--metric", default="events", metavar="METRIC",
                   help="events (default), fatalities, civilian_events, civilian_fatalities, events_per_10k_km2")
    p.add_argument("--trend-by", dest="trend_by", metavar="GROUP", help="trends per country (default), unit or event_type")
    p.add_argument("--civ-by", dest="civ_by", metavar="kind|group",
                   help="civilians-perpetrators per kind of actor (default) or per named group of atlas.toml [actor_groups]")
    p.add_argument("--lang", default="en", metavar="en|fr", help="language of the figure's text (default en)")
    p.add_argument("--focus", metavar="NAME", help="fix the map on mopti, burkina-sahel, tillaberi-tahoua or all (as presentation "
                   "mode does); trends and borders keep to the area's country")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write: .png, .svg, .pdf, .csv or .xlsx")

    p = sub.add_parser("briefing", help="a briefing pack (PDF): maps year by year, trend, border shares, units that changed most, method")
    _add_db(p)
    p.add_argument("--focus", default="all", metavar="NAME", help="mopti, burkina-sahel, tillaberi-tahoua or all (default)")
    p.add_argument("--years", metavar="YYYY[-YYYY]", help="the years of the pack (default: the five years up to the last complete one)")
    p.add_argument("--lang", default="en", metavar="en|fr", help="language of the pack (default en)")
    p.add_argument("--source", choices=SOURCE_CHOICES, help="source dataset (default: ACLED, else UCDP GED, ...)")
    _add_indicator(p, "one of ACLED's indicators (aggregates: default political-violence)")
    p.add_argument("--boundaries", metavar="NAME", help="boundary set (default from atlas.toml)")
    p.add_argument("--preset", help="named selection from atlas.toml, e.g. political-violence")
    p.add_argument("--metric", default="events", metavar="METRIC", help="events (default), fatalities, civilian_events, ...")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")

    p = sub.add_parser("db", help="the store's schema: its revision, and upgrading it (opening a store upgrades it too)")
    dsub = p.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    d = dsub.add_parser("upgrade", help="bring the store to this atlas's schema (Alembic migrations, in one transaction)")
    _add_db(d)
    d.add_argument("--json", action="store_true", help="print one JSON object")
    d = dsub.add_parser("current", help="the store's schema revision and the one this atlas writes (changes nothing)")
    _add_db(d)
    d.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("hash-password", help="print the hash of an analyst password (for ATLAS_ANALYST_PASSWORD_HASH or secrets)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin instead of a prompt")

    p = sub.add_parser("boundaries", help="list, add, fetch or remove boundary sets")
    bsub = p.add_subparsers(dest="boundaries_command", required=True, parser_class=_Parser)
    b = bsub.add_parser("list", help="the boundary sets and their levels")
    b.add_argument("--json", action="store_true")
    b = bsub.add_parser("add", help="register a shapefile, zipped shapefile, GeoPackage or GeoJSON")
    b.add_argument("files", nargs="+", metavar="FILE")
    b.add_argument("--name", required=True, help="set to create or extend")
    b.add_argument("--level", choices=["admin1", "admin2"], help="detected from OCHA / geoBoundaries fields if omitted")
    b.add_argument("--layer", help="layer of a GeoPackage")
    b.add_argument("--name-field")
    b.add_argument("--code-field")
    b.add_argument("--parent-field", help="admin2 only: field with the parent admin1 code")
    b.add_argument("--country-field")
    b.add_argument("--country", help="ISO3 of all units, when the file has no country field")
    b.add_argument("--source", help="provenance to record")
    b.add_argument("--licence", help="licence to record")
    b.add_argument("--json", action="store_true")
    b = bsub.add_parser("fetch", help="download geoBoundaries gbOpen admin1+admin2 (needs internet) and register them")
    b.add_argument("--name", default="geoboundaries")
    b.add_argument("--countries", default="MLI,BFA,NER", help="comma-separated ISO3 codes")
    b.add_argument("--levels", default="admin1,admin2")
    b.add_argument("--api-base", default=None, help="API root (default https://www.geoboundaries.org/api/current/gbOpen)")
    b.add_argument("--json", action="store_true")
    b = bsub.add_parser("remove", help="delete a registered boundary set")
    b.add_argument("name")
    for name in ("add", "fetch", "remove"):
        _add_db(bsub.choices[name])  # the store whose events are placed in (or forgotten from) the set

    p = sub.add_parser("places", help="the stored events' placements in boundary sets: list them, or recompute them")
    psub = p.add_subparsers(dest="places_command", required=True, parser_class=_Parser)
    b = psub.add_parser("list", help="place sets and placing jobs of the store")
    _add_db(b)
    b.add_argument("--json", action="store_true")
    b = psub.add_parser("refresh", help="place every stored event in every registered boundary set that needs it")
    _add_db(b)
    b.add_argument("--boundaries", metavar="NAME", help="only this set, recomputed even when up to date")
    return parser


# ---------------------------------------------------------------------------------------------- commands


def _store(args: argparse.Namespace) -> Store:
    from .store import Store

    return Store(args.db)


def _filters(args: argparse.Namespace) -> Filters:
    from .aggregate import Filters

    return Filters(
        date_from=args.date_from, date_to=args.date_to, countries=tuple(c.upper() for c in args.countries),
        event_types=tuple(args.event_types), sub_event_types=tuple(args.sub_event_types), preset=args.preset,
        actor=args.actor, max_geo_precision=args.max_geo_precision, indicator=args.indicator,
        sources=(args.source,) if args.source and args.source != "sample" else (),
    )


def _single_events(args: argparse.Namespace, what: str) -> None:
    """Refuse, in one sentence, a command that lists or locates single events for a source that has none."""
    from .indicators import AGGREGATE_SOURCE

    if getattr(args, "source", None) == AGGREGATE_SOURCE:
        raise AtlasError(f"ACLED's aggregates (acled-hdx) count events per unit and month: they have no single events, "
                         f"so {what}; use --source acled with an ACLED event export")


def _write_csv(frame: pd.DataFrame, out: str | None) -> None:
    from .export import to_safe_csv

    text = to_safe_csv(frame)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {len(frame):,} rows to {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_ingest(args: argparse.Namespace) -> int:
    """`python -m geo ingest`: read, check, place and store files as one batch (or only report with --dry-run).

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .config import get_settings
    from .errors import Problem
    from .ingest import commit_batch, prepare_batch, preview
    from .readers import ColumnMapping
    from .uploads import InputFile, expand_files

    settings = get_settings()
    mapping = ColumnMapping.from_file(args.mapping) if args.mapping else None
    if args.map_pairs:
        mapping = ColumnMapping.from_pairs(args.map_pairs, mapping)
    store = _store(args)
    # The analyst's own tool: no size limit unless asked for (a 1M-row ACLED export is 460 MB).
    max_bytes = int(args.max_file_mb * 1024 * 1024) if args.max_file_mb and not args.no_size_limit else None
    with tempfile.TemporaryDirectory(prefix="atlas-ingest-") as workdir:
        files, refusals = expand_files([InputFile(Path(f), Path(f).name) for f in args.files], Path(workdir),
                                       settings=settings, max_bytes=max_bytes)
        if refusals:
            raise InputError([Problem(r.message) for r in refusals])
        prepared = prepare_batch(
            [f.path for f in files], format=args.format, mapping=mapping, display_names=[f.name for f in files],
            max_bytes=max_bytes, settings=settings, indicator=args.indicator,
        )
    report = preview(prepared, store) if args.dry_run else commit_batch(prepared, store, user=args.user)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
        return 0
    c = report.counts
    head = f"batch {report.batch_id}" if report.committed else "dry run (nothing stored)"
    print(f"{head}: {report.format.upper()}")
    for f in report.files:
        layout = f" ({f.layout})" if f.layout else ""
        print(f"  {f.file}: {f.format.upper()}{layout}, {f.encoding}, {f.delimiter}-delimited, sha256 {f.sha256[:12]}…")
    rows = [("rows read", c.rows_read), ("new", c.new), ("updated", c.updated), ("duplicates (unchanged)", c.duplicates),
            ("  of which older revisions", c.older_vintage), ("rejected", c.rejected),
            ("outside the area (stored)", c.outside_area)]
    for label, value in rows:
        print(f"  {label:<27}{value:>10,}")
    for note in report.notes:
        print(f"  note: {note}")
    for warning in report.warnings:
        print(f"  WARNING: {warning.message}")
    if len(report.changes):
        changes = report.changes
        events = changes.drop_duplicates(["source_dataset", "event_id"])
        per_field = ", ".join(f"{name} {n:,}" for name, n in changes["field"].value_counts().items())
        print(f"changed fields of the {len(events):,} updated event(s): {per_field}")
        for row in changes.head(30).itertuples(index=False):
            print(f"  {row.event_id} {row.field}: {_short(row.before)} → {_short(row.after)}  [{row.kind}]")
        if len(changes) > 30:
            print(f"  … and {len(changes) - 30:,} more (--json lists them all under \"changes\")")
    if report.rejected:
        print("rejected rows:")
        for r in report.rejected[:50]:
            ident = f" [{r.event_id}]" if r.event_id else ""
            print(f"  {r.file}, line {r.line}{ident}: {r.reason}")
        if len(report.rejected) > 50:
            more = f"python -m geo rejected {report.batch_id}" if report.committed else "--json"
            print(f"  … and {len(report.rejected) - 50:,} more ({more} lists them all)")
    return 0


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return repr(text) if len(text) <= width else repr(text[: width - 1] + "…")


def _unit_inputs(args: argparse.Namespace) -> tuple[Settings, BoundarySet, Filters, ViewData, float]:
    """What `aggregate` and `mass-casualty` read.

    Settings, boundary set, filters (an unknown preset refused before any work), the store's data (or the sample) and
    the snapping tolerance in metres.
    """
    from .boundaries import load_boundary_set
    from .config import get_settings
    from .dataset import current_data

    settings = get_settings()
    boundary_set = load_boundary_set(args.boundaries, settings)
    filters = _filters(args)
    filters.resolved(settings)
    data = current_data(_store(args), source=args.source, settings=settings)
    tolerance = settings.tolerance_m if args.tolerance_km is None else args.tolerance_km * 1000
    return settings, boundary_set, filters, data, tolerance


def cmd_aggregate(args: argparse.Namespace) -> int:
    """`python -m geo aggregate`: events, fatalities and civilian figures per unit and period, as CSV.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .aggregate import aggregate_store

    settings, boundary_set, filters, data, tolerance = _unit_inputs(args)
    table = aggregate_store(
        data.store, boundary_set, level=args.level, period=args.period, filters=filters,
        tolerance_m=tolerance, include_empty=not args.no_empty, by=(args.by,) if args.by else (), settings=settings,
        ranges=args.ranges,
    )
    if data.is_sample and args.source != "sample":
        print("note: the store holds no events; aggregating the built-in SYNTHETIC SAMPLE (not real events)", file=sys.stderr)
    if args.source == "acled-hdx":
        from .indicators import DEFAULT_INDICATOR
        from .unit_months import indicators_held

        held, asked = indicators_held(data.store), args.indicator or DEFAULT_INDICATOR
        if asked not in held:
            print(f"note: the store holds no ACLED aggregates of {asked}"
                  + (f"; it holds {', '.join(held)} (--indicator chooses)" if held else ""), file=sys.stderr)
    _write_csv(table, args.out)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """`python -m geo compare`: two sources side by side per unit and period, with their ranges, as CSV.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .aggregate import Filters
    from .agreement import side_by_side
    from .boundaries import load_boundary_set
    from .config import get_settings
    from .dataset import current_data

    sources = tuple(s.strip() for s in str(args.sources).split(",") if s.strip())
    unknown = [s for s in sources if s not in SOURCE_CHOICES or s == "sample"]
    if unknown:
        raise AtlasError(f"--sources: unknown source {', '.join(unknown)}; use two of acled, ucdp, generic, acled-hdx")
    if len(sources) != 2 or sources[0] == sources[1]:
        raise AtlasError(f"--sources: compare takes two different sources (e.g. acled,ucdp), not {args.sources!r}")
    settings = get_settings()
    boundary_set = load_boundary_set(args.boundaries, settings)
    data = current_data(_store(args), settings=settings)
    if data.is_sample:
        raise AtlasError("the store holds no events: ingest an ACLED export and a UCDP GED file first "
                         "(python -m geo ingest FILE)")
    filters = Filters(date_from=args.date_from, date_to=args.date_to, countries=tuple(c.upper() for c in args.countries))
    compared = side_by_side(data.store, boundary_set, sources=sources, level=args.level, period=args.period,
                            indicator=args.indicator, filters=filters, settings=settings)
    held = set(data.store.sources())
    from .unit_months import has_rows

    if has_rows(data.store):
        held.add("acled-hdx")
    for source in sources:
        if source not in held:
            print(f"note: the store holds nothing of {source}: its columns are empty", file=sys.stderr)
    if args.json:
        if args.out:
            _write_csv(compared.rows, args.out)
        print(json.dumps({"sources": list(compared.sources), "indicator": compared.indicator, "level": args.level,
                          "period": args.period, "rows": int(len(compared.rows)), "totals": compared.totals()}))
        return 0
    _write_csv(compared.rows, args.out)
    return 0


def cmd_mass_casualty(args: argparse.Namespace) -> int:
    """`python -m geo mass-casualty`: the events with at least N fatalities, largest first, as CSV.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .civilians import MASS_CASUALTY_COLUMNS, check_min_fatalities, mass_casualty_store

    min_fatalities = check_min_fatalities(args.min_fatalities)
    _single_events(args, "no mass-casualty events can be listed")
    settings, boundary_set, filters, data, tolerance = _unit_inputs(args)
    table = mass_casualty_store(
        data.store, boundary_set, filters=filters, min_fatalities=min_fatalities, civilian_only=args.civilian_only,
        level=args.level, tolerance_m=tolerance, settings=settings,
    )
    if data.is_sample and args.source != "sample":
        print("note: the store holds no events; listing the built-in SYNTHETIC SAMPLE (not real events)", file=sys.stderr)
    _write_csv(table[MASS_CASUALTY_COLUMNS], args.out)
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    """`python -m geo changes`: what changed between two points of the store's history, per unit and period.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .boundaries import load_boundary_set
    from .changes import CHANGE_COLUMNS, DETAIL_COLUMNS, compute_changes
    from .config import get_settings
    from .dataset import current_data

    settings = get_settings()
    boundary_set = load_boundary_set(args.boundaries, settings)
    store = _store(args)
    sample = store.batches().empty
    if sample:  # as `aggregate` does: an empty store shows the built-in sample
        store = current_data(store, settings=settings).store
    report = compute_changes(
        store, boundary_set, source=args.source, level=args.level, period=args.period, since=args.since,
        until=args.until, events=bool(args.events), settings=settings, indicator=args.indicator,
    )
    if sample:
        print("note: the store holds no batches; comparing the built-in SYNTHETIC SAMPLE (not real events)", file=sys.stderr)
    rows = report.rows
    if args.changed_only:
        changed = rows[["new", "backfilled", "revised", "deleted", "moved_in", "moved_out"]].to_numpy().any(axis=1)
        rows = rows.loc[changed]
    print(f"{report.source.upper()}: from {report.since.label} to {report.until.label}", file=sys.stderr)
    if args.events:
        _write_csv(report.events, args.events)
    if args.json:
        if args.out:
            _write_csv(rows[CHANGE_COLUMNS + DETAIL_COLUMNS], args.out)
        print(json.dumps(report.as_json(), ensure_ascii=False))
        return 0
    _write_csv(rows[CHANGE_COLUMNS + DETAIL_COLUMNS], args.out)
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    """`python -m geo batches`: every batch with its row accounting.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    store = _store(args)
    batches = store.batches()
    if args.json:
        records = []
        for row in batches.to_dict("records"):
            row["details"] = json.loads(row["details"] or "{}")
            records.append(row)
        print(json.dumps(records, ensure_ascii=False, default=str))
        return 0
    if batches.empty:
        print("no batches yet")
        return 0
    columns = ["batch_id", "kind", "status", "created_at", "user", "format", "rows_read", "new", "updated",
               "duplicates", "rejected", "outside_area", "deleted", "file_names"]
    print(batches[columns].to_string(index=False))
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """`python -m geo rollback`: undo a batch exactly.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .ingest import rollback_batch

    result = rollback_batch(_store(args), args.batch_id, user=args.user)
    if args.json:
        print(json.dumps(result))
    elif "unit_months_removed" in result:
        print(f"batch {result['batch_id']} rolled back: {result['unit_months_removed']} unit-month(s) of ACLED's aggregates "
              f"removed, {result['unit_months_restored']} earlier unit-month(s) restored")
    else:
        print(f"batch {result['batch_id']} rolled back: {result['removed']} event version(s) removed, "
              f"{result['restored']} earlier version(s) restored")
    return 0


def cmd_rejected(args: argparse.Namespace) -> int:
    """`python -m geo rejected`: a batch's rejected rows with their lines and reasons, as CSV.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    _write_csv(_store(args).rejections(args.batch_id), args.out)
    return 0


def cmd_deletions(args: argparse.Namespace) -> int:
    """`python -m geo deletions`: apply a list of deleted event ids as a batch.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .ingest import apply_deletions

    report = apply_deletions(args.file, _store(args), source=args.source, user=args.user)
    if args.json:
        data = report.as_json()
        data["deleted"] = report.counts.deleted
        print(json.dumps(data, ensure_ascii=False))
    else:
        c = report.counts
        print(f"batch {report.batch_id}: {c.deleted:,} event(s) deleted, {c.duplicates:,} not in the store, {c.rejected:,} rejected line(s)")
        for note in report.notes:
            print(f"  note: {note}")
    return 0


def cmd_mismatches(args: argparse.Namespace) -> int:
    """`python -m geo mismatches`: events whose declared admin-1 name differs from the unit they lie in, as CSV.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .aggregate import Filters
    from .boundaries import load_boundary_set
    from .config import get_settings
    from .dataset import current_data
    from .places import ensure_placement
    from .query import declared_admin1_pairs, events_with_admin1

    settings = get_settings()
    data = current_data(_store(args), source=args.source, settings=settings)
    boundary_set = load_boundary_set(args.boundaries, settings)
    set_id = ensure_placement(data.store, boundary_set, tolerance_m=settings.tolerance_m)
    filters = Filters(sources=(args.source,) if args.source and args.source != "sample" else ())
    # Names are compared once per distinct (declared name, unit) pair, in the database's counts.
    pairs = declared_admin1_pairs(data.store, set_id, filters=filters)
    matcher = boundary_set.name_matcher("admin1")
    names = dict(zip(boundary_set.units("admin1")["unit_code"], boundary_set.units("admin1")["unit_name"]))
    pairs["match"] = [matcher.matches(d, c) for d, c in zip(pairs["admin1_declared"], pairs["admin1_code"])]
    pairs["declared_known"] = [bool(matcher.find(d)) for d in pairs["admin1_declared"]]
    bad = pairs[~pairs["match"]]
    print(f"{int(bad['events'].sum()):,} of {int(pairs['events'].sum()):,} events with a declared admin1 name lie in "
          f"another {boundary_set.name} admin1 unit", file=sys.stderr)
    if args.summary:
        table = bad.assign(admin1_name=bad["admin1_code"].map(names))[
            ["source_dataset", "admin1_declared", "admin1_code", "admin1_name", "declared_known", "events"]
        ].sort_values("events", ascending=False)
    else:
        table = events_with_admin1(data.store, set_id, filters=filters, pairs=bad)
        known = dict(zip(bad["admin1_declared"], bad["declared_known"]))
        table.insert(5, "admin1_name", table["admin1_code"].map(names))
        table.insert(7, "declared_known", table["admin1_declared"].map(known).astype(bool))
    _write_csv(table, args.out)
    return 0


def cmd_borders(args: argparse.Namespace) -> int:
    """`python -m geo borders`: events and fatalities per period, nearest shared border and distance band, as CSV.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .aggregate import Filters
    from .borders import border_table_store, parse_bands, share_within
    from .boundaries import load_boundary_set
    from .config import get_settings
    from .dataset import current_data

    settings = get_settings()
    _single_events(args, "they cannot be placed in bands of distance to the borders")
    bands = parse_bands(args.bands)
    if args.share_within is not None and args.share_within not in bands:
        raise AtlasError(f"--share-within {args.share_within:g} must be one of the band edges ({args.bands})")
    boundary_set = load_boundary_set(args.boundaries, settings)
    filters = Filters(
        date_from=args.date_from, date_to=args.date_to, countries=tuple(c.upper() for c in args.countries),
        event_types=tuple(args.event_types), preset=args.preset, indicator=args.indicator,
        sources=(args.source,) if args.source and args.source != "sample" else (),
    )
    filters.resolved(settings)
    data = current_data(_store(args), source=args.source, settings=settings)
    table = border_table_store(data.store, boundary_set, filters=filters, period=args.period, bands=bands,
                               tolerance_m=settings.tolerance_m)
    if data.is_sample and args.source != "sample":
        print("note: the store holds no events; using the built-in SYNTHETIC SAMPLE (not real events)", file=sys.stderr)
    if args.share_within is not None:
        for row in share_within(table, args.share_within, bands).itertuples():
            print(f"{row.source} {row.period}: {row.share_events:.1%} of events and {row.share_fatalities:.1%} of "
                  f"fatalities within {args.share_within:g} km of a shared border", file=sys.stderr)
    _write_csv(table, args.out)
    return 0


def _language(lang: str) -> str:
    from .figures.language import LANGUAGES

    if lang not in LANGUAGES:
        raise AtlasError(f"--lang {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def cmd_export(args: argparse.Namespace) -> int:
    """`python -m geo export`: the figure the app shows, built by the page's own view model (geo.figures.views).

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        `python -m geo export`: the figure the app shows, built by the page's own view model (geo.figures.views).
    """
    from .config import get_settings
    from .figures.exports import (
        ExportRequest,
        export_bytes,
        figure_size,
        figure_view,
        output_format,
        prepare,
        write_atomically,
    )
    from .figures.language import use_language

    path, fmt = output_format(args.out)  # before any work: an unknown suffix costs nothing
    lang = _language(args.lang)
    request = ExportRequest.from_args(args)
    with use_language(lang):
        prepared = prepare(request, get_settings(), kind=args.figure)
        shown = figure_view(args.figure, prepared.inputs, prepared.view)
        data = export_bytes(args.figure, shown, fmt)
        size = "" if fmt in ("csv", "xlsx") else " ({} × {} px)".format(*(
            2 * n if fmt == "png" else n for n in figure_size(args.figure, shown)))
    for note in prepared.notes:
        print(note, file=sys.stderr)
    empty = getattr(shown, "empty", "")
    if empty:
        print(f"note: {empty}", file=sys.stderr)
    write_atomically(path, data)
    what = f"the table of the {args.figure} figure" if fmt in ("csv", "xlsx") else f"the {args.figure} figure{size}"
    print(f"wrote {what} to {path}", file=sys.stderr)
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    """`python -m geo briefing`: the briefing pack of the Trends page's button, as one PDF.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        `python -m geo briefing`: the briefing pack of the Trends page's button, as one PDF.
    """
    from .config import get_settings
    from .figures.briefing import briefing_pdf
    from .figures.exports import ExportRequest, output_format, prepare, write_atomically
    from .figures.language import use_language

    path, _ = output_format(args.out, ("pdf",))
    lang = _language(args.lang)
    request = ExportRequest.from_args(args)
    with use_language(lang):
        prepared = prepare(request, get_settings(), kind="briefing")
        pack = briefing_pdf(prepared.inputs, prepared.view, focus=request.focus or "all", years=request.years)
    for note in prepared.notes:
        print(note, file=sys.stderr)
    write_atomically(path, pack.data)
    print(f"wrote the briefing pack ({pack.pages} pages) to {path}", file=sys.stderr)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    """`python -m geo db current|upgrade`: the store's schema revision, and bringing it to this atlas's.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        `python -m geo db current|upgrade`: the store's schema revision, and bringing it to this atlas's.
    """
    import sqlalchemy as sa

    from .store import Store, store_url
    from .store.migrate import head, revision

    url = store_url(args.db)
    shown = sa.engine.make_url(url).render_as_string(hide_password=True)
    if args.db_command == "current":
        database = sa.engine.make_url(url).database
        if url.startswith("sqlite") and database and database != ":memory:" and not Path(database).exists():
            url = "sqlite://"  # no file yet: read an empty database rather than create one
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                current = revision(conn)
        except sa.exc.OperationalError as exc:
            raise AtlasError(f"cannot read the store at {shown}: {exc.orig}") from None
        finally:
            engine.dispose()
        result = {"url": shown, "revision": current, "head": head(), "up_to_date": current == head()}
        if args.json:
            print(json.dumps(result))
        elif current is None:
            print(f"{shown}: no store yet (opening it, or `python -m geo db upgrade`, creates one at revision {head()})")
        else:
            hint = "up to date" if current == head() else "run `python -m geo db upgrade` (opening the store does it too)"
            print(f"{shown}: schema revision {current}; this atlas writes {head()}: {hint}")
        return 0
    store = Store(args.db)
    before, now = store.upgraded or (head(), head())
    store.dispose()
    if args.json:
        print(json.dumps({"url": shown, "before": before, "revision": now, "upgraded": before != now}))
    elif store.upgraded is None:
        print(f"{shown}: already at schema revision {now}")
    elif before is None:
        print(f"{shown}: new store created at schema revision {now}")
    else:
        print(f"{shown}: upgraded from schema revision {before} to {now}")
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    """`python -m geo hash-password`: print the hash of an analyst password.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    import getpass

    from .auth import hash_password

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Analyst password: ")
    if not password:
        raise AtlasError("the password must not be empty")
    print(hash_password(password))
    return 0


class _ProgressBar:
    """A progress bar on stderr for long jobs: redrawn in place on a terminal, a line per tenth otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last = -1

    def __call__(self, fraction: float, message: str) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if self.tty:
            bar = "#" * int(fraction * 30)
            print(f"\r{self.label} [{bar:<30}] {fraction:4.0%} {message[:60]:<60}", end="", file=sys.stderr, flush=True)
            if fraction >= 1.0:
                print(file=sys.stderr)
        elif int(fraction * 10) > self.last:
            self.last = int(fraction * 10)
            print(f"{self.label}: {fraction:.0%} {message}", file=sys.stderr, flush=True)


def _place_in(store: Store, name: str, *, force: bool = False) -> str:
    """Place the store's events in a registered set (a recorded job) and say what was done."""
    from .boundaries import load_boundary_set
    from .config import get_settings
    from .places import ensure_placement, recompute

    settings = get_settings()
    boundary_set = load_boundary_set(name, settings)
    progress = _ProgressBar(f"placing events in {name}")
    if force:
        with store.write_transaction() as conn:
            recompute(store, conn, boundary_set, tolerance_m=settings.tolerance_m, progress=progress)
    else:
        ensure_placement(store, boundary_set, tolerance_m=settings.tolerance_m, progress=progress)
    row = store.place_sets().set_index("name").loc[name]
    placed = store.place_counts().get(int(row["set_id"]), 0)
    return f"{placed:,} stored event(s) placed in {name} (placements computed {row['computed_at']})"


def cmd_places(args: argparse.Namespace) -> int:
    """`python -m geo places list|refresh`: the stored events' placements in boundary sets, listed or recomputed.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from .boundaries import list_boundary_sets

    store = _store(args)
    if args.places_command == "list":
        sets, jobs = store.place_sets(), store.jobs()
        sets["events"] = sets["set_id"].map(store.place_counts()).fillna(0).astype(int)  # placed now
        if args.json:
            print(json.dumps({"place_sets": sets.to_dict("records"), "jobs": jobs.to_dict("records")}, ensure_ascii=False, default=str))
            return 0
        if sets.empty:
            print("no place sets yet: events are placed in a boundary set when it is first used")
        else:
            print(sets[["set_id", "name", "tolerance_m", "levels", "has_borders", "status", "events", "computed_at"]].to_string(index=False))
        return 0
    names = [args.boundaries] if args.boundaries else [s.name for s in list_boundary_sets()]
    for name in names:
        print(_place_in(store, name, force=bool(args.boundaries)))
    return 0


def cmd_boundaries(args: argparse.Namespace) -> int:
    """`python -m geo boundaries list|add|fetch|remove`: the boundary sets, and placing the stored events in a new one.

    Parameters
    ----------
    args
        The parsed command line (:func:`build_parser`).

    Returns
    -------
    int
        The exit status: 0 when done (a user error raises AtlasError, which :func:`main` turns into status 1).
    """
    from . import boundaries as b

    if args.boundaries_command == "list":
        sets = [s.describe() for s in b.list_boundary_sets()]
        if args.json:
            print(json.dumps(sets, ensure_ascii=False))
            return 0
        for s in sets:
            levels = "; ".join(
                f"{lvl}: {info['units']} units ({', '.join(info['countries'])}){' derived' if info['derived'] else ''}"
                for lvl, info in s["levels"].items()
            )
            print(f"{s['name']}{' (shipped)' if s['shipped'] else ''}: {levels}")
            print(f"  source: {s['source']}")
            print(f"  licence: {s['licence']}")
            print(f"  attribution: {s['attribution']}")
            if s["parents"]:
                print(f"  admin2 parents: {b.describe_parent_links(s['parents'])}")
        return 0
    if args.boundaries_command == "remove":
        from .places import drop_placements

        path = b.remove_boundary_set(args.name)
        dropped = drop_placements(_store(args), args.name)
        print(f"removed boundary set {args.name} ({path})" + (f"; its {dropped} placement(s) in the store are forgotten" if dropped else ""))
        return 0
    if args.boundaries_command == "add":
        reports = [b.register_boundary_set(
            args.files, name=args.name, level=args.level, layer=args.layer, name_field=args.name_field,
            code_field=args.code_field, parent_field=args.parent_field, country_field=args.country_field,
            country=args.country, source=args.source, licence=args.licence,
        )]
    else:
        kwargs = {"api_base": args.api_base} if args.api_base else {}
        reports = b.fetch_geoboundaries(
            name=args.name, countries=tuple(c.strip().upper() for c in args.countries.split(",") if c.strip()),
            levels=tuple(lvl.strip() for lvl in args.levels.split(",") if lvl.strip()), **kwargs,
        )
    # Registering or replacing a set places every stored event in it: a recorded job, with a progress bar.
    store = _store(args)
    placed = _place_in(store, reports[-1].name) if store.has_events() else "the store holds no events yet"
    if args.json:
        print(json.dumps([{**r.as_dict(), "placement": placed} for r in reports], ensure_ascii=False))
        return 0
    print(placed)
    for r in reports:
        print(f"boundary set {r.name}: {r.level} now has {r.units} units ({', '.join(r.countries)}) in {r.path}")
        print(f"  fields: name={r.fields.name} code={r.fields.code} parent={r.fields.parent} country={r.fields.country} ({r.fields.flavour})")
        if r.replaced_countries:
            print(f"  replaced the earlier units of {', '.join(r.replaced_countries)}")
        for item in r.repaired:
            print(f"  repaired: {item}")
        for note in r.notes:
            print(f"  note: {note}")
    return 0


COMMANDS = {
    "ingest": cmd_ingest, "aggregate": cmd_aggregate, "compare": cmd_compare, "changes": cmd_changes, "batches": cmd_batches, "rollback": cmd_rollback,
    "rejected": cmd_rejected, "deletions": cmd_deletions, "mismatches": cmd_mismatches, "boundaries": cmd_boundaries,
    "borders": cmd_borders, "hash-password": cmd_hash_password, "places": cmd_places, "mass-casualty": cmd_mass_casualty,
    "export": cmd_export, "briefing": cmd_briefing, "db": cmd_db,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command of `python -m geo`: a user error is one line on stderr (exit 1), never a traceback.

    Parameters
    ----------
    argv
        The command line without the program's name; default: sys.argv[1:].

    Returns
    -------
    int
        The exit status: 0 done, 1 a user error, 2 a usage error, 3 an unexpected failure, 130 interrupted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        for problem in exc.problems[1:20]:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USER_ERROR
    except AtlasError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("error: interrupted; nothing of an unfinished batch was stored", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("ATLAS_DEBUG"):
            raise
        print(f"error: unexpected failure ({type(exc).__name__}: {printable(str(exc))}); rerun with ATLAS_DEBUG=1 for details",
              file=sys.stderr)
        return EXIT_INTERNAL
