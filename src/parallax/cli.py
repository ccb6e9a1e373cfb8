"""The ``parallax`` command: thin wrappers over :mod:`parallax.service` and friends.

Exit codes: 0 everything went through; 1 a fatal error (bad database URL, unknown
id); 2 a usage error; 3 the batch finished but some inputs were rejected (each is
listed with its reason and kept in the store's rejections).
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from parallax import __version__
from parallax.display import console as make_console
from parallax.display import term
from parallax.errors import ParallaxError, StoreError

if TYPE_CHECKING:
    from parallax.store import Store

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REJECTED = 0, 1, 2, 3

app = typer.Typer(
    name="parallax",
    help="Show one news story from every side: ingest, clean, extract, group and compare news coverage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure quality on gold data: prints precision, recall and F1.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

# Everything a person reads goes through parallax.display: untrusted text (titles, file
# names, messages) is interpolated with term(), never raw into Rich markup.
console = make_console()
err = make_console(stderr=True)

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite path (default: parallax.db here; postgresql://... for PostgreSQL).", envvar="PARALLAX_DB"),
]
ExecutorOpt = Annotated[str, typer.Option("--executor", help="Where cleaning, extraction and comparison run: local or ray.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Worker processes (local; default: the cores) or Ray actors (default: the cluster's CPUs)."),
]
RayAddressOpt = Annotated[
    str | None,
    typer.Option("--ray-address", help="Ray cluster to join (e.g. auto or ray://head:10001); default: a local Ray.", envvar="RAY_ADDRESS"),
]


def _fail(exc: ParallaxError) -> typer.Exit:
    """Print the error; exit 2 for a bad option value (code "usage"), else 1."""
    err.print(f"[bold red]error:[/] {term(exc)}")
    return typer.Exit(EXIT_USAGE if exc.code == "usage" else EXIT_ERROR)


def _usage(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {term(message)}")
    return typer.Exit(EXIT_USAGE)


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    """Refuse a value outside ``allowed`` before any work is done (a usage error)."""
    if value not in allowed:
        raise _usage(f"unknown {option} '{value}'. Available: {', '.join(allowed)}")


def _writable(path: Path | None, option: str) -> None:
    """Refuse an output path that can't be written, before the work whose result it would hold."""
    if path is None or str(path) == "-":
        return
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise _usage(f"{option} {path}: is a folder; give a file name")
    if not folder.is_dir():
        raise _usage(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _usage(f"{option} {path}: not writable (permission denied)")


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        err.print(f"[bold red]error:[/] could not write {term(path)}: {term(exc.strerror or exc)}")
        raise typer.Exit(EXIT_ERROR) from None


def _missing_store(db: str | None) -> str | None:
    """The file a SQLite ``db`` names when it does not exist (a mistyped --db), else None."""
    from parallax.store.database import resolve_url

    url = resolve_url(db)
    name = url.database
    if url.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return None if Path(name).exists() else name


def _no_database(name: str) -> StoreError:
    return StoreError(
        f"no database at {name}: the file does not exist (check --db or PARALLAX_DB; `parallax ingest` creates one)",
        code="no-database",
    )


@contextmanager
def _store(db: str | None, *, existing: bool = True) -> Iterator[Store]:
    """The store at ``db``. ``existing``: a command that only reads (or works on what is
    stored) refuses a SQLite file that isn't there rather than create an empty one."""
    from parallax.store import open_store

    try:
        missing = _missing_store(db) if existing else None
        if missing is not None:
            raise _no_database(missing)
        store = open_store(db)
    except ParallaxError as exc:
        raise _fail(exc) from None
    try:
        yield store
    except ParallaxError as exc:
        raise _fail(exc) from None
    finally:
        store.close()


def _overrides(outlet: str | None, published: str | None) -> dict[str, str]:
    from parallax.ingest import parse_user_date

    out: dict[str, str] = {}
    if outlet:
        out["outlet"] = outlet
    if published:
        try:
            out["published"] = parse_user_date(published)
        except ParallaxError as exc:
            err.print(f"[bold red]error:[/] --published: {term(exc)}")
            raise typer.Exit(EXIT_USAGE) from None
    return out


@contextmanager
def _progress(label: str) -> Iterator[Any]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[cyan]{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task(label, total=None, rate="")

        def update(event: str, advance: int) -> None:
            if event.startswith("phase:"):
                # a new phase: name it, and spin until it says how much there is to do
                progress.update(task, description=event.removeprefix("phase:"), rate="")
                progress.reset(task, total=None)
            elif event == "total":
                # a new phase: restart the bar, with an ETA when the total is known
                progress.reset(task, total=advance or None)
            elif event in ("read", "extracted", "compared"):
                progress.advance(task, advance)
                t = progress.tasks[task]
                if t.speed:
                    progress.update(task, rate=f"{t.speed:.1f} docs/s")

        yield update


def _print_ingest_summary(summary: Any) -> None:
    table = Table(title="Ingest", show_header=False, box=None)
    for key, value in (
        ("read", summary.read),
        ("stored", summary.stored),
        ("already stored", summary.exists),
        ("duplicates (linked)", summary.duplicates),
        ("near-duplicates", summary.near_duplicates),
        ("rejected", len(summary.rejected)),
    ):
        table.add_row(key, str(value))
    err.print(table)
    for rej in summary.rejected:
        # the cleaner's messages don't always name the input: a person must know which one
        message = rej.message if rej.source in rej.message else f"{rej.source}: {rej.message}"
        err.print(f"  [yellow]rejected[/] [bold]{term(rej.reason)}[/]: {term(message)}")


# --------------------------------------------------------------------------- ingest & articles


@app.command("ingest")
def ingest_cli(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs, or - for standard input.")],
    db: DbOpt = None,
    meta: Annotated[Path | None, typer.Option("--meta", help="Sidecar metadata (JSONL or CSV keyed by path or url).")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet name for every input.")] = None,
    published: Annotated[str | None, typer.Option("--published", help="Publication date for every input (ISO 8601).")] = None,
    extract: Annotated[bool, typer.Option("--extract", help="Extract facts right after ingesting.")] = False,
    executor: ExecutorOpt = "local",
    workers: WorkersOpt = None,
    ray_address: RayAddressOpt = None,
) -> None:
    """Read, clean and store articles."""
    from parallax import service
    from parallax.executor import get_executor
    from parallax.ingest import load_metadata

    _choice("executor", executor, ("local", "ray"))
    overrides = _overrides(outlet, published)
    with _store(db, existing=False) as store:
        try:
            table = load_metadata(meta) if meta else None
            runner = get_executor(executor, workers=workers, address=ray_address)
        except ParallaxError as exc:
            raise _fail(exc) from None
        with _progress("ingesting") as progress:
            summary = service.ingest(store, paths, meta=table, overrides=overrides, stdin=sys.stdin.buffer, executor=runner, progress=progress)
        _print_ingest_summary(summary)
        if extract:
            with _progress("extracting") as progress:
                ext = service.extract(store, executor=runner, progress=progress)
            err.print(f"extracted {ext.extracted} articles: " + ", ".join(f"{v} {k}" for k, v in ext.facts.items()))
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


def _article_rows(store: Store) -> list[dict[str, Any]]:
    from parallax.export.views import article_rows

    return article_rows(store)


@app.command("articles")
def articles_cli(
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, jsonl or csv")] = "table",
) -> None:
    """List stored articles."""
    _choice("format", fmt, ROW_FORMATS)
    with _store(db) as store:
        rows = _article_rows(store)
    _print_rows(rows, fmt, title="Articles")


ROW_FORMATS = ("table", "json", "jsonl", "csv")


def _print_rows(rows: list[dict[str, Any]], fmt: str, title: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
    elif fmt == "table":
        table = Table(title=title)
        for key in rows[0] if rows else ["id"]:
            table.add_column(key, overflow="fold")
        for row in rows:
            table.add_row(*(term(v, multiline=False) for v in row.values()))
        # piped: rows are never folded to the 80 columns of a terminal that isn't there
        (console if console.is_terminal else make_console(width=10_000)).print(table)
    else:
        err.print(f"[bold red]error:[/] unknown format '{term(fmt)}'")
        raise typer.Exit(EXIT_USAGE)


@app.command("show")
def show_cli(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Show one cleaned article record."""
    from parallax.export import article_to_export

    _choice("format", fmt, ("text", "json"))
    with _store(db) as store:
        article = store.get_article(article_id)
        data = article_to_export(article, store.get_facts(article.id), store.sources(article.id))
    if fmt == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    from parallax.report.terminal import render_article

    render_article(console, data)


@app.command("export")
def export_cli(
    fmt: Annotated[str, typer.Option("--format", help="json, jsonl, csv or parquet")] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="Output file (default: standard output).")] = None,
    table: Annotated[str, typer.Option("--table", help="For jsonl/csv/parquet: articles, entities, quotes, times, claims, events, stories, figures")] = "articles",
    db: DbOpt = None,
) -> None:
    """Export articles, facts and stories."""
    from parallax.export import write_export
    from parallax.export.schema import TABLES
    from parallax.export.writers import WRITERS

    _choice("format", fmt, tuple(WRITERS))
    _choice("table", table, tuple(TABLES))
    if fmt == "parquet" and (out is None or str(out) == "-"):
        raise _usage("parquet is binary: give --out FILE")
    _writable(out, "--out")
    with _store(db) as store:
        try:
            write_export(store, fmt, out, table=table)
        except OSError as exc:
            err.print(f"[bold red]error:[/] could not write {term(out or 'the export')}: {term(exc.strerror or exc)}")
            raise typer.Exit(EXIT_ERROR) from None
    if out:
        err.print(f"wrote {term(out)}")


@app.command("rejections")
def rejections_cli(db: DbOpt = None, fmt: Annotated[str, typer.Option("--format")] = "table") -> None:
    """List inputs that were rejected, with their reasons."""
    _choice("format", fmt, ROW_FORMATS)
    with _store(db) as store:
        rows = [{"source": r.source, "reason": r.reason, "message": r.message} for r in store.rejections()]
    _print_rows(rows, fmt, title="Rejected inputs")


# --------------------------------------------------------------------------- facts


@app.command("extract")
def extract_cli(
    db: DbOpt = None,
    since: Annotated[str | None, typer.Option("--since", help="Only articles published on or after this date.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-extract every article.")] = False,
    executor: ExecutorOpt = "local",
    workers: WorkersOpt = None,
    ray_address: RayAddressOpt = None,
) -> None:
    """Extract facts from every stored article not yet extracted by the current extractors."""
    from parallax import service
    from parallax.executor import get_executor
    from parallax.ingest import parse_user_date

    _choice("executor", executor, ("local", "ray"))
    if since is not None:
        try:
            since = parse_user_date(since)
        except ParallaxError as exc:
            raise _usage(f"--since: {exc}") from None
    with _store(db) as store:
        try:
            runner = get_executor(executor, workers=workers, address=ray_address)
        except ParallaxError as exc:
            raise _fail(exc) from None
        with _progress("extracting") as progress:
            summary = service.extract(store, since=since, force=force, executor=runner, progress=progress)
    err.print(
        f"extracted {summary.extracted} articles ({summary.unsupported} in unsupported languages): "
        + ", ".join(f"{v} {k}" for k, v in summary.facts.items())
    )
    for rej in summary.failed:
        err.print(f"  [yellow]failed[/] {term(rej.message)}")
    if summary.failed:
        raise typer.Exit(EXIT_REJECTED)


@app.command("facts")
def facts_cli(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    kind: Annotated[str | None, typer.Option("--kind", help="quotes, claims, events, entities or times")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    db: DbOpt = None,
) -> None:
    """Show the facts extracted from one article."""
    from parallax.export import FACT_KEYS, article_to_export

    _choice("format", fmt, ("text", "json"))
    kinds = [kind] if kind else list(FACT_KEYS)
    if kind and kind not in FACT_KEYS:
        err.print(f"[bold red]error:[/] unknown kind '{term(kind)}'. Available: {', '.join(FACT_KEYS)}")
        raise typer.Exit(EXIT_USAGE)
    with _store(db) as store:
        article = store.get_article(article_id)
        facts = store.get_facts(article.id)
        if facts is None:
            err.print(f"[yellow]article {term(article.id)} has no facts yet: run `parallax extract`[/]")
            raise typer.Exit(EXIT_ERROR)
        data = article_to_export(article, facts)
    if fmt == "json":
        sys.stdout.write(json.dumps({k: data[k] for k in kinds}, ensure_ascii=False, indent=2) + "\n")
        return
    from parallax.report.terminal import render_facts

    render_facts(console, data, kinds)


# --------------------------------------------------------------------------- stories


@app.command("analyze")
def analyze_cli(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for standard input.")],
    db: DbOpt = None,
    meta: Annotated[Path | None, typer.Option("--meta", help="Sidecar metadata (JSONL or CSV).")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet")] = None,
    published: Annotated[str | None, typer.Option("--published")] = None,
    html: Annotated[Path, typer.Option("--html", help="Where to write the HTML report.")] = Path("parallax-report.html"),
    full: Annotated[bool, typer.Option("--full", help="Every table of every story, not the compact summary.")] = False,
    executor: ExecutorOpt = "local",
    workers: WorkersOpt = None,
    ray_address: RayAddressOpt = None,
) -> None:
    """Ingest, extract, group and compare; print the stories compared and write an HTML report."""
    from parallax import service
    from parallax.executor import get_executor
    from parallax.export.views import story_bundle, story_view
    from parallax.ingest import load_metadata
    from parallax.report import render_html_report
    from parallax.report.terminal import render_stories_compact, render_story_full

    _choice("executor", executor, ("local", "ray"))
    overrides = _overrides(outlet, published)
    _writable(html, "--html")  # before the work: a report with nowhere to go is lost
    with _store(db, existing=False) as store:
        try:
            table = load_metadata(meta) if meta else None
            runner = get_executor(executor, workers=workers, address=ray_address)
        except ParallaxError as exc:
            raise _fail(exc) from None
        with _progress("analyzing") as progress:
            result = service.analyze(
                store, paths, meta=table, overrides=overrides, stdin=sys.stdin.buffer, executor=runner, progress=progress
            )
        _print_ingest_summary(result.ingest)
        with _progress("writing the report") as progress:
            progress("total", len(result.stories))
            bundles = []
            for story in result.stories:
                bundles.append(story_bundle(store, story))
                progress("compared", 1)
            views = [story_view(b) for b in bundles]
            report = render_html_report(bundles)
    if full:
        for view in views:
            render_story_full(console, view)
    else:
        render_stories_compact(console, views)
    _write(html, report)
    err.print(f"HTML report: {term(html)}")
    if result.ingest.rejected:
        raise typer.Exit(EXIT_REJECTED)


@app.command("stories")
def stories_cli(db: DbOpt = None, fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table") -> None:
    """List stories."""
    from parallax.export.views import story_rows

    _choice("format", fmt, ("table", "json"))
    with _store(db) as store:
        found, _ = story_rows(store, sort="articles", limit=None)
    rows = [
        {
            "id": r["id"],
            "title": r["title"],
            "articles": r["articles"],
            "outlets": ", ".join(r["outlets"]),
            "first_seen": r["first_seen"],
            "last_seen": r["last_seen"],
            "conflicts": r["conflicts"],
            "revisions": r["revisions"],
            "omissions": r["omissions"],
        }
        for r in found
    ]
    _print_rows(rows, fmt, title="Stories")


@app.command("story")
def story_cli(
    story_id: Annotated[str, typer.Argument(help="Story id (a unique prefix is enough).")],
    fmt: Annotated[str, typer.Option("--format", help="text, json, html or markdown")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of standard output.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Text: every table, not the compact summary.")] = False,
    db: DbOpt = None,
) -> None:
    """Show one story compared across outlets (compact; --full for every table)."""
    from parallax.export.views import story_bundle, story_bundle_light
    from parallax.report import render_html_report, render_markdown

    _choice("format", fmt, ("text", "json", "html", "markdown"))
    _writable(out, "--out")
    with _store(db) as store:
        # the terminal shows no article text: it needs no facts of the articles
        bundle = story_bundle_light(store, story_id) if fmt == "text" else story_bundle(store, store.get_story(story_id))
    if fmt == "text":
        from parallax.report.terminal import render_story

        if out:
            try:
                with out.open("w", encoding="utf-8") as fh:
                    render_story(make_console(file=fh, width=140), bundle, full=full)
            except OSError as exc:
                err.print(f"[bold red]error:[/] could not write {term(out)}: {term(exc.strerror or exc)}")
                raise typer.Exit(EXIT_ERROR) from None
        else:
            render_story(console, bundle, full=full)
        return
    if fmt == "json":
        text = json.dumps(bundle["story"], ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        text = render_html_report([bundle])
    else:
        text = render_markdown(bundle)
    if out:
        _write(out, text)
    else:
        sys.stdout.write(text)


@app.command("serve")
def serve_cli(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8765,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Also answer requests for this host name (repeatable); the bound host and localhost always are."),
    ] = None,
    get: Annotated[str | None, typer.Option("--get", help="Answer one request (e.g. /api/stories) and exit, without a server.")] = None,
) -> None:
    """Serve the web UI and the JSON API."""
    try:
        from parallax.web import create_app
    except ImportError as exc:
        err.print(f"[bold red]error:[/] the web server needs its extra: pip install 'parallax-news\\[web]' ({term(exc)})")
        raise typer.Exit(EXIT_ERROR) from None
    try:
        missing = _missing_store(db)
        if missing is not None:
            raise _no_database(missing)
        web = create_app(db, host=host, allow_hosts=allow_host or ())
    except ParallaxError as exc:
        raise _fail(exc) from None
    if get:
        from fastapi.testclient import TestClient

        with TestClient(web, base_url=f"http://{host}:{port}", raise_server_exceptions=False) as client:
            response = client.get(get)
        sys.stdout.write(response.text + ("\n" if not response.text.endswith("\n") else ""))
        raise typer.Exit(EXIT_OK if response.status_code < 400 else EXIT_ERROR)
    import uvicorn

    _check_bind(host, port)
    err.print(f"serving http://{host}:{port}/ (Ctrl-C stops)")
    try:
        uvicorn.run(web, host=host, port=port, log_level="warning")
    except SystemExit as exc:  # uvicorn's own startup failure code (3) means "rejected" here
        if exc.code not in (0, None):
            err.print(f"[bold red]error:[/] the server could not start on {term(host)}:{port}")
            raise typer.Exit(EXIT_ERROR) from None
        raise


def _check_bind(host: str, port: int) -> None:
    """Say plainly why the server can't listen (port in use, unknown host), before uvicorn tries."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            sock.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            why = f"port {port} is in use (another server?): choose another with --port"
        else:
            why = f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        err.print(f"[bold red]error:[/] {term(why)}")
        raise typer.Exit(EXIT_ERROR) from None


@app.command("version")
def version_cli() -> None:
    """Print the version."""
    console.print(f"parallax {__version__}")


# --------------------------------------------------------------------------- eval

EVALS = {
    "decoding": "parallax.ingest.evaluate",
    "cleaning": "parallax.eval.cleaning",
    "quotes": "parallax.eval.quotes",
    "entities": "parallax.eval.entities",
    "claims": "parallax.eval.claims",
    "timex": "parallax.eval.timex",
    "events": "parallax.eval.events",
    "grouping": "parallax.eval.grouping",
    "comparison": "parallax.compare.evaluate",
    "figures": "parallax.eval.figures",
}


def _make_eval(name: str, module: str) -> None:
    @eval_app.command(name, context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def _run(ctx: typer.Context) -> None:
        import importlib

        code = importlib.import_module(module).main(list(ctx.args))
        raise typer.Exit(int(code or 0))

    _run.__doc__ = f"Evaluate {name} (arguments are passed to {module}; --help there)."


for _name, _module in EVALS.items():
    _make_eval(_name, _module)


def main() -> None:
    try:
        app()
    except ParallaxError as exc:  # anything not caught closer to the user
        err.print(f"[bold red]error:[/] {term(exc)}")
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted: the store is consistent; rerun the same command to resume[/]")
        sys.exit(130)
    except OSError as exc:  # a file or the network failed under us: say which, not where in the code
        where = f" ({exc.filename})" if exc.filename else ""
        err.print(f"[bold red]error:[/] {term(exc.strerror or exc)}{term(where)}")
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # a bug: one line for the user; PARALLAX_DEBUG=1 shows the traceback
        if os.environ.get("PARALLAX_DEBUG"):
            raise
        err.print(
            f"[bold red]internal error:[/] {term(type(exc).__name__)}: {term(exc)} "
            "(rerun with PARALLAX_DEBUG=1 for the traceback, and please report it)"
        )
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
