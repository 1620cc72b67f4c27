"""Key terms of a stretch of text with YAKE, filtered to verbatim, noun-like, non-redundant terms.

YAKE is unsupervised and ships its stopword lists, so it works offline on one document. Its raw
output contains verb phrases ("client sends ACK"), near-duplicates ("cache"/"caches") and speech
glue; the filters below remove those so the terms can be used as titles, blanks and flashcards.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nlp.textutil import base_language, find_term, fold, stem, stopwords, words

MAX_WORDS = 3  # longer YAKE candidates are rarely a term of art
OVERSAMPLE = 5  # ask YAKE for this many times `top`: the filters below drop many candidates
DEDUP_LIMIT = 0.8  # YAKE's own near-duplicate cut (seqm); ours handles the stem/substring cases

# Common English verbs in -s/-ed form that end YAKE phrases like "TCP adds" or "server answers".
_VERBS_EN = set(
    "adds answers asks becomes brings calls carries changes checks chooses comes contains "
    "creates decides depends does drops explains finds follows gets gives goes happens has "
    "helps holds includes keeps knows lets likes looks makes means moves needs opens picks "
    "points puts reads receives replies returns runs says sees sends sets shows starts stays "
    "takes talks tells thinks tries turns uses wants works writes added answered asked called "
    "changed checked created decided explained found gave got happened kept made meant moved "
    "needed opened received replied returned said sent showed started stayed talked told tried "
    "turned used wanted worked wrote went came took done seen given known acknowledges refers "
    "reduces fix fixes".split()
)


def verbs_en() -> frozenset[str]:
    """Common English verbs in -s/-ed form (a term followed by one is a clause's subject)."""
    return _VERBS_EN_FROZEN


_VERBS_ES = set(
    "es son está están hay tiene tienen hace hacen puede pueden dice dicen sube suben baja bajan "
    "va van fue era sería significa llama llaman mide miden compra compramos vamos".split()
)
_VERBS_EN_FROZEN = frozenset(_VERBS_EN)
_LINKING = frozenset("with for to in on at by from into than as con por para en que".split())
# "and" is no joiner: YAKE's "X and Y" candidates are two terms or a clause ("array and
# remember"), and titles join two terms themselves
_JOINERS = frozenset("of de del".split())
_NUMBER = re.compile(r"^[\d.,%/:-]+$")


@dataclass(frozen=True)
class Keyphrase:
    text: str  # surface form as it occurs in the text (most frequent casing)
    score: float  # YAKE score: lower is better


def _surface(term: str, text: str) -> str | None:
    """The most frequent verbatim casing of `term` in `text`, or None when it never occurs."""
    found = [m.group(0) for m in re.finditer(
        rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE)]
    if not found:
        return None
    return Counter(found).most_common(1)[0][0]


def acceptable_term(term: str, language: str) -> bool:
    """A verbatim candidate that reads as a term: no clause fragment, verb or stopword edge."""
    toks = words(term)
    if not toks or len(toks) > MAX_WORDS + 1 or len(term) < 3:
        return False
    stop = stopwords(language)
    lowered = [t.lower() for t in toks]
    if lowered[0] in stop or lowered[-1] in stop or _NUMBER.match(term):
        return False
    if all(t in stop or t.isdigit() for t in lowered):
        return False
    if any(t in stop and len(toks) == 1 for t in lowered):
        return False
    verbs = _VERBS_ES if base_language(language) == "es" else _VERBS_EN
    if any(t in verbs for t in lowered):
        return False  # "sends SYN", "TCP adds": clause fragments, not terms
    if base_language(language) == "en" and lowered[-1].endswith("ed") and len(lowered[-1]) > 4:
        return False  # "called", "cache stored"
    if base_language(language) == "es" and any(t.endswith(("amos", "emos")) for t in lowered):
        return False  # first-person plural verbs: "compramos"
    if base_language(language) == "en" and len(toks) > 1 and (
            lowered[0].endswith("ly") or lowered[-1].endswith("ly")):
        return False  # "famously misleading": adverb-led, not a term
    if any(t in stop and t not in _JOINERS for t in lowered[1:-1]):
        return False  # "suppose you type": a clause, not a term
    if any(t in _LINKING for t in lowered[1:-1]):
        return False  # "SYN with sequence": two terms glued by a preposition
    return not (len(toks) > 1 and sum(t in stop for t in lowered) > 1)


_DETERMINERS = frozenset("the a an its this that these those his her their our your my it them "
                         "el la los las un una unos unas lo su sus".split())


def _clause_fragment(term: str, text: str) -> bool:
    """A multi-word candidate mostly followed by an article is subject + verb ("server
    acknowledges the ...", "inflación reduce el ..."), not a noun phrase."""
    if len(words(term)) < 2:
        return False
    nxt = [m.group(1).lower() for m in re.finditer(
        rf"(?<![\w-]){re.escape(term)}\s+(\w+)", text, re.IGNORECASE)]
    return bool(nxt) and sum(w in _DETERMINERS for w in nxt) * 2 >= len(nxt)


def _completed(term: str, text: str, language: str) -> str:
    """The term with the word that always comes before it, when it recurs: YAKE cuts
    "content delivery networks" to "delivery networks" when the n-gram limit or scoring
    favours the shorter phrase; a fragment makes a poor flashcard or blank."""
    if len(words(term)) > MAX_WORDS:
        return term
    before = [m.group(1) for m in re.finditer(
        rf"([\w-]+)\s+{re.escape(term)}(?![\w-])", text, re.IGNORECASE)]
    total = len(re.findall(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE))
    if total < 2 or len(before) != total or len({b.lower() for b in before}) != 1:
        return term
    longer = _surface(f"{before[0]} {term}", text)
    if longer and acceptable_term(longer, language) and not _clause_fragment(longer, text):
        return longer
    return term


def _key(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(term))


def _contains(long_: tuple[str, ...], short: tuple[str, ...]) -> bool:
    return any(long_[i: i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _redundant(key: tuple[str, ...], kept: list[tuple[str, ...]]) -> bool:
    """A variant (same stems) or a fragment of a better term. A longer term that contains a
    better single word ("shared cache" after "cache") is kept: it names a narrower concept."""
    return any(key == other or (len(key) < len(other) and _contains(other, key))
               for other in kept)


def extract_keyphrases(text: str, language: str = "en", top: int = 10) -> list[Keyphrase]:
    """Ranked key terms (best first) that occur verbatim in `text`, deduplicated."""
    import yake

    lang = base_language(language)
    if not text.strip():
        return []
    extractor = yake.KeywordExtractor(lan=lang, n=MAX_WORDS, top=top * OVERSAMPLE,
                                      dedup_lim=DEDUP_LIMIT, stopwords=set(stopwords(lang)))
    out: list[Keyphrase] = []
    kept: list[tuple[str, ...]] = []
    for term, score in extractor.extract_keywords(text):
        surface = _surface(term.strip(), text)
        if surface is None or not acceptable_term(surface, lang) or _clause_fragment(surface, text):
            continue
        for _ in range(MAX_WORDS - 1):  # "Year" -> "New Year" -> "Happy New Year"
            longer = _completed(surface, text, lang)
            if longer == surface:
                break
            surface = longer
        key = _key(surface)
        if _redundant(key, kept):
            continue
        kept.append(key)
        out.append(Keyphrase(surface, float(score)))
        if len(out) >= top:
            break
    return out


def key_terms(text: str, language: str = "en", top: int = 10) -> list[str]:
    return [k.text for k in extract_keyphrases(text, language, top)]


def occurs(term: str, text: str) -> bool:
    return find_term(term, text) is not None


def same_term(a: str, b: str) -> bool:
    """True when two terms are variants of each other (shared stem run), e.g. cache/caches."""
    ka, kb = _key(a), _key(b)
    return bool(ka and kb) and (_contains(ka, kb) or _contains(kb, ka) or fold(a) == fold(b))
