"""A course as a file (Markdown, JSON, Anki deck, Mermaid mind map): one function that the
export route and the MCP export tool both call, with the same scoping and errors."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from api.course_views import course_tree, visible_course
from api.errors import AppError
from core.anki import course_apkg
from core.domain import GeneratedCourse
from core.export import course_markdown
from core.mind_map import course_mermaid
from core.modules import with_modules
from db.repo.lifecycle import metadata_of

ExportFormat = Literal["md", "json", "apkg", "mermaid"]
MEDIA_TYPES: dict[str, str] = {"md": "text/markdown", "json": "application/json",
                               "apkg": "application/apkg", "mermaid": "text/vnd.mermaid"}
SUFFIXES: dict[str, str] = {"md": "md", "json": "json", "apkg": "apkg", "mermaid": "mmd"}


@dataclass(frozen=True)
class ExportFile:
    content: bytes | str
    media_type: str
    filename: str


async def export_file(session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID,
                      format: ExportFormat) -> ExportFile:
    """404 for a course the user cannot see, 409 `course_not_ready` before it has content."""
    course = await visible_course(session, user_id, course_id)
    tree = await course_tree(session, user_id, course)
    if tree is None:
        raise AppError("course_not_ready", "The course has no content yet.", 409)
    # a playlist course's exports group its sections by video (core.modules)
    generated = with_modules(GeneratedCourse.model_validate(tree), metadata_of(course).video)
    filename = f"course-{course.id}.{SUFFIXES[format]}"
    content: bytes | str
    if format == "apkg":
        content = await asyncio.to_thread(course_apkg, generated, course_id=str(course.id),
                                          video_url=course.youtube_url)  # SQLite + zip: off-loop
    elif format == "mermaid":
        content = course_mermaid(generated)
    elif format == "json":
        content = json.dumps(generated.model_dump(by_alias=True, mode="json"),
                             ensure_ascii=False, separators=(",", ":"))
    else:
        content = course_markdown(generated, course.youtube_url)
    return ExportFile(content, MEDIA_TYPES[format], filename)
