"""Receipts: files attached to transactions, typed by content, stored behind app/storage.py."""
