"""The knowledge base over the sample corpus: areas, partners, agreements and citations, as the
cooperation staff ask for them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from catalog import Catalog
from hoptac.errors import NotFound
from kb import KnowledgeBase, rebuild
from tests.kb.conftest import document_id_of

pytestmark = pytest.mark.slow

PLAN = "kh-137-ubnd-2025-ocr.txt"
NEWS = "news-hanoi-kh137-2025-05-17.txt"
LYON = "thoa-thuan-bach-mai-lyon.docx"
SEOUL = "qd-2417-syt-2025-scan.pdf"
TODAY = date(2026, 11, 30)


def area_keys(kb: KnowledgeBase, document_id: int) -> set[str]:
    return {a.key for a in kb.document_areas(document_id)}


def partner_named(kb: KnowledgeBase, name: str, allowed: set[int] | None = None) -> int:
    return next(p.id for p in kb.partners(allowed) if p.name == name)


def test_plan_137_areas_include_ai_telemedicine_and_gene_technology(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    areas = area_keys(kb, document_id_of(catalog, PLAN))
    assert {"ai", "telemedicine", "genetics", "nano", "vr_ar", "training"} <= areas


def test_the_bach_mai_lyon_agreement_is_palliative_care_training(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    assert {"clinical", "training"} <= area_keys(kb, document_id_of(catalog, LYON))


def test_an_english_paper_on_deep_learning_for_imaging_is_ai_in_health(
    kb: KnowledgeBase, ingest_text: Callable[..., int]
) -> None:
    paper = ingest_text(
        "deep-learning-chest-xray.txt",
        "Deep convolutional networks for chest radiograph triage in Hanoi district hospitals.\n\n"
        "We trained a convolutional neural model on 40,000 chest X-rays to flag tuberculosis and "
        "pneumonia for radiologist review; sensitivity reached 0.93 on the held-out set.",
    )
    areas = kb.document_areas(paper)
    assert "ai" in {a.key for a in areas}
    assert "infection_control" not in {a.key for a in areas}


def test_the_partners_are_each_listed_once_with_their_country(kb: KnowledgeBase) -> None:
    partners = kb.partners()
    names = [p.name for p in partners]
    for name, country in [
        ("Korea International Cooperation Agency (KOICA)", "Korea"),
        ("Seoul National University Hospital", "Korea"),
        ("Hospices Civils de Lyon", "France"),
        ("Institut Pasteur", "France"),
    ]:
        assert names.count(name) == 1, names
        assert next(p for p in partners if p.name == name).country == country


def test_koica_written_in_vietnamese_and_as_an_acronym_is_one_partner(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    koica = kb.partner(partner_named(kb, "Korea International Cooperation Agency (KOICA)"))
    assert "Cơ quan Hợp tác Quốc tế Hàn Quốc" in koica.aliases
    seoul = document_id_of(catalog, SEOUL)
    assert any(m.document_id == seoul and "KOICA" in m.passage for m in koica.mentions)


def test_which_partners_work_on_infection_control_in_korea(kb: KnowledgeBase) -> None:
    names = {p.name for p in kb.partners(area="infection_control", country="Korea")}
    assert "Seoul National University Hospital" in names
    assert "Hospices Civils de Lyon" not in names


def test_the_seoul_project_runs_to_june_2027_funded_by_koica(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    seoul = document_id_of(catalog, SEOUL)
    project = next(a for a in kb.agreements(today=TODAY) if a.document_id == seoul)
    assert project.signed == "2025-06-12" and project.effective == "2025-06-12"
    assert project.expires == "2027-06-30" and project.duration_months == 24
    assert project.status == "expiring"
    assert any(
        "Korea International Cooperation Agency (KOICA)" in f.funders for f in project.funding
    )
    assert {
        "Seoul National University Hospital",
        "Korea International Cooperation Agency (KOICA)",
    } <= {p.name for p in project.parties}


def test_the_bach_mai_lyon_agreement_expires_five_years_after_the_signing_date_a_librarian_enters(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    lyon = document_id_of(catalog, LYON)
    before = next(a for a in kb.agreements(today=TODAY) if a.document_id == lyon)
    assert before.duration_months == 60 and before.expires is None and before.status == "unknown"
    assert [p.name for p in before.parties if p.side == "foreign"] == ["Hospices Civils de Lyon"]
    catalog.correct(lyon, {"issue_date": "2025-03-18"})
    kb.update()  # what the edit route and `hoptac edit` do once the correction commits
    after = next(a for a in kb.agreements(today=TODAY) if a.document_id == lyon)
    assert after.expires == "2030-03-18" and after.status == "active"
    assert lyon not in {
        a.document_id for a in kb.agreements(status="expiring", months=12, today=TODAY)
    }
    assert lyon in {a.document_id for a in kb.agreements(status="expiring", months=48, today=TODAY)}


def test_news_articles_and_papers_are_not_agreements(kb: KnowledgeBase, catalog: Catalog) -> None:
    ids = {a.document_id for a in kb.agreements()}
    assert document_id_of(catalog, NEWS) not in ids
    assert document_id_of(catalog, "paper-amr-surveillance-hanoi.pdf") not in ids


def test_plan_137_lists_the_decisions_it_implements_as_missing_and_is_cited_by_the_news(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    plan = kb.relations(document_id_of(catalog, PLAN))
    assert {"5369/QD-UBND", "43/KH-UBND", "19/KH-UBND", "08-CTR/TU", "07-CTR/TU"} <= set(
        plan.missing
    )
    assert next(c for c in plan.cites if c.number == "5369/QD-UBND").relation == "implements"
    assert document_id_of(catalog, NEWS) in {c.document_id for c in plan.cited_by}


def test_a_cited_decision_links_once_it_is_ingested(
    kb: KnowledgeBase, catalog: Catalog, ingest_text: Callable[..., int]
) -> None:
    decision = ingest_text(
        "qd-5369.txt",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI\nSố: 5369/QĐ-UBND\nHà Nội, ngày 14 tháng 10 năm 2024\n"
        "QUYẾT ĐỊNH\nVề việc phê duyệt Đề án nâng cao chất lượng khám chữa bệnh đến năm 2030\n",
    )
    assert catalog.get_document(decision).number == "5369/QĐ-UBND"
    plan = kb.relations(document_id_of(catalog, PLAN))
    assert "5369/QD-UBND" not in plan.missing
    assert next(c for c in plan.cites if c.number == "5369/QD-UBND").document_id == decision
    assert document_id_of(catalog, PLAN) in {c.document_id for c in kb.relations(decision).cited_by}


def test_a_partner_named_only_in_a_confidential_document_stays_hidden(
    kb: KnowledgeBase, catalog: Catalog, ingest_text: Callable[..., int]
) -> None:
    secret = ingest_text(
        "mou-jica-mat.txt",
        "BIÊN BẢN GHI NHỚ hợp tác giữa Sở Y tế Hà Nội và Cơ quan Hợp tác Quốc tế Nhật Bản (JICA) "
        "về telemedicine. Tài trợ 1,2 triệu USD. Có hiệu lực ba năm kể từ ngày ký.",
        classification="confidential",
    )
    everyone = {d.id for d in catalog.list_documents()}
    reader = everyone - {secret}
    assert "Japan International Cooperation Agency (JICA)" in {p.name for p in kb.partners()}
    assert "Japan International Cooperation Agency (JICA)" not in {
        p.name for p in kb.partners(reader)
    }
    jica = partner_named(kb, "Japan International Cooperation Agency (JICA)")
    with pytest.raises(NotFound):
        kb.partner(jica, reader)
    assert secret not in {a.document_id for a in kb.agreements(reader)}
    so_y_te = kb.partner(partner_named(kb, "Sở Y tế Hà Nội"), reader)
    assert secret not in {m.document_id for m in so_y_te.mentions}
    mou = next(a for a in kb.agreements() if a.document_id == secret)
    assert mou.duration_months == 36
    assert mou.funding[0].amount == 1_200_000 and mou.funding[0].currency == "USD"


def test_a_librarians_rename_and_confirmation_survive_a_rebuild(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    lyon = partner_named(kb, "Hospices Civils de Lyon")
    kb.correct_partner(lyon, name="Hospices Civils de Lyon (HCL)", confirmed=True)
    rebuild(catalog, kb.index_dir, kb.embedder)
    renamed = kb.partner(lyon)
    assert renamed.name == "Hospices Civils de Lyon (HCL)" and renamed.confirmed


def test_merging_then_splitting_partners(kb: KnowledgeBase) -> None:
    bach_mai = partner_named(kb, "Bệnh viện Bạch Mai")
    thanh_nhan = partner_named(kb, "Bệnh viện Thanh Nhàn")
    merged = kb.merge_partners(thanh_nhan, into_id=bach_mai)
    assert "Bệnh viện Thanh Nhàn" in merged.aliases
    assert thanh_nhan not in {p.id for p in kb.partners()}
    split = kb.split_partner(bach_mai, "Bệnh viện Thanh Nhàn")
    assert split.name == "Bệnh viện Thanh Nhàn"
    assert "Bệnh viện Thanh Nhàn" not in kb.partner(bach_mai).aliases


def test_a_librarian_adds_and_removes_areas_on_a_document(
    kb: KnowledgeBase, catalog: Catalog
) -> None:
    lyon = document_id_of(catalog, LYON)
    kb.tag_document(lyon, "telemedicine", present=True)
    kb.tag_document(lyon, "training", present=False)
    rebuild(catalog, kb.index_dir, kb.embedder)
    areas = {a.key: a.source for a in kb.document_areas(lyon)}
    assert areas.get("telemedicine") == "librarian" and "training" not in areas
    kb.rename_area("telemedicine", "Y tế từ xa", "Telehealth")
    assert next(a for a in kb.areas() if a.key == "telemedicine").name_en == "Telehealth"


def test_the_knowledge_base_heals_from_the_catalog(kb: KnowledgeBase, catalog: Catalog) -> None:
    expected = {p.name for p in kb.partners()}
    with catalog.transaction(documents_changed=False) as conn:
        conn.execute("DELETE FROM kb_mentions")
        conn.execute("DELETE FROM kb_state")
    assert kb.update().rebuilt  # the next writer's update finds the state lost and derives it all
    assert {p.name for p in kb.partners()} == expected
