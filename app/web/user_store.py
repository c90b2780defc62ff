"""The Flask-Security datastore: a user row is written as that user.

RLS on `users` lets a transaction update only the row named in `app.user_id` (docs/tenancy.md).
Flask-Security saves a user through `put()` once it has established who they are (the password
at login, the token of a reset or confirmation link, the signed-in session for a change), so
this is the one place that names the user being written as the transaction's user. The switch
lasts until that write commits; then the request's own user is the tenant's user again, so
nothing later in the request runs as the user just saved.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_security import SQLAlchemyUserDatastore

from app.extensions import db
from app.models import User
from tenants.context import current, set_tenant

_RESTORE = "outlay_user_store_restore"


class OutlayUserDatastore(SQLAlchemyUserDatastore):
    def put(self, model: Any) -> Any:
        if isinstance(model, User) and model.id is not None:
            tenant = current(db.session)
            if tenant.user_id != model.id:
                if has_request_context() and not hasattr(g, _RESTORE):
                    setattr(g, _RESTORE, tenant)
                set_tenant(db.session, tenant.org_id, model.id)
        return super().put(model)

    def commit(self) -> None:
        super().commit()
        if has_request_context() and (previous := g.pop(_RESTORE, None)) is not None:
            set_tenant(db.session, previous.org_id, previous.user_id)
