"""Partner organisations named in a passage, in Vietnamese, English or French, with their country.

Why a gazetteer first: the organisations the department works with recur (KOICA, JICA, WHO, the
big French and Korean hospitals), and their names come in three languages and as acronyms; one
entry per organisation lists them all, which merges "Cơ quan Hợp tác Quốc tế Hàn Quốc (KOICA)",
"KOICA" and "Korea International Cooperation Agency" into one partner. Organisations not in it are
found by their shape ("Bệnh viện X (Cộng hòa Pháp)", "X University Hospital") and keyed by their
folded name; librarians merge and rename those (``kb/store.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hoptac.vietnamese import fold, whole_words

VIETNAM = "Vietnam"


@dataclass(frozen=True)
class KnownPartner:
    key: str
    name: str
    country: str
    names: tuple[str, ...]  #: full names in any language, matched accent-insensitively
    acronyms: tuple[str, ...] = ()  #: matched case-sensitively ("WHO", not "who")


KNOWN_PARTNERS: tuple[KnownPartner, ...] = (
    KnownPartner(
        "koica",
        "Korea International Cooperation Agency (KOICA)",
        "Korea",
        ("Korea International Cooperation Agency", "Cơ quan Hợp tác Quốc tế Hàn Quốc"),
        ("KOICA",),
    ),
    KnownPartner(
        "jica",
        "Japan International Cooperation Agency (JICA)",
        "Japan",
        ("Japan International Cooperation Agency", "Cơ quan Hợp tác Quốc tế Nhật Bản"),
        ("JICA",),
    ),
    KnownPartner(
        "who",
        "World Health Organization (WHO)",
        "International",
        ("World Health Organization", "Tổ chức Y tế Thế giới", "Organisation mondiale de la Santé"),
        ("WHO",),
    ),
    KnownPartner(
        "usaid",
        "United States Agency for International Development (USAID)",
        "United States",
        ("United States Agency for International Development", "Cơ quan Phát triển Quốc tế Hoa Kỳ"),
        ("USAID",),
    ),
    KnownPartner(
        "snuh",
        "Seoul National University Hospital",
        "Korea",
        ("Seoul National University Hospital", "Bệnh viện Đại học Quốc gia Seoul"),
        ("SNUH",),
    ),
    KnownPartner(
        "hcl",
        "Hospices Civils de Lyon",
        "France",
        ("Hospices Civils de Lyon", "Bệnh viện Đa khoa Lyon"),
    ),
    KnownPartner(
        "pasteur",
        "Institut Pasteur",
        "France",
        (
            "Institut Pasteur de Paris",
            "Institut Pasteur",
            "Viện Pasteur Paris",
            "Pasteur Institute",
        ),
    ),
    KnownPartner(
        "oucru",
        "Oxford University Clinical Research Unit",
        "United Kingdom",
        ("Oxford University Clinical Research Unit",),
        ("OUCRU",),
    ),
    KnownPartner(
        "bach-mai", "Bệnh viện Bạch Mai", VIETNAM, ("Bệnh viện Bạch Mai", "Bach Mai Hospital")
    ),
    KnownPartner(
        "so-y-te-ha-noi",
        "Sở Y tế Hà Nội",
        VIETNAM,
        ("Sở Y tế Hà Nội", "Sở Y tế thành phố Hà Nội", "Hanoi Department of Health"),
    ),
    KnownPartner(
        "ubnd-ha-noi",
        "Ủy ban nhân dân thành phố Hà Nội",
        VIETNAM,
        ("Ủy ban nhân dân thành phố Hà Nội", "UBND thành phố Hà Nội", "Hanoi People's Committee"),
    ),
    KnownPartner(
        "cdc-ha-noi",
        "Trung tâm Kiểm soát bệnh tật Hà Nội",
        VIETNAM,
        (
            "Trung tâm Kiểm soát bệnh tật Hà Nội",
            "Trung tâm Kiểm soát bệnh tật thành phố Hà Nội",
            "Hanoi CDC",
            "Hanoi Center for Disease Control",
        ),
    ),
    KnownPartner(
        "thanh-nhan",
        "Bệnh viện Thanh Nhàn",
        VIETNAM,
        ("Bệnh viện Thanh Nhàn", "Thanh Nhan Hospital"),
    ),
    KnownPartner(
        "xanh-pon",
        "Bệnh viện đa khoa Xanh Pôn",
        VIETNAM,
        ("Bệnh viện đa khoa Xanh Pôn", "Bệnh viện Xanh Pôn", "Saint Paul Hospital"),
    ),
    KnownPartner(
        "duc-giang",
        "Bệnh viện đa khoa Đức Giang",
        VIETNAM,
        ("Bệnh viện đa khoa Đức Giang", "Bệnh viện Đức Giang", "Duc Giang Hospital"),
    ),
)

#: Country names as written in the parentheses after a partner, folded, and their English name.
COUNTRIES = {
    "cong hoa phap": "France",
    "phap": "France",
    "france": "France",
    "han quoc": "Korea",
    "dai han dan quoc": "Korea",
    "korea": "Korea",
    "south korea": "Korea",
    "nhat ban": "Japan",
    "japan": "Japan",
    "hoa ky": "United States",
    "my": "United States",
    "united states": "United States",
    "usa": "United States",
    "duc": "Germany",
    "cong hoa lien bang duc": "Germany",
    "germany": "Germany",
    "anh": "United Kingdom",
    "vuong quoc anh": "United Kingdom",
    "united kingdom": "United Kingdom",
    "uc": "Australia",
    "australia": "Australia",
    "singapore": "Singapore",
    "trung quoc": "China",
    "china": "China",
    "nga": "Russia",
    "lien bang nga": "Russia",
    "russia": "Russia",
    "thai lan": "Thailand",
    "thailand": "Thailand",
    "canada": "Canada",
    "viet nam": VIETNAM,
    "vietnam": VIETNAM,
}

_VI_ORG = re.compile(
    r"\b((?:Bệnh viện|Trường Đại học|Đại học|Viện|Cơ quan|Tổ chức|Quỹ|Trung tâm)"
    r"(?:\s+[A-ZĐÀ-Ỹ][\w'-]*){1,7})\s*\(([^()]{2,30})\)"
)
_EN_ORG = re.compile(
    r"\b((?:[A-Z][\w'-]+\s+){1,5}(?:University Hospital|University|Hospital|Institute|Foundation))\b"
)


@dataclass(frozen=True)
class Mention:
    """An organisation named in a passage: which partner (``key``), as written, its country."""

    chunk_id: int
    key: str
    name: str
    surface: str
    country: str | None


def partner_key(name: str) -> str:
    """The key of an organisation found by its shape: its folded name, so spellings with and
    without accents meet."""
    return "org:" + re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def find_mentions(chunk_id: int, text: str) -> list[Mention]:
    """Partners named in one passage, one mention per partner (the first way it is written)."""
    folded = fold(text)
    found: dict[str, Mention] = {}
    taken: list[tuple[int, int]] = []
    gazetteer = _gazetteer()
    # One pass each says whether the passage names any known partner at all; most name none.
    names_any, acronyms_any = gazetteer.any_name.search(folded), gazetteer.any_acronym.search(text)
    for partner, names, acronyms in gazetteer.partners if names_any or acronyms_any else ():
        for name, pattern in names if names_any else ():
            for match in pattern.finditer(folded):
                if not _overlaps(match.span(), taken):
                    taken.append(match.span())
                    found.setdefault(
                        partner.key,
                        Mention(chunk_id, partner.key, partner.name, name, partner.country),
                    )
        for acronym, pattern in acronyms if acronyms_any else ():
            if pattern.search(text):
                found.setdefault(
                    partner.key,
                    Mention(chunk_id, partner.key, partner.name, acronym, partner.country),
                )
    for match in _VI_ORG.finditer(text):
        country = COUNTRIES.get(fold(match.group(2)).strip(" ,."))
        name = match.group(1).strip()
        if country is None or _known(name, folded_spans=taken, folded=folded):
            continue
        key = partner_key(name)
        found.setdefault(key, Mention(chunk_id, key, name, match.group(0), country))
    for match in _EN_ORG.finditer(text):
        name = match.group(1).strip()
        if _known(name, folded_spans=taken, folded=folded) or len(name.split()) < 2:
            continue
        key = partner_key(name)
        found.setdefault(key, Mention(chunk_id, key, name, name, None))
    return list(found.values())


@dataclass(frozen=True)
class _Gazetteer:
    """The known partners' patterns, compiled once: each name (folded, longest first) and each
    acronym, and one alternation of each kind."""

    partners: tuple[
        tuple[
            KnownPartner,
            tuple[tuple[str, re.Pattern[str]], ...],
            tuple[tuple[str, re.Pattern[str]], ...],
        ],
        ...,
    ]
    any_name: re.Pattern[str]
    any_acronym: re.Pattern[str]


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    def acronyms(words: list[str]) -> re.Pattern[str]:  # case-sensitive, in the text as written
        return re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, words)) or '(?!)'})(?![\w])")

    partners = tuple(
        (
            partner,
            tuple(
                (name, whole_words((fold(name),)))
                for name in sorted(partner.names, key=len, reverse=True)
            ),
            tuple((a, acronyms([a])) for a in partner.acronyms),
        )
        for partner in KNOWN_PARTNERS
    )
    return _Gazetteer(
        partners,
        whole_words(tuple(fold(n) for p in KNOWN_PARTNERS for n in p.names)),
        acronyms([a for p in KNOWN_PARTNERS for a in p.acronyms]),
    )


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _known(name: str, folded_spans: list[tuple[int, int]], folded: str) -> bool:
    """Whether a shape-found name is (part of) a gazetteer name already matched in this passage."""
    target = fold(name)
    return any(
        target in folded[start:end] or folded[start:end] in target for start, end in folded_spans
    )
