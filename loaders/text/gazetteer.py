"""The gazetteer: entities already in the graph, found by name in a text in one linear pass."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from climatekg.graph.model import Entity, EntityKind, normalise_name
from climatekg.loaders.text.patterns.names import NEXT_TOKEN_RE, NON_WORD_RE, TOKEN_RE
from climatekg.loaders.text.words import is_acronym, plural_variants

#: How a name must be spelt in the text to match: as it comes, capitalised, or exactly (acronyms).
_KEEP, _CAPITAL, _EXACT = 0, 1, 2


@dataclass(frozen=True)
class GazetteerEntry:
    """One known entity and every name it goes by."""

    id: str
    kind: EntityKind
    names: tuple[str, ...]
    classification: str | None = None


@dataclass(frozen=True)
class GazetteerMatch:
    """A span of text naming one or more entries (more than one id means ambiguous)."""

    start: int
    end: int
    entries: tuple[GazetteerEntry, ...]


class Gazetteer:
    """Entities already in the graph, looked up by name in a text in one linear pass.

    Names are split into tokens (a CJK character or a run of letters/digits) and stored in a
    trie, so a scan costs one dictionary probe per token of the text whatever the number of
    names. Matching ignores case, spacing and hyphens ("low-carbon" = "Low Carbon"), with two
    guards against common words: acronyms ("MOU", "EV") match only in capitals, and proper
    names (anything but a technology) only when the text spells them with a capital.

    Examples:
        >>> from climatekg.graph.model import Entity, EntityKind, Provenance
        >>> src = Provenance(source="demo", loader="curated")
        >>> gaz = Gazetteer.from_entities([
        ...     Entity("city/shenzhen", EntityKind.CITY, "Shenzhen", src, labels=(("zh", "深圳"),)),
        ...     Entity("tech/heat-pump", EntityKind.TECHNOLOGY, "Heat pump", src),
        ... ])
        >>> [(m.start, m.end, m.entries[0].id) for m in gaz.find_all("深圳 installs heat pumps.")]
        [(0, 2, 'city/shenzhen'), (12, 22, 'tech/heat-pump')]
        >>> [e.id for e in gaz.lookup("  SHENZHEN ")]
        ['city/shenzhen']
    """

    def __init__(self, entries: Iterable[GazetteerEntry] = ()) -> None:
        self._entries: list[GazetteerEntry] = []
        self._index: dict[str, int] = {}
        self._by_name: dict[str, list[int]] = {}
        self._trie: dict = {}
        for entry in entries:
            self.add(entry)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> Gazetteer:
        """A gazetteer of ``entities`` (label, other-language labels and aliases of each)."""
        return cls(
            GazetteerEntry(
                e.id, e.kind, tuple(dict.fromkeys(n for n in e.names() if n.strip())), e.classification
            )
            for e in entities
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(list(self._entries))

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._index

    def get(self, entity_id: str) -> GazetteerEntry | None:
        """The entry with this id, if any."""
        i = self._index.get(entity_id)
        return None if i is None else self._entries[i]

    def add(self, entry: GazetteerEntry) -> None:
        """Add an entry; an id added again gains the new names."""
        if entry.id in self._index:
            i = self._index[entry.id]
            old = self._entries[i]
            new_names = tuple(n for n in entry.names if n not in old.names)
            self._entries[i] = GazetteerEntry(old.id, old.kind, old.names + new_names, old.classification)
        else:
            i = len(self._entries)
            self._index[entry.id] = i
            self._entries.append(entry)
            new_names = entry.names
        for name in new_names:
            variants = [name]
            if entry.kind is EntityKind.TECHNOLOGY:
                variants += plural_variants(name)
            for variant in variants:
                self._insert(variant, i, entry.kind)

    def _insert(self, name: str, i: int, kind: EntityKind) -> None:
        tokens = [t.casefold() for t in TOKEN_RE.findall(name)]
        if not tokens:
            return
        key = normalise_name(name)
        if i not in self._by_name.setdefault(key, []):
            self._by_name[key].append(i)
        if is_acronym(name):
            rule = _EXACT
        elif kind is not EntityKind.TECHNOLOGY and name[:1].isupper():
            rule = _CAPITAL
        else:
            rule = _KEEP
        node = self._trie
        for t in tokens:
            node = node.setdefault(t, {})
        hits = node.setdefault("", [])
        hit = (i, rule, NON_WORD_RE.sub("", name))
        if hit not in hits:
            hits.append(hit)

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Entries with exactly this name (case-, space- and Unicode-form-insensitive)."""
        return [self._entries[i] for i in self._by_name.get(normalise_name(name), [])]

    def find_all(self, text: str) -> list[GazetteerMatch]:
        """Leftmost-longest, non-overlapping matches of every name in ``text``."""
        out: list[GazetteerMatch] = []
        root, entries = self._trie, self._entries
        if not root:
            return out
        next_free = 0
        for m in TOKEN_RE.finditer(text):
            start = m.start()
            if start < next_free:
                continue
            node = root.get(m.group().casefold())
            if node is None:
                continue
            end, best, best_end = m.end(), None, 0
            while True:
                hits = node.get("")
                if hits:
                    ok = [h[0] for h in hits if _accept(h[1], h[2], text, start, end)]
                    if ok:
                        best, best_end = ok, end
                nm = NEXT_TOKEN_RE.match(text, end)
                if nm is None:
                    break
                child = node.get(nm.group(1).casefold())
                if child is None:
                    break
                node, end = child, nm.end()
            if best:
                chosen = tuple(entries[i] for i in dict.fromkeys(best))
                out.append(GazetteerMatch(start, best_end, chosen))
                next_free = best_end
        return out


def _accept(rule: int, squashed: str, text: str, start: int, end: int) -> bool:
    if rule == _KEEP:
        return True
    if rule == _CAPITAL:
        return not text[start].islower()
    return NON_WORD_RE.sub("", text[start:end]) == squashed
