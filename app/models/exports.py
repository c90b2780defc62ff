"""An export a person asked for: a file a job writes, behind a link that expires.

Migration 0008x_exports is the source of truth for constraints. The file itself lives under
the exports folder (`app/services/exports/files.py`), named by `stored_as`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import TenantRow

EXPORT_KINDS = ("transactions", "report", "archive")
EXPORT_STATUSES = ("queued", "running", "done", "failed")


class Export(TenantRow, db.Model):
    __tablename__ = "exports"

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(8))
    query: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(8), default="queued")
    row_count: Mapped[int | None] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    stored_as: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set by the job: the file holds only the asker's own items (migration 0014e).
    own_items_only: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def ready(self) -> bool:
        return self.status == "done"


class ArchiveImport(TenantRow, db.Model):
    """An uploaded org archive restored into this org by a job (migration 0011a)."""

    __tablename__ = "archive_imports"

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    stored_as: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    step: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str] = mapped_column(String(1000), default="")
    counts: Mapped[dict[str, int] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
