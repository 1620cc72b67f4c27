"""Flashcards: the term is a noun phrase naming a key concept; the definition says what the term
is or does, and stands alone (no leading pronoun or conjunction pointing at unseen context)."""

from __future__ import annotations

import re

from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.evaluators.base import EvalResult, share, skipped
from evals.evaluators.base import finding as make_finding
from evals.evaluators.slices import views
from evals.lexicon import (
    concepts_of,
    is_concept,
    leads_on_context,
    noun_phrase_problem,
    repeated_noun_phrase,
)

_STAMP = re.compile(r"\s*\[\d{1,2}:\d{2}(?::\d{2})?\]\s*$")
# "X is/are/means/refers to ...", "... is called X", "X, which is ...", Spanish equivalents.
# a copula followed by a place or "the same" says where or how it is, not what it is
_DEFINING = (r"(?:(?:is|are|was|were|es|son)(?!\s+(?:in|on|at|here|there|still|also"
             r"|going|gonna|the same|la misma|el mismo|lo mismo)\b)|means|mean|refers to|refer to"
             r"|stands for|represents|describes"
             r"|is defined as|is known as|is basically|is just|is simply|consists of|contains"
             r"|holds|lets you|allows|does|takes|returns|gives|tells?|counts|computes"
             r"|stores|creates|makes|matches|finds|significa|se define como"
             r"|se refiere a|representa|consiste en|sirve para)")
_CALLED = r"(?:is called|are called|'s called|we call|known as|called|se llama|se llaman|llamamos)"


def definitional(term: str, definition: str) -> bool:
    """The definition says what `term` is or does: the term (or its last word, the head) is
    followed within three words by a defining verb, or is named by "called X"."""
    text = _STAMP.sub("", definition)
    ws = term.split()
    for form in {term, ws[-1], ws[0]} if ws else {term}:
        f = re.escape(form.rstrip("s"))
        if re.search(rf"(?<![\w-]){f}\w*(?:\s+[\w'-]+){{0,3}}?\s+{_DEFINING}\b", text,
                     re.IGNORECASE):
            return True
        if re.search(rf"\b{_CALLED}\s+(?:an?\s+|the\s+)?{f}", text, re.IGNORECASE):
            return True
    return False


def card_problems(term: str, definition: str, slice_text: str, item: EvalItem,
                  language: str | None) -> list[str]:
    problems = []
    concepts = concepts_of(item.reference)
    if (why := noun_phrase_problem(term, slice_text, language)) is not None:
        problems.append(f"term is not a noun phrase: {why}")
    elif concepts and not (is_concept(term, concepts)
                           or repeated_noun_phrase(term, slice_text, language)):
        problems.append(f"term {term!r} names no key concept")
    if not definitional(term, definition):
        problems.append("definition does not say what the term is or does")
    if (lead := leads_on_context(_STAMP.sub("", definition))) is not None:
        problems.append(f"definition does not stand alone (starts {lead!r})")
    return problems


def flashcards_good(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Share of flashcards naming a key concept with a stand-alone definitional sentence."""
    if item.reference is None:
        return skipped("cards", "no reference")
    good = total = 0
    findings = []
    for view in views(course, item):
        cards = view.section.supplement.flashcards if view.section.supplement else []
        for n, card in enumerate(cards, 1):
            total += 1
            problems = card_problems(card.term, card.definition, view.text, item,
                                     item.expected_language)
            if problems:
                findings.append(make_finding(f"{view.label} card {n}", "; ".join(problems),
                                             f"{card.term} — {card.definition}"))
            else:
                good += 1
    return share("cards", good, total, "cards name a key concept and define it", findings)
