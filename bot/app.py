"""Building the running application from Settings: storage, NLU, content, dialogue, web app.

Nothing is created at import time; `build_services` is called once at start-up (and by tests
with their own settings, database and clock).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.content.store import ContentStore
from bot.content.strings import Strings
from bot.db.session import make_engine, make_sessionmaker
from bot.delivery import Delivery, WebOutbound
from bot.dialogue.manager import Dialogue, Services
from bot.dialogue.render import Renderer
from bot.jobs.places import Places
from bot.language.translation import NoTranslator, Translator
from bot.nlu.base import NLUEngine
from bot.nlu.pivot import PivotNLU
from bot.settings import Settings

logger = logging.getLogger(__name__)


def make_clock(settings: Settings) -> Callable[[], date]:
    """Today's date in the configured time zone (the Netherlands), not the server's."""
    zone = ZoneInfo(settings.timezone)
    return lambda: datetime.now(zone).date()


def load_nlu(settings: Settings, source: tuple[Path, Path] | None = None) -> NLUEngine:
    """The configured NLU engine; the embedded one trains (or loads its cache) here, from
    `source` (data folder, cache folder) when given: the console's published examples."""
    from bot.nlu.cli import make_engine as make_nlu_engine

    data_dir, cache_dir = source or (settings.path(settings.nlu.data_dir),
                                     settings.path(settings.nlu.cache_dir))
    return make_nlu_engine(
        settings.nlu.engine,
        data_dir=data_dir,
        cache_dir=cache_dir,
        threshold=settings.nlu.threshold,
        rasa_url=settings.secrets.rasa_url,
    )


def make_translator(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> Translator:
    """googletrans when an admin switched online translation on; otherwise none at all."""
    if not settings.translation.online:
        return NoTranslator()
    from bot.language.translate import DatabaseCache, GoogleTranslator

    return GoogleTranslator(timeout=settings.translation.timeout_seconds,
                            cache=DatabaseCache(sessions))


def load_places() -> Places:
    return Places.load()


def municipality_resolver(places: Places) -> Callable[[str], str | None]:
    """What a person typed -> the GM code of the one municipality it names, else None."""

    def resolve(text: str) -> str | None:
        match = places.resolve(text)
        return match.municipality_code if match is not None else None

    return resolve


async def build_services(
    settings: Settings,
    *,
    engine: AsyncEngine | None = None,
    nlu: NLUEngine | None = None,
    translator: Translator | None = None,
    today: Callable[[], date] | None = None,
    places: Places | None = None,
) -> Services:
    from bot.db import crypto

    crypto.configure(settings.secrets.encryption_key)  # message text at rest
    engine = engine or make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    places = places if places is not None else load_places()
    content = await ContentStore.from_database(
        sessions, settings, municipality_resolver(places) if places is not None else None
    )
    strings = Strings.load()
    translator = translator or make_translator(settings, sessions)
    if nlu is None:
        from bot.web.nlu_store import published_source

        nlu = load_nlu(settings, await published_source(sessions, settings))
    engine_nlu = nlu
    if settings.translation.online:
        engine_nlu = PivotNLU(engine_nlu, translator, settings.nlu.threshold)
    delivery = Delivery()
    delivery.register("web", WebOutbound(sessions))
    return Services(
        delivery=delivery,
        settings=settings,
        engine=engine,
        sessions=sessions,
        nlu=engine_nlu,
        content=content,
        renderer=Renderer(strings, translator),
        places=places,
        today=today or make_clock(settings),
    )


def build_web_app(
    settings: Settings,
    dialogue: Dialogue,
    *,
    on_content_published: Sequence[Callable[[], Awaitable[None]]] = (),
) -> FastAPI:
    """The one web app: the web chat at /, the admin and coach console under /console.

    After the console publishes content, the dialogue's ContentStore reloads, then each of
    `on_content_published` runs (e.g. to tell other processes to reload too).
    """
    from bot.channels.web.router import build_chat_router
    from bot.content.languages import LANGUAGE_NAMES
    from bot.web.console import build_console, mount_console

    app = FastAPI(title="Werkpad", docs_url=None, redoc_url=None, openapi_url=None)
    languages = {code: LANGUAGE_NAMES[code] for code in settings.languages.supported}
    app.include_router(build_chat_router(
        dialogue, languages=languages, default_language=settings.languages.default,
        start_payload="cmd:menu",
    ))
    from bot.channels.web.employer import build_employer_router
    from bot.flows.engine import values_of

    app.include_router(build_employer_router(
        values=lambda: values_of(dialogue.s.content.bundle, dialogue.s.today())))

    services = dialogue.s
    console = build_console(
        settings, sessions=services.sessions, translator=services.renderer.translator,
        today=services.today, content=services.content, on_publish=list(on_content_published),
    )
    mount_console(app, console, nlu_holder=services)
    from bot.handoff.coaches import Coaches
    from bot.web.deps import Gate
    from bot.web.routes_tickets import build_ticket_router

    app.include_router(build_ticket_router(console, Gate(console), Coaches(services)))

    from bot.ops.routes import mount_operations

    # /healthz, /readyz, /metrics (localhost or METRICS_TOKEN); measures the dialogue too
    mount_operations(app, dialogue)
    from bot.web.nul_guard import RefuseNulBytes

    app.add_middleware(RefuseNulBytes)
    return app
