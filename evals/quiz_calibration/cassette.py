"""Recorded blind answers: what a careful model answers to each blind-check request.

Without an API key the model path replays them through the real client: `LLMClient` and the
real `ChatOpenAI`, whose HTTP transport answers from a cassette (testkit/cassette.py, one JSON
file per request, named by its item). A recording is keyed by its request (prompt, question,
cited lines and answer schema), so a changed prompt shows up as a miss that names the recording
it no longer matches, not as a silently different figure.

The answers were written by hand by reading each request as the prompt asks (the question, its
options and the cited lines; never the key or the label): `--requests DIR` writes the requests
still to answer, `--record FILE` stores the answers (see evals/README.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agents.quiz_blind_check import BlindAnswer, cited_segments, render
from evals.quiz_calibration.dataset import Item, Lecture
from llm.client import LLMClient
from pipeline.prompt_text import timed_lines
from testkit.cassette import Cassette, cassette_client

CASSETTE_DIR = Path(__file__).resolve().parent / "cassette"


def blind_request(lecture: Lecture, item: Item) -> tuple[str, str]:
    """(system, user) exactly as blind_check sends them for this item."""
    q = item.question()
    return render(q, timed_lines(cited_segments(q.source_ref, lecture.section_segments(item))))


def _norm(text: str) -> str:
    # as testkit.cassette keys a message: lines right-trimmed, the whole stripped
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _user_text(body: dict[str, Any]) -> str:
    users = [m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "user"]
    return _norm(str(users[-1])) if users else ""


def items_by_request(lectures: Sequence[Lecture]) -> dict[str, str]:
    """A blind request's user message -> the item it asks about."""
    return {_norm(blind_request(lec, i)[1]): i.id for lec in lectures for i in lec.items}


def replay(directory: Path = CASSETTE_DIR) -> tuple[LLMClient, Cassette]:
    cassette = Cassette.load(directory)
    return cassette_client(cassette), cassette


class RecordingCassette(Cassette):
    """Answers a request it has no recording for from hand-written answers (by item) and saves
    it as `<item>.json`; a recording of another request under that name is replaced."""

    hand: dict[str, dict[str, Any]]
    which: dict[str, str]
    saved: list[str]

    def answer(self, body: dict[str, Any]) -> Any | None:
        found = super().answer(body)
        if found is not None:
            return found
        item = self.which.get(_user_text(body))
        if item is None or item not in self.hand:
            return None
        self.misses.pop()
        answer = BlindAnswer.model_validate(self.hand[item]).model_dump(by_alias=True)
        for stale in [k for k, r in self.recordings.items() if r["file"] == f"{item}.json"]:
            del self.recordings[stale]
        self.save(body, answer, item)
        self.used.add(next(k for k, r in self.recordings.items() if r["file"] == f"{item}.json"))
        self.saved.append(item)
        return answer


def recorder(lectures: Sequence[Lecture], filled: Path,
             directory: Path = CASSETTE_DIR) -> tuple[LLMClient, RecordingCassette]:
    """A client that replays the cassette and records the filled answers (a list like the
    answers.json `--requests` writes) for the requests it lacks."""
    base = Cassette.load(directory)
    cassette = RecordingCassette(folder=directory, recordings=base.recordings)
    cassette.hand = {r["item"]: {k: v for k, v in r.items() if k != "item"}
                     for r in json.loads(filled.read_text(encoding="utf-8"))}
    cassette.which = items_by_request(lectures)
    cassette.saved = []
    return cassette_client(cassette), cassette


def write_requests(lectures: Sequence[Lecture], ids: set[str], directory: Path) -> int:
    """One text file per request to answer by hand, plus answers.json to fill in."""
    directory.mkdir(parents=True, exist_ok=True)
    template = []
    for lec in lectures:
        for item in lec.items:
            if item.id not in ids:
                continue
            system, user = blind_request(lec, item)
            (directory / f"{item.id}.txt").write_text(f"## system\n{system}\n\n## user\n{user}\n",
                                                      encoding="utf-8")
            template.append({"item": item.id, "answerable": True, "answer": "",
                             "alsoDefensible": [], "reason": ""})
    (directory / "answers.json").write_text(json.dumps(template, indent=1, ensure_ascii=False)
                                            + "\n", encoding="utf-8")
    return len(template)
