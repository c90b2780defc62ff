"""DDL pieces the migrations share: timestamp and user columns, SECURITY DEFINER functions.

Old revisions call these, so a change here changes what an old revision does: change one only
in a way that keeps its output (compare `pg_dump --schema-only` of a database migrated before
and after), and give a new shape a new parameter or a new helper.
"""

from __future__ import annotations

import textwrap
from typing import Any

import sqlalchemy as sa
from alembic import op

from tenants.rls import ADMIN_ROLE, APP_ROLE

TS = sa.DateTime(timezone=True)
KIND = "kind IN ('income', 'expense')"
# The user a definer function acts for: the transaction's app.user_id, as RLS reads it.
USER_EXPR = "NULLIF(current_setting('app.user_id', true), '')::integer"


def stamp(name: str = "created_at") -> sa.Column[Any]:
    """A timestamp column the database fills with the time of the insert."""
    return sa.Column(name, TS, nullable=False, server_default=sa.func.now())


def user_ref(
    name: str = "user_id", *, ondelete: str | None = "CASCADE", nullable: bool = False, **kw: Any
) -> sa.Column[Any]:
    """A column pointing at users (global, so a plain foreign key, not a tenant one)."""
    return sa.Column(
        name, sa.Integer, sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable, **kw
    )


def acted_by(name: str) -> sa.Column[Any]:
    """A user who did something to a row (created, approved, uploaded it); deleting the user
    keeps the row, with NULL here."""
    return user_ref(name, ondelete="SET NULL", nullable=True)


def created_by() -> sa.Column[Any]:
    """Who created a row; deleting the user keeps the row."""
    return acted_by("created_by")


def kind() -> sa.Column[Any]:
    """Income or expense (checked where the table says which it allows)."""
    return sa.Column("kind", sa.String(8), nullable=False)


def money(name: str = "amount", *, nullable: bool = False) -> sa.Column[Any]:
    """An amount: NUMERIC(19, 4), never a float."""
    return sa.Column(name, sa.Numeric(19, 4), nullable=nullable)


def currency() -> sa.Column[Any]:
    """An ISO 4217 code."""
    return sa.Column("currency", sa.String(3), nullable=False)


def authorship() -> list[sa.Column[Any]]:
    """Who created a row, when, and when it last changed."""
    return [created_by(), stamp(), stamp("updated_at")]


