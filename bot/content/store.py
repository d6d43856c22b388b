"""Content between the YAML files, the database and the running bot.

At run time the database is the source of truth: the newest published version of each file.
`import_directory` refuses to import content with errors, so the published version stays
untouched; `export_directory` writes the database's versions back to files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.glossary import Glossary, glossary_of
from bot.db import repositories as repo
from bot.db.session import make_engine, make_sessionmaker
from bot.errors import ContentError
from bot.flows.engine import FlowEngine
from bot.flows.issues import ContentIssue
from bot.flows.loader import load_bundle_texts
from bot.flows.model import ContentBundle
from bot.flows.slots import ResolveMunicipality
from bot.flows.validation import check_bundle
from bot.nlu.intents import BASE_INTENTS
from bot.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContentFile:
    kind: str  # flow | answers | rules | keywords
    key: str
    path: str  # relative to the content folder, e.g. flows/may_i_work.yml

    @classmethod
    def for_path(cls, relative: Path) -> ContentFile | None:
        parts = relative.parts
        if relative.suffix not in (".yml", ".yaml"):
            return None
        if len(parts) == 2 and parts[0] == "flows":
            return cls("flow", relative.stem, relative.as_posix())
        if len(parts) == 2 and parts[0] == "answers":
            return cls("answers", relative.stem, relative.as_posix())
        if parts == ("rules.yml",):
            return cls("rules", "rules", "rules.yml")
        if parts == ("keywords.yml",):
            return cls("keywords", "keywords", "keywords.yml")
        if parts == ("safety.yml",):
            return cls("safety", "safety", "safety.yml")
        if parts == ("glossary.yml",):
            return cls("glossary", "glossary", "glossary.yml")
        return None

    @classmethod
    def for_key(cls, kind: str, key: str) -> ContentFile:
        folder = {"flow": "flows/", "answers": "answers/"}.get(kind, "")
        return cls(kind, key, f"{folder}{key}.yml")


def read_directory(content_dir: Path) -> dict[ContentFile, str]:
    files: dict[ContentFile, str] = {}
    for path in sorted(content_dir.rglob("*.y*ml")):
        item = ContentFile.for_path(path.relative_to(content_dir))
        if item is not None:
            files[item] = path.read_text(encoding="utf-8")
    return files


def known_intents(settings: Settings) -> set[str]:
    """The DESIGN.md base intents plus every `base/sub` the NLU training data defines."""
    names = set(BASE_INTENTS)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(settings.path(settings.nlu.data_dir).glob("*.yml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, yaml.YAMLError) as exc:
            logger.error("cannot read %s for the intent list: %s", path, exc)
            continue
        items = data.get("nlu") if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            intent = item.get("intent") if isinstance(item, dict) else None
            if isinstance(intent, str) and intent.split("/")[0] in BASE_INTENTS:
                names.add(intent)
    return names


def validate(
    files: dict[ContentFile, str], settings: Settings
) -> tuple[ContentBundle, list[ContentIssue]]:
    texts = {f.path: text for f, text in files.items()}
    bundle, issues = load_bundle_texts(texts)
    issues += check_bundle(bundle, settings.languages.required, known_intents(settings))
    issues += glossary_of(texts, bundle.answers, settings.languages.required)[1]
    return bundle, issues


def load_directory(content_dir: Path) -> tuple[ContentBundle, list[ContentIssue]]:
    files = read_directory(content_dir)
    return load_bundle_texts({f.path: text for f, text in files.items()})


def check_directory(content_dir: Path, settings: Settings) -> list[ContentIssue]:
    if not content_dir.is_dir():
        raise ContentError(f"content folder {content_dir} does not exist")
    _bundle, issues = validate(read_directory(content_dir), settings)
    return issues


async def import_directory(content_dir: Path, settings: Settings, *, by: str = "import") -> int:
    """Check the folder; when it is clean, store every changed file as a new version."""
    files = read_directory(content_dir)
    _bundle, issues = validate(files, settings)
    if issues:
        for issue in issues:
            print(issue)
        print(f"not imported: {len(issues)} problem(s); the published content is unchanged")
        return 1
    engine = make_engine(settings.database_url)
    try:
        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            changed = await store_files(session, files, by=by)
    finally:
        await engine.dispose()
    print(f"imported {len(files)} content file(s), {changed} new version(s)")
    return 0


async def store_files(session: AsyncSession, files: dict[ContentFile, str], *, by: str) -> int:
    changed = 0
    for item, text in files.items():
        row = await repo.save_content_version(
            session, kind=item.kind, key=item.key, body=text, created_by=by
        )
        changed += row is not None
    return changed


# The kinds that make up the bot's content (flows/); the console also versions other kinds in
# the same table (the NLU examples, the unanswered-question marks), which are not content.
CONTENT_KINDS = frozenset({"flow", "answers", "rules", "keywords", "safety", "glossary"})


async def database_files(session: AsyncSession) -> dict[ContentFile, str]:
    rows = await repo.latest_content(session)
    return {ContentFile.for_key(r.kind, r.key): r.body for r in rows if r.kind in CONTENT_KINDS}


async def export_directory(out_dir: Path, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            files = await database_files(session)
    finally:
        await engine.dispose()
    for item, text in files.items():
        target = out_dir / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"exported {len(files)} content file(s) to {out_dir}")
    return 0


class ContentStore:
    """The content the bot runs on now, with its flow engine; reloaded after a publish."""

    def __init__(
        self, bundle: ContentBundle, resolve_municipality: ResolveMunicipality | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.bundle = bundle
        self.glossary = glossary or Glossary()
        self.resolve_municipality = resolve_municipality
        self.engine = FlowEngine(bundle, resolve_municipality)

    @classmethod
    async def from_database(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        resolve_municipality: ResolveMunicipality | None = None,
    ) -> ContentStore:
        async with sessions() as session:
            files = await database_files(session)
        if not files:
            logger.warning("no content in the database yet; using the files in %s "
                           "(run `python -m bot content import`)", settings.content.dir)
            files = read_directory(settings.path(settings.content.dir))
        bundle, issues = validate(files, settings)
        for issue in issues:
            logger.error("content problem: %s", issue)
        glossary, _ = glossary_of({f.path: text for f, text in files.items()}, bundle.answers,
                                  settings.languages.required)
        return cls(bundle, resolve_municipality, glossary)

    async def reload(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        fresh = await ContentStore.from_database(sessions, settings, self.resolve_municipality)
        self.bundle, self.engine, self.glossary = fresh.bundle, fresh.engine, fresh.glossary
