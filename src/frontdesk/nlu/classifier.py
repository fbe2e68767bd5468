"""The assistant's intent classifier: TF-IDF n-grams + wordllama embeddings -> logistic regression.

One multinomial ``LogisticRegression`` (C=10, so confidences are probabilities) over a kernel
that is the sum of four parts, each measured on Banking77 *train* splits only:

* word 1-2-gram TF-IDF (sublinear tf): exact phrases such as "top up", "direct debit";
* character 2-5-gram TF-IDF within word boundaries: typos, inflections, unseen word forms;
* the 256-d wordllama sentence embedding ``e``, scaled by ``EMBEDDING_WEIGHT`` (linear kernel
  ``w^2 e.e'``): paraphrases that share no words. 1.5 was the best compromise between
  10 examples per intent (2 best) and ~130 (1 best);
* a quadratic kernel on the embedding, ``v^2 (e.e')^2``, which lets an intent be a region
  rather than a half-space of embedding space: +0.5 points at 10 shots, +0.45 with full data.

Each intent's name ("card_arrival" -> "card arrival") is one more training example: +0.6
points at 10 shots, no change with full data. Up to ``DUAL_MAX_ROWS`` training rows (every
workspace) the problem is solved exactly in the dual: with an L2 penalty the optimal weights
lie in the span of the training rows, so logistic regression on ``Z = L`` with ``L L^T = K``
(Cholesky of the n x n kernel matrix) reaches the optimum of the d-feature problem with n x k
unknowns (800 x 20 instead of 12,000 x 20) in a fraction of the time. The linear parts are
mapped back to feature weights; the quadratic part stays as dual coefficients on the training
embeddings. Larger (benchmark) sets are solved in the primal, with the quadratic kernel
replaced by ``RANDOM_FEATURES`` random Maclaurin features (Kar & Karnick 2012), an unbiased
approximation of the same kernel. The rejection threshold comes from the training data only;
see ``_choose_threshold``.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.linalg
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import ThreadpoolController

from frontdesk.nlu import embeddings

FloatArray = npt.NDArray[np.float64]

C = 10.0
EMBEDDING_WEIGHT = 1.5
QUADRATIC_WEIGHT = 1.5
# Above this many rows the dual (Cholesky O(n^3), then lbfgs on a dense n x n matrix) costs
# more than lbfgs on the sparse primal; only benchmark-sized training sets get there.
DUAL_MAX_ROWS = 2500
RANDOM_FEATURES = 2048
THRESHOLD_FOLDS = 4
# Balanced-accuracy slack traded for answering more: on BANKING77-OOS valid the curve is flat
# from t=0.7 to 0.87 (0.763 vs 0.774) while in-scope accuracy falls from 0.78 to 0.68.
THRESHOLD_TOLERANCE = 0.01
# Used when the training data cannot simulate out-of-scope messages (fewer than 3 intents).
DEFAULT_THRESHOLD = 0.5
TOP_K = 3


@functools.cache
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()  # finding the BLAS libraries costs ~0.3 ms: do it once


def _one_blas_thread() -> Any:
    # These matrices are too small to gain from threads, and on a busy 2-core host a second,
    # spinning BLAS thread made a 0.5 s retrain take 4 s and a 1.2 ms prediction 2.1 ms.
    return _blas_controller().limit(limits=1)


@dataclass(frozen=True)
class IntentPrediction:
    """``label``: an intent or the out-of-scope label; ``confidence``: a probability;
    ``ranking``: the top 3 intents with their model probabilities, even when rejected."""

    label: str
    confidence: float
    ranking: list[tuple[str, float]]


class _Ngrams:
    """Word 1-2-gram and char_wb 2-5-gram counts over the vocabulary of the training texts.

    Counting (tokenising) is the expensive part of TF-IDF, so it is done once per training
    set; the cross-validation folds of ``_choose_threshold`` re-weight these counts instead.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.words = CountVectorizer(ngram_range=(1, 2), dtype=np.float64)
        self.chars = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), dtype=np.float64)
        self.counts: tuple[sp.csr_matrix, ...] = (
            self.words.fit_transform(texts).tocsr(),
            self.chars.fit_transform(texts).tocsr(),
        )

    def forget_training_counts(self) -> None:
        self.counts = ()  # a fitted model needs only the vocabularies, not ~40 MB of counts

    def count(self, texts: Sequence[str]) -> list[sp.csr_matrix]:
        return [self.words.transform(texts).tocsr(), self.chars.transform(texts).tocsr()]


