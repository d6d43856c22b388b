"""Check an edited content file against everything else, then publish it as a new version.

A change is refused when it brings a problem that the published content does not have (or any
problem in the edited file itself); then nothing is stored and the published version stays.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.store import ContentFile, database_files, read_directory, validate
from bot.db import repositories as repo
from bot.db.models import ContentVersion
from bot.flows.issues import ContentIssue
from bot.flows.model import ContentBundle
from bot.flows.yamlio import read_yaml, write_yaml
from bot.settings import Settings
from bot.web import accounts
from bot.web.deps import Viewer

EDITABLE_KINDS = ("answers", "flow")


@dataclass(frozen=True)
class Checked:
    bundle: ContentBundle
    issues: list[ContentIssue]  # only the problems this change brings

    @property
    def ok(self) -> bool:
        return not self.issues


async def current_files(session: AsyncSession, settings: Settings) -> dict[ContentFile, str]:
    """The published content, as the running bot loads it (files when the database is empty)."""
    files = await database_files(session)
    return files or read_directory(settings.path(settings.content.dir))


def check_change(
    files: dict[ContentFile, str], item: ContentFile, text: str, settings: Settings
) -> Checked:
    """Validate the content with `item` replaced by `text`; keep only the new problems."""
    _bundle, before = validate(files, settings)
    known = {_issue_key(i) for i in before if i.file != item.path}
    bundle, after = validate({**files, item: text}, settings)
    new = [i for i in after if i.file == item.path or _issue_key(i) not in known]
    return Checked(bundle, new)


def _issue_key(issue: ContentIssue) -> tuple[str, str | None, str | None, str]:
    return (issue.file, issue.flow, issue.step, issue.message)  # lines move when text changes


async def publish(
    session: AsyncSession, *, item: ContentFile, body: str, viewer: Viewer, action: str,
    detail: dict[str, object] | None = None,
) -> ContentVersion | None:
    """Store `body` as the newest published version and write the audit row; None when the
    body equals the newest version (nothing to publish)."""
    row = await repo.save_content_version(
        session, kind=item.kind, key=item.key, body=body, created_by=viewer.email[:64]
    )
    if row is not None:
        await accounts.audit(
            session, actor=viewer.email, action=action, user_id=viewer.user_id,
            target=f"{item.kind}/{item.key}", detail={"version": row.version, **(detail or {})},
        )
    return row


async def versions(session: AsyncSession, *, kind: str, key: str) -> list[ContentVersion]:
    rows = await session.scalars(
        select(ContentVersion).where(ContentVersion.kind == kind, ContentVersion.key == key)
        .order_by(ContentVersion.version.desc())
    )
    return list(rows.all())


async def version(
    session: AsyncSession, *, kind: str, key: str, number: int
) -> ContentVersion | None:
    return await session.scalar(
        select(ContentVersion).where(
            ContentVersion.kind == kind, ContentVersion.key == key,
            ContentVersion.version == number,
        )
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # add | del | hunk | meta | same
    text: str


def normalised(text: str) -> str | None:
    """The YAML re-written in the console's one layout (None when it does not parse), so a
    diff shows changed values, not a file's first change of layout (flow style, quotes)."""
    data, issues = read_yaml(text, "diff.yml")
    if data is None and issues:
        return None
    return write_yaml(_plain(data))


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def diff_lines(
    old: str, new: str, old_name: str, new_name: str, *, raw: bool = False
) -> list[DiffLine]:
    """A unified diff as typed lines, for the template to colour (and escape); of the
    normalised YAML unless `raw` (or unless either side does not parse)."""
    if not raw:
        old_n, new_n = normalised(old), normalised(new)
        if old_n is not None and new_n is not None:
            old, new = old_n, new_n
    out = []
    for line in difflib.unified_diff(
        old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=3
    ):
        if line.startswith(("---", "+++")):
            kind = "meta"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        out.append(DiffLine(kind, line))
    return out
