"""Two-factor recovery codes: shown once when made, stored as digests, each usable once.

Flask-Security keeps the codes themselves (optionally encrypted) so it can show them again;
here only SHA-256 digests are kept (the codes are random, so a plain digest is enough), which
makes "shown once" a property of the data rather than of a template.
"""

from __future__ import annotations

import hashlib
import hmac

from flask_security import MfRecoveryCodesUtil, UserMixin
from flask_security.proxies import _datastore


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()


class DigestRecoveryCodes(MfRecoveryCodesUtil):
    def _encrypt_codes(self, codes: list[str]) -> list[str]:
        return [_digest(code) for code in codes]

    def get_recovery_codes(self, user: UserMixin) -> list[str]:
        return []  # never again after the page that made them

    def _index(self, user: UserMixin, code: str) -> int | None:
        wanted = _digest(code)
        for index, stored in enumerate(_datastore.mf_get_recovery_codes(user)):
            if hmac.compare_digest(stored, wanted):
                return index
        return None

    def check_recovery_code(self, user: UserMixin, code: str) -> bool:
        return self._index(user, code) is not None

    def delete_recovery_code(self, user: UserMixin, code: str) -> bool:
        index = self._index(user, code)
        return index is not None and _datastore.mf_delete_recovery_code(user, index)
