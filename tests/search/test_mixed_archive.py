"""A real archive is mixed: the plan and the news sit among hundreds of unrelated papers in both
languages. An English question about the plan's AI section must find that section, not an English
paragraph that merely shares the question's language; a Vietnamese question must find the English
paper that answers it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from pydoc_data.topics import topics

import pytest

from catalog import Catalog
from hoptac.settings import Settings
from ingest.pipeline import ingest_paths
from models import Embedder
from models.neutral import read_parallel
from search import SearchEngine
from search.records import SearchHit

pytestmark = pytest.mark.slow

PLAN = "kh-137-ubnd-2025-ocr.txt"
#: Unrelated English prose any machine has: the Python language reference's help topics.
ENGLISH_PARAGRAPHS = 240
VIETNAMESE_PARAGRAPHS = 60


def unrelated_english() -> list[str]:
    paragraphs = [
        " ".join(p.split())
        for name in sorted(topics)
        for p in topics[name].split("\n\n")
        if 300 <= len(p.strip()) <= 1500 and p.strip()[0].isalpha()
    ]
    return paragraphs[:ENGLISH_PARAGRAPHS]


def unrelated_vietnamese() -> list[str]:
    """Software messages in Vietnamese, five to a paragraph."""
    sentences = [row["vi"] for row in read_parallel()]
    return [" ".join(sentences[i : i + 5]) + "." for i in range(0, 5 * VIETNAMESE_PARAGRAPHS, 5)]


@pytest.fixture(scope="module")
def archive(
    tmp_path_factory: pytest.TempPathFactory,
    sample_data_dir: Path,
    model_dir: Path,
    embedder: Embedder,
) -> Iterator[SearchEngine]:
    root = tmp_path_factory.mktemp("mixed")
    data = root / "data"
    shutil.copytree(sample_data_dir, data)
    inbox = root / "inbox"
    inbox.mkdir()
    for n, text in enumerate(unrelated_english()):
        (inbox / f"en-{n:03d}.txt").write_text(text, encoding="utf-8")
    for n, text in enumerate(unrelated_vietnamese()):
        (inbox / f"vi-{n:03d}.txt").write_text(text, encoding="utf-8")
    settings = Settings(data_dir=data, model=str(model_dir))
    catalog = Catalog(settings.catalog_location)
    report = ingest_paths(catalog, settings, [inbox])
    assert not report.failed
    engine = SearchEngine(settings, catalog, embedder=embedder)
    engine.sync()
    yield engine
    catalog.close()


def ai_section(hit: SearchHit) -> bool:
    return hit.source == PLAN and "1.1." in hit.section


@pytest.mark.parametrize(
    "query",
    [
        "artificial intelligence in health care",
        "AI clinical decision support",
        "AI in medical image diagnosis",
    ],
)
def test_english_query_about_the_plans_ai_section_ranks_that_section_first(
    archive: SearchEngine, query: str
) -> None:
    assert ai_section(archive.search(query, k=5).results[0])


def test_ai_assisted_imaging_finds_the_plan_above_every_english_paragraph(
    archive: SearchEngine,
) -> None:
    """Sections I.1 (better diagnosis through advanced technology), 1.1 (AI) and 1.2 (smart
    devices) are a near tie for this query; no English paragraph comes near them."""
    results = archive.search("AI-assisted diagnostic imaging", k=5).results
    assert [hit.language for hit in results[:3]] == ["vi", "vi", "vi"]
    ranked, _ = archive.rank("AI-assisted diagnostic imaging")
    chunks = archive.catalog.chunks_by_ids(ranked[:3])
    assert any("1.1." in chunk.section for chunk in chunks)


def test_scores_are_comparable_across_languages(archive: SearchEngine) -> None:
    """An unrelated English paragraph scores below the Vietnamese plan for an English question."""
    results = archive.search("telemedicine between hospitals", k=10).results
    plan = [h.score for h in results if h.language == "vi"]
    python_docs = [h.score for h in results if h.source.startswith("en-")]
    assert plan and (not python_docs or max(plan) > max(python_docs))


def test_queries_in_partner_languages_and_code_switched_queries_still_work(
    archive: SearchEngine,
) -> None:
    for query in (
        "AI trong chẩn đoán hình ảnh",
        "intelligence artificielle pour l'imagerie médicale",
        "의료 영상 진단을 위한 인공지능",
    ):
        top = archive.search(query, k=3).results
        assert top and top[0].source.startswith(("kh-137", "news-", "paper-")), (query, top[0])


def test_the_reference_set_is_parallel_in_every_language_the_map_removes() -> None:
    rows = read_parallel()
    assert len(rows) >= 200
    assert all(len(set(row)) == 9 and all(row.values()) for row in rows)
    assert json.dumps(rows[0], ensure_ascii=False)
