"""Who may change data: the analyst role.

Viewing needs no login. Uploading, applying deletions and rolling back need the analyst role, given by a
password whose **hash** (never the password) is set in the environment (`ATLAS_ANALYST_PASSWORD_HASH`) or
in Streamlit secrets (`[analyst] password_hash`), or by an OIDC login (`st.login`) of an e-mail address
listed in secrets (`[analyst] emails`). Make a hash with `python -m geo hash-password`.

Hashes are scrypt (`scrypt$n$r$p$salt$hash`, hex), compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password`, to store instead of the password.

    Parameters
    ----------
    password
        The password.

    Returns
    -------
    str
        A salted scrypt hash of `password`, to store instead of the password.
    """
    if not password:
        raise ValueError("the password must not be empty")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash; False for any malformed hash.

    Parameters
    ----------
    password
        The password.
    stored
        The stored hash (`scrypt$N$r$p$salt$digest`, as :func:`hash_password` makes it).

    Returns
    -------
    bool
        Whether the password matches the hash (False for a malformed hash).
    """
    try:
        kind, n, r, p, salt, digest = stored.strip().split("$")
        if kind != "scrypt":
            return False
        computed = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(bytes.fromhex(digest))
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


def configured_hash(secrets_mapping: object | None = None) -> str | None:
    """The analyst password hash from the environment, else from Streamlit secrets (`[analyst] password_hash`).

    Parameters
    ----------
    secrets_mapping
        Streamlit's secrets (or any mapping); None when there are none.

    Returns
    -------
    str | None
        The analyst password hash from the environment, else from Streamlit secrets (`[analyst] password_hash`).
    """
    value = os.environ.get("ATLAS_ANALYST_PASSWORD_HASH")
    if value:
        return value
    try:
        section = secrets_mapping["analyst"] if secrets_mapping is not None else None  # type: ignore[index]
        return str(section["password_hash"]) if section and "password_hash" in section else None
    except (KeyError, TypeError, FileNotFoundError):
        return None


def analyst_emails(secrets_mapping: object | None = None) -> set[str]:
    """E-mail addresses that get the analyst role through OIDC (`[analyst] emails` in secrets).

    Parameters
    ----------
    secrets_mapping
        Streamlit's secrets (or any mapping); None when there are none.

    Returns
    -------
    set[str]
        The e-mail addresses (lower case) that get the analyst role through OIDC (`[analyst] emails` in secrets).
    """
    try:
        section = secrets_mapping["analyst"] if secrets_mapping is not None else None  # type: ignore[index]
        return {str(e).strip().lower() for e in (section.get("emails", []) if section else [])}
    except (KeyError, TypeError, AttributeError, FileNotFoundError):
        return set()
