"""The NLU training data as the console edits it: the files in `nlu/`, each overridden by the
newest version an admin published (content_versions, kind "nlu", key = the file's name).

Training reads the same merge: `nlu_source` writes it to a folder under the NLU cache, which
the engines then read like `nlu/` itself (and cache their model by its hash).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.store import ContentFile
from bot.db import repositories as repo
from bot.db.models import ContentVersion
from bot.errors import NLUError
from bot.nlu.annotations import AnnotationError, format_annotated, parse_annotated
from bot.nlu.normalize import clean, normalise
from bot.nlu.training_data import (
    TrainingData,
    data_hash,
    effective_texts,
    language_of_file,
    read_training_data,
    replace_examples,
)
from bot.settings import Settings
from bot.web.deps import Viewer
from bot.web.publishing import publish

KIND = "nlu"
MAX_EXAMPLE_CHARS = 300
MAX_EXAMPLES = 1000
PUBLISHED_FOLDER = "published"  # under nlu.cache_dir: the merged data and its model


async def published_texts(session: AsyncSession) -> dict[str, str]:
    """File name -> text of the newest published NLU version of each edited file."""
    return {row.key: row.body for row in await repo.latest_content(session, kind=KIND)}


def data_dir(settings: Settings) -> Path:
    return settings.path(settings.nlu.data_dir)


def effective_files(settings: Settings, overrides: dict[str, str]) -> dict[str, str]:
    """File name -> the text training reads (the published version, else the file)."""
    return {path.name: text for path, text in effective_texts([data_dir(settings)], overrides)}


def effective_data(settings: Settings, overrides: dict[str, str]) -> TrainingData:
    return read_training_data([data_dir(settings)], overrides)


def nlu_source(settings: Settings, overrides: dict[str, str]) -> tuple[Path, Path]:
    """(data folder, model cache folder) for training: `nlu/` itself when nothing was edited,
    else a folder holding the merged files (named by their hash, so it is written once)."""
    base, cache = data_dir(settings), settings.path(settings.nlu.cache_dir)
    if not overrides:
        return base, cache
    root = cache / PUBLISHED_FOLDER
    target = root / f"data-{data_hash([base], overrides)[:16]}"
    if not target.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=root, prefix=".data-"))
        for path, text in effective_texts([base], overrides):
            (staging / path.name).write_text(text, encoding="utf-8")
        try:
            os.replace(staging, target)
        except OSError:  # another process wrote the same folder first: same content
            shutil.rmtree(staging, ignore_errors=True)
    for old in root.glob("data-*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    return target, root


async def published_source(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> tuple[Path, Path]:
    """What the running bot trains its NLU from at start-up (see `nlu_source`)."""
    async with sessions() as session:
        overrides = await published_texts(session)
    return nlu_source(settings, overrides)


def language_file(settings: Settings, files: dict[str, str], lang: str) -> str | None:
    """The file that holds the examples of `lang` (`nl.yml`), when there is one."""
    name = f"{lang}.yml"
    if name in files:
        return name
    return next((n for n in sorted(files) if language_of_file(Path(n)) == lang), None)


@dataclass
class Counts:
    """Examples per intent and language, for the overview table."""

    intents: list[str]
    languages: list[str]
    table: Counter[tuple[str, str]] = field(default_factory=Counter)

    def total(self, intent: str) -> int:
        return sum(self.table[intent, lang] for lang in self.languages)


def count_examples(data: TrainingData, languages: list[str]) -> Counts:
    table = Counter((e.intent, e.language) for e in data.examples)
    return Counts(sorted({e.intent for e in data.examples}), languages, table)


def examples_of(data: TrainingData, intent: str, file_name: str) -> list[str]:
    """The annotated examples of `intent` in the file `file_name`, in file order."""
    return [format_annotated(e.text, e.entities) for e in data.examples
            if e.intent == intent and Path(e.file).name == file_name]


@dataclass
class Checked:
    examples: list[str]
    errors: list[str]


def check_examples(typed: str, *, intent: str, file_name: str, data: TrainingData) -> Checked:
    """Read the admin's text (one example a line, a leading `- ` allowed) and list every
    problem: empty lines, markup errors, duplicates, and examples another intent already has."""
    lines = typed.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    errors: list[str] = []
    if len(lines) > MAX_EXAMPLES:
        return Checked([], [f"At most {MAX_EXAMPLES} examples at once (this is {len(lines)})."])
    owners: dict[str, tuple[str, str]] = {}
    # a clash the data already had is not the admin's doing: only new lines are checked
    known = {normalise(e.text) for e in data.examples if e.intent == intent}
    for example in data.examples:
        if example.intent != intent:
            owners.setdefault(normalise(example.text), (example.intent, Path(example.file).name))
    seen: dict[str, int] = {}
    examples: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = clean(raw).strip()
        if line.startswith("- "):
            line = line[2:].strip()
        if not line or line == "-":
            errors.append(f"Line {number} is empty: write an example or remove the line.")
            continue
        if len(line) > MAX_EXAMPLE_CHARS:
            errors.append(f"Line {number} is {len(line)} characters long; an example has at "
                          f"most {MAX_EXAMPLE_CHARS}.")
            continue
        try:
            plain, _entities = parse_annotated(line)
        except AnnotationError as exc:
            errors.append(f"Line {number}: the entity markup is not valid: {exc}.")
            continue
        key = normalise(plain)
        if key in seen:
            errors.append(f"Line {number} repeats line {seen[key]} ({plain!r}); keep one.")
            continue
        seen[key] = number
        if key in owners and key not in known:
            other, where = owners[key]
            errors.append(f"Line {number} ({plain!r}) is already an example of {other!r} in "
                          f"{where}; one sentence can teach only one intent.")
            continue
        examples.append(line)
    return Checked(examples, errors)


async def save_examples(
    session: AsyncSession, *, settings: Settings, viewer: Viewer, file_name: str,
    intent: str, examples: list[str], action: str = "nlu.save",
) -> ContentVersion | None:
    """Publish `file_name` with `intent`'s examples replaced; None when nothing changed.
    Raises NLUError when the current file cannot be read or the result would not train."""
    overrides = await published_texts(session)
    files = effective_files(settings, overrides)
    if file_name not in files:
        raise NLUError(f"there is no NLU file {file_name!r}")
    body = replace_examples(files[file_name], file_name, intent, examples)
    read_training_data([data_dir(settings)], {**overrides, file_name: body})  # still readable
    item = ContentFile(KIND, file_name, file_name)
    return await publish(session, item=item, body=body, viewer=viewer, action=action,
                         detail={"intent": intent, "examples": len(examples)})


async def add_example(
    session: AsyncSession, *, settings: Settings, viewer: Viewer, lang: str, intent: str,
    text: str, action: str = "nlu.add",
) -> tuple[ContentVersion | None, list[str]]:
    """Append one example to `intent` in `lang`'s file; (version, problems)."""
    overrides = await published_texts(session)
    files = effective_files(settings, overrides)
    name = language_file(settings, files, lang)
    if name is None:
        return None, [f"There is no NLU file for the language {lang!r}."]
    data = read_training_data([data_dir(settings)], overrides)
    current = examples_of(data, intent, name)
    line = clean(text).strip().replace("\n", " ")
    if normalise(line) in {normalise(parse_annotated(e)[0]) for e in current}:
        return None, [f"{line!r} is already an example of {intent!r} in {name}."]
    checked = check_examples(line, intent=intent, file_name=name, data=data)
    if checked.errors:
        return None, [e.replace("Line 1", "The example") for e in checked.errors]
    row = await save_examples(session, settings=settings, viewer=viewer, file_name=name,
                              intent=intent, examples=[*current, *checked.examples],
                              action=action)
    return row, []
