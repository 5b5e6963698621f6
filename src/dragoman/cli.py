"""The ``dragoman`` command: a thin shell over the library.

Every command calls one public function (``runner.run``, ``query.api.*``,
``query.export.export``, ``eval.<task>.evaluate``, ``web.serve``, ``store.check_store``).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import SETTINGS, Config, load_config
from .errors import DragomanError

__all__ = ["cli", "main"]

log = logging.getLogger("dragoman")

EVAL_TASKS = ("events", "places", "dates", "quotes", "incidents", "tracks", "clusters")


def _fail(message: str, code: int = 2) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(code)


def _config(ctx: click.Context, **overrides: Any) -> Config:
    return load_config(ctx.obj.get("config_file"), **overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dragoman")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Settings file (TOML or JSON); see `dragoman settings`.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, config_file: str | None, verbose: int) -> None:
    """dragoman: news in, verifiable event data out."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["config_file"] = config_file


# ---------------------------------------------------------------------------------- run


def _run_common(f: Any) -> Any:
    options = [
        click.option("--store", "store", required=True, type=click.Path(file_okay=False),
                     help="Store directory (created if missing)."),
        click.option("--model", default=None, help="Installed spaCy pipeline to use."),
        click.option("--workers", type=int, default=None, help="Worker processes."),
        click.option("--engine", type=click.Choice(["local", "ray"]), default="local",
                     show_default=True, help="Where to run the pipeline."),
        click.option("--address", default=None, help="Ray cluster address (--engine ray)."),
        click.option("--lexicon", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     help="Extra event trigger lexicon file (YAML); repeatable."),
        click.option("--actors", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     help="Extra actor knowledge-base file; repeatable."),
        click.option("--cues", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     help="Extra speech-cue lexicon file (YAML); repeatable."),
        click.option("--framing", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     help="Extra framing lexicon file (YAML); repeatable."),
        click.option("--event-model", "event_model", default=None,
                     help="Event model: 'default' (packaged), 'rules' (rule coder alone) or a "
                          "folder from `dragoman train events`."),
        click.option("--batch-size", type=int, default=None, help="Articles per nlp.pipe batch."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary table."),
        click.option("--strict", is_flag=True,
                     help="Exit non-zero when any record was skipped."),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
        click.option("--no-near-duplicates", "no_near", is_flag=True,
                     help="Only exact duplicates are skipped (saves ~1 KB of memory per "
                          "article on very long runs)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _do_run(ctx: click.Context, inputs: list[str], store: str, model: str | None,
            workers: int | None, engine: str, address: str | None, lexicon: tuple[str, ...],
            actors: tuple[str, ...], batch_size: int | None, quiet: bool, strict: bool,
            as_json: bool, read_options: Any = None, cues: tuple[str, ...] = (),
            framing: tuple[str, ...] = (), no_near: bool = False,
            event_model: str | None = None) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from .engines import get_engine
    from .runner import RunSummary, run

    config = _config(ctx, model=model, workers=workers, lexicon=lexicon or None,
                     actors=actors or None, cues=cues or None, framing=framing or None,
                     batch_size=batch_size, event_model=event_model)
    console = Console(stderr=True, quiet=quiet)
    eng = get_engine(engine, workers=config.workers, address=address)
    issues: list[str] = []

    def on_issue(text: str) -> None:
        issues.append(text)
        if not quiet:
            console.print(f"[yellow]skipped/warning:[/] {text}", markup=True, highlight=False)

    progress = Progress(
        SpinnerColumn(), TextColumn("[bold]dragoman run"), BarColumn(),
        MofNCompleteColumn(), TextColumn("{task.fields[rate]:.1f} articles/s"),
        TextColumn("events {task.fields[events]}"), TimeElapsedColumn(),
        console=console, disable=quiet, transient=False,
    )
    with progress:
        task = progress.add_task("run", total=None, rate=0.0, events=0)

        def on_progress(s: RunSummary) -> None:
            progress.update(task, completed=s.processed, rate=s.rate, events=s.events)

        summary = run(inputs, store, config, engine=eng, read_options=read_options,
                      on_issue=on_issue, on_progress=on_progress,
                      detect_near_duplicates=not no_near)
        progress.update(task, completed=summary.processed, rate=summary.rate,
                        events=summary.events)
    if as_json:
        click.echo(json.dumps(summary.to_dict()))
    elif not quiet:
        d = summary.to_dict()
        console.print(
            f"read {d['read']} · processed {d['processed']} · skipped {d['skipped']} · "
            f"duplicates {d['duplicates']} · already in store {d['already']} · "
            f"events {d['events']} · quotes {d['quotes']} · places {d['places']} · "
            f"{d['seconds']} s ({d['articles_per_second']} articles/s) → {store}",
            highlight=False,
        )
        if d["date_disagreements"]:
            console.print(
                f"{d['date_disagreements']} document(s): the date in the text's header is more "
                "than two days from the input's published date (both kept: documents."
                "published, documents.text_published; setting publication_date picks the "
                "one extraction uses)", highlight=False)
    if summary.read == 0 and summary.skipped == 0 and summary.already == 0:
        _fail("no articles found in the inputs", 1)
    if summary.processed == 0 and summary.duplicates == 0 and summary.already == 0:
        _fail("nothing could be processed", 1)
    if strict and summary.skipped:
        _fail(f"{summary.skipped} record(s) skipped (--strict)", 1)
    return summary


@cli.command("run")
@click.argument("inputs", nargs=-1, required=True)
@_run_common
@click.option("--text-column", default="text", show_default=True, help="CSV/JSONL text field.")
@click.option("--id-column", default="id", show_default=True, help="CSV/JSONL id field.")
@click.option("--title-column", default="title", show_default=True)
@click.option("--published-column", default="published", show_default=True)
@click.option("--source-column", default="source", show_default=True)
@click.option("--url-column", default="url", show_default=True)
@click.pass_context
def run_cmd(ctx: click.Context, inputs: tuple[str, ...], text_column: str, id_column: str,
            title_column: str, published_column: str, source_column: str, url_column: str,
            **kw: Any) -> None:
    """Read articles (files, folders, - for stdin JSONL) and write the store."""
    from .ingest import ReadOptions

    opts = ReadOptions(text_column=text_column, id_column=id_column,
                       title_column=title_column, published_column=published_column,
                       source_column=source_column, url_column=url_column)
    _do_run(ctx, list(inputs), read_options=opts, **kw)


@cli.command("demo")
@click.option("--store", default="demo-store", show_default=True,
              type=click.Path(file_okay=False), help="Where to write the demo store.")
@click.option("--quiet", "-q", is_flag=True)
@click.pass_context
def demo_cmd(ctx: click.Context, store: str, quiet: bool) -> None:
    """Run the whole job on the bundled sample articles and summarise what was found."""
    from .ingest import sample_paths
    from .query import api
    from .store import Store

    paths = [str(p) for p in sample_paths()]
    _do_run(ctx, paths, store=store, model=None, workers=None, engine="local", address=None,
            lexicon=(), actors=(), batch_size=None, quiet=quiet, strict=False, as_json=False)
    s = Store.open(store)
    info = api.summary(s)
    click.echo("")
    click.echo(f"Store {store}: " + ", ".join(f"{n} {k}" for k, n in info["counts"].items()))
    if info.get("event_types"):
        click.echo("Events by type: " + ", ".join(
            f"{t} {n}" for t, n in info["event_types"].items()))
    rows = api.query_events(s, api.EventQuery(limit=8, order="-confidence"))
    if rows:
        click.echo("")
        _print_events(rows)
    click.echo("")
    click.echo("Look further:")
    click.echo(f"  dragoman events --store {store} --limit 20")
    click.echo(f"  dragoman show --store {store} DOC_ID")
    click.echo(f"  dragoman serve --store {store}     # dashboard at http://127.0.0.1:8000")


# ------------------------------------------------------------------------------- query


def _actor_names(refs: list[dict[str, Any]] | None) -> str:
    out = []
    for r in refs or []:
        name = r.get("name") or r.get("text")
        tag = "/".join(x for x in (r.get("country"), r.get("sector")) if x)
        out.append(f"{name} ({tag})" if tag else str(name))
    return "; ".join(out)


def _print_events(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("date", "type", "actor", "recipient", "where", "trigger", "doc"):
        table.add_column(col, overflow="fold")
    for e in rows:
        loc = e.get("location") or {}
        mark = ""
        if e.get("negated"):
            mark += " ¬"
        if e.get("modality") and e["modality"] != "asserted":
            mark += f" [{e['modality']}]"
        table.add_row(
            e.get("date") or "", (e.get("event_type") or "") + mark,
            _actor_names(e.get("actor")), _actor_names(e.get("recipient")),
            loc.get("name") or "", (e.get("trigger") or {}).get("text", ""), e.get("doc_id", ""),
        )
    Console().print(table)


def _write_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        from .query.export import csv_columns, flatten

        cols = csv_columns("events")
        writer = csv.writer(sys.stdout)
        writer.writerow([c[0] for c in cols])
        writer.writerows(flatten(r, cols) for r in rows)
    else:
        _print_events(rows)


@cli.command("events")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--type", "types", multiple=True, help="PLOVER type; repeatable.")
@click.option("--quad-class", "quad", multiple=True, type=int, help="CAMEO quad class 1-4.")
@click.option("--country", default=None, help="ISO-3 of actor or recipient.")
@click.option("--actor", default=None, help="Actor or recipient name contains.")
@click.option("--place", default=None, help="Location name contains.")
@click.option("--since", default=None, help="Earliest event date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Latest event date (YYYY-MM-DD).")
@click.option("--text", default=None, help="Sentence contains.")
@click.option("--doc", "doc_id", default=None, help="Only this document.")
@click.option("--limit", default=50, show_default=True, type=int)
@click.option("--offset", default=0, type=int)
@click.option("--order", default="date", show_default=True, help="Sort field, '-' for desc.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table")
def events_cmd(store: str, types: tuple[str, ...], quad: tuple[int, ...], country: str | None,
               actor: str | None, place: str | None, since: str | None, until: str | None,
               text: str | None, doc_id: str | None, limit: int, offset: int, order: str,
               fmt: str) -> None:
    """List events matching filters."""
    from .query import api
    from .store import Store

    q = api.EventQuery(types=tuple(t.upper() for t in types), quad_class=quad,
                       country=country.upper() if country else None, actor=actor, place=place,
                       since=since, until=until, text=text, doc_id=doc_id, limit=limit,
                       offset=offset, order=order)
    q.validate()
    _write_rows(api.query_events(Store.open(store), q), fmt)


@cli.command("quotes")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--speaker", default=None, help="Speaker name or mention contains.")
@click.option("--doc", "doc_id", default=None)
@click.option("--limit", default=50, show_default=True, type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table")
def quotes_cmd(store: str, speaker: str | None, doc_id: str | None, limit: int,
               fmt: str) -> None:
    """List quotes (direct and reported speech) with their speakers."""
    from rich.console import Console
    from rich.table import Table

    from .query import api
    from .store import Store

    rows = api.query_quotes(Store.open(store), speaker=speaker, doc_id=doc_id, limit=limit)
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    table = Table()
    for col in ("speaker", "kind", "cue", "content", "doc"):
        table.add_column(col, overflow="fold")
    for r in rows:
        sp = r.get("speaker") or {}
        table.add_row(sp.get("name") or sp.get("text") or "?", r.get("kind", ""),
                      (r.get("cue") or {}).get("text", ""), (r.get("content") or {}).get("text", ""),
                      r.get("doc_id", ""))
    Console().print(table)


@cli.command("incidents")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--doc", "doc_id", default=None, help="Only this document's incidents.")
@click.option("--type", "event_type", default=None, help="PLOVER type, e.g. ASSAULT.")
@click.option("--cause", default=None,
              help="airstrike, shelling, explosion, chemical, shooting, execution, other, "
                   "unknown.")
@click.option("--country", default=None, help="ISO-3 country of the incident's place.")
@click.option("--place", default=None, help="Place name or first-order division contains.")
@click.option("--since", default=None, help="ISO date: incidents on or after it.")
@click.option("--until", default=None, help="ISO date: incidents on or before it.")
@click.option("--min-killed", "min_killed", type=int, default=None,
              help="At least this many killed.")
@click.option("--casualties", "with_casualties", is_flag=True,
              help="Only incidents with casualty figures.")
@click.option("--no-copies", "no_copies", is_flag=True,
              help="Leave out incidents of near-copies (documents with duplicate_of).")
@click.option("--order", type=click.Choice(["date", "killed", "doc"]), default="date",
              show_default=True)
@click.option("--limit", default=50, show_default=True, type=int)
@click.option("--offset", default=0, type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table")
def incidents_cmd(store: str, doc_id: str | None, event_type: str | None, cause: str | None,
                  country: str | None, place: str | None, since: str | None,
                  until: str | None, min_killed: int | None, with_casualties: bool,
                  no_copies: bool, order: str, limit: int, offset: int, fmt: str) -> None:
    """List incidents (one per real happening in a document) with casualties, place, cause."""
    from rich.console import Console
    from rich.table import Table

    from .query.incidents import IncidentQuery, count_incidents, query_incidents
    from .store import Store

    q = IncidentQuery(doc_id=doc_id, event_type=event_type, cause=cause, country=country,
                      place=place, since=since, until=until, min_killed=min_killed,
                      with_casualties=with_casualties, copies=not no_copies, order=order,
                      limit=limit, offset=offset)
    s = Store.open(store)
    rows = query_incidents(s, q)
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    table = Table(title=f"{count_incidents(s, q)} incidents")
    for col in ("date", "type", "cause", "place", "admin1", "killed", "injured", "source",
                "doc"):
        table.add_column(col, overflow="fold")
    for r in rows:
        loc = r.get("location") or {}
        cas = r.get("casualties") or {}
        inj = [c for c in (cas.get("injured") or {}).values() if c]
        table.add_row(r.get("date") or "", r["event_type"], r["cause"],
                      loc.get("name") or loc.get("text") or "", loc.get("admin1") or "",
                      "" if r.get("killed") is None else str(r["killed"]),
                      str(max((c["low"] or c["high"] or 0) for c in inj)) if inj else "",
                      cas.get("source") or "", r["doc_id"])
    Console().print(table)


@cli.command("export")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--what", type=click.Choice(["events", "quotes", "places", "dates", "documents",
                                           "actors", "frames", "incidents", "clusters"]),
              default="events",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]),
              default="jsonl", show_default=True)
