"""``hoptac kb rebuild``, ``hoptac partners``, ``hoptac agreements``: the knowledge base at the terminal.

The CLI reads the local data directory as its administrator, so it sees every document. Listing
commands load no model: they compare passages with areas through the area vectors the server or
``hoptac kb rebuild`` cached, and fall back to keywords without them.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from api.cli import console, data_dir_option, open_catalog, out, settings
from kb import KnowledgeBase, export, rebuild
from kb.records import TwinOut


def open_kb() -> KnowledgeBase:
    return KnowledgeBase(open_catalog(), settings().index_dir)


def document_twins(document_id: int) -> list[TwinOut]:
    """For ``hoptac show``: the document's versions, translations and reports."""
    return open_kb().twins(document_id)


def print_twins(twins: list[TwinOut]) -> None:
    if not twins:
        out.print("Twins: none (no version, translation or report of this document found)")
        return
    table = Table(title="Twins (versions, translations, reports)")
    for column in ("doc", "kind", "number", "languages", "score", "why", "title"):
        table.add_column(column, overflow="fold")
    for t in twins:
        kind = t.kind if t.direction == "mutual" else f"{t.kind} ({t.direction.replace('_', ' ')})"
        table.add_row(
            str(t.document_id),
            kind,
            t.number or "",
            ", ".join(t.languages),
            f"{t.score:.3f}",
            "; ".join(t.evidence),
            t.title or "",
        )
    out.print(table)


@click.group("kb")
def kb_group() -> None:
    """The cooperation knowledge base: areas, partners, agreements, citations.

    \b
    Example:
      hoptac --data-dir ./data kb rebuild
    """


@kb_group.command("rebuild")
@click.option("--no-model", is_flag=True, help="Keywords only for the areas (no model is loaded).")
@data_dir_option
def kb_rebuild(no_model: bool) -> None:
    """Rebuild the knowledge base from the catalog (it also refreshes itself after each change).

    \b
    Example:
      hoptac kb rebuild
    """
    embedder = None
    if not no_model:
        from models import load_embedder

        with console.status("Loading the embedding model..."):
            embedder = load_embedder(settings())
    with console.status("Reading areas, partners, agreements and citations..."):
        report = rebuild(open_catalog(), settings().index_dir, embedder)
    out.print(
        f"{report.documents} documents: {report.passages_tagged} passages tagged with areas"
        f"{'' if report.used_vectors else ' (keywords only)'}, {report.partners} partners "
        f"({report.mentions} mentions), {report.agreements} agreements, {report.citations} "
        f"citations, {report.twins} twins, in {report.seconds} s"
    )


@click.command()
@click.option(
    "--area", help="Only partners of documents in this area (a key: telemedicine, ai...)."
)
@click.option("--country", help="Only partners from this country, e.g. Korea.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@data_dir_option
def partners(area: str | None, country: str | None, as_json: bool) -> None:
    """List partner organisations and Vietnamese counterparts, most documents first.

    \b
    Example:
      hoptac partners --area telemedicine --country Korea
    """
    found = open_kb().partners(area=area, country=country)
    if as_json:
        for p in found:
            click.echo(p.model_dump_json())
        return
    table = Table(title=f"{len(found)} partners")
    for column in ("id", "name", "country", "side", "documents", "last activity", "areas"):
        table.add_column(column, overflow="fold")
    for p in found:
        table.add_row(
            str(p.id),
            p.name + (" ✓" if p.confirmed else ""),
            p.country or "",
            p.side,
            str(p.documents),
            p.last_activity or "",
            ", ".join(p.areas),
        )
    out.print(table)


class Months(click.ParamType[int]):
    """A period as users write it: "12m", "18", "2y" (months unless it ends in y)."""

    name = "period"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        text = str(value).strip().lower()
        years = text.endswith("y")
        number = text.rstrip("my")
        if not number.isdigit() or not 1 <= int(number) * (12 if years else 1) <= 600:
            self.fail(
                f"{value!r} is not a period such as 12m, 18 or 2y (up to 50 years)", param, ctx
            )
        return int(number) * (12 if years else 1)


@click.command()
@click.option(
    "--expiring-within",
    "--expiring",
    "months",
    type=Months(),
    help="Only those ending within this period: 12m, 18, 2y.",
)
@click.option("--status", type=click.Choice(["active", "expiring", "expired", "unknown"]))
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Write CSV here."
)
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write an Excel workbook here.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@data_dir_option
def agreements(
    months: int | None,
    status: str | None,
    csv_path: Path | None,
    xlsx_path: Path | None,
    as_json: bool,
) -> None:
    """List agreements, MoUs and approved projects: partners, term, expiry, funding.

    \b
    Example:
      hoptac agreements --expiring-within 12m
      hoptac agreements --csv agreements.csv
      hoptac agreements --expiring-within 12m --xlsx agreements.xlsx
    """
    rows = open_kb().agreements(
        status=status or ("expiring" if months else None), months=months or 12
    )
    if as_json:
        for a in rows:
            click.echo(a.model_dump_json())
        return
    if csv_path is not None or xlsx_path is not None:
        if csv_path is not None:
            csv_path.write_text(export.to_csv(rows), encoding="utf-8", newline="")
            out.print(f"{len(rows)} agreements written to {csv_path}")
        if xlsx_path is not None:
            xlsx_path.write_bytes(export.to_xlsx(rows))
            out.print(f"{len(rows)} agreements written to {xlsx_path}")
        return
    table = Table(title=f"{len(rows)} agreements")
    for column in (
        "doc",
        "number",
        "foreign partners",
        "signed",
        "months",
        "expires",
        "status",
        "funding",
    ):
        table.add_column(column, overflow="fold")
    for a in rows:
        table.add_row(
            str(a.document_id),
            a.number or "",
            ", ".join(f"{p.name} ({p.country})" for p in a.parties if p.side == "foreign"),
            a.signed or "",
            str(a.duration_months or ""),
            a.expires or "",
            a.status,
            "; ".join(
                " ".join(
                    filter(
                        None, [f"{f.amount:,.0f}" if f.amount else "", f.currency or "", *f.funders]
                    )
                )
                for f in a.funding
            ),
        )
    out.print(table)


COMMANDS = (kb_group, partners, agreements)
