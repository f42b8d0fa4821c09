"""Which committed data the endpoint serves: a cheap stamp of the store's files, checked per request.

A read-only Oxigraph store sees the data as it was when opened, so after a ``climatekg load``
the endpoint must open the store again. Listing the store's files (names, sizes, modification
times) costs a few microseconds and changes with every commit, so the server compares it on
each request, reopens when it changed, and hands the workers a new generation number: a worker
reopens before its next job and reports the version it answered from.
"""

from __future__ import annotations

import os
from pathlib import Path


def store_stamp(location: str) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the embedded store's files (``home/store``).

    RocksDB's own log files (``LOG*``) are left out: opening the store read-only may write them.
    """
    folder = Path(location) / "store"
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    stamp = []
    for e in entries:
        if e.name.startswith("LOG"):
            continue
        try:
            st = e.stat()
        except OSError:  # compacted away while listing
            continue
        stamp.append((e.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(stamp))
