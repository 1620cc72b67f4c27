"""Section titles and the course title/description.

A section the speaker opens with an announcement ("Part three, validation.") is titled with the
announced topic; otherwise with its most distinctive key phrases, noun phrases only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from nlp.keyphrases import extract_keyphrases, same_term, verbs_en
from nlp.textutil import Sentence, base_language, find_term, stopwords, words

# --- titles --------------------------------------------------------------------------------

_SMALL_EN = frozenset("a an and as at but by for from in into of on or the to vs via with".split())


def title_case(phrase: str, language: str = "en") -> str:
    """English headline case that keeps acronyms/brands (ETag, HTTP); sentence case otherwise."""
    if base_language(language) != "en":
        return phrase[:1].upper() + phrase[1:]
    out = []
    for i, w in enumerate(phrase.split()):
        if any(c.isupper() for c in w):
            out.append(w)
        elif i > 0 and w in _SMALL_EN:
            out.append(w)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    return " ".join(out)


def _count(term: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE))


# Words before a term that show it used as a verb ("to convert", "you check", "we merge").
_VERB_BEFORE = frozenset("to you we i they can will would should must could let's lets don't "
                         "doesn't didn't then please".split())
_NOUN_BEFORE = frozenset("the a an this that these those its your our their my his her of "
                         "each every any some no".split())


def verb_like(term: str, text: str, language: str = "en") -> bool:
    """A one-word English term that the speaker mostly uses as a verb ("convert", "check")."""
    if base_language(language) != "en" or len(words(term)) != 1:
        return False
    before = [m.group(1).lower() for m in re.finditer(
        rf"(\S+)\s+{re.escape(term)}(?![\w-])", text, re.IGNORECASE)]
    verbish = sum(w in _VERB_BEFORE for w in before)
    nounish = sum(w in _NOUN_BEFORE for w in before)
    return verbish > nounish


def noun_like(term: str, text: str, language: str = "en") -> bool:
    """A one-word English term counts as a noun when it is capitalised mid-sentence (Git, ETag)
    or follows a determiner at least once ("the light"); "green", "back", "open" do not."""
    if base_language(language) != "en" or len(words(term)) != 1:
        return True
    if re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(term)}\b", text) and term[:1].isupper():
        return True
    before = [m.group(1).lower() for m in re.finditer(
        rf"(\S+)\s+{re.escape(term)}(?![\w-])", text, re.IGNORECASE)]
    return any(w in _NOUN_BEFORE or w.endswith("'s") for w in before)


def modifier_only(term: str, text: str, language: str = "en") -> bool:
    """A one-word English term that only ever modifies the next word ("current" in "current
    age", "current version"): an adjective, a poor key concept and a give-away distractor
    ("Every request a current makes ...")."""
    if base_language(language) != "en" or len(term.split()) != 1:
        return False
    after = [m.group(1) for m in re.finditer(
        rf"(?<![\w-]){re.escape(term)}(?![\w-])(\s+[\w'-]+|\W|$)", text, re.IGNORECASE)]
    stop = stopwords(language)
    return bool(after) and all(
        a[:1].isspace() and a.strip().lower() not in stop and a.strip().lower() not in verbs_en()
        for a in after)


def _keyphrase_options(text: str, texts: Sequence[str], language: str) -> list[str]:
    """Candidate titles from key phrases, best first: the most distinctive noun phrase alone
    when it is a multi-word term, else two single terms joined ("Branches and Merging")."""
    joiner = " y " if base_language(language) == "es" else " and "
    scored = []
    for rank, term in enumerate(k.text for k in extract_keyphrases(text, language, top=10)):
        here = _count(term, text)
        if rank > 0 and here < 2:
            continue  # a topic is repeated; one-off phrases are often clause fragments
        if verb_like(term, text, language) or joiner.strip() in term.lower().split() or (
                not noun_like(term, text, language)):
            continue
        distinct = here / (sum(_count(term, t) for t in texts) or 1)
        if len(texts) > 2 and all(_count(term, t) for t in texts):
            distinct /= 2  # in every section: the course's subject, not this section's topic
        multi = 1.6 if len(words(term)) > 1 else 1.0
        scored.append((distinct * math.log1p(here) * multi / math.sqrt(1 + rank), term))
    ranked = [t for _, t in sorted(scored, key=lambda p: -p[0])]
    # a single word that a repeated multi-word term of the section contains ("data" in "data
    # structures") is that term, said short: the term is the more specific title
    if ranked and len(words(ranked[0])) == 1:
        longer = [t for t in ranked[1:4] if len(words(t)) > 1 and _count(t, text) >= 3
                  and any(same_term(ranked[0], w) for w in words(t))]
        if longer:
            ranked.remove(longer[0])
            ranked.insert(0, longer[0])
    options = []
    for a in ranked[:4]:
        pairs = [title_case(a, language) + joiner + title_case(b, language)
                 for b in ranked[:5] if b != a and not same_term(a, b)]
        alone = [title_case(a, language)]
        options += alone + pairs if len(words(a)) > 1 else pairs[:2] + alone
    return options


SECOND_CONCEPT = 0.6  # a second concept joins the title when it scores this close to the first


def _concept_options(text: str, texts: Sequence[str], concepts: Sequence[str],
                     language: str) -> list[str]:
    """Candidate titles from the lecture's key concepts (nlp.concepts) this section says, most
    distinctive first: the main concept with a second one only when the second is nearly as
    strong ("Lists and Tuples"), else the main concept alone."""
    joiner = " y " if base_language(language) == "es" else " and "
    scored = []
    for term in concepts:
        here = _count(term, text)
        if here < 2:
            continue  # said once here: an aside, not what the section is about
        distinct = here / (sum(_count(term, t) for t in texts) or 1)
        if len(texts) > 2 and all(_count(term, t) for t in texts):
            distinct /= 2  # in every section: the course's subject, not this section's topic
        multi = 1.3 if len(words(term)) > 1 else 1.0
        scored.append((distinct * math.log1p(here) * multi, term))
    ranked = sorted(scored, key=lambda p: -p[0])
    options: list[str] = []
    for score, a in ranked[:4]:
        pairs = [title_case(a, language) + joiner + title_case(b, language)
                 for sc, b in ranked[:5] if b != a and not same_term(a, b)
                 and sc >= SECOND_CONCEPT * score and not (find_term(a, b) or find_term(b, a))]
        options += pairs[:1] + [title_case(a, language)] + pairs[1:2]
    return options


def section_titles(texts: Sequence[str], language: str = "en",
                   announced: Sequence[str | None] | None = None,
                   concepts: Sequence[str] = ()) -> list[str]:
    """One distinct title per section: the topic the speaker announced for it when there is one
    (and it is specific), else the lecture's key concepts it is most about, else its most
    distinctive key phrases."""
    from nlp.discourse import GENERIC_TOPICS

    titles: list[str] = []
    for i, text in enumerate(texts):
        used = {t.lower() for t in titles}
        spoken = announced[i] if announced and i < len(announced) else None
        options = []
        if spoken and spoken.lower() not in GENERIC_TOPICS:
            options.append(title_case(spoken, language))
        options += _concept_options(text, texts, concepts, language)
        options += _keyphrase_options(text, texts, language)
        title = next((o for o in options if o.lower() not in used), None)
        if title is None:
            title = title_case(" ".join(words(text)[:6]), language) or "Section"
            while title.lower() in used:
                title += " (cont.)"
        titles.append(title)
    return titles


# --- course title --------------------------------------------------------------------------

_TOPIC = re.compile(
    r"(?:(?:lecture|talk|session|video|class|course|chapter|lesson)\b[^.]{0,30}?"
    r"\b(?:on|about|covers)|welcome\s+to\s+(?:chapter|lecture|lesson|part|week|unit)\s+[\w.]+\s*[,:-]"
    r"|introduction to|(?:going to|gonna|will|we'll|let's)\s+(?:look at"
    r"|talk about|discuss|learn about|explore|cover))\s+(?:the\s+|an?\s+)?(?P<en>[^.,;!?]{3,60}?)"
    r"(?:\s+(?:in|for)\s+(?:this|today's)\s+(?:chapter|lecture|lesson|video|session|class)"
    r"|\s+today)?(?=[.,;!?]|$)"
    r"|(?:hablar|hablaremos|trata|tratar|sobre)\s+(?:de\s+)?(?:la\s+|el\s+|los\s+|las\s+)?"
    r"(?P<es>[^.,;!?]{3,60})",
    re.IGNORECASE,
)


def course_title(sentences: Sequence[Sentence], language: str,
                 key_terms: Sequence[str], section_names: Sequence[str] = ()) -> tuple[str, str]:
    """(title, description): the topic the speaker announces in the intro, else key terms."""
    intro = sentences[:12]
    title = ""
    for s in intro:
        m = _TOPIC.search(s.text)
        if m:
            topic = (m.group("en") or m.group("es") or "").strip()
            if 1 <= len(words(topic)) <= 8 and any(
                    find_term(k, topic) or same_term(k, topic) for k in key_terms[:15]):
                title = title_case(topic, language)
                break
    if not title:
        terms = [t for t in key_terms if len(words(t)) > 1][:1] or list(key_terms[:1])
        joiner = " y " if base_language(language) == "es" else " and "
        rest = [t for t in key_terms if t not in terms and not same_term(t, terms[0])][:1] \
            if terms else []
        title = joiner.join(title_case(t, language) for t in terms + rest) or "Lecture"
    # the speaker's greeting makes a poor description: say what the course covers instead
    topics = "; ".join(section_names[:8]) if section_names else ", ".join(key_terms[:6])
    if base_language(language) == "es":
        description = f"Un curso sobre {title.lower()}. Temas: {topics}."
    else:
        description = f"A course on {title}. Topics: {topics}."
    return title, description


def as_phrase(title: str) -> str:
    """A title read inside a sentence: "Why Caching Matters" -> "why caching matters", while
    words with inner capitals ("ETag", "CDNs", "Cache-Control") keep their spelling."""
    return " ".join(w if w[1:] != w[1:].lower() else w.lower() for w in title.split())
