"""The sentences the pipeline says about a file, once each: rejection reasons, reading notes, vintage warnings.

The pipeline writes them in English (the command line's words: `python -m geo ingest` prints them as they are).
Each is a template here, with its placeholders; the app shows them in the page's language by recognising the
template a message was made from (`parse`) and filling the same key of its own catalogue (`msg.<key>` in
`geo.figures.english` / `geo.figures.french`) with the same values, numbers written in the page's format.

- `{name:,}` is a count written with thousands separators ("1,504"), `{name:d}` a plain whole number ("48"): both
  come back from `parse` as integers; any other placeholder is text (a file name, a value of the file).
- A row with several problems has its reasons joined with "; " (`geo.readers._checks.RowProblems`); a note of a
  batch starts with its file's name (`{file}: ...`). `parse` takes both apart.
- `value.*` templates are words inside another message's values (a delimiter's name, a vintage, the kind of a
  change), recognised there too.

Most messages are made with `say`; the row checks of the readers build theirs column-wise for speed, in the same
words (tests/test_messages.py checks that every message the pipeline makes is one of these).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_QUOTES = (
    "(it holds an odd number of quote characters: a quoted field opened here is closed too late or never)"
)
_CHECK = "check the delimiters and quotes on this line"

#: key -> English template.
MESSAGES: dict[str, str] = {
    # --------------------------------------------------------------------------- why a row was rejected
    "reason.missing": "{label} missing",
    "reason.not_number": "{label} '{value}' is not a number",
    "reason.swapped": "latitude {lat} is out of range (−90 to 90) while longitude {lon} would be a valid latitude: "
                      "latitude and longitude look swapped",
    "reason.lat_range": "latitude {lat} is out of range (−90 to 90)",
    "reason.lon_range": "longitude {lon} is out of range (−180 to 180)",
    "reason.zero": "coordinates are 0, 0 (a missing location written as zeros)",
    "reason.negative": "{label} {number} is negative",
    "reason.fractional": "{label} {number} is not a whole number",
    "reason.too_many": "{label} {number} is above {limit:,}, the most one event may count; check the value",
    "reason.not_one_of": "{label} '{value}' is not one of {allowed}",
    "reason.year_acled": "year {year} does not match event_date {date} (is the date month-first?)",
    "reason.year_ucdp": "year {year} does not match date_start {date}",
    "reason.low_above": "low estimate {low} is above best {best}",
    "reason.high_below": "high estimate {high} is below best {best}",
    "reason.timestamp": "timestamp '{value}' is not a Unix time in whole seconds (between 0 and {limit:,})",
    "reason.date_missing": "date missing",
    "reason.date_invalid": "date '{value}' is not a valid calendar date",
    "reason.date_format": "date '{value}' is in no recognised format (write it as YYYY-MM-DD)",
    "reason.date_future": "date {date} lies in the future",
    "reason.date_ancient": "date {date} is before 1900; check the format",
    "reason.fields": "has {actual:d} fields where the header has {expected:d}; " + _CHECK,
    "reason.fields_quotes": "has {actual:d} fields where the header has {expected:d}; " + _CHECK + " " + _QUOTES,
    "reason.fields_trailing": "has {actual:d} fields where the header has {expected:d} and the other rows {others:d} "
                              "(the last one empty); " + _CHECK,
    "reason.fields_trailing_quotes": "has {actual:d} fields where the header has {expected:d} and the other rows "
                                     "{others:d} (the last one empty); " + _CHECK + " " + _QUOTES,
    "reason.also_nul": "it also holds a NUL byte (binary data)",
    "reason.trailing_value": "has {actual:d} fields where the header has {expected:d}: its last field holds {value}, "
                             "where every other row leaves it empty (a {delimiter} after {column}); " + _CHECK,
    "reason.nul_row": "holds a NUL byte (binary data inside a text file): the line is damaged; export the data again",
    "reason.repeated_id": "event id {event_id} already appears with different content on line {line:d} of {file}; an "
                          "id may appear once per batch",
    "reason.swapped_outside": "latitude {lat} / longitude {lon} lies outside the area, but swapped it would lie in "
                              "{place}: latitude and longitude look swapped; correct the columns and upload again",
    # --------------------------------------------------------------------------- what was learnt reading a file
    "note.in_file": "{file}: {note}",
    "note.hxl": "line 2 holds HXL hashtags (HDX download) and was skipped",
    "note.blank": "{n:d} blank line(s) ignored",
    "note.unnamed": "the header has empty column names (trailing delimiters); those columns are ignored",
    "note.trailing": "every data row ends with a {delimiter} after the last column ({column}), which the header does "
                     "not have (as in UCDP's web download): that empty last field is ignored",
    "note.read_as": "read as {encoding}",
    "note.bad_utf8": "{n:,} byte(s) are not valid UTF-8 ({where}) while the rest of the file is UTF-8: each was "
                     "replaced by '\ufffd'; check those lines",
    "note.not_utf8": "the file is not UTF-8 ({where}): it was read as {encoding}; if accented letters look wrong, save "
                     "it as CSV UTF-8 and upload it again",
    "note.damaged_bytes": "some bytes are not valid {encoding} (the file is damaged, or cut in the middle of a "
                          "character): each was replaced by '\ufffd'",
    "note.no_geo_precision": "no geo_precision column: every event is treated as placeable in admin2 units",
    "note.no_civilian": "no civilian_targeting column (export before 2023): derived as Violence against civilians, "
                        "plus explosions and riots whose second actor is Civilians",
    "note.ucdp_layout": "UCDP GED layout: {layout} (estimates in {best}, {low}, {high})",
    "note.day_first": "date_start is written day first (dd/mm/yyyy): a day above 12 comes first",
    "note.month_first": "date_start is written mm/dd/yyyy, as UCDP's web download writes it (no day above 12 tells "
                        "the order)",
    "note.no_id": "no event id column: ids were made from each row's content",
    "note.no_fatalities": "no fatalities column mapped: fatalities are counted as 0",
    "note.no_type": "no event_type column mapped: every event has type 'Unspecified'",
    "note.repeated_rows": "{n:,} row(s) repeat an identical earlier row of the batch (counted as duplicates)",
    "note.older_rows": "{n:,} row(s) are older revisions than the stored ones (an older timestamp, or an older "
                       "vintage: see the warnings): the stored versions were kept (counted as duplicates)",
    "note.lacks": "{file} lacks the column(s) {columns} that the store keeps: for the {n:,} event(s) of the file that "
                  "the store holds, the stored values stay (a missing column is not a change)",
    "note.outside": "{n:,} event(s) lie beyond the tolerance outside every unit of the {boundaries} boundaries: "
                    "stored and counted as outside the area",
    # --------------------------------------------------------------------------- what a batch does to the store
    "warn.older_vintage": "{files} is older than what the store holds: its {source} vintage is {incoming}, the store's "
                          "is {stored}. Of its {rows:,} rows: {older:,} older revision(s) of stored events (the stored "
                          "versions are kept; counted as duplicates) and {new:,} event(s) the store does not hold, which "
                          "would be added as new.",
    "warn.vintage_unknown": "{n:,} row(s) of {files} change stored events, and which version is newer cannot be told "
                            "(no timestamp, and the newest event dates of their files fall on the same day, or the "
                            "stored version's vintage is unknown): committing replaces the stored versions with these "
                            "rows; check them first (see the changed fields).",
    "warn.restores_deleted": "{n:,} row(s) of {files} bring back events that deletion batch(es) {batches} removed; "
                             "committing stores them again. Roll the deletion batch back instead if they should "
                             "return, or leave these rows out.",
    "warn.restores_dropped": "{n:,} row(s) of {files} are events a later vintage left out: {names} covered their "
                             "country and dates with data published after these rows, without them (ACLED had "
                             "probably deleted them). Committing brings them back as new events.",
    "warn.hand_edits": "{n:,} updated row(s) keep the ACLED timestamp of the stored version: hand edits of the file, "
                       "not ACLED revisions (see the changed fields).",
    # --------------------------------------------------------------------------- words inside other messages
    "value.newest_event": "{date} (the newest event date of files without a timestamp)",
    "value.no_timestamp": "no timestamp",
    "value.unknown": "unknown",
    "value.batch_files": "batch {batch:d} ({files})",
    "value.comma": "comma",
    "value.semicolon": "semicolon",
    "value.tab": "tab",
    "value.pipe": "pipe",
    "value.revision": "ACLED revision (newer timestamp)",
    "value.hand_edit": "hand edit (same timestamp)",
    "value.no_timestamp_to_tell": "no timestamp to tell",
    "value.ged_release": "GED release",
    "value.ged_candidate": "GED candidate",
    "value.web_download": "web download",
    "value.byte_at": "byte 0x{byte} on line {line:d}",
    "value.more": "...",
    "value.utf16le": "UTF-16 little-endian without a byte-order mark",
    "value.utf16be": "UTF-16 big-endian without a byte-order mark",
    "value.utf32le": "UTF-32 little-endian without a byte-order mark",
    "value.utf32be": "UTF-32 big-endian without a byte-order mark",
    "note.already": "this file was already ingested as batch {batch:d}",
}

#: Placeholders whose values are messages themselves (any template); other text values may be `value.*` words.
_NESTED = {"note"}
#: Text placeholders whose values may hold "; " (a list joined so, a note, a value of the file); the others do not,
#: which is how reasons joined with "; " are told apart.
_SPANNING = {"note", "names", "value"}
_FIELD = re.compile(r"\{(\w+)(?::([^}]*))?\}")


def say(key: str, **values: object) -> str:
    """The English message `key` with its placeholders filled.

    Parameters
    ----------
    key
        The message's key in `MESSAGES`.
    **values
        Its placeholders' values.

    Returns
    -------
    str
        The message, in English.
    """
    return MESSAGES[key].format(**values)


@dataclass
class Listed:
    """A value that is a list of words of `value.*` templates, as the message wrote them (with `separator`)."""

    items: list
    separator: str


@dataclass
class Segment:
    """One message recognised, or a piece of text that is none of them.

    A message recognised has its `key` and its values (a nested message's value is a list of Segments); a piece that
    is none has `key` None and its `text`.
    """

    key: str | None
    values: dict[str, object] = field(default_factory=dict)
    text: str = ""


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern, dict[str, str]]]:
    """Each template as a regular expression, the most specific first (the longest fixed text)."""
    out = []
    for key, template in MESSAGES.items():
        parts, kinds, position = [], {}, 0
        for match in _FIELD.finditer(template):
            parts.append(re.escape(template[position:match.start()]))
            name, spec = match.group(1), match.group(2) or ""
            kinds[name] = spec
            if spec == ",":
                parts.append(rf"(?P<{name}>-?[\d,]+)")
            elif spec == "d":
                parts.append(rf"(?P<{name}>-?\d+)")
            else:  # text, which holds "; " only where a list or a value of the file may (see _SPANNING)
                parts.append(rf"(?P<{name}>.+?)" if name in _SPANNING else rf"(?P<{name}>(?:(?!; ).)+?)")
            position = match.end()
        parts.append(re.escape(template[position:]))
        fixed = len(_FIELD.sub("", template))
        out.append((fixed, key, re.compile("^" + "".join(parts) + "$", re.S), kinds))
    out.sort(key=lambda item: -item[0])
    return [(key, pattern, kinds) for _, key, pattern, kinds in out]


def _match(text: str, *, prefix: str = "") -> Segment | None:
    for key, pattern, kinds in _patterns():
        if not key.startswith(prefix):
            continue
        found = pattern.match(text)
        if found is None:
            continue
        values: dict[str, object] = {}
        for name, spec in kinds.items():
            raw = found.group(name)
            if spec in (",", "d"):
                values[name] = int(raw.replace(",", ""))
            elif name in _NESTED:
                values[name] = parse(raw)
            else:
                values[name] = _value(raw)
        return Segment(key, values)
    return None


def _value(raw: str) -> object:
    """A text value: a `value.*` word, a list of them (joined with "; " or ", "), or the text as it is."""
    found = _match(raw, prefix="value.")
    if found is not None:
        return found
    for separator in ("; ", ", "):
        if separator in raw:
            items = [_match(piece, prefix="value.") for piece in raw.split(separator)]
            if all(items):
                return Listed(items, separator)
    return raw


def parse(text: str) -> list[Segment]:
    """
    A message of the pipeline taken apart: the templates it was made from, with their values, in order.

    Reasons joined with "; " give one Segment each; a piece that matches no template is a Segment without a key
    (shown as it is). A template's own "; " is kept whole (the longest run of pieces that matches wins).

    Parameters
    ----------
    text
        A message of the pipeline, in English (`say`).

    Returns
    -------
    list[Segment]
        Its pieces, in order.
    """
    pieces = text.split("; ")
    out: list[Segment] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            found = _match("; ".join(pieces[i:j]))
            if found is not None:
                out.append(found)
                i = j
                break
        else:
            out.append(Segment(None, text=pieces[i]))
            i += 1
    return out


def recognised(text: str) -> bool:
    """Whether every piece of a message is one of the templates (nested values too).

    Parameters
    ----------
    text
        A message of the pipeline, in English.

    Returns
    -------
    bool
        Whether every piece of it is one of the templates.
    """
    return all(_whole(segment) for segment in parse(text))


def _whole(segment: Segment) -> bool:
    if segment.key is None:
        return False
    return all(all(_whole(s) for s in value) if isinstance(value, list) else True for value in segment.values.values())

