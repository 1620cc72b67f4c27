"""Search a course's transcript for the passages that answer a question (the MCP
`search_course` tool): the tutor's own retrieval (BM25 over windows of timed sentences, the
same per-process index), without writing an answer."""

from __future__ import annotations

import uuid

from agents.tutor_answer import transcript_index
from core.timecodes import timestamp
from core.tutor_turns import TutorSourceRef
from db.repo.course_store import load_transcript
from jobs.services import JobServices


async def search_transcript(services: JobServices, course_id: uuid.UUID, question: str,
                            k: int = 5) -> list[TutorSourceRef] | None:
    """Best passages first, each with its [mm:ss] label; None when the course has no
    transcript yet. The caller has checked the course is the user's."""
    async with services.sessionmaker() as session:
        transcript = await load_transcript(session=session, course_id=course_id)
    if transcript is None:
        return None
    # on the loop, as the tutor does: the index cache is the tutor's, not thread-safe
    found = transcript_index(str(course_id), transcript).search(question, k=k)
    return [TutorSourceRef(start_seconds=p.start, end_seconds=p.end, label=timestamp(p.start),
                           quote=p.text) for p in found.passages]
