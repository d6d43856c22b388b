"""Which language is a short message in? Compare the detectors on held-out sentences.

    .venv/bin/python benchmarks/language_bench.py

Every sentence of the held-out sets (tests/nlu_heldout, tests/nlu_paraphrase,
tests/nlu_offtopic; never trained on) carries the language its file declares. Each detector
names a language for each sentence without any hint; the table prints the share it got right
per language and per length (1, 2, 3-4 and 5+ words), and the time per call:

- cld2: pycld2 alone, best-effort, mapped onto our 13 codes (what detect_language used);
- lingua, lingua-low: lingua-language-detector (full and low-accuracy models), built for the
  9 of our languages it knows (no Tigrinya, Pashto, Sorani or Kurmanji); scored on those 9;
- head: the embedded NLU's language head (a linear model on character n-grams of nlu/);
- nlu: the language of the embedded engine's parse without a hint (the one decision the
  dialogue uses: script-certain letters, else the head), with how often it calls itself
  reliable and how often it is right then;
- detect: bot.language.detect.detect_language (script rules, then the Kurmanji check, then
  pycld2): what the Rasa engine and the coach relay use;
- detect+lingua-low: the same with lingua (low-accuracy) in place of pycld2.

lingua is measured when it is installed (`.venv/bin/pip install lingua-language-detector==2.1.1`);
it is not a dependency of Werkpad.
"""

from __future__ import annotations

import argparse
import functools
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.language import detect  # noqa: E402
from bot.language.detect import LANGUAGES  # noqa: E402
from bot.nlu.embedded import EmbeddedNLU  # noqa: E402
from bot.nlu.normalize import normalise  # noqa: E402
from bot.nlu.training_data import read_training_data  # noqa: E402

HELD_OUT = ("nlu_heldout", "nlu_paraphrase", "nlu_offtopic")
BUCKETS = ("1", "2", "3-4", "5+")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bucket(text: str) -> str:
    words = len(text.split())
    return "1" if words <= 1 else "2" if words == 2 else "3-4" if words <= 4 else "5+"


def sentences() -> list[tuple[str, str]]:
    files = [p for folder in HELD_OUT for p in sorted((ROOT / "tests" / folder).glob("*.yml"))
             if not p.stem.startswith("gibberish")]
    data = read_training_data(files)
    return [(e.text, e.language) for e in data.examples if e.language in LANGUAGES]


def cld2_only(text: str) -> str:
    _reliable, code, _percent = detect._cld2(detect.sanitise(text))
    if code == "ku":
        return "ckb" if detect._ARABIC_SCRIPT.search(text) else "kmr"
    return code if code in LANGUAGES else "en"


def detect_with_lingua(text: str) -> str:
    """detect_language with lingua (low-accuracy) in place of pycld2 after the script rules."""
    detect.USE_LINGUA = True
    try:
        return detect.detect_language(text).code
    finally:
        detect.USE_LINGUA = False


def language_head(engine: EmbeddedNLU) -> Callable[[str], str]:
    classifier = engine.classifier

    def guess(text: str) -> str:
        return classifier.predict(normalise(text)).language or "en"
    return guess


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--confusions", action="store_true", help="print the commonest errors")
    args = parser.parse_args()
    data = sentences()
    started = time.perf_counter()
    engine = EmbeddedNLU.train(read_training_data(sorted((ROOT / "nlu").glob("*.yml"))))
    print(f"{len(data)} held-out sentences; language head trained in "
          f"{time.perf_counter() - started:.1f} s")
    detectors: dict[str, tuple[Callable[[str], str], frozenset[str]]] = {
        "cld2": (cld2_only, frozenset(LANGUAGES)),
        "head": (language_head(engine), frozenset(LANGUAGES)),
        "nlu": (lambda t: engine.parse_sync(t).language, frozenset(LANGUAGES)),
        "detect": (lambda t: detect.detect_language(t).code, frozenset(LANGUAGES)),
    }
    for low in (True, False):  # low first: ru_maxrss is a peak
        before = rss_mb()
        if detect.lingua_detector(low_accuracy=low) is None:
            print("lingua-language-detector is not installed: not measured")
            break
        name = "lingua-low" if low else "lingua"
        print(f"{name}: models take {rss_mb() - before:.0f} MB")
        detectors[name] = (functools.partial(detect.lingua_only, low_accuracy=low),
                           frozenset(detect.LINGUA_CODES))
        if low:
            detectors["detect+lingua-low"] = (detect_with_lingua, frozenset(LANGUAGES))
    for name, (guess, covered) in detectors.items():
        report(name, guess, [(t, lang) for t, lang in data if lang in covered], args.confusions)
    reliability(engine, data)
    return 0


def reliability(engine: EmbeddedNLU, data: list[tuple[str, str]]) -> None:
    """How often the NLU calls its language reliable, and how often it is right then."""
    print("\n## nlu: reliable guesses (these beat a hint and may switch a conversation)\n")
    print("| words | reliable | right when reliable |\n|---|---|---|")
    for b in BUCKETS:
        parsed = [(engine.parse_sync(t), lang) for t, lang in data if bucket(t) == b]
        sure = [(p, lang) for p, lang in parsed if p.language_reliable]
        right = sum(p.language == lang for p, lang in sure)
        print(f"| {b} | {len(sure) / max(len(parsed), 1):.2f} ({len(sure)}/{len(parsed)}) | "
              f"{right / max(len(sure), 1):.3f} |")


def report(name: str, guess: Callable[[str], str], data: list[tuple[str, str]],
           confusions: bool) -> None:
    right: dict[tuple[str, str], list[bool]] = defaultdict(list)
    errors: dict[tuple[str, str], int] = defaultdict(int)
    timings = []
    for text, lang in data:
        t0 = time.perf_counter()
        got = guess(text)
        timings.append((time.perf_counter() - t0) * 1000)
        right[(lang, bucket(text))].append(got == lang)
        right[(lang, "all")].append(got == lang)
        right[("all", bucket(text))].append(got == lang)
        right[("all", "all")].append(got == lang)
        if got != lang:
            errors[(lang, got)] += 1
    langs = [*sorted({lang for _, lang in data}), "all"]
    print(f"\n## {name}: {len(data)} sentences, "
          f"{statistics.mean(timings):.3f} ms mean per call\n")
    print("| language | " + " | ".join(f"{b} words" for b in BUCKETS) + " | all |")
    print("|---" * (len(BUCKETS) + 2) + "|")
    for lang in langs:
        cells = []
        for b in (*BUCKETS, "all"):
            hits = right.get((lang, b), [])
            cells.append(f"{sum(hits) / len(hits):.2f} ({len(hits)})" if hits else "-")
        print(f"| {lang} | " + " | ".join(cells) + " |")
    nine = [ok for (lang, b), oks in right.items() if lang in detect.LINGUA_CODES and b == "all"
            for ok in oks]
    print(f"\non lingua's 9 languages: {sum(nine) / max(len(nine), 1):.3f} ({len(nine)})")
    if confusions:
        worst = sorted(errors.items(), key=lambda kv: -kv[1])[:12]
        print("commonest errors: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in worst))


if __name__ == "__main__":
    raise SystemExit(main())
