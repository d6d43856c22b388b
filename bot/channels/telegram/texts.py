"""The Telegram channel's own texts (privacy, forget, edited messages, command menu).

English and Dutch are written here; other languages go through the core's Renderer, which
machine-translates when that is switched on (and says so) or falls back to English (and says
so). Keep the privacy text true: it describes what this code and the core actually store.
"""

from __future__ import annotations

PRIVACY = {
    "en": (
        "Privacy\n\n"
        "Werkpad is an automated assistant. This is what I keep about you:\n"
        "• your Telegram chat number, your language and when you agreed;\n"
        "• your messages, my answers and your answers to my questions (for example the date "
        "you applied for asylum, or the place you shared), for {days} days;\n"
        "• for at most {ledger_days} days, the numbers of your recent messages, so that I never "
        "answer one twice.\n\n"
        "I do not keep photos, voice messages, files or contacts: I only note that you sent one. "
        "I never ask about your asylum story. If you ask for a coach, the coach can read this "
        "conversation.\n\n"
        "Write /forget to delete everything I keep about you, now."
    ),
    "nl": (
        "Privacy\n\n"
        "Werkpad is een automatische assistent. Dit bewaar ik over jou:\n"
        "• je Telegram-chatnummer, je taal en wanneer je akkoord gaf;\n"
        "• je berichten, mijn antwoorden en je antwoorden op mijn vragen (bijvoorbeeld de "
        "datum van je asielaanvraag, of de plaats die je deelde), {days} dagen lang;\n"
        "• hooguit {ledger_days} dagen de nummers van je laatste berichten, zodat ik nooit "
        "twee keer op hetzelfde bericht antwoord.\n\n"
        "Foto's, spraakberichten, bestanden en contacten bewaar ik niet: ik noteer alleen dat "
        "je er een stuurde. Ik vraag nooit naar je asielverhaal. Als je om een coach vraagt, "
        "kan de coach dit gesprek lezen.\n\n"
        "Schrijf /forget om nu alles te wissen wat ik over jou bewaar."
    ),
}

FORGET_ASK = {
    "en": "Shall I delete everything I keep about you? This cannot be undone.",
    "nl": "Zal ik alles wissen wat ik over jou bewaar? Dit kan niet ongedaan worden gemaakt.",
}
FORGET_YES = {"en": "Yes, delete everything", "nl": "Ja, wis alles"}
FORGET_NO = {"en": "No, keep it", "nl": "Nee, bewaren"}
FORGET_DONE = {
    "en": (
        "Done: I deleted everything I kept about you. If you write to me again, we start "
        "fresh. The messages in this chat are on your phone; you can delete the chat there."
    ),
    "nl": (
        "Klaar: ik heb alles gewist wat ik over jou bewaarde. Als je me opnieuw schrijft, "
        "beginnen we opnieuw. De berichten in deze chat staan op je telefoon; daar kun je de "
        "chat verwijderen."
    ),
}
FORGET_KEPT = {
    "en": "OK, I deleted nothing.",
    "nl": "Goed, ik heb niets gewist.",
}
EDITED = {
    "en": (
        "I saw that you changed a message. I only read new messages, so please send it to me "
        "again as a new message."
    ),
    "nl": (
        "Ik zag dat je een bericht hebt aangepast. Ik lees alleen nieuwe berichten; stuur het "
        "me dus opnieuw als nieuw bericht."
    ),
}