@click.option("--style", type=click.Choice(["native", "polecat", "gdelt"]), default="native",
              show_default=True, help="Field layout for events.")
@click.option("-o", "--output", default=None, help="Output file (default: stdout).")
@click.option("--track", default=None,
              help="Only the records linked to this track (`dragoman track`): its events, "
                   "its quotes, or the other tables' records of the documents with its events.")
def export_cmd(store: str, what: str, fmt: str, style: str, output: str | None,
               track: str | None) -> None:
    """Write a whole table (or a track's part of it) as JSONL, CSV or Parquet."""
    from .query.api import EventQuery, QuoteQuery
    from .query.export import export
    from .store import Store

    if fmt == "parquet" and output is None:
        _fail("parquet export needs -o FILE")
    out: Any = output if output else sys.stdout.buffer
    if what == "clusters":
        if track:
            _fail("--track applies to events, quotes and the per-document tables, not clusters")
        from .query.clusters import export_clusters

        n = export_clusters(Store.open(store), fmt, out)
    elif track and what == "quotes":
        n = export(Store.open(store), what, fmt, out, style=style, quotes=QuoteQuery(track=track))
    else:
        q = EventQuery(track=track) if track else None
        n = export(Store.open(store), what, fmt, out, q=q, style=style)
    if output:
        click.echo(f"wrote {n} {what} to {output}", err=True)


