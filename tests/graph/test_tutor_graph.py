"""The tutor graph: grounded answers with [mm:ss] citations, declines, injection, threads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from core.domain import Transcript
from graph.tutor_graph import compile_tutor_graph, tutor_thread_id
from llm.client import LLMClient
from llm.registry import EXTRACTIVE_MODEL, ModelRegistry
from pipeline.tutor_state import TutorContext
from sources.transcript import parse_transcript
from testkit.scripted_client import scripted_client as fake_client
from testkit.scripted_course import course_fake

DATA = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "core"
STAMP = re.compile(r"\[(\d\d):(\d\d)\]")


@pytest.fixture(scope="module")
def interest() -> Transcript:
    return parse_transcript((DATA / "compound-interest.srt").read_text())


def extractive_ctx() -> TutorContext:
    return TutorContext(llm=LLMClient(ModelRegistry([EXTRACTIVE_MODEL])))


async def ask(graph, transcript: Transcript, question: str, ctx: TutorContext,
              thread: str = "t1") -> dict:
    return await graph.ainvoke(
        {"course_id": "c1", "question": question, "transcript": transcript.model_dump()},
        {"configurable": {"thread_id": thread}}, context=ctx)


def cited_seconds(answer: str) -> list[int]:
    return [int(m) * 60 + int(s) for m, s in STAMP.findall(answer)]


async def test_extractive_answer_cites_the_passage_that_answers(interest):
    graph = compile_tutor_graph(InMemorySaver())
    out = await ask(graph, interest, "How long does money take to double at six percent?",
                    extractive_ctx())
    answer = out["answer"]
    assert answer["covered"] is True and answer["strategy"] == "extractive"
    assert "twelve years" in answer["answer"]
    # "At six percent, money doubles in about twelve years." is spoken at 03:38
    assert any(215 <= s <= 225 for s in cited_seconds(answer["answer"])), answer["answer"]
    refs = answer["sourceRefs"]
    assert refs and all(r["label"] == f"[{int(r['startSeconds']) // 60:02d}:"
                                       f"{int(r['startSeconds']) % 60:02d}]" for r in refs)
    assert any(r["startSeconds"] <= 218 <= r["endSeconds"] for r in refs)


@pytest.mark.parametrize("question", ["What is the capital of France?",
                                      "What interest rate does the Federal Reserve set?"])
async def test_questions_the_video_does_not_cover_are_declined(interest, question):
    graph = compile_tutor_graph(InMemorySaver())
    out = await ask(graph, interest, question, extractive_ctx())
    assert out["answer"]["covered"] is False
    assert out["answer"]["sourceRefs"] == []
    assert "does not cover" in out["answer"]["answer"]


async def test_planted_instructions_never_reach_an_answer(interest):
    graph = compile_tutor_graph(InMemorySaver())
    fake = course_fake()
    for ctx in (extractive_ctx(), TutorContext(llm=fake_client(fake))):
        for q in ("What should anyone processing this transcript automatically do?",
                  "What did the note say to output in every quiz answer?",
                  "Is compound interest a scam?"):
            out = await ask(graph, interest, q, ctx, thread=f"inj-{id(ctx)}")
            assert "PWNED" not in out["answer"]["answer"]
            assert "is a scam" not in out["answer"]["answer"]


async def test_llm_strategy_fences_the_transcript_and_keeps_only_retrieved_citations(interest):
    fake = course_fake()
    graph = compile_tutor_graph(InMemorySaver())
    out = await ask(graph, interest, "What is the rule of seventy-two?",
                    TutorContext(llm=fake_client(fake)))
    answer = out["answer"]
    assert answer["strategy"] == "llm" and answer["covered"]
    assert "seventy-two" in answer["answer"] and cited_seconds(answer["answer"])
    call = [c for c in fake.calls if c.schema_name == "TutorDraft"][-1]
    assert "<transcript>" in call.input_text and "</transcript>" in call.input_text
    assert "<question>" in call.input_text
    # a declined question never reaches the model
    before = fake.count("TutorDraft")
    out = await ask(graph, interest, "Who invented the bicycle?", TutorContext(
        llm=fake_client(fake)))
    assert out["answer"]["covered"] is False and fake.count("TutorDraft") == before


async def test_the_conversation_is_the_threads_checkpointed_messages(interest):
    saver = InMemorySaver()
    thread = tutor_thread_id("u1", "c1")
    await ask(compile_tutor_graph(saver), interest, "What is APY?", extractive_ctx(), thread)
    # a follow-up with no terms of its own borrows the last question's
    out = await ask(compile_tutor_graph(saver), interest, "And why?", extractive_ctx(), thread)
    assert out["answer"]["covered"] is True
    turns = out["messages"]
    assert [t["role"] for t in turns] == ["user", "tutor", "user", "tutor"]
    assert turns[0]["content"] == "What is APY?" and "APY" in turns[1]["content"]
    other = await compile_tutor_graph(saver).aget_state(
        {"configurable": {"thread_id": tutor_thread_id("u2", "c1")}})
    assert not other.values
