"""blind_check: the model answers without the key; the verdict compares its answer with it."""

from __future__ import annotations

from typing import Any

import pytest

from agents.quiz_blind_check import BlindAnswer, blind_check, cited_segments
from core.domain import QuizQuestion, Segment, SourceRef

LINES = [Segment(start=10, end=18, text="A class is like a cookie cutter."),
         Segment(start=18, end=25, text="The cookies it makes are the instances, the objects."),
         Segment(start=60, end=70, text="Methods are code that lives inside an object.")]
Q = QuizQuestion(type="mcq", prompt="In the cookie-cutter analogy, what is the cookie cutter?",
                 options=["A class", "A method", "An instance", "A variable"], answer="A class",
                 source_ref=SourceRef(start_seconds=10, end_seconds=25))


class Blind:
    """A model that records what it was sent and gives a fixed answer."""

    def __init__(self, answer: BlindAnswer) -> None:
        self.answer = answer
        self.sent: list[str] = []

    async def structured(self, schema: type[Any], *, system: str, user: str, node: str,
                         cache: bool = True) -> Any:
        assert schema is BlindAnswer
        self.sent.append(system + "\n" + user)
        return self.answer


def answer(text: str, also: list[str] | None = None, answerable: bool = True) -> BlindAnswer:
    return BlindAnswer(answerable=answerable, answer=text, also_defensible=also or [],
                       reason="line [10-18]")


@pytest.mark.asyncio
async def test_kept_when_the_blind_answer_is_the_key_and_the_key_is_never_sent() -> None:
    model = Blind(answer("a class"))
    verdict = await blind_check(Q, cited_segments(Q.source_ref, LINES), model)
    assert verdict.keep
    sent = model.sent[0]
    assert "cookie cutter." in sent and "Methods are code" not in sent  # only the cited lines
    assert "A class" in sent  # as an option, among the others: nothing marks it as the key
    assert sent.index("A class") < sent.index("A method")


@pytest.mark.asyncio
@pytest.mark.parametrize(("blind", "why"), [
    (answer("A method"), "not the key"),
    (answer("A class", also=["An instance"]), "also support 'An instance'"),
    (answer("", answerable=False), "do not settle"),
])
async def test_rejected_with_a_reason(blind: BlindAnswer, why: str) -> None:
    verdict = await blind_check(Q, "[10-25] A class is like a cookie cutter.", Blind(blind))
    assert not verdict.keep and why in verdict.reason


@pytest.mark.asyncio
async def test_short_answers_agree_by_content_words() -> None:
    q = QuizQuestion(type="short", prompt="What are the cookies in the analogy?",
                     answer="The instances (objects) made from the class")
    good = await blind_check(q, LINES, Blind(answer("They are the objects, instances of it.")))
    bad = await blind_check(q, LINES, Blind(answer("Methods that live inside objects.")))
    assert good.keep and not bad.keep


@pytest.mark.asyncio
async def test_an_option_copied_with_a_slip_still_names_it() -> None:
    q = Q.model_copy(update={"options": ["Because we can put lots of things in it", "A method",
                                         "An instance", "A variable"],
                             "answer": "Because we can put lots of things in it"})
    slip = await blind_check(q, LINES, Blind(answer("Because we can put lots of things in them")))
    other = await blind_check(q, LINES, Blind(answer("Because it holds one thing")))
    assert slip.keep and not other.keep