@cli.command("cluster")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--overrides", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Splits and merges by hand (YAML; default STORE/clusters/overrides.yaml).")
@click.option("--rebuild", is_flag=True, help="Forget the current clusters; cluster afresh.")
@click.option("--days", type=int, default=None, help="Days apart at most (cluster_days).")
@click.option("--km", type=int, default=None, help="Kilometres apart at most (cluster_km).")
@click.option("--min-alike", "min_alike", type=float, default=None,
              help="How alike an incident must be to join a cluster (cluster_min_alike).")
@click.pass_context
def cluster_cmd(ctx: click.Context, store: str, overrides: str | None, rebuild: bool,
                days: int | None, km: int | None, min_alike: float | None) -> None:
    """Cluster incidents of different documents about the same happening (incremental)."""
    from .clusters import ClusterSettings, cluster_store

    config = _config(ctx, cluster_days=days, cluster_km=km, cluster_min_alike=min_alike)
    r = cluster_store(store, ClusterSettings(config.cluster_days, config.cluster_km,
                                             config.cluster_min_alike),
                      overrides=overrides, rebuild=rebuild)
    click.echo(f"{r.comparable} incidents with a place and a day: {r.joined} joined a cluster, "
               f"{r.started} started one; {r.clusters} clusters, {r.multi_document} with "
               f"several documents ({r.seconds:.2f} s, version {r.version})")


