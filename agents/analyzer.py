"""Analyzer: topics, key concepts, prerequisites, difficulty, language and topic segments.

Transcripts longer than the smallest model's window are split by tokens and analysed part by
part (map), then merged (reduce): every part of the transcript is read, nothing is dropped.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from typing import Any

from langgraph.runtime import Runtime

from agents.budget import transcript_budget
from core.domain import Analysis, AnalysisSegment, CamelModel, Difficulty, Preferences, Transcript
from llm.tokens import count_tokens
from nlp import course as extractive
from nlp.segmentation import default_target
from pipeline.context import CourseContext, course_context, track
from pipeline.prompt_text import timed_lines
from pipeline.state import CourseState, to_state
from prompts import fence_untrusted, load_prompt
from sources.chunking import Chunk, chunk_by_tokens


class AnalysisSummary(CamelModel):
    """The reduce step's LLM answer; lists are merged without the model."""

    title: str
    summary: str
    difficulty: Difficulty = "beginner"


def _ranked(lists: list[list[str]], limit: int) -> list[str]:
    """Union of items across parts, most frequent first, case-insensitively de-duplicated."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for items in lists:
        for item in items:
            key = item.strip().lower()
            if key:
                counts[key] += 1
                first.setdefault(key, item.strip())
    return [first[k] for k, _ in counts.most_common(limit)]


def _segments_for(chunk: Chunk, found: list[AnalysisSegment]) -> list[AnalysisSegment]:
    """Keep the model's segments inside its chunk; fall back to the chunk itself."""
    kept = []
    for seg in found:
        start = min(max(seg.start_seconds, chunk.start), chunk.end)
        end = min(max(seg.end_seconds, start), chunk.end)
        if end > start:
            kept.append(AnalysisSegment(title=seg.title, start_seconds=start, end_seconds=end))
    return kept or [AnalysisSegment(title=f"Part {chunk.index + 1}", start_seconds=chunk.start,
                                    end_seconds=chunk.end)]


async def _analyse_chunk(ctx: CourseContext, chunk: Chunk, parts: int, title: str) -> Analysis:
    system, user = load_prompt("analyzer").render(
        part=chunk.index + 1, parts=parts, title=title, start_seconds=round(chunk.start, 1),
        # the chunk was sized on the longer one-line-per-cue text: its joined lines fit too
        end_seconds=round(chunk.end, 1), transcript=fence_untrusted(timed_lines(chunk.segments)),
    )
    result = await ctx.client().structured(Analysis, system=system, user=user, node="analyze")
    return result.model_copy(update={"segments": _segments_for(chunk, result.segments)})


async def _summarise(ctx: CourseContext, briefs: list[dict[str, Any]], title: str
                     ) -> AnalysisSummary:
    """Reduce part summaries to one; a tree of merges when they do not fit one call."""
    text = json.dumps(briefs, ensure_ascii=False, indent=1)
    if len(briefs) > 1 and count_tokens(text) > transcript_budget(ctx.client()):
        half = len(briefs) // 2
        heads = await asyncio.gather(_summarise(ctx, briefs[:half], title),
                                     _summarise(ctx, briefs[half:], title))
        text = json.dumps([h.model_dump(by_alias=True) for h in heads], ensure_ascii=False)
    system, user = load_prompt("analysis_merge").render(parts=len(briefs), title=title,
                                                        analyses=text)
    return await ctx.client().structured(AnalysisSummary, system=system, user=user,
                                         node="analyze")


async def _merge(ctx: CourseContext, parts: list[Analysis], title: str) -> Analysis:
    briefs = [{"title": p.title, "summary": p.summary, "topics": p.topics[:8]} for p in parts]
    head = await _summarise(ctx, briefs, title)
    languages = Counter(p.language for p in parts)
    return Analysis(
        title=head.title, summary=head.summary, difficulty=head.difficulty,
        topics=_ranked([p.topics for p in parts], 40),
        key_concepts=_ranked([p.key_concepts for p in parts], 60),
        prerequisites=_ranked([p.prerequisites for p in parts], 20),
        language=languages.most_common(1)[0][0],
        segments=[s for p in parts for s in p.segments],
    )


LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def _language(found: str, transcript: Transcript) -> str:
    """A model may answer "English" or "JSON": keep only a real language code."""
    code = found.strip().lower()
    if LANGUAGE_CODE.match(code):
        return code
    return transcript.language or "en"


CHAPTER_MAX_SECONDS = 20 * 60  # a longer author chapter is split at its topic shifts


def extract_analysis(transcript: Transcript, prefs: Preferences, max_sections: int,
                     title: str | None) -> Analysis:
    """Extractive strategy: key phrases, topic segments and a title taken from the transcript."""
    segments = [(s.start, s.end, s.text) for s in transcript.segments]
    target = min(max_sections, default_target(transcript.duration))
    # the same chapter limit as the LLM strategy (chapter_segments): a huge chapter is split
    analysis = extractive.analyze(segments, language=prefs.language or transcript.language,
                                  target_sections=target, chapters=transcript.chapters or None,
                                  max_sections=max_sections,
                                  chapter_max_seconds=CHAPTER_MAX_SECONDS)
    return analysis.model_copy(update={"title": title}) if title else analysis


def chapter_segments(transcript: Transcript, language: str) -> list[AnalysisSegment]:
    """The author's chapters as topic segments: tiny ones merged into a neighbour, huge ones
    split, the author's titles kept (nlp.segmentation.build_sections does all three)."""
    segments = [(s.start, s.end, s.text) for s in transcript.segments]
    _, sections = extractive.outline(segments, language, chapters=transcript.chapters,
                                     max_seconds=CHAPTER_MAX_SECONDS)
    return [AnalysisSegment(title=s.title, start_seconds=s.start, end_seconds=max(s.end, s.start))
            for s in sections]


async def analyze(state: CourseState, runtime: Runtime[CourseContext]) -> dict[str, Any]:
    """Analyse the transcript, map-reduce over token-sized parts when it is long."""
    started = time.monotonic()
    ctx = course_context(runtime)
    transcript = Transcript.model_validate(state["transcript"])
    given_title = state.get("title") or transcript.title
    if ctx.extractive():
        prefs = Preferences.model_validate(state.get("preferences") or {})
        # CPU-bound: off the event loop so the API keeps serving while a course is analysed
        found = await asyncio.to_thread(extract_analysis, transcript, prefs,
                                        ctx.max_sections or ctx.cfg().max_sections, given_title)
        await track(runtime, state).step_done("analyze", started,
                                              f"{len(found.segments)} topics found")
        return {"analysis": to_state(found)}
    title = given_title or "Untitled lecture"
    chunks = chunk_by_tokens(transcript.segments, transcript_budget(ctx.client()))
    parts = await asyncio.gather(*(_analyse_chunk(ctx, c, len(chunks), title) for c in chunks))
    analysis = parts[0] if len(parts) == 1 else await _merge(ctx, list(parts), title)
    analysis = analysis.model_copy(update={"language": _language(analysis.language, transcript)})
    if transcript.chapters:  # the author's sections win over the model's topic segments
        by_author = await asyncio.to_thread(chapter_segments, transcript, analysis.language)
        analysis = analysis.model_copy(update={"segments": by_author})
    await track(runtime, state).step_done("analyze", started, f"{len(chunks)} part(s) analysed")
    return {"analysis": to_state(analysis)}
