"""Scoring the text extractor against gold annotations (``tests/data/extraction*/*.gold.yaml``).

Predicted entities (new ones, and known ones the text mentions) are matched one-to-one to gold
entities that share a normalised name (label, alias or the surface text of a mention) and the same
kind; relations match when both ends matched and the kind is equal. Gold items marked ``optional``
neither count as missed nor make a prediction wrong. Used by ``tests/loaders/test_text*.py`` and
``bench/score_extraction.py``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from climatekg.data import bundled_files
from climatekg.graph.model import EntityKind, normalise_name
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.curated import load_curated
from climatekg.loaders.text import Extraction, Gazetteer, extract, read_document

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CORPUS = ROOT / "data" / "iclei-shenzhen-mou-cop21.txt"
UNSEEN = DATA / "extraction-unseen"


@dataclass
class Score:
    """One document's scores, and what was missed or wrongly proposed."""

    precision: float
    recall: float
    relation_recall: float
    relation_precision: float
    role_accuracy: float
    missed: list[str]
    wrong: list[str]
    missed_relations: list[str]

    def line(self, name: str) -> str:
        return (
            f"{name:<44} entities P={self.precision:.2f} R={self.recall:.2f}   relations "
            f"R={self.relation_recall:.2f} P={self.relation_precision:.2f}   roles={self.role_accuracy:.2f}"
        )


def score(gold: dict, ex: Extraction, gaz: Gazetteer) -> Score:
    """How well ``ex`` matches the gold annotation ``gold`` (``gaz`` names the known entities)."""
    golds = gold["entities"]
    gold_names = [
        {normalise_name(g["label"]), *(normalise_name(a) for a in g.get("aliases", []))} for g in golds
    ]
    by_name: dict[str, int] = {}
    for i, names in enumerate(gold_names):
        for n in names:
            by_name.setdefault(n, i)
    # what the extractor says each predicted entity is called, and its kind
    names: dict[str, set[str]] = {}
    kinds: dict[str, EntityKind] = {}
    for e in ex.entities:
        names.setdefault(e.id, set()).update(normalise_name(n) for n in e.names())
        kinds[e.id] = e.kind
    for m in ex.mentions:
        names.setdefault(m.entity, set()).add(normalise_name(m.text))
        kinds[m.entity] = m.kind
        entry = gaz.get(m.entity)
        if entry:
            names[m.entity].update(normalise_name(n) for n in entry.names)
    match: dict[str, int] = {}
    taken: set[int] = set()
    for pid in sorted(names, key=lambda p: (p not in {e.id for e in ex.entities}, p)):
        options = [
            i
            for i in sorted({by_name[n] for n in names[pid] if n in by_name})
            if i not in taken and golds[i]["kind"] == kinds[pid].value
        ]
        if options:
            best = max(options, key=lambda i: len(gold_names[i] & names[pid]))
            match[pid] = best
            taken.add(best)
    required = [i for i, g in enumerate(golds) if not g.get("optional")]
    predicted = [p for p in names if not (p in match and golds[match[p]].get("optional"))]
    correct = [p for p in predicted if p in match]
    precision = len(correct) / len(predicted) if predicted else 1.0
    recall = len([i for i in required if i in taken]) / len(required) if required else 1.0

    def gold_index(name: str) -> int:
        return by_name[normalise_name(name)]

    rel_gold = [
        (gold_index(r["subject"]), r["kind"], gold_index(r["object"]), r.get("role"), bool(r.get("optional")))
        for r in gold.get("relations", [])
    ]
    found = {(match.get(r.subject), r.kind.value, match.get(r.object)): r for r in ex.relations}
    hits = [g for g in rel_gold if not g[4] and (g[0], g[1], g[2]) in found]
    required_rel = [g for g in rel_gold if not g[4]]
    gold_keys = {(g[0], g[1], g[2]) for g in rel_gold}
    counted = [k for k in found if k not in {(g[0], g[1], g[2]) for g in rel_gold if g[4]}]
    rel_precision = len([k for k in counted if k in gold_keys]) / len(counted) if counted else 1.0
    with_role = [g for g in hits if g[3]]
    roles_ok = [
        g
        for g in with_role
        if found[(g[0], g[1], g[2])].role
        and normalise_name(found[(g[0], g[1], g[2])].role or "") == normalise_name(g[3])
    ]
    return Score(
        precision,
        recall,
        len(hits) / len(required_rel) if required_rel else 1.0,
        rel_precision,
        len(roles_ok) / len(with_role) if with_role else 1.0,
        missed=[golds[i]["label"] for i in required if i not in taken],
        wrong=[f"{kinds[p].value}:{sorted(names[p])[0]}" for p in predicted if p not in match],
        missed_relations=[
            f"{golds[g[0]]['label']} {g[1]} {golds[g[2]]['label']}"
            for g in required_rel
            if (g[0], g[1], g[2]) not in found
        ],
    )


def read_gold(path: Path) -> dict:
    """A gold annotation file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def gold_document(gold: dict, folder: Path) -> str:
    """The text a gold annotation describes (``corpus:`` names the bundled press release)."""
    ref = gold["document"]
    return read_document(CORPUS if ref.startswith("corpus:") else folder / ref)


@cache
def bundled_gazetteer() -> Gazetteer:
    """The gazetteer of a store holding the bundled data only (as ``climatekg extract`` builds it)."""
    with tempfile.TemporaryDirectory() as home:
        store = EmbeddedStore(Path(home))
        try:
            for path in bundled_files():
                store.load(load_curated(path, store=store))
            return Gazetteer.from_entities(store.entities())
        finally:
            store.close()


def score_folder(folder: Path, gaz: Gazetteer | None = None) -> Iterator[tuple[str, Score]]:
    """Each gold document in ``folder`` (sorted by name) and its score against ``gaz``."""
    gaz = bundled_gazetteer() if gaz is None else gaz
    for path in sorted(folder.glob("*.gold.yaml")):
        gold = read_gold(path)
        name = path.name.removesuffix(".gold.yaml")
        yield name, score(gold, extract(gold_document(gold, folder), gaz, source_id=name), gaz)


def mean(scores: list[Score]) -> tuple[float, float, float]:
    """Mean entity precision, entity recall and relation recall."""
    n = len(scores) or 1
    return (
        sum(s.precision for s in scores) / n,
        sum(s.recall for s in scores) / n,
        sum(s.relation_recall for s in scores) / n,
    )
