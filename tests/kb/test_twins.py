"""Twins across languages: the news article about plan 137, the scan and the digital copy of one
decision, the English translation of a Vietnamese memorandum, and no false twins among the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import Catalog
from hoptac.settings import Settings
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase
from models import Embedder
from search.engine import SearchEngine
from tests.kb.conftest import document_id_of

pytestmark = pytest.mark.slow

WRITTEN = Path(__file__).resolve().parents[1] / "data" / "kb"
PLAN = "kh-137-ubnd-2025-ocr.txt"
NEWS = "news-hanoi-kh137-2025-05-17.txt"


def twin_pairs(kb: KnowledgeBase, catalog: Catalog) -> set[tuple[str, str, str]]:
    """Every twin as (document, twin, kind) by source name."""
    names = {d.id: d.source_name for d in catalog.list_documents()}
    return {(names[d], names[t.document_id], t.kind) for d in names for t in kb.relations(d).twins}


def test_the_news_article_is_plan_137s_twin_and_there_is_no_other(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    plan, news = document_id_of(catalog, PLAN), document_id_of(catalog, NEWS)
    [twin] = kb.relations(plan).twins
    assert (twin.document_id, twin.kind, twin.direction) == (news, "about", "reported_by")
    assert "cites 137/KH-UBND" in twin.evidence
    [back] = kb.relations(news).twins
    assert (back.document_id, back.direction, back.number) == (plan, "reports_on", "137/KH-UBND")
    assert twin_pairs(kb, catalog) == {(PLAN, NEWS, "about"), (NEWS, PLAN, "about")}


def test_the_twin_benchmark_prints_its_baseline_from_the_stored_vectors(
    kb: KnowledgeBase, catalog: Catalog, kb_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m bench.kb`` reads the stored passage vectors for its cosine baseline; it once
    called a helper the knowledge base had renamed and stopped before its twin table."""
    from bench.kb import twin_scores

    documents = {d.source_name: d.id for d in catalog.list_documents()}
    twin_scores(catalog, kb_settings, documents)
    printed = capsys.readouterr().out
    assert "| baseline: content cosine >= 0.9 | 1.00 (1/1) | 1.00 (1/1) |" in printed
    assert "| kb twins (rank in language + number/figures cues) | 1.00 (1/1) |" in printed


def test_a_reader_who_may_not_see_the_news_sees_no_twin(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    plan = document_id_of(catalog, PLAN)
    assert kb.relations(plan, allowed={plan}).twins == []


def test_a_translation_and_a_digital_copy_are_found_and_unrelated_texts_are_not(
    kb: KnowledgeBase, catalog: Catalog, kb_settings: Settings, embedder: Embedder
) -> None:
    # A Vietnamese memorandum and its English translation (no number on the English one), the
    # digital text of the scanned decision 2417/QĐ-SYT, and one unrelated text in each language.
    report = ingest_paths(catalog, kb_settings, sorted(WRITTEN.iterdir()))
    assert not report.failed, report.failed
    engine = SearchEngine(kb_settings, catalog, embedder=embedder)
    engine.sync()
    KnowledgeBase(catalog, kb_settings.index_dir, embedder, engine.vector_index).update()
    pairs = twin_pairs(kb, catalog)
    assert ("bbgn-chiba-vi.txt", "mou-chiba-en.txt", "translation") in pairs
    assert ("qd-2417-syt-2025-scan.pdf", "qd-2417-syt-2025-digital.txt", "version") in pairs
    assert (PLAN, NEWS, "about") in pairs
    assert len(pairs) == 6  # the three pairs, each seen from both sides
    for unrelated in ("ke-hoach-tiem-chung-soi.txt", "report-medical-waste-danang.txt"):
        assert kb.relations(document_id_of(catalog, unrelated)).twins == []
    [copy] = kb.relations(document_id_of(catalog, "qd-2417-syt-2025-scan.pdf")).twins
    assert copy.direction == "mutual"
    assert "same number 2417/QD-SYT" in copy.evidence


def test_search_facets_count_only_the_hits_given(kb: KnowledgeBase, catalog: Catalog) -> None:
    """The search route passes the hits the user may see; nothing else is counted or named."""
    seoul = document_id_of(catalog, "qd-2417-syt-2025-scan.pdf")
    facets = kb.facets({seoul})
    assert facets.counts["country"] == {"Korea": 1, "Vietnam": 1}
    assert "Seoul National University Hospital" in facets.partner_names.values()
    assert "Hospices Civils de Lyon" not in facets.partner_names.values()
    assert "infection_control" in facets.counts["area"]
