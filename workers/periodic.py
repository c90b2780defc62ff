"""The periodic jobs, declared as data: (job path, queue, every N seconds).

`rq cron workers.cron` registers each of them; add a line here for a new periodic job.
"""

from __future__ import annotations

from workers.queues import DEFAULT, MAIL

PERIODIC: list[tuple[str, str, int]] = [
    ("workers.jobs.recurring.materialise_all", DEFAULT, 300),
    ("workers.jobs.reminders.send_due_all", DEFAULT, 1800),
    ("workers.jobs.budgets.check_all", DEFAULT, 3600),  # safety run behind the save trigger
    ("workers.jobs.mail.send_digests", MAIL, 24 * 3600),  # the daily digest
    ("workers.jobs.rates.refresh_rates", DEFAULT, 6 * 3600),  # the ECB publishes ~16:00 CET
    ("workers.jobs.orgs.purge_deleted_orgs", DEFAULT, 3600),  # after the grace period
    ("workers.jobs.exports.purge_all", DEFAULT, 24 * 3600),  # expired export files
    # Hourly, yet once per approver per day (the notification's dedupe key names the day).
    ("workers.jobs.approvals.send_approval_digests", MAIL, 3600),
    ("workers.jobs.ledger.purge_trash_all", DEFAULT, 6 * 3600),  # after OUTLAY_TRASH_DAYS
]

__all__ = ["DEFAULT", "PERIODIC"]
