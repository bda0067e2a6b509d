"""The technology areas: plan 137/KH-UBND's nine areas plus training and infection control.

Why a fixed seed: the plan is what the Department of Health reports against, so its areas are the
taxonomy staff already use. Each area carries its names in both languages, phrases that describe it
(embedded and compared with passages, which finds it in any language) and keywords (accent-folded
terms, the evidence a reader can check). Librarians rename areas and add their own in the catalog;
the seed is only the starting point.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AreaSeed:
    """One technology area as shipped: names, describing phrases, folded keywords."""

    key: str
    name_vi: str
    name_en: str
    phrases: tuple[str, ...]
    keywords: tuple[str, ...]


SEED_AREAS: tuple[AreaSeed, ...] = (
    AreaSeed(
        "ai",
        "Trí tuệ nhân tạo (AI) trong y tế",
        "AI in health",
        (
            "Trí tuệ nhân tạo hỗ trợ chẩn đoán hình ảnh và phân tích dữ liệu y tế",
            "Artificial intelligence and deep learning for medical imaging diagnosis",
            "Clinical decision support systems based on machine learning",
            "Mạng nơ-ron đọc phim X-quang, CT, MRI để phát hiện bệnh",
            "Neural networks that read X-ray, CT and MRI images to detect disease",
        ),
        (
            "tri tue nhan tao",
            "artificial intelligence",
            "machine learning",
            "deep learning",
            "hoc sau",
            "hoc may",
            "neural network",
            "mang no-ron",
            "ai-assisted",
        ),
    ),
    AreaSeed(
        "devices",
        "Thiết bị y tế thông minh và cảm biến",
        "Smart medical devices and sensors",
        (
            "Thiết bị đeo theo dõi sức khỏe và cảm biến sinh học",
            "Wearable health monitoring devices and biosensors",
            "Modern medical equipment such as MRI and CT scanners and robotic surgery systems",
        ),
        (
            "thiet bi y te thong minh",
            "cam bien sinh hoc",
            "thiet bi deo",
            "wearable",
            "biosensor",
            "smart device",
            "cong huong tu",
            "cat lop vi tinh",
        ),
    ),
    AreaSeed(
        "regenerative",
        "Y học tái tạo và công nghệ in 3D",
        "Regenerative medicine and 3D printing",
        (
            "Y học tái tạo và in 3D các cơ quan, mô người",
            "Regenerative medicine, stem cells and 3D bioprinting of organs and tissue",
        ),
        (
            "y hoc tai tao",
            "in 3d",
            "3d printing",
            "regenerative medicine",
            "te bao goc",
            "stem cell",
        ),
    ),
    AreaSeed(
        "telemedicine",
        "Y tế từ xa (Telemedicine)",
        "Telemedicine",
        (
            "Hệ thống telemedicine khám bệnh và tư vấn từ xa",
            "Telemedicine, remote consultation and remote patient monitoring",
        ),
        (
            "telemedicine",
            "telehealth",
            "kham benh tu xa",
            "tu van tu xa",
            "y te tu xa",
            "cham soc suc khoe tu xa",
            "remote consultation",
            "remote monitoring",
            "giam sat benh nhan tu xa",
        ),
    ),
    AreaSeed(
        "genetics",
        "Công nghệ di truyền và chỉnh sửa gen",
        "Genetic technology and gene editing",
        (
            "Công nghệ di truyền, chỉnh sửa gen CRISPR và phân tích gen",
            "Gene editing with CRISPR, genomics and genetic testing",
        ),
        (
            "chinh sua gen",
            "cong nghe di truyen",
            "crispr",
            "gene editing",
            "genomic",
            "phan tich gen",
            "giai trinh tu gen",
            "genome sequencing",
        ),
    ),
    AreaSeed(
        "nano",
        "Công nghệ nano trong y tế",
        "Nanotechnology",
        (
            "Công nghệ nano và hạt nano trong chẩn đoán và điều trị ung thư",
            "Nanotechnology and nanoparticles for diagnosis and drug delivery",
        ),
        ("cong nghe nano", "nanoparticle", "nanotechnology", "hat nano", "nano y sinh"),
    ),
    AreaSeed(
        "blockchain",
        "Blockchain trong quản lý dữ liệu y tế",
        "Blockchain for health data",
        (
            "Blockchain để bảo mật và chia sẻ dữ liệu y tế, hồ sơ y tế điện tử",
            "Blockchain for secure sharing of health records",
        ),
        ("blockchain", "chuoi khoi"),
    ),
    AreaSeed(
        "vr_ar",
        "Thực tế ảo (VR) và thực tế tăng cường (AR)",
        "VR/AR in health",
        (
            "Thực tế ảo và thực tế tăng cường trong đào tạo phẫu thuật mô phỏng",
            "Virtual reality and augmented reality for surgical simulation training",
        ),
        (
            "thuc te ao",
            "thuc te tang cuong",
            "virtual reality",
            "augmented reality",
            "phau thuat mo phong",
        ),
    ),
    AreaSeed(
        "clinical",
        "Kỹ thuật y khoa chuyên sâu",
        "Advanced clinical techniques",
        (
            "Kỹ thuật y khoa chuyên sâu: phẫu thuật nội soi, ghép tạng, ung thư, tim mạch",
            "Advanced clinical techniques: endoscopic surgery, organ transplantation, oncology",
            "Palliative care and pain management, intensive care",
        ),
        (
            "phau thuat noi soi",
            "ghep tang",
            "cay ghep tang",
            "ky thuat y khoa chuyen sau",
            "organ transplant",
            "endoscopic surgery",
            "cham soc giam nhe",
            "palliative care",
            "hoi suc tich cuc",
            "intensive care",
            "dieu tri dau",
            "pain management",
        ),
    ),
    AreaSeed(
        "training",
        "Đào tạo nhân lực y tế",
        "Training of health workers",
        (
            "Đào tạo, tập huấn, bồi dưỡng bác sĩ, điều dưỡng và trao đổi chuyên gia",
            "Training courses for doctors, nurses and laboratory staff, expert exchange",
        ),
        (
            "dao tao",
            "tap huan",
            "boi duong",
            "trao doi chuyen gia",
            "training",
            "fellowship",
            "thuc tap tai",
        ),
    ),
    AreaSeed(
        "infection_control",
        "Kiểm soát nhiễm khuẩn và bệnh truyền nhiễm",
        "Infection control and communicable diseases",
        (
            "Kiểm soát nhiễm khuẩn bệnh viện, vệ sinh tay, khử khuẩn và giám sát bệnh truyền nhiễm",
            "Hospital infection control, antimicrobial resistance and disease surveillance",
        ),
        (
            "kiem soat nhiem khuan",
            "nhiem khuan benh vien",
            "infection control",
            "antimicrobial resistance",
            "antimicrobial stewardship",
            "ve sinh tay",
            "sot xuat huyet",
            "dengue",
            "khang khang sinh",
        ),
    ),
)
