"""Generate the sample corpus: a scanned PDF, a text PDF, a DOCX, an HTML page and a phone photo.

Deterministic (fixed seed, fixed dates), so re-running it changes no committed file unless the
code changes. Run from the repository root:  .venv/bin/python scripts/make_samples.py
The source text of every scan is also written to tests/data/ so tests can measure OCR error rates.
"""

from __future__ import annotations

import datetime as dt
import random
import textwrap
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

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
Về việc phê duyệt Dự án hợp tác với Bệnh viện Đại học Quốc gia Seoul (Hàn Quốc) về đào tạo điều dưỡng hồi sức tích cực và kiểm soát nhiễm khuẩn bệnh viện giai đoạn 2025-2027
GIÁM ĐỐC SỞ Y TẾ HÀ NỘI
Căn cứ Luật Khám bệnh, chữa bệnh ngày 09 tháng 01 năm 2023;
Căn cứ Biên bản ghi nhớ hợp tác giữa Sở Y tế Hà Nội và Bệnh viện Đại học Quốc gia Seoul ký ngày 20/3/2025;
Căn cứ văn bản cam kết tài trợ của Cơ quan Hợp tác Quốc tế Hàn Quốc (KOICA) ngày 05/5/2025;
Xét đề nghị của Trưởng phòng Nghiệp vụ Y,
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Dự án đào tạo điều dưỡng hồi sức tích cực và tăng cường kiểm soát nhiễm khuẩn tại Bệnh viện đa khoa Xanh Pôn, Bệnh viện Thanh Nhàn và Bệnh viện đa khoa Đức Giang, thời gian thực hiện từ tháng 7 năm 2025 đến tháng 6 năm 2027.""",
    """Điều 2. Nội dung dự án gồm: đào tạo 60 điều dưỡng khoa hồi sức tích cực về chăm sóc người bệnh thở máy, phòng ngừa viêm phổi liên quan đến thở máy và nhiễm khuẩn huyết do đặt đường truyền tĩnh mạch trung tâm; đào tạo 30 nhân viên giám sát kiểm soát nhiễm khuẩn; chuẩn hóa quy trình vệ sinh tay, khử khuẩn và tiệt khuẩn dụng cụ; cử 12 điều dưỡng trưởng thực tập ba tháng tại Seoul.
