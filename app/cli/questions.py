"""CLI commands that ask questions of the network: path, gaps, neighbours, centrality, communities."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from climatekg.app.cli.console import JsonOpt, err, open_kg, out, print_json
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.gaps import brokers, cohort_gaps, coverage, suggest_partners
from climatekg.queries.paths import path_sentence, shortest_paths, why_no_path
from climatekg.queries.resolve import resolve
from climatekg.queries.structure import centrality as rank_by_centrality
from climatekg.queries.structure import communities as find_communities
from climatekg.queries.structure import neighbours as find_neighbours


class GapKind(StrEnum):
    """What ``climatekg gaps`` looks for."""

    PARTNERS = "partners"
    COVERAGE = "coverage"
    BROKERS = "brokers"
    COHORT = "cohort"


class PairKind(StrEnum):
    """Which actors partner suggestions pair (``queries.pairing.PAIRS``)."""

    CITY_CITY = "city-city"
    CITY_ORGANISATION = "city-organisation"
    ANY = "any"


class Measure(StrEnum):
    """Centrality measures."""

    DEGREE = "degree"
    BETWEENNESS = "betweenness"
    PAGERANK = "pagerank"


def _many(values: list[str] | None) -> list[str] | None:
    """Repeated or comma-separated option values as one list (None when absent)."""
    items = [part.strip() for value in values or [] for part in value.split(",") if part.strip()]
    return items or None


def _prepare(kg: Store) -> None:
    """The engine's one-off work (the embedded store's projection), with a spinner while it runs."""
    engine = engine_for(kg)
    if not engine.ready(kg):
        with err.status("building the graph projection (once per change of the data)…"):
            engine.prepare(kg)


def _say(text: str) -> None:
    out.print(text, markup=False, highlight=False)


# ---- path ----------------------------------------------------------------------------------


def path(
    source: Annotated[str, typer.Argument(metavar="FROM", help="Name, id or Wikidata id.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="Name, id or Wikidata id.")],
    k: Annotated[int, typer.Option("--k", "-k", min=1, help="How many shortest paths.")] = 5,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, help="Longest path considered.")] = 6,
    via_kind: Annotated[
        list[str] | None, typer.Option("--via-kind", help="Entities inside the path must be of these kinds.")
    ] = None,
    avoid_kind: Annotated[
        list[str] | None,
        typer.Option("--avoid-kind", help="Entities inside the path must not be of these kinds."),
    ] = None,
    relation: Annotated[
        list[str] | None, typer.Option("--relation", help="Relation kinds a hop may use.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only relations valid then (YYYY[-MM[-DD]]).")
    ] = None,
    all_paths: Annotated[bool, typer.Option("--all", help="Every simple path up to --max-hops.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """How FROM and TO are connected: ranked paths, each hop with its relation, dates and evidence."""
    kg = open_kg(read_only=True)
    a, b = resolve(kg, source), resolve(kg, target)
    _prepare(kg)
    with err.status("searching paths…"):
        found = shortest_paths(
            kg,
            a,
            b,
            k=k,
            max_hops=max_hops,
            relations=_many(relation),
            via_kinds=_many(via_kind),
            avoid_kinds=_many(avoid_kind),
            as_of=as_of,
            all_paths=all_paths,
        )
    if not found:
        reason = why_no_path(
            kg,
            a,
            b,
            max_hops=max_hops,
            relations=_many(relation),
            via_kinds=_many(via_kind),
            avoid_kinds=_many(avoid_kind),
            as_of=as_of,
        )
        raise ClimateKGError(f"no path between {a} and {b} within {max_hops} hops: {reason}")
    sentences = [path_sentence(kg, p) for p in found]
    if as_json:
        print_json(
            {
                "source": a,
                "target": b,
                "truncated": found.truncated,
                "paths": [p.to_dict() | {"sentence": s} for p, s in zip(found, sentences, strict=True)],
            }
        )
        return
    for i, (p, sentence) in enumerate(zip(found, sentences, strict=True), start=1):
        _say(f"{i}. ({p.length} hop{'s' if p.length != 1 else ''}) {sentence}")
        for hop in p.hops:
            arrow = "→" if hop.direction != "in" else "←"
            when = " – ".join(x for x in (hop.start or "", hop.end or "") if x)
            _say(
                f"   {hop.source} {arrow}{hop.relation}{arrow} {hop.target}"
                + (f" ({when})" if when else "")
                + (f", role: {hop.role}" if hop.role else "")
            )
            for ev in hop.evidence:
                where = ", ".join(x for x in (ev["source"], ev["locator"]) if x)
                quote = f": “{ev['quote']}”" if ev["quote"] else ""
                _say(f"      evidence: {where}{quote}")
    if found.truncated:
        err.print(f"stopped after {len(found):,} paths; lower --max-hops to see them all", markup=False)


# ---- gaps ----------------------------------------------------------------------------------


def gaps(
    for_entity: Annotated[str | None, typer.Option("--for", help="Suggest partners for this entity.")] = None,
    within: Annotated[
        str | None,
        typer.Option("--within", help="The initiative (coverage, cohort; partners among its members)."),
    ] = None,
    kind: Annotated[GapKind, typer.Option("--kind", help="What to look for.")] = GapKind.PARTNERS,
    role: Annotated[str | None, typer.Option("--role", help="cohort: only members with this role.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many results (bounds the work too).")] = 20,
    pair: Annotated[
        PairKind | None,
        typer.Option(
            "--pair",
            help="partners: which actors to pair (default city-city when there are cities, else any; "
            "initiatives, agreements and technologies are never partners).",
        ),
    ] = None,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact", help="brokers: exact betweenness even on a large graph (refused above a size)."
        ),
    ] = False,
    explain: Annotated[
        int, typer.Option("--explain", min=0, help="partners: the rarest shared items shown per suggestion.")
    ] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Partnership gaps: suggested partners, technology coverage, brokers and bridges, cohort gaps."""
    kg = open_kg(read_only=True)
    if kind in (GapKind.COVERAGE, GapKind.COHORT) and not within:
        raise ClimateKGError(f"--kind {kind.value} needs --within INITIATIVE")
    _prepare(kg)
    if kind == GapKind.PARTNERS:
        with _progress("scoring pairs") as progress:
            result: Any = suggest_partners(
                kg, for_entity=for_entity, within=within, top=top, pair=pair and pair.value, progress=progress
            )
    elif kind == GapKind.COHORT:
        with _progress("scoring member pairs") as progress:
            result = cohort_gaps(kg, within or "", role=role, top=top, progress=progress)
    else:
        with err.status(f"looking for {kind.value} gaps…"):
            result = (
                coverage(kg, within or "") if kind == GapKind.COVERAGE else brokers(kg, top=top, exact=exact)
            )
    if as_json:
        print_json(result.to_dict() if hasattr(result, "to_dict") else [r.to_dict() for r in result])
        return
    if kind == GapKind.PARTNERS:
        _show_partners(result, explain)
        return
    {
        GapKind.COVERAGE: _show_coverage,
        GapKind.BROKERS: _show_brokers,
        GapKind.COHORT: _show_cohort,
    }[kind](result)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, advanced by the question's ``progress(done, total)`` calls."""
    with Progress(
        TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            yield advance
        except KeyboardInterrupt:
            # typer turns the interrupt into exit 130 without a word: say what stopped (questions only read)
            bar.stop()
            err.print(f"interrupted while {what}; nothing was changed", markup=False, highlight=False)
            raise


def _show_partners(found: Any, explain: int) -> None:
    if not found:
        _say("no suggestions: every pair in scope is already tied or shares nothing")
    else:
        _say(f"pairs: {found.pair}; {found.candidates:,} candidate pairs scored; score: Adamic-Adar")
    for s in found:
        tie = f"; {s.ties:,} candidates tie at this score" if s.ties > 1 else ""
        _say(
            f"{s.adamic_adar:.3f}  {s.a_label} [{s.a}] — {s.b_label} [{s.b}]  "
            f"(shares {len(s.shared):,} items; resource allocation {s.resource_allocation:.4f}; "
            f"preferential attachment {s.preferential_attachment:,}{tie})"
        )
        shown = s.rarest(explain)
        # a signal that ranked the pair is always shown, however common it is
        shown += [i for i in s.shared if i.weight != 1 and i not in shown]
        for item in shown:
            how = "; ".join(
                f"{who}: {', '.join(via)}" for who, via in ((s.a_label, item.via_a), (s.b_label, item.via_b))
            )
            weight = f", weight {item.weight:.3f}" if item.weight != 1 else ""
            _say(
                f"       shares {item.label} [{item.id}, {item.kind}, held by {item.degree:,}{weight}] — {how}"
            )
        if len(s.shared) > len(shown):
            _say(
                f"       … and {len(s.shared) - len(shown):,} more shared items (the rarest are shown; --json lists all)"
            )
    if any(s.ties > 1 for s in found):
        _say(f"ties: {found.tie_break}")
    for note in found.notes:
        err.print(f"note: {note}", markup=False)


def _show_coverage(cov: Any) -> None:
    _say(
        f"{cov.initiative_label} [{cov.initiative}]: {len(cov.cities)} member cities, {len(cov.technologies)} technologies"
    )
    for note in cov.notes:
        _say(f"note: {note}")
    if cov.cities and cov.technologies:
        table = Table("city", *(t["label"] for t in cov.technologies))
        for c in cov.cities:
            row = cov.matrix.get(c["id"], {})
            table.add_row(c["label"], *("✓" if t["id"] in row else "·" for t in cov.technologies))
        out.print(table)
    for gap in cov.gaps:
        _say(
            f"gap: {gap['city_label']} lacks {gap['technology_label']} (covered by {', '.join(gap['peers'])})"
        )
    for p in cov.providers:
        _say(
            f"provider tied to no city: {p['provider_label']} [{p['provider']}] provides {', '.join(p['technologies'])}"
            + (f"; member cities lacking it: {', '.join(p['cities_lacking'])}" if p["cities_lacking"] else "")
        )


def _show_brokers(found: Any) -> None:
    _say(
        f"betweenness: {found.method}; {found.articulation_points} articulation points, {found.bridge_count} bridges"
    )
    table = Table("betweenness", "entity", "kind", "degree", "articulation point")
    for b in found:
        table.add_row(
            f"{b.betweenness:.4f}",
            f"{b.label} [{b.id}]",
            b.kind,
            str(b.degree),
            "yes" if b.articulation_point else "",
        )
    out.print(table)
    for br in found.bridges:
        _say(
            f"bridge: {br.a_label} [{br.a}] —{'/'.join(br.relations)}— {br.b_label} [{br.b}] "
            f"(removing it cuts off {br.smaller_side} entities)"
        )


def _show_cohort(rows: list[Any]) -> None:
    if not rows:
        _say("no gaps: every pair of members is tied (or there are fewer than two members)")
    for r in rows:
        shared = f"; they share {', '.join(r.shared)}" if r.shared else ""
        _say(f"{r.a_label} [{r.a}] — {r.b_label} [{r.b}]: no bilateral tie{shared}")


# ---- neighbours, centrality, communities ---------------------------------------------------


def neighbours(
    entity: Annotated[str, typer.Argument(help="Name, id or Wikidata id.")],
    hops: Annotated[int, typer.Option("--hops", min=1, help="How far to look.")] = 2,
    relation: Annotated[
        list[str] | None, typer.Option("--relation", help="Only these relation kinds.")
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", help="List only entities of these kinds (the walk still passes through others)."
        ),
    ] = None,
    through_kind: Annotated[
        list[str] | None,
        typer.Option(
            "--through-kind", help="Walk only through entities of these kinds (restricts what is reached)."
        ),
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only relations valid then.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many entities listed.")] = 500,
    as_json: JsonOpt = False,
) -> None:
    """Entities within --hops relations of ENTITY, nearest first (bounded by --limit)."""
    kg = open_kg(read_only=True)
    _prepare(kg)
    nb = find_neighbours(
        kg,
        entity,
        hops=hops,
        relations=_many(relation),
        kinds=_many(kind),
        through_kinds=_many(through_kind),
        as_of=as_of,
        limit=limit,
    )
    if as_json:
        print_json(nb.to_dict())
        return
    for n in nb.nodes:
        _say(f"{n['distance']}  {n['label']} [{n['id']}, {n['kind']}]")
    _say(f"{len(nb.nodes)} entities, {len(nb.edges)} relations")
    if nb.truncated:
        err.print(f"limited to {limit} entities: at least {nb.left_out:,} more were left out", markup=False)


def centrality(
    measure: Annotated[Measure, typer.Option("--measure", help="The centrality measure.")] = Measure.DEGREE,
    top: Annotated[int, typer.Option("--top", min=1, help="How many entities.")] = 20,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact", help="betweenness: exact even above the sampling size (refused above a limit)."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """The most central entities by degree, betweenness or PageRank (the output says when sampled)."""
    kg = open_kg(read_only=True)
    _prepare(kg)
    with err.status(f"computing {measure.value}…"):
        ranking = rank_by_centrality(kg, measure.value, top=top, exact=exact)
    if as_json:
        print_json(ranking.to_dict())
        return
    _say(f"{measure.value}: {ranking.method}")
    table = Table(measure.value, "entity", "kind", "degree", caption=ranking.method)
    for c in ranking:
        table.add_row(f"{c.score:.4g}", f"{c.label} [{c.id}]", c.kind, str(c.degree))
    out.print(table)


def communities(
    top: Annotated[int, typer.Option("--top", min=1, help="How many communities to describe.")] = 20,
    members: Annotated[int, typer.Option("--members", min=1, help="Members listed per community.")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Groups of densely tied entities (Louvain), largest first."""
    kg = open_kg(read_only=True)
    _prepare(kg)
    with err.status("finding communities…"):
        found = find_communities(kg, top=top, members=members)
    if as_json:
        print_json(found.to_dict())
        return
    _say(
        f"{found.method}; modularity {found.modularity:.3f}; {len(set(found.membership.values())):,} communities"
    )
    for c in found:
        kinds = ", ".join(f"{n} {k}" for k, n in c.kinds.items())
        names = "; ".join(m["label"] for m in c.members)
        _say(f"#{c.index + 1}: {c.size} entities ({kinds}): {names}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(path)
    app.command()(gaps)
    app.command()(neighbours)
    app.command()(centrality)
    app.command()(communities)
