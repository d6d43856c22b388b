"""Read flows, answers, rules and keywords from YAML into the content model.

Every reader returns what it could build plus a list of ContentIssue; nothing raises for bad
content. A file with schema errors is not built (its issues say why), so the semantic checks
only ever see well-formed content.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from bot.flows.builder import ModelBuilder
from bot.flows.issues import ContentIssue
from bot.flows.model import (
    Answer,
    ContentBundle,
    Flow,
    Keywords,
    LocalText,
    Rule,
    Step,
)
from bot.flows.safety import SafetySign, load_safety_text
from bot.flows.schema import (
    ANSWERS_SCHEMA,
    FLOW_SCHEMA,
    KEYWORDS_SCHEMA,
    RULES_SCHEMA,
    schema_issues,
)
from bot.flows.yamlio import read_yaml


def _read(
    yaml_text: str, filename: str, schema: dict[str, Any]
) -> tuple[Any, list[ContentIssue]]:
    data, issues = read_yaml(yaml_text, filename)
    if data is None and issues:
        return None, issues
    if not isinstance(data, dict):
        return None, [*issues, ContentIssue(
            filename, 1, None, None, "the file must be a YAML mapping", "see docs/flows.md"
        )]
    found = schema_issues(data, schema, filename)
    return (None if found else data), issues + found


def load_flow_text(yaml_text: str, filename: str) -> tuple[Flow | None, list[ContentIssue]]:
    """Read one flow from YAML text (a file, or what the web console saved)."""
    data, issues = _read(yaml_text, filename, FLOW_SCHEMA)
    if data is None:
        return None, issues
    builder = ModelBuilder(filename)
    builder.flow = data["flow"]
    steps: dict[str, Step] = {}
    duplicates = []
    for raw in data["steps"]:
        step = builder.step(raw)
        if step.id in steps:
            duplicates.append(step)
        else:
            steps[step.id] = step
    flow = Flow(
        id=data["flow"],
        version=data.get("version", 1),
        title=builder.text(data, "title") or LocalText({}),
        start_intents=tuple(data.get("start_intents", ())),
        menu=data.get("menu", False),
        steps=steps,
        file=filename,
        line=data.key_lines.get("flow", 1),
        duplicate_steps=tuple(duplicates),
    )
    return flow, issues + builder.issues


def load_answers_text(
    yaml_text: str, filename: str
) -> tuple[str | None, dict[str, Answer], list[ContentIssue]]:
    """Read one answers file: (its intent, answers by key, issues)."""
    data, issues = _read(yaml_text, filename, ANSWERS_SCHEMA)
    if data is None:
        return None, {}, issues
    builder = ModelBuilder(filename)
    answers = {}
    for key, raw in data["answers"].items():
        if key.split("/", 1)[0] != data["intent"]:
            builder.issue(
                data["answers"].key_lines[key], key,
                f"answer {key!r} is not for this file's intent {data['intent']!r}",
                f"move it to answers/{key.split('/', 1)[0]}.yml",
            )
        answers[key] = Answer(
            key, builder.text(raw, "text") or LocalText({}),
            builder.sources(raw.get("sources"), key), builder.buttons(raw.get("buttons")),
            filename, data["answers"].key_lines[key], frozenset(raw.get("stale", ())),
            tuple(raw.get("rules", ())),
        )
    return data["intent"], answers, issues + builder.issues


def load_rules_text(yaml_text: str, filename: str) -> tuple[tuple[Rule, ...], list[ContentIssue]]:
    """Read rules.yml."""
    data, issues = _read(yaml_text, filename, RULES_SCHEMA)
    if data is None:
        return (), issues
    builder = ModelBuilder(filename)
    rules = tuple(
        Rule(
            raw["id"], raw["value"], raw["status"], raw.get("unit"),
            builder.date(raw.get("valid_from"), raw.line, raw["id"]),
            builder.date(raw.get("valid_to"), raw.line, raw["id"]),
            builder.text(raw, "summary"), builder.sources(raw.get("sources"), raw["id"]),
            filename, raw.line,
            builder.day_or_month(raw.get("verified"), raw.line, raw["id"]),
            builder.date(raw.get("review_by"), raw.line, raw["id"]),
            builder.text(raw, "notice"),
        )
        for raw in data["rules"]
    )
    return rules, issues + builder.issues


def load_keywords_text(yaml_text: str, filename: str) -> tuple[Keywords, list[ContentIssue]]:
    """Read keywords.yml."""
    data, issues = _read(yaml_text, filename, KEYWORDS_SCHEMA)
    if data is None:
        return Keywords(file=filename), issues
    words = {
        command: {lang: tuple(ws) for lang, ws in per_lang.items()}
        for command, per_lang in data["keywords"].items()
    }
    unreviewed = frozenset(data.get("unreviewed", ()))
    return Keywords(words, unreviewed, filename, data.key_lines.get("keywords", 1)), issues


def load_bundle_texts(
    texts: Mapping[str, str], prefix: str = ""
) -> tuple[ContentBundle, list[ContentIssue]]:
    """Build a bundle from file texts keyed by their path inside the content folder
    (`flows/<id>.yml`, `answers/<intent>.yml`, `rules.yml`, `keywords.yml`), e.g. the
    versions stored in the database. Issues name `prefix + path`."""
    issues: list[ContentIssue] = []
    flows: dict[str, Flow] = {}
    answers: dict[str, Answer] = {}
    rules: tuple[Rule, ...] = ()
    keywords = Keywords()
    safety: tuple[SafetySign, ...] = ()
    seen: set[str] = set()
    for relative, text in sorted(texts.items()):
        path, name = PurePosixPath(relative), prefix + relative
        folder = path.parts[0] if len(path.parts) == 2 else ""
        if path.suffix not in (".yml", ".yaml"):
            continue
        if folder == "flows":
            flow, found = load_flow_text(text, name)
            issues += found
            if flow is not None:
                issues += _add_flow(flows, flow, path.stem)
        elif folder == "answers":
            intent, found_answers, found = load_answers_text(text, name)
            issues += found
            if intent is not None and intent != path.stem:
                issues.append(ContentIssue(
                    name, 1, None, None, f"intent {intent!r} differs from the file name",
                    f"rename the file to {intent}.yml",
                ))
            for key, answer in found_answers.items():
                if key in answers:
                    issues.append(ContentIssue(
                        answer.file, answer.line, None, key,
                        f"answer {key!r} is also written in {answers[key].file}", "keep one",
                    ))
                answers.setdefault(key, answer)
        elif relative == "rules.yml":
            rules, found = load_rules_text(text, name)
            issues += found
        elif relative == "keywords.yml":
            keywords, found = load_keywords_text(text, name)
            issues += found
        elif relative == "safety.yml":
            safety, found = load_safety_text(text, name)
            issues += found
        seen.add(relative)
    for needed in ("rules.yml", "keywords.yml"):
        if needed not in seen:
            issues.append(ContentIssue(
                prefix + needed, 1, None, None, "file is missing", "see docs/flows.md"
            ))
    return ContentBundle(flows, answers, rules, keywords, safety), issues


def _add_flow(flows: dict[str, Flow], flow: Flow, stem: str) -> list[ContentIssue]:
    issues = []
    if flow.id != stem:
        issues.append(ContentIssue(
            flow.file, flow.line, flow.id, None, f"flow id {flow.id!r} differs from the file name",
            f"rename the file to {flow.id}.yml or the flow to {stem}",
        ))
    if flow.id in flows:
        issues.append(ContentIssue(
            flow.file, flow.line, flow.id, None,
            f"flow {flow.id!r} is also defined in {flows[flow.id].file}", "keep one",
        ))
    else:
        flows[flow.id] = flow
    return issues


def load_bundle(root: Path) -> tuple[ContentBundle, list[ContentIssue]]:
    """Read everything under `root` (the content folder, layout in docs/flows.md)."""
    texts: dict[str, str] = {}
    issues: list[ContentIssue] = []
    for path in sorted(root.rglob("*.y*ml")):
        relative = path.relative_to(root).as_posix()
        try:
            texts[relative] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            issues.append(ContentIssue(path.as_posix(), 1, None, None, f"cannot read: {exc}", ""))
    bundle, found = load_bundle_texts(texts, prefix=f"{root.as_posix()}/")
    return bundle, issues + found
