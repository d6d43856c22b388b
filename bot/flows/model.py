"""The content model: flows, FAQ answers, rules with effective dates and command keywords.

Everything here is frozen and pure. Source positions (`file`, `line`, `key_lines`) are kept
for error messages but left out of equality, so a flow loaded from a file equals the same flow
loaded from the text the web console saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from bot.errors import ContentError
from bot.flows.expressions import add_months
from bot.flows.textnorm import normalise_words

if TYPE_CHECKING:
    from bot.flows.safety import SafetySign

SlotType = Literal["choice", "yes_no", "date", "number", "text", "municipality"]
SLOT_TYPES: tuple[str, ...] = ("choice", "yes_no", "date", "number", "text", "municipality")
ACTIONS: tuple[str, ...] = ("say", "ask", "if", "set", "goto", "handoff", "jobs", "end")
RULE_STATUSES: tuple[str, ...] = ("in_force", "proposed", "ended")
FALLS_THROUGH: tuple[str, ...] = ("say", "ask", "set", "none")  # default: the following step
BUILTIN_NAMES: frozenset[str] = frozenset({"rules_as_of", "today"})


@dataclass(frozen=True)
class LocalText:
    """A text in several languages; `unreviewed` lists translations no native speaker checked."""

    texts: Mapping[str, str]
    unreviewed: frozenset[str] = frozenset()

    def get(self, lang: str, fallback: str = "en") -> tuple[str, str]:
        """Return (text, language used): the language, its base (`fa-AF` -> `fa`), the
        fallback, then the first language written; ("", fallback) when the text is empty."""
        for candidate in (lang, lang.split("-", 1)[0], fallback):
            if candidate in self.texts:
                return self.texts[candidate], candidate
        for code, text in self.texts.items():
            return text, code
        return "", fallback

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.texts)


DEFAULT_REVIEW_MONTHS = 12  # a source nobody gave a review_by date is due again a year later


@dataclass(frozen=True)
class Source:
    """Where a text comes from, and when someone really compared the text with it.

    `verified` is the day (or the month: then its first day) someone compared our text with
    the page; `seen` says whether they read the live page or a saved copy of it. After
    `review_by` the text must be compared again: until then answers say it may be out of date.
    """

    url: str
    title: str | None = None
    verified: date | None = None
    seen: str = "copy"
    review_by: date | None = None

    def due(self) -> date | None:
        """The day after which this source must be compared again."""
        if self.review_by is not None:
            return self.review_by
        if self.verified is None:
            return None
        return _months_later(self.verified, DEFAULT_REVIEW_MONTHS)


def _months_later(day: date, months: int) -> date:
    """The last day of the month `months` after `day`'s month (Feb 2026 + 12: 28 Feb 2027)."""
    return add_months(day.replace(day=1), months + 1) - timedelta(days=1)


@dataclass(frozen=True)
class ButtonSpec:
    """A button written in content: a localised label and a payload from bot/messages.py."""

    label: LocalText
    payload: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Option:
    """One answer offered as a button. `match`: words or phrases per language that pick this
    option when they appear in a typed answer ("afgewezen" -> rejected)."""

    value: str
    label: LocalText
    line: int = field(default=0, compare=False)
    match: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class AskSpec:
    slot: str
    type: SlotType
    text: LocalText
    hint: LocalText | None = None
    options: tuple[Option, ...] = ()
    min: str | int | float | None = None  # date: ISO date or "today"; number: a number
    max: str | int | float | None = None


@dataclass(frozen=True)
class Say:
    text: LocalText | None = None
    answer: str | None = None  # an intent or intent/sub whose FAQ answer is shown
    buttons: tuple[ButtonSpec, ...] = ()
    sources: tuple[Source, ...] = ()
    rules: tuple[str, ...] = ()  # rules the text depends on without naming their values


@dataclass(frozen=True)
class Branch:
    """One `if` branch; `when` is None for the `else` branch."""

    when: str | None
    goto: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class If:
    branches: tuple[Branch, ...]


@dataclass(frozen=True)
class SetValues:
    values: Mapping[str, str]  # slot name -> expression source


@dataclass(frozen=True)
class Goto:
    target: str


@dataclass(frozen=True)
class Handoff:
    reason: str


@dataclass(frozen=True)
class Jobs:
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class End:
    text: LocalText | None = None


Payload = Say | AskSpec | If | SetValues | Goto | Handoff | Jobs | End | None


@dataclass(frozen=True)
class Step:
    """One step. `kind` is its action ("none" when it has none); `extra_actions` lists any
    further action keys written on the same step, which the validator reports."""

    id: str
    kind: str
    payload: Payload
    next: str | None = None
    line: int = field(default=0, compare=False)
    extra_actions: tuple[str, ...] = ()
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, key: str) -> int:
        """The line of one of the step's keys (`goto`, `next`, ...), else the step's line."""
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True)
class Flow:
    id: str
    version: int
    title: LocalText
    start_intents: tuple[str, ...]
    menu: bool
    steps: Mapping[str, Step]  # in file order; the first step is the start
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    duplicate_steps: tuple[Step, ...] = ()  # later steps whose id was already used

    @property
    def first_step(self) -> Step:
        return next(iter(self.steps.values()))

    def next_of(self, step: Step) -> str | None:
        """Where a finished say/ask/set step goes: its `next`, else the step written after it.
        handoff, jobs and end stop the flow unless they name a `next` (if/goto jump instead)."""
        if step.next is not None:
            return step.next
        return self.following(step.id) if step.kind in FALLS_THROUGH else None

    def following(self, step_id: str) -> str | None:
        """The id of the step written after `step_id`, None for the last one."""
        ids = list(self.steps)
        index = ids.index(step_id)
        return ids[index + 1] if index + 1 < len(ids) else None


