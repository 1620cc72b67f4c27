"""Extractive quiz questions and flashcards whose keys are provable from the section's sentences.

Every question is a lecture sentence with a key term blanked (cloze / multiple choice) or a
sentence stated as-is or with the key term swapped for another course term (true/false).
Distractors come from the course's other key terms and are rejected when the verifier finds
them supported in the slice, so the generated key is the only defensible answer.
Deterministic: option order is seeded from a CRC of the prompt, never from global randomness.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable, Sequence

import numpy as np

from core.domain import QuizQuestion, SourceRef
from core.timecodes import timestamp
from nlp.centrality import centrality_scores
from nlp.concepts import section_concepts
from nlp.discourse import announces, speaker_talk
from nlp.keyphrases import acceptable_term, key_terms, same_term
from nlp.lesson import DEFINITION, dependent, tidy, verbless
from nlp.quiz_verifier import (
    STATEMENT_SUPPORT,
    Slice,
    build_slice,
    option_support,
    verify_question,
)
from nlp.sentences import detect_language, to_sentences
from nlp.textutil import Segment, Sentence, base_language, find_term, stem, stopwords, words
from nlp.titles import noun_like, verb_like

MIN_WORDS, MAX_WORDS = 7, 40  # shorter sentences give no context; longer ones are unreadable
STEM_WORDS = 25  # a longer spoken run-on is cut to the clauses around the key
_CLAUSE_BREAK = re.compile(
    r"\s*[,;:]\s+|\s+(?=(?:and|but|so|because|which|y|pero|porque|así que)\s)", re.IGNORECASE)
DISTRACTOR_MARGIN = 0.2  # a distractor must stay this far below full support to be clearly wrong
_GREETING = re.compile(r"\b(?:welcome|hello|bienvenid[oa]s|hola)\b", re.IGNORECASE)
# A hypothetical ("Suppose a stored response has gone stale.") is neither true nor false.
_HYPOTHETICAL = re.compile(r"^(?:(?:so|and|now|okay)\s*,?\s+)?(?:suppose|imagine|say|let's say"
                           r"|consider|picture|supongamos|imagina|imaginemos|digamos)\b",
                           re.IGNORECASE)
KINDS = ("mcq", "true_false", "short", "mcq", "short", "mcq")  # two-item quizzes mix kinds
# Words that point at the screen or the board: the learner reading the item cannot see it.
_DEICTIC = re.compile(r"\b(?:right here|right there|over here|over there|up here|down here"
                      r"|this one|that one|this guy|these guys|this thing|that thing|this little"
                      r"|aquí arriba|este de aquí|esta de aquí)\b", re.IGNORECASE)

_TEXT = {
    "en": {"cloze": "Fill in the blank: {s}", "mcq": "Which term completes this statement from "
           "the lecture? {s}", "tf": "True or false: {s}", "expl": 'The lecture says: "{s}" {t}',
           "swap": ' The statement replaced "{a}" with "{b}".'},
    "es": {"cloze": "Completa el espacio en blanco: {s}", "mcq": "¿Qué término completa esta "
           "afirmación de la clase? {s}", "tf": "Verdadero o falso: {s}",
           "expl": 'En la clase se dice: "{s}" {t}',
           "swap": ' La afirmación cambió "{a}" por "{b}".'},
}


def _t(lang: str) -> dict[str, str]:
    return _TEXT.get(base_language(lang), _TEXT["en"])


def _shape(term: str) -> tuple[int, bool, bool]:
    """Rough 'kind' of a term: word count, acronym, capitalised; distractors should match."""
    ws = words(term)
    return len(ws), term.isupper() and len(term) > 1, term[:1].isupper()


def _plural(term: str) -> bool:
    last = term.split()[-1].lower() if term.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _kind_distance(a: str, b: str) -> tuple[int, int]:
    """How unlike the key a distractor looks: word count, acronym, capitals and number; a
    distractor that differs in kind gives the answer away."""
    sa, sb = _shape(a), _shape(b)
    kind = abs(sa[0] - sb[0]) + (sa[1] != sb[1]) * 2 + (sa[2] != sb[2]) + (_plural(a) != _plural(b))
    return kind, abs(len(a) - len(b))


_ARTICLE_BEFORE = re.compile(r"\b(a|an)\s+_{2,}", re.IGNORECASE)


def _fits_article(prompt: str, option: str) -> bool:
    """'a ____' takes a consonant-initial option, 'an ____' a vowel-initial one (by spelling;
    acronyms are read letter by letter, so they are let through)."""
    m = _ARTICLE_BEFORE.search(prompt)
    if m is None or not option or option.split()[0].isupper():
        return True
    return (m.group(1).lower() == "an") == (option[0].lower() in "aeiou")


def _blank(sentence: str, term: str) -> str | None:
    m = find_term(term, sentence)
    if m is None or find_term(term, sentence[m.end():]) is not None:
        return None  # the term must occur once, or the blank gives itself away
    return sentence[: m.start()] + "____" + sentence[m.end():]


def _distractors(sl: Slice, prompt: str, answer: str, sentence: str, pool: Sequence[str],
                 k: int = 3) -> list[str]:
    """Up to `k` wrong options, most alike the key first. For a full set (k > 1) at least one
    is as long as the key: a uniquely longest option is a known give-away of the key."""
    ok: list[str] = []
    for cand in sorted(dict.fromkeys(pool), key=lambda c: _kind_distance(answer, c)):
        if same_term(cand, answer) or find_term(cand, sentence) or any(
                same_term(cand, p) for p in ok) or not _fits_article(prompt, cand):
            continue
        if option_support(sl, prompt, cand) >= STATEMENT_SUPPORT - DISTRACTOR_MARGIN:
            continue  # it would also make the statement true: not a distractor
        ok.append(cand)
        if len(ok) >= k and (k == 1 or any(len(c) >= len(answer) for c in ok)):
            break
    picked = ok[:k]
    longer = [c for c in ok[k:] if len(c) >= len(answer)]
    if k > 1 and longer and not any(len(c) >= len(answer) for c in picked):
        picked[-1] = longer[0]
    return picked if k == 1 or any(len(c) >= len(answer) for c in picked) else []


def _ref(s: Sentence) -> SourceRef:
    return SourceRef(start_seconds=round(s.start, 3), end_seconds=round(s.end, 3))


def _askable(text: str, strict: bool = True) -> bool:
    """A sentence a learner can judge on its own: not too short or long, not a question, a
    greeting, signposting or the speaker thinking aloud, and (`strict`) not opening with a
    back-pointing pronoun ("It uses the ____ header": the learner cannot tell what "it" is)."""
    n = len(text.split())
    return MIN_WORDS <= n <= MAX_WORDS and not text.endswith("?") and not (
        _GREETING.search(text) or _HYPOTHETICAL.match(text) or strict and dependent(text)
        or _DEICTIC.search(text)
        or announces(text) or speaker_talk(text))


def stem_clause(text: str, term: str) -> str | None:
    """`text` when it is short enough to read as a stem; else the clause that holds `term`
    with its neighbours up to STEM_WORDS words ("..., and a tuple cannot change, so ..." ->
    "A tuple cannot change."); None when even that clause is too long or too short."""
    if len(text.split()) <= STEM_WORDS:
        return text
    parts = [p for p in _CLAUSE_BREAK.split(text.rstrip(".!")) if p.strip()]
    at = next((i for i, p in enumerate(parts) if find_term(term, p)), None)
    if at is None:
        return None
    a = b = at
    size = len(parts[at].split())
    while True:  # grow forwards first: the clause after the key usually completes it
        nxt = len(parts[b + 1].split()) if b + 1 < len(parts) else None
        prv = len(parts[a - 1].split()) if a > 0 else None
        if nxt is not None and size + nxt <= STEM_WORDS:
            b, size = b + 1, size + nxt
        elif prv is not None and size + prv <= STEM_WORDS:
            a, size = a - 1, size + prv
        else:
            break
    if not MIN_WORDS <= size <= STEM_WORDS:
        return None
    start = text.find(parts[a])
    end = text.find(parts[b], start) + len(parts[b])
    clause = tidy(text[start:end]).strip(" ,;:")
    return clause[:1].upper() + clause[1:] + "." if clause else None


def candidates(sents: Sequence[Sentence], terms: Sequence[str],
                scores: Sequence[float] | np.ndarray, strict: bool = True,
                used: set[int] | None = None,
                keep: Callable[[str, str], bool] | None = None) -> list[tuple[str, int]]:
    """(term, sentence index) pairs: each term's best sentence, each sentence used once.
    `strict` leaves out sentences that open with a back-pointing pronoun; `keep(term,
    sentence)` narrows the choice further (flashcards: the term is the sentence's subject)."""
    used = set() if used is None else used
    out = []
    defines: dict[int, bool] = {}  # per sentence, not per (term, sentence): the regex is costly
    for term in terms:
        best, best_key = None, None
        for i, s in enumerate(sents):
            if i in used:
                continue
            said = stem_clause(s.text, term)  # a run-on is judged by the clause it is asked on
            if said is None or not _askable(said, strict) or keep and not keep(term, said):
                continue
            if _blank(said, term) is None:
                continue
            if i not in defines:
                defines[i] = bool(DEFINITION.search(s.text))
            key = (defines[i], scores[i])
            if best_key is None or key > best_key:
                best, best_key = i, key
        if best is not None:
            used.add(best)
            out.append((term, best))
    return out


GENERIC_COURSE_TERMS = 6  # the course's top single-word terms are its subject, not a section's


def _by_distinctiveness(terms: list[str], course_terms: Sequence[str]) -> list[str]:
    """Section terms with the section's own ones first: a single word that is among the
    course's top terms ("cache" in a caching lecture) is asked about last."""
    common = [t for t in course_terms[:GENERIC_COURSE_TERMS] if len(words(t)) == 1]

    def generic(term: str) -> bool:
        return len(words(term)) == 1 and any(same_term(term, c) for c in common)

    return sorted(terms, key=generic)


def make_questions(segments: Sequence[Segment], course_terms: Sequence[str],
                   language: str | None = None, max_questions: int = 5,
                   section_terms: Sequence[str] | None = None) -> list[QuizQuestion]:
    """Up to `max_questions` verified questions for one section, in a stable order."""
    lang = language or detect_language(" ".join(s[2] for s in segments))
    sents = to_sentences(segments, lang)
    if not sents:
        return []
    # a stem reads as a statement, not as the middle of a conversation: "And so, ..." dropped
    sents = [Sentence(s.start, s.end, tidy(s.text)) for s in sents]
    sl = build_slice(segments, lang)
    text = " ".join(s.text for s in sents)
    found = [t for t in section_terms or key_terms(text, lang, top=12)
             if noun_like(t, text, lang) and not verb_like(t, text, lang)]
    if course_terms:  # only the lecture's concepts are blanked or asked about
        found = [t for t in found if any(same_term(t, c) for c in course_terms)]
        found += [c for c in section_concepts(text, course_terms)
                  if not any(same_term(c, t) for t in found)]
    terms = _by_distinctiveness(found, course_terms)
    pool = [t for t in [*course_terms, *terms] if t]
    contrasts = [*pool, *sibling_phrases(text, pool, lang)]  # for false statements only
    scores = centrality_scores([s.text for s in sents], lang)
    tx = _t(lang)
    out: list[QuizQuestion] = []
    used: set[int] = set()
    asked: set[int] = set()
    def whole(_term: str, sentence: str) -> bool:
        return not verbless(sentence, lang)

    cands = candidates(sents, terms, scores, True, used, keep=whole)
    if len(cands) < max_questions + 2:  # a thin section: any concept (any key term when the
        # lecture's concepts are not known), any sentence
        loose = [] if course_terms else [t for t in key_terms(text, lang, top=20)
                                         if t not in terms]
        cands += candidates(sents, [*terms, *loose], scores, False, used, keep=whole)
    for term, i in cands:
        if len(out) >= max_questions:
            break
        clause = stem_clause(sents[i].text, term)
        if clause is None or _blank(clause, term) is None or (
                clause != sents[i].text and not _askable(clause)):
            continue
        s = Sentence(sents[i].start, sents[i].end, clause)
        kind = KINDS[len(out) % len(KINDS)]
        blanked = _blank(s.text, term) or ""
        expl = tx["expl"].format(s=s.text, t=timestamp(s.start))
        q: QuizQuestion | None = None
        if kind == "true_false":
            q = _true_false(sl, s, term, contrasts, lang, expl)
            if q is None:  # this sentence has no clean false version: a contrast elsewhere?
                q = _contrast(sl, sents, {j for _, j in cands} | asked, contrasts, lang)
            kind = "mcq" if q is None else kind
        if kind == "mcq":
            prompt = tx["mcq"].format(s=blanked)
            wrong = _distractors(sl, prompt, term, s.text, pool)
            if len(wrong) == 3:
                options = [term, *wrong]
                random.Random(zlib.crc32(prompt.encode())).shuffle(options)
                q = QuizQuestion(type="mcq", prompt=prompt, options=options, answer=term,
                                 explanation=expl, source_ref=_ref(s))
            else:
                kind = "short"
        if kind == "short":
            q = QuizQuestion(type="short", prompt=tx["cloze"].format(s=blanked), answer=term,
                             explanation=expl, source_ref=_ref(s))
        if q is not None and not verify_question(q, segments, lang):
            out.append(q.model_copy(update={"id": f"q{len(out) + 1}"}))
            asked.add(i)
    if not out and course_terms:  # no concept said here: one question on its own key term
        return make_questions(segments, (), lang, 1, section_terms)
    return out


def _number_free(noun: str) -> str:
    """The noun without a plural ending (cache/caches, box/boxes), not a stem: "caching" is
    another word than "cache"."""
    w = noun.lower()
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def sibling_phrases(text: str, pool: Sequence[str], language: str,
                     any_head: bool = False) -> list[str]:
    """Two-word phrases of the section ("private cache", "browser cache") whose head noun is
    the head of a multi-word course term (`any_head`: of any course term): the contrasts the
    lecture itself draws."""
    heads = {_number_free(t.split()[-1]) for t in pool if any_head or len(t.split()) > 1}
    stop = stopwords(language)
    found = [f"{m.group(1)} {m.group(2)}" for m in re.finditer(
        r"(?<![\w-])([A-Za-zÀ-ÿ][\w-]{2,})\s+([A-Za-zÀ-ÿ][\w-]+)(?![\w-])", text)]
    return list(dict.fromkeys(
        f for f in found if _number_free(f.split()[1]) in heads
        and f.split()[0].lower() not in stop and acceptable_term(f, language)))


def _false_swap(sl: Slice, sentence: str, term: str, pool: Sequence[str]) -> tuple[str, str] | None:
    """(term in the sentence, its replacement) for a false statement that still reads well.
    First choice: a sibling, another course term with the same head noun ("private cache" for
    "shared cache", "weak ETag" for "strong ETag"), which makes a contrast the lecture draws.
    Otherwise the key term for another multi-word term; a single common noun swapped for
    another ("a browser" -> "a content", "file name" -> "user name") breaks the sentence and
    gives the answer away, so it is not used."""
    terms = [t for t in dict.fromkeys([term, *pool]) if len(t.split()) > 1]  # not "max-age"
    stop = stopwords(sl.language)
    for mine in terms:
        m = find_term(mine, sentence) if _blank(sentence, mine) is not None else None
        before = words(sentence[: m.start()])[-1:] if m else []
        if m is None or before and before[0].lower() not in stop:
            continue  # "byte range requests": swapping inside a longer compound reads oddly
        head = mine.split()[-1]
        # the sibling takes this sentence's form of the head: "shared caches" -> "shared cache"
        said = {stem(w) for w in words(sentence)}
        # a modifier the sentence already says is no contrast: "Fingerprinted assets ... get
        # a fingerprint" is not false
        siblings = [" ".join([*t.split()[:-1], head]) for t in terms
                    if _number_free(t.split()[-1]) == _number_free(head) and not same_term(t, mine)
                    and not {stem(w) for w in words(" ".join(t.split()[:-1]))} & said]
        swap = _distractors(sl, _blank(sentence, mine) or "", mine, sentence, siblings, k=1)
        if swap:
            return mine, swap[0]
    if len(term.split()) < 2:
        return None
    swap = _distractors(sl, _blank(sentence, term) or "", term, sentence, terms, k=1)
    return (term, swap[0]) if swap else None


def _contrast(sl: Slice, sents: Sequence[Sentence], taken: set[int], pool: Sequence[str],
              lang: str) -> QuizQuestion | None:
    """A false statement from any other stand-alone sentence of the section that names one of
    two sibling terms ("A shared cache belongs to one user." for "A private cache ...")."""
    for i, s in enumerate(sents):
        if i in taken or not _askable(s.text):
            continue
        swap = _false_swap(sl, s.text, "", pool)
        if swap is not None:
            taken.add(i)
            expl = _t(lang)["expl"].format(s=s.text, t=timestamp(s.start))
            return _statement(s, swap, lang, expl)
    return None


def _statement(s: Sentence, swap: tuple[str, str] | None, lang: str,
               expl: str) -> QuizQuestion:
    """The sentence as a true/false item: as spoken (True) or with `swap` applied (False)."""
    tx = _t(lang)
    statement = s.text
    if swap is not None:
        m = find_term(swap[0], s.text)
        assert m is not None
        new = swap[1][:1].upper() + swap[1][1:] if m.start() == 0 else swap[1]
        statement = s.text[: m.start()] + new + s.text[m.end():]
        expl += tx["swap"].format(a=swap[0], b=swap[1])
    return QuizQuestion(type="true_false", prompt=tx["tf"].format(s=statement),
                        options=["True", "False"], answer="False" if swap else "True",
                        explanation=expl, source_ref=_ref(s))


def _true_false(sl: Slice, s: Sentence, term: str, pool: Sequence[str], lang: str,
                expl: str) -> QuizQuestion | None:
    if zlib.crc32(s.text.encode()) % 2 == 0:
        return _statement(s, None, lang, expl)
    swap = _false_swap(sl, s.text, term, pool)
    return None if swap is None else _statement(s, swap, lang, expl)