@cli.command("clusters")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--id", "cluster_id", default=None, help="Only this cluster.")
@click.option("--doc", "doc_id", default=None, help="Only clusters this document reports.")
@click.option("--type", "event_type", default=None, help="PLOVER type, e.g. ASSAULT.")
@click.option("--cause", default=None, help="The agreed cause.")
@click.option("--country", default=None, help="ISO-3 country of the agreed place.")
@click.option("--place", default=None, help="Place name or first-order division contains.")
@click.option("--since", default=None, help="ISO date: clusters on or after it.")
@click.option("--until", default=None, help="ISO date: clusters on or before it.")
@click.option("--min-documents", "min_documents", type=int, default=2, show_default=True)
@click.option("--disagree", "disagreement", default=None,
              help="Only clusters whose reports differ on killed, civilians, injured, place, "
                   "admin1, date or cause.")
@click.option("--order", type=click.Choice(["date", "documents", "killed"]), default="date",
              show_default=True)
@click.option("--limit", default=50, show_default=True, type=int)
@click.option("--offset", default=0, type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table")
def clusters_cmd(store: str, cluster_id: str | None, doc_id: str | None,
                 event_type: str | None, cause: str | None, country: str | None,
                 place: str | None, since: str | None, until: str | None, min_documents: int,
                 disagreement: str | None, order: str, limit: int, offset: int,
                 fmt: str) -> None:
    """List happenings reported by several documents, with where the sources disagree."""
    from rich.console import Console
    from rich.table import Table

    from .query.clusters import ClusterQuery, count_clusters, query_clusters
    from .store import Store

    q = ClusterQuery(cluster_id=cluster_id, doc_id=doc_id, event_type=event_type, cause=cause,
                     country=country, place=place, since=since, until=until,
                     min_documents=min_documents, disagreement=disagreement, order=order,
                     limit=limit, offset=offset)
    s = Store.open(store)
    rows = query_clusters(s, q)
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    table = Table(title=f"{count_clusters(s, q)} clusters")
    for col in ("date", "type", "cause", "place", "docs", "sources", "killed by source",
                "disagree", "cluster"):
        table.add_column(col, overflow="fold")
    for r in rows:
        killed = "; ".join(f"{p['source'] or p['doc_id']} {p['killed_low']}"
                           for p in r["reports"] if p["killed_low"] is not None)
        table.add_row(r.get("date") or "", r["event_type"], r["cause"],
                      f"{r.get('place') or ''} ({r.get('admin1') or ''})",
                      str(r["n_documents"]), ", ".join(r["sources"]), killed,
                      ", ".join(r["disagreements"]), r["cluster_id"])
    Console().print(table)


@cli.command("show")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.argument("doc_id")
def show_cmd(store: str, doc_id: str) -> None:
    """Print a document with its annotations marked inline."""
    from .query import api
    from .render import render_document_text
    from .store import Store

    data = api.get_document(Store.open(store), doc_id)
    if data is None:
        _fail(f"no document {doc_id!r} in {store}", 1)
    assert data is not None
    click.echo(render_document_text(data))


# ------------------------------------------------------------------------------ tracks


@cli.command("track")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--tracks", "tracks_file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Tracks file (YAML, docs/tracks.md); default: the packaged Syria example.")
@click.option("--force", is_flag=True, help="Recompute even when nothing changed.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def track_cmd(store: str, tracks_file: str | None, force: bool, as_json: bool) -> None:
    """Link a store's documents, events, quotes and incidents to tracks (no re-extraction)."""
    from .tracks import track_store

    try:
        run = track_store(store, tracks_file, force=force)
    except DragomanError as e:
        _fail(str(e))
        return
    if as_json:
        click.echo(json.dumps(run.to_dict()))
        return
    state = "up to date" if run.up_to_date else f"written ({run.version})"
    click.echo(f"tracks {state} in {run.seconds:.2f} s; {run.documents_read} document(s) "
               f"read; {run.stances} stance row(s)")
    for name, counts in run.links.items():
        click.echo(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


@cli.command("digest")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--track", "track", required=True, help="Track name (see `dragoman track`).")
@click.option("--since", default=None,
              help="Only records dated on or after YYYY-MM-DD (default: since the last digest).")
@click.option("-o", "--output", default=None,
              help="Write FILE.md and FILE.html (default: Markdown to stdout).")
@click.option("--no-save", is_flag=True, help="Do not record this digest for the next one.")
def digest_cmd(store: str, track: str, since: str | None, output: str | None,
               no_save: bool) -> None:
    """A track's digest in Markdown and HTML, each line linked to its evidence."""
    from .tracks.digest import make_digest

    try:
        digest = make_digest(store, track, since=since, save=not no_save)
    except DragomanError as e:
        _fail(str(e))
        return
    if output is None:
        click.echo(digest.markdown(), nl=False)
        return
    base = Path(output)
    if base.suffix in (".md", ".html", ".htm"):
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    base.with_suffix(".md").write_text(digest.markdown(), encoding="utf-8")
    base.with_suffix(".html").write_text(digest.html(), encoding="utf-8")
    click.echo(f"wrote {base.with_suffix('.md')} and {base.with_suffix('.html')}")


# -------------------------------------------------------------------------------- eval


@cli.command("eval")
@click.argument("task", type=click.Choice(EVAL_TASKS))
@click.option("--gold", "golds", required=True, multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Gold JSONL file (see docs/evaluation.md); events: repeatable, pooled.")
@click.option("--limit", type=int, default=None, help="Only the first N documents.")
@click.option("--model", default=None)
@click.option("--literal-only", is_flag=True,
              help="places: score literal toponyms only (GeoWebNews fine types).")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=None,
              help="events: the corpus folder an article gold (gold/articles-*.jsonl) "
                   "refers to (default ../shared/corpus).")
@click.option("--split", type=click.Choice(["tune", "test", "heldout"]), default=None,
              help="events: only this part of an article gold (heldout: "
                   "gold/articles-heldout.jsonl, never trained nor tuned on).")
@click.option("--event-model", "event_model", default=None,
              help="events: 'default' (packaged model), 'rules', or a model folder.")
@click.option("--cv", type=int, default=None,
              help="events: k-fold cross-validation of the trained coder over the gold "
                   "documents, beside the rules-only coder on the same documents; "
                   "incidents: of the happening model over article golds (by article), "
                   "beside the rules' grouping.")
@click.option("--train-extra", "train_extra", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="events --cv: gold added to every fold's training set, never tested.")
@click.option("--seed", type=int, default=13, show_default=True, help="events --cv: fold seed.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def eval_cmd(ctx: click.Context, task: str, golds: tuple[str, ...], limit: int | None,
             model: str | None, literal_only: bool, corpus: str | None, split: str | None,
             event_model: str | None, cv: int | None, train_extra: tuple[str, ...],
             seed: int, as_json: bool) -> None:
    """Score an extractor against a gold file: events, places, dates, quotes or incidents."""
    import importlib

    from .pipeline import Pipeline

    if task == "clusters":
        from .eval.clusters import evaluate_clusters

        creport = evaluate_clusters(Path(golds[0]), _config(ctx, model=model,
                                                            event_model=event_model),
                                    corpus=Path(corpus) if corpus else None, split=split)
        click.echo(json.dumps(creport.to_dict(), indent=2) if as_json else creport.to_text())
        return
    if task == "tracks":
        from .tracks.evaluate import evaluate_tracks

        treport = evaluate_tracks(Path(golds[0]), _config(ctx, model=model,
                                                          event_model=event_model),
                                  split=split, corpus=Path(corpus) if corpus else None)
        click.echo(json.dumps(treport.to_dict(), indent=2) if as_json else treport.to_text())
        return
    if task == "incidents" and not (len(golds) > 1 or cv or train_extra):
        from .eval.incidents import evaluate as evaluate_incidents

        pipeline = Pipeline(_config(ctx, model=model, event_model=event_model), run_id="eval")
        found = evaluate_incidents(Path(golds[0]), pipeline, limit=limit,
                                   corpus=Path(corpus) if corpus else None, split=split)
        click.echo(json.dumps(found.to_dict(), indent=2) if as_json else found.to_text())
        return
    if task == "incidents" and cv is not None:
        from .extract.resources import event_model_for
        from .train.events import prepare, read_golds
        from .train.happenings import cross_validate as cv_happenings

        pipeline = Pipeline(_config(ctx, model=model, event_model="rules"), run_id="train")
        emodel = event_model_for(_config(ctx, model=model, event_model=event_model).event_model)
        if emodel is None:
            raise click.UsageError("eval incidents --cv codes the gold with an event model: "
                                   "not --event-model rules")
        docs = read_golds([Path(g) for g in golds], Path(corpus) if corpus else None,
                          split or "tune", limit)
        hresult = cv_happenings(list(prepare(pipeline, docs)), emodel, k=cv, seed=seed)
        if as_json:
            click.echo(json.dumps(hresult, indent=2))
        else:
            for key in ("learned", "rules"):
                r = hresult[key]
                click.echo(f"{r['name']}: pairs P {r['precision']:.3f} R {r['recall']:.3f} "
                           f"F1 {r['f1']:.3f} (same happening: {r['pairs_gold_same']} gold, "
                           f"{r['pairs_predicted_same']} predicted, {r['pairs_both']} both)")
            click.echo(f"{hresult['documents']} articles, threshold {hresult['threshold']}")
        return
    if task != "events" and (len(golds) > 1 or cv or corpus or split or train_extra):
        raise click.UsageError("several --gold, --cv, --corpus, --split and --train-extra "
                               "are for `eval events`")
    if cv is not None:
        from .train.events import cross_validate_files

        config = _config(ctx, model=model, event_model="rules")
        result = cross_validate_files(
            [Path(g) for g in golds], config, k=cv, seed=seed,
            extra=[Path(g) for g in train_extra], corpus=Path(corpus) if corpus else None,
            split=split, limit=limit)
        if as_json:
            click.echo(json.dumps({k: (v.to_dict() if hasattr(v, "to_dict") else v)
                                   for k, v in result.items()}, indent=2))
        else:
            click.echo(result["learned"].to_text() + "\n\n" + result["rules"].to_text())
        return
    module = importlib.import_module(f"dragoman.eval.{task}")
    pipeline = Pipeline(_config(ctx, model=model, event_model=event_model), run_id="eval")
    extra: dict[str, Any] = {"literal_only": True} if literal_only and task == "places" else {}
    if task == "events":
        extra = {"corpus": Path(corpus) if corpus else None, "split": split}
        if len(golds) > 1:
            from .eval.events import evaluate_many

            report = evaluate_many([Path(g) for g in golds], pipeline, limit=limit, **extra)
            click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.to_text())
            return
    report = module.evaluate(Path(golds[0]), pipeline, limit=limit, **extra)
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.to_text())


@cli.group("train")
def train_group() -> None:
    """Train the trained parts of the pipeline from gold files."""


@train_group.command("events")
@click.option("--gold", "golds", required=True, multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Event gold JSONL (sentence sets or gold/articles-*.jsonl); repeatable.")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder to write the model to (model.json, weights.npz).")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=None,
              help="The corpus folder article golds refer to (default ../shared/corpus).")
