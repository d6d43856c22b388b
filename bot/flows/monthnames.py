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
# Besides the plain forms, units list the forms a count or a duration puts them in (Arabic
# accusative "شهرا" after 11, Pashto oblique "میاشتو", Turkish "aydır"/"aydan", Persian
# "ماهه", Sorani "مانگە"/"مانگی"/"مانگەوە", Kurmanji "mehên") and the indefinite "a month"
# (Sorani "مانگێک", Kurmanji "mehek"). The forms added for number words and durations are
# machine-written and not yet reviewed by a native speaker.
UNITS: dict[str, list[str]] = {
    "day": [
        "day", "days", "dag", "dagen", "يوم", "ايام", "أيام", "يوما", "روز", "روزه", "ورځ",
        "ورځې", "ورځو", "gün", "gündür", "günden", "roj", "rojan", "rojek", "rojên", "ڕۆژ",
        "ڕۆژە", "ڕۆژی", "ڕۆژێک", "ڕۆژەوە", "maalin", "maalmood", "jour", "jours", "день",
        "дня", "дней", "днів", "дні", "መዓልቲ",
    ],
    "week": [
        "week", "weeks", "weken", "اسبوع", "أسابيع", "اسابيع", "اسبوعا", "هفته", "اونۍ", "اونئ",
        "اونیو", "hafta", "haftadır", "haftadan", "hefte", "hefteyan", "hefteyek", "hefteyên",
        "هەفتە", "هەفتەیەک", "toddobaad", "toddobaadyo", "semaine", "semaines", "неделю",
        "недели", "недель", "неделя", "тиждень", "тижні", "тижнів", "ሰሙን",
    ],
    "month": [
        "month", "months", "mo", "maand", "maanden", "شهر", "اشهر", "أشهر", "شهور", "شهرا",
        "ماه", "ماهه", "میاشت", "میاشتې", "میاشتي", "میاشتو", "ay", "aydır", "aydan", "meh",
        "mehan", "mehek", "mehên", "مانگ", "مانگە", "مانگی", "مانگێک", "مانگەوە", "bil",
        "bilood", "mois", "месяц", "месяца", "месяцев", "місяць", "місяці", "місяців", "ወርሒ",
        "ኣዋርሕ",
    ],
    "year": [
        "year", "years", "jaar", "سنة", "سنه", "سنوات", "عام", "اعوام", "عاما", "سال", "کال",
        "کاله", "کلونو", "yıl", "yıldır", "yıldan", "sene", "senedir", "seneden", "sal",
        "salan", "salek", "salên", "ساڵ", "ساڵە", "ساڵی", "ساڵێک", "ساڵەوە", "sano",
        "sanadood", "an", "ans", "année", "années", "год", "года", "лет", "рік", "роки",
        "років", "ዓመት", "ዓመታት",
    ],
}
AGO_WORDS: list[str] = [
    "ago", "geleden", "منذ", "قبل", "پیش", "مخکې", "وړاندې", "önce", "evvel",
    "berê", "لەمەوبەر", "پێش", "ka hor", "il y a", "назад", "тому", "ቅድሚ",
]

# Everything from here to the end of the number and duration words below, apart from the
# English and Dutch entries, is machine-written and not yet reviewed by a native speaker.

