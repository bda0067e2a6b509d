"""A librarian finds a plan by its number, issuer and date, even when the scan garbled them."""

from __future__ import annotations

from pathlib import Path

from ingest.diacritics import space_accented
from ingest.metadata import extract_metadata, readable_head

SEED = Path(__file__).resolve().parents[2] / "corpus"  # the seed documents, copied from shared/


def test_garbled_ocr_plan_gives_its_own_number_type_issuer_and_date() -> None:
    meta = extract_metadata((SEED / "kh-137-ubnd-2025-ocr.txt").read_text(encoding="utf-8"))
    assert meta.number == "137/KH-UBND"  # not 5369/QD-UBND or 43/KH-UBND, which it cites
    assert meta.references[:2] == ["5369/QĐ-UBND", "43/KH-UBND"]
    assert meta.doc_type == "Kế hoạch"
    assert meta.issuer == "UBND thành phố Hà Nội"
    assert meta.issue_date == "2025-05-15"  # "ngay /5 thang 5 nam 2025": the OCR "/" is a 1
    assert meta.title is not None and meta.title.startswith("Hop tac quéc té")  # the summary


def test_news_article_is_an_article_dated_by_its_byline() -> None:
    meta = extract_metadata((SEED / "news-hanoi-kh137-2025-05-17.txt").read_text(encoding="utf-8"))
    assert meta.doc_type == "article"
    assert meta.issue_date == "2025-05-17"
    assert meta.title == "Hà Nội: Hợp tác với các quốc gia có nền y học tiên tiến trên thế giới"
    assert meta.technology_area == "AI"


def test_decision_type_comes_from_the_number_and_date_from_the_header() -> None:
    text = (
        "BỘ Y TẾ\nSố: 5369/QĐ-BYT\nHà Nội, ngày 14 tháng 10 năm 2024\n\nVề việc phê duyệt đề án\n"
    )
    meta = extract_metadata(text, title_hint="Đề án 5369", date_hint="2024-11-01")
    assert meta.number == "5369/QĐ-BYT"
    assert meta.doc_type == "Quyết định"
    assert meta.issuer == "Bộ Y tế"
    assert meta.issue_date == "2024-10-14"  # the header's date, not the file's
    assert meta.place == "Hà Nội"


def test_hints_fill_what_the_text_does_not_say() -> None:
    meta = extract_metadata(
        "A short note on telemedicine cooperation with Japan.", date_hint="2023-01-02"
    )
    assert meta.issue_date == "2023-01-02"
    assert meta.partner_country == "Japan"
    assert meta.technology_area == "telemedicine"


def test_a_page_without_its_header_takes_no_date_from_the_documents_it_cites() -> None:
    """The body page of a letter, saved as text from someone else's OCR: every date on it is a
    cited document's ("Phiếu chuyển số 3578/PC-VP ngày 09 tháng 02 năm 2021"), as every number is.
    Empty is for a librarian to fill in; a cited date would look right and be wrong."""
    body = (
        "Sở Tư pháp nhận được Phiếu chuyển số 3578/PC-VP ngày 09 tháng 02 năm 2021 của Văn phòng "
        "Ủy ban nhân dân Thành phố về việc chuyển Quyết định số 81/QĐ-TTg, ngày 19 tháng 01 năm "
        "2021 và Quyết định số ZZZ|QĐ-BTP ngày 09 tháng 02 năm 2021 theo Nghị định số "
        "55/2019/NĐ-CP ngày 24/6/2019 của Chính phủ."
    )
    assert extract_metadata(body).issue_date is None
    news = "Hà Nội, 17/05/2025 - Theo Kế hoạch số 137/KH-UBND ngày 15/5/2025, thành phố hợp tác."
    assert extract_metadata(news).issue_date == "2025-05-17"  # the byline, not the plan's date


