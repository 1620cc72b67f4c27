"""Announced topics as boundaries and titles; section briefs; quiz items that stand alone."""

from __future__ import annotations

import re

from nlp.course import build_extractive_course, outline
from nlp.discourse import announces, find_cues
from nlp.lesson import section_brief
from nlp.questions import make_questions
from nlp.textutil import Sentence
from nlp.titles import noun_like, verb_like
from tests.nlp.conftest import load


def _sents(texts: list[str], step: float = 10.0) -> list[Sentence]:
    return [Sentence(i * step, i * step + step - 1, t) for i, t in enumerate(texts)]


def test_sample_sections_follow_the_announced_parts(sample):
    sents, sections = outline(sample, "en")
    assert [s.title for s in sections] == [
        "Why Caching Matters", "Freshness", "Validation", "Cache-Control Directives",
        "Shared Caches, CDNs, and Invalidation"]
    for sec in sections[1:]:  # each part starts with the sentence that announces it
        assert re.search(r"(?i)\bpart\b", sents[sec.first].text), sents[sec.first].text


def test_agenda_is_not_a_boundary_but_later_parts_are():
    sents = _sents(["Welcome to the talk on soil.", "First, compost.", "Second, drainage.",
                    "Third, mulching.", "Compost feeds the soil with organic matter.",
                    "That brings us to part two, drainage.", "Water must leave the roots.",
                    "Finally, mulching.", "Mulch keeps the soil moist."])
    cues = find_cues(sents, "en")
    assert [(c.index, c.topic) for c in cues] == [(5, "drainage"), (7, "mulching")]


def test_statements_are_not_announcements():
    sents = _sents(["Now, photosynthesis happens in two stages.",
                    "First, a quick reminder of what a commit is.",
                    "Let's start with part one, why caching matters."])
    assert [c.topic for c in find_cues(sents, "en")] == ["why caching matters"]
    assert announces("Now rebase.") and not announces("Now you make a few commits on main.")


def test_spanish_cues():
    sents = _sents(["Hola a todos.", "Vamos a hablar de la política monetaria.",
                    "Pasemos a los tipos de interés."])
    assert [c.topic for c in find_cues(sents, "es")] == ["política monetaria",
                                                          "tipos de interés"]


def test_verb_and_adjective_words_are_not_title_terms():
    text = ("To convert a number you check each bit. You convert it again and you check "
            "the binary value. The value has eight bits. Plants look green in the light.")
    assert verb_like("convert", text) and verb_like("check", text)
    assert not verb_like("value", text) and noun_like("value", text)
    assert not noun_like("green", text) and noun_like("light", text)


def test_section_brief_defines_what_the_section_defines():
    segs = [(0, 5, "An ETag is an opaque identifier for one version of a resource."),
            (5, 10, "The cache sends the ETag back in an If-None-Match header."),
            (10, 15, "The server compares the ETag with the current version of the resource."),
            (15, 20, "A validator lets the cache revalidate a stored response cheaply.")]
    summary, objectives = section_brief(segs, "en")
    assert summary and summary in " ".join(s[2] for s in segs)
    assert objectives[0] == "Define ETag"
    assert 2 <= len(objectives) <= 3 and len(set(objectives)) == len(objectives)
    assert all(o.startswith(("Define ", "Explain ")) for o in objectives[1:])


def test_section_brief_spanish():
    summary, objectives = section_brief(load("inflacion-es.srt")[:20], "es")
    assert summary and objectives
    assert objectives[0] == "Definir inflación"
    assert all(o.startswith(("Definir ", "Explicar ")) for o in objectives)


def test_no_cloze_on_pronoun_led_sentences(sample):
    course = build_extractive_course(sample, "en")
    for sec in course["sections"]:
        for q in sec["questions"]:
            statement = re.sub(r"^[^:?]*[:?]\s+", "", q.prompt)
            assert not re.match(r"(?i)(and |so |but )?(it|this|that|they)\b", statement), q.prompt
            assert not re.search(r"(?i)\bpart (one|two|three|four|five)\b", statement), q.prompt
        assert len(sec["questions"]) >= 3, sec["title"]


