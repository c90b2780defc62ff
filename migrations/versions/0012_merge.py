"""Join the trash, summaries and archive-import branches. Nothing to add: the summaries
trigger keys on `status`, so a trashed row moves to its own summary row and leaves every
figure, and an imported archive's rows are summarised by the same trigger as they go in."""

from tenants import ddl

revision = "0012"
down_revision = ("0011a", "0011r", "0011s")
upgrade = downgrade = ddl.nothing
