"""A store with the bundled data, for doctests and examples (built once per process)."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any


@cache
def bundled_store() -> Any:
    """An embedded store in a temporary directory, loaded with the bundled data."""
    from climatekg.data import bundled_files
    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.loaders.curated import load_curated

    kg = EmbeddedStore(Path(tempfile.mkdtemp(prefix="climatekg-doctest-")))
    for path in bundled_files():
        kg.load(load_curated(path, store=kg))
    return kg
