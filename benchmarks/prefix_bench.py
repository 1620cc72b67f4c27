"""How much of each per-section prompt a provider's prefix cache can reuse.

    python -m benchmarks.prefix_bench [--sizes 3 10]

Providers (OpenAI, Anthropic, DeepSeek, vLLM/SGLang) cache the longest byte-identical prompt
prefix they have seen recently; only that part is billed at the cached rate and skips prefill.
Runs the course graph on the scripted model (3 sections: the sample lecture; more: the samples
laid end to end) and, for every writer (LessonDraft) and supplement (SupplementDraft) call,
takes the longest common prefix of its rendered prompt (system + user) with any other call of
the same agent in that course. Reported: that prefix as a share of the prompt's characters,
and in tokens (OpenAI caches only from 1,024 prompt tokens on, in 128-token steps, so a shared
prefix below that saves nothing there; vLLM's automatic prefix caching has no such floor).

Then the cost of the whole course (every call, analysis and outline included) at gpt-4o-mini's
list prices, three ways: no caching; OpenAI's rule (a call's longest prefix shared with an
earlier call of the course is cached when the prompt has at least 1,024 tokens, in 128-token
steps); and an ideal prefix cache with no floor (what the usage ledger records from the fake's
`cache_read`, as vLLM/SGLang would serve it).
Writes benchmarks/results/prefix.json.
"""

from __future__ import annotations

import argparse
import os
from statistics import mean
from typing import Any

from benchmarks.common import bench_client, print_table, run, timed_fake, write_results
from benchmarks.pipeline_bench import STUDY_MINUTES_PER_SECTION, transcript_for
from graph.course import compile_course_graph
from graph.runner import run_graph
from llm.registry import OPENAI_MODELS
from llm.tokens import count_tokens
from pipeline.context import CourseContext
from prompts import load_prompt

SCHEMAS = ("LessonDraft", "SupplementDraft")
PRICED = next(m for m in OPENAI_MODELS if m.name == "gpt-4o-mini")
OPENAI_CACHE_MIN, OPENAI_CACHE_STEP = 1024, 128


def common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))


def prefix_shares(texts: list[str]) -> list[tuple[int, int, int]]:
    """Per prompt: (its chars, chars shared with the best other prompt, tokens of that part)."""
    out = []
    for i, text in enumerate(texts):
        shared = max((common_prefix(text, o) for j, o in enumerate(texts) if j != i), default=0)
        out.append((len(text), shared, count_tokens(text[:shared])))
    return out


def openai_cached(prompt_tokens: int, prefix_tokens: int) -> int:
    if prompt_tokens < OPENAI_CACHE_MIN:
        return 0
    return prefix_tokens // OPENAI_CACHE_STEP * OPENAI_CACHE_STEP


def course_cost(calls: list[Any], ledger_cached: int) -> dict[str, Any]:
    """Cost of a course's calls (in order) with no cache, OpenAI's rule, and an ideal cache."""
    seen: list[str] = []
    cin = cout = rule_cached = 0
    for c in calls:
        shared = max((common_prefix(c.input_text, p) for p in seen), default=0)
        seen.append(c.input_text)
        cin, cout = cin + c.input_tokens, cout + c.output_tokens
        rule_cached += openai_cached(c.input_tokens, count_tokens(c.input_text[:shared]))
    return {"sections": None, "input_tokens": cin, "output_tokens": cout,
            "usd_per_1k_no_cache": 1000 * PRICED.cost_usd(cin, cout),
            "openai_cached_share": rule_cached / max(1, cin),
            "usd_per_1k_openai_cache": 1000 * PRICED.cost_usd(cin, cout, rule_cached),
            "ideal_cached_share": ledger_cached / max(1, cin),
            "usd_per_1k_ideal_cache": 1000 * PRICED.cost_usd(cin, cout, ledger_cached)}


async def run_once(sections: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    transcript = transcript_for(sections)
    fake = timed_fake(0.0, 0.0)
    fake.prefix_cache = True  # report reused prefixes as cached input, as OpenAI does
    llm = bench_client(fake, concurrency=sections + 4)
    ctx = CourseContext(llm=llm, writer_concurrency=sections + 4, max_sections=sections)
    graph_input = {"course_id": f"prefix-{sections}", "transcript": transcript.model_dump(),
                   "title": transcript.title or "",
                   "preferences": {"duration": sections * STUDY_MINUTES_PER_SECTION}}
    await run_graph(compile_course_graph(), graph_input, ctx=ctx, thread_id=f"prefix-{sections}")
    rows = []
    by_node = llm.usage.by_node()
    for schema, node in zip(SCHEMAS, ("write_section", "supplement"), strict=True):
        texts = [c.input_text for c in fake.calls if c.schema_name == schema and c.fault == "ok"]
        if not texts or node not in by_node:  # the writer drafts each quiz with its lesson
            continue
        shares = prefix_shares(texts)
        total = sum(n for n, _, _ in shares)
        prompt_name = {"LessonDraft": "writer", "SupplementDraft": "supplement"}[schema]
        rows.append({
            "sections": sections, "agent": prompt_name, "prompt": load_prompt(prompt_name).version,
            "calls": len(texts),
            "prefix_share": sum(s for _, s, _ in shares) / total if total else 0.0,
            "mean_prefix_tokens": mean(t for _, _, t in shares) if shares else 0.0,
            "mean_prompt_tokens": mean(count_tokens(t) for t in texts) if texts else 0.0,
            # what the ledger records when every earlier call's prompt is still cached
            "ledger_cached_share": by_node[node].cached_input_tokens
            / max(1, by_node[node].input_tokens),
        })
    ok_calls = [c for c in fake.calls if c.fault == "ok"]
    cost = course_cost(ok_calls, llm.usage.totals().cached_input_tokens)
    return rows, {**cost, "sections": sections, "calls": len(ok_calls)}


async def main(args: argparse.Namespace) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows, costs = [], []
    for sections in args.sizes:
        shares, cost = await run_once(sections)
        rows += shares
        costs.append(cost)
    return rows, costs


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 10])
    rows, costs = run(main(parser.parse_args()))
    print_table("prompt prefix shared across a course's section calls", rows,
                ["sections", "agent", "prompt", "calls", "prefix_share", "mean_prefix_tokens",
                 "mean_prompt_tokens", "ledger_cached_share"])
    print_table(f"cost of 1,000 courses at {PRICED.name} prices (USD)", costs,
                ["sections", "calls", "input_tokens", "output_tokens", "usd_per_1k_no_cache",
                 "openai_cached_share", "usd_per_1k_openai_cache", "ideal_cached_share",
                 "usd_per_1k_ideal_cache"])
    write_results("prefix", {"rows": rows, "cost": costs})
