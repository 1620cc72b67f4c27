"""PlainRedisSaver beyond the conformance suite: real graphs, resume, TTL, sync API."""

from __future__ import annotations

import operator
import uuid
from collections import Counter
from pathlib import Path
from typing import Annotated, TypedDict

import pytest
import redis
import redis.asyncio as aredis
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from infra.checkpoint_redis import PlainRedisSaver
from testkit import services

from .conftest import REDIS_URL


class FanState(TypedDict):
    sections: list[str]
    written: Annotated[list[str], operator.add]


def build_fan_graph(calls: Counter, fail_once: set[str]):
    """outline -> write x N (Send, parallel) -> join; `fail_once` sections raise on first call."""

    def plan(state: FanState) -> list[Send]:
        return [Send("write", {"sections": [s], "written": []}) for s in state["sections"]]

    async def write(state: FanState) -> dict:
        name = state["sections"][0]
        calls[name] += 1
        if name in fail_once:
            fail_once.discard(name)
            raise RuntimeError(f"transient failure in {name}")
        return {"written": [f"body of {name}"]}

    def join(state: FanState) -> dict:
        return {}

    g = StateGraph(FanState)
    g.add_node("write", write)
    g.add_node("join", join)
    g.add_conditional_edges(START, plan, ["write"])
    g.add_edge("write", "join")
    g.add_edge("join", END)
    return g


@pytest.fixture(params=["redis", "sqlite"])
async def saver(request, tmp_path: Path):
    if request.param == "sqlite":
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as s:
            yield s
        return
    services.need_redis()
    prefix = f"test:{uuid.uuid4().hex[:12]}"
    async with PlainRedisSaver.from_url(REDIS_URL, ttl_seconds=300, prefix=prefix) as s:
        yield s
        keys = [k async for k in s.aclient.scan_iter(match=f"{prefix}*")]
        if keys:
            await s.aclient.delete(*keys)


async def test_resume_does_not_redo_finished_parallel_branches(saver) -> None:
    sections = [f"s{i}" for i in range(6)]
    calls: Counter = Counter()
    graph = build_fan_graph(calls, fail_once={"s3"}).compile(checkpointer=saver)
    config = {"configurable": {"thread_id": f"course-{uuid.uuid4()}"}}

    with pytest.raises(RuntimeError, match="s3"):
        await graph.ainvoke({"sections": sections, "written": []}, config)
    # the five branches that finished are stored as pending writes of the checkpoint
    state = await graph.aget_state(config)
    assert state.next == ("write",) * 6 or "write" in state.next
    result = await graph.ainvoke(None, config)

    assert sorted(result["written"]) == sorted(f"body of {s}" for s in sections)
    assert calls == Counter({**{s: 1 for s in sections}, "s3": 2})


async def test_history_matches_in_memory_saver(saver) -> None:
    """The same run yields the same history (values, steps, next nodes) as InMemorySaver."""

    async def run(checkpointer) -> list[tuple]:
        graph = build_fan_graph(Counter(), fail_once=set()).compile(checkpointer=checkpointer)
        config = {"configurable": {"thread_id": "history"}}
        await graph.ainvoke({"sections": ["a", "b", "c"], "written": []}, config)
        return [
            (sorted(h.values.get("written", [])), h.metadata["step"], h.metadata["source"], h.next)
            async for h in graph.aget_state_history(config)
        ]

    expected = await run(InMemorySaver())
    assert len(expected) >= 3
    assert await run(saver) == expected


def test_sync_api_runs_a_graph(redis_url: str, key_prefix: str) -> None:
    client = redis.Redis.from_url(redis_url)
    saver = PlainRedisSaver(None, client, prefix=key_prefix)
    calls: Counter = Counter()

    def sync_write(state: FanState) -> dict:  # sync graphs need sync nodes
        calls[state["sections"][0]] += 1
        return {"written": [state["sections"][0]]}

    g = StateGraph(FanState)
    g.add_node("write", sync_write)
    g.add_conditional_edges(
        START, lambda s: [Send("write", {"sections": [x], "written": []}) for x in s["sections"]]
    )
    g.add_edge("write", END)
    app = g.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "sync-thread"}}
    out = app.invoke({"sections": ["a", "b", "c"], "written": []}, config)
    assert sorted(out["written"]) == ["a", "b", "c"]
    assert saver.get_tuple(config) is not None
    assert len(list(saver.list(config))) >= 2
    assert len(list(saver.list(config, limit=1))) == 1
    saver.delete_thread("sync-thread")
    assert saver.get_tuple(config) is None
    assert not list(client.scan_iter(match=f"{key_prefix}*"))
    client.close()


