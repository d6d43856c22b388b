"""Each supported language in its own name (for pickers) and its writing direction."""

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "nl": "Nederlands",
    "ar": "العربية",
    "ti": "ትግርኛ",
    "fa": "فارسی / دری",
    "ps": "پښتو",
    "tr": "Türkçe",
    "kmr": "Kurdî (Kurmancî)",
    "ckb": "کوردی (سۆرانی)",
    "so": "Soomaali",
    "fr": "Français",
    "uk": "Українська",
    "ru": "Русский",
}
RTL = frozenset({"ar", "fa", "ps", "ckb"})