@click.option("--split", type=click.Choice(["tune", "test"]), default="tune",
              show_default=True, help="Which half of an article gold to train on.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--version", "version", default=None, help="Model version written into records.")
@click.option("--model", default=None, help="spaCy pipeline (as for `run`).")
@click.option("--classifiers-from", "classifiers_from", default=None,
              type=click.Path(exists=True, file_okay=False),
              help="Keep this model folder's type and role classifiers; fit only the "
                   "happening model (from the article golds' happening marks).")
@click.pass_context
def train_events_cmd(ctx: click.Context, golds: tuple[str, ...], out: str, corpus: str | None,
                     split: str, seed: int, version: str | None, model: str | None,
                     classifiers_from: str | None) -> None:
    """Train the event type and role classifiers and write a model folder."""
    from .train import train_files

    config = _config(ctx, model=model, event_model="rules")
    m = train_files([Path(g) for g in golds], config, Path(out), seed=seed, version=version,
                    corpus=Path(corpus) if corpus else None, split=split,
                    classifiers_from=Path(classifiers_from) if classifiers_from else None)
    click.echo(f"event model {m.version}: {m.types.size} type features, {m.roles.size} role "
               f"features, {m.meta.get('type_examples')} candidates, "
               f"{m.meta.get('role_examples')} role pairs -> {out}")


