"""The four membership roles, from most to least powerful."""

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ACCOUNTANT = "accountant"
    MEMBER = "member"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return self.value.capitalize()


ROLE_CHOICES = [(r.value, r.label) for r in Role]
