"""Transaction summaries: per org, month, kind, category, author and state, kept by triggers.

Figures that grow with an org's history (the dashboard's all-time balance and monthly series,
a budget's spent per period) read `transaction_summaries` instead of every transaction. A row
holds the sum of `base_amount` and the number of transactions with one key: the first day of
their month, kind, category, `created_by` (what the members' own-items rule narrows on) and
both state columns (so `app.queries.counted` decides what counts, on summaries as on rows).

Statement-level triggers on transactions, with transition tables, apply each statement's net
change in the statement itself: an ORM flush, a bulk UPDATE, a recurring posting and a COPY of
a million rows are all one aggregate per statement. The trigger function is SECURITY DEFINER,
owned by outlay_admin (as the other definer functions): the runtime role may only read
summaries, and the function writes exactly the orgs of the rows the statement changed, rows
RLS already let the caller change. Writers of one org take that org's transaction-level
advisory lock (orgs in ascending order) before touching its summaries, and upsert keys in
ascending order: summary row locks are then always taken by one writer of an org at a time,
so concurrent writers cannot deadlock on them whatever order their statements come in.

Revision ID: 0011s
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0011s"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLE = "transaction_summaries"
KEY = "org_id, month, kind, category_id, created_by, status, approval_state"
# A transaction row's key (the same column order as KEY).
ROW_KEY = (
    "org_id, date_trunc('month', date)::date AS month, kind, category_id, created_by, status, "
    "approval_state"
)
LOCK_CLASS = 7011  # advisory locks (LOCK_CLASS, org_id): the summaries of one org
FROM_ROWS = "outlay_summaries_from_rows()"
REBUILD = "outlay_summaries_rebuild()"
TRIGGER_FUNCTION = "outlay_summaries_apply()"
ORG = rls.ORG_EXPR.split(" = ", 1)[1]  # the org the tenant setting names
LOCK_SQL = f"""
FOR org IN SELECT DISTINCT r.org_id FROM ({{rows}}) r ORDER BY 1 LOOP
  PERFORM pg_advisory_xact_lock({LOCK_CLASS}, (org % 2147483647)::integer);
  orgs := orgs || org;
END LOOP;"""


def _apply(rows: str) -> str:
    """Add the net change of `rows` (KEY, base, n) to the summaries, keys in ascending order.
    An org deleted by the statement's cascade is skipped (its summaries cascade too)."""
    return f"""{LOCK_SQL.format(rows=rows)}
INSERT INTO public.{TABLE} AS s ({KEY}, base_total, row_count)
SELECT {KEY}, sum(r.base), sum(r.n)
FROM ({rows}) r
WHERE EXISTS (SELECT FROM public.organisations o WHERE o.id = r.org_id)
GROUP BY {KEY}
HAVING sum(r.n) <> 0 OR sum(r.base) <> 0
ORDER BY {KEY}
ON CONFLICT ({KEY}) DO UPDATE
SET base_total = s.base_total + EXCLUDED.base_total, row_count = s.row_count + EXCLUDED.row_count;
DELETE FROM public.{TABLE} s
WHERE s.row_count = 0 AND s.org_id = ANY (orgs);"""


def _rows(table: str, sign: str) -> str:
    return f"SELECT {ROW_KEY}, {sign}base_amount AS base, {sign}1 AS n FROM {table}"


ADDED, REMOVED = _rows("new_rows", ""), _rows("old_rows", "-")
TRIGGER_BODY = f"""
DECLARE
  org bigint;
  orgs bigint[] := '{{}}';
BEGIN
  IF TG_OP = 'INSERT' THEN
{_apply(ADDED)}
  ELSIF TG_OP = 'DELETE' THEN
{_apply(REMOVED)}
  ELSE
{_apply(f"{ADDED} UNION ALL {REMOVED}")}
  END IF;
  RETURN NULL;
END
"""
REBUILD_BODY = f"""
DECLARE
  target bigint := {ORG};
  written bigint;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION 'no org set: summaries are rebuilt in a tenant context';
  END IF;
  PERFORM pg_advisory_xact_lock({LOCK_CLASS}, (target % 2147483647)::integer);
  DELETE FROM public.{TABLE} s WHERE s.org_id = target;
  INSERT INTO public.{TABLE} ({KEY}, base_total, row_count)
  SELECT {KEY}, base_total, row_count FROM public.{FROM_ROWS} ORDER BY {KEY};
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
"""


