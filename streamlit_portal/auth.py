"""Who is looking: the web app's single-use token, turned into a session identity.

On a load with `?token=...` the token is removed from the URL and verified (signature, age of at
most 60 s, and spent in Redis so it works once). A valid one replaces the session's identity
and everything chosen for the previous one; anything else clears the identity, fail closed.
Later reruns use the session's identity. No other query parameter is read: the org is always
the one the verified token names.
"""

from __future__ import annotations

import logging

import streamlit as st
from redis.exceptions import RedisError

from app.services.accounts import portal_tokens
from app.services.accounts.portal_tokens import Identity, Refused
from streamlit_portal import runtime

IDENTITY = "outlay_identity"
REFUSAL = "outlay_refusal"
OWN_KEYS = ("outlay_", "f_")  # the portal's state and widget keys all start so
DEFAULT_REFUSAL = "Open Analytics from Outlay."
log = logging.getLogger(__name__)


def _verify(token: str) -> Identity:
    flask_app = runtime.app()
    try:
        return portal_tokens.verify(
            flask_app.config["SECRET_KEY"],
            token,
            runtime.redis(),
            prefix=flask_app.config["OUTLAY_QUEUE_PREFIX"],
        )
    except RedisError:
        log.exception("portal: Redis unavailable while verifying a handover token")
        message = "Analytics is unavailable right now. Open Analytics from Outlay again."
        raise Refused(message) from None


def accept_handover() -> Identity | None:
    """The session's identity after reading (and removing) a handover token, if any."""
    if "token" in st.query_params:
        token = st.query_params.get("token") or ""
        del st.query_params["token"]
        for key in list(st.session_state.keys()):
            if str(key).startswith(OWN_KEYS):  # a new handover: nothing of the previous one stays
                del st.session_state[key]
        try:
            st.session_state[IDENTITY] = _verify(token)
        except Refused as refused:
            st.session_state[REFUSAL] = str(refused)
    identity = st.session_state.get(IDENTITY)
    return identity if isinstance(identity, Identity) else None


def refuse(reason: str | None = None) -> None:
    """Forget the identity and say why; the caller stops the run (no data is shown)."""
    st.session_state.pop(IDENTITY, None)
    message = reason or st.session_state.get(REFUSAL) or DEFAULT_REFUSAL
    st.session_state[REFUSAL] = message
    st.title("Outlay Analytics")
    st.error(message)
    st.markdown("Analytics opens from the **Analytics** page of your organisation in Outlay.")
