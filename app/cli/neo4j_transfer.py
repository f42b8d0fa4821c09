"""CLI commands: ``climatekg neo4j push`` and ``climatekg neo4j pull``.

Both move whole sources between the embedded store (``--home``) and a Neo4j server (``--url``,
else the global ``--store`` URL). Credentials: see ``climatekg.graph.stores.neo4j_store.credentials``.
"""

from __future__ import annotations

import contextlib
import time
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from climatekg.app.cli.console import JsonOpt, err, out, print_json, state
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.stores import default_home
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.graph.stores.neo4j_store import Neo4jStore
from climatekg.graph.stores.neo4j_store.sync import pull as pull_sources
from climatekg.graph.stores.neo4j_store.sync import push as push_sources

UrlOpt = Annotated[
    str | None,
    typer.Option(
        "--url",
        envvar="NEO4J_URI",
        help="bolt://, neo4j:// or neo4j+s:// URL of the Neo4j server [the global --store URL].",
    ),
]
SourceOpt = Annotated[
    list[str] | None, typer.Option("--source", help="Only this source (repeat for several) [all].")
]


def _neo4j(url: str | None) -> Neo4jStore:
    target = url or state.get("store")
    if not target or "://" not in target:
        raise ClimateKGError("no Neo4j server named: pass --url bolt://host:7687 (or --store, or NEO4J_URI)")
    return Neo4jStore.connect(target)


def _embedded() -> EmbeddedStore:
    """The embedded store of ``--home``: push and pull always have one on this side."""
    return EmbeddedStore(state.get("home") or default_home())


def _progress(disable: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=disable,
    )


def register(app: typer.Typer) -> None:
    """Add the ``neo4j`` command group to ``app``."""
    group = typer.Typer(
        name="neo4j",
        help="Push the embedded store into Neo4j, or pull Neo4j's sources back.",
        no_args_is_help=True,
    )

    @group.command()
    def push(
        url: UrlOpt = None,
        source: SourceOpt = None,
        batch_size: Annotated[
            int, typer.Option("--batch-size", min=1, max=100_000, help="Rows per write transaction.")
        ] = 5_000,
        prune: Annotated[
            bool,
            typer.Option("--prune", help="Also remove sources Neo4j has and the embedded store does not."),
        ] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """Push the embedded store (or some sources) into Neo4j: batched, idempotent, resumable."""
        neo = _neo4j(url)
        kg = _embedded()
        tasks: dict[str, Any] = {}
        began = {"t": time.monotonic(), "n": 0}
        try:
            with _progress(as_json) as progress:

                def on_source(info: Any, totals: tuple[int, int]) -> None:
                    for t in tasks.values():
                        progress.remove_task(t)
                    began.update(t=time.monotonic(), n=0)
                    tasks["entities"] = progress.add_task(f"{info.id}: entities", total=totals[0], rate="")
                    tasks["relations"] = progress.add_task(f"{info.id}: relations", total=totals[1], rate="")

                def advance(what: str, n: int) -> None:
                    began["n"] += n
                    rate = began["n"] / max(time.monotonic() - began["t"], 1e-6)
                    progress.update(tasks[what], advance=n, rate=f"{rate:,.0f} rows/s")

                reports = push_sources(
                    kg,
                    neo,
                    sources=source,
                    batch_size=batch_size,
                    prune=prune,
                    progress=advance,
                    on_source=on_source,
                )
        finally:
            kg.close()
            neo.close()
        if as_json:
            print_json([r.__dict__ for r in reports])
            return
        for r in reports:
            detail = (
                f": {r.entities} entity records, {r.relations} relations"
                if r.action in ("pushed", "resumed")
                else ""
            )
            skipped = f" ({r.skipped} statements outside the model not pushed)" if r.skipped else ""
            out.print(f"{r.action} {r.source}{detail}{skipped}", markup=False, highlight=False)

    @group.command()
    def pull(url: UrlOpt = None, source: SourceOpt = None, as_json: JsonOpt = False) -> None:
        """Pull Neo4j's sources (or some) into the embedded store, each as one validated load."""
        neo = _neo4j(url)
        kg = _embedded()
        try:
            with contextlib.nullcontext() if as_json else err.status("pulling from Neo4j…"):
                reports = pull_sources(neo, kg, sources=source)
        finally:
            kg.close()
            neo.close()
        if as_json:
            print_json([r.__dict__ for r in reports])
            return
        for r in reports:
            detail = f": {r.entities} entities, {r.relations} relations" if r.action == "pulled" else ""
            out.print(f"{r.action} {r.source}{detail}", markup=False, highlight=False)

    app.add_typer(group)
