"""What every domain uses: the audit log and sending mail."""
