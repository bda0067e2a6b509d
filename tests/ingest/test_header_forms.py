"""A clerk files each form of official document by its own header (Decree 30/2020/NĐ-CP): the
number from its "Số:" line, the type, the issuing body (not the motto, not the parent ministry),
the place and date under the motto, and the summary as title. Numbers the body cites are
references, never the document's own; a field the header leaves blank stays empty.

The headers are written here as pypdf and OCR give them: the two columns of the header on the
same lines where they stand side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ingest.metadata import extract_metadata


@dataclass(frozen=True)
class Form:
    text: str
    number: str | None
    doc_type: str
    issuer: str
    place: str | None
    issue_date: str | None
    title: str
    cites: str | None = None


FORMS = {
    "Quyết định": Form(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÀNH PHỐ HÀ NỘI Độc lập - Tự do - Hạnh phúc\n"
        "Số: 2417/QĐ-UBND Hà Nội, ngày 12 tháng 6 năm 2025\n\nQUYẾT ĐỊNH\n"
        "Về việc phê duyệt Đề án hợp tác quốc tế trong lĩnh vực chẩn đoán hình ảnh\n\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI\n"
        "Căn cứ Kế hoạch số 137/KH-UBND ngày 15/5/2025 của UBND Thành phố;\n",
        "2417/QĐ-UBND", "Quyết định", "UBND thành phố Hà Nội", "Hà Nội", "2025-06-12",
        "Về việc phê duyệt Đề án hợp tác quốc tế trong lĩnh vực chẩn đoán hình ảnh",
        "137/KH-UBND",
    ),
    "Kế hoạch": Form(
        "UBND THÀNH PHỐ HÀ NỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ Y TẾ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 3120/KH-SYT Hà Nội, ngày 02 tháng 7 năm 2025\n\nKẾ HOẠCH\n"
        "Triển khai hợp tác quốc tế về chuyển giao kỹ thuật y tế năm 2025\n\n"
        "Thực hiện Kế hoạch số 137/KH-UBND ngày 15/5/2025 của UBND Thành phố;\n",
        "3120/KH-SYT", "Kế hoạch", "Sở Y tế thành phố Hà Nội", "Hà Nội", "2025-07-02",
        "Triển khai hợp tác quốc tế về chuyển giao kỹ thuật y tế năm 2025", "137/KH-UBND",
    ),
    "Công văn": Form(
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 512/BYT-K2ĐT Hà Nội, ngày 14 tháng 3 năm 2024\n"
        "V/v góp ý dự thảo Thỏa thuận hợp tác\nvới Đại học Y khoa Lyon\n\n"
        "Kính gửi: Sở Y tế các tỉnh, thành phố trực thuộc Trung ương\n"
        "Thực hiện Quyết định số 5369/QĐ-BYT ngày 14/10/2024 của Bộ Y tế,\n",
        "512/BYT-K2ĐT", "Công văn", "Bộ Y tế", "Hà Nội",
        "2024-03-14", "V/v góp ý dự thảo Thỏa thuận hợp tác với Đại học Y khoa Lyon",
        "5369/QĐ-BYT",
    ),
    "Chỉ thị": Form(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH LAI CHÂU Độc lập - Tự do - Hạnh phúc\n"
        "Số: 07/CT-UBND Lai Châu, ngày 21 tháng 8 năm 2025\n\nCHỈ THỊ\n"
        "Về tăng cường phòng, chống dịch sốt xuất huyết trên địa bàn tỉnh\n\n"
        "Thời gian qua, thực hiện Chỉ thị số 16/CT-TTg ngày 20/5/2024 của Thủ tướng,\n",
        "07/CT-UBND", "Chỉ thị", "UBND tỉnh Lai Châu", "Lai Châu", "2025-08-21",
        "Về tăng cường phòng, chống dịch sốt xuất huyết trên địa bàn tỉnh", "16/CT-TTg",
    ),
    "Thông báo": Form(
        "UBND TỈNH QUẢNG NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ Y TẾ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 45/TB-SYT Quảng Ninh, ngày 03 tháng 10 năm 2025\n\nTHÔNG BÁO\n"
        "Kết luận của Giám đốc tại buổi làm việc với đoàn chuyên gia Hàn Quốc\n\n"
        "Ngày 01/10/2025, Giám đốc Sở đã làm việc với đoàn chuyên gia.\n",
        "45/TB-SYT", "Thông báo", "Sở Y tế tỉnh Quảng Ninh", "Quảng Ninh", "2025-10-03",
        "Kết luận của Giám đốc tại buổi làm việc với đoàn chuyên gia Hàn Quốc",
    ),
    "Nghị quyết": Form(
        "HỘI ĐỒNG NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH CAO BẰNG Độc lập - Tự do - Hạnh phúc\n"
        "Số: 33/2022/NQ-HĐND Cao Bằng, ngày 15 tháng 7 năm 2022\n\nNGHỊ QUYẾT\n"
        "Quy định mức thu lệ phí cấp giấy phép lao động cho người nước ngoài\n\n"
        "HỘI ĐỒNG NHÂN DÂN TỈNH CAO BẰNG\nKHÓA XVII KỲ HỌP THỨ 8\n"
        "Căn cứ Thông tư số 85/2019/TT-BTC ngày 29 tháng 11 năm 2019 của Bộ Tài chính;\n",
        "33/2022/NQ-HĐND", "Nghị quyết", "HĐND tỉnh Cao Bằng", "Cao Bằng", "2022-07-15",
        "Quy định mức thu lệ phí cấp giấy phép lao động cho người nước ngoài",
        "85/2019/TT-BTC",
    ),
    "Thông tư": Form(
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 19/2025/TT-BYT Hà Nội, ngày 15 tháng 6 năm 2025\n\nTHÔNG TƯ\n"
        "Quy định chi tiết một số điều của Luật Phòng bệnh\n\n"
        "Căn cứ Luật Phòng bệnh số 114/2025/QH15;\n"
        "Căn cứ Nghị định số 42/2025/NĐ-CP ngày 27 tháng 02 năm 2025 của Chính phủ;\n",
        "19/2025/TT-BYT", "Thông tư", "Bộ Y tế", "Hà Nội", "2025-06-15",
        "Quy định chi tiết một số điều của Luật Phòng bệnh", "114/2025/QH15",
    ),
    "Tờ trình": Form(
        "UBND THÀNH PHỐ HÀ NỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ Y TẾ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 88/TTr-SYT Hà Nội, ngày 20 tháng 11 năm 2024\n\nTỜ TRÌNH\n"
        "Về việc phê duyệt Đề án hợp tác đào tạo nhân lực y tế với Nhật Bản\n\n"
        "Kính gửi: Ủy ban nhân dân Thành phố Hà Nội\n",
        "88/TTr-SYT", "Tờ trình", "Sở Y tế thành phố Hà Nội", "Hà Nội", "2024-11-20",
        "Về việc phê duyệt Đề án hợp tác đào tạo nhân lực y tế với Nhật Bản",
    ),
    "Báo cáo": Form(
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 1021/BC-BYT Hà Nội, ngày 30 tháng 12 năm 2024\n\nBÁO CÁO\n"
        "Kết quả hợp tác quốc tế trong lĩnh vực y tế năm 2024\n\n"
        "Thực hiện Chỉ thị số 25/CT-TTg ngày 08/12/2023 của Thủ tướng Chính phủ,\n",
        "1021/BC-BYT", "Báo cáo", "Bộ Y tế", "Hà Nội", "2024-12-30",
        "Kết quả hợp tác quốc tế trong lĩnh vực y tế năm 2024", "25/CT-TTg",
    ),
    "Luật": Form(
        "QUỐC HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nLuật số: 114/2025/QH15\n\nLUẬT\nPHÒNG BỆNH\n\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "Quốc hội ban hành Luật Phòng bệnh.\n\nĐiều 1. Phạm vi điều chỉnh\n...\n"
        "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 9\n"
        "thông qua\nngày 27 tháng 6 năm 2025.\n",
        "114/2025/QH15", "Luật", "Quốc hội", None, "2025-06-27", "PHÒNG BỆNH",
    ),
}  # fmt: skip


@pytest.mark.parametrize("form", list(FORMS), ids=list(FORMS))
def test_each_form_of_official_document_is_filed_by_its_own_header(form: str) -> None:
    expected = FORMS[form]
    meta = extract_metadata(expected.text, date_hint="2026-11-30")  # the file's date: not used
    found = (meta.number, meta.doc_type, meta.issuer, meta.place, meta.issue_date, meta.title)
    assert found == (
        expected.number,
        expected.doc_type,
        expected.issuer,
        expected.place,
        expected.issue_date,
        expected.title,
    )
    if expected.cites:
        assert expected.cites in meta.references
    assert meta.number not in meta.references


def test_a_resolution_of_the_national_assembly_is_dated_the_day_it_was_passed() -> None:
    text = (
        "QUỐC HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Nghị quyết số: 72/2025/QH15\n\nNGHỊ QUYẾT\n"
        "Về một số giải pháp đột phá trong công tác bảo vệ, chăm sóc sức khỏe nhân dân\n\n"
        "QUỐC HỘI\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n...\n"
        "Nghị quyết này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp "
        "thứ 9 thông qua ngày 18 tháng 6 năm 2025.\n"
    )
    meta = extract_metadata(text, date_hint="2026-11-30")
    assert (meta.number, meta.doc_type, meta.issuer) == ("72/2025/QH15", "Nghị quyết", "Quốc hội")
    assert meta.issue_date == "2025-06-18"


def test_a_handwritten_day_takes_the_day_the_signing_box_says_it_was_signed() -> None:
    """OCR of a scan: the signing software's box above the header, a handwritten day below."""
    text = (
        "Ký bởi: Sở Tư pháp\nEmail: stp@tphcm.gov.vn\nCơ quan: Thành phố Hồ Chí Minh\n"
        "Thời gian ký: 25.02.2021 15:12:01\n\n"
        "ỦY BAN NHÂN DÂN CONG HOA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÀNH PHO HO CHÍ MINH Độc lập — Tự do - Hanh phúc\nSỞ TƯ PHÁP\n"
        "Số: 687 /STP-VB Thành phố Hồ Chí Minh, ngay€5thang @ năm 2021\n\n"
        "Về Chương trình hỗ trợ pháp lý liên ngành\ncho doanh nghiệp nhỏ và vừa\n\n"
        "Kính gửi: Các Sở, ban ngành Thành phố\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type) == ("687/STP-VB", "Công văn")
    assert meta.issuer == "Sở Tư pháp thành phố Hồ Chí Minh"
    assert meta.place == "Thành phố Hồ Chí Minh"
    assert meta.issue_date == "2021-02-25"
    # a signing box in another month than the one printed is no evidence of the day
    assert extract_metadata(text.replace("thang @", "thang 3")).issue_date is None


def test_a_certified_copy_stamp_is_not_the_day_it_was_signed() -> None:
    """ "SAO Y ... 25/07/2025" is when the copy was made; the handwritten day stays empty."""
    text = (
        "SAO Y; VĂN PHÒNG ỦY BAN NHÂN DÂN; 25/07/2025 10:25:14 +07:00\n\n"
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÀNH PHỐ HÀ NỘI Độc lập - Tự do - Hạnh phúc\n"
        "Số: M' /CT-UBND\nHà Nội, ngày.‡† tháng 7 năm 2025\n\nCHỈ THỊ\n"
        "Triển khai Chiến dịch chuyển đổi số trên địa bàn thành phố Hà Nội\n\n"
        "Thực hiện mục tiêu phổ cập kiến thức số cơ bản,\n"
    )
    meta = extract_metadata(text, date_hint="2025-07-25")
    assert (meta.number, meta.issue_date) == (None, None)
    assert (meta.doc_type, meta.issuer, meta.place) == (
        "Chỉ thị",
        "UBND thành phố Hà Nội",
        "Hà Nội",
    )


def test_a_number_and_day_left_blank_stay_empty_never_todays_date() -> None:
    text = (
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: /QĐ-BYT Hà Nội, ngày tháng năm 2025\n\nQUYẾT ĐỊNH\n"
        "Về việc công bố thủ tục hành chính lĩnh vực phòng bệnh\n\n"
        "Căn cứ Nghị định số 148/2025/NĐ-CP ngày 12/6/2025 của Chính phủ;\n"
    )
    meta = extract_metadata(text, date_hint="2026-11-30")
    assert (meta.number, meta.issue_date) == (None, None)
    assert (meta.doc_type, meta.issuer, meta.place) == ("Quyết định", "Bộ Y tế", "Hà Nội")
    assert meta.references == ["148/2025/NĐ-CP"]


def test_a_stamp_in_the_margin_read_as_a_lone_letter_is_not_part_of_the_summary() -> None:
    """OCR reads the "HỎA TỐC" stamp beside the summary as a "J"; "y tế" starts a line too."""
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÀNH PHỐ HÀ NỘI Độc lập - Tự do - Hạnh phúc\n"
        "Số: 11/CT-UBND Hà Nội, ngày 24 tháng 7 năm 2025\n\nCHỈ THỊ\n"
        "Triển khai Chiến dịch hỗ trợ chuyển đổi số và\n\n"
        "J hồ sơ sức khỏe điện tử trong lĩnh vực\n\ny tế trên địa bàn thành phố Hà Nội\n\n"
        "Thực hiện mục tiêu phổ cập kiến thức số cơ bản,\n"
    )
    assert extract_metadata(text).title == (
        "Triển khai Chiến dịch hỗ trợ chuyển đổi số và hồ sơ sức khỏe điện tử trong lĩnh vực "
        "y tế trên địa bàn thành phố Hà Nội"
    )


