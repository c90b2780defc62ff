"""Join the org-entry function and the exports' scope column: they touch different objects
(a SECURITY DEFINER function, a column of `exports`), so nothing is added."""

from tenants import ddl

revision = "0015"
down_revision = ("0014", "0014e")
upgrade = downgrade = ddl.nothing