def test_partner_publications_are_dated_in_english_and_french() -> None:
    """A researcher files WHO guidance and a French partner's report: their dates name the month."""
    who = extract_metadata(
        "WHO guidance on telemedicine in low-resource settings\n\nGeneva, 12 March 2024\n\n"
        "Received 3/4/2020 comments from Member States."
    )
    assert who.issue_date == "2024-03-12"  # the named month, before an ambiguous numeric date
    report = extract_metadata("Rapport annuel de coopération\nLyon, le 1er août 2022\nBilan.")
    assert report.issue_date == "2022-08-01"
    assert extract_metadata("Updated March 12, 2024. Telehealth notes.").issue_date == "2024-03-12"


def test_agreements_in_three_languages_are_filed_under_one_type_with_their_parties() -> None:
    """Staff filter by type "Bản ghi nhớ" and expect the Korean partner's English MoU there too;
    an MoU's summary ends at its place-and-date line, not in its first article."""
    vietnamese = extract_metadata(
        "BIÊN BẢN GHI NHỚ\nHợp tác giữa Sở Y tế Hà Nội và JICA\nHà Nội, ngày 5 tháng 6 năm 2024\n"
        "Hai bên thống nhất hợp tác đào tạo bác sĩ."
    )
    assert (vietnamese.doc_type, vietnamese.title, vietnamese.issue_date) == (
        "Biên bản ghi nhớ",
        "Hợp tác giữa Sở Y tế Hà Nội và JICA",
        "2024-06-05",
    )
    assert vietnamese.place == "Hà Nội"  # from the same line, under the title
    english = extract_metadata(
        "MEMORANDUM OF UNDERSTANDING\nbetween the Hanoi Department of Health and Seoul National "
        "University Hospital\nHanoi, 5 June 2024\nThe parties agree to cooperate."
    )
    assert english.doc_type == "Bản ghi nhớ" and english.issue_date == "2024-06-05"
    assert english.title == (
        "MEMORANDUM OF UNDERSTANDING between the Hanoi Department of Health and Seoul National "
        "University Hospital"
    )
    french = extract_metadata("Accord de coopération entre les HCL et l'Hôpital Bach Mai\nLyon.")
    assert french.doc_type == "Thỏa thuận"
    paper = extract_metadata(
        "Agreement between two raters on chest CT\nAbstract\nIntroduction and methods.\nReferences"
    )
    assert paper.doc_type == "paper"  # a paper about agreement between raters is no agreement
    news = extract_metadata("Agreement signed in Seoul on telemedicine for Hanoi hospitals\nNews.")
    assert news.doc_type == "article"  # a headline that reports an agreement


def test_a_legal_affairs_plan_names_no_partner_country() -> None:
    """A health department's plan to review legal documents says "pháp" (law) on every page, and
    "mỹ phẩm" (cosmetics) and "hệ thống hóa kỳ báo cáo"; folded, these read as France and the
    United States. Staff asking what we do with France must not get every legal document."""
    text = (
        "SỞ Y TẾ\nSố: 852/KH-SYT\nThành phố Hồ Chí Minh, ngày 09 tháng 02 năm 2021\n"
        "KẾ HOẠCH\nCông tác kiểm tra, rà soát văn bản quy phạm pháp luật trong lĩnh vực y tế\n"
        "Căn cứ Nghị định số 34/2016/NĐ-CP hướng dẫn Luật Ban hành văn bản quy phạm pháp luật;\n"
        "Rà soát các lĩnh vực: dược, mỹ phẩm, khám bệnh, chữa bệnh, pháp y, hợp pháp hóa lãnh sự.\n"
        "Đơn vị phối hợp: Văn phòng Sở (Tổ Pháp chế - Đối ngoại), Sở Tư pháp.\n"
        "Hệ thống hóa kỳ báo cáo 2014-2018; đề xuất giải pháp, biện pháp nâng cao giáo dục, đạo đức."
    )
    assert extract_metadata(text).partner_country is None