def test_a_place_misread_beside_the_issuers_own_name_is_spelled_as_the_issuer_writes_it() -> None:
    """A local body writes its seat's name as the place; OCR that misread one of the two spellings
    ("Người Giao" for Ngãi Giao) is mended from the other. A ministry's place stays its own."""
    text = (
        "UBND THỊ TRẤN NGÃI GIAO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 142/QĐ-UBND Người Giao, ngày 29 tháng 3 năm 2024\n\nQUYẾT ĐỊNH\n"
        "V/v phân công nhiệm vụ đối với Công chức Văn phòng - Thống kê\n"
    )
    meta = extract_metadata(text)
    assert (meta.issuer, meta.place) == ("UBND thị trấn Ngãi Giao", "Ngãi Giao")
    ministry = text.replace("UBND THỊ TRẤN NGÃI GIAO", "BỘ Y TẾ").replace("Người Giao", "Hà Nội")
    assert extract_metadata(ministry).place == "Hà Nội"


@pytest.mark.parametrize("heading", ["K Ế H O Ạ C H", "KẾHOẠCH"])
def test_a_type_heading_with_its_letters_spaced_out_or_run_together_is_read(heading: str) -> None:
    """A heading set with letter spacing reaches pypdf as single letters, and one whose layer lost
    its space as one word: both still name the type, and the summary under it is the title. The
    number's code alone would not tell a plan from the decision it carries out."""
    expected = FORMS["Kế hoạch"]
    meta = extract_metadata(expected.text.replace("\nKẾ HOẠCH\n", f"\n{heading}\n"))
    assert (meta.number, meta.doc_type, meta.title) == (
        expected.number,
        expected.doc_type,
        expected.title,
    )
    decision = FORMS["Quyết định"].text.replace("\nQUYẾT ĐỊNH\n", "\nQ U Y Ế T Đ Ị N H\n")
    decision = decision.replace("2417/QĐ-UBND", "2417/UBND-KHTC")  # no type in the code
    assert extract_metadata(decision).doc_type == "Quyết định"


