"""The verifier rules the calibration set (evals/quiz_calibration) called for, each on the kind of
lecture sentence where a careless question writer trips the old rule."""

from __future__ import annotations

from core.domain import QuizQuestion
from nlp.quiz_verifier import verify_question

TF = ["True", "False"]


def tf(statement: str, key: str) -> QuizQuestion:
    return QuizQuestion(type="true_false", prompt=statement, options=TF, answer=key)


def said(*sentences: str) -> list[tuple[float, float, str]]:
    return [(5.0 * i, 5.0 * i + 5, s) for i, s in enumerate(sentences)]


def test_a_window_that_denies_the_prompt_word_does_not_support_the_key():
    segs = said("Some of these characters are special, like the caret and the dollar sign.",
                "The colon is not special: it just matches itself.")
    prompt = "Which character is special in this pattern?"
    good = QuizQuestion(type="mcq", prompt=prompt, answer="The caret",
                        options=["The caret", "The colon", "The letter Q"])
    assert verify_question(good, segs, "en") == []
    wrong = good.model_copy(update={"answer": "The colon"})
    assert any("'The colon' is not supported" in p for p in verify_question(wrong, segs, "en"))


def test_a_negation_counts_on_the_words_it_applies_to():
    segs = said("Regular expressions are very powerful but they're also very cryptic and you "
                "may not like them.")
    # "not like them" denies nothing the statement says: it does not turn the statement false
    assert verify_question(tf("Regular expressions are very cryptic, and they are also very "
                              "powerful.", "True"), segs, "en") == []
    segs = said("Now, lists are mutable.", "But strings are not mutable, you cannot change them.")
    assert verify_question(tf("Strings are mutable.", "False"), segs, "en") == []
    assert verify_question(tf("Strings are mutable.", "True"), segs, "en")
    # a negation with nothing after it applies to a word left out: judged by its presence
    assert verify_question(tf("Strings are mutable, but lists are not.", "True"), segs, "en")


def test_non_negates_what_follows():
    segs = said("Back slash capital S means a non-white space character.")
    assert verify_question(tf("Backslash capital S means a white space character.", "True"),
                           segs, "en")
    assert verify_question(tf("Backslash capital S means a non-white space character.", "True"),
                           segs, "en") == []


def test_a_paraphrase_or_a_name_does_not_prove_false():
    segs = said("SQLite is very popular because it's free, it's open source and it's tiny.",
                "Persistence, perseverance, grit: that's the number one word today in "
                "psychology.")
    paraphrase = tf("SQLite is popular partly because it costs nothing and is open source.",
                    "False")
    assert any("cannot be shown false" in p for p in verify_question(paraphrase, segs, "en"))
    named = tf("Bonk calls grit the number one word in psychology today.", "False")
    assert verify_question(named, segs, "en")
    # a term swapped word for word still proves the statement false
    swapped = tf("SQLite is very popular because it's free, it's closed source and tiny.",
                 "False")
    assert verify_question(swapped, segs, "en") == []


def test_other_forms_and_local_reordering_are_no_swapped_term():
    segs = said("Could we imagine for a moment that we could change fruit sub zero?",
                "But it turns out that strings are not mutable, meaning they're not changeable "
                "once you create them.")
    assert verify_question(tf("Strings are not mutable: they cannot be changed once you create "
                              "them.", "True"), segs, "en") == []
    segs = said("Early on the relational databases were slower, but eventually they made "
                "relational databases fast.")
    # 'faster' is a form of the section's 'fast': a swapped term, so the statement is false
    assert verify_question(tf("Early on the relational databases were faster.", "False"),
                           segs, "en") == []


def test_a_distractor_the_check_cannot_tell_from_the_key_is_a_problem():
    segs = said("And this colon and X are just there. They're just the characters.")
    q = QuizQuestion(type="mcq", prompt="Which characters in the pattern are just there?",
                     options=["X and the colon", "Only the colon", "The caret"],
                     answer="X and the colon")
    assert any("cannot tell them apart" in p for p in verify_question(q, segs, "en"))


def test_a_negation_in_a_neighbouring_window_proves_false():
    # the captions of PY4E Lists (CC BY 4.0) as cut: the best window for the statement is the
    # one before the denial, so the denial must be found in another window about it
    segs = said("We have a function called len,", "we've been using this len function all along",
                "to take a look at how strings are.",
                "It counts the number of characters in the string,",
                "so that's a 9 character string.", "If we have items in a list,",
                "len tell us how many items there are.",
                "It's not like how many characters there are,", "it's the number of things.")
    statement = "Applied to a list, len counts the characters of all of the list's items."
    assert verify_question(tf(statement, "False"), segs, "en") == []
    assert verify_question(tf(statement, "True"), segs, "en")
