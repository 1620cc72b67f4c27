from __future__ import annotations

import re

import pytest

from nlp.course import build_extractive_course
from nlp.flashcards import make_flashcards
from nlp.lesson import definition_parts, write_lesson
from nlp.questions import make_questions
from nlp.quiz_verifier import verify_question
from nlp.titles import modifier_only, noun_like
from tests.nlp.conftest import DATASETS, load


@pytest.fixture(scope="module")
def courses():
    return {name: build_extractive_course(load(name)) for name in DATASETS}


@pytest.mark.parametrize("name", DATASETS)
def test_every_generated_question_verifies(courses, name):
    course = courses[name]
    assert course["sections"]
    for sec in course["sections"]:
        for q in sec["questions"]:
            assert verify_question(q, sec["segments"]) == [], (sec["title"], q)
            assert q.source_ref is not None
            assert sec["start"] - 1 <= q.source_ref.start_seconds <= sec["end"] + 1
            assert "[" in q.explanation and q.answer in (q.options or [q.answer])


@pytest.mark.parametrize("name", DATASETS)
def test_enough_questions_and_cards(courses, name):
    long_ = [sec for sec in courses[name]["sections"] if sec["end"] - sec["start"] >= 120]
    # no quota: a section that says none of the lecture's concepts gets no question
    asked = [sec for sec in long_ if len(sec["questions"]) >= 2]
    assert len(asked) >= 0.8 * len(long_), [(s["title"], len(s["questions"])) for s in long_]
    for sec in courses[name]["sections"]:
        for card in sec["flashcards"]:  # no quota: a card only where the lecture defines
            said = re.sub(r"\s*\[\d+:\d+\]$", "", card.definition)
            assert definition_parts(said) or re.search(r"(?i)call|llam", said), card
        kinds = {q.type for q in sec["questions"]}
        assert len(kinds) >= 2 or len(sec["questions"]) < 3


def test_mcq_shape(courses):
    mcqs = [q for sec in courses["sample_lecture.srt"]["sections"] for q in sec["questions"]
            if q.type == "mcq"]
    assert len(mcqs) >= 4
    for q in mcqs:
        assert len(q.options) == 4 and len({o.lower() for o in q.options}) == 4
        assert "____" in q.prompt
    tfs = [q for sec in courses["sample_lecture.srt"]["sections"] for q in sec["questions"]
           if q.type == "true_false"]
    assert tfs and all(q.options == ["True", "False"] for q in tfs)


def test_spanish_prompts(courses):
    course = courses["inflacion-es.srt"]
    assert course["language"] == "es"
    qs = [q for sec in course["sections"] for q in sec["questions"]]
    assert qs
    for q in qs:
        assert q.prompt.startswith(("Completa el espacio", "¿Qué término", "Verdadero o falso"))
        assert q.explanation.startswith("En la clase se dice")
        if q.type == "true_false":
            assert q.answer in ("True", "False")


def test_deterministic(sample):
    segs = [s for s in sample if 262 <= s[0] <= 560]
    terms = ["ETag", "max-age", "Vary", "Expires", "cache", "browser", "HTML", "URL"]
    a = make_questions(segs, terms, "en")
    b = make_questions(list(segs), list(terms), "en")
    assert a == b and len(a) >= 3


def test_no_injected_text(courses):
    course = courses["compound-interest.srt"]
    blob = str(course).lower()
    assert "pwned" not in blob and "is a scam" not in blob


def test_cards_only_for_defined_concepts():
    """A card names a concept the lecture defines, never a name or a sentence that only
    mentions a term; "... That's called X." makes a card with its description."""
    segs = [(0, 5, "Joseph, Glenn, and Sally are three friends in the list."),
            (5, 9, "Glenn is the second string in the list."),
            (9, 14, "A tuple is a sequence of values that cannot change."),
            (14, 19, "You write the shape of the data and the code once."),
            (19, 23, "And that's called a template."),
            (23, 28, "The list holds strings, and the list can change.")]
    cards = make_flashcards(segs, "en", terms=["tuple", "template", "list", "Glenn"])
    assert [c.term for c in cards] == ["tuple", "template"]
    assert cards[0].definition.startswith("A tuple is a sequence") and "[00:09]" in (
        cards[0].definition)
    only_named = make_flashcards(segs[3:5], "en", terms=["template"])
    assert [c.term for c in only_named] == ["template"]
    assert only_named[0].definition.startswith("You write the shape of the data")
    assert "[00:19]" in only_named[0].definition


def test_flashcards_from_definitions():
    segs = [(0, 5, "A branch in Git is just a lightweight movable pointer to a commit."),
            (5, 9, "HEAD tells Git which branch you currently have checked out."),
            (9, 14, "Rebasing means replaying your commits on top of another branch.")]
    cards = make_flashcards(segs, "en")
    terms = [c.term for c in cards]
    assert "branch in Git" in terms and "Rebasing" in terms
    assert all("[00:" in c.definition for c in cards)


def test_false_statements_swap_terms_not_common_nouns(courses):
    """A false statement replaces a multi-word term with another ("Expires header" -> "Age
    header"); a common noun swapped for another ("a browser" -> "a content") is not used."""
    falses = [q for name in courses for sec in courses[name]["sections"]
              for q in sec["questions"] if q.type == "true_false" and q.answer == "False"]
    assert falses
    for q in falses:
        swapped = re.search(r'(?:replaced|cambió) "([^"]+)" (?:with|por) "([^"]+)"', q.explanation)
        assert swapped, q.explanation
        assert " " in swapped.group(1) and " " in swapped.group(2), q.explanation


