"""Files a reply can carry, made from their key when a channel sends them: nothing binary is
stored with the reply (the Telegram update ledger keeps only the key).

    employer_attachments()                  # the employer's page as PDF, Dutch and English
    attachment_bytes("employer:nl", bundle)  # the PDF, with today's rule values
"""

from __future__ import annotations

from datetime import date

from bot.content.employer import LANGUAGES, employer_pdf, employer_pdf_filename
from bot.errors import ContentError
from bot.flows.engine import values_of
from bot.flows.model import ContentBundle
from bot.messages import Attachment

EMPLOYER = "employer"


def employer_attachments() -> tuple[Attachment, ...]:
    """The employer's page as a PDF document in each of its languages (Dutch first)."""
    return tuple(Attachment("document", employer_pdf_filename(lang), f"{EMPLOYER}:{lang}")
                 for lang in LANGUAGES)


def attachment_bytes(key: str, bundle: ContentBundle, today: date | None = None) -> bytes:
    """The file for `key`; ContentError for a key this version does not know."""
    kind, _, lang = key.partition(":")
    if kind == EMPLOYER and lang in LANGUAGES:
        return employer_pdf(lang, values=values_of(bundle, today or date.today()))
    raise ContentError(f"unknown attachment {key!r}")
