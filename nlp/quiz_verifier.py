"""Check that a quiz question's key is provable from its section's transcript, from any source.

Lexical entailment over the slice: every sentence and every pair of adjacent sentences is a
"window" of content-word stems (lowercased, accent-folded, stopwords dropped). A statement is
supported when one window contains most of its content words; an option supports a blank when
its words sit in such a window next to the words that surround the blank. A window that denies a
word the question asserts ("not special" for "which are special?") supports nothing; a negation
counts on the words it applies to ("strings are not mutable"), not anywhere in the sentence, and
one in any window about a statement refutes it; words put in place of the source's prove a
statement false only when they swap word for word or are words of the section (a paraphrase,
"costs nothing" for "free", or a name proves nothing). No
model, no network: it runs on every question of every course, so windows are cached per slice.
Calibrated on the labelled questions in evals/quiz_calibration (`python -m evals.quiz_calibration`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from core.domain import QuizQuestion
from nlp.sentences import detect_language, to_sentences
from nlp.textutil import NEGATORS, Segment, content_stems, fold, words

STATEMENT_SUPPORT = 0.8  # verbatim or lightly edited statements keep >=80% of their content words
PARAPHRASE_SUPPORT = 0.5  # a question prompt shares about half its content words with its source
OPTION_COVERAGE = 0.75  # long answers may drop a word or two; short ones must match fully
NEAR_TOKENS = 15  # prompt words count for an option only within this distance (one clause)
ANCHOR_TOKENS = 4  # the words either side of a blank must sit this close to the option
AMBIGUITY_MARGIN = 0.1  # a distractor this close to the answer's support is "also correct"
FALSE_TOPIC_MIN = 0.5  # a False statement must still be about the slice (else unprovable)
SLICE_TOLERANCE = 2.0  # seconds: caption timings and sentence interpolation drift this much
BLANK = re.compile(r"_{2,}|\.{3,}|…|\[blank\]", re.IGNORECASE)
REORDER_TOKENS = 2  # "cryptic and powerful" for "powerful but cryptic" is not a swapped term
MIN_FORM = 4  # letters two stems must share to count as forms of one word (fast/faster)
NEG_SCOPE = 3  # a negator denies the next few content words ("not special", "not like how
NEG_REACH = 6  # many characters") among the tokens that follow it
NEGATING_PREFIXES = {"non"}  # "non-white space": words() splits the hyphen off
NOT_DENIALS = {"only", "just", "merely", "solo", "sólo", "solamente"}  # "not only X" affirms X
TRUE_WORDS = {"true", "verdadero", "cierto", "vrai", "wahr", "vero", "verdadeiro"}
FALSE_WORDS = {"false", "falso", "faux", "falsch"}


@dataclass(frozen=True)
class _Window:
    stems: tuple[str, ...]
    negs: int
    start: float
    end: float
    denied: frozenset[str] = frozenset()  # stems a negator in the window applies to
    dangling: bool = False  # a negator with nothing after it ("... are not.")


@dataclass(frozen=True)
class Slice:
    windows: tuple[_Window, ...]  # single sentences and adjacent pairs
    wide: tuple[_Window, ...]  # three sentences: a question's answer may sit one sentence away
    language: str
    start: float
    end: float
    vocab: frozenset[str] = frozenset()  # every content stem of the section


def _is_negator(word: str) -> bool:
    return fold(word) in NEGATORS or fold(word) in NEGATING_PREFIXES


def _negs(text: str) -> int:
    return sum(1 for w in words(text) if _is_negator(w))


def denied(text: str, language: str) -> frozenset[str]:
    """Stems of the content words a negator applies to: the next NEG_SCOPE of them, within
    NEG_REACH tokens ("strings are not mutable" -> {mutabl})."""
    return _negation(text, language)[0]


def _negation(text: str, language: str) -> tuple[frozenset[str], bool]:
    """(denied stems, dangling): dangling when a negator ends its clause ("lists are not.")
    and so applies to a word the text leaves out."""
    toks = words(text)
    out: set[str] = set()
    dangling = False
    for i, w in enumerate(toks):
        after = toks[i + 1: i + 1 + NEG_REACH]
        if _is_negator(w) and not (after and fold(after[0]) in NOT_DENIALS):
            out.update(content_stems(" ".join(after), language)[:NEG_SCOPE])
            dangling = dangling or not after
    return frozenset(out), dangling


@lru_cache(maxsize=64)
def _slice(key: tuple[Segment, ...], language: str | None) -> Slice:
    lang = language or detect_language(" ".join(s[2] for s in key))
    sents = to_sentences(key, lang)
    toks = [(tuple(content_stems(s.text, lang)), _negs(s.text), s, *_negation(s.text, lang))
            for s in sents]
    wins = [_Window(t, n, s.start, s.end, d, g) for t, n, s, d, g in toks]
    wins += [_Window(a[0] + b[0], a[1] + b[1], a[2].start, b[2].end, a[3] | b[3], a[4] or b[4])
             for a, b in zip(toks, toks[1:], strict=False)]
    wide = tuple(_Window(a[0] + b[0] + c[0], a[1] + b[1] + c[1], a[2].start, c[2].end,
                         a[3] | b[3] | c[3], a[4] or b[4] or c[4])
                 for a, b, c in zip(toks, toks[1:], toks[2:], strict=False))
    start = min((s[0] for s in key), default=0.0)
    end = max((s[1] for s in key), default=0.0)
    vocab = frozenset(st for t in toks for st in t[0])
    return Slice(tuple(wins), wide, lang, start, end, vocab)


def build_slice(segments: Sequence[Segment], language: str | None = None) -> Slice:
    return _slice(tuple((float(a), float(b), t) for a, b, t in segments), language)


def _positions(stems: tuple[str, ...], wanted: Sequence[str]) -> list[int]:
    """Start positions where `wanted` occurs in order (gaps of <=2 tokens allowed)."""
    if not wanted:
        return []
    out = []
    for i, s in enumerate(stems):
        if s != wanted[0]:
            continue
        pos, ok = i, True
        for w in wanted[1:]:
            nxt = next((j for j in range(pos + 1, min(len(stems), pos + 4)) if stems[j] == w), -1)
            if nxt < 0:
                ok = False
                break
            pos = nxt
        if ok:
            out.append(i)
    return out


def statement_support(sl: Slice, statement: str) -> tuple[float, _Window | None]:
    """Best share of the statement's content words found in one window."""
    want = set(content_stems(statement, sl.language))
    if not want:
        return 0.0, None
    best, where = 0.0, None
    for w in sl.windows:
        cov = len(want.intersection(w.stems)) / len(want)
        if cov > best:
            best, where = cov, w
    return best, where


