"""The archive format in one place: which tenant tables it carries and which it restores, and
what the catalog says about them (columns, references between them, references to people).

Every tenant table (an `org_id` column, or a row-level security policy on `app.org_id`) is
in exactly one of three lists, and `tests/integration/test_archive_import.py` fails on a
table that is in none, so a table added later needs a decision here:

- `RESTORED`: written to the archive and restored by an import, ids remapped;
- `KEPT_NOT_RESTORED`: written to the archive (it is the org's record) but not restored, for
  the reason given;
- `NOT_ARCHIVED`: not in the archive at all, for the reason given.

References are read from the catalog: a foreign key `(org_id, x) -> t(org_id, id)` remaps `x`
through `t`'s new ids, and a column referencing `users(id)` is a person (`PEOPLE`). The few
references that no foreign key can express are in `ID_ARRAYS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import text

from app.extensions import db

SCHEMA_VERSION = 1
FORMAT = "outlay-archive"
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")

RESTORED = (
    "categories",
    "payment_methods",
    "recurring_rules",
    "reminders",
    "budgets",
    "budget_alerts",  # which alerts were sent: restoring it stops them being sent again
    "reimbursements",
    "transactions",
    "receipts",  # the files too (manifest "receipts")
    "approval_policies",
    "saved_views",  # the query's ids are remapped as well (archive_import._saved_views)
)
KEPT_NOT_RESTORED = {
    "memberships": "the people of the old org; the new org's people are invited anew",
    "invitations": "invitations into the old org; restoring them would let them join the new one",
    "audit_log": "the old org's history, with its own actors; the new org's log records the import",
    "notifications": "each person's inbox of the old org, with links into it",
    "notification_preferences": "each person's own settings; they set them again in the new org",
}
NOT_ARCHIVED = {
    "exports": "expiring download links, not the org's books",
    "archive_imports": "the record of uploads into this org, not its books",
    "organisations": "the org's own row: its settings are the manifest's `org`",
    "transaction_summaries": "derived: the triggers on transactions rebuild them as rows go in",
}
# Rows of a new org that an import replaces (the defaults seeded when it was created).
REPLACED = ("categories", "payment_methods", "approval_policies")
# bigint[] columns holding ids of another table (no foreign key can say so).
ID_ARRAYS = {("approval_policies", "always_category_ids"): "categories"}

TABLES_SQL = text(
    """
    SELECT c.relname FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
      AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                   AND a.attname = 'org_id' AND NOT a.attisdropped)
           OR EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                      AND concat(pg_get_expr(p.polqual, p.polrelid),
                                 pg_get_expr(p.polwithcheck, p.polrelid)) LIKE '%app.org_id%'))
    ORDER BY 1
    """
)
COLUMNS_SQL = text(
    """
    SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = :table AND is_generated = 'NEVER'
    ORDER BY ordinal_position
    """
)
# Single-column references out of a table, org_id left aside: (column, referenced table).
REFERENCES_SQL = text(
    """
    SELECT a.attname, t.relname
    FROM pg_constraint k
    JOIN pg_class t ON t.oid = k.confrelid
    JOIN LATERAL unnest(k.conkey, k.confkey) AS pair(mine, theirs) ON true
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = pair.mine
    JOIN pg_attribute b ON b.attrelid = k.confrelid AND b.attnum = pair.theirs
    WHERE k.contype = 'f' AND k.conrelid = CAST(:table AS regclass)
      AND a.attname <> 'org_id' AND b.attname = 'id'
    """
)


def tenant_tables() -> list[str]:
    """Every tenant table in the database: an org_id column or a row-level security policy."""
    return list(db.session.execute(TABLES_SQL).scalars())


def archived_tables() -> list[str]:
    return [t for t in tenant_tables() if t not in NOT_ARCHIVED]


def checked(name: str) -> str:
    """A catalog or manifest name, checked before it is spliced into SQL."""
    if not IDENTIFIER.fullmatch(name):
        raise ValueError(f"unexpected identifier {name!r}")
    return name


@dataclass
class TableShape:
    name: str
    columns: dict[str, str]  # name -> data type, generated columns left out
    refs: dict[str, str] = field(default_factory=dict)  # column -> tenant table it points into
    people: list[str] = field(default_factory=list)  # columns referencing users(id)
    nullable: set[str] = field(default_factory=set)

    @property
    def parents(self) -> set[str]:
        return {t for t in self.refs.values() if t != self.name}


def shape(table: str) -> TableShape:
    checked(table)
    rows = list(db.session.execute(COLUMNS_SQL, {"table": table}))
    found = TableShape(table, {r[0]: r[1] for r in rows}, nullable={r[0] for r in rows if r[2]})
    columns = found.columns
    for column, target in db.session.execute(REFERENCES_SQL, {"table": table}):
        if target == "users":
            found.people.append(column)
        elif target != "organisations":
            found.refs[column] = target
    for (owner, column), target in ID_ARRAYS.items():
        if owner == table and column in columns:
            found.refs[column] = target
    return found


def restore_order(shapes: dict[str, TableShape]) -> list[str]:
    """Tables with the ones they point into first (a self-reference is handled in place)."""
    order: list[str] = []
    waiting = dict(shapes)
    while waiting:
        ready = sorted(n for n, s in waiting.items() if not (s.parents & set(waiting)))
        if not ready:
            raise ValueError(f"circular references between {sorted(waiting)}")
        order += ready
        for name in ready:
            del waiting[name]
    return order
