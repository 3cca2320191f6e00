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
from geo.figures.style import preview_text
from geo.ingest import apply_deletions, commit_batch, preview, rejections_frame
from geo.readers import ColumnMapping, load_csv, suggest_mapping
from geo.readers.generic import MAPPABLE, REQUIRED
from geo.uploads import InputFile, Refusal, expand_files, merge, prepare_each
from ui import auth, shell
from ui.data_page import batch_label, default_batch, history_table, timezone, unknown_layout_text, zone_label

ctx, view = shell.current("data")
st.title("Data: upload, check, commit, roll back")
analyst = auth.current_analyst()
if analyst:
    st.caption(f"Logged in as analyst **{analyst}**: every change is recorded with your name.")
    auth.logout_button()
else:
    auth.login_box(ctx)

state = st.session_state
state.setdefault("upload_round", 0)
state.setdefault("mappings", {})
MAPPING_DIR = ctx.settings.home / "mappings"
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
            refusals.append(Refusal(upload.name, f"{upload.name} is {upload.size / 1024 / 1024:,.0f} MB, over the limit of "
                                    f"{limit / 1024 / 1024:,.0f} MB; split it into smaller files"))
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
        choice = st.selectbox("Use a saved mapping", ["—", *saved], key=f"saved_{name}")
        if choice != "—":
            try:
                current = ColumnMapping.from_file(MAPPING_DIR / f"{choice}.toml")
            except InputError as exc:
                st.error(str(exc))
    options = ["—", *header]
    with st.form(f"mapping_{name}"):
        st.markdown(f"**Column mapping for {name}** — required: {', '.join(REQUIRED)}")
        columns = {}
        cols = st.columns(3)
        for i, field in enumerate(MAPPABLE):
            value = current.columns.get(field, "—")
            columns[field] = cols[i % 3].selectbox(field, options, index=options.index(value) if value in options else 0,
                                                   key=f"map_{name}_{field}")
        date_format = st.text_input("Date format (strftime; empty = detect)", value=current.date_format or "", key=f"fmt_{name}")
        country = st.text_input("Country of every row (ISO3), if the file has no country column", value=current.country or "",
                                key=f"cty_{name}")
        save_as = st.text_input("Save this mapping as (optional name)", key=f"save_{name}")
        if st.form_submit_button("Use this mapping"):
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
        st.download_button("Download this mapping (TOML)", state["mappings"][name].to_toml(), file_name=f"{Path(name).stem}_mapping.toml",
                           key=f"dl_map_{name}")