Điều 3. Kinh phí thực hiện từ nguồn viện trợ không hoàn lại của Cơ quan Hợp tác Quốc tế Hàn Quốc (KOICA) và nguồn ngân sách sự nghiệp y tế của thành phố theo phân cấp hiện hành.
Điều 4. Phòng Nghiệp vụ Y có trách nhiệm chủ trì, phối hợp với các bệnh viện tổ chức thực hiện, báo cáo tỷ lệ nhiễm khuẩn bệnh viện và kết quả đào tạo về Sở Y tế trước ngày 15 tháng 12 hằng năm.
Điều 5. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng các phòng chức năng, Giám đốc các bệnh viện có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.
GIÁM ĐỐC
Trần Văn Minh""",
]

NOTICE_TEXT = """THÔNG BÁO
Bệnh viện Thanh Nhàn tổ chức khám sàng lọc miễn phí tăng huyết áp và đái tháo đường cùng đoàn chuyên gia Nhật Bản từ ngày 14/7 đến 18/7/2025.
Người dân từ 40 tuổi trở lên xin mang theo căn cước, đăng ký tại quầy số 3, tầng 1 nhà A."""

ENGLISH_PAGES: list[tuple[str, list[str]]] = [
    (
        "Antimicrobial resistance in bloodstream infections at four Hanoi hospitals, 2023-2025",
        [
            (
                "Abstract. Between 2023 and 2025 four municipal hospitals in Hanoi joined a laboratory-based "
                "surveillance network for antimicrobial resistance, set up with a university clinical research unit "
                "from the United Kingdom. We describe the network, the training of microbiologists, and the "
                "resistance patterns found in bloodstream infections."
            ),
            (
                "Background. Resistance to last-line antibiotics is rising across South-East Asia. Carbapenem-"
                "resistant Klebsiella pneumoniae and Acinetobacter baumannii are now common in intensive care "
                "units, yet many hospital laboratories report results without a shared standard, so trends stay "
                "hidden until outbreaks occur."
            ),
            (
                "Methods. The Hanoi Department of Health selected Saint Paul, Thanh Nhan, Duc Giang and Dong Da "
                "hospitals. Each laboratory received quality-control strains, standard operating procedures for "
                "susceptibility testing, and a week of bench training. Isolates from blood cultures were reported "
                "monthly to a shared database using the WHONET software."
            ),
        ],
    ),
    (
        "Results and discussion",
        [
            (
                "Results. Across 6,240 positive blood cultures, 41 percent of Klebsiella isolates and 68 percent of "
                "Acinetobacter isolates were resistant to carbapenems. Resistance of Escherichia coli to third-"
                "generation cephalosporins stayed near 60 percent. Laboratory agreement with the reference "
                "laboratory rose from 84 to 96 percent after training."
            ),
            (
                "Discussion. Surveillance changed practice only where it was linked to antimicrobial stewardship: "
                "the two hospitals that fed monthly resistance reports back to ward doctors cut carbapenem use by "
                "a fifth. Shared standards mattered more than new equipment."
            ),
            (
                "Conclusion. Antibiotic resistance in Hanoi's bloodstream infections is high and still rising. "
                "Blood-culture laboratories and ward pharmacists should keep meeting monthly, and the network "
                "should add district hospitals and urine and sputum cultures by 2027."
            ),
        ],
    ),
]

HTML_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Hà Nội và Pháp hợp tác giám sát bệnh sốt xuất huyết | Tin Y tế Thủ đô</title>
<meta property="article:published_time" content="2025-04-08T09:30:00+07:00">
<meta name="description" content="Trung tâm Kiểm soát bệnh tật Hà Nội và Viện Pasteur Paris ký thỏa thuận hợp tác giám sát sốt xuất huyết.">
</head>
<body>
<header><nav><ul>
<li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/y-te">Y tế</a></li><li><a href="/lien-he">Liên hệ</a></li>
</ul></nav><div class="login">Đăng nhập | Đăng ký nhận bản tin</div></header>
<main><article>
<h1>Hà Nội và Pháp hợp tác giám sát bệnh sốt xuất huyết</h1>
<p class="date">Thứ Ba, 08/04/2025 09:30</p>
<p>Ngày 7/4, tại Hà Nội, Trung tâm Kiểm soát bệnh tật Hà Nội và Viện Pasteur Paris (Cộng hòa Pháp) đã ký thỏa thuận hợp tác giám sát và phòng chống bệnh sốt xuất huyết Dengue trên địa bàn Thủ đô trong giai đoạn 2025-2028.</p>
<h2>Giám sát véc tơ và xét nghiệm</h2>
<p>Theo thỏa thuận, phía Pháp sẽ hỗ trợ đào tạo cán bộ xét nghiệm xác định típ vi rút Dengue, đồng thời hướng dẫn điều tra mật độ muỗi Aedes và bọ gậy tại 30 xã, phường có nhiều ca bệnh. Mỗi năm 8 cán bộ của Hà Nội sẽ sang thực tập tại Paris.</p>
<h2>Cảnh báo sớm dịch bệnh</h2>
<p>Đại diện Sở Y tế Hà Nội cho biết, số liệu ca bệnh, kết quả xét nghiệm và mật độ muỗi sẽ được tổng hợp hằng tuần để cảnh báo sớm ổ dịch, giúp chính quyền cơ sở tổ chức diệt bọ gậy và phun hóa chất kịp thời trước mùa mưa.</p>
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


def handwritten_header(
    digits: list[np.ndarray], code: str = "/QĐ-UBND", dpi: int = 300, seed: int = 0
) -> Image.Image:
    """The top of a scanned decision whose number a clerk wrote by hand over the dots of the
    printed "Số: ........ /QĐ-UBND" blank: ``digits`` are 28x28 handwritten digits (MNIST's
    framing, ink 255), drawn about as tall as the printed capitals and a little uneven."""
    rng = random.Random(seed)
    points = int(13 * dpi / 72)
    font = ImageFont.truetype(FONT, points)
    page = Image.new("L", (int(8.27 * dpi), int(4.5 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    margin, step = int(0.9 * dpi), int(points * 1.5)
    lines = [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        None,
        "Hà Nội, ngày 12 tháng 5 năm 2025",
        "QUYẾT ĐỊNH",
        "Về việc hợp tác quốc tế về y tế",
    ]
    for row, text in enumerate(lines):
        y = margin + row * step
        if text is not None:
            draw.text((margin, y), text, font=font, fill=0)
            continue
        label = "Số: "
        draw.text((margin, y), label, font=font, fill=0)
        x = margin + int(draw.textlength(label, font=font))
        dots = "." * (4 * len(digits) + 6)
        draw.text((x, y), dots, font=font, fill=0)
        code_x = x + int(draw.textlength(dots + " ", font=font))
        draw.text((code_x, y), code, font=font, fill=0)
        pen_x = x + points // 3
        for digit in digits:
            rows = np.flatnonzero(digit.max(axis=1) >= 128)
            tall = int(rows[-1] - rows[0] + 1) if rows.size else 20
            size = round(28 * points * rng.uniform(0.85, 1.1) / tall)
            ink = Image.fromarray(digit).resize((size, size), Image.Resampling.BICUBIC)
            drawn = ink.point(lambda value: 255 if value >= 128 else 0)
            left, _, right, bottom = drawn.getbbox() or (0, 0, size, size)
            # the pen's foot a little above the dots, where a clerk writes over a blank
            at = (pen_x - left, y + int(0.72 * points) - bottom + rng.randint(-6, 2))
            pen = ImageOps.invert(drawn).point(lambda value: 40 if value == 0 else 255)
            under = page.crop((at[0], at[1], at[0] + size, at[1] + size))
            page.paste(ImageChops.darker(under, pen), at)
            pen_x += right - left + rng.randint(8, 16)
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
        author="Hanoi antimicrobial resistance surveillance network",
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
        "về đào tạo chăm sóc giảm nhẹ và điều trị đau cho người bệnh mắc bệnh nặng."
    )
    articles = [
        (
            "Điều 1. Mục tiêu",
            (
                "Hai bên hợp tác phát triển chăm sóc giảm nhẹ và điều trị đau cho người bệnh mắc "
                "bệnh mạn tính giai đoạn cuối tại Hà Nội, tại bệnh viện và tại nhà."
            ),
        ),
        (
            "Điều 2. Phạm vi hợp tác",
            (
                "Đào tạo bác sĩ, điều dưỡng về đánh giá và kiểm soát đau, sử dụng an toàn thuốc giảm "
                "đau nhóm opioid, hỗ trợ tâm lý cho người bệnh và gia đình; trao đổi chuyên gia; "
                "nghiên cứu chung."
            ),
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
    make_photo(HERE / "thong-bao-kham-sang-loc-photo.jpg", rng)
    make_text_pdf(HERE / "paper-amr-surveillance-hanoi.pdf")
    make_docx(HERE / "thoa-thuan-bach-mai-lyon.docx")
    (HERE / "news-hanoi-phap-sot-xuat-huyet-2025-04-08.html").write_text(
        HTML_PAGE, encoding="utf-8"
    )
    (TRUTH_DIR / "qd-2417-syt-2025-scan.truth.txt").write_text(
        "\f".join(SCAN_PAGES) + "\n", encoding="utf-8"
    )
    (TRUTH_DIR / "thong-bao-kham-sang-loc-photo.truth.txt").write_text(
        NOTICE_TEXT + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
