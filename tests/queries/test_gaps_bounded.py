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


BUILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
    from climatekg.graph.stores import open_store
    from climatekg.queries.engine import engine_for

    home, n = Path(sys.argv[1]), int(sys.argv[2])
    prov = Provenance("members", "test")
    cities = [f"city/m{i:05d}" for i in range(n)]
    groups = ("initiative/big", "initiative/also")
    entities = [Entity(c, EntityKind.CITY, c, prov) for c in cities]
    entities += [Entity(g, EntityKind.INITIATIVE, g, prov) for g in groups]
    relations = [Relation(c, RelationKind.MEMBER_OF, g, prov) for c in cities for g in groups]
    kg = open_store(home=home)
    kg.load(Batch(Source("members", "members", "test"), entities, relations, digest="members"))
    engine_for(kg).prepare(kg)
    kg.close()
    """
)


def _dump(home) -> tuple[str, bytes]:
    from climatekg.graph.stores import open_store

    kg = open_store(home=home, read_only=True)
    try:
        return kg.version(), kg.dump_ntriples()
    finally:
        kg.close()


def test_ctrl_c_stops_a_long_cohort_computation_cleanly(tmp_path):
    """SIGINT while the pairs are scored: one line, exit 130, no traceback, the store as it was."""
    import os
    import signal
    import threading
    import time
    from pathlib import Path

    home = tmp_path / "store"
    subprocess.run([sys.executable, "-c", BUILD, str(home), "8000"], check=True, timeout=600)
    before = _dump(home)
    cli = Path(sys.executable).with_name("climatekg")
    # TTY_COMPATIBLE makes rich draw the bar into the pipe: its first frame says scoring has begun
    env = {**os.environ, "TTY_COMPATIBLE": "1"}
    args = [str(cli), "--home", str(home), "gaps", "--kind", "cohort", "--within", "initiative/big"]
    proc = subprocess.Popen(args + ["--top", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    seen = bytearray()

    def read() -> None:
        while chunk := proc.stderr.read1(4096):
            seen.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    deadline = time.monotonic() + 300
    while b"scoring member pairs" not in seen and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert b"scoring member pairs" in seen and proc.poll() is None, "the computation ended before Ctrl-C"
    proc.send_signal(signal.SIGINT)
    # stderr belongs to the reader thread alone: communicate() would race it for the last line
    stdout = proc.stdout.read()
    proc.wait(timeout=120)
    reader.join(timeout=10)
    text = bytes(seen).decode("utf-8", "replace")
    assert proc.returncode == 130, text[-2000:]
    assert (
        "Traceback" not in text and "interrupted while scoring member pairs; nothing was changed" in text
    ), text[-2000:]
    assert b"city/" not in stdout  # no partial answer printed as if it were the answer
    assert _dump(home) == before
