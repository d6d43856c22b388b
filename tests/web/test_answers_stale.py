"""The `stale` list beside an answer's text: schema, loader, writer; and the editor's rules."""

from __future__ import annotations

from bot.flows.loader import load_answers_text
from bot.flows.writer import dump_answers
from bot.web.answers_doc import AnswersDoc, SourceRow, check_source_rows

FILE = """# header comment
intent: work_permit
answers:
  work_permit:
    text:
      en: "English"
      nl: "Nederlands"
      ar: "عربي"
      so: "Soomaali"
      unreviewed: [so]
    unreviewed: [ar]
    stale: [ar]
"""


def test_stale_is_read_and_written_back() -> None:
    _intent, answers, issues = load_answers_text(FILE, "answers/work_permit.yml")
    assert issues == []
    assert answers["work_permit"].stale == frozenset({"ar"})
    again = dump_answers("work_permit", answers)
    assert "    stale:\n      - ar\n" in again
    _intent, reread, issues = load_answers_text(again, "a.yml")
    assert issues == [] and reread == answers


def test_stale_must_be_a_list_of_language_codes() -> None:
    bad = FILE.replace("stale: [ar]", "stale: yes please")
    _intent, _answers, issues = load_answers_text(bad, "a.yml")
    assert issues and issues[0].line == 12


def test_statuses_and_the_inner_unreviewed_list_moves_beside_the_text() -> None:
    doc = AnswersDoc(FILE)
    assert [doc.status("work_permit", lang) for lang in ("en", "ar", "so", "ti")] == [
        "present", "stale", "unreviewed", "missing"]
    dumped = doc.dump()
    assert dumped.startswith("# header comment\n")
    _intent, answers, issues = load_answers_text(dumped, "a.yml")
    assert issues == [] and answers["work_permit"].text.unreviewed == {"ar", "so"}


def test_a_source_change_marks_every_other_language_stale_once() -> None:
    doc = AnswersDoc(FILE)
    assert doc.set_text("work_permit", "en", "New English", reviewed=False)
    assert {lang: doc.status("work_permit", lang) for lang in ("en", "nl", "ar", "so")} == {
        "en": "present", "nl": "stale", "ar": "stale", "so": "stale"}
    doc.set_text("work_permit", "nl", "Nieuw Nederlands", reviewed=False)  # catching up
    assert doc.status("work_permit", "en") == "present"
    assert doc.status("work_permit", "nl") == "present"
    doc.set_text("work_permit", "ar", "عربي جديد", reviewed=False)
    assert doc.status("work_permit", "ar") == "unreviewed"
    doc.set_text("work_permit", "so", "Soomaali cusub", reviewed=True)
    assert doc.status("work_permit", "so") == "present"
    assert not doc.set_text("work_permit", "so", "Soomaali cusub", reviewed=False)


def test_clearing_a_translation_removes_it_and_its_flags() -> None:
    doc = AnswersDoc(FILE)
    doc.set_text("work_permit", "ar", "", reviewed=False)
    assert doc.status("work_permit", "ar") == "missing"
    assert "stale" not in doc.answer("work_permit") and "ar" not in doc.dump()


def test_source_rows_are_checked_field_by_field() -> None:
    errors = check_source_rows([
        SourceRow("https://uwv.nl/x", "UWV", "2026-11-28"),
        SourceRow("https://uwv.nl/y", "UWV", "2026-02", seen="live", review_by="2027-01-31"),
        SourceRow("uwv.nl", "", "2026-02-30", review_by="soon", seen="maybe"),
    ])
    assert errors == {
        "source-2-url": "a source needs a web address starting with https://",
        "source-2-verified": "write when you compared the text with the page, as YYYY-MM-DD "
                             "or YYYY-MM",
        "source-2-review_by": "write the review date as YYYY-MM-DD, or leave it empty",
        "source-2-seen": "choose a saved copy or the live page",
    }
