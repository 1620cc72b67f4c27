"""Key sentences by LexRank-style centrality: TF-IDF cosine graph + PageRank power iteration.

A sentence is central when it shares vocabulary with many other sentences of the same stretch,
which in a lecture is usually the statement of the idea the stretch is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from nlp.textutil import Sentence, content_stems

DAMPING = 0.85  # the usual PageRank damping; lower would flatten scores towards uniform
ITERATIONS = 60  # power iteration converges well before this on a few hundred sentences
MIN_WORDS = 6  # shorter sentences ("Let's begin.") are never key sentences
MAX_WORDS = 60  # run-on caption sentences make poor key points


def tfidf_matrix(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """Row-normalised TF-IDF of content-word stems (dense: sections have few sentences):
    sublinear tf and smoothed idf, as scikit-learn's TfidfVectorizer computes them, in numpy
    (importing scikit-learn costs about a second of start-up for this one function)."""
    if not texts:
        return np.zeros((0, 0))
    counts = [Counter(content_stems(t, language)) for t in texts]
    vocab = {w: i for i, w in enumerate(sorted({w for c in counts for w in c}))}
    if not vocab:  # no content words at all
        return np.zeros((len(texts), 1))
    m = np.zeros((len(texts), len(vocab)))
    for row, c in enumerate(counts):
        for w, k in c.items():
            m[row, vocab[w]] = 1.0 + np.log(k)
    df = (m > 0).sum(axis=0)
    m *= np.log((1 + len(texts)) / (1 + df)) + 1.0
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def centrality_scores(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """PageRank over the cosine-similarity graph; ineligible sentences get score 0."""
    n = len(texts)
    if n == 0:
        return np.zeros(0)
    x = tfidf_matrix(texts, language)
    # PageRank over sim = x @ x.T without its diagonal, never built: an n x n matrix is
    # quadratic in time and memory (a 16k-sentence section took 30 s and 2 GB, issue #29);
    # each step is two products with x, linear in the sentences.
    diag = np.einsum("ij,ij->i", x, x)
    rows = x @ (x.T @ np.ones(n)) - diag
    linked = rows > 1e-12
    inv_rows = np.divide(1.0, rows, out=np.zeros(n), where=linked)
    score = np.full(n, 1.0 / n)
    for _ in range(ITERATIONS):
        w = score * inv_rows  # a sentence with no similar sentence spreads its score evenly
        spread = x @ (x.T @ w) - diag * w + score[~linked].sum() / n
        nxt = (1 - DAMPING) / n + DAMPING * spread
        if np.abs(nxt - score).sum() < 1e-7:
            score = nxt
            break
        score = nxt
    lengths = np.array([len(t.split()) for t in texts])
    score[(lengths < MIN_WORDS) | (lengths > MAX_WORDS)] = 0.0
    return score


def key_sentences(sentences: Sequence[Sentence], k: int, language: str = "en",
                  exclude: set[int] | None = None) -> list[int]:
    """Indices of the `k` most central sentences, returned in original order."""
    scores = centrality_scores([s.text for s in sentences], language)
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    picked: list[int] = []
    for i in order:
        if len(picked) >= k or scores[i] <= 0:
            break
        if exclude and i in exclude:
            continue
        picked.append(i)
    return sorted(picked)
