"""The documented memory bound of a load (README, "Stores"): peak RSS at most
``BASE_MIB + PER_FILE_BYTE × size of the largest source``, for a first load and for a reload
whose difference (half the statements) is applied in one transaction.

The load runs in a child process that reports its own peak (``VmHWM``, not ``ru_maxrss``: Linux
carries the forking parent's peak into a child's ``ru_maxrss``, so a big test process would count).
"""

from __future__ import annotations

import subprocess
import sys

from store_states import write_version

#: The bound the README states.
BASE_MIB = 100
PER_FILE_BYTE = 60

CHILD = """
import sys
from pathlib import Path
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.rdf import load_rdf
kg = EmbeddedStore(Path(sys.argv[1]))
for f in sys.argv[2:]:
    kg.load(load_rdf(Path(f), source_id="src"))
kg.close()
hwm = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
print(int(hwm.split()[1]) * 1024)
"""


def test_a_load_and_a_reload_of_a_few_megabytes_stay_within_the_documented_bound(tmp_path):
    v1 = write_version(tmp_path / "v1.nt", 40_000, 0)
    v2 = write_version(tmp_path / "v2.nt", 40_000, 20_000)
    largest = max(v1.stat().st_size, v2.stat().st_size)
    assert largest > 3 * 2**20  # "a few MB": the per-byte part of the bound dominates the base
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "home"), str(v1), str(v2)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    peak = int(proc.stdout.split()[-1])
    assert peak < BASE_MIB * 2**20 + PER_FILE_BYTE * largest, f"peak {peak / 2**20:.0f} MiB"
