"""One recorded course: the course graph and a few tutor turns on a lecture, with whatever
client is given. Recording (a client on testkit/byhand.py) and replay (testkit/cassette.py's
client) run this same function, so they send the same requests.

    python -m testkit.cassette_course --dir tests/cassettes/NAME [--port 8765]

records `NAME/lecture.srt` by hand (answers written to NAME/byhand/answers/, the cassette kept
in NAME/cassette/), with the questions of NAME/tutor.json (a JSON list of strings).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from core.domain import Transcript
from graph.course import compile_course_graph
from graph.runner import run_graph
from graph.tutor import compile_tutor_graph
from llm.client import LLMClient
from pipeline.context import CourseContext
from pipeline.tutor import TutorContext
from sources.transcript import parse_transcript


def lecture(folder: Path) -> tuple[Transcript, list[str]]:
    transcript = parse_transcript((folder / "lecture.srt").read_text(encoding="utf-8"), "srt")
    questions_file = folder / "tutor.json"
    questions = json.loads(questions_file.read_text()) if questions_file.exists() else []
    return transcript, questions


async def run_course(llm: LLMClient, transcript: Transcript, questions: list[str],
                     course_id: str = "cassette-course") -> tuple[dict[str, Any],
                                                                  list[dict[str, Any]]]:
    """The course graph's final state, then the tutor's answer to each question in turn."""
    state = await run_graph(compile_course_graph(None), {
        "course_id": course_id, "transcript": transcript.model_dump(), "preferences": {}},
        ctx=CourseContext(llm=llm), thread_id=course_id)
    tutor = compile_tutor_graph(InMemorySaver())
    answers = []
    for q in questions:
        out = await tutor.ainvoke(
            {"course_id": course_id, "question": q, "transcript": transcript.model_dump()},
            {"configurable": {"thread_id": f"tutor:{course_id}"}},
            context=TutorContext(llm=llm))
        answers.append(out["answer"])
    return dict(state), answers


async def record(folder: Path, port: int) -> None:
    from llm.factory import chat_openai
    from llm.registry import ModelRegistry
    from testkit.byhand import ByHandServer
    from testkit.cassette import CASSETTE_SPEC

    work = folder / "byhand"
    if (folder / "cassette").exists():  # answers already recorded are served at once
        shutil.copytree(folder / "cassette", work / "cassette", dirs_exist_ok=True)
    with ByHandServer(work, port=port) as server:
        spec = CASSETTE_SPEC.model_copy(update={"base_url": server.base_url})
        llm = LLMClient(ModelRegistry([spec]), max_retries=0, timeout=3600,
                        chat_factory=lambda s: chat_openai(s, s.base_url, "sk-byhand", 3600, 0.2))
        print(f"requests appear in {server.pending}", flush=True)
        transcript, questions = lecture(folder)
        state, answers = await run_course(llm, transcript, questions)
    # the lecture's cassette is what this run asked for: recordings of older prompts go
    shutil.rmtree(folder / "cassette", ignore_errors=True)
    (folder / "cassette").mkdir()
    for key in server.cassette.used:
        name = server.cassette.recordings[key]["file"]
        shutil.copy(work / "cassette" / name, folder / "cassette" / name)
    shutil.rmtree(work)
    print(json.dumps({"sections": len(state["course"]["sections"]),
                      "quizReview": state.get("quiz_review"), "tutor": answers}, indent=1))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    asyncio.run(record(args.dir, args.port))
