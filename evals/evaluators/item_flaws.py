"""Quiz items: a rule-based item-writing-flaw checker.

It covers the criteria of the 19-item rubric (Moore et al., 2023, after Haladyna et al.) that a
rule can check on the embedded default's item shapes (cloze, multiple choice, true/false):

- blank on a function word, filler or non-noun ("The ____ between tuples ..." -> "difference");
- key not a key concept of the section (reference concepts said in the section's slice);
- answer given away in the stem (the rubric's "word repeats");
- implausible distractors: another part of speech or type than the key, or not from the lecture;
- longest option is the key; "all/none of the above"; negative stem;
- true/false swap with a synonym or near-identical term (a False key a reader would dispute);
- example data or names as the tested fact ("Sue is the ____", "Joseph, Glenn, and Sally");
- caption noise ([Music], credits, outros) in a stem or option;
- a stem that leans on context ("it", "this", "that one right there").

An item with two or more flaws is unacceptable. Wrong keys are counted apart, where checkable:
a reference fact answered otherwise, a "False" statement the lecture says word for word, a cloze
whose key does not restore the lecture's sentence while a distractor does.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from core.domain import GeneratedCourse, QuizQuestion
from evals.dataset import Concept, EvalItem, Fact
from evals.evaluators.base import EvalResult, Finding, finding, share, skipped
from evals.evaluators.quiz import _ABOVE, _NEGATION
from evals.evaluators.slices import SectionView, names_section_concept, views
from evals.lexicon import (
    a_kind,
    caption_noise,
    concepts_of,
    filler_only,
    is_concept,
    lang_of,
    leads_on_context,
    mentions,
    noun_phrase_problem,
    word_class,
)
from evals.text import normalise
from nlp.textutil import stopwords
from nlp.textutil import words as tokens

TRUE_WORDS = {"true", "verdadero", "vrai", "wahr"}
_LEAD_IN = re.compile(
    r"^(?:true or false:|fill in the blank:|which term completes this statement from the "
    r"lecture\?|verdadero o falso:|completa el espacio:|completa la frase:|¿qué término "
    r"completa esta frase de la clase\?)\s*", re.IGNORECASE)
_BLANK = re.compile(r"_{2,}")
_DEICTIC = re.compile(
    r"\b(?:right here|right there|over here|over there|up here|down here|this one|that one"
    r"|this guy|these guys|this thing|that thing|this little|aquí arriba|este de aquí"
    r"|esta de aquí)\b", re.IGNORECASE)
_SWAP = re.compile(r"replaced [\"“](.+?)[\"”] with [\"“](.+?)[\"”]", re.IGNORECASE)
# Common first names (English and Spanish lectures' example people): a name as the tested fact
# or in the stem is example data, not subject matter.
FIRST_NAMES = set(
    "joseph glenn sally sue bob alice john jane mary peter paul james michael david chris "
    "chuck fred george tom tim anna maria jose juan pedro luis carlos ana lucia sofia "
    "laura emma olivia noah liam jack harry sam sarah kate mike steve dave brian kevin "
    "jennifer lisa linda susan karen nancy betty helen sandra donna carol ruth sharon "
    "michelle emily amanda melissa deborah stephanie rebecca laura cynthia kathleen amy "
    "mateo pablo miguel javier diego andrés andres alejandro "
    "fernando carmen elena isabel pilar teresa".split())


@dataclass
class ItemVerdict:
    where: str
    prompt: str
    flaws: list[str] = field(default_factory=list)
    wrong_key: str | None = None
    key_checkable: bool = False


def stem_core(prompt: str) -> str:
    """The stem without the generator's fixed lead-in ("Fill in the blank: ...")."""
    return _LEAD_IN.sub("", prompt.strip())


def _norm_tokens(text: str) -> str:
    return " ".join(w.lower() for w in tokens(normalise(text)))


def _swap_pair(q: QuizQuestion, slice_text: str) -> tuple[str, str] | None:
    """(what the lecture says, what the false statement says instead), from the explanation
    when it names the swap, else from the lecture sentence the statement differs from by one
    replaced span."""
    if m := _SWAP.search(q.explanation):
        return m.group(1), m.group(2)
    statement = tokens(stem_core(q.prompt).lower())
    best: tuple[float, list[str]] = (0.0, [])
    for sent in re.split(r"(?<=[.!?])\s+", slice_text):
        toks = tokens(sent.lower())
        ratio = difflib.SequenceMatcher(a=toks, b=statement, autojunk=False).ratio()
        if ratio > best[0]:
            best = (ratio, toks)
    if best[0] < 0.7:
        return None
    ops = [op for op in difflib.SequenceMatcher(a=best[1], b=statement, autojunk=False)
           .get_opcodes() if op[0] != "equal"]
    if len(ops) != 1 or ops[0][0] != "replace":
        return None
    _, a1, a2, b1, b2 = ops[0]
    return " ".join(best[1][a1:a2]), " ".join(statement[b1:b2])