# Number words people write instead of digits ("two months ago"), per language; a count is
# looked up in the person's language, then in English and Dutch. Words may be phrases
# ("on iki", "kow iyo toban"). Some are also other words ("نه" is nine and "no" in Persian,
# "on" is ten in Turkish, "elf" is eleven and an elf): they only count right before a unit.
NUMBER_WORDS: dict[str, dict[int, list[str]]] = {
    "en": {
        1: ["one", "a", "an"], 2: ["two"], 3: ["three"], 4: ["four"], 5: ["five"],
        6: ["six"], 7: ["seven"], 8: ["eight"], 9: ["nine"], 10: ["ten"], 11: ["eleven"],
        12: ["twelve"], 18: ["eighteen"], 24: ["twenty-four", "twenty four"],
    },
    "nl": {
        1: ["een", "één"], 2: ["twee"], 3: ["drie"], 4: ["vier"], 5: ["vijf"], 6: ["zes"],
        7: ["zeven"], 8: ["acht"], 9: ["negen"], 10: ["tien"], 11: ["elf"], 12: ["twaalf"],
        18: ["achttien"], 24: ["vierentwintig"],
    },
    "ar": {
        # Standard forms, then Levantine/Egyptian spoken ones. After the unit: "شهر واحد".
        1: ["واحد", "واحدة"], 2: ["اثنين", "اثنان", "اتنين", "تنين"],
        3: ["ثلاث", "ثلاثة", "تلات", "تلاتة"], 4: ["أربع", "أربعة"], 5: ["خمس", "خمسة"],
        6: ["ست", "ستة"], 7: ["سبع", "سبعة"], 8: ["ثمان", "ثماني", "ثمانية", "تمن", "تمانية"],
        9: ["تسع", "تسعة"], 10: ["عشر", "عشرة"], 11: ["أحد عشر", "إحدى عشر", "احدعش", "حداش"],
        12: ["اثنا عشر", "اثني عشر", "اطنعش", "اتناش"], 18: ["ثمانية عشر", "تمنتعش"],
        24: ["أربعة وعشرين", "أربعة وعشرون", "أربعة و عشرين"],
    },
    "ti": {
        1: ["ሓደ"], 2: ["ክልተ"], 3: ["ሰለስተ"], 4: ["ኣርባዕተ"], 5: ["ሓሙሽተ"], 6: ["ሽዱሽተ", "ሹድሽተ"],
        7: ["ሸውዓተ"], 8: ["ሸሞንተ"], 9: ["ትሽዓተ"], 10: ["ዓሰርተ"], 11: ["ዓሰርተ ሓደ"],
        12: ["ዓሰርተ ክልተ"], 18: ["ዓሰርተ ሸሞንተ"], 24: ["ዕስራን ኣርባዕተ"],
    },
    "fa": {
        1: ["یک", "یه"], 2: ["دو"], 3: ["سه"], 4: ["چهار"], 5: ["پنج"], 6: ["شش", "شیش"],
        7: ["هفت"], 8: ["هشت"], 9: ["نه", "نُه"], 10: ["ده"], 11: ["یازده"], 12: ["دوازده"],
        18: ["هجده", "هیجده", "هژده"], 24: ["بیست و چهار", "بیست‌وچهار"],
    },
    "ps": {
        1: ["یو", "یوه"], 2: ["دوه", "دوو"], 3: ["درې"], 4: ["څلور"], 5: ["پنځه"], 6: ["شپږ"],
        7: ["اووه", "اوه"], 8: ["اته"], 9: ["نهه", "نه"], 10: ["لس"], 11: ["یوولس"],
        12: ["دولس"], 18: ["اتلس"], 24: ["څلورویشت", "څلېرویشت"],
    },
    "tr": {
        1: ["bir"], 2: ["iki"], 3: ["üç"], 4: ["dört"], 5: ["beş"], 6: ["altı"], 7: ["yedi"],
        8: ["sekiz"], 9: ["dokuz"], 10: ["on"], 11: ["on bir"], 12: ["on iki"],
        18: ["on sekiz"], 24: ["yirmi dört"],
    },
    "kmr": {
        1: ["yek"], 2: ["du"], 3: ["sê"], 4: ["çar"], 5: ["pênc"], 6: ["şeş"], 7: ["heft"],
        8: ["heşt"], 9: ["neh"], 10: ["deh"], 11: ["yazdeh"], 12: ["diwanzdeh", "donzdeh"],
        18: ["hejdeh"], 24: ["bîst û çar"],
    },
    "ckb": {
        1: ["یەک"], 2: ["دوو"], 3: ["سێ"], 4: ["چوار"], 5: ["پێنج"], 6: ["شەش"], 7: ["حەوت"],
        8: ["هەشت"], 9: ["نۆ"], 10: ["دە"], 11: ["یازدە"], 12: ["دوازدە"], 18: ["هەژدە"],
        24: ["بیست و چوار"],
    },
    "so": {
        1: ["hal", "kow"], 2: ["laba"], 3: ["saddex"], 4: ["afar"], 5: ["shan"], 6: ["lix"],
        7: ["toddoba", "todobo"], 8: ["siddeed"], 9: ["sagaal"], 10: ["toban"],
        11: ["kow iyo toban"], 12: ["laba iyo toban"], 18: ["siddeed iyo toban"],
        24: ["labaatan iyo afar"],
    },
    "fr": {
        1: ["un", "une"], 2: ["deux"], 3: ["trois"], 4: ["quatre"], 5: ["cinq"], 6: ["six"],
        7: ["sept"], 8: ["huit"], 9: ["neuf"], 10: ["dix"], 11: ["onze"], 12: ["douze"],
        18: ["dix-huit"], 24: ["vingt-quatre"],
    },
    "uk": {
        1: ["один", "одна", "одну"], 2: ["два", "дві"], 3: ["три"], 4: ["чотири"],
        5: ["п'ять", "пʼять", "пять"], 6: ["шість"], 7: ["сім"], 8: ["вісім"],
        9: ["дев'ять", "девʼять"], 10: ["десять"], 11: ["одинадцять"], 12: ["дванадцять"],
        18: ["вісімнадцять"], 24: ["двадцять чотири"],
    },
    "ru": {
        1: ["один", "одна", "одну"], 2: ["два", "две"], 3: ["три"], 4: ["четыре"],
        5: ["пять"], 6: ["шесть"], 7: ["семь"], 8: ["восемь"], 9: ["девять"], 10: ["десять"],
        11: ["одиннадцать"], 12: ["двенадцать"], 18: ["восемнадцать"],
        24: ["двадцать четыре"],
    },
}
# A unit that says its own count: the Arabic dual ("شهرين", two months).
DUAL_UNITS: dict[str, list[str]] = {
    "day": ["يومين", "يومان"],
    "week": ["أسبوعين", "أسبوعان"],
    "month": ["شهرين", "شهران"],
    "year": ["سنتين", "سنتان", "عامين", "عامان"],
}
# A unit alone that means one of it: "قبل شهر", "месяц назад", "mehek berê".
ONE_UNITS: list[str] = [
    "شهر", "يوم", "أسبوع", "سنة", "عام", "месяц", "год", "неделю", "день", "місяць", "рік",
    "тиждень", "mehek", "salek", "rojek", "hefteyek", "مانگێک", "ساڵێک", "ڕۆژێک", "هەفتەیەک",
]
# Half a year, read as six months.
HALF_YEAR_WORDS: list[str] = [
    "half a year", "a half year", "half year", "een half jaar", "half jaar", "halfjaar",
    "نصف سنة", "نص سنة", "نصف عام", "yarım yıl", "yarım sene", "полгода", "пол года",
    "півроку", "пів року", "nîv sal",
]
# Words that make "N months" a waiting time up to today ("waiting 7 months", "al 7
# maanden"), counted back like "N months ago"; looked up in the person's language, then in
# English and Dutch. A unit listed here ("aydır") says it by itself.
DURATION_WORDS: dict[str, list[str]] = {
    "en": ["for", "since", "waiting", "waited", "wait", "been", "already"],
    "nl": ["al", "sinds", "wacht", "wachten", "gewacht", "inmiddels"],
    "ar": ["صار", "صارلي", "صرلي", "من", "انتظر", "بانتظار", "منتظر", "استنى", "بستنى"],
    "ti": ["ካብ", "ኮይኑ", "እጽበ"],
    "fa": ["است", "هست", "منتظرم", "منتظر", "انتظار", "به مدت"],
    "ps": ["راهیسې", "راهیسی", "کیږي", "کېږي", "انتظار"],
    "tr": [
        "aydır", "yıldır", "gündür", "haftadır", "senedir", "beri", "boyunca", "bekliyorum",
        "bekliyoruz",
    ],
    "kmr": ["li benda", "li bendê", "ji", "ve", "e ku", "in ku"],
    "ckb": ["چاوەڕێ", "چاوەڕوان", "چاوەڕوانم", "ماوەی", "مانگەوە", "ساڵەوە", "ڕۆژەوە"],
    "so": ["sugayaa", "sugayay", "sugayey", "sugaya", "muddo"],
    "fr": ["depuis", "ça fait", "cela fait", "j'attends", "attends", "attend", "déjà", "pendant"],
    "uk": ["вже", "уже", "чекаю", "чекаємо", "протягом"],
    "ru": ["уже", "жду", "ждём", "ожидаю", "течение"],
}
# Words that put "N months" ahead of today ("in 2 months", "2 ay sonra"): right before the
# count, or right after the unit. The answer is then a date in the future.
FUTURE_BEFORE: dict[str, list[str]] = {
    "en": ["in", "within"], "nl": ["over", "binnen"], "ar": ["بعد", "خلال"], "ti": ["ድሕሪ"],
    "fa": ["بعد از", "ظرف"], "ps": [], "tr": [], "kmr": ["piştî"],
    "ckb": ["دوای", "لەدوای"], "so": [], "fr": ["dans", "d'ici"], "uk": ["через"],
    "ru": ["через"],
}
FUTURE_AFTER: dict[str, list[str]] = {
    "en": ["from now"], "nl": ["vanaf nu"], "ar": [], "ti": [], "fa": ["دیگر", "دیگه", "بعد"],
    "ps": ["وروسته", "کې"], "tr": ["sonra", "içinde"], "kmr": ["şûnda", "din"],
    "ckb": ["تر", "دواتر"], "so": ["kadib", "ka dib"], "fr": [], "uk": [], "ru": [],
}
TODAY_WORDS: list[str] = [
    "today", "vandaag", "اليوم", "امروز", "نن", "bugün", "îro", "ئەمڕۆ", "maanta",
    "aujourd'hui", "сегодня", "сьогодні", "ሎሚ",
]
YESTERDAY_WORDS: list[str] = [
    "yesterday", "gisteren", "أمس", "امس", "البارحة", "دیروز", "پرون", "dün", "duh", "دوێنێ",
    "shalay", "hier", "вчера", "вчора", "ትማሊ",
]
# Words that make an answer too vague to use: seasons, "a while", "long ago", "some", and
# "I don't know" (the non-English/Dutch "don't know" forms are machine-written, not yet
# reviewed by a native speaker).
VAGUE_WORDS: list[str] = [
    "while", "long", "some", "few", "several", "since", "summer", "winter", "spring",
    "autumn", "fall", "last year", "last month", "ages", "tijdje", "tijd", "lang", "paar",
    "enkele", "zomer", "winter", "lente", "voorjaar", "herfst", "najaar", "vorig jaar",
    "vorige maand", "فترة", "زمان", "مدة", "الصيف", "الشتاء", "مدتی", "خیلی وقت", "تابستان",
    "زمستان", "süre", "uzun", "yaz", "kış", "zaman", "longtemps", "été", "hiver", "quelques",
    "давно", "летом", "зимой", "несколько", "влітку", "взимку", "кілька", "dheer", "xagaa",
    "demek", "havîn", "zivistan", "ماوەیەک", "هاوین",
    "don't know", "dont know", "do not know", "no idea", "not sure", "weet niet",
    "weet het niet", "geen idee", "لا أعرف", "لا اعرف", "ما بعرف", "مش عارف", "ما اعرف",
    "نمی دانم", "نمیدانم", "نمیدونم", "نه پوهیږم", "bilmiyorum", "nizanim", "نازانم",
    "ma garanayo", "sais pas", "aucune idée", "не знаю", "ኣይፈልጥን",
]
