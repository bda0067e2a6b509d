"""Generate the sample corpus: a scanned PDF, a text PDF, a DOCX, an HTML page and a phone photo.

Deterministic (fixed seed, fixed dates), so re-running it changes no committed file unless the
code changes. Run from the repository root:  .venv/bin/python corpus/make_samples.py
The source text of every scan is also written to tests/data/ so tests can measure OCR error rates.
"""

from __future__ import annotations

import datetime as dt
import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "corpus"
TRUTH_DIR = ROOT / "tests" / "data"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SEED = 20250515
A4_POINTS = (595.0, 842.0)

SCAN_PAGES: list[str] = [
    """SỞ Y TẾ HÀ NỘI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 2417/QĐ-SYT
Hà Nội, ngày 12 tháng 6 năm 2025
QUYẾT ĐỊNH
Về việc phê duyệt Đề án hợp tác quốc tế với Bệnh viện Đại học Quốc gia Seoul (Hàn Quốc) trong lĩnh vực chẩn đoán hình ảnh có hỗ trợ trí tuệ nhân tạo giai đoạn 2025-2027
GIÁM ĐỐC SỞ Y TẾ HÀ NỘI
Căn cứ Kế hoạch số 137/KH-UBND ngày 15/5/2025 của Ủy ban nhân dân thành phố Hà Nội về hợp tác quốc tế trong chuyển giao kỹ thuật y tế đến năm 2030;
Căn cứ Biên bản ghi nhớ hợp tác giữa Sở Y tế Hà Nội và Bệnh viện Đại học Quốc gia Seoul ký ngày 20/3/2025;
Xét đề nghị của Trưởng phòng Kế hoạch - Tài chính,
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Đề án hợp tác quốc tế về ứng dụng trí tuệ nhân tạo trong đọc phim X-quang ngực, chụp cắt lớp vi tính và chụp cộng hưởng từ tại Bệnh viện đa khoa Xanh Pôn, Bệnh viện Thanh Nhàn và Bệnh viện đa khoa Đức Giang.""",
    """Điều 2. Nội dung hợp tác gồm: chuyển giao phần mềm hỗ trợ phát hiện sớm lao phổi và ung thư phổi; đào tạo 40 bác sĩ chẩn đoán hình ảnh và 25 kỹ thuật viên tại Hà Nội và Seoul; kết nối hội chẩn từ xa giữa các bệnh viện tuyến thành phố với chuyên gia Hàn Quốc; đánh giá hiệu quả lâm sàng sau 12 tháng triển khai.
Điều 3. Kinh phí thực hiện từ nguồn viện trợ không hoàn lại của Cơ quan Hợp tác Quốc tế Hàn Quốc (KOICA) và nguồn ngân sách sự nghiệp y tế của thành phố theo phân cấp hiện hành.
Điều 4. Phòng Nghiệp vụ Y có trách nhiệm chủ trì, phối hợp với các bệnh viện tổ chức thực hiện, báo cáo kết quả về Sở Y tế trước ngày 15 tháng 12 hằng năm.
Điều 5. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng các phòng chức năng, Giám đốc các bệnh viện có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.
GIÁM ĐỐC
Trần Văn Minh""",
]

NOTICE_TEXT = """THÔNG BÁO
Bệnh viện Thanh Nhàn thông báo: từ ngày 01/7/2025 triển khai hội chẩn từ xa với chuyên gia Hàn Quốc về chẩn đoán hình ảnh.
Người bệnh có nhu cầu xin liên hệ Phòng Kế hoạch tổng hợp, tầng 2 nhà A."""