class _Features:
    """TF-IDF of the n-grams that occur in a set of training rows, plus the embedding block.

    Restricting the columns to n-grams seen in the rows a model is trained on makes a fold's
    features exactly what a vectorizer fitted on that fold alone would produce (an n-gram it
    never saw is dropped before the L2 normalisation), without tokenising again.
    """

    def __init__(self, ngrams: _Ngrams, rows: npt.NDArray[np.int64] | None = None) -> None:
        self.ngrams = ngrams
        self.blocks: list[tuple[npt.NDArray[np.int64] | None, TfidfTransformer]] = []
        for counts in ngrams.counts:
            if rows is None:
                columns, subset = None, counts  # the full vocabulary: every column occurs
            else:
                subset = counts[rows]
                columns = np.flatnonzero(subset.getnnz(axis=0))
                subset = subset[:, columns]
            self.blocks.append((columns, TfidfTransformer(sublinear_tf=True).fit(subset)))

    def sparse_counts(self, counts: Sequence[sp.csr_matrix]) -> sp.csr_matrix:
        parts = zip(self.blocks, counts, strict=True)
        tfidf = [t.transform(b if cols is None else b[:, cols]) for (cols, t), b in parts]
        return sp.hstack(tfidf, format="csr")

    def sparse(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.sparse_counts(self.ngrams.count(texts))

    @staticmethod
    def dense(texts: Sequence[str], *, cache: bool) -> FloatArray:
        """Unit-length embeddings; the kernel weights are applied by the model."""
        return embeddings.embed(texts, cache=cache).astype(np.float64)


@functools.cache
def _maclaurin_signs() -> tuple[FloatArray, FloatArray]:
    rng = np.random.default_rng(0)  # fixed: a model and its predictions use the same features
    shape = (embeddings.EMBEDDING_DIM, RANDOM_FEATURES)
    return rng.choice([-1.0, 1.0], size=shape), rng.choice([-1.0, 1.0], size=shape)


def _quadratic_features(unit: FloatArray) -> FloatArray:
    """phi with E[phi(e).phi(e')] = v^2 (e.e')^2: products of two Rademacher projections."""
    first, second = _maclaurin_signs()
    scale = QUADRATIC_WEIGHT / np.sqrt(RANDOM_FEATURES)
    result: FloatArray = scale * (unit @ first) * (unit @ second)
    return result


@dataclass
class _LinearModel:
    classes: list[str]
    sparse_coef: FloatArray  # (n-gram features, classes)
    dense_coef: FloatArray  # (embedding dim, classes), on the unit embedding
    intercept: FloatArray  # (classes,)
    # Quadratic term: dual coefficients (rows, classes) on ``support`` embeddings (rows, dim),
    # or, with no support, weights (RANDOM_FEATURES, classes) on ``_quadratic_features``.
    quadratic_coef: FloatArray
    support: FloatArray | None

    def proba(self, sparse_x: sp.csr_matrix, unit: FloatArray) -> FloatArray:
        logits = sparse_x @ self.sparse_coef + unit @ self.dense_coef + self.intercept
        if self.support is not None:
            logits += np.square(unit @ self.support.T) @ self.quadratic_coef
        else:
            logits += _quadratic_features(unit) @ self.quadratic_coef
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        return logits / logits.sum(axis=1, keepdims=True)


def _logistic(features: FloatArray | sp.csr_matrix, labels: Sequence[str]) -> LogisticRegression:
    model = LogisticRegression(C=C, max_iter=1000)
    with warnings.catch_warnings():
        # A few-example class can keep lbfgs just short of its tolerance; the fit is still good.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(features, list(labels))
    return model


def _gram_factor(gram: FloatArray) -> FloatArray:
    """Lower-triangular L with L L^T = gram + tiny jitter (duplicate texts make it singular)."""
    jitter = 1e-6 * max(float(np.mean(np.diag(gram))), 1e-12)
    for attempt in range(4):
        try:
            eye = np.eye(len(gram))
            return scipy.linalg.cholesky(gram + jitter * 100**attempt * eye, lower=True)
        except np.linalg.LinAlgError:
            continue
    raise np.linalg.LinAlgError("kernel matrix is not positive semi-definite")


def _fit_linear(sparse_x: sp.csr_matrix, unit: FloatArray, labels: Sequence[str]) -> _LinearModel:
    support: FloatArray | None = None
    if len(labels) <= DUAL_MAX_ROWS:
        cosines = unit @ unit.T
        gram = (sparse_x @ sparse_x.T).toarray()
        gram += EMBEDDING_WEIGHT**2 * cosines + QUADRATIC_WEIGHT**2 * np.square(cosines)
        # Z = L has Z Z^T = K (+ jitter). A new message maps to z = L^-1 k(x), with k(x) its
        # kernel values against the training rows, so its logits are k(x) . L^-T W_z.
        factor = _gram_factor(gram)
        model = _logistic(factor, labels)
        coef = scipy.linalg.solve_triangular(factor, model.coef_.T, lower=True, trans="T")
        sparse_coef = np.asarray(sparse_x.T @ coef)
        dense_coef = EMBEDDING_WEIGHT**2 * (unit.T @ coef)
        quadratic_coef, support = QUADRATIC_WEIGHT**2 * coef, unit
    else:
        blocks = [sparse_x, EMBEDDING_WEIGHT * unit, _quadratic_features(unit)]
        model = _logistic(
            sp.hstack([sp.csr_matrix(block) for block in blocks], format="csr"), labels
        )
        coef = np.ascontiguousarray(model.coef_.T)
        n_sparse, n_dense = sparse_x.shape[1], unit.shape[1]
        sparse_coef = coef[:n_sparse]
        dense_coef = EMBEDDING_WEIGHT * coef[n_sparse : n_sparse + n_dense]
        quadratic_coef = coef[n_sparse + n_dense :]
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if len(model.classes_) == 2:  # sklearn keeps one vector: logit(second) - logit(first)
        sparse_coef, dense_coef, quadratic_coef = (
            np.hstack([np.zeros_like(w), w]) for w in (sparse_coef, dense_coef, quadratic_coef)
        )
        intercept = np.array([0.0, float(intercept[0])])
    classes = [str(label) for label in model.classes_]
    return _LinearModel(classes, sparse_coef, dense_coef, intercept, quadratic_coef, support)


def _with_names(
    texts: Sequence[str], labels: Sequence[str], oos: str
) -> tuple[list[str], list[str]]:
    """Add each intent's name ("card_arrival" -> "card arrival") as one more example."""
    names = sorted({label for label in labels if label != oos})
    spoken = [name.replace("_", " ").replace("-", " ") for name in names]
    return [*texts, *spoken], [*labels, *names]


def _fit(
    ngrams: _Ngrams, rows: npt.NDArray[np.int64] | None, texts: Sequence[str], labels: Sequence[str]
) -> tuple[_Features, _LinearModel]:
    """Fit on ``rows`` of the texts ``ngrams`` counted (None: all of them)."""
    features = _Features(ngrams, rows)
    selected = range(len(labels)) if rows is None else rows
    counts = [block if rows is None else block[rows] for block in ngrams.counts]
    dense = _Features.dense([texts[i] for i in selected], cache=True)
    model = _fit_linear(features.sparse_counts(counts), dense, [labels[i] for i in selected])
    return features, model


def _choose_threshold(
    ngrams: _Ngrams, texts: Sequence[str], labels: Sequence[str], n_real: int, oos: str, seed: int
) -> float:
    """The probability below which a message is out of scope, from the training data alone.

    Cross-validation that also simulates unseen intents: the rows are split into
    ``THRESHOLD_FOLDS`` stratified folds and the in-scope intents into as many groups. Fold
    ``f``'s model is trained on the rows outside fold ``f`` whose intent is not in group ``f``.
    It then scores (a) fold ``f``'s rows of the other intents, which are in scope and count as
    right when the top intent is correct and its probability clears the threshold, and
    (b) every row of group ``f``'s intents, which it has never seen, plus any rows labelled
    out of scope, which count as right when rejected. The threshold maximises the mean of the
    two success rates (balanced accuracy), so neither kind of error can buy the other; of the
    thresholds within ``THRESHOLD_TOLERANCE`` of that maximum it takes the lowest, because a
    flat optimum is common and answering is what the assistant is for.

    Rows from ``n_real`` on are the intent-name examples: trained on, never scored.
    """
    in_scope = sorted(set(labels) - {oos})
    if len(in_scope) < 3:  # leaving one intent out would leave a single class to train on
        return DEFAULT_THRESHOLD
    rng = np.random.default_rng(seed)
    label_array = np.asarray(labels, dtype=object)
    fold_of = np.full(len(labels), -1, dtype=np.int64)  # -1: a name row, in every fold's training
    real = label_array[:n_real]
    for label in sorted(set(real)):
        rows = rng.permutation(np.flatnonzero(real == label))
        fold_of[rows] = (np.arange(len(rows)) + rng.integers(THRESHOLD_FOLDS)) % THRESHOLD_FOLDS
    groups = [str(label) for label in rng.permutation(in_scope)]
    accepted_scores: list[float] = []  # best in-scope probability of correctly ranked rows
    n_in_scope = 0
    rejected_scores: list[float] = []  # best in-scope probability of out-of-scope rows
    for fold in range(THRESHOLD_FOLDS):
        held_intent = np.isin(label_array, groups[fold::THRESHOLD_FOLDS])
        train_rows = np.flatnonzero((fold_of != fold) & ~held_intent)
        test_rows = np.flatnonzero(((fold_of == fold) | held_intent) & (fold_of >= 0))
        if len(set(label_array[train_rows])) < 2 or not len(test_rows):
            continue
        features, model = _fit(ngrams, train_rows, texts, labels)
        counts = [block[test_rows] for block in ngrams.counts]
        dense = _Features.dense([texts[i] for i in test_rows.tolist()], cache=True)
        probs = model.proba(features.sparse_counts(counts), dense)
        for row, top, top_prob in zip(
            test_rows.tolist(),
            probs.argmax(axis=1).tolist(),
            probs.max(axis=1).tolist(),
            strict=True,
        ):
            predicted = model.classes[top]
            # A predicted out-of-scope class is a rejection whatever the threshold.
            score = -1.0 if predicted == oos else float(top_prob)
            if labels[row] == oos or labels[row] not in model.classes:
                rejected_scores.append(score)
            else:
                n_in_scope += 1
                if predicted == labels[row]:
                    accepted_scores.append(score)
    if not rejected_scores or not n_in_scope:
        return DEFAULT_THRESHOLD
    accepted = np.sort(np.asarray(accepted_scores))
    rejected = np.sort(np.asarray(rejected_scores))
    candidates = np.unique(np.concatenate([accepted, rejected, [0.0, 1.0]]))
    candidates = candidates[candidates >= 0.0]
    # Accept when probability >= t: in-scope rows right = #accepted >= t, OOS right = #rejected < t.
    in_rate = (len(accepted) - np.searchsorted(accepted, candidates, side="left")) / n_in_scope
    oos_rate = np.searchsorted(rejected, candidates, side="left") / len(rejected)
    balanced = (in_rate + oos_rate) / 2
    # Answer when in doubt: the lowest threshold whose score is within a hair of the best.
    best_index = int(np.flatnonzero(balanced >= balanced.max() - THRESHOLD_TOLERANCE)[0])
    # Between the winning score and the next lower one, so the cut does not sit on an example.
    lower = candidates[best_index - 1] if best_index > 0 else 0.0
    return float((candidates[best_index] + lower) / 2)


class IntentClassifier:
    """Classifies a customer message into one of the trained intents, or out of scope.

    ``predict`` returns the most probable intent unless its probability is below
    ``threshold``; then the label is ``out_of_scope_label`` and the confidence is
    ``1 - p(best intent)``, the model's belief that no known intent fits. Training rows
    labelled ``out_of_scope_label`` are an ordinary class: when it wins, it wins with its own
    probability. ``threshold`` is chosen on the training data by ``_choose_threshold``;
    ``train(..., reject=False)`` skips that (threshold 0: never reject), which is what a
    closed-set benchmark needs. ``seed`` only drives the threshold's cross-validation folds.
    """

    def __init__(
        self, features: _Features, model: _LinearModel, threshold: float, out_of_scope_label: str
    ) -> None:
        self._features = features
        self._model = model
        self.threshold = threshold
        self.out_of_scope_label = out_of_scope_label

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        seed: int = 0,
        out_of_scope_label: str = "out_of_scope",
        reject: bool = True,
        threshold: float | None = None,
    ) -> IntentClassifier:
        """``threshold``: reuse a rejection threshold already chosen (a workspace's model
        takes its built-in model's, chosen by cross-validation on the same built-in data),
        instead of choosing one here; that skips the folds, most of a retrain's time."""
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        texts, labels = [str(text) for text in texts], [str(label) for label in labels]
        if len(set(labels)) < 2:
            raise ValueError("an intent classifier needs at least two labels")
        all_texts, all_labels = _with_names(texts, labels, out_of_scope_label)
        with _one_blas_thread():
            ngrams = _Ngrams(all_texts)
            features, model = _fit(ngrams, None, all_texts, all_labels)
            if not reject:
                threshold = 0.0
            elif threshold is None:
                threshold = _choose_threshold(
                    ngrams, all_texts, all_labels, len(texts), out_of_scope_label, seed
                )
        ngrams.forget_training_counts()
        return cls(features, model, threshold, out_of_scope_label)

    @property
    def labels(self) -> list[str]:
        """The classes the model can output (besides out-of-scope by threshold)."""
        return list(self._model.classes)

    def predict(self, text: str) -> IntentPrediction:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[IntentPrediction]:
        texts = list(texts)
        if not texts:
            return []
        with _one_blas_thread():
            # Customer messages are one-off: keep them out of the embedding cache.
            unit = _Features.dense(texts, cache=False)
            probs = self._model.proba(self._features.sparse(texts), unit)
        classes = self._model.classes
        predictions = []
        for row in probs:
            order = np.argsort(-row)[:TOP_K]
            ranking = [(classes[i], float(row[i])) for i in order]
            label, confidence = ranking[0]
            if label != self.out_of_scope_label and confidence < self.threshold:
                label, confidence = self.out_of_scope_label, 1.0 - confidence
            predictions.append(IntentPrediction(label, confidence, ranking))
        return predictions
