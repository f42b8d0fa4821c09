"""Review memory: the key that names a candidate across runs, the candidates a person rejected
(kept beside the store so later runs do not propose them again), and the mark of a source whose
candidates a person accepted."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from climatekg.graph.errors import LoadError
from climatekg.graph.model import Entity, Relation, normalise_name
from climatekg.graph.store import Store
from climatekg.loaders.text.extractor import Extraction

REVIEWED = "text-review:"  # digest prefix of a source whose candidates a person accepted
#: The review memory's file, kept beside the store (``Store.side_path``).
REJECTIONS_FILE = "rejected-candidates.json"


def candidate_key(record: Entity | Relation) -> str:
    """A key that names a candidate across runs (kind, ids and role; never offsets).

    Examples:
        >>> from climatekg.graph.model import Provenance, Relation, RelationKind
        >>> prov = Provenance(source="a", loader="text", locator="chars 0-9")
        >>> candidate_key(Relation("person/x", RelationKind.WORKS_FOR, "city/y", prov, role="Mayor"))
        'relation|works_for|person/x|city/y|mayor'
    """
    if isinstance(record, Relation):
        role = normalise_name(record.role) if record.role else ""
        return f"relation|{record.kind.value}|{record.subject}|{record.object}|{role}"
    return f"entity|{record.kind.value}|{record.id}"


class Rejections:
    """Candidate keys a person rejected, kept beside the store so later runs do not propose them."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def beside(cls, kg: Store) -> Rejections:
        """The review memory kept beside ``kg``'s data."""
        return cls(kg.side_path(REJECTIONS_FILE))

    def keys(self) -> set[str]:
        """Every rejected candidate key (none before the first rejection)."""
        try:
            return set(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return set()
        except (OSError, ValueError) as exc:
            raise LoadError(str(self.path), f"unreadable review memory ({exc})") from None

    def add(self, keys: Iterable[str]) -> None:
        """Remember ``keys`` as rejected, with those rejected before."""
        merged = sorted(self.keys() | set(keys))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)  # atomic: a crash never leaves half a file


def without(extraction: Extraction, rejected: set[str]) -> Extraction:
    """``extraction`` minus rejected candidates, and minus relations to a rejected new entity."""
    entities = [e for e in extraction.entities if candidate_key(e) not in rejected]
    dropped = {e.id for e in extraction.entities} - {e.id for e in entities}
    relations = [
        r
        for r in extraction.relations
        if candidate_key(r) not in rejected and r.subject not in dropped and r.object not in dropped
    ]
    mentions = [m for m in extraction.mentions if m.entity not in dropped]
    return Extraction(entities, relations, mentions)
