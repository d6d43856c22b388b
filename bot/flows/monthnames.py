"""Gregorian month names and relative-date words in the supported languages (data only).

Each entry lists the ways people write a month: full, short, and the grammatical forms a date
puts them in (Russian/Ukrainian genitive and locative, Kurmanji ezafe). Names are folded with
`textnorm.normalise` before matching, so spelling them with or without accents, harakat or
hamza here makes no difference. Multi-word names (Levantine "كانون الثاني") match as phrases;
an ambiguous half ("كانون" alone is January or December) matches nothing.
"""

from __future__ import annotations

MONTHS: dict[str, list[list[str]]] = {
    "en": [
        ["january", "jan"], ["february", "feb"], ["march", "mar"], ["april", "apr"],
        ["may"], ["june", "jun"], ["july", "jul"], ["august", "aug"],
        ["september", "sep", "sept"], ["october", "oct"], ["november", "nov"],
        ["december", "dec"],
    ],
    "nl": [
        ["januari", "jan"], ["februari", "feb"], ["maart", "mrt", "mar"], ["april", "apr"],
        ["mei"], ["juni", "jun"], ["juli", "jul"], ["augustus", "aug"],
        ["september", "sep", "sept"], ["oktober", "okt"], ["november", "nov"],
        ["december", "dec"],
    ],
    "ar": [
        # Egyptian/Gulf (and Modern Standard) forms, then the Levantine/Iraqi ones.
        ["يناير", "كانون الثاني"], ["فبراير", "فبرابر", "شباط"], ["مارس", "آذار", "اذار"],
        ["أبريل", "ابريل", "إبريل", "نيسان"], ["مايو", "أيار", "ايار"],
        ["يونيو", "يونيه", "حزيران"], ["يوليو", "يوليه", "تموز"],
        ["أغسطس", "اغسطس", "آب"], ["سبتمبر", "أيلول", "ايلول"],
        ["أكتوبر", "اكتوبر", "تشرين الأول"], ["نوفمبر", "تشرين الثاني"],
        ["ديسمبر", "كانون الأول"],
    ],
    "ti": [
        # Eritrean Tigrinya names of the Gregorian months, with common Amharic-style spellings.
        ["ጥሪ"], ["ለካቲት", "የካቲት", "ለካ"], ["መጋቢት", "መጋ"], ["ሚያዝያ", "ሚያዚያ", "ሚያ"],
        ["ግንቦት", "ጉንበት", "ግን"], ["ሰነ", "ሰኔ"], ["ሓምለ", "ሐምሌ", "ሓም"], ["ነሓሰ", "ነሐሴ", "ነሓ"],
        ["መስከረም", "መስ"], ["ጥቅምቲ", "ጥቅምት", "ጥቅ"], ["ሕዳር", "ሕዳ"], ["ታሕሳስ", "ታህሳስ", "ታሕ"],
    ],
    "fa": [
        # Iranian transliterations, then the Afghan (Dari) forms.
        ["ژانویه", "جنوری"], ["فوریه", "فبروری"], ["مارس", "مارچ"], ["آوریل", "اپریل"],
        ["مه", "می"], ["ژوئن", "ژوین", "جون"], ["ژوئیه", "ژوییه", "جولای"],
        ["اوت", "آگوست", "اگست"], ["سپتامبر", "سپتمبر"], ["اکتبر", "اکتوبر"],
        ["نوامبر", "نومبر"], ["دسامبر", "دسمبر"],
    ],
    "ps": [
        ["جنوري"], ["فبروري", "فېبروري"], ["مارچ"], ["اپریل", "اپرېل"], ["مۍ", "مئ"],
        ["جون"], ["جولای"], ["اګست", "اگست"], ["سپتمبر", "سېپتمبر"], ["اکتوبر"],
        ["نومبر"], ["دسمبر"],
    ],
    "tr": [
        ["ocak", "oca"], ["şubat", "şub"], ["mart"], ["nisan", "nis"], ["mayıs"],
        ["haziran", "haz"], ["temmuz", "tem"], ["ağustos", "ağu"], ["eylül", "eyl"],
        ["ekim", "eki"], ["kasım", "kas"], ["aralık", "ara"],
    ],
    "kmr": [
        # Names used in Turkey and Syria; dates put them in the ezafe form ("adara", EZAFE).
        ["çile", "kanûna paşîn", "rêbendan"], ["sibat", "şubat", "reşemeh"], ["adar"],
        ["nîsan"], ["gulan"], ["hezîran"], ["tîrmeh"], ["tebax"], ["îlon", "rezber"],
        ["cotmeh", "çiriya pêşîn"], ["mijdar", "çiriya paşîn"],
        ["kanûn", "kanûna pêşîn", "berfanbar"],
    ],
    "ckb": [
        ["کانوونی دووەم", "کانونی دووەم"], ["شوبات"], ["ئازار"], ["نیسان"], ["ئایار"],
        ["حوزەیران"], ["تەمووز", "تەموز"], ["ئاب"], ["ئەیلوول", "ئەیلول"],
        ["تشرینی یەکەم"], ["تشرینی دووەم"], ["کانوونی یەکەم", "کانونی یەکەم"],
    ],
    "so": [
        ["janaayo", "jannaayo", "jan"], ["febraayo", "febarwari", "feb"], ["maarso", "mar"],
        ["abriil", "abril", "abr"], ["maayo", "maajo", "may"], ["juun", "juunyo", "jun"],
        ["luulyo", "luuliyo", "lul"], ["agoosto", "agosto", "ogosto", "ogs"],
        ["sebtembar", "sebteembar", "seb"], ["oktoobar", "okt"],
        ["nofembar", "noofeembar", "nof"], ["desembar", "diseembar", "dis"],
    ],
    "fr": [
        ["janvier", "janv"], ["février", "févr", "fév"], ["mars"], ["avril", "avr"],
        ["mai"], ["juin"], ["juillet", "juil"], ["août"], ["septembre", "sept"],
        ["octobre", "oct"], ["novembre", "nov"], ["décembre", "déc"],
    ],
    "uk": [
        ["січень", "січня", "січні", "січ"], ["лютий", "лютого", "лютому", "лют"],
        ["березень", "березня", "березні", "бер"], ["квітень", "квітня", "квітні", "квіт"],
        ["травень", "травня", "травні", "трав"], ["червень", "червня", "червні", "черв"],
        ["липень", "липня", "липні", "лип"], ["серпень", "серпня", "серпні", "серп"],
        ["вересень", "вересня", "вересні", "вер"], ["жовтень", "жовтня", "жовтні", "жовт"],
        ["листопад", "листопада", "листопаді", "лист"],
        ["грудень", "грудня", "грудні", "груд"],
    ],
    "ru": [
        ["январь", "января", "январе", "янв"], ["февраль", "февраля", "феврале", "февр", "фев"],
        ["март", "марта", "марте", "мар"], ["апрель", "апреля", "апреле", "апр"],
        ["май", "мая", "мае"], ["июнь", "июня", "июне", "июн"],
        ["июль", "июля", "июле", "июл"], ["август", "августа", "августе", "авг"],
        ["сентябрь", "сентября", "сентябре", "сент", "сен"],
        ["октябрь", "октября", "октябре", "окт"], ["ноябрь", "ноября", "ноябре", "нояб", "ноя"],
        ["декабрь", "декабря", "декабре", "дек"],
    ],
}