#: One header as a narrow column or a web page's text gives it: each cell on lines of its own, the
#: issuer's name, the motto, the number, and the place and date each broken after a word or two.
WRAPPED = (
    "ỦY\nBAN NHÂN DÂN\nTỈNH BẮC NINH\n-------\n|\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\nSố:\n215/QĐ-UBND\n|\nBắc\n"
    "Ninh, ngày 09\ntháng 4 năm 2025\n|\nQUYẾT ĐỊNH\nVề việc cử cán bộ tham gia khóa đào tạo\n"
    "ghép gan tại Hàn Quốc\nỦY BAN NHÂN DÂN TỈNH BẮC NINH\n"
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19\ntháng 6 năm 2015;\n"
)


def test_a_header_whose_cells_wrapped_onto_several_lines_is_read_whole() -> None:
    """Each fact is read from the cell it wrapped out of: the motto is no issuer, "Số:" alone on
    its line still heads the number under it, and the place and date come whole."""
    meta = extract_metadata(WRAPPED)
    assert (meta.number, meta.doc_type, meta.issuer, meta.place, meta.issue_date, meta.title) == (
        "215/QĐ-UBND",
        "Quyết định",
        "UBND tỉnh Bắc Ninh",
        "Bắc Ninh",
        "2025-04-09",
        "Về việc cử cán bộ tham gia khóa đào tạo ghép gan tại Hàn Quốc",
    )


def test_a_department_named_far_above_its_number_keeps_its_parents_place() -> None:
    """Where the cells are stacked, the motto and its rules stand between the issuer and the
    number; the department still takes the place of the committee above it."""
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ Y TẾ\n*****\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n*******\n\n"
        "Số: 4410/SYT-NVY\nV/v tăng cường hợp tác với Bệnh viện Đại học Kyoto\n\n"
        "Thành phố Hồ Chí Minh, ngày 02 tháng 10 năm 2024\n\nKính gửi: Các bệnh viện\n"
    )
    meta = extract_metadata(text)
    assert (meta.issuer, meta.doc_type, meta.issue_date) == (
        "Sở Y tế thành phố Hồ Chí Minh",
        "Công văn",
        "2024-10-02",
    )
    assert meta.title == "V/v tăng cường hợp tác với Bệnh viện Đại học Kyoto"


@pytest.mark.parametrize(
    "first_line",
    [
        "BỘ Y TẾ Số: 12/QĐ-BYT Hà Nội, ngày 03 tháng 4 năm 2024",
        (
            "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
            "Số: 12/QĐ-BYT Hà Nội, ngày 03 tháng 4 năm 2024"
        ),
    ],
)
def test_a_number_on_the_same_line_as_the_issuer_or_the_motto_is_the_documents_own(
    first_line: str,
) -> None:
    meta = extract_metadata(f"{first_line}\nQUYẾT ĐỊNH\nVề việc thành lập Hội đồng chuyên môn\n")
    assert (meta.number, meta.issuer, meta.issue_date) == ("12/QĐ-BYT", "Bộ Y tế", "2024-04-03")
    cited = extract_metadata("Xin gửi kèm văn bản số: 15/SYT-NVY ngày 3/4/2024 của Sở Y tế.\n")
    assert cited.number is None and "15/SYT-NVY" in cited.references


def test_a_district_is_a_place_and_the_assemblys_committee_an_issuer() -> None:
    district = extract_metadata(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQUẬN 8 Độc lập - Tự do - Hạnh phúc\n"
        "Số: 27/QĐ-UBND Quận 8, ngày 10 tháng 5 năm 2024\nQUYẾT ĐỊNH\nVề việc phê duyệt Điều lệ Hội\n"
    )
    assert (district.issuer, district.place) == ("UBND quận 8", "Quận 8")
    committee = extract_metadata(
        "ỦY BAN THƯỜNG VỤ\nQUỐC HỘI\n--------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nNghị quyết số: 653/2019/UBTVQH14\n"
        "Hà Nội, ngày 12 tháng 3 năm 2019\nNGHỊ QUYẾT\nVề việc sắp xếp các đơn vị hành chính\n"
    )
    assert (committee.issuer, committee.number) == (
        "Ủy ban Thường vụ Quốc hội",
        "653/2019/UBTVQH14",
    )


