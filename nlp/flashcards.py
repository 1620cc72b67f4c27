"""Flashcards from a section's own definitional sentences: each card names a concept and says
what it is, in the lecture's words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.domain import Flashcard
from core.timecodes import timestamp
from nlp.concepts import is_concept
from nlp.keyphrases import same_term
from nlp.lesson import definition_parts, dependent, tidy
from nlp.sentences import detect_language, to_sentences
from nlp.textutil import Segment, Sentence, words

_CALLED_AFTER = re.compile(
    r"^(?:(?:and|so|but|now)\s*,?\s+)*(?:that's|that is|this is|it's|it is|which is|those are"
    r"|these are|eso se llama|esto se llama|eso es lo que llamamos)\s+(?:called|known as)?\s*"
    r"(?:an?\s+|the\s+|un\s+|una\s+|el\s+|la\s+)?(?P<t>[\w-]+(?:\s[\w-]+){0,2})[.!]?$",
    re.IGNORECASE)


def _named_after(sents: Sequence[Sentence], i: int) -> tuple[str, str] | None:
    """"<description>. And that's called a class.": (term, the two sentences as one card),
    when the description stands alone."""
    m = _CALLED_AFTER.match(sents[i].text.strip())
    if m is None or i == 0 or "call" not in sents[i].text.lower() and "llam" not in (
            sents[i].text.lower()):
        return None
    prev = tidy(sents[i - 1].text)
    if dependent(prev) or len(words(prev)) < 4:
        return None
    return m.group("t"), f"{prev} {tidy(sents[i].text)}"


def make_flashcards(segments: Sequence[Segment], language: str | None = None,
                    terms: Sequence[str] | None = None, max_cards: int = 8) -> list[Flashcard]:
    """Cards only where the lecture defines a term ("X is a ...", "X means ...", "... that's
    called X", "X es un ...", "... se llama X"), and (given the lecture's concepts `terms`) only
    for a concept: a card that does not define its term teaches nothing. Each card's stamp is
    its own sentence's moment."""
    lang = language or detect_language(" ".join(s[2] for s in segments))
    sents = to_sentences(segments, lang)
    text = " ".join(s.text for s in sents)
    cards: list[Flashcard] = []
    for i, s in enumerate(sents):
        found = _named_after(sents, i)
        if found is None and (parts := definition_parts(s.text)) is not None:
            definition = tidy(s.text)
            found = (parts[0], definition) if not dependent(definition) else None
        if found is None:
            continue
        term = found[0].strip()
        if terms is not None and not any(same_term(term, t) for t in terms):
            continue
        if not is_concept(term, text, lang, defined=True):
            continue
        if any(same_term(term, c.term) for c in cards):
            continue
        cards.append(Flashcard(term=term, definition=f"{found[1]} {timestamp(s.start)}"))
    return cards[:max_cards]
