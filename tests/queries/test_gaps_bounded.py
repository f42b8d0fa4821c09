"""``--top`` bounds the work: cohort gaps on a 5,000-member group keep memory small.

Measured in a fresh process (peak RSS from ``resource``) so nothing else the test session holds
counts. Every pair of the group also shares a second initiative, so all 12.5 million pairs score
above zero: holding them (as tuples with their shared lists) would take gigabytes; the
bounded scorer holds one block and the top 20.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, tempfile
    from pathlib import Path
    from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
    from climatekg.graph.stores import open_store
    from climatekg.queries.engine import engine_for
    from climatekg.queries.gaps import cohort_gaps

    n = int(sys.argv[1])
    prov = Provenance("members", "test")
    cities = [f"city/m{i:05d}" for i in range(n)]
    entities = [Entity(c, EntityKind.CITY, c, prov) for c in cities]
    entities += [Entity(g, EntityKind.INITIATIVE, g, prov) for g in ("initiative/big", "initiative/also")]
    relations = [Relation(c, RelationKind.MEMBER_OF, g, prov) for c in cities for g in ("initiative/big", "initiative/also")]
    relations += [Relation(cities[i], RelationKind.PARTNER_OF, cities[i + 1], prov) for i in range(0, n - 1, 2)]
    batch = Batch(Source("members", "members", "test"), entities, relations, digest="members")
    with tempfile.TemporaryDirectory() as home:
        kg = open_store(home=Path(home))
        kg.load(batch)
        engine_for(kg).prepare(kg)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        calls = []
        rows = cohort_gaps(kg, "initiative/big", top=20, progress=lambda done, total: calls.append((done, total)))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"grew_kib": after - before, "rows": [[r.a, r.b, r.adamic_adar] for r in rows],
                          "calls": calls}))
        kg.close()
    """
)


def test_cohort_top_20_of_5000_members_stays_within_a_small_memory_bound():
    n = 5000
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(n)], capture_output=True, text=True, timeout=600, check=True
    )
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    # 12.5 million scored pairs held at once would need well over a gigabyte; a bounded top does not
    assert found["grew_kib"] < 300 * 1024, found["grew_kib"]
    # the answer, by hand: every untied pair shares only "initiative/also" (whose context is its n
    # members), so all score 1/ln(n) and every actor has 3 ties: the first 20 come by ids, skipping
    # the partner pairs (m0, m1), (m2, m3) …
    cities = [f"city/m{i:05d}" for i in range(n)]
    tied = {(cities[i], cities[i + 1]) for i in range(0, n - 1, 2)}
    expected = [(a, b) for b in cities[1:22] for a in cities[:1] if (a, b) not in tied][:20]
    assert [tuple(r[:2]) for r in found["rows"]] == expected
    assert all(abs(r[2] - 1 / math.log(n)) < 1e-9 for r in found["rows"])
    assert found["calls"] and found["calls"][-1][0] == found["calls"][-1][1] == n