def test_a_plan_that_lists_partner_countries_names_each() -> None:
    text = (
        "Tăng cường hợp tác với các quốc gia có nền y học phát triển như: Mỹ, Pháp, Đức, Nhật Bản; "
        "đào tạo bác sĩ tại Cộng hòa Pháp về liệu pháp điều trị ung thư."
    )
    assert extract_metadata(text).partner_country == "France"  # named twice, the others once
    listed = extract_metadata("Hợp tác với các nước như: Mỹ, Pháp, Đức và Nhật Bản.")
    assert listed.partner_country == "United States, France, Germany, Japan"


def test_an_ocr_decision_header_gives_its_own_number_issuer_and_type() -> None:
    """OCR splits "QĐ- SYT"; the header also cites the plan 137/KH-UBND and the city committee."""
    text = (
        "SỞ Y TẾ HÀ NỘI |\n\nCONG HOA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 2417/QĐ- SYT _~\nHà Nội, ngày 12 tháng 6 năm 2025\n. QUYẾT ĐỊNH:\n"
        "Về việc phê duyệt Đề án hợp tác quốc tế với Bệnh viện Đại học\n"
        "Quốc gia Seoul (Hàn Quốc) trong lĩnh vực chẩn đoán hình ảnh.\n\n"
        "- Căn cứ Kế hoạch số 137/KH-UBND ngày 15/5/2025 của Ủy ban nhận\n"
        "dân thành phố Hà Nội về hợp tác quốc tế\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type, meta.issuer, meta.issue_date) == (
        "2417/QĐ-SYT",
        "Quyết định",
        "Sở Y tế Hà Nội",
        "2025-06-12",
    )
    assert meta.title is not None and meta.title.startswith("Về việc phê duyệt")


def test_a_docx_agreement_heading_gives_its_type_and_title() -> None:
    text = (
        "# THỎA THUẬN HỢP TÁC\n\nGiữa Bệnh viện Bạch Mai (Hà Nội, Việt Nam) và Hospices Civils de "
        "Lyon (Cộng hòa Pháp) về đào tạo.\n\n# Điều 1. Mục tiêu\n\nHai bên hợp tác.\n"
    )
    meta = extract_metadata(text, date_hint="2026-11-30")
    assert meta.doc_type == "Thỏa thuận"
    assert meta.issue_date is None  # the text gives no date; the file's is not the signing's
    assert meta.title is not None and meta.title.startswith(
        "THỎA THUẬN HỢP TÁC Giữa Bệnh viện Bạch Mai"
    )
    assert meta.title.endswith("về đào tạo.")  # "Điều 1" starts the body


def test_a_title_stops_before_the_signers_heading() -> None:
    text = (
        "SỞ Y TẾ HÀ NỘI\nSố: 2417/QĐ-SYT\nQUYẾT ĐỊNH\nVề việc phê duyệt Dự án hợp tác với Bệnh viện\n"
        "Đại học Quốc gia Seoul (Hàn Quốc)\nGIÁM ĐỐC SỞ Y TẾ HÀ NỘI\nCăn cứ Luật Khám bệnh, chữa bệnh;\n"
    )
    assert extract_metadata(text).title == (
        "Về việc phê duyệt Dự án hợp tác với Bệnh viện Đại học Quốc gia Seoul (Hàn Quốc)"
    )


# The official header, read as a clerk reads it (Decree 30/2020/NĐ-CP). Each header below is
# written here in the shapes that real text layers and OCR give.


def test_a_department_under_a_city_committee_is_the_issuer_with_the_citys_name() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n-------\n"
        "Số: 418/QĐ-SKHCN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Đà Nẵng, ngày 3 tháng 11 năm 2023\n\nQUYẾT ĐỊNH\n"
        "Về việc ban hành Quy chế quản lý nhiệm vụ khoa học\nvà công nghệ cấp cơ sở\n\n"
        "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ\n"
        "Căn cứ Quyết định số 12/2019/QĐ-UBND ngày 8 tháng 3 năm 2019 của UBND thành phố;\n"
    )
    meta = extract_metadata(text)
    assert meta.number == "418/QĐ-SKHCN"  # not 12/2019/QĐ-UBND, which it cites
    assert meta.doc_type == "Quyết định"
    assert meta.issuer == "Sở Khoa học và Công nghệ thành phố Đà Nẵng"  # not the committee above
    assert (meta.place, meta.issue_date) == ("Đà Nẵng", "2023-11-03")
    assert meta.title == (
        "Về việc ban hành Quy chế quản lý nhiệm vụ khoa học và công nghệ cấp cơ sở"
    )
    assert meta.references == ["12/2019/QĐ-UBND"]