def test_flashcards_are_about_their_term(courses):
    """A card on a common word has it as its sentence's subject, not a passing mention
    ("response: ... data must never be stored in a shared cache ...")."""
    for sec in courses["sample_lecture.srt"]["sections"]:
        for card in sec["flashcards"]:
            if re.search(r"[\sA-Z-]", card.term):
                continue  # a term of art may be defined where it is named
            before = card.definition.lower().split(card.term.lower())[0]
            assert set(before.split()) <= {"a", "an", "the", "so"}, (card.term, card.definition)


def test_signposting_is_never_a_key_point_or_question(courses):
    intro = re.compile(r"^(?:by the end of this|first,|second,|third,|fourth,|fifth,|to recap)",
                       re.IGNORECASE)
    sec = courses["sample_lecture.srt"]["sections"][0]
    points = write_lesson(sec["segments"], "en").key_points
    assert points and not [p for p in points if intro.match(p)]
    for q in sec["questions"]:
        assert not intro.search(q.prompt.split(": ", 1)[-1]), q.prompt


def test_distractors_are_nouns(courses, sample):
    """A one-word option is a noun of the lecture: an adverb or an adjective ("back",
    "current") in "Every request a ____ makes" gives the key away."""
    text = " ".join(s[2] for s in sample)
    options = {o for sec in courses["sample_lecture.srt"]["sections"] for q in sec["questions"]
               if q.type == "mcq" for o in q.options if " " not in o}
    assert options
    for option in options:
        assert noun_like(option, text) and not modifier_only(option, text), option


# eight whole sentences of a lesson on lists, each about one thing
LIST_LESSON = [
    "A list is a collection of values kept in order inside one variable.",
    "The range function returns a list of numbers starting from zero.",
    "The len function returns the number of values stored in a list.",
    "Lists are mutable, so any value stored in a list can be changed later.",
    "A slice copies a part of a list into a brand new list value.",
    "The append method adds one new value at the end of a list.",
    "Square brackets with an index read one value from a list.",
    "A nested list keeps another list as one of its values.",
]
THINKING_ALOUD = [
    "Like I've said, I have had to tell you about lists all along.",
    "The for each, I mean the for statement, ya know goes through every value in a list.",
    "Let's take a look at the range function for a minute.",
]


def test_the_speaker_thinking_aloud_is_never_read_back():
    """Sentences about the speaker, self-repairs ("X, I mean Y, ya know") and "Let's take a
    look at ..." are neither overview, key point nor question while content is left."""
    content = LIST_LESSON
    # each aside sits between content sentences and names the section's terms ("list")
    texts = [t for pair in zip(content, [*THINKING_ALOUD, "", "", "", "", ""],
                               strict=False) for t in pair if t]
    segments = [(i * 6.0, i * 6.0 + 5.5, t) for i, t in enumerate(texts)]
    lesson = write_lesson(segments, "en")
    overview = re.split(r"\n### (?!Overview)", lesson.markdown)[0]
    questions = make_questions(segments, ["list", "range function", "len function"], "en",
                               max_questions=5)
    assert len(lesson.key_points) == 5 and len(questions) >= 3
    for aside in THINKING_ALOUD:
        core = aside.split(",")[-1].strip()[:30]
        assert core not in overview, aside
        assert not [p for p in lesson.key_points if core in p], aside
        assert not [q.prompt for q in questions if core in q.prompt], aside


def test_verbless_fragments_are_not_key_points_or_questions():
    """A caption fragment with no verb ("More than one value in a variable.") is neither a
    key point nor a question while whole sentences are left."""
    fragments = ["One list value in one list variable at one list index.",
                 "So, red, 24, 98.6, a three item list with a list value and an integer value."]
    whole = LIST_LESSON
    texts = whole[:3] + fragments[:1] + whole[3:6] + fragments[1:] + whole[6:]
    segments = [(i * 6.0, i * 6.0 + 5.5, t) for i, t in enumerate(texts)]
    lesson = write_lesson(segments, "en")
    questions = make_questions(segments, ["list", "value", "integer", "list index", "slice"],
                               "en", max_questions=5,
                               section_terms=["integer", "list index", "slice"])
    assert len(lesson.key_points) == 5 and questions  # "integer" is only in a fragment
    for fragment in fragments:
        core = fragment[4:30]
        assert core not in re.split(r"\n### (?!Overview)", lesson.markdown)[0], fragment
        assert not [p for p in lesson.key_points if core in p], fragment
        assert not [q.prompt for q in questions if core in q.prompt], fragment


def test_run_on_spoken_sentences_are_cut_to_the_clause_holding_the_key():
    """Real captions give 30-40-word stems; a stem keeps the clauses around its key, within
    STEM_WORDS, or the sentence is not asked."""
    from nlp.questions import STEM_WORDS

    run_on = ("Python has many kinds of sequences that you will meet again and again in programs, "
              "and a tuple cannot change after you make it, so you have to make a new one "
              "whenever you want something else, because that is how Python sequences work.")
    segs = [(0.0, 20.0, run_on),
            (20.0, 30.0, "A list can change after you make it."),
            (30.0, 40.0, "A dictionary maps each key to a value."),
            (40.0, 50.0, "A list keeps its values in order.")]
    qs = make_questions(segs, ["tuple", "list", "dictionary", "value"], "en", max_questions=6)
    assert qs
    for q in qs:
        stem = re.sub(r"^[^:?]*[:?]\s+", "", q.prompt)
        assert len(stem.split()) <= STEM_WORDS, q.prompt
    assert any("cannot change after you make it" in q.prompt for q in qs)
