"""Assessing an outline edit before it is stored: the API's one way to the impact validator."""

from __future__ import annotations

from agents.impact_validator import assess
from core.domain import CourseOutline, ModificationImpact
from jobs.services import JobServices


async def assess_outline_edit(old: CourseOutline, new: CourseOutline, services: JobServices
                              ) -> tuple[list[ModificationImpact], list[str]]:
    """Impacts of the edit (with suggestions) and the ids of the sections to rewrite."""
    return await assess(old, new, await services.llm())
