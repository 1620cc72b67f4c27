"""The course cache's writer: a finished generation is cached as it is stored, so an identical
request is served without the LLM. Wraps the database store (the job owns both; the database
layer never calls back into jobs)."""

from __future__ import annotations

from typing import Any

from infra.cache import CacheConfig
from jobs.services import JobServices
from pipeline.context import CourseStore


class CachingStore:
    """A CourseStore that caches the course under the request's key, then stores it.

    Cached first: the entry is what the content determines, harmless if the store then fails,
    and present before anyone can observe the course `completed`."""

    def __init__(self, store: CourseStore, services: JobServices, key: str) -> None:
        self.store, self.services, self.key = store, services, key

    async def save_generated(self, *, course_id: str, course: dict[str, Any],
                             transcript: dict[str, Any], metadata: dict[str, Any]) -> None:
        await self.services.cache.set(
            self.key, {"course": course, "transcript": transcript, "metadata": metadata},
            CacheConfig.from_settings(self.services.settings, tags=["courses"]))
        await self.store.save_generated(course_id=course_id, course=course,
                                        transcript=transcript, metadata=metadata)
