"""Sections follow the lecture's topics: short blocks merged, long ones split, long videos in
parts; the outline of a 10-minute lecture with seven topics has seven sections."""

from __future__ import annotations

from typing import Any

import pytest

from agents.topics import lecture_topics, with_parts
from core.domain import AnalysisSegment, OutlineSection, Preferences, Segment, Transcript
from core.modules import course_modules
from graph.runner import run_course_graph
from llm.scripted_client import scripted_client
from llm.scripted_course import course_fake


def block(title: str, a: float, b: float) -> AnalysisSegment:
    return AnalysisSegment(title=title, start_seconds=a, end_seconds=b)


def test_short_blocks_join_a_neighbour_and_long_ones_are_split() -> None:
    topics = lecture_topics([block("Intro", 0, 40), block("Objects", 40, 300),
                             block("Aside", 300, 350), block("Classes", 350, 600),
                             block("Everything", 600, 3000)], 3000, max_sections=30)
    assert [t.title for t in topics][:2] == ["Objects", "Classes"]
    assert topics[0].start_seconds == 0 and topics[-1].end_seconds == 3000
    assert all(t.end_seconds - t.start_seconds >= 90 for t in topics)
    assert all(t.end_seconds - t.start_seconds <= 20 * 60 for t in topics)
    assert len(topics) == 4  # 2400 s of "Everything" in two spans
    assert lecture_topics([block("A", 0, 100)] * 1, 100, max_sections=30)[0].end_seconds == 100


def test_a_video_over_45_minutes_groups_its_sections_into_parts() -> None:
    sections = [OutlineSection(id=f"s{i}", title=f"Topic {i}", start_seconds=i * 600,
                               end_seconds=(i + 1) * 600) for i in range(9)]  # 90 minutes
    parted = with_parts(sections, 5400)
    parts = list(dict.fromkeys(s.part for s in parted))
    assert len(parts) == 3 and parts[0] == "Part 1: Topic 0"
    modules = course_modules(None, parted)
    assert [len(m.section_ids) for m in modules] == [3, 3, 3]
    assert all(s.part == "" for s in with_parts(sections[:4], 2400))  # 40 minutes: no parts
    assert course_modules(None, with_parts(sections[:4], 2400)) == []


SEVEN = ["Why this vocabulary", "Objects", "Methods", "Attributes", "Classes", "Instances",
         "Classes versus instances"]


@pytest.mark.asyncio
@pytest.mark.parametrize("duration", [None, 5, 120])
async def test_a_ten_minute_lecture_with_seven_topics_gets_seven_sections(duration: Any) -> None:
    segments = [Segment(start=i * 6.0, end=i * 6.0 + 6, text=f"Point {i} about {SEVEN[i // 15]}.")
                for i in range(105)]  # 630 s, seven topics of 90 s
    transcript = Transcript(segments=segments, language="en", title="Objects", source="srt")
    fake = course_fake()
    base = fake.responder

    def seven_topics(schema: str, messages: Any) -> Any:
        answer = base(schema, messages)
        if schema == "Analysis":
            answer["segments"] = [{"title": t, "startSeconds": i * 90, "endSeconds": i * 90 + 90}
                                  for i, t in enumerate(SEVEN)]
        return answer

    fake.responder = seven_topics
    course = await run_course_graph(transcript, Preferences(duration=duration),
                                    llm=scripted_client(fake))
    assert len(course.sections) == 7
    assert [round(s.outline.start_seconds) for s in course.sections] == [i * 90 for i in range(7)]
    prompt = next(c.input_text for c in fake.calls if c.schema_name == "CourseOutline")
    assert "Make exactly 7 sections" in prompt
