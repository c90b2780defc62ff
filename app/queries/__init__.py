"""SQL aggregates and list queries, shared by the web app, the API and the portal."""
