"""What every domain uses: the audit log, loading the org's rows, and sending mail."""
