"""Writing generated courses: the graph's persist step and the generate/edit bookkeeping.

The tree in course_content: one `outline` row; per section a `section` row (id = the outline
section's id, so progress rows survive edits) with `lesson`, `quiz` and `exercise` children; and
one hidden `transcript` row holding the timed transcript an edit regenerates from.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.lifecycle import CourseStatus, GenerationRecord
from db.models import Course, CourseContent
from db.repo.lifecycle import metadata_of, transition

OUTLINE, SECTION, LESSON, QUIZ, EXERCISE, TRANSCRIPT = (
    "outline", "section", "lesson", "quiz", "exercise", "transcript")


async def save_transcript(*, session: AsyncSession, course_id: uuid.UUID,
                          transcript: dict[str, Any]) -> None:
    row = await session.scalar(select(CourseContent).where(
        CourseContent.course_id == course_id, CourseContent.type == TRANSCRIPT))
    if row is None:
        session.add(CourseContent(course_id=course_id, type=TRANSCRIPT,
                                  title=transcript.get("title") or "transcript",
                                  content=transcript, sequence=-1))
    else:
        row.content = transcript


async def load_transcript(*, session: AsyncSession, course_id: uuid.UUID) -> dict[str, Any] | None:
    row = await session.scalar(select(CourseContent).where(
        CourseContent.course_id == course_id, CourseContent.type == TRANSCRIPT))
    return row.content if row is not None else None


async def write_tree(*, session: AsyncSession, course: Course, generated: dict[str, Any]) -> None:
    """Replace the course's outline/section tree with `generated` (a GeneratedCourse dump).

    Section rows are updated in place when their id survives, so learner progress is kept;
    sections that disappeared are deleted (their progress with them, as the edit warned).
    """
    outline = generated["outline"]
    keep = {uuid.UUID(s["id"]) for s in generated["sections"]}
    existing = {r.id: r for r in await session.scalars(select(CourseContent).where(
        CourseContent.course_id == course.id, CourseContent.type != TRANSCRIPT))}
    sections = {rid: r for rid, r in existing.items() if r.type == SECTION}
    # children are always rewritten; sections only when removed
    await session.execute(delete(CourseContent).where(
        CourseContent.course_id == course.id,
        CourseContent.type.in_([LESSON, QUIZ, EXERCISE])))
    for rid in set(sections) - keep:
        await session.delete(sections[rid])
    outline_row = next((r for r in existing.values() if r.type == OUTLINE), None)
    if outline_row is None:
        outline_row = CourseContent(id=uuid.uuid4(), course_id=course.id, type=OUTLINE,
                                    title=outline["title"], content=outline, sequence=0)
        session.add(outline_row)
    else:
        outline_row.title, outline_row.content = outline["title"], outline
    await session.flush()
    for s in generated["sections"]:
        sid = uuid.UUID(s["id"])
        row = sections.get(sid)
        if row is None:
            row = CourseContent(id=sid, course_id=course.id, type=SECTION, title=s["title"],
                                content=s["outline"], sequence=s["sequence"] + 1,
                                parent_id=outline_row.id)
            session.add(row)
        else:
            row.title, row.content, row.sequence = s["title"], s["outline"], s["sequence"] + 1
    await session.flush()
    for s in generated["sections"]:
        sid = uuid.UUID(s["id"])
        supp = s.get("supplement") or {}
        children = [
            (LESSON, s["title"], s.get("content")),
            (QUIZ, f"Quiz: {s['title']}", supp.get("quiz")),
            (EXERCISE, f"Practice: {s['title']}", {"exercises": supp.get("exercises", []),
                                                   "flashcards": supp.get("flashcards", [])}
             if supp else None),
        ]
        for seq, (kind, title, content) in enumerate(children):
            if content is not None:
                session.add(CourseContent(course_id=course.id, type=kind, title=title,
                                          content=content, sequence=seq, parent_id=sid))
    course.title = outline["title"]
    course.description = outline.get("description")
    course.difficulty = outline.get("difficulty")


def add_numbers(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Sum two nested dicts of numbers (usage summaries) key by key."""
    out = dict(a)
    for key, value in b.items():
        old = out.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            out[key] = add_numbers(old, value)
        elif isinstance(value, int | float) and isinstance(old, int | float):
            out[key] = round(old + value, 6)
        else:
            out[key] = value
    return out


class DbCourseStore:
    """The graph's CourseStore over the database: one transaction per save."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], *,
                 bump_version: bool = True) -> None:
        self.sessionmaker = sessionmaker
        # an edit's regeneration completes the version its PUT created (and returned as ETag)
        self.bump_version = bump_version

    async def save_generated(self, *, course_id: str, course: dict[str, Any],
                             transcript: dict[str, Any], metadata: dict[str, Any]) -> None:
        async with self.sessionmaker() as session, session.begin():
            row = await session.get(Course, uuid.UUID(course_id), with_for_update=True)
            if row is None:
                raise LookupError(f"course {course_id} was deleted while it was generated")
            await write_tree(session=session, course=row, generated=course)
            await save_transcript(session=session, course_id=row.id, transcript=transcript)
            meta = metadata_of(row)
            record = GenerationRecord.model_validate(metadata)
            # the course's LLM spend is every run's: an edit adds to its generation
            usage = add_numbers(meta.usage or {}, record.usage or {})
            meta = meta.model_copy(update={**dict(record), "usage": usage})
            if self.bump_version or not meta.version:
                meta.version += 1
            # a course cancelled (or deleted and re-queued) meanwhile refuses: InvalidTransition
            await transition(session, row, CourseStatus.COMPLETED, metadata=meta)
