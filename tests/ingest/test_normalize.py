"""A librarian's archive mixes Unicode forms, tone styles and legacy fonts; search must see one text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hoptac.vietnamese import fold
from hoptac.vietnamese.legacy import detect_legacy_encoding, tcvn3_to_unicode, vni_to_unicode
from ingest.normalize import canonical_tone, normalize

SEED = Path(__file__).resolve().parents[2] / "corpus"  # the seed documents, copied from shared/
VIETNAMESE = "Hợp tác quốc tế về chuyển giao công nghệ trong lĩnh vực y tế của thành phố Hà Nội"

# Text drawn from Vietnamese, French and English letters plus the awkward characters we must handle.
_alphabet = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ")
    + list("ùúủũụừứửữựỳýỷỹỵçœëïüÿ-.,;:\n\t\f\u00ad\u200b\x00\x07 ")
    + ["hoà", "hòa", "thuý", "khoẻ", "quý", "tech-\nnology", "y-\ntế", "t¸c", "taùc"]
)
texts = st.lists(_alphabet, max_size=60).map("".join)


@given(texts)
@settings(max_examples=300, deadline=None)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(texts)
@example("t¸c \xadt¸c")  # the soft hyphen dropped, the TCVN3 text is confident to convert
@settings(max_examples=300, deadline=None)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(texts)
@settings(max_examples=300, deadline=None)
def test_nfc_and_nfd_inputs_give_one_output(text: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert normalize(nfc) == normalize(nfd)
    assert fold(nfc) == fold(nfd)


@given(
    st.sampled_from(
        [("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("Thuỷ", "Thủy"), ("hoá", "hóa")]
    )
)
def test_tone_placement_variants_give_one_output(pair: tuple[str, str]) -> None:
    new_style, old_style = pair
    assert normalize(f"sức {new_style} tốt") == normalize(f"sức {old_style} tốt")
    assert (
        normalize(new_style) == old_style
    )  # the documented canonical form: tone on the first vowel


def test_closed_syllables_and_qu_keep_their_tone() -> None:
    assert canonical_tone("hoàng toán quyết quý quà thuyền") == "hoàng toán quyết quý quà thuyền"


def test_invisible_and_control_characters_go_but_layout_stays() -> None:
    raw = "Kế\u00ad hoạch\u200b  số\x00 137\tnăm\r\n2025\fTrang 2"
    assert normalize(raw) == "Kế hoạch số 137\tnăm\n2025\fTrang 2"


def test_words_broken_across_lines_are_rejoined_only_when_western() -> None:
    text = "transfer of medical tech-\nnology and chuyển giao trong lĩnh vực y-\ntế"
    result = normalize(text)
    assert "technology" in result
    assert "y-\ntế" in result  # a Vietnamese syllable is never glued to the previous one


def test_tcvn3_mojibake_is_converted() -> None:
    mojibake = "Hîp t¸c quèc tÕ vÒ chuyÓn giao c«ng nghÖ trong lÜnh vùc y tÕ"
    assert detect_legacy_encoding(mojibake) == "tcvn3"
    assert normalize(mojibake) == "Hợp tác quốc tế về chuyển giao công nghệ trong lĩnh vực y tế"


def test_vni_mojibake_is_converted() -> None:
    mojibake = "Hôïp taùc quoác teá veà chuyeån giao coâng ngheä trong lónh vöïc y teá"
    assert detect_legacy_encoding(mojibake) == "vni"
    assert normalize(mojibake) == "Hợp tác quốc tế về chuyển giao công nghệ trong lĩnh vực y tế"


def test_legacy_tables_invert_unicode_text() -> None:
    # Each table applied to its own encoding of the same sentence gives the Unicode sentence back.
    assert tcvn3_to_unicode("Thµnh phè Hµ Néi") == "Thành phố Hà Nội"
    assert vni_to_unicode("Thaønh phoá Haø Noäi") == "Thành phố Hà Nội"


@pytest.mark.parametrize(
    "text",
    [
        "Le système de santé à l'hôpital où le coût des soins a été évalué, naïf et aérien.",
        "The WHO © 2024 report covers 25 °C storage and § 3 of the agreement.",
        "Die Gesundheitsförderung für ältere Menschen in Köln ist ein Schwerpunkt.",
        VIETNAMESE,
    ],
)
def test_unicode_french_english_german_text_is_never_converted(text: str) -> None:
    assert detect_legacy_encoding(text) is None
    assert normalize(text) == text


def test_the_garbled_ocr_seed_is_left_as_found() -> None:
    raw = (SEED / "kh-137-ubnd-2025-ocr.txt").read_text(encoding="utf-8")
    assert detect_legacy_encoding(raw) is None
    assert "Hop tac quéc té" in normalize(raw)


def test_fold_matches_garbled_and_clean_spellings() -> None:
    assert fold("Hop tac quóc té") == fold("Hợp tác  quốc tế") == "hop tac quoc te"
    assert fold("ĐIỀU 5. Đối tượng") == "dieu 5. doi tuong"
    assert fold("Hôïp taùc quoác teá") == "hop tac quoc te"
