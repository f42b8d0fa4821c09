"""Mention finding: every name a pattern proposes in a text — capitalised runs, acronyms defined
in brackets, numbered and ordinal events, people after an honorific, cities after a cue or in a
list, Chinese names, national branches of known organisations — before any is linked."""

from __future__ import annotations

from climatekg.graph.model import EntityKind, normalise_name
from climatekg.loaders.text import scan
from climatekg.loaders.text.candidates import (
    MAX_NAME_TOKENS,
    Candidate,
    NameClassifier,
    has_head,
    name_tokens,
    namelike,
    span_text,
    trim,
)
from climatekg.loaders.text.gazetteer import GazetteerMatch
from climatekg.loaders.text.patterns.names import (
    ACRONYM_DEF_RE,
    CJK_RE,
    CONNECTORS,
    GENERIC_AGREEMENTS,
    NAME_RUN_RE,
    NON_DIGIT_RE,
    NUMBERED_EVENT_RE,
    ORDINAL_EVENT_RE,
    ORDINAL_WORDS,
    WORD_PART_SEP_RE,
    branch_re,
)
from climatekg.loaders.text.patterns.people import HONORIFIC_RE
from climatekg.loaders.text.patterns.places import (
    CITY_LIST_RE,
    COMMA_RE,
    DATELINE_RE,
    EVENT_IN_RE,
    LIST_SEP_RE,
    PLACE_CUE_RE,
    PLACES,
)
from climatekg.loaders.text.patterns.zh import (
    ZH_AGREEMENT_RE,
    ZH_HEADS,
    ZH_HEADS_LONGEST_FIRST,
    ZH_NAME_RE,
    ZH_SIGN_RE,
)
from climatekg.loaders.text.words import is_acronym


def find_candidates(text: str, sentences: list[tuple[int, int]]) -> list[Candidate]:
    """Every candidate name in ``text`` (split into ``sentences``) that a pattern finds.

    Candidates may overlap; the extractor keeps the longest (then the highest priority).

    Examples:
        >>> text = "Mayor Helen Varga of Northbridge joined the Clean Air Collaborative."
        >>> sorted((c.label, c.kind.value) for c in find_candidates(text, [(0, len(text))]))
        [('Clean Air Collaborative', 'Initiative'), ('Helen Varga', 'Person'), ('Northbridge', 'City')]
    """
    return _Finder(text, sentences).find()


def branch_candidates(text: str, candidates: list[Candidate], gaz: list[GazetteerMatch]) -> list[Candidate]:
    """'ICLEI USA', 'ICLEIUSA': national branches of an organisation named in ``text`` by an acronym."""
    short = {a for c in candidates if c.kind is EntityKind.ORGANISATION for a in c.aliases if is_acronym(a)}
    for m in gaz:
        for entry in m.entries:
            if entry.kind is EntityKind.ORGANISATION:
                short.update(n for n in entry.names if is_acronym(n))
    if not short:
        return []
    out = []
    for b in scan.finditer(branch_re(short), text):
        label = f"{b.group(1)} {b.group(2)}"
        aliases = (b.group(),) if b.group() != label else ()
        out.append(Candidate(b.start(), b.end(), EntityKind.ORGANISATION, label, 0.75, 4, aliases))
    return out


