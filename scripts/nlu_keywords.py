"""List an intent's key words, or check held-out files against them (bot/nlu/keywords.py).

    .venv/bin/python scripts/nlu_keywords.py --show nl find_job
    .venv/bin/python scripts/nlu_keywords.py --check tests/nlu_paraphrase

The key words are taken from the base training files `nlu/<lang>.yml` only, so adding
training paraphrases elsewhere in nlu/ does not move the goal posts of the held-out split.
Exit code 1 when a checked example clashes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.language.detect import LANGUAGES
from bot.nlu.keywords import clashes, key_words
from bot.nlu.training_data import read_training_data

ROOT = Path(__file__).resolve().parents[1]


def base_training() -> list:
    files = [ROOT / "nlu" / f"{lang}.yml" for lang in LANGUAGES]
    return read_training_data([f for f in files if f.exists()]).examples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", nargs=2, metavar=("LANG", "INTENT"))
    parser.add_argument("--check", type=Path, nargs="+")
    args = parser.parse_args()
    training = base_training()
    if args.show:
        lang, intent = args.show
        found_words = key_words(training).get((intent.split("/")[0], lang), set())
        sys.stdout.write(" ".join(sorted(found_words)) + "\n")
    if args.check:
        found = clashes(read_training_data(args.check).examples, training)
        for clash in found:
            e = clash.example
            sys.stdout.write(f"{e.file}:{e.line}: [{e.intent}] {e.text!r} shares "
                             f"{', '.join(clash.shared)}\n")
        sys.stderr.write(f"{len(found)} clashes\n")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
