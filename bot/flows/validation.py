"""Semantic checks of flows: what the schema cannot see, each issue with a line and a fix.

`check_bundle` runs these and the checks of answers, rules and keywords
(content_checks.py). Model: Rasa's `shared/core/flows/validation.py`, one message per rule.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from datetime import date
from pathlib import Path

from bot.flows.content_checks import (
    check_answers,
    check_keywords,
    check_rules,
    known_intents,
    missing_languages,
    rule_value_issues,
)
from bot.flows.expressions import ExpressionError, compile_expression
from bot.flows.issues import ContentIssue
from bot.flows.loader import load_bundle
from bot.flows.model import (
    BUILTIN_NAMES,
    AskSpec,
    ContentBundle,
    End,
    Flow,
    Goto,
    If,
    LocalText,
    Say,
    SetValues,
    Step,
)
from bot.flows.payloads import payload_problem
from bot.flows.render import placeholders
from bot.flows.rule_texts import valued_rules
from bot.flows.safety import check_safety


def targets(flow: Flow, step: Step) -> list[tuple[str, int]]:
    """Where a step can go next, with the line that says so."""
    if isinstance(step.payload, If):
        return [(b.goto, b.line or step.line) for b in step.payload.branches]
    if isinstance(step.payload, Goto):
        return [(step.payload.target, step.line_of("goto"))]
    target = flow.next_of(step)
    if target is None:
        return []
    return [(target, step.line_of("next") if step.next is not None else step.line)]


def _texts_of(step: Step) -> Iterator[tuple[LocalText, int]]:
    payload, line = step.payload, step.line_of(step.kind)
    if isinstance(payload, Say):
        if payload.text is not None:
            yield payload.text, line
        for button in payload.buttons:
            yield button.label, button.line or line
    elif isinstance(payload, AskSpec):
        yield payload.text, line
        if payload.hint is not None:
            yield payload.hint, line
        for option in payload.options:
            yield option.label, option.line or line
    elif isinstance(payload, End) and payload.text is not None:
        yield payload.text, line


class _FlowChecker:
    def __init__(
        self, flow: Flow, bundle: ContentBundle, required: Collection[str],
        intents: Collection[str],
    ) -> None:
        self.flow, self.bundle, self.required = flow, bundle, required
        self.intents = known_intents(bundle, intents)
        self.issues: list[ContentIssue] = []
        self.slots = set(BUILTIN_NAMES)
        for step in flow.steps.values():
            if isinstance(step.payload, AskSpec):
                self.slots.add(step.payload.slot)
            elif isinstance(step.payload, SetValues):
                self.slots.update(step.payload.values)
        self.rule_ids = {rule.id for rule in bundle.rules}
        self.text_names = self.slots | valued_rules(bundle)  # `{rule_id}` shows its value

    def add(self, line: int, step: str | None, message: str, fix: str = "") -> None:
        self.issues.append(ContentIssue(self.flow.file, line, self.flow.id, step, message, fix))

    def run(self) -> list[ContentIssue]:
        flow = self.flow
        for intent in flow.start_intents:
            if intent not in self.intents:
                self.add(flow.line, None, f"start intent {intent!r} is not a known intent",
                         self._suggest(intent, self.intents, "use one of the DESIGN.md intents"))
        self.translations(flow.title, flow.line, None, "title")
        for dup in flow.duplicate_steps:
            self.add(dup.line, dup.id, f"step id {dup.id!r} is used twice",
                     "give each step its own id")
        for step in flow.steps.values():
            self.step(step)
        self.reachability()
        return self.issues

    def _suggest(self, name: str, known: Collection[str], otherwise: str) -> str:
        close = difflib.get_close_matches(name, list(known), n=1)
        return f"did you mean {close[0]!r}?" if close else otherwise

    def translations(self, text: LocalText, line: int, step: str | None, what: str) -> None:
        if missing := missing_languages(text, self.required):
            self.add(line, step, f"{what} has no translation for {', '.join(missing)}",
                     "add it (a translation not checked by a native speaker goes in unreviewed)")

    def names(self, names: Collection[str], line: int, step: str, where: str) -> None:
        for name in sorted(set(names) - self.slots):
            self.add(line, step, f"{where} uses {name!r}, which no ask or set step fills",
                     self._suggest(name, self.slots, "ask for it first or set it"))

    def expression(self, source: str, line: int, step: str) -> None:
        try:
            compiled = compile_expression(source)
        except ExpressionError as exc:
            self.add(line, step, str(exc), "see the expression rules in docs/flows.md")
            return
        self.names(compiled.names, line, step, f"expression {source!r}")
        for rule_id in sorted(compiled.rules - self.rule_ids):
            self.add(line, step, f"rule {rule_id!r} is not in rules.yml",
                     self._suggest(rule_id, self.rule_ids, "add it to rules.yml"))

    def step(self, step: Step) -> None:
        if step.kind == "none":
            self.add(step.line, step.id, "step has no action",
                     "give it exactly one of say, ask, if, set, goto, handoff, jobs, end")
        if step.extra_actions:
            self.add(step.line, step.id,
                     f"step has several actions: {', '.join((step.kind, *step.extra_actions))}",
                     "split it into one step per action")
        if step.next is not None and step.kind in ("if", "goto"):
            self.add(step.line_of("next"), step.id, f"`next` is ignored on an `{step.kind}` step",
                     "remove it")
        for target, line in targets(self.flow, step):
            if target not in self.flow.steps:
                self.add(line, step.id, f"goes to unknown step {target!r}",
                         self._suggest(target, self.flow.steps, "name an existing step"))
        for text, line in _texts_of(step):
            self.translations(text, line, step.id, "text")
            for name in sorted(placeholders(text) - self.text_names):
                self.add(line, step.id, f"text uses {name!r}, which no ask or set step fills "
                         "and which is no rule in force or ended in rules.yml",
                         self._suggest(name, self.text_names, "ask for it first or set it"))
            for ln, message, fix in rule_value_issues(text, self.bundle, line, "text"):
                self.add(ln, step.id, message, fix)
        if isinstance(step.payload, Say):
            for rule_id in step.payload.rules:
                if rule_id not in self.rule_ids:
                    self.add(step.line, step.id, f"rules: {rule_id!r} is not in rules.yml",
                             self._suggest(rule_id, self.rule_ids, "name a rule id"))
        payload, line = step.payload, step.line_of(step.kind)
        if isinstance(payload, Say):
            self.say(payload, line, step.id)
        elif isinstance(payload, AskSpec):
            self.ask(payload, line, step.id)
        elif isinstance(payload, If):
            self.branches(payload, line, step.id)
        elif isinstance(payload, SetValues):
            for name, source in payload.values.items():
                if name in BUILTIN_NAMES:
                    self.add(line, step.id, f"{name!r} is built in and cannot be set",
                             "choose another name")
                self.expression(source, line, step.id)

    def say(self, say: Say, line: int, step: str) -> None:
        if (say.text is None) == (say.answer is None):
            self.add(line, step, "`say` needs either `text` or `answer`, not both or neither",
                     "keep one of them")
        if say.answer is not None:
            if say.answer not in self.intents:
                self.add(line, step, f"answer {say.answer!r} is not a known intent",
                         self._suggest(say.answer, self.intents, "use an intent or intent/sub"))
            elif self.bundle.answer_for(say.answer) is None:
                self.add(line, step, f"no FAQ answer is written for {say.answer!r}",
                         f"add it to flows/answers/{say.answer.split('/')[0]}.yml")
        for button in say.buttons:
            if problem := payload_problem(button.payload, self.intents, self.bundle.flows):
                self.add(button.line or line, step, problem, "see the grammar in bot/messages.py")

    def ask(self, ask: AskSpec, line: int, step: str) -> None:
        if ask.type == "choice" and not ask.options:
            self.add(line, step, "a choice has no options", "add options: [{value, label}, ...]")
        if ask.type == "yes_no" and ask.options:
            self.add(line, step, "a yes_no question takes no options (its buttons are yes "
                     "and no)", "remove them or make the type choice")
        values = [o.value for o in ask.options]
        for value in sorted({v for v in values if values.count(v) > 1}):
            self.add(line, step, f"option value {value!r} is used twice", "make values unique")
        for option in ask.options:
            if problem := payload_problem(f"answer:{option.value}", (), ()):
                self.add(option.line or line, step, problem, "use a shorter option value")
        for bound in ("min", "max"):
            value = getattr(ask, bound)
            if value is None:
                continue
            if ask.type == "date" and not _is_date_bound(value):
                self.add(line, step, f"{bound} {value!r} is not a date",
                         'write YYYY-MM-DD or "today"')
            elif ask.type == "number" and not isinstance(value, int | float):
                self.add(line, step, f"{bound} {value!r} is not a number", "write a number")
            elif ask.type not in ("date", "number"):
                self.add(line, step, f"{bound} is only used by date and number",
                         "remove it")

    def branches(self, branches: If, line: int, step: str) -> None:
        for index, branch in enumerate(branches.branches):
            if branch.when is None and index != len(branches.branches) - 1:
                self.add(branch.line or line, step, "branches after `else` are never taken",
                         "put `else` last")
            if branch.when is not None:
                self.expression(branch.when, branch.line or line, step)
        if all(b.when is not None for b in branches.branches):
            self.add(line, step, "`if` has no `else` branch",
                     "add `- else: <step>` as the last branch")

    def reachability(self) -> None:
        if not self.flow.steps:
            self.add(self.flow.line, None, "flow has no steps", "add steps")
            return
        seen = {self.flow.first_step.id}
        todo = [self.flow.first_step.id]
        while todo:
            for target, _ in targets(self.flow, self.flow.steps[todo.pop()]):
                if target in self.flow.steps and target not in seen:
                    seen.add(target)
                    todo.append(target)
        for step in self.flow.steps.values():
            if step.id not in seen:
                self.add(step.line, step.id,
                         f"step can never be reached from the first step "
                         f"({self.flow.first_step.id!r})",
                         "point a next/goto/if branch at it, or remove it")


def _is_date_bound(value: object) -> bool:
    if value == "today":
        return True
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_flow(
    flow: Flow, bundle: ContentBundle, required_languages: Collection[str],
    intents: Collection[str],
) -> list[ContentIssue]:
    """All semantic issues of one flow (the bundle gives answers, rules and other flows)."""
    return _FlowChecker(flow, bundle, required_languages, intents).run()


def check_bundle(
    bundle: ContentBundle, required_languages: Collection[str], intents: Collection[str]
) -> list[ContentIssue]:
    """All semantic issues of the content: flows, answers, rules and keywords.

    `intents` are the valid intent names: the DESIGN.md base intents plus any `base/sub`
    forms the NLU data knows; a `base/sub` that has a written answer counts as known too.
    """
    issues: list[ContentIssue] = []
    starters: dict[str, str] = {}
    for flow in bundle.flows.values():
        issues += check_flow(flow, bundle, required_languages, intents)
        for intent in flow.start_intents:
            if intent in starters:
                issues.append(ContentIssue(
                    flow.file, flow.line, flow.id, None,
                    f"start intent {intent!r} also starts flow {starters[intent]!r}",
                    "let one flow start on each intent",
                ))
            starters.setdefault(intent, flow.id)
    issues += check_answers(bundle, required_languages, intents)
    issues += check_rules(bundle.rules, required_languages)
    issues += check_keywords(bundle.keywords, required_languages)
    issues += check_safety(bundle.safety, bundle.answers, intents, required_languages)
    return issues


def check_content(
    root: Path, required_languages: Collection[str], intents: Collection[str]
) -> tuple[ContentBundle, list[ContentIssue]]:
    """Load everything under `root` (the flows/ folder) and check it: `content check`."""
    bundle, issues = load_bundle(root)
    return bundle, issues + check_bundle(bundle, required_languages, intents)
