"""Orgs, their members, invitations and joining, and an org's lifecycle."""
