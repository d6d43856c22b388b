"""Signs of exploitation are recognised the way people really type them, in every language,
and ordinary questions about the same topics are not.

The phrasings are written as people type in a chat: lower case, no punctuation, typos,
dialect (Levantine and Gulf Arabic, spoken Farsi and Dari), English words in other languages.
Each finds its sign with `find_sign` on the real flows/safety.yml. The phrasings other than
en and nl are ours, not reviewed by native speakers (like the patterns they test).

The end-to-end tests follow a sign said as the very first message, before consent: the
sourced answer at once, then the consent question; after consent only the coach offer.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from bot.content.store import load_directory
from bot.flows.model import ContentBundle
from bot.flows.safety import SafetySign, find_sign, load_safety_text
from bot.settings import LANGUAGE_CODES, ROOT
from tests.content.number_provenance import numbers_in
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat

LANGS = ("en", "nl", "ar", "ti", "fa", "ps", "tr", "kmr", "ckb", "so", "fr", "uk", "ru")
MAIN_LANGS = ("en", "nl", "ar", "fa", "tr", "ti")  # at least two phrasings per sign
LABOUR_AUTHORITY = ("nlarbeidsinspectie.nl", "nllabourauthority.nl")

PHRASINGS: dict[str, dict[str, list[str]]] = {
    "pay_for_permit": {
        "en": ["he wants 500 euro for the twv", "i have to pay the agency to get a job",
               "they asked money to give me work",
               "the boss asked me 300 euros for my work permit",
               "agency says i must pay 200 to get job"],
        "nl": ["hij wil 500 euro voor de twv",
               "ik moet het uitzendbureau betalen om werk te krijgen",
               "ze vroegen geld om mij werk te geven",
               "baas vraagt 300 euro voor mijn werkvergunning"],
        "ar": ["بدو مني 500 يورو مشان التصريح", "طلب مني فلوس عشان يعطيني شغل",
               "لازم ادفع للمكتب حتى يلاقيلي شغل",
               "صاحب الشغل طالب مني مصاري مقابل تصريح العمل"],
        "fa": ["کارفرما برای twv ازم پول میخواد", "گفتن باید پول بدی تا کار بهت بدیم",
               "۵۰۰ یورو خواست برای اجازه کار",
               "شرکت گفت باید پول بدم تا برام کار پیدا کنن"],
        "tr": ["twv için benden 500 euro istiyor", "iş bulmak için ajansa para ödemem lazım",
               "patron çalışma izni için para istedi", "bana iş vermek için para istediler"],
        "ti": ["ኣስራሒ ንTWV 500 ዩሮ ይደሊ ኣሎ", "ስራሕ ክህበኒ ገንዘብ ሓቲቱኒ",
               "ንፍቓድ ስራሕ ገንዘብ ክትከፍል ኣለካ ይብለኒ"],
        "ps": ["د کار اجازې لپاره رانه پیسې غواړي", "د کار لپاره یې رانه پیسې وغوښتې"],
        "kmr": ["ji bo twv ji min 500 euro dixwaze", "ji bo ku kar bide min pere ji min xwest"],
        "ckb": ["خاوەنکار بۆ مۆڵەتی کار داوای پارەی لێ کردم",
                "ئاژانسەکە دەڵێت دەبێت پارە بدەیت بۆ ئەوەی کارت بۆ بدۆزینەوە"],
        "so": ["lacag buu iga rabaa si uu shaqo ii siiyo",
               "twv-ga awgiis 500 euro ayuu iga dalbaday"],
        "fr": ["il veut 500 euros pour le twv",
               "l'agence me demande de l'argent pour avoir un travail"],
        "uk": ["він хоче 500 євро за twv", "агенція просить гроші щоб влаштувати на роботу"],
        "ru": ["он хочет 500 евро за twv", "агентство просит деньги чтобы устроить на работу"],
    },
    "documents_kept": {
        "en": ["my boss took my w-document", "the agency keeps my passport",
               "they won't give my id card back",
               "boss has my passport and doesnt want to give it back",
               "employer took my papers"],
        "nl": ["mijn baas heeft mijn w-document afgepakt", "het uitzendbureau houdt mijn paspoort",
               "ze geven mijn id kaart niet terug",
               "baas heeft mijn papieren en geeft ze niet terug"],
        "ar": ["صاحب الشغل ماخد بطاقتي", "الشركة حاجزة جوازي", "ما بدو يرجعلي اوراقي",
               "المعلم سحب مني الهوية"],
        "fa": ["کارفرما مدارکمو گرفته", "پاسپورتمو پس نمیده", "آژانس کارتمو نگه داشته",
               "رئیسم کارت شناساییمو گرفته پس نمیده"],
        "tr": ["patron kimlik kartımı aldı", "ajans pasaportumu vermiyor",
               "belgelerimi geri vermiyorlar"],
        "ti": ["ኣስራሒ ፓስፖርተይ ወሲዱዎ", "ሰነዳተይ ሒዞም ኣይመልሱለይን", "ካርደይ ወሲዱ ኣይመለሰለይን"],
        "ps": ["کارفرما زما پاسپورټ اخیستی", "زما اسناد بېرته نه راکوي"],
        "kmr": ["patron pasaporta min girt", "belgeyên min venadin"],
        "ckb": ["خاوەنکار پاسپۆرتەکەمی بردووە", "بەڵگەنامەکانم ناداتەوە"],
        "so": ["shaqo bixiyaha ayaa baasaboorkayga haysta", "dukumentiyadayda ima celinayo"],
        "fr": ["mon patron garde mon passeport", "ils veulent pas me rendre ma carte"],
        "uk": ["роботодавець забрав мій паспорт", "не віддають мої документи"],
        "ru": ["начальник забрал паспорт", "не отдают мои документы"],
    },
    "cash_no_contract": {
        "en": ["he pays me cash, no contract", "i do black work", "no payslip",
               "i work without contract boss gives money in hand"],
        "nl": ["ik werk zwart", "zwart werk", "hij betaalt me contant zonder contract",
               "ik krijg geen loonstrook"],
        "ar": ["بيدفعلي كاش بدون عقد", "شغال بالاسود",
               "بدون عقد وبيعطيني المصاري نقدي", "ما بيعطيني قسيمة راتب"],
        "fa": ["نقدی پول میده قرارداد نداریم", "کار سیاه میکنم", "فیش حقوقی نمیده",
               "بدون قرارداد کار میکنم"],
        "tr": ["kaçak çalışıyorum", "elden para veriyor sözleşme yok", "bordro vermiyorlar"],
        "ti": ["ብዘይ ውዕል እሰርሕ ኣለኹ", "ብካሽ ይኸፍለኒ ውዕል የብለይን"],
        "ps": ["بې قرارداده کار کوم", "نغدې پیسې راکوي قرارداد نشته"],
        "kmr": ["bê peyman dixebitim", "pereyê kaş dide min kontrat tune"],
        "ckb": ["بێ گرێبەست کار دەکەم", "پارەکەم کاش دەداتێ گرێبەست نییە"],
        "so": ["qandaraas la'aan ayaan u shaqeeyaa",
               "lacag caddaan ah ayuu i siiyaa heshiis ma jiro"],
        "fr": ["je travaille au noir", "il me paie en liquide sans contrat"],
        "uk": ["працюю неофіційно", "платить готівкою без договору"],
        "ru": ["работаю по черному", "платит наличкой без договора"],
    },
    "agency_debt": {
        "en": ["i owe the agency money for the room and transport",
               "they take my salary for my debt",
               "boss says i have a debt to him for the travel",
               "i still owe my employer 2000 euro"],
        "nl": ["ik heb een schuld bij het uitzendbureau",
               "ze houden mijn loon in voor mijn schuld",
               "ik moet de baas nog geld terugbetalen voor de reis"],
        "ar": ["عليّ دين للشركة على السكن والمواصلات", "بياخدوا راتبي عشان الدين",
               "صاحب الشغل بيقلي انت مديون الي"],
        "fa": ["به آژانس بدهکارم بابت اتاق و رفت و آمد", "حقوقمو بابت بدهی برمیدارن",
               "کارفرما میگه بهش بدهکارم"],
        "tr": ["ajansa borcum var oda ve yol için", "borcum için maaşımı kesiyorlar",
               "patron bana borçlusun diyor"],
        "ti": ["ንኤጀንሲ ዕዳ ኣለኒ", "ደሞዘይ ንዕዳ ይወስዱዎ"],
        "ps": ["د ایجنسۍ پوروړی یم", "زما معاش د پور لپاره اخلي"],
        "kmr": ["deynê min li ajansê heye", "mûçeya min ji bo deynê digirin"],
        "ckb": ["قەرزاری ئاژانسەکەم", "مووچەکەم بۆ قەرزەکە دەبڕن"],
        "so": ["deyn baan ku leeyahay wakaaladda", "mushaharkayga ayay u qaataan deynta"],
        "fr": ["je dois de l'argent à l'agence pour le logement",
               "ils prennent mon salaire pour ma dette"],
        "uk": ["я винен агенції гроші за житло", "забирають зарплату за борг"],
        "ru": ["я должен агентству деньги за жилье", "забирают зарплату за долг"],
    },
    "housing_tied_to_job": {
        "en": ["if i quit i lose my room", "i sleep at the workplace",
               "boss says if i stop working i have to leave the house",
               "i live in the agency house if i stop they kick me out"],
        "nl": ["als ik stop ben ik mijn kamer kwijt", "ik slaap op het werk",
               "als ik ontslag neem moet ik uit het huis van de baas"],
        "ar": ["اذا تركت الشغل بطلعوني من الغرفة", "بنام بالشغل",
               "اذا وقفت شغل بيطردني من البيت"],
        "fa": ["اگه کارو ول کنم اتاقمو از دست میدم", "شبا تو محل کار میخوابم",
               "اگه کار نکنم از خونه بیرونم میکنه"],
        "tr": ["işi bırakırsam odamı kaybederim", "iş yerinde yatıyorum",
               "işten çıkarsam evden atarlar"],
        "ti": ["ስራሕ እንተገዲፈ ካብ ገዛ የውጽኡኒ", "ኣብ ቦታ ስራሕ እድቅስ"],
        "ps": ["که کار پرېږدم له کوټې مې باسي", "د کار په ځای کې ویده کېږم"],
        "kmr": ["eger ez dev ji kar berdim ez ê odeya xwe winda bikim",
                "ez li cihê kar radizêm"],
        "ckb": ["ئەگەر واز لە کار بهێنم ژوورەکەم لە دەست دەدەم", "لە شوێنی کار دەخەوم"],
        "so": ["haddii aan shaqada ka tago qolka ayay iga saarayaan",
               "goobta shaqada ayaan seexdaa"],
        "fr": ["si je démissionne je perds ma chambre", "je dors sur mon lieu de travail"],
        "uk": ["якщо звільнюсь втрачу житло", "сплю на роботі"],
        "ru": ["если уволюсь потеряю жилье", "сплю на работе"],
    },
    "threats": {
        "en": ["my boss threatens to call the police if i complain", "he hits me",
               "they said they will report me to ind",
               "boss said he will send me back to my country if i talk"],
        "nl": ["mijn baas dreigt de politie te bellen", "hij slaat me",
               "ze zeggen dat ze me aangeven bij de ind"],
        "ar": ["المدير بيهددني يتصل بالشرطة", "بيضربني", "قالوا رح يبلغوا عني الهجرة"],
        "fa": ["کارفرما تهدیدم میکنه که به پلیس زنگ میزنه", "منو کتک میزنه",
               "گفتن به ind گزارشمو میدن"],
        "tr": ["patron polisi ararım diye tehdit ediyor", "beni dövüyor",
               "şikayet edersen ind'ye bildiririz dediler"],
        "ti": ["ኣስራሒ ንፖሊስ ክድውል እየ ኢሉ የፈራርሃኒ", "ይወቕዓኒ"],
        "ps": ["کارفرما ګواښ کوي چې پولیس ته به زنګ ووهي", "ما وهي"],
        "kmr": ["patron min tehdît dike ku ew ê gazî polîs bike", "li min dixe"],
        "ckb": ["خاوەنکار هەڕەشەم لێ دەکات", "لێم دەدات"],
        "so": ["madaxu wuxuu igu hanjabay inuu booliska u yeerayo", "wuu i garaacaa"],
        "fr": ["mon patron menace d'appeler la police", "il me frappe"],
        "uk": ["начальник погрожує викликати поліцію", "він мене б'є"],
        "ru": ["начальник угрожает вызвать полицию", "он меня бьет"],
    },
    "unpaid_wages": {
        "en": ["my boss didnt pay me for 2 months", "they never paid me"],
        "nl": ["ik ben al 2 maanden niet betaald", "baas betaalt me niet"],
        "ar": ["صاحب الشغل ما دفعلي", "ما اعطاني راتبي من شهرين"],
        "fa": ["حقوقمو نداده", "دو ماهه حقوقمو نداده"],
        "tr": ["patron maaşımı ödemedi", "2 aydır maaşımı vermiyor"],
        "ti": ["ደሞዝ ኣይከፈለንን", "ክልተ ወርሒ ደሞዝ ኣይሃበንን"],
        "ps": ["کارفرما معاش نه دی راکړی"],
        "kmr": ["patron mûçeya min neda"],
        "ckb": ["مووچەکەمی نەداوە"],
        "so": ["mushaharkaygii ima siin"],
        "fr": ["mon patron ne m'a pas payé"],
        "uk": ["мені не заплатили за місяць"],
        "ru": ["мне не заплатили за месяц"],
    },
    "exploitation": {  # the general sign, last: "I am exploited", "forced to work"
        "en": ["i think i am being exploited", "they force me to work 14 hours"],
        "nl": ["ik word uitgebuit door mijn baas", "ze dwingen me te werken zonder pauze"],
        "ar": ["صاحب الشغل عم يستغلني", "بيجبرني اشتغل 12 ساعة"],
        "fa": ["ازم سوءاستفاده میکنن تو کار", "مجبورم میکنن کار کنم شب و روز"],
        "tr": ["patron beni sömürüyor", "zorla çalıştırıyorlar"],
        "ti": ["ኣብ ስራሕ ይምዝምዙኒ ኣለዉ", "ብግዲ የስርሑኒ ኣለዉ"],
        "ps": ["په زور کار راباندې کوي"],
        "kmr": ["bi zorê min dixebitînin"],
        "ckb": ["بە زۆر کارم پێ دەکەن"],
        "so": ["shaqada waa la iga faa'iidaysanayaa"],
        "fr": ["je crois qu'on m'exploite"],
        "uk": ["мене змушують працювати без вихідних"],
        "ru": ["меня эксплуатируют на работе"],
    },
}

# Questions about the same topics that are not a sign: they go to the NLU and its answers.
# "can I get paid in cash?" asks what is allowed, nothing happened yet: no sign.
ORDINARY: list[tuple[str, str]] = [
    ("en", "who pays for the TWV?"),
    ("en", "how much does a TWV cost?"),
    ("en", "does the agency keep part of my wage for tax?"),
    ("en", "I have my passport"),
    ("en", "can I get paid in cash?"),
    ("en", "is volunteer work paid?"),
    ("en", "the ind has my passport can i still work"),
    ("en", "ind took my passport when i applied"),
    ("en", "do i need a contract to work?"),
    ("en", "what is a payslip"),
    ("en", "how much do i pay coa from my salary"),
    ("en", "who applies for the twv me or the employer"),
    ("en", "how do i find work through an agency"),
    ("en", "can i stay in the azc when i work"),
    ("en", "will the ind deport me if i work without a twv"),
    ("en", "would they report me if i work without a permit"),
    ("en", "can i lose my room in the azc if i work"),
    ("en", "if i quit my job do i lose my coa money"),
    ("en", "coa asks me money because i work"),
    ("en", "the employer asks for a copy of my passport"),
    ("en", "my employer needs my w-document for the twv"),
    ("en", "is it normal the agency keeps the twv papers"),
    ("en", "how do i pay back my debt to coa"),
    ("en", "i have a debt to coa can i still work"),
    ("en", "coa says i owe money"),
    ("en", "my boss pays me every month on the 25th"),
    ("en", "if i stop working do i lose my place in the azc"),
    ("nl", "wat kost een werkvergunning"),
    ("nl", "wie betaalt de twv"),
    ("nl", "houdt het uitzendbureau belasting in van mijn loon?"),
    ("nl", "ik heb mijn paspoort"),
    ("nl", "kan ik contant betaald worden?"),
    ("nl", "moet ik coa betalen van mijn loon"),
    ("nl", "wat is een loonstrook"),
    ("nl", "de ind heeft mijn paspoort"),
    ("nl", "moet ik betalen voor de twv?"),
    ("nl", "raak ik mijn kamer in het azc kwijt als ik ga werken"),
    ("nl", "de werkgever vraagt een kopie van mijn w-document"),
    ("nl", "het coa vraagt geld omdat ik werk"),
    ("nl", "ik heb een schuld bij coa"),
    ("ar", "كم تكلفة تصريح العمل؟"),
    ("ar", "مين بيدفع رسوم التصريح؟"),
    ("ar", "عندي جواز سفر"),
    ("ar", "هل يحق لي العمل بدون عقد؟"),
    ("ar", "هل اقدر اخذ راتبي كاش؟"),
    ("ar", "عندي دين للكامب هل اقدر اشتغل"),
    ("ar", "هل صاحب العمل يحتاج نسخة من جوازي"),
    ("fa", "هزینه اجازه کار چقدره؟"),
    ("fa", "کی پول twv رو میده؟"),
    ("fa", "پاسپورتم پیشمه"),
    ("fa", "میتونم نقدی حقوق بگیرم؟"),
    ("fa", "آژانس مالیات از حقوقم کم میکنه؟"),
    ("fa", "به کمپ بدهکارم میتونم کار کنم"),
    ("tr", "çalışma izni ne kadar tutuyor?"),
    ("tr", "twv ücretini kim ödüyor?"),
    ("tr", "pasaportum var"),
    ("tr", "maaşımı elden alabilir miyim?"),
    ("tr", "ajans vergi için maaşımdan kesinti yapıyor mu?"),
    ("tr", "coa benden para istiyor çünkü çalışıyorum"),
    ("ti", "ፍቓድ ስራሕ ክንደይ ዋጋ ኣለዎ?"),
    ("ti", "ፓስፖርት ኣለኒ"),
    ("ps", "د کار اجازه څومره پیسې لګېږي؟"),
    ("kmr", "destûra kar çiqas pere ye?"),
    ("ckb", "مۆڵەتی کار بە چەندە؟"),
    ("so", "ogolaanshaha shaqada immisa ayuu kacaa?"),
    ("so", "baasaboor baan haystaa"),
    ("fr", "combien coûte un permis de travail ?"),
    ("fr", "qui paie le twv ?"),
    ("fr", "j'ai mon passeport"),
    ("fr", "est-ce que je peux être payé en liquide ?"),
    ("fr", "le coa veut de l'argent parce que je travaille"),
    ("uk", "скільки коштує дозвіл на роботу?"),
    ("uk", "у мене є паспорт"),
    ("ru", "сколько стоит разрешение на работу?"),
    ("ru", "кто платит за twv?"),
    ("ru", "у меня есть паспорт"),
    ("ru", "можно получать зарплату наличными?"),
    ("ru", "coa хочет денег потому что я работаю"),
    ("ru", "что мне угрожает если я работаю без twv"),
    ("uk", "coa хоче грошей бо я працюю"),
    ("ti", "ስለ ዝሰርሕ coa ገንዘብ ይደሊ"),
    ("ti", "ፍቓድ ስራሕ ገንዘብ ይሓትት ድዩ"),
]


# Questions that do find a sign, on purpose: the sign's answer is the right answer to them.
QUESTIONS_THAT_ARE_SIGNS: list[tuple[str, str]] = [
    ("can i work black?", "cash_no_contract"),  # "black work", "zwart werk" are signs as words
    ("is zwart werk strafbaar?", "cash_no_contract"),
    ("agency asks me to pay for registration is that allowed", "pay_for_permit"),  # it is not
    ("uitzendbureau vraagt geld voor inschrijving mag dat", "pay_for_permit"),
]


@cache
def signs() -> tuple[SafetySign, ...]:
    found, issues = load_safety_text(
        (ROOT / "flows" / "safety.yml").read_text(encoding="utf-8"), "safety.yml")
    assert not issues and found
    return found


@cache
def bundle() -> ContentBundle:
    loaded, issues = load_directory(ROOT / "flows")
    assert not issues
    return loaded


CASES = [
    pytest.param(sign, text, id=f"{sign}-{lang}-{n}")
    for sign, by_lang in PHRASINGS.items()
    for lang, texts in by_lang.items()
    for n, text in enumerate(texts)
]


@pytest.mark.parametrize(("sign", "text"), CASES)
def test_a_real_phrasing_finds_its_sign(sign: str, text: str) -> None:
    found = find_sign(signs(), text)
    assert found is not None, f"no sign in {text!r}"
    assert found.id == sign, f"{text!r} found {found.id}, not {sign}"


@pytest.mark.parametrize(("lang", "text"), ORDINARY, ids=[f"{lang}-{n}" for n, (lang, _) in
                                                          enumerate(ORDINARY)])
def test_an_ordinary_question_is_no_sign(lang: str, text: str) -> None:
    found = find_sign(signs(), text)
    assert found is None, f"{text!r} ({lang}) found {found and found.id}"


@pytest.mark.parametrize(("text", "sign"), QUESTIONS_THAT_ARE_SIGNS)
def test_some_questions_are_signs_on_purpose(text: str, sign: str) -> None:
    found = find_sign(signs(), text)
    assert found is not None and found.id == sign


def test_every_sign_is_tested_in_every_language() -> None:
    assert set(LANGS) == set(LANGUAGE_CODES)
    assert {sign.id for sign in signs()} == set(PHRASINGS)
    for sign, by_lang in PHRASINGS.items():
        counts = Counter({lang: len(texts) for lang, texts in by_lang.items()})
        short = [lang for lang in LANGS
                 if counts[lang] < (2 if lang in MAIN_LANGS else 1)]
        assert not short, f"{sign}: too few phrasings for {short}"
    assert {lang for lang, _ in ORDINARY} >= {"en", "nl", "ar", "fa", "tr", "fr", "ru"}


def test_every_sign_has_patterns_in_every_language() -> None:
    for sign in signs():
        assert set(sign.patterns) == set(LANGS), sign.id
        assert all(len(p) >= 3 for ps in sign.patterns.values() for p in ps), sign.id


def test_every_sign_answer_links_to_the_labour_authority_and_gives_its_numbers() -> None:
    answers = bundle().answers
    for sign in signs():
        answer = answers[sign.answer]
        assert sign.answer.startswith("labour_rights/"), sign.id
        urls = [source.url for source in answer.sources]
        assert any(host in url for url in urls for host in LABOUR_AUTHORITY), sign.id
        if sign.id == "unpaid_wages":
            continue  # its own answer, kept as it was
        for lang in LANGS:
            text = answer.text.texts[lang]
            # phone numbers are facts from the sources: written exactly, in every language
            assert "0800 51 51" in text and "+31 70 333 56 78" in text, (sign.answer, lang)


@pytest.mark.parametrize("key", ["labour_rights/exploitation", "labour_rights/documents_kept",
                                 "labour_rights/threats"])
def test_answers_about_danger_say_112_and_comensha(key: str) -> None:
    answer = bundle().answers[key]
    for lang in LANGS:
        text = answer.text.texts[lang]
        assert "112" in text and "033 448 11 86" in text and "info@comensha.nl" in text, lang


def test_the_permit_answer_names_no_fee_as_a_fact() -> None:
    answer = bundle().answers["labour_rights/pay_for_permit"]
    text = answer.text.texts["en"].casefold()
    assert "employer" in text and "uwv" in text and "no cost" in text
    assert "is free" not in text and "free of charge" not in text  # never "the TWV is free"
    assert any("uwv.nl" in source.url for source in answer.sources)
    assert any("rijksoverheid.nl" in source.url for source in answer.sources)


def test_the_minimum_wage_uses_its_rule_in_every_language() -> None:
    answer = bundle().answers["labour_rights/minimum_wage"]
    for lang in LANGS:
        text = answer.text.texts[lang]
        assert "{minimum_wage_hour}" in text, lang
        assert "14.71" not in text and "14,71" not in text, lang
        assert not {18, 20} & set(numbers_in(text)), lang  # no ages: "younger workers"


# -- end to end: a sign as the very first message, before consent --------------------------


def labour_authority_links(chat: Chat) -> list[str]:
    return [link.url for reply in chat.last for link in reply.links
            if any(host in link.url for host in LABOUR_AUTHORITY)]


async def answered_then_consent_then_coach(chat: Chat, answer_start: str) -> None:
    """The last replies are the sourced answer, then the consent question; after consent
    the coach offer follows and the answer is not said again."""
    assert labour_authority_links(chat), chat.text  # the sourced answer, at once
    assert chat.last[0].text.startswith(answer_start), chat.text
    assert chat.last[-1].buttons[0].payload == "cmd:consent"  # then the consent question
    assert all(b.payload != "cmd:consent" for r in chat.last[:-1] for b in r.buttons)

    await chat.payload("cmd:consent")
    assert "cmd:coach" in chat.buttons  # the coach offer
    assert not labour_authority_links(chat)  # the answer is not repeated
    assert answer_start not in chat.text


async def test_a_kept_w_document_before_consent_gets_the_answer_then_a_coach(
    make_dialogue: MakeDialogue,
) -> None:
    answer = bundle().answers["labour_rights/documents_kept"].text.texts["en"]
    chat = Chat(await make_dialogue())
    await chat.say("My boss took my W-document")
    chat.expect("0800 51 51")
    chat.expect_not("Lost it")  # not the W-document answer
    await answered_then_consent_then_coach(chat, answer[:40])
    chat.expect("sounds serious")
    chat.expect_not("Lost it")


async def test_a_kept_card_in_arabic_before_consent_gets_the_arabic_answer_then_a_coach(
    make_dialogue: MakeDialogue,
) -> None:
    answer = bundle().answers["labour_rights/documents_kept"].text.texts["ar"]
    chat = Chat(await make_dialogue())
    await chat.say("صاحب الشغل ماخد بطاقتي")
    chat.expect("0800 51 51")
    await answered_then_consent_then_coach(chat, answer[:40])
    chat.expect_not("sounds serious")  # the offer is in Arabic too
    assert sum("\u0600" <= ch <= "\u06ff" for ch in chat.text) > 20
