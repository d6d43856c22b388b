"""The glossary in a conversation: a Dutch term asked about gets its one plain line (sourced
and dated), then the fuller FAQ answer when the term has one; /glossary or a glossary word
gets every line. The words and question forms are content (flows/glossary.yml)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.content.provenance import provenance
from bot.dialogue.flows import FlowRunner
from bot.dialogue.render import Rendered
from bot.flows.engine import depends_on, values_of
from bot.flows.render import render
from bot.messages import Button

if TYPE_CHECKING:
    from bot.content.glossary import Term
    from bot.dialogue.manager import Turn
    from bot.dialogue.policy import Policy


async def glossary_reply(policy: Policy, turn: Turn, *, listing: bool) -> bool:
    """Answer from the glossary when the message asks for it; False when it does not."""
    glossary = policy.s.content.glossary
    term = None if listing else glossary.match(turn.text)
    if term is None and not (listing or glossary.is_command(turn.text)):
        return False
    if not glossary.terms:  # no glossary published: say what the bot can do instead
        await policy.flows.start(turn, "main_menu")
        return True
    terms: list[Term] = [term] if term is not None else list(glossary.terms)
    r = policy.s.renderer
    bundle = policy.s.content.bundle
    parts = []
    for t in terms:  # rule values in a line ({work_wait_months}) are filled like an answer's
        text, used = render(t.text, turn.lang, values_of(bundle, turn.today))
        parts.append(await r.fallback(text, used, turn.lang))
    body = "\n\n".join(part.text for part in parts)
    if term is None:
        body = f"{(await r.text(glossary.title.texts, turn.lang)).text}\n\n{body}"
    rendered = Rendered(
        body, turn.lang, machine_translated=any(p.machine_translated for p in parts),
        fallback_english=any(p.fallback_english for p in parts),
    )
    sources = list(dict.fromkeys(s for t in terms for s in t.sources))  # each once, in order
    links = FlowRunner._links(sources)
    buttons = [] if term is None else [
        Button((await r.text(glossary.button.texts, turn.lang)).text, "cmd:glossary")]
    buttons.append(Button(await r.ui_text("button.menu", turn.lang), "cmd:menu"))
    turn.meta["glossary"] = term.id if term is not None else "*"
    turn.replies.append(await r.message(
        rendered, turn.lang, buttons=buttons, links=links,
        provenance=provenance(sources, turn.today)))
    await policy.flows.add_notices(turn, [
        rule for t in terms for rule in depends_on(bundle, t.text)])
    if term is not None and term.answer:
        await policy._act_on_intent(turn, term.answer)  # the policy's own path for an intent
    elif turn.state.flow_id:
        await policy._offer_resume(turn)
    return True
