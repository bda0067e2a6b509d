"""Searching the catalog the way staff and researchers do, with the real model."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalog import Catalog, Chunk, DocumentFilter, DocumentMetadata, NewDocument, Page
from hoptac.errors import IndexMismatch, InvalidInput
from hoptac.settings import Settings
from models import Embedder
from search import SearchEngine
from search.vectors import PARAMS_FILE

pytestmark = pytest.mark.slow


@dataclass
class Library:
    settings: Settings
    catalog: Catalog
    engine: SearchEngine

    def add(
        self,
        key: str,
        chunks: list[str],
        language: str = "vi",
        pages: list[str] | None = None,
        stripped: bool = False,
        **metadata: str,
    ) -> int:
        """Store a document whose chunks are ``chunks`` (one page each unless pages are given)."""
        pages = pages or chunks
        records = [
            Chunk(
                ordinal=i,
                text=text,
                section=f"Phần {i + 1}",
                page_start=1 if pages is not chunks else i + 1,
                page_end=len(pages) if pages is not chunks else i + 1,
                language=language,
                stripped_score=0.95 if stripped else 0.0,
            )
            for i, text in enumerate(chunks)
        ]
        document_id, _ = self.catalog.store(
            NewDocument(
                source_key=key,
                source_name=f"{key}.pdf",
                content_hash=key,
                kind="pdf",
                stored_file=key,
                size_bytes=100,
                metadata=DocumentMetadata(
                    title=metadata.pop("title", key), languages=[language], **metadata
                ),
                pages=[
                    Page(n + 1, text, "text", stripped_score=0.95 if stripped else 0.0)
                    for n, text in enumerate(pages)
                ],
                chunks=records,
            )
        )
        return document_id

    def top(self, query: str, k: int = 5, **kwargs: object) -> list[str]:
        """Source names of the hits, best first."""
        return [hit.source for hit in self.engine.search(query, k=k, **kwargs).results]  # type: ignore[arg-type]


@pytest.fixture
def library(tmp_path: Path, model_dir: Path, embedder: Embedder) -> Library:
    settings = Settings(data_dir=tmp_path / "data", model=str(model_dir))
    catalog = Catalog(settings.catalog_location)
    lib = Library(settings, catalog, SearchEngine(settings, catalog, embedder=embedder))
    lib.add(
        "kh-hop-tac",
        ["Kế hoạch hợp tác quốc tế trong lĩnh vực y tế của thành phố Hà Nội năm 2025."],
        doc_type="Kế hoạch",
        issuer="UBND thành phố Hà Nội",
        issue_date="2025-05-17",
    )
    lib.add(
        "paper-imaging",
        ["Artificial intelligence improves the reading of chest X-ray images in Hanoi hospitals."],
        language="en",
        doc_type="paper",
        issue_date="2024-03-01",
    )
    lib.add(
        "qd-vaccine",
        ["Quyết định phê duyệt chương trình tiêm chủng mở rộng cho trẻ em dưới 5 tuổi."],
        doc_type="Quyết định",
        issuer="Sở Y tế Hà Nội",
        issue_date="2023-01-10",
    )
    lib.add(
        "scan-robot",
        ["Chuyen giao ky thuat phau thuat bang robot tu Phap cho benh vien Viet Duc."],
        stripped=True,
        doc_type="Thỏa thuận",
    )
    lib.engine.sync()
    return lib


def test_english_query_finds_the_vietnamese_plan_and_vietnamese_query_the_english_paper(
    library: Library,
) -> None:
    english = "plan for international cooperation in the health sector of the city"
    assert library.top(english)[0] == "kh-hop-tac.pdf"
    assert library.top("trí tuệ nhân tạo đọc ảnh X-quang ngực")[0] == "paper-imaging.pdf"
    assert library.top("robot surgery technology transfer from France")[0] == "scan-robot.pdf"


def test_query_typed_without_accents_finds_accented_and_stripped_text(library: Library) -> None:
    assert library.top("tiem chung tre em")[0] == "qd-vaccine.pdf"
    assert library.top("phau thuat robot")[0] == "scan-robot.pdf"
    assert library.top("phẫu thuật bằng robot")[0] == "scan-robot.pdf"


def test_exact_accents_rank_above_a_folded_match(library: Library) -> None:
    library.add("hoa-binh", ["Hòa bình và hợp tác giữa các quốc gia trong khu vực."])
    library.add(
        "hoa-binh-scan", ["Hoa binh va hop tac giua cac quoc gia trong khu vuc."], stripped=True
    )
    library.engine.sync()
    assert library.top("hòa bình hợp tác", k=2) == ["hoa-binh.pdf", "hoa-binh-scan.pdf"]
    both = library.top("hoa binh hop tac", k=2)
    assert set(both) == {"hoa-binh.pdf", "hoa-binh-scan.pdf"}


def test_filters_restrict_candidates_before_ranking(library: Library) -> None:
    assert library.top("y tế", filters=DocumentFilter(doc_type="quyet dinh")) == ["qd-vaccine.pdf"]
    since_2024 = library.top("hospital", filters=DocumentFilter(date_from="2024-01-01"))
    assert set(since_2024) == {"kh-hop-tac.pdf", "paper-imaging.pdf"}
    by_issuer = library.engine.search("kế hoạch", filters=DocumentFilter(issuer="ubnd"))
    assert [hit.issuer for hit in by_issuer.results] == ["UBND thành phố Hà Nội"]
    nothing = library.engine.search("y tế", filters=DocumentFilter(document_ids=()))
    assert nothing.results == [] and nothing.total == 0


def test_deleted_document_disappears_after_sync(library: Library) -> None:
    document_id = library.catalog.find_by_source("qd-vaccine")
    assert document_id is not None
    assert library.top("tiêm chủng trẻ em")[0] == "qd-vaccine.pdf"
    library.catalog.delete(document_id)
    report = library.engine.sync()
    assert report.removed == 1 and report.total == 3
    assert "qd-vaccine.pdf" not in library.top("tiêm chủng trẻ em")


def test_index_built_by_another_model_is_refused_until_reindex(
    library: Library, embedder: Embedder
) -> None:
    # The index files' story (the database's: tests/search/test_database_store.py).
    files = library.settings.model_copy(update={"index_store": "files"})
    SearchEngine(files, library.catalog, embedder=embedder).sync()
    params_file = library.settings.index_dir / PARAMS_FILE
    params = json.loads(params_file.read_text())
    params["fingerprint"], params["model"] = "0123456789abcdef", "another-model"
    params_file.write_text(json.dumps(params))
    reopened = SearchEngine(files, library.catalog, embedder=embedder)
    with pytest.raises(IndexMismatch, match="hoptac reindex"):
        reopened.search("y tế")
    report = reopened.reindex()
    assert report.total == 4 and report.added == 4
    assert reopened.search("tiêm chủng").results[0].source == "qd-vaccine.pdf"
    assert json.loads(params_file.read_text())["fingerprint"] == embedder.fingerprint


def test_snippet_marks_query_words_and_escapes_html(library: Library) -> None:
    library.add("html", ["Báo cáo <b>đánh giá</b> & khuyến nghị về y tế từ xa cho Hà Nội."])
    hit = library.engine.search("danh gia y te tu xa").results[0]
    assert hit.source == "html.pdf"
    assert "&lt;b&gt;<mark>đánh</mark> <mark>giá</mark>&lt;/b&gt; &amp;" in hit.snippet
    assert "<mark>tế</mark>" in hit.snippet and "<b>" not in hit.snippet
    stripped = library.engine.search("phẫu thuật robot").results[0]
    assert "<mark>phau</mark> <mark>thuat</mark>" in stripped.snippet


def test_hit_gives_the_page_where_the_snippet_stands(library: Library) -> None:
    pages = [
        "Mở đầu. Giới thiệu chung về kế hoạch.",
        "Phần hai nói về ngân sách và nhân lực.",
        "Hội chẩn từ xa giữa Bệnh viện Bạch Mai và bệnh viện tuyến huyện.",
    ]
    library.add("multi-page", [" ".join(pages)], pages=pages)
    hit = library.engine.search("hội chẩn từ xa Bạch Mai").results[0]
    assert (hit.source, hit.page) == ("multi-page.pdf", 3)
    assert hit.section == "Phần 1"


def test_one_document_does_not_fill_the_page(library: Library) -> None:
    library.add(
        "long-plan",
        [
            f"Nội dung {i}: đào tạo bác sĩ gia đình tại trạm y tế xã, giai đoạn {i}."
            for i in range(6)
        ],
    )
    response = library.engine.search("đào tạo bác sĩ gia đình", k=5)
    sources = [hit.source for hit in response.results]
    assert sources[0] == "long-plan.pdf"
    assert sources.count("long-plan.pdf") == 2
    assert response.results[0].score >= response.results[1].score


def test_pagination_and_empty_query(library: Library) -> None:
    first = library.engine.search("y tế", k=2)
    second = library.engine.search("y tế", k=2, offset=2)
    assert first.total == second.total >= 4
    assert not {h.chunk_id for h in first.results} & {h.chunk_id for h in second.results}
    assert first.facets["type"]["Kế hoạch"] == 1 and first.facets["year"]["2025"] == 1
    assert sum(first.facets["language"].values()) == first.total
    with pytest.raises(InvalidInput):
        library.engine.search("   ")


def test_similar_documents_exclude_the_document_itself(library: Library) -> None:
    related = library.add(
        "kh-hop-tac-2", ["Kế hoạch hợp tác với các đối tác nước ngoài về y tế năm 2026."]
    )
    library.engine.sync()
    source = library.catalog.find_by_source("kh-hop-tac")
    response = library.engine.similar(document_id=source, k=3)
    assert response.results[0].document_id == related
    assert source not in {hit.document_id for hit in response.results}
    chunk = library.catalog.chunks(related)[0].id
    assert chunk not in {hit.chunk_id for hit in library.engine.similar(chunk_id=chunk).results}


def test_searches_keep_answering_while_an_upload_syncs(library: Library) -> None:
    errors: list[BaseException] = []

    def upload() -> None:
        try:
            for i in range(3):
                library.add(
                    f"upload-{i}", [f"Tài liệu tải lên số {i} về hợp tác y tế với Nhật Bản."]
                )
                library.engine.sync()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=upload)
    thread.start()
    while thread.is_alive():
        assert library.engine.search("hợp tác y tế").results
    thread.join()
    assert not errors
    assert "upload-2.pdf" in library.top("tài liệu tải lên hợp tác Nhật Bản", k=10)


def test_a_repeated_query_reuses_its_embedding(library: Library) -> None:
    """Paging through results or clicking a facet repeats the query: it is embedded once."""
    first = library.engine.search("hợp tác quốc tế y tế", k=1)
    calls = library.engine._query_vector.cache_info().hits
    second = library.engine.search("hợp tác quốc tế y tế", k=1, offset=1)
    assert library.engine._query_vector.cache_info().hits == calls + 1
    assert first.results[0].chunk_id != second.results[0].chunk_id


#: A passage of the plan's technology list: nanotechnology first, telemedicine third.
TECHNOLOGY_ITEMS = (
    "1.6. Công nghệ nano trong y tế: hạt nano cho chẩn đoán và điều trị ung thư. "
    "1.7. Blockchain trong quản lý dữ liệu y tế: bảo mật hồ sơ bệnh án điện tử. "
    "1.8. Y tế từ xa: theo dõi sức khỏe người bệnh tại nhà qua ứng dụng trên điện thoại. "
    "1.9. Phẫu thuật nội soi và can thiệp tim mạch."
)


def test_a_passage_in_another_language_shows_its_sentence_closest_in_meaning(
    library: Library,
) -> None:
    """The plan's chunk lists nanotechnology first; an English question on remote monitoring
    shares no word with it, and is shown the telemedicine item."""
    library.add(
        "kh-cong-nghe",
        [TECHNOLOGY_ITEMS],
    )
    library.engine.sync()
    hits = library.engine.search("remote patient monitoring through mobile apps", k=3).results
    hit = next(h for h in hits if h.source == "kh-cong-nghe.pdf")
    assert hit.snippet.startswith("1.8. Y tế từ xa")


def test_once_the_writer_has_prepared_snippets_a_search_embeds_only_its_query(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same telemedicine item is shown from the sentence vectors the writer stored; the
    search embeds no sentence. A deleted passage takes its sentence vectors with it."""
    document_id = library.add(
        "kh-cong-nghe",
        [TECHNOLOGY_ITEMS],
    )
    library.engine.sync()
    assert library.engine.prepare_snippets() >= 1
    assert library.engine.prepare_snippets() == 0  # nothing left to do
    library.engine._sentence_vectors.clear()
    embedded: list[str] = []
    original = library.engine.embedder.embed_passages
    monkeypatch.setattr(
        library.engine.embedder,
        "embed_passages",
        lambda texts: embedded.extend(texts) or original(texts),
    )
    hits = library.engine.search("remote patient monitoring through mobile apps", k=3).results
    hit = next(h for h in hits if h.source == "kh-cong-nghe.pdf")
    assert hit.snippet.startswith("1.8. Y tế từ xa")
    assert embedded == []
    [chunk] = library.catalog.chunks(document_id)
    fingerprint = library.engine.embedder.fingerprint
    assert library.catalog.snippet_vectors([chunk.id], fingerprint)
    library.catalog.delete(document_id)
    assert library.catalog.snippet_vectors([chunk.id], fingerprint) == {}