ENGLISH_PAGES: list[tuple[str, list[str]]] = [
    (
        "AI-assisted diagnostic imaging in Hanoi public hospitals: lessons from a Korea-Viet Nam partnership",
        [
            (
                "Abstract. Between 2023 and 2025 three municipal hospitals in Hanoi piloted an AI-assisted reading "
                "service for chest radiographs in cooperation with Seoul National University Hospital. We describe "
                "the technology transfer, the training of radiologists, and the clinical results of the pilot."
            ),
            (
                "Background. Viet Nam carries one of the highest tuberculosis burdens in the Western Pacific region, "
                "and district hospitals often lack radiologists. Computer-aided detection software can flag suspected "
                "tuberculosis and lung nodules so that scarce specialists review the urgent cases first."
            ),
            (
                "Methods. The Hanoi Department of Health selected Saint Paul, Thanh Nhan and Duc Giang hospitals. Each "
                "received a reading workstation, a secure link to a teleradiology platform, and two weeks of on-site "
                "training. Radiologists read every film first without and then with the AI suggestion."
            ),
        ],
    ),
    (
        "Results and discussion",
        [
            (
                "Results. Across 18,400 chest radiographs the sensitivity for active tuberculosis rose from 81 to 90 "
                "percent, while the median reporting time fell from 26 hours to 9 hours. Radiologists rejected about "
                "one AI suggestion in seven, most often on films of poor technical quality."
            ),
            (
                "Discussion. The partnership succeeded because training preceded deployment, because the hospitals "
                "kept the final diagnosis in human hands, and because data never left Viet Nam: the models ran on "
                "servers inside each hospital. Telemedicine consultations with Korean experts continued after the pilot."
            ),
            (
                "Conclusion. International cooperation in digital health works best as a transfer of skills, not only "
                "of equipment. We recommend extending the programme to mammography and stroke imaging by 2027."
            ),
        ],
    ),
]

HTML_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Hà Nội và Pháp hợp tác đào tạo phẫu thuật nội soi robot | Tin Y tế Thủ đô</title>
<meta property="article:published_time" content="2025-04-08T09:30:00+07:00">
<meta name="description" content="Bệnh viện Việt Đức và Bệnh viện Đại học Lyon ký thỏa thuận hợp tác đào tạo.">
</head>
<body>
<header><nav><ul>
<li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/y-te">Y tế</a></li><li><a href="/lien-he">Liên hệ</a></li>
</ul></nav><div class="login">Đăng nhập | Đăng ký nhận bản tin</div></header>
<main><article>
<h1>Hà Nội và Pháp hợp tác đào tạo phẫu thuật nội soi robot</h1>
<p class="date">Thứ Ba, 08/04/2025 09:30</p>
<p>Ngày 7/4, tại Hà Nội, Bệnh viện Hữu nghị Việt Đức và Bệnh viện Đại học Lyon (Cộng hòa Pháp) đã ký thỏa thuận hợp tác đào tạo phẫu thuật nội soi có robot hỗ trợ cho các bác sĩ của Thủ đô trong giai đoạn 2025-2028.</p>
<h2>Chuyển giao kỹ thuật và đào tạo tại chỗ</h2>
<p>Theo thỏa thuận, phía Pháp sẽ cử chuyên gia sang Hà Nội hướng dẫn trực tiếp tại phòng mổ, đồng thời tiếp nhận 12 bác sĩ Việt Nam sang thực tập tại Lyon mỗi năm. Hai bên cũng thống nhất xây dựng chương trình mô phỏng phẫu thuật để bác sĩ trẻ luyện tập trước khi mổ trên người bệnh.</p>
<h2>Mở rộng sang y tế số</h2>
<p>Đại diện Sở Y tế Hà Nội cho biết, hợp tác với Pháp nằm trong Kế hoạch 137/KH-UBND của thành phố về hợp tác quốc tế chuyển giao kỹ thuật y tế đến năm 2030, trong đó ưu tiên phẫu thuật ít xâm lấn, chẩn đoán hình ảnh và hồ sơ sức khỏe điện tử.</p>
</article>
<aside class="related"><h3>Tin liên quan</h3><ul><li><a href="/a">Giá vàng hôm nay tăng mạnh</a></li><li><a href="/b">Thời tiết Hà Nội cuối tuần</a></li></ul></aside>
</main>
<footer><p>© 2025 Tin Y tế Thủ đô. Giấy phép số 123/GP-BTTTT. Địa chỉ: 4 Ngõ Quỳnh, Hà Nội.</p>
<p>Chia sẻ: Facebook | Zalo | Twitter</p></footer>
</body>
</html>
"""


def wrap_lines(text: str, width: int) -> list[str]:
    """Wrap each paragraph of ``text`` to ``width`` characters; blank lines between paragraphs are dropped."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return lines


