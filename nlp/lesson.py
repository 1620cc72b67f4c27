"""A Markdown lesson written only from the section's own sentences (nothing is generated).

Overview = the most central sentences; definitions and examples are quoted with [mm:ss] stamps so
a learner can jump back to the video; last, under a "Transcript" heading, the section's cleaned
speech in paragraphs broken at pauses and topic shifts (shown as the transcript, never as the
lesson). The markdown has no title heading (the section title is printed by every
renderer) and no key points: those are the separate `key_points` field, rendered after the
lesson, so putting them in the markdown too would show them twice. All text is HTML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from core.domain import SectionContent, SourceRef
from core.timecodes import timestamp
from nlp.centrality import centrality_scores, tfidf_matrix
from nlp.discourse import announces, speaker_talk
from nlp.sentences import detect_language, to_sentences
from nlp.textutil import Segment, Sentence, base_language, content_stems, escape_md

PARAGRAPH_MIN, PARAGRAPH_MAX = 3, 5  # sentences per paragraph
PAUSE_BREAK = 1.5  # seconds of silence that end a paragraph (once it has PARAGRAPH_MIN)
SHIFT_SIMILARITY = 0.05  # a sentence this unlike its paragraph starts a new one
MIN_CONTENT_WORDS = 2  # sentences with fewer content words ("Okay, let's go.") are dropped
OVERVIEW_SENTENCES, KEY_POINTS = 2, 5
NEAR_DUPLICATE = 0.5  # TF-IDF cosine above which two key sentences say nearly the same thing

# The lazy runs are bounded: unbounded, a search tried every start against the rest of the
# sentence (quadratic: 16k characters took 2.3 s, issue #29).
DEFINITION = re.compile(
    r"^(?:(?:so|and|now|well|okay|ok)\b,?\s+)*(?P<t1>(?:an?\s+|the\s+)?[\w\-/ ]{2,40}?)\s*,?\s+"
    r"(?:is|are)\s+(?:just\s+|simply\s+|basically\s+)?(?:an?|the|when|how|what|where)\s+(?P<d1>.{8,})"
    r"|(?P<t2>[\w\-/ ]{2,40}?)\s+(?:means|refers to|stands for|is defined as|is called)\s+"
    r"(?P<d2>.{4,})"
    r"|we call\s+(?P<d3>.{4,300}?)\s+(?:an?\s+|the\s+)?(?P<t3>[\w\-]+(?:\s[\w\-]+)?)[.!]?$"
    r"|^(?P<t4>(?:la\s+|el\s+|los\s+|las\s+|un\s+|una\s+)?[\w\-/ ]{2,40}?)\s*,?\s+(?:es|son)\s+"
    r"(?:un|una|el|la|lo|los|las|cuando)\s+(?P<d4>.{8,})"
    r"|(?P<d5>.{4,300}?)\s+se\s+llama\s+(?P<t5>[\w\-]+(?:\s[\w\-]+){0,2})",
    re.IGNORECASE,
)
_GREETING = re.compile(r"\b(?:hello|welcome|hola|bienvenid[oa]s?|bienvenida)\b", re.IGNORECASE)
# Concrete instances only: "suppose ..." / "imagine ..." open a hypothetical, not an example.
EXAMPLE = re.compile(r"\b(?:for example|for instance|such as|e\.g\.|por ejemplo|a modo de ejemplo"
                     r"|tales como)\b", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(r"^(?:it|this|that|there|here|which|what|he|she|they|we|you|i"
                              r"|esto|eso|esta|este|ese|hay|que|lo)\b", re.IGNORECASE)

# A sentence that leans on the one before it: unreadable as a stand-alone overview or key point.
_DEPENDENT = re.compile(r"^(?:(?:and|but|so|or|then|now|also|y|pero|entonces|o)\b[, ]*)*"
                        r"(?:it|its|this|that|these|those|they|them|he|she|which|there|here"
                        r"|esto|eso|esta|este|ese|esa|estos|esas|ello|ella|él)\b"
                        r"|^(?:then|otherwise|instead|in that case|en ese caso|si no)\b",
                        re.IGNORECASE)
# Heads that make "X is ..." a comparison or a remark, not the definition of a term.
_GENERIC_HEADS = frozenset(
    "way ways one ones thing things part problem question answer lesson difficulty reason "
    "idea point goal result trick rule key first second third last next other same "
    "forma manera cosa parte problema pregunta respuesta idea punto razón objetivo herramienta "
    "concepto".split())
_POSSESSIVE = frozenset("his her their our your my its su sus nuestro nuestra mi tu".split())
_SUPERLATIVE = re.compile(
    r"^(?:fastest|slowest|biggest|largest|smallest|simplest|easiest|hardest|cheapest|latest"
    r"|oldest|newest|best|worst|most|least|older|newer|modern|main|only|usual|common)$",
    re.IGNORECASE)

_HEAD = {
    "en": ("Overview", "Transcript", "Definitions", "Examples"),
    "es": ("Resumen", "Transcripción", "Definiciones", "Ejemplos"),
}


def definition_parts(sentence: str) -> tuple[str, str] | None:
    """(term, definition) when the sentence defines something, else None."""
    m = DEFINITION.search(sentence.strip())
    if not m:
        return None
    for i in range(1, 6):
        term, rest = m.group(f"t{i}"), m.group(f"d{i}")
        if term is None:
            continue
        term = re.sub(r"^(?:an?|the|la|el|los|las|un|una)\s+", "", term.strip(), flags=re.I)
        if not term or _PRONOUN_SUBJECT.match(term) or len(term.split()) > 5:
            return None
        toks = term.lower().split()
        if toks[0] in _POSSESSIVE or any(t in {"here", "aquí", "aqui"} for t in toks):
            return None  # "su herramienta principal es ...": a reference back, not a term
        if toks[-1] in _GENERIC_HEADS or _SUPERLATIVE.match(toks[0]) and len(toks) > 1:
            return None  # "the modern way is ...", "the fastest request is ...": remarks
        said = [w.lower() for w in re.findall(r"[\w'-]+", term)]
        if not content_stems(term) or [w.lower() for w in re.findall(
                r"[\w'-]+", rest)][:len(said)] == said:
            return None  # "the print is just the print with parentheses": no definition
        return term.strip(" ,"), rest.strip()
    return None


def _keep(s: Sentence, language: str) -> bool:
    return len(content_stems(s.text, language)) >= MIN_CONTENT_WORDS


def paragraphs(sents: Sequence[Sentence], language: str = "en") -> list[list[Sentence]]:
    """Sentences grouped into paragraphs, breaking at pauses and lexical shifts."""
    sents = [s for s in sents if _keep(s, language)]
    if not sents:
        return []
    x = tfidf_matrix([s.text for s in sents], language)
    out: list[list[Sentence]] = [[sents[0]]]
    acc = x[0].copy()
    for i in range(1, len(sents)):
        cur = out[-1]
        norm = float(np.linalg.norm(acc) * np.linalg.norm(x[i]))
        sim = float(acc @ x[i]) / norm if norm else 0.0
        pause = sents[i].start - sents[i - 1].end
        if len(cur) >= PARAGRAPH_MAX or (len(cur) >= PARAGRAPH_MIN and (
                pause >= PAUSE_BREAK or sim < SHIFT_SIMILARITY)):
            out.append([sents[i]])
            acc = x[i].copy()
        else:
            cur.append(sents[i])
            acc += x[i]
    if len(out) > 1 and len(out[-1]) < 2:  # no one-sentence tail paragraph
        if len(out[-2]) < PARAGRAPH_MAX:
            out[-2].extend(out.pop())
        else:  # the previous one is full: it lends the tail its last sentence
            out[-1].insert(0, out[-2].pop())
    return out


def _quote(s: Sentence) -> str:
    return f"> {escape_md(s.text)} {timestamp(s.start)}"


_BACK_REFERENCE = frozenset("it them this these those esto eso ello lo la los las".split())
_EARLY = 4  # a back-pointing pronoun this close to the start leaves the sentence unanchored
_FOR_EXAMPLE = re.compile(r"^(?:for example|for instance|por ejemplo)\b", re.IGNORECASE)


_FILLER = re.compile(r"^(?:(?:and|so|but|well|now|okay|ok|um|uh|basically|actually|meaning"
                     r"|(?:as\s+a\s+)?matter\s+of\s+fact|y|pues|bueno|entonces)\b,?\s+)+",
                     re.IGNORECASE)
# a run of 3-8 words said twice in a row ("if you look at these two loops if you look at these
# two loops they ...")
_REPEATED = re.compile(r"\b((?:[\w']+[ ,]+){2,7}[\w']+)[ ,]+\1\b", re.IGNORECASE)


def unrepeat(text: str) -> str:
    """`text` with a phrase the speaker said twice in a row kept once."""
    return _REPEATED.sub(r"\1", text)


def tidy(text: str) -> str:
    """A spoken sentence as a written one: leading "And so", "Well," dropped ("And so the first
    thing in the list is ..." -> "The first thing in the list is ..."), a phrase said twice in
    a row kept once."""
    rest = unrepeat(_FILLER.sub("", text.strip()))
    return rest[:1].upper() + rest[1:] if rest else text.strip()


def dependent(text: str) -> bool:
    """The sentence leans on the one before: it starts with a back-pointing pronoun ("It uses
    ...", "And this ..."), names one among its first words ("The cache sends it back ...",
    "Do not keep this response anywhere."), or starts as an example of something said before."""
    t = text.strip()
    early = [w.lower() for w in re.findall(r"[\w'-]+", t)[:_EARLY]]
    return bool(_DEPENDENT.match(t) or _FOR_EXAMPLE.match(t)
                or any(w in _BACK_REFERENCE for w in early[1:]))


_AUX_EN = frozenset("is are was were be been being am has have had do does did can could will "
                    "would shall should may might must".split())
_CONTRACTED = re.compile(r"[a-z]'(?:s|re|ve|ll|d|m|t)\b", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(r"\b(?:i|you|we|they|he|she)\s+[a-z]", re.IGNORECASE)


def verbless(text: str, language: str) -> bool:
    """An English fragment with no sign of a verb ("More than one value in a variable.", "Red,
    24, 98.6. a three item list with a string"): no auxiliary, contraction, pronoun subject or
    word in -s/-ed. Lenient on purpose (a plural passes): it only demotes what it flags."""
    if base_language(language) != "en":
        return False
    if _CONTRACTED.search(text) or _PRONOUN_SUBJECT.search(text):
        return False
    toks = re.findall(r"[a-z]+", text.lower())
    return not any(t in _AUX_EN or len(t) >= 4 and t.endswith(("s", "ed")) for t in toks)


def distinct_key_sentences(sents: Sequence[Sentence], k: int, language: str,
                           exclude: set[int] | None = None) -> list[int]:
    """The `k` most central sentences that stand on their own and do not nearly repeat each
    other (cosine of their TF-IDF vectors <= NEAR_DUPLICATE), in transcript order. Sentences
    that lean on the one before, signpost, are the speaker thinking aloud or have no verb are
    used only when nothing else is left."""
    if not sents:
        return []
    scores = centrality_scores([s.text for s in sents], language)
    x = tfidf_matrix([s.text for s in sents], language)
    # signposting, greetings and the speaker thinking aloud are never authored text; a
    # sentence that leans on the one before or has no verb only when nothing else is left
    noise = {i for i, s in enumerate(sents) if announces(s.text) or speaker_talk(s.text)
             or _GREETING.search(s.text)}
    order = sorted((i for i in range(len(sents)) if i not in noise), key=lambda i: (
        dependent(sents[i].text) or verbless(sents[i].text, language), -scores[i], i))
    picked: list[int] = []
    for i in order:
        if len(picked) >= k:
            break
        if scores[i] <= 0 or (exclude and i in exclude):
            continue
        if any(float(x[i] @ x[j]) > NEAR_DUPLICATE for j in picked):
            continue
        picked.append(i)
    return sorted(picked)


def write_lesson(segments: Sequence[Segment], language: str | None = None,
                 title: str | None = None, section_id: str = "") -> SectionContent:
    """The lesson for one section from its own caption segments only. `title` is accepted for
    callers' convenience and printed only when the section has no speech at all (renderers
    show the section title themselves)."""
    lang = language or detect_language(" ".join(s[2] for s in segments))
    sents = to_sentences(segments, lang)
    heads = _HEAD.get(base_language(lang), _HEAD["en"])
    if not sents:
        return SectionContent(section_id=section_id, markdown=escape_md(title or "") + "\n")
    refs: list[Sentence] = []
    md: list[str] = []
    questions = {i for i, s in enumerate(sents) if s.text.endswith("?")}  # not statements
    first = distinct_key_sentences(sents, OVERVIEW_SENTENCES, lang, questions)
    overview = [sents[i] for i in first]
    if overview:
        refs += overview
        md += [f"### {heads[0]}", "", " ".join(escape_md(tidy(s.text)) for s in overview), ""]
    # key points go in their own field (rendered after the lesson), not in the markdown; they
    # skip the overview's sentences so the learner does not read them twice either
    points = [sents[i] for i in distinct_key_sentences(sents, KEY_POINTS, lang,
                                                        questions | set(first))]
    refs += points
    defs = [s for s in sents if definition_parts(s.text)][:6]
    if defs:
        refs += defs
        md += [f"### {heads[2]}", ""] + [line for s in defs for line in (_quote(s), "")]
    examples = [s for s in sents if EXAMPLE.search(s.text) and _keep(s, lang)
                and s not in defs][:5]
    if examples:
        refs += examples
        md += [f"### {heads[3]}", ""] + [line for s in examples for line in (_quote(s), "")]
    # the section's speech last, labelled as what it is: the transcript, not the lesson
    md += [f"### {heads[1]}", ""]
    for para in paragraphs(sents, lang):
        md += [f"{timestamp(para[0].start)} " + " ".join(escape_md(s.text) for s in para), ""]
    seen: set[tuple[float, float]] = set()
    source_refs = []
    for s in sorted(refs, key=lambda s: s.start):
        if (s.start, s.end) not in seen:
            seen.add((s.start, s.end))
            source_refs.append(SourceRef(start_seconds=round(s.start, 3),
                                         end_seconds=round(s.end, 3)))
    return SectionContent(
        section_id=section_id,
        markdown="\n".join(md).strip() + "\n",
        key_points=[tidy(s.text) for s in points],
        examples=[s.text for s in examples],
        source_refs=source_refs,
    )


_OBJECTIVE = {
    "en": {"define": "Define {}", "explain": "Explain {}",
           "contrast": "Explain how {} differs from {}"},
    "es": {"define": "Definir {}", "explain": "Explicar {}",
           "contrast": "Explicar en qué se diferencia {} de {}"},
}
BRIEF_SENTENCES, BRIEF_OBJECTIVES = 1, 3
# A sentence that sets two concepts against each other ("a tuple, unlike a list, ...").
_CONTRAST = re.compile(
    r"\b(?:unlike|whereas|differ(?:s|ent|ence)?|versus|vs\.?|instead of|rather than|"
    r"compared (?:to|with)|as opposed to|contrast|a diferencia de|en cambio|"
    r"diferencia|distinto|diferente|en lugar de)\b", re.IGNORECASE)


def contrasted_pairs(sents: Sequence[Sentence], terms: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of distinct `terms` that one sentence contrasts, in the order the lecture says
    them, most often contrasted first."""
    from nlp.keyphrases import same_term
    from nlp.textutil import find_term

    counts: dict[tuple[str, str], int] = {}
    for s in sents:
        if not _CONTRAST.search(s.text):
            continue
        said = sorted(((m.start(), t) for t in terms if (m := find_term(t, s.text))),
                      key=lambda p: p[0])
        for i, (_, a) in enumerate(said):
            for _, b in said[i + 1:]:
                if not same_term(a, b) and not find_term(a, b) and not find_term(b, a):
                    counts[(a, b)] = counts.get((a, b), 0) + 1
    return [p for p, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


def section_brief(segments: Sequence[Segment], language: str | None = None,
                  terms: Sequence[str] | None = None) -> tuple[str, list[str]]:
    """(summary, learning objectives) of one section from its own speech: the most central
    stand-alone sentence, and 2-3 objectives naming key concepts: "Define X" for a concept the
    section defines, "Explain how X differs from Y" for two it contrasts, "Explain X" for its
    other key concepts (Spanish: Definir / Explicar). `terms` are the lecture's key concepts
    (nlp.concepts); the section's own key phrases stand in without them."""
    from nlp.keyphrases import key_terms, same_term
    from nlp.titles import noun_like, verb_like

    lang = language or detect_language(" ".join(s[2] for s in segments))
    sents = to_sentences(segments, lang)
    if not sents:
        return "", []
    questions = {i for i, s in enumerate(sents) if s.text.endswith("?")}
    summary = " ".join(sents[i].text for i in
                       distinct_key_sentences(sents, BRIEF_SENTENCES, lang, questions))
    verbs = _OBJECTIVE.get(base_language(lang), _OBJECTIVE["en"])
    text = " ".join(s.text for s in sents)
    if terms:  # the lecture's concepts this section says more than once, most said first
        said = {t: len(re.findall(rf"(?<![\w-]){re.escape(t)}(?![\w-])", text, re.IGNORECASE))
                for t in terms}
        wanted = sorted((t for t in terms if said[t] >= 2), key=lambda t: -said[t])
    else:
        wanted = [t for t in key_terms(text, lang, top=8)
                  if noun_like(t, text, lang) and not verb_like(t, text, lang)]
    defined = [p[0] for s in sents if (p := definition_parts(s.text)) and (
        any(same_term(p[0], t) for t in wanted) or (not terms and " " not in p[0]))]
    objectives: list[str] = []
    picked: list[str] = []
    for term in defined[:2]:
        if len(picked) < BRIEF_OBJECTIVES and not any(same_term(term, p) for p in picked):
            picked.append(term)
            objectives.append(verbs["define"].format(term))
    for a, b in contrasted_pairs(sents, wanted)[:1]:
        if len(objectives) < BRIEF_OBJECTIVES:
            picked += [a, b]
            objectives.append(verbs["contrast"].format(a, b))
    for term in wanted:
        if len(objectives) >= BRIEF_OBJECTIVES or any(same_term(term, p) for p in picked):
            continue
        picked.append(term)
        objectives.append(verbs["explain"].format(term))
    return summary, objectives
