"""What the whole bot does with off-topic messages, and which language it answers in.

    .venv/bin/python benchmarks/understanding_bench.py            # both parts
    .venv/bin/python benchmarks/understanding_bench.py --part offtopic
    .venv/bin/python benchmarks/understanding_bench.py --part language --hint en

The bot is built as `make run` builds it (config.yml, the embedded NLU trained from nlu/ or
loaded from var/nlu-cache, flows/ imported into a temporary SQLite database). Every message is
sent by a new person who has agreed to the privacy notice, through `Dialogue.handle`.

off-topic (tests/nlu_offtopic, held out, never trained on): each message's outcome, read from
the stored event and the replies: a safety warning, a coach request (a ticket), a flow started,
a topic answer, a question back (clarify, "what about this place?"), small talk, or the
fallback ("I can't help with that"). The issue's targets: >= 95 % not acted on (fallback,
question back or small talk), <= 2 % given a topic answer, a flow, a coach or a safety warning.

language (every held-out sentence of three words or more, tests/nlu_heldout,
tests/nlu_paraphrase, tests/nlu_offtopic): the language of the bot's first reply, against the
language the sentence's file declares, with no hint or with `--hint` (a phone set to English:
the adversarial case). Then "never switched by a single short message": a person who wrote two
sentences in their language sends one of SHORT; the reply must stay in their language.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bot.app import build_services  # noqa: E402
from bot.content.store import read_directory, store_files  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.db.models import Event, Person  # noqa: E402
from bot.db.session import make_engine, make_sessionmaker  # noqa: E402
from bot.dialogue.manager import Dialogue  # noqa: E402
from bot.handoff.models import Ticket  # noqa: E402
from bot.language.detect import word_count  # noqa: E402
from bot.messages import IncomingMessage, OutgoingMessage  # noqa: E402
from bot.nlu.training_data import Example, read_training_data  # noqa: E402
from bot.settings import load_settings  # noqa: E402

CHANNEL = "bench"
ACTED = ("safety", "coach", "flow", "topic answer")
NOT_ACTED = ("fallback", "question back", "small talk")
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})
# Short messages that say nothing about a person's language (or say another one).
SHORT = ("ok", "yes", "no", "BSN?", "TWV", "thanks", "👍", "hallo", "merci", "ok ok", "1",
         "salam", "IND brief")


def held_out(*folders: str) -> list[Example]:
    files = [p for f in folders for p in sorted((ROOT / "tests" / f).glob("*.yml"))
             if not p.stem.startswith("gibberish")]
    return read_training_data(files).examples


class Bot:
    def __init__(self, dialogue: Dialogue) -> None:
        self.dialogue = dialogue
        self.run = secrets.token_hex(4)
        self.count = 0

    def person(self) -> str:
        self.count += 1
        return f"{self.run}-{self.count}"

    async def say(self, who: str, text: str, hint: str | None = None,
                  kind: str = "text", payload: str | None = None) -> list[OutgoingMessage]:
        return await self.dialogue.handle(IncomingMessage(
            channel=CHANNEL, external_id=who, kind=kind, text=text, payload=payload,  # type: ignore[arg-type]
            lang_hint=hint))

    async def agreed(self, hint: str | None = None) -> str:
        who = self.person()
        await self.say(who, "", hint, kind="button", payload="cmd:consent")
        return who


async def outcome(bot: Bot, who: str, text: str) -> str:
    replies = await bot.say(who, text)
    s = bot.dialogue.s
    async with s.sessions() as session:
        person = await session.scalar(select(Person).where(Person.external_id == who))
        assert person is not None
        event = await session.scalar(
            select(Event).where(Event.person_id == person.id, Event.direction == "in")
            .order_by(Event.id.desc()).limit(1))
        tickets = await session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.person_id == person.id))
    meta = dict(event.meta) if event is not None else {}
    intent = (event.intent or "") if event is not None else ""
    if meta.get("safety"):
        return "safety"
    if tickets:
        return "coach"
    flows = {r.meta.get("flow") for r in replies} - {None, "main_menu"}
    if flows:
        return "flow"
    if meta.get("fallback"):
        return "fallback"
    buttons = [b.payload for r in replies for b in r.buttons]
    if meta.get("place") or any(b.startswith("intent:") for b in buttons):
        return "question back"
    if intent.split("/")[0] in SMALL_TALK:
        return "small talk"
    return "topic answer"


async def offtopic(bot: Bot) -> None:
    examples = held_out("nlu_offtopic")
    by_lang: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    wrong: list[tuple[str, str, str]] = []
    for e in examples:
        who = await bot.agreed()
        got = await outcome(bot, who, e.text)
        by_lang[e.language][got] += 1
        if got in ACTED:
            wrong.append((e.language, got, e.text))
    total: collections.Counter[str] = sum(by_lang.values(), collections.Counter())
    n = sum(total.values())
    print(f"\n## Off-topic messages through the dialogue: {n} (tests/nlu_offtopic)\n")
    print("| language | " + " | ".join(ACTED + NOT_ACTED) + " | not acted on |")
    print("|---" * (len(ACTED) + len(NOT_ACTED) + 2) + "|")
    for lang, counts in [*sorted(by_lang.items()), ("all", total)]:
        size = sum(counts.values())
        kept = sum(counts[k] for k in NOT_ACTED) / size
        print(f"| {lang} | " + " | ".join(str(counts[k]) for k in ACTED + NOT_ACTED)
              + f" | {kept:.3f} |")
    acted = sum(total[k] for k in ACTED)
    print(f"\nnot acted on {1 - acted / n:.3f} (target >= 0.95); topic answer, flow, coach or "
          f"safety {acted / n:.3f} (target <= 0.02)")
    for lang, got, text in wrong[:40]:
        print(f"  {lang} {got}: {text}")


async def language(bot: Bot, hint: str | None) -> None:
    examples = [e for e in held_out("nlu_heldout", "nlu_paraphrase", "nlu_offtopic")
                if word_count(e.text) >= 3]
    right: dict[str, list[bool]] = collections.defaultdict(list)
    misses: collections.Counter[tuple[str, str]] = collections.Counter()
    for e in examples:
        replies = await bot.say(bot.person(), e.text, hint)
        got = replies[0].language if replies else ""
        right[e.language].append(got == e.language)
        if got != e.language:
            misses[(e.language, got)] += 1
    every = [ok for oks in right.values() for ok in oks]
    print(f"\n## Reply language, first message of three words or more (hint: {hint})\n")
    print("| language | right | n |\n|---|---|---|")
    for lang, oks in sorted(right.items()):
        print(f"| {lang} | {sum(oks) / len(oks):.3f} | {len(oks)} |")
    print(f"| all | {sum(every) / len(every):.3f} | {len(every)} |")
    print("commonest misses: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in
                                            misses.most_common(10)))
    # a history, then one short message
    switched: list[tuple[str, str, str]] = []
    firsts = collections.defaultdict(list)
    for e in examples:
        if len(firsts[e.language]) < 2:
            firsts[e.language].append(e.text)
    tried = 0
    for lang, (one, two) in sorted(firsts.items()):
        for short in SHORT:
            who = bot.person()
            await bot.say(who, one, hint)
            await bot.say(who, "", hint, kind="button", payload="cmd:consent")
            await bot.say(who, two, hint)
            replies = await bot.say(who, short, hint)
            tried += 1
            if replies and replies[0].language != lang:
                switched.append((lang, short, replies[0].language))
    print(f"\nswitched by one short message: {len(switched)} of {tried} "
          f"({len(firsts)} languages x {len(SHORT)} short messages; target 0)")
    for lang, short, got in switched[:20]:
        print(f"  {lang}: {short!r} -> {got}")


async def main_async(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="werkpad-understanding-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        engine = make_engine(url)
        await upgrade(engine)
        settings = load_settings(ROOT / "config.yml", env={"DATABASE_URL": url})
        async with make_sessionmaker(engine)() as session, session.begin():
            await store_files(session, read_directory(ROOT / "flows"), by="bench")
        dialogue = Dialogue(await build_services(settings, engine=engine))
        bot = Bot(dialogue)
        if args.part in ("offtopic", "all"):
            await offtopic(bot)
        if args.part in ("language", "all"):
            await language(bot, args.hint)
        await engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("offtopic", "language", "all"), default="all")
    parser.add_argument("--hint", default=None, help="the channel's language hint, e.g. en")
    asyncio.run(main_async(parser.parse_args()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
