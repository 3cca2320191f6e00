"""Data: upload CSV batches (or zips of CSVs), check them before anything is stored, commit them as one
batch, apply ACLED deletions, and roll batches back. Viewing the history needs no login; every change
needs the analyst role. Layout only: every step is done by `ui.data_page`."""

import streamlit as st

from geo.figures.style import format_count, format_number, word
from ui import auth, downloads, shell, tables
from ui import data_page as model

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


def _workdir(name: str):
    """A fresh temporary folder per upload round (the previous one is removed)."""
    path = model.new_workdir(state.get(name))
    state[name] = str(path)
    return path


def _mapping_editor(name: str, header: list[str]) -> None:
    """Choose the file's columns for a generic CSV; keep the mapping for this session, save it for next time."""
    current = state["mappings"].get(name)
    saved = model.saved_mappings(MAPPING_DIR)
    if saved:
        choice = st.selectbox(word("data.saved_mapping"), [model.NO_COLUMN, *saved], key=f"saved_{name}")
        if choice != model.NO_COLUMN:
            loaded = model.load_mapping(MAPPING_DIR, choice)
            if isinstance(loaded, model.Outcome):
                st.error(loaded.text)
            else:
                current = loaded
    form = model.mapping_form(header, current)
    with st.form(f"mapping_{name}"):
        st.markdown(word("data.mapping_for", name=name, required=form.required))
        columns = {}
        cols = st.columns(3)
        for i, field in enumerate(form.fields):
            columns[field] = cols[i % 3].selectbox(field, form.options, index=form.options.index(form.chosen[field]),
                                                   key=f"map_{name}_{field}")
        date_format = st.text_input(word("data.date_format"), value=form.date_format, key=f"fmt_{name}")
        country = st.text_input(word("data.country_all"), value=form.country, key=f"cty_{name}")
        save_as = st.text_input(word("data.save_as"), key=f"save_{name}")
        if st.form_submit_button(word("data.use_mapping")):
            mapping = model.make_mapping(name, columns, date_format=date_format, country=country, folder=MAPPING_DIR,
                                         save_as=save_as)
            if isinstance(mapping, model.Outcome):
                st.error(mapping.text)
            else:
                state["mappings"][name] = mapping
                state.pop("upload_key", None)
                st.rerun()
    if name in state["mappings"]:
        st.download_button(word("data.download_mapping"), state["mappings"][name].to_toml(), file_name=model.mapping_file_name(name),
                           key=f"dl_map_{name}")


