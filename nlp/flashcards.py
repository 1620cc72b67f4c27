"""Flashcards from a section's own sentences: definitional sentences first, then key terms in
sentences whose subject they are, so each card teaches something about its term."""

from __future__ import annotations

from collections.abc import Sequence

from core.domain import Flashcard
from core.timecodes import timestamp
from nlp.centrality import centrality_scores
from nlp.keyphrases import key_terms, same_term, verbs_en
from nlp.lesson import definition_parts, tidy
from nlp.questions import candidates, sibling_phrases
from nlp.sentences import detect_language, to_sentences
from nlp.textutil import Segment, Sentence, find_term, stopwords, words
from nlp.titles import noun_like, verb_like

MIN_CARDS = 3

_LEAD_WORDS = frozenset("so and but now then also well okay the a an this these our your el la los "
                       "las un una y pero entonces".split())


def about(term: str, sentence: str, language: str) -> bool:
    """The sentence is about the term: the term is its subject ("A shared cache sits between
    ..."), so the card teaches something about it. "response: ... a response that contains
    personal data must never be stored ..." only mentions it."""
    m = find_term(term, sentence)
    if m is None or not all(w.lower() in _LEAD_WORDS for w in words(sentence[: m.start()])):
        return False
    rest = sentence[m.end():].lstrip()
    nxt = (words(rest)[:1] or [""])[0].lower()
    if not rest or not rest[0].isalnum() or nxt in stopwords(language) or nxt in verbs_en():
        return True
    # "A fresh response ...", "HTML page ...": the term only modifies the subject
    return _technical(term) and nxt.endswith("s") and not nxt.endswith("ss")


def _technical(term: str) -> bool:
    """A term of art by its form: several words, a hyphen, or capitals (ETag, max-age)."""
    return " " in term or "-" in term or any(c.isupper() for c in term)


def _card_text(s: Sentence) -> str:
    return f"{tidy(s.text)} {timestamp(s.start)}"


def make_flashcards(segments: Sequence[Segment], language: str | None = None,
                    terms: Sequence[str] | None = None, max_cards: int = 8) -> list[Flashcard]:
    """Cards from definitional sentences first, then key terms with their best sentence."""
    lang = language or detect_language(" ".join(s[2] for s in segments))
    sents = to_sentences(segments, lang)
    if not sents:
        return []
    cards: list[Flashcard] = []
    for s in sents:
        parts = definition_parts(s.text)
        if parts and not any(same_term(parts[0], c.term) for c in cards):
            cards.append(Flashcard(term=parts[0], definition=_card_text(s)))
    text = " ".join(s.text for s in sents)
    scores = centrality_scores([s.text for s in sents], lang)
    everything = list(dict.fromkeys([*(terms or []), *key_terms(text, lang, top=20)]))
    wanted = [t for t in everything if noun_like(t, text, lang) and not verb_like(t, text, lang)]
    wanted += sibling_phrases(text, wanted, lang, any_head=True)  # "strong ETag", "weak ETag"
    used: set[int] = set()
    # then, to reach MIN_CARDS: a technical term in any sentence that names it ("content
    # delivery networks"); last, any key term in its best sentence
    technical = [t for t in wanted if _technical(t)]
    def subject(term: str, sentence: str) -> bool:
        return about(term, sentence, lang)

    for pool, limit, keep, strict in ((wanted, max_cards, subject, True),
                                      (technical, MIN_CARDS, None, True),
                                      (everything, MIN_CARDS, None, False)):
        for term, i in candidates(sents, pool, scores, strict, used, keep):
            if len(cards) >= limit:
                break
            if any(same_term(term, c.term) for c in cards):
                continue
            s = sents[i]
            cards.append(Flashcard(term=term, definition=_card_text(s)))
    return cards[:max_cards]

