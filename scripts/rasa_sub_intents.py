"""How Rasa's sub-intents should be read: the held-out split through a running Rasa server
(`POST /model/parse`), scored under several mapping rules (docs/nlu.md, "After the new
topics"). Prints full-name accuracy on in-scope texts and how many questions about a base
intent with a flow (can_i_work, find_job) a rule would send to a sub-intent instead.

    RASA_URL=http://127.0.0.1:5005 .venv/bin/python scripts/rasa_sub_intents.py
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.training_data import read_training_data  # noqa: E402

FLOW_BASES = ("can_i_work", "find_job")


def mapped(body: dict[str, Any], rule: str, minimum: float) -> str:
    base = str(body["intent"]["name"])
    selector = (body.get("response_selector") or {}).get("default") or {}
    response = selector.get("response") or {}
    if rule == "ranking":  # the mapping before 2026-12-06
        keys = [response.get("intent_response_key")] + [
            r.get("intent_response_key") for r in selector.get("ranking") or []]
        return next((k for k in keys if isinstance(k, str) and k.startswith(base + "/")), base)
    key = response.get("intent_response_key")
    if isinstance(key, str) and key.startswith(base + "/") \
            and float(response.get("confidence") or 0) >= minimum:
        return key
    return base


async def main() -> None:
    url = os.environ.get("RASA_URL", "http://127.0.0.1:5005")
    data = read_training_data([ROOT / "tests" / "nlu_heldout"])
    examples = [e for e in data.examples if e.intent != "out_of_scope"]
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        bodies = [(await client.post("/model/parse", json={"text": e.text})).json()
                  for e in examples]
    plain = sum(1 for e in examples if e.intent in FLOW_BASES)
    print(f"{len(examples)} in-scope held-out texts, {plain} of them plain "
          f"{' or '.join(FLOW_BASES)}")
    for rule, minimum in (("ranking", 0.0), ("answer", 0.0), ("answer", 0.3), ("answer", 0.5)):
        names = [mapped(b, rule, minimum) for b in bodies]
        right = sum(e.intent == n for e, n in zip(examples, names, strict=True))
        lost = sum(1 for e, n in zip(examples, names, strict=True)
                   if e.intent in FLOW_BASES and n.startswith(e.intent + "/"))
        label = "best under the base in the ranking" if rule == "ranking" else \
            f"selector's answer under the base, confidence >= {minimum}"
        print(f"{label:58} accuracy {right / len(examples):.3f}   "
              f"plain base sent to a sub-intent {lost} of {plain}")


if __name__ == "__main__":
    asyncio.run(main())
