"""Join the trash and summaries branches. Nothing to add: the summaries trigger keys on
`status`, so a trashed row moves to its own summary row and leaves every figure."""

revision = "0012"
down_revision = ("0011r", "0011s")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
