"""Join the exports, token-seat and approvals branches. Nothing to add: the exports migration
grants its own column (`fiscal_year_start`) and the others create only their own tables.
"""

from tenants import ddl

revision = "0010"
down_revision = ("0008x_exports", "0009ap", "0009t")
upgrade = downgrade = ddl.nothing
