"""Topic sections aligned to timestamps, their titles, and the course title/description.

TextTiling: where the vocabulary of the sentences before a gap stops resembling the vocabulary
after it, the speaker has changed topic. A sentence that announces a topic ("That brings us to
part three, validation.") adds to the depth of the gap before it, and names the section it opens.
Boundaries always fall on sentence starts, so a section never begins mid-sentence. Author
chapters, when given, win over both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlp.centrality import tfidf_matrix
from nlp.concepts import lecture_concepts
from nlp.discourse import Cue, find_cues
from nlp.sentence_vectors import embed
from nlp.textutil import Sentence
from nlp.titles import section_titles

SECONDS_PER_SECTION = 90  # default target: spontaneous lectures shift topic every 1-3 minutes
BALANCE = 2.0  # no lexical section may exceed this multiple of the average length
MIN_SECTION_SECONDS = 80.0  # shorter sections are too thin for a lesson and a quiz
IMBALANCE = 0.1  # weight of uneven section lengths against lexical depth in the DP
CANDIDATES_PER_SECTION = 6  # candidate gaps kept per wanted section
SMOOTHING = 3  # moving-average width over gap similarities (TextTiling's smoothing step)
WINDOW_SECONDS = 45.0  # speech compared on each side of a gap
MIN_WINDOW, MAX_WINDOW = 3, 12  # in sentences
EMBEDDING_WEIGHT = 0.6  # meaning over exact words: speakers paraphrase within a topic
# Extra depth for a gap right before an announcing sentence: a strong cue outweighs any lexical
# dip (depths are at most ~1), a weak one ("Finally, X.") about a clear dip.
CUE_BONUS = {True: 1.5, False: 0.6}
MAX_SECTIONS = 30
# Announced parts ("Part two, validation.") that average at most this long are the sections:
# a lecture planned in parts is cut where its speaker cuts it, not finer.
PLANNED_SECONDS = 300.0


@dataclass(frozen=True)
class Section:
    first: int  # index of the first sentence
    last: int  # index one past the last sentence
    start: float
    end: float
    title: str


def default_target(duration: float) -> int:
    return max(1, min(30, round(duration / SECONDS_PER_SECTION)))


def _gap_sims(x: np.ndarray, window: int) -> np.ndarray:
    """Cosine of the summed rows before gap g (between sentence g-1 and g) with those after
    it, `window` rows each side; index 0 unused."""
    n = x.shape[0]
    csum = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
    sims = np.zeros(n)
    for g in range(1, n):
        left = csum[g] - csum[max(0, g - window)]
        right = csum[min(n, g + window)] - csum[g]
        denom = np.linalg.norm(left) * np.linalg.norm(right)
        sims[g] = float(left @ right / denom) if denom > 0 else 0.0
    return sims


def _standard(v: np.ndarray) -> np.ndarray:
    sd = float(v[1:].std()) if len(v) > 2 else 0.0
    return (v - float(v[1:].mean())) / sd if sd > 0 else v - float(v[1:].mean())


def _depths(sims: np.ndarray) -> np.ndarray:
    """TextTiling: smooth the similarity curve, then score each gap by how far it dips below
    the nearest peaks on both sides."""
    n = len(sims)
    sims = sims.copy()
    if n > SMOOTHING:
        kernel = np.ones(SMOOTHING) / SMOOTHING
        sims[1:] = np.convolve(np.pad(sims[1:], 1, mode="edge"), kernel, mode="valid")
    # Each gap's nearest peak on either side, climbing while the similarity does not fall: the
    # climb from g continues the climb from its neighbour, so one pass per side (walking from
    # every gap was quadratic on flat similarities, issue #29).
    left, right = list(range(n)), list(range(n))
    for g in range(2, n):
        if sims[g - 1] >= sims[g]:
            left[g] = left[g - 1]
    for g in range(n - 2, 0, -1):
        if sims[g + 1] >= sims[g]:
            right[g] = right[g + 1]
    depths = np.zeros(n)
    for g in range(1, n):
        depths[g] = (sims[left[g]] - sims[g]) + (sims[right[g]] - sims[g])
    return depths


def window_size(sentences: Sequence[Sentence]) -> int:
    """Sentences in about WINDOW_SECONDS of speech: captions cut sentences very differently
    (auto captions have none), so the window is set by time, not by a sentence count."""
    duration = max(1.0, sentences[-1].end - sentences[0].start)
    per_second = len(sentences) / duration
    return max(MIN_WINDOW, min(MAX_WINDOW, round(per_second * WINDOW_SECONDS)))


def cohesion_depths(sentences: Sequence[Sentence], language: str = "en",
                    window: int | None = None) -> np.ndarray:
    """Depth of each gap as a topic boundary from two signals: MiniLM sentence embeddings
    (meaning: paraphrases and related words meet) and TF-IDF over content stems (the exact
    terms the speaker repeats). Each curve is standardised before they are averaged, so neither
    scale dominates; without the model, lexical cohesion alone."""
    texts = [s.text for s in sentences]
    window = window or window_size(sentences)
    lexical = _gap_sims(tfidf_matrix(texts, language), window)
    vectors = embed(texts)
    if vectors is None:
        depths = _depths(lexical)
    else:
        semantic = _gap_sims(vectors.astype(np.float64), window)
        depths = _depths(EMBEDDING_WEIGHT * _standard(semantic)
                         + (1 - EMBEDDING_WEIGHT) * _standard(lexical))
    # deepest gap = 1, so an announced topic's CUE_BONUS weighs the same on any scale
    top = float(depths.max()) if len(depths) else 0.0
    return depths / top if top > 0 else depths


def lexical_boundaries(sentences: Sequence[Sentence], target: int, language: str = "en",
                       min_seconds: float = MIN_SECTION_SECONDS,
                       max_seconds: float | None = None,
                       bonus: dict[int, float] | None = None) -> list[int]:
    """Sentence indices that start a new section (0 excluded), ascending. `bonus` adds depth
    to the gaps before the given sentence indices (announced topics)."""
    n = len(sentences)
    if n < 2 or target <= 1 and max_seconds is None:
        return []
    depths = cohesion_depths(sentences, language)
    for g, extra in (bonus or {}).items():
        if 0 < g < n:
            depths[g] += extra
    starts = [s.start for s in sentences]
    t_end = sentences[-1].end

    cap = max_seconds or float("inf")
    cands = sorted(set(_candidates(depths, target, [*starts, t_end], cap / 2))
                   | {g for g in bonus or {} if 0 < g < n})
    ideal = (t_end - starts[0]) / max(1, target)
    cuts = _best_cuts(cands, depths, starts, t_end, target, ideal, min_seconds, cap)
    return sorted(cuts)


def _candidates(depths: np.ndarray, target: int, times: Sequence[float] = (),
                max_gap: float = float("inf")) -> list[int]:
    """Local depth maxima, the deepest CANDIDATES_PER_SECTION * target of them (keeps DP cheap),
    plus the deepest gap of any stretch longer than `max_gap` seconds that none of them cuts,
    so that sections under the length cap stay possible. `times`: each sentence's start, then
    the end of the speech."""
    n = len(depths)
    peaks = [g for g in range(1, n) if depths[g] > 0
             and depths[g] >= depths[g - 1] and (g + 1 >= n or depths[g] >= depths[g + 1])]
    peaks = sorted(peaks, key=lambda g: -depths[g])[: CANDIDATES_PER_SECTION * max(2, target)]
    if len(peaks) < 2 * target:  # flat text: allow every gap
        peaks = list(range(1, n))[:: max(1, n // (CANDIDATES_PER_SECTION * max(2, target)))]
    chosen = sorted(set(peaks))
    if not times or max_gap == float("inf"):
        return chosen
    stack = list(zip([0, *chosen], [*chosen, n], strict=True))
    while stack:
        a, b = stack.pop()
        if b - a < 3 or times[b] - times[a] <= max_gap:
            continue
        g = a + 1 + int(np.argmax(depths[a + 1:b]))
        chosen.append(g)
        stack += [(a, g), (g, b)]
    return sorted(set(chosen))


def _best_cuts(cands: list[int], depths: np.ndarray, starts: list[float], t_end: float,
               target: int, ideal: float, min_s: float, max_s: float) -> list[int]:
    """DP over candidate gaps: maximise total depth minus a penalty for uneven lengths, with
    exactly `target` sections when feasible (fewer when the text is too short)."""
    pts = [0, *cands]
    times = [starts[g] for g in pts]
    m = len(pts)

    def gain(a: int, b: int) -> float | None:
        end_t = times[b] if b < m else t_end
        d = end_t - times[a]
        if d < min_s or d > max_s:
            return None
        return -IMBALANCE * ((d - ideal) / ideal) ** 2 + (depths[pts[b]] if b < m else 0.0)

    for k in range(max(1, target), 0, -1):
        neg = -1e18
        best = [[neg] * (m + 1) for _ in range(k + 1)]
        back = [[-1] * (m + 1) for _ in range(k + 1)]
        best[0][0] = 0.0
        for j in range(1, k + 1):
            for b in range(1, m + 1):
                if j < k and b == m or j == k and b != m:
                    continue
                for a in range(j - 1, b):
                    if best[j - 1][a] <= neg:
                        continue
                    g = gain(a, b)
                    if g is not None and best[j - 1][a] + g > best[j][b]:
                        best[j][b], back[j][b] = best[j - 1][a] + g, a
        if best[k][m] > neg:
            cuts, b = [], m
            for j in range(k, 0, -1):
                a = back[j][b]
                if a > 0:
                    cuts.append(pts[a])
                b = a
            return cuts
    return []


def _spaced_cues(sentences: Sequence[Sentence], cues: Sequence[Cue],
                 min_seconds: float) -> list[Cue]:
    """Cues that could each open a section at least `min_seconds` long (strong ones first)."""
    kept: list[Cue] = []
    last = sentences[0].start
    end = sentences[-1].end
    for c in cues:
        t = sentences[c.index].start
        if c.index > 0 and t - last >= min_seconds and end - t >= min_seconds:
            kept.append(c)
            last = t
    return kept


def build_sections(sentences: Sequence[Sentence], language: str = "en",
                   target: int | None = None, min_seconds: float = MIN_SECTION_SECONDS,
                   max_seconds: float | None = None,
                   chapters: Sequence[tuple[float, str]] | None = None,
                   max_sections: int = MAX_SECTIONS) -> list[Section]:
    """Sections covering all sentences; author chapters are used when given. When the speaker
    announces more parts than `target`, each announced part gets its own section (up to twice
    `target` and `max_sections`)."""
    if not sentences:
        return []
    duration = sentences[-1].end - sentences[0].start
    target = target or default_target(duration)
    if chapters:
        return _from_chapters(sentences, language, chapters, min_seconds, max_seconds)
    cues = find_cues(sentences, language)
    spaced = _spaced_cues(sentences, cues, min_seconds)
    if sum(c.strong for c in spaced) >= 2 and len(spaced) + 1 >= duration / PLANNED_SECONDS:
        target = min(len(spaced) + 1, max_sections)  # the speaker's own plan of parts
    else:
        target = max(target, min(len(spaced) + 1, 2 * target, max_sections))
    cap = max_seconds or max(min_seconds * 2, BALANCE * duration / target)
    bonus = {c.index: CUE_BONUS[c.strong] for c in cues}
    cuts = lexical_boundaries(sentences, target, language, min_seconds, cap, bonus)
    edges = [0, *cuts, len(sentences)]
    spans = list(zip(edges, edges[1:], strict=False))
    titles = section_titles([" ".join(s.text for s in sentences[a:b]) for a, b in spans],
                            language, _announced(spans, cues),
                            lecture_concepts(sentences, language))
    return [Section(a, b, sentences[a].start, sentences[b - 1].end, t)
            for (a, b), t in zip(spans, titles, strict=True)]


OPENING_SENTENCES = 3  # an announcement this close to a section's start names the section


def _announced(spans: Sequence[tuple[int, int]], cues: Sequence[Cue]) -> list[str | None]:
    """Per section, the topic announced at its start (the first section: in its first half,
    after the greeting and the agenda)."""
    out: list[str | None] = []
    for i, (a, b) in enumerate(spans):
        reach = a + (max(OPENING_SENTENCES, (b - a) // 2) if i == 0 else OPENING_SENTENCES)
        out.append(next((c.topic for c in cues if a <= c.index < min(b, reach)), None))
    return out


def _from_chapters(sentences: Sequence[Sentence], language: str,
                   chapters: Sequence[tuple[float, str]], min_seconds: float,
                   max_seconds: float | None) -> list[Section]:
    starts = [s.start for s in sentences]
    spans: list[list] = []  # [first, last, title]
    for t, title in sorted(chapters):
        first = next((i for i, st in enumerate(starts) if st >= t - 0.5), len(starts))
        if spans and first <= spans[-1][0]:
            continue
        if not spans and first > 0:
            first = 0  # speech before the first chapter marker belongs to it
        spans.append([first, len(starts), title.strip() or "Introduction"])
    for a, b in zip(spans, spans[1:], strict=False):
        a[1] = b[0]
    spans = [s for s in spans if s[0] < s[1]]

    def dur(s: list) -> float:
        return sentences[s[1] - 1].end - sentences[s[0]].start

    merged: list[list] = []
    for s in spans:  # tiny chapters join their predecessor; the longer one names the result
        if merged and (dur(s) < min_seconds or dur(merged[-1]) < min_seconds):
            prev = merged[-1]
            title = prev[2] if dur(prev) >= dur(s) else s[2]
            merged[-1] = [prev[0], s[1], title]
        else:
            merged.append(list(s))
    out: list[Section] = []
    for a, b, title in merged:
        if max_seconds and dur([a, b]) > max_seconds:
            sub = sentences[a:b]
            cuts = lexical_boundaries(sub, math.ceil(dur([a, b]) / max_seconds), language,
                                      min_seconds, max_seconds)
            edges = [0, *cuts, len(sub)]
            parts = list(zip(edges, edges[1:], strict=False))
            names = section_titles([" ".join(s.text for s in sub[x:y]) for x, y in parts],
                                   language, concepts=lecture_concepts(sub, language))
            for (x, y), name in zip(parts, names, strict=True):
                out.append(Section(a + x, a + y, sub[x].start, sub[y - 1].end,
                                   f"{title}: {name}"))
        else:
            out.append(Section(a, b, sentences[a].start, sentences[b - 1].end, title))
    return out