def test_a_letter_without_a_summary_takes_none_from_its_body() -> None:
    """ "... về việc ..." inside the letter's first sentence is no summary."""
    meta = extract_metadata(
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 4737/BYT-VPB1 Hà Nội, ngày 13 tháng 8 "
        "năm 2024\nKính gửi: Đoàn Đại biểu Quốc hội\nBộ Y tế nhận được Công văn số 499/BDN của "
        "Ban Dân nguyện về việc đề nghị trả lời kiến nghị của cử tri.\n"
    )
    assert (meta.number, meta.doc_type, meta.title) == ("4737/BYT-VPB1", "Công văn", None)


def test_a_summary_in_capitals_keeps_its_last_short_line() -> None:
    meta = extract_metadata(
        "THƯỜNG TRỰC HĐND TỈNH HÒA BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 06/QC-HĐND Hòa Bình, ngày 20 tháng 3 năm 2019\nQUY CHẾ\n"
        "PHỐI HỢP CÔNG TÁC GIỮA THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN TỈNH NHIỆM\nKỲ 2016 - 2021\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\n"
    )
    assert (
        meta.title
        == "PHỐI HỢP CÔNG TÁC GIỮA THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN TỈNH NHIỆM KỲ 2016 - 2021"
    )


def test_a_committee_whose_locality_line_was_lost_is_the_one_seated_where_it_dates() -> None:
    """A web copy keeps "ỦY BAN NHÂN DÂN" and loses the line under it; the date line names the
    seat, and a district dates its documents with its own name, so a province's name means the
    province's committee. A district's council keeps its number."""
    text = (
        "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 235/KH-UBND | Quảng Bình,\nngày 25 tháng 5 năm 2023 |\nKẾ HOẠCH\n"
        "Phòng, chống dịch bệnh truyền nhiễm năm 2023\n______________\n"
        "Thực hiện Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ,\n"
    )
    meta = extract_metadata(text)
    assert (meta.issuer, meta.place, meta.issue_date, meta.title) == (
        "UBND tỉnh Quảng Bình",
        "Quảng Bình",
        "2023-05-25",
        "Phòng, chống dịch bệnh truyền nhiễm năm 2023",
    )
    city = extract_metadata(text.replace("Quảng Bình,", "Hà Nội,"))
    assert city.issuer == "UBND thành phố Hà Nội"
    district = extract_metadata(text.replace("ỦY BAN NHÂN DÂN |", "HỘI\nĐỒNG NHÂN DÂN QUẬN 2 |"))
    assert district.issuer == "HĐND quận 2"


def test_an_old_number_written_type_last_is_read_under_its_label() -> None:
    meta = extract_metadata(
        "BỘ\nTÀI CHÍNH\n********\n|\nCỘNG\nHOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n|\nSố:\n15-BTC/TT\n|\nHà\nNội, ngày 16 tháng 3 năm 1991\n"
        "|\nTHÔNG TƯ\nQuy định chế độ quản lý tài chính đối với ngân hàng\nThi hành Nghị định,\n"
    )
    assert (meta.number, meta.doc_type, meta.issuer, meta.place, meta.issue_date) == (
        "15-BTC/TT",
        "Thông tư",
        "Bộ Tài chính",
        "Hà Nội",
        "1991-03-16",
    )


def test_a_steering_committee_under_the_peoples_committee_is_the_issuer() -> None:
    """A committee's steering board signs under it, named on the same line by a Word table cell;
    "COVID-19" keeps its capitals."""
    meta = extract_metadata(
        "ỦY BAN NHÂN DÂN BAN CHỈ ĐẠO PHÒNG CHỐNG DỊCH COVID-19 ________ Số: 2427/KH-BCĐ | CỘNG HÒA "
        "XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ______ Thành phố Hồ Chí Minh, ngày "
        "21 tháng 7 năm 2021\n|\nKẾ HOẠCH\nTổ chức tiêm chủng vắc xin đợt 5\n________________\n"
        "Căn cứ Nghị quyết số 21/NQ-CP ngày 26 tháng 02 năm 2021 của Chính phủ;\n"
    )
    assert (meta.number, meta.issuer, meta.issue_date, meta.title) == (
        "2427/KH-BCĐ",
        "Ban Chỉ đạo phòng chống dịch COVID-19",
        "2021-07-21",
        "Tổ chức tiêm chủng vắc xin đợt 5",
    )


#: A scanned header as Tesseract reads it: the two columns side by side, the rules under the
#: issuer and the motto read as letters ("mm...", "oe a", "âẫ `WẲ"), the issuer's last word
#: wrapped beside the date, one vowel of the date line misread.
SCANNED = (
    "UBND THÀNH PHỐ HỒ CHÍ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "MINH oe a Độc lập - Tự do - Hạnh phúc\n"
    "SỞ Y TẾ âẫ `WẲ\n"
    "TẠO ` TP. Hồ Chí Minh, ngày 22 tháng 10 ndm 2024\n"
    "Số: 6057/SYT-TCKT\n"
    "V/v triển khai hợp tác đào tạo\nvới Bệnh viện Đại học Kyoto\n\n"
    "Kính gửi: Các bệnh viện trực thuộc\n"
)


def test_a_scanned_header_is_read_past_the_letters_ocr_makes_of_its_rules() -> None:
    meta = extract_metadata(SCANNED.replace("TẠO ` ", "` "))
    assert (meta.number, meta.issuer, meta.place, meta.issue_date) == (
        "6057/SYT-TCKT",
        "Sở Y tế thành phố Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "2024-10-22",
    )
    beside = extract_metadata(SCANNED)  # "TẠO" belongs to the left column, not to the place
    assert beside.place == "Thành phố Hồ Chí Minh"


@pytest.mark.parametrize(
    ("left", "issuer"),
    [
        (("ỦY BAN THUONG VỤ", "QUỐC HỘI"), "Ủy ban Thường vụ Quốc hội"),
        (("THỦ TƯỚNG", "CHÍNH PHỦ"), "Thủ tướng Chính phủ"),
        (("BỘ LAO ĐỘNG – THƯƠNG", "BINH VÀ XÃ HỘI"), "Bộ Lao động – Thương binh và Xã hội"),
    ],
)
def test_an_issuer_whose_name_runs_over_two_lines_beside_the_motto_is_one_body(
    left: tuple[str, str], issuer: str
) -> None:
    text = (
        f"{left[0]} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n{left[1]} Độc lập - Tự do - Hạnh phúc\n"
        "mm...\nSố: 653/QĐ-TTg Hà Nội, ngày 12 tháng 3 năm 2019\nQUYẾT ĐỊNH\n"
        "Về việc phê duyệt Đề án\n"
    )
    assert extract_metadata(text).issuer == issuer


