"""Exchange rates: the bundled history, the daily feed and conversion."""
