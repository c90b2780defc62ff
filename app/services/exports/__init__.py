"""Exports: the filtered list as CSV, XLSX and PDF, reports, export jobs and the org archive."""