def test_an_ocr_header_that_lost_a_fields_marks_gives_the_issuer_as_a_clerk_spells_it() -> None:
    """The scanned plan of realdocs-dev: OCR read "SỞ Y TE" under "THÀNH PHO HO CHÍ MINH". A
    librarian filters by "Sở Y tế thành phố Hồ Chí Minh", never "Sở Y te"."""
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
        "THÀNH PHO HO CHÍ MINH Độc lập - Tự do - Hạnh phúc\nSỞ Y TE TT °° °° °°\n"
        "Số: 852/KH-SYT Thành phố Hồ Chi Minh, ngày 09 tháng 02 năm 2021\nKE HOẠCH\n"
        "Công tác kiểm tra, rà soát văn bản quy phạm pháp luật trong lĩnh vực y tế\n"
    )
    assert extract_metadata(text).issuer == "Sở Y tế thành phố Hồ Chí Minh"
    ministry = extract_metadata(
        "BỘ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/QĐ-BCT Hà Nội, ngày 02 tháng "
        "01 năm 2024\nQUYẾT ĐỊNH\nVề việc ban hành quy chế\n"
    )
    assert ministry.issuer == "Bộ Công Thương"
    glued = extract_metadata(  # Tesseract's English model: "Y" glued to the ministry, no marks
        "BOY TE CONG HOA XA HOI CHU NGHIA VIET NAM\nSố: 2093/QĐ-BYT Hà Nội, ngày 24 tháng 6 năm "
        "2025\nQUYẾT ĐỊNH\nVề việc công bố thủ tục hành chính\n"
    )
    assert glued.issuer == "Bộ Y tế"


def test_a_unit_under_its_department_is_the_issuer_and_keeps_the_departments_province() -> None:
    one_line = extract_metadata(  # a text layer that set the parent and its unit on one line
        "SỞ Y TẾ NGHỆ AN BỆNH VIỆN NỘI TIẾT Số: 112/QĐ-BVNT CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc Nghệ An, ngày 09 tháng 01 năm 2023\nQUYẾT ĐỊNH\n"
        "Ban hành quy chế hoạt động của Hội đồng quản lý chất lượng\n"
    )
    assert (one_line.issuer, one_line.number) == ("Bệnh viện Nội tiết Nghệ An", "112/QĐ-BVNT")
    sub_board = extract_metadata(
        "BAN TỔ CHỨC\nĐẠI HỘI ĐẠI BIỂU\nCÁC DÂN TỘC THIỂU SỐ VIỆT NAM\n"
        "TIỂU BAN THI ĐUA – KHEN THƯỞNG\n-------------\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n\n"
        "Số: 13/BTC-TĐKT\nV/v bổ sung hướng dẫn công tác khen thưởng\n"
        "Hà Nội, ngày 08 tháng 9 năm 2009\n"
    )
    assert sub_board.issuer == "Tiểu ban Thi đua – Khen thưởng"


@pytest.mark.parametrize(
    ("left", "number", "doc_type", "issuer"),
    [
        (
            "BỘ VĂN HOÁ - THÔNG TIN-BỘ Y TẾ",
            "01/2004/TTLT/BVHTT-BYT",
            "Thông tư liên tịch",
            "Bộ Văn hoá - Thông tin và Bộ Y tế",
        ),
        (
            "THƯỜNG TRỰC\nHĐND - UBND TỈNH HÒA BÌNH",
            "06/QC-TT.HĐND-UBND",
            "Thông tư",
            "Thường trực HĐND và UBND tỉnh Hòa Bình",
        ),
        (  # OCR reads "TRỰC" as "TRỤC"
            "THƯỜNG TRỤC HĐND VÀ\nUBND TỈNH HÒA BÌNH",
            "06/QC-TT.HĐND-UBND",
            "Thông tư",
            "Thường trực HĐND và UBND tỉnh Hòa Bình",
        ),
        (
            "BỘ Y TẾ - BỘ TÀI CHÍNH",
            "37/2025/TTLT-BYT-BTC",
            "Thông tư liên tịch",
            "Bộ Y tế và Bộ Tài chính",
        ),
    ],
)
def test_a_joint_document_names_each_of_its_issuers_and_keeps_its_whole_number(
    left: str, number: str, doc_type: str, issuer: str
) -> None:
    meta = extract_metadata(
        f"{left}\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        f"Số: {number}\nHà Nội, ngày 12 tháng 1 năm 2004\n\nTHÔNG TƯ\n"
        "Hướng dẫn về hoạt động quảng cáo trong lĩnh vực y tế\n\n"
        f"Căn cứ Pháp lệnh Quảng cáo số 39/2001/PL-UBTVQH;\nThông tư số {number} này ...\n"
    )
    assert (meta.number, meta.doc_type, meta.issuer) == (number, doc_type, issuer)
    assert meta.references == ["39/2001/PL-UBTVQH"]  # its own number, cited, is not a reference


@pytest.mark.parametrize(
    ("heading", "number", "issue_date", "issuer"),
    [
        ("NGHỊ ĐỊNH\n\nSỐ 136/2007/NĐ-CP NGÀY 17 THÁNG 8 NĂM 2007\n\n", "136/2007/NĐ-CP",
         "2007-08-17", "Chính phủ"),
        ("NGHỊ ĐỊNH SỐ 136/2007/NĐ-CP NGÀY 17 THÁNG 8 NĂM 2007 ", "136/2007/NĐ-CP",
         "2007-08-17", "Chính phủ"),
        ("QUYẾT ĐỊNH\nCỦA BỘ TRƯỞNG BỘ Y TẾ SỐ 23/2005/QĐ-BYT NGÀY 30 THÁNG 8 NĂM 2005\n",
         "23/2005/QĐ-BYT", "2005-08-30", "Bộ Y tế"),
    ],
)  # fmt: skip
def test_the_gazettes_heading_gives_the_number_and_date_without_a_so_line(
    heading: str, number: str, issue_date: str, issuer: str
) -> None:
    meta = extract_metadata(
        "Nghị định 136/2007/NĐ-CP của Chính phủ về xuất cảnh, nhập cảnh\n\n"  # the page's title
        f"{heading}VỀ XUẤT CẢNH, NHẬP CẢNH CỦA CÔNG DÂN VIỆT NAM\n\nCHÍNH PHỦ\n\n"
        "Căn cứ Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001;\n"
    )
    assert (meta.number, meta.issue_date, meta.issuer, meta.place) == (
        number,
        issue_date,
        issuer,
        None,
    )
    # "... của công dân Việt Nam" is not the Party's name standing for the motto
    assert meta.title == "VỀ XUẤT CẢNH, NHẬP CẢNH CỦA CÔNG DÂN VIỆT NAM"


