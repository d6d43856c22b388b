"""The intent classifier behind the embedded engine: TF-IDF n-grams + a linear model.

Besides the class probabilities it reports how close the text is to anything it was trained
on (the highest cosine similarity to an in-scope training example). Gibberish and off-topic
text share few n-grams with the training data, so a low similarity is a second, independent
reason to answer out_of_scope; a linear model alone can be confidently wrong far from its data.
The options exist so that benchmarks/nlu_bench.py can compare them; docs/nlu.md has the numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from bot.nlu.base import OUT_OF_SCOPE

# Letters to make synthetic gibberish from, one alphabet per script our people write in.
_ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "ابتثجحخدذرزسشصضطظعغفقکلمنهوی",
    "абвгдежзийклмнопрстуфхцчшщыэюя",
    "ሀለሐመሠረሰሸቀበተቸኀነኘአከኸወዐዘዠየደጀገጠጨጰጸፀፈፐ",
)


@dataclass(frozen=True, slots=True)
class ClassifierConfig:
    """How to build the classifier; the defaults are the measured best (docs/nlu.md)."""

    features: str = "char"  # "char" (char_wb n-grams) or "char+word"
    # "svc-softmax" (LinearSVC, softmax temperature fitted by CV), "svc" (LinearSVC + sigmoid
    # calibration, CalibratedClassifierCV) or "logreg" (LogisticRegression)
    model: str = "svc-softmax"
    char_ngrams: tuple[int, int] = (1, 5)
    c: float = 10.0
    synthetic_oos: int = 300  # generated gibberish examples added to out_of_scope
    seed: int = 13


def make_gibberish(count: int, seed: int) -> list[str]:
    """Random letter strings in each of our scripts, 1-4 "words" long."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        alphabet = _ALPHABETS[i % len(_ALPHABETS)]
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(2, 9)))
                 for _ in range(rng.randint(1, 4))]
        out.append(" ".join(words))
    return out


@dataclass(slots=True)
class Prediction:
    labels: list[str]  # sorted by probability, highest first
    probabilities: list[float]
    similarity: float  # max cosine similarity to an in-scope training example
    language: str = ""  # the language head's guess ("" without one)


