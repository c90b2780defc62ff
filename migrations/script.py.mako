"""${message}"""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls
${imports if imports else ""}

revision = ${repr(up_revision)}  # created ${create_date.date()}
down_revision = ${repr(down_revision)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
