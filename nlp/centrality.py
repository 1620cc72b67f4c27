"""Key sentences by LexRank-style centrality: TF-IDF cosine graph + PageRank power iteration.

A sentence is central when it shares vocabulary with many other sentences of the same stretch,
which in a lecture is usually the statement of the idea the stretch is about.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.textutil import Sentence, content_stems

DAMPING = 0.85  # the usual PageRank damping; lower would flatten scores towards uniform
ITERATIONS = 60  # power iteration converges well before this on a few hundred sentences
MIN_WORDS = 6  # shorter sentences ("Let's begin.") are never key sentences
MAX_WORDS = 60  # run-on caption sentences make poor key points


def tfidf_matrix(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """Row-normalised TF-IDF of content-word stems (dense: sections have few sentences)."""
    if not texts:
        return np.zeros((0, 0))
    vec = TfidfVectorizer(analyzer=lambda t: content_stems(t, language), sublinear_tf=True)
    try:
        m = vec.fit_transform(texts)
    except ValueError:  # no content words at all
        return np.zeros((len(texts), 1))
    return m.toarray()


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
