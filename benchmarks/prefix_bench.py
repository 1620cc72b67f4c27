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
from llm.tokens import count_tokens
from pipeline.context import CourseContext
from prompts import load_prompt

SCHEMAS = ("LessonDraft", "SupplementDraft")


def common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))


def prefix_shares(texts: list[str]) -> list[tuple[int, int, int]]:
    """Per prompt: (its chars, chars shared with the best other prompt, tokens of that part)."""
    out = []
    for i, text in enumerate(texts):
        shared = max((common_prefix(text, o) for j, o in enumerate(texts) if j != i), default=0)
        out.append((len(text), shared, count_tokens(text[:shared])))
    return out


async def run_once(sections: int) -> list[dict[str, Any]]:
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
    return rows


async def main(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for sections in args.sizes:
        rows += await run_once(sections)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 10])
    rows = run(main(parser.parse_args()))
    print_table("prompt prefix shared across a course's section calls", rows,
                ["sections", "agent", "prompt", "calls", "prefix_share", "mean_prefix_tokens",
                 "mean_prompt_tokens", "ledger_cached_share"])
    write_results("prefix", {"rows": rows})
