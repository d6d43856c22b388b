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

# The command menu (setMyCommands), per language; other languages see the English one.
COMMANDS = {
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
}
