"""Job functions, by area. Each is thin: a wrapper opens the context, a service does the work."""