@dataclass(slots=True)
class IntentClassifier:
    config: ClassifierConfig = field(default_factory=ClassifierConfig)
    vectorizer: TfidfVectorizer | FeatureUnion | None = None
    model: Model | None = None
    classes: list[str] = field(default_factory=list)
    language_model: LinearSVC | None = None
    in_scope: sparse.csr_matrix | None = None  # columns: in-scope training vectors, L2-normed

    def fit(self, texts: list[str], labels: list[str],
            languages: list[str] | None = None) -> IntentClassifier:
        """Train on normalised texts; adds synthetic gibberish to out_of_scope.

        With `languages`, a second linear head learns the language of each example: on our
        own domain it beats pycld2 for Latin-script Kurmanji and short French or Dutch.
        """
        cfg = self.config
        extra = make_gibberish(cfg.synthetic_oos, cfg.seed)
        all_texts = texts + extra
        all_labels = labels + [OUT_OF_SCOPE] * len(extra)
        self.vectorizer = _vectorizer(cfg)
        matrix = self.vectorizer.fit_transform(all_texts)
        self.model = _model(cfg, all_labels)
        self.model.fit(matrix, all_labels)
        self.classes = [str(c) for c in getattr(self.model, "classes_", [])]
        if languages and len(set(languages)) > 1:
            self.language_model = LinearSVC(C=1.0).fit(matrix[: len(texts)], languages)
        rows = [i for i, label in enumerate(labels) if label != OUT_OF_SCOPE]
        # Stored transposed (features x examples) so one query is a single sparse product.
        self.in_scope = sparse.csr_matrix(_l2(sparse.csr_matrix(matrix[rows])).T)
        return self

    def predict(self, text: str) -> Prediction:
        """Rank the intents for one normalised text."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: list[str]) -> list[Prediction]:
        if self.vectorizer is None or self.model is None or self.in_scope is None:
            raise RuntimeError("IntentClassifier.predict before fit")
        vectors = self.vectorizer.transform(texts)
        probabilities = self.model.predict_proba(vectors)
        similarities = (_l2(vectors) @ self.in_scope).max(axis=1).toarray().ravel()
        languages = (self.language_model.predict(vectors) if self.language_model is not None
                     else [""] * len(texts))
        out = []
        for probs, similarity, language in zip(probabilities, similarities, languages,
                                               strict=True):
            order = np.argsort(-probs)
            out.append(Prediction([self.classes[i] for i in order],
                                  [float(probs[i]) for i in order], float(similarity),
                                  str(language)))
        return out


def _vectorizer(cfg: ClassifierConfig) -> TfidfVectorizer | FeatureUnion:
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=cfg.char_ngrams, sublinear_tf=True,
                           min_df=1, dtype=np.float32)
    if cfg.features == "char":
        return char
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                           token_pattern=r"(?u)\b\w+\b", dtype=np.float32)
    return FeatureUnion([("char", char), ("word", word)])


@dataclass(slots=True)
class SoftmaxSVC:
    """LinearSVC with probabilities from softmax(scores / temperature).

    The temperature is fitted on cross-validated decision scores (least log-loss), so the
    probabilities mean roughly what they say; one LinearSVC fit per fold is much cheaper
    than LogisticRegression on 30 classes and 100k n-gram features.
    """

    c: float = 1.0
    temperature: float = 1.0
    svc: LinearSVC | None = None
    classes_: np.ndarray | None = None

    def fit(self, matrix: sparse.spmatrix, labels: list[str]) -> SoftmaxSVC:
        y = np.asarray(labels)
        self.temperature = self._fit_temperature(matrix, y)
        self.svc = LinearSVC(C=self.c).fit(matrix, y)
        self.classes_ = self.svc.classes_
        return self

    def predict_proba(self, matrix: sparse.spmatrix) -> np.ndarray:
        if self.svc is None:
            raise RuntimeError("SoftmaxSVC.predict_proba before fit")
        return _softmax(self.svc.decision_function(matrix) / self.temperature)

    def _fit_temperature(self, matrix: sparse.spmatrix, y: np.ndarray) -> float:
        classes, counts = np.unique(y, return_counts=True)
        folds = int(min(3, counts.min()))
        if folds < 2:
            return 0.3
        scores = np.zeros((len(y), len(classes)), dtype=np.float64)
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(matrix, y):
            svc = LinearSVC(C=self.c).fit(matrix[train], y[train])
            columns = np.searchsorted(classes, svc.classes_)
            scores[np.ix_(test, columns)] = svc.decision_function(matrix[test])
        truth = np.searchsorted(classes, y)
        best, best_loss = 1.0, np.inf
        for temperature in np.geomspace(0.03, 3.0, 40):
            probs = _softmax(scores / temperature)
            loss = float(-np.mean(np.log(probs[np.arange(len(y)), truth] + 1e-12)))
            if loss < best_loss:
                best, best_loss = float(temperature), loss
        return best


Model: TypeAlias = LogisticRegression | CalibratedClassifierCV | SoftmaxSVC


def _model(cfg: ClassifierConfig, labels: list[str]) -> Model:
    if cfg.model == "logreg":
        return LogisticRegression(C=cfg.c, max_iter=2000)
    if cfg.model == "svc-softmax":
        return SoftmaxSVC(c=cfg.c / 10)
    smallest = min(labels.count(label) for label in set(labels))
    folds = max(2, min(3, smallest))
    return CalibratedClassifierCV(LinearSVC(C=cfg.c / 10), cv=folds, method="sigmoid")


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def _l2(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A.ravel()
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
