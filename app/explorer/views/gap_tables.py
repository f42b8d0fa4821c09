"""Tables the Gaps page shows, shaped from ``queries.gaps`` results (pure Python, no Streamlit)."""

from __future__ import annotations

from typing import Any


def _via(vias: list[str]) -> str:
    agreements = [v for v in vias if v != "direct"]
    return f" through {', '.join(agreements)}" if agreements else ""


def explain(suggestion: dict[str, Any], rarest: int = 5) -> str:
    """Why two actors are suggested, in words: the ``rarest`` shared items and how each holds them.

    >>> explain({"a_label": "A", "b_label": "B", "shared": [
    ...     {"label": "ICLEI", "kind": "Organisation", "via_a": ["direct"], "via_b": ["agreement/x"]}]})
    'both tied to ICLEI (Organisation; B through agreement/x)'
    """
    parts = []
    shared = suggestion.get("shared", [])
    for item in shared[:rarest]:
        how = "; ".join(
            x
            for x in (
                f"{suggestion['a_label']}{_via(item.get('via_a', []))}"
                if _via(item.get("via_a", []))
                else "",
                f"{suggestion['b_label']}{_via(item.get('via_b', []))}"
                if _via(item.get("via_b", []))
                else "",
            )
            if x
        )
        parts.append(f"{item['label']} ({item['kind']}{'; ' + how if how else ''})")
    more = f" and {len(shared) - rarest:,} more" if len(shared) > rarest else ""
    return "both tied to " + ", ".join(parts) + more if parts else "no shared context recorded"


def partner_rows(suggestions: dict[str, Any]) -> list[dict[str, Any]]:
    """``suggest_partners(...).to_dict()`` as table rows with their explanation."""
    return [
        {
            "partner": s["a_label"],
            "suggested": s["b_label"],
            "why": explain(s),
            "score (Adamic-Adar)": round(float(s["adamic_adar"]), 3),
            "shared items": len(s.get("shared", [])),
            "candidates at this score": s.get("ties", 1),
            "resource allocation": round(float(s["resource_allocation"]), 3),
            "partner id": s["a"],
            "suggested id": s["b"],
        }
        for s in suggestions.get("suggestions", [])
    ]


def coverage_cells(coverage: dict[str, Any]) -> list[dict[str, Any]]:
    """The city × technology matrix of ``coverage(...).to_dict()`` as one row per cell.

    Each row: ``city``, ``technology`` (labels), ``covered`` (0 or 1), ``how`` (why it is
    covered) and the two ids. Every member city and every technology appears, gaps included.

    >>> cov = {"cities": [{"id": "city/s", "label": "S"}], "technologies": [{"id": "tech/t", "label": "T"}],
    ...        "matrix": {"city/s": {"tech/t": ["demonstrates"]}}}
    >>> coverage_cells(cov)[0]["covered"], coverage_cells(cov)[0]["how"]
    (1, 'demonstrates')
    """
    matrix = coverage.get("matrix") or {}
    cities = coverage.get("cities") or [{"id": c, "label": c} for c in sorted(matrix)]
    techs = coverage.get("technologies") or [
        {"id": t, "label": t} for t in sorted({t for row in matrix.values() for t in row})
    ]
    cells = []
    for city in cities:
        row = matrix.get(city["id"], {})
        for tech in techs:
            how = row.get(tech["id"])
            cells.append(
                {
                    "city": city["label"],
                    "technology": tech["label"],
                    "covered": int(bool(how)),
                    "how": "; ".join(how) if isinstance(how, list) else str(how or ""),
                    "city id": city["id"],
                    "technology id": tech["id"],
                }
            )
    return cells


def gap_rows(coverage: dict[str, Any]) -> list[dict[str, Any]]:
    """The coverage gaps: a city lacking a technology that peers in the initiative cover."""
    return [
        {
            "city": g.get("city_label", g["city"]),
            "lacks": g.get("technology_label", g["technology"]),
            "covered by peers": "; ".join(g.get("peers", [])),
        }
        for g in coverage.get("gaps", [])
    ]


def broker_rows(found: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``brokers(...).to_dict()`` as two tables: brokers, and bridges (ties that join groups)."""
    brokers = [
        {
            "broker": b["label"],
            "kind": b["kind"],
            "betweenness": round(float(b["betweenness"]), 4),
            "degree": b["degree"],
            "cut point": "yes" if b["articulation_point"] else "",
            "id": b["id"],
        }
        for b in found.get("brokers", [])
    ]
    bridges = [
        {
            "between": b["a_label"],
            "and": b["b_label"],
            "relations": ", ".join(b["relations"]),
            "entities cut off without it": b["smaller_side"],
        }
        for b in found.get("bridges", [])
    ]
    return brokers, bridges


def cohort_rows(gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``cohort_gaps`` records as table rows."""
    return [
        {
            "member": g["a_label"],
            "other member": g["b_label"],
            "roles": "; ".join(g.get("roles_a", [])) + " / " + "; ".join(g.get("roles_b", [])),
            "already share": "; ".join(g.get("shared", [])),
            "score (Adamic-Adar)": round(float(g.get("adamic_adar", 0.0)), 3),
        }
        for g in gaps
    ]
