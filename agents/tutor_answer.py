"""Tutor: answer a learner's question from the video's own words, citing [mm:ss].

retrieve: BM25 over timed sentence windows (nlp/retrieval.py); a question whose terms the video
does not contain is declined here, before any model is asked. answer: the extractive strategy
quotes the best sentences; the LLM strategy writes an answer from the fenced passages and may
only cite passages that were retrieved.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from langgraph.config import get_stream_writer
from langgraph.runtime import Runtime
from pydantic import Field

from core.domain import CamelModel, Transcript
from core.timecodes import timestamp
from core.tutor_turns import TutorAnswer, TutorSourceRef, TutorTurn
from nlp.retrieval import Passage, Retrieval, TranscriptIndex
from nlp.sentences import is_injection
from pipeline.tutor_state import TutorContext, TutorState, tutor_context
from prompts import fence_untrusted, load_prompt

DECLINE = {
    "en": "The video does not cover this, so I cannot answer it from the lecture.",
    "es": "El video no trata este tema, así que no puedo responderlo a partir de la clase.",
}
MAX_SENTENCES = 4
HISTORY_TURNS = 4
_INDEXES: OrderedDict[str, TranscriptIndex] = OrderedDict()  # a few recent courses, per process
_INDEX_CACHE_SIZE = 16


class TutorDraft(CamelModel):
    answer: str = Field(min_length=1)
    covered: bool
    passages: list[int] = Field(default_factory=list)


def _decline(language: str) -> str:
    return DECLINE.get(language[:2], DECLINE["en"])


def transcript_index(key: str, transcript: dict[str, Any]) -> TranscriptIndex:
    """The course's index, built once per process (the transcript never changes after
    generation; the key includes a digest so a replaced transcript is re-indexed)."""
    model = Transcript.model_validate(transcript)
    digest = hashlib.sha256("\n".join(s.text for s in model.segments).encode()).hexdigest()[:16]
    cache_key = f"{key}:{digest}"
    index = _INDEXES.get(cache_key)
    if index is None:
        index = TranscriptIndex([(s.start, s.end, s.text) for s in model.segments],
                                model.language)
        _INDEXES[cache_key] = index
        while len(_INDEXES) > _INDEX_CACHE_SIZE:
            _INDEXES.popitem(last=False)
    _INDEXES.move_to_end(cache_key)
    return index


def _ref(p: Passage) -> TutorSourceRef:
    return TutorSourceRef(start_seconds=p.start, end_seconds=p.end, label=timestamp(p.start),
                          quote=p.text)


def extractive_answer(index: TranscriptIndex, found: Retrieval, question: str) -> TutorAnswer:
    """The best sentence(s), each followed by its timestamp, and the passages they came from."""
    best = index.best_sentences(found, question=question)
    answer = " ".join(f"{s.text} {timestamp(s.start)}" for s in best)
    return TutorAnswer(answer=answer, covered=True, strategy="extractive",
                       source_refs=[_ref(p) for p in found.passages])


_CITE = re.compile(r"\[(\d{1,2}:)?\d{1,2}:\d{2}\]")


async def llm_answer(ctx: TutorContext, index: TranscriptIndex, found: Retrieval, question: str,
                     history: list[dict[str, Any]]) -> TutorAnswer:
    prompt = load_prompt("tutor")
    numbered = "\n".join(f"[{i}] {timestamp(p.start)} {p.text}"
                         for i, p in enumerate(found.passages, 1))
    past = "\n".join(f"{t['role']}: {t['content']}" for t in history[-HISTORY_TURNS:]) or "-"
    system, user = prompt.render(
        language=index.language, max_sentences=MAX_SENTENCES,
        history=fence_untrusted(past, "history"), question=fence_untrusted(question, "question"),
        transcript=fence_untrusted(numbered))
    draft = await ctx.client().structured(TutorDraft, system=system, user=user, node="tutor")
    if not draft.covered:
        return TutorAnswer(answer=_decline(index.language), covered=False, strategy="llm")
    # only passages that were retrieved can be cited; an answer citing none gets the best one
    used = [found.passages[i - 1] for i in dict.fromkeys(draft.passages)
            if 1 <= i <= len(found.passages)] or found.passages[:1]
    valid = {timestamp(p.start) for p in found.passages}
    text = _CITE.sub(lambda m: m.group(0) if m.group(0) in valid else "", draft.answer).strip()
    if is_injection(text):  # the model repeated words addressed to it: fall back to quoting
        return extractive_answer(index, found, question)
    if not _CITE.search(text):
        text = f"{text} {timestamp(used[0].start)}"
    return TutorAnswer(answer=text, covered=True, strategy="llm",
                       source_refs=[_ref(p) for p in used])


async def _transcript(ctx: TutorContext, state: TutorState) -> dict[str, Any]:
    if state.get("transcript"):
        return state["transcript"]
    loaded = await ctx.load_transcript(state["course_id"]) if ctx.load_transcript else None
    if loaded is None:
        raise LookupError(f"course {state.get('course_id')!r} has no stored transcript")
    return loaded


async def answer_question(state: TutorState, runtime: Runtime[TutorContext]) -> dict[str, Any]:
    """Retrieve the passages for the question and answer from them, or decline."""
    ctx = tutor_context(runtime)
    question = state["question"].strip()
    transcript = await _transcript(ctx, state)
    index = await asyncio.to_thread(transcript_index, state.get("course_id", ""), transcript)
    history = state.get("messages") or []
    last_question = next((t["content"] for t in reversed(history) if t["role"] == "user"), "")
    found = await asyncio.to_thread(index.search, question, context=last_question)
    if not found.covered:
        result = TutorAnswer(answer=_decline(index.language), covered=False,
                             strategy="extractive" if ctx.extractive() else "llm")
    elif ctx.extractive():
        result = extractive_answer(index, found, question)
    else:
        result = await llm_answer(ctx, index, found, question, history)
    write = get_stream_writer()
    for chunk in re.findall(r"\S+\s*", result.answer):  # chunks as the client shows them
        write({"chunk": chunk})
    now = datetime.now(UTC)
    turns = [TutorTurn(role="user", content=question, created_at=now),
             TutorTurn(role="tutor", content=result.answer, source_refs=result.source_refs,
                       covered=result.covered, created_at=now)]
    return {
        "passages": [{"start_seconds": p.start, "end_seconds": p.end, "text": p.text,
                      "score": round(p.score, 4)} for p in found.passages],
        "coverage": round(found.coverage, 4),
        "answer": result.model_dump(mode="json"),
        "messages": [t.model_dump(mode="json") for t in turns],
    }
