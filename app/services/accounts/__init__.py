"""A person's account: sign-in sessions, recovery codes, profile, API and portal tokens."""
