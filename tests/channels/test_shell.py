"""The terminal channel as a newcomer uses it: `python -m bot shell`, piped, in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.channels.shell import to_incoming
from bot.messages import Button, OutgoingMessage
from bot.settings import ROOT


def run(args: list[str], stdin: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=env, timeout=180,
    )


def test_piped_shell_prints_one_json_object_per_reply(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'shell.sqlite3'}"}
    assert run(["db", "upgrade"], "", env).returncode == 0
    assert run(["content", "import"], "", env).returncode == 0
    done = run(["shell", "--json", "--user", "newcomer"],
               "hello\ncmd:consent\ncan I work?\n1\n1\n3\n2\n1\n", env)
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert all({"text", "buttons", "flow", "step", "intent", "language"} <= r.keys()
               for r in replies)
    assert "Do you agree?" in replies[0]["text"]
    asked = [r for r in replies if "On what date did you apply" in r["text"]]
    assert asked and asked[-1]["flow"] == "may_i_work" and asked[-1]["step"] == "ask_date"
    assert any(r["intent"] == "can_i_work" for r in replies)


def test_a_number_presses_the_button_with_that_number() -> None:
    buttons = [Button("Yes", "answer:yes"), Button("No", "answer:no")]
    last = [OutgoingMessage("pick", "en", buttons)]
    pressed = to_incoming("2\n", user="u", lang=None, last=last)
    assert (pressed.kind, pressed.payload) == ("button", "answer:no")
    typed = to_incoming("7\n", user="u", lang=None, last=last)  # no 7th button: plain text
    assert (typed.kind, typed.text) == ("text", "7")
