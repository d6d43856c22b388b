"""The glossary in a conversation: a Dutch term asked about gets its one plain line (sourced
and dated), then the fuller FAQ answer when the term has one; /glossary or a glossary word
gets every line. The words and question forms are content (flows/glossary.yml)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogue.flows import FlowRunner
from bot.dialogue.render import Rendered
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
    parts = [await r.text(t.text.texts, turn.lang) for t in terms]
    body = "\n\n".join(part.text for part in parts)
    if term is None:
        body = f"{(await r.text(glossary.title.texts, turn.lang)).text}\n\n{body}"
    rendered = Rendered(
        body, turn.lang, machine_translated=any(p.machine_translated for p in parts),
        fallback_english=any(p.fallback_english for p in parts),
    )
    links, checked = FlowRunner._links(
        dict.fromkeys(s for t in terms for s in t.sources))  # each source once, in order
    buttons = [] if term is None else [
        Button((await r.text(glossary.button.texts, turn.lang)).text, "cmd:glossary")]
    buttons.append(Button(await r.ui_text("button.menu", turn.lang), "cmd:menu"))
    turn.meta["glossary"] = term.id if term is not None else "*"
    turn.replies.append(await r.message(
        rendered, turn.lang, buttons=buttons, links=links, checked=checked))
    if term is not None and term.answer:
        await policy._act_on_intent(turn, term.answer)  # the policy's own path for an intent
    elif turn.state.flow_id:
        await policy._offer_resume(turn)
    return True
