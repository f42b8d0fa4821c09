"""The explorer's as-of date: reading it from a URL, and keeping only what holds on that day."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from climatekg.graph.model import date_bounds


def parse_as_of(text: str | None) -> str | None:
    """A valid ISO day (``YYYY-MM-DD``) or None; anything else is ignored rather than trusted.

    >>> parse_as_of("2015-12-31"), parse_as_of("2015-13-01"), parse_as_of("<b>")
    ('2015-12-31', None, None)
    """
    if not text or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def valid_on(start: str | None, end: str | None, day: str | None) -> bool:
    """Whether a fact dated ``start``–``end`` (partial dates allowed) holds on ``day``.

    The same rule as ``Relation.valid_on``: open ends always match; no day means no filter.

    >>> valid_on("2015", None, "2015-06-01"), valid_on("2016", None, "2015-06-01")
    (True, False)
    """
    if not day:
        return True
    if start and date_bounds(start)[0] > day:
        return False
    return not (end and date_bounds(end)[1] < day)


def filter_profile(profile: dict[str, Any], as_of: str | None) -> dict[str, Any]:
    """``describe()``'s profile with only the relations that hold on ``as_of``."""
    if not as_of:
        return profile
    groups = {
        kind: kept
        for kind, rows in profile["relations"].items()
        if (kept := [r for r in rows if valid_on(r.get("start"), r.get("end"), as_of)])
    }
    return {**profile, "relations": groups}
