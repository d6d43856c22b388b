"""Questions the bot could not answer, grouped by similarity, with their handled state.

A question is unanswered when the dialogue logged its incoming event with `meta.fallback`
(nothing matched, or no answer for the intent) or `meta.clarify` (an intent below
nlu.threshold: the bot asked "did you mean ..."), or when Rasa's own `nlu_fallback` intent was
stored; and the near misses (issue 13): in-flow messages that were no answer, a place alone,
and intents acted on with low confidence (`is_unanswered`). Only the text, language, intent
guess and time are read: never who asked.

Grouping: the NLU's normalisation (case, Arabic/Persian letter forms, digits), then word
sets compared by Jaccard similarity, per language, greedily around the most frequent texts.
Chosen over the embedded model's TF-IDF vectors because it works the same whichever engine
runs (Rasa, or none trained in this process), needs no model in memory, and an admin can see
why two questions were put together (they share most of their words). It misses paraphrases
with different words; those stay separate groups, which costs a click, not a wrong answer.

The handled/ignored marks live in one JSON content version (kind "unanswered"), keyed by a
hash of language + normalised text, so a mark covers every repeat of the same question.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repositories as repo
from bot.db.models import Event, utcnow
from bot.nlu.normalize import normalise
from bot.web.deps import Viewer

STATE_KIND = "unanswered"
STATE_KEY = "marks"
FALLBACK_INTENTS = frozenset({"nlu_fallback"})
SIMILARITY = 0.5  # token-set Jaccard at or above: the same question
# Acted on below this confidence: listed as a near miss ("unsure"). The dialogue acts from
# nlu.threshold (0.5) up; the band above it is where the embedded engine's wrong answers are.
UNSURE_BELOW = 0.65
LOOKBACK_DAYS = 90
MAX_EVENTS = 5000
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Asked:
    """One unanswered incoming message (no person)."""

    event_id: int
    at: datetime
    text: str
    language: str
    intent: str | None
    confidence: float | None
    why: str  # fallback | clarify | not an answer | place only | unsure (is_unanswered)
    suggestions: tuple[str, ...] = ()
    person: int = 0  # only counted, never shown
    # the words only: case, letter forms and punctuation do not make a new variant
    norm: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "norm", " ".join(_WORD.findall(normalise(self.text))))


@dataclass
class Group:
    key: str
    language: str
    members: list[Asked] = field(default_factory=list)
    state: str = "open"  # open | handled | ignored
    note: str = ""

    @property
    def variants(self) -> list[tuple[str, int]]:
        """Each distinct text (first spelling seen) with how often it was asked."""
        counts = Counter(m.norm for m in self.members)
        first: dict[str, str] = {}
        for member in sorted(self.members, key=lambda m: m.at):
            first.setdefault(member.norm, member.text)
        return [(first[n], c) for n, c in counts.most_common()]

    @property
    def text(self) -> str:
        return self.variants[0][0]

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def people(self) -> int:
        return len({m.person for m in self.members})

    @property
    def last_seen(self) -> datetime:
        return max(m.at for m in self.members)

    @property
    def why(self) -> str:
        kinds = Counter(m.why for m in self.members)
        return ", ".join(f"{k} ×{n}" for k, n in kinds.most_common())

    @property
    def guesses(self) -> list[str]:
        """The intents the NLU thought of (best first): a starting point for the admin."""
        counts: Counter[str] = Counter()
        for member in self.members:
            for name in member.suggestions:
                counts[name] += 2
            if member.intent and member.intent not in ("out_of_scope", *FALLBACK_INTENTS):
                counts[member.intent] += 1
        return [name for name, _ in counts.most_common(5)]


def is_unanswered(event: Event) -> str | None:
    """Why an incoming message belongs on the list, else None: 'fallback' (nothing matched),
    'clarify' (the bot asked "did you mean ..."), and the near misses: 'not an answer' (typed
    inside a flow, neither an answer nor a question the bot could answer), 'place only' (a
    place and nothing else: the bot asked what about it), 'unsure' (acted on an intent with a
    confidence below UNSURE_BELOW: maybe the wrong answer)."""
    meta = event.meta or {}
    if meta.get("fallback") or (event.intent in FALLBACK_INTENTS):
        return "fallback"
    if meta.get("clarify"):
        return "clarify"
    if meta.get("not_an_answer"):
        return "not an answer"
    if meta.get("place"):
        return "place only"
    confidence = event.confidence
    if (event.intent and event.intent not in ("out_of_scope", *FALLBACK_INTENTS)
            and confidence is not None and confidence < UNSURE_BELOW):
        return "unsure"
    return None


async def load_asked(
    session: AsyncSession, *, now: datetime | None = None, days: int = LOOKBACK_DAYS,
    limit: int = MAX_EVENTS,
) -> list[Asked]:
    since = (now or utcnow()) - timedelta(days=days)
    rows = await session.scalars(
        select(Event).where(Event.direction == "in", Event.text.is_not(None), Event.at >= since)
        .order_by(Event.at.desc()).limit(limit)
    )
    out = []
    for event in rows:
        why = is_unanswered(event)
        text = (event.text or "").strip()
        if why is None or not _WORD.search(normalise(text)):
            continue
        clarify = (event.meta or {}).get("clarify") or []
        out.append(Asked(
            event_id=event.id, at=event.at, text=text, language=event.language or "und",
            intent=event.intent, confidence=event.confidence, why=why,
            suggestions=tuple(str(c) for c in clarify if isinstance(c, str)),
            person=event.person_id,
        ))
    return out


def words(norm: str) -> frozenset[str]:
    return frozenset(_WORD.findall(norm))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def mark_key(language: str, norm: str) -> str:
    return hashlib.sha256(f"{language}\0{norm}".encode()).hexdigest()[:16]


def group_questions(asked: list[Asked], threshold: float = SIMILARITY) -> list[Group]:
    """Similar questions together, per language; biggest and most recent groups first.

    The most frequent texts seed the groups (so a group is named after its common form);
    each other text joins the most similar seed at or above `threshold`. Candidate seeds come
    from an index of each seed's rarest words (prefix filtering: two word sets with Jaccard
    >= t share a word among the first |x| - ceil(t|x|) + 1 of each, rarest first), so 5,000
    different texts group in well under a second instead of comparing every pair.
    """
    by_norm: dict[tuple[str, str], list[Asked]] = {}
    for item in asked:
        by_norm.setdefault((item.language, item.norm), []).append(item)
    order = sorted(by_norm.items(), key=lambda kv: (
        -len(kv[1]), -max(a.at for a in kv[1]).timestamp(), kv[0]))
    frequency = Counter(word for (_lang, norm) in by_norm for word in words(norm))

    def prefix(tokens: frozenset[str]) -> list[str]:
        ranked = sorted(tokens, key=lambda w: (frequency[w], w))
        return ranked[: len(ranked) - math.ceil(threshold * len(ranked)) + 1]

    groups: list[Group] = []
    seeds: list[frozenset[str]] = []
    index: dict[tuple[str, str], list[int]] = {}
    for (language, norm), items in order:
        tokens = words(norm)
        candidates = {i for w in prefix(tokens) for i in index.get((language, w), ())}
        best, best_score = -1, 0.0
        for i in sorted(candidates):
            score = jaccard(tokens, seeds[i])
            if score >= threshold and score > best_score:
                best, best_score = i, score
        if best < 0:
            best = len(groups)
            groups.append(Group(mark_key(language, norm), language))
            seeds.append(tokens)
            for word in prefix(tokens):
                index.setdefault((language, word), []).append(best)
        groups[best].members.extend(items)
    groups.sort(key=lambda g: (-g.count, -g.last_seen.timestamp()))
    return groups


# -- handled / ignored marks --------------------------------------------------------------


async def load_state(session: AsyncSession) -> dict[str, Any]:
    """{"marks": {key: {state, by, at, note}}, "drafts": [FAQ drafts]} (empty when none)."""
    rows = await repo.latest_content(session, kind=STATE_KIND)
    for row in rows:
        if row.key == STATE_KEY:
            try:
                data = json.loads(row.body)
            except ValueError:
                break
            if isinstance(data, dict):
                marks, drafts = data.get("marks"), data.get("drafts")
                return {"marks": marks if isinstance(marks, dict) else {},
                        "drafts": drafts if isinstance(drafts, list) else []}
    return {"marks": {}, "drafts": []}


def apply_marks(groups: list[Group], marks: dict[str, dict[str, Any]]) -> None:
    """A group is ignored when all its texts are; handled when all are handled (or ignored)
    and nobody asked again after the mark; otherwise open."""
    for group in groups:
        found: list[tuple[dict[str, Any], Asked]] = []
        for member in group.members:
            mark = marks.get(mark_key(group.language, member.norm))
            if not isinstance(mark, dict):
                found = []
                break
            found.append((mark, member))
        if not found:
            continue
        states = {m.get("state") for m, _ in found}
        if states == {"ignored"}:
            group.state = "ignored"
        elif states <= {"handled", "ignored"} and all(
            member.at <= _when(mark) for mark, member in found
        ):
            group.state = "handled"
        notes = [str(m.get("note")) for m, _ in found if m.get("note")]
        group.note = notes[-1] if notes else ""


def _when(mark: dict[str, Any]) -> datetime:
    try:
        return datetime.fromisoformat(str(mark.get("at")))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


async def save_marks(
    session: AsyncSession, *, group: Group, state: str, viewer: Viewer, note: str = "",
    draft: dict[str, str] | None = None, now: datetime | None = None,
) -> None:
    """Mark every text of `group` (state open removes the marks), optionally keep a FAQ
    draft; stored as a new version of the one JSON document."""
    from bot.content.store import ContentFile
    from bot.web.publishing import publish

    data = await load_state(session)
    marks: dict[str, Any] = data["marks"]
    at = (now or utcnow()).isoformat()
    for member in group.members:
        key = mark_key(group.language, member.norm)
        if state == "open":
            marks.pop(key, None)
        else:
            marks[key] = {"state": state, "by": viewer.email, "at": at, "note": note[:200]}
    if draft is not None:
        data["drafts"] = [*data["drafts"][-49:], {**draft, "by": viewer.email, "at": at}]
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    await publish(session, item=ContentFile(STATE_KIND, STATE_KEY, f"{STATE_KEY}.json"),
                  body=body, viewer=viewer, action=f"unanswered.{state}",
                  detail={"group": group.key, "language": group.language})