# Endings a Kurdish month name takes inside a date: Kurmanji "1ê adara 2025an", Sorani
# "1ی ئازاری 2025".
EZAFE: dict[str, list[str]] = {"kmr": ["a", "ê", "yê"], "ckb": ["ی"]}

# "N <unit> ago": unit words, and the words that say "ago" (before or after the number).
UNITS: dict[str, list[str]] = {
    "day": [
        "day", "days", "dag", "dagen", "يوم", "ايام", "أيام", "روز", "ورځ", "ورځې", "gün",
        "roj", "rojan", "ڕۆژ", "maalin", "maalmood", "jour", "jours", "день", "дня", "дней",
        "днів", "дні", "መዓልቲ",
    ],
    "week": [
        "week", "weeks", "weken", "اسبوع", "أسابيع", "اسابيع", "هفته", "اونۍ", "اونئ", "hafta",
        "hefte", "hefteyan", "هەفتە", "toddobaad", "toddobaadyo", "semaine", "semaines",
        "неделю", "недели", "недель", "неделя", "тиждень", "тижні", "тижнів", "ሰሙን",
    ],
    "month": [
        "month", "months", "mo", "maand", "maanden", "شهر", "اشهر", "أشهر", "شهور", "ماه",
        "میاشت", "میاشتې", "میاشتي", "ay", "meh", "mehan", "مانگ", "bil", "bilood", "mois",
        "месяц", "месяца", "месяцев", "місяць", "місяці", "місяців", "ወርሒ", "ኣዋርሕ",
    ],
    "year": [
        "year", "years", "jaar", "سنة", "سنه", "سنوات", "عام", "اعوام", "سال", "کال",
        "yıl", "sene", "sal", "salan", "ساڵ", "sano", "sanadood", "an", "ans", "année",
        "années", "год", "года", "лет", "рік", "роки", "років", "ዓመት", "ዓመታት",
    ],
}
AGO_WORDS: list[str] = [
    "ago", "geleden", "منذ", "قبل", "پیش", "مخکې", "وړاندې", "önce", "evvel",
    "berê", "لەمەوبەر", "پێش", "ka hor", "il y a", "назад", "тому", "ቅድሚ",
]
# Number words people use instead of digits in "a month ago".
ONE_WORDS: list[str] = ["a", "an", "one", "een", "un", "une", "bir", "один", "одну"]
TODAY_WORDS: list[str] = [
    "today", "vandaag", "اليوم", "امروز", "نن", "bugün", "îro", "ئەمڕۆ", "maanta",
    "aujourd'hui", "сегодня", "сьогодні", "ሎሚ",
]
YESTERDAY_WORDS: list[str] = [
    "yesterday", "gisteren", "أمس", "امس", "البارحة", "دیروز", "پرون", "dün", "duh", "دوێنێ",
    "shalay", "hier", "вчера", "вчора", "ትማሊ",
]
# Words that make an answer too vague to use: seasons, "a while", "long ago", "some".
VAGUE_WORDS: list[str] = [
    "while", "long", "some", "few", "several", "since", "summer", "winter", "spring",
    "autumn", "fall", "last year", "ages", "tijdje", "tijd", "lang", "paar", "enkele",
    "zomer", "winter", "lente", "voorjaar", "herfst", "najaar", "vorig jaar", "فترة", "زمان",
    "مدة", "الصيف", "الشتاء", "مدتی", "خیلی وقت", "تابستان", "زمستان", "süre", "uzun",
    "yaz", "kış", "zaman", "longtemps", "été", "hiver", "quelques", "давно", "летом", "зимой",
    "несколько", "влітку", "взимку", "кілька", "dheer", "xagaa", "demek", "havîn", "zivistan",
    "ماوەیەک", "هاوین",
]
