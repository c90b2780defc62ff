"""The Streamlit analytics portal, shown inside the web app (see README, "Analytics portal").

`app.py` is the entry script (`streamlit run streamlit_portal/app.py`); `auth` turns the web
app's single-use token into a session identity; `data` runs the SQL aggregates of
`app.queries.analytics` under the tenant context, cached by the org's data version.
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent

# `streamlit run streamlit_portal/app.py` puts this folder first on sys.path, where the entry
# script `app.py` would shadow the `app` package. Every portal module imports this package
# first, so the folder is taken off again before anything imports `app`.
sys.path[:] = [p for p in sys.path if p and Path(p).resolve() != _HERE]
