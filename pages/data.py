"""Data: upload CSV batches (or zips of CSVs), check them before anything is stored, commit them as one
batch, apply ACLED deletions, and roll batches back. Viewing the history needs no login; every change
needs the analyst role."""

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.errors import AtlasError, InputError
from geo.export import to_safe_csv
from geo.figures import charts
from geo.figures.geometry import display_units
from geo.figures.style import format_count, format_number, preview_text, word
from geo.indicators import INDICATORS
from geo.ingest import apply_deletions, commit_batch, preview, rejections_frame
from geo.readers import ColumnMapping, load_csv, suggest_mapping
from geo.readers.generic import MAPPABLE, REQUIRED
from geo.unit_months import PreparedTables
from geo.uploads import InputFile, Refusal, expand_files, merge, prepare_each
from ui import auth, shell
from ui.data_page import batch_label, default_batch, history_table, timezone, unknown_layout_text, zone_label

ctx, view = shell.current("data")
st.title(word("data.title"))
analyst = auth.current_analyst()
if analyst:
    st.caption(word("data.logged_in", name=analyst))
    auth.logout_button()
else:
    auth.login_box(ctx)

state = st.session_state
state.setdefault("upload_round", 0)
state.setdefault("mappings", {})
MAPPING_DIR = ctx.settings.home / "mappings"
#: What the preview shows of an aggregate table's unit-months.
TABLE_PREVIEW_COLUMNS = ["indicator", "country_iso3", "admin1_name", "admin2_pcode", "admin2_name", "month", "events", "fatalities"]
PREVIEW_COLUMNS = ["event_id", "event_date", "event_type", "actor1", "actor2", "country", "admin1_declared", "location",
                   "latitude", "longitude", "fatalities", "notes"]


def _workdir(name: str) -> Path:
    """A fresh temporary folder per upload round (the previous one is removed)."""
    old = state.get(name)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    path = Path(tempfile.mkdtemp(prefix="atlas-upload-"))
    state[name] = str(path)
    return path


def _save_uploads(uploads, workdir: Path) -> tuple[list[InputFile], list[Refusal]]:
    files, refusals = [], []
    limit = ctx.settings.max_file_bytes
    for i, upload in enumerate(uploads):
        if limit and upload.size > limit:
            refusals.append(Refusal(upload.name, word("data.too_large", name=upload.name, size=format_count(upload.size / 1024 / 1024),
                                                      limit=format_count(limit / 1024 / 1024))))
            continue
        path = workdir / f"{i:03d}{Path(upload.name).suffix.lower()[:8]}"
        path.write_bytes(upload.getbuffer())
        files.append(InputFile(path, upload.name))
    return files, refusals


def _mapping_editor(name: str, header: list[str]) -> None:
    """Choose the file's columns for a generic CSV; keep the mapping for this session, save it for next time."""
    current = state["mappings"].get(name) or suggest_mapping(header)
    saved = sorted(p.stem for p in MAPPING_DIR.glob("*.toml")) if MAPPING_DIR.is_dir() else []
    if saved:
        choice = st.selectbox(word("data.saved_mapping"), ["—", *saved], key=f"saved_{name}")
        if choice != "—":
            try:
                current = ColumnMapping.from_file(MAPPING_DIR / f"{choice}.toml")
            except InputError as exc:
                st.error(str(exc))
    options = ["—", *header]
    with st.form(f"mapping_{name}"):
        st.markdown(word("data.mapping_for", name=name, required=", ".join(REQUIRED)))
        columns = {}
        cols = st.columns(3)
        for i, field in enumerate(MAPPABLE):
            value = current.columns.get(field, "—")
            columns[field] = cols[i % 3].selectbox(field, options, index=options.index(value) if value in options else 0,
                                                   key=f"map_{name}_{field}")
        date_format = st.text_input(word("data.date_format"), value=current.date_format or "", key=f"fmt_{name}")
        country = st.text_input(word("data.country_all"), value=current.country or "", key=f"cty_{name}")
        save_as = st.text_input(word("data.save_as"), key=f"save_{name}")
        if st.form_submit_button(word("data.use_mapping")):
            try:
                mapping = ColumnMapping.from_dict(
                    {"columns": {k: v for k, v in columns.items() if v != "—"},
                     "options": {"date_format": date_format.strip() or None, "country": country.strip() or None}},
                    origin=name,
                )
                state["mappings"][name] = mapping
                if save_as.strip():
                    safe = "".join(ch for ch in save_as.strip() if ch.isalnum() or ch in "-_") or "mapping"
                    MAPPING_DIR.mkdir(parents=True, exist_ok=True)
                    (MAPPING_DIR / f"{safe}.toml").write_text(mapping.to_toml(), encoding="utf-8")
                state.pop("upload_key", None)
                st.rerun()
            except InputError as exc:
                st.error(str(exc))
    if name in state["mappings"]:
        st.download_button(word("data.download_mapping"), state["mappings"][name].to_toml(), file_name=f"{Path(name).stem}_mapping.toml",
                           key=f"dl_map_{name}")


