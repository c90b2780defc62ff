"""Rates by day: the currencies a form offers are those with a rate in the last 45 days, and the
primary key (currency, day) cannot find a day range, so every list and form page read the whole
bundled history (about 200,000 rows, 15-25 ms a page)."""

from alembic import op

revision = "0013"  # created 2026-12-01
down_revision = "0012"


def upgrade() -> None:
    op.create_index("ix_fx_rates_day", "fx_rates", ["day", "currency"])


def downgrade() -> None:
    op.drop_index("ix_fx_rates_day", "fx_rates")
