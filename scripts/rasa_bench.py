"""Measure the running Rasa server (`make rasa-start`) on the held-out split, over HTTP.

    RASA_URL=http://127.0.0.1:5005 .venv/bin/python scripts/rasa_bench.py --out var/rasa-eval

The same figures as benchmarks/nlu_bench.py prints for the embedded engine: accuracy, macro F1,
per-language accuracy, junk rejected (out_of_scope or below the threshold on the gibberish /
off-topic file), acted on / precision, parse latency p50/p95 through RasaNLU (HTTP plus
language detection), the server's RSS (from its pid file) and the last training time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.base import OUT_OF_SCOPE, ParseResult  # noqa: E402
from bot.nlu.evaluation import evaluate_async  # noqa: E402
from bot.nlu.rasa_client import RasaNLU  # noqa: E402
from bot.nlu.training_data import TrainingData, read_training_data  # noqa: E402

THRESHOLD = 0.5  # config.yml nlu.threshold


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def acts(result: ParseResult) -> bool:
    return result.intent.name != OUT_OF_SCOPE and result.intent.confidence >= THRESHOLD


def server_memory(pidfile: Path) -> str:
    try:
        pid = pidfile.read_text().strip()
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return f"unknown (no running server in {pidfile})"
    fields = dict(line.split(":", 1) for line in status if ":" in line)
    rss = int(fields["VmRSS"].split()[0]) / 1024
    peak = int(fields["VmHWM"].split()[0]) / 1024
    return f"{rss:.0f} MB RSS (peak {peak:.0f} MB), pid {pid}"


async def run(args: argparse.Namespace) -> int:
    files = sorted(args.heldout.glob("*.yml"))
    junk_files = [p for p in files if p.stem.startswith("gibberish")]
    heldout = read_training_data([p for p in files if p not in junk_files])
    junk = read_training_data(junk_files) if junk_files else TrainingData()
    rasa = RasaNLU(args.url, timeout=30.0)
    try:
        status = await rasa.status()
        report = await evaluate_async(rasa, heldout, args.out)
        junk_results = [await rasa.parse(e.text) for e in junk.examples]
        in_scope = [e for e in heldout.examples if e.intent != OUT_OF_SCOPE]
        parsed = [(e, await rasa.parse(e.text)) for e in in_scope]
        texts = [e.text for e in heldout.examples + junk.examples]
        for text in texts[:5]:
            await rasa.parse(text)  # warm up
        timings = []
        for text in texts:
            started = time.perf_counter()
            await rasa.parse(text)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        await rasa.aclose()

    acted = [(e, r) for e, r in parsed if acts(r)]
    train_file = ROOT / "var" / "rasa-models" / "werkpad.train-seconds"
    trained = f"{train_file.read_text().strip()} s" if train_file.is_file() else "unknown"
    say(f"server             {args.url}, model {status.get('model_file')}")
    say(f"held-out           {report.total} examples + {len(junk.examples)} junk")
    say(f"training time      {trained} (last `scripts/rasa.sh train`)")
    say(f"accuracy           {report.accuracy:.3f} (base intents {report.base_accuracy:.3f})")
    say(f"macro F1           {report.macro_f1:.3f}")
    precision = sum(e.intent == r.intent.name for e, r in acted) / max(len(acted), 1)
    say(f"acted on           {len(acted) / max(len(parsed), 1):.2f} of in-scope texts "
        f"(confidence >= {THRESHOLD}), {precision:.2f} of those correct")
    rejected = sum(not acts(r) for r in junk_results) / max(len(junk_results), 1)
    say(f"junk rejected      {rejected:.2f} (out_of_scope or below {THRESHOLD})")
    say(f"parse latency      p50 {statistics.median(timings):.1f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[-1]:.1f} ms ({len(timings)} parses, HTTP)")
    say(f"server memory      {server_memory(args.pidfile)}")
    say("per language       accuracy (base)")
    for language, scores in report.per_language.items():
        say(f"  {language:4} {scores['accuracy']:.3f} ({scores['base_accuracy']:.3f})"
            f"  n={scores['support']:.0f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    parser.add_argument("--heldout", type=Path, default=ROOT / "tests" / "nlu_heldout")
    parser.add_argument("--pidfile", type=Path, default=ROOT / "var" / "rasa-server.pid")
    parser.add_argument("--out", type=Path, help="write the evaluation reports here")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