class _Finder:
    """The pattern-based finders, run over one text."""

    def __init__(self, text: str, sentences: list[tuple[int, int]]) -> None:
        self.text = text
        self.sentences = sentences
        self.names = NameClassifier(text)

    def find(self) -> list[Candidate]:
        """Every candidate name a pattern finds, overlapping ones included."""
        text = self.text
        runs = [(m.start(), m.end()) for m in NAME_RUN_RE.finditer(text)]
        out: list[Candidate] = []
        by_start = {s: e for s, e in runs}
        by_end = {e: s for s, e in runs}
        for s, e in runs:
            out += self.names.run_candidates(name_tokens(text, s, e))
        out += self._acronym_candidates(by_end)
        out += self._event_candidates()
        out += self._person_candidates()
        out += self._place_candidates(runs, by_start)
        if CJK_RE.search(text) is not None:
            out += self._zh_candidates()
        return out

    def _acronym_candidates(self, by_end: dict[int, int]) -> list[Candidate]:
        text = self.text
        out: list[Candidate] = []
        for m in scan.finditer(ACRONYM_DEF_RE, text):
            acr = m.group(1)
            if sum(ch.isupper() for ch in acr) < 2:
                continue
            end = m.start()
            while end > 0 and text[end - 1] in " \t":
                end -= 1
            start = by_end.get(end)
            if start is None:
                continue
            toks = trim(name_tokens(text, start, end))[-MAX_NAME_TOKENS:]
            for i in range(len(toks)):
                sub = toks[i:]
                if sub[0][2].casefold() in CONNECTORS or not _acronym_fits(acr, [w for _, _, w in sub]):
                    continue
                found = [c for c in self.names.classify(sub) if c.start == sub[0][0] and c.end == sub[-1][1]]
                if found:
                    cand = found[0]
                    cand.aliases = (*cand.aliases, acr)
                    cand.priority, cand.confidence = 4, max(cand.confidence, 0.85)
                else:
                    generic = GENERIC_AGREEMENTS.get(acr.casefold())
                    kind = EntityKind.AGREEMENT if generic else EntityKind.ORGANISATION
                    cand = Candidate(
                        sub[0][0],
                        sub[-1][1],
                        kind,
                        span_text(text, sub),
                        0.6,
                        4,
                        (acr,),
                        None,
                        generic=generic,
                    )
                out.append(cand)
                break
        return out

    def _event_candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for m in scan.finditer(ORDINAL_EVENT_RE, self.text):
            ordinal = m.group("ord").casefold()
            number = int(NON_DIGIT_RE.sub("", ordinal)) if ordinal[0].isdigit() else ORDINAL_WORDS[ordinal]
            name_toks = name_tokens(self.text, m.start("name"), m.end("name"))
            if not name_toks or not all(
                w[:1].isupper() or w.casefold() in CONNECTORS for _, _, w in name_toks
            ):
                continue
            start = m.start("ord")
            alias = " ".join(self.text[start : m.end("name")].split())
            acr = m.group("acr")
            label = f"{acr}{number}" if acr and acr.isupper() else alias
            out.append(Candidate(start, m.end("name"), EntityKind.EVENT, label, 0.85, 5, (alias,)))
        for m in scan.finditer(NUMBERED_EVENT_RE, self.text):
            label = f"{m.group(1)}{int(m.group(2))}"
            out.append(Candidate(m.start(), m.end(), EntityKind.EVENT, label, 0.85, 5, (m.group(),)))
        return out

    def _person_candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for m in scan.finditer(HONORIFIC_RE, self.text):
            name = name_tokens(self.text, m.start(1), m.end(1))
            while name and not namelike(name[-1][2]):
                name = name[:-1]
            if not name or not namelike(name[0][2]):
                continue
            honorific = self.text[m.start() : m.start(1)].strip().rstrip(".") + "."
            if len(name) == 1:
                label = f"{honorific} {name[0][2]}"
                out.append(
                    Candidate(m.start(), name[0][1], EntityKind.PERSON, label, 0.85, 4, surname=name[0][2])
                )
            else:
                out.append(
                    Candidate(m.start(), name[-1][1], EntityKind.PERSON, span_text(self.text, name), 0.85, 4)
                )
        return out

    def _place_candidates(self, runs: list[tuple[int, int]], by_start: dict[int, int]) -> list[Candidate]:
        text = self.text
        out: list[Candidate] = []

        def place_at(pos: int, confidence: float) -> Candidate | None:
            end = by_start.get(pos)
            if end is None:
                return None
            toks = name_tokens(text, pos, end)
            # "town of Mejillones and the Atacama Hydrogen Council": the place ends at "and"
            cut = next((i for i, (_, _, w) in enumerate(toks) if w.casefold() in CONNECTORS), len(toks))
            toks = toks[:cut]
            if has_head(toks):
                return None
            if not toks or len(toks) > 3 or not all(namelike(w) or w.isupper() for _, _, w in toks):
                return None
            return self.names.place(toks, confidence)

        for cue_re, confidence in ((PLACE_CUE_RE, 0.6), (EVENT_IN_RE, 0.6)):
            for m in scan.finditer(cue_re, text):
                cand = place_at(m.end(), confidence)
                if cand:
                    out.append(cand)
        for m in scan.finditer(CITY_LIST_RE, text):
            pos = m.end()
            for _ in range(50):  # a list of at most 50 runs: "A, B, C and D"
                end = by_start.get(pos)
                if end is None:
                    break
                items: list[list[tuple[int, int, str]]] = [[]]
                for t in name_tokens(text, pos, end):
                    if t[2].casefold() in ("and", "&"):
                        items.append([])
                    else:
                        items[-1].append(t)
                good = [
                    it
                    for it in items
                    if it and len(it) <= 3 and not has_head(it) and all(namelike(w) for _, _, w in it)
                ]
                out += [self.names.place(it, 0.65) for it in good]
                sep = LIST_SEP_RE.match(text, end)
                if len(good) < len(items) or sep is None:
                    break
                pos = sep.end()
        for s, e in runs:
            label = " ".join(text[s:e].split())
            if normalise_name(label) in PLACES:
                out.append(Candidate(s, e, EntityKind.PLACE, label, 0.7, 2))
                continue
            sep = COMMA_RE.match(text, e)
            nxt = by_start.get(sep.end()) if sep else None
            if sep and nxt is not None and normalise_name(text[sep.end() : nxt]) in PLACES:
                cand = place_at(s, 0.6)
                if cand and cand.end == e and cand.kind is EntityKind.CITY:
                    out.append(cand)
        for m in scan.finditer(DATELINE_RE, text):
            label = m.group(1).title()
            if normalise_name(label) not in PLACES:
                out.append(Candidate(m.start(1), m.end(1), EntityKind.CITY, label, 0.6, 2))
        return out

    def _zh_candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for s, e in self.sentences:
            if not CJK_RE.search(self.text, s, e):
                continue
            for m in ZH_NAME_RE.finditer(self.text, s, e):
                name = m.group()
                head = next(h for h in ZH_HEADS_LONGEST_FIRST if name.endswith(h))
                if len(name) <= len(head) + 1:
                    continue
                out.append(Candidate(m.start(), m.end(), ZH_HEADS[head], name, 0.7, 3, zh=True))
            sign = ZH_SIGN_RE.search(self.text, s, e)
            if sign:
                for m in ZH_AGREEMENT_RE.finditer(self.text, sign.end(), e):
                    out.append(
                        Candidate(
                            m.start(),
                            m.end(),
                            EntityKind.AGREEMENT,
                            m.group(),
                            0.7,
                            3,
                            generic=GENERIC_AGREEMENTS[m.group()],
                            zh=True,
                        )
                    )
                    break
        return out


def _acronym_fits(acr: str, words: list[str]) -> bool:
    letters = [c for c in acr.casefold() if c.isalnum()]
    parts = [p for w in words for p in WORD_PART_SEP_RE.split(w) if p]
    if not letters or not parts or parts[0][0].casefold() != letters[0]:
        return False
    joined = " ".join(parts).casefold()
    pos = 0
    for ch in letters:
        pos = joined.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    initials = sum(1 for p in parts if p[0].isupper())
    return initials <= len(letters) + 2
