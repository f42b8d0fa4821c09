"""The projection of a store's current data, built once per store version and kept.

The projection is built once per store version (``kg.version()``), kept in memory (one per
store object) and pickled beside the store (``kg.side_path("projection-<version>.pkl")``), so a
new process reuses it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import warnings
import weakref
from pathlib import Path

from climatekg.graph.projection.reader import build_projection
from climatekg.graph.projection.structure import FORMAT, Projection
from climatekg.graph.store import Store

_MEMORY: weakref.WeakKeyDictionary[Store, Projection] = weakref.WeakKeyDictionary()


def projection(kg: Store) -> Projection:
    """The projection of ``kg``'s current data: from memory, else the cache file beside the store, else built.

    One projection is held per store object; a change to the store (a new ``kg.version()``)
    replaces it, and the cache file of the old version is removed.

    Examples:
        >>> proj = projection(kg)
        >>> proj.kind_of(proj.index_of("city/shenzhen"))
        <EntityKind.CITY: 'City'>
        >>> projection(kg) is proj
        True
    """
    version = kg.version()
    held = _MEMORY.get(kg)
    if held is not None and held.version == version and held.base == kg.base:
        return held
    path = _cache_path(kg, version)
    proj = _read_cache(path, version, kg.base)
    if proj is None:
        proj = build_projection(kg, version)
        write_versioned(proj, path, "projection cache")
    _MEMORY[kg] = proj
    return proj


def is_cached(kg: Store) -> bool:
    """Whether ``projection(kg)`` would be quick (held in memory or in a cache file)."""
    version = kg.version()
    held = _MEMORY.get(kg)
    if held is not None and held.version == version:
        return True
    return _cache_path(kg, version).exists()


def _cache_path(kg: Store, version: str) -> Path:
    return kg.side_path(f"projection-{version}.pkl")


def _read_cache(path: Path, version: str, base: str) -> Projection | None:
    try:
        with open(path, "rb") as f:
            # the file is one this library wrote beside the user's own store
            proj = pickle.load(f)  # noqa: S301
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError) as exc:
        warnings.warn(f"ignoring unreadable projection cache {path}: {exc}", stacklevel=3)
        return None
    fits = isinstance(proj, Projection) and proj.format == FORMAT
    return proj if fits and proj.version == version and proj.base == base else None


def write_versioned(obj: object, path: Path, what: str) -> None:
    """Pickle ``obj`` to ``path`` atomically, then drop the files of other versions (same name
    before the first ``-``); a read-only home only warns. ``what`` names the file in the warning."""
    stem = path.name.split("-", 1)[0]
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        warnings.warn(f"could not keep the {what} in {path.parent}: {exc}", stacklevel=3)
        return
    for old in path.parent.glob(f"{stem}-*.pkl"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