async def test_ttl_is_set_and_refreshed_on_write(redis_url: str, key_prefix: str) -> None:
    async with PlainRedisSaver.from_url(redis_url, ttl_seconds=100, prefix=key_prefix) as saver:
        calls: Counter = Counter()
        graph = build_fan_graph(calls, fail_once=set()).compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "ttl-thread"}}
        await graph.ainvoke({"sections": ["a"], "written": []}, config)
        client: aredis.Redis = saver.aclient
        keys = [k async for k in client.scan_iter(match=f"{key_prefix}*")]
        assert len(keys) >= 5
        for k in keys:
            assert 90 < await client.ttl(k) <= 100, k
            await client.expire(k, 5)  # pretend time passed
        await graph.ainvoke({"sections": ["b"], "written": []}, config)  # a new run refreshes
        for k in keys:
            assert await client.ttl(k) > 90, k


async def test_no_ttl_means_persistent(redis_url: str, key_prefix: str) -> None:
    async with PlainRedisSaver.from_url(redis_url, prefix=key_prefix) as saver:
        graph = build_fan_graph(Counter(), set()).compile(checkpointer=saver)
        await graph.ainvoke(
            {"sections": ["a"], "written": []}, {"configurable": {"thread_id": "t"}}
        )
        keys = [k async for k in saver.aclient.scan_iter(match=f"{key_prefix}*")]
        assert keys and all([await saver.aclient.ttl(k) == -1 for k in keys])


async def test_list_all_threads_and_delete_cleans_every_key(
    redis_url: str, key_prefix: str
) -> None:
    async with PlainRedisSaver.from_url(redis_url, ttl_seconds=60, prefix=key_prefix) as saver:
        graph = build_fan_graph(Counter(), set()).compile(checkpointer=saver)
        for tid in ("t:1", "t}2", "t|3"):  # separators and brace in ids must not confuse keys
            await graph.ainvoke(
                {"sections": ["x"], "written": []}, {"configurable": {"thread_id": tid}}
            )
        listed = [t async for t in saver.alist(None)]
        assert {t.config["configurable"]["thread_id"] for t in listed} == {"t:1", "t}2", "t|3"}
        ids = [t.checkpoint["id"] for t in listed]
        assert ids == sorted(ids, reverse=True)
        assert len([t async for t in saver.alist(None, limit=2)]) == 2
        for tid in ("t:1", "t}2", "t|3"):
            await saver.adelete_thread(tid)
        assert not [k async for k in saver.aclient.scan_iter(match=f"{key_prefix}*")]


class ReviewState(TypedDict):
    outline: str
    approved: str


async def test_interrupt_and_resume_with_command(saver) -> None:
    """The review step: interrupt after the outline, resume with the user's edit."""
    from langgraph.types import Command, interrupt

    def draft(state: ReviewState) -> dict:
        return {"outline": "draft outline"}

    def review(state: ReviewState) -> dict:
        return {"approved": interrupt({"outline": state["outline"]})}

    g = StateGraph(ReviewState)
    g.add_node("draft", draft)
    g.add_node("review", review)
    g.add_edge(START, "draft")
    g.add_edge("draft", "review")
    g.add_edge("review", END)
    graph = g.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": f"review-{uuid.uuid4()}"}}

    first = await graph.ainvoke({"outline": "", "approved": ""}, config)
    assert first["__interrupt__"][0].value == {"outline": "draft outline"}
    state = await graph.aget_state(config)
    assert state.next == ("review",) and state.tasks[0].interrupts
    final = await graph.ainvoke(Command(resume="edited outline"), config)
    assert final == {"outline": "draft outline", "approved": "edited outline"}