def swap_problem(said: str, swapped: str, concepts: list[Concept]) -> str | None:
    """Why a true/false swap does not make a false statement a reader would accept: the two
    share a word or are near-identical, unless both are distinct reference concepts (a
    contrast the lecture draws: "primary key" <-> "foreign key")."""
    a, b = is_concept(said, concepts), is_concept(swapped, concepts)
    if a is not None and b is not None and a is not b:
        return None
    shared = {w.lower() for w in tokens(said)} & {w.lower() for w in tokens(swapped)}
    if shared - stopwords("en"):
        return f"swap {said!r} -> {swapped!r} keeps {sorted(shared)[0]!r}: near-identical"
    if difflib.SequenceMatcher(a=said.lower(), b=swapped.lower()).ratio() >= 0.8:
        return f"swap {said!r} -> {swapped!r} is near-identical"
    return None


def example_data(text: str, key: str) -> str | None:
    """A number, a single letter or a person's name as the key, or names in the stem."""
    ws = tokens(key)
    if ws and all(word_class(w, "", "en") == "number" for w in ws):
        return f"the key {key!r} is a number"
    if len(key.strip()) == 1:
        return f"the key {key!r} is a single letter"
    if any(w.lower() in FIRST_NAMES for w in ws):
        return f"the key {key!r} is a name"
    names = [w for w in tokens(text) if w[:1].isupper() and w.lower() in FIRST_NAMES]
    if names:
        return f"the stem is about example people ({', '.join(dict.fromkeys(names))})"
    return None


def check_item(q: QuizQuestion, view: SectionView, item: EvalItem, where: str) -> ItemVerdict:
    lang = lang_of(item.expected_language)
    lecture = item.transcript.text
    all_concepts = concepts_of(item.reference)
    v = ItemVerdict(where=where, prompt=q.prompt)
    core = stem_core(q.prompt)
    key = q.answer.strip()
    tf = q.type == "true_false"
    cloze = bool(_BLANK.search(core))
    flaws = v.flaws

    if cloze and not is_concept(key, all_concepts):
        if filler_only(key, lang):
            flaws.append(f"blank on filler/function word {key!r}")
        elif (why := noun_phrase_problem(key, lecture, lang)) is not None:
            flaws.append(f"blank on a non-noun {key!r} ({why})")
    if all_concepts:
        if tf:
            if not any(is_concept(core, [c]) or any(mentions(f, core) for f in c.forms)
                       for c in view.concepts):
                flaws.append("statement tests no key concept of the section")
        elif not names_section_concept(key, view, lang):
            flaws.append(f"key {key!r} is not a key concept of the section")
    if not tf and key and mentions(key, _BLANK.sub(" ", core)):
        flaws.append(f"answer {key!r} given away in the stem")
    if q.type == "mcq":
        key_kind = word_class(tokens(key)[-1] if tokens(key) else key, lecture, lang)
        odd = []
        for opt in q.options:
            if normalise(opt) == normalise(key):
                continue
            ow = tokens(opt)
            kind = word_class(ow[-1], lecture, lang) if ow else "empty"
            if kind != key_kind and {kind, key_kind} != {"noun", "stop"}:
                odd.append(f"{opt!r} is {a_kind(kind)}, the key {a_kind(key_kind)}")
            elif not mentions(opt, lecture):
                odd.append(f"{opt!r} is not from the lecture")
        if odd:
            flaws.append("implausible distractor: " + "; ".join(odd[:2]))
        lengths = sorted((len(o) for o in q.options), reverse=True)
        if (len(lengths) >= 3 and len(key) == lengths[0] and lengths[1] < lengths[0]
                and any(normalise(o) == normalise(key) for o in q.options)):
            flaws.append("the key is the longest option")
    if any(_ABOVE.search(o) for o in q.options):
        flaws.append("all/none of the above")
    if _NEGATION.search(q.prompt):
        flaws.append("negative stem")
    if tf and key.lower() not in TRUE_WORDS:
        pair = _swap_pair(q, view.text)
        if pair and (why := swap_problem(*pair, all_concepts)):
            flaws.append(f"true/false {why}")
    if (why := example_data(core, "" if tf else key)) is not None:
        flaws.append(f"example data as the tested fact: {why}")
    noise = next((n for t in [q.prompt, *q.options] if (n := caption_noise(t))), None)
    if noise:
        flaws.append(f"caption noise ({noise})")
    if (lead := leads_on_context(_BLANK.sub("X", core))) or (
            lead := (m.group(0) if (m := _DEICTIC.search(core)) else None)):
        flaws.append(f"stem leans on context ({lead!r})")

    _wrong_key(q, v, item, core, lecture)
    return v