def upload_tab() -> None:
    fmt = st.selectbox("Format", ["auto", "acled", "ucdp", "generic"], key="upload_format",
                       help="auto detects ACLED (any vintage) and UCDP GED from the header; other CSVs need a column mapping")
    uploads = st.file_uploader(
        "Drop CSV files, or a zip of CSV files", type=["csv", "txt", "tsv", "zip"], accept_multiple_files=True,
        key=f"uploader_{state['upload_round']}",
    )
    done = state.pop("last_commit", None)
    if done:
        st.success(done)
    if not uploads:
        st.caption(f"Nothing is stored until you press Commit. Files over {ctx.settings.max_file_mb:g} MB are refused.")
        return
    mapping_key = tuple(sorted((k, str(v.to_dict())) for k, v in state["mappings"].items()))
    key = (tuple((u.file_id, u.name, u.size) for u in uploads), fmt, mapping_key)
    if state.get("upload_key") != key:
        workdir = _workdir("upload_dir")
        bar = st.progress(0.0, text="saving the files")
        files, refusals = _save_uploads(uploads, workdir)
        files, more = expand_files(files, workdir, settings=ctx.settings)
        result = prepare_each(files, format=fmt, mappings=state["mappings"], settings=ctx.settings,
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
            with st.expander(f"All {len(header)} columns of {refusal.file}"):
                st.write(", ".join(header))
            _mapping_editor(refusal.file, header)
            continue
        st.error(f"**{refusal.file}** was refused: {refusal.message}")
        if header and "mapping" in refusal.message:
            _mapping_editor(refusal.file, header)
    if not result.prepared:
        return
    try:
        merged = merge(list(result.prepared.values()))
        report = preview(merged, ctx.store)
    except AtlasError as exc:
        st.error(f"Nothing can be stored: {exc}")
        return
    st.subheader("Check before storing")
    summary = pd.DataFrame([{**{"file": f.file, "format": f.format.upper(), "encoding": f.encoding, "delimiter": f.delimiter},
                             **{k: getattr(f.counts, k) for k in ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area")}}
                            for f in report.files])
    st.dataframe(summary, hide_index=True, width="stretch")
    c = report.counts
    st.markdown(
        f"**{c.rows_read:,} rows read** = {c.new:,} new + {c.updated:,} updated (new versions of stored events) + "
        f"{c.duplicates:,} unchanged duplicates + {c.rejected:,} rejected + {c.outside_area:,} outside the area."
    )
    for warning in report.warnings:
        st.warning(f"**Before you commit:** {warning.message}")
    if len(report.changes):
        changed = report.changes
        n_events = changed[["source_dataset", "event_id"]].drop_duplicates().shape[0]
        with st.expander(f"What changes in the {n_events:,} updated event(s): {len(changed):,} field(s), before → after",
                         expanded=n_events <= 20):
            st.dataframe(changed[["event_id", "field", "before", "after", "kind", "file", "line"]].head(2000),
                         hide_index=True, width="stretch", key="changes_table")
            st.download_button("Download the changes (CSV)", to_safe_csv(changed), file_name="changed_fields.csv",
                               mime="text/csv", key="dl_changes")
    for note in report.notes:
        st.caption(f"Note: {note}")
    if report.previously_ingested:
        st.info(f"This file was already ingested as batch {report.previously_ingested}.")
    for name, prepared in result.prepared.items():
        with st.expander(f"{name}: first rows as read", expanded=len(result.prepared) == 1):
            st.dataframe(prepared.events[PREVIEW_COLUMNS].head(10), hide_index=True, width="stretch")
            if name in state["mappings"]:
                _mapping_editor(name, result.headers.get(name, []))
    if report.rejected:
        st.subheader(f"Rejected rows ({len(report.rejected):,})")
        rejected = rejections_frame(report.rejected)
        st.dataframe(rejected.head(500), hide_index=True, width="stretch")
        st.download_button("Download the rejected rows (CSV, with line numbers and reasons)", to_safe_csv(rejected),
                           file_name="rejected_rows.csv", mime="text/csv", key="dl_rejected")
    if len(merged.events):
        st.plotly_chart(
            charts.points_map(merged.events, display_units(ctx.boundary_set, "admin1"),
                              text=preview_text(len(merged.events), result.accepted, ctx.boundary_set.attribution)),
            width="stretch", config={"displaylogo": False}, key="batch_map",
        )
    writes = c.new + c.updated + c.outside_area
    if st.button(f"Commit {len(result.prepared)} file(s) as one batch ({writes:,} events written)", type="primary",
                 key="commit", disabled=not analyst):
        user = auth.require_analyst(ctx, "commit")
        bar = st.progress(0.0, text="storing")
        try:
            committed = commit_batch(merged, ctx.store, user=user, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        except AtlasError as exc:
            st.error(f"Nothing was stored: {exc}")
            return
        state["last_commit"] = (
            f"Batch {committed.batch_id} stored: {committed.counts.new:,} new, {committed.counts.updated:,} updated, "
            f"{committed.counts.duplicates:,} duplicates, {committed.counts.rejected:,} rejected, "
            f"{committed.counts.outside_area:,} outside the area. Every page now shows it."
        )
        state["upload_round"] += 1
        for k in ("upload_key", "upload_result"):
            state.pop(k, None)
        st.rerun()


def deletions_tab() -> None:
    st.markdown("ACLED publishes lists of deleted events (`event_id_cnty`). Applying one is a batch of its own, "
                "and rolling it back restores the events.")
    upload = st.file_uploader("Deletion list (CSV with an event_id_cnty column)", type=["csv", "txt"], key=f"deletions_{state['upload_round']}")
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
        st.error(f"{upload.name} has no event_id_cnty column; its columns are {', '.join(table.header)}")
        return
    ids = set(table.data[column].str.strip()) - {""}
    stored = ctx.store.stored_ids("acled", sorted(ids))
    st.markdown(f"{len(ids):,} ids listed; **{len(ids & stored):,} are in the store** and would be deleted; "
                f"{len(ids - stored):,} are not in the store.")
    if st.button("Apply the deletions as a batch", key="apply_deletions", disabled=not analyst or not (ids & stored)):
        user = auth.require_analyst(ctx, "deletions")
        try:
            report = apply_deletions(path, ctx.store, user=user, display_name=upload.name)
        except AtlasError as exc:
            st.error(f"Nothing was deleted: {exc}")
            return
        state["upload_round"] += 1
        state["last_commit"] = f"Batch {report.batch_id}: {report.counts.deleted:,} events deleted."
        st.rerun()


def history_tab() -> None:
    batches = ctx.store.batches()
    if batches.empty:
        st.info("No batch yet: the atlas shows its synthetic sample until data are committed.")
        return
    tz = timezone(st.context.timezone)
    st.dataframe(history_table(batches, tz), hide_index=True, width="stretch", key="history_table",
                 column_config={"created": st.column_config.TextColumn(f"created ({zone_label(tz)})"),
                                "rolled_back": st.column_config.TextColumn(f"rolled back ({zone_label(tz)})")})
    # A commit or rollback since the selector was last drawn: show the newest committed batch again.
    signature = tuple(zip(batches["batch_id"].tolist(), batches["status"].tolist()))
    if state.get("history_signature") != signature:
        state["history_signature"] = signature
        state["history_batch"] = default_batch(batches)
    batch_id = st.selectbox("Batch", batches["batch_id"].tolist()[::-1], key="history_batch",
                            format_func=lambda b: batch_label(batches, b, tz))
    rejected = ctx.store.rejections(int(batch_id))
    if len(rejected):
        st.download_button(f"Rejected rows of batch {batch_id} (CSV)", to_safe_csv(rejected), file_name=f"batch_{batch_id}_rejected.csv",
                           mime="text/csv", key="dl_batch_rejected")
    done = state.pop("rollback_result", None)
    if done:
        st.success(done)
    row = batches.set_index("batch_id").loc[batch_id]
    if analyst and row["status"] == "committed":
        # One confirmation per batch: ticking it for one batch never confirms another one.
        confirm = st.checkbox(f"Yes, undo batch {batch_id} ({row['file_names']}) and restore what it replaced",
                              key=f"confirm_rollback_{batch_id}")
        if st.button(f"Roll back batch {batch_id}", disabled=not confirm, key="rollback"):
            user = auth.require_analyst(ctx, "rollback")
            try:
                result = ctx.store.rollback(int(batch_id), user=user)
            except AtlasError as exc:
                st.error(str(exc))
                return
            state["rollback_result"] = (
                f"Batch {batch_id} ({row['file_names']}) rolled back: {result['removed']:,} event version(s) removed, "
                f"{result['restored']:,} earlier version(s) restored. Every page now shows the store without it."
            )
            st.rerun()
    if analyst:
        with st.expander("Audit log"):
            st.dataframe(ctx.store.audit_log().sort_values("entry_id", ascending=False), hide_index=True, width="stretch")


if analyst:
    upload, deletions, history = st.tabs(["Upload", "ACLED deletions", "Batch history"])
    with upload:
        upload_tab()
    with deletions:
        deletions_tab()
    with history:
        history_tab()
else:
    st.subheader("Batch history")
    history_tab()