def upload_tab() -> None:
    fmt_column, indicator_column = st.columns([1, 1])
    fmt = fmt_column.selectbox(word("data.format"), list(model.FORMATS), key="upload_format",
                               format_func=lambda f: word(f"data.format.{f}"), help=word("data.format.help"))
    indicator = indicator_column.selectbox(word("data.indicator"), list(model.INDICATOR_CHOICES), key="upload_indicator",
                                           format_func=model.indicator_label, help=word("data.indicator.help"))
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
    key = (tuple((u.file_id, u.name, u.size) for u in uploads), fmt, model.mapping_key(state["mappings"]), indicator)
    if state.get("upload_key") != key:
        bar = st.progress(0.0, text=word("data.saving"))
        result = model.check_uploads(uploads, _workdir("upload_dir"), fmt=fmt, mappings=state["mappings"], settings=ctx.settings,
                                     progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m), indicator=indicator)
        bar.empty()
        state["upload_key"], state["upload_result"] = key, result
    result = state["upload_result"]

    for refusal in result.refusals:
        header = result.headers.get(refusal.file, [])
        if refusal.kind == "unknown_format" and header:
            # The page's own words: what was recognised and the editor below, not command-line flags.
            st.error(model.unknown_layout_text(refusal.file, header))
            with st.expander(word("data.all_columns", n=len(header), file=refusal.file)):
                st.write(", ".join(header))
            _mapping_editor(refusal.file, header)
            continue
        st.error(word("data.refused", file=refusal.file, message=refusal.message))
        if header and "mapping" in refusal.message:
            _mapping_editor(refusal.file, header)
    check = model.check_batch(result, ctx.store, ctx.boundary_set)
    if check is None:
        return
    if isinstance(check, model.Outcome):
        st.error(check.text)
        return
    st.subheader(word("data.check"))
    tables.dataframe(check.summary, hide_index=True, width="stretch",  # (its counts in the page's number format)
                     column_config={c: st.column_config.NumberColumn(word(f"data.col.{c}"), format="localized")
                                    if c in model.COUNTS else word(f"data.col.{c}") for c in check.summary.columns})
    st.markdown(check.accounting)
    if check.older:
        st.caption(check.older)
    if check.units:
        st.markdown(check.units)
    for warning in check.warnings:
        st.warning(warning)
    if len(check.changes):
        with st.expander(word("data.changes", n=format_count(check.changed_events), fields=format_count(len(check.changes))),
                         expanded=check.changed_events <= 20):
            columns = ["event_id", "field", "before", "after", "kind", "file", "line"]
            st.dataframe(model.changes_shown(check.changes, columns), hide_index=True, width="stretch", key="changes_table",
                         column_config={c: word(f"data.col.{c}") for c in columns})
            downloads.csv_button(word("data.download_changes"), check.changes, file_name="changed_fields.csv", key="dl_changes")
    for note in check.notes:
        st.caption(note)
    if check.previously_ingested:
        st.info(word("data.already", batch=check.previously_ingested))
    for name, rows in check.first_rows.items():
        with st.expander(word("data.first_rows", name=name), expanded=check.files == 1):
            st.dataframe(rows, hide_index=True, width="stretch", column_config=model.preview_headers(rows.columns))
            if name in state["mappings"]:
                _mapping_editor(name, result.headers.get(name, []))
    if len(check.rejected):
        st.subheader(word("data.rejected", n=format_count(len(check.rejected))))
        tables.dataframe(model.rejected_rows(check.rejected), hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(word("data.col.line"), format="%d") if c == "line"
                                        else word(f"data.col.{c}") for c in check.rejected.columns})
        downloads.csv_button(word("data.download_rejected"), check.rejected, file_name="rejected_rows.csv", key="dl_rejected")
    if check.points_map is not None:
        st.plotly_chart(check.points_map, width="stretch", config={"displaylogo": False}, key="batch_map")
    if check.nothing:
        st.info(check.nothing)
    if st.button(word("data.commit", files=check.files, n=format_count(check.writes)), type="primary",
                 key="commit", disabled=not analyst or bool(check.nothing)):
        user = auth.require_analyst(ctx, "commit")
        bar = st.progress(0.0, text=word("data.storing"))
        done = model.commit(check, ctx.store, user=user, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        if not done.ok:
            st.error(done.text)
            return
        state["last_commit"] = done.text
        state["upload_round"] += 1
        for k in ("upload_key", "upload_result"):
            state.pop(k, None)
        st.rerun()


def deletions_tab() -> None:
    st.markdown(word("data.deletions.intro"))
    upload = st.file_uploader(word("data.deletions.upload"), type=["csv", "txt"], key=f"deletions_{state['upload_round']}")
    if not upload:
        return
    check = model.check_deletions(upload, _workdir("deletion_dir"), ctx.store, max_bytes=ctx.settings.max_file_bytes)
    if check.error:
        st.error(check.error)
        return
    st.markdown(check.counts)
    if st.button(word("data.deletions.apply"), key="apply_deletions", disabled=not analyst or not check.stored):
        user = auth.require_analyst(ctx, "deletions")
        done = model.apply_deletion_list(check, ctx.store, user=user)
        if not done.ok:
            st.error(done.text)
            return
        state["upload_round"] += 1
        state["last_commit"] = done.text
        st.rerun()


def history_tab() -> None:
    batches = model.batches(ctx.store)
    if batches.empty:
        st.info(word("data.no_batch"))
        return
    tz = model.timezone(st.context.timezone)
    history = model.history_table(batches, tz)
    st.dataframe(history, hide_index=True, width="stretch", key="history_table",
                 column_config={**{c: word(f"data.col.{c}") for c in history.columns},
                                "created": st.column_config.TextColumn(word("data.col.created_in", zone=model.zone_label(tz))),
                                "rolled_back": st.column_config.TextColumn(word("data.col.rolled_back_in", zone=model.zone_label(tz)))})
    # A commit since the selector was last drawn: show the newest committed batch again; a rollback: stay on it.
    signature = model.batch_signature(batches)
    if state.get("history_signature") != signature:
        state["history_signature"] = signature
        state["history_batch"] = model.batch_to_show(batches, rolled_back=state.pop("history_rolled_back", None))
    batch_id = st.selectbox(word("data.batch"), batches["batch_id"].tolist()[::-1], key="history_batch",
                            format_func=lambda b: model.batch_label(batches, b, tz))
    rejected = model.batch_rejections(ctx.store, batch_id)
    if len(rejected):
        downloads.csv_button(word("data.batch_rejected", batch=batch_id), rejected, file_name=f"batch_{batch_id}_rejected.csv",
                             key="dl_batch_rejected")
    done = state.pop("rollback_result", None)
    if done:
        st.success(done)
    choice = model.rollback_choice(batches, batch_id)
    if analyst and choice.can_roll_back:
        # One confirmation per batch: ticking it for one batch never confirms another one.
        confirm = st.checkbox(word("data.confirm_rollback", batch=batch_id, files=choice.files),
                              key=f"confirm_rollback_{batch_id}")
        if st.button(word("data.rollback", batch=batch_id), disabled=not confirm, key="rollback"):
            user = auth.require_analyst(ctx, "rollback")
            done = model.rollback(ctx.store, choice.batch_id, user=user, files=choice.files)
            if not done.ok:
                st.error(done.text)
                return
            state["rollback_result"] = done.text
            state["history_rolled_back"] = int(batch_id)  # the selector stays on it: no other batch's confirmation
            st.rerun()
    if analyst:
        with st.expander(word("data.audit")):
            st.dataframe(model.audit_table(ctx.store), hide_index=True, width="stretch")


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