def posting_checks() -> list[sa.CheckConstraint]:
    """What a transaction and a recurring rule (which posts transactions) both hold."""
    return [
        sa.CheckConstraint(KIND, name="kind_known"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        sa.CheckConstraint("cardinality(tags) <= 10", name="tags_count"),
    ]


def category_fk(table: str, kind_column: str = "kind") -> sa.ForeignKeyConstraint:
    """The category is in the same org and has the row's kind (income or expense)."""
    return sa.ForeignKeyConstraint(
        ["org_id", "category_id", kind_column],
        ["categories.org_id", "categories.id", "categories.kind"],
        name=f"fk_{table}_category",
    )


def function_sql(
    signature: str,
    returns: str,
    body: str,
    *,
    language: str = "sql",
    volatility: str = "STABLE",
    replace: bool = False,
) -> str:
    """CREATE FUNCTION for a SECURITY DEFINER function with a pinned search_path.

    `body` is written without indentation; it is stored indented as the migrations always wrote
    it (plpgsql blocks level with `AS $$`, a plain SQL statement two spaces in), since the
    function's source is kept to the character.
    """
    indent = " " * (8 if language == "plpgsql" else 10)
    source = textwrap.indent(textwrap.dedent(body).strip("\n"), indent)
    create = "CREATE OR REPLACE FUNCTION" if replace else "CREATE FUNCTION"
    return (
        f"\n        {create} {signature}\n        RETURNS {returns}\n"
        f"        LANGUAGE {language} {volatility} SECURITY DEFINER\n"
        "        SET search_path = pg_catalog, public\n"
        f"        AS $$\n{source}\n        $$\n        "
    )


def argument_types(signature: str) -> str:
    """`f(a text, b bigint)` -> `f(text, bigint)`: how ALTER, GRANT and DROP name a function."""
    name, _, arguments = signature.partition("(")
    types = [argument.split()[-1] for argument in arguments.rstrip(")").split(",") if argument]
    return f"{name}({', '.join(types)})"


def grant_definer(signature: str, owner: str | None = ADMIN_ROLE) -> None:
    """Owned by `owner` (None: stays the schema owner's), callable by the runtime role only."""
    named = argument_types(signature)
    if owner:
        op.execute(f"ALTER FUNCTION {named} OWNER TO {owner}")
    op.execute(f"REVOKE ALL ON FUNCTION {named} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {named} TO {APP_ROLE}")


def create_definer(
    signature: str, returns: str, body: str, *, owner: str | None = ADMIN_ROLE, **kw: Any
) -> None:
    op.execute(function_sql(signature, returns, body, **kw))
    grant_definer(signature, owner)


ACCESS_FUNCTION = "outlay_token_access(token_digest text, org_slug text)"
ACCESS_RETURNS = (
    "TABLE (user_id integer, org_id bigint, org_name text, base_currency text, role text{})"
)
# What 0009t added to each answer: the org's slug and time zone (returned, selected, the
# no-answer row's NULLs).
TOKEN_SEAT_COLUMNS = (
    ", slug text, time_zone text",
    ", o.slug::text, o.time_zone::text",
    ", NULL::text, NULL::text",
)


def token_access_sql(
    member_join: str,
    org_filter: str,
    no_answer: str,
    *,
    replace: bool = False,
    extra: tuple[str, str, str] = ("", "", ""),
    touch: bool = True,
) -> str:
    """outlay_token_access as revisions 0002, 0005, 0006d, 0009t and 0017 wrote it: a live
    token's user, and the org and role the slug names. They differ in how the membership joins
    (`member_join`), which orgs answer (`org_filter`), the comment on the no-answer row,
    (0009t) the columns each answer has besides (`extra`: TOKEN_SEAT_COLUMNS), and (0017)
    whether the function records the token's use itself (`touch`) or answers when it was last
    recorded (`token_used`, for `extra` to return) for the app to record on its own."""
    returns, columns, nulls = extra
    if touch:
        declared, into = "", "SELECT t.user_id INTO token_user"
        recorded = """
          UPDATE public.api_tokens t SET last_used_at = now()
          WHERE t.digest = token_digest AND t.revoked_at IS NULL
            AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '5 minutes');"""
    else:
        declared = "\n          token_used timestamptz;"
        into, recorded = "SELECT t.user_id, t.last_used_at INTO token_user, token_used", ""
    # The parts are constants of the migrations, never input.
    body = f"""
        DECLARE
          token_user integer;{declared}
        BEGIN{recorded}
          {into} FROM public.api_tokens t
          JOIN public.users u ON u.id = t.user_id AND u.active
          WHERE t.digest = token_digest AND t.revoked_at IS NULL;
          IF token_user IS NULL THEN
            RETURN;
          END IF;
          RETURN QUERY
            SELECT token_user, o.id, o.name::text, o.base_currency::text, m.role::text{columns}
            FROM public.organisations o
            {member_join} public.memberships m ON m.org_id = o.id AND m.user_id = token_user
            WHERE {org_filter};
          IF NOT FOUND THEN  -- {no_answer}
            RETURN QUERY SELECT token_user, NULL::bigint, NULL::text, NULL::text, NULL::text{nulls};
          END IF;
        END
        """  # noqa: S608
    return function_sql(
        ACCESS_FUNCTION,
        ACCESS_RETURNS.format(returns),
        body,
        language="plpgsql",
        volatility="VOLATILE" if touch else "STABLE",
        replace=replace,
    )


def nothing() -> None:
    """A merge migration's upgrade and downgrade: joining heads changes no schema."""
