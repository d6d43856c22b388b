"""Mark a proposed rule in force from a date, or withdraw it again: edits of rules.yml text.

A rule may have several versions under one id (rules.yml: the 6-month wait, and the proposed
3-month version). Enacting the proposed version from a day D sets it `in_force` with
`valid_from: D`, and ends the version in force before it on D - 1, so exactly one version
applies on every day (content_checks.check_rules insists on that). Withdrawing undoes both.

The edit is made on the text, line by line, so comments and layout stay and the version diff
shows only what changed; when the file's shape does not allow that (flow style, a missing
key), the whole file is written again in the console's layout. Either way the result is read
back and must equal the intended data. Publishing (a new content version, through the same
check and versioning as the console) is `publish_rules`.

    rows = list_rules(text, bundle)
    text = enact(text, "work_wait_months", date(2026, 7, 1), today=today, source=...)
    text = withdraw(text, "work_wait_months")
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import ContentError
from bot.flows.expressions import ExpressionError, compile_expression
from bot.flows.issues import ContentIssue
from bot.flows.loader import load_rules_text
from bot.flows.model import ContentBundle, If, SetValues
from bot.flows.yamlio import LineDict, LineList, read_yaml, write_yaml
from bot.settings import Settings

RULES_PATH = "rules.yml"
_URL = re.compile(r"^https?://\S+$")


class RulesEditError(ContentError):
    """The change cannot be made; the message says why and what to do instead."""

    def __init__(self, message: str, issues: Iterable[ContentIssue] = ()) -> None:
        super().__init__(message)
        self.issues = list(issues)


@dataclass(frozen=True)
class NewSource:
    """Where the admin saw that the rule became law (kept with the rule, verified today)."""

    url: str
    title: str | None = None


@dataclass(frozen=True)
class RuleRow:
    """One version of a rule, as the list and the console page show it."""

    id: str
    status: str
    value: Any
    unit: str | None
    valid_from: date | None
    valid_to: date | None
    summary: str
    sources: tuple[tuple[str, str, date | None], ...]  # title, url, verified
    line: int
    used_by: tuple[str, ...]  # flows whose expressions read rule('id')

    @property
    def can_enact(self) -> bool:
        return self.status == "proposed"

    @property
    def can_withdraw(self) -> bool:
        return self.status == "in_force" and self.valid_from is not None


def rules_used_by_flows(bundle: ContentBundle) -> dict[str, tuple[str, ...]]:
    """Rule id -> the flows whose `if`/`set` expressions read it."""
    used: dict[str, set[str]] = {}
    for flow in bundle.flows.values():
        for step in flow.steps.values():
            sources: list[str] = []
            if isinstance(step.payload, If):
                sources = [b.when for b in step.payload.branches if b.when]
            elif isinstance(step.payload, SetValues):
                sources = [str(v) for v in step.payload.values.values()]
            for source in sources:
                try:
                    compiled = compile_expression(source)
                except ExpressionError:  # the flow checks report it; here it reads nothing
                    continue
                for rule_id in compiled.rules:
                    used.setdefault(rule_id, set()).add(flow.id)
    return {rule_id: tuple(sorted(flows)) for rule_id, flows in used.items()}


def list_rules(text: str, bundle: ContentBundle | None = None) -> list[RuleRow]:
    """Every rule version in rules.yml, in file order."""
    rules, issues = load_rules_text(text, RULES_PATH)
    if issues:
        raise RulesEditError("rules.yml has problems; fix them first", issues)
    used = rules_used_by_flows(bundle) if bundle is not None else {}
    return [
        RuleRow(
            rule.id, rule.status, rule.value, rule.unit, rule.valid_from, rule.valid_to,
            rule.summary.get("en")[0] if rule.summary else "",
            tuple((s.title or s.url, s.url, s.verified) for s in rule.sources),
            rule.line, used.get(rule.id, ()),
        )
        for rule in rules
    ]


# -- the edits -------------------------------------------------------------------------------


def enact(
    text: str, rule_id: str, start: date, *, today: date, source: NewSource | None = None
) -> str:
    """rules.yml with the proposed version of `rule_id` in force from `start`."""
    data = _parse(text)
    items: LineList = data["rules"]
    proposed = [i for i, r in enumerate(items) if r["id"] == rule_id and r["status"] == "proposed"]
    if not proposed:
        raise RulesEditError(_no_version(items, rule_id, "proposed"))
    if len(proposed) > 1:
        lines = ", ".join(str(items[i].line) for i in proposed)
        raise RulesEditError(f"rule {rule_id!r} has {len(proposed)} proposed versions (lines "
                             f"{lines}); remove all but one in rules.yml first")
    target = proposed[0]
    if source is not None and not _URL.match(source.url):
        raise RulesEditError(f"the source {source.url!r} is not a web address "
                             "(it must start with http:// or https://)")
    # One proposal, one law: the other rules proposed for the same date (e.g. "no work for
    # low-chance groups" next to "3 months for high-chance groups") come into force with it,
    # so the eligibility flow never applies half of a proposal to everyone.
    proposed_from = items[target].get("valid_from")
    partners = [i for i, r in enumerate(items) if i != target and r["status"] == "proposed"
                and r["id"] != rule_id and proposed_from is not None
                and r.get("valid_from") == proposed_from]
    edits: list[tuple[int, str, str | None]] = []  # item index, key, new value (None = null)
    for chosen in (target, *partners):
        chosen_id = items[chosen]["id"]
        edits += [(chosen, "status", "in_force"), (chosen, "valid_from", start.isoformat())]
        for index, rule in enumerate(items):
            if index == chosen or rule["id"] != chosen_id or rule["status"] != "in_force":
                continue
            begins, ends = _day(rule.get("valid_from")), _day(rule.get("valid_to"))
            if ends is not None and ends < start:
                continue  # ended before the new version starts: untouched
            if begins is not None and begins >= start:
                raise RulesEditError(
                    f"rule {chosen_id!r} already has a version in force from "
                    f"{begins.isoformat()} (line {rule.line}); choose a date after it, or "
                    "withdraw that version first")
            edits.append((index, "valid_to", (start - timedelta(days=1)).isoformat()))
    added = None
    if source is not None:
        # the admin read where the rule became law, on the live site, today
        added = {"title": source.title or "Source for the rule coming into force",
                 "url": source.url, "verified": today.isoformat(), "seen": "live"}
    return _apply(text, data, edits, (target, added) if added else None)


def withdraw(text: str, rule_id: str) -> str:
    """rules.yml with the newest enacted version of `rule_id` back to `proposed`, and the
    version it ended running on again."""
    data = _parse(text)
    items: LineList = data["rules"]
    enacted = [i for i, r in enumerate(items)
               if r["id"] == rule_id and r["status"] == "in_force" and r.get("valid_from")]
    if not enacted:
        raise RulesEditError(
            _no_version(items, rule_id, "in force from a date")
            + "; only a version that was enacted from a date can be withdrawn")
    target = max(enacted, key=lambda i: str(items[i]["valid_from"]))
    start = _day(items[target]["valid_from"])
    assert start is not None
    day_before = (start - timedelta(days=1)).isoformat()
    # what `enact` brought into force together (one proposal) is withdrawn together
    partners = [i for i, r in enumerate(items) if i != target and r["id"] != rule_id
                and r["status"] == "in_force"
                and str(r.get("valid_from")) == str(items[target]["valid_from"])]
    edits: list[tuple[int, str, str | None]] = []
    for chosen in (target, *partners):
        chosen_id = items[chosen]["id"]
        edits.append((chosen, "status", "proposed"))
        edits += [
            (index, "valid_to", None) for index, rule in enumerate(items)
            if index != chosen and rule["id"] == chosen_id and rule["status"] == "in_force"
            and str(rule.get("valid_to")) == day_before
        ]
    return _apply(text, data, edits, None)


def _parse(text: str) -> LineDict:
    _rules, issues = load_rules_text(text, RULES_PATH)
    if issues:
        raise RulesEditError("rules.yml has problems; fix them first", issues)
    data, _ = read_yaml(text, RULES_PATH)
    assert isinstance(data, LineDict)
    return data


def _no_version(items: LineList, rule_id: str, wanted: str) -> str:
    known = sorted({str(r["id"]) for r in items})
    if rule_id not in known:
        return (f"there is no rule {rule_id!r} in rules.yml (known: {', '.join(known)}); "
                "see `python -m bot rules list`")
    statuses = ", ".join(sorted({str(r["status"]) for r in items if r["id"] == rule_id}))
    return f"rule {rule_id!r} has no version that is {wanted} (its versions are: {statuses})"


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _apply(
    text: str, data: LineDict, edits: list[tuple[int, str, str | None]],
    added: tuple[int, dict[str, str]] | None,
) -> str:
    """The edited text: line edits when they give exactly the intended data, else a rewrite."""
    intended = _plain(data)
    for index, key, value in edits:
        intended["rules"][index][key] = value
    if added is not None:
        intended["rules"][added[0]].setdefault("sources", []).append(added[1])
    try:
        edited = _edit_lines(text, data, edits, added)
    except _CannotEdit:
        edited = None
    if edited is not None:
        reread, issues = read_yaml(edited, RULES_PATH)
        if not issues and _plain(reread) == intended:
            return edited
    return write_yaml(intended)


class _CannotEdit(Exception):
    pass


def _edit_lines(
    text: str, data: LineDict, edits: list[tuple[int, str, str | None]],
    added: tuple[int, dict[str, str]] | None,
) -> str:
    lines = text.splitlines(keepends=True)
    items: LineList = data["rules"]
    inserts: list[tuple[int, list[str]]] = []  # before 0-based line, new lines
    for index, key, value in edits:
        rule: LineDict = items[index]
        if key not in rule.key_lines:
            raise _CannotEdit(key)
        number = rule.key_lines[key] - 1
        match = re.match(rf"^(\s*(?:-\s+)?){re.escape(key)}:\s", lines[number])
        if match is None:
            raise _CannotEdit(key)  # flow style: the key is not at the start of its line
        literal = "null" if value is None else f'"{value}"' if key.startswith("valid_") else value
        lines[number] = f"{match.group(1)}{key}: {literal}\n"
    if added is not None:
        index, source = added
        inserts.append(_source_lines(lines, items, index, source))
    for before, new in sorted(inserts, reverse=True):
        lines[before:before] = new
    return "".join(lines)


def _source_lines(
    lines: list[str], items: LineList, index: int, source: dict[str, str]
) -> tuple[int, list[str]]:
    rule: LineDict = items[index]
    sources = rule.get("sources")
    if not isinstance(sources, LineList) or not sources.item_lines:
        raise _CannotEdit("sources")
    first = lines[sources.item_lines[0] - 1]
    dash = re.match(r"^(\s*)-\s", first)
    if dash is None or sources.item_lines[0] == rule.key_lines["sources"]:
        raise _CannotEdit("sources")
    later = [line for key, line in rule.key_lines.items()
             if line > rule.key_lines["sources"] and key != "sources"]
    end = (items.item_lines[index + 1] - 1 if index + 1 < len(items) else len(lines))
    end = min([end, *(line - 1 for line in later)])  # 0-based index after the block
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    pad = dash.group(1)
    new = [f'{pad}- title: "{_quoted(source["title"])}"\n',
           f'{pad}  url: "{_quoted(source["url"])}"\n',
           f'{pad}  verified: "{source["verified"]}"\n',
           f'{pad}  seen: {source["seen"]}\n']
    return end, new


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# -- publishing ------------------------------------------------------------------------------


async def publish_rules(
    session: AsyncSession, settings: Settings, text: str, *, actor: str, user_id: int | None,
    action: str, detail: dict[str, object],
) -> int | None:
    """Check the new rules.yml against the published content and store it as the newest
    version (with an audit row); the version number, or None when nothing changed.
    RulesEditError (with the issues) when the change brings a problem."""
    from bot.content.store import ContentFile
    from bot.db import repositories as repo
    from bot.web import accounts
    from bot.web.publishing import check_change, current_files

    item = ContentFile("rules", "rules", RULES_PATH)
    files = await current_files(session, settings)
    checked = check_change(files, item, text, settings)
    if not checked.ok:
        raise RulesEditError("the change was not published: it would bring problems",
                             checked.issues)
    row = await repo.save_content_version(
        session, kind=item.kind, key=item.key, body=text, created_by=actor[:64])
    if row is None:
        return None
    await accounts.audit(session, actor=actor, action=action, user_id=user_id,
                         target="rules/rules", detail={"version": row.version, **detail})
    return row.version


async def published_rules_text(session: AsyncSession, settings: Settings) -> str:
    """The rules.yml the bot runs on (the files' when the database has no content yet)."""
    from bot.content.store import ContentFile
    from bot.web.publishing import current_files

    files = await current_files(session, settings)
    text = files.get(ContentFile("rules", "rules", RULES_PATH))
    if text is None:
        raise RulesEditError("there is no rules.yml in the published content; "
                             "run `python -m bot content import`")
    return text
