"""Job functions, by area. Each is thin: a wrapper opens the context, a service does the work.

`load_all()` imports every module here, so each `@jobs.register` has run before a worker takes
its first job (`workers.worker` calls it); a new module is picked up without a list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
