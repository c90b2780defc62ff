"""Business rules. No Flask request objects here; each use case has one commit point."""
