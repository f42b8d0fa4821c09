"""Technologies: who demonstrates or deploys one, who supplies it, and which agreement or
initiative is about it."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import LIST_GAP_RE
from climatekg.loaders.text.patterns.cues import (
    CONCERNS_RE,
    DEMONSTRATE_RE,
    FOR_RE,
    FOR_USER_RE,
    IN_USE_AFTER_RE,
    INSTALL_CUE_RE,
    INSTALLED_BASE_RE,
    OWNED_APPOSITION_RE,
    PLANNED_RE,
    POSSESSIVE_TECH_GAP_RE,
    PROVIDE_RE,
    PROVIDED_BY_RE,
    SUPPLIED_TO_RE,
    TOGETHER_WITH_RE,
    UNDER_END_RE,
    WITH_ACTOR_RE,
)
from climatekg.loaders.text.relations.sentence import ACT, Found, Sentence


def technology(sent: Sentence) -> Iterator[Found]:
    """Actors demonstrate a technology, organisations provide it, agreements concern it."""
    text, slots, tech = sent.text, sent.slots, (EntityKind.TECHNOLOGY,)
    for m in sent.finditer(DEMONSTRATE_RE):
        techs = sent.idx(tech, m.end(), sent.clause_end(m.end()))
        for n in sent.subjects(ACT, m.start()):
            for t in techs:
                for a in slots[n].of(ACT):
                    yield a, RelationKind.DEMONSTRATES, slots[t].of(tech)[0], None, 0.7
        last = slots[techs[-1]].end if techs else 0
        after = sent.idx(ACT, last, sent.clause_end(last), owner=False) if techs else []
        if techs and INSTALL_CUE_RE.match(text, m.start()):
            # "has finished installing a lake-water heat pump for Kuopion Energia": built for its user
            users = [k for k in after if FOR_USER_RE.fullmatch(text, last, slots[k].start)][:1]
            for k in users:
                for t in techs:
                    for a in slots[k].of(ACT):
                        yield a, RelationKind.DEMONSTRATES, slots[t].of(tech)[0], None, 0.6
                    for n in sent.subjects((EntityKind.ORGANISATION,), m.start()):
                        for o in slots[n].of((EntityKind.ORGANISATION,)):
                            yield o, RelationKind.PROVIDES, slots[t].of(tech)[0], None, 0.6
        if techs:  # "… stations in Pune together with the Pune Municipal Corporation": it took part
            for n in after:
                if TOGETHER_WITH_RE.fullmatch(text, last, slots[n].start):
                    for t in techs:
                        for a in slots[n].of(ACT):
                            yield a, RelationKind.DEMONSTRATES, slots[t].of(tech)[0], None, 0.6
        if techs:  # "tested electric taxis with the local start-up X": X took part
            nxt = techs[-1] + 1
            if (
                nxt < len(slots)
                and slots[nxt].of((EntityKind.ORGANISATION,))
                and WITH_ACTOR_RE.fullmatch(text, slots[techs[-1]].end, slots[nxt].start)
            ):
                for t in techs:
                    for o in slots[nxt].of((EntityKind.ORGANISATION,)):
                        yield o, RelationKind.DEMONSTRATES, slots[t].of(tech)[0], None, 0.6
    for m in sent.finditer(PROVIDED_BY_RE):
        clause = sent.clause(m.start())
        techs = sent.idx(tech, clause, m.start())
        orgs = sent.idx((EntityKind.ORGANISATION,), m.end(), min(sent.e, m.end() + 80))
        if orgs and LIST_GAP_RE.fullmatch(text[m.end() : slots[orgs[0]].start]):
            for t in techs:
                for o in slots[orgs[0]].of((EntityKind.ORGANISATION,)):
                    yield o, RelationKind.PROVIDES, slots[t].of(tech)[0], None, 0.75
    for m in sent.finditer(PROVIDE_RE):
        if PROVIDED_BY_RE.match(text, m.start()):
            continue
        end = sent.clause_end(m.end())
        purpose = FOR_RE.search(text, m.end(), end)  # "builds hubs for electric ships": not the ships
        end = purpose.start() if purpose else end
        for n in sent.subjects((EntityKind.ORGANISATION,), m.start()):
            for t in sent.idx(tech, m.end(), end):
                for o in slots[n].of((EntityKind.ORGANISATION,)):
                    yield o, RelationKind.PROVIDES, slots[t].of(tech)[0], None, 0.7
        yield from _supplied_to(sent, sent.idx(tech, m.end(), sent.clause_end(m.end())))
    kinds = (EntityKind.AGREEMENT, EntityKind.INITIATIVE)
    for k in sent.idx((EntityKind.AGREEMENT,), sent.s, sent.e, owner=False):
        # "… will run hydrogen buses under a cooperation agreement", "Under it, the Parties will pool …"
        if UNDER_END_RE.search(text, max(sent.s, slots[k].start - 40), slots[k].start):
            for t in sent.idx(tech, sent.s, sent.e):
                yield slots[k].of(kinds)[0], RelationKind.CONCERNS, slots[t].of(tech)[0], None, 0.55
    for m in sent.finditer(CONCERNS_RE):
        clause, end = sent.clause(m.start()), sent.clause_end(m.end())
        subj = (
            sent.idx(kinds, clause, m.start(), owner=False)[-1:]
            or sent.idx(kinds, m.end(), min(end, m.end() + 60), owner=False)[:1]
        )
        if not subj:
            continue
        for t in sent.idx(tech, max(m.end(), slots[subj[0]].end), end):
            for s_id in slots[subj[0]].of(kinds):
                yield s_id, RelationKind.CONCERNS, slots[t].of(tech)[0], None, 0.7


def possessive_demonstrates(sent: Sentence) -> Iterator[Found]:
    """ "Bergen's harbour ferries already run on batteries": Bergen demonstrates the ferries."""
    text, slots, tech = sent.text, sent.slots, (EntityKind.TECHNOLOGY,)
    for n, sl in enumerate(slots[:-1]):
        nxt = slots[n + 1]
        if not (sl.possessive and sl.of(ACT) and nxt.of(tech)):
            continue
        if not POSSESSIVE_TECH_GAP_RE.fullmatch(text, sl.end, nxt.start):
            continue
        if IN_USE_AFTER_RE.match(text, nxt.end, sent.e):
            for a in sl.of(ACT):
                yield a, RelationKind.DEMONSTRATES, nxt.of(tech)[0], None, 0.6
        elif INSTALLED_BASE_RE.search(text, nxt.start, nxt.end) and not PLANNED_RE.search(
            text, sent.s, nxt.end
        ):
            # "feeds it into Kuopio's district heating network": the network the city has
            for a in sl.of(ACT):
                yield a, RelationKind.DEMONSTRATES, nxt.of(tech)[0], None, 0.5


def _supplied_to(sent: Sentence, techs: list[int]) -> Iterator[Found]:
    """ "supplies 120 fuel-cell buses to Xiamen's public transport company, Xiamen Bus Group": the
    receiver uses what it is supplied with."""
    if not techs:
        return
    text, slots, last = sent.text, sent.slots, techs[-1]
    after = [k for k in range(last + 1, min(last + 3, len(slots))) if slots[k].of(ACT)]
    if not after or not SUPPLIED_TO_RE.fullmatch(text, slots[last].end, slots[after[0]].start):
        return
    user = after[0]
    if (  # "… to Xiamen's public transport company, Xiamen Bus Group": the company, not the city
        slots[user].possessive
        and user + 1 < len(slots)
        and slots[user + 1].of(ACT)
        and OWNED_APPOSITION_RE.fullmatch(text, slots[user].end, slots[user + 1].start)
    ):
        user += 1
    for t in techs:
        for a in slots[user].of(ACT):
            yield a, RelationKind.DEMONSTRATES, slots[t].of((EntityKind.TECHNOLOGY,))[0], None, 0.55