def upload_tab() -> None:
    fmt_column, indicator_column = st.columns([1, 1])
    fmt = fmt_column.selectbox(word("data.format"), ["auto", "acled", "ucdp", "generic", "acled-hdx", "hdx-hapi"], key="upload_format",
                               format_func=lambda f: word(f"data.format.{f}"), help=word("data.format.help"))
    # ACLED's aggregate tables: the file does not say its indicator, its name usually does (HDX's workbook names).
    indicator = indicator_column.selectbox(
        word("data.indicator"), ["", *INDICATORS], key="upload_indicator", help=word("data.indicator.help"),
        format_func=lambda v: word(f"indicator.{v}") if v else word("data.indicator.from_name"),
    )
    uploads = st.file_uploader(
        word("data.drop"), type=["csv", "txt", "tsv", "zip"], accept_multiple_files=True,
        key=f"uploader_{state['upload_round']}",
    )
    done = state.pop("last_commit", None)
    if done:
        st.success(done)
    if not uploads:
        st.caption(word("data.nothing_yet", mb=format_number(ctx.settings.max_file_mb, significant=6)))
        return
    mapping_key = tuple(sorted((k, str(v.to_dict())) for k, v in state["mappings"].items()))
    key = (tuple((u.file_id, u.name, u.size) for u in uploads), fmt, mapping_key, indicator)
    if state.get("upload_key") != key:
        workdir = _workdir("upload_dir")
        bar = st.progress(0.0, text=word("data.saving"))
        files, refusals = _save_uploads(uploads, workdir)
        files, more = expand_files(files, workdir, settings=ctx.settings)
        result = prepare_each(files, format=fmt, mappings=state["mappings"], settings=ctx.settings, indicator=indicator or None,
                              progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m))
        result.refusals = refusals + more + result.refusals
        bar.empty()
        state["upload_key"], state["upload_result"] = key, result
    result = state["upload_result"]

    for refusal in result.refusals:
        header = result.headers.get(refusal.file, [])
        if refusal.kind == "unknown_format" and header:
            # The page's own words: what was recognised and the editor below, not command-line flags.
            st.error(unknown_layout_text(refusal.file, header))
            with st.expander(word("data.all_columns", n=len(header), file=refusal.file)):
                st.write(", ".join(header))
            _mapping_editor(refusal.file, header)
            continue
        st.error(word("data.refused", file=refusal.file, message=refusal.message))
        if header and "mapping" in refusal.message:
            _mapping_editor(refusal.file, header)
    if not result.prepared:
        return
    try:
        merged = merge(list(result.prepared.values()))
        report = preview(merged, ctx.store)
    except AtlasError as exc:
        st.error(word("data.cannot_store", error=exc))
        return
    st.subheader(word("data.check"))
    counts = ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area")
    summary = pd.DataFrame([{**{"file": f.file, "format": f.format.upper(), "encoding": f.encoding, "delimiter": f.delimiter},
                             **{k: getattr(f.counts, k) for k in counts}}
                            for f in report.files])
    st.dataframe(summary, hide_index=True, width="stretch",
                 column_config={c: word(f"data.col.{c}") for c in ("file", "format", "encoding", "delimiter", *counts)})
    c = report.counts
    st.markdown(word("data.accounting", rows=format_count(c.rows_read), new=format_count(c.new), updated=format_count(c.updated),
                     duplicates=format_count(c.duplicates), rejected=format_count(c.rejected),
                     outside=format_count(c.outside_area)))
    for warning in report.warnings:
        st.warning(word("data.before_commit", message=warning.message))
    if len(report.changes):
        changed = report.changes
        n_events = changed[["source_dataset", "event_id"]].drop_duplicates().shape[0]
        with st.expander(word("data.changes", n=format_count(n_events), fields=format_count(len(changed))), expanded=n_events <= 20):
            columns = ["event_id", "field", "before", "after", "kind", "file", "line"]
            st.dataframe(changed[columns].head(2000), hide_index=True, width="stretch", key="changes_table",
                         column_config={c: word(f"data.col.{c}") for c in columns})
            st.download_button(word("data.download_changes"), to_safe_csv(changed), file_name="changed_fields.csv",
                               mime="text/csv", key="dl_changes")
    if report.tables is not None:  # ACLED's aggregates: unit-months, and their units matched to the boundaries
        t = report.tables
        st.markdown(word("data.tables", matched=format_count(t["units_matched"]), rolled=format_count(t["units_rolled_up"]),
                         unmatched=format_count(t["units_unmatched"]), removed=format_count(t["removed"])))
    for note in report.notes:
        st.caption(word("data.note", note=note))
    if report.previously_ingested:
        st.info(word("data.already", batch=report.previously_ingested))
    for name, prepared in result.prepared.items():
        with st.expander(word("data.first_rows", name=name), expanded=len(result.prepared) == 1):
            rows = prepared.rows[TABLE_PREVIEW_COLUMNS] if isinstance(prepared, PreparedTables) else prepared.events[PREVIEW_COLUMNS]
            st.dataframe(rows.head(10), hide_index=True, width="stretch")
            if name in state["mappings"]:
                _mapping_editor(name, result.headers.get(name, []))
    if report.rejected:
        st.subheader(word("data.rejected", n=format_count(len(report.rejected))))
        rejected = rejections_frame(report.rejected)
        st.dataframe(rejected.head(500), hide_index=True, width="stretch")
        st.download_button(word("data.download_rejected"), to_safe_csv(rejected),
                           file_name="rejected_rows.csv", mime="text/csv", key="dl_rejected")
    if not isinstance(merged, PreparedTables) and len(merged.events):  # (an aggregate table has no points to draw)
        st.plotly_chart(
            charts.points_map(merged.events, display_units(ctx.boundary_set, "admin1"),
                              text=preview_text(len(merged.events), result.accepted, ctx.boundary_set.attribution)),
            width="stretch", config={"displaylogo": False}, key="batch_map",
        )
    writes = c.new + c.updated + c.outside_area
    if st.button(word("data.commit", files=len(result.prepared), n=format_count(writes)), type="primary",
                 key="commit", disabled=not analyst):
        user = auth.require_analyst(ctx, "commit")
        bar = st.progress(0.0, text=word("data.storing"))
        try:
            committed = commit_batch(merged, ctx.store, user=user, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        except AtlasError as exc:
            st.error(word("data.not_stored", error=exc))
            return
        k = committed.counts
        state["last_commit"] = word("data.stored", batch=committed.batch_id, new=format_count(k.new), updated=format_count(k.updated),
                                    duplicates=format_count(k.duplicates), rejected=format_count(k.rejected),
                                    outside=format_count(k.outside_area))
        state["upload_round"] += 1
        for k in ("upload_key", "upload_result"):
            state.pop(k, None)
        st.rerun()


def deletions_tab() -> None:
    st.markdown(word("data.deletions.intro"))
    upload = st.file_uploader(word("data.deletions.upload"), type=["csv", "txt"], key=f"deletions_{state['upload_round']}")
    if not upload:
        return
    path = _workdir("deletion_dir") / "deletions.csv"
    path.write_bytes(upload.getbuffer())
    try:
        table = load_csv(path, display_name=upload.name, min_columns=1, max_bytes=ctx.settings.max_file_bytes)
    except InputError as exc:
        st.error(str(exc))
        return
    lower = {h.lower(): h for h in table.header}
    column = next((lower[c] for c in ("event_id_cnty", "event_id", "id") if c in lower), None)
    if column is None:
        st.error(word("data.deletions.no_column", name=upload.name, columns=", ".join(table.header)))
        return
    ids = set(table.data[column].str.strip()) - {""}
    stored = ctx.store.stored_ids("acled", sorted(ids))
    st.markdown(word("data.deletions.counts", listed=format_count(len(ids)), stored=format_count(len(ids & stored)),
                     missing=format_count(len(ids - stored))))
    if st.button(word("data.deletions.apply"), key="apply_deletions", disabled=not analyst or not (ids & stored)):
        user = auth.require_analyst(ctx, "deletions")
        try:
            report = apply_deletions(path, ctx.store, user=user, display_name=upload.name)
        except AtlasError as exc:
            st.error(word("data.deletions.failed", error=exc))
            return
        state["upload_round"] += 1
        state["last_commit"] = word("data.deletions.done", batch=report.batch_id, n=format_count(report.counts.deleted))
        st.rerun()


def history_tab() -> None:
    batches = ctx.store.batches()
    if batches.empty:
        st.info(word("data.no_batch"))
        return
    tz = timezone(st.context.timezone)
    history = history_table(batches, tz)
    st.dataframe(history, hide_index=True, width="stretch", key="history_table",
                 column_config={**{c: word(f"data.col.{c}") for c in history.columns},
                                "created": st.column_config.TextColumn(word("data.col.created_in", zone=zone_label(tz))),
                                "rolled_back": st.column_config.TextColumn(word("data.col.rolled_back_in", zone=zone_label(tz)))})
    # A commit or rollback since the selector was last drawn: show the newest committed batch again.
    signature = tuple(zip(batches["batch_id"].tolist(), batches["status"].tolist()))
    if state.get("history_signature") != signature:
        state["history_signature"] = signature
        state["history_batch"] = default_batch(batches)
    batch_id = st.selectbox(word("data.batch"), batches["batch_id"].tolist()[::-1], key="history_batch",
                            format_func=lambda b: batch_label(batches, b, tz))
    rejected = ctx.store.rejections(int(batch_id))
    if len(rejected):
        st.download_button(word("data.batch_rejected", batch=batch_id), to_safe_csv(rejected), file_name=f"batch_{batch_id}_rejected.csv",
                           mime="text/csv", key="dl_batch_rejected")
    done = state.pop("rollback_result", None)
    if done:
        st.success(done)
    row = batches.set_index("batch_id").loc[batch_id]
    if analyst and row["status"] == "committed":
        # One confirmation per batch: ticking it for one batch never confirms another one.
        confirm = st.checkbox(word("data.confirm_rollback", batch=batch_id, files=row["file_names"]),
                              key=f"confirm_rollback_{batch_id}")
        if st.button(word("data.rollback", batch=batch_id), disabled=not confirm, key="rollback"):
            user = auth.require_analyst(ctx, "rollback")
            try:
                result = ctx.store.rollback(int(batch_id), user=user)
            except AtlasError as exc:
                st.error(str(exc))
                return
            state["rollback_result"] = word("data.rolled_back", batch=batch_id, files=row["file_names"],
                                            removed=format_count(result["removed"]), restored=format_count(result["restored"]))
            st.rerun()
    if analyst:
        with st.expander(word("data.audit")):
            st.dataframe(ctx.store.audit_log().sort_values("entry_id", ascending=False), hide_index=True, width="stretch")


if analyst:
    upload, deletions, history = st.tabs([word("data.tab.upload"), word("data.tab.deletions"), word("data.tab.history")])
    with upload:
        upload_tab()
    with deletions:
        deletions_tab()
    with history:
        history_tab()
else:
    st.subheader(word("data.tab.history"))
    history_tab()