def test_an_official_letter_is_a_cong_van_titled_by_its_v_v_line() -> None:
    text = (
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCỤC QUẢN LÝ KHÁM, CHỮA BỆNH "
        "Độc lập - Tự do - Hạnh phúc\nSố: 1520/KCB-NV Hà Nội, ngày 20 tháng 9 năm 2024\n"
        "V/v hướng dẫn triển khai hồ sơ\nbệnh án điện tử\n\n"
        "Kính gửi: Sở Y tế các tỉnh, thành phố trực thuộc Trung ương\n"
    )
    meta = extract_metadata(text)
    assert meta.doc_type == "Công văn"  # not an "article"
    assert meta.number == "1520/KCB-NV"
    assert meta.issuer == "Cục Quản lý khám, chữa bệnh"  # not its parent ministry
    assert meta.issue_date == "2024-09-20"
    assert meta.title == "V/v hướng dẫn triển khai hồ sơ bệnh án điện tử"


def test_a_law_is_dated_the_day_it_was_passed_never_today() -> None:
    text = (
        "QUỐC HỘI\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nLuật số: 15/2023/QH15\n\nLUẬT\nKHÁM BỆNH, CHỮA BỆNH\n\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "Quốc hội ban hành Luật Khám bệnh, chữa bệnh.\n\nĐiều 1. Phạm vi điều chỉnh\n...\n"
        "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 4 "
        "thông qua ngày 09 tháng 01 năm 2023.\n"
    )
    meta = extract_metadata(text, date_hint="2026-11-30")
    assert (meta.number, meta.doc_type, meta.issuer) == ("15/2023/QH15", "Luật", "Quốc hội")
    assert meta.issue_date == "2023-01-09"


def test_a_two_column_header_read_line_by_line_is_taken_apart() -> None:
    """pypdf and OCR put the left and right columns of the header on the same lines."""
    text = (
        "UỶ BAN NHÂN DÂN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "HUYỆN GIA LÂM Độc lập - Tự do - Hạnh phúc\n"
        "Số: 57/KH-UBND Gia Lâm, ngày 02 tháng 4 năm 2024\n\nKẾ HOẠCH\n"
        "Tiêm chủng mở rộng năm 2024 trên địa bàn huyện\n\n"
        "Thực hiện Kế hoạch số 81/KH-UBND ngày 15/3/2024 của UBND Thành phố;\n"
    )
    meta = extract_metadata(text)
    assert meta.issuer == "UBND huyện Gia Lâm"  # not "… CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert (meta.number, meta.doc_type) == ("57/KH-UBND", "Kế hoạch")
    assert (meta.place, meta.issue_date) == ("Gia Lâm", "2024-04-02")
    assert meta.title == "Tiêm chủng mở rộng năm 2024 trên địa bàn huyện"


