"""Prepare the explorer's home page for the current data: ``python -m climatekg.app.explorer.prepare``.

``make app`` runs it after loading, so that the first visit finds the home overview ready
(``views/home_overview.py``; minutes of reading on the twin cities otherwise). The store is
``CLIMATEKG_STORE`` or the embedded one in ``CLIMATEKG_HOME``, as for the explorer. A module of
its own, not a ``__main__`` block of ``home_overview``: what it pickles must name that module.
"""

from __future__ import annotations

import os

from climatekg.app.explorer.views.home_overview import home_overview
from climatekg.graph.stores import default_home, open_store


def main() -> None:
    """Compute (or find) the home overview of the explorer's store and say which data version it is for."""
    kg = open_store(os.environ.get("CLIMATEKG_STORE") or None, home=default_home(), read_only=True)
    overview = home_overview(kg)
    print(f"home overview ready for data version {overview.version}")


if __name__ == "__main__":
    main()