def test_a_web_pages_banner_citing_the_number_first_does_not_hide_the_header() -> None:
    meta = extract_metadata(
        "Thứ Ba, 29 tháng 7, 2014\n\nCông văn Số: 2728/TCT-DNL V/v: Thực hiện quy định về hóa đơn.\n\n"
        "BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 2728/TCT-DNL\nV/v\n"
        ": Thực hiện quy định về hóa đơn.\nHà Nội, ngày 18 tháng 07 năm 2014\n\n"
        "Kính gửi: Cục thuế tỉnh Đắk Nông.\n"
    )
    assert (meta.number, meta.issuer, meta.place, meta.issue_date, meta.title) == (
        "2728/TCT-DNL",
        "Tổng cục Thuế",
        "Hà Nội",
        "2014-07-18",
        "V/v Thực hiện quy định về hóa đơn.",
    )


def test_a_committee_whose_first_letter_the_text_lost_is_still_the_committee() -> None:
    meta = extract_metadata(
        "Y BAN NHÂN DÂN\nTỈNH KON TUM\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n\nSố: 2516/KH-UBND\n\nKon Tum, ngày 03 tháng 10 năm 2014\n\n"
        "KẾ HOẠCH\n\nTriển khai thực hiện Quyết định số 34/2014/QĐ-TTg\n"
    )
    assert meta.issuer == "UBND tỉnh Kon Tum"


MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
MEMORANDUM = (
    "BẢN GHI NHỚ\nVỀ HỢP TÁC TRONG LĨNH VỰC Y TẾ\n"
    "giữa Sở Y tế Hà Nội và Bệnh viện Đại học Quốc gia Seoul\n"
)
CONTRACT = f"{MOTTO}Số: 12/2025/HĐ-CGCN\n\nHỢP ĐỒNG\nCHUYỂN GIAO CÔNG NGHỆ\n"
UNTITLED_CONTRACT = f"{MOTTO}Số: 12/2025/HĐ-CGCN\n\nCăn cứ Bộ luật Dân sự năm 2015;\n"
OPEN_LETTER = (
    "UBND HUYỆN MAI CHÂU\nMai Châu, ngày 19 tháng 12 năm 2019\n\nTHƯ NGỎ\n"
    "Vận động hỗ trợ kinh phí bắn pháo hoa\n"
)


@pytest.mark.parametrize(
    ("text", "doc_type", "number"),
    [
        (MEMORANDUM, "Bản ghi nhớ", None),
        (CONTRACT, "Hợp đồng", "12/2025/HĐ-CGCN"),
        (UNTITLED_CONTRACT, "Hợp đồng", "12/2025/HĐ-CGCN"),  # "HĐ", not a guide's "HD"
        (OPEN_LETTER, "Thư ngỏ", None),
        (
            f"{MOTTO}Số: 1529/GDĐT-YT\nTHÔNG BÁO LIÊN TỊCH\nVề phòng chống dịch\n",
            "Thông báo liên tịch",
            "1529/GDĐT-YT",
        ),
    ],
)
def test_a_memorandum_a_contract_and_an_open_letter_are_filed_by_their_own_type(
    text: str, doc_type: str, number: str | None
) -> None:
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.number) == (doc_type, number)


def test_a_copy_that_lost_its_number_and_motto_is_read_from_its_place_and_date_line() -> None:
    meta = extract_metadata(OPEN_LETTER)
    assert (meta.issuer, meta.place, meta.issue_date, meta.title) == (
        "UBND huyện Mai Châu",
        "Mai Châu",
        "2019-12-19",
        "Vận động hỗ trợ kinh phí bắn pháo hoa",
    )


@pytest.mark.parametrize(
    "summary",
    [
        "THỰC HIỆN CHƯƠNG TRÌNH SỨC KHỎE VIỆT NAM GIAI ĐOẠN 2021 - 2025",  # not "Thực hiện ..."
        "PHÂN VÙNG DỊCH TỄ BỆNH KÝ SINH TRÙNG THƯỜNG GẶP",  # not "Phần V"
    ],
)
def test_a_summary_in_capitals_is_read_whatever_word_it_opens_with(summary: str) -> None:
    meta = extract_metadata(
        "ỦY BAN NHÂN DÂN\nTỈNH NINH THUẬN\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 2424/KH-UBND\nNinh Thuận, ngày 04 tháng 6 năm 2022\n\n"
        f"KẾ HOẠCH\n\n{summary}\n\nCăn cứ Quyết định số 1092/QĐ-TTg ngày 02/9/2018;\n"
    )
    assert meta.title == summary


def test_a_hospital_under_the_citys_department_is_named_with_the_city() -> None:
    meta = extract_metadata(
        "SỞ Y TẾ\n\nTHÀNH PHỐ HỒ CHÍ MINH\n\nBỆNH VIỆN MẮT\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
        "Độc lập – Tự do – Hạnh phúc\n\nSố:    672     /TB-BVM-TCCB\n\n"
        "TP. Hồ Chí Minh,  ngày 30  tháng 11 năm 2017\n\nTHÔNG BÁO\n\n"
        "V/v tạm ngưng hoạt động của khoa Khám và Điều trị theo yêu cầu kỹ thuật cao\n"
    )
    assert (meta.issuer, meta.number) == ("Bệnh viện Mắt thành phố Hồ Chí Minh", "672/TB-BVM-TCCB")


def test_a_council_whose_box_lost_its_locality_is_named_by_the_line_over_its_preamble() -> None:
    meta = extract_metadata(  # the place is the provincial capital, not the province
        "HỘI ĐỒNG NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 20/2006/NQ-HĐND | Nha Trang, ngày 28 tháng 07 năm 2006 |\nNGHỊ QUYẾT\n"
        "VỀ MỨC TRỢ CẤP Y TẾ THÔN BẢN\n"
        "HỘI ĐỒNG NHÂN DÂN TỈNH KHÁNH HOÀ KHOÁ IV, KỲ HỌP THỨ 6\n"
        "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;\n"
    )
    assert (meta.issuer, meta.title) == ("HĐND tỉnh Khánh Hòa", "VỀ MỨC TRỢ CẤP Y TẾ THÔN BẢN")