# ------------------------------------------------------------------------ serve, check


@cli.command("serve")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve_cmd(store: str, host: str, port: int) -> None:
    """Open the analyst's dashboard over a store (read-only)."""
    from .web import serve

    click.echo(f"dragoman dashboard on http://{host}:{port}  (Ctrl+C to stop)", err=True)
    serve(store, host=host, port=port)


@cli.command("check")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
def check_cmd(store: str) -> None:
    """Verify a store: schema version, segments, checksums, orphans, duplicate ids."""
    from .store import Store, check_store

    problems = check_store(Store.open(store))
    if not problems:
        click.echo(f"{store}: ok")
        return
    for p in problems:
        click.echo(f"{p.severity}: {p.path}: {p.message} — fix: {p.fix}")
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


@cli.command("compact")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True))
def compact_cmd(store: str) -> None:
    """Merge small segments into one (atomically; readers are never blocked)."""
    from .store import Store, compact

    merged = compact(Store.open(store))
    click.echo(f"{store}: merged into segment {merged}" if merged else f"{store}: nothing to compact")


@cli.command("recode")
@click.option("--store", required=True, type=click.Path(file_okay=False, exists=True),
              help="Store whose documents are re-extracted.")
@click.option("--event-model", "event_model", default=None,
              help="Event model: 'default' (packaged), 'rules' (rule coder alone) or a folder "
                   "from `dragoman train events`.")
