"""The analyst role in the app: log in with the analyst password (its hash is configured) or through
OIDC (`st.login`) where configured. Viewing needs none of it; every change checks it and every refused
attempt is logged in the store's audit log."""

from __future__ import annotations

import streamlit as st

from geo.auth import analyst_emails, configured_hash, verify_password
from geo.figures.style import word, word_or


def _secrets():
    try:
        return st.secrets if len(st.secrets) else None
    except Exception:  # no secrets.toml: not an error, just nothing configured
        return None


def _oidc_configured() -> bool:
    secrets = _secrets()
    try:
        return bool(secrets and "auth" in secrets and analyst_emails(secrets))
    except Exception:
        return False


def current_analyst() -> str | None:
    """The analyst's name (password login) or e-mail (OIDC), or None for a viewer."""
    name = st.session_state.get("analyst")
    if name:
        return name
    if _oidc_configured():
        try:
            if st.user.is_logged_in and str(st.user.get("email", "")).lower() in analyst_emails(_secrets()):
                return str(st.user.get("email"))
        except Exception:
            return None
    return None


def login_box(ctx) -> None:
    """How to become an analyst on this server (a password form, an SSO button, or why neither)."""
    stored = configured_hash(_secrets())
    oidc = _oidc_configured()
    if not stored and not oidc:
        st.info(word("auth.not_configured"))
        return
    st.markdown(word("auth.needed"))
    if stored:
        with st.form("analyst_login"):
            name = st.text_input(word("auth.name"), key="login_name")
            password = st.text_input(word("auth.password"), type="password", key="login_password")
            submitted = st.form_submit_button(word("auth.log_in"))
        if submitted:
            if not name.strip():
                st.error(word("auth.give_name"))
            elif verify_password(password, stored):
                st.session_state["analyst"] = name.strip()
                ctx.store.log("login", "analyst login", user=name.strip())
                st.rerun()
            else:
                ctx.store.log("login", "wrong analyst password", outcome="refused", user=name.strip() or "anonymous")
                st.error(word("auth.wrong"))
    if oidc:
        st.button(word("auth.sso"), on_click=st.login, key="oidc_login")


def require_analyst(ctx, action: str) -> str:
    """The analyst's name; without the role the action is refused, logged, and the script stops."""
    user = current_analyst()
    if not user:
        ctx.store.log(action, f"{action} attempted without the analyst role", outcome="refused", user="anonymous")
        st.error(word("auth.refused", action=word_or(f"auth.action.{action}", action)))
        st.stop()
    return user


def logout_button() -> None:
    if st.session_state.get("analyst") and st.sidebar.button(word("auth.log_out"), key="analyst_logout"):
        st.session_state.pop("analyst", None)
        st.rerun()
