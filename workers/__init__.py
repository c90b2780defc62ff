"""RQ jobs and queue setup. Nothing runs here yet: the budgets/recurring issue adds the jobs."""
