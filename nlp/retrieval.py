"""Passage retrieval over a timed transcript: BM25 (bm25s) over windows of timed sentences.

Captions cut sentences across cues, so passages are built from `to_sentences` (which also drops
text addressed to a language model) and grouped into overlapping windows of a few sentences.
BM25 ranks them; whether the video covers the question at all is a separate test: the share of
the question's content terms, weighted by rarity, that the best passages contain. A raw BM25
score cannot say this (it grows with any shared common word), coverage can ("what is the capital
of France" shares no rare term with a lecture on interest rates).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import bm25s
import numpy as np
from text_to_num import alpha2digit

from nlp.sentences import detect_language, to_sentences
from nlp.textutil import Segment, Sentence, content_stems

WINDOW = 3  # sentences per passage: enough context to answer, short enough to cite precisely
MIN_COVERAGE = 0.6  # weighted share of question terms the best passages must contain
# Words of the question that ask rather than say what about ("what does the speaker mean").
_QUESTION_WORDS = {
    "explain", "explains", "explained", "mean", "means", "meaning", "define", "definition",
    "speaker", "lecturer", "teacher", "professor", "mention", "mentioned", "mentions", "talk",
    "talks", "describe", "describes", "tell", "difference", "happen", "happens", "work", "works",
    "use", "used", "purpose", "call", "called", "name", "named", "give", "why", "how", "when",
    "explica", "significa", "habla", "dice", "qué", "cómo", "cuándo", "por",
}


RERANK = 30  # BM25's best windows that the definition bonus may reorder
_DEFINITION_QUESTION = re.compile(
    r"^\W*(?:what|who)\s+(?:is|are|was|were)\b|^\W*(?:define|explain)\b"
    r"|^\W*(?:qu[eé]|qui[eé]n|cu[aá]l)\s+(?:es|son|era)\b", re.IGNORECASE)
_SUBORDINATE = re.compile(r"\b(?:if|when|once|because|while|unless|si|cuando|porque|aunque)\b",
                          re.IGNORECASE)
_COPULA = re.compile(r"\b(?:is|are|means|es|son|significa)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    start: float
    end: float
    text: str
    score: float
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Retrieval:
    passages: list[Passage]  # best first, non-overlapping
    coverage: float  # 0..1: weighted share of the question's terms found in the passages
    terms: list[str]  # the question's content stems

    @property
    def covered(self) -> bool:
        return bool(self.passages) and self.coverage >= MIN_COVERAGE


_NUMERAL_LANGUAGES = {"en", "es", "fr", "de", "pt", "it", "nl", "da"}


def _stems(text: str, language: str) -> list[str]:
    """Content stems with numbers as digits on both sides ("seventy-two" ~ "72"); number
    words are stopwords to the rest of nlp/, but here they are often what is asked about."""
    lang = language[:2]
    if lang in _NUMERAL_LANGUAGES:
        text = alpha2digit(text, lang)
    return content_stems(text, language)


def _query_terms(question: str, language: str) -> list[str]:
    stems = _stems(question, language)
    skip = {s for w in _QUESTION_WORDS for s in content_stems(w, language)} | set(
        _QUESTION_WORDS)
    return [t for t in stems if t not in skip]


class TranscriptIndex:
    """BM25 over sentence windows of one transcript; build once, query many times."""

    def __init__(self, segments: Sequence[Segment], language: str | None = None) -> None:
        self.language = language or detect_language(" ".join(s[2] for s in segments[:400]))
        self.sentences = to_sentences(segments, self.language)
        self._position = {s: i for i, s in enumerate(self.sentences)}
        n = len(self.sentences)
        self.windows = [tuple(self.sentences[i:i + WINDOW])
                        for i in range(0, max(1, n - WINDOW + 1))] if n else []
        self._tokens = [_stems(" ".join(s.text for s in w), self.language) or ["\x00"]
                        for w in self.windows]
        self._df = Counter(t for toks in self._tokens for t in set(toks))

    @cached_property
    def _bm25(self) -> bm25s.BM25:
        index = bm25s.BM25()
        index.index(self._tokens, show_progress=False)
        return index

    def idf(self, term: str) -> float:
        """Smoothed IDF; a term the video never says gets the highest weight, so a question
        about something absent cannot be carried by the common words it shares."""
        n = max(1, len(self.windows))
        return math.log(1 + (n + 1) / (self._df.get(term, 0) + 0.5))

    def search(self, question: str, *, k: int = 3, context: str = "") -> Retrieval:
        terms = _query_terms(question, self.language)
        if len(terms) < 2 and context:  # a follow-up ("and why?") borrows the last question's
            terms += [t for t in _query_terms(context, self.language) if t not in terms]
        if not terms or not self.windows:
            return Retrieval([], 0.0, terms)
        scores = np.asarray(self._bm25.get_scores(terms), dtype=float)
        if _DEFINITION_QUESTION.search(question):
            # "what is X": a window that says "X is ..." beats one that merely mentions X
            for i in np.argsort(-scores, kind="stable")[:RERANK]:
                if any(self._defines(s, terms) for s in self.windows[i]):
                    scores[i] *= 1.5
        chosen: list[int] = []
        for i in np.argsort(-scores, kind="stable"):
            if scores[i] <= 0 or len(chosen) == k:
                break
            if all(abs(int(i) - j) >= WINDOW for j in chosen):  # no overlapping windows
                chosen.append(int(i))
        passages = [self._passage(self.windows[i], float(scores[i]), set(terms))
                    for i in chosen]
        return Retrieval(passages, self._coverage(terms, passages[:2]), terms)

    def _passage(self, window: tuple[Sentence, ...], score: float, terms: set[str]) -> Passage:
        """The window from its first sentence that says a term of the question: a passage is
        cited by its start, which should be where the answer begins, not a sentence before."""
        start = next((n for n, s in enumerate(window)
                      if terms & set(_stems(s.text, self.language))), 0)
        kept = window[start:]
        return Passage(kept[0].start, kept[-1].end, " ".join(s.text for s in kept), score, kept)

    def _defines(self, sentence: Sentence, terms: list[str]) -> bool:
        """A statement whose subject (before its 'is'/'es') names a term of the question."""
        m = _COPULA.search(sentence.text)
        if m is None or sentence.text.rstrip().endswith("?"):
            return False
        subject = sentence.text[:m.start()]
        if len(subject.split()) > 5 or _SUBORDINATE.search(subject):
            return False  # "Git refuses if the branch is merged" defines nothing
        return bool(set(_stems(subject, self.language)) & set(terms))

    def _coverage(self, terms: list[str], passages: list[Passage]) -> float:
        if not passages:
            return 0.0
        found = {t for p in passages for t in _stems(p.text, self.language)}
        weights = {t: self.idf(t) for t in set(terms)}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in found) / total if total else 0.0

    def best_sentences(self, retrieval: Retrieval, n: int = 2, question: str = ""
                       ) -> list[Sentence]:
        """The sentences of the retrieved passages that carry most of the question's terms
        (IDF-weighted), in time order: the extractive answer."""
        terms = set(retrieval.terms)
        definition = bool(_DEFINITION_QUESTION.search(question))
        if not terms:
            return []
        best_of: dict[Sentence, float] = {}  # a sentence keeps its highest score

        def offer(sentence: Sentence, score: float) -> None:
            best_of[sentence] = max(score, best_of.get(sentence, score))

        for rank, p in enumerate(retrieval.passages):
            for s in p.sentences:
                stems = set(_stems(s.text, self.language))
                score = sum(self.idf(t) for t in terms & stems) - 0.01 * rank
                if score <= 0:
                    continue
                if s.text.rstrip().endswith("?"):
                    # a question asked in the video (Q&A, "so what limits it?"): its answer is
                    # what is said next
                    pos = self._position[s]
                    for step, follow in enumerate(self.sentences[pos + 1:pos + 3], start=1):
                        if not follow.text.rstrip().endswith("?"):
                            offer(follow, score * (1 - 0.05 * step))
                    score *= 0.3
                elif definition and self._defines(s, retrieval.terms):
                    score *= 1.5
                offer(s, score)
        scored = sorted(best_of.items(), key=lambda x: -x[1])
        best = [s for s, _ in scored[:n]]
        if len(best) == 2 and scored[1][1] < 0.5 * scored[0][1]:
            best = best[:1]  # the runner-up adds little: keep the answer short
        return sorted(best, key=lambda s: s.start)