def option_support(sl: Slice, prompt: str, option: str) -> float:
    """How well `option`, placed in `prompt`, is backed by one window (0..1).

    The option's own words must be in the window; prompt words count only when near them; for
    a blank prompt the words just before/after the blank must flank the option in the window.
    """
    lang = sl.language
    opt = content_stems(option, lang)
    if not opt:
        return 0.0
    parts = BLANK.split(_blank_statement(prompt), maxsplit=1)
    blank = len(parts) == 2
    ctx = set(content_stems(prompt if not blank else " ".join(parts), lang)) - set(opt)
    left = content_stems(parts[0], lang)[-1:] if blank else []
    right = content_stems(parts[1], lang)[:1] if blank else []
    # the words the question asserts: a window that denies one of them says the opposite
    asserted = ctx - denied(f"{prompt} {option}", lang)
    best = 0.0
    for w in sl.windows if blank else sl.windows + sl.wide:
        if len(set(opt).intersection(w.stems)) < OPTION_COVERAGE * len(set(opt)) - 1e-9:
            continue
        if asserted & w.denied:
            continue
        hits = _positions(w.stems, opt) if len(opt) <= 3 else [
            i for i, s in enumerate(w.stems) if s == opt[0]] or [0]
        for p in hits:
            if blank and not _anchored(w.stems, p, len(opt), left, right):
                continue
            near = set(w.stems) if blank else set(
                w.stems[max(0, p - NEAR_TOKENS): p + len(opt) + NEAR_TOKENS])
            score = len(ctx & near) / len(ctx) if ctx else 1.0
            best = max(best, score)
    return best


_LEAD_IN = re.compile(r"^.*(?:[:?]|\n)\s+", re.DOTALL)


def _blank_statement(prompt: str) -> str:
    """For a blank prompt, only the statement around the blank: the instruction before it
    ("Fill in the blank:", "Which term completes ...?") is not part of the claim."""
    parts = BLANK.split(prompt, maxsplit=1)
    if len(parts) != 2:
        return prompt
    return _LEAD_IN.sub("", parts[0]) + "____" + parts[1]


