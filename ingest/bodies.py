"""Names of issuing bodies, as a clerk writes them in running text.

Why: headers print the issuer in capitals, split over lines and under its parent body ("ỦY BAN
NHÂN DÂN / THÀNH PHỐ HỒ CHÍ MINH / SỞ Y TẾ"), and OCR may drop its accents. Librarians file and
filter by one spelling: "UBND thành phố Hà Nội", "Sở Y tế thành phố Hồ Chí Minh", "Bộ Y tế",
"Thủ tướng Chính phủ". Names are matched on folded text (``fold``), so "THANH PHO HA NOI" from
an accent-stripped scan reads "thành phố Hà Nội".
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from hoptac.vietnamese import fold, has_marks, is_vietnamese_syllable
from ingest.diacritics.syllables import normalize_syllable

#: How close (0..100) a misread place must come to a province's folded name to be taken for it.
_PLACE_MIN_SCORE = 80.0

#: Issuers named by the code after the type in a number ("BYT" in "2093/QĐ-BYT").
CODE_ISSUERS = {
    "TTG": "Thủ tướng Chính phủ", "CP": "Chính phủ", "BYT": "Bộ Y tế", "BTP": "Bộ Tư pháp",
    "BTC": "Bộ Tài chính", "BCA": "Bộ Công an", "BNV": "Bộ Nội vụ", "BQP": "Bộ Quốc phòng",
    "BGDDT": "Bộ Giáo dục và Đào tạo", "BKHCN": "Bộ Khoa học và Công nghệ",
    "BXD": "Bộ Xây dựng", "BCT": "Bộ Công Thương", "BNG": "Bộ Ngoại giao",
    "VPCP": "Văn phòng Chính phủ", "BHXH": "Bảo hiểm xã hội Việt Nam",
}  # fmt: skip
#: The first words of a body's name; a header line starting with one starts a new body.
_BODY_NAMES = (
    "ủy ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd", "sở", "bộ", "cục", "tổng cục",
    "chi cục", "viện", "bệnh viện", "trung tâm", "trường", "đại học", "học viện", "văn phòng",
    "thủ tướng", "chính phủ", "quốc hội", "ban", "phòng", "bảo hiểm xã hội", "công ty",
    "tổng công ty", "tòa án", "kho bạc", "ngân hàng", "ủy ban", "hội", "thanh tra", "tỉnh ủy",
    "thành ủy", "đảng ủy", "chủ tịch", "tổ chức", "liên đoàn", "đoàn", "tiểu ban", "thường trực",
)  # fmt: skip
#: ... folded, as header lines are matched, each to its spelling, for a name whose marks OCR
#: dropped ("BO Y TE" is "Bộ Y tế") ...
_BODY_WORDS = {fold(name).lower(): name for name in _BODY_NAMES}
#: ... and the first word of each as it is spelled, for ``line_starts_body``.
_BODY_HEADS = frozenset(normalize_syllable(name.split()[0]) for name in _BODY_NAMES)
#: Administrative levels: folded -> as written inside a name ("UBND thành phố Hà Nội").
_LEVELS = {
    "thanh pho": "thành phố", "tp": "thành phố", "tinh": "tỉnh", "quan": "quận",
    "huyen": "huyện", "thi xa": "thị xã", "thi tran": "thị trấn", "xa": "xã", "phuong": "phường",
    "tx": "thị xã",
}  # fmt: skip
#: Fixed spellings of bodies whose names are not "body word + field".
_FIXED_NAMES = {
    "uy ban nhan dan": "UBND", "ubnd": "UBND", "hoi dong nhan dan": "HĐND", "hdnd": "HĐND",
    "thu tuong chinh phu": "Thủ tướng Chính phủ", "chinh phu": "Chính phủ",
    "quoc hoi": "Quốc hội", "bao hiem xa hoi": "Bảo hiểm xã hội",
    "uy ban thuong vu quoc hoi": "Ủy ban Thường vụ Quốc hội", "thuong truc": "Thường trực",
}  # fmt: skip
#: The fields that name ministries and provincial departments, as spelled: the marks OCR drops
#: from a header in capitals ("SỞ Y TE" is "Sở Y tế") and the capitals a clerk keeps ("Bộ Công
#: Thương").
_FIELDS = {
    fold(name): name
    for name in (
        "Y tế", "Tư pháp", "Tài chính", "Nội vụ", "Ngoại vụ", "Ngoại giao", "Công Thương",
        "Xây dựng", "Công an", "Quốc phòng", "Giáo dục và Đào tạo", "Khoa học và Công nghệ",
        "Kế hoạch và Đầu tư", "Giao thông vận tải", "Tài nguyên và Môi trường",
        "Thông tin và Truyền thông", "Nông nghiệp và Môi trường",
        "Nông nghiệp và Phát triển nông thôn", "Dân tộc và Tôn giáo",
    )
}  # fmt: skip
#: Provinces and centrally run cities, so "SỞ Y TẾ HÀ NỘI" reads "Sở Y tế Hà Nội" and an OCR
#: "THANH PHO HA NOI" reads "thành phố Hà Nội".
_PROVINCES = {
    fold(name): name
    for name in (
        "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Thừa Thiên Huế",
        "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu",
        "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau",
        "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
        "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên",
        "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
        "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
        "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng",
        "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Tiền Giang", "Trà Vinh",
        "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Việt Nam",
    )
}  # fmt: skip
#: Bodies that have units under them, and the words that name such a unit.
_PARENTS = dict.fromkeys(("bo", "uy ban nhan dan", "ubnd", "so"), "")
_UNITS = dict.fromkeys(
    ("cuc", "tong cuc", "chi cuc", "vien", "benh vien", "trung tam", "so", "ban chi dao",
     "ban quan ly"), ""
)  # fmt: skip
#: Units every body has, named after the body they serve: "Văn phòng Bộ Công an".
_OFFICES = frozenset(("van phong", "thanh tra"))
#: Parent bodies that lend their place to a department under them.
_COMMITTEES = dict.fromkeys(("uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd"), "")


#: "BỘY" / "TẾ", "BOY TE": OCR glued the one-letter word of "Y tế" to the body before it.
_GLUED_Y = re.compile(r"\b(B[ỘO]|S[ỞO])Y(?=\s+T[ẾE]\b)")


def issuer_name(fragments: list[str]) -> str | None:
    """The issuer named by the left column of a header, top to bottom ("ỦY BAN NHÂN DÂN",
    "THÀNH PHỐ HỒ CHÍ MINH", "SỞ Y TẾ"): the last body, the one that signs. A parent committee
    above it only lends its place: "Sở Y tế thành phố Hồ Chí Minh", not the committee."""
    if not fragments:
        return None
    fragments = _GLUED_Y.sub(r"\1 Y", "\n".join(fragments)).split("\n")
    joined: list[str] = []
    for fragment in map(_with_lost_initial, fragments):  # "ỦY BAN THƯỜNG VỤ" / "QUỐC HỘI"
        if joined and _prefix(fold(f"{joined[-1]} {fragment}"), _FIXED_NAMES) not in (
            None,
            _prefix(fold(joined[-1]), _FIXED_NAMES),
        ):
            joined[-1] = f"{joined[-1]} {fragment}"
        else:
            joined.append(fragment)
    bodies: list[list[str]] = []
    for fragment in [unit for line in joined for unit in _split_units(line)]:
        folded = fold(fragment)
        if not bodies or (starts_body(folded) and not _runs_on(bodies[-1][-1])):
            bodies.append([fragment])
        else:
            bodies[-1].append(fragment)
    if not bodies:
        return None
    body = " ".join(bodies[-1])
    if len(bodies) > 1 and fold(body).lower() in _OFFICES:  # "BỘ CÔNG AN" / "VĂN PHÒNG"
        return f"{body_name(body)} {body_name(' '.join(bodies[-2]))}"
    parts = _joint_parts(body)
    if len(bodies) > 1:  # each body of a joint document takes the place its parent lends
        lent = _place_lent(" ".join(bodies[-2]))
        parts = [part if _has_place(fold(part)) else part + lent for part in parts]
    return " và ".join(body_name(part) for part in parts)


#: What stands between two bodies that issue a document together: "BỘ Y TẾ - BỘ TÀI CHÍNH",
#: "THƯỜNG TRỰC HĐND VÀ" / "UBND TỈNH HÒA BÌNH".
_JOINT = re.compile(r"\s*[-–—]\s*|\s+v[àa]\s+", re.IGNORECASE)
_JOINT_END = re.compile(r"\s(?:v[àa]|-)$", re.IGNORECASE)


def _runs_on(fragment: str) -> bool:
    """True when a header line leaves a body's name to the next: "THƯỜNG TRỰC" (the standing
    board of the council or committee named under it), or a joint name cut after its "và" or
    its dash ("SỞ GIÁO DỤC VÀ ĐÀO TẠO -" / "SỞ TÀI CHÍNH")."""
    return fold(fragment).lower() == "thuong truc" or bool(_JOINT_END.search(fragment))


def _joint_parts(body: str) -> list[str]:
    """The bodies of a joint document, named side by side ("BỘ VĂN HÓA - THÔNG TIN-BỘ Y TẾ",
    "THƯỜNG TRỰC HĐND VÀ UBND TỈNH"): a dash or "và" splits only where a body's name starts after
    it, so "BỘ LAO ĐỘNG – THƯƠNG BINH VÀ XÃ HỘI" stays one."""
    parts: list[str] = []
    start = 0
    for dash in _JOINT.finditer(body):
        if starts_body(fold(body[dash.end() :])) and starts_body(fold(body[start : dash.start()])):
            parts.append(body[start : dash.start()])
            start = dash.end()
    return [*parts, body[start:]]


def _place_lent(parent: str) -> str:
    """The place a parent body lends the unit under it that names none: a committee its level and
    locality ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" / "SỞ Y TẾ" is "Sở Y tế thành phố Hà Nội"), a
    department its province ("SỞ Y TẾ NGHỆ AN" / "BỆNH VIỆN NỘI TIẾT" is "Bệnh viện Nội tiết
    Nghệ An"): every province has such a unit, and the place tells them apart."""
    words = parent.split()
    folded = fold(parent)
    committee = _prefix(folded, _COMMITTEES)
    if committee:
        return " " + " ".join(words[len(committee.split()) :])
    if _prefix(folded, {"so": ""}):
        for size in (4, 3, 2, 1):
            if len(words) > size + 1 and " ".join(fold(w) for w in words[-size:]) in _PROVINCES:
                before = [fold(w).strip(".") for w in words[-size - 2 : -size]]
                level = 2 if " ".join(before) in _LEVELS else int(before[-1] in _LEVELS)
                return " " + " ".join(words[-size - level :])  # "THÀNH PHỐ HỒ CHÍ MINH"
    return ""


def _with_lost_initial(fragment: str) -> str:
    """A committee's name whose first letter, a glyph of its own in some fonts, the text lost:
    "Y BAN NHÂN DÂN" is "ỦY BAN NHÂN DÂN"."""
    lost = re.match(r"y ban nhan dan\b", fold(fragment).lower())
    return f"Ủ{fragment}" if lost else fragment


def _split_units(fragment: str) -> list[str]:
    """A parent and its unit on one line, as a Word table cell gives them ("BỘ Y TẾ CỤC QUẢN LÝ
    DƯỢC"), as two fragments. Only under a ministry, committee or department, and only at a word
    that names a unit, so "BỘ QUỐC PHÒNG" or "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG" stay whole."""
    words = fragment.split()
    folded = [fold(word) for word in words]
    parent = _prefix(" ".join(folded), _PARENTS)
    if not parent:
        return [fragment]
    named = len(parent.split()) + (0 if parent in _COMMITTEES else 1)  # "BỘ" needs its field
    for i in range(named, len(words)):
        if _prefix(" ".join(folded[i:]), _UNITS) and not (parent == "so" and folded[i] == "so"):
            return [" ".join(words[:i]), " ".join(words[i:])]
    return [fragment]


def starts_body(folded: str) -> bool:
    """True when a folded header line starts a body's name ("so y te"), not a place ("tinh ...")."""
    return bool(_prefix(folded, _BODY_WORDS)) and not _prefix(folded, _LEVELS)


def line_starts_body(text: str, folded: str) -> bool:
    """``starts_body`` for a line as written: a first word whose marks spell no body's first word
    names none, whatever its letters: "BÀN TỈNH LAI CHÂU" goes on "TRÊN ĐỊA", "ĐOẠN 2021 - 2025"
    goes on "GIAI". Without marks (OCR that lost them) the letters decide."""
    words = text.split()
    first = normalize_syllable(words[0].lower()) if words else ""  # "UỶ" is "ủy"
    if has_marks(first) and first not in _BODY_HEADS:
        return False
    return starts_body(folded)


def name_runs_on(first: str, second: str) -> bool:
    """True when a body's name begun on one folded line goes on at the start of the next: "bo" /
    "y te", "uy" / "ban nhan dan", "uy ban nhan" / "dan", "uy ban thuong vu" / "quoc hoi"."""
    alone = _prefix(first, _BODY_WORDS) or ""
    if alone == first:
        return True  # "BỘ" / "Y TẾ": a body's first word alone on its line
    joined = _prefix(f"{first} {second}", {**_BODY_WORDS, **_FIXED_NAMES}) or ""
    return len(joined) > len(first) and len(joined) > len(alone)


def _has_place(folded: str) -> bool:
    words = f" {re.sub(r'[.,]', ' ', folded)} ".replace(" xa hoi ", " ")  # "tx. dong xoai"
    return any(f" {name} " in words for name in (*_LEVELS, *_PROVINCES))


def body_name(body: str) -> str:
    """A body's name as a clerk writes it in running text: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" is
    "UBND thành phố Hà Nội", "SỞ Y TẾ" is "Sở Y tế", "THỦ TƯỚNG CHÍNH PHỦ" is "Thủ tướng Chính phủ"."""
    words = body.split()
    folded = [fold(word).strip(".,") for word in words]  # "TP." is "tp"
    out: list[str] = []
    in_place = False
    head = _prefix(" ".join(folded), _BODY_WORDS)
    i = 0
    unit = 0  # where the name of the body now being written starts in ``out``
    if head and not _prefix(" ".join(folded), _FIXED_NAMES):  # "Bệnh viện", "Sở": one unit
        i = len(head.split())
        out.append(_BODY_WORDS[head].capitalize())
    while i < len(words):
        rest = " ".join(folded[i:])
        if (
            i > 0
            and not in_place
            and _prefix(rest, _PARENTS) in ("bo", "so")
            and i + 1 < len(words)
        ):
            unit = len(out)  # "VĂN PHÒNG BỘ Y TẾ": the parent's name is written as its own
        fixed = None if in_place else _prefix(rest, _FIXED_NAMES)
        field = _prefix(rest, _FIELDS) if i > 0 and not in_place and not fixed else None
        province = _prefix(rest, _PROVINCES) if i > 0 else None
        level = _prefix(rest, _LEVELS) if i > 0 and not in_place else None
        if level:
            level = _level_as_written(level, words[i:], out[-1])
        if fixed:
            out.append(_FIXED_NAMES[fixed])
        elif field:
            out.append(_FIELDS[field])
        elif province:
            out.append(_PROVINCES[province])
            in_place = True
        elif level:
            out.append(_LEVELS[level])
            in_place = True
        else:
            word = words[i]
            capital = in_place or len(out) - unit <= 1 or out[-1] in ("và", "-", "–", "—")
            if any(char.isdigit() for char in word) or _abbreviation(word):
                out.append(word)  # "COVID-19", "GD-ĐT" as written
            else:
                out.append(word[:1].upper() + word[1:].lower() if capital else word.lower())
        i += len((fixed or field or province or level or "x").split())
    return " ".join(out)


def _level_as_written(level: str, words: list[str], before: str) -> str | None:
    """``level`` where ``words`` (the name from there on) start with that administrative level,
    else None. "xã hội" is no commune. Spelled with the level's own marks, it is one anywhere
    ("TRUNG TÂM Y TẾ HUYỆN ..."); with other marks and nothing after it, it ends a place's name
    ("HUYỆN SƠN TỊNH"), though OCR often slips a mark ("TĨNH HẬU GIANG" is tỉnh). Otherwise a
    commune, ward, district or county is one only after a committee or council: "QUẢN LÝ"."""
    size = len(level.split())
    if level == "xa" and fold(" ".join(words[size : size + 1])).lower() == "hoi":
        return None
    written = " ".join(words[:size]).lower()
    if written == _LEVELS[level]:
        return level
    if has_marks(written) and len(words) == size:
        return None
    if level in ("xa", "phuong", "quan", "huyen") and before not in ("UBND", "HĐND"):
        return None
    return level


def _abbreviation(word: str) -> bool:
    """An abbreviation in capitals ("GD-ĐT", "THPT", "UBND"): a part that is no Vietnamese
    syllable, written without accents (Đ aside) and with at most one vowel, unlike syllables run
    together where a text layer lost its spaces ("TRẤNNGÃI")."""
    parts = [part for part in re.split(r"[-–/.,;:()]", word) if part]
    return word.isupper() and any(
        not is_vietnamese_syllable(part.lower())
        and part.replace("Đ", "D").isascii()
        and sum(char in "AEIOUY" for char in part) <= 1
        for part in parts
    )


def _prefix(folded: str, names: dict[str, str]) -> str | None:
    """The longest of ``names`` that ``folded`` starts with, as whole words."""
    found = [name for name in names if folded == name or folded.startswith(name + " ")]
    return max(found, key=len, default=None)


def place_name(place: str) -> str:
    """A place as the header writes it, with a province's name spelled in full: "Ha Noi" from an
    accent-stripped scan is "Hà Nội", and so is "Ha Ngi" from a garbled one (not a Vietnamese
    syllable, so a misreading). A town the list does not hold ("Ngãi Giao") stays as read."""
    folded = _folded_place(place)
    if folded in _PROVINCES:
        return _PROVINCES[folded]
    level = _prefix(folded, _LEVELS)
    if level and folded[len(level) + 1 :] in _PROVINCES:  # "Thanh pho Ho Chi Minh"
        return f"{_LEVELS[level].capitalize()} {_PROVINCES[folded[len(level) + 1 :]]}"
    if all(is_vietnamese_syllable(word.lower()) for word in place.split() if word.isalpha()):
        return place
    found = process.extractOne(folded, list(_PROVINCES), scorer=fuzz.ratio)
    return _PROVINCES[found[0]] if found and found[1] >= _PLACE_MIN_SCORE else place


def _folded_place(place: str) -> str:
    return re.sub(r"^tp\.\s*", "tp ", fold(place).lower())  # "Tp.Hồ Chí Minh"


def is_province(place: str) -> bool:
    """True when ``place`` names a province or centrally run city, its level written or not:
    "Hà Nội", "Thành phố Hồ Chí Minh", "Ha Noi"."""
    folded = _folded_place(place)
    level = _prefix(folded, _LEVELS)
    return folded in _PROVINCES or bool(level and folded[len(level) + 1 :] in _PROVINCES)


#: Provinces that are centrally run cities: their committee is "UBND thành phố ...".
_CITIES = frozenset(("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"))


def committee_of(issuer: str | None, place: str | None) -> str | None:
    """A people's committee or council named without its locality ("ỦY BAN NHÂN DÂN", the line
    under it lost) is the one of the province its date line names: a body writes its seat's name
    as the place (Decree 30/2020/NĐ-CP), and a district's is the district's own name."""
    seat = fold(place or "").lower()
    if issuer not in ("UBND", "HĐND") or seat not in _PROVINCES:
        return issuer
    level = "thành phố" if seat in _CITIES else "tỉnh"
    return f"{issuer} {level} {_PROVINCES[seat]}"


#: Words after a council's name that say its term, not its place: "KHÓA IV", "NHIỆM KỲ 2021-2026".
_TERMS = frozenset(("khoa", "ky", "nhiem", "lan"))


def committee_over_preamble(issuer: str | None, line: str) -> str | None:
    """A committee or council the header's box named without its locality ("HỘI ĐỒNG NHÂN DÂN",
    the line under it lost), named in full by the line in capitals over the preamble: "HỘI ĐỒNG
    NHÂN DÂN TỈNH KHÁNH HOÀ KHOÁ IV, KỲ HỌP THỨ 6", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ..."; None
    when the line names no such committee."""
    words = line.split(",")[0].split()
    folded = [fold(word).lower() for word in words]
    if folded[:2] == ["chu", "tich"]:
        words, folded = words[2:], folded[2:]
    committee = _prefix(" ".join(folded), _COMMITTEES)
    if not committee or issuer != _FIXED_NAMES[committee]:
        return None
    size = len(committee.split())
    if not _prefix(" ".join(folded[size:]), _LEVELS):
        return None
    end = next((i for i, w in enumerate(folded) if i > size and w in _TERMS), len(words))
    return body_name(" ".join(words[:end]))


def issuer_from_code(number: str) -> str | None:
    """The body a number's code names: "1043/BTP-..." is Bộ Tư pháp's."""
    parts = re.split(r"[-/]", number)
    for part in parts[1:]:
        issuer = CODE_ISSUERS.get(fold(part).upper())
        if issuer:
            return issuer
    return None
