"""The link-prediction benchmark hides the same ties for the same seed, and other ties for another.

Every method is scored on one split, and a reported figure names its seed, so the split must be
a function of the seed alone. Checked on both networks the benchmark uses.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from climatekg.graph.model import RelationKind as R

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_link_prediction.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_link_prediction", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _pairs(batch) -> set[frozenset[str]]:
    return {frozenset((r.subject, r.object)) for r in batch.relations if r.kind == R.PARTNER_OF}


def test_the_membership_split_depends_on_the_seed_alone():
    bench = _bench()
    first, again, other = (bench.memberships(seed, 400) for seed in (3, 3, 4))
    assert first.hidden == again.hidden and _pairs(first.reduced) == _pairs(again.reduced)
    assert set(first.hidden) != set(other.hidden)
    for net in (first, other):
        kept = _pairs(net.reduced)
        hidden = {frozenset(t) for t in net.hidden}
        assert len(hidden) == int(net.ties * 0.10) and not hidden & kept
        assert len(hidden) + len(kept) == net.ties
        # the baselines see exactly the loaded ties between cities
        G_ties = {frozenset(e) for e in net.G.edges if all(n.startswith("city/") for n in e)}
        assert G_ties == kept


def test_the_twin_cities_split_depends_on_the_seed_alone():
    bench = _bench()
    first, again, other = (bench.twin_cities(seed) for seed in (3, 3, 4))
    assert first.hidden == again.hidden
    assert [e.id for e in first.reduced.entities] == [e.id for e in again.reduced.entities]
    assert set(first.hidden) != set(other.hidden)
    for net in (first, other):
        assert len(net.hidden) == int(net.ties * 0.10)
        # a hidden agreement is gone from what is loaded: its two cities are no co-parties there
        parties: dict[str, set[str]] = {}
        for r in net.reduced.relations:
            if r.kind == R.PARTY_TO:
                parties.setdefault(r.object, set()).add(r.subject)
        loaded = {frozenset(p) for p in parties.values() if len(p) == 2}
        assert not {frozenset(t) for t in net.hidden} & loaded
        assert not any(net.G.has_edge(a, b) for a, b in net.hidden)
