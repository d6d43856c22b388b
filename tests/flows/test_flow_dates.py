"""parse_date: what people type, in every supported language, and each problem code."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from babel.dates import format_date

from bot.flows.dates import DateProblem, ParsedDate, parse_date
from bot.flows.monthnames import MONTHS

TODAY = date(2026, 5, 1)
D = date(2025, 3, 15)


def value(text: str, lang: str = "en", **kwargs: date) -> date | str:
    result = parse_date(text, lang, TODAY, **kwargs)
    return result.value if isinstance(result, ParsedDate) else result.code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15-03-2025", D),
        ("15/3/2025", D),
        ("2025-03-15", D),
        ("15.03.2025", D),
        ("15 3 2025", D),
        ("15 - 03 - 2025", D),
        ("15-03-25", D),  # two-digit year: 20yy
        ("15-03-99", "too_old"),  # 2099 is after this year, so 1999
        ("3/4/2025", date(2025, 4, 3)),  # day first, the Dutch convention
        ("29-02-2024", date(2024, 2, 29)),  # leap day
        ("29-02-2025", "invalid_day"),
        ("31-02-2025", "invalid_day"),
        ("31-04-2025", "invalid_day"),
        ("32/1/2025", "invalid_day"),
        ("1/13/2025", "invalid_day"),  # US order is not guessed
        ("0000-01-01", "unreadable"),
        ("15-03-202", "unreadable"),
        ("2026-05-02", "future"),
        ("2026-05-01", TODAY),
        ("1999-12-31", "too_old"),
        ("03/2025", date(2025, 3, 31)),  # a month alone: its last day
        ("2025-03", date(2025, 3, 31)),
        ("15-3", "vague"),
        ("2025", "vague"),
        ("", "unreadable"),
        ("   ", "unreadable"),
        ("banana", "unreadable"),
        ("15 blah 2025", "unreadable"),
        ("15/03/2025!", D),
        ("Ik heb op 15-03-2025 asiel aangevraagd", D),  # inside a sentence
        ("15-03-2025 of 16-03-2025", "unreadable"),  # two dates: which one?
        ("9" * 100 + " months ago", "vague"),
        ("x" * 100_000, "unreadable"),
    ],
)
def test_numeric_dates_and_problems(text: str, expected: date | str) -> None:
    assert value(text, min_date=date(2000, 1, 1)) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("١٥/٠٣/٢٠٢٥", "ar"),  # Arabic-Indic digits
        ("۱۵/۳/۲۰۲۵", "fa"),  # Persian digits
        ("\u200f15/03/2025\u200e", "ar"),  # RTL marks around it
        ("15\u200b-03-2025", "en"),  # a zero-width space
        ("١٥ مارس ٢٠٢٥", "ar"),
    ],
)
def test_other_digit_scripts_and_invisible_marks(text: str, lang: str) -> None:
    assert value(text, lang) == D


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("15 maart 2025", "nl"),
        ("15 mrt 2025", "nl"),
        ("15-mrt-2025", "nl"),
        ("March 15, 2025", "en"),
        ("15th of March 2025", "en"),
        ("15 Mar 2025", "en"),
        ("15 مارس 2025", "ar"),  # Egyptian/Gulf
        ("15 آذار 2025", "ar"),  # Levantine
        ("15 اذار 2025", "ar"),  # ... without hamza/madda
        ("15 መጋቢት 2025", "ti"),
        ("15 مارس 2025", "fa"),
        ("15 مارچ 2025", "ps"),
        ("15 Mart 2025", "tr"),
        ("15 adar 2025", "kmr"),
        ("15ê adara 2025an", "kmr"),  # babel's Kurmanji long form
        ("15ی ئازاری 2025", "ckb"),  # Sorani with ezafe
        ("15 Maarso 2025", "so"),
        ("15 mars 2025", "fr"),
        ("15 марта 2025 г.", "ru"),
        ("15 березня 2025 р.", "uk"),
    ],
)
def test_day_month_name_year(text: str, lang: str) -> None:
    assert value(text, lang) == D


@pytest.mark.parametrize(
    ("text", "lang", "month"),
    [
        ("15 كانون الثاني 2025", "ar", 1),
        ("15 يناير 2025", "ar", 1),
        ("15 شباط 2025", "ar", 2),
        ("15 أيار 2025", "ar", 5),
        ("15 تشرين الأول 2025", "ar", 10),
        ("15 تشرين الثاني 2025", "ar", 11),
        ("15 كانون الأول 2025", "ar", 12),
        ("15 كانون الثاني/يناير 2025", "ar", 1),
        ("15 ጥሪ 2025", "ti", 1),
        ("15 ግንቦት 2025", "ti", 5),
        ("15 ሓምለ 2025", "ti", 7),
        ("15 ታሕሳስ 2025", "ti", 12),
        ("15 ژانویه 2025", "fa", 1),
        ("15 ژوئیه 2025", "fa", 7),
        ("15 ژوییه 2025", "fa", 7),  # hamza written as plain yeh
        ("15 اوت 2025", "fa", 8),
        ("15 جولای 2025", "fa", 7),  # Afghan Dari
        ("15 Şubat 2025", "tr", 2),
        ("15 subat 2025", "tr", 2),  # without the cedilla
        ("15 AĞUSTOS 2025", "tr", 8),
        ("15 Aralık 2025", "tr", 12),
        ("15 août 2025", "fr", 8),
        ("15 aout 2025", "fr", 8),
        ("15 décembre 2025", "fr", 12),
        ("15 мая 2025", "ru", 5),
        ("15 декабря 2025", "ru", 12),
        ("15 травня 2025", "uk", 5),
        ("15 листопада 2025", "uk", 11),
        ("15 Luulyo 2025", "so", 7),
        ("15 tebax 2025", "kmr", 8),
    ],
)
def test_month_names(text: str, lang: str, month: int) -> None:
    assert value(text, lang) == date(2025, month, 15)


def test_every_month_of_every_language_table_is_read() -> None:
    for lang, months in MONTHS.items():
        for number, names in enumerate(months, start=1):
            for name in names:
                assert value(f"3 {name} 2025", lang) == date(2025, number, 3), (lang, name)


def test_no_month_name_means_two_months() -> None:
    from bot.flows.dates import _MONTHS_BY_LANG

    seen: dict[tuple[str, ...], int] = {}
    for table in _MONTHS_BY_LANG.values():
        for phrase, number in table.items():
            assert seen.setdefault(phrase, number) == number, phrase


@pytest.mark.parametrize("lang", ["en", "nl", "ar", "ti", "fa", "ps", "tr", "ckb", "so",
                                  "fr", "uk", "ru"])
def test_reads_babels_own_long_dates(lang: str) -> None:
    for month in range(1, 13):
        day = date(2025, month, month + 10)
        assert value(format_date(day, format="long", locale=lang), lang) == day


@pytest.mark.parametrize(
    ("text", "lang"),
    [("March 2025", "en"), ("maart 2025", "nl"), ("mars 2025", "fr"), ("آذار 2025", "ar"),
     ("березня 2025", "uk"), ("ጥሪ 2025", "ti")],
)
def test_month_without_day_is_its_last_day_and_flagged(text: str, lang: str) -> None:
    """The latest day the month can mean: a waiting time counted from it is never too short."""
    result = parse_date(text, lang, TODAY)
    assert isinstance(result, ParsedDate)
    assert result.value.year == 2025
    assert result.value.day == calendar.monthrange(2025, result.value.month)[1]
    assert result.day_assumed


def test_this_month_without_day_is_today_not_the_future() -> None:
    today = date(2026, 12, 6)
    result = parse_date("December 2026", "en", today)
    assert isinstance(result, ParsedDate) and result.value == today and result.day_assumed
    assert parse_date("January 2027", "en", today) == DateProblem("future")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("7 months ago", "en"),
        ("7 maanden geleden", "nl"),
        ("منذ 7 اشهر", "ar"),
        ("منذ ٧ أشهر", "ar"),
        ("7 ماه پیش", "fa"),
        ("7 ay önce", "tr"),
        ("il y a 7 mois", "fr"),
        ("7 месяцев назад", "ru"),
        ("7 місяців тому", "uk"),
        ("ቅድሚ 7 ወርሒ", "ti"),
        ("7 bilood ka hor", "so"),
    ],
)
def test_months_ago(text: str, lang: str) -> None:
    result = parse_date(text, lang, TODAY)
    assert isinstance(result, ParsedDate)
    assert result.value == date(2025, 10, 16)  # 1 Oct 2025 + half a month: never too early
    assert result.approximate


def test_other_relative_forms() -> None:
    # counted back, then half a unit later: the latest day the words can mean
    assert value("3 weeks ago") == date(2026, 4, 13)
    assert value("10 days ago") == date(2026, 4, 21)
    assert value("2 years ago") == date(2024, 11, 1)
    assert value("a month ago") == date(2026, 4, 16)
    assert value("il y a un an", "fr") == date(2025, 11, 1)
    assert value("yesterday") == date(2026, 4, 30)
    assert value("gisteren", "nl") == date(2026, 4, 30)
    assert value("30 years ago", min_date=date(2000, 1, 1)) == "too_old"


@pytest.mark.parametrize(
    "text",
    ["since last summer", "a while ago", "a few months ago", "lang geleden", "een tijdje",
     "March", "15 maart", "منذ فترة", "давно", "months ago"],
)
def test_vague(text: str) -> None:
    assert value(text) == "vague"


def test_since_month_in_arabic_is_not_read_as_relative() -> None:
    assert value("منذ مارس 2025", "ar") == date(2025, 3, 31)


def test_bounds_are_the_callers() -> None:
    assert value("2026-06-01", max_date=date(2030, 1, 1)) == date(2026, 6, 1)
    assert value("2001-01-01", min_date=date(2023, 1, 1)) == "too_old"
    assert parse_date("2026-06-01", "en", TODAY) == DateProblem("future")
