"""The status poll's read: a course's (status, error, section count), owner-scoped.

Clients poll this route more than any other, so its read is built for throughput:
- SQLite file databases read on the event loop's thread (`LoopReader`: microseconds, no hop).
- Network databases coalesce concurrent polls: while one query is in flight, the polls that
  arrive wait for it to end and then share the next query (`id = ANY(:ids)`), so 32 clients
  polling cost a few round trips, not 32 connections' worth. No window is waited for (an idle
  server sends a poll's query at once), and a poll never takes the answer of a query that
  started before it arrived: a status written before the poll is always seen.
Either way each poll is at most one database round trip, with nothing cached between polls.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Uuid, any_, bindparam, case, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models import Course, CourseContent
from db.repo.courses import SECTION
from db.session import LoopReader

CHUNK = 500  # ids per query when many distinct courses are asked at once


@dataclass(frozen=True, slots=True)
class CourseState:
    status: str
    error: dict[str, Any] | None
    sections: int | None  # counted only for a completed course


# Only the error entry of the metadata: a finished course's metadata (usage, prompt versions,
# validation issues) is kilobytes of JSON to decode per poll. The section count (only for a
# completed course) saves the progress-bus read a finished course would otherwise need.
_SECTION_COUNT = (select(func.count()).select_from(CourseContent)
                  .where(CourseContent.course_id == Course.id, CourseContent.type == SECTION)
                  .scalar_subquery())
_COLUMNS = (Course.id, Course.created_by, Course.is_public, Course.status,
            Course.metadata_["error"],
            case((Course.status == "completed", _SECTION_COUNT), else_=None))
# Built once: constructing a statement costs as much as running it. Postgres takes the ids as
# one array parameter (one statement text, prepared once by psycopg); others expand IN (...).
_BY_ID = select(*_COLUMNS).where(Course.id == bindparam("id"))
_BY_IDS_ARRAY = select(*_COLUMNS).where(
    Course.id == any_(bindparam("ids", type_=ARRAY(Uuid))))
_BY_IDS_IN = select(*_COLUMNS).where(Course.id.in_(bindparam("ids", expanding=True)))


def _visible(row: Any, user_id: uuid.UUID) -> CourseState | None:
    """The same rule as courses.visible_to: the owner's course, or a public one."""
    if row is None or (row[1] != user_id and row[2] is not True):
        return None
    return CourseState(status=row[3] or "draft", error=row[4], sections=row[5])


class CourseStateReader:
    def __init__(self, engine: AsyncEngine, loop_reader: LoopReader | None = None) -> None:
        self.engine = engine
        self.loop_reader = loop_reader
        self._by_ids = (_BY_IDS_ARRAY if engine.dialect.name == "postgresql" else _BY_IDS_IN)
        self._pending: dict[uuid.UUID, asyncio.Future[Any]] = {}
        self._running: asyncio.Task[None] | None = None
        self.queries = 0  # round trips sent (tests read it)

    async def read(self, *, user_id: uuid.UUID, course_id: uuid.UUID) -> CourseState | None:
        """The course's state if `user_id` may read it, else None (absent or another's)."""
        if self.loop_reader is not None:
            try:
                self.queries += 1
                return _visible(self.loop_reader.first(_BY_ID, {"id": course_id}), user_id)
            except LoopReader.Busy:
                pass  # a writer holds the lock past the cap: the async path waits for it
        future = self._pending.get(course_id)
        if future is None:
            future = self._pending[course_id] = asyncio.get_running_loop().create_future()
            if self._running is None:
                self._running = asyncio.create_task(self._drain(), name="course-state-reads")
        # shielded: a poll whose client went away must not cancel the others' shared answer
        return _visible(await asyncio.shield(future), user_id)

    async def _drain(self) -> None:
        """Answer pending polls, one query per batch, until none are left."""
        try:
            while self._pending:
                batch, self._pending = self._pending, {}
                try:
                    rows = await self._query(list(batch))
                except Exception as exc:  # every waiter gets the failure, none hangs
                    for future in batch.values():
                        _settle(future, exc=exc)
                    continue
                for course_id, future in batch.items():
                    _settle(future, row=rows.get(course_id))
        finally:
            self._running = None
            for future in self._pending.values():  # cancelled (shutdown): fail, don't hang
                _settle(future, exc=RuntimeError("course state reader stopped"))
            self._pending = {}

    async def _query(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
        found: dict[uuid.UUID, Any] = {}
        # autocommit: a single SELECT needs no transaction, and psycopg would otherwise send
        # BEGIN before it and the pool a ROLLBACK after it: three round trips instead of one
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            for i in range(0, len(ids), CHUNK):
                self.queries += 1
                chunk = ids[i:i + CHUNK]
                if len(chunk) == 1:
                    result = await conn.execute(_BY_ID, {"id": chunk[0]})
                else:
                    result = await conn.execute(self._by_ids, {"ids": chunk})
                found.update((row[0], row) for row in result)
        return found


def _settle(future: asyncio.Future[Any], *, row: Any = None,
            exc: BaseException | None = None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
        future.exception()  # marks it retrieved: a waiter that went away logs no warning
    else:
        future.set_result(row)
