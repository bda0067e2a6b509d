"""The knowledge base kept current document by document holds what a rebuild from scratch derives.

Documents arrive one at a time, as uploads do, and after each the writer updates the knowledge base;
then a number is corrected, a document is deleted, librarians merge partners and enter a signing
date, and one more document arrives. At every step only the changed documents are read again, and
at the end a whole rebuild finds nothing to change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import Catalog
from hoptac.settings import Settings
from ingest.pipeline import delete_document, ingest_paths
from kb import KnowledgeBase, build, rebuild
from kb.schema import DERIVED_TABLES
from models import Embedder
from search.engine import SearchEngine

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARRIVALS = [
    ROOT / "corpus" / "kh-137-ubnd-2025-ocr.txt",
    ROOT / "corpus" / "news-hanoi-kh137-2025-05-17.txt",
    ROOT / "corpus" / "thoa-thuan-bach-mai-lyon.docx",
    ROOT / "corpus" / "news-hanoi-phap-sot-xuat-huyet-2025-04-08.html",
    ROOT / "tests" / "data" / "kb" / "bbgn-chiba-vi.txt",
    ROOT / "tests" / "data" / "kb" / "qd-2417-syt-2025-digital.txt",
    ROOT / "tests" / "data" / "kb" / "ke-hoach-tiem-chung-soi.txt",
    ROOT / "tests" / "data" / "kb" / "report-medical-waste-danang.txt",
]
LAST = ROOT / "tests" / "data" / "kb" / "mou-chiba-en.txt"


def derived(catalog: Catalog) -> dict[str, list[tuple[object, ...]]]:
    """Every derived table's rows, in a comparable order (scores to 4 places; without the row
    number PostgreSQL gives a table that has no key, which counts insertions, not facts)."""
    tables = {}
    for table in DERIVED_TABLES:
        rows = []
        for row in catalog.query(f"SELECT * FROM {table}"):
            values = (row[k] for k in row.keys() if k != "rowid")  # noqa: SIM118 -- a row iterates values
            rows.append(tuple(round(v, 4) if isinstance(v, float) else v for v in values))
        tables[table] = sorted(rows, key=repr)
    return tables


class Writer:
    """What the worker and the API do after each change: sync the index, update the KB."""

    def __init__(self, settings: Settings, catalog: Catalog, embedder: Embedder) -> None:
        self.settings, self.catalog = settings, catalog
        self.engine = SearchEngine(settings, catalog, embedder=embedder)
        self.kb = KnowledgeBase(catalog, settings.index_dir, embedder, self.engine.vector_index)

    def ingest(self, path: Path, first: bool = False) -> int:
        report = ingest_paths(self.catalog, self.settings, [path])
        assert not report.failed, report.failed
        return self.commit(1, first)

    def commit(self, changed: int, first: bool = False) -> int:
        """Sync and update; only the changed documents are derived (all of them, the first time)."""
        self.engine.sync()
        update = self.kb.update()
        assert (update.changed + update.removed, update.rebuilt) == (changed, first), update
        return max(d.id for d in self.catalog.list_documents())


def test_documents_added_one_by_one_edited_and_deleted_match_a_whole_rebuild(
    tmp_path: Path, model_dir: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path / "data", model=str(model_dir))
    catalog = Catalog(settings.catalog_location)
    writer = Writer(settings, catalog, embedder)
    plan = writer.ingest(ARRIVALS[0], first=True)
    ids = [plan, *(writer.ingest(path) for path in ARRIVALS[1:])]
    news, lyon, decision = ids[1], ids[2], ids[5]
    kb = writer.kb
    assert news in {c.document_id for c in kb.relations(plan).cited_by}
    assert [t.document_id for t in kb.twins(plan)] == [news]

    # a librarian corrects the decision's number: the plan's citation of it now links (and the
    # plan, closest to it in content, now reads as a report on it)
    catalog.correct(decision, {"number": "5369/QĐ-UBND"})
    writer.commit(1)
    cited = next(c for c in kb.relations(plan).cites if c.number == "5369/QD-UBND")
    assert cited.document_id == decision

    # the news article goes: the plan loses the report on it and its twin
    delete_document(catalog, settings, news)
    writer.commit(1)
    assert kb.relations(plan).cited_by == []
    assert news not in {t.document_id for t in kb.twins(plan)}

    # corrections, then one more document that names a merged partner
    bach_mai = next(p.id for p in kb.partners() if p.name == "Bệnh viện Bạch Mai")
    lyon_partner = next(p.id for p in kb.partners() if p.name == "Hospices Civils de Lyon")
    kb.merge_partners(lyon_partner, into_id=bach_mai)
    kb.correct_partner(bach_mai, name="Bạch Mai (with Lyon)")
    kb.correct_agreement(lyon, "2025-03-18")
    writer.ingest(LAST)
    assert writer.kb.update().changed == 0  # nothing left to do

    incremental = derived(catalog)
    assert incremental["kb_twins"] and incremental["kb_mentions"] and incremental["kb_agreements"]
    monkeypatch.setattr(build, "BATCH", 3)  # committed three documents at a time
    rebuild(catalog, settings.index_dir, embedder)
    rebuilt = derived(catalog)
    for table in DERIVED_TABLES:
        assert incremental[table] == rebuilt[table], table
    merged = kb.partner(bach_mai)
    assert merged.name == "Bạch Mai (with Lyon)" and "Hospices Civils de Lyon" in merged.aliases
    assert next(a for a in kb.agreements() if a.document_id == lyon).expires == "2030-03-18"
    catalog.close()
