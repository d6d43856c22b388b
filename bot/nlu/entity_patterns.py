"""Number, time-unit and month words in our languages, for the duration and date extractors.

Only what a person is likely to type when asked "how long have you been waiting?" or "when
did you apply?": numbers one to twelve, month/week/year/day, the Gregorian month names. Stems
end in `\\w*` where a language inflects the unit ("6 aydır", "шести месяцев").
"""

from __future__ import annotations

NUMBER_WORDS: dict[str, float] = {}
for _words in (
    "one two three four five six seven eight nine ten eleven twelve",  # en
    "een twee drie vier vijf zes zeven acht negen tien elf twaalf",  # nl
    "un deux trois quatre cinq six sept huit neuf dix onze douze",  # fr
    "bir iki üç dört beş altı yedi sekiz dokuz on onbir oniki",  # tr
    "واحد اثنين ثلاثه اربعه خمسه سته سبعه ثمانیه تسعه عشره احدعشر اثنیعشر",  # ar (normalised)
    "یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده",  # fa
    "یو دوه درې څلور پنځه شپږ اووه اته نهه لس یوولس دوولس",  # ps
    "یەک دوو سێ چوار پێنج شەش حەوت هەشت نۆ دە یازدە دوازدە",  # ckb
    "kow laba saddex afar shan lix toddoba siddeed sagaal toban",  # so
    "yek du sê çar pênc şeş heft heşt neh deh yazdeh dwazdeh",  # kmr
    "один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать",  # ru
    "один два три чотири п'ять шість сім вісім дев'ять десять одинадцять дванадцять",  # uk
    "ሓደ ክልተ ሰለስተ ኣርባዕተ ሓሙሽተ ሽዱሽተ ሸውዓተ ሸሞንተ ትሽዓተ ዓሰርተ",  # ti
):
    for _value, _word in enumerate(_words.split(), start=1):
        NUMBER_WORDS.setdefault(_word, float(_value))
NUMBER_WORDS.update({"a": 1.0, "an": 1.0, "één": 1.0, "une": 1.0, "одна": 1.0, "одну": 1.0,
                     "одного": 1.0, "две": 2.0, "дві": 2.0, "half": 0.5, "halve": 0.5,
                     "نصف": 0.5, "نیم": 0.5, "nim": 0.5, "пол": 0.5, "пів": 0.5,
                     "anderhalf": 1.5, "شهرین": 2.0, "سنتین": 2.0})

# unit -> alternatives; a trailing `*` means "this stem plus any inflection".
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "month": ("month*", "mnd", "maand*", "mois", "ay", "aydır", "aydir", "aydan", "ayda", "ayı",
              "aylık", "aylar*", "شهر*", "شهور", "اشهر", "ماه*", "میاشت*", "مانگ*", "bilood*",
              "meh", "mehan", "mehê", "ወርሒ", "ኣዋርሕ", "месяц*", "місяц*"),
    "week": ("week*", "weken", "semaine*", "hafta*", "اسبوع*", "اسابیع", "هفته*", "اونۍ",
             "اونی", "هەفتە*", "toddobaad*", "hefte*", "ሰሙን", "недел*", "тижн*", "тиждень"),
    "year": ("year*", "jaar", "jaren", "an", "ans", "année*", "yıl*", "sene*", "سنه", "سنوات",
             "سنین", "عام", "اعوام", "سال*", "کال*", "ساڵ*", "sano*", "sal", "salan", "salê",
             "ዓመት", "год*", "лет", "рік", "рок*"),
    "day": ("day*", "dag", "dagen", "jour*", "gün*", "یوم", "ایام", "روز*", "ورځ*", "ڕۆژ*",
            "maalin*", "roj", "rojan", "መዓልቲ", "день", "дн*", "дней"),
}
MONTHS_PER_UNIT = {"month": 1.0, "week": 12 / 52, "year": 12.0, "day": 12 / 365}

# Gregorian month names per month number, several languages; matched after normalise().
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januari", "janvier", "ocak", "ینایر", "کانون الثانی", "ژانویه",
        "janaayo", "çile", "январ*", "січ*"),
    2: ("february", "feb", "februari", "février", "fevrier", "şubat", "subat", "فبرایر", "شباط",
        "فوریه", "febraayo", "sibat", "феврал*", "лют*"),
    3: ("march", "mar", "maart", "mars", "mart", "مارس", "اذار", "maarso", "adar", "март*",
        "берез*"),
    4: ("april", "apr", "avril", "nisan", "ابریل", "نیسان", "اوریل", "abriil", "nîsan",
        "апрел*", "квіт*"),
    5: ("may", "mei", "mai", "mayıs", "mayis", "مایو", "ایار", "مه", "maajo", "gulan", "мая",
        "май", "трав*"),
    6: ("june", "jun", "juni", "juin", "haziran", "یونیو", "حزیران", "ژوئن", "juun", "hezîran",
        "июн*", "черв*"),
    7: ("july", "jul", "juli", "juillet", "temmuz", "یولیو", "تموز", "ژوئیه", "luulyo",
        "tîrmeh", "июл*", "лип*"),
    8: ("august", "aug", "augustus", "août", "aout", "ağustos", "agustos", "اغسطس", "اب",
        "اوت", "agoosto", "tebax", "август*", "серп*"),
    9: ("september", "sep", "sept", "septembre", "eylül", "eylul", "سبتمبر", "ایلول",
        "سپتامبر", "sebtembar", "îlon", "сентябр*", "верес*"),
    10: ("october", "oct", "oktober", "octobre", "ekim", "اکتوبر", "تشرین الاول", "اکتبر",
         "oktoobar", "cotmeh", "октябр*", "жовт*"),
    11: ("november", "nov", "novembre", "kasım", "kasim", "نوفمبر", "تشرین الثانی", "نوامبر",
         "nofembar", "mijdar", "ноябр*", "листопад*"),
    12: ("december", "dec", "décembre", "decembre", "aralık", "aralik", "دیسمبر", "کانون الاول",
         "دسامبر", "desembar", "kanûn", "декабр*", "груд*"),
}
