"""The default, in-process NLU engine: character n-grams + multilingual sentence embeddings.

A text is out_of_scope when the classifier says so or when its sentence embedding is nearer
to the off-topic training examples than to any in-scope one (without embeddings: when it is
far from every in-scope example in n-grams, the similarity floor); the second rule is what
keeps gibberish and everyday chat out. An
in-scope intent below the fallback threshold keeps its name (low confidence) unless
`reject_below_threshold` is set: the dialogue decides between acting, asking and falling
back. Measurements and the choice of method: docs/nlu.md.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sklearn

from bot.errors import NLUError
from bot.language.detect import LanguageGuess, detect_language, normalise_hint, word_count
from bot.nlu.base import OUT_OF_SCOPE, IntentScore, ParseResult
from bot.nlu.classifier import ClassifierConfig, IntentClassifier, Prediction
from bot.nlu.embeddings import EmbeddingsUnavailable, model_tag, shared_embedder
from bot.nlu.entities import EntityExtractor
from bot.nlu.normalize import MAX_CHARS, clean, has_letters, normalise
from bot.nlu.training_data import TrainingData, data_hash, read_training_data

logger = logging.getLogger(__name__)

# Bump when a change here or in classifier.py makes old pickles wrong.
CODE_VERSION = "5"
DEFAULT_THRESHOLD = 0.5
DEFAULT_SIMILARITY_FLOOR = 0.3  # n-grams, without embeddings; measured: docs/nlu.md
# With embeddings: out_of_scope when the nearest in-scope example is not at least this much
# nearer than the nearest off-topic one (cosine; measured: docs/nlu.md).
DEFAULT_SEMANTIC_MARGIN = 0.0
RANKING_SIZE = 10
# Letters only one of our languages has decide it (Ge'ez, Sorani's and Pashto's own letters,
# Ukrainian's and Russian's); Persian's are shared with Urdu and Arabic loans: the head decides.
SCRIPT_CERTAIN = frozenset({"ti", "ckb", "ps", "uk", "ru"})
# The language head is sure enough to answer in its language (and to beat a hint) when its
# best score leads the second by this much; 2-word texts need more (measured on the held-out
# sets: 0.98 right at 0.75 for 2 words, 0.999 at 0.5 for 3-4; docs/nlu.md). A single word
# never is: "ok", "salam" or "hallo" are typed in every language.
HEAD_MARGIN = 0.5
HEAD_MARGIN_SHORT = 0.75


@dataclass(slots=True)
class EmbeddedNLU:
    """TF-IDF + linear classifier, rule entity extractors and language detection."""

    classifier: IntentClassifier
    extractor: EntityExtractor
    threshold: float = DEFAULT_THRESHOLD
    # False: an in-scope intent below the threshold keeps its name and low confidence, so the
    # dialogue can ask "did you mean ...?" (policy clarify_threshold); the dialogue applies the
    # threshold, exactly as with the rasa engine. True: answer out_of_scope below it.
    reject_below_threshold: bool = False
    similarity_floor: float = DEFAULT_SIMILARITY_FLOOR
    semantic_margin: float = DEFAULT_SEMANTIC_MARGIN
    embedding_cache: bool = True  # False: embed every message anew (latency benchmark)
    symbol_texts: frozenset[str] = frozenset()  # training texts without letters, e.g. "👍"
    data_hash: str = ""
    trained_at: float = 0.0
    training_seconds: float = 0.0
    from_cache: bool = False
    name: str = field(default="embedded")

    @classmethod
    def train(cls, data: TrainingData, *, threshold: float = DEFAULT_THRESHOLD,
              config: ClassifierConfig | None = None,
              similarity_floor: float = DEFAULT_SIMILARITY_FLOOR) -> EmbeddedNLU:
        """Train on `data`; raise NLUError when there is nothing to learn from."""
        texts = [normalise(e.text) for e in data.examples]
        labels = [e.intent for e in data.examples]
        if len(set(labels)) < 2:
            raise NLUError("the training data needs at least two intents with examples")
        started = time.perf_counter()
        languages = [e.language for e in data.examples]
        cfg = config or ClassifierConfig()
        embedder = shared_embedder() if cfg.embedding_weight > 0 else None
        if embedder is not None and not embedder.available():
            embedder = None  # the embedder logged why; n-grams alone still work
        classifier = IntentClassifier(cfg).fit(
            texts, labels, languages, raw_texts=[clean(e.text) for e in data.examples],
            embedder=embedder)
        return cls(
            classifier=classifier,
            extractor=EntityExtractor.from_training_data(data),
            threshold=threshold,
            similarity_floor=similarity_floor,
            symbol_texts=frozenset(t for t in texts if t and not has_letters(t)),
            trained_at=time.time(),
            training_seconds=time.perf_counter() - started,
        )

    @classmethod
    def load_or_train(cls, data_dir: Path, cache_dir: Path,
                      threshold: float = DEFAULT_THRESHOLD) -> EmbeddedNLU:
        """Load the model cached for this exact training data, or train and cache it."""
        digest = data_hash([data_dir])
        path = cache_dir / f"embedded-{digest[:16]}-{_version_tag()}.pkl"
        engine = _load(path)
        if engine is None:
            logger.info("training the embedded NLU on %s (the first time on a machine it embeds "
                        "every example: about 2 minutes on 2 cores; later starts load it from "
                        "%s in seconds)", data_dir, cache_dir)
            engine = cls.train(read_training_data([data_dir]), threshold=threshold)
            engine.data_hash = digest
            _save(engine, path)
            logger.info("trained the embedded NLU in %.2f s; cached at %s",
                        engine.training_seconds, path)
        engine.threshold = threshold
        return engine

    async def parse(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        """Parse inline: the work takes about a millisecond, less than a thread hand-off."""
        return self.parse_sync(text, lang_hint=lang_hint)

    def parse_sync(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        """Classify `text`; odd input (empty, huge, symbols, control chars) is out_of_scope."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        head = text[:MAX_CHARS]
        cleaned = clean(head)
        guess = detect_language(cleaned)
        norm = normalise(head)
        if not norm or (not has_letters(norm) and norm not in self.symbol_texts):
            return _out_of_scope(text, _hinted(guess, lang_hint), 0.0, [])
        if _repetitive(norm):
            return _out_of_scope(text, _hinted(guess, lang_hint), 0.0, [])
        # our own vectoriser made the input: skip sklearn's per-call checks (about 0.8 ms)
        embedding = None
        if self.classifier.uses_embeddings:
            try:
                embedding = shared_embedder().embed_one(clean(head),
                                                         cached=self.embedding_cache)
            except EmbeddingsUnavailable:
                logger.warning("this NLU model needs sentence embeddings, which failed to load")
                return _out_of_scope(text, _hinted(guess, lang_hint), 0.0, [])
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            prediction = self.classifier.predict(norm, embedding)
        language = _hinted(self._language(cleaned, guess, prediction), lang_hint)
        entities = self.extractor.extract(head)
        return self._decide(text, language, prediction, entities)

    @staticmethod
    def _language(cleaned: str, guess: LanguageGuess, prediction: Prediction) -> LanguageGuess:
        """The one language decision's guess: letters that only one of our languages has,
        else the language head, trained on our own sentences, which knows short text far
        better than pycld2 or lingua (benchmarks/language_bench.py, docs/nlu.md)."""
        if guess.method == "script" and guess.code in SCRIPT_CERTAIN:
            return LanguageGuess(guess.code, guess.confidence, True, "script")
        if not prediction.language:
            return guess
        words, margin = word_count(cleaned), prediction.language_margin
        reliable = words >= 2 and margin >= (HEAD_MARGIN_SHORT if words == 2 else HEAD_MARGIN)
        return LanguageGuess(prediction.language, round(min(1.0, margin / 2), 3), reliable,
                             "head")

    def _decide(self, text: str, language: LanguageGuess, prediction: Prediction,
                entities: list[dict[str, Any]]) -> ParseResult:
        ranking = [IntentScore(label, round(p, 4)) for label, p in
                   zip(prediction.labels, prediction.probabilities, strict=True)]
        top = ranking[0]
        margin = prediction.semantic_margin
        if margin is not None:
            far = margin < self.semantic_margin
            closeness = max(0.0, min(1.0, 0.5 + margin * 5))
        else:
            far = prediction.similarity < self.similarity_floor
            closeness = prediction.similarity
        unsure = self.reject_below_threshold and top.confidence < self.threshold
        if top.name != OUT_OF_SCOPE and (far or unsure):
            confidence = top.confidence if not far else min(top.confidence, closeness)
            return _out_of_scope(text, language, confidence, ranking, entities)
        return ParseResult(text, top, ranking[:RANKING_SIZE], entities, language.code, self.name,
                           language.reliable)

    def with_options(self, **changes: Any) -> EmbeddedNLU:
        """A copy with other settings (threshold, similarity_floor); the model is shared."""
        return replace(self, **changes)


