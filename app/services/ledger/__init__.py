"""Transactions, their input, categories, payment methods and saved views."""
