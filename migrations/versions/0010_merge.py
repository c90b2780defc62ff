"""Join the branches of the request-path, exports and approvals work."""

revision = "0010"  # created 2026-12-01
down_revision = ("0008x_exports", "0009t")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