def _hinted(guess: LanguageGuess, hint: str | None) -> LanguageGuess:
    """The guess, or the hint when the guess is not reliable (and there is a hint)."""
    if guess.reliable or not hint:
        return guess
    code = normalise_hint(hint)
    return guess if code is None else LanguageGuess(code, 0.5, False, "hint")


def _out_of_scope(text: str, language: LanguageGuess, confidence: float,
                  ranking: list[IntentScore],
                  entities: list[dict[str, Any]] | None = None) -> ParseResult:
    intent = IntentScore(OUT_OF_SCOPE, round(confidence, 4))
    rest = [s for s in ranking if s.name != OUT_OF_SCOPE][: RANKING_SIZE - 1]
    return ParseResult(text, intent, [intent, *rest], entities or [], language.code, "embedded",
                       language.reliable)


def _repetitive(norm: str) -> bool:
    """Key mashing and laughter ("aaaaah", "ههههههه", "kkkkkk") use two or three letters."""
    letters = [c for c in norm if c.isalpha()]
    return len(letters) >= 6 and len(set(letters)) <= 2


def _version_tag() -> str:
    return f"v{CODE_VERSION}-sk{sklearn.__version__}-{model_tag()}"


def _load(path: Path) -> EmbeddedNLU | None:
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            # Our own cache file, written by _save below; never a file from elsewhere.
            engine = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        logger.warning("ignoring unreadable NLU cache %s: %s", path, exc)
        return None
    if not isinstance(engine, EmbeddedNLU):
        return None
    engine.from_cache = True
    return engine


def _save(engine: EmbeddedNLU, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("embedded-*.pkl"):
        if old != path:
            old.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".embedded-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(engine, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
