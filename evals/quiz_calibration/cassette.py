"""Recorded blind answers: what a careful model answers to each blind-check request.

Without an API key the model path replays these answers through the real client
(`llm.client.LLMClient` around the scripted chat model, which answers structured requests the
way ChatOpenAI does). Each answer is keyed by a hash of the request it answers (system prompt and
user message), so a changed prompt, question or cited lines shows up as a stale answer, named by
its item, instead of a silently different figure.

The answers were written by hand by reading each request as the prompt asks (the question, its
options and the cited lines; never the key or the label): `--requests DIR` writes the requests to
answer, `--record FILE` stores the answers (see evals/README.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agents.quiz_blind_check import BlindAnswer, cited_segments, render
from evals.quiz_calibration.dataset import Item, Lecture
from llm.client import LLMClient
from llm.scripted import FakeChatModel
from llm.scripted_client import scripted_client
from pipeline.prompt_text import timed_lines

CASSETTE = Path(__file__).resolve().parent / "blind_answers.json"


class Recorded(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    item: str
    request: str  # request_key() of the request this answers
    answerable: bool
    answer: str
    also_defensible: list[str] = Field(default_factory=list, alias="alsoDefensible")
    reason: str

    def blind(self) -> dict[str, Any]:
        return BlindAnswer(answerable=self.answerable, answer=self.answer,
                           also_defensible=self.also_defensible,
                           reason=self.reason).model_dump(by_alias=True)


def request_key(system: str, user: str) -> str:
    return hashlib.sha256(f"{system}\n\n{user}".encode()).hexdigest()[:16]


def blind_request(lecture: Lecture, item: Item) -> tuple[str, str]:
    """(system, user) exactly as blind_check sends them for this item."""
    q = item.question()
    return render(q, timed_lines(cited_segments(q.source_ref, lecture.section_segments(item))))


def load(path: Path = CASSETTE) -> dict[str, Recorded]:
    """item id -> its recorded answer."""
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {r["item"]: Recorded.model_validate(r) for r in raw["answers"]}


def save(answers: dict[str, Recorded], path: Path = CASSETTE) -> None:
    rows = [answers[k].model_dump(by_alias=True) for k in sorted(answers)]
    path.write_text(json.dumps({"answers": rows}, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def stale(lectures: Sequence[Lecture], answers: dict[str, Recorded],
          needed: set[str]) -> list[str]:
    """The needed items whose recorded answer is missing or answers another request."""
    out = []
    for lec in lectures:
        for item in lec.items:
            if item.id not in needed:
                continue
            rec = answers.get(item.id)
            if rec is None:
                out.append(f"{item.id}: no recorded blind answer")
            elif rec.request != request_key(*blind_request(lec, item)):
                out.append(f"{item.id}: the recorded blind answer no longer matches its request "
                           "(the prompt, the question or its cited lines changed)")
    return out


def replay_client(answers: dict[str, Recorded]) -> LLMClient:
    """An LLMClient whose model answers each blind request from the cassette."""
    by_request = {r.request: r for r in answers.values()}

    def respond(_schema: str, messages: list[Any]) -> dict[str, Any]:
        system, user = (str(m.content) for m in messages[:2])
        rec = by_request.get(request_key(system, user))
        if rec is None:
            raise LookupError("no recorded blind answer for this request")
        return rec.blind()

    return scripted_client(FakeChatModel(responder=respond))


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
    (directory / "answers.json").write_text(json.dumps(template, indent=1) + "\n",
                                            encoding="utf-8")
    return len(template)


def record(lectures: Sequence[Lecture], filled: Path, path: Path = CASSETTE) -> int:
    """Store hand-written answers (a list like answers.json), keyed by their current request."""
    answers = load(path)
    where = {i.id: (lec, i) for lec in lectures for i in lec.items}
    rows = json.loads(filled.read_text(encoding="utf-8"))
    for row in rows:
        lec, item = where[row["item"]]
        row["request"] = request_key(*blind_request(lec, item))
        answers[item.id] = Recorded.model_validate(row)
    save(answers, path)
    return len(rows)
