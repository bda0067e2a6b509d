"""The facts of written Vietnamese that ingest, search and the catalog share."""

from __future__ import annotations

import unicodedata

from hoptac.vietnamese import (
    fold,
    has_marks,
    is_folded_syllable,
    is_vietnamese_syllable,
    strip_marks,
)


def test_d_with_stroke_folds_to_d_in_both_cases() -> None:
    assert fold("Đà Nẵng, đường Điện Biên Phủ") == "da nang, duong dien bien phu"
    assert strip_marks("Đà Nẵng") == "Da Nang"


def test_decomposed_and_composed_text_fold_alike() -> None:
    composed = "Bệnh viện Bạch Mai hợp tác quốc tế"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed) == "benh vien bach mai hop tac quoc te"
    assert strip_marks(decomposed) == strip_marks(composed) == "Benh vien Bach Mai hop tac quoc te"


def test_a_stray_combining_mark_is_dropped_not_kept() -> None:
    assert fold("x\u0301\u0323y") == "xy"


def test_legacy_encoded_text_folds_like_unicode() -> None:
    assert fold("Hîp t¸c quèc tÕ vÒ y tÕ") == fold("Hợp tác quốc tế về y tế")  # TCVN3
    assert fold("Hôïp taùc quoác teá") == "hop tac quoc te"  # VNI
    # French is never taken for mojibake: its accents are simply folded.
    assert fold("Coopération médicale à Hanoï") == "cooperation medicale a hanoi"


def test_other_scripts_and_symbols_are_spelt_in_ascii() -> None:
    assert fold("Æsculap 37°C, 5 €") == "aesculap 37degc, 5 eur"
    assert fold("tab\there\x85there") == "tab herethere"


def test_fold_is_idempotent_and_lower_case() -> None:
    text = "  KẾ HOẠCH\t137/KH-UBND  "
    assert fold(text) == "ke hoach 137/kh-ubnd"
    assert fold(fold(text)) == fold(text)


def test_strip_marks_keeps_case_and_length_of_vietnamese_words() -> None:
    assert strip_marks("Quyết định") == "Quyet dinh"
    assert has_marks("Quyết") and not has_marks("Quyet")


def test_syllable_shape_follows_vietnamese_spelling() -> None:
    assert is_vietnamese_syllable("nghiêng") and is_vietnamese_syllable("quý")
    assert is_folded_syllable("khuyen") and is_folded_syllable("gi")
    assert not is_folded_syllable("cia")  # Vietnamese writes k before i
    assert not is_folded_syllable("ngi")  # ... and ngh
    assert not is_folded_syllable("qa")  # q only ever as qu
    assert not is_vietnamese_syllable("strong")