def test_a_letter_whose_copy_set_its_v_v_above_the_motto_is_still_a_letter() -> None:
    meta = extract_metadata(
        "VĂN PHÒNG CHÍNH PHỦ\n-----------------------\n"
        "V/v: UBND tỉnh Kiên Giang tiếp nhận thiết bị y tế do tổ chức Giving Children Hope tài trợ.\n"
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "----------------------------\nHà Nội, ngày 24 tháng 03 năm 2011\n\nKính gửi:\n- Bộ Y tế;\n"
    )
    assert (meta.doc_type, meta.issuer, meta.issue_date) == (
        "Công văn",
        "Văn phòng Chính phủ",
        "2011-03-24",
    )
    assert meta.title and meta.title.startswith("V/v UBND tỉnh Kiên Giang tiếp nhận")


def test_an_older_decision_headed_with_its_organ_keeps_its_summary() -> None:
    meta = extract_metadata(
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nLào Cai, ngày 26 tháng 11 năm 1998\n\n"
        "QUYẾT ĐỊNH CỦA UBND TỈNH LÀO CAI\n\n"
        "Về việc chuyển giao các Trung tâm y tế các huyện, thị xã về Sở Y tế\n\n"
        "UỶ BAN NHÂN DÂN TỈNH LÀO CAI\n\nCăn cứ Luật Tổ chức Hội đồng nhân dân và Uỷ ban nhân dân;\n"
    )
    assert (meta.doc_type, meta.issuer, meta.title) == (
        "Quyết định",
        "UBND tỉnh Lào Cai",
        "Về việc chuyển giao các Trung tâm y tế các huyện, thị xã về Sở Y tế",
    )


def test_the_gazettes_heading_wrapped_over_several_lines_is_read_whole() -> None:
    meta = extract_metadata(
        "CHỈ THỊ\nCỦA THỦ\nTƯỚNG CHÍNH PHỦ SỐ 16/2001/CT-TTG\n"
        "NGÀY 21 THÁNG 6 NĂM 2001 VỀ VIỆC XÂY DỰNG KẾ HOẠCH\n"
        "PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2002\n"
        "Thực hiện Nghị quyết của Quốc hội về nhiệm vụ năm 2001, Chính phủ đã ban hành ...\n"
    )
    assert (meta.number, meta.doc_type, meta.issuer, meta.issue_date, meta.title) == (
        "16/2001/CT-TTG",
        "Chỉ thị",
        "Thủ tướng Chính phủ",
        "2001-06-21",
        "VỀ VIỆC XÂY DỰNG KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2002",
    )


def test_a_party_resolution_numbered_under_its_type_name_keeps_its_number() -> None:
    meta = extract_metadata(
        "BỘ CHÍNH TRỊ\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Nghị quyết số: 11-NQ/TW Hà Nội, ngày 06 tháng 01 năm 2012\nNGHỊ QUYẾT\n"
        "VỀ PHƯƠNG HƯỚNG, NHIỆM VỤ PHÁT TRIỂN THỦ ĐÔ HÀ NỘI GIAI ĐOẠN 2011-2020\n"
        "I- Tình hình và kết quả 10 năm thực hiện Nghị quyết 15-NQ/TW của Bộ Chính trị\n"
    )
    assert (meta.number, meta.issuer, meta.references) == ("11-NQ/TW", "Bộ Chính trị", ["15-NQ/TW"])


@pytest.mark.parametrize(
    ("left", "number", "doc_type", "issuer"),
    [
        ("BỘ CÔNG AN\nVĂN PHÒNG", "1989/V11-TTTTBC", "Công văn", "Văn phòng Bộ Công an"),
        ("UBND TỈNH BÌNH PHƯỚC\nPHÒNG GD-ĐT TX. ĐỒNG XOÀI", "151/TB-PGDĐT", "Thông báo",
         "Phòng GD-ĐT thị xã Đồng Xoài"),
        ("BỘ TÀI CHÍNH", "54/VBHN-BTC", "Văn bản hợp nhất", "Bộ Tài chính"),
        ("TỈNH ỦY THỪA THIÊN HUẾ", "445-KL/TU", "Kết luận", "Tỉnh ủy Thừa Thiên Huế"),
    ],
)  # fmt: skip
def test_an_office_a_towns_unit_a_consolidated_text_and_a_conclusion_are_filed_rightly(
    left: str, number: str, doc_type: str, issuer: str
) -> None:
    meta = extract_metadata(
        f"{left}\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        f"Số: {number}\nHà Nội, ngày 28 tháng 05 năm 2013\n\n"
        "Kính gửi: Đồng chí Giám đốc Công an thành phố Hà Nội\n"
    )
    assert (meta.number, meta.doc_type, meta.issuer) == (number, doc_type, issuer)


def test_a_letters_v_v_cell_ending_in_a_province_beside_the_date_is_not_the_place() -> None:
    meta = extract_metadata(  # as OCR sets the two columns of a scanned letter on one line
        "VĂN PHÒNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 2232/VPCP-QHQT\n"
        "V/v UBND tỉnh Lai Châu Hà Nội, ngày 06 tháng 4 năm 2010\n"
        "tiếp nhận lô hàng thiết bị y tế\n\nKính gửi: Bộ Y tế\n"
    )
    assert (meta.place, meta.issue_date) == ("Hà Nội", "2010-04-06")
    assert meta.title == "V/v UBND tỉnh Lai Châu tiếp nhận lô hàng thiết bị y tế"


THREE_DEPARTMENTS = (
    "UBND TỈNH QUẢNG NINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO -\n"
    "SỞ TÀI CHÍNH - SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"
)
THREE_DEPARTMENTS_NAMED = (
    "Sở Giáo dục và Đào tạo tỉnh Quảng Ninh và Sở Tài chính tỉnh Quảng Ninh"
    " và Sở Lao động - Thương binh và Xã hội tỉnh Quảng Ninh"
)


@pytest.mark.parametrize(
    ("left", "issuer"),
    [
        (THREE_DEPARTMENTS, THREE_DEPARTMENTS_NAMED),
        ("BỘ\nY TẾ -\nBỘ KHOA HỌC VÀ CÔNG NGHỆ", "Bộ Y tế và Bộ Khoa học và Công nghệ"),
        (
            "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ Y TẾ-SỞ GIÁO DỤC VÀ ĐÀO TẠO",
            "Sở Y tế thành phố Hồ Chí Minh và Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh",
        ),
    ],
)
def test_each_body_of_a_joint_document_keeps_the_place_its_parent_lends(
    left: str, issuer: str
) -> None:
    meta = extract_metadata(
        f"{left}\n--------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 2365/LS-GDĐT-TC-LĐTBXH\nQuảng Ninh, ngày 17 tháng 9 năm 2014\n\nHƯỚNG DẪN\n"
        "THỰC HIỆN MỘT SỐ QUY ĐỊNH VỀ MIỄN, GIẢM HỌC PHÍ\n\nCăn cứ Nghị định số 49/2010/NĐ-CP;\n"
    )
    assert meta.issuer == issuer


