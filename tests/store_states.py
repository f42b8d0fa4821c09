"""What the fault-injection tests share: versions of a source that differ, and a store's state to compare."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.stores.embedded import EmbeddedStore


def write_version(path: Path, n: int, shift: int) -> Path:
    """N-Triples with ``n`` statements; versions with different ``shift`` share half of them."""
    with open(path, "w", encoding="utf-8") as out:
        for i in range(shift, shift + n):
            out.write(f'<http://example.org/e{i}> <http://example.org/p> "value {i}\\u2028ok"@en .\n')
            if i % 10 == 0:
                out.write(f"_:b{i} <http://example.org/q> <http://example.org/e{i}> .\n")
    return path


def state(home: Path) -> list[str]:
    """Sorted N-Quads of the store after opening it again (as the next user would), load times dropped."""
    kg = EmbeddedStore(home)
    text = kg.oxigraph().dump(format=ox.RdfFormat.N_QUADS) or b""
    kg.close()
    lines = text.decode("utf-8").split("\n")  # not splitlines(): it also splits at U+2028
    # blank node labels differ between loads of the same file: compare them as one placeholder
    out = []
    for line in lines:
        if v.PROV + "generatedAtTime" in line:
            continue
        out.append(" ".join("_:b" if t.startswith("_:") else t for t in line.split(" ")))
    return sorted(out)