def _anchored(stems: tuple[str, ...], p: int, n: int, left: list[str], right: list[str]) -> bool:
    ok_left = not left or left[0] in stems[max(0, p - ANCHOR_TOKENS): p]
    ok_right = not right or right[0] in stems[p + n: p + n + ANCHOR_TOKENS]
    return ok_left and ok_right


def _norm(option: str) -> str:
    return re.sub(r"[\W_]+", " ", fold(option)).strip()


def _tf_value(text: str) -> bool | None:
    n = _norm(text)
    return True if n in TRUE_WORDS else False if n in FALSE_WORDS else None


def _statement_of(prompt: str) -> str:
    """The claim in a true/false prompt, without 'True or false:' style lead-ins."""
    return re.sub(r"^\s*(?:true\s+or\s+false|verdadero\s+o\s+falso|¿?verdadero\s+o\s+falso\??)"
                  r"\s*[:?.-]?\s*", "", prompt, flags=re.IGNORECASE)


def verify_question(question: QuizQuestion, segments: Sequence[Segment],
                    language: str | None = None) -> list[str]:
    """Problems with `question` against its section's caption `segments` ([] = verified)."""
    sl = build_slice(segments, language)
    problems: list[str] = []
    ref = question.source_ref
    if ref is not None and (ref.start_seconds < sl.start - SLICE_TOLERANCE
                            or ref.end_seconds > sl.end + SLICE_TOLERANCE
                            or ref.end_seconds < ref.start_seconds):
        problems.append(f"source_ref {ref.start_seconds:.0f}-{ref.end_seconds:.0f}s is outside "
                        f"the section ({sl.start:.0f}-{sl.end:.0f}s)")
    normed = [_norm(o) for o in question.options]
    if len(set(normed)) < len(normed):
        problems.append("duplicate options")
    if question.type == "true_false":
        return problems + _check_true_false(question, sl)
    if question.options and _norm(question.answer) not in normed:
        problems.append(f"the key {question.answer!r} is not among the options")
        return problems
    answer_score = option_support(sl, question.prompt, question.answer)
    blank = bool(BLANK.search(question.prompt))
    need = STATEMENT_SUPPORT if blank else PARAPHRASE_SUPPORT
    if answer_score < need:
        problems.append(f"the answer {question.answer!r} is not supported by the transcript "
                        f"slice (support {answer_score:.2f} < {need})")
    key_stems = set(content_stems(question.answer, sl.language))
    for opt in question.options:
        if _norm(opt) == _norm(question.answer) or not content_stems(opt, sl.language):
            continue
        mine = set(content_stems(opt, sl.language))
        if mine == key_stems:
            # the words that differ are ones the check cannot see ("X and the colon" / "Only
            # the colon"): the transcript cannot show which of the two is meant
            problems.append(f"distractor {opt!r} has the key's content words: the transcript "
                            "cannot tell them apart")
            continue
        if not mine - key_stems:
            continue  # all its words are in the key (a shorter form of it): not a rival
        score = option_support(sl, question.prompt, opt)
        # A question prompt has no blank to pin the answer down: any distractor that is as
        # related to the prompt as the threshold asks of the key makes the question ambiguous.
        if score >= need and (not blank or score >= answer_score - AMBIGUITY_MARGIN):
            problems.append(f"distractor {opt!r} is also supported by the transcript "
                            f"(two correct options; support {score:.2f})")
    return problems


def _check_true_false(question: QuizQuestion, sl: Slice) -> list[str]:
    opts = [_tf_value(o) for o in question.options] if question.options else [True, False]
    key = _tf_value(question.answer)
    if key is None or (question.options and key not in opts):
        return [f"the key {question.answer!r} is not among the options (True/False)"]
    statement = _statement_of(question.prompt)
    cov, where = statement_support(sl, statement)
    stems = content_stems(statement, sl.language)
    negated = where is not None and _polarity_differs(statement, stems, where, sl.language)
    # Strict both ways: any changed word keeps 'True' from being proven, but only a swapped term
    # proves 'False' (a paraphrase is neither: see _substituted).
    changed = where is not None and _substituted(stems, where.stems)
    swapped = where is not None and _substituted(stems, where.stems, sl.vocab)
    contradicted = negated or swapped
    supported = cov >= STATEMENT_SUPPORT and not (negated or changed)
    if key and not supported:
        why = ", negation differs" if negated else ", a term differs" if changed else ""
        return [f"the answer 'True' is not supported by the transcript slice "
                f"(support {cov:.2f}{why})"]
    if not key:
        if supported:
            return ["the statement is supported by the transcript, so 'False' is wrong "
                    f"(distractor 'True' is true; support {cov:.2f})"]
        denied_nearby = _denied_elsewhere(sl, statement, stems)
        if not denied_nearby and (cov < FALSE_TOPIC_MIN or not contradicted):
            return [f"the answer 'False' is not supported: nothing in the slice contradicts the "
                    f"statement (support {cov:.2f}), so it cannot be shown false from it"]
    return []


