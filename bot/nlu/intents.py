"""The intent names fixed by DESIGN.md; flows, evaluation and analytics rely on them."""

BASE_INTENTS: frozenset[str] = frozenset({
    "greet", "goodbye", "thank", "affirm", "deny", "help", "request_human", "change_language",
    "can_i_work", "work_permit", "documents", "income_rules", "find_job", "volunteer_work",
    "education", "labour_rights", "after_permit", "asylum_procedure", "out_of_scope",
    "bot_challenge", "forget_me",
})


def is_known_intent(name: str) -> bool:
    """`documents` and `documents/bsn` are known when the base name is one of ours."""
    base, _, sub = name.partition("/")
    return base in BASE_INTENTS and (not _ or bool(sub))