@click.option("--workers", type=int, default=None, help="Worker processes.")
@click.option("--model", default=None, help="Installed spaCy pipeline to use.")
@click.option("--lexicon", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra event trigger lexicon file (YAML); repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print what changed as JSON.")
@click.pass_context
def recode_cmd(ctx: click.Context, store: str, event_model: str | None, workers: int | None,
               model: str | None, lexicon: tuple[str, ...], as_json: bool) -> None:
    """Re-extract every stored document with the current coder; print what changed.

    The new records replace the old ones in one atomic commit (readers see all old or all
    new records); events are matched by document, sentence and trigger span."""
    from .recode import recode

    config = _config(ctx, event_model=event_model, workers=workers, model=model,
                     lexicon=lexicon or None)
    summary = recode(store, config)
    d = summary.to_dict()
    if as_json:
        click.echo(json.dumps(d))
        return
    click.echo(f"{store}: {d['documents']} documents re-extracted ({d['kept']} kept as they "
               f"were) in {d['seconds']} s; events {d['events_before']} -> "
               f"{d['events_after']}: {d['added']} added, {d['removed']} removed, "
               f"{d['changed']} changed, {d['unchanged']} unchanged")
    if d["by_type"]:
        click.echo(f"{'type':<12}{'added':>7}{'removed':>9}{'changed':>9}")
        for t, c in d["by_type"].items():
            click.echo(f"{t:<12}{c['added']:>7}{c['removed']:>9}{c['changed']:>9}")
    for what, n in d["type_changes"].items():
        click.echo(f"  type {what}: {n}")
    if d["fields"]:
        click.echo("changed fields: " + ", ".join(f"{k} {v}" for k, v in d["fields"].items()))


@cli.command("settings")
def settings_cmd() -> None:
    """List every setting with its default (file key, DRAGOMAN_ variable)."""
    for s in SETTINGS:
        click.echo(f"{s.name} = {s.default!r}  (DRAGOMAN_{s.name.upper()})\n    {s.help}")


def main() -> None:
    """Console entry point: run the CLI, turning dragoman errors into clear messages."""
    try:
        cli(standalone_mode=True)
    except DragomanError as exc:
        _fail(str(exc))