def _denied_elsewhere(sl: Slice, statement: str, stems: Sequence[str]) -> bool:
    """Another window about the statement (half its words or more) negates what it asserts:
    "It's not like how many characters there are" next to "len counts the characters"."""
    want = set(stems)
    return any(len(want.intersection(w.stems)) >= FALSE_TOPIC_MIN * len(want)
               and _polarity_differs(statement, stems, w, sl.language) for w in sl.windows)


def _in_vocab(stem: str, vocab: frozenset[str]) -> bool:
    """`stem` or another form of it is a word of the section: the stemmer is light, so 'faster'
    counts as a form of 'fast' (one starts with the other, four letters or more)."""
    return stem in vocab or (len(stem) >= MIN_FORM and any(
        len(v) >= MIN_FORM and (stem.startswith(v) or v.startswith(stem)) for v in vocab))


def _polarity_differs(statement: str, stems: Sequence[str], w: _Window, language: str) -> bool:
    """One side negates what the other asserts: a word of the statement (or another form of it)
    is denied on one side only. A negation that applies to none of the statement's words ("you
    may not like them" beside "they are powerful") does not count; one with nothing after it
    ("lists are not.") is judged by its presence."""
    mine, dangling = _negation(statement, language)
    if any(_in_vocab(s, mine) != _in_vocab(s, w.denied) for s in stems):
        return True
    return (dangling or w.dangling) and (_negs(statement) > 0) != (w.negs > 0)


def _substituted(statement: Sequence[str], window: Sequence[str],
                 vocab: frozenset[str] | None = None) -> bool:
    """The statement puts different content words where the source has others (a swapped
    term): difflib 'replace' blocks between the aligned stem sequences. The source's own words
    in another form or locally reordered are no swap. With `vocab` (the section's stems), only
    a word-for-word replacement inside the aligned span, or one made of the section's words,
    counts: a paraphrase ("costs nothing" for "free") or a speaker's name ("Bonk calls ...")
    brings words the lecture does not use there."""
    ops = SequenceMatcher(None, list(statement), list(window), autojunk=False).get_opcodes()
    equal = [i for i, op in enumerate(ops) if op[0] == "equal"]
    if not equal:
        return False

    def term(op: tuple[str, int, int, int, int], side: str) -> bool:
        mine = statement[op[1]:op[2]]
        # where the source says something in place of these words: the replaced block, or at an
        # edge only its part next to the aligned span (the rest of the window says other things)
        lo, hi = op[3], op[4]
        if side == "tail":
            hi = min(hi, lo + len(mine))
        elif side == "lead":
            lo = max(lo, hi - len(mine))
        near = frozenset(window[max(0, lo - REORDER_TOKENS): hi + REORDER_TOKENS])
        if all(_in_vocab(s, near) for s in mine):
            return False  # the source's own words, in another form or locally reordered
        if vocab is None or (side == "inner" and op[2] - op[1] == op[4] - op[3]):
            return True  # word for word inside the aligned span: "private" for "shared" cache
        return all(_in_vocab(s, vocab) for s in mine)

    inner = [op for op in ops[equal[0]: equal[-1] + 1] if op[0] == "replace"]
    # Inside the aligned span any replacement is a swap; at the edges only when the statement's
    # replaced words are few (a swapped leading term), not a long unrelated tail, and, for a
    # False key, words of the section (what the window has beside it there is happenstance).
    edges = [(op, "lead") for op in ops[: equal[0]]] + [(op, "tail") for op in ops[equal[-1] + 1:]]
    return (any(term(op, "inner") for op in inner)
            or any(op[0] == "replace" and op[2] - op[1] <= 3 and term(op, side)
                   for op, side in edges))