# The command menu (setMyCommands), per language. en and nl are the team's own; the other
# descriptions are our translations that no native speaker has checked yet (listed in
# UNREVIEWED_COMMANDS: when a reviewer approves a language, take it out of that set).
COMMAND_TEXTS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("start", "Start, and what I can do"),
        ("menu", "The main menu"),
        ("language", "Choose your language"),
        ("coach", "Talk to a person (a job coach)"),
        ("privacy", "What I keep about you"),
        ("forget", "Delete everything about you"),
        ("help", "How this works"),
        ("cancel", "Stop the current questions"),
    ],
    "nl": [
        ("start", "Begin, en wat ik kan"),
        ("menu", "Het hoofdmenu"),
        ("language", "Kies je taal"),
        ("coach", "Praat met een mens (een jobcoach)"),
        ("privacy", "Wat ik over jou bewaar"),
        ("forget", "Wis alles over jou"),
        ("help", "Hoe dit werkt"),
        ("cancel", "Stop met de huidige vragen"),
    ],
    "ar": [
        ("start", "ابدأ، وما يمكنني فعله"),
        ("menu", "القائمة الرئيسية"),
        ("language", "اختر لغتك"),
        ("coach", "تحدث مع شخص (مرشد عمل)"),
        ("privacy", "ما أحفظه عنك"),
        ("forget", "احذف كل شيء عنك"),
        ("help", "كيف يعمل هذا"),
        ("cancel", "أوقف الأسئلة الحالية"),
    ],
    "ti": [
        ("start", "ጀምር፣ ከምኡውን እንታይ ክገብር ከም ዝኽእል"),
        ("menu", "ቀንዲ ዝርዝር"),
        ("language", "ቋንቋኹም ምረጹ"),
        ("coach", "ምስ ሰብ ተዘራረቡ (ኣማኻሪ ስራሕ)"),
        ("privacy", "ብዛዕባኹም እንታይ ከም ዝዕቅብ"),
        ("forget", "ብዛዕባኹም ኩሉ ደምስሱ"),
        ("help", "እዚ ብኸመይ ከም ዝሰርሕ"),
        ("cancel", "ነቶም ሕጂ ዘለዉ ሕቶታት ኣቋርጹ"),
    ],
    "fa": [
        ("start", "شروع، و کارهایی که می‌توانم انجام دهم"),
        ("menu", "منوی اصلی"),
        ("language", "زبان خود را انتخاب کنید"),
        ("coach", "صحبت با یک انسان (مشاور کاریابی)"),
        ("privacy", "چه چیزهایی درباره شما نگه می‌دارم"),
        ("forget", "پاک کردن همه چیز درباره شما"),
        ("help", "این چطور کار می‌کند"),
        ("cancel", "توقف سؤال‌های فعلی"),
    ],
    "ps": [
        ("start", "پیل، او زه څه کولی شم"),
        ("menu", "اصلي مینو"),
        ("language", "خپله ژبه وټاکئ"),
        ("coach", "له یو انسان سره خبرې (د کار مشاور)"),
        ("privacy", "زه ستاسو په اړه څه ساتم"),
        ("forget", "ستاسو په اړه هر څه پاک کړئ"),
        ("help", "دا څنګه کار کوي"),
        ("cancel", "اوسنۍ پوښتنې ودروئ"),
    ],
    "tr": [
        ("start", "Başla ve neler yapabildiğimi gör"),
        ("menu", "Ana menü"),
        ("language", "Dilinizi seçin"),
        ("coach", "Bir insanla konuşun (iş danışmanı)"),
        ("privacy", "Hakkınızda neleri saklıyorum"),
        ("forget", "Hakkınızdaki her şeyi silin"),
        ("help", "Bu nasıl çalışır"),
        ("cancel", "Şu anki soruları durdurun"),
    ],
    "kmr": [
        ("start", "Dest pê bike, û ez çi dikarim bikim"),
        ("menu", "Menûya sereke"),
        ("language", "Zimanê xwe hilbijêre"),
        ("coach", "Bi mirovekî re biaxive (şêwirmendê kar)"),
        ("privacy", "Ez çi derbarê te de diparêzim"),
        ("forget", "Her tiştî derbarê te de jê bibe"),
        ("help", "Ev çawa dixebite"),
        ("cancel", "Pirsên niha rawestîne"),
    ],
    "ckb": [
        ("start", "دەستپێبکە، و چی دەتوانم بکەم"),
        ("menu", "مینیوی سەرەکی"),
        ("language", "زمانەکەت هەڵبژێرە"),
        ("coach", "قسە لەگەڵ مرۆڤێک بکە (ڕاوێژکاری کار)"),
        ("privacy", "چی دەربارەی تۆ هەڵدەگرم"),
        ("forget", "هەموو شتێک دەربارەی خۆت بسڕەوە"),
        ("help", "ئەمە چۆن کار دەکات"),
        ("cancel", "پرسیارەکانی ئێستا ڕابگرە"),
    ],
    "so": [
        ("start", "Bilow, iyo waxa aan qaban karo"),
        ("menu", "Liiska ugu weyn"),
        ("language", "Dooro luqaddaada"),
        ("coach", "La hadal qof (la taliye shaqo)"),
        ("privacy", "Waxa aan kaa kaydiyo"),
        ("forget", "Tirtir wax kasta oo adiga kugu saabsan"),
        ("help", "Sida ay tani u shaqeyso"),
        ("cancel", "Jooji su'aalaha hadda socda"),
    ],
    "fr": [
        ("start", "Commencer, et ce que je sais faire"),
        ("menu", "Le menu principal"),
        ("language", "Choisir votre langue"),
        ("coach", "Parler à une personne (un conseiller emploi)"),
        ("privacy", "Ce que je garde sur vous"),
        ("forget", "Tout effacer sur vous"),
        ("help", "Comment ça marche"),
        ("cancel", "Arrêter les questions en cours"),
    ],
    "uk": [
        ("start", "Почати, і що я вмію"),
        ("menu", "Головне меню"),
        ("language", "Обрати мову"),
        ("coach", "Поговорити з людиною (кар'єрним консультантом)"),
        ("privacy", "Що я зберігаю про вас"),
        ("forget", "Видалити все про вас"),
        ("help", "Як це працює"),
        ("cancel", "Зупинити поточні запитання"),
    ],
    "ru": [
        ("start", "Начать, и что я умею"),
        ("menu", "Главное меню"),
        ("language", "Выбрать язык"),
        ("coach", "Поговорить с человеком (карьерным консультантом)"),
        ("privacy", "Что я храню о вас"),
        ("forget", "Удалить всё о вас"),
        ("help", "Как это работает"),
        ("cancel", "Остановить текущие вопросы"),
    ],
}
UNREVIEWED_COMMANDS = frozenset({"ar", "ti", "fa", "ps", "tr", "kmr", "ckb", "so", "fr", "uk",
                                 "ru"})

# Telegram takes ISO 639-1 codes (two letters) for a menu's language_code. Kurdish apps send
# "ku", which the core reads as Kurmanji (kmr); Sorani (ckb) has no two-letter code of its own,
# so Sorani readers see the default (English) menu until Telegram accepts one.
TELEGRAM_LANGUAGE_CODES = {"kmr": "ku", "ckb": None}

# What the channel publishes: Telegram language code -> menu ("en" is the default menu).
COMMANDS: dict[str, list[tuple[str, str]]] = {
    code: COMMAND_TEXTS[lang]
    for lang in COMMAND_TEXTS
    if (code := TELEGRAM_LANGUAGE_CODES.get(lang, lang)) is not None
}