def test_an_accent_stripped_ocr_header_reads_the_same() -> None:
    text = (
        "UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM\n"
        "TINH NINH BINH Doc lap - Tu do - Hanh phuc\n"
        "S6: 212/CT-UBND Ninh Binh, ngay 18 thang 8 nam 2022\n\nCHI THI\n"
        "Ve tang cuong cong tac phong, chong dich sot xuat huyet\n\n"
        "Thuc hien Cong dien so 07/CD-BYT cua Bo Y te;\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type) == ("212/CT-UBND", "Chỉ thị")
    assert meta.issuer == "UBND tỉnh Ninh Bình"
    assert meta.issue_date == "2022-08-18"
    assert meta.title == "Ve tang cuong cong tac phong, chong dich sot xuat huyet"


def test_a_number_stamped_by_the_signing_software_stays_empty_rather_than_wrong() -> None:
    """The text layer leaves the stamped number and day blank; the body cites other decisions."""
    text = (
        "BỘ Y TẾ\n\nSố: /QĐ-BYT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày tháng năm 2025\n\nQUYẾT ĐỊNH\n"
        "Về việc công bố thủ tục hành chính quy định tại Nghị định số\n"
        "148/2025/NĐ-CP ngày 12/6/2025 của Chính phủ\nBỘ TRƯỞNG BỘ Y TẾ\n"
        "Căn cứ Nghị định số 42/2025/NĐ-CP ngày 27/02/2025 của Chính phủ;\n"
    )
    meta = extract_metadata(text, date_hint="2025-07-01")
    assert meta.number is None  # not 148/2025/NĐ-CP
    assert meta.issue_date is None  # not 12/6/2025, not the file's date
    assert (meta.doc_type, meta.issuer) == ("Quyết định", "Bộ Y tế")
    assert meta.title is not None and meta.title.endswith("ngày 12/6/2025 của Chính phủ")
    assert meta.references == ["148/2025/NĐ-CP", "42/2025/NĐ-CP"]


def test_a_header_found_below_the_body_of_its_first_page_is_still_the_header() -> None:
    """Some text layers put the header block after the page's body (reading order)."""
    text = (
        "QUYẾT ĐỊNH\nV/v phân công nhiệm vụ công chức Tư pháp - Hộ tịch\n\n"
        "CHỦ TỊCH UBND XÃ AN PHÚ\n"
        "Căn cứ Quyết định số 53/2023/QĐ-UBND ngày 17/11/2023 của UBND tỉnh;\n"
        "QUYẾT ĐỊNH:\nĐiều 1. Phân công ...\n"
        "ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\nSố: 88/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nAn Phú, ngày 5 tháng 3 năm 2024\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.issuer, meta.issue_date) == (
        "88/QĐ-UBND",
        "UBND xã An Phú",
        "2024-03-05",
    )
    assert meta.title == "V/v phân công nhiệm vụ công chức Tư pháp - Hộ tịch"


def test_a_producer_title_is_never_the_title() -> None:
    meta = extract_metadata(
        "Telemedicine in rural Vietnam: lessons from five provincial hospitals\n\nText.",
        title_hint="Microsoft Word - Bao cao tong hop.docx",
    )
    assert meta.title == "Telemedicine in rural Vietnam: lessons from five provincial hospitals"


def test_a_handwritten_day_that_ocr_misreads_stays_empty() -> None:
    """OCR reads a handwritten number and day as "M'" and "Jt"; a later cited date is no stand-in."""
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "——— Độc lập - Tự do - Hạnh phúc\n\nSố: M' /QD-TTg Hà Nội, ngày Jt tháng 6 năm 2025\n\n"
        'QUYẾT ĐỊNH\nVề việc cấp Bằng "Tổ quốc ghi công"\n\npin Fine\n\nTHỦ TƯỚNG CHÍNH PHỦ\n\n'
        "Căn cứ Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14, ngày 09 tháng "
        "12 năm 2020;\n"
    )
    meta = extract_metadata(text, date_hint="2025-06-27")
    assert (meta.number, meta.issue_date) == (None, None)
    assert (meta.doc_type, meta.issuer) == ("Quyết định", "Thủ tướng Chính phủ")
    assert meta.title == 'Về việc cấp Bằng "Tổ quốc ghi công"'  # not the signature scrawl


def test_a_blank_day_takes_the_files_date_only_when_it_falls_in_the_printed_month() -> None:
    """Signing software makes the file the day it signs; a date in another month is no evidence."""
    header = (
        "SỞ Y TẾ\nSố: 85/KH-SYT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Cần Thơ, ngày tháng 02 năm 2021\n\nKẾ HOẠCH\nKiểm tra văn bản năm 2021\n"
    )
    assert extract_metadata(header, date_hint="2021-02-09").issue_date == "2021-02-09"
    assert extract_metadata(header, date_hint="2021-03-01").issue_date is None


