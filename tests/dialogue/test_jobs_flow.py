"""The jobs flow end to end: where the person lives, the kind of work, then the leads nearby
(imported from a small CSV, as an operator would), with a coach to arrange the contact."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.session import make_sessionmaker
from bot.jobs.importer import import_file
from bot.jobs.places import Places
from bot.messages import IncomingMessage
from tests.dialogue.conftest import TODAY, MakeDialogue
from tests.support.dialog import Chat

HEADER = ("employer", "title", "sector", "municipality", "hours_min", "hours_max",
          "language_level", "twv_willing", "contact_route", "valid_until", "source", "notes",
          "is_sample")
LEADS = [
    ("Schoonmaak De Kempen BV", "Schoonmaker kantoren", "cleaning", "Budel", "16", "24", "none",
     "ja", "Coach team Kempen (ask for Sanne)", "31-03-2027", "WSP", "", "nee"),
    ("Uitzendbureau Weert", "Magazijnmedewerker", "logistics", "Weert", "32", "40", "A1", "ja",
     "Coach team Weert", "2027-06-30", "WSP", "", "nee"),
    ("Bungalowpark De Heide", "Schoonmaker vakantiehuizen", "cleaning", "Cranendonck", "12",
     "24", "none", "nee", "Coach team Kempen", "2027-06-30", "WSP", "", "nee"),
    ("Hotel Eindhoven", "Afwasser", "hospitality", "Eindhoven", "20", "32", "none", "ja",
     "Coach team Eindhoven", "2026-11-27", "WSP", "", "nee"),
    ("Voorbeeld Schoonmaak Brainport (SAMPLE)", "Schoonmaker", "cleaning", "Eindhoven", "20",
     "20", "A2", "ja", "Coach team Eindhoven", "2027-06-30", "", "", "ja"),
    ("Schoonmaak Amstel", "Schoonmaker", "cleaning", "Amsterdam", "16", "24", "none", "ja",
     "Coach team Amsterdam", "2027-06-30", "WSP", "", "nee"),
]
LEADS_CSV = "\n".join(";".join(fields) for fields in (HEADER, *LEADS)) + "\n"


@pytest.fixture
async def leads(db_engine: AsyncEngine, places: Places, tmp_path: Path) -> None:
    """Import the leads above; one has expired today (TODAY), one employer won't get a TWV."""
    path = tmp_path / "leads.csv"
    path.write_text(LEADS_CSV, encoding="utf-8")
    report = await import_file(make_sessionmaker(db_engine), path, places=places, today=TODAY)
    assert report.exit_code == 1  # the expired row is rejected; the rest are imported
    assert [r.row for r in report.results if not r.ok] == [5]


async def ask_for_jobs(chat: Chat, place: str, sector: str) -> None:
    await chat.press("flow:jobs")
    chat.expect("In which municipality or reception location (azc) do you live?")
    await chat.say(place)
    chat.expect("What kind of work would you like?")
    await chat.press(sector)


@pytest.mark.usefixtures("leads")
async def test_leads_near_the_azc_are_listed_and_a_coach_arranges_the_contact(
    chat: Chat,
) -> None:
    await ask_for_jobs(chat, "I live in AZC Budel", "Cleaning")
    chat.expect(
        "Job leads near Cranendonck:",
        "1. Schoonmaker kantoren – Schoonmaak De Kempen BV, Cranendonck (in your municipality). "
        "16-24 hours a week. No Dutch needed. The employer will apply for a TWV.",
        "2. Schoonmaker – Voorbeeld Schoonmaak Brainport (SAMPLE), Eindhoven (21 km away). "
        "20 hours a week. Dutch at level A2. The employer will apply for a TWV. (example)",
        "3. Magazijnmedewerker – Uitzendbureau Weert, Weert (9 km away). 32-40 hours a week.",
        "leads marked (example) are sample data",
        "You do not contact the employer yourself: a coach arranges the contact",
        "You can also look for vacancies on werk.nl",  # the flow goes on
    )
    chat.expect_not("vakantiehuizen")  # the employer will not apply for a TWV
    chat.expect_not("Afwasser")  # expired yesterday
    chat.expect_not("Amsterdam")  # 150 km away while there are leads nearby
    chat.expect_not("Coach team")  # contact routes are for coaches, never for the person
    assert chat.buttons.count("cmd:coach") == 2  # under the leads, and in the flow's last step
    assert chat.last[0].meta["leads"] and len(chat.last[0].meta["leads"]) == 3


@pytest.mark.usefixtures("leads")
async def test_another_sector_shows_the_nearby_leads_with_a_note(chat: Chat) -> None:
    await ask_for_jobs(chat, "Budel", "Care")
    chat.expect("I found no leads in the kind of work you chose", "1. Schoonmaker kantoren")


@pytest.mark.usefixtures("leads")
async def test_a_shared_location_measures_from_where_the_person_is(chat: Chat) -> None:
    await chat.press("flow:jobs")
    await chat.send(IncomingMessage(channel="web", external_id=chat.user, kind="location",
                                    location=(51.2517, 5.7050)))  # in Weert
    await chat.press("Warehouse / logistics")
    chat.expect("Job leads near Weert:", "1. Magazijnmedewerker – Uitzendbureau Weert, Weert "
                "(in your municipality)", "2. Schoonmaker kantoren")


@pytest.mark.usefixtures("leads")
async def test_far_away_leads_are_shown_when_nothing_is_near_and_the_chat_says_so(
    chat: Chat,
) -> None:
    await ask_for_jobs(chat, "Zwolle", "Cleaning")
    chat.expect("Job leads near Zwolle:", "There are no leads within 60 km",
                "1. Schoonmaker – Schoonmaak Amstel, Amsterdam (")
    chat.expect_not("I found no leads in the kind of work you chose")


async def test_with_no_leads_the_person_is_sent_to_werk_nl_and_a_coach(chat: Chat) -> None:
    await ask_for_jobs(chat, "Zwolle", "Production")
    chat.expect("I have no current job leads near you", "werk.nl", "a coach can help you",
                "You can also look for vacancies on werk.nl")
    assert "cmd:coach" in chat.buttons


@pytest.mark.usefixtures("leads")
async def test_the_leads_speak_the_persons_language(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue(), lang="nl")
    await chat.agree()
    await ask_for_jobs_nl(chat)
    chat.expect(
        "Vacatures bij Cranendonck in de buurt:",
        "1. Schoonmaker kantoren – Schoonmaak De Kempen BV, Cranendonck (in jouw gemeente). "
        "16-24 uur per week. Geen Nederlands nodig. De werkgever vraagt een TWV aan.",
        "(voorbeeld)", "Je neemt niet zelf contact op met de werkgever",
    )


async def ask_for_jobs_nl(chat: Chat) -> None:
    await chat.press("flow:jobs")
    chat.expect("In welke gemeente")
    await chat.say("Ik woon in azc Budel")
    await chat.press("Schoonmaak")
