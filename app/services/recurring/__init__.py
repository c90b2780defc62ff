"""Recurring rules, their schedule, posting them and bill reminders."""
