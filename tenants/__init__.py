"""Everything about tenancy: organisations, memberships, roles, RLS and the tenant context."""
