"""Budgets and the alerts when spending nears or passes them."""