@dataclass(frozen=True)
class Answer:
    key: str  # intent or intent/sub
    text: LocalText
    sources: tuple[Source, ...] = ()
    buttons: tuple[ButtonSpec, ...] = ()
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    stale: frozenset[str] = frozenset()  # translations older than the en/nl text
    rules: tuple[str, ...] = ()  # rules the text depends on without naming their values


@dataclass(frozen=True)
class Rule:
    id: str
    value: int | float | str | bool
    status: str
    unit: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None  # last day the rule applies (inclusive)
    summary: LocalText | None = None
    sources: tuple[Source, ...] = ()
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    # when someone compared the value with its sources, and when it must be compared again
    # (a figure that changes on a known day, e.g. the minimum wage, is due on that day)
    verified: date | None = None
    review_by: date | None = None
    # what a person must be told with every answer that depends on this rule: for a proposal,
    # what it would mean for them; for a version in force, a caveat (shown while it applies)
    notice: LocalText | None = None

    def due(self) -> date | None:
        """The day after which the value must be compared with its sources again."""
        if self.review_by is not None:
            return self.review_by
        dues = [d for d in (s.due() for s in self.sources) if d is not None]
        return min(dues) if dues else None

    def verified_on(self) -> date | None:
        """When the value was last compared with its sources (the rule's own date, else the
        oldest of its sources': the value is only as current as its least current source)."""
        if self.verified is not None:
            return self.verified
        days = [s.verified for s in self.sources if s.verified is not None]
        return min(days) if days else None

    def planned_from(self) -> date | None:
        """For a proposal with a planned date: that date (it may have passed undecided)."""
        return self.valid_from if self.status == "proposed" else None

    def applies_on(self, on: date) -> bool:
        return (
            self.status == "in_force"
            and (self.valid_from is None or self.valid_from <= on)
            and (self.valid_to is None or on <= self.valid_to)
        )


@dataclass(frozen=True)
class Keywords:
    """Command words: command name (cancel, back, menu, continue, yes, no) -> lang -> words."""

    words: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    unreviewed: frozenset[str] = frozenset()  # languages whose words no native speaker checked
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def words_for(self, command: str, lang: str | None = None) -> tuple[str, ...]:
        """The words of one command in one language, or in every language when lang is None."""
        per_lang = self.words.get(command, {})
        if lang is not None:
            return per_lang.get(lang, ())
        return tuple(w for words in per_lang.values() for w in words)

    def __post_init__(self) -> None:
        # normalised word -> command, built once: match() runs on every typed message
        index: dict[str, str] = {}
        for command, per_lang in self.words.items():
            for words in per_lang.values():
                for word in words:
                    index.setdefault(normalise_words(word), command)
        object.__setattr__(self, "_index", index)

    def match(self, text: str) -> str | None:
        """The command the whole text is (normalised: case, accents, punctuation), else None."""
        wanted = normalise_words(text)
        return self._index.get(wanted) if wanted else None  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ContentBundle:
    flows: Mapping[str, Flow] = field(default_factory=dict)
    answers: Mapping[str, Answer] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    keywords: Keywords = field(default_factory=Keywords)
    safety: tuple[SafetySign, ...] = ()

    def flow_for_intent(self, intent: str) -> Flow | None:
        """The flow started by this intent: an exact `base/sub` match first, then the base,
        unless an answer is written for the exact `base/sub` ("can_i_work/dublin" is
        answered, not sent through the whole check)."""
        base = intent.split("/", 1)[0]
        for name in (intent, base):
            if name == base != intent and intent in self.answers:
                return None
            for flow in self.flows.values():
                if name in flow.start_intents:
                    return flow
        return None

    def answer_for(self, intent_name: str) -> Answer | None:
        """The FAQ answer for `base/sub`, else for its base intent, else None."""
        return self.answers.get(intent_name) or self.answers.get(intent_name.split("/", 1)[0])

    def rule_value(self, rule_id: str, on: date) -> int | float | str | bool:
        """The value of the in-force rule `rule_id` on that day (newest valid_from wins)."""
        matching = [r for r in self.rules if r.id == rule_id and r.applies_on(on)]
        if not matching:
            known = sorted({r.id for r in self.rules})
            raise ContentError(
                f"no rule {rule_id!r} is in force on {on.isoformat()} "
                f"(rules.yml has: {', '.join(known) or 'no rules'}); add one with status "
                "in_force and valid_from/valid_to that contain this date"
            )
        return max(matching, key=lambda r: r.valid_from or date.min).value

    def rules_as_of(self, on: date | None = None) -> date:
        """How current the rules are: the oldest verification among the rules in force
        (today's, or on `on`), as the first day of its month."""
        rules = [r for r in self.rules if r.status == "in_force"
                 and (on is None or r.applies_on(on))]
        days = [d for d in (r.verified_on() for r in rules) if d is not None]
        if not days:
            raise ContentError("no rule in force in rules.yml has a `verified` date "
                               "(on the rule or on its sources)")
        return min(days).replace(day=1)

    def rule_versions(self, rule_id: str) -> list[Rule]:
        return [r for r in self.rules if r.id == rule_id]

    def text_value(self, rule_id: str, on: date) -> int | float | str | bool | None:
        """The value a text shows for `{rule_id}`: the version in force on that day; for a
        rule that has ended, its last value (texts may tell its history); None otherwise."""
        versions = self.rule_versions(rule_id)
        current = [r for r in versions if r.applies_on(on)]
        if current:
            return max(current, key=lambda r: r.valid_from or date.min).value
        ended = [r for r in versions if r.status == "ended"
                 or (r.status == "in_force" and r.valid_to is not None and r.valid_to < on)]
        if ended:
            return max(ended, key=lambda r: r.valid_to or date.min).value
        return None
