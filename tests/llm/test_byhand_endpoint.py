"""The by-hand endpoint: a real LLMClient call waits for an answer file, gets it back parsed,
and the pair is recorded so the cassette replays it through the same client."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

from agents.quiz_blind_check import BlindAnswer
from llm.client import LLMClient
from llm.factory import chat_openai
from llm.registry import ModelRegistry
from testkit.byhand import ByHandServer
from testkit.cassette import CASSETTE_SPEC, Cassette, cassette_client

ANSWER = {"answerable": True, "answer": "A class", "alsoDefensible": [], "reason": "[1-2]"}


def answer_when_asked(server: ByHandServer) -> None:
    for _ in range(200):
        asked = list(server.pending.glob("*.md"))
        if asked:
            text = asked[0].read_text()
            assert "## system" in text and "cookie cutter" in text and '"alsoDefensible"' in text
            (server.answers / f"{asked[0].stem}.json").write_text(json.dumps(ANSWER))
            return
        time.sleep(0.05)


def test_a_request_waits_for_its_answer_file_then_replays_from_the_cassette(tmp_path: Path
                                                                             ) -> None:
    with ByHandServer(tmp_path, wait_seconds=20) as server:
        spec = CASSETTE_SPEC.model_copy(update={"base_url": server.base_url})
        llm = LLMClient(ModelRegistry([spec]), max_retries=0,
                        chat_factory=lambda s: chat_openai(s, s.base_url, "sk-x", 30, 0.2))
        helper = threading.Thread(target=answer_when_asked, args=(server,))
        helper.start()
        got = asyncio.run(llm.structured(BlindAnswer, system="Answer.", user="The cookie cutter?",
                                         node="quiz_blind"))
        helper.join()
    assert got.answer == "A class"
    assert list(server.pending.iterdir()) == []  # answered requests leave the queue
    cassette = Cassette.load(tmp_path / "cassette")
    replayed = asyncio.run(cassette_client(cassette).structured(
        BlindAnswer, system="Answer.", user="The cookie cutter?", node="quiz_blind"))
    assert replayed == got and cassette.misses == []
    changed = asyncio.run(_try(cassette, "The cookie cutters?"))
    assert changed is None and "no longer matches" in str(cassette.misses[0])


async def _try(cassette: Cassette, user: str) -> BlindAnswer | None:
    from llm.errors import LLMCallFailed

    try:
        return await cassette_client(cassette).structured(BlindAnswer, system="Answer.",
                                                          user=user, node="quiz_blind")
    except LLMCallFailed:
        return None
