"""Text normalisation before classification."""

from __future__ import annotations

from bot.nlu.normalize import normalise, normalise_with_offsets


def test_arabic_forms_are_unified() -> None:
    assert normalise("أُرِيدُ العَمَلَ") == normalise("اريد العمل")
    assert normalise("مدرسة") == normalise("مدرسه")
    assert normalise("على") == normalise("علي")
    assert normalise("كتابـــة") == normalise("کتابه")


def test_persian_yeh_kaf_and_digits() -> None:
    assert normalise("كار مي كنم ١٢") == normalise("کار می کنم ۱۲") == "کار می کنم 12"


def test_invisible_and_control_characters_go() -> None:
    assert normalise("  Mag\u200b ik\u202e\x00 WERKEN?\ufeff ") == "mag ik werken?"
    assert normalise("می\u200cخواهم") == "میخواهم"


def test_turkish_capital_i() -> None:
    assert normalise("İSTANBUL") == "istanbul"


def test_offsets_point_into_the_original() -> None:
    text = "أُريد ٧ أشهر"
    norm, offsets = normalise_with_offsets(text)
    start = norm.index("7")
    assert text[offsets[start]] == "٧"
    assert len(offsets) == len(norm) + 1