def test_an_annex_without_a_header_takes_the_number_and_date_of_the_letter_it_came_with() -> None:
    text = (
        "DANH MỤC\nVĂN BẢN QUY PHẠM PHÁP LUẬT VỀ KHÁM BỆNH, CHỮA BỆNH NĂM 2024\n"
        "(Ban hành kèm theo Công văn số 512/BYT-PC ngày 3/4/2024)\n\nSTT Tên văn bản Ghi chú\n"
        "1 Luật Khám bệnh, chữa bệnh (số 15/2023/QH15 ngày 09/01/2023)\n"
    )
    meta = extract_metadata(text, date_hint="2024-05-20")
    assert (meta.number, meta.issue_date, meta.issuer) == ("512/BYT-PC", "2024-04-03", "Bộ Y tế")
    assert meta.doc_type == "Danh mục"
    assert meta.title == "VĂN BẢN QUY PHẠM PHÁP LUẬT VỀ KHÁM BỆNH, CHỮA BỆNH NĂM 2024"
    assert meta.references == ["15/2023/QH15"]


def test_a_hospitals_submission_under_its_department_is_the_hospitals() -> None:
    text = (
        "SỞ Y TẾ HÀ NỘI\nBỆNH VIỆN ĐA KHOA XANH PÔN\nSố: 1203/TTr-BVXP\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 20 tháng 11 năm 2024\nTỜ TRÌNH\n"
        "Về việc đề nghị phê duyệt dự án hợp tác đào tạo với Bệnh viện Đại học Seoul\n"
        "Kính gửi: Sở Y tế Hà Nội\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type) == ("1203/TTr-BVXP", "Tờ trình")
    assert meta.issuer is not None and meta.issuer.startswith("Bệnh viện Đa khoa")
    assert meta.title == (
        "Về việc đề nghị phê duyệt dự án hợp tác đào tạo với Bệnh viện Đại học Seoul"
    )


def test_a_heading_in_the_body_of_a_letter_does_not_make_it_that_type() -> None:
    text = (
        "BỘ Y TẾ\nSố: 77/BYT-HTQT\nV/v góp ý dự thảo báo cáo hợp tác quốc tế\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 4 tháng 1 năm 2024\nKính gửi: Các đơn vị\n"
        + "Bộ Y tế đề nghị các đơn vị góp ý dự thảo kèm theo.\n" * 12
        + "BÁO CÁO\nKết quả hợp tác quốc tế năm 2023 (dự thảo)\n"
    )
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.number) == ("Công văn", "77/BYT-HTQT")
    assert meta.title == "V/v góp ý dự thảo báo cáo hợp tác quốc tế"


def test_a_party_resolution_is_read_from_its_own_header() -> None:
    """Party documents put the Party's name where the motto stands and number as "57-NQ/TW"."""
    text = (
        "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
        "Số 57-NQ/TW Hà Nội, ngày 22 tháng 12 năm 2024\n\nNGHỊ QUYẾT\n"
        "CỦA BỘ CHÍNH TRỊ\nvề đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo\n"
        "và chuyển đổi số quốc gia\n\nI. TÌNH HÌNH VÀ NGUYÊN NHÂN\n"
        "Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị ...\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type) == ("57-NQ/TW", "Nghị quyết")
    assert meta.issue_date == "2024-12-22"
    assert meta.issuer is not None and meta.issuer.startswith("Ban Chấp hành")
    assert meta.title == (
        "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
    )
    assert "52-NQ/TW" in meta.references


def test_a_news_article_naming_the_republic_is_still_an_article() -> None:
    text = (
        "Y tế - Giáo dục\n"
        "Hà Nội ký thỏa thuận hợp tác y tế với vùng Auvergne-Rhône-Alpes của Pháp\n"
        "Thứ Năm, 08/05/2025 09:15\n"
        "Đại diện nước Cộng hòa xã hội chủ nghĩa Việt Nam và Đảng Cộng sản Việt Nam tại buổi lễ "
        "đã nhấn mạnh hợp tác đào tạo bác sĩ.\n"
    )
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.issuer, meta.issue_date) == ("article", None, "2025-05-08")