def test_a_number_line_ocr_garbled_is_no_part_of_the_issuers_name() -> None:
    meta = extract_metadata(
        "ỦY BAN NHÂN DÂN\nQUẬN HOÀNG MAI\nSỐ:y/45/KH-ƯBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHỈA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hoàng Mai, ngày 12 tháng 5 năm 2016\nKẾ HOẠCH\nTriển khai thực hiện Quyết định số "
        "16/2016/QĐ-UBND ngày 09/5/2016\n"
    )
    assert (meta.number, meta.issuer) == (None, "UBND quận Hoàng Mai")


def test_a_summary_whose_first_line_is_one_short_word_runs_on() -> None:
    meta = extract_metadata(
        "UBND TỈNH NGHỆ AN\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 25/2016/QĐ-UBND\nNghệ An, ngày 14 tháng 3 năm 2016\n"
        "QUYẾT ĐỊNH\nVỀ\nVIỆC BAN HÀNH QUY ĐỊNH CHỨC NĂNG, NHIỆM VỤ CỦA SỞ\nTƯ PHÁP TỈNH NGHỆ AN\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
    )
    assert meta.title == "VỀ VIỆC BAN HÀNH QUY ĐỊNH CHỨC NĂNG, NHIỆM VỤ CỦA SỞ TƯ PHÁP TỈNH NGHỆ AN"


def test_a_name_whose_last_word_wrapped_onto_the_motto_line_keeps_it() -> None:
    """A scan's left cell wraps "VĂN PHÒNG BỘ Y" / "TẾ": a word of two letters on its own line
    still ends the name, and the office is named with its ministry's own capitals."""
    text = (
        "VĂN PHÒNG BỘ Y CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TẾ Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 512/VP-TH Hà Nội, ngày 3 tháng 4 năm 2024\n"
        "V/v tổng hợp báo cáo hợp tác quốc tế năm 2024\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type) == ("512/VP-TH", "Công văn")
    assert meta.issuer == "Văn phòng Bộ Y tế"


@pytest.mark.parametrize("debris", ["TY ng tin ", "ST "])
def test_letters_ocr_made_of_the_rule_under_the_name_are_not_part_of_it(debris: str) -> None:
    """The short rule under "QUỐC HỘI" read as "TY ng tin", or a stamp's edge as "ST"."""
    text = (
        "QUỐC HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        f"{debris}Độc lập - Tự do - Hạnh phúc\n"
        "Số: 61/2024/QH15 Hà Nội, ngày 29 tháng 6 năm 2024\n\n"
        "NGHỊ QUYẾT\nVỀ CHƯƠNG TRÌNH GIÁM SÁT CỦA QUỐC HỘI NĂM 2025\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type, meta.issuer) == ("61/2024/QH15", "Nghị quyết", "Quốc hội")


@pytest.mark.parametrize(
    ("left", "issuer"),
    [
        ("TRUNG TÂM Y TẾ HUYỆN SƠN TỊNH", "Trung tâm Y tế huyện Sơn Tịnh"),
        ("BẢO HIỂM XÃ HỘI TỈNH NGHỆ AN", "Bảo hiểm xã hội tỉnh Nghệ An"),
        ("SỞ Y TẾ TĨNH HẬU GIANG", "Sở Y tế tỉnh Hậu Giang"),  # a mark OCR slipped
        (
            "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH HÀ TĨNH",
            "Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh",
        ),
    ],
)
def test_a_district_inside_a_units_name_is_told_by_its_marks(left: str, issuer: str) -> None:
    """ "TỊNH" in "SƠN TỊNH" is no "tỉnh", "XÃ HỘI" no commune; "HUYỆN" after a unit is a district."""
    text = (
        f"{left}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 88/KH-TTYT ngày 9 tháng 9 năm 2024\n\nKẾ HOẠCH\nTiêm chủng mở rộng năm 2025\n"
    )
    assert extract_metadata(text).issuer == issuer


def test_a_one_letter_word_ocr_glued_to_the_ministry_before_it_is_set_apart() -> None:
    """ "BỘ TÀI CHÍNH VÀ BỘY" / "TẾ": the "Y" of "Y tế" lost its space, and "TẾ" wrapped alone."""
    text = (
        "BỘ TÀI CHÍNH VÀ BỘY CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TẾ Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 14/2024/TTLT-BYT-BTC Hà Nội, ngày 2 tháng 7 năm 2024\n\n"
        "THÔNG TƯ LIÊN TỊCH\nHướng dẫn quản lý kinh phí hợp tác quốc tế về y tế\n"
    )
    assert extract_metadata(text).issuer == "Bộ Tài chính và Bộ Y tế"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("TIÊM CHỦNG VẮC XIN PHÒNG BỆNH SỞI TRÊN ĐỊA", "BÀN THÀNH PHỐ HÀ NỘI NĂM 2025"),
        ("HỢP TÁC QUỐC TẾ VỀ Y TẾ GIAI", "ĐOẠN 2026 - 2030"),
    ],
)
def test_a_summary_wrapped_inside_a_word_runs_on_past_a_line_that_looks_like_a_body(
    first: str, second: str
) -> None:
    """ "BÀN" (địa bàn) and "ĐOẠN" (giai đoạn) spell "BAN" and "ĐOÀN" without their marks: bodies
    that would head a preamble and end the summary."""
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÀNH PHỐ HÀ NỘI Độc lập - Tự do - Hạnh phúc\n"
        "Số: 301/KH-UBND Hà Nội, ngày 14 tháng 11 năm 2025\n\n"
        f"KẾ HOẠCH\n{first}\n{second}\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
    )
    assert extract_metadata(text).title == f"{first} {second}"


def test_a_summary_line_that_closes_a_bracket_is_no_label() -> None:
    """ "VÀ PGN: 208, 607)" reads like a label line ("Địa điểm: ..."), but it closes the bracket
    the line above opened."""
    text = (
        "BẢO HIỂM XÃ HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÀNH PHỐ HÀ NỘI Độc lập - Tự do - Hạnh phúc\n"
        "Số: 1205/TB-BHXH Hà Nội, ngày 8 tháng 5 năm 2025\n\n"
        "THÔNG BÁO\nVỀ VIỆC ĐIỀU CHỈNH QUY TRÌNH MỘT CỬA (MÃ QUY TRÌNH 401\nVÀ PGN: 208, 607)\n\n"
        "Căn cứ Luật Bảo hiểm xã hội ngày 29 tháng 6 năm 2024;\n"
    )
    assert extract_metadata(text).title == (
        "VỀ VIỆC ĐIỀU CHỈNH QUY TRÌNH MỘT CỬA (MÃ QUY TRÌNH 401 VÀ PGN: 208, 607)"
    )
