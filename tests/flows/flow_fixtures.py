"""Small content written for the flow tests (independent of the real flows/ folder)."""

from __future__ import annotations

from bot.flows.issues import ContentIssue
from bot.flows.loader import load_bundle_texts
from bot.flows.model import ContentBundle

INTENTS = {
    "greet", "goodbye", "thank", "affirm", "deny", "help", "request_human", "change_language",
    "can_i_work", "work_permit", "documents", "income_rules", "find_job", "volunteer_work",
    "education", "labour_rights", "after_permit", "asylum_procedure", "out_of_scope",
    "bot_challenge", "documents/bsn",
}
REQUIRED = ("en", "nl")

ELIGIBILITY = """\
flow: eligibility
version: 3
title: {en: "May I work?", nl: "Mag ik werken?"}
start_intents: [can_i_work]
menu: true
steps:
  - id: ask_date
    ask:
      slot: application_date
      type: date
      text: {en: "When did you apply for asylum?", nl: "Wanneer heb je asiel aangevraagd?"}
      hint: {en: "Please write a date like 15-03-2025.", nl: "Schrijf een datum zoals 15-03-2025."}
      min: "2000-01-01"
      max: today
  - id: ask_reception
    ask:
      slot: coa_reception
      type: choice
      text: {en: "Do you live in a COA location?", nl: "Woon je op een COA-locatie?"}
      options:
        - {value: coa, label: {en: "Yes, COA", nl: "Ja, COA"}}
        - {value: other, label: {en: "No", nl: "Nee"}}
  - id: decide
    if:
      - when: "coa_reception != 'coa'"
        goto: to_coach
      - when: "today() >= add_months(application_date, rule('work_wait_months'))"
        goto: allowed
      - else: compute
  - id: compute
    set:
      work_from: "add_months(application_date, rule('work_wait_months'))"
  - id: not_yet
    say:
      text: {en: "You may work from {work_from}.", nl: "Je mag werken vanaf {work_from}."}
    next: done
  - id: allowed
    say:
      text:
        en: "You may work now (rules as of {rules_as_of})."
        nl: "Je mag nu werken (regels gecontroleerd {rules_as_of})."
      unreviewed: [nl]
      sources: [{title: "UWV", url: "https://www.uwv.nl/asiel", verified: "2026-11-28"}]
    next: ask_jobs
  - id: ask_jobs
    ask:
      slot: wants_jobs
      type: yes_no
      text: {en: "Shall I show jobs?", nl: "Zal ik vacatures laten zien?"}
  - id: jobs_or_done
    if:
      - when: "wants_jobs"
        goto: show_jobs
      - else: done
  - id: show_jobs
    jobs: {near: municipality}
  - id: to_coach
    handoff: {reason: eligibility_unclear}
  - id: done
    end:
      text: {en: "Good luck!", nl: "Succes!"}
"""

RULES = """\
rules:
  - id: work_wait_months
    value: 6
    unit: months
    status: in_force
    valid_from: null
    valid_to: null
    summary: {en: "Six months after the application.", nl: "Zes maanden na de aanvraag."}
    sources: [{url: "https://www.uwv.nl/asiel", verified: "2026-11-28"}]
  - id: work_wait_months
    value: 3
    unit: months
    status: proposed
    valid_from: "2027-01-01"
    valid_to: null
    summary: {en: "A proposal.", nl: "Een voorstel."}
    sources: [{url: "https://example.org/p", verified: "2026-10-01"}]
"""

KEYWORDS = """\
unreviewed: [ar, tr, ru, ti]
keywords:
  yes: {en: [yes, "y"], nl: [ja], ar: [نعم], tr: [evet], ru: [да], ti: [እወ]}
  no: {en: ["no", "n"], nl: [nee], ar: [لا], tr: [hayır], ru: [нет]}
  back: {en: [back], nl: [terug]}
"""

ANSWERS = """\
intent: documents
answers:
  documents:
    text: {en: "You need a W-document.", nl: "Je hebt een W-document nodig."}
    sources: [{title: "IND", url: "https://ind.nl/w", verified: "2026-11-01"}]
  documents/bsn:
    text: {en: "A BSN comes with BRP registration.", nl: "Een BSN krijg je bij inschrijving."}
    buttons: [{label: {en: "Permit steps", nl: "Stappen"}, payload: "flow:eligibility"}]
"""


def bundle_from(
    *flows: str, rules: str = RULES, keywords: str = KEYWORDS, answers: str = ANSWERS
) -> tuple[ContentBundle, list[ContentIssue]]:
    """A bundle from flow texts (file name = the flow id on their first line)."""
    texts = {"rules.yml": rules, "keywords.yml": keywords, "answers/documents.yml": answers}
    for text in flows:
        flow_id = text.split("\n", 1)[0].removeprefix("flow:").strip()
        texts[f"flows/{flow_id}.yml"] = text
    return load_bundle_texts(texts)
