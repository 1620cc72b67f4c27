"""The lecture's key concepts: noun phrases it defines, repeats or contrasts.

Titles, quiz keys, distractors and flashcards draw on this one list, so none of them is a
filler phrase, a name, example data or a phrase the recogniser garbled. YAKE proposes; a
candidate is kept when it reads as a noun, is not a person's name, and recurs (a multi-word
phrase said once is usually a mis-hearing or a one-off remark) unless the speaker defines it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.keyphrases import acceptable_term, key_terms, same_term
from nlp.lesson import definition_parts
from nlp.textutil import Sentence, base_language, fold, words
from nlp.titles import modifier_only, noun_like, verb_like

CANDIDATES = 45  # YAKE candidates read; the filters below keep about half
MIN_MENTIONS = 2  # a concept the lecture teaches is said more than once

# Idioms YAKE ranks as phrases: speech, not subject matter.
_IDIOMS = frozenset({
    "matter of fact", "end of the day", "little bit", "first time", "long time", "bit",
    "way", "lot", "kind", "sort", "point", "thing", "stuff", "number", "sense", "time",
    "día", "manera", "forma", "cosa", "vez", "punto", "momento", "tiempo",
})
# Verbs that make a capitalised word before them a person ("Ken did", "Dennis wrote").
_PERSON_VERBS = frozenset(
    "said says did does told wrote came went thought asked decided worked knew joined left "
    "invented built designed dijo hizo escribió pensó".split())


def mentions(term: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE))


def _titlecase_only(term: str, text: str) -> bool:
    """Every word capitalised (not an acronym, no digits) and never said in lower case."""
    toks = words(term)
    return bool(toks) and all(t[:1].isupper() and t[1:].islower() and t.isalpha()
                              for t in toks) and not re.search(
        rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])", text)


def person_like(term: str, text: str) -> bool:
    """A name of a person or of example people: a capitalised-only term that is listed with
    other capitalised words ("Joseph, Glenn, and Sally") or does what people do ("Ken did")."""
    if not _titlecase_only(term, text):
        return False
    t = re.escape(term)
    name = r"[A-Z][a-z]+"
    listed = re.search(rf"(?:\b{name},\s+(?:and\s+)?{t}\b|\b{t},?\s+and\s+{name}\b"
                       rf"|\b{t},\s+{name}\b)", text)
    acting = re.search(rf"\b{t}\s+(\w+)", text)
    return bool(listed) or bool(acting and acting.group(1).lower() in _PERSON_VERBS)


# Spanish words YAKE keeps that are pronouns or verbs, never concepts (English has the
# determiner test of noun_like; Spanish has none).
_NOT_NOUNS_ES = frozenset(
    "esto eso esta este ese esa estos esas aquello yo tú él ella nosotros ustedes ellos voy vas "
    "va vamos van quiero quieres quiere eres soy es son era fue tengo tienes tiene hacer hago "
    "puedo puedes puede realmente entonces también muy más menos you that this "
    "tu tus te se me nos mi mis su sus primera primero segunda segundo tercera tercero "
    "última último pequeño pequeña pequeños pequeñas grande grandes nuevo nueva".split())
# Spanish nouns that end like an infinitive ("el poder adquisitivo", "un lugar").
_NOUNS_LIKE_VERBS_ES = frozenset(
    "lugar hogar azúcar mar collar poder mujer taller placer carácter militar altar dólar par "
    "bar nivel cáncer ser deber quehacer amanecer atardecer".split())
_DETERMINERS_ES = frozenset(
    "el la los las un una unos unas este esta estos estas ese esa esos esas del al su sus mi "
    "mis tu tus nuestro nuestra cada otro otra otros otras".split())


def verb_like_es(term: str, text: str) -> bool:
    """A Spanish term that is a verb, not a concept: it opens with an infinitive ("escribir
    programas") or a gerund ("escribiendo"), or, said alone, is an adverb ("probablemente") or
    never follows a determiner ("contiene", "ocurre", "sostenido" — "el sostenido" would)."""
    toks = [fold(w.lower()) for w in words(term)]
    if not toks:
        return False
    first = toks[0]
    if first not in _NOUNS_LIKE_VERBS_ES and len(first) > 3 and re.search(
            r"(?:ar|er|ir)(?:se)?$|(?:ando|iendo|yendo)$", first):
        return True
    if len(toks) > 1:
        return False
    if first.endswith("mente"):
        return True
    if term.isupper() or (term[:1].isupper() and re.search(
            rf"(?<![.!?]\s)(?<!^)\b{re.escape(term)}\b", text)):
        return False  # an acronym or a name of a thing (CPU, Python)
    before = [fold(m.group(1).lower()) for m in re.finditer(
        rf"(\S+)\s+{re.escape(term)}(?![\w-])", text, re.IGNORECASE)]
    return not any(w in _DETERMINERS_ES for w in before)


def _example_data(term: str) -> bool:
    return any(ch.isdigit() for ch in term) and not re.search(r"[A-Za-z]{2,}", term)


def defined_terms(sents: Sequence[Sentence]) -> list[str]:
    """Terms the speaker defines ("A list is a kind of collection.", "X means ...")."""
    out: list[str] = []
    for s in sents:
        parts = definition_parts(s.text)
        if parts and not any(same_term(parts[0], t) for t in out):
            out.append(parts[0])
    return out


def _as_said(term: str, text: str) -> str:
    """A term capitalised only because it opened a sentence ("Lists are ...") in the case the
    lecture mostly says it ("list")."""
    if term[:1].isupper() and term[1:] == term[1:].lower():
        low = term.lower()
        single = low[:-1] if low.endswith("s") and not low.endswith("ss") else low
        for form in (single, low):
            if mentions(form, text) and re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])",
                                                  text):
                return form
    return term


def is_concept(term: str, text: str, language: str, defined: bool = False) -> bool:
    """`term` can be a key concept of a lecture whose whole text is `text`."""
    low = fold(term.strip().lower())
    if not low or low in _IDIOMS or _example_data(term) or person_like(term, text):
        return False
    if any(fold(w.lower()) in _NOT_NOUNS_ES for w in words(term)):
        return False
    if base_language(language) == "es" and verb_like_es(term, text):
        return False
    if defined:  # the speaker's own "X is a ...": a noun phrase by its grammar
        return True
    if not acceptable_term(term, language) or not noun_like(term, text, language) or (
            verb_like(term, text, language) or modifier_only(term, text, language)):
        return False
    return mentions(term, text) >= MIN_MENTIONS


def lecture_concepts(sents: Sequence[Sentence], language: str, top: int = 30) -> list[str]:
    """Up to `top` key concepts of the lecture, the defined ones first, then by YAKE rank."""
    text = " ".join(s.text for s in sents)
    lang = base_language(language)
    defined = [_as_said(t, text) for t in defined_terms(sents) if len(words(t)) <= 4]
    found: list[str] = []
    for term in defined:  # a course concept is also a noun in use (a distractor, a blank)
        if is_concept(term, text, lang, defined=True) and noun_like(term, text, lang) and not (
                verb_like(term, text, lang) or modifier_only(term, text, lang)) and (
                len(words(term)) == 1 or mentions(term, text) >= MIN_MENTIONS):
            found.append(term)
    for term in key_terms(text, lang, top=CANDIDATES):
        if any(same_term(term, f) and len(words(term)) == len(words(f)) for f in found):
            continue
        if is_concept(term, text, lang):
            found.append(term)
    return found[:top]


def section_concepts(text: str, concepts: Sequence[str]) -> list[str]:
    """The lecture's concepts that this section says, most mentioned first."""
    here = [(mentions(c, text), i, c) for i, c in enumerate(concepts)]
    return [c for n, _, c in sorted(here, key=lambda x: (-x[0], x[1])) if n > 0]