def _wrong_key(q: QuizQuestion, v: ItemVerdict, item: EvalItem, core: str, lecture: str) -> None:
    """Set `v.wrong_key` when the lecture or a reference fact shows the key is wrong."""
    said = _norm_tokens(lecture)
    key = q.answer.strip()
    if q.type == "true_false":
        statement = _norm_tokens(core)
        if key.lower() not in TRUE_WORDS and len(statement.split()) >= 5:
            v.key_checkable = True
            if statement in said:
                v.wrong_key = "'False', but the lecture says this statement word for word"
    elif _BLANK.search(core):
        with_key = _norm_tokens(_BLANK.sub(key, core, count=1))
        if with_key in said:
            v.key_checkable = True
        else:
            for opt in q.options:
                if normalise(opt) != normalise(key) and _norm_tokens(
                        _BLANK.sub(opt, core, count=1)) in said:
                    v.key_checkable = True
                    v.wrong_key = f"the lecture's sentence has {opt!r} in the blank, not {key!r}"
                    break
    facts = item.reference.facts if item.reference else []
    for fact in facts:
        if verdict := fact_verdict(fact, q, core):
            v.key_checkable = True
            if verdict != "agrees" and v.wrong_key is None:
                v.wrong_key = verdict


def fact_verdict(fact: Fact, q: QuizQuestion, core: str) -> str | None:
    """None when the item does not test `fact`; 'agrees'; or why its key contradicts it. An
    item tests a fact when its stem has the fact's keywords and its key or options (a
    true/false statement: the statement) state the fact's answer or a rejected phrasing."""
    if not all(mentions(k, core) for k in fact.question_keywords):
        return None
    right = [fact.answer, *fact.accept]

    def says(text: str, forms: list[str]) -> bool:
        return any(mentions(f, text) for f in forms)

    if q.type == "true_false":
        body = " ".join(w for w in tokens(core))
        states_right, states_wrong = says(body, right), says(body, fact.reject)
        if not (states_right or states_wrong) or (states_right and states_wrong):
            return None
        true_key = q.answer.strip().lower() in TRUE_WORDS
        if true_key == states_right:
            return "agrees"
        return (f"{q.answer!r}, but the lecture's answer is {fact.answer!r}" if states_right
                else f"'True', but it states {next(r for r in fact.reject if mentions(r, body))!r}")
    key_right, key_wrong = says(q.answer, right), says(q.answer, fact.reject)
    other_right = any(says(o, right) for o in q.options if normalise(o) != normalise(q.answer))
    if key_right and not key_wrong:
        return "agrees"
    if key_wrong or other_right:
        return f"the key {q.answer!r}; the lecture's answer is {fact.answer!r}"
    return None


def item_verdicts(course: GeneratedCourse, item: EvalItem) -> list[ItemVerdict]:
    out = []
    for view in views(course, item):
        questions = view.section.supplement.quiz.questions if view.section.supplement else []
        for n, q in enumerate(questions, 1):
            out.append(check_item(q, view, item, f"{view.label} q{n}"))
    return out


def _findings(verdicts: list[ItemVerdict], keep: int = 0) -> list[Finding]:
    return [finding(v.where, "; ".join(v.flaws), v.prompt)
            for v in sorted(verdicts, key=lambda v: -len(v.flaws)) if len(v.flaws) > keep]


def item_flaws(course: GeneratedCourse, item: EvalItem) -> list[EvalResult]:
    """Three figures over the quiz items: share with any flaw, share with ≥ 2 flaws (both
    lower is better) and wrong keys among the checkable ones."""
    verdicts = item_verdicts(course, item)
    if not verdicts:
        return [skipped(k, "no quiz questions")
                for k in ("items_flawed", "items_unacceptable", "wrong_keys")]
    n = len(verdicts)
    flawed = [v for v in verdicts if v.flaws]
    bad = [v for v in verdicts if len(v.flaws) >= 2]
    checkable = [v for v in verdicts if v.key_checkable]
    wrong = [v for v in checkable if v.wrong_key]
    return [
        share("items_flawed", len(flawed), n, "items have an item-writing flaw",
              _findings(verdicts)),
        share("items_unacceptable", len(bad), n, "items have two or more flaws",
              _findings(verdicts, keep=1)),
        share("wrong_keys", len(wrong), len(checkable), "checkable keys are wrong",
              [finding(v.where, v.wrong_key or "", v.prompt) for v in wrong]),
    ]