def test_a_word_header_table_with_ministry_and_department_in_one_cell_gives_the_department() -> (
    None
):
    """The DOCX reader joins a table cell's lines and the row's cells with " | "."""
    text = (
        "BỘ Y TẾ CỤC KHOA HỌC CÔNG NGHỆ VÀ ĐÀO TẠO | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 215/K2ĐT-ĐT V/v hợp tác đào tạo với Đại học Lyon | Hà Nội, ngày 14 tháng 3 năm 2024\n"
        "\nKính gửi: Bệnh viện Bạch Mai\n"
    )
    meta = extract_metadata(text)
    assert meta.issuer == "Cục Khoa học công nghệ và Đào tạo"  # not "Bộ Y tế cục ..."
    assert (meta.number, meta.doc_type, meta.issue_date) == (
        "215/K2ĐT-ĐT",
        "Công văn",
        "2024-03-14",
    )
    assert meta.title == "V/v hợp tác đào tạo với Đại học Lyon"


def test_the_place_keeps_its_level_written_small() -> None:
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTHÀNH PHỐ HỒ CHÍ MINH Độc lập - Tự do - "
        "Hạnh phúc\nSỞ Y TẾ\nSố: 852/KH-SYT Thành phố Hồ Chí Minh, ngày 09 tháng 02 năm 2021\n"
        "KẾ HOẠCH\nKiểm tra văn bản quy phạm pháp luật năm 2021\n"
    )
    meta = extract_metadata(text)
    assert (meta.place, meta.issue_date) == ("Thành phố Hồ Chí Minh", "2021-02-09")
    assert meta.issuer == "Sở Y tế thành phố Hồ Chí Minh"


def test_only_the_first_page_of_stripped_text_is_restored_before_the_header_is_read() -> None:
    accented = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 137/KH-UBND\n" + "Nội dung kế hoạch.\n" * 400
    assert readable_head(accented) == accented
    stripped = "UY BAN NHAN DAN\nTHANH PHO HA NOI\nSo: 137/KH-UBND\n" + "Noi dung ke hoach.\n" * 400
    readable = readable_head(stripped)
    assert readable.startswith("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 137/KH-UBND\n")
    assert readable.endswith("Noi dung ke hoach.\n")  # the rest is restored with the chunks
    assert len(readable) == len(stripped)


def test_a_header_whose_text_layer_lost_its_spaces_is_read_with_them_put_back() -> None:
    """A decision's text layer ran some accented words together ("THÀNHPHỐ", "Điềuchỉnh"): the
    header is read as ingest's page step gives it, spaces put back, so the issuer and the summary
    as title come out whole."""
    layer = (
        "ỦY BAN NHÂN DÂN\nTHÀNHPHỐ HÀ NỘI\nSố: 2858/QĐ-UBND\n"
        "CỘNGHÒA XÃ HỘI CHỦNGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnhphúc\n"
        "Hà Nội, ngày 15 tháng 5 năm 2025\nQUYẾTĐỊNH\n"
        "Về việc phê duyệt đồ án Điềuchỉnh cục bộ Quy hoạch chi tiết khu vực Bắc Cổ Nhuế\n"
        "ỦY BAN NHÂN DÂN THÀNHPHỐ HÀ NỘI\n"
        "Căn cứ Luật Tổchức chính quyền địa phương ngày 19 tháng 02 năm 2025;\n"
    )
    meta = extract_metadata(readable_head(space_accented(layer)))
    assert (meta.number, meta.doc_type, meta.issuer, meta.issue_date) == (
        "2858/QĐ-UBND",
        "Quyết định",
        "UBND thành phố Hà Nội",
        "2025-05-15",
    )
    assert meta.title == (
        "Về việc phê duyệt đồ án Điều chỉnh cục bộ Quy hoạch chi tiết khu vực Bắc Cổ Nhuế"
    )
