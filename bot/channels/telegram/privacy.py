"""/forget: delete everything Werkpad keeps about one Telegram user."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.convert import CHANNEL
from bot.db import repositories as repo
from bot.handoff.desk import remember_topic_for_cleanup

logger = logging.getLogger(__name__)


async def forget_person(
    sessions: async_sessionmaker[AsyncSession], *, chat_id: int, update_id: int
) -> bool:
    """Delete the person (their state and events go with them) and the chat's ledger rows,
    in one transaction. The row of the update asking for it stays, without the chat number,
    so a redelivery of that update does not run again. Returns whether there was a person.

    Reminders, tickets and relayed messages go with the person (ON DELETE CASCADE).
    """
    async with sessions() as session, session.begin():
        person = await repo.find_person(session, channel=CHANNEL, external_id=str(chat_id))
        if person is not None:  # the coaches' topics about them go too (by the relay)
            await remember_topic_for_cleanup(session, person.id)
        found = await repo.delete_person(session, channel=CHANNEL, external_id=str(chat_id))
        await repo.forget_telegram_chat(session, chat_id=chat_id, keep_update_id=update_id)
    logger.info("forgot a Telegram person on request (%s)", "found" if found else "not known")
    return found