def render_page(
    text: str,
    dpi: int = 300,
    size_inches: tuple[float, float] = (8.27, 11.69),
    font_points: float = 12,
    margin_inches: float = 0.9,
) -> Image.Image:
    """Render ``text`` as a clean grayscale page, like a laser-printed letter scanned at ``dpi``."""
    width, height = int(size_inches[0] * dpi), int(size_inches[1] * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, int(font_points * dpi / 72))
    margin = int(margin_inches * dpi)
    char_width = draw.textlength("n", font=font)
    columns = int((width - 2 * margin) / char_width)
    line_height = int(font_points * dpi / 72 * 1.5)
    y = margin
    for line in wrap_lines(text, columns):
        draw.text((margin, y), line, font=font, fill=0)
        y += line_height
    return page


def degrade(
    page: Image.Image, rng: random.Random, skew_degrees: float, specks: int = 1500
) -> Image.Image:
    """Make a clean render look scanned: a small skew, dust specks and a slight blur."""
    page = page.rotate(skew_degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    draw = ImageDraw.Draw(page)
    for _ in range(specks):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        radius = rng.choice((0, 0, 1, 1, 2))
        draw.ellipse((x, y, x + radius, y + radius), fill=rng.randrange(0, 120))
    return page.filter(ImageFilter.GaussianBlur(0.6))


def make_scanned_pdf(path: Path, rng: random.Random) -> None:
    """Image-only PDF (no text layer), pages as 1-bit 300-dpi scans, as office scanners produce."""
    scans = [
        degrade(render_page(text), rng, skew_degrees=rng.uniform(-0.8, 0.8))
        .point(lambda v: 255 if v > 150 else 0)
        .convert("1")
        for text in SCAN_PAGES
    ]
    stamp = dt.datetime(2025, 6, 12, 8, 40, 0).timetuple()
    scans[0].save(
        path,
        save_all=True,
        append_images=scans[1:],
        resolution=300.0,
        title="Quyết định 2417/QĐ-SYT (bản quét)",
        creationDate=stamp,
        modDate=stamp,
    )


def make_photo(path: Path, rng: random.Random) -> None:
    """A phone photo of a printed notice: rotated a few degrees, off-white paper, sensor noise."""
    page = render_page(
        NOTICE_TEXT, dpi=200, size_inches=(7.0, 3.2), font_points=13, margin_inches=0.5
    )
    page = page.rotate(
        rng.uniform(2.0, 3.0), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
    )
    noise = Image.effect_noise(page.size, 18).point(lambda v: v - 128)
    paper = Image.merge("RGB", [page.point(lambda v, k=k: int(v * k)) for k in (0.95, 0.92, 0.84)])
    noisy = Image.merge("RGB", [Image.blend(band, noise, 0.12) for band in paper.split()])
    noisy.filter(ImageFilter.GaussianBlur(0.8)).save(path, quality=80)


def make_text_pdf(path: Path) -> None:
    """An English partner paper with a real text layer (reportlab), two pages, with PDF metadata."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = []
    for index, (heading, paragraphs) in enumerate(ENGLISH_PAGES):
        story.append(Paragraph(heading, styles["Title" if index == 0 else "Heading2"]))
        story.extend(Paragraph(text, styles["BodyText"]) for text in paragraphs)
        if index < len(ENGLISH_PAGES) - 1:
            story.append(PageBreak())
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title=ENGLISH_PAGES[0][0],
        author="Hanoi-Seoul imaging partnership",
        invariant=1,
    )

    def dated_canvas(*args: object, **kwargs: object) -> Canvas:
        canvas = Canvas(*args, **kwargs)  # type: ignore[arg-type]
        canvas.setDateFormatter(lambda *_: "D:20250910080000+07'00'")
        return canvas

    document.build(story, canvasmaker=dated_canvas)


def make_docx(path: Path) -> None:
    """A cooperation agreement between a Hanoi hospital and a French partner, with Điều sections."""
    import docx

    document = docx.Document()
    document.core_properties.title = (
        "Thỏa thuận hợp tác giữa Bệnh viện Bạch Mai và Hospices Civils de Lyon"
    )
    document.core_properties.author = "Phòng Chỉ đạo tuyến"
    document.core_properties.created = dt.datetime(2025, 3, 18, 9, 0, 0)
    document.core_properties.modified = dt.datetime(2025, 3, 18, 9, 0, 0)
    document.add_heading("THỎA THUẬN HỢP TÁC", level=0)
    document.add_paragraph(
        "Giữa Bệnh viện Bạch Mai (Hà Nội, Việt Nam) và Hospices Civils de Lyon (Cộng hòa Pháp) "
        "về đào tạo và chuyển giao kỹ thuật ghép tạng và y học từ xa."
    )
    articles = [
        (
            "Điều 1. Mục tiêu",
            "Hai bên hợp tác nâng cao năng lực ghép gan, ghép thận và hồi sức sau ghép tại Hà Nội.",
        ),
        (
            "Điều 2. Phạm vi hợp tác",
            "Đào tạo bác sĩ, điều dưỡng; hội chẩn trực tuyến hằng tháng; nghiên cứu chung.",
        ),
        (
            "Điều 3. Trách nhiệm của các bên",
            "Phía Pháp cử chuyên gia; phía Việt Nam bố trí cơ sở vật chất và học viên.",
        ),
        ("Điều 4. Hiệu lực", "Thỏa thuận có hiệu lực 5 năm kể từ ngày ký và có thể gia hạn."),
    ]
    for index, (heading, body) in enumerate(articles):
        document.add_heading(heading, level=1)
        document.add_paragraph(body)
        if index == 1:
            table = document.add_table(rows=3, cols=3)
            for row, cells in zip(
                table.rows,
                [("Năm", "Bác sĩ", "Điều dưỡng"), ("2025", "6", "10"), ("2026", "8", "12")],
            ):
                for cell, value in zip(row.cells, cells):
                    cell.text = value
            document.add_page_break()
    document.save(str(path))
    _fix_zip_times(path, (2025, 3, 18, 9, 0, 0))


def _fix_zip_times(path: Path, stamp: tuple[int, int, int, int, int, int]) -> None:
    """Rewrite a ZIP (DOCX) with fixed entry times, so regenerating it gives identical bytes."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            target.writestr(zipfile.ZipInfo(name, date_time=stamp), data, zipfile.ZIP_DEFLATED)


def main() -> None:
    rng = random.Random(SEED)
    TRUTH_DIR.mkdir(parents=True, exist_ok=True)
    make_scanned_pdf(HERE / "qd-2417-syt-2025-scan.pdf", rng)
    make_photo(HERE / "thong-bao-hoi-chan-tu-xa-photo.jpg", rng)
    make_text_pdf(HERE / "paper-ai-imaging-hanoi-seoul.pdf")
    make_docx(HERE / "thoa-thuan-bach-mai-lyon.docx")
    (HERE / "news-hanoi-phap-robot-2025-04-08.html").write_text(HTML_PAGE, encoding="utf-8")
    (TRUTH_DIR / "qd-2417-syt-2025-scan.truth.txt").write_text(
        "\f".join(SCAN_PAGES) + "\n", encoding="utf-8"
    )
    (TRUTH_DIR / "thong-bao-hoi-chan-tu-xa-photo.truth.txt").write_text(
        NOTICE_TEXT + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