def test_a_restored_scan_shows_its_restored_text_and_keeps_the_original(
    library: Library,
) -> None:
    original = "Hop tac quéc té vé dao tao bac si noi tru tai Phap."
    chunk = Chunk(
        ordinal=0,
        text=original,
        section="",
        page_start=1,
        page_end=1,
        language="vi",
        stripped_score=0.9,
        text_restored="Hợp tác quốc tế về đào tạo bác sĩ nội trú tại Pháp.",
    )
    library.catalog.store(
        NewDocument(
            source_key="scan-noi-tru",
            source_name="scan-noi-tru.pdf",
            content_hash="scan-noi-tru",
            kind="pdf",
            stored_file="scan-noi-tru",
            size_bytes=100,
            metadata=DocumentMetadata(title="scan", languages=["vi"]),
            pages=[Page(1, original, "ocr", stripped_score=0.9)],
            chunks=[chunk],
        )
    )
    library.engine.sync()
    hit = library.engine.search("đào tạo bác sĩ nội trú", k=1).results[0]
    assert hit.source == "scan-noi-tru.pdf" and hit.restored
    assert "<mark>bác</mark> <mark>sĩ</mark>" in hit.snippet
    assert hit.original_text == original


def test_sync_reports_its_embedding_progress_up_to_every_passage(
    sample_data_dir: Path, embedder: Embedder, model_dir: Path, tmp_path: Path
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    shutil.rmtree(data / "index", ignore_errors=True)
    settings = Settings(data_dir=data, model=str(model_dir), index_store="files")
    catalog = Catalog(settings.catalog_location)
    seen: list[tuple[int, int]] = []
    report = SearchEngine(settings, catalog, embedder=embedder).sync(
        on_progress=lambda done, total: seen.append((done, total))
    )
    catalog.close()
    assert report.added > 0 and seen[0] == (0, report.added)
    assert seen[-1] == (report.added, report.added)
