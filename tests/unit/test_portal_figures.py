"""The portal's cached figures share one wrapper, yet each keeps a cache of its own."""

from __future__ import annotations

from streamlit.runtime.caching.cache_type import CacheType
from streamlit.runtime.caching.cache_utils import _make_function_key

from streamlit_portal import data


def test_each_figure_has_its_own_cache_key():
    figures = (data.totals, data.by_category, data.monthly, data.monthly_by_category)
    figures += (data.explorer,)
    keys = {_make_function_key(CacheType.DATA, f.__wrapped__) for f in figures}
    assert len(keys) == len(figures)