def test_distractors_fit_the_article_before_the_blank():
    segs = [(i * 6.0, i * 6.0 + 5, t) for i, t in enumerate([
        "A router forwards each packet to the next hop on its path.",
        "An interface connects the router to one network segment.",
        "The switch learns addresses from the frames it sees on each port.",
        "A firewall drops packets that match a deny rule in its table.",
        "An access point bridges wireless clients onto the wired network.",
        "The gateway is the router that leads out of the local network."])]
    terms = ["router", "interface", "switch", "firewall", "access point", "gateway",
             "endpoint", "bridge", "modem", "antenna"]
    qs = make_questions(segs, terms, "en", max_questions=6)
    checked = 0
    for q in qs:
        m = re.search(r"\b(a|an) ____", q.prompt, re.IGNORECASE)
        if q.type == "mcq" and m:
            vowel = m.group(1).lower() == "an"
            assert all((o[0].lower() in "aeiou") == vowel for o in q.options), q
            checked += 1
    assert checked  # the case is exercised


def test_a_repeated_term_titles_its_section_over_its_own_head_word():
    """"Data" said alone and inside "data structures": the section is about data structures
    (PY4E Lists opens that way; it was titled "Data and Steps")."""
    from nlp.titles import section_titles

    first = ("Programs read data and follow steps. Steps read the data, convert the data and "
             "print the data. Data structures are clever ways to lay out the data. Lists are "
             "the first data structures we design. Data structures hold data for the steps. "
             "Strings are almost data structures too. The data in a variable is one value.")
    second = ("A loop goes through a list. The loop variable takes each value of the list in "
              "turn. A loop over a list of friends prints each friend. The loop ends after "
              "the last value of the list.")
    assert section_titles([first, second], "en")[0] == "Data Structures"


def test_titles_name_the_sections_key_concepts_not_names_or_example_data():
    """Key phrases alone titled real sections "Chrissy and Lost": the lecture's concepts
    (nlp.concepts) name the section, one alone when no second is nearly as strong."""
    from nlp.titles import section_titles

    first = ("Chrissy has a list of friends. Chrissy adds Glenn to the list. Chrissy prints "
             "the list. Chrissy sorts the list. Chrissy lost one friend, and Chrissy was sad. "
             "Chrissy counts friends again.")
    second = ("A tuple cannot change. A tuple is like a list that is frozen. You make a tuple "
              "with parentheses. A dictionary maps keys to values, and a tuple can be a key. "
              "The dictionary keeps keys.")
    titles = section_titles([first, second], "en", concepts=["list", "tuple", "dictionary"])
    assert titles[0] == "List"
    assert titles[1] in ("Tuple and Dictionary", "Tuple")
    assert not any("Chrissy" in t for t in titles)


def test_objectives_name_concepts_and_the_contrast_the_section_draws():
    segs = [(0, 5, "A tuple is an immutable sequence of values."),
            (5, 10, "Unlike a list, a tuple cannot change after you make it."),
            (10, 15, "A list grows when you append to the list, and a tuple never grows."),
            (15, 20, "Chrissy keeps her friends in a list and her birthday in a tuple.")]
    _, objectives = section_brief(segs, "en", ["tuple", "list", "Chrissy"])
    assert objectives[0] == "Define tuple"
    assert "Explain how list differs from tuple" in objectives
    assert not any("Chrissy" in o for o in objectives)


def test_spanish_concepts_are_no_verbs():
    """py4e-intro-1-es listed "escribir", "escribiendo" and "te mueves" as key concepts."""
    from nlp.concepts import is_concept

    text = ("Vamos a escribir programas. Escribir programas es divertido. Cuando estás "
            "escribiendo código, te mueves rápido. Sigues escribiendo. Tienes que escribir. "
            "El programa contiene instrucciones. Un programa lee un archivo. El archivo "
            "contiene datos. El poder adquisitivo baja. Sin poder adquisitivo no compras. "
            "Probablemente, probablemente.")
    for verb in ("escribir", "escribiendo", "escribir programas", "te mueves", "contiene",
                 "probablemente"):
        assert not is_concept(verb, text, "es"), verb
    for noun in ("programa", "archivo", "poder adquisitivo"):
        assert is_concept(noun, text, "es"), noun
