"""Semantic checks of FAQ answers, rules and keywords (flows are in validation.py)."""

from __future__ import annotations

from collections.abc import Collection

from bot.flows.issues import ContentIssue
from bot.flows.model import BUILTIN_NAMES, ContentBundle, Keywords, LocalText, Rule
from bot.flows.payloads import payload_problem
from bot.flows.render import placeholders
from bot.flows.rule_texts import hard_coded, valued_rules
from bot.flows.textnorm import normalise_words

_TRANSLATION_FIX = "add it (a translation not checked by a native speaker goes in unreviewed)"
NEEDED_KEYWORDS = ("yes", "no")  # the yes_no slot reads these


def missing_languages(text: LocalText, required: Collection[str]) -> list[str]:
    """Required languages the text lacks, sorted."""
    return sorted(set(required) - text.languages)


def known_intents(bundle: ContentBundle, intents: Collection[str]) -> set[str]:
    """The intents content may refer to: those given, plus each `base/sub` an answer is
    written for when its base is known (a button `intent:documents/bsn` reaches it even when
    the NLU data has no such sub-intent)."""
    known = set(intents)
    known.update(key for key in bundle.answers if key.split("/", 1)[0] in known)
    return known


def check_answers(
    bundle: ContentBundle, required: Collection[str], intents: Collection[str]
) -> list[ContentIssue]:
    """Each answer: a known intent, every required translation, only built-in placeholders,
    buttons that follow the payload grammar."""
    issues = []
    known = known_intents(bundle, intents)
    names = BUILTIN_NAMES | valued_rules(bundle)
    rule_ids = {rule.id for rule in bundle.rules}
    for key, answer in bundle.answers.items():
        found: list[tuple[int, str, str]] = []  # line, message, fix
        if key not in known:
            found.append((answer.line, f"answer {key!r} is for an unknown intent",
                          "use a DESIGN.md intent, or intent/sub under one"))
        texts = [(answer.text, answer.line, "text")]
        texts += [(b.label, b.line or answer.line, "button label") for b in answer.buttons]
        for text, line, what in texts:
            if missing := missing_languages(text, required):
                found.append((line, f"{what} has no translation for {', '.join(missing)}",
                              _TRANSLATION_FIX))
            for name in sorted(placeholders(text) - names):
                found.append((line, f"{what} uses {{{name}}}, which is no rule in force or "
                              "ended in rules.yml (nor {rules_as_of} or {today})",
                              "name a rule id from rules.yml, or remove the placeholder"))
            found += rule_value_issues(text, bundle, line, what)
        for rule_id in answer.rules:
            if rule_id not in rule_ids:
                found.append((answer.line, f"rules: {rule_id!r} is not in rules.yml",
                              "name a rule id from rules.yml"))
        for button in answer.buttons:
            if problem := payload_problem(button.payload, known, bundle.flows):
                found.append((button.line or answer.line, problem,
                              "see the grammar in bot/messages.py"))
        issues += [ContentIssue(answer.file, ln, None, key, msg, fix) for ln, msg, fix in found]
    return issues


def rule_value_issues(
    text: LocalText, bundle: ContentBundle, line: int, what: str
) -> list[tuple[int, str, str]]:
    """A rule's value written out in a text (bot/flows/rule_texts.py), as (line, msg, fix)."""
    return [(line, f"{what} ({found.lang}) writes {found.number}, the value of rule "
                   + " or ".join(repr(rule_id) for rule_id in found.rule_ids),
             f"write the rule's id in braces instead ({{{found.rule_ids[0]}}}), so a change of "
             "the rule changes this text")
            for found in hard_coded(text, bundle)]


def check_rules(rules: tuple[Rule, ...], required: Collection[str]) -> list[ContentIssue]:
    """Each rule: sane dates, a summary in every required language, a date on which its value
    was verified, and no two in-force versions of one rule on the same day."""
    issues = []
    for index, rule in enumerate(rules):
        found: list[tuple[str, str]] = []  # message, fix
        if rule.notice is not None and (missing := missing_languages(rule.notice, required)):
            found.append((f"notice has no translation for {', '.join(missing)}",
                          _TRANSLATION_FIX))
        if rule.status != "ended" and rule.verified_on() is None:
            found.append(("nobody says when this rule was verified",
                          "add verified: YYYY-MM to the rule or to its sources"))
        if rule.valid_from and rule.valid_to and rule.valid_from > rule.valid_to:
            found.append(("valid_from is after valid_to", "swap or correct the dates"))
        if rule.summary is not None and (missing := missing_languages(rule.summary, required)):
            found.append((f"summary has no translation for {', '.join(missing)}",
                          _TRANSLATION_FIX))
        if rule.status == "in_force" and not rule.sources:
            found.append(("an in-force rule has no source", "add sources: [{url, verified}]"))
        for other in rules[:index]:
            if other.id == rule.id and _overlap(other, rule):
                found.append((
                    f"two in-force versions of {rule.id!r} apply on the same days "
                    f"(the other is at line {other.line})",
                    "end the old one with valid_to the day before the new valid_from",
                ))
        issues += [ContentIssue(rule.file, rule.line, None, rule.id, m, f) for m, f in found]
    return issues


def _overlap(a: Rule, b: Rule) -> bool:
    if a.status != "in_force" or b.status != "in_force":
        return False
    a_first = b.valid_to is None or a.valid_from is None or a.valid_from <= b.valid_to
    b_first = a.valid_to is None or b.valid_from is None or b.valid_from <= a.valid_to
    return a_first and b_first


def check_keywords(keywords: Keywords, required: Collection[str]) -> list[ContentIssue]:
    """yes and no exist, every command has every required language, no word means two things."""
    issues = []
    file = keywords.file or "keywords.yml"

    def add(command: str | None, message: str, fix: str) -> None:
        issues.append(ContentIssue(file, keywords.line or 1, None, command, message, fix))

    for command in NEEDED_KEYWORDS:
        if command not in keywords.words:
            add(command, f"keywords have no {command!r} words", f"add {command}: {{en: [...]}}")
    owner: dict[tuple[str, str], str] = {}
    for command, per_lang in keywords.words.items():
        if missing := sorted(set(required) - set(per_lang)):
            add(command, f"no words for {', '.join(missing)}", "add them")
        for lang, words in per_lang.items():
            for word in words:
                folded = normalise_words(word)
                first = owner.setdefault((lang, folded), command)
                if first != command:
                    add(command, f"{lang} word {word!r} is also a {first!r} word",
                        "a word can mean only one command")
    return issues
