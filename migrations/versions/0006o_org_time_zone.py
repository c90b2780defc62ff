"""Each organisation has an IANA time zone: its "today", months and budget periods follow it.

Existing orgs get 'UTC' (what their days were until now). The app validates the name against
`zoneinfo.available_timezones()`; the database only keeps it short and non-empty.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006o"  # created 2026-12-01
down_revision = "0005"


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC"),
    )
    op.create_check_constraint(
        "time_zone_named", "organisations", "length(time_zone) BETWEEN 1 AND 64"
    )


def downgrade() -> None:
    op.drop_constraint("time_zone_named", "organisations")
    op.drop_column("organisations", "time_zone")