def upgrade() -> None:
    rls.create_tenant_table(
        TABLE,
        sa.Column("month", sa.Date, nullable=False),
        ddl.kind(),
        sa.Column("category_id", sa.BigInteger, nullable=False),
        # No foreign key: deleting a user sets transactions.created_by to NULL, and the
        # trigger moves their sums to the NULL author (a SET NULL here would collide).
        sa.Column("created_by", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approval_state", sa.String(10), nullable=False),
        sa.Column("base_total", sa.Numeric, nullable=False),  # NUMERIC: a sum has no bound
        # No CHECK (row_count >= 0): an upsert's proposed row carries the change, which is
        # negative for a delete, and CHECKs are tested before ON CONFLICT finds the row.
        sa.Column("row_count", sa.BigInteger, nullable=False),
        sa.CheckConstraint("month = date_trunc('month', month)::date", name="month_first_day"),
        rls.tenant_fk("category_id", "categories"),
    )
    # Read-only for the runtime role: only the definer functions below write summaries.
    rls.grant_runtime(TABLE, "SELECT")
    op.execute(f"GRANT INSERT, UPDATE, DELETE ON {TABLE} TO {rls.ADMIN_ROLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE {TABLE}_id_seq TO {rls.ADMIN_ROLE}")
    op.execute(f"CREATE UNIQUE INDEX uq_{TABLE}_key ON {TABLE} ({KEY}) NULLS NOT DISTINCT")
    # The rows a change left empty, found without reading the org's other summaries.
    op.execute(f"CREATE INDEX ix_{TABLE}_empty ON {TABLE} (org_id) WHERE row_count = 0")

    # The full recomputation from rows, for the tenant set: what rebuild writes and check
    # compares with (runs with the caller's rights, so RLS applies).
    op.execute(f"""
        CREATE FUNCTION {FROM_ROWS}
        RETURNS TABLE (org_id bigint, month date, kind text, category_id bigint,
                       created_by integer, status text, approval_state text,
                       base_total numeric, row_count bigint)
        LANGUAGE sql STABLE
        SET search_path = pg_catalog, public
        AS $$
          SELECT {ROW_KEY}, sum(base_amount), count(*)
          FROM public.transactions
          WHERE org_id = {ORG}
          GROUP BY 1, 2, 3, 4, 5, 6, 7
        $$
    """)
    op.execute(f"REVOKE ALL ON FUNCTION {FROM_ROWS} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {FROM_ROWS} TO {rls.APP_ROLE}, {rls.ADMIN_ROLE}")

    op.execute(
        ddl.function_sql(
            TRIGGER_FUNCTION, "trigger", TRIGGER_BODY, language="plpgsql", volatility="VOLATILE"
        )
    )
    for event, referencing in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER summaries_{event.lower()} AFTER {event} ON transactions "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}"
        )
    op.execute(
        ddl.function_sql(REBUILD, "bigint", REBUILD_BODY, language="plpgsql", volatility="VOLATILE")
    )
    _backfill()  # as the owner, org by org, before the functions change hands
    ddl.grant_definer(TRIGGER_FUNCTION)
    ddl.grant_definer(REBUILD)


def _backfill() -> None:
    """Existing transactions get their summaries (FORCE RLS applies to the owner: per org)."""
    bind = op.get_bind()
    for (org_id,) in bind.execute(sa.text("SELECT id FROM organisations ORDER BY id")).all():
        bind.execute(sa.text("SELECT set_config('app.org_id', :o, true)"), {"o": str(org_id)})
        bind.execute(sa.text(f"SELECT {REBUILD}"))
    bind.execute(sa.text("SELECT set_config('app.org_id', '', true)"))


def downgrade() -> None:
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS summaries_{event} ON transactions")
    for function in (TRIGGER_FUNCTION, REBUILD, FROM_ROWS):
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_table(TABLE)
