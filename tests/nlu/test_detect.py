"""Language detection among our 13 languages, and how a hint is used."""

from __future__ import annotations

import pytest

from bot.language.detect import LANGUAGES, detect_language, normalise_hint

SENTENCES = {
    "en": ["Can I work while I wait for my asylum decision?",
           "Where can I find a job near my reception centre?"],
    "nl": ["Mag ik werken terwijl ik op mijn beslissing wacht?",
           "Waar kan ik een baan vinden in de buurt van het azc?"],
    "ar": ["هل يمكنني العمل أثناء انتظار قرار اللجوء؟", "أين أجد عملا بالقرب من المخيم؟"],
    "ti": ["ክሰርሕ ይኽእል ድየ ውሳነ ክጽበ ከለኹ?", "ኣብ ጥቓ ካምፕ ስራሕ ኣበይ ክረክብ ይኽእል?"],
    "fa": ["آیا می‌توانم در زمان انتظار برای پناهندگی کار کنم؟",
           "کجا می‌توانم نزدیک کمپ کار پیدا کنم؟"],
    "ps": ["ایا زه کولی شم د پناه غوښتنې د پریکړې په انتظار کې کار وکړم؟",
           "زه غواړم چې کار پیدا کړم"],
    "tr": ["İltica kararını beklerken çalışabilir miyim?",
           "Kampın yakınında nerede iş bulabilirim?"],
    "kmr": ["Ez dikarim kar bikim dema ku ez li benda biryarê me?",
            "Ez dixwazim li nêzîkî kampê kar bibînim, çawa?"],
    "ckb": ["ئایا دەتوانم کار بکەم لە کاتی چاوەڕوانی بڕیاری پەنابەری؟",
            "چۆن کار بدۆزمەوە لە نزیک کەمپەکە؟"],
    "so": ["Ma shaqeyn karaa inta aan sugayo go'aanka magangalyada?",
           "Xaggee ka heli karaa shaqo u dhow xeradayda?"],
    "fr": ["Est-ce que je peux travailler pendant que j'attends ma décision d'asile ?",
           "Où puis-je trouver un emploi près du centre d'accueil ?"],
    "uk": ["Чи можу я працювати, поки чекаю рішення про притулок?",
           "Де я можу знайти роботу біля табору?"],
    "ru": ["Могу ли я работать, пока жду решения по убежищу?",
           "Где я могу найти работу рядом с лагерем?"],
}


@pytest.mark.parametrize(
    ("code", "text"), [(code, text) for code, texts in SENTENCES.items() for text in texts]
)
def test_detects_each_language(code: str, text: str) -> None:
    guess = detect_language(text)
    assert guess.code == code, guess
    assert guess.reliable
    assert 0.0 < guess.confidence <= 1.0


def test_all_languages_covered() -> None:
    assert set(SENTENCES) == set(LANGUAGES)


def test_short_text_is_unreliable_and_the_hint_wins() -> None:
    assert not detect_language("hallo").reliable
    guess = detect_language("salam", hint="fa")
    assert (guess.code, guess.reliable, guess.method) == ("fa", False, "hint")


def test_reliable_detection_beats_the_hint() -> None:
    guess = detect_language("Mag ik werken terwijl ik op mijn beslissing wacht?", hint="ar")
    assert guess.code == "nl"


@pytest.mark.parametrize(("hint", "code"), [("en-GB", "en"), ("ku", "kmr"), ("prs", "fa"),
                                             ("de", None), ("", None), (None, None)])
def test_hint_normalisation(hint: str | None, code: str | None) -> None:
    assert normalise_hint(hint) == code


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "\x00\x01abc\x7f", "hello \ud800 there",
                                  "?!?!", "a" * 10_000, "مرحبا hello привет ሰላም"])
def test_never_raises(text: str) -> None:
    guess = detect_language(text)
    assert guess.code in LANGUAGES
